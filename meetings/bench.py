"""Meetings in `make bench`: 5,000 meetings (three years, three types, every state) with 50,000
topics and 100,000 attendance rows seeded in bulk; the calendar and meeting pages measured; the
discipline report timed for a month and for a year."""

from __future__ import annotations

import datetime as dt
import random
import time

from config.bench import BENCH_PASSWORD, register

ORGANISER = "bench_meetings"


def seed(size: int, meetings: int | None = None, topics: int | None = None, attendance: int | None = None) -> None:
    """``5 × size`` meetings with ``50 × size`` topics and ``100 × size`` attendance rows (the
    full size 1,000: 5,000 / 50,000 / 100,000)."""
    meetings, topics, attendance = meetings or 5 * size, topics or 50 * size, attendance or 100 * size
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group
    from django.utils import timezone

    from meetings.models import Attendee, Meeting, MeetingSettings, MeetingType, Room, Status, Topic
    from office import roles
    from office.models import Unit, User

    if Meeting.objects.filter(title__startswith="压测会议").exists():
        return
    rng = random.Random(11)
    unit = Unit.objects.filter(code__startswith="B").order_by("pk").first()
    organiser = User.objects.create(username=ORGANISER, full_name="压测办会", unit=unit,
                                    password=make_password(BENCH_PASSWORD))
    organiser.groups.add(Group.objects.get(name=roles.OFFICE_DIRECTOR))
    conf = MeetingSettings.load()
    conf.office_unit = unit
    conf.save()
    people = list(User.objects.filter(username__startswith="bench").exclude(unit=None)
                  .values_list("pk", "unit_id"))
    types = [MeetingType.objects.get_or_create(name=f"压测会议类型{k}", defaults={
        "presiding": organiser, "presiding_title": "县长", "minutes_code": f"压纪{k}",
        "minutes_masthead": f"压测会议纪要{k}"})[0] for k in range(3)]
    rooms = [Room.objects.get_or_create(name=f"压测会议室{k}", defaults={"capacity": 50})[0] for k in range(10)]
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    statuses = [Status.ISSUED] * 6 + [Status.HELD] * 2 + [Status.CANCELLED, Status.PLANNING, Status.NOTIFIED,
                                                            Status.READY, Status.APPROVED]
    rows = []
    for i in range(meetings):
        start = now - dt.timedelta(days=1000) + dt.timedelta(days=i * 1100 // meetings, hours=8 + i % 8)
        status = rng.choice(statuses) if start < now else rng.choice(
            [Status.PLANNING, Status.APPROVED, Status.NOTIFIED, Status.READY])
        rows.append(Meeting(type=types[i % 3], title=f"压测会议{i + 1}", starts_at=start,
                            ends_at=start + dt.timedelta(hours=2), room=rooms[i % len(rooms)],
                            presiding=organiser, created_by=organiser, status=status,
                            topic_deadline=start - dt.timedelta(days=3),
                            notice_sent_at=start - dt.timedelta(days=3)))
    Meeting.objects.bulk_create(rows, batch_size=2000)
    ids = list(Meeting.objects.filter(title__startswith="压测会议").values_list("pk", "starts_at"))
    batch = []
    per = topics // len(ids)
    for pk, start in ids:
        for k in range(per):
            responsible, unit_id = people[(pk * 7 + k) % len(people)]
            batch.append(Topic(meeting_id=pk, title=f"压测议题{pk}-{k}", background="背景。", request="请求。",
                               unit_id=unit_id, submitted_by_id=responsible, status=Topic.Status.ACCEPTED,
                               position=k + 1, submitted_at=start - dt.timedelta(days=5)))
        if len(batch) >= 10_000:
            Topic.objects.bulk_create(batch)
            batch = []
    Topic.objects.bulk_create(batch)
    batch = []
    per = attendance // len(ids)
    for pk, start in ids:
        chosen = rng.sample(people, per)
        for user_id, unit_id in chosen:
            roll = rng.random()
            signed = start - dt.timedelta(minutes=5) if roll < 0.7 else (
                start + dt.timedelta(minutes=rng.randint(1, 20)) if roll < 0.8 else None)
            response = Attendee.Response.LEAVE_APPROVED if 0.8 <= roll < 0.9 else Attendee.Response.ATTENDING
            batch.append(Attendee(meeting_id=pk, user_id=user_id, unit_id=unit_id, response=response,
                                  signed_in_at=signed, signed_in_person_id=user_id if signed else None,
                                  late_minutes=max(0, int((signed - start).total_seconds() // 60)) if signed else 0))
        if len(batch) >= 10_000:
            Attendee.objects.bulk_create(batch)
            batch = []
    Attendee.objects.bulk_create(batch)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE meetings_meeting; ANALYZE meetings_topic; ANALYZE meetings_attendee")


def discipline_timing(size: int) -> dict:
    from django.utils import timezone

    from meetings import discipline

    today = timezone.localdate()
    out = {}
    for label, start in (("month", today.replace(day=1)), ("year", today - dt.timedelta(days=365))):
        started = time.perf_counter()
        report = discipline.report(start, today)
        out[f"{label} s"] = round(time.perf_counter() - started, 3)
        out[f"{label} invited"] = report.total.invited
    started = time.perf_counter()
    discipline.report_workbook(discipline.report(today.replace(day=1), today))
    out["month xlsx s"] = round(time.perf_counter() - started, 3)
    return out


def _a_held_meeting() -> str:
    from meetings.models import Meeting

    meeting = Meeting.objects.filter(title__startswith="压测会议", status="issued").order_by("-starts_at").first()
    return meeting.get_absolute_url()


register(seeder=("meetings", seed))
register(operation=("meetings discipline report", discipline_timing))
register(page=("meetings calendar (month, all)", "/meetings/calendar/?scope=all", ORGANISER))
register(page=("meetings calendar (week, all)", "/meetings/calendar/?view=week&scope=all", ORGANISER))
register(page=("meetings list (all)", "/meetings/?scope=all", ORGANISER))
register(page=("meeting page", _a_held_meeting, ORGANISER))
register(page=("meetings discipline (month)", "/meetings/discipline/", ORGANISER))
