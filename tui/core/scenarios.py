"""SPEC §2.1: what-if scenarios. An assumption changes the portfolio before evaluation; the
evaluation itself is the one of `evaluate`, unchanged, so every view of a scenario shows the
same figures by the same rules.

- `notice:DEAL:DATE[:PARTY]`: DEAL gets a served notice by PARTY (default: the user's side)
  on DATE, marked `assumed` so that it counts at every as-of date (a plan, not history).
- `source:SOURCE`: every claim citing SOURCE replaces the field it disputes with its value.

Deals, providers and facilities an assumption does not touch stay the very same objects, so
the monitor's evaluation of the real portfolio carries over to the scenario for all of them.
"""
from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from .changes import compare, moved_dates
from .disputes import Disputed, disputes
from .evaluate import DealState, Evaluation, Figures, deal_capacity, evaluate, evaluate_deal
from .model import Claim, Deal, Facility, Notice, Portfolio, Provider, ServedNotice
from .values import date_from_text
from .words import Party

_ID_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789._-")


class Refused(ValueError):
    """An assumption that cannot apply; `str()` names it: `'notice:x:2027-01-01': why`."""

    def __init__(self, text: str, reason: str) -> None:
        super().__init__(f"'{text}': {reason}")
        self.text = text
        self.reason = reason


@dataclass(frozen=True, slots=True)
class NoticeAssumption:
    """As if `deal` had a served notice by `by` (None: the user's side) given on `given`."""

    deal: str
    given: date
    by: Party | None = None
    written: str = field(default="", compare=False)  # as the user wrote it, for refusals

    def text(self, side: Party | None = None) -> str:
        """The assumption normalised, PARTY filled in with `side`."""
        party = self.by or side
        return f"notice:{self.deal}:{self.given.isoformat()}" + (f":{party}" if party else "")


@dataclass(frozen=True, slots=True)
class SourceAssumption:
    """As if `source` were right: its claims replace the fields they dispute."""

    source: str
    written: str = field(default="", compare=False)

    def text(self, side: Party | None = None) -> str:
        return f"source:{self.source}"


Assumption = NoticeAssumption | SourceAssumption


def parse(text: str) -> Assumption:
    """`notice:DEAL:DATE[:PARTY]` or `source:SOURCE` (the kind and PARTY case-insensitive).

    Raises:
        Refused: the text is not an assumption.
    """
    kind, _, rest = text.strip().partition(":")
    kind = kind.lower()
    if kind == "source":
        if not _is_id(rest):
            raise Refused(text, "expected source:SOURCE with a source id")
        return SourceAssumption(rest, text)
    if kind != "notice":
        raise Refused(text, "expected notice:DEAL:DATE[:PARTY] or source:SOURCE")
    parts = rest.split(":")
    if len(parts) not in (2, 3) or not _is_id(parts[0]):
        raise Refused(text, "expected notice:DEAL:DATE[:PARTY], e.g. notice:anthropic-spacex:2026-12-15:buyer")
    try:
        given = date_from_text(parts[1])
    except ValueError:
        raise Refused(text, f"expected a date YYYY-MM-DD, found {parts[1]!r}") from None
    by = None
    if len(parts) == 3:
        try:
            by = Party(parts[2].lower())
        except ValueError:
            raise Refused(text, f"expected the party buyer or provider, found {parts[2]!r}") from None
    return NoticeAssumption(parts[0], given, by, text)


def _is_id(text: str) -> bool:
    return bool(text) and text[0] not in "._-" and set(text) <= _ID_CHARS


def apply(portfolio: Portfolio, assumptions: Sequence[Assumption]) -> Portfolio:
    """The portfolio with `assumptions` applied in order (the same object when there are none).

    Raises:
        Refused: the first assumption the files would refuse, with why.
    """
    for i, assumption in enumerate(assumptions):
        portfolio = apply_next(portfolio, assumptions[:i], assumption)
    return portfolio


def apply_next(portfolio: Portfolio, applied: Sequence[Assumption], assumption: Assumption) -> Portfolio:
    """`portfolio` (which has `applied` applied) with `assumption` applied too.

    Raises:
        Refused: `assumption` is among `applied`, or the files would refuse it.
    """
    text = assumption.written or assumption.text(portfolio.settings.side)
    if assumption in applied:
        raise Refused(text, "assumed twice")
    if isinstance(assumption, NoticeAssumption):
        return _assume_notice(portfolio, assumption, text)
    return _assume_source(portfolio, assumption.source, text)


def apply_what_holds(portfolio: Portfolio, assumptions: Sequence[Assumption]
                     ) -> tuple[Portfolio, list[Assumption], list[Refused]]:
    """As `apply`, but an assumption the portfolio refuses is left out (a reload keeps the
    assumptions the new files still allow): the result, the assumptions kept, the refusals."""
    kept: list[Assumption] = []
    refused: list[Refused] = []
    for assumption in assumptions:
        try:
            portfolio = apply_next(portfolio, kept, assumption)
        except Refused as why:
            refused.append(why)
        else:
            kept.append(assumption)
    return portfolio, kept, refused


def normalised(portfolio: Portfolio, assumptions: Iterable[Assumption]) -> list[str]:
    """Each assumption as the JSON echoes it: as given, PARTY filled in."""
    return [a.text(portfolio.settings.side) for a in assumptions]


def _assume_notice(portfolio: Portfolio, a: NoticeAssumption, text: str) -> Portfolio:
    deal = portfolio.deals.get(a.deal)
    if deal is None:
        raise Refused(text, f"unknown deal '{a.deal}'")
    if deal.notice is None:
        raise Refused(text, f"deal '{a.deal}' has no exit right (no notice terms)")
    by = a.by or portfolio.settings.side
    refusals = deal.notice_refusals(by, a.given)
    if refusals:
        raise Refused(text, "; ".join(message for _, message in refusals))
    served = ServedNotice(by, a.given, note="assumed (what-if)", assumed=True)
    changed = dataclasses.replace(deal, notices=[*deal.notices, served])
    return dataclasses.replace(portfolio, deals={**portfolio.deals, a.deal: changed})


def _assume_source(portfolio: Portfolio, source: str, text: str) -> Portfolio:
    if source not in portfolio.sources:
        raise Refused(text, f"unknown source '{source}'")
    deals = _claimed(portfolio.deals, source, text, "deal", lambda d, c: _deal_with(d, c, portfolio, text))
    providers = _claimed(portfolio.providers, source, text, "provider", _entity_with)
    facilities = _claimed(portfolio.facilities, source, text, "facility", _entity_with)
    for ident, deal in deals.items():
        if deal is not portfolio.deals[ident]:
            problems = deal.term_errors()
            if problems:
                raise Refused(text, f"deal '{ident}': {problems[0][1]}")
    return dataclasses.replace(portfolio, deals=deals, providers=providers, facilities=facilities)


def _claimed(entities: dict[str, Any], source: str, text: str, what: str, changed_by: Any) -> dict[str, Any]:
    """`entities` with each one that has claims citing `source` changed by them."""
    out = None
    for ident, entity in entities.items():
        claims = [c for c in entity.claims if c.source == source]
        if not claims:
            continue
        fields = [c.field for c in claims]
        twice = sorted({f for f in fields if fields.count(f) > 1})
        if twice:
            raise Refused(text, f"source '{source}' makes two claims on {what} '{ident}' field '{twice[0]}'")
        if out is None:
            out = dict(entities)
        for claim in claims:
            out[ident] = changed_by(out[ident], claim)
    return out if out is not None else entities


def _entity_with(entity: Provider | Facility, claim: Claim) -> Provider | Facility:
    name, _, model = claim.field.partition(".")
    if name == "accelerators" and model:
        assert isinstance(entity, Facility)
        return dataclasses.replace(entity, accelerators={**entity.accelerators, model: claim.value})
    return dataclasses.replace(entity, **{name: claim.value})


def _deal_with(deal: Deal, claim: Claim, portfolio: Portfolio, text: str) -> Deal:
    name, _, part = claim.field.partition(".")
    if name != "notice" or not part:
        changed = dataclasses.replace(deal, **{name: claim.value})
    elif deal.notice is not None:
        changed = dataclasses.replace(deal, notice=dataclasses.replace(deal.notice, **{part: claim.value}))
    elif part == "period":
        changed = dataclasses.replace(deal, notice=Notice(period=claim.value))
    else:
        raise Refused(text, f"deal '{deal.id}' has no notice terms for the claim on '{claim.field}'")
    notice: Notice | None = changed.notice
    # (as the loader does: the notice's calendar, else the portfolio's)
    changed.calendar = (notice.calendar if notice and notice.calendar else None) or portfolio.settings.calendar
    return changed


# --- what a scenario changes -------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Difference:
    """The scenario less the real portfolio, from the first day they differ: figures and
    annual commitment by currency (negative: capacity the scenario loses)."""

    since: date
    figures: Figures
    money: dict[str, Decimal]

    @property
    def accelerators(self) -> int:
        return self.figures.total_accelerators


@dataclass(frozen=True, slots=True)
class WhatIf:
    """What a view of a scenario says of it: the assumptions (normalised) and the difference
    from the real portfolio."""

    assumptions: tuple[str, ...]
    difference: Difference | None
    moved: tuple[str, ...]  # the computed dates that differ on the as-of date, as the change log says them


def what_if(real: Portfolio, scenario: Portfolio, assumptions: Sequence[Assumption], T: date) -> WhatIf:
    changed = _changed_on(real, scenario, T)
    moved = [m for _, _, before, after in changed if before is not None for m in moved_dates(before, after)]
    return WhatIf(tuple(normalised(real, assumptions)), difference(real, scenario, T, changed), tuple(moved))


def changed_deals(real: Portfolio, scenario: Portfolio) -> list[str]:
    """Deals whose evaluation may differ: changed themselves, or with a line on a changed facility."""
    facilities = {f for f, fac in scenario.facilities.items() if fac is not real.facilities.get(f)}
    return [ident for ident, deal in scenario.deals.items()
            if deal is not real.deals.get(ident) or any(line.facility in facilities for line in deal.capacity)]


# Each changed deal: its version in the files (None: only the scenario has it) and in the
# scenario, and each version's state on the as-of date.
Changed = list[tuple[Deal | None, Deal, DealState | None, DealState]]


def _changed_on(real: Portfolio, scenario: Portfolio, T: date) -> Changed:
    out: Changed = []
    for ident in changed_deals(real, scenario):
        old, new = real.deals.get(ident), scenario.deals[ident]
        out.append((old, new, evaluate_deal(old, T, real.settings) if old is not None else None,
                    evaluate_deal(new, T, scenario.settings)))
    return out


def difference(real: Portfolio, scenario: Portfolio, T: date, changed: Changed | None = None) -> Difference | None:
    """The first day on or after `T` on which the scenario's capacity or commitment differs
    from the real portfolio's, and by how much; None when it never does.

    Only the changed deals are looked at (every other deal is the same object in both), on
    `T` and on each day one of their versions starts, ends or begins or stops a line.
    `changed`: those deals with their states on `T`, when the caller has them."""
    if changed is None:
        changed = _changed_on(real, scenario, T)
    if not changed:
        return None
    versions = [(deal, portfolio, sign, on_T) for old, new, old_T, new_T in changed
                for deal, portfolio, sign, on_T in ((old, real, -1, old_T), (new, scenario, 1, new_T))
                if deal is not None and on_T is not None]
    days = {T}
    for deal, _, _, on_T in versions:
        days.update(d for d in (deal.start, _after(on_T.exit_date)) if d is not None and d > T)
        for line in deal.capacity:
            days.update(d for d in (line.start, _after(line.until)) if d is not None and d > T)
    for day in sorted(days):
        figures, money = Figures(), dict[str, Decimal]()
        for deal, portfolio, sign, on_T in versions:
            state = on_T if day == T else evaluate_deal(deal, day, portfolio.settings)
            figures.add(deal_capacity(state, day, portfolio.facilities), sign)
            if deal.commitment is not None and state.in_force(day):
                c = deal.commitment
                money[c.currency] = money.get(c.currency, Decimal(0)) + sign * c.per_year
        if figures.nonzero() or figures.power_mw or any(money.values()):
            return Difference(day, figures, {c: a for c, a in sorted(money.items()) if a})
    return None


def _after(d: date | None) -> date | None:
    try:
        return d + timedelta(days=1) if d is not None else None
    except OverflowError:
        return None


# --- what each source would change if right -----------------------------------------------------

@dataclass(frozen=True, slots=True)
class SourceEffect:
    """What assuming one source right would do: its claims, and the dates and figures that
    would change on the as-of date (or why the assumption is refused)."""

    source: str
    claims: list[Disputed]
    refused: str | None
    moved: list[str]  # "deal: exit right from 2026-08-03 → 2026-10-30", as the change log says them
    difference: Difference | None

    @property
    def assumption(self) -> SourceAssumption:
        return SourceAssumption(self.source)


def source_effects(portfolio: Portfolio, T: date, real: Evaluation | None = None) -> list[SourceEffect]:
    """For each source cited by a claim (in the order first cited), what assuming it right
    would change on `T`, computed by the scenario machinery. `real`: the portfolio's evaluation
    on `T`, when there is one at hand (its deal states are reused)."""
    claims = disputes(portfolio)
    by_source: dict[str, list[Disputed]] = {}
    for d in claims:
        by_source.setdefault(d.claim.source or "", []).append(d)
    if real is None or real.as_of != T:
        real = evaluate(portfolio, T)
    out = []
    for source, cited in by_source.items():
        if not source:  # a claim without a source: nothing to assume right
            out.append(SourceEffect("", cited, "a claim without a source cannot be assumed", [], None))
            continue
        try:
            scenario = apply(portfolio, [SourceAssumption(source)])
        except Refused as why:
            out.append(SourceEffect(source, cited, why.reason, [], None))
            continue
        after = evaluate(scenario, T, real)
        moved = compare(real, after).moved
        for pid, figures in after.capacity.by_provider.items():
            before = real.capacity.by_provider.get(pid)
            was = before.concentration if before is not None else None
            if figures.concentration != was:
                moved.append(f"{pid}: concentration {_percent(was)} → {_percent(figures.concentration)}")
        out.append(SourceEffect(source, cited, None, moved, difference(portfolio, scenario, T)))
    return out


def _percent(x: float | None) -> str:
    return "—" if x is None else f"{x:.0%}"
