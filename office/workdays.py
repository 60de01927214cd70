"""The working-day calendar every deadline in the system goes through.

Monday to Friday are working days, except statutory holidays; Saturdays and Sundays are days
off, except make-up workdays (调休). Both exceptions are ``CalendarDay`` rows admins edit.
Office hours and the same-day cutoff come from ``OfficeSettings``.

The calendar knows which years it covers: a year is *loaded* (a ``CalendarYear`` row) once its
holidays and make-up workdays have been entered and checked against the State Council's notice.
In a year that is not loaded the arithmetic goes on with the plain Monday-Friday week (a
document received on such a day still gets a due time), but the result is *provisional*:
``covers`` / ``covers_span`` say so, the workflows store the flag with the date, pages show
it, and loading the year recomputes the flagged dates (``office.calendar_years``).

Load a ``WorkCalendar`` once (two queries) and call its methods in loops; the module-level
functions load one for a single call.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext

MAX_SCAN_DAYS = 3660  # ten years: a guard against a calendar with no working day at all


@dataclass(frozen=True)
class WorkCalendar:
    holidays: frozenset[dt.date] = field(default_factory=frozenset)
    workdays: frozenset[dt.date] = field(default_factory=frozenset)
    work_starts: dt.time = dt.time(8, 30)
    work_ends: dt.time = dt.time(17, 30)
    same_day_cutoff: dt.time = dt.time(16, 0)
    loaded_years: frozenset[int] = field(default_factory=frozenset)
    names: dict[dt.date, str] = field(default_factory=dict, compare=False, hash=False)

    @classmethod
    def load(cls) -> WorkCalendar:
        """The calendar as the database holds it: two queries (the exceptions; the office
        settings with the loaded years)."""
        from django.contrib.postgres.expressions import ArraySubquery

        from office.models import CalendarDay, CalendarYear, OfficeSettings

        holidays, workdays, names = set(), set(), {}
        for day, kind, name in CalendarDay.objects.values_list("date", "kind", "name"):
            (holidays if kind == CalendarDay.Kind.HOLIDAY else workdays).add(day)
            names[day] = name
        years = ArraySubquery(CalendarYear.objects.order_by("year").values("year"))
        conf = OfficeSettings.objects.filter(pk=1).annotate(years=years).first()
        if conf is None:
            conf = OfficeSettings.load()
            conf.years = list(CalendarYear.objects.values_list("year", flat=True))
        return cls(frozenset(holidays), frozenset(workdays), conf.work_starts, conf.work_ends,
                   conf.same_day_cutoff, frozenset(conf.years or ()), names)

    # --- coverage -----------------------------------------------------------------------
    def covers(self, day: dt.date) -> bool:
        """Whether ``day``'s year is loaded (its holidays checked against the notice)."""
        return day.year in self.loaded_years

    def covers_span(self, start: dt.date, end: dt.date) -> bool:
        """Whether every year from ``start`` to ``end`` (either order) is loaded: arithmetic
        between them is exact, not provisional."""
        first, last = sorted((start, end))
        return all(year in self.loaded_years for year in range(first.year, last.year + 1))

    def missing_years(self, start: dt.date, end: dt.date) -> list[int]:
        first, last = sorted((start, end))
        return [y for y in range(first.year, last.year + 1) if y not in self.loaded_years]

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

    def deadline_on(self, day: dt.date) -> dt.date:
        """THE rule for a date-typed deadline: a time limit that ends on a day off ends on the
        next working day (期间届满的最后一日是节假日的，以节假日后的第一日为期间届满的日期).

        Every date-typed deadline goes through here when it enters the system: a supervision
        item's deadline and milestones, an extension's new deadline, an incoming document's
        handling deadline — and the outgoing-document and meeting apps are to call it for
        theirs. A working day is returned unchanged. In a year the calendar does not cover
        only weekends are known days off: check ``covers`` and flag the result."""
        return self.working_day_on_or_after(day)

    def day_off_name(self, day: dt.date) -> str:
        """What kind of day off ``day`` is: the holiday's name, or the weekday's."""
        return self.names.get(day) if day in self.holidays and self.names.get(day) else \
            date_format(day, "l")

    def deadline_notice(self, typed: dt.date) -> str:
        """What to tell the user about a deadline typed as ``typed``: '' when it applies as
        typed on a covered year; else the date that applies and why."""
        applied = self.deadline_on(typed)
        parts = []
        if applied != typed:
            parts.append(gettext("%(typed)s is a day off (%(name)s): the deadline is %(date)s, the next "
                           "working day.") % {"typed": typed.isoformat(), "date": applied.isoformat(),
                                              "name": self.day_off_name(typed)})
        if not self.covers(applied):
            parts.append(gettext("The %(year)d calendar is not loaded yet: %(date)s assumes a Monday to "
                           "Friday week and may move once its holidays are entered.")
                         % {"year": applied.year, "date": applied.isoformat()})
        return " ".join(parts)

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


def applied_deadline_note(typed: dt.date | None, applied: dt.date | None,
                          provisional: bool = False) -> str:
    """What to add to a step's success message about the deadline it stored: the date that
    applies when a day off moved it, and a warning when its year is not loaded. '' otherwise."""
    if typed is None or applied is None:
        return ""
    parts = []
    if applied != typed:
        parts.append(gettext("%(typed)s is a day off: the deadline is %(date)s, the next working "
                             "day.") % {"typed": typed.isoformat(), "date": applied.isoformat()})
    if provisional:
        parts.append(gettext("The %(year)d calendar is not loaded yet: %(date)s assumes a Monday to "
                             "Friday week and may move once its holidays are entered.")
                     % {"year": applied.year, "date": applied.isoformat()})
    return " ".join(parts)


def with_note(message: str, note: str) -> str:
    return f"{message} {note}" if note else message


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
