from django.core import mail
from django.urls import reverse

from office import notify
from office.models import Notification
from office.roles import CLERK


def test_the_same_key_is_stored_once(clerk, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        first = notify.notify(clerk, key="remind:item-1:2026-11-30", title="请办理")
        second = notify.notify(clerk, key="remind:item-1:2026-11-30", title="请办理")
    assert first is not None and second is None
    assert Notification.objects.filter(dedup_key="remind:item-1:2026-11-30").count() == 1
    assert len(callbacks) == 1  # one e-mail queued, not two


def test_email_is_queued_after_commit_and_sent_once(clerk, settings, django_capture_on_commit_callbacks):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    from config.celery import app
    app.conf.task_always_eager = True
    try:
        with django_capture_on_commit_callbacks(execute=True):
            n = notify.notify(clerk, key="k1", title="督办提醒", body="请于今日反馈", url="/x/")
            assert len(mail.outbox) == 0  # nothing leaves before the commit
        assert len(mail.outbox) == 1
        assert mail.outbox[0].subject == "督办提醒" and mail.outbox[0].to == [clerk.email]
        assert "http://127.0.0.1:8000/x/" in mail.outbox[0].body
        assert notify.deliver_email(n.pk) is False  # a second delivery sends nothing
        assert len(mail.outbox) == 1
    finally:
        app.conf.task_always_eager = False


def test_a_claim_abandoned_by_a_dead_worker_is_picked_up_again(clerk):
    from datetime import timedelta

    from django.utils import timezone

    n = notify.notify(clerk, key="k2", title="t")
    Notification.objects.filter(pk=n.pk).update(
        email_claimed_at=timezone.now() - timedelta(minutes=11),
        created_at=timezone.now() - timedelta(minutes=12))
    assert notify.pending_email_ids() == [n.pk]
    assert notify.deliver_email(n.pk) is True
    assert len(mail.outbox) == 1
    assert notify.pending_email_ids() == []


def test_a_fresh_claim_is_not_sent_by_a_second_worker(clerk):
    from django.utils import timezone

    n = notify.notify(clerk, key="k3", title="t")
    Notification.objects.filter(pk=n.pk).update(email_claimed_at=timezone.now())
    assert notify.deliver_email(n.pk) is False
    assert len(mail.outbox) == 0


def test_unread_count_in_header_and_mark_read(client, clerk, make_user):
    other = make_user()
    for i in range(3):
        notify.notify(clerk, key=f"n{i}", title=f"通知{i}", email=False)
    notify.notify(other, key="other", title="别人的", email=False)
    client.force_login(clerk)
    page = client.get("/").content.decode()
    assert 'data-testid="unread-count">3<' in page
    assert "别人的" not in page
    response = client.post(reverse("office:notifications_read"), HTTP_HX_REQUEST="true")
    assert 'data-testid="unread-count">0<' in response.content.decode()
    assert Notification.objects.filter(recipient=clerk, read_at__isnull=True).count() == 0
    assert Notification.objects.filter(recipient=other, read_at__isnull=True).count() == 1
    from office.models import AuditEvent

    event = AuditEvent.objects.get(action="notifications.mark_read")
    assert (event.actor, event.detail) == (clerk, {"count": 3})


def test_marking_someone_elses_notification_read_changes_nothing(client, clerk, make_user):
    other = make_user()
    theirs = notify.notify(other, key="theirs", title="t", email=False)
    client.force_login(clerk)
    client.post(reverse("office:notifications_read"), {"id": [theirs.pk]})
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_an_old_title_is_read_back_into_its_meaning_for_the_migration():
    from office.notify import Msg, parse_title

    msgids = ["To read: %(title)s", "Due in %(n)d working days: %(title)s"]
    assert parse_title("待阅：关于冬季供暖的通知", msgids) == Msg("To read: %(title)s", title="关于冬季供暖的通知")
    assert parse_title("还有 3 个工作日到期：落实整改", msgids) == Msg(
        "Due in %(n)d working days: %(title)s", n=3, title="落实整改")
    assert parse_title("另一种标题", msgids) is None


def test_a_message_renders_in_the_active_language_and_keeps_the_office_language_as_title(make_user):
    from django.utils import translation

    from office.notify import Msg

    user = make_user(CLERK)
    note = notify.notify(user, key="msg-1", title=Msg("To read: %(title)s", title="关于冬季供暖的通知"), email=False)
    assert note.title == "待阅：关于冬季供暖的通知"
    with translation.override("en"):
        assert note.display_title == "To read: 关于冬季供暖的通知"


def test_resolving_a_task_closes_every_notification_of_it_for_everyone(make_user):
    from office import selectors

    a, b = make_user(CLERK, username="a1"), make_user(CLERK, username="b1")
    for user in (a, b):
        notify.notify(user, key=f"task-{user.pk}", title="待拟办：某文", task="doc:1:proposing", email=False)
    notify.notify(a, key="other", title="其他", task="doc:2:proposing", email=False)
    assert notify.resolve(["doc:1:proposing"], by=b) == 2
    assert notify.resolve(["doc:1:proposing"], by=b) == 0  # idempotent
    assert selectors.unread_count(a) == 1 and selectors.unread_count(b) == 0
