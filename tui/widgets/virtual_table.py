"""A read-only table on Textual's line API: rows are rendered only when on screen.

Textual's DataTable materialises every row (bench/README.md: "virtual table"). Here
`show_source()` takes the row keys, a function that makes a row and the columns' widths, so
that a row is made only when drawn (bench/README.md: "rows made when drawn"); `render_line()`
draws the few that are visible, so 10,000 or 100,000 rows cost the same to show. Updates keep
the cursor on its row key (even when rows around it come and go) and the scroll position, and
repaint only when something changed.

Cells are `(text, style)` pairs (see `rows.cells.Cell`): the text is shown literally, never
parsed as markup; columns may be right-aligned.
"""
from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator, Mapping, Sequence
from typing import Any

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.events import Click
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from ..rows.cells import Cell

MAX_COLUMN_WIDTH = 48


RowOf = Callable[[Any], tuple[Cell, ...]]  # (a row key of the caller's type)


class _RowsOfSource(Mapping[Hashable, tuple[Cell, ...]]):
    """The rows of a source (`VirtualTable.show_source`), each made when read."""

    def __init__(self, order: list[Hashable], row_of: RowOf) -> None:
        self._order = order
        self._row_of = row_of
        self._keys: set[Hashable] | None = None

    def __contains__(self, key: object) -> bool:
        if self._keys is None:
            self._keys = set(self._order)
        return key in self._keys

    def __getitem__(self, key: Hashable) -> tuple[Cell, ...]:
        if key not in self:
            raise KeyError(key)
        return self._row_of(key)

    def __iter__(self) -> Iterator[Hashable]:
        return iter(self._order)

    def __len__(self) -> int:
        return len(self._order)


class VirtualTable(ScrollView, can_focus=True):
    """`show_source(keys, row_of, widths, source)` makes the table hold exactly the rows of
    `keys`, in that order, each made by `row_of` when drawn.

    `columns`: (key, label) or (key, label, "right") for a right-aligned column."""

    COMPONENT_CLASSES = {"virtual-table--header", "virtual-table--cursor"}
    DEFAULT_CSS = """
    VirtualTable { background: $surface; }
    VirtualTable > .virtual-table--header { text-style: bold; background: $panel; }
    VirtualTable > .virtual-table--cursor { background: $block-cursor-blurred-background; }
    VirtualTable:focus > .virtual-table--cursor {
        background: $block-cursor-background; color: $block-cursor-foreground; text-style: bold;
    }
    """
    BINDINGS = [
        Binding("up", "cursor(-1)", "Up", show=False), Binding("down", "cursor(1)", "Down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False), Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("home", "edge(0)", "First", show=False), Binding("end", "edge(1)", "Last", show=False),
        Binding("enter", "select", "Select", show=False, tooltip="open the row under the cursor (deal details)"),
        Binding("j", "cursor(1)", "Down", show=False), Binding("k", "cursor(-1)", "Up", show=False),
        Binding("g", "edge(0)", "First", show=False), Binding("G", "edge(1)", "Last", show=False),
    ]
    cursor_row: reactive[int] = reactive(0, always_update=True, repaint=False)

    class RowMessage(Message):
        """A message about one row of the table."""

        def __init__(self, table: VirtualTable, row_key: Hashable) -> None:
            super().__init__()
            self.table = table
            self.row_key = row_key

        @property
        def control(self) -> VirtualTable:
            return self.table

    class RowSelected(RowMessage):
        """Enter (or a click) on a row."""

    class RowHighlighted(RowMessage):
        """The cursor is on a row (after a move, or after the rows changed under it)."""

    def __init__(self, columns: Sequence[tuple[str, ...]], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.columns = columns
        self._labels = [column[1] for column in columns]
        self._right = [len(column) > 2 and column[2] == "right" for column in columns]
        self._row_of: RowOf = {}.__getitem__
        self._source: object = None  # what `show_source` was last given, to skip showing it again
        self._order: list[Hashable] = []
        self._widths = [cell_len(label) + 1 for label in self._labels]
        self._line_cache: dict[tuple[Any, ...], Strip] = {}
        self._given_widths: tuple[int, ...] = ()  # as `show_source` was given them

    # --- data ------------------------------------------------------------------------------

    @property
    def row_count(self) -> int:
        return len(self._order)

    def mark_column(self, index: int | None, mark: str = "") -> None:
        """Put `mark` (e.g. ▲ or ▼, the sort order) after column `index`'s label; None: no mark."""
        labels = [column[1] + (mark if i == index else "") for i, column in enumerate(self.columns)]
        if labels != self._labels:
            self._labels = labels
            self._widths = [max(w, cell_len(label) + 1) for w, label in zip(self._widths, labels, strict=True)]
            self._line_cache.clear()
            self.refresh()

    @property
    def header_labels(self) -> tuple[str, ...]:
        """The column labels as shown (with a mark such as the sort order's ▲)."""
        return tuple(self._labels)

    @property
    def rows(self) -> Mapping[Hashable, tuple[Cell, ...]]:
        """The rows held (key -> cells), in display order (read-only; each made when read)."""
        return _RowsOfSource(self._order, self._row_of)

    @property
    def column_widths(self) -> tuple[int, ...]:
        """Each column's width in terminal cells, with its one-space gap."""
        return tuple(self._widths)

    def first_rows(self, count: int) -> tuple[tuple[Hashable, ...], dict[Hashable, tuple[Cell, ...]], tuple[int, ...]]:
        """The first `count` keys held, their rows, and the column widths `show_source` was
        given: what shows them again the same (`screenstore`)."""
        keys = tuple(self._order[:count])
        return keys, {key: self._row_of(key) for key in keys}, self._given_widths

    def get_row_at(self, index: int) -> tuple[Text, ...]:
        return tuple(Text(text, style=style, end="") for text, style in self._row_of(self._order[index]))

    @property
    def cursor_key(self) -> Hashable | None:
        return self._order[self.cursor_row] if 0 <= self.cursor_row < len(self._order) else None

    def show_source(self, order: Sequence[Hashable], row_of: RowOf, widths: Sequence[int], source: object) -> None:
        """Hold the rows `order` (keys, in display order), each made by `row_of` when drawn.
        The cursor stays on its row's key; when that row went away, its neighbour takes it.

        Args:
            widths: each column's widest cell (terminal cells) over those rows.
            source: what the rows are made from (compared by equality): the same source as
                last time is not shown again (nothing is repainted); None: always shown.
        """
        if source is not None and source == self._source:
            return
        selected, index = self.cursor_key, self.cursor_row
        self._order, self._row_of, self._source = list(order), row_of, source
        self._given_widths = tuple(widths)
        self._widths = [min(max(cell_len(label), w) + 1, MAX_COLUMN_WIDTH)
                        for label, w in zip(self._labels, widths, strict=True)]
        self._line_cache.clear()
        self.virtual_size = Size(sum(self._widths) + 1, len(self._order) + 1)  # +1: the header line
        last = max(len(self._order) - 1, 0)
        try:
            self.cursor_row = self._order.index(selected) if selected is not None else min(index, last)
        except ValueError:  # the selected row went away: its neighbour takes the cursor
            self.cursor_row = min(index, last)
        self.refresh()

    # --- rendering ---------------------------------------------------------------------------

    def _row_text(self, cells: tuple[Cell, ...] | None) -> Text:
        """One line: each cell after a one-space gap, cut or padded to its column's width."""
        line = Text(no_wrap=True, end="")
        for i, width in enumerate(self._widths):
            text, style = (self._labels[i], "") if cells is None else cells[i]
            room = width - 1
            right = self._right[i] and cells is not None  # (headers stay left-aligned)
            gap = " " * (1 + max(0, room - cell_len(text))) if right else " "
            piece = Text(gap, end="")
            piece.append(text, style or None)  # appended as a plain string: never markup
            piece.truncate(width, overflow="ellipsis", pad=True)
            line.append_text(piece)
        return line

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        width = self.size.width
        cells: tuple[Cell, ...] | None
        style: Style | None
        key: tuple[Any, ...]
        if y == 0:
            key, cells, style = ("header",), None, self.get_component_rich_style("virtual-table--header")
        else:
            index = scroll_y + y - 1
            if index >= len(self._order):
                return Strip.blank(width, self.rich_style)
            row_key = self._order[index]
            cells = self._row_of(row_key)
            cursor = index == self.cursor_row
            style = self.get_component_rich_style("virtual-table--cursor") if cursor else None
            key = (index, cursor, self.has_focus)
        cache_key = (key, scroll_x, width)
        strip = self._line_cache.get(cache_key)
        if strip is None:
            text = self._row_text(cells)
            segments = list(text.render(self.app.console))
            base = self.rich_style
            if style is not None:
                base = base + style
            segments = list(Segment.apply_style(segments, base))
            strip = Strip(segments).crop(scroll_x, scroll_x + width).extend_cell_length(width, base)
            if len(self._line_cache) > 4 * max(self.size.height, 1) + 64:
                self._line_cache.clear()  # only what is on screen is worth keeping
            self._line_cache[cache_key] = strip
        return strip

    def on_focus(self) -> None:
        self.refresh()  # the cursor row's look depends on focus (part of its cache key)

    def on_blur(self) -> None:
        self.refresh()

    # --- cursor ------------------------------------------------------------------------------

    def watch_cursor_row(self, old: int, new: int) -> None:
        if not self._order:
            return
        clamped = max(0, min(new, len(self._order) - 1))
        if clamped != new:
            self.cursor_row = clamped
            return
        visible = max(1, self.size.height - 1)
        top = self.scroll_offset.y
        if new < top:
            self.scroll_to(y=new, animate=False)
        elif new >= top + visible:
            self.scroll_to(y=new - visible + 1, animate=False)
        self.refresh()
        self.post_message(self.RowHighlighted(self, self._order[new]))

    def move_cursor(self, row: int) -> None:
        self.cursor_row = row

    def action_cursor(self, step: int) -> None:
        self.cursor_row = self.cursor_row + step

    def action_page(self, direction: int) -> None:
        self.cursor_row = self.cursor_row + direction * max(1, self.size.height - 2)

    def action_edge(self, end: int) -> None:
        self.cursor_row = (len(self._order) - 1) if end else 0

    def action_select(self) -> None:
        key = self.cursor_key
        if key is not None:
            self.post_message(self.RowSelected(self, key))

    def on_click(self, event: Click) -> None:
        if event.y >= 1:
            index = self.scroll_offset.y + event.y - 1
            if 0 <= index < len(self._order):
                self.cursor_row = index
