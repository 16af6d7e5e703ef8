"""What one file contributes to a load (`FileUnit`), as JSON and back: the reopen cache's
format (see `tui/unitstore.py`).

JSON, never pickle: decoding builds only the classes and enums named here. Entries are keyed
by the file's own content hash and kept in the user's private directory (refused when others
can write it); anything that does not decode is `Undecodable`: a miss, and the file is parsed.

Each class has a schema: its fields in order, each plain (a JSON value as it is) or with its
own codec, so decoding is a straight walk with no type tests (parsing 10,000 deals anew takes
~2 s; decoding them, bench/README.md "reopen cache"). Fields typed `Any` (a claim's value,
the settings key, `not_before`) use a tagged form: `{"d": "1.25E+9"}` a Decimal,
`{"t": "2026-05-03"}` a date, `{"u": [...]}` a tuple, `{"m": [[k, v], ...]}` a dict,
`{"b": "hex"}` bytes, `{"e": ["Party", "buyer"]}` an enum member, `{"c": ["Duration", [...]]}` a
dataclass.
"""
from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import fields, is_dataclass, replace
from datetime import date
from decimal import Decimal, InvalidOperation
from enum import Enum
from sys import intern
from typing import Any

from ..dates import Duration
from ..model import CapacityLine, Claim, Deal, Facility, Loc, Notice, Provider, ServedNotice, Settings, Source
from ..problems import Problem
from ..values import Money, Rate
from ..words import Effect, FacilityStatus, Parties, Party
from .units import Definition, FileUnit, SettingsSection

FORMAT = 2  # bump on any change of what is stored

_CLASSES: dict[str, type[Any]] = {cls.__name__: cls for cls in (
    Loc, Settings, Claim, Source, Provider, Facility, Notice, ServedNotice, CapacityLine, Deal, Money, Rate,
    Duration, Problem, SettingsSection, Definition, FileUnit)}
_FIELDS: dict[type[Any], tuple[str, ...]] = {cls: tuple(f.name for f in fields(cls)) for cls in _CLASSES.values()}
_ENUMS: dict[str, type[Enum]] = {cls.__name__: cls for cls in (Party, Parties, Effect, FacilityStatus)}


class Undecodable(Exception):
    """The stored text is not a unit this code wrote."""


# A codec: (encode, decode); None for a plain field.
Codec = tuple[Callable[[Any], Any], Callable[[Any], Any]]


def _opt(c: Codec) -> Codec:
    enc, dec = c
    return (lambda x: None if x is None else enc(x)), (lambda x: None if x is None else dec(x))


def _list(c: Codec) -> Codec:
    enc, dec = c
    return (lambda xs: [enc(x) for x in xs]), (lambda xs: [dec(x) for x in _array(xs)])


def _tuple(c: Codec) -> Codec:
    enc, dec = c
    return (lambda xs: [enc(x) for x in xs]), (lambda xs: tuple(dec(x) for x in _array(xs)))


def _array(x: Any) -> list[Any]:
    if not isinstance(x, list):
        raise ValueError("not a list")
    return x


def _enum(cls: type[Enum]) -> Codec:
    return (lambda x: x.value), cls


def _obj(cls: type[Any], **codecs: Codec | None) -> Codec:
    """The codec of dataclass `cls`: its fields in order; those not named are plain.

    The decoder is compiled once per class into one call of `cls` with each field decoded
    in place (like `dataclasses` makes `__init__`): a loop over the fields per object made
    decoding twice as slow. The source is built from our own field names only."""
    names = _FIELDS[cls]
    if set(codecs) - set(names):
        raise TypeError(f"{cls.__name__} has no field {sorted(set(codecs) - set(names))}")
    order = [codecs.get(name) for name in names]
    count = len(names)

    def enc(x: Any) -> list[Any]:
        return [getattr(x, n) if c is None else c[0](getattr(x, n)) for n, c in zip(names, order, strict=True)]

    args = ", ".join(f"v[{i}]" if c is None else f"d{i}(v[{i}])" for i, c in enumerate(order))
    source = (f"def dec(v):\n"
              f"    if v.__class__ is not list or len(v) != {count}:\n"
              f"        raise ValueError('{cls.__name__}: expected {count} fields')\n"
              f"    return cls({args})\n")
    scope: dict[str, Any] = {"cls": cls, **{f"d{i}": c[1] for i, c in enumerate(order) if c is not None}}
    exec(source, scope)  # noqa: S102 - our own field names, see the docstring
    return enc, scope["dec"]


def _any_encode(x: Any) -> Any:
    if isinstance(x, Enum):  # before str: str enums are str
        return {"e": [type(x).__name__, x.value]}
    if x is None or isinstance(x, (bool, int, str)):
        return x
    if isinstance(x, list):
        return [_any_encode(item) for item in x]
    if isinstance(x, tuple):
        return {"u": [_any_encode(item) for item in x]}
    if isinstance(x, dict):
        return {"m": [[_any_encode(k), _any_encode(v)] for k, v in x.items()]}
    if isinstance(x, Decimal):
        return {"d": str(x)}
    if type(x) is date:
        return {"t": x.isoformat()}
    if isinstance(x, bytes):
        return {"b": x.hex()}
    if is_dataclass(x) and not isinstance(x, type) and type(x).__name__ in _CLASSES:
        return {"c": [type(x).__name__, [_any_encode(getattr(x, n)) for n in _FIELDS[type(x)]]]}
    raise TypeError(f"cannot store a {type(x).__name__}")


def _any_decode(x: Any) -> Any:
    if x is None or isinstance(x, (bool, int, str)):
        return x
    if isinstance(x, list):
        return [_any_decode(item) for item in x]
    if not isinstance(x, dict) or len(x) != 1:
        raise ValueError("not a stored value")
    tag, body = next(iter(x.items()))
    if tag == "c":
        name, values = body
        cls = _CLASSES[name]
        if not isinstance(values, list) or len(values) != len(_FIELDS[cls]):
            raise ValueError(f"{name}: wrong number of fields")
        return cls(*[_any_decode(v) for v in values])
    if tag == "e":
        name, value = body
        return _ENUMS[name](value)
    if tag in ("d", "t", "b"):
        if not isinstance(body, str):
            raise ValueError(f"not a value tagged {tag!r}")
        return Decimal(body) if tag == "d" else date.fromisoformat(body) if tag == "t" else bytes.fromhex(body)
    if tag in ("u", "m"):
        items: list[Any] = _array(body)
        if tag == "u":
            return tuple(_any_decode(item) for item in items)
        return {_any_decode(k): _any_decode(v) for k, v in items}
    raise ValueError(f"unknown tag {tag!r}")


def _text(x: Any) -> Any:
    # Interned as the loader interns text values (values.text): names, ids, references and
    # paths repeat across thousands of entities (bench/README.md, "kept strings").
    return intern(x) if isinstance(x, str) else x


def _models(x: Any) -> dict[str, int]:
    if not isinstance(x, dict):
        raise ValueError("not a mapping of models")
    return {intern(model): n for model, n in x.items()}


ANY: Codec = (_any_encode, _any_decode)
TEXT: Codec = (lambda x: x, _text)
TEXTS: Codec = (lambda x: x, lambda xs: [_text(x) for x in _array(xs)])
MODELS: Codec = (lambda x: x, _models)
DATE: Codec = (date.isoformat, date.fromisoformat)
DECIMAL: Codec = (str, Decimal)
LOC = _opt(_obj(Loc, path=TEXT))
DURATION = _obj(Duration)
RATE = _obj(Rate, per_year=DECIMAL, amount=DECIMAL)
CLAIMS = _list(_obj(Claim, field=TEXT, value=ANY, source=TEXT, loc=_obj(Loc, path=TEXT)))
PROBLEMS = _tuple(_obj(Problem, path=TEXT))
ENTITIES: dict[str, Codec] = {
    "sources": _obj(Source, id=TEXT, date=_opt(DATE), kind=TEXT, loc=LOC),
    "providers": _obj(Provider, id=TEXT, revenue=_opt(RATE), source=TEXT, claims=CLAIMS, loc=LOC),
    "facilities": _obj(Facility, id=TEXT, operator=TEXT, power_mw=_opt(DECIMAL), accelerators=MODELS,
                       status=_opt(_enum(FacilityStatus)), source=TEXT, claims=CLAIMS, loc=LOC),
    "deals": _obj(
        Deal, id=TEXT, buyer=TEXT, provider=TEXT, start=DATE, signed=_opt(DATE), end=_opt(DATE),
        renewal=_opt(DURATION), commitment=_opt(RATE), total_value=_opt(_obj(Money, amount=DECIMAL)),
        notice=_opt(_obj(Notice, period=DURATION, parties=_enum(Parties), not_before=ANY, effect=_enum(Effect),
                         calendar=TEXT, source=TEXT)),
        notices=_list(_obj(ServedNotice, by=_enum(Party), given=DATE, source=TEXT, loc=LOC)),
        capacity=_list(_obj(CapacityLine, facility=TEXT, share=_opt(DECIMAL), accelerators=MODELS,
                            power_mw=DECIMAL, start=_opt(DATE), until=_opt(DATE), source=TEXT, loc=LOC)),
        tags=TEXTS, source=TEXT, claims=CLAIMS, loc=LOC, calendar=TEXT),
}
REFS: Codec = (list, lambda refs: tuple(tuple(_text(part) for part in _array(ref)) for ref in _array(refs)))
SECTION = _opt(_obj(SettingsSection, settings=_obj(Settings, side=_enum(Party)), errors=PROBLEMS,
                    warnings=PROBLEMS))


def _encode_definition(d: Definition) -> list[Any]:
    entity = None if d.entity is None else ENTITIES[d.kind][0](d.entity)
    return [d.kind, d.ident, d.line, d.col, entity, PROBLEMS[0](d.errors), PROBLEMS[0](d.warnings), list(d.refs)]


def _decode_definition(x: Any) -> Definition:
    kind, ident, line, col, entity, errors, warnings, refs = x
    made = None if entity is None else ENTITIES[kind][1](entity)
    ident = made.id if made is not None and made.id == ident else intern(ident)  # (one string, as loaded)
    return Definition(intern(kind), ident, line, col, made, PROBLEMS[1](errors), PROBLEMS[1](warnings),
                      REFS[1](refs))


UNIT = _obj(FileUnit, digest=(bytes.hex, bytes.fromhex), settings_key=ANY, section=SECTION, errors=PROBLEMS,
            warnings=PROBLEMS, definitions=_tuple((_encode_definition, _decode_definition)),
            spans=(lambda spans: None, lambda x: None))


def encode_unit(unit: FileUnit) -> Iterator[str]:
    """`unit` as lines of JSON: the unit without its definitions, then one line per
    definition, so that reading it back never holds the whole file's JSON values at once
    (bench/README.md, "reopen cache"). Its text spans are not kept: they serve edits in place."""
    yield json.dumps(UNIT[0](replace(unit, definitions=())), separators=(",", ":"))
    encode = _encode_definition
    for definition in unit.definitions:
        yield json.dumps(encode(definition), separators=(",", ":"))


def decode_unit(lines: Iterable[bytes | str]) -> FileUnit:
    """The unit `encode_unit` made `lines` from.

    Raises:
        Undecodable: `lines` are not such a unit.
    """
    try:
        it = iter(lines)
        unit = UNIT[1](json.loads(next(it)))
        if not isinstance(unit, FileUnit):
            raise ValueError("not a file unit")
        decode, loads = _decode_definition, json.loads
        definitions = tuple(decode(loads(line)) for line in it if line.strip())
    except (KeyError, TypeError, ValueError, InvalidOperation, RecursionError, StopIteration) as exc:
        raise Undecodable(f"{type(exc).__name__}: {exc}") from None
    return replace(unit, definitions=definitions)
