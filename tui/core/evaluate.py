"""SPEC §2: everything the tool shows, computed from (portfolio, as-of date) in one place.

`evaluate()` is the only source of numbers: `dealmon check` and every pane of the monitor
present its result and compute nothing of their own.
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from operator import attrgetter
from typing import Any, NamedTuple

from .dates import BeforeTime, Duration, add, add_months, calendar_years, first_k, sub
from .model import CapacityLine, Deal, Facility, Notice, Portfolio, ServedNotice, Settings
from .numbers import exact
from .perf import without_gc
from .problems import Problem
from .words import Band, Effect, EventKind, Parties, Risk, Status

TIMELINE_MONTHS = 24


class Event(NamedTuple):
    """One event of one deal on the as-of date. A named tuple: a date move makes one for every
    upcoming event, and a frozen dataclass took three times as long to make."""

    deal: str
    kind: EventKind
    date: date
    days_left: int
    level: Band


@dataclass(slots=True)
class Figures:
    """Accelerators by model and MW; counts are exact ints, power an exact Decimal."""

    accelerators: dict[str, int] = field(default_factory=dict)
    power_mw: Decimal = Decimal(0)

    def add(self, other: Figures, sign: int = 1) -> None:
        acc = self.accelerators
        for model, n in other.accelerators.items():
            acc[model] = acc.get(model, 0) + sign * n
        self.power_mw += sign * other.power_mw

    def copy(self) -> Figures:
        return Figures(dict(self.accelerators), self.power_mw)

    def nonzero(self) -> dict[str, int]:
        return {m: n for m, n in sorted(self.accelerators.items()) if n}

    @property
    def total_accelerators(self) -> int:
        return sum(self.accelerators.values())


@dataclass(slots=True)
class DealState:
    deal: Deal
    status: Status
    exit_right_from: date | None
    exit_date: date | None
    term_end: date | None
    notice_deadline: date | None
    earliest_exit_if_notice_today: date | None
    counted_notice: ServedNotice | None
    events: list[Event]
    disputed: list[str]
    at_risk: bool  # ending, or the other side could end it within the horizon
    ending: bool  # exit_date within the horizon
    other_side_can_end: bool  # the other side (settings.side) may give notice and exit within the horizon
    steady: Steady | None = field(default=None, repr=False, compare=False)  # the dates it holds on

    @property
    def id(self) -> str:
        return self.deal.id

    @property
    def next_event(self) -> Event | None:
        return self.events[0] if self.events else None

    @property
    def notice_exit(self) -> date | None:
        """The exit that decides this deal's fate as things stand: the exit date of a
        counted notice, else the exit if notice were given today (None: no such exit)."""
        return self.exit_date if self.counted_notice is not None else self.earliest_exit_if_notice_today

    def in_force(self, d: date) -> bool:
        return self.deal.start <= d and (self.exit_date is None or d <= self.exit_date)

    @property
    def risk(self) -> Risk | None:
        """SPEC §2 "Per deal" `at_risk`: why the deal's capacity is at risk within the horizon."""
        if self.status is Status.ENDED:
            return None
        if self.ending:
            return Risk.ENDING
        return Risk.OTHER_SIDE if self.other_side_can_end else None


class Steady:
    """The dates on which a deal's state holds as it is, but for what moves with the date by
    itself: each event's days left and band and, when `daily`, the exit if notice were given
    today (today + the notice period) and whether the other side could end the deal.

    Every date the evaluation compares the as-of date with is a threshold (the start, each
    notice's day, the exit, the exit right, the term ends and notice deadlines on both sides,
    each event, each capacity line's bounds, the exit and the earliest exit less the
    horizon); between two thresholds every comparison comes out the same. A new as-of date
    within [first, last] then shifts the state (`evaluate._shift`) instead of evaluating the
    deal again, and the capacity pass and the rows need not look at the deal again; the
    object's identity tells the row builders that nothing else changed."""

    __slots__ = ("first", "last", "daily")

    def __init__(self, first: date, last: date, daily: bool) -> None:
        self.first = first
        self.last = last
        self.daily = daily

    def holds(self, d: date) -> bool:
        return self.first <= d <= self.last


# id(line) -> (line, its facility, its figures): a line's figures, reused while both are the same
LineMemo = dict[int, tuple[CapacityLine, Facility | None, Figures]]


@dataclass(slots=True)
class ProviderFigures:
    figures: Figures
    commitment_per_year: dict[str, Decimal]
    concentration: float | None


@dataclass(slots=True)
class FacilityFigures:
    figures: Figures
    allocated: float | None


@dataclass(slots=True)
class Capacity:
    totals: Figures
    commitment_per_year: dict[str, Decimal]
    ending: Figures
    at_risk: Figures
    by_provider: dict[str, ProviderFigures]
    by_facility: dict[str, FacilityFigures]
    timeline: list[tuple[date, Figures]]


@dataclass(slots=True)
class Evaluation:
    as_of: date
    settings: Settings
    deals: dict[str, DealState]  # id order
    events: list[Event]  # all deals, date order, then kind, then deal id
    capacity: Capacity
    warnings: list[Problem]  # warnings that depend on the as-of date
    terms: dict[str, _Terms] = field(default_factory=dict, repr=False)  # each deal's date math, for the next
    sums: _Sums | None = field(default=None, repr=False)  # the capacity sums and line figures, for the next


def level_of(days_left: int, settings: Settings) -> Band:
    if days_left <= settings.critical_days:
        return Band.CRITICAL
    if days_left <= settings.warn_days:
        return Band.WARN
    return Band.OK


def horizon_end_of(T: date, settings: Settings) -> date:
    try:
        return T + timedelta(days=settings.horizon_days)
    except OverflowError:
        return date.max


class _Terms:
    """Date math of one deal's terms, independent of the as-of date: kept across evaluations
    of the same deal object (see `evaluate`), each term end, deadline and notice exit is
    computed once, whatever the number of dates it is asked for. The memos are made at
    their first use: most deals never need one of them."""

    __slots__ = ("deal", "cal", "R", "_ends", "_deadlines", "_exits")

    def __init__(self, deal: Deal) -> None:
        self.deal = deal
        self.cal = deal.calendar
        self.R = deal.exit_right_opens
        self._ends: dict[int, date | None] | None = None
        self._deadlines: dict[int, date | None] | None = None
        self._exits: dict[date, date | None] | None = None

    def end_k(self, k: int) -> date | None:
        # Always from the anchor: end_k = add(end, k x renewal), never stepped (no drift).
        deal = self.deal
        if k == 0 or deal.renewal is None:
            return deal.end
        ends = self._ends
        if ends is None:
            ends = self._ends = {}
        if k not in ends:
            ends[k] = add(deal.end, deal.renewal.times(k), self.cal)
        return ends[k]

    def deadline_k(self, k: int) -> date | None:
        deadlines = self._deadlines
        if deadlines is None:
            deadlines = self._deadlines = {}
        if k not in deadlines:
            deadlines[k] = sub(self.end_k(k), self._notice.period, self.cal)
        return deadlines[k]

    @property
    def _notice(self) -> Notice:
        assert self.deal.notice is not None, "only deals with an exit right have deadlines"
        return self.deal.notice

    def first_end_from(self, x: date) -> tuple[int | None, date | None]:
        """First renewed term end >= x."""
        k = first_k(lambda k: _ge(self.end_k(k), x))
        return (k, self.end_k(k)) if k is not None else (None, None)

    def first_deadline_from(self, x: date) -> tuple[int | None, date | None]:
        k = first_k(lambda k: _ge(self.deadline_k(k), x))
        return (k, self.deadline_k(k)) if k is not None else (None, None)

    def exit_after_notice(self, given: date) -> date | None:
        """The day a notice given on `given` ends the deal."""
        exits = self._exits
        if exits is None:
            exits = self._exits = {}
        if given not in exits:
            exits[given] = self._exit_after_notice(given)[0]
        return exits[given]

    def how_notice_ends(self, given: date) -> str:
        """How a notice given on `given` ends the deal, in words (for the details)."""
        return self._exit_after_notice(given)[1]

    def _exit_after_notice(self, given: date) -> tuple[date | None, str]:
        deal, notice = self.deal, self._notice
        if notice.effect is Effect.TERM_END:
            k, deadline = self.first_deadline_from(given)
            if k is None:
                return None, "no term end reachable"
            end_k = self.end_k(k)
            return end_k, (f"notice {given} meets the deadline {deadline} ({notice.period} before "
                           f"term end {end_k}{_renewal_note(deal, k)})")
        exit_on = add(given, notice.period, self.cal)
        how = f"notice {given} + {notice.period} = {exit_on}"
        fixed = deal.fixed_end
        if fixed is not None and (exit_on is None or exit_on > fixed):
            return fixed, how + f", capped at the end of the term {fixed}"
        return exit_on, how


def _ge(d: date | None, x: date) -> bool:
    return d is None or d >= x  # None: beyond 9999, later than any date


def _renewal_note(deal: Deal, k: int) -> str:
    return f" = end {deal.end} + {k} x {deal.renewal}" if k else ""


def evaluate_deal(deal: Deal, T: date, settings: Settings, terms: _Terms | None = None,
                  why: dict[str, str] | None = None) -> DealState:
    """Deal `deal` on date `T`.

    Args:
        terms: its date math from an earlier date (same deal object).
        why: filled with how each computed date was derived (see `derivations`); the texts
            are made only when asked for, as only the details screen shows them.
    """
    if terms is None or terms.deal is not deal:
        terms = _Terms(deal)
    notice = deal.notice
    R = terms.R

    # Counted notices: only those already given at T; the earliest resulting exit wins.
    counted: ServedNotice | None = None
    E: date | None = None
    for served in deal.notices:
        if served.given > T and not served.assumed:  # an assumed notice is a plan: it counts at every T
            continue
        exit_on = terms.exit_after_notice(served.given)
        if counted is None or (exit_on is not None and (E is None or exit_on < E)):
            counted, E = served, exit_on

    fixed = deal.fixed_end
    exit_date = E if counted is not None else fixed

    if T < deal.start:
        status = Status.UPCOMING
    elif exit_date is not None and T > exit_date:
        status = Status.ENDED
    elif counted is not None:
        status = Status.NOTICE
    else:
        status = Status.ACTIVE
    ended = status is Status.ENDED

    term_end = None
    term_k = None
    if deal.end is not None and not ended:
        if deal.renewal is None:
            term_end = deal.end
        else:
            term_k, term_end = terms.first_end_from(T)
        if counted is not None and E is not None and (term_end is None or E < term_end):
            term_end = E  # a term does not outlast the deal

    notice_deadline = None
    deadline_k = None
    earliest = None
    if counted is None and not ended:
        if notice is None or R is None:  # no exit right, or it never opens: only a fixed end
            earliest = fixed
        elif notice.effect is Effect.TERM_END:
            deadline_k, notice_deadline = terms.first_deadline_from(max(T, R))
            if deadline_k is not None:
                earliest = terms.end_k(deadline_k)
        else:
            earliest = add(max(T, R), notice.period, terms.cal)
            if fixed is not None and (earliest is None or earliest > fixed):
                earliest = fixed

    events: list[Event] = []
    if not ended:
        def event(kind: EventKind, d: date | None) -> None:
            if d is None or d < T or (exit_date is not None and d > exit_date):
                return
            days = (d - T).days
            events.append(Event(deal.id, kind, d, days, level_of(days, settings)))

        event(EventKind.START, deal.start)
        if notice is not None and notice.not_before is not None and counted is None and R is not None and R > T:
            event(EventKind.EXIT_RIGHT, R)
        event(EventKind.NOTICE_DEADLINE, notice_deadline)
        if deal.renewal is not None and term_end is not None and (exit_date is None or term_end < exit_date):
            event(EventKind.RENEWAL, term_end)
        if fixed is not None and counted is None:
            event(EventKind.TERM_END, fixed)
        if counted is not None:
            event(EventKind.EXIT, E)
        for served in deal.notices:
            if served.assumed:
                event(EventKind.NOTICE, served.given)  # the day the assumed notice must go out
        events.sort(key=lambda e: (e.date, e.kind))

    horizon_end = horizon_end_of(T, settings)
    ending = exit_date is not None and exit_date <= horizon_end
    could_end = (notice is not None and notice.parties.allows(settings.other_side)
                 and earliest is not None and earliest <= horizon_end)

    disputed = sorted({c.field for c in deal.claims}) if deal.claims else _NO_DISPUTES
    daily = (counted is None and not ended and notice is not None and R is not None
             and notice.effect is Effect.AFTER_PERIOD and T >= R)
    state = DealState(deal, status, R, exit_date, term_end, notice_deadline, earliest,
                      counted, events, disputed, ending or could_end, ending, could_end,
                      _steady(deal, T, settings, terms, exit_date, term_k, deadline_k, earliest, daily))
    if why is not None:
        _explain(state, T, terms, term_k, deadline_k, why)
    return state


_NO_DISPUTES: list[str] = []  # shared: never changed


def _steady(deal: Deal, T: date, settings: Settings, terms: _Terms, exit_date: date | None,
            term_k: int | None, deadline_k: int | None, earliest: date | None, daily: bool) -> Steady:
    """The dates around `T` on which the deal's state holds (see `Steady`)."""
    horizon = timedelta(days=settings.horizon_days)
    if horizon_end_of(T, settings) == date.max or (deal.renewal is not None and term_k is None):
        return Steady(T, T, daily)
    dates: list[date | None] = [deal.start, exit_date, terms.R, deal.end]
    dates += [served.given for served in deal.notices]
    for line in deal.capacity:
        dates += (line.start, line.until)
    if term_k is not None:
        dates.append(terms.end_k(term_k))
        if term_k > 0:
            dates.append(terms.end_k(term_k - 1))
    notice = deal.notice
    if notice is not None and notice.effect is Effect.TERM_END and deal.renewal is not None:
        if deadline_k is None and terms.R is not None and exit_date is None:
            return Steady(T, T, daily)  # (no deadline within reach: be safe)
        if deadline_k is not None:
            dates.append(terms.deadline_k(deadline_k))
            if deadline_k > 0:
                dates.append(terms.deadline_k(deadline_k - 1))
    # The horizon's comparisons: the exit, and (when it does not move with the date) the
    # earliest exit, each within `horizon` of T.
    for d in (exit_date, None if daily else earliest):
        if type(d) is date:
            try:
                dates.append(d - horizon)
            except OverflowError:
                pass  # before year 1: T is always past it
    first, last = date.min, date.max
    for d in dates:
        if type(d) is not date:  # None (after 9999) or before year 1: never crossed
            continue
        if d == T:
            return Steady(T, T, daily)
        if d < T:
            if d >= first:
                first = d + _DAY
        elif d <= last:
            last = d - _DAY
    return Steady(first, last, daily)


_DAY = timedelta(days=1)


def _shift(prev: DealState, T: date, settings: Settings, terms: _Terms) -> DealState:
    """The state `prev` (whose `steady` holds on `T`) on date `T`."""
    events = [Event(e.deal, e.kind, e.date, days, level_of(days, settings))
              for e in prev.events for days in ((e.date - T).days,)]
    earliest, could_end = prev.earliest_exit_if_notice_today, prev.other_side_can_end
    steady = prev.steady
    if steady is not None and steady.daily:
        deal = prev.deal
        notice = deal.notice
        assert notice is not None
        earliest = add(T, notice.period, terms.cal)
        fixed = deal.fixed_end
        if fixed is not None and (earliest is None or earliest > fixed):
            earliest = fixed
        could_end = (notice.parties.allows(settings.other_side) and earliest is not None
                     and earliest <= horizon_end_of(T, settings))
    return DealState(prev.deal, prev.status, prev.exit_right_from, prev.exit_date, prev.term_end,
                     prev.notice_deadline, earliest, prev.counted_notice, events, prev.disputed,
                     prev.ending or could_end, prev.ending, could_end, steady)


def derivations(state: DealState, as_of: date, settings: Settings) -> dict[str, str]:
    """How each computed date of `state` (the deal on `as_of`) was derived: field -> text."""
    why: dict[str, str] = {}
    evaluate_deal(state.deal, as_of, settings, None, why)
    return why


def _explain(s: DealState, T: date, terms: _Terms, term_k: int | None, deadline_k: int | None,
             why: dict[str, str]) -> None:
    """The derivation texts of `s`, from what `evaluate_deal` found on the way."""
    deal, notice, fixed, R = s.deal, s.deal.notice, s.deal.fixed_end, terms.R
    counted = s.counted_notice
    if counted is not None:
        why["exit_date"] = f"{terms.how_notice_ends(counted.given)} (notice by the {counted.by})"
    elif fixed is not None:
        why["exit_date"] = f"end of the term {fixed} (no renewal)"
    if s.term_end is not None:
        natural = deal.end if deal.renewal is None else (terms.end_k(term_k) if term_k is not None else None)
        if natural != s.term_end:
            why["term_end"] = (f"the exit on notice {s.term_end} comes before the term's end "
                               f"{_day(natural)}: a term does not outlast the deal")
        elif deal.renewal is None:
            why["term_end"] = f"end {deal.end} (no renewal)"
        else:
            why["term_end"] = (f"end {deal.end} + {term_k} x {deal.renewal} = {s.term_end}" if term_k
                               else f"end {deal.end}")
    if notice is not None:
        nb = notice.not_before
        if R is None:
            why["exit_right_from"] = "the exit right would open after 9999-12-31: never"
        elif nb is None:
            why["exit_right_from"] = f"start {deal.start} (no lock-out)"
        elif isinstance(nb, Duration):
            why["exit_right_from"] = f"start {deal.start} + {nb} = {R}"
        elif R == nb:
            why["exit_right_from"] = f"not_before {nb}"
        else:
            why["exit_right_from"] = f"start {deal.start} (not_before {nb} is earlier)"
    if counted is not None or s.status is Status.ENDED:
        return
    earliest = s.earliest_exit_if_notice_today
    if notice is None:
        if fixed is not None:
            why["earliest_exit_if_notice_today"] = f"no exit right: the term ends {fixed}"
    elif R is None:
        return
    elif notice.effect is Effect.TERM_END:
        if deadline_k is not None:
            why["notice_deadline"] = (f"term end {earliest}{_renewal_note(deal, deadline_k)} - {notice.period} "
                                      f"= {s.notice_deadline}")
            why["earliest_exit_if_notice_today"] = (f"notice by {s.notice_deadline} stops the renewal "
                                                    f"at {earliest}")
    else:
        x = max(T, R)
        reached = add(x, notice.period, terms.cal)
        src = "today" if x == T else "when the exit right opens"
        how = f"notice {src} {x} + {notice.period} = {reached}"
        if earliest != reached:
            how += f", capped at the end of the term {fixed}"
        why["earliest_exit_if_notice_today"] = how


# --- capacity --------------------------------------------------------------------------------

def _half_even(x: Decimal) -> int:
    return int(x.to_integral_value(rounding="ROUND_HALF_EVEN"))


def line_figures(line: CapacityLine, facilities: dict[str, Facility]) -> Figures:
    if line.share is not None and line.facility is not None:  # (the loader requires both together)
        fac = facilities[line.facility]
        acc = {m: _half_even(line.share * n) for m, n in fac.accelerators.items()}
        return Figures(acc, line.share * (fac.power_mw or Decimal(0)))
    # The line's own mapping, not a copy: line figures are only ever added to others.
    return Figures(line.accelerators, line.power_mw)


def deal_capacity(state: DealState, T: date, facilities: dict[str, Facility],
                  figures_of: Callable[[CapacityLine], Figures] | None = None) -> Figures:
    """SPEC §2 "Per deal" `capacity`: the deal's lines counting at `T` (`state` is the deal on T).

    Args:
        figures_of: a line's figures, when an evaluation keeps them (`_Sums.figures_of`).
    """
    out = Figures()
    if not state.in_force(T):
        return out
    for line in state.deal.capacity:
        if (line.start is None or line.start <= T) and (line.until is None or T <= line.until):
            out.add(figures_of(line) if figures_of is not None else line_figures(line, facilities))
    return out


def deals_at_risk(ev: Evaluation, facilities: dict[str, Facility]) -> list[DealState]:
    """The deals at risk on the evaluation's date, the largest first (by accelerators, then MW,
    then id): the deals behind the capacity's `at_risk` figure. Sized without building their
    figures (the capacity pane asks on every date move; `deal_capacity` gives a deal's)."""
    T = ev.as_of
    sums = ev.sums
    figures_of = sums.figures_of if sums is not None and sums.carry else None  # (each line's, kept)

    def size(s: DealState) -> tuple[int, Decimal, str]:
        acc, mw = 0, Decimal(0)
        if s.in_force(T):
            for line in s.deal.capacity:
                if (line.start is None or line.start <= T) and (line.until is None or T <= line.until):
                    f = figures_of(line) if figures_of is not None else line_figures(line, facilities)
                    acc += f.total_accelerators
                    mw += f.power_mw
        return -acc, -mw, s.id
    return sorted((s for s in ev.deals.values() if s.risk is not None), key=size)


def _allocated(fac: Facility, got: Figures) -> float | None:
    ratios = [Decimal(got.accelerators.get(m, 0)) / n for m, n in fac.accelerators.items() if n > 0]
    if fac.power_mw:
        ratios.append(got.power_mw / fac.power_mw)
    return float(max(ratios)) if ratios else None


_EVENT_ORDER = attrgetter("date", "kind", "deal")  # all deals' events: by date, then kind, then deal


def timeline_dates(T: date) -> list[date]:
    first = T.replace(day=1)
    return [T] + [d for d in (add_months(first, i) for i in range(1, TIMELINE_MONTHS + 1)) if d is not None]


@without_gc
@exact
def evaluate(portfolio: Portfolio, as_of: date, previous: Evaluation | None = None, carry: bool = True) -> Evaluation:
    """Every figure of the portfolio on `as_of`.

    `carry`: keep what the next evaluation of another date reuses (each deal's date math and
    each capacity line's figures: half an evaluation's memory); `dealmon check` evaluates once.

    A deal's state depends only on the deal, the date and the settings. With `previous`
    (same settings), a deal that is the very same object keeps its state on the same date
    (a reload that changed one file evaluates only that file's deals) and, on another date
    where its state holds (`Steady`), has it shifted; the capacity sums are then carried
    over and only the deals whose share changed are taken out and put back in (`_Sums`).
    """
    settings = portfolio.settings
    same_settings = previous is not None and previous.settings == settings
    before = previous.deals if previous is not None and same_settings else {}
    same_date = previous is not None and previous.as_of == as_of
    states: dict[str, DealState] = {}
    known_terms = previous.terms if previous is not None else {}
    terms: dict[str, _Terms] = {}
    # (before, now): deals whose capacity share may differ; None: a deal not in one of them
    moved: list[tuple[DealState | None, DealState | None]] = []
    for ident, deal in portfolio.deals.items():
        kept = known_terms.get(ident)
        deal_terms = kept if kept is not None and kept.deal is deal else _Terms(deal)
        if carry:
            terms[ident] = deal_terms
        old = before.get(ident)
        if old is None or old.deal is not deal:  # (a reload: a deal read anew, or a new one)
            state = states[ident] = evaluate_deal(deal, as_of, settings, deal_terms)
            moved.append((old, state))
        elif same_date:
            states[ident] = old
        elif old.steady is not None and old.steady.holds(as_of):
            if not old.events and not old.steady.daily:
                states[ident] = old  # nothing of it moves with the date
                continue
            state = states[ident] = _shift(old, as_of, settings, deal_terms)
            if state.at_risk is not old.at_risk:
                moved.append((old, state))
        else:
            state = states[ident] = evaluate_deal(deal, as_of, settings, deal_terms)
            moved.append((old, state))
    events = sorted((e for s in states.values() for e in s.events), key=_EVENT_ORDER)
    dates = timeline_dates(as_of)
    sums = previous.sums if previous is not None and same_settings else None
    # The sums carry over to the same portfolio on another date, and to a reload's portfolio
    # whose facilities are the very same objects (the lines' figures are then the same): the
    # deals read anew, dropped or added are taken out and put back (bench/README.md).
    if sums is not None and sums.dates[1:] == dates[1:] and (
            sums.portfolio is portfolio or _same_items(sums.portfolio.facilities, portfolio.facilities)):
        if sums.portfolio is not portfolio:
            moved += [(old, None) for ident, old in before.items() if ident not in portfolio.deals]
        sums = sums.moved_to(as_of, dates, moved, portfolio)
    else:
        memo = previous.sums.line_figures if previous is not None and previous.sums is not None else {}
        sums = _Sums(portfolio, dates, memo, carry)
        for state in states.values():
            sums.add(state, as_of, 1, dates)
    capacity, warnings = sums.capacity(as_of)
    warnings += [w for s in states.values() if s.deal.calendar is not None for w in _calendar_warning(s)]
    return Evaluation(as_of, settings, states, events, capacity, warnings, terms, sums)


def _same_items(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Whether two mappings hold the very same objects under the same keys."""
    return len(a) == len(b) and all(b.get(key) is value for key, value in a.items())


def uses_business_days(deal: Deal) -> bool:
    """Whether a duration of the deal counts business days (in its holiday calendar)."""
    notice = deal.notice
    durations = [deal.renewal, notice.period if notice else None,
                 notice.not_before if notice and isinstance(notice.not_before, Duration) else None]
    return any(d is not None and d.unit == "bd" for d in durations)


def _calendar_warning(s: DealState) -> list[Problem]:
    """Business days counted in years the deal's holiday calendar does not know (weekends only
    there): said, not silently assumed."""
    deal = s.deal
    if deal.calendar is None or deal.loc is None or not uses_business_days(deal):
        return []
    first, last = calendar_years(deal.calendar)
    dates = (s.exit_right_from, s.exit_date, s.term_end, s.notice_deadline, s.earliest_exit_if_notice_today)
    outside = sorted({d.year for d in dates if d is not None and not isinstance(d, BeforeTime)
                      and not first <= d.year <= last})
    if not outside:
        return []
    return [Problem(deal.loc.path, deal.loc.line, deal.loc.col,
                    f"deal '{deal.id}': calendar {deal.calendar} knows holidays for {first}-{last} only; "
                    f"business days in {outside[-1]} count weekends only")]


class _Sums:
    """The capacity sums of one evaluation, kept for the next: each deal adds its share (its
    commitment while in force, each capacity line that counts at T, its lines' spans on the
    timeline) and a deal whose share changed is taken out as it was and put back as it is now.
    Counts say which providers, currencies and facilities are present, so that the result is
    exactly what summing every deal afresh gives (a property test checks it)."""

    def __init__(self, portfolio: Portfolio, dates: list[date], memo: LineMemo, carry: bool = True) -> None:
        self.portfolio = portfolio
        self.carry = carry  # keep each line's figures for the next evaluation
        self.dates = dates  # the timeline's: T, then the first of each month
        self.memo = memo  # line figures of the previous evaluation, reused while unchanged
        self.line_figures: LineMemo = {}
        self.in_force: dict[str, int] = {}  # provider -> its deals in force at T
        self.money: dict[tuple[str, str], list[Any]] = {}  # (provider, currency) -> [per year, deals]
        self.providers: dict[str, Figures] = {}
        self.facilities: dict[str, list[Any]] = {}  # facility -> [figures, lines counting]
        self.ending = Figures()
        self.at_risk = Figures()
        self.deltas = [Figures() for _ in dates]  # the timeline as a difference array

    def moved_to(self, T: date, dates: list[date], moved: list[tuple[DealState | None, DealState | None]],
                 portfolio: Portfolio) -> _Sums:
        """These sums on `T` (whose timeline `dates` differ from these sums' in the first date,
        T, at most) for `portfolio` (this one, or a reload's with the same facilities): a copy
        with each moved deal taken out as it was (None: it was not there) and put back as it is
        (None: it is gone)."""
        new = _Sums.__new__(_Sums)
        new.portfolio, new.dates, new.memo, new.carry = portfolio, dates, self.line_figures, self.carry
        new.line_figures = self.line_figures
        if portfolio is not self.portfolio:  # the lines of deals read anew or gone: let go of
            new.line_figures = dict(self.line_figures)
            for old, now in moved:
                if old is not None and (now is None or now.deal is not old.deal):
                    for line in old.deal.capacity:
                        new.line_figures.pop(id(line), None)
        new.in_force = dict(self.in_force)
        new.money = {key: list(entry) for key, entry in self.money.items()}
        new.providers = {pid: f.copy() for pid, f in self.providers.items()}
        new.facilities = {fid: [entry[0].copy(), entry[1]] for fid, entry in self.facilities.items()}
        new.ending, new.at_risk = self.ending.copy(), self.at_risk.copy()
        new.deltas = [f.copy() for f in self.deltas]
        for old, now in moved:
            if old is not None:
                new.add(old, self.dates[0], -1, self.dates)
            if now is not None:
                new.add(now, T, 1, dates)
        return new

    def figures_of(self, line: CapacityLine) -> Figures:
        if not self.carry:
            return line_figures(line, self.portfolio.facilities)
        fac = self.portfolio.facilities.get(line.facility) if line.facility else None
        known = self.line_figures.get(id(line))
        if known is None or known[0] is not line or known[1] is not fac:
            known = self.memo.get(id(line))
            if known is None or known[0] is not line or known[1] is not fac:
                known = (line, fac, line_figures(line, self.portfolio.facilities))
            # (id() is safe as a key: each entry holds its line)
            self.line_figures[id(line)] = known
        return known[2]

    def add(self, state: DealState, T: date, sign: int, dates: list[date]) -> None:
        """Add (sign 1) or take out (-1) the share of `state`, the deal on `T`, whose timeline
        `dates` place its lines' spans."""
        deal = state.deal
        pid = deal.provider
        if state.in_force(T):
            self.in_force[pid] = self.in_force.get(pid, 0) + sign
            c = deal.commitment
            if c is not None:
                entry = self.money.setdefault((pid, c.currency), [Decimal(0), 0])
                entry[0] += sign * c.per_year
                entry[1] += sign
        exit_date = state.exit_date
        deltas = self.deltas
        for line in deal.capacity:
            fig = self.figures_of(line)
            # The line counts on D when the deal is in force and D is within [from, until].
            lo = max(deal.start, line.start) if line.start else deal.start
            hi = min(d for d in (exit_date, line.until) if d is not None) if (exit_date or line.until) else None
            first = bisect_left(dates, lo)
            last = len(dates) if hi is None else bisect_right(dates, hi)
            if first < last:
                deltas[first].add(fig, sign)
                if last < len(dates):
                    deltas[last].add(fig, -sign)
            if not (lo <= T and (hi is None or T <= hi)):
                continue
            figures = self.providers.get(pid)
            if figures is None:
                figures = self.providers[pid] = Figures()
            figures.add(fig, sign)
            if line.facility is not None:
                entry = self.facilities.setdefault(line.facility, [Figures(), 0])
                entry[0].add(fig, sign)
                entry[1] += sign
            if state.ending:
                self.ending.add(fig, sign)
            if state.at_risk:
                self.at_risk.add(fig, sign)

    def capacity(self, T: date) -> tuple[Capacity, list[Problem]]:
        """What the sums come to on `T`, and the over-allocation warnings."""
        portfolio = self.portfolio
        timeline, running = [], Figures()
        for delta in self.deltas:
            running.add(delta)
            timeline.append(running.copy())
        # The timeline's first date is T and a line counts there exactly when it counts now.
        totals = timeline[0].copy()
        commitment: dict[str, Decimal] = {}
        money_of: dict[str, dict[str, Decimal]] = {}
        for (pid, currency), (amount, count) in sorted(self.money.items()):
            if count:
                commitment[currency] = commitment.get(currency, Decimal(0)) + amount
                money_of.setdefault(pid, {})[currency] = amount
        by_provider = {}
        for pid in sorted(p for p, n in self.in_force.items() if n):
            money = money_of.get(pid, {})
            revenue = portfolio.providers[pid].revenue
            concentration = None
            if revenue is not None:
                concentration = float(money.get(revenue.currency, Decimal(0)) / revenue.per_year)
            figures = self.providers.get(pid)
            by_provider[pid] = ProviderFigures(figures.copy() if figures else Figures(), money, concentration)
        warnings = []
        by_facility = {}
        for fid in sorted(f for f, entry in self.facilities.items() if entry[1]):
            fac = portfolio.facilities[fid]
            got = self.facilities[fid][0].copy()
            allocated = _allocated(fac, got)
            by_facility[fid] = FacilityFigures(got, allocated)
            if allocated is not None and allocated > 1 and fac.loc is not None:
                warnings.append(Problem(fac.loc.path, fac.loc.line, fac.loc.col,
                                        f"facility '{fid}' is allocated {allocated:.0%} on {T}"))
        capacity = Capacity(totals, dict(sorted(commitment.items())), self.ending.copy(), self.at_risk.copy(),
                            by_provider, by_facility, list(zip(self.dates, timeline, strict=True)))
        return capacity, warnings


# --- what each event asks of the user (SPEC §3, "Event words") ---------------------------------

# The fields each kind of event's date is computed from: a claim on one disputes the date.
EVENT_FIELDS = {
    EventKind.START: frozenset({"start"}),
    EventKind.EXIT_RIGHT: frozenset({"start", "notice", "notice.not_before"}),
    EventKind.NOTICE_DEADLINE: frozenset({"end", "renewal", "notice", "notice.period", "notice.effect",
                                          "notice.calendar"}),
    EventKind.RENEWAL: frozenset({"end", "renewal"}),
    EventKind.TERM_END: frozenset({"end"}),
    EventKind.EXIT: frozenset({"end", "renewal", "notice", "notice.period", "notice.effect", "notice.calendar",
                               "notices"}),
    EventKind.NOTICE: frozenset(),
}


# The fields each computed date of a deal comes from (the details mark a date built on a claim).
_NOTICE_TERMS = frozenset({"notice", "notice.period", "notice.effect", "notice.calendar"})
DATE_SOURCES = {
    "exit_right_from": frozenset({"start", "notice", "notice.not_before"}),
    "exit_date": EVENT_FIELDS[EventKind.EXIT],
    "term_end": frozenset({"end", "renewal", "notices"}) | _NOTICE_TERMS,
    "notice_deadline": EVENT_FIELDS[EventKind.NOTICE_DEADLINE],
    "earliest_exit_if_notice_today": frozenset({"start", "end", "renewal", "notice.not_before"}) | _NOTICE_TERMS,
}


def date_disputed(name: str, s: DealState) -> bool:
    """Whether a claim disputes a field the computed date `name` of deal `s` comes from."""
    return bool(s.disputed) and not DATE_SOURCES[name].isdisjoint(s.disputed)


def event_disputed(e: Event, s: DealState) -> bool:
    """Whether a claim disputes a field the date of event `e` (of deal `s`) is computed from.
    (A set test: the countdowns' column widths ask it of every event on every date move.)"""
    return bool(s.disputed) and not EVENT_FIELDS[e.kind].isdisjoint(s.disputed)


def who_may_give_notice(deal: Deal, provider_name: str) -> str:
    """'either party', the buyer's text, or the provider's name."""
    notice = deal.notice
    if notice is None or notice.parties is Parties.EITHER:
        return "either party"
    return deal.buyer if notice.parties is Parties.BUYER else provider_name


def event_asks(e: Event, s: DealState, provider_name: str) -> str:
    """What event `e` of deal `s` asks of the user, in the words of SPEC §3's table."""
    deal, kind = s.deal, e.kind
    if kind is EventKind.START:
        return "capacity and fees begin"
    if kind is EventKind.TERM_END:
        return "the deal ends"
    if kind is EventKind.NOTICE:
        return "the assumed notice goes out"
    if kind is EventKind.EXIT:
        served = s.counted_notice
        if served is None:
            return "the deal ends"
        return f"the deal ends on notice given by the {served.by.label} on {served.given.isoformat()}"
    terms = _Terms(deal)
    if kind is EventKind.RENEWAL:
        k, _ = terms.first_end_from(e.date)
        following = terms.end_k(k + 1) if k is not None else None
        return f"the term renews to {_day(following)}"
    notice = deal.notice
    assert notice is not None, "exit rights and notice deadlines come from notice terms"
    if kind is EventKind.EXIT_RIGHT:
        earliest = add(e.date, notice.period, deal.calendar)
        if notice.effect is Effect.TERM_END:
            k, _ = terms.first_deadline_from(e.date)
            earliest = terms.end_k(k) if k is not None else None
            then = f"the matching term end, {_day(earliest)}"
        else:
            fixed = deal.fixed_end
            then = _day(fixed if fixed is not None and (earliest is None or earliest > fixed) else earliest)
        return (f"from this day {who_may_give_notice(deal, provider_name)} may give notice ({notice.period}; "
                f"earliest exit {then})")
    # the notice deadline: notice by this day ends the deal at end_k, else it renews to end_k+1
    k, _ = terms.first_deadline_from(e.date)
    if k is None:
        return "serve notice by this day"
    return (f"serve notice by this day to end the deal at {_day(terms.end_k(k))}; otherwise the term "
            f"renews to {_day(terms.end_k(k + 1))}")


def exit_words(s: DealState, as_of: date, today: date | None = None) -> str:
    """What notice would do for deal `s`, in words: 'notice today → exit on …', or why not."""
    when = "today" if today is None or today == as_of else f"on {_day(as_of)}"
    deal, exit_on = s.deal, s.earliest_exit_if_notice_today
    served = s.counted_notice
    if served is not None:
        how = "assumed (what-if)" if served.assumed else "served"
        return f"notice {how} {_day(served.given)} by the {served.by.label} → exit on {_day(s.exit_date)}"
    if deal.notice is None:
        if deal.fixed_end is not None:
            return f"no exit right · the term ends {_day(deal.fixed_end)}"
        if deal.end is None:
            return "no exit right · evergreen, no end"
        return f"no exit right · renews at {_day(s.term_end)}"
    opens = s.exit_right_from
    if opens is None:
        return "the exit right never opens (after 9999-12-31)"
    if exit_on is None:
        return "no exit reachable by notice"
    if opens > as_of:
        return f"exit right opens {_day(opens)} → exit on {_day(exit_on)} at the earliest"
    return f"notice {when} → exit on {_day(exit_on)}"


def _day(d: date | None) -> str:
    return d.isoformat() if d is not None else "never (after 9999-12-31)"
