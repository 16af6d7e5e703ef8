"""Countdowns: every event by date with days left and band (colour and text), and per deal
the exit that notice given today would bring, and whether the other side could end it within
the horizon."""
from __future__ import annotations

from collections.abc import Hashable, Mapping
from datetime import date
from functools import partial
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Static

from ..core import formatting as fmt
from ..rows.cells import cell
from ..rows.events import COLUMNS, FULL_LABELS_FROM, EventRows, build_event_rows, exits_text
from ..screenstore import TableCopy
from ..widgets.virtual_table import VirtualTable

if TYPE_CHECKING:
    from ..core.evaluate import Evaluation


class CountdownsPane(Vertical):
    BORDER_TITLE = "Countdowns"  # shown from the first frame, before the data arrives

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.prepared: EventRows | None = None  # the rows on show
        self.kept: frozenset[str] | None = None  # the deals the filter keeps (None: all)
        self.title = ""  # the border title
        self.exits = Text()  # the per-deal exits under the table, as shown
        self._asks: Mapping[Hashable, str] = {}  # a reopen screen's (what the copied events ask)

    def compose(self) -> ComposeResult:
        yield VirtualTable(COLUMNS, id="event-table")
        yield Static(id="event-asks")
        with VerticalScroll(id="exits"):
            yield Static(id="exits-body")

    @property
    def table(self) -> VirtualTable:
        return self.query_one("#event-table", VirtualTable)

    @property
    def selected_deal(self) -> str | None:
        """The deal of the event under the cursor."""
        key = self.table.cursor_key
        return key[0] if isinstance(key, tuple) else None

    def show(self, ev: Evaluation, prepared: EventRows | None = None, kept: frozenset[str] | None = None,
             today: date | None = None) -> None:
        """Show the events of `ev`; `prepared`: its rows, built off the UI thread; `kept`: the
        deals the filter keeps (None: all)."""
        if prepared is None or prepared.evaluation is not ev:
            prepared = build_event_rows(ev, self.prepared)
        self.prepared, self.kept = prepared, kept
        self._show_rows()
        shown = self.table.row_count
        self.title = f"Countdowns · {fmt.plural(shown, 'event')}" + (" · filtered" if kept is not None else "")
        self.border_title = self.title
        self.exits = prepared.exits if kept is None else exits_text(ev, today, kept)
        self.query_one("#exits-body", Static).update(self.exits)

    def copy(self, rows: int) -> tuple[TableCopy, dict[Hashable, str], Text]:
        """The first `rows` events as shown, what each asks, and the exits: for the reopen
        screen (`screenstore`)."""
        keys, cells, widths = self.table.first_rows(rows)
        prepared = self.prepared
        asks: dict[Hashable, str] = {}
        if prepared is not None:
            asks.update((key, prepared.asks(key)) for key in keys if isinstance(key, tuple))
        return TableCopy(keys, cells, widths, self.title, self.table.row_count), asks, self.exits

    def show_copy(self, copy: TableCopy, asks: Mapping[Hashable, str], exits: Text) -> None:
        """Show the events of a reopen screen until the loaded data replaces them."""
        self._asks = asks
        self.table.show_source(copy.keys, copy.rows.__getitem__, copy.widths, source=None)
        self.title = self.border_title = copy.title
        self.exits = exits
        self.query_one("#exits-body", Static).update(exits)

    def _show_rows(self) -> None:
        """The full labels from FULL_LABELS_FROM columns, the short ones below (in date order)."""
        prepared = self.prepared
        if prepared is None:
            return
        short = self.app.size.width < FULL_LABELS_FROM
        keys = prepared.keys(self.kept)
        # The same events (equal days left and bands) as on show: nothing is repainted.
        self.table.show_source(keys, partial(prepared.row, short=short), prepared.column_widths(keys, short),
                               source=(prepared.events, self.kept, short))

    def on_resize(self) -> None:
        self._show_rows()

    def on_virtual_table_row_highlighted(self, message: VirtualTable.RowHighlighted) -> None:
        """Under the table: what the event under the cursor asks (SPEC §3's words)."""
        prepared, key = self.prepared, message.row_key
        if not isinstance(key, tuple) or (prepared is None and key not in self._asks):
            return
        deal, _kind, day = key
        asks = prepared.asks(key) if prepared is not None else self._asks[key]
        self.query_one("#event-asks", Static).update(cell(f"{deal}, {day}: {asks}", "italic"))
