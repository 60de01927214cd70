"""In a real browser: the responsible person acknowledges an item and reports its result; the
supervising officer verifies and closes it."""

import pytest

from tests.browser.conftest import accept_confirmations
from tests.factories import TEST_PASSWORD


def login(page, base, username):
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(TEST_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_selector("[data-testid=desk-title]")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_item_from_assignment_to_closing(live_server, browser, people, make_item):
    item = make_item()
    base = live_server.url

    page = browser.new_page()
    asked = accept_confirmations(page)
    login(page, base, "resp")
    page.get_by_role("link", name="落实学校安全隐患排查").first.click()
    page.locator("form[data-step=acknowledge] button").click()
    page.wait_for_selector("text=已签收")
    assert page.locator("[data-testid=item-status]").inner_text().strip() == "已签收"
    page.locator("details:has(form[data-step=report_result]) summary").click()
    page.locator("form[data-step=report_result] textarea").fill("已完成全部 36 所学校排查，整改隐患 12 处。")
    page.locator("form[data-step=report_result] button").click()
    page.wait_for_selector("[data-testid=item-result]")
    assert page.locator("[data-testid=item-status]").inner_text().strip() == "申请办结"
    assert asked == ["确认将此作为最终结果上报？督查员将予以核实。"]
    page.close()

    page = browser.new_page(viewport={"width": 390, "height": 844})  # the officer, on a phone
    asked = accept_confirmations(page)
    login(page, base, "officer")
    page.goto(f"{base}/supervision/{item.pk}/")
    page.locator("form[data-step=accept] button").click()
    page.wait_for_selector("text=已办结")
    assert asked == ["确认核实结果并办结此事项？办结后不能重新打开。"]
    assert page.locator("[data-testid=item-status]").inner_text().strip() == "已办结"
    assert page.locator("[data-testid=timeline] li").count() == 5
