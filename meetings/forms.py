"""Meeting forms: input only. Every rule is checked again by the workflow step."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from meetings.models import Attendee, ChecklistItem, Conveyance, Decision, Material, Meeting, MeetingType, Room, Topic
from meetings.models import Status as MeetingStatus
from meetings.workflow import ATTACHMENTS
from office import roles
from office.dates import Bound
from office.forms import (
    BoundedDateField,
    DateInput,
    DateTimeInput,
    MultipleFileField,
    PeopleChoiceField,
    PersonChoiceField,
    UnitChoiceField,
    UnitsChoiceField,
)
from office.models import Unit, User


def _people():
    return User.objects.filter(is_active=True, unit__isnull=False, is_staff=False).select_related("unit") \
        .order_by("unit__kind", "unit__order", "pk")


def _leaders():
    return _people().filter(groups__name__in=[roles.COUNTY_LEADER, roles.OFFICE_DIRECTOR]).distinct()


def _units():
    return Unit.objects.filter(is_active=True).exclude(kind=Unit.Kind.SUPERIOR)


PeopleField = PeopleChoiceField


class _Times(forms.Form):
    starts_at = forms.DateTimeField(label=_("Starts at"), widget=DateTimeInput())
    ends_at = forms.DateTimeField(label=_("Ends at"), widget=DateTimeInput())
    room = forms.ModelChoiceField(label=_("Room"), queryset=Room.objects.filter(is_active=True), required=False)
    location = forms.CharField(label=_("Or another place"), max_length=100, required=False)

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("The meeting must end after it starts."))
        if not data.get("room") and not (data.get("location") or "").strip():
            self.add_error("room", _("Choose a room or give the place."))
        return data


class MeetingForm(_Times):
    type = forms.ModelChoiceField(label=_("Meeting type"), queryset=MeetingType.objects.filter(is_active=True))
    title = forms.CharField(label=_("Title"), max_length=200,
                            help_text=_("e.g. 县政府第12次常务会议"))
    presiding = PersonChoiceField(label=_("Presiding leader"), queryset=_leaders(), required=False,
                                  help_text=_("Empty: the meeting type's presiding leader."))
    clerk = PersonChoiceField(label=_("Minute-taker"), required=False,
                              queryset=_people().filter(groups__name=roles.SECRETARY).distinct())

    field_order = ["type", "title", "starts_at", "ends_at", "room", "location", "presiding", "clerk"]


class MoveForm(_Times):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.meeting = meeting


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class AttendeesForm(forms.Form):
    users = PeopleField(label=_("People"), queryset=_people(), required=False)
    units = UnitsChoiceField(label=_("Units (their head is invited)"), queryset=_units(), required=False)
    kind = forms.ChoiceField(label=_("Attending as"), choices=Attendee.Kind.choices, initial=Attendee.Kind.ATTEND)

    def clean(self):
        data = super().clean()
        if not data.get("users") and not data.get("units"):
            raise forms.ValidationError(_("Choose people or units to invite."))
        return data


class _AttendeeChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.user.get_full_name() + (f"（{obj.unit}）" if obj.unit_id else "")


class RemoveAttendeeForm(forms.Form):
    attendee = _AttendeeChoice(label=_("Person"), queryset=Attendee.objects.none())
    reason = forms.CharField(label=_("Reason"), required=False)

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendee"].queryset = meeting.attendees.filter(removed_at__isnull=True) \
            .select_related("user", "unit")


class AgendaOrderForm(forms.Form):
    """One position field per topic on the agenda; the order is read from the positions."""

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.topics = list(meeting.topics.filter(status=Topic.Status.ACCEPTED).order_by("position", "pk"))
        for n, topic in enumerate(self.topics, 1):
            self.fields[f"t{topic.pk}"] = forms.IntegerField(label=topic.title, min_value=1, initial=n)

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        positions = [(data[f"t{t.pk}"], n, t.pk) for n, t in enumerate(self.topics)]
        data["order"] = [pk for _p, _n, pk in sorted(positions)]
        return data


class AnswerForm(forms.Form):
    response = forms.ChoiceField(label=_("Answer"), widget=forms.RadioSelect, choices=[
        ("attending", _("I will attend")), ("leave", _("I ask for leave")),
        ("substitute", _("I send a substitute"))])
    reason = forms.CharField(label=_("Reason for leave"), required=False,
                             widget=forms.Textarea(attrs={"rows": 2}))
    substitute = PersonChoiceField(label=_("Substitute attending"), queryset=_people(), required=False)

    def clean(self):
        data = super().clean()
        if data.get("response") == "leave" and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Give the reason for leave."))
        if data.get("response") == "substitute" and not data.get("substitute"):
            self.add_error("substitute", _("Name the substitute."))
        return data


class LeaveDecisionForm(forms.Form):
    attendee = _AttendeeChoice(label=_("Leave request of"), queryset=Attendee.objects.none())
    approve = forms.TypedChoiceField(label=_("Decision"), coerce=lambda v: v == "yes", widget=forms.RadioSelect,
                                     choices=[("yes", _("Approve")), ("no", _("Refuse"))])
    note = forms.CharField(label=_("Note"), required=False)

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendee"].queryset = meeting.attendees.filter(
            removed_at__isnull=True, response=Attendee.Response.LEAVE_REQUESTED).select_related("user", "unit")


class MaterialsForm(forms.Form):
    files = MultipleFileField(label=_("Files"), policy=ATTACHMENTS, required=True,
                              help_text=_("PDF, OFD, Word, WPS, Excel, images or text; 50 MB each."))
    topic = forms.ModelChoiceField(label=_("For the topic"), queryset=Topic.objects.none(), required=False)
    for_return = forms.BooleanField(label=_("To be returned after the meeting"), required=False)

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].queryset = meeting.topics.filter(
            status__in=[Topic.Status.ACCEPTED, Topic.Status.SUBMITTED]).order_by("position", "pk")


class TopicMaterialsForm(forms.Form):
    files = MultipleFileField(label=_("Files"), policy=ATTACHMENTS, required=True,
                              help_text=_("PDF, OFD, Word, WPS, Excel, images or text; 50 MB each."))


class ChecklistForm(forms.Form):
    done = forms.ModelMultipleChoiceField(label=_("Done"), queryset=ChecklistItem.objects.none(),
                                          widget=forms.CheckboxSelectMultiple, required=False)

    def __init__(self, *args, meeting: Meeting, items=None, **kwargs):
        super().__init__(*args, **kwargs)
        from meetings.workflow import checklist_for

        items = items if items is not None else checklist_for(meeting)
        self.fields["done"].queryset = ChecklistItem.objects.filter(pk__in=[i.pk for i in items]) \
            .order_by("order", "pk")


class MarkPresentForm(forms.Form):
    attendees = forms.ModelMultipleChoiceField(label=_("Present"), queryset=Attendee.objects.none(),
                                               widget=forms.CheckboxSelectMultiple)
    at = forms.DateTimeField(label=_("Arrived at"), widget=DateTimeInput(), required=False,
                             help_text=_("Empty: now."))

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["attendees"]
        field.queryset = meeting.attendees.filter(removed_at__isnull=True, signed_in_at__isnull=True) \
            .select_related("user", "substitute")
        field.label_from_instance = lambda a: (
            f"{a.substitute.get_full_name()}（代{a.user.get_full_name()}）"
            if a.response == Attendee.Response.SUBSTITUTE and a.substitute_id else a.user.get_full_name())


class _TopicChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.position}. {obj.title}" if obj.position else obj.title


def _agenda(meeting: Meeting):
    return meeting.topics.filter(status=Topic.Status.ACCEPTED).order_by("position", "pk")


class MinutesForm(forms.Form):
    topic = _TopicChoice(label=_("Topic"), queryset=Topic.objects.none())
    text = forms.CharField(label=_("Minutes"), widget=forms.Textarea(attrs={"rows": 5}))

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].queryset = _agenda(meeting)


class DecisionForm(forms.Form):
    topic = _TopicChoice(label=_("Topic"), queryset=Topic.objects.none(), required=False)
    text = forms.CharField(label=_("Decision agreed"), widget=forms.Textarea(attrs={"rows": 3}))
    unit = UnitChoiceField(label=_("Responsible unit"), queryset=_units())
    responsible = PersonChoiceField(label=_("Responsible person"), queryset=_people(), narrow_by="unit")
    deadline = BoundedDateField(label=_("Deadline"), bound=Bound.DEADLINE)

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].queryset = _agenda(meeting)

    def clean(self):
        data = super().clean()
        unit, person = data.get("unit"), data.get("responsible")
        if unit and person and person.unit_id != unit.pk:
            self.add_error("responsible", _("The responsible person must belong to the responsible unit."))
        return data


class SummaryForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 14}),
                           help_text=_("One paragraph per line; headings as 一、 （一） 1."))


class ReviewForm(forms.Form):
    approve = forms.TypedChoiceField(label=_("Review"), coerce=lambda v: v == "yes", widget=forms.RadioSelect,
                                     choices=[("yes", _("Pass it for sign-off")), ("no", _("Return it"))])
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ConveyanceForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    conveyed_on = forms.DateField(label=_("Conveyed on"), widget=DateInput(), initial=timezone.localdate)
    method = forms.ChoiceField(label=_("How"), choices=Conveyance.Method.choices)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, meeting: Meeting, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(
            pk__in=Decision.objects.filter(meeting=meeting).values("unit_id"))


class FeedbackForm(forms.Form):
    decision = forms.ModelChoiceField(label=_("On the decision"), queryset=Decision.objects.none(), required=False)
    text = forms.CharField(label=_("Feedback"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].queryset = meeting.decisions.order_by("pk")
        self.fields["decision"].label_from_instance = lambda d: d.text[:40]


class ReturnedForm(forms.Form):
    materials = forms.ModelMultipleChoiceField(label=_("Materials returned"), queryset=Material.objects.none(),
                                               widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["materials"].queryset = meeting.materials.filter(for_return=True, returned_at__isnull=True)


class TopicForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    background = forms.CharField(label=_("Background"), widget=forms.Textarea(attrs={"rows": 4}))
    request = forms.CharField(label=_("Decision requested"), widget=forms.Textarea(attrs={"rows": 3}))
    unit = UnitChoiceField(label=_("Submitting unit"), queryset=_units(), required=False)
    leader = PersonChoiceField(label=_("Leader in charge"), queryset=_leaders(), required=False)
    files = MultipleFileField(label=_("Materials"), policy=ATTACHMENTS,
                              help_text=_("PDF, OFD, Word, WPS, Excel, images or text; 50 MB each."))

    def __init__(self, *args, organiser: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not organiser:
            del self.fields["unit"]


class ScreenForm(forms.Form):
    decision = forms.ChoiceField(label=_("Screening"), widget=forms.RadioSelect, choices=[
        ("accept", _("Accept onto the agenda")), ("defer", _("Defer to a later meeting")),
        ("reject", _("Reject"))])
    defer_to = forms.ModelChoiceField(label=_("Defer to"), queryset=Meeting.objects.none(), required=False,
                                      help_text=_("Empty: to a meeting not yet planned."))
    note = forms.CharField(label=_("Reason / note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, topic: Topic, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["defer_to"].queryset = Meeting.objects.filter(
            status=MeetingStatus.PLANNING, starts_at__gt=topic.meeting.starts_at).order_by("starts_at")[:20]

    def clean(self):
        data = super().clean()
        if data.get("decision") == "reject" and not (data.get("note") or "").strip():
            self.add_error("note", _("Give the reason for rejecting the topic."))
        return data


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), required=False)


class PeriodForm(forms.Form):
    start = BoundedDateField(label=_("Period from"), bound=Bound.SUPPORTED, required=False)
    end = BoundedDateField(label=_("Period to"), bound=Bound.SUPPORTED, required=False)

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("The period must end after it starts."))
        if start and end and (end - start).days > 366:
            self.add_error("end", _("Choose a period of at most a year."))
        return data


class CalendarForm(forms.Form):
    view = forms.ChoiceField(choices=[("month", _("Month")), ("week", _("Week"))], required=False)
    date = BoundedDateField(bound=Bound.SUPPORTED, required=False)
    scope = forms.ChoiceField(choices=[("mine", _("Mine")), ("all", _("All"))], required=False)


class ListFilterForm(forms.Form):
    scope = forms.ChoiceField(choices=[("mine", _("Mine")), ("upcoming", _("Upcoming")), ("all", _("All"))],
                              required=False)
    type = forms.ModelChoiceField(label=_("Meeting type"), queryset=MeetingType.objects.all(), required=False)
    status = forms.ChoiceField(label=_("Status"), choices=[("", _("All"))] + MeetingStatus.choices, required=False)
    # the dashboard's figures: meetings in the next N days, ready or not
    within = forms.IntegerField(required=False, min_value=1, max_value=366)
    ready = forms.ChoiceField(required=False, choices=[("", _("Any")), ("yes", _("Ready")),
                                                       ("no", _("Not ready"))])
