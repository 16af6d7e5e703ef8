"""Help: every key that works where help was opened (derived from the bindings), and where
the numbers come from."""
from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

ABOUT = (
    "Bands: critical = within critical_days, warn = within warn_days, ok = later."
    "\n± marks a field that another source disputes (see details)."
    "\nThe header shows the config source, the as-of date (★ when it is not today),"
    "\nthe time of the last good load and the load state.\n\nesc or ? closes this help.")


def help_text(keys: list[tuple[str, str]]) -> str:
    """The help page for (key, what it does) pairs."""
    width = max([len(key) for key, _ in keys] + [6])
    return "dealmon keys\n\n" + "\n".join(f"  {key:<{width}}  {what}" for key, what in keys) + "\n\n" + ABOUT


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape", "app.pop_screen", "Close"), Binding("question_mark", "app.pop_screen", "Close"),
                Binding("q", "app.pop_screen", "Close")]

    def __init__(self, keys: list[tuple[str, str]]) -> None:
        super().__init__()
        self.keys = keys

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help"):
            yield Static(help_text(self.keys), markup=False)
