"""The field grammar: for each entity, which keys it takes, whether each is required, and the
parser that turns a YAML node into a value (with a positioned error when it cannot). Claims
dispute the same fields with the same parsers, and `dealmon schema` is made from these tables.
"""
from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any

from .. import values as v
from ..clock import valid_zone
from ..dates import Duration, calendar_codes
from ..model import CapacityLine, Loc, Notice, ServedNotice, Settings
from ..problems import Problems
from ..words import Effect, FacilityStatus, Parties, Party
from ..yamlnodes import Mapping, Node, Scalar, Sequence, describe

Ref = tuple[str, str, int, int]  # (kind, id, line, col) of a reference to check


class Context:
    """What reading one file needs: where problems go, the settings, the current path."""

    def __init__(self, problems: Problems, settings: Settings) -> None:
        self.problems = problems
        self.settings = settings
        self.path = ""
        # (kind, id, line, col) of every reference, checked once every file is read
        self.refs: list[Ref] = []
        # id(nested object) -> its field nodes, for checks that need positions later
        self.field_nodes: dict[int, dict[str, Node]] = {}

    def error(self, node: Node, message: str) -> None:
        self.problems.error(self.path, node.line, node.col, message)

    def warn(self, node: Node, message: str) -> None:
        self.problems.warn(self.path, node.line, node.col, message)

    def loc(self, node: Node) -> Loc:
        return Loc(self.path, node.line, node.col)


Parser = Callable[[Node, Context], Any]


def _ref(kind: str) -> Parser:
    def parse(node: Node, ctx: Context) -> str:
        ident = v.text(node)
        ctx.refs.append((kind, ident, node.line, node.col))
        return ident
    parse.refers_to = kind  # type: ignore[attr-defined]  # (for `dealmon schema`)
    return parse


def _text(node: Node, ctx: Context) -> str:
    return v.text(node)


def _date(node: Node, ctx: Context) -> date:
    return v.parse_date(node)


def _duration(node: Node, ctx: Context) -> Duration:
    return v.duration(node)


def _money(node: Node, ctx: Context) -> v.Money:
    return v.money(node, ctx.settings.currency)


def _rate(node: Node, ctx: Context) -> v.Rate:
    return v.rate(node, ctx.settings.currency)


def _positive_rate(node: Node, ctx: Context) -> v.Rate:
    r = v.rate(node, ctx.settings.currency)
    if r.per_year <= 0:
        raise v.Invalid(node, f"expected an amount over 0, found {describe(node)}")
    return r


def _power(node: Node, ctx: Context) -> Decimal:
    return v.non_negative_number(node)


def _accelerators(node: Node, ctx: Context) -> dict[str, int]:
    m = v.mapping(node, "a mapping of accelerator model to count")
    out: dict[str, int] = {}
    for name, (key, value) in m.items.items():
        if not name.strip():
            raise v.Invalid(key, "expected an accelerator model name, found an empty key")
        out[name] = v.count(value)
    return out


def _choice(words: type[StrEnum]) -> Parser:
    """One of an enum's identifiers (case-insensitive), as the enum member."""
    choices = tuple(w.value for w in words)

    def parse(node: Node, ctx: Context) -> StrEnum:
        return words(v.choice(node, choices))
    parse.choices = choices  # type: ignore[attr-defined]  # (for `dealmon schema`)
    return parse


def _calendar(node: Node, ctx: Context) -> str:
    code = v.text(node).strip().upper()
    if code not in calendar_codes():
        hint = difflib.get_close_matches(code, sorted(calendar_codes()), n=1)
        raise v.Invalid(node, f"expected a country code of the holidays package, found {describe(node)}"
                        + (f" (did you mean {hint[0]}?)" if hint else ""))
    return code


def _not_before(node: Node, ctx: Context) -> date | Duration:
    if isinstance(node, Scalar) and v.DATE_RE.match(node.value.strip()):
        return v.parse_date(node)
    try:
        return v.duration(node)
    except v.Invalid:
        raise v.Invalid(node, f"expected a date YYYY-MM-DD or a duration like '3 months', "
                              f"found {describe(node)}") from None


def _text_list(node: Node, ctx: Context) -> list[str]:
    return v.text_list(node)


def _share(node: Node, ctx: Context) -> Decimal:
    return v.share(node)


def count(node: Node, ctx: Context) -> int:
    return v.count(node)


# name -> (parser, required). Claims dispute the same fields with the same parsers.
SOURCE_FIELDS: dict[str, tuple[Parser, bool]] = {
    "title": (_text, True), "date": (_date, False), "url": (_text, False),
    "kind": (_text, False), "notes": (_text, False),
}
PROVIDER_FIELDS: dict[str, tuple[Parser, bool]] = {
    "name": (_text, True), "revenue": (_positive_rate, False), "source": (_ref("sources"), False),
    "notes": (_text, False), "claims": (None, False),  # type: ignore[dict-item]
}
FACILITY_FIELDS: dict[str, tuple[Parser, bool]] = {
    "name": (_text, True), "operator": (_ref("providers"), False), "location": (_text, False),
    "power_mw": (_power, False), "accelerators": (_accelerators, False),
    "status": (_choice(FacilityStatus), False),
    "source": (_ref("sources"), False), "notes": (_text, False),
    "claims": (None, False),  # type: ignore[dict-item]
}
NOTICE_FIELDS: dict[str, tuple[Parser, bool]] = {
    "period": (_duration, True), "parties": (_choice(Parties), False),
    "not_before": (_not_before, False), "effect": (_choice(Effect), False),
    "calendar": (_calendar, False), "source": (_ref("sources"), False),
}
SERVED_FIELDS: dict[str, tuple[Parser, bool]] = {
    "by": (_choice(Party), True), "given": (_date, True),
    "source": (_ref("sources"), False), "note": (_text, False),
}
LINE_FIELDS: dict[str, tuple[Parser, bool]] = {
    "facility": (_ref("facilities"), False), "share": (_share, False),
    "accelerators": (_accelerators, False), "power_mw": (_power, False),
    "from": (_date, False), "until": (_date, False), "source": (_ref("sources"), False),
}
CLAIM_FIELDS: dict[str, tuple[Parser, bool]] = {
    "field": (_text, True), "value": (None, True),  # type: ignore[dict-item]
    "source": (_ref("sources"), False), "note": (_text, False),
}


def _notice(node: Node, ctx: Context) -> Notice:
    f, nodes = read_fields(v.mapping(node, "a mapping with period, parties, not_before, effect"),
                           NOTICE_FIELDS, ctx, "notice")
    if "period" not in f:
        raise Skip
    notice = Notice(**{k: f[k] for k in ("period", "parties", "not_before", "effect", "calendar", "source") if k in f})
    ctx.field_nodes[id(notice)] = nodes  # positions for the deal's checks
    return notice


def _served_notices(node: Node, ctx: Context) -> list[ServedNotice]:
    out = []
    for item in v.sequence(node, "a list of notices").items:
        f, nodes = read_fields(v.mapping(item, "a notice {by, given, source, note}"), SERVED_FIELDS, ctx, "notice")
        if "by" in f and "given" in f:
            served = ServedNotice(f["by"], f["given"], f.get("source"), f.get("note"), ctx.loc(item))
            ctx.field_nodes[id(served)] = nodes
            out.append(served)
    return out


def _capacity(node: Node, ctx: Context) -> list[CapacityLine]:
    out = []
    for item in v.sequence(node, "a list of capacity lines").items:
        m = v.mapping(item, "a capacity line {facility, share | accelerators, power_mw, from, until}")
        f, nodes = read_fields(m, LINE_FIELDS, ctx, "capacity line")
        # Decide by the keys written, not the values parsed, so a bad value is reported once.
        explicit = "accelerators" in nodes or "power_mw" in nodes
        if "share" in nodes:
            if explicit:
                ctx.error(nodes["share"], "a capacity line gives either a share of a facility or explicit "
                                          "accelerators/power_mw, not both")
            if "facility" not in nodes:
                ctx.error(nodes["share"], "a share needs a facility")
        elif not explicit:
            ctx.error(item, "a capacity line needs a share of a facility, or accelerators and/or power_mw")
        if "from" in f and "until" in f and f["until"] < f["from"]:
            ctx.error(nodes["until"], f"until {f['until']} is before from {f['from']}")
        out.append(CapacityLine(
            facility=f.get("facility"), share=f.get("share"), accelerators=f.get("accelerators", {}),
            power_mw=f.get("power_mw", Decimal(0)), start=f.get("from"), until=f.get("until"),
            source=f.get("source"), loc=ctx.loc(item)))
    return out


DEAL_FIELDS: dict[str, tuple[Parser, bool]] = {
    "buyer": (_text, True), "provider": (_ref("providers"), True), "signed": (_date, False),
    "start": (_date, True), "end": (_date, False), "renewal": (_duration, False),
    "commitment": (_rate, False), "total_value": (_money, False), "notice": (_notice, False),
    "notices": (_served_notices, False), "capacity": (_capacity, False),
    "tags": (_text_list, False), "notes": (_text, False), "source": (_ref("sources"), False),
    "claims": (None, False),  # type: ignore[dict-item]
}
def _timezone(node: Node, ctx: Context) -> str:
    name = v.text(node).strip()
    if valid_zone(name) is None:
        raise v.Invalid(node, "expected an IANA time zone like 'America/Los_Angeles', "
                              f"found {describe(node)}")
    return name


def _currency(node: Node, ctx: Context) -> str:
    code = v.text(node).strip()
    if not (len(code) == 3 and code.isascii() and code.isalpha()):
        raise v.Invalid(node, f"expected a 3-letter currency code like USD, found {describe(node)}")
    return code.upper()


SETTINGS_FIELDS: dict[str, tuple[Parser, bool]] = {
    "timezone": (_timezone, False), "warn_days": (count, False),
    "critical_days": (count, False), "horizon_days": (count, False),
    "currency": (_currency, False), "calendar": (_calendar, False),
    "side": (_choice(Party), False),
}


def claimable_fields(fields: dict[str, tuple[Parser, bool]]) -> dict[str, Parser]:
    out = {name: parser for name, (parser, _) in fields.items() if parser is not None}
    if fields is DEAL_FIELDS:
        out.update({f"notice.{name}": parser for name, (parser, _) in NOTICE_FIELDS.items()})
    return out


class Skip(Exception):
    """A nested value had errors that were already reported."""


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    hint = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{hint[0]}'?)" if hint else ""


def read_fields(node: Mapping, schema: dict[str, tuple[Parser, bool]], ctx: Context,
                what: str) -> tuple[dict[str, Any], dict[str, Node]]:
    """Parse the known fields of one mapping; report unknown, missing and invalid ones."""
    out: dict[str, Any] = {}
    nodes: dict[str, Node] = {}
    for name, (key, value) in node.items.items():
        spec = schema.get(name)
        if spec is None:
            ctx.error(key, f"unknown key '{name}' in {what}{did_you_mean(name, schema)}; "
                           f"expected one of: {', '.join(schema)}")
            continue
        nodes[name] = value
        if isinstance(value, Scalar) and value.is_null:
            continue  # an explicit null is the same as leaving the key out
        parser = spec[0]
        if parser is None:  # claims: read by the caller, which knows the entity's schema
            continue
        try:
            out[name] = parser(value, ctx)
        except v.Invalid as exc:
            ctx.error(exc.node, f"{name}: {exc.message}")
        except Skip:
            pass
    for name, (_, required) in schema.items():
        if required and name not in out and name not in nodes:
            ctx.error(node, f"{what} is missing required key '{name}'")
        elif required and name not in out:
            given = nodes.get(name)
            if isinstance(given, Scalar) and given.is_null:
                ctx.error(given, f"{name}: expected a value, found nothing (null)")
    return out, nodes


def node_text(node: Node) -> str:
    """A compact one-line rendering of a node, for showing a claim's value as written."""
    if isinstance(node, Scalar):
        return node.value
    if isinstance(node, Sequence):
        return "[" + ", ".join(node_text(i) for i in node.items) + "]"
    assert isinstance(node, Mapping)
    return "{" + ", ".join(f"{k}: {node_text(val)}" for k, (_, val) in node.items.items()) + "}"

