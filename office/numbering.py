"""Gap-free yearly sequence numbers (收文编号, 督〔年〕, 督催〔年〕, 发文字号, 纪要号), safe under
concurrency, with the counter row locked only for the instant it takes.

**The rule.** A step that gives a gap-free number does all its work first and takes the number
last, in one statement just before the commit::

    with numbering.reserve("incoming", year) as number:
        doc = IncomingDocument.objects.create(serial=number.serial,
                                              number=f"收〔{year}〕{number.mark}号", ...)
        ...                      # attachments, index, timeline, audit, notifications
    # here: number.value is the serial; doc.serial and doc.number hold the real values

Inside the block the number is written as a placeholder: ``number.mark`` in text (a token
unique to this reservation, so two registrations in flight never wait on each other's unique
index entry) and ``number.serial`` in integer columns. Every row saved inside the block that
holds the placeholder is remembered; audit events holding it are not inserted yet (the audit
trail is append-only). On leaving the block ONE statement increments the counter (the UPSERT
that locks its row until the commit), rewrites the placeholder in the remembered rows and
inserts the held-back audit events. The counter row is therefore locked only between that
statement and the commit, not for the whole step: registrations overlap everything but that
instant. A refusal (an exception inside the block) takes no number at all; a rollback after
it gives the number back with the rest.

``next_value`` (the bare UPSERT) stays for callers that need nothing else in the transaction.
"""

from __future__ import annotations

import contextvars
import json
import secrets
from contextlib import contextmanager

from django.db import connection
from django.db.models.signals import post_save

_active: contextvars.ContextVar[tuple[Reservation, ...]] = contextvars.ContextVar("numbering_active",
                                                                                 default=())

_COUNTER_SQL = """
    INSERT INTO office_counter (key, year, value) VALUES (%s, %s, 1)
    ON CONFLICT (key, year) DO UPDATE SET value = office_counter.value + 1
    RETURNING value
"""


def next_value(key: str, year: int) -> int:
    """The next number of sequence ``key`` in ``year``, starting at 1. Call it as the last
    statement of the transaction that uses the number (its row stays locked until the
    commit): a rollback gives the number back. Prefer ``reserve``."""
    with connection.cursor() as cursor:
        cursor.execute(_COUNTER_SQL, [key, year])
        return cursor.fetchone()[0]


class Reservation:
    """A number to be taken at the end of the block (see the module)."""

    def __init__(self, key: str, year: int):
        self.key, self.year = key, year
        token = secrets.token_hex(6)
        self.mark = f"@n{token}@"  # 15 ASCII characters: fits every number column with its prefix
        # an integer placeholder no real serial reaches (PositiveIntegerField: below 2**31)
        self.serial = 2_000_000_000 + int(token, 16) % 100_000_000
        self.value: int | None = None
        self._rows: dict[tuple[str, object], tuple[object, dict]] = {}
        self._inserts: list[object] = []

    # --- what the block saved -------------------------------------------------------------

    def holds(self, value) -> bool:
        if hasattr(value, "as_json"):  # an office.notify.Msg: its parameters
            value = value.as_json()
        if isinstance(value, str):
            return self.mark in value
        if isinstance(value, bool):
            return False
        if isinstance(value, int):
            return value == self.serial
        if isinstance(value, (dict, list)):
            return self.mark in json.dumps(value, ensure_ascii=False, default=str)
        return False

    def _marked_fields(self, instance, only=None) -> dict:
        fields = {}
        for field in instance._meta.concrete_fields:
            if field.primary_key or (only is not None and field.name not in only):
                continue
            if self.holds(getattr(instance, field.attname)):
                fields[field.attname] = field
        return fields

    def saved(self, instance, update_fields=None) -> None:
        key = (instance._meta.label, instance.pk)
        _obj, fields = self._rows.get(key, (instance, {}))
        if update_fields is None:
            fields = {}
        else:
            only = set(update_fields)
            fields = {k: f for k, f in fields.items() if f.name not in only}
        fields.update(self._marked_fields(instance, update_fields))
        if fields:
            self._rows[key] = (instance, fields)
        else:
            self._rows.pop(key, None)

    def hold_insert(self, instance) -> bool:
        """Keep an unsaved row holding the placeholder (an audit event) for the final statement."""
        if not self._marked_fields(instance):
            return False
        self._inserts.append(instance)
        return True

    # --- the final statement --------------------------------------------------------------

    def _expr(self, field, value, params: list) -> str:
        db_type = field.db_type(connection)
        if isinstance(value, int) and not isinstance(value, bool) and value == self.serial:
            return "c.value"
        if self.holds(value):
            if isinstance(value, (dict, list)):
                value = json.dumps(value, cls=getattr(field, "encoder", None))
            params.extend([value, self.mark])
            return f"replace(%s::text, %s, c.value::text)::{db_type}"
        params.append(field.get_db_prep_save(value, connection))
        return f"%s::{db_type}"

    def take(self) -> int:
        params: list = [self.key, self.year]
        ctes = [f"c AS ({_COUNTER_SQL})"]
        for i, (instance, fields) in enumerate(self._rows.values()):
            meta = instance._meta
            sets = ", ".join(f'"{f.column}" = {self._expr(f, getattr(instance, attname), params)}'
                             for attname, f in fields.items())
            ctes.append(f'u{i} AS (UPDATE "{meta.db_table}" SET {sets} FROM c '
                        f'WHERE "{meta.db_table}"."{meta.pk.column}" = %s)')
            params.append(instance.pk)
        selects = []
        for i, instance in enumerate(self._inserts):
            meta = instance._meta
            columns, exprs = [], []
            for field in meta.concrete_fields:
                if field.primary_key:
                    continue
                value = field.pre_save(instance, add=True)
                columns.append(f'"{field.column}"')
                exprs.append(self._expr(field, value, params))
            ctes.append(f'i{i} AS (INSERT INTO "{meta.db_table}" ({", ".join(columns)}) '
                        f'SELECT {", ".join(exprs)} FROM c RETURNING "{meta.pk.column}")')
            selects.append(f"(SELECT * FROM i{i})")
        sql = f"WITH {', '.join(ctes)} SELECT {', '.join(['c.value', *selects])} FROM c"
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            row = cursor.fetchone()
        self.value = row[0]
        for instance, pk in zip(self._inserts, row[1:], strict=True):
            instance.pk = pk
            instance._state.adding = False
            self._replace(instance)
        for instance, _fields in self._rows.values():
            self._replace(instance)
        return self.value

    def text(self, value):
        """``value`` with the placeholder replaced by the number (after the block)."""
        if isinstance(value, str):
            return value.replace(self.mark, str(self.value))
        if isinstance(value, int) and not isinstance(value, bool) and value == self.serial:
            return self.value
        if isinstance(value, (dict, list)) and self.holds(value):
            return json.loads(json.dumps(value, default=str).replace(self.mark, str(self.value)))
        return value

    def _replace(self, instance) -> None:
        for field in instance._meta.concrete_fields:
            value = getattr(instance, field.attname)
            if self.holds(value):
                setattr(instance, field.attname, self.text(value))


@contextmanager
def reserve(key: str, year: int):
    """Reserve the next number of ``key`` in ``year``; it is taken when the block ends (see the
    module). An exception inside the block takes no number."""
    reservation = Reservation(key, year)
    token = _active.set((*_active.get(), reservation))
    try:
        yield reservation
    finally:
        _active.reset(token)
    reservation.take()


def hold_insert(instance) -> bool:
    """Called by ``office.audit`` before inserting an append-only row: True when the row holds a
    reserved number's placeholder and will be inserted by that reservation's final statement."""
    return any(r.hold_insert(instance) for r in reversed(_active.get()))


def _track(sender, instance, update_fields=None, raw=False, **kwargs):
    for reservation in _active.get():
        reservation.saved(instance, update_fields)


post_save.connect(_track, dispatch_uid="office.numbering.track")


def holds_mark(text) -> bool:
    """Whether ``text`` holds the placeholder of a number being reserved now."""
    return any(r.holds(text) for r in _active.get())


def split_mark(number: str) -> tuple[str, str]:
    """For search indexes built inside a reservation: (the number without its placeholder,
    " <placeholder>" to append to the index text), or (number, "") for a real number. The serial
    is one token of the index (``documents.search``), written by the final statement."""
    for reservation in _active.get():
        if reservation.mark in (number or ""):
            return number.replace(reservation.mark, ""), f" {reservation.mark}"
    return number, ""
