"""Hardening by class (issue 11): the whole range of each grammar, and the ends of the calendar,
driven through the loader, the evaluation and every output (text report, JSON, the panes' rows,
capacity and details texts); non-regular files; zones that are not zones; a fuzzer over YAML
built from the grammar plus random mutations.

More fuzzing: DEALMON_FUZZ_EXAMPLES=5000 .venv/bin/python -m pytest tests/test_hardening.py -k fuzz
"""
from __future__ import annotations

import json
import os
import re
import socket
from datetime import date, timedelta
from decimal import Decimal

import pytest
from conftest import write
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tui.cli import main
from tui.core import formatting as fmt
from tui.core import scenarios
from tui.core.asof import AsOf
from tui.core.calendar import calendar_bytes
from tui.core.dates import BEFORE_TIME, Duration, add, sub
from tui.core.evaluate import evaluate
from tui.core.github import github_annotations
from tui.core.loader import load
from tui.core.markdown import markdown_digest
from tui.core.report import Report, text_report, to_json
from tui.rows.capacity import capacity_texts
from tui.rows.deals import build_deal_rows
from tui.rows.details import details_text
from tui.rows.disputes import effect_text
from tui.rows.events import build_event_rows

PROBLEM_LINE = re.compile(r"^.+:\d+:\d+: .+$")
FUZZ_EXAMPLES = int(os.environ.get("DEALMON_FUZZ_EXAMPLES", "200"))
HEALTH = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow]


def every_output(portfolio, as_of: date) -> None:
    """Evaluate and render through every output; raises whatever any of them raises."""
    ev = evaluate(portfolio, as_of)
    for within in (7, 10 ** 9):
        report = Report(ev, portfolio, "UTC", "x", as_of, within, ev.warnings, ["source:s"])
        text_report(report)
        markdown_digest(report)
        github_annotations(report)
        calendar_bytes(report)
    json.dumps(to_json(ev, "UTC", ev.warnings, portfolio.facilities))
    deal_rows = build_deal_rows(ev, portfolio, None, 0)
    for sort_index in range(6):
        deal_rows.order(sort_index)
    build_event_rows(ev, None)
    what_if = scenarios.what_if(portfolio, portfolio, [], as_of)
    for step in (3, 6):
        capacity_texts(ev, step, 80, portfolio, what_if)
    for state in ev.deals.values():
        details_text(state, ev, portfolio, ("source:s",))
    for effect in scenarios.source_effects(portfolio, as_of, ev):
        effect_text(effect, portfolio)


# --- one number path ---------------------------------------------------------------------------

DIGITS = st.one_of(
    st.integers(0, 10 ** 24).map(str),
    st.integers(1, 999).map(lambda n: f"{n},{123:03d},{456:03d}"),
    st.integers(1, 10 ** 6).map(lambda n: f"{n}_000"),
)
FRACTION = st.one_of(st.just(""), st.integers(0, 10 ** 9).map(lambda n: f".{n}"))
EXPONENT = st.one_of(st.just(""), st.integers(-40, 40).map(lambda n: f"e{n}"))
NUMBER = st.builds(lambda d, f, e: d + f + e, DIGITS, FRACTION, EXPONENT)
SCALE = st.sampled_from(["", "K", "M", "B", "BN", "T", "k", "bn"])
MONEY = st.builds(lambda sym, n, sc, code: f"{sym}{n}{sc}{code}", st.sampled_from(["", "$", "€"]), NUMBER, SCALE,
                  st.sampled_from(["", " USD", " EUR", " GBP"]))
RATE = st.builds(lambda m, per: f"{m}{per}", MONEY, st.sampled_from(["", "/month", "/year", " per day", "/quarter"]))
COUNT = st.one_of(st.integers(0, 10 ** 19).map(str), st.integers(1, 999).map(lambda n: f"{n},000,000"))
SHARE = st.one_of(st.builds(lambda n: f"{n}%", NUMBER), NUMBER, st.integers(1, 100).map(lambda n: f"{n}%"),
                  st.decimals(0, 1, places=20).map(str))


def portfolio_text(power: str, count: str, share: str, commitment: str, revenue: str, total: str, mw: str) -> str:
    def q(s: str) -> str:
        return json.dumps(s)  # a YAML double-quoted scalar
    return f"""
providers:
  p: {{name: P, revenue: {q(revenue)}}}
facilities:
  f: {{name: F, operator: p, power_mw: {q(power)}, accelerators: {{H100: {q(count)}, GB200: 7}}}}
deals:
  d:
    buyer: B
    provider: p
    start: 2026-01-01
    end: 2027-06-01
    commitment: {q(commitment)}
    total_value: {q(total)}
    notice: {{period: 90 days}}
    capacity:
      - {{facility: f, share: {q(share)}}}
      - {{accelerators: {{H200: {q(count)}}}, power_mw: {q(mw)}}}
"""


DEFAULTS = {"power": "300", "count": "150000", "share": "50%", "commitment": "1.25B USD/month",
            "revenue": "18B/year", "total": "1B", "mw": "10"}
GRAMMARS = {"power": NUMBER, "count": COUNT, "share": SHARE, "commitment": RATE, "revenue": RATE, "total": MONEY,
            "mw": NUMBER}


@pytest.mark.parametrize("field", list(GRAMMARS))
@settings(max_examples=150, deadline=None, suppress_health_check=HEALTH)
@given(data=st.data())
def test_every_accepted_number_prints_in_every_output(tmp_path, field, data):
    values = dict(DEFAULTS, **{field: data.draw(GRAMMARS[field], label=field)})
    path = write(tmp_path, "p.yaml", portfolio_text(**values))
    result = load([str(path)])
    for problem in result.errors + result.warnings:
        assert PROBLEM_LINE.match(str(problem)), problem
    if result.portfolio is None:
        named = {"power": "power_mw", "mw": "power_mw", "total": "total_value", "count": "accelerators"}
        assert {p.message.split(":")[0] for p in result.errors} == {named.get(field, field)}
        return
    every_output(result.portfolio, date(2026, 11, 29))
    # Round trips: the JSON's amounts are the exact values written.
    deal = result.portfolio.deals["d"]
    doc = to_json(evaluate(result.portfolio, date(2026, 11, 29)), "UTC", [], result.portfolio.facilities)
    assert Decimal(doc["deals"][0]["commitment_per_year"]["amount"]) == deal.commitment.per_year
    assert fmt.plain_decimal(deal.commitment.per_year) == doc["deals"][0]["commitment_per_year"]["amount"]
    facility = result.portfolio.facilities["f"]
    assert abs(facility.power_mw) < Decimal(10) ** 30
    assert doc["capacity"]["by_facility"]["f"]["power_mw"] == fmt.mw_number(
        evaluate(result.portfolio, date(2026, 11, 29)).capacity.by_facility["f"].figures.power_mw)


@pytest.mark.parametrize("text, accepted", [
    ("9.99e29", True), ("1e30", False), ("999,999,999,999,999,999T", True), ("1000000T", True),
    ("1e18T", False), ("1.5e-30", True), ("1e-31", False), ("２", False),
])
def test_the_grammar_refuses_what_could_not_print(tmp_path, text, accepted):
    path = write(tmp_path, "p.yaml", portfolio_text(text if "T" not in text else "1", "1", "50%",
                                                    f"{text} USD/year" if "T" in text else "1M/month", "1B/year",
                                                    "1", "1"))
    result = load([str(path)])
    assert result.ok == accepted, [str(e) for e in result.errors]
    if result.portfolio is not None:
        every_output(result.portfolio, date(2026, 11, 29))


def test_huge_power_prints_exactly(tmp_path):
    path = write(tmp_path, "p.yaml", portfolio_text("9.99e29", "10", "100%", "9e29T".replace("T", "") + " USD/day",
                                                    "1e-30/year", "9e29", "9.5e29"))
    result = load([str(path)])
    assert result.ok, [str(e) for e in result.errors]
    ev = evaluate(result.portfolio, date(2026, 11, 29))
    doc = to_json(ev, "UTC", [], result.portfolio.facilities)
    assert doc["capacity"]["power_mw"] == float(Decimal("9.99e29") + Decimal("9.5e29"))
    assert fmt.power(ev.capacity.totals.power_mw) == "1,949,000,000,000,000,000,000,000,000,000 MW"
    assert doc["capacity"]["commitment_per_year"] == {"USD": "328500000000000000000000000000000"}


# --- one date path at the ends of the calendar --------------------------------------------------

EDGE_DATES = st.one_of(st.dates(date(1, 1, 1), date(1, 12, 31)), st.dates(date(9998, 1, 1), date(9999, 12, 31)),
                       st.dates(date(2020, 1, 1), date(2030, 12, 31)))
UNITS = st.sampled_from(["days", "weeks", "months", "years", "business days"])
DURATION = st.builds(lambda n, u: f"{n} {u}", st.integers(1, 1_000_000), UNITS)


@settings(max_examples=300, deadline=None, suppress_health_check=HEALTH)
@given(EDGE_DATES, st.integers(1, 3000), DURATION, DURATION, st.one_of(st.none(), DURATION), EDGE_DATES,
       st.sampled_from(["after_period", "term_end"]), st.booleans())
def test_dates_at_the_ends_of_the_calendar_never_fail(tmp_path, start, length, period, renewal, not_before, as_of,
                                                       effect, served):
    end = start + timedelta(days=length) if start <= date(9999, 12, 31) - timedelta(days=length) else None
    lines = ["providers: {p: {name: P}}", "deals:", "  d:", "    buyer: B", "    provider: p", f"    start: {start}"]
    if end is not None:
        lines += [f"    end: {end}", f"    renewal: {renewal}"]
    notice = f"{{period: {period}, effect: {effect if end else 'after_period'}"
    if not_before:
        notice += f", not_before: {not_before}"
    lines.append(f"    notice: {notice}}}")
    if served:
        lines.append(f"    notices: [{{by: buyer, given: {start}}}]")
    result = load([str(write(tmp_path, "d.yaml", "\n".join(lines) + "\n"))])
    for problem in result.errors + result.warnings:
        assert PROBLEM_LINE.match(str(problem)), problem
    if result.portfolio is not None:
        every_output(result.portfolio, as_of)
        state = evaluate(result.portfolio, as_of).deals["d"]
        for e in state.events:
            assert e.date >= as_of and e.date.year <= 9999
        if state.notice_deadline is not None:
            assert state.notice_deadline >= as_of


@given(st.dates(date(1, 1, 1), date(1, 3, 1)) | st.dates(date(9999, 10, 1), date(9999, 12, 31)),
       st.lists(st.sampled_from([-1, 1, -31, 31, -1000]), max_size=30), st.lists(st.sampled_from([-1, 1, -12]),
                                                                                  max_size=30))
def test_moving_the_as_of_date_stops_at_the_ends(start, days, months):
    state = AsOf(start)
    for step in days:
        before = state.on(start)
        if not state.move_days(step, start):
            assert before == state.on(start)  # refused: the date stays
    for step in months:
        before = state.on(start)
        if not state.move_months(step, start):
            assert before == state.on(start)
    assert date.min <= state.on(start) <= date.max


def test_a_deadline_before_year_one_is_in_the_past(tmp_path):
    # end 0001-02-01, renewing monthly, notice stops a renewal 3 months ahead: the first
    # deadline would fall before 0001-01-01. It is in the past, not "later than any date".
    text = """providers: {p: {name: P}}
deals:
  d: {buyer: B, provider: p, start: 0001-01-01, end: 0001-02-01, renewal: 1 month,
      notice: {period: 3 months, effect: term_end}}
"""
    result = load([str(write(tmp_path, "d.yaml", text))])
    assert result.ok, [str(e) for e in result.errors]
    state = evaluate(result.portfolio, date(1, 1, 1)).deals["d"]
    # end_0 and end_1 have their deadlines before year 1 (in the past); end_2 = 0001-04-01
    # less 3 months is today
    assert state.notice_deadline == date(1, 1, 1)
    assert state.earliest_exit_if_notice_today == date(1, 4, 1)
    assert sub(date(1, 2, 1), Duration(3, "mo")) is BEFORE_TIME


def test_business_days_past_the_calendar_say_so(tmp_path):
    text = """settings: {calendar: US}
providers: {p: {name: P}}
deals:
  d: {buyer: B, provider: p, start: 2026-01-01, notice: {period: 40000 business days}}
"""
    path = write(tmp_path, "d.yaml", text)
    result = load([str(path)])
    ev = evaluate(result.portfolio, date(2026, 11, 29))
    exit_on = ev.deals["d"].earliest_exit_if_notice_today
    assert exit_on == add(date(2026, 11, 29), Duration(40000, "bd"), "US") and exit_on.year > 2100
    assert [str(w) for w in ev.warnings] == [
        f"{path}:4:6: deal 'd': calendar US knows holidays for 1777-2100 only; business days in {exit_on.year} "
        "count weekends only"]


# --- one file-opening path -------------------------------------------------------------------

def check(capsys, *args):
    code = main(["check", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_what_is_not_a_regular_file_is_an_error_and_never_blocks(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("DEALMON_NO_CACHE", "1")
    d = tmp_path / "cfg"
    d.mkdir()
    write(d, "a.yaml", "providers: {p: {name: P}}\n")
    os.mkfifo(d / "b.yaml")  # no writer: a blocking open would hang here forever
    (d / "c.yaml").symlink_to("nowhere.yaml")
    (d / "e.yaml").symlink_to("e.yaml")
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(d / "f.yaml"))
    (d / "g.yaml").symlink_to("a.yaml")  # a link to a regular file is followed (read once)
    code, out, err = check(capsys, str(d))
    assert code == 2 and out == ""
    assert err.splitlines() == [
        f"{d}/b.yaml:1:1: not a regular file: it is a FIFO (named pipe)",
        f"{d}/c.yaml:1:1: dangling symlink: its target 'nowhere.yaml' does not exist",
        f"{d}/e.yaml:1:1: symlink loop: the link leads back to itself",
        f"{d}/f.yaml:1:1: not a regular file: it is a socket",
    ]
    code, _, err = check(capsys, str(d / "b.yaml"))
    assert code == 2 and err == f"{d}/b.yaml:1:1: not a regular file: it is a FIFO (named pipe)\n"
    code, _, err = check(capsys, "/dev/zero")
    assert code == 2 and err == "/dev/zero:1:1: not a regular file: it is a character device\n"


@pytest.mark.parametrize("entry", [
    "[]", '{"exit": "0", "stdout": "", "stderr": "", "zone": "UTC", "today": "2026-01-01"}',
    '{"exit": 0, "stdout": 1}', '{"exit": 0, "stdout": "", "stderr": "", "zone": "America", "today": "x"}', "{",
])
def test_a_cache_entry_of_the_wrong_shape_is_a_miss(tmp_path, capsys, entry):
    from tui import checkcache

    path = write(tmp_path, "d.yaml", "providers: {p: {name: P}}\n")
    check(capsys, str(path))
    directory = checkcache.cache_dir()
    for found in os.scandir(directory):
        with open(found.path, "w", encoding="utf-8") as fh:
            fh.write(entry)
    code, out, err = check(capsys, str(path))
    assert code == 0 and out.startswith("dealmon: ") and err == ""


# --- zones that are not zones -------------------------------------------------------------------

@pytest.mark.parametrize("zone", ["America", "Etc", "/etc/passwd", "../zoneinfo/UTC", "Not/AZone", ""])
def test_a_zone_that_is_not_a_zone_is_an_error(tmp_path, capsys, zone):
    path = write(tmp_path, "s.yaml", f"settings: {{timezone: {json.dumps(zone)}}}\n")
    code, _, err = check(capsys, str(path))
    assert code == 2
    assert err.startswith(f"{path}:1:") and "expected an IANA time zone" in err


@pytest.mark.parametrize("tz", ["America", "Europe", "posixrules/x", "nonsense"])
def test_a_tz_that_is_not_a_zone_is_a_warning_and_utc(tmp_path, capsys, monkeypatch, tz):
    monkeypatch.setenv("TZ", tz)
    path = write(tmp_path, "d.yaml", "providers: {p: {name: P}}\n")
    code, out, _ = check(capsys, str(path), "--format", "json")
    doc = json.loads(out)
    assert code == 0 and doc["timezone"] == "UTC"
    assert doc["warnings"] == [f"{path}:1:1: TZ={tz!r} is not a time zone of the IANA database; "
                               "today is taken in UTC"]


# --- positions and grammar --------------------------------------------------------------------

def test_errors_about_aliases_and_merges_point_at_them(tmp_path):
    text = ("providers: {p: {name: P}}\n"
            "deals:\n"
            "  a: &bad {buyer: B, provider: p, start: 2026-13-01}\n"
            "  b: *bad\n"
            "  c:\n"
            "    <<: {provider: p, start: 2026-02-30}\n"
            "    buyer: B\n")
    path = write(tmp_path, "d.yaml", text)
    got = [str(e) for e in load([str(path)]).errors]
    assert got == [
        f"{path}:3:42: start: expected a date YYYY-MM-DD, found '2026-13-01' (not a real date: month must be in 1..12)",
        f"{path}:4:6: start: expected a date YYYY-MM-DD, found '2026-13-01' (not a real date: month must be in 1..12)",
        f"{path}:6:5: start: expected a date YYYY-MM-DD, found '2026-02-30' "
        "(not a real date: day is out of range for month)",
    ]


def test_a_nul_byte_is_reported_at_its_line_and_column(tmp_path):
    path = tmp_path / "n.yaml"
    path.write_bytes(b"providers:\n  p: {name: P\x00}\n")
    assert [str(e) for e in load([str(path)]).errors] == [
        f"{path}:2:14: invalid YAML: character U+0000 is not allowed (control characters are not allowed)"]


def test_errors_inside_an_entity_with_an_invalid_id_are_reported(tmp_path):
    path = write(tmp_path, "d.yaml", "providers:\n  Bad: {name: P, revenue: lots}\n")
    assert [str(e) for e in load([str(path)]).errors] == [
        f"{path}:2:3: invalid id 'Bad': ids are lower-case letters, digits, '.', '_' and '-', starting with a "
        "letter or digit",
        f"{path}:2:27: revenue: expected a money rate like '1.25B USD/month', found 'lots'",
    ]


@pytest.mark.parametrize("text", ["２０２６-01-01", "2026-0１-01", "٢٠٢٦-01-01"])
def test_non_ascii_digits_are_not_dates(tmp_path, text):
    path = write(tmp_path, "d.yaml", f"providers: {{p: {{name: P}}}}\ndeals:\n  d: {{buyer: B, provider: p, "
                                     f"start: '{text}'}}\n")
    errors = [str(e) for e in load([str(path)]).errors]
    assert len(errors) == 1 and "expected a date YYYY-MM-DD" in errors[0]


@pytest.mark.parametrize("count", ["１５0", "1٥0"])
def test_non_ascii_digits_are_not_counts(tmp_path, count):
    path = write(tmp_path, "f.yaml", f"facilities: {{f: {{name: F, accelerators: {{H100: '{count}'}}}}}}\n")
    assert "expected a whole number >= 0" in str(load([str(path)]).errors[0])


@pytest.mark.parametrize("as_of", ["2026-W01-1", "2026W011", "20260101", "２０２６-01-01", "2026-1-1"])
def test_as_of_takes_only_yyyy_mm_dd(capsys, as_of):
    with pytest.raises(SystemExit) as exc:
        main(["check", "--as-of", as_of])
    assert exc.value.code == 2
    assert f"expected a date YYYY-MM-DD, found {as_of!r}" in capsys.readouterr().err


def test_an_empty_settings_key_is_absent(tmp_path):
    a = write(tmp_path, "a.yaml", "settings:\n")
    b = write(tmp_path, "b.yaml", "settings: {currency: EUR}\n")
    result = load([str(a), str(b)])
    assert result.ok and result.portfolio.settings.currency == "EUR"


# --- the fuzzer ---------------------------------------------------------------------------------

FRAGMENTS = st.sampled_from([
    "providers:", "  p: {name: P, revenue: 18B/year}", "facilities:", "  f: {name: F, operator: p, power_mw: 300,",
    " accelerators: {H100: 150,000}}", "deals:", "  d:", "    buyer: B", "    provider: p", "    start: 2026-05-03",
    "    end: 2029-05-31", "    renewal: 1 year", "    commitment: 1.25B USD/month", "    notice:",
    "      period: 90 days", "      not_before: 3 months", "      effect: term_end", "    notices:",
    "      - {by: buyer, given: 2026-09-01}", "    capacity:", "      - {facility: f, share: 50%}",
    "    claims:", "      - {field: commitment, value: 1.25B/year}", "settings: {timezone: America/Chicago}",
    "settings: {calendar: US, warn_days: 30, critical_days: 7}", "version: 1", "  &a", "  *a", "<<: *a",
    "    tags: [x, y]", "sources:", "  s: {title: S}", "---", "...", "!!python/object:os.system", "\t", "  ",
])
MUTATIONS = st.sampled_from(["drop", "dup", "swap", "garble", "indent", "none"])


@st.composite
def mutated_yaml(draw) -> str:
    lines = draw(st.lists(FRAGMENTS, min_size=1, max_size=25))
    for _ in range(draw(st.integers(0, 4))):
        kind = draw(MUTATIONS)
        i = draw(st.integers(0, len(lines) - 1))
        if kind == "drop" and len(lines) > 1:
            del lines[i]
        elif kind == "dup":
            lines.insert(i, lines[i])
        elif kind == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif kind == "garble":
            line = lines[i]
            at = draw(st.integers(0, len(line)))
            lines[i] = line[:at] + draw(st.text(max_size=4)) + line[at:]
        elif kind == "indent":
            lines[i] = " " * draw(st.integers(0, 6)) + lines[i].lstrip()
    return "\n".join(lines) + "\n"


@settings(max_examples=FUZZ_EXAMPLES, deadline=None, suppress_health_check=HEALTH)
@given(mutated_yaml(), st.sampled_from(["text", "json"]))
def test_fuzz_check_exits_cleanly_with_positioned_messages(tmp_path, capsys, monkeypatch, text, format):
    monkeypatch.setenv("DEALMON_NO_CACHE", "1")
    path = tmp_path / "fuzz.yaml"
    path.write_bytes(text.encode("utf-8", "surrogatepass"))
    code = main(["check", str(path), "--as-of", "2026-11-29", "--format", format])
    out, err = capsys.readouterr()
    assert code in (0, 1, 2), code
    assert "Traceback" not in out + err and "internal error" not in err
    for line in err.splitlines():
        assert PROBLEM_LINE.match(line), line
    if format == "json":
        json.loads(out)


def _load_whole_trees(paths):
    """The loader as it was before entities were streamed: every file's tree composed whole,
    then read."""
    import tui.core.loader.pipeline as loader

    real = loader.parse_file
    loader.parse_file = lambda path, data, progress, stream=None: real(path, data, progress)
    try:
        return load(paths)
    finally:
        loader.parse_file = real


@settings(max_examples=FUZZ_EXAMPLES, deadline=None, suppress_health_check=HEALTH)
@given(st.lists(mutated_yaml(), min_size=1, max_size=3))
def test_entities_read_while_parsing_equal_entities_read_from_the_whole_tree(tmp_path, texts):
    """Streamed entities (units.EntityStream) change nothing a load reports or builds, wherever
    the settings are (before or after the entities, in an earlier or a later file), whatever
    the anchors, merges, duplicate or invalid ids and syntax errors."""
    for old in tmp_path.glob("*.yaml"):
        old.unlink()
    for i, text in enumerate(texts):
        (tmp_path / f"{i}.yaml").write_bytes(text.encode("utf-8", "surrogatepass"))
    streamed, whole = load([str(tmp_path)]), _load_whole_trees([str(tmp_path)])
    assert [str(p) for p in streamed.errors] == [str(p) for p in whole.errors]
    assert [str(p) for p in streamed.warnings] == [str(p) for p in whole.warnings]
    assert streamed.portfolio == whole.portfolio


def test_settings_after_the_entities_are_read_first(tmp_path):
    """A file whose `settings:` comes after its deals: the deals' bare amounts take its currency
    (the streamed entities, read with the defaults, are read again)."""
    write(tmp_path, "a.yaml", """
deals:
  d:
    buyer: B
    provider: p
    start: 2026-01-01
    commitment: 12M/year
providers:
  p: {name: P}
settings: {currency: EUR}
""")
    result = load([str(tmp_path)])
    assert result.errors == []
    assert result.portfolio.deals["d"].commitment.currency == "EUR"
