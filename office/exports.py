"""Safe cell values for spreadsheets and CSV files built from what users typed."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterable, Iterator

# control characters Excel files cannot hold (openpyxl refuses them)
_ILLEGAL = re.compile(r"[\000-\010\013\014\016-\037]")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """Strings lose control characters and cannot start a formula (CSV/formula injection):
    a leading = + - @ tab or CR is escaped with an apostrophe. Other values pass through."""
    if not isinstance(value, str):
        return value
    value = _ILLEGAL.sub("", value)
    if value.startswith(_FORMULA_START):
        return "'" + value
    return value


def safe_row(values) -> list:
    return [safe_cell(v) for v in values]


def append_row(ws, values) -> None:
    """Append a row of safe cells to an openpyxl worksheet."""
    ws.append(safe_row(values))


# --- streamed spreadsheets ----------------------------------------------------------------
#
# Exports never block the site: a register of any size is written row by row into a zip
# stream that the response sends as it grows (``StreamingHttpResponse``); memory stays constant
# (one batch of rows), the first bytes leave at once, and no openpyxl cell object is built.
# The file is a plain SpreadsheetML workbook (Excel, WPS and openpyxl read it): a bold title
# row merged over the columns, a bold header row, frozen panes under it, an auto-filter, column
# widths, and real dates and times with their formats.

_EPOCH = dt.datetime(1899, 12, 30)  # noqa: DTZ001 - Excel's day 0; Excel has no time zones
STYLE_DATETIME, STYLE_DATE, STYLE_HEADER, STYLE_TITLE = 1, 2, 3, 4
_STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<numFmts count="2"><numFmt numFmtId="164" formatCode="yyyy-mm-dd hh:mm"/>'
    '<numFmt numFmtId="165" formatCode="yyyy-mm-dd"/></numFmts>'
    '<fonts count="3"><font><sz val="11"/><name val="Calibri"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/></font>'
    '<font><b/><sz val="14"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="5"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1" applyAlignment="1">'
    '<alignment horizontal="center" vertical="center" wrapText="1"/></xf>'
    '<xf numFmtId="0" fontId="2" fillId="0" borderId="0" xfId="0" applyFont="1" applyAlignment="1">'
    '<alignment horizontal="center"/></xf></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    '</styleSheet>'
)
_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/styles.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    '</Types>'
)
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    'Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" '
    'Target="styles.xml"/></Relationships>'
)
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _column_letter(index: int) -> str:
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _cell(ref: str, value, style: int = 0) -> str:
    """One cell with its reference (the title and header rows)."""
    if value is None or value == "":
        return ""
    return _value_xml(value, style).replace("<c", f'<c r="{ref}"', 1)


def _value_xml(value, style: int = 0) -> str:
    """One cell of a data row (no reference: cells follow each other; an empty one is <c/>).
    The hot path of every export: strings first, no call per cell that a check can avoid."""
    kind = type(value)
    if kind is str:
        if not value:
            return "<c/>"
        if _ILLEGAL.search(value):
            value = _ILLEGAL.sub("", value)
        if value.startswith(_FORMULA_START):
            value = "'" + value
        if "&" in value or "<" in value or ">" in value:
            value = _xml_escape(value)
        s = f' s="{style}"' if style else ""
        return f'<c t="inlineStr"{s}><is><t xml:space="preserve">{value}</t></is></c>'
    if value is None:
        return "<c/>"
    s = f' s="{style}"' if style else ""
    if kind is bool:
        return f'<c t="b"{s}><v>{int(value)}</v></c>'
    if kind is int or kind is float:
        return f"<c{s}><v>{value}</v></c>"
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:  # the office's local time (Asia/Shanghai)
            from django.utils import timezone

            value = timezone.localtime(value).replace(tzinfo=None)
        serial = (value - _EPOCH).total_seconds() / 86400
        return f'<c s="{style or STYLE_DATETIME}"><v>{serial:.10f}</v></c>'
    if isinstance(value, dt.date):
        return f'<c s="{style or STYLE_DATE}"><v>{(value - _EPOCH.date()).days}</v></c>'
    if isinstance(value, (int, float)):
        return f"<c{s}><v>{value}</v></c>"
    return _value_xml(str(value), style)


def _xml_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class _Pipe(io.RawIOBase):
    """A write-only, unseekable stream whose bytes are taken out as they come (zipfile then
    writes data descriptors instead of seeking back)."""

    def __init__(self):
        self._chunks: list[bytes] = []

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self._chunks.append(bytes(data))
        return len(data)

    def take(self) -> bytes:
        data = b"".join(self._chunks)
        self._chunks.clear()
        return data


def stream_xlsx(*, sheet: str, title: str, columns: list[str], rows: Iterable[list], widths=(),
                styles: dict[int, int] | None = None, freeze_columns: int = 0,
                batch: int = 500) -> Iterator[bytes]:
    """The bytes of a one-sheet workbook, produced while ``rows`` is read: title (row 1, merged),
    ``columns`` (row 2, frozen, filtered), then one row per item of ``rows`` (each value made safe
    by ``safe_cell``; dates and datetimes as Excel dates). ``styles`` maps a 1-based column to
    ``STYLE_DATE``/``STYLE_DATETIME`` when its values need another format than their type's;
    ``freeze_columns`` keeps that many columns in view too."""
    styles = styles or {}
    pipe = _Pipe()
    archive = zipfile.ZipFile(pipe, mode="w", compression=zipfile.ZIP_DEFLATED, compresslevel=5)
    for name, text in (("[Content_Types].xml", _CONTENT_TYPES), ("_rels/.rels", _ROOT_RELS),
                       ("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS), ("xl/styles.xml", _STYLES)):
        archive.writestr(name, text)
    sheet_name = _xml_escape(safe_cell(str(sheet))[:31])
    archive.writestr("xl/workbook.xml", (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        f'<sheets><sheet name="{sheet_name}" sheetId="1" r:id="rId1"/></sheets></workbook>'))
    yield pipe.take()
    letters = [_column_letter(i) for i in range(1, len(columns) + 1)]
    last = letters[-1]
    with archive.open("xl/worksheets/sheet1.xml", mode="w", force_zip64=True) as out:
        cols = "".join(f'<col min="{i}" max="{i}" width="{w}" customWidth="1"/>'
                       for i, w in enumerate(widths, start=1))
        head = (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            '<sheetViews><sheetView workbookViewId="0"><pane '
            + (f'xSplit="{freeze_columns}" ' if freeze_columns else "")
            + f'ySplit="2" topLeftCell="{_column_letter(freeze_columns + 1)}3" '
            + f'activePane="{"bottomRight" if freeze_columns else "bottomLeft"}" state="frozen"/>'
            + "</sheetView></sheetViews>"
            + (f"<cols>{cols}</cols>" if cols else "") + "<sheetData>"
            + f'<row r="1">{_cell("A1", title, STYLE_TITLE)}</row>'
            + '<row r="2">' + "".join(_cell(f"{c}2", v, STYLE_HEADER) for c, v in zip(letters, columns, strict=True))
            + "</row>")
        out.write(head.encode())
        number, parts = 2, []
        column_styles = [styles.get(i, 0) for i in range(1, len(columns) + 1)]
        for row in rows:
            number += 1
            parts.append(f'<row r="{number}">')
            parts.extend(map(_value_xml, row, column_styles))
            parts.append("</row>")
            if len(parts) >= batch * (len(columns) + 2):
                out.write("".join(parts).encode())
                parts = []
                yield pipe.take()
        out.write(("".join(parts) + "</sheetData>"
                   f'<autoFilter ref="A2:{last}{number}"/>'
                   f'<mergeCells count="1"><mergeCell ref="A1:{last}1"/></mergeCells>'
                   "</worksheet>").encode())
    archive.close()
    yield pipe.take()


def streamed_download(chunks: Iterable[bytes], filename: str, content_type: str = XLSX_TYPE):
    """A download sent while it is produced, with the headers of ``office.http.download``."""
    from urllib.parse import quote

    from django.http import StreamingHttpResponse

    from office.http import _as_download, safe_content_type

    response = StreamingHttpResponse(chunks, content_type=safe_content_type(content_type))
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return _as_download(response)
