"""Incoming-document pages. Views check permission, call one selector or step, render."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from documents import forms, printing, selectors, workflow
from documents.models import Circulation, DocumentAttachment, DocumentSettings, IncomingDocument
from documents.workflow import WorkflowError, is_document_office
from office import audit
from office.http import download


def _office(request) -> bool:
    return is_document_office(request.user)


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
            status=d["status"], q=d["q"])
    return form, f


def register_list(request):
    office = _office(request)
    form, f = _filters(request)
    docs = selectors.register(request.user, f, office=office)
    page = Paginator(docs, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    template = "documents/_register_table.html" if request.headers.get("HX-Request") else \
        "documents/register.html"
    return render(request, template, {"form": form, "page": page, "query": query.urlencode(),
                                      "office": office})


def register_export(request):
    office = _office(request)
    _form, f = _filters(request)
    data = printing.register_workbook(selectors.register(request.user, f, office=office))
    audit.record("documents.export_register", actor=request.user,
                 detail={"query": request.GET.urlencode()})
    return download(data, f"收文登记簿-{timezone.localdate():%Y%m%d}.xlsx",
                     "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def returned_list(request):
    office = _office(request)
    page = Paginator(selectors.returned_register(request.user, office=office), 50).get_page(
        request.GET.get("page"))
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
            doc = workflow.register(
                acting_user=request.user, sender=d["sender"], sender_number=d["sender_number"],
                title=d["title"], doc_type=d["doc_type"], handling=d["handling"],
                is_telegram=d["is_telegram"], urgency=d["urgency"] or "",
                secrecy=d["secrecy"] or "", secrecy_years=d["secrecy_years"], copies=d["copies"],
                pages=d["pages"], received_at=d["received_at"], signed_by=d["signed_by"],
                files=d["files"])
        except WorkflowError as exc:
            form.add_error(None, exc.message)
            duplicate = exc.existing
        else:
            warning = workflow.sender_number_warning(doc.sender_number)
            if warning:
                messages.warning(request, warning)
            messages.success(request, _("Registered as %(number)s, due %(due)s.") % {
                "number": doc.number, "due": timezone.localtime(doc.due_at).strftime("%m-%d %H:%M")})
            return redirect(doc)
    units = selectors.unit_names()
    return render(request, "documents/register_form.html",
                  {"form": form, "units": units, "duplicate": duplicate},
                  status=400 if form.errors else 200)


def _get_doc(request, pk: int, office: bool) -> IncomingDocument:
    try:
        return selectors.document_detail(request.user, pk, office=office)
    except IncomingDocument.DoesNotExist:
        audit.record_not_found(request.user, IncomingDocument, pk)
        raise Http404 from None


STEP_LABELS = {
    "return_to_sender": gettext_lazy("Return to the sender"),
    "circulate": gettext_lazy("Circulate"), "add_readers": gettext_lazy("Circulate to more readers"),
    "submit_for_proposal": gettext_lazy("Pass to the director for a proposal"),
    "propose": gettext_lazy("Propose handling"), "instruct": gettext_lazy("Instruct"),
    "assign_handling": gettext_lazy("Assign the handling"),
    "record_result": gettext_lazy("Record the result"),
    "record_reply": gettext_lazy("Record the reply"), "close": gettext_lazy("Close"),
    "archive": gettext_lazy("Archive"), "read_copy": gettext_lazy("I have read it"),
    "supervise": gettext_lazy("Open a supervision item"),
}
STEP_ORDER = ["read_copy", "instruct", "propose", "circulate", "submit_for_proposal",
              "assign_handling", "record_result", "record_reply", "close", "archive",
              "return_to_sender", "supervise", "add_readers"]
STEP_FORMS = {
    "return_to_sender": forms.ReturnForm, "circulate": forms.ReadersForm,
    "add_readers": forms.ReadersForm, "submit_for_proposal": forms.NoteForm,
    "propose": forms.ProposeForm, "instruct": forms.InstructForm, "assign_handling": forms.AssignForm,
    "record_result": forms.ResultForm, "record_reply": forms.ReplyForm, "read_copy": forms.ReadForm,
    "supervise": forms.SuperviseForm,
}


def _context(request, doc: IncomingDocument, office: bool, bound: dict | None = None) -> dict:
    from supervision.services import items_for_origin

    steps = sorted(workflow.allowed_steps(doc, request.user, office=office), key=STEP_ORDER.index)
    actions = []
    for name in steps:
        form = (bound or {}).get(name)
        if form is None and name in STEP_FORMS:
            initial = {}
            if name == "supervise":
                done = [i.text for i in doc.instructions.all() if i.text]
                initial = {"requirement": "\n".join(done) or doc.proposal,
                           "lead_unit": doc.lead_unit_id, "responsible": doc.handler_id,
                           "deadline": doc.handling_deadline}
            form = STEP_FORMS[name](prefix=name, initial=initial)
        actions.append({"name": name, "label": STEP_LABELS[name], "form": form,
                        "url": reverse("documents:step", args=[doc.pk, name])})
    return {
        "doc": doc, "actions": actions, "office": office,
        "warning": workflow.sender_number_warning(doc.sender_number),
        "items": items_for_origin(doc),
        "recallable": [c for c in doc.circulations.all()
                       if office and c.sent_at and not c.opened_at and not c.recalled_at
                       and not doc.is_archived],
        "now": timezone.now(),
    }


def document_detail(request, pk: int):
    """The document page. Viewing it is audited; it is no read receipt: a GET may come from a
    prefetching browser or a link preview, so opening a copy is the reader's explicit act
    (``open_copy`` below)."""
    office = _office(request)
    doc = _get_doc(request, pk, office)
    audit.record_view("documents.view", request.user, doc)
    ctx = _context(request, doc, office)
    ctx["my_unopened_copy"] = next(
        (c for c in doc.circulations.all() if c.reader_id == request.user.pk and c.sent_at
         and not c.opened_at and not c.recalled_at), None)
    return render(request, "documents/detail.html", ctx)


@require_POST
def open_copy(request, pk: int):
    """The reader opens the copy sent to them (the read receipt's "opened"): a POST from the
    button on the page, never a side effect of a GET."""
    doc = _get_doc(request, pk, _office(request))
    workflow.open_copy(document=doc, acting_user=request.user)
    return redirect(doc)


@require_POST
def document_step(request, pk: int, step: str):
    if step not in workflow.TRANSITIONS or step == "recall_copy":
        raise Http404
    office = _office(request)
    doc = _get_doc(request, pk, office)
    form_class = STEP_FORMS.get(step)
    form = form_class(request.POST, request.FILES, prefix=step) if form_class else None
    if form is not None and not form.is_valid():
        messages.error(request, _("Please correct the errors below."))
        ctx = _context(request, doc, office, bound={step: form})
        ctx["failed_step"] = step
        return render(request, "documents/detail.html", ctx, status=400)
    data = form.cleaned_data if form is not None else {}
    try:
        result = _run(step, doc, request.user, data)
    except WorkflowError as exc:
        messages.error(request, exc.message)
        ctx = _context(request, _get_doc(request, pk, office), office,
                       bound={step: form} if form is not None else None)
        ctx["failed_step"] = step
        return render(request, "documents/detail.html", ctx, status=409)
    if step == "supervise":
        messages.success(request, _("Supervision item %(number)s opened.") % {"number": result.number})
    else:
        messages.success(request, _("Done."))
    return redirect(doc)


def _run(step: str, doc: IncomingDocument, user, d: dict):
    kw = {"document": doc, "acting_user": user}
    match step:
        case "return_to_sender":
            return workflow.return_to_sender(**kw, reason=d["reason"], note=d["note"])
        case "circulate":
            return workflow.circulate(**kw, readers=list(d["readers"]), sequential=d["sequential"])
        case "add_readers":
            return workflow.add_readers(**kw, readers=list(d["readers"]), sequential=d["sequential"])
        case "submit_for_proposal":
            return workflow.submit_for_proposal(**kw, note=d["note"])
        case "propose":
            return workflow.propose(**kw, proposal=d["proposal"], leaders=d["leaders"])
        case "instruct":
            return workflow.instruct(**kw, text=d["text"])
        case "assign_handling":
            return workflow.assign_handling(**kw, lead_unit=d["lead_unit"], handler=d["handler"],
                                            co_units=d["co_units"], deadline=d["deadline"])
        case "record_result":
            return workflow.record_result(**kw, result=d["text"])
        case "record_reply":
            return workflow.record_reply(**kw, reply=d["text"])
        case "close":
            return workflow.close(**kw)
        case "archive":
            return workflow.archive(**kw)
        case "read_copy":
            return workflow.read_copy(**kw, comment=d["comment"])
        case "supervise":
            return workflow.supervise(**kw, requirement=d["requirement"], lead_unit=d["lead_unit"],
                                      responsible=d["responsible"], deadline=d["deadline"],
                                      working_days=d["working_days"])
    raise Http404


@require_POST
def recall(request, pk: int, circulation_pk: int):
    office = _office(request)
    doc = _get_doc(request, pk, office)
    copy = get_object_or_404(Circulation, pk=circulation_pk, document=doc)
    try:
        workflow.recall_copy(document=doc, acting_user=request.user, circulation=copy)
    except WorkflowError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Copy recalled."))
    return redirect(doc)


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
    return FileResponse(att.file.open("rb"), as_attachment=True, filename=att.name)
