"""`dealmon check --format github`: GitHub Actions workflow commands, one a line (SPEC §3), so
that a pull request shows each error and warning on its line of the deal files, and warns of
each event within the window on the deal it belongs to.

    ::error file=PATH,line=L,col=C::message
    ::warning file=PATH,line=L,col=C::message
    ::warning file=PATH,line=L,col=C,title=LABEL::deal (buyer ← provider) date (days left): asks

Escaped as GitHub's runner unescapes: `%`, CR and LF in the message; also `:` and `,` in the
properties. Control characters are made visible first (a log is read in a terminal too).
"""
from __future__ import annotations

from . import formatting as fmt
from .problems import Problem
from .report import Report
from .text import visible


def escape_data(text: str) -> str:
    return visible(text, one_line=False).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(kind: str, message: str, path: str | None = None, line: int | None = None, col: int | None = None,
            title: str | None = None) -> str:
    """One workflow command: `::kind props::message`."""
    props = []
    if path is not None:
        props.append(f"file={escape_property(path)}")
        if line is not None:
            props.append(f"line={line}")
        if col is not None:
            props.append(f"col={col}")
    if title is not None:
        props.append(f"title={escape_property(title)}")
    return f"::{kind} {','.join(props)}::{escape_data(message)}" if props else f"::{kind}::{escape_data(message)}"


def problem_commands(kind: str, problems: list[Problem]) -> list[str]:
    return [command(kind, p.message, p.path, p.line, p.col) for p in problems]


def github_annotations(r: Report) -> str:
    """The warnings and the events within the window, as workflow commands."""
    out = problem_commands("warning", r.warnings)
    for e in r.due:
        deal = r.state(e).deal
        loc = deal.loc
        message = (f"{e.deal} ({r.parties(deal)}) {fmt.day(e.date)} ({fmt.days(e.days_left)}, {e.level.label}): "
                   f"{r.asks(e)}")
        out.append(command("warning", message, loc.path if loc else None, loc.line if loc else None,
                           loc.col if loc else None, title=e.kind.label))
    return "".join(line + "\n" for line in out)
