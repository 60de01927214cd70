"""The plain text of an attachment, for search: PDF (pypdf), DOCX and OFD (zipped XML) and
plain text. Scans, .doc, .wps, spreadsheets and anything else have no text. Never raises.

Attachments come from outside and may be hostile, so every extraction runs within ``Limits``:
characters kept, PDF/OFD pages read, bytes decompressed from a ZIP container (a member that
declares a huge size or compression ratio is not opened at all; every byte read is counted, so
a member that lies about its size stops at the limit too) and wall-clock seconds. A limit
reached keeps the text read so far and says which limit it was. This runs in a Celery task
(``documents.tasks.extract_attachment_text``), never in a request.
"""

from __future__ import annotations

import codecs
import io
import logging
import re
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from xml.etree import ElementTree

logger = logging.getLogger("documents.extract")

MAX_CHARS = 200_000

W_NS = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
OFD_NS = "{http://www.ofdspec.org/2016}"
OFD_PAGE = re.compile(r"(?:^|/)Pages/[^/]+/Content\.xml$")
# PDF page attributes a page inherits from the /Pages nodes above it (ISO 32000-1, 7.7.3.4)
PDF_INHERITABLE = ("/Resources", "/MediaBox", "/CropBox", "/Rotate")

DONE, TRUNCATED, FAILED, NONE = "done", "truncated", "failed", "none"
# notes (the values of DocumentAttachment.Note)
DAMAGED, ENCRYPTED, TOO_LARGE, TIME, PAGES, CHARACTERS = (
    "damaged", "encrypted", "too_large", "time", "pages", "characters")


@dataclass(frozen=True)
class Limits:
    max_chars: int = MAX_CHARS
    max_pages: int = 300
    max_bytes: int = 64 * 1024 * 1024  # decompressed from a ZIP container, all members together
    max_ratio: int = 200  # a ZIP member's declared size over its compressed size
    seconds: float = 20.0

    @classmethod
    def from_settings(cls) -> Limits:
        from django.conf import settings

        return cls(max_pages=settings.EXTRACT_MAX_PAGES,
                   max_bytes=settings.EXTRACT_MAX_UNZIPPED_MB * 1024 * 1024,
                   seconds=float(settings.EXTRACT_SECONDS))


@dataclass(frozen=True)
class Result:
    text: str
    status: str  # DONE, TRUNCATED (a limit was reached), FAILED or NONE (no text in this kind)
    note: str = ""  # why it is TRUNCATED or FAILED


class LimitReached(Exception):
    def __init__(self, note: str):
        super().__init__(note)
        self.note = note


class Encrypted(Exception):
    pass


@dataclass
class _Sink:
    """Collects the text and enforces the limits: ``add`` raises ``LimitReached`` when the
    characters are full, ``tick`` when the time is up, ``count_bytes`` when the container has
    given out its share of decompressed bytes."""

    limits: Limits
    parts: list[str] = field(default_factory=list)
    chars: int = 0
    unzipped: int = 0
    deadline: float = 0.0

    def __post_init__(self):
        self.deadline = time.monotonic() + self.limits.seconds

    def tick(self) -> None:
        if time.monotonic() > self.deadline:
            raise LimitReached(TIME)

    def add(self, text: str) -> None:
        if not text:
            return
        room = self.limits.max_chars - self.chars
        self.parts.append(text[:room])
        self.chars += min(len(text), room)
        if len(text) > room:
            raise LimitReached(CHARACTERS)

    def count_bytes(self, n: int) -> None:
        self.unzipped += n
        if self.unzipped > self.limits.max_bytes:
            raise LimitReached(TOO_LARGE)
        self.tick()

    @property
    def text(self) -> str:
        return "".join(self.parts)


def _kind(name: str, content_type: str = "") -> str:
    by_type = {"application/pdf": ".pdf", "application/ofd": ".ofd",
               "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx"}
    if content_type.startswith("text/plain"):
        return ".txt"
    return by_type.get(content_type) or PurePosixPath(name.replace("\\", "/")).suffix.lower()


def can_extract(name: str, content_type: str = "") -> bool:
    """Whether an attachment of this name and detected type has text to extract."""
    return _kind(name, content_type) in EXTRACTORS


def extract(name: str, data: bytes, content_type: str = "", limits: Limits | None = None) -> Result:
    """The plain text of the file ``name`` (detected as ``content_type`` at upload) with content
    ``data``, within ``limits``. Never raises: a damaged or hostile file gives FAILED (or
    TRUNCATED with the text read before a limit) and a note."""
    extractor = EXTRACTORS.get(_kind(name, content_type))
    if extractor is None or not data:
        return Result("", NONE)
    sink = _Sink(limits or Limits())
    status, note = DONE, ""
    try:
        extractor(data, sink)
    except LimitReached as exc:
        note = exc.note
        partial = exc.note in (PAGES, CHARACTERS) or bool(sink.text.strip())
        status = TRUNCATED if partial else FAILED
        logger.info("Extraction of %r stopped at a limit: %s", name, exc.note)
    except Encrypted:
        status, note = FAILED, ENCRYPTED
        logger.warning("Could not extract the text of %r: it is encrypted", name)
    except Exception as exc:  # a damaged or hostile file must never break anything
        logger.warning("Could not extract the text of %r: %s", name, exc)
        return Result("", FAILED, DAMAGED)
    # PostgreSQL text cannot hold NUL characters
    return Result(sink.text.replace("\x00", "").strip(), status, note)


def extract_text(name: str, data: bytes) -> str:
    """The plain text of the file ``name`` with content ``data`` within the default limits
    (at most 200,000 characters); "" when the kind is not extractable or the file is damaged."""
    return extract(name, data).text


# --- PDF ----------------------------------------------------------------------------------

def _pdf(data: bytes, sink: _Sink) -> None:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    if reader.is_encrypted:
        try:
            opened = reader.decrypt("")  # documents protected by an owner password only
        except Exception:
            opened = 0
        if not opened:
            raise Encrypted
    first = True
    for page in _pdf_pages(reader, sink):
        sink.tick()
        if not first:
            sink.add("\n")
        sink.add(page.extract_text() or "")
        first = False


def _pdf_pages(reader, sink: _Sink):
    """The pages in order, walking the page tree lazily: pypdf's ``reader.pages`` flattens the
    whole tree first (seconds for 100,000 pages), this stops after ``max_pages``."""
    from pypdf import PageObject
    from pypdf.generic import IndirectObject, NameObject

    root = reader.trailer["/Root"].get_object()["/Pages"]
    stack = [(root, {})]
    seen: set[int] = set()
    count = 0
    while stack:
        ref, inherit = stack.pop()
        node = ref.get_object()
        if isinstance(ref, IndirectObject):
            if ref.idnum in seen:  # a cycle in a malformed tree
                continue
            seen.add(ref.idnum)
        if node.get("/Type") == "/Pages" or "/Kids" in node:
            inherit = {**inherit, **{k: node[k] for k in PDF_INHERITABLE if k in node}}
            stack.extend((kid, inherit) for kid in reversed(node.get("/Kids", [])))
            sink.tick()
            continue
        if count == sink.limits.max_pages:
            raise LimitReached(PAGES)
        count += 1
        page = PageObject(reader, ref if isinstance(ref, IndirectObject) else None)
        page.update(node)
        for key, value in inherit.items():
            if key not in page:
                page[NameObject(key)] = value
        yield page


# --- ZIP containers: DOCX and OFD ---------------------------------------------------------

class _CountingReader(io.RawIOBase):
    """A ZIP member read through the sink, which counts every decompressed byte."""

    def __init__(self, raw, sink: _Sink):
        self.raw, self.sink = raw, sink

    def readable(self) -> bool:
        return True

    def read(self, n: int = -1) -> bytes:
        data = self.raw.read(n if n and n > 0 else 64 * 1024)
        self.sink.count_bytes(len(data))
        return data

    def readinto(self, buffer) -> int:
        data = self.read(len(buffer))
        buffer[:len(data)] = data
        return len(data)


def _open_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, sink: _Sink):
    limits = sink.limits
    if info.file_size > limits.max_bytes - sink.unzipped:
        raise LimitReached(TOO_LARGE)
    if info.file_size > 1024 * 1024 and info.file_size > limits.max_ratio * max(info.compress_size, 1):
        raise LimitReached(TOO_LARGE)
    return _CountingReader(archive.open(info), sink)


def _docx(data: bytes, sink: _Sink) -> None:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        member = _open_member(archive, archive.getinfo("word/document.xml"), sink)
        events = 0
        for _event, element in ElementTree.iterparse(member, events=("end",)):
            if element.tag == f"{W_NS}t":
                sink.add(element.text or "")
            elif element.tag == f"{W_NS}p":
                sink.add("\n")
                element.clear()
            events += 1
            if events % 1000 == 0:
                sink.tick()


def _natural_key(path: str) -> list:
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", path)]


def _ofd(data: bytes, sink: _Sink) -> None:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        pages = [info for info in archive.infolist() if OFD_PAGE.search(info.filename)]
        for number, info in enumerate(sorted(pages, key=lambda i: _natural_key(i.filename))):
            if number == sink.limits.max_pages:
                raise LimitReached(PAGES)
            events = 0
            for _event, element in ElementTree.iterparse(_open_member(archive, info, sink), events=("end",)):
                if element.tag == f"{OFD_NS}TextCode":
                    if sink.chars:
                        sink.add("\n")
                    sink.add(element.text or "")
                elif element.tag == f"{OFD_NS}TextObject":
                    element.clear()
                events += 1
                if events % 1000 == 0:
                    sink.tick()


# --- plain text ---------------------------------------------------------------------------

def _txt(data: bytes, sink: _Sink) -> None:
    # at most four bytes a character in UTF-8, GB18030 and UTF-16: decode no more than needed
    cut = data[:sink.limits.max_chars * 4 + 4]
    if cut[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):  # Windows Notepad's "Unicode"
        encoding = "utf-16"
    else:
        try:
            codecs.getincrementaldecoder("utf-8-sig")().decode(cut, final=len(cut) == len(data))
            encoding = "utf-8-sig"
        except UnicodeDecodeError:
            encoding = "gb18030"
    decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
    sink.add(decoder.decode(cut, final=len(cut) == len(data)))
    if len(cut) < len(data):
        raise LimitReached(CHARACTERS)


EXTRACTORS = {".pdf": _pdf, ".docx": _docx, ".ofd": _ofd, ".txt": _txt}
