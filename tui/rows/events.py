"""The countdowns' rows: every event by date, and per deal the exit that notice would bring."""
from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from rich.text import Text

from ..core import formatting as fmt
from ..core.words import Status
from .cells import BAND_STYLE, DISPUTED_MARK, DISPUTED_STYLE, STYLE, Cell, cell, measure, table_cell

if TYPE_CHECKING:  # (a reopen screen's first frame has the columns without the evaluation)
    from ..core.evaluate import Evaluation, Event
    from ..core.model import Portfolio

COLUMNS = [("date", "date"), ("days", "left", "right"), ("band", "band"), ("event", "deal: event")]
FULL_LABELS_FROM = 100  # columns: from here the full label of SPEC §3, below the short form
EXITS_SHOWN = 30

EventKey = tuple[str, str, date]  # (deal, kind, date)
# What an event's row has that no date changes: its date cell, its full and short "deal: event"
# cells, and their widths.
EventCells = tuple[Cell, Cell, Cell, int, int, int]


def _event_cells(e: Event) -> EventCells:
    day = (fmt.day(e.date), "")
    full = table_cell(f"{e.deal}: {e.kind.label}")
    short = table_cell(f"{e.deal}: {e.kind.short}")
    widths = measure((day, full, short))
    return day, full, short, widths[0], widths[1], widths[2]


class EventRows:
    """The countdown rows of one evaluation and its exits text; built without touching a
    widget (see `build_event_rows`), so the load worker can build them.

    A row is made when the table draws it (`row`): a date move changes the days left and
    band of every event, and only the rows on screen need them (bench/README.md, "rows made
    when drawn"). What no date changes is kept per event across evaluations (`fixed`)."""

    def __init__(self, evaluation: Evaluation, events: dict[EventKey, Event], fixed: dict[EventKey, EventCells],
                 exits: Text) -> None:
        self.evaluation = evaluation
        self.events = events  # in date order
        self.fixed = fixed  # (may hold events of other dates too)
        self.exits = exits
        self.providers: dict[str, str] = {}  # provider id -> name, for what an event asks
        self._made: dict[tuple[EventKey, bool], tuple[Cell, ...]] = {}

    def keys(self, kept: frozenset[str] | None = None) -> list[EventKey]:
        """The events' keys in date order; `kept`: only the events of these deals."""
        return list(self.events) if kept is None else [key for key in self.events if key[0] in kept]

    def row(self, key: EventKey, short: bool = False) -> tuple[Cell, ...]:
        """The row of event `key`: date (marked ± when a claim disputes what it is computed
        from), days left, band, "deal: event" (the short label when `short`: `EventKind.short`)."""
        made = self._made.get((key, short))
        if made is None:
            from ..core.evaluate import event_disputed

            e = self.events[key]
            day, full, brief = self.fixed[key][:3]
            if event_disputed(e, self.evaluation.deals[e.deal]):
                day = (DISPUTED_MARK + day[0], DISPUTED_STYLE)
            style = BAND_STYLE[e.level]
            made = self._made[(key, short)] = (day, (fmt.days(e.days_left), style), (e.level.label, style),
                                               brief if short else full)
        return made

    def column_widths(self, keys: list[EventKey], short: bool = False) -> list[int]:
        """The widest cell of each column over the rows `keys` (without making the rows)."""
        if not keys:
            return [0, 0, 0, 0]
        from ..core.evaluate import event_disputed

        events, fixed = self.events, self.fixed
        day_width = label_width = 0
        levels = set()
        states = self.evaluation.deals
        marked = False  # some date is marked ± (every date is 10 wide: one more then)
        for key in keys:
            cells = fixed[key]
            e = events[key]
            if cells[3] > day_width:
                day_width = cells[3]
            width = cells[5] if short else cells[4]
            if width > label_width:
                label_width = width
            levels.add(e.level)
            if not marked and event_disputed(e, states[e.deal]):
                marked = True
        day_width += marked
        # Days left read longer as they grow ("today" and "1 day" are 5 cells, "2 days" 6):
        # the widest is at one end, and the keys are in date order.
        left = max(len(fmt.days(events[keys[0]].days_left)), len(fmt.days(events[keys[-1]].days_left)))
        return [day_width, left, max(len(level.label) for level in levels), label_width]

    def asks(self, key: EventKey) -> str:
        """What the event `key` asks of the user (SPEC §3), made when asked: only the event under
        the cursor is ever shown, and making all of them cost 0.13 s at 10,000 deals."""
        from ..core.evaluate import event_asks

        e = self.events.get(key)
        if e is None:
            return ""
        state = self.evaluation.deals[e.deal]
        return event_asks(e, state, self.providers.get(state.deal.provider, state.deal.provider))


def build_event_rows(ev: Evaluation, previous: EventRows | None, today: date | None = None,
                     portfolio: Portfolio | None = None) -> EventRows:
    """The rows of `ev`; `today`: the real date (when the as-of date is another, the exits say
    "notice on <as-of date>", not "notice today"); `portfolio`: for the providers' names in what
    each event asks."""
    events = {(e.deal, e.kind.value, e.date): e for e in ev.events}
    fixed = previous.fixed if previous is not None else {}
    if len(fixed) > 2 * len(events) + 1024:  # events of many other dates: keep today's only
        fixed = {key: fixed[key] for key in events if key in fixed}
    for key, e in events.items():
        if key not in fixed:
            fixed[key] = _event_cells(e)  # (shared with `previous`: only ever added to)
    rows = EventRows(ev, events, fixed, exits_text(ev, today))
    if portfolio is not None:
        rows.providers = {pid: p.name for pid, p in portfolio.providers.items()}
    return rows


def exits_text(ev: Evaluation, today: date | None = None, kept: frozenset[str] | None = None) -> Text:
    """Per deal, the exit that notice given today would bring, the soonest first; a long
    portfolio shows the first EXITS_SHOWN (the rest are in each deal's details): a Static of
    thousands of lines is slow to lay out."""
    from ..core.evaluate import exit_words

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
