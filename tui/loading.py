"""The monitor's loading job, without Textual: read the files, load, evaluate, and build every
pane's rows, so that the screen only shows finished work. The App runs `LoadJob`s in workers
(or on the event loop when the files are small) and hands the resulting `View` to the screens.
"""
from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING, Any, NamedTuple

from .core.locations import config_files
from .core.perf import without_gc
from .core.problems import Problem, Problems

if TYPE_CHECKING:
    from .core.evaluate import Evaluation
    from .core.loader import LoadCache, LoadResult
    from .core.model import Portfolio
    from .core.scenarios import Assumption, WhatIf
    from .rows.deals import DealRows
    from .rows.events import EventRows
    from .unitstore import UnitStore
    from .watch import Snapshot

# The evaluation, the loader and the row builders are imported by the functions that use them:
# a start that shows a reopen screen (`screenstore`) needs none of them before its first frame
# (bench/README.md, "start-up").

# Where a load runs: up to here on the event loop (a few files load in milliseconds, and a
# worker thread that once parsed stays resident); beyond, in a thread (bench/README.md).
INLINE_LOAD_BYTES = 64 * 1024
# A new as-of date is evaluated on the UI thread up to this many deals, else in a worker.
INLINE_DEALS = 5_000
LOAD_SHARE = 0.8  # of a load's progress: reading the files (the rest: evaluating, rows)


class View(NamedTuple):
    """An evaluation with the panes' rows for it: all a pane needs to show a date."""

    evaluation: Evaluation
    deal_rows: DealRows
    event_rows: EventRows
    what_if: WhatIf | None = None  # a scenario's: its assumptions and its difference from the files
    portfolio: Portfolio | None = None  # the portfolio evaluated (a scenario's, when there is one)

    @property
    def assumptions(self) -> tuple[str, ...]:
        return self.what_if.assumptions if self.what_if is not None else ()


@dataclass(frozen=True)
class ScreenData:
    """What the screens show: the last good data (if any) and the errors of the last load."""

    portfolio: Portfolio | None = None
    view: View | None = None
    errors: tuple[Problem, ...] = ()
    today: date | None = None  # the real date (the as-of date may be another)

    @property
    def evaluation(self) -> Evaluation | None:
        return self.view.evaluation if self.view is not None else None


def evaluate_kept(portfolio: Portfolio, ev: Evaluation, kept: frozenset[str]) -> Evaluation:
    """The evaluation of the deals in `kept` only (what the filter keeps): the capacity pane's
    figures for them. Cheap: every deal's state is reused from `ev`."""
    from .core.evaluate import evaluate

    subset = replace(portfolio, deals={ident: deal for ident, deal in portfolio.deals.items() if ident in kept})
    return evaluate(subset, ev.as_of, ev)


def quick_to_evaluate(portfolio: Portfolio) -> bool:
    """Whether a new as-of date evaluates within a frame or two: not too many deals, and no
    business days counted in a holiday calendar (computing holiday years can take seconds)."""
    from .core.evaluate import uses_business_days

    return len(portfolio.deals) <= INLINE_DEALS and not any(
        deal.calendar is not None and uses_business_days(deal) for deal in portfolio.deals.values())


@without_gc
def prepare_view(portfolio: Portfolio, as_of: date, previous: View | None, sort_index: int,
                 progress: Callable[[float], None] = lambda fraction: None, today: date | None = None,
                 real: Portfolio | None = None, assumptions: Sequence[Assumption] = ()) -> View:
    """Evaluate and build every pane's rows, touching no widget (callable from a worker).

    Args:
        portfolio: the loaded portfolio.
        as_of: the date to evaluate.
        previous: the view on show; whatever did not change is reused from it (see
            `evaluate()` and the row builders).
        sort_index: the deal table's sort order, sorted here rather than on the UI thread.
        progress: called with the fraction done.
        today: the real date, when the as-of date may be another (the exits' wording).
        real, assumptions: for a scenario (`portfolio` is `real` with `assumptions` applied),
            the portfolio of the files, to say what the scenario changes.

    Returns:
        The evaluation and the rows of every pane.
    """
    from .core.evaluate import evaluate
    from .rows.deals import build_deal_rows
    from .rows.events import build_event_rows

    ev = evaluate(portfolio, as_of, previous.evaluation if previous else None)
    progress(0.5)
    deal_rows = build_deal_rows(ev, portfolio, previous.deal_rows if previous else None, sort_index)
    progress(0.75)
    event_rows = build_event_rows(ev, previous.event_rows if previous else None, today, portfolio)
    scenario = None
    if real is not None and assumptions:
        from .core.scenarios import what_if  # (only a what-if needs it: not on the start path)

        scenario = what_if(real, portfolio, assumptions, as_of)
    return View(ev, deal_rows, event_rows, scenario, portfolio)


def load_view(paths: list[str], snapshot: Snapshot | None, cache: LoadCache, as_of_for: Callable[[Portfolio], date],
              previous: View | None, sort_index: int, progress: Callable[[float], None],
              evaluate_if: Callable[[Portfolio], bool] = lambda portfolio: True,
              today_for: Callable[[Portfolio], date | None] = lambda portfolio: None,
              store: UnitStore | None = None) -> tuple[LoadResult, Snapshot, View | None]:
    """Read, load, evaluate and build the panes' rows: everything but showing them.

    Args:
        paths: the config paths.
        snapshot: the files as the watcher read them (settled); None reads them now.
        cache: what the previous loads made of each file (updated).
        as_of_for: the as-of date for the loaded portfolio (its zone decides "today").
        previous, sort_index: as for `prepare_view`.
        progress: called with the fraction done (reading the files is the first 80%).
        evaluate_if: whether to evaluate the loaded portfolio here too (a load on the event
            loop leaves a slow evaluation to a worker).
        today_for: the real date for the loaded portfolio (see `prepare_view`).
        store: the reopen cache: files `cache` does not hold as they are now are looked up
            there before anything is parsed.

    Returns:
        The load result, the snapshot (digests only: what is kept), and the view when the
        load is valid and was evaluated.
    """
    from .core.loader import load
    from .unitstore import fill_from_store
    from .watch import take_snapshot

    if snapshot is None:
        snapshot = take_snapshot(paths)
    contents, digests = snapshot.contents, snapshot.file_digests
    snapshot = snapshot.without_contents()
    if store is not None:
        fill_from_store(store, cache, digests, {path: len(data) for path, data in contents.items()})
    result = load(paths, contents, lambda f: progress(LOAD_SHARE * f), cache, digests)
    view = None
    if result.portfolio is not None and evaluate_if(result.portfolio):
        view = prepare_view(result.portfolio, as_of_for(result.portfolio), previous, sort_index,
                            lambda f: progress(LOAD_SHARE + (1 - LOAD_SHARE) * f), today_for(result.portfolio))
    return result, snapshot, view


class Job:
    """One worker's inputs and output, each let go of as soon as it is used.

    A finished Worker is a reference cycle that lingers until a full collection, and with the
    loaded data frozen (core.perf.FrozenData) that can be many loads later; holding the
    files and the previous rows, it would keep a large portfolio's data alive per reload
    (bench/README.md: "finished workers"). The Worker holds only this."""

    __slots__ = ("work", "inputs", "output")

    def __init__(self, work: Callable[..., Any], **inputs: Any) -> None:
        self.work: Callable[..., Any] | None = work
        self.inputs: dict[str, Any] | None = inputs
        self.output: Any = None

    def run(self) -> Job:
        work, inputs = self.work, self.inputs
        assert work is not None and inputs is not None, "a Job runs once"
        self.work, self.inputs = None, None
        self.output = work(**inputs)
        return self

    def take_output(self) -> Any:
        output, self.output = self.output, None
        return output


def total_size(paths: list[str], snapshot: Snapshot | None) -> int:
    """The bytes a load of `paths` will read (to choose where it runs)."""
    if snapshot is not None:
        return sum(len(data) for data in snapshot.contents.values())
    total = 0
    for path in config_files(paths, Problems()):
        try:
            total += os.stat(path).st_size
        except OSError:
            pass
    return total
