"""Meeting pages. Views check permission, call one selector or workflow step, render."""

from __future__ import annotations

import calendar as pycal
import datetime as dt
import secrets

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from meetings import discipline, forms, ics, permissions, printing, selectors, signin, workflow
from meetings.models import CalendarFeed, Decision, Material, MaterialOpen, Meeting, Topic
from meetings.steps import MEETING_STEPS, TOPIC_STEPS, _signed_message
from office import audit, once, paging, roles
from office.http import download, only_for, serve_stored_file
from office.steps import StepPage, finish
from office.workdays import WorkCalendar
from office.workflow import WorkflowError

# Meeting pages are for the business roles; administrators get 403 (三员分立).
business = only_for(lambda user: roles.has_role(user, *roles.BUSINESS_ROLES))


# --- list and creation -----------------------------------------------------------------------

@business
def meeting_list(request):
    form = forms.ListFilterForm(request.GET or None)
    organiser = permissions.sees_all(request.user)
    scope, type_id, status, within, ready = "mine", None, "", None, None
    if form.is_valid():
        data = form.cleaned_data
        scope = data["scope"] or scope
        type_id = data["type"].pk if data["type"] else None
        status = data["status"]
        within, ready = data["within"], {"yes": True, "no": False}.get(data["ready"])
    meetings = selectors.meeting_list(request.user, scope=scope, type_id=type_id, status=status,
                                      within=within, ready=ready)
    # the "within N days" banner states how many: counted exactly (a few days of meetings)
    page = paging.page(request, meetings, 30, count=meetings.count() if within else None)
    query = request.GET.copy()
    query.pop("page", None)
    cal = WorkCalendar.load()
    for m in page:
        m.day_off = not cal.is_working_day(timezone.localdate(m.starts_at))
    context = {"form": form, "page": page, "scope": scope, "query": query.urlencode(), "within": within,
               "ready": ready,
               "organiser": permissions.is_organiser(request.user), "sees_all": organiser,
               "may_see_discipline": permissions.may_see_discipline(request.user),
               "scopes": [("mine", _("My meetings")), ("upcoming", _("Upcoming")), ("all", _("All"))]}
    template = "meetings/_meeting_table.html" if request.headers.get("HX-Request") else "meetings/meeting_list.html"
    return render(request, template, context)


@business
def meeting_create(request):
    if not permissions.is_organiser(request.user):
        raise PermissionDenied
    form = forms.MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            outcome = once.run_once(
                request.POST.get(once.FIELD), user=request.user,
                action=lambda: workflow.create_meeting(
                    acting_user=request.user, type=d["type"], title=d["title"], starts_at=d["starts_at"],
                    ends_at=d["ends_at"], room=d["room"], location=d["location"], presiding=d["presiding"],
                    clerk=d["clerk"]),
                describe=lambda m: (m.get_absolute_url(), _created_message(m)))
        except WorkflowError as exc:
            form.add_error(None, exc.message)
        else:
            return finish(request, outcome, reverse("meetings:list"))
    return render(request, "meetings/meeting_form.html", {"form": form}, status=400 if form.errors else 200)


def _created_message(meeting: Meeting) -> str:
    message = _("%(title)s planned for %(when)s, %(place)s; topics due by %(deadline)s.") % {
        "title": meeting.title, "when": workflow._when(meeting), "place": meeting.place,
        "deadline": timezone.localtime(meeting.topic_deadline).strftime("%Y-%m-%d %H:%M")}
    if workflow.day_off_flag(meeting, WorkCalendar.load()):
        message += " " + _("Note: that day is a day off.")
    return message


# --- the meeting page ------------------------------------------------------------------------

def _get_meeting(request, pk: int) -> Meeting:
    if not roles.has_role(request.user, *roles.BUSINESS_ROLES):
        raise PermissionDenied
    try:
        return selectors.meeting_detail(request.user, pk)
    except Meeting.DoesNotExist:
        raise Http404 from None


def _meeting_context(request, meeting: Meeting) -> dict:
    data = selectors.page_data(request, meeting)
    return {"meeting": meeting, "data": data, "viewer": data.viewer, "now": timezone.now(),
            "readiness": workflow.readiness(meeting) if meeting.status == "notified" and data.viewer.organiser
            else [], "nothing_to_do": _("Nothing for you to do on this meeting now.")}


MEETING_PAGE = StepPage(
    steps=MEETING_STEPS, template="meetings/meeting_detail.html", url_name="meetings:step",
    get_object=_get_meeting,
    allowed=lambda request, meeting: selectors.page_data(request, meeting).allowed,
    context=_meeting_context,
)


@business
def meeting_detail(request, pk: int):
    return MEETING_PAGE.render(request, _get_meeting(request, pk))


meeting_step = business(MEETING_PAGE.step_view())


# --- topics ----------------------------------------------------------------------------------

@business
def topic_create(request, pk: int):
    meeting = _get_meeting_for_topics(request, pk)
    organiser = permissions.is_organiser(request.user)
    form = forms.TopicForm(request.POST or None, request.FILES or None, organiser=organiser)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            outcome = once.run_once(
                request.POST.get(once.FIELD), user=request.user,
                action=lambda: workflow.submit_topic(
                    meeting=meeting, acting_user=request.user, title=d["title"], background=d["background"],
                    request=d["request"], unit=d.get("unit") or request.user.unit, leader=d["leader"],
                    files=d["files"]),
                describe=lambda t: (t.get_absolute_url(), _topic_message(t)))
        except WorkflowError as exc:
            form.add_error(None, exc.message)
        else:
            return finish(request, outcome, meeting.get_absolute_url())
    late = timezone.now() > meeting.topic_deadline
    return render(request, "meetings/topic_form.html", {"form": form, "meeting": meeting, "late": late},
                  status=400 if form.errors else 200)


def _get_meeting_for_topics(request, pk: int) -> Meeting:
    """A unit may submit to any meeting collecting topics (it need not see it yet)."""
    if not permissions.may_submit_topic(request.user):
        raise PermissionDenied
    meeting = get_object_or_404(Meeting.objects.select_related("type"), pk=pk)
    if meeting.status != "planning":
        visible = selectors.visible_meetings(request.user).filter(pk=pk).exists()
        if not visible:
            raise Http404
    return meeting


def _topic_message(topic: Topic) -> str:
    if topic.is_late:
        return _("Topic “%(title)s” submitted after the deadline: it needs a director's permission.") % {
            "title": topic.title}
    return _("Topic “%(title)s” submitted to %(meeting)s for screening.") % {
        "title": topic.title, "meeting": topic.meeting.title}


def open_topics(request):
    """Meetings collecting topics, for units to submit to."""
    if not permissions.may_submit_topic(request.user):
        raise PermissionDenied
    meetings = Meeting.objects.filter(status="planning").select_related("type").order_by("starts_at")[:50]
    return render(request, "meetings/open_topics.html", {"meetings": meetings, "now": timezone.now()})


def _get_topic(request, pk: int) -> Topic:
    if not roles.has_role(request.user, *roles.BUSINESS_ROLES):
        raise PermissionDenied
    try:
        return selectors.topic_detail(request.user, pk)
    except Topic.DoesNotExist:
        raise Http404 from None


def _topic_allowed(request, topic: Topic) -> list[str]:
    user, meeting = request.user, topic.meeting
    allowed = []
    planning = meeting.status == "planning"
    submitted = topic.status == Topic.Status.SUBMITTED
    if planning and submitted and topic.is_late and topic.late_approved_at is None \
            and permissions.may_allow_late(topic, user):
        allowed.append("allow_late")
    if planning and submitted and permissions.may_screen(topic, user):
        allowed.append("screen")
    if meeting.status in ("planning", "pending_approval", "approved", "notified", "ready") \
            and topic.status in (Topic.Status.SUBMITTED, Topic.Status.ACCEPTED) \
            and permissions.may_edit_topic(topic, user):
        allowed.append("add_materials")
    if planning and submitted and permissions.may_edit_topic(topic, user):
        allowed.append("withdraw")
    return allowed


def _topic_context(request, topic: Topic) -> dict:
    materials = list(topic.materials.annotate(n_opened=Count("opens")).order_by("pk"))
    opened = set(MaterialOpen.objects.filter(material__topic=topic, user=request.user)
                 .values_list("material_id", flat=True))
    return {"topic": topic, "meeting": topic.meeting, "materials": materials, "opened": opened,
            "nothing_to_do": _("Nothing for you to do on this topic now.")}


TOPIC_PAGE = StepPage(
    steps=TOPIC_STEPS, template="meetings/topic_detail.html", url_name="meetings:topic_step",
    get_object=_get_topic, allowed=_topic_allowed, context=_topic_context,
)


@business
def topic_detail(request, pk: int):
    return TOPIC_PAGE.render(request, _get_topic(request, pk))


topic_step = business(TOPIC_PAGE.step_view())


# --- decisions to supervision ----------------------------------------------------------------

@business
@require_POST
def supervise_decision(request, pk: int):
    """One decision → one supervision item (the one-time token, and the decision's unique link)."""
    decision = get_object_or_404(Decision.objects.select_related("meeting"), pk=pk)
    meeting = _get_meeting(request, decision.meeting_id)
    try:
        outcome = once.run_once(
            request.POST.get(once.FIELD), user=request.user,
            action=lambda: workflow.supervise_decision(decision=decision, acting_user=request.user),
            describe=lambda item: (meeting.get_absolute_url(),
                                   _("Supervision item %(number)s opened for the decision.") % {"number": item.number}))
    except WorkflowError as exc:
        messages.error(request, exc.message)
        return redirect(meeting.get_absolute_url())
    return finish(request, outcome, meeting.get_absolute_url())


# --- materials, notice, invitation -------------------------------------------------------------

@business
def material(request, pk: int):
    """Materials are served only through this permission check, always as a download; the
    opening is recorded (who opened what)."""
    item = get_object_or_404(Material.objects.select_related("meeting", "topic"), pk=pk)
    meeting = _get_meeting(request, item.meeting_id)
    viewer = permissions.Viewer(meeting, request.user)
    if not viewer.sees_agenda and not (item.topic_id and item.topic.unit_id == request.user.unit_id):
        raise Http404
    with transaction.atomic():
        workflow.record_open(material=item, user=request.user)
        audit.record("meetings.open_material", actor=request.user, obj=meeting,
                     detail={"material": item.pk, "name": item.name})
    return serve_stored_file(item.file, filename=item.name, content_type=item.content_type)


@business
def notice_pdf(request, pk: int):
    meeting = _get_meeting(request, pk)
    if meeting.notice_sent_at is None and not permissions.is_organiser(request.user):
        raise Http404
    audit.record("meetings.print_notice", actor=request.user, obj=meeting)
    return download(printing.notice_pdf(meeting), f"会议通知-{meeting.title}.pdf", "application/pdf")


@business
def summary_pdf(request, pk: int):
    meeting = _get_meeting(request, pk)
    summary = getattr(meeting, "summary", None)
    if summary is None:
        raise Http404
    viewer = permissions.Viewer(meeting, request.user)
    if summary.status != summary.Status.SIGNED and not (viewer.runs_meeting or viewer.screener or viewer.presiding):
        raise Http404
    audit.record("meetings.print_summary", actor=request.user, obj=meeting, detail={"number": summary.number})
    name = summary.number or _("draft")
    return download(printing.summary_pdf(summary), f"会议纪要-{name}.pdf", "application/pdf")


@business
def invitation(request, pk: int):
    meeting = _get_meeting(request, pk)
    return HttpResponse(ics.invitation(meeting, request.user), content_type="text/calendar; charset=utf-8",
                        headers={"Content-Disposition": f'attachment; filename="meeting-{meeting.pk}.ics"'})


# --- sign-in ----------------------------------------------------------------------------------

@business
def qr(request, pk: int):
    """The code shown in the room: a signed link valid during the meeting window."""
    meeting = _get_meeting(request, pk)
    viewer = permissions.Viewer(meeting, request.user)
    if not viewer.runs_meeting:
        raise PermissionDenied
    import segno

    url = settings.SITE_URL + reverse("meetings:signin", args=[meeting.pk]) + "?t=" + signin.make_token(meeting)
    svg = segno.make(url, error="m").svg_inline(scale=8, dark="#000", light="#fff")
    opens, closes = signin.window(meeting)
    return render(request, "meetings/qr.html", {"meeting": meeting, "svg": svg, "url": url, "opens": opens,
                                               "closes": closes})


@business
def signin_view(request, pk: int):
    """Opened from the QR code (login first when needed: the link comes back here). GET shows the
    meeting and a button; POST signs the logged-in person in."""
    meeting = get_object_or_404(Meeting.objects.select_related("type", "room", "presiding"), pk=pk)
    token = request.POST.get("t") or request.GET.get("t", "")
    error = ""
    if request.method == "POST":
        try:
            outcome = once.run_once(
                request.POST.get(once.FIELD), user=request.user,
                action=lambda: workflow.sign_in(meeting=meeting, acting_user=request.user, token=token),
                describe=lambda att: (reverse("meetings:signin", args=[meeting.pk]) + "?done=1",
                                      _signed_message(att)))
        except WorkflowError as exc:
            error = exc.message
        else:
            return finish(request, outcome, meeting.get_absolute_url())
    elif not request.GET.get("done"):
        try:
            signin.check_token(meeting, token)
        except WorkflowError as exc:
            error = exc.message
    return render(request, "meetings/signin.html", {"meeting": meeting, "token": token, "error": error,
                                                   "done": bool(request.GET.get("done"))},
                  status=409 if error else 200)


# --- calendar, feed, discipline ---------------------------------------------------------------

def _month_grid(day: dt.date) -> list[list[dt.date]]:
    return pycal.Calendar(firstweekday=0).monthdatescalendar(day.year, day.month)


@business
def calendar_view(request):
    form = forms.CalendarForm(request.GET or None)
    view, day, scope = "month", timezone.localdate(), "mine"
    if form.is_valid():
        view = form.cleaned_data["view"] or view
        day = form.cleaned_data["date"] or day
        scope = form.cleaned_data["scope"] or scope
    if scope == "all" and not permissions.sees_all(request.user):
        scope = "mine"
    if view == "week":
        start = day - dt.timedelta(days=day.weekday())
        weeks = [[start + dt.timedelta(days=i) for i in range(7)]]
        prev_day, next_day = start - dt.timedelta(days=7), start + dt.timedelta(days=7)
    else:
        weeks = _month_grid(day)
        first = day.replace(day=1)
        prev_day = (first - dt.timedelta(days=1)).replace(day=1)
        next_day = (first + dt.timedelta(days=32)).replace(day=1)
    start, end = weeks[0][0], weeks[-1][-1] + dt.timedelta(days=1)
    meetings = selectors.calendar_meetings(request.user, start, end, scope=scope)
    by_day: dict[dt.date, list] = {}
    for m in meetings:
        by_day.setdefault(timezone.localdate(m.starts_at), []).append(m)
    cal = WorkCalendar.load()
    grid = [[{"date": d, "meetings": by_day.get(d, []), "off": not cal.is_working_day(d),
              "other_month": view == "month" and d.month != day.month, "today": d == timezone.localdate()}
             for d in week] for week in weeks]
    feed = CalendarFeed.objects.filter(user=request.user).first()
    return render(request, "meetings/calendar.html", {
        "form": form, "view": view, "day": day, "scope": scope, "grid": grid, "prev": prev_day, "next": next_day,
        "days": [cell for week in grid for cell in week if cell["meetings"]], "sees_all": permissions.sees_all(
            request.user),
        "feed_url": settings.SITE_URL + reverse("meetings:feed", args=[feed.token]) if feed else ""})


@business
@require_POST
def feed_new(request):
    """Make (or replace) my secret feed link: the old link stops working."""
    with transaction.atomic():
        token = secrets.token_urlsafe(32)
        CalendarFeed.objects.update_or_create(user=request.user, defaults={"token": token,
                                                                           "created_at": timezone.now()})
        audit.record("meetings.feed_link", actor=request.user)
    messages.success(request, _("A new calendar link was made; the old one no longer works."))
    return redirect(reverse("meetings:calendar"))


@login_not_required
def feed(request, token: str):
    """The personal .ics feed behind a secret link (no login: calendar programs cannot log in)."""
    row = CalendarFeed.objects.select_related("user").filter(token=token).first()
    if row is None or not row.user.is_active:
        raise Http404
    data = ics.feed(selectors.feed_meetings(row.user), _("Meetings of %(name)s") % {
        "name": row.user.get_full_name()})
    return HttpResponse(data, content_type="text/calendar; charset=utf-8",
                        headers={"Cache-Control": "private, max-age=300"})


@business
def discipline_view(request):
    if not permissions.may_see_discipline(request.user):
        raise PermissionDenied
    form = forms.PeriodForm(request.GET or None)
    today = timezone.localdate()
    start, end = today.replace(day=1), today
    if form.is_valid():
        start = form.cleaned_data["start"] or start
        end = form.cleaned_data["end"] or end
    report = discipline.report(start, end)
    fmt = request.GET.get("format")
    stem = f"会风会纪通报-{start:%Y%m%d}-{end:%Y%m%d}"
    if fmt in ("pdf", "xlsx") and not form.errors:
        audit.record("meetings.export_discipline", actor=request.user,
                     detail={"start": start.isoformat(), "end": end.isoformat(), "format": fmt})
        if fmt == "pdf":
            return download(discipline.report_pdf(report), f"{stem}.pdf", "application/pdf")
        return download(discipline.report_workbook(report), f"{stem}.xlsx",
                        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    query = request.GET.copy()
    query.pop("format", None)
    return render(request, "meetings/discipline.html", {"form": form, "report": report, "query": query.urlencode()},
                  status=400 if form.errors else 200)
