"""The monitor: a thin App wiring loading, the as-of date, the panes and the keys.

All numbers come from `core.evaluate.evaluate()`, run once per (portfolio, as-of date) and
shared by every pane.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from time import monotonic
from typing import TYPE_CHECKING, Any, Callable, Iterable, NamedTuple
from zoneinfo import ZoneInfo

from rich.text import Text
from textual import events
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding
from textual.message import Message
from textual.containers import Container, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from textual.worker import Worker, WorkerState

from .core.clock import today as today_in, zone_name
from .core.dates import add_months
from .core.locations import default_paths
from .core.perf import FrozenData
from .panes.capacity import CapacityPane
from .panes.countdowns import CountdownsPane
from .panes.deal_terms import DealTermsPane
from .widgets.cells import cell
from .widgets.virtual_table import VirtualTable

if TYPE_CHECKING:  # the loader (PyYAML) and the evaluation are imported by the load worker
    from .core.evaluate import Evaluation
    from .core.loader import LoadCache, LoadResult
    from .panes.countdowns import EventRows
    from .panes.deal_terms import DealRows
    from .core.model import Portfolio
    from .core.problems import Problem
    from .watcher import Snapshot

MIN_WIDTH, MIN_HEIGHT = 80, 24
WIDE_WIDTH = 160
# One app-wide tick. It only checks whether the date changed (midnight in settings.timezone);
# nothing repaints unless it did.
TICK_SECONDS = 20.0
# How often to check that the terminal is still there (an SSH link may drop with SIGHUP
# ignored, or stdin may reach EOF: Textual's input thread then spins; we exit instead).
TERMINAL_CHECK_SECONDS = 1.0


class LoadProgress(Message):
    """Posted from the load worker's thread (post_message is thread-safe)."""

    def __init__(self, fraction: float) -> None:
        super().__init__()
        self.fraction = fraction


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


class DealmonApp(App):
    CSS_PATH = "dealmon.tcss"
    TITLE = "dealmon"
    BINDINGS = [
        Binding("q", "quit", "Quit"),
        Binding("r", "reload", "Reload"),
        Binding("slash", "filter", "Filter"),
        Binding("s", "sort", "Sort"),
        Binding("enter", "details", "Details"),
        Binding("escape", "back", "Back", show=False),
        Binding("left_square_bracket", "day(-1)", "−day", show=False),
        Binding("right_square_bracket", "day(1)", "+day"),
        Binding("left_curly_bracket", "month(-1)", "−month", show=False),
        Binding("right_curly_bracket", "month(1)", "+month"),
        Binding("t", "today", "Today"),
        Binding("question_mark", "help", "Help"),
    ]

    def __init__(self, paths: list[str] | None = None, as_of: date | None = None,
                 now: Callable[[], datetime] = utc_now, watch: bool = True,
                 freeze_data: bool = False) -> None:
        """`freeze_data`: keep full GC passes off the loaded data (core.perf.FrozenData); the
        command turns it on, tests leave it off (gc.freeze is process-wide)."""
        super().__init__()
        self.frozen = FrozenData() if freeze_data else None
        self._last_activity = monotonic()  # of the last key, mouse event or load
        self.paths, self.bundled = (list(paths), False) if paths else default_paths()
        self.watch_files = watch
        self.watch_mode = ""  # "watching" or "polling (why)", shown in the header
        self.now = now  # injectable clock (tests freeze it)
        self.fixed_as_of: date | None = as_of  # None: follow today
        self._travel_anchor: date | None = None
        self._month_offset = 0
        self.result: LoadResult | None = None
        self.portfolio: Portfolio | None = None  # the last good data
        self.errors: list[Problem] = []
        self.loaded_at: datetime | None = None
        self.evaluation: Evaluation | None = None
        self._today: date | None = None
        self.loading = False
        self.load_progress = 0.0
        self.evaluating = False  # a time-travel evaluation is running in a worker
        self._had_data = False
        self._load_cache: LoadCache | None = None  # what the last load made of each file

    # --- layout --------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Static(id="status")
        with VerticalScroll(id="errors"):
            yield Static(id="errors-body")
        with Container(id="panes"):
            yield DealTermsPane(id="terms")
            yield CountdownsPane(id="countdowns")
            yield CapacityPane(id="capacity")
        yield Static(id="too-small")
        yield Footer()

    def on_mount(self) -> None:
        self._fit(self.size.width, self.size.height)
        # Load after the first frame: the layout paints at once, the data follows.
        self.call_after_refresh(self.reload)
        self.set_interval(TICK_SECONDS, self.tick)
        self.query_one("#deal-table").focus()
        self._install_signals()
        if not self.is_headless:
            self.set_interval(TERMINAL_CHECK_SECONDS, self.check_terminal)

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

    # --- signals ---------------------------------------------------------------------------

    def _install_signals(self) -> None:
        """SIGUSR1 reloads (the btop/calcurse convention); SIGTERM and SIGHUP end the app
        cleanly, through Textual's own shutdown, so the terminal is restored."""
        import asyncio
        import signal

        loop = asyncio.get_running_loop()
        self._signals = []
        for sig, handler in ((signal.SIGUSR1, self.reload),
                             (signal.SIGTERM, lambda: self._terminate(signal.SIGTERM)),
                             (signal.SIGHUP, lambda: self._terminate(signal.SIGHUP))):
            try:
                loop.add_signal_handler(sig, handler)
                self._signals.append(sig)
            except (NotImplementedError, RuntimeError, ValueError):  # not the main thread, or no signals
                pass

    def _terminate(self, signum: int) -> None:
        self.exit(return_code=128 + signum)

    def on_unmount(self) -> None:
        import asyncio

        if self.frozen is not None:
            self.frozen.release()

        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return
        for sig in getattr(self, "_signals", []):
            loop.remove_signal_handler(sig)

    def on_resize(self, event) -> None:
        self._fit(event.size.width, event.size.height)
        if self.evaluation is not None:
            self.query_one(CapacityPane).show(self.evaluation)  # it shows more when taller

    def _fit(self, width: int, height: int) -> None:
        screen = self.screen
        small = width < MIN_WIDTH or height < MIN_HEIGHT
        screen.set_class(small, "too-small")
        screen.set_class(width >= WIDE_WIDTH, "wide")
        if small:
            self.query_one("#too-small", Static).update(Text(
                f"Terminal too small: {width}×{height}.\ndealmon needs at least {MIN_WIDTH}×{MIN_HEIGHT}.\n"
                "Enlarge the window, or press q to quit.", justify="center", end=""))

    # --- data ------------------------------------------------------------------------------

    @property
    def zone(self) -> str:
        return zone_name(self.portfolio.settings.timezone if self.portfolio else None)

    def today(self) -> date:
        return today_in(self.zone, self.now())

    @property
    def as_of(self) -> date:
        return self.as_of_for(self.portfolio)

    def as_of_for(self, portfolio: Portfolio | None) -> date:
        """The fixed date, else today in the portfolio's zone (a new one may have another)."""
        zone = zone_name(portfolio.settings.timezone if portfolio else None)
        return self.fixed_as_of or today_in(zone, self.now())

    def reload(self, snapshot: Snapshot | None = None) -> None:
        """Load the files in a thread; the screen stays live and paints before the data.

        `snapshot`: the files as the watcher read them (settled); None reads them now."""
        self.loading = True
        self.load_progress = 0.0
        self._show_status()
        small = _total_size(self.paths, snapshot) <= INLINE_LOAD_BYTES
        job = Job(self._load_files, snapshot=snapshot, previous=self._view(),
                  sort_index=self.query_one(DealTermsPane).sort_index)
        if small:
            # A few files load in milliseconds: on the event loop, without starting a thread
            # (a thread that once parsed keeps ~0.7 MB resident: stack and malloc arena).
            async def load_here() -> Job:
                return job.run()
            self.run_worker(load_here, group="load", exclusive=True, exit_on_error=False)
        else:
            self.run_worker(job.run, group="load", exclusive=True, thread=True, exit_on_error=False)

    def _load_files(self, snapshot: Snapshot | None, previous: View | None,
                    sort_index: int) -> tuple[LoadResult, Snapshot, View | None]:
        """Read, load, evaluate and build the panes' rows: everything but showing them, so a
        100,000-deal load leaves the screen live (this runs in a thread when it is large)."""
        # PyYAML, the loader and the watcher: imported off the UI thread and off the start path.
        from .core.loader import LoadCache, load
        from .watcher import take_snapshot

        if snapshot is None:
            snapshot = take_snapshot(self.paths)
        contents, digests = snapshot.contents, snapshot.file_digests
        snapshot = snapshot.without_contents()  # what is kept: digests only
        reported = [0.0]

        def progress(fraction: float) -> None:  # in the worker thread: post, never touch widgets
            if fraction - reported[0] >= 0.05:
                reported[0] = fraction
                self.post_message(LoadProgress(fraction))
        if self._load_cache is None:  # made here: the loader is imported off the start path
            self._load_cache = LoadCache()
        # Of the progress shown, reading the files is the first 80%; evaluating and building
        # the rows the rest (seconds for 100,000 deals).
        result = load(self.paths, contents, lambda f: progress(LOAD_SHARE * f), self._load_cache, digests)
        view = None
        if result.ok:
            view = prepare_view(result.portfolio, self.as_of_for(result.portfolio), previous, sort_index,
                                lambda f: progress(LOAD_SHARE + (1 - LOAD_SHARE) * f))
        return result, snapshot, view

    def on_load_progress(self, message: LoadProgress) -> None:
        if self.loading:
            self.load_progress = message.fraction
            self._show_status()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        worker = event.worker
        if worker.group == "watch" and event.state == WorkerState.ERROR:
            # Never silently: the header says the files are no longer watched, and why.
            self._set_watch_mode(f"not watching: {type(worker.error).__name__}: {worker.error}"[:80])
            return
        if worker.group == "view":
            self._view_done(event.state, worker)
            return
        if worker.group != "load":
            return
        if event.state == WorkerState.SUCCESS:
            result, snapshot, view = worker.result.take_output()
            self.apply_load(result, view)
            self._start_watching(snapshot)
        elif event.state == WorkerState.ERROR:  # a bug, not bad input: say so, keep the data
            from .core.problems import Problem

            self.loading = False
            self.errors = [Problem(self.paths[0] if self.paths else "config", 1, 1,
                                   f"internal error while loading: {worker.error!r}")]
            self.refresh_view()

    def apply_load(self, result: LoadResult, view: View | None = None) -> None:
        """Only a whole valid load replaces the data on screen. `view`: made by the worker
        for this portfolio (used when still for the current as-of date)."""
        self.loading = False
        self.result = result
        before = self.evaluation
        if result.ok:
            self.portfolio = result.portfolio
            self.errors = []
            self.loaded_at = self.now()
        else:
            self.errors = list(result.errors)
        self.refresh_view(view if result.ok else None)
        if result.ok and before is not None and self.evaluation is not None:
            self._notify_changes(before, self.evaluation)
        if result.ok and self.frozen is not None:
            self._last_activity = monotonic()
            self.frozen.after_load()
            if self.frozen.due:  # after the paint: the new data shows first
                self.call_after_refresh(self.frozen.collect)

    def _notify_changes(self, before: Evaluation, after: Evaluation) -> None:
        from .core.changes import compare
        from .core.text import visible

        if before.as_of != after.as_of:  # the day moved meanwhile: not a change of the files
            return
        changes = compare(before, after)
        # One reload notice at a time: a file rewritten every second must not pile them up.
        self.clear_notifications()
        # File text (deal ids) in a notification: made visible, never parsed as markup.
        self.notify(visible(changes.summary(), one_line=False), title="Reloaded", markup=False,
                    timeout=8 if changes else 3)

    # --- watching ----------------------------------------------------------------------------

    def _start_watching(self, baseline: Snapshot) -> None:
        if not self.watch_files or self.watch_mode:
            return
        self.watch_mode = "starting"
        self.run_worker(self._watch(baseline), group="watch", exclusive=True, exit_on_error=False)

    async def _watch(self, baseline: Snapshot) -> None:
        from .watcher import Watcher

        await Watcher(self.paths, on_change=self.reload, on_mode=self._set_watch_mode).run(baseline)

    def _set_watch_mode(self, mode: str) -> None:
        if mode != self.watch_mode:
            self.watch_mode = mode
            self._show_status()

    def refresh_view(self, view: View | None = None) -> None:
        """Evaluate once for the current as-of date and hand the result to every pane.

        `view`: evaluation and rows made off the UI thread, used when for the current date.
        Otherwise they are made here, or, for a large portfolio, in a worker while the
        screen stays live (time travel through 100,000 deals takes seconds)."""
        self._today = self.today()
        portfolio = self.portfolio
        if portfolio is not None:
            if view is None or view.evaluation.as_of != self.as_of:
                view = None
                if len(portfolio.deals) <= INLINE_DEALS:
                    view = prepare_view(portfolio, self.as_of, self._view(),
                                        self.query_one(DealTermsPane).sort_index)
                else:
                    self._evaluate_in_worker()
            if view is not None:
                from .core.perf import paused_gc

                self.evaluation = view.evaluation
                with paused_gc():  # a young 100,000-deal heap: one full pass would take seconds
                    self.query_one(DealTermsPane).show(view.evaluation, portfolio, view.deal_rows)
                    self.query_one(CountdownsPane).show(view.evaluation, view.event_rows)
                    self.query_one(CapacityPane).show(view.evaluation)
                refresh_details = getattr(self.screen, "refresh_details", None)
                if refresh_details is not None:  # an open details screen follows the data
                    refresh_details()
        # Classes, not inline styles, so the too-small rule in the stylesheet still wins.
        self.screen.set_class(self.portfolio is None, "no-data")
        self.screen.set_class(bool(self.errors), "has-errors")
        self._show_errors()
        self._show_status()
        has_data = self.portfolio is not None
        if has_data != self._had_data:  # filter/sort/details come and go with the data
            self._had_data = has_data
            self.refresh_bindings()  # (only on a change: each refresh rebuilds the footer)

    def _view(self) -> View | None:
        """What the panes show now (reused by the next evaluation where nothing changed)."""
        if self.evaluation is None:
            return None
        return View(self.evaluation, self.query_one(DealTermsPane).prepared,
                    self.query_one(CountdownsPane).prepared)

    def _evaluate_in_worker(self) -> None:
        """One evaluation at a time: keys pressed meanwhile only move the date; when it is
        done, `_view_done` shows it or, if the date moved on, evaluates again."""
        if self.evaluating:
            return
        self.evaluating = True
        self._show_status()
        job = Job(lambda portfolio, **inputs: (portfolio, prepare_view(portfolio, **inputs)),
                  portfolio=self.portfolio, as_of=self.as_of, previous=self._view(),
                  sort_index=self.query_one(DealTermsPane).sort_index)
        self.run_worker(job.run, group="view", thread=True, exit_on_error=False)

    def _view_done(self, state: WorkerState, worker: Worker) -> None:
        if state == WorkerState.SUCCESS:
            self.evaluating = False
            portfolio, view = worker.result.take_output()
            if portfolio is self.portfolio:  # (else a reload replaced it meanwhile)
                self.refresh_view(view)
            else:
                self._show_status()
        elif state in (WorkerState.ERROR, WorkerState.CANCELLED):
            self.evaluating = False
            self._show_status()

    def tick(self) -> None:
        """The app-wide tick: move to the new day at midnight, without a restart."""
        if self.fixed_as_of is None and self.today() != self._today:
            self.refresh_view()

    def _show_errors(self) -> None:
        if not self.errors:
            return
        text = Text(end="")
        if self.portfolio is None:
            text.append(f"The config has {len(self.errors)} error(s); nothing to show yet. "
                        "Fix the files and press r to reload (q quits).\n", style="bold")
        else:
            text.append(f"The last reload failed with {len(self.errors)} error(s); showing the last good "
                        f"data (stale). Fix the files and press r.\n", style="bold")
        for problem in self.errors:
            text.append_text(cell(str(problem)))
            text.append("\n")
        self.query_one("#errors-body", Static).update(text)

    def _show_status(self) -> None:
        source = "bundled example" if self.bundled else ", ".join(self.paths)
        as_of, today = self.as_of, self._today or self.today()
        line = Text(end="")
        line.append(" dealmon ", style="bold reverse")
        line.append(" ")
        line.append_text(cell(source))
        line.append(f" · as of {as_of}")
        if as_of != today:
            line.append(f" ★ not today ({today:%b %d})", style="bold yellow")
        elif self.fixed_as_of is None:
            line.append(" (today)")
        if self.loaded_at is not None:
            # A clock time, not "5 s ago": nothing repaints every second.
            line.append(f" · loaded {self.loaded_at.astimezone(ZoneInfo(self.zone)):%H:%M:%S}")
        if self.errors and self.portfolio is not None:
            line.append(f" · STALE: {len(self.errors)} error(s)", style="bold red")
        elif self.errors:
            line.append(f" · INVALID: {len(self.errors)} error(s)", style="bold red")
        elif self.portfolio is not None:
            line.append(f" · ok {len(self.portfolio.deals)} deals", style="green")
        if self.watch_mode.startswith(("polling", "not watching")):
            line.append_text(cell(f" · {self.watch_mode}", "yellow"))
        if self.loading:
            line.append(f" · loading… {self.load_progress:.0%}" if self.load_progress else " · loading…",
                        style="italic")
        elif self.evaluating:
            line.append(" · evaluating…", style="italic")
        self.query_one("#status", Static).update(line)

    # --- actions ---------------------------------------------------------------------------

    MAIN_SCREEN_ACTIONS = frozenset({"filter", "sort", "details", "back"})

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Filter, sort and details act on the main screen's tables: not while a details or
        # help screen covers them (time travel and reload still work there).
        if action in self.MAIN_SCREEN_ACTIONS and (len(self.screen_stack) > 1 or self.portfolio is None):
            return False
        return True

    def action_reload(self) -> None:
        self.reload()

    def action_filter(self) -> None:
        if self.portfolio is not None:
            self.query_one(DealTermsPane).open_filter()

    def action_sort(self) -> None:
        if self.portfolio is not None:
            self.query_one(DealTermsPane).cycle_sort()

    def action_back(self) -> None:
        terms = self.query_one(DealTermsPane)
        if terms.filter_text or terms.filter_open:
            terms.clear_filter()

    def _selected_deal(self) -> str | None:
        focused = self.focused
        if focused is not None and focused.id == "event-table":
            return self.query_one(CountdownsPane).selected_deal()
        key = self.query_one(DealTermsPane).table.cursor_key
        return key if isinstance(key, str) else None

    def action_details(self) -> None:
        deal_id = self._selected_deal()
        if deal_id is not None and self.evaluation is not None and deal_id in self.evaluation.deals:
            self.show_details(deal_id)

    def show_details(self, deal_id: str) -> None:
        from .screens.details import DetailsScreen  # imported on first use: faster start

        self.push_screen(DetailsScreen(deal_id))

    def on_deal_terms_pane_selected(self, message: DealTermsPane.Selected) -> None:
        self.show_details(message.deal_id)

    def on_virtual_table_row_selected(self, event: VirtualTable.RowSelected) -> None:
        if event.table.id == "event-table":
            self.action_details()

    def action_day(self, days: int) -> None:
        self.fixed_as_of = self.as_of + timedelta(days=days)
        self._travel_anchor, self._month_offset = None, 0
        self.refresh_view()

    def action_month(self, months: int) -> None:
        # Anchored to the day travel started from: Jan 31 → Feb 28 → Mar 31, not → Mar 28.
        if self._travel_anchor is None:
            self._travel_anchor, self._month_offset = self.as_of, 0
        moved = add_months(self._travel_anchor, self._month_offset + months)
        if moved is None:
            self.bell()
            return
        self._month_offset += months
        self.fixed_as_of = moved
        self.refresh_view()

    def action_today(self) -> None:
        self.fixed_as_of = None
        self._travel_anchor, self._month_offset = None, 0
        self.refresh_view()

    def action_help(self) -> None:
        from .screens.help import HelpScreen

        self.push_screen(HelpScreen())

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield SystemCommand("Reload", "Reload the config files now (r)", self.action_reload)
        yield SystemCommand("Filter deals", "Filter by id, party, facility or tag (/)", self.action_filter)
        yield SystemCommand("Sort deals", "Cycle the sort column (s)", self.action_sort)
        yield SystemCommand("Deal details", "Every field, source, claim and derivation (enter)", self.action_details)
        yield SystemCommand("Next day", "As-of date + 1 day (])", lambda: self.action_day(1))
        yield SystemCommand("Previous day", "As-of date − 1 day ([)", lambda: self.action_day(-1))
        yield SystemCommand("Next month", "As-of date + 1 month (})", lambda: self.action_month(1))
        yield SystemCommand("Previous month", "As-of date − 1 month ({)", lambda: self.action_month(-1))
        yield SystemCommand("Back to today", "Follow the clock again (t)", self.action_today)
        yield SystemCommand("Help", "Every key (?)", self.action_help)


INLINE_LOAD_BYTES = 64 * 1024  # about 120 deals: loaded and evaluated in ~30 ms
INLINE_DEALS = 5_000  # a new as-of date evaluates on the UI thread up to here (~0.15 s)
LOAD_SHARE = 0.8  # of a load's progress: reading the files (the rest: evaluating, rows)


class Job:
    """One worker's inputs and output, each let go of as soon as it is used.

    A finished Worker is a reference cycle that lingers until a full collection, and after
    gc.freeze() (core.perf.FrozenData) that can be many loads later; holding a snapshot of
    the files and the previous evaluation and rows, each would keep ~10 MB of a 10,000-deal
    portfolio alive (measured: +170 MB over 18 reloads). The Worker holds only this."""

    __slots__ = ("work", "inputs", "output")

    def __init__(self, work: Callable[..., Any], **inputs: Any) -> None:
        self.work, self.inputs, self.output = work, inputs, None

    def run(self) -> Job:
        work, inputs = self.work, self.inputs
        self.work, self.inputs = None, None
        self.output = work(**inputs)
        return self

    def take_output(self) -> Any:
        output, self.output = self.output, None
        return output


class View(NamedTuple):
    """An evaluation with the panes' rows for it: all a pane needs to show a date."""
    evaluation: Evaluation
    deal_rows: DealRows | None
    event_rows: EventRows | None


def prepare_view(portfolio: Portfolio, as_of: date, previous: View | None, sort_index: int,
                 progress: Callable[[float], None] = lambda fraction: None) -> View:
    """Evaluate and build every pane's rows, touching no widget (callable from a worker).
    From `previous`, whatever did not change is reused (see evaluate() and the builders)."""
    from .core.evaluate import evaluate
    from .core.perf import paused_gc
    from .panes.countdowns import build_event_rows
    from .panes.deal_terms import build_deal_rows

    with paused_gc():  # bulk allocation, no cycles: see core/perf.py
        ev = evaluate(portfolio, as_of, previous.evaluation if previous else None)
        progress(0.5)
        deal_rows = build_deal_rows(ev, portfolio, previous.deal_rows if previous else None, sort_index)
        progress(0.75)
        event_rows = build_event_rows(ev, previous.event_rows if previous else None)
    return View(ev, deal_rows, event_rows)


def _total_size(paths: list[str], snapshot: Snapshot | None) -> int:
    if snapshot is not None:
        return sum(len(data) for data in snapshot.contents.values())
    import os

    from .core.locations import config_files
    from .core.problems import Problems

    total = 0
    for path in config_files(paths, Problems()):
        try:
            total += os.stat(path).st_size
        except OSError:
            pass
    return total


def terminal_present() -> bool:
    """stdin and the output Textual writes to (stderr) are both still terminals."""
    import os
    import sys

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


def run_app(paths: list[str] | None, as_of: date | None) -> int:
    import os
    import sys

    problem = terminal_problem(dict(os.environ))
    if problem:
        print(f"dealmon: {problem}", file=sys.stderr)
        return 2
    app = DealmonApp(paths, as_of, freeze_data=True)
    app.run()
    return app.return_code or 0
