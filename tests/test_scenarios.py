"""SPEC §2 "Per deal" and §2.1 scenarios: the core, the check command, and property tests
holding a scenario equal to the portfolio with the assumption written into the files."""
from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from conftest import REPO, load_yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from test_properties import NEAR, portfolios

from tui.cli import main
from tui.core import scenarios as sc
from tui.core.evaluate import Figures, deal_capacity, evaluate
from tui.core.loader import load
from tui.core.report import to_json
from tui.core.words import Party

T = date(2026, 12, 3)
EXAMPLE = str(REPO / "config")


def example():
    result = load([EXAMPLE])
    assert result.ok
    return result.portfolio


def what_if(*texts: str, portfolio=None):
    portfolio = portfolio or example()
    return sc.apply(portfolio, [sc.parse(t) for t in texts])


def test_notice_today_on_the_seed_deal():
    ev = evaluate(what_if("notice:anthropic-spacex:2026-12-03"), T)
    s = ev.deals["anthropic-spacex"]
    assert (s.status, s.exit_date, s.term_end, s.earliest_exit_if_notice_today) == (
        "notice", date(2027, 3, 3), date(2027, 3, 3), None)
    assert [(e.kind, e.date, e.days_left) for e in s.events] == [
        ("notice", T, 0), ("exit", date(2027, 3, 3), 90)]
    assert s.risk == "ending"
    got = deal_capacity(s, T, ev_facilities())
    assert (got.nonzero(), got.power_mw) == ({"GB200": 140000, "H100": 150000, "H200": 50000}, 510)
    assert ev.capacity.ending.nonzero() == {"GB200": 140000, "H100": 150000, "H200": 50000}
    # the timeline: the capacity is gone from the first of the month after the exit
    timeline = dict(ev.capacity.timeline)
    assert timeline[date(2027, 3, 1)].total_accelerators == 450000
    assert timeline[date(2027, 4, 1)].total_accelerators == 110000


def ev_facilities():
    return example().facilities


def test_an_assumed_notice_counts_at_every_date():
    portfolio = what_if("notice:anthropic-spacex:2027-01-15:provider")
    before = evaluate(portfolio, T).deals["anthropic-spacex"]
    assert before.status == "notice" and before.exit_date == date(2027, 4, 15)
    assert [(e.kind, e.date) for e in before.events] == [("notice", date(2027, 1, 15)), ("exit", date(2027, 4, 15))]
    after = evaluate(portfolio, date(2027, 2, 1)).deals["anthropic-spacex"]
    assert [(e.kind, e.date) for e in after.events] == [("exit", date(2027, 4, 15))]
    # a notice in the files does not count before it is given
    assert evaluate(example(), T).deals["anthropic-spacex"].status == "active"


def test_source_claims_replace_the_fields_they_dispute():
    real = evaluate(example(), T)
    musk = evaluate(what_if("source:musk-x-post"), T)
    assert real.deals["anthropic-spacex"].exit_right_from == date(2026, 8, 3)
    assert musk.deals["anthropic-spacex"].exit_right_from == date(2026, 10, 30)
    news = evaluate(what_if("source:news-commentary"), T)
    assert news.deals["anthropic-spacex"].deal.commitment.per_year == 1_250_000_000
    assert news.capacity.by_provider["spacex"].concentration == pytest.approx((1.25e9 + 11.04e9) / 18e9)
    # the announcement: all of Colossus 1 as 220,000 GPUs of no stated model
    announced = evaluate(what_if("source:anthropic-announcement"), T)
    assert announced.capacity.totals.nonzero() == {"NVIDIA GPU": 330000}


@pytest.mark.parametrize("text, message", [
    ("notice:nope:2027-01-01", "'notice:nope:2027-01-01': unknown deal 'nope'"),
    ("notice:google-spacex:2026-12-03", "'notice:google-spacex:2026-12-03': notice given 2026-12-03, before the "
                                        "exit right opens on 2027-01-01"),
    ("notice:anthropic-spacex:2029-06-01", "'notice:anthropic-spacex:2029-06-01': notice given 2029-06-01, after "
                                           "the deal ends on 2029-05-31"),
    ("notice:anthropic-spacex:2026-13-01", "'notice:anthropic-spacex:2026-13-01': expected a date YYYY-MM-DD, "
                                           "found '2026-13-01'"),
    ("notice:anthropic-spacex:2026-12-03:lawyer", "'notice:anthropic-spacex:2026-12-03:lawyer': expected the party "
                                                  "buyer or provider, found 'lawyer'"),
    ("source:nope", "'source:nope': unknown source 'nope'"),
    ("sauce:x", "'sauce:x': expected notice:DEAL:DATE[:PARTY] or source:SOURCE"),
])
def test_refusals_name_the_assumption(text, message):
    with pytest.raises(sc.Refused) as refused:
        what_if(text)
    assert str(refused.value) == message


def test_refused_as_the_files_would_refuse(tmp_path):
    text = """
        providers: {p: {name: P}}
        sources: {s: {title: S}, t: {title: T}}
        deals:
          fixed: {buyer: B, provider: p, start: 2026-01-01, end: 2027-01-01}
          mine: {buyer: B, provider: p, start: 2026-01-01, notice: {period: 30 days, parties: provider},
                 notices: [{by: provider, given: 2026-02-01}],
                 claims: [{field: notice.not_before, value: 2026-03-01, source: s},
                          {field: end, value: 2027-01-01, source: t}, {field: renewal, value: 1 year, source: t},
                          {field: commitment, value: 1M/month, source: t}, {field: commitment, value: 2M/month, source: t}]}
    """
    portfolio = load_yaml(tmp_path, text).portfolio
    cases = {
        "notice:fixed:2026-06-01": "deal 'fixed' has no exit right (no notice terms)",
        "notice:mine:2026-06-01": "notice by the buyer, but only the provider may give notice",
        "notice:mine:2025-06-01:provider": "notice given 2025-06-01, before the deal starts on 2026-01-01",
        # a claimed not_before makes the served notice invalid
        "source:s": "deal 'mine': notice given 2026-02-01, before the exit right opens on 2026-03-01",
        "source:t": "source 't' makes two claims on deal 'mine' field 'commitment'",
    }
    for text, reason in cases.items():
        with pytest.raises(sc.Refused) as refused:
            sc.apply(portfolio, [sc.parse(text)])
        assert refused.value.reason == reason, text
    with pytest.raises(sc.Refused, match="assumed twice"):
        what_if("notice:mine:2026-06-01:provider", "notice:mine:2026-06-01:provider", portfolio=portfolio)


def test_a_claim_may_dispute_one_model_of_a_facility(tmp_path):
    text = """
        providers: {p: {name: P}}
        sources: {s: {title: S}}
        facilities:
          f: {name: F, accelerators: {H100: 100, GB200: 10},
              claims: [{field: accelerators.H100, value: "1,000", source: s}]}
        deals:
          d: {buyer: B, provider: p, start: 2026-01-01, capacity: [{facility: f, share: 50%}]}
    """
    result = load_yaml(tmp_path, text)
    assert result.ok, [str(e) for e in result.errors]
    assert result.portfolio.facilities["f"].claims[0].value == 1000
    ev = evaluate(sc.apply(result.portfolio, [sc.parse("source:s")]), T)
    assert ev.capacity.totals.nonzero() == {"GB200": 5, "H100": 500}
    bad = load_yaml(tmp_path, text.replace("accelerators.H100", "accelerator.H100"))
    assert [e.message for e in bad.errors] == ["claim field 'accelerator.H100' is not a field here "
                                              "(did you mean 'accelerators'?)"]


def test_no_assumptions_is_the_portfolio_itself():
    portfolio = example()
    assert sc.apply(portfolio, []) is portfolio


def test_untouched_entities_stay_the_same_objects():
    portfolio = example()
    changed = what_if("notice:anthropic-spacex:2026-12-03", portfolio=portfolio)
    assert changed.deals["google-spacex"] is portfolio.deals["google-spacex"]
    assert changed.deals["anthropic-spacex"] is not portfolio.deals["anthropic-spacex"]
    assert portfolio.deals["anthropic-spacex"].notices == []  # the real portfolio is untouched


# --- the check command -------------------------------------------------------------------------

def check(capsys, *args):
    code = main(["check", EXAMPLE, "--as-of", "2026-12-03", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_check_json_echoes_the_assumptions_normalised(capsys):
    code, out, _ = check(capsys, "--format", "json", "--assume", "notice:anthropic-spacex:2026-12-15",
                         "--assume", "SOURCE:news-commentary")
    doc = json.loads(out)
    assert doc["assumptions"] == ["notice:anthropic-spacex:2026-12-15:buyer", "source:news-commentary"]
    deal = doc["deals"][0]
    assert (deal["status"], deal["exit_date"], deal["at_risk"]) == ("notice", "2027-03-15", None)  # T+90: 03-03
    assert deal["events"][0] == {"kind": "notice", "date": "2026-12-15", "days_left": 12, "level": "warn"}
    assert deal["commitment_per_year"] == {"amount": "1250000000", "currency": "USD"}
    assert code == 0
    _, plain, _ = check(capsys, "--format", "json")
    assert "assumptions" not in json.loads(plain)


def test_check_json_per_deal_capacity_and_risk(capsys):
    _, out, _ = check(capsys, "--format", "json")
    deals = {d["id"]: d for d in json.loads(out)["deals"]}
    assert deals["anthropic-spacex"]["capacity"] == {
        "accelerators": {"GB200": 140000, "H100": 150000, "H200": 50000}, "power_mw": 510.0}
    assert deals["anthropic-spacex"]["at_risk"] == "other_side"  # SpaceX may give 90 days' notice today
    assert deals["google-spacex"]["capacity"] == {"accelerators": {"NVIDIA GPU": 110000}, "power_mw": 0.0}
    assert deals["google-spacex"]["at_risk"] is None  # its exit right opens 2027-01-01: exit 2027-04-01


def test_check_text_says_hypothetical_first(capsys):
    code, out, _ = check(capsys, "--assume", "notice:anthropic-spacex:2026-12-03")
    assert out.splitlines()[0] == "WHAT-IF: hypothetical, assuming notice:anthropic-spacex:2026-12-03:buyer"
    assert code == 1  # the notice goes out today: an event within critical_days


def test_check_refusal_exits_2_naming_the_assumption(capsys):
    code, out, err = check(capsys, "--format", "json", "--assume", "notice:x:2027-01-01")
    assert code == 2
    assert err == "--assume 'notice:x:2027-01-01': unknown deal 'x'\n"
    assert json.loads(out) == {"schema": 1, "errors": ["--assume 'notice:x:2027-01-01': unknown deal 'x'"]}


# --- properties ----------------------------------------------------------------------------------

def _portfolio(tmp_path, text):
    (tmp_path / "p.yaml").write_text(text, encoding="utf-8")
    result = load([str(tmp_path / "p.yaml")])
    assume(result.ok)
    return result.portfolio


PROPS = dict(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                                   HealthCheck.filter_too_much])


@settings(max_examples=150, **PROPS)
@given(portfolios(), NEAR, st.integers(0, 800), st.integers(0, 400), st.sampled_from(list(Party)))
def test_an_assumed_notice_equals_the_notice_written_in_the_files(tmp_path, text, as_of, after, late, party):
    """From the day it is given on, an assumed notice is a served notice (SPEC §2.1): the JSON
    is the same but for the `notice` event on its day; before it, the notice still counts."""
    portfolio = _portfolio(tmp_path, text)
    ident = next(iter(portfolio.deals))
    deal = portfolio.deals[ident]
    given_on = deal.start + timedelta(days=after)
    assume(deal.notice is not None and not deal.notice_refusals(party, given_on))
    scenario = sc.apply(portfolio, [sc.parse(f"notice:{ident}:{given_on}:{party}")])
    written = text.replace(f"  {ident}:\n", f"  {ident}:\n    notices: [{{by: {party}, given: {given_on}}}]\n", 1)
    if "    notices: [" in text.split(f"  {ident}:\n", 1)[1].split("\n  d", 1)[0]:
        return  # (the deal has served notices already: a second `notices` key would be a duplicate)
    files = _portfolio(tmp_path, written)
    T = given_on + timedelta(days=late)
    a = to_json(evaluate(scenario, T), "UTC", [], scenario.facilities)
    b = to_json(evaluate(files, T), "UTC", [], files.facilities)
    for d in a["deals"]:
        d["events"] = [e for e in d["events"] if e["kind"] != "notice"]
    assert a == b
    # before the day it is given, the assumed notice still decides the exit
    early = evaluate(scenario, given_on - timedelta(days=1)).deals[ident]
    assert early.exit_date == evaluate(files, T).deals[ident].exit_date or early.status == "upcoming"


@settings(max_examples=150, **PROPS)
@given(portfolios(), NEAR)
def test_per_deal_figures_add_up_to_the_portfolio(tmp_path, text, as_of):
    """Each deal's capacity sums to the totals, and the deals marked at risk to the at-risk
    figure (ending ones to `ending`), the same figures the JSON gives."""
    portfolio = _portfolio(tmp_path, text)
    ev = evaluate(portfolio, as_of)
    totals, ending, at_risk = Figures(), Figures(), Figures()
    for s in ev.deals.values():
        mine = deal_capacity(s, as_of, portfolio.facilities)
        totals.add(mine)
        if s.risk is not None:
            at_risk.add(mine)
        if s.risk == "ending":
            ending.add(mine)
    for got, want in ((totals, ev.capacity.totals), (ending, ev.capacity.ending), (at_risk, ev.capacity.at_risk)):
        assert (got.nonzero(), got.power_mw) == (want.nonzero(), want.power_mw)


def test_an_events_date_is_marked_when_a_claim_disputes_what_it_comes_from(tmp_path):
    from tui.rows.cells import DISPUTED_STYLE, measure
    from tui.rows.events import build_event_rows

    text = """
        providers: {p: {name: P}}
        sources: {s: {title: S}}
        deals:
          d: {buyer: B, provider: p, start: 2026-01-01, end: 2027-06-30,
              notice: {period: 30 days, not_before: 2027-01-01},
              claims: [{field: end, value: 2027-12-31, source: s}]}
    """
    portfolio = load_yaml(tmp_path, text).portfolio
    rows = build_event_rows(evaluate(portfolio, T), None)
    keys = rows.keys()
    assert [rows.row(k)[0] for k in keys] == [("2027-01-01", ""), ("±2027-06-30", DISPUTED_STYLE)]
    assert rows.column_widths(keys)[0] == max(measure([rows.row(k)[0]])[0] for k in keys) == 11
    assert rows.column_widths(keys[:1])[0] == 10


@settings(max_examples=150, **PROPS)
@given(portfolios(), NEAR, st.integers(0, 800), st.sampled_from(list(Party)), st.integers(-40, 40))
def test_dropping_every_assumption_restores_the_real_evaluation(tmp_path, text, as_of, after, party, step):
    """The monitor evaluates a scenario from the real evaluation on show and back (each reusing
    the states of the deals the assumption did not touch): going back, and moving the date
    meanwhile, gives exactly what a fresh evaluation of the files gives."""
    portfolio = _portfolio(tmp_path, text)
    ident = next(iter(portfolio.deals))
    deal = portfolio.deals[ident]
    given_on = deal.start + timedelta(days=after)
    assume(deal.notice is not None and not deal.notice_refusals(party, given_on))
    real = evaluate(portfolio, as_of)
    scenario = sc.apply(portfolio, [sc.parse(f"notice:{ident}:{given_on}:{party}")])
    what_if = evaluate(scenario, as_of, real)
    assert to_json(what_if, "UTC", [], scenario.facilities) == to_json(evaluate(scenario, as_of), "UTC", [],
                                                                        scenario.facilities)
    try:
        later = as_of + timedelta(days=step)
    except OverflowError:
        later = as_of
    moved = evaluate(scenario, later, what_if)
    back = evaluate(portfolio, later, moved)
    fresh = evaluate(portfolio, later)
    assert to_json(back, "UTC", [], portfolio.facilities) == to_json(fresh, "UTC", [], portfolio.facilities)
    assert back.events == fresh.events


def test_spec_corrections_exit_right_opens_at_the_later_of_start_and_not_before(tmp_path):
    from conftest import state_of

    # an upcoming deal whose not_before is earlier than its start: no exit before it starts
    _, s = state_of(tmp_path, "start: 2027-03-01\nnotice: {period: 90 days, not_before: 2026-12-01}\n", T)
    assert (s.status, s.exit_right_from, s.earliest_exit_if_notice_today) == (
        "upcoming", date(2027, 3, 1), date(2027, 5, 30))
    assert [(e.kind, e.date) for e in s.events] == [("exit_right", date(2027, 3, 1)), ("start", date(2027, 3, 1))]
