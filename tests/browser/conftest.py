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


from tests.documents.conftest import dp, draft, og, register_doc  # noqa: E402,F401  (document personas)
from tests.supervision.conftest import make_item, people  # noqa: E402,F401  (personas)


def totp_code(device, steps_ahead: int = 0) -> str:
    """The current code of a django-otp TOTP device (``steps_ahead`` later time steps: a code
    logs in only once)."""
    import time

    from django_otp.oath import TOTP

    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():06d}"


def login(page, base: str, username: str, password: str | None = None, *, steps_ahead: int = 0) -> None:
    """Log in through the real pages: the password, then the second factor when the account has
    one (the code is computed from its device, as the phone would)."""
    from office import mfa
    from office.models import User
    from tests.factories import TEST_PASSWORD

    page.goto(f"{base}/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password or TEST_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_load_state()
    if "/accounts/login/verify/" in page.url:
        device = mfa.totp_device(User.objects.get(username=username))
        page.get_by_label("验证码").fill(totp_code(device, steps_ahead))
        page.get_by_role("button", name="验证并登录").click()
        page.wait_for_load_state()
