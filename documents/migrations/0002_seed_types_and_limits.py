"""The 15 statutory document types (条例 第八条), other kinds offices receive, the default
urgency time limits (working minutes: 特提 30, 特急 60, 加急 120, 平急 240) and the settings row."""

from django.db import migrations

STATUTORY = ["决议", "决定", "命令（令）", "公报", "公告", "通告", "意见", "通知", "通报", "报告",
             "请示", "批复", "议案", "函", "纪要"]
OTHER = ["简报", "来函", "情况反映", "会议材料", "其他"]
LIMITS = {"teti": 30, "teji": 60, "jiaji": 120, "pingji": 240}


def seed(apps, schema_editor):
    DocumentType = apps.get_model("documents", "DocumentType")
    UrgencyRule = apps.get_model("documents", "UrgencyRule")
    DocumentSettings = apps.get_model("documents", "DocumentSettings")
    for order, name in enumerate(STATUTORY):
        DocumentType.objects.get_or_create(name=name, defaults={"is_statutory": True, "order": order})
    for order, name in enumerate(OTHER):
        DocumentType.objects.get_or_create(name=name, defaults={"is_statutory": False, "order": order})
    for urgency, minutes in LIMITS.items():
        UrgencyRule.objects.get_or_create(urgency=urgency, defaults={"minutes": minutes})
    DocumentSettings.objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [("documents", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
