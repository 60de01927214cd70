import pytest
from django.core.management import call_command
from django.db.backends.signals import connection_created
from django.test import Client

from office import mfa, roles
from tests.factories import UnitFactory, UserFactory


def _allow_test_flush(sender, connection, **kwargs):
    """Django's test flush empties every table with TRUNCATE, which the audit table refuses
    (migration office 0008) unless the session allows it: only the test runner does."""
    with connection.cursor() as cursor:
        cursor.execute("SET zhengban.allow_audit_truncate = on")


connection_created.connect(_allow_test_flush, dispatch_uid="tests_allow_audit_truncate")

_force_login = Client.force_login


def _force_login_past_the_second_factor(self, user, backend=None):
    """``client.force_login`` gives a session as the full login would: verified by a second
    factor (tests of the login itself go through the real steps)."""
    _force_login(self, user, backend)
    session = self.session
    session[mfa.SESSION_KEY] = "totp:test"
    session.save()


Client.force_login = _force_login_past_the_second_factor


@pytest.fixture(autouse=True)
def _zh_hans(settings):
    settings.LANGUAGE_CODE = "zh-hans"


@pytest.fixture
def section(db):
    return UnitFactory(code="MSK", name="秘书科", short_name="秘书科", kind="section")


@pytest.fixture
def make_user(db):
    def make(*role_names, **kwargs):
        return UserFactory(roles=list(role_names), **kwargs)
    return make


@pytest.fixture
def clerk(make_user):
    return make_user(roles.CLERK, username="clerk1", full_name="郑晓兰")


@pytest.fixture
def demo_office(db, settings, office_signing):
    settings.DEBUG = True
    call_command("load_demo", verbosity=0)
    settings.DEBUG = False


@pytest.fixture(autouse=True)
def _pdf_missing_glyph_fails(settings):
    """A PDF that would print a character no bundled font draws fails the test (office.pdf)."""
    settings.PDF_MISSING_GLYPH = "raise"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


SEED_MIGRATIONS = [
    ("office.migrations.0003_calendar_2026", "seed"),
    ("office.migrations.0006_calendar_years", "seed"),
    ("supervision.migrations.0002_default_reminder_rules", "seed"),
    ("documents.migrations.0002_seed_types_and_limits", "seed"),
    ("documents.migrations.0005_dates_and_telegrams", "seed"),
]


@pytest.fixture(autouse=True)
def _reseed_after_flush(request):
    """Transactional tests flush every table, which also removes the rows that data migrations
    seed (calendar, reminder rules, document types). Put them back (idempotently)."""
    marker = request.node.get_closest_marker("django_db")
    if not marker or not marker.kwargs.get("transaction"):
        return
    import importlib

    from django.apps import apps as django_apps
    from django.db import connection

    from office.roles import sync_roles

    request.getfixturevalue("transactional_db")
    for module, func in SEED_MIGRATIONS:
        getattr(importlib.import_module(module), func)(django_apps, connection.schema_editor())
    sync_roles()


from tests.documents.conftest import dp, register_doc  # noqa: E402,F401  (document personas)
from tests.supervision.conftest import make_item, people  # noqa: E402,F401  (personas, shared)


@pytest.fixture
def eager_celery(settings):
    """Celery tasks queued with ``.delay`` run at once in this process, through Celery's own
    ``apply`` (as tests/test_tasks.py runs them). Combine with
    ``django_capture_on_commit_callbacks(execute=True)`` for tasks queued on commit."""
    from config.celery import app

    settings.CELERY_TASK_ALWAYS_EAGER = True
    previous = app.conf.task_always_eager, app.conf.task_eager_propagates
    app.conf.task_always_eager = app.conf.task_eager_propagates = True
    try:
        yield app
    finally:
        app.conf.task_always_eager, app.conf.task_eager_propagates = previous


@pytest.fixture(scope="session")
def signing_pair(tmp_path_factory):
    """A demo signing certificate and key for the session (issued documents are signed)."""
    from office.management.commands.make_signing_cert import make_certificate

    directory = tmp_path_factory.mktemp("signing")
    cert, key = make_certificate("某县人民政府办公室")
    (directory / "cert.pem").write_bytes(cert)
    (directory / "key.pem").write_bytes(key)
    return directory / "cert.pem", directory / "key.pem"


@pytest.fixture
def office_signing(settings, signing_pair):
    """Settings that sign issued PDFs with the session's demo certificate."""
    settings.PDF_SIGNING_CERT, settings.PDF_SIGNING_KEY = map(str, signing_pair)
    settings.PDF_SIGNING_KEY_PASSPHRASE, settings.PDF_SIGNING_CHAIN = "", ""
    return signing_pair
