"""The one small interface every source of change events implements."""
from __future__ import annotations

from abc import ABC, abstractmethod
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .watcher import Watcher

QUIET_CHECK_SECONDS = 2.0  # with no event, compare stat signatures this often


class ChangeSource(ABC):
    """Learns that the files *may* have changed and asks the watcher to look
    (`Watcher.check`); the watcher reads and compares the files and decides whether they did.

    A source says how it watches through `Watcher.on_mode` ("watching", "polling (why)").
    `run()` returns only when the source cannot go on (the caller may then poll)."""

    def __init__(self, watcher: Watcher) -> None:
        self.watcher = watcher

    @abstractmethod
    async def run(self) -> None:
        """Watch until cancelled."""
