import datetime as dt

import pytest
from django.utils import timezone

from office.models import AuditEvent, Notification
from office.workdays import WorkCalendar
from supervision import services, workflow
from supervision.models import Event, Extension, Item, Status
from supervision.workflow import WorkflowError
from tests.supervision.conftest import frozen


def kinds(item):
    return list(item.events.order_by("pk").values_list("kind", flat=True))


def test_the_whole_lifecycle(people, make_item):
    item = make_item(assign=False)
    assert (item.status, item.number) == (Status.DRAFT, f"督〔{timezone.localdate().year}〕1号")
    workflow.assign(item=item, acting_user=people.officer)
    # the responsible person and the lead unit's head are notified
    notified = Notification.objects.filter(kind="supervision").values_list("recipient__username", flat=True)
    assert set(notified) == {"resp", "head"}
    workflow.acknowledge(item=item, acting_user=people.responsible)
    workflow.report_progress(item=item, acting_user=people.responsible, text="已完成排查方案。")
    workflow.report_result(item=item, acting_user=people.responsible, result="全部整改到位。")
    workflow.accept(item=item, acting_user=people.officer)
    item.refresh_from_db()
    assert item.status == Status.CLOSED and item.result == "全部整改到位。"
    assert item.closing_class() == "on_time"
    assert kinds(item) == ["created", "assigned", "acknowledged", "progress", "result", "accepted"]
    assert list(AuditEvent.objects.filter(object_id=str(item.pk), action__startswith="supervision.")
                .order_by("pk").values_list("action", flat=True)) == [
        "supervision.create", "supervision.assign", "supervision.acknowledge",
        "supervision.report_progress", "supervision.report_result", "supervision.accept"]
    # 件件有回音: the instructing leader hears the answer
    assert Notification.objects.filter(recipient=people.leader, title__contains="落实学校安全隐患排查").exists()


def test_deadline_in_working_days_goes_through_the_calendar(people, make_item):
    item = make_item(deadline=None, working_days=5)
    assert item.deadline == WorkCalendar.load().add_working_days(timezone.localdate(), 5)
    assert item.original_deadline == item.deadline


def test_an_item_needs_its_responsible_person_in_the_lead_unit(people, make_item):
    with pytest.raises(WorkflowError, match="牵头单位"):
        make_item(responsible=people.clerk)
    assert Item.objects.count() == 0


def test_closing_an_item_nobody_acknowledged_is_refused(people, make_item):
    item = make_item()
    with pytest.raises(WorkflowError) as exc:
        workflow.accept(item=item, acting_user=people.officer)
    assert exc.value.code == "wrong_status"
    item.refresh_from_db()
    assert item.status == Status.ASSIGNED and item.closed_at is None
    failure = AuditEvent.objects.get(action="supervision.accept")
    assert (failure.result, failure.actor) == ("failure", people.officer)


def test_closing_needs_a_result_text(people, make_item):
    item = make_item()
    workflow.acknowledge(item=item, acting_user=people.responsible)
    with pytest.raises(WorkflowError, match="办理结果"):
        workflow.report_result(item=item, acting_user=people.responsible, result="   ")
    assert Item.objects.get(pk=item.pk).status == Status.ACKNOWLEDGED


def test_the_officer_returns_a_result_with_a_reason(people, make_item):
    item = make_item()
    workflow.acknowledge(item=item, acting_user=people.responsible)
    workflow.report_result(item=item, acting_user=people.responsible, result="完成了。")
    with pytest.raises(WorkflowError):
        workflow.return_item(item=item, acting_user=people.officer, reason="")
    workflow.return_item(item=item, acting_user=people.officer, reason="请补充整改台账。")
    item.refresh_from_db()
    assert item.status == Status.IN_PROGRESS
    assert item.events.get(kind="returned").note == "请补充整改台账。"


def test_dispute_and_reassign(people, make_item):
    from tests.factories import UserFactory

    item = make_item()
    workflow.dispute(item=item, acting_user=people.head, reason="不属于我局职责。")
    assert Item.objects.get(pk=item.pk).status == Status.DISPUTED
    new_responsible = UserFactory(username="czj", full_name="财政承办", unit=people.co)
    with pytest.raises(WorkflowError):  # only the office reassigns
        workflow.reassign(item=item, acting_user=people.head, lead_unit=people.co,
                          responsible=new_responsible)
    workflow.reassign(item=item, acting_user=people.officer, lead_unit=people.co,
                      responsible=new_responsible, note="改由财政局牵头。")
    item.refresh_from_db()
    assert (item.status, item.lead_unit, item.responsible) == (Status.ASSIGNED, people.co, new_responsible)
    assert kinds(item)[-2:] == ["disputed", "reassigned"]


def test_extension_approved_keeps_the_original_deadline_and_counts_as_extended(people, make_item):
    item = make_item(days=3)
    original = item.deadline
    new = WorkCalendar.load().add_working_days(original, 7)  # a working day: applies as typed
    ext = workflow.request_extension(item=item, acting_user=people.responsible,
                                     new_deadline=new, reason="需要省里批复。")
    with pytest.raises(WorkflowError) as exc:  # one pending request at a time
        workflow.request_extension(item=item, acting_user=people.responsible,
                                   new_deadline=original + dt.timedelta(days=20), reason="再延")
    assert exc.value.code == "duplicate"
    with pytest.raises(WorkflowError):  # the responsible person cannot approve their own request
        workflow.decide_extension(extension=ext, acting_user=people.responsible, approve=True)
    workflow.decide_extension(extension=ext, acting_user=people.leader, approve=True, note="同意。")
    with pytest.raises(WorkflowError) as exc:  # a second approval of the same extension
        workflow.decide_extension(extension=ext, acting_user=people.director, approve=True)
    assert exc.value.code == "decided"
    item.refresh_from_db()
    assert (item.original_deadline, item.deadline) == (original, new)
    workflow.acknowledge(item=item, acting_user=people.responsible)
    # delivered after the original deadline, within the extension (judged on the delivery)
    with frozen(timezone.now() + dt.timedelta(days=5)):
        workflow.report_result(item=item, acting_user=people.responsible, result="完成。")
    workflow.accept(item=item, acting_user=people.officer)
    item.refresh_from_db()
    assert item.closing_class() == "extended"
    assert Extension.objects.get(pk=ext.pk).decided_by == people.leader


def test_extension_refused_leaves_the_deadline(people, make_item):
    item = make_item()
    ext = workflow.request_extension(item=item, acting_user=people.responsible,
                                     new_deadline=item.deadline + dt.timedelta(days=5), reason="忙")
    workflow.decide_extension(extension=ext, acting_user=people.director, approve=False, note="不同意。")
    item.refresh_from_db()
    assert item.deadline == item.original_deadline
    assert Extension.objects.get(pk=ext.pk).decision == Extension.Decision.REFUSED
    # a new request is possible once the first is decided
    workflow.request_extension(item=item, acting_user=people.responsible,
                               new_deadline=item.deadline + dt.timedelta(days=2), reason="确需")


def test_an_extension_must_move_the_deadline_later(people, make_item):
    item = make_item()
    with pytest.raises(WorkflowError, match=item.deadline.isoformat()):
        workflow.request_extension(item=item, acting_user=people.responsible,
                                   new_deadline=item.deadline, reason="x")
    assert not Extension.objects.exists()


def test_a_chase_is_recorded_numbered_and_notified(people, make_item):
    item = make_item()
    chase = workflow.chase(item=item, acting_user=people.officer, note="请于本周五前报送进展。")
    assert chase.number == f"督催〔{timezone.localdate().year}〕1号"
    assert Notification.objects.filter(recipient=people.responsible, title__startswith="催办").exists()
    assert item.events.get(kind="chase").data["chase"] == chase.pk


def test_the_leader_comments_and_sees_every_step(people, make_item):
    item = make_item()
    workflow.comment(item=item, acting_user=people.leader, text="务必在期限内完成。")
    with pytest.raises(WorkflowError):
        workflow.comment(item=item, acting_user=people.clerk, text="我也说两句")
    assert item.events.filter(kind="comment").count() == 1


def test_open_item_from_origin_keeps_the_link(people):
    from office.models import Rule

    origin = Rule.objects.create(code="R-X", area="government", kind="work_rule", title="督查工作制度")
    item = services.open_item_from_origin(
        origin=origin, acting_user=people.director, title="落实督查制度", requirement="按制度执行",
        source_kind="document", lead_unit=people.lead, responsible=people.responsible,
        working_days=3)
    assert item.origin == origin and item.status == Status.ASSIGNED
    assert services.items_for_origin(origin) == [item]


def test_only_the_office_opens_items(people, make_item):
    with pytest.raises(WorkflowError):
        workflow.create_item(acting_user=people.clerk, title="t", requirement="r",
                             source_kind="other", lead_unit=people.lead,
                             responsible=people.responsible, working_days=3)
    assert Item.objects.count() == 0
    assert AuditEvent.objects.get(action="supervision.create").result == "failure"


def test_events_record_who_and_the_statuses(people, make_item):
    item = make_item()
    workflow.acknowledge(item=item, acting_user=people.responsible)
    ev = Event.objects.get(item=item, kind="acknowledged")
    assert (ev.actor, ev.from_status, ev.to_status) == (people.responsible, "assigned", "acknowledged")
