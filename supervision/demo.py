"""Demo supervision items in every state, some overdue, one extended, one disputed.
Idempotent: nothing is added when the demo items exist."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from office.models import Unit, User
from office.workdays import WorkCalendar
from supervision import workflow
from supervision.models import Event, Item, SupervisionSettings

DEMO = [
    # title, lead unit, days to deadline (negative: overdue), state, source
    ("落实全县中小学校舍安全隐患排查整治", "JYJ", 12, "in_progress", "instruction"),
    ("推进城区老旧小区改造项目开工", "ZJJ", -9, "acknowledged", "meeting"),
    ("做好冬春季农田水利基本建设", "SLJ", -4, "in_progress", "instruction"),
    ("规范涉企行政执法检查", "SCJ", -1, "assigned", "document"),
    ("开展安全生产大检查“回头看”", "YJJ", 0, "acknowledged", "emergency"),
    ("落实城乡居民医保参保扩面任务", "WJJ", 2, "assigned", "document"),
    ("完成第四季度财政收支分析报告", "CZJ", 5, "result_reported", "instruction"),
    ("整治城关镇农贸市场周边交通秩序", "CGZ", 8, "in_progress", "meeting"),
    ("加快高标准农田建设项目验收", "NYJ", 20, "extension", "meeting"),
    ("研究解决新华镇饮水安全问题", "XHZ", 15, "disputed", "instruction"),
    ("报送全年招商引资项目清单", "SWJ", -20, "closed", "instruction"),
    ("清理拖欠中小企业账款", "FGJ", -30, "closed_late", "document"),
]


def load() -> None:
    from office.demo import happening_at, later, office_moment

    if Item.objects.filter(title=DEMO[0][0]).exists():
        return
    units = {u.code: u for u in Unit.objects.all()}
    if "DCS" not in units:
        return
    conf = SupervisionSettings.load()
    if conf.office_unit_id is None:
        conf.office_unit = units["DCS"]
        conf.save()
    users = {u.username: u for u in User.objects.all()}
    officer, leader = users["tangy"], users["wangjg"]
    vice = users["zhangwd"]
    cal = WorkCalendar.load()
    today = timezone.localdate()

    def at_day(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
        return min(timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute))),
                   timezone.now() - dt.timedelta(minutes=1))

    for n, (title, code, days, state, source) in enumerate(DEMO):
        unit = units[code]
        responsible = users[f"{code.lower()}_contact"]
        # opened (and assigned) some working days before its deadline, so an overdue item
        # became overdue on its own, and each step follows on a later working hour or day
        opened = office_moment(max(-days, 0) + 8 + n % 5, 9, 10 + 3 * n)
        with happening_at(opened, Event):
            item = workflow.create_item(
                acting_user=officer, title=title, source_kind=source, lead_unit=unit,
                requirement=f"请{unit}认真落实，明确专人负责，按期报送办理结果。",
                responsible=responsible, supervisor=officer,
                instructing_leader=leader if n % 2 == 0 else vice,
                deadline=today + dt.timedelta(days=days), assign=True)
        Item.objects.filter(pk=item.pk).update(created_at=opened)
        step = later(opened, 95)
        if state in ("acknowledged", "in_progress", "result_reported", "extension", "closed",
                     "closed_late"):
            with happening_at(step, Event):
                workflow.acknowledge(item=item, acting_user=responsible)
        if state in ("in_progress", "extension"):
            step = later(step, 660)
            with happening_at(step, Event):
                workflow.report_progress(item=item, acting_user=responsible,
                                         text="已召开专题会议部署，正在逐项推进，已完成约六成。")
        if state == "extension":
            step = later(step, 540)
            with happening_at(step, Event):
                ext = workflow.request_extension(item=item, acting_user=responsible,
                                                 new_deadline=item.deadline + dt.timedelta(days=14),
                                                 reason="项目验收需等待省级抽查结果。")
            if n % 2:
                with happening_at(later(step, 180), Event):
                    workflow.decide_extension(extension=ext, acting_user=item.instructing_leader,
                                              approve=True, note="同意延期，请抓紧。")
        if state == "disputed":
            with happening_at(later(step, 120), Event):
                workflow.dispute(item=item, acting_user=responsible,
                                 reason="该事项属县水利局职责，建议改由县水利局牵头。")
        if state in ("result_reported", "closed", "closed_late"):
            item.refresh_from_db()
            if state == "closed":  # delivered three working days before the deadline
                step = at_day(cal.add_working_days(item.deadline, -3), 15, 20)
            elif state == "closed_late":  # delivered three working days late, closed the next day
                step = at_day(cal.add_working_days(item.deadline, 3), 10, 40)
            else:
                step = later(step, 900)
            with happening_at(step, Event):
                workflow.report_result(item=item, acting_user=responsible,
                                       result="已全部完成，相关材料已报送督查室。")
        if state in ("closed", "closed_late"):
            with happening_at(later(step, 300), Event):
                workflow.accept(item=item, acting_user=officer, note="经核实，已按要求办结。")
