"""Incoming-document pages. Views check permission, call one selector or step, render."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from documents import forms, printing, selectors, workflow
from documents.models import Circulation, DocumentAttachment, DocumentSettings, IncomingDocument
from documents.steps import STEPS
from documents.workflow import WorkflowError, is_document_office
from office import audit, exports, once, paging, roles
from office.http import download, serve_stored_file
from office.steps import StepPage, finish


def _office(request) -> bool:
    """Whether the user runs the intake desk; computed once per request."""
    if not hasattr(request, "_document_office"):
        request._document_office = is_document_office(request.user)
    return request._document_office


def _filters(request) -> tuple[forms.RegisterFilterForm, selectors.RegisterFilters]:
    form = forms.RegisterFilterForm(request.GET or None)
    f = selectors.RegisterFilters()
    if form.is_valid():
        d = form.cleaned_data
        f = selectors.RegisterFilters(
            date_from=d["date_from"], date_to=d["date_to"],
            sender=d["sender"].pk if d["sender"] else None,
            doc_type=d["doc_type"].pk if d["doc_type"] else None,
            urgency={"": None, "plain": ""}.get(d["urgency"], d["urgency"]),
            status=d["status"], q=d["q"], clock=d["clock"])
    return form, f


def register_list(request):
    office = _office(request)
    form, f = _filters(request)
    docs = selectors.register(request.user, f, office=office)
    page = paging.page(request, docs, 50)
    query = request.GET.copy()
    query.pop("page", None)
    template = "documents/_register_table.html" if request.headers.get("HX-Request") else \
        "documents/register.html"
    return render(request, template, {"form": form, "page": page, "query": query.urlencode(),
                                      "office": office})


def register_export(request):
    office = _office(request)
    _form, f = _filters(request)
    audit.record("documents.export_register", actor=request.user,
                 detail={"query": request.GET.urlencode()})
    # streamed while the rows are read: constant memory, never a worker held for the whole file
    return exports.streamed_download(printing.register_stream(selectors.register(request.user, f, office=office)),
                                     f"收文登记簿-{timezone.localdate():%Y%m%d}.xlsx")


def returned_list(request):
    office = _office(request)
    page = paging.page(request, selectors.returned_register(request.user, office=office), 50)
    return render(request, "documents/returned.html", {"page": page})


def board(request):
    office = _office(request)
    if not office:
        raise PermissionDenied
    data = selectors.board(request.user, office=office)
    template = "documents/_board.html" if request.headers.get("HX-Request") else "documents/board.html"
    return render(request, template, {"board": data})


def register_new(request):
    if not _office(request):
        raise PermissionDenied
    conf = DocumentSettings.load()
    initial = {"received_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
               "signed_by": request.user.pk, "copies": 1, "pages": 1}
    form = forms.RegisterForm(request.POST or None, request.FILES or None, initial=initial,
                              office_unit=conf.office_unit)
    duplicate = None
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            outcome = once.run_once(
                request.POST.get(once.FIELD), user=request.user,
                action=lambda: workflow.register(
                    acting_user=request.user, sender=d["sender"], sender_number=d["sender_number"],
                    title=d["title"], doc_type=d["doc_type"], handling=d["handling"],
                    is_telegram=d["is_telegram"], urgency=d["urgency"] or "",
                    secrecy=d["secrecy"] or "", secrecy_years=d["secrecy_years"], copies=d["copies"],
                    pages=d["pages"], received_at=d["received_at"], signed_by=d["signed_by"],
                    files=d["files"]),
                describe=lambda doc: (doc.get_absolute_url(), _registered_message(doc)))
        except WorkflowError as exc:
            form.add_error(None, exc.message)
            duplicate = exc.existing
        else:
            if not outcome.duplicate:
                warning = workflow.sender_number_warning(outcome.result.sender_number)
                if warning:
                    messages.warning(request, warning)
            return finish(request, outcome, reverse("documents:register"))
    units = selectors.unit_names()
    return render(request, "documents/register_form.html",
                  {"form": form, "units": units, "duplicate": duplicate},
                  status=400 if form.errors else 200)


def _registered_message(doc: IncomingDocument) -> str:
    message = _("Registered as %(number)s, due %(due)s.") % {
        "number": doc.number, "due": timezone.localtime(doc.due_at).strftime("%m-%d %H:%M")}
    if doc.due_provisional:
        message += " " + _("The due time is provisional: the working-day calendar of %(year)d is "
                           "not loaded yet.") % {"year": timezone.localtime(doc.due_at).year}
    return message


def _get_doc(request, pk: int, office: bool | None = None) -> IncomingDocument:
    try:
        return selectors.document_detail(request.user, pk, office=_office(request) if office is None else office)
    except IncomingDocument.DoesNotExist:
        audit.record_not_found(request.user, IncomingDocument, pk)
        raise Http404 from None


def _page_context(request, doc: IncomingDocument) -> dict:
    from supervision.services import items_for_origin

    office = _office(request)
    return {
        "doc": doc, "office": office,
        "warning": workflow.sender_number_warning(doc.sender_number),
        "items": items_for_origin(doc),
        "recallable": [c for c in doc.circulations.all()
                       if office and c.sent_at and not c.opened_at and not c.recalled_at
                       and not doc.is_archived],
        "my_unopened_copy": next(
            (c for c in doc.circulations.all() if c.reader_id == request.user.pk and c.sent_at
             and not c.opened_at and not c.recalled_at and not c.lapsed_at), None),
        "now": timezone.now(),
        # read only when the page shows the instruction box (a leader whose turn it is)
        "phrases": lambda: selectors.instruction_phrases(request.user),
    }


DOCUMENT_PAGE = StepPage(
    steps=STEPS, template="documents/detail.html", url_name="documents:step",
    get_object=_get_doc,
    allowed=lambda request, doc: workflow.allowed_steps(doc, request.user, office=_office(request)),
    context=_page_context,
)


def document_detail(request, pk: int):
    """The document page. Viewing it is audited; it is no read receipt: a GET may come from a
    prefetching browser or a link preview, so opening a copy is the reader's explicit act
    (``open_copy`` below)."""
    office = _office(request)
    doc = _get_doc(request, pk, office)
    audit.record_view("documents.view", request.user, doc)
    return DOCUMENT_PAGE.render(request, doc)


@require_POST
def open_copy(request, pk: int):
    """The reader opens the copy sent to them (the read receipt's "opened"): a POST from the
    button on the page, never a side effect of a GET."""
    doc = _get_doc(request, pk, _office(request))
    workflow.open_copy(document=doc, acting_user=request.user)
    return redirect(doc)


document_step = DOCUMENT_PAGE.step_view()


@require_POST
def recall(request, pk: int, circulation_pk: int):
    doc = _get_doc(request, pk)
    copy = get_object_or_404(Circulation.objects.select_related("reader"), pk=circulation_pk, document=doc)
    try:
        outcome = once.run_once(
            request.POST.get(once.FIELD), user=request.user,
            action=lambda: workflow.recall_copy(document=doc, acting_user=request.user, circulation=copy),
            describe=lambda result: (doc.get_absolute_url(), _("%(reader)s's copy of %(number)s recalled.")
                                     % {"reader": copy.reader.get_full_name(), "number": doc.number}))
    except WorkflowError as exc:
        messages.error(request, exc.message)
        return redirect(doc)
    return finish(request, outcome, doc.get_absolute_url())


def routing_slip(request, pk: int):
    doc = _get_doc(request, pk, _office(request))
    audit.record("documents.print_slip", actor=request.user, obj=doc)
    if doc.routing_slip:  # an archived document carries the slip made when it was archived
        return FileResponse(doc.routing_slip.open("rb"), as_attachment=True,
                            filename=f"收文处理笺-{doc.year}-{doc.serial}.pdf")
    return download(printing.routing_slip_pdf(doc), f"收文处理笺-{doc.year}-{doc.serial}.pdf",
                     "application/pdf")


def attachment(request, pk: int):
    att = get_object_or_404(DocumentAttachment, pk=pk)
    _get_doc(request, att.document_id, _office(request))
    audit.record("documents.download_attachment", actor=request.user, obj=att.document,
                 detail={"attachment": att.pk})  # not its name: that may be business content
    return serve_stored_file(att.file, filename=att.name, content_type=att.content_type)


def instruction_phrases(request):
    """常用批示语: the person edits their own frequently used instruction phrases (one a line)."""
    if not roles.has_role(request.user, roles.COUNTY_LEADER, roles.OFFICE_DIRECTOR):
        raise PermissionDenied
    if request.method == "POST":
        text = request.POST.get("phrases", "")
        try:
            outcome = once.run_once(
                request.POST.get(once.FIELD), user=request.user,
                action=lambda: workflow.set_instruction_phrases(acting_user=request.user, lines=text.splitlines()),
                describe=lambda result: (reverse("documents:phrases"),
                                         _("Your frequently used instructions were saved.")))
        except WorkflowError as exc:
            messages.error(request, exc.message)
        else:
            return finish(request, outcome, reverse("documents:phrases"))
    else:
        text = "\n".join(selectors.instruction_phrases(request.user))
    return render(request, "documents/phrases.html", {"text": text})
