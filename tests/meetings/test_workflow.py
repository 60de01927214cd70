"""The meeting lifecycle before and during the meeting, and each guard (a refusal changes nothing
and is audited)."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from meetings import workflow
from meetings.models import Attendee, Meeting, Status, Topic
from office.models import AuditEvent, Notification
from office.workflow import WorkflowError
from tests.meetings.conftest import in_days, upload

pytestmark = pytest.mark.django_db


def _snapshot(meeting):
    meeting.refresh_from_db()
    return (meeting.status, meeting.starts_at, meeting.sequence, meeting.notice_sent_at,
            meeting.events.count(), Notification.objects.count())


def test_a_new_meeting_books_its_room_invites_the_default_attendees_and_sets_the_topic_deadline(mp, new_meeting):
    start = in_days(14)
    meeting = new_meeting(start=start)
    assert meeting.status == Status.PLANNING
    assert meeting.bookings.get().room == mp.room
    assert sorted(meeting.attendees.values_list("user__username", flat=True)) == ["director", "vice", "vice2"]
    day = mp.cal.add_working_days(timezone.localdate(start), -3)
    assert timezone.localtime(meeting.topic_deadline) == timezone.make_aware(
        dt.datetime.combine(day, mp.cal.work_ends))
    assert Notification.objects.filter(recipient=mp.leader, title__contains=meeting.title).count() == 1


def test_only_organisers_create_meetings(mp, new_meeting):
    with pytest.raises(WorkflowError) as exc:
        new_meeting(acting_user=mp.contact)
    assert exc.value.code == "forbidden"
    assert Meeting.objects.count() == 0
    assert AuditEvent.objects.filter(action="meetings.create", result="failure").count() == 1


@pytest.mark.parametrize(("start_days", "minutes", "code"), [
    (10, 0, "invalid"), (10, -30, "invalid"), (10, 13 * 60, "invalid"), (-400, 60, "invalid"), (800, 60, "invalid"),
])
def test_impossible_times_are_refused(mp, new_meeting, start_days, minutes, code):
    with pytest.raises(WorkflowError) as exc:
        new_meeting(start=in_days(start_days), minutes=minutes)
    assert exc.value.code == code
    assert Meeting.objects.count() == 0


def test_topic_submitted_before_the_deadline_is_on_time_and_after_it_late(mp, new_meeting):
    meeting = new_meeting()
    on_time = workflow.submit_topic(meeting=meeting, acting_user=mp.contact, title="学位扩容", background="班额超标",
                                    request="同意扩建", files=[upload()])
    assert (on_time.is_late, on_time.materials.count(), on_time.unit) == (False, 1, mp.jyj)
    Meeting.objects.filter(pk=meeting.pk).update(topic_deadline=timezone.now() - dt.timedelta(minutes=1))
    late = workflow.submit_topic(meeting=meeting, acting_user=mp.fin, title="预算调整", background="收入下降",
                                 request="同意调整")
    assert late.is_late is True
    # a late topic cannot be accepted until a director (or the presiding leader) allows it
    with pytest.raises(WorkflowError) as exc:
        workflow.screen_topic(topic=late, acting_user=mp.chief, decision="accept")
    assert exc.value.code == "late"
    late.refresh_from_db()
    assert late.status == Topic.Status.SUBMITTED
    with pytest.raises(WorkflowError):
        workflow.allow_late_topic(topic=late, acting_user=mp.chief)  # a section chief may not allow it
    workflow.allow_late_topic(topic=late, acting_user=mp.director)
    workflow.screen_topic(topic=on_time, acting_user=mp.chief, decision="accept")
    accepted = workflow.screen_topic(topic=late, acting_user=mp.chief, decision="accept")
    assert (accepted.status, accepted.position) == (Topic.Status.ACCEPTED, 2)


def test_the_presiding_leader_may_allow_a_late_topic_too(mp, new_meeting):
    meeting = new_meeting()
    Meeting.objects.filter(pk=meeting.pk).update(topic_deadline=timezone.now() - dt.timedelta(hours=1))
    late = workflow.submit_topic(meeting=meeting, acting_user=mp.contact, title="迟报议题", background="b", request="r")
    workflow.allow_late_topic(topic=late, acting_user=mp.leader)
    late.refresh_from_db()
    assert late.late_approved_by == mp.leader


def test_a_unit_submits_for_itself_only_and_only_while_topics_are_collected(mp, new_meeting):
    meeting = new_meeting()
    with pytest.raises(WorkflowError) as exc:
        workflow.submit_topic(meeting=meeting, acting_user=mp.contact, title="t", background="b", request="r",
                              unit=mp.czj)
    assert exc.value.code == "forbidden"
    with pytest.raises(WorkflowError):
        workflow.submit_topic(meeting=meeting, acting_user=mp.outsider, title="t", background="b", request="r")
    # the meeting office may submit for any unit
    topic = workflow.submit_topic(meeting=meeting, acting_user=mp.organiser, title="t", background="b",
                                  request="r", unit=mp.czj)
    assert topic.unit == mp.czj
    workflow.screen_topic(topic=topic, acting_user=mp.chief, decision="accept")
    workflow.submit_for_approval(meeting=meeting, acting_user=mp.organiser)
    with pytest.raises(WorkflowError) as exc:
        workflow.submit_topic(meeting=meeting, acting_user=mp.contact, title="t2", background="b", request="r")
    assert exc.value.code == "wrong_status"
    assert Topic.objects.count() == 1


def test_screening_rejects_only_with_a_reason_and_defers_to_a_later_meeting(mp, new_meeting):
    meeting = new_meeting()
    later = new_meeting(start=in_days(30), title="县政府第13次常务会议")
    topic = workflow.submit_topic(meeting=meeting, acting_user=mp.contact, title="校舍", background="b",
                                  request="r", files=[upload()])
    with pytest.raises(WorkflowError):
        workflow.screen_topic(topic=topic, acting_user=mp.chief, decision="reject", note="  ")
    with pytest.raises(WorkflowError) as exc:
        workflow.screen_topic(topic=topic, acting_user=mp.organiser, decision="accept")  # not a screener
    assert exc.value.code == "forbidden"
    workflow.screen_topic(topic=topic, acting_user=mp.chief, decision="defer", defer_to=later, note="材料不全")
    topic.refresh_from_db()
    carried = later.topics.get()
    assert (topic.status, topic.deferred_to, carried.carried_from, carried.status) == (
        Topic.Status.DEFERRED, later, topic, Topic.Status.SUBMITTED)
    assert carried.materials.count() == 1
    assert Notification.objects.filter(recipient=mp.contact, title__contains="缓议").count() == 1


def test_the_agenda_must_be_screened_and_not_empty_before_approval(mp, new_meeting):
    meeting = new_meeting()
    with pytest.raises(WorkflowError) as exc:
        workflow.submit_for_approval(meeting=meeting, acting_user=mp.organiser)
    assert exc.value.code == "agenda_empty"
    a = workflow.submit_topic(meeting=meeting, acting_user=mp.contact, title="甲", background="b", request="r")
    with pytest.raises(WorkflowError) as exc:
        workflow.submit_for_approval(meeting=meeting, acting_user=mp.organiser)
    assert exc.value.code == "topics_open"
    b = workflow.submit_topic(meeting=meeting, acting_user=mp.fin, title="乙", background="b", request="r")
    workflow.screen_topic(topic=a, acting_user=mp.chief, decision="accept")
    workflow.screen_topic(topic=b, acting_user=mp.chief, decision="accept")
    workflow.order_agenda(meeting=meeting, acting_user=mp.organiser, order=[b.pk, a.pk])
    assert list(meeting.topics.order_by("position").values_list("title", flat=True)) == ["乙", "甲"]
    with pytest.raises(WorkflowError):
        workflow.order_agenda(meeting=meeting, acting_user=mp.organiser, order=[b.pk])
    workflow.submit_for_approval(meeting=meeting, acting_user=mp.organiser)
    meeting.refresh_from_db()
    assert meeting.status == Status.PENDING_APPROVAL


def test_no_notice_before_approval_and_only_the_presiding_leader_approves(mp, staged):
    meeting = staged("pending_approval")
    before = _snapshot(meeting)
    with pytest.raises(WorkflowError) as exc:
        workflow.send_notice(meeting=meeting, acting_user=mp.organiser)
    assert exc.value.code == "wrong_status"
    for person in (mp.director, mp.vice, mp.organiser):
        with pytest.raises(WorkflowError) as exc:
            workflow.approve(meeting=meeting, acting_user=person)
        assert exc.value.code == "forbidden"
    assert _snapshot(meeting) == before
    workflow.return_for_revision(meeting=meeting, acting_user=mp.leader, reason="请补充财政局议题")
    meeting.refresh_from_db()
    assert meeting.status == Status.PLANNING


def test_the_notice_goes_to_every_attendee_with_an_invitation_and_counts_working_days(mp, staged):
    meeting = staged("approved", start=in_days(20))
    mail.outbox.clear()
    sent = workflow.send_notice(meeting=meeting, acting_user=mp.organiser)
    meeting.refresh_from_db()
    assert sent == 3
    assert (meeting.status, meeting.short_notice) == (Status.NOTIFIED, False)
    notes = Notification.objects.filter(title__startswith="会议通知")
    assert sorted(n.recipient.username for n in notes) == ["director", "vice", "vice2"]
    assert {n.attachment_name for n in notes} == {"invite.ics"}
    assert b"METHOD:REQUEST" in bytes(notes[0].attachment_data)


def test_a_notice_with_fewer_working_days_than_the_type_asks_is_sent_but_flagged(mp, staged):
    start = timezone.make_aware(dt.datetime.combine(mp.cal.add_working_days(timezone.localdate(), 1),
                                                    dt.time(15, 0)))
    meeting = staged("approved", start=start)
    workflow.send_notice(meeting=meeting, acting_user=mp.organiser)
    meeting.refresh_from_db()
    assert meeting.short_notice is True
    assert meeting.events.get(kind="send_notice").data["working_days"] == 1


def test_answers_leave_substitute_and_the_leave_decision(mp, staged):
    meeting = staged("notified")  # staged answers: director attends, vice asks for leave, vice2 sends chief
    assert dict(meeting.attendees.values_list("user__username", "response")) == {
        "director": "attending", "vice": "leave_requested", "vice2": "substitute"}
    assert Notification.objects.filter(recipient=mp.chief, attachment_name="invite.ics").count() == 1
    with pytest.raises(WorkflowError):
        workflow.answer(meeting=meeting, acting_user=mp.director, response="leave", reason="")
    with pytest.raises(WorkflowError):  # an invited person cannot be someone's substitute
        workflow.answer(meeting=meeting, acting_user=mp.director, response="substitute", substitute=mp.vice)
    with pytest.raises(WorkflowError):  # nobody who is not invited answers
        workflow.answer(meeting=meeting, acting_user=mp.outsider, response="attending")
    # vice2 changes the substitute: the new one is invited, the old one told
    workflow.answer(meeting=meeting, acting_user=mp.vice2, response="substitute", substitute=mp.clerk)
    row = meeting.attendees.get(user=mp.vice2)
    assert (row.response, row.substitute) == (Attendee.Response.SUBSTITUTE, mp.clerk)
    assert Notification.objects.filter(recipient=mp.clerk, attachment_name="invite.ics").count() == 1
    assert Notification.objects.filter(recipient=mp.chief, attachment_name="cancel.ics").count() == 1
    leave = meeting.attendees.get(user=mp.vice)
    with pytest.raises(WorkflowError):  # neither the presiding leader nor a director
        workflow.decide_leave(meeting=meeting, acting_user=mp.vice2, attendee=leave, approve=True)
    workflow.decide_leave(meeting=meeting, acting_user=mp.director, attendee=leave, approve=False, note="请准时参会")
    leave.refresh_from_db()
    assert leave.response == Attendee.Response.LEAVE_REFUSED
    assert Notification.objects.filter(recipient=mp.vice, title__startswith="请假未批准").count() == 1
    with pytest.raises(WorkflowError) as exc:
        workflow.decide_leave(meeting=meeting, acting_user=mp.leader, attendee=leave, approve=True)
    assert exc.value.code == "none_pending"


def test_answers_close_when_the_meeting_starts(mp, staged):
    meeting = staged("notified")
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=timezone.now() - dt.timedelta(minutes=1))
    with pytest.raises(WorkflowError) as exc:
        workflow.answer(meeting=meeting, acting_user=mp.vice, response="attending")
    assert exc.value.code == "too_late"


def test_no_unprepared_meeting_materials_and_checklist_first(mp, staged):
    meeting = staged("notified", topics=("JYJ", "CZJ"))
    # the staged meeting: JYJ's topic came with materials, CZJ's without
    with pytest.raises(WorkflowError) as exc:
        workflow.mark_ready(meeting=meeting, acting_user=mp.organiser)
    assert exc.value.code == "not_ready"
    assert "CZJ议题" in exc.value.message and "会场布置" in exc.value.message and "JYJ议题" not in exc.value.message
    meeting.refresh_from_db()
    assert meeting.status == Status.NOTIFIED
    czj = meeting.topics.get(unit=mp.czj)
    workflow.upload_materials(meeting=meeting, acting_user=mp.fin, topic=czj, files=[upload("预算.pdf")])
    workflow.tick_checklist(meeting=meeting, acting_user=mp.organiser, done=mp.checks[:1])
    with pytest.raises(WorkflowError) as exc:
        workflow.mark_ready(meeting=meeting, acting_user=mp.organiser)
    assert "材料印制" in exc.value.message and "会场布置" not in exc.value.message
    workflow.tick_checklist(meeting=meeting, acting_user=mp.organiser, done=mp.checks)
    workflow.mark_ready(meeting=meeting, acting_user=mp.organiser)
    meeting.refresh_from_db()
    assert meeting.status == Status.READY


def test_a_unit_adds_materials_to_its_own_topic_only(mp, staged):
    meeting = staged("notified", topics=("JYJ", "CZJ"))
    czj = meeting.topics.get(unit=mp.czj)
    with pytest.raises(WorkflowError) as exc:
        workflow.upload_materials(meeting=meeting, acting_user=mp.contact, topic=czj, files=[upload()])
    assert exc.value.code == "forbidden"
    with pytest.raises(WorkflowError):  # a disguised file is refused
        workflow.upload_materials(meeting=meeting, acting_user=mp.fin, topic=czj,
                                  files=[upload("预算.pdf", b"MZ\x90\x00" + b"\x00" * 200)])
    assert czj.materials.count() == 0


def test_adding_after_the_notice_sends_it_and_removing_sends_a_cancellation(mp, staged):
    meeting = staged("notified")
    workflow.add_attendees(meeting=meeting, acting_user=mp.organiser, units=[mp.jyj], kind=Attendee.Kind.OBSERVE)
    row = meeting.attendees.get(user=mp.head)
    assert (row.unit, row.kind) == (mp.jyj, Attendee.Kind.OBSERVE)
    assert Notification.objects.filter(recipient=mp.head, attachment_name="invite.ics").count() == 1
    workflow.remove_attendee(meeting=meeting, acting_user=mp.organiser, attendee=row, reason="议题调整")
    cancel = Notification.objects.get(recipient=mp.head, attachment_name="cancel.ics")
    assert b"METHOD:CANCEL" in bytes(cancel.attachment_data)
    with pytest.raises(WorkflowError):
        workflow.remove_attendee(meeting=meeting, acting_user=mp.organiser, attendee=row)
    with pytest.raises(WorkflowError) as exc:
        workflow.add_attendees(meeting=meeting, acting_user=mp.organiser, users=[mp.vice])
    assert exc.value.code == "unchanged"


def test_the_clerk_marks_people_present_in_the_window_and_lateness_counts_from_the_start(mp, staged):
    meeting = staged("ready", start=timezone.now() + dt.timedelta(minutes=20))
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=timezone.now() - dt.timedelta(minutes=10),
                                                 ends_at=timezone.now() + dt.timedelta(minutes=80))
    meeting.refresh_from_db()
    vice = meeting.attendees.get(user=mp.director)
    with pytest.raises(WorkflowError):  # only the meeting office or the minute-taker
        workflow.mark_present(meeting=meeting, acting_user=mp.vice2, attendees=[vice])
    with pytest.raises(WorkflowError):  # not before the window opens
        workflow.mark_present(meeting=meeting, acting_user=mp.clerk, attendees=[vice],
                              at=meeting.starts_at - dt.timedelta(minutes=31))
    at = meeting.starts_at + dt.timedelta(minutes=3, seconds=40)
    [row] = workflow.mark_present(meeting=meeting, acting_user=mp.clerk, attendees=[vice], at=at)
    assert (row.late_minutes, row.sign_in_method, row.signed_in_person) == (3, "clerk", mp.director)
    with pytest.raises(WorkflowError):  # already signed in
        workflow.mark_present(meeting=meeting, acting_user=mp.clerk, attendees=[vice])


def test_minutes_and_decisions_belong_to_the_agenda(mp, staged):
    meeting = staged("ready", start=timezone.now() + dt.timedelta(minutes=20))
    topic = meeting.topics.get()
    workflow.record_minutes(topic=topic, acting_user=mp.clerk, text="会议讨论了……")
    with pytest.raises(WorkflowError):
        workflow.record_minutes(topic=topic, acting_user=mp.contact, text="x")
    deadline = mp.cal.add_working_days(timezone.localdate(), 10)
    with pytest.raises(WorkflowError):  # the person must belong to the unit
        workflow.add_decision(meeting=meeting, acting_user=mp.clerk, topic=topic, text="落实", unit=mp.czj,
                              responsible=mp.contact, deadline=deadline)
    with pytest.raises(WorkflowError):
        workflow.add_decision(meeting=meeting, acting_user=mp.clerk, topic=topic, text="落实", unit=mp.jyj,
                              responsible=mp.contact, deadline=timezone.localdate() - dt.timedelta(days=1))
    saturday = timezone.localdate() + dt.timedelta(days=(5 - timezone.localdate().weekday()) % 7 or 7)
    decision = workflow.add_decision(meeting=meeting, acting_user=mp.clerk, topic=topic, text="落实",
                                     unit=mp.jyj, responsible=mp.contact, deadline=saturday)
    assert decision.deadline == mp.cal.deadline_on(saturday) != saturday
    with pytest.raises(WorkflowError) as exc:  # not before it starts
        workflow.conclude(meeting=meeting, acting_user=mp.clerk)
    assert exc.value.code == "too_early"


def test_a_meeting_on_a_day_off_is_flagged(mp, new_meeting, client):
    today = timezone.localdate()
    sunday = today + dt.timedelta(days=(6 - today.weekday()) or 7)
    meeting = new_meeting(start=timezone.make_aware(dt.datetime.combine(sunday, dt.time(9, 0))))
    assert workflow.day_off_flag(meeting, mp.cal) is True
    assert meeting.events.get(kind="create").data["day_off"] is True
    client.force_login(mp.organiser)
    assert 'data-testid="day-off"' in client.get(meeting.get_absolute_url()).content.decode()
    monday = timezone.make_aware(dt.datetime.combine(sunday + dt.timedelta(days=1), dt.time(9, 0)))
    other = new_meeting(start=monday, room=mp.room2)
    assert workflow.day_off_flag(other, mp.cal) is (not mp.cal.is_working_day(sunday + dt.timedelta(days=1)))
