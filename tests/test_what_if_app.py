"""Pilot tests of what-if (SPEC §2.1) and the disputes view in the monitor: press the keys,
assert on what is visible. Clock and config are frozen (2026-11-29 in Los Angeles)."""
from __future__ import annotations

from conftest import loaded
from test_app import Clock, status, table_rows, text_of
from test_reload import Recorder
from textual.widgets import Input, OptionList

from tui.app import DealmonApp
from tui.screens.details import DetailsScreen
from tui.screens.disputes import DisputesScreen
from tui.screens.what_if import AssumeNoticeScreen


async def test_notice_today_on_the_seed_deal_at_80x24(example):
    app = DealmonApp([example], now=Clock())
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await pilot.press("n")
        assert isinstance(app.screen, AssumeNoticeScreen)
        assert app.screen.query_one("#assume-notice-date", Input).value == "2026-11-29"  # today
        await pilot.press("enter")  # by our side, the buyer
        await pilot.pause()
        assert status(app).startswith(" dealmon   WHAT-IF  ok · 2 deals")
        assert text_of(app.query_one("#what-if")) == (
            " WHAT-IF: notice:anthropic-spacex:2026-11-29:buyer  (x: drop the last · X: all)")
        assert app.query_one("#what-if").region.height == 1
        rows = table_rows(app, "event-table")
        assert rows[0] == ["2026-11-29", "today", "critical", "anthropic-spacex: send notice"]
        assert ["2027-02-27", "90 days", "ok", "anthropic-spacex: exit"] in rows
        assert table_rows(app, "deal-table")[0][:3] == ["anthropic-spacex", "send notice 2026-11-29", "today"]
        totals = text_of(app.query_one("#capacity-totals")).splitlines()
        assert totals[2:] == [
            "Ending ≤90d  340,000 accelerators · 510 MW (76%) anthropic-spacex",
            "At risk ≤90d 340,000 accelerators · 510 MW (76%) anthropic-spacex",
            "WHAT-IF  −340,000 accelerators, −510 MW, −15B USD/yr from 2027-02-28 (76%)"]
        # the whole scenario is in sight at 80x24: the what-if line is the pane's last
        assert app.query_one("#capacity-totals").region.bottom <= app.query_one("#capacity").region.bottom - 1
        await pilot.press("x")
        await pilot.pause()
        assert "WHAT-IF" not in status(app)
        assert not app.query_one("#what-if").display
        assert table_rows(app, "event-table")[0][3] == "google-spacex: exit opens"
        assert "WHAT-IF" not in text_of(app.query_one("#capacity-totals"))


async def test_the_notice_prompt_refuses_what_the_terms_refuse(example):
    app = DealmonApp([example], now=Clock())
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        await pilot.press("j", "n")  # google-spacex: its exit right opens 2027-01-01
        screen = app.screen
        assert isinstance(screen, AssumeNoticeScreen)
        await pilot.press("enter")
        assert text_of(screen.query_one("#assume-notice-error")) == (
            "notice given 2026-11-29, before the exit right opens on 2027-01-01")
        screen.query_one(Input).value = "2027-02-30"
        await pilot.press("enter")
        assert text_of(screen.query_one("#assume-notice-error")) == (
            "expected a date YYYY-MM-DD (not a real date: day is out of range for month)")
        screen.query_one(Input).value = "2027-01-04"
        await pilot.press("tab", "right", "enter", "enter")  # by the provider, then back to the date
        await pilot.pause()
        assert app.screen is not screen and isinstance(screen, AssumeNoticeScreen)
        assert app.query_one("#what-if").display
        assert "notice:google-spacex:2027-01-04:provider" in text_of(app.query_one("#what-if"))
        exits = table_rows(app, "event-table")
        assert ["2027-01-04", "36 days", "ok", "google-spacex: send notice (what-if)"] in exits
        assert ["2027-04-04", "126 days", "ok", "google-spacex: exit"] in exits


async def test_disputes_view_lists_every_claim_and_assumes_a_source(example):
    app = DealmonApp([example], now=Clock())
    async with app.run_test(size=(100, 40)) as pilot:
        await loaded(pilot)
        await pilot.press("d")
        screen = app.screen
        assert isinstance(screen, DisputesScreen)
        options = screen.query_one(OptionList)
        assert options.option_count == 3
        texts = [str(options.get_option_at_index(i).prompt) for i in range(3)]
        assert texts[0].splitlines()[0] == "news-commentary — News commentary on the Anthropic–SpaceX deal"
        assert "± deal anthropic-spacex commitment: files 1.25B USD/month → claimed 1.25B USD/year" in texts[0]
        assert "± provider spacex revenue: files 18.7B USD/year → claimed 18B USD/year" in texts[0]
        assert ("if right: spacex: concentration 139% → 68%; from 2026-11-29: −13.75B USD/yr"
                in texts[0].replace("\n", " "))
        assert "if right: anthropic-spacex: exit right from 2026-08-03 → 2026-10-30" in texts[1]
        assert "± facility colossus-1 accelerators: files {H100: 150,000, H200: 50,000, GB200: 30,000} → claimed " \
               "{NVIDIA GPU: 220000}" in texts[2].replace("\n", " ")
        assert "−120,000 accelerators, −210 MW" in texts[2]
        await pilot.press("down", "a")  # Musk is right: a 180-day lock-out
        await pilot.pause()
        assert not isinstance(app.screen, DisputesScreen)
        assert "source:musk-x-post" in text_of(app.query_one("#what-if"))
        assert text_of(app.query_one("#capacity-totals")).splitlines()[-1] == (
            "WHAT-IF  no change in capacity or commitment; anthropic-spacex: exit right from 2026-08-03 → 2026-10-30")
        await pilot.press("enter")
        details = app.screen
        assert isinstance(details, DetailsScreen)
        body = text_of(details.query_one("#details-body"))
        assert body.splitlines()[0] == " WHAT-IF  hypothetical, assuming source:musk-x-post"
        assert "notice not before     180 days ± disputed" in body
        assert "exit right from       2026-10-30" in body
        # `a` in a deal's details: the claims bearing on it (here all three sources)
        await pilot.press("a")
        assert isinstance(app.screen, DisputesScreen) and app.screen.query_one(OptionList).option_count == 3
        await pilot.press("escape", "escape", "X")
        await pilot.pause()
        assert not app.query_one("#what-if").display


async def test_details_show_the_deals_share_and_risk(example):
    app = DealmonApp([example], now=Clock())
    async with app.run_test(size=(100, 40)) as pilot:
        await loaded(pilot)
        await pilot.press("enter")
        body = text_of(app.screen.query_one("#details-body"))
        assert ("accelerators          340,000 (76% of the portfolio's): GB200 140,000 · H100 150,000 · "
                "H200 50,000") in body
        assert "power                 510 MW (100% of the portfolio's)" in body
        assert "commitment            15B USD/yr (58% of the portfolio's)" in body
        assert "at risk               yes, other side can end within 90 days" in body
        # a computed date built on a disputed field is marked where it is shown
        assert "exit right from       2026-08-03 ± disputed" in body.splitlines()
        assert "exit date             2029-05-31" in body.splitlines()


async def test_a_reload_keeps_what_still_applies_and_says_what_it_dropped(example):
    import pathlib

    app = DealmonApp([example], now=Clock(), watch=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        seen = Recorder(app).notices
        await pilot.press("n", "enter")
        await pilot.pause()
        assert "notice:anthropic-spacex:2026-11-29:buyer" in text_of(app.query_one("#what-if"))
        deals = pathlib.Path(example) / "deals.yaml"
        deals.write_text(deals.read_text().replace("Anthropic", "Anthropic PBC"), encoding="utf-8")
        app.reload()
        await loaded(pilot)
        assert "notice:anthropic-spacex:2026-11-29:buyer" in text_of(app.query_one("#what-if"))
        # the files now let only the provider give notice: the assumption is refused and dropped
        text = deals.read_text().replace("parties: either", "parties: provider", 1)
        assert text != deals.read_text()
        deals.write_text(text, encoding="utf-8")
        app.reload()
        await loaded(pilot)
        assert not app.query_one("#what-if").display and "WHAT-IF" not in status(app)
        assert ("what-if dropped: 'notice:anthropic-spacex:2026-11-29:buyer': notice by the buyer, but only "
                "the provider may give notice") in seen
