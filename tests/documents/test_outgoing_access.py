"""Who sees and does what on an outgoing document: a step matrix over personas (a refused step
changes nothing), page visibility (404 for others, 403 for administrators), the pages through
the browser-facing views, and fixed query counts at two data sizes."""

import pytest
from django.urls import reverse

from documents.outgoing import workflow
from documents.outgoing.models import OutgoingDocument, OutgoingStatus
from office import roles
from tests.documents.outgoing_fixtures import through_sign_off
from tests.factories import UserFactory
from tests.helpers import with_token

S = OutgoingStatus
pytestmark = pytest.mark.django_db

PERSONAS = ["secretary", "chief", "other_chief", "director", "head", "vice", "clerk", "contact", "outsider"]


def snapshot(doc):
    doc = OutgoingDocument.objects.get(pk=doc.pk)
    return (doc.status, doc.number, doc.versions.count(), doc.findings.count(), doc.signoffs.count(),
            doc.seal_uses.count(), doc.distributions.count())


def at(og, draft, stage):
    doc = draft()
    if stage == "draft":
        return doc
    workflow.submit(document=doc, acting_user=og.secretary)
    if stage == "section_review":
        return doc
    workflow.review(document=doc, acting_user=og.chief)
    if stage == "office_review":
        return doc
    workflow.review(document=doc, acting_user=og.director, necessity="须发文")
    if stage == "signing":
        return doc
    workflow.sign_off(document=doc, acting_user=og.director, opinion="同意")
    if stage == "recheck":
        return doc
    workflow.recheck(document=doc, acting_user=og.clerk)
    if stage == "numbering":
        return doc
    workflow.assign_number(document=doc, acting_user=og.clerk)
    if stage == "sealing":
        return doc
    workflow.apply_seal(document=doc, acting_user=og.clerk)
    workflow.print_document(document=doc, acting_user=og.clerk)
    return doc


# step -> (personas allowed, stage, form data)
STEPS = {
    "submit": ({"secretary"}, "draft", {}),
    "review": ({"chief"}, "section_review", {}),
    "return_draft": ({"chief"}, "section_review",
                     {"return_draft-reason": "请修改", "return_draft-category_1": "typo",
                      "return_draft-finding_1": "错字"}),
    "sign_off": ({"director"}, "signing", {"sign_off-opinion": "同意"}),
    "recheck": ({"clerk", "other_chief", "director"}, "recheck", {"recheck-note": ""}),  # the document office
    "assign_number": ({"clerk", "other_chief", "director"}, "numbering", {}),
    "apply_seal": ({"clerk"}, "sealing", {"apply_seal-copies": 3}),  # the one granted 用印
    "edit": ({"secretary"}, "draft", {"edit-title": "某县人民政府办公室关于做好今冬明春森林防火工作的通知",
                                      "edit-body": "一、新的正文"}),
    "withdraw": ({"secretary", "director"}, "draft", {"withdraw-reason": "可发可不发"}),
}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("step", sorted(STEPS))
def test_step_permission_matrix(client, og, draft, step, persona):
    allowed, stage, data = STEPS[step]
    doc = at(og, draft, stage)
    before = snapshot(doc)
    user = getattr(og, persona)
    client.force_login(user)
    response = client.post(reverse("documents:outgoing_step", args=[doc.pk, step]), with_token(data, user))
    if persona in allowed:
        assert response.status_code == 302, response.content.decode()[:2000]
        assert snapshot(doc) != before
    else:
        assert response.status_code in (404, 409)
        assert snapshot(doc) == before


@pytest.mark.parametrize(("stage", "sees"), [
    ("draft", {"secretary", "chief", "director", "clerk", "other_chief"}),
    ("signing", {"secretary", "chief", "director", "clerk", "other_chief"}),  # the office's own, not the leaders'
])
def test_who_sees_a_document_in_flight(client, og, draft, stage, sees):
    doc = at(og, draft, stage)
    for persona in PERSONAS:
        client.force_login(getattr(og, persona))
        status = client.get(doc.get_absolute_url()).status_code
        assert status == (200 if persona in sees else 404), persona


def test_the_county_leaders_see_a_government_document_once_it_waits_for_sign_off(client, og, draft):
    doc = draft(authority=og.gov, code=og.zf, title="某县人民政府关于做好今冬明春森林防火工作的通知")
    client.force_login(og.head)
    assert client.get(doc.get_absolute_url()).status_code == 404  # a draft is not theirs yet
    workflow.submit(document=doc, acting_user=og.secretary)
    workflow.review(document=doc, acting_user=og.chief)
    workflow.review(document=doc, acting_user=og.director, necessity="须发文")
    for leader in (og.head, og.vice):
        client.force_login(leader)
        page = client.get(doc.get_absolute_url()).content.decode()
        assert 'data-step="sign_off"' in page


def test_recipients_see_a_dispatched_document_and_others_do_not(client, og, draft):
    doc = at(og, draft, "printing")
    workflow.dispatch(document=doc, acting_user=og.clerk)
    client.force_login(og.contact)  # 县教育局 is a main recipient
    page = client.get(doc.get_absolute_url())
    assert page.status_code == 200 and 'data-testid="sign-for"' in page.content.decode()
    client.force_login(og.outsider)
    assert client.get(doc.get_absolute_url()).status_code == 404


def test_administrators_get_403_on_outgoing_pages(client, og, draft):
    doc = draft()
    admin = UserFactory(username="sysadm", roles=[roles.SYSTEM_ADMIN])
    client.force_login(admin)
    for url in (reverse("documents:outgoing"), doc.get_absolute_url(), reverse("documents:outgoing_new")):
        assert client.get(url).status_code == 403


def test_drafting_through_the_form_shows_the_rule_findings(client, og):
    client.force_login(og.secretary)
    response = client.post(reverse("documents:outgoing_new"), with_token({
        "doc_type": og.baogao.pk, "authority": og.office.pk, "code": og.bf.pk,
        "title": "某县人民政府办公室关于森林防火工作情况的报告", "main_recipients": [og.city.pk],
        "body": "今年以来未发生火灾。妥否，请批示。", "copies": 2}, og.secretary), follow=True)
    page = response.content.decode()
    assert 'data-check="report_asks_approval"' in page and 'data-level="error"' in page
    doc = OutgoingDocument.objects.get()
    assert doc.direction == "up" and doc.drafter == og.secretary


def test_the_diff_shows_what_changed_between_versions(client, og, draft):
    doc = draft()
    workflow.edit(document=doc, acting_user=og.secretary, title=doc.title,
                  body=doc.body.replace("12月10日", "12月15日"))
    client.force_login(og.secretary)
    page = client.get(reverse("documents:outgoing_diff", args=[doc.pk]) + "?a=1&b=2").content.decode()
    assert 'data-op="del">− 二、加强巡查' not in page
    assert "12月10日" in page and "12月15日" in page and 'data-op="add"' in page and 'data-op="del"' in page


@pytest.mark.parametrize("extra", [0, 6])
def test_the_document_page_runs_a_fixed_number_of_queries(client, og, draft, django_assert_num_queries, extra):
    doc = at(og, draft, "recheck")
    for n in range(extra):
        workflow.return_draft(document=doc, acting_user=og.clerk, reason=f"第{n}次退回")
        doc = OutgoingDocument.objects.get(pk=doc.pk)
        workflow.edit(document=doc, acting_user=og.secretary, title=doc.title, body=doc.body + f"\n补充{n}")
        doc = through_sign_off(og, OutgoingDocument.objects.get(pk=doc.pk), signer=og.director)
    client.force_login(og.clerk)
    client.get(doc.get_absolute_url())
    with django_assert_num_queries(QUERIES_DETAIL):
        assert client.get(doc.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("count", [2, 12])
def test_the_register_runs_a_fixed_number_of_queries(client, og, draft, django_assert_num_queries, count):
    for _ in range(count):
        at(og, draft, "sealing")
    client.force_login(og.clerk)
    client.get(reverse("documents:outgoing"))
    with django_assert_num_queries(QUERIES_REGISTER):
        assert client.get(reverse("documents:outgoing")).status_code == 200


# session, user, MFA device check; document settings; the document with its relations (one query
# per prefetched relation); the rule checks' staff names and superiors; the one-time tokens
QUERIES_DETAIL = 24
QUERIES_REGISTER = 14  # + the count of the documents in progress (paginated since the dashboard links them)


def test_the_register_finds_what_the_clerk_typed(client, og, draft):
    """The core's search rule: any contiguous string of the title or body; a number however it
    is typed, first."""
    fire = at(og, draft, "sealing")
    water = draft(title="某县人民政府办公室关于加强农村饮水安全管理的通知", body="一、落实水源保护。\n请王喆同志牵头。")
    water = through_sign_off(og, water)
    workflow.recheck(document=water, acting_user=og.clerk)
    workflow.assign_number(document=water, acting_user=og.clerk)
    client.force_login(og.clerk)

    def found(q):
        page = client.get(reverse("documents:outgoing"), {"q": q}).content.decode()
        page = page[page.find('data-testid="number-register"'):] if 'number-register' in page else ""
        return [n for n in ("森林防火", "农村饮水") if f"关于做好今冬明春{n}" in page or f"关于加强{n}" in page]

    assert found("防火") == ["森林防火"]
    assert found("饮水安全") == ["农村饮水"]
    assert found("喆") == ["农村饮水"]  # a single rare character in the body
    fire.refresh_from_db()
    assert found(fire.number.replace("〔", "[").replace("〕", "]")) == ["森林防火"]


def test_a_register_page_is_read_off_its_index_however_long_the_register(og, draft):
    """The 发文登记簿's order (newest year, code, serial descending) is the order of the
    ``issued_number_register`` index: a page reads its 50 entries from the index, with no sort of
    the whole register (EXPLAIN on a seeded, analysed table)."""
    from django.db import connection

    from documents.outgoing import selectors
    from documents.outgoing.models import IssuedNumber

    doc = draft()
    rows = [IssuedNumber(code=code, year=year, serial=serial, number=f"{code.code}〔{year}〕{serial}号",
                         number_key=f"{code.pk}-{year}-{serial}", document=doc, given_by=og.clerk)
            for code in (og.zf, og.zh, og.bf) for year in range(2019, 2027) for serial in range(1, 1001)]
    IssuedNumber.objects.bulk_create(rows, batch_size=5000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE documents_issuednumber")
    page = selectors.number_register(selectors.RegisterFilters())[:50]
    plan = page.explain()
    assert "issued_number_register" in plan and "Sort" not in plan, plan
    numbers = [(n.year, n.code_id, n.serial) for n in page]
    assert numbers[0] == (2026, og.zf.pk, 1000) and numbers[:3] == [(2026, og.zf.pk, s) for s in (1000, 999, 998)]
    plan = selectors.number_register(selectors.RegisterFilters(year=2025))[:50].explain()
    assert "issued_number_register" in plan and "Sort" not in plan, plan
