"""Deal terms: one row per deal, keyed by id; sort with `s`, filter with `/`."""
from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input

from typing import TYPE_CHECKING

from ..core import formatting as fmt

if TYPE_CHECKING:
    from ..core.evaluate import DealState, Evaluation
    from ..core.model import Portfolio, Provider
from ..widgets.cells import STATUS_STYLE, Cell, cell, disputed, table_cell
from ..widgets.virtual_table import VirtualTable

COLUMNS = [("id", "id"), ("parties", "buyer → provider"), ("commitment", "commit/yr"),
           ("term", "term ends"), ("notice", "notice"), ("status", "status")]
SORTS = ("id", "parties", "commitment", "term", "notice", "status")
_STATUS_ORDER = {"notice": 0, "active": 1, "upcoming": 2, "ended": 3}


def term_text(s: DealState) -> str:
    """The current term's end: '2029-05-31', '↻2027-01-01' (renews there), 'evergreen'."""
    deal = s.deal
    if deal.end is None:
        return "evergreen"
    if deal.renewal is not None:
        return f"↻{s.term_end or deal.end}"
    return str(deal.end)


def notice_text(s: DealState) -> str:
    """'90d either', '3mo buyer@end' (notice stops a renewal), 'none'."""
    notice = s.deal.notice
    if notice is None:
        return "none"
    text = f"{notice.period.short()} {notice.parties}"
    if notice.effect == "term_end":
        text += "@end"
    return text


def haystack(s: DealState, portfolio: Portfolio) -> str:
    """What the filter searches: id, parties (ids and names), facilities (ids and names), tags."""
    deal = s.deal
    provider = portfolio.providers.get(deal.provider)
    hay = [deal.id, deal.buyer, deal.provider, provider.name if provider else "", *deal.tags]
    for line in deal.capacity:
        if line.facility:
            facility = portfolio.facilities.get(line.facility)
            hay += [line.facility, facility.name if facility else ""]
    return "\0".join(hay).casefold()  # NUL: a needle never matches across two fields


def _same_objects(a: tuple[list, list], b: tuple[list, list]) -> bool:
    """Whether two (providers, facilities) item lists hold the very same objects."""
    return all(len(x) == len(y) and all(i == j and u is w for (i, u), (j, w) in zip(x, y))
               for x, y in zip(a, b))


def _row(s: DealState, provider: Provider | None) -> tuple[Cell, ...]:
    deal = s.deal
    parties = f"{deal.buyer} → {provider.name if provider else deal.provider}"
    c = deal.commitment
    commitment = fmt.short_money(c.per_year, c.currency) if c else "—"
    return (
        table_cell(deal.id, "bold"),
        table_cell(parties),
        disputed(commitment, "commitment" in s.disputed),
        disputed(term_text(s), any(f in s.disputed for f in ("start", "end", "renewal"))),
        disputed(notice_text(s), any(f == "notice" or f.startswith("notice.") for f in s.disputed)),
        table_cell(s.status, STATUS_STYLE[s.status]),
    )


class DealTermsPane(Vertical):
    """The deal terms table, its filter input and its sort order."""

    BORDER_TITLE = "Deal terms"  # shown from the first frame, before the data arrives

    class Selected(Message):
        def __init__(self, deal_id: str) -> None:
            super().__init__()
            self.deal_id = deal_id

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.sort_index = 0
        self.filter_text = ""
        self._evaluation: Evaluation | None = None
        self._portfolio: Portfolio | None = None
        self._rows_of: Evaluation | None = None
        self._rows: dict[str, tuple] = {}
        self._hay: dict[str, str] = {}
        self._built: dict[str, tuple] = {}  # id -> (state, row, haystack)
        self._names: tuple = ([], [])  # the providers and facilities the rows were built with
        self._order_of: tuple | None = None
        self._order: list[str] = []

    def compose(self) -> ComposeResult:
        yield VirtualTable(COLUMNS, id="deal-table")

    def on_mount(self) -> None:
        # The (hidden) filter box is mounted after the first frame: a faster first paint.
        self.call_after_refresh(self.mount, Input(
            placeholder="filter: id, party, facility, tag — enter keeps it, esc clears", id="deal-filter"))

    @property
    def table(self) -> VirtualTable:
        return self.query_one("#deal-table", VirtualTable)

    def show(self, evaluation: Evaluation, portfolio: Portfolio) -> None:
        self._evaluation, self._portfolio = evaluation, portfolio
        self._render_rows()

    def _sort_value(self, s: DealState):
        column = SORTS[self.sort_index]
        deal = s.deal
        if column == "parties":
            return (deal.buyer.casefold(), deal.provider)
        if column == "commitment":
            c = deal.commitment
            return (c is None, c.currency if c else "", -(c.per_year if c else 0))
        if column == "term":
            end = s.term_end or s.exit_date
            return (end is None, end.isoformat() if end else "")
        if column == "notice":
            e = s.earliest_exit_if_notice_today
            return (e is None, e.isoformat() if e else "")
        if column == "status":
            return _STATUS_ORDER[s.status]
        return ()

    def _all_rows(self, ev: Evaluation, portfolio: Portfolio) -> dict[str, tuple]:
        """Every deal's cells and filter text, once per evaluation; a deal whose state,
        provider and facilities are the same objects as last time keeps its row (a reload
        that changed one file of a hundred rebuilds that file's rows only)."""
        if self._rows_of is ev:
            return self._rows
        rows, hay, built = {}, {}, {}
        # Rows show provider names and the filter searches facility names: when no provider
        # or facility changed, a deal whose state is the same object keeps its row as it is.
        names = (list(portfolio.providers.items()), list(portfolio.facilities.items()))
        previous = self._built if _same_objects(names, self._names) else {}
        for ident, s in ev.deals.items():
            before = previous.get(ident)
            if before is None or before[0] is not s:
                provider = portfolio.providers.get(s.deal.provider)
                before = (s, _row(s, provider), haystack(s, portfolio))
            built[ident] = before
            rows[ident], hay[ident] = before[1], before[2]
        self._rows_of, self._rows, self._hay, self._built, self._names = ev, rows, hay, built, names
        return rows

    def _sorted_ids(self, ev: Evaluation) -> list[str]:
        """All deal ids in the current sort order, once per (evaluation, sort column)."""
        if self._order_of != (ev, self.sort_index):
            states = ev.deals
            self._order = sorted(states, key=lambda ident: (self._sort_value(states[ident]), ident))
            self._order_of = (ev, self.sort_index)
        return self._order

    def _render_rows(self) -> None:
        ev, portfolio = self._evaluation, self._portfolio
        if ev is None or portfolio is None:
            return
        rows = self._all_rows(ev, portfolio)
        needle = self.filter_text.casefold()
        # Filter a precomputed order with precomputed haystacks: a keystroke on 10,000 deals
        # is a substring test per deal, no re-sort, no new cells.
        self.table.show_rows({ident: rows[ident] for ident in self._sorted_ids(ev)
                              if not needle or needle in self._hay[ident]})
        rows_shown = self.table.row_count
        states = ev.deals
        shown = f"{rows_shown} of {len(states)}" if self.filter_text else f"{len(states)}"
        title = f"Deal terms ({shown}) · sort: {SORTS[self.sort_index]}"
        if self.filter_text:
            title += f" · filter: {self.filter_text}"
        self.border_title = cell(title)

    def cycle_sort(self) -> None:
        self.sort_index = (self.sort_index + 1) % len(SORTS)
        self._render_rows()

    @property
    def filter_open(self) -> bool:
        return any(box.display for box in self.query("#deal-filter"))

    def open_filter(self) -> None:
        for box in self.query("#deal-filter").results(Input):
            box.display = True
            box.focus()

    def clear_filter(self) -> None:
        for box in self.query("#deal-filter").results(Input):
            box.value = ""
            box.display = False
        self.filter_text = ""
        self._render_rows()
        self.table.focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.filter_text = event.value.strip()
        self._render_rows()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        event.input.display = bool(self.filter_text)
        self.table.focus()

    def on_virtual_table_row_selected(self, event: VirtualTable.RowSelected) -> None:
        event.stop()
        self.post_message(self.Selected(event.row_key))
