import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Print the current second-factor code of a demo account (DEBUG only)."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, **options):
        from django_otp.oath import TOTP

        from office import mfa
        from office.models import User

        if not settings.DEBUG:
            raise CommandError("demo_otp prints login codes: it runs only with DEBUG=true.")
        user = User.objects.filter(username=options["username"]).first()
        device = mfa.totp_device(user) if user is not None else None
        if device is None:
            raise CommandError(f"{options['username']} has no authenticator (only accounts whose "
                               "role requires a second factor have one in the demo).")
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        left = device.step - int(time.time() - device.t0) % device.step
        self.stdout.write(f"{totp.token():0{device.digits}d}  (valid for {left} more seconds; "
                          "each code logs in once)")
