"""Date arithmetic of SPEC §2: clamping, leap days, business days, renewals from the anchor."""
from __future__ import annotations

import calendar
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.core.dates import BEFORE_TIME, Duration, add, add_business_days, first_k, is_business_day, sub
from tui.core.evaluate import level_of
from tui.core.model import Settings

D = Duration


@pytest.mark.parametrize("start, duration, expected", [
    (date(2026, 1, 31), D(1, "mo"), date(2026, 2, 28)),
    (date(2028, 1, 31), D(1, "mo"), date(2028, 2, 29)),  # leap year
    (date(2026, 1, 31), D(2, "mo"), date(2026, 3, 31)),
    (date(2026, 3, 31), D(1, "mo"), date(2026, 4, 30)),
    (date(2026, 8, 31), D(6, "mo"), date(2027, 2, 28)),
    (date(2028, 2, 29), D(1, "y"), date(2029, 2, 28)),
    (date(2028, 2, 29), D(4, "y"), date(2032, 2, 29)),
    (date(2026, 5, 3), D(3, "mo"), date(2026, 8, 3)),
    (date(2026, 12, 15), D(1, "mo"), date(2027, 1, 15)),
    (date(2026, 11, 29), D(90, "d"), date(2027, 2, 27)),
    (date(2026, 12, 31), D(1, "d"), date(2027, 1, 1)),
    (date(2028, 2, 28), D(1, "d"), date(2028, 2, 29)),
    (date(2026, 1, 1), D(2, "w"), date(2026, 1, 15)),
    (date(2026, 1, 1), D(12, "mo"), date(2027, 1, 1)),
])
def test_add(start, duration, expected):
    assert add(start, duration) == expected


@pytest.mark.parametrize("end, duration, expected", [
    (date(2026, 3, 31), D(1, "mo"), date(2026, 2, 28)),
    (date(2028, 3, 31), D(1, "mo"), date(2028, 2, 29)),
    (date(2027, 1, 1), D(90, "d"), date(2026, 10, 3)),
    (date(2029, 2, 28), D(1, "y"), date(2028, 2, 28)),
    (date(2026, 1, 15), D(2, "w"), date(2026, 1, 1)),
])
def test_sub(end, duration, expected):
    assert sub(end, duration) == expected


def test_month_end_chain_is_anchored_not_stepped():
    # Jan 31 + k months from the anchor: Feb 28, Mar 31 (stepping would give Mar 28).
    anchor = date(2026, 1, 31)
    assert [add(anchor, D(k, "mo")) for k in (1, 2, 3, 4)] == [
        date(2026, 2, 28), date(2026, 3, 31), date(2026, 4, 30), date(2026, 5, 31)]


def test_out_of_range_is_never_or_before_time_not_an_exception():
    # SPEC §1: past 9999-12-31 means "never" (None); before 0001-01-01 lies in the past.
    assert add(date(9999, 12, 1), D(1, "mo")) is None
    assert add(date(9999, 12, 31), D(1, "d")) is None
    assert add(date(9999, 12, 31), D(1, "bd")) is None
    for before in (sub(date(1, 1, 1), D(1, "y")), sub(date(1, 1, 3), D(5, "d")), sub(date(1, 1, 1), D(1, "bd")),
                   sub(date(1, 2, 1), D(2, "mo"))):
        assert before is BEFORE_TIME
    assert BEFORE_TIME < date.min and not BEFORE_TIME >= date.min and date.min > BEFORE_TIME
    assert BEFORE_TIME != date.min and str(BEFORE_TIME) == "before 0001-01-01"
    assert sub(BEFORE_TIME, D(1, "d")) is BEFORE_TIME and add(None, D(1, "d")) is None


@pytest.mark.parametrize("start, n, expected", [
    (date(2026, 11, 27), 1, date(2026, 11, 30)),  # Fri -> Mon
    (date(2026, 11, 28), 1, date(2026, 11, 30)),  # Sat -> Mon
    (date(2026, 11, 30), 5, date(2026, 12, 7)),
    (date(2026, 11, 30), -1, date(2026, 11, 27)),
    (date(2026, 11, 30), 0 + 10, date(2026, 12, 14)),
])
def test_business_days_weekends_only(start, n, expected):
    assert add_business_days(start, n, None) == expected


@pytest.mark.parametrize("start, n, expected", [
    # Thanksgiving 2026 is Thu Nov 26: Wed + 1 bd = Fri.
    (date(2026, 11, 25), 1, date(2026, 11, 27)),
    # Christmas 2026 is a Friday; New Year's Day 2027 a Friday.
    (date(2026, 12, 24), 1, date(2026, 12, 28)),
    (date(2026, 12, 31), 1, date(2027, 1, 4)),
    # 2027-07-04 is a Sunday: observed on Monday 2027-07-05.
    (date(2027, 7, 2), 1, date(2027, 7, 6)),
    # Backwards across Thanksgiving.
    (date(2026, 11, 27), -1, date(2026, 11, 25)),
    # 10 bd from Dec 21 2026: skips Dec 25 and Jan 1.
    (date(2026, 12, 21), 10, date(2027, 1, 6)),
])
def test_business_days_us_holidays(start, n, expected):
    assert add_business_days(start, n, "US") == expected


def _slow_business_days(d: date, n: int, cal):
    step = 1 if n > 0 else -1
    left = abs(n)
    while left:
        d += timedelta(days=step)
        if is_business_day(d, cal):
            left -= 1
    return d


@settings(max_examples=200, deadline=None)
@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2060, 12, 31)),
       st.integers(min_value=-400, max_value=400).filter(bool),
       st.sampled_from([None, "US", "GB"]))
def test_business_day_jumps_match_day_by_day(d, n, cal):
    assert add_business_days(d, n, cal) == _slow_business_days(d, n, cal)


@settings(max_examples=300, deadline=None)
@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31)),
       st.integers(min_value=1, max_value=24), st.sampled_from(["mo", "y", "d", "w"]),
       st.integers(min_value=0, max_value=60))
def test_renewed_ends_never_drift(end, n, unit, k):
    renewal = D(n, unit)
    end_k = add(end, renewal.times(k))
    if unit in ("mo", "y"):
        months = n * k * (12 if unit == "y" else 1)
        index = end.year * 12 + end.month - 1 + months
        year, month = divmod(index, 12)
        last_day = calendar.monthrange(year, month + 1)[1]
        # Same day of month as the anchor, clamped: never the drifted day of a stepped chain.
        assert end_k == date(year, month + 1, min(end.day, last_day))
    else:
        days = n * k * (7 if unit == "w" else 1)
        assert end_k == end + timedelta(days=days)


@settings(max_examples=200)
@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31)), st.integers(1, 5000))
def test_days_add_sub_roundtrip(d, n):
    assert sub(add(d, D(n, "d")), D(n, "d")) == d


@settings(max_examples=200)
@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31)), st.integers(1, 240))
def test_month_add_is_monotone_and_close(d, n):
    later = add(d, D(n, "mo"))
    assert later > d
    assert sub(later, D(n, "mo")) <= d  # clamping only ever moves back


@settings(max_examples=300)
@given(st.integers(0, 60), st.integers(0, 60), st.integers(-10, 400), st.integers(-10, 400))
def test_band_is_monotone_in_days_left(critical, extra, a, b):
    s = Settings(critical_days=critical, warn_days=critical + extra)
    rank = {"critical": 0, "warn": 1, "ok": 2}
    lo, hi = sorted((a, b))
    assert rank[level_of(lo, s)] <= rank[level_of(hi, s)]


@pytest.mark.parametrize("days, expected", [(-1, "critical"), (0, "critical"), (7, "critical"), (8, "warn"),
                                            (30, "warn"), (31, "ok"), (900, "ok")])
def test_band_edges(days, expected):
    assert level_of(days, Settings()) == expected


def test_first_k_finds_the_smallest():
    assert first_k(lambda k: k >= 0) == 0
    assert first_k(lambda k: k >= 37) == 37
    assert first_k(lambda k: k * k >= 10_000) == 100
    assert first_k(lambda k: False, limit=1000) is None
