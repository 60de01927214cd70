"""pytest plugin (loaded with ``-p config.pytest_embedded`` before pytest-django reads settings).

When DATABASE_URL / REDIS_URL are unset, starts the embedded PostgreSQL and Redis under var/
and points the tests at them; on CI both variables point at the machine's servers. Also sets
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

if not os.environ.get("DATABASE_URL"):
    os.environ["DATABASE_URL"] = embedded.start_postgres()
if not os.environ.get("REDIS_URL"):
    os.environ["REDIS_URL"] = embedded.start_redis()


def _compile_catalogues() -> None:
    import polib

    for po in (Path(__file__).resolve().parent.parent).glob("*/locale/*/LC_MESSAGES/*.po"):
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            polib.pofile(str(po)).save_as_mofile(str(mo))


_compile_catalogues()
