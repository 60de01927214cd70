"""Research and bulletin steps: one function each, keyword-only, atomic and audited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from office import audit, notify, numbering, roles
from office.models import User
from office.notify import Msg
from office.research import permissions
from office.research.models import Article, Issue, Receipt, Report, Task
from office.workdays import WorkCalendar
from office.workflow import WorkflowError, audited_step, require_line, require_participant, require_text


@audited_step("research.create_task")
def create_task(
    *,
    acting_user,
    topic: str,
    lead: User,
    method: str,
    due: dt.date,
    team: Iterable[User] = (),
    leader: User | None = None,
) -> Task:
    """A research task. Its due date goes through the core calendar (a day off moves it to the
    next working day); the lead and team are notified."""
    if not permissions.is_editor(acting_user):
        raise WorkflowError(_("Research tasks are set by the office director or a section chief."), code="forbidden")
    topic = require_line(topic, _("Enter the topic."))
    require_participant(lead, _("Choose the team lead."))
    if method not in Task.Method.values:
        raise WorkflowError(_("Choose the method."), code="invalid")
    if leader is not None and not roles.is_business_user(leader):
        raise WorkflowError(_("Choose a leader."), code="invalid")
    if due < timezone.localdate():
        raise WorkflowError(_("The due date has passed."), code="invalid")
    task = Task.objects.create(
        topic=topic,
        lead=lead,
        method=method,
        due=WorkCalendar.load().deadline_on(due),
        leader=leader,
        created_by=acting_user,
    )
    members = [u for u in team if roles.is_business_user(u)]
    task.team.set(members)
    for user in {lead, *members}:
        notify.notify(
            user,
            key=f"research:{task.pk}:{user.pk}",
            title=Msg(N_("Research task: %(topic)s, report due %(due)s"), topic=topic, due=f"{task.due:%Y-%m-%d}"),
            url=task.get_absolute_url(),
            kind="research",
            task=f"research:{task.pk}:report",
        )
    audit.record("research.create_task", actor=acting_user, obj=task, detail={"due": task.due.isoformat()})
    return task


@audited_step("research.submit_report", target_kwarg="task")
def submit_report(*, task: Task, acting_user, title: str, body: str) -> Report:
    """The report that ends the task: by its lead or a team member, once."""
    task = Task.objects.select_for_update().get(pk=task.pk)
    if acting_user.pk != task.lead_id and not task.team.filter(pk=acting_user.pk).exists():
        raise WorkflowError(_("Only the task's team writes its report."), code="forbidden")
    if Report.objects.filter(task=task).exists():
        raise WorkflowError(_("This task already has its report."), code="duplicate")
    report = Report.objects.create(
        task=task,
        title=require_line(title, _("Enter the title.")),
        body=require_text(body, _("Enter the text.")),
        author=acting_user,
    )
    audit.record("research.submit_report", actor=acting_user, obj=task, detail={"report": report.pk})
    notify.resolve([f"research:{task.pk}:report"], by=acting_user)
    if task.created_by_id != acting_user.pk:
        notify.notify(
            task.created_by,
            key=f"research-report:{report.pk}",
            title=Msg(N_("Research report: %(title)s"), title=report.title),
            url=task.get_absolute_url(),
            kind="research",
        )
    return report


@audited_step("research.create_issue")
def create_issue(*, acting_user, special: bool = False, special_title: str = "") -> Issue:
    if not permissions.is_editor(acting_user):
        raise WorkflowError(_("The bulletin is edited by the office director or a section chief."), code="forbidden")
    special_title = (special_title or "").strip()
    if special and not special_title:
        raise WorkflowError(_("Give the special issue its title."), code="required")
    issue = Issue.objects.create(
        year=timezone.localdate().year,
        special=special,
        special_title=special_title if special else "",
        editor=acting_user,
    )
    audit.record("research.create_issue", actor=acting_user, obj=issue)
    return issue


def _editable(issue: Issue, user) -> Issue:
    if not permissions.is_editor(user):
        raise WorkflowError(_("The bulletin is edited by the office director or a section chief."), code="forbidden")
    issue = Issue.objects.select_for_update().get(pk=issue.pk)
    if issue.published_at is not None:
        raise WorkflowError(_("This issue is published and can no longer change."), code="published")
    return issue


@audited_step("research.add_articles", target_kwarg="issue")
def add_articles(*, issue: Issue, acting_user, reports: Iterable[Report]) -> list[Article]:
    issue = _editable(issue, acting_user)
    reports = list(reports)
    if not reports:
        raise WorkflowError(_("Choose at least one report."), code="required")
    have = set(issue.articles.values_list("report_id", flat=True))
    start = issue.articles.count()
    added = [
        Article.objects.create(issue=issue, report=r, position=start + k)
        for k, r in enumerate(r for r in reports if r.pk not in have)
    ]
    audit.record(
        "research.add_articles", actor=acting_user, obj=issue, detail={"reports": [a.report_id for a in added]}
    )
    return added


@audited_step("research.publish", target_kwarg="issue")
def publish(*, issue: Issue, acting_user) -> Issue:
    """Number the issue (第N期 of its year, gap-free: ``office.numbering`` in this transaction),
    send it to every county leader and office director with a read receipt."""
    issue = _editable(issue, acting_user)
    if not issue.articles.exists():
        raise WorkflowError(_("An issue without articles cannot be published."), code="empty")
    issue.year = timezone.localdate().year
    issue.number = numbering.next_value("research.bulletin", issue.year)
    issue.published_at = timezone.now()
    issue.save(update_fields=["year", "number", "published_at"])
    readers = [
        u
        for u in User.objects.filter(is_active=True, groups__name__in=[roles.COUNTY_LEADER, roles.OFFICE_DIRECTOR])
        .distinct()
        .order_by("pk")
        if permissions.is_reader(u)
    ]
    Receipt.objects.bulk_create([Receipt(issue=issue, user=u) for u in readers])
    for user in readers:
        notify.notify(
            user, key=f"bulletin:{issue.pk}:{user.pk}", title=Msg(N_("Bulletin: %(issue)s"), issue=str(issue)),
            url=issue.get_absolute_url(), kind="research", task=f"bulletin:{issue.pk}:read:{user.pk}",
        )
    audit.record(
        "research.publish",
        actor=acting_user,
        obj=issue,
        detail={"year": issue.year, "number": issue.number, "readers": len(readers)},
    )
    return issue


def mark_read(*, issue: Issue, user) -> bool:
    """The reader's receipt, the first time they open the issue. Idempotent (a conditional
    update): True only the first time."""
    first = bool(Receipt.objects.filter(issue=issue, user=user, read_at__isnull=True).update(read_at=timezone.now()))
    if first:
        notify.resolve([f"bulletin:{issue.pk}:read:{user.pk}"], by=user)
    return first
