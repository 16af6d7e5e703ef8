"""The disputes (`d`, or `a` in a deal's details): every claim of another source, grouped by
source, with the value in the files, the claimed value, and what assuming the source right
would change on the as-of date (computed by the scenario machinery, `core.scenarios`).
`a` or enter assumes the highlighted source right (a what-if)."""
from __future__ import annotations

from datetime import date

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from ..core import formatting as fmt
from ..core.model import Portfolio
from ..core.scenarios import SourceAssumption, SourceEffect
from ..core.text import visible
from ..rows.cells import DISPUTED_MARK, DISPUTED_STYLE, STYLE

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


class DisputesScreen(Screen[SourceAssumption | None]):
    """The claims, one entry per source; dismissed with the source to assume right, or None.
    A snapshot of the files when opened (esc, then d again, after a reload)."""

    BINDINGS = [Binding("escape", "cancel", "Back", tooltip="back"),
                Binding("q", "cancel", "Back", show=False, tooltip="back"),
                Binding("a", "assume", "Assume right", tooltip="what if the highlighted source is right")]

    def __init__(self, effects: list[SourceEffect], portfolio: Portfolio, as_of: date,
                 deal_id: str | None = None) -> None:
        super().__init__()
        self.effects = [e for e in effects if deal_id is None or bears_on(e, portfolio, deal_id)]
        self.portfolio = portfolio
        self.as_of = as_of
        self.deal_id = deal_id

    def compose(self) -> ComposeResult:
        claims = sum(len(e.claims) for e in self.effects)
        sources = sum(1 for e in self.effects if e.source)
        unsourced = sum(len(e.claims) for e in self.effects if not e.source)
        about = f" bearing on {visible(self.deal_id)}" if self.deal_id else ""
        head = Text(f"Disputes{about}: {fmt.plural(claims, 'claim')} from {fmt.plural(sources, 'source')}"
                    + (f" ({unsourced:,} without a source)" if unsourced else "")
                    + f", as of {self.as_of}. ", style="bold", end="")
        head.append("a / enter: what if the source is right", style=STYLE["muted"])
        yield Static(head, id="disputes-head")
        options = [Option(effect_text(e, self.portfolio), id=e.source or None) for e in self.effects]
        yield OptionList(*options, id="disputes-list")
        if not self.effects:
            yield Static("No claims: every source agrees with the files.", id="disputes-none")
        yield Footer()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_assume()

    def action_assume(self) -> None:
        options = self.query_one(OptionList)
        index = options.highlighted
        if index is None or not self.effects:
            return
        self.dismiss(self.effects[index].assumption)

    def action_cancel(self) -> None:
        self.dismiss(None)
