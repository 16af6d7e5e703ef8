"""Help: every key, and where the numbers come from."""
from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

KEYS = [
    ("q", "quit"), ("r", "reload the files now"), ("/", "filter deals by id, party, facility or tag"),
    ("s", "cycle the deal sort column"), ("enter", "details of the selected deal"),
    ("esc", "back / clear the filter"), ("tab", "move between the deal and event tables"),
    ("[ ]", "as-of date −/+ 1 day"), ("{ }", "as-of date −/+ 1 month (anchored: Jan 31 → Feb 28 → Mar 31)"),
    ("t", "back to today (follows the clock again)"), ("?", "this help"),
    ("ctrl+p", "command palette: every action by name"),
]
TEXT = "dealmon keys\n\n" + "\n".join(f"  {k:<8} {what}" for k, what in KEYS) + (
    "\n\nBands: !! crit = within critical_days, !  warn = within warn_days, ok = later."
    "\n± marks a field that another source disputes (see details)."
    "\nThe header shows the config source, the as-of date (★ when it is not today),"
    "\nthe time of the last good load and the load state.\n\nesc or ? closes this help.")


class HelpScreen(ModalScreen):
    BINDINGS = [Binding("escape", "app.pop_screen", "Close"), Binding("question_mark", "app.pop_screen", "Close"),
                Binding("q", "app.pop_screen", "Close")]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help"):
            yield Static(TEXT, markup=False)
