"""Command line: `dealmon [PATH ...]` (the monitor), `dealmon check [PATH ...]`, `dealmon ics
[PATH ...]` (a calendar of the events) and `dealmon schema` (the files' JSON Schema).

A thin shell: it parses the arguments and runs the command (`check.py` or the monitor's
`app.py`), each importing only what it needs, so `check` and `--help` stay fast.
"""
from __future__ import annotations

import argparse
import os
import re
import sys
from datetime import date

from . import __version__


def _as_of(text: str) -> date:
    from .core.values import date_from_text  # (the monitor's start imports it only for --as-of)

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
    _as_of_argument(p, "evaluate as of this date (default: today)")
    p.add_argument("--within", type=_days, metavar="DAYS",
                   help="exit 1 when an event is this many days away or fewer (default: critical_days); "
                        "markdown and github list the events within it (default there: warn_days)")
    _assume_argument(p)
    p.add_argument("--format", choices=("text", "json", "markdown", "github"), default="text",
                   help="text: a compact report; json: SPEC §3's object; markdown: a digest for a chat or "
                        "an e-mail; github: GitHub Actions annotations")
    p.add_argument("--quiet", action="store_true", help="print nothing when the exit code is 0 (for cron)")
    p.add_argument("--fail-on", choices=("events", "errors"), default="events",
                   help="events (default): exit 1 when an event is within DAYS; errors: exit 0 then too, "
                        "failing only on invalid files (2), e.g. in a pre-commit hook")
    return p


def _ics_parser() -> argparse.ArgumentParser:
    p = _parser("dealmon ics", "The events as an iCalendar file (RFC 5545) for a calendar to import or "
                "subscribe to: all-day events with stable UIDs, alarms warn_days and critical_days before.")
    _as_of_argument(p, "the events as of this date (default: today)")
    _assume_argument(p)
    p.add_argument("-o", "--output", metavar="FILE", help="write the calendar here (atomically) instead of stdout")
    return p


def _as_of_argument(p: argparse.ArgumentParser, what: str) -> None:
    p.add_argument("--as-of", type=_as_of, metavar="DATE", help=what)


def _assume_argument(p: argparse.ArgumentParser) -> None:
    p.add_argument("--assume", action="append", default=[], metavar="A",
                   help="what if: notice:DEAL:DATE[:PARTY] (a notice served on DATE; PARTY defaults to "
                        "settings.side) or source:SOURCE (SOURCE's claims are right); repeatable, applied in order")


def _monitor_parser() -> argparse.ArgumentParser:
    p = _parser("dealmon", "Terminal monitor for compute-capacity deals. `dealmon check --help` for "
                "the headless check, `dealmon ics --help` for a calendar of the deadlines, `dealmon schema` "
                "for the files' JSON Schema.")
    _as_of_argument(p, "show the portfolio as of this date")
    p.add_argument("--version", action="version", version=f"dealmon {__version__}")
    p.add_argument("--served", action="store_true", help=argparse.SUPPRESS)  # (run by `dealmon serve`)
    return p


def _port(text: str) -> int:
    if not re.fullmatch("[0-9]{1,5}", text) or not 0 < int(text) < 65536:
        raise argparse.ArgumentTypeError(f"expected a port 1-65535, found {text!r}")
    return int(text)


def _sessions(text: str) -> int:
    if not re.fullmatch("[0-9]{1,4}", text) or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a number of sessions >= 1, found {text!r}")
    return int(text)


def _serve_parser() -> argparse.ArgumentParser:
    from .serve import DEFAULT_MAX_SESSIONS

    p = _parser("dealmon serve", "The monitor in a browser (textual-serve): each tab gets its own monitor on "
                "the same files. Loopback only unless --public; there is no authentication.")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    p.add_argument("--port", type=_port, default=8000, help="port (default: 8000)")
    p.add_argument("--public", action="store_true",
                   help="allow an address other machines can reach (no authentication: prefer an SSH tunnel)")
    p.add_argument("--max-sessions", type=_sessions, default=DEFAULT_MAX_SESSIONS, metavar="N",
                   help=f"tabs served at once (default: {DEFAULT_MAX_SESSIONS}); the next gets a 'busy' page")
    _as_of_argument(p, "show the portfolio as of this date")
    return p


# Each command imports only what it needs: `check` (cron, CI) starts without Textual, and the
# monitor without the check's reports and cache.

def run_check(args: argparse.Namespace) -> int:
    from .check import run_check

    return run_check(args)


def run_ics(args: argparse.Namespace) -> int:
    from .check import run_ics

    return run_ics(args)


def run_schema(args: argparse.Namespace) -> int:
    from .core.loader.schema import schema_text

    sys.stdout.write(schema_text())
    return 0


def _schema_parser() -> argparse.ArgumentParser:
    return argparse.ArgumentParser(prog="dealmon schema", description="Print the JSON Schema (draft 2020-12) of "
                                   "the deal files, for editors (yaml-language-server, VS Code, Neovim).")


def run_monitor(args: argparse.Namespace) -> int:
    from .core.perf import pause_gc_for_start, resume_gc_after_start

    pause_gc_for_start()  # (the App resumes it after its first frame: bench/README.md, "start-up")
    try:
        from .app import run_app

        return run_app(args.paths, args.as_of, args.served)
    finally:
        resume_gc_after_start()


def run_serve(args: argparse.Namespace) -> int:
    from .serve import run_serve, serve_options

    return run_serve([os.path.abspath(p) for p in args.paths], **serve_options(args))


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    try:
        if argv and argv[0] == "check":
            return run_check(_check_parser().parse_args(argv[1:]))
        if argv and argv[0] == "ics":
            return run_ics(_ics_parser().parse_args(argv[1:]))
        if argv and argv[0] == "serve":
            return run_serve(_serve_parser().parse_args(argv[1:]))
        if argv and argv[0] == "schema":
            return run_schema(_schema_parser().parse_args(argv[1:]))
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
