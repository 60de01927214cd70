"""Gap-free yearly sequence numbers, safe under concurrency (one UPSERT per number)."""

from django.db import connection


def next_value(key: str, year: int) -> int:
    """The next number of sequence ``key`` in ``year``, starting at 1. Call it inside the
    transaction that uses the number: a rollback gives the number back."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO office_counter (key, year, value) VALUES (%s, %s, 1)
            ON CONFLICT (key, year) DO UPDATE SET value = office_counter.value + 1
            RETURNING value
            """,
            [key, year],
        )
        return cursor.fetchone()[0]
