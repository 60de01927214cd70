"""Demo government information: the information section, categories, outlets at four levels, the
year's scoring rule and the default quota, and items in every state through the real workflow,
with adoptions this quarter and last (last quarter closed). Idempotent."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from office.information import workflow
from office.information.models import (
    Category,
    InformationSettings,
    Item,
    Level,
    Outlet,
    OutletPoints,
    Quota,
    ScoringRule,
    quarter_of,
    quarter_span,
)
from office.models import Unit, User

CATEGORIES = ["经济运行", "重点项目", "社会民生", "改革创新", "安全稳定", "经验做法"]
OUTLETS = [
    ("某县政务信息", Level.COUNTY, Outlet.Kind.BULLETIN),
    ("某市政府办公室《政务信息》", Level.CITY, Outlet.Kind.BULLETIN),
    ("某市政府办公室《信息专报》", Level.CITY, Outlet.Kind.SPECIAL),
    ("某省政府办公厅《政务要情》", Level.PROVINCE, Outlet.Kind.BULLETIN),
    ("国务院办公厅《政务信息》", Level.NATIONAL, Outlet.Kind.BULLETIN),
]
# author, title, category, state, adoptions [(outlet index, days ago, form, comment)]
ITEMS = [
    ("hesy", "我县“一网通办”事项办理时限平均压缩六成", "改革创新", "sent",
     [(1, 20, "full", "经验可复制，请市政务服务局推广。"), (3, 12, "summary", "")]),
    ("hesy", "城关镇老旧小区改造惠及居民三千余户", "社会民生", "sent", [(1, 35, "full", "")]),
    ("majl", "县域规上工业增加值前三季度增长百分之八点二", "经济运行", "sent", [(2, 15, "combined", "")]),
    ("gaop", "新华镇探索“村企联建”带动集体经济增收", "经验做法", "sent", [(0, 10, "full", "")]),
    ("linxr", "我县冬季安全生产大检查发现整改隐患一百二十项", "安全稳定", "submitted", []),
    ("songyq", "县重点项目集中开工十二个总投资四十六亿元", "重点项目", "approved", []),
    ("luoj", "白马乡特色种植产业带动农户增收", "经验做法", "returned", []),
]
LAST_QUARTER = [("majl", "我县夏粮收购进度过半", "经济运行", 1), ("gaop", "县人社局开展就业援助月活动", "社会民生", 0),
                ("hesy", "我县防汛应急演练检验指挥体系", "安全稳定", 1)]


def _setup() -> tuple[dict[str, Category], list[Outlet]]:
    conf = InformationSettings.load()
    section = Unit.objects.filter(code="XXK").first()
    if section is not None and conf.section_id != section.pk:
        conf.section = section
        conf.save(update_fields=["section"])
    cats = {}
    for order, name in enumerate(CATEGORIES):
        cats[name], _c = Category.objects.get_or_create(name=name, defaults={"order": order})
    outlets = []
    for order, (name, level, kind) in enumerate(OUTLETS):
        outlet, _c = Outlet.objects.get_or_create(name=name, defaults={"level": level, "kind": kind, "order": order})
        outlets.append(outlet)
    year = timezone.localdate().year
    rule, created = ScoringRule.objects.get_or_create(
        effective_from=dt.date(year, 1, 1), defaults={"name": f"{year}年度政务信息计分办法"})
    if created:
        OutletPoints.objects.create(rule=rule, outlet=outlets[2], points=Decimal("4"))
    Quota.objects.get_or_create(user=None, effective_from=dt.date(year, 1, 1),
                                defaults={"minimum": 2, "level": Level.CITY})
    return cats, outlets


def _adopted(item: Item, reviewer: User, outlets: list[Outlet], adoptions, sent_on: dt.date) -> None:
    wanted = [outlets[i] for i, *_rest in adoptions] or [outlets[1]]
    workflow.send(item=item, acting_user=reviewer, outlets=wanted)
    Item.objects.filter(pk=item.pk).update(sent_at=timezone.make_aware(dt.datetime.combine(sent_on, dt.time(10))))
    item.refresh_from_db()
    for index, day, form, comment in adoptions:
        workflow.record_adoption(item=item, acting_user=reviewer, outlet=outlets[index], adopted_on=day, form=form,
                                 leader_comment=comment, comment_by="市政府分管副市长" if comment else "")


def load() -> None:
    if not User.objects.filter(username="yangf").exists():
        return
    cats, outlets = _setup()
    if Item.objects.exists():
        return
    people = {u.username: u for u in User.objects.filter(username__in=["yangf", "hesy", "majl", "gaop", "linxr",
                                                                       "songyq", "luoj", "chenzq"])}
    reviewer, director = people["yangf"], people["chenzq"]
    today = timezone.localdate()
    year, quarter = quarter_of(today)
    start, _end = quarter_span(year, quarter)
    previous = (year, quarter - 1) if quarter > 1 else (year - 1, 4)
    p_start, p_end = quarter_span(*previous)
    for username, title, cat, level in LAST_QUARTER:
        item = workflow.create_item(acting_user=people[username], title=title, category=cats[cat], submit=True,
                                    source="县直有关部门报送材料", body=f"{title}。（演示信息正文）")
        workflow.approve(item=item, acting_user=reviewer)
        _adopted(item, reviewer, outlets, [(level, p_start + dt.timedelta(days=20), "full", "")], p_start)
    workflow.close_quarter(acting_user=director, year=previous[0], quarter=previous[1])
    for username, title, cat, state, adoptions in ITEMS:
        item = workflow.create_item(acting_user=people[username], title=title, category=cats[cat],
                                    source="县直有关部门报送材料、实地走访", submit=state != "draft",
                                    body=f"{title}。\n近日，……（演示信息正文）")
        if state == "returned":
            workflow.return_item(item=item, acting_user=reviewer, reason="数据口径请与县统计局核实后再报。")
        if state in ("approved", "sent"):
            workflow.approve(item=item, acting_user=reviewer)
        if state == "sent":
            days = [(i, max(start, today - dt.timedelta(days=ago)), form, c) for i, ago, form, c in adoptions]
            _adopted(item, reviewer, outlets, days, min(d for _i, d, _f, _c in days))
