"""Study day pages: thin; each checks who may see, calls one selector or step, renders."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from office import once, paging
from office.http import only_for
from office.models import Unit
from office.steps import Step, StepPage, finish
from office.study import forms, permissions, selectors, workflow
from office.study.models import Note, Session
from office.workflow import WorkflowError

staff_only = only_for(permissions.takes_part)


@staff_only
def home(request):
    user = request.user
    sessions = paging.page(request, selectors.session_list(user), 20)
    return render(request, "study/home.html", {
        "page": sessions, "notes": selectors.note_list(user)[:20], "query": "",
        "may_organise": permissions.is_director(user) or permissions.is_chief(user),
        "next_day": workflow.next_study_day()})


@staff_only
def session_create(request):
    user = request.user
    if not (permissions.is_director(user) or permissions.is_chief(user)):
        raise PermissionDenied
    form = forms.SessionForm(request.POST or None, user=user, initial={"date": workflow.next_study_day()})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            outcome = once.run_once(
                request.POST.get(once.FIELD), user=user,
                action=lambda: workflow.create_session(acting_user=user, date=d["date"], topic=d["topic"],
                                                       materials=d["materials"], section=d["section"],
                                                       starts_at=d["starts_at"]),
                describe=lambda s: (s.get_absolute_url(), _("Study session of %(day)s planned: %(n)d people expected.")
                                    % {"day": f"{s.date:%Y-%m-%d}", "n": s.attendances.count()}))
        except WorkflowError as exc:
            form.add_error(None, exc.message)
        else:
            return finish(request, outcome, reverse("study:home"))
    return render(request, "study/session_form.html", {"form": form}, status=400 if form.errors else 200)


def _get_session(request, pk: int) -> Session:
    if not permissions.takes_part(request.user):
        raise PermissionDenied
    try:
        return selectors.session_detail(request.user, pk)
    except Session.DoesNotExist:
        raise Http404 from None


def _allowed(request, session: Session) -> list[str]:
    user, today = request.user, timezone.localdate()
    steps = []
    if session.date == today and session.attendances.filter(user=user, signed_in_at__isnull=True).exists():
        steps.append("sign_in")
    if session.date <= today and (session.organiser_id == user.pk or permissions.is_director(user)):
        steps.append("record_attendance")
    return steps


def _session_context(request, session: Session) -> dict:
    return {"session": session, "summary": selectors.session_attendance(session),
            "attendances": list(session.attendances.select_related("user__unit")),
            "nothing_to_do": _("Nothing for you to do on this session now.")}


def _record(session, user, d):
    leave = {d["leave_user"].pk: d["leave_reason"]} if d.get("leave_user") else {}
    return workflow.record_attendance(session=session, acting_user=user, present=d["present"], leave=leave)


SESSION_PAGE = StepPage(
    steps=[
        Step("sign_in", gettext_lazy("Sign in"), run=lambda s, u, d: workflow.sign_in(session=s, acting_user=u),
             done=lambda s, r, d: _("Signed in at %(time)s.")
             % {"time": f"{timezone.localtime(r.signed_in_at):%H:%M}"}),
        Step("record_attendance", gettext_lazy("Record the sign-in sheet"), form=forms.AttendanceForm,
             form_kwargs=lambda s: {"session": s}, run=lambda s, u, d: _record(s, u, d),
             done=lambda s, r, d: _("Attendance recorded: %(n)d present.") % {"n": r}),
    ],
    template="study/session_detail.html", url_name="study:step", get_object=_get_session, allowed=_allowed,
    context=_session_context)


@staff_only
def session_detail(request, pk: int):
    return SESSION_PAGE.render(request, _get_session(request, pk))


session_step = staff_only(SESSION_PAGE.step_view())


@staff_only
def note_create(request):
    user = request.user
    sessions = selectors.visible_sessions(user).order_by("-date")[:30]
    sessions = Session.objects.filter(pk__in=[s.pk for s in sessions]).order_by("-date")
    initial = {"written_on": timezone.localdate(), "session": request.GET.get("session")}
    form = forms.NoteForm(request.POST or None, sessions=sessions, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            outcome = once.run_once(
                request.POST.get(once.FIELD), user=user,
                action=lambda: workflow.write_note(acting_user=user, title=d["title"], body=d["body"],
                                                   visibility=d["visibility"], session=d["session"],
                                                   written_on=d["written_on"]),
                describe=lambda n: (n.get_absolute_url(), _("Study note saved: %(title)s") % {"title": n.title}))
        except WorkflowError as exc:
            form.add_error(None, exc.message)
        else:
            return finish(request, outcome, reverse("study:home"))
    return render(request, "study/note_form.html", {"form": form}, status=400 if form.errors else 200)


@staff_only
def note_detail(request, pk: int):
    try:
        note = selectors.visible_notes(request.user).select_related("author", "session").get(pk=pk)
    except Note.DoesNotExist:
        raise Http404 from None
    return render(request, "study/note_detail.html", {"note": note})


@staff_only
def month(request):
    """The month per section: attendance, notes, who wrote none. A section chief sees their own
    section; the office director every section."""
    user = request.user
    if not (permissions.is_director(user) or permissions.is_chief(user)):
        raise PermissionDenied
    year, m = forms.MonthForm(request.GET or None).period(timezone.localdate())
    section_id = None if permissions.is_director(user) else user.unit_id
    rows = selectors.month_summary(year, m, section_id)
    return render(request, "study/month.html", {
        "rows": rows, "year": year, "month": m, "month_value": f"{year:04d}-{m:02d}",
        "section": Unit.objects.filter(pk=section_id).first() if section_id else None})
