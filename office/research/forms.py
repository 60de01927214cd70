from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from office import roles
from office.forms import DateInput, PeopleChoiceField, PersonChoiceField, validate_single_line
from office.models import User
from office.research import selectors
from office.research.models import Report, Task


def _staff():
    return (
        User.objects.filter(is_active=True, is_superuser=False, groups__name__in=[roles.SECRETARY, roles.SECTION_CHIEF])
        .exclude(groups__name__in=roles.ADMIN_ROLES)
        .select_related("unit")
        .distinct()
        .order_by("unit__order", "pk")
    )


def _leaders():
    return (
        User.objects.filter(is_active=True, groups__name__in=[roles.COUNTY_LEADER, roles.OFFICE_DIRECTOR])
        .exclude(groups__name__in=roles.ADMIN_ROLES)
        .select_related("unit")
        .distinct()
        .order_by("unit__order", "pk")
    )


class TaskForm(forms.Form):
    topic = forms.CharField(label=_("Research topic"), max_length=200, validators=[validate_single_line])
    method = forms.ChoiceField(label=_("Method"), choices=Task.Method.choices)
    leader = PersonChoiceField(label=_("Leader"), queryset=User.objects.none(), required=False)
    lead = PersonChoiceField(label=_("Team lead"), queryset=User.objects.none())
    team = PeopleChoiceField(label=_("Team"), queryset=User.objects.none(), required=False)
    due = forms.DateField(
        label=_("Report due"), widget=DateInput(), help_text=_("A day off moves it to the next working day.")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["leader"].queryset = _leaders()
        self.fields["lead"].queryset = self.fields["team"].queryset = _staff()


class ReportForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200, validators=[validate_single_line])
    body = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 12}))


class IssueForm(forms.Form):
    special = forms.BooleanField(label=_("Special issue (专版)"), required=False)
    special_title = forms.CharField(
        label=_("Special issue title"), max_length=100, required=False, validators=[validate_single_line]
    )


class ArticlesForm(forms.Form):
    reports = forms.ModelMultipleChoiceField(
        label=_("Reports"), queryset=Report.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reports"].queryset = selectors.selectable_reports()
        self.fields["reports"].label_from_instance = lambda r: f"{r.title}（{r.author.get_full_name()}）"
