"""Pausing the cyclic garbage collector around bulk work.

A load or an evaluation of a large portfolio allocates millions of small acyclic objects; the
cyclic GC would rescan them again and again (measured: it doubles the time of a 10,000-deal
load, evaluation and table build). Nothing in that work creates reference cycles, so pausing
the collector is safe; it runs again as soon as the work is done.
"""
from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Iterator


@contextmanager
def paused_gc() -> Iterator[None]:
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
