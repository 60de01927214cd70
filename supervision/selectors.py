"""Read queries for the supervision pages, the desk and the dashboard. Fixed query counts."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import (
    Count,
    Exists,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.utils import timezone

from office import paging, roles
from office.models import Unit
from office.workdays import WorkCalendar
from supervision import reports, timeliness
from supervision.models import (
    LEVEL_RANK,
    OPEN_STATUSES,
    Event,
    Extension,
    Item,
    Level,
    ProgressReport,
    ReminderRule,
)
from supervision.workflow import is_manager

# The rule of overdue on dates (``supervision.timeliness``), for the office's other work that is
# due by a date: read through here, never written a second time.
past_due = timeliness.past_due
past_due_q = timeliness.past_due_q
working_days_late = timeliness.working_days_late


def _co_unit_of(user) -> Exists:
    return Exists(Item.co_units.through.objects.filter(item_id=OuterRef("pk"), unit_id=user.unit_id))


def visible_items(user, *, manager: bool | None = None) -> QuerySet[Item]:
    """Items ``user`` may see: managers see all; others what they are part of (responsible,
    supervising officer, instructing leader, creator) or what their unit leads or co-handles."""
    if not roles.is_business_user(user):
        return Item.objects.none()
    manager = is_manager(user) if manager is None else manager
    qs = Item.objects.all()
    if manager:
        return qs
    q = (Q(responsible=user) | Q(supervisor=user) | Q(instructing_leader=user)
         | Q(created_by=user))
    if user.unit_id:
        q |= Q(lead_unit_id=user.unit_id) | _co_unit_of(user)
    return qs.filter(q)


# --- overdue levels ------------------------------------------------------------------------

def level_thresholds(cal: WorkCalendar, today: dt.date, rules=None) -> list[tuple[str, dt.date]]:
    """[(level, latest deadline that has it)], most severe first. A level applies once an item is
    ``offset`` working days past its deadline, ``offset`` being the smallest of that level's
    active rules. One query unless ``rules`` is given."""
    if rules is None:
        rules = ReminderRule.objects.filter(is_active=True).exclude(level="")
    first_offset: dict[str, int] = {}
    for rule in rules:
        if rule.level and rule.is_active:
            first_offset[rule.level] = min(rule.offset, first_offset.get(rule.level, rule.offset))
    latest_working = today if cal.is_working_day(today) else cal.add_working_days(today, -1)
    result = []
    for level, offset in first_offset.items():
        if offset <= 0:
            threshold = cal.add_working_days(today, -offset) if offset < 0 else today
        else:
            # k working days overdue ⟺ the k-th latest working day (≤ today) is after the deadline
            kth = cal.add_working_days(latest_working, -(offset - 1)) if offset > 1 else latest_working
            threshold = kth - dt.timedelta(days=1)
        result.append((level, threshold))
    result.sort(key=lambda pair: LEVEL_RANK[pair[0]], reverse=True)
    return result


def with_level(qs: QuerySet[Item], thresholds) -> QuerySet[Item]:
    """Annotate ``level`` (yellow/orange/red or '') on the items the unit owes, by the date it
    must deliver by (``supervision.timeliness``)."""
    return qs.annotate(level=timeliness.level_annotation(thresholds))


def item_level(item: Item, thresholds, today: dt.date | None = None) -> str:
    return timeliness.level_of(item, thresholds)


# --- lists -------------------------------------------------------------------------------

SCOPES = ("mine", "unit", "instructed", "all")


@dataclass
class ItemFilters:
    scope: str = "mine"
    status: str = ""
    source: str = ""
    unit: int | None = None
    level: str = ""
    deadline_from: dt.date | None = None
    deadline_to: dt.date | None = None
    q: str = ""
    # "open": assigned and not closed (models.OPEN_STATUSES), whoever holds it now
    state: str = ""
    # a figure of the 督查通报 (reports.FIGURES) for the week or month containing ``anchor``
    figure: str = ""
    period: str = "week"
    anchor: dt.date | None = None


def scoped_items(user, scope: str, *, manager: bool) -> QuerySet[Item]:
    qs = visible_items(user, manager=manager)
    if scope == "mine":
        q = Q(responsible=user)
        if user.unit_id:
            q |= _co_unit_of(user)
        return qs.filter(q)
    if scope == "unit":
        if not user.unit_id:
            return qs.none()
        return qs.filter(Q(lead_unit_id=user.unit_id) | _co_unit_of(user))
    if scope == "instructed":
        return qs.filter(instructing_leader=user)
    return qs  # "all": whatever the user may see (everything for managers)


def item_list(user, filters: ItemFilters, *, cal: WorkCalendar, manager: bool):
    """The filtered list (a queryset to paginate, with ``level`` annotated and people joined)
    and the counts per status of the scope before the status filter."""
    today = timezone.localdate()
    thresholds = level_thresholds(cal, today)
    base = with_level(scoped_items(user, filters.scope, manager=manager), thresholds)
    if filters.source:
        base = base.filter(source_kind=filters.source)
    if filters.unit:
        base = base.filter(lead_unit_id=filters.unit)
    if filters.deadline_from:
        base = base.filter(deadline__gte=filters.deadline_from)
    if filters.deadline_to:
        base = base.filter(deadline__lte=filters.deadline_to)
    if filters.q:
        base = base.filter(Q(title__icontains=filters.q) | Q(number__icontains=filters.q))
    if filters.state == "open":
        base = base.filter(open_q())
    if filters.level == "overdue":
        base = base.filter(timeliness.overdue_q(today))
    elif filters.level:
        base = base.filter(timeliness.level_q(filters.level, thresholds))
    if filters.figure in reports.FIGURES:
        base = base.filter(reports.figure_q(filters.figure, filters.period, filters.anchor or today,
                                            today=today))
    counts = {row["status"]: row["n"] for row in base.order_by().values("status").annotate(n=Count("pk"))}
    listed = base.filter(status=filters.status) if filters.status else base
    listed = listed.select_related("lead_unit", "responsible").order_by("deliver_by", "pk")
    return listed, counts


def open_q() -> Q:
    """Open: assigned and not closed yet, with the unit or with the office (drafts are not)."""
    return Q(status__in=list(OPEN_STATUSES))


def latest_answers(items: QuerySet[Item]) -> QuerySet[Item]:
    """``items`` with ``latest_answer`` / ``latest_answer_at``: the newest progress report or
    result of each (one query for the page; correlated subqueries on the listed rows only)."""
    newest = ProgressReport.objects.filter(item=OuterRef("pk")).order_by("-created_at", "-pk")
    return items.annotate(latest_answer=Subquery(newest.values("text")[:1]),
                          latest_answer_at=Subquery(newest.values("created_at")[:1]))


def first_with_latest_answers(items: QuerySet[Item], *, limit: int) -> list[Item]:
    """The first ``limit`` of ``items`` in the lists' order (deadline first), each with its
    latest answer and its lead unit: the ids first (an index scan), then the answers of those
    only. Two queries."""
    shown = list(items.order_by("deliver_by", "pk").values_list("pk", flat=True)[:limit])
    return list(latest_answers(Item.objects.filter(pk__in=shown)).select_related("lead_unit")
                .order_by("deliver_by", "pk"))


def filter_units() -> list[Unit]:
    return list(Unit.objects.filter(is_active=True).exclude(kind=Unit.Kind.SUPERIOR)
                .order_by("kind", "order", "code"))


# --- one item ----------------------------------------------------------------------------

def item_detail(user, pk: int, *, manager: bool) -> Item:
    """The item with everything its page shows, or Item.DoesNotExist when not visible."""
    return (visible_items(user, manager=manager)
            .select_related("lead_unit", "responsible", "supervisor", "instructing_leader",
                            "created_by", "origin_type")
            .prefetch_related(
                "co_units", "milestones",
                Prefetch("extensions", queryset=Extension.objects.select_related(
                    "requested_by", "decided_by")),
                Prefetch("events", queryset=Event.objects.select_related("actor")),
                "progress_reports__attachments", "chases",
            )
            .get(pk=pk))


# --- desk ----------------------------------------------------------------------------------

DESK_COUNT_LIMIT = 100


def desk_items(user, *, cal: WorkCalendar, limit: int = 10) -> tuple[list[Item], int]:
    """The items whose turn is mine (``timeliness.my_turn_q``): work I owe as the responsible
    person, drafts, results and disputes of the items I supervise, extension requests waiting for
    my decision; with their overdue colour. Three queries (+ rules); the count stops at
    ``DESK_COUNT_LIMIT`` (``paging.bounded_count``) and is not run when the list is not full."""
    thresholds = level_thresholds(cal, timezone.localdate())
    qs = with_level(Item.objects.filter(timeliness.my_turn_q(user)), thresholds).select_related("lead_unit")
    items = list(qs.order_by("deliver_by", "pk")[:limit])
    total = len(items) if len(items) < limit else paging.bounded_count(qs, DESK_COUNT_LIMIT)
    return items, total


LEVEL_CSS = {Level.YELLOW: "badge-overdue-yellow", Level.ORANGE: "badge-overdue-orange",
             Level.RED: "badge-overdue-red"}


def person_year(user_id: int, year: int, *, today: dt.date | None = None) -> dict:
    """One person's supervision items as the responsible person, for the year-end assessment:
    closed in the year and how they count (``timeliness``: on time, within extension, late),
    and those overdue now (or at the year's end for a past year). One query."""
    from supervision.models import Closing

    today = today or timezone.localdate()
    day = min(today, dt.date(year, 12, 31))
    closed_in_year = Q(closed_at__year=year)
    return Item.objects.filter(responsible_id=user_id).aggregate(
        closed=Count("pk", filter=closed_in_year & Q(status="closed")),
        on_time=Count("pk", filter=closed_in_year & timeliness.closed_as_q(Closing.ON_TIME)),
        extended=Count("pk", filter=closed_in_year & timeliness.closed_as_q(Closing.EXTENDED)),
        late=Count("pk", filter=closed_in_year & timeliness.closed_as_q(Closing.LATE)),
        overdue=Count("pk", filter=timeliness.overdue_at_q(day)))
