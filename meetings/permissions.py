"""Who may do what with meetings: the one place (``may``) every page and workflow step asks.

- **Organisers** (the office directors and the members of the meeting office,
  ``MeetingSettings.office_unit``, the secretary section): create meetings and book rooms; move
  and cancel; attendees; order the agenda and send it for approval; the notice; materials; the
  checklist; mark ready; the sign-in desk; minutes and decisions; draft the 纪要; open
  supervision items; mark materials returned. They see every meeting.
- **Screeners** (the office directors and the section chiefs of the meeting office): screen
  topics (accept, defer, reject); review the 纪要 (核稿).
- The meeting's **presiding leader**: approve the agenda and attendees or return them (审定);
  decide leave requests (directors too); allow a late topic (directors too); sign off the 纪要.
- The meeting's **minute-taker** (clerk): the sign-in desk, minutes, decisions, the 纪要 draft.
- **County leaders** see every meeting and the discipline report.
- **Attendees** and named **substitutes** see the meeting and its agenda, open materials and
  sign in; attendees answer the notice.
- **Units** (unit contacts, section chiefs, directors) submit topics for their own unit
  (organisers for any unit), add materials to and withdraw their unit's topics, and see the
  meetings their unit has topics or decisions in — with their own unit's topics only.
- Members of a decision's **responsible unit** record conveyance (传达贯彻) and feedback.

Anything else: the meeting is a 404 (not visible) or the step is refused.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q

from office import roles


def _conf():
    from meetings.models import MeetingSettings

    return MeetingSettings.load()


def is_organiser(user, conf=None) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    cached = getattr(user, "_meetings_organiser", None)
    if cached is not None:
        return cached
    if roles.has_role(user, roles.OFFICE_DIRECTOR):
        result = True
    else:
        conf = conf or _conf()
        result = bool(conf.office_unit_id and user.unit_id == conf.office_unit_id
                      and roles.has_role(user, *roles.BUSINESS_ROLES))
    user._meetings_organiser = result
    return result


def is_screener(user, conf=None) -> bool:
    if roles.has_role(user, roles.OFFICE_DIRECTOR):
        return True
    return roles.has_role(user, roles.SECTION_CHIEF) and is_organiser(user, conf)


def sees_all(user) -> bool:
    return is_organiser(user) or roles.has_role(user, roles.COUNTY_LEADER)


def may_submit_topic(user) -> bool:
    return bool(getattr(user, "unit_id", None)) and (
        is_organiser(user) or roles.has_role(user, roles.UNIT_CONTACT, roles.SECTION_CHIEF,
                                             roles.OFFICE_DIRECTOR))


def may_see_discipline(user) -> bool:
    return sees_all(user)


def visible_q(user) -> Q:
    """The meetings ``user`` may see, as a filter on ``Meeting``."""
    from meetings.models import Attendee, Decision, Topic

    if sees_all(user):
        return Q()
    q = Q(presiding=user) | Q(clerk=user) | Q(created_by=user)
    q |= Exists(Attendee.objects.filter(meeting=OuterRef("pk"), removed_at__isnull=True)
                .filter(Q(user=user) | Q(substitute=user, response=Attendee.Response.SUBSTITUTE)))
    q |= Exists(Decision.objects.filter(meeting=OuterRef("pk"), responsible=user))
    if user.unit_id:
        q |= Exists(Topic.objects.filter(meeting=OuterRef("pk"), unit_id=user.unit_id))
        q |= Exists(Decision.objects.filter(meeting=OuterRef("pk"), unit_id=user.unit_id))
    return q


class Viewer:
    """What one user is to one meeting, computed once per request (the page asks many times)."""

    def __init__(self, meeting, user, attendees=None):
        self.user, self.meeting = user, meeting
        self.organiser = is_organiser(user)
        self.screener = is_screener(user)
        self.leader = roles.has_role(user, roles.COUNTY_LEADER)
        self.director = roles.has_role(user, roles.OFFICE_DIRECTOR)
        self.presiding = meeting.presiding_id == user.pk
        self.clerk = meeting.clerk_id == user.pk
        rows = attendees if attendees is not None else list(meeting.attendees.filter(
            Q(user=user) | Q(substitute=user)))
        self.attendee = next((a for a in rows if a.user_id == user.pk and a.removed_at is None), None)
        self.substituting = next((a for a in rows if a.substitute_id == user.pk and a.removed_at is None
                                  and a.response == a.Response.SUBSTITUTE), None)

    @property
    def sees_agenda(self) -> bool:
        return (self.organiser or self.leader or self.presiding or self.clerk
                or self.attendee is not None or self.substituting is not None)

    @property
    def runs_meeting(self) -> bool:
        """The sign-in desk, minutes, decisions, drafting the 纪要."""
        return self.organiser or self.clerk

    def may(self, step: str) -> bool:
        """Whether the user may take ``step`` on this meeting (ignoring its status)."""
        if step in ORGANISER_STEPS:
            return self.organiser
        if step in CLERK_STEPS:
            return self.runs_meeting
        if step in ("approve", "return_for_revision", "sign_summary"):
            return self.presiding
        if step == "decide_leave":
            return self.presiding or self.director
        if step == "review_summary":
            return self.screener
        if step == "answer":
            return self.attendee is not None
        if step == "open_items":
            return self.organiser or _supervision_manager(self.user)
        if step in ("record_conveyance", "add_feedback"):
            return self.organiser or self.decision_unit_member
        return False

    @property
    def decision_unit_member(self) -> bool:
        if not self.user.unit_id:
            return False
        cached = getattr(self, "_decision_unit", None)
        if cached is None:
            cached = self.meeting.decisions.filter(unit_id=self.user.unit_id).exists()
            self._decision_unit = cached
        return cached


ORGANISER_STEPS = frozenset({
    "move", "cancel", "add_attendees", "remove_attendee", "order_agenda", "submit_for_approval",
    "send_notice", "upload_materials", "check", "mark_ready", "conclude", "mark_returned",
})
CLERK_STEPS = frozenset({
    "mark_present", "record_minutes", "add_decision", "draft_summary", "edit_summary", "submit_summary",
})


def _supervision_manager(user) -> bool:
    from supervision.workflow import is_manager

    return is_manager(user)


def may_screen(topic, user) -> bool:
    return is_screener(user)


def may_allow_late(topic, user) -> bool:
    return roles.has_role(user, roles.OFFICE_DIRECTOR) or topic.meeting.presiding_id == user.pk


def may_edit_topic(topic, user) -> bool:
    """Add materials to or withdraw a topic: its unit's submitters, or the organisers."""
    return is_organiser(user) or (may_submit_topic(user) and user.unit_id == topic.unit_id)
