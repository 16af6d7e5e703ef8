"""`dealmon check`: validate and evaluate without a UI; print a report; exit 0, 1 or 2.

Answers from `checkcache` when the files, options and day are unchanged."""
from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from . import checkcache
from .core import scenarios
from .core.clock import today, tz_problem, zone_name
from .core.evaluate import evaluate
from .core.loader import default_paths, load
from .core.model import Portfolio
from .core.problems import Problem
from .core.report import errors_json, raw_message, text_report, to_json
from .core.text import visible
from .watch.snapshot import take_snapshot


def run_check(args: argparse.Namespace) -> int:
    paths, bundled = (args.paths, False) if args.paths else default_paths()
    directory = checkcache.cache_dir()
    if directory is None:
        return _emit(_check(args, paths, bundled, None))
    snapshot = take_snapshot(paths)  # read once: hashed for the key, and what a miss loads
    options = {"paths": paths, "bundled": bundled, "as_of": str(args.as_of), "within": args.within,
               "format": args.format, "assume": args.assume}
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


def zone_warnings(portfolio: Portfolio, files: list[str]) -> list[Problem]:
    """A `$TZ` that names no zone, where the files name none either: today is taken in UTC."""
    problem = tz_problem() if portfolio.settings.timezone is None else None
    if problem is None:
        return []
    where = portfolio.settings_loc.path if portfolio.settings_loc else (files[0] if files else "config")
    return [Problem(where, 1, 1, problem)]


def _check(args: argparse.Namespace, paths: list[str], bundled: bool,
           contents: dict[str, bytes] | None) -> dict[str, Any]:
    """Load, evaluate and render; returns the outputs and exit code (what the cache keeps)."""
    result = load(paths, contents)
    label = "bundled example" if bundled else result.label
    portfolio = result.portfolio
    if portfolio is None:
        return _invalid(args, [raw_message(problem) for problem in result.errors])
    assumptions = []
    try:
        assumptions = [scenarios.parse(text) for text in args.assume]
        portfolio = scenarios.apply(portfolio, assumptions)
    except scenarios.Refused as refused:
        return _invalid(args, [f"--assume {refused}"])
    zone = zone_name(portfolio.settings.timezone)
    now = today(zone)
    as_of = args.as_of or now
    ev = evaluate(portfolio, as_of, carry=False)  # one date: nothing to keep for another
    warnings = result.warnings + ev.warnings + zone_warnings(portfolio, result.files or paths)
    within = portfolio.settings.critical_days if args.within is None else args.within
    assumed = scenarios.normalised(portfolio, assumptions)
    if args.format == "json":
        report = to_json(ev, zone, warnings, portfolio.facilities, assumed)
        stdout = json.dumps(report, ensure_ascii=True, separators=(",", ":")) + "\n"
    else:
        stdout = text_report(ev, zone, label, as_of == now, within, warnings, portfolio.providers, assumed)
    code = 1 if any(e.days_left <= within for e in ev.events) else 0
    return {"exit": code, "stdout": stdout, "stderr": "", "zone": zone, "today": now.isoformat()}


def _invalid(args: argparse.Namespace, messages: list[str]) -> dict[str, Any]:
    """Exit 2: every message on stderr, made visible (and, with JSON, raw in `errors` on stdout)."""
    zone = zone_name(None)
    stdout = (json.dumps(errors_json(messages), ensure_ascii=True, separators=(",", ":")) + "\n"
              if args.format == "json" else "")
    stderr = "".join(f"{visible(m)}\n" for m in messages)
    return {"exit": 2, "stdout": stdout, "stderr": stderr, "zone": zone, "today": today(zone).isoformat()}
