"""Research and bulletin pages: thin; each checks who may see, calls one selector or step."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from office import audit, once, paging
from office.http import download, only_for
from office.research import forms, permissions, printing, selectors, workflow
from office.research.models import Issue, Task
from office.steps import Step, StepPage, finish
from office.workdays import WorkCalendar
from office.workflow import WorkflowError

taking_part = only_for(permissions.takes_part)


@taking_part
def task_list(request):
    scopes = [("open", pgettext_lazy("status", "Open")), ("overdue", _("Overdue")), ("reported", _("Reported")),
              ("all", _("All"))]
    scope = request.GET.get("scope") or "open"
    scope = scope if scope in dict(scopes) else "open"
    today = timezone.localdate()
    page = paging.page(request, selectors.task_list(request.user, scope=scope, today=today), 30)
    cal = WorkCalendar.load()
    for task in page:
        task.overdue = selectors.is_overdue(task, today)
        task.late = selectors.late_by(task, today, cal)
    return render(
        request,
        "research/task_list.html",
        {
            "page": page,
            "scope": scope,
            "scopes": scopes,
            "query": f"scope={scope}",
            "editor": permissions.is_editor(request.user),
        },
    )


def _create(request, form_class, template, action, message):
    if not permissions.is_editor(request.user):
        raise PermissionDenied
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            outcome = once.run_once(
                request.POST.get(once.FIELD),
                user=request.user,
                action=lambda: action(form.cleaned_data),
                describe=lambda obj: (obj.get_absolute_url(), message(obj)),
            )
        except WorkflowError as exc:
            form.add_error(None, exc.message)
        else:
            return finish(request, outcome, reverse("research:list"))
    return render(request, template, {"form": form}, status=400 if form.errors else 200)


@taking_part
def task_create(request):
    return _create(
        request,
        forms.TaskForm,
        "research/task_form.html",
        lambda d: workflow.create_task(
            acting_user=request.user,
            topic=d["topic"],
            lead=d["lead"],
            method=d["method"],
            due=d["due"],
            team=d["team"],
            leader=d["leader"],
        ),
        lambda t: (
            _("Research task set: %(topic)s, report due %(due)s.") % {"topic": t.topic, "due": f"{t.due:%Y-%m-%d}"}
        ),
    )


def _get_task(request, pk: int) -> Task:
    if not permissions.takes_part(request.user):
        raise PermissionDenied
    try:
        return selectors.task_detail(request.user, pk)
    except Task.DoesNotExist:
        raise Http404 from None


def _task_context(request, task: Task) -> dict:
    today = timezone.localdate()
    return {
        "task": task,
        "team": list(task.team.all()),
        "report": task.report if selectors.hasattr_report(task) else None,
        "overdue": selectors.is_overdue(task, today),
        "late": selectors.late_by(task, today, WorkCalendar.load()),
        "nothing_to_do": _("Nothing for you to do on this task now."),
    }


def _task_allowed(request, task: Task) -> list[str]:
    if selectors.hasattr_report(task):
        return []
    user = request.user
    return ["submit_report"] if user.pk == task.lead_id or task.team.filter(pk=user.pk).exists() else []


TASK_PAGE = StepPage(
    steps=[
        Step(
            "submit_report",
            gettext_lazy("Submit the report"),
            form=forms.ReportForm,
            run=lambda t, u, d: workflow.submit_report(task=t, acting_user=u, title=d["title"], body=d["body"]),
            done=lambda t, r, d: _("Report submitted: %(title)s") % {"title": r.title},
        )
    ],
    template="research/task_detail.html",
    url_name="research:task_step",
    get_object=_get_task,
    allowed=_task_allowed,
    context=_task_context,
)


@taking_part
def task_detail(request, pk: int):
    return TASK_PAGE.render(request, _get_task(request, pk))


task_step = taking_part(TASK_PAGE.step_view())


@taking_part
def issue_list(request):
    page = paging.page(request, selectors.issue_list(request.user), 30)
    return render(
        request, "research/issue_list.html", {"page": page, "query": "", "editor": permissions.is_editor(request.user)}
    )


@taking_part
def issue_create(request):
    return _create(
        request,
        forms.IssueForm,
        "research/issue_form.html",
        lambda d: workflow.create_issue(
            acting_user=request.user, special=d["special"], special_title=d["special_title"]
        ),
        lambda i: _("Draft issue created: choose its articles, then publish it."),
    )


def _get_issue(request, pk: int) -> Issue:
    if not permissions.takes_part(request.user):
        raise PermissionDenied
    try:
        return selectors.issue_detail(request.user, pk)
    except Issue.DoesNotExist:
        raise Http404 from None


def _issue_context(request, issue: Issue) -> dict:
    return {
        "issue": issue,
        "articles": selectors.articles_of(issue),
        "receipts": list(issue.receipts.select_related("user").order_by("pk")),
        "nothing_to_do": _("Nothing for you to do on this issue now."),
    }


def _issue_allowed(request, issue: Issue) -> list[str]:
    if issue.published_at is not None or not permissions.is_editor(request.user):
        return []
    return ["add_articles", "publish"]


ISSUE_PAGE = StepPage(
    steps=[
        Step(
            "add_articles",
            gettext_lazy("Add reports"),
            form=forms.ArticlesForm,
            run=lambda i, u, d: workflow.add_articles(issue=i, acting_user=u, reports=d["reports"]),
            done=lambda i, r, d: _("%(n)d articles added.") % {"n": len(r)},
        ),
        Step(
            "publish",
            gettext_lazy("Publish and send to the leaders"),
            primary=False,
            confirm=gettext_lazy(
                "Publish this issue? It is numbered and sent to the leaders, and can no longer change."
            ),
            run=lambda i, u, d: workflow.publish(issue=i, acting_user=u),
            done=lambda i, r, d: (
                _("%(issue)s published and sent to %(n)d readers.") % {"issue": str(r), "n": r.receipts.count()}
            ),
        ),
    ],
    template="research/issue_detail.html",
    url_name="research:issue_step",
    get_object=_get_issue,
    allowed=_issue_allowed,
    context=_issue_context,
)


@taking_part
def issue_detail(request, pk: int):
    issue = _get_issue(request, pk)
    if issue.published_at is not None:
        workflow.mark_read(issue=issue, user=request.user)
    return ISSUE_PAGE.render(request, issue)


issue_step = taking_part(ISSUE_PAGE.step_view())


@taking_part
def issue_pdf(request, pk: int):
    issue = _get_issue(request, pk)
    if issue.published_at is not None:
        workflow.mark_read(issue=issue, user=request.user)
    audit.record("research.download_issue", actor=request.user, obj=issue)
    name = f"某县政讯-{issue.year}-{issue.number or '草稿'}.pdf"
    return download(printing.issue_pdf(issue, selectors.articles_of(issue)), name, "application/pdf")
