"""Value grammars of SPEC §1: text, date, duration, money, money rate, count, number, share.

Each parser takes a node and returns a value or raises `Invalid` with the node to point at.
Scalars are read from the text as written, never from PyYAML's YAML 1.1 guesses (`NO` is not
false, `0755` is not 493, `10:00` is not 600).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from sys import intern

from .dates import Duration
from .numbers import LIMIT, MAX_DIGITS, MAX_EXPONENT
from .yamlnodes import Mapping, Node, Scalar, Sequence, describe


class Invalid(Exception):
    def __init__(self, node: Node, message: str) -> None:
        super().__init__(message)
        self.node = node
        self.message = message


def _scalar(node: Node, expected: str) -> str:
    if not isinstance(node, Scalar) or node.is_null:
        raise Invalid(node, f"expected {expected}, found {describe(node)}")
    return node.value


def _fail(node: Node, expected: str, detail: str = "") -> Invalid:
    return Invalid(node, f"expected {expected}, found {describe(node)}" + (f" ({detail})" if detail else ""))


# --- text ----------------------------------------------------------------------------------

def text(node: Node) -> str:
    # Interned: names, ids and references repeat across thousands of entities, and each
    # scalar the parser gives is a string of its own (bench/README.md, "kept strings").
    return intern(_scalar(node, "text"))


def text_list(node: Node) -> list[str]:
    if isinstance(node, Scalar) and not node.is_null:
        return [intern(node.value)]
    if not isinstance(node, Sequence):
        raise _fail(node, "a list of text")
    return [text(item) for item in node.items]


# --- dates ---------------------------------------------------------------------------------

DATE_RE = re.compile(r"([0-9]{4,})-([0-9][0-9]?)-([0-9][0-9]?)")
_DATE_EXPECTED = "a date YYYY-MM-DD"


def date_from_text(raw: str) -> date:
    """The date written `YYYY-MM-DD` (ASCII digits, years 1-9999): the one date grammar, for the
    files, `--as-of` and the go-to-date prompt.

    Raises:
        ValueError: with what is wrong ("" when it is simply not of that form).
    """
    m = DATE_RE.fullmatch(raw)
    if not m:
        raise ValueError("a date and time is not a date" if DATE_RE.match(raw) else "")
    if len(m.group(1)) > 4 or int(m.group(1)) > 9999:
        raise ValueError("year past 9999")
    year, month, day = (int(g) for g in m.groups())
    if len(m.group(2)) != 2 or len(m.group(3)) != 2 or year < 1:
        raise ValueError("")
    try:
        return date(year, month, day)
    except ValueError as exc:
        raise ValueError(f"not a real date: {exc}") from None


def parse_date(node: Node) -> date:
    raw = _scalar(node, _DATE_EXPECTED).strip()
    try:
        return date_from_text(raw)
    except ValueError as exc:
        raise _fail(node, _DATE_EXPECTED, str(exc)) from None


# --- durations -----------------------------------------------------------------------------

_UNITS = {
    "day": "d", "days": "d", "d": "d",
    "business day": "bd", "business days": "bd", "bd": "bd",
    "week": "w", "weeks": "w", "w": "w",
    "month": "mo", "months": "mo", "mo": "mo",
    "year": "y", "years": "y", "y": "y",
}
_DURATION = re.compile(r"([+-]?[0-9]+(?:[.,][0-9]+)?)\s*([a-z][a-z ]*?)?", re.IGNORECASE | re.ASCII)
_DURATION_EXPECTED = "a duration like '90 days', '3 months', '10 business days'"
MAX_DURATION = 1_000_000


def duration(node: Node) -> Duration:
    raw = _scalar(node, _DURATION_EXPECTED).strip()
    m = _DURATION.fullmatch(raw)
    if not m:
        raise _fail(node, _DURATION_EXPECTED)
    number, unit_text = m.group(1), " ".join((m.group(2) or "").lower().split())
    if unit_text in ("m", "min", "mins", "minute", "minutes"):
        raise _fail(node, _DURATION_EXPECTED,
                    f"'{m.group(2)}' is ambiguous (minutes or months?): write 'mo' or 'months'")
    unit = _UNITS.get(unit_text or "d")
    if unit is None:
        raise _fail(node, _DURATION_EXPECTED, f"unknown unit '{m.group(2)}'")
    if "." in number or "," in number:
        raise _fail(node, _DURATION_EXPECTED, "fractions are not allowed")
    if len(number) > 12:  # before int(): 5,000 digits would raise, not just be too long
        raise _fail(node, _DURATION_EXPECTED, "too long")
    n = int(number)
    if n <= 0:
        raise _fail(node, _DURATION_EXPECTED, "must be positive")
    if number.lstrip("+").startswith("0"):
        raise _fail(node, _DURATION_EXPECTED, "leading zero (YAML 1.1 reads 0755 as octal)")
    if n > MAX_DURATION:
        raise _fail(node, _DURATION_EXPECTED, "too long")
    return Duration(n, unit)


# --- numbers -------------------------------------------------------------------------------

# Digits are ASCII only: `\d` would accept any script's digits (`２０２６`).
_NUMBER = r"(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+(?:_[0-9]+)*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?"
_NUMBER_RE = re.compile(r"([+-]?)(" + _NUMBER + r"|\.[0-9]+(?:[eE][+-]?[0-9]+)?)")


def _decimal(digits: str, node: Node, expected: str) -> Decimal:
    integer = digits.split(".")[0].split("e")[0].split("E")[0]
    if len(integer) > 1 and integer[0] == "0" and integer[1].isdigit():
        raise _fail(node, expected, "leading zero is ambiguous (YAML 1.1 reads 0755 as octal)")
    value = Decimal(digits.replace(",", "").replace("_", ""))
    if value and not -MAX_EXPONENT <= value.adjusted() <= MAX_EXPONENT:
        raise _fail(node, expected, "out of range")
    if len(value.as_tuple().digits) > MAX_DIGITS:
        raise _fail(node, expected, f"more than {MAX_DIGITS} significant digits")
    return _bounded(value, node, expected)


def _bounded(value: Decimal, node: Node, expected: str) -> Decimal:
    """`value`, unless it is 10^30 or more (SPEC §1: such a figure could not be printed)."""
    if abs(value) >= LIMIT:
        raise _fail(node, expected, "10^30 or more is out of range")
    return value


def number(node: Node) -> Decimal:
    expected = "a number"
    raw = _scalar(node, expected).strip()
    m = _NUMBER_RE.fullmatch(raw)
    if not m:
        raise _fail(node, expected)
    value = _decimal(m.group(2), node, expected)
    return -value if m.group(1) == "-" else value


def non_negative_number(node: Node) -> Decimal:
    value = number(node)
    if value < 0:
        raise _fail(node, "a number >= 0")
    return value


_COUNT = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+(?:_[0-9]+)*")


def count(node: Node) -> int:
    expected = "a whole number >= 0"
    raw = _scalar(node, expected).strip()
    if not _COUNT.fullmatch(raw):
        raise _fail(node, expected)
    digits = raw.replace(",", "").replace("_", "")
    if len(digits) > 1 and digits[0] == "0":
        raise _fail(node, expected, "leading zero is ambiguous (YAML 1.1 reads 0755 as octal)")
    if len(digits) > 18:
        raise _fail(node, expected, "out of range")
    return int(digits)


def share(node: Node) -> Decimal:
    expected = "a share like '50%' or 0.5"
    raw = _scalar(node, expected).strip()
    if raw.endswith("%"):
        m = _NUMBER_RE.fullmatch(raw[:-1].strip())
        if not m or m.group(1) == "-":
            raise _fail(node, expected)
        percent = _decimal(m.group(2), node, expected)
        if not 0 < percent <= 100:
            raise _fail(node, expected, "must be over 0% and at most 100%")
        return percent / 100
    m = _NUMBER_RE.fullmatch(raw)
    if not m or m.group(1) == "-":
        raise _fail(node, expected)
    value = _decimal(m.group(2), node, expected)
    if 1 < value <= 100:
        raise _fail(node, expected, f"did you mean {raw}%?")
    if not 0 < value <= 1:
        raise _fail(node, expected, "must be over 0 and at most 1")
    return value


# --- money ---------------------------------------------------------------------------------

_SYMBOLS = {"$": "USD", "€": "EUR", "£": "GBP"}
_SCALES = {"": 0, "K": 3, "M": 6, "B": 9, "BN": 9, "T": 12}
_MONEY = (r"([$€£])?\s*([+-]?)(" + _NUMBER + r")\s*(BN|[KMBT])?\s*([A-Z]{3})?")
_MONEY_RE = re.compile(_MONEY, re.IGNORECASE)
_RATE_RE = re.compile(_MONEY + r"\s*(?:/|\s+per\s+)\s*(day|week|month|mo|quarter|year|yr)",
                      re.IGNORECASE)
PER_YEAR = {"day": 365, "week": 52, "month": 12, "mo": 12, "quarter": 4, "year": 1, "yr": 1}
_MONEY_EXPECTED = "an amount like '1.25B USD' or '$920M'"
_RATE_EXPECTED = "a money rate like '1.25B USD/month'"


@dataclass(frozen=True, slots=True)
class Money:
    amount: Decimal
    currency: str


@dataclass(frozen=True, slots=True)
class Rate:
    per_year: Decimal  # annualised amount
    currency: str
    per: str | None  # the period as written (None: no period given, read as per year)
    amount: Decimal  # per `per`


def _money_from_match(m: re.Match[str], node: Node, expected: str, default_currency: str) -> Money:
    symbol, sign, digits, scale, code = m.group(1, 2, 3, 4, 5)
    if sign == "-":
        raise _fail(node, expected, "must not be negative")
    amount = _bounded(_decimal(digits, node, expected).scaleb(_SCALES[(scale or "").upper()]), node, expected)
    currency = code.upper() if code else None
    if symbol:
        implied = _SYMBOLS[symbol]
        if currency and currency != implied:
            raise _fail(node, expected, f"'{symbol}' is {implied}, not {currency}")
        currency = implied
    return Money(amount, currency or default_currency)


def money(node: Node, default_currency: str) -> Money:
    raw = _scalar(node, _MONEY_EXPECTED).strip()
    m = _MONEY_RE.fullmatch(raw)
    if not m:
        raise _fail(node, _MONEY_EXPECTED)
    return _money_from_match(m, node, _MONEY_EXPECTED, default_currency)


def rate(node: Node, default_currency: str) -> Rate:
    raw = _scalar(node, _RATE_EXPECTED).strip()
    m = _RATE_RE.fullmatch(raw)
    if m:
        base = _money_from_match(m, node, _RATE_EXPECTED, default_currency)
        per = m.group(6).lower()
        return Rate(base.amount * PER_YEAR[per], base.currency, per, base.amount)
    m = _MONEY_RE.fullmatch(raw)
    if not m:
        raise _fail(node, _RATE_EXPECTED)
    base = _money_from_match(m, node, _RATE_EXPECTED, default_currency)
    return Rate(base.amount, base.currency, None, base.amount)


# --- choices and ids -----------------------------------------------------------------------

ID_RE = re.compile(r"[a-z0-9][a-z0-9._-]*")


def choice(node: Node, choices: tuple[str, ...]) -> str:
    expected = "one of " + ", ".join(choices)
    raw = _scalar(node, expected).strip()
    if raw.lower() not in choices:
        raise _fail(node, expected)
    return raw.lower()


def mapping(node: Node, expected: str = "a mapping") -> Mapping:
    if not isinstance(node, Mapping):
        raise _fail(node, expected)
    return node


def sequence(node: Node, expected: str = "a list") -> Sequence:
    if not isinstance(node, Sequence):
        raise _fail(node, expected)
    return node
