"""A DataTable updated by row key: only changed cells are sent, cursor and scroll are kept.

Never `clear()` and refill: that resets the cursor and scroll and repaints everything.
"""
from __future__ import annotations

from typing import Any, Callable, Hashable

from rich.text import Text
from textual.widgets import DataTable


class KeyedTable(DataTable):
    """`show_rows(rows)` makes the table hold exactly `rows` (key -> cells), in that order."""

    def __init__(self, columns: list[tuple[str, str]], **kwargs: Any) -> None:
        # No cell padding: each cell brings one leading space instead (see _padded), so a
        # column costs one cell of gap, not two, and six columns fit in 80 columns.
        super().__init__(cursor_type="row", zebra_stripes=False, cell_padding=0, **kwargs)
        self._column_spec = columns
        self._cells: dict[Hashable, tuple] = {}
        self._order: list[Hashable] = []

    def on_mount(self) -> None:
        for key, label in self._column_spec:
            self.add_column(Text(" " + label, style="bold", end=""), key=key)

    @property
    def cursor_key(self) -> Hashable | None:
        if not self._order or not 0 <= self.cursor_row < len(self._order):
            return None
        return self._order[self.cursor_row]

    def show_rows(self, rows: dict[Hashable, tuple], sort_key: Callable[[Hashable], Any] | None = None) -> None:
        order = list(rows) if sort_key is None else sorted(rows, key=sort_key)
        if order == self._order and all(
                tuple(_padded(c) for c in rows[k]) == self._cells.get(k) for k in order):
            return  # nothing changed: send nothing
        selected, selected_index = self.cursor_key, self.cursor_row
        column_keys = [key for key, _ in self._column_spec]
        with self.app.batch_update():
            for key in [k for k in self._cells if k not in rows]:
                self.remove_row(str(key))
                del self._cells[key]
            for key, cells in rows.items():
                cells = tuple(_padded(c) for c in cells)
                old = self._cells.get(key)
                if old is None:
                    self.add_row(*cells, key=str(key))
                elif old != cells:
                    merged = []
                    for column, before, after in zip(column_keys, old, cells):
                        if before != after:
                            self.update_cell(str(key), column, after)
                            merged.append(after)
                        else:
                            merged.append(before)
                    cells = tuple(merged)
                else:
                    cells = old
                # Keep the very objects the table holds, so rows can be told apart in sort().
                self._cells[key] = cells
            if order != self._order:
                position = {id(self._cells[k][0]): i for i, k in enumerate(order)}
                self.sort(key=lambda data: position[id(data[0])])
            self._order = order
            if selected is not None and selected in rows:
                self.move_cursor(row=order.index(selected), scroll=False)
            elif order:
                # The selected row went away: its neighbour takes the cursor.
                self.move_cursor(row=min(selected_index, len(order) - 1), scroll=False)


def _padded(cell: Text) -> Text:
    out = Text(" ", style="", no_wrap=True, end="", justify=cell.justify)
    out.append_text(cell)
    return out
