"""The config files as read at one moment (`Snapshot`), and whether a writer still holds them.

Every read goes through the loader's `read_bytes`, so the snapshot holds exactly the bytes the
load will use."""
from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from typing import Any

from ..core.hashing import content_digest, content_hasher
from ..core.loader import read_bytes
from ..core.locations import config_files
from ..core.problems import Problems


@dataclass(frozen=True)
class Snapshot:
    """The config files as read at one moment: what the loader will use, byte for byte."""

    files: tuple[str, ...] = ()
    contents: dict[str, bytes] = field(default_factory=dict)  # files that could be read
    file_digests: dict[str, bytes] = field(default_factory=dict)  # content_digest of each of them
    digest: str = ""
    signature: tuple[Any, ...] = ()  # cheap stat-based signature of the same files

    def without_contents(self) -> Snapshot:
        """The same snapshot holding digests only: what is kept once the files are loaded."""
        return replace(self, contents={})


def _stat_signature(files: list[str]) -> tuple[Any, ...]:
    sig: list[tuple[Any, ...]] = []
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


def stat_signature(paths: list[str]) -> tuple[Any, ...]:
    return _stat_signature(list_files(paths))


def take_snapshot(paths: list[str]) -> Snapshot:
    """List, read (with the loader's own size limit) and hash the config files."""
    files = list_files(paths)
    contents: dict[str, bytes] = {}
    file_digests: dict[str, bytes] = {}
    digest = content_hasher()
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

