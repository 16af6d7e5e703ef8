"""Countdowns: every event by date with days left and band (colour and text), and per deal
the exit that notice given today would bring, and whether the other side could end it within
the horizon."""
from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from ..core.evaluate import Evaluation
from ..rows.events import COLUMNS, EventRows, build_event_rows
from ..widgets.virtual_table import VirtualTable


class CountdownsPane(Vertical):
    BORDER_TITLE = "Countdowns"  # shown from the first frame, before the data arrives

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.prepared: EventRows | None = None  # the rows on show

    def compose(self) -> ComposeResult:
        yield VirtualTable(COLUMNS, id="event-table")
        yield Static(id="exits")

    @property
    def table(self) -> VirtualTable:
        return self.query_one("#event-table", VirtualTable)

    @property
    def selected_deal(self) -> str | None:
        """The deal of the event under the cursor."""
        key = self.table.cursor_key
        return key[0] if isinstance(key, tuple) else None

    def show(self, ev: Evaluation, prepared: EventRows | None = None) -> None:
        """Show the events of `ev`; `prepared`: its rows, built off the UI thread."""
        if prepared is None or prepared.evaluation is not ev:
            prepared = build_event_rows(ev, self.prepared)
        self.prepared = prepared
        rows = prepared.rows
        self.table.show_rows(rows, widths=prepared.widths)  # ev.events is already in date order
        self.border_title = f"Countdowns · {len(rows)} event{'' if len(rows) == 1 else 's'}"
        self.query_one("#exits", Static).update(prepared.exits)
