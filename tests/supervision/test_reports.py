"""The 督查通报 (by lead unit, PDF and Excel), the 督查台账 and the 催办通知单."""

import datetime as dt
import io
import logging

import openpyxl
import pytest
from django.core.management import call_command
from django.utils import timezone
from django.utils.translation import gettext as _
from pypdf import PdfReader

from office import printing
from office.models import OfficeSettings, Unit
from supervision import reports, workflow
from supervision.models import Chase, Item, Level
from supervision.selectors import with_level
from tests.supervision.conftest import at, frozen, move_deadline

A4_PORTRAIT = (595.28, 841.89)
A4_LANDSCAPE = (841.89, 595.28)

# the week of Monday 16 to Sunday 22 November 2026, reported on Saturday 28 November
WEEK_ANCHOR = dt.date(2026, 11, 18)
TODAY = dt.date(2026, 11, 28)


def d(day: int, month: int = 11) -> dt.date:
    return dt.date(2026, month, day)


def excel(day: dt.date, hour: int = 0, minute: int = 0) -> dt.datetime:
    """A naive local datetime, as openpyxl reads Excel dates back."""
    return dt.datetime.combine(day, dt.time(hour, minute))


def set_dates(item, *, assigned, original, deadline=None, closed=None):
    fields = {"assigned_at": assigned, "original_deadline": original,
              "deadline": deadline or original, "deliver_by": deadline or original}
    if closed is not None:
        fields["closed_at"] = closed
    Item.objects.filter(pk=item.pk).update(**fields)


def close(item, people, result="已办结。"):
    workflow.acknowledge(item=item, acting_user=item.responsible)
    workflow.report_result(item=item, acting_user=item.responsible, result=result)
    workflow.accept(item=item, acting_user=people.officer)


def extend(item, people, days=20, *, to=None):
    item.refresh_from_db()
    extension = workflow.request_extension(item=item, acting_user=item.responsible,
                                           new_deadline=to or item.deadline + dt.timedelta(days=days),
                                           reason="需要协调多个部门。")
    workflow.decide_extension(extension=extension, acting_user=people.leader, approve=True)


def opened(make_item, assigned, deadline, **fields):
    """An item assigned at ``assigned`` with ``deadline``, through the workflow."""
    with frozen(assigned):
        return make_item(deadline=deadline, **fields)


def closed_at(item, people, moment):
    """The unit delivers its result at ``moment`` and the officer verifies it at once."""
    with frozen(moment):
        close(item, people)


@pytest.fixture
def crafted(people, make_item):
    """One of each case in the week of 16-22 November; lead units 县教育局 and 县财政局. Each
    closed item delivered its result the moment it was verified."""
    items = {}
    items["on_time"] = i = opened(make_item, at(d(16)), d(20), title="按期办结事项")
    closed_at(i, people, at(d(19), 16))

    items["extended"] = i = opened(make_item, at(d(16)), d(17), title="延期内办结事项",
                                   lead_unit=people.co, responsible=people.co_member, co_units=[])
    with frozen(at(d(16), 10)):
        extend(i, people, to=d(20))
    closed_at(i, people, at(d(20), 16))

    items["late"] = i = opened(make_item, at(d(16)), d(18), title="逾期办结事项")
    closed_at(i, people, at(d(21), 10))

    items["open_overdue"] = i = opened(make_item, at(d(17)), d(19), title="逾期未办结事项")
    with frozen(at(d(17), 10)):
        workflow.acknowledge(item=i, acting_user=people.responsible)

    items["open"] = opened(make_item, at(d(17)), d(10, 12), title="未到期事项",
                           lead_unit=people.co, responsible=people.co_member, co_units=[])
    items["earlier"] = opened(make_item, at(d(3)), d(30), title="上期交办事项")
    make_item(title="草稿事项", assign=False)  # a draft counts nowhere
    return items


def row_of(data, unit):
    return next(r for r in data.rows if r.unit == unit)


def counts(row):
    return (row.assigned, row.closed, row.closed_on_time, row.closed_extended,
            row.closed_overdue, row.open_overdue)


# --- periods -------------------------------------------------------------------------------

@pytest.mark.parametrize(("kind", "anchor", "expected"), [
    ("week", d(28), (d(23), d(29))),
    ("week", d(23), (d(23), d(29))),
    ("week", d(29), (d(23), d(29))),
    ("week", d(1, 1), (dt.date(2025, 12, 29), d(4, 1))),
    ("month", d(28), (d(1), d(30))),
    ("month", d(1, 2), (d(1, 2), d(28, 2))),
    ("month", d(31, 12), (d(1, 12), d(31, 12))),
])
def test_period_bounds(kind, anchor, expected):
    assert reports.period_bounds(kind, anchor) == expected


def test_period_bounds_refuses_other_kinds():
    with pytest.raises(ValueError):
        reports.period_bounds("year", d(28))


def test_period_labels():
    assert reports.period_label("week", d(23), d(29)) == "2026年11月23日至2026年11月29日"
    assert reports.period_label("month", d(1), d(30)) == "2026年11月"


# --- the report by lead unit -------------------------------------------------------------

def test_unit_report_counts_each_case(people, crafted):
    data = reports.unit_report("week", WEEK_ANCHOR, today=TODAY)
    assert (data.kind, data.start, data.end) == ("week", d(16), d(22))
    assert data.office_name == OfficeSettings.load().office_name
    assert timezone.is_aware(data.generated_at)
    # every active unit but the leadership (and superiors), by kind, order, code
    assert [r.unit.code for r in data.rows] == ["CZJ", "JYJ", "DCS", "WDK", "ZRS"]

    lead = row_of(data, people.lead)
    assert counts(lead) == (3, 2, 1, 0, 1, 1)
    assert lead.on_time_rate == 50.0
    assert lead.overdue == 2

    co = row_of(data, people.co)
    assert counts(co) == (2, 1, 0, 1, 0, 0)
    assert co.on_time_rate == 0.0
    assert co.overdue == 0

    other = row_of(data, people.other)
    assert counts(other) == (0, 0, 0, 0, 0, 0)
    assert other.on_time_rate is None

    assert data.total.unit is None
    assert counts(data.total) == (5, 3, 1, 1, 1, 1)
    assert data.total.on_time_rate == pytest.approx(100 / 3)
    assert round(data.total.on_time_rate, 1) == 33.3
    assert data.total.overdue == 2


def test_current_week_counts_overdue_as_of_today(people, crafted):
    # the week of 23-29 November, still running on the 28th: nothing was assigned or closed;
    # the item due on the 19th is still overdue; the one due on the 30th is not yet
    data = reports.unit_report("week", TODAY, today=TODAY)
    assert counts(row_of(data, people.lead)) == (0, 0, 0, 0, 0, 1)
    assert counts(row_of(data, people.co)) == (0, 0, 0, 0, 0, 0)
    assert data.total.on_time_rate is None

    move_deadline(crafted["earlier"], d(27))
    data = reports.unit_report("week", TODAY, today=TODAY)
    assert row_of(data, people.lead).open_overdue == 2
    # as of the 27th, due on the 27th is not overdue yet
    data = reports.unit_report("week", TODAY, today=d(27))
    assert row_of(data, people.lead).open_overdue == 1


def test_month_report(people, crafted):
    data = reports.unit_report("month", d(5), today=d(5, 12))
    assert (data.start, data.end) == (d(1), d(30))
    assert counts(row_of(data, people.lead)) == (4, 2, 1, 0, 1, 1)
    assert counts(row_of(data, people.co)) == (2, 1, 0, 1, 0, 0)


def test_an_item_closed_after_the_period_was_open_overdue_at_its_end(people, make_item):
    item = opened(make_item, at(d(16)), d(18))
    closed_at(item, people, at(d(24), 10))
    data = reports.unit_report("week", WEEK_ANCHOR, today=TODAY)
    assert counts(row_of(data, people.lead)) == (1, 0, 0, 0, 0, 1)
    data = reports.unit_report("week", TODAY, today=TODAY)
    assert counts(row_of(data, people.lead)) == (0, 1, 0, 0, 1, 0)


def test_days_are_local_days(people, make_item):
    # 00:30 on the 21st in Shanghai is the 20th in UTC: delivered a day late, not on time
    late = opened(make_item, at(d(16)), d(20), title="午夜后办结")
    closed_at(late, people, at(d(21), 0, 30))
    # assigned at 00:30 on Monday the 23rd (still the 22nd in UTC): next week's
    opened(make_item, at(d(23), 0, 30), d(30), title="下周交办")
    # delivered and closed at 23:30 on Sunday the 22nd (15:30 UTC): in the week, on time
    sunday = opened(make_item, at(d(16)), d(22), title="周日深夜办结")
    closed_at(sunday, people, at(d(22), 23, 30))
    assert Item.objects.get(pk=late.pk).closing_class() == "late"
    assert Item.objects.get(pk=sunday.pk).closing_class() == "on_time"

    data = reports.unit_report("week", WEEK_ANCHOR, today=TODAY)
    assert counts(row_of(data, people.lead)) == (2, 2, 1, 0, 1, 0)


def test_units_of_inactive_superior_and_leadership_kinds_are_not_listed(people):
    Unit.objects.create(code="SZF", name="市政府办公室", kind=Unit.Kind.SUPERIOR)
    Unit.objects.create(code="OLD", name="已撤销单位", kind=Unit.Kind.DEPARTMENT, is_active=False)
    Unit.objects.create(code="ZZ", name="城关镇", kind=Unit.Kind.TOWNSHIP)
    Unit.objects.create(code="AA", name="县审计局", kind=Unit.Kind.DEPARTMENT, order=9)
    data = reports.unit_report("month", TODAY, today=TODAY)
    assert [r.unit.code for r in data.rows] == ["CZJ", "JYJ", "AA", "DCS", "WDK", "ZRS", "ZZ"]
    assert all(r.on_time_rate is None for r in data.rows)
    assert counts(data.total) == (0, 0, 0, 0, 0, 0)


@pytest.mark.parametrize("size", [2, 12])
def test_unit_report_runs_a_fixed_number_of_queries(people, make_item, size,
                                                    django_assert_num_queries):
    for n in range(size):
        if n % 2:
            item = make_item(co_units=[])
        else:
            item = make_item(lead_unit=people.co, responsible=people.co_member, co_units=[])
        if n % 3 == 0:
            close(item, people)
            set_dates(item, assigned=at(d(16)), original=d(18), closed=at(d(17 + n % 5)))
        else:
            set_dates(item, assigned=at(d(16 + n % 7)), original=d(10 + n))
    OfficeSettings.load()
    with django_assert_num_queries(3):
        data = reports.unit_report("week", WEEK_ANCHOR, today=TODAY)
    assert data.total.assigned == size


# --- PDF -----------------------------------------------------------------------------------

def pdf_pages(data: bytes):
    reader = PdfReader(io.BytesIO(data))
    box = reader.pages[0].mediabox
    size = (round(float(box.width), 2), round(float(box.height), 2))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return size, text


def test_report_pdf_is_a4_landscape(people, crafted, caplog):
    data = reports.unit_report("week", WEEK_ANCHOR, today=TODAY)
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        pdf = reports.report_pdf(data)
    assert [r for r in caplog.records if r.name.startswith("weasyprint")] == []
    assert pdf.startswith(b"%PDF")
    size, text = pdf_pages(pdf)
    assert size == A4_LANDSCAPE
    assert "督查通报" in text.replace(" ", "")  # the title is letter-spaced
    assert "县教育局" in text and "文电科" in text
    assert "2026年11月16日至2026年11月22日" in text
    assert data.office_name in text
    assert "33.3%" in text and "50.0%" in text


def test_month_report_pdf_with_nothing_closed(people, caplog):
    data = reports.unit_report("month", TODAY, today=TODAY)
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        pdf = reports.report_pdf(data)
    assert [r for r in caplog.records if r.name.startswith("weasyprint")] == []
    size, text = pdf_pages(pdf)
    assert size == A4_LANDSCAPE
    assert "2026年11月" in text and "督查通报" in text.replace(" ", "")


def test_chase_pdf_is_a4_portrait(people, make_item, caplog):
    item = make_item(title="推进义务教育学校标准化建设")
    workflow.acknowledge(item=item, acting_user=people.responsible)
    extend(item, people)
    chase = workflow.chase(item=item, acting_user=people.officer, note="请于3个工作日内报送进展。")
    chase = Chase.objects.select_related("item__lead_unit", "item__responsible",
                                         "sent_by").get(pk=chase.pk)
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        pdf = reports.chase_pdf(chase)
    assert [r for r in caplog.records if r.name.startswith("weasyprint")] == []
    size, text = pdf_pages(pdf)
    assert size == A4_PORTRAIT
    flat = "".join(text.split())
    assert "催办通知单" in flat
    assert "".join(chase.number.split()) in flat
    assert "推进义务教育学校标准化建设" in flat
    assert "请于3个工作日内报送进展。" in flat
    assert "县教育局" in flat and "张承办" in flat and "唐督查" in flat and "督查室" in flat
    assert reports.cn_date(timezone.localdate(chase.created_at)) in flat
    assert reports.cn_date(chase.item.deadline) in flat
    assert "".join(_("(extension approved)").split()) in flat


# --- Excel ---------------------------------------------------------------------------------

def sheet(data: bytes):
    wb = openpyxl.load_workbook(io.BytesIO(data))
    assert len(wb.worksheets) == 1
    return wb.active


def values(ws, row: int) -> list:
    return [c.value for c in ws[row]]


def test_report_workbook(people, crafted):
    data = reports.unit_report("week", WEEK_ANCHOR, today=TODAY)
    ws = sheet(reports.report_workbook(data))
    assert ws["A1"].value == _("%(office)s weekly supervision report") % {
        "office": data.office_name}
    assert ws["A2"].value == _("Period: %(period)s") % {"period": "2026年11月16日至2026年11月22日"}
    assert values(ws, 3) == [_("Unit"), _("Assigned"), _("Closed"), _("Closed on time"),
                             _("Closed within extension"), _("Closed overdue"),
                             _("Overdue and open"), _("On-time rate")]
    assert all(c.font.bold for c in ws[3])
    assert values(ws, 4) == ["县财政局", 2, 1, 0, 1, 0, 0, 0]
    assert values(ws, 5) == ["县教育局", 3, 2, 1, 0, 1, 1, 0.5]
    assert values(ws, 6) == ["督查室", 0, 0, 0, 0, 0, 0, None]
    assert ws["H5"].number_format == "0.0%"
    total = values(ws, 9)
    assert total[:7] == [_("Total"), 5, 3, 1, 1, 1, 1]
    assert total[7] == pytest.approx(1 / 3)
    assert ws.max_row == 9
    assert ws.column_dimensions["A"].width > ws.column_dimensions["B"].width > 0


def test_ledger_workbook(people, crafted, django_assert_num_queries):
    thresholds = [(Level.RED, d(10)), (Level.ORANGE, d(20)), (Level.YELLOW, d(25))]
    qs = (with_level(Item.objects.exclude(assigned_at=None), thresholds)
          .select_related("lead_unit", "responsible", "supervisor", "instructing_leader")
          .prefetch_related("co_units").order_by("number"))
    with django_assert_num_queries(2):  # the items and their co-units, whatever their number
        ws = sheet(reports.ledger_workbook(qs))
    assert ws["A1"].value == _("Supervision ledger")
    assert values(ws, 2) == [
        _("Number"), _("Title"), _("Source"), _("Instructing leader"), _("Lead unit"),
        _("Co-units"), _("Responsible person"), _("Supervising officer"),
        _("Original deadline"), _("Deadline"), _("Unit must deliver by"), _("Status"),
        _("Overdue level"), _("Assigned at"), _("Result delivered at"), _("Closed at"),
        _("Closing"), _("Result")]
    assert all(c.font.bold for c in ws[2])
    assert ws.max_row == 2 + 6

    rows = {ws.cell(row=r, column=2).value: values(ws, r) for r in range(3, ws.max_row + 1)}
    extended = crafted["extended"]
    extended.refresh_from_db()
    assert rows["延期内办结事项"] == [
        extended.number, "延期内办结事项", _("Leader instruction"), "王县长", "县财政局", None,
        "财政联络员", "唐督查", excel(d(17)), excel(d(20)), excel(d(20)), _("Closed"),
        None, excel(d(16), 9), excel(d(20), 16), excel(d(20), 16),
        _("Within extension"), "已办结。"]
    assert rows["按期办结事项"][4:6] == ["县教育局", "县财政局"]
    assert rows["按期办结事项"][16] == _("On time")
    assert rows["逾期办结事项"][16] == _("Closed late")
    # open and overdue since the 19th: past the orange threshold (the 20th), not the red one
    assert rows["逾期未办结事项"][11:17] == [_("Acknowledged"), _("Orange"),
                                        excel(d(17), 9), None, None, None]
    assert rows["上期交办事项"][12] is None
    assert rows["上期交办事项"][17] is None
    assert ws.cell(row=3, column=9).number_format == "yyyy-mm-dd"
    assert ws.cell(row=3, column=11).number_format == "yyyy-mm-dd"
    assert ws.cell(row=3, column=14).number_format == "yyyy-mm-dd hh:mm"
    assert ws.cell(row=3, column=15).number_format == "yyyy-mm-dd hh:mm"


# --- samples -------------------------------------------------------------------------------

def test_render_samples_writes_every_supervision_document(db, tmp_path, monkeypatch):
    monkeypatch.setattr(printing, "_samples", {})
    reports.register_samples()
    assert set(printing.samples()) == {
        "supervision-chase", "supervision-report-week", "supervision-report-week-xlsx",
        "supervision-report-month", "supervision-report-month-xlsx", "supervision-ledger"}
    call_command("render_samples", str(tmp_path), stdout=io.StringIO())
    files = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    assert set(files) == {"催办通知单.pdf", "督查通报-周.pdf", "督查通报-周.xlsx",
                          "督查通报-月.pdf", "督查通报-月.xlsx", "督查台账.xlsx"}
    for name, data in files.items():
        assert data
        if name.endswith(".pdf"):
            assert data.startswith(b"%PDF")
        else:
            openpyxl.load_workbook(io.BytesIO(data))
    # nothing the samples created is kept
    assert not Item.objects.exists()
    assert not Unit.objects.filter(code__startswith="sample-").exists()
    # the sample report has numbers in it
    ws = sheet(files["督查通报-月.xlsx"])
    assert values(ws, ws.max_row)[:7] == [_("Total"), 5, 3, 1, 1, 1, 2]
