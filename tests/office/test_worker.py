"""A real Celery worker, started as a process against real Redis and the test database, runs
the e-mail task that a notification queued on commit."""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.db import connection, transaction

from config.celery import app
from office import notify
from office.models import Notification
from tests.factories import UserFactory

BASE_DIR = Path(__file__).resolve().parents[2]


def database_url_of_test_db() -> str:
    s = connection.settings_dict
    if str(s["HOST"]).startswith("/"):
        return f"postgresql://{s['USER']}:@/{s['NAME']}?host={s['HOST']}"
    password = f":{s['PASSWORD']}" if s["PASSWORD"] else ""
    return f"postgresql://{s['USER']}{password}@{s['HOST']}:{s['PORT'] or 5432}/{s['NAME']}"


@pytest.mark.worker
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_task_queued_on_commit_runs_in_a_real_worker(tmp_path):
    queue = f"test-{uuid.uuid4().hex[:8]}"
    env = dict(os.environ, DATABASE_URL=database_url_of_test_db(), CELERY_QUEUE=queue,
               EMAIL_URL="consolemail://", DB_CONN_MAX_AGE="0")
    log = tmp_path / "worker.log"
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool", "solo",
         "-Q", queue, "-l", "info", "--without-heartbeat", "--without-gossip", "--without-mingle"],
        cwd=BASE_DIR, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    previous_queue = app.conf.task_default_queue
    app.conf.task_default_queue = queue
    try:
        user = UserFactory(email="worker-test@example.gov")
        with transaction.atomic():
            n = notify.notify(user, key="worker-test", title="真实队列测试")
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            n.refresh_from_db()
            if n.email_sent_at:
                break
            time.sleep(0.3)
        output = log.read_text(errors="replace")
        assert n.email_sent_at is not None, output[-3000:]
        assert "office.tasks.send_notification_email" in output
        assert "Subject: =?utf-8?b?" in output or "真实队列测试" in output
        assert Notification.objects.get(pk=n.pk).email_claimed_at is not None
    finally:
        app.conf.task_default_queue = previous_queue
        worker.terminate()
        worker.wait(timeout=20)
