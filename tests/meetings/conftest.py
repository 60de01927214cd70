"""Personas for meeting tests: the meeting office (an organiser, its section chief, a minute-taker),
an office director, the presiding leader and a vice leader, units with their contacts, and an
unrelated clerk; a meeting type, two rooms and a two-item checklist."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from meetings import demo, workflow
from meetings.models import ChecklistItem, MeetingSettings, MeetingType, Room
from office import roles
from office.models import Unit
from office.workdays import WorkCalendar
from supervision.models import SupervisionSettings
from tests.factories import UnitFactory, UserFactory


class People:
    pass


@pytest.fixture
def mp(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    p = People()
    K = Unit.Kind
    p.msk = UnitFactory(code="MSK", name="秘书科", kind=K.SECTION)
    p.dcs = UnitFactory(code="DCS", name="督查室", kind=K.SECTION)
    p.zrs = UnitFactory(code="ZRS", name="办公室领导", kind=K.SECTION)
    p.ldbz = UnitFactory(code="LDBZ", name="县政府领导", kind=K.LEADERSHIP)
    p.jyj = UnitFactory(code="JYJ", name="县教育局", kind=K.DEPARTMENT)
    p.czj = UnitFactory(code="CZJ", name="县财政局", kind=K.DEPARTMENT)
    p.wdk = UnitFactory(code="WDK", name="文电科", kind=K.SECTION)
    conf = MeetingSettings.load()
    conf.office_unit = p.msk
    conf.save()
    sconf = SupervisionSettings.load()
    sconf.office_unit = p.dcs
    sconf.save()
    p.organiser = UserFactory(username="organiser", full_name="何秘书", roles=[roles.SECRETARY], unit=p.msk)
    p.chief = UserFactory(username="chief", full_name="周科长", roles=[roles.SECTION_CHIEF, roles.SECRETARY],
                          unit=p.msk)
    p.clerk = UserFactory(username="mclerk", full_name="马记录", roles=[roles.SECRETARY], unit=p.msk)
    p.director = UserFactory(username="director", full_name="陈主任", roles=[roles.OFFICE_DIRECTOR], unit=p.zrs)
    p.leader = UserFactory(username="leader", full_name="王县长", roles=[roles.COUNTY_LEADER], unit=p.ldbz)
    p.vice = UserFactory(username="vice", full_name="李副县长", roles=[roles.COUNTY_LEADER], unit=p.ldbz)
    p.vice2 = UserFactory(username="vice2", full_name="张副县长", roles=[roles.COUNTY_LEADER], unit=p.ldbz)
    p.contact = UserFactory(username="contact", full_name="教育联络员", roles=[roles.UNIT_CONTACT], unit=p.jyj)
    p.head = UserFactory(username="head", full_name="教育局长", roles=[roles.UNIT_CONTACT], unit=p.jyj)
    p.fin = UserFactory(username="fin", full_name="财政联络员", roles=[roles.UNIT_CONTACT], unit=p.czj)
    p.outsider = UserFactory(username="outsider", full_name="无关文书", roles=[roles.CLERK], unit=p.wdk)
    p.officer = UserFactory(username="officer", full_name="唐督查", roles=[roles.SECRETARY], unit=p.dcs)
    Unit.objects.filter(pk=p.jyj.pk).update(head=p.head)
    Unit.objects.filter(pk=p.czj.pk).update(head=p.fin)
    p.jyj.refresh_from_db()
    p.czj.refresh_from_db()
    p.type = MeetingType.objects.create(name="县政府常务会议", presiding=p.leader, presiding_title="县长",
                                        minutes_code="县政常纪", minutes_masthead="某县人民政府常务会议纪要",
                                        notice_working_days=2, topic_working_days=3)
    p.type.default_attendees.set([p.vice, p.vice2, p.director])
    p.room = Room.objects.create(name="一号会议室", capacity=60)
    p.room2 = Room.objects.create(name="二号会议室", capacity=30)
    p.checks = [ChecklistItem.objects.create(name="会场布置", order=1),
                ChecklistItem.objects.create(name="材料印制", order=2)]
    p.cal = WorkCalendar.load()
    p.cast = demo.Cast(organiser=p.organiser, screener=p.chief, director=p.director, clerk=p.clerk,
                       presiding=p.leader, contacts={"JYJ": p.contact, "CZJ": p.fin},
                       units={"JYJ": p.jyj, "CZJ": p.czj})
    return p


def upload(name="议题材料.pdf", content=b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"):
    return SimpleUploadedFile(name, content)


def in_days(days: int, hour: int = 9, minute: int = 0) -> dt.datetime:
    """A moment ``days`` calendar days from today at hour:minute, local time."""
    day = timezone.localdate() + dt.timedelta(days=days)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


@pytest.fixture
def new_meeting(mp):
    def make(start=None, minutes=120, room="default", **kwargs):
        start = start or in_days(10)
        return workflow.create_meeting(
            acting_user=kwargs.pop("acting_user", mp.organiser), type=mp.type,
            title=kwargs.pop("title", "县政府第12次常务会议"),
            starts_at=start, ends_at=start + dt.timedelta(minutes=minutes),
            room=mp.room if room == "default" else room, clerk=mp.clerk, **kwargs)
    return make


@pytest.fixture
def staged(mp):
    """A meeting taken through the real workflow to a state (the demo's scenario engine)."""
    def make(state, start=None, topics=("JYJ",), decisions=(), stage_days=200, room="default", title=None):
        spec = demo.Spec(mp.type, title or f"测试会议{state}", start or in_days(10), state,
                         mp.room if room == "default" else room,
                         topics=[(code, f"{code}议题", "背景情况。", "请求会议研究。") for code in topics],
                         decisions=list(decisions))
        meeting = demo.run(mp.cast, spec, stage_at=in_days(stage_days))
        meeting.refresh_from_db()
        return meeting
    return make
