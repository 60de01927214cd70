"""The discipline report's counts: one definition of each outcome (a function for one row, the
same as queryset predicates), leave and substitutes counted as such; PDF and Excel."""

import datetime as dt
import io
import random

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from meetings import discipline
from meetings.models import Attendee, Meeting

pytestmark = pytest.mark.django_db


@pytest.fixture
def held(mp, staged):
    # staged: director on time (clerk), vice on approved leave, chief came late for vice2 (QR)
    return staged("held", start=timezone.now() - dt.timedelta(days=1))


def _counts(report, username):
    return next(c for user, _unit, c in report.people if user.username == username)


def test_leave_substitutes_lateness_and_absence_are_counted(mp, held, staged):
    day = timezone.localdate(held.starts_at)
    report = discipline.report(day, day)
    director, vice, vice2 = (_counts(report, u) for u in ("director", "vice", "vice2"))
    assert (director.invited, director.attended, director.on_time, director.late) == (1, 1, 1, 0)
    assert (vice.invited, vice.leave, vice.attended, vice.absent) == (1, 1, 0, 0)
    assert (vice2.invited, vice2.substitute, vice2.attended, vice2.absent) == (1, 1, 0, 0)
    # the substitute is counted for the person who sent them, not for themselves
    assert all(user.username != "chief" for user, _u, _c in report.people)
    assert (report.total.invited, report.total.on_time, report.total.leave, report.total.substitute) == (3, 1, 1, 1)
    assert report.meetings == 1
    leaders = dict((u.code, c) for u, c in report.units)["LDBZ"]
    assert (leaders.invited, leaders.leave, leaders.substitute) == (2, 1, 1)


def test_a_refused_leave_or_a_no_show_substitute_is_absent_and_late_is_late(mp, held):
    vice = held.attendees.get(user=mp.vice)
    Attendee.objects.filter(pk=vice.pk).update(response=Attendee.Response.LEAVE_REFUSED)
    vice2 = held.attendees.get(user=mp.vice2)
    Attendee.objects.filter(pk=vice2.pk).update(signed_in_at=None, signed_in_person=None)
    director = held.attendees.get(user=mp.director)
    Attendee.objects.filter(pk=director.pk).update(late_minutes=12)
    day = timezone.localdate(held.starts_at)
    report = discipline.report(day, day)
    assert _counts(report, "vice").absent == 1
    assert _counts(report, "vice2").absent == 1
    assert (_counts(report, "director").late, _counts(report, "director").on_time) == (1, 0)


def test_meetings_not_held_or_outside_the_period_are_not_counted(mp, held, staged):
    staged("ready", start=timezone.now() + dt.timedelta(days=5), title="未召开的会议", stage_days=260)
    day = timezone.localdate(held.starts_at)
    assert discipline.report(day + dt.timedelta(days=1), day + dt.timedelta(days=9)).total.invited == 0
    assert discipline.report(day, day + dt.timedelta(days=9)).total.invited == 3


def test_the_row_function_and_the_predicates_agree_on_random_rows(mp, held):
    rng = random.Random(9)
    people = [mp.director, mp.vice, mp.vice2, mp.chief, mp.contact, mp.fin, mp.head, mp.clerk]
    meeting = Meeting.objects.get(pk=held.pk)
    Attendee.objects.filter(meeting=meeting).delete()
    for person in people:
        signed = rng.random() < 0.6
        response = rng.choice(Attendee.Response.values)
        substitute = rng.choice([mp.outsider, mp.officer]) if response == "substitute" else None
        came = (substitute if substitute and rng.random() < 0.5 else person) if signed else None
        Attendee.objects.create(meeting=meeting, user=person, unit=person.unit, response=response,
                                substitute=substitute,
                                signed_in_at=meeting.starts_at if signed else None, signed_in_person=came,
                                late_minutes=rng.choice([0, 0, 3, 15]) if signed else 0)
    rows = list(Attendee.objects.filter(meeting=meeting))
    for name, q in discipline.PREDICATES.items():
        by_sql = set(Attendee.objects.filter(meeting=meeting).filter(q).values_list("pk", flat=True))
        by_row = {a.pk for a in rows if discipline.outcome(a) == name}
        assert by_sql == by_row, name
    day = timezone.localdate(meeting.starts_at)
    report = discipline.report(day, day)
    assert report.total.invited == len(people)
    for user, _unit, counts in report.people:
        [row] = [a for a in rows if a.user_id == user.pk]
        assert getattr(counts, discipline.outcome(row)) == 1 and counts.invited == 1


def test_the_report_as_pdf_and_excel_and_the_page(mp, held, client):
    day = timezone.localdate(held.starts_at)
    data = discipline.report(day, day)
    assert discipline.report_pdf(data).startswith(b"%PDF")
    wb = load_workbook(io.BytesIO(discipline.report_workbook(data)))
    units, people = wb.worksheets
    assert [c.value for c in units[3]][:8] == ["县政府领导", 2, 0, 0, 0, 1, 1, 0]
    assert people.max_row == 1 + 3
    client.force_login(mp.leader)
    page = client.get(f"/meetings/discipline/?start={day}&end={day}")
    assert page.status_code == 200 and page.content.decode().count('data-testid="discipline-person"') == 3
    pdf = client.get(f"/meetings/discipline/?start={day}&end={day}&format=pdf")
    assert pdf["Content-Type"] == "application/pdf"
    bad = client.get("/meetings/discipline/?start=2026-13-01")
    assert bad.status_code == 400
    client.force_login(mp.contact)
    assert client.get("/meetings/discipline/").status_code == 403
