"""The garbage-collector seam: every GC tuning of dealmon is here, and nowhere else.

- `without_gc`: bulk work (a load, an evaluation, building the panes' rows) allocates many
  small acyclic objects that the cyclic GC would rescan again and again; it runs with the
  collector paused. Nothing in that work creates reference cycles.
- `FrozenData`: the loaded portfolio is kept out of full collections.
- `pause_gc_for_start` / `resume_gc_after_start`: the monitor's start (Textual's imports, the
  widgets, the first screen) allocates long-lived objects only; collecting meanwhile is time
  before the first frame spent finding no garbage.

What each is worth is measured by `bench/run` (bench/README.md gives the figures).
"""
from __future__ import annotations

import gc
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")


# The collector is process-wide and pauses overlap (a load in a worker while the event loop
# evaluates a date, the start's pause while the first load begins): it is paused while any
# pause holds, and enabled again only when the last one ends, if it was enabled before the first.
_lock = threading.Lock()
_pauses = 0
_enable_after = False
_start_paused = False


def _pause() -> None:
    global _pauses, _enable_after
    with _lock:
        if _pauses == 0:
            _enable_after = gc.isenabled()
            gc.disable()
        _pauses += 1


def _unpause() -> None:
    global _pauses
    with _lock:
        _pauses -= 1
        if _pauses == 0 and _enable_after:
            gc.enable()


@contextmanager
def paused_gc() -> Iterator[None]:
    _pause()
    try:
        yield
    finally:
        _unpause()


def without_gc(work: Callable[P, R]) -> Callable[P, R]:
    """Decorator: run `work` with the cyclic garbage collector paused (see the module)."""
    @wraps(work)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        with paused_gc():
            return work(*args, **kwargs)
    return run


def pause_gc_for_start() -> None:
    """Pause the collector for the monitor's start, until `resume_gc_after_start` (after the
    first frame)."""
    global _start_paused
    if not _start_paused:
        _start_paused = True
        _pause()


def resume_gc_after_start() -> None:
    """The first frame is on screen: the start's pause ends (idempotent; a pause still held
    by a load keeps the collector paused until it ends)."""
    global _start_paused
    if _start_paused:
        _start_paused = False
        _unpause()


class FrozenData:
    """Keep full garbage collections off the loaded portfolio.

    A large portfolio is hundreds of thousands of GC-tracked objects, and every full
    collection walks them all; the churn of rendering triggers one every few dozen key
    presses, a visible hitch while scrolling (bench/README.md has the figures). The data is
    acyclic and lives until the next load, so after a load is shown everything alive is moved
    to the permanent generation (`gc.freeze()`): later full collections walk only newer objects (acyclic frozen objects
    are still freed by reference counting).

    The price: a reference cycle frozen while alive (a finished worker, a notification) is
    not collected when it dies. So after loads, once nothing happened for a moment (no key,
    no mouse, no load), one full collection runs over everything (unfreeze, collect,
    freeze); after the first load, and after `force_after` loads without such a moment, it
    is due anyway (the caller runs it after the next paint), which bounds the memory.
    A full pass over a very large heap takes seconds while what it frees is little: above
    `large` frozen objects only the `force_after` rule applies.
    """

    def __init__(self, quiet_seconds: float = 5.0, force_after: int = 20, large: int = 1_000_000) -> None:
        self.quiet_seconds = quiet_seconds
        self.force_after = force_after
        self.large = large
        self.loads_since_collection = 0
        self.collections = 0
        self.frozen_objects = 0

    def after_load(self) -> None:
        gc.freeze()
        # Counted after the first load and after each full collection only: counting walks
        # every frozen object (~30 ms at 10,000 deals), and a date move is a load here.
        if self.loads_since_collection == 0:
            self.frozen_objects = gc.get_freeze_count()
        self.loads_since_collection += 1

    @property
    def _small(self) -> bool:
        return self.frozen_objects < self.large

    @property
    def due(self) -> bool:
        """A full collection should run soon: after the first load (start-up leaves much
        cyclic garbage that freezing would keep), or after `force_after` loads."""
        if self.collections == 0 and self._small:
            return self.loads_since_collection >= 1
        return self.loads_since_collection >= self.force_after

    def when_quiet(self, quiet_for: float) -> None:
        """Called now and then; `quiet_for`: seconds since the last input event or load."""
        if self.loads_since_collection and quiet_for >= self.quiet_seconds and self._small:
            self.collect()

    def collect(self) -> None:
        gc.unfreeze()
        gc.collect()
        gc.freeze()
        self.frozen_objects = gc.get_freeze_count()
        self.loads_since_collection = 0
        self.collections += 1

    def release(self) -> None:
        """Back to ordinary collection (the app is done with its data)."""
        gc.unfreeze()
        self.loads_since_collection = 0
