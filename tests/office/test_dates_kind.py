"""Issue 4, kind 1 — dates: days off, unknown years, impossible values.

The rules (README, "Dates and the calendar"):

1. A time limit ending on a day off ends on the next working day: ``WorkCalendar.deadline_on``,
   applied wherever a date-typed deadline enters (item deadline, milestones, extensions, the
   handling deadline, supervise); the typed date stays in the timeline.
2. The calendar knows the years it covers (``CalendarYear``). Outside them it counts Monday to
   Friday and flags what it computed as provisional; a system check, the admin, the desk and a
   notification say so from 1 November of the year before; loading a year recomputes.
3. A telegram always carries a telegram urgency; 特提 and 特急 count clock time round the clock
   (the duty room), the others office time; the intake sweep escalates office-time documents on
   working days only.
4. Every date or time a user types is bounded (``office.dates``), in forms and in workflows,
   and the database refuses what would break reads.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from documents import reminders as intake
from documents import workflow as docflow
from documents.models import DocumentEvent, DocumentType, IncomingDocument, UrgencyRule
from office import calendar_years, dates, roles
from office.checks import calendar_years_loaded
from office.dates import Bound
from office.models import AuditEvent, CalendarDay, CalendarYear, Notification
from office.workdays import WorkCalendar
from office.workflow import WorkflowError
from supervision import reminders
from supervision import workflow as supflow
from supervision.models import Event, Extension, Item, Milestone, Reminder
from tests.helpers import with_token

SH = ZoneInfo("Asia/Shanghai")
D = dt.date


def at(y, m, d, hh=9, mm=0):
    return dt.datetime(y, m, d, hh, mm, tzinfo=SH)


@contextlib.contextmanager
def on(moment: dt.datetime):
    """Run as if the clock showed ``moment`` (Beijing time)."""
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


def messages_of(response) -> list[str]:
    return [str(m) for m in response.wsgi_request._messages]


def load_2027_by_hand(user=None):
    """2027 as an admin would enter it from a notice: here New Year, a Spring Festival week
    with a make-up Saturday, and Labour Day (what the tests need)."""
    days = [calendar_years.PlannedDay(D(2027, 1, 1), "holiday", "元旦")]
    days += [calendar_years.PlannedDay(D(2027, 2, d), "holiday", "春节") for d in range(6, 13)]
    days += [calendar_years.PlannedDay(D(2027, 2, 20), "workday", "春节调休"),
             calendar_years.PlannedDay(D(2027, 5, 1), "holiday", "劳动节"),
             calendar_years.PlannedDay(D(2027, 5, 3), "holiday", "劳动节")]
    CalendarDay.objects.bulk_create([CalendarDay(date=p.date, kind=p.kind, name=p.name) for p in days])
    return calendar_years.load_year(year=2027, acting_user=user, source=CalendarYear.Source.MANUAL,
                                    note="国务院办公厅关于2027年部分节假日安排的通知")


# =========================================================================================
# 1. A deadline on a day off ends on the next working day
# =========================================================================================

@pytest.mark.parametrize(("typed", "applies"), [
    (D(2026, 10, 3), D(2026, 10, 8)),    # National Day (the example)
    (D(2026, 10, 7), D(2026, 10, 8)),    # last day of National Day
    (D(2026, 10, 10), D(2026, 10, 10)),  # make-up Saturday: a working day, applies as typed
    (D(2026, 10, 11), D(2026, 10, 12)),  # an ordinary Sunday
    (D(2026, 2, 15), D(2026, 2, 24)),    # Spring Festival, nine days
    (D(2026, 2, 14), D(2026, 2, 14)),    # make-up Saturday before it
    (D(2026, 2, 28), D(2026, 2, 28)),    # make-up Saturday after it
    (D(2026, 5, 1), D(2026, 5, 6)),      # Labour Day
    (D(2026, 5, 9), D(2026, 5, 9)),      # its make-up Saturday
    (D(2026, 1, 1), D(2026, 1, 4)),      # New Year, then the make-up Sunday 01-04
    (D(2026, 6, 19), D(2026, 6, 22)),    # Dragon Boat (Friday) → Monday
    (D(2026, 3, 9), D(2026, 3, 9)),      # an ordinary Monday
    (D(2026, 12, 31), D(2026, 12, 31)),  # the last day of the loaded year, a Thursday
    (D(2027, 1, 2), D(2027, 1, 4)),      # unloaded 2027: only weekends are known
])
def test_deadline_on_moves_a_day_off_to_the_next_working_day(db, typed, applies):
    assert WorkCalendar.load().deadline_on(typed) == applies


def test_the_notice_names_the_holiday_and_says_when_the_year_is_unknown(db, settings):
    cal = WorkCalendar.load()
    assert cal.deadline_notice(D(2026, 10, 9)) == ""
    assert cal.deadline_notice(D(2026, 10, 3)) == "2026-10-03 为休息日（国庆节）：期限顺延至下一个工作日 2026-10-08。"
    assert cal.deadline_notice(D(2027, 3, 1)) == (
        "2027 年工作日历尚未载入：2027-03-01 暂按周一至周五计算，录入该年节假日后可能调整。")


def test_an_item_due_on_a_national_day_holiday_is_due_on_the_next_working_day(people):
    """The issue's example: opened 09-28 with the deadline 10-03."""
    with on(at(2026, 9, 28, 10)):
        item = supflow.create_item(
            acting_user=people.officer, title="国庆期间安全检查", requirement="节后报送检查结果。",
            source_kind="other", lead_unit=people.lead, responsible=people.responsible,
            supervisor=people.officer, deadline=D(2026, 10, 3), assign=True)
    item.refresh_from_db()
    assert (item.original_deadline, item.deadline, item.deadline_provisional) == (
        D(2026, 10, 8), D(2026, 10, 8), False)
    created = item.events.get(kind=Event.Kind.CREATED)
    assert created.data == {"deadline": "2026-10-08", "deadline_typed": "2026-10-03"}
    # 09-30 is the working day before the deadline: "due in 1 working day", not "due today"
    reminders.sweep(today=D(2026, 9, 30))
    assert list(Notification.objects.filter(recipient=people.responsible, kind="supervision-reminder")
                .values_list("title", flat=True)) == ["还有 1 个工作日到期：国庆期间安全检查"]
    # 10-08 is the day it is due, not a day overdue
    reminders.sweep(today=D(2026, 10, 8))
    assert Notification.objects.filter(recipient=people.responsible, kind="supervision-reminder",
                                       title="今日到期：国庆期间安全检查").count() == 1
    assert not Notification.objects.filter(title__startswith="已逾期").exists()
    # the result delivered on 10-08: on time (judged on the delivery, supervision.timeliness)
    with on(at(2026, 10, 8, 16)):
        supflow.acknowledge(item=item, acting_user=people.responsible)
        supflow.report_result(item=item, acting_user=people.responsible, result="已检查完毕。")
    supflow.accept(item=item, acting_user=people.officer)
    item.refresh_from_db()
    assert item.closing_class() == "on_time"


def test_the_item_page_shows_the_date_that_applies_and_what_was_typed(client, people):
    with on(at(2026, 9, 28, 10)):
        item = supflow.create_item(
            acting_user=people.officer, title="国庆期间安全检查", requirement="节后报送。",
            source_kind="other", lead_unit=people.lead, responsible=people.responsible,
            deadline=D(2026, 10, 3), milestones=[("节前自查", D(2026, 10, 1))], assign=True)
    client.force_login(people.officer)
    page = client.get(item.get_absolute_url()).content.decode()
    assert 'data-testid="item-deadline">2026-10-08' in page
    assert "2026-10-03 为休息日：期限顺延至下一个工作日 2026-10-08。" in page
    assert "节点“节前自查”：2026-10-01 为休息日，顺延至 2026-10-08。" in page
    assert list(Milestone.objects.values_list("due_on", flat=True)) == [D(2026, 10, 8)]


def test_the_item_form_says_the_date_that_applies(client, people):
    client.force_login(people.officer)
    sunday = WorkCalendar.load().deadline_on(timezone.localdate() + dt.timedelta(days=14))
    while sunday.weekday() != 6:
        sunday += dt.timedelta(days=1)
    applies = WorkCalendar.load().deadline_on(sunday)
    response = client.post(reverse("supervision:create"), with_token({
        "title": "周末截止的事项", "requirement": "按期完成。", "source_kind": "other",
        "lead_unit": people.lead.pk, "responsible": people.responsible.pk, "deadline": sunday.isoformat(),
        "priority": "normal", "assign_now": "on"}, people.officer))
    assert response.status_code == 302
    item = Item.objects.get(title="周末截止的事项")
    assert item.deadline == applies
    assert f"{sunday.isoformat()} 为休息日：期限顺延至下一个工作日 {applies.isoformat()}。" in messages_of(response)[-1]


def test_an_extension_to_a_day_off_asks_for_the_next_working_day(client, people, make_item):
    item = make_item()
    cal = WorkCalendar.load()
    saturday = item.deadline + dt.timedelta(days=7)
    while saturday.weekday() != 5 or cal.is_working_day(saturday):
        saturday += dt.timedelta(days=1)
    client.force_login(people.responsible)
    response = client.post(reverse("supervision:step", args=[item.pk, "request_extension"]), with_token({
        "request_extension-new_deadline": saturday.isoformat(),
        "request_extension-reason": "需要协调。"}, people.responsible))
    assert response.status_code == 302
    ext = Extension.objects.get(item=item)
    assert ext.new_deadline == cal.deadline_on(saturday) != saturday
    assert f"{saturday.isoformat()} 为休息日" in messages_of(response)[-1]
    requested = item.events.get(kind=Event.Kind.EXTENSION_REQUESTED)
    assert requested.data["deadline_typed"] == saturday.isoformat()
    assert requested.data["to"] == ext.new_deadline.isoformat()


def test_a_decision_normalises_a_requested_date_the_calendar_made_a_day_off(people, make_item):
    item = make_item()
    ext = supflow.request_extension(item=item, acting_user=people.responsible,
                                    new_deadline=WorkCalendar.load().add_working_days(item.deadline, 3),
                                    reason="需要时间")
    CalendarDay.objects.create(date=ext.new_deadline, kind="holiday", name="临时调整")  # the admin adds a day off
    supflow.decide_extension(extension=ext, acting_user=people.leader, approve=True)
    item.refresh_from_db()
    ext.refresh_from_db()
    assert item.deadline == ext.new_deadline == WorkCalendar.load().deadline_on(ext.new_deadline)
    assert not WorkCalendar.load().is_working_day(
        CalendarDay.objects.get(name="临时调整").date)


def test_a_handling_deadline_on_a_day_off_moves_and_the_page_says_so(client, dp, register_doc):
    doc = register_doc()
    docflow.submit_for_proposal(document=doc, acting_user=dp.clerk)
    cal = WorkCalendar.load()
    sunday = timezone.localdate() + dt.timedelta(days=3)
    while sunday.weekday() != 6:
        sunday += dt.timedelta(days=1)
    client.force_login(dp.director)
    response = client.post(reverse("documents:step", args=[doc.pk, "assign_handling"]), with_token({
        "assign_handling-lead_unit": dp.czj.pk, "assign_handling-handler": dp.handler.pk,
        "assign_handling-deadline": sunday.isoformat()}, dp.director))
    assert response.status_code == 302, response.content.decode()[:2000]
    doc.refresh_from_db()
    assert doc.handling_deadline == cal.deadline_on(sunday)
    assert f"{sunday.isoformat()} 为休息日" in messages_of(response)[-1]
    assigned = doc.events.get(kind=DocumentEvent.Kind.ASSIGNED)
    assert (assigned.data["deadline"], assigned.data["deadline_typed"]) == (
        doc.handling_deadline.isoformat(), sunday.isoformat())
    page = client.get(doc.get_absolute_url()).content.decode()
    assert f'data-testid="doc-handling-deadline">{doc.handling_deadline.isoformat()}' in page
    assert f"{sunday.isoformat()} 为休息日：期限顺延至下一个工作日" in page


def test_supervising_a_document_with_a_deadline_on_a_day_off(dp, register_doc):
    doc = register_doc()
    docflow.submit_for_proposal(document=doc, acting_user=dp.clerk)
    docflow.propose(document=doc, acting_user=dp.director, proposal="请王县长阅示。", leaders=[dp.leader])
    docflow.instruct(document=doc, acting_user=dp.leader, text="请财政局落实。")
    with on(at(2026, 9, 28, 10)):
        item = docflow.supervise(document=doc, acting_user=dp.clerk, requirement="节后报结果。",
                                 lead_unit=dp.czj, responsible=dp.handler, deadline=D(2026, 10, 4))
    assert (item.deadline, item.original_deadline) == (D(2026, 10, 8), D(2026, 10, 8))


def test_the_deadline_hint_tells_the_date_that_applies_as_it_is_typed(client, clerk):
    client.force_login(clerk)
    url = reverse("office:deadline_hint")
    hint = client.get(url, {"assign_handling-deadline": "2026-12-27"}).content.decode()  # a Sunday
    assert "2026-12-27 为休息日（星期日）：期限顺延至下一个工作日 2026-12-28。" in hint
    assert client.get(url, {"deadline": "2026-12-28"}).content.decode() == ""
    assert "2027 年工作日历尚未载入" in client.get(url, {"deadline": "2027-03-01"}).content.decode()
    assert "期限不能超过五年" in client.get(url, {"deadline": "9999-12-31"}).content.decode()
    assert "不能早于今日" in client.get(url, {"deadline": "0001-01-01"}).content.decode()
    assert client.get(url, {"deadline": "明天"}).content.decode() == ""


def test_the_deadline_fields_ask_for_the_hint(client, people, make_item):
    item = make_item()
    client.force_login(people.responsible)
    page = client.get(item.get_absolute_url()).content.decode()
    assert f'hx-get="{reverse("office:deadline_hint")}"' in page
    assert 'class="form-text zb-deadline-hint"' in page


# =========================================================================================
# 2. The calendar knows the years it covers
# =========================================================================================

def test_2026_is_loaded_by_the_seed_and_2027_is_not(db):
    assert list(CalendarYear.objects.values_list("year", "source")) == [(2026, "seed")]
    cal = WorkCalendar.load()
    assert cal.loaded_years == frozenset({2026})
    assert cal.covers(D(2026, 12, 31)) and not cal.covers(D(2027, 1, 1))
    assert cal.covers_span(D(2026, 1, 1), D(2026, 12, 31))
    assert not cal.covers_span(D(2026, 12, 31), D(2027, 1, 4))
    assert cal.missing_years(D(2026, 12, 1), D(2028, 1, 1)) == [2027, 2028]
    # unloaded: Monday to Friday (2027-01-01 is a Friday), never silent: see the flags below
    assert cal.is_working_day(D(2027, 1, 1))


def test_the_calendar_loads_in_two_queries(db, django_assert_num_queries):
    with django_assert_num_queries(2):
        WorkCalendar.load()


def test_working_days_that_run_into_an_unloaded_year_are_flagged(client, people):
    with on(at(2026, 12, 28, 10)):
        item = supflow.create_item(
            acting_user=people.officer, title="年底督办事项", requirement="按期完成。", source_kind="other",
            lead_unit=people.lead, responsible=people.responsible, working_days=5, assign=True)
    assert (item.deadline, item.deadline_provisional) == (D(2027, 1, 4), True)
    client.force_login(people.officer)
    page = client.get(item.get_absolute_url()).content.decode()
    assert 'data-testid="provisional"' in page
    listing = client.get(reverse("supervision:list"), {"scope": "all"}).content.decode()
    assert listing.count('data-testid="provisional"') == 1


def test_a_deadline_on_the_last_day_of_a_loaded_year_is_not_provisional(people, make_item):
    with on(at(2026, 12, 1, 10)):
        item = make_item(deadline=D(2026, 12, 31))
    assert (item.deadline, item.deadline_provisional) == (D(2026, 12, 31), False)


def test_a_document_received_in_an_unloaded_year_is_flagged_then_recomputed(client, dp, register_doc, make_user):
    """2027-01-01: without the 2027 calendar New Year's Day counts as a Friday."""
    with on(at(2027, 1, 1, 9, 35)):
        doc = register_doc(received_at=at(2027, 1, 1, 9, 30), sender_number="某政办发〔2027〕1号")
    assert (doc.due_at, doc.due_provisional) == (at(2027, 1, 1, 17, 30), True)
    client.force_login(dp.clerk)
    assert 'data-testid="provisional"' in client.get(doc.get_absolute_url()).content.decode()
    board = client.get(reverse("documents:board")).content.decode()  # still at the intake desk
    assert 'data-testid="provisional"' in board
    admin = make_user(roles.SYSTEM_ADMIN, username="sysadm")
    load_2027_by_hand(admin)
    doc.refresh_from_db()
    # New Year's Day is a holiday: due at the end of the next working day, Monday 01-04
    assert (doc.due_at, doc.due_provisional) == (at(2027, 1, 4, 17, 30), False)
    event = doc.events.get(kind=DocumentEvent.Kind.RECALCULATED)
    assert event.data == {"field": "due_at", "reason": "year_loaded", "year": 2027,
                          "from": "2027-01-01T17:30:00+08:00", "to": "2027-01-04T17:30:00+08:00"}
    assert event.actor == admin
    page = client.get(doc.get_absolute_url()).content.decode()
    assert 'data-testid="provisional"' not in page
    assert "2027 年工作日历已载入" in page


def test_loading_a_year_moves_open_items_off_its_days_off_and_clears_the_flags(people, make_item):
    with on(at(2026, 12, 1, 10)):
        item = make_item(deadline=D(2027, 2, 8), milestones=[("中期报告", D(2027, 2, 10))])
        other = make_item(title="另一事项", deadline=D(2027, 3, 1))
        ext = supflow.request_extension(item=other, acting_user=people.responsible,
                                        new_deadline=D(2027, 5, 3), reason="等待批复")
    assert (item.deadline, item.deadline_provisional) == (D(2027, 2, 8), True)
    load_2027_by_hand()
    item.refresh_from_db()
    other.refresh_from_db()
    ext.refresh_from_db()
    assert (item.original_deadline, item.deadline, item.deadline_provisional) == (
        D(2027, 2, 15), D(2027, 2, 15), False)
    assert list(item.milestones.values_list("due_on", flat=True)) == [D(2027, 2, 15)]
    assert (other.deadline, other.deadline_provisional) == (D(2027, 3, 1), False)
    assert ext.new_deadline == D(2027, 5, 4)
    assert sorted(e.data["field"] for e in Event.objects.filter(kind=Event.Kind.RECALCULATED)) == [
        "deadline", "extension_to", "milestone", "original_deadline"]
    # the reminders follow the moved deadline (planned for the old one are dropped)
    assert not Reminder.objects.exists()


def test_unloading_a_year_flags_what_depends_on_it_again(people, make_item):
    load_2027_by_hand()
    with on(at(2026, 12, 1, 10)):
        item = make_item(deadline=D(2027, 3, 1))
    assert item.deadline_provisional is False
    calendar_years.unload_year(entry=CalendarYear.objects.get(year=2027), acting_user=None)
    item.refresh_from_db()
    assert item.deadline_provisional is True
    assert AuditEvent.objects.filter(action="calendar.unload_year").count() == 1


@pytest.mark.parametrize(("today", "missing"), [
    (D(2026, 10, 31), []),            # before November: only this year is needed
    (D(2026, 11, 1), [2027]),         # from 1 November the next year too
    (D(2026, 11, 29), [2027]),
    (D(2027, 1, 1), [2027]),          # the year has begun without its calendar
])
def test_coverage_from_1_november(db, today, missing):
    assert calendar_years.coverage(today).missing == missing


def test_the_system_check_warns_about_a_missing_year(db):
    with on(at(2026, 11, 29)):
        warnings = calendar_years_loaded(databases=["default"])
    assert [w.id for w in warnings] == ["office.W001"]
    assert "2027 年工作日历尚未载入" in warnings[0].msg
    with on(at(2026, 10, 15)):
        assert calendar_years_loaded(databases=["default"]) == []
    with on(at(2027, 3, 1)):
        assert "请立即载入该年" in calendar_years_loaded(databases=["default"])[0].msg
    assert calendar_years_loaded(databases=None) == []  # a plain `check` needs no database
    load_2027_by_hand()
    with on(at(2026, 11, 29)):
        assert calendar_years_loaded(databases=["default"]) == []


def test_check_with_the_database_reports_it(db, capsys):
    with on(at(2026, 11, 29)):
        call_command("check", "--database", "default")
    assert "office.W001" in capsys.readouterr().err


def test_the_admin_index_and_the_calendar_pages_carry_the_banner(client, make_user):
    admin = make_user(roles.SYSTEM_ADMIN, username="sysadm", is_staff=True)
    client.force_login(admin)
    with on(at(2026, 11, 29, 10)):
        for url in ("/admin/", "/admin/office/calendarday/", "/admin/office/calendaryear/"):
            page = client.get(url).content.decode()
            assert 'data-testid="calendar-banner"' in page, url
            assert "2027 年工作日历尚未载入" in page
    load_2027_by_hand(admin)
    with on(at(2026, 11, 29, 10)):
        assert 'data-testid="calendar-banner"' not in client.get("/admin/").content.decode()


def test_system_administrators_see_it_on_their_desk_others_do_not(client, make_user, clerk):
    admin = make_user(roles.SYSTEM_ADMIN, username="sysadm")
    client.force_login(admin)
    with on(at(2026, 11, 29, 10)):
        assert 'data-testid="calendar-panel"' in client.get("/").content.decode()
    client.force_login(clerk)
    with on(at(2026, 11, 29, 10)):
        assert 'data-testid="calendar-panel"' not in client.get("/").content.decode()
    client.force_login(admin)
    with on(at(2026, 10, 29, 10)):
        assert 'data-testid="calendar-panel"' not in client.get("/").content.decode()


def test_system_administrators_are_notified_once_per_missing_year(db, make_user, clerk):
    admin = make_user(roles.SYSTEM_ADMIN, username="sysadm")
    make_user(roles.SECURITY_ADMIN, username="secadm")
    assert calendar_years.notify_missing(D(2026, 10, 31)) == 0
    assert calendar_years.notify_missing(D(2026, 11, 1)) == 1
    assert calendar_years.notify_missing(D(2026, 11, 2)) == 0  # deduplicated
    assert calendar_years.notify_missing(D(2027, 1, 1)) == 1   # once more when the year began
    assert list(Notification.objects.order_by("pk").values_list("recipient__username", "title")) == [
        ("sysadm", "请载入 2027 年工作日历"), ("sysadm", "请立即载入 2027 年工作日历")]
    assert admin.notifications.first().url == "/admin/office/calendaryear/"


def test_the_daily_task(db, make_user):
    from office.tasks import calendar_coverage_notice

    make_user(roles.SYSTEM_ADMIN, username="sysadm")
    with on(at(2026, 11, 29, 9)):
        assert calendar_coverage_notice.apply().get() == 1
        assert calendar_coverage_notice.apply().get() == 0


# --- loading a year ----------------------------------------------------------------------

def test_the_package_has_the_2026_notice_exactly_as_seeded(db):
    assert 2026 in calendar_years.package_years()
    days = calendar_years.package_days(2026)
    seeded = {(d.date, d.kind, d.name) for d in CalendarDay.objects.filter(date__year=2026)}
    assert {(p.date, p.kind, p.name) for p in days} == seeded
    assert len(days) == 33 + 6
    assert calendar_years.package_days(2099) == []


def test_loading_a_year_from_the_package_shows_the_days_and_needs_the_confirmation(client, make_user):
    admin = make_user(roles.SYSTEM_ADMIN, username="sysadm", is_staff=True)
    CalendarYear.objects.filter(year=2026).delete()
    CalendarDay.objects.filter(date__year=2026).delete()
    CalendarDay.objects.create(date=D(2026, 3, 2), kind="holiday", name="误录")  # will be removed
    client.force_login(admin)
    url = reverse("admin:office_calendaryear_load")
    preview = client.get(url, {"year": 2026})
    page = preview.content.decode()
    assert preview.status_code == 200
    assert 'data-testid="load-year-plan"' in page
    assert page.count("<tr><td>2026-") == 39 + 1  # every day of the notice, and the row to remove
    assert "删除（通知中没有）" in page
    refused = client.post(url, {"year": 2026, "note": "国办通知", "load": "1"})
    assert refused.status_code == 400
    assert "请先将日期与通知核对。" in refused.content.decode()
    assert not CalendarYear.objects.exists()
    done = client.post(url, {"year": 2026, "note": "国办通知（2025-11-04）", "confirmed": "on", "load": "1"})
    assert done.status_code == 302
    entry = CalendarYear.objects.get()
    assert (entry.year, entry.source, entry.note, entry.loaded_by) == (2026, "package", "国办通知（2025-11-04）", admin)
    assert CalendarDay.objects.filter(date__year=2026).count() == 39
    assert not CalendarDay.objects.filter(name="误录").exists()
    assert AuditEvent.objects.get(action="calendar.load_year").detail["created"] == 39


def test_a_year_the_package_lacks_is_entered_by_hand(client, make_user):
    admin = make_user(roles.SYSTEM_ADMIN, username="sysadm", is_staff=True)
    client.force_login(admin)
    response = client.get(reverse("admin:office_calendaryear_load"), {"year": 2027})
    assert response.status_code == 400
    assert "没有 2027 年的数据" in response.content.decode()
    add = reverse("admin:office_calendaryear_add")
    empty = client.post(add, {"year": 2027, "note": "", "confirmed": "on"})
    assert empty.status_code == 200 and "尚未录入 2027 年的任何节假日" in empty.content.decode()
    CalendarDay.objects.create(date=D(2027, 1, 1), kind="holiday", name="元旦")
    unconfirmed = client.post(add, {"year": 2027, "note": ""})
    assert unconfirmed.status_code == 200 and not CalendarYear.objects.filter(year=2027).exists()
    assert client.post(add, {"year": 2027, "note": "国办通知", "confirmed": "on"}).status_code == 302
    entry = CalendarYear.objects.get(year=2027)
    assert (entry.source, entry.loaded_by) == ("manual", admin)
    assert WorkCalendar.load().covers(D(2027, 6, 1))


def test_a_calendar_day_out_of_range_is_a_message_in_admin_not_a_500(client, make_user):
    admin = make_user(roles.SYSTEM_ADMIN, username="sysadm", is_staff=True)
    client.force_login(admin)
    response = client.post(reverse("admin:office_calendarday_add"),
                           {"date": "9999-12-31", "kind": "holiday", "name": "误录"})
    assert response.status_code == 200
    assert "请选择 2000 年至 2099 年之间的日期。" in response.content.decode()
    assert not CalendarDay.objects.filter(name="误录").exists()


def test_a_year_is_loaded_once_and_only_within_the_supported_range(db):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        calendar_years.load_year(year=2026, acting_user=None, source="manual")
    with pytest.raises(ValidationError):
        calendar_years.load_year(year=1999, acting_user=None, source="manual")
    with pytest.raises(IntegrityError), transaction.atomic():
        CalendarDay.objects.create(date=D(9999, 12, 31), kind="holiday", name="x")


# =========================================================================================
# 3. Telegrams and the urgent clock
# =========================================================================================

def test_a_telegram_without_a_telegram_urgency_is_refused_everywhere(client, dp, register_doc):
    with pytest.raises(WorkflowError, match="电报必须标明平急、加急、特急、特提四种紧急程度之一"):
        register_doc(is_telegram=True, urgency="")
    assert not IncomingDocument.objects.exists()
    client.force_login(dp.clerk)
    response = client.post(reverse("documents:new"), with_token({
        "sender_name": "市政府办", "sender_number": "", "title": "明传电报", "is_telegram": "on",
        "doc_type": DocumentType.objects.get(name="通知").pk, "handling": "read", "urgency": "",
        "secrecy": "", "copies": 1, "pages": 1,
        "received_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"), "signed_by": dp.clerk.pk},
        dp.clerk))
    assert response.status_code == 400
    page = response.content.decode()
    assert "电报必须标明平急、加急、特急、特提四种紧急程度之一" in page and "明传电报" in page
    assert not IncomingDocument.objects.exists()


def test_the_database_keeps_urgency_and_kind_together(dp, register_doc):
    doc = register_doc(is_telegram=True, urgency="teti")
    with pytest.raises(IntegrityError), transaction.atomic():
        IncomingDocument.objects.filter(pk=doc.pk).update(urgency="")
    with pytest.raises(IntegrityError), transaction.atomic():
        IncomingDocument.objects.filter(pk=doc.pk).update(is_telegram=False)  # 特提 is telegram-only


@pytest.mark.parametrize(("received", "urgency", "due"), [
    (at(2026, 9, 30, 17, 40), "teji", at(2026, 9, 30, 18, 40)),   # the example: the same evening
    (at(2026, 9, 30, 17, 40), "teti", at(2026, 9, 30, 18, 10)),
    (at(2026, 10, 2, 3, 0), "teti", at(2026, 10, 2, 3, 30)),      # a night in the holiday
    (at(2026, 9, 30, 17, 40), "jiaji", at(2026, 10, 8, 10, 30)),  # office time: after the holiday
    (at(2026, 9, 30, 17, 40), "pingji", at(2026, 10, 8, 12, 30)),
    (at(2026, 9, 30, 17, 40), "", at(2026, 10, 8, 17, 30)),       # ordinary: the same-day clock
])
def test_teti_and_teji_count_round_the_clock(db, received, urgency, due):
    assert docflow.due_time(received, urgency) == due


def test_round_the_clock_is_admin_data(db):
    UrgencyRule.objects.filter(urgency="teji").update(round_the_clock=False)
    assert docflow.due_time(at(2026, 9, 30, 17, 40), "teji") == at(2026, 10, 8, 9, 30)


def test_the_intake_sweep_calls_no_director_on_a_day_off_for_office_time(dp, register_doc):
    with on(at(2026, 9, 30, 17, 45)):
        plain = register_doc(received_at=at(2026, 9, 30, 9), urgency="jiaji", sender_number="A〔2026〕1号")
        teji = register_doc(received_at=at(2026, 9, 30, 17, 40), urgency="teji", sender_number="A〔2026〕2号")
    assert plain.due_at == at(2026, 9, 30, 11)  # 120 office minutes
    # 10-02, a holiday: the 加急 document is overdue but waits; the 特急 one is the duty room's
    result = intake.sweep(now=at(2026, 10, 2, 10))
    assert (result.overdue, result.held) == (1, 1)
    assert list(Notification.objects.filter(kind="documents-overdue").values_list("body", flat=True)) == [
        teji.number]
    # the next working day the 加急 one is escalated
    result = intake.sweep(now=at(2026, 10, 8, 8, 35))
    assert (result.overdue, result.held) == (2, 0)
    assert Notification.objects.filter(kind="documents-overdue").count() == 2


def test_the_intake_sweep_runs_round_the_clock(settings):
    schedule = settings.CELERY_BEAT_SCHEDULE["documents-intake-sweep"]["schedule"]
    assert schedule.hour == set(range(24)) and schedule.day_of_week == set(range(7))


# =========================================================================================
# 4. Impossible values
# =========================================================================================

@pytest.mark.parametrize(("value", "bound", "message"), [
    (dt.datetime(1, 1, 1, tzinfo=SH), Bound.RECEIVED, "收文时间不能早于一年前"),
    (timezone.now() - dt.timedelta(days=400), Bound.RECEIVED, "收文时间不能早于一年前"),
    (timezone.now() + dt.timedelta(hours=1), Bound.RECEIVED, "收文时间不能晚于当前时间。"),
    (timezone.now() - dt.timedelta(days=300), Bound.RECEIVED, ""),
    (D(9999, 12, 31), Bound.DEADLINE, "期限不能超过五年"),
    (D(1, 1, 1), Bound.DEADLINE, "办理时限不能早于今日。"),
    (timezone.localdate() + dt.timedelta(days=5 * 365), Bound.DEADLINE, ""),
    (timezone.localdate() + dt.timedelta(days=6 * 365), Bound.DEADLINE, "期限不能超过五年"),
    (D(1, 1, 1), Bound.PAST_DATE, "日期不能早于一年前"),
    (timezone.localdate() + dt.timedelta(days=1), Bound.PAST_DATE, "不能反馈今日以后日期的进展。"),
    (D(1999, 12, 31), Bound.SUPPORTED, "请选择 2000 年至 2099 年之间的日期。"),
    (D(2100, 1, 1), Bound.SUPPORTED, "请选择 2000 年至 2099 年之间的日期。"),
    (D(2099, 12, 31), Bound.SUPPORTED, ""),
])
def test_the_one_bounds_function(db, value, bound, message):
    problem = dates.problem(value, bound)
    assert problem.startswith(message) if message else problem == ""


def test_received_at_year_one_is_refused_by_the_form_and_the_workflow(client, dp, register_doc):
    """The issue's example: 0001-01-01T00:00 was accepted and broke every page showing it."""
    with pytest.raises(WorkflowError, match="收文时间不能早于一年前"):
        register_doc(received_at=dt.datetime(1, 1, 1, tzinfo=SH))
    client.force_login(dp.clerk)
    response = client.post(reverse("documents:new"), with_token({
        "sender_name": "市政府办", "sender_number": "", "title": "年份错误的来文",
        "doc_type": DocumentType.objects.get(name="通知").pk, "handling": "read", "urgency": "",
        "secrecy": "", "copies": 1, "pages": 1, "received_at": "0001-01-01T00:00",
        "signed_by": dp.clerk.pk}, dp.clerk))
    assert response.status_code == 400
    page = response.content.decode()
    assert "收文时间不能早于一年前" in page and "年份错误的来文" in page
    assert not IncomingDocument.objects.exists()
    assert AuditEvent.objects.filter(action="documents.register", result="failure").count() == 1


def test_the_database_refuses_times_that_would_break_the_pages(dp, register_doc):
    doc = register_doc()
    for bad in ({"received_at": dt.datetime(1, 1, 2, tzinfo=dt.UTC)},
                {"due_at": dt.datetime(9999, 12, 31, tzinfo=dt.UTC)},
                {"handling_deadline": D(9999, 12, 31)}):
        with pytest.raises(IntegrityError), transaction.atomic():
            IncomingDocument.objects.filter(pk=doc.pk).update(**bad)


def test_pages_and_sweeps_work_at_the_edges_of_the_range(client, dp, register_doc):
    oldest = register_doc(received_at=timezone.now() - dt.timedelta(days=365),
                          sender_number="E〔2026〕1号")
    client.force_login(dp.clerk)
    for url in (oldest.get_absolute_url(), reverse("documents:register"), reverse("documents:board"),
                reverse("documents:register_export")):
        assert client.get(url).status_code == 200, url
    for query in ({"date_from": "0001-01-01"}, {"date_to": "9999-12-31"}):
        response = client.get(reverse("documents:register"), query)
        assert response.status_code == 200
        assert "请选择 2000 年至 2099 年之间的日期。" in response.content.decode()
        assert client.get(reverse("documents:register_export"), query).status_code == 200
    intake.sweep()


def test_a_deadline_of_9999_is_refused_for_an_item_and_an_extension(client, people, make_item):
    with pytest.raises(WorkflowError, match="期限不能超过五年"):
        make_item(deadline=D(9999, 12, 31))
    assert not Item.objects.exists()
    client.force_login(people.officer)
    response = client.post(reverse("supervision:create"), with_token({
        "title": "万年事项", "requirement": "按期完成。", "source_kind": "other",
        "lead_unit": people.lead.pk, "responsible": people.responsible.pk, "deadline": "9999-12-31",
        "milestones": "9999-01-01 中期", "priority": "normal"}, people.officer))
    assert response.status_code == 400
    page = response.content.decode()
    assert "期限不能超过五年" in page and "第 1 行：期限不能超过五年" in page and "万年事项" in page
    assert not Item.objects.exists()
    item = make_item()
    with pytest.raises(WorkflowError, match="期限不能超过五年"):
        supflow.request_extension(item=item, acting_user=people.responsible,
                                  new_deadline=D(9999, 12, 31), reason="无限期")
    client.force_login(people.responsible)
    response = client.post(reverse("supervision:step", args=[item.pk, "request_extension"]), with_token({
        "request_extension-new_deadline": "9999-12-31", "request_extension-reason": "无限期"},
        people.responsible))
    assert response.status_code == 400
    assert "期限不能超过五年" in response.content.decode()
    assert not Extension.objects.exists()
    with pytest.raises(WorkflowError, match="节点“中期”：期限不能超过五年"):
        make_item(milestones=[("中期", D(9999, 1, 1))])


def test_other_typed_dates_are_bounded_in_the_workflows(people, make_item):
    item = make_item()
    with pytest.raises(WorkflowError, match="日期不能早于一年前"):
        supflow.report_progress(item=item, acting_user=people.responsible, text="进展",
                                progress_on=D(1, 1, 1))
    with pytest.raises(WorkflowError, match="不能反馈今日以后日期的进展"):
        supflow.report_progress(item=item, acting_user=people.responsible, text="进展",
                                progress_on=D(9999, 12, 31))
    assert not item.progress_reports.exists()
    with pytest.raises(WorkflowError, match="工作日数不能超过 365"):
        make_item(deadline=None, working_days=10**9)


def test_a_handling_deadline_of_9999_is_refused(dp, register_doc):
    doc = register_doc()
    docflow.submit_for_proposal(document=doc, acting_user=dp.clerk)
    with pytest.raises(WorkflowError, match="期限不能超过五年"):
        docflow.assign_handling(document=doc, acting_user=dp.director, lead_unit=dp.czj,
                                handler=dp.handler, deadline=D(9999, 12, 31))
    doc.refresh_from_db()
    assert (doc.status, doc.handling_deadline) == ("proposing", None)


def test_the_database_refuses_item_dates_out_of_range(people, make_item):
    item = make_item()
    for model, pk, bad in ((Item, item.pk, {"deadline": D(9999, 12, 31)}),
                           (Item, item.pk, {"original_deadline": D(1, 1, 1)})):
        with pytest.raises(IntegrityError), transaction.atomic():
            model.objects.filter(pk=pk).update(**bad)


def test_lists_filters_and_reports_survive_absurd_dates(client, people, make_item):
    make_item()
    client.force_login(people.officer)
    for url, query in ((reverse("supervision:list"), {"deadline_from": "0001-01-01"}),
                       (reverse("supervision:list"), {"deadline_to": "9999-12-31"}),
                       (reverse("supervision:ledger"), {"deadline_to": "9999-12-31"}),
                       (reverse("supervision:report"), {"date": "0001-01-01"}),
                       (reverse("supervision:report"), {"date": "9999-12-31"})):
        assert client.get(url, query).status_code == 200, (url, query)


# --- the upgrade repairs what was accepted before ----------------------------------------

def test_the_upgrade_repairs_documents_accepted_before(dp, register_doc):
    import importlib

    migration = importlib.import_module("documents.migrations.0005_dates_and_telegrams")
    doc = register_doc(sender_number="R〔2026〕1号")
    telegram = register_doc(sender_number="R〔2026〕2号", is_telegram=True, urgency="pingji")
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for name in ("incoming_times_supported_range", "incoming_urgency_fits_kind"):
            cursor.execute(f"ALTER TABLE documents_incomingdocument DROP CONSTRAINT {name}")
        # what the form stored for 0001-01-01T00:00 typed in Beijing
        cursor.execute("UPDATE documents_incomingdocument SET received_at = "
                       "'0001-01-01 00:00'::timestamp AT TIME ZONE 'Asia/Shanghai' WHERE id = %s", [doc.pk])
        cursor.execute("UPDATE documents_incomingdocument SET urgency = '' WHERE id = %s", [telegram.pk])
        migration.repair(None, connection.schema_editor())
    doc.refresh_from_db()
    telegram.refresh_from_db()
    assert doc.received_at == doc.registered_at
    assert telegram.urgency == "pingji"
    event = doc.events.get(kind=DocumentEvent.Kind.RECALCULATED)
    assert (event.data["field"], event.data["reason"]) == ("received_at", "out_of_range")
    assert event.data["from"] == "0001-01-01 00:00:00"  # what was stored, Beijing time
    assert event.data["to"].startswith(timezone.localtime(doc.registered_at).strftime("%Y-%m-%d %H:%M:%S"))


def test_the_upgrade_clamps_item_dates_accepted_before(people, make_item):
    import importlib

    migration = importlib.import_module("supervision.migrations.0004_date_bounds")
    item = make_item()
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("ALTER TABLE supervision_item DROP CONSTRAINT item_deadlines_supported_range")
        # (and a constraint of a later migration: deliver_by, added by supervision 0005)
        cursor.execute("ALTER TABLE supervision_item DROP CONSTRAINT item_deliver_by_not_before_deadline")
        cursor.execute("UPDATE supervision_item SET deadline = '9999-12-31' WHERE id = %s", [item.pk])
        migration.repair(None, connection.schema_editor())
    item.refresh_from_db()
    assert item.deadline == D(2099, 12, 31)
    event = item.events.get(kind=Event.Kind.RECALCULATED)
    assert event.data == {"field": "deadline", "from": "9999-12-31", "to": "2099-12-31",
                          "reason": "out_of_range"}
