"""Property tests over generated deals and inputs: the core never raises, invariants hold."""
from __future__ import annotations

from datetime import date, timedelta

from conftest import deal_yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tui.core.evaluate import evaluate_deal
from tui.core.loader import load
from tui.core.model import Settings

DATES = st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 31))
DURATIONS = st.builds(lambda n, u: f"{n} {u}", st.integers(1, 400),
                      st.sampled_from(["days", "weeks", "months", "years", "business days"]))


@st.composite
def deals(draw):
    start = draw(DATES)
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
