"""Date arithmetic of SPEC §2: durations, month-end clamping, business days.

Every function returns None instead of raising when a result would fall outside the range of
`datetime.date` (after 9999-12-31): such a date is "never" for the evaluation.
"""
from __future__ import annotations

import calendar as _calendar
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache, lru_cache

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


def add_months(d: date, months: int) -> date | None:
    """Same day of month `months` later (or earlier), clamped to the month's last day."""
    index = d.year * 12 + (d.month - 1) + months
    year, month0 = divmod(index, 12)
    if not 1 <= year <= 9999:
        return None
    last = _calendar.monthrange(year, month0 + 1)[1]
    return date(year, month0 + 1, min(d.day, last))


def _add_days(d: date, days: int) -> date | None:
    try:
        return d + timedelta(days=days)
    except OverflowError:
        return None


def shift(d: date | None, duration: Duration, sign: int = 1, calendar: str | None = None) -> date | None:
    """add(d, P) for sign=+1, sub(d, P) for sign=-1 (SPEC §2)."""
    if d is None:
        return None
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
def calendar_codes() -> frozenset[str]:
    import holidays  # a slow import (bench/README.md, "start-up"): only when a calendar is named

    return frozenset(holidays.list_supported_countries())


@lru_cache(maxsize=4096)
def _holidays_of_year(calendar: str, year: int) -> frozenset[date]:
    import holidays

    return frozenset(holidays.country_holidays(calendar, years=year).keys())


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
                return None
            remaining -= counted
            cur = nxt
        while remaining > 0:
            cur = cur + timedelta(days=step)
            if is_business_day(cur, calendar):
                remaining -= 1
        return cur
    except (OverflowError, ValueError):
        return None


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
