"""Administrators cannot grant themselves rights or take over each other's accounts; the audit
export cannot carry a formula; redirects stay on the site."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from office import audit, notify, roles
from office.models import AuditEvent, User


@pytest.fixture
def admins(make_user):
    return {
        "sys": make_user(roles.SYSTEM_ADMIN, username="sysadm", is_staff=True),
        "sec": make_user(roles.SECURITY_ADMIN, username="secadm", is_staff=True),
        "aud": make_user(roles.AUDIT_ADMIN, username="auditor", is_staff=True),
    }


def test_the_security_admin_cannot_change_their_own_account(client, admins):
    client.force_login(admins["sec"])
    audit_perm = Permission.objects.get(codename="view_auditevent")
    response = client.post(f"/admin/office/user/{admins['sec'].pk}/change/", {
        "user_permissions": [audit_perm.pk], "is_staff": "on"})
    assert response.status_code == 403
    assert not admins["sec"].user_permissions.exists()
    assert client.get("/admin/office/auditevent/").status_code == 403


def test_individual_grants_are_limited_to_the_grantable_permissions(client, admins, clerk):
    client.force_login(admins["sec"])
    import re

    page = client.get(f"/admin/office/user/{clerk.pk}/change/").content.decode()
    select = re.search(r'<select name="user_permissions".*?</select>', page, re.S).group(0)
    grantable = Permission.objects.filter(codename__in=["view_classified", "apply_seal"])  # 机要员, 用印
    assert sorted(re.findall(r'<option value="(\d+)"', select)) == sorted(str(p.pk) for p in grantable)


def test_an_admin_cannot_reset_another_admins_or_a_superusers_password(client, admins):
    root = User.objects.create_superuser("root", "root@example.gov", "Root@Passw0rd")
    client.force_login(admins["sys"])
    for target in (admins["aud"], root):
        response = client.post(f"/admin/office/user/{target.pk}/password/", {
            "password1": "Taken@Over2026", "password2": "Taken@Over2026"})
        assert response.status_code == 403
        target.refresh_from_db()
        assert not target.check_password("Taken@Over2026")


def test_administrator_accounts_hold_no_individual_permissions(admins):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        admins["sys"].user_permissions.add(Permission.objects.get(codename="view_classified"))


def test_a_refused_audit_query_is_recorded_as_a_failure(client, admins):
    client.force_login(admins["sec"])
    assert client.get("/admin/office/auditevent/").status_code == 403
    assert AuditEvent.objects.get(action="audit.query").result == "failure"


def test_the_audit_export_cannot_carry_a_formula(client, admins):
    event = audit.record("auth.login_failed", actor_name='=HYPERLINK("http://evil.example","x")',
                         result="failure")
    client.force_login(admins["aud"])
    export = client.post("/admin/office/auditevent/", {"action": "export_csv",
                                                       "_selected_action": [event.pk]})
    row = export.content.decode("utf-8-sig").splitlines()[1]
    assert "'=HYPERLINK" in row


@pytest.mark.parametrize("target", ["https://evil.example/phish", "//evil.example/x"])
def test_mark_read_never_redirects_off_site(client, clerk, target):
    notify.notify(clerk, key="r1", title="t", email=False)
    client.force_login(clerk)
    response = client.post(reverse("office:notifications_read"), {"next": target, "id": ["²"]})
    assert response.status_code == 302 and response["Location"] == reverse("office:notifications")


def test_safe_cell():
    from office.exports import safe_cell

    assert safe_cell("=1+1") == "'=1+1"
    assert safe_cell("@SUM(A1)") == "'@SUM(A1)"
    assert safe_cell("关于冬季\x0b安全生产") == "关于冬季安全生产"
    assert safe_cell("正常文本") == "正常文本" and safe_cell(3) == 3
