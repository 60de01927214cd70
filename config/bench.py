"""`make bench`: seed a large office into a separate database and measure the main pages.

    make bench BENCH_ARGS="--size 1000 --requests 200"    # the full size: 200,000 documents

Creates (or reuses) the database ``<name>_bench`` next to the configured one, migrates it,
seeds ``--size`` staff with notifications and rules acknowledgements; the workflow apps add
their own seeders, pages and operations through ``register`` and scale with ``--size`` (at
1,000: 200,000 incoming and 100,000 outgoing documents, 50,000 supervision items, 5,000
meetings). Then it runs ANALYZE (the statistics a live database keeps), compiles the message
catalogue, times the operations in-process (8 clients registering, the two sweeps, ...), starts
gunicorn with several workers, drives real HTTP requests to every page and to a bare
authenticated view (the floor of any request: session, user, middleware), and prints ONE
table: p50/p95 per page, its queries, and its p95 as a multiple of the bare view's, then the
operations. Not part of `make test`.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import logging
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Callable
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
BENCH_USER = "bench_clerk"
BENCH_PASSWORD = "Bench@2026zb"

# name -> callable(size) run inside Django against the bench database
SEEDERS: dict[str, Callable[[int], None]] = {}
# (label, path or callable() -> path evaluated after seeding, username)
BARE = ("bare authenticated view", "/calendar/deadline/", BENCH_USER)
PAGES: list[tuple[str, str, str]] = [
    BARE,
    ("desk", "/", BENCH_USER),
    ("rules library", "/rules/", BENCH_USER),
    ("notifications", "/notifications/", BENCH_USER),
]
# (label, callable() -> seconds) operations timed in-process
OPERATIONS: list[tuple[str, Callable[[int], dict]]] = []


def register(*, seeder: tuple[str, Callable] | None = None, page: tuple[str, str, str] | None = None,
             operation: tuple[str, Callable] | None = None) -> None:
    if seeder:
        SEEDERS[seeder[0]] = seeder[1]
    if page and page not in PAGES:
        PAGES.append(page)
    if operation:
        OPERATIONS.append(operation)


def bench_database_url() -> str:
    from config import embedded

    url = os.environ.get("DATABASE_URL") or embedded.start_postgres()
    parts = urllib.parse.urlsplit(url)
    name = parts.path.lstrip("/") or "zhengban"
    return urllib.parse.urlunsplit(parts._replace(path=f"/{name}_bench"))


def create_database(url: str, *, reset: bool = False) -> None:
    import psycopg

    parts = urllib.parse.urlsplit(url)
    name = parts.path.lstrip("/")
    admin_url = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as conn:
        if reset:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


def seed_office(size: int) -> None:
    """Staff in sections, notifications for everyone, the rules acknowledged by half."""
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group
    from django.utils import timezone

    from office import roles, services
    from office.models import Notification, Rule, RuleAcknowledgement, RuleVersion, Unit, User

    if User.objects.filter(username=BENCH_USER).exists():
        return
    units = [Unit.objects.create(code=f"B{i:03d}", name=f"压测科室{i}", kind="section")
             for i in range(max(1, size // 30))]
    pw = make_password(BENCH_PASSWORD)
    users = User.objects.bulk_create(
        [User(username=f"bench{i}", full_name=f"压测{i}", unit=units[i % len(units)], password=pw)
         for i in range(size)] +
        [User(username=BENCH_USER, full_name="压测文书", unit=units[0], password=pw)]
    )
    clerk_group = Group.objects.get(name=roles.CLERK)
    User.groups.through.objects.bulk_create(
        [User.groups.through(user_id=u.pk, group_id=clerk_group.pk) for u in users])
    author = users[-1]
    for i in range(40):
        rule = Rule.objects.create(code=f"BR{i}", area=["discipline", "government", "general"][i % 3],
                                   kind="work_rule", title=f"压测制度{i}")
        services.revise_rule(rule=rule, acting_user=author, title=f"压测制度{i}", body="第一条 …" * 50,
                             in_force_from=timezone.localdate())
    versions = list(RuleVersion.objects.all())
    RuleAcknowledgement.objects.bulk_create(
        [RuleAcknowledgement(version=v, user=u) for u in users[::2] for v in versions],
        batch_size=5000)
    now = timezone.now()
    Notification.objects.bulk_create(
        [Notification(recipient=u, dedup_key=f"bench:{u.pk}:{k}", title=f"压测通知{k}",
                      created_at=now, send_email=False)
         for u in users for k in range(20)], batch_size=5000)


SEEDERS["office"] = seed_office


def render_and_sign_official_document(_size: int) -> dict:
    """GB/T 9704: render and sign the 3-page sample 通知, warm (after one warm-up); a throw-away
    demo certificate when none is configured."""
    import tempfile

    from django.conf import settings

    from office import gbt9704, pdfsign
    from office.gbt9704_samples import three_page_document
    from office.management.commands.make_signing_cert import make_certificate

    configured = (settings.PDF_SIGNING_CERT, settings.PDF_SIGNING_KEY, settings.PDF_SIGNING_KEY_PASSPHRASE)
    with tempfile.TemporaryDirectory() as tmp:
        if not (settings.PDF_SIGNING_CERT and Path(settings.PDF_SIGNING_CERT).is_file()):
            cert, key = make_certificate("压测单位")
            (Path(tmp) / "cert.pem").write_bytes(cert)
            (Path(tmp) / "key.pem").write_bytes(key)
            settings.PDF_SIGNING_CERT, settings.PDF_SIGNING_KEY = f"{tmp}/cert.pem", f"{tmp}/key.pem"
            settings.PDF_SIGNING_KEY_PASSPHRASE = ""
        doc = three_page_document()
        pdfsign.sign(gbt9704.render(doc))
        timings = []
        for _ in range(5):
            started = time.perf_counter()
            pdfsign.sign(gbt9704.render(doc))
            timings.append(time.perf_counter() - started)
    settings.PDF_SIGNING_CERT, settings.PDF_SIGNING_KEY, settings.PDF_SIGNING_KEY_PASSPHRASE = configured
    return {"median_s": round(statistics.median(timings), 3), "best_s": round(min(timings), 3), "target_s": 1.0}


OPERATIONS.append(("official document render + sign (3 pages, warm)", render_and_sign_official_document))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def login(base: str, username: str) -> urllib.request.OpenerDirector:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{base}/accounts/login/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode({"username": username, "password": BENCH_PASSWORD,
                                   "csrfmiddlewaretoken": token}).encode()
    opener.open(urllib.request.Request(f"{base}/accounts/login/", data=data,
                                       headers={"Referer": f"{base}/accounts/login/"}))
    return opener


def count_queries(path: str, username: str) -> int:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from office.models import User

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(User.objects.get(username=username))
    client.get(path)
    with CaptureQueriesContext(connection) as ctx:
        client.get(path)
    return len(ctx.captured_queries)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=1000,
                        help="staff members to seed; documents and items scale with it (1000: full size)")
    parser.add_argument("--requests", type=int, default=100, help="requests per page")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--reset", action="store_true",
                        help="drop the bench database first (the seed runs once per database)")
    args = parser.parse_args()

    url = bench_database_url()
    create_database(url, reset=args.reset)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DEBUG", "true")
    logging.getLogger("pgserver").setLevel(logging.WARNING)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    import importlib

    for app in ("supervision", "documents", "meetings", "office.dashboard"):
        try:
            importlib.import_module(f"{app}.bench")
        except ModuleNotFoundError:
            pass
    t0 = time.perf_counter()
    for name, seeder in SEEDERS.items():
        started = time.perf_counter()
        seeder(args.size)
        print(f"seeded {name:<12} in {time.perf_counter() - started:6.1f} s")
    print(f"seeding took {time.perf_counter() - t0:.1f} s (size {args.size})")
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cursor:  # the statistics autovacuum keeps in a live database
        cursor.execute("ANALYZE")
    print(f"ANALYZE took {time.perf_counter() - started:.1f} s")
    call_command("compile_translations", verbosity=0)

    operations = []
    for label, op in OPERATIONS:
        result = op(args.size)
        operations.append((label, result))
        print(f"operation {label}: {result}", flush=True)

    port = free_port()
    env = dict(os.environ, DEBUG="false", SECRET_KEY="bench-only-secret-key-" + "x" * 40,
               ALLOWED_HOSTS="127.0.0.1", SECURE_SSL_REDIRECT="false", SECURE_COOKIES="false",
               SECURE_HSTS_SECONDS="0", LOG_LEVEL="WARNING")
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi", "-b", f"127.0.0.1:{port}",
         "-w", str(args.workers), "--log-level", "warning"],
        cwd=BASE_DIR, env=env, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/accounts/login/", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        sessions: dict[str, urllib.request.OpenerDirector] = {}
        rows = []
        for label, path, username in PAGES:
            path = path() if callable(path) else path
            opener = sessions.setdefault(username, login(base, username))
            for _ in range(3):  # warm the worker processes
                opener.open(base + path).read()
            times = []
            for _ in range(args.requests):
                started = time.perf_counter()
                response = opener.open(base + path)
                response.read()
                times.append((time.perf_counter() - started) * 1000)
                assert response.status == 200, (path, response.status)
            times.sort()
            p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
            rows.append((label, statistics.median(times), p95, count_queries(path, username)))
            print(f"  measured {label}", flush=True)
        bare_p95 = rows[0][2]
        print(f"\nsize {args.size}, {args.requests} requests per page, {args.workers} workers")
        print(f"{'page':<42}{'p50 ms':>9}{'p95 ms':>9}{'× bare':>8}{'queries':>9}")
        for label, p50, p95, queries in rows:
            print(f"{label:<42}{p50:9.1f}{p95:9.1f}{p95 / bare_p95:8.1f}{queries:9d}")
        print(f"\n{'operation':<58}result")
        for label, result in operations:
            print(f"{label:<58}{', '.join(f'{k} {v}' for k, v in result.items())}")
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=20)
    return 0


if __name__ == "__main__":
    # run as config.bench, not __main__, so the apps' bench modules fill the same registries
    from config.bench import main as registered_main

    sys.exit(registered_main())
