"""Reads for the information pages, the dashboard and the year-end assessment. Query counts are
fixed (pinned by tests at two data sizes)."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from office import roles
from office.information import permissions, scoring
from office.information.models import Adoption, ClosedQuarter, Item, QuarterResult, quarter_of, quarter_span
from office.models import User


def current_quarter() -> tuple[int, int]:
    return quarter_of(timezone.localdate())


def secretaries() -> QuerySet:
    """Everyone who writes information: active accounts holding the secretary role (never an
    administrator account)."""
    return (User.objects.filter(is_active=True, is_superuser=False, groups__name=roles.SECRETARY)
            .exclude(groups__name__in=roles.ADMIN_ROLES).distinct())


def _people():
    return [(pk, full or username, short or unit or "") for pk, full, username, short, unit in
            secretaries().order_by("pk").values_list("pk", "full_name", "username", "unit__short_name",
                                                     "unit__name")]


def live_adoptions(start, end) -> QuerySet:
    return (Adoption.objects.filter(adopted_on__gte=start, adopted_on__lte=end, withdrawn_at__isnull=True)
            .select_related("item__author__unit"))


def closed_quarter(year: int, quarter: int) -> ClosedQuarter | None:
    return ClosedQuarter.objects.filter(year=year, quarter=quarter).select_related("closed_by").first()


def quarter_results(*, year: int, quarter: int) -> list[scoring.Row]:
    """One row per secretary (zeros included) and per anyone else with an adoption counted in
    the quarter: adopted items by level, points, quota and whether it is met, reward or
    penalty, rank. A closed quarter returns its frozen results (``frozen=True``). Six queries
    for an open quarter, two for a closed one, whatever the numbers."""
    closed = ClosedQuarter.objects.filter(year=year, quarter=quarter).first()
    if closed is not None:
        return [scoring.Row(r.user_id, r.name, r.unit_name, r.county, r.city, r.province, r.national,
                            r.comments, r.points, r.quota, r.quota_level, r.counted, r.reward, r.penalty,
                            r.rank, frozen=True)
                for r in QuarterResult.objects.filter(closed=closed).order_by("rank", "name", "user_id")]
    start, end = quarter_span(year, quarter)
    return scoring.compute(_people(), live_adoptions(start, end), scoring.Rules.load(), end)


def person_year(user_id: int, year: int) -> list[scoring.Row | None]:
    """The four quarters of one person (None for a quarter not yet begun): for the assessment."""
    today = timezone.localdate()
    rows = []
    for q in range(1, 5):
        start, _end = quarter_span(year, q)
        if start > today:
            rows.append(None)
            continue
        rows.append(next((r for r in quarter_results(year=year, quarter=q) if r.user_id == user_id), None))
    return rows


def visible_items(user) -> QuerySet:
    q = permissions.visible_q(user)
    if q is None:
        return Item.objects.none()
    return Item.objects.filter(q)


def item_list(user, *, scope: str = "mine", status: str = "") -> QuerySet:
    items = visible_items(user)
    if scope == "mine":
        items = items.filter(author=user)
    elif scope == "review":
        items = items.filter(status=Item.Status.SUBMITTED) if permissions.is_reviewer(user) else items.none()
    if status:
        items = items.filter(status=status)
    return (items.select_related("author", "category")
            .annotate(n_adopted=Count("adoptions", filter=Q(adoptions__withdrawn_at__isnull=True)))
            .order_by("-created_at", "-pk"))


def item_detail(user, pk: int) -> Item:
    """The item, or ``Item.DoesNotExist`` when the user may not see it."""
    return visible_items(user).select_related("author__unit", "category", "reviewed_by").get(pk=pk)


def adoptions_of(item: Item) -> list[Adoption]:
    return list(item.adoptions.select_related("outlet", "recorded_by", "withdrawn_by").order_by("adopted_on", "pk"))
