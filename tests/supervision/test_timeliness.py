"""One definition of on time and overdue (supervision.timeliness): whose turn it is, since when,
the date the unit must deliver by (the clock pauses while the office holds the item), overdue,
the closing verdict judged on the delivery of the accepted result; lists, filters, desk,
reminders, levels, ledger and the 督查通报 agree, and every report figure equals the length of
the list it links to. With it: pending extensions lapse when the unit's turn ends, duties are
separated, every refused extension decision is audited on its item, and a reminder re-checks its
recipient when it is sent."""

import datetime as dt
import random
import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from office.models import AuditEvent, Notification, Unit
from office.workdays import WorkCalendar
from supervision import reminders, reports, selectors, timeliness, workflow
from supervision.models import Closing, Event, Extension, Item, Reminder, Status
from supervision.workflow import WorkflowError
from tests.factories import UserFactory
from tests.helpers import with_token
from tests.supervision.conftest import at, frozen, move_deadline


def d(day: int, month: int = 11) -> dt.date:
    return dt.date(2026, month, day)


MONDAY = dt.date(2026, 11, 16)


def fresh(item) -> Item:
    return Item.objects.select_related("lead_unit").get(pk=item.pk)


def clock_on(item, day: dt.date) -> timeliness.Clock:
    cal = WorkCalendar.load()
    return timeliness.clock(fresh(item), today=day, cal=cal,
                            thresholds=selectors.level_thresholds(cal, day))


def listed(user, day: dt.date, **filters) -> list[str]:
    """Titles the list shows ``user`` on ``day`` with ``filters``."""
    with frozen(at(day, 12)):
        qs, _counts = selectors.item_list(user, selectors.ItemFilters(scope="all", **filters),
                                          cal=WorkCalendar.load(), manager=True)
        return [i.title for i in qs]


def report_row(unit, kind: str, anchor: dt.date, today: dt.date):
    data = reports.unit_report(kind, anchor, today=today)
    return next(r for r in data.rows if r.unit == unit)


def failures(action: str, item) -> list[dict]:
    """The refusals of ``action`` audited on ``item``."""
    ct = ContentType.objects.get_for_model(Item)
    return list(AuditEvent.objects.filter(action=action, result="failure", content_type=ct,
                                          object_id=str(item.pk)).values_list("detail", flat=True))


@pytest.fixture
def opened(people, make_item):
    """An item assigned at 09:00 on ``assigned`` (default 11-16) due on ``deadline``."""
    def make(deadline: dt.date, assigned: dt.date = MONDAY, **fields):
        with frozen(at(assigned)):
            return make_item(deadline=deadline, co_units=[], **fields)
    return make


def deliver(item, moment, result="已办结。"):
    with frozen(moment):
        item = fresh(item)
        if item.status == Status.ASSIGNED:
            workflow.acknowledge(item=item, acting_user=item.responsible)
        workflow.report_result(item=item, acting_user=item.responsible, result=result)


def verify(item, people, moment):
    with frozen(moment):
        workflow.accept(item=fresh(item), acting_user=people.officer)


def send_back(item, people, moment):
    with frozen(moment):
        workflow.return_item(item=fresh(item), acting_user=people.officer, reason="请补充佐证材料。")


# --- the example: reported 11-24 for 11-25, verified 11-27 ------------------------

def test_a_result_delivered_before_the_deadline_and_verified_after_it_is_on_time(people, opened):
    item = opened(d(25), title="按期报送事项")
    deliver(item, at(d(24), 15))
    # 11-26: the office holds it; nobody counts it overdue
    clock = clock_on(item, d(26))
    assert (clock.turn, clock.overdue, clock.late_by, clock.days_left) == ("office", False, 0, 1)
    assert clock.since == at(d(24), 15) and clock.deliver_by == d(25)
    assert listed(people.officer, d(26), level="overdue") == []
    assert report_row(people.lead, "week", d(26), d(26)).open_overdue == 0
    with frozen(at(d(26), 12)):
        assert selectors.desk_items(people.responsible, cal=WorkCalendar.load())[1] == 0
        assert selectors.desk_items(people.officer, cal=WorkCalendar.load())[1] == 1  # to verify
    verify(item, people, at(d(27), 10))
    item = fresh(item)
    assert (item.status, item.closing_class()) == (Status.CLOSED, Closing.ON_TIME)
    row = report_row(people.lead, "week", d(27), d(28))
    assert (row.closed, row.closed_on_time, row.closed_extended, row.closed_overdue, row.open_overdue) == \
        (1, 1, 0, 0, 0)
    # the previous week's report, regenerated now: assigned, not overdue at its end (due 11-25)
    row = report_row(people.lead, "week", d(16), d(28))
    assert (row.assigned, row.open_overdue) == (1, 0)


def test_the_item_page_says_whose_turn_it_is(client, people, opened):
    item = opened(d(25), title="核实中的事项")
    deliver(item, at(d(24), 15))
    with frozen(at(d(26), 12)):
        client.force_login(people.officer)
        page = client.get(reverse("supervision:detail", args=[item.pk])).content.decode()
    assert 'data-turn="office"' in page and "督查室：核实办理结果中" in page
    assert "自 2026-11-24 15:00 起" in page
    assert "计时暂停：移交时尚余 1 个工作日" in page
    assert 'data-testid="item-level"' not in page


# --- the clock pauses while the office holds the item -----------------------------------

def test_a_result_returned_after_the_deadline_keeps_the_days_the_unit_had_left(people, opened):
    item = opened(d(25))
    deliver(item, at(d(24), 15))              # one working day left (Wed 11-25)
    send_back(item, people, at(d(27), 10))     # the office held it Wed, Thu, Fri
    item = fresh(item)
    assert (item.status, item.held_days, item.deadline, item.deliver_by) == \
        (Status.IN_PROGRESS, 3, d(25), d(30))
    assert clock_on(item, d(27)).days_left == 1
    assert listed(people.officer, d(30), level="overdue") == []
    assert clock_on(item, d(30)).summary == "今日到期"
    assert clock_on(item, d(1, 12)).late_by == 1
    assert timeliness.is_overdue(fresh(item), d(1, 12)) and not timeliness.is_overdue(fresh(item), d(30))
    deliver(item, at(d(30), 16))
    verify(item, people, at(d(2, 12), 9))
    assert fresh(item).closing == Closing.ON_TIME


def test_a_late_result_returned_stays_exactly_as_late(people, opened):
    item = opened(d(25))
    deliver(item, at(d(26), 15))              # one working day late
    assert clock_on(item, d(27)).summary == "计时暂停：移交时已逾期 1 个工作日"
    send_back(item, people, at(d(30), 9))      # held Fri, Mon
    item = fresh(item)
    assert (item.held_days, item.deliver_by) == (2, d(27))
    assert clock_on(item, d(30)).late_by == 1
    deliver(item, at(d(30), 16))
    verify(item, people, at(d(1, 12), 9))
    assert fresh(item).closing == Closing.LATE


def test_a_returned_result_does_not_count_only_the_accepted_one(people, opened):
    item = opened(d(20))
    deliver(item, at(d(19), 15))              # on time, but returned the same day
    send_back(item, people, at(d(19), 17))
    assert fresh(item).deliver_by == d(20)
    deliver(item, at(d(23), 10))              # the accepted result came a working day late
    verify(item, people, at(d(23), 11))
    assert fresh(item).closing == Closing.LATE
    assert fresh(item).result_reported_at == at(d(23), 10)


def test_a_dispute_pauses_the_clock_and_the_new_unit_keeps_the_days_left(people, opened):
    item = opened(d(25))
    with frozen(at(d(20), 10)):
        workflow.dispute(item=fresh(item), acting_user=people.head, reason="非本单位职责")
    # still disputed on 11-26: the office's turn, not overdue anywhere
    assert clock_on(item, d(26)).turn == "office"
    assert listed(people.officer, d(26), level="overdue") == []
    assert report_row(people.lead, "week", d(26), d(26)).open_overdue == 0
    with frozen(at(d(26), 12)):  # on the desk of the supervising officer, not the unit's
        assert selectors.desk_items(people.officer, cal=WorkCalendar.load())[1] == 1
        assert selectors.desk_items(people.responsible, cal=WorkCalendar.load())[1] == 0
    new = UserFactory(username="czj2", full_name="财政新承办", unit=people.co)
    with frozen(at(d(26), 16)):
        workflow.reassign(item=fresh(item), acting_user=people.officer, lead_unit=people.co, responsible=new)
    item = fresh(item)
    # held Mon..Thu (4 working days after Fri 11-20): three working days were left, still are
    assert (item.held_days, item.deliver_by, item.assigned_at) == (4, d(1, 12), at(d(26), 16))
    assert clock_on(item, d(26)).days_left == 3
    assert listed(people.officer, d(30), level="overdue") == []
    assert listed(people.officer, d(2, 12), level="overdue") == [item.title]


def test_an_extension_after_a_pause_keeps_the_held_days(people, opened):
    item = opened(d(25))
    deliver(item, at(d(24), 15))
    send_back(item, people, at(d(26), 9))      # held Wed, Thu: due Fri 11-27
    assert fresh(item).deliver_by == d(27)
    with frozen(at(d(26), 10)):
        ext = workflow.request_extension(item=fresh(item), acting_user=people.responsible,
                                         new_deadline=d(2, 12), reason="需省厅批复。")
        workflow.decide_extension(item=fresh(item), acting_user=people.leader, approve=True)
    item = fresh(item)
    assert (item.original_deadline, item.deadline, item.deliver_by) == (d(25), d(2, 12), d(4, 12))
    assert Extension.objects.get(pk=ext.pk).decision == Extension.Decision.APPROVED
    deliver(item, at(d(1, 12), 10))           # after the original due date (11-27), within the extension
    verify(item, people, at(d(1, 12), 11))
    assert fresh(item).closing == Closing.EXTENDED


def test_a_calendar_change_moves_the_deliver_by_date_with_the_held_days(people, opened):
    from office.models import CalendarDay

    item = opened(d(16, 12), assigned=d(1, 12))
    deliver(item, at(d(14, 12), 15))
    send_back(item, people, at(d(16, 12), 9))  # held Tue, Wed: due Fri 12-18
    assert fresh(item).deliver_by == d(18, 12)
    CalendarDay.objects.create(date=d(17, 12), kind=CalendarDay.Kind.HOLIDAY, name="测试假日")
    workflow.recalculate_for_year(year=2026, loaded=True, cal=WorkCalendar.load())
    item = fresh(item)
    assert (item.deadline, item.held_days, item.deliver_by) == (d(16, 12), 2, d(21, 12))
    assert Event.objects.get(item=item, kind="recalculated").data["field"] == "deliver_by"


@pytest.mark.parametrize(("delivered", "closing"), [
    (at(d(20), 23, 59), Closing.ON_TIME),     # the deadline's last minute
    (at(d(21), 0, 1), Closing.EXTENDED),      # Saturday, within the extension
    (at(d(24), 17), Closing.EXTENDED),        # the extended deadline itself
    (at(d(25), 8), Closing.LATE),
])
def test_the_verdict_is_judged_on_the_local_day_of_delivery(people, opened, delivered, closing):
    item = opened(d(20))
    with frozen(at(d(17))):
        workflow.request_extension(item=fresh(item), acting_user=people.responsible,
                                   new_deadline=d(24), reason="协调中")
        workflow.decide_extension(item=fresh(item), acting_user=people.leader, approve=True)
    deliver(item, delivered)
    verify(item, people, at(d(30)))            # the verification's date never matters
    assert fresh(item).closing == closing
    assert Event.objects.get(item=item, kind="accepted").data["closing"] == closing


# --- extensions: decided only while the unit owes the work; pending ones lapse ------------

def test_an_extension_cannot_be_approved_after_a_late_result(people, opened):
    item = opened(d(20))
    with frozen(at(d(19))):
        ext = workflow.request_extension(item=fresh(item), acting_user=people.responsible,
                                         new_deadline=d(27), reason="需要更多时间")
    deliver(item, at(d(24), 10))              # late, while the request waits
    ext.refresh_from_db()
    assert (ext.decision, ext.decided_by, ext.decision_note) == (Extension.Decision.LAPSED, None, "已报送办理结果。")
    lapsed = Event.objects.get(item=item, kind="extension_lapsed")
    assert (lapsed.actor, lapsed.data["to"]) == (None, "2026-11-27")
    assert AuditEvent.objects.filter(action="supervision.extension_lapsed", object_id=str(item.pk),
                                     actor=people.responsible).count() == 1
    before = (fresh(item).deadline, fresh(item).deliver_by, Event.objects.filter(item=item).count())
    with frozen(at(d(25))), pytest.raises(WorkflowError) as exc:
        workflow.decide_extension(extension=ext, acting_user=people.leader, approve=True)
    assert exc.value.code == "wrong_status"
    assert (fresh(item).deadline, fresh(item).deliver_by, Event.objects.filter(item=item).count()) == before
    assert Extension.objects.get(pk=ext.pk).decision == Extension.Decision.LAPSED
    assert len(failures("supervision.decide_extension", item)) == 1
    verify(item, people, at(d(25), 11))
    assert fresh(item).closing == Closing.LATE
    # nor once the item is closed
    with frozen(at(d(26))), pytest.raises(WorkflowError) as exc:
        workflow.decide_extension(extension=ext, acting_user=people.leader, approve=True)
    assert exc.value.code == "wrong_status"


def test_a_lapsed_request_cannot_be_decided_when_the_unit_owes_the_work_again(people, opened):
    item = opened(d(20))
    with frozen(at(d(19))):
        ext = workflow.request_extension(item=fresh(item), acting_user=people.responsible,
                                         new_deadline=d(27), reason="需要更多时间")
    deliver(item, at(d(19), 15))
    send_back(item, people, at(d(19), 16))
    with frozen(at(d(20))), pytest.raises(WorkflowError) as exc:
        workflow.decide_extension(extension=ext, acting_user=people.leader, approve=True)
    assert exc.value.code == "lapsed"
    assert fresh(item).deadline == d(20)
    assert failures("supervision.decide_extension", item) == [{"reason": "该延期申请已失效。"}]


def test_a_pending_request_lapses_when_the_assignment_is_disputed(people, opened):
    item = opened(d(25))
    with frozen(at(d(18))):
        ext = workflow.request_extension(item=fresh(item), acting_user=people.responsible,
                                         new_deadline=d(30), reason="x")
        workflow.dispute(item=fresh(item), acting_user=people.responsible, reason="非本单位职责")
    assert Extension.objects.get(pk=ext.pk).decision == Extension.Decision.LAPSED
    assert Event.objects.get(item=item, kind="extension_lapsed").note == "承办单位已退办。"


def test_a_request_left_pending_from_before_lapses_when_the_item_closes(people, opened):
    # an item already waiting for verification with a pending request (records from before
    # the lapse rule): closing it lapses the request
    item = opened(d(25))
    deliver(item, at(d(20), 10))
    ext = Extension.objects.create(item=item, requested_by=people.responsible, previous_deadline=d(25),
                                   new_deadline=d(30), reason="旧申请")
    verify(item, people, at(d(23), 10))
    ext.refresh_from_db()
    assert (ext.decision, ext.decision_note) == (Extension.Decision.LAPSED, "事项已办结。")
    assert list(Event.objects.filter(item=item).order_by("pk").values_list("kind", flat=True))[-2:] == \
        ["accepted", "extension_lapsed"]
    assert fresh(item).closing == Closing.ON_TIME


def test_the_leaders_desk_shows_a_request_only_while_it_can_be_decided(people, opened):
    item = opened(d(25))
    with frozen(at(d(18))):
        workflow.request_extension(item=fresh(item), acting_user=people.responsible,
                                   new_deadline=d(30), reason="x")
        assert selectors.desk_items(people.leader, cal=WorkCalendar.load())[1] == 1
    deliver(item, at(d(19)))
    with frozen(at(d(19), 12)):
        assert selectors.desk_items(people.leader, cal=WorkCalendar.load())[1] == 0


# --- every refused decision is audited on its item ----------------------------------------

def test_a_decision_with_nothing_pending_is_refused_and_audited_on_the_item(people, opened):
    item = opened(d(25))
    before = Event.objects.filter(item=item).count()
    with pytest.raises(WorkflowError) as exc:
        workflow.decide_extension(item=item, acting_user=people.leader, approve=True)
    assert exc.value.code == "none_pending"
    # the page's path: the pending request looked up first
    with pytest.raises(WorkflowError) as exc:
        workflow.decide_extension(extension=workflow.pending_extension(item), acting_user=people.leader,
                                  approve=True)
    assert exc.value.code == "none_pending"
    assert failures("supervision.decide_extension", item) == [
        {"reason": "没有待审批的延期申请。"}] * 2
    assert Event.objects.filter(item=item).count() == before and not Extension.objects.exists()


def test_a_decision_by_the_wrong_person_is_audited_on_the_item(people, opened):
    item = opened(d(25))
    ext = workflow.request_extension(item=item, acting_user=people.responsible, new_deadline=d(30),
                                     reason="x")
    for person in (people.responsible, people.officer, people.clerk):
        with pytest.raises(WorkflowError) as exc:
            workflow.decide_extension(extension=ext, acting_user=person, approve=True)
        assert exc.value.code == "forbidden"
    assert len(failures("supervision.decide_extension", item)) == 3
    assert Extension.objects.get(pk=ext.pk).decision == Extension.Decision.PENDING


def test_the_decision_form_with_nothing_pending_is_a_409_audited_on_the_item(client, people, opened):
    item = opened(d(25))
    client.force_login(people.leader)
    response = client.post(reverse("supervision:step", args=[item.pk, "decide_extension"]),
                           with_token({"decide_extension-approve": "yes"}, people.leader))
    assert response.status_code == 409
    assert len(failures("supervision.decide_extension", item)) == 1


# --- separate duties ----------------------------------------------------------------------

def test_the_responsible_person_is_never_the_supervising_officer(people, make_item):
    with pytest.raises(WorkflowError) as exc:
        make_item(lead_unit=people.dcs, responsible=people.officer, supervisor=people.officer, co_units=[])
    assert exc.value.code == "duties"
    with pytest.raises(WorkflowError) as exc:  # the default supervising officer is the one who opens it
        workflow.create_item(acting_user=people.officer, title="t", requirement="r", source_kind="other",
                             lead_unit=people.dcs, responsible=people.officer, working_days=3)
    assert exc.value.code == "duties"
    assert not Item.objects.exists()
    assert AuditEvent.objects.filter(action="supervision.create", result="failure").count() == 2


def test_reassigning_to_the_supervising_officer_is_refused(people, make_item):
    item = make_item()
    workflow.dispute(item=item, acting_user=people.head, reason="非本单位职责")
    with pytest.raises(WorkflowError) as exc:
        workflow.reassign(item=item, acting_user=people.director, lead_unit=people.dcs,
                          responsible=people.officer)
    assert exc.value.code == "duties"
    item = fresh(item)
    assert (item.status, item.lead_unit, item.responsible) == (Status.DISPUTED, people.lead, people.responsible)
    assert len(failures("supervision.reassign", item)) == 1


def test_a_director_responsible_for_an_item_cannot_verify_or_extend_it(people, make_item):
    director_unit = people.director.unit
    item = make_item(lead_unit=director_unit, responsible=people.director, co_units=[])
    ext = workflow.request_extension(item=item, acting_user=people.director,
                                     new_deadline=item.deadline + dt.timedelta(days=7), reason="x")
    assert "decide_extension" not in workflow.allowed_steps(fresh(item), people.director)
    with pytest.raises(WorkflowError):
        workflow.decide_extension(extension=ext, acting_user=people.director, approve=True)
    workflow.decide_extension(extension=ext, acting_user=people.leader, approve=True)
    workflow.acknowledge(item=item, acting_user=people.director)
    workflow.report_result(item=item, acting_user=people.director, result="已完成。")
    steps = workflow.allowed_steps(fresh(item), people.director)
    assert "accept" not in steps and "return" not in steps
    for step in (workflow.accept, workflow.return_item):
        kwargs = {"reason": "r"} if step is workflow.return_item else {}
        with pytest.raises(WorkflowError) as exc:
            step(item=item, acting_user=people.director, **kwargs)
        assert exc.value.code == "forbidden"
    assert fresh(item).status == Status.RESULT_REPORTED
    workflow.accept(item=item, acting_user=people.officer)
    assert fresh(item).status == Status.CLOSED


def test_the_new_item_form_refuses_the_same_person_twice(client, people):
    client.force_login(people.officer)
    data = {"title": "t", "requirement": "r", "source_kind": "other", "lead_unit": people.dcs.pk,
            "responsible": people.officer.pk, "supervisor": people.officer.pk, "working_days": 3,
            "priority": "normal"}
    response = client.post(reverse("supervision:create"), with_token(data, people.officer))
    assert response.status_code == 400
    assert "同一事项的责任人不能兼任督查员。" in response.content.decode()
    data.pop("supervisor")  # blank: the officer opening it supervises it, refused by the step
    response = client.post(reverse("supervision:create"), with_token(data, people.officer))
    assert response.status_code == 400
    assert "同一事项的责任人不能兼任督查员。" in response.content.decode()
    assert not Item.objects.exists()


# --- reminders re-check their recipient when they are sent --------------------------------

DEADLINE = d(16, 12)  # a Wednesday


@pytest.fixture
def due_item(people, make_item):
    item = make_item(days=40)
    return move_deadline(item, DEADLINE, assigned_at=at(d(1, 12)), turn_since=at(d(1, 12)))


def reminder_titles(user) -> list[str]:
    return list(Notification.objects.filter(recipient=user, kind="supervision-reminder").order_by("pk")
                .values_list("title", flat=True))


def test_a_reminder_planned_before_a_reassignment_is_not_sent_to_the_person_it_was_taken_from(
        client, people, due_item):
    assert reminders.plan(today=d(17, 12)) == 1     # overdue 1: the responsible person
    workflow.dispute(item=due_item, acting_user=people.responsible, reason="非本单位职责")
    new = UserFactory(username="czj2", full_name="财政新承办", unit=people.co)
    Item.co_units.through.objects.filter(item_id=due_item.pk).delete()
    workflow.reassign(item=due_item, acting_user=people.officer, lead_unit=people.co, responsible=new)
    result = reminders.deliver(today=d(17, 12))
    assert (result.sent, result.skipped) == (0, {"recipient_changed": 1})
    assert reminder_titles(people.responsible) == []
    client.force_login(people.responsible)
    assert client.get(reverse("supervision:detail", args=[due_item.pk])).status_code == 404
    # the next sweep reminds the person responsible now
    result = reminders.sweep(today=d(17, 12))
    assert (result.planned, result.sent) == (1, 1)
    assert reminder_titles(new) == ["已逾期 1 个工作日：落实学校安全隐患排查"]


def test_a_reminder_to_a_unit_head_who_was_replaced_is_not_sent(people, due_item):
    assert reminders.plan(today=d(21, 12)) == 2      # overdue 3: the responsible person and the head
    new_head = UserFactory(username="head2", full_name="新局长", unit=people.lead)
    Unit.objects.filter(pk=people.lead.pk).update(head=new_head)
    result = reminders.deliver(today=d(21, 12))
    assert (result.sent, result.skipped) == (1, {"recipient_changed": 1})
    assert Reminder.objects.get(recipient=people.head).skipped == "recipient_changed"
    assert len(reminder_titles(people.responsible)) == 1


def test_a_reminder_to_a_deactivated_account_is_not_sent(people, due_item):
    reminders.plan(today=d(17, 12))
    type(people.responsible).objects.filter(pk=people.responsible.pk).update(is_active=False)
    assert reminders.deliver(today=d(17, 12)).skipped == {"recipient_inactive": 1}


def test_a_reminder_for_an_item_now_with_the_office_is_not_sent(people, due_item):
    reminders.plan(today=d(17, 12))
    workflow.acknowledge(item=due_item, acting_user=people.responsible)
    workflow.report_result(item=due_item, acting_user=people.responsible, result="完成")
    assert reminders.deliver(today=d(17, 12)).skipped == {"with_office": 1}
    assert reminder_titles(people.responsible) == []


def test_reminders_and_levels_follow_the_paused_clock(people, due_item):
    with frozen(at(d(15, 12), 10)):
        workflow.acknowledge(item=due_item, acting_user=people.responsible)
        workflow.report_result(item=due_item, acting_user=people.responsible, result="完成")
    assert reminders.sweep(today=d(18, 12)).planned == 0   # with the office: no reminder
    with frozen(at(d(18, 12), 10)):
        workflow.return_item(item=fresh(due_item), acting_user=people.officer, reason="补充")
    item = fresh(due_item)
    assert (item.held_days, item.deliver_by) == (3, d(21, 12))
    cal = WorkCalendar.load()
    assert selectors.item_level(item, selectors.level_thresholds(cal, d(21, 12))) == ""
    assert selectors.item_level(item, selectors.level_thresholds(cal, d(22, 12))) == "yellow"
    reminders.sweep(today=d(21, 12))
    reminders.sweep(today=d(22, 12))
    assert reminder_titles(people.responsible) == ["今日到期：落实学校安全隐患排查",
                                                   "已逾期 1 个工作日：落实学校安全隐患排查"]
    assert Reminder.objects.filter(sent_at__isnull=False).values_list("deadline", flat=True).distinct().get() \
        == d(21, 12)


# --- one definition: the per-item functions and the predicates agree ----------------------

def build_office(people, make_item, seed: int, until: dt.date) -> list[Item]:
    """Items with random lives (assigned, acknowledged, extended, disputed and reassigned,
    reported, returned, verified) between 11-02 and the end of ``until``, each step at its own
    moment through the workflow."""
    rng = random.Random(seed)
    cal = WorkCalendar.load()
    limit = at(until, 18)
    other_lead = UserFactory(username=f"jyj-{seed}", full_name="教育承办二", unit=people.lead)
    units = [(people.lead, [people.responsible, other_lead]), (people.co, [people.co_member])]
    items = []
    for n in range(28):
        unit, persons = rng.choice(units)
        assigned_day = d(2) + dt.timedelta(days=rng.randint(0, (until - d(2)).days))
        moment = at(assigned_day, rng.choice([0, 9, 15, 23]), rng.choice([0, 30]))
        deadline = cal.add_working_days(assigned_day, rng.randint(1, 7))
        with frozen(moment):
            item = make_item(title=f"随机事项{seed}-{n:02d}", deadline=deadline, lead_unit=unit,
                             responsible=rng.choice(persons), co_units=[], assign=rng.random() > 0.05)
        items.append(item)
        plan = rng.choice(["dispute", "extend", "return", "late", "plain", "plain"])
        steps = []
        if plan == "dispute":
            steps += ["dispute", "reassign"]
        steps += ["acknowledge"]
        if plan == "extend":
            steps += ["request", "decide"]
        steps += ["report"]
        if plan == "return":
            steps += ["return", "report"]
        steps += ["accept"]
        for name in steps:
            moment += dt.timedelta(hours=rng.randint(2, 4 * 24 if plan != "late" else 9 * 24))
            if moment > limit:
                break
            item = fresh(item)
            with frozen(moment):
                if item.status == Status.DRAFT:
                    break
                if name == "dispute":
                    workflow.dispute(item=item, acting_user=item.responsible, reason="非本单位职责")
                elif name == "reassign":
                    to_unit, to_persons = rng.choice(units)
                    workflow.reassign(item=item, acting_user=people.officer, lead_unit=to_unit,
                                      responsible=rng.choice(to_persons))
                elif name == "acknowledge":
                    workflow.acknowledge(item=item, acting_user=item.responsible)
                elif name == "request":
                    later = cal.add_working_days(max(item.deadline, moment.date()), 3)
                    workflow.request_extension(item=item, acting_user=item.responsible, new_deadline=later,
                                               reason="x")
                elif name == "decide":
                    workflow.decide_extension(item=item, acting_user=people.leader, approve=rng.random() > 0.3)
                elif name == "report":
                    workflow.report_result(item=item, acting_user=item.responsible, result="完成")
                elif name == "return":
                    workflow.return_item(item=item, acting_user=people.officer, reason="补充")
                elif name == "accept":
                    workflow.accept(item=item, acting_user=people.officer)
    # an item of an inactive unit and one of the leadership are in no row of the report
    gone = Unit.objects.create(code=f"OLD{seed}", name="已撤销单位", kind=Unit.Kind.DEPARTMENT)
    with frozen(at(d(9))):
        make_item(title="撤销单位事项", deadline=d(12), lead_unit=gone, co_units=[],
                  responsible=UserFactory(username=f"old-{seed}", unit=gone))
    Unit.objects.filter(pk=gone.pk).update(is_active=False)
    return [fresh(i) for i in items]


WEEKS = [d(2), d(9), d(16), d(23), d(30)]


@pytest.mark.parametrize(("seed", "today"), [(1, d(26)), (2, d(28)), (3, d(3, 12)), (4, d(9, 12))])
def test_every_report_figure_equals_the_length_of_its_list(people, make_item, seed, today):
    build_office(people, make_item, seed, today)
    checked = 0
    for kind, anchor in [("week", w) for w in WEEKS if w <= today] + [("month", d(1)), ("month", today)]:
        data = reports.unit_report(kind, anchor, today=today)
        for row in [*data.rows, data.total]:
            assert row.closed == row.closed_on_time + row.closed_extended + row.closed_overdue
            for figure, value in row.figures:
                titles = listed(people.officer, today, figure=figure, period=kind, anchor=anchor,
                                unit=row.unit.pk if row.unit else None)
                assert len(titles) == value, (kind, anchor, row.unit, figure)
                checked += 1
    assert checked > 100
    assert reports.unit_report("month", d(1), today=today).total.assigned > 10


@pytest.mark.parametrize(("seed", "today"), [(5, d(20)), (6, d(27)), (7, d(4, 12))])
def test_the_predicates_and_the_per_item_functions_agree(people, make_item, seed, today):
    build_office(people, make_item, seed, today)
    items = list(Item.objects.all())
    cal = WorkCalendar.load()
    thresholds = selectors.level_thresholds(cal, today)
    overdue = set(Item.objects.filter(timeliness.overdue_q(today)).values_list("pk", flat=True))
    # as of today, "overdue and open at the end of the day" is the list's overdue filter
    assert set(Item.objects.filter(timeliness.overdue_at_q(today)).values_list("pk", flat=True)) == overdue
    assert set(Item.objects.filter(timeliness.owed_at_q(today)).values_list("pk", flat=True)) == \
        set(Item.objects.filter(timeliness.unit_owes_q()).values_list("pk", flat=True))
    assert {i.pk for i in items if timeliness.is_overdue(i, today)} == overdue
    annotated = dict(selectors.with_level(Item.objects.all(), thresholds).values_list("pk", "level"))
    for item in items:
        level = timeliness.level_of(item, thresholds)
        assert annotated[item.pk] == level
        clock = timeliness.clock(item, today=today, cal=cal, thresholds=thresholds)
        assert clock.overdue == (item.pk in overdue)
        assert clock.turn == {"closed": "closed", "assigned": "unit", "acknowledged": "unit",
                              "in_progress": "unit"}.get(item.status, "office")
        if clock.overdue:
            assert clock.late_by == cal.working_days_between(item.deliver_by, today)
        if item.status == Status.CLOSED:
            assert item.closing == timeliness.closing_class(item, cal)
            assert item.deliver_by == timeliness.shift(item.deadline, item.held_days, cal)
    for level, _date in thresholds:
        assert set(Item.objects.filter(timeliness.level_q(level, thresholds)).values_list("pk", flat=True)) == \
            {pk for pk, shown in annotated.items() if shown == level}


def test_the_report_links_each_figure_to_its_list(client, people, make_item):
    build_office(people, make_item, 8, d(27))
    with frozen(at(d(27), 12)):
        client.force_login(people.officer)
        page = client.get(reverse("supervision:report") + "?kind=week&date=2026-11-18").content.decode()
        links = re.findall(r'<a href="([^"]+)" data-figure="(\w+)" data-count="(\d+)"', page)
        assert len(links) == 6 * (len(reports.unit_report("week", d(18), today=d(27)).rows) + 1)
        assert sum(int(count) for _url, _figure, count in links) > 0
        for url, figure, count in links:
            listing = client.get(url.replace("&amp;", "&")).content.decode()
            assert listing.count('data-testid="item-row"') == int(count), (url, figure)
            assert 'data-testid="figure-banner"' in listing
        # the ledger of a figure's list has as many rows
        url = next(u for u, f, c in links if f == "assigned" and "unit=" not in u).replace("&amp;", "&")
        ledger = client.get(url.replace(reverse("supervision:list"), reverse("supervision:ledger"), 1))
    import io

    import openpyxl
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(ledger.streaming_content))).active
    total_assigned = next(int(c) for u, f, c in links if f == "assigned" and "unit=" not in u)
    assert sheet.max_row - 2 == total_assigned


def test_a_leader_sees_the_figures_without_links(client, people):
    client.force_login(people.leader)
    page = client.get(reverse("supervision:report")).content.decode()
    assert 'data-figure="' not in page and 'data-testid="report-total"' in page


@pytest.mark.parametrize("n", [3, 24])
def test_a_figures_list_runs_a_fixed_number_of_queries(client, people, opened, django_assert_num_queries, n):
    for i in range(n):
        opened(d(18 + i % 3), title=f"事项{i}")
    with frozen(at(d(27), 12)):
        client.force_login(people.officer)
        url = reverse("supervision:list") + "?scope=all&figure=open_overdue&period=week&anchor=2026-11-23"
        client.get(url)
        with django_assert_num_queries(15):  # as the plain list (test_lists)
            response = client.get(url)
    assert response.content.decode().count('data-testid="item-row"') == n


@pytest.mark.parametrize("n", [2, 20])
def test_the_report_page_runs_a_fixed_number_of_queries(client, people, opened, django_assert_num_queries, n):
    for i in range(n):
        opened(d(18 + i % 3), title=f"事项{i}")
    with frozen(at(d(27), 12)):
        client.force_login(people.officer)
        url = reverse("supervision:report")
        client.get(url)
        # session, user; roles, supervision settings (may see reports, with links?); the
        # aggregate, units, office settings; header (unread, unit); session save (3)
        with django_assert_num_queries(12):
            response = client.get(url)
    assert 'data-figure="open_overdue"' in response.content.decode()
