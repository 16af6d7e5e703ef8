"""The one way dealmon opens a file: the loader, the watcher's snapshot, `dealmon check`'s cache
and the local time zone all read through `read_file`.

It never blocks and never reads what is not a regular file: the path is looked at first
(`lstat`, a symlink followed to its target), then opened with `O_NONBLOCK` (a FIFO swapped in
meanwhile cannot stall the open) and checked again on the open descriptor (`fstat`) before a
byte is read. A FIFO, socket or device, a dangling symlink and a symlink loop are refused with
a message saying what the path is.
"""
from __future__ import annotations

import errno
import os
import stat

_KINDS = ((stat.S_ISDIR, "a directory"), (stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISSOCK, "a socket"),
          (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"))
_OPEN_FLAGS = (os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOCTTY", 0)
               | getattr(os, "O_BINARY", 0))  # (O_NONBLOCK and O_NOCTTY: POSIX; O_BINARY: Windows)


class Refused(Exception):
    """A file that cannot be read, with the one-line reason (`str(exc)`)."""


def _kind(mode: int) -> str:
    for test, name in _KINDS:
        if test(mode):
            return name
    return "not a regular file"


def not_regular(path: str) -> str | None:
    """Why `path` is not a readable regular file (without opening it), or None."""
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return "no such file or directory"
    except OSError as exc:
        return f"cannot read file: {exc.strerror or exc}"
    if stat.S_ISLNK(st.st_mode):
        try:
            st = os.stat(path)
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                return "symlink loop: the link leads back to itself"
            if exc.errno in (errno.ENOENT, errno.ENOTDIR):
                try:
                    target = os.readlink(path)
                except OSError:
                    target = "?"
                return f"dangling symlink: its target {target!r} does not exist"
            return f"cannot read file: {exc.strerror or exc}"
    if not stat.S_ISREG(st.st_mode):
        return f"not a regular file: it is {_kind(st.st_mode)}"
    return None


def read_file(path: str, limit: int) -> bytes:
    """The bytes of the regular file at `path` (at most `limit`).

    Raises:
        Refused: with the reason, for anything else (missing, not a regular file, unreadable,
            over `limit`).
    """
    reason = not_regular(path)
    if reason is not None:
        raise Refused(reason)
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except OSError as exc:
        raise Refused(f"cannot read file: {exc.strerror or exc}") from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):  # swapped for something else since the look
            raise Refused(f"not a regular file: it is {_kind(st.st_mode)}")
        if st.st_size > limit:
            raise Refused(f"file of {st.st_size:,} bytes is over the limit of {limit:,}")
        chunks, size = [], 0
        while size <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as exc:
        raise Refused(f"cannot read file: {exc.strerror or exc}") from None
    finally:
        os.close(fd)
    if size > limit:  # it grew between the look and the read
        raise Refused(f"file is over the limit of {limit:,} bytes")
    return b"".join(chunks)
