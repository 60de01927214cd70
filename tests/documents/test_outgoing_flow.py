"""The outgoing flow end to end (起草 → 核稿 → 签发 → 复核 → 编号 → 用印 → 印制 → 核发 → 签收),
returns with findings, sign-off authority, versions, numbering under concurrency, voiding."""

import threading

import pytest
from django.db import connection
from django.urls import reverse

from documents.models import IncomingDocument
from documents.outgoing import workflow
from documents.outgoing.models import (
    BodyVersion,
    Distribution,
    IssuedNumber,
    OutgoingDocument,
    OutgoingStatus,
    ReviewFinding,
    SealUse,
)
from office.models import AuditEvent, Counter
from office.workflow import WorkflowError
from tests.documents.outgoing_fixtures import through_sign_off
from tests.helpers import with_token

S = OutgoingStatus
pytestmark = pytest.mark.django_db


def issue(og, doc):
    """From signed to dispatched."""
    workflow.recheck(document=doc, acting_user=og.clerk)
    workflow.assign_number(document=doc, acting_user=og.clerk)
    workflow.apply_seal(document=doc, acting_user=og.clerk)
    workflow.print_document(document=doc, acting_user=og.clerk)
    workflow.dispatch(document=doc, acting_user=og.clerk)
    doc.refresh_from_db()
    return doc


def test_a_notice_goes_from_draft_to_signed_for(og, draft):
    doc = through_sign_off(og, draft())
    assert doc.status == S.RECHECK and doc.signed_on is not None
    doc = issue(og, doc)
    year = doc.signed_on.year
    assert doc.status == S.DISPATCHED and doc.number == f"某政办发〔{year}〕1号"
    assert doc.pdf.name.endswith(".pdf") and doc.issued_at is not None
    assert sorted(d.unit.code for d in doc.distributions.all()) == ["CGZ", "CZJ", "JYJ"]
    assert list(SealUse.objects.values_list("authority__name", "copies")) == [("某县人民政府办公室", 1)]
    row = doc.distributions.get(unit=og.jyj)
    workflow.sign_for(distribution=row, acting_user=og.contact)
    workflow.sign_for(distribution=row, acting_user=og.contact)  # a second signature changes nothing
    row.refresh_from_db()
    assert row.signed_for_by == og.contact
    assert doc.events.filter(kind="signed_for").count() == 1
    kinds = list(doc.events.values_list("kind", flat=True))
    assert kinds == ["drafted", "submitted", "reviewed", "reviewed", "signed", "rechecked", "numbered", "sealed",
                     "printed", "dispatched", "signed_for"]


def test_only_the_recipient_unit_signs_for_its_copy(og, draft):
    doc = issue(og, through_sign_off(og, draft()))
    with pytest.raises(WorkflowError):
        workflow.sign_for(distribution=doc.distributions.get(unit=og.jyj), acting_user=og.cz_contact)
    assert AuditEvent.objects.filter(action="outgoing.sign_for", result="failure").count() == 1


def test_the_sender_chases_units_that_have_not_signed(og, draft):
    doc = issue(og, through_sign_off(og, draft()))
    workflow.sign_for(distribution=doc.distributions.get(unit=og.jyj), acting_user=og.contact)
    waiting = workflow.chase_recipients(document=doc, acting_user=og.clerk)
    assert sorted(d.unit.code for d in waiting) == ["CGZ", "CZJ"]
    assert og.cz_contact.notifications.filter(title__startswith="请签收").count() == 1
    assert og.contact.notifications.filter(title__startswith="请签收").count() == 0


def test_a_return_records_findings_against_the_drafter(og, draft):
    doc = draft()
    workflow.submit(document=doc, acting_user=og.secretary)
    with pytest.raises(WorkflowError):
        workflow.return_draft(document=doc, acting_user=og.chief, reason="请修改")  # a return needs findings
    workflow.return_draft(document=doc, acting_user=og.chief, reason="请修改",
                          findings_found=[("typo", "“今东明春”应为“今冬明春”"), ("format", "层次序数用错")])
    doc.refresh_from_db()
    assert doc.status == S.DRAFT
    assert list(ReviewFinding.objects.values_list("drafter__username", "category", "stage")) == [
        ("sec", "typo", "section_review"), ("sec", "format", "section_review")]


def test_an_edit_that_only_changes_line_endings_or_spaces_is_not_a_version(og, draft):
    doc = draft()
    workflow.edit(document=doc, acting_user=og.secretary, title=doc.title + "  ",
                  body=doc.body.replace("\n", "\r\n") + "\r\n\r\n")
    assert BodyVersion.objects.filter(document=doc).count() == 1
    workflow.edit(document=doc, acting_user=og.secretary, title=doc.title, body=doc.body + "\n三、其他事项")
    assert list(doc.versions.values_list("number", flat=True)) == [1, 2]


def test_a_substantive_change_after_sign_off_goes_back_to_the_signer(og, draft):
    doc = through_sign_off(og, draft())
    workflow.edit(document=doc, acting_user=og.clerk, title=doc.title, body=doc.body.replace("12月10日", "12月20日"))
    doc.refresh_from_db()
    assert doc.status == S.SIGNING
    assert og.director.notifications.filter(title__startswith="签发后有修改").exists()
    workflow.sign_off(document=doc, acting_user=og.director, opinion="同意修改")
    workflow.recheck(document=doc, acting_user=og.clerk)
    doc.refresh_from_db()
    assert doc.status == S.NUMBERING and doc.signed_version == 2


def test_upward_documents_are_signed_by_the_principal_leader(og, draft):
    doc = draft(doc_type=og.qingshi, authority=og.gov, code=og.zf, title="某县人民政府关于拨付防火经费的请示",
                main_recipients=[og.city], body="联系人：何秘书，电话 1234。\n妥否，请批示。")
    workflow.submit(document=doc, acting_user=og.secretary)
    workflow.review(document=doc, acting_user=og.chief)
    acks = {w.code: "已核" for w in workflow.checks.warnings(workflow.findings(doc))}
    workflow.review(document=doc, acting_user=og.director, necessity="须向市政府请示", acknowledgements=acks)
    with pytest.raises(WorkflowError) as refused:
        workflow.sign_off(document=doc, acting_user=og.vice, opinion="同意")
    assert refused.value.code == "principal_only"
    with pytest.raises(WorkflowError) as refused:
        workflow.sign_off(document=doc, acting_user=og.director, opinion="同意")  # not a signer of the government
    assert refused.value.code == "forbidden"
    workflow.sign_off(document=doc, acting_user=og.head, opinion="同意")
    doc.refresh_from_db()
    assert doc.status == S.RECHECK and doc.direction == "up"


def test_a_vice_leader_may_sign_a_downward_government_notice(og, draft):
    doc = draft(authority=og.gov, code=og.zf, title="某县人民政府关于做好森林防火工作的通知")
    doc = through_sign_off(og, doc, signer=og.vice)
    assert doc.signoffs.get().leader == og.vice


def test_a_joint_document_is_countersigned_and_dated_by_the_last_signature(og, draft):
    from documents.outgoing.models import AuthorityLevel, IssuingAuthority

    party = IssuingAuthority.objects.create(name="中共某县委办公室", masthead="中共某县委办公室",
                                            level=AuthorityLevel.OFFICE, principal=og.vice)
    doc = draft(co_issuers=[party])
    workflow.submit(document=doc, acting_user=og.secretary)
    workflow.review(document=doc, acting_user=og.chief)
    workflow.review(document=doc, acting_user=og.director, necessity="联合部署")
    doc.refresh_from_db()
    assert doc.status == S.COUNTERSIGN
    with pytest.raises(WorkflowError):
        workflow.sign_off(document=doc, acting_user=og.director, opinion="同意")
    workflow.countersign(document=doc, acting_user=og.vice, opinion="同意")
    doc.refresh_from_db()
    assert doc.status == S.SIGNING
    workflow.sign_off(document=doc, acting_user=og.director, opinion="同意")
    doc.refresh_from_db()
    assert doc.signed_on == doc.signoffs.get().signed_on


def test_the_numbering_step_twice_gives_one_number(og, draft):
    doc = through_sign_off(og, draft())
    workflow.recheck(document=doc, acting_user=og.clerk)
    workflow.assign_number(document=doc, acting_user=og.clerk)
    with pytest.raises(WorkflowError):
        workflow.assign_number(document=doc, acting_user=og.clerk)  # already past numbering
    assert IssuedNumber.objects.count() == 1
    assert Counter.objects.get(key="outgoing:某政办发").value == 1


def test_the_numbering_form_resubmitted_gives_one_number(client, og, draft):
    doc = through_sign_off(og, draft())
    workflow.recheck(document=doc, acting_user=og.clerk)
    client.force_login(og.clerk)
    payload = with_token({}, og.clerk)
    url = reverse("documents:outgoing_step", args=[doc.pk, "assign_number"])
    assert [client.post(url, payload).status_code for _ in range(2)] == [302, 302]
    assert list(IssuedNumber.objects.values_list("serial", flat=True)) == [1]


def test_a_returned_numbered_document_keeps_its_number(og, draft):
    doc = through_sign_off(og, draft())
    workflow.recheck(document=doc, acting_user=og.clerk)
    workflow.assign_number(document=doc, acting_user=og.clerk)
    workflow.return_draft(document=doc, acting_user=og.clerk, reason="附件缺页")
    doc = through_sign_off(og, OutgoingDocument.objects.get(pk=doc.pk))
    workflow.recheck(document=doc, acting_user=og.clerk)
    workflow.assign_number(document=doc, acting_user=og.clerk)
    doc.refresh_from_db()
    assert doc.serial == 1 and IssuedNumber.objects.count() == 1
    assert Counter.objects.get(key="outgoing:某政办发").value == 1


def test_a_failure_after_taking_a_number_gives_it_back(og, draft, monkeypatch):
    doc = through_sign_off(og, draft())
    workflow.recheck(document=doc, acting_user=og.clerk)

    def broken(*args, **kwargs):
        raise WorkflowError("印章登记失败", code="broken")

    monkeypatch.setattr(workflow, "_move", broken)
    with pytest.raises(WorkflowError):
        workflow.assign_number(document=doc, acting_user=og.clerk)
    monkeypatch.undo()
    assert not IssuedNumber.objects.exists()
    workflow.assign_number(document=doc, acting_user=og.clerk)
    doc.refresh_from_db()
    assert doc.serial == 1


def test_a_voided_number_keeps_its_record_and_is_never_given_again(og, draft):
    doc = through_sign_off(og, draft())
    workflow.recheck(document=doc, acting_user=og.clerk)
    workflow.assign_number(document=doc, acting_user=og.clerk)
    workflow.void_number(document=doc, acting_user=og.clerk, reason="标题有误，重新编号")
    doc.refresh_from_db()
    assert doc.status == S.RECHECK and doc.number == ""
    workflow.recheck(document=doc, acting_user=og.clerk)
    workflow.assign_number(document=doc, acting_user=og.clerk)
    doc.refresh_from_db()
    assert doc.serial == 2
    voided = IssuedNumber.objects.get(serial=1)
    assert (voided.voided_by, voided.void_reason) == (og.clerk, "标题有误，重新编号")


def test_the_register_sorts_numbers_as_numbers_and_shows_voided_ones(client, og, draft):
    from office import numbering

    for _ in range(9):
        numbering.next_value("outgoing:某政办发", 2026)  # numbers 1–9 given earlier this year
    docs = []
    for n in range(2):
        doc = through_sign_off(og, draft(title=f"某县人民政府办公室关于第{n}项工作的通知"))
        workflow.recheck(document=doc, acting_user=og.clerk)
        workflow.assign_number(document=doc, acting_user=og.clerk)
        docs.append(doc)
    workflow.void_number(document=docs[1], acting_user=og.clerk, reason="重复发文")
    client.force_login(og.clerk)
    page = client.get(reverse("documents:outgoing")).content.decode()
    assert page.index("〕11号") < page.index("〕10号")  # newest first, 11 after 10 numerically
    assert "重复发文" in page


@pytest.mark.django_db(transaction=True)
def test_twenty_clerks_numbering_at_once_get_one_to_twenty(og, draft):
    docs = []
    for n in range(20):
        doc = through_sign_off(og, draft(title=f"某县人民政府办公室关于第{n}项工作的通知"))
        workflow.recheck(document=doc, acting_user=og.clerk)
        docs.append(doc)
    barrier = threading.Barrier(20)
    errors = []

    def number(doc):
        try:
            barrier.wait()
            workflow.assign_number(document=doc, acting_user=og.clerk)
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=number, args=(d,)) for d in docs]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(IssuedNumber.objects.values_list("serial", flat=True)) == list(range(1, 21))


def test_a_recipient_inside_the_office_receives_it_as_a_registered_incoming_document(og, draft):
    doc = draft(main_recipients=[og.jyj], copy_recipients=[og.wdk])
    doc = issue(og, through_sign_off(og, doc))
    from documents.outgoing import dispatching

    row = Distribution.objects.get(document=doc, unit=og.wdk)
    incoming = dispatching.register_as_incoming(distribution=row, acting_user=og.clerk)
    assert (incoming.sender_number, incoming.title) == (doc.number, doc.title)
    assert incoming.attachments.count() == 1
    with pytest.raises(WorkflowError) as again:
        dispatching.register_as_incoming(distribution=row, acting_user=og.clerk)
    assert again.value.code == "duplicate"
    assert IncomingDocument.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_bench_numbering_operation_gives_no_duplicates_and_no_gaps(og):
    """The `make bench` operation itself, small: 8 parallel clerks numbering 40 documents."""
    from documents.outgoing.bench import numbering_throughput
    from tests.factories import UserFactory

    UserFactory(username="bench_clerk", unit=og.wdk, roles=["clerk"])
    result = numbering_throughput(0, n=40, clients=8)
    assert (result["numbers"], result["duplicates"], result["gaps"], result["errors"]) == (40, 0, 0, [])
