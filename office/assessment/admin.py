"""What admins edit for the assessment: each year's weights and grade bands. The figures are
computed from the records and never edited here."""

from django.contrib import admin

from office.assessment.models import GradeBand, Scheme


class GradeBandInline(admin.TabularInline):
    model = GradeBand
    extra = 0


@admin.register(Scheme)
class SchemeAdmin(admin.ModelAdmin):
    list_display = ("year", "documents_weight", "drafting_weight", "supervision_weight", "information_weight",
                    "study_weight", "rules_weight")
    inlines = [GradeBandInline]
