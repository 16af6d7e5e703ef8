"""The as-of date the monitor shows: today (following the clock) or a fixed date set with
`--as-of` or by time travel. Pure date logic, tested without a screen."""
from __future__ import annotations

from datetime import date, timedelta

from .dates import BeforeTime, add_months


class AsOf:
    """Following today by default; fixed by `--as-of`, a move or a jump, until `follow_today`.

    Month moves are anchored to the day travel started from, so Jan 31 → Feb 28 → Mar 31
    (not Mar 28). A move past either end of the calendar is refused (the move returns False
    and the date stays), never an error.
    """

    def __init__(self, fixed: date | None = None) -> None:
        self.fixed = fixed
        self._anchor: date | None = None  # where month travel started
        self._months = 0  # months moved from the anchor

    @property
    def following(self) -> bool:
        """Whether the date follows the clock (no fixed date)."""
        return self.fixed is None

    def on(self, today: date) -> date:
        """The as-of date, given what day it is today."""
        return self.fixed or today

    def move_days(self, days: int, today: date) -> bool:
        """Move by `days`; False (and no move) past the ends of the calendar."""
        try:
            moved = self.on(today) + timedelta(days=days)
        except OverflowError:
            return False
        self.fixed, self._anchor, self._months = moved, None, 0
        return True

    def move_months(self, months: int, today: date) -> bool:
        """Move by `months` from the travel anchor; False (and no move) past the ends."""
        anchor = self._anchor if self._anchor is not None else self.on(today)
        moved = add_months(anchor, self._months + months)
        if moved is None or isinstance(moved, BeforeTime):
            return False
        self._anchor, self._months, self.fixed = anchor, self._months + months, moved
        return True

    def go_to(self, day: date) -> None:
        """Fix the date at `day`."""
        self.fixed, self._anchor, self._months = day, None, 0

    def follow_today(self) -> None:
        """Follow the clock again."""
        self.fixed, self._anchor, self._months = None, None, 0
