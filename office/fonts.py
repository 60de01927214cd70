"""Which bundled font draws a character: the faces of printed documents and what they cover.

A *face* (仿宋, 宋体, 黑体, 楷体) is a CSS ``font-family`` stack of fonts vendored in
``static/fonts``: the face's primary font first, then its declared fallbacks. Nothing else ever
draws a character in a PDF (``office.pdf`` hides the host's fonts from WeasyPrint), so
``font_for(char, face)`` is the whole answer to "which font prints this character": the first
font of the stack whose character map has it, or ``None``. The PDF renderer's missing-glyph
check and the tests use it; coverage is read from the font files' cmaps once per process.

The rule the vendored fonts meet (``static/fonts/build_fonts.py`` builds the fallbacks to it and
``tests/office/test_fonts.py`` proves it): every face draws every character of
``required_characters()`` = GBK (two-byte GB 18030) ∪ CJK Extension A ∪ the 8,105 characters of
the 通用规范汉字表 ∪ printable Latin-1. Characters that no font of a face draws are printed as
``PLACEHOLDER`` (〓); emoji are always such characters (see ``replace_undrawn``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from django.conf import settings

CHARSET_DIR = Path(__file__).resolve().parent / "charsets"

#: printed instead of a character no font of the face draws: the geta mark, the typesetters'
#: sign for a missing character (GB 2312 0xA1FE), drawn by every face.
PLACEHOLDER = "〓"


@dataclass(frozen=True)
class BundledFont:
    family: str  # the CSS family name declared by @font-face
    filename: str  # in settings.FONT_DIR
    origin: str  # where the file comes from (static/fonts/README.md has the details)

    @property
    def path(self) -> Path:
        return Path(settings.FONT_DIR) / self.filename

    def draws(self, char: str) -> bool:
        return ord(char) in _codepoints(self.filename)


@dataclass(frozen=True)
class Face:
    key: str
    label: str  # the face's Chinese name
    families: tuple[str, ...]  # primary font first, then the declared fallbacks, in order

    @property
    def css(self) -> str:
        """The CSS font-family value of the face (no generic family: none is bundled)."""
        return ", ".join(f'"{family}"' for family in self.families)

    @property
    def variable(self) -> str:
        """The CSS custom property that holds the stack (``font-family: var(--zb-hei)``)."""
        return f"--zb-{self.key}"

    @property
    def fonts(self) -> tuple[BundledFont, ...]:
        return tuple(FONTS[family] for family in self.families)


_FANDOL = "Fandol 0.3 (texlive-lang-chinese), GPL with font exception"
FONTS: dict[str, BundledFont] = {font.family: font for font in (
    BundledFont("ZB Fangsong", "FandolFang-Regular.otf", _FANDOL),
    BundledFont("ZB Song", "FandolSong-Regular.otf", _FANDOL),
    BundledFont("ZB Hei", "FandolHei-Regular.otf", _FANDOL),
    BundledFont("ZB Kai", "FandolKai-Regular.otf", _FANDOL),
    BundledFont("ZB Serif Ext", "ZBSerifExt-Regular.otf", "subset of Noto Serif CJK SC (fonts-noto-cjk), OFL 1.1"),
    BundledFont("ZB Sans Ext", "ZBSansExt-Regular.otf", "subset of Noto Sans CJK SC (fonts-noto-cjk), OFL 1.1"),
    BundledFont("ZB Kai Ext", "ZBKaiExt-Regular.ttf", "subset of LXGW WenKai (fonts-lxgw-wenkai), OFL 1.1"),
    BundledFont("ZB Symbols", "ZBSymbols-Regular.ttf", "subset of DejaVu Sans (fonts-dejavu-core), free licence"),
)}

# The faces of printed documents (GB/T 9704: 仿宋 body, 黑体 and 楷体 headings, 宋体). A new face
# (the 小标宋 title face of outgoing documents) is one more entry here plus its files in
# static/fonts/build_fonts.py; everything else (CSS, checks, tests) follows from this table.
FACES: dict[str, Face] = {face.key: face for face in (
    Face("fangsong", "仿宋", ("ZB Fangsong", "ZB Serif Ext", "ZB Symbols")),
    Face("song", "宋体", ("ZB Song", "ZB Serif Ext", "ZB Symbols")),
    Face("hei", "黑体", ("ZB Hei", "ZB Sans Ext", "ZB Symbols")),
    Face("kai", "楷体", ("ZB Kai", "ZB Kai Ext", "ZB Serif Ext", "ZB Symbols")),
)}


@cache
def _codepoints(filename: str) -> frozenset[int]:
    from fontTools.ttLib import TTFont

    with TTFont(Path(settings.FONT_DIR) / filename, lazy=True) as font:
        return frozenset(font.getBestCmap())


def _families(face: str | Face | Iterable[str]) -> tuple[str, ...]:
    if isinstance(face, Face):
        return face.families
    if isinstance(face, str):
        if face not in FACES:
            raise ValueError(f"unknown face {face!r}: one of {', '.join(FACES)}, or a font-family list")
        return FACES[face].families
    return tuple(face)


def font_for(char: str, face: str | Face | Iterable[str]) -> BundledFont | None:
    """The bundled font that draws ``char`` in ``face``, or ``None`` when none of its fonts does.

    ``face`` is a face key (``"fangsong"``), a ``Face``, or a CSS font-family list as WeasyPrint
    computes it (names that are not bundled fonts, such as ``serif``, draw nothing).
    """
    return _font_for(char, _families(face))


@lru_cache(maxsize=100_000)
def _font_for(char: str, families: tuple[str, ...]) -> BundledFont | None:
    codepoint = ord(char)
    for family in families:
        font = FONTS.get(family)
        if font is not None and codepoint in _codepoints(font.filename):
            return font
    return None


def is_invisible(char: str) -> bool:
    """Characters that print no glyph of their own: controls, format characters (ZWJ, soft hyphen),
    variation selectors and spaces (HarfBuzz spaces them even where a font has no glyph)."""
    codepoint = ord(char)
    if 0xFE00 <= codepoint <= 0xFE0F or 0xE0100 <= codepoint <= 0xE01EF or 0x180B <= codepoint <= 0x180F:
        return True
    return unicodedata.category(char) in {"Cc", "Cf", "Zs", "Zl", "Zp"}


def undrawn(text: str, face: str | Face | Iterable[str]) -> set[str]:
    """The characters of ``text`` that no font of ``face`` draws. A combining mark counts as drawn
    when it composes with the character before it into one the face draws (e + ◌́ = é)."""
    families = _families(face)
    missing = set()
    previous = ""
    for char in text:
        if not is_invisible(char) and _font_for(char, families) is None:
            composed = unicodedata.normalize("NFC", previous + char) if previous else ""
            if not (unicodedata.combining(char) and len(composed) == 1 and _font_for(composed, families)):
                missing.add(char)
        previous = char
    return missing


# --- emoji -----------------------------------------------------------------------------------

@cache
def _emoji_ranges() -> tuple[tuple[int, int], ...]:
    ranges = []
    for line in (CHARSET_DIR / "emoji_extended_pictographic.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#")[0].strip()
        if line:
            first, _, last = line.partition("..")
            ranges.append((int(first, 16), int(last or first, 16)))
    return tuple(ranges)


def is_emoji(char: str) -> bool:
    """Extended_Pictographic (Unicode emoji-data 15.0), regional indicators, emoji modifiers and
    the keycap mark."""
    codepoint = ord(char)
    if 0x1F1E6 <= codepoint <= 0x1F1FF or 0x1F3FB <= codepoint <= 0x1F3FF or codepoint == 0x20E3:
        return True
    return any(first <= codepoint <= last for first, last in _emoji_ranges())


# An emoji sequence: a base with its modifiers, variation selectors, tags and ZWJ-joined parts,
# a flag (two regional indicators) or a keycap ("1️⃣").
_COMPONENT = "\u200d\ufe0e\ufe0f\u20e3\U0001F3FB-\U0001F3FF\U000E0020-\U000E007F"
_BASE = rf"[^\s{_COMPONENT}][{_COMPONENT}]*"
_SEQUENCE = re.compile(rf"[0-9#*]\ufe0f?\u20e3|[\U0001F1E6-\U0001F1FF]{{1,2}}|{_BASE}(?:(?<=\u200d){_BASE})*")


def replace_undrawn(text: str, missing: Iterable[str]) -> str:
    """``text`` with every character of ``missing`` printed as PLACEHOLDER: one 〓 per emoji
    sequence (a family emoji or a flag is one mark, not three), one per other character."""
    missing = set(missing)
    if not missing:
        return text

    def one(match: re.Match) -> str:
        sequence = match.group(0)
        if not any(char in missing for char in sequence):
            return sequence
        if any(is_emoji(char) for char in sequence):
            return PLACEHOLDER
        return "".join(PLACEHOLDER if char in missing else char for char in sequence)

    return _SEQUENCE.sub(one, text)


# --- character sets ----------------------------------------------------------------------------

@cache
def gbk() -> frozenset[str]:
    """GBK: the characters two-byte GB 18030 encodes, without the private-use code points
    (21,872; all 20,902 CJK unified ideographs U+4E00–U+9FA5). Listed in charsets/gbk.txt."""
    return frozenset(_read_charset("gbk.txt"))


@cache
def tongyong_guifan() -> tuple[str, ...]:
    """The 8,105 characters of the 通用规范汉字表 (2013), in the table's order (1–3500 一级,
    3501–6500 二级, 6501–8105 三级), from Unihan's kTGH field (charsets/tongyong_guifan_hanzi.txt)."""
    return tuple(_read_charset("tongyong_guifan_hanzi.txt"))


def cjk_extension_a() -> frozenset[str]:
    """CJK Unified Ideographs Extension A as GB 18030 requires it (U+3400–U+4DB5, 6,582)."""
    return frozenset(chr(codepoint) for codepoint in range(0x3400, 0x4DB6))


def latin_1() -> frozenset[str]:
    """Printable ASCII and Latin-1 (names and addresses in Latin letters)."""
    return frozenset(chr(c) for c in [*range(0x20, 0x7F), *range(0xA0, 0x100)])


@cache
def required_characters() -> frozenset[str]:
    """What every face draws: GBK ∪ CJK Extension A ∪ 通用规范汉字表 ∪ Latin-1."""
    return gbk() | frozenset(tongyong_guifan()) | cjk_extension_a() | latin_1()


def _read_charset(name: str) -> list[str]:
    chars = []
    for line in (CHARSET_DIR / name).read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            chars.append(chr(int(line.split("\t")[0].removeprefix("U+"), 16)))
    return chars
