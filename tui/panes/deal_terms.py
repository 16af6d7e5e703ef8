"""Deal terms: one row per deal, keyed by id; sort with `s`, filter with `/`."""
from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input

from ..core import formatting as fmt
from ..widgets.cells import STATUS_STYLE, Cell, cell, disputed, table_cell
from ..widgets.virtual_table import VirtualTable, measure

if TYPE_CHECKING:
    from ..core.evaluate import DealState, Evaluation
    from ..core.model import Portfolio, Provider

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


def sort_value(s: DealState, column: str):
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


class DealRows:
    """Every deal's cells, cell widths and filter text for one evaluation, and its sort orders.

    Built by `build_deal_rows` without touching any widget, so the load worker can build them
    for 100,000 deals off the UI thread; the pane only filters and shows them."""

    def __init__(self, evaluation: Evaluation, built: dict[str, tuple], names: tuple) -> None:
        self.evaluation = evaluation
        self.built = built  # id -> (state, row, haystack, cell widths)
        self.names = names  # the providers and facilities the rows were built with
        self.widths = {ident: entry[3] for ident, entry in built.items()}
        self._orders: dict[int, list[str]] = {0: list(built)}  # sort index -> ids (0: id order)

    def order(self, sort_index: int) -> list[str]:
        """All deal ids in the order of SORTS[sort_index], sorted once per evaluation."""
        if sort_index not in self._orders:
            column = SORTS[sort_index]
            built = self.built
            self._orders[sort_index] = sorted(built, key=lambda i: (sort_value(built[i][0], column), i))
        return self._orders[sort_index]


def build_deal_rows(ev: Evaluation, portfolio: Portfolio, previous: DealRows | None,
                    sort_index: int = 0) -> DealRows:
    """The rows of `ev`. A deal whose state is the same object as in `previous` keeps its row
    when no provider or facility changed (rows show provider names and the filter searches
    facility names): a reload that changed one file of a hundred builds that file's rows."""
    names = (list(portfolio.providers.items()), list(portfolio.facilities.items()))
    reuse = previous.built if previous is not None and _same_objects(names, previous.names) else {}
    built = {}
    for ident, s in ev.deals.items():
        entry = reuse.get(ident)
        if entry is None or entry[0] is not s:
            row = _row(s, portfolio.providers.get(s.deal.provider))
            entry = (s, row, haystack(s, portfolio), measure(row))
        built[ident] = entry
    rows = DealRows(ev, built, names)
    rows.order(sort_index)
    return rows


def _same_objects(a: tuple[list, list], b: tuple[list, list]) -> bool:
    """Whether two (providers, facilities) item lists hold the very same objects."""
    return all(len(x) == len(y) and all(i == j and u is w for (i, u), (j, w) in zip(x, y))
               for x, y in zip(a, b))


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
        self.prepared: DealRows | None = None  # the rows on show

    def compose(self) -> ComposeResult:
        yield VirtualTable(COLUMNS, id="deal-table")

    def on_mount(self) -> None:
        # The (hidden) filter box is mounted after the first frame: a faster first paint.
        self.call_after_refresh(self.mount, Input(
            placeholder="filter: id, party, facility, tag — enter keeps it, esc clears", id="deal-filter"))

    @property
    def table(self) -> VirtualTable:
        return self.query_one("#deal-table", VirtualTable)

    def show(self, evaluation: Evaluation, portfolio: Portfolio, prepared: DealRows | None = None) -> None:
        """Show the deals of `evaluation`; `prepared`: its rows, built off the UI thread."""
        if prepared is None or prepared.evaluation is not evaluation:
            prepared = build_deal_rows(evaluation, portfolio, self.prepared, self.sort_index)
        self.prepared = prepared
        self._render_rows()

    def _render_rows(self) -> None:
        prepared = self.prepared
        if prepared is None:
            return
        built = prepared.built
        needle = self.filter_text.casefold()
        # Filter a precomputed order with precomputed haystacks: a keystroke on 10,000 deals
        # is a substring test per deal, no re-sort, no new cells.
        self.table.show_rows({ident: built[ident][1] for ident in prepared.order(self.sort_index)
                              if not needle or needle in built[ident][2]},
                             widths=prepared.widths)
        rows_shown = self.table.row_count
        total = len(built)
        shown = f"{rows_shown} of {total}" if self.filter_text else f"{total}"
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
