"""The reminder sweep: idempotent, survives a killed worker, catches up after an outage with
one reminder per item and recipient, silent for closed items, follows a moved deadline, and
escalates by level."""

import datetime as dt
from unittest import mock
from zoneinfo import ZoneInfo

import pytest

from office.models import Notification
from office.workdays import WorkCalendar
from supervision import reminders, selectors, workflow
from supervision.models import Event, Item, Reminder, Status
from tests.supervision.conftest import move_deadline

D = dt.date
SH = ZoneInfo("Asia/Shanghai")
DEADLINE = D(2026, 12, 16)  # a Wednesday; December 2026 has no holiday


@pytest.fixture
def item(people, make_item):
    item = make_item(days=40)
    return move_deadline(item, DEADLINE, assigned_at=dt.datetime(2026, 12, 1, 9, tzinfo=SH))


def sent(item):
    """(day, recipient username, the rule's first offset) of the reminders sent, in order."""
    return list(Reminder.objects.filter(item=item, sent_at__isnull=False)
                .order_by("due_on", "recipient__username")
                .values_list("due_on", "recipient__username", "rule__offset"))


def test_day_by_day_the_ladder_runs_before_on_and_after_the_deadline(item):
    day = D(2026, 12, 9)
    while day <= D(2026, 12, 29):
        reminders.sweep(today=day)
        day += dt.timedelta(days=1)
    assert sent(item) == [
        (D(2026, 12, 11), "resp", -3),    # Fri: three working days before
        (D(2026, 12, 15), "resp", -1),    # Tue
        (D(2026, 12, 16), "resp", 0),     # Wed: on the day
        (D(2026, 12, 17), "resp", 1),     # Thu: overdue 1 (yellow)
        (D(2026, 12, 21), "head", 3),     # Mon: overdue 3, the unit head (orange)
        (D(2026, 12, 21), "resp", 1),     # ... and the overdue rule repeating every 2 working days
        (D(2026, 12, 23), "resp", 1),     # overdue 5
        (D(2026, 12, 24), "head", 3),     # overdue 6: the head's rule repeats every 3
        (D(2026, 12, 25), "leader", 7),   # overdue 7: the instructing leader (red)
        (D(2026, 12, 25), "resp", 1),
        (D(2026, 12, 29), "head", 3),     # overdue 9
        (D(2026, 12, 29), "resp", 1),
    ]
    titles = list(Notification.objects.filter(recipient__username="resp", kind="supervision-reminder")
                  .order_by("pk").values_list("title", flat=True))
    assert titles[0] == "还有 3 个工作日到期：落实学校安全隐患排查"
    assert titles[2] == "今日到期：落实学校安全隐患排查"
    assert titles[3] == "已逾期 1 个工作日：落实学校安全隐患排查"
    assert Event.objects.filter(item=item, kind="reminder").count() == 12


def test_running_the_sweep_twice_sends_nothing_new(item):
    first = reminders.sweep(today=D(2026, 12, 17))
    second = reminders.sweep(today=D(2026, 12, 17))
    assert (first.planned, first.sent) == (1, 1)
    assert (second.planned, second.sent) == (0, 0)
    assert Notification.objects.filter(kind="supervision-reminder").count() == 1


def test_after_a_three_day_outage_one_reminder_per_item_and_recipient(item):
    reminders.sweep(today=D(2026, 12, 15))          # the -1 reminder
    result = reminders.sweep(today=D(2026, 12, 21))  # Wed, Thu, Fri missed; today overdue 3
    assert result.sent == 2
    assert sent(item)[-2:] == [(D(2026, 12, 21), "head", 3), (D(2026, 12, 21), "resp", 1)]
    assert Notification.objects.filter(recipient__username="resp", kind="supervision-reminder").count() == 2


def test_a_worker_killed_half_way_loses_nothing_and_doubles_nothing(item):
    with mock.patch("office.notify.notify_many", side_effect=RuntimeError("worker killed")), \
            pytest.raises(RuntimeError):
        reminders.sweep(today=D(2026, 12, 17))
    pending = Reminder.objects.get(item=item)
    assert pending.sent_at is None and pending.skipped == ""
    assert Notification.objects.count() == 2  # only the assignment notifications
    result = reminders.sweep(today=D(2026, 12, 17))
    assert (result.planned, result.sent) == (0, 1)
    assert Notification.objects.filter(kind="supervision-reminder").count() == 1


def test_a_closed_item_gets_no_reminder(people, item):
    workflow.acknowledge(item=item, acting_user=people.responsible)
    workflow.report_result(item=item, acting_user=people.responsible, result="完成")
    workflow.accept(item=item, acting_user=people.officer)
    assert reminders.sweep(today=D(2026, 12, 21)).planned == 0
    assert not Reminder.objects.exists()


def test_an_item_closed_between_plan_and_delivery_is_skipped(people, item):
    reminders.plan(today=D(2026, 12, 17))
    Item.objects.filter(pk=item.pk).update(status=Status.CLOSED, result="完成")
    result = reminders.deliver(today=D(2026, 12, 17))
    assert (result.sent, result.skipped) == (0, {"closed": 1})
    assert not Notification.objects.filter(kind="supervision-reminder").exists()


def test_results_awaiting_verification_and_disputes_are_not_chased(people, item):
    workflow.dispute(item=item, acting_user=people.responsible, reason="非本单位职责")
    assert reminders.sweep(today=D(2026, 12, 21)).planned == 0


def test_a_moved_deadline_reschedules(people, item):
    reminders.plan(today=D(2026, 12, 17))  # overdue 1 under the old deadline, not yet sent
    # the request is made on 12-17 (a deadline may not be typed in the past: office.dates)
    with mock.patch("django.utils.timezone.now", return_value=dt.datetime(2026, 12, 17, 9, tzinfo=SH)):
        ext = workflow.request_extension(item=item, acting_user=people.responsible,
                                         new_deadline=D(2026, 12, 23), reason="等待批复")
        workflow.decide_extension(extension=ext, acting_user=people.leader, approve=True)
    result = reminders.sweep(today=D(2026, 12, 17))
    assert result.skipped == {"rescheduled": 1} and result.sent == 0
    reminders.sweep(today=D(2026, 12, 18))  # three working days before the new deadline
    assert sent(item) == [(D(2026, 12, 18), "resp", -3)]
    assert Reminder.objects.get(sent_at__isnull=False).deadline == D(2026, 12, 23)


def test_reminders_never_start_before_the_assignment(people, make_item):
    item = make_item(days=40)
    move_deadline(item, DEADLINE, assigned_at=dt.datetime(2026, 12, 15, 9, tzinfo=SH))
    reminders.sweep(today=D(2026, 12, 15))  # the -3 occurrence (12-11) predates the assignment
    assert sent(item) == [(D(2026, 12, 15), "resp", -1)]


@pytest.mark.parametrize(("today", "level"), [
    (D(2026, 12, 16), ""), (D(2026, 12, 17), "yellow"), (D(2026, 12, 18), "yellow"),
    (D(2026, 12, 21), "orange"), (D(2026, 12, 24), "orange"), (D(2026, 12, 25), "red"),
])
def test_escalation_levels(item, today, level):
    cal = WorkCalendar.load()
    thresholds = selectors.level_thresholds(cal, today)
    assert selectors.item_level(item, thresholds) == level
    annotated = selectors.with_level(Item.objects.filter(pk=item.pk), thresholds).get()
    assert annotated.level == level


def test_escalation_levels_count_working_days_across_a_holiday(people, make_item):
    item = make_item(days=40)
    # deadline Wed 2026-09-30; National Day 10-01..10-07 are not working days
    move_deadline(item, D(2026, 9, 30))
    cal = WorkCalendar.load()
    assert selectors.item_level(item, selectors.level_thresholds(cal, D(2026, 10, 7))) == ""
    assert selectors.item_level(item, selectors.level_thresholds(cal, D(2026, 10, 8))) == "yellow"
    assert selectors.item_level(item, selectors.level_thresholds(cal, D(2026, 10, 12))) == "orange"


def test_run_reminders_command(item, capsys):
    from django.core.management import call_command

    call_command("run_reminders", "--date", "2026-12-17")
    assert capsys.readouterr().out.startswith("planned 1, sent 1, skipped: none")


def test_run_reminders_writes_notifications_in_the_office_language(item):
    from django.core.management import call_command

    call_command("run_reminders", "--date", "2026-12-17")
    assert Notification.objects.get(kind="supervision-reminder").title.startswith("已逾期 1 个工作日")
