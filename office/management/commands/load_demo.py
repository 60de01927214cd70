from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from office.demo import DEMO_PASSWORD, KEY_LOGINS, load_demo


class Command(BaseCommand):
    # Stored texts (notification titles, printed forms) are written in the office's language.
    leave_locale_alone = True
    help = "Load the demo office (idempotent). Refuses to run unless DEBUG is on."

    def add_arguments(self, parser):
        parser.add_argument("--print-logins", action="store_true")

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("load_demo puts known passwords into the database: it runs only "
                               "with DEBUG=true, never in production.")
        counts = load_demo()
        self.stdout.write(
            f"demo office: {counts['units']} units, {counts['posts']} posts, "
            f"{counts['people']} people ({counts['created']} new), {counts['rules']} rules"
        )
        if options["print_logins"]:
            from office import mfa
            from office.models import User
            from office.roles import role_label

            self.stdout.write(f"\nDemo logins (password for all: {DEMO_PASSWORD})")
            users = {u.username: u for u in User.objects.filter(username__in=KEY_LOGINS)
                     .select_related("unit").prefetch_related("groups")}
            for name in KEY_LOGINS:
                u = users.get(name)
                if u:
                    role = "、".join(role_label(g.name) for g in u.groups.all())
                    line = f"  {name:<12} {u.full_name:<6} {u.unit} · {role}"
                    device = mfa.totp_device(u)
                    if device is not None:
                        line += f"  [second factor: TOTP key {mfa.secret_of(device)}]"
                    self.stdout.write(line)
            self.stdout.write(
                "\nAdministrators and county leaders log in with a second factor: add the TOTP key "
                "to an authenticator app, or print the current code with\n"
                "  .venv/bin/python manage.py demo_otp USER")
