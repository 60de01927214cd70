"""Supervision pages. Views check permission, call one selector or workflow step, render."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from office import audit, roles
from office.http import download
from office.workdays import WorkCalendar
from supervision import forms, reports, selectors, timeliness, workflow
from supervision.models import Chase, Extension, Item, Status
from supervision.workflow import WorkflowError, is_manager


def _default_scope(user, manager: bool) -> str:
    if manager:
        return "all"
    if roles.has_role(user, roles.COUNTY_LEADER):
        return "instructed"
    return "mine"


def _filters(request, manager: bool) -> tuple[forms.FilterForm, selectors.ItemFilters]:
    form = forms.FilterForm(request.GET or None)
    f = selectors.ItemFilters(scope=_default_scope(request.user, manager))
    if form.is_valid():
        data = form.cleaned_data
        f = selectors.ItemFilters(
            scope=data["scope"] or f.scope, status=data["status"], source=data["source"],
            unit=data["unit"].pk if data["unit"] else None, level=data["level"],
            deadline_from=data["deadline_from"], deadline_to=data["deadline_to"], q=data["q"],
            figure=data["figure"], period=data["period"] or "week", anchor=data["anchor"])
    if f.scope not in selectors.SCOPES:
        f.scope = "mine"
    return form, f


def item_list(request):
    manager = is_manager(request.user)
    form, filters = _filters(request, manager)
    items, counts = selectors.item_list(request.user, filters, cal=WorkCalendar.load(),
                                        manager=manager)
    page = Paginator(items, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    status_query = request.GET.copy()
    for key in ("page", "status"):
        status_query.pop(key, None)
    figure = None
    if filters.figure:
        start, end = reports.period_bounds(filters.period, filters.anchor or timezone.localdate())
        figure = {"label": reports.figure_labels()[filters.figure],
                  "period": reports.period_label(filters.period, start, end),
                  "report_url": f"{reverse('supervision:report')}?kind={filters.period}&date={start:%Y-%m-%d}"}
    context = {
        "form": form, "filters": filters, "page": page, "query": query.urlencode(), "figure": figure,
        "status_query": status_query.urlencode(),
        "counts": [(value, label, counts.get(value, 0)) for value, label in Status.choices],
        "total": sum(counts.values()), "manager": manager, "level_css": selectors.LEVEL_CSS,
        "may_see_reports": _may_see_reports(request.user),
        "scopes": [(s, label) for s, label in forms.FilterForm.base_fields["scope"].choices
                   if s != "all" or manager],
    }
    template = "supervision/_item_table.html" if request.headers.get("HX-Request") else \
        "supervision/item_list.html"
    return render(request, template, context)


def item_create(request):
    if not is_manager(request.user):
        raise PermissionDenied
    form = forms.ItemForm(request.POST or None, initial={"supervisor": request.user})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            item = workflow.create_item(
                acting_user=request.user, title=d["title"], requirement=d["requirement"],
                source_kind=d["source_kind"], lead_unit=d["lead_unit"], responsible=d["responsible"],
                supervisor=d["supervisor"], deadline=d["deadline"], working_days=d["working_days"],
                instructing_leader=d["instructing_leader"], co_units=d["co_units"],
                priority=d["priority"], milestones=d["milestones"], assign=d["assign_now"])
        except WorkflowError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Item %(number)s opened.") % {"number": item.number})
            return redirect(item)
    return render(request, "supervision/item_form.html", {"form": form},
                  status=400 if form.errors else 200)


def _get_item(request, pk: int, manager: bool) -> Item:
    try:
        return selectors.item_detail(request.user, pk, manager=manager)
    except Item.DoesNotExist:
        raise Http404 from None


STEP_LABELS = {
    "assign": gettext_lazy("Assign"), "acknowledge": gettext_lazy("Acknowledge"),
    "dispute": gettext_lazy("Dispute the assignment"), "reassign": gettext_lazy("Reassign"),
    "report_progress": gettext_lazy("Report progress"), "report_result": gettext_lazy("Report the result"),
    "accept": gettext_lazy("Verify and close"), "return": gettext_lazy("Return the result"),
    "request_extension": gettext_lazy("Request an extension"),
    "decide_extension": gettext_lazy("Decide the extension"), "chase": gettext_lazy("Chase (催办)"),
    "comment": gettext_lazy("Comment"),
}
# The step shown first (and open) when several are allowed: the one obvious next action.
STEP_ORDER = ["assign", "acknowledge", "accept", "decide_extension", "reassign", "report_progress",
              "report_result", "return", "request_extension", "dispute", "chase", "comment"]

STEP_FORMS = {
    "dispute": forms.TextForm, "return": forms.TextForm, "chase": forms.TextForm,
    "comment": forms.TextForm, "report_progress": forms.ProgressForm,
    "report_result": forms.ResultForm, "request_extension": forms.ExtensionForm,
    "decide_extension": forms.DecisionForm, "reassign": forms.ReassignForm,
}


def _detail_context(request, item: Item, manager: bool, bound: dict | None = None) -> dict:
    cal = WorkCalendar.load()
    thresholds = selectors.level_thresholds(cal, timezone.localdate())
    steps = sorted(workflow.allowed_steps(item, request.user, manager=manager),
                   key=STEP_ORDER.index)
    step_forms = {name: (bound or {}).get(name) or STEP_FORMS[name](prefix=name)
                  for name in steps if name in STEP_FORMS}
    if "reassign" in step_forms and not (bound or {}).get("reassign"):
        step_forms["reassign"] = forms.ReassignForm(prefix="reassign", initial={
            "lead_unit": item.lead_unit_id, "responsible": item.responsible_id})
    actions = [{"name": n, "label": STEP_LABELS[n], "form": step_forms.get(n),
                "url": reverse("supervision:step", args=[item.pk, n])} for n in steps]
    pending = next((e for e in item.extensions.all() if e.decision == Extension.Decision.PENDING), None)
    clock = timeliness.clock(item, today=timezone.localdate(), cal=cal, thresholds=thresholds)
    return {
        "item": item, "steps": steps, "step_forms": step_forms, "actions": actions,
        "pending_extension": pending, "clock": clock,
        "level": clock.level, "level_css": selectors.LEVEL_CSS,
        "manager": manager, "events": list(item.events.all()),
        "origin_url": _origin_url(item),
    }


def _origin_url(item: Item) -> str:
    origin = item.origin if item.origin_type_id else None
    return origin.get_absolute_url() if origin is not None and hasattr(origin, "get_absolute_url") else ""


def item_detail(request, pk: int):
    manager = is_manager(request.user)
    item = _get_item(request, pk, manager)
    return render(request, "supervision/item_detail.html", _detail_context(request, item, manager))


@require_POST
def item_step(request, pk: int, step: str):
    if step not in workflow.TRANSITIONS:
        raise Http404
    manager = is_manager(request.user)
    item = _get_item(request, pk, manager)
    form_class = STEP_FORMS.get(step)
    form = form_class(request.POST, request.FILES, prefix=step) if form_class else None
    if form is not None and not form.is_valid():
        messages.error(request, _("Please correct the errors below."))
        ctx = _detail_context(request, item, manager, bound={step: form})
        ctx["failed_step"] = step
        return render(request, "supervision/item_detail.html", ctx, status=400)
    data = form.cleaned_data if form is not None else {}
    try:
        _run_step(step, item, request.user, data)
    except WorkflowError as exc:
        messages.error(request, exc.message)
        ctx = _detail_context(request, _get_item(request, pk, manager), manager,
                              bound={step: form} if form is not None else None)
        ctx["failed_step"] = step
        return render(request, "supervision/item_detail.html", ctx, status=409)
    messages.success(request, _("Done."))
    return redirect(item)


def _run_step(step: str, item: Item, user, data: dict):
    kw = {"item": item, "acting_user": user}
    match step:
        case "assign":
            return workflow.assign(**kw)
        case "acknowledge":
            return workflow.acknowledge(**kw)
        case "dispute":
            return workflow.dispute(**kw, reason=data["text"])
        case "reassign":
            return workflow.reassign(**kw, lead_unit=data["lead_unit"],
                                     responsible=data["responsible"], note=data["note"])
        case "report_progress":
            return workflow.report_progress(**kw, text=data["text"], progress_on=data["progress_on"],
                                            files=data["files"])
        case "report_result":
            return workflow.report_result(**kw, result=data["result"], files=data["files"])
        case "accept":
            return workflow.accept(**kw)
        case "return":
            return workflow.return_item(**kw, reason=data["text"])
        case "request_extension":
            return workflow.request_extension(**kw, new_deadline=data["new_deadline"],
                                              reason=data["reason"])
        case "decide_extension":
            return workflow.decide_extension(extension=workflow.pending_extension(item),
                                             acting_user=user,
                                             approve=data["approve"], note=data["note"])
        case "chase":
            return workflow.chase(**kw, note=data["text"])
        case "comment":
            return workflow.comment(**kw, text=data["text"])
    raise Http404


def ledger_export(request):
    manager = is_manager(request.user)
    _form, filters = _filters(request, manager)
    items, _counts = selectors.item_list(request.user, filters, cal=WorkCalendar.load(),
                                         manager=manager)
    data = reports.ledger_workbook(items.select_related("supervisor", "instructing_leader")
                                   .prefetch_related("co_units"))
    audit.record("supervision.export_ledger", actor=request.user,
                 detail={"query": request.GET.urlencode()})
    return download(data, f"督查台账-{timezone.localdate():%Y%m%d}.xlsx",
                     "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def _may_see_reports(user) -> bool:
    return is_manager(user) or roles.has_role(user, roles.COUNTY_LEADER)


def report(request):
    manager = is_manager(request.user)
    if not (manager or roles.has_role(request.user, roles.COUNTY_LEADER)):
        raise PermissionDenied
    form = forms.ReportForm(request.GET or None)
    kind, anchor = "week", timezone.localdate()
    if form.is_valid():
        kind, anchor = form.cleaned_data["kind"], form.cleaned_data["date"] or anchor
    data = reports.unit_report(kind, anchor)
    fmt = request.GET.get("format")
    stem = f"督查通报-{data.start:%Y%m%d}-{data.end:%Y%m%d}"
    if fmt in ("pdf", "xlsx"):
        audit.record("supervision.export_report", actor=request.user,
                     detail={"kind": kind, "start": data.start.isoformat(), "format": fmt})
    if fmt == "pdf":
        return download(reports.report_pdf(data), f"{stem}.pdf", "application/pdf")
    if fmt == "xlsx":
        return download(reports.report_workbook(data), f"{stem}.xlsx",
                         "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    query = request.GET.copy()
    query.pop("format", None)
    # each figure links to the list of the items it counts (for those who may list every item)
    list_url = (f"{reverse('supervision:list')}?scope=all&period={kind}&anchor={data.start:%Y-%m-%d}"
                if manager else "")
    return render(request, "supervision/report.html",
                  {"form": form, "data": data, "query": query.urlencode(), "list_url": list_url,
                   "figures": reports.FIGURES})


def chase_pdf(request, pk: int):
    chase = get_object_or_404(Chase.objects.select_related("item"), pk=pk)
    _get_item(request, chase.item_id, is_manager(request.user))  # 404 unless the item is visible
    audit.record("supervision.print_chase", actor=request.user, obj=chase.item,
                 detail={"number": chase.number})
    return download(reports.chase_pdf(chase), f"催办通知单-{chase.number}.pdf", "application/pdf")


def attachment(request, pk: int):
    """Attachments are served only through this permission check (never as public media)."""
    from django.http import FileResponse

    from supervision.models import Attachment

    att = get_object_or_404(Attachment.objects.select_related("report"), pk=pk)
    _get_item(request, att.report.item_id, is_manager(request.user))
    audit.record("supervision.download_attachment", actor=request.user, obj=att.report.item,
                 detail={"attachment": att.pk, "name": att.name})
    return FileResponse(att.file.open("rb"), as_attachment=True, filename=att.name)
