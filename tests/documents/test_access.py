"""Who sees which document, and who may take which step; refused requests change nothing."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from documents import selectors, workflow
from documents.models import DocumentEvent, IncomingDocument
from tests.helpers import with_token

PERSONAS = ["clerk", "director", "leader", "vice", "handler", "co_contact", "reader", "outsider"]


@pytest.fixture
def routed(dp, register_doc):
    """An action document instructed by the leader and handled by 财政局 with 教育局 as co-unit,
    and a read document circulated to one reader."""
    action = register_doc()
    workflow.submit_for_proposal(document=action, acting_user=dp.clerk)
    workflow.propose(document=action, acting_user=dp.director, proposal="拟请王县长阅示。", leaders=[dp.leader])
    workflow.instruct(document=action, acting_user=dp.leader, text="请财政局办理。")
    workflow.assign_handling(document=action, acting_user=dp.clerk, lead_unit=dp.czj, handler=dp.handler,
                             co_units=[dp.jyj], deadline=timezone.localdate() + dt.timedelta(days=3))
    read = register_doc(handling="read", sender_number="某政办发〔2026〕70号", title="关于某项工作的通报")
    workflow.circulate(document=read, acting_user=dp.clerk, readers=[dp.reader])
    return action, read


@pytest.mark.parametrize(("persona", "sees_action", "sees_read"), [
    ("clerk", True, True), ("director", True, True), ("leader", True, False), ("vice", False, False),
    ("handler", True, False), ("co_contact", True, False), ("reader", False, True),
    ("outsider", False, False),
])
def test_who_sees_which_document(client, dp, routed, persona, sees_action, sees_read):
    action, read = routed
    client.force_login(getattr(dp, persona))
    assert client.get(reverse("documents:detail", args=[action.pk])).status_code == (200 if sees_action else 404)
    assert client.get(reverse("documents:detail", args=[read.pk])).status_code == (200 if sees_read else 404)
    listed = client.get(reverse("documents:register")).content.decode()
    assert (action.title in listed) is sees_action and (read.title in listed) is sees_read
    slip = client.get(reverse("documents:slip", args=[action.pk]))
    assert slip.status_code == (200 if sees_action else 404)


def test_classified_metadata_only_for_cleared_users(client, dp, register_doc):
    doc = register_doc(acting_user=dp.secret_clerk, secrecy="secret", secrecy_years=5,
                       title="涉密文件标题")
    for persona, status in [("secret_clerk", 200), ("director", 200), ("clerk", 404), ("outsider", 404)]:
        client.force_login(getattr(dp, persona))
        assert client.get(reverse("documents:detail", args=[doc.pk])).status_code == status, persona
        assert ("涉密文件标题" in client.get(reverse("documents:register")).content.decode()) is (status == 200)


@pytest.mark.parametrize(("persona", "register_page", "board_page"), [
    ("clerk", 200, 200), ("director", 200, 200), ("leader", 403, 403), ("handler", 403, 403),
    ("reader", 403, 403),
])
def test_only_the_document_office_registers_and_watches_the_board(client, dp, persona, register_page, board_page):
    client.force_login(getattr(dp, persona))
    assert client.get(reverse("documents:new")).status_code == register_page
    assert client.get(reverse("documents:board")).status_code == board_page


def snapshot(doc):
    d = IncomingDocument.objects.get(pk=doc.pk)
    return (d.status, d.proposal, d.result, d.reply, d.handler_id,
            DocumentEvent.objects.filter(document=d).count())


STEPS = {
    # step: (allowed personas, prepare(dp, doc), POST data)
    "submit_for_proposal": ({"clerk", "director"}, None, {}),
    "return_to_sender": ({"clerk", "director"}, None, {"return_to_sender-reason": "format"}),
    "propose": ({"director"}, "submitted", {"propose-proposal": "拟办", "propose-leader_1": "LEADER"}),
    "instruct": ({"leader"}, "proposed", {"instruct-text": "同意"}),
    "record_result": ({"clerk", "director", "handler"}, "handling", {"record_result-text": "已办"}),
}


def _prepare(dp, doc, stage):
    if stage in ("submitted", "proposed", "handling"):
        workflow.submit_for_proposal(document=doc, acting_user=dp.clerk)
    if stage in ("proposed", "handling"):
        workflow.propose(document=doc, acting_user=dp.director, proposal="拟办", leaders=[dp.leader])
    if stage == "handling":
        workflow.instruct(document=doc, acting_user=dp.leader, text="请办理")
        workflow.assign_handling(document=doc, acting_user=dp.clerk, lead_unit=dp.czj, handler=dp.handler)


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("step", sorted(STEPS))
def test_step_permission_matrix(client, dp, register_doc, step, persona):
    allowed, stage, data = STEPS[step]
    doc = register_doc()
    if stage:
        _prepare(dp, doc, stage)
    data = {k: (dp.leader.pk if v == "LEADER" else v) for k, v in data.items()}
    before = snapshot(doc)
    client.force_login(getattr(dp, persona))
    response = client.post(reverse("documents:step", args=[doc.pk, step]), with_token(data, getattr(dp, persona)))
    if persona in allowed:
        assert response.status_code == 302, response.content.decode()[:2000]
        assert snapshot(doc) != before
    else:
        assert response.status_code in (404, 409)
        assert snapshot(doc) == before


def test_a_reader_marks_the_copy_read_from_the_page(client, dp, routed):
    _action, read = routed
    client.force_login(dp.reader)
    page = client.get(reverse("documents:detail", args=[read.pk])).content.decode()
    # viewing the page is no read receipt (a prefetch or a link preview would be one)
    assert 'data-state="not_opened"' in page and 'data-testid="open-copy"' in page
    assert read.circulations.get(reader=dp.reader).state == "not_opened"
    response = client.post(reverse("documents:open_copy", args=[read.pk]))
    assert response.status_code == 302
    page = client.get(reverse("documents:detail", args=[read.pk])).content.decode()
    assert 'data-state="opened"' in page and 'data-testid="open-copy"' not in page
    response = client.post(reverse("documents:step", args=[read.pk, "read_copy"]),
                           with_token({"read_copy-comment": "已阅"}, dp.reader))
    assert response.status_code == 302
    assert read.circulations.get(reader=dp.reader).state == "read"


def test_search_finds_chinese_words_inside_titles(dp, register_doc):
    a = register_doc(title="关于做好冬季安全生产工作的通知")
    b = register_doc(sender_number="某政办发〔2026〕71号", title="关于开展森林防火检查的通知")
    c = register_doc(sender_number="某政办发〔2026〕72号", title="关于安全生产大检查情况的报告")

    def found(q):
        return sorted(d.pk for d in selectors.register(dp.clerk, selectors.RegisterFilters(q=q), office=True))

    assert found("安全生产") == sorted([a.pk, c.pk])
    assert found("森林防火") == [b.pk]
    assert found("冬季") == [a.pk]
    assert found("市政府办") == sorted([a.pk, b.pk, c.pk])  # the sender's short name
    assert found("收〔2026〕2号") == [b.pk]
    assert found("洪水") == []


def test_register_filters(client, dp, register_doc):
    register_doc(title="普通件")
    register_doc(sender_number="某政办发〔2026〕80号", title="特急件", urgency="teji")
    client.force_login(dp.clerk)
    page = client.get(reverse("documents:register") + "?urgency=teji").content.decode()
    assert "特急件" in page and "普通件" not in page
    page = client.get(reverse("documents:register") + "?urgency=plain").content.decode()
    assert "普通件" in page and "特急件" not in page


def test_register_form_keeps_input_and_links_to_the_duplicate(client, dp, register_doc):
    first = register_doc()
    client.force_login(dp.clerk)
    response = client.post(reverse("documents:new"), with_token({
        "sender_name": "市政府办", "sender_number": "某政办发〔2026〕58号", "title": "再次登记的标题",
        "doc_type": first.doc_type_id, "handling": "read", "urgency": "", "secrecy": "",
        "copies": 1, "pages": 2, "received_at": "2026-11-27T10:00", "signed_by": dp.clerk.pk}, dp.clerk))
    page = response.content.decode()
    assert response.status_code == 400
    assert 'data-testid="duplicate"' in page and first.get_absolute_url() in page
    assert "再次登记的标题" in page
    assert IncomingDocument.objects.count() == 1


@pytest.mark.parametrize("readers", [1, 6])
def test_the_document_page_runs_a_fixed_number_of_queries(client, dp, register_doc,
                                                          django_assert_num_queries, readers):
    from tests.factories import UserFactory

    doc = register_doc(handling="read")
    people = [UserFactory(unit=dp.msk) for _ in range(readers)]
    workflow.circulate(document=doc, acting_user=dp.clerk, readers=people)
    for reader in people:
        workflow.read_copy(document=doc, acting_user=reader, comment="已阅")
    client.force_login(dp.clerk)
    url = reverse("documents:detail", args=[doc.pk])
    client.get(url)
    # session, user; roles, document settings; clearance (2); the document, co-units, attachments,
    # instructions, circulations, events (6); the audit of the view (1; no read receipt on a
    # GET); steps: unread copies, my copy to read; supervision items opened from it;
    # header unread count and unit; session save (savepoint, update, release)
    with django_assert_num_queries(22):
        page = client.get(url).content.decode()
    assert page.count('data-testid="copy"') == readers
