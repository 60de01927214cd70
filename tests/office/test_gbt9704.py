"""GB/T 9704-2012 layout, measured on the rendered PDF (text boxes, fonts, ink), not eyeballed.

Tolerances are the standard's: 版心 ± 1 mm (§6.1). Positions are in mm from the paper's top-left.
"""

import dataclasses
import datetime
import io
import logging

import pytest
from pypdf import PdfReader

from office import fonts, pdf
from office import gbt9704 as g
from office.gbt9704 import Attachment, Issuer, OfficialDocument
from office.gbt9704_samples import demo_seal_png
from tests.office import gbt_measure as m

RIGHT_EDGE = g.LEFT + g.BLOCK_W  # 184
BUNDLED = {family.replace(" ", "-") for family in fonts.FONTS}
DATE = datetime.date(2026, 11, 29)


def filler(n: int, seed: str = "公文处理工作规范高效有序") -> str:
    return (seed * (n // len(seed) + 1))[:n]


def below(page: list[m.Word], y: float) -> list[m.Word]:
    return [w for w in page if w.y0 > y]


def lines_in(page: list[m.Word], y0: float, y1: float) -> list[m.Word]:
    """Words between y0 and y1 merged per line (pdftotext splits spaced-out text into words)."""
    rows: dict[float, list[m.Word]] = {}
    for w in page:
        if y0 <= w.y0 <= y1:
            rows.setdefault(round(w.y0, 1), []).append(w)
    return [m.Word("".join(w.text for w in sorted(ws, key=lambda w: w.x0)), min(w.x0 for w in ws),
                   min(w.y0 for w in ws), max(w.x1 for w in ws), max(w.y1 for w in ws))
            for _y, ws in sorted(rows.items())]


@pytest.fixture(scope="module")
def seal_png():
    return demo_seal_png("某县人民政府办公室")


def standard_doc(seal, **changes) -> OfficialDocument:
    doc = OfficialDocument(
        issuers=[Issuer(name="某县人民政府办公室", seal=seal)],
        copy_number="000123", secrecy="秘密", secrecy_period="1年", urgency="特急",
        number="某政办发〔2026〕18号",
        title="某县人民政府办公室关于进一步规范\n全县公文处理工作的通知",
        recipients="各乡镇人民政府，县政府各部门",
        body=["一、总体要求",
              "（一）加强组织领导。" + filler(50),
              "1.明确责任分工。" + filler(40),
              "（1）细化工作措施。" + filler(10),
              filler(26 + 28 * 32),
              filler(60)],
        attachments=[Attachment("检查评分标准", body=["一、公文格式", filler(70)])],
        date=DATE, notes="此件公开发布",
        copies_to=["县委办公室", "县人大常委会办公室"], printer="某县人民政府办公室",
        printed_on=datetime.date(2026, 11, 30))
    return dataclasses.replace(doc, **changes)


@pytest.fixture(scope="module")
def standard(seal_png):
    data = g.render(standard_doc(seal_png))
    return data, m.words(data)


# --- text helpers ------------------------------------------------------------------------------

@pytest.mark.parametrize(("value", "expected"), [
    (datetime.date(2026, 11, 29), "2026年11月29日"),
    (datetime.date(2026, 1, 1), "2026年1月1日"),
    (datetime.date(2027, 10, 5), "2027年10月5日"),
    (datetime.date(2030, 12, 31), "2030年12月31日"),
])
def test_chinese_date_is_written_in_full_without_padding(value, expected):
    assert g.chinese_date(value) == expected


@pytest.mark.parametrize(("text", "level"), [
    ("一、总体要求", 1), ("十二、其他事项", 1), ("　　三、工作要求", 1),
    ("（一）加强领导。", 2), ("(二)半角括号", 2), ("（十一）", 2),
    ("1.审核程序。", 3), ("12．全角点", 3),
    ("（1）细化分工", 4), ("（10）", 4),
    ("1.5亿元资金已到位", 0), ("一是加强领导", 0), ("正文", 0), ("2026年工作", 0), ("", 0),
])
def test_heading_level_follows_the_four_numbering_levels(text, level):
    assert g.heading_level(text) == level


def test_split_heading_takes_the_heading_sentence_only():
    assert g.split_heading("（一）加强领导。各乡镇要明确责任。") == (2, "（一）加强领导。", "各乡镇要明确责任。")
    assert g.split_heading("一、总体要求") == (1, "一、总体要求", "")
    assert g.split_heading("（二）严格审核。") == (2, "（二）严格审核。", "")
    assert g.split_heading("正文。还有") == (0, "", "正文。还有")


def test_title_lines_keep_the_drafters_breaks():
    assert g.title_lines("某县人民政府办公室关于进一步规范\n全县公文处理工作的通知") == [
        "某县人民政府办公室关于进一步规范", "全县公文处理工作的通知"]
    assert g.title_lines("关于放假的通知") == ["关于放假的通知"]


def test_a_title_breaks_after_guanyu_rather_than_inside_it():
    assert g.title_lines("某县人民政府办公室关于商请协助开展培训的函") == [
        "某县人民政府办公室关于", "商请协助开展培训的函"]


@pytest.mark.parametrize("title", [
    "某县人民政府关于印发某县2026年农村公路养护工程实施方案和资金管理办法的通知",
    "某县人民政府办公室关于转发市人民政府办公室关于做好2026年度政务公开工作的通知的通知",
    "某县人民政府关于申请拨付农村公路养护补助资金的请示",
])
def test_a_long_title_is_balanced_into_a_trapezoid_without_splitting_numbers(title):
    lines = g.title_lines(title)
    assert "".join(lines) == title
    assert len(lines) >= 2
    widths = [g.text_width(line) for line in lines]
    assert max(widths) <= g.BLOCK_W / g.SIZE_2
    assert all(a <= b + 0.5 for a, b in zip(widths, widths[1:], strict=False))  # 梯形: upper no longer
    assert not any(a[-1].isdigit() and b[0].isdigit() for a, b in zip(lines, lines[1:], strict=False))


def test_geometry_constants_give_28_by_22_on_the_standard_block():
    assert g.LINE * 21 + g.SIZE_3 == pytest.approx(225)
    assert 28 * g.ZI <= 156 < 29 * g.ZI
    assert g.MARGIN_TOP == pytest.approx(34.6, abs=0.01)
    assert g.MARGIN_BOTTOM == pytest.approx(32.6, abs=0.01)


# --- validation ------------------------------------------------------------------------------

@pytest.mark.parametrize(("changes", "message"), [
    ({"format": "poster"}, "Unknown document format: poster."),
    ({"issuers": []}, "A document needs its issuing organ."),
    ({"title": " "}, "A document needs a title."),
    ({"body": ["", "　"]}, "The first page must show the body text: the body is empty."),
    ({"copy_number": "123"}, "The copy number (份号) is six Arabic digits, e.g. 000001."),
    ({"secrecy": "内部"}, "The secrecy level is 绝密, 机密 or 秘密."),
    ({"copy_number": ""}, "A classified document carries a copy number (份号)."),
    ({"secrecy_period": "一年"},
     "The secrecy period is written in Arabic numerals, e.g. 1年, 6个月 or 长期."),
    ({"urgency": "急件"}, "The urgency is 特急 or 加急."),
    ({"date": None}, "A document needs its date (成文日期)."),
])
def test_a_document_that_cannot_print_is_refused_with_the_reason(settings, seal_png, changes, message):
    settings.LANGUAGE_CODE = "en"
    from django.utils import translation

    with translation.override("en"):
        doc = standard_doc(seal_png, **changes)
        assert message in g.problems(doc)
        with pytest.raises(g.DocumentFormatError) as refused:
            g.render(doc)
    assert message in refused.value.messages


def test_problems_are_translated_and_a_good_document_has_none(seal_png):
    assert g.problems(standard_doc(seal_png)) == []
    doc = standard_doc(seal_png, issuers=[Issuer("甲局", seal=seal_png), Issuer("乙局")])
    assert g.problems(doc) == ["联合行文的各发文机关须全部加盖印章或全部不加盖印章。"]
    assert g.problems(standard_doc(seal_png, format="order", number="")) == ["命令须有令号。"]
    assert g.problems(standard_doc(seal_png, format="minutes")) == ["纪要不加盖印章。"]
    assert g.problems(standard_doc(seal_png, secrecy="", copy_number="", secrecy_period="1年")) == [
        "标注保密期限须同时标注密级。"]


def test_a_seal_that_is_not_an_image_is_refused(seal_png):
    doc = standard_doc(b"not an image", copy_number="000001")
    with pytest.raises(g.DocumentFormatError) as refused:
        g.render(doc)
    assert refused.value.messages == ["印章或签名章须为 PNG、JPEG 或 SVG 图像。"]


# --- the standard format -----------------------------------------------------------------------

def test_every_page_is_a4_and_the_renderer_logs_no_warning(seal_png, caplog):
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        data = g.render(standard_doc(seal_png))
    assert [r.getMessage() for r in caplog.records if r.name.startswith("weasyprint")] == []
    sizes = m.page_sizes(data)
    assert len(sizes) == 4
    for width, height in sizes:
        assert width == pytest.approx(210, abs=0.1) and height == pytest.approx(297, abs=0.1)


def test_a_full_page_has_22_lines_of_28_characters_inside_the_text_block(standard):
    _data, pages = standard
    page2 = sorted(pages[1], key=lambda w: w.y0)
    body = [w for w in page2 if w.y1 < g.BLOCK_BOTTOM + 1]
    assert len(body) == 22
    assert body[0].y0 == pytest.approx(37, abs=1)  # 天头 37 mm: the first line's characters start there
    assert body[-1].y1 == pytest.approx(262, abs=1)  # the 22nd line ends on the 版心's bottom edge
    for upper, lower in zip(body, body[1:], strict=False):
        assert lower.y0 - upper.y0 == pytest.approx(g.LINE, abs=0.05)
    for word in body:
        assert word.x0 == pytest.approx(28, abs=1)  # 订口 28 mm
        assert len(word.text) == 28
        assert word.x1 <= RIGHT_EDGE + 0.2
        assert word.x1 - word.x0 == pytest.approx(156, abs=1)


def test_paragraphs_start_two_characters_in_and_wrap_flush_left(standard):
    _data, pages = standard
    starts = [w for w in pages[0] if w.text.startswith("（一）加强组织领导。")]
    assert len(starts) == 1 and starts[0].x0 == pytest.approx(28 + 2 * g.ZI, abs=0.3)  # 左空二字
    wrapped = [w for w in pages[0] if starts[0].y0 < w.y0 < starts[0].y0 + g.LINE + 0.5]
    assert len(wrapped) == 1 and wrapped[0].x0 == pytest.approx(28, abs=0.3)  # 回行顶格
    recipients = m.find(pages[0], "各乡镇人民政府，县政府各部门：")
    assert recipients.x0 == pytest.approx(28, abs=0.3)


def test_copy_number_secrecy_and_urgency_stand_on_the_first_three_lines(standard):
    data, pages = standard
    for k, text in enumerate(["000123", "秘密★1年", "特急"]):
        word = m.find(pages[0], text)
        assert word.x0 == pytest.approx(28, abs=0.3)
        assert word.y0 == pytest.approx(37 + k * g.LINE, abs=0.3)
    assert m.font_of(data, 1, "秘密") == "ZB-Hei"
    assert m.font_of(data, 1, "特急") == "ZB-Hei"


def test_masthead_is_red_centred_35mm_below_the_text_block_top(standard):
    data, pages = standard
    masthead = m.find(pages[0], "某县人民政府办公室文件")
    assert masthead.y0 == pytest.approx(37 + 35, abs=1)
    assert masthead.x0 >= 28 - 0.3 and masthead.x1 <= RIGHT_EDGE + 0.3
    px = m.Pixels(m.raster(data, 1))
    ink = px.box("red", (0, 60, 210, masthead.y1 + 2))
    assert ink[1] == pytest.approx(72, abs=1.5)  # its ink starts at the character box's top
    assert (ink[0] + ink[2]) / 2 == pytest.approx(106, abs=1)  # centred on the 版心 (28 + 156 / 2)
    r, gr, b = px.colour("red", ink)
    assert r > 200 and gr < 60 and b < 60
    assert m.font_of(data, 1, "某县人民政府办公室文件") == "ZB-Song"  # the 小标宋 stand-in


def test_number_is_centred_two_lines_below_the_masthead_and_the_red_rule_4mm_below_it(standard):
    data, pages = standard
    masthead = m.find(pages[0], "某县人民政府办公室文件")
    number = m.find(pages[0], "某政办发〔2026〕18号")
    assert number.y0 - masthead.y1 == pytest.approx(2 * g.LINE, abs=0.5)
    assert number.cx == pytest.approx(106, abs=0.5)
    px = m.Pixels(m.raster(data, 1))
    rules = px.horizontal_lines("red", min_length=100, region=(0, number.y1, 210, number.y1 + 20))
    assert len(rules) == 1
    x0, y0, x1, y1 = rules[0]
    assert x0 == pytest.approx(28, abs=0.3) and x1 == pytest.approx(184, abs=0.3)  # 版心 wide: 156 mm
    assert y0 - number.y1 == pytest.approx(4, abs=0.3)
    title = m.find(pages[0], "某县人民政府办公室关于进一步规范")
    assert title.y0 - y1 == pytest.approx(2 * g.LINE, abs=1)  # 红色分隔线下空二行
    assert title.cx == pytest.approx(106, abs=0.5)
    second = m.find(pages[0], "全县公文处理工作的通知")
    assert second.cx == pytest.approx(106, abs=0.5)
    assert title.y1 - title.y0 == pytest.approx(22 * m.PT, abs=0.1)  # 2号
    recipients = m.find(pages[0], "各乡镇人民政府，县政府各部门：")
    assert recipients.y0 - second.y1 >= g.LINE - 0.01  # 标题下空一行
    assert (recipients.y0 - 37) / g.LINE == pytest.approx(round((recipients.y0 - 37) / g.LINE), abs=0.01)


def test_headings_print_in_their_faces(standard):
    data, _pages = standard
    assert m.font_of(data, 1, "一、总体要求") == "ZB-Hei"
    assert m.font_of(data, 1, "（一）加强组织领导。") == "ZB-Kai"
    runs = dict(m.text_fonts(data, 1))
    third = [font for text, font in runs.items() if text.startswith("1.明确责任分工。")]
    fourth = [font for text, font in runs.items() if text.startswith("（1）细化工作措施。")]
    assert third == ["ZB-Fangsong"] and fourth == ["ZB-Fangsong"]


def test_page_numbers_sit_7mm_below_the_block_right_on_odd_pages_and_left_on_even(standard):
    data, pages = standard
    for number, page in enumerate(pages, 1):
        marks = sorted((w for w in page if w.y0 > g.BLOCK_BOTTOM), key=lambda w: w.x0)
        assert [w.text for w in marks] == ["—", str(number), "—"]
        if number % 2:
            assert marks[-1].x1 == pytest.approx(RIGHT_EDGE - g.SIZE_4, abs=1)  # 居右空一字
        else:
            assert marks[0].x0 == pytest.approx(28 + g.SIZE_4, abs=1)  # 居左空一字
        assert m.font_of(data, number, f"— {number} —") == "ZB-Song"
        assert marks[1].y1 - marks[1].y0 == pytest.approx(14 * m.PT, abs=0.1)  # 4号
    px = m.Pixels(m.raster(data, 2))
    dash = sorted((w for w in pages[1] if w.y0 > g.BLOCK_BOTTOM), key=lambda w: w.x0)[0]
    ink = px.box("dark", (dash.x0 + 0.5, dash.y0 - 1, dash.x1 - 0.5, dash.y1 + 1))
    assert (ink[1] + ink[3]) / 2 == pytest.approx(262 + 7, abs=1)  # 一字线上距版心下边缘7mm


def test_attachment_note_signature_date_seal_and_notes(standard):
    data, pages = standard
    page = next(k for k, p in enumerate(pages) if m.containing(p, "2026年11月29日"))
    words = pages[page]
    note = m.find(words, "附件：检查评分标准")
    assert note.x0 == pytest.approx(28 + 2 * g.ZI, abs=0.3)  # 左空二字
    date = m.find(words, "2026年11月29日")
    signature = m.find(words, "某县人民政府办公室")
    assert date.x1 == pytest.approx(RIGHT_EDGE - 4 * g.ZI, abs=1)  # 成文日期右空四字
    assert signature.cx == pytest.approx(date.cx, abs=0.5)  # 以成文日期为准居中编排署名
    assert date.y0 - signature.y0 == pytest.approx(g.LINE, abs=0.05)
    px = m.Pixels(m.raster(data, page + 1))
    seal = px.box("red")
    assert seal[2] - seal[0] == pytest.approx(42, abs=1) and seal[3] - seal[1] == pytest.approx(42, abs=1)
    seal_cx, seal_cy = (seal[0] + seal[2]) / 2, (seal[1] + seal[3]) / 2
    assert seal_cx == pytest.approx(date.cx, abs=0.5)  # centred over signature and date
    block_cy = (signature.y0 + date.y1) / 2
    assert 0 < block_cy - seal_cy <= 5  # signature and date a little below the seal's centre
    body_above = max((w for w in words if w.y1 <= seal[1] + 0.01), key=lambda w: w.y1)
    assert body_above is note
    assert 0 <= seal[1] - note.y1 <= g.LINE  # 印章顶端上距正文（或附件说明）一行之内
    notes = m.find(words, "（此件公开发布）")
    assert notes.x0 == pytest.approx(28 + 2 * g.ZI, abs=0.3)  # 居左空二字
    assert notes.y0 - date.y0 == pytest.approx(g.LINE, abs=0.05)  # 成文日期下一行


def test_attachments_start_on_a_new_page_with_the_label_and_title(standard):
    data, pages = standard
    last = pages[-1]
    label = m.find(last, "附件")
    assert label.x0 == pytest.approx(28, abs=0.3) and label.y0 == pytest.approx(37, abs=0.3)
    assert m.font_of(data, len(pages), "附件") == "ZB-Hei"
    title = m.find(last, "检查评分标准")
    assert title.cx == pytest.approx(106, abs=0.5)
    assert int((title.y0 - g.MARGIN_TOP) // g.LINE) == 2  # 第三行
    assert title.y1 - title.y0 == pytest.approx(22 * m.PT, abs=0.1)
    # the page before ends the main text: the attachment has its page to itself
    assert not m.containing(pages[-2], "一、公文格式")


def test_banji_sits_on_the_bottom_of_the_last_page_with_its_rules(standard):
    data, pages = standard
    last = pages[-1]
    cc = m.find(last, "抄送：县委办公室，县人大常委会办公室。")
    printer = m.find(last, "某县人民政府办公室")
    printed = m.find(last, "2026年11月30日印发")
    assert cc.x0 == pytest.approx(28 + g.SIZE_4, abs=0.3)  # 左空一字 (4号)
    assert printer.x0 == pytest.approx(28 + g.SIZE_4, abs=0.3)
    assert printed.x1 == pytest.approx(RIGHT_EDGE - g.SIZE_4, abs=0.5)  # 右空一字
    assert printed.y0 == pytest.approx(printer.y0, abs=0.05)
    assert cc.y1 - cc.y0 == pytest.approx(14 * m.PT, abs=0.1)  # 4号
    px = m.Pixels(m.raster(data, len(pages)))
    rules = px.horizontal_lines("dark", min_length=150, region=(0, cc.y0 - 15, 210, g.BLOCK_BOTTOM + 3))
    assert len(rules) == 3  # thick, thin, thick
    for x0, _y0, x1, _y1 in rules:
        assert x0 == pytest.approx(28, abs=0.3) and x1 == pytest.approx(184, abs=0.3)
    assert rules[-1][3] == pytest.approx(262, abs=0.3)  # 末条分隔线与版心下边缘重合
    thickness = [y1 - y0 for _x0, y0, _x1, y1 in rules]
    assert thickness[0] == pytest.approx(0.35, abs=0.1) and thickness[2] == pytest.approx(0.35, abs=0.1)
    assert thickness[1] == pytest.approx(0.25, abs=0.1)
    assert rules[0][3] <= cc.y0 and rules[1][1] >= cc.y1 and rules[1][3] <= printer.y0 <= rules[2][1]
    assert m.font_of(data, len(pages), "抄送") == "ZB-Fangsong"


def test_only_the_bundled_faces_are_used_and_all_are_embedded(standard):
    data, _pages = standard
    fonts = m.embedded_fonts(data)
    assert set(fonts) <= BUNDLED
    assert set(fonts) == {"ZB-Fangsong", "ZB-Song", "ZB-Hei", "ZB-Kai"}
    assert all(fonts.values())


def test_names_outside_gb2312_print_in_a_bundled_face_wherever_they_stand(seal_png):
    """喆 and 堃 are not in the Fandol faces: each face's bundled fallback prints them (in the
    tests a missing glyph raises, see office.pdf)."""
    doc = standard_doc(seal_png, body=["一、王喆同志负责", "（一）李堃同志协助。镕珺昇三位同志参加。"], attachments=[],
                       signers=["王喆"], masthead="某县堃镕局文件", issuers=[Issuer("某县堃镕局", seal=seal_png)],
                       title="关于王喆同志任职的通知", copies_to=["县堃镕局"], printer="县堃镕局")
    data = g.render(doc)
    text = "".join(PdfReader(io.BytesIO(data)).pages[0].extract_text())
    for name in ("王喆", "李堃", "镕珺昇", "堃镕局"):
        assert name in text
    used = m.embedded_fonts(data)
    assert set(used) <= BUNDLED and all(used.values())
    assert {"ZB-Serif-Ext", "ZB-Sans-Ext", "ZB-Kai-Ext"} <= set(used)  # 仿宋/宋 via Serif, 黑 via Sans, 楷


def test_the_signature_page_always_carries_body_text(seal_png):
    """7.3.5.5: no page with only the signature and seal; the last lines of the body go with them."""
    for extra in range(0, 8):
        doc = standard_doc(seal_png, attachments=[], notes="",
                           body=[filler(26 + 28 * (26 + extra), "规范高效")])
        pages = m.words(g.render(doc))
        page = next(p for p in pages if m.containing(p, "2026年11月29日"))
        date = m.find(page, "2026年11月29日")
        body_lines = [w for w in page if w.y1 < date.y0 - g.LINE and set(w.text) <= set("规范高效")]
        assert body_lines, extra


def test_seal_given_as_a_file_path_prints_the_same(seal_png, tmp_path):
    path = tmp_path / "seal.png"
    path.write_bytes(seal_png)
    doc = standard_doc(path, attachments=[], body=["正文。"])
    data = g.render(doc)
    seal = m.Pixels(m.raster(data, 1)).box("red", (0, 200, 210, 297))
    assert seal[2] - seal[0] == pytest.approx(42, abs=1)


def test_a_bigger_seal_is_printed_at_its_size_and_still_within_a_line_of_the_body(seal_png):
    big = dataclasses.replace(standard_doc(seal_png).issuers[0], seal_diameter=45)
    doc = standard_doc(seal_png, issuers=[big], attachments=[], notes="", body=["正文。" + filler(30)])
    data = g.render(doc)
    words = m.words(data)[0]
    seal = m.Pixels(m.raster(data, 1)).box("red", (0, 150, 210, 297))
    last_body = max((w for w in words if w.y1 <= seal[1] + 0.01), key=lambda w: w.y1)
    assert seal[2] - seal[0] == pytest.approx(45, abs=1)
    assert 0 <= seal[1] - last_body.y1 <= g.LINE


def test_a_long_organ_name_over_the_seal_stays_inside_the_text_block(seal_png):
    name = "某县人民政府办公室某县机关事务管理中心"
    doc = standard_doc(seal_png, issuers=[Issuer(name, seal=seal_png)], attachments=[], notes="",
                       body=["正文。"], printer="", printed_on=None, copies_to=[])
    words = m.words(g.render(doc))[0]
    signature, date = m.find(words, name), m.find(words, "2026年11月29日")
    assert signature.x1 <= RIGHT_EDGE + 0.3
    assert date.x1 == pytest.approx(RIGHT_EDGE - 4 * g.ZI, abs=1)


def test_a_long_note_goes_below_the_seal_instead_of_under_it(seal_png):
    note = "联系人：陈志强，电话：0000-1234567，传真：0000-7654321"
    doc = standard_doc(seal_png, attachments=[], notes=note, body=["正文。"], copies_to=[], printer="",
                       printed_on=None)
    data = g.render(doc)
    words = m.words(data)[0]
    printed = next(w for w in words if w.text.startswith("（联系人"))
    seal = m.Pixels(m.raster(data, 1)).box("red", (0, 150, 210, 297))
    assert printed.y0 >= seal[3]
    assert printed.x0 == pytest.approx(28 + 2 * g.ZI, abs=0.3)
    assert (printed.y0 - g.MARGIN_TOP) / g.LINE == pytest.approx(round((printed.y0 - g.MARGIN_TOP) / g.LINE), abs=0.3)


# --- without a seal (7.3.5.2), joint documents -------------------------------------------------

def test_unsealed_signature_right_two_and_date_two_characters_further_in(seal_png):
    doc = standard_doc(seal_png, issuers=[Issuer("某县人民政府办公室")], attachments=[], notes="",
                       body=["正文。"], printer="", printed_on=None)
    words = m.words(g.render(doc))[0]
    signature, date = m.find(words, "某县人民政府办公室"), m.find(words, "2026年11月29日")
    assert signature.x1 == pytest.approx(RIGHT_EDGE - 2 * g.ZI, abs=1)  # 右空二字
    assert date.x0 - signature.x0 == pytest.approx(2 * g.ZI, abs=0.3)  # 首字比署名首字右移二字
    body = m.find(words, "正文。")
    assert signature.y0 - body.y0 == pytest.approx(2 * g.LINE, abs=0.05)  # 正文下空一行
    assert date.y0 - signature.y0 == pytest.approx(g.LINE, abs=0.05)


def test_unsealed_short_signature_long_date_the_date_right_two(seal_png):
    doc = standard_doc(seal_png, issuers=[Issuer("某县政府")], attachments=[], notes="", body=["正文。"])
    words = m.words(g.render(doc))[0]
    signature, date = m.find(words, "某县政府"), m.find(words, "2026年11月29日")
    assert date.x1 == pytest.approx(RIGHT_EDGE - 2 * g.ZI, abs=1)
    assert date.x0 - signature.x0 == pytest.approx(2 * g.ZI, abs=0.3)


def test_joint_unsealed_signatures_stack_in_order(seal_png):
    doc = standard_doc(seal_png, issuers=[Issuer("某县财政局"), Issuer("某县教育局")], attachments=[],
                       notes="", body=["正文。"])
    words = m.words(g.render(doc))[0]
    words = below(words, m.find(words, "正文。").y0)
    first, second, date = m.find(words, "某县财政局"), m.find(words, "某县教育局"), m.find(words, "2026年11月29日")
    assert second.y0 - first.y0 == pytest.approx(g.LINE, abs=0.05)
    assert first.x0 == pytest.approx(second.x0, abs=0.05)
    assert date.x0 - first.x0 == pytest.approx(2 * g.ZI, abs=0.3)


def test_joint_masthead_names_stacked_with_wenjian_to_their_right(seal_png):
    doc = standard_doc(seal_png, issuers=[Issuer("某县人民政府办公室", seal=seal_png),
                                          Issuer("某县财政局", seal=demo_seal_png("某县财政局"))],
                       attachments=[], body=["正文。"])
    data = g.render(doc)
    words = m.words(data)[0]
    number = m.find(words, "某政办发〔2026〕18号")
    mast = {w.text: w for w in lines_in(words, 60, number.y0 - 1)}
    assert set(mast) == {"某县人民政府办公室", "某县财政局", "文件"}
    first, second, suffix = mast["某县人民政府办公室"], mast["某县财政局"], mast["文件"]
    assert second.y0 > first.y1  # the lead organ first, the other under it
    assert first.y0 == pytest.approx(72, abs=1)
    assert first.x0 == pytest.approx(second.x0, abs=0.3) and first.x1 == pytest.approx(second.x1, abs=0.5)
    assert suffix.x0 > first.x1
    assert suffix.cy == pytest.approx((first.y0 + second.y1) / 2, abs=0.5)  # 上下居中
    assert min(first.x0, suffix.x0) >= 28 - 0.3 and max(first.x1, suffix.x1) <= RIGHT_EDGE + 0.3
    assert (first.x0 + suffix.x1) / 2 == pytest.approx(106, abs=0.5)
    assert number.y0 - second.y1 == pytest.approx(2 * g.LINE, abs=0.5)
    ink = m.Pixels(m.raster(data, 1)).box("red", (0, 60, 210, number.y0 - 1))
    assert ink[1] == pytest.approx(72, abs=1.5)


def test_joint_seals_in_order_aligned_not_touching_within_the_block(seal_png):
    issuers = [Issuer("某县财政局", seal=demo_seal_png("某县财政局")),
               Issuer("某县教育局", seal=demo_seal_png("某县教育局"))]
    doc = standard_doc(seal_png, issuers=issuers, attachments=[], notes="", body=["正文。" + filler(40)])
    data = g.render(doc)
    pages = m.words(data)
    index = next(k for k, p in enumerate(pages) if m.containing(p, "2026年11月29日"))
    words = below(pages[index], m.find(pages[index], "正文。" + filler(40)).y0) if index == 0 else pages[index]
    px = m.Pixels(m.raster(data, index + 1))
    date = m.find(words, "2026年11月29日")
    first, second = m.find(words, "某县财政局"), m.find(words, "某县教育局")
    top = max(w.y1 for w in words if w.y1 < first.y0 - g.LINE)
    left = px.box("red", (0, top, second.cx - 23, 297))
    right = px.box("red", (second.cx - 23, top, 210, 297))
    for seal in (left, right):
        assert seal[2] - seal[0] == pytest.approx(42, abs=1)
        assert 28 - 0.3 <= seal[0] and seal[2] <= RIGHT_EDGE + 0.3  # 两端不得超出版心
    assert right[0] - left[2] > 0.5  # 互不相交或相切
    assert left[1] == pytest.approx(right[1], abs=0.3)  # 排列整齐
    assert (left[0] + left[2]) / 2 == pytest.approx(first.cx, abs=0.5)  # 一一对应, 居中下压署名
    assert (right[0] + right[2]) / 2 == pytest.approx(date.cx, abs=0.5)  # the last over signature and date
    assert second.cx == pytest.approx(date.cx, abs=0.5)
    assert first.y0 == pytest.approx(second.y0, abs=0.05)
    body = max((w for w in words if w.y1 <= left[1] + 0.01), key=lambda w: w.y1)
    assert 0 <= left[1] - body.y1 <= g.LINE


@pytest.mark.parametrize(("names", "rows"), [
    (["某县财政局", "某县教育局", "某县卫生健康局"], 1),  # three 42 mm seals fit in one row
    (["某县财政局", "某县教育局", "某县卫生健康局", "某县交通运输局"], 2),
])
def test_many_joint_seals_wrap_into_rows_that_do_not_touch(seal_png, names, rows):
    doc = standard_doc(seal_png, issuers=[Issuer(n, seal=demo_seal_png(n)) for n in names],
                       attachments=[], notes="", body=["正文。"], masthead="某县人民政府办公室文件")
    data = g.render(doc)
    pages = m.words(data)
    index = next(k for k, p in enumerate(pages) if m.containing(p, "2026年11月29日"))
    words = below(pages[index], m.find(pages[index], "正文。").y0) if index == 0 else pages[index]
    signatures = [m.find(words, n) for n in names]
    date = m.find(words, "2026年11月29日")
    assert signatures[-1].cx == pytest.approx(date.cx, abs=0.5)
    assert len({round(s.y0, 1) for s in signatures}) == rows
    px = m.Pixels(m.raster(data, index + 1))
    boxes = [px.box("red", (s.cx - 21.5, s.cy - 30, s.cx + 21.5, s.cy + 30)) for s in signatures]
    for a in range(len(names)):
        assert boxes[a][2] - boxes[a][0] == pytest.approx(42, abs=1)
        assert (boxes[a][0] + boxes[a][2]) / 2 == pytest.approx(signatures[a].cx, abs=0.5)
        assert 28 - 0.3 <= boxes[a][0] and boxes[a][2] <= RIGHT_EDGE + 0.3  # within the 版心
        for b in range(a + 1, len(names)):
            ax0, ay0, ax1, ay1 = boxes[a]
            bx0, by0, bx1, by1 = boxes[b]
            centres = ((ax0 + ax1 - bx0 - bx1) ** 2 + (ay0 + ay1 - by0 - by1) ** 2) ** 0.5 / 2
            assert centres > 42.5  # two 42 mm seals whose centres are further apart: no touching


# --- upward documents (签发人) ------------------------------------------------------------------

def test_upward_number_left_and_signer_right_on_one_line(seal_png):
    doc = standard_doc(seal_png, signers=["王建国"], copy_number="", secrecy="", secrecy_period="",
                       attachments=[], body=["正文。"])
    data = g.render(doc)
    words = m.words(data)[0]
    number = m.find(words, "某政办发〔2026〕18号")
    signer = [w for w in words if w.text.startswith("签发人")]
    assert len(signer) == 1
    assert number.x0 == pytest.approx(28 + g.ZI, abs=0.3)  # 居左空一字
    assert signer[0].x1 == pytest.approx(RIGHT_EDGE - g.ZI, abs=1)  # 居右空一字
    assert signer[0].y0 == pytest.approx(number.y0, abs=0.05)
    masthead = m.find(words, "某县人民政府办公室文件")
    assert number.y0 - masthead.y1 == pytest.approx(2 * g.LINE, abs=0.5)
    assert m.font_of(data, 1, "王建国") == "ZB-Kai"  # the name in 楷体
    assert m.font_of(data, 1, "签发人") == "ZB-Fangsong"


def test_several_signers_two_a_line_aligned_number_on_the_last_line(seal_png):
    doc = standard_doc(seal_png, signers=["王建国", "李明", "赵四海"], copy_number="", secrecy="",
                       secrecy_period="", attachments=[], body=["正文。"])
    words = m.words(g.render(doc))[0]
    number = m.find(words, "某政办发〔2026〕18号")
    rows = sorted((w for w in words if w.y0 < number.y1 + 1 and w.x0 > 100), key=lambda w: w.y0)
    assert rows[-1].y0 == pytest.approx(number.y0, abs=0.05)
    assert rows[-1].y0 - rows[0].y0 == pytest.approx(g.LINE, abs=0.05)
    label = next(w for w in rows if w.text.startswith("签发人："))
    assert label.text == "签发人：王建国"
    assert m.find(words, "赵四海").x0 == pytest.approx(label.x0 + 4 * g.ZI, abs=0.3)  # under the first name
    assert m.find(words, "李明").y0 == pytest.approx(label.y0, abs=0.05)  # two names a line


# --- letter, order, minutes ---------------------------------------------------------------------

def letter_doc(seal, **changes):
    doc = OfficialDocument(
        format="letter", issuers=[Issuer("某县人民政府办公室", seal=seal)], number="某政办函〔2026〕7号",
        title="某县人民政府办公室关于商请协助培训的函", recipients="市人民政府办公室",
        body=[filler(26 + 28 * 30)], date=DATE, copies_to=["县委办公室"])
    return dataclasses.replace(doc, **changes)


def test_letter_format_masthead_double_lines_number_and_no_first_page_number(seal_png):
    data = g.render(letter_doc(seal_png))
    pages = m.words(data)
    first = pages[0]
    masthead = m.find(first, "某县人民政府办公室")
    assert masthead.y0 == pytest.approx(30, abs=1)  # 上边缘至上页边为30mm
    px = m.Pixels(m.raster(data, 1))
    lines = px.horizontal_lines("red", min_length=160)
    assert len(lines) == 4
    for x0, _y0, x1, _y1 in lines:
        assert x1 - x0 == pytest.approx(170, abs=0.5) and (x0 + x1) / 2 == pytest.approx(106, abs=0.5)
    thick, thin = lines[0][3] - lines[0][1], lines[1][3] - lines[1][1]
    assert thick > thin  # 上粗下细
    assert lines[0][1] - masthead.y1 == pytest.approx(4, abs=0.3)
    low_thin, low_thick = lines[2][3] - lines[2][1], lines[3][3] - lines[3][1]
    assert low_thick > low_thin  # 上细下粗
    assert lines[3][3] == pytest.approx(297 - 20, abs=0.3)  # 距下页边20mm
    number = m.find(first, "某政办函〔2026〕7号")
    assert number.x1 == pytest.approx(RIGHT_EDGE, abs=0.5)  # 顶格居版心右边缘
    assert number.y0 - lines[1][3] == pytest.approx(14 * m.PT, abs=0.3)  # 3号汉字高度的7/8
    title = m.find(first, "某县人民政府办公室关于商请协助培训的函")
    assert title.y0 - number.y1 == pytest.approx(2 * g.LINE, abs=1)
    body = [w for w in first if w.y0 > title.y1 and w.y1 < lines[2][1]]
    assert body[-1].y1 <= lines[2][1] - 14 * m.PT + 0.3  # text stays 7/8 above the lower lines
    assert not [w for w in first if w.y0 > lines[3][3]]  # 首页不显示页码
    marks = sorted((w for w in pages[1] if w.y0 > g.BLOCK_BOTTOM), key=lambda w: w.x0)
    assert [w.text for w in marks] == ["—", "2", "—"]
    cc = m.find(pages[-1], "抄送：县委办公室。")
    assert "印发" not in " ".join(w.text for w in pages[-1])
    last_px = m.Pixels(m.raster(data, len(pages)))
    assert last_px.horizontal_lines("dark", min_length=150) == []  # 版记 without rules
    assert cc.y1 == pytest.approx(262, abs=0.5)  # at the bottom of the last page's text block
    short = g.render(letter_doc(seal_png, body=["盼予支持为感。"]))
    one_page = m.words(short)
    assert len(one_page) == 1  # a short letter is one page, its 抄送 at the foot of page 1
    cc1 = m.find(one_page[0], "抄送：县委办公室。")
    low = m.Pixels(m.raster(short, 1)).horizontal_lines("red", min_length=160)[2]
    assert low[1] - cc1.y1 == pytest.approx(14 * m.PT, abs=1)  # 第二条双线上一行, 7/8 above the lines


def test_order_format_masthead_20mm_number_two_lines_below_signature_stamp_and_date():
    doc = OfficialDocument(
        format="order", issuers=[Issuer("某县人民政府", signer_title="县长", signer_name="王建国")],
        number="第3号", body=["《某县公文处理实施办法》已经县人民政府常务会议通过，现予公布，自2027年1月1日起施行。"],
        date=DATE, copies_to=["县委各部门"], printer="某县人民政府办公室", printed_on=DATE)
    data = g.render(doc)
    words = m.words(data)[0]
    masthead = m.find(words, "某县人民政府令")
    assert masthead.y0 == pytest.approx(37 + 20, abs=1)
    number = m.find(words, "第3号")
    assert number.y0 - masthead.y1 == pytest.approx(2 * g.LINE, abs=0.5)
    assert number.cx == pytest.approx(106, abs=0.5)
    body = [w for w in words if "实施办法" in w.text][0]
    assert body.y0 - number.y1 >= 2 * g.LINE - 0.01  # 令号下空二行编排正文
    px = m.Pixels(m.raster(data, 1))
    assert px.horizontal_lines("red", min_length=100) == []  # no red rule in the order format
    name, title, date = m.find(words, "王建国"), m.find(words, "县长"), m.find(words, "2026年11月29日")
    assert name.x1 == pytest.approx(RIGHT_EDGE - 4 * g.ZI, abs=1)  # 右空四字
    assert name.x0 - title.x1 == pytest.approx(2 * g.ZI, abs=0.5)  # 左空二字标注签发人职务
    assert title.y0 == pytest.approx(name.y0, abs=0.05)
    assert date.x1 == pytest.approx(RIGHT_EDGE - 4 * g.ZI, abs=1)
    assert date.y0 - name.y0 == pytest.approx(2 * g.LINE, abs=0.05)  # 签名章下空一行
    last_body = max((w for w in words if w.y1 < title.y0), key=lambda w: w.y1)
    assert title.y0 - last_body.y0 == pytest.approx(3 * g.LINE, abs=0.05)  # 正文下空二行
    assert m.font_of(data, 1, "王建国") == "ZB-Kai"


def test_minutes_format_mark_attendance_and_no_seal():
    doc = OfficialDocument(
        format="minutes", issuers=[Issuer("某县人民政府办公室")], masthead="某县人民政府常务会议纪要",
        number="第12期", title="", body=["会议研究了公文处理工作。", "会议要求，各部门要抓好落实。"], date=DATE,
        present="王建国、陈志强、吴静、何思源、唐毅、郑晓兰、曹云燕、李明、赵四海、孙五、周六、钱七、冯八、褚九",
        absent="李四（出差）", attending="县财政局、县教育局负责同志",
        copies_to=["县委办公室"], printer="某县人民政府办公室", printed_on=DATE)
    data = g.render(doc)
    words = m.words(data)[0]
    mark = m.find(words, "某县人民政府常务会议纪要")
    assert mark.y0 == pytest.approx(72, abs=1)
    labels = {run: font for run, font in m.text_fonts(data, 1) if run in ("出席：", "请假：", "列席：")}
    assert labels == {"出席：": "ZB-Hei", "请假：": "ZB-Hei", "列席：": "ZB-Hei"}
    present = [w for w in words if w.text.startswith("出席：")][0]
    body = m.find(words, "会议要求，各部门要抓好落实。")
    assert present.x0 == pytest.approx(28 + 2 * g.ZI, abs=0.3)  # 左空二字
    assert present.y0 - body.y0 == pytest.approx(2 * g.LINE, abs=0.05)  # 正文下空一行
    wrapped = [w for w in words if present.y0 < w.y0 < present.y0 + g.LINE + 1]
    assert wrapped and wrapped[0].x0 == pytest.approx(present.x0 + 3 * g.ZI, abs=0.3)  # 与冒号后首字对齐
    issuer, date = m.find(words, "某县人民政府办公室"), m.find(words, "2026年11月29日")
    assert issuer.x0 == pytest.approx(28, abs=0.3) and date.x1 == pytest.approx(RIGHT_EDGE, abs=0.5)
    px = m.Pixels(m.raster(data, 1))
    assert px.box("red", (0, date.y1 + 6, 210, 297)) is None  # no seal: no red below the rule


# --- office.pdf ---------------------------------------------------------------------------------

def test_inline_data_images_render_and_remote_ones_are_still_refused(seal_png, caplog):
    import base64

    uri = "data:image/png;base64," + base64.b64encode(seal_png).decode()
    with caplog.at_level(logging.ERROR, logger="weasyprint"):
        data = pdf.render_html(f'<img src="{uri}" style="width:42mm"><img src="http://example.com/x.png">')
    assert m.Pixels(m.raster(data, 1, dpi=100), dpi=100).box("red") is not None
    assert any("fetches no remote resources" in r.getMessage() for r in caplog.records)
    assert not any("data:" in r.getMessage() for r in caplog.records)


def test_render_samples_writes_the_four_official_documents(db, tmp_path, monkeypatch):
    from django.core.management import call_command

    from office import gbt9704_samples, printing

    monkeypatch.setattr(printing, "_samples", {})
    gbt9704_samples.register_samples()
    call_command("render_samples", str(tmp_path), stdout=io.StringIO())
    files = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    assert set(files) == {"公文-通知.pdf", "公文-请示.pdf", "公文-函.pdf", "公文-令.pdf"}
    for data in files.values():
        assert set(m.embedded_fonts(data)) <= BUNDLED
    request = m.words(files["公文-请示.pdf"])[0]
    assert [w for w in request if w.text.startswith("签发人")]
