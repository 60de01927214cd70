"""Demo meetings in every state, on working days in office hours, through the real workflow:
collecting topics, awaiting approval, approved, notice sent (with answers: leave, a substitute),
ready, held (sign-ins on time, late, by a substitute, an absence; minutes and decisions; the
summary drafted), minutes issued (decisions supervised, conveyance, feedback), cancelled.
Idempotent: nothing is added when the demo meetings exist. ``run`` is the scenario engine the
samples (``meetings.samples``) use too."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.utils import timezone

from meetings import signin, workflow
from meetings.models import (
    Attendee,
    ChecklistItem,
    Meeting,
    MeetingReminder,
    MeetingSettings,
    MeetingType,
    Room,
    RoomBooking,
    Topic,
)
from office.models import Unit, User
from office.workdays import WorkCalendar

ORDER = ["planning", "pending_approval", "approved", "notified", "ready", "held", "issued"]

CHECKLIST = ["会场布置", "设备调试（音响、投影、视频会议）", "座次安排与桌签", "会议材料印制"]


@dataclass
class Cast:
    organiser: User  # a member of the meeting office
    screener: User  # its section chief
    director: User
    clerk: User
    presiding: User
    contacts: dict[str, User]  # unit code -> the unit's contact
    units: dict[str, Unit]
    supervision_officer: User | None = None


@dataclass
class Spec:
    type: MeetingType
    title: str
    start: dt.datetime
    state: str
    room: Room | None = None
    minutes: int = 120
    topics: list[tuple] = field(default_factory=list)  # (unit code, title, background, request)
    decisions: list[tuple] = field(default_factory=list)  # (topic index, text, unit code, working days)
    observers: list[str] = field(default_factory=list)  # unit codes invited without a vote


def material(name: str, text: str) -> ContentFile:
    return ContentFile(text.encode("utf-8"), name=name)


def _working_day(cal: WorkCalendar, offset: int) -> dt.date:
    return cal.add_working_days(timezone.localdate(), offset)


def at(cal: WorkCalendar, offset: int, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(_working_day(cal, offset), dt.time(hour, minute)))


def _shift(meeting: Meeting, start: dt.datetime, minutes: int) -> Meeting:
    """Demo only: put a meeting staged in the future at its (past) time."""
    end = start + dt.timedelta(minutes=minutes)
    delta = start - meeting.starts_at
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=start, ends_at=end, topic_deadline=meeting.topic_deadline + delta,
        notice_sent_at=(meeting.notice_sent_at + delta) if meeting.notice_sent_at else None,
        approved_at=(meeting.approved_at + delta) if meeting.approved_at else None)
    RoomBooking.objects.filter(meeting=meeting, status=RoomBooking.Status.ACTIVE).update(starts_at=start,
                                                                                       ends_at=end)
    Topic.objects.filter(meeting=meeting).update(submitted_at=start - dt.timedelta(days=5))
    meeting.refresh_from_db()
    return meeting


def run(cast: Cast, spec: Spec, *, stage_at: dt.datetime | None = None) -> Meeting:
    """Take a meeting through the real workflow to ``spec.state`` and return it as stored. A meeting
    whose time has passed is staged at ``stage_at`` (in the future) and put at its time before the
    sign-in."""
    now = timezone.now()
    past = spec.start < now + dt.timedelta(hours=2)
    start = stage_at if past else spec.start
    target = ORDER.index(spec.state) if spec.state in ORDER else ORDER.index("notified")
    meeting = workflow.create_meeting(
        acting_user=cast.organiser, type=spec.type, title=spec.title, starts_at=start,
        ends_at=start + dt.timedelta(minutes=spec.minutes), room=spec.room, location="" if spec.room else "县政府",
        presiding=cast.presiding, clerk=cast.clerk,
        topic_deadline=max(now + dt.timedelta(minutes=5), start - dt.timedelta(days=3)))
    topics = []
    for k, (code, title, background, request) in enumerate(spec.topics):
        contact = cast.contacts[code]
        topics.append(workflow.submit_topic(
            meeting=meeting, acting_user=contact, title=title, background=background, request=request,
            leader=cast.presiding, files=[material(f"{title[:20]}.txt", f"{title}\n\n{background}\n\n{request}")]
            if (target >= ORDER.index("ready") or k % 2 == 0) else []))
    if spec.observers:
        workflow.add_attendees(meeting=meeting, acting_user=cast.organiser,
                               units=[cast.units[c] for c in spec.observers], kind=Attendee.Kind.OBSERVE)
    meeting = _finish(cast, spec, meeting, topics, target)
    meeting.refresh_from_db()
    return meeting


def _finish(cast: Cast, spec: Spec, meeting: Meeting, topics: list, target: int) -> Meeting:
    if spec.state == "planning":
        if topics:
            workflow.screen_topic(topic=topics[0], acting_user=cast.screener, decision="accept")
        return meeting
    for topic in topics:
        workflow.screen_topic(topic=topic, acting_user=cast.screener, decision="accept")
    workflow.submit_for_approval(meeting=meeting, acting_user=cast.organiser)
    if spec.state == "pending_approval":
        return meeting
    workflow.approve(meeting=meeting, acting_user=cast.presiding, note="同意。")
    if spec.state == "approved":
        return meeting
    workflow.send_notice(meeting=meeting, acting_user=cast.organiser)
    rows = list(meeting.attendees.filter(removed_at__isnull=True, kind=Attendee.Kind.ATTEND)
                .select_related("user").order_by("pk"))
    for k, att in enumerate(rows):
        if k == 1:
            workflow.answer(meeting=meeting, acting_user=att.user, response="leave", reason="赴省里参加专题培训。")
        elif k == 2 and cast.director.pk != att.user_id:
            workflow.answer(meeting=meeting, acting_user=att.user, response="substitute",
                            substitute=cast.director if cast.director.pk not in [r.user_id for r in rows]
                            else cast.screener)
        else:
            workflow.answer(meeting=meeting, acting_user=att.user, response="attending")
    if spec.state == "cancelled":
        workflow.cancel(meeting=meeting, acting_user=cast.organiser,
                        reason="因县长赴市里参加紧急会议，本次会议取消，另行通知。")
        return meeting
    leave = meeting.attendees.filter(response=Attendee.Response.LEAVE_REQUESTED).first()
    if leave is not None and target >= ORDER.index("ready"):
        workflow.decide_leave(meeting=meeting, acting_user=cast.presiding, attendee=leave, approve=True,
                              note="同意，请安排人员做好会议精神传达。")
    if spec.state == "notified":
        return meeting
    for topic in meeting.topics.filter(status=Topic.Status.ACCEPTED):
        if not topic.materials.exists():
            workflow.upload_materials(meeting=meeting, acting_user=cast.organiser, topic=topic,
                                      files=[material(f"{topic.title[:20]}-材料.txt", topic.background)])
    workflow.upload_materials(meeting=meeting, acting_user=cast.organiser, for_return=True,
                              files=[material("会议议程及参阅件（会后收回）.txt", "会议议程。\n参阅件，会后收回。")])
    if workflow.checklist_for(meeting):
        workflow.tick_checklist(meeting=meeting, acting_user=cast.organiser, done=workflow.checklist_for(meeting))
    workflow.mark_ready(meeting=meeting, acting_user=cast.organiser)
    if spec.state == "ready":
        return meeting
    meeting = _shift(meeting, spec.start, spec.minutes)
    MeetingReminder.objects.filter(meeting=meeting).delete()
    rows = list(meeting.attendees.filter(removed_at__isnull=True).select_related("user", "substitute").order_by("pk"))
    present = [a for a in rows if a.response in (Attendee.Response.ATTENDING, Attendee.Response.SUBSTITUTE,
                                                 Attendee.Response.PENDING)]
    on_time = [a for k, a in enumerate(present) if k != len(present) - 1 or len(present) < 3]
    if on_time:
        workflow.mark_present(meeting=meeting, acting_user=cast.clerk, attendees=on_time,
                              at=meeting.starts_at - dt.timedelta(minutes=8))
    if len(present) >= 3:  # the last one scans the code late
        late = present[-1]
        who = late.substitute if late.response == Attendee.Response.SUBSTITUTE else late.user
        workflow.sign_in(meeting=meeting, acting_user=who, token=signin.make_token(meeting),
                         now=meeting.starts_at + dt.timedelta(minutes=7))
    accepted = list(meeting.topics.filter(status=Topic.Status.ACCEPTED).order_by("position"))
    for topic in accepted:
        workflow.record_minutes(topic=topic, acting_user=cast.clerk,
                                text=f"{topic.unit}汇报了有关情况。与会同志进行了讨论，原则同意{topic.request}")
    for index, text, code, days in spec.decisions:
        unit = cast.units[code]
        workflow.add_decision(meeting=meeting, acting_user=cast.clerk, topic=accepted[index] if accepted else None,
                              text=text, unit=unit, responsible=cast.contacts[code],
                              deadline=WorkCalendar.load().add_working_days(timezone.localdate(), days))
    workflow.conclude(meeting=meeting, acting_user=cast.clerk)
    workflow.draft_summary(meeting=meeting, acting_user=cast.clerk)
    if spec.state == "held":
        return meeting
    workflow.submit_summary(meeting=meeting, acting_user=cast.clerk)
    workflow.review_summary(meeting=meeting, acting_user=cast.screener, approve=True, note="核稿无误。")
    workflow.sign_summary(meeting=meeting, acting_user=cast.presiding)
    if meeting.decisions.exists():
        workflow.open_items(meeting=meeting, acting_user=cast.organiser)
        first = meeting.decisions.select_related("unit").order_by("pk").first()
        contact = cast.contacts[first.unit.code] if first.unit.code in cast.contacts else cast.organiser
        workflow.record_conveyance(meeting=meeting, acting_user=contact, unit=first.unit,
                                   conveyed_on=timezone.localdate(), method="meeting",
                                   note="已召开局党组会议传达学习，并逐项分解任务。")
        workflow.add_feedback(meeting=meeting, acting_user=contact, decision=first,
                              text="已制定实施方案，正在抓紧推进，预计按期完成。")
    return meeting


# --- the demo office --------------------------------------------------------------------------

def _setup(users: dict[str, User], units: dict[str, Unit]) -> dict[str, MeetingType]:
    conf = MeetingSettings.load()
    if conf.office_unit_id is None:
        conf.office_unit = units["MSK"]
        conf.save()
    for order, name in enumerate(CHECKLIST):
        ChecklistItem.objects.get_or_create(name=name, defaults={"order": order})
    for name, location, capacity, equipment in (
            ("县政府一号会议室", "县政府办公楼四楼", 60, "音响、投影、视频会议终端"),
            ("县政府二号会议室", "县政府办公楼三楼", 30, "音响、投影"),
            ("三楼小会议室", "县政府办公楼三楼", 12, "显示屏")):
        Room.objects.get_or_create(name=name, defaults={"location": location, "capacity": capacity,
                                                        "equipment": equipment})
    types = {}
    for key, name, presiding, title, code, masthead, attendees, observers in (
            ("standing", "县政府常务会议", "wangjg", "县长", "县政常纪", "某县人民政府常务会议纪要",
             ["lihm", "zhangwd", "liuxy", "chenzq"], ["zhaolh", "sunm"]),
            ("mayor", "县长办公会议", "wangjg", "县长", "县长办纪", "某县县长办公会议纪要",
             ["lihm", "chenzq"], ["zhaolh"]),
            ("special", "专题会议", "zhangwd", "分管副县长", "县政专纪", "某县人民政府专题会议纪要",
             ["chenzq"], [])):
        mtype, created = MeetingType.objects.get_or_create(name=name, defaults={
            "presiding": users[presiding], "presiding_title": title, "minutes_code": code,
            "minutes_masthead": masthead, "order": len(types)})
        if created:
            mtype.default_attendees.set([users[u] for u in attendees])
            mtype.default_observers.set([users[u] for u in observers])
        types[key] = mtype
    return types


TOPICS = {
    "JYJ": ("关于2027年城区义务教育学校学位扩容的请示",
            "随着城区人口持续增加，城关镇三所小学班额超标，2027年秋季预计缺口学位约600个。",
            "研究同意实施城关二小扩建工程，所需资金1200万元列入2027年县级预算。"),
    "ZJJ": ("关于城区老旧小区改造三年行动计划的汇报",
            "全县2000年前建成的老旧小区共48个，涉及居民5200户，群众改造意愿强烈。",
            "审议《某县城区老旧小区改造三年行动计划（2027—2029年）》。"),
    "YJJ": ("关于开展冬春季安全生产大检查的报告",
            "进入冬春季，森林防火、道路交通、燃气使用等领域安全风险上升。",
            "研究部署全县冬春季安全生产大检查工作，明确各乡镇、部门责任。"),
    "NYJ": ("关于2027年高标准农田建设项目实施方案的请示",
            "省下达我县2027年高标准农田建设任务3.2万亩，需县级配套资金960万元。",
            "审议项目实施方案，同意落实县级配套资金。"),
    "CZJ": ("关于2026年县级财政预算调整方案（草案）的汇报",
            "受减税降费及土地出让收入下降影响，年初预算需作相应调整。",
            "审议预算调整方案（草案），同意提请县人大常委会审查批准。"),
    "SLJ": ("关于河口镇饮水安全巩固提升工程的请示",
            "河口镇部分村组供水管网老化，枯水期出现间歇性停水。",
            "同意实施管网改造，资金从水利发展资金中统筹解决。"),
}


DECISIONS = {
    "CZJ": "县财政局根据会议意见修改完善预算调整方案，按程序提请县人大常委会审查批准。",
    "NYJ": "县农业农村局抓紧开展项目招投标，确保2027年3月底前全面开工。",
    "JYJ": "原则同意城关二小扩建工程，县教育局会同县财政局落实建设资金，2027年秋季学期前投入使用。",
    "ZJJ": "县住建局根据会议讨论意见修改完善三年行动计划，按程序报批后印发实施。",
}


def _spec_topics(*codes: str) -> list[tuple]:
    return [(code, *TOPICS[code]) for code in codes]


def load() -> None:
    if Meeting.objects.filter(title="县政府第12次常务会议").exists():
        return
    units = {u.code: u for u in Unit.objects.all()}
    if "MSK" not in units:
        return
    users = {u.username: u for u in User.objects.all()}
    types = _setup(users, units)
    rooms = {r.name: r for r in Room.objects.all()}
    contacts = {code: users[f"{code.lower()}_contact"] for code in units if f"{code.lower()}_contact" in users}
    cast = Cast(organiser=users["hesy"], screener=users["zhouw"], director=users["chenzq"], clerk=users["hesy"],
                presiding=users["wangjg"], contacts=contacts, units=units)
    special = Cast(**{**cast.__dict__, "presiding": users["zhangwd"]})
    cal = WorkCalendar.load()
    r1, r2, r3 = rooms["县政府一号会议室"], rooms["县政府二号会议室"], rooms["三楼小会议室"]
    stage = timezone.now().replace(minute=0, second=0, microsecond=0) + dt.timedelta(days=300)
    specs = [
        (cast, Spec(types["standing"], "县政府第11次常务会议", at(cal, -8, 9), "issued", r1,
                    topics=_spec_topics("CZJ", "NYJ"),
                    decisions=[(0, DECISIONS["CZJ"], "CZJ", 10), (1, DECISIONS["NYJ"], "NYJ", 30)])),
        (cast, Spec(types["standing"], "县政府第12次常务会议", at(cal, -1, 9), "held", r1,
                    topics=_spec_topics("JYJ", "ZJJ"),
                    decisions=[(0, DECISIONS["JYJ"], "JYJ", 20), (1, DECISIONS["ZJJ"], "ZJJ", 15)])),
        (cast, Spec(types["standing"], "县政府第13次常务会议", at(cal, 2, 9), "notified", r1,
                    topics=_spec_topics("YJJ", "SLJ"))),
        (special, Spec(types["special"], "全县冬春季安全生产工作专题会议", at(cal, 1, 15), "ready", r2,
                       topics=_spec_topics("YJJ"), observers=["YJJ", "GAJ", "JTJ"])),
        (special, Spec(types["special"], "全县森林防火工作专题会议", at(cal, 4, 9, 30), "approved", r3,
                       topics=_spec_topics("NYJ"))),
        (cast, Spec(types["mayor"], "县长办公会议（城区交通秩序整治）", at(cal, 5, 15), "pending_approval", r2,
                    topics=_spec_topics("ZJJ"))),
        (cast, Spec(types["mayor"], "县长办公会议（招商引资项目推进）", at(cal, 3, 15), "cancelled", r2,
                    topics=_spec_topics("CZJ"))),
        (cast, Spec(types["standing"], "县政府第14次常务会议", at(cal, 8, 9), "planning", r1,
                    topics=_spec_topics("JYJ", "SLJ"))),
    ]
    for k, (who, spec) in enumerate(specs):
        run(who, spec, stage_at=stage + dt.timedelta(hours=4 * k))
