"""Countdowns: every event by date with days left and band (colour and text), and per deal
the exit that notice given today would bring, and whether the other side could end it within
the horizon."""
from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from ..widgets.cells import LEVEL_MARK, LEVEL_STYLE, Cell, cell, table_cell
from ..widgets.virtual_table import VirtualTable, measure

if TYPE_CHECKING:
    from ..core.evaluate import Evaluation, Event

COLUMNS = [("date", "date"), ("days", "days", "right"), ("band", "band"), ("event", "deal: event")]
EXITS_SHOWN = 30
EVENT_LABEL = {"start": "starts", "exit_right": "exit right opens", "notice_deadline": "notice deadline",
               "renewal": "renews", "term_end": "term ends", "exit": "exits"}


def _row(e: Event) -> tuple[Cell, ...]:
    style = LEVEL_STYLE[e.level]
    return (
        (e.date.isoformat(), ""),
        (f"{e.days_left:,}d", style),
        (LEVEL_MARK[e.level], style),
        table_cell(f"{e.deal}: {EVENT_LABEL[e.kind]}"),
    )


class CountdownsPane(Vertical):
    BORDER_TITLE = "Countdowns"  # shown from the first frame, before the data arrives

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.prepared: EventRows | None = None  # the rows on show

    def compose(self) -> ComposeResult:
        yield VirtualTable(COLUMNS, id="event-table")
        yield Static(id="exits")

    @property
    def table(self) -> VirtualTable:
        return self.query_one("#event-table", VirtualTable)

    def selected_deal(self) -> str | None:
        key = self.table.cursor_key
        return key[0] if key else None

    def show(self, ev: Evaluation, prepared: EventRows | None = None) -> None:
        """Show the events of `ev`; `prepared`: its rows, built off the UI thread."""
        if prepared is None or prepared.evaluation is not ev:
            prepared = build_event_rows(ev, self.prepared)
        self.prepared = prepared
        rows = prepared.rows
        self.table.show_rows(rows, widths=prepared.widths)  # ev.events is already in date order
        self.border_title = f"Countdowns · {len(rows)} event{'' if len(rows) == 1 else 's'}"
        self.query_one("#exits", Static).update(prepared.exits)


class EventRows:
    """The countdown rows of one evaluation and its exits text; built without touching a
    widget (see `build_event_rows`), so the load worker can build them."""

    def __init__(self, evaluation: Evaluation, built: dict[tuple, tuple], exits: Text) -> None:
        self.evaluation = evaluation
        self.built = built  # (deal, kind, date) -> (event, row, cell widths)
        self.rows = {key: entry[1] for key, entry in built.items()}
        self.widths = {key: entry[2] for key, entry in built.items()}
        self.exits = exits


def build_event_rows(ev: Evaluation, previous: EventRows | None) -> EventRows:
    built = {}
    reuse = previous.built if previous is not None else {}
    for e in ev.events:
        key = (e.deal, e.kind, e.date)
        entry = reuse.get(key)
        # Events are immutable: the same event object (from a reused deal state) keeps its row.
        if entry is None or entry[0] is not e:
            row = _row(e)
            entry = (e, row, measure(row))
        built[key] = entry
    return EventRows(ev, built, exits_text(ev))


def exits_text(ev: Evaluation) -> Text:
    """Per deal, the exit that notice given today would bring, the soonest first; a long
    portfolio shows the first EXITS_SHOWN (the rest are in each deal's details): a Static of
    10,000 lines costs seconds to lay out."""
    other = "provider" if ev.settings.side == "buyer" else "buyer"
    horizon = ev.settings.horizon_days
    out = Text(end="")
    live = [s for s in ev.deals.values() if s.status != "ended"]
    live.sort(key=lambda s: ((s.exit_date if s.counted_notice else s.earliest_exit_if_notice_today)
                             or date.max, s.id))
    for s in live[:EXITS_SHOWN]:
        ident = s.id
        exit_on = s.earliest_exit_if_notice_today
        if s.counted_notice is not None:
            what = f"notice served {s.counted_notice.given} → exit on {s.exit_date}"
        elif exit_on is not None and s.deal.notice is not None:
            what = f"notice today → exit on {exit_on}"
        elif exit_on is not None:
            what = f"no exit right · term ends {exit_on}"
        else:
            what = "no exit right · renews"
        if out:
            out.append("\n")
        out.append_text(cell(ident, "bold"))
        out.append_text(cell(f": {what}"))
        if s.other_side_can_end:
            out.append(f" · {other} could end it ≤ {horizon}d", style="bold yellow")
    if len(live) > EXITS_SHOWN:
        out.append(f"\n… and {len(live) - EXITS_SHOWN:,} more deals (enter on a deal shows its exit)",
                   style="italic")
    return out
