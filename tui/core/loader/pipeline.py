"""The load itself: files to units (parsed, streamed, re-read by entity or reused) to one
portfolio; see the package docstring for the jobs it puts together."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from ..hashing import content_digest
from ..locations import config_files, default_paths
from ..model import Portfolio, Settings
from ..perf import without_gc
from ..problems import Problem, Problems
from ..yamlnodes import Mapping
from .files import read_bytes
from .incremental import Spans, reread, split_edit, with_spans
from .merge import merge
from .units import (
    EntityStream,
    FileUnit,
    LoadCache,
    SettingsSection,
    parse_file,
    read_file,
    settings_key,
    settings_section,
)


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


PARSE_SHARE = 0.6  # of a load's progress: parsing (the rest: reading the entities)


@without_gc
def load(paths: list[str] | None = None, contents: dict[str, bytes] | None = None,
         progress: Callable[[float], None] | None = None, cache: LoadCache | None = None,
         digests: dict[str, bytes] | None = None) -> LoadResult:
    """Load a portfolio from `paths` (default: SPEC §1's chain).

    Args:
        paths: YAML files or directories; None or empty: SPEC §1's default chain.
        contents: file paths (as listed by `config_files`) to bytes already read; files not
            in it are read from disk.
        progress: called now and then with the fraction done (parsing counts as the first
            60%, building the entities as the rest).
        cache: what earlier loads made of each file: a file whose bytes and effective
            settings are unchanged is not parsed again, and its entities are reused as they
            are (the monitor keeps one, so a reload after one file of a hundred changed
            parses one file).
        digests: the `content_digest` of files in `contents`, where already known.

    Returns:
        The portfolio (None when there are errors), every error and warning in reading
        order, and what was read.
    """
    return _load(paths, contents or {}, progress or (lambda fraction: None), cache, digests or {})


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
    # where it changed (see incremental.Spans).
    # Each parsed file's entities are read while it is parsed (units.EntityStream), with the
    # settings known by then; what is left of its tree is read in step 2.
    trees: dict[str, tuple[Mapping | None, Problems, str | None, EntityStream]] = {}
    sections: dict[str, SettingsSection | None] = {}
    by_span: dict[str, tuple[str, Spans]] = {}
    changed = [p for p in data if p not in old or old[p].digest != digests[p]]
    total, done = max(sum(len(data[p]) for p in changed), 1), 0
    for path in data:
        if path not in changed:
            sections[path] = old[path].section
            continue
        split = split_edit(path, data[path], old.get(path))
        if split is not None:
            by_span[path] = split
            sections[path] = old[path].section  # the settings are in the unchanged skeleton
            continue
        start, size = done, len(data[path])

        def file_progress(fraction: float, start: int = start, size: int = size) -> None:
            progress(PARSE_SHARE * (start + fraction * size) / total)
        earlier = next((s for s in sections.values() if s is not None), None)
        streamed = EntityStream(path, earlier.settings if earlier is not None else None)
        trees[path] = (*parse_file(path, data[path], file_progress, streamed), streamed)
        sections[path] = settings_section(path, trees[path][0])
        done += size
    progress(PARSE_SHARE)
    first = next((s for s in sections.values() if s is not None), None)
    settings = first.settings if first is not None else Settings()
    key = settings_key(settings)

    # 2. Read the entities of each file not already read with these settings.
    units: dict[str, FileUnit] = {}
    stale = [p for p in data if p in trees or p in by_span or old[p].settings_key != key]
    partial = []
    total, done = max(sum(len(data[p]) for p in stale), 1), 0
    for path in data:
        if path not in stale:
            units[path] = old[path]
            continue
        if path in by_span and old[path].settings_key == key:
            unit = reread(path, digests[path], *by_span[path], old[path], settings, key)
            if unit is not None:
                units[path] = unit
                partial.append(path)
                continue
        start, size = done, len(data[path])

        def build_progress(fraction: float, start: int = start, size: int = size) -> None:
            progress(PARSE_SHARE + (1 - PARSE_SHARE) * (start + fraction * size) / total)
        # Unchanged bytes but new settings, or entities streamed with other settings than
        # those that count: parse again (trees are not kept: they are large).
        stream: EntityStream | None = None
        if path in trees and trees[path][3].settings_key in (None, key):
            root, file_problems, text, stream = trees.pop(path)
            if root is None:
                stream = None  # a file that cannot be read as a whole reports only that
        else:
            trees.pop(path, None)
            root, file_problems, text = parse_file(path, data[path], lambda f: None)
        unit = read_file(path, digests[path], root, file_problems, sections[path], settings, key,
                         build_progress, stream)
        # Only a kept unit is ever re-read by entity: split the text only for a cache.
        units[path] = with_spans(unit, text) if cache is not None and text is not None else unit
        done += size
    if cache is not None:
        cache.units = units

    portfolio = merge(units, settings, problems)
    # Report in reading order: by file, then by position within it.
    order = {path: i for i, path in enumerate(files)}
    for found in (problems.errors, problems.warnings):
        found.sort(key=lambda p: (order.get(p.path, -1), p.line, p.col))
    ok = not problems.errors
    return LoadResult(portfolio if ok else None, problems.errors, problems.warnings, files, label, bundled,
                      parsed=stale, partial=partial)


