"""The virtual table: rows drawn only when visible, cursor kept by key, keys and selection."""
from __future__ import annotations

from textual.app import App, ComposeResult

from tui.widgets.virtual_table import VirtualTable


def rows(n: int, prefix: str = "r") -> dict[str, tuple[tuple[str, str], ...]]:
    return {f"{prefix}{i:05d}": ((f"{prefix}{i:05d}", ""), (f"{i * 7 % 1000}", "")) for i in range(n)}


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
        table.show_rows(rows(10_000))
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
        table.show_rows(data)
        table.focus()
        await pilot.press("down", "down")
        assert table.cursor_key == "r00002"
        more = {"a": (("a", ""), ("1", "")), **data}  # a row added above
        table.show_rows(more, sort_key=lambda k: k)
        assert table.cursor_key == "r00002" and table.cursor_row == 3
        del more["r00002"]  # the selected row goes away
        table.show_rows(more, sort_key=lambda k: k)
        assert table.cursor_key == "r00003" and table.cursor_row == 3


async def test_text_cells_are_shown_literally():
    app = TableApp()
    async with app.run_test(size=(60, 6)) as pilot:
        table = app.query_one(VirtualTable)
        table.show_rows({"x": (("[bold]Space[/]X", "bold"), ("[@click=app.quit]", ""))})
        await pilot.pause()
        line = "".join(seg.text for seg in table.render_line(1))
        assert "[bold]Space[/]X" in line and "[@click=app.quit]" in line
        await pilot.click(VirtualTable, offset=(20, 1))
        assert app.is_running
