"""Change events from Linux inotify, read on the event loop: libc through ctypes, no thread,
no timer, no debounce (bench/README.md, "inotify", has what this saves over watchfiles)."""
from __future__ import annotations

import asyncio
import ctypes
import errno
import os
import struct
import sys
from typing import TYPE_CHECKING, Any

from .base import QUIET_CHECK_SECONDS, ChangeSource
from .polling import PollingSource

if TYPE_CHECKING:
    from .watcher import Watcher

BURST_SECONDS = 0.02  # after an event, wait this long for the rest of the burst
MIN_CHECK_INTERVAL = 0.1  # event-driven looks at the files, at most this often

# inotify(7) constants (Linux ABI)
IN_MODIFY, IN_ATTRIB, IN_CLOSE_WRITE = 0x2, 0x4, 0x8
IN_MOVED_FROM, IN_MOVED_TO, IN_CREATE, IN_DELETE = 0x40, 0x80, 0x100, 0x200
IN_DELETE_SELF, IN_MOVE_SELF, IN_IGNORED, IN_ONLYDIR = 0x400, 0x800, 0x8000, 0x01000000
IN_NONBLOCK, IN_CLOEXEC = 0o4000, 0o2000000
_EVENT = struct.Struct("iIII")  # wd, mask, cookie, len (then len bytes of name)


class Inotify:
    """Linux inotify through libc, read on the event loop.

    Why not watchfiles here: it runs a Rust thread that wakes every `step` ms plus a helper
    thread, imports anyio and multiprocessing, and debounces; this costs no thread and no
    timer and reports at once. watchfiles remains the source on other systems."""

    MASK = (IN_MODIFY | IN_ATTRIB | IN_CLOSE_WRITE | IN_MOVED_FROM | IN_MOVED_TO | IN_CREATE | IN_DELETE
            | IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR)

    def __init__(self, libc: Any, fd: int) -> None:
        self.libc = libc
        self.fd = fd
        self.watches: dict[str, int] = {}  # directory -> watch descriptor

    @classmethod
    def open(cls) -> Inotify | None:
        """An inotify instance, or None where there is none (not Linux, no ctypes, no libc)."""
        if not sys.platform.startswith("linux"):
            return None
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.inotify_init1.argtypes = [ctypes.c_int]
            libc.inotify_add_watch.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_uint32]
            libc.inotify_rm_watch.argtypes = [ctypes.c_int, ctypes.c_int]
            fd = libc.inotify_init1(IN_NONBLOCK | IN_CLOEXEC)
        except (OSError, AttributeError):  # no libc, or one without inotify
            return None
        return cls(libc, fd) if fd >= 0 else None

    def watch_exactly(self, dirs: list[str]) -> None:
        """Watch these directories and no others. OSError when one cannot be watched."""
        for d in [d for d in self.watches if d not in dirs]:
            self.libc.inotify_rm_watch(self.fd, self.watches.pop(d))
        for d in dirs:
            if d in self.watches:
                continue
            wd = self.libc.inotify_add_watch(self.fd, os.fsencode(d), self.MASK)
            if wd < 0:
                code = ctypes.get_errno()
                if code in (errno.ENOENT, errno.ENOTDIR):
                    continue  # gone meanwhile: the next listing watches what is there
                raise OSError(code, os.strerror(code), d)
            self.watches[d] = wd

    def drain(self) -> bool:
        """Read every pending event; True if there was any. A watch the kernel dropped (its
        directory was deleted or unmounted) is forgotten, so it is added again if it returns."""
        got = False
        while True:
            try:
                data = os.read(self.fd, 65536)
            except BlockingIOError:  # drained (any other error is a real one: it propagates)
                return got
            if not data:
                return got
            got = True
            offset = 0
            while offset + _EVENT.size <= len(data):
                wd, mask, _cookie, length = _EVENT.unpack_from(data, offset)
                offset += _EVENT.size + length
                if mask & IN_IGNORED:
                    for d, known in list(self.watches.items()):
                        if known == wd:
                            del self.watches[d]

    def close(self) -> None:
        try:
            os.close(self.fd)
        except OSError:
            pass


class InotifySource(ChangeSource):
    def __init__(self, watcher: Watcher, inotify: Inotify) -> None:
        super().__init__(watcher)
        self.inotify = inotify

    @classmethod
    def open(cls, watcher: Watcher) -> InotifySource | None:
        """The source, or None where there is no inotify."""
        inotify = Inotify.open()
        return cls(watcher, inotify) if inotify is not None else None

    async def run(self) -> None:
        try:
            await self._run()
        finally:
            self.inotify.close()

    async def _run(self) -> None:
        watcher, inotify = self.watcher, self.inotify
        loop = asyncio.get_running_loop()
        ready = asyncio.Event()

        def readable() -> None:  # drained at once: a readable fd would call us in a loop
            if inotify.drain():
                ready.set()
        loop.add_reader(inotify.fd, readable)
        last_check = 0.0
        try:
            while True:
                dirs = await watcher.dirs_to_watch()
                if not dirs:
                    continue
                try:
                    inotify.watch_exactly(dirs)
                except OSError as exc:  # e.g. ENOSPC: the user's inotify watch limit
                    await PollingSource(watcher, f"inotify: {exc.strerror}"[:60]).run()
                    return
                watcher.on_mode("watching")
                try:
                    await asyncio.wait_for(ready.wait(), QUIET_CHECK_SECONDS)
                except TimeoutError:
                    await watcher.check(cheap=True)
                    continue
                # A save is a burst of events: one look. And at most one look per
                # MIN_CHECK_INTERVAL, however busy the directory (a log written next to the
                # config must not keep us reading and hashing).
                since = loop.time() - last_check
                await asyncio.sleep(max(BURST_SECONDS, MIN_CHECK_INTERVAL - since))
                ready.clear()
                await watcher.check(cheap=False)
                last_check = loop.time()
        finally:
            loop.remove_reader(inotify.fd)
