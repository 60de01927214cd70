"""Personas for supervision tests: the responsible person, a co-unit member, the lead unit's
head, the supervising officer, the instructing leader, the office director, an unrelated clerk."""

import contextlib
import datetime as dt
from unittest import mock

import pytest
from django.utils import timezone

from office import roles
from office.models import Unit
from supervision import workflow
from supervision.models import Item, SupervisionSettings
from tests.factories import UnitFactory, UserFactory


class People:
    pass


@contextlib.contextmanager
def frozen(moment: dt.datetime):
    """Run steps at ``moment``: ``timezone.now()`` and ``timezone.localdate()`` as the workflow,
    the selectors and the views read them."""
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


def at(day: dt.date, hour: int = 9, minute: int = 0) -> dt.datetime:
    """An aware datetime in the local time zone (Asia/Shanghai)."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def move_deadline(item, day: dt.date, *, original: dt.date | None = None, **fields):
    """Test data: put the item's deadline, and the date the unit must deliver by, on ``day``
    (no held days); ``fields`` are set too."""
    Item.objects.filter(pk=item.pk).update(original_deadline=original or day, deadline=day, deliver_by=day,
                                           held_days=0, **fields)
    item.refresh_from_db()
    return item


@pytest.fixture
def people(db):
    p = People()
    p.dcs = UnitFactory(code="DCS", name="督查室", kind=Unit.Kind.SECTION)
    p.lead = UnitFactory(code="JYJ", name="县教育局", kind=Unit.Kind.DEPARTMENT)
    p.co = UnitFactory(code="CZJ", name="县财政局", kind=Unit.Kind.DEPARTMENT)
    p.other = UnitFactory(code="WDK", name="文电科", kind=Unit.Kind.SECTION)
    conf = SupervisionSettings.load()
    conf.office_unit = p.dcs
    conf.save()
    p.director = UserFactory(username="director", full_name="陈主任", roles=[roles.OFFICE_DIRECTOR],
                             unit=UnitFactory(code="ZRS", name="主任室", kind=Unit.Kind.SECTION))
    p.officer = UserFactory(username="officer", full_name="唐督查", roles=[roles.SECRETARY], unit=p.dcs)
    p.leader = UserFactory(username="leader", full_name="王县长", roles=[roles.COUNTY_LEADER],
                           unit=UnitFactory(code="LDBZ", name="县政府领导", kind=Unit.Kind.LEADERSHIP))
    p.head = UserFactory(username="head", full_name="教育局长", roles=[roles.UNIT_CONTACT], unit=p.lead)
    p.responsible = UserFactory(username="resp", full_name="张承办", roles=[roles.UNIT_CONTACT], unit=p.lead)
    p.co_member = UserFactory(username="comember", full_name="财政联络员", roles=[roles.UNIT_CONTACT], unit=p.co)
    p.clerk = UserFactory(username="clerk", full_name="无关文书", roles=[roles.CLERK], unit=p.other)
    Unit.objects.filter(pk=p.lead.pk).update(head=p.head)
    p.lead.refresh_from_db()
    return p


@pytest.fixture
def make_item(people):
    def make(assign=True, days=10, **overrides):
        fields = dict(
            title="落实学校安全隐患排查", requirement="全面排查并整改到位，按期报送结果。",
            source_kind="instruction", lead_unit=people.lead, responsible=people.responsible,
            supervisor=people.officer, instructing_leader=people.leader, co_units=[people.co],
            deadline=timezone.localdate() + dt.timedelta(days=days),
        )
        fields.update(overrides)
        return workflow.create_item(acting_user=people.officer, assign=assign, **fields)
    return make
