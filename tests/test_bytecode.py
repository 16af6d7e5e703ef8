"""The bytecode seam (tui/bytecode.py): under PYTHONDONTWRITEBYTECODE the monitor writes its own
package's missing `.pyc` files once (50 ms of every later start; bench/README.md)."""
from __future__ import annotations

import importlib.util
import os
import sys

import tui.core.words as words
from tui.bytecode import ensure_bytecode


def test_missing_bytecode_is_written_when_python_would_not(monkeypatch):
    cached = importlib.util.cache_from_source(words.__file__)
    if os.path.exists(cached):
        os.unlink(cached)
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    assert ensure_bytecode() is True
    assert os.path.exists(cached)


def test_nothing_to_do_when_python_writes_bytecode_itself(monkeypatch):
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    assert ensure_bytecode() is False
