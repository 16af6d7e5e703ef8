"""SPEC §2 semantics: statuses, exit rights, notices, renewals, events, capacity."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from conftest import load_yaml, state_of

from tui.core.evaluate import derivations, evaluate
from tui.core.model import Settings

T = date(2026, 11, 29)

EXAMPLE_LIKE = """
start: 2026-05-03
end: 2029-05-31
commitment: 1.25B USD/month
notice: {period: 90 days, parties: either, not_before: 3 months}
"""


def fields(s):
    return (s.status, s.exit_right_from, s.exit_date, s.term_end, s.notice_deadline,
            s.earliest_exit_if_notice_today)


def why(s, as_of=T):
    """How each computed date of `s` was derived (made on demand, as for the details)."""
    return derivations(s, as_of, Settings())


def events(s):
    return [(e.kind, e.date, e.days_left, e.level) for e in s.events]


def test_lockout_as_duration_and_notice_today(tmp_path):
    _, s = state_of(tmp_path, EXAMPLE_LIKE, T)
    assert fields(s) == ("active", date(2026, 8, 3), date(2029, 5, 31), date(2029, 5, 31), None, date(2027, 2, 27))
    assert events(s) == [("term_end", date(2029, 5, 31), 914, "ok")]
    assert why(s)["exit_right_from"] == "start 2026-05-03 + 3 months = 2026-08-03"
    assert why(s)["earliest_exit_if_notice_today"] == "notice today 2026-11-29 + 90 days = 2027-02-27"


def test_before_the_exit_right_opens(tmp_path):
    _, s = state_of(tmp_path, EXAMPLE_LIKE, date(2026, 6, 1))
    assert s.earliest_exit_if_notice_today == date(2026, 11, 1)  # R + 90 days
    assert events(s)[0] == ("exit_right", date(2026, 8, 3), 63, "ok")


def test_lockout_as_date(tmp_path):
    _, s = state_of(tmp_path, """
        start: 2026-10-01
        end: 2029-06-30
        notice: {period: 90 days, not_before: 2027-01-01}
    """, T)
    assert s.exit_right_from == date(2027, 1, 1)
    assert s.earliest_exit_if_notice_today == date(2027, 4, 1)
    assert events(s)[0] == ("exit_right", date(2027, 1, 1), 33, "ok")
    assert why(s)["exit_right_from"] == "not_before 2027-01-01"


def test_lockout_in_business_days_uses_the_deal_calendar(tmp_path):
    _, s = state_of(tmp_path, """
        start: 2026-11-25
        notice: {period: 2 business days, not_before: 1 business day, calendar: US}
    """, date(2026, 11, 20))
    assert s.exit_right_from == date(2026, 11, 27)  # Thanksgiving Thursday skipped
    assert s.earliest_exit_if_notice_today == date(2026, 12, 1)  # Fri + 2 bd = Tue


def test_settings_calendar_is_the_default(tmp_path):
    _, s = state_of(tmp_path, """
        start: 2026-11-25
        notice: {period: 1 bd, not_before: 1 bd}
    """, date(2026, 11, 20), extra="settings: {calendar: US}\n")
    assert s.exit_right_from == date(2026, 11, 27)


NOTICED = EXAMPLE_LIKE + "notices: [{by: provider, given: 2026-09-01}]\n"


def test_counted_notice_after_period(tmp_path):
    _, s = state_of(tmp_path, NOTICED, T)
    # SPEC §2 correction: a term does not outlast the deal (it said 2029-05-31 before)
    assert fields(s) == ("notice", date(2026, 8, 3), date(2026, 11, 30), date(2026, 11, 30), None, None)
    assert events(s) == [("exit", date(2026, 11, 30), 1, "critical")]
    assert why(s)["exit_date"] == "notice 2026-09-01 + 90 days = 2026-11-30 (notice by the provider)"
    assert why(s)["term_end"] == ("the exit on notice 2026-11-30 comes before the term's end 2029-05-31: "
                                  "a term does not outlast the deal")


def test_exit_day_itself_is_in_force_and_the_day_after_ended(tmp_path):
    _, s = state_of(tmp_path, NOTICED, date(2026, 11, 30))
    assert s.status == "notice" and events(s) == [("exit", date(2026, 11, 30), 0, "critical")]
    _, s = state_of(tmp_path, NOTICED, date(2026, 12, 1))
    assert fields(s) == ("ended", date(2026, 8, 3), date(2026, 11, 30), None, None, None)
    assert s.events == []


def test_future_notice_is_ignored_until_given(tmp_path):
    _, s = state_of(tmp_path, NOTICED, date(2026, 8, 31))
    assert s.status == "active" and s.exit_date == date(2029, 5, 31)
    assert s.counted_notice is None


def test_earliest_of_several_notices_counts(tmp_path):
    body = EXAMPLE_LIKE + "notices: [{by: buyer, given: 2026-09-01}, {by: provider, given: 2026-08-15}]\n"
    _, s = state_of(tmp_path, body, date(2026, 11, 1))
    assert s.exit_date == date(2026, 11, 13)
    assert s.counted_notice.by == "provider"


def test_notice_exit_is_capped_at_a_fixed_end(tmp_path):
    body = "start: 2026-01-01\nend: 2027-01-15\nnotice: {period: 90 days}\n"
    _, s = state_of(tmp_path, body, T)
    assert s.earliest_exit_if_notice_today == date(2027, 1, 15)
    _, s = state_of(tmp_path, body + "notices: [{by: buyer, given: 2026-11-01}]\n", T)
    assert s.exit_date == date(2027, 1, 15)
    assert events(s) == [("exit", date(2027, 1, 15), 47, "ok")]


TERM_END = """
start: 2025-01-01
end: 2026-01-01
renewal: 1 year
notice: {period: 90 days, effect: term_end}
"""


def test_term_end_effect_deadline_and_renewal(tmp_path):
    _, s = state_of(tmp_path, TERM_END, T)
    assert fields(s) == ("active", date(2025, 1, 1), None, date(2027, 1, 1), date(2027, 10, 3), date(2028, 1, 1))
    assert events(s) == [("renewal", date(2027, 1, 1), 33, "ok"),
                         ("notice_deadline", date(2027, 10, 3), 308, "ok")]
    assert why(s)["notice_deadline"] == \
        "term end 2028-01-01 = end 2026-01-01 + 2 x 1 year - 90 days = 2027-10-03"


def test_term_end_deadline_today_counts(tmp_path):
    _, s = state_of(tmp_path, TERM_END, date(2026, 10, 3))
    assert s.notice_deadline == date(2026, 10, 3)
    assert s.earliest_exit_if_notice_today == date(2027, 1, 1)
    assert events(s)[0] == ("notice_deadline", date(2026, 10, 3), 0, "critical")


def test_term_end_notice_on_the_deadline_stops_that_renewal(tmp_path):
    _, s = state_of(tmp_path, TERM_END + "notices: [{by: buyer, given: 2026-10-03}]\n", T)
    assert fields(s) == ("notice", date(2025, 1, 1), date(2027, 1, 1), date(2027, 1, 1), None, None)
    assert events(s) == [("exit", date(2027, 1, 1), 33, "ok")]  # exit replaces the renewal


def test_term_end_notice_after_the_deadline_waits_a_term(tmp_path):
    _, s = state_of(tmp_path, TERM_END + "notices: [{by: provider, given: 2026-10-04}]\n", T)
    assert s.exit_date == date(2028, 1, 1)
    assert events(s) == [("renewal", date(2027, 1, 1), 33, "ok"), ("exit", date(2028, 1, 1), 398, "ok")]


def test_monthly_renewals_from_a_month_end_anchor_never_drift(tmp_path):
    body = """
        start: 2026-01-01
        end: 2026-01-31
        renewal: 1 month
        notice: {period: 10 days, effect: term_end}
    """
    _, s = state_of(tmp_path, body, date(2026, 3, 1))
    assert (s.term_end, s.notice_deadline, s.earliest_exit_if_notice_today) == \
        (date(2026, 3, 31), date(2026, 3, 21), date(2026, 3, 31))
    _, s = state_of(tmp_path, body, date(2026, 4, 25))
    assert (s.term_end, s.notice_deadline) == (date(2026, 4, 30), date(2026, 5, 21))
    _, s = state_of(tmp_path, body, date(2030, 3, 1))  # 50 renewals later
    assert s.term_end == date(2030, 3, 31)
    _, s = state_of(tmp_path, body, date(2032, 2, 1))
    assert s.term_end == date(2032, 2, 29)


def test_fixed_term_without_notice(tmp_path):
    _, s = state_of(tmp_path, "start: 2026-01-01\nend: 2026-12-31\n", T)
    assert fields(s) == ("active", None, date(2026, 12, 31), date(2026, 12, 31), None, date(2026, 12, 31))
    assert events(s) == [("term_end", date(2026, 12, 31), 32, "ok")]


def test_renewing_term_without_notice(tmp_path):
    _, s = state_of(tmp_path, "start: 2026-01-01\nend: 2026-12-31\nrenewal: 1 year\n", T)
    assert fields(s) == ("active", None, None, date(2026, 12, 31), None, None)
    assert events(s) == [("renewal", date(2026, 12, 31), 32, "ok")]


def test_renewing_term_with_after_period_notice_is_not_capped(tmp_path):
    _, s = state_of(tmp_path, """
        start: 2026-01-01
        end: 2026-12-31
        renewal: 1 year
        notice: {period: 90 days}
    """, T)
    assert s.earliest_exit_if_notice_today == date(2027, 2, 27)
    assert s.exit_date is None


def test_evergreen(tmp_path):
    _, s = state_of(tmp_path, "start: 2026-01-01\nnotice: {period: 30 days, parties: buyer}\n", T)
    assert fields(s) == ("active", date(2026, 1, 1), None, None, None, date(2026, 12, 29))
    assert s.events == []


def test_upcoming(tmp_path):
    _, s = state_of(tmp_path, "start: 2027-03-01\nend: 2028-03-01\nnotice: {period: 30 days}\n", T)
    assert s.status == "upcoming"
    assert events(s) == [("start", date(2027, 3, 1), 92, "ok"), ("term_end", date(2028, 3, 1), 458, "ok")]
    assert s.earliest_exit_if_notice_today == date(2027, 3, 31)  # the exit right opens at start


def test_start_today_is_active_with_a_start_event(tmp_path):
    _, s = state_of(tmp_path, "start: 2026-11-29\n", T)
    assert s.status == "active"
    assert events(s) == [("start", T, 0, "critical")]


def test_ended_fixed_term(tmp_path):
    _, s = state_of(tmp_path, "start: 2025-01-01\nend: 2026-06-30\nnotice: {period: 30 days}\n", T)
    assert fields(s) == ("ended", date(2025, 1, 1), date(2026, 6, 30), None, None, None)
    assert s.events == []


def test_events_of_one_date_are_ordered_by_kind(tmp_path):
    # exit_right and term_end on the same date: ordered by kind name.
    _, s = state_of(tmp_path, "start: 2026-01-01\nend: 2026-12-10\nnotice: {period: 5 days, not_before: 2026-12-10}\n", T)
    assert [e.kind for e in s.events] == ["exit_right", "term_end"]


def test_bands_follow_settings(tmp_path):
    _, s = state_of(tmp_path, "start: 2026-01-01\nend: 2026-12-09\n", T,
                    extra="settings: {warn_days: 10, critical_days: 2}\n")
    assert events(s) == [("term_end", date(2026, 12, 9), 10, "warn")]


def test_disputed_fields_are_sorted(tmp_path):
    _, s = state_of(tmp_path, """
        start: 2026-01-01
        commitment: 1B/month
        notice: {period: 90 days}
        claims:
          - {field: notice.period, value: 60 days}
          - {field: commitment, value: 1B/year}
          - {field: commitment, value: 2B/year}
    """, T)
    assert s.disputed == ["commitment", "notice.period"]


# --- capacity --------------------------------------------------------------------------------

CAPACITY = """
settings: {horizon_days: 90, side: buyer}
providers:
  p: {name: P, revenue: 10B USD/year}
  q: {name: Q, revenue: 1B EUR/year}
  r: {name: R}
facilities:
  f: {name: F, power_mw: 301, accelerators: {H100: 10001, H200: 3}}
  g: {name: G}
deals:
  a:
    buyer: Lab
    provider: p
    start: 2026-01-01
    end: 2027-01-15
    commitment: 100M USD/month
    capacity:
      - {facility: f, share: 50%}
  b:
    buyer: Lab
    provider: q
    start: 2026-01-01
    commitment: 10M EUR/month
    notice: {period: 30 days, parties: provider}
    capacity:
      - {facility: f, share: 60%}
      - {facility: g, accelerators: {GB200: 100}, power_mw: 2.5, from: 2027-02-01}
  c:
    buyer: Lab
    provider: r
    start: 2026-01-01
    commitment: 1M/day
    notice: {period: 30 days, parties: buyer}
    capacity:
      - {accelerators: {TPU: 7}, until: 2026-12-31}
  d:
    buyer: Lab
    provider: p
    start: 2027-06-01
    commitment: 5M USD/month
    capacity:
      - {accelerators: {H100: 1000}, power_mw: 1}
"""


@pytest.fixture
def capacity(tmp_path):
    result = load_yaml(tmp_path, CAPACITY)
    assert result.ok, [str(e) for e in result.errors]
    return evaluate(result.portfolio, T)


def test_totals_round_shares_half_to_even(capacity):
    cap = capacity.capacity
    # a: 50% of 10001 = 5000.5 -> 5000; 50% of 3 = 1.5 -> 2. b: 60% -> 6000.6 -> 6001; 1.8 -> 2.
    assert cap.totals.nonzero() == {"H100": 11001, "H200": 4, "TPU": 7}
    assert cap.totals.power_mw == Decimal("150.5") + Decimal("180.6")
    assert cap.commitment_per_year == {"EUR": Decimal(120_000_000), "USD": Decimal(1_200_000_000 + 365_000_000)}


def test_by_provider_and_concentration(capacity):
    bp = capacity.capacity.by_provider
    assert sorted(bp) == ["p", "q", "r"]  # d is upcoming: p is there for a
    assert bp["p"].commitment_per_year == {"USD": Decimal(1_200_000_000)}
    assert bp["p"].concentration == pytest.approx(0.12)
    assert bp["q"].concentration == pytest.approx(0.12)  # EUR commitment over EUR revenue
    assert bp["r"].concentration is None  # no revenue


def test_by_facility_allocation_and_warning(capacity):
    bf = capacity.capacity.by_facility
    assert sorted(bf) == ["f"]  # g's tranche starts 2027-02-01
    assert bf["f"].figures.nonzero() == {"H100": 11001, "H200": 4}
    assert bf["f"].allocated == pytest.approx(4 / 3)  # H200 4 of 3 is the largest ratio
    assert [w.message for w in capacity.warnings] == ["facility 'f' is allocated 133% on 2026-11-29"]


def test_ending_and_at_risk(capacity):
    cap = capacity.capacity
    # a ends 2027-01-15, within 90 days. b may be ended by the provider (30 days). c only by us.
    assert cap.ending.nonzero() == {"H100": 5000, "H200": 2}
    assert cap.at_risk.nonzero() == {"H100": 11001, "H200": 4}
    assert capacity.deals["c"].at_risk is False


def test_side_provider_flips_at_risk(tmp_path):
    result = load_yaml(tmp_path, CAPACITY.replace("side: buyer", "side: provider"))
    cap = evaluate(result.portfolio, T).capacity
    assert cap.at_risk.nonzero() == {"H100": 5000, "H200": 2, "TPU": 7}


def test_timeline_points_and_tranches(capacity):
    timeline = capacity.capacity.timeline
    assert len(timeline) == 25
    assert [d for d, _ in timeline[:3]] == [T, date(2026, 12, 1), date(2027, 1, 1)]
    assert timeline[-1][0] == date(2028, 11, 1)
    by_date = {d: f for d, f in timeline}
    assert by_date[date(2026, 12, 1)].nonzero() == {"H100": 11001, "H200": 4, "TPU": 7}
    assert by_date[date(2027, 1, 1)].nonzero() == {"H100": 11001, "H200": 4}  # c's line ended
    assert by_date[date(2027, 2, 1)].nonzero() == {"GB200": 100, "H100": 6001, "H200": 2}  # a ended
    assert by_date[date(2027, 6, 1)].nonzero() == {"GB200": 100, "H100": 7001, "H200": 2}  # d started
    assert by_date[date(2027, 6, 1)].power_mw == Decimal("180.6") + Decimal("2.5") + 1
