"""Proves an ordinary (non-editable) install works: run by the Python of a fresh venv into
which only the built wheel was installed, from an empty folder.

- every module of the installed package imports;
- `dealmon --version` and `dealmon check` on the bundled example give the exact answers;
- the monitor opens in a real pseudo-terminal, shows the seed deal, and quits on `q`.

Usage: VENV/bin/python .ci/wheel_smoke.py VENV
"""
from __future__ import annotations

import importlib
import os
import pkgutil
import pty
import re
import select
import subprocess
import sys
import tempfile
import time

CSI = re.compile(rb"\x1b\[[0-9;?<>=]*[ -/]*[@-~]")  # cursor moves and colours between the letters


def fail(message: str) -> None:
    print(f"wheel smoke: FAILED: {message}", file=sys.stderr)
    sys.exit(1)


def imports_every_module() -> int:
    import tui

    here = os.path.dirname(os.path.abspath(tui.__file__))
    if "site-packages" not in here:
        fail(f"tui imported from {here}, not from the installed wheel")
    count = 0
    for info in pkgutil.walk_packages(tui.__path__, "tui."):
        if info.name == "tui.__main__":
            continue  # runs the command on import
        importlib.import_module(info.name)
        count += 1
    for sub in ("panes", "screens", "widgets", "core"):
        if f"tui.{sub}" not in sys.modules:
            fail(f"tui.{sub} is not in the wheel")
    for data in ("dealmon.tcss", "example/deals.yaml"):
        if not os.path.isfile(os.path.join(here, data)):
            fail(f"{data} is not in the wheel")
    return count


def run(command: list[str], expect: int) -> str:
    proc = subprocess.run(command, capture_output=True, text=True, timeout=60)
    if proc.returncode != expect or "Traceback" in proc.stderr:
        fail(f"{' '.join(command)} exited {proc.returncode} (expected {expect}):\n{proc.stdout}{proc.stderr}")
    return proc.stdout


def monitor_shows_the_seed_deal(dealmon: str) -> float:
    """Open the monitor in a pty at 80x24; return seconds until the seed deal is on screen."""
    pid, fd = pty.fork()
    if pid == 0:  # the child: the monitor, in the pty
        os.environ["TERM"] = "xterm-256color"
        os.execv(dealmon, [dealmon, "--as-of", "2026-12-25"])
    import fcntl
    import struct
    import termios

    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    started, seen, shown, closed = time.monotonic(), b"", None, False
    while time.monotonic() - started < 30 and not closed:
        ready, _, _ = select.select([fd], [], [], 0.2)
        if ready:
            try:
                seen += os.read(fd, 65536)
            except OSError:  # EIO: the monitor exited and closed the terminal
                closed = True
        if shown is None and b"anthropic-spacex" in CSI.sub(b"", seen):
            shown = time.monotonic() - started
            os.write(fd, b"q")
    if shown is not None and closed:
        _, status = os.waitpid(pid, 0)  # it closed the terminal: it is exiting
        code = os.waitstatus_to_exitcode(status)
        if code != 0:
            fail(f"the monitor exited {code} after q")
        return shown
    os.kill(pid, 9)
    tail = seen[-2000:].decode("utf-8", "replace")
    fail(f"the monitor did not show the seed deal (shown after: {shown}) and quit within 30 s; last output:\n{tail}")
    return 0.0


def main() -> None:
    venv = os.path.abspath(sys.argv[1])
    dealmon = os.path.join(venv, "bin", "dealmon")
    os.chdir(tempfile.mkdtemp(prefix="dealmon-empty-"))  # no ./config: the bundled example
    os.environ.pop("DEALMON_CONFIG", None)
    os.environ["DEALMON_NO_CACHE"] = "1"
    modules = imports_every_module()
    version = run([dealmon, "--version"], 0)
    if not version.startswith("dealmon "):
        fail(f"--version printed {version!r}")
    report = run([dealmon, "check", "--as-of", "2026-12-25"], 1)  # google-spacex's exit right: 7 days
    if "bundled example" not in report or "anthropic-spacex" not in report:
        fail(f"check did not report the bundled example:\n{report}")
    run([sys.executable, "-m", "tui", "check", "--as-of", "2027-06-01", "--within", "0"], 0)
    seconds = monitor_shows_the_seed_deal(dealmon)
    print(f"wheel smoke: ok ({modules} modules import; {version.strip()}; check on the bundled example; "
          f"the monitor showed the seed deal after {seconds:.2f} s and quit on q)")


if __name__ == "__main__":
    main()
