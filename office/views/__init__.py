"""Pages of the office core: the desk, notifications, the rules library."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from office import desk, notify, paging, roles, selectors, services
from office.models import Rule, RuleArea, RuleVersion


def desk_view(request):
    """The day's work: the queues of what waits for this person or their office (counts on top,
    each count the length of its list), the apps' panels, then the open notifications."""
    user = request.user
    panels = desk.panels_for(user)
    queues = desk.queues_for(desk.DeskContext(user))
    return render(request, "office/desk.html", {
        "notifications": selectors.recent_notifications(user, limit=8, unread_only=True),
        "queues": queues,
        "waiting": sum(q.count for q in queues),
        "top_panels": [p for p in panels if p[0].order < 10],
        "panels": [p for p in panels if p[0].order >= 10],
        "today": timezone.localdate(),
    })


def deadline_hint(request):
    """The date that applies to a deadline being typed (htmx, from ``office.forms.DeadlineInput``):
    a day off moves it to the next working day; an unloaded year or a date out of range says so."""
    import datetime as dt

    from django.http import HttpResponse
    from django.utils.html import escape

    from office import dates
    from office.workdays import WorkCalendar

    typed = None
    for value in request.GET.values():
        try:
            typed = dt.date.fromisoformat(value.strip())
            break
        except ValueError:
            continue
    if typed is None:
        return HttpResponse("")
    message = dates.problem(typed, dates.Bound.DEADLINE)
    css = "text-danger"
    if not message:
        message, css = WorkCalendar.load().deadline_notice(typed), "text-warning-emphasis"
    return HttpResponse(f'<span class="{css}" data-testid="deadline-hint">{escape(message)}</span>'
                        if message else "")


def notifications_view(request):
    page = paging.page(request, selectors.notifications_page(request.user), 30)
    return render(request, "office/notifications.html", {"page": page})


@require_POST
def notifications_mark_read(request):
    ids = request.POST.getlist("id")
    clean_ids = [int(i) for i in ids if i.isascii() and i.isdigit()] or None
    count = notify.mark_read(user=request.user, notification_ids=clean_ids)
    if request.headers.get("HX-Request"):
        return render(request, "office/_unread_badge.html",
                      {"unread_count": selectors.unread_count(request.user)})
    messages.success(request, _("%(count)d notifications marked read.") % {"count": count})
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        target = "office:notifications"
    return redirect(target)


def rules_view(request):
    statuses = selectors.rule_library(request.user)
    areas = []
    for value, label in RuleArea.choices:
        items = [s for s in statuses if s.rule.area == value]
        areas.append({"value": value, "label": label, "items": items})
    pending = sum(1 for s in statuses if s.binding and not s.acknowledged_at)
    return render(request, "office/rules.html", {"areas": areas, "pending": pending})


def rule_detail(request, pk: int):
    rule = get_object_or_404(Rule, pk=pk)
    versions = selectors.rule_versions(rule)
    today = timezone.localdate()
    current = next((v for v in versions if v.is_in_force(today)), None)
    shown = current
    if "v" in request.GET:
        shown = next((v for v in versions if str(v.number) == request.GET["v"]), None)
        if shown is None:
            from django.http import Http404

            raise Http404
    acknowledged = selectors.my_acknowledgement(current, request.user)
    return render(request, "office/rule_detail.html", {
        "rule": rule, "versions": versions, "current": current, "shown": shown,
        "acknowledged": acknowledged,
    })


@require_POST
def rule_acknowledge(request, pk: int):
    version = get_object_or_404(RuleVersion.objects.select_related("rule"), pk=pk)
    try:
        services.acknowledge_rule(version=version, acting_user=request.user)
    except (PermissionDenied, ValidationError) as exc:
        messages.error(request, exc.messages[0] if hasattr(exc, "messages") else str(exc))
    else:
        messages.success(request, _("Recorded: you have read “%(title)s”.") % {"title": version.title})
    return redirect("office:rule_detail", pk=version.rule_id)


def acknowledgements_view(request):
    if not roles.has_role(request.user, roles.SECTION_CHIEF, roles.OFFICE_DIRECTOR):
        raise PermissionDenied
    unit = request.user.unit
    rows = selectors.unacknowledged_in_unit(unit) if unit else []
    return render(request, "office/acknowledgements.html", {"unit": unit, "rows": rows})


def unit_detail(request, pk: int):
    """A unit's page: what it is, its head, and whom it answers to in the office (归口秘书,
    分管主任). For the people doing the office's business; an administrator gets a 403."""
    from office.models import Unit

    if not roles.is_business_user(request.user):
        raise PermissionDenied
    unit = get_object_or_404(Unit.objects.select_related("head", "liaison_secretary", "liaison_director"), pk=pk)
    return render(request, "office/unit_detail.html", {"unit": unit})
