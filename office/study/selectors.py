"""Reads for study day: sessions with their attendance, notes, the month's summary per section,
who wrote no note in a month. Fixed query counts (pinned by tests)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet

from office import roles
from office.models import Unit, User
from office.study import permissions
from office.study.models import Attendance, Note, Session


def office_staff(section_id: int | None = None) -> QuerySet:
    """The office's own staff (members of its sections holding a staff role): who studies."""
    people = (User.objects.filter(is_active=True, is_superuser=False, unit__kind=Unit.Kind.SECTION,
                                  groups__name__in=permissions.STAFF_ROLES)
              .exclude(groups__name__in=roles.ADMIN_ROLES).distinct())
    if section_id is not None:
        people = people.filter(unit_id=section_id)
    return people


@dataclass
class AttendanceSummary:
    session: Session
    expected: int
    present: int
    on_leave: int
    url: str
    absent: list = field(default_factory=list)

    @property
    def absent_count(self) -> int:
        return self.expected - self.present - self.on_leave


def session_attendance(session: Session) -> AttendanceSummary:
    """Present and expected counts of a session, who is absent, and the URL of its attendance
    list (the session page). Two queries."""
    rows = list(session.attendances.select_related("user").order_by("user__username"))
    return AttendanceSummary(
        session=session, expected=len(rows), present=sum(r.present for r in rows),
        on_leave=sum(1 for r in rows if not r.present and r.leave_reason), url=session.get_absolute_url(),
        absent=[r.user for r in rows if not r.present and not r.leave_reason])


def _with_counts(sessions: QuerySet) -> QuerySet:
    return sessions.annotate(
        n_expected=Count("attendances", distinct=True),
        n_present=Count("attendances", filter=Q(attendances__signed_in_at__isnull=False), distinct=True))


def latest_sessions(*, user=None, limit: int = 5) -> list[Session]:
    """The latest sessions (those ``user`` may see, when given), each with ``n_expected``,
    ``n_present`` and ``url``: for the dashboard. One query."""
    sessions = Session.objects.all()
    if user is not None:
        q = permissions.sessions_q(user)
        if q is None:
            return []
        sessions = sessions.filter(q)
    sessions = list(_with_counts(sessions.select_related("section").distinct()).order_by("-date", "-pk")[:limit])
    for s in sessions:
        s.url = s.get_absolute_url()
    return sessions


def visible_sessions(user) -> QuerySet:
    q = permissions.sessions_q(user)
    return Session.objects.none() if q is None else Session.objects.filter(q).distinct()


def session_list(user) -> QuerySet:
    return _with_counts(visible_sessions(user).select_related("section", "organiser")).order_by("-date", "-pk")


def session_detail(user, pk: int) -> Session:
    return visible_sessions(user).select_related("section", "organiser").get(pk=pk)


def visible_notes(user) -> QuerySet:
    q = permissions.notes_q(user)
    return Note.objects.none() if q is None else Note.objects.filter(q)


def note_list(user) -> QuerySet:
    return visible_notes(user).select_related("author", "session").order_by("-written_on", "-pk")


def month_span(year: int, month: int) -> tuple[dt.date, dt.date]:
    start = dt.date(year, month, 1)
    end = (dt.date(year + 1, 1, 1) if month == 12 else dt.date(year, month + 1, 1)) - dt.timedelta(days=1)
    return start, end


def without_notes(section_id: int, year: int, month: int) -> list[User]:
    """The section's staff who wrote no study note in the month (private notes count too: the
    chief sees who wrote, never what). One query."""
    start, end = month_span(year, month)
    return list(office_staff(section_id).exclude(
        study_notes__written_on__gte=start, study_notes__written_on__lte=end).order_by("username"))


@dataclass
class SectionMonth:
    unit: Unit
    people: int = 0
    sessions: int = 0
    expected: int = 0
    present: int = 0
    notes: int = 0
    writers: int = 0
    without_notes: list = field(default_factory=list)

    @property
    def rate(self) -> int | None:
        return round(100 * self.present / self.expected) if self.expected else None


def month_summary(year: int, month: int, section_id: int | None = None) -> list[SectionMonth]:
    """Per section for a month: its staff, the sessions they were expected at, attendance, notes
    written and by how many, and who wrote none. Four queries."""
    start, end = month_span(year, month)
    units = Unit.objects.filter(kind=Unit.Kind.SECTION, is_active=True).order_by("order", "code")
    if section_id is not None:
        units = units.filter(pk=section_id)
    rows = {u.pk: SectionMonth(u) for u in units}
    staff = list(office_staff().filter(unit_id__in=rows).values_list("pk", "unit_id", "full_name", "username"))
    by_person = {pk: unit for pk, unit, _f, _u in staff}
    for _pk, unit, _full, _username in staff:
        rows[unit].people += 1
    sessions_of: dict[int, set] = {}
    for session_id, user_id, present in Attendance.objects.filter(
            session__date__gte=start, session__date__lte=end, user_id__in=by_person).values_list(
            "session_id", "user_id", "signed_in_at"):
        unit = by_person[user_id]
        rows[unit].expected += 1
        rows[unit].present += present is not None
        sessions_of.setdefault(unit, set()).add(session_id)
    writers: dict[int, set] = {}
    for author_id in Note.objects.filter(written_on__gte=start, written_on__lte=end,
                                         author_id__in=by_person).values_list("author_id", flat=True):
        unit = by_person[author_id]
        rows[unit].notes += 1
        writers.setdefault(unit, set()).add(author_id)
    for pk, unit, full, username in staff:
        if pk not in writers.get(unit, set()):
            rows[unit].without_notes.append(full or username)
    for unit, row in rows.items():
        row.sessions = len(sessions_of.get(unit, ()))
        row.writers = len(writers.get(unit, ()))
    return [r for r in rows.values() if r.people]


def person_year(user_id: int, year: int) -> dict:
    """One person's study in a year, for the assessment: sessions expected, present, on leave;
    notes written and in how many months. Two queries."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    att = Attendance.objects.filter(user_id=user_id, session__date__gte=start, session__date__lte=end).aggregate(
        expected=Count("pk"), present=Count("pk", filter=Q(signed_in_at__isnull=False)),
        leave=Count("pk", filter=Q(signed_in_at__isnull=True) & ~Q(leave_reason="")))
    months = list(Note.objects.filter(author_id=user_id, written_on__gte=start, written_on__lte=end)
                  .values_list("written_on__month", flat=True))
    return {**att, "notes": len(months), "note_months": len(set(months))}
