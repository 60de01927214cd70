"""Fixtures the office tests borrow from the apps."""

from tests.documents.conftest import dp, register_doc  # noqa: F401  (document personas)
