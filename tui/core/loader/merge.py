"""Merging the files' units into one portfolio, in reading order: the first definition of an
id and the first settings count (a second is an error naming both places), then every
reference must resolve."""
from __future__ import annotations

from ..model import Loc, Portfolio, Settings
from ..problems import Problems
from .fields import Ref, did_you_mean
from .units import KINDS, FileUnit


def merge(units: dict[str, FileUnit], settings: Settings, problems: Problems) -> Portfolio:
    """The portfolio from the files in reading order: the first definition of an id and the
    first settings count, then every reference must resolve."""
    portfolio = Portfolio(settings)
    defined: dict[str, dict[str, tuple[str, int, int]]] = {kind: {} for kind in KINDS}
    refs: list[tuple[str, Ref]] = []
    for path, unit in units.items():
        problems.errors.extend(unit.errors)
        problems.warnings.extend(unit.warnings)
        section = unit.section
        if section is not None:
            if portfolio.settings_loc is None:
                portfolio.settings_loc = Loc(path, section.line, section.col)
                problems.errors.extend(section.errors)
                problems.warnings.extend(section.warnings)
            else:
                problems.error(path, section.line, section.col,
                               f"settings may appear in one file only; already given at {portfolio.settings_loc}")
        for d in unit.definitions:
            first = defined[d.kind].get(d.ident)
            if first is not None:
                problems.error(path, d.line, d.col,
                               f"{_singular(d.kind)} id '{d.ident}' is defined twice; "
                               f"first at {first[0]}:{first[1]}:{first[2]}")
                continue
            defined[d.kind][d.ident] = (path, d.line, d.col)
            problems.errors.extend(d.errors)
            problems.warnings.extend(d.warnings)
            refs.extend((path, ref) for ref in d.refs)
            if d.entity is not None:
                getattr(portfolio, d.kind)[d.ident] = d.entity
    portfolio.deals = dict(sorted(portfolio.deals.items()))
    for path, (kind, ident, line, col) in refs:
        if ident not in defined[kind]:
            problems.error(path, line, col, f"unknown {_singular(kind)} '{ident}'{did_you_mean(ident, defined[kind])}")
    return portfolio


def _singular(kind: str) -> str:
    return "facility" if kind == "facilities" else kind[:-1]


