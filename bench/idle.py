"""Idle cost of the monitor: terminal bytes per second and CPU while nothing changes.

    python bench/idle.py [--seconds 60]

dealmon runs on the example in a fresh 80x24 pseudo-terminal (watching its files). Once the
deals are on screen and 2 s have passed, every byte it writes to the terminal and its CPU time
(/proc/PID/stat) are counted for --seconds. Targets (issue #5): <= 100 B/s and <= 0.5% CPU.
"""
from __future__ import annotations

import argparse
import os
import select
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from first_paint import pty_app  # noqa: E402


def cpu_seconds(pid: int) -> float:
    with open(f"/proc/{pid}/stat", encoding="ascii") as fh:
        fields = fh.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seconds", type=float, default=60.0)
    a = ap.parse_args()
    with pty_app([sys.executable, "-m", "tui", "config"]) as app:
        app.wait_for(b"anthropic-spacex")
        end = time.perf_counter() + 2
        while time.perf_counter() < end:  # let the first frames and the watcher settle
            if select.select([app.master], [], [], 0.1)[0]:
                os.read(app.master, 65536)
        written = 0
        cpu_before = cpu_seconds(app.proc.pid)
        started = time.perf_counter()
        end = started + a.seconds
        while time.perf_counter() < end:
            if select.select([app.master], [], [], 0.2)[0]:
                written += len(os.read(app.master, 65536))
        elapsed = time.perf_counter() - started
        cpu = (cpu_seconds(app.proc.pid) - cpu_before) / elapsed * 100
    rate = written / elapsed
    print(f"{'figure':<52} {'value':>10} {'target':>10}  ok")
    rate_ok, cpu_ok = "yes" if rate <= 100 else "MISSED", "yes" if cpu <= 0.5 else "MISSED"
    print(f"{f'terminal bytes/s over {elapsed:.0f} s idle':<52} {rate:>10.1f} {'<= 100':>10}  {rate_ok}")
    print(f"{f'CPU over {elapsed:.0f} s idle (%)':<52} {cpu:>10.2f} {'<= 0.5':>10}  {cpu_ok}")


if __name__ == "__main__":
    main()
