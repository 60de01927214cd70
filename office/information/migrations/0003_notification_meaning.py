"""Notifications written before titles were stored by meaning get their meaning; a return asks
the author for an action (``info:<item>:returned``), resolved once the item was sent again."""

from django.db import migrations
from django.utils import timezone

MSGIDS = [
    "Information returned: %(title)s",
    "Information approved: %(title)s",
    "Information sent: %(title)s",
    "Information adopted by %(outlet)s: %(title)s",
    "Adoption withdrawn: %(title)s",
]


def forwards(apps, schema_editor):
    from office.notify import parse_title

    Notification = apps.get_model("office", "Notification")
    ItemEvent = apps.get_model("information", "ItemEvent")
    now = timezone.now()
    for n in Notification.objects.filter(dedup_key__startswith="information:", message={}).iterator():
        msg = parse_title(n.title, MSGIDS)
        if msg is None:
            continue
        fields = {"message": msg.as_json()}
        if msg.msgid == MSGIDS[0]:
            event = ItemEvent.objects.filter(pk=int(n.dedup_key.split(":")[1])).first()
            if event is not None:
                fields["task"] = f"info:{event.item_id}:returned"
                sent_again = ItemEvent.objects.filter(item_id=event.item_id, action="submit", pk__gt=event.pk)
                if n.resolved_at is None and sent_again.exists():
                    fields["resolved_at"] = now
        Notification.objects.filter(pk=n.pk).update(**fields)


class Migration(migrations.Migration):
    dependencies = [("information", "0002_rules_labels"), ("office", "0010_desk_tasks_liaison")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
