"""The reopen screen (`tui/screenstore.py`): a start on the same files, date and terminal size
shows the panes as they were at once, holds the keys that need the data until it is loaded,
and never shows a copy of other files, another day or another size."""
from __future__ import annotations

import json
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from conftest import loaded
from test_app import status, table_rows, text_of

from tui.app import DealmonApp
from tui.rows.deals import SORTS
from tui.screens.details import DetailsScreen
from tui.screenstore import ScreenStore, Undecodable, decode

NOW = datetime(2026, 11, 29, 20, 0, tzinfo=UTC)  # 12:00 in Los Angeles (the example's zone)
SIZE = (80, 24)


def shown(app) -> dict[str, object]:
    """Everything the panes and the header show."""
    return {"deals": table_rows(app, "deal-table"), "events": table_rows(app, "event-table"),
            "exits": text_of(app.query_one("#exits-body")),
            "capacity": [text_of(app.query_one(f"#{i}")) for i in ("capacity-totals", "timeline", "capacity-providers")],
            "titles": [str(app.query_one(f"#{i}").border_title) for i in ("terms", "countdowns", "capacity")]}


def entries() -> list[Path]:
    folder = Path(os.environ["XDG_CACHE_HOME"]) / "dealmon" / "screens"
    return sorted(folder.glob("*.json")) if folder.exists() else []


async def first_session(paths: list[str], size: tuple[int, int] = SIZE, now: datetime = NOW) -> dict[str, object]:
    """A session that loads, shows and leaves its reopen screen; returns what it showed."""
    app = DealmonApp(paths, now=lambda: now)
    async with app.run_test(size=size) as pilot:
        await loaded(pilot)
        await copy_settled(pilot)
        return shown(app)


async def copy_settled(pilot) -> None:
    """Wait until the App has taken (or declined) its copy: COPY_SCREEN_AFTER_SECONDS after the
    data, later on a busy machine."""
    await pilot.pause()
    for _ in range(100):
        if pilot.app._copy_timer is None:
            return
        await pilot.pause(0.1)
    raise AssertionError("the copy was never taken")


def HeldLoad(paths: list[str], now) -> DealmonApp:
    """A monitor whose loads wait until `app.release()`: what shows before the data arrives."""
    app = DealmonApp(paths, now=now)
    held: list[object] = []
    app.reload = held.append  # type: ignore[method-assign]

    def release() -> None:
        DealmonApp.reload(app, held.pop() if held else None)
    app.release = release  # type: ignore[attr-defined]
    return app


async def test_a_start_on_the_same_files_shows_the_last_screen_before_loading(example):
    before = await first_session([example])
    assert len(entries()) == 1
    app = HeldLoad([example], now=lambda: NOW)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.view is None and app.portfolio is None  # nothing loaded yet
        assert shown(app) == before
        assert table_rows(app, "deal-table")[0][0] == "anthropic-spacex"
        # the header: the copy's date and count, and that the files are loading
        assert "ok · 2 deals · loading… · as of 2026-11-29 (today)" in status(app)
        assert "loaded" not in status(app)
        # the line under the countdowns says what the event under the cursor asks, as before
        assert text_of(app.query_one("#event-asks")).startswith("google-spacex, 2027-01-01: ")
        app.release()
        await loaded(pilot)
        assert app.screen_copy is None and app.view is not None
        assert shown(app) == before
        assert "loaded 12:00:00" in status(app)


async def test_keys_pressed_before_the_data_run_once_it_is_there(example):
    await first_session([example])
    app = HeldLoad([example], now=lambda: NOW)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("down", "enter")  # the details of the second deal
        await pilot.pause()
        assert not isinstance(app.screen, DetailsScreen)
        app.release()
        await loaded(pilot)
        await pilot.pause()
        assert isinstance(app.screen, DetailsScreen) and app.screen.deal_id == "google-spacex"


async def test_a_filter_typed_on_the_copy_applies_when_the_data_arrives(example):
    await first_session([example])
    app = HeldLoad([example], now=lambda: NOW)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("slash", "g", "o", "o")
        await pilot.pause()
        assert app.main.query_one("#deal-filter").value == "goo"
        app.release()
        await loaded(pilot)
        await pilot.pause(0.3)  # (the other panes follow the filter after a pause in typing)
        assert [row[0] for row in table_rows(app, "deal-table")] == ["google-spacex"]
        assert "filter: goo" in str(app.query_one("#terms").border_title)
        assert all(row[3].startswith("google-spacex") for row in table_rows(app, "event-table"))


async def test_a_date_move_before_the_data_never_shows_the_new_date_over_the_copy(example):
    await first_session([example])
    app = HeldLoad([example], now=lambda: NOW)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("right_square_bracket")
        await pilot.pause()
        assert "as of 2026-11-29" in status(app) and "2026-11-30" not in status(app)
        app.release()
        await loaded(pilot)
        assert "as of 2026-11-30 ★ not today" in status(app)
        assert table_rows(app, "deal-table")[0][2] == "913 days"


@pytest.mark.parametrize("change", ["file", "size", "day"])
async def test_no_copy_of_other_files_another_size_or_another_day(example, change):
    await first_session([example])
    size, now = SIZE, NOW
    if change == "file":
        deals = Path(example) / "deals.yaml"
        deals.write_text(deals.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    elif change == "size":
        size = (100, 30)
    else:  # following today: the next day's start must not show yesterday's countdowns
        now = NOW + timedelta(days=1)
    app = HeldLoad([example], now=lambda: now)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        assert app.screen_copy is None
        assert table_rows(app, "deal-table") == []
        app.release()
        await loaded(pilot)
        assert table_rows(app, "deal-table")[0][0] == "anthropic-spacex"


def _forged(entry: dict, where: str) -> dict:
    entry = json.loads(json.dumps(entry))
    if where == "control":
        entry["deal_table"]["rows"][0][0][0] = "\x1b[2Janthropic"
    elif where == "style":
        entry["capacity"][0][2][0][2] = "bold not-a-colour"
    elif where == "cell-style":
        entry["deal_table"]["rows"][0][0][1] = "[@click=quit]"
    elif where == "shape":
        entry["deal_table"]["widths"].pop()
    elif where == "format":
        entry["format"] = 0
    return entry


@pytest.mark.parametrize("where", ["control", "style", "cell-style", "shape", "format", "truncated"])
async def test_a_forged_or_damaged_entry_is_a_miss(example, where):
    await first_session([example])
    [path] = entries()
    entry = json.loads(path.read_text(encoding="utf-8"))
    decode(entry)  # (sound as written)
    if where == "truncated":
        path.write_text(path.read_text(encoding="utf-8")[:-40], encoding="utf-8")
    else:
        with pytest.raises(Undecodable):
            decode(_forged(entry, where))
        path.write_text(json.dumps(_forged(entry, where)), encoding="utf-8")
    app = HeldLoad([example], now=lambda: NOW)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.screen_copy is None and table_rows(app, "deal-table") == []


async def test_a_session_closed_at_once_still_leaves_its_copy(example, monkeypatch):
    """q (or SIGTERM) within a moment of the data: the copy due is taken on the way out, once
    the capacity texts were made for the laid-out width."""
    monkeypatch.setattr("tui.app.COPY_SCREEN_AFTER_SECONDS", 60.0)  # (due, not yet taken)
    app = DealmonApp([example], now=lambda: NOW)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.pause()
        assert app._copy_timer is not None and entries() == []  # (not taken yet)
        before = shown(app)
        await pilot.press("q")
    [path] = entries()
    copy = decode(json.loads(path.read_text(encoding="utf-8")))
    assert copy.capacity[1].plain == before["capacity"][1]  # the timeline at the pane's width


async def test_a_comment_edited_in_a_session_leaves_a_copy_of_the_new_files(example):
    """The same screen for other files (a comment edited, reloaded) is written under their key:
    the next start on them finds it."""
    app = DealmonApp([example], now=lambda: NOW, watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await copy_settled(pilot)
        assert len(entries()) == 1
        deals = Path(example) / "deals.yaml"
        deals.write_text(deals.read_text(encoding="utf-8") + "# a comment\n", encoding="utf-8")
        app.reload()
        await loaded(pilot)
        await copy_settled(pilot)
        assert len(entries()) == 2
    again = HeldLoad([example], now=lambda: NOW)
    async with again.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert again.screen_copy is not None


async def test_only_the_screen_a_start_shows_is_copied(example):
    app = DealmonApp([example], now=lambda: NOW)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await copy_settled(pilot)
        [entry] = entries()
        main = app.main
        assert main.copy("UTC") is not None
        await pilot.press("s")  # another sort
        assert main.copy("UTC") is None
        await pilot.press(*["s"] * (len(SORTS) - 1))
        assert main.copy("UTC") is not None
        await pilot.press("S")  # reversed
        assert main.copy("UTC") is None
        await pilot.press("S", "slash", "g", "o")  # a filter
        await pilot.pause()
        assert main.copy("UTC") is None
        await pilot.press("escape")
        assert main.copy("UTC") is not None
        await pilot.press("up", "n")  # a what-if: notice on anthropic-spacex today
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert app.assumptions and main.copy("UTC") is None
        await pilot.press("x")
        await pilot.pause()
        assert main.copy("UTC") is not None
        await copy_settled(pilot)  # (the copy due after dropping the what-if)
        entry.unlink()
        app._copy_kept = None  # (what was last written is not written again)
        await pilot.press("right_square_bracket")  # another date than the start's
        await copy_settled(pilot)
        assert entries() == []
        await pilot.press("t")  # back to the start's
        await copy_settled(pilot)
        assert len(entries()) == 1


async def test_served_and_no_cache_keep_no_copy(example, monkeypatch):
    app = DealmonApp([example], now=lambda: NOW, served=True)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await copy_settled(pilot)
    assert entries() == []
    monkeypatch.setenv("DEALMON_NO_CACHE", "1")
    assert ScreenStore.open() is None
    await first_session([example])
    assert entries() == []


async def test_an_invalid_file_replaces_the_copy_with_its_errors(example):
    """The copy shows until the load; files that became invalid behind an unchanged digest
    cannot happen, but errors from the load (a bug) must still replace the copy."""
    await first_session([example])
    app = HeldLoad([example], now=lambda: NOW)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.screen_copy is not None
        await pilot.press("enter")  # held for the data...
        app._load_failed(RuntimeError("boom"))
        await pilot.pause()
        assert app.screen_copy is None and app.main.has_class("no-data")
        assert "internal error while loading" in text_of(app.query_one("#errors-body"))
        app.release()  # ...which errors replaced: the key is not run when data comes later
        await loaded(pilot)
        await pilot.pause()
        assert app.view is not None and not isinstance(app.screen, DetailsScreen)
