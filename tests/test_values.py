"""Value grammars of SPEC §1, read from the scalar text as written."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tui.core import values as v
from tui.core.dates import Duration
from tui.core.yamlnodes import Scalar


def plain(text: str) -> Scalar:
    return Scalar(text, True, 3, 7)


def quoted(text: str) -> Scalar:
    return Scalar(text, False, 3, 7)


@pytest.mark.parametrize("text, expected", [
    ("2026-05-03", date(2026, 5, 3)), ("2028-02-29", date(2028, 2, 29)), ("9999-12-31", date(9999, 12, 31)),
])
def test_dates(text, expected):
    assert v.parse_date(plain(text)) == expected
    assert v.parse_date(quoted(text)) == expected


@pytest.mark.parametrize("text, detail", [
    ("2026-02-30", "not a real date"), ("2027-02-29", "not a real date"), ("2026-13-01", "not a real date"),
    ("10000-01-01", "year past 9999"), ("2026-05-03T10:00:00", "date and time"),
    ("2026-05-03 10:00", "date and time"), ("May 2026", ""), ("10:00", ""), ("2026-5-3", ""), ("", ""),
])
def test_bad_dates(text, detail):
    with pytest.raises(v.Invalid) as exc:
        v.parse_date(plain(text))
    assert "expected a date YYYY-MM-DD" in exc.value.message
    assert detail in exc.value.message
    assert exc.value.node.line == 3 and exc.value.node.col == 7


@pytest.mark.parametrize("text, expected", [
    ("90 days", Duration(90, "d")), ("90days", Duration(90, "d")), ("90", Duration(90, "d")),
    ("1 day", Duration(1, "d")), ("7d", Duration(7, "d")), ("10 business days", Duration(10, "bd")),
    ("1 Business Day", Duration(1, "bd")), ("5bd", Duration(5, "bd")), ("2 weeks", Duration(2, "w")),
    ("1w", Duration(1, "w")), ("3 months", Duration(3, "mo")), ("3mo", Duration(3, "mo")),
    ("1 MONTH", Duration(1, "mo")), ("2 years", Duration(2, "y")), ("1y", Duration(1, "y")),
    ("  6 Months ", Duration(6, "mo")),
])
def test_durations(text, expected):
    assert v.duration(plain(text)) == expected


@pytest.mark.parametrize("text, detail", [
    ("3 m", "ambiguous"), ("3m", "ambiguous"), ("1.5 months", "fractions"), ("0 days", "positive"),
    ("-3 days", "positive"), ("0", "positive"), ("3 fortnights", "unknown unit"), ("days", ""),
    ("090", "leading zero"), ("", ""),
])
def test_bad_durations(text, detail):
    with pytest.raises(v.Invalid) as exc:
        v.duration(plain(text))
    assert detail in exc.value.message


@pytest.mark.parametrize("text, amount, currency", [
    ("1.25B USD", "1250000000", "USD"), ("$920M", "920000000", "USD"), ("€5m", "5000000", "EUR"),
    ("£1.5bn", "1500000000", "GBP"), ("1.25e9", "1250000000", "USD"), ("1,250,000", "1250000", "USD"),
    ("1_250_000 JPY", "1250000", "JPY"), ("2T", "2000000000000", "USD"), ("0", "0", "USD"),
    ("3k eur", "3000", "EUR"), ("$ 12.5 M USD", "12500000", "USD"), ("18.7B", "18700000000", "USD"),
    ("100 BND", "100", "BND"),
])
def test_money(text, amount, currency):
    m = v.money(plain(text), "USD")
    assert (m.amount, m.currency) == (Decimal(amount), currency)


def test_money_default_currency_comes_from_settings():
    assert v.money(plain("5M"), "EUR").currency == "EUR"


@pytest.mark.parametrize("text, detail", [
    ("-5", "negative"), ("$5M EUR", "'$' is USD"), ("1,25", ""), ("12,3456", ""), ("five", ""),
    ("5 MUSDX", ""), ("0755", "leading zero"), ("1e999", "out of range"), (".inf", ""),
])
def test_bad_money(text, detail):
    with pytest.raises(v.Invalid) as exc:
        v.money(plain(text), "USD")
    assert detail in exc.value.message


@pytest.mark.parametrize("text, per_year, per", [
    ("1.25B USD/month", "15000000000", "month"), ("1.25B USD per month", "15000000000", "month"),
    ("$920M/mo", "11040000000", "mo"), ("1M/day", "365000000", "day"), ("1M / week", "52000000", "week"),
    ("1M/quarter", "4000000", "quarter"), ("18.7B USD/year", "18700000000", "year"),
    ("5M/yr", "5000000", "yr"), ("5M", "5000000", None), ("1.25b usd PER Month", "15000000000", "month"),
])
def test_rates(text, per_year, per):
    r = v.rate(plain(text), "USD")
    assert r.per_year == Decimal(per_year)
    assert r.per == per


@pytest.mark.parametrize("text", ["1M/fortnight", "1M per fortnight", "/month", "1M//month", "-1M/month"])
def test_bad_rates(text):
    with pytest.raises(v.Invalid):
        v.rate(plain(text), "USD")


@pytest.mark.parametrize("text, expected", [
    ("150000", 150000), ("150,000", 150000), ("150_000", 150000), ("0", 0), ("1,000,000", 1000000)])
def test_counts(text, expected):
    assert v.count(plain(text)) == expected


@pytest.mark.parametrize("text", ["0150000", "1.5", "-1", "15,00", "true", "1e3", "", "9" * 30])
def test_bad_counts(text):
    with pytest.raises(v.Invalid):
        v.count(plain(text))


@pytest.mark.parametrize("text, expected", [
    ("50%", "0.5"), ("100%", "1"), ("0.5", "0.5"), ("1", "1"), ("12.5%", "0.125"), ("0.001", "0.001")])
def test_shares(text, expected):
    assert v.share(plain(text)) == Decimal(expected)


@pytest.mark.parametrize("text, detail", [
    ("50", "did you mean 50%?"), ("0", "over 0"), ("0%", "over 0"), ("101%", "at most 100%"),
    ("150", "at most 1"), ("-0.5", ""), ("half", "")])
def test_bad_shares(text, detail):
    with pytest.raises(v.Invalid) as exc:
        v.share(plain(text))
    assert detail in exc.value.message


@pytest.mark.parametrize("text, expected", [("300", "300"), ("1.5e2", "150"), ("2.5", "2.5"), ("-1", "-1")])
def test_numbers(text, expected):
    assert v.number(plain(text)) == Decimal(expected)


@pytest.mark.parametrize("text", [".inf", ".nan", "-.inf", "true", "1:30", "0x1F", "ten"])
def test_bad_numbers(text):
    with pytest.raises(v.Invalid):
        v.number(plain(text))


def test_text_is_taken_as_written():
    # YAML 1.1 would read these as false, 600, 493, a float
    for raw in ("NO", "10:00", "0755", "3.10", "yes", "~x"):
        assert v.text(plain(raw)) == raw


def test_null_is_not_text():
    with pytest.raises(v.Invalid):
        v.text(plain("~"))
    assert v.text(quoted("~")) == "~"


@given(st.decimals(min_value=0, max_value=10**15, places=2, allow_nan=False))
def test_money_roundtrips_exactly(amount):
    text = format(amount, "f")
    assert v.money(plain(text), "USD").amount == amount


@given(st.integers(min_value=0, max_value=10**15))
def test_counts_with_separators_roundtrip(n):
    assert v.count(plain(f"{n:,}")) == n
    assert v.count(plain(f"{n:_}")) == n
