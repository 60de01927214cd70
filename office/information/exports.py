"""The quarter table as an Excel sheet and a PDF: the same rows as the page."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _

from office import pdf
from office.exports import append_row


def columns() -> list[str]:
    return [_("Rank"), _("Name"), _("Unit"), _("County"), _("City"), _("Province"), _("National"),
            _("Leader's comments"), _("Points"), _("Quota"), _("Counted"), _("Quota met"), _("Reward (yuan)"),
            _("Penalty (yuan)")]


def figure(value) -> str:
    """A decimal as people write it: 3, 4.5 (never 3.00)."""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def values(row, number=float) -> list:
    return [row.rank, row.name, row.unit_name, row.county, row.city, row.province, row.national, row.comments,
            number(row.points), row.quota, row.counted, _("Yes") if row.quota_met else _("No"),
            number(row.reward), number(row.penalty)]


def title(year: int, quarter: int) -> str:
    return _("Government information, %(year)d Q%(quarter)d: results by secretary") % {"year": year, "quarter": quarter}


def workbook(rows, year: int, quarter: int, note: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    cols = columns()
    wb = Workbook()
    ws = wb.active
    ws.title = _("Information quota")[:31]
    append_row(ws, [title(year, quarter)])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(cols))
    ws["A1"].font = Font(bold=True, size=14)
    ws["A1"].alignment = Alignment(horizontal="center")
    append_row(ws, [note])
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=len(cols))
    append_row(ws, cols)
    for cell in ws[3]:
        cell.font = Font(bold=True)
    for row in rows:
        append_row(ws, values(row))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def quarter_pdf(rows, year: int, quarter: int, note: str, office_name: str) -> bytes:
    return pdf.render("information/pdf/quarter.html", {
        "rows": rows, "title": title(year, quarter), "note": note, "office_name": office_name,
        "columns": columns(), "values": [values(r, figure) for r in rows]},
        extra_css="@page { size: A4 landscape; margin: 15mm; } th, td { font-size: 10pt; padding: 1mm 1.5mm; }")
