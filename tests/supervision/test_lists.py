import datetime as dt
import threading

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from supervision import workflow
from supervision.models import Event, Item, Status
from supervision.workflow import WorkflowError
from tests.supervision.conftest import move_deadline


def make_many(make_item, n):
    return [make_item(title=f"督办事项{i:03d}") for i in range(n)]


@pytest.mark.parametrize("n", [3, 30])
def test_the_list_runs_a_fixed_number_of_queries(client, people, make_item, django_assert_num_queries, n):
    make_many(make_item, n)
    client.force_login(people.officer)
    url = reverse("supervision:list") + "?scope=all"
    client.get(url)
    # session, user; roles, supervision settings (manager?); calendar days, office settings,
    # reminder rules; status counts (also the page's count: office.paging), page rows (the
    # filter's units are cached: office.selectors.unit_choices); roles/unread/unit in the header;
    # the sliding session save (savepoint, update, release)
    with django_assert_num_queries(15):
        response = client.get(url)
    assert response.content.decode().count('data-testid="item-row"') == n


@pytest.mark.parametrize("n", [2, 12])
def test_the_item_page_runs_a_fixed_number_of_queries(client, people, make_item, django_assert_num_queries, n):
    item = make_item()
    workflow.acknowledge(item=item, acting_user=people.responsible)
    for i in range(n):
        workflow.report_progress(item=item, acting_user=people.responsible, text=f"进展{i}")
        workflow.comment(item=item, acting_user=people.leader, text=f"批示{i}")
    client.force_login(people.officer)
    url = reverse("supervision:detail", args=[item.pk])
    client.get(url)
    # session, user, roles, supervision settings; the item with co-units, milestones,
    # extensions, events, progress reports, attachments, chases (one query each); calendar days,
    # office settings, reminder rules (colour); the audit of the view; unread count and unit
    # (header); session save (3)
    with django_assert_num_queries(21):
        response = client.get(url)
    assert response.content.decode().count('data-kind="comment"') == n


def test_counts_per_status_and_filters(client, people, make_item):
    a, b, c = make_many(make_item, 3)
    workflow.acknowledge(item=b, acting_user=people.responsible)
    move_deadline(c, timezone.localdate() - dt.timedelta(days=20))
    client.force_login(people.officer)
    page = client.get(reverse("supervision:list") + "?scope=all").content.decode()
    assert 'data-status="assigned">已交办 <span class="badge text-bg-light">2<' in page
    assert 'data-status="acknowledged">已签收 <span class="badge text-bg-light">1<' in page
    overdue = client.get(reverse("supervision:list") + "?scope=all&level=overdue").content.decode()
    assert overdue.count('data-testid="item-row"') == 1 and "督办事项002" in overdue
    red = client.get(reverse("supervision:list") + "?scope=all&level=red").content.decode()
    assert red.count('data-testid="item-row"') == 1
    by_status = client.get(reverse("supervision:list") + "?scope=all&status=acknowledged").content.decode()
    assert by_status.count('data-testid="item-row"') == 1 and "督办事项001" in by_status


@pytest.mark.parametrize(("persona", "scope", "expected"), [
    ("responsible", "mine", 1), ("co_member", "mine", 1), ("head", "unit", 1),
    ("leader", "instructed", 1), ("clerk", "mine", 0), ("clerk", "all", 0),
])
def test_scopes(client, people, make_item, persona, scope, expected):
    make_item()
    client.force_login(getattr(people, persona))
    page = client.get(reverse("supervision:list") + f"?scope={scope}").content.decode()
    assert page.count('data-testid="item-row"') == expected


def test_the_desk_shows_my_open_items_with_their_colour(client, people, make_item):
    item = make_item()
    move_deadline(item, timezone.localdate() - dt.timedelta(days=30))
    client.force_login(people.responsible)
    page = client.get("/").content.decode()
    queue = page.split('data-testid="desk-queue-my_items"')[1].split("</section>")[0]
    assert queue.count('data-testid="desk-row"') == 1
    assert 'data-level="red"' in page


def test_ledger_export_is_an_excel_file(client, people, make_item):
    import io

    import openpyxl

    make_many(make_item, 2)
    client.force_login(people.officer)
    response = client.get(reverse("supervision:ledger") + "?scope=all")
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active  # streamed
    titles = [row[1] for row in sheet.iter_rows(values_only=True)]
    assert "督办事项000" in titles and "督办事项001" in titles


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_people_clicking_the_same_step_at_once_produce_one_transition(people, make_item):
    item = make_item()
    barrier = threading.Barrier(2)
    outcomes = []

    def click():
        try:
            barrier.wait()
            workflow.acknowledge(item=item, acting_user=people.responsible)
            outcomes.append("ok")
        except WorkflowError as exc:
            outcomes.append(exc.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=click) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["ok", "wrong_status"]
    assert Item.objects.get(pk=item.pk).status == Status.ACKNOWLEDGED
    assert Event.objects.filter(item=item, kind="acknowledged").count() == 1
