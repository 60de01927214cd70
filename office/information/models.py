"""Government information (政务信息): items written by secretaries, reviewed by the information
section, sent to outlets and adopted (采用) there; the scoring rules and quotas admins edit; the
frozen results of a closed quarter. Steps live in ``workflow.py``, reads in ``selectors.py``, the
arithmetic of a quarter in ``scoring.py``."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from office.models import SingletonSettings, TimelineEvent


class Level(models.IntegerChoices):
    """The level of an outlet (and of an adoption): ordered, so "city or above" is ``>= CITY``."""

    COUNTY = 1, _("County")
    CITY = 2, _("City")
    PROVINCE = 3, _("Province")
    NATIONAL = 4, _("National")


class InformationSettings(SingletonSettings, models.Model):
    section = models.ForeignKey(
        "office.Unit", verbose_name=_("information section"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
        help_text=_("Its members review the items (信息科)."))

    class Meta:
        verbose_name = _("information settings")
        verbose_name_plural = _("information settings")
        constraints = [models.CheckConstraint(condition=Q(pk=1), name="information_settings_singleton")]

    def __str__(self) -> str:
        return str(_("Information settings"))


class Category(models.Model):
    name = models.CharField(_("name"), max_length=40, unique=True)
    order = models.PositiveIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("information category")
        verbose_name_plural = _("information categories")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class Outlet(models.Model):
    """Where information is sent and may be adopted: a city's 信息专报, the province's 政务信息, ..."""

    class Kind(models.TextChoices):
        BULLETIN = "bulletin", _("Information bulletin")
        SPECIAL = "special", _("Special report for leaders")
        WEBSITE = "website", _("Government website")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=100, unique=True)
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.BULLETIN)
    order = models.PositiveIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("outlet")
        verbose_name_plural = _("outlets")
        ordering = ["-level", "order", "name"]

    def __str__(self) -> str:
        return self.name


class Item(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("In review")
        RETURNED = "returned", _("Returned")
        APPROVED = "approved", _("Approved")
        SENT = "sent", _("Sent")

    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))
    category = models.ForeignKey(Category, verbose_name=_("category"), on_delete=models.PROTECT,
                                 related_name="items")
    source = models.CharField(_("source of the facts"), max_length=300,
                              help_text=_("Where the facts come from: a unit's report, a meeting, a visit, ..."))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("author"),
                               on_delete=models.PROTECT, related_name="information_items")
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    return_reason = models.TextField(_("reason for return"), blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("reviewed by"), null=True,
                                    blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("information item")
        verbose_name_plural = _("information items")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["author", "status"], name="information_item_author")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("information:detail", args=[self.pk])


class ItemEvent(TimelineEvent):
    item = models.ForeignKey(Item, verbose_name=_("information item"), on_delete=models.CASCADE,
                             related_name="events")
    action = models.CharField(_("action"), max_length=30)

    class Meta(TimelineEvent.Meta):
        verbose_name = _("information item event")
        verbose_name_plural = _("information item events")


class Dispatch(models.Model):
    """An item sent to an outlet (报送)."""

    item = models.ForeignKey(Item, verbose_name=_("information item"), on_delete=models.CASCADE,
                             related_name="dispatches")
    outlet = models.ForeignKey(Outlet, verbose_name=_("outlet"), on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("sent by"),
                                on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("dispatch")
        verbose_name_plural = _("dispatches")
        ordering = ["sent_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["item", "outlet"], name="information_dispatch_once")]

    def __str__(self) -> str:
        return f"{self.item} → {self.outlet}"


class Adoption(models.Model):
    """An item adopted (采用) by an outlet. A withdrawn adoption is kept with its reason and counts
    for nothing."""

    class Form(models.TextChoices):
        FULL = "full", _("Full text (全文)")
        SUMMARY = "summary", _("Summary (摘要)")
        COMBINED = "combined", _("Combined (综合)")

    item = models.ForeignKey(Item, verbose_name=_("information item"), on_delete=models.PROTECT,
                             related_name="adoptions")
    outlet = models.ForeignKey(Outlet, verbose_name=_("outlet"), on_delete=models.PROTECT, related_name="+")
    adopted_on = models.DateField(_("adopted on"))
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices)
    form = models.CharField(_("form"), max_length=10, choices=Form.choices, default=Form.FULL)
    leader_comment = models.TextField(_("leader's comment (批示)"), blank=True)
    comment_by = models.CharField(_("comment by"), max_length=100, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"),
                                    on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("withdrawn by"), null=True,
                                     blank=True, on_delete=models.PROTECT, related_name="+")
    withdrawal_reason = models.TextField(_("reason for withdrawal"), blank=True)

    class Meta:
        verbose_name = _("adoption")
        verbose_name_plural = _("adoptions")
        ordering = ["adopted_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["item", "outlet"], condition=Q(withdrawn_at__isnull=True),
                                    name="information_adoption_once_per_outlet"),
        ]
        indexes = [models.Index(fields=["adopted_on"], condition=Q(withdrawn_at__isnull=True),
                                name="information_adoption_live")]

    def __str__(self) -> str:
        return f"{self.item} · {self.outlet}"


class ScoringRule(models.Model):
    """Points for an adoption, in force from ``effective_from`` until the next rule starts. An
    adoption is scored by the rule in force on the day it was adopted; the reward and penalty of
    a quarter by the rule in force on the quarter's last day."""

    name = models.CharField(_("name"), max_length=100)
    effective_from = models.DateField(_("effective from"), unique=True)
    county_points = models.DecimalField(_("points, county level"), max_digits=6, decimal_places=2, default=Decimal("1"))
    city_points = models.DecimalField(_("points, city level"), max_digits=6, decimal_places=2, default=Decimal("3"))
    province_points = models.DecimalField(_("points, province level"), max_digits=6, decimal_places=2,
                                          default=Decimal("6"))
    national_points = models.DecimalField(_("points, national level"), max_digits=6, decimal_places=2,
                                          default=Decimal("10"))
    summary_percent = models.PositiveSmallIntegerField(_("summary (摘要), % of the points"), default=50)
    combined_percent = models.PositiveSmallIntegerField(_("combined (综合), % of the points"), default=30)
    comment_bonus = models.DecimalField(_("bonus for a leader's comment"), max_digits=6, decimal_places=2,
                                        default=Decimal("5"))
    reward_per_item = models.DecimalField(
        _("reward per item above the quota (yuan)"), max_digits=8, decimal_places=2, default=Decimal("100"))
    penalty_per_item = models.DecimalField(
        _("penalty per item below the quota (yuan)"), max_digits=8, decimal_places=2, default=Decimal("50"))

    class Meta:
        verbose_name = _("scoring rule")
        verbose_name_plural = _("scoring rules")
        ordering = ["-effective_from"]

    def __str__(self) -> str:
        return f"{self.name} ({self.effective_from:%Y-%m-%d})"

    def level_points(self, level: int) -> Decimal:
        return {Level.COUNTY: self.county_points, Level.CITY: self.city_points,
                Level.PROVINCE: self.province_points, Level.NATIONAL: self.national_points}[level]


class OutletPoints(models.Model):
    """An outlet whose adoptions count differently from its level's points under a rule."""

    rule = models.ForeignKey(ScoringRule, verbose_name=_("scoring rule"), on_delete=models.CASCADE,
                             related_name="outlet_points")
    outlet = models.ForeignKey(Outlet, verbose_name=_("outlet"), on_delete=models.CASCADE, related_name="+")
    points = models.DecimalField(_("points"), max_digits=6, decimal_places=2)

    class Meta:
        verbose_name = _("points of an outlet")
        verbose_name_plural = _("points of outlets")
        constraints = [models.UniqueConstraint(fields=["rule", "outlet"], name="information_outlet_points_once")]

    def __str__(self) -> str:
        return f"{self.outlet}: {self.points}"


class Quota(models.Model):
    """At least ``minimum`` items adopted at ``level`` or above per quarter. A quota for a person
    overrides the default (no person). A quarter uses the quota in force on its last day."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("secretary"), null=True, blank=True,
                             on_delete=models.CASCADE, related_name="+",
                             help_text=_("Empty: the default for every secretary."))
    effective_from = models.DateField(_("effective from"))
    minimum = models.PositiveSmallIntegerField(_("items per quarter"), default=2)
    level = models.PositiveSmallIntegerField(_("adopted at this level or above"), choices=Level.choices,
                                             default=Level.CITY)

    class Meta:
        verbose_name = _("quarterly quota")
        verbose_name_plural = _("quarterly quotas")
        ordering = ["-effective_from", "user"]
        constraints = [
            models.UniqueConstraint(fields=["user", "effective_from"], name="information_quota_once",
                                    nulls_distinct=False),
        ]

    def __str__(self) -> str:
        who = self.user.get_full_name() if self.user_id else _("every secretary")
        return f"{who}: {self.minimum} ({self.effective_from:%Y-%m-%d})"


class ClosedQuarter(models.Model):
    year = models.PositiveIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"))
    closed_at = models.DateTimeField(_("closed at"), default=timezone.now)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("closed by"),
                                  on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("closed quarter")
        verbose_name_plural = _("closed quarters")
        constraints = [
            models.UniqueConstraint(fields=["year", "quarter"], name="information_quarter_closed_once"),
            models.CheckConstraint(condition=Q(quarter__gte=1, quarter__lte=4), name="information_quarter_range"),
        ]

    def __str__(self) -> str:
        return f"{self.year} Q{self.quarter}"


class QuarterResult(models.Model):
    """One secretary's result in a closed quarter, frozen when the quarter was closed: later
    withdrawals and rule changes never rewrite it."""

    closed = models.ForeignKey(ClosedQuarter, verbose_name=_("closed quarter"), on_delete=models.CASCADE,
                               related_name="results")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("secretary"),
                             on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=50)
    unit_name = models.CharField(_("unit"), max_length=100, blank=True)
    county = models.PositiveIntegerField(_("county"), default=0)
    city = models.PositiveIntegerField(_("city"), default=0)
    province = models.PositiveIntegerField(_("province"), default=0)
    national = models.PositiveIntegerField(_("national"), default=0)
    comments = models.PositiveIntegerField(_("leader's comments"), default=0)
    points = models.DecimalField(_("points"), max_digits=8, decimal_places=2)
    quota = models.PositiveSmallIntegerField(_("quota"))
    quota_level = models.PositiveSmallIntegerField(_("quota level"), choices=Level.choices)
    counted = models.PositiveIntegerField(_("counted toward the quota"))
    reward = models.DecimalField(_("reward"), max_digits=8, decimal_places=2)
    penalty = models.DecimalField(_("penalty"), max_digits=8, decimal_places=2)
    rank = models.PositiveIntegerField(_("rank"))

    class Meta:
        verbose_name = _("quarter result")
        verbose_name_plural = _("quarter results")
        ordering = ["rank", "name"]
        constraints = [models.UniqueConstraint(fields=["closed", "user"], name="information_result_once")]

    def __str__(self) -> str:
        return f"{self.closed} · {self.name}"


def quarter_of(day: dt.date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def quarter_span(year: int, quarter: int) -> tuple[dt.date, dt.date]:
    start = dt.date(year, 3 * (quarter - 1) + 1, 1)
    end = (dt.date(year + 1, 1, 1) if quarter == 4 else dt.date(year, 3 * quarter + 1, 1)) - dt.timedelta(days=1)
    return start, end
