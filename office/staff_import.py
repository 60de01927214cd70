"""Importing units and staff accounts from an Excel workbook (the system administrator).

The workbook has two sheets, 单位 (units) and 人员 (staff), each with a heading row; the
template (``template_workbook``) has both and a sheet of instructions. ``import_workbook`` reads
every row, checks all of them, and then either reports the bad rows (sheet, row number as Excel
shows it, reason) and saves nothing, or saves everything in one transaction and audits it
(``staff.import``). ``dry_run=True`` checks and reports without saving.

Rows are matched by code (units) and user name (staff): an existing one is updated, a new one
created. New accounts get no usable password and must change it: the system administrator
issues each a temporary password as for any new account. Roles are not imported: they are the
security administrator's (三员分立). An administrator's account is never changed by an import.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from office import audit, roles
from office.models import Post, Unit, User

MAX_ROWS = 5000

UNIT_SHEET = pgettext_lazy("staff import", "Units")
STAFF_SHEET = pgettext_lazy("staff import", "Staff")
# (column key, heading): the headings are what the template writes and the import reads
UNIT_COLUMNS = [
    ("code", pgettext_lazy("staff import", "Code")),
    ("name", pgettext_lazy("staff import", "Name")),
    ("short_name", pgettext_lazy("staff import", "Short name")),
    ("kind", pgettext_lazy("staff import", "Kind")),
    ("order", pgettext_lazy("staff import", "Order")),
    ("head", pgettext_lazy("staff import", "Head (user name)")),
]
STAFF_COLUMNS = [
    ("username", pgettext_lazy("staff import", "User name")),
    ("full_name", pgettext_lazy("staff import", "Full name")),
    ("unit", pgettext_lazy("staff import", "Unit code")),
    ("post", pgettext_lazy("staff import", "Post code")),
    ("title", pgettext_lazy("staff import", "Job title")),
    ("phone", pgettext_lazy("staff import", "Phone")),
    ("email", pgettext_lazy("staff import", "E-mail")),
]


@dataclass(frozen=True)
class RowError:
    sheet: str
    row: int  # as Excel numbers it (the heading is row 1)
    reason: str


@dataclass
class ImportResult:
    errors: list[RowError] = field(default_factory=list)
    units_created: int = 0
    units_updated: int = 0
    staff_created: int = 0
    staff_updated: int = 0
    saved: bool = False


class ImportRefused(Exception):
    """The file is not a workbook this import can read (not a row's fault)."""


def template_workbook() -> bytes:
    """The workbook to fill in: the two sheets with their headings and a sheet of instructions."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = str(UNIT_SHEET)
    ws.append([str(h) for _k, h in UNIT_COLUMNS])
    staff = wb.create_sheet(str(STAFF_SHEET))
    staff.append([str(h) for _k, h in STAFF_COLUMNS])
    for sheet in (ws, staff):
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for letter in "ABCDEFG":
            sheet.column_dimensions[letter].width = 18
    notes = wb.create_sheet(_("Instructions"))
    kinds = "、".join(str(label) for _v, label in Unit.Kind.choices)
    for line in [
        _("One unit or one person per row, below the heading row. Leave the headings as they are."),
        _("Units: the code is required and identifies the unit (an existing code updates it). "
          "Kind: one of %(kinds)s.") % {"kinds": kinds},
        _("Staff: the user name identifies the account (an existing one is updated). The unit "
          "code is a unit of this workbook or one already in the system."),
        _("New accounts have no password yet: issue each a temporary password in the admin. "
          "Roles are assigned by the security administrator."),
        _("Nothing is saved while any row is wrong: the check lists each wrong row with its number."),
    ]:
        notes.append([line])
    notes.column_dimensions["A"].width = 120
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _read_sheet(wb, title, columns) -> list[tuple[int, dict]]:
    """The sheet's rows as (Excel row number, {key: text}); blank rows skipped."""
    if str(title) not in wb.sheetnames:
        return []
    ws = wb[str(title)]
    rows = ws.iter_rows(values_only=True)
    heading = [_text(v) for v in next(rows, ())]
    wanted = {str(h): k for k, h in columns}
    index = {wanted[h]: i for i, h in enumerate(heading) if h in wanted}
    missing = [str(h) for k, h in columns if k not in index]
    if missing:
        raise ImportRefused(_("Sheet “%(sheet)s” lacks the columns: %(cols)s. Start from the template.")
                            % {"sheet": title, "cols": "、".join(missing)})
    out = []
    for n, values in enumerate(rows, start=2):
        row = {k: _text(values[i]) if i < len(values) else "" for k, i in index.items()}
        if any(row.values()):
            out.append((n, row))
        if len(out) > MAX_ROWS:
            raise ImportRefused(_("More than %(n)d rows in one sheet.") % {"n": MAX_ROWS})
    return out


def _kind(value: str) -> str | None:
    for code, label in Unit.Kind.choices:
        if value in (code, str(label)):
            return code
    return None


def _check_line(value: str, max_length: int, what: str) -> str | None:
    from office.workflow import has_control_characters

    if has_control_characters(value):
        return _("%(what)s has a line break or control character.") % {"what": what}
    if len(value) > max_length:
        return _("%(what)s is longer than %(n)d characters.") % {"what": what, "n": max_length}
    return None


def import_workbook(data: bytes, *, acting_user, dry_run: bool) -> ImportResult:
    """Check every row; save all or nothing (atomic), audited. See the module's docstring."""
    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - any unreadable file is the same answer
        raise ImportRefused(_("This file is not an Excel workbook (.xlsx).")) from exc
    unit_rows = _read_sheet(wb, UNIT_SHEET, UNIT_COLUMNS)
    staff_rows = _read_sheet(wb, STAFF_SHEET, STAFF_COLUMNS)
    if not unit_rows and not staff_rows:
        raise ImportRefused(_("The workbook has no rows to import."))

    result = ImportResult()
    err = result.errors.append
    units_by_code = {u.code: u for u in Unit.objects.all()}
    names_by_code = {u.name: u.code for u in units_by_code.values()}
    users_by_name = {u.username: u for u in User.objects.prefetch_related("groups")}
    posts_by_code = {p.code: p for p in Post.objects.all()}
    sheet_units, sheet_staff = str(UNIT_SHEET), str(STAFF_SHEET)

    seen_codes: dict[str, int] = {}
    seen_names: dict[str, int] = {}
    unit_plan = []
    for n, row in unit_rows:
        problems = []
        code, name = row["code"], row["name"]
        if not code:
            problems.append(_("The code is empty."))
        if not name:
            problems.append(_("The name is empty."))
        for value, limit, what in ((code, 20, _("The code")), (name, 100, _("The name")),
                                   (row["short_name"], 40, _("The short name"))):
            if (p := _check_line(value, limit, what)):
                problems.append(p)
        kind = _kind(row["kind"])
        if kind is None:
            problems.append(_("Unknown kind “%(kind)s”.") % {"kind": row["kind"]})
        order = 0
        if row["order"]:
            try:
                order = int(row["order"])
                if order < 0:
                    raise ValueError
            except ValueError:
                problems.append(_("The order must be a whole number."))
        if code in seen_codes:
            problems.append(_("The code %(code)s is also on row %(n)d.") % {"code": code, "n": seen_codes[code]})
        if name in seen_names:
            problems.append(_("The name is also on row %(n)d.") % {"n": seen_names[name]})
        if name and names_by_code.get(name, code) != code:
            problems.append(_("Another unit (%(code)s) already has this name.") % {"code": names_by_code[name]})
        seen_codes.setdefault(code, n)
        seen_names.setdefault(name, n)
        for p in problems:
            err(RowError(sheet_units, n, p))
        unit_plan.append((n, row, kind, order))

    seen_users: dict[str, int] = {}
    staff_plan = []
    for n, row in staff_rows:
        problems = []
        username = row["username"]
        if not username:
            problems.append(_("The user name is empty."))
        else:
            try:
                UnicodeUsernameValidator()(username)
            except ValidationError:
                problems.append(_("The user name may contain only letters, digits and @.+-_."))
            if len(username) > 150:
                problems.append(_("The user name is too long."))
        if not row["full_name"]:
            problems.append(_("The full name is empty."))
        for value, limit, what in ((row["full_name"], 50, _("The full name")), (row["title"], 50, _("The job title")),
                                   (row["phone"], 30, _("The phone"))):
            if (p := _check_line(value, limit, what)):
                problems.append(p)
        if row["unit"] and row["unit"] not in units_by_code and row["unit"] not in seen_codes:
            problems.append(_("No unit has the code %(code)s.") % {"code": row["unit"]})
        if row["post"] and row["post"] not in posts_by_code:
            problems.append(_("No post has the code %(code)s.") % {"code": row["post"]})
        if row["email"]:
            try:
                validate_email(row["email"])
            except ValidationError:
                problems.append(_("“%(email)s” is not an e-mail address.") % {"email": row["email"]})
        existing = users_by_name.get(username)
        if existing is not None and (existing.is_superuser or
                                     {g.name for g in existing.groups.all()} & set(roles.ADMIN_ROLES)):
            problems.append(_("%(name)s is an administrator's account: an import does not change it.")
                            % {"name": username})
        if username in seen_users:
            problems.append(_("The user name is also on row %(n)d.") % {"n": seen_users[username]})
        seen_users.setdefault(username, n)
        for p in problems:
            err(RowError(sheet_staff, n, p))
        staff_plan.append((n, row))

    for n, row, _kind_code, _order in unit_plan:
        head = row["head"]
        if head and head not in users_by_name and head not in seen_users:
            err(RowError(sheet_units, n, _("No account has the user name %(name)s.") % {"name": head}))

    result.errors.sort(key=lambda e: (e.sheet != sheet_units, e.row))
    if result.errors or dry_run:
        _count(result, unit_plan, staff_plan, units_by_code, users_by_name)
        return result
    _save(result, unit_plan, staff_plan, units_by_code, users_by_name, posts_by_code, acting_user)
    return result


def _count(result, unit_plan, staff_plan, units_by_code, users_by_name) -> None:
    for _n, row, _k, _o in unit_plan:
        if row["code"] in units_by_code:
            result.units_updated += 1
        else:
            result.units_created += 1
    for _n, row in staff_plan:
        if row["username"] in users_by_name:
            result.staff_updated += 1
        else:
            result.staff_created += 1


@transaction.atomic
def _save(result, unit_plan, staff_plan, units_by_code, users_by_name, posts_by_code, acting_user) -> None:
    for _n, row, kind, order in unit_plan:
        unit = units_by_code.get(row["code"])
        if unit is None:
            unit = Unit(code=row["code"])
            result.units_created += 1
        else:
            result.units_updated += 1
        unit.name, unit.short_name, unit.kind, unit.order = row["name"], row["short_name"], kind, order
        unit.save()
        units_by_code[unit.code] = unit
    for _n, row in staff_plan:
        user = users_by_name.get(row["username"])
        if user is None:
            user = User(username=row["username"], must_change_password=True)
            user.set_unusable_password()
            result.staff_created += 1
        else:
            result.staff_updated += 1
        user.full_name, user.title, user.phone, user.email = (row["full_name"], row["title"],
                                                              row["phone"], row["email"])
        user.unit = units_by_code.get(row["unit"]) if row["unit"] else None
        user.post = posts_by_code.get(row["post"]) if row["post"] else None
        user.save()
        users_by_name[user.username] = user
    for _n, row, _k, _o in unit_plan:
        if row["head"]:
            unit = units_by_code[row["code"]]
            unit.head = users_by_name[row["head"]]
            unit.save(update_fields=["head"])
    result.saved = True
    audit.record("staff.import", actor=acting_user, detail={
        "units_created": result.units_created, "units_updated": result.units_updated,
        "staff_created": result.staff_created, "staff_updated": result.staff_updated})
