"""Sample official documents for ``manage.py render_samples`` (and the tests): a 通知 with a seal,
an upward 请示 with 签发人, a 函 in the letter format and a 令 in the order format, each built
from hard-coded data, with a drawn demo seal (never a real organ's seal image)."""

from __future__ import annotations

import datetime
import io
import math
from pathlib import Path

from django.conf import settings

from office import gbt9704
from office.gbt9704 import Attachment, Issuer, OfficialDocument


def demo_seal_png(name: str, *, diameter_mm: float = 42.0, dpi: int = 300, color=(230, 0, 0)) -> bytes:
    """A red round seal (ring, five-pointed star, the organ's name along the upper arc) as a PNG
    with a transparent background, ``diameter_mm`` across at ``dpi``. For demos and tests."""
    from PIL import Image, ImageDraw, ImageFont

    px = round(diameter_mm / 25.4 * dpi)
    scale = px / diameter_mm  # pixels per mm
    image = Image.new("RGBA", (px, px), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    ring = 1.2 * scale
    rgba = (*color, 255)
    draw.ellipse([0, 0, px - 1, px - 1], outline=rgba, width=round(ring))  # the ring is drawn inward
    centre = px / 2
    # the star
    star_r = 0.19 * px
    points = []
    for k in range(10):
        radius = star_r if k % 2 == 0 else star_r * 0.382
        angle = -math.pi / 2 + k * math.pi / 5
        points.append((centre + radius * math.cos(angle), centre + radius * math.sin(angle)))
    draw.polygon(points, fill=rgba)
    # the name along the arc, from lower left over the top to lower right
    font_path = Path(settings.FONT_DIR) / "FandolSong-Regular.otf"
    char_px = round(0.16 * px)
    font = ImageFont.truetype(str(font_path), char_px)
    text_r = centre - ring - 0.8 * scale - char_px / 2
    span = min(250.0, 24.0 * len(name))  # degrees the name covers
    for k, char in enumerate(name):
        angle = -span / 2 + (span * (k + 0.5) / len(name))  # 0 = top, clockwise
        tile = Image.new("RGBA", (char_px * 2, char_px * 2), (0, 0, 0, 0))
        ImageDraw.Draw(tile).text((char_px, char_px), char, font=font, fill=rgba, anchor="mm")
        tile = tile.rotate(-angle, resample=Image.BICUBIC)
        rad = math.radians(angle)
        cx = centre + text_r * math.sin(rad)
        cy = centre - text_r * math.cos(rad)
        image.alpha_composite(tile, (round(cx - char_px), round(cy - char_px)))
    out = io.BytesIO()
    image.save(out, "PNG", dpi=(dpi, dpi))
    return out.getvalue()


OFFICE = "某县人民政府办公室"
GOVERNMENT = "某县人民政府"

NOTICE_BODY = [
    "为进一步规范全县公文处理工作，提高办文质量和效率，根据《党政机关公文处理工作条例》和"
    "《党政机关公文格式》国家标准，经县人民政府同意，现就有关事项通知如下。",
    "一、总体要求",
    "坚持实事求是、精简高效的原则，做到当日文件当日清，事事有着落，件件有回音。各乡镇、"
    "各部门要把公文处理工作摆上重要议事日程，明确分管领导和具体承办人员。",
    "二、主要任务",
    "（一）规范公文格式。各单位印制公文一律执行国家标准，版心尺寸、字体字号、页码位置等"
    "按照标准编排，不得自行其是。",
    "（二）严格审核把关。公文文稿签发前，应当由办公室进行审核，重点审核行文理由是否充分、"
    "内容是否符合党的路线方针政策和国家法律法规。",
    "1.审核程序。承办科室拟稿后送科室负责人核稿，再送办公室审核，最后由单位负责人签发。",
    "2.审核重点。主要审核行文依据、政策界限、文字表述、文种使用和公文格式等内容。",
    "（三）提高办理时效。收到上级来文后，应当在一个工作日内提出拟办意见，重要紧急事项随到随办。",
    "三、工作要求",
    "各乡镇、各部门要加强对公文处理工作的组织领导，定期开展业务培训，不断提高工作人员的业务"
    "素质。县政府办公室将适时对各单位公文处理情况进行检查，检查结果纳入年度目标考核。",
]


def sample_notice(seal: bytes | None = None) -> OfficialDocument:
    """公文-通知: a standard document of the county office, sealed, with an attachment."""
    return OfficialDocument(
        format="standard",
        issuers=[Issuer(name=OFFICE, code="某政办", seal=seal or demo_seal_png(OFFICE))],
        number="某政办发〔2026〕18号",
        title="某县人民政府办公室关于进一步规范\n全县公文处理工作的通知",
        recipients="各乡镇人民政府，县政府各部门、各直属机构",
        body=NOTICE_BODY,
        attachments=[Attachment(title="某县公文处理工作检查评分标准", body=[
            "一、公文格式（30分）",
            "版心尺寸、页码位置、字体字号符合国家标准的，得30分；每发现一处不符合的，扣2分。",
            "二、办理时效（40分）",
            "收文当日登记、一个工作日内提出拟办意见的，得40分；每延误一件，扣5分。",
            "三、归档管理（30分）",
            "办结公文按年度及时整理归档、案卷完整的，得30分。",
        ])],
        date=datetime.date(2026, 11, 29),
        notes="此件公开发布",
        copies_to=["县委办公室", "县人大常委会办公室", "县政协办公室"],
        printer=OFFICE,
        printed_on=datetime.date(2026, 11, 30),
    )


def sample_request(seal: bytes | None = None) -> OfficialDocument:
    """公文-请示: an upward document with 签发人 and the contact person in the 附注."""
    return OfficialDocument(
        format="standard",
        issuers=[Issuer(name=GOVERNMENT, code="某政", seal=seal or demo_seal_png(GOVERNMENT))],
        number="某政〔2026〕42号",
        signers=["王建国"],
        urgency="加急",
        title="某县人民政府关于申请拨付2026年\n农村公路养护补助资金的请示",
        recipients="市人民政府",
        body=[
            "我县现有农村公路1286公里，其中县道214公里、乡道496公里、村道576公里。今年以来，受"
            "持续强降雨影响，部分路段出现路基塌陷、路面损毁等情况，养护任务繁重，资金缺口较大。",
            "为保障群众安全便捷出行，根据《农村公路养护管理办法》有关规定，特申请拨付2026年农村"
            "公路养护补助资金860万元，主要用于水毁路段修复和日常养护。",
            "妥否，请批示。",
        ],
        date=datetime.date(2026, 11, 29),
        notes="联系人：陈志强，电话：0000-1234567",
        copies_to=["市交通运输局", "市财政局"],
        printer=OFFICE,
        printed_on=datetime.date(2026, 11, 29),
    )


def sample_letter(seal: bytes | None = None) -> OfficialDocument:
    """公文-函: the letter format (§10.1)."""
    return OfficialDocument(
        format="letter",
        issuers=[Issuer(name=OFFICE, code="某政办函", seal=seal or demo_seal_png(OFFICE))],
        number="某政办函〔2026〕7号",
        title="某县人民政府办公室关于商请协助开展\n公文处理业务培训的函",
        recipients="市人民政府办公室",
        body=[
            "为提高我县公文处理工作水平，我办拟于2026年12月中旬举办全县公文处理业务培训班，"
            "参训人员为各乡镇、县直各部门办公室负责人及文秘人员，约120人。",
            "贵办在公文处理工作方面经验丰富，特商请派员1至2名担任授课教师，培训时间半天，具体时间"
            "另行商定。",
            "盼予支持为感。",
        ],
        date=datetime.date(2026, 11, 29),
        copies_to=["县委办公室"],
    )


def sample_order() -> OfficialDocument:
    """公文-令: the order format (§10.2), signed by the county head."""
    return OfficialDocument(
        format="order",
        issuers=[Issuer(name=GOVERNMENT, signer_title="县长", signer_name="王建国")],
        number="第3号",
        body=[
            "《某县公文处理实施办法》已经2026年11月20日县人民政府第32次常务会议通过，现予公布，"
            "自2027年1月1日起施行。",
        ],
        date=datetime.date(2026, 11, 29),
        copies_to=["县委各部门", "县人大常委会办公室", "县政协办公室"],
        printer=OFFICE,
        printed_on=datetime.date(2026, 11, 29),
    )


def three_page_document() -> OfficialDocument:
    """The benchmark's document: the 通知 without its attachment page, three pages."""
    doc = sample_notice()
    doc.attachments = []
    return doc


SAMPLES = {
    "gbt9704-notice": ("公文-通知.pdf", sample_notice),
    "gbt9704-request": ("公文-请示.pdf", sample_request),
    "gbt9704-letter": ("公文-函.pdf", sample_letter),
    "gbt9704-order": ("公文-令.pdf", sample_order),
}


def register_samples() -> None:
    """Registers the four samples with ``office.printing`` (called from ``OfficeConfig.ready``)."""
    from office.printing import register_sample

    for name, (filename, build) in SAMPLES.items():
        register_sample(name, lambda filename=filename, build=build: (filename, gbt9704.render(build())))
