"""What a user actually sees: the monitor in a real terminal (tmux) at fixed sizes, read back as
text. Checks the things that must never be cut: every event row shows its date, its label (the
full label from 100 columns, else a short form that keeps its key word) and its whole deal id."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import uuid

import pytest
from conftest import REPO, generated

from tui.core.words import EventKind

TMUX = shutil.which("tmux")
AS_OF = "2026-12-25"


class Terminal:
    """The monitor in its own tmux server at a fixed size."""

    def __init__(self, args: list[str], size: tuple[int, int], env: dict[str, str] | None = None) -> None:
        self.socket = f"dealmon-visible-{uuid.uuid4().hex[:8]}"
        command = " ".join([sys.executable, "-m", "tui", *args])
        environment = {"TERM": "xterm-256color", **(env or {})}
        exports = " ".join(f"{k}={v}" for k, v in environment.items())
        # COLUMNS/LINES (which other tests may leave in the environment) would override the
        # terminal's real size.
        self.tmux("new-session", "-d", "-s", "t", "-x", str(size[0]), "-y", str(size[1]),
                  f"env -u COLUMNS -u LINES {exports} {command}")

    def tmux(self, *args: str) -> str:
        assert TMUX is not None
        return subprocess.run([TMUX, "-L", self.socket, *args], capture_output=True, text=True).stdout

    def screen(self) -> str:
        return self.tmux("capture-pane", "-t", "t", "-p")

    def wait_for(self, text: str, timeout: float = 15) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            screen = self.screen()
            if text in screen:
                time.sleep(0.3)  # the rest of the frame
                return self.screen()
            time.sleep(0.1)
        raise AssertionError(f"{text!r} not on screen within {timeout}s:\n{self.screen()}")

    def close(self) -> None:
        self.tmux("kill-server")


@pytest.fixture
def terminal(tmp_path):
    if TMUX is None:
        pytest.skip("tmux not installed (.ci/run installs it)")
    made: list[Terminal] = []
    shutil.copytree(REPO / "config", tmp_path / "config")
    os.chdir(tmp_path)

    def start(size: tuple[int, int], env: dict[str, str] | None = None, path: str = "config") -> Terminal:
        t = Terminal([path, "--as-of", AS_OF], size, env)
        made.append(t)
        return t
    yield start
    for t in made:
        t.close()


def expected_events(path: str = "config") -> list[tuple[str, str, EventKind]]:
    """(date, deal, kind) of every event, from `dealmon check` (the same evaluation)."""
    proc = subprocess.run([sys.executable, "-m", "tui", "check", path, "--as-of", AS_OF, "--format", "json"],
                          capture_output=True, text=True)
    doc = json.loads(proc.stdout)
    events = [(e["date"], d["id"], EventKind(e["kind"])) for d in doc["deals"] for e in d["events"]]
    return sorted(events)


@pytest.mark.parametrize("size", [(80, 24), (120, 40), (200, 50)])
def test_every_event_row_shows_date_label_and_whole_deal_id(terminal, size):
    screen = terminal(size).wait_for("Countdowns")
    events = expected_events()
    shown = 3 if size == (80, 24) else len(events)  # at 80x24 at least the next three
    lines = screen.splitlines()
    for day, deal, kind in events[:shown]:
        label = kind.label if size[0] >= 100 else kind.short
        assert any(day in line and deal in line and label in line for line in lines), (
            f"{day} {deal} {label} not on one line at {size[0]}x{size[1]}:\n{screen}")


@pytest.mark.parametrize("size", [(80, 24), (120, 40), (200, 50)])
@pytest.mark.parametrize("env", [{}, {"NO_COLOR": "1"}])
def test_a_generated_portfolio_reads_the_same_way(terminal, tmp_path, size, env):
    generated(tmp_path / "sixty.yaml", 60, 8)
    screen = terminal(size, env, str(tmp_path / "sixty.yaml")).wait_for("Countdowns")
    header = screen.splitlines()[0]
    assert header.startswith(" dealmon  ok · 60 deals · as of 2026-12-25"), header  # the load state first
    events = expected_events(str(tmp_path / "sixty.yaml"))
    rows = [line for line in screen.splitlines() if any(line.lstrip("│┃ ").startswith(e[0]) for e in events)]
    assert len(rows) >= 3  # at least the next three events
    for line in rows:  # every visible event row whole: date, label, whole deal id
        body = line.strip("│┃ ")
        day = body[:10]
        assert any(day == d and f"{deal}: {kind.label if size[0] >= 100 else kind.short}" in body
                   for d, deal, kind in events), line
