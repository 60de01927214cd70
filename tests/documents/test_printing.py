"""The 收文处理笺 (PDF) and the 收文登记簿 (Excel) of incoming documents."""

import datetime as dt
import io
import logging
from types import SimpleNamespace

import openpyxl
import pytest
from django.core.management import call_command
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from pypdf import PdfReader

from documents import printing
from documents.models import (
    Circulation,
    DocumentType,
    Handling,
    IncomingDocument,
    Instruction,
    ReturnReason,
    Secrecy,
    Status,
    Urgency,
)
from office import printing as office_printing
from office.models import OfficeSettings, Unit
from tests.factories import UnitFactory, UserFactory

A4_PORTRAIT = (595.28, 841.89)


def excel(day: int, hour: int = 0, minute: int = 0, month: int = 11) -> dt.datetime:
    """A naive local datetime, as openpyxl reads Excel dates back."""
    return dt.datetime.combine(dt.date(2026, month, day), dt.time(hour, minute))


def at(day: int, hour: int = 9, minute: int = 0, month: int = 11) -> dt.datetime:
    """An aware datetime in the local time zone (Asia/Shanghai)."""
    return timezone.make_aware(excel(day, hour, minute, month))


@pytest.fixture
def people(db):
    K = Unit.Kind
    wdk = UnitFactory(code="WDK", name="文电科", kind=K.SECTION)
    leadership = UnitFactory(code="LDBZ", name="县政府领导", kind=K.LEADERSHIP)
    return SimpleNamespace(
        city=UnitFactory(code="SZFB", name="某市人民政府办公室", kind=K.SUPERIOR),
        safety=UnitFactory(code="YJJ", name="县应急管理局", kind=K.DEPARTMENT),
        housing=UnitFactory(code="ZJJ", name="县住房和城乡建设局", kind=K.DEPARTMENT),
        fire=UnitFactory(code="XFJY", name="县消防救援大队", kind=K.DEPARTMENT),
        clerk=UserFactory(username="clerk", full_name="郑晓兰", unit=wdk),
        director=UserFactory(username="director", full_name="周主任", unit=wdk),
        deputy=UserFactory(username="deputy", full_name="李副县长", unit=leadership),
        head=UserFactory(username="head", full_name="王县长", unit=leadership),
        secretary=UserFactory(username="secretary", full_name="赵书记", unit=leadership),
        handler=UserFactory(username="handler", full_name="刘安监", unit=wdk),
    )


@pytest.fixture
def make_document(people):
    serials = iter(range(1, 100))

    def make(**fields) -> IncomingDocument:
        serial = next(serials)
        values = dict(
            year=2026, serial=serial, number=f"收〔2026〕{serial}号", sender=people.city,
            sender_number="某政办发〔2026〕12号", title="关于做好冬季安全生产工作的通知",
            doc_type=DocumentType.objects.get(name="通知"), handling=Handling.ACTION,
            received_at=at(28, 9, 30), due_at=at(30, 17), signed_by=people.clerk,
            registered_by=people.clerk)
        values.update(fields)
        return IncomingDocument.objects.create(**values)

    return make


@pytest.fixture
def handled(people, make_document):
    """A document circulated, proposed, instructed by two leaders (a third pending),
    assigned and replied to."""
    document = make_document(
        urgency=Urgency.JIAJI, secrecy=Secrecy.SECRET, secrecy_years=10, copies=3, pages=8,
        status=Status.REPLIED, proposal="拟请李副县长阅示，由县应急管理局牵头落实。",
        proposed_by=people.director, proposed_at=at(28, 10, 15), lead_unit=people.safety,
        handler=people.handler, handling_deadline=dt.date(2026, 12, 10),
        result="已召开专题会议部署，排查隐患58处，已整改52处。",
        reply="已书面报送市政府办公室。", replied_at=at(8, 16, month=12))
    document.co_units.set([people.housing, people.fire])
    Instruction.objects.create(document=document, leader=people.deputy, order=1,
                               text="请县应急管理局牵头抓好落实。", instructed_at=at(29, 8, 40))
    Instruction.objects.create(document=document, leader=people.head, order=2,
                               text="同意李副县长意见。", instructed_at=at(29, 15, 5))
    Instruction.objects.create(document=document, leader=people.secretary, order=3)
    return document


def circulate(document, readers, start=1):
    for order, reader in enumerate(readers, start=start):
        Circulation.objects.create(document=document, reader=reader, order=order,
                                   sent_at=at(28, 10), opened_at=at(28, 10, 30),
                                   read_at=at(28, 11), comment=f"{reader}已阅。")


def pdf_pages(data: bytes):
    reader = PdfReader(io.BytesIO(data))
    box = reader.pages[0].mediabox
    size = (round(float(box.width), 2), round(float(box.height), 2))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return size, "".join(text.split())


def flat(text: str) -> str:
    return "".join(str(text).split())


# --- 收文处理笺 ------------------------------------------------------------------------------

def test_routing_slip_is_a4_portrait_with_every_step(people, handled, caplog):
    reader = UserFactory(username="reader", full_name="孙秘书长")
    opener = UserFactory(username="opener", full_name="吴副主任")
    recalled = UserFactory(username="recalled", full_name="钱科长")
    Circulation.objects.create(document=handled, reader=reader, order=1, sent_at=at(28, 10),
                               opened_at=at(28, 10, 2), read_at=at(28, 10, 5),
                               comment="已阅，请抓紧研究落实意见。")
    Circulation.objects.create(document=handled, reader=opener, order=2, sent_at=at(28, 10),
                               opened_at=at(28, 14, 30))
    Circulation.objects.create(document=handled, reader=recalled, order=3, sent_at=at(28, 10),
                               recalled_at=at(28, 11))
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        pdf = printing.routing_slip_pdf(handled)
    assert [r for r in caplog.records if r.name.startswith("weasyprint")] == []
    assert pdf.startswith(b"%PDF")
    size, text = pdf_pages(pdf)
    assert size == A4_PORTRAIT
    assert "收文处理笺" in text
    assert OfficeSettings.load().office_name in text
    assert "收〔2026〕1号" in text
    assert "2026年11月28日09:30" in text
    assert "某市人民政府办公室" in text and "某政办发〔2026〕12号" in text
    assert "关于做好冬季安全生产工作的通知" in text
    assert "秘密★10年" in text
    assert "郑晓兰" in text
    assert "拟请李副县长阅示，由县应急管理局牵头落实。" in text and "周主任" in text
    assert "请县应急管理局牵头抓好落实。" in text and "李副县长" in text
    assert "同意李副县长意见。" in text and "王县长" in text
    assert "2026年11月29日" in text
    assert "赵书记" in text and flat(_("Awaiting instruction")) in text
    assert "县应急管理局" in text
    assert "县消防救援大队、县住房和城乡建设局" in text  # co-units in the units' order
    assert "刘安监" in text and "2026年12月10日" in text
    assert "已阅，请抓紧研究落实意见。" in text
    assert "孙秘书长" in text and "吴副主任" in text and "钱科长" in text
    assert flat(pgettext("circulation state", "Read")) in text
    assert flat(pgettext("circulation state", "Opened")) in text
    assert flat(pgettext("circulation state", "Recalled")) in text
    assert "排查隐患58处，已整改52处。" in text
    assert "已书面报送市政府办公室。" in text and "2026年12月8日" in text
    assert text.index("请县应急管理局牵头抓好落实。") < text.index("同意李副县长意见。")


def test_routing_slip_of_a_returned_document(people, make_document, caplog):
    document = make_document(status=Status.RETURNED, return_reason=ReturnReason.FORMAT,
                             return_note="请按规定格式重新报送。", returned_at=at(28, 11))
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        pdf = printing.routing_slip_pdf(document)
    assert [r for r in caplog.records if r.name.startswith("weasyprint")] == []
    size, text = pdf_pages(pdf)
    assert size == A4_PORTRAIT
    assert flat(ReturnReason.FORMAT.label) in text
    assert "请按规定格式重新报送。" in text
    assert flat(_("None")) in text  # 密级
    assert flat(Urgency.NONE.label) in text


@pytest.mark.parametrize("readers", [1, 6])
def test_routing_slip_runs_a_fixed_number_of_queries(people, handled, readers,
                                                     django_assert_num_queries):
    circulate(handled, [UserFactory() for _n in range(readers)])
    OfficeSettings.load()
    document = IncomingDocument.objects.get(pk=handled.pk)
    # the document, its instructions, circulations and co-units; the office settings
    with django_assert_num_queries(5):
        printing.routing_slip_pdf(document)


# --- 收文登记簿 ------------------------------------------------------------------------------

def sheet(data: bytes):
    return openpyxl.load_workbook(io.BytesIO(data)).active


def values(ws, row: int) -> list:
    return [cell.value for cell in ws[row]]


def test_register_workbook(people, handled, make_document, django_assert_num_queries):
    handled.closed_at = at(9, 10, month=12)
    handled.status = Status.CLOSED
    handled.save()
    make_document(title="关于印发老旧小区改造实施方案的报告", sender=people.housing,
                  sender_number="", handling=Handling.READ, received_at=at(27, 15, 45))
    documents = (IncomingDocument.objects.select_related("sender", "doc_type")
                 .order_by("received_at"))
    with django_assert_num_queries(1):
        ws = sheet(printing.register_workbook(documents))
    assert ws["A1"].value == _("Incoming register")
    assert values(ws, 2) == [
        _("Register number"), _("Received at"), _("Sending unit"), _("Sender's number"),
        _("Title"), _("Document type"), _("Secrecy"), _("Urgency"), _("Copies"), _("Page count"),
        _("Read/action"), _("Status"), _("Closed on")]
    assert all(cell.font.bold for cell in ws[2])
    assert ws.max_row == 4
    assert values(ws, 3) == [
        "收〔2026〕2号", excel(27, 15, 45), "县住房和城乡建设局", None,
        "关于印发老旧小区改造实施方案的报告", "通知", None, None, 1, 1,
        str(Handling.READ.label), str(Status.REGISTERED.label), None]
    assert values(ws, 4) == [
        "收〔2026〕1号", excel(28, 9, 30), "某市人民政府办公室",
        "某政办发〔2026〕12号", "关于做好冬季安全生产工作的通知", "通知", "秘密★10年",
        str(Urgency.JIAJI.label), 3, 8, str(Handling.ACTION.label), str(Status.CLOSED.label),
        excel(9, month=12)]
    assert ws.cell(row=3, column=2).number_format == "yyyy-mm-dd hh:mm"
    assert ws.cell(row=4, column=13).number_format == "yyyy-mm-dd"
    assert ws.freeze_panes == "A3"
    assert ws.auto_filter.ref == "A2:M4"
    assert ws.column_dimensions["E"].width > ws.column_dimensions["A"].width > 0


def test_register_workbook_with_no_documents(db):
    ws = sheet(printing.register_workbook(IncomingDocument.objects.none()))
    assert ws.max_row == 2
    assert ws.auto_filter.ref == "A2:M2"


# --- samples -------------------------------------------------------------------------------

def test_render_samples_writes_the_slip_and_the_register(db, tmp_path, monkeypatch):
    monkeypatch.setattr(office_printing, "_samples", {})
    printing.register_samples()
    assert set(office_printing.samples()) == {"documents-routing-slip", "documents-register"}
    call_command("render_samples", str(tmp_path), stdout=io.StringIO())
    slip = (tmp_path / "收文处理笺.pdf").read_bytes()
    assert slip.startswith(b"%PDF")
    size, text = pdf_pages(slip)
    assert size == A4_PORTRAIT
    assert "收文处理笺" in text and "某政办发〔2026〕12号" in text
    ws = sheet((tmp_path / "收文登记簿.xlsx").read_bytes())
    assert ws.max_row == 2 + 4
    assert all(values(ws, row)[0].startswith("收〔") for row in range(3, ws.max_row + 1))
    # nothing the samples created is kept
    assert not IncomingDocument.objects.exists()
    assert not Unit.objects.filter(code__startswith="SAMPLE-").exists()
