"""Outgoing-document pages. Views check permission, call one selector or step, render."""

from __future__ import annotations

import datetime as dt
import difflib

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from documents.outgoing import checks, forms, printing, selectors, workflow
from documents.outgoing.models import Distribution, OutgoingDocument
from documents.outgoing.steps import STEPS
from documents.workflow import is_document_office
from office import audit, once, paging
from office.http import download
from office.steps import StepPage, finish
from office.workflow import WorkflowError


def _office(request) -> bool:
    if not hasattr(request, "_document_office"):
        request._document_office = is_document_office(request.user)
    return request._document_office


def _get(request, pk: int) -> OutgoingDocument:
    try:
        return selectors.detail(request.user, pk, office=_office(request))
    except OutgoingDocument.DoesNotExist:
        audit.record_not_found(request.user, OutgoingDocument, pk)
        raise Http404 from None


def _page_context(request, doc: OutgoingDocument) -> dict:
    found = workflow.findings(doc) if doc.status in workflow.EDITABLE else []
    versions = list(doc.versions.all())
    mine = next((d for d in doc.distributions.all() if d.unit_id == request.user.unit_id), None)
    return {
        "doc": doc, "office": _office(request), "findings": found, "versions": versions,
        "errors": checks.errors(found), "warnings": checks.warnings(found),
        "my_distribution": mine, "signature": printing.signature_status(doc) if doc.pdf else None,
    }


OUTGOING_PAGE = StepPage(
    steps=STEPS, template="documents/outgoing/detail.html", url_name="documents:outgoing_step",
    get_object=_get,
    allowed=lambda request, doc: workflow.allowed_steps(doc, request.user, office=_office(request)),
    context=_page_context,
)


def outgoing_list(request):
    office = _office(request)
    form = forms.RegisterFilterForm(request.GET or None)
    filters = selectors.RegisterFilters()
    waiting = False
    if form.is_valid():
        d = form.cleaned_data
        month = dt.date.fromisoformat(f"{d['month']}-01") if d["month"] else None
        filters = selectors.RegisterFilters(year=d["year"], code=d["code"].pk if d["code"] else None, q=d["q"],
                                            month=month, unit=d["unit"])
        waiting = d["waiting"] == "me"
    numbers = (selectors.number_register(filters) if office else
               selectors.number_register(filters).filter(
                   document__in=selectors.visible_to(request.user, office=office)))
    drafts = selectors.waiting_for(request.user) if waiting else selectors.in_flight(request.user, office=office)
    return render(request, "documents/outgoing/list.html", {
        # a month's output is a figure the page states: counted exactly (one month, by its index)
        "form": form, "page": paging.page(request, numbers, 50, count=numbers.count() if filters.month else None),
        "filters": filters, "waiting": waiting,
        "drafts": paging.paginate(drafts, request.GET.get("dpage"), 50),
        "may_draft": workflow.may_draft(request.user),
    })


def outgoing_new(request):
    if not workflow.may_draft(request.user):
        raise PermissionDenied
    form = forms.DraftForm(request.POST or None, initial={"copies": 1})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            outcome = once.run_once(
                request.POST.get(once.FIELD), user=request.user,
                action=lambda: workflow.create_draft(
                    acting_user=request.user, doc_type=d["doc_type"], authority=d["authority"], code=d["code"],
                    title=d["title"], body=d["body"], main_recipients=list(d["main_recipients"]),
                    main_recipients_text=d["main_recipients_text"], copy_recipients=list(d["copy_recipients"]),
                    co_issuers=list(d["co_issuers"]), attachment_titles=d["attachment_titles"],
                    urgency=d["urgency"], note=d["note"], printing_unit=d["printing_unit"], copies=d["copies"],
                    is_important=d["is_important"]),
                describe=lambda doc: (doc.get_absolute_url(), _("Draft saved: %(title)s.") % {"title": doc.title}))
        except WorkflowError as exc:
            form.add_error(None, exc.message)
        else:
            return finish(request, outcome, reverse("documents:outgoing"))
    return render(request, "documents/outgoing/form.html", {"form": form}, status=400 if form.errors else 200)


def outgoing_detail(request, pk: int):
    doc = _get(request, pk)
    audit.record_view("outgoing.view", request.user, doc)
    return OUTGOING_PAGE.render(request, doc)


outgoing_step = OUTGOING_PAGE.step_view()


def version_diff(request, pk: int):
    """The difference between two versions of the body (``?a=1&b=3``)."""
    doc = _get(request, pk)
    versions = {v.number: v for v in doc.versions.all()}
    try:
        a, b = int(request.GET.get("a", 0)), int(request.GET.get("b", 0))
    except ValueError:
        a = b = 0
    if a not in versions or b not in versions:
        numbers = sorted(versions)
        a, b = (numbers[-2], numbers[-1]) if len(numbers) > 1 else (numbers[0], numbers[0])
    rows = []
    old, new = versions[a], versions[b]
    for line in difflib.ndiff([old.title, *old.body.splitlines()], [new.title, *new.body.splitlines()]):
        if line.startswith("? "):
            continue
        rows.append({"op": {"+": "add", "-": "del"}.get(line[0], "same"), "text": line[2:]})
    return render(request, "documents/outgoing/diff.html", {"doc": doc, "a": old, "b": new, "rows": rows,
                                                             "numbers": sorted(versions)})


def outgoing_pdf(request, pk: int):
    doc = _get(request, pk)
    if not doc.pdf:
        raise Http404
    audit.record("outgoing.download_pdf", actor=request.user, obj=doc)
    return FileResponse(doc.pdf.open("rb"), as_attachment=True, filename=f"{doc.number}.pdf",
                        content_type="application/pdf")


def preview_pdf(request, pk: int):
    """The draft as it will print (before numbering: the number left blank)."""
    doc = _get(request, pk)
    audit.record("outgoing.preview", actor=request.user, obj=doc)
    return download(printing.preview_pdf(doc), f"{doc.title[:40]}-预览.pdf", "application/pdf")


@require_POST
def sign_for(request, pk: int):
    row = get_object_or_404(Distribution.objects.select_related("document"), pk=pk)
    doc = _get(request, row.document_id)
    try:
        workflow.sign_for(distribution=row, acting_user=request.user)
    except WorkflowError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Signed for %(number)s.") % {"number": doc.number})
    return redirect(doc)


@require_POST
def register_incoming(request, pk: int):
    """A recipient inside the county office receives the document as a registered incoming
    document in one step."""
    from documents.outgoing import dispatching

    row = get_object_or_404(Distribution.objects.select_related("document", "unit"), pk=pk)
    doc = _get(request, row.document_id)
    try:
        outcome = once.run_once(
            request.POST.get(once.FIELD), user=request.user,
            action=lambda: dispatching.register_as_incoming(distribution=row, acting_user=request.user),
            describe=lambda incoming: (incoming.get_absolute_url(),
                                       _("Registered as %(number)s.") % {"number": incoming.number}))
    except WorkflowError as exc:
        messages.error(request, exc.message)
        return redirect(doc)
    return finish(request, outcome, doc.get_absolute_url())


def register_export(request):
    if not _office(request):
        raise PermissionDenied
    form = forms.RegisterFilterForm(request.GET or None)
    filters = selectors.RegisterFilters()
    if form.is_valid():
        d = form.cleaned_data
        filters = selectors.RegisterFilters(year=d["year"], code=d["code"].pk if d["code"] else None, q=d["q"])
    audit.record("outgoing.export_register", actor=request.user, detail={"query": request.GET.urlencode()})
    return download(printing.register_workbook(selectors.number_register(filters)),
                    f"发文登记簿-{timezone.localdate():%Y%m%d}.xlsx",
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
