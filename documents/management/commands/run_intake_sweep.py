import argparse
import datetime as dt
import time

from django.core.management.base import BaseCommand
from django.utils import timezone

from documents import reminders


def local_time(value: str) -> dt.datetime:
    """"YYYY-MM-DD HH:MM" (or with a T) in the office's time zone."""
    for fmt in ("%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M"):
        try:
            naive = dt.datetime.strptime(value.strip(), fmt)  # noqa: DTZ007 - local time, made aware below
            return naive.replace(tzinfo=timezone.get_current_timezone())
        except ValueError:
            continue
    raise argparse.ArgumentTypeError(f"{value!r} is not a time like 2026-11-27 16:05")


class Command(BaseCommand):
    # Stored texts (notification titles) are written in the office's language.
    leave_locale_alone = True
    help = "Run the intake-desk sweep once (what Celery beat runs every 5 minutes in office hours)."

    def add_arguments(self, parser):
        parser.add_argument("--at", type=local_time, metavar='"YYYY-MM-DD HH:MM"',
                            help="sweep as of this local time (default: now)")

    def handle(self, *args, **options):
        started = time.perf_counter()
        at = options.get("at")
        result = reminders.sweep(now=at)
        when = timezone.localtime(at or timezone.now()).strftime("%Y-%m-%d %H:%M")
        self.stdout.write(f"intake sweep as of {when}: due soon {result.due_soon}, still at the desk "
                          f"after the cutoff {result.at_cutoff}, overdue {result.overdue} "
                          f"(documents); sent {result.sent} notifications "
                          f"({time.perf_counter() - started:.2f} s)")
