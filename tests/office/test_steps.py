"""Kind 10: one way to declare a workflow step. Each app declares its steps (``<app>/steps.py``)
and the core's ``office.steps`` runs them: the declarations match the workflow's transition
table, final steps ask first, success messages say what happened, the card's open action is
the one the step most likely needs."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

from documents import steps as document_steps
from documents import workflow as document_workflow
from supervision import steps as item_steps
from supervision import workflow as item_workflow
from tests.helpers import with_token

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(("declared", "table", "offered_elsewhere"), [
    (item_steps.STEPS, item_workflow.TRANSITIONS, set()),
    (document_steps.STEPS, document_workflow.TRANSITIONS, {"recall_copy"}),  # per copy, in its row
])
def test_every_step_of_the_transition_table_is_declared_once(declared, table, offered_elsewhere):
    names = [s.name for s in declared]
    assert len(names) == len(set(names))
    assert set(names) | offered_elsewhere == set(table)


def test_no_app_dispatches_steps_by_name_in_its_views():
    for app in ("documents", "supervision"):
        source = (ROOT / app / "views.py").read_text()
        assert not re.search(r"\bmatch step\b|case \"", source), app


@pytest.mark.parametrize(("declared", "final"), [
    (item_steps.STEPS, {"accept", "return", "report_result", "dispute"}),
    (document_steps.STEPS, {"close", "archive", "return_to_sender"}),
])
def test_final_steps_ask_for_confirmation_and_only_they(declared, final):
    assert {s.name for s in declared if s.confirm} == final


def test_a_success_message_says_what_happened(client, people, make_item):
    item = make_item()
    client.force_login(people.responsible)
    response = client.post(reverse("supervision:step", args=[item.pk, "acknowledge"]),
                           with_token({}, people.responsible), follow=True)
    assert [str(m) for m in response.context["messages"]] == [f"已签收 {item.number}。"]


def test_the_officer_is_not_offered_a_chase_as_the_next_action_right_after_assigning(client, people, make_item):
    item = make_item()
    client.force_login(people.officer)
    page = client.get(item.get_absolute_url()).content.decode()
    card = page[page.index('data-testid="actions"'):]
    assert 'data-step="chase"' in card
    assert "<details class=\"mb-2\" open>" not in card  # nothing is pushed as the obvious next step


def test_the_responsible_persons_first_action_is_open(client, people, make_item):
    item = make_item()
    item_workflow.acknowledge(item=item, acting_user=people.responsible)
    client.force_login(people.responsible)
    page = client.get(item.get_absolute_url()).content.decode()
    card = page[page.index('data-testid="actions"'):]
    first_open = re.search(r"<details class=\"mb-2\" open>\s*<summary[^>]*>([^<]+)</summary>", card)
    assert first_open.group(1) == "反馈进展"


def test_the_verification_step_takes_an_opinion(client, people, make_item):
    item = make_item()
    item_workflow.acknowledge(item=item, acting_user=people.responsible)
    item_workflow.report_result(item=item, acting_user=people.responsible, result="已全部整改")
    client.force_login(people.officer)
    response = client.post(reverse("supervision:step", args=[item.pk, "accept"]),
                           with_token({"accept-note": "经实地核查，整改到位"}, people.officer))
    assert response.status_code == 302
    assert item.events.get(kind="accepted").note == "经实地核查，整改到位"
