"""Form pieces shared by the apps."""

from __future__ import annotations

import functools
import re

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import ModelChoiceIterator
from django.utils.translation import gettext_lazy as _


def validate_single_line(value) -> None:
    """For single-line fields (titles, numbers, names): no line break or control character.
    The steps check the same through ``office.workflow.require_line``."""
    from office.workflow import has_control_characters

    if has_control_characters(value):
        raise ValidationError(_("Line breaks and control characters are not allowed here."),
                              code="control_characters")


# What an empty choice says (instead of Django's "---------"); office.apps makes it the default
# of every choice field, the admin's included.
EMPTY_CHOICE = _("Choose")


@functools.lru_cache(maxsize=8192)
def pinyin_keys(text: str) -> str:
    """What a picker also finds ``text`` by: for each word of it, the pinyin initials and the
    full pinyin ("秘书科 · 王建国" → "msk mishuke wjg wangjianguo"), so typing wjg or wang finds
    王建国. Without pypinyin installed, nothing (the pickers still search the characters)."""
    try:
        from pypinyin import Style, lazy_pinyin
    except ImportError:  # pragma: no cover - a dependency; the pickers degrade to plain search
        return ""
    keys: list[str] = []
    for word in re.split(r"[\s·、，,（）()]+", text):
        if word and re.search(r"[\u3400-\u9fff]", word):
            keys.append("".join(lazy_pinyin(word, style=Style.FIRST_LETTER, errors="ignore")))
            keys.append("".join(lazy_pinyin(word, errors="ignore")))
    return " ".join(k for k in keys if k).lower()


class _Picker:
    """A select with search (Tom Select, vendored in static/vendor/tom-select; started by
    static/js/zhengban.js on every ``select[data-picker]``): type 王, wang or wjg to find 王建国;
    a multiple picker adds one choice per click (no Ctrl-click) and shows each as a removable
    tag. ``narrow_by`` names another field of the form whose value (a unit) keeps only the
    options of that unit (each option carries its ``data-unit``): the responsible person is
    picked among the lead unit's staff. Without JavaScript it is the plain select."""

    def __init__(self, attrs=None, choices=(), *, narrow_by: str | None = None):
        attrs = {"data-picker": "", **(attrs or {})}
        attrs.pop("size", None)
        if narrow_by:
            attrs["data-narrow-by"] = narrow_by
        super().__init__(attrs, choices)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget_attrs = context["widget"]["attrs"]
        widget_attrs["data-no-match"] = str(_("No match"))
        widget_attrs["data-remove"] = str(_("Remove"))
        return context

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        if value not in ("", None):
            keys = pinyin_keys(str(label))
            if keys:
                option["attrs"]["data-pinyin"] = keys
            unit_id = getattr(getattr(value, "instance", None), "unit_id", None)
            if unit_id:
                option["attrs"]["data-unit"] = unit_id
        return option


class PickerSelect(_Picker, forms.Select):
    pass


class PickerSelectMultiple(_Picker, forms.SelectMultiple):
    pass


def _person_label(obj) -> str:
    return f"{obj.unit} · {obj.get_full_name()}" if obj.unit_id else obj.get_full_name()


class PersonChoiceField(forms.ModelChoiceField):
    """One person, searchable by name, unit and pinyin. ``narrow_by="lead_unit"`` keeps the
    choice among that field's unit's staff (the form still checks it)."""

    widget = PickerSelect

    def __init__(self, *args, narrow_by: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if narrow_by:
            self.widget.attrs["data-narrow-by"] = narrow_by

    def label_from_instance(self, obj):
        return _person_label(obj)


class PeopleChoiceField(forms.ModelMultipleChoiceField):
    """Several people (readers, attendees): a searchable picker, one click per person."""

    widget = PickerSelectMultiple

    def label_from_instance(self, obj):
        return _person_label(obj)


class UnitsChoiceField(forms.ModelMultipleChoiceField):
    """Several units (co-units, recipients): a searchable picker, one click per unit."""

    widget = PickerSelectMultiple


class _CachedUnits(ModelChoiceIterator):
    """The options of a unit picker from ``office.selectors.unit_choices`` (cached in the
    process): rendering the list reads no unit row."""

    def __iter__(self):
        from office.selectors import unit_choices

        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        yield from unit_choices(self.field.which)

    def __len__(self):
        from office.selectors import unit_choices

        return len(unit_choices(self.field.which)) + (self.field.empty_label is not None)


class UnitChoiceField(forms.ModelChoiceField):
    """One unit (lead unit, sending unit), searchable by name and pinyin. With ``which``
    ("active" / "county", and no queryset) its options come from ``office.selectors.unit_choices``
    (cached: a filter form reads no unit row to render); the chosen unit is read when cleaned."""

    widget = PickerSelect

    def __init__(self, *args, which: str | None = None, **kwargs):
        self.which = which
        if which is not None:
            from office.models import Unit

            queryset = Unit.objects.filter(is_active=True)
            if which == "county":
                queryset = queryset.exclude(kind=Unit.Kind.SUPERIOR)
            kwargs["queryset"] = queryset
            self.iterator = _CachedUnits
        super().__init__(*args, **kwargs)


class MultipleFileInput(forms.ClearableFileInput):
    """The browser's file input speaks the browser's language ("Choose Files", "No file
    chosen"); this one says 选择文件 / 未选择文件 and then the chosen files' names (zhengban.js):
    a button (the label of the hidden input) and the names beside it."""

    allow_multiple_selected = True
    template_name = "office/widgets/file_input.html"


class FileInput(forms.ClearableFileInput):
    """One file, with the same Chinese button and file name as ``MultipleFileInput``."""

    template_name = "office/widgets/file_input.html"


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


# Dates and times are typed (or picked) as 2026-11-30 and 14:30 whatever the browser's locale:
# text inputs with this pattern (a browser's own date input would show 11/30/2026 in an English
# browser). zhengban.js adds a button beside each that opens the browser's calendar and writes
# the picked day back in this form. The server reads ISO too (2026-11-30T14:30).
DATE_PATTERN = r"\d{4}-\d{1,2}-\d{1,2}"
TIME_PATTERN = r"\d{1,2}:\d{2}"


class DateInput(forms.DateInput):
    input_type = "text"

    def __init__(self, attrs=None, **kwargs):
        attrs = {"data-date": "", "pattern": DATE_PATTERN, "placeholder": "yyyy-mm-dd",
                 "maxlength": 10, "autocomplete": "off", "data-pick": _("Pick a date"),
                 "title": _("A date like 2026-11-30"), **(attrs or {})}
        super().__init__(attrs=attrs, format="%Y-%m-%d", **kwargs)


class DateTimeInput(forms.DateTimeInput):
    input_type = "text"

    def __init__(self, attrs=None, **kwargs):
        attrs = {"data-datetime": "", "pattern": rf"{DATE_PATTERN}[ T]{TIME_PATTERN}",
                 "placeholder": "yyyy-mm-dd hh:mm", "maxlength": 16, "autocomplete": "off",
                 "data-pick": _("Pick a date and time"),
                 "title": _("A date and time like 2026-11-30 14:30"), **(attrs or {})}
        super().__init__(attrs=attrs, format="%Y-%m-%d %H:%M", **kwargs)


class TimeInput(forms.TimeInput):
    input_type = "text"

    def __init__(self, attrs=None, **kwargs):
        attrs = {"pattern": TIME_PATTERN, "placeholder": "hh:mm", "maxlength": 5,
                 "autocomplete": "off", "title": _("A time like 14:30"), **(attrs or {})}
        super().__init__(attrs=attrs, format="%H:%M", **kwargs)


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
