"""Demo incoming documents for today and the last working days: pending (one urgent),
circulating, in handling, returned. Each arrives on a working day in office hours, is registered
in the order received, and its steps happen over the following hours and days (office.demo
``office_moment`` / ``happening_at``). Idempotent."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import Permission
from django.utils import timezone

from documents import workflow
from documents.models import DocumentEvent, DocumentSettings, DocumentType, IncomingDocument
from office.models import Unit, User

DEMO = [
    # sender, sender number, title, type, handling, urgency, received (working days ago, hour,
    # minute), state. Registered in the order received: the register numbers follow it.
    ("ZJJ", "某建发〔2026〕5号", "关于老旧小区改造进展情况的报告", "报告", "read", "", (3, 9, 40), "returned"),
    ("JYJ", "某教发〔2026〕9号", "关于申请追加义务教育薄弱环节改善资金的请示", "请示", "action", "",
     (2, 14, 5), "handling"),
    ("SZFBGT", "某政办函〔2026〕103号", "关于开展政务服务满意度评价的函", "函", "read", "", (1, 10, 20), "circulating"),
    ("SLJ", "某水发〔2026〕12号", "关于冬春农田水利建设的请示", "请示", "action", "jiaji", (1, 15, 35), "instructing"),
    ("SZF", "某政发〔2026〕21号", "关于印发某市优化营商环境若干措施的通知", "通知", "read", "", (0, 8, 50), "pending"),
    ("SZFB", "某政办发〔2026〕58号", "关于做好2026年冬季安全生产工作的通知", "通知", "action", "teji",
     (0, 9, 10), "pending"),
]
CLASSIFIED_AT = (0, 8, 40)


def load() -> None:
    from office.demo import happening_at, later, office_moment

    units = {u.code: u for u in Unit.objects.all()}
    if "WDK" not in units or IncomingDocument.objects.filter(title=DEMO[0][2]).exists():
        return
    conf = DocumentSettings.load()
    if conf.office_unit_id is None:
        conf.office_unit = units["WDK"]
        conf.save()
    users = {u.username: u for u in User.objects.all()}
    confidential = users.get("caoyy")
    if confidential is not None:  # the 机要员 may register classified documents
        confidential.user_permissions.add(Permission.objects.get(codename="view_classified"))
    clerk, director, leader = users["zhengxl"], users["chenzq"], users["wangjg"]
    arrivals = sorted(((office_moment(*d[6]), d) for d in DEMO), key=lambda a: a[0])
    if confidential is not None:
        arrivals = sorted([*arrivals, (office_moment(*CLASSIFIED_AT), None)], key=lambda a: a[0])
    for received_at, row in arrivals:
        registered = later(received_at, 6)
        if row is None:
            with happening_at(registered, DocumentEvent):
                workflow.register(
                    acting_user=confidential, sender=units["SZFB"], sender_number="某政办发〔2026〕60号",
                    title="（涉密文件，仅登记元数据）", doc_type=DocumentType.objects.get(name="通知"),
                    handling="read", received_at=received_at, signed_by=confidential,
                    secrecy="secret", secrecy_years=10)
            continue
        code, number, title, type_name, handling, urgency, _when, state = row
        with happening_at(registered, DocumentEvent):
            doc = workflow.register(
                acting_user=clerk, sender=units[code], sender_number=number, title=title,
                doc_type=DocumentType.objects.get(name=type_name), handling=handling, urgency=urgency,
                received_at=received_at, signed_by=clerk, copies=2, pages=4)
        step = later(registered, 25)
        if state == "circulating":
            with happening_at(step, DocumentEvent):
                workflow.circulate(document=doc, acting_user=clerk, sequential=True,
                                   readers=[users["zhaolh"], users["zhouw"], users["hesy"]])
        elif state == "returned":
            with happening_at(step, DocumentEvent):
                workflow.return_to_sender(document=doc, acting_user=clerk, reason="not_for_leaders",
                                          note="属部门职权范围内事项，请直接报送市主管部门。")
        elif state in ("handling", "instructing"):
            with happening_at(step, DocumentEvent):
                workflow.submit_for_proposal(document=doc, acting_user=clerk)
            step = later(step, 70)
            with happening_at(step, DocumentEvent):
                workflow.propose(document=doc, acting_user=director, leaders=[leader],
                                 proposal="拟请王县长阅示，由相关部门研究办理。")
            if state == "handling":
                step = later(step, 240)
                with happening_at(step, DocumentEvent):
                    workflow.instruct(document=doc, acting_user=leader,
                                      text="请县财政局会同县教育局研究，提出意见报县政府。")
                step = later(step, 90)
                with happening_at(step, DocumentEvent):
                    workflow.assign_handling(document=doc, acting_user=clerk, lead_unit=units["CZJ"],
                                             handler=users["czj_contact"], co_units=[units["JYJ"]],
                                             deadline=timezone.localdate() + dt.timedelta(days=10))
