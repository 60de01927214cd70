"""The item page's steps, declared once (``office.steps``)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from office.information import forms, workflow
from office.steps import Step


def _ik(item) -> dict:
    return {"item": item}


ITEM_STEPS = [
    Step("submit", gettext_lazy("Send for review"),
         run=lambda i, u, d: workflow.submit_item(item=i, acting_user=u),
         done=lambda i, r, d: _("%(title)s sent to the information section for review.") % {"title": i.title}),
    Step("approve", gettext_lazy("Approve"),
         run=lambda i, u, d: workflow.approve(item=i, acting_user=u),
         done=lambda i, r, d: _("%(title)s approved: it can be sent to outlets.") % {"title": i.title}),
    Step("record_adoption", gettext_lazy("Record an adoption (采用)"), form=forms.AdoptionForm, form_kwargs=_ik,
         run=lambda i, u, d: workflow.record_adoption(
             item=i, acting_user=u, outlet=d["outlet"], adopted_on=d["adopted_on"], form=d["form"],
             level=d["level"], leader_comment=d["leader_comment"], comment_by=d["comment_by"]),
         done=lambda i, r, d: _("Adoption by %(outlet)s on %(day)s recorded (%(level)s, %(form)s).")
         % {"outlet": r.outlet.name, "day": f"{r.adopted_on:%Y-%m-%d}", "level": r.get_level_display(),
            "form": r.get_form_display()}),
    Step("send", gettext_lazy("Send to outlets"), form=forms.SendForm,
         run=lambda i, u, d: workflow.send(item=i, acting_user=u, outlets=d["outlets"]),
         done=lambda i, r, d: _("%(title)s sent to %(outlets)s.")
         % {"title": i.title, "outlets": "、".join(x.outlet.name for x in r)}),
    Step("edit", gettext_lazy("Edit"), form=forms.ItemForm, primary=False,
         initial=lambda i: {"title": i.title, "category": i.category_id, "source": i.source, "body": i.body},
         run=lambda i, u, d: workflow.edit_item(item=i, acting_user=u, title=d["title"], body=d["body"],
                                                category=d["category"], source=d["source"]),
         done=lambda i, r, d: _("%(title)s saved.") % {"title": r.title}),
    Step("return_item", gettext_lazy("Return with a reason"), form=forms.ReasonForm, primary=False,
         confirm=gettext_lazy("Return this item to its author?"),
         run=lambda i, u, d: workflow.return_item(item=i, acting_user=u, reason=d["reason"]),
         done=lambda i, r, d: _("%(title)s returned to %(name)s.") % {"title": i.title,
                                                                    "name": i.author.get_full_name()}),
    Step("withdraw_adoption", gettext_lazy("Withdraw an adoption"), form=forms.WithdrawForm, form_kwargs=_ik,
         primary=False,
         confirm=gettext_lazy("Withdraw this adoption? It is kept with the reason and no longer counts."),
         run=lambda i, u, d: workflow.withdraw_adoption(item=i, acting_user=u, adoption=d["adoption"],
                                                        reason=d["reason"]),
         done=lambda i, r, d: _("Adoption by %(outlet)s withdrawn.") % {"outlet": r.outlet.name}),
]
