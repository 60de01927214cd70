"""The meeting workflow: one transition table and one function per step.

Every step is keyword-only with ``acting_user=``, runs in one transaction, locks the meeting row
(so two people clicking the same step at once produce one transition), refuses an illegal step
with a ``WorkflowError`` that says why (and the refusal is audited), writes an ``Event`` (the
meeting's timeline) and an audit record, and stores notifications whose e-mails go out after the
commit. Who may take which step is decided in ``meetings.permissions``.

Before (会前): ``create_meeting`` (books the room), ``submit_topic`` / ``withdraw_topic`` /
``allow_late_topic`` / ``screen_topic``, ``order_agenda``, ``add_attendees`` /
``remove_attendee``, ``submit_for_approval`` → ``approve`` (or ``return_for_revision``),
``send_notice`` (inbox + e-mail with an .ics invitation), ``answer`` / ``decide_leave``,
``upload_materials``, ``tick_checklist``, ``mark_ready`` (不开无准备的会: refused until every
accepted topic has materials and the checklist is complete), ``move`` and ``cancel`` (an update
or a cancellation with the same UID goes to everyone notified).

During (会中): ``sign_in`` (the QR link, ``meetings.signin``), ``mark_present`` (the clerk),
``record_minutes``, ``add_decision``, ``conclude``.

After (会后): ``draft_summary`` → ``edit_summary`` → ``submit_summary`` → ``review_summary`` →
``sign_summary`` (numbered per type and year, the 纪要), ``supervise_decision`` /
``open_items`` (decisions become supervision items, once each), ``record_conveyance``,
``add_feedback``, ``mark_returned``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

from django.db import IntegrityError, transaction
from django.db.models import F, Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from meetings import ics, permissions, signin
from meetings.models import (
    AFTER,
    NOTICED,
    UPCOMING,
    Attendee,
    ChecklistItem,
    Conveyance,
    Decision,
    Event,
    Feedback,
    Material,
    MaterialOpen,
    Meeting,
    MeetingCheck,
    MeetingSettings,
    MeetingType,
    Room,
    RoomBooking,
    Status,
    Summary,
    Topic,
)
from office import audit, dates, notify, numbering
from office.models import Unit, User
from office.notify import Msg
from office.uploads import UploadPolicy, check_uploads
from office.workdays import WorkCalendar
from office.workflow import WorkflowError, audited_step, require_text

S = Status
A = Attendee.Response

# what meeting materials may be
ATTACHMENTS = UploadPolicy(
    suffixes=frozenset({".pdf", ".ofd", ".doc", ".docx", ".wps", ".xls", ".xlsx", ".jpg", ".jpeg",
                        ".png", ".txt"}),
    max_bytes=50 * 1024 * 1024)

MAX_DURATION = dt.timedelta(hours=12)
LOOKBACK = dt.timedelta(days=366)
LOOKAHEAD = dt.timedelta(days=2 * 366)

# step -> (statuses it may start from, status it leads to; None keeps the status)
TRANSITIONS: dict[str, tuple[frozenset[str], str | None]] = {
    "move": (frozenset(UPCOMING), None),
    "cancel": (frozenset(UPCOMING), S.CANCELLED),
    "add_attendees": (frozenset(UPCOMING), None),
    "remove_attendee": (frozenset(UPCOMING), None),
    "order_agenda": (frozenset({S.PLANNING}), None),
    "submit_for_approval": (frozenset({S.PLANNING}), S.PENDING_APPROVAL),
    "approve": (frozenset({S.PENDING_APPROVAL}), S.APPROVED),
    "return_for_revision": (frozenset({S.PENDING_APPROVAL, S.APPROVED}), S.PLANNING),
    "send_notice": (frozenset({S.APPROVED}), S.NOTIFIED),
    "answer": (frozenset(NOTICED), None),
    "decide_leave": (frozenset(NOTICED), None),
    "upload_materials": (frozenset(UPCOMING), None),
    "check": (frozenset(UPCOMING), None),
    "mark_ready": (frozenset({S.NOTIFIED}), S.READY),
    "mark_present": (frozenset({S.READY, S.HELD}), None),
    "record_minutes": (frozenset({S.READY, S.HELD}), None),
    "add_decision": (frozenset({S.READY, S.HELD}), None),
    "conclude": (frozenset({S.READY}), S.HELD),
    "draft_summary": (frozenset({S.HELD}), None),
    "edit_summary": (frozenset({S.HELD}), None),
    "submit_summary": (frozenset({S.HELD}), None),
    "review_summary": (frozenset({S.HELD}), None),
    "sign_summary": (frozenset({S.HELD}), S.ISSUED),
    "open_items": (frozenset(AFTER), None),
    "record_conveyance": (frozenset(AFTER), None),
    "add_feedback": (frozenset(AFTER), None),
    "mark_returned": (frozenset(AFTER), None),
}


# --- plumbing ----------------------------------------------------------------------------

def step(name: str, target: str = "meeting"):
    """Atomic; a refusal is audited as a failure on the meeting (or topic, attendee ...)."""
    return audited_step(f"meetings.{name}", target_kwarg=target)


def _lock(meeting: Meeting) -> Meeting:
    return Meeting.objects.select_for_update(of=("self",)).select_related("type", "room", "presiding").get(
        pk=meeting.pk)


def _check(step_name: str, meeting: Meeting, user, viewer: permissions.Viewer | None = None) -> str | None:
    sources, target = TRANSITIONS[step_name]
    viewer = viewer or permissions.Viewer(meeting, user)
    if not viewer.may(step_name):
        raise WorkflowError(_("You may not take this step on this meeting."), code="forbidden")
    if meeting.status not in sources:
        raise WorkflowError(_("This step is not possible while the meeting is “%(status)s”.")
                            % {"status": meeting.get_status_display()}, code="wrong_status")
    return target


def _event(meeting: Meeting, kind: str, user, *, from_status: str = "", to_status: str = "",
           note: str = "", data: dict | None = None) -> Event:
    return Event.objects.create(meeting=meeting, kind=kind, actor=user, from_status=from_status,
                                to_status=to_status, note=note, data=data or {})


def _move_status(meeting: Meeting, user, step_name: str, *, note: str = "", data: dict | None = None,
                 extra_fields: Iterable[str] = ()) -> Event:
    """Check the step, change the status, save, and write the event and the audit record."""
    target = _check(step_name, meeting, user)
    previous = meeting.status
    fields = list(extra_fields)
    if target is not None:
        meeting.status = target
        fields.append("status")
    if fields:
        meeting.save(update_fields=fields)
    if previous != meeting.status:  # the approval asked for is done (approved, returned, cancelled)
        notify.resolve([f"meeting:{meeting.pk}:approve"], by=user)
    event = _event(meeting, step_name, user, from_status=previous, to_status=meeting.status, note=note,
                   data=data)
    audit.record(f"meetings.{step_name}", actor=user, obj=meeting,
                 detail={"from": previous, "to": meeting.status, **(data or {})})
    return event


def _record(meeting: Meeting, user, step_name: str, *, note: str = "", data: dict | None = None,
            obj=None) -> Event:
    """An event and an audit record for a step that keeps the status."""
    event = _event(meeting, step_name, user, note=note, data=data)
    audit.record(f"meetings.{step_name}", actor=user, obj=obj or meeting, detail=data or {})
    return event


def _notify(event: Event, user_ids: Iterable, title: Msg, body: str = "", *,
            attachment: Callable | None = None, include_actor: bool = False, task: str = "") -> int:
    """Notify each recipient once per event; ``attachment(user)`` gives the e-mail's file;
    ``task`` the action asked for (``notify.resolve`` when it is done, by whoever does it)."""
    ids = {pk for pk in user_ids if pk and (include_actor or pk != event.actor_id)}
    count = 0
    for user in User.objects.filter(pk__in=ids, is_active=True).order_by("pk"):
        created = notify.notify(user, key=f"meeting:{event.pk}:{user.pk}", title=title, body=body,
                                url=event.meeting.get_absolute_url(), kind="meeting", task=task,
                                attachment=attachment(user) if attachment else None)
        count += created is not None
    return count


def _when(meeting: Meeting) -> str:
    start, end = timezone.localtime(meeting.starts_at), timezone.localtime(meeting.ends_at)
    return f"{start:%Y-%m-%d %H:%M}–{end:%H:%M}" if start.date() == end.date() else \
        f"{start:%Y-%m-%d %H:%M}–{end:%Y-%m-%d %H:%M}"


def _organisers(meeting: Meeting) -> set[int]:
    ids = {meeting.created_by_id}
    if meeting.clerk_id:
        ids.add(meeting.clerk_id)
    return ids


def _screeners() -> set[int]:
    from office import roles

    conf = MeetingSettings.load()
    q = Q(groups__name=roles.OFFICE_DIRECTOR)
    if conf.office_unit_id:
        q |= Q(groups__name=roles.SECTION_CHIEF, unit_id=conf.office_unit_id)
    return set(User.objects.filter(q, is_active=True).values_list("pk", flat=True))


def current_attendees(meeting: Meeting):
    return meeting.attendees.filter(removed_at__isnull=True)


def people_to_inform(meeting: Meeting) -> set[int]:
    """Everyone a change of time or place concerns: current attendees and named substitutes."""
    ids = set()
    for user_id, substitute_id, response in current_attendees(meeting).values_list(
            "user_id", "substitute_id", "response"):
        ids.add(user_id)
        if response == A.SUBSTITUTE and substitute_id:
            ids.add(substitute_id)
    return ids


def _check_times(starts_at: dt.datetime, ends_at: dt.datetime) -> None:
    if starts_at is None or ends_at is None:
        raise WorkflowError(_("Give the start and the end."), code="required")
    if ends_at <= starts_at:
        raise WorkflowError(_("The meeting must end after it starts."), code="invalid")
    if ends_at - starts_at > MAX_DURATION:
        raise WorkflowError(_("A meeting lasts at most 12 hours."), code="invalid")
    now = timezone.now()
    if starts_at < now - LOOKBACK or starts_at > now + LOOKAHEAD:
        raise WorkflowError(_("Choose a start within a year back and two years ahead."), code="invalid")


def day_off_flag(meeting: Meeting, cal: WorkCalendar) -> bool:
    """Whether the meeting falls on a day off (a weekend or a holiday, 调休 counted)."""
    return not cal.is_working_day(timezone.localdate(meeting.starts_at))


def default_topic_deadline(meeting_type: MeetingType, starts_at: dt.datetime, cal: WorkCalendar) -> dt.datetime:
    """The close of office hours ``topic_working_days`` working days before the meeting's day."""
    day = cal.add_working_days(timezone.localdate(starts_at), -meeting_type.topic_working_days)
    return timezone.make_aware(dt.datetime.combine(day, cal.work_ends))


def notice_working_days(meeting: Meeting, cal: WorkCalendar, today: dt.date | None = None) -> int:
    """Working days between today (the notice) and the meeting's day, through the calendar."""
    return cal.working_days_between(today or timezone.localdate(), timezone.localdate(meeting.starts_at))


# --- rooms ---------------------------------------------------------------------------------

def _conflict_message(room: Room, starts_at, ends_at, exclude_meeting=None) -> str:
    qs = RoomBooking.objects.filter(room=room, status=RoomBooking.Status.ACTIVE, starts_at__lt=ends_at,
                                    ends_at__gt=starts_at).select_related("meeting")
    if exclude_meeting is not None:
        qs = qs.exclude(meeting=exclude_meeting)
    other = qs.first()
    if other is None:
        return _("%(room)s is already booked at that time.") % {"room": room}
    return _("%(room)s is already booked at that time for “%(meeting)s” (%(when)s).") % {
        "room": room, "meeting": other.meeting.title, "when": _when(other.meeting)}


def _book(meeting: Meeting, room: Room | None, user) -> None:
    """Hold ``room`` for the meeting's time (cancelling any other active booking of it). The
    database refuses an overlap (migration 0002); the refusal becomes a ``WorkflowError``."""
    active = meeting.bookings.filter(status=RoomBooking.Status.ACTIVE).first()
    if room is None:
        if active is not None:
            active.status, active.cancelled_at = RoomBooking.Status.CANCELLED, timezone.now()
            active.save(update_fields=["status", "cancelled_at"])
        return
    if not room.is_active:
        raise WorkflowError(_("%(room)s is not in use.") % {"room": room}, code="invalid")
    try:
        with transaction.atomic():
            if active is not None:
                active.room, active.starts_at, active.ends_at = room, meeting.starts_at, meeting.ends_at
                active.save(update_fields=["room", "starts_at", "ends_at"])
            else:
                RoomBooking.objects.create(room=room, meeting=meeting, starts_at=meeting.starts_at,
                                           ends_at=meeting.ends_at, created_by=user)
    except IntegrityError as exc:
        if "meetings_booking_no_overlap" not in str(exc):
            raise
        raise WorkflowError(_conflict_message(room, meeting.starts_at, meeting.ends_at, meeting),
                            code="room_taken") from None


def free_rooms(starts_at, ends_at, exclude_meeting=None):
    """Active rooms with no active booking overlapping [starts_at, ends_at)."""
    busy = RoomBooking.objects.filter(status=RoomBooking.Status.ACTIVE, starts_at__lt=ends_at,
                                      ends_at__gt=starts_at)
    if exclude_meeting is not None:
        busy = busy.exclude(meeting=exclude_meeting)
    return Room.objects.filter(is_active=True).exclude(pk__in=busy.values("room_id"))


# --- before: the meeting -------------------------------------------------------------------

def create_meeting(*, acting_user, type: MeetingType, title: str, starts_at: dt.datetime,
                   ends_at: dt.datetime, room: Room | None = None, location: str = "",
                   presiding: User | None = None, clerk: User | None = None,
                   topic_deadline: dt.datetime | None = None) -> Meeting:
    """Create a meeting of ``type`` (collecting topics), book its room, invite the type's default
    attendees. Organisers only. Atomic and audited (a refusal too)."""
    try:
        with transaction.atomic():
            return _create_meeting(acting_user=acting_user, type=type, title=title, starts_at=starts_at,
                                   ends_at=ends_at, room=room, location=location, presiding=presiding,
                                   clerk=clerk, topic_deadline=topic_deadline)
    except WorkflowError as exc:
        audit.record("meetings.create", actor=acting_user, result="failure",
                     detail={"reason": exc.message, "title": title})
        raise


def _create_meeting(*, acting_user, type, title, starts_at, ends_at, room, location, presiding, clerk,
                    topic_deadline) -> Meeting:
    if not permissions.is_organiser(acting_user):
        raise WorkflowError(_("Only the meeting office and the office directors organise meetings."),
                            code="forbidden")
    title = require_text(title, _("A title is required."))
    if type is None or not type.is_active:
        raise WorkflowError(_("Choose a meeting type."), code="required")
    _check_times(starts_at, ends_at)
    location = (location or "").strip()
    if room is None and not location:
        raise WorkflowError(_("Choose a room or give the place."), code="required")
    presiding = presiding or type.presiding
    if presiding is None:
        raise WorkflowError(_("Name the presiding leader."), code="required")
    cal = WorkCalendar.load()
    meeting = Meeting.objects.create(
        type=type, title=title, starts_at=starts_at, ends_at=ends_at, room=room, location=location,
        presiding=presiding, clerk=clerk, created_by=acting_user,
        topic_deadline=topic_deadline or default_topic_deadline(type, starts_at, cal))
    _book(meeting, room, acting_user)
    added = _invite(meeting, [(u, Attendee.Kind.ATTEND, u.unit_id) for u in type.default_attendees.all()]
                    + [(u, Attendee.Kind.OBSERVE, u.unit_id) for u in type.default_observers.all()]
                    + [(unit.head, Attendee.Kind.OBSERVE, unit.pk)
                       for unit in type.default_observer_units.select_related("head") if unit.head_id])
    event = _event(meeting, "create", acting_user, to_status=meeting.status,
                   data={"attendees": len(added), "day_off": day_off_flag(meeting, cal)})
    audit.record("meetings.create", actor=acting_user, obj=meeting,
                 detail={"starts_at": meeting.starts_at.isoformat(), "room": str(room or location)})
    if meeting.presiding_id != acting_user.pk:
        _notify(event, [meeting.presiding_id], Msg(N_("Meeting planned: %(title)s"), title=title),
                _when(meeting))
    return meeting


def _invite(meeting: Meeting, people: list[tuple]) -> list[Attendee]:
    """Add (user, kind, unit id) rows; a removed person comes back; a current one is left alone."""
    existing = {a.user_id: a for a in meeting.attendees.all()}
    added = []
    for user, kind, unit_id in people:
        if user is None or not user.is_active:
            continue
        row = existing.get(user.pk)
        if row is None:
            row = Attendee.objects.create(meeting=meeting, user=user, kind=kind, unit_id=unit_id or user.unit_id)
            existing[user.pk] = row
            added.append(row)
        elif row.removed_at is not None:
            row.removed_at, row.kind, row.unit_id = None, kind, unit_id or user.unit_id
            row.response, row.answered_at, row.substitute = A.PENDING, None, None
            row.save(update_fields=["removed_at", "kind", "unit", "response", "answered_at", "substitute"])
            added.append(row)
    return added


@step("move")
def move(*, meeting: Meeting, acting_user, starts_at: dt.datetime, ends_at: dt.datetime,
         room: Room | None = None, location: str = "", reason: str = "") -> Meeting:
    """Change the time and/or place. The room is booked again (the database refuses an overlap);
    after the notice everyone notified gets an update with the same UID and a higher SEQUENCE;
    reminders planned for the old time are dropped by the sweep (``starts_at`` no longer
    matches) and new ones planned."""
    meeting = _lock(meeting)
    _check("move", meeting, acting_user)
    _check_times(starts_at, ends_at)
    location = (location or "").strip()
    if room is None and not location:
        raise WorkflowError(_("Choose a room or give the place."), code="required")
    before = {"starts_at": meeting.starts_at.isoformat(), "ends_at": meeting.ends_at.isoformat(),
              "place": meeting.place}
    if (starts_at, ends_at, room, location) == (meeting.starts_at, meeting.ends_at, meeting.room,
                                                 meeting.location if room is None else ""):
        raise WorkflowError(_("Nothing changed: give a new time or place."), code="unchanged")
    meeting.starts_at, meeting.ends_at, meeting.room = starts_at, ends_at, room
    meeting.location = location if room is None else ""
    meeting.sequence += 1
    fields = ["starts_at", "ends_at", "room", "location", "sequence"]
    if meeting.status == S.PLANNING:
        meeting.topic_deadline = default_topic_deadline(meeting.type, starts_at, WorkCalendar.load())
        fields.append("topic_deadline")
    meeting.save(update_fields=fields)
    _book(meeting, room, acting_user)
    for att in meeting.attendees.filter(signed_in_at__isnull=False):
        att.late_minutes = signin.minutes_late(meeting, att.signed_in_at)
        att.save(update_fields=["late_minutes"])
    after = {"starts_at": starts_at.isoformat(), "ends_at": ends_at.isoformat(), "place": meeting.place}
    event = _record(meeting, acting_user, "move", note=(reason or "").strip(),
                    data={"before": before, "after": after, "sequence": meeting.sequence})
    if meeting.notice_sent_at is not None:
        _notify(event, people_to_inform(meeting),
                Msg(N_("Meeting moved: %(title)s, now %(when)s"), title=meeting.title, when=_when(meeting)),
                _("Place: %(place)s. %(reason)s") % {"place": meeting.place, "reason": reason or ""},
                attachment=lambda user: ics.invitation_attachment(meeting, user), include_actor=True)
    return meeting


@step("cancel")
def cancel(*, meeting: Meeting, acting_user, reason: str) -> Meeting:
    """Cancel: the room is released, everyone notified gets a cancellation with the same UID,
    pending reminders are dropped, units with topics on it are told."""
    meeting = _lock(meeting)
    reason = require_text(reason, _("Say why the meeting is cancelled."))
    meeting.cancelled_at, meeting.cancel_reason = timezone.now(), reason
    meeting.sequence += 1
    event = _move_status(meeting, acting_user, "cancel", note=reason,
                         extra_fields=["cancelled_at", "cancel_reason", "sequence"])
    _book(meeting, None, acting_user)
    if meeting.notice_sent_at is not None:
        _notify(event, people_to_inform(meeting), Msg(N_("Meeting cancelled: %(title)s"), title=meeting.title),
                reason, attachment=lambda user: ics.cancellation_attachment(meeting, user), include_actor=True)
    submitters = meeting.topics.exclude(status__in=[Topic.Status.REJECTED, Topic.Status.WITHDRAWN]) \
        .values_list("submitted_by_id", flat=True)
    _notify(event, list(submitters) + [meeting.presiding_id],
            Msg(N_("Meeting cancelled: %(title)s"), title=meeting.title), reason)
    return meeting


@step("add_attendees")
def add_attendees(*, meeting: Meeting, acting_user, users: Iterable[User] = (), units: Iterable[Unit] = (),
                  kind: str = Attendee.Kind.ATTEND) -> list[Attendee]:
    """Invite people, or units (their head is invited, for the unit). After the notice, the
    newcomers get it at once."""
    meeting = _lock(meeting)
    _check("add_attendees", meeting, acting_user)
    if kind not in Attendee.Kind.values:
        raise WorkflowError(_("Unknown kind of attendance."), code="invalid")
    people = [(u, kind, u.unit_id) for u in users]
    for unit in units:
        if unit.head_id is None:
            raise WorkflowError(_("%(unit)s has no head recorded: invite a person of it instead.")
                                % {"unit": unit}, code="invalid")
        people.append((unit.head, kind, unit.pk))
    if not people:
        raise WorkflowError(_("Choose people or units to invite."), code="required")
    added = _invite(meeting, people)
    if not added:
        raise WorkflowError(_("They are all invited already."), code="unchanged")
    names = "、".join(a.user.get_full_name() for a in added)
    event = _record(meeting, acting_user, "add_attendees", note=names,
                    data={"users": [a.user_id for a in added], "kind": kind})
    if meeting.notice_sent_at is not None:
        _send_notice_to(meeting, event, [a.user_id for a in added])
    return added


@step("remove_attendee")
def remove_attendee(*, meeting: Meeting, acting_user, attendee: Attendee, reason: str = "") -> Attendee:
    """Take a person off the list. After the notice they (and their substitute) get a
    cancellation; no reminder reaches them any more (the sweep checks the list when sending)."""
    meeting = _lock(meeting)
    _check("remove_attendee", meeting, acting_user)
    attendee = Attendee.objects.select_for_update().get(pk=attendee.pk)
    if attendee.meeting_id != meeting.pk or attendee.removed_at is not None:
        raise WorkflowError(_("This person is not on the list."), code="invalid")
    attendee.removed_at = timezone.now()
    attendee.save(update_fields=["removed_at"])
    event = _record(meeting, acting_user, "remove_attendee", note=(reason or "").strip(),
                    data={"user": attendee.user_id, "name": attendee.user.get_full_name()})
    if meeting.notice_sent_at is not None:
        ids = [attendee.user_id] + ([attendee.substitute_id] if attendee.response == A.SUBSTITUTE else [])
        _notify(event, ids, Msg(N_("You are no longer invited: %(title)s"), title=meeting.title),
                reason or "", attachment=lambda user: ics.cancellation_attachment(meeting, user),
                include_actor=True)
    return attendee


@step("order_agenda")
def order_agenda(*, meeting: Meeting, acting_user, order: list[int]) -> list[Topic]:
    """Put the accepted topics in the given order (a list of topic ids, all of them)."""
    meeting = _lock(meeting)
    _check("order_agenda", meeting, acting_user)
    accepted = {t.pk: t for t in meeting.topics.filter(status=Topic.Status.ACCEPTED)}
    if sorted(order) != sorted(accepted) or len(set(order)) != len(order):
        raise WorkflowError(_("Give every topic on the agenda one place."), code="invalid")
    for position, pk in enumerate(order, 1):
        accepted[pk].position = position
    Topic.objects.bulk_update(accepted.values(), ["position"])
    _record(meeting, acting_user, "order_agenda", data={"order": order})
    return [accepted[pk] for pk in order]


@step("submit_for_approval")
def submit_for_approval(*, meeting: Meeting, acting_user) -> Meeting:
    """Send the agenda and the attendees to the presiding leader (审定). Every submitted topic
    must be screened, at least one accepted, and someone invited."""
    meeting = _lock(meeting)
    _check("submit_for_approval", meeting, acting_user)
    open_topics = meeting.topics.filter(status=Topic.Status.SUBMITTED).count()
    if open_topics:
        raise WorkflowError(_("%(n)d topics are still waiting to be screened.") % {"n": open_topics},
                            code="topics_open")
    if not meeting.topics.filter(status=Topic.Status.ACCEPTED).exists():
        raise WorkflowError(_("The agenda is empty: accept at least one topic."), code="agenda_empty")
    if not current_attendees(meeting).exists():
        raise WorkflowError(_("Nobody is invited yet."), code="no_attendees")
    event = _move_status(meeting, acting_user, "submit_for_approval")
    _notify(event, [meeting.presiding_id], Msg(N_("Please approve the meeting: %(title)s"), title=meeting.title),
            _when(meeting), task=f"meeting:{meeting.pk}:approve")
    return meeting


@step("approve")
def approve(*, meeting: Meeting, acting_user, note: str = "") -> Meeting:
    """审定 by the presiding leader: the agenda and the attendees as they stand."""
    meeting = _lock(meeting)
    meeting.approved_at = timezone.now()
    agenda = list(meeting.topics.filter(status=Topic.Status.ACCEPTED).values_list("pk", flat=True))
    attendees = list(current_attendees(meeting).values_list("user_id", flat=True))
    event = _move_status(meeting, acting_user, "approve", note=(note or "").strip(),
                         data={"agenda": agenda, "attendees": attendees}, extra_fields=["approved_at"])
    _notify(event, _organisers(meeting), Msg(N_("Meeting approved: %(title)s"), title=meeting.title), note)
    return meeting


@step("return_for_revision")
def return_for_revision(*, meeting: Meeting, acting_user, reason: str) -> Meeting:
    """The presiding leader sends the agenda back with a reason (before the notice)."""
    meeting = _lock(meeting)
    reason = require_text(reason, _("Say what should change."))
    meeting.approved_at = None
    event = _move_status(meeting, acting_user, "return_for_revision", note=reason, extra_fields=["approved_at"])
    _notify(event, _organisers(meeting), Msg(N_("Meeting returned for revision: %(title)s"), title=meeting.title),
            reason)
    return meeting


def _send_notice_to(meeting: Meeting, event: Event, user_ids: Iterable[int]) -> int:
    return _notify(event, user_ids, Msg(N_("Meeting notice: %(title)s"), title=meeting.title),
                   _("%(when)s, %(place)s. Presiding: %(presiding)s. Please answer on the meeting page.") % {
                       "when": _when(meeting), "place": meeting.place,
                       "presiding": meeting.presiding.get_full_name()},
                   attachment=lambda user: ics.invitation_attachment(meeting, user), include_actor=True)


@step("send_notice")
def send_notice(*, meeting: Meeting, acting_user) -> int:
    """会议通知: every attendee in the inbox and by e-mail with an .ics invitation; the units
    whose topics are on the agenda are told. The notice period is counted in working days
    through the calendar; a shorter one is allowed but recorded (``short_notice``). Returns how
    many people were notified."""
    meeting = _lock(meeting)
    cal = WorkCalendar.load()
    days = notice_working_days(meeting, cal)
    meeting.notice_sent_at = timezone.now()
    meeting.short_notice = days < meeting.type.notice_working_days
    event = _move_status(meeting, acting_user, "send_notice",
                         data={"working_days": days, "required": meeting.type.notice_working_days,
                               "short_notice": meeting.short_notice},
                         extra_fields=["notice_sent_at", "short_notice"])
    sent = _send_notice_to(meeting, event, people_to_inform(meeting))
    submitters = meeting.topics.filter(status=Topic.Status.ACCEPTED).values_list("submitted_by_id", flat=True)
    _notify(event, set(submitters) - people_to_inform(meeting),
            Msg(N_("Your topic is on the agenda: %(title)s"), title=meeting.title), _when(meeting))
    event.data["notified"] = sent
    event.save(update_fields=["data"])
    return sent


@step("answer")
def answer(*, meeting: Meeting, acting_user, response: str, reason: str = "",
           substitute: User | None = None) -> Attendee:
    """The attendee's answer to the notice: attending, asking for leave (with a reason; the
    presiding leader or a director decides), or sending a named substitute (who gets the
    notice). Possible until the meeting starts."""
    meeting = _lock(meeting)
    _check("answer", meeting, acting_user)
    if timezone.now() >= meeting.starts_at:
        raise WorkflowError(_("The meeting has started: answers are closed."), code="too_late")
    attendee = Attendee.objects.select_for_update().get(meeting=meeting, user=acting_user, removed_at__isnull=True)
    previous_substitute = attendee.substitute_id if attendee.response == A.SUBSTITUTE else None
    reason = (reason or "").strip()
    if response == "leave":
        reason = require_text(reason, _("Give the reason for leave."))
        attendee.response, attendee.substitute = A.LEAVE_REQUESTED, None
    elif response == "substitute":
        if substitute is None:
            raise WorkflowError(_("Name the substitute."), code="required")
        if substitute.pk == acting_user.pk or not substitute.is_active:
            raise WorkflowError(_("Name someone else as the substitute."), code="invalid")
        if current_attendees(meeting).filter(user=substitute).exists():
            raise WorkflowError(_("%(name)s is invited already.") % {"name": substitute.get_full_name()},
                                code="invalid")
        attendee.response, attendee.substitute = A.SUBSTITUTE, substitute
    elif response == "attending":
        attendee.response, attendee.substitute = A.ATTENDING, None
    else:
        raise WorkflowError(_("Choose an answer."), code="invalid")
    attendee.reason = reason
    attendee.answered_at = timezone.now()
    attendee.leave_decided_by = attendee.leave_decided_at = None
    attendee.leave_note = ""
    attendee.save(update_fields=["response", "substitute", "reason", "answered_at", "leave_decided_by",
                                 "leave_decided_at", "leave_note"])
    event = _record(meeting, acting_user, "answer", note=reason,
                    data={"response": attendee.response, "substitute": attendee.substitute_id}, obj=meeting)
    name = acting_user.get_full_name()
    if attendee.response == A.LEAVE_REQUESTED:
        _notify(event, [meeting.presiding_id] + list(_organisers(meeting)),
                Msg(N_("Leave requested by %(name)s: %(title)s"), name=name, title=meeting.title), reason)
    if attendee.response == A.SUBSTITUTE and attendee.substitute_id != previous_substitute:
        _notify(event, [substitute.pk],
                Msg(N_("Please attend for %(name)s: %(title)s"), name=name, title=meeting.title),
                _when(meeting), attachment=lambda user: ics.invitation_attachment(meeting, user))
    if previous_substitute and previous_substitute != attendee.substitute_id:
        _notify(event, [previous_substitute],
                Msg(N_("You no longer attend for %(name)s: %(title)s"), name=name, title=meeting.title),
                attachment=lambda user: ics.cancellation_attachment(meeting, user))
    return attendee


@step("decide_leave")
def decide_leave(*, meeting: Meeting, acting_user, attendee: Attendee, approve: bool, note: str = "") -> Attendee:
    """The presiding leader (or a director) approves or refuses a leave request."""
    meeting = _lock(meeting)
    _check("decide_leave", meeting, acting_user)
    attendee = Attendee.objects.select_for_update().get(pk=attendee.pk)
    if attendee.meeting_id != meeting.pk or attendee.response != A.LEAVE_REQUESTED or attendee.removed_at:
        raise WorkflowError(_("There is no leave request to decide."), code="none_pending")
    attendee.response = A.LEAVE_APPROVED if approve else A.LEAVE_REFUSED
    attendee.leave_decided_by, attendee.leave_decided_at = acting_user, timezone.now()
    attendee.leave_note = (note or "").strip()
    attendee.save(update_fields=["response", "leave_decided_by", "leave_decided_at", "leave_note"])
    event = _record(meeting, acting_user, "decide_leave", note=attendee.leave_note,
                    data={"user": attendee.user_id, "approved": approve})
    title = Msg(N_("Leave approved: %(title)s") if approve else N_("Leave refused, please attend: %(title)s"),
                title=meeting.title)
    _notify(event, [attendee.user_id], title, attendee.leave_note)
    return attendee


# --- before: topics ----------------------------------------------------------------------

def _attach(meeting: Meeting, files, user, *, topic: Topic | None = None, for_return: bool = False) -> list[Material]:
    return [Material.objects.create(meeting=meeting, topic=topic, file=c.file, name=c.name, size=c.size,
                                    content_type=c.content_type, for_return=for_return, uploaded_by=user)
            for c in check_uploads(files, ATTACHMENTS)]


@step("submit_topic")
def submit_topic(*, meeting: Meeting, acting_user, title: str, background: str, request: str,
                 unit: Unit | None = None, leader: User | None = None, files=()) -> Topic:
    """A unit submits a topic (议题): title, background, the decision it asks for, the leader in
    charge, materials. After the meeting's topic deadline it is marked late and can only be
    accepted once a director or the presiding leader allows it."""
    meeting = _lock(meeting)
    if not permissions.may_submit_topic(acting_user):
        raise WorkflowError(_("Topics are submitted by the units' contacts and the meeting office."),
                            code="forbidden")
    unit = unit or acting_user.unit
    if unit.pk != acting_user.unit_id and not permissions.is_organiser(acting_user):
        raise WorkflowError(_("You submit topics for your own unit only."), code="forbidden")
    if meeting.status != S.PLANNING:
        raise WorkflowError(_("This meeting no longer takes topics: its agenda is %(status)s.")
                            % {"status": meeting.get_status_display()}, code="wrong_status")
    title = require_text(title, _("A title is required."))
    background = require_text(background, _("Describe the background."))
    request = require_text(request, _("Say what the meeting is asked to decide."))
    now = timezone.now()
    topic = Topic.objects.create(meeting=meeting, title=title, background=background, request=request,
                                 unit=unit, leader=leader, submitted_by=acting_user, submitted_at=now,
                                 is_late=now > meeting.topic_deadline)
    materials = _attach(meeting, files, acting_user, topic=topic)
    event = _record(meeting, acting_user, "submit_topic", note=title,
                    data={"topic": topic.pk, "late": topic.is_late, "materials": len(materials)}, obj=topic)
    _notify(event, _screeners() | _organisers(meeting),
            Msg(N_("Late topic submitted: %(title)s") if topic.is_late else N_("Topic submitted: %(title)s"),
                title=title), f"{unit} · {meeting.title}", task=f"topic:{topic.pk}:screen")
    return topic


def _lock_topic(topic: Topic) -> tuple[Topic, Meeting]:
    meeting = _lock(topic.meeting)
    return Topic.objects.select_for_update(of=("self",)).select_related("unit").get(pk=topic.pk), meeting


@step("withdraw_topic", target="topic")
def withdraw_topic(*, topic: Topic, acting_user, reason: str = "") -> Topic:
    topic, meeting = _lock_topic(topic)
    if not permissions.may_edit_topic(topic, acting_user):
        raise WorkflowError(_("You may not withdraw this topic."), code="forbidden")
    if topic.status != Topic.Status.SUBMITTED or meeting.status != S.PLANNING:
        raise WorkflowError(_("Only a topic not yet screened can be withdrawn."), code="wrong_status")
    topic.status = Topic.Status.WITHDRAWN
    topic.screening_note = (reason or "").strip()
    topic.save(update_fields=["status", "screening_note"])
    _record(meeting, acting_user, "withdraw_topic", note=topic.title, data={"topic": topic.pk}, obj=topic)
    return topic


@step("allow_late_topic", target="topic")
def allow_late_topic(*, topic: Topic, acting_user) -> Topic:
    """A director or the presiding leader allows a topic submitted after the deadline."""
    topic, meeting = _lock_topic(topic)
    if not permissions.may_allow_late(topic, acting_user):
        raise WorkflowError(_("A late topic is allowed by an office director or the presiding leader."),
                            code="forbidden")
    if not topic.is_late or topic.late_approved_at or topic.status != Topic.Status.SUBMITTED:
        raise WorkflowError(_("This topic needs no permission."), code="wrong_status")
    topic.late_approved_by, topic.late_approved_at = acting_user, timezone.now()
    topic.save(update_fields=["late_approved_by", "late_approved_at"])
    _record(meeting, acting_user, "allow_late_topic", note=topic.title, data={"topic": topic.pk}, obj=topic)
    return topic


@step("screen_topic", target="topic")
def screen_topic(*, topic: Topic, acting_user, decision: str, note: str = "",
                 defer_to: Meeting | None = None) -> Topic:
    """The office screens a topic: accept it onto the agenda (last place), defer it (to a later
    meeting collecting topics, where it arrives as submitted, or to one not yet planned), or
    reject it with a reason. The submitting unit is told."""
    topic, meeting = _lock_topic(topic)
    if not permissions.may_screen(topic, acting_user):
        raise WorkflowError(_("Topics are screened by the meeting office's section chief or a director."),
                            code="forbidden")
    if meeting.status != S.PLANNING:
        raise WorkflowError(_("The agenda is %(status)s: topics can no longer be screened.")
                            % {"status": meeting.get_status_display()}, code="wrong_status")
    if topic.status != Topic.Status.SUBMITTED:
        raise WorkflowError(_("This topic has been screened already (%(status)s).")
                            % {"status": topic.get_status_display()}, code="wrong_status")
    note = (note or "").strip()
    carried = None
    if decision == "accept":
        if topic.is_late and topic.late_approved_at is None:
            raise WorkflowError(_("This topic came after the deadline: a director or the presiding leader "
                                  "must allow it first."), code="late")
        topic.status = Topic.Status.ACCEPTED
        last = meeting.topics.filter(status=Topic.Status.ACCEPTED).aggregate(m=Max("position"))["m"] or 0
        topic.position = last + 1
    elif decision == "reject":
        note = require_text(note, _("Give the reason for rejecting the topic."))
        topic.status = Topic.Status.REJECTED
    elif decision == "defer":
        topic.status = Topic.Status.DEFERRED
        if defer_to is not None:
            target = Meeting.objects.select_for_update().get(pk=defer_to.pk)
            if target.pk == meeting.pk or target.status != S.PLANNING or target.starts_at <= meeting.starts_at:
                raise WorkflowError(_("Defer to a later meeting that is still collecting topics."),
                                    code="invalid")
            topic.deferred_to = target
            carried = Topic.objects.create(
                meeting=target, title=topic.title, background=topic.background, request=topic.request,
                unit=topic.unit, leader=topic.leader, submitted_by=topic.submitted_by,
                submitted_at=timezone.now(), carried_from=topic)
            for m in topic.materials.all():
                Material.objects.create(meeting=target, topic=carried, file=m.file.name, name=m.name, size=m.size,
                                        content_type=m.content_type, uploaded_by=m.uploaded_by)
    else:
        raise WorkflowError(_("Choose accept, defer or reject."), code="invalid")
    topic.screened_by, topic.screened_at, topic.screening_note = acting_user, timezone.now(), note
    topic.save(update_fields=["status", "position", "screened_by", "screened_at", "screening_note", "deferred_to"])
    event = _record(meeting, acting_user, "screen_topic", note=note,
                    data={"topic": topic.pk, "title": topic.title, "decision": decision,
                          "carried_to": carried.pk if carried else None}, obj=topic)
    notify.resolve([f"topic:{topic.pk}:screen"], by=acting_user)
    titles = {"accept": N_("Topic accepted for the agenda: %(title)s"),
              "defer": N_("Topic deferred: %(title)s"), "reject": N_("Topic rejected: %(title)s")}
    _notify(event, [topic.submitted_by_id], Msg(titles[decision], title=topic.title), note)
    return topic


@step("upload_materials")
def upload_materials(*, meeting: Meeting, acting_user, files, topic: Topic | None = None,
                     for_return: bool = False) -> list[Material]:
    """Materials for the meeting (organisers) or for a topic (its unit, or organisers);
    ``for_return`` marks them to be collected after the meeting."""
    meeting = _lock(meeting)
    if topic is not None:
        if topic.meeting_id != meeting.pk:
            raise WorkflowError(_("This topic is not on this meeting."), code="invalid")
        if not permissions.may_edit_topic(topic, acting_user):
            raise WorkflowError(_("You may not add materials to this topic."), code="forbidden")
        if meeting.status not in UPCOMING:
            raise WorkflowError(_("This step is not possible while the meeting is “%(status)s”.")
                                % {"status": meeting.get_status_display()}, code="wrong_status")
    else:
        _check("upload_materials", meeting, acting_user)
    if not files:
        raise WorkflowError(_("Choose the files to upload."), code="required")
    materials = _attach(meeting, files, acting_user, topic=topic, for_return=for_return)
    _record(meeting, acting_user, "upload_materials", note="、".join(m.name for m in materials),
            data={"topic": topic.pk if topic else None, "for_return": for_return, "count": len(materials)})
    return materials


# --- before: ready ---------------------------------------------------------------------------

def checklist_for(meeting: Meeting) -> list[ChecklistItem]:
    """The active checklist items that apply to the meeting's type (items with no type: all)."""
    return list(ChecklistItem.objects.filter(is_active=True)
                .filter(Q(types__isnull=True) | Q(types=meeting.type_id)).distinct().order_by("order", "pk"))


@step("check")
def tick_checklist(*, meeting: Meeting, acting_user, done: Iterable[ChecklistItem]) -> list[int]:
    """Set which checklist items are done (ticks added and taken away). Returns the done ids."""
    meeting = _lock(meeting)
    _check("check", meeting, acting_user)
    applicable = {i.pk for i in checklist_for(meeting)}
    wanted = {i.pk for i in done} & applicable
    have = set(meeting.checks.values_list("item_id", flat=True))
    if wanted == have:
        raise WorkflowError(_("Nothing changed on the checklist."), code="unchanged")
    MeetingCheck.objects.filter(meeting=meeting, item_id__in=have - wanted).delete()
    MeetingCheck.objects.bulk_create([MeetingCheck(meeting=meeting, item_id=pk, done_by=acting_user)
                                      for pk in wanted - have])
    _record(meeting, acting_user, "check", data={"done": sorted(wanted), "added": sorted(wanted - have),
                                                 "removed": sorted(have - wanted)})
    return sorted(wanted)


def readiness(meeting: Meeting) -> list[str]:
    """What still stands between the meeting and "ready" (不开无准备的会), as messages."""
    missing = []
    if meeting.notice_sent_at is None:
        missing.append(_("The notice has not been sent."))
    without = [t.title for t in meeting.topics.filter(status=Topic.Status.ACCEPTED).order_by("position")
               if not t.materials.exists()]
    if without:
        missing.append(_("No materials yet for: %(topics)s") % {"topics": "、".join(without)})
    done = set(meeting.checks.values_list("item_id", flat=True))
    open_items = [i.name for i in checklist_for(meeting) if i.pk not in done]
    if open_items:
        missing.append(_("Checklist not complete: %(items)s") % {"items": "、".join(open_items)})
    return missing


@step("mark_ready")
def mark_ready(*, meeting: Meeting, acting_user) -> Meeting:
    """Ready (已就绪) only when every accepted topic has its materials and the pre-meeting
    checklist is complete; otherwise refused with what is missing."""
    meeting = _lock(meeting)
    _check("mark_ready", meeting, acting_user)
    missing = readiness(meeting)
    if missing:
        raise WorkflowError(_("Not ready: %(missing)s") % {"missing": " ".join(missing)}, code="not_ready")
    meeting.ready_at = timezone.now()
    event = _move_status(meeting, acting_user, "mark_ready", extra_fields=["ready_at"])
    _notify(event, [meeting.presiding_id], Msg(N_("Meeting ready: %(title)s"), title=meeting.title),
            _when(meeting))
    return meeting


# --- during -----------------------------------------------------------------------------------

def _signed(attendee: Attendee, meeting: Meeting, at: dt.datetime, by, method: str) -> None:
    attendee.signed_in_at = at
    attendee.signed_in_person_id = attendee.present_user_id if method == Attendee.Method.CLERK else by.pk
    attendee.signed_in_by = by
    attendee.sign_in_method = method
    attendee.late_minutes = signin.minutes_late(meeting, at)
    attendee.save(update_fields=["signed_in_at", "signed_in_person", "signed_in_by", "sign_in_method",
                                 "late_minutes"])


@step("sign_in")
def sign_in(*, meeting: Meeting, acting_user, token: str, now: dt.datetime | None = None) -> Attendee:
    """Sign in through the QR link: the token must open this meeting's sign-in now
    (``meetings.signin``), the meeting must be ready (or held, until it ends), and the person
    logged in must be on the list — as the attendee, or as the named substitute. Nobody signs
    in for someone else: the link names no person."""
    meeting = _lock(meeting)
    now = now or timezone.now()
    signin.check_token(meeting, token, now=now)
    if meeting.status not in (S.READY, S.HELD):
        raise WorkflowError(_("Sign-in is not open: the meeting is “%(status)s”.")
                            % {"status": meeting.get_status_display()}, code="wrong_status")
    rows = list(Attendee.objects.select_for_update().filter(meeting=meeting, removed_at__isnull=True)
                .filter(Q(user=acting_user) | Q(substitute=acting_user, response=A.SUBSTITUTE)))
    attendee = next((a for a in rows if a.user_id == acting_user.pk), None) or next(iter(rows), None)
    if attendee is None:
        raise WorkflowError(_("You are not on the list of this meeting. Ask the meeting office."),
                            code="not_invited")
    if attendee.signed_in_at is not None:
        raise WorkflowError(_("Already signed in at %(time)s.") % {
            "time": timezone.localtime(attendee.signed_in_at).strftime("%H:%M")}, code="already")
    _signed(attendee, meeting, now, acting_user, Attendee.Method.QR)
    _record(meeting, acting_user, "sign_in", data={"attendee": attendee.pk, "late": attendee.late_minutes,
                                                   "for": attendee.user_id})
    return attendee


@step("mark_present")
def mark_present(*, meeting: Meeting, acting_user, attendees: Iterable[Attendee],
                 at: dt.datetime | None = None) -> list[Attendee]:
    """The clerk marks people present, at a given time (default now) within the sign-in
    window; lateness counts from the start. For someone who sent a substitute, the substitute
    is the one marked as present."""
    meeting = _lock(meeting)
    _check("mark_present", meeting, acting_user)
    at = at or timezone.now()
    opens, closes = signin.window(meeting)
    if not opens <= at <= closes:
        raise WorkflowError(_("The time must fall within the sign-in window, %(opens)s to %(closes)s.") % {
            "opens": timezone.localtime(opens).strftime("%H:%M"),
            "closes": timezone.localtime(closes).strftime("%H:%M")}, code="invalid")
    if at > timezone.now() + dt.timedelta(minutes=1):
        raise WorkflowError(_("Nobody can be marked present in advance."), code="invalid")
    rows = list(Attendee.objects.select_for_update().filter(
        meeting=meeting, removed_at__isnull=True, signed_in_at__isnull=True, pk__in=[a.pk for a in attendees]))
    if not rows:
        raise WorkflowError(_("Choose people who have not signed in yet."), code="required")
    for row in rows:
        _signed(row, meeting, at, acting_user, Attendee.Method.CLERK)
    _record(meeting, acting_user, "mark_present", note="、".join(r.user.get_full_name() for r in rows),
            data={"attendees": [r.pk for r in rows], "at": at.isoformat()})
    return rows


@step("record_minutes", target="topic")
def record_minutes(*, topic: Topic, acting_user, text: str) -> Topic:
    """The minutes (会议记录) of one topic; saving again replaces them (the timeline keeps each)."""
    topic, meeting = _lock_topic(topic)
    _check("record_minutes", meeting, acting_user)
    if topic.status != Topic.Status.ACCEPTED:
        raise WorkflowError(_("Minutes are kept for the topics on the agenda."), code="invalid")
    text = require_text(text, _("Write the minutes."))
    topic.minutes = text
    topic.save(update_fields=["minutes"])
    _record(meeting, acting_user, "record_minutes", note=text, data={"topic": topic.pk, "title": topic.title})
    return topic


def check_deadline(deadline: dt.date | None, cal: WorkCalendar | None = None) -> dt.date:
    """A decision's deadline: required, within ``office.dates``' deadline bounds (today to five
    years ahead); one ending on a day off ends on the next working day (``deadline_on``)."""
    if deadline is None:
        raise WorkflowError(_("Give the deadline."), code="required")
    dates.require(deadline, dates.Bound.DEADLINE)
    return (cal or WorkCalendar.load()).deadline_on(deadline)


@step("add_decision")
def add_decision(*, meeting: Meeting, acting_user, topic: Topic | None, text: str, unit: Unit,
                 responsible: User, deadline: dt.date) -> Decision:
    """A decision (议定事项) of a topic, with its responsible unit and person and a deadline."""
    meeting = _lock(meeting)
    _check("add_decision", meeting, acting_user)
    if topic is not None and (topic.meeting_id != meeting.pk or topic.status != Topic.Status.ACCEPTED):
        raise WorkflowError(_("Choose a topic on this meeting's agenda."), code="invalid")
    text = require_text(text, _("Write the decision."))
    if unit is None or responsible is None:
        raise WorkflowError(_("Name the responsible unit and person."), code="required")
    if responsible.unit_id != unit.pk:
        raise WorkflowError(_("The responsible person must belong to the responsible unit."), code="invalid")
    deadline = check_deadline(deadline)
    decision = Decision.objects.create(meeting=meeting, topic=topic, text=text, unit=unit,
                                       responsible=responsible, deadline=deadline, created_by=acting_user)
    _record(meeting, acting_user, "add_decision", note=text,
            data={"decision": decision.pk, "unit": str(unit), "deadline": deadline.isoformat()})
    return decision


@step("conclude")
def conclude(*, meeting: Meeting, acting_user) -> Meeting:
    """The meeting has been held (会议结束): from now on the 纪要, conveyance and feedback."""
    meeting = _lock(meeting)
    _check("conclude", meeting, acting_user)
    if timezone.now() < meeting.starts_at:
        raise WorkflowError(_("The meeting has not started yet."), code="too_early")
    meeting.held_at = timezone.now()
    _move_status(meeting, acting_user, "conclude", extra_fields=["held_at"])
    return meeting


# --- after: the 纪要 -----------------------------------------------------------------------

def summary_draft_text(meeting: Meeting) -> str:
    """The first draft of the 纪要 from the minutes and decisions: one section per topic."""
    numerals = "一二三四五六七八九十"
    start = timezone.localtime(meeting.starts_at)
    lines = [f"{start.year}年{start.month}月{start.day}日，{meeting.presiding.get_full_name()}主持召开"
             f"{meeting.title}，研究了以下事项。现纪要如下："]
    decisions: dict[int | None, list[Decision]] = {}
    for d in meeting.decisions.select_related("unit").order_by("pk"):
        decisions.setdefault(d.topic_id, []).append(d)
    topics = meeting.topics.filter(status=Topic.Status.ACCEPTED).order_by("position", "pk")
    for n, topic in enumerate(topics):
        mark = numerals[n] if n < len(numerals) else str(n + 1)
        lines.append(f"{mark}、{topic.title}")
        if topic.minutes:
            lines.extend(p.strip() for p in topic.minutes.splitlines() if p.strip())
        for d in decisions.get(topic.pk, []):
            lines.append(f"会议议定：{d.text}（责任单位：{d.unit}；完成时限：{d.deadline.year}年"
                         f"{d.deadline.month}月{d.deadline.day}日）")
    for d in decisions.get(None, []):
        lines.append(f"会议议定：{d.text}（责任单位：{d.unit}）")
    return "\n".join(lines)


def attendance_blocks(meeting: Meeting) -> tuple[str, str, str]:
    """The 出席/请假/列席 lines of the 纪要: who came (the substitute for whom: 张三（代李四）),
    who was on leave, who attended without a vote."""
    present, absent, attending = [], [], []
    rows = current_attendees(meeting).select_related("user", "unit", "substitute", "signed_in_person") \
        .order_by("kind", "pk")
    for a in rows:
        if a.signed_in_at is not None:
            if a.signed_in_person_id and a.signed_in_person_id != a.user_id:
                name = f"{a.signed_in_person.get_full_name()}（代{a.user.get_full_name()}）"
            else:
                name = a.user.get_full_name()
            label = f"{a.unit}{name}" if a.kind == Attendee.Kind.OBSERVE and a.unit_id else name
            (present if a.kind == Attendee.Kind.ATTEND else attending).append(label)
        elif a.response == A.LEAVE_APPROVED:
            absent.append(a.user.get_full_name())
    return "、".join(present), "、".join(absent), "、".join(attending)


def _summary(meeting: Meeting) -> Summary:
    try:
        return Summary.objects.select_for_update().get(meeting=meeting)
    except Summary.DoesNotExist:
        raise WorkflowError(_("The summary has not been drafted yet."), code="no_summary") from None


@step("draft_summary")
def draft_summary(*, meeting: Meeting, acting_user) -> Summary:
    """Start the 纪要 from the minutes and decisions (once; then it is edited)."""
    meeting = _lock(meeting)
    _check("draft_summary", meeting, acting_user)
    if Summary.objects.filter(meeting=meeting).exists():
        raise WorkflowError(_("The summary has been drafted already."), code="duplicate")
    summary = Summary.objects.create(meeting=meeting, title=meeting.title, body=summary_draft_text(meeting),
                                     drafted_by=acting_user)
    _record(meeting, acting_user, "draft_summary", data={"summary": summary.pk})
    return summary


@step("edit_summary")
def edit_summary(*, meeting: Meeting, acting_user, title: str, body: str) -> Summary:
    meeting = _lock(meeting)
    _check("edit_summary", meeting, acting_user)
    summary = _summary(meeting)
    if summary.status != Summary.Status.DRAFT:
        raise WorkflowError(_("The summary can be edited only as a draft."), code="wrong_status")
    summary.title = require_text(title, _("A title is required."))
    summary.body = require_text(body, _("The summary has no text."))
    summary.save(update_fields=["title", "body"])
    _record(meeting, acting_user, "edit_summary", data={"summary": summary.pk})
    return summary


@step("submit_summary")
def submit_summary(*, meeting: Meeting, acting_user) -> Summary:
    """Send the draft for review (核稿) to the meeting office's section chief or a director."""
    meeting = _lock(meeting)
    _check("submit_summary", meeting, acting_user)
    summary = _summary(meeting)
    if summary.status != Summary.Status.DRAFT:
        raise WorkflowError(_("Only a draft can be sent for review."), code="wrong_status")
    summary.status = Summary.Status.REVIEW
    summary.save(update_fields=["status"])
    event = _record(meeting, acting_user, "submit_summary", data={"summary": summary.pk})
    _notify(event, _screeners(), Msg(N_("Please review the summary of %(title)s"), title=meeting.title),
            task=f"summary:{summary.pk}:review")
    return summary


@step("review_summary")
def review_summary(*, meeting: Meeting, acting_user, approve: bool, note: str = "") -> Summary:
    """核稿: pass the summary to the presiding leader for sign-off, or return it with a note."""
    meeting = _lock(meeting)
    _check("review_summary", meeting, acting_user)
    summary = _summary(meeting)
    if summary.status != Summary.Status.REVIEW:
        raise WorkflowError(_("The summary is not waiting for review."), code="wrong_status")
    note = (note or "").strip()
    if not approve:
        note = require_text(note, _("Say what should change."))
    summary.status = Summary.Status.REVIEWED if approve else Summary.Status.DRAFT
    summary.reviewed_by, summary.reviewed_at = acting_user, timezone.now()
    summary.save(update_fields=["status", "reviewed_by", "reviewed_at"])
    notify.resolve([f"summary:{summary.pk}:review"], by=acting_user)
    event = _record(meeting, acting_user, "review_summary", note=note,
                    data={"summary": summary.pk, "approved": approve})
    if approve:
        _notify(event, [meeting.presiding_id], Msg(N_("Please sign off the summary of %(title)s"),
                                                   title=meeting.title), note, task=f"summary:{summary.pk}:signoff")
    else:
        _notify(event, [summary.drafted_by_id], Msg(N_("Summary returned: %(title)s"), title=meeting.title), note)
    return summary


def minutes_number(meeting_type: MeetingType, year: int, sequence: int) -> str:
    """The 纪要's number: the type's code, the year in 〔〕, the sequence and 号 (县政常纪〔2026〕5号),
    written by the core's one rule for document numbers (``office.docnumbers``)."""
    from office.docnumbers import format_number

    return format_number(meeting_type.minutes_code, year, sequence)


@step("sign_summary")
def sign_summary(*, meeting: Meeting, acting_user) -> Summary:
    """签发 by the presiding leader: the attendance blocks are fixed from the sign-in records,
    the 纪要 takes the next number of its meeting type and year (the counter is taken last, so a
    refusal consumes no number), and the meeting's minutes are issued."""
    meeting = _lock(meeting)
    _check("sign_summary", meeting, acting_user)
    summary = _summary(meeting)
    if summary.status != Summary.Status.REVIEWED:
        raise WorkflowError(_("The summary must be reviewed before it is signed off."), code="wrong_status")
    summary.present, summary.absent, summary.attending = attendance_blocks(meeting)
    summary.signed_by, summary.signed_at = acting_user, timezone.now()
    summary.status = Summary.Status.SIGNED
    year = timezone.localdate(summary.signed_at).year
    summary.year = year
    # everything first; the counter of the type and year is taken last (office.numbering.reserve)
    with numbering.reserve(f"meeting-minutes-{meeting.type_id}", year) as serial:
        summary.sequence = serial.serial
        summary.number = minutes_number(meeting.type, year, serial.mark)
        summary.save(update_fields=["present", "absent", "attending", "signed_by", "signed_at", "status", "year",
                                    "sequence", "number"])
        notify.resolve([f"summary:{summary.pk}:signoff"], by=acting_user)
        event = _move_status(meeting, acting_user, "sign_summary", data={"number": summary.number})
        units_heads = Unit.objects.filter(pk__in=meeting.decisions.values("unit_id")).values_list("head_id",
                                                                                                  flat=True)
        _notify(event, people_to_inform(meeting) | set(units_heads) | _organisers(meeting),
                Msg(N_("Minutes issued: %(number)s %(title)s"), number=summary.number, title=meeting.title))
    return summary


# --- after: decisions to supervision, conveyance, feedback ------------------------------------

def _item_fields(decision: Decision, meeting: Meeting) -> dict:
    topic = f"（{decision.topic.title}）" if decision.topic_id else ""
    return {
        "title": decision.text if len(decision.text) <= 60 else f"{decision.text[:58]}……",
        "requirement": f"{meeting.title}{topic}议定：{decision.text}",
        "source_kind": "meeting", "lead_unit": decision.unit, "responsible": decision.responsible,
        "deadline": decision.deadline, "instructing_leader": meeting.presiding,
    }


def _supervise(decision: Decision, meeting: Meeting, user):
    from supervision import services

    if decision.item_id is not None:
        raise WorkflowError(_("This decision is already supervised: %(number)s.") % {
            "number": decision.item.number}, code="duplicate", existing=decision.item)
    fields = _item_fields(decision, meeting)
    if fields["deadline"] < timezone.localdate():
        fields["deadline"] = timezone.localdate()
    item = services.open_item_from_origin(origin=decision, acting_user=user, **fields)
    decision.item = item
    decision.save(update_fields=["item"])
    return item


@step("supervise_decision", target="decision")
def supervise_decision(*, decision: Decision, acting_user):
    """One decision becomes a supervision item (linked both ways). The decision row is locked
    and its item is unique: a double click, or two people at once, open one item."""
    meeting = _lock(decision.meeting)
    _check("open_items", meeting, acting_user)
    decision = Decision.objects.select_for_update(of=("self",)) \
        .select_related("unit", "responsible", "topic", "item").get(pk=decision.pk)
    item = _supervise(decision, meeting, acting_user)
    _record(meeting, acting_user, "supervise_decision", note=item.number,
            data={"decision": decision.pk, "item": item.pk})
    return item


@step("open_items")
def open_items(*, meeting: Meeting, acting_user) -> list:
    """Every decision not yet supervised becomes a supervision item, in one step."""
    meeting = _lock(meeting)
    _check("open_items", meeting, acting_user)
    decisions = list(Decision.objects.select_for_update(of=("self",)).filter(meeting=meeting, item__isnull=True)
                     .select_related("unit", "responsible", "topic").order_by("pk"))
    if not decisions:
        raise WorkflowError(_("Every decision is supervised already."), code="unchanged")
    items = [_supervise(d, meeting, acting_user) for d in decisions]
    _record(meeting, acting_user, "open_items", note="、".join(i.number for i in items),
            data={"items": [i.pk for i in items]})
    return items


@step("record_conveyance")
def record_conveyance(*, meeting: Meeting, acting_user, unit: Unit, conveyed_on: dt.date, method: str,
                      note: str = "") -> Conveyance:
    """传达贯彻: a responsible unit records when and how it conveyed the decisions."""
    meeting = _lock(meeting)
    _check("record_conveyance", meeting, acting_user)
    units = set(meeting.decisions.values_list("unit_id", flat=True))
    if unit is None or unit.pk not in units:
        raise WorkflowError(_("Choose a unit responsible for a decision of this meeting."), code="invalid")
    if not permissions.is_organiser(acting_user) and acting_user.unit_id != unit.pk:
        raise WorkflowError(_("You record the conveyance of your own unit only."), code="forbidden")
    if method not in Conveyance.Method.values:
        raise WorkflowError(_("Choose how the decisions were conveyed."), code="invalid")
    if conveyed_on is None or conveyed_on > timezone.localdate() or conveyed_on < timezone.localdate(meeting.starts_at):
        raise WorkflowError(_("The date must fall between the meeting and today."), code="invalid")
    record = Conveyance.objects.create(meeting=meeting, unit=unit, conveyed_on=conveyed_on, method=method,
                                       note=(note or "").strip(), recorded_by=acting_user)
    event = _record(meeting, acting_user, "record_conveyance", note=record.note,
                    data={"unit": str(unit), "on": conveyed_on.isoformat(), "method": method})
    _notify(event, _organisers(meeting), Msg(N_("%(unit)s conveyed the decisions of %(title)s"), unit=unit,
                                             title=meeting.title), record.note)
    return record


@step("add_feedback")
def add_feedback(*, meeting: Meeting, acting_user, text: str, decision: Decision | None = None) -> Feedback:
    """信息反馈 on the meeting's decisions."""
    meeting = _lock(meeting)
    _check("add_feedback", meeting, acting_user)
    text = require_text(text, _("Write the feedback."))
    if decision is not None and decision.meeting_id != meeting.pk:
        raise WorkflowError(_("Choose a decision of this meeting."), code="invalid")
    record = Feedback.objects.create(meeting=meeting, decision=decision, author=acting_user,
                                     unit=acting_user.unit, text=text)
    event = _record(meeting, acting_user, "add_feedback", note=text,
                    data={"decision": decision.pk if decision else None})
    _notify(event, _organisers(meeting) | {meeting.presiding_id},
            Msg(N_("Feedback on %(title)s"), title=meeting.title), text)
    return record


@step("mark_returned")
def mark_returned(*, meeting: Meeting, acting_user, materials: Iterable[Material]) -> list[Material]:
    """After the meeting: materials to be returned are marked collected."""
    meeting = _lock(meeting)
    _check("mark_returned", meeting, acting_user)
    rows = list(Material.objects.select_for_update().filter(
        meeting=meeting, for_return=True, returned_at__isnull=True, pk__in=[m.pk for m in materials]))
    if not rows:
        raise WorkflowError(_("Choose materials still to be returned."), code="required")
    now = timezone.now()
    Material.objects.filter(pk__in=[m.pk for m in rows]).update(returned_at=now)
    _record(meeting, acting_user, "mark_returned", note="、".join(m.name for m in rows),
            data={"materials": [m.pk for m in rows]})
    return rows


# --- reading materials -----------------------------------------------------------------------

def record_open(*, material: Material, user) -> None:
    """Who opened what: one row per (material, person), counting the times. Called by the
    download view after its permission check."""
    now = timezone.now()
    updated = MaterialOpen.objects.filter(material=material, user=user).update(
        last_opened_at=now, times=F("times") + 1)
    if not updated:
        MaterialOpen.objects.bulk_create([MaterialOpen(material=material, user=user, first_opened_at=now,
                                                       last_opened_at=now)], ignore_conflicts=True)
