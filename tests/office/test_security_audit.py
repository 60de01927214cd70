"""The audit trail is complete and cannot be emptied; history is deactivated, never deleted."""

import pytest
from django.db import DatabaseError, connection, transaction
from django.db.models import ProtectedError
from django.urls import reverse

from documents import workflow as doc_workflow
from documents.models import IncomingDocument
from office import audit, roles
from office.management.commands.create_app_role import create_app_role
from office.models import AuditEvent, Post, Rule, Unit, User
from supervision.models import Item
from tests.factories import PostFactory, UnitFactory
from tests.helpers import with_token

# --- TRUNCATE and the application's database role ---------------------------------------------


@pytest.fixture
def event(db):
    return audit.record("test.event", actor_name="someone")


@pytest.mark.parametrize("statement", [
    "TRUNCATE office_auditevent",
    "TRUNCATE office_auditevent RESTART IDENTITY",
    "TRUNCATE office_user CASCADE",  # reaches the audit table through its foreign key
])
def test_truncate_is_refused_for_every_database_user(event, statement):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cur:
        cur.execute("SET LOCAL zhengban.allow_audit_truncate = off")  # as outside the test runner
        cur.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the test's own rows are not pending
        cur.execute(statement)
    assert AuditEvent.objects.filter(pk=event.pk).exists()


APP_ROLE = "zb_test_app_role"


def as_app_role(statement: str, params=None):
    """Run ``statement`` as the application's role (SET ROLE drops the superuser's rights)."""
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute(f"SET LOCAL ROLE {APP_ROLE}")
        cur.execute(statement, params)
        return cur.rowcount


@pytest.fixture
def app_role(event):
    """The role ``create_app_role`` makes, inside the test's transaction (rolled back with it:
    roles are cluster-wide, nothing leaks to other databases)."""
    create_app_role(APP_ROLE, "Test@App-Role-2026")
    create_app_role(APP_ROLE)  # idempotent
    with connection.cursor() as cur:
        cur.execute("SELECT rolsuper, rolcreatedb, rolcreaterole, rolcanlogin FROM pg_roles "
                    "WHERE rolname = %s", [APP_ROLE])
        assert cur.fetchone() == (False, False, False, True)
    return APP_ROLE


@pytest.mark.parametrize("statement", [
    "TRUNCATE office_auditevent",
    "DELETE FROM office_auditevent",
    "UPDATE office_auditevent SET action = 'forged'",
    "ALTER TABLE office_auditevent DISABLE TRIGGER office_auditevent_no_update_delete",
    "ALTER TABLE office_auditevent DISABLE TRIGGER ALL",
    "DROP TRIGGER office_auditevent_no_truncate ON office_auditevent",
    "DROP TABLE office_auditevent",
    "TRUNCATE office_notification",
    "CREATE TABLE office_probe (id int)",
    "INSERT INTO django_migrations (app, name, applied) VALUES ('x', 'y', now())",
])
def test_the_application_role_cannot_empty_or_unprotect_the_audit_trail(app_role, statement):
    with pytest.raises(DatabaseError, match="permission denied|must be owner"):
        as_app_role(statement)
    assert AuditEvent.objects.filter(action="test.event").count() == 1


def test_the_application_role_does_what_the_application_needs(app_role, clerk):
    assert as_app_role(
        "INSERT INTO office_auditevent (at, actor_name, action, result, object_id, object_repr, detail) "
        "VALUES (now(), 'app', 'probe', 'success', '', '', '{}')") == 1
    assert as_app_role("SELECT * FROM office_auditevent") == 2
    assert as_app_role("UPDATE office_user SET full_name = 'x' WHERE id = %s", [clerk.pk]) == 1
    assert as_app_role("INSERT INTO office_counter (key, year, value) VALUES ('probe', 2026, 1)") == 1
    assert as_app_role("DELETE FROM office_counter WHERE key = 'probe'") == 1
    assert as_app_role("DELETE FROM django_session") >= 0
    assert as_app_role("SELECT * FROM django_migrations") > 0


# --- what is recorded: table-driven ----------------------------------------------------------

def _doc_403(client, dp, register_doc):
    client.force_login(dp.reader)
    return client.get(reverse("documents:board"))


def _doc_404_hidden(client, dp, register_doc):
    doc = register_doc()
    client.force_login(dp.outsider)
    return client.get(reverse("documents:detail", args=[doc.pk]))


def _doc_404_missing(client, dp, register_doc):
    client.force_login(dp.outsider)
    return client.get(reverse("documents:detail", args=[999999]))


def _doc_view(client, dp, register_doc):
    doc = register_doc()
    client.force_login(dp.clerk)
    return client.get(reverse("documents:detail", args=[doc.pk]))


def _doc_attachment_404(client, dp, register_doc):
    from django.core.files.uploadedfile import SimpleUploadedFile

    doc = register_doc(files=[SimpleUploadedFile("a.txt", "说明".encode())])
    client.force_login(dp.outsider)
    return client.get(reverse("documents:attachment", args=[doc.attachments.get().pk]))


def _item_view(client, dp, register_doc):
    from supervision import workflow
    from supervision.models import SupervisionSettings

    conf = SupervisionSettings.load()
    conf.office_unit = dp.msk
    conf.save()
    item = workflow.create_item(acting_user=dp.reader, title="落实", requirement="落实", source_kind="document",
                                lead_unit=dp.czj, responsible=dp.handler, working_days=5)
    client.force_login(dp.reader)
    return client.get(reverse("supervision:detail", args=[item.pk]))


def _item_404(client, dp, register_doc):
    item_response = _item_view(client, dp, register_doc)
    assert item_response.status_code == 200
    client.force_login(dp.clerk)
    return client.get(reverse("supervision:detail", args=[Item.objects.get().pk]))


def _admin_change_refused(client, dp, register_doc):
    sec = User.objects.create_user("secadm", password="Sec@Adm-2026x", is_staff=True)
    sec.groups.add(*__import__("django.contrib.auth.models", fromlist=["Group"]).Group.objects.filter(
        name=roles.SECURITY_ADMIN))
    client.force_login(sec)
    return client.post(f"/admin/office/unit/{dp.msk.pk}/change/", {"name": "改名"})


def _grant_refused(client, dp, register_doc):
    from django.contrib.auth.models import Group

    sec = User.objects.create_user("secadm", password="Sec@Adm-2026x", is_staff=True)
    sec.groups.add(Group.objects.get(name=roles.SECURITY_ADMIN))
    client.force_login(sec)
    return client.post(f"/admin/office/user/{dp.reader.pk}/change/", {
        "groups": [Group.objects.get(name=roles.SECRETARY).pk, Group.objects.get(name=roles.AUDIT_ADMIN).pk],
        "is_staff": "on"})


def _csrf_refused(client, dp, register_doc):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(dp.clerk)
    return strict.post(reverse("office:notifications_read"))


def _workflow_refused(client, dp, register_doc):
    doc = register_doc(handling="action")
    client.force_login(dp.clerk)
    return client.post(reverse("documents:step", args=[doc.pk, "circulate"]),
                       with_token({"circulate-readers": [dp.reader.pk]}, dp.clerk))


AUDITED = [
    # (case, what the request does, status, action, result, checks on the event)
    ("403 page", _doc_403, 403, "access.denied", "failure",
     lambda e, dp: e.actor == dp.reader and e.detail["path"] == "/documents/board/"),
    ("404 on a hidden document", _doc_404_hidden, 404, "access.not_found", "failure",
     lambda e, dp: e.actor == dp.outsider and e.detail == {"exists": True}
     and e.object_repr.startswith("documents.incomingdocument#")),
    ("404 on a missing document", _doc_404_missing, 404, "access.not_found", "failure",
     lambda e, dp: e.object_id == "999999" and e.detail == {"exists": False}),
    ("404 on a hidden attachment", _doc_attachment_404, 404, "access.not_found", "failure",
     lambda e, dp: e.actor == dp.outsider),
    ("opening a document page", _doc_view, 200, "documents.view", "success",
     lambda e, dp: e.actor == dp.clerk and e.content_type.model == "incomingdocument"),
    ("opening an item page", _item_view, 200, "supervision.view", "success",
     lambda e, dp: e.actor == dp.reader and e.content_type.model == "item"),
    ("404 on a hidden item", _item_404, 404, "access.not_found", "failure",
     lambda e, dp: e.actor == dp.clerk and e.detail == {"exists": True}),
    ("refused admin change", _admin_change_refused, 403, "admin.denied", "failure",
     lambda e, dp: e.detail["method"] == "POST" and e.detail["path"].endswith("/change/")),
    ("refused privilege grant", _grant_refused, 200, "admin.grant_refused", "failure",
     lambda e, dp: e.object_id == str(dp.reader.pk) and roles.AUDIT_ADMIN in e.detail["roles"]),
    ("CSRF failure", _csrf_refused, 403, "access.denied", "failure",
     lambda e, dp: e.actor == dp.clerk and e.detail["method"] == "POST"),
    ("refused workflow step (crafted POST)", _workflow_refused, 409, "documents.circulate", "failure",
     lambda e, dp: e.actor == dp.clerk and "阅件" in e.detail["reason"]),
]


@pytest.mark.parametrize(("case", "request_", "status", "action", "result", "check"), AUDITED,
                         ids=[a[0] for a in AUDITED])
def test_every_refusal_and_every_view_is_recorded_with_address_and_result(
        client, dp, register_doc, case, request_, status, action, result, check):
    client.defaults["REMOTE_ADDR"] = "10.8.8.8"
    before = AuditEvent.objects.filter(action=action).count()
    response = request_(client, dp, register_doc)
    assert response.status_code == status, case
    events = AuditEvent.objects.filter(action=action).order_by("pk")
    assert events.count() == before + 1, case
    event = events.last()
    assert event.result == result and check(event, dp), case
    if "csrf" not in case.lower():
        assert event.ip_address == "10.8.8.8", case


def test_recording_a_view_costs_one_insert(client, dp, register_doc, monkeypatch):
    """Recording page views costs one INSERT per page (timed in the report: within the noise).
    Counted here, since wall-clock time on a shared machine is no stable assertion."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    doc = register_doc()
    client.force_login(dp.clerk)
    url = reverse("documents:detail", args=[doc.pk])
    client.get(url)

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return [q["sql"] for q in ctx.captured_queries]

    with_audit = queries()
    original = audit.record
    monkeypatch.setattr(audit, "record", lambda action, **kw: None if action == "documents.view"
                        else original(action, **kw))
    without = queries()
    def audit_inserts(sqls):
        return sum(1 for q in sqls if q.startswith('INSERT INTO "office_auditevent"'))

    assert len(with_audit) == len(without) + 1
    assert (audit_inserts(with_audit), audit_inserts(without)) == (1, 0)


# --- deactivate, never delete --------------------------------------------------------------------

def test_a_unit_that_is_a_co_unit_cannot_be_deleted(dp, register_doc):
    """The review's example: deleting a unit silently removed it as co-unit."""
    import datetime as dt

    from django.utils import timezone

    swj = UnitFactory(code="SWJ", name="某县商务局", kind=Unit.Kind.DEPARTMENT)  # no staff of its own
    doc = register_doc()
    doc_workflow.submit_for_proposal(document=doc, acting_user=dp.clerk)
    doc_workflow.assign_handling(document=doc, acting_user=dp.director, lead_unit=dp.czj, handler=dp.handler,
                                 co_units=[swj], deadline=timezone.localdate() + dt.timedelta(days=3))
    with pytest.raises(ProtectedError, match="停用"), transaction.atomic():
        Unit.objects.filter(pk=swj.pk).delete()
    assert list(IncomingDocument.objects.get(pk=doc.pk).co_units.all()) == [swj]


@pytest.mark.parametrize("path", ["unit", "user", "post", "group"])
def test_admin_offers_no_delete_for_what_has_history(client, make_user, dp, register_doc, path):
    from django.contrib.auth.models import Group

    register_doc()
    root = User.objects.create_superuser("root", "root@example.gov", "Root@Passw0rd2026")
    post = PostFactory(code="P-X", unit=dp.msk)
    dp.reader.post = post
    dp.reader.save(update_fields=["post"])
    obj = {"unit": dp.szfb, "user": dp.clerk, "post": post,
           "group": Group.objects.get(name=roles.CLERK)}[path]
    model = {"unit": "office/unit", "user": "office/user", "post": "office/post", "group": "auth/group"}[path]
    client.force_login(root)
    response = client.post(f"/admin/{model}/{obj.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert type(obj).objects.filter(pk=obj.pk).exists()
    changelist = client.get(f"/admin/{model}/").content.decode()
    assert 'value="delete_selected"' not in changelist


def test_something_without_history_can_still_be_deleted(client, db):
    root = User.objects.create_superuser("root", "root@example.gov", "Root@Passw0rd2026")
    unit = UnitFactory(code="OOPS", name="误建单位")
    client.force_login(root)
    assert client.post(f"/admin/office/unit/{unit.pk}/delete/", {"post": "yes"}).status_code == 302
    assert not Unit.objects.filter(pk=unit.pk).exists()


def test_deleting_a_rules_only_binding_post_is_refused(db):
    """Deleting it would have made the rule bind everyone ("none means everyone")."""
    post = PostFactory(code="P-DRIVER")
    rule = Rule.objects.create(code="R-VEH", area="general", kind="work_rule", title="车辆管理制度")
    rule.posts.add(post)
    with pytest.raises(ProtectedError), transaction.atomic():
        post.delete()
    assert list(Rule.objects.get(pk=rule.pk).posts.all()) == [post]
    assert Post.objects.filter(pk=post.pk).exists()


def test_roles_are_never_deleted(db):
    from django.contrib.auth.models import Group

    with pytest.raises(ProtectedError), transaction.atomic():
        Group.objects.filter(name=roles.SECURITY_ADMIN).delete()
    assert Group.objects.filter(name=roles.SECURITY_ADMIN).exists()


def test_the_audit_trail_names_no_business_object_by_its_content(db):
    """A business object without an ``audit_repr`` (a draft, a meeting, an information item, a
    research task …) is named by its kind and id; people and units by name (8.1.4.2 d)."""
    from documents.outgoing.models import OutgoingDocument
    from meetings.models import Meeting
    from office.information.models import Item as InformationItem
    from office.research.models import Task

    assert audit.audit_label(OutgoingDocument(pk=5, title="关于调整干部的请示")) == "documents.outgoingdocument#5"
    assert audit.audit_label(Meeting(pk=12, title="研究人事任免")) == "meetings.meeting#12"
    assert audit.audit_label(InformationItem(pk=3, title="某镇发生险情")) == "information.item#3"
    assert audit.audit_label(Task(pk=4, topic="信访积案调研")) == "research.task#4"
    unit = Unit.objects.create(code="T1", name="县财政局", kind=Unit.Kind.DEPARTMENT)
    assert audit.audit_label(unit) == "县财政局"
    audit.record("test.named", obj=InformationItem(pk=3, title="某镇发生险情"))
    assert AuditEvent.objects.get(action="test.named").object_repr == "information.item#3"
