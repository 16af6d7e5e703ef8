"""visible(): control characters from files never reach a terminal."""
from hypothesis import given
from hypothesis import strategies as st

from tui.core.text import visible


def test_controls_become_placeholders():
    assert visible("a\x1b[2Jb") == "a␛[2Jb"
    assert visible("\x9b31m") == "<U+009B>31m"
    assert visible("x\x00y\x7f") == "x␀y␡"
    assert visible("\u202eevil\u2066") == "<U+202E>evil<U+2066>"
    assert visible("line1\nline2\tx") == "line1␊line2␉x"
    assert visible("line1\nline2\tx", one_line=False) == "line1\nline2\tx"
    assert visible("Space[/]X café 東京") == "Space[/]X café 東京"


@given(st.text())
def test_no_control_character_survives(text):
    out = visible(text)
    assert not any(ord(c) < 0x20 or 0x7F <= ord(c) < 0xA0 or c in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c" for c in out)


@given(st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cf"))))
def test_ordinary_text_is_unchanged(text):
    assert visible(text) == text
