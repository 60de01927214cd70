from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from office.forms import DateInput, PersonChoiceField, validate_single_line
from office.models import Unit, User
from office.study import permissions
from office.study.models import Note, Session


class SessionForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DateInput())
    starts_at = forms.TimeField(label=_("Starts at"), initial=dt.time(15, 0),
                                widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    topic = forms.CharField(label=_("Study topic"), max_length=200, validators=[validate_single_line])
    materials = forms.CharField(label=_("Materials"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
                                help_text=_("What is studied: documents, speeches, chapters; one a line."))
    section = forms.ModelChoiceField(label=_("Section"), required=False, queryset=Unit.objects.none(),
                                     empty_label=_("The whole office"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        sections = Unit.objects.filter(kind=Unit.Kind.SECTION, is_active=True)
        if not permissions.is_director(user):
            sections = sections.filter(pk=user.unit_id)
            self.fields["section"].required = True
            self.fields["section"].empty_label = None
        self.fields["section"].queryset = sections


class AttendanceForm(forms.Form):
    present = forms.ModelMultipleChoiceField(label=_("Present"), queryset=User.objects.none(), required=False,
                                             widget=forms.CheckboxSelectMultiple)
    leave_user = PersonChoiceField(label=_("On leave"), queryset=User.objects.none(), required=False)
    leave_reason = forms.CharField(label=_("Reason for the leave"), max_length=200, required=False)

    def __init__(self, *args, session: Session, **kwargs):
        super().__init__(*args, **kwargs)
        people = User.objects.filter(study_attendances__session=session).select_related("unit").order_by("username")
        self.fields["present"].queryset = people
        self.fields["present"].label_from_instance = lambda u: u.get_full_name()
        self.fields["leave_user"].queryset = people
        self.fields["present"].initial = list(
            people.filter(study_attendances__session=session, study_attendances__signed_in_at__isnull=False))

    def clean(self):
        data = super().clean()
        if data.get("leave_user") and not (data.get("leave_reason") or "").strip():
            self.add_error("leave_reason", _("Give the reason for the leave."))
        return data


class NoteForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200, validators=[validate_single_line])
    written_on = forms.DateField(label=_("Date"), widget=DateInput())
    session = forms.ModelChoiceField(label=_("Study session"), required=False, queryset=Session.objects.none(),
                                     empty_label=_("Self-study"))
    body = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 10}))
    visibility = forms.ChoiceField(label=_("Who may read it"), choices=Note.Visibility.choices,
                                   initial=Note.Visibility.PRIVATE, widget=forms.RadioSelect)

    def __init__(self, *args, sessions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = sessions


class MonthForm(forms.Form):
    month = forms.CharField(required=False)

    def period(self, today: dt.date) -> tuple[int, int]:
        if self.is_valid():
            try:
                year, month = (int(x) for x in self.cleaned_data["month"].split("-"))
                if 2000 <= year <= 2099 and 1 <= month <= 12:
                    return year, month
            except ValueError:
                pass
        return today.year, today.month
