"""Project hygiene: the README's two set-up commands, .ci/run running the second verbatim, and
the README's key table in step with the key bindings."""
import re
from pathlib import Path

from tui.app import DealmonApp
from tui.screens.main import MainScreen
from tui.widgets.virtual_table import VirtualTable

ROOT = Path(__file__).resolve().parent.parent


def readme() -> str:
    return (ROOT / "README.md").read_text(encoding="utf-8")


def setup_commands():
    section = readme().split("## Set-up", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.+?)\n```", section, re.S)


def test_readme_has_exactly_two_setup_commands():
    commands = setup_commands()
    assert len(commands) == 2
    assert all("\n" not in c for c in commands)
    assert commands[0].endswith("dealmon") and "pytest" in commands[1]


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert setup_commands()[1] in ci.splitlines()


KEY_NAMES = {"slash": "/", "question_mark": "?", "left_square_bracket": "[", "right_square_bracket": "]",
             "left_curly_bracket": "{", "right_curly_bracket": "}", "escape": "esc", "colon": ":"}


def test_readme_key_table_lists_every_binding():
    table = readme().split("| key | action |", 1)[1].split("\n\n", 1)[0]
    documented = set(re.findall(r"`([^`]+)`", "".join(line.split("|")[1] for line in table.splitlines()[2:])))
    bound = {KEY_NAMES.get(b.key, b.key) for b in [*DealmonApp.BINDINGS, *MainScreen.BINDINGS]}
    moving = {b.key for b in VirtualTable.BINDINGS}
    assert bound <= documented, bound - documented  # every key of dealmon's own is documented
    assert documented <= bound | moving | {"ctrl+p"}, documented - bound  # and nothing else
