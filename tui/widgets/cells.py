"""Turning file text into renderables that can never act as markup or terminal controls.

Textual parses a plain `str` in a DataTable cell as markup (`Space[/]X` raises MarkupError and
`[@click=...]` becomes an action), so every piece of file text goes through `cell()` (a Rich
`Text`, never parsed) after `visible()` (control characters made visible).
"""
from __future__ import annotations

from rich.text import Text

from ..core.text import visible

LEVEL_STYLE = {"critical": "bold red", "warn": "yellow", "ok": "green"}
# The band as text too, so it reads with NO_COLOR and on monochrome terminals.
LEVEL_MARK = {"critical": "!!crit", "warn": "!warn", "ok": "ok"}
STATUS_STYLE = {"upcoming": "cyan", "active": "green", "notice": "bold yellow", "ended": "dim"}
DISPUTED_MARK = "±"
DISPUTED_STYLE = "italic magenta"


def cell(text: str, style: str = "") -> Text:
    return Text(visible(text), style=style, no_wrap=True, end="")


# A table cell: (text already made visible, style). Plain tuples of strings, not Rich `Text`:
# a 10,000-deal portfolio has ~100,000 cells, and tuples of strings cost a fraction of the time
# to build and are not tracked by the cyclic GC (Text objects made its full collections take
# ~0.3 s); the table turns the few visible rows into Text when it draws them.
Cell = tuple[str, str]


def table_cell(text: str, style: str = "") -> Cell:
    return (visible(text), style)


def disputed(text: str, is_disputed: bool, style: str = "") -> Cell:
    if is_disputed:
        return (DISPUTED_MARK + visible(text), DISPUTED_STYLE)
    return table_cell(text, style)
