"""Personas for information tests: the information section (a reviewer and its chief), the
office director, three secretaries of the secretariat (one who never writes), a county leader;
outlets at the four levels, a category, the 2025 scoring rule and the default quota."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from office import roles
from office.information import workflow
from office.information.models import Category, InformationSettings, Item, Level, Outlet, Quota, ScoringRule
from office.models import Unit
from tests.factories import UnitFactory, UserFactory


class People:
    pass


@pytest.fixture
def ip(db):
    p = People()
    K = Unit.Kind
    p.xxk = UnitFactory(code="XXK", name="信息科", kind=K.SECTION)
    p.msk = UnitFactory(code="MSK", name="秘书科", kind=K.SECTION)
    p.zrs = UnitFactory(code="ZRS", name="办公室领导", kind=K.SECTION)
    p.ldbz = UnitFactory(code="LDBZ", name="县政府领导", kind=K.LEADERSHIP)
    conf = InformationSettings.load()
    conf.section = p.xxk
    conf.save()
    p.reviewer = UserFactory(username="reviewer", full_name="宋信息", roles=[roles.SECRETARY], unit=p.xxk)
    p.info_chief = UserFactory(username="infochief", full_name="杨科长", roles=[roles.SECTION_CHIEF, roles.SECRETARY],
                               unit=p.xxk)
    p.director = UserFactory(username="director", full_name="陈主任", roles=[roles.OFFICE_DIRECTOR], unit=p.zrs)
    p.a = UserFactory(username="sec_a", full_name="何思源", roles=[roles.SECRETARY], unit=p.msk)
    p.b = UserFactory(username="sec_b", full_name="马佳丽", roles=[roles.SECRETARY], unit=p.msk)
    p.zero = UserFactory(username="sec_zero", full_name="高鹏", roles=[roles.SECRETARY], unit=p.msk)
    p.msk_chief = UserFactory(username="mskchief", full_name="周科长", roles=[roles.SECTION_CHIEF], unit=p.msk)
    p.leader = UserFactory(username="leader", full_name="王县长", roles=[roles.COUNTY_LEADER], unit=p.ldbz)
    p.clerk = UserFactory(username="clerkx", full_name="郑文书", roles=[roles.CLERK], unit=p.msk)
    p.category = Category.objects.create(name="经济运行")
    p.county = Outlet.objects.create(name="某县政务信息", level=Level.COUNTY)
    p.city = Outlet.objects.create(name="某市《政务信息》", level=Level.CITY)
    p.city_special = Outlet.objects.create(name="某市《信息专报》", level=Level.CITY, kind=Outlet.Kind.SPECIAL)
    p.province = Outlet.objects.create(name="某省《政务要情》", level=Level.PROVINCE)
    p.national = Outlet.objects.create(name="国办《政务信息》", level=Level.NATIONAL)
    # county 1, city 3, province 6, national 10; summary 50 %, combined 30 %; comment +5;
    # reward 100 per item above the quota, penalty 50 per item below
    p.rule = ScoringRule.objects.create(name="2025年计分办法", effective_from=dt.date(2025, 1, 1))
    p.quota = Quota.objects.create(user=None, effective_from=dt.date(2025, 1, 1), minimum=2, level=Level.CITY)
    return p


@pytest.fixture
def write(ip):
    def make(author=None, title="县域工业经济稳中有进", **kwargs):
        return workflow.create_item(acting_user=author or ip.a, title=title, body="正文……", category=ip.category,
                                    source="县统计局月报", **kwargs)
    return make


@pytest.fixture
def adopt(ip, write):
    """An item by ``author`` written, approved, sent to ``outlet`` on ``day`` and adopted there."""
    def make(author, outlet, day: dt.date, form="full", comment="", title=None, level=None):
        item = write(author, title or f"信息{outlet.pk}-{day}", submit=True)
        workflow.approve(item=item, acting_user=ip.reviewer)
        workflow.send(item=item, acting_user=ip.reviewer, outlets=[outlet])
        Item.objects.filter(pk=item.pk).update(
            sent_at=timezone.make_aware(dt.datetime.combine(day, dt.time(9))))
        item.refresh_from_db()
        return workflow.record_adoption(item=item, acting_user=ip.reviewer, outlet=outlet, adopted_on=day,
                                        form=form, leader_comment=comment, level=level)
    return make


D = Decimal
