"""In a real browser: a county leader's first login enrolls an authenticator app (QR code and
key on the page, recovery codes shown once), the next login asks for its code; no page breaks
the Content-Security-Policy; an administrator meets 403 on a business page."""

import pytest

from office import mfa, roles
from office.models import AuditEvent
from tests.browser.conftest import login, totp_code
from tests.factories import TEST_PASSWORD


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_totp_login_journey(live_server, browser, make_user):
    leader = make_user(roles.COUNTY_LEADER, username="wangjg", full_name="王建国")
    base = live_server.url
    page = browser.new_page()
    violations = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)

    page.goto(f"{base}/")
    page.get_by_label("用户名").fill("wangjg")
    page.get_by_label("密码").fill(TEST_PASSWORD)
    page.get_by_role("button", name="登录").click()
    # the role requires a second factor he does not have: enrollment before the login completes
    page.wait_for_selector("[data-testid=enroll]")
    assert "/accounts/login/enroll/" in page.url
    assert page.locator(".zb-qr svg").count() == 1
    secret = page.get_by_test_id("totp-secret").inner_text()
    device = mfa.totp_device(leader, confirmed=False)
    assert secret == mfa.secret_of(device)
    page.get_by_label("验证码").fill("000000")
    page.get_by_role("button", name="确认").click()
    page.wait_for_selector(".invalid-feedback")
    page.wait_for_timeout(1200)  # after a wrong code the device waits a second (django-otp)
    page.get_by_label("验证码").fill(totp_code(device))
    page.get_by_role("button", name="确认").click()
    page.wait_for_selector("[data-testid=recovery-codes]")
    codes = page.locator("[data-testid=recovery-codes] li").all_inner_texts()
    assert len(codes) == mfa.RECOVERY_CODES
    page.get_by_role("link", name="我已抄录").click()
    page.wait_for_selector("[data-testid=desk-title]")

    # log out; the next login asks for the app's code (the next one: a code works once)
    page.locator(".dropdown-toggle").last.click()
    page.get_by_role("button", name="退出登录").click()
    page.wait_for_url(f"{base}/accounts/login/")
    page.get_by_label("用户名").fill("wangjg")
    page.get_by_label("密码").fill(TEST_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_selector("[data-testid=verify-form]")
    page.get_by_label("验证码").fill("123456")
    page.get_by_role("button", name="验证并登录").click()
    page.wait_for_selector(".invalid-feedback")
    page.wait_for_timeout(1200)
    page.get_by_label("验证码").fill(totp_code(mfa.totp_device(leader), steps_ahead=1))
    page.get_by_role("button", name="验证并登录").click()
    page.wait_for_selector("[data-testid=desk-title]")
    logins = AuditEvent.objects.filter(action="auth.login", actor=leader).order_by("pk")
    assert [e.detail["second_factor"] for e in logins] == ["totp", "totp"]
    # the wrong code at enrollment and the wrong one at the second login
    assert AuditEvent.objects.filter(action="auth.mfa_failed", actor_name="wangjg").count() == 2
    assert violations == []
    page.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_admin_logs_in_with_a_recovery_code_and_sees_no_business_page(live_server, browser, make_user):
    admin = make_user(roles.SYSTEM_ADMIN, username="sysadm", is_staff=True)
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.create(user=admin, name="phone", confirmed=True)
    code = mfa.new_recovery_codes(admin)[0]
    base = live_server.url
    page = browser.new_page()
    violations = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("用户名").fill("sysadm")
    page.get_by_label("密码").fill(TEST_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.get_by_label("验证码").fill(code)
    page.get_by_role("button", name="验证并登录").click()
    page.wait_for_selector("[data-testid=desk-title]")
    page.goto(f"{base}/admin/office/unit/")
    assert page.locator("#result_list").count() == 1  # Django admin works under the CSP
    response = page.goto(f"{base}/supervision/")
    assert response.status == 403
    assert violations == []
    page.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_shared_login_helper_passes_the_second_factor(live_server, browser, make_user):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    leader = make_user(roles.COUNTY_LEADER, username="lihm")
    TOTPDevice.objects.create(user=leader, name="phone", confirmed=True)
    page = browser.new_page()
    login(page, live_server.url, "lihm")
    page.wait_for_selector("[data-testid=desk-title]")
    page.close()
