"""Deal terms: one row per deal, keyed by id; sort with `s`, filter with `/`."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input

from ..core.filtering import DealFilter
from ..rows.cells import cell
from ..rows.deals import COLUMNS, SORTS, DealRows, build_deal_rows
from ..screenstore import TableCopy
from ..widgets.virtual_table import VirtualTable

if TYPE_CHECKING:
    from ..core.evaluate import Evaluation
    from ..core.model import Portfolio


class DealTermsPane(Vertical):
    """The deal terms table, its filter input and its sort order."""

    BORDER_TITLE = "Deal terms"  # shown from the first frame, before the data arrives

    class Filtered(Message):
        """The deals the filter keeps (None: every deal), for the other panes."""

        def __init__(self, kept: frozenset[str] | None, text: str) -> None:
            super().__init__()
            self.kept = kept
            self.text = text

    class Selected(Message):
        def __init__(self, deal_id: str) -> None:
            super().__init__()
            self.deal_id = deal_id

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.sort_index = 0
        self.descending = False
        self.filter_text = ""
        self.prepared: DealRows | None = None  # the rows on show
        self.portfolio: Portfolio | None = None
        self.kept: frozenset[str] | None = None  # the deals the filter keeps (None: all)
        self.title = ""  # the border title, as text

    def compose(self) -> ComposeResult:
        yield VirtualTable(COLUMNS, id="deal-table")
        # Hidden until `/` (the stylesheet); composed with the table, so that `/` pressed as soon
        # as the data shows always finds it.
        yield Input(placeholder="filter: words, provider: status: model: tag: disputed risk — enter keeps it, "
                                "esc clears", id="deal-filter")

    @property
    def selected_deal(self) -> str | None:
        """The id of the deal under the cursor."""
        key = self.table.cursor_key
        return key if isinstance(key, str) else None

    @property
    def table(self) -> VirtualTable:
        return self.query_one("#deal-table", VirtualTable)

    def show(self, evaluation: Evaluation, portfolio: Portfolio, prepared: DealRows | None = None) -> None:
        """Show the deals of `evaluation`; `prepared`: its rows, built off the UI thread."""
        if prepared is None or prepared.evaluation is not evaluation:
            prepared = build_deal_rows(evaluation, portfolio, self.prepared, self.sort_index)
        self.prepared = prepared
        self.portfolio = portfolio
        self._render_rows()

    def _render_rows(self, filter_changed: bool = True) -> None:
        prepared, portfolio = self.prepared, self.portfolio
        if prepared is None or portfolio is None:
            return
        # Filter a precomputed order with precomputed haystacks: a keystroke on 10,000 deals
        # is a test per deal, no re-sort, no new cells.
        if filter_changed:
            self.kept = prepared.kept(DealFilter.parse(self.filter_text), portfolio)
        ids = prepared.ids(self.sort_index, self.kept, self.descending)
        # Rows are made when drawn (DealRows.row); the same rows in the same order as on show
        # are not shown again.
        self.table.show_source(ids, prepared.row, prepared.column_widths(None if self.kept is None else ids),
                               source=(prepared, self.kept, self.sort_index, self.descending))
        self.table.mark_column(self.sort_index, "▼" if self.descending else "▲")
        rows_shown = self.table.row_count
        total = len(prepared.built)
        shown = f"{rows_shown} of {total}" if self.filter_text else f"{total}"
        title = f"Deal terms ({shown}) · sort: {COLUMNS[self.sort_index][1]} {'▼' if self.descending else '▲'}"
        if self.filter_text:
            title += f" · filter: {self.filter_text}"
        self.title = title
        self.border_title = cell(title)

    def copy(self, rows: int) -> TableCopy:
        """The first `rows` rows as shown, for the reopen screen (`screenstore`)."""
        keys, cells, widths = self.table.first_rows(rows)
        return TableCopy(keys, cells, widths, self.title, self.table.row_count)

    def show_copy(self, copy: TableCopy) -> None:
        """Show the rows of a reopen screen until the loaded data replaces them."""
        self.table.show_source(copy.keys, copy.rows.__getitem__, copy.widths, source=None)
        self.table.mark_column(self.sort_index, "▼" if self.descending else "▲")
        self.title = copy.title
        self.border_title = cell(copy.title)

    def cycle_sort(self) -> None:
        """Sort by the next column (ascending)."""
        self.sort_index = (self.sort_index + 1) % len(SORTS)
        self.descending = False
        self._render_rows(filter_changed=False)

    def reverse_sort(self) -> None:
        self.descending = not self.descending
        self._render_rows(filter_changed=False)

    @property
    def filter_open(self) -> bool:
        return any(box.display for box in self.query("#deal-filter"))

    def open_filter(self) -> None:
        for box in self.query("#deal-filter").results(Input):
            box.display = True
            # At once, not on the next turn of the loop (`focus()`): over SSH `/goo` arrives in
            # one burst, and the keys after `/` must find the filter focused (`g` would jump
            # to the table's first row). `/` is a priority binding for the same reason.
            self.screen.set_focus(box)

    def clear_filter(self) -> None:
        for box in self.query("#deal-filter").results(Input):
            box.value = ""
            box.display = False
        self.filter_text = ""
        self._render_rows()
        self.post_message(self.Filtered(self.kept, self.filter_text))
        self.table.focus()
        self.screen.refresh_bindings()

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        had = bool(self.filter_text)
        self.filter_text = event.value.strip()
        self._render_rows()
        self.post_message(self.Filtered(self.kept, self.filter_text))
        if had != bool(self.filter_text):
            self.screen.refresh_bindings()  # the footer's "esc Clear filter" comes and goes

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        event.input.display = bool(self.filter_text)
        self.table.focus()

    def on_virtual_table_row_selected(self, event: VirtualTable.RowSelected) -> None:
        event.stop()
        if isinstance(event.row_key, str):
            self.post_message(self.Selected(event.row_key))
