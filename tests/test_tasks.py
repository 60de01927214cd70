"""The Celery tasks run through Celery's own machinery (apply: task protocol, JSON arguments);
tests/office/test_worker.py runs one in a real worker process against real Redis."""

import datetime as dt

import pytest
from django.utils import timezone

from documents.tasks import intake_sweep, store_routing_slip
from office import notify
from office.models import Notification
from office.tasks import resend_pending_email, send_notification_emails
from supervision.models import Item
from supervision.tasks import reminder_sweep


def test_the_reminder_sweep_task(people, make_item):
    item = make_item()
    Item.objects.filter(pk=item.pk).update(original_deadline=timezone.localdate() - dt.timedelta(days=20),
                                           deadline=timezone.localdate() - dt.timedelta(days=20),
                                           deliver_by=timezone.localdate() - dt.timedelta(days=20),
                                           assigned_at=timezone.now() - dt.timedelta(days=30))
    first = reminder_sweep.apply().get()
    # 20 days overdue: the responsible person, the unit head (≥3) and the leader (≥7), once each
    assert first == {"planned": 3, "sent": 3, "skipped": {}}
    assert reminder_sweep.apply().get() == {"planned": 0, "sent": 0, "skipped": {}}


def test_the_intake_sweep_task(db):
    assert intake_sweep.apply().get() == {"due_soon": 0, "at_cutoff": 0, "overdue": 0, "held": 0}


def test_the_email_tasks_send_each_notification_once(clerk, mailoutbox):
    n = notify.notify(clerk, key="task-1", title="任务测试")
    assert send_notification_emails.apply(args=[[n.pk, n.pk]]).get() == 1
    assert len(mailoutbox) == 1
    Notification.objects.filter(pk=n.pk).update(email_sent_at=None, email_claimed_at=None,
                                                created_at=timezone.now() - dt.timedelta(minutes=5))
    assert resend_pending_email.apply().get() == 1


def test_the_routing_slip_task_tolerates_a_vanished_document(db):
    assert store_routing_slip.apply(args=[999999]).get() is False


@pytest.fixture
def mailoutbox():
    from django.core import mail

    return mail.outbox
