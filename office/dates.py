"""Bounds on the dates and times people type: the one place that says what is sensible.

Every date or time a user gives is checked here, in the forms (a message on the field, nothing
typed is lost) and again in the workflow functions (a ``WorkflowError``), so that no path can
store a value the pages cannot read back. The bounds:

- ``RECEIVED`` (when a document was received): within the last year (366 days), not in the
  future (five minutes of clock skew allowed);
- ``DEADLINE`` (deadlines, milestones, extensions, handling deadlines): from today to five
  years ahead;
- ``PAST_DATE`` (the date of a progress report): within the last year, not in the future;
- ``SUPPORTED`` (search filters, report periods, and the last line of defence): 2000-01-01 to
  2099-12-31, the range the database constraints enforce on every stored date.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

EARLIEST = dt.date(2000, 1, 1)
LATEST = dt.date(2099, 12, 31)
# the same bounds as aware moments, for datetime columns' check constraints
EARLIEST_MOMENT = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
LATEST_MOMENT = dt.datetime(2100, 1, 1, tzinfo=dt.UTC)

LOOKBACK = dt.timedelta(days=366)
CLOCK_SKEW = dt.timedelta(minutes=5)
DEADLINE_YEARS = 5


class Bound(StrEnum):
    RECEIVED = "received"
    DEADLINE = "deadline"
    PAST_DATE = "past_date"
    SUPPORTED = "supported"


def day_start(day: dt.date) -> dt.datetime:
    """Local (Asia/Shanghai) midnight at the start of ``day``, as an aware datetime: date filters
    on timestamp columns are written ``>= day_start(from)`` and ``< day_start(to + 1 day)``, a
    range an index on the column serves (``column__date`` cannot use it)."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def years_after(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _as_moment(value: dt.datetime) -> dt.datetime:
    if timezone.is_naive(value):
        return value.replace(tzinfo=timezone.get_default_timezone())
    return value


def problem(value: dt.date | dt.datetime | None, bound: Bound, *,
            now: dt.datetime | None = None) -> str:
    """Why ``value`` is outside ``bound``, as a message for the user; '' when it is fine (or
    absent: whether a value is required is the caller's business)."""
    if value is None:
        return ""
    if not EARLIEST.year <= value.year <= LATEST.year:
        # far outside: say so before any time-zone arithmetic (year 1 or 9999 would overflow it)
        return _far_outside(value, bound)
    now = now or timezone.now()
    today = timezone.localdate(now)
    if bound == Bound.RECEIVED:
        moment = _as_moment(value) if isinstance(value, dt.datetime) else None
        if moment is None:
            return _("Give the date and time received.")
        if moment > now + CLOCK_SKEW:
            return _("The time received cannot be in the future.")
        earliest = now - LOOKBACK
        if moment < earliest:
            return _("The time received cannot be more than a year ago (before %(date)s).") % {
                "date": timezone.localtime(earliest).strftime("%Y-%m-%d %H:%M")}
        return ""
    day = value.date() if isinstance(value, dt.datetime) else value
    if bound == Bound.DEADLINE:
        latest = min(years_after(today, DEADLINE_YEARS), LATEST)
        if day < today:
            return _("The deadline cannot be in the past.")
        if day > latest:
            return _("A deadline cannot be more than five years ahead (after %(date)s).") % {
                "date": latest.isoformat()}
        return ""
    if bound == Bound.PAST_DATE:
        if day > today:
            return _("Progress cannot be reported for a future date.")
        earliest = today - LOOKBACK
        if day < earliest:
            return _("The date cannot be more than a year ago (before %(date)s).") % {
                "date": earliest.isoformat()}
        return ""
    if not EARLIEST <= day <= LATEST:
        return _("Choose a date between 2000 and 2099.")
    return ""


def _far_outside(value, bound: Bound) -> str:
    early = value.year < EARLIEST.year
    if bound == Bound.RECEIVED:
        return (_("The time received cannot be more than a year ago (before %(date)s).") % {
            "date": timezone.localtime(timezone.now() - LOOKBACK).strftime("%Y-%m-%d %H:%M")}
            if early else _("The time received cannot be in the future."))
    if bound == Bound.DEADLINE:
        latest = min(years_after(timezone.localdate(), DEADLINE_YEARS), LATEST)
        return (_("The deadline cannot be in the past.") if early else
                _("A deadline cannot be more than five years ahead (after %(date)s).") % {
                    "date": latest.isoformat()})
    if bound == Bound.PAST_DATE:
        return (_("The date cannot be more than a year ago (before %(date)s).") % {
            "date": (timezone.localdate() - LOOKBACK).isoformat()}
            if early else _("Progress cannot be reported for a future date."))
    return _("Choose a date between 2000 and 2099.")


def clean(value, bound: Bound, *, prefix: str = "") -> None:
    """For forms: a ``ValidationError`` with the message when ``value`` is outside ``bound``."""
    message = problem(value, bound)
    if message:
        raise ValidationError(f"{prefix}{message}", code="date_range")


def require(value, bound: Bound, *, prefix: str = "") -> None:
    """For workflow steps: a ``WorkflowError`` (code ``invalid``) when ``value`` is outside
    ``bound``."""
    from office.workflow import WorkflowError

    message = problem(value, bound)
    if message:
        raise WorkflowError(f"{prefix}{message}", code="invalid")
