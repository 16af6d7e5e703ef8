"""Command line: `dealmon [PATH ...]` (the monitor) and `dealmon check [PATH ...]`.

A thin shell over the core: it parses arguments, loads, evaluates and prints. Textual is
imported only when the monitor runs, so `check` and `--help` stay fast.
"""
from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from typing import Any

from . import __version__, checkcache
from .core.clock import today, zone_name
from .core.evaluate import evaluate
from .core.loader import default_paths, load
from .core.report import errors_json, text_report, to_json
from .watch.snapshot import take_snapshot


def _as_of(text: str) -> date:
    try:
        if len(text) != 10:
            raise ValueError
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date YYYY-MM-DD, found {text!r}") from None


def _days(text: str) -> int:
    if not text.isdigit():
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
    p.add_argument("--format", choices=("text", "json"), default="text")
    return p


def _monitor_parser() -> argparse.ArgumentParser:
    p = _parser("dealmon", "Terminal monitor for compute-capacity deals. `dealmon check --help` for "
                "the headless check.")
    p.add_argument("--as-of", type=_as_of, metavar="DATE", help="show the portfolio as of this date")
    p.add_argument("--version", action="version", version=f"dealmon {__version__}")
    return p


def run_check(args: argparse.Namespace) -> int:
    paths, bundled = (args.paths, False) if args.paths else default_paths()
    directory = checkcache.cache_dir()
    if directory is None:
        return _emit(_check(args, paths, bundled, None))
    snapshot = take_snapshot(paths)  # read once: hashed for the key, and what a miss loads
    options = {"paths": paths, "bundled": bundled, "as_of": str(args.as_of), "within": args.within,
               "format": args.format}
    entry_key = checkcache.key(snapshot.digest, options)
    entry = checkcache.lookup(directory, entry_key)
    if entry is None:
        entry = _check(args, paths, bundled, snapshot.contents)
        checkcache.store(directory, entry_key, entry)
    return _emit(entry)


def _emit(entry: dict[str, Any]) -> int:
    sys.stdout.write(entry["stdout"])
    sys.stderr.write(entry["stderr"])
    return int(entry["exit"])


def _check(args: argparse.Namespace, paths: list[str], bundled: bool,
           contents: dict[str, bytes] | None) -> dict[str, Any]:
    """Load, evaluate and render; returns the outputs and exit code (what the cache keeps)."""
    result = load(paths, contents)
    label = "bundled example" if bundled else result.label
    portfolio = result.portfolio
    if portfolio is None:
        zone = zone_name(None)
        stderr = "".join(f"{problem}\n" for problem in result.errors)
        stdout = (json.dumps(errors_json(result.errors), ensure_ascii=True, separators=(",", ":")) + "\n"
                  if args.format == "json" else "")
        return {"exit": 2, "stdout": stdout, "stderr": stderr, "zone": zone, "today": today(zone).isoformat()}
    zone = zone_name(portfolio.settings.timezone)
    now = today(zone)
    as_of = args.as_of or now
    ev = evaluate(portfolio, as_of)
    warnings = result.warnings + ev.warnings
    within = portfolio.settings.critical_days if args.within is None else args.within
    if args.format == "json":
        stdout = json.dumps(to_json(ev, zone, warnings), ensure_ascii=True, separators=(",", ":")) + "\n"
    else:
        stdout = text_report(ev, zone, label, as_of == now, within, warnings)
    code = 1 if any(e.days_left <= within for e in ev.events) else 0
    return {"exit": code, "stdout": stdout, "stderr": "", "zone": zone, "today": now.isoformat()}


def run_monitor(args: argparse.Namespace) -> int:
    # Textual only for the monitor: `check` (cron, CI) and `--help` start without it.
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
