import io

import openpyxl
import pytest
from django.urls import reverse

from supervision import workflow
from supervision.models import Item


def test_a_returned_result_is_no_longer_shown_as_the_result(people, make_item):
    item = make_item()
    workflow.acknowledge(item=item, acting_user=people.responsible)
    workflow.report_result(item=item, acting_user=people.responsible, result="草率的结果")
    workflow.return_item(item=item, acting_user=people.officer, reason="请补充材料")
    item.refresh_from_db()
    assert item.result == ""
    assert item.events.get(kind="returned").data["returned_result"] == "草率的结果"


@pytest.mark.parametrize("query", ["kind=week&date=9999-12-31", "kind=month&date=9999-12-15",
                                   "kind=year", "date=not-a-date"])
def test_odd_report_parameters_are_not_a_500(client, people, query):
    client.force_login(people.officer)
    assert client.get(reverse("supervision:report") + "?" + query).status_code == 200


def test_the_ledger_cannot_carry_a_formula_or_control_characters(client, people, make_item):
    item = make_item(title="落实整改")
    # a title with a control character is refused now; rows stored before still export cleanly
    Item.objects.filter(pk=item.pk).update(title="落实\x0b整改")
    workflow.acknowledge(item=item, acting_user=people.responsible)
    workflow.report_result(item=item, acting_user=people.responsible, result="=HYPERLINK(\"http://x\")")
    client.force_login(people.officer)
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(  # streamed
        client.get(reverse("supervision:ledger") + "?scope=all").streaming_content))).active
    cells = [c for row in sheet.iter_rows(values_only=True) for c in row]
    assert "落实整改" in cells and "'=HYPERLINK(\"http://x\")" in cells
    assert Item.objects.get(pk=item.pk).result.startswith("=")
