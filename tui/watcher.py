"""Watch the config files the way editors and deploy tools really change them.

- Directories are watched, never file inodes: after one vim-style save or `os.replace` a watch on
  the file's inode never fires again. We watch each path's directory *and* the directory of each
  file's real path, so a symlinked config whose target is swapped (the Kubernetes ConfigMap
  `..data` pattern, whose events never name the file) is seen too.
- Events are only a hint: on any event the files are listed again, read and hashed, and only a
  different digest counts as a change. A quiet tick every 2 s compares `stat` signatures, so
  anything the events missed is still seen.
- A file read mid-save is usually valid but truncated, so a change is applied only when two
  reads a short interval apart agree.
- On Linux the events come from inotify read on the event loop (`Inotify`: libc through
  ctypes; no thread, no timer); elsewhere from watchfiles. Where neither works (a network
  filesystem, the watch limit reached, watchfiles missing) it polls instead, and says so.

No Textual here: the App runs `Watcher.run()` in a worker and gets callbacks.
"""
from __future__ import annotations

import asyncio
import errno
import os
import struct
import sys
from dataclasses import dataclass, field, replace
from typing import Callable

from .core.loader import read_bytes
from .core.locations import config_files
from .core.problems import Problems

from .core.hashing import blake2b, content_digest

NETWORK_FS = frozenset({
    "nfs", "nfs4", "cifs", "smbfs", "smb3", "9p", "afs", "ceph", "glusterfs", "lustre", "gpfs",
    "fuse.sshfs", "sshfs", "fuse.rclone", "davfs", "fuse.s3fs", "fuse.gcsfuse", "virtiofs", "vboxsf",
})


@dataclass(frozen=True)
class Snapshot:
    """The config files as read at one moment: what the loader will use, byte for byte."""

    files: tuple[str, ...] = ()
    contents: dict[str, bytes] = field(default_factory=dict)  # files that could be read
    file_digests: dict[str, bytes] = field(default_factory=dict)  # content_digest of each of them
    digest: str = ""
    signature: tuple = ()  # cheap stat-based signature of the same files

    def without_contents(self) -> Snapshot:
        """The same snapshot holding digests only: what is kept once the files are loaded."""
        return replace(self, contents={})


def _stat_signature(files: list[str]) -> tuple:
    sig = []
    for path in files:
        try:
            st = os.stat(path)
            sig.append((path, os.path.realpath(path), st.st_ino, st.st_dev, st.st_size, st.st_mtime_ns,
                        st.st_mode))
        except OSError as exc:
            sig.append((path, exc.errno))
    return tuple(sig)


def list_files(paths: list[str]) -> list[str]:
    return config_files(paths, Problems())


def stat_signature(paths: list[str]) -> tuple:
    return _stat_signature(list_files(paths))


def take_snapshot(paths: list[str]) -> Snapshot:
    """List, read (with the loader's own size limit) and hash the config files."""
    files = list_files(paths)
    contents: dict[str, bytes] = {}
    file_digests: dict[str, bytes] = {}
    digest = blake2b(digest_size=16)
    for path in files:
        digest.update(path.encode("utf-8", "surrogateescape") + b"\0")
        problems = Problems()
        data = read_bytes(path, problems)
        if data is None:  # missing, unreadable, too big: the loader reports it; the reason counts
            digest.update("".join(p.message for p in problems.errors).encode("utf-8", "replace"))
            continue
        contents[path] = data
        file_digests[path] = content_digest(data)
        digest.update(file_digests[path])
    return Snapshot(tuple(files), contents, file_digests, digest.hexdigest(), _stat_signature(files))


def open_for_writing(files: tuple[str, ...] | list[str]) -> bool:
    """Whether some process holds one of `files` open for writing (Linux /proc; else False).

    A writer that pauses mid-file leaves a valid but truncated file that reads the same twice;
    while it still holds the file open for writing, the change has not settled."""
    targets = {os.path.realpath(f) for f in files}
    if not targets or not os.path.isdir("/proc/self/fd"):
        return False
    try:
        pids = [p for p in os.listdir("/proc") if p.isdigit()]
    except OSError:
        return False
    for pid in pids:
        fd_dir = f"/proc/{pid}/fd"
        try:
            fds = os.listdir(fd_dir)
        except OSError:
            continue
        for fd in fds:
            try:
                if os.readlink(f"{fd_dir}/{fd}") not in targets:
                    continue
                with open(f"/proc/{pid}/fdinfo/{fd}", encoding="ascii") as fh:
                    for line in fh:
                        if line.startswith("flags:"):
                            if int(line.split()[1], 8) & 3:  # O_WRONLY or O_RDWR
                                return True
                            break
            except (OSError, ValueError):
                continue
    return False


def _existing_ancestor(path: str) -> str:
    path = os.path.abspath(path)
    while not os.path.isdir(path) and os.path.dirname(path) != path:
        path = os.path.dirname(path)
    return path


def watch_dirs(paths: list[str], files: tuple[str, ...] | list[str] = ()) -> list[str]:
    """Directories to watch (non-recursively) so that every way the files change shows up."""
    dirs: set[str] = set()
    for path in paths:
        if os.path.isdir(path):
            dirs.add(os.path.abspath(path))
            dirs.add(os.path.realpath(path))
        else:
            dirs.add(_existing_ancestor(os.path.dirname(os.path.abspath(path)) or "."))
            dirs.add(_existing_ancestor(os.path.dirname(os.path.realpath(path))))
    for path in files:
        dirs.add(_existing_ancestor(os.path.dirname(os.path.realpath(path))))
    return sorted(d for d in dirs if os.path.isdir(d))


def _mounts() -> list[tuple[str, str]]:
    """(mount point, filesystem type) from /proc/self/mountinfo, longest mount point first."""
    out = []
    try:
        with open("/proc/self/mountinfo", encoding="utf-8", errors="replace") as fh:
            for line in fh:
                left, _, right = line.partition(" - ")
                fields = left.split()
                if len(fields) >= 5 and right:
                    point = fields[4].replace("\\040", " ")
                    out.append((point, right.split()[0]))
    except OSError:
        return []
    return sorted(out, key=lambda m: len(m[0]), reverse=True)


def polling_reason(dirs: list[str], environ: dict[str, str] | None = None) -> str | None:
    """Why these directories must be polled rather than watched, or None."""
    environ = os.environ if environ is None else environ
    if environ.get("DEALMON_POLL"):
        return "DEALMON_POLL is set"
    mounts = _mounts()
    for d in dirs:
        real = os.path.realpath(d)
        for point, fstype in mounts:
            if real == point or real.startswith(point.rstrip("/") + "/"):
                if fstype in NETWORK_FS:
                    return f"{fstype} filesystem"
                break
    return None


class Watcher:
    """Calls `on_change(snapshot)` once per settled change of the files' contents."""

    def __init__(self, paths: list[str], on_change: Callable[[Snapshot], None],
                 on_mode: Callable[[str], None], settle: float = 0.05, poll_ms: int = 500) -> None:
        self.paths = paths
        self.on_change = on_change
        self.on_mode = on_mode  # "watching" or "polling (reason)"
        self.settle = settle
        self.poll_ms = poll_ms
        self.last = Snapshot()

    async def settled_snapshot(self) -> Snapshot:
        """Read until two reads `settle` seconds apart agree and no process still holds a file
        open for writing (a writer may be busy, or paused mid-file).

        Reads run on the event loop, not in a thread pool: hashing even 10,000 deals (5 MB)
        takes ~10 ms, and every pool thread costs resident memory for as long as the app runs."""
        current = take_snapshot(self.paths)
        if current.digest == self.last.digest:
            return current
        for _ in range(50):  # a file written for 5 s without end is taken as it is then
            await asyncio.sleep(self.settle)
            again = take_snapshot(self.paths)
            if again.digest == current.digest and not open_for_writing(again.files):
                return again
            current = again
        return current

    async def check(self, cheap: bool) -> None:
        """Look at the files; report a settled change. `cheap`: compare stat signatures first."""
        if cheap and stat_signature(self.paths) == self.last.signature:
            return
        snapshot = await self.settled_snapshot()
        changed = snapshot.digest != self.last.digest
        self.last = snapshot.without_contents()  # (if the same contents: the new stat signature)
        if changed:
            self.on_change(snapshot)

    async def poll(self, reason: str) -> None:
        """Our own polling, where watchfiles cannot run at all."""
        self.on_mode(f"polling ({reason})")
        while True:
            await asyncio.sleep(self.poll_ms / 1000)
            await self.check(cheap=True)

    async def run(self, baseline: Snapshot) -> None:
        self.last = baseline
        reason = polling_reason(watch_dirs(self.paths, baseline.files))
        if reason:
            await self.poll(reason)
            return
        inotify = Inotify.open()
        if inotify is None:
            await self._run_watchfiles()
            return
        try:
            await self._run_inotify(inotify)
        finally:
            inotify.close()

    async def _dirs_to_watch(self) -> list[str]:
        """The directories to watch now; when there are none yet, wait a poll interval and
        look at the files (then [] is returned and the caller asks again)."""
        dirs = watch_dirs(self.paths, self.last.files)
        if not dirs:
            self.on_mode("polling (no directory to watch)")
            await asyncio.sleep(self.poll_ms / 1000)
            await self.check(cheap=True)
        return dirs

    async def _run_inotify(self, inotify: Inotify) -> None:
        loop = asyncio.get_running_loop()
        ready = asyncio.Event()

        def readable() -> None:  # drained at once: a readable fd would call us in a loop
            if inotify.drain():
                ready.set()
        loop.add_reader(inotify.fd, readable)
        last_check = 0.0
        try:
            while True:
                dirs = await self._dirs_to_watch()
                if not dirs:
                    continue
                try:
                    inotify.watch_exactly(dirs)
                except OSError as exc:  # e.g. ENOSPC: the user's inotify watch limit
                    await self.poll(f"inotify: {exc.strerror}"[:60])
                    return
                self.on_mode("watching")
                try:
                    await asyncio.wait_for(ready.wait(), QUIET_CHECK_SECONDS)
                except asyncio.TimeoutError:
                    await self.check(cheap=True)
                    continue
                # A save is a burst of events: one look. And at most one look per
                # MIN_CHECK_INTERVAL, however busy the directory (a log written next to the
                # config must not keep us reading and hashing).
                since = loop.time() - last_check
                await asyncio.sleep(max(BURST_SECONDS, MIN_CHECK_INTERVAL - since))
                ready.clear()
                await self.check(cheap=False)
                last_check = loop.time()
        finally:
            loop.remove_reader(inotify.fd)

    async def _run_watchfiles(self) -> None:
        try:
            import watchfiles
        except ImportError:  # a broken install: still reload, and say how
            await self.poll("watchfiles not installed")
            return
        reason = None
        while True:
            dirs = await self._dirs_to_watch()
            if not dirs:
                continue
            self.on_mode(f"polling ({reason})" if reason else "watching")
            try:
                async for changes in watchfiles.awatch(
                        *dirs, watch_filter=None, debounce=50, step=50, recursive=False,
                        force_polling=bool(reason), poll_delay_ms=self.poll_ms,
                        yield_on_timeout=True, rust_timeout=int(QUIET_CHECK_SECONDS * 1000)):
                    await self.check(cheap=not changes)
                    if watch_dirs(self.paths, self.last.files) != dirs:
                        break  # a directory appeared, vanished or a link now points elsewhere
            except (OSError, RuntimeError) as exc:  # e.g. "OS file watch limit reached"
                if any(not os.path.isdir(d) for d in dirs):
                    continue  # a watched directory went away: watch what is there now
                if reason:
                    raise
                reason = str(exc).splitlines()[0][:60] or type(exc).__name__


QUIET_CHECK_SECONDS = 2.0  # with no event, compare stat signatures this often
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
    timer, reports at once, and keeps ~2 MB less resident (measured; bench/first_paint.py).
    watchfiles remains the source on other systems."""

    MASK = (IN_MODIFY | IN_ATTRIB | IN_CLOSE_WRITE | IN_MOVED_FROM | IN_MOVED_TO | IN_CREATE | IN_DELETE
            | IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR)

    def __init__(self, libc, fd: int) -> None:
        self.libc = libc
        self.fd = fd
        self.watches: dict[str, int] = {}  # directory -> watch descriptor

    @classmethod
    def open(cls) -> Inotify | None:
        """An inotify instance, or None where there is none (not Linux, no ctypes, no libc)."""
        if not sys.platform.startswith("linux"):
            return None
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.inotify_init1.argtypes = [ctypes.c_int]
            libc.inotify_add_watch.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_uint32]
            libc.inotify_rm_watch.argtypes = [ctypes.c_int, ctypes.c_int]
            fd = libc.inotify_init1(IN_NONBLOCK | IN_CLOEXEC)
        except (ImportError, OSError, AttributeError):
            return None
        return cls(libc, fd) if fd >= 0 else None

    def watch_exactly(self, dirs: list[str]) -> None:
        """Watch these directories and no others. OSError when one cannot be watched."""
        import ctypes

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
            except OSError:  # BlockingIOError: drained
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
