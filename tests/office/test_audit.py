"""The audit trail is append-only for everyone, down to raw SQL of the application user."""

import pytest
from django.db import DatabaseError, connection, transaction

from office import audit, roles
from office.models import AuditEvent, Unit
from tests.factories import UnitFactory


@pytest.fixture
def event(db):
    return audit.record("test.event", actor_name="someone", detail={"k": 1})


def test_raw_sql_update_is_refused_by_the_database(event):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cur:
        cur.execute("UPDATE office_auditevent SET action = 'forged' WHERE id = %s", [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).action == "test.event"


def test_raw_sql_delete_is_refused_by_the_database(event):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cur:
        cur.execute("DELETE FROM office_auditevent")
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_orm_update_and_delete_are_refused_too(event):
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(result="failure")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.get(pk=event.pk).result == "success"


def test_admin_changes_are_audited_with_who_and_what(client, make_user):
    admin_user = make_user(roles.SYSTEM_ADMIN, is_staff=True)
    unit = UnitFactory(code="TST", name="测试科", kind="section")
    client.force_login(admin_user)
    response = client.post(f"/admin/office/unit/{unit.pk}/change/", {
        "name": "测试科（改）", "short_name": "测试科", "code": "TST", "kind": "section",
        "order": 3, "is_active": "on",
    }, REMOTE_ADDR="10.9.8.7")
    assert response.status_code == 302
    assert Unit.objects.get(pk=unit.pk).name == "测试科（改）"
    event = AuditEvent.objects.get(action="admin.change")
    assert event.actor == admin_user
    assert event.ip_address == "10.9.8.7"
    assert event.detail["model"] == "office.unit" and event.detail["object_id"] == str(unit.pk)


def test_the_audit_admin_reads_filters_and_exports(client, make_user, event):
    auditor = make_user(roles.AUDIT_ADMIN, is_staff=True)
    client.force_login(auditor)
    page = client.get("/admin/office/auditevent/?action=test.event")
    assert page.status_code == 200 and "someone" in page.content.decode()
    export = client.post("/admin/office/auditevent/", {
        "action": "export_csv", "_selected_action": [event.pk]})
    assert export.status_code == 200
    assert export["Content-Type"].startswith("text/csv")
    rows = export.content.decode("utf-8-sig").splitlines()
    assert rows[0] == "time,user,action,action_name,result,object_type,object_id,object,address,detail"
    assert "test.event" in rows[1]
    actions = set(AuditEvent.objects.filter(actor=auditor).values_list("action", flat=True))
    assert {"audit.query", "audit.export"} <= actions


def test_nobody_can_change_or_delete_events_in_admin(client, make_user, event):
    client.force_login(make_user(roles.AUDIT_ADMIN, is_staff=True))
    assert client.post(f"/admin/office/auditevent/{event.pk}/delete/", {"post": "yes"}).status_code == 403
    assert AuditEvent.objects.filter(pk=event.pk).exists()
