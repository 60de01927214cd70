"""The migrations that give old notifications their meaning and task reproduce exactly what the
live code writes: on the demo office, wipe the meaning, task and resolution of every notification,
run the migrations' functions, and compare."""

import importlib

from django.apps import apps
from django.db import connection

from office.models import Notification

BACKFILLS = (
    ("office.migrations.0010_desk_tasks_liaison", "rule_notifications"),
    ("documents.migrations.0009_desk_notification_meaning", "forwards"),
    ("supervision.migrations.0006_desk_notification_meaning", "forwards"),
    ("documents.migrations.0012_desk_outgoing_notification_meaning", "forwards"),
    ("meetings.migrations.0003_desk_notification_meaning", "forwards"),
    ("office.information.migrations.0003_notification_meaning", "forwards"),
    ("office.study.migrations.0003_notification_meaning", "forwards"),
    ("office.research.migrations.0003_notification_meaning", "forwards"),
    ("office.dashboard.migrations.0001_weekly_notification_meaning", "forwards"),
)


def _state():
    return {n.pk: (n.task, n.resolved_at is not None, n.message.get("msgid"), n.message.get("params"))
            for n in Notification.objects.all()}


def test_old_rows_get_the_meaning_and_task_the_live_code_gives(demo_office):
    live = _state()
    meant = [k for k, v in live.items() if v[2]]
    assert len(meant) > 100 and any(v[0] for v in live.values()) and any(v[1] for v in live.values())
    Notification.objects.update(message={}, task="", resolved_at=None, resolved_by=None)
    for module, function in BACKFILLS:
        getattr(importlib.import_module(module), function)(apps, connection.schema_editor())
    assert _state() == live
