"""The incoming-document workflow (收文办理, 条例 第二十四条): one transition table and one
function per step. Each step is keyword-only with ``acting_user=``, atomic, locks the document
row, refuses an illegal step with a ``WorkflowError`` that says why (and audits the refusal),
writes a ``DocumentEvent`` and an audit record, and notifies after the commit. An archived
document is read-only."""

from __future__ import annotations

import datetime as dt
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from documents import extract, search
from documents.models import (
    DOCUMENT_URGENCIES,
    SECRECY_MAX_YEARS,
    TELEGRAM_URGENCIES,
    Circulation,
    DocumentAttachment,
    DocumentEvent,
    DocumentSettings,
    DocumentType,
    Handling,
    IncomingDocument,
    Instruction,
    ReturnReason,
    Status,
    UrgencyRule,
)
from office import audit, bulk, dates, docnumbers, notify, numbering, queueing, roles
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

S = Status

# step -> (statuses it may start from, status it leads to; None keeps the status)
TRANSITIONS: dict[str, tuple[frozenset[str], str | None]] = {
    "return_to_sender": (frozenset({S.REGISTERED}), S.RETURNED),
    "circulate": (frozenset({S.REGISTERED}), S.CIRCULATING),
    "add_readers": (frozenset({S.CIRCULATING, S.INSTRUCTED, S.HANDLING, S.RESULT, S.REPLIED}), None),
    "submit_for_proposal": (frozenset({S.REGISTERED}), S.PROPOSING),
    "propose": (frozenset({S.PROPOSING}), S.INSTRUCTING),
    "instruct": (frozenset({S.INSTRUCTING}), None),  # → INSTRUCTED after the last leader
    "assign_handling": (frozenset({S.PROPOSING, S.INSTRUCTED}), S.HANDLING),
    "record_result": (frozenset({S.HANDLING}), S.RESULT),
    "record_reply": (frozenset({S.RESULT}), S.REPLIED),
    "close": (frozenset({S.REPLIED}), S.CLOSED),
    "archive": (frozenset({S.CLOSED, S.CIRCULATING}), S.ARCHIVED),
    "recall_copy": (frozenset({S.CIRCULATING, S.INSTRUCTED, S.HANDLING, S.RESULT, S.REPLIED}), None),
    "read_copy": (frozenset({S.CIRCULATING, S.INSTRUCTED, S.HANDLING, S.RESULT, S.REPLIED,
                             S.CLOSED}), None),
    "supervise": (frozenset({S.INSTRUCTING, S.INSTRUCTED, S.HANDLING}), None),
}

ALLOWED_SUFFIXES = {".pdf", ".ofd", ".doc", ".docx", ".wps", ".jpg", ".jpeg", ".png", ".tif",
                    ".tiff", ".txt"}
MAX_UPLOAD_BYTES = 50 * 1024 * 1024
ATTACHMENTS = UploadPolicy(suffixes=frozenset(ALLOWED_SUFFIXES), max_bytes=MAX_UPLOAD_BYTES)
ADVISORY_REGISTER = 7_001  # namespace of the advisory locks taken by registration


def telegram_urgency_message() -> str:
    return _("A telegram always carries one of the four telegram urgencies: 平急, 加急, 特急 or 特提 "
             "(电信公文随到随办).")


# --- who may act -------------------------------------------------------------------------

def is_document_office(user, conf: DocumentSettings | None = None) -> bool:
    """Members of the document office (文电科) and the office directors run the intake desk.
    An administrator account never does, whatever unit the settings name."""
    if not roles.is_business_user(user):
        return False
    if roles.has_role(user, roles.OFFICE_DIRECTOR):
        return True
    conf = conf or DocumentSettings.load()
    return bool(conf.office_unit_id and user.unit_id == conf.office_unit_id)


def may_see_classified(user) -> bool:
    return user.has_perm("documents.view_classified")


def _current_instruction(doc: IncomingDocument) -> Instruction | None:
    return doc.instructions.filter(instructed_at__isnull=True).order_by("order").first()


def may(step: str, doc: IncomingDocument, user, *, office: bool | None = None) -> bool:
    if not roles.is_business_user(user):
        return False
    if doc.status == S.PROPOSING and not roles.has_role(user, roles.OFFICE_DIRECTOR):
        return False  # waiting for 拟办: the directors' alone (the clerk assigns after 批办)
    office = is_document_office(user) if office is None else office
    if step in ("return_to_sender", "circulate", "add_readers", "submit_for_proposal", "close",
                "archive", "recall_copy"):
        return office
    if step == "propose":
        return roles.has_role(user, roles.OFFICE_DIRECTOR)
    if step == "instruct":
        current = _current_instruction(doc)
        return current is not None and current.leader_id == user.pk
    if step == "assign_handling":
        return office
    if step in ("record_result", "record_reply"):
        return office or doc.handler_id == user.pk
    if step == "read_copy":
        return doc.circulations.filter(reader=user, sent_at__isnull=False, read_at__isnull=True,
                                       recalled_at__isnull=True, lapsed_at__isnull=True).exists()
    if step == "supervise":
        return office
    return False


def allowed_steps(doc: IncomingDocument, user, *, office: bool | None = None) -> list[str]:
    office = is_document_office(user) if office is None else office
    steps = []
    for name, (sources, _to) in TRANSITIONS.items():
        if name == "recall_copy":  # offered per copy, beside each unopened copy
            continue
        if doc.status not in sources or not may(name, doc, user, office=office):
            continue
        if ruled_out(name, doc) is not None:
            continue
        steps.append(name)
    return steps


def ruled_out(name: str, doc: IncomingDocument) -> tuple[str, str] | None:
    """What the document itself rules out for a step, beyond who acts and the status:
    (code, reason) or None. The one place both the page's buttons (``allowed_steps``) and the
    steps themselves (``_check``) ask, so a crafted POST meets the same rule as the button."""
    if name == "circulate" and doc.handling != Handling.READ:
        return "handling", _("Only a document to read (阅件) is circulated; this one is to be "
                             "handled (办件): pass it to the director for a proposal.")
    if name == "submit_for_proposal" and doc.handling != Handling.ACTION:
        return "handling", _("Only a document to handle (办件) goes to the director for a "
                             "proposal; this one is to be read (阅件): circulate it.")
    if name == "archive" and doc.status == S.CIRCULATING and _unfinished_copies(doc):
        return "unread", _("Some readers have not read the document yet.")
    if name == "supervise" and doc.secrecy:
        return "classified", _("A classified document cannot become a supervision item here: the "
                               "supervision pages are not cleared for its contents.")
    return None


def _unfinished_copies(doc: IncomingDocument) -> int:
    return doc.circulations.filter(read_at__isnull=True, recalled_at__isnull=True,
                                   lapsed_at__isnull=True).count()


# --- plumbing ----------------------------------------------------------------------------

def step(name: str):
    """Atomic; a refusal is audited as a failure on the document."""
    return audited_step(f"documents.{name}", target_kwarg="document")


def _lock(doc: IncomingDocument) -> IncomingDocument:
    return IncomingDocument.objects.select_for_update().get(pk=doc.pk)


def _check(name: str, doc: IncomingDocument, user) -> str | None:
    sources, target = TRANSITIONS[name]
    if doc.status == S.ARCHIVED:
        raise WorkflowError(_("The document is archived and can no longer change."), code="archived")
    if not may(name, doc, user):
        raise WorkflowError(_("You may not take this step on this document."), code="forbidden")
    if doc.status not in sources:
        raise WorkflowError(_("This step is not possible while the document is “%(status)s”.")
                            % {"status": doc.get_status_display()}, code="wrong_status")
    refusal = ruled_out(name, doc)
    if refusal is not None:
        raise WorkflowError(refusal[1], code=refusal[0])
    return target


def _event(doc, kind, user, *, note="", data=None, from_status="") -> DocumentEvent:
    return DocumentEvent.objects.create(document=doc, kind=kind, actor=user, note=note,
                                        data=data or {}, from_status=from_status,
                                        to_status=doc.status)


def _move(doc: IncomingDocument, user, name: str, kind: str, *, note: str = "",
          data: dict | None = None, fields: Iterable[str] = (), target: str | None = None,
          checked: bool = False) -> DocumentEvent:
    """Check (unless the step already did), move to the step's target status, mark the document
    cleared when it leaves the intake desk, save, and write the event and the audit record."""
    table_target = TRANSITIONS[name][1] if checked else _check(name, doc, user)
    previous = doc.status
    doc.status = target or table_target or doc.status
    fields = ["status", *fields]
    if previous == S.REGISTERED and doc.status != S.REGISTERED and doc.cleared_at is None:
        doc.cleared_at = timezone.now()
        fields.append("cleared_at")
    doc.save(update_fields=fields)
    if previous != doc.status:
        _resolve_status(doc, previous, user)
    event = _event(doc, kind, user, note=note, data=data, from_status=previous)
    audit.record(f"documents.{name}", actor=user, obj=doc,
                 detail={"from": previous, "to": doc.status, **(data or {})})
    return event


def _notify(event: DocumentEvent, user_ids: Iterable[int], title: Msg, body: str = "", *,
            task: str = "") -> None:
    """``task`` names the action asked for ("{uid}" becomes each recipient's id); the default is
    the document's status (``_resolve_status`` resolves it when the status moves on)."""
    ids = {pk for pk in user_ids if pk and pk != event.actor_id}
    task = task or f"doc:{event.document_id}:{event.document.status}"
    url = event.document.get_absolute_url()
    notify.notify_many([  # set-based: one insert for every reader (office.notify.notify_many)
        {"recipient_id": pk, "address": email, "key": f"doc:{event.pk}:{pk}", "title": title, "body": body,
         "url": url, "kind": "documents", "task": task.replace("{uid}", str(pk))}
        for pk, email in User.objects.filter(pk__in=ids, is_active=True).order_by("pk").values_list("pk", "email")])


def title_param(doc: IncomingDocument):
    """The document's title as a notification parameter: a classified document's never leaves
    its pages (rendered as "(classified)" in the reader's language)."""
    return Msg(N_("(classified)")) if doc.secrecy else doc.title


def _resolve_status(doc: IncomingDocument, previous: str, user) -> None:
    """The document left ``previous``: what was asked of anyone in that status is done."""
    tasks = [f"doc:{doc.pk}:{previous}"]
    if previous == S.INSTRUCTING:
        tasks += [f"doc:{doc.pk}:instructing:{uid}"
                  for uid in doc.instructions.values_list("leader_id", flat=True)]
    notify.resolve(tasks, by=user)


def sender_number_warning(sender_number: str) -> str:
    """A warning when 来文字号 is not written 机关代字〔年〕N号 (registration still goes on, with
    the number as typed; ``office.docnumbers`` reads it whichever way it is written)."""
    if not sender_number or docnumbers.is_standard(sender_number.strip()):
        return ""
    number = docnumbers.parse(sender_number)
    if number is not None:
        return _("The sender's number “%(number)s” is written “%(standard)s” by the standard "
                 "(full year in 〔〕, no 第, no leading 0); it is the same number.") % {
            "number": sender_number, "standard": number}
    return _("The sender's number “%(number)s” does not follow the form 机关代字〔2026〕12号 "
             "(full year in 〔〕, no 第, no leading 0).") % {"number": sender_number}


def find_duplicate(sender: Unit, sender_number: str) -> IncomingDocument | None:
    """The first registration of the same sender's number however it was typed (the same
    ``office.docnumbers.number_key``), unless it was returned (a returned document may come
    back corrected under the same number)."""
    key = docnumbers.number_key(sender_number)[:200]
    if not key:
        return None
    return (IncomingDocument.objects.filter(sender=sender, sender_number_key=key)
            .exclude(status=S.RETURNED).order_by("pk").first())


@dataclass(frozen=True)
class Due:
    at: dt.datetime
    provisional: bool  # computed across a year the calendar does not cover


def due(received_at: dt.datetime, urgency: str, cal: WorkCalendar | None = None) -> Due:
    """The clock of a document received at ``received_at``. 当日文件当日清: an ordinary
    document is due at the end of the receiving working day (the next one after the cutoff or
    on a day off); an urgent one after its urgency's minutes (*Urgency time limits*): clock
    minutes for the round-the-clock urgencies (特提, 特急: the duty room handles them at night
    and on holidays), office minutes for the others. Office-time arithmetic that touches a
    year the calendar has not loaded is provisional."""
    cal = cal or WorkCalendar.load()
    rule = UrgencyRule.objects.filter(urgency=urgency).first() if urgency else None
    if rule is not None and rule.round_the_clock:
        return Due(received_at + dt.timedelta(minutes=rule.minutes), False)
    at = (cal.add_working_minutes(received_at, rule.minutes) if rule is not None
          else cal.same_day_due(received_at))
    return Due(at, not cal.covers_span(timezone.localdate(received_at), timezone.localdate(at)))


def due_time(received_at: dt.datetime, urgency: str, cal: WorkCalendar | None = None) -> dt.datetime:
    return due(received_at, urgency, cal).at


def handling_deadline(typed: dt.date, cal: WorkCalendar | None = None) -> tuple[dt.date, bool]:
    """The handling deadline that applies to ``typed`` (``WorkCalendar.deadline_on``: a day off
    moves it to the next working day) and whether it is provisional (year not loaded)."""
    cal = cal or WorkCalendar.load()
    applied = cal.deadline_on(typed)
    return applied, not cal.covers_span(timezone.localdate(), applied)


def _attach(doc: IncomingDocument, checked) -> None:
    """Store the checked files; their text is extracted after the commit by a task with limits
    (``documents.tasks.extract_attachment_text``), never inside the registration."""
    from documents.tasks import extract_attachment_text

    for c in checked:
        extractable = extract.can_extract(c.name, c.content_type)
        att = DocumentAttachment.objects.create(
            document=doc, file=c.file, name=c.name, size=c.size, content_type=c.content_type,
            extraction=DocumentAttachment.Extraction.PENDING if extractable
            else DocumentAttachment.Extraction.NONE)
        if extractable:
            queueing.enqueue_on_commit(extract_attachment_text, att.pk)  # or the extraction sweep


def _search_text(doc: IncomingDocument, attachment_texts) -> str:
    number, pending = numbering.split_mark(doc.number)  # registering: the serial comes last
    return search.index_text([doc.title, number, doc.sender_number, doc.sender.name, doc.sender.short_name],
                             attachment_texts) + pending


def reindex(doc: IncomingDocument) -> None:
    doc.search_vector = _search_text(doc, doc.attachments.order_by("pk").values_list("text", flat=True))
    doc.save(update_fields=["search_vector"])


# --- steps -------------------------------------------------------------------------------

@step("register")
def register(
    *,
    acting_user,
    sender: Unit,
    title: str,
    doc_type: DocumentType,
    handling: str,
    received_at: dt.datetime,
    signed_by: User,
    sender_number: str = "",
    urgency: str = "",
    is_telegram: bool = False,
    secrecy: str = "",
    secrecy_years: int | None = None,
    copies: int = 1,
    pages: int = 1,
    files: Sequence = (),
) -> IncomingDocument:
    """签收 + 登记: number the document (收〔年〕N号), compute its due time, store attachments
    (never for classified documents: 涉密不上网) and index it for search."""
    if not is_document_office(acting_user):
        raise WorkflowError(_("Only the document office registers documents."), code="forbidden")
    title = require_line(title, _("The title is required."))
    sender_number = (sender_number or "").strip()
    if sender_number:
        sender_number = require_line(sender_number, _("The sender's number is required."))
    require_active_unit(sender, _("The sending unit is no longer active."))
    require_participant(signed_by, _("The person who signed for it must be an active member of "
                                     "staff."))
    if handling not in Handling.values:
        raise WorkflowError(_("Choose whether the document is to be read or to be handled."),
                            code="invalid")
    if is_telegram and urgency not in TELEGRAM_URGENCIES:
        raise WorkflowError(telegram_urgency_message(), code="invalid")
    if not is_telegram and urgency not in DOCUMENT_URGENCIES:
        raise WorkflowError(_("This urgency is only for telegrams.") if urgency in TELEGRAM_URGENCIES
                            else _("Unknown urgency."), code="invalid")
    if received_at is None:
        raise WorkflowError(_("Give the date and time received."), code="required")
    dates.require(received_at, Bound.RECEIVED)
    if secrecy:
        if not may_see_classified(acting_user):
            raise WorkflowError(_("Only cleared staff may register classified documents."),
                                code="forbidden")
        if files:
            raise WorkflowError(
                _("Classified documents are registered as metadata only: their text and "
                  "attachments never enter this system (涉密不上网, 上网不涉密). Keep the paper "
                  "copy in the confidential files."), code="classified")
        if not secrecy_years or secrecy_years > SECRECY_MAX_YEARS[secrecy]:
            raise WorkflowError(_("Give the secrecy period in years (at most %(n)d for this level).")
                                % {"n": SECRECY_MAX_YEARS[secrecy]}, code="invalid")
    else:
        secrecy_years = None
    checked = check_uploads(files, ATTACHMENTS)
    if sender_number:
        # two clerks (or a double click) registering the same sender's number: the second waits
        # here until the first commits, then finds it as a duplicate
        # (on the number's key: 县财[2026]05号 waits for 县财〔2026〕5号)
        key = zlib.crc32(f"{sender.pk}:{docnumbers.number_key(sender_number)}".encode()) - 2**31
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [ADVISORY_REGISTER, key])
    duplicate = find_duplicate(sender, sender_number)
    if duplicate is not None and duplicate.secrecy and not may_see_classified(acting_user):
        raise WorkflowError(_("This sender's number is already registered. Ask the confidential "
                              "clerk."), code="duplicate")
    if duplicate is not None:
        raise WorkflowError(_("%(sender)s's %(number)s is already registered as %(first)s.")
                            % {"sender": sender, "number": sender_number, "first": duplicate.number},
                            code="duplicate", existing=duplicate)
    year = timezone.localtime(received_at).year
    clock = due(received_at, urgency)
    # everything first; the yearly counter is taken last (office.numbering.reserve)
    with numbering.reserve("incoming", year) as serial:
        doc = IncomingDocument(
            year=year, serial=serial.serial, number=f"收〔{year}〕{serial.mark}号", sender=sender,
            sender_number=sender_number, title=title, doc_type=doc_type, is_telegram=is_telegram,
            urgency=urgency, secrecy=secrecy, secrecy_years=secrecy_years, copies=copies, pages=pages,
            handling=handling, received_at=received_at, signed_by=signed_by, registered_by=acting_user,
            due_at=clock.at, due_provisional=clock.provisional,
        )
        # indexed with the row: attachments have no text yet (extracted later, which reindexes)
        doc.search_vector = _search_text(doc, ())
        doc.save(force_insert=True)
        _attach(doc, checked)
        _event(doc, DocumentEvent.Kind.REGISTERED, acting_user,
               data={"due_at": doc.due_at.isoformat(), "due_provisional": doc.due_provisional,
                     "warning": sender_number_warning(sender_number)})
        audit.record("documents.register", actor=acting_user, obj=doc,
                     detail={"classified": bool(secrecy), "urgency": urgency})
    return doc


@step("return_to_sender")
def return_to_sender(*, document: IncomingDocument, acting_user, reason: str, note: str = ""):
    """初审 → 退回来文单位 with a reason from the list; the document leaves the queue and stays
    in the returned register."""
    doc = _lock(document)
    if reason not in ReturnReason.values:
        raise WorkflowError(_("Choose a reason for returning the document."), code="required")
    if reason == ReturnReason.OTHER:
        require_text(note, _("Explain the reason."))
    doc.return_reason, doc.return_note, doc.returned_at = reason, (note or "").strip(), timezone.now()
    _move(doc, acting_user, "return_to_sender", DocumentEvent.Kind.RETURNED,
          note=f"{doc.get_return_reason_display()} {doc.return_note}".strip(),
          fields=["return_reason", "return_note", "returned_at"])
    return doc


def _create_copies(doc: IncomingDocument, readers: Sequence[User], sequential: bool) -> list[int]:
    """Create circulation copies; returns the reader ids notified now."""
    if not readers:
        raise WorkflowError(_("Choose at least one reader."), code="required")
    internal = {Unit.Kind.LEADERSHIP, Unit.Kind.SECTION}
    roles.load_roles(readers)  # one query for every reader's roles
    for reader in readers:
        require_participant(reader, _("“%(name)s” cannot receive a copy: readers are active "
                                      "staff of the office and county leaders.") % {"name": reader})
        if reader.unit is None or reader.unit.kind not in internal:
            raise WorkflowError(_("“%(name)s” cannot receive a copy: readers are active staff of "
                                  "the office and county leaders.") % {"name": reader},
                                code="invalid")
    if doc.secrecy and any(not may_see_classified(r) for r in readers):
        raise WorkflowError(_("A classified document goes only to readers cleared for it."),
                            code="classified")
    from django.contrib.postgres.aggregates import ArrayAgg
    from django.db.models import Max, Q

    copies = Circulation.objects.filter(document_id=doc.pk).aggregate(  # one query for both
        last=Max("order"), holders=ArrayAgg("reader_id", filter=Q(recalled_at__isnull=True), default=[]))
    start = (copies["last"] or 0) + 1
    already = set(copies["holders"])
    readers = [r for r in readers if r.pk not in already]
    if not readers:
        raise WorkflowError(_("Every chosen reader already has a copy."), code="duplicate")
    now = timezone.now()
    busy = sequential and doc.circulations.filter(sequential=True, read_at__isnull=True,
                                                  recalled_at__isnull=True).exists()
    sent_at = [now if (not sequential or (i == 0 and not busy)) else None for i in range(len(readers))]
    bulk.insert(Circulation, rows={  # one statement for every copy (office.bulk)
        "reader_id": [r.pk for r in readers], "order": [start + i for i in range(len(readers))],
        "sent_at": sent_at}, same={"document_id": doc.pk, "sequential": sequential})
    return [r.pk for r, at in zip(readers, sent_at, strict=True) if at is not None]


@step("circulate")
def circulate(*, document: IncomingDocument, acting_user, readers: Sequence[User],
              sequential: bool = False) -> IncomingDocument:
    """阅件 → 传阅 to readers, in order (one after another) or all at once."""
    doc = _lock(document)
    _check("circulate", doc, acting_user)
    sent = _create_copies(doc, readers, sequential)
    event = _move(doc, acting_user, "circulate", DocumentEvent.Kind.CIRCULATED,
                  data={"readers": [str(r) for r in readers], "sequential": sequential})
    _notify(event, sent, Msg(N_("To read: %(title)s"), title=title_param(doc)), doc.number,
            task=f"doc:{doc.pk}:read:{{uid}}")
    return doc


@step("add_readers")
def add_readers(*, document: IncomingDocument, acting_user, readers: Sequence[User],
                sequential: bool = False) -> IncomingDocument:
    """Circulate a document already in handling (e.g. as a leader's instruction asks)."""
    doc = _lock(document)
    _check("add_readers", doc, acting_user)
    sent = _create_copies(doc, readers, sequential)
    event = _move(doc, acting_user, "add_readers", DocumentEvent.Kind.CIRCULATED,
                  data={"readers": [str(r) for r in readers], "sequential": sequential})
    _notify(event, sent, Msg(N_("To read: %(title)s"), title=title_param(doc)), doc.number,
            task=f"doc:{doc.pk}:read:{{uid}}")
    return doc


def open_copy(*, document: IncomingDocument, acting_user) -> bool:
    """Mark the reader's copy opened (a read receipt, when the reader opens the page).
    Idempotent; returns True when it changed something. An archived document never changes:
    its copies are read or closed, and opening it records nothing."""
    with transaction.atomic():
        changed = Circulation.objects.filter(
            document=document, reader=acting_user, sent_at__isnull=False, opened_at__isnull=True,
            recalled_at__isnull=True, lapsed_at__isnull=True,
        ).exclude(document__status=S.ARCHIVED).update(opened_at=timezone.now())
        if changed:
            _event(document, DocumentEvent.Kind.OPENED, acting_user)
            audit.record("documents.open_copy", actor=acting_user, obj=document)
    return bool(changed)


@step("read_copy")
def read_copy(*, document: IncomingDocument, acting_user, comment: str = "") -> Circulation:
    """The reader marks the copy read (optional comment); in sequential circulation the next
    reader's copy is sent."""
    doc = _lock(document)
    _check("read_copy", doc, acting_user)
    copy = doc.circulations.select_for_update().get(reader=acting_user, sent_at__isnull=False,
                                                    read_at__isnull=True, recalled_at__isnull=True,
                                                    lapsed_at__isnull=True)
    now = timezone.now()
    copy.read_at, copy.comment = now, (comment or "").strip()
    copy.opened_at = copy.opened_at or now
    copy.save(update_fields=["read_at", "comment", "opened_at"])
    notify.resolve([f"doc:{doc.pk}:read:{acting_user.pk}"], by=acting_user)
    event = _event(doc, DocumentEvent.Kind.READ, acting_user, note=copy.comment)
    audit.record("documents.read_copy", actor=acting_user, obj=doc)
    if copy.sequential:
        _send_next(doc, event)
    return copy


def _send_next(doc: IncomingDocument, event: DocumentEvent) -> None:
    nxt = (doc.circulations.filter(sequential=True, sent_at__isnull=True, recalled_at__isnull=True)
           .order_by("order").first())
    if nxt is not None:
        nxt.sent_at = timezone.now()
        nxt.save(update_fields=["sent_at"])
        _notify(event, [nxt.reader_id], Msg(N_("To read: %(title)s"), title=title_param(doc)),
                doc.number, task=f"doc:{doc.pk}:read:{{uid}}")


@step("recall_copy")
def recall_copy(*, document: IncomingDocument, acting_user, circulation: Circulation) -> Circulation:
    """The clerk pulls back a copy its reader has not opened."""
    doc = _lock(document)
    _check("recall_copy", doc, acting_user)
    copy = Circulation.objects.select_for_update().get(pk=circulation.pk, document=doc)
    if copy.recalled_at or copy.opened_at or copy.read_at:
        raise WorkflowError(_("Only a copy that has not been opened can be recalled."),
                            code="opened")
    copy.recalled_at = timezone.now()
    copy.save(update_fields=["recalled_at"])
    notify.resolve([f"doc:{doc.pk}:read:{copy.reader_id}"], by=acting_user)
    event = _event(doc, DocumentEvent.Kind.RECALLED, acting_user, data={"reader": str(copy.reader)})
    audit.record("documents.recall_copy", actor=acting_user, obj=doc, detail={"reader": copy.reader_id})
    if copy.sequential and copy.sent_at:
        _send_next(doc, event)
    return copy


@step("submit_for_proposal")
def submit_for_proposal(*, document: IncomingDocument, acting_user, note: str = "") -> IncomingDocument:
    """初审 passed for a 办件: on to the office director for 拟办 (the document is cleared)."""
    doc = _lock(document)
    event = _move(doc, acting_user, "submit_for_proposal", DocumentEvent.Kind.SUBMITTED, note=note)
    directors = User.objects.filter(groups__name=roles.OFFICE_DIRECTOR, is_active=True)
    _notify(event, directors.values_list("pk", flat=True),
            Msg(N_("To propose: %(title)s"), title=title_param(doc)), doc.number)
    return doc


@step("propose")
def propose(*, document: IncomingDocument, acting_user, proposal: str,
            leaders: Sequence[User]) -> IncomingDocument:
    """拟办: the office director proposes handling and which leaders instruct, in order."""
    doc = _lock(document)
    _check("propose", doc, acting_user)
    proposal = require_text(proposal, _("Write the proposed handling."))
    if not leaders:
        raise WorkflowError(_("Choose at least one leader to instruct, or assign the handling "
                              "directly."), code="required")
    if len({leader.pk for leader in leaders}) != len(leaders):
        raise WorkflowError(_("A leader appears twice."), code="invalid")
    for leader in leaders:
        require_participant(leader, _("“%(name)s” is not a leader who instructs.") % {"name": leader})
        if not roles.has_role(leader, roles.COUNTY_LEADER, roles.OFFICE_DIRECTOR):
            raise WorkflowError(_("“%(name)s” is not a leader who instructs.") % {"name": leader},
                                code="invalid")
    for order, leader in enumerate(leaders, 1):
        Instruction.objects.create(document=doc, leader=leader, order=order)
    doc.proposal, doc.proposed_by, doc.proposed_at = proposal, acting_user, timezone.now()
    event = _move(doc, acting_user, "propose", DocumentEvent.Kind.PROPOSED, note=proposal,
                  data={"leaders": [str(lead) for lead in leaders]},
                  fields=["proposal", "proposed_by", "proposed_at"])
    _notify(event, [leaders[0].pk], Msg(N_("To instruct: %(title)s"), title=title_param(doc)), proposal,
            task=f"doc:{doc.pk}:instructing:{{uid}}")
    return doc


@step("instruct")
def instruct(*, document: IncomingDocument, acting_user, text: str) -> Instruction:
    """批办: the leader whose turn it is instructs; the next leader is then notified. After the
    last one the document waits for handling."""
    doc = _lock(document)
    _check("instruct", doc, acting_user)
    text = require_text(text, _("Write the instruction."))
    current = _current_instruction(doc)
    current.text, current.instructed_at = text, timezone.now()
    current.save(update_fields=["text", "instructed_at"])
    notify.resolve([f"doc:{doc.pk}:instructing:{current.leader_id}"], by=acting_user)
    nxt = _current_instruction(doc)
    target = S.INSTRUCTING if nxt else S.INSTRUCTED
    event = _move(doc, acting_user, "instruct", DocumentEvent.Kind.INSTRUCTED, note=text,
                  target=target, checked=True)
    if nxt:
        _notify(event, [nxt.leader_id], Msg(N_("To instruct: %(title)s"), title=title_param(doc)), text,
                task=f"doc:{doc.pk}:instructing:{{uid}}")
    else:
        _notify(event, [doc.registered_by_id, doc.proposed_by_id],
                Msg(N_("Instructed, to assign: %(title)s"), title=title_param(doc)), text)
    return current


@step("assign_handling")
def assign_handling(*, document: IncomingDocument, acting_user, lead_unit: Unit, handler: User,
                    co_units: Iterable[Unit] = (), deadline: dt.date | None = None) -> IncomingDocument:
    """承办: the lead unit (主办), co-units (协办), the handler and a deadline (required when
    the document is urgent). A deadline on a day off ends on the next working day; the typed
    date stays in the event's data."""
    doc = _lock(document)
    _check("assign_handling", doc, acting_user)
    if doc.is_urgent and deadline is None:
        raise WorkflowError(_("An urgent document needs a handling deadline."), code="required")
    typed, provisional = deadline, False
    if deadline is not None:
        dates.require(deadline, Bound.DEADLINE)
        deadline, provisional = handling_deadline(deadline)
    require_active_unit(lead_unit, _("The lead unit is no longer active."))
    co_units = list(co_units)
    if any(not u.is_active for u in co_units):
        raise WorkflowError(_("A co-unit is no longer active."), code="invalid")
    require_participant(handler, _("The handler must be an active member of staff."))
    if handler.unit_id != lead_unit.pk:
        raise WorkflowError(_("The handler must belong to the lead unit."), code="invalid")
    if doc.secrecy and not may_see_classified(handler):
        raise WorkflowError(_("A classified document goes only to a handler cleared for it."),
                            code="classified")
    doc.lead_unit, doc.handler, doc.handling_deadline = lead_unit, handler, deadline
    doc.handling_deadline_provisional = provisional
    co = [u for u in co_units if u.pk != lead_unit.pk]
    data = {"lead_unit": str(lead_unit), "handler": str(handler), "co_units": [str(u) for u in co],
            "deadline": deadline.isoformat() if deadline else ""}
    if typed != deadline:
        data["deadline_typed"] = typed.isoformat()
    event = _move(doc, acting_user, "assign_handling", DocumentEvent.Kind.ASSIGNED, data=data,
                  fields=["lead_unit", "handler", "handling_deadline",
                          "handling_deadline_provisional"])
    doc.co_units.set(co)
    _notify(event, [handler.pk, lead_unit.head_id],
            Msg(N_("To handle: %(title)s"), title=title_param(doc)), doc.number)
    return doc


@step("record_result")
def record_result(*, document: IncomingDocument, acting_user, result: str) -> IncomingDocument:
    """办理结果."""
    doc = _lock(document)
    doc.result = require_text(result, _("Describe the result."))
    event = _move(doc, acting_user, "record_result", DocumentEvent.Kind.RESULT, note=doc.result,
                  fields=["result"])
    _notify(event, [doc.registered_by_id], Msg(N_("Result recorded: %(title)s"), title=title_param(doc)))
    return doc


@step("record_reply")
def record_reply(*, document: IncomingDocument, acting_user, reply: str) -> IncomingDocument:
    """答复: what the sending unit was told (条例 第二十四条(七))."""
    doc = _lock(document)
    doc.reply, doc.replied_at = require_text(reply, _("Record the reply to the sender.")), timezone.now()
    _move(doc, acting_user, "record_reply", DocumentEvent.Kind.REPLIED, note=doc.reply,
          fields=["reply", "replied_at"])
    return doc


@step("close")
def close(*, document: IncomingDocument, acting_user) -> IncomingDocument:
    """办结."""
    doc = _lock(document)
    doc.closed_at = timezone.now()
    _move(doc, acting_user, "close", DocumentEvent.Kind.CLOSED, fields=["closed_at"])
    return doc


@step("archive")
def archive(*, document: IncomingDocument, acting_user) -> IncomingDocument:
    """归档: read-only from then on; the routing slip is rendered and kept with it (after the
    commit, by a Celery task). A document for reading is archived once every copy is read (or
    recalled). Archiving a closed document closes its circulation: a copy still unread lapses
    (named in the archive event and on the routing slip) and can no longer be opened or read."""
    doc = _lock(document)
    _check("archive", doc, acting_user)
    if doc.status == S.CIRCULATING and _unfinished_copies(doc):
        raise WorkflowError(_("Some readers have not read the document yet."), code="unread")
    doc.archived_at = timezone.now()
    doc.closed_at = doc.closed_at or doc.archived_at
    unread = list(doc.circulations.select_for_update().filter(
        read_at__isnull=True, recalled_at__isnull=True, lapsed_at__isnull=True)
        .select_related("reader").order_by("order"))
    Circulation.objects.filter(pk__in=[c.pk for c in unread]).update(lapsed_at=doc.archived_at)
    notify.resolve([f"doc:{doc.pk}:read:{c.reader_id}" for c in unread], by=acting_user)
    _move(doc, acting_user, "archive", DocumentEvent.Kind.ARCHIVED, checked=True,
          data={"lapsed": [str(c.reader) for c in unread]} if unread else None,
          fields=["archived_at", "closed_at"])
    from documents.tasks import store_routing_slip

    queueing.enqueue_on_commit(store_routing_slip, doc.pk)  # or the slip sweep, broker down
    return doc


@step("supervise")
def supervise(*, document: IncomingDocument, acting_user, requirement: str, lead_unit: Unit,
              responsible: User, deadline: dt.date | None = None, working_days: int | None = None,
              instructing_leader: User | None = None):
    """One click at 批办 or 承办: the instruction becomes a supervision item linked both ways
    (the item's origin is this document; the document's page lists its items)."""
    from supervision import services

    doc = _lock(document)
    _check("supervise", doc, acting_user)
    if doc.secrecy:
        raise WorkflowError(_("A classified document cannot become a supervision item here: the "
                              "supervision pages are not cleared for its contents."), code="classified")
    leader = instructing_leader or next(
        (i.leader for i in doc.instructions.select_related("leader").order_by("order")
         if i.instructed_at), None)
    item = services.open_item_from_origin(
        origin=doc, acting_user=acting_user, title=doc.title[:200],
        requirement=require_text(requirement, _("Write what the item requires.")),
        source_kind="document" if leader is None else "instruction",
        lead_unit=lead_unit, responsible=responsible, deadline=deadline,
        working_days=working_days, instructing_leader=leader)
    _move(doc, acting_user, "supervise", DocumentEvent.Kind.SUPERVISED,
          data={"item": item.pk, "number": item.number})
    return item


# --- the calendar changed ------------------------------------------------------------------

def recalculate_for_year(*, year: int, loaded: bool, cal: WorkCalendar, acting_user=None) -> int:
    """Listener of ``office.calendar_years``: when ``year`` is loaded, the due times computed
    provisionally are computed again (and documents in handling get their handling deadline
    moved off a day off of that year); when a year is unloaded, what depends on it is flagged
    provisional again. Each change leaves a "recalculated" event. Returns the documents changed."""
    changed, events = 0, []
    if not loaded:
        tz = timezone.get_default_timezone()
        start, end = dt.datetime(year, 1, 1, tzinfo=tz), dt.datetime(year + 1, 1, 1, tzinfo=tz)
        clock = list(UrgencyRule.objects.filter(round_the_clock=True).values_list("urgency", flat=True))
        changed += (IncomingDocument.objects.filter(due_provisional=False, received_at__lt=end,
                                                    due_at__gte=start)
                    .exclude(urgency__in=clock).update(due_provisional=True))
        changed += IncomingDocument.objects.filter(
            handling_deadline__year=year, handling_deadline_provisional=False).update(
            handling_deadline_provisional=True)
        return changed
    for doc in IncomingDocument.objects.select_for_update().filter(due_provisional=True):
        clock = due(doc.received_at, doc.urgency, cal)
        if clock.at != doc.due_at:
            events.append(DocumentEvent(document=doc, kind=DocumentEvent.Kind.RECALCULATED,
                                        actor=acting_user, to_status=doc.status, data={
                                            "field": "due_at", "reason": "year_loaded", "year": year,
                                            "from": timezone.localtime(doc.due_at).isoformat(),
                                            "to": timezone.localtime(clock.at).isoformat()}))
        doc.due_at, doc.due_provisional = clock.at, clock.provisional
        doc.save(update_fields=["due_at", "due_provisional"])
        changed += 1
    for doc in IncomingDocument.objects.select_for_update().filter(
            handling_deadline__year=year, handling_deadline_provisional=True):
        applied = doc.handling_deadline
        if doc.status == S.HANDLING:
            applied = cal.deadline_on(doc.handling_deadline)
        if applied != doc.handling_deadline:
            events.append(DocumentEvent(document=doc, kind=DocumentEvent.Kind.RECALCULATED,
                                        actor=acting_user, to_status=doc.status, data={
                                            "field": "handling_deadline", "reason": "year_loaded",
                                            "year": year, "from": doc.handling_deadline.isoformat(),
                                            "to": applied.isoformat()}))
        doc.handling_deadline = applied
        doc.handling_deadline_provisional = not cal.covers_span(timezone.localdate(), applied)
        doc.save(update_fields=["handling_deadline", "handling_deadline_provisional"])
        changed += 1
    DocumentEvent.objects.bulk_create(events)
    return changed


@transaction.atomic
def set_instruction_phrases(*, acting_user, lines: Sequence[str]) -> list[str]:
    """Replace the person's 常用批示语 with ``lines`` (blank lines dropped, each at most 200
    characters, duplicates kept once). Atomic; audited. Anyone may edit only their own."""
    from documents.models import InstructionPhrase

    phrases = []
    for line in lines:
        text = " ".join(str(line).split())
        if not text or text in phrases:
            continue
        if len(text) > 200:
            raise WorkflowError(_("A phrase may not be longer than 200 characters."), code="invalid")
        phrases.append(text)
    InstructionPhrase.objects.filter(owner=acting_user).delete()
    InstructionPhrase.objects.bulk_create(
        [InstructionPhrase(owner=acting_user, text=t, order=i) for i, t in enumerate(phrases)])
    audit.record("documents.set_instruction_phrases", actor=acting_user, detail={"count": len(phrases)})
    return phrases
