"""Input validation for the supervision pages. Business rules live in ``workflow``."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from office import dates, roles
from office.dates import Bound
from office.forms import (
    BoundedDateField,
    MultipleFileField,
    PersonChoiceField,
    UnitChoiceField,
    UnitsChoiceField,
    validate_single_line,
)
from office.models import Unit, User
from supervision.models import Level, Priority, SourceKind, Status
from supervision.reports import FIGURES
from supervision.workflow import ATTACHMENTS


class FileField(MultipleFileField):
    """Attachments of progress reports: content, type and sizes checked by the workflow's rule."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("policy", ATTACHMENTS)
        super().__init__(*args, **kwargs)


def _people():
    return User.objects.filter(is_active=True).exclude(
        groups__name__in=roles.ADMIN_ROLES).select_related("unit").order_by("unit__kind", "unit__order", "username")


def _units():
    return Unit.objects.filter(is_active=True).exclude(kind=Unit.Kind.SUPERIOR)


class ItemForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200, validators=[validate_single_line])
    requirement = forms.CharField(label=_("Requirement"), widget=forms.Textarea(attrs={"rows": 4}))
    source_kind = forms.ChoiceField(label=_("Source"), choices=SourceKind.choices)
    instructing_leader = PersonChoiceField(
        label=_("Instructing leader"), required=False,
        queryset=User.objects.filter(is_active=True, groups__name__in=[
            roles.COUNTY_LEADER, roles.OFFICE_DIRECTOR]).distinct().select_related("unit"))
    lead_unit = UnitChoiceField(label=_("Lead unit"), queryset=_units())
    co_units = UnitsChoiceField(label=_("Co-units"), queryset=_units(), required=False)
    responsible = PersonChoiceField(label=_("Responsible person"), queryset=_people(), narrow_by="lead_unit",
                                    help_text=_("Exactly one named person of the lead unit."))
    supervisor = PersonChoiceField(label=_("Supervising officer"), queryset=_people(), required=False,
                                   help_text=_("Default: you."))
    deadline = BoundedDateField(label=_("Deadline"), required=False, bound=Bound.DEADLINE,
                                help_text=_("A deadline on a day off ends on the next working day."))
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
            dates.clean(due, Bound.DEADLINE, prefix=_("Line %(n)d: ") % {"n": n})
            rows.append((title.strip(), due))
        return rows

    def clean(self):
        data = super().clean()
        if not data.get("deadline") and not data.get("working_days"):
            self.add_error("deadline", _("Give a deadline or a number of working days."))
        responsible, lead_unit = data.get("responsible"), data.get("lead_unit")
        if responsible and lead_unit and responsible.unit_id != lead_unit.pk:
            self.add_error("responsible", _("The responsible person must belong to the lead unit."))
        if responsible and data.get("supervisor") and responsible.pk == data["supervisor"].pk:
            self.add_error("supervisor",
                           _("The responsible person cannot be the supervising officer of the same item."))
        return data


class TextForm(forms.Form):
    text = forms.CharField(label=_("Content"), widget=forms.Textarea(attrs={"rows": 3}))


class DisputeForm(forms.Form):
    text = forms.CharField(label=_("Why the assignment is disputed"), widget=forms.Textarea(attrs={"rows": 3}))


class ReturnForm(forms.Form):
    text = forms.CharField(label=_("Why the result is returned"), widget=forms.Textarea(attrs={"rows": 3}))


class ChaseForm(forms.Form):
    text = forms.CharField(label=_("What the chase asks for"), widget=forms.Textarea(attrs={"rows": 3}))


class CommentForm(forms.Form):
    text = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}))


class AcceptForm(forms.Form):
    note = forms.CharField(label=_("Verification opinion (核实意见)"), required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))


class ProgressForm(forms.Form):
    text = forms.CharField(label=_("Progress"), widget=forms.Textarea(attrs={"rows": 3}))
    progress_on = BoundedDateField(label=_("Date"), required=False, bound=Bound.PAST_DATE)
    files = FileField(label=_("Attachments"))


class ResultForm(forms.Form):
    result = forms.CharField(label=_("Result"), widget=forms.Textarea(attrs={"rows": 4}))
    files = FileField(label=_("Attachments"))


class ExtensionForm(forms.Form):
    new_deadline = BoundedDateField(label=_("New deadline"), bound=Bound.DEADLINE,
                                    help_text=_("A deadline on a day off ends on the next working "
                                                "day."))
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class DecisionForm(forms.Form):
    approve = forms.TypedChoiceField(label=_("Decision"), coerce=lambda v: v == "yes",
                                     choices=[("yes", _("Approve")), ("no", _("Refuse"))],
                                     widget=forms.RadioSelect)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ReassignForm(forms.Form):
    lead_unit = UnitChoiceField(label=_("Lead unit"), queryset=_units())
    responsible = PersonChoiceField(label=_("Responsible person"), queryset=_people(), narrow_by="lead_unit")
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
    unit = UnitChoiceField(label=_("Lead unit"), required=False, which="county", empty_label=_("All units"))
    level = forms.ChoiceField(label=_("Overdue"), required=False, choices=[
        ("", _("Any")), ("overdue", _("Overdue")), (Level.YELLOW, _("Yellow")),
        (Level.ORANGE, _("Orange")), (Level.RED, _("Red"))])
    deadline_from = BoundedDateField(label=_("Deadline from"), required=False, bound=Bound.SUPPORTED)
    deadline_to = BoundedDateField(label=_("to"), required=False, bound=Bound.SUPPORTED)
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    state = forms.ChoiceField(required=False, choices=[("", _("Any")), ("open", pgettext_lazy("status", "Open"))])
    # the items behind one figure of the 督查通报 (links from the report)
    figure = forms.ChoiceField(required=False, choices=[("", "—")] + [(f, f) for f in FIGURES])
    period = forms.ChoiceField(required=False, choices=[("week", _("Week")), ("month", _("Month"))])
    anchor = BoundedDateField(required=False, bound=Bound.SUPPORTED)


class ReportForm(forms.Form):
    kind = forms.ChoiceField(label=_("Period"), choices=[("week", _("Week")), ("month", _("Month"))],
                             initial="week")
    date = BoundedDateField(label=_("Containing"), required=False, bound=Bound.SUPPORTED)
