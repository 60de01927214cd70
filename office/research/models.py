"""Research (调研) and the internal bulletin 《某县政讯》: research tasks that end in a report,
reports selected into numbered bulletin issues (第N期 per year; 专版), each issue sent to the
leaders with a read receipt."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Task(models.Model):
    class Method(models.TextChoices):
        WITH_LEADER = "with_leader", _("With the leader")
        FIELD = "field", _("In the field")
        PHONE = "phone", _("By phone")
        QUESTIONNAIRE = "questionnaire", _("By questionnaire")

    topic = models.CharField(_("research topic"), max_length=200)
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("leader"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The leader who asked for it or goes with the team."),
    )
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("team lead"), on_delete=models.PROTECT, related_name="research_leads"
    )
    team = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("team"), blank=True, related_name="research_tasks"
    )
    method = models.CharField(_("method"), max_length=20, choices=Method.choices)
    due = models.DateField(_("report due"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("research task")
        verbose_name_plural = _("research tasks")
        ordering = ["due", "pk"]

    def __str__(self) -> str:
        return self.topic

    def get_absolute_url(self) -> str:
        return reverse("research:task", args=[self.pk])


class Report(models.Model):
    """The report a task ends in (one per task)."""

    task = models.OneToOneField(Task, verbose_name=_("research task"), on_delete=models.PROTECT, related_name="report")
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)

    class Meta:
        verbose_name = _("research report")
        verbose_name_plural = _("research reports")
        ordering = ["-submitted_at", "-pk"]

    def __str__(self) -> str:
        return self.title


class Issue(models.Model):
    """An issue of the bulletin. Numbered (第N期 of its year, gap-free) when it is published."""

    year = models.PositiveIntegerField(_("year"))
    number = models.PositiveIntegerField(_("number"), null=True, blank=True)
    special = models.BooleanField(_("special issue (专版)"), default=False)
    special_title = models.CharField(_("special issue title"), max_length=100, blank=True)
    editor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("editor"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    class Meta:
        verbose_name = _("bulletin issue")
        verbose_name_plural = _("bulletin issues")
        ordering = ["-year", "-number", "-pk"]
        constraints = [models.UniqueConstraint(fields=["year", "number"], name="research_issue_number_once")]

    def __str__(self) -> str:
        return f"《某县政讯》{self.label}"

    def get_absolute_url(self) -> str:
        return reverse("research:issue", args=[self.pk])

    @property
    def label(self) -> str:
        number = f"{self.year}年第{self.number}期" if self.number else f"{self.year}年（未编号）"
        return f"{number}（专版）" if self.special else number


class Article(models.Model):
    issue = models.ForeignKey(
        Issue, verbose_name=_("bulletin issue"), on_delete=models.CASCADE, related_name="articles"
    )
    report = models.ForeignKey(
        Report, verbose_name=_("research report"), on_delete=models.PROTECT, related_name="articles"
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        ordering = ["issue", "position", "pk"]
        constraints = [models.UniqueConstraint(fields=["issue", "report"], name="research_article_once")]

    def __str__(self) -> str:
        return f"{self.issue} · {self.report}"


class Receipt(models.Model):
    """A leader's copy of a published issue: read when they first open it."""

    issue = models.ForeignKey(
        Issue, verbose_name=_("bulletin issue"), on_delete=models.CASCADE, related_name="receipts"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reader"), on_delete=models.PROTECT, related_name="+"
    )
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("read receipt")
        verbose_name_plural = _("read receipts")
        ordering = ["issue", "pk"]
        constraints = [models.UniqueConstraint(fields=["issue", "user"], name="research_receipt_once")]

    def __str__(self) -> str:
        return f"{self.issue} · {self.user}"


def open_q() -> Q:
    return Q(report__isnull=True)
