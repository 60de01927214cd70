"""Read queries for the outgoing-document pages and the desk. Fixed query counts."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Case, Exists, IntegerField, OuterRef, Prefetch, Q, QuerySet, Value, When

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


def number_register(filters: RegisterFilters) -> QuerySet[IssuedNumber]:
    """发文登记簿: every number given, voided ones included, sorted as numbers (year, code, serial)."""
    qs = IssuedNumber.objects.select_related("code", "document", "document__doc_type", "document__authority",
                                            "given_by", "voided_by")
    if filters.year:
        qs = qs.filter(year=filters.year)
    if filters.code:
        qs = qs.filter(code_id=filters.code)
    if filters.q:
        found = search_q(filters.q, prefix="document__")
        if found is None:
            return qs.none()
        return qs.filter(found).annotate(rank=search_rank(filters.q, prefix="document__")).order_by(
            "rank", "-year", "code__code", "-serial")
    return qs.order_by("-year", "code__code", "-serial")


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


def desk_queues(user, *, office: bool, limit: int = 8) -> dict[str, list[OutgoingDocument]]:
    """What waits for ``user``: drafts to review, to countersign, to sign, and for the document
    office those to re-check, number, seal, print and dispatch; returned drafts for the drafter."""
    base = OutgoingDocument.objects.select_related("doc_type").order_by("created_at", "pk")
    queues: dict[str, QuerySet] = {}
    if roles.has_role(user, roles.SECTION_CHIEF):
        queues["review"] = base.filter(status=S.SECTION_REVIEW).filter(
            Q(drafting_unit_id=user.unit_id) | ~Q(drafting_unit__kind__in=["leadership", "section"]))
    if roles.has_role(user, roles.OFFICE_DIRECTOR):
        queues["review"] = base.filter(status=S.OFFICE_REVIEW)
    if roles.has_role(user, roles.COUNTY_LEADER, roles.OFFICE_DIRECTOR):
        queues["countersign"] = base.filter(status=S.COUNTERSIGN).filter(
            Exists(JointIssuer.objects.filter(document_id=OuterRef("pk"), countersigned_on__isnull=True).filter(
                Q(authority__principal=user) | Q(authority__signers=user))))
        queues["sign"] = base.filter(status=S.SIGNING).filter(
            Q(authority__principal=user) | Q(authority__signers=user)).distinct()
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
