"""Calendar arithmetic across weekends, the 2026 statutory holidays and make-up workdays
(seeded by migration 0003 from shared/calendar-2026.md)."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from office.models import CalendarDay, OfficeSettings
from office.workdays import WorkCalendar, add_working_days, is_working_day

SH = ZoneInfo("Asia/Shanghai")
D = dt.date


@pytest.fixture
def cal(db):
    return WorkCalendar.load()


def at(y, m, d, hh, mm=0):
    return dt.datetime(y, m, d, hh, mm, tzinfo=SH)


def test_seeded_2026_schedule_matches_the_state_council_notice(db):
    assert CalendarDay.objects.filter(kind="holiday", date__year=2026).count() == 3 + 9 + 3 + 5 + 3 + 3 + 7
    assert sorted(CalendarDay.objects.filter(kind="workday").values_list("date", flat=True)) == [
        D(2026, 1, 4), D(2026, 2, 14), D(2026, 2, 28), D(2026, 5, 9), D(2026, 9, 20), D(2026, 10, 10)]


@pytest.mark.parametrize(("day", "working"), [
    (D(2026, 1, 1), False),   # 元旦, a Thursday
    (D(2026, 1, 4), True),    # Sunday make-up workday
    (D(2026, 1, 5), True),    # ordinary Monday
    (D(2026, 2, 14), True),   # Saturday make-up before 春节
    (D(2026, 2, 16), False),  # 春节 Monday
    (D(2026, 2, 23), False),  # last day of 春节
    (D(2026, 2, 24), True),
    (D(2026, 3, 7), False),   # ordinary Saturday
    (D(2026, 10, 8), True),   # Thursday after 国庆
    (D(2026, 10, 10), True),  # Saturday make-up
    (D(2026, 10, 11), False), # ordinary Sunday
])
def test_is_working_day(cal, day, working):
    assert cal.is_working_day(day) is working
    assert is_working_day(day) is working


def test_add_working_days_skips_the_spring_festival(cal):
    # Fri 2026-02-13 + 1 = Sat 02-14 (make-up day); + 2 = Tue 02-24 (after the 9-day holiday)
    assert cal.add_working_days(D(2026, 2, 13), 1) == D(2026, 2, 14)
    assert cal.add_working_days(D(2026, 2, 13), 2) == D(2026, 2, 24)
    assert add_working_days(D(2026, 2, 13), 2) == D(2026, 2, 24)


def test_add_working_days_across_national_day_and_make_up_days(cal):
    # Fri 09-18 + 1 = Sun 09-20 (make-up); Wed 09-30 + 1 = Thu 10-08; + 3 = Sat 10-10 → Mon 10-12
    assert cal.add_working_days(D(2026, 9, 18), 1) == D(2026, 9, 20)
    assert cal.add_working_days(D(2026, 9, 30), 1) == D(2026, 10, 8)
    assert cal.add_working_days(D(2026, 9, 30), 3) == D(2026, 10, 10)
    assert cal.add_working_days(D(2026, 9, 30), 4) == D(2026, 10, 12)


def test_add_zero_and_negative_working_days(cal):
    assert cal.add_working_days(D(2026, 10, 3), 0) == D(2026, 10, 8)
    assert cal.add_working_days(D(2026, 10, 5), 0) == D(2026, 10, 8)
    assert cal.add_working_days(D(2026, 10, 8), -1) == D(2026, 9, 30)


def test_working_days_between(cal):
    assert cal.working_days_between(D(2026, 9, 30), D(2026, 10, 12)) == 4
    assert cal.working_days_between(D(2026, 10, 12), D(2026, 9, 30)) == -4
    assert cal.working_days_between(D(2026, 3, 2), D(2026, 3, 2)) == 0


def test_end_of_working_day(cal):
    assert cal.end_of_working_day(at(2026, 3, 2, 9)) == at(2026, 3, 2, 17, 30)
    # after closing time: the next working day
    assert cal.end_of_working_day(at(2026, 3, 6, 18)) == at(2026, 3, 9, 17, 30)
    # on a holiday: the first working day after it
    assert cal.end_of_working_day(at(2026, 10, 2, 10)) == at(2026, 10, 8, 17, 30)


def test_same_day_due_uses_the_cutoff(cal):
    assert cal.same_day_due(at(2026, 3, 2, 15, 59)) == at(2026, 3, 2, 17, 30)
    assert cal.same_day_due(at(2026, 3, 2, 16, 0)) == at(2026, 3, 3, 17, 30)
    # received Friday after the cutoff before the Labour Day holiday: due the make-up Saturday
    assert cal.same_day_due(at(2026, 4, 30, 16, 30)) == at(2026, 5, 6, 17, 30)
    # received on the Sunday make-up workday morning
    assert cal.same_day_due(at(2026, 1, 4, 9)) == at(2026, 1, 4, 17, 30)


def test_add_working_minutes_rolls_over_nights_and_holidays(cal):
    assert cal.add_working_minutes(at(2026, 3, 2, 9), 60) == at(2026, 3, 2, 10)
    assert cal.add_working_minutes(at(2026, 3, 2, 17), 60) == at(2026, 3, 3, 9)
    assert cal.add_working_minutes(at(2026, 3, 2, 7), 30) == at(2026, 3, 2, 9)
    assert cal.add_working_minutes(at(2026, 9, 30, 17, 20), 30) == at(2026, 10, 8, 8, 50)


def test_admin_edits_change_the_calendar(db):
    CalendarDay.objects.create(date=D(2026, 12, 31), kind="holiday", name="测试假日")
    settings_row = OfficeSettings.load()
    settings_row.work_ends = dt.time(18, 0)
    settings_row.save()
    cal = WorkCalendar.load()
    assert not cal.is_working_day(D(2026, 12, 31))
    assert cal.end_of_working_day(at(2026, 12, 30, 9)) == at(2026, 12, 30, 18)


def test_deadline_on_is_the_one_day_off_rule(cal):
    # a time limit ending on a day off ends on the next working day; a working day stays
    assert cal.deadline_on(D(2026, 10, 3)) == D(2026, 10, 8)
    assert cal.deadline_on(D(2026, 10, 10)) == D(2026, 10, 10)
    assert cal.deadline_on(D(2026, 4, 4)) == D(2026, 4, 7)   # 清明 (Sat-Mon)
    assert cal.deadline_on(D(2026, 9, 25)) == D(2026, 9, 28)  # 中秋 (Fri-Sun)


def test_the_calendar_knows_the_years_it_covers(cal):
    assert cal.loaded_years == frozenset({2026})
    assert cal.covers(D(2026, 6, 1)) and not cal.covers(D(2025, 12, 31))
