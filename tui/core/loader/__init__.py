"""Turn YAML files into a `Portfolio`, reporting every problem as `PATH:LINE:COL: message`.

Nothing raises past `load()`: malformed YAML, wrong shapes, bad values, limits and dangling
references all become `Problem`s, and the load is valid only when there are no errors.

The loader is split by job:
- `files`: reading a file's bytes and text safely (size limit, UTF-8, BOM);
- `fields`: the field grammar, one table per entity (key -> parser, required);
- `entities`: the entity readers and the checks that span fields;
- `units`: what one file contributes (`FileUnit`), reused while its bytes are unchanged;
- `incremental`: re-reading a large file entity by entity after an in-place edit;
- `merge`: the files' units into one portfolio (duplicates, settings, references).

The package imports only what reads files (`read_bytes`, `config_files`); the rest (`load`,
`LoadCache`, ...) is imported on first use: a start that shows a reopen screen needs none of
it before its first frame (bench/README.md, "start-up").
"""
from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from ..locations import BUNDLED_DIR, config_files, default_paths
from .files import MAX_FILE_BYTES, read_bytes, read_text

if TYPE_CHECKING:
    from .pipeline import LoadResult, load
    from .units import KINDS, TOP_LEVEL, LoadCache

__all__ = ["BUNDLED_DIR", "KINDS", "MAX_FILE_BYTES", "TOP_LEVEL", "LoadCache", "LoadResult", "config_files",
           "default_paths", "load", "read_bytes", "read_text"]

_LATER = {"load": "pipeline", "LoadResult": "pipeline", "KINDS": "units", "TOP_LEVEL": "units",
          "LoadCache": "units"}


def __getattr__(name: str) -> Any:
    if name in _LATER:
        return getattr(importlib.import_module(f"{__name__}.{_LATER[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
