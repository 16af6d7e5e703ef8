"""`Spans.split` (core/loader/incremental.py) cuts a file into its entities' texts and the rest by
looking only at the lines at two spaces or less. It must give exactly what reading the file line
by line gives: the reference below, across random block-style texts (kind keys, entity ids,
deeper lines, comments, blank lines, settings, document markers, bad indents)."""
from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from tui.core.loader.incremental import Spans
from tui.core.loader.units import KINDS

_TOP = re.compile(r"([a-z_]+):[ ]*(?:#.*)?")
_ENTITY = re.compile(r"  ([a-z0-9][a-z0-9._-]*):(?: .*)?")


def reference_split(text: str):
    """The split, one line at a time (the implementation before the structure-line scan)."""
    if any(c in text for c in "&*!\t\r"):
        return None
    skeleton, entities, kind, current = [], [], None, None
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
            match = _TOP.fullmatch(line)
            kind = match.group(1) if match and match.group(1) in KINDS else None
            current = None
            skeleton.append((n, line))
        elif kind is None:
            skeleton.append((n, line))
        elif indent == 2:
            match = _ENTITY.fullmatch(line)
            if match is None:
                return None
            current = [kind, match.group(1), n, [line]]
            entities.append(current)
        elif indent > 2 and current is not None:
            current[3].append(line)
        else:
            return None
    entities.sort(key=lambda e: KINDS.index(e[0]))
    return tuple(skeleton), tuple((k, i, n, "\n".join(lines)) for k, i, n, lines in entities)


LINES = st.sampled_from([
    "deals:", "providers:", "facilities:", "settings:", "other:", "deals:  # the deals", "deals: x",
    "  d1:", "  d2: {buyer: B}", "  p_1:", "  Bad:", "   x: 1", "    buyer: B", "      - 1", "  buyer: C",
    " x: 1", "", "  ", "     ", "# comment", "  # comment", "      # deep comment", "---", "...", "%YAML 1.2",
    "version: 1", "a: &x 1", "b: !!str 2", "x:\tthing",
])


@settings(max_examples=3000, deadline=None)
@given(st.lists(LINES, max_size=14), st.booleans())
def test_the_split_equals_reading_line_by_line(lines, trailing_newline):
    text = "\n".join(lines) + ("\n" if trailing_newline else "")
    got = Spans.split(text)
    expected = reference_split(text)
    assert (None if got is None else (got.skeleton, got.entities)) == expected


def test_a_generated_portfolio_splits_the_same(tmp_path):
    from conftest import generated

    text = open(generated(tmp_path / "big.yaml", 300, 20), encoding="utf-8").read()
    got = Spans.split(text)
    assert got is not None and len(got.entities) > 300
    assert (got.skeleton, got.entities) == reference_split(text)
