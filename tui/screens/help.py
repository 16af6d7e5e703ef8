"""Help: every key that works where help was opened (derived from the bindings), in two columns
so that it fits 80×24, then what the marks on screen mean, with this portfolio's band limits."""
from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from ..core.model import Settings

COLUMN = 35


def legend(settings: Settings) -> str:
    """What the marks and words on screen mean, with the band limits of these settings."""
    return (
        f"Bands: critical ≤ {settings.critical_days} days left, warn ≤ {settings.warn_days} days, ok later "
        "(settings).\n"
        "↻2027-05-03 the term renews there   90d either  period, who may notice\n"
        "@end  notice stops a renewal         bd  business days (calendar)\n"
        "~     an amount shown rounded        ±   disputed by another source\n"
        "★ not today: the as-of date moved (t: back)   esc, q or ? closes")


def help_text(keys: list[tuple[str, str]], settings: Settings) -> str:
    """The help page: (key, what it does) pairs in two columns, then the legend."""
    width = max([len(key) for key, _ in keys] + [3])
    cells = [f"{key:<{width}} {what}" for key, what in keys]
    cells = [c if len(c) <= COLUMN else c[:COLUMN - 1] + "…" for c in cells]
    half = (len(cells) + 1) // 2
    left, right = cells[:half], cells[half:]
    rows = [f"{a:<{COLUMN}}  {b}".rstrip() for a, b in zip(left, right + [""] * (len(left) - len(right)),
                                                             strict=True)]
    return "dealmon keys\n" + "\n".join(rows) + "\n\n" + legend(settings)


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape", "app.pop_screen", "Close"), Binding("question_mark", "app.pop_screen", "Close"),
                Binding("q", "app.pop_screen", "Close")]

    def __init__(self, keys: list[tuple[str, str]], settings: Settings) -> None:
        super().__init__()
        self.keys = keys
        self.settings = settings

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help"):
            yield Static(help_text(self.keys, self.settings), markup=False)
