"""`dealmon schema`: a JSON Schema (draft 2020-12) of the deal files, made from the loader's own
field tables (`fields.py`), so that an editor completes and checks what the loader reads.

Each parser of the tables has one schema fragment here (`_FRAGMENTS`; a test holds that none
is missing). The schema accepts every valid portfolio and rejects unknown keys, wrong types,
malformed ids and unknown enum values (case-insensitive as the loader); what a schema cannot
say (references, dates in order, the value grammars' finer rules) stays the loader's. Values
are read as an editor's YAML 1.2 parser reads them: `2026-05-03` is a string, `NO` too.
"""
from __future__ import annotations

import json
from typing import Any

from ..dates import calendar_codes
from . import fields as f
from .units import KINDS

SCHEMA_ID = "https://dealmon.invalid/dealmon.schema.json"
ID_PATTERN = "^[a-z0-9][a-z0-9._-]*$"
_NULL = {"type": "null"}
_TEXT = {"type": ["string", "number", "boolean"]}
_DATE = {"type": "string", "pattern": r"^\s*[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}\s*$",
         "description": "a date YYYY-MM-DD"}
_DURATION = {"anyOf": [{"type": "integer", "minimum": 1},
                       {"type": "string", "pattern": r"^\s*[0-9]+\s*[A-Za-z][A-Za-z ]*$"}],
             "description": "a duration like '90 days', '3 months', '10 business days', '1y'"}
_AMOUNT = r"\s*[$€£]?\s*[0-9][0-9_,]*(\.[0-9]+)?([eE][+-]?[0-9]+)?\s*([KkMmBbTt]|[Bb][Nn])?\s*([A-Za-z]{3})?\s*"
_MONEY = {"anyOf": [{"type": "number", "minimum": 0}, {"type": "string", "pattern": f"^{_AMOUNT}$"}],
          "description": "money like '1.25B USD' or '$920M'"}
_RATE = {"anyOf": [{"type": "number", "minimum": 0},
                   {"type": "string", "pattern": f"^{_AMOUNT}((/|\\s+[Pp][Ee][Rr]\\s+)\\s*[A-Za-z]+\\s*)?$"}],
         "description": "a money rate like '1.25B USD/month' or '920M per month'"}
_COUNT = {"anyOf": [{"type": "integer", "minimum": 0},
                    {"type": "string", "pattern": r"^\s*(0|[1-9][0-9]{0,2}([,_][0-9]{3})*|[1-9][0-9]*)\s*$"}],
          "description": "a whole number >= 0, e.g. 150000 or '150,000'"}
_NUMBER = {"anyOf": [{"type": "number", "minimum": 0},
                     {"type": "string", "pattern": r"^\s*[0-9][0-9_,]*(\.[0-9]+)?([eE][+-]?[0-9]+)?\s*$"}],
           "description": "a number >= 0"}
_SHARE = {"anyOf": [{"type": "number", "exclusiveMinimum": 0, "maximum": 1},
                    {"type": "string", "pattern": r"^\s*[0-9.]+\s*%\s*$"}],
          "description": "a share like '50%' or 0.5"}


def _case_insensitive(words: tuple[str, ...] | list[str]) -> dict[str, Any]:
    """One of `words` in any case: an enum (for completion) or the same as a pattern."""
    pattern = "|".join("".join(f"[{c.upper()}{c.lower()}]" if c.isalpha() else c for c in w) for w in words)
    return {"anyOf": [{"enum": list(words)}, {"type": "string", "pattern": rf"^\s*({pattern})\s*$"}]}


def _ref(kind: str) -> dict[str, Any]:
    return {"type": "string", "pattern": ID_PATTERN, "description": f"the id of one of the {kind}"}


def _table(table: dict[str, tuple[f.Parser, bool]], claims: dict[str, Any] | None = None,
           description: str = "") -> dict[str, Any]:
    """An object of a field table: every key's schema, the required ones, nothing else."""
    props: dict[str, Any] = {}
    for name, (parser, required) in table.items():
        fragment = claims if parser is None else fragment_of(parser)
        assert fragment is not None, f"no schema for {name}"
        props[name] = fragment if required else {"anyOf": [fragment, _NULL]}
    out: dict[str, Any] = {"type": "object", "properties": props, "additionalProperties": False}
    needed = [name for name, (_, req) in table.items() if req]
    if needed:
        out["required"] = needed
    if description:
        out["description"] = description
    return out


def _claims(table: dict[str, tuple[f.Parser, bool]], dotted_models: bool = False) -> dict[str, Any]:
    names = sorted(f.claimable_fields(table))
    field: dict[str, Any] = {"enum": names}
    if dotted_models:
        field = {"anyOf": [field, {"type": "string", "pattern": r"^accelerators\..+$"}]}
    claim = _table(f.CLAIM_FIELDS, {"description": "the claimed value, in the field's own grammar"},
                   description="what another source says of a field of this entity")
    claim["properties"]["field"] = field
    return {"anyOf": [{"type": "array", "items": claim}, _NULL]}


def fragment_of(parser: f.Parser) -> dict[str, Any] | None:
    """The schema of what `parser` reads (None: a parser this module does not know)."""
    kind = getattr(parser, "refers_to", None)
    if kind is not None:
        return _ref(kind)
    choices = getattr(parser, "choices", None)
    if choices is not None:
        return _case_insensitive(choices)
    builder = _FRAGMENTS.get(parser)
    return builder() if builder is not None else None


def _accelerators() -> dict[str, Any]:
    return {"type": "object", "additionalProperties": _COUNT, "propertyNames": {"minLength": 1, "pattern": r"\S"},
            "description": "accelerator model -> count, e.g. {H100: 150000}"}


def _calendar() -> dict[str, Any]:
    return _case_insensitive(sorted(calendar_codes()))


_FRAGMENTS: dict[Any, Any] = {
    f._text: lambda: _TEXT,
    f._date: lambda: _DATE,
    f._duration: lambda: _DURATION,
    f._money: lambda: _MONEY,
    f._rate: lambda: _RATE,
    f._positive_rate: lambda: _RATE,
    f._power: lambda: _NUMBER,
    f._accelerators: _accelerators,
    f._calendar: _calendar,
    f._not_before: lambda: {"anyOf": [_DATE, _DURATION]},
    f._text_list: lambda: {"anyOf": [{"type": "array", "items": _TEXT}, _TEXT]},
    f._share: lambda: _SHARE,
    f.count: lambda: _COUNT,
    f._timezone: lambda: {"type": "string", "description": "an IANA time zone, e.g. America/Los_Angeles"},
    f._currency: lambda: {"type": "string", "pattern": r"^\s*[A-Za-z]{3}\s*$"},
    f._notice: lambda: _table(f.NOTICE_FIELDS, description="the exit right"),
    f._served_notices: lambda: {"type": "array", "items": _table(f.SERVED_FIELDS)},
    f._capacity: lambda: {"type": "array", "items": _table(f.LINE_FIELDS, description="a capacity line")},
}


def _entities(table: dict[str, tuple[f.Parser, bool]], what: str, dotted_models: bool = False) -> dict[str, Any]:
    entity = _table(table, _claims(table, dotted_models), description=what)
    return {"anyOf": [{"type": "object", "propertyNames": {"pattern": ID_PATTERN}, "additionalProperties": entity},
                      _NULL]}


def schema() -> dict[str, Any]:
    tables = {"sources": (f.SOURCE_FIELDS, "a source: where a figure comes from", False),
              "providers": (f.PROVIDER_FIELDS, "a provider of capacity", False),
              "facilities": (f.FACILITY_FIELDS, "a facility (a cluster, a site)", True),
              "deals": (f.DEAL_FIELDS, "a deal", False)}
    assert set(tables) == set(KINDS)
    props: dict[str, Any] = {
        "version": {"enum": [1, "1"], "description": "the file format's version: 1"},
        "settings": {"anyOf": [_table(f.SETTINGS_FIELDS, description="settings (in at most one file)"), _NULL]},
    }
    for kind, (table, what, dotted) in tables.items():
        props[kind] = _entities(table, what, dotted)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "dealmon deal files",
        "description": "Compute-capacity deals for dealmon (made by `dealmon schema` from the loader's field tables).",
        "anyOf": [{"type": "object", "properties": props, "additionalProperties": False}, _NULL],
    }


def schema_text() -> str:
    return json.dumps(schema(), indent=2, ensure_ascii=False) + "\n"
