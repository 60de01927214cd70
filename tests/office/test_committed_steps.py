"""Issue [4], kind 6: a step that committed never reports failure.

The rule (``office.queueing``): after the commit nothing raises into the request. With the
broker unreachable every step that notifies or queues answers with its success, stores exactly
one record, and leaves its e-mail (or routing slip) for the sweep, which sends it once the
broker is back. These tests commit for real (transactional) and point the Celery app at a
closed port, or at a server that accepts connections and never answers.
"""

import datetime as dt
import logging
import socket
import threading
import time
import uuid
from contextlib import contextmanager

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from kombu import pools

from config.celery import app
from documents import workflow as documents_workflow
from documents.models import DocumentType, IncomingDocument
from documents.tasks import store_missing_routing_slips
from office import notify, queueing, roles, services
from office.models import Notification, Rule, RuleVersion
from office.tasks import resend_pending_email
from supervision.models import Chase, Event
from tests.factories import PostFactory, UserFactory
from tests.helpers import with_token

# the steps commit for real, so that what runs after the commit runs inside the request
committed = pytest.mark.django_db(transaction=True)


# --- the broker, up, down and hanging ------------------------------------------------------

def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # nothing listens there once the socket is closed


def _repoint(url: str) -> None:
    pools.reset()  # close the pooled connections, and forget the pools of the old address
    app.conf.broker_url = url
    app._pool = None
    app.amqp._producer_pool = None


@contextmanager
def broker_at(url: str):
    previous = app.conf.broker_url
    _repoint(url)
    try:
        yield
    finally:
        _repoint(previous)
        queueing.resume()


def broker_down():
    return broker_at(f"redis://127.0.0.1:{_closed_port()}/0")


@contextmanager
def silent_broker():
    """A server that accepts connections and never answers (a hung or half-dead Redis)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(64)
    accepted = []
    stop = threading.Event()

    def accept():
        server.settimeout(0.1)
        while not stop.is_set():
            try:
                accepted.append(server.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        with broker_at(f"redis://127.0.0.1:{server.getsockname()[1]}/0"):
            yield
    finally:
        stop.set()
        thread.join()
        for conn in accepted:
            conn.close()
        server.close()


@pytest.fixture
def queue():
    """A queue of the test's own on the real broker (nothing else consumes it)."""
    name = f"test-committed-{uuid.uuid4().hex[:8]}"
    previous = app.conf.task_default_queue
    app.conf.task_default_queue = name
    queueing.resume()
    yield name
    drain(name)
    app.conf.task_default_queue = previous


def drain(queue_name: str) -> list[tuple[str, list]]:
    """Take every message off the test's queue: [(task name, args)]."""
    taken = []
    with app.connection_for_read() as conn:
        simple = conn.SimpleQueue(queue_name)
        try:
            while True:
                try:
                    message = simple.get(block=False)
                except simple.Empty:
                    break
                args, _kwargs, _embed = message.payload
                taken.append((message.headers["task"], args))
                message.ack()
        finally:
            simple.close()
    return taken


def run(messages) -> None:
    """What a worker does with the messages taken off the queue."""
    for name, args in messages:
        app.tasks[name].apply(args=args).get()


def settle(queue_name: str) -> None:
    """Deliver what the fixtures queued, so a test sees only its own step's e-mails."""
    run(drain(queue_name))
    mail.outbox.clear()


def a_minute_later() -> None:
    """The sweep leaves e-mails younger than a minute to the tasks queued for them."""
    Notification.objects.update(created_at=F("created_at") - dt.timedelta(minutes=2))


def broker_back_and_sweep(queue_name: str) -> int:
    """The broker is back: beat runs the resend sweep, which queues the pending e-mails on the
    real broker; a worker runs them. Returns how many the sweep found."""
    a_minute_later()
    found = resend_pending_email.apply().get()
    run(drain(queue_name))
    return found


def success_messages(response) -> list[str]:
    return [m.message for m in get_messages(response.wsgi_request) if m.level_tag == "success"]


def pending(**filters) -> list[Notification]:
    return list(Notification.objects.filter(send_email=True, email_sent_at__isnull=True,
                                            email_claimed_at__isnull=True, **filters))


# --- supervision steps ---------------------------------------------------------------------

SUPERVISION_STEPS = {
    # step: (actor, POST data, item assigned beforehand, event kind, who is e-mailed)
    "chase": ("officer", {"chase-text": "请于本周五前报送进展。"}, True, Event.Kind.CHASE,
              {"responsible", "head"}),
    "assign": ("officer", {}, False, Event.Kind.ASSIGNED, {"responsible", "head"}),
    "comment": ("leader", {"comment-text": "务必按期完成。"}, True, Event.Kind.COMMENT,
                {"responsible", "officer"}),
}


@committed
@pytest.mark.parametrize("step", sorted(SUPERVISION_STEPS))
def test_a_supervision_step_with_the_broker_down_succeeds_once_and_mails_after_the_sweep(
        client, people, make_item, queue, step, caplog):
    """The issue's example is the chase: it answered 500 after committing, so the user clicked
    again and a second numbered chase was stored. Now the one click succeeds."""
    actor, data, assigned, kind, mailed = SUPERVISION_STEPS[step]
    item = make_item(assign=assigned)
    settle(queue)
    client.force_login(getattr(people, actor))
    with broker_down(), caplog.at_level(logging.WARNING, logger="office.queueing"):
        response = client.post(reverse("supervision:step", args=[item.pk, step]),
                               with_token(data, getattr(people, actor)))
    assert response.status_code == 302 and response["Location"] == item.get_absolute_url()
    assert success_messages(response)
    assert item.events.filter(kind=kind).count() == 1
    if step == "chase":
        chase = Chase.objects.get(item=item)
        assert chase.number == f"督催〔{timezone.localdate().year}〕1号"
    expected = {getattr(people, p).email for p in mailed}
    assert {n.recipient.email for n in pending()} == expected
    assert mail.outbox == []
    assert "left for the sweep" in caplog.text

    assert broker_back_and_sweep(queue) == len(expected)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(expected)
    assert pending() == []
    assert broker_back_and_sweep(queue) == 0 and len(mail.outbox) == len(expected)


@committed
def test_a_silent_broker_holds_a_step_for_one_timeout_and_the_next_step_not_at_all(
        client, people, make_item, queue):
    item = make_item()
    settle(queue)
    client.force_login(people.officer)
    with silent_broker():
        started = time.monotonic()
        chase = client.post(reverse("supervision:step", args=[item.pk, "chase"]),
                            with_token({"chase-text": "第一次催办"}, people.officer))
        first = time.monotonic() - started
        started = time.monotonic()
        again = client.post(reverse("supervision:step", args=[item.pk, "chase"]),
                            with_token({"chase-text": "第二次催办"}, people.officer))
        second = time.monotonic() - started
    assert chase.status_code == again.status_code == 302
    assert Chase.objects.filter(item=item).count() == 2  # two clicks, two chases
    assert first < 6, first  # one socket timeout (2 s), not one per recipient or a hang
    assert second < 1, second  # publishing is paused after the failure
    assert len(pending()) == 4
    assert broker_back_and_sweep(queue) == 4 and len(mail.outbox) == 4


# --- documents -----------------------------------------------------------------------------

def _read_document(dp, register_doc, **kw):
    return register_doc(handling="read", sender_number="某政办发〔2026〕70号",
                        title="关于某项工作的通报", **kw)


@committed
def test_registering_submitting_and_circulating_with_the_broker_down(client, dp, queue):
    client.force_login(dp.clerk)
    registration = {"doc_type": DocumentType.objects.get(name="通知").pk, "urgency": "", "secrecy": "",
                    "copies": 1, "pages": 2, "received_at": "2026-11-27T10:00", "signed_by": dp.clerk.pk,
                    "sender_name": "市政府办"}
    with broker_down():
        # registration queues nothing, and succeeds like any other step
        response = client.post(reverse("documents:new"), with_token({
            **registration, "sender_number": "某政办发〔2026〕81号", "title": "关于断网时登记的办件",
            "handling": "action"}, dp.clerk))
        assert response.status_code == 302, response.content.decode()[:2000]
        action = IncomingDocument.objects.get(title="关于断网时登记的办件")
        client.post(reverse("documents:new"), with_token({
            **registration, "sender_number": "某政办发〔2026〕82号", "title": "关于断网时登记的阅件",
            "handling": "read"}, dp.clerk))
        read = IncomingDocument.objects.get(title="关于断网时登记的阅件")
        submitted = client.post(reverse("documents:step", args=[action.pk, "submit_for_proposal"]),
                                with_token({}, dp.clerk))
        circulated = client.post(reverse("documents:step", args=[read.pk, "circulate"]),
                                 with_token({"circulate-readers": [dp.reader.pk, dp.reader2.pk]}, dp.clerk))
    assert IncomingDocument.objects.count() == 2
    assert submitted.status_code == 302 and success_messages(submitted)
    assert circulated.status_code == 302 and success_messages(circulated)
    assert IncomingDocument.objects.get(pk=action.pk).status == "proposing"
    assert read.circulations.count() == 2
    expected = [dp.director.email, dp.reader.email, dp.reader2.email]
    assert sorted(n.recipient.email for n in pending()) == sorted(expected)
    assert mail.outbox == []
    assert broker_back_and_sweep(queue) == 3
    assert sorted(m.to[0] for m in mail.outbox) == sorted(expected)


@committed
def test_archiving_with_the_broker_down_leaves_the_routing_slip_to_its_sweep(
        client, dp, register_doc, queue, caplog):
    doc = _read_document(dp, register_doc)
    documents_workflow.circulate(document=doc, acting_user=dp.clerk, readers=[dp.reader])
    documents_workflow.read_copy(document=doc, acting_user=dp.reader, comment="已阅")
    settle(queue)
    client.force_login(dp.clerk)
    with broker_down(), caplog.at_level(logging.WARNING, logger="office.queueing"):
        response = client.post(reverse("documents:step", args=[doc.pk, "archive"]), with_token({}, dp.clerk))
    assert response.status_code == 302 and success_messages(response)
    doc.refresh_from_db()
    assert doc.status == "archived" and not doc.routing_slip
    assert "documents.tasks.store_routing_slip" in caplog.text
    # the broker is back; the slip sweep leaves a just-archived document to its queued task …
    assert store_missing_routing_slips.apply().get() == 0
    IncomingDocument.objects.filter(pk=doc.pk).update(archived_at=F("archived_at") - dt.timedelta(minutes=5))
    # … and renders the ones whose task never came
    assert store_missing_routing_slips.apply().get() == 1
    doc.refresh_from_db()
    assert "收文处理笺" in doc.routing_slip.name
    assert doc.routing_slip.read().startswith(b"%PDF")
    assert store_missing_routing_slips.apply().get() == 0

    # with the broker up, archiving queues the slip's task on the real broker
    other = register_doc(handling="read", sender_number="某政办发〔2026〕71号", title="另一份通报")
    documents_workflow.circulate(document=other, acting_user=dp.clerk, readers=[dp.reader])
    documents_workflow.read_copy(document=other, acting_user=dp.reader)
    settle(queue)
    assert client.post(reverse("documents:step", args=[other.pk, "archive"]),
                       with_token({}, dp.clerk)).status_code == 302
    queued = drain(queue)
    assert queued == [("documents.tasks.store_routing_slip", [other.pk])]
    run(queued)
    assert IncomingDocument.objects.get(pk=other.pk).routing_slip


# --- the office: a rule's new version --------------------------------------------------------

@committed
def test_a_new_rule_version_saved_with_the_broker_down_notifies_after_the_sweep(client, make_user, queue):
    post = PostFactory()
    bound = [UserFactory(post=post) for _ in range(3)]
    UserFactory()  # holds another post: not bound
    admin_user = make_user(roles.SYSTEM_ADMIN, is_staff=True)
    rule = Rule.objects.create(code="R-SEAL", area="discipline", kind="work_rule", title="印章管理制度")
    rule.posts.add(post)
    services.revise_rule(rule=rule, acting_user=admin_user, title="印章管理制度", body="第一条 用印登记。",
                         in_force_from=timezone.localdate() - dt.timedelta(days=10))
    settle(queue)
    client.force_login(admin_user)
    with broker_down():
        response = client.post(f"/admin/office/rule/{rule.pk}/change/", {
            "code": "R-SEAL", "area": "discipline", "kind": "work_rule", "order": 0, "posts": [post.pk],
            "version_title": "印章管理制度", "version_body": "第一条 用印须经批准并登记。", "version_from": "",
            "versions-TOTAL_FORMS": "1", "versions-INITIAL_FORMS": "1", "versions-MIN_NUM_FORMS": "0",
            "versions-MAX_NUM_FORMS": "1000", "versions-0-id": rule.versions.get().pk,
            "versions-0-rule": rule.pk})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert RuleVersion.objects.filter(rule=rule).count() == 2
    assert {n.recipient for n in pending()} == set(bound)
    assert broker_back_and_sweep(queue) == 3
    assert sorted(m.to[0] for m in mail.outbox) == sorted(u.email for u in bound)


# --- the mechanism ---------------------------------------------------------------------------

class _Exploding:
    name = "tests.exploding"

    def __init__(self, error):
        self.error, self.calls = error, 0

    def apply_async(self, args=(), kwargs=None):
        self.calls += 1
        raise self.error


def test_publish_swallows_a_broker_error_pauses_and_resumes(caplog):
    from kombu.exceptions import OperationalError

    queueing.resume()
    task = _Exploding(OperationalError("Error 111 connecting"))
    with caplog.at_level(logging.WARNING, logger="office.queueing"):
        assert queueing.publish(task, 1) is False
        assert queueing.paused()
        assert queueing.publish(task, 2) is False  # paused: the broker is not asked again
    assert task.calls == 1
    assert "left for the sweep" in caplog.text
    queueing.resume()
    assert not queueing.paused()
    assert queueing.publish(task, 3) is False and task.calls == 2


def test_publish_swallows_any_other_error_with_its_traceback_and_does_not_pause(caplog):
    queueing.resume()
    task = _Exploding(ValueError("not JSON serialisable"))
    with caplog.at_level(logging.ERROR, logger="office.queueing"):
        assert queueing.publish(task, object()) is False
    assert not queueing.paused()
    assert caplog.records[-1].exc_info is not None


def test_enqueue_on_commit_waits_for_the_commit_and_never_raises(db, django_capture_on_commit_callbacks):
    from django.db import transaction

    queueing.resume()
    task = _Exploding(OSError("broker gone"))
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with transaction.atomic():
            queueing.enqueue_on_commit(task, 7)
        assert task.calls == 0  # nothing leaves before the commit
    assert len(callbacks) == 1
    assert task.calls == 1  # and its failure did not raise out of the commit
    queueing.resume()


class FailingBackend(BaseEmailBackend):
    def send_messages(self, messages):
        raise OSError("SMTP server unreachable")


def test_an_email_that_fails_to_send_is_released_for_the_retry_and_the_sweep(settings, make_user):
    user = make_user()
    n = notify.notify(user, key="smtp-down", title="测试")
    settings.EMAIL_BACKEND = f"{__name__}.FailingBackend"
    with pytest.raises(OSError):
        notify.deliver_email(n.pk)
    n.refresh_from_db()
    assert n.email_claimed_at is None and n.email_sent_at is None
    a_minute_later()
    assert notify.pending_email_ids() == [n.pk]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert notify.deliver_email(n.pk) is True
    assert notify.pending_email_ids() == []


def test_the_publish_timeouts_are_short():
    options = app.conf.broker_transport_options
    assert options["socket_timeout"] <= 2 and options["socket_connect_timeout"] <= 2
    assert app.conf.task_publish_retry_policy["max_retries"] <= 1


def test_the_slip_sweep_is_scheduled(settings):
    schedule = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {"documents.tasks.store_missing_routing_slips", "office.tasks.resend_pending_email"} <= schedule

