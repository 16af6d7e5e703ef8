"""Deal details: one deal's whole story (`rows.details.details_text`), following reloads."""
from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from ..core.text import visible
from ..loading import ScreenData
from ..rows.details import details_text


class DetailsScreen(Screen[None]):
    """One deal's details; follows the data as it reloads (`show_data`)."""

    BINDINGS = [Binding("escape", "app.pop_screen", "Back", tooltip="back to the main screen"),
                Binding("q", "app.pop_screen", "Back", tooltip="back to the main screen"),
                Binding("a", "claims", "Claims: what if right",
                        tooltip="the claims bearing on this deal, and what each source would change if right")]

    def __init__(self, deal_id: str, data: ScreenData) -> None:
        super().__init__()
        self.deal_id = deal_id
        self.data = data

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="details"):
            yield Static(id="details-body")
        yield Footer()

    def on_mount(self) -> None:
        self.show_data(self.data)

    def show_data(self, data: ScreenData) -> None:
        self.data = data
        ev, portfolio = data.evaluation, data.portfolio
        state = ev.deals.get(self.deal_id) if ev is not None else None
        body = self.query_one("#details-body", Static)
        if state is None or ev is None or portfolio is None:
            body.update(Text(f"Deal {visible(self.deal_id)} is no longer in the portfolio. Press esc.", end=""))
            return
        view = data.view
        body.update(details_text(state, ev, portfolio, view.assumptions if view is not None else ()))

    async def action_claims(self) -> None:
        # (an app-wide view, opened on this deal's claims: the App holds the files' portfolio)
        await self.app.run_action(f"disputes({self.deal_id!r})")
