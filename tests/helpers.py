"""Small helpers shared by the tests."""

from office import once


def with_token(data: dict | None, user) -> dict:
    """``data`` plus a fresh one-time form token for ``user`` (what a page's form carries)."""
    return {**(data or {}), once.FIELD: once.new_token(user)}
