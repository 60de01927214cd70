"""WeasyPrint renders Chinese with the vendored fonts, on A4, fonts embedded, without errors."""

import io
import logging
from pathlib import Path

import pytest
from django.conf import settings
from fontTools.ttLib import TTFont
from pypdf import PdfReader

from office import pdf
from office.fonts import FACES

A4_POINTS = (595.28, 841.89)


def gb2312_level_1_and_2() -> list[str]:
    chars = []
    for hi in range(0xB0, 0xF8):
        for lo in range(0xA1, 0xFF):
            try:
                chars.append(bytes([hi, lo]).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    return chars


def test_there_are_6763_gb2312_hanzi():
    assert len(gb2312_level_1_and_2()) == 6763


@pytest.mark.parametrize("filename", sorted(face.fonts[0].filename for face in FACES.values()))
def test_each_face_primary_font_covers_all_gb2312_characters(filename):
    cmap = TTFont(Path(settings.FONT_DIR) / filename, lazy=True).getBestCmap()
    missing = [c for c in gb2312_level_1_and_2() if ord(c) not in cmap]
    assert missing == []


def test_render_chinese_on_a4_with_embedded_fonts_and_no_weasyprint_errors(caplog):
    html = """<h1>某县人民政府办公室</h1>
    <p>当日文件当日清，事事有着落，件件有回音。</p>
    <p class="song">宋体：督查督办通知单</p><p class="kai">楷体：批示意见</p>"""
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        data = pdf.render_html(html)
    assert [r for r in caplog.records if r.name.startswith("weasyprint")] == []
    reader = PdfReader(io.BytesIO(data))
    box = reader.pages[0].mediabox
    assert (round(float(box.width), 2), round(float(box.height), 2)) == A4_POINTS
    text = reader.pages[0].extract_text()
    assert "当日文件当日清" in text and "件件有回音" in text
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            descriptor = descendant["/FontDescriptor"].get_object()
            assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")), font["/BaseFont"]
            fonts.add(str(font["/BaseFont"]).split("+")[-1])
    # the faces' primary fonts, each a vendored Fandol file (see office.fonts.FACES)
    assert fonts == {"ZB-Fangsong", "ZB-Hei", "ZB-Song", "ZB-Kai"}


def test_remote_resources_are_never_fetched(caplog):
    with caplog.at_level(logging.ERROR, logger="weasyprint"):
        pdf.render_html('<img src="http://example.com/x.png"><p>正文</p>')
    assert any("fetches no remote resources" in r.getMessage() for r in caplog.records)
