"""The permission matrix: every app URL and every Django admin URL, as anonymous, as each
business role and as each of the three administrators, on objects that belong to other people.

Each cell (persona × URL × method) is checked for:
- the expected status (a table of rules below: login redirect, 403, 404, 200, refused POST);
- no server error;
- no business content for anyone who may not see it (the titles of the document and the item
  are markers that must not appear in the body) — above all, none for an administrator;
- a POST that is refused changes nothing (a snapshot of the business rows before and after).

The figures (cells tried, cells passed) are printed at the end and kept in MATRIX_RESULT.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from documents import workflow as doc_workflow
from documents.models import DocumentSettings, DocumentType, IncomingDocument
from office import once, roles, services
from office.information import workflow as info_workflow
from office.information.models import Category, InformationSettings
from office.information.models import Item as InfoItem
from office.models import AuditEvent, Rule, Unit, User
from office.research import workflow as research_workflow
from office.research.models import Issue as ResearchIssue
from office.research.models import Task as ResearchTask
from office.study.models import Attendance as StudyAttendance
from office.study.models import Note as StudyNote
from office.study.models import Session as StudySession
from supervision import workflow as sup_workflow
from supervision.models import Chase, Item, SupervisionSettings
from tests.factories import UnitFactory, UserFactory

DOC_TITLE = "矩阵测试收文标题甲"
ITEM_TITLE = "矩阵测试督办事项乙"
INFO_TITLE = "矩阵测试政务信息丙"
STUDY_TOPIC = "矩阵测试学习专题丁"
NOTE_TITLE = "矩阵测试学习笔记戊"
TASK_TOPIC = "矩阵测试调研课题己"
BUSINESS = ["clerk", "secretary", "section_chief", "office_director", "county_leader", "unit_contact"]
ADMINS = ["system_admin", "security_admin", "audit_admin"]
PERSONAS = ["anonymous", *BUSINESS, *ADMINS]
MATRIX_RESULT: dict = {}


@pytest.fixture
def world(db, settings, tmp_path):
    """A document and an item that belong to other people, and one persona per role."""
    settings.MEDIA_ROOT = tmp_path
    w = type("World", (), {})()
    wdk = UnitFactory(code="WDK", name="文电科", kind=Unit.Kind.SECTION)
    dcs = UnitFactory(code="DCS", name="督查室", kind=Unit.Kind.SECTION)
    msk = UnitFactory(code="MSK", name="秘书科", kind=Unit.Kind.SECTION)
    xxk = UnitFactory(code="XXK", name="信息科", kind=Unit.Kind.SECTION)
    lead = UnitFactory(code="JYJ", name="县教育局", kind=Unit.Kind.DEPARTMENT)
    other = UnitFactory(code="CZJ", name="县财政局", kind=Unit.Kind.DEPARTMENT)
    leaders = UnitFactory(code="LDBZ", name="县政府领导", kind=Unit.Kind.LEADERSHIP)
    sender = UnitFactory(code="SZFB", name="市政府办", kind=Unit.Kind.SUPERIOR)
    for conf, unit in ((DocumentSettings.load(), wdk), (SupervisionSettings.load(), dcs)):
        conf.office_unit = unit
        conf.save()
    # the owners: nobody among the personas
    owner_clerk = UserFactory(username="owner_clerk", roles=[roles.CLERK], unit=wdk)
    officer = UserFactory(username="owner_officer", roles=[roles.SECRETARY], unit=dcs)
    responsible = UserFactory(username="owner_resp", roles=[roles.UNIT_CONTACT], unit=lead)
    w.doc = doc_workflow.register(
        acting_user=owner_clerk, sender=sender, title=DOC_TITLE, sender_number="某政办发〔2026〕5号",
        doc_type=DocumentType.objects.get(name="通知"), handling="action", received_at=timezone.now(),
        signed_by=owner_clerk, files=[SimpleUploadedFile("附件.txt", "正文".encode())])
    w.attachment = w.doc.attachments.get()
    w.item = sup_workflow.create_item(
        acting_user=officer, title=ITEM_TITLE, requirement="按期办结", source_kind="document",
        lead_unit=lead, responsible=responsible, deadline=timezone.localdate() + dt.timedelta(days=9),
        assign=True)
    w.chase = sup_workflow.chase(item=w.item, acting_user=officer, note="请加快进度")
    rule = Rule.objects.create(code="R-1", area="general", kind="work_rule", title="考勤制度")
    w.rule_version = services.revise_rule(rule=rule, acting_user=officer, title="考勤制度", body="……")
    w.rule = rule
    conf = InformationSettings.load()
    conf.section = xxk  # only the administrators' unit: no persona reviews, the director sees all
    conf.save()
    w.session = StudySession.objects.create(date=timezone.localdate() + dt.timedelta(days=7), topic=STUDY_TOPIC,
                                            section=dcs, organiser=officer)
    StudyAttendance.objects.create(session=w.session, user=officer)
    w.note = StudyNote.objects.create(author=owner_clerk, title=NOTE_TITLE, body="……")  # private
    dcs_chief = UserFactory(username="owner_dcs_chief", roles=[roles.SECTION_CHIEF], unit=dcs)
    w.task = research_workflow.create_task(acting_user=dcs_chief, topic=TASK_TOPIC, lead=officer, method="field",
                                           due=timezone.localdate() + dt.timedelta(days=20))
    w.issue = research_workflow.create_issue(acting_user=dcs_chief)  # a draft: editors only
    w.info = info_workflow.create_item(acting_user=officer, title=INFO_TITLE, body="正文", source="某局报送",
                                       category=Category.objects.create(name="经济运行"), submit=True)
    w.users = {
        "clerk": UserFactory(username="p_clerk", roles=[roles.CLERK], unit=wdk),
        "secretary": UserFactory(username="p_secretary", roles=[roles.SECRETARY], unit=msk),
        "section_chief": UserFactory(username="p_chief", roles=[roles.SECTION_CHIEF], unit=msk),
        "office_director": UserFactory(username="p_director", roles=[roles.OFFICE_DIRECTOR], unit=msk),
        "county_leader": UserFactory(username="p_leader", roles=[roles.COUNTY_LEADER], unit=leaders),
        "unit_contact": UserFactory(username="p_contact", roles=[roles.UNIT_CONTACT], unit=other),
        "system_admin": UserFactory(username="p_sys", roles=[roles.SYSTEM_ADMIN], unit=xxk, is_staff=True),
        "security_admin": UserFactory(username="p_sec", roles=[roles.SECURITY_ADMIN], unit=xxk, is_staff=True),
        "audit_admin": UserFactory(username="p_aud", roles=[roles.AUDIT_ADMIN], unit=xxk, is_staff=True),
    }
    w.other_admin = UserFactory(username="other_admin", roles=[roles.AUDIT_ADMIN], unit=xxk, is_staff=True)
    w.business_target = responsible
    return w


# --- who sees the document and the item --------------------------------------------------------

SEES_DOC = {"clerk", "office_director"}  # the document office and the directors
SEES_ITEM = {"office_director"}  # the supervision office (none of the personas) and the directors
OFFICE = {"clerk", "office_director"}
MANAGER = {"office_director"}
LEADERS_REPORT = {"office_director", "county_leader"}
INFO = {"secretary", "section_chief", "office_director", "county_leader"}  # office.information
STAFF = {"clerk", "secretary", "section_chief", "office_director"}  # office.study
SEES_INFO = {"office_director"}  # another secretary's item under review: the director (and 信息科)
DASHBOARD = {"section_chief", "office_director", "county_leader"}  # office.dashboard


def app_cells(w):
    """(url, method, data, expected(persona) -> set of statuses, the marker the page may show)."""
    d, i = w.doc.pk, w.item.pk

    def page(allowed=None, refused=403):
        return lambda p: {200} if allowed is None or p in allowed else {refused}

    def obj(sees):
        return lambda p: {200} if p in sees else {404}

    def post_obj(sees):  # a refused or invalid step: visible -> 400/409, otherwise 404
        return lambda p: {400, 409} if p in sees else {404}

    def submit_rule(p):
        return {302, 409} if p in SEES_DOC else {404}

    cells = [
        ("/", "get", None, page(), None), ("/notifications/", "get", None, page(), None),
        ("/rules/", "get", None, page(), None), (f"/rules/{w.rule.pk}/", "get", None, page(), None),
        ("/rules/acknowledgements/", "get", None, page({"section_chief", "office_director"}), None),
        (f"/units/{w.item.lead_unit_id}/", "get", None, page(BUSINESS), None),
        ("/documents/phrases/", "get", None, page({"office_director", "county_leader"}), None),
        ("/accounts/password/", "get", None, page(), None),
        ("/accounts/security/", "get", None, page(), None),
        ("/documents/", "get", None, page(BUSINESS), DOC_TITLE),
        ("/documents/returned/", "get", None, page(BUSINESS), DOC_TITLE),
        ("/documents/register.xlsx", "get", None, page(BUSINESS), None),
        ("/documents/board/", "get", None, page(OFFICE), DOC_TITLE),
        ("/documents/new/", "get", None, page(OFFICE), None),
        (f"/documents/{d}/", "get", None, obj(SEES_DOC), DOC_TITLE),
        (f"/documents/{d}/slip.pdf", "get", None, obj(SEES_DOC), None),
        (f"/documents/attachments/{w.attachment.pk}/", "get", None, obj(SEES_DOC), None),
        (f"/documents/{d}/open/", "post", {}, lambda p: {302} if p in SEES_DOC else {404}, DOC_TITLE),
        ("/supervision/", "get", None, page(BUSINESS), ITEM_TITLE),
        ("/supervision/?scope=all", "get", None, page(BUSINESS), ITEM_TITLE),
        ("/supervision/?scope=all#htmx", "get", None, page(BUSINESS), ITEM_TITLE),  # the partial
        ("/documents/?q=矩阵#htmx", "get", None, page(BUSINESS), DOC_TITLE),
        ("/documents/board/#htmx", "get", None, page(OFFICE), DOC_TITLE),
        ("/dashboard/", "get", None, page(DASHBOARD), ITEM_TITLE),
        ("/dashboard/#htmx", "get", None, page(DASHBOARD), ITEM_TITLE),
        ("/supervision/new/", "get", None, page(MANAGER), None),
        ("/supervision/ledger.xlsx?scope=all", "get", None, page(BUSINESS), None),
        ("/supervision/report/", "get", None, page(LEADERS_REPORT), None),
        (f"/supervision/{i}/", "get", None, obj(SEES_ITEM), ITEM_TITLE),
        (f"/supervision/chases/{w.chase.pk}.pdf", "get", None, obj(SEES_ITEM), None),
    ]
    def info_obj(sees, ok=frozenset({200})):
        return lambda p: set(ok) if p in sees else ({404} if p in INFO else {403})

    f = w.info.pk
    cells += [
        ("/information/", "get", None, page(INFO), INFO_TITLE),
        ("/information/?scope=all", "get", None, page(INFO), INFO_TITLE),
        ("/information/new/", "get", None, page({"secretary"}), None),
        ("/information/quarter/", "get", None, page(INFO), None),
        ("/information/quarter/?year=2025&quarter=1&format=xlsx", "get", None, page(INFO), None),
        ("/information/quarter/?year=2025&quarter=1&format=pdf", "get", None, page(INFO), None),
        ("/information/quarter/close/", "post", {}, lambda p: {302} if p in INFO else {403}, None),
        (f"/information/{f}/", "get", None, info_obj(SEES_INFO), INFO_TITLE),
    ]
    def study_obj(sees, ok=frozenset({200})):
        return lambda p: set(ok) if p in sees else ({404} if p in STAFF else {403})

    cells += [
        ("/study/", "get", None, page(STAFF), None),
        ("/study/sessions/new/", "get", None, page({"section_chief", "office_director"}), None),
        ("/study/notes/new/", "get", None, page(STAFF), None),
        ("/study/month/", "get", None, page({"section_chief", "office_director"}), None),
        (f"/study/sessions/{w.session.pk}/", "get", None, study_obj({"office_director"}), None),
        (f"/study/sessions/{w.session.pk}/sign_in/", "post", {}, study_obj({"office_director"}, {409}), None),
        (f"/study/sessions/{w.session.pk}/record_attendance/", "post", {},
         study_obj({"office_director"}, {409}), None),
        (f"/study/notes/{w.note.pk}/", "get", None, study_obj(set()), NOTE_TITLE),
    ]
    RESEARCH = {"secretary", "section_chief", "office_director", "county_leader"}
    EDITORS = {"section_chief", "office_director"}

    def research_obj(sees, ok=frozenset({200})):
        return lambda p: set(ok) if p in sees else ({404} if p in RESEARCH else {403})

    cells += [
        ("/research/", "get", None, page(RESEARCH), TASK_TOPIC),
        ("/research/?scope=all", "get", None, page(RESEARCH), TASK_TOPIC),
        ("/research/new/", "get", None, page(EDITORS), None),
        (f"/research/{w.task.pk}/", "get", None, research_obj(EDITORS), TASK_TOPIC),
        (f"/research/{w.task.pk}/submit_report/", "post", {}, research_obj(EDITORS, {400}), TASK_TOPIC),
        ("/research/bulletin/", "get", None, page(RESEARCH), None),
        ("/research/bulletin/new/", "get", None, page(EDITORS), None),
        (f"/research/bulletin/{w.issue.pk}/", "get", None, research_obj(EDITORS), None),
        (f"/research/bulletin/{w.issue.pk}.pdf", "get", None, research_obj(EDITORS), None),
        (f"/research/bulletin/{w.issue.pk}/add_articles/", "post", {}, research_obj(EDITORS, {400}), None),
        (f"/research/bulletin/{w.issue.pk}/publish/", "post", {}, research_obj(EDITORS, {409}), None),
    ]
    chiefs = {"section_chief", "office_director"}
    subject = w.note.author_id  # the document office's clerk: only the director sees their assessment
    cells += [
        ("/assessment/", "get", None, page(STAFF), None),
        ("/assessment/?year=2025&format=pdf", "get", None, page(STAFF), None),
        ("/assessment/office/", "get", None, page(chiefs), None),
        ("/assessment/office/?format=xlsx", "get", None, page(chiefs), None),
        (f"/assessment/{subject}/", "get", None, study_obj({"office_director"}), None),
        (f"/assessment/{subject}/?format=pdf", "get", None, study_obj({"office_director"}), None),
    ]
    for step in info_workflow.TRANSITIONS:  # approve needs no field: the director's first POST succeeds
        ok = {302, 409} if step == "approve" else {400, 409}
        cells.append((f"/information/{f}/{step}/", "post", {}, info_obj(SEES_INFO, frozenset(ok)), INFO_TITLE))
    for step in doc_workflow.TRANSITIONS:
        if step == "recall_copy":
            continue
        rule = post_obj(SEES_DOC)
        if step == "submit_for_proposal":  # no required field: the document office's first POST succeeds
            rule = submit_rule
        cells.append((f"/documents/{d}/{step}/", "post", {}, rule, DOC_TITLE))
    for step in sup_workflow.TRANSITIONS:
        cells.append((f"/supervision/{i}/{step}/", "post", {}, post_obj(SEES_ITEM), ITEM_TITLE))
    cells.append(("/notifications/read/", "post", {"id": ["999999"]}, lambda p: {302}, None))
    cells.append((f"/rules/versions/{w.rule_version.pk}/acknowledge/", "post", {}, lambda p: {302}, None))
    return cells


def expected_app(persona, url, rule):
    if persona == "anonymous":
        return {302}
    if persona in ADMINS and url.startswith(("/documents/", "/supervision/", "/information/", "/study/", "/research/",
                                                         "/assessment/")):
        return {403}
    return rule(persona)


# --- Django admin ----------------------------------------------------------------------------

BUSINESS_MODELS = {"supervision.item", "documents.incomingdocument"}


def admin_cells(w):
    """Every registered model's changelist, add, change, history and delete pages, and the
    password page of a business account and of another administrator."""
    objects = {"office.user": w.business_target, "supervision.item": w.item,
               "documents.incomingdocument": w.doc, "office.rule": w.rule,
               "office.auditevent": AuditEvent.objects.order_by("pk").first(),
               "auth.group": Group.objects.get(name=roles.CLERK)}
    cells = [("/admin/", "get", None)]
    for model in admin.site._registry:
        label = model._meta.label_lower
        base = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        cells += [(base, "get", None), (base + "add/", "get", None)]
        obj = objects.get(label) or model._default_manager.order_by("pk").first()
        if obj is not None:
            cells += [(f"{base}{obj.pk}/change/", "get", None), (f"{base}{obj.pk}/history/", "get", None),
                      (f"{base}{obj.pk}/delete/", "get", None)]
    user = w.business_target.pk
    cells += [
        (f"/admin/office/user/{user}/password/", "get", None),
        (f"/admin/office/user/{user}/password/", "post",
         {"password1": "Mat@Rix-2026x", "password2": "Mat@Rix-2026x", "usable_password": "true"}),
        (f"/admin/office/user/{w.other_admin.pk}/password/", "get", None),
        (f"/admin/office/user/{w.other_admin.pk}/change/", "post", {"is_active": ""}),
        (f"/admin/office/auditevent/{objects['office.auditevent'].pk}/delete/", "post", {"post": "yes"}),
        (f"/admin/supervision/item/{w.item.pk}/delete/", "post", {"post": "yes"}),
    ]
    return cells


ADMIN_EXACT = {
    # (persona, url suffix) -> statuses, for the cells that carry the separation of duties
    ("system_admin", "/admin/office/user/{u}/password/"): {200},
    ("security_admin", "/admin/office/user/{u}/password/"): {403},
    ("audit_admin", "/admin/office/user/{u}/password/"): {403},
    ("system_admin", "/admin/office/auditevent/"): {403},
    ("security_admin", "/admin/office/auditevent/"): {403},
    ("audit_admin", "/admin/office/auditevent/"): {200},
}


def expected_admin(persona, url, method, w):
    if persona == "anonymous" or persona in BUSINESS:
        return {302}  # to the login: not staff
    u, a = w.business_target.pk, w.other_admin.pk
    if any(f"/admin/{m.replace('.', '/')}/" in url for m in BUSINESS_MODELS):
        return {403}
    if f"/user/{a}/" in url:
        return {403} if method == "post" or url.endswith("/password/") else {200, 403}
    if "/auditevent/" in url and (url.endswith("/delete/") or url.endswith("/add/")):
        return {403}
    if url == f"/admin/office/user/{u}/password/":
        if method == "post":
            return {302} if persona == "system_admin" else {403}
        return ADMIN_EXACT[(persona, "/admin/office/user/{u}/password/")]
    if url == "/admin/office/auditevent/":
        return ADMIN_EXACT[(persona, url)]
    if url == "/admin/":
        return {200}
    return {200, 403}  # by the role's model permissions; the invariants below still hold


def snapshot():
    return (list(IncomingDocument.objects.values_list("pk", "status", "handler_id", "title")),
            list(Item.objects.values_list("pk", "status", "responsible_id", "deadline")),
            Chase.objects.count(), list(InfoItem.objects.values_list("pk", "status", "title")),
            list(StudyAttendance.objects.values_list("pk", "signed_in_at", "leave_reason")),
            list(ResearchTask.objects.values_list("pk", "due")),
            list(ResearchIssue.objects.values_list("pk", "number")),
            AuditEvent.objects.filter(action__startswith="admin.").exclude(
                action__in=["admin.denied", "admin.grant_refused"]).count(),
            list(User.objects.order_by("pk").values_list("pk", "is_active", "password")))


def test_the_permission_matrix(client, world, capsys):
    tried, failures = 0, []
    cells = [("app", *c) for c in app_cells(world)] + [("admin", url, m, data, None)
                                                       for url, m, data in admin_cells(world)]
    markers = (DOC_TITLE, ITEM_TITLE, INFO_TITLE, NOTE_TITLE, TASK_TOPIC)
    for persona in PERSONAS:
        client.logout()
        if persona != "anonymous":
            client.force_login(world.users[persona])
        for kind, url, method, data, *rest in cells:
            tried += 1
            if kind == "app":
                expected = expected_app(persona, url, rest[0])
            else:
                expected = expected_admin(persona, url, method, world)
            before = snapshot() if method == "post" else None
            path, _sep, flavour = url.partition("#")
            headers = {"HTTP_HX_REQUEST": "true"} if flavour == "htmx" else {}
            data = dict(data or {})
            if kind == "app" and method == "post" and persona != "anonymous":
                data[once.FIELD] = once.new_token(world.users[persona])  # what the page's form carries
            response = getattr(client, method)(path, data, **headers)
            body = b"" if getattr(response, "streaming", False) else response.content
            text = body.decode("utf-8", "replace")
            problems = []
            if response.status_code not in expected:
                problems.append(f"status {response.status_code}, expected {sorted(expected)}")
            if response.status_code >= 500:
                problems.append("server error")
            may_see = (kind == "app" and response.status_code in (200, 400, 409)
                       and persona not in ADMINS)
            for m in markers:
                if m in text and not may_see:
                    problems.append(f"leaks {m}")
            if persona in ADMINS and any(m in text for m in markers):
                problems.append("business content shown to an administrator")
            if before is not None and response.status_code not in (200, 302) and snapshot() != before:
                problems.append("a refused POST changed something")
            if problems:
                failures.append(f"{persona:<16} {method.upper():<4} {url}: {'; '.join(problems)}")
            if (kind, url, method) == ("admin", f"/admin/office/user/{world.business_target.pk}/password/",
                                       "post") and response.status_code == 302:
                # the system administrator's reset succeeded: restore, so later personas meet it too
                User.objects.filter(pk=world.business_target.pk).update(must_change_password=False)
    passed = tried - len(failures)
    MATRIX_RESULT.update(cells=len(cells), personas=len(PERSONAS), tried=tried, passed=passed)
    with capsys.disabled():
        print(f"\npermission matrix: {len(cells)} URLs x {len(PERSONAS)} personas = {tried} cells "
              f"tried, {passed} passed")
    assert failures == [], "\n".join(failures)
