"""文号: one document number, however it is typed.

GB/T 9704-2012 §7.2.5 writes a document number (发文字号) as the issuer's code (发文机关代字),
the full year in 六角括号 〔〕, and the sequence number without 第 and without leading zeros
(1, never 01), followed by 号: ``国办发〔2012〕10号``. Clerks copy numbers from paper and type
them as their keyboard allows: ``县财[2026]5号``, ``县财（2026）05号``, ``县财〔2026〕第5号``,
``县财 〔２０２６〕 ５ 號``. Those are all the same number, and the system must treat them as one.

The rule, in this one place:

- ``normalize(text)``: Unicode NFKC (full-width letters, digits and brackets become half-width;
  ﹝﹞ become 〔〕), every white space and zero-width character removed, every bracket of any
  family — 〔〕 [] ［］ () （） 【】 〖〗 〘〙 {} ｛｝ 〈〉 《》 「」 『』 and the rarer look-alikes — turned
  into 〔 or 〕, 號 → 号, Latin letters upper-cased, stray punctuation at either end dropped.
- ``parse(text)``: after ``normalize``, ``code〔yyyy〕[第]n[号]`` with a four-digit year and a
  sequence number above 0 is a ``DocNumber(code, year, sequence)``; anything else is None.
  A two-digit year (〔26〕) is not read as 2026: the century is the clerk's to write.
- ``number_key(text)``: the number's identity. For a number ``parse`` reads, the GB/T 9704 form
  ``code〔year〕sequence号`` (so the key of a correctly written number is the number itself);
  for anything else the ``normalize``\\d text. Two numbers are the same number exactly when
  their keys are equal. "" for an empty number.
- ``is_standard(text)``: the text is already written the GB/T 9704 way (the registration form
  warns otherwise, and registers the number as typed).

What the document apps do with it:

- Store the text as the clerk typed it (it is what the paper says) and, beside it,
  ``number_key(text)`` in an indexed column. Compare, look up, lock and search by the key only,
  never by the typed text.
- **Incoming documents** (``documents.IncomingDocument.sender_number_key``): the same sending
  unit's number registered twice is the same key; the registration's advisory lock is taken on
  the key, so two spellings typed at once still wait for each other; a search query that
  ``parse`` reads matches by key (收文编号 and 来文字号).
- **Outgoing documents** (发文字号, to come): number with ``format_number(code, year, sequence)``
  (or ``str(DocNumber)``), which writes the standard form, and make the number unique through
  a unique constraint on ``number_key`` of the stored number (per issuing office when several
  share the database), so a number typed by hand for a correction (县政办发[2026]05号) collides
  with the one the counter gave (县政办发〔2026〕5号).
"""

from __future__ import annotations

import re
import unicodedata
from typing import NamedTuple

OPEN, CLOSE = "〔", "〕"

# After NFKC (which already folds full-width ［］（）｛｝ and the small/vertical ﹝﹞ ︹︺ forms).
_OPENERS = "[({<〔【〖〘〚⦗❲⟦⟨⦅⁅〈《「『⸨"
_CLOSERS = "])}>〕】〗〙〛⦘❳⟧⟩⦆⁆〉》」』⸩"
_BRACKETS = str.maketrans({**{c: OPEN for c in _OPENERS}, **{c: CLOSE for c in _CLOSERS},
                           "號": "号"})
# white space (incl. the ideographic space U+3000), zero-width characters, the BOM
_INVISIBLE = re.compile(r"[\s\u200b-\u200f\u2060\ufeff]+")
_EDGE_PUNCTUATION = "。，、；：,.;:!?！？'\"‘’“”·-—_"
_NUMBER = re.compile(rf"^(?P<code>[^{OPEN}{CLOSE}]+){OPEN}(?P<year>\d{{4}}){CLOSE}第?(?P<sequence>\d+)号?$")
# the issuer's code as GB/T 9704 writes it: Chinese characters (and Latin letters)
_STANDARD_CODE = re.compile(r"^[\u3400-\u4dbf\u4e00-\u9fffA-Z]+$")


class DocNumber(NamedTuple):
    """A document number read by ``parse``: 国办发〔2012〕10号 → ("国办发", 2012, 10)."""

    code: str
    year: int
    sequence: int

    def __str__(self) -> str:
        return format_number(self.code, self.year, self.sequence)

    @property
    def key(self) -> str:
        return str(self)


def format_number(code: str, year: int, sequence: int) -> str:
    """The GB/T 9704 §7.2.5 form: 国办发〔2012〕10号."""
    return f"{code}{OPEN}{year}{CLOSE}{sequence}号"


def normalize(text: str | None) -> str:
    """The text with widths, spaces, bracket families, 號 and letter case made uniform."""
    text = unicodedata.normalize("NFKC", text or "")
    text = _INVISIBLE.sub("", text).translate(_BRACKETS).upper()
    return text.strip(_EDGE_PUNCTUATION)


def parse(text: str | None) -> DocNumber | None:
    """The parts of a document number, or None when the text is not one (see the module)."""
    match = _NUMBER.match(normalize(text))
    if match is None:
        return None
    sequence = int(match["sequence"])
    if sequence == 0:
        return None
    return DocNumber(match["code"], int(match["year"]), sequence)


def number_key(text: str | None) -> str:
    """The identity of a document number: equal for every spelling of the same number."""
    number = parse(text)
    return number.key if number is not None else normalize(text)


def is_standard(text: str | None) -> bool:
    """True when ``text`` is a number written exactly as GB/T 9704 §7.2.5 asks."""
    number = parse(text)
    return (number is not None and (text or "") == str(number)
            and _STANDARD_CODE.match(number.code) is not None)
