"""The disputes view's texts: each source's claims (the value in the files, the claimed value)
and what assuming the source right would change (`core.scenarios.source_effects`)."""
from __future__ import annotations

from rich.text import Text

from ..core import formatting as fmt
from ..core.model import Portfolio
from ..core.scenarios import SourceEffect
from ..core.text import visible
from .cells import DISPUTED_MARK, DISPUTED_STYLE, STYLE

CLAIMS_SHOWN = 8  # per source: a source with thousands of claims stays one readable entry


def bears_on(effect: SourceEffect, portfolio: Portfolio, deal_id: str) -> bool:
    """Whether a source's claims concern the deal: on it, its provider or a facility it uses."""
    deal = portfolio.deals.get(deal_id)
    if deal is None:
        return False
    facilities = {line.facility for line in deal.capacity if line.facility}
    return any((d.kind == "deal" and d.ident == deal_id) or (d.kind == "provider" and d.ident == deal.provider)
               or (d.kind == "facility" and d.ident in facilities) for d in effect.claims)


def effect_text(effect: SourceEffect, portfolio: Portfolio) -> Text:
    """One source's entry: its title, each claim (files → claimed), and what it would change."""
    out = Text(end="")
    source = portfolio.sources.get(effect.source)
    out.append(visible(effect.source or "(no source)"), style="bold")
    if source is not None:
        out.append(visible(f" — {source.title}" + (f", {source.date}" if source.date else "")), style=STYLE["muted"])
    for d in effect.claims[:CLAIMS_SHOWN]:
        out.append(f"\n  {DISPUTED_MARK} {d.kind} ")
        out.append(visible(d.ident), style="bold")
        out.append(f" {visible(d.claim.field)}: files ")
        out.append(visible(d.in_files))
        out.append(" → claimed ")
        out.append(visible(d.claim.raw), style=DISPUTED_STYLE)
        if d.claim.note:
            out.append(f"\n      {visible(d.claim.note)}", style=STYLE["muted"])
    if len(effect.claims) > CLAIMS_SHOWN:
        out.append(f"\n  … and {len(effect.claims) - CLAIMS_SHOWN:,} more claims", style=STYLE["muted"])
    if effect.refused is not None:
        out.append(f"\n  cannot be assumed: {visible(effect.refused)}", style=STYLE["warn"])
        return out
    changes = [visible(m) for m in effect.moved]
    difference = effect.difference
    if difference is not None:
        changes.append(f"from {fmt.day(difference.since)}: "
                       + fmt.difference(difference.accelerators, difference.figures.power_mw, difference.money))
    out.append("\n  if right: ", style="bold")
    out.append("; ".join(changes) if changes else "no date or figure changes on this as-of date")
    return out
