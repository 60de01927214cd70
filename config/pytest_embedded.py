"""pytest plugin (loaded with ``-p config.pytest_embedded`` before pytest-django reads settings).

When DATABASE_URL / REDIS_URL are unset, starts the embedded PostgreSQL and Redis under var/
and points the tests at them, and stops the ones it started when the run ends; on CI both
variables point at the machine's servers. Also sets
safe test defaults and compiles the translation catalogues (pure Python) when stale.
"""

import logging
import os
from pathlib import Path

from config import embedded

# pgserver logs at interpreter exit, after pytest closed its streams: keep that quiet.
logging.getLogger("pgserver").addHandler(logging.NullHandler())
logging.getLogger("pgserver").propagate = False

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production-" + "k" * 24)
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("SECURE_COOKIES", "false")
os.environ.setdefault("SECURE_HSTS_SECONDS", "0")
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API + live_server

# The servers this run starts are stopped when it ends; ones already running (`make run` on
# the same var/, an earlier run's) are left running.
_started: list = []
if not os.environ.get("DATABASE_URL"):
    if not embedded.postgres_running():
        _started.append(embedded.stop_postgres)
    os.environ["DATABASE_URL"] = embedded.start_postgres()
if not os.environ.get("REDIS_URL"):
    if not embedded.redis_running():
        _started.append(embedded.stop_redis)
    os.environ["REDIS_URL"] = embedded.start_redis()


def pytest_unconfigure(config) -> None:
    """After the session (pytest-django has dropped the test database by then)."""
    while _started:
        _started.pop()()


def _compile_catalogues() -> None:
    import polib

    for po in (Path(__file__).resolve().parent.parent).glob("*/locale/*/LC_MESSAGES/*.po"):
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            polib.pofile(str(po)).save_as_mofile(str(mo))


_compile_catalogues()
