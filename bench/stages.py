"""What a large portfolio costs, stage by stage, cold and after a one-file edit:

    python bench/stages.py [--deals 10000] [--files 100] [--runs 3] [--profile STAGE]

The deals are split over --files files. Stages, each the median of --runs, in one process:
parse (the YAML node trees alone), load (files → Portfolio), evaluate (Portfolio → numbers),
rows (both tables' cells and widths, `prepare_view` minus evaluate) — first cold, then again
after one file was edited, with the caches the monitor keeps (LoadCache, the previous
evaluation and rows). This is the breakdown behind bench/big.py's figures; `--profile load`
(or parse, evaluate, rows) prints cProfile's top functions for that cold stage.
"""
from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import tempfile
import time
from datetime import date
from functools import partial

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.dirname(HERE))
from generate import write_portfolio  # noqa: E402

from tui.core.evaluate import evaluate  # noqa: E402
from tui.core.loader import LoadCache, load  # noqa: E402
from tui.core.perf import paused_gc  # noqa: E402
from tui.core.problems import Problems  # noqa: E402
from tui.core.yamlnodes import compose  # noqa: E402
from tui.loading import prepare_view  # noqa: E402

AS_OF = date(2026, 11, 29)


def timed(work) -> tuple[float, object]:
    with paused_gc():
        started = time.perf_counter()
        out = work()
        return time.perf_counter() - started, out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--deals", type=int, default=10_000)
    ap.add_argument("--facilities", type=int, default=500)
    ap.add_argument("--files", type=int, default=100)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--profile", choices=("parse", "load", "evaluate", "rows"))
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "portfolio")
        paths = write_portfolio(a.deals, a.facilities, out, files=a.files)
        texts = {p: open(p, encoding="utf-8").read() for p in paths}
        edited = paths[-1]

        stages = {
            "parse": lambda: [compose(t, p, Problems()) for p, t in texts.items()],
            "load": lambda: load([out]),
            "evaluate": lambda: evaluate(portfolio, AS_OF),
            "rows": lambda: prepare_view(portfolio, AS_OF, None, 0),
        }
        portfolio = load([out]).portfolio
        if a.profile:
            profiler = cProfile.Profile()
            with paused_gc():
                profiler.runcall(stages[a.profile])
            pstats.Stats(profiler).sort_stats("tottime").print_stats(20)
            return
        cold = {name: [] for name in stages}
        warm = {name: [] for name in ("load", "evaluate", "rows")}
        for run in range(a.runs):
            for name, work in stages.items():
                cold[name].append(timed(work)[0])
            # The monitor's path after one file is edited: its caches from the last load.
            cache = LoadCache()
            view = prepare_view(load([out], cache=cache).portfolio, AS_OF, None, 0)
            with open(edited, "w", encoding="utf-8") as fh:
                fh.write(texts[edited].replace("buyer: Buyer", f"buyer: Edited{run} Buyer", 1))
            spent, result = timed(partial(load, [out], cache=cache))
            warm["load"].append(spent)
            spent, ev = timed(partial(evaluate, result.portfolio, AS_OF, view.evaluation))
            warm["evaluate"].append(spent)
            spent, _ = timed(partial(prepare_view, result.portfolio, AS_OF, view, 0))
            warm["rows"].append(spent)
            with open(edited, "w", encoding="utf-8") as fh:
                fh.write(texts[edited])
    # "rows" as measured includes an evaluation: report the rows alone.
    for runs in (cold, warm):
        runs["rows"] = [r - e for r, e in zip(runs["rows"], runs["evaluate"], strict=True)]
    print(f"{a.deals:,} deals in {a.files} files; medians of {a.runs} runs (ms)")
    print(f"{'stage':<12} {'cold':>10} {'1 file edited':>15}  per deal, cold (µs)")
    for name in stages:
        c = statistics.median(cold[name]) * 1000
        w = f"{statistics.median(warm[name]) * 1000:.0f}" if name in warm else "—"
        print(f"{name:<12} {c:>10.0f} {w:>15}  {c * 1000 / a.deals:>8.1f}")
    print("(1 file edited: load re-parses that file only; evaluate and rows reuse what did not change)")


if __name__ == "__main__":
    main()
