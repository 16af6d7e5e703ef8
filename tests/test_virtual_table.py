"""The virtual table: rows drawn only when visible, cursor kept by key, keys and selection."""
from __future__ import annotations

from textual.app import App, ComposeResult

from tui.rows.cells import measure
from tui.widgets.virtual_table import VirtualTable


def rows(n: int, prefix: str = "r") -> dict[str, tuple[tuple[str, str], ...]]:
    return {f"{prefix}{i:05d}": ((f"{prefix}{i:05d}", ""), (f"{i * 7 % 1000}", "")) for i in range(n)}


def show(table: VirtualTable, data: dict, order: list | None = None) -> None:
    """Show the rows `data` (in `order`, else as given), with widths measured from them."""
    keys = list(data) if order is None else order
    made = [measure(data[key]) for key in keys]
    widths = [max((w[i] for w in made), default=0) for i in range(2)]
    table.show_source(keys, data.__getitem__, widths, source=None)


class TableApp(App):
    def __init__(self) -> None:
        super().__init__()
        self.selected = []

    def compose(self) -> ComposeResult:
        yield VirtualTable([("id", "id"), ("n", "number", "right")], id="t")

    def on_virtual_table_row_selected(self, event: VirtualTable.RowSelected) -> None:
        self.selected.append(event.row_key)


async def test_ten_thousand_rows_render_only_the_visible_lines():
    app = TableApp()
    async with app.run_test(size=(40, 12)) as pilot:
        table = app.query_one(VirtualTable)
        drawn = []
        original = table.render_line
        table.render_line = lambda y: (drawn.append(y), original(y))[1]
        show(table, rows(10_000))
        table.focus()
        await pilot.pause()
        assert table.row_count == 10_000
        assert 0 < len(drawn) <= 3 * 12  # a screenful (or a few), never 10,000
        assert max(drawn) < 12
        await pilot.press("end")
        assert table.cursor_key == "r09999" and table.scroll_offset.y > 9_000
        await pilot.press("home", "down", "down", "enter")
        assert app.selected == ["r00002"]


async def test_cursor_follows_its_key_and_falls_to_a_neighbour():
    app = TableApp()
    async with app.run_test(size=(40, 12)) as pilot:
        table = app.query_one(VirtualTable)
        data = rows(5)
        show(table, data)
        table.focus()
        await pilot.press("down", "down")
        assert table.cursor_key == "r00002"
        more = {"a": (("a", ""), ("1", "")), **data}  # a row added above
        show(table, more, sorted(more))
        assert table.cursor_key == "r00002" and table.cursor_row == 3
        del more["r00002"]  # the selected row goes away
        show(table, more, sorted(more))
        assert table.cursor_key == "r00003" and table.cursor_row == 3


async def test_text_cells_are_shown_literally():
    app = TableApp()
    async with app.run_test(size=(60, 6)) as pilot:
        table = app.query_one(VirtualTable)
        show(table, {"x": (("[bold]Space[/]X", "bold"), ("[@click=app.quit]", ""))})
        await pilot.pause()
        line = "".join(seg.text for seg in table.render_line(1))
        assert "[bold]Space[/]X" in line and "[@click=app.quit]" in line
        await pilot.click(VirtualTable, offset=(20, 1))
        assert app.is_running


async def test_a_source_makes_only_the_rows_drawn():
    """`show_source`: keys, a row maker and the columns' widths; a row is made when drawn, and
    the same source is not shown again."""
    app = TableApp()
    async with app.run_test(size=(40, 12)) as pilot:
        table = app.query_one(VirtualTable)
        data = rows(10_000)
        made = []

        def row_of(key):
            made.append(key)
            return data[key]
        table.show_source(list(data), row_of, [6, 3], source="v1")
        table.focus()
        await pilot.pause()
        assert table.row_count == 10_000 and 0 < len(set(made)) <= 12
        assert table.column_widths == (7, 7)  # max(label, widest cell) + its gap
        assert [str(c) for c in table.get_row_at(0)] == ["r00000", "0"]
        await pilot.press("end")
        assert table.cursor_key == "r09999" and "r09999" in made
        refreshed = []
        original = table.refresh
        table.refresh = lambda *a, **k: (refreshed.append(1), original(*a, **k))[1]
        table.show_source(list(data), row_of, [6, 3], source="v1")
        assert refreshed == []  # the same source: nothing to repaint
        table.show_source(list(data)[:10], row_of, [6, 3], source="v2")
        assert table.row_count == 10 and table.cursor_key == "r00009"  # its neighbour
