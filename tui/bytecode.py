"""dealmon's own bytecode, written when Python does not write it.

With PYTHONDONTWRITEBYTECODE set (common in containers and sandboxes), an editable install or
a source checkout never gets `.pyc` files, and every start compiles every module again: 50 ms
of the monitor's first frame (bench/README.md, "bytecode"). A wheel install has them (pip
compiles at install); for the other cases the monitor compiles its own package once, in a
thread after its first frame, as pip would have. Only this package, only missing or stale
files, never an error: a read-only install is left as it is.
"""
from __future__ import annotations

import sys
from pathlib import Path


def ensure_bytecode() -> bool:
    """Compile this package's missing or stale `.pyc` files; whether it tried."""
    if not sys.dont_write_bytecode:
        return False  # Python writes them itself, module by module, on import
    try:
        import compileall

        compileall.compile_dir(str(Path(__file__).parent), quiet=2)
    except Exception:  # (read-only, full disk, odd permissions: a speed-up, not a need)
        return False
    return True
