"""Meetings by procedure (办会): types, rooms and bookings, meetings, topics, attendees and their
answers, materials, the readiness checklist, minutes and decisions, the 纪要, conveyance,
feedback, reminders. The workflow is in ``meetings.workflow``; read queries in
``meetings.selectors``; who may do what in ``meetings.permissions``."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from office.models import SingletonSettings, TimelineEvent, Unit


class MeetingSettings(SingletonSettings, models.Model):
    """Which unit runs meetings (the secretary section, 秘书科) and when reminders go out."""

    office_unit = models.ForeignKey(
        Unit, verbose_name=_("meeting office"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Its members organise meetings; its section chiefs screen topics."))
    signin_opens_minutes = models.PositiveIntegerField(
        _("sign-in opens (minutes before the start)"), default=30)
    eve_reminder_time = models.TimeField(
        _("reminder on the working day before, at"), default=dt.time(16, 0))
    reminder_minutes_before = models.PositiveIntegerField(
        _("reminder before the start (minutes)"), default=60)

    class Meta:
        verbose_name = _("meeting settings")
        verbose_name_plural = _("meeting settings")
        constraints = [models.CheckConstraint(condition=Q(pk=1), name="meeting_settings_singleton")]

    def __str__(self) -> str:
        return str(_("Meeting settings"))


class MeetingType(models.Model):
    """县政府常务会议, 县长办公会议, 专题会议 ...: who presides, who attends by default, the
    notice and topic periods, and how its minutes (纪要) are headed and numbered."""

    name = models.CharField(_("name"), max_length=60, unique=True)
    presiding_title = models.CharField(_("presiding role"), max_length=40,
                                       help_text=_("e.g. 县长 (presides and approves)."))
    presiding = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("presiding leader"),
                                  null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                  help_text=_("Proposed for new meetings of this type."))
    default_attendees = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+",
                                               verbose_name=_("default attendees (出席)"))
    default_observers = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+",
                                               verbose_name=_("default non-voting attendees (列席)"))
    default_observer_units = models.ManyToManyField(
        Unit, blank=True, related_name="+", verbose_name=_("units attending without a vote (列席单位)"),
        help_text=_("Each unit's head is invited; the unit may send a substitute."))
    minutes_masthead = models.CharField(_("minutes masthead"), max_length=60,
                                        help_text=_("e.g. 某县人民政府常务会议纪要"))
    minutes_code = models.CharField(_("minutes number code"), max_length=20,
                                    help_text=_("e.g. 县政常纪: numbers read 县政常纪〔2026〕5号"))
    notice_working_days = models.PositiveIntegerField(_("notice period (working days)"), default=2)
    topic_working_days = models.PositiveIntegerField(
        _("topics due (working days before the meeting)"), default=3)
    is_active = models.BooleanField(_("active"), default=True)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("meeting type")
        verbose_name_plural = _("meeting types")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.name


class Room(models.Model):
    name = models.CharField(_("name"), max_length=60, unique=True)
    location = models.CharField(_("location"), max_length=100, blank=True)
    capacity = models.PositiveIntegerField(_("capacity"))
    equipment = models.CharField(_("equipment"), max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("meeting room")
        verbose_name_plural = _("meeting rooms")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ChecklistItem(models.Model):
    """An item of the pre-meeting checklist (会前检查): room, equipment, seating, materials printed."""

    name = models.CharField(_("name"), max_length=60)
    types = models.ManyToManyField(MeetingType, blank=True, related_name="+",
                                   verbose_name=_("meeting types"),
                                   help_text=_("None: every meeting type."))
    order = models.PositiveIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("checklist item")
        verbose_name_plural = _("pre-meeting checklist")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.name


class Status(models.TextChoices):
    PLANNING = "planning", _("Collecting topics")
    PENDING_APPROVAL = "pending_approval", _("Awaiting approval")
    APPROVED = "approved", _("Approved")
    NOTIFIED = "notified", _("Notice sent")
    READY = "ready", _("Ready")
    HELD = "held", _("Held")
    ISSUED = "issued", _("Minutes issued")
    CANCELLED = "cancelled", _("Cancelled")


# before the meeting: the time and room may still change, reminders may go out
UPCOMING = (Status.PLANNING, Status.PENDING_APPROVAL, Status.APPROVED, Status.NOTIFIED, Status.READY)
NOTICED = (Status.NOTIFIED, Status.READY)
AFTER = (Status.HELD, Status.ISSUED)


class Meeting(models.Model):
    type = models.ForeignKey(MeetingType, verbose_name=_("meeting type"), on_delete=models.PROTECT,
                             related_name="meetings")
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    room = models.ForeignKey(Room, verbose_name=_("room"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="meetings")
    location = models.CharField(_("other location"), max_length=100, blank=True)
    presiding = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("presiding leader"),
                                  on_delete=models.PROTECT, related_name="presided_meetings")
    clerk = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("minute-taker"), null=True,
                              blank=True, on_delete=models.PROTECT, related_name="clerked_meetings")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("organised by"),
                                   on_delete=models.PROTECT, related_name="organised_meetings")
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices,
                              default=Status.PLANNING)
    topic_deadline = models.DateTimeField(_("topics due by"))
    sequence = models.PositiveIntegerField(_("revision"), default=0,
                                           help_text=_("iCalendar SEQUENCE: raised by every move or cancellation."))
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    notice_sent_at = models.DateTimeField(_("notice sent at"), null=True, blank=True)
    short_notice = models.BooleanField(_("short notice"), default=False)
    ready_at = models.DateTimeField(_("ready at"), null=True, blank=True)
    held_at = models.DateTimeField(_("concluded at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-starts_at", "-pk"]
        indexes = [
            models.Index(fields=["starts_at"], name="meeting_starts"),
            models.Index(fields=["type", "starts_at"], name="meeting_type_starts"),
            models.Index(fields=["starts_at"], condition=Q(status__in=["notified", "ready"]),
                         name="meeting_noticed_starts"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")),
                                   name="meeting_ends_after_start"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("meetings:detail", args=[self.pk])

    @property
    def place(self) -> str:
        return str(self.room) if self.room_id else self.location

    @property
    def is_upcoming(self) -> bool:
        return self.status in UPCOMING


class RoomBooking(models.Model):
    """A room held for a meeting. Two active bookings of the same room never overlap: the
    database refuses it (a constraint trigger, migration 0002), also when two people book at the
    same moment. Cancelled bookings are kept for the record and block nothing."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        CANCELLED = "cancelled", _("Cancelled")

    room = models.ForeignKey(Room, verbose_name=_("room"), on_delete=models.PROTECT,
                             related_name="bookings")
    meeting = models.ForeignKey(Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE,
                                related_name="bookings")
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("until"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.ACTIVE)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("booked by"),
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("booked at"), default=timezone.now)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)

    class Meta:
        verbose_name = _("room booking")
        verbose_name_plural = _("room bookings")
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["room", "starts_at"], condition=Q(status="active"),
                                name="booking_active_room_start")]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")),
                                   name="booking_ends_after_start"),
            models.UniqueConstraint(fields=["meeting"], condition=Q(status="active"),
                                    name="booking_one_active_per_meeting"),
        ]

    def __str__(self) -> str:
        return f"{self.room} {timezone.localtime(self.starts_at):%Y-%m-%d %H:%M}"


class Topic(models.Model):
    """A meeting topic (议题) submitted by a unit and screened by the office."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        ACCEPTED = "accepted", _("On the agenda")
        DEFERRED = "deferred", _("Deferred")
        REJECTED = "rejected", _("Rejected")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    meeting = models.ForeignKey(Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE,
                                related_name="topics")
    title = models.CharField(_("title"), max_length=200)
    background = models.TextField(_("background"))
    request = models.TextField(_("decision requested"))
    unit = models.ForeignKey(Unit, verbose_name=_("submitting unit"), on_delete=models.PROTECT,
                             related_name="meeting_topics")
    leader = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("leader in charge"),
                               null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("submitted by"),
                                     on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices,
                              default=Status.SUBMITTED)
    position = models.PositiveIntegerField(_("agenda position"), null=True, blank=True)
    is_late = models.BooleanField(_("submitted after the deadline"), default=False)
    late_approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("late topic allowed by"),
                                         null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    late_approved_at = models.DateTimeField(_("late topic allowed at"), null=True, blank=True)
    screened_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("screened by"), null=True,
                                    blank=True, on_delete=models.PROTECT, related_name="+")
    screened_at = models.DateTimeField(_("screened at"), null=True, blank=True)
    screening_note = models.TextField(_("screening note"), blank=True)
    deferred_to = models.ForeignKey(Meeting, verbose_name=_("deferred to"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    carried_from = models.ForeignKey("self", verbose_name=_("carried over from"), null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    minutes = models.TextField(_("minutes"), blank=True)

    class Meta:
        verbose_name = _("meeting topic")
        verbose_name_plural = _("meeting topics")
        ordering = ["meeting", "position", "submitted_at", "pk"]
        indexes = [models.Index(fields=["meeting", "status"], name="topic_meeting_status"),
                   models.Index(fields=["unit", "status"], name="topic_unit_status")]
        constraints = [
            models.CheckConstraint(condition=~Q(status="rejected") | ~Q(screening_note=""),
                                   name="topic_rejected_needs_reason"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("meetings:topic", args=[self.pk])


class Attendee(models.Model):
    """A person invited to a meeting: to attend (出席) or without a vote (列席), in their own name
    or for a unit. Their answer to the notice, and their sign-in."""

    class Kind(models.TextChoices):
        ATTEND = "attend", _("Attending (出席)")
        OBSERVE = "observe", _("Non-voting (列席)")

    class Response(models.TextChoices):
        PENDING = "pending", _("No answer yet")
        ATTENDING = "attending", _("Will attend")
        LEAVE_REQUESTED = "leave_requested", _("Leave requested")
        LEAVE_APPROVED = "leave_approved", _("On leave")
        LEAVE_REFUSED = "leave_refused", _("Leave refused")
        SUBSTITUTE = "substitute", _("Sending a substitute")

    class Method(models.TextChoices):
        QR = "qr", _("QR code")
        CLERK = "clerk", _("Marked by the clerk")

    meeting = models.ForeignKey(Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE,
                                related_name="attendees")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.PROTECT,
                             related_name="meeting_invitations")
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.ATTEND)
    added_at = models.DateTimeField(_("added at"), default=timezone.now)
    removed_at = models.DateTimeField(_("removed at"), null=True, blank=True)
    response = models.CharField(_("answer"), max_length=20, choices=Response.choices,
                                default=Response.PENDING)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    reason = models.TextField(_("reason for leave"), blank=True)
    substitute = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("substitute"), null=True,
                                   blank=True, on_delete=models.PROTECT, related_name="substitutions")
    leave_decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("leave decided by"),
                                         null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    leave_decided_at = models.DateTimeField(_("leave decided at"), null=True, blank=True)
    leave_note = models.TextField(_("decision note"), blank=True)
    signed_in_at = models.DateTimeField(_("signed in at"), null=True, blank=True)
    signed_in_person = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("who came"), null=True,
                                         blank=True, on_delete=models.PROTECT, related_name="+")
    signed_in_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("signed in by"), null=True,
                                     blank=True, on_delete=models.PROTECT, related_name="+")
    sign_in_method = models.CharField(_("sign-in"), max_length=10, choices=Method.choices, blank=True)
    late_minutes = models.PositiveIntegerField(_("minutes late"), default=0)

    class Meta:
        verbose_name = _("attendee")
        verbose_name_plural = _("attendees")
        ordering = ["meeting", "kind", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "user"], name="attendee_once_per_meeting"),
            models.CheckConstraint(condition=~Q(response="substitute") | Q(substitute__isnull=False),
                                   name="attendee_substitute_named"),
        ]
        indexes = [models.Index(fields=["user", "meeting"], name="attendee_user"),
                   models.Index(fields=["substitute"], condition=Q(substitute__isnull=False),
                                name="attendee_substitute")]

    def __str__(self) -> str:
        return f"{self.meeting_id} · {self.user_id}"

    @property
    def is_current(self) -> bool:
        return self.removed_at is None

    @property
    def present_user_id(self) -> int | None:
        """Who is expected in the room: the substitute when one was named, else the person."""
        return self.substitute_id if self.response == self.Response.SUBSTITUTE else self.user_id


def material_path(instance, filename: str) -> str:
    return f"meetings/{timezone.localdate():%Y/%m}/{instance.meeting_id}/{filename}"


class Material(models.Model):
    """A meeting material: for a topic, or for the whole meeting. Opening it is recorded."""

    meeting = models.ForeignKey(Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE,
                                related_name="materials")
    topic = models.ForeignKey(Topic, verbose_name=_("topic"), null=True, blank=True,
                              on_delete=models.CASCADE, related_name="materials")
    file = models.FileField(_("file"), upload_to=material_path)
    name = models.CharField(_("name"), max_length=200)
    size = models.PositiveIntegerField(_("size"))
    content_type = models.CharField(_("content type"), max_length=100, blank=True, editable=False)
    for_return = models.BooleanField(_("to be returned after the meeting"), default=False)
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"),
                                    on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        verbose_name = _("meeting material")
        verbose_name_plural = _("meeting materials")
        ordering = ["topic_id", "pk"]

    def __str__(self) -> str:
        return self.name


class MaterialOpen(models.Model):
    material = models.ForeignKey(Material, verbose_name=_("material"), on_delete=models.CASCADE,
                                 related_name="opens")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("opened by"),
                             on_delete=models.CASCADE, related_name="+")
    first_opened_at = models.DateTimeField(_("first opened"), default=timezone.now)
    last_opened_at = models.DateTimeField(_("last opened"), default=timezone.now)
    times = models.PositiveIntegerField(_("times"), default=1)

    class Meta:
        verbose_name = _("material opened")
        verbose_name_plural = _("materials opened")
        constraints = [models.UniqueConstraint(fields=["material", "user"], name="material_open_once")]

    def __str__(self) -> str:
        return f"{self.material_id} · {self.user_id}"


class MeetingCheck(models.Model):
    """A ticked checklist item of one meeting."""

    meeting = models.ForeignKey(Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE,
                                related_name="checks")
    item = models.ForeignKey(ChecklistItem, verbose_name=_("checklist item"), on_delete=models.PROTECT,
                             related_name="+")
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("checked by"),
                                on_delete=models.PROTECT, related_name="+")
    done_at = models.DateTimeField(_("checked at"), default=timezone.now)

    class Meta:
        verbose_name = _("checklist tick")
        verbose_name_plural = _("checklist ticks")
        constraints = [models.UniqueConstraint(fields=["meeting", "item"], name="meeting_check_once")]

    def __str__(self) -> str:
        return f"{self.meeting_id} · {self.item_id}"


class Decision(models.Model):
    """A decision (议定事项) of a topic: what, who (unit and person), by when. It becomes a
    supervision item once (``item`` is unique)."""

    meeting = models.ForeignKey(Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE,
                                related_name="decisions")
    topic = models.ForeignKey(Topic, verbose_name=_("topic"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="decisions")
    text = models.TextField(_("decision"))
    unit = models.ForeignKey(Unit, verbose_name=_("responsible unit"), on_delete=models.PROTECT,
                             related_name="meeting_decisions")
    responsible = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("responsible person"),
                                    on_delete=models.PROTECT, related_name="meeting_decisions")
    deadline = models.DateField(_("deadline"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"),
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    item = models.OneToOneField("supervision.Item", verbose_name=_("supervision item"), null=True,
                                blank=True, on_delete=models.PROTECT, related_name="meeting_decision")

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["meeting", "pk"]
        indexes = [models.Index(fields=["unit"], name="decision_unit")]

    def __str__(self) -> str:
        return f"{self.meeting} · {self.text[:40]}"

    def get_absolute_url(self) -> str:
        return f"{self.meeting.get_absolute_url()}#decision-{self.pk}"


class Summary(models.Model):
    """The meeting summary (会议纪要): drafted from the minutes and decisions, reviewed (核稿),
    signed off (签发) by the presiding leader, then numbered per meeting type and year."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        REVIEW = "review", _("Under review")
        REVIEWED = "reviewed", _("Reviewed, awaiting sign-off")
        SIGNED = "signed", _("Signed off")

    meeting = models.OneToOneField(Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE,
                                   related_name="summary")
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    number = models.CharField(_("number"), max_length=40, blank=True)
    year = models.PositiveIntegerField(_("year"), null=True, blank=True)
    sequence = models.PositiveIntegerField(_("sequence number"), null=True, blank=True)
    present = models.TextField(_("present (出席)"), blank=True)
    absent = models.TextField(_("on leave (请假)"), blank=True)
    attending = models.TextField(_("non-voting (列席)"), blank=True)
    drafted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("drafted by"),
                                   on_delete=models.PROTECT, related_name="+")
    drafted_at = models.DateTimeField(_("drafted at"), default=timezone.now)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("reviewed by"), null=True,
                                    blank=True, on_delete=models.PROTECT, related_name="+")
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("signed off by"), null=True,
                                  blank=True, on_delete=models.PROTECT, related_name="+")
    signed_at = models.DateTimeField(_("signed off at"), null=True, blank=True)

    class Meta:
        verbose_name = _("meeting summary")
        verbose_name_plural = _("meeting summaries")
        constraints = [
            models.UniqueConstraint(fields=["number"], condition=~Q(number=""), name="summary_number_unique"),
            models.CheckConstraint(condition=~Q(status="signed") | ~Q(number=""),
                                   name="summary_signed_has_number"),
        ]

    def __str__(self) -> str:
        return self.number or self.title


class Conveyance(models.Model):
    """传达贯彻: when and how a responsible unit conveyed the meeting's decisions."""

    class Method(models.TextChoices):
        MEETING = "meeting", _("At a unit meeting")
        DOCUMENT = "document", _("By forwarding a document")
        DEPLOYMENT = "deployment", _("At a dedicated deployment meeting")
        OTHER = "other", _("Other")

    meeting = models.ForeignKey(Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE,
                                related_name="conveyances")
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    conveyed_on = models.DateField(_("conveyed on"))
    method = models.CharField(_("how"), max_length=12, choices=Method.choices)
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"),
                                    on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("conveyance")
        verbose_name_plural = _("conveyances")
        ordering = ["conveyed_on", "pk"]

    def __str__(self) -> str:
        return f"{self.unit} {self.conveyed_on}"


class Feedback(models.Model):
    """信息反馈 on the meeting's decisions, gathered on the meeting page."""

    meeting = models.ForeignKey(Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE,
                                related_name="feedback")
    decision = models.ForeignKey(Decision, verbose_name=_("decision"), null=True, blank=True,
                                 on_delete=models.CASCADE, related_name="feedback")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("from"), on_delete=models.PROTECT,
                               related_name="+")
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+")
    text = models.TextField(_("feedback"))
    created_at = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.text[:40]


class Event(TimelineEvent):
    """The meeting's history: every step, in order."""

    meeting = models.ForeignKey(Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE,
                                related_name="events")
    kind = models.CharField(_("kind"), max_length=30)

    LABELS = {
        "create": _("Planned"), "move": _("Moved"), "cancel": _("Cancelled"),
        "add_attendees": _("People invited"), "remove_attendee": _("Person removed"),
        "submit_topic": _("Topic submitted"), "withdraw_topic": _("Topic withdrawn"),
        "allow_late_topic": _("Late topic allowed"), "screen_topic": _("Topic screened"),
        "order_agenda": _("Agenda ordered"), "submit_for_approval": _("Sent for approval"),
        "approve": _("Approved"), "return_for_revision": _("Returned for revision"),
        "send_notice": _("Notice sent"), "answer": _("Answered"), "decide_leave": _("Leave decided"),
        "upload_materials": _("Materials added"), "check": _("Checklist updated"),
        "mark_ready": _("Marked ready"), "sign_in": _("Signed in"), "mark_present": _("Marked present"),
        "record_minutes": _("Minutes recorded"), "add_decision": _("Decision recorded"),
        "conclude": _("Meeting concluded"), "draft_summary": _("Summary drafted"),
        "edit_summary": _("Summary edited"), "submit_summary": _("Summary sent for review"),
        "review_summary": _("Summary reviewed"), "sign_summary": _("Summary signed off"),
        "supervise_decision": _("Decision supervised"), "open_items": _("Supervision items opened"),
        "record_conveyance": _("Conveyance recorded"), "add_feedback": _("Feedback"),
        "mark_returned": _("Materials returned"), "reminder": _("Reminder sent"),
    }

    class Meta(TimelineEvent.Meta):
        verbose_name = _("meeting event")
        verbose_name_plural = _("meeting events")
        indexes = [models.Index(fields=["meeting", "created_at"], name="meeting_event_time")]

    def __str__(self) -> str:
        return f"{self.meeting_id} {self.kind}"

    @property
    def kind_label(self) -> str:
        return str(self.LABELS.get(self.kind, self.kind))


class MeetingReminder(models.Model):
    """One planned reminder (see ``meetings.reminders``). The unique key makes planning
    idempotent; ``starts_at`` is the meeting's start when planned, so a moved meeting's old
    reminders are recognised and dropped."""

    class Kind(models.TextChoices):
        EVE = "eve", _("The working day before")
        SOON = "soon", _("Shortly before the start")

    meeting = models.ForeignKey(Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE,
                                related_name="reminders")
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recipient"),
                                  on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    due_at = models.DateTimeField(_("due at"))
    starts_at = models.DateTimeField(_("meeting start then"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    skipped = models.CharField(_("not sent because"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("meeting reminder")
        verbose_name_plural = _("meeting reminders")
        ordering = ["due_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["meeting", "recipient", "kind", "starts_at"],
                                               name="meeting_reminder_once")]
        indexes = [models.Index(fields=["created_at"], condition=Q(sent_at__isnull=True, skipped=""),
                                name="meeting_reminder_pending")]

    def __str__(self) -> str:
        return f"{self.meeting_id} {self.recipient_id} {self.kind}"


class CalendarFeed(models.Model):
    """The secret link of a person's .ics feed. A new token makes the old link stop working."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name=_("person"),
                                on_delete=models.CASCADE, related_name="meeting_feed")
    token = models.CharField(_("token"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")
        default_permissions = ()

    def __str__(self) -> str:
        return str(self.user_id)
