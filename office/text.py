"""The one rule for when two texts a person typed are the same text.

Browsers send a textarea's line breaks as CRLF, editors leave spaces at the ends of lines and
blank lines at the end, and the same character can arrive composed or decomposed. None of that is
a change: a version that only changes line endings or spaces is not a version. Compare (and
store) ``normalize_text(text)``.
"""

from __future__ import annotations

import unicodedata


def normalize_text(text: str | None) -> str:
    """NFC; every line break (CRLF, CR, LF, U+2028 …) becomes LF; spaces at the end of each line
    (full-width ones too) and blank lines at the start and the end are dropped. Indentation at
    the start of a line (the two full-width spaces of a Chinese paragraph) is kept."""
    text = unicodedata.normalize("NFC", str(text or ""))
    lines = [line.rstrip() for line in text.splitlines()]
    while lines and not lines[-1]:
        lines.pop()
    while lines and not lines[0]:
        lines.pop(0)
    return "\n".join(lines)


def same_text(a: str | None, b: str | None) -> bool:
    return normalize_text(a) == normalize_text(b)
