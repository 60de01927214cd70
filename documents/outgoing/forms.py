"""Input validation for the outgoing-document pages. Rules live in ``checks`` and ``workflow``."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from documents.models import DocumentType
from documents.outgoing.models import DocumentCode, FindingCategory, IssuingAuthority
from office.forms import UnitsChoiceField
from office.models import Unit

FINDING_ROWS = 3


def _units():
    return Unit.objects.filter(is_active=True).order_by("kind", "order", "code")


class CodeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.code}（{obj.authority}）"


class DraftForm(forms.Form):
    doc_type = forms.ModelChoiceField(label=_("Document type"), empty_label=_("Choose"),
                                      queryset=DocumentType.objects.filter(is_statutory=True))
    authority = forms.ModelChoiceField(label=_("Issuing authority"), empty_label=_("Choose"),
                                       queryset=IssuingAuthority.objects.filter(is_active=True))
    code = CodeChoiceField(label=_("Code (机关代字)"), empty_label=_("Choose"),
                           queryset=DocumentCode.objects.filter(is_active=True).select_related("authority"))
    co_issuers = UnitsChoiceField(
        label=_("Joint issuers (联合行文)"), required=False,
        queryset=IssuingAuthority.objects.filter(is_active=True),
        help_text=_("Only for documents issued jointly; each co-issuer countersigns."))
    title = forms.CharField(label=_("Title"), max_length=300,
                            help_text=_("Issuing authority + subject + document type, e.g. 某县人民政府关于…的通知"))
    main_recipients = UnitsChoiceField(label=_("Main recipients (主送)"), required=False, queryset=_units())
    main_recipients_text = forms.CharField(label=_("Main recipients by collective name"), required=False,
                                           max_length=300, help_text=_("e.g. 各乡（镇）人民政府，县政府各部门"))
    copy_recipients = UnitsChoiceField(label=_("Copies (抄送)"), required=False, queryset=_units())
    body = forms.CharField(label=_("Body"), required=False, widget=forms.Textarea(attrs={"rows": 14}),
                           help_text=_("Headings by level: 一、 （一） 1. （1）; one paragraph per line."))
    attachment_titles = forms.CharField(label=_("Attachments (附件说明)"), required=False,
                                        widget=forms.Textarea(attrs={"rows": 2}),
                                        help_text=_("One attachment title per line, no punctuation at the end."))
    urgency = forms.ChoiceField(label=_("Urgency"), required=False,
                                choices=[("", _("Ordinary (平件)")), ("jiaji", "加急"), ("teji", "特急")])
    note = forms.CharField(label=_("Note (附注)"), required=False, max_length=200)
    printing_unit = forms.CharField(label=_("Printing unit (印发机关)"), required=False, max_length=100)
    copies = forms.IntegerField(label=_("Copies printed"), min_value=1, max_value=9999, initial=1)
    is_important = forms.BooleanField(label=_("Important document (the principal leader signs)"), required=False)

    def clean(self):
        data = super().clean()
        if data.get("code") and data.get("authority") and data["code"].authority_id != data["authority"].pk:
            self.add_error("code", _("This code belongs to another issuing authority."))
        return data


class EditForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    main_recipients_text = forms.CharField(label=_("Main recipients by collective name"), required=False,
                                           max_length=300)
    body = forms.CharField(label=_("Body"), required=False, widget=forms.Textarea(attrs={"rows": 14}))
    attachment_titles = forms.CharField(label=_("Attachments (附件说明)"), required=False,
                                        widget=forms.Textarea(attrs={"rows": 2}))
    note = forms.CharField(label=_("Note (附注)"), required=False, max_length=200)


class FindingsMixin:
    """Up to three findings (category + text) recorded against the drafter."""

    def _add_finding_fields(self, required_first: bool = False):
        for i in range(1, FINDING_ROWS + 1):
            self.fields[f"category_{i}"] = forms.ChoiceField(
                label=_("Finding %(n)d") % {"n": i}, required=False,
                choices=[("", _("No finding")), *FindingCategory.choices])
            self.fields[f"finding_{i}"] = forms.CharField(label=_("What is wrong"), required=False,
                                                          max_length=500)

    def findings(self) -> list[tuple[str, str]]:
        rows = []
        for i in range(1, FINDING_ROWS + 1):
            category = self.cleaned_data.get(f"category_{i}")
            text = (self.cleaned_data.get(f"finding_{i}") or "").strip()
            if category and text:
                rows.append((category, text))
            elif category or text:
                self.add_error(f"finding_{i}", _("Give both the category and the finding."))
        return rows


class ReviewForm(FindingsMixin, forms.Form):
    necessity = forms.CharField(label=_("Why it must be issued (可发可不发的坚决不发)"), required=False,
                                widget=forms.Textarea(attrs={"rows": 2}))
    confirm_not_raised = forms.BooleanField(
        label=_("Confirmed: this should not be the department's own document (不升格、不包揽)"), required=False)

    def __init__(self, *args, warnings=(), director: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.warning_codes = []
        for w in warnings:
            self.fields[f"ack_{w.code}"] = forms.CharField(
                label=_("Reason to accept: %(warning)s") % {"warning": w.message}, required=False, max_length=500)
            self.warning_codes.append(w.code)
        if not director:
            del self.fields["necessity"]
            del self.fields["confirm_not_raised"]
        self._add_finding_fields()

    def clean(self):
        data = super().clean()
        data["findings"] = self.findings()
        data["acknowledgements"] = {c: data.get(f"ack_{c}", "") for c in self.warning_codes}
        data.setdefault("necessity", "")
        data.setdefault("confirm_not_raised", False)
        return data


class ReturnForm(FindingsMixin, forms.Form):
    reason = forms.CharField(label=_("Why it is returned"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._add_finding_fields()

    def clean(self):
        data = super().clean()
        data["findings"] = self.findings()
        return data


class OpinionForm(forms.Form):
    opinion = forms.CharField(label=_("Opinion"), initial="同意", widget=forms.Textarea(attrs={"rows": 2}))


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class SealForm(forms.Form):
    copies = forms.IntegerField(label=_("Copies sealed"), min_value=1, max_value=9999)


class RegisterFilterForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), required=False, min_value=2000, max_value=2099)
    code = CodeChoiceField(label=_("Code (机关代字)"), required=False, empty_label=_("All codes"),
                           queryset=DocumentCode.objects.select_related("authority"))
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    # the dashboard's figures: the month's output (YYYY-MM), by drafting unit; waiting for me
    month = forms.RegexField(required=False, regex=r"^20[0-9]{2}-(0[1-9]|1[0-2])$")
    unit = forms.IntegerField(required=False, min_value=1)
    waiting = forms.ChoiceField(required=False, choices=[("", "—"), ("me", _("Waiting for me"))])
