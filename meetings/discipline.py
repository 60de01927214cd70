"""Meeting discipline (会风会纪): how each invited person answered the call, and the periodic
report (会风会纪通报) per unit and per person, as a page, a PDF and an Excel workbook.

**The rule** (one definition, as a Python function for one row and as queryset predicates for
the report; tests prove they agree). For each person invited (not taken off the list) to a
meeting that was held in the period:

- *attended*: they signed in themselves (QR code or the clerk) — *on time* when they signed in
  no later than the start's minute, else *late* (``Attendee.late_minutes`` > 0);
- *substitute* (代会): someone else signed in for them (the substitute they named);
- *on leave* (请假): nobody signed in and their leave was approved;
- *absent without leave* (缺席): nobody signed in and no approved leave (no answer, a refused
  or undecided leave request, or a substitute who did not come).

So invited = on time + late + substitute + on leave + absent, for every unit and person.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field

from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from meetings.models import AFTER, Attendee
from office import pdf
from office.exports import append_row
from office.models import OfficeSettings, Unit, User

ON_TIME, LATE, SUBSTITUTE, LEAVE, ABSENT = "on_time", "late", "substitute", "leave", "absent"
OUTCOMES = (ON_TIME, LATE, SUBSTITUTE, LEAVE, ABSENT)

_in_person = Q(signed_in_at__isnull=False, signed_in_person=F("user"))
PREDICATES: dict[str, Q] = {
    ON_TIME: _in_person & Q(late_minutes=0),
    LATE: _in_person & Q(late_minutes__gt=0),
    SUBSTITUTE: Q(signed_in_at__isnull=False) & ~Q(signed_in_person=F("user")),
    LEAVE: Q(signed_in_at__isnull=True, response=Attendee.Response.LEAVE_APPROVED),
    ABSENT: Q(signed_in_at__isnull=True) & ~Q(response=Attendee.Response.LEAVE_APPROVED),
}


def outcome(attendee: Attendee) -> str:
    """The outcome of one invitation (see the module)."""
    if attendee.signed_in_at is not None:
        if attendee.signed_in_person_id == attendee.user_id:
            return LATE if attendee.late_minutes > 0 else ON_TIME
        return SUBSTITUTE
    if attendee.response == Attendee.Response.LEAVE_APPROVED:
        return LEAVE
    return ABSENT


def invitations(start: dt.date, end: dt.date):
    """The invitations the report counts: current attendees of meetings held (or with their
    minutes issued) that started on a day in [start, end]."""
    lo = timezone.make_aware(dt.datetime.combine(start, dt.time.min))
    hi = timezone.make_aware(dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min))
    return Attendee.objects.filter(removed_at__isnull=True, meeting__status__in=list(AFTER),
                                   meeting__starts_at__gte=lo, meeting__starts_at__lt=hi)


@dataclass
class Counts:
    on_time: int = 0
    late: int = 0
    substitute: int = 0
    leave: int = 0
    absent: int = 0

    @property
    def attended(self) -> int:
        return self.on_time + self.late

    @property
    def invited(self) -> int:
        return self.attended + self.substitute + self.leave + self.absent

    def add(self, other: Counts) -> None:
        for name in OUTCOMES:
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class Report:
    start: dt.date
    end: dt.date
    meetings: int
    units: list[tuple[Unit, Counts]]
    people: list[tuple[User, Unit | None, Counts]]
    total: Counts = field(default_factory=Counts)
    office_name: str = ""


def _aggregate(qs, key: str):
    return qs.values(key).annotate(**{name: Count("pk", filter=q) for name, q in PREDICATES.items()}).order_by()


def report(start: dt.date, end: dt.date) -> Report:
    """Counts per unit (every unit that had an invitation) and per person, for the period."""
    qs = invitations(start, end)
    units_raw = {r["unit_id"]: Counts(**{n: r[n] for n in OUTCOMES}) for r in _aggregate(qs, "unit_id")}
    people_raw = {r["user_id"]: Counts(**{n: r[n] for n in OUTCOMES}) for r in _aggregate(qs, "user_id")}
    units = Unit.objects.in_bulk([pk for pk in units_raw if pk])
    users = User.objects.select_related("unit").in_bulk(list(people_raw))
    unit_rows = sorted(((units.get(pk), c) for pk, c in units_raw.items()),
                       key=lambda r: (r[0].kind, r[0].order, r[0].code) if r[0] else ("", 0, ""))
    people_rows = sorted(((users[pk], users[pk].unit, c) for pk, c in people_raw.items()),
                         key=lambda r: (r[1].order if r[1] else 0, r[1].code if r[1] else "", r[0].pk))
    total = Counts()
    for _unit, c in unit_rows:
        total.add(c)
    meetings = qs.values("meeting_id").distinct().count()
    return Report(start, end, meetings, unit_rows, people_rows, total, OfficeSettings.load().office_name)




def _headers() -> list[str]:
    return [_("Invited"), _("Attended"), _("On time"), _("Late"), _("Substitute"), _("On leave"),
            _("Absent without leave")]


def _values(c: Counts) -> list[int]:
    return [c.invited, c.attended, c.on_time, c.late, c.substitute, c.leave, c.absent]


def report_workbook(data: Report) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = _("By unit")
    append_row(ws, [_("Meeting discipline report"), f"{data.start.isoformat()} – {data.end.isoformat()}"])
    append_row(ws, [_("Unit"), *_headers()])
    for unit, c in data.units:
        append_row(ws, [str(unit) if unit else "—", *_values(c)])
    append_row(ws, [_("Total"), *_values(data.total)])
    ws2 = wb.create_sheet(_("By person"))
    append_row(ws2, [_("Person"), _("Unit"), *_headers()])
    for user, unit, c in data.people:
        append_row(ws2, [user.get_full_name(), str(unit) if unit else "", *_values(c)])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def report_pdf(data: Report) -> bytes:
    return pdf.render("meetings/pdf/discipline.html", {"report": data, "headers": _headers(),
                                                       "rows": [(u, _values(c)) for u, c in data.units],
                                                       "people": [(p, u, _values(c)) for p, u, c in data.people],
                                                       "total": _values(data.total)},
                      extra_css="@page { size: A4 landscape; }")
