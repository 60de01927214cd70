import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from meetings import reminders


class Command(BaseCommand):
    help = "Plan and send the meeting reminders due now (what Celery beat runs every 5 minutes)."
    leave_locale_alone = True

    def add_arguments(self, parser):
        parser.add_argument("--at", help='run as of "YYYY-MM-DD HH:MM" (local time)')

    def handle(self, *args, at=None, **options):
        now = None
        if at:
            try:
                now = timezone.make_aware(dt.datetime.strptime(at, "%Y-%m-%d %H:%M"))  # noqa: DTZ007
            except ValueError:
                raise CommandError('Give --at as "YYYY-MM-DD HH:MM".') from None
        result = reminders.sweep(now=now)
        self.stdout.write(f"planned {result.planned}, sent {result.sent}, skipped {result.skipped}")
