"""Old notifications about outgoing documents get their meaning (a Msg rendered in the reader's
language) and the task they asked for: the document's status after the step that notified (or,
for 会签, each co-signer's countersignature), resolved when the document has moved on."""

import re

from django.db import migrations
from django.utils import timezone

MSGIDS = [
    'Changed after sign-off, please sign again: %(title)s',
    'Document received: %(number)s %(title)s',
    'Draft returned: %(title)s',
    'Draft to review: %(title)s',
    'Numbered %(number)s: %(title)s',
    'Please sign for %(number)s',
    'Signed: %(title)s',
    'To countersign: %(title)s',
    'To sign: %(title)s',
]
KEY = re.compile(r"^out:(\d+):\d+$")


def forwards(apps, schema_editor):
    from office.notify import parse_title

    Notification = apps.get_model("office", "Notification")
    Event = apps.get_model("documents", "OutgoingEvent")
    Document = apps.get_model("documents", "OutgoingDocument")
    now = timezone.now()
    for n in Notification.objects.filter(dedup_key__startswith="out", message={}).iterator():
        msg = parse_title(n.title, MSGIDS)
        if msg is None:
            continue
        n.message, n.task, n.resolved_at = msg.as_json(), "", None
        match = KEY.match(n.dedup_key)
        event = Event.objects.filter(pk=int(match[1])).first() if match else None
        if event is not None and event.to_status:
            status = Document.objects.filter(pk=event.document_id).values_list("status", flat=True).first()
            if msg.msgid.startswith("To countersign"):
                n.task = f"out:{event.document_id}:countersign:{n.recipient_id}"
            else:
                n.task = f"out:{event.document_id}:{event.to_status}"
            if status != event.to_status:
                n.resolved_at = now
        n.save(update_fields=["message", "task", "resolved_at"])


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0011_outgoing_register_index"),
        ("office", "0010_desk_tasks_liaison"),
    ]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
