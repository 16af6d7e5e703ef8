"""The reopen cache: what a load made of each file (`FileUnit`), kept on disk, so that the
monitor started again on unchanged files reads them back instead of parsing them.

Same rules as `dealmon check`'s cache (`checkcache`): the user's own cache directory
(`$XDG_CACHE_HOME/dealmon/units`), created 0700 and never used when it is not the user's own
or others can write it; JSON (never pickle: `core/loader/codec`); one entry per file, keyed by
a hash of the format, the dealmon version and code, the file's path and its content hash;
any doubt is a miss and the file is parsed. `DEALMON_NO_CACHE=1` turns it off. The effective
settings are not in the key: a unit records the settings it was read with, and the loader
reads a file again when they differ (as for a unit kept in memory).
"""
from __future__ import annotations

import io
import json
import os
from collections.abc import Mapping
from functools import cache
from typing import IO, TYPE_CHECKING

from . import __version__
from .checkcache import code_fingerprint, private_cache_dir, write_entry
from .core.files import Refused, read_file
from .core.hashing import content_hasher
from .core.loader import MAX_FILE_BYTES
from .core.perf import without_gc

if TYPE_CHECKING:
    from types import ModuleType

    from .core.loader import LoadCache
    from .core.loader.units import FileUnit

MAX_ENTRIES = 1024  # files; the oldest are removed beyond
MAX_ENTRY_BYTES = 4 * MAX_FILE_BYTES  # a unit's JSON is ~1.3x its file's YAML
# A smaller file is parsed as fast as its entry is read: the store is not used for it (and a
# monitor on a few small files never loads the codec: bench/README.md, "start-up").
STORE_MIN_BYTES = 32 * 1024


@cache
def _codec() -> ModuleType:
    """The codec, imported at the first use of the store (the start-up seam)."""
    from .core.loader import codec

    return codec


@cache
def _code_key() -> str:
    """The format, version and code (once per process)."""
    return json.dumps([_codec().FORMAT, __version__, code_fingerprint()])


class UnitStore:
    """File units on disk, one JSON file each (see the module docstring)."""

    def __init__(self, directory: str) -> None:
        self.directory = directory

    @classmethod
    def open(cls, environ: Mapping[str, str] | None = None) -> UnitStore | None:
        """The user's store; None when caching is off or the directory is not safe."""
        path = private_cache_dir("units", environ)
        return cls(path) if path is not None else None

    @staticmethod
    def _entry_name(path: str, digest: bytes) -> str:
        hasher = content_hasher()
        hasher.update(json.dumps([_code_key(), path, digest.hex()]).encode("utf-8", "surrogateescape"))
        return str(hasher.hexdigest()) + ".json"

    def fetch(self, path: str, digest: bytes) -> FileUnit | None:
        """The unit of file `path` with content hash `digest`, when stored and sound."""
        try:
            lines = io.BytesIO(read_file(os.path.join(self.directory, self._entry_name(path, digest)), MAX_ENTRY_BYTES))
            head = json.loads(next(lines))
        except (Refused, ValueError, RecursionError, StopIteration):
            return None
        if head != {"path": path}:
            return None
        codec = _codec()
        try:
            unit = codec.decode_unit(lines)
        except codec.Undecodable:
            return None
        return unit if unit.digest == digest else None

    def keep(self, path: str, unit: FileUnit) -> None:
        """Store `unit` as file `path`'s; a store that cannot be written is no store, not an error.

        An entry is JSON lines: `{"path": ...}`, then the unit (see `codec.encode_unit`)."""
        def write(fh: IO[str]) -> None:
            fh.write(json.dumps({"path": path}) + "\n")
            for line in _codec().encode_unit(unit):
                fh.write(line + "\n")
        write_entry(self.directory, self._entry_name(path, unit.digest), write, MAX_ENTRIES)


@without_gc
def fill_from_store(store: UnitStore, cache: LoadCache, digests: dict[str, bytes],
                    sizes: dict[str, int]) -> list[str]:
    """Put into `cache` the stored units of the files in `digests` (of at least
    STORE_MIN_BYTES: `sizes`) it does not hold as they are now; returns the paths found."""
    found = {}
    for path, digest in digests.items():
        if sizes.get(path, 0) < STORE_MIN_BYTES:
            continue
        held = cache.units.get(path)
        if held is not None and held.digest == digest:
            continue
        unit = store.fetch(path, digest)
        if unit is not None:
            found[path] = unit
    if found:
        cache.units = {**cache.units, **found}  # replaced whole: see LoadCache
    return list(found)


@without_gc
def keep_in_store(store: UnitStore, units: dict[str, FileUnit], paths: list[str]) -> None:
    """Store the units of `paths` (the files a load read anew) of at least STORE_MIN_BYTES."""
    for path in paths:
        unit = units.get(path)
        try:
            large = os.stat(path).st_size >= STORE_MIN_BYTES
        except OSError:
            continue
        if unit is not None and large:
            store.keep(path, unit)
