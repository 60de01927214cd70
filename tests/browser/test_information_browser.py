"""In a real browser: a secretary writes an item; the information section approves it, sends it
and records its adoption with a leader's comment; the quarter table shows it, on a desktop and
on a 390 px phone."""

import pytest

from tests.browser.conftest import accept_confirmations, login
from tests.information.conftest import adopt, ip, write  # noqa: F401  (personas)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_item_from_writing_to_adoption_and_the_quarter_table(live_server, browser, ip):  # noqa: F811
    base = live_server.url
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    login(page, base, "sec_a")
    page.goto(f"{base}/information/new/")
    page.get_by_label("标题").fill("我县秋粮收购进度过半")
    page.get_by_label("类别").select_option(label="经济运行")
    page.get_by_label("信息来源").fill("县粮食和物资储备局报送")
    page.get_by_label("正文").fill("截至11月底，全县累计收购秋粮12.6万吨。")
    page.locator("[data-testid=item-save]").click()
    page.wait_for_selector("[data-testid=item-status]")
    assert page.locator("[data-testid=item-status]").inner_text().strip() == "审核中"
    item_url = page.url
    page.close()

    page = browser.new_page(viewport={"width": 1366, "height": 900})
    accept_confirmations(page)
    login(page, base, "reviewer")
    page.goto(item_url)
    page.locator("form[data-step=approve] button").click()
    page.wait_for_selector("text=已审核通过")
    page.locator("form[data-step=send] label:has-text('某市《政务信息》')").click()
    page.locator("form[data-step=send] button[type=submit]").click()
    page.wait_for_selector("text=已报送某市《政务信息》")
    form = page.locator("form[data-step=record_adoption]")
    form.locator("select[name=record_adoption-outlet]").select_option(label="某市《政务信息》")
    form.locator("textarea[name=record_adoption-leader_comment]").fill("请县粮食局做好后续工作。")
    form.locator("input[name=record_adoption-comment_by]").fill("副市长")
    form.locator("button[type=submit]").click()
    page.wait_for_selector("[data-testid=adoption-row]")
    assert "市级" in page.locator("[data-testid=adoption-row]").inner_text()
    page.goto(f"{base}/information/quarter/")
    row = page.locator("[data-testid=quarter-row]", has_text="何思源")
    # city level, full text: 3 points, + 5 for the leader's comment; 1 of the quota of 2
    assert row.locator("[data-testid=points]").inner_text().strip() == "8"
    assert row.locator("[data-testid=quota]").inner_text().strip() == "1/2"
    assert page.locator("[data-testid=quarter-row]").count() == 5
    page.screenshot(path="/tmp/rules_quarter_1366.png", full_page=True)
    page.close()

    page = browser.new_page(viewport={"width": 390, "height": 844})  # the author's section chief, on a phone
    login(page, base, "mskchief")
    page.goto(f"{base}/information/quarter/")
    row = page.locator("[data-testid=quarter-row]", has_text="何思源")
    assert row.locator("[data-testid=points]").inner_text().strip() == "8"
    assert row.locator("[data-testid=points]").is_visible() and row.locator("[data-testid=quota]").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path="/tmp/rules_quarter_390.png", full_page=True)
    page.close()
