"""Human-readable figures, shared by every output: the text report, the JSON, the panes, the
details. Each figure is formatted here and only here, in the one number context
(`numbers.CONTEXT`), so no accepted value can fail to print."""
from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal

from .numbers import exact

_SCALES = ((Decimal(10) ** 12, "T"), (Decimal(10) ** 9, "B"), (Decimal(10) ** 6, "M"), (Decimal(10) ** 3, "K"))


def plain_decimal(value: Decimal) -> str:
    """An exact decimal string without exponent or trailing zeros: '15000000000', '1.5'."""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"


@exact
def short_money(amount: Decimal, currency: str) -> str:
    """'15B USD', '1.25B USD', '920M USD': at most 3 significant decimals, never rounded away."""
    for scale, suffix in _SCALES:
        if amount >= scale:
            scaled = amount / scale
            shown = scaled.quantize(Decimal("0.01")) if scaled != scaled.quantize(Decimal("0.01")) else scaled
            approx = "~" if shown != scaled else ""
            return f"{approx}{plain_decimal(shown)}{suffix} {currency}"
    return f"{plain_decimal(amount)} {currency}"


def plural(n: int, one: str, many: str | None = None) -> str:
    """'1 error', '2 errors', '1,204 dates moved' (`many`: when not `one` + 's')."""
    return f"{n:,} {one if n == 1 else (many or one + 's')}"


def count(n: int) -> str:
    return f"{n:,}"


@exact
def mw_number(mw: Decimal) -> float:
    """Megawatts as a JSON number, rounded to 3 decimals."""
    return float(mw.quantize(Decimal("0.001"), rounding=ROUND_HALF_EVEN))


@exact
def power(mw: Decimal) -> str:
    """'510 MW', '93,731.98 MW': rounded to 3 decimals, thousands separated."""
    text = plain_decimal(mw.quantize(Decimal("0.001")))
    whole, dot, fraction = text.partition(".")
    sign = "-" if whole.startswith("-") else ""
    return f"{sign}{int(whole.lstrip('-')):,}{dot}{fraction} MW"


def accelerators(by_model: dict[str, int]) -> str:
    if not by_model:
        return "none"
    return " · ".join(f"{model} {n:,}" for model, n in by_model.items())


def days(n: int) -> str:
    """Days left until an event, as everywhere on screen and in reports: 'today', '1 day',
    '33 days'."""
    return "today" if n == 0 else ("1 day" if n == 1 else f"{n:,} days")


@exact
def per_year(amounts: dict[str, Decimal], empty: str) -> str:
    """Annualised amounts by currency: '26.04B USD/yr, 1.2B EUR/yr', or `empty` when none."""
    return ", ".join(short_money(a, c) + "/yr" for c, a in amounts.items()) or empty


def day(d: date | None, none: str = "—") -> str:
    """A date as everywhere on screen and in reports: ISO 'YYYY-MM-DD'; `none` when absent."""
    return d.isoformat() if d is not None else none


def signed(n: int | Decimal, text: str) -> str:
    """A difference: '+' or '−' (the minus sign) before `text`, the figure's magnitude."""
    return ("−" if n < 0 else "+") + text


@exact
def difference(accelerators: int, mw: Decimal, money: dict[str, Decimal]) -> str:
    """'−340,000 accelerators, −510 MW, −15B USD/yr' (the figures that differ)."""
    parts = []
    if accelerators:
        parts.append(signed(accelerators, f"{abs(accelerators):,} accelerators"))
    if mw:
        parts.append(signed(mw, power(abs(mw))))
    parts += [signed(a, short_money(abs(a), c) + "/yr") for c, a in money.items() if a]
    return ", ".join(parts) or "no change in capacity or commitment"


def share(part: int | Decimal, whole: int | Decimal) -> str:
    """'76%' of `whole` ('<1%' when not zero but rounds to it); '' when there is no whole."""
    if not whole:
        return ""
    ratio = Decimal(part).copy_abs() / Decimal(whole)
    return "<1%" if 0 < ratio < Decimal("0.005") else f"{ratio:.0%}"
