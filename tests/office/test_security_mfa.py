"""The second factor (等保 8.1.4.1 d): TOTP through django-otp, recovery codes, enrollment
required by role, a reset by the security administrator, no way around it through Django
admin's login or a role given mid-session."""

import time

import pytest
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from office import mfa, roles
from office.models import AuditEvent, Notification
from tests.factories import TEST_PASSWORD


def code(device, steps_ahead=0):
    """The device's code now (or ``steps_ahead`` time steps later: a code is accepted once)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():06d}"


def enrolled(user):
    return TOTPDevice.objects.create(user=user, name="phone", confirmed=True)


def password_step(client, username, password=TEST_PASSWORD, **extra):
    return client.post(reverse("login"), {"username": username, "password": password}, **extra)


@pytest.fixture(autouse=True)
def _no_device_throttle(settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_STATIC_THROTTLE_FACTOR = 0


@pytest.mark.parametrize("role", [*roles.ADMIN_ROLES, roles.COUNTY_LEADER])
def test_a_required_role_without_a_device_must_enroll_before_the_login_completes(client, make_user, role):
    user = make_user(role, username="needs", is_staff=role in roles.ADMIN_ROLES)
    response = password_step(client, "needs")
    assert response.status_code == 302 and response["Location"] == reverse("login_enroll")
    assert "_auth_user_id" not in client.session  # not logged in yet
    assert client.get("/").status_code == 302  # still the login page
    page = client.get(reverse("login_enroll")).content.decode()
    assert "<svg" in page and 'data-testid="totp-secret"' in page
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    assert client.post(reverse("login_enroll"), {"code": "000000"}).status_code == 400
    response = client.post(reverse("login_enroll"), {"code": code(device)})
    page = response.content.decode()
    assert response.status_code == 200 and 'data-testid="recovery-codes"' in page
    assert client.session["_auth_user_id"] == str(user.pk)
    assert client.session[mfa.SESSION_KEY] == f"totp:{device.pk}"
    assert mfa.recovery_codes_left(user) == mfa.RECOVERY_CODES
    assert AuditEvent.objects.filter(action="auth.mfa_enrolled", actor=user).exists()
    assert AuditEvent.objects.get(action="auth.login").detail == {"second_factor": "totp"}


def test_an_enrolled_account_logs_in_with_its_code_once(client, make_user):
    user = make_user(roles.COUNTY_LEADER, username="leader")
    device = enrolled(user)
    response = password_step(client, "leader")
    assert response["Location"] == reverse("login_verify")
    assert "_auth_user_id" not in client.session
    now = code(device)
    response = client.post(reverse("login_verify"), {"code": now})
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get("/").status_code == 200
    client.logout()
    password_step(client, "leader")
    # the same code again is a replay: refused, and counted as a failed login
    response = client.post(reverse("login_verify"), {"code": now})
    assert response.status_code == 400 and "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action="auth.mfa_failed", actor_name="leader").count() == 1
    assert client.post(reverse("login_verify"), {"code": code(device, 1)}).status_code == 302


def test_a_business_account_without_a_device_logs_in_with_the_password(client, clerk):
    response = password_step(client, "clerk1")
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.session[mfa.SESSION_KEY] == "none"


def test_a_business_account_that_enrolled_voluntarily_needs_its_code(client, clerk):
    enrolled(clerk)
    assert password_step(client, "clerk1")["Location"] == reverse("login_verify")


def test_mfa_required_roles_are_configurable_admins_always(settings, make_user):
    settings.MFA_REQUIRED_ROLES = [roles.CLERK]
    assert mfa.required_for(make_user(roles.CLERK))
    assert not mfa.required_for(make_user(roles.COUNTY_LEADER))
    assert mfa.required_for(make_user(roles.AUDIT_ADMIN))  # not in the list, still required
    settings.MFA_REQUIRED_ROLES = []
    assert mfa.required_for(make_user(roles.SYSTEM_ADMIN))


def test_a_recovery_code_works_once(client, make_user):
    user = make_user(roles.SECURITY_ADMIN, username="secadm", is_staff=True)
    enrolled(user)
    codes = mfa.new_recovery_codes(user)
    password_step(client, "secadm")
    response = client.post(reverse("login_verify"), {"code": codes[0].upper()})
    assert response.status_code == 302
    assert mfa.recovery_codes_left(user) == mfa.RECOVERY_CODES - 1
    client.logout()
    password_step(client, "secadm")
    assert client.post(reverse("login_verify"), {"code": codes[0]}).status_code == 400


def test_wrong_codes_lock_the_account_from_that_address(client, make_user, settings):
    user = make_user(roles.COUNTY_LEADER, username="leader")
    device = enrolled(user)
    password_step(client, "leader")
    for _ in range(settings.LOGIN_FAILURE_LIMIT - 1):
        assert client.post(reverse("login_verify"), {"code": "123456"}).status_code == 400
    response = client.post(reverse("login_verify"), {"code": "123456"})
    assert response.status_code == 403 and 'data-testid="locked-out"' in response.content.decode()
    # locked: the right password and the right code get nowhere from this address
    assert password_step(client, "leader").status_code == 403
    response = client.post(reverse("login_verify"), {"code": code(device)})
    assert response["Location"] == reverse("login") and "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action="auth.locked_out").exists()


def test_a_pending_login_expires(client, make_user, monkeypatch):
    user = make_user(roles.COUNTY_LEADER, username="leader")
    device = enrolled(user)
    password_step(client, "leader")
    session = client.session
    session[mfa.PENDING_KEY] = {**session[mfa.PENDING_KEY], "at": int(time.time()) - mfa.PENDING_SECONDS - 1}
    session.save()
    response = client.post(reverse("login_verify"), {"code": code(device)})
    assert response.status_code == 302 and response["Location"] == reverse("login")
    assert "_auth_user_id" not in client.session


def test_django_admins_own_login_page_cannot_skip_the_second_factor(client, make_user):
    make_user(roles.SYSTEM_ADMIN, username="sysadm", is_staff=True)
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302 and response["Location"] == "/accounts/login/?next=%2Fadmin%2F"
    response = client.post("/admin/login/", {"username": "sysadm", "password": TEST_PASSWORD})
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/").status_code == 302


def test_a_business_account_sent_to_the_admin_login_gets_403_not_a_redirect_loop(client, clerk):
    client.force_login(clerk)
    response = client.get("/admin/", follow=True)
    assert response.status_code == 403 and len(response.redirect_chain) == 1


def test_a_role_given_mid_session_asks_for_enrollment(client, clerk):
    from django.contrib.auth.models import Group

    password_step(client, "clerk1")
    assert client.get("/").status_code == 200
    clerk.groups.set([Group.objects.get(name=roles.COUNTY_LEADER)])
    response = client.get("/")
    assert response.status_code == 302 and response["Location"] == reverse("security")
    assert client.get(reverse("security")).status_code == 200  # the enrollment form
    # with a device of their own, an unverified session is ended instead
    enrolled(clerk)
    response = client.get("/")
    assert response.status_code == 302 and response["Location"] == reverse("login")
    assert "_auth_user_id" not in client.session


def test_the_security_admin_resets_a_lost_factor_audited_and_the_owner_is_told(client, make_user):
    sec = make_user(roles.SECURITY_ADMIN, username="secadm", is_staff=True)
    leader = make_user(roles.COUNTY_LEADER, username="leader")
    enrolled(leader)
    mfa.new_recovery_codes(leader)
    other_admin = make_user(roles.AUDIT_ADMIN, username="auditor", is_staff=True)
    enrolled(other_admin)
    client.force_login(sec)
    response = client.post("/admin/office/user/", {"action": "reset_second_factor",
                                                  "_selected_action": [leader.pk, other_admin.pk, sec.pk]})
    assert response.status_code == 302
    assert not mfa.has_factor(leader) and mfa.recovery_codes_left(leader) == 0
    assert mfa.has_factor(other_admin)  # another administrator's: a superuser's duty
    ok = AuditEvent.objects.get(action="auth.mfa_reset", result="success")
    assert (ok.actor, ok.object_id) == (sec, str(leader.pk))
    assert AuditEvent.objects.filter(action="auth.mfa_reset", result="failure").count() == 2
    assert Notification.objects.get(recipient=leader, kind="security").title == "您的第二因子已被重置"
    # the next login asks the leader to enroll again
    client.logout()
    assert password_step(client, "leader")["Location"] == reverse("login_enroll")


@pytest.mark.parametrize("actor_role", [roles.SYSTEM_ADMIN, roles.AUDIT_ADMIN])
def test_other_admins_cannot_reset_a_factor(client, make_user, actor_role):
    actor = make_user(actor_role, username="adm", is_staff=True)
    leader = make_user(roles.COUNTY_LEADER, username="leader")
    enrolled(leader)
    client.force_login(actor)
    client.post("/admin/office/user/", {"action": "reset_second_factor", "_selected_action": [leader.pk]})
    assert mfa.has_factor(leader)


def test_new_recovery_codes_need_a_current_code(client, clerk):
    device = enrolled(clerk)
    old = mfa.new_recovery_codes(clerk)
    client.force_login(clerk)
    assert client.post(reverse("security"), {"code": old[0]}).status_code == 400
    response = client.post(reverse("security"), {"code": code(device)})
    assert response.status_code == 200 and 'data-testid="recovery-codes"' in response.content.decode()
    assert mfa.verify(clerk, old[1]) is None  # the old ones stopped working


def test_the_demo_enrolls_admins_and_leaders_with_printed_keys(demo_office, settings, capsys):
    from django.core.management import call_command

    from office.demo import demo_totp_key
    from office.models import User

    for name in ("sysadmin", "secadmin", "auditadmin", "wangjg"):
        device = mfa.totp_device(User.objects.get(username=name))
        assert device is not None and device.key == demo_totp_key(name)
    assert mfa.totp_device(User.objects.get(username="zhengxl")) is None
    settings.DEBUG = True
    call_command("load_demo", "--print-logins")
    out = capsys.readouterr().out
    secret = mfa.secret_of(mfa.totp_device(User.objects.get(username="secadmin")))
    assert "secadmin" in out and secret in out and "demo_otp" in out
    call_command("demo_otp", "secadmin")
    printed = capsys.readouterr().out.split()[0]
    assert printed == code(mfa.totp_device(User.objects.get(username="secadmin")))
    settings.DEBUG = False
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="DEBUG"):
        call_command("demo_otp", "secadmin")
