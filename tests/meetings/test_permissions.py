"""The permission matrix of meetings: each persona against each page and each step. A page one may
not see is a 404 (an administrator's business page 403, anonymous the login page); a step one may
not take is refused (409 when the meeting is visible, 404 when not) and changes nothing."""

import datetime as dt

import pytest
from django.utils import timezone

from meetings import permissions
from meetings.models import Meeting, Topic
from meetings.workflow import TRANSITIONS
from office import roles
from office.models import AuditEvent, Unit
from tests.factories import UnitFactory, UserFactory
from tests.helpers import with_token

pytestmark = pytest.mark.django_db

PERSONAS = ["organiser", "chief", "clerk", "director", "leader", "vice", "leader2", "contact", "fin", "outsider",
            "sysadmin"]


@pytest.fixture
def world(mp, staged):
    mp.leader2 = UserFactory(username="leader2", full_name="刘副县长", roles=[roles.COUNTY_LEADER], unit=mp.ldbz)
    mp.sysadmin = UserFactory(username="sysadmin", roles=[roles.SYSTEM_ADMIN], is_staff=True,
                              unit=UnitFactory(code="XXK", name="信息科", kind=Unit.Kind.SECTION))
    meeting = staged("notified", start=timezone.now() + dt.timedelta(days=5))
    meeting.refresh_from_db()
    return mp, meeting


# who sees the meeting (and its agenda): the meeting office, the directors and every county leader,
# the attendees (vice; vice2 sent chief, who is in the meeting office anyway), the unit with a topic
SEES = {"organiser", "chief", "clerk", "director", "leader", "vice", "leader2", "contact"}
SEES_AGENDA = SEES - {"contact"}


def _person(mp, name):
    return getattr(mp, name)


@pytest.mark.parametrize("persona", PERSONAS)
def test_pages(world, client, persona):
    mp, meeting = world
    client.force_login(_person(mp, persona))
    topic = meeting.topics.get()
    admin = persona == "sysadmin"

    def status(url):
        return client.get(url).status_code

    business = 403 if admin else 200
    assert status("/meetings/") == business
    assert status("/meetings/calendar/") == business
    assert status(meeting.get_absolute_url()) == (403 if admin else 200 if persona in SEES else 404)
    assert status(topic.get_absolute_url()) == (403 if admin else 200 if persona in SEES else 404)
    organisers = {"organiser", "chief", "clerk", "director"}
    assert status("/meetings/new/") == (200 if persona in organisers else 403)
    assert status("/meetings/discipline/") == (200 if persona in organisers | {"leader", "leader2", "vice"} else 403)
    submitters = organisers | {"contact", "fin"}
    assert status("/meetings/topics/") == (200 if persona in submitters else 403)
    qr = status(f"/meetings/{meeting.pk}/qr/")
    assert qr == (403 if admin else 200 if persona in organisers else 403 if persona in SEES else 404)
    material = topic.materials.first()
    assert status(f"/meetings/materials/{material.pk}/") == (
        403 if admin else 200 if persona in SEES else 404)


def test_anonymous_gets_the_login_page(world, client):
    mp, meeting = world
    for url in ("/meetings/", meeting.get_absolute_url(), "/meetings/calendar/", "/meetings/discipline/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


# the steps of the meeting page and who may take them (ignoring the meeting's status)
MAY = {
    "move": {"organiser", "chief", "clerk", "director"},
    "presiding": {"leader"},
    "decide_leave": {"leader", "director"},
    "review_summary": {"chief", "director"},
    "answer": {"director", "vice"},  # the current attendees (vice2 sent chief; leader presides, not invited)
    "mark_present": {"organiser", "chief", "clerk", "director"},
    "record_conveyance": {"organiser", "chief", "clerk", "director"},  # no decision yet: no unit
}


@pytest.mark.parametrize("persona", PERSONAS[:-1])
def test_who_may_take_which_step(world, persona):
    mp, meeting = world
    viewer = permissions.Viewer(meeting, _person(mp, persona))
    for step in TRANSITIONS:
        if step in ("approve", "return_for_revision", "sign_summary"):
            expected = persona in MAY["presiding"]
        elif step in ("decide_leave", "review_summary", "answer", "mark_present", "record_conveyance"):
            expected = persona in MAY[step]
        elif step in permissions.ORGANISER_STEPS:
            expected = persona in MAY["move"]
        elif step in permissions.CLERK_STEPS:
            expected = persona in MAY["mark_present"]
        elif step == "add_feedback":
            expected = persona in MAY["record_conveyance"]
        elif step == "open_items":
            expected = persona in MAY["move"]
        else:
            raise AssertionError(step)
        assert viewer.may(step) is expected, (persona, step)


@pytest.mark.parametrize("persona", ["vice", "contact", "fin", "outsider", "leader2"])
def test_a_refused_step_through_the_page_changes_nothing(world, client, persona):
    mp, meeting = world
    user = _person(mp, persona)
    client.force_login(user)
    before = (meeting.status, meeting.sequence, meeting.events.count(), meeting.attendees.filter(
        removed_at__isnull=True).count())
    for step, data in (("cancel", {"cancel-reason": "不开了"}), ("send_notice", {}),
                       ("add_attendees", {"add_attendees-users": [mp.fin.pk], "add_attendees-kind": "attend"})):
        response = client.post(f"/meetings/{meeting.pk}/{step}/", with_token(data, user))
        assert response.status_code == (409 if persona in SEES else 404), (step, response.status_code)
    meeting.refresh_from_db()
    assert (meeting.status, meeting.sequence, meeting.events.count(), meeting.attendees.filter(
        removed_at__isnull=True).count()) == before


def test_topic_steps_through_the_page(world, client):
    mp, meeting = world
    Meeting.objects.filter(pk=meeting.pk).update(status="planning")
    topic = Topic.objects.create(meeting=meeting, title="新议题", background="b", request="r", unit=mp.czj,
                                 submitted_by=mp.fin)
    client.force_login(mp.contact)  # another unit's topic: not visible to the contact
    assert client.post(f"/meetings/topics/{topic.pk}/screen/", with_token({"screen-decision": "accept"},
                                                                        mp.contact)).status_code == 404
    client.force_login(mp.vice)  # sees it (an attendee) but may not screen
    assert client.post(f"/meetings/topics/{topic.pk}/screen/", with_token({"screen-decision": "accept"},
                                                                        mp.vice)).status_code == 409
    topic.refresh_from_db()
    assert topic.status == Topic.Status.SUBMITTED
    assert AuditEvent.objects.filter(action="meetings.screen_topic", result="failure").count() == 1
    client.force_login(mp.chief)
    response = client.post(f"/meetings/topics/{topic.pk}/screen/",
                           with_token({"screen-decision": "accept"}, mp.chief), follow=True)
    assert "已列入议程第 2 项" in response.content.decode()
    topic.refresh_from_db()
    assert topic.status == Topic.Status.ACCEPTED


def test_a_unit_submits_a_topic_through_the_form_once(world, client):
    mp, meeting = world
    Meeting.objects.filter(pk=meeting.pk).update(status="planning")
    client.force_login(mp.fin)
    data = with_token({"title": "预算调整", "background": "收入下降", "request": "同意调整"}, mp.fin)
    first = client.post(f"/meetings/{meeting.pk}/topics/new/", data, follow=True)
    assert "已提交" in first.content.decode()
    client.post(f"/meetings/{meeting.pk}/topics/new/", data)  # the double click
    assert Topic.objects.filter(title="预算调整").count() == 1
    bad = client.post(f"/meetings/{meeting.pk}/topics/new/", with_token({"title": "缺内容"}, mp.fin))
    assert bad.status_code == 400 and "缺内容" in bad.content.decode()  # what was typed is kept
