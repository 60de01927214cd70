"""Read queries of the office core. Each runs a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from office.models import Notification, Rule, RuleAcknowledgement, RuleVersion, Unit, User

# --- unit choices (the filter forms' and pickers' list of units) ---------------------------

UNIT_CHOICES_SECONDS = 60
_unit_choices: dict[str, tuple[float, list[tuple[int, str]]]] = {}


def unit_choices(which: str = "active") -> list[tuple[int, str]]:
    """(pk, label) of the active units in the order of the lists (kind, order, code):
    ``which="active"`` every active unit, ``"county"`` without the superior organs. Kept in the
    process for ``UNIT_CHOICES_SECONDS`` and dropped at once when a unit is saved or deleted in
    this process (another worker sees the change within a minute): a page with a unit filter
    reads no unit row. The pickers (Tom Select) take the same list."""
    import time

    now = time.monotonic()
    cached = _unit_choices.get(which)
    if cached is not None and now - cached[0] < UNIT_CHOICES_SECONDS:
        return cached[1]
    qs = Unit.objects.filter(is_active=True)
    if which == "county":
        qs = qs.exclude(kind=Unit.Kind.SUPERIOR)
    elif which != "active":
        raise ValueError(which)
    choices = [(u.pk, str(u)) for u in qs.order_by("kind", "order", "code").only("pk", "name", "short_name")]
    _unit_choices[which] = (now, choices)
    return choices


def _units_changed(**kwargs) -> None:
    _unit_choices.clear()


post_save.connect(_units_changed, sender=Unit, dispatch_uid="office.selectors.unit_choices.save")
post_delete.connect(_units_changed, sender=Unit, dispatch_uid="office.selectors.unit_choices.delete")


def unread_count(user) -> int:
    """Notifications still open: unread and not resolved by the action they asked for."""
    from office.notify import open_q

    return Notification.objects.filter(open_q(), recipient=user).count()


def recent_notifications(user, *, limit: int = 10, unread_only: bool = False) -> list[Notification]:
    qs = Notification.objects.filter(recipient=user)
    if unread_only:
        from office.notify import open_q

        qs = qs.filter(open_q())
    return list(qs.order_by("-created_at", "-pk")[:limit])


def notifications_page(user) -> QuerySet[Notification]:
    return (Notification.objects.filter(recipient=user).select_related("resolved_by")
            .order_by("-created_at", "-pk"))


def _versions_in_force(on: dt.date) -> Q:
    return Q(in_force_from__lte=on) & (Q(in_force_until__isnull=True) | Q(in_force_until__gte=on))


def rules_in_force(on: dt.date | None = None) -> list[Rule]:
    """Rules with a version in force on ``on``, each with ``current`` set to that version.
    Three queries (rules, posts, versions)."""
    on = on or timezone.localdate()
    rules = list(
        Rule.objects.prefetch_related(
            "posts",
            Prefetch("versions", queryset=RuleVersion.objects.filter(_versions_in_force(on)),
                     to_attr="versions_in_force"),
        ).order_by("area", "kind", "order", "code")
    )
    result = []
    for rule in rules:
        if rule.versions_in_force:
            rule.current = rule.versions_in_force[0]
            result.append(rule)
    return result


def binds(rule: Rule, user: User) -> bool:
    post_ids = {p.pk for p in rule.posts.all()}
    return not post_ids or user.post_id in post_ids


def bound_users(rule: Rule) -> QuerySet[User]:
    """The active people ``rule`` binds (as ``binds`` decides: its posts' holders, or everyone
    when it names no post)."""
    post_ids = list(rule.posts.values_list("pk", flat=True))
    users = User.objects.filter(is_active=True)
    return users.filter(post_id__in=post_ids) if post_ids else users


@dataclass
class RuleStatus:
    rule: Rule
    version: RuleVersion
    binding: bool
    acknowledged_at: dt.datetime | None


def rule_library(user, on: dt.date | None = None, *, rules: list[Rule] | None = None) -> list[RuleStatus]:
    """Rules in force, each with whether it binds ``user`` and when they acknowledged it.
    Four queries (one when ``rules``, from ``rules_in_force``, is given)."""
    rules = rules_in_force(on) if rules is None else rules
    acks = dict(
        RuleAcknowledgement.objects.filter(user=user, version__in=[r.current for r in rules])
        .values_list("version_id", "acknowledged_at")
    )
    return [RuleStatus(r, r.current, binds(r, user), acks.get(r.current.pk)) for r in rules]


def unacknowledged_in_unit(unit, on: dt.date | None = None, *,
                           rules: list[Rule] | None = None) -> list[tuple[User, list[Rule]]]:
    """For each active member of ``unit``, the rules in force that bind them and that they have
    not acknowledged. Members with nothing missing are left out. Five queries (two when
    ``rules`` is given)."""
    rules = rules_in_force(on) if rules is None else rules
    members = list(User.objects.filter(unit=unit, is_active=True).order_by("username"))
    acked = set(
        RuleAcknowledgement.objects.filter(user__in=members, version__in=[r.current for r in rules])
        .values_list("user_id", "version_id")
    )
    result = []
    for member in members:
        missing = [r for r in rules if binds(r, member) and (member.pk, r.current.pk) not in acked]
        if missing:
            result.append((member, missing))
    return result


def rule_versions(rule: Rule) -> list[RuleVersion]:
    return list(rule.versions.select_related("created_by").order_by("-number"))


def my_acknowledgement(version: RuleVersion | None, user) -> RuleAcknowledgement | None:
    if version is None:
        return None
    return RuleAcknowledgement.objects.filter(version=version, user=user).first()
