"""Change events from watchfiles (the Rust notify crate): the source on systems without
inotify (macOS, Windows), with its own polling where the OS refuses to watch."""
from __future__ import annotations

import os

from .base import QUIET_CHECK_SECONDS, ChangeSource
from .dirs import watch_dirs
from .polling import PollingSource


class WatchfilesSource(ChangeSource):
    async def run(self) -> None:
        watcher = self.watcher
        try:
            import watchfiles  # only where inotify is missing: not on the start path of Linux
        except ImportError:  # a broken install: still reload, and say how
            await PollingSource(watcher, "watchfiles not installed").run()
            return
        reason = None
        while True:
            dirs = await watcher.dirs_to_watch()
            if not dirs:
                continue
            watcher.on_mode(f"polling ({reason})" if reason else "watching")
            try:
                async for changes in watchfiles.awatch(
                        *dirs, watch_filter=None, debounce=50, step=50, recursive=False,
                        force_polling=bool(reason), poll_delay_ms=watcher.poll_ms,
                        yield_on_timeout=True, rust_timeout=int(QUIET_CHECK_SECONDS * 1000)):
                    await watcher.check(cheap=not changes)
                    if watch_dirs(watcher.paths, watcher.last.files) != dirs:
                        break  # a directory appeared, vanished or a link now points elsewhere
            except (OSError, RuntimeError) as exc:  # e.g. "OS file watch limit reached"
                if any(not os.path.isdir(d) for d in dirs):
                    continue  # a watched directory went away: watch what is there now
                if reason:
                    raise
                reason = str(exc).splitlines()[0][:60] or type(exc).__name__
