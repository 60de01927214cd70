"""Study day: sessions with their expected people, sign-in and the organiser's sheet, notes
private or shared, who wrote no note in a month, the monthly summary per section; visibility
(404) and fixed query counts."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from office import once, roles
from office.models import Unit
from office.study import selectors, workflow
from office.study.models import Attendance, Note, Session
from office.workflow import WorkflowError
from tests.factories import UnitFactory, UserFactory

FRIDAY = dt.date(2025, 3, 7)


class P:
    pass


@pytest.fixture
def sp(db):
    p = P()
    p.msk = UnitFactory(code="MSK", name="秘书科", kind=Unit.Kind.SECTION)
    p.wdk = UnitFactory(code="WDK", name="文电科", kind=Unit.Kind.SECTION)
    p.zrs = UnitFactory(code="ZRS", name="办公室领导", kind=Unit.Kind.SECTION)
    p.jyj = UnitFactory(code="JYJ", name="县教育局", kind=Unit.Kind.DEPARTMENT)
    p.chief = UserFactory(username="chief", full_name="周文", roles=[roles.SECTION_CHIEF, roles.SECRETARY], unit=p.msk)
    p.a = UserFactory(username="a", full_name="何思源", roles=[roles.SECRETARY], unit=p.msk)
    p.b = UserFactory(username="b", full_name="马佳丽", roles=[roles.SECRETARY], unit=p.msk)
    p.clerk = UserFactory(username="c", full_name="郑晓兰", roles=[roles.CLERK], unit=p.wdk)
    p.wdk_chief = UserFactory(username="wchief", full_name="吴静", roles=[roles.SECTION_CHIEF, roles.CLERK], unit=p.wdk)
    p.director = UserFactory(username="d", full_name="陈志强", roles=[roles.OFFICE_DIRECTOR], unit=p.zrs)
    p.contact = UserFactory(username="u", full_name="联络员", roles=[roles.UNIT_CONTACT], unit=p.jyj)
    return p


def test_a_section_session_expects_the_sections_staff_and_a_whole_office_one_everyone(sp):
    s = workflow.create_session(acting_user=sp.chief, date=FRIDAY, topic="学习条例", section=sp.msk)
    assert sorted(s.attendances.values_list("user__username", flat=True)) == ["a", "b", "chief"]
    whole = workflow.create_session(acting_user=sp.director, date=FRIDAY, topic="全办学习")
    assert sorted(whole.attendances.values_list("user__username", flat=True)) == ["a", "b", "c", "chief", "d", "wchief"]


def test_a_session_is_refused_on_a_day_off_and_to_another_sections_chief(sp):
    with pytest.raises(WorkflowError) as exc:
        workflow.create_session(acting_user=sp.chief, date=dt.date(2025, 3, 8), topic="周六", section=sp.msk)
    assert exc.value.code == "day_off"
    with pytest.raises(WorkflowError) as exc:
        workflow.create_session(acting_user=sp.wdk_chief, date=FRIDAY, topic="越权", section=sp.msk)
    assert exc.value.code == "forbidden"
    assert Session.objects.count() == 0


def test_the_next_study_day_is_friday_or_the_working_day_after():
    from office.workdays import WorkCalendar

    cal = WorkCalendar(holidays=frozenset({dt.date(2025, 10, 3)}))
    assert workflow.next_study_day(dt.date(2025, 3, 4), cal) == FRIDAY
    assert workflow.next_study_day(FRIDAY, cal) == FRIDAY
    assert workflow.next_study_day(dt.date(2025, 9, 30), cal) == dt.date(2025, 10, 6)


def test_sign_in_on_the_day_and_the_sheet_with_a_leave(sp):
    today = Session.objects.create(date=timezone.localdate(), topic="今日学习", section=sp.msk, organiser=sp.chief)
    Attendance.objects.bulk_create([Attendance(session=today, user=u) for u in (sp.a, sp.b, sp.chief)])
    first = workflow.sign_in(session=today, acting_user=sp.a).signed_in_at
    assert workflow.sign_in(session=today, acting_user=sp.a).signed_in_at == first
    with pytest.raises(WorkflowError) as exc:
        workflow.sign_in(session=today, acting_user=sp.clerk)
    assert exc.value.code == "not_expected"
    past = workflow.create_session(acting_user=sp.chief, date=FRIDAY, topic="学习条例", section=sp.msk)
    with pytest.raises(WorkflowError) as exc:
        workflow.sign_in(session=past, acting_user=sp.a)
    assert exc.value.code == "not_today"
    with pytest.raises(WorkflowError):
        workflow.record_attendance(session=past, acting_user=sp.a, present=[sp.a])
    assert workflow.record_attendance(session=past, acting_user=sp.chief, present=[sp.a, sp.chief],
                                      leave={sp.b.pk: "外出开会"}) == 2
    summary = selectors.session_attendance(past)
    assert (summary.expected, summary.present, summary.on_leave, summary.absent, summary.url) == (
        3, 2, 1, [], past.get_absolute_url())


def test_notes_are_private_or_shared_with_the_section(client, sp):
    private = workflow.write_note(acting_user=sp.a, title="私人笔记", body="……", written_on=FRIDAY)
    shared = workflow.write_note(acting_user=sp.a, title="共享笔记", body="……", visibility="section", written_on=FRIDAY)
    client.force_login(sp.b)
    assert client.get(private.get_absolute_url()).status_code == 404
    assert client.get(shared.get_absolute_url()).status_code == 200
    client.force_login(sp.chief)  # the chief too: private stays private
    assert client.get(private.get_absolute_url()).status_code == 404
    client.force_login(sp.clerk)
    assert client.get(shared.get_absolute_url()).status_code == 404
    client.force_login(sp.contact)
    assert client.get(reverse("study:home")).status_code == 403


def test_who_wrote_no_note_and_the_monthly_summary(sp):
    s1 = workflow.create_session(acting_user=sp.chief, date=FRIDAY, topic="一", section=sp.msk)
    s2 = workflow.create_session(acting_user=sp.director, date=dt.date(2025, 3, 14), topic="二")
    workflow.record_attendance(session=s1, acting_user=sp.chief, present=[sp.a, sp.b])
    workflow.record_attendance(session=s2, acting_user=sp.director, present=[sp.a, sp.clerk, sp.director])
    workflow.write_note(acting_user=sp.a, title="一", body="x", written_on=FRIDAY)
    workflow.write_note(acting_user=sp.a, title="二", body="x", written_on=dt.date(2025, 3, 20))
    workflow.write_note(acting_user=sp.b, title="三", body="x", written_on=dt.date(2025, 2, 28))  # February
    assert [u.username for u in selectors.without_notes(sp.msk.pk, 2025, 3)] == ["b", "chief"]
    rows = {r.unit.code: r for r in selectors.month_summary(2025, 3)}
    # 秘书科: 3 people; s1 expects 3 (2 present), s2 expects 3 (1 present) → 3/6; 2 notes by 1 person
    msk = rows["MSK"]
    assert (msk.people, msk.sessions, msk.expected, msk.present, msk.rate, msk.notes, msk.writers) == (
        3, 2, 6, 3, 50, 2, 1)
    assert msk.without_notes == ["周文", "马佳丽"] or sorted(msk.without_notes) == sorted(["周文", "马佳丽"])
    wdk = rows["WDK"]
    assert (wdk.people, wdk.sessions, wdk.expected, wdk.present, wdk.notes) == (2, 1, 2, 1, 0)
    assert set(rows) == {"MSK", "WDK", "ZRS"}


def test_the_month_page_shows_a_chief_their_section_only(client, sp):
    client.force_login(sp.chief)
    page = client.get(reverse("study:month"), {"month": "2025-03"})
    assert page.status_code == 200 and page.content.decode().count('data-testid="month-row"') == 1
    client.force_login(sp.a)
    assert client.get(reverse("study:month")).status_code == 403
    client.force_login(sp.director)
    assert client.get(reverse("study:month"), {"month": "bad"}).status_code == 200


def test_a_note_is_written_once_from_the_form(client, sp):
    client.force_login(sp.a)
    data = {"title": "体会", "written_on": "2025-03-07", "body": "正文", "visibility": "private",
            once.FIELD: once.new_token(sp.a)}
    assert client.post(reverse("study:note_create"), data).status_code == 302
    assert client.post(reverse("study:note_create"), data).status_code == 302
    assert Note.objects.count() == 1


@pytest.mark.parametrize("n", [1, 5])
def test_latest_sessions_and_the_session_page_run_fixed_queries(client, sp, django_assert_num_queries, n):
    for k in range(n):
        workflow.create_session(acting_user=sp.director, date=FRIDAY - dt.timedelta(weeks=k), topic=f"第{k}次")
    with django_assert_num_queries(1):
        sessions = selectors.latest_sessions(limit=5)
    assert [(s.n_expected, s.n_present) for s in sessions] == [(6, 0)] * n
    session = sessions[0]
    with django_assert_num_queries(1):
        assert selectors.session_attendance(session).expected == 6
    client.force_login(sp.director)
    client.get(reverse("study:home"))
    with django_assert_num_queries(14):
        assert client.get(session.get_absolute_url()).status_code == 200
