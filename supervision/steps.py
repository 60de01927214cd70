"""The item page's steps, declared once (``office.steps``): label, form, the workflow function,
the message that says what happened, and the question asked before a final step. The order
is the order the next-action card offers them; the first primary one allowed is open."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from office.steps import Step
from office.workdays import applied_deadline_note, with_note
from supervision import forms, workflow


def _kw(item, user) -> dict:
    return {"item": item, "acting_user": user}


def _person(user) -> str:
    return user.get_full_name() if user is not None else ""


def _overdue(item) -> bool:
    """催办 is the obvious next step only once the unit is late (``supervision.timeliness``), never
    one second after assignment."""
    from django.utils import timezone

    from supervision import timeliness

    return timeliness.is_overdue(item, timezone.localdate())


STEPS = [
    Step("assign", gettext_lazy("Assign"),
         run=lambda item, user, d: workflow.assign(**_kw(item, user)),
         done=lambda item, r, d: _("Assigned %(number)s to %(person)s.")
         % {"number": r.number, "person": _person(r.responsible)}),
    Step("acknowledge", gettext_lazy("Acknowledge"),
         run=lambda item, user, d: workflow.acknowledge(**_kw(item, user)),
         done=lambda item, r, d: _("Acknowledged %(number)s.") % {"number": r.number}),
    Step("accept", gettext_lazy("Verify and close"), form=forms.AcceptForm,
         confirm=gettext_lazy("Verify the result and close this item? A closed item cannot be reopened."),
         run=lambda item, user, d: workflow.accept(**_kw(item, user), note=d["note"]),
         done=lambda item, r, d: _("%(number)s verified and closed.") % {"number": r.number}),
    Step("decide_extension", gettext_lazy("Decide the extension"), form=forms.DecisionForm,
         run=lambda item, user, d: workflow.decide_extension(
             item=item, acting_user=user,
             approve=d["approve"], note=d["note"]),
         done=lambda item, r, d: (_("Extension of %(number)s to %(date)s approved.") if d["approve"]
                                  else _("Extension of %(number)s to %(date)s refused."))
         % {"number": item.number, "date": r.new_deadline.isoformat()}),
    Step("reassign", gettext_lazy("Reassign"), form=forms.ReassignForm,
         initial=lambda item: {"lead_unit": item.lead_unit_id, "responsible": item.responsible_id},
         run=lambda item, user, d: workflow.reassign(
             **_kw(item, user), lead_unit=d["lead_unit"], responsible=d["responsible"], note=d["note"]),
         done=lambda item, r, d: _("%(number)s reassigned to %(unit)s · %(person)s.")
         % {"number": r.number, "unit": r.lead_unit, "person": _person(r.responsible)}),
    Step("report_progress", gettext_lazy("Report progress"), form=forms.ProgressForm,
         run=lambda item, user, d: workflow.report_progress(
             **_kw(item, user), text=d["text"], progress_on=d["progress_on"], files=d["files"]),
         done=lambda item, r, d: _("Progress on %(number)s reported.") % {"number": item.number}),
    Step("report_result", gettext_lazy("Report the result"), form=forms.ResultForm,
         confirm=gettext_lazy("Report this as the final result? The supervising officer will verify it."),
         run=lambda item, user, d: workflow.report_result(**_kw(item, user), result=d["result"],
                                                          files=d["files"]),
         done=lambda item, r, d: _("Result of %(number)s reported: %(person)s will verify it.")
         % {"number": r.number, "person": _person(r.supervisor)}),
    Step("return", gettext_lazy("Return the result"), form=forms.ReturnForm,
         confirm=gettext_lazy("Return the result to the responsible person?"),
         run=lambda item, user, d: workflow.return_item(**_kw(item, user), reason=d["text"]),
         done=lambda item, r, d: _("Result of %(number)s returned to %(person)s.")
         % {"number": r.number, "person": _person(r.responsible)}),
    Step("request_extension", gettext_lazy("Request an extension"), form=forms.ExtensionForm,
         run=lambda item, user, d: workflow.request_extension(
             **_kw(item, user), new_deadline=d["new_deadline"], reason=d["reason"]),
         done=lambda item, r, d: with_note(_("Extension of %(number)s to %(date)s requested.")
                                           % {"number": item.number, "date": r.new_deadline.isoformat()},
                                           applied_deadline_note(d["new_deadline"], r.new_deadline))),
    Step("dispute", gettext_lazy("Dispute the assignment"), form=forms.DisputeForm,
         confirm=gettext_lazy("Dispute this assignment? The supervision office will reassign the item."),
         run=lambda item, user, d: workflow.dispute(**_kw(item, user), reason=d["text"]),
         done=lambda item, r, d: _("Assignment of %(number)s disputed: the supervision office will "
                                   "reassign it.") % {"number": r.number}),
    Step("comment", gettext_lazy("Comment"), form=forms.CommentForm, primary=False,
         run=lambda item, user, d: workflow.comment(**_kw(item, user), text=d["text"]),
         done=lambda item, r, d: _("Comment added to %(number)s.") % {"number": item.number}),
    Step("chase", gettext_lazy("Chase (催办)"), form=forms.ChaseForm, primary=_overdue,
         run=lambda item, user, d: workflow.chase(**_kw(item, user), note=d["text"]),
         done=lambda item, r, d: _("Chase %(chase)s sent to %(person)s.")
         % {"chase": r.number, "person": _person(item.responsible)}),
]
