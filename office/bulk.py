"""Set-based inserts: many rows of one model in ONE statement, ``INSERT … SELECT … FROM
jsonb_array_elements(%s)``. The values that differ per row travel as one JSON array of rows (one
parameter, encoded by ``json.dumps`` in C: neither Django nor the driver builds or quotes a
parameter per value); the values every row shares are given once. Defaults are the model's own
(``Field.get_default``, ``auto_now_add``). Used where a step writes a row per person (copies in
circulation, notifications, reminders, timeline entries) instead of a loop of single inserts."""

from __future__ import annotations

import datetime as dt
import decimal
import json

from django.db import connection
from django.utils import timezone


def _json_value(value):
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, (bytes, bytearray, memoryview)):
        return "\\x" + bytes(value).hex()
    if isinstance(value, decimal.Decimal):
        return str(value)
    raise TypeError(f"{type(value).__name__} cannot be inserted in bulk")


def insert(model, *, rows: dict[str, list], same: dict | None = None, ignore_conflicts: bool = False,
           returning: tuple[str, ...] = ("id",)) -> list[tuple]:
    """Insert ``len(next(iter(rows.values())))`` rows of ``model``: ``rows`` maps a field
    (name or attname) to its values, one per row; ``same`` a field to the value of every row;
    other fields take their default. ``ignore_conflicts``: ON CONFLICT DO NOTHING (a unique key
    already there is skipped). Returns the ``returning`` columns of the rows inserted, in order."""
    same = same or {}
    lengths = {len(v) for v in rows.values()}
    if not rows or lengths == {0}:
        return []
    if len(lengths) != 1:
        raise ValueError("every column needs one value per row")
    meta = model._meta
    now = timezone.now()
    columns, exprs, params, varying = [], [], [], []
    for field in meta.concrete_fields:
        if field.primary_key:
            continue
        db_type = field.db_type(connection)
        key = field.name if field.name in rows else field.attname if field.attname in rows else None
        columns.append(f'"{field.column}"')
        if key is not None:
            k = len(varying)
            varying.append(rows[key])
            exprs.append(f"(e->{k})" if db_type == "jsonb" else f"(e->>{k})::{db_type}")
            continue
        if field.name in same or field.attname in same:
            value = same[field.name] if field.name in same else same[field.attname]
        elif getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            value = now
        else:
            value = field.get_default()
        exprs.append(f"%s::{db_type}")
        params.append(None if value is None else field.get_db_prep_save(value, connection))
    data = json.dumps([list(row) for row in zip(*varying, strict=True)], default=_json_value,
                      ensure_ascii=False, separators=(",", ":"))
    returned = ", ".join(f'"{meta.get_field(name).column}"' for name in returning)
    sql = (f'INSERT INTO "{meta.db_table}" ({", ".join(columns)}) SELECT {", ".join(exprs)} '
           f"FROM jsonb_array_elements(%s::jsonb) WITH ORDINALITY AS r(e, n) ORDER BY n"
           + (" ON CONFLICT DO NOTHING" if ignore_conflicts else "") + f" RETURNING {returned}")
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, data])
        return cursor.fetchall()
