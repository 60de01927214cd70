"""Registries the workflow apps fill from their AppConfig.ready(): panels on "My desk" and
entries in the navigation. The core knows the registries, never the apps (layer rule)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from office.roles import user_roles


@dataclass(frozen=True)
class DeskPanel:
    key: str
    title: str  # a lazy translation
    template: str
    load: Callable  # load(user) -> dict for the template, or None to hide the panel
    order: int = 100


@dataclass(frozen=True)
class NavItem:
    key: str
    label: str  # a lazy translation
    url_name: str
    roles: frozenset[str] = field(default_factory=frozenset)  # empty: every signed-in user
    order: int = 100

    def allowed(self, roles: set[str]) -> bool:
        return not self.roles or bool(self.roles & roles)


_panels: dict[str, DeskPanel] = {}
_nav: dict[str, NavItem] = {}


def register_panel(panel: DeskPanel) -> None:
    _panels[panel.key] = panel


def register_nav(item: NavItem) -> None:
    _nav[item.key] = item


def nav_for(user) -> list[NavItem]:
    roles = user_roles(user)
    return sorted((i for i in _nav.values() if i.allowed(roles)), key=lambda i: (i.order, i.key))


def panels_for(user) -> list[tuple[DeskPanel, dict]]:
    rendered = []
    for panel in sorted(_panels.values(), key=lambda p: (p.order, p.key)):
        context = panel.load(user)
        if context is not None:
            rendered.append((panel, context))
    return rendered


# --- the day's work: queues ------------------------------------------------------------------
#
# A workflow app declares, per role, the queues of work waiting for a person or their office:
# ``register_queues(key, load, order)`` where ``load(ctx) -> list[DeskQueue]`` returns the queues
# that apply to ``ctx.user`` (an empty queue too: its empty state says what will appear there).
# Each queue costs one query (its rows and, by a window function, its full count), so the
# desk's query count is fixed whatever the data (tests pin it at two sizes).

@dataclass
class DeskRow:
    title: str
    url: str
    meta: str = ""
    due: object = None  # a datetime (a time limit) or a date (a deadline)
    urgency: str = ""  # label of the urgency (特急 ...), in the active language
    level: str = ""  # overdue colour (supervision: yellow, orange, red)
    level_css: str = ""
    action: str = ""  # the next action's label; the button goes to ``url``
    provisional: bool = False
    days_left: int | None = None  # for a date: working days until it (negative: working days late)


@dataclass
class DeskQueue:
    key: str
    title: str
    rows: list
    count: int  # the whole queue's length (the rows shown are its first ``limit``)
    empty: str
    more_url: str = ""
    order: int = 100
    actions: list = field(default_factory=list)  # [(label, url)]: what the queue's owner may start here


@dataclass(frozen=True)
class QueueSource:
    key: str
    load: Callable  # load(ctx) -> list[DeskQueue]
    order: int = 100


class DeskContext:
    """What every queue of one desk may need, loaded once: roles, today, the working-day
    calendar, the units the person answers for (归口)."""

    LIMIT = 8

    def __init__(self, user):
        from django.utils import timezone

        self.user = user
        self.roles = user_roles(user)
        self.now = timezone.now()
        self.today = timezone.localdate()
        self._cal = None
        self._liaison = None

    def has(self, *roles: str) -> bool:
        return bool(self.roles & set(roles))

    @property
    def cal(self):
        if self._cal is None:
            from office.workdays import WorkCalendar

            self._cal = WorkCalendar.load()
        return self._cal

    @property
    def liaison_unit_ids(self) -> list[int]:
        """The units whose 归口 secretary or 分管主任 this person is (one query, once)."""
        if self._liaison is None:
            from django.db.models import Q

            from office.models import Unit

            self._liaison = list(Unit.objects.filter(Q(liaison_secretary=self.user) | Q(liaison_director=self.user),
                                                     is_active=True).values_list("pk", flat=True))
        return self._liaison


def take(qs, limit: int) -> tuple[list, int]:
    """The first ``limit`` rows of ``qs`` and the length of the whole list, in one query."""
    from django.db.models import Count, Window

    rows = list(qs.annotate(_desk_total=Window(Count("pk")))[:limit])
    return rows, (rows[0]._desk_total if rows else 0)


_queues: dict[str, QueueSource] = {}


def register_queues(source: QueueSource) -> None:
    _queues[source.key] = source


def queues_for(ctx: DeskContext) -> list[DeskQueue]:
    from office.roles import BUSINESS_ROLES, is_business_user

    if not is_business_user(ctx.user) or not ctx.has(*BUSINESS_ROLES):
        return []
    import datetime as dt

    found = []
    for source in sorted(_queues.values(), key=lambda s: (s.order, s.key)):
        found.extend(source.load(ctx))
    for queue in found:  # a deadline's countdown in working days (office.workdays)
        for row in queue.rows:
            if isinstance(row.due, dt.date) and not isinstance(row.due, dt.datetime):
                row.days_left = ctx.cal.working_days_between(ctx.today, row.due)
    return sorted(found, key=lambda q: (q.count == 0, q.order))  # work first, then the empty queues


def rule_queues(ctx) -> list[DeskQueue]:
    """The core's own queues: the rules in force that bind me and that I have not acknowledged
    (everyone); for a section chief, the members of the section who still owe acknowledgements.
    The rules in force are read once for both (three queries, one per list after that)."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from office import roles, selectors

    rules = selectors.rules_in_force(ctx.today)
    mine = selectors.rule_library(ctx.user, ctx.today, rules=rules)
    pending = [s for s in mine if s.binding and not s.acknowledged_at]
    found = [DeskQueue(
        "rules", _("Rules to acknowledge"),
        [DeskRow(title=s.version.title, url=s.rule.get_absolute_url(), meta=f"v{s.version.number}",
                 action=_("Read and acknowledge"))
         for s in pending[:ctx.LIMIT]], len(pending),
        _("Rules in force that bind your post appear here until you acknowledge them."),
        more_url=reverse("office:rules"), order=90)]
    if ctx.has(roles.SECTION_CHIEF) and ctx.user.unit_id:
        rows = selectors.unacknowledged_in_unit(ctx.user.unit, ctx.today, rules=rules)
        url = reverse("office:acknowledgements")
        found.append(DeskQueue(
            "section_rules", _("Rules not yet acknowledged in my section"),
            [DeskRow(title=member.get_full_name() or member.get_username(), url=url,
                     meta="、".join(r.title for r in missing[:3]) + ("…" if len(missing) > 3 else ""),
                     action=_("View"))
             for member, missing in rows[:ctx.LIMIT]], len(rows),
            _("Members of your section who have not acknowledged a rule that binds them appear here."),
            more_url=url, order=92))
    return found
