"""Where the config comes from: the default chain when no path is given (SPEC §1), and which
files a path stands for. Light on purpose (no YAML): the app sizes up a load with it on the UI
thread before deciding where to run it."""
from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from .problems import Problems

BUNDLED_DIR = Path(__file__).resolve().parent.parent / "example"
_IGNORED_SUFFIXES = ("~", ".swp", ".tmp")


def default_paths(environ: Mapping[str, str] | None = None, cwd: str | None = None) -> tuple[list[str], bool]:
    """$DEALMON_CONFIG, else ./config if it exists, else the bundled example (second: bundled?)."""
    environ = os.environ if environ is None else environ
    if environ.get("DEALMON_CONFIG"):
        return [environ["DEALMON_CONFIG"]], False
    local = os.path.join(cwd, "config") if cwd else "config"
    if os.path.isdir(local):
        return [local], False
    return [str(BUNDLED_DIR)], True


def _ignored(name: str) -> bool:
    return name.startswith((".", "#")) or name.endswith(_IGNORED_SUFFIXES)


def config_files(paths: list[str], problems: Problems) -> list[str]:
    """Expand directories (their *.yaml/*.yml entries, name order); each real file once.

    Whatever stands in a directory under a config file's name is listed (a subdirectory
    aside): a FIFO, a socket, a device, a dangling symlink or a symlink loop is then refused by
    the reader (never skipped in silence, never opened in a way that blocks)."""
    seen: set[str] = set()
    files: list[str] = []

    def take(display: str) -> None:
        real = os.path.realpath(display)
        if real not in seen:
            seen.add(real)
            files.append(display)

    for path in paths:
        if os.path.isdir(path):
            try:
                names = sorted(os.listdir(path))
            except OSError as exc:
                problems.error(path, 1, 1, f"cannot read directory: {exc.strerror}")
                continue
            for name in names:
                full = os.path.join(path, name)
                # A subdirectory is not a config file, whatever its name; anything else is.
                if name.endswith((".yaml", ".yml")) and not _ignored(name) and not os.path.isdir(full):
                    take(full)
        elif os.path.lexists(path):
            take(path)
        else:
            problems.error(path, 1, 1, "no such file or directory")
    return files
