"""Reminders before a meeting (Celery beat every 5 minutes; ``manage.py run_meeting_reminders``),
through the core's two-phase sweep (``office.sweeps``):

1. **plan**: for every meeting whose notice went out and that has not started (status notified
   or ready), each person expected in the room — the attendees not taken off the list and not
   on approved leave, or the substitute they named — gets at most one reminder per kind:
   ``eve`` (on the working day before the meeting's day, at ``MeetingSettings.eve_reminder_time``)
   and ``soon`` (``reminder_minutes_before`` the start). Only occurrences that are due (their
   time has come) and that fall after the notice are stored, and only the latest one per person:
   after downtime one reminder goes out, not two. The unique key is (meeting, person, kind, the
   meeting's start): planning twice stores nothing new, and a moved meeting gets new rows.
2. **deliver**: each pending reminder is checked again when it would go out and dropped with a
   reason when the meeting was cancelled or held (``not_upcoming``), moved
   (``rescheduled``: its start is not the one it was planned for), is already under way or in
   the past (``past``), when the person is no longer expected (``not_attending``: taken off
   the list, leave approved, replaced by a substitute), is inactive, or when a later reminder
   for the same person supersedes it.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from meetings.models import NOTICED, Attendee, Event, Meeting, MeetingReminder, MeetingSettings
from office import sweeps
from office.models import User
from office.notify import Msg
from office.workdays import WorkCalendar

A = Attendee.Response
HORIZON = dt.timedelta(days=15)


def expected_people(attendees) -> dict[int, Attendee]:
    """{user id: attendee row} of the people expected in the room: each current attendee not on
    approved leave, or the substitute they named."""
    people = {}
    for a in attendees:
        if a.removed_at is not None or a.response == A.LEAVE_APPROVED:
            continue
        person = a.substitute_id if a.response == A.SUBSTITUTE and a.substitute_id else a.user_id
        people[person] = a
    return people


def occurrences(meeting: Meeting, cal: WorkCalendar, conf: MeetingSettings) -> list[tuple[str, dt.datetime]]:
    """(kind, due time) of the meeting's reminders, earliest first."""
    day = timezone.localdate(meeting.starts_at)
    eve_day = cal.add_working_days(day, -1)
    eve = timezone.make_aware(dt.datetime.combine(eve_day, conf.eve_reminder_time))
    soon = meeting.starts_at - dt.timedelta(minutes=conf.reminder_minutes_before)
    result = []
    if eve < soon:
        result.append((MeetingReminder.Kind.EVE, eve))
    result.append((MeetingReminder.Kind.SOON, soon))
    return result


def plan(*, now: dt.datetime | None = None, cal: WorkCalendar | None = None) -> int:
    """Store the reminders due now (phase 1). Returns how many new rows were stored."""
    now = now or timezone.now()
    cal = cal or WorkCalendar.load()
    conf = MeetingSettings.load()
    meetings = list(Meeting.objects.filter(status__in=list(NOTICED), notice_sent_at__isnull=False,
                                           starts_at__gt=now, starts_at__lte=now + HORIZON))
    if not meetings:
        return 0
    attendees: dict[int, list[Attendee]] = {}
    for a in Attendee.objects.filter(meeting__in=meetings, removed_at__isnull=True):
        attendees.setdefault(a.meeting_id, []).append(a)
    rows = []
    for meeting in meetings:
        due = [(kind, at) for kind, at in occurrences(meeting, cal, conf)
               if meeting.notice_sent_at <= at <= now]
        if not due:
            continue
        kind, at = due[-1]
        for person in expected_people(attendees.get(meeting.pk, [])):
            rows.append(MeetingReminder(meeting=meeting, recipient_id=person, kind=kind, due_at=at,
                                        starts_at=meeting.starts_at))
    return sweeps.store_planned(MeetingReminder, rows)


def _message(meeting: Meeting) -> tuple[Msg, str]:
    start = timezone.localtime(meeting.starts_at)
    title = Msg(N_("Reminder: %(title)s at %(time)s"), title=meeting.title, time=start.strftime("%m-%d %H:%M"))
    return title, _("Place: %(place)s.") % {"place": meeting.place}


def _judge(now: dt.datetime):
    def judge(rows: list[MeetingReminder]) -> dict:
        meetings = Meeting.objects.select_related("room").in_bulk({r.meeting_id for r in rows})
        attendees: dict[int, list[Attendee]] = {}
        for a in Attendee.objects.filter(meeting_id__in=meetings):
            attendees.setdefault(a.meeting_id, []).append(a)
        expected = {pk: expected_people(rows_) for pk, rows_ in attendees.items()}
        active = set(User.objects.filter(pk__in={r.recipient_id for r in rows}, is_active=True)
                     .values_list("pk", flat=True))
        latest = {(m, u): d for m, u, d in MeetingReminder.objects.filter(meeting_id__in=meetings)
                  .order_by().values("meeting_id", "recipient_id").annotate(d=Max("due_at"))
                  .values_list("meeting_id", "recipient_id", "d")}
        verdicts, seen = {}, set()
        for r in rows:
            meeting = meetings.get(r.meeting_id)
            pair = (r.meeting_id, r.recipient_id)
            if meeting is None or meeting.status not in NOTICED:
                verdicts[r.pk] = "not_upcoming"
            elif meeting.starts_at != r.starts_at:
                verdicts[r.pk] = "rescheduled"
            elif meeting.starts_at <= now:
                verdicts[r.pk] = "past"
            elif r.recipient_id not in expected.get(meeting.pk, {}):
                verdicts[r.pk] = "not_attending"
            elif r.recipient_id not in active:
                verdicts[r.pk] = "recipient_inactive"
            elif pair in seen or r.due_at < latest[pair]:
                verdicts[r.pk] = "superseded"
            else:
                seen.add(pair)
                title, body = _message(meeting)
                verdicts[r.pk] = {"recipient_id": r.recipient_id, "key": f"meeting-reminder:{r.pk}",
                                  "title": title, "body": body, "url": meeting.get_absolute_url(),
                                  "kind": "meeting-reminder"}
        return verdicts

    return judge


def _timeline(rows: list[MeetingReminder], now) -> None:
    Event.objects.bulk_create([Event(meeting_id=r.meeting_id, kind="reminder", created_at=now,
                                     data={"recipient": r.recipient_id, "reminder": r.pk, "kind": r.kind})
                               for r in rows])


def deliver(*, now: dt.datetime | None = None) -> sweeps.Delivery:
    """Send the pending reminders (phase 2), checking each again first."""
    now = now or timezone.now()
    return sweeps.deliver(MeetingReminder.objects.all(), order_by=("meeting_id", "recipient_id", "-due_at", "-pk"),
                          judge=_judge(now), after=_timeline)


def sweep(*, now: dt.datetime | None = None) -> sweeps.Delivery:
    """Plan, then deliver. Idempotent; safe to run concurrently with itself."""
    now = now or timezone.now()
    planned = plan(now=now)
    result = deliver(now=now)
    result.planned = planned
    return result
