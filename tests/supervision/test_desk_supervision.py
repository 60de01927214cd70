"""The supervision side of the desk: the director's disputes, extension requests and the office's
overdue items; the leader's overdue instructions; 归口; notifications that resolve themselves;
催办 offered first only once an item is overdue."""

import datetime as dt
import re

from django.utils import timezone, translation

from office import selectors as office_selectors
from office.models import Notification, Unit
from office.workdays import WorkCalendar
from supervision import workflow
from tests.supervision.conftest import move_deadline


def _queue(page: str, key: str) -> str:
    return page.split(f'data-testid="desk-queue-{key}"')[1].split("</section>")[0]


def _count(page: str, key: str) -> int:
    chip = page.split(f'data-testid="desk-count-{key}"')[1]
    return int(chip.split('zb-desk-count-n">')[1].split("<")[0])


def test_a_dispute_waits_on_the_directors_desk_until_anyone_reassigns_it(client, people, make_item):
    item = make_item()
    workflow.dispute(item=item, acting_user=people.responsible, reason="不属于本单位职责")
    client.force_login(people.director)
    page = client.get("/").content.decode()
    assert _count(page, "disputed") == 1 and item.title in _queue(page, "disputed")
    officer_note = Notification.objects.get(recipient=people.officer, task=f"sup:{item.pk}:disputed")
    assert officer_note.resolved_at is None

    workflow.reassign(item=item, acting_user=people.director, lead_unit=people.lead,
                      responsible=people.head, note="由局长牵头")

    officer_note.refresh_from_db()
    assert officer_note.resolved_by == people.director and officer_note.resolved_at is not None
    assert office_selectors.unread_count(people.officer) == Notification.objects.filter(
        recipient=people.officer, read_at__isnull=True, resolved_at__isnull=True).count()
    assert _count(client.get("/").content.decode(), "disputed") == 0


def test_an_extension_request_resolves_for_the_director_when_the_leader_decides(client, people, make_item):
    item = make_item(instructing_leader=None, source_kind="document")
    workflow.request_extension(item=item, acting_user=people.responsible,
                               new_deadline=item.deadline + dt.timedelta(days=7), reason="需要更多时间")
    note = Notification.objects.get(recipient=people.director, task=f"sup:{item.pk}:extension")
    client.force_login(people.director)
    page = client.get("/").content.decode()
    assert _count(page, "extensions") == 1
    workflow.decide_extension(item=item, acting_user=people.director, approve=True)
    note.refresh_from_db()
    assert note.resolved_at is not None
    assert _count(client.get("/").content.decode(), "extensions") == 0


def test_overdue_items_show_on_the_director_leader_and_liaison_desks(client, people, make_item):
    late = make_item(title="逾期的督办事项")
    move_deadline(late, timezone.localdate() - dt.timedelta(days=20))
    make_item(title="按期办理的事项")
    days_late = WorkCalendar.load().working_days_between(late.deliver_by, timezone.localdate())
    people.lead.liaison_secretary = people.officer
    Unit.objects.filter(pk=people.lead.pk).update(liaison_secretary=people.officer)
    for who, key in ((people.director, "office_overdue"), (people.leader, "instructed_overdue"),
                     (people.officer, "liaison_overdue")):
        client.force_login(who)
        page = client.get("/").content.decode()
        queue = _queue(page, key)
        assert _count(page, key) == 1, who
        assert "逾期的督办事项" in queue and "按期办理的事项" not in queue
        assert 'data-level="red"' in queue
        assert f"已逾期 {days_late} 个工作日" in queue


def test_a_supervision_title_is_rendered_in_english_for_an_english_reader(people, make_item):
    item = make_item()
    note = Notification.objects.get(recipient=people.responsible, task=f"sup:{item.pk}:assigned")
    with translation.override("en"):
        assert note.display_title == f"New supervision item: {item.title}"
    assert note.title == f"新督办事项：{item.title}" or note.title.endswith(item.title)


def test_chase_comes_first_once_the_item_is_overdue(client, people, make_item):
    item = make_item()
    client.force_login(people.officer)
    page = client.get(item.get_absolute_url()).content.decode()
    card = page[page.index('data-testid="actions"'):]
    assert card.index('data-step="comment"') < card.index('data-step="chase"')
    move_deadline(item, timezone.localdate() - dt.timedelta(days=5))
    page = client.get(item.get_absolute_url()).content.decode()
    card = page[page.index('data-testid="actions"'):]
    first_open = re.search(r"<details class=\"mb-2\" open>\s*<summary[^>]*>([^<]+)</summary>", card)
    assert first_open.group(1) == "催办"
    assert card.index('data-step="chase"') < card.index('data-step="comment"')


def test_a_chase_stops_counting_once_the_result_is_reported(people, make_item):
    item = make_item()
    workflow.acknowledge(item=item, acting_user=people.responsible)
    workflow.chase(item=item, acting_user=people.officer, note="请加快进度")
    chase = Notification.objects.get(recipient=people.responsible, task=f"sup:{item.pk}:owed")
    assert chase.resolved_at is None
    workflow.report_result(item=item, acting_user=people.responsible, result="已全部整改到位")
    chase.refresh_from_db()
    assert chase.resolved_at is not None
