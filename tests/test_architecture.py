"""The domain core imports nothing from Textual (checked in a fresh interpreter)."""
import subprocess
import sys
from pathlib import Path

CORE = Path(__file__).resolve().parent.parent / "tui" / "core"


def test_core_does_not_import_textual():
    modules = [f"tui.core.{p.stem}" for p in sorted(CORE.glob("*.py")) if p.stem != "__init__"]
    code = "import sys\n" + "".join(f"import {m}\n" for m in modules) + \
        "bad = [m for m in sys.modules if m == 'textual' or m.startswith(('textual.', 'rich'))]\n" \
        "assert not bad, bad\n"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert len(modules) >= 8


def test_core_sources_never_mention_textual_imports():
    for path in CORE.glob("*.py"):
        for line in path.read_text(encoding="utf-8").splitlines():
            stripped = line.strip()
            assert not stripped.startswith(("import textual", "from textual", "import rich", "from rich")), path
