"""Where the config comes from when no path is given (SPEC §1's default chain)."""
from __future__ import annotations

import os
from pathlib import Path

BUNDLED_DIR = Path(__file__).resolve().parent.parent / "example"


def default_paths(environ: dict[str, str] | None = None, cwd: str | None = None) -> tuple[list[str], bool]:
    """$DEALMON_CONFIG, else ./config if it exists, else the bundled example (second: bundled?)."""
    environ = os.environ if environ is None else environ
    if environ.get("DEALMON_CONFIG"):
        return [environ["DEALMON_CONFIG"]], False
    local = os.path.join(cwd, "config") if cwd else "config"
    if os.path.isdir(local):
        return [local], False
    return [str(BUNDLED_DIR)], True
