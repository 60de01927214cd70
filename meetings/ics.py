"""iCalendar (RFC 5545) for meetings, with the ``icalendar`` library.

One meeting is one VEVENT with one UID for its whole life (``uid(meeting)``); its SEQUENCE is
``Meeting.sequence``, raised by every move and by the cancellation, so a calendar program that
received the invitation replaces it with the update, or removes it on the cancellation:

- ``invitation(meeting, user)``: METHOD:REQUEST (the notice, and every update after a move);
- ``cancellation(meeting, user)``: METHOD:CANCEL, STATUS:CANCELLED (a cancelled meeting, or a
  person taken off the list);
- ``feed(meetings, name)``: a person's subscription feed (no METHOD), cancelled meetings kept as
  STATUS:CANCELLED so subscribed calendars drop them.

Times are written in UTC ("Z"), which every client converts to its own zone.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

import icalendar
from django.conf import settings
from django.utils import timezone

from office.notify import Attachment

PRODID = "-//Zhengban//Meetings//ZH"


def uid(meeting) -> str:
    host = urlsplit(settings.SITE_URL).hostname or "zhengban"
    return f"meeting-{meeting.pk}@{host}"


def _utc(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(dt.UTC)


def _office_name() -> str:
    from office.models import OfficeSettings

    return OfficeSettings.load().office_name


def _event(meeting, *, cancelled: bool = False, attendee=None, organiser: str = "") -> icalendar.Event:
    event = icalendar.Event()
    event.add("uid", uid(meeting))
    event.add("sequence", meeting.sequence)
    event.add("dtstamp", _utc(timezone.now()))
    event.add("dtstart", _utc(meeting.starts_at))
    event.add("dtend", _utc(meeting.ends_at))
    event.add("summary", meeting.title)
    if meeting.place:
        event.add("location", meeting.place)
    event.add("url", f"{settings.SITE_URL}{meeting.get_absolute_url()}")
    event.add("description", f"{meeting.type} · {meeting.presiding.get_full_name()}")
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    if organiser:
        address = icalendar.vCalAddress(f"mailto:{settings.DEFAULT_FROM_EMAIL}")
        address.params["cn"] = icalendar.vText(organiser)
        event.add("organizer", address)
    if attendee is not None and attendee.email:
        address = icalendar.vCalAddress(f"mailto:{attendee.email}")
        address.params["cn"] = icalendar.vText(attendee.get_full_name())
        address.params["role"] = icalendar.vText("REQ-PARTICIPANT")
        event.add("attendee", address)
    return event


def _calendar(method: str = "") -> icalendar.Calendar:
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    if method:
        cal.add("method", method)
    return cal


def invitation(meeting, user) -> bytes:
    cal = _calendar("REQUEST")
    cal.add_component(_event(meeting, attendee=user, organiser=_office_name()))
    return cal.to_ical()


def cancellation(meeting, user) -> bytes:
    cal = _calendar("CANCEL")
    cal.add_component(_event(meeting, cancelled=True, attendee=user, organiser=_office_name()))
    return cal.to_ical()


def invitation_attachment(meeting, user) -> Attachment:
    return Attachment("invite.ics", "text/calendar; method=REQUEST; charset=utf-8", invitation(meeting, user))


def cancellation_attachment(meeting, user) -> Attachment:
    return Attachment("cancel.ics", "text/calendar; method=CANCEL; charset=utf-8", cancellation(meeting, user))


def feed(meetings, name: str) -> bytes:
    from meetings.models import Status

    cal = _calendar()
    cal.add("x-wr-calname", name)
    for meeting in meetings:
        cal.add_component(_event(meeting, cancelled=meeting.status == Status.CANCELLED))
    return cal.to_ical()
