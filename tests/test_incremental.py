"""Incremental work on reload: unchanged deals keep their evaluated state, their rows and their
cell widths; what changed is shown, and the results equal a fresh evaluation."""
from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from conftest import loaded

from tui.app import DealmonApp
from tui.core.changes import compare
from tui.core.evaluate import evaluate
from tui.core.loader import LoadCache, load
from tui.rows.deals import COLUMNS
from tui.widgets.virtual_table import VirtualTable

T = date(2026, 11, 29)
NOW = datetime(2026, 11, 29, 20, 0, tzinfo=UTC)
PROVIDERS = "version: 1\nproviders:\n  p: {name: Provider P}\nfacilities:\n  f: {name: Site F, operator: p, power_mw: 100}\n"


def deals(*items: tuple[str, str, str]) -> str:
    """Deals as (id, buyer, end)."""
    out = "deals:\n"
    for ident, buyer, end in items:
        out += (f"  {ident}:\n    buyer: {buyer}\n    provider: p\n    start: 2026-01-01\n    end: {end}\n"
                "    notice: {period: 90 days, parties: either}\n    capacity:\n      - facility: f\n        share: 10%\n")
    return out


def portfolio_dir(tmp_path: Path) -> Path:
    d = tmp_path / "cfg"
    d.mkdir()
    (d / "0-providers.yaml").write_text(PROVIDERS)
    (d / "1-deals.yaml").write_text(deals(("a", "Alpha", "2027-06-01"), ("b", "Beta", "2028-01-01")))
    (d / "2-deals.yaml").write_text(deals(("c", "Gamma", "2027-03-01")))
    return d


def test_states_of_unchanged_deals_are_reused_and_equal_a_fresh_evaluation(tmp_path):
    d = portfolio_dir(tmp_path)
    cache = LoadCache()
    first = evaluate(load([str(d)], cache=cache).portfolio, T)
    (d / "2-deals.yaml").write_text(deals(("c", "Gamma", "2027-04-01")))
    portfolio = load([str(d)], cache=cache).portfolio
    again = evaluate(portfolio, T, first)
    assert again.deals["a"] is first.deals["a"] and again.deals["b"] is first.deals["b"]
    assert again.deals["c"] is not first.deals["c"] and again.deals["c"].exit_date == date(2027, 4, 1)
    assert repr(again) == repr(evaluate(portfolio, T))  # the same numbers as from scratch
    # Another date or other settings: nothing is reused.
    other_day = evaluate(portfolio, date(2026, 12, 1), again)
    assert all(other_day.deals[i] is not again.deals[i] for i in "abc")
    assert other_day.deals["a"].events[0].days_left == again.deals["a"].events[0].days_left - 2
    # What changed is still reported although most states were reused.
    changes = compare(first, again)
    assert changes.moved == ["c: exit date 2027-03-01 → 2027-04-01", "c: term end 2027-03-01 → 2027-04-01"]


def test_capacity_is_recomputed_when_a_facility_changes_under_reused_lines(tmp_path):
    d = portfolio_dir(tmp_path)
    cache = LoadCache()
    first = evaluate(load([str(d)], cache=cache).portfolio, T)
    assert first.capacity.totals.power_mw == 30  # three deals x 10% of 100 MW
    (d / "0-providers.yaml").write_text(PROVIDERS.replace("power_mw: 100", "power_mw: 200"))
    portfolio = load([str(d)], cache=cache).portfolio
    again = evaluate(portfolio, T, first)
    assert again.capacity.totals.power_mw == 60
    assert repr(again.capacity) == repr(evaluate(portfolio, T).capacity)


async def test_a_reload_keeps_unchanged_rows_and_follows_a_renamed_provider(tmp_path):
    d = portfolio_dir(tmp_path)
    app = DealmonApp([str(d)], now=lambda: NOW, watch=False)
    async with app.run_test(size=(160, 48)) as pilot:
        await loaded(pilot)
        table = app.query_one("#deal-table", VirtualTable)
        events = app.query_one("#event-table", VirtualTable)
        before = dict(table.rows)
        entries = dict(app.view.deal_rows.built)
        event_rows, event_cells = dict(events.rows), dict(app.view.event_rows.fixed)
        (d / "2-deals.yaml").write_text(deals(("c", "Delta", "2027-03-01")))
        app.reload()
        await loaded(pilot)
        after = table.rows
        kept = app.view.deal_rows.built
        assert kept["a"] is entries["a"] and kept["b"] is entries["b"]  # not built again
        assert after["a"] == before["a"] and after["b"] == before["b"]
        assert after["c"][PARTIES][0] == "Delta → Provider P"
        assert all(app.view.event_rows.fixed[k] is event_cells[k] and events.rows[k] == row
                   for k, row in event_rows.items() if k[0] != "c")
        assert table.column_widths[PARTIES] == len("Delta → Provider P") + 1  # the widths follow the rows

        (d / "0-providers.yaml").write_text(PROVIDERS.replace("Provider P", "Provider Q"))
        app.reload()
        await loaded(pilot)
        assert [table.rows[i][PARTIES][0] for i in "abc"] == [
            "Alpha → Provider Q", "Beta → Provider Q", "Delta → Provider Q"]
        await pilot.press("slash", *"site f")  # facility names are searched: still all three
        assert table.row_count == 3


PARTIES = [c[0] for c in COLUMNS].index("parties")


def days_number(text: str) -> int:
    """'today' -> 0, '1 day' -> 1, '1,234 days' -> 1234."""
    return 0 if text == "today" else int(text.split()[0].replace(",", ""))


async def test_time_travel_on_a_large_portfolio_evaluates_in_a_worker(tmp_path, monkeypatch):
    import tui.app
    import tui.loading

    monkeypatch.setattr(tui.loading, "INLINE_DEALS", 1)  # every portfolio counts as large
    d = portfolio_dir(tmp_path)
    app = DealmonApp([str(d)], as_of=T, now=lambda: NOW, watch=False)
    async with app.run_test(size=(160, 48)) as pilot:
        await loaded(pilot)
        events = app.query_one("#event-table", VirtualTable)
        days = {key: row[1][0] for key, row in events.rows.items()}
        started = []  # the dates of the evaluations started (each in a worker here)
        prepare = tui.app.prepare_view

        def recording(portfolio, as_of, *args, **kwargs):
            started.append(as_of)
            return prepare(portfolio, as_of, *args, **kwargs)
        monkeypatch.setattr(tui.app, "prepare_view", recording)
        await pilot.press("right_square_bracket", "right_square_bracket")
        assert app.as_of == date(2026, 12, 1)
        for _ in range(200):
            await pilot.pause(0.01)
            if not app.evaluating and app.view.evaluation.as_of == app.as_of:
                break
        assert app.view.evaluation.as_of == date(2026, 12, 1)
        assert 1 <= len(started) <= 2  # one at a time: a key pressed meanwhile only moves the date
        after = {key: row[1][0] for key, row in events.rows.items()}
        assert all(days_number(after[k]) == days_number(days[k]) - 2 for k in days if k in after)
        assert "evaluating" not in str(app.query_one("#status").render())


async def test_the_header_never_shows_a_date_over_figures_of_another(tmp_path, monkeypatch):
    """While a new as-of date is evaluated in a worker, the header keeps the date of the
    figures on screen and says which date is on its way; a quick date move then runs on the
    event loop (and the header moves with the figures)."""
    import threading

    import tui.app
    import tui.loading

    monkeypatch.setattr(tui.loading, "INLINE_DEALS", 1)  # every portfolio counts as large
    d = portfolio_dir(tmp_path)
    app = DealmonApp([str(d)], as_of=T, now=lambda: NOW, watch=False)
    release = threading.Event()
    prepare = tui.app.prepare_view
    monkeypatch.setattr(tui.app, "INLINE_MOVE_SECONDS", -1.0)  # no evaluation counts as quick

    def held(*args, **kwargs):
        release.wait(10)
        return prepare(*args, **kwargs)
    async with app.run_test(size=(160, 48)) as pilot:
        await loaded(pilot)
        monkeypatch.setattr(tui.app, "prepare_view", held)
        await pilot.press("right_square_bracket")
        await pilot.pause(0.05)
        header = str(app.query_one("#status").render())
        assert f"as of {T}" in header and "evaluating 2026-11-30…" in header
        assert app.view.evaluation.as_of == T and app.evaluating
        release.set()
        for _ in range(200):
            await pilot.pause(0.01)
            if app.view.evaluation.as_of == date(2026, 11, 30):
                break
        await pilot.pause()
        header = str(app.query_one("#status").render())
        assert "as of 2026-11-30" in header and "evaluating" not in header
        # A quick move (in the worker) makes the next one run on the event loop: no worker.
        monkeypatch.setattr(tui.app, "INLINE_MOVE_SECONDS", 10.0)
        await pilot.press("right_square_bracket")
        for _ in range(200):
            await pilot.pause(0.01)
            if app.view.evaluation.as_of == date(2026, 12, 1):
                break
        started = []
        monkeypatch.setattr(app, "run_worker", lambda *a, **k: started.append(k.get("group")))
        await pilot.press("right_square_bracket")
        await pilot.pause()
        assert app.view.evaluation.as_of == date(2026, 12, 2) and "view" not in started
