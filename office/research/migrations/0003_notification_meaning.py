"""Research and bulletin notifications written before titles were stored by meaning get their
meaning and task: a task's notice asks for its report (``research:<task>:report``, resolved once
the report is in), a bulletin's asks that reader to read it (``bulletin:<issue>:read:<user>``,
resolved once read). An old bulletin notice's title was the issue's name alone."""

from django.db import migrations
from django.utils import timezone

TASK_MSGIDS = ["Research task: %(topic)s, report due %(due)s"]
REPORT_MSGIDS = ["Research report: %(title)s"]
BULLETIN_MSGIDS = ["Bulletin: %(issue)s"]


def forwards(apps, schema_editor):
    from office.notify import Msg, parse_title

    Notification = apps.get_model("office", "Notification")
    Report = apps.get_model("research", "Report")
    Receipt = apps.get_model("research", "Receipt")
    now = timezone.now()
    for n in Notification.objects.filter(dedup_key__startswith="research", message={}).iterator():
        parts = n.dedup_key.split(":")
        if parts[0] == "research-report":
            msg = parse_title(n.title, REPORT_MSGIDS)
            if msg is not None:
                Notification.objects.filter(pk=n.pk).update(message=msg.as_json())
            continue
        msg = parse_title(n.title, TASK_MSGIDS)
        if msg is None or len(parts) != 3:
            continue
        fields = {"message": msg.as_json(), "task": f"research:{parts[1]}:report"}
        if n.resolved_at is None and Report.objects.filter(task_id=int(parts[1])).exists():
            fields["resolved_at"] = now
        Notification.objects.filter(pk=n.pk).update(**fields)
    for n in Notification.objects.filter(dedup_key__startswith="bulletin:", message={}).iterator():
        parts = n.dedup_key.split(":")
        if len(parts) != 3:
            continue
        msg = parse_title(n.title, BULLETIN_MSGIDS) or Msg(BULLETIN_MSGIDS[0], issue=n.title)
        fields = {"message": msg.as_json(), "task": f"bulletin:{parts[1]}:read:{parts[2]}"}
        read = Receipt.objects.filter(issue_id=int(parts[1]), user_id=int(parts[2]), read_at__isnull=False)
        if n.resolved_at is None and read.exists():
            fields["resolved_at"] = now
        Notification.objects.filter(pk=n.pk).update(**fields)


class Migration(migrations.Migration):
    dependencies = [("research", "0002_rules_labels"), ("office", "0010_desk_tasks_liaison")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
