"""Sign-in by the QR code's signed link: valid only in the meeting window, only for the logged-in
person on the list (or their named substitute); tampered, stale or expired tokens refused with a
message; lateness from the start. Through the pages, as a phone would."""

import datetime as dt

import pytest
from django.core import signing
from django.utils import timezone

from meetings import signin, workflow
from meetings.models import Meeting
from office.workflow import WorkflowError
from tests.helpers import with_token

pytestmark = pytest.mark.django_db


@pytest.fixture
def running(mp, staged):
    """A ready meeting that started 5 minutes ago and runs for another 85."""
    meeting = staged("ready", start=timezone.now() + dt.timedelta(minutes=40))
    now = timezone.now().replace(second=0, microsecond=0)
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=now - dt.timedelta(minutes=5),
                                                 ends_at=now + dt.timedelta(minutes=85))
    meeting.refresh_from_db()
    return meeting


def test_the_link_signs_in_the_person_logged_in_with_lateness(mp, running):
    token = signin.make_token(running)
    att = workflow.sign_in(meeting=running, acting_user=mp.director, token=token,
                           now=running.starts_at + dt.timedelta(minutes=3, seconds=40))
    assert (att.user, att.late_minutes, att.sign_in_method, att.signed_in_person) == (mp.director, 3, "qr", mp.director)
    on_time = workflow.sign_in(meeting=running, acting_user=mp.chief, token=token,
                               now=running.starts_at + dt.timedelta(seconds=59))
    # chief came for vice2 (the staged substitute): the row is vice2's, the person who came is chief
    assert (on_time.user, on_time.signed_in_person, on_time.late_minutes) == (mp.vice2, mp.chief, 0)


@pytest.mark.parametrize(("offset", "code"), [
    (dt.timedelta(minutes=-31), "token_not_yet"), (dt.timedelta(minutes=-29), None),
    (dt.timedelta(minutes=89), None), (dt.timedelta(minutes=91), "token_expired"),
])
def test_the_link_is_valid_from_30_minutes_before_to_the_end(mp, running, offset, code):
    token = signin.make_token(running)
    when = running.starts_at + offset
    if code is None:
        att = workflow.sign_in(meeting=running, acting_user=mp.director, token=token, now=when)
        assert att.signed_in_at == when
    else:
        with pytest.raises(WorkflowError) as exc:
            workflow.sign_in(meeting=running, acting_user=mp.director, token=token, now=when)
        assert exc.value.code == code
        assert running.attendees.filter(signed_in_at__isnull=False).count() == 0


def test_someone_not_on_the_list_cannot_sign_in_nor_sign_in_for_someone_else(mp, running):
    token = signin.make_token(running)
    for person in (mp.outsider, mp.contact, mp.organiser):
        with pytest.raises(WorkflowError) as exc:
            workflow.sign_in(meeting=running, acting_user=person, token=token)
        assert exc.value.code == "not_invited"
    assert running.attendees.filter(signed_in_at__isnull=False).count() == 0


def test_a_removed_attendee_cannot_sign_in(mp, running):
    row = running.attendees.get(user=mp.director)
    workflow.remove_attendee(meeting=running, acting_user=mp.organiser, attendee=row)
    with pytest.raises(WorkflowError) as exc:
        workflow.sign_in(meeting=running, acting_user=mp.director, token=signin.make_token(running))
    assert exc.value.code == "not_invited"


@pytest.mark.parametrize("mangle", [
    lambda t: t[:-2] + ("AA" if not t.endswith("AA") else "BB"),  # the signature altered
    lambda t: "x" + t,
    lambda t: "",
    lambda t: signing.dumps({"m": 999999, "o": 0, "c": 2**40}, salt=signin.SALT),  # another meeting
    lambda t: signing.dumps({"m": 1, "o": 0, "c": 2**40}, salt="another.salt"),
])
def test_a_tampered_token_is_refused(mp, running, mangle):
    with pytest.raises(WorkflowError) as exc:
        workflow.sign_in(meeting=running, acting_user=mp.director, token=mangle(signin.make_token(running)))
    assert exc.value.code == "token_invalid"


def test_a_code_printed_before_the_meeting_moved_is_stale(mp, running):
    token = signin.make_token(running)
    Meeting.objects.filter(pk=running.pk).update(ends_at=running.ends_at + dt.timedelta(minutes=30))
    running.refresh_from_db()
    with pytest.raises(WorkflowError) as exc:
        workflow.sign_in(meeting=running, acting_user=mp.director, token=token)
    assert exc.value.code == "token_stale"


def test_signing_in_twice_is_refused_and_keeps_the_first_time(mp, running):
    token = signin.make_token(running)
    first = workflow.sign_in(meeting=running, acting_user=mp.director, token=token)
    with pytest.raises(WorkflowError) as exc:
        workflow.sign_in(meeting=running, acting_user=mp.director, token=token)
    assert exc.value.code == "already"
    first.refresh_from_db()
    assert first.signed_in_at is not None


def test_a_meeting_not_ready_opens_no_sign_in(mp, staged):
    meeting = staged("notified", start=timezone.now() + dt.timedelta(days=3))
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=timezone.now() + dt.timedelta(minutes=10),
                                                 ends_at=timezone.now() + dt.timedelta(minutes=70))
    meeting.refresh_from_db()
    with pytest.raises(WorkflowError) as exc:
        workflow.sign_in(meeting=meeting, acting_user=mp.director, token=signin.make_token(meeting))
    assert exc.value.code == "wrong_status"


def test_the_pages_sign_in_with_the_message_and_refuse_a_bad_code(mp, running, client):
    url = f"/meetings/{running.pk}/signin/?t={signin.make_token(running)}"
    # not logged in: the login page, which comes back here
    response = client.get(url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(mp.director)
    page = client.get(url)
    assert page.status_code == 200 and 'data-testid="signin-submit"' in page.content.decode()
    done = client.post(url, with_token({"t": signin.make_token(running)}, mp.director), follow=True)
    text = done.content.decode()
    assert "已签到" in text and "迟到" in text
    bad = client.get(f"/meetings/{running.pk}/signin/?t=forged")
    assert bad.status_code == 409 and "签到码无效" in bad.content.decode()
    client.force_login(mp.outsider)
    refused = client.post(url, with_token({"t": signin.make_token(running)}, mp.outsider))
    assert refused.status_code == 409 and "您不在本次会议的参会名单中" in refused.content.decode()


def test_the_qr_page_shows_an_inline_svg_for_the_clerk_only(mp, running, client):
    client.force_login(mp.clerk)
    page = client.get(f"/meetings/{running.pk}/qr/").content.decode()
    assert "<svg" in page and f"/meetings/{running.pk}/signin/?t=" in page
    client.force_login(mp.director)
    assert client.get(f"/meetings/{running.pk}/qr/").status_code == 200  # directors organise
    client.force_login(mp.vice)
    assert client.get(f"/meetings/{running.pk}/qr/").status_code == 403
