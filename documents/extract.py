"""The plain text of an attachment, for search: PDF (pypdf), DOCX and OFD (zipped XML) and
plain text. Scans, .doc, .wps, spreadsheets and anything else give "". Never raises."""

from __future__ import annotations

import io
import logging
import re
import zipfile
from pathlib import PurePosixPath
from xml.etree import ElementTree

logger = logging.getLogger("documents.extract")

MAX_CHARS = 200_000
MAX_XML_BYTES = 50 * 1024 * 1024  # per zip member, uncompressed

W_NS = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
OFD_NS = "{http://www.ofdspec.org/2016}"
OFD_PAGE = re.compile(r"(?:^|/)Pages/[^/]+/Content\.xml$")


def extract_text(name: str, data: bytes) -> str:
    """The plain text of the file ``name`` with content ``data``, at most 200,000 characters;
    "" when the kind is not extractable or the file is damaged."""
    extractor = EXTRACTORS.get(PurePosixPath(name.replace("\\", "/")).suffix.lower())
    if extractor is None or not data:
        return ""
    try:
        # PostgreSQL text cannot hold NUL characters
        return extractor(data)[:MAX_CHARS].replace("\x00", "").strip()
    except Exception as exc:  # a damaged or hostile file must not break registration
        logger.warning("Could not extract the text of %r: %s", name, exc)
        return ""


def _pdf(data: bytes) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    if reader.is_encrypted:
        reader.decrypt("")  # documents protected by an owner password only
    texts, length = [], 0
    for page in reader.pages:
        text = page.extract_text() or ""
        texts.append(text)
        length += len(text) + 1
        if length > MAX_CHARS:
            break
    return "\n".join(texts)


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    if info.file_size > MAX_XML_BYTES:
        raise ValueError(f"{info.filename} is too large ({info.file_size} bytes)")
    return archive.read(info)


def _docx(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        xml = _read_member(archive, archive.getinfo("word/document.xml"))
    parts = []
    for _event, element in ElementTree.iterparse(io.BytesIO(xml), events=("end",)):
        if element.tag == f"{W_NS}t":
            parts.append(element.text or "")
        elif element.tag == f"{W_NS}p":
            parts.append("\n")
    return "".join(parts)


def _natural_key(path: str) -> list:
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", path)]


def _ofd(data: bytes) -> str:
    texts = []
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        pages = [info for info in archive.infolist() if OFD_PAGE.search(info.filename)]
        for info in sorted(pages, key=lambda i: _natural_key(i.filename)):
            root = ElementTree.fromstring(_read_member(archive, info))
            texts.extend(code.text or "" for code in root.iter(f"{OFD_NS}TextCode"))
    return "\n".join(texts)


def _txt(data: bytes) -> str:
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):  # UTF-16 with a byte-order mark (Windows Notepad)
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("gb18030", errors="replace")


EXTRACTORS = {".pdf": _pdf, ".docx": _docx, ".ofd": _ofd, ".txt": _txt}
