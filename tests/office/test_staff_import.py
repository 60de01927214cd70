"""The system administrator imports units and staff from Excel: a template, a check that lists
each wrong row, all or nothing, audited; nobody else may."""

import io

import pytest
from openpyxl import Workbook, load_workbook

from office import roles, staff_import
from office.models import AuditEvent, Unit, User

pytestmark = pytest.mark.django_db

UNIT_HEAD = ["代码", "名称", "简称", "类别", "排序", "负责人（用户名）"]
STAFF_HEAD = ["用户名", "姓名", "单位代码", "岗位代码", "职务", "电话", "电子邮箱"]


def workbook(units, staff) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "单位"
    ws.append(UNIT_HEAD)
    for row in units:
        ws.append(row)
    st = wb.create_sheet("人员")
    st.append(STAFF_HEAD)
    for row in staff:
        st.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@pytest.fixture
def sysadmin(make_user):
    return make_user(roles.SYSTEM_ADMIN, username="sysadm", is_staff=True)


GOOD_UNITS = [["GTJ", "县国土局", "国土局", "县直部门", 3, "ligt"]]
GOOD_STAFF = [["ligt", "李国涛", "GTJ", None, "局长", "13800000000", "ligt@example.cn"],
              ["wangxl", "王小林", "GTJ", None, "联络员", None, None]]


def test_the_template_has_both_sheets_with_their_headings():
    wb = load_workbook(io.BytesIO(staff_import.template_workbook()))

    assert wb.sheetnames[:2] == ["单位", "人员"]
    assert [c.value for c in wb["单位"][1]] == UNIT_HEAD
    assert [c.value for c in wb["人员"][1]] == STAFF_HEAD


def test_a_dry_run_checks_and_saves_nothing(sysadmin):
    result = staff_import.import_workbook(workbook(GOOD_UNITS, GOOD_STAFF), acting_user=sysadmin, dry_run=True)

    assert result.errors == [] and result.saved is False
    assert (result.units_created, result.staff_created) == (1, 2)
    assert not Unit.objects.filter(code="GTJ").exists()
    assert not User.objects.filter(username="ligt").exists()


def test_an_import_saves_units_staff_and_heads_and_is_audited(sysadmin):
    result = staff_import.import_workbook(workbook(GOOD_UNITS, GOOD_STAFF), acting_user=sysadmin, dry_run=False)

    unit = Unit.objects.get(code="GTJ")
    li = User.objects.get(username="ligt")
    assert result.saved and (result.units_created, result.staff_created) == (1, 2)
    assert (unit.name, unit.kind, unit.order, unit.head) == ("县国土局", Unit.Kind.DEPARTMENT, 3, li)
    assert (li.full_name, li.unit, li.title, li.must_change_password, li.has_usable_password()) == \
        ("李国涛", unit, "局长", True, False)
    event = AuditEvent.objects.get(action="staff.import")
    assert event.actor == sysadmin and event.detail["staff_created"] == 2


def test_each_bad_row_is_reported_with_its_number_and_nothing_is_saved(sysadmin, make_user):
    make_user(roles.AUDIT_ADMIN, username="auditor")
    units = [["GTJ", "县国土局", "", "县直部门", "", ""],
             ["", "无代码局", "", "县直部门", "", ""],
             ["XYZ", "某局", "", "火星", "二", "nobody"]]
    staff = [["ligt", "李国涛", "GTJ", None, None, None, None],
             ["bad name!", "", "NOPE", None, None, None, "not-an-email"],
             ["ligt", "李国涛", "GTJ", None, None, None, None],
             ["auditor", "审计", "GTJ", None, None, None, None]]

    result = staff_import.import_workbook(workbook(units, staff), acting_user=sysadmin, dry_run=False)

    rows = [(e.sheet, e.row) for e in result.errors]
    assert rows == [("单位", 3), ("单位", 4), ("单位", 4), ("单位", 4),
                    ("人员", 3), ("人员", 3), ("人员", 3), ("人员", 3), ("人员", 4), ("人员", 5)]
    reasons = {(e.sheet, e.row, e.reason) for e in result.errors}
    assert ("单位", 3, "代码为空。") in reasons
    assert ("单位", 4, "未知类别“火星”。") in reasons
    assert ("人员", 3, "没有代码为 NOPE 的单位。") in reasons
    assert ("人员", 4, "用户名与第 2 行重复。") in reasons
    assert ("人员", 5, "auditor 是管理员账号，导入不会修改它。") in reasons
    assert result.saved is False
    assert not Unit.objects.filter(code="GTJ").exists() and not User.objects.filter(username="ligt").exists()
    assert not AuditEvent.objects.filter(action="staff.import").exists()


def test_a_file_that_is_not_a_workbook_is_refused(sysadmin):
    with pytest.raises(staff_import.ImportRefused, match="不是 Excel"):
        staff_import.import_workbook(b"not a zip", acting_user=sysadmin, dry_run=True)


def test_the_admin_page_checks_then_imports_and_others_get_403(client, sysadmin, make_user):
    client.force_login(sysadmin)
    page = client.get("/admin/office/unit/import/")
    template = client.get("/admin/office/unit/import/template.xlsx")
    data = workbook(GOOD_UNITS, GOOD_STAFF)
    checked = client.post("/admin/office/unit/import/", {"workbook": io.BytesIO(data), "dry_run": "on"})
    f = io.BytesIO(data)
    f.name = "staff.xlsx"
    imported = client.post("/admin/office/unit/import/", {"workbook": f})

    assert page.status_code == 200 and template.status_code == 200
    assert "未保存" in checked.content.decode() or "尚未保存" in checked.content.decode()
    assert imported.status_code == 200 and User.objects.filter(username="wangxl").exists()

    client.force_login(make_user(roles.SECURITY_ADMIN, username="secadm", is_staff=True))
    assert client.get("/admin/office/unit/import/").status_code == 403
