"""Time to first paint: dealmon on the example vs a bare Textual Header+Static+Footer app.

    python bench/first_paint.py [--runs 7]

Each app is started in a fresh pseudo-terminal (80x24, TERM=xterm-256color); the time is from
spawn until a frame holding a marker text has been written. First paint: dealmon's layout
(the "Deal terms" pane title; the files load in a worker thread meanwhile) vs the bare app's
Static. Also reported: until the first deal id is on screen (data loaded and shown). Runs
alternate; medians are compared. Target (issue #3): first paint <= 1.3x the bare app.

The monitors keep their cache in a directory of this run's own. A first start finds nothing
there (`DEALMON_NO_CACHE=1`: it loads the example before its first frame); a start again finds
the reopen screen a session before left (`tui/screenstore.py`) and loads after its first frame.
Both are reported; the first paint target is held against the start again.
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
import tempfile
import termios
import time
from collections.abc import Iterator
from contextlib import contextmanager

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


class pty_app:
    """Run a command in a fresh pseudo-terminal; `wait_for(marker)` reads its output until then."""

    def __init__(self, cmd: list[str], size: tuple[int, int] = (80, 24)) -> None:
        self.cmd, self.size = cmd, size
        self.output = b""

    def __enter__(self) -> pty_app:
        self.master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", self.size[1], self.size[0], 0, 0))
        env = dict(os.environ, TERM="xterm-256color", COLORTERM="truecolor")
        env.pop("NO_COLOR", None)
        self.started = time.perf_counter()
        self.proc = subprocess.Popen(self.cmd, stdin=slave, stdout=slave, stderr=slave, env=env, cwd=REPO,
                                     start_new_session=True)
        os.close(slave)
        return self

    def wait_for(self, marker: bytes, timeout: float = 30.0) -> float:
        """Seconds from start until `marker` is in output not yet searched by an earlier wait."""
        start_at = max(0, len(self.output) - len(marker))
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            if marker in self.output[start_at:]:
                return time.perf_counter() - self.started
            ready, _, _ = select.select([self.master], [], [], 0.2)
            if ready:
                try:
                    self.output += os.read(self.master, 65536)
                except OSError:
                    break
        raise SystemExit(f"marker {marker!r} not seen within {timeout}s from {' '.join(self.cmd)}")

    def peak_rss_mb(self) -> float:
        with open(f"/proc/{self.proc.pid}/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
        return 0.0

    def __exit__(self, *exc) -> None:
        try:
            os.killpg(self.proc.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        # Keep reading while it shuts down: a full terminal buffer would block its last writes.
        deadline = time.perf_counter() + 10
        while self.proc.poll() is None and time.perf_counter() < deadline:
            ready, _, _ = select.select([self.master], [], [], 0.1)
            if ready:
                try:
                    os.read(self.master, 65536)
                except OSError:
                    pass
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
            raise SystemExit(f"{' '.join(self.cmd)} did not exit within 10 s of SIGTERM")
        os.close(self.master)


@contextmanager
def no_cache() -> Iterator[None]:
    """Monitors started here keep and find nothing in the user's cache (a first start)."""
    before = os.environ.get("DEALMON_NO_CACHE")
    os.environ["DEALMON_NO_CACHE"] = "1"
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("DEALMON_NO_CACHE", None)


def time_to_marker(cmd: list[str], marker: bytes, timeout: float = 30.0) -> float:
    with pty_app(cmd) as app:
        return app.wait_for(marker, timeout)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=7)
    a = ap.parse_args()
    os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="dealmon-bench-cache-")
    first, data, again, bare, rss, bare_rss = [], [], [], [], [], []
    ours = [sys.executable, "-m", "tui", "config"]
    with pty_app(ours) as app:  # the session before: it leaves its reopen screen
        app.wait_for(b"anthropic-spacex")
        time.sleep(1.0)
    for _ in range(a.runs):
        with no_cache():
            first.append(time_to_marker(ours, b"Deal terms"))
            with pty_app(ours) as app:
                data.append(app.wait_for(b"anthropic-spacex"))
                time.sleep(0.5)  # settled: the watcher is up
                rss.append(app.peak_rss_mb())
        again.append(time_to_marker(ours, b"anthropic-spacex"))
        with pty_app([sys.executable, "-c", BARE]) as app:
            bare.append(app.wait_for(b"BARE-READY"))
            time.sleep(0.5)
            bare_rss.append(app.peak_rss_mb())
    f, d, g, b, r, br = (statistics.median(x) for x in (first, data, again, bare, rss, bare_rss))
    print(f"{'figure':<52} {'value':>10} {'target':>10}  ok")
    print(f"{'first paint, bare Header+Static+Footer app (s)':<52} {b:>10.3f}")
    print(f"{'first paint, dealmon on the example, started again (s)':<52} {g:>10.3f}")
    ok = "yes" if g / b <= 1.3 else "MISSED"
    print(f"{'first paint ratio, started again':<52} {g / b:>9.2f}x {'<= 1.3x':>10}  {ok}")
    print(f"{'first paint, a first start (s)':<52} {f:>10.3f}")
    print(f"{'first paint ratio, a first start':<52} {f / b:>9.2f}x {'(info)':>10}")
    print(f"{'deals on screen, a first start (s)':<52} {d:>10.3f}")
    print(f"{'deals on screen, a first start / bare first paint':<52} {d / b:>9.2f}x {'(info)':>10}")
    print(f"{'peak RSS, bare app / dealmon on the example (MB)':<52} {br:>4.1f} / {r:<4.1f}")
    print(f"{'peak RSS ratio':<52} {r / br:>9.2f}x {'<= 1.3x':>10}  {'yes' if r / br <= 1.3 else 'MISSED'}")


if __name__ == "__main__":
    main()
