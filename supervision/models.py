"""Supervision items (督办事项) from any source, their progress, extensions, chases and the
reminders the sweep sends. The workflow is in ``supervision.workflow``; read queries in
``supervision.selectors``. An item knows its origin only through a generic relation."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from office.dates import EARLIEST, LATEST
from office.models import SingletonSettings, TimelineEvent, Unit


def _in_range(*fields: str) -> Q:
    """Every field between 2000-01-01 and 2099-12-31 (``office.dates``): a date outside breaks
    the calendar arithmetic of the pages and the sweeps."""
    q = Q()
    for name in fields:
        q &= Q(**{f"{name}__gte": EARLIEST, f"{name}__lte": LATEST})
    return q


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ASSIGNED = "assigned", _("Assigned")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    IN_PROGRESS = "in_progress", _("In progress")
    RESULT_REPORTED = "result_reported", _("Result reported")
    DISPUTED = "disputed", _("Disputed")
    CLOSED = "closed", _("Closed")


OPEN_STATUSES = (Status.ASSIGNED, Status.ACKNOWLEDGED, Status.IN_PROGRESS,
                 Status.RESULT_REPORTED, Status.DISPUTED)
# Statuses in which the responsible person still owes work: these get reminders.
WORKING_STATUSES = (Status.ASSIGNED, Status.ACKNOWLEDGED, Status.IN_PROGRESS)
# Statuses in which the supervision office holds the item (a draft, a result waiting for
# verification, a dispute waiting for reassignment): the unit's clock is paused.
OFFICE_STATUSES = (Status.DRAFT, Status.RESULT_REPORTED, Status.DISPUTED)


class Closing(models.TextChoices):
    """How a closed item counts, judged on the day the accepted result was delivered."""

    ON_TIME = "on_time", _("On time")
    EXTENDED = "extended", _("Within extension")
    LATE = "late", _("Closed late")


class SourceKind(models.TextChoices):
    DOCUMENT = "document", _("Document")
    MEETING = "meeting", _("Meeting decision")
    INSTRUCTION = "instruction", _("Leader instruction")
    EMERGENCY = "emergency", _("Emergency")
    OTHER = "other", _("Other")


class Priority(models.TextChoices):
    NORMAL = "normal", _("Normal")
    IMPORTANT = "important", _("Important")
    URGENT = "urgent", _("Urgent")


class Level(models.TextChoices):
    """The colour an item shows when a rule of this level applies."""

    NONE = "", _("None")
    YELLOW = "yellow", _("Yellow")
    ORANGE = "orange", _("Orange")
    RED = "red", _("Red")


LEVEL_RANK = {Level.NONE: 0, Level.YELLOW: 1, Level.ORANGE: 2, Level.RED: 3}


class SupervisionSettings(SingletonSettings, models.Model):
    """Which unit is the supervision office (督查室). One row (pk=1)."""

    office_unit = models.ForeignKey(
        Unit, verbose_name=_("supervision office"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
        help_text=_("Its members open, assign and verify items and see every item."),
    )

    class Meta:
        verbose_name = _("supervision settings")
        verbose_name_plural = _("supervision settings")
        constraints = [models.CheckConstraint(condition=Q(pk=1), name="supervision_settings_singleton")]

    def __str__(self) -> str:
        return str(_("Supervision settings"))



class Item(models.Model):
    number = models.CharField(_("number"), max_length=30, unique=True)
    title = models.CharField(_("title"), max_length=200)
    requirement = models.TextField(_("requirement"))
    source_kind = models.CharField(_("source"), max_length=20, choices=SourceKind.choices)
    origin_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("origin type"))
    origin_id = models.CharField(_("origin id"), max_length=64, blank=True)
    origin = GenericForeignKey("origin_type", "origin_id")
    instructing_leader = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("instructing leader"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="instructed_items")
    lead_unit = models.ForeignKey(Unit, verbose_name=_("lead unit"), on_delete=models.PROTECT,
                                  related_name="led_items")
    co_units = models.ManyToManyField(Unit, verbose_name=_("co-units"), blank=True,
                                      related_name="co_items")
    responsible = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("responsible person"),
                                    on_delete=models.PROTECT, related_name="responsible_items")
    supervisor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("supervising officer"),
                                   on_delete=models.PROTECT, related_name="supervised_items")
    original_deadline = models.DateField(_("original deadline"))
    deadline = models.DateField(_("deadline"), help_text=_("After approved extensions."))
    # The clock (supervision.timeliness): the deadline moved later by the working days the office
    # has held the item; set only by the workflow steps.
    deliver_by = models.DateField(
        _("unit must deliver by"),
        help_text=_("The deadline plus the working days the supervision office held the item."))
    held_days = models.PositiveIntegerField(_("working days held by the office"), default=0)
    turn_since = models.DateTimeField(_("with the current party since"), null=True, blank=True)
    closing = models.CharField(_("closing"), max_length=10, choices=Closing.choices, blank=True)
    deadline_provisional = models.BooleanField(
        _("deadline provisional"), default=False,
        help_text=_("Set while the deadline's year is not loaded in the working-day calendar."))
    priority = models.CharField(_("priority"), max_length=10, choices=Priority.choices,
                                default=Priority.NORMAL)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices,
                              default=Status.DRAFT)
    result = models.TextField(_("result"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"),
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    assigned_at = models.DateTimeField(_("assigned at"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    result_reported_at = models.DateTimeField(_("result reported at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("supervision item")
        verbose_name_plural = _("supervision items")
        ordering = ["deadline", "pk"]
        indexes = [
            models.Index(fields=["status", "deadline"], name="item_status_deadline"),
            models.Index(fields=["deliver_by"], condition=Q(status__in=list(WORKING_STATUSES)),
                         name="item_working_deliver_by"),
            models.Index(fields=["deliver_by", "id"], name="item_deliver_by"),  # the lists' order
            models.Index(fields=["responsible", "status"], name="item_responsible"),
            models.Index(fields=["supervisor", "status"], name="item_supervisor"),  # the desk
            models.Index(fields=["deadline", "id"], name="item_deadline_order"),  # the default order
            models.Index(fields=["lead_unit", "status"], name="item_lead_unit"),
            models.Index(fields=["origin_type", "origin_id"], name="item_origin"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(deadline__gte=models.F("original_deadline")),
                                   name="item_deadline_not_before_original"),
            models.CheckConstraint(condition=~Q(status="closed") | ~Q(result=""),
                                   name="item_closed_needs_result"),
            models.CheckConstraint(condition=Q(deliver_by__gte=models.F("deadline")),
                                   name="item_deliver_by_not_before_deadline"),
            models.CheckConstraint(condition=_in_range("original_deadline", "deadline"),
                                   name="item_deadlines_supported_range"),
        ]
        permissions = [("manage_items", _("Can open, assign and verify supervision items"))]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("supervision:detail", args=[self.pk])

    @property
    def audit_repr(self) -> str:
        """How the audit trail names the item: its number, never its title (the audit
        administrator sees no business content)."""
        return self.number

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_extended(self) -> bool:
        return self.deadline != self.original_deadline

    def closing_class(self) -> str:
        """on_time / extended / late for a closed item ('' otherwise): the verdict stored when it
        closed (``supervision.timeliness.closing_class``)."""
        return self.closing if self.status == Status.CLOSED else ""


class Milestone(models.Model):
    item = models.ForeignKey(Item, verbose_name=_("item"), on_delete=models.CASCADE,
                             related_name="milestones")
    title = models.CharField(_("title"), max_length=200)
    due_on = models.DateField(_("due on"))
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["due_on", "pk"]
        constraints = [models.CheckConstraint(condition=_in_range("due_on"),
                                              name="milestone_due_supported_range")]

    def __str__(self) -> str:
        return self.title


class ProgressReport(models.Model):
    item = models.ForeignKey(Item, verbose_name=_("item"), on_delete=models.CASCADE,
                             related_name="progress_reports")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("reported by"),
                               on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("progress"))
    progress_on = models.DateField(_("progress date"))
    is_result = models.BooleanField(_("final result"), default=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        ordering = ["created_at", "pk"]
        constraints = [models.CheckConstraint(condition=_in_range("progress_on"),
                                              name="progress_date_supported_range")]

    def __str__(self) -> str:
        return f"{self.item.number} {self.progress_on}"


def attachment_path(instance, filename: str) -> str:
    return f"supervision/{timezone.localdate():%Y/%m}/{instance.report.item_id}/{filename}"


class Attachment(models.Model):
    report = models.ForeignKey(ProgressReport, verbose_name=_("progress report"),
                               on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to=attachment_path)
    name = models.CharField(_("name"), max_length=200)
    size = models.PositiveIntegerField(_("size"))
    content_type = models.CharField(_("content type"), max_length=100, blank=True, editable=False,
                                    help_text=_("Detected from the content at upload."))

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.name


class Extension(models.Model):
    class Decision(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")
        LAPSED = "lapsed", _("Lapsed")

    item = models.ForeignKey(Item, verbose_name=_("item"), on_delete=models.CASCADE,
                             related_name="extensions")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("requested by"),
                                     on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    previous_deadline = models.DateField(_("previous deadline"))
    new_deadline = models.DateField(_("requested deadline"))
    reason = models.TextField(_("reason"))
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices,
                                default=Decision.PENDING)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("decided by"),
                                   null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)

    class Meta:
        verbose_name = _("extension request")
        verbose_name_plural = _("extension requests")
        ordering = ["requested_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["item"], condition=Q(decision="pending"),
                                    name="extension_one_pending_per_item"),
            models.CheckConstraint(condition=Q(new_deadline__gt=models.F("previous_deadline")),
                                   name="extension_moves_deadline_later"),
            models.CheckConstraint(condition=_in_range("previous_deadline", "new_deadline"),
                                   name="extension_deadlines_supported_range"),
        ]

    def __str__(self) -> str:
        return f"{self.item.number} → {self.new_deadline}"


class Chase(models.Model):
    """A manual 催办 by the supervising officer, printable as a 催办通知单."""

    item = models.ForeignKey(Item, verbose_name=_("item"), on_delete=models.CASCADE,
                             related_name="chases")
    number = models.CharField(_("number"), max_length=30, unique=True)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("sent by"),
                                on_delete=models.PROTECT, related_name="+")
    note = models.TextField(_("note"))
    created_at = models.DateTimeField(_("sent at"), default=timezone.now)

    class Meta:
        verbose_name = _("chase")
        verbose_name_plural = _("chases")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.number


class Event(TimelineEvent):
    """The item's history: every step, reminder, chase and comment, in order."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Created")
        ASSIGNED = "assigned", _("Assigned")
        ACKNOWLEDGED = "acknowledged", _("Acknowledged")
        DISPUTED = "disputed", _("Disputed the assignment")
        REASSIGNED = "reassigned", _("Reassigned")
        PROGRESS = "progress", _("Progress reported")
        RESULT = "result", _("Result reported")
        ACCEPTED = "accepted", _("Verified and closed")
        RETURNED = "returned", _("Returned")
        EXTENSION_REQUESTED = "extension_requested", _("Extension requested")
        EXTENSION_APPROVED = "extension_approved", _("Extension approved")
        EXTENSION_REFUSED = "extension_refused", _("Extension refused")
        EXTENSION_LAPSED = "extension_lapsed", _("Extension request lapsed")
        CHASE = "chase", _("Chased")
        REMINDER = "reminder", _("Reminder sent")
        COMMENT = "comment", _("Comment")
        RECALCULATED = "recalculated", _("Dates recalculated")

    item = models.ForeignKey(Item, verbose_name=_("item"), on_delete=models.CASCADE,
                             related_name="events")
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)

    class Meta(TimelineEvent.Meta):
        verbose_name = _("item event")
        verbose_name_plural = _("item events")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["item", "created_at"], name="event_item_time")]

    def __str__(self) -> str:
        return f"{self.item_id} {self.kind}"


class ReminderRule(models.Model):
    """When reminders go out, to whom, and the colour an item shows. Edited in admin.

    ``offset`` is in working days relative to the deadline: -3 means three working days before,
    0 on the day, +3 three working days overdue. ``repeat_every`` repeats the rule every N working
    days after its first day (0: once)."""

    class Recipient(models.TextChoices):
        RESPONSIBLE = "responsible", _("Responsible person")
        UNIT_HEAD = "unit_head", _("Head of the lead unit")
        LEADER = "leader", _("Instructing leader")
        SUPERVISOR = "supervisor", _("Supervising officer")

    name = models.CharField(_("name"), max_length=60)
    offset = models.IntegerField(_("working days from the deadline"))
    repeat_every = models.PositiveIntegerField(_("repeat every N working days"), default=0)
    recipient = models.CharField(_("recipient"), max_length=20, choices=Recipient.choices)
    level = models.CharField(_("colour"), max_length=10, choices=Level.choices, blank=True,
                             default=Level.NONE)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("reminder rule")
        verbose_name_plural = _("reminder rules")
        ordering = ["offset", "pk"]

    def __str__(self) -> str:
        return self.name


class Reminder(models.Model):
    """One stored reminder occurrence. The unique key makes the sweep idempotent."""

    item = models.ForeignKey(Item, verbose_name=_("item"), on_delete=models.CASCADE,
                             related_name="reminders")
    rule = models.ForeignKey(ReminderRule, verbose_name=_("rule"), on_delete=models.PROTECT,
                             related_name="reminders")
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recipient"),
                                  on_delete=models.CASCADE, related_name="+")
    due_on = models.DateField(_("day"))
    deadline = models.DateField(_("deadline then"))  # the item's deliver_by when planned
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    skipped = models.CharField(_("not sent because"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["due_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["item", "rule", "recipient", "due_on"],
                                    name="reminder_once_per_item_rule_recipient_day"),
        ]
        indexes = [
            models.Index(fields=["created_at"], condition=Q(sent_at__isnull=True, skipped=""),
                         name="reminder_pending"),
            # the sweep's batches, in its order: no sort of the pending set per batch
            models.Index(fields=["item", "recipient", "-due_on", "-id"], condition=Q(sent_at__isnull=True, skipped=""),
                         name="reminder_pending_order"),
        ]

    def __str__(self) -> str:
        return f"{self.item_id} {self.rule_id} {self.recipient_id} {self.due_on}"
