"""What one file contributes to a load, read on its own: its settings section, its entity
definitions with their problems and references, and its file-level problems. A unit depends
only on the file's bytes and the effective settings, so an unchanged file's unit is reused
(`LoadCache`)."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import astuple, dataclass
from typing import TYPE_CHECKING, Any

from .. import values as v
from ..model import Settings
from ..problems import Problem, Problems
from ..yamlnodes import TAKEN, Mapping, Node, Scalar, compose, describe
from .entities import READERS, read_settings
from .fields import Context, Ref, did_you_mean
from .files import read_text

if TYPE_CHECKING:
    from .incremental import Spans

KINDS = ("sources", "providers", "facilities", "deals")
TOP_LEVEL = ("version", "settings") + KINDS
_NONE: tuple[()] = ()


@dataclass(frozen=True, slots=True)
class SettingsSection:
    """A file's `settings:` read on its own: settings never depend on other files."""
    line: int  # of the `settings` key
    col: int
    settings: Settings
    errors: tuple[Problem, ...]
    warnings: tuple[Problem, ...]


@dataclass(frozen=True, slots=True)
class Definition:
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
class FileUnit:
    """What one file contributes to a load: a function of its bytes and the settings only."""
    digest: bytes
    settings_key: tuple[Any, ...]  # the effective settings its entities were read with
    section: SettingsSection | None
    errors: tuple[Problem, ...]  # of the file as a whole: reading, YAML, top-level keys, ids
    warnings: tuple[Problem, ...]
    definitions: tuple[Definition, ...]
    spans: Spans | None = None  # the file's text by entity, when it can be re-read that way


class LoadCache:
    """What the last load made of each file. A load reads `units` once and replaces the whole
    dict when done, and units are never changed, so a superseded load still running in another
    thread does no harm."""

    def __init__(self) -> None:
        self.units: dict[str, FileUnit] = {}


def settings_key(settings: Settings) -> tuple[Any, ...]:
    return astuple(settings)


class EntityStream:
    """Reads each entity while the file is still being parsed, so that a file's node tree is
    never whole in memory (bench/README.md, "streamed entities").

    The entities are read with the settings known when the first one arrives: those of an
    earlier file, else this file's `settings:` when it comes before its entities, else the
    defaults. `settings_key` says which; a load whose settings turn out otherwise reads the
    file again (as for a changed `settings:` in another file)."""

    def __init__(self, path: str, settings: Settings | None) -> None:
        self.path = path
        self.settings = settings
        self.ctx: Context | None = None
        self.definitions: list[Definition] = []
        self.misnamed_errors: list[Problem] = []  # entities under invalid ids: reported, not kept
        self.misnamed_warnings: list[Problem] = []

    @property
    def settings_key(self) -> tuple[Any, ...] | None:
        """The settings the entities were read with (None: no entity was read)."""
        return settings_key(self.ctx.settings) if self.ctx is not None else None

    def __call__(self, kind: str, id_key: Scalar, body: Node, root: Mapping) -> None:
        ctx = self.ctx
        if ctx is None:
            settings = self.settings
            if settings is None:
                section = settings_section(self.path, root)
                settings = section.settings if section is not None else Settings()
            ctx = self.ctx = Context(Problems(), settings)
            ctx.path = self.path
        ident = id_key.value
        if v.ID_RE.fullmatch(ident):
            self.definitions.append(read_definition(kind, ident, id_key, body, ctx))
            return
        unread = read_definition(kind, ident, id_key, body, ctx)
        self.misnamed_errors.append(_invalid_id(self.path, id_key, ident))
        self.misnamed_errors.extend(unread.errors)
        self.misnamed_warnings.extend(unread.warnings)


def _invalid_id(path: str, id_key: Scalar, ident: str) -> Problem:
    return Problem(path, id_key.line, id_key.col,
                   f"invalid id {ident!r}: ids are lower-case letters, digits, '.', '_' and '-', "
                   "starting with a letter or digit")


def parse_file(path: str, data: bytes, progress: Callable[[float], None],
               stream: EntityStream | None = None) -> tuple[Mapping | None, Problems, str | None]:
    """The file's root mapping (None when there is none), what parsing it reported, its text.
    With `stream`, each entity is read as it is parsed and its place in the tree is `TAKEN`."""
    problems = Problems()
    text = read_text(path, problems, data)
    if text is None:
        return None, problems, None
    root = compose(text, path, problems, progress, stream, KINDS if stream is not None else ())
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


def settings_section(path: str, root: Mapping | None) -> SettingsSection | None:
    if root is None or "settings" not in root.items:
        return None
    key, value = root.items["settings"]
    if isinstance(value, Scalar) and value.is_null:
        return None  # `settings:` left empty is the same as leaving it out
    ctx = Context(Problems(), Settings())
    ctx.path = path
    read_settings(value, ctx)
    return SettingsSection(key.line, key.col, ctx.settings, tuple(ctx.problems.errors),
                            tuple(ctx.problems.warnings))


def read_file(path: str, digest: bytes, root: Mapping | None, problems: Problems,
               section: SettingsSection | None, settings: Settings, key: tuple[Any, ...],
               progress: Callable[[float], None], stream: EntityStream | None = None) -> FileUnit:
    """The unit of one parsed file (`root`), its entities read with `settings`; `stream`: the
    entities already read while parsing (read with the same settings)."""
    ctx = Context(problems, settings)
    ctx.path = path
    found: list[tuple[str, str, Scalar, Node]] = []
    misnamed: list[tuple[str, str, Scalar, Node]] = []  # read for their errors only, never kept
    for name, (name_key, value) in (root.items.items() if root is not None else ()):
        if name not in TOP_LEVEL:
            ctx.error(name_key, f"unknown top-level key '{name}'{did_you_mean(name, TOP_LEVEL)}; "
                                f"expected one of: {', '.join(TOP_LEVEL)}")
        elif name == "version":
            if not (isinstance(value, Scalar) and value.value.strip() == "1"):
                ctx.error(value, f"version: expected 1, found {describe(value)}")
        elif name == "settings":
            continue  # read on its own (settings_section); the merge decides whether it counts
        elif not (isinstance(value, Scalar) and value.is_null):
            if not isinstance(value, Mapping):
                ctx.error(value, f"{name}: expected a mapping of id to {name[:-1]}, found {describe(value)}")
                continue
            for ident, (id_key, body) in value.items.items():
                if body is TAKEN:
                    continue  # read while parsing
                if v.ID_RE.fullmatch(ident):
                    found.append((name, ident, id_key, body))
                else:
                    problems.errors.append(_invalid_id(path, id_key, ident))
                    misnamed.append((name, ident, id_key, body))
    if stream is not None:
        problems.errors.extend(stream.misnamed_errors)
        problems.warnings.extend(stream.misnamed_warnings)
    file_errors, file_warnings = tuple(problems.errors), tuple(problems.warnings)
    # An entity under an invalid id is not kept, but its own errors are reported all the same.
    for kind, ident, id_key, body in misnamed:
        unread = read_definition(kind, ident, id_key, body, ctx)
        file_errors += unread.errors
        file_warnings += unread.warnings
    # Sources first, so that everything else can refer to them.
    found.sort(key=lambda f: KINDS.index(f[0]))
    # The node tree is let go of entity by entity as it is read: peak memory is then the
    # entities plus what is left of the tree, not both whole (bench/README.md, "node tree").
    if root is not None:
        for _name, (_key, value) in root.items.items():
            if isinstance(value, Mapping):
                value.items.clear()
        root.items.clear()
    definitions = list(stream.definitions) if stream is not None else []
    total = len(found)
    found.reverse()  # popped from the end: in order, each entity's nodes dropped once read
    while found:
        kind, ident, id_key, body = found.pop()
        if not (total - len(found)) % 2048:
            progress((total - len(found)) / total)
        definitions.append(read_definition(kind, ident, id_key, body, ctx))
        del body
    if stream is not None:  # sources first, as when read after parsing (stable: file order)
        definitions.sort(key=lambda d: KINDS.index(d.kind))
    return FileUnit(digest, key, section, file_errors, file_warnings, tuple(definitions))


def read_definition(kind: str, ident: str, id_key: Scalar, body: Node, ctx: Context) -> Definition:
    """Read one entity, with what it reports and refers to. `ctx.problems` and `ctx.refs` are
    emptied first: they collect this entity's alone (the file's own problems were taken)."""
    errors, warnings, refs = ctx.problems.errors, ctx.problems.warnings, ctx.refs
    errors.clear()
    warnings.clear()
    refs.clear()
    ctx.field_nodes.clear()  # (positions of the last entity's nested values: no longer needed)
    entity = None
    if isinstance(body, Mapping):
        entity = READERS[kind](ident, body, ctx)
    else:
        ctx.error(body, f"{kind}.{ident}: expected a mapping of fields, found {describe(body)}")
    return Definition(kind, ident, id_key.line, id_key.col, entity,
                       tuple(errors) or _NONE, tuple(warnings) or _NONE, tuple(refs) or _NONE)


