"""Read queries for the document pages, the board, the desk and the dashboard. Fixed counts."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from documents import search
from documents.models import (
    Circulation,
    DocumentEvent,
    IncomingDocument,
    Instruction,
    Status,
)
from documents.workflow import is_document_office, may_see_classified
from office import dates, roles


def visible_documents(user, *, office: bool | None = None,
                      classified: bool | None = None) -> QuerySet[IncomingDocument]:
    """What ``user`` may see. The document office and the directors see every document; others
    only what was routed to them: their instructions, their copies in circulation, documents
    their unit handles (lead or co-unit) or they handle. Classified metadata only for cleared
    users."""
    if not roles.is_business_user(user):
        return IncomingDocument.objects.none()
    office = is_document_office(user) if office is None else office
    classified = may_see_classified(user) if classified is None else classified
    qs = IncomingDocument.objects.all()
    if not classified:
        qs = qs.filter(secrecy="")
    if office:
        return qs
    routed = (
        Q(handler=user)
        | Exists(Instruction.objects.filter(document=OuterRef("pk"), leader=user))
        | Exists(Circulation.objects.filter(document=OuterRef("pk"), reader=user,
                                            sent_at__isnull=False, recalled_at__isnull=True))
    )
    if user.unit_id and roles.has_role(user, roles.UNIT_CONTACT):
        routed |= Q(lead_unit_id=user.unit_id) | Exists(
            IncomingDocument.co_units.through.objects.filter(
                incomingdocument_id=OuterRef("pk"), unit_id=user.unit_id))
    return qs.filter(routed)


# --- the register --------------------------------------------------------------------------

@dataclass
class RegisterFilters:
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    sender: int | None = None
    doc_type: int | None = None
    urgency: str | None = None
    status: str = ""
    handling: str = ""
    q: str = ""
    # the same-day clock (CLOCKS): what today's board and the dashboard count
    clock: str = ""


# --- the same-day clock: one predicate per figure of today's board and the dashboard ---------

CLOCKS = ("cleared", "on_time", "pending", "overdue")


def cleared_q() -> Q:
    """Cleared: the document left the intake desk (``cleared_at`` is set once, when it does)."""
    return Q(cleared_at__isnull=False)


def on_time_q() -> Q:
    """Cleared by its due time (当日文件当日清; urgent documents within their time limit)."""
    return Q(cleared_at__isnull=False, cleared_at__lte=F("due_at"))


def pending_q() -> Q:
    """Still at the intake desk, whenever it arrived."""
    return Q(cleared_at__isnull=True, status=Status.REGISTERED)


def overdue_q(now: dt.datetime) -> Q:
    """Still at the intake desk after its due time."""
    return pending_q() & Q(due_at__lt=now)


def clock_q(clock: str, now: dt.datetime) -> Q:
    return {"cleared": cleared_q, "on_time": on_time_q, "pending": pending_q}.get(
        clock, lambda: overdue_q(now))()


def register(user, f: RegisterFilters, *, office: bool,
             now: dt.datetime | None = None) -> QuerySet[IncomingDocument]:
    qs = visible_documents(user, office=office)
    if f.clock in CLOCKS:
        qs = qs.filter(clock_q(f.clock, now or timezone.now()))
    # ranges on the indexed column (office.dates.day_start), never received_at__date
    if f.date_from:
        qs = qs.filter(received_at__gte=dates.day_start(f.date_from))
    if f.date_to:
        qs = qs.filter(received_at__lt=dates.day_start(f.date_to + dt.timedelta(days=1)))
    if f.sender:
        qs = qs.filter(sender_id=f.sender)
    if f.doc_type:
        qs = qs.filter(doc_type_id=f.doc_type)
    if f.urgency is not None:
        qs = qs.filter(urgency=f.urgency)
    if f.status:
        qs = qs.filter(status=f.status)
    if f.handling:
        qs = qs.filter(handling=f.handling)
    order = ["-received_at", "-pk"]
    found = search.matches(f.q) if f.q else None
    if found is not None:  # exact matches first, then the register's order (documents.search)
        qs = qs.filter(found).annotate(search_rank=search.rank(f.q))
        order.insert(0, "search_rank")
    return qs.select_related("sender", "doc_type").defer("search_vector").order_by(*order)


def returned_register(user, *, office: bool) -> QuerySet[IncomingDocument]:
    return (visible_documents(user, office=office).filter(status=Status.RETURNED)
            .select_related("sender", "doc_type").order_by("-returned_at", "-pk"))


# --- today's board -------------------------------------------------------------------------

@dataclass
class Board:
    today: dt.date
    received: int = 0
    cleared: int = 0
    cleared_on_time: int = 0
    pending: list = field(default_factory=list)
    overdue: int = 0
    rate_today: float | None = None
    received_30: int = 0
    cleared_on_time_30: int = 0
    rate_30: float | None = None


def _window(start: dt.datetime, end: dt.datetime) -> dict:
    return {"received_at__gte": start, "received_at__lt": end}


def person_year(user_id: int, year: int) -> dict:
    """One person's incoming documents in a year, for the year-end assessment: registered by
    them (received in the year) and how many of those were cleared the same day; documents
    they handled as the handler. One query."""
    from django.db.models import Count

    tz = timezone.get_current_timezone()
    start, end = dt.datetime(year, 1, 1, tzinfo=tz), dt.datetime(year + 1, 1, 1, tzinfo=tz)
    in_year = Q(received_at__gte=start, received_at__lt=end)
    return IncomingDocument.objects.filter(in_year & (Q(registered_by_id=user_id) | Q(handler_id=user_id))).aggregate(
        registered=Count("pk", filter=Q(registered_by_id=user_id)),
        same_day=Count("pk", filter=Q(registered_by_id=user_id) & on_time_q()),
        handled=Count("pk", filter=Q(handler_id=user_id)))


def board(user, *, office: bool, now: dt.datetime | None = None) -> Board:
    """今日收文: received today, cleared, cleared on time, everything still at the intake desk
    (with its due time), overdue; the clearance rate (cleared by the due time / received) today
    and over the last 30 days. Three queries."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    tz = timezone.get_current_timezone()
    start_today = timezone.make_aware(dt.datetime.combine(today, dt.time.min), tz)
    start_30 = start_today - dt.timedelta(days=29)
    end = start_today + dt.timedelta(days=1)
    qs = visible_documents(user, office=office)
    on_time = on_time_q()
    today_q = Q(received_at__gte=start_today, received_at__lt=end)
    agg = qs.filter(**_window(start_30, end)).aggregate(
        received=Count("pk", filter=today_q),
        cleared=Count("pk", filter=today_q & cleared_q()),
        cleared_on_time=Count("pk", filter=today_q & on_time),
        received_30=Count("pk"),
        cleared_on_time_30=Count("pk", filter=on_time),
    )
    pending = list(qs.filter(pending_q())
                   .select_related("sender", "doc_type").order_by("due_at", "pk"))
    b = Board(today=today, received=agg["received"], cleared=agg["cleared"],
              cleared_on_time=agg["cleared_on_time"], pending=pending,
              received_30=agg["received_30"], cleared_on_time_30=agg["cleared_on_time_30"])
    for doc in pending:
        doc.minutes_left = int((doc.due_at - now).total_seconds() // 60)
        doc.minutes_late = -doc.minutes_left
    b.overdue = sum(1 for d in pending if d.minutes_left < 0)
    b.rate_today = round(100 * b.cleared_on_time / b.received, 1) if b.received else None
    b.rate_30 = round(100 * b.cleared_on_time_30 / b.received_30, 1) if b.received_30 else None
    return b


# --- one document --------------------------------------------------------------------------

def document_detail(user, pk: int, *, office: bool) -> IncomingDocument:
    return (visible_documents(user, office=office)
            .select_related("sender", "doc_type", "signed_by", "registered_by", "proposed_by",
                            "lead_unit", "handler")
            .prefetch_related(
                "co_units", "attachments",
                Prefetch("instructions", queryset=Instruction.objects.select_related("leader")),
                Prefetch("circulations", queryset=Circulation.objects.select_related("reader")),
                Prefetch("events", queryset=DocumentEvent.objects.select_related("actor")),
            )
            .get(pk=pk))


# --- desk ------------------------------------------------------------------------------------

@dataclass
class DeskDocuments:
    to_read: list
    to_propose: list
    to_instruct: list
    to_handle: list
    at_intake: int

    @property
    def total(self) -> int:
        return (len(self.to_read) + len(self.to_propose) + len(self.to_instruct)
                + len(self.to_handle))


def desk_documents(user, *, limit: int = 8) -> DeskDocuments:
    """My documents to read, to propose on, to instruct on, to handle. Four queries (five for
    the document office: the intake desk count)."""
    classified = may_see_classified(user)
    base = IncomingDocument.objects.all() if classified else IncomingDocument.objects.filter(secrecy="")
    base = base.select_related("sender")
    to_read = list(base.filter(circulations__reader=user, circulations__sent_at__isnull=False,
                               circulations__read_at__isnull=True,
                               circulations__recalled_at__isnull=True)
                   .exclude(status=Status.ARCHIVED).order_by("due_at")[:limit])
    to_propose = []
    if roles.has_role(user, roles.OFFICE_DIRECTOR):
        to_propose = list(base.filter(status=Status.PROPOSING).order_by("due_at")[:limit])
    my_turn = Instruction.objects.filter(document=OuterRef("pk"), leader=user,
                                         instructed_at__isnull=True).exclude(
        Exists(Instruction.objects.filter(document=OuterRef("document"), instructed_at__isnull=True,
                                          order__lt=OuterRef("order"))))
    to_instruct = list(base.filter(status=Status.INSTRUCTING).filter(Exists(my_turn))
                       .order_by("due_at")[:limit])
    to_handle = list(base.filter(handler=user, status=Status.HANDLING)
                     .order_by("handling_deadline", "pk")[:limit])
    at_intake = 0
    if is_document_office(user):
        at_intake = base.filter(status=Status.REGISTERED).count()
    return DeskDocuments(to_read, to_propose, to_instruct, to_handle, at_intake)


def readers_choices():
    """Staff who may receive a copy: internal staff and county leaders."""
    from office.models import Unit, User

    return (User.objects.filter(is_active=True, unit__kind__in=[Unit.Kind.LEADERSHIP,
                                                                Unit.Kind.SECTION])
            .exclude(groups__name__in=roles.ADMIN_ROLES).select_related("unit")
            .order_by("unit__kind", "unit__order", "username"))



def unit_names() -> list[tuple[str, str]]:
    """(name, short name) of every active unit, for the registration form's pick list."""
    from office.models import Unit

    return list(Unit.objects.filter(is_active=True).order_by("kind", "order").values_list(
        "name", "short_name"))


def instruction_phrases(user) -> list[str]:
    """The person's 常用批示语, or the office's defaults until they edit their own. One query."""
    from documents.models import DEFAULT_INSTRUCTION_PHRASES, InstructionPhrase

    own = list(InstructionPhrase.objects.filter(owner=user).order_by("order", "pk").values_list("text", flat=True))
    return own or list(DEFAULT_INSTRUCTION_PHRASES)
