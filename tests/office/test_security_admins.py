"""三员分立 whatever path an administrator takes: no password reset outside the system
administrator's duty, no second admin role through a reset account, never a member of a
business office, no business content anywhere; a reset password is a temporary one."""

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from documents import selectors as doc_selectors
from documents import workflow as doc_workflow
from documents.models import DocumentSettings, IncomingDocument
from office import roles
from office.models import AuditEvent, Notification, User
from supervision import selectors as sup_selectors
from supervision import workflow as sup_workflow
from supervision.models import Item, SupervisionSettings
from tests.factories import UnitFactory

NEW = "Xin@Mima2026"


@pytest.fixture
def admins(make_user):
    unit = UnitFactory(code="XXK", name="信息科", kind="section")
    return {
        "sys": make_user(roles.SYSTEM_ADMIN, username="sysadm", is_staff=True, unit=unit),
        "sec": make_user(roles.SECURITY_ADMIN, username="secadm", is_staff=True, unit=unit),
        "aud": make_user(roles.AUDIT_ADMIN, username="auditor", is_staff=True, unit=unit),
    }


def reset(client, actor, target, password=NEW):
    client.force_login(actor)
    return client.post(f"/admin/office/user/{target.pk}/password/",
                       {"password1": password, "password2": password, "usable_password": "true"})


# --- password resets ------------------------------------------------------------------------

@pytest.mark.parametrize("actor", ["sec", "aud"])
def test_only_the_system_administrator_resets_passwords(client, admins, clerk, actor):
    before = User.objects.get(pk=clerk.pk).password
    response = reset(client, admins[actor], clerk)
    assert response.status_code == 403
    assert User.objects.get(pk=clerk.pk).password == before
    refused = AuditEvent.objects.get(action="admin.denied")
    assert refused.actor == admins[actor] and refused.result == "failure"
    assert refused.detail == {"path": f"/admin/office/user/{clerk.pk}/password/", "method": "POST",
                              "status": 403}
    assert not Notification.objects.filter(recipient=clerk).exists()


def test_the_issue_example_secadmin_cannot_take_a_second_admin_role_through_a_reset(
        client, admins, make_user):
    """The review's path: reset a business account, make it system administrator, log in as it."""
    baiyl = make_user(roles.SECRETARY, username="baiyl")
    assert reset(client, admins["sec"], baiyl).status_code == 403
    # even after the system administrator resets it, the security admin cannot make it an admin
    assert reset(client, admins["sys"], baiyl).status_code == 302
    client.force_login(admins["sec"])
    sysadmin_role = Group.objects.get(name=roles.SYSTEM_ADMIN)
    response = client.post(f"/admin/office/user/{baiyl.pk}/change/",
                           {"groups": [sysadmin_role.pk], "is_staff": "on"})
    assert response.status_code == 200 and "临时密码" in response.content.decode()
    assert not baiyl.groups.filter(name=roles.SYSTEM_ADMIN).exists()
    assert AuditEvent.objects.filter(action="admin.grant_refused", actor=admins["sec"],
                                     object_id=str(baiyl.pk), result="failure").exists()
    # and however membership is changed
    with pytest.raises(ValidationError), transaction.atomic():
        User.objects.get(pk=baiyl.pk).groups.set([sysadmin_role])
    with pytest.raises(ValidationError), transaction.atomic():
        sysadmin_role.user_set.add(User.objects.get(pk=baiyl.pk))
    assert not User.objects.get(pk=baiyl.pk).groups.filter(name=roles.SYSTEM_ADMIN).exists()


@pytest.mark.parametrize("target_role", [roles.SYSTEM_ADMIN, roles.SECURITY_ADMIN, roles.AUDIT_ADMIN])
def test_an_admin_role_goes_only_to_an_account_whose_owner_set_the_password(make_user, target_role):
    fresh = make_user(username="fresh", must_change_password=True)
    with pytest.raises(ValidationError, match="临时密码"), transaction.atomic():
        fresh.groups.add(Group.objects.get(name=target_role))
    fresh.must_change_password = False
    fresh.save(update_fields=["must_change_password"])
    fresh.groups.add(Group.objects.get(name=target_role))
    assert roles.is_admin_account(User.objects.get(pk=fresh.pk))
    # business roles are not affected by a temporary password
    other = make_user(username="other", must_change_password=True)
    other.groups.add(Group.objects.get(name=roles.CLERK))


def test_a_reset_password_is_temporary_and_its_owner_is_told(client, admins, clerk):
    response = reset(client, admins["sys"], clerk)
    assert response.status_code == 302
    clerk.refresh_from_db()
    assert clerk.must_change_password and clerk.check_password(NEW)
    note = Notification.objects.get(recipient=clerk, kind="security")
    assert "重置" in note.title and admins["sys"].full_name in note.body
    event = AuditEvent.objects.get(action="auth.password_reset")
    assert (event.actor, event.object_id) == (admins["sys"], str(clerk.pk))
    # the owner logs in with it and can do nothing before choosing their own
    client.logout()
    client.post(reverse("login"), {"username": "clerk1", "password": NEW})
    for url in ("/", "/documents/", "/rules/", "/notifications/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"] == reverse("password_change"), url
    page = client.get(reverse("password_change")).content.decode()
    assert 'data-testid="must-change"' in page
    response = client.post(reverse("password_change"), {
        "old_password": NEW, "new_password1": "Zi@Ji-Mima77", "new_password2": "Zi@Ji-Mima77"})
    assert response.status_code == 302
    clerk.refresh_from_db()
    assert not clerk.must_change_password
    assert client.get("/").status_code == 200


def test_a_superuser_may_reset_an_administrators_password_the_system_admin_may_not(client, admins):
    root = User.objects.create_superuser("root", "root@example.gov", "Root@Passw0rd2026")
    assert reset(client, admins["sys"], admins["aud"]).status_code == 403
    assert reset(client, admins["sys"], admins["sys"]).status_code == 403  # not even their own
    assert reset(client, root, admins["aud"]).status_code == 302
    admins["aud"].refresh_from_db()
    assert admins["aud"].must_change_password


def test_a_new_account_gets_a_temporary_password(client, admins):
    client.force_login(admins["sys"])
    response = client.post("/admin/office/user/add/", {
        "username": "newbie", "password1": "Chu@Shi-Mima1", "password2": "Chu@Shi-Mima1",
        "usable_password": "true", "full_name": "新同事"})
    assert response.status_code == 302
    assert User.objects.get(username="newbie").must_change_password


# --- never a member of a business office ------------------------------------------------------

def test_an_admin_is_never_the_document_office_whatever_the_settings(client, admins, dp, register_doc):
    """The system administrator sets the document office to its own unit."""
    doc = register_doc()
    conf = DocumentSettings.load()
    conf.office_unit = admins["sys"].unit
    conf.save()
    for admin in admins.values():
        assert not doc_workflow.is_document_office(admin)
        assert doc_workflow.allowed_steps(doc, admin) == []
        assert list(doc_selectors.visible_documents(admin)) == []
        with pytest.raises(doc_workflow.WorkflowError):
            doc_workflow.submit_for_proposal(document=doc, acting_user=admin)
    with pytest.raises(doc_workflow.WorkflowError):
        register_doc(acting_user=admins["sys"], sender_number="某政办发〔2026〕99号")
    assert IncomingDocument.objects.count() == 1


def test_an_admin_is_never_the_supervision_office_whatever_the_settings(admins, people, make_item):
    item = make_item(co_units=[people.co])
    conf = SupervisionSettings.load()
    conf.office_unit = admins["sys"].unit
    conf.save()
    # an admin of a co-unit, the review's example: sees nothing either
    admin = admins["sec"]
    admin.unit = people.co
    admin.save(update_fields=["unit"])
    for a in (*admins.values(), User.objects.get(pk=admin.pk)):
        assert not sup_workflow.is_manager(a)
        assert list(sup_selectors.visible_items(a)) == []
        assert sup_workflow.allowed_steps(item, a) == []
        with pytest.raises(sup_workflow.WorkflowError):
            sup_workflow.create_item(acting_user=a, title="t", requirement="r", source_kind="document",
                                     lead_unit=people.lead, responsible=people.responsible,
                                     working_days=3)
    assert Item.objects.count() == 1


BUSINESS_PAGES = ["/documents/", "/documents/board/", "/documents/new/", "/documents/returned/",
                  "/documents/register.xlsx", "/supervision/", "/supervision/new/",
                  "/supervision/ledger.xlsx", "/supervision/report/"]


@pytest.mark.parametrize("who", ["sys", "sec", "aud"])
def test_admins_get_403_on_every_business_page_and_object(client, admins, people, make_item, who):
    item = make_item()
    client.force_login(admins[who])
    for url in [*BUSINESS_PAGES, f"/supervision/{item.pk}/", f"/supervision/{item.pk}/comment/"]:
        method = client.post if url.endswith("comment/") else client.get
        assert method(url).status_code == 403, url
    assert client.get("/supervision/", HTTP_HX_REQUEST="true").status_code == 403
    page = client.get("/").content.decode()
    assert item.title not in page and 'data-nav="supervision"' not in page
    denied = AuditEvent.objects.filter(action="access.denied", actor=admins[who])
    assert denied.count() == len(BUSINESS_PAGES) + 3


def test_the_system_administrator_reads_no_item_in_django_admin(client, admins, people, make_item):
    item = make_item()
    assert not admins["sys"].has_perm("supervision.view_item")
    client.force_login(admins["sys"])
    assert client.get("/admin/supervision/item/").status_code == 403
    assert client.get(f"/admin/supervision/item/{item.pk}/change/").status_code == 403
    assert client.get("/admin/documents/incomingdocument/").status_code == 403
    assert item.title not in client.get("/admin/").content.decode()
