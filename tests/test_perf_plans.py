"""The main list queries use their indexes (office.paging's rule): checked with EXPLAIN on
tables seeded with enough rows to make a sequential scan and a sort the planner's cheaper choice
if the index did not serve them, after ANALYZE (no planner setting forced)."""

import datetime as dt
import json

import pytest
from django.db import connection
from django.utils import timezone

from documents import selectors as documents_selectors
from documents.models import IncomingDocument
from office import paging
from office.workdays import WorkCalendar
from supervision import selectors as supervision_selectors
from supervision.models import Item

ROWS = 30_000


def clone(model, pk: int, n: int, **expressions) -> None:
    """``n`` copies of row ``pk`` in one INSERT … SELECT; ``expressions`` give SQL for some
    columns in terms of ``g`` (1..n)."""
    table = model._meta.db_table
    columns = [f.column for f in model._meta.concrete_fields if not f.primary_key]
    select = [expressions.get(c, f'"{c}"') for c in columns]
    with connection.cursor() as cursor:
        cursor.execute(
            f'INSERT INTO "{table}" ({", ".join(f"{chr(34)}{c}{chr(34)}" for c in columns)}) '
            f'SELECT {", ".join(select)} FROM "{table}", generate_series(1, %s) AS g WHERE id = %s',
            [n, pk])
        cursor.execute(f'ANALYZE "{table}"')


def plan(qs) -> dict:
    sql, params = qs.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        raw = cursor.fetchone()[0]
    return (json.loads(raw) if isinstance(raw, str) else raw)[0]["Plan"]


def nodes(node: dict):
    yield node
    for child in node.get("Plans", []):
        yield from nodes(child)


def scans(node: dict) -> dict[str, str]:
    """{relation: how it is read} over the whole plan."""
    return {n["Relation Name"]: f'{n["Node Type"]} {n.get("Index Name", "")}'.strip()
            for n in nodes(node) if "Relation Name" in n}


def node_types(node: dict) -> set[str]:
    return {n["Node Type"] for n in nodes(node)}


@pytest.fixture
def seeded_register(dp, register_doc):
    doc = register_doc(sender_number="")
    # five years of documents, one every 1.5 hours
    clone(IncomingDocument, doc.pk, ROWS,
          serial="g + 1", number="'压收' || g",
          received_at="received_at - (g * interval '90 minutes')",
          registered_at="registered_at - (g * interval '90 minutes')",
          due_at="due_at - (g * interval '90 minutes')",
          year="extract(year from received_at - (g * interval '90 minutes'))::int",
          status="'archived'")
    return doc


def test_the_register_reads_its_page_from_the_index_without_sorting(dp, seeded_register):
    for filters in (documents_selectors.RegisterFilters(),
                    documents_selectors.RegisterFilters(date_from=timezone.localdate() - dt.timedelta(days=400),
                                                        date_to=timezone.localdate() - dt.timedelta(days=30))):
        qs = documents_selectors.register(dp.clerk, filters, office=True)
        page = plan(qs[1450:1500])  # page 30
        assert "Sort" not in node_types(page), page
        assert scans(page)["documents_incomingdocument"] == "Index Scan incoming_received_order"


def test_the_date_filter_is_a_range_on_the_indexed_column(dp, seeded_register):
    f = documents_selectors.RegisterFilters(date_from=dt.date(2026, 1, 1), date_to=dt.date(2026, 1, 31))
    sql = str(documents_selectors.register(dp.clerk, f, office=True).query)
    assert "received_at\" >=" in sql and "::date" not in sql and "AT TIME ZONE" not in sql


def test_the_register_count_stops_past_the_pages_asked_for(dp, seeded_register):
    qs = documents_selectors.register(dp.clerk, documents_selectors.RegisterFilters(), office=True)
    page = paging.paginate(qs, 3, 50)  # exact up to EXACT_UP_TO rows, then "+"
    assert page.paginator.count == paging.EXACT_UP_TO and not page.paginator.exact
    assert page.paginator.num_pages_label == f"{paging.EXACT_UP_TO // 50}+"
    assert page.paginator.count_label == f"{paging.EXACT_UP_TO}+" == paging.count_label(len(qs))
    assert [d.pk for d in page] == list(qs.values_list("pk", flat=True)[100:150])
    far = paging.paginate(qs, 250, 50)  # past the exact range: the pages asked for plus PAGES_AHEAD
    assert far.paginator.count == (250 + paging.PAGES_AHEAD) * 50
    recent = qs.filter(received_at__gt=seeded_register.received_at - dt.timedelta(days=4))  # 64 rows
    last = paging.paginate(recent, 1, 50)
    assert last.paginator.num_pages_label == "2" and last.paginator.count == 64  # exact when it ends


@pytest.fixture
def seeded_items(people, make_item):
    item = make_item()
    clone(Item, item.pk, ROWS, number="'压督' || g",
          deadline="deadline + (mod(g, 400) - 100)", deliver_by="deliver_by + (mod(g, 400) - 100)",
          original_deadline="original_deadline + (mod(g, 400) - 100)",
          responsible_id=f"CASE WHEN mod(g, 97) = 0 THEN responsible_id ELSE {people.leader.pk} END",
          supervisor_id=f"CASE WHEN mod(g, 89) = 0 THEN supervisor_id ELSE {people.leader.pk} END")
    return item


def test_the_supervision_list_reads_its_page_from_the_index(people, seeded_items):
    from supervision.selectors import ItemFilters

    for level in ("", "overdue", "red"):
        items, _counts = supervision_selectors.item_list(people.officer, ItemFilters(scope="all", level=level),
                                                         cal=WorkCalendar.load(), manager=True)
        page = plan(items[:50])
        assert "Sort" not in node_types(page), (level, page)
        assert scans(page)["supervision_item"].startswith("Index Scan"), (level, scans(page))


def test_the_desk_reads_only_the_users_items(people, seeded_items):
    from supervision import timeliness

    qs = Item.objects.filter(timeliness.my_turn_q(people.responsible, awaiting=[seeded_items.pk]))
    how = scans(plan(qs.order_by("deliver_by", "pk")[:10]))["supervision_item"]
    assert not how.startswith("Seq Scan"), how
    assert "SubPlan" not in json.dumps(plan(qs))
