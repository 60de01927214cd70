"""Invitations, updates and cancellations share one UID with a rising SEQUENCE; the personal feed
lives behind a secret link that can be replaced."""

import datetime as dt

import icalendar
import pytest
from django.core import mail
from django.utils import timezone

from meetings import workflow
from meetings.models import CalendarFeed
from office import notify
from office.models import Notification

pytestmark = pytest.mark.django_db


def _event(notification):
    cal = icalendar.Calendar.from_ical(bytes(notification.attachment_data))
    [event] = cal.walk("VEVENT")
    return cal, event


def test_notice_update_and_cancellation_carry_the_same_uid_and_a_higher_sequence(mp, staged):
    meeting = staged("notified")
    notice = Notification.objects.get(recipient=mp.director, title__startswith="会议通知")
    cal, event = _event(notice)
    assert (str(cal["method"]), int(event["sequence"])) == ("REQUEST", 0)
    uid = str(event["uid"])
    new_start = meeting.starts_at + dt.timedelta(days=1)
    workflow.move(meeting=meeting, acting_user=mp.organiser, starts_at=new_start,
                  ends_at=new_start + dt.timedelta(hours=2), room=mp.room2, reason="与市里会议冲突")
    update = Notification.objects.get(recipient=mp.director, title__startswith="会议改期")
    cal, event = _event(update)
    assert (str(cal["method"]), str(event["uid"]), int(event["sequence"])) == ("REQUEST", uid, 1)
    assert event.decoded("dtstart") == new_start and str(event["location"]) == "二号会议室"
    workflow.cancel(meeting=meeting, acting_user=mp.organiser, reason="取消")
    cancel = Notification.objects.get(recipient=mp.director, title__startswith="会议取消")
    cal, event = _event(cancel)
    assert (str(cal["method"]), str(event["uid"]), int(event["sequence"]), str(event["status"])) == (
        "CANCEL", uid, 2, "CANCELLED")


def test_the_email_carries_the_invitation(mp, staged, settings):
    meeting = staged("notified")
    notification = Notification.objects.get(recipient=mp.director, title__startswith="会议通知")
    mail.outbox.clear()
    assert notify.deliver_email(notification.pk) is True
    [message] = mail.outbox
    [(name, content, mimetype)] = message.attachments
    assert name == "invite.ics" and mimetype.startswith("text/calendar")
    assert meeting.title in (content if isinstance(content, str) else content.decode())


def test_the_feed_lists_my_meetings_behind_a_secret_that_can_be_replaced(mp, staged, client):
    mine = staged("notified")
    client.force_login(mp.director)
    client.post("/meetings/calendar/link/")
    token = CalendarFeed.objects.get(user=mp.director).token
    client.logout()
    response = client.get(f"/meetings/feed/{token}.ics")  # no login: calendar programs cannot log in
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    cal = icalendar.Calendar.from_ical(response.content)
    assert [str(e["summary"]) for e in cal.walk("VEVENT")] == [mine.title]
    assert client.get("/meetings/feed/not-a-token.ics").status_code == 404
    client.force_login(mp.director)
    client.post("/meetings/calendar/link/")
    client.logout()
    assert client.get(f"/meetings/feed/{token}.ics").status_code == 404
    fresh = CalendarFeed.objects.get(user=mp.director).token
    assert client.get(f"/meetings/feed/{fresh}.ics").status_code == 200
    # someone else's feed does not show my meetings
    client.force_login(mp.contact)
    client.post("/meetings/calendar/link/")
    client.logout()
    other = client.get(f"/meetings/feed/{CalendarFeed.objects.get(user=mp.contact).token}.ics")
    assert icalendar.Calendar.from_ical(other.content).walk("VEVENT") == []


def test_the_calendar_month_and_week(mp, staged, client):
    meeting = staged("notified")
    day = timezone.localdate(meeting.starts_at)
    client.force_login(mp.director)
    month = client.get(f"/meetings/calendar/?view=month&date={day}").content.decode()
    assert month.count('data-testid="calendar-meeting"') == 1 and meeting.title in month
    week = client.get(f"/meetings/calendar/?view=week&date={day}").content.decode()
    assert meeting.title in week
    client.force_login(mp.contact)  # the unit's topic is on it, but the contact neither attends nor organises
    assert 'data-testid="calendar-meeting"' not in client.get(f"/meetings/calendar/?date={day}").content.decode()
    assert client.get("/meetings/calendar/?date=99999-01-01").status_code == 200
