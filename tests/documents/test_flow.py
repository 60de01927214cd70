"""The whole flow for 阅件 and 办件, the return path, classified registration, duplicates."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from documents import workflow
from documents.models import Circulation, DocumentEvent, IncomingDocument, Status
from documents.workflow import WorkflowError
from office.models import AuditEvent, Notification
from supervision.models import Item


def kinds(doc):
    return list(DocumentEvent.objects.filter(document=doc).order_by("pk").values_list("kind", flat=True))


def test_registration_numbers_per_year_and_computes_the_due_time(register_doc):
    first = register_doc()
    second = register_doc(sender_number="某政办发〔2026〕59号")
    assert (first.number, second.number) == ("收〔2026〕1号", "收〔2026〕2号")
    # ordinary document received Friday 09:00 before the cutoff: due at the end of that day
    assert timezone.localtime(first.due_at).strftime("%Y-%m-%d %H:%M") == "2026-11-27 17:30"
    assert first.status == Status.REGISTERED and first.cleared_at is None
    assert AuditEvent.objects.filter(action="documents.register").count() == 2


def test_read_document_circulates_in_order_with_receipts_and_is_archived(dp, register_doc):
    doc = register_doc(handling="read")
    workflow.circulate(document=doc, acting_user=dp.clerk, readers=[dp.reader, dp.reader2],
                       sequential=True)
    doc.refresh_from_db()
    assert doc.status == Status.CIRCULATING and doc.cleared_at is not None
    first, second = Circulation.objects.filter(document=doc).order_by("order")
    assert first.state == "not_opened" and second.state == "waiting"
    assert workflow.open_copy(document=doc, acting_user=dp.reader) is True
    assert workflow.open_copy(document=doc, acting_user=dp.reader) is False  # idempotent
    with pytest.raises(WorkflowError):  # not yet reader2's turn
        workflow.read_copy(document=doc, acting_user=dp.reader2)
    with pytest.raises(WorkflowError):  # cannot archive while copies are unread
        workflow.archive(document=doc, acting_user=dp.clerk)
    workflow.read_copy(document=doc, acting_user=dp.reader, comment="已阅，请秘书科落实。")
    second.refresh_from_db()
    assert second.sent_at is not None  # the next reader's copy goes out
    assert Notification.objects.filter(recipient=dp.reader2, title__startswith="待阅").exists()
    workflow.read_copy(document=doc, acting_user=dp.reader2)
    workflow.archive(document=doc, acting_user=dp.clerk)
    doc.refresh_from_db()
    assert doc.status == Status.ARCHIVED
    assert kinds(doc) == ["registered", "circulated", "opened", "read", "read", "archived"]
    with pytest.raises(WorkflowError) as exc:  # read-only from then on
        workflow.add_readers(document=doc, acting_user=dp.clerk, readers=[dp.outsider])
    assert exc.value.code == "archived"


def test_an_unopened_copy_can_be_pulled_back_but_not_an_opened_one(dp, register_doc):
    doc = register_doc(handling="read")
    workflow.circulate(document=doc, acting_user=dp.clerk, readers=[dp.reader, dp.reader2])
    c1, c2 = Circulation.objects.filter(document=doc).order_by("order")
    workflow.open_copy(document=doc, acting_user=dp.reader)
    with pytest.raises(WorkflowError) as exc:
        workflow.recall_copy(document=doc, acting_user=dp.clerk, circulation=c1)
    assert exc.value.code == "opened"
    workflow.recall_copy(document=doc, acting_user=dp.clerk, circulation=c2)
    c2.refresh_from_db()
    assert c2.state == "recalled"


def test_action_document_from_proposal_to_archive(dp, register_doc, django_capture_on_commit_callbacks):
    doc = register_doc()
    workflow.submit_for_proposal(document=doc, acting_user=dp.clerk)
    assert IncomingDocument.objects.get(pk=doc.pk).cleared_at is not None
    workflow.propose(document=doc, acting_user=dp.director, proposal="拟请王县长、张副县长阅示。",
                     leaders=[dp.leader, dp.vice])
    with pytest.raises(WorkflowError):  # the second leader waits for the first
        workflow.instruct(document=doc, acting_user=dp.vice, text="同意")
    workflow.instruct(document=doc, acting_user=dp.leader, text="请县财政局牵头办理。")
    assert IncomingDocument.objects.get(pk=doc.pk).status == Status.INSTRUCTING
    workflow.instruct(document=doc, acting_user=dp.vice, text="同意王县长意见。")
    assert IncomingDocument.objects.get(pk=doc.pk).status == Status.INSTRUCTED
    workflow.assign_handling(document=doc, acting_user=dp.clerk, lead_unit=dp.czj,
                             handler=dp.handler, co_units=[dp.jyj],
                             deadline=timezone.localdate() + dt.timedelta(days=5))
    workflow.record_result(document=doc, acting_user=dp.handler, result="已拨付资金。")
    workflow.record_reply(document=doc, acting_user=dp.handler, reply="已函复市政府办。")
    workflow.close(document=doc, acting_user=dp.clerk)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        workflow.archive(document=doc, acting_user=dp.clerk)
    assert len(callbacks) == 1  # the routing slip is rendered after the commit
    assert kinds(doc) == ["registered", "submitted", "proposed", "instructed", "instructed",
                          "assigned", "result", "replied", "closed", "archived"]


def test_urgent_document_handling_needs_a_deadline(dp, register_doc):
    doc = register_doc(urgency="teji")
    workflow.submit_for_proposal(document=doc, acting_user=dp.clerk)
    with pytest.raises(WorkflowError, match="时限"):
        workflow.assign_handling(document=doc, acting_user=dp.director, lead_unit=dp.czj,
                                 handler=dp.handler)
    assert IncomingDocument.objects.get(pk=doc.pk).status == Status.PROPOSING


def test_return_path_leaves_the_queue_and_stays_in_the_returned_register(dp, register_doc, client):
    doc = register_doc()
    with pytest.raises(WorkflowError):  # "other" needs an explanation
        workflow.return_to_sender(document=doc, acting_user=dp.clerk, reason="other", note="")
    workflow.return_to_sender(document=doc, acting_user=dp.clerk, reason="not_for_leaders",
                              note="属部门职权范围，请直接报送。")
    doc.refresh_from_db()
    assert (doc.status, doc.return_reason) == (Status.RETURNED, "not_for_leaders")
    assert doc.cleared_at is not None
    client.force_login(dp.clerk)
    board = client.get("/documents/board/").content.decode()
    assert doc.title not in board
    returned = client.get("/documents/returned/").content.decode()
    assert returned.count('data-testid="returned-row"') == 1 and "属部门职权范围" in returned


def test_classified_documents_are_metadata_only(dp, register_doc):
    pdf = SimpleUploadedFile("密件.pdf", b"%PDF-1.4")
    with pytest.raises(WorkflowError) as exc:
        register_doc(acting_user=dp.secret_clerk, secrecy="secret", secrecy_years=10, files=[pdf])
    assert exc.value.code == "classified" and "涉密不上网" in exc.value.message
    with pytest.raises(WorkflowError) as exc:  # only cleared staff register classified documents
        register_doc(secrecy="secret", secrecy_years=10)
    assert exc.value.code == "forbidden"
    with pytest.raises(WorkflowError):  # 秘密 at most 10 years
        register_doc(acting_user=dp.secret_clerk, secrecy="secret", secrecy_years=11)
    doc = register_doc(acting_user=dp.secret_clerk, secrecy="secret", secrecy_years=10)
    assert doc.secrecy_label() == "秘密★10年" and doc.attachments.count() == 0
    assert IncomingDocument.objects.count() == 1


def test_duplicate_registration_is_caught_with_a_link_to_the_first(dp, register_doc):
    first = register_doc()
    with pytest.raises(WorkflowError) as exc:
        register_doc(title="重复登记")
    assert exc.value.code == "duplicate" and exc.value.existing == first
    assert IncomingDocument.objects.count() == 1
    # a returned document may come back corrected under the same number
    workflow.return_to_sender(document=first, acting_user=dp.clerk, reason="format")
    again = register_doc(title="更正后重新报送")
    assert again.number == "收〔2026〕2号"


@pytest.mark.parametrize(("number", "warns"), [
    ("某政办发〔2026〕58号", False), ("国办发〔2012〕10号", False),
    ("某政办发[2026]58号", True), ("某政办发〔26〕58号", True), ("某政办发〔2026〕058号", True),
    ("某政办发〔2026〕第58号", True), ("", False),
])
def test_sender_number_form_check(number, warns):
    assert bool(workflow.sender_number_warning(number)) is warns


def test_telegram_urgencies_only_on_telegrams(dp, register_doc):
    with pytest.raises(WorkflowError):
        register_doc(urgency="teti")
    doc = register_doc(urgency="teti", is_telegram=True)
    assert doc.urgency == "teti"


def test_one_click_turns_the_instruction_into_a_supervision_item_linked_both_ways(dp, register_doc):
    from supervision.services import items_for_origin

    doc = register_doc()
    workflow.submit_for_proposal(document=doc, acting_user=dp.clerk)
    workflow.propose(document=doc, acting_user=dp.director, proposal="拟请王县长阅示。", leaders=[dp.leader])
    workflow.instruct(document=doc, acting_user=dp.leader, text="请县财政局十个工作日内办结。")
    item = workflow.supervise(document=doc, acting_user=dp.clerk, requirement="请县财政局十个工作日内办结。",
                              lead_unit=dp.czj, responsible=dp.handler, working_days=10)
    assert item.origin == doc and item.instructing_leader == dp.leader
    assert item.source_kind == "instruction" and item.status == "assigned"
    assert items_for_origin(doc) == [item]
    assert kinds(doc)[-1] == "supervised"
    assert Item.objects.count() == 1


def test_attachments_are_indexed_and_their_type_checked(dp, register_doc, settings, tmp_path, eager_celery,
                                                        django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT = tmp_path
    with pytest.raises(WorkflowError):
        register_doc(files=[SimpleUploadedFile("x.exe", b"MZ")])
    # the text is extracted by a task queued when the registration commits
    with django_capture_on_commit_callbacks(execute=True):
        doc = register_doc(files=[SimpleUploadedFile("附件.txt", "请各乡镇开展森林防火检查".encode())])
    assert doc.attachments.get().text == "请各乡镇开展森林防火检查"
    from documents import selectors

    found = selectors.register(dp.clerk, selectors.RegisterFilters(q="森林防火"), office=True)
    assert list(found) == [doc]


def test_an_archived_document_carries_its_routing_slip(dp, register_doc, settings, tmp_path):
    from documents.tasks import store_routing_slip

    settings.MEDIA_ROOT = tmp_path
    doc = register_doc(handling="read")
    assert store_routing_slip(doc.pk) is False  # not archived yet: nothing to keep
    workflow.circulate(document=doc, acting_user=dp.clerk, readers=[dp.reader])
    workflow.read_copy(document=doc, acting_user=dp.reader, comment="已阅")
    workflow.archive(document=doc, acting_user=dp.clerk)
    assert store_routing_slip(doc.pk) is True
    doc.refresh_from_db()
    with doc.routing_slip.open("rb") as f:
        assert f.read(4) == b"%PDF"
    assert store_routing_slip(doc.pk) is False  # safe to run twice
