import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from office import roles, selectors, services
from office.models import AuditEvent, Rule, RuleAcknowledgement, RuleVersion
from tests.factories import PostFactory, UnitFactory


@pytest.fixture
def rule(db, make_user):
    author = make_user(roles.SYSTEM_ADMIN)
    rule = Rule.objects.create(code="R-ATTEND", area="discipline", kind="work_rule", title="考勤制度")
    services.revise_rule(rule=rule, acting_user=author, title="考勤制度", body="第一条 按时上班。",
                         in_force_from=timezone.localdate() - dt.timedelta(days=30))
    return rule


def test_revising_a_rule_in_force_creates_a_new_version_and_closes_the_old(rule, make_user):
    author = make_user(roles.SYSTEM_ADMIN)
    today = timezone.localdate()
    v2 = services.revise_rule(rule=rule, acting_user=author, title="考勤制度（修订）",
                              body="第一条 8:30 前到岗。")
    v1 = rule.versions.get(number=1)
    assert (v2.number, v2.in_force_from, v2.in_force_until) == (2, today, None)
    assert v1.in_force_until == today - dt.timedelta(days=1)
    assert v1.body == "第一条 按时上班。"  # the old text stays readable
    assert Rule.objects.get(pk=rule.pk).title == "考勤制度（修订）"
    assert AuditEvent.objects.filter(action="rule.revise", object_id=str(rule.pk)).count() == 2


def test_saving_unchanged_text_creates_no_version(rule, make_user):
    assert services.revise_rule(rule=rule, acting_user=make_user(), title="考勤制度",
                                body="第一条 按时上班。") is None
    assert rule.versions.count() == 1


def test_a_new_version_cannot_start_before_the_current_one(rule, make_user):
    with pytest.raises(ValidationError):
        services.revise_rule(rule=rule, acting_user=make_user(), title="x", body="y",
                             in_force_from=timezone.localdate() - dt.timedelta(days=60))
    assert rule.versions.count() == 1


def test_acknowledging_is_idempotent_and_only_for_the_version_in_force(rule, clerk, make_user):
    v1 = rule.versions.get()
    first = services.acknowledge_rule(version=v1, acting_user=clerk)
    again = services.acknowledge_rule(version=v1, acting_user=clerk)
    assert first.pk == again.pk
    services.revise_rule(rule=rule, acting_user=make_user(), title="考勤制度", body="新文本")
    with pytest.raises(PermissionDenied):
        services.acknowledge_rule(version=RuleVersion.objects.get(pk=v1.pk), acting_user=clerk)
    assert RuleAcknowledgement.objects.filter(user=clerk).count() == 1


def test_the_library_shows_the_version_in_force_and_the_ack_button(client, rule, clerk):
    client.force_login(clerk)
    page = client.get(reverse("office:rules")).content.decode()
    assert "考勤制度" in page and "v1" in page
    detail = client.get(reverse("office:rule_detail", args=[rule.pk])).content.decode()
    assert "第一条 按时上班。" in detail and 'data-testid="acknowledge"' in detail
    version = rule.versions.get()
    response = client.post(reverse("office:rule_acknowledge", args=[version.pk]))
    assert response.status_code == 302
    assert RuleAcknowledgement.objects.filter(user=clerk, version=version).exists()
    detail = client.get(reverse("office:rule_detail", args=[rule.pk])).content.decode()
    assert 'data-testid="acknowledged"' in detail


def test_old_versions_stay_readable(client, rule, clerk, make_user):
    services.revise_rule(rule=rule, acting_user=make_user(), title="考勤制度", body="第二版文本")
    client.force_login(clerk)
    old = client.get(reverse("office:rule_detail", args=[rule.pk]) + "?v=1").content.decode()
    assert "第一条 按时上班。" in old
    assert client.get(reverse("office:rule_detail", args=[rule.pk]) + "?v=9").status_code == 404


def test_section_chief_sees_who_has_not_acknowledged(client, rule, make_user):
    unit = UnitFactory(code="WDK", name="文电科")
    driver_post = PostFactory(code="P-DRIVER")
    vehicles = Rule.objects.create(code="R-VEH", area="general", kind="work_rule", title="车辆管理制度")
    vehicles.posts.add(driver_post)
    services.revise_rule(rule=vehicles, acting_user=make_user(), title="车辆管理制度", body="…",
                         in_force_from=timezone.localdate())
    chief = make_user(roles.SECTION_CHIEF, unit=unit, full_name="吴静")
    done = make_user(roles.CLERK, unit=unit, full_name="已学习")
    pending = make_user(roles.CLERK, unit=unit, full_name="未学习")
    services.acknowledge_rule(version=rule.versions.get(), acting_user=done)
    services.acknowledge_rule(version=rule.versions.get(), acting_user=chief)
    rows = selectors.unacknowledged_in_unit(unit)
    assert [(u.full_name, [r.code for r in missing]) for u, missing in rows] == [("未学习", ["R-ATTEND"])]
    assert pending not in [u for u, _ in rows if u == done]
    client.force_login(chief)
    page = client.get(reverse("office:acknowledgements")).content.decode()
    assert page.count('data-testid="unacknowledged-row"') == 1 and "未学习" in page


def test_admin_edit_of_a_rule_creates_a_version(client, rule, make_user):
    admin_user = make_user(roles.SYSTEM_ADMIN, is_staff=True)
    client.force_login(admin_user)
    response = client.post(f"/admin/office/rule/{rule.pk}/change/", {
        "code": "R-ATTEND", "area": "discipline", "kind": "work_rule", "order": 0,
        "version_title": "考勤制度", "version_body": "第一条 修订后的文本。", "version_from": "",
        "versions-TOTAL_FORMS": "1", "versions-INITIAL_FORMS": "1", "versions-MIN_NUM_FORMS": "0",
        "versions-MAX_NUM_FORMS": "1000", "versions-0-id": rule.versions.get().pk, "versions-0-rule": rule.pk,
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    assert list(rule.versions.order_by("number").values_list("number", "body")) == [
        (1, "第一条 按时上班。"), (2, "第一条 修订后的文本。")]
    assert AuditEvent.objects.filter(action="admin.change", actor=admin_user).count() == 1


@pytest.mark.parametrize("extra_rules", [0, 15])
def test_rules_library_query_count_is_fixed(client, clerk, make_user, django_assert_num_queries, extra_rules):
    author = make_user()
    for i in range(3 + extra_rules):
        r = Rule.objects.create(code=f"R{i}", area="government", kind="work_rule", title=f"制度{i}")
        r.posts.add(PostFactory())
        services.revise_rule(rule=r, acting_user=author, title=f"制度{i}", body="…",
                             in_force_from=timezone.localdate())
    client.force_login(clerk)
    client.get("/rules/")
    # session, user, rules, posts, versions, my acknowledgements, roles (nav), unread count and
    # unit (header), and the sliding-expiry session save (savepoint, update, release)
    with django_assert_num_queries(12):
        assert client.get("/rules/").status_code == 200


def test_admin_refuses_a_new_version_dated_before_the_current_one_and_changes_nothing(client, make_user):
    author = make_user(roles.SYSTEM_ADMIN, is_staff=True)
    rule = Rule.objects.create(code="R-T", area="discipline", kind="work_rule", title="旧标题")
    services.revise_rule(rule=rule, acting_user=author, title="旧标题", body="旧文本",
                         in_force_from=timezone.localdate())
    client.force_login(author)
    version = rule.versions.get()
    response = client.post(f"/admin/office/rule/{rule.pk}/change/", {
        "code": "R-T", "area": "discipline", "kind": "work_rule", "order": 0,
        "version_title": "新标题", "version_body": "新文本", "version_from": "",
        "versions-TOTAL_FORMS": "1", "versions-INITIAL_FORMS": "1", "versions-MIN_NUM_FORMS": "0",
        "versions-MAX_NUM_FORMS": "1000", "versions-0-id": version.pk, "versions-0-rule": rule.pk,
    })
    assert response.status_code == 200  # the form comes back with the error
    rule.refresh_from_db()
    assert rule.title == "旧标题" and rule.versions.count() == 1
