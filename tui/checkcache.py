"""A cache for `dealmon check` on unchanged files: the same files, options and day give the
same output, so it is printed without parsing anything.

Kept in the user's own cache directory ($XDG_CACHE_HOME/dealmon or ~/.cache/dealmon), created
0700; never used when that directory is not the user's own or is writable by others. Entries
are JSON (never pickles), keyed by a hash of the dealmon version and code, the options, the
local time zone and every file's path and content; each entry also records the zone and the day it was
made for, and counts only on that same day. `DEALMON_NO_CACHE=1` turns it off.
"""
from __future__ import annotations

import contextlib
import functools
import json
import os
import stat
import tempfile
from collections.abc import Callable, Mapping
from typing import IO, Any

from . import __version__
from .core.clock import local_zone_name, today, valid_zone
from .core.files import Refused, read_file
from .core.hashing import content_hasher

MAX_ENTRIES = 64
MAX_ENTRY_BYTES = 64 * 1024 * 1024
ENTRY_KEYS = frozenset({"exit", "stdout", "stderr", "zone", "today"})


def cache_dir(environ: Mapping[str, str] | None = None) -> str | None:
    environ = os.environ if environ is None else environ
    if environ.get("DEALMON_NO_CACHE"):
        return None
    base = environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return private_dir(os.path.join(base, "dealmon"))


def private_cache_dir(name: str, environ: Mapping[str, str] | None = None) -> str | None:
    """The folder `name` of the user's cache (a store's), created 0700; None when caching is
    off or it is not safe (see `private_dir`)."""
    base = cache_dir(environ)
    return private_dir(os.path.join(base, name)) if base is not None else None


def private_dir(path: str) -> str | None:
    """`path`, created 0700 if missing; None when it cannot be made, is not a directory, is not
    the user's own, or others could write in it (and plant entries): then do without."""
    try:
        os.makedirs(path, mode=0o700, exist_ok=True)
        st = os.lstat(path)
    except OSError:
        return None
    if not stat.S_ISDIR(st.st_mode) or st.st_uid != os.getuid() or st.st_mode & 0o022:
        return None
    return path


def write_entry(directory: str, name: str, write: Callable[[IO[str]], None], max_entries: int) -> None:
    """Write the entry `name` in `directory` whole or not at all (a private temporary file,
    0600, renamed into place), then remove the oldest entries beyond `max_entries`. A cache
    that cannot be written is no cache, not an error."""
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(dir=directory, prefix=".tmp-", suffix=".part")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            write(fh)
        os.replace(tmp, os.path.join(directory, name))
        tmp = None
        entries = sorted((e for e in os.scandir(directory) if e.name.endswith(".json")),
                         key=lambda e: e.stat().st_mtime)
        for old in entries[:-max_entries]:
            os.unlink(old.path)
    except (OSError, TypeError, ValueError):
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


@functools.cache
def code_fingerprint() -> tuple[tuple[Any, ...], ...]:
    """The code that makes the output (stat of every module of the package, subpackages
    included): an edited or upgraded dealmon is a new key. Taken once per process (it stats
    every module, and the reopen screen asks at each copy): a process keeps its key."""
    here = os.path.dirname(os.path.abspath(__file__))
    out: list[tuple[Any, ...]] = []
    for folder, dirs, names in sorted(os.walk(here)):
        dirs.sort()
        for name in sorted(names):
            if name.endswith(".py"):
                st = os.stat(os.path.join(folder, name))
                out.append((os.path.relpath(os.path.join(folder, name), here), st.st_size, st.st_mtime_ns))
    return tuple(out)


def key(files_digest: str, options: dict[str, Any]) -> str:
    """`files_digest`: the watcher's snapshot digest (every file's path and content)."""
    hasher = content_hasher()
    hasher.update(json.dumps(
        {"version": __version__, "code": code_fingerprint(), "options": options, "files": files_digest,
         "zone": local_zone_name(), "tz": os.environ.get("TZ", "")}, sort_keys=True).encode())
    return str(hasher.hexdigest())


def lookup(directory: str, entry_key: str) -> dict[str, Any] | None:
    """The entry for `entry_key` when it is sound and made today; anything else is a miss."""
    try:
        entry = json.loads(read_file(os.path.join(directory, entry_key + ".json"), MAX_ENTRY_BYTES))
    except (Refused, ValueError):
        return None
    if not _sound(entry):
        return None
    zone = valid_zone(entry["zone"])
    if zone is None or entry["today"] != today(zone).isoformat():
        return None
    return dict(entry)


def _sound(entry: Any) -> bool:
    """Whether `entry` has exactly the shape `store` writes (a forged or truncated one does not)."""
    return (isinstance(entry, dict) and set(entry) == ENTRY_KEYS
            and isinstance(entry["exit"], int) and not isinstance(entry["exit"], bool) and entry["exit"] in (0, 1, 2)
            and all(isinstance(entry[k], str) for k in ("stdout", "stderr", "zone", "today")))


def store(directory: str, entry_key: str, entry: dict[str, Any]) -> None:
    write_entry(directory, entry_key + ".json", lambda fh: json.dump(entry, fh), MAX_ENTRIES)
