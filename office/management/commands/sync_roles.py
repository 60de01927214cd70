from django.core.management.base import BaseCommand

from office.roles import sync_roles


class Command(BaseCommand):
    help = "Create the role groups and give each exactly the permissions of office.roles."

    def handle(self, *args, **options):
        sync_roles(verbosity=options["verbosity"])
        self.stdout.write("roles synchronised")
