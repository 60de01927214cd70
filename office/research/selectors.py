"""Reads for research and the bulletin. Overdue is the office's one rule on dates
(``supervision.timeliness`` through ``supervision.selectors``): a task without a report is
overdue on a day after its due date."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from office.research import permissions
from office.research.models import Issue, Receipt, Report, Task
from office.workdays import WorkCalendar
from supervision.selectors import past_due, past_due_q, working_days_late


def overdue_q(day: dt.date) -> Q:
    return Q(report__isnull=True) & past_due_q("due", day)


def is_overdue(task: Task, day: dt.date) -> bool:
    return not hasattr_report(task) and past_due(task.due, day)


def hasattr_report(task: Task) -> bool:
    try:
        return task.report is not None
    except Report.DoesNotExist:
        return False


def late_by(task: Task, day: dt.date, cal: WorkCalendar) -> int:
    if hasattr_report(task):
        return working_days_late(task.due, timezone.localdate(task.report.submitted_at), cal)
    return working_days_late(task.due, day, cal)


def visible_tasks(user) -> QuerySet:
    q = permissions.tasks_q(user)
    return Task.objects.none() if q is None else Task.objects.filter(q).distinct()


def task_list(user, *, scope: str = "open", today: dt.date | None = None) -> QuerySet:
    today = today or timezone.localdate()
    tasks = visible_tasks(user).select_related("lead", "leader", "report")
    if scope == "open":
        tasks = tasks.filter(report__isnull=True)
    elif scope == "overdue":
        tasks = tasks.filter(overdue_q(today))
    elif scope == "reported":
        tasks = tasks.filter(report__isnull=False)
    return tasks.order_by("due", "pk")


def task_detail(user, pk: int) -> Task:
    return visible_tasks(user).select_related("lead", "leader", "created_by", "report__author").get(pk=pk)


def overdue_tasks(day: dt.date | None = None) -> QuerySet:
    """For the dashboard: tasks without a report past their due date, oldest first."""
    return Task.objects.filter(overdue_q(day or timezone.localdate())).select_related("lead").order_by("due", "pk")


def visible_issues(user) -> QuerySet:
    q = permissions.issues_q(user)
    return Issue.objects.none() if q is None else Issue.objects.filter(q)


def issue_list(user) -> QuerySet:
    receipts = Receipt.objects.filter(issue=OuterRef("pk"))
    return (
        visible_issues(user)
        .annotate(
            n_articles=Count("articles", distinct=True),
            n_sent=Count("receipts", distinct=True),
            n_read=Count("receipts", filter=Q(receipts__read_at__isnull=False), distinct=True),
            unread_by_me=Exists(receipts.filter(user=user, read_at__isnull=True)),
        )
        .order_by("-year", "-published_at", "-pk")
    )


def issue_detail(user, pk: int) -> Issue:
    return visible_issues(user).select_related("editor").get(pk=pk)


def articles_of(issue: Issue) -> list:
    return list(issue.articles.select_related("report__author", "report__task").order_by("position", "pk"))


def selectable_reports() -> QuerySet:
    """Reports not yet in a published issue."""
    return (
        Report.objects.exclude(articles__issue__published_at__isnull=False)
        .select_related("task", "author")
        .order_by("-submitted_at")
    )


def person_year(user_id: int, year: int) -> dict:
    """For the assessment: reports written in the year, and how many were published."""
    reports = Report.objects.filter(author_id=user_id, submitted_at__year=year)
    return {
        "reports": reports.count(),
        "published": reports.filter(articles__issue__published_at__isnull=False).distinct().count(),
    }
