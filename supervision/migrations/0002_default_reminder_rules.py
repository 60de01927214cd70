"""The default reminder ladder: 3 and 1 working days before, on the day, then overdue every
2 working days (yellow); escalation to the lead unit's head at 3 working days overdue (orange)
and to the instructing leader at 7 (red). Admins edit it in Django admin."""

from django.db import migrations

RULES = [
    ("提前3个工作日提醒", -3, 0, "responsible", ""),
    ("提前1个工作日提醒", -1, 0, "responsible", ""),
    ("到期当日提醒", 0, 0, "responsible", ""),
    ("逾期催办（每2个工作日）", 1, 2, "responsible", "yellow"),
    ("逾期3个工作日：报承办单位负责人", 3, 3, "unit_head", "orange"),
    ("逾期7个工作日：报交办领导", 7, 5, "leader", "red"),
]


def seed(apps, schema_editor):
    ReminderRule = apps.get_model("supervision", "ReminderRule")
    SupervisionSettings = apps.get_model("supervision", "SupervisionSettings")
    if not ReminderRule.objects.exists():
        for name, offset, repeat, recipient, level in RULES:
            ReminderRule.objects.create(name=name, offset=offset, repeat_every=repeat,
                                        recipient=recipient, level=level)
    SupervisionSettings.objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [("supervision", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
