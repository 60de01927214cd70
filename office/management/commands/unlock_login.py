from django.core.management.base import BaseCommand, CommandError

from office import audit


class Command(BaseCommand):
    help = ("Clear login failures (django-axes) for an account, an address, or both: the way back "
            "in for the security administrator when every other path is locked. Audited.")

    def add_arguments(self, parser):
        parser.add_argument("--user", default="", help="user name")
        parser.add_argument("--address", default="", help="client IP address")

    def handle(self, *args, **options):
        from axes.models import AccessAttempt

        user, address = options["user"].strip(), options["address"].strip()
        if not user and not address:
            raise CommandError("Give --user NAME, --address IP, or both.")
        attempts = AccessAttempt.objects.all()
        if user:
            attempts = attempts.filter(username=user)
        if address:
            attempts = attempts.filter(ip_address=address)
        count, _ = attempts.delete()
        audit.record("auth.unlock", actor_name="manage.py unlock_login",
                     detail={"username": user, "address": address, "cleared": count})
        self.stdout.write(f"cleared {count} lock record(s)")
