"""The meeting page's and the topic page's steps, declared once (``office.steps``): label, form,
the workflow function, the message that says what happened, the question before a final step.
The order is the order the next-action card offers them; the first primary one allowed is open."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from meetings import forms, workflow
from office.steps import Step, people_names


def _m(meeting, user) -> dict:
    return {"meeting": meeting, "acting_user": user}


def _mk(meeting) -> dict:
    return {"meeting": meeting}


def _hm(moment) -> str:
    return timezone.localtime(moment).strftime("%H:%M")


def _signed_message(att) -> str:
    if att.late_minutes:
        return _("Signed in at %(time)s (%(n)d minutes late).") % {"time": _hm(att.signed_in_at), "n": att.late_minutes}
    return _("Signed in at %(time)s, on time.") % {"time": _hm(att.signed_in_at)}


def _answer_message(meeting, att) -> str:
    if att.response == att.Response.LEAVE_REQUESTED:
        return _("Leave requested for %(title)s: the presiding leader will decide.") % {"title": meeting.title}
    if att.response == att.Response.SUBSTITUTE:
        return _("%(name)s will attend %(title)s for you and has been sent the notice.") % {
            "name": att.substitute.get_full_name(), "title": meeting.title}
    return _("You will attend %(title)s.") % {"title": meeting.title}


MEETING_STEPS = [
    # before
    Step("submit_for_approval", gettext_lazy("Send for approval"),
         run=lambda m, u, d: workflow.submit_for_approval(**_m(m, u)),
         done=lambda m, r, d: _("Agenda and attendees of %(title)s sent to %(person)s for approval.")
         % {"title": m.title, "person": m.presiding.get_full_name()}),
    Step("approve", gettext_lazy("Approve (审定)"), form=forms.NoteForm,
         confirm=gettext_lazy("Approve this agenda and these attendees? The notice can then go out."),
         run=lambda m, u, d: workflow.approve(**_m(m, u), note=d["note"]),
         done=lambda m, r, d: _("%(title)s approved.") % {"title": m.title}),
    Step("return_for_revision", gettext_lazy("Return for revision"), form=forms.ReasonForm,
         run=lambda m, u, d: workflow.return_for_revision(**_m(m, u), reason=d["reason"]),
         done=lambda m, r, d: _("%(title)s returned to the meeting office.") % {"title": m.title}),
    Step("send_notice", gettext_lazy("Send the notice"),
         confirm=gettext_lazy("Send the meeting notice to every attendee now?"),
         run=lambda m, u, d: workflow.send_notice(**_m(m, u)),
         done=lambda m, r, d: ngettext("Notice of %(title)s sent to %(n)d person.",
                                       "Notice of %(title)s sent to %(n)d people.", r) % {"title": m.title, "n": r}),
    Step("answer", gettext_lazy("Answer the notice"), form=forms.AnswerForm,
         run=lambda m, u, d: workflow.answer(**_m(m, u), response=d["response"], reason=d["reason"],
                                             substitute=d["substitute"]),
         done=lambda m, r, d: _answer_message(m, r)),
    Step("decide_leave", gettext_lazy("Decide a leave request"), form=forms.LeaveDecisionForm,
         form_kwargs=_mk,
         run=lambda m, u, d: workflow.decide_leave(**_m(m, u), attendee=d["attendee"], approve=d["approve"],
                                                   note=d["note"]),
         done=lambda m, r, d: (_("Leave of %(name)s approved.") if d["approve"] else
                               _("Leave of %(name)s refused.")) % {"name": r.user.get_full_name()}),
    Step("upload_materials", gettext_lazy("Add materials"), form=forms.MaterialsForm, form_kwargs=_mk,
         run=lambda m, u, d: workflow.upload_materials(**_m(m, u), files=d["files"], topic=d["topic"],
                                                       for_return=d["for_return"]),
         done=lambda m, r, d: ngettext("%(n)d material added.", "%(n)d materials added.", len(r)) % {"n": len(r)}),
    Step("check", gettext_lazy("Pre-meeting checklist"), form=forms.ChecklistForm, form_kwargs=_mk,
         initial=lambda m: {"done": list(m.checks.values_list("item_id", flat=True))},
         run=lambda m, u, d: workflow.tick_checklist(**_m(m, u), done=d["done"]),
         done=lambda m, r, d: _("Checklist saved: %(n)d of %(total)d done.")
         % {"n": len(r), "total": len(workflow.checklist_for(m))}),
    Step("mark_ready", gettext_lazy("Mark ready"),
         confirm=gettext_lazy("Mark the meeting ready? Materials and the checklist are checked first."),
         run=lambda m, u, d: workflow.mark_ready(**_m(m, u)),
         done=lambda m, r, d: _("%(title)s is ready.") % {"title": m.title}),
    # during
    Step("mark_present", gettext_lazy("Mark present"), form=forms.MarkPresentForm, form_kwargs=_mk,
         run=lambda m, u, d: workflow.mark_present(**_m(m, u), attendees=d["attendees"], at=d["at"]),
         done=lambda m, r, d: ngettext("%(names)s marked present.", "%(names)s marked present.", len(r))
         % {"names": people_names([a.signed_in_person for a in r])}),
    Step("record_minutes", gettext_lazy("Minutes of a topic"), form=forms.MinutesForm, form_kwargs=_mk,
         run=lambda m, u, d: workflow.record_minutes(topic=d["topic"], acting_user=u, text=d["text"]),
         done=lambda m, r, d: _("Minutes of “%(topic)s” saved.") % {"topic": r.title}),
    Step("add_decision", gettext_lazy("Record a decision"), form=forms.DecisionForm, form_kwargs=_mk,
         run=lambda m, u, d: workflow.add_decision(**_m(m, u), topic=d["topic"], text=d["text"], unit=d["unit"],
                                                   responsible=d["responsible"], deadline=d["deadline"]),
         done=lambda m, r, d: _("Decision recorded: %(unit)s, by %(date)s.")
         % {"unit": r.unit, "date": r.deadline.isoformat()}),
    Step("conclude", gettext_lazy("Meeting concluded"),
         confirm=gettext_lazy("Close the meeting? Sign-in by QR code stays open until the planned end."),
         run=lambda m, u, d: workflow.conclude(**_m(m, u)),
         done=lambda m, r, d: _("%(title)s concluded: draft the summary next.") % {"title": m.title}),
    # after
    Step("draft_summary", gettext_lazy("Draft the summary"),
         run=lambda m, u, d: workflow.draft_summary(**_m(m, u)),
         done=lambda m, r, d: _("Summary drafted from the minutes and decisions.")),
    Step("submit_summary", gettext_lazy("Send the summary for review"),
         run=lambda m, u, d: workflow.submit_summary(**_m(m, u)),
         done=lambda m, r, d: _("Summary sent for review.")),
    Step("review_summary", gettext_lazy("Review the summary"), form=forms.ReviewForm,
         run=lambda m, u, d: workflow.review_summary(**_m(m, u), approve=d["approve"], note=d["note"]),
         done=lambda m, r, d: _("Summary passed for sign-off.") if d["approve"] else _("Summary returned.")),
    Step("sign_summary", gettext_lazy("Sign off the summary (签发)"),
         confirm=gettext_lazy("Sign off the summary? It is numbered and issued; it cannot be changed afterwards."),
         run=lambda m, u, d: workflow.sign_summary(**_m(m, u)),
         done=lambda m, r, d: _("Summary %(number)s signed off and issued.") % {"number": r.number}),
    Step("open_items", gettext_lazy("Open supervision items for the decisions"),
         confirm=gettext_lazy("Open a supervision item for every decision not yet supervised?"),
         run=lambda m, u, d: workflow.open_items(**_m(m, u)),
         done=lambda m, r, d: ngettext("Supervision item %(numbers)s opened.", "Supervision items %(numbers)s opened.",
                                       len(r)) % {"numbers": "、".join(i.number for i in r)}),
    Step("record_conveyance", gettext_lazy("Record conveyance (传达贯彻)"), form=forms.ConveyanceForm,
         form_kwargs=_mk,
         run=lambda m, u, d: workflow.record_conveyance(**_m(m, u), unit=d["unit"], conveyed_on=d["conveyed_on"],
                                                        method=d["method"], note=d["note"]),
         done=lambda m, r, d: _("Conveyance of %(unit)s on %(date)s recorded.")
         % {"unit": r.unit, "date": r.conveyed_on.isoformat()}),
    Step("add_feedback", gettext_lazy("Give feedback"), form=forms.FeedbackForm, form_kwargs=_mk,
         run=lambda m, u, d: workflow.add_feedback(**_m(m, u), text=d["text"], decision=d["decision"]),
         done=lambda m, r, d: _("Feedback recorded.")),
    Step("mark_returned", gettext_lazy("Materials returned"), form=forms.ReturnedForm, form_kwargs=_mk,
         run=lambda m, u, d: workflow.mark_returned(**_m(m, u), materials=d["materials"]),
         done=lambda m, r, d: ngettext("%(n)d material returned.", "%(n)d materials returned.", len(r))
         % {"n": len(r)}),
    # changes, never the obvious next action
    Step("add_attendees", gettext_lazy("Invite people"), form=forms.AttendeesForm, primary=False,
         run=lambda m, u, d: workflow.add_attendees(**_m(m, u), users=d["users"], units=d["units"],
                                                    kind=d["kind"]),
         done=lambda m, r, d: _("Invited %(names)s.") % {"names": people_names([a.user for a in r])}),
    Step("remove_attendee", gettext_lazy("Remove a person"), form=forms.RemoveAttendeeForm, form_kwargs=_mk,
         primary=False,
         run=lambda m, u, d: workflow.remove_attendee(**_m(m, u), attendee=d["attendee"], reason=d["reason"]),
         done=lambda m, r, d: _("%(name)s is no longer invited.") % {"name": r.user.get_full_name()}),
    Step("order_agenda", gettext_lazy("Order the agenda"), form=forms.AgendaOrderForm, form_kwargs=_mk,
         primary=False,
         run=lambda m, u, d: workflow.order_agenda(**_m(m, u), order=d["order"]),
         done=lambda m, r, d: _("Agenda ordered: %(titles)s.") % {"titles": "、".join(t.title for t in r)}),
    Step("edit_summary", gettext_lazy("Edit the summary"), form=forms.SummaryForm, primary=False,
         initial=lambda m: {"title": m.summary.title, "body": m.summary.body},
         run=lambda m, u, d: workflow.edit_summary(**_m(m, u), title=d["title"], body=d["body"]),
         done=lambda m, r, d: _("Summary saved.")),
    Step("move", gettext_lazy("Move the meeting"), form=forms.MoveForm, form_kwargs=_mk, primary=False,
         initial=lambda m: {"starts_at": timezone.localtime(m.starts_at), "ends_at": timezone.localtime(m.ends_at),
                            "room": m.room_id, "location": m.location},
         run=lambda m, u, d: workflow.move(**_m(m, u), starts_at=d["starts_at"], ends_at=d["ends_at"],
                                           room=d["room"], location=d["location"], reason=d["reason"]),
         done=lambda m, r, d: _("%(title)s moved to %(when)s, %(place)s.")
         % {"title": r.title, "when": workflow._when(r), "place": r.place}),
    Step("cancel", gettext_lazy("Cancel the meeting"), form=forms.ReasonForm, primary=False,
         confirm=gettext_lazy("Cancel this meeting? Everyone notified is told, and the room is released."),
         run=lambda m, u, d: workflow.cancel(**_m(m, u), reason=d["reason"]),
         done=lambda m, r, d: _("%(title)s cancelled.") % {"title": m.title}),
]


def _t(topic, user) -> dict:
    return {"topic": topic, "acting_user": user}


TOPIC_STEPS = [
    Step("allow_late", gettext_lazy("Allow the late topic"),
         run=lambda t, u, d: workflow.allow_late_topic(**_t(t, u)),
         done=lambda t, r, d: _("Late topic “%(title)s” allowed: it can now be screened.") % {"title": t.title}),
    Step("screen", gettext_lazy("Screen the topic"), form=forms.ScreenForm,
         form_kwargs=lambda t: {"topic": t},
         run=lambda t, u, d: workflow.screen_topic(**_t(t, u), decision=d["decision"], note=d["note"],
                                                   defer_to=d["defer_to"]),
         done=lambda t, r, d: {"accept": _("“%(title)s” is on the agenda as item %(n)s."),
                               "defer": _("“%(title)s” deferred."),
                               "reject": _("“%(title)s” rejected.")}[d["decision"]]
         % {"title": r.title, "n": r.position or ""}),
    Step("add_materials", gettext_lazy("Add materials"), form=forms.TopicMaterialsForm,
         run=lambda t, u, d: workflow.upload_materials(meeting=t.meeting, acting_user=u, files=d["files"], topic=t),
         done=lambda t, r, d: ngettext("%(n)d material added.", "%(n)d materials added.", len(r)) % {"n": len(r)}),
    Step("withdraw", gettext_lazy("Withdraw the topic"), form=forms.WithdrawForm, primary=False,
         confirm=gettext_lazy("Withdraw this topic?"),
         run=lambda t, u, d: workflow.withdraw_topic(**_t(t, u), reason=d["reason"]),
         done=lambda t, r, d: _("“%(title)s” withdrawn.") % {"title": t.title}),
]
