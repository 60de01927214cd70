"""Printing for meetings: the meeting notice (会议通知) and the meeting summary (会议纪要), both as
PDF through ``office.pdf``; samples for ``manage.py render_samples``."""

from __future__ import annotations

from django.utils import timezone

from meetings.models import Attendee, Meeting, Summary, Topic
from office import gbt9704, pdf
from office.models import OfficeSettings


def chinese_date(value) -> str:
    return f"{value.year}年{value.month}月{value.day}日"


def notice_pdf(meeting: Meeting) -> bytes:
    start, end = timezone.localtime(meeting.starts_at), timezone.localtime(meeting.ends_at)
    attendees = list(meeting.attendees.filter(removed_at__isnull=True).select_related("user", "unit")
                     .order_by("kind", "pk"))
    return pdf.render("meetings/pdf/notice.html", {
        "meeting": meeting, "office_name": OfficeSettings.load().office_name,
        "date": chinese_date(start), "time": f"{start:%H:%M}", "end": f"{end:%H:%M}",
        "weekday": "一二三四五六日"[start.weekday()],
        "topics": list(meeting.topics.filter(status=Topic.Status.ACCEPTED).select_related("unit")
                       .order_by("position", "pk")),
        "present": [a for a in attendees if a.kind == Attendee.Kind.ATTEND],
        "observers": [a for a in attendees if a.kind == Attendee.Kind.OBSERVE],
        "issued": chinese_date(timezone.localdate(meeting.notice_sent_at or timezone.now())),
    })


def summary_paragraphs(summary: Summary) -> list[str]:
    return [p.strip() for p in summary.body.splitlines() if p.strip()]


def summary_document(summary: Summary) -> gbt9704.OfficialDocument:
    """The 纪要 as GB/T 9704 §10.3 lays it out (``office.gbt9704``, ``format="minutes"``): the red
    标志 "××××纪要" (the meeting type's masthead), the number under it, the issuing office and the
    date, the body (headings 一、 （一） recognised), then 出席/请假/列席 in 黑体 with the names in
    仿宋, no seal; the 版记 names the office that prints it. A summary not yet signed off prints
    "（草稿）" where the number goes and its attendance as it stands now."""
    meeting = summary.meeting
    if summary.status == Summary.Status.SIGNED:
        present, absent, attending = summary.present, summary.absent, summary.attending
        number = summary.number
    else:
        from meetings.workflow import attendance_blocks

        present, absent, attending = attendance_blocks(meeting)
        number = "（草稿）"
    office_name = OfficeSettings.load().office_name
    day = timezone.localdate(summary.signed_at or timezone.now())
    return gbt9704.OfficialDocument(
        issuers=[gbt9704.Issuer(office_name)], format="minutes", masthead=meeting.type.minutes_masthead,
        number=number, title="", body=summary_paragraphs(summary), date=day,
        present=present, absent=absent, attending=attending, printer=office_name, printed_on=day)


def summary_pdf(summary: Summary) -> bytes:
    return gbt9704.render(summary_document(summary))


def register_samples() -> None:
    from office.printing import register_sample

    register_sample("meetings-summary", lambda: ("会议纪要.pdf", _sample_summary()))
    register_sample("meetings-notice", lambda: ("会议通知.pdf", notice_pdf(_sample_meeting(signed=False))))
    register_sample("meetings-discipline", lambda: ("会风会纪通报.pdf", _sample_discipline(pdf=True)))
    register_sample("meetings-discipline-xlsx", lambda: ("会风会纪通报.xlsx", _sample_discipline(pdf=False)))


def _sample_meeting(*, signed: bool) -> Meeting:
    from meetings import samples

    return samples.held_meeting(signed=signed)


def _sample_summary() -> bytes:
    return summary_pdf(_sample_meeting(signed=True).summary)


def _sample_discipline(*, pdf: bool) -> bytes:
    from meetings import discipline

    meeting = _sample_meeting(signed=True)
    day = timezone.localdate(meeting.starts_at)
    data = discipline.report(day.replace(day=1), day)
    return discipline.report_pdf(data) if pdf else discipline.report_workbook(data)
