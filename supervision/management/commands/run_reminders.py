import datetime as dt
import time

from django.core.management.base import BaseCommand

from supervision import reminders


class Command(BaseCommand):
    # Stored texts (notification titles, printed forms) are written in the office's language.
    leave_locale_alone = True
    help = "Run the supervision reminder sweep once (what Celery beat runs every half hour)."

    def add_arguments(self, parser):
        parser.add_argument("--date", type=dt.date.fromisoformat,
                            help="sweep as of this date (default: today)")

    def handle(self, *args, **options):
        started = time.perf_counter()
        result = reminders.sweep(today=options.get("date"))
        skipped = ", ".join(f"{k} {v}" for k, v in sorted(result.skipped.items())) or "none"
        self.stdout.write(f"planned {result.planned}, sent {result.sent}, skipped: {skipped} "
                          f"({time.perf_counter() - started:.2f} s)")
