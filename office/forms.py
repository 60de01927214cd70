"""Form pieces shared by the apps."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import ModelChoiceIterator
from django.forms.utils import flatatt
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _


def validate_single_line(value) -> None:
    """For single-line fields (titles, numbers, names): no line break or control character.
    The steps check the same through ``office.workflow.require_line``."""
    from office.workflow import has_control_characters

    if has_control_characters(value):
        raise ValidationError(_("Line breaks and control characters are not allowed here."),
                              code="control_characters")


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.unit} · {obj.get_full_name()}" if obj.unit_id else obj.get_full_name()


class PlainSelect(forms.Select):
    """A <select> written directly, without a template per <option> (a unit list has dozens)."""

    def render(self, name, value, attrs=None, renderer=None):
        final = self.build_attrs(self.attrs, attrs)
        final["name"] = name
        chosen = set(self.format_value(value))
        options = [
            f'<option value="{conditional_escape(v)}"{" selected" if str(v) in chosen else ""}>'
            f"{conditional_escape(label)}</option>"
            for v, label in self.choices
        ]
        return mark_safe(format_html("<select{}>", flatatt(final)) + "".join(options) + "</select>")


class _CachedUnits(ModelChoiceIterator):
    def __iter__(self):
        from office.selectors import unit_choices

        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        yield from unit_choices(self.field.which)

    def __len__(self):
        from office.selectors import unit_choices

        return len(unit_choices(self.field.which)) + (self.field.empty_label is not None)


class UnitChoiceField(forms.ModelChoiceField):
    """A unit picked from ``office.selectors.unit_choices`` (cached): rendering the list reads
    no unit row; the chosen unit is read when the form is cleaned."""

    iterator = _CachedUnits
    widget = PlainSelect

    def __init__(self, *, which: str = "active", **kwargs):
        from office.models import Unit

        self.which = which
        queryset = Unit.objects.filter(is_active=True)
        if which == "county":
            queryset = queryset.exclude(kind=Unit.Kind.SUPERIOR)
        super().__init__(queryset=queryset, **kwargs)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each is cleaned like a FileField, then the whole set is
    checked against the app's ``office.uploads.UploadPolicy`` (content matches the name, sizes,
    number of files). The workflow step checks again: the form only answers early."""

    widget = MultipleFileInput

    def __init__(self, *args, policy=None, **kwargs):
        kwargs.setdefault("required", False)
        self.policy = policy
        super().__init__(*args, **kwargs)
        if policy is not None:
            self.widget.attrs.setdefault("accept", ",".join(sorted(policy.suffixes)))

    def clean(self, data, initial=None):
        from office.uploads import UploadRefused, check_uploads

        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        cleaned = [super(MultipleFileField, self).clean(f, initial) for f in files]
        if self.policy is not None:
            try:
                check_uploads(cleaned, self.policy)
            except UploadRefused as exc:
                raise ValidationError(exc.message, code=exc.code) from None
        return cleaned


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class DeadlineInput(DateInput):
    """A date input for deadlines that tells the user, as soon as a date is picked, the date
    that applies (a deadline on a day off ends on the next working day) and whether the year's
    calendar is loaded. Without JavaScript the form still works; the pages show the applied
    date after saving."""

    template_name = "office/widgets/deadline_input.html"

    def get_context(self, name, value, attrs):
        from django.urls import reverse

        attrs = {**(attrs or {}), "hx-get": reverse("office:deadline_hint"),
                 "hx-trigger": "change", "hx-target": "next .zb-deadline-hint",
                 "hx-swap": "innerHTML"}
        return super().get_context(name, value, attrs)


class BoundedDateField(forms.DateField):
    """A date checked against one of ``office.dates``' bounds, with its message."""

    def __init__(self, *args, bound, **kwargs):
        from office.dates import Bound

        self.bound = bound
        if "widget" not in kwargs:
            kwargs["widget"] = DeadlineInput() if bound == Bound.DEADLINE else DateInput()
        super().__init__(*args, **kwargs)

    def validate(self, value):
        from office import dates

        super().validate(value)
        dates.clean(value, self.bound)


class BoundedDateTimeField(forms.DateTimeField):
    """A date and time checked against one of ``office.dates``' bounds, with its message."""

    def __init__(self, *args, bound, **kwargs):
        self.bound = bound
        kwargs.setdefault("widget", DateTimeInput())
        super().__init__(*args, **kwargs)

    def validate(self, value):
        from office import dates

        super().validate(value)
        dates.clean(value, self.bound)
