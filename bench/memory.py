"""What a deal costs in memory, by structure (tracemalloc, one process, a generated portfolio):

    python bench/memory.py [--deals 10000] [--files 1]

Stages, as the monitor goes through them: the load (its peak, and what stays: the entities
and the load cache), the evaluation, the panes' rows. Each line is bytes per deal, and the
modules that hold them (tracemalloc's allocation sites, grouped by file). It runs on older
commits too (it uses only `load`, `evaluate` and `prepare_view`), which is how the
before/after table in bench/README.md was made.
"""
from __future__ import annotations

import argparse
import gc
import os
import sys
import tempfile
import tracemalloc
from collections import Counter
from datetime import date

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.dirname(HERE))
from generate import write_portfolio  # noqa: E402

from tui.core.evaluate import evaluate  # noqa: E402
from tui.core.loader import LoadCache, load  # noqa: E402
from tui.loading import prepare_view  # noqa: E402

AS_OF = date(2026, 11, 29)
ROOT = os.path.dirname(HERE)


def by_module(snapshot: tracemalloc.Snapshot, baseline: tracemalloc.Snapshot) -> Counter[str]:
    """Bytes allocated since `baseline` and still held, by the module that allocated them."""
    out: Counter[str] = Counter()
    for stat in snapshot.compare_to(baseline, "filename"):
        name = stat.traceback[0].filename
        name = os.path.relpath(name, ROOT) if name.startswith(ROOT) else os.path.basename(name)
        out[name.replace(".venv/lib/python3.11/site-packages/", "")] += stat.size_diff
    return out


def report(title: str, held: Counter[str], deals: int, peak: int | None = None) -> None:
    total = sum(held.values())
    line = f"{title:<44} {total / deals:>8,.0f} B/deal"
    if peak is not None:
        line += f"   (peak {peak / deals:,.0f} B/deal)"
    print(line)
    for name, size in held.most_common(6):
        if size > deals * 20:
            print(f"    {name:<52} {size / deals:>8,.0f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--deals", type=int, default=10_000)
    ap.add_argument("--files", type=int, default=1)
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        target = os.path.join(tmp, "portfolio" if a.files > 1 else "big.yaml")
        write_portfolio(a.deals, 500, target, **({"files": a.files} if a.files > 1 else {}))
        load([target])  # imports and first-use caches out of the way
        gc.collect()
        tracemalloc.start()
        base = tracemalloc.take_snapshot()
        cache = LoadCache()
        tracemalloc.reset_peak()
        before = tracemalloc.get_traced_memory()[0]
        portfolio = load([target], cache=cache).portfolio
        peak = tracemalloc.get_traced_memory()[1] - before
        after_load = tracemalloc.take_snapshot()
        report("load: the entities and the load cache", by_module(after_load, base), a.deals, peak)
        try:
            ev = evaluate(portfolio, AS_OF, carry=False)  # as `dealmon check` evaluates
            report("evaluation, as dealmon check keeps it", by_module(tracemalloc.take_snapshot(), after_load),
                   a.deals)
            del ev
        except TypeError:  # (a commit before `carry`)
            pass
        ev = evaluate(portfolio, AS_OF)
        after_ev = tracemalloc.take_snapshot()
        report("evaluation, as the monitor keeps it", by_module(after_ev, after_load), a.deals)
        view = prepare_view(portfolio, AS_OF, None, 0)
        del ev
        report("evaluation and the panes' rows (the view)", by_module(tracemalloc.take_snapshot(), after_load),
               a.deals)
        del view, portfolio, cache


if __name__ == "__main__":
    main()
