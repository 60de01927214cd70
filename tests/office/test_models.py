import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from office import roles
from office.models import OfficeSettings, Rule, RuleVersion, Unit
from tests.factories import UnitFactory, UserFactory


def test_unit_codes_are_unique(db):
    UnitFactory(code="MSK")
    with pytest.raises(IntegrityError), transaction.atomic():
        Unit.objects.create(code="MSK", name="另一个", kind="section")


def test_rule_versions_are_numbered_once_and_periods_are_ordered(db):
    rule = Rule.objects.create(code="R1", area="discipline", kind="work_rule", title="考勤制度")
    RuleVersion.objects.create(rule=rule, number=1, title="t", body="b", in_force_from=dt.date(2026, 1, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        RuleVersion.objects.create(rule=rule, number=1, title="t", body="b",
                                   in_force_from=dt.date(2026, 2, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        RuleVersion.objects.create(rule=rule, number=2, title="t", body="b",
                                   in_force_from=dt.date(2026, 2, 1), in_force_until=dt.date(2026, 1, 1))


def test_office_settings_is_a_single_row(db):
    assert OfficeSettings.objects.count() == 1
    with pytest.raises(IntegrityError), transaction.atomic():
        OfficeSettings.objects.create(pk=2)


def test_roles_exist_with_exactly_their_permissions(db):
    assert set(Group.objects.values_list("name", flat=True)) >= set(roles.ROLE_LABELS)
    audit_perms = set(Group.objects.get(name=roles.AUDIT_ADMIN).permissions.values_list("codename", flat=True))
    assert audit_perms == {"view_auditevent", "export_auditevent"}
    roles.sync_roles()  # idempotent
    assert set(Group.objects.get(name=roles.AUDIT_ADMIN).permissions.values_list("codename", flat=True)) == audit_perms


@pytest.mark.parametrize(("names", "code"), [
    ({roles.SYSTEM_ADMIN, roles.AUDIT_ADMIN}, "two_admin_roles"),
    ({roles.SECURITY_ADMIN, roles.CLERK}, "admin_with_business_role"),
])
def test_admin_roles_stay_separate(names, code):
    with pytest.raises(ValidationError) as exc:
        roles.validate_role_names(names)
    assert exc.value.code == code


def test_allowed_role_sets_pass():
    roles.validate_role_names({roles.SECTION_CHIEF, roles.CLERK})
    roles.validate_role_names({roles.AUDIT_ADMIN})


def test_group_membership_guard_refuses_a_second_admin_role_by_any_path(db):
    user = UserFactory(roles=[roles.SYSTEM_ADMIN])
    with pytest.raises(ValidationError), transaction.atomic():
        user.groups.add(Group.objects.get(name=roles.SECURITY_ADMIN))
    with pytest.raises(ValidationError), transaction.atomic():
        Group.objects.get(name=roles.CLERK).user_set.add(user)
    assert set(user.groups.values_list("name", flat=True)) == {roles.SYSTEM_ADMIN}
