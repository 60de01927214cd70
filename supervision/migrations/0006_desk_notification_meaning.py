"""Old notifications about supervision items get their meaning (a Msg rendered in the reader's
language) and, when they asked for an action, its task; a task already done is resolved."""

import re

from django.db import migrations
from django.utils import timezone

MSGIDS = {  # msgid -> task template ({item}), "" for information only
    "New supervision item: %(title)s": "sup:{item}:assigned",
    "Assignment disputed: %(title)s": "sup:{item}:disputed",
    "Result reported, please verify: %(title)s": "sup:{item}:result_reported",
    "Extension requested: %(title)s": "sup:{item}:extension",
    "Acknowledged: %(title)s": "",
    "Progress on: %(title)s": "",
    "Closed: %(title)s": "",
    "Result returned: %(title)s": "",
    "Extension approved: %(title)s": "",
    "Extension refused: %(title)s": "",
    "Chase (催办): %(title)s": "sup:{item}:owed",
    "Comment on: %(title)s": "",
    "Due in %(n)d working days: %(title)s": "sup:{item}:owed",
    "Due today: %(title)s": "sup:{item}:owed",
    "Overdue by %(n)d working days: %(title)s": "sup:{item}:owed",
}
URL = re.compile(r"^/supervision/(\d+)/$")


def forwards(apps, schema_editor):
    from office.notify import parse_title

    Notification = apps.get_model("office", "Notification")
    Item = apps.get_model("supervision", "Item")
    Extension = apps.get_model("supervision", "Extension")
    now = timezone.now()
    for n in Notification.objects.filter(url__startswith="/supervision/", message={}).iterator():
        match = URL.match(n.url)
        msg = parse_title(n.title, list(MSGIDS))
        if msg is None or match is None:
            continue
        item_id = int(match[1])
        task = MSGIDS[msg.msgid].format(item=item_id)
        done = False
        if task:
            item = Item.objects.filter(pk=item_id).only("status").first()
            kind = task.split(":")[2]
            if item is None:
                done = True
            elif kind == "owed":  # the unit's turn: assigned, acknowledged, in progress
                done = item.status not in ("assigned", "acknowledged", "in_progress")
            elif kind == "extension":
                done = not Extension.objects.filter(item_id=item_id, decision="pending").exists()
            else:
                done = item.status != kind
        n.message, n.task = msg.as_json(), task
        n.resolved_at = now if done else None
        n.save(update_fields=["message", "task", "resolved_at"])


class Migration(migrations.Migration):
    dependencies = [
        ("supervision", "0005_timeliness"),
        ("office", "0010_desk_tasks_liaison"),
    ]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
