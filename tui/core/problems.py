"""Errors and warnings with a position: every message is one line `PATH:LINE:COL: message`."""
from __future__ import annotations

from dataclasses import dataclass

from .text import visible


@dataclass(frozen=True, slots=True)
class Problem:
    path: str
    line: int  # 1-based
    col: int  # 1-based
    message: str

    def __str__(self) -> str:
        # The message may quote user text; the path may hold odd bytes too.
        return visible(f"{self.path}:{self.line}:{self.col}: {self.message}")


class Problems:
    """Collects errors and warnings of one load; nothing is raised past it."""

    def __init__(self) -> None:
        self.errors: list[Problem] = []
        self.warnings: list[Problem] = []

    def error(self, path: str, line: int, col: int, message: str) -> None:
        self.errors.append(Problem(path, line, col, message))

    def warn(self, path: str, line: int, col: int, message: str) -> None:
        self.warnings.append(Problem(path, line, col, message))
