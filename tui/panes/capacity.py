"""Capacity: totals by model, MW and commitment; ending and at risk within the horizon; per
provider with concentration; a 24-month timeline chart with the numbers beside it."""
from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from ..rows.capacity import CapacityTexts, capacity_texts

if TYPE_CHECKING:
    from ..core.evaluate import Evaluation
    from ..core.model import Portfolio
    from ..core.scenarios import WhatIf


class CapacityPane(VerticalScroll, can_focus=True):
    BORDER_TITLE = "Capacity"  # shown from the first frame, before the data arrives
    _shown: tuple[Evaluation, Evaluation | None, Portfolio | None, WhatIf | None] | None = None  # show()'s
    texts: CapacityTexts | None = None  # as shown
    made_for = 0  # the width `texts` were made for (0: not made here)
    title = ""  # the border title

    BINDINGS = [
        Binding("j", "scroll_down", "Down", show=False), Binding("k", "scroll_up", "Up", show=False),
        Binding("g", "scroll_home", "Top", show=False), Binding("G", "scroll_end", "Bottom", show=False),
    ]

    def compose(self) -> ComposeResult:
        yield Static(id="capacity-totals")
        yield Static(id="timeline")
        yield Static(id="capacity-providers")

    def show(self, ev: Evaluation, filtered: Evaluation | None = None, portfolio: Portfolio | None = None,
             what_if: WhatIf | None = None) -> None:
        """Show `ev`'s capacity, or `filtered`'s: the evaluation of the deals the filter keeps.

        Args:
            portfolio: the portfolio evaluated (the deals at risk are named, disputes marked).
            what_if: the scenario on show, if any (a line says what it changes).
        """
        self._shown = (ev, filtered, portfolio, what_if)
        # More of the timeline as the terminal grows: every 6 months, or every 3 when tall.
        step = 3 if self.app.size.height >= 40 else 6
        width = self._width()
        self.show_texts(capacity_texts(filtered or ev, step, width, portfolio, what_if),
                        "Capacity · next 24 months" + (
                            f" · filtered: {len(filtered.deals):,} deals" if filtered is not None else ""))
        self.made_for = width

    def _width(self) -> int:
        return max(40, self.scrollable_content_region.width - 1)

    @property
    def fits(self) -> bool:
        """Whether the texts on show were made for the pane's width as laid out now (before
        the first layout they are made 40 wide, then again once it is known)."""
        return self.made_for == self._width()

    def show_texts(self, texts: CapacityTexts, title: str) -> None:
        """Show `texts` under `title` (made by `show`, or a reopen screen's: `screenstore`)."""
        self.texts, self.title, self.made_for = texts, title, 0
        self.query_one("#capacity-totals", Static).update(texts.totals)
        self.query_one("#timeline", Static).update(texts.timeline)
        self.query_one("#capacity-providers", Static).update(texts.providers)
        self.border_title = title

    def on_resize(self) -> None:
        """The timeline's bars are as wide as the pane: drawn again at its new width."""
        if self._shown is not None:
            self.show(*self._shown)
