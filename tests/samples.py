"""Small real files of each accepted kind, and hostile ones, built in the tests (nothing is
shipped): PDF objects written directly, DOCX/OFD/ZIP with zipfile (or, for a bomb, a raw
deflate stream repeated after a full flush), images with Pillow."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

from PIL import Image

DOCX_CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/word/document.xml"
 ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
</Types>"""

OFD_ROOT = """<?xml version="1.0" encoding="UTF-8"?>
<ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016" Version="1.0" DocType="OFD">
<ofd:DocBody><ofd:DocInfo><ofd:DocID>0</ofd:DocID></ofd:DocInfo>
<ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody>
</ofd:OFD>"""

OFD_PAGE_HEAD = ('<?xml version="1.0" encoding="UTF-8"?>\n<ofd:Page xmlns:ofd="http://www.ofdspec.org/2016">'
                 '<ofd:Content><ofd:Layer ID="3">\n')
OFD_PAGE_TAIL = "</ofd:Layer></ofd:Content></ofd:Page>\n"
OFD_TEXT = ('<ofd:TextObject ID="4" Boundary="20 30 170 10" Font="5" Size="5.6">'
            '<ofd:TextCode X="0" Y="5">{text}</ofd:TextCode></ofd:TextObject>\n')


def zipped(files: dict[str, str | bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content.encode() if isinstance(content, str) else content)
    return buffer.getvalue()


def docx(*paragraphs: str) -> bytes:
    body = "".join(f"<w:p><w:r><w:t>{p}</w:t></w:r></w:p>" for p in paragraphs)
    document = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
                f"<w:body>{body}<w:sectPr/></w:body></w:document>")
    return zipped({"[Content_Types].xml": DOCX_CONTENT_TYPES, "word/document.xml": document})


def ofd_page(*texts: str) -> str:
    return OFD_PAGE_HEAD + "".join(OFD_TEXT.format(text=t) for t in texts) + OFD_PAGE_TAIL


def ofd(*pages: list[str]) -> bytes:
    files: dict[str, str | bytes] = {"OFD.xml": OFD_ROOT}
    for n, texts in enumerate(pages):
        files[f"Doc_0/Pages/Page_{n}/Content.xml"] = ofd_page(*texts)
    return zipped(files)


def image(fmt: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, fmt)
    return buffer.getvalue()


def xlsx() -> bytes:
    import openpyxl

    buffer = io.BytesIO()
    book = openpyxl.Workbook()
    book.active["A1"] = "督查台账"
    book.save(buffer)
    return buffer.getvalue()


def ole2() -> bytes:
    """The header of an Office 97–2003 compound file (what .doc, .xls and .wps files are)."""
    header = bytearray(512)
    header[:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    header[24:34] = b"\x3e\x00\x03\x00\xfe\xff\x09\x00\x06\x00"
    return bytes(header) + b"\xff" * 512


def elf() -> bytes:
    return b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 8 + b"\x02\x00\x3e\x00\x01\x00\x00\x00" + b"\x00" * 200


def pe() -> bytes:
    """A Windows program: DOS header pointing at a PE header."""
    data = bytearray(1024)
    data[:2] = b"MZ"
    data[0x3C:0x40] = struct.pack("<I", 0x80)
    data[0x80:0x84] = b"PE\x00\x00"
    data[0x4E:0x75] = b"This program cannot be run in DOS mode.\r\r\n"
    return bytes(data)


HTML = b"<!DOCTYPE html>\n<html><body><script>alert(document.cookie)</script></body></html>"


# --- PDF, written object by object ---------------------------------------------------------

def _pdf(objects: list[bytes]) -> bytes:
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    out.write(b"".join(b"%010d 00000 n \n" % o for o in offsets))
    out.write(b"trailer\n<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def pdf(*page_texts: str) -> bytes:
    """A PDF with one page per text (ASCII, Helvetica), the fonts inherited from the page tree."""
    n = len(page_texts)
    objects = [b"<</Type/Catalog/Pages 2 0 R>>",
               b"<</Type/Pages/Count %d/Kids[%s]/MediaBox[0 0 595 842]"
               b"/Resources<</Font<</F1 3 0 R>>>>>>"
               % (n, b" ".join(b"%d 0 R" % (4 + 2 * i) for i in range(n))),
               b"<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>"]
    for i, text in enumerate(page_texts):
        stream = b"BT /F1 24 Tf 72 720 Td (%s) Tj ET" % text.encode("ascii")
        objects.append(b"<</Type/Page/Parent 2 0 R/Contents %d 0 R>>" % (5 + 2 * i))
        objects.append(b"<</Length %d>>stream\n" % len(stream) + stream + b"\nendstream")
    return _pdf(objects)


def empty_pages_pdf(n: int) -> bytes:
    """A PDF of ``n`` empty pages under one /Pages node: about 7 MB for 100,000 pages."""
    kids = b" ".join(b"%d 0 R" % (i + 3) for i in range(n))
    objects = [b"<</Type/Catalog/Pages 2 0 R>>",
               b"<</Type/Pages/Count %d/Kids[%s]/MediaBox[0 0 595 842]>>" % (n, kids)]
    objects.extend([b"<</Type/Page/Parent 2 0 R>>"] * n)
    return _pdf(objects)


# --- a ZIP bomb ----------------------------------------------------------------------------

def zip_with_huge_member(name: str, block: bytes, repeats: int, *, prefix: bytes = b"", suffix: bytes = b"",
                         declared_size: int | None = None, extra: dict[str, str] | None = None) -> bytes:
    """A ZIP whose member ``name`` inflates to ``prefix`` + ``block`` × ``repeats`` + ``suffix``,
    written without compressing all of it: after a full flush the deflate stream forgets what came
    before, so ``block`` compressed once repeats byte for byte. ``declared_size`` lets the header
    lie about the member's size."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    head = compressor.compress(prefix) + compressor.flush(zlib.Z_FULL_FLUSH)
    once = compressor.compress(block) + compressor.flush(zlib.Z_FULL_FLUSH)
    tail = compressor.compress(suffix) + compressor.flush()
    crc = zlib.crc32(prefix)
    for _ in range(repeats):
        crc = zlib.crc32(block, crc)
    crc = zlib.crc32(suffix, crc)
    size = len(prefix) + len(block) * repeats + len(suffix)
    entries = []
    for entry_name, content in (extra or {}).items():
        raw = content.encode()
        entries.append((entry_name.encode(), zlib.compress(raw, 9)[2:-4], zlib.crc32(raw), len(raw)))
    entries.append((name.encode(), head + once * repeats + tail, crc,
                    size if declared_size is None else declared_size))
    buffer, central = io.BytesIO(), []
    for entry_name, packed, entry_crc, entry_size in entries:
        offset = buffer.tell()
        buffer.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0, entry_crc, len(packed),
                                 entry_size, len(entry_name), 0) + entry_name)
        buffer.write(packed)
        central.append(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0, entry_crc,
                                   len(packed), entry_size, len(entry_name), 0, 0, 0, 0, 0, offset)
                       + entry_name)
    start, directory = buffer.tell(), b"".join(central)
    buffer.write(directory)
    buffer.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(central), len(central), len(directory),
                             start, 0))
    return buffer.getvalue()


PATH_BLOCK = ('<ofd:PathObject ID="9" Boundary="0 0 1 1"><ofd:AbbreviatedData>M 0 0 L 1 1'
              '</ofd:AbbreviatedData></ofd:PathObject>\n' * 9000).encode()  # about 1 MB


def ofd_bomb(megabytes: int, *, text: str = "", page_before: str = "", **kwargs) -> bytes:
    """An OFD whose page expands to about ``megabytes`` MB of well-formed XML: ``text`` first,
    then text-less path objects (the 2.7 MB OFD of the issue expands to 700 MB). With
    ``page_before``, an ordinary first page with that text comes before it."""
    prefix = (OFD_PAGE_HEAD + (OFD_TEXT.format(text=text) if text else "")).encode()
    repeats = megabytes * 1024 * 1024 // len(PATH_BLOCK)
    extra = {"OFD.xml": OFD_ROOT}
    if page_before:
        extra["Doc_0/Pages/Page_0/Content.xml"] = ofd_page(page_before)
    name = f"Doc_0/Pages/Page_{1 if page_before else 0}/Content.xml"
    return zip_with_huge_member(name, PATH_BLOCK, repeats, prefix=prefix, suffix=OFD_PAGE_TAIL.encode(),
                                extra=extra, **kwargs)
