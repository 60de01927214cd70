"""Demo assessment scheme for the current year: default weights and four grade bands."""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone

from office.assessment.models import GradeBand, Scheme

BANDS = [("优秀", Decimal("90")), ("称职", Decimal("70")), ("基本称职", Decimal("60")), ("不称职", Decimal("0"))]


def load() -> None:
    scheme, created = Scheme.objects.get_or_create(year=timezone.localdate().year)
    if created:
        GradeBand.objects.bulk_create([GradeBand(scheme=scheme, name=n, min_score=m) for n, m in BANDS])
