"""Research tasks (due dates through the calendar, overdue by the office's one rule), reports,
the bulletin (第N期 gap-free per year, 专版), the leaders' read receipts, the PDF; visibility."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from office import once, roles
from office.models import CalendarDay, Notification, Unit
from office.research import printing, selectors, workflow
from office.research.models import Issue, Receipt, Task
from office.workdays import WorkCalendar
from office.workflow import WorkflowError
from supervision import timeliness
from tests.factories import UnitFactory, UserFactory


class P:
    pass


@pytest.fixture
def rp(db):
    p = P()
    p.msk = UnitFactory(code="MSK", name="秘书科", kind=Unit.Kind.SECTION)
    p.ldbz = UnitFactory(code="LDBZ", name="县政府领导", kind=Unit.Kind.LEADERSHIP)
    p.chief = UserFactory(username="chief", full_name="周文", roles=[roles.SECTION_CHIEF, roles.SECRETARY], unit=p.msk)
    p.a = UserFactory(username="a", full_name="何思源", roles=[roles.SECRETARY], unit=p.msk)
    p.b = UserFactory(username="b", full_name="马佳丽", roles=[roles.SECRETARY], unit=p.msk)
    p.c = UserFactory(username="c", full_name="高鹏", roles=[roles.SECRETARY], unit=p.msk)
    p.leader = UserFactory(username="l", full_name="王建国", roles=[roles.COUNTY_LEADER], unit=p.ldbz)
    p.vice = UserFactory(username="v", full_name="李红梅", roles=[roles.COUNTY_LEADER], unit=p.ldbz)
    p.director = UserFactory(username="d", full_name="陈志强", roles=[roles.OFFICE_DIRECTOR], unit=p.msk)
    return p


def task(rp, due=None, **kwargs):
    return workflow.create_task(
        acting_user=rp.chief,
        topic=kwargs.pop("topic", "民营企业融资调研"),
        lead=rp.a,
        method="field",
        due=due or timezone.localdate() + dt.timedelta(days=30),
        team=kwargs.pop("team", [rp.b]),
        leader=rp.leader,
        **kwargs,
    )


def test_a_due_date_on_a_day_off_moves_to_the_next_working_day(rp):
    today = timezone.localdate()
    saturday = today + dt.timedelta(days=(5 - today.weekday()) % 7 + 7)
    CalendarDay.objects.filter(
        date__in=[saturday, saturday + dt.timedelta(days=1), saturday + dt.timedelta(days=2)]
    ).delete()
    t = task(rp, due=saturday)
    assert t.due == saturday + dt.timedelta(days=2)
    assert Notification.objects.filter(recipient__in=[rp.a, rp.b]).count() == 2


def test_no_report_by_the_due_date_is_overdue_the_same_way_as_a_supervision_item(rp):
    t = task(rp)
    due = dt.date(2025, 3, 7)  # a Friday
    Task.objects.filter(pk=t.pk).update(due=due)
    t.refresh_from_db()
    cal = WorkCalendar.load()
    for day, overdue, late in (
        (due, False, 0),
        (dt.date(2025, 3, 8), True, 0),
        (dt.date(2025, 3, 10), True, 1),
        (dt.date(2025, 3, 12), True, 3),
    ):
        assert selectors.is_overdue(t, day) is overdue is timeliness.past_due(due, day)
        assert selectors.late_by(t, day, cal) == late
        assert list(selectors.overdue_tasks(day)) == ([t] if overdue else [])
    workflow.submit_report(task=t, acting_user=rp.b, title="调研报告", body="正文")
    t = Task.objects.select_related("report").get(pk=t.pk)
    assert selectors.is_overdue(t, dt.date(2025, 3, 12)) is False
    assert list(selectors.overdue_tasks(dt.date(2025, 3, 12))) == []


def test_only_the_team_reports_and_only_once(rp):
    t = task(rp)
    with pytest.raises(WorkflowError) as exc:
        workflow.submit_report(task=t, acting_user=rp.c, title="x", body="y")
    assert exc.value.code == "forbidden"
    workflow.submit_report(task=t, acting_user=rp.a, title="报告", body="正文")
    with pytest.raises(WorkflowError) as exc:
        workflow.submit_report(task=t, acting_user=rp.b, title="再报", body="正文")
    assert exc.value.code == "duplicate"


def test_issues_are_numbered_gap_free_per_year_when_published_and_sent_with_receipts(rp):
    t1, t2 = task(rp, topic="一"), task(rp, topic="二")
    r1 = workflow.submit_report(task=t1, acting_user=rp.a, title="报告一", body="正文一")
    r2 = workflow.submit_report(task=t2, acting_user=rp.a, title="报告二", body="正文二")
    first = workflow.create_issue(acting_user=rp.chief)
    special = workflow.create_issue(acting_user=rp.chief, special=True, special_title="营商环境专版")
    with pytest.raises(WorkflowError) as exc:
        workflow.publish(issue=first, acting_user=rp.chief)  # empty: refused, no number consumed
    assert exc.value.code == "empty"
    workflow.add_articles(issue=special, acting_user=rp.chief, reports=[r2])
    workflow.publish(issue=special, acting_user=rp.chief)
    workflow.add_articles(issue=first, acting_user=rp.chief, reports=[r1])
    workflow.publish(issue=first, acting_user=rp.chief)
    year = timezone.localdate().year
    assert list(Issue.objects.order_by("number").values_list("year", "number", "special")) == [
        (year, 1, True),
        (year, 2, False),
    ]
    special.refresh_from_db()
    assert str(special) == f"《某县政讯》{year}年第1期（专版）"
    # the two county leaders and the director, each once
    assert sorted(Receipt.objects.filter(issue=special).values_list("user__username", flat=True)) == ["d", "l", "v"]
    with pytest.raises(WorkflowError) as exc:
        workflow.add_articles(issue=special, acting_user=rp.chief, reports=[r1])
    assert exc.value.code == "published"
    assert list(selectors.selectable_reports()) == []


def test_a_leader_opening_the_issue_marks_it_read_once(client, rp):
    t = task(rp)
    r = workflow.submit_report(task=t, acting_user=rp.a, title="报告", body="正文")
    issue = workflow.create_issue(acting_user=rp.chief)
    workflow.add_articles(issue=issue, acting_user=rp.chief, reports=[r])
    workflow.publish(issue=issue, acting_user=rp.chief)
    client.force_login(rp.leader)
    assert client.get(issue.get_absolute_url()).status_code == 200
    first = Receipt.objects.get(issue=issue, user=rp.leader).read_at
    client.get(reverse("research:issue_pdf", args=[issue.pk]))
    assert Receipt.objects.get(issue=issue, user=rp.leader).read_at == first is not None
    assert Receipt.objects.filter(issue=issue, read_at__isnull=True).count() == 2


def test_the_bulletin_pdf_has_the_masthead_number_contents_and_articles(rp):
    from pypdf import PdfReader

    data = printing.sample()
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    for expected in (
        "某县政讯",
        "2026年第7期",
        "专版",
        "目",
        "关于我县民营企业融资难问题的调研报告",
        "“一网通办”改革成效与下一步建议",
        "何思源",
    ):
        assert expected in text.replace(" ", "")
    assert len(PdfReader(io.BytesIO(data)).pages) == 3  # masthead and contents, then one page per article


def test_a_task_of_others_is_a_404_and_a_draft_issue_is_for_editors(client, rp):
    t = task(rp)
    issue = workflow.create_issue(acting_user=rp.chief)
    client.force_login(rp.c)
    assert client.get(t.get_absolute_url()).status_code == 404
    assert client.get(issue.get_absolute_url()).status_code == 404
    client.force_login(rp.b)  # a team member
    assert client.get(t.get_absolute_url()).status_code == 200
    client.force_login(rp.leader)  # the task's leader
    assert client.get(t.get_absolute_url()).status_code == 200
    assert client.get(reverse("research:task_create")).status_code == 403


def test_the_report_form_ends_the_task(client, rp):
    t = task(rp)
    client.force_login(rp.a)
    response = client.post(
        reverse("research:task_step", args=[t.pk, "submit_report"]),
        {"submit_report-title": "报告", "submit_report-body": "正文", once.FIELD: once.new_token(rp.a)},
    )
    assert response.status_code == 302
    assert Task.objects.get(pk=t.pk).report.title == "报告"


@pytest.mark.parametrize("n", [1, 6])
def test_the_task_list_runs_a_fixed_number_of_queries(client, rp, django_assert_num_queries, n):
    for k in range(n):
        task(rp, topic=f"调研{k}")
    client.force_login(rp.chief)
    client.get(reverse("research:list"))
    with django_assert_num_queries(12):
        assert client.get(reverse("research:list"), {"scope": "all"}).status_code == 200


def test_render_samples_writes_the_bulletin(db, tmp_path, monkeypatch):
    from django.core.management import call_command
    from pypdf import PdfReader

    from office import printing as office_printing

    monkeypatch.setattr(office_printing, "_samples", {})
    printing.register_samples()
    call_command("render_samples", str(tmp_path), stdout=io.StringIO())
    data = (tmp_path / "某县政讯.pdf").read_bytes()
    assert "某县政讯" in PdfReader(io.BytesIO(data)).pages[0].extract_text().replace(" ", "")


def test_notifications_are_stored_by_meaning_and_resolve_when_their_action_is_done(client, rp):
    """A research task's notice asks for its report: it stops counting when the report is in,
    whoever on the team wrote it; a bulletin's asks each reader to read it; titles render in the
    reader's language."""
    from django.utils import translation

    from office import notify

    t = task(rp, topic="农村饮水调研")
    to_b = Notification.objects.get(recipient=rp.b, task=f"research:{t.pk}:report")
    with translation.override("en"):
        assert to_b.display_title.startswith("Research task: 农村饮水调研, report due ")
    with translation.override("zh-hans"):
        assert "农村饮水调研" in to_b.display_title and "Research task" not in to_b.display_title
    assert Notification.objects.filter(notify.open_q(), task=f"research:{t.pk}:report").count() == 2
    r = workflow.submit_report(task=t, acting_user=rp.b, title="报告", body="正文")
    assert Notification.objects.filter(notify.open_q(), task=f"research:{t.pk}:report").count() == 0
    issue = workflow.create_issue(acting_user=rp.chief)
    workflow.add_articles(issue=issue, acting_user=rp.chief, reports=[r])
    workflow.publish(issue=issue, acting_user=rp.chief)
    mine = Notification.objects.get(recipient=rp.leader, task=f"bulletin:{issue.pk}:read:{rp.leader.pk}")
    assert mine.resolved_at is None
    client.force_login(rp.leader)
    client.get(issue.get_absolute_url())
    mine.refresh_from_db()
    assert mine.resolved_at is not None and mine.resolved_by == rp.leader
    assert Notification.objects.filter(notify.open_q(), task__startswith=f"bulletin:{issue.pk}:read:").count() == 2
