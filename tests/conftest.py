"""Shared fixtures. Every test is isolated from the user's own config, cache and clock:
DEALMON_CONFIG is unset, the working directory and the cache are empty temp dirs, TZ is fixed."""
from __future__ import annotations

import ctypes
import os
import shutil
import textwrap
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import pytest

from tui.core.evaluate import evaluate
from tui.core.loader import load

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def isolated(tmp_path_factory, monkeypatch):
    monkeypatch.delenv("DEALMON_CONFIG", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TZ", "UTC")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("cache")))
    monkeypatch.chdir(tmp_path_factory.mktemp("cwd"))


@pytest.fixture
def example(tmp_path):
    """A copy of the example portfolio (tests may edit it)."""
    target = tmp_path / "config"
    shutil.copytree(REPO / "config", target)
    return str(target)


def generated(path: Path, deals: int, facilities: int) -> str:
    """A portfolio of `deals` generated deals (bench/generate.py, seeded) written to `path`."""
    import sys

    sys.path.insert(0, str(REPO / "bench"))
    try:
        from generate import write_portfolio
    finally:
        sys.path.pop(0)
    [written] = write_portfolio(deals, facilities, str(path))
    return written


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def load_yaml(tmp_path: Path, text: str, name: str = "deals.yaml"):
    return load([str(write(tmp_path, name, text))])


PROVIDER = """
providers:
  p: {name: Provider P, revenue: 10B USD/year}
"""


def deal_yaml(body: str, extra: str = "") -> str:
    """A one-deal portfolio; `body` is the deal's fields (YAML, any indentation)."""
    fields = textwrap.indent(textwrap.dedent(body).strip("\n"), "    ")
    return PROVIDER + extra + "deals:\n  d:\n    buyer: B\n    provider: p\n" + fields + "\n"


def state_of(tmp_path: Path, body: str, as_of: date, extra: str = ""):
    """Evaluate a one-deal portfolio and return (evaluation, state of deal 'd')."""
    result = load_yaml(tmp_path, deal_yaml(body, extra))
    assert result.ok, [str(e) for e in result.errors]
    ev = evaluate(result.portfolio, as_of)
    return ev, ev.deals["d"]


async def loaded(pilot) -> None:
    """Wait until the app's load worker has finished and its result is on screen."""
    from textual.worker import WorkerCancelled

    app = pilot.app
    for _ in range(400):
        try:
            loads = [w for w in app.workers if w.group == "load"]
            if loads:  # (an empty list would mean: wait for every worker, the watcher too)
                await app.workers.wait_for_complete(loads)
        except WorkerCancelled:  # a newer load (the watcher saw a write) replaced it
            pass
        await pilot.pause()
        if not app.loading and app.result is not None:
            return
    raise AssertionError("the load never finished")


@contextmanager
def permission_checks():
    """Within this block, file permissions apply to this thread even when it runs as root.

    CI runs as root, and root reads a chmod 000 file anyway. Here the calling thread drops
    CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH from its *effective* capabilities (capset(2),
    thread-scoped; they stay permitted) and takes them back afterwards. The monitor's small
    loads and its watcher run on the event loop, in this thread."""
    if os.geteuid() != 0:
        yield
        return
    libc = ctypes.CDLL(None, use_errno=True)

    class Header(ctypes.Structure):
        _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]

    class Data(ctypes.Structure):
        _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32),
                    ("inheritable", ctypes.c_uint32)]

    header, data = Header(0x20080522, 0), (Data * 2)()  # _LINUX_CAPABILITY_VERSION_3, this thread
    if libc.capget(ctypes.byref(header), data) != 0:
        raise OSError(ctypes.get_errno(), "capget")
    saved = data[0].effective
    data[0].effective &= ~((1 << 1) | (1 << 2))  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH
    if libc.capset(ctypes.byref(header), data) != 0:
        raise OSError(ctypes.get_errno(), "capset")
    try:
        yield
    finally:
        data[0].effective = saved
        libc.capset(ctypes.byref(header), data)


def assert_same_event_rows(kept, fresh) -> None:
    """The countdown rows `kept` (carried across dates) are those built afresh, and the
    columns' widths each gives without making its rows are the widths of the rows."""
    from tui.rows.cells import measure

    keys = fresh.keys()
    assert kept.keys() == keys
    subsets = [keys, [k for k in keys if k[0] < "d2"], keys[1:2]]
    for short in (False, True):
        rows = [kept.row(key, short) for key in keys]
        assert rows == [fresh.row(key, short) for key in keys]
        for subset in subsets:
            made = [measure(kept.row(key, short)) for key in subset]
            widths = [max(w[i] for w in made) for i in range(4)] if made else [0, 0, 0, 0]
            assert kept.column_widths(subset, short) == widths == fresh.column_widths(subset, short)


def assert_same_deal_rows(kept, fresh) -> None:
    """The deal rows `kept` (carried across dates) are those built afresh, and the widths each
    keeps per row (without its cells) are the widths of its rows, for every subset."""
    from tui.rows.cells import measure

    ids = list(fresh.built)
    assert list(kept.built) == ids
    assert {i: kept.row(i) for i in ids} == {i: fresh.row(i) for i in ids}
    for subset in (None, ids[::2], ids[:1]):
        rows = [kept.row(i) for i in (ids if subset is None else subset)]
        made = [measure(row) for row in rows]
        widths = [max(w[c] for w in made) for c in range(len(made[0]))] if made else None
        if widths is not None:
            assert kept.column_widths(subset) == widths == fresh.column_widths(subset)
