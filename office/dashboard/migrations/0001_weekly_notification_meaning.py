"""Weekly summaries written before titles were stored by meaning get their meaning (they ask
for no action)."""

from django.db import migrations

MSGIDS = ["Weekly summary, week %(week)s of %(year)s"]


def forwards(apps, schema_editor):
    from office.notify import parse_title

    Notification = apps.get_model("office", "Notification")
    for n in Notification.objects.filter(dedup_key__startswith="dashboard.weekly:", message={}).iterator():
        msg = parse_title(n.title, MSGIDS)
        if msg is not None:
            Notification.objects.filter(pk=n.pk).update(message=msg.as_json())


class Migration(migrations.Migration):
    dependencies = [("office", "0010_desk_tasks_liaison")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
