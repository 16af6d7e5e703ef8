"""SVG snapshots of whole screens at fixed sizes, with a frozen clock and an isolated config.

Update after an intended change with: .venv/bin/python -m pytest tests/test_snapshots.py --snapshot-update
"""
from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest
from conftest import REPO, deal_yaml, loaded

from tui.app import DealmonApp

NOW = datetime(2026, 11, 29, 20, 0, tzinfo=UTC)


@pytest.fixture
def example_cwd():
    """The example portfolio copied to ./config of the isolated working directory."""
    shutil.copytree(REPO / "config", Path("config"))
    return "config"


def make_app(paths):
    return DealmonApp(paths, now=lambda: NOW, watch=False)


def test_main_screen_80x24(snap_compare, example_cwd):
    assert snap_compare(make_app([example_cwd]), run_before=loaded, terminal_size=(80, 24))


def test_main_screen_160x48(snap_compare, example_cwd):
    assert snap_compare(make_app([example_cwd]), run_before=loaded, terminal_size=(160, 48))


def test_details_screen(snap_compare, example_cwd):
    assert snap_compare(make_app([example_cwd]), run_before=loaded, press=["enter"], terminal_size=(120, 50))


def test_error_screen(snap_compare):
    Path("bad").mkdir()
    Path("bad/deals.yaml").write_text(deal_yaml("start: 2026-02-30\nrenewal: 3 m\nbuyer2: x"), encoding="utf-8")
    assert snap_compare(make_app(["bad"]), run_before=loaded, terminal_size=(100, 24))


def test_too_small_screen(snap_compare, example_cwd):
    assert snap_compare(make_app([example_cwd]), run_before=loaded, terminal_size=(60, 20))


def test_main_screen_120x40(snap_compare, example_cwd):
    assert snap_compare(make_app([example_cwd]), run_before=loaded, terminal_size=(120, 40))


def test_main_screen_80x24_no_color(snap_compare, example_cwd, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    assert snap_compare(make_app([example_cwd]), run_before=loaded, terminal_size=(80, 24))


def test_help_80x24(snap_compare, example_cwd):
    assert snap_compare(make_app([example_cwd]), run_before=loaded, press=["question_mark"], terminal_size=(80, 24))
