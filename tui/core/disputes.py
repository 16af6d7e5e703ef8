"""Disputes (SPEC §2 "Disputed"): every claim with the value it disputes, and which of the
portfolio's figures rest on a disputed field. What a source would change if right is the
scenarios' work (`scenarios.source_effects`). Named tuples, not dataclasses: the capacity pane
needs this module for its first frame, and a slotted dataclass costs a millisecond to define."""
from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, NamedTuple

from . import formatting as fmt
from .dates import Duration
from .evaluate import Evaluation
from .model import CapacityLine, Claim, Notice, Portfolio, ServedNotice
from .values import Money, Rate


class Disputed(NamedTuple):
    """One claim: on which entity (`kind` deal / provider / facility, `ident`), the value in the
    files and the claimed value, both as text."""

    kind: str
    ident: str
    claim: Claim
    in_files: str


def disputes(portfolio: Portfolio) -> list[Disputed]:
    """Every claim of the portfolio: deals, then providers, then facilities, each in id order."""
    out = []
    for kind, entities in (("deal", portfolio.deals), ("provider", portfolio.providers),
                           ("facility", portfolio.facilities)):
        for ident, entity in entities.items():
            out += [Disputed(kind, ident, c, value_text(field_value(entity, c.field))) for c in entity.claims]
    return out


def field_value(entity: Any, path: str) -> Any:
    """The value of a claim's field (a dotted path) in the entity as the files give it."""
    value = entity
    for part in path.split(".", 1) if not path.startswith("accelerators.") else ["accelerators", path[13:]]:
        value = value.get(part) if isinstance(value, dict) else getattr(value, part, None)
        if value is None:
            return None
    return value


def value_text(value: Any) -> str:
    """A field's value as a short text, in the words the files use."""
    if value is None or value == []:
        return "—"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Rate):
        per = f"/{value.per}" if value.per else ""
        return fmt.short_money(value.amount, value.currency) + per
    if isinstance(value, Money):
        return fmt.short_money(value.amount, value.currency)
    if isinstance(value, Decimal):
        return fmt.plain_decimal(value)
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, Duration | str):
        return str(value)
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {value_text(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        if all(isinstance(v, CapacityLine) for v in value):
            return fmt.plural(len(value), "capacity line")
        if all(isinstance(v, ServedNotice) for v in value):
            return "; ".join(f"by the {v.by} on {v.given}" for v in value)
        return ", ".join(value_text(v) for v in value)
    if isinstance(value, Notice):
        return f"{value.period}, {value.parties.label}"
    return str(value)


class DisputedFigures(NamedTuple):
    """Which of the portfolio's figures on a date rest on a disputed field (SPEC §2
    "Disputed"): a deal's capacity or commitment, a facility's accelerators or power, a
    provider's revenue."""

    accelerators: bool = False
    power: bool = False
    commitment: bool = False
    providers: frozenset[str] = frozenset()  # whose concentration rests on a disputed figure
    facilities: frozenset[str] = frozenset()  # whose figures are disputed, with a line counting


def disputed_figures(ev: Evaluation, portfolio: Portfolio) -> DisputedFigures:
    """What of `ev`'s capacity a claim disputes, through the deals in force and the facilities
    with a line counting on its date."""
    accelerators = power = commitment = False
    providers = set()
    for s in ev.deals.values():
        if not s.disputed or not s.in_force(ev.as_of):
            continue
        if "capacity" in s.disputed and s.deal.capacity:
            accelerators = power = True
        if "commitment" in s.disputed and s.deal.commitment is not None:
            commitment = True
            providers.add(s.deal.provider)
    for pid in ev.capacity.by_provider:
        provider = portfolio.providers.get(pid)
        if provider is not None and any(c.field == "revenue" for c in provider.claims):
            providers.add(pid)
    facilities = set()
    for fid in ev.capacity.by_facility:
        fac = portfolio.facilities.get(fid)
        fields = {c.field.split(".", 1)[0] for c in fac.claims} if fac is not None else set()
        if "accelerators" in fields or "power_mw" in fields:
            facilities.add(fid)
            accelerators = accelerators or "accelerators" in fields
            power = power or "power_mw" in fields
    return DisputedFigures(accelerators, power, commitment, frozenset(providers), frozenset(facilities))
