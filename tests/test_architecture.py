"""The layers' walls: the domain core imports nothing from Textual or Rich, the row models, the
loading job and the watcher import nothing from Textual, and screens, panes and widgets never
reach into the App (checked in fresh interpreters and in the sources)."""
import re
import subprocess
import sys
from pathlib import Path

TUI = Path(__file__).resolve().parent.parent / "tui"


def modules(folder: Path) -> list[str]:
    """Every module under `folder`, subpackages included, as dotted names."""
    root = TUI.parent
    return [".".join(p.relative_to(root).with_suffix("").parts).removesuffix(".__init__")
            for p in sorted(folder.rglob("*.py"))]


def imported_after(names: list[str]) -> list[str]:
    code = "import sys\n" + "".join(f"import {m}\n" for m in names) + \
        "print('\\n'.join(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich')))\n"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.split()


def test_core_does_not_import_textual_or_rich():
    names = modules(TUI / "core")
    assert "tui.core.loader.fields" in names and len(names) >= 20
    assert imported_after(names) == []


def test_rows_loading_and_watching_do_not_import_textual():
    names = modules(TUI / "rows") + modules(TUI / "watch") + ["tui.loading", "tui.cli", "tui.check"]
    assert [m for m in imported_after(names) if m.split(".")[0] == "textual"] == []


def test_core_sources_never_mention_textual_imports():
    for path in (TUI / "core").rglob("*.py"):
        for line in path.read_text(encoding="utf-8").splitlines():
            stripped = line.strip()
            assert not stripped.startswith(("import textual", "from textual", "import rich", "from rich")), path
            assert not re.match(r"from \.\.+(app|screens|panes|widgets|rows|loading|watch)\b", stripped), path


# What a screen, pane or widget may ask of the App: its public screen and action API only.
APP_API = {"push_screen", "pop_screen", "bell", "exit", "run_action", "notify", "console", "size", "get_key_display"}


def test_screens_panes_and_widgets_never_reach_into_the_app():
    for folder in ("screens", "panes", "widgets", "rows"):
        for path in (TUI / folder).rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            assert not re.search(r"from \.\.app import|import tui\.app|from tui\.app", text), path
            used = set(re.findall(r"self\.app\.([a-z_]+)", text))
            assert used <= APP_API, (path, used - APP_API)


def test_the_first_frame_imports_no_loader_evaluation_or_watcher():
    """A start that shows a reopen screen (tui/screenstore.py) draws its first frame before
    anything is loaded: the App's module must not pull in the loader, the evaluation, PyYAML or
    the inotify watcher (ctypes): each is time before the first frame (bench/README.md)."""
    code = ("import sys, tui.app, tui.cli\n"
            "print('\\n'.join(sorted(sys.modules)))\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    loaded = set(proc.stdout.split())
    assert "tui.screenstore" in loaded and "tui.core.loader.files" in loaded  # (it did import the App)
    heavy = {"tui.core.evaluate", "tui.core.model", "tui.core.values", "tui.core.loader.pipeline",
             "tui.core.loader.units", "tui.core.yamlnodes", "tui.core.changes", "tui.core.disputes",
             "tui.watch.watcher", "tui.watch.inotify", "ctypes", "yaml"}
    assert sorted(heavy & loaded) == []
