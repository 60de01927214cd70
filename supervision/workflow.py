"""The supervision workflow: one transition table and one function per step.

Every step is keyword-only with ``acting_user=``, runs in one transaction, locks the item row
(so two people clicking the same step at once produce one transition), refuses an illegal step
with a ``WorkflowError`` that says why, writes an ``Event`` (the item's timeline) and an audit
record, and stores notifications whose e-mails go out after the commit. A refused step changes
nothing and is audited as a failure.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from office import audit, dates, notify, numbering, roles
from office.dates import Bound
from office.models import Unit, User
from office.notify import Msg
from office.uploads import UploadPolicy, check_uploads
from office.workdays import WorkCalendar
from office.workflow import (
    WorkflowError,
    audited_step,
    require_active_unit,
    require_line,
    require_participant,
    require_text,
)
from supervision import timeliness
from supervision.models import (
    OPEN_STATUSES,
    WORKING_STATUSES,
    Attachment,
    Chase,
    Event,
    Extension,
    Item,
    Milestone,
    Priority,
    ProgressReport,
    SourceKind,
    Status,
    SupervisionSettings,
)

S = Status
MAX_WORKING_DAYS = 365

# what progress reports and results may carry
ATTACHMENTS = UploadPolicy(
    suffixes=frozenset({".pdf", ".ofd", ".doc", ".docx", ".wps", ".xls", ".xlsx", ".jpg", ".jpeg",
                        ".png"}),
    max_bytes=20 * 1024 * 1024)

# step -> (statuses it may start from, status it leads to; None keeps the status)
TRANSITIONS: dict[str, tuple[frozenset[str], str | None]] = {
    "assign": (frozenset({S.DRAFT}), S.ASSIGNED),
    "acknowledge": (frozenset({S.ASSIGNED}), S.ACKNOWLEDGED),
    "dispute": (frozenset({S.ASSIGNED, S.ACKNOWLEDGED}), S.DISPUTED),
    "reassign": (frozenset({S.DISPUTED}), S.ASSIGNED),
    "report_progress": (frozenset({S.ACKNOWLEDGED, S.IN_PROGRESS}), S.IN_PROGRESS),
    "report_result": (frozenset({S.ACKNOWLEDGED, S.IN_PROGRESS}), S.RESULT_REPORTED),
    "accept": (frozenset({S.RESULT_REPORTED}), S.CLOSED),
    "return": (frozenset({S.RESULT_REPORTED}), S.IN_PROGRESS),
    "request_extension": (frozenset({S.ASSIGNED, S.ACKNOWLEDGED, S.IN_PROGRESS}), None),
    # decisions only while the unit owes the work (a pending request lapses when that ends)
    "decide_extension": (frozenset(WORKING_STATUSES), None),
    "chase": (frozenset({S.ASSIGNED, S.ACKNOWLEDGED, S.IN_PROGRESS, S.DISPUTED}), None),
    "comment": (frozenset(set(OPEN_STATUSES) | {S.CLOSED}), None),
}


# --- who may act -------------------------------------------------------------------------

def is_manager(user, conf: SupervisionSettings | None = None) -> bool:
    """The office director and the members of the supervision office manage items. An
    administrator account never does, whatever unit the settings name."""
    if not roles.is_business_user(user):
        return False
    if roles.has_role(user, roles.OFFICE_DIRECTOR):
        return True
    conf = conf or SupervisionSettings.load()
    return bool(conf.office_unit_id and user.unit_id == conf.office_unit_id)


def _is_unit_head(user, item: Item) -> bool:
    return item.lead_unit.head_id == user.pk


def may(step: str, item: Item, user, *, manager: bool | None = None) -> bool:
    """Whether ``user`` may take ``step`` on ``item`` (ignoring its status)."""
    if not roles.is_business_user(user):
        return False
    manager = is_manager(user) if manager is None else manager
    uid = user.pk
    if step in ("assign", "reassign"):
        return manager
    if step in ("acknowledge", "report_result", "request_extension"):
        return item.responsible_id == uid
    if step == "dispute":
        return item.responsible_id == uid or _is_unit_head(user, item)
    if step == "report_progress":
        return (item.responsible_id == uid or _is_unit_head(user, item)
                or (user.unit_id == item.lead_unit_id and roles.has_role(user, roles.UNIT_CONTACT)))
    if step in ("accept", "return"):  # never one's own result (separate duties)
        return item.responsible_id != uid and (
            item.supervisor_id == uid or roles.has_role(user, roles.OFFICE_DIRECTOR))
    if step == "decide_extension":  # never one's own request
        return item.responsible_id != uid and (
            item.instructing_leader_id == uid or roles.has_role(user, roles.OFFICE_DIRECTOR))
    if step == "chase":
        return item.supervisor_id == uid or manager
    if step == "comment":
        return item.instructing_leader_id == uid or item.supervisor_id == uid or manager
    return False


def allowed_steps(item: Item, user, *, manager: bool | None = None) -> list[str]:
    """The steps ``user`` may take on ``item`` now, for the item page's buttons."""
    manager = is_manager(user) if manager is None else manager
    steps = [s for s, (sources, _to) in TRANSITIONS.items()
             if item.status in sources and may(s, item, user, manager=manager)]
    if "decide_extension" in steps and not any(
            e.decision == Extension.Decision.PENDING for e in item.extensions.all()):
        steps.remove("decide_extension")
    if "request_extension" in steps and any(
            e.decision == Extension.Decision.PENDING for e in item.extensions.all()):
        steps.remove("request_extension")
    return steps


# --- plumbing ----------------------------------------------------------------------------

def _target_item(kwargs: dict):
    """The item a step acts on: ``item=``, or the item of ``extension=``."""
    if kwargs.get("item") is not None:
        return kwargs["item"]
    extension = kwargs.get("extension")
    return extension.item if extension is not None else None


def step(name: str):
    """Atomic; a refusal is audited as a failure on the item (or the extension's item)."""
    return audited_step(f"supervision.{name}", target=_target_item)


def _lock(item: Item) -> Item:
    return Item.objects.select_for_update().select_related("lead_unit").get(pk=item.pk)


def _check(step_name: str, item: Item, user) -> str | None:
    sources, target = TRANSITIONS[step_name]
    if not may(step_name, item, user):
        raise WorkflowError(_("You may not take this step on this item."), code="forbidden")
    if item.status not in sources:
        raise WorkflowError(
            _("This step is not possible while the item is “%(status)s”.")
            % {"status": item.get_status_display()}, code="wrong_status")
    return target


def _event(item: Item, kind: str, user, *, from_status: str = "", to_status: str = "",
           note: str = "", data: dict | None = None) -> Event:
    return Event.objects.create(item=item, kind=kind, actor=user, from_status=from_status,
                                to_status=to_status, note=note, data=data or {})


def _notify(event: Event, recipients: Iterable, title: Msg, body: str = "", *, task: str = "") -> None:
    """Notify each recipient once per event (never the person who acted). ``task``: the action
    the notification asks for (resolved when the item leaves that status, by whoever acts)."""
    ids = {pk for pk in recipients if pk and pk != event.actor_id}
    url = event.item.get_absolute_url()
    notify.notify_many([  # set-based (office.notify.notify_many)
        {"recipient_id": pk, "address": email, "key": f"sup:{event.pk}:{pk}", "title": title, "body": body,
         "url": url, "kind": "supervision", "task": task}
        for pk, email in User.objects.filter(pk__in=ids, is_active=True).order_by("pk").values_list("pk", "email")])


def _status_task(item: Item) -> str:
    return f"sup:{item.pk}:{item.status}"


def _separate_duties(responsible: User, supervisor: User) -> None:
    """The responsible person never supervises (verifies) their own item."""
    if responsible.pk == supervisor.pk:
        raise WorkflowError(_("The responsible person cannot be the supervising officer of the same item."),
                            code="duties")


def _lapse_pending(item: Item, user, why: str) -> None:
    """The unit's turn ended (result reported, disputed, closed): a request waiting for a
    decision lapses, with a timeline entry and an audit record."""
    for extension in Extension.objects.select_for_update().filter(item=item, decision=Extension.Decision.PENDING):
        extension.decision = Extension.Decision.LAPSED
        extension.decided_at, extension.decision_note = timezone.now(), why
        extension.save(update_fields=["decision", "decided_at", "decision_note"])
        notify.resolve([f"sup:{item.pk}:extension"], by=user)
        _event(item, Event.Kind.EXTENSION_LAPSED, None, note=why,
               data={"extension": extension.pk, "to": extension.new_deadline.isoformat()})
        audit.record("supervision.extension_lapsed", actor=user, obj=item,
                     detail={"extension": extension.pk, "to": extension.new_deadline.isoformat()})


def _move(item: Item, user, step_name: str, event_kind: str, *, note: str = "",
          data: dict | None = None, extra_fields: Iterable[str] = (), checked: bool = False) -> Event:
    target = TRANSITIONS[step_name][1] if checked else _check(step_name, item, user)
    previous = item.status
    if target:
        item.status = target
    item.save(update_fields=["status", *extra_fields])
    if previous != item.status:
        tasks = [f"sup:{item.pk}:{previous}"]
        if previous in WORKING_STATUSES and item.status not in WORKING_STATUSES:
            tasks.append(f"sup:{item.pk}:owed")  # reminders and chases: the unit's turn ended
        notify.resolve(tasks, by=user)
    event = _event(item, event_kind, user, from_status=previous, to_status=item.status,
                   note=note, data=data)
    audit.record(f"supervision.{step_name}", actor=user, obj=item,
                 detail={"from": previous, "to": item.status, **(data or {})})
    return event


# --- steps -------------------------------------------------------------------------------

@step("create")
def create_item(
    *,
    acting_user,
    title: str,
    requirement: str,
    source_kind: str,
    lead_unit: Unit,
    responsible: User,
    supervisor: User | None = None,
    deadline: dt.date | None = None,
    working_days: int | None = None,
    instructing_leader: User | None = None,
    co_units: Iterable[Unit] = (),
    priority: str = Priority.NORMAL,
    milestones: Iterable[tuple[str, dt.date]] = (),
    origin=None,
    assign: bool = False,
    vouched: bool = False,
) -> Item:
    """Open (立项) an item; with ``assign=True`` it is assigned at once. The deadline is a date
    or a number of working days from today through the office calendar; a date (deadline or
    milestone) on a day off ends on the next working day (``WorkCalendar.deadline_on``), the
    typed date is kept in the creation event. ``vouched`` is for
    ``services.open_item_from_origin``: the calling app has checked that the user may open it."""
    if not vouched and not is_manager(acting_user):
        raise WorkflowError(_("Only the supervision office and the office director open items."),
                            code="forbidden")
    title = require_line(title, _("A title is required."))
    requirement = require_text(requirement, _("The requirement is required."))
    if source_kind not in SourceKind.values:
        raise WorkflowError(_("Unknown source."), code="invalid")
    if responsible is None:
        raise WorkflowError(_("Every item needs one named responsible person."), code="required")
    _check_responsible(responsible, lead_unit)
    _separate_duties(responsible, supervisor or acting_user)
    if supervisor is not None:
        require_participant(supervisor, _("The supervising officer must be an active member of "
                                          "staff."))
    if instructing_leader is not None and not (
            roles.is_business_user(instructing_leader)
            and roles.has_role(instructing_leader, roles.COUNTY_LEADER, roles.OFFICE_DIRECTOR)):
        raise WorkflowError(_("“%(name)s” is not a leader who instructs.")
                            % {"name": instructing_leader}, code="invalid")
    co_units = list(co_units)
    if any(not u.is_active or u.kind == Unit.Kind.SUPERIOR for u in co_units):
        raise WorkflowError(_("A co-unit must be an active county unit."), code="invalid")
    if deadline is None and working_days is None:
        raise WorkflowError(_("Give a deadline or a number of working days."), code="required")
    today = timezone.localdate()
    cal = WorkCalendar.load()
    typed = deadline
    if deadline is None:
        if working_days < 1:
            raise WorkflowError(_("The number of working days must be at least 1."), code="invalid")
        if working_days > MAX_WORKING_DAYS:
            raise WorkflowError(_("The number of working days must be at most %(n)d.")
                                % {"n": MAX_WORKING_DAYS}, code="invalid")
        deadline = cal.add_working_days(today, working_days)
    else:
        dates.require(deadline, Bound.DEADLINE)
        deadline = cal.deadline_on(deadline)
    planned = []
    for m_title, due in milestones:
        dates.require(due, Bound.DEADLINE, prefix=_("Milestone “%(title)s”: ") % {"title": m_title})
        planned.append((m_title, due, cal.deadline_on(due)))
    if source_kind == SourceKind.INSTRUCTION and instructing_leader is None:
        raise WorkflowError(_("A leader instruction needs the instructing leader."), code="required")
    # everything first; the yearly counter is taken last (office.numbering.reserve)
    with numbering.reserve("supervision", today.year) as serial:
        item = Item(
            number=f"督〔{today.year}〕{serial.mark}号", title=title, requirement=requirement, source_kind=source_kind,
            lead_unit=lead_unit, responsible=responsible, supervisor=supervisor or acting_user,
            original_deadline=deadline, deadline=deadline, deliver_by=deadline,
            instructing_leader=instructing_leader, priority=priority, created_by=acting_user,
            deadline_provisional=not cal.covers_span(today, deadline), created_at=timezone.now(),
        )
        item.turn_since = item.created_at  # a draft: the office holds it
        if origin is not None:
            item.origin = origin
        item.save()
        co = [u for u in co_units if u.pk != lead_unit.pk]
        if co:
            item.co_units.set(co)
        for m_title, _typed, due in planned:
            Milestone.objects.create(item=item, title=m_title, due_on=due)
        data = {"deadline": deadline.isoformat()}
        if typed is not None and typed != deadline:
            data["deadline_typed"] = typed.isoformat()
        moved = [[t, m_typed.isoformat(), due.isoformat()] for t, m_typed, due in planned if m_typed != due]
        if moved:
            data["milestones_moved"] = moved
        _event(item, Event.Kind.CREATED, acting_user, to_status=item.status, data=data)
        audit.record("supervision.create", actor=acting_user, obj=item,
                     detail={"deadline": deadline.isoformat(),
                             "origin": audit.audit_label(origin) if origin else ""})
        if assign:
            _assign(item, acting_user, checked=vouched)
    return item


def _check_responsible(responsible: User, lead_unit: Unit) -> None:
    """What the item and reassignment forms check, checked again by the step itself."""
    require_active_unit(lead_unit, _("The lead unit is no longer active."))
    if lead_unit.kind == Unit.Kind.SUPERIOR:
        raise WorkflowError(_("A superior organ cannot lead a supervision item."), code="invalid")
    require_participant(responsible, _("The responsible person must be an active member of staff."))
    if responsible.unit_id != lead_unit.pk:
        raise WorkflowError(_("The responsible person must belong to the lead unit."),
                            code="invalid")


def _assign(item: Item, user, *, checked: bool = False) -> None:
    item.assigned_at = timezone.now()
    clock = timeliness.start(item, item.assigned_at)
    event = _move(item, user, "assign", Event.Kind.ASSIGNED, extra_fields=["assigned_at", *clock],
                  checked=checked)
    _notify(event, [item.responsible_id, item.lead_unit.head_id],
            Msg(N_("New supervision item: %(title)s"), title=item.title),
            _("%(number)s, due %(deadline)s. Please acknowledge it.")
            % {"number": item.number, "deadline": item.deadline.isoformat()}, task=_status_task(item))


@step("assign")
def assign(*, item: Item, acting_user) -> Item:
    """交办: the responsible person and the lead unit's head are notified."""
    item = _lock(item)
    _assign(item, acting_user)
    return item


@step("acknowledge")
def acknowledge(*, item: Item, acting_user) -> Item:
    """签收 by the responsible person."""
    item = _lock(item)
    item.acknowledged_at = timezone.now()
    event = _move(item, acting_user, "acknowledge", Event.Kind.ACKNOWLEDGED,
                  extra_fields=["acknowledged_at"])
    _notify(event, [item.supervisor_id], Msg(N_("Acknowledged: %(title)s"), title=item.title))
    return item


@step("dispute")
def dispute(*, item: Item, acting_user, reason: str) -> Item:
    """退办: the lead unit disputes the assignment; the office must reassign."""
    item = _lock(item)
    reason = require_text(reason, _("Say why the assignment is disputed."))
    _check("dispute", item, acting_user)
    clock = timeliness.hand_to_office(item, timezone.now())
    event = _move(item, acting_user, "dispute", Event.Kind.DISPUTED, note=reason, extra_fields=clock,
                  checked=True)
    _lapse_pending(item, acting_user, _("The assignment was disputed."))
    _notify(event, [item.supervisor_id, item.created_by_id],
            Msg(N_("Assignment disputed: %(title)s"), title=item.title), reason, task=_status_task(item))
    return item


@step("reassign")
def reassign(*, item: Item, acting_user, lead_unit: Unit, responsible: User, note: str = "") -> Item:
    """The office reassigns a disputed item to a (possibly different) unit and person."""
    item = _lock(item)
    _check("reassign", item, acting_user)
    _check_responsible(responsible, lead_unit)
    _separate_duties(responsible, item.supervisor)
    data = {"lead_unit": str(lead_unit), "responsible": str(responsible),
            "previous_lead_unit": str(item.lead_unit), "previous_responsible": str(item.responsible)}
    item.lead_unit, item.responsible = lead_unit, responsible
    item.assigned_at, item.acknowledged_at = timezone.now(), None
    clock = timeliness.resume(item, item.assigned_at, WorkCalendar.load())
    event = _move(item, acting_user, "reassign", Event.Kind.REASSIGNED, note=note, data=data,
                  extra_fields=["lead_unit", "responsible", "assigned_at", "acknowledged_at", *clock])
    _notify(event, [responsible.pk, lead_unit.head_id],
            Msg(N_("New supervision item: %(title)s"), title=item.title), note, task=_status_task(item))
    return item


def _attach(report: ProgressReport, files) -> None:
    """Store the report's files, each checked first (``office.uploads``: content matches the
    name, sizes, number); a refusal rolls the whole step back."""
    for c in check_uploads(files, ATTACHMENTS):
        Attachment.objects.create(report=report, file=c.file, name=c.name, size=c.size,
                                  content_type=c.content_type)


@step("report_progress")
def report_progress(*, item: Item, acting_user, text: str, progress_on: dt.date | None = None,
                    files=()) -> ProgressReport:
    """A progress report (text, attachments, date)."""
    item = _lock(item)
    text = require_text(text, _("Describe the progress."))
    progress_on = progress_on or timezone.localdate()
    dates.require(progress_on, Bound.PAST_DATE)
    event = _move(item, acting_user, "report_progress", Event.Kind.PROGRESS, note=text,
                  data={"progress_on": progress_on.isoformat()})
    report = ProgressReport.objects.create(item=item, author=acting_user, text=text,
                                           progress_on=progress_on)
    _attach(report, files)
    _notify(event, [item.supervisor_id, item.instructing_leader_id],
            Msg(N_("Progress on: %(title)s"), title=item.title), text)
    return report


@step("report_result")
def report_result(*, item: Item, acting_user, result: str, files=()) -> Item:
    """申请办结: the responsible person reports the result; the supervising officer verifies."""
    item = _lock(item)
    result = require_text(result, _("Closing needs a result text."))
    _check("report_result", item, acting_user)
    item.result, item.result_reported_at = result, timezone.now()
    clock = timeliness.hand_to_office(item, item.result_reported_at)
    event = _move(item, acting_user, "report_result", Event.Kind.RESULT, note=result,
                  extra_fields=["result", "result_reported_at", *clock], checked=True)
    _lapse_pending(item, acting_user, _("The result was reported."))
    report = ProgressReport.objects.create(item=item, author=acting_user, text=result,
                                           progress_on=timezone.localdate(), is_result=True)
    _attach(report, files)
    _notify(event, [item.supervisor_id],
            Msg(N_("Result reported, please verify: %(title)s"), title=item.title), result,
            task=_status_task(item))
    return item


@step("accept")
def accept(*, item: Item, acting_user, note: str = "") -> Item:
    """核实 → 办结销号. The instructing leader hears the answer (件件有回音)."""
    item = _lock(item)
    _check("accept", item, acting_user)
    clock = timeliness.close(item, timezone.now(), WorkCalendar.load())
    event = _move(item, acting_user, "accept", Event.Kind.ACCEPTED, note=note, extra_fields=clock,
                  data={"closing": item.closing}, checked=True)
    _lapse_pending(item, acting_user, _("The item was closed."))
    _notify(event, [item.responsible_id, item.instructing_leader_id, item.lead_unit.head_id],
            Msg(N_("Closed: %(title)s"), title=item.title), item.result)
    return item


@step("return")
def return_item(*, item: Item, acting_user, reason: str) -> Item:
    """The supervising officer returns a reported result with a reason."""
    item = _lock(item)
    reason = require_text(reason, _("Say why the result is returned."))
    _check("return", item, acting_user)
    returned_result = item.result
    item.result_reported_at, item.result = None, ""  # the returned text stays in the timeline
    clock = timeliness.resume(item, timezone.now(), WorkCalendar.load())
    event = _move(item, acting_user, "return", Event.Kind.RETURNED, note=reason,
                  data={"returned_result": returned_result, "deliver_by": item.deliver_by.isoformat()},
                  extra_fields=["result_reported_at", "result", *clock], checked=True)
    _notify(event, [item.responsible_id],
            Msg(N_("Result returned: %(title)s"), title=item.title), reason)
    return item


@step("request_extension")
def request_extension(*, item: Item, acting_user, new_deadline: dt.date, reason: str) -> Extension:
    """延期申请 by the responsible person. One pending request at a time. A new deadline on a
    day off ends on the next working day (the typed date stays in the event)."""
    item = _lock(item)
    _check("request_extension", item, acting_user)
    reason = require_text(reason, _("Say why more time is needed."))
    typed = new_deadline
    if new_deadline is not None:
        dates.require(new_deadline, Bound.DEADLINE)
        new_deadline = WorkCalendar.load().deadline_on(new_deadline)
    if new_deadline is None or new_deadline <= item.deadline:
        raise WorkflowError(_("The new deadline must be later than the current one (%(date)s).")
                            % {"date": item.deadline.isoformat()}, code="invalid")
    if item.extensions.filter(decision=Extension.Decision.PENDING).exists():
        raise WorkflowError(_("An extension request is already waiting for a decision."),
                            code="duplicate")
    extension = Extension.objects.create(item=item, requested_by=acting_user, reason=reason,
                                         previous_deadline=item.deadline, new_deadline=new_deadline)
    data = {"from": item.deadline.isoformat(), "to": new_deadline.isoformat()}
    if typed != new_deadline:
        data["deadline_typed"] = typed.isoformat()
    event = _event(item, Event.Kind.EXTENSION_REQUESTED, acting_user, note=reason, data=data)
    audit.record("supervision.request_extension", actor=acting_user, obj=item,
                 detail={"to": new_deadline.isoformat()})
    deciders = [item.instructing_leader_id] if item.instructing_leader_id else list(
        User.objects.filter(groups__name=roles.OFFICE_DIRECTOR, is_active=True)
        .values_list("pk", flat=True))
    _notify(event, deciders, Msg(N_("Extension requested: %(title)s"), title=item.title), reason,
            task=f"sup:{item.pk}:extension")
    return extension


def pending_extension(item: Item) -> Extension:
    """The extension request waiting for a decision on ``item``; when there is none, an unsaved
    request of the item, which ``decide_extension`` refuses (audited on the item). Prefer
    ``decide_extension(item=...)``, which looks the pending request up under the item's lock."""
    pending = item.extensions.filter(decision=Extension.Decision.PENDING).first()
    return pending if pending is not None else Extension(item=item)


@step("decide_extension")
def decide_extension(*, acting_user, approve: bool, note: str = "", item: Item | None = None,
                     extension: Extension | None = None) -> Extension:
    """The instructing leader or the office director approves or refuses the request waiting on
    ``item`` (or the given ``extension``), only while the unit owes the work. The original
    deadline is kept on the item; an approval moves ``deadline`` (and the date the unit must
    deliver by). Every refusal is audited on the item."""
    item = _lock(item if item is not None else extension.item)
    _check("decide_extension", item, acting_user)
    if extension is not None and extension.pk is not None:
        extension = Extension.objects.select_for_update().get(pk=extension.pk, item=item)
        if extension.decision == Extension.Decision.LAPSED:
            raise WorkflowError(_("This extension request has lapsed."), code="lapsed")
        if extension.decision != Extension.Decision.PENDING:
            raise WorkflowError(_("This extension request has already been decided."), code="decided")
    else:
        extension = Extension.objects.select_for_update().filter(
            item=item, decision=Extension.Decision.PENDING).first()
        if extension is None:
            raise WorkflowError(_("There is no extension request waiting for a decision."),
                                code="none_pending")
    extension.decision = Extension.Decision.APPROVED if approve else Extension.Decision.REFUSED
    extension.decided_by, extension.decided_at = acting_user, timezone.now()
    extension.decision_note = (note or "").strip()
    extension.save(update_fields=["decision", "decided_by", "decided_at", "decision_note"])
    notify.resolve([f"sup:{item.pk}:extension"], by=acting_user)
    if approve:
        # the calendar may have changed since the request (a year loaded): normalise again
        dates.require(extension.new_deadline, Bound.SUPPORTED)
        cal = WorkCalendar.load()
        applied = cal.deadline_on(extension.new_deadline)
        if applied != extension.new_deadline:
            extension.new_deadline = applied
            extension.save(update_fields=["new_deadline"])
        item.deadline_provisional = not cal.covers_span(timezone.localdate(), applied)
        item.save(update_fields=[*timeliness.move_deadline(item, applied, cal), "deadline_provisional"])
    kind = Event.Kind.EXTENSION_APPROVED if approve else Event.Kind.EXTENSION_REFUSED
    event = _event(item, kind, acting_user, note=extension.decision_note,
                   data={"to": extension.new_deadline.isoformat()})
    audit.record("supervision.decide_extension", actor=acting_user, obj=item,
                 detail={"approved": approve, "to": extension.new_deadline.isoformat()})
    title = Msg(N_("Extension approved: %(title)s") if approve
                else N_("Extension refused: %(title)s"), title=item.title)
    _notify(event, [item.responsible_id, item.supervisor_id], title, extension.decision_note)
    return extension


@step("chase")
def chase(*, item: Item, acting_user, note: str) -> Chase:
    """Manual 催办 with a note: recorded, notified and printable as a 催办通知单."""
    item = _lock(item)
    _check("chase", item, acting_user)
    note = require_text(note, _("Write what the chase asks for."))
    year = timezone.localdate().year
    with numbering.reserve("supervision-chase", year) as serial:  # the counter is taken last
        record = Chase.objects.create(item=item, sent_by=acting_user, note=note,
                                      number=f"督催〔{year}〕{serial.mark}号")
        event = _event(item, Event.Kind.CHASE, acting_user, note=note,
                       data={"chase": record.pk, "number": record.number})
        audit.record("supervision.chase", actor=acting_user, obj=item, detail={"number": record.number})
        _notify(event, [item.responsible_id, item.lead_unit.head_id],
                Msg(N_("Chase (催办): %(title)s"), title=item.title), note,
                task=f"sup:{item.pk}:owed")
    return record


@step("comment")
def comment(*, item: Item, acting_user, text: str) -> Event:
    """A comment, typically the instructing leader's."""
    item = _lock(item)
    _check("comment", item, acting_user)
    text = require_text(text, _("Write a comment."))
    event = _event(item, Event.Kind.COMMENT, acting_user, note=text)
    audit.record("supervision.comment", actor=acting_user, obj=item)
    _notify(event, [item.responsible_id, item.supervisor_id],
            Msg(N_("Comment on: %(title)s"), title=item.title), text)
    return event


# --- the calendar changed ------------------------------------------------------------------

def recalculate_for_year(*, year: int, loaded: bool, cal: WorkCalendar, acting_user=None) -> int:
    """Listener of ``office.calendar_years``. When ``year`` is loaded, the open items' dates in
    it that now fall on a day off move to the next working day (deadline, original deadline,
    milestones not done, pending extension requests), each move leaving a "recalculated" event,
    and the provisional flags are recomputed; when a year is unloaded, open items with a deadline
    in it are flagged provisional again. Returns the items changed."""
    open_items = Item.objects.filter(status__in=list(OPEN_STATUSES))
    if not loaded:
        return open_items.filter(deadline__year=year, deadline_provisional=False).update(
            deadline_provisional=True)
    touched = (open_items.filter(deadline__year=year) | open_items.filter(original_deadline__year=year)
               | open_items.filter(deadline_provisional=True)
               | open_items.filter(milestones__due_on__year=year, milestones__done_at__isnull=True)
               | open_items.filter(extensions__new_deadline__year=year,
                                   extensions__decision=Extension.Decision.PENDING))
    events, changed = [], 0
    for item in Item.objects.select_for_update().filter(pk__in=touched.values("pk")).order_by("pk"):
        moves = []
        for name in ("original_deadline", "deadline"):
            old = getattr(item, name)
            new = cal.deadline_on(old) if old.year == year else old
            if new != old:
                setattr(item, name, new)
                moves.append((name, old, new))
        provisional = not cal.covers_span(timezone.localdate(item.created_at), item.deadline)
        # the date the unit must deliver by follows the deadline (and the held days, through the
        # calendar just changed)
        deliver_by = timeliness.shift(item.deadline, item.held_days, cal)
        if item.held_days and deliver_by != item.deliver_by:
            moves.append(("deliver_by", item.deliver_by, deliver_by))
        if moves or provisional != item.deadline_provisional:
            item.deadline_provisional, item.deliver_by = provisional, deliver_by
            item.save(update_fields=["original_deadline", "deadline", "deliver_by", "deadline_provisional"])
        for m in item.milestones.filter(due_on__year=year, done_at__isnull=True):
            new = cal.deadline_on(m.due_on)
            if new != m.due_on:
                moves.append(("milestone", m.due_on, new))
                m.due_on = new
                m.save(update_fields=["due_on"])
        for e in item.extensions.filter(new_deadline__year=year, decision=Extension.Decision.PENDING):
            new = cal.deadline_on(e.new_deadline)
            if new != e.new_deadline:
                moves.append(("extension_to", e.new_deadline, new))
                e.new_deadline = new
                e.save(update_fields=["new_deadline"])
        events += [Event(item=item, kind=Event.Kind.RECALCULATED, actor=acting_user,
                         to_status=item.status,
                         data={"field": name, "from": old.isoformat(), "to": new.isoformat(),
                               "reason": "year_loaded", "year": year})
                   for name, old, new in moves]
        changed += 1
    Event.objects.bulk_create(events)
    return changed
