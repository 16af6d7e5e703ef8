"""Time to first paint: dealmon on the example vs a bare Textual Header+Static+Footer app.

    python bench/first_paint.py [--runs 7]

Each app is started in a fresh pseudo-terminal (80x24, TERM=xterm-256color); the time is from
spawn until a frame holding a marker text has been written. First paint: dealmon's layout
(the "Deal terms" pane title; the files load in a worker thread meanwhile) vs the bare app's
Static. Also reported: until the first deal id is on screen (data loaded and shown). Runs
alternate; medians are compared. Target (issue #3): first paint <= 1.3x the bare app.
"""
from __future__ import annotations

import argparse
import fcntl
import os
import pty
import select
import signal
import statistics
import struct
import subprocess
import sys
import termios
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BARE = """
from textual.app import App
from textual.widgets import Footer, Header, Static
class Bare(App):
    def compose(self):
        yield Header()
        yield Static("BARE-READY")
        yield Footer()
Bare().run()
"""


def time_to_marker(cmd: list[str], marker: bytes, timeout: float = 30.0) -> float:
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    env = dict(os.environ, TERM="xterm-256color", COLORTERM="truecolor")
    env.pop("NO_COLOR", None)
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stdin=slave, stdout=slave, stderr=slave, env=env, cwd=REPO,
                            start_new_session=True)
    os.close(slave)
    seen = b""
    try:
        while time.perf_counter() - started < timeout:
            ready, _, _ = select.select([master], [], [], 0.5)
            if not ready:
                continue
            try:
                chunk = os.read(master, 65536)
            except OSError:
                break
            seen += chunk
            if marker in seen:
                return time.perf_counter() - started
        raise SystemExit(f"marker {marker!r} not seen within {timeout}s from {' '.join(cmd)}")
    finally:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        proc.wait(timeout=10)
        os.close(master)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=7)
    a = ap.parse_args()
    first, data, bare = [], [], []
    ours = [sys.executable, "-m", "tui", "config"]
    for _ in range(a.runs):
        first.append(time_to_marker(ours, b"Deal terms"))
        data.append(time_to_marker(ours, b"anthropic-spacex"))
        bare.append(time_to_marker([sys.executable, "-c", BARE], b"BARE-READY"))
    f, d, b = (statistics.median(x) for x in (first, data, bare))
    print(f"{'figure':<52} {'value':>10} {'target':>10}  ok")
    print(f"{'first paint, bare Header+Static+Footer app (s)':<52} {b:>10.3f}")
    print(f"{'first paint, dealmon on the example (s)':<52} {f:>10.3f}")
    print(f"{'first paint ratio':<52} {f / b:>9.2f}x {'<= 1.3x':>10}  {'yes' if f / b <= 1.3 else 'MISSED'}")
    print(f"{'deals on screen, dealmon on the example (s)':<52} {d:>10.3f}")
    print(f"{'deals on screen / bare first paint':<52} {d / b:>9.2f}x {'(info)':>10}")


if __name__ == "__main__":
    main()
