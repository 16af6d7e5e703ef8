"""Issue 13's figures ("speed and memory, round two"), each against its target, measured side by
side with its reference in this run.

    python bench/round2.py [--runs 3] [--huge 100000]

- seed deal on screen (the example, 80x24 pty) vs a bare Textual app's first frame: <= 1.3x for
  a start again (the reopen screen of the session before); a first start (no cache) is shown
  for information
- 10,000 deals: one `]` (as-of + 1 day) -> the new date on screen, median, in a real pty at
  160x48 (the header shows the date of the figures on screen, so it moves with them): <= 0.3 s;
  also at 80x24, and headless (Pilot), whose idle waits add ~50 ms
- 10,000 deals in 100 files, unchanged since the last run: start -> deals on screen (pty) vs
  the bare app's first frame: <= 2x (also shown: the same start with the reopen screens set
  aside, which loads the units and evaluates before it shows)
- `dealmon check`, 10,000 deals: peak RSS: <= 80 MB
- the monitor with 10,000 deals loaded: peak RSS: <= 120 MB
- with --huge N (bench/run's full pass: 100,000): the monitor's peak RSS <= 800 MB and its time
  per deal to screen <= 1.1x that of 10,000 deals
"""
from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import date, timedelta

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.dirname(HERE))

from first_paint import BARE, no_cache, pty_app, time_to_marker  # noqa: E402
from generate import write_portfolio  # noqa: E402

AS_OF = "2026-11-29"


def row(figure: str, value: float, unit: str, target: float | None, fmt: str = ".2f") -> None:
    ok = "" if target is None else ("yes" if value <= target else "MISSED")
    shown = f"<= {target:g}" if target is not None else ""
    print(f"{figure + f' ({unit})' if unit else figure:<58} {value:>10{fmt}} {shown:>10}  {ok}")


def seed_deal_ratio(runs: int) -> tuple[float, float, float]:
    """(first start, a start again on the same files and size, a bare app's first frame):
    medians of seconds to the seed deal on screen, alternating. A first start finds no cache;
    a start again finds the reopen screen of a session before (`tui/screenstore.py`)."""
    first, again, bare = [], [], []
    ours = [sys.executable, "-m", "tui", "config"]
    with pty_app(ours) as app:  # the session before: it leaves its reopen screen
        app.wait_for(b"anthropic-spacex")
        time.sleep(1.0)
    for _ in range(runs):
        with no_cache(), pty_app(ours) as app:
            first.append(app.wait_for(b"anthropic-spacex"))
        with pty_app(ours) as app:
            again.append(app.wait_for(b"anthropic-spacex"))
        bare.append(time_to_marker([sys.executable, "-c", BARE], b"BARE-READY"))
    return statistics.median(first), statistics.median(again), statistics.median(bare)


async def _one_day_moves(path: str, moves: int) -> list[float]:
    """Seconds from `]` to the new date's figures painted, `moves` times (as `dealmon` runs:
    watching off, loaded data frozen). The harness waits on the App handing a view of the new
    date to its screens, not by polling (polling the event loop every few ms slowed the
    evaluation worker by a third)."""
    from tui.app import DealmonApp

    app = DealmonApp([path], as_of=date.fromisoformat(AS_OF), watch=False, freeze_data=True)
    shown = asyncio.Event()
    target = [0]
    refresh_view = app.refresh_view

    def refresh_and_tell(view=None):
        refresh_view(view)
        if app.view is not None and app.view.evaluation.as_of.toordinal() == target[0]:
            shown.set()
    app.refresh_view = refresh_and_tell  # type: ignore[method-assign]
    times = []
    async with app.run_test(size=(160, 48)) as pilot:
        for _ in range(1200):
            await pilot.pause(0.05)
            if app.view is not None and not app.loading:
                break
        await pilot.pause(1.0)  # the first load's full collection (core.perf.FrozenData)
        for _ in range(moves):
            target[0] = app.as_of.toordinal() + 1
            shown.clear()
            started = time.perf_counter()
            await pilot.press("right_square_bracket")
            await asyncio.wait_for(shown.wait(), 60)
            await pilot.pause()  # the repaint
            times.append(time.perf_counter() - started)
    return times


def one_day_moves_in_a_pty(path: str, moves: int, size: tuple[int, int] = (160, 48)) -> list[float]:
    """Seconds from `]` written to the terminal to the new date in its output (the header
    shows the date of the figures on screen: it moves with them), `moves` times, in a real
    pseudo-terminal, as an independent harness sees it."""
    env_before = os.environ.get("DEALMON_NO_CACHE")
    os.environ["DEALMON_NO_CACHE"] = "1"
    try:
        with pty_app([sys.executable, "-m", "tui", path, "--as-of", AS_OF], size=size) as app:
            app.wait_for(b"d000000", timeout=600)
            time.sleep(3.0)  # the first load's full collection (core.perf.FrozenData)
            day, times = date.fromisoformat(AS_OF), []
            for _ in range(moves):
                day += timedelta(days=1)
                started = time.perf_counter()
                os.write(app.master, b"]")
                app.wait_for(f"as of {day}".encode(), timeout=60)
                times.append(time.perf_counter() - started)
                time.sleep(0.5)
            return times
    finally:
        if env_before is None:
            os.environ.pop("DEALMON_NO_CACHE", None)


@contextlib.contextmanager
def without_screens() -> Iterator[None]:
    """The reopen screens set aside (the units stay): a start that loads before it shows."""
    folder = os.path.join(os.environ["XDG_CACHE_HOME"], "dealmon", "screens")
    aside = folder + ".aside"
    os.rename(folder, aside)
    try:
        yield
    finally:
        shutil.rmtree(folder, ignore_errors=True)  # (what the start in between wrote)
        os.rename(aside, folder)


def peak_rss_of_check(path: str) -> float:
    """Peak RSS (MB) of `dealmon check` on `path`, in a fresh process without the cache."""
    code = ("import resource, subprocess, sys\n"
            f"subprocess.run([sys.executable, '-m', 'tui', 'check', {path!r}, '--as-of', {AS_OF!r}], "
            "stdout=subprocess.DEVNULL, env=dict(__import__('os').environ, DEALMON_NO_CACHE='1'))\n"
            "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    return int(out.split()[-1]) / 1024


def monitor_on_screen(path: str, marker: bytes = b"d000000", stay: float = 1.0) -> tuple[float, float]:
    """(seconds to the first deal on screen, peak RSS MB once loaded) of the monitor on `path`;
    `stay`: seconds it is left open after (a session that stores the reopen cache: 8)."""
    with pty_app([sys.executable, "-m", "tui", path, "--as-of", AS_OF], size=(160, 48)) as app:
        seconds = app.wait_for(marker, timeout=600)
        time.sleep(stay)
        return seconds, app.peak_rss_mb()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--huge", type=int, default=0, help="also measure a portfolio of this many deals")
    a = ap.parse_args()
    # The monitors here keep their reopen cache in a cache directory of this run's own.
    os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="dealmon-bench-cache-")
    print(f"{'figure':<58} {'value':>10} {'target':>10}  ok")
    first, again, bare = seed_deal_ratio(a.runs)
    row("seed deal on screen, the example: a first start", first, "s", None)
    row("  started again (the reopen screen)", again, "s", None)
    row("  a bare app's first frame", bare, "s", None)
    row("  ratio, first start (information)", first / bare, "x", None)
    row("  ratio, started again", again / bare, "x", 1.3)
    with tempfile.TemporaryDirectory() as tmp:
        single = os.path.join(tmp, "big.yaml")
        write_portfolio(10_000, 500, single)
        moves = one_day_moves_in_a_pty(single, max(4, a.runs * 3))
        row("10,000 deals: one ] -> the new date on screen (pty), median", statistics.median(moves), "s", 0.3)
        moves = one_day_moves_in_a_pty(single, max(4, a.runs * 3), size=(80, 24))
        row("  the same at 80x24", statistics.median(moves), "s", None)
        moves = asyncio.run(_one_day_moves(single, max(3, a.runs * 2)))
        row("  headless (Pilot: key to the repaint, idle waits included)", statistics.median(moves), "s", None)
        split = os.path.join(tmp, "split")
        write_portfolio(10_000, 500, split, files=100)
        monitor_on_screen(split, stay=8.0)  # the run before, a session that keeps the reopen cache
        again, bare_first, units_only = [], [], []
        for _ in range(a.runs):
            again.append(monitor_on_screen(split)[0])
            bare_first.append(time_to_marker([sys.executable, "-c", BARE], b"BARE-READY"))
            with without_screens():
                units_only.append(monitor_on_screen(split)[0])
        row("10,000 deals in 100 unchanged files: start -> deals on screen", statistics.median(again), "s", None)
        row("  vs a bare app's first frame", statistics.median(again) / statistics.median(bare_first), "x", 2.0)
        row("  without the reopen screen (units read back, evaluated)", statistics.median(units_only), "s", None)
        row("dealmon check, 10,000 deals: peak RSS", peak_rss_of_check(single), "MB", 80, ".0f")
        # A first start (nothing in the reopen cache) at 10,000 and at 100,000 deals.
        os.environ["DEALMON_NO_CACHE"] = "1"
        seconds_10k, rss_10k = monitor_on_screen(single)
        row("monitor, 10,000 deals loaded: peak RSS", rss_10k, "MB", 120, ".0f")
        if a.huge:
            huge = os.path.join(tmp, "huge.yaml")
            write_portfolio(a.huge, 500, huge)
            seconds, rss = monitor_on_screen(huge)
            row(f"monitor, {a.huge:,} deals loaded: peak RSS", rss, "MB", 800, ".0f")
            per_deal = (seconds / a.huge) / (seconds_10k / 10_000)
            row(f"  time per deal to screen vs 10,000 deals ({seconds:.1f} s)", per_deal, "x", 1.1)


if __name__ == "__main__":
    main()
