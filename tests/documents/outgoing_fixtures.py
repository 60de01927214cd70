"""Fixtures for outgoing documents: the county government and its office as issuing authorities,
their codes, signers, a seal each, the people a draft meets."""

import pytest
from django.contrib.auth.models import Permission
from django.core.files.base import ContentFile

from documents.models import DocumentSettings, DocumentType
from documents.outgoing import workflow
from documents.outgoing.models import AuthorityLevel, DocumentCode, IssuingAuthority
from office import roles
from office.models import Unit
from tests.factories import UnitFactory, UserFactory

SEAL_SVG = (b'<svg xmlns="http://www.w3.org/2000/svg" width="42mm" height="42mm" viewBox="0 0 100 100">'
            b'<circle cx="50" cy="50" r="47" fill="none" stroke="#d00" stroke-width="3"/></svg>')


class Office:
    pass


@pytest.fixture
def og(db, settings, tmp_path, office_signing):
    settings.MEDIA_ROOT = tmp_path  # seals, issued PDFs (signed with the session's demo certificate)
    o = Office()
    o.wdk = UnitFactory(code="WDK", name="文电科", kind=Unit.Kind.SECTION)
    o.msk = UnitFactory(code="MSK", name="秘书科", kind=Unit.Kind.SECTION)
    o.zrs = UnitFactory(code="ZRS", name="主任室", kind=Unit.Kind.SECTION)
    o.ldbz = UnitFactory(code="LDBZ", name="某县人民政府领导班子", short_name="县政府领导", kind=Unit.Kind.LEADERSHIP)
    o.jyj = UnitFactory(code="JYJ", name="某县教育局", short_name="县教育局", kind=Unit.Kind.DEPARTMENT)
    o.czj = UnitFactory(code="CZJ", name="某县财政局", short_name="县财政局", kind=Unit.Kind.DEPARTMENT)
    o.town = UnitFactory(code="CGZ", name="城关镇人民政府", short_name="城关镇", kind=Unit.Kind.TOWNSHIP)
    o.city = UnitFactory(code="SZF", name="某市人民政府", short_name="市政府", kind=Unit.Kind.SUPERIOR)
    o.province = UnitFactory(code="SZFBGT", name="某省人民政府办公厅", short_name="省政府办公厅",
                             kind=Unit.Kind.SUPERIOR)
    conf = DocumentSettings.load()
    conf.office_unit = o.wdk
    conf.save()
    o.clerk = UserFactory(username="clerk", full_name="郑文书", roles=[roles.CLERK], unit=o.wdk)
    o.clerk.user_permissions.add(Permission.objects.get(codename="apply_seal"))
    o.clerk2 = UserFactory(username="clerk2", full_name="曹文书", roles=[roles.CLERK], unit=o.wdk)
    o.secretary = UserFactory(username="sec", full_name="何秘书", roles=[roles.SECRETARY], unit=o.msk)
    o.chief = UserFactory(username="chief", full_name="周科长", roles=[roles.SECTION_CHIEF], unit=o.msk)
    o.other_chief = UserFactory(username="wdkchief", full_name="吴科长", roles=[roles.SECTION_CHIEF, roles.CLERK],
                                unit=o.wdk)
    o.director = UserFactory(username="director", full_name="陈主任", roles=[roles.OFFICE_DIRECTOR], unit=o.zrs)
    o.head = UserFactory(username="head", full_name="王县长", roles=[roles.COUNTY_LEADER], unit=o.ldbz)
    o.vice = UserFactory(username="vice", full_name="李副县长", roles=[roles.COUNTY_LEADER], unit=o.ldbz)
    o.contact = UserFactory(username="contact", full_name="教育联络员", roles=[roles.UNIT_CONTACT], unit=o.jyj)
    o.cz_contact = UserFactory(username="czcontact", full_name="财政联络员", roles=[roles.UNIT_CONTACT], unit=o.czj)
    o.outsider = UserFactory(username="outsider", full_name="无关秘书", roles=[roles.SECRETARY], unit=o.zrs)
    o.gov = IssuingAuthority.objects.create(name="某县人民政府", short_name="县政府", masthead="某县人民政府文件",
                                            level=AuthorityLevel.GOVERNMENT, unit=o.ldbz, principal=o.head)
    o.gov.signers.set([o.head, o.vice])
    o.gov.direct_superiors.set([o.city])
    o.gov.seal.save("gov.svg", ContentFile(SEAL_SVG), save=True)
    o.office = IssuingAuthority.objects.create(name="某县人民政府办公室", short_name="县政府办",
                                               masthead="某县人民政府办公室文件", level=AuthorityLevel.OFFICE,
                                               unit=o.zrs, principal=o.director)
    o.office.signers.set([o.director])
    o.office.direct_superiors.set([o.city])
    o.office.seal.save("office.svg", ContentFile(SEAL_SVG), save=True)
    o.zf = DocumentCode.objects.create(authority=o.gov, code="某政发")
    o.zh = DocumentCode.objects.create(authority=o.gov, code="某政函")
    o.bf = DocumentCode.objects.create(authority=o.office, code="某政办发")
    o.tongzhi = DocumentType.objects.get(name="通知")
    o.qingshi = DocumentType.objects.get(name="请示")
    o.baogao = DocumentType.objects.get(name="报告")
    o.han = DocumentType.objects.get(name="函")
    return o


BODY = ("各乡（镇）人民政府，县政府各部门：\n"
        "为做好今冬明春森林防火工作，现就有关事项通知如下。\n"
        "一、提高认识\n（一）压实责任\n1.落实属地责任\n（1）乡镇主要负责同志负总责\n"
        "二、加强巡查\n请各单位于12月10日前报送工作情况。")


@pytest.fixture
def draft(og):
    def make(acting_user=None, **overrides):
        fields = dict(doc_type=og.tongzhi, authority=og.office, code=og.bf,
                      title="某县人民政府办公室关于做好今冬明春森林防火工作的通知", body=BODY,
                      main_recipients=[og.jyj, og.czj, og.town], copy_recipients=[])
        fields.update(overrides)
        return workflow.create_draft(acting_user=acting_user or og.secretary, **fields)
    return make


def through_sign_off(og, doc, signer=None):
    """Submit, pass both reviews (the director records the necessity) and sign off."""
    workflow.submit(document=doc, acting_user=doc.drafter)
    workflow.review(document=doc, acting_user=og.chief)
    acks = {w.code: "已核" for w in workflow.checks.warnings(workflow.findings(doc))}
    workflow.review(document=doc, acting_user=og.director, necessity="部署全县森林防火，须发文。",
                    acknowledgements=acks, confirm_not_raised=True)
    doc.refresh_from_db()
    workflow.sign_off(document=doc, acting_user=signer or doc.authority.principal, opinion="同意")
    doc.refresh_from_db()
    return doc
