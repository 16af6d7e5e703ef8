"""The countdowns' rows: every event by date, and per deal the exit that notice would bring."""
from __future__ import annotations

from datetime import date

from rich.text import Text

from ..core import formatting as fmt
from ..core.evaluate import DealState, Evaluation, Event, event_asks
from ..core.model import Portfolio
from ..core.words import Status
from .cells import BAND_STYLE, STYLE, Cell, cell, measure, table_cell

COLUMNS = [("date", "date"), ("days", "left", "right"), ("band", "band"), ("event", "deal: event")]
FULL_LABELS_FROM = 100  # columns: from here the full label of SPEC §3, below the short form
EXITS_SHOWN = 30

EventKey = tuple[str, str, date]  # (deal, kind, date)
# (event, row with the full label, its cell widths, row with the short label, its widths)
EventEntry = tuple[Event, tuple[Cell, ...], tuple[int, ...], tuple[Cell, ...], tuple[int, ...]]


def event_row(e: Event, short: bool = False) -> tuple[Cell, ...]:
    """date, days left, band, "deal: label" — the short label (`EventKind.short`) keeps the key
    word; the deal id is never shortened."""
    style = BAND_STYLE[e.level]
    return (
        (fmt.day(e.date), ""),
        (fmt.days(e.days_left), style),
        (e.level.label, style),
        table_cell(f"{e.deal}: {e.kind.short if short else e.kind.label}"),
    )


class EventRows:
    """The countdown rows of one evaluation and its exits text; built without touching a
    widget (see `build_event_rows`), so the load worker can build them."""

    def __init__(self, evaluation: Evaluation, built: dict[EventKey, EventEntry], exits: Text) -> None:
        self.evaluation = evaluation
        self.built = built
        self.rows = {key: entry[1] for key, entry in built.items()}
        self.widths = {key: entry[2] for key, entry in built.items()}
        self.short_rows = {key: entry[3] for key, entry in built.items()}
        self.short_widths = {key: entry[4] for key, entry in built.items()}
        self.exits = exits
        self.providers: dict[str, str] = {}  # provider id -> name, for what an event asks

    def asks(self, key: EventKey) -> str:
        """What the event `key` asks of the user (SPEC §3), made when asked: only the event under
        the cursor is ever shown, and making all of them cost 0.13 s at 10,000 deals."""
        entry = self.built.get(key)
        if entry is None:
            return ""
        e = entry[0]
        state = self.evaluation.deals[e.deal]
        return event_asks(e, state, self.providers.get(state.deal.provider, state.deal.provider))


def build_event_rows(ev: Evaluation, previous: EventRows | None, today: date | None = None,
                     portfolio: Portfolio | None = None) -> EventRows:
    """The rows of `ev`; `today`: the real date (when the as-of date is another, the exits say
    "notice on <as-of date>", not "notice today"); `portfolio`: for the providers' names in what
    each event asks."""
    built: dict[EventKey, EventEntry] = {}
    reuse = previous.built if previous is not None else {}
    for e in ev.events:
        key = (e.deal, e.kind.value, e.date)
        entry = reuse.get(key)
        if entry is None:
            row, short = event_row(e), event_row(e, short=True)
            entry = (e, row, measure(row), short, measure(short))
        elif entry[0] is not e:
            # The same event on another as-of date: only the days left and the band change.
            style = BAND_STYLE[e.level]
            left, band = (fmt.days(e.days_left), style), (e.level.label, style)
            sizes = (len(left[0]), len(band[0]))
            _, row, widths, short, short_widths = entry
            entry = (e, (row[0], left, band, row[3]), (widths[0], *sizes, widths[3]),
                     (short[0], left, band, short[3]), (short_widths[0], *sizes, short_widths[3]))
        built[key] = entry
    rows = EventRows(ev, built, exits_text(ev, today))
    if portfolio is not None:
        rows.providers = {pid: p.name for pid, p in portfolio.providers.items()}
    return rows


def exit_words(s: DealState, as_of: date, today: date | None = None) -> str:
    """What notice would do for deal `s`, in words: 'notice today → exit on …', or why not."""
    when = "today" if today is None or today == as_of else f"on {fmt.day(as_of)}"
    deal, exit_on = s.deal, s.earliest_exit_if_notice_today
    if s.counted_notice is not None:
        return f"notice served {fmt.day(s.counted_notice.given)} by the {s.counted_notice.by.label} → exit on " \
               f"{fmt.day(s.exit_date)}"
    if deal.notice is None:
        if deal.fixed_end is not None:
            return f"no exit right · the term ends {fmt.day(deal.fixed_end)}"
        if deal.end is None:
            return "no exit right · evergreen, no end"
        return f"no exit right · renews at {fmt.day(s.term_end)}"
    opens = s.exit_right_from
    if opens is None:
        return "the exit right never opens (after 9999-12-31)"
    if exit_on is None:
        return "no exit reachable by notice"
    if opens > as_of:
        return f"exit right opens {fmt.day(opens)} → exit on {fmt.day(exit_on)} at the earliest"
    return f"notice {when} → exit on {fmt.day(exit_on)}"


def exits_text(ev: Evaluation, today: date | None = None, kept: frozenset[str] | None = None) -> Text:
    """Per deal, the exit that notice given today would bring, the soonest first; a long
    portfolio shows the first EXITS_SHOWN (the rest are in each deal's details): a Static of
    thousands of lines is slow to lay out."""
    other = ev.settings.other_side
    horizon = ev.settings.horizon_days
    out = Text(end="")
    live = [s for s in ev.deals.values() if s.status is not Status.ENDED and (kept is None or s.id in kept)]
    live.sort(key=lambda s: (s.notice_exit or date.max, s.id))
    for s in live[:EXITS_SHOWN]:
        if out:
            out.append("\n")
        out.append_text(cell(s.id, "bold"))
        out.append_text(cell(f": {exit_words(s, ev.as_of, today)}"))
        if s.other_side_can_end:
            out.append(f" · the {other.label} could end it ≤ {horizon}d", style=STYLE["at_risk"])
    if len(live) > EXITS_SHOWN:
        out.append(f"\n… and {len(live) - EXITS_SHOWN:,} more deals (enter on a deal shows its exit)",
                   style="italic")
    return out
