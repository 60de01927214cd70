"""The office itself: units, people, posts, rules, the working-day calendar, notifications
and the audit trail. Workflow steps live in ``office.services``; read queries in
``office.selectors``."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Unit(models.Model):
    """A unit of the county: the office's own sections, departments, townships, superiors."""

    class Kind(models.TextChoices):
        LEADERSHIP = "leadership", _("County leadership")
        SECTION = "section", _("Office section")
        DEPARTMENT = "department", _("County department")
        TOWNSHIP = "township", _("Township")
        SUPERIOR = "superior", _("Superior organ")

    name = models.CharField(_("name"), max_length=100, unique=True)
    short_name = models.CharField(_("short name"), max_length=40, blank=True)
    code = models.CharField(
        _("code"), max_length=20, unique=True,
        help_text=_("Short code used in numbers and exports, e.g. MSK."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    head = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("head"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="headed_units",
    )
    # 归口: the secretary and the deputy director (分管主任) the unit answers to in the office;
    # their desks show the unit's documents in flight and its overdue supervision items
    liaison_secretary = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("liaison secretary (归口秘书)"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="liaison_units",
        help_text=_("The secretary this unit answers to in the office (归口)."))
    liaison_director = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("deputy director in charge (分管主任)"), null=True,
        blank=True, on_delete=models.SET_NULL, related_name="directed_units",
        help_text=_("The office director or deputy who has this unit in charge (分管)."))
    order = models.PositiveIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["kind", "order", "code"]

    def __str__(self) -> str:
        return self.short_name or self.name

    @property
    def is_internal(self) -> bool:
        return self.kind in (self.Kind.LEADERSHIP, self.Kind.SECTION)


class Post(models.Model):
    """A post (岗位) and its duties. The leadership's duties are posts too."""

    name = models.CharField(_("name"), max_length=100)
    code = models.CharField(_("code"), max_length=30, unique=True)
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="posts",
    )
    duties = models.TextField(_("duties"), blank=True)
    is_leadership = models.BooleanField(_("leadership post"), default=False)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A member of staff (or a unit contact). Roles are Django groups (see ``office.roles``)."""

    full_name = models.CharField(_("full name"), max_length=50, blank=True)
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="members",
    )
    post = models.ForeignKey(
        Post, verbose_name=_("post"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="holders",
    )
    title = models.CharField(_("job title"), max_length=50, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    must_change_password = models.BooleanField(
        _("must change the password at the next login"), default=False,
        help_text=_("Set for a new account and after an administrator resets the password: the "
                    "password is a temporary one until its owner chooses their own."))
    password_changed_at = models.DateTimeField(_("password changed at"), null=True, blank=True,
                                               editable=False)

    class Meta:
        verbose_name = _("staff member")
        verbose_name_plural = _("staff")
        ordering = ["unit__order", "username"]

    def __str__(self) -> str:
        return self.full_name or self.username

    def save(self, *args, **kwargs):
        """A new password (``set_password``) is stamped and kept in the history, so expiry and
        "not one of the last N" can be checked (``office.passwords``)."""
        changed = self._password is not None
        if changed:
            self.password_changed_at = timezone.now()
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "password_changed_at"}
        super().save(*args, **kwargs)
        if changed and self.password:
            PasswordHistory.objects.create(user=self, password=self.password)

    def get_full_name(self) -> str:
        return self.full_name or super().get_full_name() or self.username

    def get_short_name(self) -> str:
        return self.get_full_name()

    def password_expired(self) -> bool:
        days = getattr(settings, "PASSWORD_MAX_AGE_DAYS", 0)
        if not days:
            return False
        since = self.password_changed_at or self.date_joined
        return since + dt.timedelta(days=days) <= timezone.now()


class PasswordHistory(models.Model):
    """The hashes of an account's previous passwords (never the passwords themselves)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("staff member"),
                             on_delete=models.CASCADE, related_name="password_history")
    password = models.CharField(_("password hash"), max_length=128)
    created_at = models.DateTimeField(_("set at"), default=timezone.now)

    class Meta:
        verbose_name = _("previous password")
        verbose_name_plural = _("previous passwords")
        ordering = ["-created_at", "-pk"]
        default_permissions = ()

    def __str__(self) -> str:
        return f"{self.user_id} {self.created_at:%Y-%m-%d}"


class RuleArea(models.TextChoices):
    DISCIPLINE = "discipline", _("Discipline")
    GOVERNMENT = "government", _("Government affairs")
    GENERAL = "general", _("General affairs")


class RuleKind(models.TextChoices):
    WORK_RULE = "work_rule", _("Work rule")
    POST_DUTY = "post_duty", _("Post duty")


class Rule(models.Model):
    """A rule (制度) with a history of versions. Its text lives in ``RuleVersion``."""

    code = models.CharField(_("code"), max_length=30, unique=True)
    area = models.CharField(_("area"), max_length=20, choices=RuleArea.choices)
    kind = models.CharField(_("kind"), max_length=20, choices=RuleKind.choices)
    title = models.CharField(_("title"), max_length=200)
    posts = models.ManyToManyField(
        Post, verbose_name=_("binding posts"), blank=True, related_name="rules",
        help_text=_("Holders of these posts must acknowledge the rule; none means everyone."),
    )
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("rule")
        verbose_name_plural = _("rules")
        ordering = ["area", "kind", "order", "code"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("office:rule_detail", args=[self.pk])


class RuleVersion(models.Model):
    """One version of a rule's text. Versions are never edited once another follows them."""

    rule = models.ForeignKey(Rule, verbose_name=_("rule"), on_delete=models.CASCADE,
                             related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))
    in_force_from = models.DateField(_("in force from"))
    in_force_until = models.DateField(_("in force until"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )

    class Meta:
        verbose_name = _("rule version")
        verbose_name_plural = _("rule versions")
        ordering = ["rule", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["rule", "number"], name="rule_version_unique_number"),
            models.CheckConstraint(
                condition=Q(in_force_until__isnull=True) | Q(in_force_until__gte=models.F("in_force_from")),
                name="rule_version_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} (v{self.number})"

    def is_in_force(self, on: dt.date) -> bool:
        return self.in_force_from <= on and (self.in_force_until is None or on <= self.in_force_until)


class RuleAcknowledgement(models.Model):
    version = models.ForeignKey(RuleVersion, verbose_name=_("rule version"),
                                on_delete=models.CASCADE, related_name="acknowledgements")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("staff member"),
                             on_delete=models.CASCADE, related_name="rule_acknowledgements")
    acknowledged_at = models.DateTimeField(_("acknowledged at"), default=timezone.now)

    class Meta:
        verbose_name = _("rule acknowledgement")
        verbose_name_plural = _("rule acknowledgements")
        constraints = [
            models.UniqueConstraint(fields=["version", "user"], name="rule_ack_once_per_version"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} · {self.version_id}"


class CalendarDay(models.Model):
    """An exception to the Monday-Friday week: a statutory holiday or a make-up workday."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("Holiday (day off)")
        WORKDAY = "workday", _("Make-up workday")

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=50)

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("working-day calendar")
        ordering = ["date"]
        constraints = [
            models.CheckConstraint(condition=Q(date__gte=dt.date(2000, 1, 1), date__lte=dt.date(2099, 12, 31)),
                                   name="calendar_day_supported_range",
                                   violation_error_message=_("Choose a date between 2000 and 2099.")),
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.name} ({self.get_kind_display()})"


class CalendarYear(models.Model):
    """A year the calendar covers: its holidays and make-up workdays are entered and were
    checked against the State Council's notice. Arithmetic in a year without this row runs on
    the plain Monday-Friday week and is flagged as provisional (``office.workdays``)."""

    class Source(models.TextChoices):
        SEED = "seed", _("Shipped with the system")
        PACKAGE = "package", _("Holiday data package, checked against the notice")
        MANUAL = "manual", _("Entered by hand from the notice")

    year = models.PositiveIntegerField(_("year"), unique=True)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices,
                              default=Source.MANUAL)
    note = models.CharField(_("notice"), max_length=200, blank=True,
                            help_text=_("The State Council notice it was checked against: its title or number, and "
                                        "the date it was issued."))
    loaded_at = models.DateTimeField(_("loaded at"), default=timezone.now)
    loaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("loaded by"), null=True,
                                  blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("loaded calendar year")
        verbose_name_plural = _("loaded calendar years")
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(condition=Q(year__gte=2000, year__lte=2099),
                                   name="calendar_year_supported_range",
                                   violation_error_message=_("Choose a year between 2000 and 2099.")),
        ]

    def __str__(self) -> str:
        return str(self.year)


class SingletonSettings:
    """Mixin for the one-row settings models admins edit (each keeps a pk=1 check constraint)."""

    @classmethod
    def load(cls):
        obj, _created = cls.objects.get_or_create(pk=1)
        return obj


class OfficeSettings(SingletonSettings, models.Model):
    """Settings admins edit: office hours and the same-day cutoff. One row (pk=1)."""

    work_starts = models.TimeField(_("office hours start"), default=dt.time(8, 30))
    work_ends = models.TimeField(_("office hours end"), default=dt.time(17, 30))
    same_day_cutoff = models.TimeField(
        _("same-day cutoff"), default=dt.time(16, 0),
        help_text=_("Documents received after this time are due at the end of the next working day."),
    )
    office_name = models.CharField(_("office name"), max_length=100, default="某县人民政府办公室")

    class Meta:
        verbose_name = _("office settings")
        verbose_name_plural = _("office settings")
        constraints = [
            models.CheckConstraint(condition=Q(pk=1), name="office_settings_singleton"),
            models.CheckConstraint(condition=Q(work_starts__lt=models.F("work_ends")),
                                   name="office_hours_ordered"),
        ]

    def __str__(self) -> str:
        return str(_("Office settings"))

    def clean(self) -> None:
        if self.work_starts and self.work_ends and self.work_starts >= self.work_ends:
            raise ValidationError(_("Office hours must end after they start."))
        if self.same_day_cutoff and self.work_ends and not (
            self.work_starts <= self.same_day_cutoff <= self.work_ends
        ):
            raise ValidationError(_("The same-day cutoff must fall within office hours."))



class TimelineEvent(models.Model):
    """Base of the workflow apps' history rows: who did what, from which status to which, with
    a note and data, when. One row per step, written in the step's transaction."""

    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True,
                              blank=True, on_delete=models.PROTECT, related_name="+")
    from_status = models.CharField(_("from"), max_length=20, blank=True)
    to_status = models.CharField(_("to"), max_length=20, blank=True)
    note = models.TextField(_("note"), blank=True)
    data = models.JSONField(_("data"), default=dict, blank=True)
    created_at = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        abstract = True
        ordering = ["created_at", "pk"]


class Counter(models.Model):
    """Yearly sequences (收文编号, 督办编号 ...). Use ``office.numbering.next_value``."""

    key = models.CharField(_("sequence"), max_length=40)
    year = models.PositiveIntegerField(_("year"))
    value = models.PositiveIntegerField(_("last value"), default=0)

    class Meta:
        verbose_name = _("number sequence")
        verbose_name_plural = _("number sequences")
        constraints = [models.UniqueConstraint(fields=["key", "year"], name="counter_unique_key_year")]

    def __str__(self) -> str:
        return f"{self.key} {self.year}: {self.value}"


class Notification(models.Model):
    """An in-app notification, optionally e-mailed. ``dedup_key`` is unique: the same reminder
    can never be stored (and so never be sent) twice."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recipient"),
                                  on_delete=models.CASCADE, related_name="notifications")
    dedup_key = models.CharField(_("deduplication key"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=40, default="info")
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("body"), blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    send_email = models.BooleanField(_("send e-mail"), default=True)
    email_claimed_at = models.DateTimeField(null=True, blank=True, editable=False)
    email_sent_at = models.DateTimeField(_("e-mail sent at"), null=True, blank=True)
    email_attempts = models.PositiveSmallIntegerField(_("e-mail attempts"), default=0)
    email_failed_at = models.DateTimeField(
        _("e-mail failed at"), null=True, blank=True,
        help_text=_("The e-mail can never be sent (or failed too often): it is not retried."))
    email_error = models.CharField(_("e-mail error"), max_length=300, blank=True)
    # one optional file sent with the e-mail (a meeting's .ics invitation ...); see office.notify
    attachment_name = models.CharField(_("attachment"), max_length=100, blank=True)
    attachment_type = models.CharField(_("attachment type"), max_length=100, blank=True)
    attachment_data = models.BinaryField(_("attachment data"), null=True, blank=True, editable=False)
    # what the notification means, rendered in the reader's language (office.notify.Msg):
    # {"msgid": "To read: %(title)s", "params": {"title": ...}}; empty for old rows (``title``)
    message = models.JSONField(_("message"), default=dict, blank=True)
    # the action it asks for ("doc:42:proposing"): when anyone does it, office.notify.resolve()
    # marks every notification of that task resolved, and it no longer counts as open
    task = models.CharField(_("task"), max_length=120, blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("resolved by"), null=True,
                                    blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="notif_recipient_recent"),
            models.Index(fields=["recipient"], condition=Q(read_at__isnull=True),
                         name="notif_unread"),
            models.Index(fields=["task"], condition=Q(resolved_at__isnull=True) & ~Q(task=""),
                         name="notif_open_task"),
            models.Index(fields=["created_at"],
                         condition=Q(send_email=True, email_sent_at__isnull=True),
                         name="notif_email_pending"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def display_title(self) -> str:
        """The title in the active language (the stored ``title`` for rows without a message)."""
        from office.notify import Msg

        msg = Msg.from_json(self.message)
        return msg.render() if msg is not None else self.title

    @property
    def is_open(self) -> bool:
        return self.read_at is None and self.resolved_at is None

    @property
    def audit_repr(self) -> str:
        return f"notification #{self.pk}"  # its title may be business content


class AuditEvent(models.Model):
    """Append-only audit record. A database trigger refuses UPDATE and DELETE (migration 0002)."""

    class Result(models.TextChoices):
        SUCCESS = "success", _("Success")
        FAILURE = "failure", _("Failure")

    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("user"), null=True,
                              blank=True, on_delete=models.PROTECT, related_name="+")
    actor_name = models.CharField(_("user name"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=60, db_index=True)
    result = models.CharField(_("result"), max_length=10, choices=Result.choices,
                              default=Result.SUCCESS)
    content_type = models.ForeignKey(ContentType, verbose_name=_("object type"), null=True,
                                     blank=True, on_delete=models.PROTECT, related_name="+")
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    ip_address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit trail")
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["content_type", "object_id", "at"], name="audit_object"),
            models.Index(fields=["actor", "at"], name="audit_actor"),
        ]
        default_permissions = ("view",)
        permissions = [("export_auditevent", _("Can export the audit trail"))]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.actor_name} {self.action}"


class Submission(models.Model):
    """A one-time form token that has been used (see ``office.once``). The key is unique, so a
    second request carrying the same token finds the first one's result instead of acting again."""

    key = models.CharField(_("token"), max_length=64, primary_key=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("user"), null=True,
                             on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(_("created at"), default=timezone.now, db_index=True)
    result_url = models.CharField(_("result"), max_length=300, blank=True)
    result_message = models.CharField(_("message"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("form submission")
        verbose_name_plural = _("form submissions")
        default_permissions = ()

    def __str__(self) -> str:
        return self.key
