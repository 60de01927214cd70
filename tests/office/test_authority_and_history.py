"""Issue [4], kind 9 (authority and history gaps): who acts on a document waiting for 拟办;
what archiving does with unread copies; when a rule's text is a new version; the login form's
empty fields; the intake sweep's operator command; the launcher's site URL; `make test`
stopping the embedded servers it started."""

import datetime as dt
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import psutil
import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from config import devserver
from documents import printing, workflow
from documents.models import Circulation, DocumentEvent, IncomingDocument, Status
from office import roles, services
from office.models import AuditEvent, Notification, Rule, RuleAcknowledgement
from office.text import normalize_text, same_text
from office.workflow import WorkflowError
from tests.factories import TEST_PASSWORD, PostFactory, UserFactory
from tests.helpers import with_token

BASE_DIR = Path(__file__).resolve().parents[2]


def snapshot(doc):
    d = IncomingDocument.objects.get(pk=doc.pk)
    return (d.status, d.handler_id, d.lead_unit_id, d.handling_deadline, d.archived_at,
            DocumentEvent.objects.filter(document=d).count(),
            list(Circulation.objects.filter(document=d).order_by("pk")
                 .values_list("opened_at", "read_at", "recalled_at", "lapsed_at", "comment")))


def audit_rows(doc) -> int:
    """Audit rows of changes to the document (a page view is recorded too, as access, not change)."""
    return (AuditEvent.objects.filter(object_id=str(doc.pk), action__startswith="documents.")
            .exclude(action="documents.view").count())


# --- 1. a document waiting for 拟办 is the directors' ------------------------------------------

@pytest.fixture
def waiting(dp, register_doc):
    doc = register_doc()
    workflow.submit_for_proposal(document=doc, acting_user=dp.clerk)
    return IncomingDocument.objects.get(pk=doc.pk)


@pytest.mark.parametrize("persona", ["clerk", "chief", "leader", "handler", "reader"])
def test_only_a_director_assigns_the_handling_of_a_document_waiting_for_proposal(dp, waiting, persona):
    before = snapshot(waiting)
    with pytest.raises(WorkflowError) as exc:
        workflow.assign_handling(document=waiting, acting_user=getattr(dp, persona), lead_unit=dp.czj,
                                 handler=dp.handler)
    assert exc.value.code == "forbidden"
    assert snapshot(waiting) == before
    refusal = AuditEvent.objects.filter(action="documents.assign_handling").get()
    assert (refusal.result, refusal.actor) == ("failure", getattr(dp, persona))
    assert workflow.allowed_steps(waiting, getattr(dp, persona)) == []


def test_the_clerk_is_refused_over_http_too_and_nothing_changes(client, dp, waiting):
    before = snapshot(waiting)
    client.force_login(dp.clerk)
    response = client.post(reverse("documents:step", args=[waiting.pk, "assign_handling"]), with_token({
        "assign_handling-lead_unit": dp.czj.pk, "assign_handling-handler": dp.handler.pk}, dp.clerk))
    assert response.status_code in (403, 409)
    assert snapshot(waiting) == before
    page = client.get(reverse("documents:detail", args=[waiting.pk])).content.decode()
    assert 'data-step="assign_handling"' not in page and 'data-step="propose"' not in page


def test_the_director_proposes_or_assigns_directly_and_the_clerk_assigns_after_the_instruction(
        dp, waiting, register_doc):
    assert set(workflow.allowed_steps(waiting, dp.director)) == {"propose", "assign_handling"}
    workflow.assign_handling(document=waiting, acting_user=dp.director, lead_unit=dp.czj, handler=dp.handler)
    assert IncomingDocument.objects.get(pk=waiting.pk).status == Status.HANDLING

    other = register_doc(sender_number="某政办发〔2026〕90号")
    workflow.submit_for_proposal(document=other, acting_user=dp.clerk)
    workflow.propose(document=other, acting_user=dp.director, proposal="拟请王县长阅示。", leaders=[dp.leader])
    workflow.instruct(document=other, acting_user=dp.leader, text="请财政局办理。")
    assert "assign_handling" in workflow.allowed_steps(IncomingDocument.objects.get(pk=other.pk), dp.clerk)
    workflow.assign_handling(document=other, acting_user=dp.clerk, lead_unit=dp.czj, handler=dp.handler)
    assert IncomingDocument.objects.get(pk=other.pk).status == Status.HANDLING


# --- 2. archiving closes the circulation --------------------------------------------------------

def _to_closed(dp, doc, *, readers=(), sequential=False):
    workflow.submit_for_proposal(document=doc, acting_user=dp.clerk)
    workflow.propose(document=doc, acting_user=dp.director, proposal="拟请王县长阅示。", leaders=[dp.leader])
    workflow.instruct(document=doc, acting_user=dp.leader, text="请财政局办理，秘书科阅知。")
    workflow.assign_handling(document=doc, acting_user=dp.clerk, lead_unit=dp.czj, handler=dp.handler)
    if readers:
        workflow.add_readers(document=doc, acting_user=dp.clerk, readers=list(readers), sequential=sequential)
    workflow.record_result(document=doc, acting_user=dp.handler, result="已办理。")
    workflow.record_reply(document=doc, acting_user=dp.handler, reply="已函复。")
    workflow.close(document=doc, acting_user=dp.clerk)
    return IncomingDocument.objects.get(pk=doc.pk)


def test_the_issue_example_an_unread_copy_lapses_and_the_readers_visit_records_nothing(
        client, dp, register_doc):
    doc = _to_closed(dp, register_doc(), readers=[dp.reader])
    workflow.archive(document=doc, acting_user=dp.clerk)
    doc.refresh_from_db()
    copy = doc.circulations.get()
    assert (copy.state, copy.lapsed_at, copy.opened_at) == ("lapsed", doc.archived_at, None)
    archived = doc.events.get(kind="archived")
    assert archived.data == {"lapsed": [str(dp.reader)]}
    before, audits = snapshot(doc), audit_rows(doc)

    client.force_login(dp.reader)
    page = client.get(reverse("documents:detail", args=[doc.pk]))
    assert page.status_code == 200  # the reader still sees the archived document, read-only
    html = page.content.decode()
    assert "归档时未阅，已关闭" in html and 'data-step="read_copy"' not in html
    assert snapshot(doc) == before and audit_rows(doc) == audits  # the visit changes nothing
    assert AuditEvent.objects.filter(action="documents.view", object_id=str(doc.pk)).count() == 1

    response = client.post(reverse("documents:step", args=[doc.pk, "read_copy"]),
                           with_token({"read_copy-comment": "已阅"}, dp.reader))
    assert response.status_code in (403, 409)
    assert snapshot(doc) == before  # the copy can never be read: the document never changes
    assert not workflow.open_copy(document=doc, acting_user=dp.reader)
    assert snapshot(doc) == before


def test_archiving_lapses_every_unfinished_copy_and_keeps_the_finished_ones(dp, register_doc):
    from tests.factories import UserFactory

    third = UserFactory(unit=dp.msk, full_name="丁秘书")
    doc = register_doc()
    workflow.submit_for_proposal(document=doc, acting_user=dp.clerk)
    workflow.propose(document=doc, acting_user=dp.director, proposal="拟办", leaders=[dp.leader])
    workflow.instruct(document=doc, acting_user=dp.leader, text="阅")
    workflow.assign_handling(document=doc, acting_user=dp.clerk, lead_unit=dp.czj, handler=dp.handler)
    workflow.add_readers(document=doc, acting_user=dp.clerk, readers=[dp.outsider])  # read
    workflow.add_readers(document=doc, acting_user=dp.clerk, readers=[dp.chief])  # recalled
    workflow.add_readers(document=doc, acting_user=dp.clerk, readers=[dp.reader, dp.reader2, third],
                         sequential=True)  # opened / waiting / waiting
    workflow.read_copy(document=doc, acting_user=dp.outsider, comment="已阅")
    workflow.recall_copy(document=doc, acting_user=dp.clerk,
                         circulation=doc.circulations.get(reader=dp.chief))
    workflow.open_copy(document=doc, acting_user=dp.reader)
    workflow.record_result(document=doc, acting_user=dp.handler, result="已办理。")
    workflow.record_reply(document=doc, acting_user=dp.handler, reply="已函复。")
    workflow.close(document=doc, acting_user=dp.clerk)
    workflow.archive(document=doc, acting_user=dp.clerk)
    doc.refresh_from_db()
    states = {c.reader: c.state for c in doc.circulations.all()}
    assert states == {dp.outsider: "read", dp.chief: "recalled", dp.reader: "lapsed",
                      dp.reader2: "lapsed", third: "lapsed"}
    assert doc.circulations.get(reader=dp.reader).opened_at is not None  # what happened stays
    assert doc.events.get(kind="archived").data == {"lapsed": [str(dp.reader), str(dp.reader2), str(third)]}
    # the routing slip says so
    rows = {r["reader"]: r for r in (printing._circulation_row(c, printing.circulation_states())
                                     for c in printing.slip_document(doc.pk).circulations.all())}
    assert rows[str(dp.reader)]["state"] == "归档时未阅"
    assert any(t.startswith("归档关闭") for t in rows[str(third)]["times"])
    assert rows[str(dp.outsider)]["state"] == "已阅"
    # nobody is asked to read it any more
    for reader in (dp.reader, dp.reader2, third):
        assert not workflow.may("read_copy", doc, reader)


def test_a_document_for_reading_is_still_archived_only_once_every_copy_is_read(dp, register_doc):
    doc = register_doc(handling="read")
    workflow.circulate(document=doc, acting_user=dp.clerk, readers=[dp.reader])
    before = snapshot(doc)
    with pytest.raises(WorkflowError) as exc:
        workflow.archive(document=doc, acting_user=dp.clerk)
    assert exc.value.code == "unread"
    assert snapshot(doc) == before


def test_open_copy_records_nothing_on_an_archived_document_even_with_an_old_unread_copy(dp, register_doc):
    """Documents archived before the rule (or data written by hand): still nothing changes."""
    doc = _to_closed(dp, register_doc(), readers=[dp.reader])
    workflow.archive(document=doc, acting_user=dp.clerk)
    Circulation.objects.filter(document=doc).update(lapsed_at=None)
    before, audits = snapshot(doc), audit_rows(doc)
    assert workflow.open_copy(document=doc, acting_user=dp.reader) is False
    with pytest.raises(WorkflowError) as exc:
        workflow.read_copy(document=doc, acting_user=dp.reader)
    assert exc.value.code == "archived"
    assert snapshot(doc) == before
    assert audit_rows(doc) == audits + 1  # only the refusal, as every refusal is audited


# --- 3. a rule's text: the same text is no new version ------------------------------------------

@pytest.mark.parametrize(("stored", "submitted"), [
    ("第一条 按时上班。\n第二条 不得迟到。", "第一条 按时上班。\r\n第二条 不得迟到。"),  # the issue's CRLF
    ("第一条 按时上班。\n第二条 不得迟到。", "第一条 按时上班。\r第二条 不得迟到。"),
    ("第一条 按时上班。\n第二条 不得迟到。", "第一条 按时上班。  \n第二条 不得迟到。\t\r\n\r\n\r\n"),
    ("第一条 按时上班。\n第二条 不得迟到。", "\n第一条 按时上班。\u3000\n第二条 不得迟到。\n"),
    ("\u3000\u3000第一条 按时上班。", "\u3000\u3000第一条 按时上班。\r\n"),
    ("Café 规定", "Cafe\u0301 规定"),  # the same letter, composed or not
    ("第一条 见附件", "第一条 见附件\u2028"),
])
def test_the_same_text_typed_differently_is_the_same_text(stored, submitted):
    assert same_text(stored, submitted)
    assert normalize_text(submitted) == normalize_text(stored)


@pytest.mark.parametrize(("a", "b"), [
    ("第一条 按时上班。", "第一条 按时上班！"),
    ("第一条\n第二条", "第一条\n\n第二条"),  # a blank line between paragraphs is a change
    ("\u3000\u3000第一条", "第一条"),  # so is a paragraph's indentation
    ("第一条 按 时", "第一条 按时"),
])
def test_a_real_change_is_a_change(a, b):
    assert not same_text(a, b)


def test_normalize_text_keeps_indentation_and_drops_what_is_no_text():
    assert normalize_text("\r\n\u3000\u3000第一条  \r\n\r\n\u3000\u3000第二条\t\r\n\r\n") == \
        "\u3000\u3000第一条\n\n\u3000\u3000第二条"
    assert normalize_text(None) == "" and normalize_text(" \r\n ") == ""


@pytest.fixture
def bound_rule(db, make_user):
    post = PostFactory(name="文书岗")
    people = [UserFactory(post=post) for _ in range(3)]
    UserFactory(post=post, is_active=False)  # no longer here
    UserFactory(post=PostFactory())  # another post: not bound
    author = make_user(roles.SYSTEM_ADMIN, is_staff=True)
    rule = Rule.objects.create(code="R-DOC", area="discipline", kind="work_rule", title="公文处理制度")
    rule.posts.add(post)
    services.revise_rule(rule=rule, acting_user=author, title="公文处理制度",
                         body="\u3000\u3000第一条 收文当日登记。\r\n\u3000\u3000第二条 当日文件当日清。\r\n",
                         in_force_from=timezone.localdate() - dt.timedelta(days=30))
    for person in people[:2]:
        services.acknowledge_rule(version=rule.versions.get(), acting_user=person)
    return rule, people, author


def _admin_post(client, rule, body, title="公文处理制度"):
    version = rule.versions.order_by("-number").first()
    return client.post(f"/admin/office/rule/{rule.pk}/change/", {
        "code": rule.code, "area": rule.area, "kind": rule.kind, "order": 0,
        "posts": list(rule.posts.values_list("pk", flat=True)),
        "version_title": title, "version_body": body, "version_from": "",
        "versions-TOTAL_FORMS": "1", "versions-INITIAL_FORMS": "1", "versions-MIN_NUM_FORMS": "0",
        "versions-MAX_NUM_FORMS": "1000", "versions-0-id": version.pk, "versions-0-rule": rule.pk})


def test_the_issue_example_saving_unedited_text_from_a_browser_is_no_new_version(client, bound_rule):
    rule, people, author = bound_rule
    stored = rule.versions.get()
    assert stored.body == "\u3000\u3000第一条 收文当日登记。\n\u3000\u3000第二条 当日文件当日清。"  # stored normalised
    client.force_login(author)
    response = _admin_post(client, rule, stored.body.replace("\n", "\r\n") + "\r\n", title="公文处理制度 ")
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert rule.versions.count() == 1
    assert RuleAcknowledgement.objects.filter(version=stored).count() == 2  # still valid
    assert Notification.objects.filter(kind="rules").count() == 0


def test_a_real_new_version_notifies_each_bound_person_once(client, bound_rule):
    rule, people, author = bound_rule
    client.force_login(author)
    response = _admin_post(client, rule, "\u3000\u3000第一条 收文当日登记，急件随到随办。\r\n")
    assert response.status_code == 302
    v2 = rule.versions.get(number=2)
    assert v2.body == "\u3000\u3000第一条 收文当日登记，急件随到随办。"
    notes = Notification.objects.filter(kind="rules")
    assert sorted(n.recipient_id for n in notes) == sorted(p.pk for p in people)
    assert {n.title for n in notes} == {"制度已修订，请学习确认：公文处理制度"}
    assert {n.url for n in notes} == {rule.get_absolute_url()}
    # the same text again: nothing new
    assert _admin_post(client, rule, "\u3000\u3000第一条 收文当日登记，急件随到随办。").status_code == 302
    assert rule.versions.count() == 2 and notes.count() == 3
    revise = AuditEvent.objects.filter(action="rule.revise").order_by("pk").last()
    assert revise.detail["notified"] == 3


def test_a_rule_binding_everyone_notifies_every_active_person(make_user):
    author = make_user(roles.SYSTEM_ADMIN)
    everyone = [UserFactory() for _ in range(4)] + [author]
    UserFactory(is_active=False)
    rule = Rule.objects.create(code="R-ALL", area="discipline", kind="work_rule", title="保密制度")
    services.revise_rule(rule=rule, acting_user=author, title="保密制度", body="第一条 不得泄密。",
                         in_force_from=timezone.localdate() - dt.timedelta(days=3))
    assert Notification.objects.count() == 0  # a first version lapses no acknowledgement
    services.revise_rule(rule=rule, acting_user=author, title="保密制度", body="第一条 不得泄露国家秘密。")
    assert sorted(Notification.objects.values_list("recipient_id", flat=True)) == sorted(u.pk for u in everyone)


def test_notifying_a_new_version_costs_the_same_queries_for_two_or_many(make_user,
                                                                       django_capture_on_commit_callbacks):
    author = make_user(roles.SYSTEM_ADMIN)

    def revise_for(bound: int) -> int:
        post = PostFactory()
        for _ in range(bound):
            UserFactory(post=post)
        rule = Rule.objects.create(code=f"R-Q{bound}", area="discipline", kind="work_rule", title="制度")
        rule.posts.add(post)
        services.revise_rule(rule=rule, acting_user=author, title="制度", body="v1",
                             in_force_from=timezone.localdate() - dt.timedelta(days=3))
        with CaptureQueriesContext(connection) as queries, django_capture_on_commit_callbacks(execute=False):
            services.revise_rule(rule=rule, acting_user=author, title="制度", body="v2")
        assert Notification.objects.filter(dedup_key__startswith="rule:", recipient__post=post).count() == bound
        return len(queries)

    assert revise_for(2) == revise_for(25)


def test_the_admin_page_says_beforehand_how_many_must_acknowledge_again(client, bound_rule):
    rule, people, author = bound_rule
    client.force_login(author)
    page = client.get(f"/admin/office/rule/{rule.pk}/change/").content.decode()
    assert "修改标题或正文将生成第 2 版：受本制度约束的 3 人须重新学习确认（其中 2 人已确认现行版本）" in page


def test_the_admin_refuses_a_text_of_only_spaces_and_changes_nothing(client, bound_rule):
    rule, people, author = bound_rule
    client.force_login(author)
    response = _admin_post(client, rule, " \r\n\u3000\r\n")
    assert response.status_code == 200 and "正文不能为空" in response.content.decode()
    assert rule.versions.count() == 1 and Notification.objects.count() == 0


# --- 4. the login form's empty fields -----------------------------------------------------------

@pytest.mark.parametrize(("username", "password", "messages"), [
    ("clerk1", "", ["请输入密码。"]),  # the issue's example
    ("", TEST_PASSWORD, ["请输入用户名。"]),
    ("", "", ["请输入用户名。", "请输入密码。"]),
    ("   ", "", ["请输入用户名。", "请输入密码。"]),
])
def test_an_empty_field_gets_a_clear_message_and_the_attempt_is_audited(client, clerk, username, password, messages):
    response = client.post(reverse("login"), {"username": username, "password": password})
    page = response.content.decode()
    assert response.status_code == 200
    for message in messages:
        assert message in page
    assert "_auth_user_id" not in client.session
    if username.strip():
        assert f'value="{username}"' in page  # nothing typed is lost
    failed = AuditEvent.objects.get(action="auth.login_failed")
    assert (failed.result, failed.actor_name, failed.detail["reason"]) == ("failure", username.strip(), "empty")


def test_empty_passwords_do_not_lock_the_account_and_a_locked_account_stays_locked(client, clerk, settings):
    for _ in range(settings.LOGIN_FAILURE_LIMIT + 1):
        client.post(reverse("login"), {"username": "clerk1", "password": ""})
    assert client.post(reverse("login"), {"username": "clerk1", "password": TEST_PASSWORD}).status_code == 302
    client.logout()
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "clerk1", "password": "wrong"})
    response = client.post(reverse("login"), {"username": "clerk1", "password": ""})
    assert response.status_code == 403 and 'data-testid="locked-out"' in response.content.decode()


# --- 5. the intake sweep's operator command -----------------------------------------------------

def test_run_intake_sweep_prints_what_it_sent_and_sends_nothing_twice(dp, register_doc):
    register_doc()  # received 2026-11-27 (a Friday) 09:00, due at the end of the day
    register_doc(sender_number="某政办发〔2026〕59号", urgency="teji",
                 received_at=dt.datetime(2026, 11, 27, 15, 0, tzinfo=timezone.get_current_timezone()))
    out = io.StringIO()
    call_command("run_intake_sweep", "--at", "2026-11-27 16:05", stdout=out)
    first = out.getvalue()
    # the urgent one (due 16:00) is overdue: both directors… here one; the ordinary one is at
    # the desk after the cutoff: the clerk and the head of the document office
    assert "intake sweep as of 2026-11-27 16:05: due soon 0, still at the desk after the cutoff 1, " \
           "overdue 1 (documents); sent 3 notifications" in first
    out = io.StringIO()
    call_command("run_intake_sweep", "--at", "2026-11-27 16:10", stdout=out)
    assert "sent 0 notifications" in out.getvalue()
    assert Notification.objects.count() == 3


def test_run_intake_sweep_refuses_a_malformed_time(db):
    with pytest.raises(CommandError, match="2026-11-27 16:05"):
        call_command("run_intake_sweep", "--at", "27/11/2026")


# --- 6. the launcher's site URL ---------------------------------------------------------------

@pytest.mark.parametrize(("environ", "site_url"), [
    ({"PORT": "8101"}, "http://127.0.0.1:8101"),  # the issue's example
    ({}, "http://127.0.0.1:8000"),
    ({"PORT": ""}, "http://127.0.0.1:8000"),
    ({"PORT": "8101", "SITE_URL": "https://oa.county.gov.cn"}, "https://oa.county.gov.cn"),
])
def test_the_launcher_points_email_links_at_the_port_it_serves(environ, site_url):
    env = devserver.launcher_env(environ)
    assert env["SITE_URL"] == site_url
    assert env["PORT"] == (environ.get("PORT") or "8000")


def test_the_processes_it_starts_read_that_site_url():
    env = devserver.launcher_env({k: v for k, v in os.environ.items() if k not in {"SITE_URL", "PORT"}}
                                 | {"PORT": "8101"})
    out = subprocess.run([sys.executable, "-c", "import django; django.setup(); from django.conf import "
                          "settings; print(settings.SITE_URL)"], cwd=BASE_DIR, env=env, capture_output=True,
                         text=True, timeout=60, check=True).stdout
    assert out.strip() == "http://127.0.0.1:8101"


# --- 7. `make test` stops the embedded servers it started ---------------------------------------

TINY_TEST = textwrap.dedent("""
    import json, os
    from pathlib import Path

    def test_the_servers_are_up():
        var = Path(os.environ["VAR_DIR"])
        pids = {"postgres": int((var / "pg" / "postmaster.pid").read_text().splitlines()[0]),
                "redis": int((var / "redis.pid").read_text())}
        (var.parent / "pids.json").write_text(json.dumps(pids))
""")


def _alive(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def _run_tiny_session(root: Path) -> dict:
    env = {k: v for k, v in os.environ.items()
           if k not in {"DATABASE_URL", "REDIS_URL", "XDG_RUNTIME_DIR", "PYTEST_ADDOPTS", "PYTEST_CURRENT_TEST"}}
    env["VAR_DIR"] = str(root / "var")
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--rootdir", str(BASE_DIR),
         "-c", str(BASE_DIR / "pyproject.toml"), str(root / "test_tiny.py")],
        cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return json.loads((root / "pids.json").read_text())


@pytest.mark.slow
def test_a_test_session_stops_the_servers_it_started_and_leaves_running_ones_alone(monkeypatch):
    from config import embedded

    root = Path(tempfile.mkdtemp(prefix="zb-t-", dir="/tmp"))  # short: the socket paths live here
    (root / "test_tiny.py").write_text(TINY_TEST)
    monkeypatch.setenv("VAR_DIR", str(root / "var"))
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(root / "var" / "run"))
    try:
        pids = _run_tiny_session(root)
        deadline = time.monotonic() + 20  # a loaded machine takes a moment to reap the servers
        while (_alive(pids["postgres"]) or _alive(pids["redis"])) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not _alive(pids["postgres"]) and not _alive(pids["redis"])
        assert not embedded.postgres_running() and not embedded.redis_running()

        # servers already running (as `make run` leaves them) are used and left running
        embedded.start_postgres()
        embedded.start_redis()
        assert embedded.postgres_running() and embedded.redis_running()
        pids = _run_tiny_session(root)
        assert _alive(pids["postgres"]) and _alive(pids["redis"])
        assert embedded.postgres_running() and embedded.redis_running()
    finally:
        embedded.stop_redis()
        embedded.stop_postgres()
        shutil.rmtree(root, ignore_errors=True)
    assert not _alive(pids["postgres"]) and not _alive(pids["redis"])
