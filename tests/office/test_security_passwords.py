"""Password lifecycle (等保 8.1.4.1 a) and login throttling an attacker cannot turn against the
office (8.1.4.1 b)."""

import datetime as dt

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from office import roles
from office.models import AuditEvent, PasswordHistory, User
from tests.factories import TEST_PASSWORD

# --- the password itself -----------------------------------------------------------------------

@pytest.mark.parametrize(("username", "password"), [
    ("baiyl", "baiyl2026A!"),  # the review's example (baiyl2026A with a symbol: 4 classes)
    ("baiyl", "2026BAIYL@x"),
    ("zhengxl", "Mm@zhengxl1"),
    ("caoyy", "x1!CaoYY-2026"),
])
def test_a_password_containing_the_user_name_is_refused(make_user, username, password):
    user = make_user(username=username)
    with pytest.raises(ValidationError) as exc:
        validate_password(password, user)
    assert "密码不能包含用户名。" in exc.value.messages


@pytest.mark.parametrize("password", ["Bai@yun-Long26", "Qx7!mZ2#pL"])
def test_passwords_without_the_user_name_pass(make_user, password):
    validate_password(password, make_user(username="baiyl"))


def test_the_last_five_passwords_cannot_be_reused(client, make_user, settings):
    user = make_user(username="wuj")
    passwords = [f"Mima@{n}xyz" for n in range(1, 7)]
    for p in passwords:
        user.set_password(p)
        user.save()
    assert PasswordHistory.objects.filter(user=user).count() == 6
    client.force_login(user)
    for reused in passwords[-5:]:  # the current one and the four before it
        response = client.post(reverse("password_change"), {
            "old_password": passwords[-1], "new_password1": reused, "new_password2": reused})
        assert response.status_code == 200, reused
        assert "最近 5 次" in response.content.decode()
    # the sixth-last is allowed again
    response = client.post(reverse("password_change"), {
        "old_password": passwords[-1], "new_password1": passwords[0], "new_password2": passwords[0]})
    assert response.status_code == 302
    settings.PASSWORD_HISTORY_COUNT = 0
    validate_password(passwords[0], User.objects.get(pk=user.pk))  # off: reuse allowed


def test_expiry_is_off_by_default_and_sends_to_the_password_page_when_on(client, clerk, settings):
    User.objects.filter(pk=clerk.pk).update(password_changed_at=timezone.now() - dt.timedelta(days=400))
    client.force_login(clerk)
    assert settings.PASSWORD_MAX_AGE_DAYS == 0
    assert client.get("/").status_code == 200
    settings.PASSWORD_MAX_AGE_DAYS = 90
    response = client.get("/")
    assert response.status_code == 302 and response["Location"] == reverse("password_change")
    assert "已过期" in client.get(reverse("password_change")).content.decode()
    User.objects.filter(pk=clerk.pk).update(password_changed_at=timezone.now() - dt.timedelta(days=89))
    assert client.get("/").status_code == 200


def test_a_temporary_password_is_changed_at_the_first_login(client, make_user):
    make_user(roles.CLERK, username="newbie", must_change_password=True)
    client.post(reverse("login"), {"username": "newbie", "password": TEST_PASSWORD})
    assert client.get("/rules/")["Location"] == reverse("password_change")
    assert client.post(reverse("logout")).status_code == 302  # logging out is always possible


# --- throttling ----------------------------------------------------------------------------------

def attempt(client, username, password="wrong", address="10.0.0.9"):
    return client.post(reverse("login"), {"username": username, "password": password},
                       REMOTE_ADDR=address)


@pytest.fixture
def secadmin(make_user):
    return make_user(roles.SECURITY_ADMIN, username="secadmin", is_staff=True)


def test_anonymous_failures_elsewhere_do_not_lock_the_security_admin_out(client, secadmin, settings):
    """The review's example: five anonymous wrong passwords locked the account that unlocks
    the others."""
    for _ in range(settings.LOGIN_FAILURE_LIMIT + 2):
        attempt(client, "secadmin", address="10.6.6.6")
    assert attempt(client, "secadmin", TEST_PASSWORD, address="10.6.6.6").status_code == 403
    response = attempt(client, "secadmin", TEST_PASSWORD, address="10.1.1.5")  # at their desk
    assert response.status_code == 302 and response["Location"] == reverse("login_enroll")


def test_guesses_across_many_accounts_from_one_address_are_stopped(client, make_user, settings):
    """The review's example: 120 guesses across 30 accounts from one address were never slowed."""
    users = [make_user(roles.CLERK, username=f"staff{i:02d}") for i in range(30)]
    refused = 0
    for n in range(120):
        response = attempt(client, users[n % 30].username, address="10.6.6.6")
        refused += response.status_code == 403
    assert settings.LOGIN_ADDRESS_FAILURE_LIMIT == 20
    assert refused == 120 - settings.LOGIN_ADDRESS_FAILURE_LIMIT + 1  # from the 20th failure on
    # the address is locked for everyone, the right password included ...
    assert attempt(client, "staff00", TEST_PASSWORD, address="10.6.6.6").status_code == 403
    # ... but not for other addresses
    assert attempt(client, "staff00", TEST_PASSWORD, address="10.1.1.7").status_code == 302


def test_an_address_lock_never_keeps_the_security_admin_out(client, secadmin, make_user, settings):
    for i in range(settings.LOGIN_ADDRESS_FAILURE_LIMIT):
        attempt(client, f"nobody{i}", address="10.2.2.2")
    make_user(roles.CLERK, username="clerk9")
    assert attempt(client, "clerk9", TEST_PASSWORD, address="10.2.2.2").status_code == 403
    response = attempt(client, "secadmin", TEST_PASSWORD, address="10.2.2.2")
    assert response.status_code == 302 and response["Location"] == reverse("login_enroll")


def test_a_success_clears_only_that_accounts_failures_from_that_address(client, make_user, settings):
    make_user(roles.CLERK, username="typo")
    for _ in range(settings.LOGIN_FAILURE_LIMIT - 1):
        attempt(client, "typo", address="10.3.3.3")
    assert attempt(client, "typo", TEST_PASSWORD, address="10.3.3.3").status_code == 302
    client.logout()
    for _ in range(settings.LOGIN_FAILURE_LIMIT - 1):  # counting starts again
        attempt(client, "typo", address="10.3.3.3")
    assert attempt(client, "typo", TEST_PASSWORD, address="10.3.3.3").status_code == 302


def test_unlock_login_on_the_command_line_is_audited(client, secadmin, settings):
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        attempt(client, "secadmin", address="10.4.4.4")
    assert attempt(client, "secadmin", TEST_PASSWORD, address="10.4.4.4").status_code == 403
    call_command("unlock_login", "--user", "secadmin")
    assert attempt(client, "secadmin", TEST_PASSWORD, address="10.4.4.4").status_code == 302
    event = AuditEvent.objects.get(action="auth.unlock")
    assert event.detail["username"] == "secadmin" and event.detail["cleared"] >= 1
