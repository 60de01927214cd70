"""The information workflow: one transition table and one function per step.

Each step is keyword-only with ``acting_user=``, atomic (``office.workflow.audited_step``: a
refusal is rolled back and audited as a failure), locks the item row, writes an ``ItemEvent``
and an audit record, and notifies the author after the commit (``office.notify``).

Flow: 草稿 (draft) → 报审 (submitted) → 退回 with a reason (returned) → … → 通过 (approved) →
报送 to outlets (sent) → 采用 recorded per outlet, withdrawn with a reason (kept).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from office import audit, notify
from office.information import permissions
from office.information.models import (
    Adoption,
    Category,
    ClosedQuarter,
    Dispatch,
    Item,
    ItemEvent,
    Outlet,
    QuarterResult,
    quarter_of,
    quarter_span,
)
from office.notify import Msg
from office.workflow import WorkflowError, audited_step, require_line, require_text

S = Item.Status

# step -> (statuses it may start from, status it leads to; None keeps the status)
TRANSITIONS: dict[str, tuple[frozenset[str], str | None]] = {
    "edit": (frozenset({S.DRAFT, S.RETURNED, S.SUBMITTED}), None),
    "submit": (frozenset({S.DRAFT, S.RETURNED}), S.SUBMITTED),
    "return_item": (frozenset({S.SUBMITTED}), S.RETURNED),
    "approve": (frozenset({S.SUBMITTED}), S.APPROVED),
    "send": (frozenset({S.APPROVED, S.SENT}), S.SENT),
    "record_adoption": (frozenset({S.SENT}), None),
    "withdraw_adoption": (frozenset({S.SENT}), None),
}


def may(step: str, item: Item, user, *, reviewer: bool | None = None) -> bool:
    if not permissions.takes_part(user):
        return False
    reviewer = permissions.is_reviewer(user) if reviewer is None else reviewer
    if step == "edit":  # the author while it is theirs, the information section while it reviews
        return (item.author_id == user.pk and item.status in (S.DRAFT, S.RETURNED)) or (
            reviewer and item.status == S.SUBMITTED)
    if step == "submit":
        return item.author_id == user.pk
    if step in ("return_item", "approve", "send", "record_adoption", "withdraw_adoption"):
        return reviewer
    return False


def allowed_steps(item: Item, user) -> list[str]:
    reviewer = permissions.is_reviewer(user)
    steps = [s for s, (sources, _to) in TRANSITIONS.items()
             if item.status in sources and may(s, item, user, reviewer=reviewer)]
    if "withdraw_adoption" in steps and not item.adoptions.filter(withdrawn_at__isnull=True).exists():
        steps.remove("withdraw_adoption")
    return steps


def _step(name: str):
    return audited_step(f"information.{name}", target_kwarg="item")


def _lock(item: Item) -> Item:
    return Item.objects.select_for_update().get(pk=item.pk)


def _check(step: str, item: Item, user) -> None:
    sources, _target = TRANSITIONS[step]
    if not may(step, item, user):
        raise WorkflowError(_("You may not take this step on this item."), code="forbidden")
    if item.status not in sources:
        raise WorkflowError(_("This step is not possible while the item is “%(status)s”.")
                            % {"status": item.get_status_display()}, code="wrong_status")


def _record(item: Item, step: str, user, *, previous: str, note: str = "", data: dict | None = None) -> ItemEvent:
    event = ItemEvent.objects.create(item=item, action=step, actor=user, from_status=previous,
                                     to_status=item.status, note=note, data=data or {})
    audit.record(f"information.{step}", actor=user, obj=item,
                 detail={"from": previous, "to": item.status, **(data or {})})
    return event


def _tell_author(item: Item, event: ItemEvent, title: Msg, body: str = "", *, task: str = "") -> None:
    """The author hears of each step on their item (the title stored by meaning, shown in the
    reader's language); a return asks for an action (``task``), resolved when they send it again."""
    if item.author_id != event.actor_id:
        notify.notify(item.author, key=f"information:{event.pk}", title=title, body=body,
                      url=item.get_absolute_url(), kind="information", task=task)


def _texts(title: str, body: str, source: str, category) -> dict:
    if category is None or not isinstance(category, Category) or not category.is_active:
        raise WorkflowError(_("Choose a category."), code="invalid")
    return {"title": require_line(title, _("Enter the title.")), "body": require_text(body, _("Enter the text.")),
            "source": require_line(source, _("Say where the facts come from.")), "category": category}


@audited_step("information.create")
def create_item(*, acting_user, title: str, body: str, category: Category, source: str,
                submit: bool = False) -> Item:
    """A new item by a secretary; with ``submit`` it goes straight to the information section."""
    if not permissions.is_writer(acting_user):
        raise WorkflowError(_("Only secretaries write government information."), code="forbidden")
    item = Item.objects.create(author=acting_user, **_texts(title, body, source, category))
    _record(item, "create", acting_user, previous="")
    if submit:
        submit_item(item=item, acting_user=acting_user)
        item.refresh_from_db()
    return item


@_step("edit")
def edit_item(*, item: Item, acting_user, title: str, body: str, category: Category, source: str) -> Item:
    item = _lock(item)
    _check("edit", item, acting_user)
    values = _texts(title, body, source, category)
    changed = [k for k, v in values.items() if getattr(item, k) != v]
    for k in changed:
        setattr(item, k, values[k])
    if changed:
        item.save(update_fields=changed)
        _record(item, "edit", acting_user, previous=item.status, data={"fields": changed})
    return item


@_step("submit")
def submit_item(*, item: Item, acting_user) -> Item:
    item = _lock(item)
    _check("submit", item, acting_user)
    previous = item.status
    item.status, item.submitted_at = S.SUBMITTED, timezone.now()
    item.save(update_fields=["status", "submitted_at"])
    _record(item, "submit", acting_user, previous=previous)
    notify.resolve([f"info:{item.pk}:returned"], by=acting_user)
    return item


@_step("return_item")
def return_item(*, item: Item, acting_user, reason: str) -> Item:
    reason = require_text(reason, _("Give the reason for returning the item."))
    item = _lock(item)
    _check("return_item", item, acting_user)
    previous = item.status
    item.status, item.return_reason, item.reviewed_by = S.RETURNED, reason, acting_user
    item.save(update_fields=["status", "return_reason", "reviewed_by"])
    event = _record(item, "return_item", acting_user, previous=previous, note=reason)
    _tell_author(item, event, Msg(N_("Information returned: %(title)s"), title=item.title), reason,
                 task=f"info:{item.pk}:returned")
    return item


@_step("approve")
def approve(*, item: Item, acting_user) -> Item:
    item = _lock(item)
    _check("approve", item, acting_user)
    if item.author_id == acting_user.pk:
        raise WorkflowError(_("Nobody approves their own item."), code="duties")
    previous = item.status
    item.status, item.approved_at, item.reviewed_by, item.return_reason = S.APPROVED, timezone.now(), acting_user, ""
    item.save(update_fields=["status", "approved_at", "reviewed_by", "return_reason"])
    event = _record(item, "approve", acting_user, previous=previous)
    _tell_author(item, event, Msg(N_("Information approved: %(title)s"), title=item.title))
    return item


@_step("send")
def send(*, item: Item, acting_user, outlets: Iterable[Outlet]) -> list[Dispatch]:
    """Send the item to outlets; an outlet it was already sent to is skipped."""
    item = _lock(item)
    _check("send", item, acting_user)
    outlets = [o for o in outlets if o.is_active]
    if not outlets:
        raise WorkflowError(_("Choose at least one outlet."), code="required")
    already = set(item.dispatches.values_list("outlet_id", flat=True))
    new = [Dispatch.objects.create(item=item, outlet=o, sent_by=acting_user)
           for o in outlets if o.pk not in already]
    if not new:
        raise WorkflowError(_("The item was already sent to these outlets."), code="duplicate")
    previous = item.status
    item.status = S.SENT
    item.sent_at = item.sent_at or timezone.now()
    item.save(update_fields=["status", "sent_at"])
    event = _record(item, "send", acting_user, previous=previous,
                    data={"outlets": [d.outlet_id for d in new]})
    _tell_author(item, event, Msg(N_("Information sent: %(title)s"), title=item.title),
                 "、".join(d.outlet.name for d in new))
    return new


def _refuse_closed(day: dt.date) -> None:
    year, quarter = quarter_of(day)
    if ClosedQuarter.objects.filter(year=year, quarter=quarter).exists():
        raise WorkflowError(_("Quarter %(q)d of %(y)d is closed: an adoption dated in it can no longer be "
                              "recorded.") % {"q": quarter, "y": year}, code="closed")


@_step("record_adoption")
def record_adoption(*, item: Item, acting_user, outlet: Outlet, adopted_on: dt.date, form: str,
                    level: int | None = None, leader_comment: str = "", comment_by: str = "") -> Adoption:
    """Record that ``outlet`` adopted the item. Its level is the outlet's unless given (an outlet
    passing it upward); one live adoption per outlet."""
    item = _lock(item)
    _check("record_adoption", item, acting_user)
    if not item.dispatches.filter(outlet=outlet).exists():
        raise WorkflowError(_("The item was not sent to %(outlet)s.") % {"outlet": outlet.name}, code="invalid")
    if adopted_on > timezone.localdate():
        raise WorkflowError(_("The adoption date cannot be in the future."), code="invalid")
    if item.sent_at and adopted_on < timezone.localdate(item.sent_at):
        raise WorkflowError(_("The adoption date cannot be before the item was sent."), code="invalid")
    if form not in Adoption.Form.values:
        raise WorkflowError(_("Choose the form of the adoption."), code="invalid")
    _refuse_closed(adopted_on)
    if item.adoptions.filter(outlet=outlet, withdrawn_at__isnull=True).exists():
        raise WorkflowError(_("This adoption by %(outlet)s is already recorded.") % {"outlet": outlet.name},
                            code="duplicate")
    leader_comment, comment_by = (leader_comment or "").strip(), (comment_by or "").strip()
    adoption = Adoption.objects.create(item=item, outlet=outlet, adopted_on=adopted_on,
                                       level=level or outlet.level, form=form, leader_comment=leader_comment,
                                       comment_by=comment_by, recorded_by=acting_user)
    event = _record(item, "record_adoption", acting_user, previous=item.status,
                    data={"adoption": adoption.pk, "outlet": outlet.pk, "level": adoption.level,
                          "form": form, "on": adopted_on.isoformat(), "comment": bool(leader_comment)})
    _tell_author(item, event, Msg(N_("Information adopted by %(outlet)s: %(title)s"),
                                     outlet=outlet.name, title=item.title))
    return adoption


@_step("withdraw_adoption")
def withdraw_adoption(*, item: Item, acting_user, adoption: Adoption, reason: str) -> Adoption:
    """Withdraw a recorded adoption (kept, with its reason). A closed quarter's results stay as
    they were frozen; an open quarter's results no longer count it."""
    reason = require_text(reason, _("Give the reason for the withdrawal."))
    item = _lock(item)
    _check("withdraw_adoption", item, acting_user)
    adoption = Adoption.objects.select_for_update().get(pk=adoption.pk)
    if adoption.item_id != item.pk or adoption.withdrawn_at is not None:
        raise WorkflowError(_("This adoption is not live on this item."), code="invalid")
    adoption.withdrawn_at, adoption.withdrawn_by, adoption.withdrawal_reason = timezone.now(), acting_user, reason
    adoption.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawal_reason"])
    event = _record(item, "withdraw_adoption", acting_user, previous=item.status, note=reason,
                    data={"adoption": adoption.pk})
    _tell_author(item, event, Msg(N_("Adoption withdrawn: %(title)s"), title=item.title), reason)
    return adoption


@audited_step("information.close_quarter")
def close_quarter(*, acting_user, year: int, quarter: int) -> ClosedQuarter:
    """Freeze a finished quarter's results: later withdrawals and rule changes never rewrite
    them. Closing twice is refused (the unique key makes a race produce one closing)."""
    from office.information import selectors

    if not permissions.may_close_quarter(acting_user):
        raise WorkflowError(_("Only the office director or the information section's chief closes a quarter."),
                            code="forbidden")
    if quarter not in (1, 2, 3, 4):
        raise WorkflowError(_("Choose a quarter from 1 to 4."), code="invalid")
    _start, end = quarter_span(year, quarter)
    if end >= timezone.localdate():
        raise WorkflowError(_("A quarter is closed only after it has ended."), code="too_early")
    rows = selectors.quarter_results(year=year, quarter=quarter)
    closed, created = ClosedQuarter.objects.get_or_create(year=year, quarter=quarter,
                                                          defaults={"closed_by": acting_user})
    if not created:
        raise WorkflowError(_("Quarter %(q)d of %(y)d is already closed.") % {"q": quarter, "y": year},
                            code="duplicate")
    QuarterResult.objects.bulk_create([
        QuarterResult(closed=closed, user_id=r.user_id, name=r.name, unit_name=r.unit_name, county=r.county,
                      city=r.city, province=r.province, national=r.national, comments=r.comments,
                      points=r.points, quota=r.quota, quota_level=r.quota_level, counted=r.counted,
                      reward=r.reward, penalty=r.penalty, rank=r.rank) for r in rows])
    audit.record("information.close_quarter", actor=acting_user, obj=closed,
                 detail={"year": year, "quarter": quarter, "rows": len(rows)})
    return closed
