import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from office.models import AuditEvent
from tests.factories import TEST_PASSWORD


@pytest.mark.parametrize("url", ["/", "/rules/", "/notifications/", "/rules/acknowledgements/"])
def test_anonymous_users_are_sent_to_the_login_page(client, db, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={url}"


def test_login_page_speaks_chinese(client, db):
    page = client.get(reverse("login")).content.decode()
    assert "用户名" in page and "密码" in page and "登录" in page


def test_login_success_is_audited_with_the_address(client, clerk):
    response = client.post(reverse("login"), {"username": "clerk1", "password": TEST_PASSWORD},
                            REMOTE_ADDR="10.1.2.3")
    assert response.status_code == 302 and response["Location"] == "/"
    event = AuditEvent.objects.get(action="auth.login")
    assert (event.actor, event.result, event.ip_address) == (clerk, "success", "10.1.2.3")


def test_a_wrong_password_shows_a_chinese_error_and_keeps_the_user_name(client, clerk):
    response = client.post(reverse("login"), {"username": "clerk1", "password": "wrong"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "用户名或密码错误" in page
    assert 'value="clerk1"' in page
    failed = AuditEvent.objects.get(action="auth.login_failed")
    assert (failed.actor_name, failed.result) == ("clerk1", "failure")


def test_five_failures_lock_the_account_even_with_the_right_password(client, clerk, settings):
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "clerk1", "password": "wrong"})
    response = client.post(reverse("login"), {"username": "clerk1", "password": TEST_PASSWORD})
    page = response.content.decode()
    assert response.status_code == 403
    assert "已被锁定" in page and f"{settings.LOCKOUT_MINUTES} 分钟" in page
    assert "_auth_user_id" not in client.session
    # the fifth failure locks; the attempt while locked is refused and recorded too
    assert list(AuditEvent.objects.order_by("pk").values_list("action", flat=True)) == [
        "auth.login_failed"] * 4 + ["auth.locked_out", "auth.login_failed",
                                    "auth.locked_out", "auth.login_failed"]


def test_lockout_is_per_account(client, clerk, make_user, settings):
    other = make_user(username="other")
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "clerk1", "password": "wrong"})
    response = client.post(reverse("login"), {"username": other.username, "password": TEST_PASSWORD})
    assert response.status_code == 302


def test_idle_sessions_expire_after_the_configured_minutes(client, clerk, settings):
    from django.contrib.sessions.models import Session

    client.force_login(clerk)
    client.get("/")
    assert client.session.get_expiry_age() == settings.SESSION_IDLE_MINUTES * 60 == 1800
    key = client.session.session_key
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() + dt.timedelta(minutes=5))
    # a background poll (the intake board refreshing itself) does not keep the session alive
    client.get("/documents/board/", HTTP_HX_REQUEST="true", HTTP_X_ZHENGBAN_POLL="1")
    left = Session.objects.get(session_key=key).expire_date - timezone.now()
    assert left < dt.timedelta(minutes=6)
    # what the person does renews it to the full idle period
    client.get("/")
    left = Session.objects.get(session_key=key).expire_date - timezone.now()
    assert dt.timedelta(minutes=29) < left <= dt.timedelta(minutes=30)


def test_an_expired_session_is_logged_out(client, clerk):
    from django.contrib.sessions.models import Session

    client.force_login(clerk)
    client.get("/")
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() - dt.timedelta(seconds=1))
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_password_change_validates_in_chinese_and_is_audited(client, clerk):
    client.force_login(clerk)
    url = reverse("password_change")
    bad = client.post(url, {"old_password": TEST_PASSWORD, "new_password1": "abcdefgh",
                            "new_password2": "abcdefgh"})
    assert bad.status_code == 200
    assert "至少" in bad.content.decode()
    good = client.post(url, {"old_password": TEST_PASSWORD, "new_password1": "Xin@Mima2026",
                             "new_password2": "Xin@Mima2026"})
    assert good.status_code == 302
    assert AuditEvent.objects.filter(action="auth.password_change", actor=clerk).count() == 1


def test_logout_is_audited(client, clerk):
    client.force_login(clerk)
    client.post(reverse("logout"))
    assert AuditEvent.objects.filter(action="auth.logout", actor=clerk).count() == 1


def test_language_can_be_switched_from_the_login_page(client, db):
    response = client.post(reverse("office:set_language"), {"language": "en", "next": "/accounts/login/"})
    assert response.status_code == 302
    page = client.get(reverse("login")).content.decode()
    assert "User name" in page
