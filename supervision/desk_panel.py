"""The desk's supervision queues, per role (``office.desk.register_queues``): the items whose
turn is mine (``timeliness.my_turn_q``); for the office directors, disputes waiting for 重新交办,
the office's overdue items and extension requests; for a leader, the items they instructed that
are overdue; for a secretary or deputy director, the overdue items of the units they answer for
(归口). Overdue is ``supervision.timeliness`` (``overdue_q``), the colour its levels; most urgent
first (the date the unit must deliver by). One query per queue, plus the reminder rules."""

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from office import roles
from office.desk import DeskQueue, DeskRow, take
from supervision import selectors, timeliness
from supervision.models import Extension, Item, Status

NEXT_STEP = {
    Status.DRAFT: gettext_lazy("Assign"),
    Status.ASSIGNED: gettext_lazy("Acknowledge"),
    Status.ACKNOWLEDGED: gettext_lazy("Report progress"),
    Status.IN_PROGRESS: gettext_lazy("Report the result"),
    Status.RESULT_REPORTED: gettext_lazy("Verify"),
    Status.DISPUTED: gettext_lazy("Reassign"),
}


def _rows(items, action=None) -> list[DeskRow]:
    return [DeskRow(title=i.title, url=i.get_absolute_url(), meta=f"{i.number} · {i.lead_unit}",
                    due=i.deliver_by, level=i.level, level_css=selectors.LEVEL_CSS.get(i.level, ""),
                    action=str(action or NEXT_STEP.get(i.status, _("Open"))),
                    provisional=i.deadline_provisional)
            for i in items]


def queues(ctx) -> list[DeskQueue]:
    user, limit = ctx.user, ctx.LIMIT
    thresholds = selectors.level_thresholds(ctx.cal, ctx.today)
    items = selectors.with_level(Item.objects.all(), thresholds).select_related("lead_unit")
    overdue = timeliness.overdue_q(ctx.today)
    listing = reverse("supervision:list")
    found = []
    rows, count = take(items.filter(timeliness.my_turn_q(user)).order_by("deliver_by", "pk"), limit)
    found.append(DeskQueue(
        "my_items", _("My supervision items"), _rows(rows), count,
        _("Items you are responsible for, supervise or must decide on appear here when it is your turn."),
        more_url=listing, order=35))
    if ctx.has(roles.OFFICE_DIRECTOR):
        rows, count = take(items.filter(status=Status.DISPUTED).order_by("turn_since", "pk"), limit)
        found.append(DeskQueue(
            "disputed", _("Disputed, to reassign (重新交办)"), _rows(rows, _("Reassign")), count,
            _("Items a unit disputed (退办) appear here until they are reassigned."),
            more_url=f"{listing}?scope=all&status={Status.DISPUTED}", order=24))
        pending = Exists(Extension.objects.filter(item_id=OuterRef("pk"), decision=Extension.Decision.PENDING))
        rows, count = take(items.filter(pending).order_by("deliver_by", "pk"), limit)
        found.append(DeskQueue(
            "extensions", _("Extension requests"), _rows(rows, _("Decide")), count,
            _("Requests for more time waiting for a decision appear here."), order=26))
        rows, count = take(items.filter(overdue).order_by("deliver_by", "pk"), limit)
        found.append(DeskQueue(
            "office_overdue", _("Overdue items of the office"), _rows(rows, _("Send a chase")), count,
            _("Items past the date their unit must deliver by appear here."),
            more_url=f"{listing}?scope=all&level=overdue", order=28))
    if ctx.has(roles.COUNTY_LEADER):
        rows, count = take(items.filter(overdue, instructing_leader=user).order_by("deliver_by", "pk"), limit)
        found.append(DeskQueue(
            "instructed_overdue", _("My instructions overdue"), _rows(rows, _("Open")), count,
            _("Items opened from your instructions appear here when they are overdue."), order=27))
    if ctx.liaison_unit_ids:
        rows, count = take(items.filter(overdue, lead_unit_id__in=ctx.liaison_unit_ids)
                           .order_by("deliver_by", "pk"), limit)
        found.append(DeskQueue(
            "liaison_overdue", _("Overdue items of my units (归口)"), _rows(rows, _("Open")), count,
            _("Overdue supervision items led by the units you answer for appear here."), order=62))
    return found

