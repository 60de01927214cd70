"""Loaded calendar years: the calendar knows which years it covers. 2026 (seeded by 0003 from
the State Council notice of 2025-11-04) is marked loaded."""

import datetime
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def seed(apps, schema_editor):
    CalendarYear = apps.get_model("office", "CalendarYear")
    CalendarYear.objects.get_or_create(year=2026, defaults={
        "source": "seed", "note": "国务院办公厅关于2026年部分节假日安排的通知（2025-11-04）"})


class Migration(migrations.Migration):

    dependencies = [
        ('office', '0005_submission_tokens'),
    ]

    operations = [
        migrations.CreateModel(
            name='CalendarYear',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('year', models.PositiveIntegerField(unique=True, verbose_name='year')),
                ('source', models.CharField(choices=[('seed', 'Shipped with the system'), ('package', 'Holiday data package, checked against the notice'), ('manual', 'Entered by hand from the notice')], default='manual', max_length=10, verbose_name='source')),
                ('note', models.CharField(blank=True, help_text='The State Council notice it was checked against: its title or number, and the date it was issued.', max_length=200, verbose_name='notice')),
                ('loaded_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='loaded at')),
            ],
            options={
                'verbose_name': 'loaded calendar year',
                'verbose_name_plural': 'loaded calendar years',
                'ordering': ['-year'],
            },
        ),
        migrations.AddConstraint(
            model_name='calendarday',
            constraint=models.CheckConstraint(condition=models.Q(('date__gte', datetime.date(2000, 1, 1)), ('date__lte', datetime.date(2099, 12, 31))), name='calendar_day_supported_range', violation_error_message='Choose a date between 2000 and 2099.'),
        ),
        migrations.AddField(
            model_name='calendaryear',
            name='loaded_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='loaded by'),
        ),
        migrations.AddConstraint(
            model_name='calendaryear',
            constraint=models.CheckConstraint(condition=models.Q(('year__gte', 2000), ('year__lte', 2099)), name='calendar_year_supported_range', violation_error_message='Choose a year between 2000 and 2099.'),
        ),
        migrations.RunPython(seed, migrations.RunPython.noop),
    ]
