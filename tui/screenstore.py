"""The reopen screen: a copy of what the main screen's panes showed for the files and the date,
kept in the user's cache, so that the monitor started again on the same files shows its first
screen at once, while the files are loaded behind it (a large portfolio takes a second or more
to load and evaluate, even from the reopen cache of units: `unitstore`).

What is kept is data, not terminal output: the first rows of each table (as many as the
terminal has lines), the columns' widths, the texts of the countdowns' exits and of the
capacity pane, the panes' titles and the header's date and count. It is shown in the panes'
own widgets and replaced by the loaded data, which is the same, as soon as the load is done.

Same rules as the other caches (`checkcache`): the user's own cache directory
(`$XDG_CACHE_HOME/dealmon/screens`), 0700, never used when others can write it; JSON, never
pickle; `DEALMON_NO_CACHE=1` turns it off. The key holds the format, the dealmon version and
code, the paths, every file's content (the snapshot's digest), the terminal's size, the fixed
as-of date (or "today") and the clock's zone; an entry also says which day it is for, and is a
miss on any other. Any doubt is a miss: a malformed entry, a style that does not parse, a text
with a control character.
"""
from __future__ import annotations

import json
import os
from collections.abc import Hashable, Mapping
from datetime import date
from typing import IO, Any, NamedTuple

from rich.errors import StyleSyntaxError
from rich.style import Style
from rich.text import Span, Text

from . import __version__
from .checkcache import code_fingerprint, private_cache_dir, write_entry
from .core.clock import local_zone_name, today
from .core.files import Refused, read_file
from .core.hashing import content_hasher
from .core.text import visible
from .rows.cells import Cell

FORMAT = 1
MAX_ENTRIES = 32  # screens (files × sizes × dates); the oldest are removed beyond
MAX_ENTRY_BYTES = 4 * 1024 * 1024


class TableCopy(NamedTuple):
    """The rows of a table as shown: the first keys in display order, their cells, the
    columns' widths (as `VirtualTable.show_source` takes them) and the pane's title."""

    keys: tuple[Hashable, ...]
    rows: Mapping[Hashable, tuple[Cell, ...]]
    widths: tuple[int, ...]
    title: str
    total: int  # rows of the whole table (the copy holds the first ones)


class ScreenCopy(NamedTuple):
    """What the main screen's panes showed for one set of files, date and terminal size."""

    as_of: date
    today: date
    zone: str  # the portfolio's clock: the day an entry is for is checked in it
    deals: int  # the header's count
    deal_table: TableCopy
    event_table: TableCopy
    asks: Mapping[Hashable, str]  # what each copied event asks (the line under the countdowns)
    exits: Text
    capacity: tuple[Text, Text, Text]  # totals, timeline, providers
    capacity_title: str


class Undecodable(ValueError):
    """An entry that is not exactly what `encode` writes."""


def _text_json(text: Text) -> list[Any]:
    return [text.plain, str(text.style), [[s.start, s.end, str(s.style)] for s in text.spans], text.end,
            text.no_wrap, text.overflow, text.justify]


def _style(definition: Any) -> Style:
    if not isinstance(definition, str):
        raise Undecodable("a style is not text")
    try:
        return Style.parse(definition)
    except StyleSyntaxError as exc:
        raise Undecodable(str(exc)) from None


def _safe(text: Any, one_line: bool = True) -> str:
    if not isinstance(text, str) or visible(text, one_line) != text:
        raise Undecodable("not text, or a control character")
    return text


def _text(value: Any) -> Text:
    plain, style, spans, end, no_wrap, overflow, justify = value
    spans = [Span(int(start), int(stop), _style(span_style)) for start, stop, span_style in spans]
    if overflow not in (None, "fold", "crop", "ellipsis", "ignore") or justify not in (
            None, "default", "left", "center", "right", "full") or end not in ("", "\n"):
        raise Undecodable("a text's layout")
    return Text(_safe(plain, one_line=False), style=_style(style), spans=spans, end=end, no_wrap=bool(no_wrap),
                overflow=overflow, justify=justify)


def _key_json(key: Hashable) -> Any:
    if isinstance(key, tuple):  # an event: (deal, kind, date)
        deal, kind, day = key
        return [deal, str(kind), day.isoformat()]
    return key


def _key(value: Any) -> Hashable:
    if isinstance(value, list):
        deal, kind, day = value
        return (_safe(deal), _safe(kind), date.fromisoformat(day))
    return _safe(value)


def _cells(value: Any) -> tuple[Cell, ...]:
    cells = []
    for text, style in value:
        _style(style)  # (parsed when drawn: a bad one would fail there)
        cells.append((_safe(text), style))
    return tuple(cells)


def _table_json(table: TableCopy) -> dict[str, Any]:
    return {"keys": [_key_json(k) for k in table.keys], "rows": [list(map(list, table.rows[k])) for k in table.keys],
            "widths": list(table.widths), "title": table.title, "total": table.total}


def _table(value: Any) -> TableCopy:
    keys = tuple(_key(k) for k in value["keys"])
    rows = [_cells(row) for row in value["rows"]]
    widths = tuple(value["widths"])
    if len(rows) != len(keys) or not all(isinstance(w, int) and 0 <= w < 1000 for w in widths) or any(
            len(row) != len(widths) for row in rows) or not isinstance(value["total"], int):
        raise Undecodable("a table's shape")
    return TableCopy(keys, dict(zip(keys, rows, strict=True)), widths, _safe(value["title"]), value["total"])


def encode(copy: ScreenCopy) -> dict[str, Any]:
    return {"format": FORMAT, "as_of": copy.as_of.isoformat(), "today": copy.today.isoformat(), "zone": copy.zone,
            "deals": copy.deals, "deal_table": _table_json(copy.deal_table),
            "event_table": _table_json(copy.event_table),
            "asks": [[_key_json(k), copy.asks[k]] for k in copy.event_table.keys if k in copy.asks],
            "exits": _text_json(copy.exits), "capacity": [_text_json(t) for t in copy.capacity],
            "capacity_title": copy.capacity_title}


def decode(entry: Any) -> ScreenCopy:
    """The copy `encode` wrote; Undecodable for anything else."""
    try:
        if not isinstance(entry, dict) or entry.get("format") != FORMAT or not isinstance(entry["deals"], int):
            raise Undecodable("not an entry of this format")
        totals, timeline, providers = (_text(t) for t in entry["capacity"])
        return ScreenCopy(
            date.fromisoformat(entry["as_of"]), date.fromisoformat(entry["today"]), _safe(entry["zone"]),
            entry["deals"], _table(entry["deal_table"]), _table(entry["event_table"]),
            {_key(k): _safe(asks) for k, asks in entry["asks"]}, _text(entry["exits"]),
            (totals, timeline, providers), _safe(entry["capacity_title"]))
    except (KeyError, TypeError, ValueError, IndexError) as exc:  # (Undecodable is a ValueError)
        raise Undecodable(str(exc)) from None


class ScreenStore:
    """Screen copies on disk, one JSON file each (see the module docstring)."""

    def __init__(self, directory: str) -> None:
        self.directory = directory

    @classmethod
    def open(cls, environ: Mapping[str, str] | None = None) -> ScreenStore | None:
        """The user's store; None when caching is off or the directory is not safe."""
        path = private_cache_dir("screens", environ)
        return cls(path) if path is not None else None

    @staticmethod
    def entry_name(paths: list[str], files_digest: str, size: tuple[int, int], fixed: date | None) -> str:
        """The entry of these paths, files (a snapshot's digest), terminal size and as-of date
        (None: following today)."""
        hasher = content_hasher()
        hasher.update(json.dumps([FORMAT, __version__, code_fingerprint(), paths, files_digest, list(size),
                                  fixed.isoformat() if fixed else "today", local_zone_name(),
                                  os.environ.get("TZ", "")]).encode("utf-8", "surrogateescape"))
        return str(hasher.hexdigest()) + ".json"

    def fetch(self, name: str, now: Any, fixed: date | None) -> ScreenCopy | None:
        """The copy stored as `name`, when sound and for today (`now`: the clock, aware) or for
        the fixed date."""
        try:
            copy = decode(json.loads(read_file(os.path.join(self.directory, name), MAX_ENTRY_BYTES)))
        except (Refused, ValueError, RecursionError):
            return None
        day = today(copy.zone, now)
        return copy if copy.today == day and copy.as_of == (fixed or day) else None

    def keep(self, name: str, copy: ScreenCopy) -> None:
        """Store `copy` as `name`; a store that cannot be written is no store, not an error."""
        def write(fh: IO[str]) -> None:
            json.dump(encode(copy), fh, ensure_ascii=False)
        write_entry(self.directory, name, write, MAX_ENTRIES)
