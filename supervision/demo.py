"""Demo supervision items in every state, some overdue, one extended, one disputed.
Idempotent: nothing is added when the demo items exist."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from office.models import Unit, User
from office.workdays import WorkCalendar
from supervision import timeliness, workflow
from supervision.models import Item, SupervisionSettings

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
    today = timezone.localdate()
    for n, (title, code, days, state, source) in enumerate(DEMO):
        unit = units[code]
        responsible = users[f"{code.lower()}_contact"]
        item = workflow.create_item(
            acting_user=officer, title=title, source_kind=source, lead_unit=unit,
            requirement=f"请{unit}认真落实，明确专人负责，按期报送办理结果。",
            responsible=responsible, supervisor=officer,
            instructing_leader=leader if n % 2 == 0 else vice,
            deadline=today + dt.timedelta(days=max(days, 1)), assign=True)
        if days < 1:  # demo only: pretend the item was assigned long enough ago to be overdue
            past = today + dt.timedelta(days=days)
            assigned = timezone.now() - dt.timedelta(days=abs(days) + 10)
            Item.objects.filter(pk=item.pk).update(
                original_deadline=past, deadline=past, deliver_by=past, assigned_at=assigned,
                turn_since=assigned)
            item.refresh_from_db()
        if state in ("acknowledged", "in_progress", "result_reported", "extension", "closed",
                     "closed_late"):
            workflow.acknowledge(item=item, acting_user=responsible)
        if state in ("in_progress", "extension"):
            workflow.report_progress(item=item, acting_user=responsible,
                                     text="已召开专题会议部署，正在逐项推进，已完成约六成。")
        if state == "extension":
            ext = workflow.request_extension(item=item, acting_user=responsible,
                                             new_deadline=item.deadline + dt.timedelta(days=14),
                                             reason="项目验收需等待省级抽查结果。")
            if n % 2:
                workflow.decide_extension(extension=ext, acting_user=item.instructing_leader,
                                          approve=True, note="同意延期，请抓紧。")
        if state == "disputed":
            workflow.dispute(item=item, acting_user=responsible,
                             reason="该事项属县水利局职责，建议改由县水利局牵头。")
        if state in ("result_reported", "closed", "closed_late"):
            workflow.report_result(item=item, acting_user=responsible,
                                   result="已全部完成，相关材料已报送督查室。")
        if state in ("closed", "closed_late"):
            workflow.accept(item=item, acting_user=officer)
        if state == "closed":  # delivered and closed a few days before its deadline
            closed = timezone.now() + dt.timedelta(days=days - 3)
            Item.objects.filter(pk=item.pk).update(result_reported_at=closed, closed_at=closed, turn_since=closed)
            item.refresh_from_db()
            Item.objects.filter(pk=item.pk).update(closing=timeliness.closing_class(item, WorkCalendar.load()))
