from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from office.forms import DateInput, validate_single_line
from office.information.models import Adoption, Category, Item, Level, Outlet


class ItemForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200, validators=[validate_single_line])
    category = forms.ModelChoiceField(label=_("Category"), queryset=Category.objects.none())
    source = forms.CharField(label=_("Source of the facts"), max_length=300, validators=[validate_single_line],
                             help_text=_("Where the facts come from: a unit's report, a meeting, a visit, ..."))
    body = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 10}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = Category.objects.filter(is_active=True)


class NewItemForm(ItemForm):
    submit = forms.BooleanField(label=_("Send to the information section for review now"), required=False,
                                initial=True)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class SendForm(forms.Form):
    outlets = forms.ModelMultipleChoiceField(label=_("Outlets"), queryset=Outlet.objects.none(),
                                             widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["outlets"].queryset = Outlet.objects.filter(is_active=True)


class AdoptionForm(forms.Form):
    outlet = forms.ModelChoiceField(label=_("Outlet"), queryset=Outlet.objects.none())
    adopted_on = forms.DateField(label=_("Adopted on"), widget=DateInput())
    form = forms.ChoiceField(label=_("Form"), choices=Adoption.Form.choices, initial=Adoption.Form.FULL)
    level = forms.TypedChoiceField(label=_("Level"), coerce=int, required=False, empty_value=None,
                                   choices=[("", _("The outlet's level")), *Level.choices])
    leader_comment = forms.CharField(label=_("Leader's comment (批示)"), required=False,
                                     widget=forms.Textarea(attrs={"rows": 2}))
    comment_by = forms.CharField(label=_("Comment by"), max_length=100, required=False,
                                 validators=[validate_single_line])

    def __init__(self, *args, item: Item, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["outlet"].queryset = Outlet.objects.filter(pk__in=item.dispatches.values("outlet_id"))
        self.fields["adopted_on"].initial = timezone.localdate()


class WithdrawForm(forms.Form):
    adoption = forms.ModelChoiceField(label=_("Adoption"), queryset=Adoption.objects.none())
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, item: Item, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["adoption"].queryset = item.adoptions.filter(withdrawn_at__isnull=True).select_related("outlet")
        self.fields["adoption"].label_from_instance = lambda a: f"{a.outlet} · {a.adopted_on:%Y-%m-%d}"


class QuarterForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2099, required=False)
    quarter = forms.TypedChoiceField(label=_("Quarter"), coerce=int, required=False, empty_value=None,
                                     choices=[(q, _("Q%(q)d") % {"q": q}) for q in (1, 2, 3, 4)])
