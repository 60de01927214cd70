"""The dashboard's tests run on the demo office (every app's data, real roles), thickened with
documents and items cloned from the demo's own rows across the last 30 days."""

import contextlib
import datetime as dt
import random
from unittest import mock

import pytest
from django.utils import timezone

LEADER, DIRECTOR, CHIEF = "wangjg", "chenzq", "wuj"
PERSONAS = (LEADER, DIRECTOR, CHIEF)


@contextlib.contextmanager
def frozen(moment: dt.datetime):
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


def list_count(response, key: str = "") -> int:
    """The length of the list a figure links to, from the list page's own paginator (or its
    rows); for the two figures that are a total printed on their page, that total."""
    path = response.request["PATH_INFO"]
    if path.startswith("/documents/outgoing/") and "waiting=me" in response.request["QUERY_STRING"]:
        return response.context["drafts"].paginator.count
    if path.startswith("/information/quarter/"):  # the quarter's table: one row per secretary
        return response.context["totals"]["met"] if key.endswith(".met") else len(response.context["rows"])
    if path.startswith("/study/sessions/"):  # the session's sign-in sheet
        return response.context["summary"].present if key.endswith(".present") else len(
            response.context["attendances"])
    return response.context["page"].paginator.count


def thicken(seed: int = 1, documents: int = 60, items: int = 40) -> None:
    """More history: incoming documents over the last 30 days (cleared on time, late, still at
    the desk, overdue) and supervision items in every state, cloned from demo rows."""
    from documents.models import IncomingDocument, Status
    from supervision.models import Closing, Item
    from supervision.models import Status as ItemStatus

    rng = random.Random(seed)
    now = timezone.now()
    template = IncomingDocument.objects.order_by("pk").first()
    last = IncomingDocument.objects.order_by("-serial").first().serial
    docs = []
    for i in range(documents):
        received = now - dt.timedelta(days=rng.randint(0, 31), hours=rng.randint(0, 6))
        due = received + dt.timedelta(hours=rng.choice([1, 4, 8]))
        kind = rng.choice(["on_time", "late", "pending", "archived"])
        cleared = {"on_time": due - dt.timedelta(minutes=10), "late": due + dt.timedelta(hours=2),
                   "pending": None, "archived": received + dt.timedelta(minutes=5)}[kind]
        if cleared and cleared > now:
            cleared = None
        status = Status.REGISTERED if cleared is None else (
            Status.ARCHIVED if kind == "archived" else Status.CIRCULATING)
        docs.append(IncomingDocument(
            year=template.year, serial=last + 1 + i, number=f"收〔{template.year}〕{last + 1 + i}号",
            sender_id=template.sender_id, title=f"克隆来文{i}", doc_type_id=template.doc_type_id,
            handling=template.handling, received_at=received, signed_by_id=template.signed_by_id,
            registered_by_id=template.registered_by_id, due_at=due, cleared_at=cleared, status=status,
            **rng.choice([{}, {}, {}, {"secrecy": "secret", "secrecy_years": 10}])))
    IncomingDocument.objects.bulk_create(docs)

    base = Item.objects.exclude(status=ItemStatus.DRAFT).order_by("pk")
    templates = list(base[:5])
    last_item = Item.objects.order_by("-pk").first().pk
    today = timezone.localdate()
    clones = []
    for i in range(items):
        t = templates[i % len(templates)]
        state = rng.choice(["open", "overdue", "closed_on_time", "closed_late", "result"])
        deliver = today + dt.timedelta(days=rng.randint(-15, 15) if state != "overdue" else -rng.randint(1, 9))
        fields = dict(status=ItemStatus.IN_PROGRESS, deliver_by=deliver, deadline=deliver,
                      original_deadline=deliver, closed_at=None, closing="", result="")
        if state.startswith("closed"):
            closed = now - dt.timedelta(days=rng.randint(0, 20))
            fields.update(status=ItemStatus.CLOSED, closed_at=closed, result="已办结",
                          closing=Closing.ON_TIME if state == "closed_on_time" else Closing.LATE,
                          result_reported_at=closed)
        elif state == "result":
            fields.update(status=ItemStatus.RESULT_REPORTED, result_reported_at=now, turn_since=now)
        clone = Item.objects.get(pk=t.pk)
        clone.pk = None
        clone.number = f"督〔{today.year}〕克{last_item + i}号"
        clone.lead_unit_id = rng.choice([t.lead_unit_id, templates[0].lead_unit_id, templates[-1].lead_unit_id])
        for k, v in fields.items():
            setattr(clone, k, v)
        clones.append(clone)
    Item.objects.bulk_create(clones)


@pytest.fixture
def office(demo_office):
    thicken()
