"""The plain text of attachments: PDF, DOCX, OFD and plain text; everything else is ""."""

import io
import logging
import zipfile

from documents.extract import MAX_CHARS, extract_text
from office.pdf import render_html

TITLE = "关于做好冬季安全生产工作的通知"

DOCX_CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/word/document.xml"
 ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
</Types>"""

DOCX_DOCUMENT = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
<w:body>
<w:p><w:r><w:t>关于做好</w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>冬季安全生产</w:t></w:r><w:r><w:t>工作的通知</w:t></w:r></w:p>
<w:p><w:r><w:t xml:space="preserve">各乡镇人民政府，县政府各部门：</w:t></w:r></w:p>
<w:tbl><w:tr><w:tc><w:p><w:r><w:t>附表</w:t></w:r></w:p></w:tc></w:tr></w:tbl>
<w:sectPr/>
</w:body>
</w:document>"""

OFD_ROOT = """<?xml version="1.0" encoding="UTF-8"?>
<ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016" Version="1.0" DocType="OFD">
<ofd:DocBody><ofd:DocInfo><ofd:DocID>0</ofd:DocID></ofd:DocInfo>
<ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody>
</ofd:OFD>"""

OFD_DOCUMENT = """<?xml version="1.0" encoding="UTF-8"?>
<ofd:Document xmlns:ofd="http://www.ofdspec.org/2016">
<ofd:CommonData><ofd:MaxUnitID>10</ofd:MaxUnitID>
<ofd:PageArea><ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox></ofd:PageArea></ofd:CommonData>
<ofd:Pages>
<ofd:Page ID="1" BaseLoc="Pages/Page_0/Content.xml"/>
<ofd:Page ID="2" BaseLoc="Pages/Page_1/Content.xml"/>
</ofd:Pages>
</ofd:Document>"""

OFD_PAGE = """<?xml version="1.0" encoding="UTF-8"?>
<ofd:Page xmlns:ofd="http://www.ofdspec.org/2016">
<ofd:Content><ofd:Layer ID="3">
{objects}
</ofd:Layer></ofd:Content>
</ofd:Page>"""

OFD_TEXT = """<ofd:TextObject ID="4" Boundary="20 30 170 10" Font="5" Size="5.6">
<ofd:TextCode X="0" Y="5">{text}</ofd:TextCode></ofd:TextObject>"""


def zipped(files: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            archive.writestr(name, text.encode())
    return buffer.getvalue()


def ofd_page(*texts: str) -> str:
    return OFD_PAGE.format(objects="\n".join(OFD_TEXT.format(text=t) for t in texts))


def test_pdf_text():
    data = render_html(f"<p>{TITLE}</p>")
    text = extract_text("a.pdf", data)
    assert "冬季安全生产" in text.replace(" ", "")


def test_pdf_extension_is_case_insensitive():
    data = render_html(f"<p>{TITLE}</p>")
    assert "冬季安全生产" in extract_text("扫描件/通知.PDF", data).replace(" ", "")


def test_docx_text_paragraph_by_paragraph():
    data = zipped({"[Content_Types].xml": DOCX_CONTENT_TYPES, "word/document.xml": DOCX_DOCUMENT})
    assert extract_text("通知.docx", data) == f"{TITLE}\n各乡镇人民政府，县政府各部门：\n附表"


def test_ofd_text_page_by_page():
    data = zipped({
        "OFD.xml": OFD_ROOT,
        "Doc_0/Document.xml": OFD_DOCUMENT,
        "Doc_0/Pages/Page_1/Content.xml": ofd_page("二、加强隐患排查整治"),
        "Doc_0/Pages/Page_0/Content.xml": ofd_page(TITLE, "一、提高思想认识"),
    })
    assert extract_text("通知.ofd", data) == f"{TITLE}\n一、提高思想认识\n二、加强隐患排查整治"


def test_txt_in_utf8_and_gb18030():
    assert extract_text("a.txt", TITLE.encode("utf-8")) == TITLE
    assert extract_text("a.txt", TITLE.encode("utf-8-sig")) == TITLE
    assert extract_text("a.txt", TITLE.encode("gb18030")) == TITLE


def test_the_text_is_capped():
    assert len(extract_text("long.txt", ("安全" * MAX_CHARS).encode())) == MAX_CHARS


def test_kinds_without_text_give_nothing():
    assert extract_text("scan.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00") == ""
    assert extract_text("scan.png", b"\x89PNG\r\n\x1a\n") == ""
    assert extract_text("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1") == ""
    assert extract_text("wps.wps", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1") == ""
    assert extract_text("sheet.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1") == ""
    assert extract_text("no-extension", TITLE.encode()) == ""
    assert extract_text("empty.txt", b"") == ""


def test_damaged_files_give_nothing_and_a_warning(caplog):
    with caplog.at_level(logging.WARNING, logger="documents.extract"):
        assert extract_text("broken.pdf", b"%PDF-1.7\nthis is not a pdf at all") == ""
        assert extract_text("broken.docx", b"PK\x03\x04 not a zip") == ""
        broken_ofd = zipped({"Doc_0/Pages/Page_0/Content.xml": "<ofd:Page"})
        assert extract_text("broken.ofd", broken_ofd) == ""
        assert extract_text("nodoc.docx", zipped({"word/other.xml": "<x/>"})) == ""
    warnings = [r for r in caplog.records if r.name == "documents.extract"]
    assert len(warnings) == 4
    assert all(r.levelno == logging.WARNING for r in warnings)
