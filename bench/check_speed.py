"""`dealmon check` vs the YAML parser floor, measured side by side in one run.

    python bench/check_speed.py [--deals 10000] [--facilities 500] [--runs 3]

Each figure is the median wall time of --runs fresh processes, alternating the two commands so
that machine noise hits both alike. --huge N also times one check on N deals and reports how the
time per deal grows (near-linear is the aim). The floor is `yaml.compose(text, Loader=yaml.CSafeLoader)`
on the same file (PyYAML's C loader building its node tree). Targets (issue #2): check on
10,000 deals / 500 facilities <= 1.5x the floor; check on 1,000 deals <= 1 s.
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from generate import write_portfolio  # noqa: E402

FLOOR = "import sys, yaml; yaml.compose(open(sys.argv[1], encoding='utf-8').read(), Loader=yaml.CSafeLoader)"


def timed(cmd: list[str], cached: bool = False) -> float:
    env = dict(os.environ)
    if not cached:
        env["DEALMON_NO_CACHE"] = "1"  # measure the real work, not the cache
    started = time.perf_counter()
    proc = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env)
    elapsed = time.perf_counter() - started
    if proc.returncode not in (0, 1):
        raise SystemExit(f"command failed ({proc.returncode}): {' '.join(cmd)}\n{proc.stderr}")
    return elapsed


def check_cmd(path: str) -> list[str]:
    return [sys.executable, "-m", "tui", "check", path, "--as-of", "2026-11-29", "--format", "json"]


def measure(path: str, runs: int) -> tuple[float, float]:
    ours, floor = [], []
    for _ in range(runs):
        ours.append(timed(check_cmd(path)))
        floor.append(timed([sys.executable, "-c", FLOOR, path]))
    return statistics.median(ours), statistics.median(floor)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--deals", type=int, default=10_000)
    ap.add_argument("--facilities", type=int, default=500)
    ap.add_argument("--small", type=int, default=1_000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--huge", type=int, default=0, help="also time check on this many deals (e.g. 100000)")
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        big = os.path.join(tmp, "big.yaml")
        small = os.path.join(tmp, "small.yaml")
        write_portfolio(a.deals, a.facilities, big)
        write_portfolio(a.small, max(1, a.facilities // 5), small)
        ours, floor = measure(big, a.runs)
        ratio = ours / floor
        small_time = statistics.median(timed(check_cmd(small)) for _ in range(a.runs))
        huge_time = None
        if a.huge:
            huge = os.path.join(tmp, "huge.yaml")
            write_portfolio(a.huge, a.facilities * a.huge // a.deals, huge)
            huge_time = timed(check_cmd(huge))
        with tempfile.TemporaryDirectory() as cache:
            os.environ["XDG_CACHE_HOME"] = cache  # a fresh cache of our own for this figure
            timed(check_cmd(big), cached=True)  # fills it
            cached = statistics.median(timed(check_cmd(big), cached=True) for _ in range(a.runs))
    print(f"{'figure':<52} {'value':>10} {'target':>10}  ok")
    rows = [
        (f"check, {a.deals:,} deals / {a.facilities} facilities (s)", f"{ours:.2f}", "", ""),
        ("yaml.compose CSafeLoader, same file (s)", f"{floor:.2f}", "", ""),
        ("check / compose ratio", f"{ratio:.2f}x", "<= 1.5x", "yes" if ratio <= 1.5 else "MISSED"),
        (f"check, {a.small:,} deals (s)", f"{small_time:.2f}", "<= 1 s", "yes" if small_time <= 1 else "MISSED"),
        (f"check, {a.deals:,} deals unchanged (cached) (s)", f"{cached:.2f}", "<= 0.5 s",
         "yes" if cached <= 0.5 else "MISSED"),
    ]
    if huge_time is not None:
        growth = (huge_time / ours) / (a.huge / a.deals)
        rows.append((f"check, {a.huge:,} deals (s)", f"{huge_time:.2f}", "", ""))
        rows.append((f"  time per deal, {a.huge:,} vs {a.deals:,}", f"{growth:.2f}x", "~1x (linear)", ""))
    for name, value, target, ok in rows:
        print(f"{name:<52} {value:>10} {target:>10}  {ok}")


if __name__ == "__main__":
    main()
