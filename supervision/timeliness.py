"""One definition of on time and overdue for supervision items.

For an item it answers: whose turn it is (the unit owes the work, or the supervision office holds
it), since when, the date the unit must deliver by, whether and by how many working days it is
late, and, once it is closed, how it counts (on time, within extension, late). Each answer exists
as a per-item function and as the equivalent queryset predicate (plain comparisons on stored,
indexed columns; no per-row Python); tests prove the two agree. The item page, the lists and
their filters, the desk, the reminder sweep and the overdue colours, the ledger and the 督查通报
read these and nothing else.

The rule:

* **Whose turn.** The unit owes the work while the item is assigned, acknowledged or in progress
  (``WORKING_STATUSES``). The supervision office holds it while it is a draft, while a reported
  result waits for verification and while a dispute (退办) waits for reassignment
  (``OFFICE_STATUSES``). ``Item.turn_since`` is when the current holder got it.
* **The clock pauses while the office holds an assigned item.** ``Item.deliver_by`` is the
  current deadline (after approved extensions) moved later by ``Item.held_days``: the working days
  the office held the item before giving it back (a verification that ended in a return, a dispute
  that ended in a reassignment). So when an item comes back, the unit keeps the working days it
  had left when it handed the item over; had it handed it over late, it is exactly as late as it
  was then. Time in the office's hands never counts against the unit. (A draft's deadline is the
  one the office assigns: time as a draft does not move it.)
* **Overdue.** On day D an item is overdue when the unit owes the work and D is after
  ``deliver_by``; it is late by the working days in (deliver_by, D]. A result waiting for
  verification and a dispute are never overdue.
* **Closed.** Judged on the day the unit delivered the result that was finally accepted
  (``Item.result_reported_at``; a returned result does not count): on time up to the original
  deadline (moved by the held days), within extension up to ``deliver_by``, late after. The
  verdict is stored in ``Item.closing`` by the step that closes the item.

``deliver_by``, ``held_days`` and ``turn_since`` change only through the helpers at the end of
this module, which the workflow steps call.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Case, CharField, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from office import dates
from office.workdays import WorkCalendar
from supervision.models import (
    LEVEL_RANK,
    OFFICE_STATUSES,
    WORKING_STATUSES,
    Closing,
    Extension,
    Item,
    Status,
)

UNIT, OFFICE, CLOSED = "unit", "office", "closed"


def day_start(day: dt.date) -> dt.datetime:
    """Local midnight at the start of ``day``, as an aware datetime (``office.dates.day_start``)."""
    return dates.day_start(day)


def shift(day: dt.date, working_days: int, cal: WorkCalendar) -> dt.date:
    """``day`` moved later by ``working_days`` working days (unchanged for 0)."""
    return day if working_days == 0 else cal.add_working_days(day, working_days)


# --- the rule on dates, for anything with a deliver-by date --------------------------------
# The office's other work that must be delivered by a date (a research task's report, ...)
# is judged by these, through ``supervision.selectors``: one meaning of "overdue" everywhere.

def past_due(deliver_by: dt.date, day: dt.date) -> bool:
    """Overdue on ``day``: ``day`` is after the date the work must be delivered by (a deadline
    that fell on a day off was moved to the next working day when it was set:
    ``WorkCalendar.deadline_on``)."""
    return deliver_by < day


def past_due_q(field: str, day: dt.date) -> Q:
    """``past_due`` as a queryset predicate on the date column ``field``."""
    return Q(**{f"{field}__lt": day})


def working_days_late(deliver_by: dt.date, day: dt.date, cal: WorkCalendar) -> int:
    """How late on ``day``: the working days in (deliver_by, day]; 0 when not past due."""
    return max(-cal.working_days_between(day, deliver_by), 0)


# --- queryset predicates -----------------------------------------------------------------

def unit_owes_q() -> Q:
    """The unit owes the work now."""
    return Q(status__in=list(WORKING_STATUSES))


def office_holds_q() -> Q:
    """The supervision office holds the item now (draft, verification, dispute)."""
    return Q(status__in=list(OFFICE_STATUSES))


def overdue_q(day: dt.date) -> Q:
    """Overdue on ``day`` (today for the lists): the unit owes the work and ``day`` is after the
    date it must deliver by. Served by the partial index on ``deliver_by``."""
    return unit_owes_q() & past_due_q("deliver_by", day)


def owed_at_q(day: dt.date) -> Q:
    """The unit owed the work at the end of ``day``, as the records stand now: assigned by then,
    not closed by then, the result finally standing (pending or accepted) not delivered by then,
    and not held by the office since before then. For ``day`` = today this is ``unit_owes_q()``."""
    until = day_start(day + dt.timedelta(days=1))
    return (Q(assigned_at__lt=until)
            & (Q(closed_at__isnull=True) | Q(closed_at__gte=until))
            & (Q(result_reported_at__isnull=True) | Q(result_reported_at__gte=until))
            & (~office_holds_q() | Q(turn_since__gte=until)))


def overdue_at_q(day: dt.date) -> Q:
    """Overdue and open at the end of ``day`` (a report's period end, or today)."""
    return owed_at_q(day) & Q(deliver_by__lt=day)


def closed_as_q(closing: str) -> Q:
    """Closed items that count as ``closing`` (on_time / extended / late)."""
    return Q(status=Status.CLOSED, closing=closing)


def awaiting_decision(user) -> list[int]:
    """The items with an extension request waiting for ``user``'s decision as the instructing
    leader (one query, a handful of rows; none for who cannot instruct: only county leaders and
    the office director are instructing leaders)."""
    from office import roles

    if not roles.has_role(user, roles.COUNTY_LEADER, roles.OFFICE_DIRECTOR):
        return []
    return list(Extension.objects.filter(decision=Extension.Decision.PENDING, item__instructing_leader=user)
                .filter(item__status__in=list(WORKING_STATUSES)).values_list("item_id", flat=True))


def my_turn_q(user, awaiting: list[int] | None = None) -> Q:
    """Items waiting for ``user`` now: work the unit owes that they are responsible for; drafts,
    results to verify and disputes to resolve of the items they supervise; extension requests
    waiting for their decision as the instructing leader (``awaiting``: ``awaiting_decision(user)``).
    Plain predicates on indexed columns, no correlated subquery: the desk's query reads only the
    user's rows however many items the office has."""
    if awaiting is None:
        awaiting = awaiting_decision(user)
    q = (Q(responsible=user) & unit_owes_q()) | (Q(supervisor=user) & office_holds_q())
    if awaiting:
        q |= Q(pk__in=awaiting)
    return q


# --- overdue colours -----------------------------------------------------------------------

def level_annotation(thresholds) -> Case:
    """The colour (yellow/orange/red or '') as an annotation; ``thresholds`` from
    ``selectors.level_thresholds``: [(level, latest deliver_by that has it)], most severe first."""
    whens = [When(unit_owes_q() & Q(deliver_by__lte=date), then=Value(level)) for level, date in thresholds]
    return Case(*whens, default=Value(""), output_field=CharField())


def level_q(level: str, thresholds) -> Q:
    """Items showing ``level`` now, as a range on ``deliver_by`` (index-friendly): past the
    level's threshold and not past any more severe one."""
    dates = dict(thresholds)
    if level not in dates:
        return Q(pk__in=[])
    q = unit_owes_q() & Q(deliver_by__lte=dates[level])
    more_severe = [date for other, date in thresholds if LEVEL_RANK[other] > LEVEL_RANK[level]]
    if more_severe:
        q &= Q(deliver_by__gt=max(more_severe))
    return q


def level_of(item: Item, thresholds) -> str:
    """The colour of one item, as ``level_annotation`` gives it."""
    if item.status not in WORKING_STATUSES:
        return ""
    for level, date in thresholds:
        if item.deliver_by <= date:
            return level
    return ""


# --- one item ------------------------------------------------------------------------------

def turn_of(item: Item) -> str:
    if item.status == Status.CLOSED:
        return CLOSED
    return UNIT if item.status in WORKING_STATUSES else OFFICE


def is_overdue(item: Item, today: dt.date) -> bool:
    """``overdue_q(today)`` for one item."""
    return item.status in WORKING_STATUSES and past_due(item.deliver_by, today)


def delivered_on(item: Item) -> dt.date | None:
    """The day the unit delivered the result now standing (waiting or accepted)."""
    return timezone.localdate(item.result_reported_at) if item.result_reported_at else None


def closing_class(item: Item, cal: WorkCalendar) -> str:
    """How ``item`` counts if it closes now with its current result (stored at closing)."""
    delivered = delivered_on(item) or timezone.localdate(item.closed_at or timezone.now())
    if delivered <= shift(item.original_deadline, item.held_days, cal):
        return Closing.ON_TIME
    if delivered <= item.deliver_by:
        return Closing.EXTENDED
    return Closing.LATE


@dataclass(frozen=True)
class Clock:
    """Where an item stands. ``days_left``/``late_by`` are working days: counted to today while
    the unit owes the work, frozen at the hand-over while the office holds it, at the delivery
    once it is closed."""

    turn: str  # unit / office / closed
    status: str
    since: dt.datetime | None
    deliver_by: dt.date
    days_left: int
    late_by: int
    overdue: bool
    closing: str
    level: str
    delivered_on: dt.date | None

    @property
    def turn_label(self) -> str:
        if self.turn == UNIT:
            return _("With the lead unit")
        if self.turn == CLOSED:
            return _("Closed")
        return {Status.DRAFT: _("With the supervision office: not yet assigned"),
                Status.RESULT_REPORTED: _("With the supervision office: verifying the result"),
                Status.DISPUTED: _("With the supervision office: resolving the dispute")}[self.status]

    @property
    def summary(self) -> str:
        if self.turn == CLOSED:
            if self.closing == Closing.LATE:
                return _("Result delivered %(n)d working days late") % {"n": self.late_by}
            return str(Closing(self.closing).label) if self.closing else ""
        if self.turn == OFFICE:
            if self.status == Status.DRAFT:
                return ""
            if self.late_by:
                return _("Clock paused; the unit was %(n)d working days late") % {"n": self.late_by}
            return _("Clock paused; the unit had %(n)d working days left") % {"n": self.days_left}
        if self.overdue:
            return _("Overdue by %(n)d working days") % {"n": self.late_by}
        if self.days_left == 0:
            return _("Due today")
        return _("%(n)d working days left") % {"n": self.days_left}


def clock(item: Item, *, today: dt.date, cal: WorkCalendar, thresholds=()) -> Clock:
    """Where ``item`` stands on ``today``. No query (``cal`` and ``thresholds`` are loaded)."""
    turn = turn_of(item)
    if turn == UNIT:
        ref = today
    elif turn == OFFICE:
        ref = timezone.localdate(item.turn_since) if item.turn_since else today
    else:
        ref = delivered_on(item) or timezone.localdate(item.closed_at)
    between = cal.working_days_between(ref, item.deliver_by)
    return Clock(
        turn=turn, status=item.status, since=item.turn_since, deliver_by=item.deliver_by,
        days_left=max(between, 0), late_by=max(-between, 0),
        overdue=is_overdue(item, today), closing=item.closing_class(),
        level=level_of(item, thresholds), delivered_on=delivered_on(item))


# --- the steps move the clock through these ------------------------------------------------

def start(item: Item, now: dt.datetime) -> list[str]:
    """Assignment: the unit's clock starts against the deadline as assigned."""
    item.turn_since = now
    item.deliver_by = item.deadline
    return ["turn_since", "deliver_by"]


def hand_to_office(item: Item, now: dt.datetime) -> list[str]:
    """A result reported or a dispute: the office holds the item from ``now``."""
    item.turn_since = now
    return ["turn_since"]


def resume(item: Item, now: dt.datetime, cal: WorkCalendar) -> list[str]:
    """Back to the unit (a result returned, a dispute reassigned): the working days the office
    held it are added, so the unit keeps what it had left."""
    if item.turn_since is not None:
        held = cal.working_days_between(timezone.localdate(item.turn_since), timezone.localdate(now))
        item.held_days += max(held, 0)
    item.deliver_by = shift(item.deadline, item.held_days, cal)
    item.turn_since = now
    return ["held_days", "deliver_by", "turn_since"]


def move_deadline(item: Item, deadline: dt.date, cal: WorkCalendar) -> list[str]:
    """An approved extension: the new deadline, plus the working days already held."""
    item.deadline = deadline
    item.deliver_by = shift(deadline, item.held_days, cal)
    return ["deadline", "deliver_by"]


def close(item: Item, now: dt.datetime, cal: WorkCalendar) -> list[str]:
    """Closing: the verdict is fixed from the accepted result's delivery day."""
    item.closed_at = now
    item.closing = closing_class(item, cal)
    item.turn_since = now
    return ["closed_at", "closing", "turn_since"]
