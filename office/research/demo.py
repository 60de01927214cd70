"""Demo research: tasks with and without reports (one overdue), and a published bulletin issue
with a special issue in draft. Idempotent."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from office.models import User
from office.research import workflow
from office.research.models import Report, Task

TASKS = [
    ("关于我县民营企业融资难问题的调研", "with_leader", "hesy", ["majl"], "lihm", -30, True),
    ("农村集体经济发展情况调研", "field", "gaop", ["linxr"], "zhangwd", -10, True),
    ("“一网通办”群众满意度问卷调查", "questionnaire", "majl", [], None, -3, False),
    ("县城停车难问题电话调研", "phone", "linxr", ["gaop"], "liuxy", 12, False),
]


def load() -> None:
    people = {
        u.username: u
        for u in User.objects.filter(
            username__in=["zhouw", "chenzq", "hesy", "majl", "gaop", "linxr", "lihm", "zhangwd", "liuxy"]
        )
    }
    if len(people) < 9 or Task.objects.exists():
        return
    today = timezone.localdate()
    for topic, method, lead, team, leader, due_in, reported in TASKS:
        # the task is set as it was, weeks ago, with its due date then
        task = workflow.create_task(
            acting_user=people["zhouw"],
            topic=topic,
            lead=people[lead],
            method=method,
            due=today + dt.timedelta(days=max(due_in, 1)),
            team=[people[u] for u in team],
            leader=people.get(leader),
        )
        if due_in < 1:
            from office.workdays import WorkCalendar

            Task.objects.filter(pk=task.pk).update(
                due=WorkCalendar.load().deadline_on(today + dt.timedelta(days=due_in))
            )
            task.refresh_from_db()
        if reported:
            workflow.submit_report(
                task=task,
                acting_user=people[lead],
                title=f"{topic.removesuffix('调研')}的调研报告",
                body="一、基本情况\n……\n二、存在问题\n……\n三、对策建议\n……（演示报告正文）",
            )
    issue = workflow.create_issue(acting_user=people["chenzq"])
    workflow.add_articles(issue=issue, acting_user=people["chenzq"], reports=list(Report.objects.order_by("pk")[:1]))
    workflow.publish(issue=issue, acting_user=people["chenzq"])
    special = workflow.create_issue(acting_user=people["chenzq"], special=True, special_title="乡村振兴调研专版")
    workflow.add_articles(issue=special, acting_user=people["chenzq"], reports=list(Report.objects.order_by("pk")[1:2]))
