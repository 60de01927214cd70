"""Set-based inserts: many rows of one model in ONE statement, ``INSERT … SELECT … FROM
unnest(arrays)``. The values that differ per row travel as one array per column (a handful of
parameters whatever the number of rows, so neither Django nor the driver builds and quotes a
parameter per value); the values every row shares are given once. Defaults are the model's own
(``Field.get_default``, ``auto_now_add``). Used where a step writes a row per person (copies in
circulation, notifications) instead of a loop of single inserts."""

from __future__ import annotations

from django.db import connection
from django.utils import timezone


def insert(model, *, rows: dict[str, list], same: dict | None = None, ignore_conflicts: bool = False,
           returning: tuple[str, ...] = ("id",)) -> list[tuple]:
    """Insert ``len(next(iter(rows.values())))`` rows of ``model``: ``rows`` maps a field
    (name or attname) to its values, one per row; ``same`` a field to the value of every row;
    other fields take their default. ``ignore_conflicts``: ON CONFLICT DO NOTHING (a unique key
    already there is skipped). Returns the ``returning`` columns of the rows inserted."""
    same = same or {}
    lengths = {len(v) for v in rows.values()}
    if not rows or lengths == {0}:
        return []
    if len(lengths) != 1:
        raise ValueError("every column needs one value per row")
    meta = model._meta
    now = timezone.now()
    columns, exprs, select_params, arrays, array_params, aliases = [], [], [], [], [], []
    for field in meta.concrete_fields:
        if field.primary_key:
            continue
        db_type = field.db_type(connection)
        key = field.name if field.name in rows else field.attname if field.attname in rows else None
        columns.append(f'"{field.column}"')
        if key is not None:
            alias = f"c{len(aliases)}"
            aliases.append(alias)
            exprs.append(f"u.{alias}")
            arrays.append(f"%s::{db_type}[]")
            array_params.append([None if v is None else field.get_db_prep_save(v, connection)
                                 for v in rows[key]])
            continue
        if field.name in same or field.attname in same:
            value = same[field.name] if field.name in same else same[field.attname]
        elif getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            value = now
        else:
            value = field.get_default()
        exprs.append(f"%s::{db_type}")
        select_params.append(None if value is None else field.get_db_prep_save(value, connection))
    returned = ", ".join(f'"{meta.get_field(name).column}"' for name in returning)
    sql = (f'INSERT INTO "{meta.db_table}" ({", ".join(columns)}) SELECT {", ".join(exprs)} '
           f'FROM unnest({", ".join(arrays)}) AS u({", ".join(aliases)})'
           + (" ON CONFLICT DO NOTHING" if ignore_conflicts else "") + f" RETURNING {returned}")
    with connection.cursor() as cursor:
        cursor.execute(sql, [*select_params, *array_params])
        return cursor.fetchall()
