"""The outgoing-document workflow (发文办理): 起草 → 核稿 (科长, 主任) → 会签 → 签发 → 复核 →
编号 → 用印 → 印制 → 核发 → 归档 (条例 第十八–二十二条, 第二十五条). One transition table, one
keyword-only function per step with ``acting_user=``; each is atomic, locks the document row,
refuses with a ``WorkflowError`` that says why (audited), writes an ``OutgoingEvent`` and an audit
record, and notifies after the commit.

Numbers (发文字号) are given at 编号 only, per 机关代字 and signing year, from the core's gap-free
counter; the counter row is locked only at the end of the step. A document keeps its number when
it is returned and comes back; a voided number keeps its record and is never given again."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from documents.outgoing import checks
from documents.outgoing.models import (
    BodyVersion,
    CheckAcknowledgement,
    Direction,
    Distribution,
    DocumentCode,
    FindingCategory,
    IssuedNumber,
    IssuingAuthority,
    JointIssuer,
    OutgoingDocument,
    OutgoingEvent,
    OutgoingStatus,
    ReviewFinding,
    SealUse,
    SignOff,
)
from office import audit, notify, numbering, roles
from office.models import Unit, User
from office.notify import Msg
from office.workflow import WorkflowError, audited_step, require_text

S = OutgoingStatus

EDITABLE = frozenset({S.DRAFT, S.SECTION_REVIEW, S.OFFICE_REVIEW, S.RECHECK})
# step -> (statuses it may start from, status it leads to; None: decided by the step)
TRANSITIONS: dict[str, tuple[frozenset[str], str | None]] = {
    "edit": (EDITABLE, None),
    "submit": (frozenset({S.DRAFT}), S.SECTION_REVIEW),
    "review": (frozenset({S.SECTION_REVIEW, S.OFFICE_REVIEW}), None),
    "return_draft": (frozenset({S.SECTION_REVIEW, S.OFFICE_REVIEW, S.RECHECK, S.NUMBERING, S.SEALING,
                                S.PRINTING}), S.DRAFT),
    "countersign": (frozenset({S.COUNTERSIGN}), None),
    "sign_off": (frozenset({S.SIGNING}), S.RECHECK),
    "recheck": (frozenset({S.RECHECK}), S.NUMBERING),
    "assign_number": (frozenset({S.NUMBERING}), None),
    "void_number": (frozenset({S.SEALING, S.PRINTING, S.DISPATCHING}), S.RECHECK),
    "apply_seal": (frozenset({S.SEALING}), S.PRINTING),
    "print_document": (frozenset({S.PRINTING}), S.DISPATCHING),
    "dispatch": (frozenset({S.DISPATCHING}), S.DISPATCHED),
    "chase_recipients": (frozenset({S.DISPATCHED}), None),
    "archive": (frozenset({S.DISPATCHED}), S.ARCHIVED),
    "withdraw": (frozenset({S.DRAFT, S.SECTION_REVIEW, S.OFFICE_REVIEW, S.COUNTERSIGN, S.SIGNING,
                            S.RECHECK}), S.WITHDRAWN),
}
NO_SEAL_TYPES = {"纪要"}  # 纪要 carries no 署名 and so no seal (条例 第九条(十三))


# --- who may act -------------------------------------------------------------------------

def _is_document_office(user) -> bool:
    from documents.workflow import is_document_office

    return is_document_office(user)


def may_draft(user) -> bool:
    return roles.is_business_user(user) and roles.has_role(
        user, roles.SECRETARY, roles.SECTION_CHIEF, roles.OFFICE_DIRECTOR, roles.UNIT_CONTACT)


def may(step: str, doc: OutgoingDocument, user, *, office: bool | None = None) -> bool:
    """Whether ``user`` may take ``step`` on ``doc`` (ignoring its status)."""
    if not roles.is_business_user(user):
        return False
    office = _is_document_office(user) if office is None else office
    if step in ("submit", "withdraw") and doc.drafter_id == user.pk:
        return True
    if step == "edit":
        if doc.status == S.DRAFT:
            return doc.drafter_id == user.pk
        if doc.status == S.RECHECK:
            return office
        return may("review", doc, user, office=office)
    if step == "review":
        if doc.status == S.SECTION_REVIEW:
            return roles.has_role(user, roles.SECTION_CHIEF) and (
                user.unit_id == doc.drafting_unit_id or not doc.drafting_unit.is_internal)
        return roles.has_role(user, roles.OFFICE_DIRECTOR)
    if step == "return_draft":
        if doc.status in (S.SECTION_REVIEW, S.OFFICE_REVIEW):
            return may("review", doc, user, office=office)
        return office
    if step == "withdraw":
        return roles.has_role(user, roles.OFFICE_DIRECTOR)
    if step == "countersign":
        return any(j.countersigned_on is None and user.pk in _signer_ids(j.authority)
                   for j in doc.joint_issuers.all())
    if step == "sign_off":
        return user.pk in _signer_ids(doc.authority)
    if step in ("recheck", "assign_number", "void_number", "print_document", "dispatch",
                "chase_recipients", "archive"):
        return office
    if step == "apply_seal":
        return office and user.has_perm("documents.apply_seal")
    return False


def _signer_ids(authority: IssuingAuthority) -> set[int]:
    ids = set(authority.signers.values_list("pk", flat=True))
    if authority.principal_id:
        ids.add(authority.principal_id)
    return ids


def allowed_steps(doc: OutgoingDocument, user, *, office: bool | None = None) -> list[str]:
    office = _is_document_office(user) if office is None else office
    return [name for name, (sources, _to) in TRANSITIONS.items()
            if doc.status in sources and may(name, doc, user, office=office)]


# --- plumbing ----------------------------------------------------------------------------

def step(name: str):
    return audited_step(f"outgoing.{name}", target_kwarg="document")


def _lock(doc: OutgoingDocument) -> OutgoingDocument:
    return OutgoingDocument.objects.select_for_update().select_related("authority", "code", "doc_type",
                                                                        "drafting_unit").get(pk=doc.pk)


def _check(name: str, doc: OutgoingDocument, user) -> str | None:
    sources, target = TRANSITIONS[name]
    if doc.status in (S.ARCHIVED, S.WITHDRAWN):
        raise WorkflowError(_("The document is %(status)s and can no longer change.")
                            % {"status": doc.get_status_display()}, code="closed")
    if not may(name, doc, user):
        raise WorkflowError(_("You may not take this step on this document."), code="forbidden")
    if doc.status not in sources:
        raise WorkflowError(_("This step is not possible while the document is “%(status)s”.")
                            % {"status": doc.get_status_display()}, code="wrong_status")
    return target


def _event(doc, kind, user, *, note="", data=None, from_status="") -> OutgoingEvent:
    return OutgoingEvent.objects.create(document=doc, kind=kind, actor=user, note=note, data=data or {},
                                        from_status=from_status, to_status=doc.status)


def _move(doc, user, name, kind, *, target=None, note="", data=None, fields=(), checked=False) -> OutgoingEvent:
    table_target = TRANSITIONS[name][1] if checked else _check(name, doc, user)
    previous = doc.status
    doc.status = target or table_target or doc.status
    doc.save(update_fields=["status", *fields])
    if previous != doc.status:  # what was asked of anyone in the previous status is done
        tasks = [f"out:{doc.pk}:{previous}"]
        if previous == S.COUNTERSIGN:
            tasks += [f"out:{doc.pk}:countersign:{uid}" for j in doc.joint_issuers.select_related("authority")
                      for uid in _signer_ids(j.authority)]
        notify.resolve(tasks, by=user)
    event = _event(doc, kind, user, note=note, data=data, from_status=previous)
    audit.record(f"outgoing.{name}", actor=user, obj=doc, detail={"from": previous, "to": doc.status,
                                                                  **(data or {})})
    return event


def _notify(event: OutgoingEvent, user_ids: Iterable[int], title: Msg, body: str = "", *,
            task: str = "") -> None:
    """``task``: the action asked for ("{uid}" becomes each recipient's id); by default the
    document's status, resolved when the document leaves it (by whoever moves it on)."""
    ids = {pk for pk in user_ids if pk and pk != event.actor_id}
    task = task or f"out:{event.document_id}:{event.document.status}"
    url = event.document.get_absolute_url()
    notify.notify_many([  # set-based: one insert for every recipient (office.notify.notify_many)
        {"recipient_id": pk, "address": email, "key": f"out:{event.pk}:{pk}", "title": title, "body": body,
         "url": url, "kind": "outgoing", "task": task.replace("{uid}", str(pk))}
        for pk, email in User.objects.filter(pk__in=ids, is_active=True).order_by("pk").values_list("pk", "email")])


def _role_ids(*names: str) -> list[int]:
    return list(User.objects.filter(groups__name__in=names, is_active=True).values_list("pk", flat=True))


def _document_office_ids() -> list[int]:
    from documents.models import DocumentSettings

    conf = DocumentSettings.load()
    if not conf.office_unit_id:
        return []
    return list(User.objects.filter(unit_id=conf.office_unit_id, is_active=True).values_list("pk", flat=True))


def normalised(text: str) -> str:
    """Text compared for versions: line endings, trailing spaces and blank lines do not count."""
    from office.text import normalize_text

    return normalize_text(text)


def findings(doc: OutgoingDocument) -> list[checks.Finding]:
    """The rule findings of the saved draft (``documents.outgoing.checks``)."""
    return checks.check(checks.facts_of(doc))


def reindex(doc: OutgoingDocument) -> None:
    """The document's search vector: the core's search rule (``documents.search``) over its title,
    number, authority and recipients, and its body within the attachment-text bound."""
    from documents import search

    number, pending = numbering.split_mark(doc.number)  # numbering: the serial comes last
    doc.search_vector = search.index_text(
        [doc.title, number, doc.authority.name, doc.main_recipients_text,
         *[u.name for u in doc.main_recipients.all()]], [doc.body, doc.attachment_titles]) + pending
    doc.save(update_fields=["search_vector"])


def _version_number(doc) -> int:
    return doc.versions.aggregate(n=Max("number"))["n"] or 0


def _save_version(doc, user, note="") -> BodyVersion | None:
    """A new version when the normalised title or body differs from the last one."""
    last = doc.versions.order_by("-number").first()
    if last is not None and normalised(last.body) == normalised(doc.body) and \
            normalised(last.title) == normalised(doc.title):
        return None
    return BodyVersion.objects.create(document=doc, number=(last.number if last else 0) + 1, title=doc.title,
                                      body=doc.body, author=user, note=note)


def _set_recipients(doc, main_recipients, copy_recipients, co_issuers) -> None:
    doc.main_recipients.set(main_recipients or [])
    doc.copy_recipients.set(copy_recipients or [])
    JointIssuer.objects.filter(document=doc).delete()
    for order, authority in enumerate(co_issuers or [], 1):
        if authority.pk != doc.authority_id:
            JointIssuer.objects.create(document=doc, authority=authority, order=order)


# --- steps -------------------------------------------------------------------------------

@transaction.atomic
def create_draft(*, acting_user, doc_type, authority: IssuingAuthority, code: DocumentCode, title: str,
                 body: str, main_recipients: Sequence[Unit] = (), main_recipients_text: str = "",
                 copy_recipients: Sequence[Unit] = (), co_issuers: Sequence[IssuingAuthority] = (),
                 attachment_titles: str = "", urgency: str = "", note: str = "", printing_unit: str = "",
                 copies: int = 1, is_important: bool = False) -> OutgoingDocument:
    """起草: a new draft (version 1) by a secretary, section chief, director or unit contact. Rule
    findings are shown, not enforced, while drafting; they block at submission."""
    if not may_draft(acting_user):
        audit.record("outgoing.create", actor=acting_user, result="failure", detail={"reason": "forbidden"})
        raise WorkflowError(_("You may not draft outgoing documents."), code="forbidden")
    if not doc_type.is_statutory:
        raise WorkflowError(_("Choose one of the 15 statutory document types (条例 第八条)."), code="invalid")
    if code.authority_id != authority.pk:
        raise WorkflowError(_("The code %(code)s belongs to another issuing authority.") % {"code": code},
                            code="invalid")
    if acting_user.unit_id is None:
        raise WorkflowError(_("Your account belongs to no unit: ask the system administrator."), code="invalid")
    doc = OutgoingDocument.objects.create(
        doc_type=doc_type, authority=authority, code=code, title=require_text(title, _("The title is required.")),
        body=body or "", main_recipients_text=(main_recipients_text or "").strip(),
        attachment_titles=attachment_titles or "", urgency=urgency or "", note=note or "",
        printing_unit=printing_unit or authority.name, copies=copies or 1, is_important=is_important,
        drafting_unit=acting_user.unit, drafter=acting_user)
    _set_recipients(doc, main_recipients, copy_recipients, co_issuers)
    doc.direction = checks.derive_direction(doc_type.name, list(main_recipients))
    doc.save(update_fields=["direction"])
    _save_version(doc, acting_user)
    reindex(doc)
    _event(doc, OutgoingEvent.Kind.DRAFTED, acting_user)
    audit.record("outgoing.create", actor=acting_user, obj=doc)
    return doc


@step("edit")
def edit(*, document: OutgoingDocument, acting_user, title: str, body: str,
         main_recipients: Sequence[Unit] | None = None, main_recipients_text: str | None = None,
         copy_recipients: Sequence[Unit] | None = None, attachment_titles: str | None = None,
         note: str | None = None) -> OutgoingDocument:
    """A new version of the draft. Only a real change makes a version (line endings and
    trailing spaces do not). In 复核, a substantive change sends the document back to the signer
    (条例 第二十五条(一))."""
    doc = _lock(document)
    _check("edit", doc, acting_user)
    doc.title = require_text(title, _("The title is required."))
    doc.body = body or ""
    fields = ["title", "body"]
    if main_recipients_text is not None:
        doc.main_recipients_text, fields = main_recipients_text.strip(), [*fields, "main_recipients_text"]
    if attachment_titles is not None:
        doc.attachment_titles, fields = attachment_titles, [*fields, "attachment_titles"]
    if note is not None:
        doc.note, fields = note, [*fields, "note"]
    if main_recipients is not None:
        doc.main_recipients.set(main_recipients)
        doc.direction = checks.derive_direction(doc.doc_type.name, list(main_recipients))
        fields.append("direction")
    if copy_recipients is not None:
        doc.copy_recipients.set(copy_recipients)
    doc.save(update_fields=fields)
    version = _save_version(doc, acting_user)
    if version is None:
        return doc
    reindex(doc)
    previous = doc.status
    if doc.status == S.RECHECK:
        # a substantive change after sign-off goes back to the original signer
        doc.status = S.SIGNING
        doc.save(update_fields=["status"])
        event = _event(doc, OutgoingEvent.Kind.RESIGN, acting_user, from_status=previous,
                       data={"version": version.number})
        _notify(event, [s.leader_id for s in doc.signoffs.all()],
                Msg(N_("Changed after sign-off, please sign again: %(title)s"), title=doc.title))
    else:
        _event(doc, OutgoingEvent.Kind.EDITED, acting_user, data={"version": version.number})
    audit.record("outgoing.edit", actor=acting_user, obj=doc, detail={"version": version.number})
    return doc


@step("submit")
def submit(*, document: OutgoingDocument, acting_user) -> OutgoingDocument:
    """The drafter submits the draft for 核稿; rule errors block it."""
    doc = _lock(document)
    _check("submit", doc, acting_user)
    blocking = checks.errors(findings(doc))
    if blocking:
        raise WorkflowError(_("Correct the draft first: %(errors)s") % {
            "errors": "；".join(f.message for f in blocking)}, code="rule_errors")
    event = _move(doc, acting_user, "submit", OutgoingEvent.Kind.SUBMITTED)
    chiefs = User.objects.filter(groups__name=roles.SECTION_CHIEF, is_active=True)
    if doc.drafting_unit.is_internal:
        chiefs = chiefs.filter(unit=doc.drafting_unit)
    _notify(event, chiefs.values_list("pk", flat=True), Msg(N_("Draft to review: %(title)s"), title=doc.title))
    return doc


@step("review")
def review(*, document: OutgoingDocument, acting_user, findings_found: Sequence[tuple[str, str]] = (),
           necessity: str = "", acknowledgements: dict[str, str] | None = None,
           confirm_not_raised: bool = False) -> OutgoingDocument:
    """核稿 passed (科长, then 主任). Findings (category, text) are recorded against the drafter
    even when the draft passes. The director records why the document must be issued (可发可不发的
    坚决不发), acknowledges every rule warning not yet acknowledged with a reason (the section chief
    may acknowledge some first) and, for a department's draft in the government's name, confirms it
    should not be the department's own (不升格、不包揽)."""
    doc = _lock(document)
    _check("review", doc, acting_user)
    version = _version_number(doc)
    _record_findings(doc, acting_user, findings_found, version)
    found = findings(doc)
    blocking = checks.errors(found)
    if blocking:
        raise WorkflowError(_("The draft breaks a rule and cannot pass: %(errors)s") % {
            "errors": "；".join(f.message for f in blocking)}, code="rule_errors")
    acknowledgements = {k: (v or "").strip() for k, v in (acknowledgements or {}).items()}
    already = set(doc.acknowledged_checks.values_list("code", flat=True))
    missing = [w for w in checks.warnings(found) if w.code not in already and not acknowledgements.get(w.code)]
    if missing and doc.status == S.OFFICE_REVIEW:  # the director's review is the last before sign-off
        raise WorkflowError(_("Give a reason for each warning before passing the draft: %(warnings)s") % {
            "warnings": "；".join(w.message for w in missing)}, code="warnings")
    for w in checks.warnings(found):
        if acknowledgements.get(w.code) and w.code not in already:
            CheckAcknowledgement.objects.create(document=doc, code=w.code, reason=acknowledgements[w.code],
                                                by=acting_user)
    fields = []
    if doc.status == S.OFFICE_REVIEW:
        doc.necessity = require_text(necessity or doc.necessity,
                                     _("Record why this document must be issued (可发可不发的坚决不发)."))
        fields.append("necessity")
        if any(w.code == "raises_level" for w in found):
            if not confirm_not_raised:
                raise WorkflowError(_("Confirm that this should not be the department's own document "
                                      "(不升格、不包揽)."), code="not_raised")
            doc.not_raised_confirmed = True
            fields.append("not_raised_confirmed")
        target = S.COUNTERSIGN if doc.joint_issuers.exists() else S.SIGNING
    else:
        target = S.OFFICE_REVIEW
    event = _move(doc, acting_user, "review", OutgoingEvent.Kind.REVIEWED, target=target, fields=fields,
                  data={"version": version, "findings": len(findings_found)})
    if target == S.OFFICE_REVIEW:
        ids = _role_ids(roles.OFFICE_DIRECTOR)
    elif target == S.COUNTERSIGN:
        ids = [pk for j in doc.joint_issuers.select_related("authority") for pk in _signer_ids(j.authority)]
    else:
        ids = _signer_ids(doc.authority)
    _notify(event, ids, Msg(N_("To countersign: %(title)s") if target == S.COUNTERSIGN
                            else N_("To sign: %(title)s") if target == S.SIGNING
                            else N_("Draft to review: %(title)s"), title=doc.title),
            task=f"out:{doc.pk}:countersign:{{uid}}" if target == S.COUNTERSIGN else "")
    return doc


def _record_findings(doc, reviewer, found: Sequence[tuple[str, str]], version: int) -> None:
    for category, text in found:
        if category not in FindingCategory.values:
            raise WorkflowError(_("Unknown finding category."), code="invalid")
        ReviewFinding.objects.create(document=doc, reviewer=reviewer, drafter=doc.drafter, stage=doc.status,
                                     category=category, text=require_text(text, _("Describe the finding.")),
                                     version=version)


@step("return_draft")
def return_draft(*, document: OutgoingDocument, acting_user, reason: str,
                 findings_found: Sequence[tuple[str, str]] = ()) -> OutgoingDocument:
    """退回修改: a reviewer returns the draft with findings (条例 第二十一条), or the document
    office returns it from 复核/编号/用印/印制. A numbered document keeps its number."""
    doc = _lock(document)
    _check("return_draft", doc, acting_user)
    reason = require_text(reason, _("Say why the draft is returned."))
    if doc.status in (S.SECTION_REVIEW, S.OFFICE_REVIEW) and not findings_found:
        raise WorkflowError(_("Record at least one finding when returning a draft."), code="required")
    _record_findings(doc, acting_user, findings_found, _version_number(doc))
    event = _move(doc, acting_user, "return_draft", OutgoingEvent.Kind.RETURNED, note=reason,
                  data={"findings": [c for c, _t in findings_found]})
    _notify(event, [doc.drafter_id], Msg(N_("Draft returned: %(title)s"), title=doc.title), reason)
    return doc


@step("countersign")
def countersign(*, document: OutgoingDocument, acting_user, opinion: str,
                signed_on: dt.date | None = None) -> OutgoingDocument:
    """会签 by each co-issuer's leader (条例 第二十二条: 联合发文由所有联署机关的负责人会签)."""
    doc = _lock(document)
    _check("countersign", doc, acting_user)
    opinion = require_text(opinion, _("Write the countersigning opinion."))
    mine = [j for j in doc.joint_issuers.select_for_update().select_related("authority")
            if j.countersigned_on is None and acting_user.pk in _signer_ids(j.authority)]
    today = timezone.localdate()
    for j in mine:
        j.countersigned_by, j.countersigned_on, j.opinion = acting_user, signed_on or today, opinion
        j.save(update_fields=["countersigned_by", "countersigned_on", "opinion"])
    notify.resolve([f"out:{doc.pk}:countersign:{uid}" for j in mine for uid in _signer_ids(j.authority)],
                   by=acting_user)
    done = not doc.joint_issuers.filter(countersigned_on__isnull=True).exists()
    event = _move(doc, acting_user, "countersign", OutgoingEvent.Kind.COUNTERSIGNED, note=opinion, checked=True,
                  target=S.SIGNING if done else None, data={"issuers": [str(j.authority) for j in mine]})
    if done:
        _notify(event, _signer_ids(doc.authority), Msg(N_("To sign: %(title)s"), title=doc.title))
    return doc


@step("sign_off")
def sign_off(*, document: OutgoingDocument, acting_user, opinion: str) -> OutgoingDocument:
    """签发: a leader allowed to sign for the authority records an opinion, name and full date;
    upward and important documents need the principal leader (条例 第二十二条). The document's
    date (成文日期) is the last sign-off or countersignature date."""
    doc = _lock(document)
    _check("sign_off", doc, acting_user)
    opinion = require_text(opinion, _("Write the sign-off opinion (e.g. 同意).") )
    if (doc.direction == Direction.UP or doc.is_important) and acting_user.pk != doc.authority.principal_id:
        raise WorkflowError(_("Upward and important documents are signed by the principal leader "
                              "(%(name)s).") % {"name": doc.authority.principal or _("not set")},
                            code="principal_only")
    today = timezone.localdate()
    version = _version_number(doc)
    SignOff.objects.create(document=doc, leader=acting_user, opinion=opinion, signed_on=today, version=version)
    dates = [today, *[d for d in doc.joint_issuers.values_list("countersigned_on", flat=True) if d]]
    doc.signed_on, doc.signed_version = max(dates), version
    event = _move(doc, acting_user, "sign_off", OutgoingEvent.Kind.SIGNED, note=opinion,
                  fields=["signed_on", "signed_version"], data={"version": version})
    _notify(event, [doc.drafter_id, *_document_office_ids()], Msg(N_("Signed: %(title)s"), title=doc.title))
    return doc


@step("recheck")
def recheck(*, document: OutgoingDocument, acting_user, note: str = "") -> OutgoingDocument:
    """复核 of the approvals, content, type and format before numbering; the version checked is
    the version signed (an edit in 复核 has already gone back to the signer)."""
    doc = _lock(document)
    _check("recheck", doc, acting_user)
    if doc.signed_version != _version_number(doc):
        raise WorkflowError(_("The text changed after sign-off: it goes back to the signer."), code="resign")
    _move(doc, acting_user, "recheck", OutgoingEvent.Kind.RECHECKED, note=note)
    return doc


def needs_seal(doc: OutgoingDocument) -> bool:
    return doc.doc_type.name not in NO_SEAL_TYPES


@step("assign_number")
def assign_number(*, document: OutgoingDocument, acting_user) -> OutgoingDocument:
    """编号/登记: the 发文字号 per 机关代字 and signing year, consecutive from 1. A document that
    already has a number keeps it (returned and come back, the step opened twice). The counter
    row is locked only at the end of the step, and a failure rolls the number back with it."""
    from office.docnumbers import format_number, number_key

    doc = _lock(document)
    target = S.SEALING if needs_seal(doc) else S.PRINTING
    if doc.is_numbered and doc.status == S.NUMBERING:
        _move(doc, acting_user, "assign_number", OutgoingEvent.Kind.NUMBERED, target=target,
              data={"number": doc.number, "kept": True})
        return doc
    _check("assign_number", doc, acting_user)
    year = (doc.signed_on or timezone.localdate()).year
    # everything first; the counter of the 机关代字 and year is taken last (office.numbering.reserve)
    with numbering.reserve(f"outgoing:{doc.code.code}", year) as serial:
        doc.year, doc.serial = year, serial.serial
        doc.number = format_number(doc.code.code, year, serial.mark)
        doc.number_key = number_key(format_number(doc.code.code, year, 1))[:-2] + serial.mark + "号"
        IssuedNumber.objects.create(code=doc.code, year=year, serial=serial.serial, number=doc.number,
                                    number_key=doc.number_key, document=doc, given_by=acting_user)
        event = _move(doc, acting_user, "assign_number", OutgoingEvent.Kind.NUMBERED, target=target, checked=True,
                      fields=["year", "serial", "number", "number_key"], data={"number": doc.number})
        reindex(doc)
        _notify(event, [doc.drafter_id], Msg(N_("Numbered %(number)s: %(title)s"), number=doc.number,
                                             title=doc.title))
    return doc


@step("void_number")
def void_number(*, document: OutgoingDocument, acting_user, reason: str) -> OutgoingDocument:
    """作废文号: the number keeps its record (who, when, why) and is never given again; the
    document goes back to 复核 and gets a new number when it is numbered again."""
    doc = _lock(document)
    _check("void_number", doc, acting_user)
    reason = require_text(reason, _("Say why the number is voided."))
    issued = IssuedNumber.objects.select_for_update().get(document=doc, serial=doc.serial, year=doc.year,
                                                          code=doc.code)
    issued.voided_by, issued.voided_at, issued.void_reason = acting_user, timezone.now(), reason
    issued.save(update_fields=["voided_by", "voided_at", "void_reason"])
    voided = doc.number
    doc.year = doc.serial = None
    doc.number = doc.number_key = ""
    _move(doc, acting_user, "void_number", OutgoingEvent.Kind.VOIDED, note=reason,
          fields=["year", "serial", "number", "number_key"], data={"number": voided})
    return doc


@step("apply_seal")
def apply_seal(*, document: OutgoingDocument, acting_user, copies: int | None = None) -> OutgoingDocument:
    """用印 by authorised staff: every issuer's seal is applied and recorded (用印登记)."""
    doc = _lock(document)
    _check("apply_seal", doc, acting_user)
    issuers = [doc.authority, *[j.authority for j in doc.joint_issuers.select_related("authority")]]
    missing = [a for a in issuers if not a.seal]
    if missing:
        raise WorkflowError(_("No seal image for %(names)s: the security administrator uploads it.")
                            % {"names": "、".join(str(a) for a in missing)}, code="no_seal")
    copies = copies or doc.copies
    for authority in issuers:
        SealUse.objects.create(document=doc, authority=authority, applied_by=acting_user, copies=copies)
    _move(doc, acting_user, "apply_seal", OutgoingEvent.Kind.SEALED,
          data={"seals": [str(a) for a in issuers], "copies": copies})
    return doc


@step("print_document")
def print_document(*, document: OutgoingDocument, acting_user) -> OutgoingDocument:
    """印制: the PDF in the GB/T 9704 layout (``documents.outgoing.printing``), digitally signed
    with the office's certificate, stored with the document."""
    from django.core.files.base import ContentFile

    from documents.outgoing import printing

    doc = _lock(document)
    _check("print_document", doc, acting_user)
    if not doc.is_numbered:
        raise WorkflowError(_("The document has no number yet."), code="not_numbered")
    if needs_seal(doc) and not doc.seal_uses.exists():
        raise WorkflowError(_("The seal has not been applied."), code="not_sealed")
    data = printing.issued_pdf(doc)
    doc.issued_at = timezone.now()
    doc.pdf.save(f"{doc.year}-{doc.code.code}-{doc.serial}.pdf", ContentFile(data), save=False)
    _move(doc, acting_user, "print_document", OutgoingEvent.Kind.PRINTED, fields=["pdf", "issued_at"],
          data={"bytes": len(data)})
    return doc


@step("dispatch")
def dispatch(*, document: OutgoingDocument, acting_user) -> OutgoingDocument:
    """核发: one copy to each recipient unit (主送 and 抄送); the members of units that use the
    system find it in their inbox and sign for it."""
    doc = _lock(document)
    _check("dispatch", doc, acting_user)
    if not doc.pdf:
        raise WorkflowError(_("Print the document before dispatching it."), code="not_printed")
    now = timezone.now()
    rows = [(u, Distribution.Role.MAIN) for u in doc.main_recipients.all()]
    rows += [(u, Distribution.Role.COPY) for u in doc.copy_recipients.all() if u not in {r[0] for r in rows}]
    Distribution.objects.bulk_create([Distribution(document=doc, unit=u, role=role, sent_at=now)
                                      for u, role in rows], ignore_conflicts=True)
    doc.dispatched_at = now
    event = _move(doc, acting_user, "dispatch", OutgoingEvent.Kind.DISPATCHED, fields=["dispatched_at"],
                  data={"units": len(rows)})
    members = User.objects.filter(unit__in=[u for u, _r in rows], is_active=True).exclude(
        groups__name__in=roles.ADMIN_ROLES).values_list("pk", flat=True)
    _notify(event, members, Msg(N_("Document received: %(number)s %(title)s"), number=doc.number,
                                title=doc.title))
    return doc


def sign_for(*, distribution: Distribution, acting_user) -> Distribution:
    """签收 by a member of the recipient unit. Idempotent: a second signature changes nothing.
    A refusal is audited with the document."""
    try:
        with transaction.atomic():
            row = Distribution.objects.select_for_update().select_related("document", "unit").get(
                pk=distribution.pk)
            if acting_user.unit_id != row.unit_id or not roles.is_business_user(acting_user):
                raise WorkflowError(_("Only the recipient unit signs for its copy."), code="forbidden")
            if row.signed_for_at is None:
                row.signed_for_at, row.signed_for_by = timezone.now(), acting_user
                row.save(update_fields=["signed_for_at", "signed_for_by"])
                _event(row.document, OutgoingEvent.Kind.SIGNED_FOR, acting_user, data={"unit": str(row.unit)})
                audit.record("outgoing.sign_for", actor=acting_user, obj=row.document,
                             detail={"unit": row.unit_id})
            return row
    except WorkflowError as exc:
        audit.record("outgoing.sign_for", actor=acting_user, obj=distribution.document, result="failure",
                     detail={"reason": exc.message, "unit": distribution.unit_id})
        raise


@step("chase_recipients")
def chase_recipients(*, document: OutgoingDocument, acting_user) -> list[Distribution]:
    """催收: remind the units that have not signed for their copy (once per unit and day)."""
    doc = _lock(document)
    _check("chase_recipients", doc, acting_user)
    waiting = list(doc.distributions.filter(signed_for_at__isnull=True).select_related("unit"))
    if not waiting:
        raise WorkflowError(_("Every recipient has signed for the document."), code="none_waiting")
    now = timezone.now()
    Distribution.objects.filter(pk__in=[d.pk for d in waiting]).update(chased_at=now)
    _event(doc, OutgoingEvent.Kind.CHASED, acting_user, data={"units": [str(d.unit) for d in waiting]})
    audit.record("outgoing.chase_recipients", actor=acting_user, obj=doc, detail={"units": len(waiting)})
    day = timezone.localdate()
    for d in waiting:
        for user in User.objects.filter(unit=d.unit, is_active=True).exclude(groups__name__in=roles.ADMIN_ROLES):
            notify.notify(user, key=f"out-chase:{doc.pk}:{d.unit_id}:{user.pk}:{day}",
                          title=Msg(N_("Please sign for %(number)s"), number=doc.number), body=doc.title,
                          url=doc.get_absolute_url(), kind="outgoing")
    return waiting


@step("archive")
def archive(*, document: OutgoingDocument, acting_user) -> OutgoingDocument:
    """归档: read-only from then on."""
    doc = _lock(document)
    doc.archived_at = timezone.now()
    _move(doc, acting_user, "archive", OutgoingEvent.Kind.ARCHIVED, fields=["archived_at"])
    return doc


@step("withdraw")
def withdraw(*, document: OutgoingDocument, acting_user, reason: str) -> OutgoingDocument:
    """撤销: a document that need not be issued is not issued (可发可不发的坚决不发)."""
    doc = _lock(document)
    reason = require_text(reason, _("Say why the document is withdrawn."))
    _move(doc, acting_user, "withdraw", OutgoingEvent.Kind.WITHDRAWN, note=reason)
    return doc
