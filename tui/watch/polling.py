"""Polling: where no change events can be had (a network filesystem, the watch limit reached,
no event source installed). Cheap: a `stat` of each file per interval."""
from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from .base import ChangeSource

if TYPE_CHECKING:
    from .watcher import Watcher


class PollingSource(ChangeSource):
    def __init__(self, watcher: Watcher, reason: str) -> None:
        super().__init__(watcher)
        self.reason = reason

    async def run(self) -> None:
        watcher = self.watcher
        watcher.on_mode(f"polling ({self.reason})")
        while True:
            await asyncio.sleep(watcher.poll_ms / 1000)
            await watcher.check(cheap=True)
