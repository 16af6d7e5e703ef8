"""Turn YAML files into a `Portfolio`, reporting every problem as `PATH:LINE:COL: message`.

Nothing raises past `load()`: malformed YAML, wrong shapes, bad values, limits and dangling
references all become `Problem`s, and the load is valid only when there are no errors.
"""
from __future__ import annotations

import difflib
import os
import re
from dataclasses import astuple, dataclass, field
from typing import Any, Callable

from . import values as v
from .dates import Duration, calendar_codes
from .evaluate import exit_right_opens
from .locations import BUNDLED_DIR, config_files, default_paths  # noqa: F401 - re-exported
from .hashing import content_digest
from .perf import paused_gc
from .model import (
    CapacityLine, Claim, Deal, Facility, Loc, Notice, Portfolio, Provider, ServedNotice,
    Settings, Source,
)
from .problems import Problem, Problems
from .yamlnodes import Mapping, Node, Scalar, Sequence, compose, describe

MAX_FILE_BYTES = 64 * 1024 * 1024
KINDS = ("sources", "providers", "facilities", "deals")
TOP_LEVEL = ("version", "settings") + KINDS


@dataclass
class LoadResult:
    portfolio: Portfolio | None  # None when the load has errors
    errors: list[Problem]
    warnings: list[Problem]
    files: list[str] = field(default_factory=list)  # as given, in reading order
    label: str = ""  # what the header shows as the config source
    bundled: bool = False
    parsed: list[str] = field(default_factory=list)  # the files this load had to read anew
    partial: list[str] = field(default_factory=list)  # of those, read again entity by entity

    @property
    def ok(self) -> bool:
        return not self.errors


# --- reading a file ------------------------------------------------------------------------

def read_bytes(path: str, problems: Problems) -> bytes | None:
    """The file's bytes, or None after reporting why it could not be read."""
    try:
        size = os.stat(path).st_size
        if size > MAX_FILE_BYTES:
            problems.error(path, 1, 1, f"file of {size:,} bytes is over the limit of {MAX_FILE_BYTES:,}")
            return None
        with open(path, "rb") as fh:
            data = fh.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        problems.error(path, 1, 1, f"cannot read file: {exc.strerror or exc}")
        return None
    if len(data) > MAX_FILE_BYTES:  # it grew between stat and read
        problems.error(path, 1, 1, f"file is over the limit of {MAX_FILE_BYTES:,} bytes")
        return None
    return data


def read_text(path: str, problems: Problems, data: bytes | None = None) -> str | None:
    """Read one file as UTF-8 (a BOM is fine); None after reporting why it could not be read.

    `data`, when given, is the file's content as already read (the watcher reads each file
    until two reads agree, and the load must use exactly those bytes)."""
    if data is None:
        data = read_bytes(path, problems)
        if data is None:
            return None
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        col = len(before[before.rfind(b"\n") + 1:].decode("utf-8", "replace")) + 1
        problems.error(path, line, col, f"file is not UTF-8 text (byte 0x{data[exc.start]:02x})")
        return None


Ref = tuple[str, str, int, int]  # (kind, id, line, col) of a reference to check


# --- field schemas ---------------------------------------------------------------------------

class _Context:
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


Parser = Callable[[Node, _Context], Any]


def _ref(kind: str) -> Parser:
    def parse(node: Node, ctx: _Context) -> str:
        ident = v.text(node)
        ctx.refs.append((kind, ident, node.line, node.col))
        return ident
    return parse


def _text(node: Node, ctx: _Context) -> str:
    return v.text(node)


def _date(node: Node, ctx: _Context):
    return v.parse_date(node)


def _duration(node: Node, ctx: _Context) -> Duration:
    return v.duration(node)


def _money(node: Node, ctx: _Context) -> v.Money:
    return v.money(node, ctx.settings.currency)


def _rate(node: Node, ctx: _Context) -> v.Rate:
    return v.rate(node, ctx.settings.currency)


def _positive_rate(node: Node, ctx: _Context) -> v.Rate:
    r = v.rate(node, ctx.settings.currency)
    if r.per_year <= 0:
        raise v.Invalid(node, f"expected an amount over 0, found {describe(node)}")
    return r


def _power(node: Node, ctx: _Context):
    return v.non_negative_number(node)


def _accelerators(node: Node, ctx: _Context) -> dict[str, int]:
    m = v.mapping(node, "a mapping of accelerator model to count")
    out: dict[str, int] = {}
    for name, (key, value) in m.items.items():
        if not name.strip():
            raise v.Invalid(key, "expected an accelerator model name, found an empty key")
        out[name] = v.count(value)
    return out


def _choice(*choices: str) -> Parser:
    return lambda node, ctx: v.choice(node, choices)


def _calendar(node: Node, ctx: _Context) -> str:
    code = v.text(node).strip().upper()
    if code not in calendar_codes():
        hint = difflib.get_close_matches(code, sorted(calendar_codes()), n=1)
        raise v.Invalid(node, f"expected a country code of the holidays package, found {describe(node)}"
                        + (f" (did you mean {hint[0]}?)" if hint else ""))
    return code


def _not_before(node: Node, ctx: _Context):
    if isinstance(node, Scalar) and v.DATE_RE.match(node.value.strip()):
        return v.parse_date(node)
    try:
        return v.duration(node)
    except v.Invalid:
        raise v.Invalid(node, f"expected a date YYYY-MM-DD or a duration like '3 months', "
                              f"found {describe(node)}") from None


def _text_list(node: Node, ctx: _Context) -> list[str]:
    return v.text_list(node)


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
    "status": (_choice("operational", "construction", "planned"), False),
    "source": (_ref("sources"), False), "notes": (_text, False),
    "claims": (None, False),  # type: ignore[dict-item]
}
NOTICE_FIELDS: dict[str, tuple[Parser, bool]] = {
    "period": (_duration, True), "parties": (_choice("either", "buyer", "provider"), False),
    "not_before": (_not_before, False), "effect": (_choice("after_period", "term_end"), False),
    "calendar": (_calendar, False), "source": (_ref("sources"), False),
}
SERVED_FIELDS: dict[str, tuple[Parser, bool]] = {
    "by": (_choice("buyer", "provider"), True), "given": (_date, True),
    "source": (_ref("sources"), False), "note": (_text, False),
}
LINE_FIELDS: dict[str, tuple[Parser, bool]] = {
    "facility": (_ref("facilities"), False), "share": (lambda n, c: v.share(n), False),
    "accelerators": (_accelerators, False), "power_mw": (_power, False),
    "from": (_date, False), "until": (_date, False), "source": (_ref("sources"), False),
}
CLAIM_FIELDS: dict[str, tuple[Parser, bool]] = {
    "field": (_text, True), "value": (None, True),  # type: ignore[dict-item]
    "source": (_ref("sources"), False), "note": (_text, False),
}


def _notice(node: Node, ctx: _Context) -> Notice:
    f, nodes = read_fields(v.mapping(node, "a mapping with period, parties, not_before, effect"),
                           NOTICE_FIELDS, ctx, "notice")
    if "period" not in f:
        raise _Skip
    notice = Notice(**{k: f[k] for k in ("period", "parties", "not_before", "effect", "calendar", "source") if k in f})
    ctx.field_nodes[id(notice)] = nodes  # positions for the deal's checks
    return notice


def _served_notices(node: Node, ctx: _Context) -> list[ServedNotice]:
    out = []
    for item in v.sequence(node, "a list of notices").items:
        f, nodes = read_fields(v.mapping(item, "a notice {by, given, source, note}"), SERVED_FIELDS, ctx, "notice")
        if "by" in f and "given" in f:
            served = ServedNotice(f["by"], f["given"], f.get("source"), f.get("note"), ctx.loc(item))
            ctx.field_nodes[id(served)] = nodes
            out.append(served)
    return out


def _capacity(node: Node, ctx: _Context) -> list[CapacityLine]:
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
            power_mw=f.get("power_mw", v.Decimal(0)), start=f.get("from"), until=f.get("until"),
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
SETTINGS_FIELDS: dict[str, tuple[Parser, bool]] = {
    "timezone": (lambda n, c: _timezone(n), False), "warn_days": (lambda n, c: v.count(n), False),
    "critical_days": (lambda n, c: v.count(n), False), "horizon_days": (lambda n, c: v.count(n), False),
    "currency": (lambda n, c: _currency(n), False), "calendar": (_calendar, False),
    "side": (_choice("buyer", "provider"), False),
}


def _claimable(fields: dict[str, tuple[Parser, bool]]) -> dict[str, Parser]:
    out = {name: parser for name, (parser, _) in fields.items() if parser is not None}
    if fields is DEAL_FIELDS:
        out.update({f"notice.{name}": parser for name, (parser, _) in NOTICE_FIELDS.items()})
    return out


def _timezone(node: Node) -> str:
    import zoneinfo

    name = v.text(node).strip()
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise v.Invalid(node, f"expected an IANA time zone like 'America/Los_Angeles', found {describe(node)}") from None
    return name


def _currency(node: Node) -> str:
    code = v.text(node).strip()
    if not (len(code) == 3 and code.isascii() and code.isalpha()):
        raise v.Invalid(node, f"expected a 3-letter currency code like USD, found {describe(node)}")
    return code.upper()


class _Skip(Exception):
    """A nested value had errors that were already reported."""


def _did_you_mean(word: str, choices) -> str:
    hint = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{hint[0]}'?)" if hint else ""


def read_fields(node: Mapping, schema: dict[str, tuple[Parser, bool]], ctx: _Context,
                what: str) -> tuple[dict[str, Any], dict[str, Node]]:
    """Parse the known fields of one mapping; report unknown, missing and invalid ones."""
    out: dict[str, Any] = {}
    nodes: dict[str, Node] = {}
    for name, (key, value) in node.items.items():
        spec = schema.get(name)
        if spec is None:
            ctx.error(key, f"unknown key '{name}' in {what}{_did_you_mean(name, schema)}; "
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
        except _Skip:
            pass
    for name, (_, required) in schema.items():
        if required and name not in out and name not in nodes:
            ctx.error(node, f"{what} is missing required key '{name}'")
        elif required and name not in out and isinstance(nodes.get(name), Scalar) and nodes[name].is_null:
            ctx.error(nodes[name], f"{name}: expected a value, found nothing (null)")
    return out, nodes


def node_text(node: Node) -> str:
    """A compact one-line rendering of a node, for showing a claim's value as written."""
    if isinstance(node, Scalar):
        return node.value
    if isinstance(node, Sequence):
        return "[" + ", ".join(node_text(i) for i in node.items) + "]"
    return "{" + ", ".join(f"{k}: {node_text(val)}" for k, (_, val) in node.items.items()) + "}"  # type: ignore[union-attr]


def _claims(node: Node | None, fields: dict[str, tuple[Parser, bool]], ctx: _Context) -> list[Claim]:
    if node is None or (isinstance(node, Scalar) and node.is_null):
        return []
    claimable = _claimable(fields)
    out = []
    try:
        items = v.sequence(node, "a list of claims {field, value, source, note}").items
    except v.Invalid as exc:
        ctx.error(exc.node, f"claims: {exc.message}")
        return []
    for item in items:
        try:
            m = v.mapping(item, "a claim {field, value, source, note}")
        except v.Invalid as exc:
            ctx.error(exc.node, f"claims: {exc.message}")
            continue
        f, nodes = read_fields(m, CLAIM_FIELDS, ctx, "claim")
        name = f.get("field")
        if name is None:
            continue
        parser = claimable.get(name)
        if parser is None:
            ctx.error(nodes["field"], f"claim field '{name}' is not a field here{_did_you_mean(name, claimable)}")
            continue
        value_node = nodes.get("value")
        if value_node is None:
            continue
        try:
            value = parser(value_node, ctx)
        except v.Invalid as exc:
            ctx.error(exc.node, f"claim value for '{name}': {exc.message}")
            continue
        except _Skip:
            continue
        out.append(Claim(name, value, node_text(value_node), f.get("source"), f.get("note"), ctx.loc(item)))
    return out


# --- the load --------------------------------------------------------------------------------

def load(paths: list[str] | None = None, contents: dict[str, bytes] | None = None,
         progress: Callable[[float], None] | None = None, cache: LoadCache | None = None,
         digests: dict[str, bytes] | None = None) -> LoadResult:
    """Load a portfolio from `paths` (default: SPEC §1's chain).

    `contents` maps file paths (as listed by `config_files`) to bytes already read; files not
    in it are read from disk. `progress(fraction)` is called now and then during a long load
    (parsing is counted as the first 60%, building the entities as the rest). `cache` holds
    what earlier loads made of each file: a file whose bytes and effective settings are
    unchanged is not parsed again and its entities are reused as they are (the monitor keeps
    one, so a reload after one file of a hundred changed parses one file). `digests`: the
    `content_digest` of files in `contents` where already known (the watcher's snapshot)."""
    with paused_gc():  # see core/perf.py: the GC would double the time of a large load
        return _load(paths, contents or {}, progress or (lambda fraction: None), cache, digests or {})


PARSE_SHARE = 0.6
_NONE: tuple = ()


@dataclass(frozen=True, slots=True)
class _SettingsSection:
    """A file's `settings:` read on its own: settings never depend on other files."""
    line: int  # of the `settings` key
    col: int
    settings: Settings
    errors: tuple[Problem, ...]
    warnings: tuple[Problem, ...]


@dataclass(frozen=True, slots=True)
class _Definition:
    """One entity as one file defines it, with what reading it reported and referred to: a
    later definition of the same id is dropped whole, problems included."""
    kind: str
    ident: str
    line: int  # of the id key
    col: int
    entity: Any  # None when its fields had errors
    errors: tuple[Problem, ...]
    warnings: tuple[Problem, ...]
    refs: tuple[Ref, ...]


@dataclass(frozen=True, slots=True)
class _FileUnit:
    """What one file contributes to a load: a function of its bytes and the settings only."""
    digest: bytes
    settings_key: tuple  # the effective settings its entities were read with
    section: _SettingsSection | None
    errors: tuple[Problem, ...]  # of the file as a whole: reading, YAML, top-level keys, ids
    warnings: tuple[Problem, ...]
    definitions: tuple[_Definition, ...]
    spans: _Spans | None = None  # the file's text by entity, when it can be re-read that way


class LoadCache:
    """What the last load made of each file. A load reads `units` once and replaces the whole
    dict when done, and units are never changed, so a superseded load still running in another
    thread does no harm."""

    def __init__(self) -> None:
        self.units: dict[str, _FileUnit] = {}


def _settings_key(settings: Settings) -> tuple:
    return astuple(settings)


def _load(paths: list[str] | None, contents: dict[str, bytes],
          progress: Callable[[float], None], cache: LoadCache | None, known: dict[str, bytes]) -> LoadResult:
    problems = Problems()
    bundled = False
    if not paths:
        paths, bundled = default_paths()
    label = "bundled example" if bundled else ", ".join(paths)
    files = config_files(paths, problems)
    data: dict[str, bytes] = {}  # in reading order
    for path in files:
        got = contents[path] if path in contents else read_bytes(path, problems)
        if got is not None:
            data[path] = got
    # Digests only serve the cache: compare a file with the last load's (none for `check`).
    digests = {path: (known.get(path) or content_digest(got)) if cache is not None else b""
               for path, got in data.items()}
    old = cache.units if cache is not None else {}

    # 1. Parse the files that changed; take every file's settings (they come before the rest).
    # A large file edited in place is split by entity instead and parsed in step 2, only
    # where it changed (see _Spans).
    trees: dict[str, tuple[Mapping | None, Problems, str | None]] = {}
    sections: dict[str, _SettingsSection | None] = {}
    by_span: dict[str, tuple[str, _Spans]] = {}
    changed = [p for p in data if p not in old or old[p].digest != digests[p]]
    total, done = max(sum(len(data[p]) for p in changed), 1), 0
    for path in data:
        if path not in changed:
            sections[path] = old[path].section
            continue
        split = _split_edit(path, data[path], old.get(path))
        if split is not None:
            by_span[path] = split
            sections[path] = old[path].section  # the settings are in the unchanged skeleton
            continue
        start, size = done, len(data[path])

        def file_progress(fraction: float, start: int = start, size: int = size) -> None:
            progress(PARSE_SHARE * (start + fraction * size) / total)
        trees[path] = _parse(path, data[path], file_progress)
        sections[path] = _settings_section(path, trees[path][0])
        done += size
    progress(PARSE_SHARE)
    first = next((s for s in sections.values() if s is not None), None)
    settings = first.settings if first is not None else Settings()
    key = _settings_key(settings)

    # 2. Read the entities of each file not already read with these settings.
    units: dict[str, _FileUnit] = {}
    stale = [p for p in data if p in trees or p in by_span or old[p].settings_key != key]
    partial = []
    total, done = max(sum(len(data[p]) for p in stale), 1), 0
    for path in data:
        if path not in stale:
            units[path] = old[path]
            continue
        if path in by_span and old[path].settings_key == key:
            unit = _reread_spans(path, digests[path], *by_span[path], old[path], settings, key)
            if unit is not None:
                units[path] = unit
                partial.append(path)
                continue
        start, size = done, len(data[path])

        def build_progress(fraction: float, start: int = start, size: int = size) -> None:
            progress(PARSE_SHARE + (1 - PARSE_SHARE) * (start + fraction * size) / total)
        # Unchanged bytes but new settings: parse again (trees are not kept: they are large).
        root, file_problems, text = trees.pop(path) if path in trees else _parse(path, data[path], lambda f: None)
        units[path] = _read_file(path, digests[path], root, file_problems, sections[path], settings, key,
                                 build_progress, text if cache is not None else None)
        done += size
    if cache is not None:
        cache.units = units

    portfolio = _merge(units, settings, problems)
    # Report in reading order: by file, then by position within it.
    order = {path: i for i, path in enumerate(files)}
    for found in (problems.errors, problems.warnings):
        found.sort(key=lambda p: (order.get(p.path, -1), p.line, p.col))
    ok = not problems.errors
    return LoadResult(portfolio if ok else None, problems.errors, problems.warnings, files, label, bundled,
                      parsed=stale, partial=partial)


def _parse(path: str, data: bytes,
           progress: Callable[[float], None]) -> tuple[Mapping | None, Problems, str | None]:
    """The file's root mapping (None when there is none), what parsing it reported, its text."""
    problems = Problems()
    text = read_text(path, problems, data)
    if text is None:
        return None, problems, None
    root = compose(text, path, problems, progress)
    if root is None and problems.errors:
        return None, problems, text
    if root is None or (isinstance(root, Scalar) and root.is_null):
        problems.warn(path, 1, 1, "empty file")
        return None, problems, text
    if not isinstance(root, Mapping):
        problems.error(path, root.line, root.col,
                       f"expected a mapping with keys {', '.join(TOP_LEVEL)}, found {describe(root)}")
        return None, problems, text
    return root, problems, text


def _settings_section(path: str, root: Mapping | None) -> _SettingsSection | None:
    if root is None or "settings" not in root.items:
        return None
    key, value = root.items["settings"]
    ctx = _Context(Problems(), Settings())
    ctx.path = path
    _read_settings(value, ctx)
    return _SettingsSection(key.line, key.col, ctx.settings, tuple(ctx.problems.errors),
                            tuple(ctx.problems.warnings))


_READERS: dict[str, Callable[[str, Mapping, _Context], Any]] = {}  # filled below the readers


def _read_file(path: str, digest: bytes, root: Mapping | None, problems: Problems,
               section: _SettingsSection | None, settings: Settings, key: tuple,
               progress: Callable[[float], None], text: str | None = None) -> _FileUnit:
    """`text`: the file's text, to split by entity for later edits (only worth it with a cache)."""
    ctx = _Context(problems, settings)
    ctx.path = path
    found: list[tuple[str, str, Scalar, Node]] = []
    for name, (name_key, value) in (root.items.items() if root is not None else ()):
        if name not in TOP_LEVEL:
            ctx.error(name_key, f"unknown top-level key '{name}'{_did_you_mean(name, TOP_LEVEL)}; "
                                f"expected one of: {', '.join(TOP_LEVEL)}")
        elif name == "version":
            if not (isinstance(value, Scalar) and value.value.strip() == "1"):
                ctx.error(value, f"version: expected 1, found {describe(value)}")
        elif name == "settings":
            continue  # read on its own (_settings_section); the merge decides whether it counts
        elif not (isinstance(value, Scalar) and value.is_null):
            if not isinstance(value, Mapping):
                ctx.error(value, f"{name}: expected a mapping of id to {name[:-1]}, found {describe(value)}")
                continue
            for ident, (id_key, body) in value.items.items():
                if v.ID_RE.fullmatch(ident):
                    found.append((name, ident, id_key, body))
                else:
                    ctx.error(id_key, f"invalid id {ident!r}: ids are lower-case letters, digits, '.', '_' "
                                      "and '-', starting with a letter or digit")
    file_errors, file_warnings = tuple(problems.errors), tuple(problems.warnings)
    # Sources first, so that everything else can refer to them.
    found.sort(key=lambda f: KINDS.index(f[0]))
    definitions = []
    for built, (kind, ident, id_key, body) in enumerate(found, 1):
        if not built % 2048:
            progress(built / len(found))
        definitions.append(_read_definition(kind, ident, id_key, body, ctx))
    spans = None
    if (text is not None and len(text) >= SPAN_MIN_CHARS and root is not None
            and not file_errors and not file_warnings):
        spans = _Spans.split(text)
        if spans is not None and [(k, i, line) for k, i, line, _ in spans.entities] != [
                (k, i, id_key.line) for k, i, id_key, _ in found]:
            spans = None  # the text split does not match what the parser saw: never by entity
    return _FileUnit(digest, key, section, file_errors, file_warnings, tuple(definitions), spans)


def _read_definition(kind: str, ident: str, id_key: Scalar, body: Node, ctx: _Context) -> _Definition:
    """Read one entity, with what it reports and refers to. `ctx.problems` and `ctx.refs` are
    emptied first: they collect this entity's alone (the file's own problems were taken)."""
    errors, warnings, refs = ctx.problems.errors, ctx.problems.warnings, ctx.refs
    errors.clear()
    warnings.clear()
    refs.clear()
    entity = None
    if isinstance(body, Mapping):
        entity = _READERS[kind](ident, body, ctx)
    else:
        ctx.error(body, f"{kind}.{ident}: expected a mapping of fields, found {describe(body)}")
    return _Definition(kind, ident, id_key.line, id_key.col, entity,
                       tuple(errors) or _NONE, tuple(warnings) or _NONE, tuple(refs) or _NONE)


# --- re-reading a large file entity by entity ------------------------------------------------

_TOP_BLOCK_KEY = re.compile(r"([a-z_]+):[ ]*(?:#.*)?")  # e.g. "deals:" opening a block mapping
_ENTITY_KEY = re.compile(r"  ([a-z0-9][a-z0-9._-]*):(?: .*)?")  # e.g. "  d000001:" in such a block
SPAN_REREAD_LIMIT = 64  # more entities changed than this: parse the whole file instead
SPAN_MIN_CHARS = 32_768  # a smaller file is parsed whole in a few ms: no split kept for it


@dataclass(frozen=True, slots=True)
class _Spans:
    """A file's text cut into its entities' lines and the rest (the skeleton).

    Only for plain block-style files: top-level kind keys opening block mappings, entity ids
    at two spaces, everything deeper below them; no anchors, aliases or tags (`&`, `*`, `!`
    anywhere), tabs, CRs or document markers. In block style a line indented by two spaces or
    less ends everything above it, so each entity's lines parse alone exactly as within the
    file. A split is only used after a full parse of the same file showed the same entity
    keys at the same lines, and only for an edit that keeps the skeleton line for line."""

    skeleton: tuple[tuple[int, str], ...]  # (line number, text) of every line not an entity's
    entities: tuple[tuple[str, str, int, str], ...]  # (kind, id, first line, text), in definition order

    @classmethod
    def split(cls, text: str) -> _Spans | None:
        if any(c in text for c in "&*!\t\r"):
            return None
        skeleton: list[tuple[int, str]] = []
        entities: list[list] = []
        kind = None
        current: list | None = None
        for n, line in enumerate(text.split("\n"), 1):
            body = line.lstrip(" ")
            indent = len(line) - len(body)
            if not body or body.startswith("#"):
                if current is not None:
                    current[3].append(line)
                else:
                    skeleton.append((n, line))
            elif indent == 0:
                if body.startswith(("---", "...", "%")):
                    return None
                match = _TOP_BLOCK_KEY.fullmatch(line)
                kind = match.group(1) if match and match.group(1) in KINDS else None
                current = None
                skeleton.append((n, line))
            elif kind is None:
                skeleton.append((n, line))  # e.g. the settings block
            elif indent == 2:
                match = _ENTITY_KEY.fullmatch(line)
                if match is None:
                    return None
                current = [kind, match.group(1), n, [line]]
                entities.append(current)
            elif indent > 2 and current is not None:
                current[3].append(line)
            else:
                return None
        entities.sort(key=lambda e: KINDS.index(e[0]))  # stable: the order definitions are in
        return cls(tuple(skeleton), tuple((k, i, n, "\n".join(lines)) for k, i, n, lines in entities))


def _split_edit(path: str, data: bytes, unit: _FileUnit | None) -> tuple[str, _Spans] | None:
    """The new text and its split, when `unit` (the file as last read) can be re-read by entity."""
    if unit is None or unit.spans is None:
        return None
    text = read_text(path, Problems(), data)
    if text is None:
        return None
    spans = _Spans.split(text)
    if spans is None or spans.skeleton != unit.spans.skeleton:
        return None
    return text, spans


def _reread_spans(path: str, digest: bytes, text: str, spans: _Spans, unit: _FileUnit,
                  settings: Settings, key: tuple) -> _FileUnit | None:
    """The file's unit from `unit`, re-reading only the entities whose lines changed; None
    when it must be parsed whole (an id given twice, a YAML error, too many changes)."""
    before = {(k, i): (n, t, d) for (k, i, n, t), d in zip(unit.spans.entities, unit.definitions, strict=True)}
    ctx = _Context(Problems(), settings)
    ctx.path = path
    definitions, seen, changed = [], set(), 0
    for kind, ident, first, lines in spans.entities:
        if (kind, ident) in seen:
            return None
        seen.add((kind, ident))
        old = before.get((kind, ident))
        if old is not None and old[0] == first and old[1] == lines:
            definitions.append(old[2])
            continue
        changed += 1
        if changed > SPAN_REREAD_LIMIT:
            return None
        # Parsed alone, after blank lines standing for the ones above: positions are the file's.
        problems = Problems()
        root = compose("\n" * (first - 1) + lines + "\n", path, problems)
        if problems.errors or problems.warnings or not isinstance(root, Mapping) or len(root.items) != 1:
            return None
        name, (id_key, body) = next(iter(root.items.items()))
        if name != ident or (id_key.line, id_key.col) != (first, 3):
            return None
        definitions.append(_read_definition(kind, ident, id_key, body, ctx))
    return _FileUnit(digest, key, unit.section, unit.errors, unit.warnings, tuple(definitions), spans)


def _merge(units: dict[str, _FileUnit], settings: Settings, problems: Problems) -> Portfolio:
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
            problems.error(path, line, col, f"unknown {_singular(kind)} '{ident}'{_did_you_mean(ident, defined[kind])}")
    return portfolio


def _singular(kind: str) -> str:
    return "facility" if kind == "facilities" else kind[:-1]


def _read_settings(node: Node, ctx: _Context) -> None:
    if isinstance(node, Scalar) and node.is_null:
        return
    if not isinstance(node, Mapping):
        ctx.error(node, f"settings: expected a mapping, found {describe(node)}")
        return
    # Read before any entity of any file: bare amounts everywhere depend on `currency`.
    f, nodes = read_fields(node, SETTINGS_FIELDS, ctx, "settings")
    s = ctx.settings
    for name, value in f.items():
        setattr(s, name, value)
    if s.critical_days > s.warn_days:
        where = nodes.get("critical_days") or nodes.get("warn_days") or node
        ctx.error(where, f"critical_days ({s.critical_days}) must be <= warn_days ({s.warn_days})")


def _read_source(ident: str, node: Mapping, ctx: _Context) -> Source | None:
    f, _ = read_fields(node, SOURCE_FIELDS, ctx, f"source '{ident}'")
    if "title" not in f:
        return None
    return Source(ident, loc=ctx.loc(node), **f)


def _entity_reader(cls, fields: dict[str, tuple[Parser, bool]], what: str):
    """Reader for providers and facilities: named entities that may carry claims."""
    def read(ident: str, node: Mapping, ctx: _Context):
        f, nodes = read_fields(node, fields, ctx, f"{what} '{ident}'")
        claims = _claims(nodes.get("claims"), fields, ctx)
        if "name" not in f:
            return None
        return cls(ident, claims=claims, loc=ctx.loc(node), **f)
    return read


_read_provider = _entity_reader(Provider, PROVIDER_FIELDS, "provider")
_read_facility = _entity_reader(Facility, FACILITY_FIELDS, "facility")


def _read_deal(ident: str, node: Mapping, ctx: _Context) -> Deal | None:
    f, nodes = read_fields(node, DEAL_FIELDS, ctx, f"deal '{ident}'")
    claims = _claims(nodes.get("claims"), DEAL_FIELDS, ctx)
    if not all(k in f for k in ("buyer", "provider", "start")):
        return None
    deal = Deal(ident, claims=claims, loc=ctx.loc(node), **f)
    notice = deal.notice
    deal.calendar = (notice.calendar if notice and notice.calendar else None) or ctx.settings.calendar
    start, end = deal.start, deal.end
    if end is not None and end <= start:
        ctx.error(nodes["end"], f"end {end} must be after start {start}")
    if deal.renewal is not None and end is None:
        ctx.error(nodes["renewal"], "renewal needs an end (the term that renews)")
    if deal.commitment is not None and deal.commitment.per is None:
        ctx.warn(nodes["commitment"], "commitment has no period (e.g. '/month'); read as per year")
    if deal.notices and notice is None:
        ctx.error(nodes["notices"], "notices were served but the deal has no notice terms (notice:)")
    if notice is not None:
        _check_notice(deal, notice, nodes, ctx)
    return deal


def _check_notice(deal: Deal, notice: Notice, nodes: dict[str, Node], ctx: _Context) -> None:
    notice_nodes = ctx.field_nodes.get(id(notice), {})
    if notice.effect == "term_end" and (deal.end is None or deal.renewal is None):
        ctx.error(notice_nodes.get("effect", nodes["notice"]),
                  "effect term_end needs an end and a renewal (notice stops a renewal)")
    opens = exit_right_opens(deal)
    fixed_end = deal.fixed_end
    if fixed_end is not None and opens is not None and opens > fixed_end:
        ctx.warn(notice_nodes.get("not_before", nodes["notice"]),
                 f"the exit right opens on {opens}, after the deal ends on {fixed_end}: it never opens")
    for served in deal.notices:
        served_nodes = ctx.field_nodes.get(id(served), {})
        given_node = served_nodes.get("given", nodes["notices"])
        if notice.parties != "either" and served.by != notice.parties:
            ctx.error(served_nodes.get("by", given_node),
                      f"notice by the {served.by}, but only the {notice.parties} may give notice")
        if served.given < deal.start:
            ctx.error(given_node, f"notice given {served.given}, before the deal starts on {deal.start}")
        elif opens is not None and served.given < opens:
            ctx.error(given_node, f"notice given {served.given}, before the exit right opens on {opens}")
        if fixed_end is not None and served.given > fixed_end:
            ctx.error(given_node, f"notice given {served.given}, after the deal ends on {fixed_end}")


_READERS.update(sources=_read_source, providers=_read_provider, facilities=_read_facility, deals=_read_deal)
