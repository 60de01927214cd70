from pathlib import Path

from django.core.management.base import BaseCommand
from django.db import transaction

from office.printing import samples


class Command(BaseCommand):
    # Stored texts (notification titles, printed forms) are written in the office's language.
    leave_locale_alone = True
    help = "Write a sample of every printable document the system has into DIR (PDF/Excel)."

    def add_arguments(self, parser):
        parser.add_argument("directory")

    def handle(self, *args, directory, **options):
        out = Path(directory)
        out.mkdir(parents=True, exist_ok=True)
        for name, build in sorted(samples().items()):
            # samples build their own demo data; nothing they create is kept
            with transaction.atomic():
                filename, data = build()
                transaction.set_rollback(True)
            (out / filename).write_bytes(data)
            self.stdout.write(f"{name}: {out / filename} ({len(data)} bytes)")
