"""Each role sees the navigation it may use, and a page outside its roles is refused."""

import re

import pytest
from django.urls import reverse

from office import roles


def nav_keys(client):
    return re.findall(r'data-nav="([a-z_]+)"', client.get("/").content.decode())


@pytest.mark.parametrize(("role", "expected"), [
    (roles.CLERK, ["desk", "rules"]),
    (roles.SECRETARY, ["desk", "rules"]),
    (roles.SECTION_CHIEF, ["desk", "rules", "acknowledgements"]),
    (roles.OFFICE_DIRECTOR, ["desk", "rules", "acknowledgements"]),
    (roles.COUNTY_LEADER, ["desk", "rules"]),
    (roles.UNIT_CONTACT, ["desk", "rules"]),
    (roles.SYSTEM_ADMIN, ["desk", "rules", "admin"]),
    (roles.SECURITY_ADMIN, ["desk", "rules", "admin"]),
    (roles.AUDIT_ADMIN, ["desk", "rules", "admin"]),
])
def test_navigation_per_role(client, make_user, role, expected):
    user = make_user(role, is_staff=role in roles.ADMIN_ROLES)
    client.force_login(user)
    keys = nav_keys(client)
    assert [k for k in keys if k in {"desk", "rules", "acknowledgements", "admin"}] == expected


@pytest.mark.parametrize("role", [roles.CLERK, roles.SECRETARY, roles.COUNTY_LEADER,
                                  roles.UNIT_CONTACT])
def test_acknowledgement_overview_is_refused_outside_chiefs(client, make_user, role):
    client.force_login(make_user(role))
    response = client.get(reverse("office:acknowledgements"))
    assert response.status_code == 403
    assert "您无权打开此页面" in response.content.decode()


@pytest.mark.parametrize(("role", "model", "status"), [
    (roles.CLERK, "auditevent", 302),          # not staff: sent to the admin login
    (roles.SYSTEM_ADMIN, "auditevent", 403),   # the audit trail is not the system admin's
    (roles.SECURITY_ADMIN, "auditevent", 403),
    (roles.AUDIT_ADMIN, "auditevent", 200),
    (roles.AUDIT_ADMIN, "rule", 403),          # rules are not the audit admin's
    (roles.SYSTEM_ADMIN, "rule", 200),
    (roles.SYSTEM_ADMIN, "calendarday", 200),
    (roles.SECURITY_ADMIN, "calendarday", 403),
])
def test_admin_pages_follow_the_separation_of_duties(client, make_user, role, model, status):
    client.force_login(make_user(role, is_staff=role in roles.ADMIN_ROLES))
    response = client.get(f"/admin/office/{model}/")
    assert response.status_code == status
