"""`dealmon check`: validate and evaluate without a UI; print a report; exit 0, 1 or 2.

Answers from `checkcache` when the files, options and day are unchanged."""
from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
import tempfile
from dataclasses import replace
from typing import Any

from . import checkcache
from .core import scenarios
from .core.calendar import calendar_bytes
from .core.clock import today, tz_problem, zone_name
from .core.evaluate import evaluate
from .core.github import command, github_annotations, problem_commands
from .core.loader import default_paths, load
from .core.markdown import markdown_digest
from .core.model import Portfolio
from .core.problems import Problem
from .core.report import Report, errors_json, json_text, raw_message, text_report
from .core.text import visible
from .watch.snapshot import take_snapshot


def run_check(args: argparse.Namespace) -> int:
    paths, bundled = (args.paths, False) if args.paths else default_paths()
    directory = checkcache.cache_dir()
    if directory is None:
        return _emit(_check(args, paths, bundled, None))
    snapshot = take_snapshot(paths)  # read once: hashed for the key, and what a miss loads
    options = {"paths": paths, "bundled": bundled, "as_of": str(args.as_of), "within": args.within,
               "format": args.format, "assume": args.assume, "quiet": args.quiet, "fail_on": args.fail_on}
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


def evaluated(args: argparse.Namespace, paths: list[str], bundled: bool, contents: dict[str, bytes] | None,
              fmt: str = "text") -> Report | dict[str, Any]:
    """Load, apply `args.assume` and evaluate on `args.as_of`: the report's inputs (its window:
    critical_days), or the outputs of an invalid load or a refused assumption (exit 2) in `fmt`."""
    result = load(paths, contents)
    label = "bundled example" if bundled else result.label
    portfolio = result.portfolio
    if portfolio is None:
        return _invalid(fmt, [raw_message(problem) for problem in result.errors], result.errors)
    assumptions = []
    try:
        assumptions = [scenarios.parse(text) for text in args.assume]
        portfolio = scenarios.apply(portfolio, assumptions)
    except scenarios.Refused as refused:
        return _invalid(fmt, [f"--assume {refused}"])
    zone = zone_name(portfolio.settings.timezone)
    now = today(zone)
    ev = evaluate(portfolio, args.as_of or now, carry=False)  # one date: nothing to keep for another
    warnings = result.warnings + ev.warnings + zone_warnings(portfolio, result.files or paths)
    return Report(ev, portfolio, zone, label, now, portfolio.settings.critical_days, warnings,
                  scenarios.normalised(portfolio, assumptions))


def _check(args: argparse.Namespace, paths: list[str], bundled: bool,
           contents: dict[str, bytes] | None) -> dict[str, Any]:
    """Load, evaluate and render; returns the outputs and exit code (what the cache keeps)."""
    report = evaluated(args, paths, bundled, contents, args.format)
    if not isinstance(report, Report):
        return report
    ev = report.ev
    if args.within is not None:
        report = replace(report, within=args.within)
    code = 1 if report.due and args.fail_on == "events" else 0
    if args.format == "json":
        stdout = json_text(ev, report.zone, report.warnings, report.portfolio.facilities, report.assumptions)
    else:
        if args.within is None and args.format != "text":
            # The digest and the annotations list what is coming within warn_days (SPEC §3);
            # the exit code stays about critical_days unless --within says otherwise.
            report = replace(report, within=ev.settings.warn_days)
        render = {"text": text_report, "markdown": markdown_digest, "github": github_annotations}[args.format]
        stdout = render(report)
    if args.quiet and code == 0:
        stdout = ""
    return {"exit": code, "stdout": stdout, "stderr": "", "zone": report.zone, "today": report.today.isoformat()}


def run_ics(args: argparse.Namespace) -> int:
    """`dealmon ics`: the events as an iCalendar file, on stdout or written to `-o FILE`
    (atomically: a calendar fetching it never reads half a file). Exit 0, or 2 as `check`."""
    paths, bundled = (args.paths, False) if args.paths else default_paths()
    report = evaluated(args, paths, bundled, None)
    if not isinstance(report, Report):
        return _emit(report)
    data = calendar_bytes(report)
    if args.output is None or args.output == "-":
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return 0
    target = os.path.abspath(args.output)
    fd, temp = tempfile.mkstemp(prefix=".dealmon-", suffix=".ics.tmp", dir=os.path.dirname(target))
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(temp, 0o644)  # (a calendar server or a colleague reads it)
        os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
    return 0


def _invalid(fmt: str, messages: list[str], problems: list[Problem] | None = None) -> dict[str, Any]:
    """Exit 2: every message on stderr, made visible; with JSON, raw in `errors` on stdout; with
    GitHub, an `::error` command each on stdout (at the file, line and column of `problems`)."""
    zone = zone_name(None)
    stdout = ""
    if fmt == "json":
        stdout = json.dumps(errors_json(messages), ensure_ascii=True, separators=(",", ":")) + "\n"
    elif fmt == "github":
        lines = problem_commands("error", problems) if problems else [command("error", m) for m in messages]
        stdout = "".join(line + "\n" for line in lines)
    stderr = "".join(f"{visible(m)}\n" for m in messages)
    return {"exit": 2, "stdout": stdout, "stderr": stderr, "zone": zone, "today": today(zone).isoformat()}
