"""Pilot tests: press the keys, assert on what the widgets show. Clock and config are frozen."""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from conftest import deal_yaml, generated, loaded, write
from textual.widgets import Input, Static

from tui.app import DealmonApp
from tui.panes.deal_terms import DealTermsPane
from tui.rows.deals import COLUMNS
from tui.screens.details import DetailsScreen
from tui.screens.help import HelpScreen
from tui.widgets.status_bar import StatusBar

# 2026-11-29 12:00 in Los Angeles (the example's zone).
NOW = datetime(2026, 11, 29, 20, 0, tzinfo=UTC)


class Clock:
    def __init__(self, moment: datetime = NOW) -> None:
        self.moment = moment

    def __call__(self) -> datetime:
        return self.moment


def text_of(widget) -> str:
    return str(widget.render())


def table_rows(app, table_id):
    table = app.query_one(f"#{table_id}")
    return [[str(c).strip() for c in table.get_row_at(i)] for i in range(table.row_count)]


PARTIES = [c[0] for c in COLUMNS].index("parties")


def status(app) -> str:
    return text_of(app.query_one("#status"))




async def test_three_panes_at_80x24(example):
    app = DealmonApp([example], now=Clock())
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await pilot.pause()
        for pane in ("#terms", "#countdowns", "#capacity"):
            widget = app.query_one(pane)
            assert widget.display and widget.region.height >= 6, pane
        assert table_rows(app, "deal-table") == [
            ["anthropic-spacex", "ends 2029-05-31", "914 days", "±open", "2027-02-27", "2029-05-31", "active",
             "±15B USD", "Anthropic → SpaceX", "2029-05-31", "90d either"],
            ["google-spacex", "exit opens 2027-01-01", "33 days", "2027-01-01", "2027-04-01", "2029-06-30", "active",
             "11.04B USD", "Google → SpaceX", "2029-06-30", "90d either"],
        ]
        # below 100 columns: the short label, which keeps the key word; the deal id whole
        assert table_rows(app, "event-table")[0] == ["2027-01-01", "33 days", "ok", "google-spacex: exit opens"]
        exits = text_of(app.query_one("#exits-body"))
        assert exits.splitlines() == [
            "anthropic-spacex: notice today → exit on 2027-02-27 · the provider could end it ≤ 90d",
            # its exit right has not opened: when it can, and what notice then would bring
            "google-spacex: exit right opens 2027-01-01 → exit on 2027-04-01 at the earliest"]
        totals = text_of(app.query_one("#capacity-totals"))
        # the at-risk line names the deal behind it; figures built on a claim are marked ±
        assert "At risk ≤90d 340,000 accelerators · 510 MW (76%) anthropic-spacex" in totals
        assert "±510 MW · ±26.04B USD/yr" in totals
        assert "±139% of its revenue" in text_of(app.query_one("#capacity-providers"))
        assert "now" in text_of(app.query_one("#timeline"))
        assert status(app).startswith(" dealmon  ") and "as of 2026-11-29 (today)" in status(app)
        assert "loaded 12:00:00" in status(app) and "ok · 2 deals" in status(app)
        # the deal table shows at least 4 rows at 80x24
        assert app.query_one("#deal-table").region.height >= 5


async def test_what_the_next_event_asks_is_read_whole_at_80x24(example):
    """The ask under the countdowns wraps to two lines at 80x24 (one line cut it after "(90 d"),
    and the capacity pane still shows the totals, ending and at risk."""
    app = DealmonApp([example], now=Clock())
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await pilot.pause()
        asks = app.query_one("#event-asks")
        text = ("google-spacex, 2027-01-01: from this day either party may give notice (90 days; earliest exit "
                "2027-04-01)")
        assert text_of(asks) == text
        assert asks.region.height == 2 and len(text) <= 2 * (asks.region.width - 2)
        assert app.query_one("#capacity-totals").region.height == 4
        assert app.query_one("#capacity").region.bottom <= 23  # above the footer


async def test_filter_and_clear(example):
    app = DealmonApp([example], now=Clock())
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        await pilot.press("slash", "g", "o", "o")
        assert app.query_one("#deal-filter", Input).has_focus
        assert [r[0] for r in table_rows(app, "deal-table")] == ["google-spacex"]
        await pilot.press("enter")
        assert app.query_one("#deal-table").has_focus
        assert [r[0] for r in table_rows(app, "deal-table")] == ["google-spacex"]
        assert "filter: goo" in str(app.query_one(DealTermsPane).border_title)
        await pilot.press("escape")
        assert [r[0] for r in table_rows(app, "deal-table")] == ["anthropic-spacex", "google-spacex"]
        # facilities and tags match too
        await pilot.press("slash", *"colossus-1")
        assert [r[0] for r in table_rows(app, "deal-table")] == ["anthropic-spacex"]
        await pilot.press("escape")
        await pilot.press("slash", *"memphis")
        assert [r[0] for r in table_rows(app, "deal-table")] == ["anthropic-spacex"]


async def test_the_rows_a_filter_keeps_stay_in_sight_at_80x24(example):
    """The filter line takes one line of the deal terms pane, not its rows (a bordered box of
    three lines hid every row at 80x24)."""
    app = DealmonApp([example], now=Clock())
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await pilot.press("slash", "a", "n", "t")
        table = app.query_one("#deal-table")
        assert app.query_one("#deal-filter", Input).size.height == 1
        # The lines left for the header and rows, below which the horizontal scrollbar sits
        # (the columns are wider than 80): the header and the row kept.
        assert table.scrollable_content_region.height >= 2
        assert "anthropic-spacex" in "".join(segment.text for segment in table.render_line(1))


async def test_sort_cycles_columns(tmp_path):
    body = deal_yaml("start: 2026-01-01\ncommitment: 1M/month")
    body += "  a:\n    buyer: Zed\n    provider: p\n    start: 2026-01-01\n    commitment: 9M/month\n"
    body += "  a10:\n    buyer: Buyer 10\n    provider: p\n    start: 2026-01-01\n"
    body += "  a2:\n    buyer: Buyer 2\n    provider: p\n    start: 2026-01-01\n"
    path = write(tmp_path, "d.yaml", body)
    app = DealmonApp([str(path)], as_of=date(2026, 11, 29), now=Clock())
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        title = lambda: str(app.query_one(DealTermsPane).border_title)  # noqa: E731
        assert [r[0] for r in table_rows(app, "deal-table")] == ["a", "a2", "a10", "d"]  # by id, naturally
        assert "sort: id ▲" in title()
        await pilot.press("S")  # reversed
        assert [r[0] for r in table_rows(app, "deal-table")] == ["d", "a10", "a2", "a"] and "sort: id ▼" in title()
        while "sort: buyer → provider" not in title():
            await pilot.press("s")
        # natural order of names: Buyer 2 before Buyer 10; B before Zed
        assert [r[0] for r in table_rows(app, "deal-table")] == ["d", "a2", "a10", "a"]
        while "sort: commit/yr" not in title():
            await pilot.press("s")
        assert [r[0] for r in table_rows(app, "deal-table")][:2] == ["a", "d"]  # largest first
        assert "commit/yr▲" in app.query_one("#deal-table").header_labels  # the sorted column is marked


async def test_details_and_back_keeps_the_cursor(example):
    app = DealmonApp([example], now=Clock())
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        await pilot.press("down")
        table = app.query_one("#deal-table")
        assert table.cursor_row == 1
        await pilot.press("enter")
        assert isinstance(app.screen, DetailsScreen) and app.screen.deal_id == "google-spacex"
        await pilot.press("escape")
        await pilot.press("up", "enter")
        body = text_of(app.screen.query_one("#details-body"))
        assert "Deal anthropic-spacex  ·  active  ·  as of 2026-11-29" in body
        assert "= start 2026-05-03 + 3 months = 2026-08-03" in body
        assert "= notice today 2026-11-29 + 90 days = 2027-02-27" in body
        assert "commitment            ±1.25B USD/month" not in body  # the mark is after the value
        assert "1.25B USD/month = 15000000000 USD/yr ± disputed" in body
        assert "[source: news-commentary — News commentary on the Anthropic–SpaceX deal]" in body
        assert "notice.not_before     180 days  [source: musk-x-post" in body
        assert "capacity              [{facility: colossus-1, share: 100%}]  [source: anthropic-announcement" in body
        # Filter and sort do nothing while details cover the table.
        await pilot.press("s")
        assert app.query_one(DealTermsPane).sort_index == 0
        await pilot.press("escape")
        assert not isinstance(app.screen, DetailsScreen)
        assert table.cursor_row == 0


async def test_details_from_the_countdowns_table(example):
    app = DealmonApp([example], now=Clock())
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        app.query_one("#event-table").focus()
        await pilot.press("enter")
        assert isinstance(app.screen, DetailsScreen) and app.screen.deal_id == "google-spacex"


async def test_time_travel_days_months_and_today(example):
    clock = Clock(datetime(2027, 1, 31, 20, 0, tzinfo=UTC))
    app = DealmonApp([example], now=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        assert app.as_of == date(2027, 1, 31) and "(today)" in status(app)
        await pilot.press("right_curly_bracket")
        assert app.as_of == date(2027, 2, 28) and "★ not today (Jan 31)" in status(app)
        await pilot.press("right_curly_bracket")
        assert app.as_of == date(2027, 3, 31)  # anchored: not Mar 28
        await pilot.press("left_curly_bracket", "left_curly_bracket", "left_curly_bracket")
        assert app.as_of == date(2026, 12, 31)
        assert table_rows(app, "event-table")[0] == ["2027-01-01", "1 day", "critical",
                                                     "google-spacex: exit right opens"]
        await pilot.press("right_square_bracket")
        assert app.as_of == date(2027, 1, 1)  # the exit right is open now: no longer an event
        assert [r[0] for r in table_rows(app, "event-table")] == ["2029-05-31", "2029-06-30"]
        await pilot.press("left_square_bracket", "left_square_bracket")
        assert app.as_of == date(2026, 12, 30)
        await pilot.press("t")
        assert app.as_of == date(2027, 1, 31) and "(today)" in status(app)


async def test_moves_to_the_new_day_at_local_midnight(example):
    clock = Clock(datetime(2026, 11, 30, 7, 59, tzinfo=UTC))  # 23:59 in Los Angeles
    app = DealmonApp([example], now=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        assert app.as_of == date(2026, 11, 29)
        assert table_rows(app, "event-table")[0][1] == "33 days"
        clock.moment += timedelta(minutes=2)  # 00:01 in Los Angeles
        app.tick()
        await pilot.pause()
        assert app.as_of == date(2026, 11, 30)
        assert table_rows(app, "event-table")[0][1] == "32 days"
        assert "as of 2026-11-30 (today)" in status(app)


async def test_as_of_flag_stays_fixed(example):
    clock = Clock()
    app = DealmonApp([example], as_of=date(2026, 12, 25), now=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        clock.moment += timedelta(days=3)
        app.tick()
        assert app.as_of == date(2026, 12, 25)
        assert "★ not today" in status(app)


async def test_bad_config_at_startup_lists_errors_then_recovers(tmp_path):
    path = write(tmp_path, "d.yaml", deal_yaml("start: 2026-02-30\nrenewal: 3 m"))
    app = DealmonApp([str(path)], now=Clock())
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        assert not app.query_one("#panes").display and app.query_one("#errors").display
        errors = text_of(app.query_one("#errors-body"))
        assert f"{path}:8:12: start: expected a date YYYY-MM-DD, found '2026-02-30'" in errors
        assert f"{path}:9:14: renewal: expected a duration" in errors
        assert "INVALID: 2 errors in the files" in status(app)
        write(tmp_path, "d.yaml", deal_yaml("start: 2026-02-28"))
        await pilot.press("r")
        await loaded(pilot)
        assert app.query_one("#panes").display and not app.query_one("#errors").display
        assert [r[0] for r in table_rows(app, "deal-table")] == ["d"]
        # A bad edit now keeps the last good data, marked stale.
        write(tmp_path, "d.yaml", "deals: [\n")
        await pilot.press("r")
        await loaded(pilot)
        assert app.query_one("#panes").display and app.query_one("#errors").display
        assert [r[0] for r in table_rows(app, "deal-table")] == ["d"]
        assert "STALE: 1 error in the files" in status(app)
        await pilot.press("q")
    assert app.return_code == 0


HOSTILE = ["Space[/]X", "[bold]x", "[link=https://x]x[/link]", "[@click=app.quit]x",
           "\x1b[2Jwipe", "\x9b31mred", "\u202eevil", "[@click=app.screenshot('x.svg','/tmp')]y"]


@pytest.mark.parametrize("served", [False, True], ids=["terminal", "served"])
async def test_hostile_text_is_shown_literally(tmp_path, served):
    import yaml

    screenshot = Path("/tmp/x.svg")
    screenshot.unlink(missing_ok=True)

    doc = {"providers": {"p": {"name": "[@click=app.quit]Prov[/]"}},
           "facilities": {"f": {"name": "[b]F", "accelerators": {"[red]H100": 10}}},
           "deals": {f"d{i}": {"buyer": text, "provider": "p", "start": "2026-01-01", "end": "2027-01-01",
                               "notes": text, "tags": [text],
                               "capacity": [{"facility": "f", "share": "10%"}],
                               "claims": [{"field": "buyer", "value": text, "note": text}]}
                     for i, text in enumerate(HOSTILE)}}
    path = tmp_path / "hostile.yaml"
    path.write_text(yaml.safe_dump(doc), encoding="utf-8")
    app = DealmonApp([str(path)], as_of=date(2026, 11, 29), now=Clock(), served=served)
    async with app.run_test(size=(160, 48)) as pilot:
        await loaded(pilot)
        rows = table_rows(app, "deal-table")
        assert [r[PARTIES] for r in rows] == [
            "Space[/]X → [@click=app.quit]Prov[/]", "[bold]x → [@click=app.quit]Prov[/]",
            "[link=https://x]x[/link] → [@click=app.quit]Prov[/]", "[@click=app.quit]x → [@click=app.quit]Prov[/]",
            "␛[2Jwipe → [@click=app.quit]Prov[/]", "<U+009B>31mred → [@click=app.quit]Prov[/]",
            "<U+202E>evil → [@click=app.quit]Prov[/]",
            "[@click=app.screenshot('x.svg','/tmp')]y → [@click=app.quit]Prov[/]"]
        assert "[red]H100" in text_of(app.query_one("#capacity-totals"))
        await pilot.click("#deal-table", offset=(30, 2))  # a click on the cell runs no action
        await pilot.press("slash", *"space[/]")  # typed into the filter: no time travel
        assert [r[0] for r in table_rows(app, "deal-table")] == ["d0"]
        assert app.as_of == date(2026, 11, 29)
        await pilot.press("escape", "enter")
        body = text_of(app.screen.query_one("#details-body"))
        assert "Space[/]X" in body
        for bad in ("\x1b", "\x9b", "\u202e"):
            assert bad not in body
        await pilot.press("escape", "d")  # the disputes: every claim's text, literally
        options = app.screen.query_one("#disputes-list")
        prompts = "".join(str(options.get_option_at_index(i).prompt) for i in range(options.option_count))
        assert "[@click=app.screenshot('x.svg','/tmp')]y" in prompts and "\x1b" not in prompts
        await pilot.click("#disputes-list", offset=(20, 3))
        await pilot.press("escape", "escape")
        assert app.is_running
    # The payload [@click=app.screenshot('x.svg','/tmp')] would have written /tmp/x.svg.
    assert not screenshot.exists()
    assert not list(Path.cwd().glob("*.svg")) and not list(tmp_path.glob("*.svg"))


async def test_too_small_says_so_and_recovers(example):
    app = DealmonApp([example], now=Clock())
    async with app.run_test(size=(60, 20)) as pilot:
        await loaded(pilot)
        message = app.query_one("#too-small")
        assert message.display and not app.query_one("#panes").display
        assert "Terminal too small: 60×20" in text_of(message)
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert not message.display and app.query_one("#panes").display
        await pilot.resize_terminal(1, 1)
        await pilot.pause()
        await pilot.resize_terminal(200, 50)
        await pilot.pause()
        assert app.screen.has_class("-wide")


async def test_help_and_palette_list_the_keys(example):
    app = DealmonApp([example], now=Clock())
    async with app.run_test(size=(100, 40)) as pilot:
        await loaded(pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        text = text_of(app.screen.query_one(Static))
        lines = text.splitlines()
        # It fits 80x24: two columns of keys and the legend in 22 lines of at most 74 cells.
        assert len(lines) <= 22 and max(len(line) for line in lines) <= 74
        # reading order: the left column, then the right one
        cells = [line[:35].strip() for line in lines] + [line[37:].strip() for line in lines]
        # Each key with its own words, from the bindings (keys bound to one action share a cell);
        # a description longer than the column ends in "…".
        for key, what in [("q", "quit dealmon"), ("r", "read the files again now"),
                          ("/", "filter the panes: words, provider: status: model: tag: disputed risk"),
                          ("s", "sort the deal table by the next column (▲ shows which)"),
                          ("S", "reverse the deal table's sort order (▲/▼)"),
                          ("⏎", "open the row under the cursor (deal details)"),
                          ("[", "as-of date − 1 day"), ("]", "as-of date + 1 day"),
                          ("}", "as-of date + 1 month (anchored: Jan 31 → Feb 28 → Mar 31)"),
                          ("t", "back to today (follows the clock again)"), ("?", "this help: every key"),
                          ("1", "focus the deal terms pane"), ("z", "maximise the focused pane, or back"),
                          (":", "show the portfolio as of a date you type"), ("L", "the log of what each reload"),
                          ("↓ j", "Down"), ("^p", "Open the command palette"), ("tab", "Focus Next")]:
            shown = [c for c in cells if c.split("  ")[0].strip() == key]
            assert shown, key
            words = shown[0][len(key):].strip()
            assert what.startswith(words.rstrip("…")), (key, words)
        # dealmon's own keys come before moving around; the legend has this portfolio's limits
        assert cells.index(next(c for c in cells if c.startswith("q "))) < cells.index(
            next(c for c in cells if c.startswith("↓ j")))
        assert "Bands: critical ≤ 7 days left, warn ≤ 30 days, ok later (settings)." in lines
        assert any(line.startswith("↻2027-05-03 the term renews there") for line in lines)
        await pilot.press("escape")
        commands = {c.title: c.help for c in app.get_system_commands(app.screen)}
        for title, help in [("Read the files again now", "Reload (r)"), ("As-of date + 1 day", "+day (])"),
                            ("Filter the panes: words, provider: status: model: tag: disputed risk", "Filter (/)"),
                            ("Sort the deal table by the next column (▲ shows which)", "Sort (s)"),
                            ("Back to today (follows the clock again)", "Today (t)"), ("This help: every key", "Help (?)")]:
            assert commands.get(title) == help, title
        # A command runs its binding's action: the palette's "+1 day" moves the date.
        before = app.as_of
        run = [c for c in app.get_system_commands(app.screen) if c.title == "As-of date + 1 day"][0]
        await run.callback()
        assert app.as_of == before + timedelta(days=1)


async def test_refresh_repaints_only_when_something_changed(example, monkeypatch):
    app = DealmonApp([example], now=Clock())
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        table = app.query_one("#event-table")
        calls = []
        original = table.refresh
        monkeypatch.setattr(table, "refresh", lambda *a, **k: (calls.append(1), original(*a, **k))[1])
        app.refresh_view()  # same day, same data: nothing is repainted
        assert calls == []
        await pilot.press("right_square_bracket")  # one day later: the days cells change
        assert calls and table_rows(app, "event-table")[0][1] == "32 days"


async def test_exits_list_the_soonest_first_and_stay_short(tmp_path):
    body = "providers:\n  p: {name: P}\ndeals:\n" + "".join(
        f"  d{i:02d}:\n    buyer: B\n    provider: p\n    start: 2026-01-01\n    notice: {{period: {100 - i} days}}\n"
        for i in range(40))
    path = write(tmp_path, "d.yaml", body)
    app = DealmonApp([str(path)], as_of=date(2026, 11, 29), now=Clock(), watch=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        lines = text_of(app.query_one("#exits-body")).splitlines()
        assert lines[0].startswith("d39: notice today → exit on 2027-01-29")  # 61 days: the soonest
        assert len(lines) == 31 and lines[-1].startswith("… and 10 more deals")


async def test_a_long_load_shows_its_progress(tmp_path):
    path = tmp_path / "big.yaml"
    generated(path, 3000, 100)
    app = DealmonApp([str(path)], now=Clock(), watch=False)
    seen = []
    async with app.run_test(size=(160, 40)) as pilot:
        bar = app.query_one(StatusBar)
        bar.watch(bar, "status", lambda status: seen.append(str(bar.render())))  # every header state
        await loaded(pilot)
        assert app.query_one("#deal-table").row_count == 3000
    percents = [int(s.split("loading… ")[1].split("%")[0]) for s in seen if "loading… " in s and "%" in s]
    assert percents and all(0 < p < 100 for p in percents)
    assert percents == sorted(percents)
    assert max(percents) >= 85  # evaluating and building the rows are counted too (after 80%)


async def test_pane_keys_focus_zoom_and_move(example):
    app = DealmonApp([example], now=Clock())
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await pilot.press("2")
        assert app.focused.id == "event-table"
        await pilot.press("j")
        assert app.focused.cursor_row == 1
        await pilot.press("G")
        assert app.focused.cursor_row == 2
        await pilot.press("g", "k")
        assert app.focused.cursor_row == 0
        # under the table: what the event under the cursor asks
        assert text_of(app.query_one("#event-asks")) == (
            "google-spacex, 2027-01-01: from this day either party may give notice (90 days; earliest exit 2027-04-01)")
        await pilot.press("z")  # the countdowns alone, the header stays
        assert app.query_one("#countdowns").display and not app.query_one("#terms").display
        assert not app.query_one("#capacity").display and app.query_one("#status").display
        await pilot.press("z")
        assert app.query_one("#terms").display and app.query_one("#capacity").display
        await pilot.press("3")
        assert app.focused.id == "capacity"
        await pilot.press("1")
        assert app.focused.id == "deal-table"


async def test_go_to_date_prompt(example):
    app = DealmonApp([example], now=Clock())
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        await pilot.press("colon", *"2027-13-01", "enter")
        assert "expected a date YYYY-MM-DD (not a real date: month must be in 1..12)" in text_of(
            app.screen.query_one("#go-to-date-error"))
        app.screen.query_one("#go-to-date-input").value = ""
        await pilot.press(*"2027-06-01", "enter")
        await pilot.pause()
        assert app.as_of == date(2027, 6, 1) and "★ not today" in status(app)
        await pilot.press("colon", "escape")  # cancelled: the date stays
        assert app.as_of == date(2027, 6, 1)
        await pilot.press("t")
        assert app.as_of == date(2026, 11, 29)


async def test_q_on_details_goes_back_and_quits_only_from_the_main_screen(example):
    app = DealmonApp([example], now=Clock())
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        await pilot.press("enter")
        assert isinstance(app.screen, DetailsScreen)
        await pilot.press("q")
        assert not isinstance(app.screen, DetailsScreen) and app.is_running
        await pilot.press("q")
        assert not app.is_running


FILTERED = """
providers:
  p: {name: Prov P}
  q: {name: Other Q, claims: [{field: revenue, value: 1B/year}]}
facilities:
  f: {name: Site F, accelerators: {H100: 100}, power_mw: 10}
deals:
  a: {buyer: Alpha, provider: p, start: 2026-01-01, end: 2027-01-31, tags: [train],
      capacity: [{facility: f, share: 50%}]}
  b: {buyer: Beta, provider: q, start: 2026-01-01, notice: {period: 30 days},
      capacity: [{accelerators: {GB200: 7}, power_mw: 2}]}
  c: {buyer: Gamma, provider: p, start: 2027-06-01, tags: [infer], capacity: [{accelerators: {GB200: 1}}]}
"""


async def test_the_filter_narrows_all_three_panes(tmp_path):
    path = write(tmp_path, "d.yaml", FILTERED)
    app = DealmonApp([str(path)], as_of=date(2026, 11, 29), now=Clock(), watch=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)

        async def only(text):
            app.query_one("#deal-filter", Input).value = text
            await pilot.pause()
            rows = [r[0] for r in table_rows(app, "deal-table")]  # the table at once
            await pilot.pause(0.3)  # the other panes once typing pauses
            return rows
        await pilot.press("slash")
        assert await only("provider:prov") == ["a", "c"]
        assert await only("provider:q") == ["b"]
        assert await only("status:upcoming") == ["c"]
        assert await only("model:gb200") == ["b", "c"]
        assert await only("model:h100 tag:train") == ["a"]
        assert await only("disputed") == ["b"]  # its provider's revenue is disputed
        assert await only("risk") == ["a", "b"]  # a ends within 90 days; q may end b
        assert await only("gamma") == ["c"]
        # the countdowns and the capacity follow the filter
        assert {r[3].split(":")[0] for r in table_rows(app, "event-table")} == {"c"}
        assert await only("beta") == ["b"]
        assert "filtered: 1 deals" in str(app.query_one("#capacity").border_title)
        totals = text_of(app.query_one("#capacity-totals"))
        assert totals.startswith("Total  GB200 7\n       2 MW") and "H100" not in totals
        assert "escape" in app.screen.active_bindings  # the footer says a filter is on: "esc Clear filter"
        await pilot.press("escape")
        assert [r[0] for r in table_rows(app, "deal-table")] == ["a", "b", "c"]
        assert "escape" not in app.screen.active_bindings
        await pilot.pause(0.3)
        assert "filtered" not in str(app.query_one("#capacity").border_title)
        assert {r[3].split(":")[0] for r in table_rows(app, "event-table")} == {"a", "c"}


async def test_keys_typed_in_one_burst_after_slash_go_to_the_filter(example):
    """Over SSH `/goo` arrives at once: the keys after `/` were routed to the table before the
    filter had the focus, and `g` (first row) took one of them; they are the filter's text now."""
    from textual import events

    app = DealmonApp([example], now=Clock())
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        for key, character in (("slash", "/"), ("g", "g"), ("o", "o"), ("o", "o")):  # queued at once
            app.post_message(events.Key(key, character))
        await pilot.pause()
        await pilot.pause()
        assert app.query_one("#deal-filter", Input).value == "goo"
        assert app.query_one("#deal-filter", Input).has_focus
        assert [r[0] for r in table_rows(app, "deal-table")] == ["google-spacex"]
        await pilot.press("slash")  # typed into the filter: `/` may be part of what is looked for
        assert app.query_one("#deal-filter", Input).value == "goo/"
        await pilot.press("backspace", "enter", "j")  # the filter kept; keys go to the table again
        assert app.query_one("#deal-filter", Input).value == "goo"
        assert app.query_one("#deal-table").has_focus


async def test_the_collector_paused_for_the_start_resumes_after_the_first_frame(example):
    """`dealmon` pauses the cyclic GC for its start (core/perf.py); the App resumes it once its
    first frame is drawn: a monitor left open for days must collect as usual."""
    import gc

    from tui.core.perf import pause_gc_for_start, resume_gc_after_start

    pause_gc_for_start()
    try:
        app = DealmonApp([example], now=Clock())
        async with app.run_test(size=(80, 24)) as pilot:
            await loaded(pilot)
            await pilot.pause()
            assert gc.isenabled()
    finally:
        resume_gc_after_start()
        gc.enable()
