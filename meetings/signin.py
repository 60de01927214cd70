"""The sign-in link behind the QR code shown in the room.

The link carries a token signed with ``django.core.signing`` holding the meeting id and the
sign-in window (``opens``: ``MeetingSettings.signin_opens_minutes`` before the start, ``closes``:
the end), never a person: whoever opens it signs in as the person logged in, and only when
that person is on the attendee list (or is the named substitute). A token is refused when:

- its signature does not match (typed, altered, or from another installation): *invalid*;
- it names another meeting: *invalid*;
- its window is not the meeting's current window (the meeting was moved after the code was
  printed): *stale*;
- now is before the window opens (*not yet*) or after it closes (*expired*).

Lateness is counted from the start: whole minutes after ``starts_at`` (09:03:40 for a 09:00
meeting is 3 minutes late; 09:00:59 is on time).
"""

from __future__ import annotations

import datetime as dt

from django.core import signing
from django.utils import timezone
from django.utils.translation import gettext as _

from office.workflow import WorkflowError

SALT = "zhengban.meetings.signin"


def window(meeting, conf=None) -> tuple[dt.datetime, dt.datetime]:
    from meetings.models import MeetingSettings

    conf = conf or MeetingSettings.load()
    return meeting.starts_at - dt.timedelta(minutes=conf.signin_opens_minutes), meeting.ends_at


def make_token(meeting, conf=None) -> str:
    opens, closes = window(meeting, conf)
    return signing.dumps({"m": meeting.pk, "o": int(opens.timestamp()), "c": int(closes.timestamp())},
                         salt=SALT, compress=False)


def check_token(meeting, token: str, *, now: dt.datetime | None = None, conf=None) -> None:
    """Raise ``WorkflowError`` unless ``token`` opens the sign-in of ``meeting`` now."""
    now = now or timezone.now()
    try:
        data = signing.loads(token or "", salt=SALT)
    except signing.BadSignature:
        raise WorkflowError(_("This sign-in code is not valid. Scan the code shown in the room."),
                            code="token_invalid") from None
    if not isinstance(data, dict) or data.get("m") != meeting.pk:
        raise WorkflowError(_("This sign-in code is not valid. Scan the code shown in the room."),
                            code="token_invalid")
    opens, closes = window(meeting, conf)
    if (data.get("o"), data.get("c")) != (int(opens.timestamp()), int(closes.timestamp())):
        raise WorkflowError(_("This sign-in code is out of date: the meeting has been moved. Scan the "
                              "code shown in the room now."), code="token_stale")
    if now < opens:
        raise WorkflowError(_("Sign-in opens at %(time)s.") % {
            "time": timezone.localtime(opens).strftime("%H:%M")}, code="token_not_yet")
    if now > closes:
        raise WorkflowError(_("Sign-in closed at %(time)s, when the meeting ended.") % {
            "time": timezone.localtime(closes).strftime("%H:%M")}, code="token_expired")


def minutes_late(meeting, at: dt.datetime) -> int:
    """Whole minutes after the start (0 when on time)."""
    return max(0, int((at - meeting.starts_at).total_seconds() // 60))
