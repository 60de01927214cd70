"""The working-day calendar every deadline in the system goes through.

Monday to Friday are working days, except statutory holidays; Saturdays and Sundays are days
off, except make-up workdays (调休). Both exceptions are ``CalendarDay`` rows admins edit.
Office hours and the same-day cutoff come from ``OfficeSettings``.

Load a ``WorkCalendar`` once (two queries) and call its methods in loops; the module-level
functions load one for a single call.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone

MAX_SCAN_DAYS = 3660  # ten years: a guard against a calendar with no working day at all


@dataclass(frozen=True)
class WorkCalendar:
    holidays: frozenset[dt.date] = field(default_factory=frozenset)
    workdays: frozenset[dt.date] = field(default_factory=frozenset)
    work_starts: dt.time = dt.time(8, 30)
    work_ends: dt.time = dt.time(17, 30)
    same_day_cutoff: dt.time = dt.time(16, 0)

    @classmethod
    def load(cls) -> WorkCalendar:
        from office.models import CalendarDay, OfficeSettings

        holidays, workdays = set(), set()
        for day, kind in CalendarDay.objects.values_list("date", "kind"):
            (holidays if kind == CalendarDay.Kind.HOLIDAY else workdays).add(day)
        conf = OfficeSettings.load()
        return cls(frozenset(holidays), frozenset(workdays), conf.work_starts, conf.work_ends,
                   conf.same_day_cutoff)

    # --- days ---------------------------------------------------------------------------
    def is_working_day(self, day: dt.date) -> bool:
        if day in self.workdays:
            return True
        if day in self.holidays:
            return False
        return day.weekday() < 5

    def next_working_day(self, day: dt.date) -> dt.date:
        """The first working day strictly after ``day``."""
        for offset in range(1, MAX_SCAN_DAYS):
            candidate = day + dt.timedelta(days=offset)
            if self.is_working_day(candidate):
                return candidate
        raise ValueError("the calendar has no working day in ten years")

    def working_day_on_or_after(self, day: dt.date) -> dt.date:
        return day if self.is_working_day(day) else self.next_working_day(day)

    def add_working_days(self, start: dt.date, n: int) -> dt.date:
        """The date ``n`` working days after ``start`` (``start`` itself is not counted).

        ``n == 0`` gives ``start`` when it is a working day, else the next working day.
        Negative ``n`` counts backwards."""
        if n == 0:
            return self.working_day_on_or_after(start)
        step = 1 if n > 0 else -1
        remaining, day = abs(n), start
        for _ in range(MAX_SCAN_DAYS):
            day += dt.timedelta(days=step)
            if self.is_working_day(day):
                remaining -= 1
                if remaining == 0:
                    return day
        raise ValueError("the calendar has no working day in ten years")

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days in ``(start, end]``; negative when ``end`` is before ``start``."""
        if end == start:
            return 0
        if end < start:
            return -self.working_days_between(end, start)
        return sum(
            1 for offset in range(1, (end - start).days + 1)
            if self.is_working_day(start + dt.timedelta(days=offset))
        )

    # --- moments ------------------------------------------------------------------------
    def _at(self, day: dt.date, time: dt.time) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(day, time), timezone.get_default_timezone())

    def end_of_working_day(self, moment: dt.datetime) -> dt.datetime:
        """The close of office hours on the working day ``moment`` falls in; a moment on a day
        off or after closing time belongs to the next working day."""
        local = timezone.localtime(moment)
        day = local.date()
        if self.is_working_day(day) and local.time() < self.work_ends:
            return self._at(day, self.work_ends)
        return self._at(self.next_working_day(day), self.work_ends)

    def same_day_due(self, moment: dt.datetime) -> dt.datetime:
        """When something received at ``moment`` must be cleared under 当日文件当日清: the end of
        the receiving working day, or of the next one when received after the cutoff or on a
        day off."""
        local = timezone.localtime(moment)
        day = local.date()
        if self.is_working_day(day) and local.time() < self.same_day_cutoff:
            return self._at(day, self.work_ends)
        return self._at(self.next_working_day(day), self.work_ends)

    def add_working_minutes(self, moment: dt.datetime, minutes: int) -> dt.datetime:
        """``moment`` plus ``minutes`` of office time (working days, office hours only)."""
        local = timezone.localtime(moment)
        day, time = local.date(), local.time()
        if not self.is_working_day(day) or time >= self.work_ends:
            day, time = self.next_working_day(day), self.work_starts
        elif time < self.work_starts:
            time = self.work_starts
        cursor = self._at(day, time)
        left = dt.timedelta(minutes=minutes)
        for _ in range(MAX_SCAN_DAYS):
            close = self._at(cursor.date(), self.work_ends)
            if cursor + left <= close:
                return cursor + left
            left -= close - cursor
            cursor = self._at(self.next_working_day(cursor.date()), self.work_starts)
        raise ValueError("the calendar has no working day in ten years")


def load_calendar() -> WorkCalendar:
    return WorkCalendar.load()


def is_working_day(day: dt.date) -> bool:
    return load_calendar().is_working_day(day)


def next_working_day(day: dt.date) -> dt.date:
    return load_calendar().next_working_day(day)


def add_working_days(start: dt.date, n: int) -> dt.date:
    return load_calendar().add_working_days(start, n)


def working_days_between(start: dt.date, end: dt.date) -> int:
    return load_calendar().working_days_between(start, end)


def end_of_working_day(moment: dt.datetime) -> dt.datetime:
    return load_calendar().end_of_working_day(moment)


def same_day_due(moment: dt.datetime) -> dt.datetime:
    return load_calendar().same_day_due(moment)


def add_working_minutes(moment: dt.datetime, minutes: int) -> dt.datetime:
    return load_calendar().add_working_minutes(moment, minutes)
