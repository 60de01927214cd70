"""The 2026 holidays and make-up workdays (State Council notice of 2025-11-04), and the office
settings row. Later years are added by admins in Django admin."""

import datetime as dt

from django.db import migrations

HOLIDAYS = [
    ("元旦", "2026-01-01", "2026-01-03", ["2026-01-04"]),
    ("春节", "2026-02-15", "2026-02-23", ["2026-02-14", "2026-02-28"]),
    ("清明节", "2026-04-04", "2026-04-06", []),
    ("劳动节", "2026-05-01", "2026-05-05", ["2026-05-09"]),
    ("端午节", "2026-06-19", "2026-06-21", []),
    ("中秋节", "2026-09-25", "2026-09-27", []),
    ("国庆节", "2026-10-01", "2026-10-07", ["2026-09-20", "2026-10-10"]),
]


def seed(apps, schema_editor):
    CalendarDay = apps.get_model("office", "CalendarDay")
    OfficeSettings = apps.get_model("office", "OfficeSettings")
    for name, first, last, workdays in HOLIDAYS:
        day, end = dt.date.fromisoformat(first), dt.date.fromisoformat(last)
        while day <= end:
            CalendarDay.objects.update_or_create(date=day, defaults={"kind": "holiday", "name": name})
            day += dt.timedelta(days=1)
        for w in workdays:
            CalendarDay.objects.update_or_create(
                date=dt.date.fromisoformat(w), defaults={"kind": "workday", "name": f"{name}调休"})
    OfficeSettings.objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [("office", "0002_audit_append_only")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
