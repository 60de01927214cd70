"""Study-session notices written before titles were stored by meaning get their meaning and
their task (``study:<session>:attend:<user>``), resolved when the person signed in or is on
leave."""

from django.db import migrations
from django.utils import timezone

MSGIDS = ["Study session %(day)s: %(topic)s"]


def forwards(apps, schema_editor):
    from office.notify import parse_title

    Notification = apps.get_model("office", "Notification")
    Attendance = apps.get_model("study", "Attendance")
    now = timezone.now()
    for n in Notification.objects.filter(dedup_key__startswith="study:", message={}).iterator():
        msg = parse_title(n.title, MSGIDS)
        parts = n.dedup_key.split(":")
        if msg is None or len(parts) != 3:
            continue
        session_id, user_id = int(parts[1]), int(parts[2])
        fields = {"message": msg.as_json(), "task": f"study:{session_id}:attend:{user_id}"}
        row = Attendance.objects.filter(session_id=session_id, user_id=user_id).first()
        if n.resolved_at is None and row is not None and (row.signed_in_at or row.leave_reason):
            fields["resolved_at"] = now
        Notification.objects.filter(pk=n.pk).update(**fields)


class Migration(migrations.Migration):
    dependencies = [("study", "0002_rules_labels"), ("office", "0010_desk_tasks_liaison")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
