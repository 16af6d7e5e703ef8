"""Table cells and rich texts made from file text, which can never act as markup or terminal
controls.

Textual parses a plain `str` in a widget as markup (`Space[/]X` raises MarkupError and
`[@click=...]` becomes an action), so every piece of file text goes through `cell()` (a Rich
`Text`, never parsed) or `table_cell()`, after `visible()` (control characters made visible).
"""
from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text

from ..core.text import visible
from ..core.words import Band, Status

# One style per meaning, each legible without colour (NO_COLOR, monochrome: Textual turns
# colours into greys) through its own attribute, never dim grey: urgency is bold (critical also
# reversed), a dispute italic and underlined, risk bold and underlined. A colour is never reused
# for another meaning.
STYLE = {
    "critical": "bold reverse red",  # a countdown within critical_days
    "warn": "bold yellow",  # within warn_days
    "ok": "green",
    "disputed": "italic underline magenta",  # a figure another source disputes
    "at_risk": "bold underline dark_orange",  # capacity that could vanish within the horizon
    "error": "bold reverse red",  # the files are invalid or stale: as urgent as a critical countdown
    "travel": "bold cyan",  # the as-of date is not today
    "muted": "italic",  # derivations, sources: secondary, still legible
    "what_if": "bold reverse medium_purple",  # a hypothetical scenario is on show (SPEC §2.1)
}
BAND_STYLE = {Band.CRITICAL: STYLE["critical"], Band.WARN: STYLE["warn"], Band.OK: STYLE["ok"]}
STATUS_STYLE = {Status.UPCOMING: "blue", Status.ACTIVE: "green", Status.NOTICE: "bold yellow", Status.ENDED: "italic"}
DISPUTED_MARK = "±"
DISPUTED_STYLE = STYLE["disputed"]


def cell(text: str, style: str = "") -> Text:
    """File text as a one-line Rich `Text`: shown literally, control characters visible."""
    return Text(visible(text), style=style, no_wrap=True, end="")


# A table cell: (text already made visible, style). Plain tuples of strings, not Rich `Text`:
# a large portfolio has hundreds of thousands of cells, and tuples of strings are cheap to
# build and not tracked by the cyclic GC; the table turns the few visible rows into Text when
# it draws them (bench/README.md: "table cells").
Cell = tuple[str, str]


def table_cell(text: str, style: str = "") -> Cell:
    return (visible(text), style)


def disputed(text: str, is_disputed: bool, style: str = "") -> Cell:
    """A cell marked `±` when another source disputes the field it shows."""
    if is_disputed:
        return (DISPUTED_MARK + visible(text), DISPUTED_STYLE)
    return table_cell(text, style)


def measure(row: tuple[Cell, ...]) -> tuple[int, ...]:
    """The terminal cells each of a row's texts takes (ASCII: its length, no table lookup)."""
    return tuple(len(text) if text.isascii() else cell_len(text) for text, _style in row)
