"""Query counts of the meeting pages, pinned at two data sizes: more topics, attendees,
materials, decisions and meetings never mean more queries."""

import datetime as dt

import pytest
from django.utils import timezone

from meetings import workflow
from meetings.models import Attendee, Decision, Material, Meeting, Topic
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _grow(mp, meeting, n):
    """n more topics (each with a material), attendees and decisions on ``meeting``."""
    for k in range(n):
        topic = Topic.objects.create(meeting=meeting, title=f"议题{k}", background="b", request="r", unit=mp.jyj,
                                     submitted_by=mp.contact, status=Topic.Status.ACCEPTED, position=10 + k)
        Material.objects.create(meeting=meeting, topic=topic, file="meetings/x.pdf", name=f"材料{k}.pdf", size=1,
                                uploaded_by=mp.contact)
        person = UserFactory(unit=mp.jyj)
        Attendee.objects.create(meeting=meeting, user=person, unit=mp.jyj, signed_in_at=meeting.starts_at,
                                signed_in_person=person)
        Decision.objects.create(meeting=meeting, topic=topic, text=f"事项{k}", unit=mp.jyj, responsible=mp.contact,
                                deadline=timezone.localdate() + dt.timedelta(days=9), created_by=mp.clerk)


@pytest.mark.parametrize("extra", [0, 12])
def test_the_meeting_page(mp, staged, client, django_assert_num_queries, extra):
    meeting = staged("held", start=timezone.now() - dt.timedelta(days=1),
                     decisions=[(0, "落实", "JYJ", 10)])
    workflow.open_items(meeting=meeting, acting_user=mp.organiser)
    _grow(mp, meeting, extra)
    client.force_login(mp.organiser)
    client.get(meeting.get_absolute_url())
    with django_assert_num_queries(PAGE_QUERIES):
        response = client.get(meeting.get_absolute_url())
    assert response.status_code == 200
    assert response.content.decode().count('data-testid="decision-row"') == 1 + extra


# session, user, roles, unread badge, the sliding-session save (3); the meeting; the page's data
# (attendees, topics + their materials, meeting materials, materials I opened, checklist ticks and
# items, decisions with items, summary, events, calendar (2), meeting settings, conveyance,
# feedback); the step forms' choices; one-time tokens add none
PAGE_QUERIES = 34


@pytest.mark.parametrize("extra", [0, 15])
def test_the_list_and_the_calendar(mp, staged, client, django_assert_num_queries, extra):
    staged("notified")
    for k in range(extra):
        Meeting.objects.create(type=mp.type, title=f"会议{k}", starts_at=timezone.now() + dt.timedelta(days=3, hours=k),
                               ends_at=timezone.now() + dt.timedelta(days=3, hours=k + 1), presiding=mp.leader,
                               created_by=mp.organiser, topic_deadline=timezone.now())
    client.force_login(mp.organiser)
    client.get("/meetings/?scope=all")
    with django_assert_num_queries(LIST_QUERIES):
        response = client.get("/meetings/?scope=all")
    assert response.content.decode().count('data-testid="meeting-row"') == 1 + extra
    day = (timezone.now() + dt.timedelta(days=3)).date()
    with django_assert_num_queries(CALENDAR_QUERIES):
        response = client.get(f"/meetings/calendar/?view=week&date={day}&scope=all")
    assert response.content.decode().count('data-testid="calendar-meeting"') >= extra


LIST_QUERIES = 14
CALENDAR_QUERIES = 13
