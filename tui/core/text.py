"""Make text from config files safe to put on a terminal.

YAML escapes such as "\\e[2J" or "\\x9b31m" put raw control characters into strings; neither
Rich nor Textual strips them, so over SSH they would reach the user's terminal. Every place
that prints or renders file text goes through `visible()`. JSON output keeps the raw strings
(JSON escapes them itself).
"""
from __future__ import annotations

import re

# C0 controls and DEL become Unicode "control pictures" (ESC -> ␛); newline and tab are kept
# only in multi-line contexts.
_PICTURES = {c: chr(0x2400 + c) for c in range(0x20)}
_PICTURES[0x7F] = "\u2421"  # ␡
# C1 controls (0x80-0x9f, e.g. CSI 0x9b) and bidi overrides/isolates/marks have no picture:
# show their code point.
_CODEPOINTS = list(range(0x80, 0xA0)) + [
    0x061C, 0x200E, 0x200F, 0x202A, 0x202B, 0x202C, 0x202D, 0x202E,
    0x2066, 0x2067, 0x2068, 0x2069,
]
_ONE_LINE = {c: p for c, p in _PICTURES.items()}
for _c in _CODEPOINTS:
    _ONE_LINE[_c] = f"<U+{_c:04X}>"
_MULTI_LINE = dict(_ONE_LINE)
del _MULTI_LINE[0x0A]  # newline
del _MULTI_LINE[0x09]  # tab

_UNSAFE = re.compile("[" + "".join(re.escape(chr(c)) for c in sorted(_ONE_LINE)) + "]")


def visible(text: str, one_line: bool = True) -> str:
    """Return `text` with every control character replaced by a visible placeholder."""
    if _UNSAFE.search(text) is None:  # the common case: nothing to do (a C-speed scan)
        return text
    return text.translate(_ONE_LINE if one_line else _MULTI_LINE)
