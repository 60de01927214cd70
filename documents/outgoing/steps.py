"""The outgoing document page's steps, declared once (``office.steps``)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from documents.outgoing import checks, forms, workflow
from office import roles
from office.steps import Step


def _kw(doc, user) -> dict:
    return {"document": doc, "acting_user": user}


def _review_kwargs(doc) -> dict:
    return {"warnings": checks.warnings(workflow.findings(doc)),
            "director": doc.status == workflow.S.OFFICE_REVIEW}


def _edit_initial(doc) -> dict:
    return {"title": doc.title, "body": doc.body, "main_recipients_text": doc.main_recipients_text,
            "attachment_titles": doc.attachment_titles, "note": doc.note}


STEPS = [
    Step("sign_off", gettext_lazy("Sign off (签发)"), form=forms.OpinionForm,
         confirm=gettext_lazy("Sign off this document? Its date will be today."),
         run=lambda doc, user, d: workflow.sign_off(**_kw(doc, user), opinion=d["opinion"]),
         done=lambda doc, r, d: _("Signed off: %(title)s.") % {"title": r.title}),
    Step("countersign", gettext_lazy("Countersign (会签)"), form=forms.OpinionForm,
         run=lambda doc, user, d: workflow.countersign(**_kw(doc, user), opinion=d["opinion"]),
         done=lambda doc, r, d: _("Countersigned: %(title)s.") % {"title": r.title}),
    Step("review", gettext_lazy("Pass the review (核稿通过)"), form=forms.ReviewForm, form_kwargs=_review_kwargs,
         run=lambda doc, user, d: workflow.review(
             **_kw(doc, user), findings_found=d["findings"], necessity=d["necessity"],
             acknowledgements=d["acknowledgements"], confirm_not_raised=d["confirm_not_raised"]),
         done=lambda doc, r, d: _("Review passed: %(title)s is now “%(status)s”.")
         % {"title": r.title, "status": r.get_status_display()}),
    Step("submit", gettext_lazy("Submit for review"),
         run=lambda doc, user, d: workflow.submit(**_kw(doc, user)),
         done=lambda doc, r, d: _("Submitted for review: %(title)s.") % {"title": r.title}),
    Step("recheck", gettext_lazy("Re-check passed (复核)"), form=forms.NoteForm,
         run=lambda doc, user, d: workflow.recheck(**_kw(doc, user), note=d["note"]),
         done=lambda doc, r, d: _("Re-checked: %(title)s can be numbered.") % {"title": r.title}),
    Step("assign_number", gettext_lazy("Give the number (编号)"),
         confirm=gettext_lazy("Give this document its number now? A number given is never given again."),
         run=lambda doc, user, d: workflow.assign_number(**_kw(doc, user)),
         done=lambda doc, r, d: _("Numbered %(number)s.") % {"number": r.number}),
    Step("apply_seal", gettext_lazy("Apply the seal (用印)"), form=forms.SealForm,
         initial=lambda doc: {"copies": doc.copies},
         confirm=gettext_lazy("Apply the seal to this document? The use is recorded in the seal register."),
         run=lambda doc, user, d: workflow.apply_seal(**_kw(doc, user), copies=d["copies"]),
         done=lambda doc, r, d: _("Seal applied to %(number)s (%(copies)d copies).")
         % {"number": r.number, "copies": d["copies"]}),
    Step("print_document", gettext_lazy("Print (印制)"),
         run=lambda doc, user, d: workflow.print_document(**_kw(doc, user)),
         done=lambda doc, r, d: _("%(number)s printed and digitally signed.") % {"number": r.number}),
    Step("dispatch", gettext_lazy("Dispatch (核发)"),
         confirm=gettext_lazy("Dispatch the document to every recipient now?"),
         run=lambda doc, user, d: workflow.dispatch(**_kw(doc, user)),
         done=lambda doc, r, d: _("%(number)s dispatched to %(count)d units.")
         % {"number": r.number, "count": r.distributions.count()}),
    Step("chase_recipients", gettext_lazy("Remind units that have not signed for it"), primary=False,
         run=lambda doc, user, d: workflow.chase_recipients(**_kw(doc, user)),
         done=lambda doc, r, d: _("Reminded %(units)s.") % {"units": "、".join(str(x.unit) for x in r)}),
    Step("archive", gettext_lazy("Archive"), primary=False,
         confirm=gettext_lazy("Archive this document? An archived document can no longer change."),
         run=lambda doc, user, d: workflow.archive(**_kw(doc, user)),
         done=lambda doc, r, d: _("%(number)s archived.") % {"number": r.number}),
    Step("edit", gettext_lazy("Edit the text"), form=forms.EditForm, initial=_edit_initial, primary=False,
         run=lambda doc, user, d: workflow.edit(
             **_kw(doc, user), title=d["title"], body=d["body"], main_recipients_text=d["main_recipients_text"],
             attachment_titles=d["attachment_titles"], note=d["note"]),
         done=lambda doc, r, d: _("Saved: %(title)s (version %(version)d).")
         % {"title": r.title, "version": r.versions.count()}),
    Step("return_draft", gettext_lazy("Return for changes"), form=forms.ReturnForm, primary=False,
         confirm=gettext_lazy("Return the draft to its drafter?"),
         run=lambda doc, user, d: workflow.return_draft(**_kw(doc, user), reason=d["reason"],
                                                        findings_found=d["findings"]),
         done=lambda doc, r, d: _("Returned to %(person)s: %(title)s.")
         % {"person": r.drafter.get_full_name(), "title": r.title}),
    Step("void_number", gettext_lazy("Void the number"), form=forms.ReasonForm, primary=False,
         confirm=gettext_lazy("Void this number? It stays in the register as voided and is never given again."),
         run=lambda doc, user, d: workflow.void_number(**_kw(doc, user), reason=d["reason"]),
         done=lambda doc, r, d: _("Number voided; the document is back at re-check.")),
    Step("withdraw", gettext_lazy("Withdraw (不发)"), form=forms.ReasonForm, primary=False,
         confirm=gettext_lazy("Withdraw this document? It will not be issued."),
         run=lambda doc, user, d: workflow.withdraw(**_kw(doc, user), reason=d["reason"]),
         done=lambda doc, r, d: _("Withdrawn: %(title)s will not be issued.") % {"title": r.title}),
]

DRAFTING_ROLES = (roles.SECRETARY, roles.SECTION_CHIEF, roles.OFFICE_DIRECTOR, roles.UNIT_CONTACT)
