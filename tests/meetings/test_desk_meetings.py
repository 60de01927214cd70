"""Meetings on the desk: topics to screen, meetings to approve, the 归口 secretary's view of her
units' topics; the approval and screening notifications resolve when the step is done."""

from meetings import workflow
from office.models import Notification, Unit


def _queue(page: str, key: str) -> str:
    return page.split(f'data-testid="desk-queue-{key}"')[1].split("</section>")[0]


def _count(page: str, key: str) -> int:
    chip = page.split(f'data-testid="desk-count-{key}"')[1]
    return int(chip.split('zb-desk-count-n">')[1].split("<")[0])


def test_a_screener_sees_the_topics_to_screen_and_the_notification_resolves(client, mp, staged):
    meeting = staged("planning", topics=("JYJ", "CZJ"))  # the first topic is screened, the second waits
    waiting = meeting.topics.get(status="submitted")
    client.force_login(mp.director)
    page = client.get("/").content.decode()
    assert _count(page, "screen_topics") == 1 and waiting.title in _queue(page, "screen_topics")
    note = Notification.objects.get(recipient=mp.director, task=f"topic:{waiting.pk}:screen")
    workflow.screen_topic(topic=waiting, acting_user=mp.chief, decision="accept")
    note.refresh_from_db()
    assert note.resolved_by == mp.chief
    assert _count(client.get("/").content.decode(), "screen_topics") == 0


def test_the_presiding_leader_sees_the_meeting_to_approve_until_approved(client, mp, staged):
    meeting = staged("pending_approval")
    client.force_login(mp.leader)
    page = client.get("/").content.decode()
    assert _count(page, "approve_meetings") == 1 and meeting.title in _queue(page, "approve_meetings")
    workflow.approve(meeting=meeting, acting_user=mp.leader, note="同意。")
    assert not Notification.objects.filter(task=f"meeting:{meeting.pk}:approve", resolved_at__isnull=True).exists()
    assert _count(client.get("/").content.decode(), "approve_meetings") == 0


def test_the_liaison_secretary_sees_the_topics_of_her_units(client, mp, staged):
    Unit.objects.filter(pk=mp.jyj.pk).update(liaison_secretary=mp.clerk)
    staged("planning", topics=("JYJ", "CZJ"))
    client.force_login(mp.clerk)
    page = client.get("/").content.decode()
    queue = _queue(page, "liaison_topics")
    assert _count(page, "liaison_topics") == 1 and "JYJ议题" in queue and "CZJ议题" not in queue
