"""Date bounds (issue 4, kind 1): every stored date between 2000-01-01 and 2099-12-31. Dates
accepted before (e.g. a deadline of 9999-12-31) are clamped into the range first, each with a
"recalculated" event on the item's timeline that keeps the old value."""

import datetime

from django.conf import settings
from django.db import migrations, models

CLAMP = "LEAST(GREATEST({col}, '2000-01-01'::date), '2099-12-31'::date)"
OUTSIDE = "{col} NOT BETWEEN '2000-01-01' AND '2099-12-31'"


def _clamp(cursor, table: str, item_col: str, col: str, field: str) -> None:
    cursor.execute(
        "INSERT INTO supervision_event (item_id, kind, note, data, from_status, to_status, created_at) "
        f"SELECT t.{item_col}, 'recalculated', '', jsonb_build_object('field', '{field}', "
        f"'from', t.{col}::text, 'to', ({CLAMP.format(col='t.' + col)})::text, 'reason', 'out_of_range'), "
        f"'', i.status, now() FROM {table} t JOIN supervision_item i ON i.id = t.{item_col} "
        f"WHERE {OUTSIDE.format(col='t.' + col)}")
    cursor.execute(f"UPDATE {table} SET {col} = {CLAMP.format(col=col)} WHERE {OUTSIDE.format(col=col)}")


def repair(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        for table, item_col, col, field in [
            ("supervision_item", "id", "original_deadline", "original_deadline"),
            ("supervision_item", "id", "deadline", "deadline"),
            ("supervision_milestone", "item_id", "due_on", "milestone"),
            ("supervision_extension", "item_id", "previous_deadline", "extension_from"),
            ("supervision_extension", "item_id", "new_deadline", "extension_to"),
            ("supervision_progressreport", "item_id", "progress_on", "progress_on"),
        ]:
            _clamp(cursor, table, item_col, col, field)


class Migration(migrations.Migration):

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('office', '0006_calendar_years'),
        ('supervision', '0003_attachment_type'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='item',
            name='deadline_provisional',
            field=models.BooleanField(default=False, help_text="Set while the deadline's year is not loaded in the working-day calendar.", verbose_name='deadline provisional'),
        ),
        migrations.AlterField(
            model_name='event',
            name='kind',
            field=models.CharField(choices=[('created', 'Created'), ('assigned', 'Assigned'), ('acknowledged', 'Acknowledged'), ('disputed', 'Disputed the assignment'), ('reassigned', 'Reassigned'), ('progress', 'Progress reported'), ('result', 'Result reported'), ('accepted', 'Verified and closed'), ('returned', 'Returned'), ('extension_requested', 'Extension requested'), ('extension_approved', 'Extension approved'), ('extension_refused', 'Extension refused'), ('chase', 'Chased'), ('reminder', 'Reminder sent'), ('comment', 'Comment'), ('recalculated', 'Dates recalculated')], max_length=30, verbose_name='kind'),
        ),
        migrations.RunPython(repair, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name='extension',
            constraint=models.CheckConstraint(condition=models.Q(('previous_deadline__gte', datetime.date(2000, 1, 1)), ('previous_deadline__lte', datetime.date(2099, 12, 31)), ('new_deadline__gte', datetime.date(2000, 1, 1)), ('new_deadline__lte', datetime.date(2099, 12, 31))), name='extension_deadlines_supported_range'),
        ),
        migrations.AddConstraint(
            model_name='item',
            constraint=models.CheckConstraint(condition=models.Q(('original_deadline__gte', datetime.date(2000, 1, 1)), ('original_deadline__lte', datetime.date(2099, 12, 31)), ('deadline__gte', datetime.date(2000, 1, 1)), ('deadline__lte', datetime.date(2099, 12, 31))), name='item_deadlines_supported_range'),
        ),
        migrations.AddConstraint(
            model_name='milestone',
            constraint=models.CheckConstraint(condition=models.Q(('due_on__gte', datetime.date(2000, 1, 1)), ('due_on__lte', datetime.date(2099, 12, 31))), name='milestone_due_supported_range'),
        ),
        migrations.AddConstraint(
            model_name='progressreport',
            constraint=models.CheckConstraint(condition=models.Q(('progress_on__gte', datetime.date(2000, 1, 1)), ('progress_on__lte', datetime.date(2099, 12, 31))), name='progress_date_supported_range'),
        ),
    ]
