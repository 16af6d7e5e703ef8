"""Reading config files: bytes within the size limit, then UTF-8 text (a BOM is fine).

Every read of a config file goes through `read_bytes` (and so `core.files.read_file`): the
loader, the watcher's snapshot and `dealmon check`'s cache key all see the same bytes and the
same refusals."""
from __future__ import annotations

from ..files import Refused, read_file
from ..problems import Problems

MAX_FILE_BYTES = 64 * 1024 * 1024


def read_bytes(path: str, problems: Problems) -> bytes | None:
    """The file's bytes (`core.files.read_file`), or None after reporting why it could not be
    read, at `PATH:1:1`."""
    try:
        return read_file(path, MAX_FILE_BYTES)
    except Refused as exc:
        problems.error(path, 1, 1, str(exc))
        return None


def read_text(path: str, problems: Problems, data: bytes | None = None) -> str | None:
    """Read one file as UTF-8 (a BOM is fine); None after reporting why it could not be read.

    `data`, when given, is the file's content as already read (the watcher reads each file
    until two reads agree, and the load must use exactly those bytes)."""
    if data is None:
        data = read_bytes(path, problems)
        if data is None:
            return None
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        col = len(before[before.rfind(b"\n") + 1:].decode("utf-8", "replace")) + 1
        problems.error(path, line, col, f"file is not UTF-8 text (byte 0x{data[exc.start]:02x})")
        return None
