# The document personas, for the office tests that drive documents' steps (committed steps).
from tests.documents.conftest import dp, register_doc  # noqa: F401
