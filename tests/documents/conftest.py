"""Personas for document tests."""

import datetime as dt
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone

from documents import workflow
from documents.models import DocumentSettings, DocumentType
from office import roles
from office.models import Unit
from tests.factories import UnitFactory, UserFactory

SH = ZoneInfo("Asia/Shanghai")


class People:
    pass


@pytest.fixture
def dp(db):
    """The document office (文电科) and everyone a document meets."""
    p = People()
    p.wdk = UnitFactory(code="WDK", name="文电科", kind=Unit.Kind.SECTION)
    p.msk = UnitFactory(code="MSK", name="秘书科", kind=Unit.Kind.SECTION)
    p.leaders = UnitFactory(code="LDBZ", name="县政府领导", kind=Unit.Kind.LEADERSHIP)
    p.jyj = UnitFactory(code="JYJ", name="某县教育局", short_name="县教育局", kind=Unit.Kind.DEPARTMENT)
    p.czj = UnitFactory(code="CZJ", name="某县财政局", short_name="县财政局", kind=Unit.Kind.DEPARTMENT)
    p.szfb = UnitFactory(code="SZFB", name="某市人民政府办公室", short_name="市政府办", kind=Unit.Kind.SUPERIOR)
    conf = DocumentSettings.load()
    conf.office_unit = p.wdk
    conf.save()
    p.clerk = UserFactory(username="clerk", full_name="郑文书", roles=[roles.CLERK], unit=p.wdk)
    p.chief = UserFactory(username="chief", full_name="吴科长", roles=[roles.SECTION_CHIEF, roles.CLERK], unit=p.wdk)
    Unit.objects.filter(pk=p.wdk.pk).update(head=p.chief)
    p.director = UserFactory(username="director", full_name="陈主任", roles=[roles.OFFICE_DIRECTOR],
                             unit=UnitFactory(code="ZRS", name="主任室", kind=Unit.Kind.SECTION))
    p.leader = UserFactory(username="leader", full_name="王县长", roles=[roles.COUNTY_LEADER], unit=p.leaders)
    p.vice = UserFactory(username="vice", full_name="张副县长", roles=[roles.COUNTY_LEADER], unit=p.leaders)
    p.handler = UserFactory(username="handler", full_name="财政承办", roles=[roles.UNIT_CONTACT], unit=p.czj)
    p.co_contact = UserFactory(username="cocontact", full_name="教育联络员", roles=[roles.UNIT_CONTACT], unit=p.jyj)
    p.reader = UserFactory(username="reader", full_name="何秘书", roles=[roles.SECRETARY], unit=p.msk)
    p.reader2 = UserFactory(username="reader2", full_name="马秘书", roles=[roles.SECRETARY], unit=p.msk)
    p.outsider = UserFactory(username="outsider", full_name="无关秘书", roles=[roles.SECRETARY], unit=p.msk)
    p.secret_clerk = UserFactory(username="jiyao", full_name="曹机要", roles=[roles.CLERK], unit=p.wdk)
    p.secret_clerk.user_permissions.add(Permission.objects.get(codename="view_classified"))
    return p


@pytest.fixture
def register_doc(dp):
    def make(**overrides):
        acting_user = overrides.pop("acting_user", dp.clerk)
        fields = dict(
            sender=dp.szfb, sender_number="某政办发〔2026〕58号",
            title="关于做好冬季安全生产工作的通知", doc_type=DocumentType.objects.get(name="通知"),
            handling="action", received_at=dt.datetime(2026, 11, 27, 9, 0, tzinfo=SH),
            signed_by=dp.clerk,
        )
        fields.update(overrides)
        received = fields["received_at"]
        if received and 2000 <= received.year and timezone.now() - received > dt.timedelta(days=300):
            # the fixed 2026 dates of these tests stay registrable once they are more than a year
            # old (office.dates allows a year back): the clerk registers them as they arrive
            with mock.patch("django.utils.timezone.now", return_value=received + dt.timedelta(minutes=5)):
                return workflow.register(acting_user=acting_user, **fields)
        return workflow.register(acting_user=acting_user, **fields)
    return make


from tests.documents.outgoing_fixtures import draft, og  # noqa: E402,F401  (outgoing documents)
