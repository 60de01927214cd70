"""Demo outgoing documents: the county government and its office as issuing authorities (with
codes, signers and seals), a draft, one under review, one waiting for sign-off, and two issued
(numbered, sealed, printed, dispatched, partly signed for). Idempotent."""

from __future__ import annotations

from django.contrib.auth.models import Permission
from django.core.files.base import ContentFile

from documents.models import DocumentType
from documents.outgoing import workflow
from documents.outgoing.models import AuthorityLevel, DocumentCode, IssuingAuthority, OutgoingDocument
from office.models import Unit, User
from office.workflow import WorkflowError


def seal_svg(name: str) -> bytes:
    """A red round seal with a star and the organ's name along the upper arc (demo only)."""
    chars = list(name)
    n = len(chars)
    parts = []
    for i, ch in enumerate(chars):
        angle = -150 + (120 * i / max(n - 1, 1)) if n > 1 else -90
        parts.append(f'<text x="50" y="16" font-size="9" text-anchor="middle" fill="#d40000" '
                     f'transform="rotate({angle + 90} 50 50)">{ch}</text>')
    star = ("M50,36 L53.5,46 L64,46 L55.5,52.5 L58.8,63 L50,56.5 L41.2,63 L44.5,52.5 L36,46 L46.5,46 Z")
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="42mm" height="42mm" viewBox="0 0 100 100">'
            f'<circle cx="50" cy="50" r="46" fill="none" stroke="#d40000" stroke-width="3"/>'
            f'<path d="{star}" fill="#d40000"/>{"".join(parts)}</svg>').encode()


AUTHORITIES = [
    # name, short, masthead, level, unit, principal, signers, codes
    ("某县人民政府", "县政府", "某县人民政府文件", AuthorityLevel.GOVERNMENT, "LDBZ", "wangjg",
     ["wangjg", "lihm", "zhangwd", "liuxy"], [("某政发", "通知、决定等"), ("某政函", "函")]),
    ("某县人民政府办公室", "县政府办", "某县人民政府办公室文件", AuthorityLevel.OFFICE, "ZRS", "chenzq",
     ["chenzq"], [("某政办发", "通知、意见等"), ("某政办函", "函")]),
]

BODY = ("为切实做好今冬明春森林防火工作，确保人民群众生命财产安全，现就有关事项通知如下。\n"
        "一、提高思想认识\n各乡（镇）、各部门要充分认识森林防火工作的重要性，切实增强责任感和紧迫感。\n"
        "（一）压实防火责任\n严格落实行政首长负责制，层层签订责任书。\n"
        "二、加强巡查管控\n（一）突出重点时段\n1.加强重点时段巡查\n（1）清明、春节等重点时段实行24小时值班。\n"
        "三、及时报送信息\n请各乡（镇）、各部门于12月10日前将工作开展情况报县政府办公室。")


def load() -> None:
    units = {u.code: u for u in Unit.objects.all()}
    users = {u.username: u for u in User.objects.all()}
    if "LDBZ" not in units or "wangjg" not in users or IssuingAuthority.objects.exists():
        return
    authorities = {}
    for name, short, masthead, level, unit, principal, signers, codes in AUTHORITIES:
        a = IssuingAuthority.objects.create(name=name, short_name=short, masthead=masthead, level=level,
                                            unit=units[unit], principal=users[principal])
        a.signers.set([users[u] for u in signers])
        a.direct_superiors.set([units[c] for c in ("SZF", "SZFB") if c in units])
        a.seal.save(f"seal-{len(authorities) + 1}.svg", ContentFile(seal_svg(name)), save=True)
        for code, note in codes:
            DocumentCode.objects.create(authority=a, code=code, note=note)
        authorities[name] = a
    clerk = users["zhengxl"]
    clerk.user_permissions.add(Permission.objects.get(codename="apply_seal"))
    secretary, chief, director = users["hesy"], users["wuj"], users["chenzq"]
    chief = next((u for u in User.objects.filter(groups__name="section_chief", unit=secretary.unit)), chief)
    office = authorities["某县人民政府办公室"]
    tongzhi = DocumentType.objects.get(name="通知")
    towns = [u for u in units.values() if u.kind == Unit.Kind.TOWNSHIP][:3]
    depts = [units[c] for c in ("CZJ", "JYJ", "SLJ") if c in units]

    def new(title, **kw):
        return workflow.create_draft(acting_user=secretary, doc_type=tongzhi, authority=office,
                                     code=office.codes.get(code="某政办发"), title=title, body=BODY,
                                     main_recipients=[*towns, *depts], **kw)

    new("某县人民政府办公室关于开展冬季消防安全检查的通知")
    reviewing = new("某县人民政府办公室关于做好元旦春节期间市场保供工作的通知")
    workflow.submit(document=reviewing, acting_user=secretary)
    for title, stage in [("某县人民政府办公室关于做好今冬明春森林防火工作的通知", "dispatched"),
                         ("某县人民政府办公室关于印发某县冬季安全生产大检查方案的通知", "dispatched"),
                         ("某县人民政府办公室关于加强农村饮水安全管理的通知", "signing")]:
        doc = new(title)
        workflow.submit(document=doc, acting_user=secretary)
        workflow.review(document=doc, acting_user=chief)
        workflow.review(document=doc, acting_user=director, necessity="涉及全县各乡镇、各部门，须统一部署。")
        if stage == "signing":
            continue
        workflow.sign_off(document=doc, acting_user=director, opinion="同意")
        for step in (workflow.recheck, workflow.assign_number, workflow.apply_seal, workflow.print_document,
                     workflow.dispatch):
            try:
                step(document=OutgoingDocument.objects.get(pk=doc.pk), acting_user=clerk)
            except WorkflowError as exc:
                if exc.code != "no_certificate":
                    raise
                break  # no signing certificate here (`make run` makes one): it waits for printing
    first = OutgoingDocument.objects.filter(status="dispatched").order_by("serial").first()
    contact = users.get("czj_contact")
    if first is not None and contact is not None:
        row = first.distributions.filter(unit=contact.unit).first()
        if row is not None:
            workflow.sign_for(distribution=row, acting_user=contact)
