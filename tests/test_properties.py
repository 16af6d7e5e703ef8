"""Property tests over generated deals and inputs: the core never raises, invariants hold."""
from __future__ import annotations

from datetime import date, timedelta

from conftest import assert_same_deal_rows, assert_same_event_rows, deal_yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from tui.core.evaluate import evaluate_deal
from tui.core.loader import load
from tui.core.model import Settings

DATES = st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 31))
DURATIONS = st.builds(lambda n, u: f"{n} {u}", st.integers(1, 400),
                      st.sampled_from(["days", "weeks", "months", "years", "business days"]))


@st.composite
def deals(draw, dates=DATES):
    start = draw(dates)
    lines = [f"start: {start}"]
    end = None
    if draw(st.booleans()):
        end = start + timedelta(days=draw(st.integers(1, 2000)))
        lines.append(f"end: {end}")
        if draw(st.booleans()):
            lines.append(f"renewal: {draw(st.integers(1, 24))} months")
    renewing = any(line.startswith("renewal") for line in lines)
    if draw(st.booleans()):
        effect = draw(st.sampled_from(["after_period", "term_end"])) if renewing else "after_period"
        parties = draw(st.sampled_from(["either", "buyer", "provider"]))
        notice = f"notice: {{period: {draw(DURATIONS)}, parties: {parties}, effect: {effect}"
        if draw(st.booleans()):
            nb = draw(st.one_of(DURATIONS, st.just(str(start + timedelta(days=draw(st.integers(0, 300)))))))
            notice += f", not_before: {nb}"
        lines.append(notice + "}")
    return "\n".join(lines)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(deals(), DATES, st.data())
def test_evaluation_invariants(tmp_path, body, as_of, data):
    result = load([str(_write(tmp_path, deal_yaml(body)))])
    assert result.ok, [str(e) for e in result.errors]
    deal = result.portfolio.deals["d"]
    # Serve a valid notice on some day between the exit right and the end, sometimes.
    s = evaluate_deal(deal, as_of, Settings())
    if deal.notice is not None and data.draw(st.booleans()):
        opens = s.exit_right_from
        last = deal.fixed_end or opens + timedelta(days=900)
        if opens <= last:
            given_on = opens + timedelta(days=data.draw(st.integers(0, (last - opens).days)))
            by = deal.notice.parties if deal.notice.parties != "either" else "provider"
            from tui.core.model import ServedNotice
            deal.notices = [ServedNotice(by, given_on)]
            s = evaluate_deal(deal, as_of, Settings())

    assert s.status in ("upcoming", "active", "notice", "ended")
    assert (s.status == "upcoming") == (as_of < deal.start)
    if s.status == "ended":
        assert s.events == [] and s.term_end is None and s.earliest_exit_if_notice_today is None
    if s.exit_date is not None:
        assert s.exit_date >= deal.start
        if deal.fixed_end is not None:
            assert s.exit_date <= deal.fixed_end
    if s.counted_notice is not None:
        assert s.notice_deadline is None and s.earliest_exit_if_notice_today is None
    if s.earliest_exit_if_notice_today is not None and deal.fixed_end is not None:
        assert s.earliest_exit_if_notice_today <= deal.fixed_end
    if s.notice_deadline is not None:
        assert s.notice_deadline >= as_of and s.notice_deadline >= s.exit_right_from
        assert s.earliest_exit_if_notice_today > s.notice_deadline or deal.notice.period.unit == "bd"
    if s.term_end is not None:
        assert s.term_end >= min(as_of, deal.end)
    keys = [(e.date, e.kind) for e in s.events]
    assert keys == sorted(keys)
    for e in s.events:
        assert e.date >= as_of and e.days_left == (e.date - as_of).days
        assert s.exit_date is None or e.date <= s.exit_date
    kinds = [e.kind for e in s.events]
    assert not ("exit" in kinds and ("renewal", s.exit_date) in [(e.kind, e.date) for e in s.events])


def _write(tmp_path, text):
    path = tmp_path / "d.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=300))
def test_loader_never_raises_on_bytes(tmp_path, data):
    path = tmp_path / "x.yaml"
    path.write_bytes(data)
    result = load([str(path)])
    for problem in result.errors + result.warnings:
        assert str(problem).startswith(f"{path}:")


YAMLISH = st.text(alphabet=st.sampled_from(list("deals:buyer provider start end 2026-01-01 {}[],&*!|>-?'\"\n #%@`\t\\0123456789")),
                  max_size=200)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(YAMLISH)
def test_loader_never_raises_on_yamlish_text(tmp_path, text):
    path = tmp_path / "x.yaml"
    path.write_text("deals:\n  d:\n" + text, encoding="utf-8")
    result = load([str(path)])
    assert all(str(p).startswith(f"{path}:") for p in result.errors)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(deals(), st.lists(DATES, min_size=2, max_size=6))
def test_date_math_kept_across_dates_equals_a_fresh_evaluation(tmp_path, body, days):
    # evaluate() carries each deal's date math (term ends, deadlines, notice exits) from one
    # date to the next; the result must be what a fresh evaluation gives.
    from tui.core.evaluate import derivations, evaluate

    result = load([str(_write(tmp_path, deal_yaml(body)))])
    assert result.ok, [str(e) for e in result.errors]
    previous = None
    for day in days:
        carried = evaluate(result.portfolio, day, previous)
        fresh = evaluate(result.portfolio, day)
        a, b = carried.deals["d"], fresh.deals["d"]
        assert (a.status, a.exit_right_from, a.exit_date, a.term_end, a.notice_deadline,
                a.earliest_exit_if_notice_today, a.events, derivations(a, day, result.portfolio.settings)) == (
            b.status, b.exit_right_from, b.exit_date, b.term_end, b.notice_deadline,
            b.earliest_exit_if_notice_today, b.events, derivations(b, day, result.portfolio.settings))
        previous = carried


# Generated portfolios are slowish to draw and some are refused (a notice the terms refuse):
# neither is a failure of what is tested.
WALKS = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much]
STEPS = st.one_of(st.integers(-3, 6), st.sampled_from([7, -7, 31, -31, 90, 365, -400]), st.integers(-3000, 3000))
NEAR = st.dates(min_value=date(2026, 1, 1), max_value=date(2027, 12, 31))  # dates a walk can reach
WHAT = st.sampled_from(["facility: f, share: 50%", "facility: g, share: 0.3",
                        "accelerators: {H100: 1000}, power_mw: 2.5", "accelerators: {GB200: 7}", "power_mw: 0.125"])


@st.composite
def capacity_line(draw) -> str:
    line = draw(WHAT)
    start = draw(st.none() | NEAR)
    if start is not None:
        line += f", from: {start}"
    until = draw(st.none() | NEAR)
    if until is not None and (start is None or until >= start):
        line += f", until: {until}"
    return "{" + line + "}"
FACILITIES = """
  f: {name: F, operator: p, power_mw: 300, accelerators: {H100: 150000, GB200: 20000}}
  g: {name: G, operator: q, power_mw: 12.5, accelerators: {H100: 999}}
"""


@st.composite
def portfolios(draw) -> str:
    """Several deals of two providers with capacity lines, served notices and commitments, and
    settings (horizon, side, bands) that move what counts as ending and at risk."""
    horizon = draw(st.sampled_from([0, 30, 89, 90, 91, 92, 180]) | st.integers(0, 400))
    out = [f"settings: {{horizon_days: {horizon}, side: {draw(st.sampled_from(['buyer', 'provider']))},"
           f" warn_days: 30, critical_days: {draw(st.integers(0, 30))}}}",
           "providers:\n  p: {name: P, revenue: 10B USD/year}\n  q: {name: Q, revenue: 2B EUR/year}",
           "facilities:" + FACILITIES.rstrip(), "deals:"]
    for i in range(draw(st.integers(1, 5))):
        body = draw(deals(NEAR))
        fields = [f"buyer: B{i}", f"provider: {draw(st.sampled_from(['p', 'q']))}", *body.split("\n")]
        if draw(st.booleans()):
            fields.append(f"commitment: {draw(st.integers(1, 900))}M {draw(st.sampled_from(['USD', 'EUR']))}/month")
        lines = draw(st.lists(capacity_line(), max_size=3))
        if lines:
            fields.append("capacity: [" + ", ".join(lines) + "]")
        if "notice:" in body and draw(st.booleans()):
            start = date.fromisoformat(body.split("\n")[0].split(": ")[1])
            given = start + timedelta(days=draw(st.integers(0, 600)))
            fields.append(f"notices: [{{by: {draw(st.sampled_from(['buyer', 'provider']))}, given: {given}}}]")
        out.append(f"  d{i}:\n" + "\n".join("    " + f for f in fields))
    return "\n".join(out) + "\n"


@settings(max_examples=400, deadline=None, suppress_health_check=WALKS)
@given(portfolios(), NEAR, st.lists(STEPS, min_size=1, max_size=40))
def test_a_date_move_equals_a_fresh_evaluation(tmp_path, text, first, steps):
    """evaluate() shifts the states that hold on the new date (`Steady`) and carries the
    capacity sums over; every figure must be what a fresh evaluation gives, through any walk
    of dates (single days, weeks, months, jumps, back and forth)."""
    from tui.core.evaluate import evaluate
    from tui.core.report import to_json

    result = load([str(_write(tmp_path, text))])
    if not result.ok:  # (a generated notice the terms refuse)
        assume(all("notice given" in e.message or "notice by the" in e.message for e in result.errors))
        return
    portfolio = result.portfolio
    day, previous = first, None
    for step in [0, *steps]:
        try:
            day = day + timedelta(days=step)
        except OverflowError:
            continue
        carried = evaluate(portfolio, day, previous)
        fresh = evaluate(portfolio, day, carry=step % 2 == 0)  # (as `check` does: nothing kept)
        facilities = portfolio.facilities
        assert to_json(carried, "UTC", carried.warnings, facilities) == to_json(fresh, "UTC", fresh.warnings, facilities)
        for ident, b in fresh.deals.items():
            a = carried.deals[ident]
            assert (a.at_risk, a.ending, a.other_side_can_end, a.counted_notice) == (
                b.at_risk, b.ending, b.other_side_can_end, b.counted_notice), (ident, day)
        assert carried.events == fresh.events
        previous = carried


RELOAD_CHANGES = st.sampled_from(["keep", "keep", "renamed", "fewer lines", "gone", "copied"])


@settings(max_examples=300, deadline=None, suppress_health_check=WALKS)
@given(portfolios(), NEAR, st.lists(RELOAD_CHANGES, min_size=1, max_size=12), st.integers(-40, 40))
def test_a_reload_carries_the_capacity_sums_to_a_fresh_evaluation(tmp_path, text, first, changes, step):
    """A reload's portfolio whose facilities are the same objects takes the previous sums and
    only takes out and puts back the deals read anew, dropped or added (core/evaluate.py); every
    figure must be what a fresh evaluation gives, on the same date and on another."""
    from dataclasses import replace

    from tui.core.evaluate import evaluate
    from tui.core.report import to_json

    result = load([str(_write(tmp_path, text))])
    assume(result.ok)
    before = result.portfolio
    previous = evaluate(before, first)
    deals = {}
    for (ident, deal), change in zip(before.deals.items(), changes * len(before.deals), strict=False):
        if change == "keep":
            deals[ident] = deal
        elif change == "renamed":  # read anew: another object with the same figures
            deals[ident] = replace(deal, buyer=deal.buyer + " 2")
        elif change == "fewer lines":
            deals[ident] = replace(deal, capacity=deal.capacity[1:])
        elif change == "copied":  # kept, and a new deal like it
            deals[ident] = deal
            deals[ident + "-copy"] = replace(deal, id=ident + "-copy", capacity=list(deal.capacity))
    after = replace(before, deals=deals)
    for day in (first, first + timedelta(days=step)):
        carried = evaluate(after, day, previous)
        assert carried.sums is not None and carried.sums.portfolio is after
        fresh = evaluate(after, day, carry=False)
        facilities = after.facilities
        assert to_json(carried, "UTC", carried.warnings, facilities) == to_json(fresh, "UTC", fresh.warnings, facilities)
        previous = carried


def test_at_risk_follows_a_month_long_notice_day_by_day(tmp_path):
    """A 3-month notice reaches 92, 91 then 90 days ahead at the end of November (February is
    short): with a 91-day horizon the deal becomes at risk on 2026-11-29, within one month,
    and the carried capacity sums must follow."""
    from tui.core.evaluate import evaluate

    text = ("settings: {horizon_days: 91}\nproviders:\n  p: {name: P}\ndeals:\n  d:\n    buyer: B\n"
            "    provider: p\n    start: 2026-01-01\n    notice: {period: 3 months, parties: either}\n"
            "    capacity: [{accelerators: {H100: 100}}]\n")
    portfolio = load([str(_write(tmp_path, text))]).portfolio
    previous = None
    risk = []
    for day in range(26, 31):
        previous = evaluate(portfolio, date(2026, 11, day), previous)
        risk.append(previous.capacity.at_risk.nonzero())
    assert risk == [{}, {}, {}, {"H100": 100}, {"H100": 100}]


@settings(max_examples=200, deadline=None, suppress_health_check=WALKS)
@given(portfolios(), NEAR, st.lists(STEPS, min_size=1, max_size=30))
def test_rows_kept_across_date_moves_equal_rows_built_afresh(tmp_path, text, first, steps):
    """The row builders reuse what a shifted state (`Steady`) did not change; the tables must
    be what building them afresh gives, in every sort order."""
    from tui.loading import prepare_view
    from tui.rows.deals import SORTS, build_deal_rows
    from tui.rows.events import build_event_rows

    result = load([str(_write(tmp_path, text))])
    assume(result.ok)
    portfolio = result.portfolio
    day, view = first, None
    for step in [0, *steps]:
        day = day + timedelta(days=step)
        view = prepare_view(portfolio, day, view, 0)
        fresh_deals = build_deal_rows(view.evaluation, portfolio, None, 0)
        assert_same_deal_rows(view.deal_rows, fresh_deals)
        for index in range(len(SORTS)):
            assert view.deal_rows.order(index) == fresh_deals.order(index)
        fresh_events = build_event_rows(view.evaluation, None)
        assert_same_event_rows(view.event_rows, fresh_events)
