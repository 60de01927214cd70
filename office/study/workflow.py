"""Study day steps: one function each, keyword-only, atomic and audited (``audited_step``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from office import audit, notify
from office.models import Unit
from office.notify import Msg
from office.study import permissions, selectors
from office.study.models import Attendance, Note, Session
from office.workdays import WorkCalendar
from office.workflow import WorkflowError, audited_step, require_line, require_text


def next_study_day(today: dt.date | None = None, cal: WorkCalendar | None = None) -> dt.date:
    """The next Friday (today when it is one); when that Friday is a day off, the working day
    after it (the calendar's rule)."""
    today = today or timezone.localdate()
    friday = today + dt.timedelta(days=(4 - today.weekday()) % 7)
    return (cal or WorkCalendar.load()).working_day_on_or_after(friday)


@audited_step("study.create_session")
def create_session(*, acting_user, date: dt.date, topic: str, materials: str = "", section: Unit | None = None,
                   starts_at: dt.time = dt.time(15, 0)) -> Session:
    """A session and its expected participants (the section's staff, or the whole office's);
    each is notified. Refused on a day off."""
    if not permissions.may_organise(acting_user, section.pk if section else None):
        raise WorkflowError(_("A section chief organises their own section's study; the office director any."),
                            code="forbidden")
    topic = require_line(topic, _("Enter the topic."))
    cal = WorkCalendar.load()
    if not cal.is_working_day(date):
        raise WorkflowError(_("%(day)s is a day off: choose a working day (study day is Friday).")
                            % {"day": f"{date:%Y-%m-%d}"}, code="day_off")
    session = Session.objects.create(date=date, starts_at=starts_at, topic=topic, materials=(materials or "").strip(),
                                     section=section, organiser=acting_user)
    people = list(selectors.office_staff(section.pk if section else None).order_by("pk"))
    Attendance.objects.bulk_create([Attendance(session=session, user=u) for u in people])
    for user in people:
        notify.notify(user, key=f"study:{session.pk}:{user.pk}", title=Msg(N_("Study session %(day)s: %(topic)s"),
                                                                               day=f"{date:%Y-%m-%d}", topic=topic),
                      url=session.get_absolute_url(), kind="study", email=False,
                      task=f"study:{session.pk}:attend:{user.pk}")
    audit.record("study.create_session", actor=acting_user, obj=session, detail={"expected": len(people)})
    return session


def _lock_attendance(session: Session, user) -> Attendance:
    row = Attendance.objects.select_for_update().filter(session=session, user=user).order_by("pk").first()
    if row is None:
        raise WorkflowError(_("%(name)s is not expected at this session.") % {"name": user.get_full_name()},
                            code="not_expected")
    return row


@audited_step("study.sign_in", target_kwarg="session")
def sign_in(*, session: Session, acting_user) -> Attendance:
    """Sign oneself in, on the session's day. Signing in twice keeps the first time."""
    if timezone.localdate() != session.date:
        raise WorkflowError(_("Sign-in is open on the day of the session only (%(day)s).")
                            % {"day": f"{session.date:%Y-%m-%d}"}, code="not_today")
    row = _lock_attendance(session, acting_user)
    if row.signed_in_at is None:
        row.signed_in_at, row.leave_reason = timezone.now(), ""
        row.save(update_fields=["signed_in_at", "leave_reason"])
        audit.record("study.sign_in", actor=acting_user, obj=session)
    notify.resolve([f"study:{session.pk}:attend:{acting_user.pk}"], by=acting_user)
    return row


@audited_step("study.record_attendance", target_kwarg="session")
def record_attendance(*, session: Session, acting_user, present: Iterable, leave: dict | None = None) -> int:
    """The organiser records the sign-in sheet: who was present (signed in at the session's
    start) and who was on leave (with the reason). Returns the number now present."""
    if not (session.organiser_id == acting_user.pk or permissions.is_director(acting_user)):
        raise WorkflowError(_("Only the organiser records the attendance."), code="forbidden")
    if session.date > timezone.localdate():
        raise WorkflowError(_("The session has not taken place yet."), code="too_early")
    moment = timezone.make_aware(dt.datetime.combine(session.date, session.starts_at))
    present_ids = {u.pk for u in present}
    for reason in (leave or {}).values():
        if not reason.strip():
            raise WorkflowError(_("Give the reason for the leave."), code="required")
    rows = list(Attendance.objects.select_for_update().filter(session=session).order_by("pk"))
    for row in rows:
        if row.user_id in present_ids and row.signed_in_at is None:
            row.signed_in_at, row.leave_reason = moment, ""
            row.save(update_fields=["signed_in_at", "leave_reason"])
        elif row.user_id in (leave or {}) and row.signed_in_at is None:
            row.leave_reason = leave[row.user_id].strip()[:200]
            row.save(update_fields=["leave_reason"])
    count = sum(1 for r in rows if r.signed_in_at is not None)
    # present or on leave: the notice asks nothing more of them
    notify.resolve([f"study:{session.pk}:attend:{r.user_id}" for r in rows if r.signed_in_at or r.leave_reason],
                   by=acting_user)
    audit.record("study.record_attendance", actor=acting_user, obj=session,
                 detail={"present": count, "leave": sorted(leave or {})})
    return count


@audited_step("study.write_note")
def write_note(*, acting_user, title: str, body: str, visibility: str = Note.Visibility.PRIVATE,
               session: Session | None = None, written_on: dt.date | None = None) -> Note:
    if not permissions.takes_part(acting_user):
        raise WorkflowError(_("Study notes are for the office's staff."), code="forbidden")
    if visibility not in Note.Visibility.values:
        raise WorkflowError(_("Choose who may read the note."), code="invalid")
    written_on = written_on or timezone.localdate()
    if written_on > timezone.localdate():
        raise WorkflowError(_("A note cannot be dated in the future."), code="invalid")
    note = Note.objects.create(author=acting_user, title=require_line(title, _("Enter the title.")),
                               body=require_text(body, _("Enter the note.")), visibility=visibility,
                               session=session, written_on=written_on)
    audit.record("study.write_note", actor=acting_user, obj=note, detail={"visibility": visibility})
    return note
