"""Printable incoming-document forms: the 收文处理笺 (routing slip, PDF) and the 收文登记簿
(incoming register, Excel).

``routing_slip_pdf`` loads what it prints with a fixed number of queries; ``register_workbook``
runs none of its own beyond its argument (callers select sender and doc_type).
``register_samples`` registers builders for ``manage.py render_samples``; it is called from the
app config, never at import time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator

from django.db.models import Max, Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from documents.models import Circulation, IncomingDocument, Instruction, Status
from office import pdf
from office.exports import STYLE_DATE, STYLE_DATETIME, stream_xlsx
from office.models import OfficeSettings

SLIP_CSS = "@page { size: A4; margin: 15mm 18mm 18mm 18mm; }"


def cn_date(day: dt.date | None) -> str:
    """The date as official documents write it: 2026年11月28日."""
    if day is None:
        return ""
    return f"{day.year}年{day.month}月{day.day}日"


def cn_datetime(value: dt.datetime | None) -> str:
    """A local date and time: 2026年11月28日 09:30."""
    if value is None:
        return ""
    local = timezone.localtime(value)
    return f"{cn_date(local.date())} {local:%H:%M}"


def _local_date(value: dt.datetime | None) -> str:
    return cn_date(timezone.localdate(value)) if value else ""


# --- 收文处理笺 -----------------------------------------------------------------------------

def circulation_states() -> dict[str, str]:
    """未送达, 未阅, 已打开, 已阅, 已撤回, 归档时未阅 (a context keeps them apart from other
    "Read"s)."""
    return {
        "waiting": pgettext("circulation state", "Not sent"),
        "not_opened": pgettext("circulation state", "Not opened"),
        "opened": pgettext("circulation state", "Opened"),
        "read": pgettext("circulation state", "Read"),
        "recalled": pgettext("circulation state", "Recalled"),
        "lapsed": pgettext("circulation state", "Closed unread at archiving"),
    }


def _circulation_row(circulation: Circulation, states: dict[str, str]) -> dict:
    times = [
        (_("Sent %(time)s"), circulation.sent_at),
        (_("Opened %(time)s"), circulation.opened_at),
        (_("Read %(time)s"), circulation.read_at),
        (_("Recalled %(time)s"), circulation.recalled_at),
        (_("Closed %(time)s"), circulation.lapsed_at),
    ]
    return {
        "reader": str(circulation.reader),
        "state": states[circulation.state],
        "times": [label % {"time": cn_datetime(value)} for label, value in times if value],
        "comment": circulation.comment,
        "recalled": circulation.recalled_at is not None,
    }


def _instruction_row(instruction: Instruction) -> dict:
    return {
        "leader": str(instruction.leader),
        "text": instruction.text,
        "date": _local_date(instruction.instructed_at),
        "pending": instruction.instructed_at is None,
    }


def _review(document: IncomingDocument) -> str:
    """初审: the return reason and note, "accepted" once past the intake desk, else ""."""
    if document.return_reason:
        parts = [_("Returned: %(reason)s") % {"reason": document.get_return_reason_display()}]
        if document.return_note:
            parts.append(document.return_note)
        if document.returned_at:
            parts.append(_local_date(document.returned_at))
        return "；".join(parts)
    if document.status == Status.REGISTERED:
        return ""
    return _("Accepted")


def slip_document(pk: int) -> IncomingDocument:
    """The document with everything the routing slip prints: four queries."""
    return (
        IncomingDocument.objects
        .select_related("sender", "doc_type", "signed_by", "proposed_by", "lead_unit", "handler")
        .prefetch_related(
            Prefetch("instructions",
                     queryset=Instruction.objects.select_related("leader").order_by("order")),
            Prefetch("circulations",
                     queryset=Circulation.objects.select_related("reader").order_by("order")),
            "co_units",
        )
        .get(pk=pk)
    )


def routing_slip_pdf(document: IncomingDocument) -> bytes:
    """The 收文处理笺 of a document, A4 portrait. Five queries, whatever the number of
    instructions and circulations."""
    document = slip_document(document.pk)
    states = circulation_states()
    context = {
        "office_name": OfficeSettings.load().office_name,
        "document": document,
        "received_at": cn_datetime(document.received_at),
        "secrecy": document.secrecy_label() or _("None"),
        "urgency": document.get_urgency_display(),
        "handling": document.get_handling_display(),
        "review": _review(document),
        "proposed_on": _local_date(document.proposed_at),
        "instructions": [_instruction_row(i) for i in document.instructions.all()],
        "co_units": "、".join(str(unit) for unit in document.co_units.all()),
        "handling_deadline": cn_date(document.handling_deadline),
        "circulations": [_circulation_row(c, states) for c in document.circulations.all()],
        "replied_on": _local_date(document.replied_at),
        "closed_on": _local_date(document.closed_at),
        "archived_on": _local_date(document.archived_at),
        "printed_at": cn_datetime(timezone.now()),
    }
    return pdf.render("documents/pdf/routing_slip.html", context, extra_css=SLIP_CSS)


# --- 收文登记簿 -----------------------------------------------------------------------------

def register_columns() -> list[str]:
    return [_("Register number"), _("Received at"), _("Sending unit"), _("Sender's number"),
            _("Title"), _("Document type"), _("Secrecy"), _("Urgency"), _("Copies"),
            _("Page count"), _("Read/action"), _("Status"), _("Closed on")]


REGISTER_WIDTHS = [16, 17, 22, 22, 48, 10, 12, 10, 7, 7, 8, 16, 12]
RECEIVED_COLUMN, CLOSED_COLUMN = 2, 13


def _excel_datetime(value: dt.datetime | None) -> dt.datetime | None:
    """A local, naive datetime (Excel has no time zones)."""
    if value is None:
        return None
    return timezone.localtime(value).replace(tzinfo=None)


def register_rows(documents) -> Iterator[list]:
    """The register's rows, read in batches from the database (``values_list`` + ``iterator``:
    no model instance, no query per document, the choices' labels looked up once)."""
    from documents.models import Handling, Secrecy, Urgency

    labels = {field: {value: str(label) for value, label in choices.choices}
              for field, choices in (("urgency", Urgency), ("handling", Handling), ("status", Status),
                                     ("secrecy", Secrecy))}
    if isinstance(documents, QuerySet):
        rows = documents.values_list(
            "number", "received_at", "sender__short_name", "sender__name", "sender_number", "title",
            "doc_type__name", "secrecy", "secrecy_years", "urgency", "copies", "pages", "handling",
            "status", "closed_at").iterator(chunk_size=2000)
    else:
        rows = ((d.number, d.received_at, d.sender.short_name, d.sender.name, d.sender_number, d.title,
                 d.doc_type.name, d.secrecy, d.secrecy_years, d.urgency, d.copies, d.pages, d.handling,
                 d.status, d.closed_at) for d in documents)
    tz = timezone.get_current_timezone()
    for (number, received, short, name, sender_number, title, doc_type, secrecy, years, urgency, copies,
         pages, handling, status, closed) in rows:
        closed = closed.astimezone(tz).replace(tzinfo=None) if closed else None
        yield [number, received.astimezone(tz).replace(tzinfo=None), short or name, sender_number or None,
               title, doc_type,
               f"{labels['secrecy'].get(secrecy, secrecy)}★{years}年" if secrecy else None,
               labels["urgency"].get(urgency, urgency) if urgency else None, copies, pages,
               labels["handling"].get(handling, handling), labels["status"].get(status, status),
               closed.date() if closed else None]


def register_stream(documents) -> Iterator[bytes]:
    """The 收文登记簿 as it is written (``office.exports.stream_xlsx``): constant memory, the
    first bytes at once, whatever the number of documents."""
    return stream_xlsx(sheet=_("Incoming register"), title=_("Incoming register"), columns=register_columns(),
                       rows=register_rows(documents), widths=REGISTER_WIDTHS,
                       styles={RECEIVED_COLUMN: STYLE_DATETIME, CLOSED_COLUMN: STYLE_DATE})


def register_workbook(documents: Iterable[IncomingDocument]) -> bytes:
    """The 收文登记簿: one row per document, in one piece (samples, tests); the download streams
    ``register_stream``."""
    return b"".join(register_stream(documents))


# --- samples for manage.py render_samples ------------------------------------------------

class _SampleOffice:
    """Units, people and documents for a sample, created inside the sample's rolled-back
    transaction."""

    def __init__(self):
        from documents.models import DocumentType
        from office.models import Unit

        K = Unit.Kind
        self.wbs = self.unit("WDK", "文电科", K.SECTION)
        self.leadership = self.unit("LDBZ", "县政府领导", K.LEADERSHIP)
        self.city = self.unit("SZFB", "某市人民政府办公室", K.SUPERIOR)
        self.safety = self.unit("YJJ", "县应急管理局", K.DEPARTMENT, 4)
        self.housing = self.unit("ZJJ", "县住房和城乡建设局", K.DEPARTMENT, 3)
        self.fire = self.unit("XFJY", "县消防救援大队", K.DEPARTMENT, 5)
        self.town = self.unit("CGZ", "城关镇", K.TOWNSHIP, 1)
        self.clerk = self.user("clerk", "郑晓兰", self.wbs)
        self.director = self.user("director", "周主任", self.wbs)
        self.deputy = self.user("deputy", "李副县长", self.leadership)
        self.head = self.user("head", "王县长", self.leadership)
        self.reader_a = self.user("reader-a", "孙秘书长", self.leadership)
        self.reader_b = self.user("reader-b", "吴副主任", self.wbs)
        self.reader_c = self.user("reader-c", "钱科长", self.wbs)
        self.handler = self.user("handler", "刘安监", self.safety)
        self.notice = DocumentType.objects.get(name="通知")
        self.year = timezone.localdate().year
        self.serial = (IncomingDocument.objects.filter(year=self.year)
                       .aggregate(last=Max("serial"))["last"] or 0)

    @staticmethod
    def unit(code, name, kind, order=0):
        from office.models import Unit

        existing = Unit.objects.filter(name=name).first()
        if existing is not None:
            return existing
        return Unit.objects.create(code=f"SAMPLE-{code}", name=name, short_name=name, kind=kind,
                                   order=order)

    @staticmethod
    def user(username, full_name, unit):
        from office.models import User

        person = User.objects.filter(username=f"sample-doc-{username}").first()
        if person is None:
            person = User.objects.create_user(username=f"sample-doc-{username}",
                                              full_name=full_name, unit=unit)
        return person

    def at(self, days_ago: int, hour: int, minute: int = 0) -> dt.datetime:
        day = timezone.localdate() - dt.timedelta(days=days_ago)
        return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))

    def document(self, title: str, sender_number: str, received_at: dt.datetime,
                 **fields) -> IncomingDocument:
        self.serial += 1
        values = dict(
            year=self.year, serial=self.serial, number=f"收〔{self.year}〕{self.serial}号",
            sender=self.city, sender_number=sender_number, title=title, doc_type=self.notice,
            handling="action", received_at=received_at, registered_at=received_at,
            due_at=received_at + dt.timedelta(days=3), signed_by=self.clerk,
            registered_by=self.clerk, copies=2, pages=6)
        values.update(fields)
        return IncomingDocument.objects.create(**values)

    def full_document(self) -> IncomingDocument:
        """A document that went through every step: circulated, proposed, instructed by one
        of two leaders, assigned, handled and replied to."""
        from documents.models import Urgency

        received = self.at(6, 9, 30)
        document = self.document(
            "关于做好今冬明春安全生产工作的通知", "某政办发〔2026〕12号", received,
            urgency=Urgency.JIAJI, due_at=received + dt.timedelta(hours=2), copies=3, pages=8,
            cleared_at=received + dt.timedelta(minutes=50), status=Status.REPLIED,
            proposal="拟请李副县长阅示，由县应急管理局牵头落实，县住房和城乡建设局、"
                     "县消防救援大队配合。",
            proposed_by=self.director, proposed_at=self.at(6, 10, 15),
            lead_unit=self.safety, handler=self.handler,
            handling_deadline=timezone.localdate() + dt.timedelta(days=10),
            result="已召开全县安全生产工作会议进行部署，组织开展重点行业领域隐患排查整治，"
                   "共排查企业126家，发现隐患58处，已整改52处，其余6处限期整改。",
            reply="已于规定时间内将落实情况书面报送市政府办公室。",
            replied_at=self.at(1, 16, 20),
        )
        document.co_units.set([self.housing, self.fire])
        Instruction.objects.create(
            document=document, leader=self.deputy, order=1, instructed_at=self.at(5, 8, 40),
            text="请县应急管理局牵头，会同相关部门认真抓好落实，确保全县安全生产形势稳定。")
        Instruction.objects.create(document=document, leader=self.head, order=2)
        Circulation.objects.create(
            document=document, reader=self.reader_a, order=1, sent_at=self.at(6, 9, 50),
            opened_at=self.at(6, 10, 2), read_at=self.at(6, 10, 5),
            comment="已阅。请抓紧研究落实意见。")
        Circulation.objects.create(
            document=document, reader=self.reader_b, order=2, sent_at=self.at(6, 9, 50),
            opened_at=self.at(5, 14, 30))
        Circulation.objects.create(
            document=document, reader=self.reader_c, order=3, sent_at=self.at(6, 9, 50),
            recalled_at=self.at(6, 11, 0))
        return document


def _sample_slip() -> bytes:
    return routing_slip_pdf(_SampleOffice().full_document())


def _sample_register() -> bytes:
    from documents.models import DocumentType, Handling, Secrecy, Urgency

    o = _SampleOffice()
    documents = [o.full_document()]
    documents.append(o.document(
        "关于开展2026年度防汛抗旱应急演练的通知", "某应急发〔2026〕31号", o.at(5, 14, 10),
        sender=o.city, urgency=Urgency.TEJI, due_at=o.at(5, 15, 10), status=Status.CLOSED,
        closed_at=o.at(2, 17, 0)))
    documents.append(o.document(
        "关于印发《城关镇老旧小区改造实施方案》的报告", "城政〔2026〕8号", o.at(4, 10, 45),
        sender=o.town, doc_type=DocumentType.objects.get(name="报告"), handling=Handling.READ,
        copies=1, pages=15, status=Status.CIRCULATING))
    documents.append(o.document(
        "关于加强重要节假日期间安全保卫工作的通知", "某办密〔2026〕3号", o.at(2, 8, 50),
        secrecy=Secrecy.SECRET, secrecy_years=10, copies=1, pages=3,
        status=Status.INSTRUCTING))
    queryset = (IncomingDocument.objects.filter(pk__in=[d.pk for d in documents])
                .select_related("sender", "doc_type").order_by("received_at", "pk"))
    return register_workbook(queryset)


def register_samples() -> None:
    """Register the incoming-document forms with ``office.printing`` (from the app config)."""
    from office.printing import register_sample

    register_sample("documents-routing-slip", lambda: ("收文处理笺.pdf", _sample_slip()))
    register_sample("documents-register", lambda: ("收文登记簿.xlsx", _sample_register()))
