"""Information pages. Views check permission, call one selector or workflow step, render."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from office import audit, once, paging
from office.http import download, only_for
from office.information import exports, forms, permissions, selectors, workflow
from office.information.models import Item, quarter_span
from office.information.steps import ITEM_STEPS
from office.models import OfficeSettings
from office.steps import StepPage, finish
from office.workflow import WorkflowError

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# Information pages are for secretaries, section chiefs, directors and leaders; anyone else
# (an administrator above all, 三员分立) gets 403.
taking_part = only_for(permissions.takes_part)


@taking_part
def item_list(request):
    reviewer = permissions.is_reviewer(request.user)
    scopes = [("mine", _("My items"))]
    if reviewer:
        scopes.append(("review", _("To review")))
    scopes.append(("all", _("All I may see")))
    scope = request.GET.get("scope") or ("review" if reviewer else "mine")
    if scope not in dict(scopes):
        scope = "mine"
    status = request.GET.get("status") or ""
    if status not in Item.Status.values:
        status = ""
    items = selectors.item_list(request.user, scope=scope, status=status)
    page = paging.page(request, items, 30)
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "information/item_list.html", {
        "page": page, "scope": scope, "scopes": scopes, "status": status, "statuses": Item.Status.choices,
        "query": query.urlencode(), "writer": permissions.is_writer(request.user)})


@taking_part
def item_create(request):
    if not permissions.is_writer(request.user):
        raise PermissionDenied
    form = forms.NewItemForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            outcome = once.run_once(
                request.POST.get(once.FIELD), user=request.user,
                action=lambda: workflow.create_item(acting_user=request.user, title=d["title"], body=d["body"],
                                                    category=d["category"], source=d["source"], submit=d["submit"]),
                describe=lambda item: (item.get_absolute_url(), _created(item, d["submit"])))
        except WorkflowError as exc:
            form.add_error(None, exc.message)
        else:
            return finish(request, outcome, reverse("information:list"))
    return render(request, "information/item_form.html", {"form": form}, status=400 if form.errors else 200)


def _created(item: Item, submitted: bool) -> str:
    if submitted:
        return _("%(title)s sent to the information section for review.") % {"title": item.title}
    return _("%(title)s saved as a draft.") % {"title": item.title}


def _get_item(request, pk: int) -> Item:
    if not permissions.takes_part(request.user):
        raise PermissionDenied
    try:
        return selectors.item_detail(request.user, pk)
    except Item.DoesNotExist:
        raise Http404 from None


def _item_context(request, item: Item) -> dict:
    return {"item": item, "adoptions": selectors.adoptions_of(item),
            "dispatches": list(item.dispatches.select_related("outlet", "sent_by")),
            "events": list(item.events.select_related("actor")),
            "nothing_to_do": _("Nothing for you to do on this item now.")}


ITEM_PAGE = StepPage(
    steps=ITEM_STEPS, template="information/item_detail.html", url_name="information:step",
    get_object=_get_item, allowed=lambda request, item: workflow.allowed_steps(item, request.user),
    context=_item_context)


@taking_part
def item_detail(request, pk: int):
    return ITEM_PAGE.render(request, _get_item(request, pk))


item_step = taking_part(ITEM_PAGE.step_view())


def _period(request) -> tuple[int, int, forms.QuarterForm]:
    year, quarter = selectors.current_quarter()
    form = forms.QuarterForm(request.GET or None, initial={"year": year, "quarter": quarter})
    if form.is_valid():
        year = form.cleaned_data["year"] or year
        quarter = form.cleaned_data["quarter"] or quarter
    return year, quarter, form


def _note(closed) -> str:
    if closed is None:
        return _("Open quarter: figures follow every adoption and withdrawal as it is recorded.")
    return _("Closed on %(day)s by %(name)s: the figures are frozen.") % {
        "day": f"{closed.closed_at:%Y-%m-%d}", "name": closed.closed_by.get_full_name()}


@taking_part
def quarter(request):
    """Every secretary's result for a quarter (zeros included), ranked; ``?format=xlsx|pdf``."""
    year, q, form = _period(request)
    rows = selectors.quarter_results(year=year, quarter=q)
    closed = selectors.closed_quarter(year, q)
    note = _note(closed)
    fmt = request.GET.get("format")
    if fmt in ("xlsx", "pdf"):
        audit.record("information.export_quarter", actor=request.user,
                     detail={"year": year, "quarter": q, "format": fmt})
        stem = f"政务信息-{year}年第{q}季度"
        if fmt == "xlsx":
            return download(exports.workbook(rows, year, q, note), f"{stem}.xlsx", XLSX)
        return download(exports.quarter_pdf(rows, year, q, note, OfficeSettings.load().office_name),
                        f"{stem}.pdf", "application/pdf")
    start, end = quarter_span(year, q)
    return render(request, "information/quarter.html", {
        "rows": rows, "year": year, "quarter": q, "form": form, "closed": closed, "note": note,
        "start": start, "end": end, "may_close": closed is None and permissions.may_close_quarter(request.user),
        "totals": {"adopted": sum(r.adopted for r in rows), "met": sum(r.quota_met for r in rows),
                   "points": exports.figure(sum((r.points for r in rows), start=0))},
        "figure": exports.figure})


@require_POST
@taking_part
def quarter_close(request):
    try:
        year, q = int(request.POST.get("year", "")), int(request.POST.get("quarter", ""))
    except ValueError:
        messages.error(request, _("Choose a year and a quarter."))
        return redirect("information:quarter")
    url = f"{reverse('information:quarter')}?year={year}&quarter={q}"
    try:
        outcome = once.run_once(
            request.POST.get(once.FIELD), user=request.user,
            action=lambda: workflow.close_quarter(acting_user=request.user, year=year, quarter=q),
            describe=lambda closed: (url, _("Quarter %(q)d of %(y)d closed: its results are frozen.")
                                     % {"q": q, "y": year}))
    except WorkflowError as exc:
        messages.error(request, exc.message)
        return redirect(url)
    return finish(request, outcome, url)
