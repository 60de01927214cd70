import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from office import roles
from office.models import AuditEvent, Notification, Post, Rule, RuleVersion, Unit, User


def snapshot():
    return {
        "units": list(Unit.objects.order_by("code").values_list("code", "name", "head_id")),
        "users": list(User.objects.order_by("username").values_list("username", "password", "unit_id", "post_id")),
        "groups": list(User.groups.through.objects.order_by("user_id", "group_id").values_list("user_id", "group_id")),
        "posts": Post.objects.count(), "rules": Rule.objects.count(),
        "versions": RuleVersion.objects.count(), "audit": AuditEvent.objects.count(),
        "notifications": Notification.objects.count(),
    }


def test_the_demo_office_is_believable(demo_office):
    assert Unit.objects.filter(kind="section").count() == 6
    assert Unit.objects.filter(kind="department").count() == 20
    assert Unit.objects.filter(kind="township").count() == 10
    assert Rule.objects.filter(kind="work_rule").count() == 13
    assert Rule.objects.filter(kind="post_duty").count() >= 6
    assert Post.objects.count() == 20
    office_staff = User.objects.filter(unit__kind="section").exclude(groups__name__in=roles.ADMIN_ROLES)
    assert 25 <= office_staff.count() <= 35
    assert User.objects.filter(groups__name=roles.COUNTY_LEADER).count() == 4
    for role in roles.ROLE_LABELS:
        assert User.objects.filter(groups__name=role).exists(), role
    for u in User.objects.prefetch_related("groups"):
        roles.validate_role_names(g.name for g in u.groups.all())
    assert all(Unit.objects.filter(kind__in=["department", "township"]).values_list("head", flat=True))


def test_loading_the_demo_twice_changes_nothing(demo_office, settings):
    before = snapshot()
    settings.DEBUG = True
    call_command("load_demo", verbosity=0)
    assert snapshot() == before


def test_the_demo_refuses_to_load_without_debug(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="never in production"):
        call_command("load_demo")
    assert User.objects.count() == 0
