"""Input validation for the supervision pages. Business rules live in ``workflow``."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from office import roles
from office.forms import DateInput, MultipleFileField, PersonChoiceField
from office.models import Unit, User
from supervision.models import Level, Priority, SourceKind, Status
from supervision.reports import FIGURES

ALLOWED_SUFFIXES = {".pdf", ".ofd", ".doc", ".docx", ".wps", ".xls", ".xlsx", ".jpg", ".jpeg",
                    ".png"}
MAX_UPLOAD_BYTES = 20 * 1024 * 1024


class FileField(MultipleFileField):
    """Attachments of progress reports: type and size checked here."""

    def clean(self, data, initial=None):
        cleaned = super().clean(data, initial)
        for f in cleaned:
            if Path(f.name).suffix.lower() not in ALLOWED_SUFFIXES:
                raise ValidationError(
                    _("“%(name)s”: only PDF, OFD, Word, WPS, Excel and image files are accepted."),
                    params={"name": f.name})
            if f.size > MAX_UPLOAD_BYTES:
                raise ValidationError(_("“%(name)s” is larger than 20 MB."), params={"name": f.name})
        return cleaned


def _people():
    return User.objects.filter(is_active=True).exclude(
        groups__name__in=roles.ADMIN_ROLES).select_related("unit").order_by("unit__kind", "unit__order", "username")


def _units():
    return Unit.objects.filter(is_active=True).exclude(kind=Unit.Kind.SUPERIOR)


class ItemForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    requirement = forms.CharField(label=_("Requirement"), widget=forms.Textarea(attrs={"rows": 4}))
    source_kind = forms.ChoiceField(label=_("Source"), choices=SourceKind.choices)
    instructing_leader = PersonChoiceField(
        label=_("Instructing leader"), required=False,
        queryset=User.objects.filter(is_active=True, groups__name__in=[
            roles.COUNTY_LEADER, roles.OFFICE_DIRECTOR]).distinct().select_related("unit"))
    lead_unit = forms.ModelChoiceField(label=_("Lead unit"), queryset=_units())
    co_units = forms.ModelMultipleChoiceField(label=_("Co-units"), queryset=_units(), required=False,
                                              widget=forms.SelectMultiple(attrs={"size": 5}))
    responsible = PersonChoiceField(label=_("Responsible person"), queryset=_people(),
                                    help_text=_("Exactly one named person of the lead unit."))
    supervisor = PersonChoiceField(label=_("Supervising officer"), queryset=_people(), required=False,
                                   help_text=_("Default: you."))
    deadline = forms.DateField(label=_("Deadline"), required=False, widget=DateInput())
    working_days = forms.IntegerField(label=_("or working days from today"), required=False,
                                      min_value=1, max_value=365)
    priority = forms.ChoiceField(label=_("Priority"), choices=Priority.choices, initial=Priority.NORMAL)
    milestones = forms.CharField(
        label=_("Milestones"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Optional, one per line: 2026-12-15 first report"))
    assign_now = forms.BooleanField(label=_("Assign now (notify the responsible person)"),
                                    required=False, initial=True)

    def clean_milestones(self):
        rows = []
        for n, line in enumerate(self.cleaned_data["milestones"].splitlines(), 1):
            line = line.strip()
            if not line:
                continue
            date_text, _sep, title = line.partition(" ")
            try:
                due = dt.date.fromisoformat(date_text)
            except ValueError:
                raise ValidationError(_("Line %(n)d: start with a date like 2026-12-15."),
                                      params={"n": n}) from None
            if not title.strip():
                raise ValidationError(_("Line %(n)d: the milestone needs a title."), params={"n": n})
            rows.append((title.strip(), due))
        return rows

    def clean(self):
        data = super().clean()
        if not data.get("deadline") and not data.get("working_days"):
            self.add_error("deadline", _("Give a deadline or a number of working days."))
        if data.get("deadline") and data["deadline"] < timezone.localdate():
            self.add_error("deadline", _("The deadline cannot be in the past."))
        responsible, lead_unit = data.get("responsible"), data.get("lead_unit")
        if responsible and lead_unit and responsible.unit_id != lead_unit.pk:
            self.add_error("responsible", _("The responsible person must belong to the lead unit."))
        if responsible and data.get("supervisor") and responsible.pk == data["supervisor"].pk:
            self.add_error("supervisor",
                           _("The responsible person cannot be the supervising officer of the same item."))
        return data


class TextForm(forms.Form):
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 3}))


class ProgressForm(forms.Form):
    text = forms.CharField(label=_("Progress"), widget=forms.Textarea(attrs={"rows": 3}))
    progress_on = forms.DateField(label=_("Date"), widget=DateInput(), required=False)
    files = FileField(label=_("Attachments"))

    def clean_progress_on(self):
        value = self.cleaned_data.get("progress_on")
        if value and value > timezone.localdate():
            raise ValidationError(_("Progress cannot be reported for a future date."))
        return value


class ResultForm(forms.Form):
    result = forms.CharField(label=_("Result"), widget=forms.Textarea(attrs={"rows": 4}))
    files = FileField(label=_("Attachments"))


class ExtensionForm(forms.Form):
    new_deadline = forms.DateField(label=_("New deadline"), widget=DateInput())
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class DecisionForm(forms.Form):
    approve = forms.TypedChoiceField(label=_("Decision"), coerce=lambda v: v == "yes",
                                     choices=[("yes", _("Approve")), ("no", _("Refuse"))],
                                     widget=forms.RadioSelect)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ReassignForm(forms.Form):
    lead_unit = forms.ModelChoiceField(label=_("Lead unit"), queryset=_units())
    responsible = PersonChoiceField(label=_("Responsible person"), queryset=_people())
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def clean(self):
        data = super().clean()
        if data.get("responsible") and data.get("lead_unit") and \
                data["responsible"].unit_id != data["lead_unit"].pk:
            self.add_error("responsible", _("The responsible person must belong to the lead unit."))
        return data


class FilterForm(forms.Form):
    scope = forms.ChoiceField(required=False, choices=[
        ("mine", _("My items")), ("unit", _("My unit's items")),
        ("instructed", _("Items I instructed")), ("all", _("All items"))])
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("All statuses")), *Status.choices])
    source = forms.ChoiceField(label=_("Source"), required=False,
                               choices=[("", _("All sources")), *SourceKind.choices])
    unit = forms.ModelChoiceField(label=_("Lead unit"), required=False, queryset=_units(),
                                  empty_label=_("All units"))
    level = forms.ChoiceField(label=_("Overdue"), required=False, choices=[
        ("", _("Any")), ("overdue", _("Overdue")), (Level.YELLOW, _("Yellow")),
        (Level.ORANGE, _("Orange")), (Level.RED, _("Red"))])
    deadline_from = forms.DateField(label=_("Deadline from"), required=False, widget=DateInput())
    deadline_to = forms.DateField(label=_("to"), required=False, widget=DateInput())
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    # the items behind one figure of the 督查通报 (links from the report)
    figure = forms.ChoiceField(required=False, choices=[("", "—")] + [(f, f) for f in FIGURES])
    period = forms.ChoiceField(required=False, choices=[("week", _("Week")), ("month", _("Month"))])
    anchor = forms.DateField(required=False)

    def clean_anchor(self):
        value = self.cleaned_data.get("anchor")
        if value and not dt.date(2000, 1, 1) <= value <= dt.date(2099, 12, 31):
            raise ValidationError(_("Choose a date between 2000 and 2099."))
        return value


class ReportForm(forms.Form):
    kind = forms.ChoiceField(label=_("Period"), choices=[("week", _("Week")), ("month", _("Month"))],
                             initial="week")
    date = forms.DateField(label=_("Containing"), required=False, widget=DateInput())

    def clean_date(self):
        value = self.cleaned_data.get("date")
        if value and not dt.date(2000, 1, 1) <= value <= dt.date(2099, 12, 31):
            raise ValidationError(_("Choose a date between 2000 and 2099."))
        return value
