"""An official document (公文) laid out to GB/T 9704-2012 《党政机关公文格式》, as a PDF.

``render(doc)`` takes an ``OfficialDocument`` (plain data: no model, no request) and returns the
PDF bytes, rendered by WeasyPrint through ``office.pdf`` with the project's bundled faces. The
outgoing-documents workflow prints its issued documents through it; the meetings app prints its
纪要 through it (``format="minutes"``).

Geometry (all numbers in millimetres, see the constants below):

- A4, 版心 156 × 225 mm, 天头 37 mm, 订口 28 mm (§5.2.1). The 版心 is measured on the ink: the
  first line's character box starts 37 mm below the paper's top edge and the 22nd line's box ends
  on the 版心's bottom edge (262 mm). So the line pitch is (225 mm − one 3号 character) / 21 =
  10.45 mm (29.6 pt) and the CSS page margins are 37 mm and 35 mm less half the leading (34.6 and
  32.6 mm, the margins GB/T 33476.2 gives for office software).
- 3号 (16 pt) 仿宋 body, letter-spacing −0.08 mm: 28 characters fill a line (§5.2.3).
- Page 1's 版头 (份号, 密级, 紧急, 发文机关标志, 发文字号, 签发人, the red rule) and the title are
  placed absolutely from the numbers of §7.2/§7.3.1 (A2.8 of shared/gov-docs.md); 主送 and the
  body then continue on the 22-line grid, so every following page holds exactly 22 lines.
- Signature, date and seals per §7.3.5.1 (sealed), §7.3.5.2 (no seal), §7.3.5.3 (签名章, the
  order format); 附注 §7.3.6; attachments on new pages §7.3.7; the 版记 §7.4 bottom-anchored on
  the last page (its last rule on the 版心's bottom edge, a CSS footnote does the anchoring);
  page numbers §7.5 (4号 宋体 "— 1 —", 7 mm below the 版心, right on odd pages, left on even).
- Special formats: 信函 §10.1 (``format="letter"``), 命令 §10.2 (``"order"``), 纪要 §10.3
  (``"minutes"``).

Faces: every text prints in one of the faces of ``office.fonts.FACES`` (each a stack of bundled
fonts: the Fandol primary, then fallbacks to GBK and beyond), named through its CSS stack
``var(--zb-<face>)``; ``FACES`` below maps each role of the layout to its CSS class. GB/T 9704 asks
for 方正小标宋 for the masthead and the titles; the project bundles no 小标宋 yet, so that role
(class ``xiaobiaosong``) prints in the Song face (WeasyPrint synthesises no bold for it). A real
小标宋 font is one more face in ``office.fonts.FACES`` (and its files); then the one
``.xiaobiaosong`` rule in ``_css`` names ``var(--zb-xiaobiaosong)``.

Document numbers are printed as given: their canonical form and validation live in
``office.docnumbers``.
"""

from __future__ import annotations

import base64
import datetime
import html
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.translation import gettext as _

from office import pdf

# --- Geometry (mm) ---------------------------------------------------------------------------
PT = 25.4 / 72
PAPER_W, PAPER_H = 210.0, 297.0
TOP, LEFT = 37.0, 28.0  # 天头, 订口 (§5.2.1)
BLOCK_W, BLOCK_H = 156.0, 225.0  # 版心
BLOCK_BOTTOM = TOP + BLOCK_H  # 262
RIGHT = PAPER_W - LEFT - BLOCK_W  # 26
SIZE_2, SIZE_3, SIZE_4 = 22 * PT, 16 * PT, 14 * PT  # 二号, 三号, 四号
LINES_PER_PAGE, CHARS_PER_LINE = 22, 28
LINE = (BLOCK_H - SIZE_3) / (LINES_PER_PAGE - 1)  # 10.4455: line pitch ("行")
HALF = (LINE - SIZE_3) / 2  # half the leading of a body line
LETTER_SPACING = -0.08
ZI = SIZE_3 + LETTER_SPACING  # one "字" of body text (5.5644)
MARGIN_TOP = TOP - HALF  # 34.6
MARGIN_BOTTOM = PAPER_H - BLOCK_BOTTOM - HALF  # 32.6
ZI_4 = SIZE_4  # one 字 of 4号 text (版记, page numbers)

RED = "#e60000"
RULE = 0.5  # 版头 red rule, thickness (the standard leaves it open, practice 0.35-0.5 mm)
MASTHEAD_OFFSET = {"standard": 35.0, "minutes": 35.0, "order": 20.0}  # from the 版心 top (§7.2.4, §10)
MASTHEAD_HEIGHT = {"standard": 18.0, "minutes": 18.0, "order": 18.0, "letter": 15.0}
MASTHEAD_MAX_WIDTH = 150.0
NUMBER_RULE_GAP = 4.0  # §7.2.7
TITLE_PITCH = LINE
SEAL_BELOW_CENTRE = 3.0  # §7.3.5.1: signature and date sit this much below the seal's centre
SEAL_GAP = 4.0  # joint seals: space between two seals (they must neither cross nor touch)
BANJI_THICK, BANJI_THIN = 0.35, 0.25  # §7.4.1
PAGE_NUMBER_GAP = 7.0  # §7.5: the 一字线 7 mm below the 版心

# 信函格式 (§10.1)
LETTER_MASTHEAD_TOP = 30.0  # from the paper's top edge
LETTER_LINE_WIDTH = 170.0
LETTER_THICK, LETTER_THIN, LETTER_GAP = 0.75, 0.25, 0.75
LETTER_BOTTOM_LINE = 20.0  # from the paper's bottom edge to the lower (thick) line's bottom
SEVEN_EIGHTHS = 14 * PT  # 3号汉字高度的7/8
_LETTER_PAIR = LETTER_THICK + LETTER_GAP + LETTER_THIN
_LETTER_TEXT_BOTTOM = PAPER_H - LETTER_BOTTOM_LINE - _LETTER_PAIR - SEVEN_EIGHTHS
LETTER_LINES_PAGE_1 = 23
# page 1 of a letter has its own grid: its last line ends 7/8 of a character above the lower lines
LETTER_MARGIN_TOP = _LETTER_TEXT_BOTTOM + HALF - LETTER_LINES_PAGE_1 * LINE
LETTER_MARGIN_BOTTOM = PAPER_H - LETTER_MARGIN_TOP - LETTER_LINES_PAGE_1 * LINE

FORMATS = ("standard", "letter", "order", "minutes")
SECRECY_LEVELS = ("绝密", "机密", "秘密")
URGENCY_LEVELS = ("特急", "加急")

# --- Faces -----------------------------------------------------------------------------------
# role -> CSS class (the rules are in _css; office.pdf's BASE_CSS has .fangsong .song .hei .kai)
FACES = {
    "fangsong": "fangsong",  # 仿宋: body, 署名, 日期, 版记
    "song": "song",  # 宋体: page numbers
    "hei": "hei",  # 黑体: 密级, 紧急, first-level headings, 附件 labels, 出席/请假/列席
    "kai": "kai",  # 楷体: second-level headings, 签发人 names, 签名 without a stamp image
    "xiaobiaosong": "xiaobiaosong",  # 小标宋: masthead, titles (the Song face until one is bundled)
}


class DocumentFormatError(ValueError):
    """The document cannot be printed as given; ``messages`` says why (translated)."""

    def __init__(self, messages: list[str]):
        super().__init__("; ".join(messages))
        self.messages = messages


Image = str | Path | bytes


@dataclass(frozen=True)
class Issuer:
    """An issuing organ (发文机关). Joint documents list the lead organ first."""

    name: str  # 全称 or 规范化简称, printed as the 署名
    masthead_name: str = ""  # its name in the 发文机关标志 (defaults to ``name``)
    code: str = ""  # 机关代字 (for the caller's numbering; not printed by itself)
    seal: Image | None = None  # the seal image (PNG with a transparent background, or SVG)
    seal_diameter: float = 42.0  # mm, the real size it is printed at
    signer_title: str = ""  # 签发人职务 (order format, §7.3.5.3)
    signer_name: str = ""
    signature_stamp: Image | None = None  # 签名章 image (order format); else the name in 楷体


@dataclass(frozen=True)
class Attachment:
    title: str
    body: Sequence[str] | str = ()  # paragraphs; empty: listed in 附件说明, printed separately


@dataclass
class OfficialDocument:
    issuers: Sequence[Issuer]
    title: str = ""  # "\n" marks where a long title breaks (else it is balanced automatically)
    body: Sequence[str] | str = ()  # paragraphs (a str is split on newlines)
    date: datetime.date | None = None  # 成文日期
    format: str = "standard"  # standard | letter (函) | order (令) | minutes (纪要)
    number: str = ""  # 发文字号 (令号, 纪要期号), printed as given
    masthead: str = ""  # overrides the 标志 text (single issuer), e.g. "某县人民政府常务会议纪要"
    masthead_suffix: str | None = None  # default: 文件 / "" (letter) / 令 / 纪要
    copy_number: str = ""  # 份号, six digits
    secrecy: str = ""  # 绝密 / 机密 / 秘密
    secrecy_period: str = ""  # 保密期限, e.g. "1年"
    urgency: str = ""  # 特急 / 加急
    signers: Sequence[str] = ()  # 签发人 (upward documents)
    recipients: str = ""  # 主送
    attachments: Sequence[Attachment] = ()
    notes: str = ""  # 附注
    copies_to: Sequence[str] = ()  # 抄送
    printer: str = ""  # 印发机关
    printed_on: datetime.date | None = None  # 印发日期
    present: str = ""  # 纪要: 出席
    absent: str = ""  # 请假
    attending: str = ""  # 列席
    extra: dict = field(default_factory=dict)  # free for callers (not printed)


# --- Text helpers ----------------------------------------------------------------------------

def chinese_date(value: datetime.date) -> str:
    """A date as GB/T 9704 §7.3.5.4 writes it: 2026年11月29日 (full year, no zero padding)."""
    return f"{value.year}年{value.month}月{value.day}日"


_CN_NUM = "一二三四五六七八九十百零〇"
_HEADING = [
    (1, re.compile(rf"^[{_CN_NUM}]+、")),
    (2, re.compile(rf"^[（(][{_CN_NUM}]+[）)]")),
    (3, re.compile(r"^\d+[.．](?!\d)")),
    (4, re.compile(r"^[（(]\d+[）)]")),
]


def heading_level(paragraph: str) -> int:
    """The 层次序数 a paragraph starts with (§7.3.3): 一、 → 1, （一） → 2, 1. → 3, （1） → 4, else 0."""
    text = paragraph.lstrip(" \u3000\t")
    for level, pattern in _HEADING:
        if pattern.match(text):
            return level
    return 0


HEADING_FACE = {1: "hei", 2: "kai"}  # §7.3.3: 一层黑体, 二层楷体, 三四层仿宋


def split_heading(paragraph: str) -> tuple[int, str, str]:
    """(level, heading, rest): the heading runs to its first 。 (the rest is body text), or is
    the whole paragraph."""
    text = paragraph.strip(" \u3000\t")
    level = heading_level(text)
    if not level:
        return 0, "", text
    stop = text.find("。")
    if stop == -1 or stop == len(text) - 1:
        return level, text, ""
    return level, text[: stop + 1], text[stop + 1:]


def text_width(text: str) -> float:
    """Width in em: full-width characters 1, ASCII 0.5 (the bundled faces' digits)."""
    return sum(0.5 if ord(c) < 0x2E80 and c not in "—…“”‘’·" else 1.0 for c in text)


_NO_BREAK_BEFORE = set("，。、；：？！）》」』〕】”’…—·")
_NO_BREAK_AFTER = set("（《「『〔【“‘")


def title_lines(title: str, *, max_em: float = math.floor(BLOCK_W / SIZE_2)) -> list[str]:
    """Lines of the title (§7.3.1): the drafter's own breaks ("\\n") when given (the way to get
    "词意完整" for certain); a longer line is split into balanced lines, the lower ones no shorter
    than the upper (a 梯形), never inside a run of Latin letters or digits nor next to a bracket
    or before punctuation, preferring a break after 关于 or after 、，》 and never between 关 and 于."""
    lines: list[str] = []
    for raw in title.replace("\r", "").split("\n"):
        raw = raw.strip()
        if raw:
            lines.extend(_balance(raw, max_em))
    return lines


def _balance(text: str, max_em: float) -> list[str]:
    if text_width(text) <= max_em:
        return [text]
    count = math.ceil(text_width(text) / max_em)
    while True:
        best = _best_split(text, count, max_em)
        if best is not None:
            return best
        count += 1


def _break_ok(text: str, i: int) -> bool:
    before, after = text[i - 1], text[i]
    if after in _NO_BREAK_BEFORE or before in _NO_BREAK_AFTER:
        return False
    return not (before.isascii() and before.isalnum() and after.isascii() and after.isalnum())


def _best_split(text: str, count: int, max_em: float) -> list[str] | None:
    total = text_width(text)
    cuts = [i for i in range(1, len(text)) if _break_ok(text, i)]

    def score(parts: list[str]) -> float:
        widths = [text_width(p) for p in parts]
        if max(widths) > max_em:
            return math.inf
        s = sum((w - total / count) ** 2 for w in widths) / 2
        s += sum(2 for a, b in zip(widths, widths[1:], strict=False) if a > b + 0.5)  # 梯形: upper ≤ lower
        for upper, lower in zip(parts, parts[1:], strict=False):
            if upper.endswith("关于"):
                s -= 6
            elif upper.endswith("关") and lower.startswith("于"):
                s += 20
            elif upper[-1] in "、，》":
                s -= 3
            if upper.count("《") > upper.count("》"):  # inside a quoted title
                s += 4
        return s

    best, best_score = None, math.inf

    def search(start: int, remaining: int, acc: list[str]):
        nonlocal best, best_score
        if remaining == 1:
            parts = acc + [text[start:]]
            sc = score(parts)
            if sc < best_score:
                best, best_score = parts, sc
            return
        for c in cuts:
            if c <= start:
                continue
            if text_width(text[start:c]) > max_em:
                break
            search(c, remaining - 1, acc + [text[start:c]])

    if count > 4:
        count = 4
    search(0, count, [])
    return best


# --- Validation ------------------------------------------------------------------------------

def problems(doc: OfficialDocument) -> list[str]:
    """What stops the document from printing to GB/T 9704 (empty: it prints)."""
    found: list[str] = []
    if doc.format not in FORMATS:
        found.append(_("Unknown document format: %(format)s.") % {"format": doc.format})
        return found
    if not doc.issuers:
        found.append(_("A document needs its issuing organ."))
    if doc.format in ("standard", "letter") and not doc.title.strip():
        found.append(_("A document needs a title."))
    if not _paragraphs(doc.body):
        found.append(_("The first page must show the body text: the body is empty."))
    if doc.copy_number and not re.fullmatch(r"\d{6}", doc.copy_number):
        found.append(_("The copy number (份号) is six Arabic digits, e.g. 000001."))
    if doc.secrecy and doc.secrecy not in SECRECY_LEVELS:
        found.append(_("The secrecy level is 绝密, 机密 or 秘密."))
    if doc.secrecy and not doc.copy_number:
        found.append(_("A classified document carries a copy number (份号)."))
    if doc.secrecy_period and not doc.secrecy:
        found.append(_("A secrecy period needs a secrecy level."))
    if doc.secrecy_period and not re.fullmatch(r"(\d+(年|个月)|长期)", doc.secrecy_period):
        found.append(_("The secrecy period is written in Arabic numerals, e.g. 1年, 6个月 or 长期."))
    if doc.urgency and doc.urgency not in URGENCY_LEVELS:
        found.append(_("The urgency is 特急 or 加急."))
    if doc.format != "minutes" and doc.date is None:
        found.append(_("A document needs its date (成文日期)."))
    if doc.format == "order" and not doc.number:
        found.append(_("An order needs its order number (令号)."))
    sealed = [bool(i.seal) for i in doc.issuers]
    if doc.format in ("standard", "letter") and any(sealed) and not all(sealed):
        found.append(_("In a joint document either every issuing organ seals or none does."))
    if doc.format == "minutes" and any(sealed):
        found.append(_("Minutes carry no seal."))
    return found


# --- Rendering -------------------------------------------------------------------------------

def _mm(value: float) -> str:
    return f"{value:.3f}mm"


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _paragraphs(body: Sequence[str] | str) -> list[str]:
    items = body.split("\n") if isinstance(body, str) else list(body)
    return [p.strip(" \u3000\t\r") for item in items for p in item.split("\n") if p.strip(" \u3000\t\r")]


def _image_uri(image: Image) -> str:
    if isinstance(image, bytes):
        data = image
    else:
        data = Path(image).read_bytes()
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        mime = "image/png"
    elif data[:3] == b"\xff\xd8\xff":
        mime = "image/jpeg"
    elif b"<svg" in data[:1000]:
        mime = "image/svg+xml"
    else:
        raise DocumentFormatError([_("A seal or signature stamp must be a PNG, JPEG or SVG image.")])
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


def _masthead_texts(doc: OfficialDocument) -> tuple[list[str], str]:
    suffix = doc.masthead_suffix
    if suffix is None:
        suffix = {"standard": "文件", "letter": "", "order": "令", "minutes": "纪要"}[doc.format]
    if doc.masthead:
        return [doc.masthead], ""
    names = [i.masthead_name or i.name for i in doc.issuers]
    if doc.format == "letter" or len(names) == 1:
        return [names[0] + suffix], ""
    if doc.format in ("order", "minutes"):
        return [names[0] + suffix], ""
    return names, suffix


class _Head:
    """Absolutely placed elements of page 1, in mm from the top of page 1's page area."""

    def __init__(self, origin: float):
        self.origin = origin  # paper y of the page area's top edge
        self.parts: list[str] = []

    def text(self, paper_top: float, text_html: str, *, size: float, face: str, cls: str = "",
             align: str = "left", color: str = "#000", extra: str = "", left: float = 0,
             width: float = BLOCK_W) -> None:
        """A one-line box whose character box (line-height 1) starts at ``paper_top``."""
        self.parts.append(
            f'<div class="abs {FACES[face]} {cls}" style="top:{_mm(paper_top - self.origin)};left:{_mm(left)};'
            f"width:{_mm(width)};font-size:{_mm(size)};line-height:1;"
            f'text-align:{align};color:{color};{extra}">{text_html}</div>')

    def rule(self, paper_top: float, thickness: float, *, left: float = 0, width: float = BLOCK_W,
             cls: str = "rule") -> None:
        self.parts.append(
            f'<div class="abs {cls}" style="top:{_mm(paper_top - self.origin)};left:{_mm(left)};'
            f'width:{_mm(width)};height:{_mm(thickness)};background:{RED}"></div>')


def _masthead(head: _Head, doc: OfficialDocument, top: float) -> float:
    """Draws the 发文机关标志 with its character box's top edge at ``top``; returns its bottom."""
    names, suffix = _masthead_texts(doc)
    height = MASTHEAD_HEIGHT[doc.format]
    if len(names) == 1:
        text = names[0]
        natural = text_width(text) * height
        scale = min(natural, MASTHEAD_MAX_WIDTH) / natural
        head.text(top, _e(text), size=height, face="xiaobiaosong", cls="masthead", align="center",
                  left=(BLOCK_W - natural) / 2, width=natural, color=RED,
                  extra=f"transform:scaleX({scale:.4f});transform-origin:50% 0;letter-spacing:0;white-space:nowrap")
        return top + height
    # joint (§7.2.4): the organs one under another, 文件 to their right, centred on them
    line_h = min(height, 30.0 / len(names))
    gap = line_h * 0.15
    suffix_h = min(height, len(names) * line_h)
    suffix_w = text_width(suffix) * suffix_h * 0.9
    names_w = min(max(text_width(n) for n in names) * line_h,
                  MASTHEAD_MAX_WIDTH - suffix_w - (line_h if suffix else 0))
    total_w = names_w + (line_h + suffix_w if suffix else 0)
    left = (BLOCK_W - total_w) / 2
    for k, name in enumerate(names):
        natural = text_width(name) * line_h
        scale = min(1.0, names_w / natural)
        spacing = 0.0
        if natural * scale < names_w and len(name) > 1:  # shorter names are spaced out to align
            spacing = (names_w - natural * scale) / (len(name) - 1) / scale
        head.text(top + k * (line_h + gap), _e(name), size=line_h, face="xiaobiaosong",
                  cls="masthead", left=left, width=names_w + spacing * scale, color=RED,
                  extra=f"transform:scaleX({scale:.4f});transform-origin:0 0;letter-spacing:{_mm(spacing)};"
                        "white-space:nowrap")
    block_h = len(names) * line_h + (len(names) - 1) * gap
    if suffix:
        head.text(top + (block_h - suffix_h) / 2, _e(suffix), size=suffix_h, face="xiaobiaosong",
                  cls="masthead masthead-suffix", left=left + names_w + line_h, width=suffix_w / 0.9,
                  color=RED, extra="transform:scaleX(0.9);transform-origin:0 0;letter-spacing:0")
    return top + block_h


def _row_line(head: _Head, em_top: float, text_html: str, *, face: str = "fangsong",
              align: str = "left", cls: str = "", extra: str = "") -> None:
    """A 3号 line whose character box starts at ``em_top``."""
    head.text(em_top, text_html, size=SIZE_3, face=face, align=align, cls=cls,
              extra=f"letter-spacing:{_mm(LETTER_SPACING)};white-space:nowrap;{extra}")


def _top_rows(doc: OfficialDocument) -> list[tuple[str, str, str]]:
    rows = []
    if doc.copy_number:
        rows.append(("copy-number", doc.copy_number, "fangsong"))
    if doc.secrecy:
        rows.append(("secrecy", doc.secrecy + (f"★{doc.secrecy_period}" if doc.secrecy_period else ""), "hei"))
    if doc.urgency:
        rows.append(("urgency", doc.urgency, "hei"))
    return rows


def _signer_rows(signers: Sequence[str]) -> list[list[str]]:
    return [list(signers[i:i + 2]) for i in range(0, len(signers), 2)]


def _title(head: _Head, doc: OfficialDocument, top: float) -> float:
    lines = title_lines(doc.title)
    for k, line in enumerate(lines):
        head.text(top + k * TITLE_PITCH, _e(line), size=SIZE_2, face="xiaobiaosong", cls="title",
                  align="center", extra="white-space:nowrap;letter-spacing:0")
    return top + (len(lines) - 1) * TITLE_PITCH + SIZE_2 if lines else top - LINE


def _head_standard(doc: OfficialDocument) -> tuple[str, int]:
    head = _Head(MARGIN_TOP)
    for k, (cls, text, face) in enumerate(_top_rows(doc)):
        _row_line(head, TOP + k * LINE, _e(text), face=face, cls=cls)
    bottom = _masthead(head, doc, TOP + MASTHEAD_OFFSET[doc.format])
    number_top = bottom + 2 * LINE  # 标志下空二行 (§7.2.5, §10.2)
    if doc.signers:  # upward document (§7.2.5/§7.2.6): 签发人 right, number left on the last row
        rows = _signer_rows(doc.signers)
        name_w = max(text_width(n) for n in doc.signers) * ZI
        for k, names in enumerate(rows):
            label = "签发人：" if k == 0 else ""
            cells = "".join(
                f'<span class="signer-name {FACES["kai"]}" style="display:inline-block;width:{_mm(name_w)};'
                f'margin-left:{_mm(ZI if j else 0)}">{_e(n)}</span>'
                for j, n in enumerate(names))
            cols = min(2, len(doc.signers))
            row_w = 4 * ZI + cols * name_w + (cols - 1) * ZI
            head.text(number_top + k * LINE, f'<span class="signer-label" style="display:inline-block;'
                      f'width:{_mm(4 * ZI)}">{label}</span>{cells}',
                      size=SIZE_3, face="fangsong", cls="signers", left=BLOCK_W - ZI - row_w, width=row_w,
                      extra=f"letter-spacing:{_mm(LETTER_SPACING)};white-space:nowrap")
        number_top += (len(rows) - 1) * LINE
        if doc.number:
            _row_line(head, number_top, _e(doc.number), cls="doc-number", extra=f"padding-left:{_mm(ZI)}")
    elif doc.number:
        _row_line(head, number_top, _e(doc.number), align="center", cls="doc-number")
    last_bottom = number_top + SIZE_3 if (doc.number or doc.signers) else bottom
    if doc.format == "minutes" and (doc.date or doc.issuers):
        row_top = number_top + LINE if doc.number else number_top
        _row_line(head, row_top, _e(doc.issuers[0].name), cls="minutes-issuer")
        if doc.date:
            _row_line(head, row_top, _e(chinese_date(doc.date)), align="right", cls="minutes-date")
        last_bottom = row_top + SIZE_3
    if doc.format != "order":
        head.rule(last_bottom + NUMBER_RULE_GAP, RULE, cls="rule masthead-rule")
        last_bottom = last_bottom + NUMBER_RULE_GAP + RULE
        gap_to_title = 2 * LINE  # 红色分隔线下空二行 (§7.3.1)
    else:
        gap_to_title = 2 * LINE  # 令号下空二行 (§10.2)
    after = last_bottom
    if doc.title:
        after = _title(head, doc, last_bottom + gap_to_title) + LINE  # 标题下空一行 (§7.3.2)
    else:
        after = last_bottom + gap_to_title
    # the next grid line whose character box starts at or below ``after``
    k = max(0, math.ceil((after - TOP) / LINE - 1e-6))
    return "".join(head.parts), k


def _head_letter(doc: OfficialDocument) -> tuple[str, int]:
    head = _Head(LETTER_MARGIN_TOP)
    bottom = _masthead(head, doc, LETTER_MASTHEAD_TOP)
    x = -(LETTER_LINE_WIDTH - BLOCK_W) / 2
    line_top = bottom + NUMBER_RULE_GAP  # 标志下4mm: 红色双线, 上粗下细
    head.rule(line_top, LETTER_THICK, left=x, width=LETTER_LINE_WIDTH, cls="rule letter-line letter-top")
    head.rule(line_top + LETTER_THICK + LETTER_GAP, LETTER_THIN, left=x, width=LETTER_LINE_WIDTH,
              cls="rule letter-line letter-top")
    below = line_top + _LETTER_PAIR
    first = below + SEVEN_EIGHTHS
    rows = _top_rows(doc)
    for k, (cls, text, face) in enumerate(rows):
        _row_line(head, first + k * LINE, _e(text), face=face, cls=cls)
    if doc.number:
        _row_line(head, first, _e(doc.number), align="right", cls="doc-number")
    last_bottom = first + (max(len(rows), 1) - 1) * LINE + SIZE_3 if (rows or doc.number) else below
    # the lower double line (上细下粗), 20 mm above the paper's bottom edge
    low = PAPER_H - LETTER_BOTTOM_LINE - _LETTER_PAIR
    head.rule(low, LETTER_THIN, left=x, width=LETTER_LINE_WIDTH, cls="rule letter-line letter-bottom")
    head.rule(low + LETTER_THIN + LETTER_GAP, LETTER_THICK, left=x, width=LETTER_LINE_WIDTH,
              cls="rule letter-line letter-bottom")
    after = _title(head, doc, last_bottom + 2 * LINE) + LINE
    first_em = LETTER_MARGIN_TOP + HALF
    k = max(0, math.ceil((after - first_em) / LINE - 1e-6))
    return "".join(head.parts), k


def _para(text: str, cls: str = "para") -> str:
    level, heading, rest = split_heading(text)
    if level in HEADING_FACE and heading:
        inner = f'<span class="h{level}">{_e(heading)}</span>{_e(rest)}'
    else:
        inner = _e(heading + rest if level else rest)
    return f'<p class="{cls}{f" level{level}" if level else ""}">{inner}</p>'


def _attachment_note(doc: OfficialDocument) -> str:
    """附件说明 (§7.3.4): 正文下空一行左空二字; names aligned when they wrap; no closing stop."""
    items = [a.title.strip().rstrip("。.；;，,") for a in doc.attachments]
    if not items:
        return ""
    if len(items) == 1:
        return (f'<div class="attachment-note" style="margin-left:{_mm(5 * ZI)};text-indent:{_mm(-3 * ZI)}">'
                f"附件：{_e(items[0])}</div>")
    number_w = (1.0 if len(items) < 10 else 1.5) * ZI
    out = []
    for k, item in enumerate(items, 1):
        label = "附件：" if k == 1 else ""
        indent = -(number_w + (3 * ZI if k == 1 else 0))
        out.append(
            f'<div class="attachment-note-item" style="margin-left:{_mm(5 * ZI + number_w)};text-indent:{_mm(indent)}">'
            f'{label}<span class="att-no" style="display:inline-block;width:{_mm(number_w)};text-indent:0">'
            f"{k}.</span>{_e(item)}</div>")
    return f'<div class="attachment-note">{"".join(out)}</div>'


def _seal_rows(seals: int, per_row: int) -> list[int]:
    rows = math.ceil(seals / per_row)
    base, extra = divmod(seals, rows)
    return [base + (1 if r < extra else 0) for r in range(rows)]


def _signature_sealed(doc: OfficialDocument) -> str:
    """§7.3.5.1: date right-indented four 字, each signature centred over its seal, the last
    signature centred on the date, the seal pressing them with their centre a little below its
    own, the first row of seals within one line below the body."""
    date_text = chinese_date(doc.date)
    date_w = text_width(date_text) * SIZE_3 + len(date_text) * LETTER_SPACING
    centre_x = BLOCK_W - 4 * ZI - date_w / 2  # the date's centre, from the 版心's left edge
    diameters = [i.seal_diameter for i in doc.issuers]
    d_max = max(diameters)
    pitch_x = d_max + SEAL_GAP
    per_row = max(1, int((centre_x - d_max / 2) // pitch_x) + 1)
    rows = _seal_rows(len(doc.issuers), per_row)
    lines_between = math.ceil((d_max + SEAL_GAP) / LINE)  # signature lines of two seal rows
    # y in mm from the top of the date's line box; x from the date's centre
    n_rows = len(rows)
    sig_top = [-LINE - (n_rows - 1 - r) * lines_between * LINE for r in range(n_rows)]
    centre_y = [sig_top[r] + LINE / 2 - SEAL_BELOW_CENTRE for r in range(n_rows - 1)] + [-SEAL_BELOW_CENTRE]
    # blank lines above the first signature line: the fewest that keep the seal off the body
    first_top = centre_y[0] - max(diameters[: rows[0]]) / 2
    blank = 1
    while first_top - (sig_top[0] - blank * LINE - HALF) < 0:
        blank += 1
    parts = []
    issuer_iter = iter(doc.issuers)
    for r, count in enumerate(rows):
        for c in range(count):
            issuer = next(issuer_iter)
            x = -(count - 1 - c) * pitch_x
            # a name longer than the room right of its centre moves left, never out of the 版心
            half = (text_width(issuer.name) * SIZE_3 + len(issuer.name) * LETTER_SPACING) / 2
            shift = min(0.0, BLOCK_W - (centre_x + x + half))
            parts.append(
                f'<div class="abs signature" style="top:{_mm(sig_top[r])};left:{_mm(x + shift - 80)};width:160mm;'
                f'text-align:center;white-space:nowrap">{_e(issuer.name)}</div>')
            radius = issuer.seal_diameter / 2
            parts.append(
                f'<img class="abs seal" alt="" src="{_image_uri(issuer.seal)}" style="top:{_mm(centre_y[r] - radius)};'
                f'left:{_mm(x - radius)};width:{_mm(2 * radius)};height:{_mm(2 * radius)}">')
    spacer = blank + (n_rows - 1) * lines_between + 1
    below = centre_y[-1] + max(diameters[-rows[-1]:]) / 2  # the last seal's bottom, from the date line top
    reserve = max(1, math.ceil(below / LINE - 1e-6))
    # 附注 on the line after the date (§7.3.6), unless it would run under the last row of seals
    notes = _notes(doc)
    seals_left = centre_x - (rows[-1] - 1) * pitch_x - d_max / 2
    notes_under_seal = bool(notes) and 2 * ZI + text_width(f"（{doc.notes.strip()}）") * SIZE_3 > seals_left - 1
    return (
        f'<div class="signature-block sealed" style="padding-top:{_mm(spacer * LINE)}">'
        f'<div class="date-reserve" style="min-height:{_mm(reserve * LINE)}">'
        f'<div class="date-line" style="text-align:right;padding-right:{_mm(4 * ZI)}">'
        f'<span class="date-anchor"><span class="date">{_e(date_text)}</span>'
        f'<span class="origin">{"".join(parts)}</span></span></div>{"" if notes_under_seal else notes}</div>'
        f'{notes if notes_under_seal else ""}</div>')


def _signature_plain(doc: OfficialDocument) -> str:
    """§7.3.5.2: 正文下空一行右空二字 the signature(s); the date on the next line, its first
    character two 字 right of the signature's (or right-indented two 字 when it is longer)."""
    names = "".join(f'<div class="signature">{_e(i.name)}</div>' for i in doc.issuers)
    return (
        f'<div class="signature-block plain" style="margin-top:{_mm(LINE)};text-align:right;'
        f'padding-right:{_mm(2 * ZI)}"><div class="signature-box">{names}'
        f'<div class="date" style="padding-left:{_mm(2 * ZI)}">{_e(chinese_date(doc.date))}</div></div></div>'
        + _notes(doc))


def _signature_stamps(doc: OfficialDocument) -> str:
    """§7.3.5.3 (the order format): 正文下空二行右空四字 the 签名章, the signer's title two 字 to
    its left and centred on it; 签名章下空一行右空四字 the date."""
    rows = []
    for issuer in doc.issuers:
        if issuer.signature_stamp:
            stamp = (f'<img class="stamp" alt="" src="{_image_uri(issuer.signature_stamp)}" '
                     f'style="height:{_mm(1.6 * LINE)};vertical-align:middle">')
            height = 2 * LINE
        else:
            stamp = f'<span class="stamp-name">{_e(issuer.signer_name)}</span>'
            height = LINE
        rows.append(
            f'<div class="stamp-row" style="height:{_mm(height)};line-height:{_mm(height)};text-align:right;'
            f'padding-right:{_mm(4 * ZI)};white-space:nowrap"><span class="signer-title" style="margin-right:'
            f'{_mm(2 * ZI)}">{_e(issuer.signer_title)}</span>{stamp}</div>')
    return (
        f'<div class="signature-block stamps" style="padding-top:{_mm(2 * LINE)}">{"".join(rows)}'
        f'<div class="date" style="margin-top:{_mm(LINE)};text-align:right;padding-right:{_mm(4 * ZI)}">'
        f"{_e(chinese_date(doc.date))}</div></div>" + _notes(doc))


def _notes(doc: OfficialDocument) -> str:
    """附注 (§7.3.6): 居左空二字, in round brackets, on the line after the date."""
    text = doc.notes.strip()
    if not text:
        return ""
    if not (text.startswith("（") and text.endswith("）")):
        text = f"（{text.strip('()（）')}）"
    return f'<div class="notes" style="text-indent:{_mm(2 * ZI)}">{_e(text)}</div>'


def _attendance(doc: OfficialDocument) -> str:
    """纪要 (§10.3): 出席/请假/列席 in 黑体 with a full-width colon, names in 仿宋, wrapped lines
    aligned after the colon, 正文下空一行左空二字."""
    rows = [(label, value) for label, value in (("出席", doc.present), ("请假", doc.absent),
                                                 ("列席", doc.attending)) if value.strip()]
    out = []
    for k, (label, value) in enumerate(rows):
        out.append(
            f'<div class="attendance" style="margin-left:{_mm(5 * ZI)};text-indent:{_mm(-3 * ZI)};'
            f'margin-top:{_mm(LINE if k == 0 else 0)}"><span class="h1">{label}：</span>{_e(value.strip())}</div>')
    return "".join(out)


def _attachments(doc: OfficialDocument) -> str:
    """附件 (§7.3.7): each on a new page, 附件N in 3号黑体 on the first line, its title centred on
    the third line, the body formatted like the main body."""
    printed = [(k, a) for k, a in enumerate(doc.attachments, 1) if _paragraphs(a.body)]
    out = []
    for k, att in printed:
        label = "附件" if len(doc.attachments) == 1 else f"附件{k}"
        lines = "".join(f'<div class="attachment-title-line">{_e(t)}</div>' for t in title_lines(att.title))
        paras = "".join(_para(p) for p in _paragraphs(att.body))
        out.append(
            f'<section class="attachment"><div class="attachment-label h1">{label}</div>'
            f'<div class="attachment-title {FACES["xiaobiaosong"]}" style="margin-top:{_mm(LINE)}">{lines}</div>'
            f'<div style="height:{_mm(LINE)}"></div>{paras}</section>')
    return "".join(out)


def _banji(doc: OfficialDocument) -> str:
    """版记 (§7.4): 抄送 (4号, 左右各空一字, wrapped lines after the colon, a closing 。), then
    印发机关 (左空一字) and 印发日期 (右空一字) between thick rules, a thin rule between them; its
    last rule on the 版心's bottom edge of the last page. 信函 (§10.1): 抄送 only, no rules."""
    cc = "，".join(c.strip().rstrip("。，,") for c in doc.copies_to if c.strip())
    rows = []
    if cc:
        rows.append(f'<div class="bj-row bj-cc" style="padding-left:{_mm(ZI_4 + 3 * ZI_4)};'
                    f'padding-right:{_mm(ZI_4)};text-indent:{_mm(-3 * ZI_4)}">抄送：{_e(cc)}。</div>')
    if doc.format != "letter" and (doc.printer or doc.printed_on):
        printed = f"{chinese_date(doc.printed_on)}印发" if doc.printed_on else ""
        rows.append(f'<div class="bj-row bj-print" style="padding:0 {_mm(ZI_4)};display:flex;'
                    f'justify-content:space-between"><span class="bj-printer">{_e(doc.printer)}</span>'
                    f'<span class="bj-date">{_e(printed)}</span></div>')
    if not rows:
        return ""
    ruled = doc.format != "letter"
    body = "".join(
        f'<div class="bj-sep" style="border-top:{_mm(BANJI_THIN)} solid #000"></div>{row}' if k and ruled else row
        for k, row in enumerate(rows))
    style = f"border-top:{_mm(BANJI_THICK)} solid #000;border-bottom:{_mm(BANJI_THICK)} solid #000;" if ruled else ""
    return f'<div class="banji-anchor"><div class="banji" style="{style}">{body}</div></div>'


def _css(doc: OfficialDocument) -> str:
    fmt = doc.format
    number_css = (f'content: "— " counter(page) " —"; font-family: var(--zb-song); font-size: {_mm(SIZE_4)};'
                  " line-height: 1; letter-spacing: 0; white-space: nowrap; vertical-align: top;")
    # the em dash's ink lies 0.3 em above the baseline in the Song face (ascent 0.8 em): put that
    # line PAGE_NUMBER_GAP below the 版心
    number_top = BLOCK_BOTTOM + PAGE_NUMBER_GAP - (PAPER_H - MARGIN_BOTTOM) - (0.8 - 0.3) * SIZE_4
    # the 版记 is a footnote, at the page area's bottom: its last rule's bottom goes on the 版心's
    # bottom edge (HALF above the page area's); the 信函's unruled 版记 puts its last line's box there
    footnote_pad = HALF if fmt != "letter" else max(0.0, HALF - (LINE - SIZE_4) / 2)
    first_page = ""
    if fmt == "letter":
        first_page = (f"@page :first {{ margin-top: {_mm(LETTER_MARGIN_TOP)};"
                      f" margin-bottom: {_mm(LETTER_MARGIN_BOTTOM)};"
                      " @bottom-right { content: none } @bottom-left { content: none } }")
    return f"""
@page {{ size: A4; margin: {_mm(MARGIN_TOP)} {_mm(RIGHT)} {_mm(MARGIN_BOTTOM - 0.01)} {_mm(LEFT)};
  @bottom-center {{ content: none }}
  @footnote {{ margin: 0; padding: 0 0 {_mm(footnote_pad)}; border: 0 }} }}
@page :right {{ @bottom-right {{ {number_css} padding-top: {_mm(number_top)}; padding-right: {_mm(ZI_4)};
  text-align: right; width: 60mm }} }}
@page :left {{ @bottom-left {{ {number_css} padding-top: {_mm(number_top)}; padding-left: {_mm(ZI_4)};
  text-align: left; width: 60mm }} }}
{first_page}
html {{ font-family: var(--zb-fangsong); font-size: {_mm(SIZE_3)}; line-height: {_mm(LINE)};
  letter-spacing: {_mm(LETTER_SPACING)}; color: #000; orphans: 1; widows: 1; }}
body {{ margin: 0; }}
p, div {{ margin: 0; }}
.head {{ position: relative; }}
.abs {{ position: absolute; }}
.para {{ text-indent: {_mm(2 * ZI)}; }}
.h1 {{ font-family: var(--zb-hei); }}
.h2 {{ font-family: var(--zb-kai); }}
.xiaobiaosong {{ font-family: var(--zb-song); }}
.attachment-note {{ margin-top: {_mm(LINE)}; }}
.closing {{ break-before: avoid; }}
.signature-block {{ break-before: avoid; break-inside: avoid; }}
.signature-box {{ display: inline-block; text-align: left; white-space: nowrap; }}
.date-anchor {{ display: inline-block; position: relative; white-space: nowrap; }}
.date-anchor .origin {{ position: absolute; left: 50%; top: 0; width: 0; height: 0; }}
.date-anchor .signature {{ line-height: {_mm(LINE)}; }}
.signature {{ white-space: nowrap; }}
.stamp-name {{ font-family: var(--zb-kai); }}
.last-paragraph {{ widows: 2; }}
.attachment {{ break-before: page; }}
.attachment-label {{ font-family: var(--zb-hei); }}
.attachment-title {{ font-size: {_mm(SIZE_2)}; text-align: center;
  letter-spacing: 0; }}
.banji-anchor {{ height: 0; line-height: 0; }}
.banji {{ float: footnote; footnote-display: block; font-size: {_mm(SIZE_4)}; line-height: {_mm(LINE)};
  letter-spacing: 0; font-family: var(--zb-fangsong); }}
.banji::footnote-call {{ content: none; }}
.banji::footnote-marker {{ content: none; }}
"""


def render_html(doc: OfficialDocument) -> tuple[str, str]:
    """(html, css) of the document; ``render`` turns them into the PDF."""
    found = problems(doc)
    if found:
        raise DocumentFormatError(found)
    head_html, head_lines = _head_letter(doc) if doc.format == "letter" else _head_standard(doc)
    parts = [f'<div class="head" style="height:{_mm(head_lines * LINE)}">{head_html}</div>']
    if doc.recipients.strip():
        recipients = doc.recipients.strip().rstrip(":：。，,")
        parts.append(f'<div class="recipients">{_e(recipients)}：</div>')
    paragraphs = _paragraphs(doc.body)
    for k, p in enumerate(paragraphs):
        html_p = _para(p)
        if k == len(paragraphs) - 1:
            html_p = html_p.replace('class="para', 'class="last-paragraph para', 1)
        parts.append(html_p)
    # the closing part stays on one page with the body's last lines (7.3.5.5: no page without body)
    if doc.format == "minutes":
        closing = _attendance(doc)
    elif doc.format == "order":
        closing = _signature_stamps(doc)
    elif doc.issuers and all(i.seal for i in doc.issuers):
        closing = _signature_sealed(doc)
    else:
        closing = _signature_plain(doc)
    parts.append(f'<div class="closing">{_attachment_note(doc)}{closing}</div>')
    parts.append(_attachments(doc))
    parts.append(_banji(doc))
    return f'<html lang="zh-Hans"><body>{"".join(parts)}</body></html>', _css(doc)


def render(doc: OfficialDocument) -> bytes:
    """The document as a GB/T 9704 PDF (fonts embedded, nothing fetched)."""
    body, css = render_html(doc)
    return pdf.render_html(body, extra_css=css)
