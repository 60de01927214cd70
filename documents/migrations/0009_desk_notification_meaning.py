"""Old notifications about incoming documents get their meaning (a Msg rendered in the reader's
language) and the task they asked for; a task already done is marked resolved."""

import re

from django.db import migrations
from django.utils import timezone

TASKS = {  # msgid -> task template ({doc}, {uid})
    "To read: %(title)s": "doc:{doc}:read:{uid}",
    "To propose: %(title)s": "doc:{doc}:proposing",
    "To instruct: %(title)s": "doc:{doc}:instructing:{uid}",
    "Instructed, to assign: %(title)s": "doc:{doc}:instructed",
    "To handle: %(title)s": "doc:{doc}:handling",
    "Result recorded: %(title)s": "doc:{doc}:result",
    "Overdue at the intake desk: %(title)s": "doc:{doc}:registered",
    "Urgent, due at %(time)s: %(title)s": "doc:{doc}:registered",
    "Still at the intake desk after the cutoff: %(title)s": "doc:{doc}:registered",
}
URL = re.compile(r"^/documents/(\d+)/$")


def forwards(apps, schema_editor):
    from office.notify import parse_title

    Notification = apps.get_model("office", "Notification")
    Document = apps.get_model("documents", "IncomingDocument")
    Circulation = apps.get_model("documents", "Circulation")
    Instruction = apps.get_model("documents", "Instruction")
    now = timezone.now()
    for n in Notification.objects.filter(url__startswith="/documents/", message={}).iterator():
        match = URL.match(n.url)
        msg = parse_title(n.title, list(TASKS))
        if msg is None or match is None:
            continue
        doc_id = int(match[1])
        task = TASKS[msg.msgid].format(doc=doc_id, uid=n.recipient_id)
        doc = Document.objects.filter(pk=doc_id).only("status").first()
        done = doc is None
        if doc is not None:
            kind = task.split(":")[2]
            if kind == "read":
                done = not Circulation.objects.filter(
                    document_id=doc_id, reader_id=n.recipient_id, read_at__isnull=True,
                    recalled_at__isnull=True, lapsed_at__isnull=True).exists()
            elif kind == "instructing" and task.count(":") == 3:
                done = doc.status != "instructing" or not Instruction.objects.filter(
                    document_id=doc_id, leader_id=n.recipient_id, instructed_at__isnull=True).exists()
            else:
                done = doc.status != kind
        n.message, n.task = msg.as_json(), task
        n.resolved_at = now if done else None
        n.save(update_fields=["message", "task", "resolved_at"])


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0008_outgoing"),
        ("office", "0010_desk_tasks_liaison"),
    ]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
