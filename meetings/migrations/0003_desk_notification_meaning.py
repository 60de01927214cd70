"""Old meeting notifications get their meaning (a Msg rendered in the reader's language); those
that asked for an action get its task (approve the meeting, screen the topic, review or sign off
the summary), resolved when it is already done."""

import re

from django.db import migrations
from django.utils import timezone

MSGIDS = [
    '%(unit)s conveyed the decisions of %(title)s',
    'Feedback on %(title)s',
    'Late topic submitted: %(title)s',
    'Leave approved: %(title)s',
    'Leave refused, please attend: %(title)s',
    'Leave requested by %(name)s: %(title)s',
    'Meeting approved: %(title)s',
    'Meeting cancelled: %(title)s',
    'Meeting moved: %(title)s, now %(when)s',
    'Meeting notice: %(title)s',
    'Meeting planned: %(title)s',
    'Meeting ready: %(title)s',
    'Meeting returned for revision: %(title)s',
    'Minutes issued: %(number)s %(title)s',
    'Please approve the meeting: %(title)s',
    'Please attend for %(name)s: %(title)s',
    'Please review the summary of %(title)s',
    'Please sign off the summary of %(title)s',
    'Reminder: %(title)s at %(time)s',
    'Summary returned: %(title)s',
    'Topic accepted for the agenda: %(title)s',
    'Topic deferred: %(title)s',
    'Topic rejected: %(title)s',
    'Topic submitted: %(title)s',
    'You are no longer invited: %(title)s',
    'You no longer attend for %(name)s: %(title)s',
    'Your topic is on the agenda: %(title)s',
]
TASKS = {
    "Please approve the meeting: %(title)s": "approve",
    "Topic submitted: %(title)s": "screen",
    "Late topic submitted: %(title)s": "screen",
    "Please review the summary of %(title)s": "review",
    "Please sign off the summary of %(title)s": "signoff",
}
KEY = re.compile(r"^meeting:(\d+):\d+$")


def forwards(apps, schema_editor):
    from office.notify import parse_title

    Notification = apps.get_model("office", "Notification")
    Event = apps.get_model("meetings", "Event")
    Meeting = apps.get_model("meetings", "Meeting")
    Topic = apps.get_model("meetings", "Topic")
    Summary = apps.get_model("meetings", "Summary")
    now = timezone.now()
    for n in Notification.objects.filter(dedup_key__startswith="meeting", message={}).iterator():
        msg = parse_title(n.title, MSGIDS)
        if msg is None:
            continue
        n.message, task, done = msg.as_json(), "", False
        match = KEY.match(n.dedup_key)
        event = Event.objects.filter(pk=int(match[1])).first() if match else None
        kind = TASKS.get(msg.msgid)
        if kind and event is not None:
            if kind == "approve":
                task = f"meeting:{event.meeting_id}:approve"
                done = not Meeting.objects.filter(pk=event.meeting_id, status="pending_approval").exists()
            elif kind == "screen" and (event.data or {}).get("topic"):
                topic_id = event.data["topic"]
                task = f"topic:{topic_id}:screen"
                done = not Topic.objects.filter(pk=topic_id, status="submitted").exists()
            elif kind in ("review", "signoff"):
                summary = Summary.objects.filter(meeting_id=event.meeting_id).first()
                if summary is not None:
                    task = f"summary:{summary.pk}:{kind}"
                    done = summary.status != ("review" if kind == "review" else "reviewed")
        n.task = task
        n.resolved_at = now if task and done else None
        n.save(update_fields=["message", "task", "resolved_at"])


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0002_booking_no_overlap"),
        ("office", "0010_desk_tasks_liaison"),
    ]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
