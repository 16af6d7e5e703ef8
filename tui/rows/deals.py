"""The deal terms table's rows: one per deal, with its filter text and its sort orders."""
from __future__ import annotations

import re
from datetime import date
from operator import itemgetter
from typing import TYPE_CHECKING, Any, TypeAlias, TypeVar

from ..core import formatting as fmt
from ..core.words import Effect
from .cells import BAND_STYLE, STATUS_STYLE, Cell, disputed, measure, table_cell

if TYPE_CHECKING:  # (a reopen screen's first frame has the columns without the evaluation)
    from ..core.evaluate import DealState, Evaluation
    from ..core.filtering import DealFilter
    from ..core.model import Deal, Portfolio, Provider

# The columns in the order they matter: what happens next and when, when each side can leave,
# then the terms. Every column sorts (`s` cycles, `S` reverses).
COLUMNS = [("id", "id"), ("next", "next event"), ("left", "left", "right"), ("right", "exit right"),
           ("exit_if", "notice today→"), ("exit", "exit date"), ("status", "status"),
           ("commitment", "commit/yr", "right"), ("parties", "buyer → provider"), ("term", "term ends"),
           ("notice", "notice")]
SORTS = tuple(column[0] for column in COLUMNS)
T = TypeVar("T")
NUMBER_RUN = re.compile(r"([0-9]+)")


def natural(text: str) -> tuple[Any, ...]:
    """A sort key that puts 'Buyer 2' before 'Buyer 10' (case-folded)."""
    return tuple(int(part) if part.isdigit() else part for part in NUMBER_RUN.split(text.casefold()))


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


def _day_key(d: date | None) -> tuple[bool, str]:
    return (d is None, d.isoformat() if d is not None else "")


def sort_value(s: DealState, column: str) -> Any:
    """The key of deal `s` in `column` (missing values last)."""
    deal = s.deal
    if column == "id":
        return natural(deal.id)
    if column == "next" or column == "left":
        nxt = s.next_event
        return _day_key(nxt.date if nxt else None)
    if column == "right":
        return _day_key(s.exit_right_from if s.deal.notice is not None else None)
    if column == "exit_if":
        return _day_key(s.earliest_exit_if_notice_today)
    if column == "exit":
        return _day_key(s.exit_date)
    if column == "status":
        return s.status.rank
    if column == "commitment":
        c = deal.commitment
        return (c is None, c.currency if c else "", -(c.per_year if c else 0))
    if column == "parties":
        return (natural(deal.buyer), natural(deal.provider))
    if column == "term":
        return _day_key(s.term_end or s.exit_date)
    if column == "notice":
        return (deal.notice is None, notice_text(s))
    return ()


def exit_right_text(s: DealState, as_of: date) -> str:
    """When the exit right opens: 'open' (it has), its date, 'never' (after 9999), 'none'."""
    if s.deal.notice is None:
        return "none"
    opens = s.exit_right_from
    if opens is None:
        return "never"
    return "open" if opens <= as_of else fmt.day(opens)


def fixed_cells(s: DealState, provider: Provider | None) -> tuple[Cell, ...]:
    """The cells that do not depend on the as-of date: id, commitment, parties, notice terms."""
    deal = s.deal
    parties = f"{deal.buyer} → {provider.name if provider else deal.provider}"
    c = deal.commitment
    commitment = fmt.short_money(c.per_year, c.currency) if c else "—"
    return (
        table_cell(deal.id, "bold"),
        disputed(commitment, "commitment" in s.disputed),
        table_cell(parties),
        disputed(notice_text(s), any(f in ("notice", "notice.period", "notice.parties", "notice.effect")
                                     for f in s.disputed)),
    )


def dated_cells(s: DealState, as_of: date) -> tuple[Cell, ...]:
    """The cells that move with the as-of date: next event, days left, exit right, exit if
    notice today, exit date, status, term end."""
    nxt = s.next_event
    return (
        table_cell(f"{nxt.kind.short} {fmt.day(nxt.date)}" if nxt else "—"),
        left_cell(s),
        disputed(exit_right_text(s, as_of), any(f == "notice.not_before" for f in s.disputed)),
        exit_if_cell(s),
        table_cell(fmt.day(s.exit_date)),
        table_cell(s.status.label, STATUS_STYLE[s.status]),
        disputed(term_text(s), any(f in s.disputed for f in ("start", "end", "renewal"))),
    )


def left_cell(s: DealState) -> Cell:
    """Days left until the next event, in its band's style."""
    nxt = s.next_event
    return (fmt.days(nxt.days_left), BAND_STYLE[nxt.level]) if nxt else ("—", "")


def exit_if_cell(s: DealState) -> Cell:
    """The exit if notice were given on the as-of date."""
    return table_cell(fmt.day(s.earliest_exit_if_notice_today))


def deal_row(fixed: tuple[T, ...], dated: tuple[T, ...]) -> tuple[T, ...]:
    """The row in COLUMNS' order from its fixed and dated cells (or their widths)."""
    return (fixed[0], *dated[:6], fixed[1], fixed[2], dated[6], fixed[3])


# deal id -> (deal, its provider, its fixed cells' widths, filter text): what a new as-of date
# does not change, kept while the deal and its provider are the same objects
FixedEntry: TypeAlias = "tuple[Deal, Provider | None, tuple[int, ...], str]"


# id -> (state, its fixed entry, the row's cell widths)
DealEntry: TypeAlias = "tuple[DealState, FixedEntry, tuple[int, ...]]"

MADE_ROWS_KEPT = 4096  # rows made for drawing, kept until there are more than this


class DealRows:
    """Every deal's row for one evaluation, its cell widths and filter text, and its sort
    orders.

    Built by `build_deal_rows` without touching any widget, so the load worker can build them
    off the UI thread; the pane only filters and shows them. A row's cells are made when the
    table draws it (`row`): only their widths and the filter text are kept for every deal
    (bench/README.md, "rows made when drawn": the cells of 10,000 rows held 2.2 KB a deal)."""

    def __init__(self, evaluation: Evaluation, built: dict[str, DealEntry], names: tuple[list[Any], list[Any]]) -> None:
        self.evaluation = evaluation
        self.built = built
        self.names = names  # the providers and facilities the rows were built with
        self.fixed: dict[str, FixedEntry] = {}  # what a new as-of date does not change
        self._orders: dict[int, list[str]] = {}  # sort index -> ids, ascending
        self._made: dict[str, tuple[Cell, ...]] = {}
        self._all_widths: list[int] | None = None

    def row(self, ident: str) -> tuple[Cell, ...]:
        """The cells of deal `ident`'s row, in COLUMNS' order."""
        made = self._made.get(ident)
        if made is None:
            if len(self._made) > MADE_ROWS_KEPT:
                self._made.clear()
            state, fixed, _ = self.built[ident]
            made = self._made[ident] = deal_row(fixed_cells(state, fixed[1]), dated_cells(state, self.evaluation.as_of))
        return made

    def column_widths(self, idents: list[str] | None = None) -> list[int]:
        """The widest cell of each column over the rows of `idents` (None: every deal)."""
        if idents is None and self._all_widths is not None:
            return self._all_widths
        built = self.built
        widths = [entry[2] for entry in built.values()] if idents is None else [built[i][2] for i in idents]
        out = [max(map(itemgetter(i), widths)) for i in range(len(COLUMNS))] if widths else [0] * len(COLUMNS)
        if idents is None:
            self._all_widths = out
        return out

    def keep_id_order(self, previous: DealRows) -> None:
        """Take `previous`'s id order when it has the same deals: it does not move with the date."""
        if 0 in previous._orders and previous.built.keys() == self.built.keys():
            self._orders[0] = previous._orders[0]

    def order(self, sort_index: int, descending: bool = False) -> list[str]:
        """All deal ids in the order of SORTS[sort_index], sorted once per evaluation."""
        if sort_index not in self._orders:
            column = SORTS[sort_index]
            built = self.built
            self._orders[sort_index] = sorted(built, key=lambda i: (sort_value(built[i][0], column), natural(i)))
        order = self._orders[sort_index]
        return order[::-1] if descending else order

    def kept(self, deal_filter: DealFilter, portfolio: Portfolio) -> frozenset[str] | None:
        """The ids of the deals `deal_filter` keeps; None when it keeps every deal."""
        if not deal_filter:
            return None
        built = self.built
        kept = frozenset(ident for ident, entry in built.items()
                         if deal_filter.keeps(entry[0], portfolio, entry[1][3]))
        return None if len(kept) == len(built) else kept

    def ids(self, sort_index: int, kept: frozenset[str] | None, descending: bool = False) -> list[str]:
        """The ids of the deals in `kept` (None: every deal), in sort order."""
        order = self.order(sort_index, descending)
        return order if kept is None else [ident for ident in order if ident in kept]


def build_deal_rows(ev: Evaluation, portfolio: Portfolio, previous: DealRows | None,
                    sort_index: int = 0) -> DealRows:
    """The rows of `ev`. A deal whose state is the same object as in `previous` keeps its entry
    when no provider or facility changed (rows show provider names and the filter searches
    facility names): a reload that changed one file of a hundred builds that file's rows."""
    names = (list(portfolio.providers.items()), list(portfolio.facilities.items()))
    same = previous is not None and _same_objects(names, previous.names)
    reuse = previous.built if previous is not None and same else {}
    fixed_before = previous.fixed if previous is not None and same else {}
    built: dict[str, DealEntry] = {}
    fixed: dict[str, FixedEntry] = {}
    for ident, s in ev.deals.items():
        provider = portfolio.providers.get(s.deal.provider)
        kept = fixed_before.get(ident)
        if kept is None or kept[0] is not s.deal or kept[1] is not provider:
            kept = (s.deal, provider, measure(fixed_cells(s, provider)), haystack(s, portfolio))
        fixed[ident] = kept
        entry = reuse.get(ident)
        if entry is not None and entry[0] is s:
            built[ident] = entry
            continue
        if entry is not None and s.steady is not None and entry[0].steady is s.steady:
            # The state shifted to the new date (core.evaluate.Steady): only the days left
            # and, when it moves with the date, the exit if notice today change.
            built[ident] = (s, kept, _shifted_widths(entry[2], s))
            continue
        built[ident] = (s, kept, deal_row(kept[2], measure(dated_cells(s, ev.as_of))))
    rows = DealRows(ev, built, names)
    rows.fixed = fixed
    if previous is not None:
        rows.keep_id_order(previous)
    rows.order(sort_index)
    rows.column_widths()
    return rows


_LEFT, _EXIT_IF = SORTS.index("left"), SORTS.index("exit_if")  # their places in a row


def _shifted_widths(widths: tuple[int, ...], s: DealState) -> tuple[int, ...]:
    """The cell widths of an earlier state's row with the same `Steady`, for the state `s`:
    only the days left and, when it moves daily, the exit if notice today differ."""
    (left,) = measure((left_cell(s),))
    exit_if = measure((exit_if_cell(s),))[0] if s.steady and s.steady.daily else widths[_EXIT_IF]
    return (*widths[:_LEFT], left, *widths[_LEFT + 1:_EXIT_IF], exit_if, *widths[_EXIT_IF + 1:])


def _same_objects(a: tuple[list[Any], list[Any]], b: tuple[list[Any], list[Any]]) -> bool:
    """Whether two (providers, facilities) item lists hold the very same objects."""
    return all(len(x) == len(y) and all(i == j and u is w for (i, u), (j, w) in zip(x, y, strict=False))
               for x, y in zip(a, b, strict=True))
