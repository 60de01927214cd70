"""After the meeting: the 纪要 (drafted, reviewed, signed off, numbered per type and year, printed
with its 出席/请假/列席 blocks), decisions becoming supervision items once each (with their link),
their progress on the meeting page, conveyance, feedback, returned materials, and open decisions
of earlier meetings shown when the next one is prepared."""

import datetime as dt
import io

import pytest
from django.utils import timezone
from pypdf import PdfReader

from meetings import printing, workflow
from meetings.models import Decision, MeetingType, Status, Summary
from office.workflow import WorkflowError
from supervision.models import Item, SourceKind
from tests.helpers import with_token
from tests.meetings.conftest import in_days

pytestmark = pytest.mark.django_db

DECISIONS = [(0, "县教育局会同县财政局落实城关二小扩建资金。", "JYJ", 10), (0, "县财政局将资金列入预算。", "CZJ", 20)]


@pytest.fixture
def held(mp, staged):
    return staged("held", start=timezone.now() - dt.timedelta(days=1), decisions=DECISIONS)


def _text(data: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages).replace(" ", "")


def test_the_summary_is_drafted_from_the_minutes_and_decisions(mp, held):
    summary = held.summary
    assert summary.status == Summary.Status.DRAFT
    assert "一、JYJ议题" in summary.body
    assert "会议议定：县教育局会同县财政局落实城关二小扩建资金。" in summary.body
    assert "原则同意请求会议研究。" in summary.body  # the staged minutes


def test_review_and_sign_off_number_the_summary_per_type_and_year(mp, held, staged):
    with pytest.raises(WorkflowError) as exc:  # not before review
        workflow.sign_summary(meeting=held, acting_user=mp.leader)
    assert exc.value.code == "wrong_status"
    workflow.edit_summary(meeting=held, acting_user=mp.clerk, title=held.title, body=held.summary.body + "\n散会。")
    workflow.submit_summary(meeting=held, acting_user=mp.clerk)
    with pytest.raises(WorkflowError):  # a secretary does not review
        workflow.review_summary(meeting=held, acting_user=mp.organiser, approve=True)
    with pytest.raises(WorkflowError):  # returning needs a note
        workflow.review_summary(meeting=held, acting_user=mp.chief, approve=False)
    workflow.review_summary(meeting=held, acting_user=mp.chief, approve=False, note="第二部分请补充")
    assert Summary.objects.get(meeting=held).status == Summary.Status.DRAFT
    workflow.submit_summary(meeting=held, acting_user=mp.clerk)
    workflow.review_summary(meeting=held, acting_user=mp.chief, approve=True)
    with pytest.raises(WorkflowError):  # only the presiding leader signs off
        workflow.sign_summary(meeting=held, acting_user=mp.director)
    summary = workflow.sign_summary(meeting=held, acting_user=mp.leader)
    year = timezone.localdate().year
    assert summary.number == f"县政常纪〔{year}〕1号"
    held.refresh_from_db()
    assert held.status == Status.ISSUED
    # the next of the same type takes 2; another type counts on its own
    second = staged("issued", start=timezone.now() - dt.timedelta(days=2), title="第二次", stage_days=220)
    assert second.summary.number == f"县政常纪〔{year}〕2号"
    other_type = MeetingType.objects.create(name="专题会议", presiding=mp.vice, presiding_title="副县长",
                                            minutes_code="县政专纪", minutes_masthead="某县人民政府专题会议纪要")
    other_type.default_attendees.set([mp.director, mp.vice2])
    mp.type = other_type
    third = staged("issued", start=timezone.now() - dt.timedelta(days=3), title="专题", stage_days=240)
    assert third.summary.number == f"县政专纪〔{year}〕1号"


def test_a_refused_sign_off_consumes_no_number(mp, held):
    workflow.submit_summary(meeting=held, acting_user=mp.clerk)
    with pytest.raises(WorkflowError):
        workflow.sign_summary(meeting=held, acting_user=mp.leader)
    workflow.review_summary(meeting=held, acting_user=mp.chief, approve=True)
    assert workflow.sign_summary(meeting=held, acting_user=mp.leader).sequence == 1


def test_the_attendance_blocks_name_the_present_the_substitutes_and_those_on_leave(mp, held):
    present, absent, attending = workflow.attendance_blocks(held)
    # staged: director on time, vice's leave approved, chief came for vice2 (late, by the QR code)
    assert present == "陈主任、周科长（代张副县长）"
    assert absent == "李副县长"
    assert attending == ""


def test_the_summary_pdf_prints_masthead_number_and_attendance(mp, staged):
    meeting = staged("issued", start=timezone.now() - dt.timedelta(days=1), decisions=DECISIONS)
    text = _text(printing.summary_pdf(meeting.summary))
    assert "某县人民政府常务会议纪要" in text
    assert meeting.summary.number in text
    assert "出席：陈主任、周科长（代张副县长）" in text
    assert "请假：李副县长" in text
    assert "会议议定" in text


def test_the_notice_pdf(mp, staged):
    meeting = staged("notified")
    text = _text(printing.notice_pdf(meeting))
    assert f"关于召开{meeting.title}的通知" in text and "JYJ议题" in text and "一号会议室" in text


def test_each_decision_becomes_one_supervision_item_linked_to_its_meeting(mp, held, client):
    decision = held.decisions.get(unit=mp.jyj)
    client.force_login(mp.organiser)
    data = with_token({}, mp.organiser)
    first = client.post(f"/meetings/decisions/{decision.pk}/supervise/", data, follow=True)
    second = client.post(f"/meetings/decisions/{decision.pk}/supervise/", data, follow=True)  # a double click
    assert "此操作已提交并完成" in second.content.decode()
    assert Item.objects.count() == 1
    item = Item.objects.get()
    decision.refresh_from_db()
    assert decision.item == item
    assert (item.origin, item.source_kind, item.lead_unit, item.responsible, item.instructing_leader) == (
        decision, SourceKind.MEETING, mp.jyj, mp.contact, mp.leader)
    assert item.deadline == decision.deadline
    assert item.number in first.content.decode()
    # the item page links back to the meeting's decision
    client.force_login(mp.director)
    assert f"{held.get_absolute_url()}#decision-{decision.pk}" in client.get(item.get_absolute_url()).content.decode()
    # a second attempt through the workflow (another token) is refused
    with pytest.raises(WorkflowError) as exc:
        workflow.supervise_decision(decision=decision, acting_user=mp.organiser)
    assert exc.value.code == "duplicate"
    # the rest in one step; then nothing is left
    items = workflow.open_items(meeting=held, acting_user=mp.organiser)
    assert [i.lead_unit for i in items] == [mp.czj]
    with pytest.raises(WorkflowError):
        workflow.open_items(meeting=held, acting_user=mp.organiser)
    assert Item.objects.count() == 2


def test_only_organisers_and_the_supervision_office_open_items(mp, held):
    for person in (mp.contact, mp.vice, mp.outsider):
        with pytest.raises(WorkflowError):
            workflow.open_items(meeting=held, acting_user=person)
    assert len(workflow.open_items(meeting=held, acting_user=mp.officer)) == 2


def test_the_meeting_page_shows_each_decisions_progress_and_overdue(mp, held, client):
    workflow.open_items(meeting=held, acting_user=mp.organiser)
    late = Decision.objects.get(meeting=held, unit=mp.jyj).item
    past = timezone.localdate() - dt.timedelta(days=2)
    Item.objects.filter(pk=late.pk).update(deadline=past, original_deadline=past, deliver_by=past)
    client.force_login(mp.organiser)
    page = client.get(held.get_absolute_url()).content.decode()
    assert page.count('data-testid="decision-item"') == 2
    assert page.count('data-testid="decision-overdue"') == 1


def test_conveyance_by_the_responsible_unit_and_feedback(mp, held):
    with pytest.raises(WorkflowError):  # a unit without a decision
        workflow.record_conveyance(meeting=held, acting_user=mp.contact, unit=mp.wdk, conveyed_on=timezone.localdate(),
                                   method="meeting")
    with pytest.raises(WorkflowError):  # another unit's conveyance
        workflow.record_conveyance(meeting=held, acting_user=mp.contact, unit=mp.czj, conveyed_on=timezone.localdate(),
                                   method="meeting")
    with pytest.raises(WorkflowError):  # in the future
        workflow.record_conveyance(meeting=held, acting_user=mp.contact, unit=mp.jyj,
                                   conveyed_on=timezone.localdate() + dt.timedelta(days=1), method="meeting")
    record = workflow.record_conveyance(meeting=held, acting_user=mp.contact, unit=mp.jyj,
                                       conveyed_on=timezone.localdate(), method="document", note="转发至各学校")
    assert (record.unit, record.method) == (mp.jyj, "document")
    with pytest.raises(WorkflowError):  # someone with no decision of this meeting
        workflow.add_feedback(meeting=held, acting_user=mp.outsider, text="x")
    fb = workflow.add_feedback(meeting=held, acting_user=mp.fin, text="资金已列入预算调整方案。",
                               decision=held.decisions.get(unit=mp.czj))
    assert fb.unit == mp.czj


def test_materials_for_return_are_listed_after_the_meeting_and_marked_returned(mp, held, client):
    [material] = held.materials.filter(for_return=True)
    client.force_login(mp.organiser)
    page = client.get(held.get_absolute_url()).content.decode()
    assert 'data-testid="for-return"' in page and "☐ 会议议程及参阅件" in page
    workflow.mark_returned(meeting=held, acting_user=mp.organiser, materials=[material])
    material.refresh_from_db()
    assert material.returned_at is not None
    with pytest.raises(WorkflowError):
        workflow.mark_returned(meeting=held, acting_user=mp.organiser, materials=[material])


def test_open_decisions_of_earlier_meetings_show_when_the_next_is_prepared(mp, held, new_meeting, client):
    workflow.open_items(meeting=held, acting_user=mp.organiser)
    closed = Decision.objects.get(meeting=held, unit=mp.czj).item
    Item.objects.filter(pk=closed.pk).update(status="closed", result="已完成", closed_at=timezone.now())
    nxt = new_meeting(start=in_days(12))
    client.force_login(mp.organiser)
    page = client.get(nxt.get_absolute_url()).content.decode()
    assert 'data-testid="earlier-open"' in page
    assert "县教育局会同县财政局落实城关二小扩建资金" in page and "县财政局将资金列入预算" not in page
    # another type's meeting does not list them
    mp.type = MeetingType.objects.create(name="专题会议", presiding=mp.vice, presiding_title="副县长",
                                         minutes_code="县政专纪", minutes_masthead="专题会议纪要")
    other = new_meeting(start=in_days(13), room=mp.room2)
    assert other.type.name == "专题会议"
    assert 'data-testid="earlier-open"' not in client.get(other.get_absolute_url()).content.decode()
