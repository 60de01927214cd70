"""The dashboard's figures against a small office counted by hand, for each role: the county
leader (the county, as far as their access goes), the office director (the office) and a
section chief (the section). The moment is fixed: Wednesday 2026-11-25 15:00, Beijing time."""

import datetime as dt

import pytest
from django.utils import timezone

from documents.models import DocumentSettings, DocumentType, IncomingDocument, Instruction, Status
from documents.outgoing.models import DocumentCode, IssuedNumber, IssuingAuthority, OutgoingDocument
from meetings.models import Meeting, MeetingType
from office import roles
from office.dashboard import selectors
from office.models import Unit
from supervision.models import Closing, Item, ProgressReport, SupervisionSettings
from supervision.models import Status as S
from tests.dashboard.conftest import frozen
from tests.factories import UnitFactory, UserFactory

NOW = timezone.make_aware(dt.datetime.combine(dt.date(2026, 11, 25), dt.time(15, 0)))
TODAY = NOW.date()


def at(days: int, hour: int, minute: int = 0) -> dt.datetime:
    """``days`` days from today (negative: before) at hour:minute, Beijing time."""
    return timezone.make_aware(dt.datetime.combine(TODAY + dt.timedelta(days=days), dt.time(hour, minute)))


class Office:
    pass


@pytest.fixture
def small_office(db):
    o = Office()
    o.wdk = UnitFactory(code="WDK", name="文电科", kind=Unit.Kind.SECTION)
    o.dcs = UnitFactory(code="DCS", name="督查室", kind=Unit.Kind.SECTION)
    o.msk = UnitFactory(code="MSK", name="秘书科", kind=Unit.Kind.SECTION)
    o.jyj = UnitFactory(code="JYJ", name="县教育局", kind=Unit.Kind.DEPARTMENT)
    o.czj = UnitFactory(code="CZJ", name="县财政局", kind=Unit.Kind.DEPARTMENT)
    o.ld = UnitFactory(code="LDBZ", name="县政府领导", kind=Unit.Kind.LEADERSHIP)
    o.city = UnitFactory(code="SZFB", name="市政府办", kind=Unit.Kind.SUPERIOR)
    for conf, unit in ((DocumentSettings.load(), o.wdk), (SupervisionSettings.load(), o.dcs)):
        conf.office_unit = unit
        conf.save()
    o.leader = UserFactory(username="leader", full_name="王县长", roles=[roles.COUNTY_LEADER], unit=o.ld)
    o.director = UserFactory(username="director", full_name="陈主任", roles=[roles.OFFICE_DIRECTOR], unit=o.msk)
    o.chief = UserFactory(username="chief", full_name="李科长", roles=[roles.SECTION_CHIEF], unit=o.msk)
    o.clerk = UserFactory(username="clerk", full_name="郑文书", roles=[roles.CLERK], unit=o.wdk)
    o.officer = UserFactory(username="officer", full_name="唐督查", roles=[roles.SECRETARY], unit=o.dcs)
    o.resp = UserFactory(username="resp", full_name="张承办", roles=[roles.UNIT_CONTACT], unit=o.jyj)
    o.secretary = UserFactory(username="sec", full_name="何秘书", roles=[roles.SECRETARY], unit=o.msk)

    # incoming documents: (received, due, cleared, status, instructed by the leader)
    notice = DocumentType.objects.get(name="通知")
    rows = [
        (at(0, 9), at(0, 17, 30), at(0, 10), Status.CIRCULATING, True),  # today, cleared on time
        (at(0, 10), at(0, 17, 30), None, Status.REGISTERED, False),  # today, pending
        (at(0, 8), at(0, 9), None, Status.REGISTERED, False),  # today, urgent, overdue
        (at(-1, 9), at(-1, 17, 30), at(-1, 18), Status.PROPOSING, True),  # yesterday, cleared late
        (at(-1, 11), at(-1, 17, 30), None, Status.REGISTERED, False),  # yesterday, still pending: overdue
        (at(-10, 9), at(-10, 17, 30), at(-10, 9, 30), Status.ARCHIVED, False),  # 10 days ago, on time
        (at(-40, 9), at(-40, 17, 30), at(-40, 9, 30), Status.ARCHIVED, True),  # 40 days ago: not in 30
    ]
    for i, (received, due, cleared, status, instructed) in enumerate(rows, start=1):
        doc = IncomingDocument.objects.create(
            year=2026, serial=i, number=f"收〔2026〕{i}号", sender=o.city, title=f"来文{i}", doc_type=notice,
            handling="action", received_at=received, signed_by=o.clerk, registered_by=o.clerk, due_at=due,
            cleared_at=cleared, status=status)
        if instructed:
            Instruction.objects.create(document=doc, leader=o.leader, order=1)

    # supervision items: (lead unit, status, deliver by, closed at, closing, instructed by the leader)
    items = [
        (o.jyj, S.IN_PROGRESS, TODAY + dt.timedelta(days=5), None, "", True),  # open
        (o.jyj, S.IN_PROGRESS, TODAY - dt.timedelta(days=2), None, "", True),  # open, overdue
        (o.jyj, S.RESULT_REPORTED, TODAY - dt.timedelta(days=2), None, "", False),  # open, with the office
        (o.jyj, S.CLOSED, TODAY - dt.timedelta(days=3), at(-4, 10), Closing.ON_TIME, True),  # closed on time
        (o.czj, S.ACKNOWLEDGED, TODAY - dt.timedelta(days=1), None, "", False),  # open, overdue
        (o.czj, S.CLOSED, TODAY - dt.timedelta(days=9), at(-2, 10), Closing.LATE, False),  # closed late
        (o.czj, S.CLOSED, TODAY - dt.timedelta(days=60), at(-40, 10), Closing.ON_TIME, False),  # last month
        (o.msk, S.ASSIGNED, TODAY + dt.timedelta(days=3), None, "", False),  # the section's, open
        (o.msk, S.DRAFT, TODAY + dt.timedelta(days=3), None, "", True),  # a draft: not open
    ]
    for i, (unit, status, deliver, closed, closing, instructed) in enumerate(items, start=1):
        item = Item.objects.create(
            number=f"督〔2026〕{i}号", title=f"事项{i}", requirement="按期办结", source_kind="instruction",
            lead_unit=unit, responsible=o.resp, supervisor=o.officer,
            instructing_leader=o.leader if instructed else None, original_deadline=deliver, deadline=deliver,
            deliver_by=deliver, status=status, created_by=o.officer,
            assigned_at=None if status == S.DRAFT else at(-30, 9), closed_at=closed, closing=closing,
            result="已办结" if closed else "", result_reported_at=closed)
        if i == 2:
            ProgressReport.objects.create(item=item, text="已完成六成。", author=o.resp, created_at=at(-1, 10),
                                          progress_on=TODAY - dt.timedelta(days=1))
            ProgressReport.objects.create(item=item, text="已完成八成。", author=o.resp, created_at=at(0, 11),
                                          progress_on=TODAY)

    # meetings: two in the next 7 days (one ready), one in 9 days, one cancelled, one held
    kind = MeetingType.objects.create(name="常务会议")
    for title, starts, status, presiding in [
        ("常务会议", at(1, 9), "ready", o.leader), ("专题会议", at(3, 15), "notified", o.director),
        ("远期会议", at(9, 9), "approved", o.leader), ("取消会议", at(2, 9), "cancelled", o.leader),
        ("已开会议", at(0, 9), "held", o.leader)]:
        Meeting.objects.create(type=kind, title=title, starts_at=starts, ends_at=starts + dt.timedelta(hours=2),
                               status=status, created_by=o.officer, presiding=presiding,
                               topic_deadline=starts - dt.timedelta(days=1))

    # outgoing: waiting for the director (核稿), for the leader (签发); numbers given this month
    gov = IssuingAuthority.objects.create(name="某县人民政府", level="government", principal=o.leader)
    code = DocumentCode.objects.create(authority=gov, code="某政发")
    statutory = DocumentType.objects.filter(is_statutory=True).first()

    def outgoing(title, status, unit):
        return OutgoingDocument.objects.create(doc_type=statutory, authority=gov, code=code, title=title,
                                               drafting_unit=unit, drafter=o.secretary, status=status)

    outgoing("核稿中", "office_review", o.msk)
    outgoing("待签发", "signing", o.msk)
    for serial, (unit, given, voided) in enumerate([(o.msk, at(-3, 9), None), (o.wdk, at(-5, 9), None),
                                                    (o.msk, at(-6, 9), at(-6, 10)), (o.msk, at(-30, 9), None)],
                                                   start=1):
        doc = outgoing(f"已发{serial}", "dispatched", unit)
        IssuedNumber.objects.create(code=code, year=2026, serial=serial, number=f"某政发〔2026〕{serial}号",
                                    number_key=f"某政发〔2026〕{serial}号", document=doc, given_by=o.clerk,
                                    given_at=given, voided_at=voided, voided_by=o.clerk if voided else None)
    return o


def figures(user) -> dict:
    with frozen(NOW):
        d = selectors.dashboard(user)
    i, s = d.incoming, d.supervision
    return {
        "incoming": (i.received.value, i.cleared.value, i.on_time.value, i.pending.value, i.overdue.value,
                     i.received_30.value, i.on_time_30.value, i.rate_today, i.rate_30),
        "outgoing": (d.outgoing.waiting.value, d.outgoing.output.value),
        "meetings": (d.meetings.coming.value, d.meetings.ready.value, d.meetings.not_ready.value,
                     [m.title for m in d.meetings.meetings]),
        "supervision": [(r.name, r.open.value, r.overdue.value, r.closed.value, r.on_time.value)
                        for r in [s.total, *s.rows]],
        "instructed": (s.instructed.value, [(it.number, it.latest_answer) for it in s.instructed_items]),
    }


def test_the_office_director_sees_the_office(small_office):
    assert figures(small_office.director) == {
        # received today 3, cleared 1 (on time), pending 3 (two today, one yesterday), overdue 2;
        # 30 days: 6 received (not the one 40 days ago), 2 on time
        "incoming": (3, 1, 1, 3, 2, 6, 2, 33.3, 33.3),
        "outgoing": (1, 2),  # 核稿 waits for the director; this month: 2 numbers (one voided, one in October)
        "meetings": (2, 1, 1, ["常务会议", "专题会议"]),
        "supervision": [("全部单位", 5, 2, 2, 1), ("县教育局", 3, 1, 1, 1), ("县财政局", 1, 1, 1, 0),
                        ("秘书科", 1, 0, 0, 0)],
        "instructed": (0, []),
    }


def test_the_county_leader_sees_the_county_as_far_as_their_access_goes(small_office):
    assert figures(small_office.leader) == {
        "incoming": (1, 1, 1, 0, 0, 2, 1, 100.0, 50.0),  # the documents proposed to them
        "outgoing": (1, 2),  # 签发 waits for them; the county government's numbers this month
        "meetings": (2, 1, 1, ["常务会议", "专题会议"]),  # leaders see every meeting
        "supervision": [("全部单位", 2, 1, 1, 1), ("县教育局", 2, 1, 1, 1)],  # the items they instructed
        "instructed": (2, [("督〔2026〕2号", "已完成八成。"), ("督〔2026〕1号", None)]),
    }


def test_a_section_chief_sees_the_section(small_office):
    assert figures(small_office.chief) == {
        "incoming": (0, 0, 0, 0, 0, 0, 0, None, None),  # nothing routed to them
        "outgoing": (0, 1),  # the section drafted one of this month's numbers
        "meetings": (0, 0, 0, []),  # none of the meetings is theirs
        "supervision": [("全部单位", 1, 0, 0, 0), ("秘书科", 1, 0, 0, 0)],
        "instructed": (0, []),
    }


def test_on_the_counted_office_every_figure_opens_a_list_of_that_length(small_office, client):
    from tests.dashboard.conftest import list_count

    for user in (small_office.leader, small_office.director, small_office.chief):
        client.force_login(user)
        with frozen(NOW):
            found = [(f.key, f.value, list_count(client.get(f.url), f.key))
                     for f in selectors.dashboard(user).figures]
        assert [row for row in found if row[1] != row[2]] == [], user.username
