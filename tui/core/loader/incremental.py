"""Re-reading a large file entity by entity: after an in-place edit of a plain block-style
file, only the entities whose lines changed are parsed again, each alone at its own lines so
that every position stays the file's. Anything structural falls back to a whole-file read."""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

from ..model import Settings
from ..problems import Problems
from ..yamlnodes import Mapping, compose
from .fields import Context
from .files import read_text
from .units import KINDS, FileUnit, read_definition

_TOP_BLOCK_KEY = re.compile(r"([a-z_]+):[ ]*(?:#.*)?")  # e.g. "deals:" opening a block mapping
_ENTITY_KEY = re.compile(r"  ([a-z0-9][a-z0-9._-]*):(?: .*)?")  # e.g. "  d000001:" in such a block
SPAN_REREAD_LIMIT = 64  # more entities changed than this: parse the whole file instead
SPAN_MIN_CHARS = 32_768  # a smaller file is parsed whole in a few ms: no split kept for it


@dataclass(frozen=True, slots=True)
class Spans:
    """A file's text cut into its entities' lines and the rest (the skeleton).

    Only for plain block-style files: top-level kind keys opening block mappings, entity ids
    at two spaces, everything deeper below them; no anchors, aliases or tags (`&`, `*`, `!`
    anywhere), tabs, CRs or document markers. In block style a line indented by two spaces or
    less ends everything above it, so each entity's lines parse alone exactly as within the
    file. A split is only used after a full parse of the same file showed the same entity
    keys at the same lines, and only for an edit that keeps the skeleton line for line."""

    skeleton: tuple[tuple[int, str], ...]  # (line number, text) of every line not an entity's
    # (kind, id, first line, text), in definition order; a kept split (`kept`) has the text's
    # hash in place of the text: only compared, never parsed again (bench/README.md, "kept strings")
    entities: tuple[tuple[str, str, int, str | int], ...]

    def kept(self) -> Spans:
        """This split as a unit keeps it: each entity's text replaced by its hash."""
        return Spans(self.skeleton, tuple((k, i, n, t if isinstance(t, int) else hash(t))
                                          for k, i, n, t in self.entities))

    @classmethod
    def split(cls, text: str) -> Spans | None:
        """The split of `text`, or None when it is not a plain block-style file.

        Only the lines at two spaces or less that are neither blank nor comments (the kind
        keys, the entity ids, a settings block's keys) are looked at one by one; an entity's
        text is the slice up to the next such line. Making a string of every line cost as much
        time as the rest of an in-place edit's load, and its list was the load's memory peak
        (bench/README.md, "entity spans")."""
        if any(c in text for c in "&*!\t\r"):
            return None
        skeleton: list[tuple[int, str]] = []
        entities: list[tuple[str, str, int, int, int]] = []  # (kind, id, first line, start, end)
        kind: str | None = None
        in_entity = False
        line, at = 1, 0  # the line number at offset `at`
        gap_start, gap_line = 0, 1  # the lines after the last structure line
        for match in _STRUCTURE.finditer(text):
            start = match.start()
            line += text.count("\n", at, start)
            at = start
            if not in_entity and not _gap_to_skeleton(text[gap_start:start], gap_line, kind, skeleton):
                return None
            if in_entity:
                kind_, ident, first, begin, _ = entities[-1]
                entities[-1] = (kind_, ident, first, begin, start - 1)
                in_entity = False
            indent, row = len(match.group(1)), match.group(0)
            if indent == 0:
                if row.startswith(("---", "...", "%")):
                    return None
                top = _TOP_BLOCK_KEY.fullmatch(row)
                kind = top.group(1) if top and top.group(1) in KINDS else None
                skeleton.append((line, row))
            elif kind is None:
                skeleton.append((line, row))  # e.g. the settings block
            elif indent == 2 and (key := _ENTITY_KEY.fullmatch(row)) is not None:
                entities.append((kind, key.group(1), line, start, len(text)))
                in_entity = True
            else:
                return None
            gap_start, gap_line = match.end() + 1, line + 1
        if not in_entity and gap_start <= len(text):
            if not _gap_to_skeleton(text[gap_start:] + "\n", gap_line, kind, skeleton):
                return None
        order = sorted(range(len(entities)), key=lambda i: KINDS.index(entities[i][0]))  # stable
        return cls(tuple(skeleton), tuple((entities[i][0], entities[i][1], entities[i][2],
                                           text[entities[i][3]:entities[i][4]]) for i in order))


# A line at two spaces or less that is neither blank nor a comment: what a split looks at.
_STRUCTURE = re.compile(r"^( {0,2})[^ #\n][^\n]*", re.M)


def _gap_to_skeleton(gap: str, first: int, kind: str | None, skeleton: list[tuple[int, str]]) -> bool:
    """The lines between two structure lines outside any entity (`gap`, each ending in a
    newline) go to the skeleton: under a kind key only blank lines and comments may stand there
    (False otherwise: not a plain file); elsewhere (the settings block) anything."""
    for n, row in enumerate(gap.split("\n")[:-1], first):
        if kind is not None and row.strip(" ") and not row.lstrip(" ").startswith("#"):
            return False
        skeleton.append((n, row))
    return True


def split_edit(path: str, data: bytes, unit: FileUnit | None) -> tuple[str, Spans] | None:
    """The new text and its split, when `unit` (the file as last read) can be re-read by entity."""
    if unit is None or unit.spans is None:
        return None
    text = read_text(path, Problems(), data)
    if text is None:
        return None
    spans = Spans.split(text)
    if spans is None or spans.skeleton != unit.spans.skeleton:
        return None
    return text, spans


def reread(path: str, digest: bytes, text: str, spans: Spans, unit: FileUnit,
           settings: Settings, key: tuple[Any, ...]) -> FileUnit | None:
    """The file's unit from `unit`, re-reading only the entities whose lines changed; None
    when it must be parsed whole (an id given twice, a YAML error, too many changes)."""
    assert unit.spans is not None, "only a unit with spans is re-read by entity"
    before = {(k, i): (n, t, d) for (k, i, n, t), d in zip(unit.spans.entities, unit.definitions, strict=True)}
    ctx = Context(Problems(), settings)
    ctx.path = path
    definitions, seen, changed = [], set(), 0
    for kind, ident, first, lines in spans.entities:
        if (kind, ident) in seen:
            return None
        seen.add((kind, ident))
        old = before.get((kind, ident))
        assert isinstance(lines, str), "a new split has the texts"
        if old is not None and old[0] == first and old[1] == hash(lines):
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
        definitions.append(read_definition(kind, ident, id_key, body, ctx))
    return FileUnit(digest, key, unit.section, unit.errors, unit.warnings, tuple(definitions), spans.kept())


def with_spans(unit: FileUnit, text: str) -> FileUnit:
    """`unit` with its file's text split by entity, when later edits may be re-read that way:
    a large, clean file whose split matches, line for line, what the full parse saw."""
    if len(text) < SPAN_MIN_CHARS or unit.errors or unit.warnings:
        return unit
    spans = Spans.split(text)
    if spans is None or [(k, i, line) for k, i, line, _ in spans.entities] != [
            (d.kind, d.ident, d.line) for d in unit.definitions]:
        return unit  # the text split does not match what the parser saw: never by entity
    return replace(unit, spans=spans.kept())

