"""core.perf.FrozenData: loaded data out of full GC passes, with the leaks that gc.freeze()
would cause collected once things are quiet (or after enough loads)."""
from __future__ import annotations

import gc
import weakref

import pytest
from conftest import REPO, loaded

from tui.app import DealmonApp
from tui.core.perf import FrozenData, pause_gc_for_start, paused_gc, resume_gc_after_start


class Node:
    pass


def cycle() -> weakref.ref:
    a, b = Node(), Node()
    a.other, b.other = b, a
    return weakref.ref(a)


@pytest.fixture
def frozen():
    keeper = FrozenData(quiet_seconds=5, force_after=3)
    yield keeper
    keeper.release()
    assert gc.get_freeze_count() == 0


def test_a_frozen_cycle_survives_until_a_quiet_moment_collects_it(frozen):
    gc.collect()
    alive = cycle()
    frozen.after_load()
    assert gc.get_freeze_count() > 0
    gc.collect()
    assert alive() is not None  # frozen: the garbage cycle is not collected (the price)
    frozen.when_quiet(4.9)
    assert alive() is not None and frozen.collections == 0  # not quiet long enough
    frozen.when_quiet(5.0)
    assert alive() is None and frozen.collections == 1
    assert frozen.loads_since_collection == 0 and gc.get_freeze_count() > 0  # still frozen
    frozen.when_quiet(60)
    assert frozen.collections == 1  # nothing loaded since: nothing to do


def test_a_collection_is_due_after_the_first_load_and_after_enough_loads_without_a_pause(frozen):
    frozen.after_load()
    assert frozen.due  # start-up garbage must not stay frozen
    frozen.collect()
    for expected in (False, False, True):
        frozen.after_load()
        assert frozen.due is expected
    frozen.collect()
    assert not frozen.due


def test_a_large_heap_is_only_collected_after_many_loads():
    keeper = FrozenData(quiet_seconds=5, force_after=3, large=1)  # every heap counts as large
    try:
        keeper.after_load()
        assert not keeper.due  # a full pass over millions of objects: not at start-up
        keeper.when_quiet(60)
        assert keeper.collections == 0
        keeper.after_load()
        keeper.after_load()
        assert keeper.due
    finally:
        keeper.release()


def test_overlapping_pauses_keep_the_collector_paused_until_the_last_ends():
    """The collector is process-wide: a load in a worker begun before the first frame, or
    while the event loop evaluates a date, must not find it enabled again half-way by the
    other pause's end (a 100,000-deal load then ran with collections: 31 -> 36 s)."""
    assert gc.isenabled()
    pause_gc_for_start()
    try:
        with paused_gc():  # the first load, in a worker
            resume_gc_after_start()  # the first frame is drawn meanwhile
            assert not gc.isenabled()
        assert gc.isenabled()
        first, second = paused_gc(), paused_gc()  # ended out of order (two threads)
        first.__enter__()
        second.__enter__()
        first.__exit__(None, None, None)
        assert not gc.isenabled()
        second.__exit__(None, None, None)
        assert gc.isenabled()
    finally:
        resume_gc_after_start()
        gc.enable()


def test_the_frozen_objects_are_counted_only_after_the_first_load_and_each_collection(monkeypatch):
    """Counting walks every frozen object (~30 ms at 10,000 deals) and each date move is a
    load for the keeper: it must not count at every move."""
    counted = []
    real = gc.get_freeze_count
    monkeypatch.setattr(gc, "get_freeze_count", lambda: counted.append(1) or real())
    keeper = FrozenData(quiet_seconds=5, force_after=100)
    try:
        for _ in range(5):
            keeper.after_load()
        assert len(counted) == 1
        keeper.collect()
        keeper.after_load()
        keeper.after_load()
        assert len(counted) == 3  # (the collection's own count, then the first load after it)
    finally:
        keeper.release()


async def test_the_app_freezes_after_a_load_and_lets_go_on_exit():
    gc.collect()
    app = DealmonApp([str(REPO / "config")], watch=False, freeze_data=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        await pilot.pause()
        assert app.frozen.collections == 1  # after the first load's paint
        assert app.frozen.loads_since_collection == 0 and gc.get_freeze_count() > 0
        for _ in range(app.frozen.force_after):
            app.reload()
            await loaded(pilot)
        await pilot.pause()
        assert app.frozen.collections == 2  # due after force_after loads, run after the paint
    assert gc.get_freeze_count() == 0


async def test_finished_workers_keep_no_old_data_alive(tmp_path):
    """A finished worker lingers as frozen cyclic garbage; it must not hold the files' bytes
    or the previous evaluation (at 10,000 deals that was ~10 MB per reload)."""
    import shutil
    import weakref

    cfg = tmp_path / "cfg"
    shutil.copytree(REPO / "config", cfg)
    app = DealmonApp([str(cfg)], watch=False, freeze_data=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        await pilot.pause()
        from tui.panes.deal_terms import DealTermsPane

        first = weakref.ref(app.query_one(DealTermsPane).prepared)  # the rows of the first load
        deals = cfg / "deals.yaml"
        for old, new in (("Google", "Alphabet"), ("Alphabet", "Google")):
            deals.write_text(deals.read_text().replace(f"buyer: {old}", f"buyer: {new}"))
            app.reload()
            await loaded(pilot)
        gc.collect()  # does not look at frozen objects: only reference counts can free it
        assert first() is None
