"""Study day (学习日): Friday study sessions with their attendance (sign-in), and each person's
study notes (private, or shared with their section)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Session(models.Model):
    """A collective study session. ``section`` empty: the whole office studies together."""

    date = models.DateField(_("date"))
    starts_at = models.TimeField(_("starts at"), default="15:00")
    topic = models.CharField(_("study topic"), max_length=200)
    materials = models.TextField(_("materials"), blank=True,
                                 help_text=_("What is studied: documents, speeches, chapters; one a line."))
    section = models.ForeignKey("office.Unit", verbose_name=_("section"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+",
                                help_text=_("Empty: the whole office."))
    organiser = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("organiser"),
                                  on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("study session")
        verbose_name_plural = _("study sessions")
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.topic}"

    def get_absolute_url(self) -> str:
        return reverse("study:session", args=[self.pk])


class Attendance(models.Model):
    """One expected participant of a session: signed in, on leave (with the reason) or absent."""

    session = models.ForeignKey(Session, verbose_name=_("study session"), on_delete=models.CASCADE,
                                related_name="attendances")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("staff member"),
                             on_delete=models.PROTECT, related_name="study_attendances")
    signed_in_at = models.DateTimeField(_("signed in at"), null=True, blank=True)
    leave_reason = models.CharField(_("leave"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        ordering = ["session", "user__unit__order", "user__username"]
        constraints = [models.UniqueConstraint(fields=["session", "user"], name="study_attendance_once")]

    def __str__(self) -> str:
        return f"{self.session} · {self.user}"

    @property
    def present(self) -> bool:
        return self.signed_in_at is not None


class Note(models.Model):
    class Visibility(models.TextChoices):
        PRIVATE = "private", _("Private")
        SECTION = "section", _("Shared with my section")

    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.PROTECT,
                               related_name="study_notes")
    session = models.ForeignKey(Session, verbose_name=_("study session"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="notes")
    written_on = models.DateField(_("date"), default=timezone.localdate)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("note"))
    visibility = models.CharField(_("visibility"), max_length=10, choices=Visibility.choices,
                                  default=Visibility.PRIVATE)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("study note")
        verbose_name_plural = _("study notes")
        ordering = ["-written_on", "-pk"]
        indexes = [models.Index(fields=["written_on", "author"], name="study_note_month")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("study:note", args=[self.pk])


def present_q() -> Q:
    return Q(signed_in_at__isnull=False)
