"""The year-end assessment's admin data: the weights of each part and the grade bands, per year.
The figures themselves are never stored or typed: they are computed from the records
(``office.assessment.figures``)."""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Scheme(models.Model):
    year = models.PositiveIntegerField(_("year"), unique=True)
    documents_weight = models.PositiveSmallIntegerField(_("weight: documents cleared the same day"), default=25)
    drafting_weight = models.PositiveSmallIntegerField(_("weight: drafts without review findings"), default=20)
    supervision_weight = models.PositiveSmallIntegerField(_("weight: supervision items on time"), default=20)
    information_weight = models.PositiveSmallIntegerField(_("weight: information quotas met"), default=15)
    study_weight = models.PositiveSmallIntegerField(_("weight: study (attendance and notes)"), default=10)
    rules_weight = models.PositiveSmallIntegerField(_("weight: rules acknowledged"), default=10)

    class Meta:
        verbose_name = _("assessment scheme")
        verbose_name_plural = _("assessment schemes")
        ordering = ["-year"]
        constraints = [models.CheckConstraint(condition=Q(year__gte=2000, year__lte=2099),
                                              name="assessment_scheme_year_range")]

    def __str__(self) -> str:
        return f"{self.year}"

    def weights(self) -> dict[str, int]:
        return {"documents": self.documents_weight, "drafting": self.drafting_weight,
                "supervision": self.supervision_weight, "information": self.information_weight,
                "study": self.study_weight, "rules": self.rules_weight}


class GradeBand(models.Model):
    """A grade (优秀, 称职, 基本称职, 不称职) from a minimum score."""

    scheme = models.ForeignKey(Scheme, verbose_name=_("assessment scheme"), on_delete=models.CASCADE,
                               related_name="bands")
    name = models.CharField(_("grade"), max_length=20)
    min_score = models.DecimalField(_("minimum score"), max_digits=5, decimal_places=2, default=Decimal("0"))

    class Meta:
        verbose_name = _("grade band")
        verbose_name_plural = _("grade bands")
        ordering = ["scheme", "-min_score"]
        constraints = [models.UniqueConstraint(fields=["scheme", "name"], name="assessment_band_once")]

    def __str__(self) -> str:
        return f"{self.name} ≥ {self.min_score}"
