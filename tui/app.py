"""The monitor's App: what is app-wide — loading and watching the files, the as-of date and the
clock, signals, the terminal check, the command palette. The screens show what it hands them
(`MainScreen`, `DetailsScreen`); the numbers all come from `core.evaluate.evaluate()`, run once
per (portfolio, as-of date) in the loading job.
"""
from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import UTC, date, datetime
from functools import partial
from time import monotonic
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.timer import Timer
from textual.worker import Worker, WorkerState

from .bytecode import ensure_bytecode
from .core.asof import AsOf
from .core.clock import today as today_in
from .core.clock import zone_name
from .core.locations import default_paths
from .core.perf import FrozenData, resume_gc_after_start
from .core.problems import Problem
from .core.text import visible
from .loading import (
    INLINE_LOAD_BYTES,
    Job,
    ScreenData,
    View,
    load_view,
    prepare_view,
    quick_to_evaluate,
    total_size,
)
from .screens.main import MainScreen
from .screenstore import ScreenCopy, ScreenStore
from .unitstore import UnitStore, keep_in_store
from .watch import Snapshot, take_snapshot
from .widgets.status_bar import Status

if TYPE_CHECKING:
    from .core.evaluate import Evaluation
    from .core.loader import LoadCache, LoadResult
    from .core.model import Portfolio
    from .core.scenarios import Assumption, SourceEffect
    from .screens.what_if import AssumptionRequested

# The screens the first frame does not need, the what-if machinery, and the loader and the
# evaluation (a reopen screen's first frame needs neither) are imported when first used: each
# import is time before the first frame (bench/README.md, "start-up").

# One app-wide tick. It only checks whether the date changed (midnight in settings.timezone);
# nothing repaints unless it did.
TICK_SECONDS = 20.0
# A date move of a large portfolio that took at most this long (in a worker, where it shares
# the CPU with the screen) runs on the event loop the next time: a thread's hand-offs cost more
# than they save (bench/README.md, "where a date move runs").
INLINE_MOVE_SECONDS = 0.4
STORE_FIRST_AFTER_SECONDS = 2.0
STORE_AFTER_QUIET_SECONDS = 30.0  # a reload's files go to the reopen cache after this long without another
# The reopen screen is copied this long after the data it shows was handed to the screens (once
# laid out; a burst of reloads makes one copy).
COPY_SCREEN_AFTER_SECONDS = 0.2
COPY_SCREEN_TRIES = 20  # while the panes are not laid out for the data yet, tried again as often
CHANGE_LOG_ENTRIES = 500
SERVED_LEAVES_OUT = frozenset({"Screenshot"})  # palette commands that would write a file
# How often to check that the terminal is still there (an SSH link may drop with SIGHUP
# ignored, or stdin may reach EOF: Textual's input thread then spins; we exit instead).
TERMINAL_CHECK_SECONDS = 1.0


class LoadProgress(Message):
    """Posted from the load worker's thread (post_message is thread-safe)."""

    def __init__(self, fraction: float) -> None:
        super().__init__()
        self.fraction = fraction


def utc_now() -> datetime:
    return datetime.now(UTC)


class DealmonApp(App[None]):
    CSS_PATH = "dealmon.tcss"
    TITLE = "dealmon"
    BINDINGS = [
        Binding("q", "quit", "Quit", tooltip="quit dealmon"),
        Binding("r", "reload", "Reload", tooltip="read the files again now"),
        Binding("left_square_bracket", "day(-1)", "−day", show=False, tooltip="as-of date − 1 day"),
        Binding("right_square_bracket", "day(1)", "+day", tooltip="as-of date + 1 day"),
        Binding("left_curly_bracket", "month(-1)", "−month", show=False,
                tooltip="as-of date − 1 month (anchored: Mar 31 → Feb 28 → Jan 31)"),
        Binding("right_curly_bracket", "month(1)", "+month", show=False,
                tooltip="as-of date + 1 month (anchored: Jan 31 → Feb 28 → Mar 31)"),
        Binding("t", "today", "Today", tooltip="back to today (follows the clock again)"),
        Binding("colon", "go_to_date", "Go to date", show=False, tooltip="show the portfolio as of a date you type"),
        Binding("L", "change_log", "Log", show=False, tooltip="the log of what each reload changed"),
        Binding("d", "disputes", "Disputes", show=False,
                tooltip="every claim of another source, and what it would change if right (a: assume it)"),
        # In the footer only while a what-if is on show (check_action).
        Binding("x", "drop_assumption", "Drop what-if", tooltip="drop the last what-if assumption"),
        Binding("X", "drop_assumptions", "Drop all", show=False, tooltip="drop every what-if assumption"),
        Binding("question_mark", "help", "Help", tooltip="this help: every key"),
    ]

    def __init__(self, paths: list[str] | None = None, as_of: date | None = None,
                 now: Callable[[], datetime] = utc_now, watch: bool = True,
                 freeze_data: bool = False, served: bool = False) -> None:
        """Args:
            paths: config files or directories; None: SPEC §1's default chain.
            as_of: a fixed as-of date; None follows today.
            now: the clock (tests freeze it).
            watch: reload when the files change.
            freeze_data: keep full GC passes off the loaded data (core.perf.FrozenData);
                the command turns it on, tests leave it off (gc.freeze is process-wide).
            served: in a browser (`dealmon serve`): nothing may write on the server or run
                anything there (no screenshot, no file delivered), and there is no terminal
                to watch for.
        """
        super().__init__()
        self.paths, self.bundled = (list(paths), False) if paths else default_paths()
        self.now = now
        self.as_of_state = AsOf(as_of)
        self.watch_files = watch
        self.served = served
        self.frozen = FrozenData() if freeze_data else None
        self.result: LoadResult | None = None  # of the last load
        self.portfolio: Portfolio | None = None  # the last good data
        self.assumptions: list[Assumption] = []  # what-if (SPEC §2.1), in the order made
        self.scenario: Portfolio | None = None  # what is shown: the portfolio with the assumptions
        self.errors: list[Problem] = []
        self.view: View | None = None  # what the screens show
        self.loading = False
        self.evaluating = False  # a time-travel evaluation is running in a worker
        self._moves_here = False  # the last date move was quick: the next runs on the event loop
        self._view_pending = False  # one is scheduled (`_view_here`)
        self.watch_mode = ""  # "watching" or "polling (why)"
        self.status = Status(source="bundled example" if self.bundled else ", ".join(self.paths))
        self._load_cache: LoadCache | None = None  # what the last load made of each file (from the first)
        self._unit_store = UnitStore.open()  # the same, on disk for the next start (reopen cache)
        self._unstored: set[str] = set()  # files read anew since the last store
        # The reopen screen (`screenstore`): what the panes showed, for the next start on the
        # same files, date and terminal size. Served: nothing is written, nothing is read.
        self._screen_store = None if served else ScreenStore.open()
        self._start_fixed = as_of  # the as-of date of a start (None: today): copies are of it
        self._files_digest = ""  # of the files the data on show was loaded from
        self._copy_timer: Timer | None = None
        self._copy_kept: tuple[str, ScreenCopy] | None = None  # the last copy written, and its name
        self._copy_tries = 0
        self._stored_once = False
        self._store_timer: Timer | None = None
        self._today: date | None = None
        self._last_activity = monotonic()  # of the last key, mouse event or load
        self._signals: list[int] = []
        self.change_log: list[tuple[str, str]] = []  # (clock time, what a reload changed), oldest first

    def get_default_screen(self) -> Screen[Any]:
        return MainScreen()

    @property
    def screen_copy(self) -> ScreenCopy | None:
        """The reopen screen on show until the data is loaded (the main screen drops it when
        the data or the errors replace it)."""
        return self.main.copy_shown

    @property
    def main(self) -> MainScreen:
        screen = self.screen_stack[0]
        assert isinstance(screen, MainScreen)
        return screen

    # --- start and stop ----------------------------------------------------------------------

    def on_mount(self) -> None:
        # The reopen screen of the same files, date and size, when there is one, is the first
        # frame, and the files load after it. Without one, a few small files load before the
        # first frame, so that it shows the data; larger ones after it, in a worker (the layout
        # paints at once, the data follows).
        # The collector, paused for the start by the command, resumes after the first frame:
        # before a load starts in a worker, whose own pause (core.perf.paused_gc) must not find
        # it paused and leave it to this thread's resume mid-load.
        self.call_after_refresh(resume_gc_after_start)
        snapshot, copy = None, None
        if self._screen_store is not None:
            snapshot = take_snapshot(self.paths)
            copy = self._screen_store.fetch(self._screen_name(snapshot.digest), self.now(), self._start_fixed)
        if copy is not None:
            self.loading = True  # (the header says so from the first frame)
            self.main.show_copy(copy)
            self.call_after_refresh(self.reload, snapshot)
        elif total_size(self.paths, snapshot) <= INLINE_LOAD_BYTES:
            self.reload(snapshot)
        else:
            self.call_after_refresh(self.reload, snapshot)
        self.set_interval(TICK_SECONDS, self.tick)
        self._install_signals()
        self._publish_status()
        if not self.is_headless and not self.served:
            self.set_interval(TERMINAL_CHECK_SECONDS, self.check_terminal)
        if not self.is_headless and not self.served:  # (after the first frame; served: writes nothing)
            self.call_after_refresh(self.run_worker, ensure_bytecode, group="bytecode", thread=True,
                                    exit_on_error=False)

    def check_terminal(self) -> None:
        """Exit when the terminal went away: a hung-up TTY is no longer a TTY."""
        if not terminal_present():
            self.exit(return_code=129)
        elif self.frozen is not None and not self.loading:
            self.frozen.when_quiet(monotonic() - self._last_activity)

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.InputEvent):
            self._last_activity = monotonic()
        await super().on_event(event)

    def _install_signals(self) -> None:
        """SIGUSR1 reloads (the btop/calcurse convention); SIGTERM and SIGHUP end the app
        cleanly, through Textual's own shutdown, so the terminal is restored."""
        loop = asyncio.get_running_loop()
        for sig, handler in ((signal.SIGUSR1, self.reload),
                             (signal.SIGTERM, partial(self._terminate, signal.SIGTERM)),
                             (signal.SIGHUP, partial(self._terminate, signal.SIGHUP))):
            try:
                loop.add_signal_handler(sig, handler)
                self._signals.append(sig)
            except (NotImplementedError, RuntimeError, ValueError):  # not the main thread, or no signals
                pass

    def _terminate(self, signum: int) -> None:
        self.exit(return_code=128 + signum)

    def on_unmount(self) -> None:
        if self.frozen is not None:
            self.frozen.release()
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return
        for sig in self._signals:
            loop.remove_signal_handler(sig)

    # --- the as-of date -------------------------------------------------------------------------

    @property
    def zone(self) -> str:
        return zone_name(self.portfolio.settings.timezone if self.portfolio else None)

    def today(self) -> date:
        return today_in(self.zone, self.now())

    @property
    def as_of(self) -> date:
        return self.as_of_for(self.portfolio)

    def today_for(self, portfolio: Portfolio | None) -> date:
        """Today in the portfolio's zone."""
        return today_in(zone_name(portfolio.settings.timezone if portfolio else None), self.now())

    def as_of_for(self, portfolio: Portfolio | None) -> date:
        """The fixed date, else today in the portfolio's zone (a new one may have another)."""
        return self.as_of_state.on(self.today_for(portfolio))

    def tick(self) -> None:
        """The app-wide tick: move to the new day at midnight, without a restart."""
        if self.as_of_state.following and self.today() != self._today:
            self.refresh_view()

    def action_day(self, days: int) -> None:
        if self.as_of_state.move_days(days, self.today()):
            self.refresh_view()
        else:
            self.bell()  # the end of the calendar

    def action_month(self, months: int) -> None:
        if self.as_of_state.move_months(months, self.today()):
            self.refresh_view()
        else:
            self.bell()

    def action_go_to_date(self) -> None:
        from .screens.go_to_date import GoToDateScreen

        def go(day: date | None) -> None:
            if day is not None:
                self.as_of_state.go_to(day)
                self.refresh_view()
        self.push_screen(GoToDateScreen(self.as_of), go)

    def action_today(self) -> None:
        self.as_of_state.follow_today()
        self.refresh_view()

    # --- loading ------------------------------------------------------------------------------

    def action_reload(self) -> None:
        self.reload()

    def reload(self, snapshot: Snapshot | None = None) -> None:
        """Load the files; the screen stays live and paints before the data.

        Args:
            snapshot: the files as the watcher read them (settled); None reads them now.
        """
        self.loading = True
        self._publish_status(progress=0.0)
        if self._load_cache is None:
            from .core.loader import LoadCache

            self._load_cache = LoadCache()
        # A few files load in milliseconds: here, without a thread (and a load still running in
        # one is superseded); a slow evaluation is then left to a worker.
        here = total_size(self.paths, snapshot) <= INLINE_LOAD_BYTES
        job = Job(load_view, paths=self.paths, snapshot=snapshot, cache=self._load_cache,
                  as_of_for=self.as_of_for, previous=self.view, sort_index=self.main.sort_index,
                  progress=self._post_progress(), evaluate_if=quick_to_evaluate if here else lambda p: True,
                  today_for=self.today_for, store=self._unit_store)
        if here:
            self.workers.cancel_group(self, "load")
            try:
                self._loaded(job.run())
            except Exception as exc:  # a bug, not bad input: say so, keep the data
                self._load_failed(exc)
        else:
            self.run_worker(job.run, group="load", exclusive=True, thread=True, exit_on_error=False)

    def _post_progress(self) -> Callable[[float], None]:
        """A progress callback for a load worker's thread: it posts, never touches widgets."""
        reported = [0.0]

        def progress(fraction: float) -> None:
            if fraction - reported[0] >= 0.05:
                reported[0] = fraction
                self.post_message(LoadProgress(fraction))
        return progress

    def on_load_progress(self, message: LoadProgress) -> None:
        if self.loading:
            self._publish_status(progress=message.fraction)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        worker = event.worker
        if worker.group == "watch" and event.state == WorkerState.ERROR:
            # Never silently: the header says the files are no longer watched, and why.
            self._set_watch_mode(f"not watching: {type(worker.error).__name__}: {worker.error}"[:80])
        elif worker.group == "disputes" and event.state == WorkerState.SUCCESS:
            assert isinstance(worker.result, Job)
            self._show_disputes(worker.result.take_output())
        elif worker.group == "view":
            self._view_done(event.state, worker)
        elif worker.group == "load" and event.state == WorkerState.SUCCESS:
            assert isinstance(worker.result, Job)
            self._loaded(worker.result)
        elif worker.group == "load" and event.state == WorkerState.ERROR:
            self._load_failed(worker.error)

    def _loaded(self, job: Job) -> None:
        result, snapshot, view = job.take_output()
        self._files_digest = snapshot.digest
        self.apply_load(result, view)
        self._start_watching(snapshot)
        if self._unit_store is not None and result.parsed and not self.served:  # (served: writes nothing)
            self._store_units(list(result.parsed))

    def _store_units(self, paths: list[str]) -> None:
        """Keep what this load read anew for the next start: soon after the first load (once
        its data is on screen: encoding shares the CPU with the first paints), else once the
        files have been quiet for a while (a large file edited in place again and again is
        stored once, not at every save)."""
        store = self._unit_store
        assert store is not None
        self._unstored.update(paths)

        def keep() -> None:
            pending, self._unstored = sorted(self._unstored), set()
            assert self._load_cache is not None  # (after a load)
            job = Job(keep_in_store, store=store, units=self._load_cache.units, paths=pending)
            self.run_worker(job.run, group="store", thread=True, exit_on_error=False)
        if self._store_timer is not None:
            self._store_timer.stop()
            self._store_timer = None
        if not self._stored_once:
            self._stored_once = True
            self._store_timer = self.set_timer(STORE_FIRST_AFTER_SECONDS, keep)
        else:
            self._store_timer = self.set_timer(STORE_AFTER_QUIET_SECONDS, keep)

    def _load_failed(self, error: BaseException | None) -> None:
        """A bug, not bad input: say so, keep the data."""
        self.loading = False
        self.errors = [Problem(self.paths[0] if self.paths else "config", 1, 1,
                               f"internal error while loading: {error!r}")]
        self.refresh_view()

    def apply_load(self, result: LoadResult, view: View | None = None) -> None:
        """Only a whole valid load replaces the data on screen.

        Args:
            result: the load.
            view: made by the worker for this portfolio (used when still for the current
                as-of date).
        """
        self.loading = False
        self.result = result
        before = self.view.evaluation if self.view is not None else None
        if result.portfolio is not None:
            self.portfolio = result.portfolio
            self._set_scenario()
            self.errors = []
            self.status = replace(self.status, loaded_at=f"{self.now().astimezone(ZoneInfo(self.zone)):%H:%M:%S}")
        else:
            self.errors = list(result.errors)
        self.refresh_view(view if result.ok else None)
        if result.ok and before is not None and self.view is not None:
            self._notify_changes(before, self.view.evaluation)
        if result.ok and self.frozen is not None:
            self._last_activity = monotonic()
            self.frozen.after_load()
            if self.frozen.due:  # after the paint: the new data shows first
                self.call_after_refresh(self.frozen.collect)

    def _notify_changes(self, before: Evaluation, after: Evaluation) -> None:
        if before.as_of != after.as_of:  # the day moved meanwhile: not a change of the files
            return
        from .core.changes import compare

        changes = compare(before, after)
        if changes:
            self.change_log.append((self.status.loaded_at, changes.summary(limit=1_000)))
            del self.change_log[:-CHANGE_LOG_ENTRIES]
        # One reload notice at a time: a file rewritten every second must not pile them up.
        # Short, so that it stays out of the panes' way; the whole story is in the log (L).
        self.clear_notifications()
        # File text (deal ids) in a notification: made visible, never parsed as markup.
        summary = changes.summary(limit=2) + ("\n(L: the change log)" if changes else "")
        self.notify(visible(summary, one_line=False), title="Reloaded", markup=False, timeout=6 if changes else 2)

    def action_change_log(self) -> None:
        from .screens.change_log import ChangeLogScreen

        self.push_screen(ChangeLogScreen(list(self.change_log)))

    def refresh_view(self, view: View | None = None) -> None:
        """Evaluate once for the current as-of date and hand the result to every screen.

        Args:
            view: evaluation and rows made off the UI thread, used when for the current
                date. Otherwise they are made here (a small portfolio, or a date move that
                took at most INLINE_MOVE_SECONDS last time: see `_view_here`), or, for a large
                portfolio, in a worker while the screen stays live.
        """
        self._today = self.today()
        portfolio = self.scenario
        if portfolio is not None:
            if view is None or not self._current(view):
                view = None
                if quick_to_evaluate(portfolio):
                    view = prepare_view(portfolio, self.as_of, self.view, self.main.sort_index, today=self._today,
                                        **self._what_if_inputs())
                elif self._moves_here and self.view is not None and not self.evaluating:
                    if not self._view_pending:
                        self._view_pending = True
                        self.call_later(self._view_here)
                else:
                    self._evaluate_in_worker(portfolio)
            if view is not None:
                self.view = view
        # The screens get the portfolio of the view on show: while a large portfolio's new view
        # (a reload, a what-if) is made in a worker, the figures on screen are the old view's.
        shown = self.view.portfolio if self.view is not None and self.view.portfolio is not None else portfolio
        data = ScreenData(shown, self.view, tuple(self.errors), self._today)
        for screen in self.screen_stack:
            show = getattr(screen, "show_data", None)  # (the main screen and the details follow the data)
            if show is not None:
                show(data)
        self._publish_status()
        if self._screen_store is not None and self.view is not None and self._files_digest:
            if self._copy_timer is not None:
                self._copy_timer.stop()
            self._copy_timer = self.set_timer(COPY_SCREEN_AFTER_SECONDS, self._keep_screen_copy)

    # --- the reopen screen (`screenstore`) --------------------------------------------------------

    def _screen_name(self, files_digest: str) -> str:
        return ScreenStore.entry_name(self.paths, files_digest, (self.size.width, self.size.height),
                                      self._start_fixed)

    def exit(self, result: None = None, return_code: int = 0, message: Any = None) -> None:
        """A copy due is taken on the way out (q, SIGTERM, SIGHUP): a session closed within a
        moment of its data still leaves its reopen screen."""
        if self._copy_timer is not None:
            self._copy_timer.stop()
            self._keep_screen_copy()
        super().exit(result, return_code, message)

    def _keep_screen_copy(self) -> None:
        """Copy what the panes show for the next start, when it is what a start shows: the
        start's date, no what-if, no filter, the first sort (`MainScreen.copy`)."""
        self._copy_timer = None
        store = self._screen_store
        if store is None or not self.screen_stack or self.as_of_state.fixed != self._start_fixed or self.assumptions:
            return
        if not self.main.laid_out and self._copy_tries < COPY_SCREEN_TRIES:  # (a busy machine)
            self._copy_tries += 1
            self._copy_timer = self.set_timer(COPY_SCREEN_AFTER_SECONDS, self._keep_screen_copy)
            return
        self._copy_tries = 0
        copy = self.main.copy(self.zone)
        name = self._screen_name(self._files_digest)
        # (the same screen of other files, e.g. after a comment was edited, is their copy too)
        if copy is not None and (name, copy) != self._copy_kept:
            store.keep(name, copy)
            self._copy_kept = (name, copy)

    # --- what-if (SPEC §2.1) ----------------------------------------------------------------------

    def _assumed(self) -> tuple[str, ...]:
        from .core.scenarios import normalised

        return tuple(normalised(self.portfolio, self.assumptions)) if self.portfolio and self.assumptions else ()

    def _current(self, view: View) -> bool:
        """Whether `view` shows the as-of date and the assumptions of now."""
        return view.evaluation.as_of == self.as_of and view.assumptions == self._assumed()

    def _what_if_inputs(self) -> dict[str, Any]:
        """What `prepare_view` needs to say what a scenario changes (nothing without one)."""
        return {"real": self.portfolio, "assumptions": list(self.assumptions)} if self.assumptions else {}

    def _set_scenario(self) -> None:
        """The portfolio to show: the files' with the assumptions that still apply to them; an
        assumption the files now refuse is dropped, with a message saying why."""
        portfolio = self.portfolio
        if portfolio is None or not self.assumptions:
            self.scenario = portfolio
            return
        from .core.scenarios import apply_what_holds

        self.scenario, self.assumptions, refused = apply_what_holds(portfolio, self.assumptions)
        for why in refused:
            self.notify(visible(f"what-if dropped: {why}"), title="What-if", severity="warning", markup=False,
                        timeout=10)

    def on_assumption_requested(self, message: AssumptionRequested) -> None:
        """A screen asks for an assumption (`n` on a deal)."""
        self.assume(message.assumption)

    def assume(self, assumption: Assumption | None) -> None:
        """Show the portfolio with `assumption` added, or say why it cannot be."""
        if self.portfolio is None or assumption is None:
            return
        from .core.scenarios import Refused, apply_next

        try:
            apply_next(self.scenario or self.portfolio, self.assumptions, assumption)
        except Refused as why:
            self.notify(visible(f"what-if refused: {why}"), title="What-if", severity="error", markup=False,
                        timeout=10)
            return
        self.assumptions.append(assumption)
        self._what_if_changed()

    def action_drop_assumption(self) -> None:
        if self.assumptions:
            self.assumptions.pop()
            self._what_if_changed()

    def action_drop_assumptions(self) -> None:
        if self.assumptions:
            self.assumptions.clear()
            self._what_if_changed()

    def _what_if_changed(self) -> None:
        self._set_scenario()
        self.refresh_view()
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("drop_assumption", "drop_assumptions"):
            return bool(self.assumptions)
        if action == "disputes":
            return self.portfolio is not None
        return True

    def action_disputes(self, deal_id: str | None = None) -> None:
        """Every claim, grouped by source, with what assuming the source right would change
        (against the files, on the as-of date); `deal_id`: only the claims bearing on it."""
        portfolio = self.portfolio
        if portfolio is None:
            return
        real = self.view.evaluation if self.view is not None and not self.view.assumptions else None
        job = Job(disputes_of, portfolio=portfolio, as_of=self.as_of, deal_id=deal_id, real=real)
        if quick_to_evaluate(portfolio):
            self._show_disputes(job.run().take_output())
        else:  # an evaluation per source: in a thread, the screen stays live
            self.notify("Working out what each source would change…", title="Disputes", timeout=3)
            self.run_worker(job.run, group="disputes", exclusive=True, thread=True, exit_on_error=False)

    def _show_disputes(self, disputes: tuple[Portfolio, date, str | None, list[SourceEffect]]) -> None:
        from .screens.disputes import DisputesScreen

        portfolio, as_of, deal_id, effects = disputes
        if portfolio is self.portfolio:  # (else a reload replaced the files meanwhile: d again)
            self.push_screen(DisputesScreen(effects, portfolio, as_of, deal_id), self.assume)

    def _view_here(self) -> None:
        """A date move on the event loop, for the date the keys pressed meanwhile led to (this
        runs after the keys already queued: a held key does not pile up evaluations)."""
        self._view_pending = False
        portfolio = self.scenario
        if portfolio is None or (self.view is not None and self._current(self.view)):
            return
        started = monotonic()
        view = prepare_view(portfolio, self.as_of, self.view, self.main.sort_index, today=self._today,
                            **self._what_if_inputs())
        self._moves_here = monotonic() - started <= INLINE_MOVE_SECONDS
        self.refresh_view(view)
        self._freeze_view()

    def _evaluate_in_worker(self, portfolio: Portfolio) -> None:
        """One evaluation at a time: keys pressed meanwhile only move the date; when it is
        done, `_view_done` shows it or, if the date moved on, evaluates again."""
        if self.evaluating:
            return
        self.evaluating = True

        def timed(portfolio: Portfolio, **inputs: Any) -> tuple[Portfolio, View, float]:
            started = monotonic()
            return portfolio, prepare_view(portfolio, **inputs), monotonic() - started
        job = Job(timed, portfolio=portfolio, as_of=self.as_of, previous=self.view, sort_index=self.main.sort_index,
                  today=self._today, **self._what_if_inputs())
        self.run_worker(job.run, group="view", thread=True, exit_on_error=False)

    def _view_done(self, state: WorkerState, worker: Worker[Any]) -> None:
        if state == WorkerState.SUCCESS:
            self.evaluating = False
            assert isinstance(worker.result, Job)
            portfolio, view, seconds = worker.result.take_output()
            if portfolio is self.scenario:  # (else a reload or a what-if replaced it meanwhile)
                # (a worker shares the CPU with the screen: the same move here is quicker)
                self._moves_here = seconds <= INLINE_MOVE_SECONDS
                self.refresh_view(view)
                self._freeze_view()
            else:
                self._publish_status()
        elif state in (WorkerState.ERROR, WorkerState.CANCELLED):
            self.evaluating = False
            self._publish_status()

    def _freeze_view(self) -> None:
        """The new date's figures are as large as a load's: kept off full collections like
        one (their first collection made the next paint 0.1-0.4 s late)."""
        if self.frozen is not None:
            self.frozen.after_load()
            if self.frozen.due:
                self.call_after_refresh(self.frozen.collect)

    def _publish_status(self, progress: float | None = None) -> None:
        """Hand the header its state. `progress`: of the load under way."""
        today = self._today or self.today()
        # The date of the figures on screen: while another is evaluated, the header says so
        # and never shows the new date over the old figures.
        copy = self.screen_copy  # (a reopen screen: its date and count until the data is loaded)
        shown = self.view.evaluation.as_of if self.view is not None else copy.as_of if copy else self.as_of
        deals = len(self.portfolio.deals) if self.portfolio is not None else copy.deals if copy else None
        self.status = replace(
            self.status, as_of=shown, today=today, following=self.as_of_state.following,
            deals=deals, errors=len(self.errors),
            watch_mode=self.watch_mode,
            progress=(progress if progress is not None else self.status.progress or 0.0) if self.loading else None,
            evaluating=self.as_of if self.as_of != shown else None,
            what_if=self.view.assumptions if self.view is not None else ())
        self.main.show_status(self.status)

    # --- watching -----------------------------------------------------------------------------

    def _start_watching(self, baseline: Snapshot) -> None:
        if not self.watch_files or self.watch_mode:
            return
        self.watch_mode = "starting"
        from .watch import Watcher

        watcher = Watcher(self.paths, on_change=self.reload, on_mode=self._set_watch_mode,
                          on_saving=self._set_saving)
        self.run_worker(watcher.run(baseline), group="watch", exclusive=True, exit_on_error=False)

    def _set_saving(self, saving: bool) -> None:
        """A writer holds a changed file open: the change is waited for, and the header says so."""
        self.status = replace(self.status, saving=saving)
        self._publish_status()

    def _set_watch_mode(self, mode: str) -> None:
        if mode != self.watch_mode:
            self.watch_mode = mode
            self._publish_status()

    # --- help and palette: both derived from the bindings ---------------------------------------

    # Textual's own bindings that say nothing about dealmon (text selection, sideways scrolling).
    HELP_LEAVES_OUT = frozenset({"copy_text", "scroll_left", "scroll_right", "page_left", "page_right"})

    def action_help(self) -> None:
        """Every key that works where help is opened: dealmon's own first, then moving around;
        keys bound to the same action share a line (↓ j)."""
        grouped: dict[tuple[int, str], tuple[list[str], str, bool]] = {}
        for key, active in self.screen.active_bindings.items():
            binding = active.binding
            action = binding.action.rsplit(".", 1)[-1]
            if action in self.HELP_LEAVES_OUT or (action == "quit" and key != "q"):
                continue
            keys, _what, _mine = grouped.setdefault((id(active.node), binding.action), (
                [], binding.tooltip or binding.description or key, isinstance(active.node, (App, Screen))))
            keys.append(self.get_key_display(binding))
        own = [(" ".join(keys), what) for keys, what, mine in grouped.values() if mine]
        moving = [(" ".join(keys), what) for keys, what, mine in grouped.values() if not mine]
        from .core.model import Settings
        from .screens.help import HelpScreen

        settings = self.portfolio.settings if self.portfolio is not None else Settings()
        self.push_screen(HelpScreen(own + moving, settings))

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        for command in super().get_system_commands(screen):
            if not (self.served and command.title in SERVED_LEAVES_OUT):
                yield command
        main = self.main
        for node, bindings in ((self, self.BINDINGS), (main, MainScreen.BINDINGS)):
            for binding in bindings:
                if isinstance(binding, Binding) and binding.tooltip and binding.action != "quit":
                    tooltip = binding.tooltip
                    yield SystemCommand(tooltip[0].upper() + tooltip[1:],
                                        f"{binding.description} ({self.get_key_display(binding)})",
                                        partial(self.run_action, binding.action, node))


    # --- served in a browser: nothing writes on the server -----------------------------------------

    def _refused_when_served(self) -> bool:
        if self.served:
            self.notify("Not available in the browser: the served monitor saves nothing.", title="dealmon",
                        severity="warning")
        return self.served

    def action_screenshot(self, filename: str | None = None, path: str | None = None) -> None:
        if not self._refused_when_served():
            super().action_screenshot(filename, path)

    def save_screenshot(self, filename: str | None = None, path: str | None = None,
                        time_format: str | None = None) -> str:
        if self.served:
            raise PermissionError("the served monitor writes no file on the server")
        return super().save_screenshot(filename, path, time_format)

    def deliver_screenshot(self, filename: str | None = None, path: str | None = None,
                           time_format: str | None = None) -> str | None:
        if self._refused_when_served():
            return None
        return super().deliver_screenshot(filename, path, time_format)

    def action_suspend_process(self) -> None:
        if not self._refused_when_served():
            super().action_suspend_process()


def disputes_of(portfolio: Portfolio, as_of: date, deal_id: str | None, real: Evaluation | None
                ) -> tuple[Portfolio, date, str | None, list[SourceEffect]]:
    """What the disputes screen shows, with what it was made for (a Job's work: maybe a thread)."""
    from .core.scenarios import source_effects

    return portfolio, as_of, deal_id, source_effects(portfolio, as_of, real)


def terminal_present() -> bool:
    """stdin and the output Textual writes to (stderr) are both still terminals."""
    try:
        return all(f is not None and os.isatty(f.fileno()) for f in (sys.__stdin__, sys.__stderr__))
    except (OSError, ValueError):
        return False


def terminal_problem(environ: dict[str, str]) -> str | None:
    """Why the monitor cannot run in this terminal, or None."""
    if not terminal_present():
        return ("the monitor needs a terminal (stdin and stderr must be a TTY). "
                "For scripts, cron and CI use `dealmon check`.")
    term = environ.get("TERM", "")
    if term in ("", "dumb", "unknown"):
        return (f"TERM={term or '(unset)'} cannot show the monitor: it needs cursor movement. "
                "Set TERM (e.g. TERM=xterm-256color), or use `dealmon check` for plain text.")
    return None


def run_app(paths: list[str] | None, as_of: date | None, served: bool = False) -> int:
    problem = None if served else terminal_problem(dict(os.environ))
    if problem:
        print(f"dealmon: {problem}", file=sys.stderr)
        return 2
    app = DealmonApp(paths, as_of, freeze_data=True, served=served)
    app.run()
    return app.return_code or 0
