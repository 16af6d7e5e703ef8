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
- Where inotify is unavailable (a network filesystem, the watch limit reached) it polls instead,
  and says so.

No Textual here: the App runs `Watcher.run()` in a worker and gets callbacks.
"""
from __future__ import annotations

import asyncio
import os
from dataclasses import dataclass, field
from typing import Callable

from .core.loader import config_files, read_bytes
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
    digest: str = ""
    signature: tuple = ()  # cheap stat-based signature of the same files


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
    digest = blake2b(digest_size=16)
    for path in files:
        digest.update(path.encode("utf-8", "surrogateescape") + b"\0")
        problems = Problems()
        data = read_bytes(path, problems)
        if data is None:  # missing, unreadable, too big: the loader reports it; the reason counts
            digest.update("".join(p.message for p in problems.errors).encode("utf-8", "replace"))
            continue
        contents[path] = data
        digest.update(content_digest(data))
    return Snapshot(tuple(files), contents, digest.hexdigest(), _stat_signature(files))


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
        if snapshot.digest != self.last.digest:
            self.last = snapshot
            self.on_change(snapshot)
        else:
            self.last = snapshot  # same contents; remember the new stat signature

    async def poll(self, reason: str) -> None:
        """Our own polling, where watchfiles cannot run at all."""
        self.on_mode(f"polling ({reason})")
        while True:
            await asyncio.sleep(self.poll_ms / 1000)
            await self.check(cheap=True)

    async def run(self, baseline: Snapshot) -> None:
        self.last = baseline
        try:
            import watchfiles
        except ImportError:  # a broken install: still reload, and say how
            await self.poll("watchfiles not installed")
            return
        reason = polling_reason(watch_dirs(self.paths, baseline.files))
        while True:
            dirs = watch_dirs(self.paths, self.last.files)
            if not dirs:  # nothing to watch yet: look again in a while
                self.on_mode("polling (no directory to watch)")
                await asyncio.sleep(self.poll_ms / 1000)
                await self.check(cheap=True)
                continue
            self.on_mode(f"polling ({reason})" if reason else "watching")
            try:
                async for changes in watchfiles.awatch(
                        *dirs, watch_filter=None, debounce=50, step=50, recursive=False,
                        force_polling=bool(reason), poll_delay_ms=self.poll_ms,
                        yield_on_timeout=True, rust_timeout=2000):
                    await self.check(cheap=not changes)
                    if watch_dirs(self.paths, self.last.files) != dirs:
                        break  # a directory appeared, vanished or a link now points elsewhere
            except (OSError, RuntimeError) as exc:  # e.g. "OS file watch limit reached"
                if any(not os.path.isdir(d) for d in dirs):
                    continue  # a watched directory went away: watch what is there now
                if reason:
                    raise
                reason = str(exc).splitlines()[0][:60] or type(exc).__name__
