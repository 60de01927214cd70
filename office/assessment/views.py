"""Assessment pages: a person's own, the office's table (Excel), a person's PDF."""

from __future__ import annotations

import io

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from office import audit, pdf
from office.assessment import figures
from office.exports import append_row
from office.http import download
from office.models import OfficeSettings, User
from office.study import permissions
from office.study import selectors as study

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _year(request) -> int:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return timezone.localdate().year
    return year if 2000 <= year <= 2099 else timezone.localdate().year


def _people_for(user):
    """Whose assessment ``user`` may see: the director everyone's, a section chief their
    section's, anyone their own."""
    if not permissions.takes_part(user):
        raise PermissionDenied
    people = study.office_staff().select_related("unit", "post").order_by("unit__order", "username")
    if permissions.is_director(user):
        return people
    if permissions.is_chief(user):
        return people.filter(unit_id=user.unit_id)
    return people.filter(pk=user.pk)


def person(request, pk: int | None = None):
    year = _year(request)
    try:
        subject = _people_for(request.user).get(pk=pk or request.user.pk)
    except User.DoesNotExist:
        raise Http404 from None
    result = figures.assess(subject, year)
    if request.GET.get("format") == "pdf":
        audit.record("assessment.export_person", actor=request.user, obj=subject, detail={"year": year})
        data = pdf.render("assessment/pdf/person.html", {"a": result, "office_name": OfficeSettings.load().office_name},
                          extra_css="td, th { font-size: 11pt; }")
        return download(data, f"年终考核-{year}-{subject.get_full_name()}.pdf", "application/pdf")
    return render(request, "assessment/person.html", {"a": result, "year": year, "subject": subject,
                                                      "sees_office": permissions.is_director(request.user)
                                                      or permissions.is_chief(request.user)})


def office(request):
    user = request.user
    if not (permissions.is_director(user) or permissions.is_chief(user)):
        raise PermissionDenied
    year = _year(request)
    rows = figures.office_assessments(list(_people_for(user)), year)
    names = figures.labels()
    if request.GET.get("format") == "xlsx":
        audit.record("assessment.export_office", actor=user, detail={"year": year})
        return download(_workbook(rows, year, names), f"年终考核-{year}.xlsx", XLSX)
    return render(request, "assessment/office.html", {"rows": rows, "year": year, "labels": names})


def _workbook(rows, year: int, names: dict) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = _("Assessment")[:31]
    append_row(ws, [_("Year-end assessment %(year)d") % {"year": year}])
    ws["A1"].font = Font(bold=True, size=14)
    append_row(ws, [_("Name"), _("Unit"), *names.values(), _("Total"), _("Grade")])
    for cell in ws[2]:
        cell.font = Font(bold=True)
    for a in rows:
        append_row(ws, [a.user.get_full_name(), str(a.user.unit or ""),
                        *[float(p.score) if p.score is not None else "—" for p in a.parts],
                        float(a.total) if a.total is not None else "—", a.grade])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
