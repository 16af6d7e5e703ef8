"""Date arithmetic of SPEC §2: durations, month-end clamping, business days.

The one date path at the ends of the calendar (SPEC §1): no function here raises for a
result outside `datetime.date`'s range. A result after 9999-12-31 is None, "never" (later
than any date); a result before 0001-01-01 is `BEFORE_TIME`, a date that lies before every
other date (so a deadline that would fall there is always in the past).
"""
from __future__ import annotations

import calendar as _calendar
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache, lru_cache
from types import ModuleType

UNIT_NAMES = {
    "d": ("day", "days"),
    "bd": ("business day", "business days"),
    "w": ("week", "weeks"),
    "mo": ("month", "months"),
    "y": ("year", "years"),
}


@dataclass(frozen=True, slots=True)
class Duration:
    n: int  # > 0
    unit: str  # one of UNIT_NAMES

    def __str__(self) -> str:
        one, many = UNIT_NAMES[self.unit]
        return f"{self.n} {one if self.n == 1 else many}"

    def short(self) -> str:
        return f"{self.n}{self.unit}"

    def times(self, k: int) -> Duration:
        return Duration(self.n * k, self.unit)


class BeforeTime(date):
    """A date before 0001-01-01: earlier than every date, equal only to itself. Only ever
    compared (events and exits are never dated there); shown as 'before 0001-01-01'."""

    def __lt__(self, other: object) -> bool:
        return isinstance(other, date) and not isinstance(other, BeforeTime)

    def __le__(self, other: object) -> bool:
        return isinstance(other, date)

    def __gt__(self, other: object) -> bool:
        return False

    def __ge__(self, other: object) -> bool:
        return isinstance(other, BeforeTime)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, BeforeTime)

    def __ne__(self, other: object) -> bool:
        return not isinstance(other, BeforeTime)

    def __hash__(self) -> int:
        return hash("before 0001-01-01")

    def __str__(self) -> str:
        return "before 0001-01-01"

    def isoformat(self) -> str:
        return str(self)


BEFORE_TIME = BeforeTime(1, 1, 1)


def _out_of_range(sign: int) -> date | None:
    """What a result past the end of the calendar is: never (forward) or before time (back)."""
    return None if sign > 0 else BEFORE_TIME


def add_months(d: date, months: int) -> date | None:
    """Same day of month `months` later (or earlier), clamped to the month's last day; out of
    range: None after 9999, `BEFORE_TIME` before year 1."""
    index = d.year * 12 + (d.month - 1) + months
    year, month0 = divmod(index, 12)
    if not 1 <= year <= 9999:
        return _out_of_range(year)
    last = _calendar.monthrange(year, month0 + 1)[1]
    return date(year, month0 + 1, min(d.day, last))


def _add_days(d: date, days: int) -> date | None:
    try:
        return d + timedelta(days=days)
    except OverflowError:
        return _out_of_range(days)


def shift(d: date | None, duration: Duration, sign: int = 1, calendar: str | None = None) -> date | None:
    """add(d, P) for sign=+1, sub(d, P) for sign=-1 (SPEC §2). From "never", never; from before
    time, before time."""
    if d is None or isinstance(d, BeforeTime):
        return d
    n, unit = duration.n * sign, duration.unit
    if unit == "d":
        return _add_days(d, n)
    if unit == "w":
        return _add_days(d, 7 * n)
    if unit == "mo":
        return add_months(d, n)
    if unit == "y":
        return add_months(d, 12 * n)
    return add_business_days(d, n, calendar)


def add(d: date | None, duration: Duration, calendar: str | None = None) -> date | None:
    return shift(d, duration, 1, calendar)


def sub(d: date | None, duration: Duration, calendar: str | None = None) -> date | None:
    return shift(d, duration, -1, calendar)


# --- business days -------------------------------------------------------------------------

@cache
def _holidays() -> ModuleType:
    """The `holidays` package, imported only when a calendar is named: a slow import
    (bench/README.md, "start-up")."""
    import holidays

    return holidays


@cache
def calendar_codes() -> frozenset[str]:
    return frozenset(_holidays().list_supported_countries())


@cache
def calendar_years(calendar: str) -> tuple[int, int]:
    """The first and last year whose holidays the calendar knows (the `holidays` package stops
    somewhere, e.g. 2100): outside them business days count weekends only."""
    known = _holidays().country_holidays(calendar)
    return int(known.start_year), int(known.end_year)


@lru_cache(maxsize=4096)
def _holidays_of_year(calendar: str, year: int) -> frozenset[date]:
    first, last = calendar_years(calendar)
    if not first <= year <= last:  # nothing known: no need to ask (and build) the package
        return frozenset()
    return frozenset(_holidays().country_holidays(calendar, years=year).keys())


def is_business_day(d: date, calendar: str | None) -> bool:
    if d.weekday() >= 5:
        return False
    return calendar is None or d not in _holidays_of_year(calendar, d.year)


def _weekday_holidays_between(first: date, last: date, calendar: str | None) -> int:
    """Holidays falling Mon-Fri in [first, last]."""
    if calendar is None:
        return 0
    count = 0
    for year in range(first.year, last.year + 1):
        for h in _holidays_of_year(calendar, year):
            if first <= h <= last and h.weekday() < 5:
                count += 1
    return count


def add_business_days(d: date, n: int, calendar: str | None) -> date | None:
    """The |n|-th business day after (n > 0) or before (n < 0) d; d itself never counts."""
    step = 1 if n > 0 else -1
    remaining = abs(n)
    cur = d
    try:
        # Whole weeks first: any 7 consecutive days hold exactly 5 weekdays, less holidays.
        while remaining > 10:
            weeks = remaining // 5 - 1
            nxt = cur + timedelta(days=7 * weeks * step)
            lo, hi = (cur + timedelta(days=1), nxt) if step > 0 else (nxt, cur - timedelta(days=1))
            counted = 5 * weeks - _weekday_holidays_between(lo, hi, calendar)
            if counted <= 0:  # a calendar with no business days at all
                return _out_of_range(step)
            remaining -= counted
            cur = nxt
        while remaining > 0:
            cur = cur + timedelta(days=step)
            if is_business_day(cur, calendar):
                remaining -= 1
        return cur
    except (OverflowError, ValueError):
        return _out_of_range(step)


# --- renewals ------------------------------------------------------------------------------

def first_k(predicate: Callable[[int], bool], limit: int = 1 << 40) -> int | None:
    """Smallest k >= 0 with predicate(k) true, for a predicate monotone in k; None if none."""
    if predicate(0):
        return 0
    lo, hi = 0, 1
    while not predicate(hi):
        lo, hi = hi, hi * 2
        if hi > limit:
            return None
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if predicate(mid):
            hi = mid
        else:
            lo = mid
    return hi
