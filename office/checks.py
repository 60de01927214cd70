"""System checks of the office core.

The calendar check needs the database, so it is tagged ``database``: Django runs it with
``manage.py migrate`` (every deployment) and ``manage.py check --database default``, not with a
plain ``check`` (which must work without a database, e.g. in CI before migrating)."""

from __future__ import annotations

from django.core.checks import Tags, Warning, register
from django.db import DatabaseError


@register(Tags.database)
def calendar_years_loaded(app_configs=None, databases=None, **kwargs):
    """office.W001: this year, or from 1 November next year, is not loaded in the calendar."""
    if not databases:
        return []
    from office.calendar_years import coverage

    try:
        cov = coverage()
    except DatabaseError:  # not migrated yet: nothing to say about the calendar
        return []
    return [Warning(" ".join(cov.messages_for(year)),
                    hint="Django admin → Loaded calendar years → Load a year (or enter the days "
                         "under Working-day calendar, then add the year).",
                    obj=f"calendar {year}", id="office.W001")
            for year in cov.missing]
