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
from ..rows.cells import STYLE
from ..rows.disputes import bears_on, effect_text


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
