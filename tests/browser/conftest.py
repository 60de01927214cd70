import shutil

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not shutil.which("chromium"):
        pytest.skip("browser tests need Debian's chromium (installed by .ci/run); not on this machine")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"],
    }


def accept_confirmations(page) -> list[str]:
    """Make ``page`` accept the confirmation a final step asks (data-confirm); returns the list
    its questions are collected in, so a test can check the question was asked."""
    asked: list[str] = []

    def answer(dialog):
        asked.append(dialog.message)
        dialog.accept()

    page.on("dialog", answer)
    return asked


from tests.documents.conftest import dp, register_doc  # noqa: E402,F401  (document personas)
from tests.supervision.conftest import make_item, people  # noqa: E402,F401  (personas)
