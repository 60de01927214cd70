"""One way to declare a workflow step's page, and the one view that runs it.

A workflow app declares, per step, what differs (``Step``): its name, label, form, the workflow
function it calls, the message that says what happened, whether it is final (and the question
asked before it), and its initial values. It declares its object page once (``StepPage``): how
to fetch the object for the user (404 when not visible), which steps the user may take now, the
template and the rest of the page's context. The machinery lives here, once:

- ``StepPage.actions`` builds the next-action card (``templates/_actions.html``): the allowed
  steps in declared order, the first primary one open;
- ``StepPage.step_view`` is the POST view: binds the form, re-renders the page with what the user
  typed when it is invalid (400), claims the form's one-time token and runs the step atomically
  with it (``office.once``: a double click or a resubmission acts once and shows the first
  result), turns a refusal into its message on the re-rendered page (409), and redirects with
  the success message after the commit.

A newcomer adding a step adds its function in ``workflow.py``, its form in ``forms.py`` and one
``Step(...)`` in the app's ``steps.py``; nothing else.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from office import once
from office.workflow import WorkflowError


@dataclass(frozen=True)
class Step:
    """The declaration of one workflow step as its page offers it.

    ``run(obj, user, data)`` calls the workflow function (``data`` is the form's cleaned data, or
    {} without a form) and returns its result. ``done(obj, result, data)`` returns the success
    message that says what happened (e.g. "已签收 督〔2026〕13号"). ``confirm``: the question asked
    before a final or destructive step (核实办结, 退回, 归档, 收回). ``primary=False`` marks a step
    that is never offered as the obvious next action (催办, 评论). ``initial(obj)`` and
    ``form_kwargs(obj)`` feed the unbound form; ``redirect(obj, result)`` overrides where the
    user lands (default: the object's page)."""

    name: str
    label: Any
    run: Callable[[Any, Any, dict], Any]
    done: Callable[[Any, Any, dict], str]
    form: type[forms.Form] | None = None
    confirm: Any = None
    # may it be offered as the obvious next action? A callable decides per object (e.g. 催办
    # only once the item is overdue)
    primary: bool | Callable[[Any], bool] = True
    initial: Callable[[Any], dict] | None = None
    form_kwargs: Callable[[Any], dict] | None = None
    redirect: Callable[[Any, Any], str] | None = None

    def unbound_form(self, obj) -> forms.Form | None:
        if self.form is None:
            return None
        return self.form(prefix=self.name, initial=self.initial(obj) if self.initial else None,
                         **(self.form_kwargs(obj) if self.form_kwargs else {}))

    def bound_form(self, request, obj) -> forms.Form | None:
        if self.form is None:
            return None
        return self.form(request.POST, request.FILES, prefix=self.name,
                         **(self.form_kwargs(obj) if self.form_kwargs else {}))

    def landing(self, obj, result) -> str:
        return self.redirect(obj, result) if self.redirect else obj.get_absolute_url()


@dataclass
class StepPage:
    """An object page with workflow steps, declared by a workflow app.

    ``get_object(request, pk)`` returns the object the user may see or raises ``Http404``;
    ``allowed(request, obj)`` the names of the steps the user may take now; ``context(request,
    obj)`` the page's own context; ``url_name`` the step URL (args: pk, step name)."""

    steps: Sequence[Step]
    template: str
    url_name: str
    get_object: Callable[[Any, int], Any]
    allowed: Callable[[Any, Any], Sequence[str]]
    context: Callable[[Any, Any], dict]
    by_name: dict[str, Step] = field(init=False)

    def __post_init__(self):
        self.by_name = {s.name: s for s in self.steps}

    # --- the page ---------------------------------------------------------------------
    def actions(self, request, obj, bound: dict | None = None) -> list[dict]:
        """The next-action card's entries: the first primary step first (the card shows it
        open), then the others in declared order. A step whose ``primary`` is a callable is
        primary when it says so for this object."""
        allowed = set(self.allowed(request, obj))
        entries, primary_taken = [], False
        for spec in self.steps:
            if spec.name not in allowed:
                continue
            wanted = spec.primary(obj) if callable(spec.primary) else spec.primary
            primary = bool(wanted) and not primary_taken
            primary_taken = primary_taken or primary
            entries.append({
                "name": spec.name, "label": spec.label, "confirm": spec.confirm or "",
                "form": (bound or {}).get(spec.name) or spec.unbound_form(obj),
                "url": reverse(self.url_name, args=[obj.pk, spec.name]), "primary": primary,
            })
        entries.sort(key=lambda e: not e["primary"])  # stable: the rest keep their order
        return entries

    def render(self, request, obj, *, bound: dict | None = None, failed: str = "",
               status: int = 200) -> HttpResponse:
        ctx = dict(self.context(request, obj))
        ctx.update(actions=self.actions(request, obj, bound), failed_step=failed)
        return render(request, self.template, ctx, status=status)

    # --- the step view ----------------------------------------------------------------
    def step_view(self):
        page = self

        @require_POST
        def view(request, pk: int, step: str):
            spec = page.by_name.get(step)
            if spec is None:
                raise Http404
            obj = page.get_object(request, pk)
            form = spec.bound_form(request, obj)
            if form is not None and not form.is_valid():
                messages.error(request, _("Please correct the errors below."))
                return page.render(request, obj, bound={step: form}, failed=step, status=400)
            data = form.cleaned_data if form is not None else {}
            try:
                outcome = once.run_once(
                    request.POST.get(once.FIELD), user=request.user,
                    action=lambda: spec.run(obj, request.user, data),
                    describe=lambda result: (spec.landing(obj, result), str(spec.done(obj, result, data))))
            except WorkflowError as exc:
                messages.error(request, exc.message)
                status = 400 if isinstance(exc, once.TokenRefused) else 409
                return page.render(request, page.get_object(request, pk),
                                   bound={step: form} if form is not None else None,
                                   failed=step, status=status)
            return finish(request, outcome, obj.get_absolute_url())

        return view


def finish(request, outcome: once.Outcome, fallback_url: str):
    """The response after ``once.run_once``: the success message and the result's page, or, for
    a repeated submission, what the first one did."""
    if outcome.duplicate:
        messages.info(request, _("This was already sent once and done: %(message)s")
                      % {"message": outcome.message} if outcome.message
                      else _("This was already sent once; nothing was done twice."))
    else:
        messages.success(request, outcome.message)
    return redirect(outcome.url or fallback_url)


def people_names(users) -> str:
    """Names joined the Chinese way for messages: 王建国、何思源."""
    return "、".join(u.get_full_name() for u in users)
