"""Headers on every page; hostile input: control characters in single-line fields, e-mails that
can never be sent, crafted POSTs that skip what the form checks, read receipts by prefetch."""

import datetime as dt
from unittest import mock

import pytest
from django.core.mail import BadHeaderError
from django.urls import reverse
from django.utils import timezone

from documents import workflow as doc_workflow
from documents.models import Circulation, IncomingDocument
from office import notify, roles
from office.models import AuditEvent, Notification
from supervision import workflow as sup_workflow
from supervision.models import Item
from tests.factories import UnitFactory, UserFactory
from tests.helpers import with_token

# --- headers ---------------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/", "/rules/", "/documents/", "/accounts/login/", "/admin/"])
def test_every_page_has_the_csp_and_no_store(client, dp, url):
    client.force_login(dp.clerk)
    response = client.get(url)
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
    assert response["Cache-Control"] == "no-store"


def test_a_download_keeps_its_stricter_sandbox_policy_and_is_not_stored(client, dp):
    client.force_login(dp.clerk)
    response = client.get("/documents/register.xlsx")
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert "no-store" in response["Cache-Control"]


def test_downloads_are_not_stored_either(client, dp, register_doc, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    doc = register_doc(files=[SimpleUploadedFile("a.txt", "说明".encode())])
    client.force_login(dp.clerk)
    for url in (reverse("documents:attachment", args=[doc.attachments.get().pk]),
                reverse("documents:slip", args=[doc.pk])):
        response = client.get(url)
        assert response.status_code == 200 and response["Cache-Control"] == "no-store", url


def test_no_template_carries_inline_script_or_style():
    """The CSP forbids them: a template that used one would silently break in the browser."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    offenders = []
    apps = [d for d in root.iterdir() if d.is_dir() and not d.name.startswith(".") and d.name not in {"var", "static"}]
    templates = [*root.glob("templates/**/*.html")] + [p for d in apps for p in d.glob("**/templates/**/*.html")]
    for path in templates:  # the apps' templates, sub-apps' (office/information/...) included
        if "/pdf/" in str(path):  # rendered by WeasyPrint, never by a browser
            continue
        text = path.read_text()
        if re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text) or re.search(r"\sstyle=\"", text) \
                or re.search(r"\son[a-z]+=\"", text) or "<style" in text:
            offenders.append(str(path.relative_to(root)))
    assert offenders == []


# --- single-line fields --------------------------------------------------------------------

HOSTILE = ["关于\r\nBcc: x@evil.example 的通知", "关于\n换行的通知", "关于\x00空字符", "关于\x1b转义",
           "关于\u2028分隔"]


@pytest.mark.parametrize("title", HOSTILE)
def test_a_title_with_control_characters_is_refused_by_the_form_and_by_the_step(client, dp, register_doc, title):
    client.force_login(dp.clerk)
    response = client.post(reverse("documents:new"), {
        "sender_name": "市政府办", "sender_number": "", "title": title, "doc_type": 1, "handling": "read",
        "urgency": "", "secrecy": "", "copies": 1, "pages": 1, "received_at": "2026-11-27T10:00",
        "signed_by": dp.clerk.pk})
    assert response.status_code == 400 and "不能包含换行符或控制字符" in response.content.decode()
    with pytest.raises(doc_workflow.WorkflowError) as exc:
        register_doc(title=title)
    assert exc.value.code == "invalid"
    with pytest.raises(doc_workflow.WorkflowError):
        register_doc(title="正常标题", sender_number="某政办发〔2026〕1号\r\nBcc: x")
    assert IncomingDocument.objects.count() == 0


@pytest.mark.parametrize("title", HOSTILE[:2])
def test_an_item_title_with_a_line_break_is_refused(people, title):
    with pytest.raises(sup_workflow.WorkflowError):
        sup_workflow.create_item(acting_user=people.officer, title=title, requirement="r",
                                 source_kind="document", lead_unit=people.lead,
                                 responsible=people.responsible, working_days=3)
    assert Item.objects.count() == 0


def test_a_notification_title_is_always_one_line(clerk, mailoutbox):
    n = notify.notify(clerk, title="待阅：关于\r\nBcc: x@evil.example", key="n1")
    assert n.title == "待阅：关于  Bcc: x@evil.example"
    # a title stored before this rule is made one line when the e-mail goes out
    Notification.objects.filter(pk=n.pk).update(title="待阅：关于\r\nBcc: x@evil.example")
    assert notify.deliver_email(n.pk) is True
    assert mailoutbox[0].subject == n.title and "\n" not in mailoutbox[0].subject


def test_an_e_mail_that_can_never_be_sent_is_marked_failed_and_reported(clerk, make_user):
    """The review's case: a stored title with CR/LF was re-queued every 10 minutes forever."""
    sysadmin = make_user(roles.SYSTEM_ADMIN, username="sysadm", is_staff=True)
    n = notify.notify(clerk, title="t", key="bad", email=True)
    Notification.objects.filter(pk=n.pk).update(title="关于\r\n坏标题",
                                                created_at=timezone.now() - dt.timedelta(hours=1))
    with mock.patch("office.notify.send_mail", side_effect=BadHeaderError("header")):
        assert notify.deliver_email(n.pk) is False
    n.refresh_from_db()
    assert n.email_failed_at is not None and "BadHeaderError" in n.email_error and n.email_sent_at is None
    assert notify.pending_email_ids() == []  # never re-queued
    assert notify.deliver_email(n.pk) is False
    event = AuditEvent.objects.get(action="notifications.email_failed")
    assert event.result == "failure" and event.detail["recipient"] == clerk.username
    report = Notification.objects.get(recipient=sysadmin)
    assert report.title == "有邮件无法发送" and "关于" not in report.body  # no business text


def test_a_transient_failure_is_retried_then_given_up(clerk):
    n = notify.notify(clerk, title="t", key="flaky", email=True)
    for attempt in range(1, notify.EMAIL_MAX_ATTEMPTS + 1):
        Notification.objects.filter(pk=n.pk).update(email_claimed_at=None)
        with mock.patch("office.notify.send_mail", side_effect=ConnectionRefusedError()):
            if attempt < notify.EMAIL_MAX_ATTEMPTS:
                with pytest.raises(ConnectionRefusedError):
                    notify.deliver_email(n.pk)
            else:
                assert notify.deliver_email(n.pk) is False
    n.refresh_from_db()
    assert n.email_attempts == notify.EMAIL_MAX_ATTEMPTS and n.email_failed_at is not None


# --- every step checks what its form would -------------------------------------------------

def test_a_crafted_post_cannot_circulate_a_document_to_handle(client, dp, register_doc):
    doc = register_doc(handling="action")
    client.force_login(dp.clerk)
    response = client.post(reverse("documents:step", args=[doc.pk, "circulate"]),
                           with_token({"circulate-readers": [dp.reader.pk]}, dp.clerk))
    assert response.status_code == 409
    assert IncomingDocument.objects.get(pk=doc.pk).status == "registered"
    assert not Circulation.objects.exists()


def test_a_crafted_post_cannot_submit_a_document_to_read_for_a_proposal(client, dp, register_doc):
    doc = register_doc(handling="read")
    client.force_login(dp.clerk)
    response = client.post(reverse("documents:step", args=[doc.pk, "submit_for_proposal"]),
                           with_token({"submit_for_proposal-note": ""}, dp.clerk))
    assert response.status_code == 409
    assert IncomingDocument.objects.get(pk=doc.pk).status == "registered"
    with pytest.raises(doc_workflow.WorkflowError) as exc:
        doc_workflow.submit_for_proposal(document=doc, acting_user=dp.clerk)
    assert exc.value.code == "handling"


@pytest.mark.parametrize("who", ["admin", "inactive", "outside_contact"])
def test_readers_are_active_internal_business_accounts(dp, register_doc, who):
    doc = register_doc(handling="read")
    person = {
        "admin": UserFactory(roles=[roles.AUDIT_ADMIN], unit=dp.msk),
        "inactive": UserFactory(roles=[roles.SECRETARY], unit=dp.msk, is_active=False),
        "outside_contact": dp.handler,  # a county department's contact
    }[who]
    with pytest.raises(doc_workflow.WorkflowError):
        doc_workflow.circulate(document=doc, acting_user=dp.clerk, readers=[person])
    assert not Circulation.objects.exists()


def test_leaders_who_instruct_are_leaders(dp, register_doc):
    doc = register_doc()
    doc_workflow.submit_for_proposal(document=doc, acting_user=dp.clerk)
    for not_a_leader in (dp.reader, UserFactory(roles=[roles.SYSTEM_ADMIN], unit=dp.leaders)):
        with pytest.raises(doc_workflow.WorkflowError):
            doc_workflow.propose(document=doc, acting_user=dp.director, proposal="拟办", leaders=[not_a_leader])
    with pytest.raises(doc_workflow.WorkflowError):
        doc_workflow.propose(document=doc, acting_user=dp.director, proposal="拟办", leaders=[dp.leader, dp.leader])
    assert IncomingDocument.objects.get(pk=doc.pk).status == "proposing"


def test_the_handler_and_the_units_must_be_active(dp, register_doc):
    doc = register_doc()
    doc_workflow.submit_for_proposal(document=doc, acting_user=dp.clerk)
    gone = UserFactory(roles=[roles.UNIT_CONTACT], unit=dp.czj, is_active=False)
    closed = UnitFactory(code="OLD", name="已撤销局", kind="department", is_active=False)
    deadline = timezone.localdate() + dt.timedelta(days=3)
    for kwargs in ({"lead_unit": dp.czj, "handler": gone},
                   {"lead_unit": dp.czj, "handler": dp.handler, "co_units": [closed]}):
        with pytest.raises(doc_workflow.WorkflowError):
            doc_workflow.assign_handling(document=doc, acting_user=dp.clerk, deadline=deadline, **kwargs)
    assert IncomingDocument.objects.get(pk=doc.pk).handler_id is None


@pytest.mark.parametrize("field", ["responsible", "supervisor", "instructing_leader", "lead_unit", "co_unit"])
def test_an_item_refuses_what_its_form_would(people, field):
    admin = UserFactory(roles=[roles.SECURITY_ADMIN], unit=people.lead)
    kwargs = dict(acting_user=people.officer, title="落实", requirement="r", source_kind="instruction",
                  lead_unit=people.lead, responsible=people.responsible, instructing_leader=people.leader,
                  working_days=3)
    if field == "responsible":
        kwargs["responsible"] = admin
    elif field == "supervisor":
        kwargs["supervisor"] = UserFactory(roles=[roles.SECRETARY], unit=people.dcs, is_active=False)
    elif field == "instructing_leader":
        kwargs["instructing_leader"] = people.clerk
    elif field == "lead_unit":
        superior = UnitFactory(code="SZF", name="市政府", kind="superior")
        kwargs.update(lead_unit=superior, responsible=UserFactory(unit=superior))
    else:
        kwargs["co_units"] = [UnitFactory(code="OLD", name="已撤销局", kind="department", is_active=False)]
    with pytest.raises(sup_workflow.WorkflowError):
        sup_workflow.create_item(**kwargs)
    assert Item.objects.count() == 0


# --- the read receipt ----------------------------------------------------------------------

@pytest.mark.parametrize("headers", [{}, {"HTTP_PURPOSE": "prefetch"}, {"HTTP_SEC_PURPOSE": "prefetch"},
                                     {"HTTP_USER_AGENT": "Slackbot-LinkExpanding 1.0"}])
def test_no_get_marks_a_copy_opened(client, dp, register_doc, headers):
    doc = register_doc(handling="read")
    doc_workflow.circulate(document=doc, acting_user=dp.clerk, readers=[dp.reader])
    client.force_login(dp.reader)
    assert client.get(reverse("documents:detail", args=[doc.pk]), **headers).status_code == 200
    copy = Circulation.objects.get(document=doc)
    assert copy.opened_at is None and copy.state == "not_opened"
    # so the clerk can still recall it
    doc_workflow.recall_copy(document=doc, acting_user=dp.clerk, circulation=copy)
    assert Circulation.objects.get(pk=copy.pk).state == "recalled"


def test_opening_is_the_readers_explicit_act(client, dp, register_doc):
    doc = register_doc(handling="read")
    doc_workflow.circulate(document=doc, acting_user=dp.clerk, readers=[dp.reader])
    client.force_login(dp.reader)
    assert client.get(reverse("documents:open_copy", args=[doc.pk])).status_code == 405
    assert client.post(reverse("documents:open_copy", args=[doc.pk])).status_code == 302
    copy = Circulation.objects.get(document=doc)
    assert copy.state == "opened"
    assert AuditEvent.objects.filter(action="documents.open_copy", actor=dp.reader).count() == 1
    with pytest.raises(doc_workflow.WorkflowError):  # an opened copy is no longer recalled
        doc_workflow.recall_copy(document=doc, acting_user=dp.clerk, circulation=copy)
    client.force_login(dp.outsider)  # someone without a copy: a 404, nothing opened
    assert client.post(reverse("documents:open_copy", args=[doc.pk])).status_code == 404
