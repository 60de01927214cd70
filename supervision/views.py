"""Supervision pages. Views check permission, call one selector or workflow step, render."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from office import audit, exports, once, paging, roles
from office.http import download, serve_stored_file
from office.steps import StepPage, finish
from office.workdays import WorkCalendar, applied_deadline_note, with_note
from supervision import forms, reports, selectors, timeliness, workflow
from supervision.models import Chase, Extension, Item, Status
from supervision.steps import STEPS
from supervision.workflow import WorkflowError, is_manager


def _manager(request) -> bool:
    """Whether the user manages items (supervision office, directors); once per request."""
    if not hasattr(request, "_supervision_manager"):
        request._supervision_manager = is_manager(request.user)
    return request._supervision_manager


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
            deadline_from=data["deadline_from"], deadline_to=data["deadline_to"], q=data["q"], state=data["state"],
            figure=data["figure"], period=data["period"] or "week", anchor=data["anchor"])
    if f.scope not in selectors.SCOPES:
        f.scope = "mine"
    return form, f


def item_list(request):
    manager = is_manager(request.user)
    form, filters = _filters(request, manager)
    items, counts = selectors.item_list(request.user, filters, cal=WorkCalendar.load(),
                                        manager=manager)
    # the counts per status are the page's total: never counted twice
    total = counts.get(filters.status, 0) if filters.status else sum(counts.values())
    page = paging.page(request, items, 50, count=total)
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
            outcome = once.run_once(
                request.POST.get(once.FIELD), user=request.user,
                action=lambda: workflow.create_item(
                    acting_user=request.user, title=d["title"], requirement=d["requirement"],
                    source_kind=d["source_kind"], lead_unit=d["lead_unit"], responsible=d["responsible"],
                    supervisor=d["supervisor"], deadline=d["deadline"], working_days=d["working_days"],
                    instructing_leader=d["instructing_leader"], co_units=d["co_units"],
                    priority=d["priority"], milestones=d["milestones"], assign=d["assign_now"]),
                describe=lambda item: (item.get_absolute_url(), with_note(
                    _item_opened_message(item),
                    applied_deadline_note(d["deadline"] or item.deadline, item.deadline,
                                          item.deadline_provisional))))
        except WorkflowError as exc:
            form.add_error(None, exc.message)
        else:
            return finish(request, outcome, reverse("supervision:list"))
    return render(request, "supervision/item_form.html", {"form": form},
                  status=400 if form.errors else 200)


def _item_opened_message(item: Item) -> str:
    if item.status == Status.DRAFT:
        return _("Item %(number)s opened (not assigned yet).") % {"number": item.number}
    return _("Item %(number)s opened and assigned to %(person)s.") % {
        "number": item.number, "person": item.responsible.get_full_name()}


def _get_item(request, pk: int, manager: bool | None = None) -> Item:
    manager = _manager(request) if manager is None else manager
    try:
        return selectors.item_detail(request.user, pk, manager=manager)
    except Item.DoesNotExist:
        audit.record_not_found(request.user, Item, pk)
        raise Http404 from None


def _page_context(request, item: Item) -> dict:
    manager = _manager(request)
    cal = WorkCalendar.load()
    thresholds = selectors.level_thresholds(cal, timezone.localdate())
    pending = next((e for e in item.extensions.all() if e.decision == Extension.Decision.PENDING), None)
    clock = timeliness.clock(item, today=timezone.localdate(), cal=cal, thresholds=thresholds)
    return {
        "item": item, "pending_extension": pending, "clock": clock,
        "level": clock.level, "level_css": selectors.LEVEL_CSS,
        "manager": manager, "events": list(item.events.all()),
        "origin_url": _origin_url(item),
    }


ITEM_PAGE = StepPage(
    steps=STEPS, template="supervision/item_detail.html", url_name="supervision:step",
    get_object=_get_item,
    allowed=lambda request, item: workflow.allowed_steps(item, request.user, manager=_manager(request)),
    context=_page_context,
)


def _origin_url(item: Item) -> str:
    origin = item.origin if item.origin_type_id else None
    return origin.get_absolute_url() if origin is not None and hasattr(origin, "get_absolute_url") else ""


def item_detail(request, pk: int):
    item = _get_item(request, pk)
    audit.record_view("supervision.view", request.user, item)
    return ITEM_PAGE.render(request, item)


item_step = ITEM_PAGE.step_view()


def ledger_export(request):
    manager = is_manager(request.user)
    _form, filters = _filters(request, manager)
    items, _counts = selectors.item_list(request.user, filters, cal=WorkCalendar.load(),
                                         manager=manager)
    audit.record("supervision.export_ledger", actor=request.user,
                 detail={"query": request.GET.urlencode()})
    chunks = reports.ledger_stream(items.select_related("supervisor", "instructing_leader")
                                   .prefetch_related("co_units"))
    return exports.streamed_download(chunks, f"督查台账-{timezone.localdate():%Y%m%d}.xlsx")


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
    """Attachments are served only through this permission check (never as public media),
    always as a download of the type detected at upload."""
    from supervision.models import Attachment

    att = get_object_or_404(Attachment.objects.select_related("report"), pk=pk)
    _get_item(request, att.report.item_id, is_manager(request.user))
    audit.record("supervision.download_attachment", actor=request.user, obj=att.report.item,
                 detail={"attachment": att.pk})  # not its name: that may be business content
    return serve_stored_file(att.file, filename=att.name, content_type=att.content_type)
