"""Compose YAML text into a small node tree that keeps every node's position.

We build the tree ourselves from the parser's event stream instead of calling
`yaml.compose`, for three reasons:
- safety: libyaml's composer recurses in C and segfaults around 50,000 levels of nesting, and
  PyYAML's pure composer raises RecursionError; here the depth limit is checked per event, so
  deep input is an error, not a crash;
- limits: an alias bomb (billion laughs) is tiny as text and explodes when walked, so the
  expanded size of every alias is counted before anything is built; duplicate keys, which
  PyYAML silently collapses, are detected with both positions;
- speed: no resolver runs and no Python value is constructed; field parsers read the scalar
  text as written. With libyaml present the event stream comes from C.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import cache
from types import ModuleType
from typing import Any, cast

from .problems import Problems

MAX_DEPTH = 100
MAX_STRING = 10_000
MAX_ALIAS_NODES = 100_000

_STR_TAG = "tag:yaml.org,2002:str"
_ALLOWED_COLLECTION_TAGS = {None, "!", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"}


class Node:
    __slots__ = ("line", "col")
    kind = "node"

    def __init__(self, line: int, col: int) -> None:
        self.line = line  # 1-based
        self.col = col  # 1-based


class Scalar(Node):
    __slots__ = ("value", "plain")
    kind = "scalar"

    def __init__(self, value: str, plain: bool, line: int, col: int) -> None:
        super().__init__(line, col)
        self.value = value  # the text exactly as written (after YAML unescaping)
        self.plain = plain  # unquoted: YAML 1.1 would read `NO`, `10:00`, `0755` as non-text

    @property
    def is_null(self) -> bool:
        return self.plain and self.value in ("", "~", "null", "Null", "NULL")

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return f"Scalar({self.value!r}, plain={self.plain}, {self.line}:{self.col})"


class Mapping(Node):
    __slots__ = ("items",)
    kind = "mapping"

    def __init__(self, line: int, col: int) -> None:
        super().__init__(line, col)
        self.items: dict[str, tuple[Scalar, Node]] = {}


class Sequence(Node):
    __slots__ = ("items",)
    kind = "sequence"

    def __init__(self, line: int, col: int) -> None:
        super().__init__(line, col)
        self.items: list[Node] = []


def describe(node: Node) -> str:
    """A short description of what was found, for 'expected X, found Y' messages."""
    if isinstance(node, Scalar):
        if node.is_null:
            return "nothing (null)"
        text = node.value if len(node.value) <= 40 else node.value[:37] + "..."
        return repr(text)
    return "a list" if isinstance(node, Sequence) else "a mapping"


@cache
def _pyyaml() -> tuple[ModuleType, type[Any]]:
    """PyYAML and its parser (libyaml's when present: same events and marks as the pure one).

    The start-up seam: PyYAML is imported when the first file is parsed, not when the monitor
    starts, so its first frame does not wait for it (bench/README.md, "start-up")."""
    import yaml

    try:
        return yaml, yaml.CSafeLoader
    except AttributeError:  # pragma: no cover - a PyYAML built without libyaml
        return yaml, yaml.SafeLoader


class _Abort(Exception):
    """Stop composing this file: a limit was hit and going on could be costly."""


# An entity handed over while composing: (kind, its id key, its body, the root mapping so far).
EntityHandler = Callable[[str, "Scalar", Node, "Mapping"], None]


class _Taken(Node):
    """Where an entity handed to an `EntityHandler` was: its key stays (duplicate ids are
    still found), its nodes are gone."""
    __slots__ = ()
    kind = "taken"


TAKEN = _Taken(0, 0)


def compose(text: str, path: str, problems: Problems,
            progress: Callable[[float], None] | None = None,
            on_entity: EntityHandler | None = None, entity_kinds: Iterable[str] = ()) -> Node | None:
    """Compose `text` (one YAML document) into nodes; report every problem to `problems`.

    Args:
        on_entity: called with each entity (each value of a mapping under a top-level key in
            `entity_kinds`) as soon as it is complete; its place in the tree then holds
            `TAKEN`. The tree of a large file is then never whole in memory: peak memory is
            one entity's nodes, not the file's (bench/README.md, "streamed entities").

    Returns None for an empty stream or when the file cannot be read as a whole (a syntax
    error, a limit). Problems that leave the tree usable (a duplicate key keeps the first, a
    disallowed tag or an over-long string) are reported and the tree is still returned, so the
    rest of the file is checked too.
    """
    yaml, _ = _pyyaml()
    try:
        root = _compose_events(text, path, problems, progress, on_entity, frozenset(entity_kinds))
    except _Abort:
        return None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        what = exc.problem or exc.context or "invalid YAML"
        if exc.context and exc.problem:
            what = f"{exc.problem} ({exc.context})"
        problems.error(path, line, col, f"invalid YAML: {what}")
        return None
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow (NUL, C0 controls)
        line, col = _line_col(text, exc.position)
        problems.error(path, line, col, f"invalid YAML: character U+{exc.character:04X} is not allowed "
                                        f"({exc.reason})")
        return None
    except yaml.YAMLError as exc:  # pragma: no cover - unmarked parser errors are rare
        problems.error(path, 1, 1, f"invalid YAML: {exc}")
        return None
    return root


def _line_col(text: str, position: int) -> tuple[int, int]:
    """1-based line and column of the character at `position` (libyaml counts characters)."""
    before = text[:position]
    return before.count("\n") + 1, position - (before.rfind("\n") + 1) + 1


PROGRESS_EVERY = 1 << 16  # events between progress reports (a 10,000-deal file has ~600,000)


def _compose_events(text: str, path: str, problems: Problems,
                    progress: Callable[[float], None] | None = None,
                    on_entity: EntityHandler | None = None, entity_kinds: frozenset[str] = frozenset(),
                    ) -> Node | None:
    # Frames of open collections: [node, size, pending key (mappings), anchor, entity kind]
    # (the kind when the frame is the mapping of one kind of entity and they are handed over)
    stack: list[list[Any]] = []
    anchors: dict[str, tuple[Node, int]] = {}
    alias_nodes = 0
    root: Node | None = None
    root_so_far: Node | None = None  # the outermost open collection
    documents = 0
    error = problems.error

    def attach(node: Node, size: int) -> None:
        nonlocal root
        if not stack:
            root = node
            return
        frame = stack[-1]
        frame[1] += size
        parent = frame[0]
        if isinstance(parent, Sequence):
            parent.items.append(node)
            return
        key = frame[2]
        if key is None:
            if not isinstance(node, Scalar):
                error(path, node.line, node.col, "a key must be a plain value, found " + describe(node))
                frame[2] = False  # remember to drop the value that follows
                return
            frame[2] = node
            return
        frame[2] = None
        if key is False:
            return
        first = parent.items.get(key.value)
        if first is not None:
            error(path, key.line, key.col,
                  f"duplicate key {key.value!r} (first at line {first[0].line}, column {first[0].col})")
            return
        if frame[4] is not None and key.value != "<<":
            assert on_entity is not None and isinstance(root_so_far, Mapping)
            on_entity(frame[4], key, node, root_so_far)
            node = TAKEN
        parent.items[key.value] = (key, node)

    text_length = max(len(text), 1)
    # Events are read untyped: the hot loop tests classes with `is` (PyYAML's stubs type
    # events as their base class).
    yaml, loader = _pyyaml()
    events = cast(Iterable[Any], yaml.parse(text, Loader=loader))
    for count, event in enumerate(events):
        cls = event.__class__
        mark = event.start_mark
        if progress is not None and not count % PROGRESS_EVERY:
            progress(mark.index / text_length)
        if cls is yaml.ScalarEvent:
            value = event.value
            line, col = mark.line + 1, mark.column + 1
            if len(value) > MAX_STRING:
                error(path, line, col, f"string of {len(value):,} characters is over the limit of {MAX_STRING:,}")
                value = ""
            tag = event.tag
            plain = event.style in (None, "") and tag is None
            if tag is not None and tag != "!" and tag != _STR_TAG:
                error(path, line, col, f"YAML tags are not allowed here, found {tag}")
            node = Scalar(value, plain, line, col)
            if event.anchor is not None:
                anchors[event.anchor] = (node, 1)
            attach(node, 1)
        elif cls is yaml.MappingStartEvent or cls is yaml.SequenceStartEvent:
            line, col = mark.line + 1, mark.column + 1
            if len(stack) >= MAX_DEPTH:
                error(path, line, col, f"nesting deeper than {MAX_DEPTH} levels")
                raise _Abort
            if event.tag not in _ALLOWED_COLLECTION_TAGS:
                error(path, line, col, f"YAML tags are not allowed here, found {event.tag}")
            opened: Node = Mapping(line, col) if cls is yaml.MappingStartEvent else Sequence(line, col)
            entity_kind = None
            if not stack:
                root_so_far = opened
            elif on_entity is not None and len(stack) == 1 and isinstance(opened, Mapping):
                outer_key = stack[0][2]  # the top-level key this mapping is the value of
                # (a duplicate top-level key's value is dropped, never read: not handed over)
                if (isinstance(outer_key, Scalar) and outer_key.value in entity_kinds
                        and outer_key.value not in stack[0][0].items):
                    entity_kind = outer_key.value
            stack.append([opened, 1, None, event.anchor, entity_kind])
        elif cls is yaml.MappingEndEvent or cls is yaml.SequenceEndEvent:
            closed, size, _key, anchor, _kind = stack.pop()
            if isinstance(closed, Mapping) and "<<" in closed.items:
                _merge(closed, path, problems)
            if anchor is not None:
                anchors[anchor] = (closed, size)
            attach(closed, size)
        elif cls is yaml.AliasEvent:
            line, col = mark.line + 1, mark.column + 1
            target = anchors.get(event.anchor)
            if target is None:
                error(path, line, col, f"unknown or recursive alias *{event.anchor}")
                attach(Scalar("", True, line, col), 1)
                continue
            alias_nodes += target[1]
            if alias_nodes > MAX_ALIAS_NODES:
                error(path, line, col, f"aliases expand to more than {MAX_ALIAS_NODES:,} nodes")
                raise _Abort
            # A copy placed at the alias: an error about it points here, not at the anchor.
            attach(_relocated(target[0], line, col), target[1])
        elif cls is yaml.DocumentStartEvent:
            documents += 1
            if documents > 1:
                error(path, mark.line + 1, mark.column + 1,
                      "expected a single YAML document, found a second one")
                raise _Abort
    return root


def _relocated(node: Node, line: int, col: int) -> Node:
    """A deep copy of `node` with every position at (line, col): what an alias or a merge
    brings in is reported where it was brought in (SPEC §1, "Positions")."""
    if isinstance(node, Scalar):
        return Scalar(node.value, node.plain, line, col)
    if isinstance(node, Sequence):
        seq = Sequence(line, col)
        seq.items = [_relocated(item, line, col) for item in node.items]
        return seq
    assert isinstance(node, Mapping)
    mapping = Mapping(line, col)
    mapping.items = {name: (Scalar(k.value, k.plain, line, col), _relocated(v, line, col))
                     for name, (k, v) in node.items.items()}
    return mapping


def _merge(node: Mapping, path: str, problems: Problems) -> None:
    """YAML merge keys: `<<: *base` (or a list of them) fills keys not given explicitly; what
    it brings in is placed at the merge key."""
    key, value = node.items.pop("<<")
    if not key.plain:
        node.items["<<"] = (key, value)
        return
    sources = value.items if isinstance(value, Sequence) else [value]
    for source in sources:
        if not isinstance(source, Mapping):
            problems.error(path, source.line, source.col,
                           "a merge (<<) expects a mapping or a list of mappings, found " + describe(source))
            continue
        for name, (k, v) in source.items.items():
            if name not in node.items:
                node.items[name] = (Scalar(k.value, k.plain, key.line, key.col), _relocated(v, key.line, key.col))
