"""Create (or bring up to date) the database role the application runs as.

Run it as the owner of the tables (the role ``migrate`` runs as), after every ``migrate``:

    DATABASE_URL=postgres://owner@db/zhengban python manage.py create_app_role zhengban_app --password ...

The role gets exactly what the application needs: SELECT, INSERT, UPDATE, DELETE on the tables,
USAGE and SELECT on the sequences, and on the audit trail (``office_auditevent``) only SELECT
and INSERT; ``django_migrations`` read-only. It owns nothing, so it can neither ALTER the audit
table nor DISABLE its triggers, and it has no TRUNCATE anywhere. Default privileges give it the
same on tables a later ``migrate`` creates (run the command again anyway: it is idempotent).
The web, worker and beat processes then use ``DATABASE_URL=postgres://zhengban_app:...@db/...``.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

READ_ONLY_TABLES = ("django_migrations",)
APPEND_ONLY_TABLES = ("office_auditevent",)


def grant_statements(role: str, database: str, owner: str) -> list:
    from psycopg import sql

    r, db, o = sql.Identifier(role), sql.Identifier(database), sql.Identifier(owner)
    stmts = [
        sql.SQL("REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {}").format(r),
        sql.SQL("REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM {}").format(r),
        sql.SQL("REVOKE CREATE ON SCHEMA public FROM {}").format(r),
        sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(db, r),
        sql.SQL("GRANT USAGE ON SCHEMA public TO {}").format(r),
        sql.SQL("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {}").format(r),
        sql.SQL("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {}").format(r),
        sql.SQL("ALTER DEFAULT PRIVILEGES FOR ROLE {} IN SCHEMA public "
                "GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {}").format(o, r),
        sql.SQL("ALTER DEFAULT PRIVILEGES FOR ROLE {} IN SCHEMA public "
                "GRANT USAGE, SELECT ON SEQUENCES TO {}").format(o, r),
    ]
    for table in APPEND_ONLY_TABLES:
        stmts.append(sql.SQL("REVOKE UPDATE, DELETE ON {} FROM {}").format(sql.Identifier(table), r))
    for table in READ_ONLY_TABLES:
        stmts.append(sql.SQL("REVOKE INSERT, UPDATE, DELETE ON {} FROM {}").format(
            sql.Identifier(table), r))
    return stmts


def create_app_role(role: str, password: str | None = None) -> None:
    """Create ``role`` (LOGIN, no superuser, no CREATEDB/CREATEROLE) if missing and give it
    exactly the application's grants. Idempotent. Runs in the caller's transaction."""
    from psycopg import sql

    with connection.cursor() as cur:
        cur.execute("SELECT current_user, current_database()")
        owner, database = cur.fetchone()
        if role == owner:
            raise CommandError("The application role must not be the owner of the tables.")
        cur.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
        exists = cur.fetchone() is not None
        verb = "ALTER" if exists else "CREATE"
        stmt = sql.SQL(verb + " ROLE {} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT").format(
            sql.Identifier(role))
        if password:
            stmt = sql.SQL("{} PASSWORD {}").format(stmt, sql.Literal(password))
        cur.execute(stmt)
        for s in grant_statements(role, database, owner):
            cur.execute(s)


class Command(BaseCommand):
    help = "Create the non-owner database role the application runs as, with exactly its grants."

    def add_arguments(self, parser):
        parser.add_argument("role", help="name of the application's database role")
        parser.add_argument("--password", default=None,
                            help="its password (default: unchanged, or none for a new role)")

    def handle(self, *args, **options):
        with transaction.atomic():
            create_app_role(options["role"], options["password"])
        self.stdout.write(f"role {options['role']}: grants applied (SELECT/INSERT/UPDATE/DELETE on "
                          "the tables, SELECT/INSERT only on office_auditevent, no TRUNCATE, owns "
                          "nothing)")
