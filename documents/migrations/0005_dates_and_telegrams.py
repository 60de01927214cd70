"""Dates and telegrams (issue 4, kind 1).

- 特提 and 特急 count clock time round the clock (the duty room handles them on holidays);
- a telegram always carries a telegram urgency: telegrams registered without one become 平急
  (the least urgent telegram urgency), documents marked 平急/特提 become telegrams;
- received and due times outside 2000-2099 (e.g. 0001-01-01, which broke every page showing
  the document) are replaced by the registration time, handling deadlines are clamped to the
  range; each correction leaves a "recalculated" event with the old value on the timeline.
Then the database enforces all of it."""

import datetime

from django.conf import settings
from django.db import migrations, models

ROUND_THE_CLOCK = ["teti", "teji"]

OUT_OF_RANGE = "({col} < '2000-01-01 00:00+00' OR {col} >= '2100-01-01 00:00+00')"


def seed(apps, schema_editor):
    UrgencyRule = apps.get_model("documents", "UrgencyRule")
    UrgencyRule.objects.filter(urgency__in=ROUND_THE_CLOCK).update(round_the_clock=True)


def _events(cursor, where: str, field: str, value_sql: str, new_sql: str) -> None:
    cursor.execute(
        "INSERT INTO documents_documentevent (document_id, kind, note, data, from_status, "
        "to_status, created_at) SELECT id, 'recalculated', '', jsonb_build_object("
        f"'field', '{field}', 'from', ({value_sql})::text, 'to', ({new_sql})::text, "
        f"'reason', 'out_of_range'), '', status, now() FROM documents_incomingdocument WHERE {where}")


def repair(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("UPDATE documents_incomingdocument SET urgency = 'pingji' "
                       "WHERE is_telegram AND urgency NOT IN ('pingji', 'jiaji', 'teji', 'teti')")
        cursor.execute("UPDATE documents_incomingdocument SET is_telegram = true "
                       "WHERE NOT is_telegram AND urgency IN ('pingji', 'teti')")
        received = OUT_OF_RANGE.format(col="received_at")
        local = f"AT TIME ZONE '{settings.TIME_ZONE}'"
        _events(cursor, received, "received_at", f"received_at {local}", f"registered_at {local}")
        cursor.execute(f"UPDATE documents_incomingdocument SET received_at = registered_at WHERE {received}")
        due = OUT_OF_RANGE.format(col="due_at")
        _events(cursor, due, "due_at", f"due_at {local}", f"received_at {local}")
        cursor.execute(f"UPDATE documents_incomingdocument SET due_at = received_at WHERE {due}")
        deadline = "handling_deadline NOT BETWEEN '2000-01-01' AND '2099-12-31'"
        clamped = "LEAST(GREATEST(handling_deadline, '2000-01-01'::date), '2099-12-31'::date)"
        _events(cursor, deadline, "handling_deadline", "handling_deadline", clamped)
        cursor.execute(f"UPDATE documents_incomingdocument SET handling_deadline = {clamped} WHERE {deadline}")


class Migration(migrations.Migration):

    dependencies = [
        ('documents', '0004_attachment_type_and_extraction'),
        ('office', '0006_calendar_years'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='incomingdocument',
            name='due_provisional',
            field=models.BooleanField(default=False, help_text='Computed across a year the working-day calendar does not cover yet; recomputed when the year is loaded.', verbose_name='due time provisional'),
        ),
        migrations.AddField(
            model_name='incomingdocument',
            name='handling_deadline_provisional',
            field=models.BooleanField(default=False, verbose_name='handling deadline provisional'),
        ),
        migrations.AddField(
            model_name='urgencyrule',
            name='round_the_clock',
            field=models.BooleanField(default=False, help_text='Count clock minutes at any hour, on days off too (the duty room handles it); otherwise only office hours on working days count.', verbose_name='round the clock'),
        ),
        migrations.AlterField(
            model_name='documentevent',
            name='kind',
            field=models.CharField(choices=[('registered', 'Registered'), ('returned', 'Returned to the sender'), ('circulated', 'Circulated'), ('opened', 'Opened'), ('read', 'Read'), ('recalled', 'Copy recalled'), ('submitted', 'Submitted for proposal'), ('proposed', 'Handling proposed'), ('instructed', 'Instructed'), ('assigned', 'Handling assigned'), ('result', 'Result recorded'), ('replied', 'Reply recorded'), ('closed', 'Closed'), ('archived', 'Archived'), ('supervised', 'Supervision item opened'), ('reminder', 'Reminder sent'), ('recalculated', 'Dates recalculated')], max_length=20, verbose_name='kind'),
        ),
        migrations.RunPython(seed, migrations.RunPython.noop),
        migrations.RunPython(repair, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name='incomingdocument',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('is_telegram', True), ('urgency__in', ['jiaji', 'pingji', 'teji', 'teti'])), models.Q(('is_telegram', False), ('urgency__in', ['', 'jiaji', 'teji'])), _connector='OR'), name='incoming_urgency_fits_kind'),
        ),
        migrations.AddConstraint(
            model_name='incomingdocument',
            constraint=models.CheckConstraint(condition=models.Q(('due_at__gte', datetime.datetime(2000, 1, 1, 0, 0, tzinfo=datetime.timezone.utc)), ('due_at__lt', datetime.datetime(2100, 1, 1, 0, 0, tzinfo=datetime.timezone.utc)), ('received_at__gte', datetime.datetime(2000, 1, 1, 0, 0, tzinfo=datetime.timezone.utc)), ('received_at__lt', datetime.datetime(2100, 1, 1, 0, 0, tzinfo=datetime.timezone.utc))), name='incoming_times_supported_range'),
        ),
        migrations.AddConstraint(
            model_name='incomingdocument',
            constraint=models.CheckConstraint(condition=models.Q(('handling_deadline__isnull', True), models.Q(('handling_deadline__gte', datetime.date(2000, 1, 1)), ('handling_deadline__lte', datetime.date(2099, 12, 31))), _connector='OR'), name='incoming_handling_deadline_supported_range'),
        ),
    ]
