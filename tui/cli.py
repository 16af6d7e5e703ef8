"""Command line: `dealmon [PATH ...]` (the monitor) and `dealmon check [PATH ...]`.

A thin shell: it parses the arguments and runs the command (`check.py` or the monitor's
`app.py`), each importing only what it needs, so `check` and `--help` stay fast.
"""
from __future__ import annotations

import argparse
import re
import sys
from datetime import date

from . import __version__
from .core.values import date_from_text


def _as_of(text: str) -> date:
    try:
        return date_from_text(text)
    except ValueError as exc:
        detail = f" ({exc})" if str(exc) else ""
        raise argparse.ArgumentTypeError(f"expected a date YYYY-MM-DD, found {text!r}{detail}") from None


def _days(text: str) -> int:
    if not re.fullmatch("[0-9]{1,9}", text):  # ASCII digits only (int() would take '２')
        raise argparse.ArgumentTypeError(f"expected a whole number of days >= 0, found {text!r}")
    return int(text)


def _parser(prog: str, description: str) -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog=prog, description=description)
    p.add_argument("paths", nargs="*", metavar="PATH", help="YAML files or directories (default: "
                   "$DEALMON_CONFIG, else ./config, else the bundled example)")
    return p


def _check_parser() -> argparse.ArgumentParser:
    p = _parser("dealmon check", "Validate and evaluate deal files without a UI. Exit 0: valid and no "
                "event within DAYS; 1: valid, some event within DAYS; 2: invalid.")
    p.add_argument("--as-of", type=_as_of, metavar="DATE", help="evaluate as of this date (default: today)")
    p.add_argument("--within", type=_days, metavar="DAYS",
                   help="exit 1 when an event is this many days away or fewer (default: critical_days)")
    p.add_argument("--assume", action="append", default=[], metavar="A",
                   help="what if: notice:DEAL:DATE[:PARTY] (a notice served on DATE; PARTY defaults to "
                        "settings.side) or source:SOURCE (SOURCE's claims are right); repeatable, applied in order")
    p.add_argument("--format", choices=("text", "json"), default="text")
    return p


def _monitor_parser() -> argparse.ArgumentParser:
    p = _parser("dealmon", "Terminal monitor for compute-capacity deals. `dealmon check --help` for "
                "the headless check.")
    p.add_argument("--as-of", type=_as_of, metavar="DATE", help="show the portfolio as of this date")
    p.add_argument("--version", action="version", version=f"dealmon {__version__}")
    return p


# Each command imports only what it needs: `check` (cron, CI) starts without Textual, and the
# monitor without the check's reports and cache.

def run_check(args: argparse.Namespace) -> int:
    from .check import run_check

    return run_check(args)


def run_monitor(args: argparse.Namespace) -> int:
    from .app import run_app

    return run_app(args.paths, args.as_of)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    try:
        if argv and argv[0] == "check":
            return run_check(_check_parser().parse_args(argv[1:]))
        return run_monitor(_monitor_parser().parse_args(argv))
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # never a traceback: one line, and a failing exit code
        print(f"dealmon: internal error: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
