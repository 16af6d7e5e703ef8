"""The countdowns' rows: every event by date, and per deal the exit that notice would bring."""
from __future__ import annotations

from datetime import date

from rich.text import Text

from ..core import formatting as fmt
from ..core.evaluate import Evaluation, Event
from ..core.words import Status
from .cells import BAND_STYLE, Cell, cell, measure, table_cell

COLUMNS = [("date", "date"), ("days", "days", "right"), ("band", "band"), ("event", "deal: event")]
EXITS_SHOWN = 30

EventKey = tuple[str, str, date]  # (deal, kind, date)
EventEntry = tuple[Event, tuple[Cell, ...], tuple[int, ...]]  # (event, row, cell widths)


def event_row(e: Event) -> tuple[Cell, ...]:
    style = BAND_STYLE[e.level]
    return (
        (fmt.day(e.date), ""),
        (fmt.days(e.days_left), style),
        (e.level.label, style),
        table_cell(f"{e.deal}: {e.kind.label}"),
    )


class EventRows:
    """The countdown rows of one evaluation and its exits text; built without touching a
    widget (see `build_event_rows`), so the load worker can build them."""

    def __init__(self, evaluation: Evaluation, built: dict[EventKey, EventEntry], exits: Text) -> None:
        self.evaluation = evaluation
        self.built = built
        self.rows = {key: entry[1] for key, entry in built.items()}
        self.widths = {key: entry[2] for key, entry in built.items()}
        self.exits = exits


def build_event_rows(ev: Evaluation, previous: EventRows | None) -> EventRows:
    built: dict[EventKey, EventEntry] = {}
    reuse = previous.built if previous is not None else {}
    for e in ev.events:
        key = (e.deal, e.kind.value, e.date)
        entry = reuse.get(key)
        # Events are immutable: the same event object (from a reused deal state) keeps its row.
        if entry is None or entry[0] is not e:
            row = event_row(e)
            entry = (e, row, measure(row))
        built[key] = entry
    return EventRows(ev, built, exits_text(ev))


def exits_text(ev: Evaluation) -> Text:
    """Per deal, the exit that notice given today would bring, the soonest first; a long
    portfolio shows the first EXITS_SHOWN (the rest are in each deal's details): a Static of
    thousands of lines is slow to lay out."""
    other = ev.settings.other_side
    horizon = ev.settings.horizon_days
    out = Text(end="")
    live = [s for s in ev.deals.values() if s.status is not Status.ENDED]
    live.sort(key=lambda s: (s.notice_exit or date.max, s.id))
    for s in live[:EXITS_SHOWN]:
        exit_on = s.earliest_exit_if_notice_today
        if s.counted_notice is not None:
            what = f"notice served {fmt.day(s.counted_notice.given)} → exit on {fmt.day(s.exit_date)}"
        elif exit_on is not None and s.deal.notice is not None:
            what = f"notice today → exit on {fmt.day(exit_on)}"
        elif exit_on is not None:
            what = f"no exit right · term ends {fmt.day(exit_on)}"
        else:
            what = "no exit right · renews"
        if out:
            out.append("\n")
        out.append_text(cell(s.id, "bold"))
        out.append_text(cell(f": {what}"))
        if s.other_side_can_end:
            out.append(f" · {other.label} could end it ≤ {horizon}d", style="bold yellow")
    if len(live) > EXITS_SHOWN:
        out.append(f"\n… and {len(live) - EXITS_SHOWN:,} more deals (enter on a deal shows its exit)",
                   style="italic")
    return out
