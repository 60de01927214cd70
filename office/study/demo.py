"""Demo study day: the last four Fridays' sessions (whole office and the secretariat), attendance
recorded with a leave, and notes (private and shared), leaving some people without a note this
month. Idempotent."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from office.models import Unit, User
from office.study import workflow
from office.study.models import Session
from office.workdays import WorkCalendar

TOPICS = ["学习《党政机关公文处理工作条例》", "学习习近平新时代中国特色社会主义思想专题", "政务信息写作要领交流",
          "保密法律法规专题学习"]


def load() -> None:
    director, chief = User.objects.filter(username="chenzq").first(), User.objects.filter(username="zhouw").first()
    if director is None or chief is None or Session.objects.exists():
        return
    cal = WorkCalendar.load()
    today = timezone.localdate()
    last_friday = today - dt.timedelta(days=(today.weekday() - 4) % 7 or 7)
    msk = Unit.objects.get(code="MSK")
    for k, topic in enumerate(TOPICS):
        day = last_friday - dt.timedelta(weeks=k)
        if not cal.is_working_day(day):
            continue
        whole = k % 2 == 0
        session = workflow.create_session(acting_user=director if whole else chief, date=day, topic=topic,
                                          section=None if whole else msk, materials="学习材料（演示）")
        people = [a.user for a in session.attendances.select_related("user")]
        leave = {people[0].pk: "外出参加市政府会议"} if people else {}
        present = [u for i, u in enumerate(people[1:]) if (i + k) % 7 != 0]
        workflow.record_attendance(session=session, acting_user=session.organiser, present=present, leave=leave)
    notes = [("hesy", "学习《条例》体会：公文要精简", "section"), ("majl", "信息写作要短、实、新", "private"),
             ("zhouw", "学习日心得", "section"), ("songyq", "保密工作要点摘记", "private")]
    for username, title, visibility in notes:
        user = User.objects.filter(username=username).first()
        if user is not None:
            workflow.write_note(acting_user=user, title=title, body=f"{title}。\n（演示笔记正文）",
                                visibility=visibility, written_on=today)
