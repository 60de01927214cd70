"""Input validation for the document pages. Business rules live in ``workflow``."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from documents.models import (
    TELEGRAM_URGENCIES,
    DocumentType,
    Handling,
    ReturnReason,
    Secrecy,
    Status,
    Urgency,
)
from documents.selectors import readers_choices
from documents.workflow import ATTACHMENTS, telegram_urgency_message
from office import roles
from office.dates import Bound
from office.forms import (
    BoundedDateField,
    BoundedDateTimeField,
    MultipleFileField,
    PeopleChoiceField,
    PersonChoiceField,
    UnitChoiceField,
    UnitsChoiceField,
    validate_single_line,
)
from office.models import Unit, User


def _units():
    return Unit.objects.filter(is_active=True).order_by("kind", "order", "code")


class RegisterForm(forms.Form):
    sender_name = forms.CharField(
        label=_("Sending unit"), max_length=100,
        widget=forms.TextInput(attrs={"list": "unit-names", "autocomplete": "off"}),
        help_text=_("Type part of the name or the code and pick from the list."),
        validators=[validate_single_line])
    sender_number = forms.CharField(label=_("Sender's document number"), max_length=60,
                                    required=False, validators=[validate_single_line],
                                    widget=forms.TextInput(attrs={"placeholder": "某政办发〔2026〕12号"}))
    title = forms.CharField(label=_("Title"), max_length=300, validators=[validate_single_line])
    doc_type = forms.ModelChoiceField(label=_("Document type"), queryset=DocumentType.objects.all())
    handling = forms.ChoiceField(label=_("Handling"), choices=Handling.choices,
                                 widget=forms.RadioSelect, initial=Handling.READ)
    is_telegram = forms.BooleanField(label=_("Telegram"), required=False)
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices, required=False,
                                help_text=_("A telegram always has one: 平急, 加急, 特急 or 特提."))
    secrecy = forms.ChoiceField(label=_("Secrecy"), choices=Secrecy.choices, required=False)
    secrecy_years = forms.IntegerField(label=_("Secrecy period (years)"), required=False,
                                       min_value=1, max_value=30)
    copies = forms.IntegerField(label=_("Copies"), min_value=1, max_value=999, initial=1)
    pages = forms.IntegerField(label=_("Page count"), min_value=1, max_value=9999, initial=1)
    received_at = BoundedDateTimeField(label=_("Received at"), bound=Bound.RECEIVED,
                                       input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
                                       help_text=_("Within the last year, not in the future."))
    signed_by = PersonChoiceField(label=_("Signed for by"), queryset=User.objects.none())
    files = MultipleFileField(label=_("Attachments (not for classified documents)"),
                              policy=ATTACHMENTS)

    def __init__(self, *args, office_unit=None, **kwargs):
        super().__init__(*args, **kwargs)
        people = User.objects.filter(is_active=True).select_related("unit")
        if office_unit is not None:
            people = people.filter(unit=office_unit)
        self.fields["signed_by"].queryset = people.order_by("username")

    def clean_sender_name(self):
        text = self.cleaned_data["sender_name"].strip()
        unit = (Unit.objects.filter(Q(name=text) | Q(short_name=text) | Q(code__iexact=text),
                                    is_active=True).first())
        if unit is None:
            matches = list(Unit.objects.filter(Q(name__contains=text) | Q(short_name__contains=text),
                                               is_active=True)[:2])
            if len(matches) == 1:
                unit = matches[0]
        if unit is None:
            raise ValidationError(_("No unit is called “%(name)s”: pick one from the list, or ask "
                                    "the system administrator to add it."), params={"name": text})
        self.cleaned_data["sender"] = unit
        return text

    def clean(self):
        data = super().clean()
        urgency = data.get("urgency") or ""
        if data.get("is_telegram") and urgency not in TELEGRAM_URGENCIES:
            self.add_error("urgency", telegram_urgency_message())
        elif not data.get("is_telegram") and urgency in (Urgency.PINGJI, Urgency.TETI):
            self.add_error("urgency", _("This urgency is only for telegrams."))
        if data.get("secrecy") and not data.get("secrecy_years"):
            self.add_error("secrecy_years", _("A classified document needs its secrecy period."))
        if data.get("secrecy") and data.get("files"):
            self.add_error("files", _("Classified documents are registered as metadata only: "
                                      "attachments are refused (涉密不上网)."))
        if "sender" in self.cleaned_data:
            data["sender"] = self.cleaned_data["sender"]
        return data


class ReturnForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=ReturnReason.choices)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ReadersForm(forms.Form):
    readers = PeopleChoiceField(label=_("Readers"), queryset=User.objects.none())
    sequential = forms.BooleanField(label=_("In order, one after another"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["readers"].queryset = readers_choices()
        self.fields["readers"].label_from_instance = lambda u: f"{u.unit} · {u.get_full_name()}"


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


def _leaders():
    return (User.objects.filter(is_active=True, groups__name__in=[roles.COUNTY_LEADER,
                                                                  roles.OFFICE_DIRECTOR])
            .distinct().select_related("unit").order_by("unit__kind", "pk"))


class ProposeForm(forms.Form):
    proposal = forms.CharField(label=_("Proposed handling"), widget=forms.Textarea(attrs={"rows": 3}))
    leader_1 = PersonChoiceField(label=_("First leader to instruct"), queryset=User.objects.none())
    leader_2 = PersonChoiceField(label=_("then"), queryset=User.objects.none(), required=False)
    leader_3 = PersonChoiceField(label=_("then"), queryset=User.objects.none(), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("leader_1", "leader_2", "leader_3"):
            self.fields[name].queryset = _leaders()

    def clean(self):
        data = super().clean()
        chosen = [data.get(f"leader_{i}") for i in (1, 2, 3) if data.get(f"leader_{i}")]
        if len({u.pk for u in chosen}) != len(chosen):
            raise ValidationError(_("A leader appears twice."))
        data["leaders"] = chosen
        return data


class TextForm(forms.Form):
    text = forms.CharField(label=_("Content"), widget=forms.Textarea(attrs={"rows": 3}))


class InstructForm(TextForm):
    text = forms.CharField(label=_("Instruction"), widget=forms.Textarea(attrs={"rows": 3}))


class ResultForm(TextForm):
    text = forms.CharField(label=_("Result"), widget=forms.Textarea(attrs={"rows": 3}))


class ReplyForm(TextForm):
    text = forms.CharField(label=_("Reply to the sender"), widget=forms.Textarea(attrs={"rows": 3}))


class AssignForm(forms.Form):
    lead_unit = UnitChoiceField(label=_("Lead unit (主办)"), queryset=_units())
    co_units = UnitsChoiceField(label=_("Co-units (协办)"), queryset=_units(), required=False)
    handler = PersonChoiceField(label=_("Handler"), narrow_by="lead_unit",
                                queryset=User.objects.filter(is_active=True).select_related("unit")
                                .exclude(groups__name__in=roles.ADMIN_ROLES).order_by("unit__kind", "username"))
    deadline = BoundedDateField(label=_("Handling deadline"), required=False, bound=Bound.DEADLINE,
                                help_text=_("Required for urgent documents. A deadline on a day "
                                            "off ends on the next working day."))


class ReadForm(forms.Form):
    comment = forms.CharField(label=_("Comment (optional)"), required=False,
                              widget=forms.Textarea(attrs={"rows": 2}))


class RecallForm(forms.Form):
    circulation = forms.IntegerField(widget=forms.HiddenInput)


class SuperviseForm(forms.Form):
    requirement = forms.CharField(label=_("What the supervision item requires"),
                                  widget=forms.Textarea(attrs={"rows": 3}))
    lead_unit = UnitChoiceField(label=_("Lead unit"), queryset=_units())
    responsible = PersonChoiceField(label=_("Responsible person"), narrow_by="lead_unit",
                                    queryset=User.objects.filter(is_active=True).select_related("unit")
                                    .exclude(groups__name__in=roles.ADMIN_ROLES).order_by("unit__kind", "username"))
    deadline = BoundedDateField(label=_("Deadline"), required=False, bound=Bound.DEADLINE,
                                help_text=_("A deadline on a day off ends on the next working day."))
    working_days = forms.IntegerField(label=_("or working days"), required=False, min_value=1,
                                      max_value=365)

    def clean(self):
        data = super().clean()
        if not data.get("deadline") and not data.get("working_days"):
            self.add_error("deadline", _("Give a deadline or a number of working days."))
        return data


class RegisterFilterForm(forms.Form):
    date_from = BoundedDateField(label=_("Received from"), required=False, bound=Bound.SUPPORTED)
    date_to = BoundedDateField(label=_("to"), required=False, bound=Bound.SUPPORTED)
    sender = UnitChoiceField(label=_("Sending unit"), required=False, which="active", empty_label=_("All units"))
    doc_type = forms.ModelChoiceField(label=_("Type"), required=False,
                                      queryset=DocumentType.objects.all(), empty_label=_("All types"))
    urgency = forms.ChoiceField(label=_("Urgency"), required=False,
                                choices=[("", _("Any urgency")), ("plain", _("Ordinary (平件)")),
                                         *[c for c in Urgency.choices if c[0]]])
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("All statuses")), *Status.choices])
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    clock = forms.ChoiceField(label=_("Same-day clock"), required=False, choices=[
        ("", _("Any")), ("cleared", _("Cleared")), ("on_time", _("Cleared on time")),
        ("pending", _("Still at the intake desk")), ("overdue", _("Overdue at the intake desk"))])
