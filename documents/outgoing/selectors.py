"""Read queries for the outgoing-document pages and the desk. Fixed query counts."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Case, Exists, IntegerField, OuterRef, Prefetch, Q, QuerySet, Value, When
from django.utils import timezone

from documents.outgoing.models import (
    BodyVersion,
    Distribution,
    IssuedNumber,
    IssuingAuthority,
    JointIssuer,
    OutgoingDocument,
    OutgoingEvent,
    OutgoingStatus,
    SignOff,
)
from office import roles

S = OutgoingStatus
IN_FLIGHT = [S.DRAFT, S.SECTION_REVIEW, S.OFFICE_REVIEW, S.COUNTERSIGN, S.SIGNING, S.RECHECK, S.NUMBERING,
             S.SEALING, S.PRINTING, S.DISPATCHING]


def _signs_for(user) -> Q:
    signer = Exists(IssuingAuthority.signers.through.objects.filter(
        issuingauthority_id=OuterRef("authority_id"), user_id=user.pk))
    principal = Q(authority__principal=user)
    co = Exists(JointIssuer.objects.filter(document_id=OuterRef("pk")).filter(
        Q(authority__principal=user) | Q(authority__signers=user)))
    return signer | principal | co


def visible_to(user, *, office: bool) -> QuerySet[OutgoingDocument]:
    """Documents ``user`` may see: the document office and the directors all; a drafter their
    drafts; a section chief their section's drafts and any department's draft under review; a
    leader what they may sign once it reaches sign-off; a recipient unit's members what was
    dispatched to it."""
    qs = OutgoingDocument.objects.all()
    if not roles.is_business_user(user):
        return qs.none()  # administrators see no business content
    if office or roles.has_role(user, roles.OFFICE_DIRECTOR):
        return qs
    q = Q(drafter=user)
    if roles.has_role(user, roles.SECTION_CHIEF):
        q |= Q(drafting_unit_id=user.unit_id) | (Q(status=S.SECTION_REVIEW) & ~Q(drafting_unit__kind__in=[
            "leadership", "section"]))
    if roles.has_role(user, roles.COUNTY_LEADER):
        q |= _signs_for(user) & ~Q(status__in=[S.DRAFT, S.SECTION_REVIEW, S.OFFICE_REVIEW])
    if user.unit_id:
        q |= Exists(Distribution.objects.filter(document_id=OuterRef("pk"), unit_id=user.unit_id,
                                                sent_at__isnull=False))
    return qs.filter(q)


def detail(user, pk: int, *, office: bool) -> OutgoingDocument:
    return (visible_to(user, office=office)
            .select_related("doc_type", "authority", "authority__principal", "code", "drafting_unit", "drafter")
            .prefetch_related(
                "main_recipients", "copy_recipients",
                Prefetch("joint_issuers", queryset=JointIssuer.objects.select_related("authority",
                                                                                      "countersigned_by")),
                Prefetch("versions", queryset=BodyVersion.objects.select_related("author").order_by("-number")),
                "findings__reviewer", "acknowledged_checks",
                Prefetch("signoffs", queryset=SignOff.objects.select_related("leader")),
                Prefetch("distributions", queryset=Distribution.objects.select_related("unit", "signed_for_by")),
                Prefetch("events", queryset=OutgoingEvent.objects.select_related("actor")),
                "seal_uses__applied_by",
            ).get(pk=pk))


@dataclass
class RegisterFilters:
    year: int | None = None
    code: int | None = None
    q: str = ""
    # the month's output (the dashboard): numbers given in the month containing this date, not voided
    month: dt.date | None = None
    unit: int | None = None  # drafted by this unit


def output_q(month: dt.date, *, prefix: str = "") -> Q:
    """The month's output (发文量): numbers given (编号) in the calendar month containing ``month``
    (Beijing time) and not voided, one per issued document."""
    first = month.replace(day=1)
    following = dt.date(first.year + first.month // 12, first.month % 12 + 1, 1)
    start, end = (timezone.make_aware(dt.datetime.combine(day, dt.time.min)) for day in (first, following))
    return Q(**{f"{prefix}given_at__gte": start, f"{prefix}given_at__lt": end,
                f"{prefix}voided_at__isnull": True})


def number_register(filters: RegisterFilters) -> QuerySet[IssuedNumber]:
    """发文登记簿: every number given, voided ones included, sorted as numbers: newest year first,
    then by 机关代字 (in the order they were set up), then serial descending — the order of the
    ``issued_number_register`` index, so a page reads 50 index entries however long the register."""
    qs = IssuedNumber.objects.select_related("code", "document", "document__doc_type", "document__authority",
                                            "given_by", "voided_by")
    if filters.month:
        qs = qs.filter(output_q(filters.month))
    if filters.unit:
        qs = qs.filter(document__drafting_unit_id=filters.unit)
    if filters.year:
        qs = qs.filter(year=filters.year)
    if filters.code:
        qs = qs.filter(code_id=filters.code)
    if filters.q:
        found = search_q(filters.q, prefix="document__")
        if found is None:
            return qs.none()
        return qs.filter(found).annotate(rank=search_rank(filters.q, prefix="document__")).order_by(
            "rank", "-year", "code_id", "-serial")
    return qs.order_by("-year", "code_id", "-serial")


def search_q(q: str, *, prefix: str = "") -> Q | None:
    """Outgoing documents ``q`` finds, by the core's search rule (``documents.search``): any
    contiguous string of the title, number, authority, recipients or body; a query that reads as
    a 文号 also by its key (``office.docnumbers``)."""
    from documents import search
    from office.docnumbers import parse

    found = search.vector_match(q, field=f"{prefix}search_vector")
    number = parse(q)
    if number is not None:
        by_number = Q(**{f"{prefix}number_key": number.key})
        found = by_number if found is None else found | by_number
    return found


def search_rank(q: str, *, prefix: str = "") -> Case:
    """0 for the document whose number ``q`` is, 1 where ``q`` occurs as typed in the title or the
    number, 2 for the rest (the same order as the incoming register's search)."""
    from office.docnumbers import parse

    typed = (q or "").strip()
    whens = [When(Q(**{f"{prefix}title__contains": typed}) | Q(**{f"{prefix}number__contains": typed}),
                  then=Value(1))]
    number = parse(q)
    if number is not None:
        whens.insert(0, When(Q(**{f"{prefix}number_key": number.key}), then=Value(0)))
    return Case(*whens, default=Value(2), output_field=IntegerField())


def in_flight(user, *, office: bool) -> QuerySet[OutgoingDocument]:
    return (visible_to(user, office=office).filter(status__in=IN_FLIGHT)
            .select_related("doc_type", "drafter", "authority").order_by("-created_at", "-pk"))


def queue_filters(user) -> dict[str, Q]:
    """What waits for ``user``'s review (核稿), countersignature (会签) or sign-off (签发), one
    predicate per queue: the desk's queues and the dashboard's "waiting for me" (``waiting_q``)."""
    queues: dict[str, Q] = {}
    if roles.has_role(user, roles.SECTION_CHIEF):
        queues["review"] = Q(status=S.SECTION_REVIEW) & (
            Q(drafting_unit_id=user.unit_id) | ~Q(drafting_unit__kind__in=["leadership", "section"]))
    if roles.has_role(user, roles.OFFICE_DIRECTOR):
        queues["review"] = Q(status=S.OFFICE_REVIEW)
    if roles.has_role(user, roles.COUNTY_LEADER, roles.OFFICE_DIRECTOR):
        queues["countersign"] = Q(status=S.COUNTERSIGN) & Exists(
            JointIssuer.objects.filter(document_id=OuterRef("pk"), countersigned_on__isnull=True).filter(
                Q(authority__principal=user) | Q(authority__signers=user)))
        signer = Exists(IssuingAuthority.signers.through.objects.filter(
            issuingauthority_id=OuterRef("authority_id"), user_id=user.pk))
        queues["sign"] = Q(status=S.SIGNING) & (Q(authority__principal=user) | signer)
    return queues


def waiting_q(user) -> Q:
    """Documents waiting for ``user`` to review, countersign or sign off (nothing for others)."""
    q = Q(pk__in=[])
    for part in queue_filters(user).values():
        q |= part
    return q


def waiting_for(user) -> QuerySet[OutgoingDocument]:
    """The list behind the dashboard's "waiting for my review or sign-off", oldest first."""
    return (OutgoingDocument.objects.filter(waiting_q(user))
            .select_related("doc_type", "drafter", "authority").order_by("created_at", "pk"))


def desk_queues(user, *, office: bool, limit: int = 8) -> dict[str, list[OutgoingDocument]]:
    """What waits for ``user``: drafts to review, to countersign, to sign, and for the document
    office those to re-check, number, seal, print and dispatch; returned drafts for the drafter."""
    base = OutgoingDocument.objects.select_related("doc_type").order_by("created_at", "pk")
    queues: dict[str, QuerySet] = {name: base.filter(q) for name, q in queue_filters(user).items()}
    if office:
        queues["issue"] = base.filter(status__in=[S.RECHECK, S.NUMBERING, S.SEALING, S.PRINTING, S.DISPATCHING])
    queues["mine"] = base.filter(drafter=user, status=S.DRAFT)
    return {k: list(v[:limit]) for k, v in queues.items()}


def person_year(user_id: int, year: int) -> dict:
    """One drafter's year, for the year-end assessment: drafts begun in the year, review
    findings (核稿) recorded against their drafts in the year, and drafts without any finding.
    One query."""
    from django.db.models import Count

    from documents.outgoing.models import ReviewFinding

    drafts = OutgoingDocument.objects.filter(drafter_id=user_id, created_at__year=year).aggregate(
        drafts=Count("pk", distinct=True),
        clean=Count("pk", filter=~Exists(ReviewFinding.objects.filter(document_id=OuterRef("pk"))), distinct=True),
        findings=Count("findings", distinct=True))
    return drafts
