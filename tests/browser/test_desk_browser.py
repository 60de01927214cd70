"""In a real browser: a clerk logs in, sees the Chinese desk, switches to English."""

import pytest

from office import notify
from office.roles import CLERK
from tests.factories import TEST_PASSWORD


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_clerk_logs_in_sees_the_chinese_desk_and_switches_to_english(live_server, page, make_user):
    clerk = make_user(CLERK, username="zhengxl", full_name="郑晓兰")
    notify.notify(clerk, key="browser-1", title="新收文待登记：某市政府办公室来文", email=False)

    page.goto(f"{live_server.url}/")
    assert "/accounts/login/" in page.url
    page.get_by_label("用户名").fill("zhengxl")
    page.get_by_label("密码").fill(TEST_PASSWORD)
    page.get_by_role("button", name="登录").click()

    page.wait_for_selector("[data-testid=desk-title]")
    assert page.locator("[data-testid=desk-title]").inner_text() == "我的工作台"
    assert page.locator("#unread-badge").first.inner_text() == "1"
    assert "新收文待登记" in page.content()

    page.get_by_role("button", name="English").click()
    page.wait_for_selector("text=My desk")
    assert page.locator("[data-testid=desk-title]").inner_text() == "My desk"
    assert page.locator("html").get_attribute("lang") == "en"
