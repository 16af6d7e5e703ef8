"""The header line: config source, as-of date, last reload, and the state of the load."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from ..core import formatting as fmt
from ..core.words import WHAT_IF
from ..rows.cells import STYLE, cell


@dataclass(frozen=True)
class Status:
    """Everything the header says; the App keeps one and replaces it as things change."""

    source: str = ""
    as_of: date | None = None
    today: date | None = None
    following: bool = True  # the as-of date follows the clock
    loaded_at: str = ""  # clock time of the last good load ("" before the first)
    deals: int | None = None  # deals in the data on show (None: no data)
    errors: int = 0  # of the last load
    watch_mode: str = ""  # "watching", "polling (why)", "not watching: why"
    progress: float | None = None  # of a load under way (None: no load under way)
    evaluating: date | None = None  # a new as-of date being evaluated (`as_of`: the date on show)
    saving: bool = False  # a writer still holds a changed file open: waiting for it
    what_if: tuple[str, ...] = ()  # the assumptions of the scenario on show (SPEC §2.1)


class StatusBar(Widget):
    """Renders a `Status`; repaints when it is replaced (a reactive attribute)."""

    DEFAULT_CSS = "StatusBar { height: 1; }"
    status: reactive[Status] = reactive(Status, layout=False)

    def render(self) -> Text:
        """The state first (what matters when something is wrong), then the as-of date, the last
        load and the source, so that a narrow terminal cuts the least important part."""
        s = self.status
        line = Text(end="", no_wrap=True, overflow="ellipsis")
        line.append(" dealmon ", style="bold reverse")
        line.append(" ")
        if s.what_if:  # first: a hypothetical state must be impossible to mistake for the real one
            line.append(f" {WHAT_IF} ", style=STYLE["what_if"])
            line.append(" ")
        if s.errors and s.deals is not None:
            line.append(f"STALE: {fmt.plural(s.errors, 'error')} in the files", style=STYLE["error"])
        elif s.errors:
            line.append(f"INVALID: {fmt.plural(s.errors, 'error')} in the files", style=STYLE["error"])
        elif s.deals is not None:
            line.append(f"ok · {s.deals:,} deals", style=STYLE["ok"])
        if s.saving:
            line.append(" · saving…", style="italic")
        if s.progress is not None:
            line.append(f" · loading… {s.progress:.0%}" if s.progress else " · loading…", style="italic")
        elif s.evaluating is not None:
            line.append(f" · evaluating {s.evaluating}…", style="italic")
        if s.watch_mode.startswith(("polling", "not watching")):
            line.append_text(cell(f" · {s.watch_mode}", STYLE["warn"]))
        if s.as_of is not None:
            line.append(f" · as of {s.as_of}")
            if s.today is not None and s.as_of != s.today:
                line.append(f" ★ not today ({s.today:%b %d})", style=STYLE["travel"])
            elif s.following:
                line.append(" (today)")
        if s.loaded_at:
            # A clock time, not "5 s ago": nothing repaints every second.
            line.append(f" · loaded {s.loaded_at}")
        line.append(" · ")
        line.append_text(cell(s.source))
        return line
