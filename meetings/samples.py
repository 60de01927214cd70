"""A sample office and meeting for ``manage.py render_samples`` (created inside the sample's
rolled-back transaction), through the demo's scenario engine (``meetings.demo.run``)."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import Group
from django.utils import timezone

from meetings import demo
from meetings.models import Meeting, MeetingSettings, MeetingType, Room
from office import roles
from office.models import Unit, User
from office.workdays import WorkCalendar


def _unit(code, name, kind, order=0) -> Unit:
    existing = Unit.objects.filter(name=name).first()
    return existing or Unit.objects.create(code=f"sample-{code}", name=name, short_name=name, kind=kind, order=order)


def _user(username, full_name, role_names, unit) -> User:
    person = User.objects.filter(username=f"sample-{username}").first()
    if person is None:
        person = User.objects.create_user(username=f"sample-{username}", full_name=full_name, unit=unit,
                                          email=f"{username}@county.gov.example")
    person.groups.set(Group.objects.filter(name__in=role_names))
    return person


def cast() -> tuple[demo.Cast, MeetingType, Room]:
    K = Unit.Kind
    msk = _unit("MSK", "秘书科", K.SECTION, 1)
    lead = _unit("LDBZ", "县政府领导", K.LEADERSHIP, 0)
    office = _unit("ZRS", "办公室领导", K.SECTION, 0)
    units = {code: _unit(code, name, K.DEPARTMENT, k) for k, (code, name) in enumerate(
        (("JYJ", "县教育局"), ("ZJJ", "县住房和城乡建设局"), ("CZJ", "县财政局"), ("NYJ", "县农业农村局")), 1)}
    conf = MeetingSettings.load()
    conf.office_unit = msk
    conf.save()
    from supervision.models import SupervisionSettings

    sconf = SupervisionSettings.load()
    if sconf.office_unit_id is None:
        sconf.office_unit = _unit("DCS", "督查室", K.SECTION, 2)
        sconf.save()
    leader = _user("mayor", "王建国", [roles.COUNTY_LEADER], lead)
    vice = [_user(f"vice{k}", name, [roles.COUNTY_LEADER], lead)
            for k, name in enumerate(("李红梅", "张卫东", "刘晓燕"))]
    director = _user("director", "陈志强", [roles.OFFICE_DIRECTOR], office)
    contacts = {code: _user(f"contact-{code}", name, [roles.UNIT_CONTACT], unit)
                for (code, unit), name in zip(units.items(), ("周立新", "吴海燕", "郑志刚", "王秀英"), strict=True)}
    for code, unit in units.items():
        if unit.head_id is None:
            Unit.objects.filter(pk=unit.pk).update(head=contacts[code])
    the_cast = demo.Cast(
        organiser=_user("secretary", "何思源", [roles.SECRETARY], msk),
        screener=_user("chief", "周文", [roles.SECTION_CHIEF, roles.SECRETARY], msk),
        director=director, clerk=_user("clerk", "马佳丽", [roles.SECRETARY], msk), presiding=leader,
        contacts=contacts, units=units)
    mtype, created = MeetingType.objects.get_or_create(name="县政府常务会议（样例）", defaults={
        "presiding": leader, "presiding_title": "县长", "minutes_code": "县政常纪",
        "minutes_masthead": "某县人民政府常务会议纪要"})
    if created:
        mtype.default_attendees.set([*vice, director])
    room, _created = Room.objects.get_or_create(name="样例会议室", defaults={"capacity": 40})
    return the_cast, mtype, room


def held_meeting(*, signed: bool) -> Meeting:
    """An issued meeting (held yesterday, its 纪要 signed) or one whose notice just went out."""
    the_cast, mtype, room = cast()
    cal = WorkCalendar.load()
    if signed:
        start = demo.at(cal, -1, 9)
        state = "issued"
    else:
        start = demo.at(cal, 3, 9)
        state = "notified"
    spec = demo.Spec(mtype, "县政府第12次常务会议", start, state, room, topics=demo._spec_topics("JYJ", "ZJJ", "CZJ"),
                     decisions=[(k, demo.DECISIONS[code], code, days)
                                for k, (code, days) in enumerate((("JYJ", 20), ("ZJJ", 15), ("CZJ", 10)))])
    meeting = demo.run(the_cast, spec, stage_at=timezone.now().replace(microsecond=0) + dt.timedelta(days=200))
    return Meeting.objects.select_related("type", "room", "presiding").get(pk=meeting.pk)
