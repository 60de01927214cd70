"""The document page's steps, declared once (``office.steps``): label, form, the workflow
function, the message that says what happened, and the question asked before a final step.
The order is the order the next-action card offers them; the first primary one allowed is open."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from documents import forms, workflow
from office.steps import Step, people_names
from office.workdays import applied_deadline_note, with_note


def _kw(doc, user) -> dict:
    return {"document": doc, "acting_user": user}


def _supervise_initial(doc) -> dict:
    done = [i.text for i in doc.instructions.all() if i.text]
    return {"requirement": "\n".join(done) or doc.proposal, "lead_unit": doc.lead_unit_id,
            "responsible": doc.handler_id, "deadline": doc.handling_deadline}


def _sent_to(doc, d) -> str:
    return _("%(number)s sent to %(people)s to read.") % {
        "number": doc.number, "people": people_names(d["readers"])}


STEPS = [
    Step("read_copy", gettext_lazy("I have read it"), form=forms.ReadForm,
         run=lambda doc, user, d: workflow.read_copy(**_kw(doc, user), comment=d["comment"]),
         done=lambda doc, r, d: _("Recorded: you have read %(number)s.") % {"number": doc.number}),
    Step("instruct", gettext_lazy("Instruct"), form=forms.InstructForm,
         run=lambda doc, user, d: workflow.instruct(**_kw(doc, user), text=d["text"]),
         done=lambda doc, r, d: _("Your instruction on %(number)s is recorded.") % {"number": doc.number}),
    Step("propose", gettext_lazy("Propose handling"), form=forms.ProposeForm,
         run=lambda doc, user, d: workflow.propose(**_kw(doc, user), proposal=d["proposal"],
                                                   leaders=d["leaders"]),
         done=lambda doc, r, d: _("Proposal on %(number)s sent to %(people)s for instruction.")
         % {"number": doc.number, "people": people_names(d["leaders"])}),
    Step("circulate", gettext_lazy("Circulate"), form=forms.ReadersForm,
         run=lambda doc, user, d: workflow.circulate(**_kw(doc, user), readers=list(d["readers"]),
                                                     sequential=d["sequential"]),
         done=lambda doc, r, d: _sent_to(doc, d)),
    Step("submit_for_proposal", gettext_lazy("Pass to the director for a proposal"), form=forms.NoteForm,
         run=lambda doc, user, d: workflow.submit_for_proposal(**_kw(doc, user), note=d["note"]),
         done=lambda doc, r, d: _("%(number)s passed to the office directors for a proposal.")
         % {"number": doc.number}),
    Step("assign_handling", gettext_lazy("Assign the handling"), form=forms.AssignForm,
         run=lambda doc, user, d: workflow.assign_handling(
             **_kw(doc, user), lead_unit=d["lead_unit"], handler=d["handler"], co_units=d["co_units"],
             deadline=d["deadline"]),
         done=lambda doc, r, d: with_note(
             _("%(number)s assigned to %(unit)s · %(person)s for handling.")
             % {"number": doc.number, "unit": d["lead_unit"], "person": d["handler"].get_full_name()},
             applied_deadline_note(d["deadline"], r.handling_deadline, r.handling_deadline_provisional))),
    Step("record_result", gettext_lazy("Record the result"), form=forms.ResultForm,
         run=lambda doc, user, d: workflow.record_result(**_kw(doc, user), result=d["text"]),
         done=lambda doc, r, d: _("Result of %(number)s recorded.") % {"number": doc.number}),
    Step("record_reply", gettext_lazy("Record the reply"), form=forms.ReplyForm,
         run=lambda doc, user, d: workflow.record_reply(**_kw(doc, user), reply=d["text"]),
         done=lambda doc, r, d: _("Reply on %(number)s recorded.") % {"number": doc.number}),
    Step("close", gettext_lazy("Close"),
         confirm=gettext_lazy("Close this document (办结)?"),
         run=lambda doc, user, d: workflow.close(**_kw(doc, user)),
         done=lambda doc, r, d: _("%(number)s closed.") % {"number": doc.number}),
    Step("archive", gettext_lazy("Archive"),
         confirm=gettext_lazy("Archive this document? An archived document can no longer change."),
         run=lambda doc, user, d: workflow.archive(**_kw(doc, user)),
         done=lambda doc, r, d: _("%(number)s archived.") % {"number": doc.number}),
    Step("return_to_sender", gettext_lazy("Return to the sender"), form=forms.ReturnForm, primary=False,
         confirm=gettext_lazy("Return this document to its sender?"),
         run=lambda doc, user, d: workflow.return_to_sender(**_kw(doc, user), reason=d["reason"],
                                                            note=d["note"]),
         done=lambda doc, r, d: _("%(number)s returned to %(sender)s.")
         % {"number": doc.number, "sender": doc.sender}),
    Step("supervise", gettext_lazy("Open a supervision item"), form=forms.SuperviseForm, primary=False,
         initial=_supervise_initial,
         run=lambda doc, user, d: workflow.supervise(
             **_kw(doc, user), requirement=d["requirement"], lead_unit=d["lead_unit"],
             responsible=d["responsible"], deadline=d["deadline"], working_days=d["working_days"]),
         done=lambda doc, r, d: with_note(
             _("Supervision item %(number)s opened.") % {"number": r.number},
             applied_deadline_note(d["deadline"] or r.deadline, r.deadline, r.deadline_provisional))),
    Step("add_readers", gettext_lazy("Circulate to more readers"), form=forms.ReadersForm, primary=False,
         run=lambda doc, user, d: workflow.add_readers(**_kw(doc, user), readers=list(d["readers"]),
                                                       sequential=d["sequential"]),
         done=lambda doc, r, d: _sent_to(doc, d)),
]
