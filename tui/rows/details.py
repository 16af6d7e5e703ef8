"""The details of one deal as one text: every field with its source, every claim with its
source, and how each computed date was derived."""
from __future__ import annotations

from decimal import Decimal

from rich.text import Text

from ..core import formatting as fmt
from ..core.changes import DATE_FIELDS
from ..core.evaluate import (
    DealState,
    Evaluation,
    Figures,
    date_disputed,
    deal_capacity,
    derivations,
    event_asks,
    line_figures,
)
from ..core.model import Portfolio
from ..core.text import visible
from ..core.words import WHAT_IF
from .cells import DISPUTED_MARK, DISPUTED_STYLE, STYLE

COMPUTED = DATE_FIELDS


def _source(portfolio: Portfolio, source_id: str | None) -> str:
    if not source_id:
        return ""
    source = portfolio.sources.get(source_id)
    if source is None:
        return f"  [source: {source_id}]"
    dated = f", {source.date}" if source.date else ""
    return f"  [source: {source_id} — {source.title}{dated}]"


def _with_share(text: str, part: int | Decimal, whole: int | Decimal) -> str:
    share = fmt.share(part, whole)
    return f"{text} ({share} of the portfolio's)" if share and part else text


def _models(f: Figures) -> str:
    models = f.nonzero()
    return f": {fmt.accelerators(models)}" if len(models) > 1 else ""


def details_text(s: DealState, ev: Evaluation, portfolio: Portfolio, assumptions: tuple[str, ...] = ()) -> Text:
    """The whole details page as one renderable. File text is made visible, never parsed.
    `assumptions`: of the what-if on show (the page then says first that it is hypothetical)."""
    deal = s.deal
    out = Text(end="")
    if assumptions:
        out.append(f" {WHAT_IF} ", style=STYLE["what_if"])
        out.append(visible(f" hypothetical, assuming {', '.join(assumptions)}"), style="bold")

    def heading(title: str) -> None:
        if out:
            out.append("\n\n")
        out.append(title, style="bold underline")

    def row(label: str, value: str, source: str | None = None, field: str | None = None,
            built_on_claim: bool = False) -> None:
        out.append("\n")
        mark = built_on_claim or (field is not None and (
            field in s.disputed or any(f.startswith(field + ".") for f in s.disputed)))
        out.append(f"{label:<22}", style="bold")
        out.append(visible(value), style=DISPUTED_STYLE if mark else None)
        if mark:
            out.append(f" {DISPUTED_MARK} disputed", style=DISPUTED_STYLE)
        if source:
            out.append(visible(_source(portfolio, source)), style=STYLE["muted"])

    provider = portfolio.providers.get(deal.provider)
    heading(f"Deal {visible(deal.id)}  ·  {s.status.label}  ·  as of {fmt.day(ev.as_of)}")
    row("buyer", deal.buyer, field="buyer")
    row("provider", f"{deal.provider} ({provider.name})" if provider else deal.provider, field="provider")
    row("signed", str(deal.signed or "—"), field="signed")
    row("start", str(deal.start), field="start")
    row("end", str(deal.end or "— (evergreen)"), field="end")
    row("renewal", str(deal.renewal or "—"), field="renewal")
    c = deal.commitment
    if c is not None:
        per = f"/{c.per}" if c.per else " (no period: read as per year)"
        row("commitment", f"{fmt.short_money(c.amount, c.currency)}{per} = {fmt.plain_decimal(c.per_year)} "
                          f"{c.currency}/yr", field="commitment")
    else:
        row("commitment", "—", field="commitment")
    if deal.total_value is not None:
        row("total value", f"{fmt.plain_decimal(deal.total_value.amount)} {deal.total_value.currency}",
            field="total_value")
    n = deal.notice
    if n is not None:
        row("notice period", str(n.period), n.source, field="notice.period")
        row("notice parties", n.parties.label, field="notice.parties")
        row("notice not before", str(n.not_before or "— (from start)"), field="notice.not_before")
        row("notice effect", f"{n.effect} ({n.effect.label})", field="notice.effect")
        if deal.calendar:
            row("business days", f"calendar {deal.calendar}", field="notice.calendar")
    else:
        row("notice", "none: no exit right", field="notice")
    for served in deal.notices:
        counted = "counted" if served is s.counted_notice else ("not yet given" if served.given > ev.as_of else "")
        row("notice served", f"by the {served.by.label} on {fmt.day(served.given)}"
            + (f" ({counted})" if counted else "") + (f" — {served.note}" if served.note else ""), served.source)
    row("tags", ", ".join(deal.tags) or "—", field="tags")
    row("source", deal.source or "—", deal.source)
    if deal.notes:
        out.append("\n")
        out.append(f"{'notes':<22}", style="bold")
        out.append(visible(deal.notes, one_line=False).replace("\n", "\n" + " " * 22))

    heading("Computed dates (how each was derived)")
    derived = derivations(s, ev.as_of, ev.settings)
    for name, label in COMPUTED:
        value = getattr(s, name)
        row(label, fmt.day(value), built_on_claim=value is not None and date_disputed(name, s))
        why = derived.get(name)
        if why:
            out.append(f"\n{'':<22}= {visible(why)}", style=STYLE["muted"])

    heading("Events")
    provider_name = provider.name if provider else deal.provider
    for e in s.events or []:
        out.append(f"\n{fmt.day(e.date)}  {fmt.days(e.days_left):<12} {e.level.label:<8} {e.kind.label}")
        out.append(f"\n{'':<22}{visible(event_asks(e, s, provider_name))}", style="italic")
    if not s.events:
        out.append("\nnone")

    heading(f"Capacity on {fmt.day(ev.as_of)} and its share of the portfolio")
    mine = deal_capacity(s, ev.as_of, portfolio.facilities)
    cap = ev.capacity
    row("accelerators", _with_share(fmt.count(mine.total_accelerators), mine.total_accelerators,
                                    cap.totals.total_accelerators) + _models(mine))
    row("power", _with_share(fmt.power(mine.power_mw), mine.power_mw, cap.totals.power_mw))
    c = deal.commitment
    if c is not None and s.in_force(ev.as_of):
        total = cap.commitment_per_year.get(c.currency)
        row("commitment", _with_share(fmt.short_money(c.per_year, c.currency) + "/yr", c.per_year, total or 0))
    risk, horizon = s.risk, ev.settings.horizon_days
    out.append(f"\n{'at risk':<22}", style="bold")
    if risk is None:
        out.append(f"no (not within {horizon} days)")
    else:
        out.append(f"yes, {risk.label} within {horizon} days", style=STYLE["at_risk"])

    heading("Capacity lines")
    for line in deal.capacity:
        fig = line_figures(line, portfolio.facilities)
        where = f"{line.facility}" if line.facility else "no facility"
        what = f"{fmt.plain_decimal(line.share * 100)}% of {where}" if line.share is not None else where
        bounds = ""
        if line.start or line.until:
            bounds = f" · from {line.start or 'start'} until {line.until or 'exit'}"
        row("line", f"{what}: {fmt.accelerators(fig.nonzero())}, {fmt.power(fig.power_mw)}{bounds}", line.source)
    if not deal.capacity:
        out.append("\nnone")

    heading("Claims (what other sources say)")
    for claim in deal.claims:
        row(claim.field, claim.raw, claim.source)
        if claim.note:
            out.append(f"\n{'':<22}{visible(claim.note)}", style="italic")
    if not deal.claims:
        out.append("\nnone")
    return out
