"""The reminder sweep (Celery beat, and ``manage.py run_reminders``).

Two phases, each safe to repeat and to interrupt:

1. **plan**: for every item the unit still owes (``supervision.timeliness``), each active
   ``ReminderRule`` gives occurrences at ``offset``, ``offset + repeat_every``, ... working days
   from the date the unit must deliver by (``Item.deliver_by``). For each
   (item, recipient) only the *latest* occurrence that is due (on or before today, not before
   the item was assigned) is stored, as a ``Reminder`` row whose unique key is (item, rule,
   recipient, day). Running it twice stores nothing new; after downtime it catches up with one
   reminder per item and recipient, not one per missed run; a moved deadline gives new days.
2. **deliver**: pending reminders are claimed in batches (``SELECT ... FOR UPDATE SKIP LOCKED``),
   checked again (item closed or with the office? deliver-by date moved? the recipient no longer
   the rule's person for the item, or no longer active? superseded by a newer one?), and sent as
   notifications (deduplicated by key) in the same transaction that marks them sent. A worker
   killed half way loses nothing: the uncommitted batch is still pending for the next sweep.
"""

from __future__ import annotations

import bisect
import datetime as dt
from dataclasses import dataclass, field
from typing import NamedTuple

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from office import bulk, notify
from office.notify import Msg
from office.workdays import WorkCalendar
from supervision import timeliness
from supervision.models import Event, Item, Reminder, ReminderRule, Status

BATCH = 2000


@dataclass
class SweepResult:
    planned: int = 0
    sent: int = 0
    skipped: dict[str, int] = field(default_factory=dict)


class WorkingDayIndex:
    """Working days between two dates as a sorted list: O(log n) arithmetic for the sweep."""

    def __init__(self, cal: WorkCalendar, start: dt.date, end: dt.date):
        self.days = [start + dt.timedelta(days=i) for i in range((end - start).days + 1)
                     if cal.is_working_day(start + dt.timedelta(days=i))]

    def ordinal(self, day: dt.date) -> int:
        """How many working days of the range fall on or before ``day``."""
        return bisect.bisect_right(self.days, day)

    def between(self, start: dt.date, end: dt.date) -> int:
        return self.ordinal(end) - self.ordinal(start)

    def shift(self, deadline: dt.date, k: int) -> dt.date | None:
        """The working day ``k`` working days from ``deadline`` (k=0: the deadline's own day,
        or the last working day before it)."""
        i = self.ordinal(deadline) + k - 1
        return self.days[i] if 0 <= i < len(self.days) else None


def rule_recipient(kind: str, *, responsible, head, leader, supervisor):
    """Who a rule's recipient kind is for an item (the instructing leader, or the supervising
    officer when there is none). Used when planning and again when sending."""
    return {"responsible": responsible, "unit_head": head, "leader": leader or supervisor,
            "supervisor": supervisor}.get(kind)


def _latest_occurrence(rule: ReminderRule, overdue_by: int) -> int | None:
    """The offset of the rule's latest occurrence at or before ``overdue_by`` working days."""
    if overdue_by < rule.offset:
        return None
    if rule.repeat_every == 0:
        return rule.offset
    return rule.offset + ((overdue_by - rule.offset) // rule.repeat_every) * rule.repeat_every


def plan(*, today: dt.date | None = None, cal: WorkCalendar | None = None) -> int:
    """Store the reminders due today (phase 1). Returns how many new rows were stored."""
    today = today or timezone.localdate()
    cal = cal or WorkCalendar.load()
    rules = list(ReminderRule.objects.filter(is_active=True))
    if not rules:
        return 0
    lead = max([-r.offset for r in rules if r.offset < 0] + [0])
    horizon = cal.add_working_days(today, lead)
    rows = list(
        Item.objects.filter(timeliness.unit_owes_q(), deliver_by__lte=horizon, assigned_at__isnull=False)
        .values_list("pk", "deliver_by", "assigned_at", "responsible_id", "lead_unit__head_id",
                     "instructing_leader_id", "supervisor_id")
    )
    if not rows:
        return 0
    earliest = min(r[1] for r in rows) - dt.timedelta(days=30)
    index = WorkingDayIndex(cal, earliest, horizon + dt.timedelta(days=30))
    new: dict[str, list] = {"item_id": [], "rule_id": [], "recipient_id": [], "due_on": [], "deadline": []}
    for pk, deadline, assigned_at, responsible, head, leader, supervisor in rows:
        assigned_on = timezone.localdate(assigned_at)
        overdue_by = index.between(deadline, today)
        best: dict[int, tuple[dt.date, int, ReminderRule]] = {}
        for rule in rules:
            k = _latest_occurrence(rule, overdue_by)
            if k is None:
                continue
            day = index.shift(deadline, k)
            if day is None or day > today or day < assigned_on:
                continue
            user_id = rule_recipient(rule.recipient, responsible=responsible, head=head, leader=leader,
                                     supervisor=supervisor)
            if not user_id:
                continue
            if user_id not in best or (day, k) > best[user_id][:2]:
                best[user_id] = (day, k, rule)
        for user_id, (day, _k, rule) in best.items():
            for column, value in zip(new, (pk, rule.pk, user_id, day, deadline), strict=True):
                new[column].append(value)
    # set-based: one INSERT … ON CONFLICT DO NOTHING per 20,000 rows, no model instance, and the
    # count of new rows from RETURNING (not two counts of the whole table)
    stored = 0
    for i in range(0, len(new["item_id"]), 20_000):
        stored += len(bulk.insert(Reminder, rows={k: v[i:i + 20_000] for k, v in new.items()},
                                  ignore_conflicts=True))
    return stored


def _message(item: Item, responsible_name: str, overdue_by: int) -> tuple[Msg, str]:
    if overdue_by < 0:
        title = Msg(N_("Due in %(n)d working days: %(title)s"), n=-overdue_by, title=item.title)
    elif overdue_by == 0:
        title = Msg(N_("Due today: %(title)s"), title=item.title)
    else:
        title = Msg(N_("Overdue by %(n)d working days: %(title)s"), n=overdue_by, title=item.title)
    body = _("%(number)s · deadline %(deadline)s · responsible %(person)s") % {
        "number": item.number, "deadline": item.deliver_by.isoformat(), "person": responsible_name}
    return title, body


class _Item(NamedTuple):
    """What the sweep reads of an item (no model instance per row)."""

    pk: int
    status: str
    deliver_by: dt.date
    responsible_id: int
    head_id: int | None
    instructing_leader_id: int | None
    supervisor_id: int
    title: str
    number: str


def deliver(*, today: dt.date | None = None, cal: WorkCalendar | None = None) -> SweepResult:
    """Send the pending reminders (phase 2), batch by batch, each batch one transaction. The
    batches are read in the order of the partial index ``reminder_pending_order`` (no sort of the
    pending set per batch); notifications, timeline entries and marks are written set-based."""
    from django.urls import reverse

    from office.models import User

    today = today or timezone.localdate()
    cal = cal or WorkCalendar.load()
    rules = {r.pk: r for r in ReminderRule.objects.all()}
    url_of = reverse("supervision:detail", args=[987654321]).replace("987654321", "{}")
    result = SweepResult()
    while True:
        with transaction.atomic():
            batch = list(
                Reminder.objects.select_for_update(skip_locked=True)
                .filter(sent_at__isnull=True, skipped="")
                .order_by("item_id", "recipient_id", "-due_on", "-pk")
                .values_list("pk", "item_id", "recipient_id", "due_on", "deadline", "rule_id")[:BATCH]
            )
            if not batch:
                return result
            items = {row[0]: _Item(*row) for row in Item.objects.filter(pk__in={r[1] for r in batch}).values_list(
                "pk", "status", "deliver_by", "responsible_id", "lead_unit__head_id", "instructing_leader_id",
                "supervisor_id", "title", "number")}
            people = {pk: (name, active) for pk, name, active in User.objects.filter(
                pk__in={i.responsible_id for i in items.values()} | {r[2] for r in batch})
                .values_list("pk", "full_name", "is_active")}
            latest = {(i, u): d for i, u, d in Reminder.objects.filter(item_id__in=items)
                      .order_by().values("item_id", "recipient_id").annotate(d=Max("due_on"))
                      .values_list("item_id", "recipient_id", "d")}
            start = min([i.deliver_by for i in items.values()] + [today]) - dt.timedelta(days=1)
            index = WorkingDayIndex(cal, start, max([i.deliver_by for i in items.values()] + [today]))
            now = timezone.now()
            seen: set[tuple[int, int]] = set()
            specs, sent, skipped = [], [], {}
            events: dict[str, list] = {"item_id": [], "note": [], "data": []}
            for pk, item_id, recipient_id, due_on, deadline, rule_id in batch:
                item = items.get(item_id)
                rule = rules[rule_id]
                pair = (item_id, recipient_id)
                reason = ""
                if item is None or item.status == Status.CLOSED:
                    reason = "closed"
                elif timeliness.turn_of(item) != timeliness.UNIT:
                    reason = "with_office"
                elif item.deliver_by != deadline:
                    reason = "rescheduled"
                elif recipient_id != rule_recipient(
                        rule.recipient, responsible=item.responsible_id, head=item.head_id,
                        leader=item.instructing_leader_id, supervisor=item.supervisor_id):
                    reason = "recipient_changed"
                elif not people.get(recipient_id, ("", False))[1]:
                    reason = "recipient_inactive"
                elif pair in seen or due_on < latest[pair]:
                    reason = "superseded"
                if reason:
                    skipped.setdefault(reason, []).append(pk)
                    continue
                seen.add(pair)
                title, body = _message(item, people.get(item.responsible_id, ("", False))[0],
                                       index.between(item.deliver_by, today))
                specs.append({"recipient_id": recipient_id, "key": f"reminder:{pk}",
                              "title": title, "body": body, "url": url_of.format(item_id),
                              "task": f"sup:{item_id}:owed",
                              "kind": "supervision-reminder"})
                events["item_id"].append(item_id)
                events["note"].append(title.render_default())
                events["data"].append({"rule": rule.name, "recipient": recipient_id, "reminder": pk,
                                       "level": rule.level})
                sent.append(pk)
            notify.notify_many(specs)
            bulk.insert(Event, rows=events, same={"kind": Event.Kind.REMINDER, "created_at": now})
            Reminder.objects.filter(pk__in=sent).update(sent_at=now)
            for reason, pks in skipped.items():
                Reminder.objects.filter(pk__in=pks).update(skipped=reason)
                result.skipped[reason] = result.skipped.get(reason, 0) + len(pks)
            result.sent += len(sent)


def sweep(*, today: dt.date | None = None) -> SweepResult:
    """Plan, then deliver. Idempotent; safe to run concurrently with itself."""
    cal = WorkCalendar.load()
    planned = plan(today=today, cal=cal)
    result = deliver(today=today, cal=cal)
    result.planned = planned
    return result
