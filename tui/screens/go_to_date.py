"""The go-to-date prompt (`:`): a date for the as-of date, in the one date grammar."""
from __future__ import annotations

from datetime import date

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from ..core.values import date_from_text


class GoToDateScreen(ModalScreen[date | None]):
    """Asks for a date YYYY-MM-DD; dismissed with the date, or None (esc)."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", tooltip="back without moving the date")]

    def __init__(self, current: date) -> None:
        super().__init__()
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(id="go-to-date"):
            yield Static(f"Show the portfolio as of (YYYY-MM-DD; now {self.current}; t goes back to today):")
            yield Input(placeholder="YYYY-MM-DD", id="go-to-date-input")
            yield Static(id="go-to-date-error")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        text = event.value.strip()
        try:
            self.dismiss(date_from_text(text))
        except ValueError as exc:
            detail = f" ({exc})" if str(exc) else ""
            self.query_one("#go-to-date-error", Static).update(f"expected a date YYYY-MM-DD{detail}")

    def action_cancel(self) -> None:
        self.dismiss(None)
