"""The year-end assessment against a hand-counted fixture: one person's 2025 in documents,
drafts, supervision, information, study and rules, each figure counted below by hand; a person
with nothing; the weights and bands from admin data; who may see whose; the PDF and the Excel."""

import datetime as dt
import io
from decimal import Decimal as D
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from documents.models import DocumentType, IncomingDocument
from documents.outgoing.models import AuthorityLevel, DocumentCode, IssuingAuthority, OutgoingDocument, ReviewFinding
from office import roles
from office.assessment import figures
from office.assessment.models import GradeBand, Scheme
from office.information.models import Adoption, Category, Level, Outlet, Quota
from office.information.models import Item as InfoItem
from office.models import Rule, RuleAcknowledgement, RuleVersion, Unit
from office.study.models import Attendance, Note, Session
from supervision.models import Item
from tests.factories import UnitFactory, UserFactory

SH = ZoneInfo("Asia/Shanghai")


def at(y, m, d, h=10):
    return dt.datetime(y, m, d, h, tzinfo=SH)


class P:
    pass


@pytest.fixture
def world(db):
    p = P()
    p.msk = UnitFactory(code="MSK", name="秘书科", kind=Unit.Kind.SECTION)
    p.wdk = UnitFactory(code="WDK", name="文电科", kind=Unit.Kind.SECTION)
    p.jyj = UnitFactory(code="JYJ", name="县教育局", kind=Unit.Kind.DEPARTMENT)
    p.x = UserFactory(username="x", full_name="何思源", roles=[roles.SECRETARY, roles.CLERK], unit=p.msk)
    p.y = UserFactory(username="y", full_name="冯磊", roles=[roles.CLERK], unit=p.wdk)
    p.chief = UserFactory(username="chief", full_name="周文", roles=[roles.SECTION_CHIEF], unit=p.msk)
    p.director = UserFactory(username="d", full_name="陈志强", roles=[roles.OFFICE_DIRECTOR], unit=p.msk)
    p.other = UserFactory(username="o", full_name="别人", roles=[roles.CLERK], unit=p.wdk)
    p.contact = UserFactory(username="c", full_name="联络员", roles=[roles.UNIT_CONTACT], unit=p.jyj)
    x = p.x
    tongzhi = DocumentType.objects.get(name="通知")

    # documents: x registered 4 in 2025 (3 cleared by their due time, 1 after) and 1 in 2024;
    # x is the handler of 2 registered by someone else → 3/4 = 75.00, handled 2
    docs = [
        (at(2025, 3, 3), at(2025, 3, 3, 15), True),
        (at(2025, 5, 6), at(2025, 5, 6, 11), True),
        (at(2025, 8, 8), at(2025, 8, 8, 16), True),
        (at(2025, 9, 9), at(2025, 9, 10, 9), False),
        (at(2024, 12, 2), at(2024, 12, 2, 11), True),
    ]
    for k, (received, cleared, _on_time) in enumerate(docs):
        IncomingDocument.objects.create(
            year=received.year,
            serial=k + 1,
            number=f"收〔{received.year}〕{k + 1}号",
            sender=p.jyj,
            title=f"来文{k}",
            doc_type=tongzhi,
            handling="action",
            received_at=received,
            registered_by=x,
            signed_by=x,
            due_at=at(received.year, received.month, received.day, 17),
            cleared_at=cleared,
            status="proposed",
        )
    for k in range(2):
        IncomingDocument.objects.create(
            year=2025,
            serial=10 + k,
            number=f"收〔2025〕{10 + k}号",
            sender=p.jyj,
            title=f"承办{k}",
            doc_type=tongzhi,
            handling="action",
            received_at=at(2025, 4, 1 + k),
            registered_by=p.other,
            signed_by=p.other,
            handler=x,
            due_at=at(2025, 4, 1 + k, 17),
            status="assigned",
        )

    # drafting: 4 drafts in 2025, findings 2 on the first and 1 on the second; a 2024 draft with
    # a finding → 2 of 4 clean = 50.00, 3 findings
    authority = IssuingAuthority.objects.create(
        name="某县人民政府办公室", masthead="某县人民政府办公室文件", level=AuthorityLevel.OFFICE, unit=p.msk
    )
    code = DocumentCode.objects.create(authority=authority, code="某政办发")
    drafts = [
        OutgoingDocument.objects.create(
            doc_type=tongzhi,
            authority=authority,
            code=code,
            title=f"稿{k}",
            drafting_unit=p.msk,
            drafter=x,
            created_at=at(2025, 2 + k, 1),
        )
        for k in range(4)
    ]
    old = OutgoingDocument.objects.create(
        doc_type=tongzhi,
        authority=authority,
        code=code,
        title="旧稿",
        drafting_unit=p.msk,
        drafter=x,
        created_at=at(2024, 6, 1),
    )
    for doc, n in ((drafts[0], 2), (drafts[1], 1), (old, 1)):
        for _k in range(n):
            ReviewFinding.objects.create(
                document=doc,
                reviewer=p.chief,
                drafter=x,
                stage="reviewing",
                category="typo",
                text="错字",
                version=1,
                created_at=doc.created_at,
            )

    # supervision: 5 closed in 2025 (3 on time, 1 within extension, 1 late), 1 open and overdue
    # at the year's end → 3/5 = 60.00
    for k, closing in enumerate(["on_time", "on_time", "on_time", "extended", "late"]):
        Item.objects.create(
            number=f"督〔2025〕{k + 1}号",
            title=f"事项{k}",
            requirement="办",
            source_kind="document",
            lead_unit=p.jyj,
            responsible=x,
            supervisor=p.director,
            created_by=p.director,
            result="已办结",
            original_deadline=dt.date(2025, 6, 1),
            deadline=dt.date(2025, 6, 1),
            deliver_by=dt.date(2025, 6, 1),
            status="closed",
            closing=closing,
            assigned_at=at(2025, 5, 1),
            closed_at=at(2025, 6, 3),
        )
    Item.objects.create(
        number="督〔2025〕9号",
        title="逾期事项",
        requirement="办",
        source_kind="document",
        lead_unit=p.jyj,
        responsible=x,
        supervisor=p.director,
        created_by=p.director,
        original_deadline=dt.date(2025, 6, 1),
        deadline=dt.date(2025, 6, 1),
        deliver_by=dt.date(2025, 6, 1),
        status="in_progress",
        assigned_at=at(2025, 5, 1),
    )

    # information: quota 1 at city level; Q1 one city adoption (met), Q2 a county one (not met),
    # Q3 two province (met), Q4 nothing (not met) → 2/4 = 50.00
    Quota.objects.create(user=None, effective_from=dt.date(2025, 1, 1), minimum=1, level=Level.CITY)
    cat = Category.objects.create(name="经济运行")
    city = Outlet.objects.create(name="市刊", level=Level.CITY)
    county = Outlet.objects.create(name="县刊", level=Level.COUNTY)
    province = Outlet.objects.create(name="省刊", level=Level.PROVINCE)
    for k, (outlet, day) in enumerate(
        [
            (city, dt.date(2025, 2, 1)),
            (county, dt.date(2025, 5, 1)),
            (province, dt.date(2025, 8, 1)),
            (province, dt.date(2025, 8, 2)),
        ]
    ):
        item = InfoItem.objects.create(title=f"信息{k}", body="……", category=cat, source="s", author=x, status="sent")
        Adoption.objects.create(item=item, outlet=outlet, adopted_on=day, level=outlet.level, recorded_by=p.chief)

    # study: 4 sessions expected in 2025, present at 2, on leave at 1 → 2/3 = 66.67; notes in 3
    # months (4 notes) of 12 → 25.00; study = (66.67 + 25.00) / 2 = 45.835 → 45.84
    for k, (present, leave) in enumerate([(True, ""), (True, ""), (False, "出差"), (False, "")]):
        s = Session.objects.create(date=dt.date(2025, 3 + k, 7), topic=f"学习{k}", organiser=p.chief)
        Attendance.objects.create(
            session=s, user=x, signed_in_at=at(2025, 3 + k, 7, 15) if present else None, leave_reason=leave
        )
    for day in (dt.date(2025, 3, 7), dt.date(2025, 3, 20), dt.date(2025, 6, 1), dt.date(2025, 11, 11)):
        Note.objects.create(author=x, title="笔记", body="……", written_on=day)

    # rules: two rules in force binding everyone, x acknowledged one → 50.00; y none → 0.00
    for k in range(2):
        rule = Rule.objects.create(code=f"R{k}", area="discipline", kind="work_rule", title=f"制度{k}")
        version = RuleVersion.objects.create(
            rule=rule, number=1, title=f"制度{k}", body="……", in_force_from=dt.date(2025, 1, 1)
        )
        if k == 0:
            RuleAcknowledgement.objects.create(version=version, user=x)

    scheme = Scheme.objects.create(year=2025)  # weights 25 20 20 15 10 10
    GradeBand.objects.bulk_create(
        [
            GradeBand(scheme=scheme, name=n, min_score=m)
            for n, m in (("优秀", D("90")), ("称职", D("70")), ("基本称职", D("55")), ("不称职", D("0")))
        ]
    )
    return p


def test_the_assessment_matches_the_hand_count(world):
    a = figures.assess(world.x, 2025, today=dt.date(2026, 3, 1))
    scores = {p.key: p.score for p in a.parts}
    assert scores == {
        "documents": D("75.00"),
        "drafting": D("50.00"),
        "supervision": D("60.00"),
        "information": D("50.00"),
        "study": D("45.84"),
        "rules": D("50.00"),
    }
    assert [p.detail for p in a.parts] == [
        "登记4件，当日办结3件；作为承办人办理2件",
        "起草4件，无核稿意见2件；核稿意见3条",
        "办结5件：按期3件，延期内1件，逾期1件；逾期未办结1件",
        "4个季度中完成定额2个；被采用4条",
        "应参加集中学习4次，参加2次（请假1次）；12个月中有学习笔记的3个月",
        "应知晓的制度2项，已确认1项",
    ]
    # (75×25 + 50×20 + 60×20 + 50×15 + 45.84×10 + 50×10) / 100 = 57.834
    assert (a.total, a.grade) == (D("57.83"), "基本称职")


def test_a_person_with_nothing_is_judged_on_what_there_is(world):
    a = figures.assess(world.y, 2025, today=dt.date(2026, 3, 1))
    scores = {p.key: p.score for p in a.parts}
    # no documents, drafts, items, quota or sessions; notes in 0 of 12 months; 0 of 2 rules
    assert scores == {
        "documents": None,
        "drafting": None,
        "supervision": None,
        "information": None,
        "study": D("0.00"),
        "rules": D("0.00"),
    }
    assert (a.total, a.grade) == (D("0.00"), "不称职")


def test_weights_are_admin_data(world):
    Scheme.objects.filter(year=2025).update(
        documents_weight=100,
        drafting_weight=0,
        supervision_weight=0,
        information_weight=0,
        study_weight=0,
        rules_weight=0,
    )
    a = figures.assess(world.x, 2025, today=dt.date(2026, 3, 1))
    assert (a.total, a.grade) == (D("75.00"), "称职")


def test_who_sees_whose_assessment(client, world):
    url = reverse("assessment:person", args=[world.x.pk])
    client.force_login(world.y)  # a colleague of another section
    assert client.get(url, {"year": 2025}).status_code == 404
    assert client.get(reverse("assessment:office")).status_code == 403
    client.force_login(world.chief)  # x's section chief
    assert client.get(url, {"year": 2025}).status_code == 200
    office = client.get(reverse("assessment:office"), {"year": 2025}).content.decode()
    assert office.count('data-testid="assessment-row"') == 3  # 秘书科: x, the chief and the director
    client.force_login(world.x)
    page = client.get(reverse("assessment:mine"), {"year": 2025})
    assert page.status_code == 200 and 'data-testid="total">57.83' in page.content.decode()
    client.force_login(world.contact)
    assert client.get(reverse("assessment:mine")).status_code == 403


def test_the_pdf_and_the_excel(client, world):
    from openpyxl import load_workbook
    from pypdf import PdfReader

    client.force_login(world.director)
    pdf = client.get(reverse("assessment:person", args=[world.x.pk]), {"year": 2025, "format": "pdf"})
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages).replace(" ", "")
    assert "2025年度工作人员年终考核表" in text and "何思源" in text
    xlsx = client.get(reverse("assessment:office"), {"year": 2025, "format": "xlsx"})
    ws = load_workbook(io.BytesIO(xlsx.content)).active
    rows = {r[0].value: [c.value for c in r] for r in ws.iter_rows(min_row=3)}
    assert set(rows) == {"何思源", "冯磊", "周文", "陈志强", "别人"}


def test_the_office_table_costs_a_fixed_number_of_queries_per_person(world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for people in ([world.x], [world.x, world.y], [world.x, world.y, world.chief]):
        with CaptureQueriesContext(connection) as ctx:
            figures.office_assessments(people, 2025, today=dt.date(2026, 3, 1))
        counts.append(len(ctx.captured_queries))
    assert counts[1] - counts[0] == counts[2] - counts[1] == PER_PERSON
    assert counts[0] == ONCE + PER_PERSON


# per person: documents 1, drafts 1, supervision 1, study 2, rules 4; once: the scheme and its
# bands 2, the four information quarters 4 × 6 = 24
PER_PERSON = 9
ONCE = 26
