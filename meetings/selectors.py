"""Read queries for the meeting pages, the calendar, the feed and the desk. Fixed query counts:
the meeting page, the list and the calendar run the same number of queries whatever the number
of topics, attendees, materials or decisions (pinned by tests/meetings/test_queries.py)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from meetings import permissions, signin
from meetings.models import (
    NOTICED,
    UPCOMING,
    Attendee,
    ChecklistItem,
    Decision,
    Event,
    Material,
    MaterialOpen,
    Meeting,
    MeetingCheck,
    MeetingSettings,
    Status,
    Summary,
    Topic,
)
from meetings.workflow import TRANSITIONS
from office.workdays import WorkCalendar

A = Attendee.Response


def visible_meetings(user) -> QuerySet[Meeting]:
    return Meeting.objects.filter(permissions.visible_q(user))


def mine_q(user) -> Q:
    """Meetings I attend (or attend for someone) or organise (created, preside, take minutes)."""
    attending = Attendee.objects.filter(meeting=OuterRef("pk"), removed_at__isnull=True).filter(
        Q(user=user) | Q(substitute=user, response=A.SUBSTITUTE))
    return Q(created_by=user) | Q(presiding=user) | Q(clerk=user) | Exists(attending)


def coming_q(days: int, now: dt.datetime) -> Q:
    """Meetings still to be held that start in the next ``days`` days (from ``now``)."""
    return Q(status__in=list(UPCOMING), starts_at__gte=now, starts_at__lt=now + dt.timedelta(days=days))


def ready_q(ready: bool) -> Q:
    """Marked ready (会前检查 done: ``Status.READY``), or not yet."""
    return Q(status=Status.READY) if ready else ~Q(status=Status.READY)


def meeting_list(user, *, scope: str = "mine", type_id=None, status: str = "", within: int | None = None,
                 ready: bool | None = None, now: dt.datetime | None = None) -> QuerySet[Meeting]:
    qs = visible_meetings(user)
    if scope == "mine":
        qs = qs.filter(mine_q(user))
    elif scope == "upcoming":
        qs = qs.filter(status__in=list(UPCOMING))
    if within:
        qs = qs.filter(coming_q(within, now or timezone.now()))
    if ready is not None:
        qs = qs.filter(ready_q(ready))
    if type_id:
        qs = qs.filter(type_id=type_id)
    if status:
        qs = qs.filter(status=status)
    # counts as correlated subqueries: evaluated for the page's rows only, not for every meeting
    topics = Topic.objects.filter(meeting=OuterRef("pk"), status=Topic.Status.ACCEPTED).order_by() \
        .values("meeting").annotate(c=Count("pk")).values("c")
    return (qs.select_related("type", "room", "presiding")
            .annotate(n_topics=Coalesce(Subquery(topics), 0))
            .order_by("-starts_at", "-pk"))


def meeting_detail(user, pk: int) -> Meeting:
    """The meeting if ``user`` may see it; raises ``Meeting.DoesNotExist`` otherwise."""
    return visible_meetings(user).select_related("type", "room", "presiding", "clerk", "created_by").get(pk=pk)


def topic_detail(user, pk: int) -> Topic:
    """The topic if ``user`` may see it: its meeting is visible and they see the agenda or the topic
    is their unit's. Raises ``Topic.DoesNotExist``."""
    topic = Topic.objects.select_related("meeting", "meeting__type", "meeting__presiding", "unit", "leader",
                                         "submitted_by", "screened_by", "late_approved_by", "deferred_to",
                                         "carried_from__meeting").get(pk=pk)
    meeting = topic.meeting
    if not visible_meetings(user).filter(pk=meeting.pk).exists():
        raise Topic.DoesNotExist
    viewer = permissions.Viewer(meeting, user)
    if not viewer.sees_agenda and topic.unit_id != user.unit_id:
        raise Topic.DoesNotExist
    topic.viewer = viewer
    return topic


# --- the meeting page ----------------------------------------------------------------------

@dataclass
class DecisionRow:
    decision: Decision
    overdue: bool
    status: str


@dataclass
class PageData:
    meeting: Meeting
    viewer: permissions.Viewer
    topics: list[Topic]
    attendees: list[Attendee]
    meeting_materials: list[Material]
    opened: set[int]
    checklist: list[tuple[ChecklistItem, MeetingCheck | None]]
    decisions: list[DecisionRow]
    summary: Summary | None
    events: list[Event]
    earlier_open: list[DecisionRow]
    day_off: bool
    conveyances: list = field(default_factory=list)
    feedback: list = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    signin_window: tuple | None = None
    allowed: list[str] = field(default_factory=list)

    @property
    def for_return(self) -> list[Material]:
        rows = [m for m in self.meeting_materials if m.for_return]
        rows += [m for t in self.topics for m in t.materials.all() if m.for_return]
        return rows


def item_overdue(item, today: dt.date) -> bool:
    """The core's single definition of overdue for a decision's supervision item
    (``supervision.timeliness``: the unit owes the work and today is after its deliver-by date)."""
    from supervision import timeliness

    return timeliness.is_overdue(item, today)


def _decision_rows(decisions, today: dt.date) -> list[DecisionRow]:
    rows = []
    for d in decisions:
        item = d.item
        rows.append(DecisionRow(d, overdue=bool(item and item_overdue(item, today)),
                                status=item.get_status_display() if item else ""))
    return rows


def page_data(request, meeting: Meeting) -> PageData:
    """Everything the meeting page shows, once per request (fixed number of queries)."""
    cached = getattr(request, "_meeting_page", None)
    if cached is not None and cached.meeting.pk == meeting.pk:
        return cached
    user = request.user
    attendees = list(meeting.attendees.filter(removed_at__isnull=True)
                     .select_related("user", "unit", "substitute", "signed_in_person").order_by("kind", "pk"))
    mine = [a for a in attendees if a.user_id == user.pk or a.substitute_id == user.pk]
    viewer = permissions.Viewer(meeting, user, attendees=mine)
    materials_qs = Material.objects.annotate(n_opened=Count("opens")).order_by("pk")
    topics_qs = meeting.topics.select_related("unit", "leader", "submitted_by") \
        .prefetch_related(Prefetch("materials", queryset=materials_qs))
    if not viewer.sees_agenda:
        topics_qs = topics_qs.filter(unit_id=user.unit_id)
    order = {Topic.Status.ACCEPTED: 0, Topic.Status.SUBMITTED: 1, Topic.Status.DEFERRED: 2,
             Topic.Status.REJECTED: 3, Topic.Status.WITHDRAWN: 4}
    topics = sorted(topics_qs, key=lambda t: (order[t.status], t.position or 0, t.submitted_at, t.pk))
    meeting_materials = list(materials_qs.filter(meeting=meeting, topic__isnull=True)) if viewer.sees_agenda else []
    opened = set(MaterialOpen.objects.filter(material__meeting=meeting, user=user)
                 .values_list("material_id", flat=True))
    ticks = {c.item_id: c for c in meeting.checks.select_related("done_by")}
    items = list(ChecklistItem.objects.filter(is_active=True)
                 .filter(Q(types__isnull=True) | Q(types=meeting.type_id)).distinct().order_by("order", "pk"))
    today = timezone.localdate()
    decisions = _decision_rows(meeting.decisions.select_related("unit", "responsible", "topic", "item")
                               .order_by("pk"), today)
    summary = Summary.objects.filter(meeting=meeting).select_related("signed_by", "reviewed_by").first()
    events = list(meeting.events.select_related("actor").order_by("created_at", "pk"))
    earlier = []
    if meeting.status in UPCOMING and viewer.sees_agenda:
        earlier = _decision_rows(earlier_open_decisions(meeting), today)
    cal = WorkCalendar.load()
    counts = {value: 0 for value in A.values}
    for a in attendees:
        counts[a.response] += 1
    counts["signed_in"] = sum(1 for a in attendees if a.signed_in_at)
    data = PageData(meeting=meeting, viewer=viewer, topics=topics, attendees=attendees,
                    meeting_materials=meeting_materials, opened=opened,
                    checklist=[(i, ticks.get(i.pk)) for i in items], decisions=decisions, summary=summary,
                    events=events, earlier_open=earlier, day_off=not cal.is_working_day(
                        timezone.localdate(meeting.starts_at)), counts=counts,
                    signin_window=signin.window(meeting, MeetingSettings.load()))
    if meeting.status in (Status.HELD, Status.ISSUED):
        data.conveyances = list(meeting.conveyances.select_related("unit").order_by("conveyed_on", "pk"))
        data.feedback = list(meeting.feedback.select_related("unit", "author").order_by("created_at", "pk"))
    data.allowed = _allowed(data)
    request._meeting_page = data
    return data


def _allowed(data: PageData) -> list[str]:
    """The steps the viewer may take now, from what the page already loaded (no query)."""
    m, v, now = data.meeting, data.viewer, timezone.now()
    accepted = [t for t in data.topics if t.status == Topic.Status.ACCEPTED]
    summary = data.summary
    extra = {
        "answer": now < m.starts_at,
        "decide_leave": any(a.response == A.LEAVE_REQUESTED for a in data.attendees),
        "mark_present": data.signin_window[0] <= now and any(a.signed_in_at is None for a in data.attendees),
        "record_minutes": bool(accepted),
        "conclude": now >= m.starts_at,
        "draft_summary": summary is None,
        "edit_summary": summary is not None and summary.status == Summary.Status.DRAFT,
        "submit_summary": summary is not None and summary.status == Summary.Status.DRAFT,
        "review_summary": summary is not None and summary.status == Summary.Status.REVIEW,
        "sign_summary": summary is not None and summary.status == Summary.Status.REVIEWED,
        "open_items": any(r.decision.item_id is None for r in data.decisions),
        "record_conveyance": bool(data.decisions),
        "add_feedback": bool(data.decisions),
        "mark_returned": any(mt.returned_at is None for mt in data.for_return),
        "remove_attendee": bool(data.attendees),
        "order_agenda": len(accepted) > 1,
        "check": bool(data.checklist),
    }
    return [name for name, (sources, _to) in TRANSITIONS.items()
            if m.status in sources and extra.get(name, True) and v.may(name)]


def earlier_open_decisions(meeting: Meeting, limit: int = 50) -> QuerySet[Decision]:
    """Decisions of earlier meetings of the same type still open: not yet supervised, or whose
    supervision item is not closed. Shown while the next meeting is prepared."""
    from supervision.models import Status as ItemStatus

    return (Decision.objects.filter(meeting__type_id=meeting.type_id, meeting__starts_at__lt=meeting.starts_at,
                                    meeting__status__in=[Status.HELD, Status.ISSUED])
            .filter(Q(item__isnull=True) | ~Q(item__status=ItemStatus.CLOSED))
            .select_related("meeting", "unit", "responsible", "item", "topic")
            .order_by("deadline", "pk")[:limit])


# --- calendar and feed ---------------------------------------------------------------------

def calendar_meetings(user, start: dt.date, end: dt.date, *, scope: str = "mine") -> list[Meeting]:
    """Meetings starting in [start, end) (local days) that ``user`` attends or organises (or
    all they may see, for ``scope="all"``), cancelled ones included (shown struck through)."""
    lo = timezone.make_aware(dt.datetime.combine(start, dt.time.min))
    hi = timezone.make_aware(dt.datetime.combine(end, dt.time.min))
    qs = visible_meetings(user).filter(starts_at__gte=lo, starts_at__lt=hi)
    if scope != "all":
        qs = qs.filter(mine_q(user))
    return list(qs.select_related("type", "room").order_by("starts_at", "pk")[:500])


def feed_meetings(user) -> list[Meeting]:
    """A person's feed: their meetings from 90 days back to a year ahead."""
    now = timezone.now()
    qs = Meeting.objects.filter(mine_q(user), starts_at__gte=now - dt.timedelta(days=90),
                                starts_at__lt=now + dt.timedelta(days=366))
    return list(qs.select_related("type", "room", "presiding").order_by("starts_at", "pk")[:1000])


# --- the desk --------------------------------------------------------------------------------

def desk(user) -> dict:
    now = timezone.now()
    soon = now + dt.timedelta(days=14)
    upcoming = list(Meeting.objects.filter(mine_q(user), starts_at__gte=now - dt.timedelta(hours=12),
                                           starts_at__lt=soon)
                    .exclude(status=Status.CANCELLED).select_related("type", "room").order_by("starts_at")[:10])
    my_rows = {a.meeting_id: a for a in Attendee.objects.filter(
        meeting__in=[m.pk for m in upcoming], user=user, removed_at__isnull=True)} if upcoming else {}
    for m in upcoming:
        m.my_answer = my_rows.get(m.pk)
    unread = list(Material.objects.filter(meeting__status__in=list(NOTICED), meeting__starts_at__gte=now,
                                          meeting__starts_at__lt=soon)
                  .filter(Exists(Attendee.objects.filter(meeting=OuterRef("meeting_id"), removed_at__isnull=True)
                                 .filter(Q(user=user) | Q(substitute=user, response=A.SUBSTITUTE))))
                  .exclude(Exists(MaterialOpen.objects.filter(material=OuterRef("pk"), user=user)))
                  .select_related("meeting", "topic").order_by("meeting__starts_at", "pk")[:10])
    return {"upcoming": upcoming, "unread": unread}
