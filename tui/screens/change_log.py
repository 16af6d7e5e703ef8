"""The change log (`L`): every reload notice since start, newest first, with its time, so that
a user back from a weekend sees what moved."""
from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from ..rows.cells import cell


class ChangeLogScreen(Screen[None]):
    BINDINGS = [Binding("escape", "app.pop_screen", "Back", tooltip="back to the main screen"),
                Binding("q", "app.pop_screen", "Back", tooltip="back to the main screen")]

    def __init__(self, entries: list[tuple[str, str]]) -> None:
        """`entries`: (clock time, what changed), oldest first."""
        super().__init__()
        self.entries = entries

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="change-log"):
            yield Static(self._text(), id="change-log-body")
        yield Footer()

    def _text(self) -> Text:
        out = Text("Changes to the files since dealmon started (newest first)", style="bold underline", end="")
        if not self.entries:
            out.append("\n\nnone yet: every reload that changes a deal, a date or a band is listed here")
        for when, what in reversed(self.entries):
            lines = what.splitlines()
            out.append(f"\n\n{when}  ", style="bold")
            out.append_text(cell(lines[0] if lines else ""))
            for line in lines[1:]:
                out.append("\n          ")
                out.append_text(cell(line))
        return out
