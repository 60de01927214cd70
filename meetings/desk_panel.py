"""The desk's meetings: the panel of my meetings in the next two weeks (and whether I still owe
an answer) and the materials of my coming meetings I have not opened yet; and the queues
(``office.desk.register_queues``) of what waits for me: topics to screen, meetings to approve,
summaries to review or sign off, and, for a 归口 secretary or deputy director, the topics their
units submitted for meetings still to be held. One query per queue."""

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from meetings import permissions, selectors
from meetings.models import Meeting, Status, Summary, Topic
from office.desk import DeskQueue, DeskRow, take
from office.roles import BUSINESS_ROLES, COUNTY_LEADER, has_role

NOT_HELD = (Status.PLANNING, Status.PENDING_APPROVAL, Status.APPROVED, Status.NOTIFIED, Status.READY)


def load(user):
    if not has_role(user, *BUSINESS_ROLES):
        return None
    return selectors.desk(user)


def _when(moment) -> str:
    return timezone.localtime(moment).strftime("%m-%d %H:%M")


def queues(ctx) -> list[DeskQueue]:
    user, limit = ctx.user, ctx.LIMIT
    found = []
    screener = permissions.is_screener(user)
    if screener:
        rows, count = take(Topic.objects.filter(status=Topic.Status.SUBMITTED, meeting__status=Status.PLANNING)
                           .select_related("meeting", "unit").order_by("meeting__starts_at", "submitted_at", "pk"),
                           limit)
        found.append(DeskQueue(
            "screen_topics", _("Topics to screen"),
            [DeskRow(title=t.title, url=t.get_absolute_url(), meta=f"{t.unit} · {t.meeting.title}",
                     due=t.meeting.starts_at, action=_("Screen")) for t in rows], count,
            _("Topics units submit for a meeting still collecting topics appear here."), order=50))
    rows, count = take(Meeting.objects.filter(presiding=user, status=Status.PENDING_APPROVAL)
                       .order_by("starts_at", "pk"), limit)
    if count or ctx.has(COUNTY_LEADER):
        found.append(DeskQueue(
            "approve_meetings", _("Meetings to approve"),
            [DeskRow(title=m.title, url=m.get_absolute_url(), meta=m.place, due=m.starts_at,
                     action=_("Approve the meeting")) for m in rows], count,
            _("Meetings you preside over appear here when their agenda waits for your approval."), order=52))
    summaries = Q(status=Summary.Status.REVIEWED, meeting__presiding=user)
    if screener:
        summaries |= Q(status=Summary.Status.REVIEW)
    rows, count = take(Summary.objects.filter(summaries).select_related("meeting")
                       .order_by("meeting__starts_at", "pk"), limit)
    if count or screener:
        found.append(DeskQueue(
            "summaries", _("Summaries to review or sign off"),
            [DeskRow(title=s.meeting.title, url=s.meeting.get_absolute_url(), meta=_when(s.meeting.starts_at),
                     action=_("Review") if s.status == Summary.Status.REVIEW else _("Sign off"))
             for s in rows], count,
            _("Meeting summaries waiting for your review or sign-off appear here."), order=54))
    if ctx.liaison_unit_ids:
        rows, count = take(Topic.objects.filter(unit_id__in=ctx.liaison_unit_ids, meeting__status__in=NOT_HELD)
                           .exclude(status__in=[Topic.Status.REJECTED, Topic.Status.WITHDRAWN])
                           .select_related("meeting", "unit").order_by("meeting__starts_at", "pk"), limit)
        found.append(DeskQueue(
            "liaison_topics", _("Meeting topics of my units (归口)"),
            [DeskRow(title=t.title, url=t.get_absolute_url(),
                     meta=f"{t.unit} · {t.meeting.title} · {t.get_status_display()}",
                     due=t.meeting.starts_at, action=_("Open")) for t in rows], count,
            _("Topics your units submitted for meetings still to be held appear here."), order=64))
    return found
