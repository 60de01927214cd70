"""Reminders before a meeting go through the core's two-phase sweep: planned once, re-checked when
sent. A move re-plans them and none goes out for the old time; a meeting moved into the past or
cancelled sends none; a person taken off the list (or on approved leave) gets none."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from meetings import reminders, workflow
from meetings.models import Meeting, MeetingReminder, MeetingSettings
from office.models import Notification

pytestmark = pytest.mark.django_db


def _reminded(meeting=None):
    qs = Notification.objects.filter(kind="meeting-reminder")
    return sorted(qs.values_list("recipient__username", flat=True))


@pytest.fixture
def noticed(mp, staged):
    """A meeting three days ahead whose notice went out; answers: director attends, vice asks
    for leave (undecided), vice2 sends chief."""
    start = timezone.localtime(timezone.now() + dt.timedelta(days=3)).replace(hour=9, minute=0, second=0,
                                                                              microsecond=0)
    meeting = staged("notified", start=start)
    Meeting.objects.filter(pk=meeting.pk).update(notice_sent_at=timezone.now() - dt.timedelta(days=1))
    meeting.refresh_from_db()
    return meeting


def _soon(meeting):
    return meeting.starts_at - dt.timedelta(minutes=MeetingSettings.load().reminder_minutes_before - 1)


def test_one_reminder_per_expected_person_and_none_twice(mp, noticed):
    result = reminders.sweep(now=_soon(noticed))
    # the substitute instead of vice2; vice's leave is not decided, so still expected
    assert _reminded() == ["chief", "director", "vice"]
    assert (result.planned, result.sent) == (3, 3)
    again = reminders.sweep(now=_soon(noticed) + dt.timedelta(minutes=5))
    assert (again.planned, again.sent) == (0, 0)
    assert _reminded() == ["chief", "director", "vice"]
    assert noticed.events.filter(kind="reminder").count() == 3


def test_nothing_is_due_before_its_time(mp, noticed):
    result = reminders.sweep(now=noticed.starts_at - dt.timedelta(days=2, hours=12))
    assert (result.planned, result.sent) == (0, 0)


def test_after_downtime_only_the_latest_reminder_goes_out(mp, noticed):
    result = reminders.sweep(now=_soon(noticed))  # the eve reminder's time passed too
    assert set(MeetingReminder.objects.values_list("kind", flat=True)) == {"soon"}
    assert result.sent == 3


def test_the_eve_reminder_then_the_soon_one(mp, noticed):
    conf = MeetingSettings.load()
    eve_day = mp.cal.add_working_days(timezone.localdate(noticed.starts_at), -1)
    eve = timezone.make_aware(dt.datetime.combine(eve_day, conf.eve_reminder_time))
    assert reminders.sweep(now=eve + dt.timedelta(minutes=1)).sent == 3
    assert reminders.sweep(now=_soon(noticed)).sent == 3
    assert sorted(MeetingReminder.objects.values_list("kind", flat=True)) == ["eve"] * 3 + ["soon"] * 3


def test_a_moved_meeting_gets_no_reminder_for_its_old_time(mp, noticed):
    old_soon = _soon(noticed)
    planned = reminders.plan(now=old_soon)
    assert planned == 3
    workflow.move(meeting=noticed, acting_user=mp.organiser, starts_at=noticed.starts_at + dt.timedelta(days=2),
                  ends_at=noticed.ends_at + dt.timedelta(days=2), room=mp.room, reason="领导另有安排")
    result = reminders.deliver(now=old_soon)
    assert (result.sent, result.skipped) == (0, {"rescheduled": 3})
    assert _reminded() == []
    noticed.refresh_from_db()
    result = reminders.sweep(now=_soon(noticed))
    assert result.sent == 3
    assert set(MeetingReminder.objects.filter(sent_at__isnull=False).values_list("starts_at", flat=True)) == {
        noticed.starts_at}


def test_a_meeting_moved_into_the_past_sends_none(mp, noticed):
    reminders.plan(now=_soon(noticed))
    past = timezone.now() - dt.timedelta(hours=3)
    workflow.move(meeting=noticed, acting_user=mp.organiser, starts_at=past, ends_at=past + dt.timedelta(hours=1),
                  room=mp.room2, reason="补录：会议已提前召开")
    result = reminders.sweep(now=timezone.now())
    assert (result.planned, result.sent) == (0, 0)
    assert result.skipped == {"rescheduled": 3}
    assert _reminded() == []


def test_a_meeting_that_started_gets_none_even_if_planned(mp, noticed):
    reminders.plan(now=_soon(noticed))
    result = reminders.deliver(now=noticed.starts_at + dt.timedelta(minutes=1))
    assert result.skipped == {"past": 3}


def test_a_cancelled_meeting_sends_none(mp, noticed):
    reminders.plan(now=_soon(noticed))
    workflow.cancel(meeting=noticed, acting_user=mp.organiser, reason="取消")
    result = reminders.sweep(now=_soon(noticed))
    assert (result.planned, result.sent, result.skipped) == (0, 0, {"not_upcoming": 3})


def test_a_person_removed_after_planning_gets_none(mp, noticed):
    reminders.plan(now=_soon(noticed))
    director = noticed.attendees.get(user=mp.director)
    workflow.remove_attendee(meeting=noticed, acting_user=mp.organiser, attendee=director)
    result = reminders.deliver(now=_soon(noticed))
    assert result.skipped == {"not_attending": 1}
    assert _reminded() == ["chief", "vice"]


def test_approved_leave_after_planning_stops_the_reminder(mp, noticed):
    reminders.plan(now=_soon(noticed))
    leave = noticed.attendees.get(user=mp.vice)
    workflow.decide_leave(meeting=noticed, acting_user=mp.leader, attendee=leave, approve=True)
    result = reminders.deliver(now=_soon(noticed))
    assert (result.sent, result.skipped) == (2, {"not_attending": 1})
    assert _reminded() == ["chief", "director"]


def test_an_inactive_person_gets_none(mp, noticed):
    reminders.plan(now=_soon(noticed))
    mp.director.is_active = False
    mp.director.save(update_fields=["is_active"])
    result = reminders.deliver(now=_soon(noticed))
    assert result.skipped == {"recipient_inactive": 1}


def test_the_operator_command_runs_the_sweep(mp, noticed, capsys):
    at = timezone.localtime(_soon(noticed)).strftime("%Y-%m-%d %H:%M")
    call_command("run_meeting_reminders", "--at", at)
    assert "planned 3, sent 3" in capsys.readouterr().out
