"""Lint and types are part of the suite: ruff over everything, mypy over the package (strict on
the domain core, see pyproject.toml)."""
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *command], cwd=ROOT, capture_output=True, text=True)


def test_ruff_passes():
    proc = run("ruff", "check", "tui", "tests", "bench", ".ci")
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_mypy_passes_strict_on_the_core():
    proc = run("mypy")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Success: no issues found" in proc.stdout
