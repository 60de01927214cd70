"""Printable and exportable supervision documents: the weekly/monthly 督查通报 by lead unit
(PDF and Excel), the 督查台账 ledger (Excel) and the 催办通知单 (PDF).

``unit_report`` aggregates in the database with a fixed number of queries; the renderers do no
queries of their own beyond what their arguments lazily load (callers select/prefetch).
``register_samples`` registers builders for ``manage.py render_samples``; it is called from the
app config, never at import time.
"""

from __future__ import annotations

import calendar
import datetime as dt
import io
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from office import pdf
from office.exports import append_row
from office.models import OfficeSettings, Unit
from supervision import timeliness
from supervision.models import Chase, Closing, Item, Level, SourceKind, Status, SupervisionSettings

PERIOD_KINDS = ("week", "month")
EXCLUDED_UNIT_KINDS = (Unit.Kind.SUPERIOR, Unit.Kind.LEADERSHIP)
REPORT_LANDSCAPE_CSS = "@page { size: A4 landscape; }"
CHASE_CSS = "@page { size: A4; }"


# --- periods and dates -------------------------------------------------------------------

def period_bounds(kind: str, anchor: dt.date) -> tuple[dt.date, dt.date]:
    """The first and last day of the week (Monday..Sunday) or month containing ``anchor``."""
    if kind == "week":
        start = anchor - dt.timedelta(days=anchor.weekday())
        return start, start + dt.timedelta(days=6)
    if kind == "month":
        last = calendar.monthrange(anchor.year, anchor.month)[1]
        return anchor.replace(day=1), anchor.replace(day=last)
    raise ValueError(f"unknown report period {kind!r}: use one of {', '.join(PERIOD_KINDS)}")


_day_start = timeliness.day_start


def cn_date(day: dt.date) -> str:
    """The date as official documents write it: 2026年11月28日."""
    return f"{day.year}年{day.month}月{day.day}日"


def period_label(kind: str, start: dt.date, end: dt.date) -> str:
    """2026年11月23日至2026年11月29日 for a week, 2026年11月 for a month."""
    if kind == "month":
        return f"{start.year}年{start.month}月"
    return f"{cn_date(start)}至{cn_date(end)}"


def _format_rate(rate: float | None) -> str:
    return "—" if rate is None else f"{rate:.1f}%"


# --- the report by lead unit -------------------------------------------------------------

@dataclass
class UnitRow:
    unit: Unit | None  # None for the totals row
    assigned: int = 0
    closed: int = 0
    closed_on_time: int = 0
    closed_extended: int = 0
    closed_overdue: int = 0
    open_overdue: int = 0

    @property
    def on_time_rate(self) -> float | None:
        """Closed on time as a percentage of closed, None when nothing was closed."""
        if not self.closed:
            return None
        return self.closed_on_time / self.closed * 100

    @property
    def overdue(self) -> int:
        return self.open_overdue + self.closed_overdue

    @property
    def rate_display(self) -> str:
        return _format_rate(self.on_time_rate)

    @property
    def figures(self) -> list[tuple[str, int]]:
        """(figure, count) in the report's column order."""
        return [(name, getattr(self, name)) for name in COUNTED_FIELDS]


COUNTED_FIELDS = ("assigned", "closed", "closed_on_time", "closed_extended", "closed_overdue",
                  "open_overdue")
FIGURES = COUNTED_FIELDS


def figure_filters(start: dt.date, end: dt.date, today: dt.date) -> dict[str, Q]:
    """What each figure of the report counts for the period [start, end], as of ``today``; the
    item list reproduces a figure with the same predicate (``figure_q``). Timeliness is
    ``supervision.timeliness``: closed items by the verdict stored when they closed, "overdue
    and open" at the period's end (or today, while the period runs) by ``overdue_at_q``."""
    since, until = _day_start(start), _day_start(end + dt.timedelta(days=1))  # [since, until)
    closed = Q(status=Status.CLOSED, closed_at__gte=since, closed_at__lt=until)
    return {
        "assigned": Q(assigned_at__gte=since, assigned_at__lt=until),
        "closed": closed,
        "closed_on_time": closed & timeliness.closed_as_q(Closing.ON_TIME),
        "closed_extended": closed & timeliness.closed_as_q(Closing.EXTENDED),
        "closed_overdue": closed & timeliness.closed_as_q(Closing.LATE),
        "open_overdue": timeliness.overdue_at_q(min(end, today)),
    }


def reported_units():
    """The units the report lists (a row each, even with no items)."""
    return (Unit.objects.filter(is_active=True).exclude(kind__in=EXCLUDED_UNIT_KINDS)
            .order_by("kind", "order", "code"))


def figure_q(figure: str, kind: str, anchor: dt.date, *, today: dt.date) -> Q:
    """The items behind one figure of the report of the ``kind`` period containing ``anchor``,
    over all reported units (filter by lead unit for one row): its length is the figure."""
    start, end = period_bounds(kind, anchor)
    return figure_filters(start, end, today)[figure] & Q(lead_unit__in=reported_units().order_by())


@dataclass
class ReportData:
    kind: str
    start: dt.date
    end: dt.date
    generated_at: dt.datetime
    rows: list[UnitRow]
    total: UnitRow
    office_name: str

    @property
    def period_label(self) -> str:
        return period_label(self.kind, self.start, self.end)


def unit_report(kind: str, anchor: dt.date, *, today: dt.date | None = None) -> ReportData:
    """Counts per lead unit for the week or month containing ``anchor``. Three queries: the
    aggregate, the units, the office settings."""
    start, end = period_bounds(kind, anchor)
    today = today or timezone.localdate()
    since, until = _day_start(start), _day_start(end + dt.timedelta(days=1))  # [since, until)
    figures = figure_filters(start, end, today)

    counts = (
        Item.objects
        # drafts have no assigned_at; nothing assigned after the period counts
        .filter(assigned_at__lt=until)
        .filter(Q(assigned_at__gte=since) | Q(closed_at__gte=since) | Q(closed_at__isnull=True))
        .order_by()
        .values("lead_unit_id")
        .annotate(**{name: Count("pk", filter=figures[name]) for name in FIGURES})
    )
    by_unit = {row["lead_unit_id"]: row for row in counts}
    units = reported_units()
    rows = []
    for unit in units:
        found = by_unit.get(unit.pk, {})
        rows.append(UnitRow(unit, **{name: found.get(name, 0) for name in COUNTED_FIELDS}))
    total = UnitRow(None, **{name: sum(getattr(r, name) for r in rows) for name in COUNTED_FIELDS})
    return ReportData(kind=kind, start=start, end=end, generated_at=timezone.now(), rows=rows,
                      total=total, office_name=OfficeSettings.load().office_name)


def _report_title(data: ReportData) -> str:
    if data.kind == "week":
        return _("%(office)s weekly supervision report") % {"office": data.office_name}
    return _("%(office)s monthly supervision report") % {"office": data.office_name}


def report_columns() -> list[str]:
    return [_("Unit"), _("Assigned"), _("Closed"), _("Closed on time"),
            _("Closed within extension"), _("Closed overdue"), _("Overdue and open"),
            _("On-time rate")]


def figure_labels() -> dict[str, str]:
    """The column heading of each figure."""
    return dict(zip(FIGURES, report_columns()[1:1 + len(FIGURES)], strict=True))


def report_pdf(data: ReportData) -> bytes:
    """The 督查通报 on A4 landscape."""
    context = {
        "data": data,
        "period": data.period_label,
        "columns": report_columns(),
        "total_rate": data.total.rate_display,
        "generated_on": cn_date(timezone.localdate(data.generated_at)),
    }
    return pdf.render("supervision/pdf/report.html", context, extra_css=REPORT_LANDSCAPE_CSS)


# --- Excel -------------------------------------------------------------------------------

def _excel_datetime(value: dt.datetime | None) -> dt.datetime | None:
    """A local, naive datetime (Excel has no time zones)."""
    if value is None:
        return None
    return timezone.localtime(value).replace(tzinfo=None)


def _workbook_bytes(wb) -> bytes:
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def report_workbook(data: ReportData) -> bytes:
    """The 督查通报 as one sheet: title, period, the table and its totals row."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    columns = report_columns()
    wb = Workbook()
    ws = wb.active
    ws.title = _("Supervision report")[:31]
    append_row(ws, [_report_title(data)])
    append_row(ws, [_("Period: %(period)s") % {"period": data.period_label}])
    append_row(ws, columns)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(columns))
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=len(columns))
    ws["A1"].font = Font(bold=True, size=14)
    ws["A1"].alignment = Alignment(horizontal="center")
    ws["A2"].alignment = Alignment(horizontal="center")

    def row_values(row: UnitRow, label: str) -> list:
        rate = row.on_time_rate
        return [label, row.assigned, row.closed, row.closed_on_time, row.closed_extended,
                row.closed_overdue, row.open_overdue, None if rate is None else rate / 100]

    for row in data.rows:
        append_row(ws, row_values(row, str(row.unit)))
    append_row(ws, row_values(data.total, _("Total")))

    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    header_row, last_row = 3, ws.max_row
    for cells in ws.iter_rows(min_row=header_row, max_row=last_row, max_col=len(columns)):
        for cell in cells:
            cell.border = border
            if cell.column > 1:
                cell.alignment = Alignment(horizontal="center")
        cells[-1].number_format = "0.0%"
    for cell in ws[header_row]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for cell in ws[last_row]:
        cell.font = Font(bold=True)
    ws.column_dimensions["A"].width = 28
    for index in range(2, len(columns) + 1):
        ws.column_dimensions[get_column_letter(index)].width = 14
    ws.freeze_panes = ws.cell(row=header_row + 1, column=2)
    return _workbook_bytes(wb)


def closing_labels() -> dict[str, str]:
    return {value: str(label) for value, label in Closing.choices}


def level_labels() -> dict[str, str]:
    return {Level.YELLOW: _("Yellow"), Level.ORANGE: _("Orange"), Level.RED: _("Red")}


def ledger_columns() -> list[str]:
    return [_("Number"), _("Title"), _("Source"), _("Instructing leader"), _("Lead unit"),
            _("Co-units"), _("Responsible person"), _("Supervising officer"),
            _("Original deadline"), _("Deadline"), _("Unit must deliver by"), _("Status"),
            _("Overdue level"), _("Assigned at"), _("Result delivered at"), _("Closed at"),
            _("Closing"), _("Result")]


LEDGER_WIDTHS = [18, 36, 12, 12, 18, 24, 12, 12, 12, 12, 12, 10, 10, 17, 17, 17, 10, 48]
DATE_COLUMNS = (9, 10, 11)
DATETIME_COLUMNS = (14, 15, 16)


def ledger_rows(items: Iterable[Item]):
    """The ledger's rows; a queryset is read in batches (``iterator``, co-units prefetched per
    batch), the choices' labels looked up once."""
    closing, levels = closing_labels(), level_labels()
    sources = {value: str(label) for value, label in SourceKind.choices}
    statuses = {value: str(label) for value, label in Status.choices}
    if isinstance(items, QuerySet):
        items = items.iterator(chunk_size=1000)
    for item in items:
        yield [
            item.number,
            item.title,
            sources.get(item.source_kind, item.source_kind),
            str(item.instructing_leader) if item.instructing_leader_id else None,
            str(item.lead_unit),
            "、".join(str(unit) for unit in item.co_units.all()) or None,
            str(item.responsible),
            str(item.supervisor),
            item.original_deadline,
            item.deadline,
            item.deliver_by,
            statuses.get(item.status, item.status),
            levels.get(getattr(item, "level", "")),
            _excel_datetime(item.assigned_at),
            _excel_datetime(item.result_reported_at),
            _excel_datetime(item.closed_at),
            closing.get(item.closing_class()),
            item.result or None,
        ]


def ledger_stream(items: Iterable[Item]):
    """The 督查台账 as it is written (``office.exports.stream_xlsx``). ``items`` is annotated
    with ``level`` (``selectors.with_level``), select_related lead_unit, responsible, supervisor
    and instructing_leader and prefetch_related co_units: no query is run per item."""
    from office.exports import STYLE_DATE, STYLE_DATETIME, stream_xlsx

    styles = {**dict.fromkeys(DATE_COLUMNS, STYLE_DATE), **dict.fromkeys(DATETIME_COLUMNS, STYLE_DATETIME)}
    return stream_xlsx(sheet=_("Supervision ledger"), title=_("Supervision ledger"), columns=ledger_columns(),
                       rows=ledger_rows(items), widths=LEDGER_WIDTHS, styles=styles, freeze_columns=2)


def ledger_workbook(items: Iterable[Item]) -> bytes:
    """The 督查台账 in one piece; the download streams ``ledger_stream``."""
    return b"".join(ledger_stream(items))


# --- 催办通知单 ---------------------------------------------------------------------------

def chase_pdf(chase: Chase) -> bytes:
    """The 催办通知单 of a chase, A4 portrait. Pass a chase with its item, the item's
    lead_unit and responsible and the chase's sent_by selected."""
    item = chase.item
    office_unit = SupervisionSettings.load().office_unit
    context = {
        "chase": chase,
        "item": item,
        "office_name": OfficeSettings.load().office_name,
        "office_unit_name": office_unit.name if office_unit else _("Supervision office"),
        "original_deadline": cn_date(item.original_deadline),
        "deadline": cn_date(item.deadline),
        "deliver_by": cn_date(item.deliver_by),
        "sent_on": cn_date(timezone.localdate(chase.created_at)),
        "status": item.get_status_display(),
    }
    return pdf.render("supervision/pdf/chase.html", context, extra_css=CHASE_CSS)


# --- samples for manage.py render_samples ------------------------------------------------

class _SampleOffice:
    """Units and people for a sample, created inside the sample's rolled-back transaction."""

    def __init__(self):
        from django.contrib.auth.models import Group

        from office import roles
        from office.models import User

        def unit(code, name, kind, order=0):
            existing = Unit.objects.filter(name=name).first()
            if existing is not None:
                return existing
            return Unit.objects.create(code=f"sample-{code}", name=name, short_name=name,
                                       kind=kind, order=order)

        def user(username, full_name, role, unit_):
            person = User.objects.filter(username=f"sample-{username}").first()
            if person is None:
                person = User.objects.create_user(username=f"sample-{username}",
                                                  full_name=full_name, unit=unit_)
            person.groups.set(Group.objects.filter(name__in=[role]))
            return person

        K = Unit.Kind
        self.dcs = unit("DCS", "督查室", K.SECTION, 1)
        self.edu = unit("JYJ", "县教育局", K.DEPARTMENT, 1)
        self.fin = unit("CZJ", "县财政局", K.DEPARTMENT, 2)
        self.housing = unit("ZJJ", "县住房和城乡建设局", K.DEPARTMENT, 3)
        self.safety = unit("YJJ", "县应急管理局", K.DEPARTMENT, 4)
        self.town = unit("CGZ", "城关镇", K.TOWNSHIP, 1)
        leadership = unit("LDBZ", "县政府领导", K.LEADERSHIP, 0)
        conf = SupervisionSettings.load()
        conf.office_unit = self.dcs
        conf.save()
        self.officer = user("officer", "唐督查", roles.SECRETARY, self.dcs)
        self.leader = user("leader", "王县长", roles.COUNTY_LEADER, leadership)
        self.contacts = {
            u.pk: user(f"contact-{key}", name, roles.UNIT_CONTACT, u)
            for key, u, name in (("edu", self.edu, "张承办"), ("fin", self.fin, "李会计"),
                                 ("housing", self.housing, "赵工"),
                                 ("safety", self.safety, "刘安监"), ("town", self.town, "陈干事"))
        }
        for u in (self.edu, self.fin, self.housing, self.safety, self.town):
            if u.head_id is None:
                Unit.objects.filter(pk=u.pk).update(head=self.contacts[u.pk])

    def item(self, unit, title, requirement, **kwargs) -> Item:
        from supervision import workflow

        fields = dict(source_kind="instruction", instructing_leader=self.leader,
                      supervisor=self.officer,
                      deadline=timezone.localdate() + dt.timedelta(days=30))
        fields.update(kwargs)
        return workflow.create_item(acting_user=self.officer, assign=True, title=title,
                                    requirement=requirement, lead_unit=unit,
                                    responsible=self.contacts[unit.pk], **fields)

    def close(self, item: Item, result: str) -> None:
        from supervision import workflow

        responsible = self.contacts[item.lead_unit_id]
        workflow.acknowledge(item=item, acting_user=responsible)
        workflow.report_result(item=item, acting_user=responsible, result=result)
        workflow.accept(item=item, acting_user=self.officer)

    def extend(self, item: Item, days: int = 10) -> None:
        from supervision import workflow

        item.refresh_from_db()
        extension = workflow.request_extension(
            item=item, acting_user=self.contacts[item.lead_unit_id],
            new_deadline=item.deadline + dt.timedelta(days=days),
            reason="涉及多个部门协调，需延长办理时限。")
        workflow.decide_extension(extension=extension, acting_user=self.leader, approve=True,
                                  note="同意延期。")


def _at(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _set_dates(item: Item, *, assigned: dt.date, original: dt.date, deadline: dt.date | None = None,
               closed: dt.date | None = None) -> None:
    """Move a sample item into the sample period; a closed one delivered its result the day it
    closed, and counts as ``supervision.timeliness`` judges that."""
    from office.workdays import WorkCalendar

    deadline = deadline or original
    fields = {"assigned_at": _at(assigned, 9), "created_at": _at(assigned, 8), "turn_since": _at(assigned, 9),
              "original_deadline": original, "deadline": deadline, "deliver_by": deadline, "held_days": 0}
    if closed is not None:
        fields.update(result_reported_at=_at(closed, 15), closed_at=_at(closed, 16), turn_since=_at(closed, 16))
    Item.objects.filter(pk=item.pk).update(**fields)
    if closed is not None:
        item.refresh_from_db()
        Item.objects.filter(pk=item.pk).update(closing=timeliness.closing_class(item, WorkCalendar.load()))


def _sample_report(kind: str) -> ReportData:
    """A realistic report of the last complete week or month."""
    today = timezone.localdate()
    if kind == "week":
        anchor = today - dt.timedelta(days=7)
    else:
        anchor = today.replace(day=1) - dt.timedelta(days=1)
    start, end = period_bounds(kind, anchor)
    span = (end - start).days

    def day(fraction: float) -> dt.date:
        return start + dt.timedelta(days=round(span * fraction))

    o = _SampleOffice()
    i = o.item(o.edu, "落实校园安全隐患排查整治",
               "全面排查校舍、食堂、消防隐患，建立台账，逐项整改到位。")
    o.close(i, "已完成全县58所学校排查，发现隐患23处，均已整改。")
    _set_dates(i, assigned=day(0), original=day(0.6), closed=day(0.5))
    i = o.item(o.edu, "推进义务教育学校标准化建设", "按计划完成3所薄弱学校改造，报送进度。")
    _set_dates(i, assigned=day(0.15), original=day(0.3))
    i = o.item(o.fin, "做好年度预算执行情况分析", "分析前三季度预算执行，提出加快支出进度的措施。")
    o.extend(i)
    o.close(i, "已形成预算执行分析报告，报县政府。")
    _set_dates(i, assigned=day(0), original=day(0.3), deadline=day(0.85), closed=day(0.7))
    i = o.item(o.fin, "清理规范财政专户", "清理全县财政专户，撤并不合规账户。",
               deadline=today + dt.timedelta(days=20))
    _set_dates(i, assigned=day(0.3), original=today + dt.timedelta(days=20))
    i = o.item(o.housing, "加快老旧小区改造进度", "督促施工单位倒排工期，确保按期完工。",
               source_kind="meeting", instructing_leader=None)
    o.close(i, "3个小区改造主体工程已完工。")
    _set_dates(i, assigned=day(0), original=day(0.15), closed=day(0.6))
    i = o.item(o.safety, "开展汛前安全检查", "对重点水库、河道、地质灾害点开展汛前检查。",
               source_kind="document", instructing_leader=None)
    _set_dates(i, assigned=start - dt.timedelta(days=10), original=start - dt.timedelta(days=2))
    return unit_report(kind, anchor, today=today)


def _sample_chase() -> bytes:
    from supervision import workflow

    o = _SampleOffice()
    item = o.item(o.edu, "推进义务教育学校标准化建设",
                  "按计划完成3所薄弱学校改造任务，每周五前报送工程进度，11月底前全部完工。",
                  deadline=timezone.localdate() + dt.timedelta(days=5))
    workflow.acknowledge(item=item, acting_user=o.contacts[o.edu.pk])
    o.extend(item, days=14)
    record = workflow.chase(item=item, acting_user=o.officer,
                            note="该事项进度滞后，请于3个工作日内报送整改进展及下一步工作安排。")
    record = Chase.objects.select_related("item__lead_unit", "item__responsible",
                                          "sent_by").get(pk=record.pk)
    return chase_pdf(record)


def _sample_ledger() -> bytes:
    from office.workdays import WorkCalendar
    from supervision.selectors import level_thresholds, with_level

    _sample_report("month")
    thresholds = level_thresholds(WorkCalendar.load(), timezone.localdate())
    items = (with_level(Item.objects.all(), thresholds)
             .select_related("lead_unit", "responsible", "supervisor", "instructing_leader")
             .prefetch_related("co_units").order_by("deadline", "pk"))
    return ledger_workbook(items)


def register_samples() -> None:
    """Register the supervision documents with ``office.printing`` (from the app config)."""
    from office.printing import register_sample

    register_sample("supervision-chase", lambda: ("催办通知单.pdf", _sample_chase()))
    register_sample("supervision-report-week",
                    lambda: ("督查通报-周.pdf", report_pdf(_sample_report("week"))))
    register_sample("supervision-report-week-xlsx",
                    lambda: ("督查通报-周.xlsx", report_workbook(_sample_report("week"))))
    register_sample("supervision-report-month",
                    lambda: ("督查通报-月.pdf", report_pdf(_sample_report("month"))))
    register_sample("supervision-report-month-xlsx",
                    lambda: ("督查通报-月.xlsx", report_workbook(_sample_report("month"))))
    register_sample("supervision-ledger", lambda: ("督查台账.xlsx", _sample_ledger()))
