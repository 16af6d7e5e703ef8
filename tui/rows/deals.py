"""The deal terms table's rows: one per deal, with its filter text and its sort orders."""
from __future__ import annotations

from typing import Any

from ..core import formatting as fmt
from ..core.evaluate import DealState, Evaluation
from ..core.model import Portfolio, Provider
from ..core.words import Effect
from .cells import STATUS_STYLE, Cell, disputed, measure, table_cell

COLUMNS = [("id", "id"), ("parties", "buyer → provider"), ("commitment", "commit/yr"),
           ("term", "term ends"), ("notice", "notice"), ("status", "status")]
SORTS = ("id", "parties", "commitment", "term", "notice", "status")


def term_text(s: DealState) -> str:
    """The current term's end: '2029-05-31', '↻2027-01-01' (renews there), 'evergreen'."""
    deal = s.deal
    if deal.end is None:
        return "evergreen"
    if deal.renewal is not None:
        return f"↻{fmt.day(s.term_end or deal.end)}"
    return fmt.day(deal.end)


def notice_text(s: DealState) -> str:
    """'90d either', '3mo buyer@end' (notice stops a renewal), 'none'."""
    notice = s.deal.notice
    if notice is None:
        return "none"
    text = f"{notice.period.short()} {notice.parties}"
    if notice.effect is Effect.TERM_END:
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


def sort_value(s: DealState, column: str) -> Any:
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
        return s.status.rank
    return ()


def deal_row(s: DealState, provider: Provider | None) -> tuple[Cell, ...]:
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
        table_cell(s.status.label, STATUS_STYLE[s.status]),
    )


# id -> (state, row, haystack, cell widths)
DealEntry = tuple[DealState, tuple[Cell, ...], str, tuple[int, ...]]


class DealRows:
    """Every deal's cells, cell widths and filter text for one evaluation, and its sort orders.

    Built by `build_deal_rows` without touching any widget, so the load worker can build them
    off the UI thread; the pane only filters and shows them."""

    def __init__(self, evaluation: Evaluation, built: dict[str, DealEntry], names: tuple[list[Any], list[Any]]) -> None:
        self.evaluation = evaluation
        self.built = built
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

    def matching(self, sort_index: int, needle: str) -> dict[str, tuple[Cell, ...]]:
        """The rows whose filter text holds `needle` (case-folded), in sort order."""
        built = self.built
        return {ident: built[ident][1] for ident in self.order(sort_index) if not needle or needle in built[ident][2]}


def build_deal_rows(ev: Evaluation, portfolio: Portfolio, previous: DealRows | None,
                    sort_index: int = 0) -> DealRows:
    """The rows of `ev`. A deal whose state is the same object as in `previous` keeps its row
    when no provider or facility changed (rows show provider names and the filter searches
    facility names): a reload that changed one file of a hundred builds that file's rows."""
    names = (list(portfolio.providers.items()), list(portfolio.facilities.items()))
    reuse = previous.built if previous is not None and _same_objects(names, previous.names) else {}
    built: dict[str, DealEntry] = {}
    for ident, s in ev.deals.items():
        entry = reuse.get(ident)
        if entry is None or entry[0] is not s:
            row = deal_row(s, portfolio.providers.get(s.deal.provider))
            entry = (s, row, haystack(s, portfolio), measure(row))
        built[ident] = entry
    rows = DealRows(ev, built, names)
    rows.order(sort_index)
    return rows


def _same_objects(a: tuple[list[Any], list[Any]], b: tuple[list[Any], list[Any]]) -> bool:
    """Whether two (providers, facilities) item lists hold the very same objects."""
    return all(len(x) == len(y) and all(i == j and u is w for (i, u), (j, w) in zip(x, y, strict=False))
               for x, y in zip(a, b, strict=True))
