"""The watcher: turns hints from a change source into one reload per settled change."""
from __future__ import annotations

import asyncio
from collections.abc import Callable

from .dirs import polling_reason, watch_dirs
from .inotify import InotifySource
from .polling import PollingSource
from .snapshot import Snapshot, open_for_writing, stat_signature, take_snapshot
from .watchfiles_source import WatchfilesSource

# How long a change may take to settle: a writer that holds a file open for writing is waited
# for this long (README, "Live reload"); past it, the files are taken as they are.
SETTLE_LIMIT_SECONDS = 120.0


class Watcher:
    """Calls `on_change(snapshot)` once per settled change of the files' contents.

    Args:
        paths: the config paths.
        on_change: called with the new snapshot of the files.
        on_mode: called with how the files are watched ("watching", "polling (why)").
        on_saving: called with True while a writer holds a changed file open (the change is
            waited for), then with False.
        settle: seconds between the reads that must agree.
        poll_ms: the polling interval, where the files are polled.
    """

    def __init__(self, paths: list[str], on_change: Callable[[Snapshot], None],
                 on_mode: Callable[[str], None], settle: float = 0.05, poll_ms: int = 500,
                 on_saving: Callable[[bool], None] = lambda saving: None) -> None:
        self.paths = paths
        self.on_change = on_change
        self.on_mode = on_mode
        self.on_saving = on_saving
        self.settle = settle
        self.poll_ms = poll_ms
        self.last = Snapshot()

    async def run(self, baseline: Snapshot) -> None:
        """Watch, starting from the files as `baseline` read them, until cancelled."""
        self.last = baseline
        reason = polling_reason(watch_dirs(self.paths, baseline.files))
        source = (PollingSource(self, reason) if reason
                  else InotifySource.open(self) or WatchfilesSource(self))
        await source.run()

    async def settled_snapshot(self) -> Snapshot:
        """Read until two reads `settle` seconds apart agree and no process still holds a file
        open for writing (a writer may be busy, or paused mid-file for long): a half-written
        file is never applied. Waiting is bounded by SETTLE_LIMIT_SECONDS.

        Reads run on the event loop, not in a thread pool: hashing the files is quick, and a
        pool thread would stay resident for as long as the app runs."""
        current = take_snapshot(self.paths)
        if current.digest == self.last.digest:
            return current
        loop = asyncio.get_running_loop()
        started, saving = loop.time(), False
        try:
            while loop.time() - started < SETTLE_LIMIT_SECONDS:
                await asyncio.sleep(self.settle)
                again = take_snapshot(self.paths)
                writing = open_for_writing(again.files)
                if again.digest == current.digest and not writing:
                    return again
                if writing and not saving:
                    saving = True
                    self.on_saving(True)
                current = again
            return current
        finally:
            if saving:
                self.on_saving(False)

    async def check(self, cheap: bool) -> None:
        """Look at the files; report a settled change. `cheap`: compare stat signatures first."""
        if cheap and stat_signature(self.paths) == self.last.signature:
            return
        snapshot = await self.settled_snapshot()
        changed = snapshot.digest != self.last.digest
        self.last = snapshot.without_contents()  # (if the same contents: the new stat signature)
        if changed:
            self.on_change(snapshot)

    async def dirs_to_watch(self) -> list[str]:
        """The directories to watch now; when there are none yet, wait a poll interval and
        look at the files (then [] is returned and the caller asks again)."""
        dirs = watch_dirs(self.paths, self.last.files)
        if not dirs:
            self.on_mode("polling (no directory to watch)")
            await asyncio.sleep(self.poll_ms / 1000)
            await self.check(cheap=True)
        return dirs
