"""Live reload against a running app: real file changes in temp directories, asserted on widgets."""
from __future__ import annotations

import asyncio
import os
import shutil
import signal
import subprocess
import time
from datetime import UTC, datetime

import pytest
from conftest import permission_checks

from tui.app import DealmonApp

NOW = datetime(2026, 11, 29, 20, 0, tzinfo=UTC)


def body(*deals: tuple[str, str], extra: str = "") -> str:
    """A portfolio of deals given as (id, buyer)."""
    out = "providers:\n  p: {name: P}\ndeals:\n" + extra
    for ident, buyer in deals:
        out += f"  {ident}:\n    buyer: {buyer}\n    provider: p\n    start: 2026-01-01\n    end: 2027-06-01\n"
    return out


def rows(app):
    table = app.query_one("#deal-table")
    parties = [c[0] for c in table.columns].index("parties")
    return [(str(table.get_row_at(i)[0]).strip(), str(table.get_row_at(i)[parties]).strip().split(" →")[0])
            for i in range(table.row_count)]


def status(app) -> str:
    return str(app.query_one("#status").render())


async def until(pilot, predicate, timeout: float = 5.0) -> float:
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        await pilot.pause(0.02)
        if predicate():
            return time.monotonic() - started
    raise AssertionError(f"not true within {timeout}s")


class Recorder:
    """Wraps apply_load and notify to see every load the app applied and every notice."""

    def __init__(self, app: DealmonApp) -> None:
        self.loads: list[list[str] | None] = []
        self.notices: list[str] = []
        apply, notify = app.apply_load, app.notify

        def apply_load(result, evaluation=None):
            self.loads.append(sorted(result.portfolio.deals) if result.ok else None)
            apply(result, evaluation)

        def record_notify(message, **kwargs):
            self.notices.append(message)
            notify(message, **kwargs)
        app.apply_load = apply_load
        app.notify = record_notify


@pytest.fixture
def cfg(tmp_path):
    d = tmp_path / "cfg"
    d.mkdir()
    (d / "deals.yaml").write_text(body(("a", "Alpha"), ("b", "Beta")), encoding="utf-8")
    return d


async def start(pilot):
    await until(pilot, lambda: pilot.app.result is not None and not pilot.app.loading)
    await until(pilot, lambda: pilot.app.watch_mode in ("watching",) or pilot.app.watch_mode.startswith("polling"))
    await pilot.pause(0.1)


async def test_in_place_overwrite(cfg):
    app = DealmonApp([str(cfg)], now=lambda: NOW)
    async with app.run_test(size=(120, 40)) as pilot:
        await start(pilot)
        assert rows(app) == [("a", "Alpha"), ("b", "Beta")]
        with open(cfg / "deals.yaml", "w", encoding="utf-8") as fh:  # truncate + write, same inode
            fh.write(body(("a", "Alpha2"), ("b", "Beta")))
        await until(pilot, lambda: rows(app) == [("a", "Alpha2"), ("b", "Beta")])


async def test_atomic_rename_save_and_sed(cfg):
    app = DealmonApp([str(cfg)], now=lambda: NOW)
    rec = Recorder(app)
    async with app.run_test(size=(120, 40)) as pilot:
        await start(pilot)
        tmp = cfg / ".deals.yaml.tmp123"
        tmp.write_text(body(("a", "Renamed"), ("b", "Beta")), encoding="utf-8")
        os.replace(tmp, cfg / "deals.yaml")  # create + write + close + rename: one save, one reload
        await until(pilot, lambda: rows(app)[0] == ("a", "Renamed"))
        await pilot.pause(0.5)
        assert len(rec.loads) == 2  # the first load, then exactly one for the save
        subprocess.run(["sed", "-i", "s/Renamed/Sedded/", str(cfg / "deals.yaml")], check=True)
        await until(pilot, lambda: rows(app)[0] == ("a", "Sedded"))
        # and again: a watch on the old inode would be dead by now
        os.replace(cfg / "deals.yaml", cfg / "deals.yaml~")  # vim: backup by rename, then write anew
        (cfg / "deals.yaml").write_text(body(("a", "Vim"), ("b", "Beta")), encoding="utf-8")
        await until(pilot, lambda: rows(app)[0] == ("a", "Vim"))


async def test_delete_and_recreate_a_named_file(tmp_path):
    path = tmp_path / "deals.yaml"
    path.write_text(body(("a", "Alpha")), encoding="utf-8")
    app = DealmonApp([str(path)], now=lambda: NOW)
    async with app.run_test(size=(120, 40)) as pilot:
        await start(pilot)
        path.unlink()
        await until(pilot, lambda: "STALE" in status(app))
        assert rows(app) == [("a", "Alpha")]  # the last good data stays
        assert f"{path}:1:1: no such file or directory" in str(app.query_one("#errors-body").render())
        path.write_text(body(("a", "Back")), encoding="utf-8")
        await until(pilot, lambda: rows(app) == [("a", "Back")] and "STALE" not in status(app))
        assert not app.query_one("#errors").display


async def test_files_added_and_removed_in_a_watched_directory(cfg):
    app = DealmonApp([str(cfg)], now=lambda: NOW)
    rec = Recorder(app)
    async with app.run_test(size=(120, 40)) as pilot:
        await start(pilot)
        (cfg / "more.yaml").write_text("deals:\n  c:\n    buyer: Gamma\n    provider: p\n    start: 2026-01-01\n",
                                       encoding="utf-8")
        await until(pilot, lambda: [r[0] for r in rows(app)] == ["a", "b", "c"])
        await until(pilot, lambda: any(n.startswith("1 added") and "+ c" in n for n in rec.notices))
        (cfg / "more.yaml").unlink()
        await until(pilot, lambda: [r[0] for r in rows(app)] == ["a", "b"])
        await until(pilot, lambda: any(n.startswith("1 removed") for n in rec.notices))
        # editor leftovers are not config and change nothing
        loads = len(rec.loads)
        (cfg / ".deals.yaml.swp").write_text("junk", encoding="utf-8")
        (cfg / "deals.yaml~").write_text("junk: [", encoding="utf-8")
        await pilot.pause(0.6)
        assert len(rec.loads) == loads


async def test_symlinked_configmap_swapped_twice(tmp_path):
    # The Kubernetes ConfigMap layout: deals.yaml -> ..data/deals.yaml, ..data -> ..2026_v1
    d = tmp_path / "cm"
    d.mkdir()

    def version(name, buyer):
        (d / name).mkdir()
        (d / name / "deals.yaml").write_text(body(("a", buyer)), encoding="utf-8")

    version("..2026_v1", "One")
    os.symlink("..2026_v1", d / "..data")
    os.symlink("..data/deals.yaml", d / "deals.yaml")
    app = DealmonApp([str(d)], now=lambda: NOW)
    async with app.run_test(size=(120, 40)) as pilot:
        await start(pilot)
        assert rows(app) == [("a", "One")]
        for n, buyer in ((2, "Two"), (3, "Three")):
            version(f"..2026_v{n}", buyer)
            os.symlink(f"..2026_v{n}", d / "..data_tmp")
            os.replace(d / "..data_tmp", d / "..data")  # the atomic swap; no event names deals.yaml
            shutil.rmtree(d / f"..2026_v{n - 1}")
            await until(pilot, lambda buyer=buyer: rows(app) == [("a", buyer)])


async def test_a_writer_pausing_long_mid_file_is_waited_for(cfg):
    # The first half reads the same for 0.5 s (longer than any settle interval), and parses;
    # the writer still holds the file open for writing, so it is not applied.
    app = DealmonApp([str(cfg)], now=lambda: NOW)
    rec = Recorder(app)
    async with app.run_test(size=(120, 40)) as pilot:
        await start(pilot)
        full = body(("a", "Alpha"), ("b", "Beta"), ("c", "Gamma"))
        half = full[: full.index("  b:")]
        with open(cfg / "deals.yaml", "w", encoding="utf-8") as fh:
            fh.write(half)
            fh.flush()
            await until(pilot, lambda: "saving…" in status(app))  # the header says it waits
            await pilot.pause(3.0)  # longer than any fixed settle loop
            assert rec.loads[1:] == [] and "saving…" in status(app)
            fh.write(full[len(half):])
        await until(pilot, lambda: [r[0] for r in rows(app)] == ["a", "b", "c"])
        assert ["a"] not in rec.loads and "saving…" not in status(app)


def test_open_for_writing(tmp_path):
    from tui.watch import open_for_writing

    path = tmp_path / "x.yaml"
    path.write_text("a: 1\n", encoding="utf-8")
    assert not open_for_writing([str(path)])
    with open(path, encoding="utf-8"):
        assert not open_for_writing([str(path)])  # readers do not count
    with open(path, "a", encoding="utf-8"):
        assert open_for_writing([str(path)])
    assert not open_for_writing([])


async def test_a_file_written_in_two_halves_is_applied_whole(cfg):
    app = DealmonApp([str(cfg)], now=lambda: NOW)
    rec = Recorder(app)
    async with app.run_test(size=(120, 40)) as pilot:
        await start(pilot)
        full = body(("a", "Alpha"), ("b", "Beta"), ("c", "Gamma"), ("d", "Delta"))
        half = full[: full.index("  c:")]  # valid YAML on its own: a truncated portfolio
        with open(cfg / "deals.yaml", "w", encoding="utf-8") as fh:
            fh.write(half)
            fh.flush()
            await asyncio.sleep(0.03)  # the writer pauses mid-file
            fh.write(full[len(half):])
        await until(pilot, lambda: [r[0] for r in rows(app)] == ["a", "b", "c", "d"])
        await pilot.pause(0.3)
        assert ["a", "b"] not in rec.loads[1:]  # the truncated half was never applied


async def test_bad_edit_keeps_data_marked_stale_and_clears_itself(cfg):
    app = DealmonApp([str(cfg)], now=lambda: NOW)
    async with app.run_test(size=(120, 40)) as pilot:
        await start(pilot)
        table = app.query_one("#deal-table")
        await pilot.press("down")
        assert table.cursor_row == 1
        (cfg / "deals.yaml").write_text(body(("a", "Alpha"), ("b", "Beta")) + "  x: [\n", encoding="utf-8")
        await until(pilot, lambda: "STALE: 1 error in the files" in status(app))
        banner = str(app.query_one("#errors-body").render())
        assert f"{cfg}/deals.yaml:" in banner and "invalid YAML" in banner and "the panes show the last good data" in banner
        assert rows(app) == [("a", "Alpha"), ("b", "Beta")] and table.cursor_row == 1
        (cfg / "deals.yaml").write_text(body(("a", "Alpha"), ("b", "Beta")), encoding="utf-8")
        await until(pilot, lambda: "STALE" not in status(app) and not app.query_one("#errors").display)


async def test_cursor_filter_sort_and_details_survive_a_reload(cfg):
    app = DealmonApp([str(cfg)], now=lambda: NOW)
    async with app.run_test(size=(120, 40)) as pilot:
        await start(pilot)
        table = app.query_one("#deal-table")
        await pilot.press("down")  # on b
        while "sort: buyer → provider" not in str(app.query_one("#terms").border_title):
            await pilot.press("s")  # to the parties column
        # rows added above the cursor: it stays on b
        (cfg / "deals.yaml").write_text(body(("a", "Alpha"), ("aa", "Aardvark"), ("b", "Beta")), encoding="utf-8")
        await until(pilot, lambda: [r[0] for r in rows(app)] == ["aa", "a", "b"])
        assert table.cursor_row == 2
        assert "sort: buyer → provider ▲" in str(app.query_one("#terms").border_title)
        # the selected deal disappears: its neighbour takes the cursor, no exception
        (cfg / "deals.yaml").write_text(body(("a", "Alpha"), ("aa", "Aardvark")), encoding="utf-8")
        await until(pilot, lambda: [r[0] for r in rows(app)] == ["aa", "a"])
        assert table.cursor_row == 1
        # details stay open and follow the file
        await pilot.press("enter")
        screen = app.screen
        assert screen.deal_id == "a"
        (cfg / "deals.yaml").write_text(body(("a", "Alpha Renamed"), ("aa", "Aardvark")), encoding="utf-8")
        await until(pilot, lambda: "Alpha Renamed" in str(screen.query_one("#details-body").render()))
        await pilot.press("escape")
        # a filter survives too
        await pilot.press("slash", "a", "a", "enter")
        (cfg / "deals.yaml").write_text(body(("a", "Alpha"), ("aa", "Aardvark"), ("aab", "X")), encoding="utf-8")
        await until(pilot, lambda: [r[0] for r in rows(app)] == ["aa", "aab"])


async def test_sigusr1_reloads_and_sigterm_exits(cfg):
    app = DealmonApp([str(cfg)], now=lambda: NOW, watch=False)
    rec = Recorder(app)
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: app.result is not None and not app.loading)
        (cfg / "deals.yaml").write_text(body(("a", "Signalled")), encoding="utf-8")
        await pilot.pause(0.3)
        assert rows(app)[0] == ("a", "Alpha")  # not watching: nothing yet
        os.kill(os.getpid(), signal.SIGUSR1)
        await until(pilot, lambda: rows(app) == [("a", "Signalled")])
        assert len(rec.loads) == 2
        os.kill(os.getpid(), signal.SIGTERM)
        await until(pilot, lambda: not app.is_running, timeout=5)
    assert app.return_code == 128 + signal.SIGTERM


async def test_polling_fallback_says_so_and_still_sees_changes(cfg, monkeypatch):
    monkeypatch.setenv("DEALMON_POLL", "1")
    app = DealmonApp([str(cfg)], now=lambda: NOW)
    async with app.run_test(size=(160, 40)) as pilot:
        await start(pilot)
        assert app.watch_mode == "polling (DEALMON_POLL is set)"
        assert "polling (DEALMON_POLL is set)" in status(app)
        (cfg / "deals.yaml").write_text(body(("a", "Polled")), encoding="utf-8")
        await until(pilot, lambda: rows(app) == [("a", "Polled")])


async def test_unreadable_file_says_so_and_recovers(cfg):
    app = DealmonApp([str(cfg)], now=lambda: NOW)
    with permission_checks():  # as root too (CI runs as root): the loads run in this thread
        async with app.run_test(size=(120, 40)) as pilot:
            await start(pilot)
            (cfg / "deals.yaml").chmod(0)
            await until(pilot, lambda: "STALE" in status(app))
            assert f"{cfg}/deals.yaml:1:1: cannot read file: Permission denied" in str(
                app.query_one("#errors-body").render())
            (cfg / "deals.yaml").chmod(0o644)
            await until(pilot, lambda: "STALE" not in status(app))


async def test_without_inotify_watchfiles_gives_the_events(cfg, monkeypatch):
    from tui import watch as watcher

    monkeypatch.setattr(watcher.Inotify, "open", classmethod(lambda cls: None))  # as on macOS
    app = DealmonApp([str(cfg)], now=lambda: NOW)
    async with app.run_test(size=(160, 40)) as pilot:
        await start(pilot)
        await until(pilot, lambda: app.watch_mode == "watching")
        import sys
        assert "watchfiles" in sys.modules
        (cfg / "deals.yaml").write_text(body(("a", "Rusty")), encoding="utf-8")
        await until(pilot, lambda: rows(app) == [("a", "Rusty")])


async def test_without_inotify_or_watchfiles_it_polls_and_says_so(cfg, monkeypatch):
    import builtins

    from tui import watch as watcher

    real_import = builtins.__import__

    def no_watchfiles(name, *args, **kwargs):
        if name == "watchfiles":
            raise ImportError("no watchfiles")
        return real_import(name, *args, **kwargs)
    monkeypatch.setattr(builtins, "__import__", no_watchfiles)
    monkeypatch.setattr(watcher.Inotify, "open", classmethod(lambda cls: None))
    app = DealmonApp([str(cfg)], now=lambda: NOW)
    async with app.run_test(size=(160, 40)) as pilot:
        await start(pilot)
        assert app.watch_mode == "polling (watchfiles not installed)"
        (cfg / "deals.yaml").write_text(body(("a", "Polled")), encoding="utf-8")
        await until(pilot, lambda: rows(app) == [("a", "Polled")])


async def test_the_inotify_watch_limit_falls_back_to_polling(cfg, monkeypatch):
    import errno

    from tui import watch as watcher

    def limit(self, dirs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), dirs[0])
    monkeypatch.setattr(watcher.Inotify, "watch_exactly", limit)
    app = DealmonApp([str(cfg)], now=lambda: NOW)
    async with app.run_test(size=(160, 40)) as pilot:
        await start(pilot)
        await until(pilot, lambda: app.watch_mode == "polling (inotify: No space left on device)")
        assert "polling (inotify: No space left on device)" in status(app)
        (cfg / "deals.yaml").write_text(body(("a", "Polled")), encoding="utf-8")
        await until(pilot, lambda: rows(app) == [("a", "Polled")])


def test_inotify_reports_changes_in_a_watched_directory_and_forgets_deleted_ones(tmp_path):
    from tui.watch import Inotify

    inotify = Inotify.open()
    assert inotify is not None  # Linux, where CI runs
    try:
        d = tmp_path / "d"
        d.mkdir()
        inotify.watch_exactly([str(d)])
        assert not inotify.drain()
        (d / "x.yaml").write_text("a: 1")
        assert inotify.drain() and not inotify.drain()
        d.joinpath("x.yaml").unlink()
        d.rmdir()
        assert inotify.drain() and inotify.watches == {}  # the kernel dropped it: so do we
        d.mkdir()
        inotify.watch_exactly([str(d)])
        (d / "y.yaml").write_text("a: 1")
        assert inotify.drain()
        inotify.watch_exactly([])
        inotify.drain()  # (removing a watch queues its IN_IGNORED)
        (d / "z.yaml").write_text("a: 1")
        assert not inotify.drain() and inotify.watches == {}
    finally:
        inotify.close()


async def test_a_watcher_crash_is_shown(cfg, monkeypatch):
    from tui import watch as watcher

    async def broken(self, baseline):
        raise RuntimeError("boom")
    monkeypatch.setattr(watcher.Watcher, "run", broken)
    app = DealmonApp([str(cfg)], now=lambda: NOW)
    async with app.run_test(size=(160, 40)) as pilot:
        await until(pilot, lambda: "not watching: RuntimeError: boom" in status(app))


async def test_a_busy_neighbour_file_is_looked_at_a_few_times_a_second_at_most(cfg, monkeypatch):
    from tui import watch as watcher

    looks = []
    original = watcher.Watcher.check

    async def counted(self, cheap):
        looks.append(cheap)
        await original(self, cheap)
    monkeypatch.setattr(watcher.Watcher, "check", counted)
    app = DealmonApp([str(cfg)], now=lambda: NOW)
    async with app.run_test(size=(160, 40)) as pilot:
        await start(pilot)
        await until(pilot, lambda: app.watch_mode == "watching")
        looks.clear()
        started = time.monotonic()
        with open(cfg / "noise.log", "a", encoding="utf-8") as log:
            while time.monotonic() - started < 1.0:  # a line every ~5 ms, for a second
                log.write("x\n")
                log.flush()
                await asyncio.sleep(0.005)
        event_looks = [cheap for cheap in looks if not cheap]
        assert 1 <= len(event_looks) <= 12  # MIN_CHECK_INTERVAL (0.1 s): about 10 a second at most
        assert rows(app) == [("a", "Alpha"), ("b", "Beta")]  # nothing changed, nothing applied


async def test_every_change_is_kept_in_the_change_log(cfg):
    from tui.screens.change_log import ChangeLogScreen

    app = DealmonApp([str(cfg)], now=lambda: NOW)
    rec = Recorder(app)
    async with app.run_test(size=(100, 30)) as pilot:
        await start(pilot)
        (cfg / "deals.yaml").write_text(body(("a", "Alpha"), ("b", "Beta"), ("c", "Gamma")), encoding="utf-8")
        await until(pilot, lambda: any(n.startswith("1 added") for n in rec.notices))
        text = (cfg / "deals.yaml").read_text().replace("end: 2027-06-01", "end: 2027-05-01", 1)
        (cfg / "deals.yaml").write_text(text, encoding="utf-8")
        await until(pilot, lambda: any("dates moved" in n for n in rec.notices))
        assert all(n.endswith("(L: the change log)") for n in rec.notices if "moved" in n)
        await pilot.press("L")
        assert isinstance(app.screen, ChangeLogScreen)
        log = str(app.screen.query_one("#change-log-body").render()).splitlines()
        # newest first, each with the time of its load and the dates in words
        assert log[2].startswith("20:00:00  ") and "dates moved" in log[2]  # (UTC here)
        assert "          a: exit date 2027-06-01 → 2027-05-01" in log
        assert any(line.startswith("20:00:00  1 added") for line in log) and "          + c" in log
        await pilot.press("escape")
        assert not isinstance(app.screen, ChangeLogScreen)
