"""Safe cell values for spreadsheets and CSV files built from what users typed."""

from __future__ import annotations

import re

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
