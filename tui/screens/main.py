"""The main screen: the header, the error banner, the three panes and the footer; the keys that
act on the panes (filter, sort, details). It shows what it is given (`show_data`,
`show_status`) and asks the App for nothing."""
from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import partial
from typing import TYPE_CHECKING

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container, VerticalScroll
from textual.screen import Screen
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Footer, Input, Static

from ..core import formatting as fmt
from ..core.text import visible
from ..core.words import WHAT_IF
from ..loading import ScreenData, evaluate_kept
from ..panes.capacity import CapacityPane
from ..panes.countdowns import CountdownsPane
from ..panes.deal_terms import DealTermsPane
from ..rows.capacity import CapacityTexts
from ..rows.cells import cell
from ..screenstore import ScreenCopy
from ..widgets.status_bar import Status, StatusBar
from ..widgets.virtual_table import VirtualTable

if TYPE_CHECKING:
    from ..core.scenarios import NoticeAssumption

MIN_WIDTH, MIN_HEIGHT = 80, 24
WIDE_WIDTH = 160
FILTER_SETTLE_SECONDS = 0.15  # the countdowns and capacity follow the filter after this pause
SHORT_HEIGHT = 34  # below: the per-deal exits list under the countdowns gives way to the events


class MainScreen(Screen[None]):
    """Deal terms, countdowns and capacity: stacked below 160 columns, side by side above;
    below 80×24 a plain message instead (the layout classes come from the breakpoints)."""

    HORIZONTAL_BREAKPOINTS = [(0, "-too-narrow"), (MIN_WIDTH, "-narrow"), (WIDE_WIDTH, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-too-short"), (MIN_HEIGHT, "-short"), (SHORT_HEIGHT, "-tall")]
    BINDINGS = [
        # A priority binding: it runs as the app reads the key, before the keys after it are
        # routed (see DealTermsPane.open_filter); check_action lets `/` type into the filter.
        Binding("slash", "filter", "Filter", priority=True,
                tooltip="filter the panes: words, provider: status: model: tag: disputed risk"),
        Binding("s", "sort", "Sort", tooltip="sort the deal table by the next column (▲ shows which)"),
        Binding("S", "reverse_sort", "Reverse", show=False, tooltip="reverse the deal table's sort order (▲/▼)"),
        Binding("enter", "details", "Details", tooltip="every field, source, claim and derivation of the deal"),
        # In the footer only while a filter is on (check_action), so the footer says so.
        Binding("escape", "clear_filter", "Clear filter", tooltip="clear the filter"),
        Binding("1", "focus_pane(1)", "Terms", show=False, tooltip="focus the deal terms pane"),
        Binding("2", "focus_pane(2)", "Countdowns", show=False, tooltip="focus the countdowns pane"),
        Binding("3", "focus_pane(3)", "Capacity", show=False, tooltip="focus the capacity pane"),
        Binding("z", "zoom", "Zoom", tooltip="maximise the focused pane, or back (the header stays)"),
        Binding("n", "assume_notice", "What if notice", show=False,
                tooltip="what if notice were served on the selected deal (a date, a party)"),
    ]
    PANES = {1: "#deal-table", 2: "#event-table", 3: "#capacity"}  # what takes the focus in each
    DATA_ACTIONS = frozenset({"filter", "sort", "reverse_sort", "details", "assume_notice"})  # need data on screen

    def __init__(self) -> None:
        super().__init__()
        self.data = ScreenData()
        self.status = Status()
        self.zoomed: Widget | None = None  # the pane maximised with `z`
        self._shown = False  # composed and mounted: data can be shown
        self._drawn = False  # the panes show `self.data`
        self._filter_timer: Timer | None = None
        # The reopen screen on show while the files load (`screenstore`), and the keys pressed
        # meanwhile that need the data: they run once it is there, in order.
        self.copy_shown: ScreenCopy | None = None
        self._held: list[Callable[[], None]] = []

    def compose(self) -> ComposeResult:
        bar = StatusBar(id="status")
        bar.set_reactive(StatusBar.status, self.status)
        yield bar
        yield Static(id="what-if")
        with VerticalScroll(id="errors"):
            yield Static(id="errors-body")
        with Container(id="panes"):
            yield DealTermsPane(id="terms")
            yield CountdownsPane(id="countdowns")
            yield CapacityPane(id="capacity")
        yield Static(id="too-small")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#deal-table").focus()
        # Data handed over before the screen was composed (a small portfolio loads before the
        # first frame): shown now, so that the first frame has it.
        self._shown = True
        if self.copy_shown is not None:
            self.show_copy(self.copy_shown)
        self.show_data(self.data)
        self.refresh_bindings()

    @property
    def sort_index(self) -> int:
        """The deal table's sort order (the load job sorts in it off the UI thread)."""
        panes = self.query(DealTermsPane)
        return panes.first().sort_index if panes else 0

    # --- what it shows ----------------------------------------------------------------------

    def show_status(self, status: Status) -> None:
        self.status = status
        for bar in self.query(StatusBar):  # (none before the screen is composed)
            bar.status = status

    def show_copy(self, copy: ScreenCopy) -> None:
        """Show a reopen screen (`screenstore`) until the data is loaded: the panes as they
        were shown for the same files, date and terminal size."""
        self.copy_shown = copy
        if not self._shown:  # not composed yet: on_mount shows it
            return
        self.query_one(DealTermsPane).show_copy(copy.deal_table)
        self.query_one(CountdownsPane).show_copy(copy.event_table, copy.asks, copy.exits)
        self.query_one(CapacityPane).show_texts(CapacityTexts(*copy.capacity), copy.capacity_title)

    def copy(self, zone: str) -> ScreenCopy | None:
        """What the panes show, for the reopen screen: None unless they show the data as a
        start does (no filter, the first sort, no what-if, no error).

        Args:
            zone: the portfolio's clock (the day the copy is for is checked in it).
        """
        data, terms = self.data, self.query_one(DealTermsPane)
        view, portfolio, capacity = data.view, data.portfolio, self.query_one(CapacityPane)
        if (view is None or portfolio is None or data.today is None or data.errors or view.assumptions
                or terms.filter_text or terms.sort_index or terms.descending or capacity.texts is None
                or not capacity.fits):
            return None
        rows = self.app.size.height  # (no table shows more)
        events, asks, exits = self.query_one(CountdownsPane).copy(rows)
        return ScreenCopy(view.evaluation.as_of, data.today, zone, len(portfolio.deals), terms.copy(rows), events,
                          asks, exits, (capacity.texts.totals, capacity.texts.timeline, capacity.texts.providers),
                          capacity.title)

    @property
    def laid_out(self) -> bool:
        """Whether the panes show the data as laid out now (the capacity texts are made again
        for the pane's width once the layout knows it): what `copy` needs."""
        return self.query_one(CapacityPane).fits

    def _later(self, action: Callable[[], None]) -> bool:
        """Whether `action` must wait for the data: while a reopen screen is on show, it is
        held and runs once the data is there (a key pressed in the first second is not lost)."""
        if self.data.portfolio is not None:
            return False
        if self.copy_shown is not None:
            self._held.append(action)
        return True

    def show_data(self, data: ScreenData) -> None:
        """Show `data`: the panes its view (when there is one), the banner its errors."""
        before = self.data
        had_data = before.portfolio is not None
        self.data = data
        if not self._shown:  # not composed yet: on_mount shows it
            return
        view, portfolio = data.view, data.portfolio
        if view is not None or data.errors:  # the data replaces a reopen screen, or errors do
            self.copy_shown = None
            if view is None:
                self._held.clear()  # (keys pressed on a copy that errors replaced: not later)
        # The same view again (a date move hands the old one until the new one is made): the
        # panes already show it; drawing them again put ~40 ms of 10,000 deals before the move.
        same = view is before.view and portfolio is before.portfolio and data.today == before.today
        if view is not None and portfolio is not None and not (same and self._drawn):
            self._drawn = True
            terms = self.query_one(DealTermsPane)
            terms.show(view.evaluation, portfolio, view.deal_rows)
            self._show_filtered(terms.kept)
        self._show_what_if()
        # Classes, not inline styles, so the too-small rule in the stylesheet still wins.
        self.set_class(portfolio is None and self.copy_shown is None, "no-data")
        self.set_class(bool(data.errors), "has-errors")
        self._show_errors()
        if (portfolio is not None) != had_data:  # filter/sort/details come and go with the data
            self.refresh_bindings()
        if portfolio is not None and view is not None and self._held:
            held, self._held = self._held, []
            for action in held:
                action()

    def _show_what_if(self) -> None:
        """The assumptions of a scenario on show, on their own line under the header."""
        view = self.data.view
        assumptions = view.assumptions if view is not None else ()
        self.set_class(bool(assumptions), "what-if")
        if assumptions:
            text = Text(f" {WHAT_IF}: ", style="bold", end="", no_wrap=True, overflow="ellipsis")
            text.append_text(cell(" · ".join(assumptions)))
            text.append("  (x: drop the last · X: all)")
            self.query_one("#what-if", Static).update(text)

    def _show_filtered(self, kept: frozenset[str] | None) -> None:
        """Countdowns and capacity for the deals the filter keeps (None: every deal)."""
        view, portfolio = self.data.view, self.data.portfolio
        if view is None or portfolio is None:
            return
        ev = view.evaluation
        self.query_one(CountdownsPane).show(ev, view.event_rows, kept, self.data.today)
        self.query_one(CapacityPane).show(ev, evaluate_kept(portfolio, ev, kept) if kept is not None else None,
                                          portfolio, view.what_if)

    def on_deal_terms_pane_filtered(self, message: DealTermsPane.Filtered) -> None:
        # A keystroke shows in the table at once; the other panes follow once typing pauses
        # (the capacity of a large subset takes a moment to sum).
        if self._filter_timer is not None:
            self._filter_timer.stop()
        # (what the filter keeps when the timer fires: a filter typed on a reopen screen kept
        # nothing yet, and the data may have come meanwhile)
        self._filter_timer = self.set_timer(FILTER_SETTLE_SECONDS,
                                            lambda: self._show_filtered(self.query_one(DealTermsPane).kept))

    def _show_errors(self) -> None:
        errors = self.data.errors
        if not errors:
            return
        text = Text(end="")
        many = fmt.plural(len(errors), "error")
        if self.data.portfolio is None:
            text.append(f"The files have {many}; nothing to show yet. This clears by itself once they "
                        "are valid (q quits).\n", style="bold")
        else:
            text.append(f"The last change to the files has {many}: the panes show the last good data "
                        "(stale). This clears by itself once the files are valid again.\n", style="bold")
        for problem in errors:
            text.append_text(cell(str(problem)))
            text.append("\n")
        self.query_one("#errors-body", Static).update(text)

    def on_resize(self, event: events.Resize) -> None:
        width, height = event.size
        if width < MIN_WIDTH or height < MIN_HEIGHT:
            self.query_one("#too-small", Static).update(Text(
                f"Terminal too small: {width}×{height}.\ndealmon needs at least {MIN_WIDTH}×{MIN_HEIGHT}.\n"
                "Enlarge the window, or press q to quit.", justify="center", end=""))

    # --- keys -------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in self.DATA_ACTIONS and self.data.portfolio is None:
            return self.copy_shown is not None  # (held until the data is there: `_later`)
        if action == "filter" and isinstance(self.focused, Input):
            return False  # typed into the filter (`/` may be part of what is looked for)
        if action == "clear_filter":
            terms = self.query(DealTermsPane)
            return bool(terms) and (bool(terms.first().filter_text) or terms.first().filter_open)
        return True

    def action_focus_pane(self, number: int) -> None:
        self.query_one(self.PANES[number]).focus()

    def action_zoom(self) -> None:
        """Maximise the pane that has the focus, or go back; the header and footer stay."""
        if self.zoomed is not None:
            self.zoomed.remove_class("zoomed")
            self.zoomed = None
        else:
            panes = [w for w in (self.focused, *(self.focused.ancestors if self.focused else ()))
                     if isinstance(w, (DealTermsPane, CountdownsPane, CapacityPane))]
            if panes:
                self.zoomed = panes[0]
                self.zoomed.add_class("zoomed")
        self.set_class(self.zoomed is not None, "zooming")

    def action_filter(self) -> None:
        self.query_one(DealTermsPane).open_filter()

    def action_sort(self) -> None:
        if not self._later(self.action_sort):
            self.query_one(DealTermsPane).cycle_sort()

    def action_reverse_sort(self) -> None:
        if not self._later(self.action_reverse_sort):
            self.query_one(DealTermsPane).reverse_sort()

    def action_clear_filter(self) -> None:
        terms = self.query_one(DealTermsPane)
        if terms.filter_text or terms.filter_open:
            terms.clear_filter()

    def action_details(self) -> None:
        self.show_details(self._selected_deal())

    def _selected_deal(self) -> str | None:
        focused = self.focused
        if focused is not None and focused.id == "event-table":
            return self.query_one(CountdownsPane).selected_deal
        return self.query_one(DealTermsPane).selected_deal

    def action_assume_notice(self) -> None:
        """What if notice were served on the selected deal: asks when and by whom."""
        if self._later(self.action_assume_notice):
            return
        portfolio, deal_id = self.data.portfolio, self._selected_deal()
        deal = portfolio.deals.get(deal_id) if portfolio is not None and deal_id is not None else None
        if deal is None or portfolio is None:
            return
        if deal.notice is None:
            self.notify(visible(f"deal '{deal.id}' has no exit right (no notice terms): no notice to assume"),
                        title="What-if", severity="warning", markup=False)
            return

        from .what_if import AssumeNoticeScreen, AssumptionRequested

        def assume(assumption: NoticeAssumption | None) -> None:
            if assumption is not None:
                self.post_message(AssumptionRequested(assumption))
        self.app.push_screen(AssumeNoticeScreen(deal, self.data.today or date.today(), portfolio.settings.side),
                             assume)

    def show_details(self, deal_id: str | None) -> None:
        if self._later(partial(self.show_details, deal_id)):
            return
        from .details import DetailsScreen

        evaluation = self.data.evaluation
        if deal_id is not None and evaluation is not None and deal_id in evaluation.deals:
            self.app.push_screen(DetailsScreen(deal_id, self.data))

    def on_deal_terms_pane_selected(self, message: DealTermsPane.Selected) -> None:
        self.show_details(message.deal_id)

    def on_virtual_table_row_selected(self, event: VirtualTable.RowSelected) -> None:
        if event.table.id == "event-table":
            self.action_details()
