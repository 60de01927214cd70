"""In a real browser: the clerk registers an urgent document and circulates it; the reader
sees it on the desk and marks it read."""

import pytest

from documents.models import IncomingDocument
from tests.factories import TEST_PASSWORD


def login(page, base, username):
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(TEST_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_selector("[data-testid=desk-title]")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_register_an_urgent_document_and_circulate_it(live_server, browser, dp):
    base = live_server.url
    page = browser.new_page()
    login(page, base, "clerk")
    page.goto(f"{base}/documents/new/")
    page.fill("#id_sender_name", "市政府办")
    page.fill("#id_sender_number", "某政办发〔2026〕88号")
    page.fill("#id_title", "关于立即开展森林防火隐患排查的紧急通知")
    page.select_option("#id_doc_type", label="通知")
    page.check("#id_handling_0")  # 阅件
    page.select_option("#id_urgency", value="teji")
    page.dblclick("[data-testid=register-submit]")  # an impatient double click registers once
    page.wait_for_selector("[data-testid=doc-title]")
    doc = IncomingDocument.objects.get()
    assert doc.number.startswith("收〔") and doc.urgency == "teji"
    assert page.locator("[data-testid=doc-status]").inner_text().strip() == "已登记待处理"

    form = page.locator("form[data-step=circulate]")
    form.locator("select").select_option(label=f"{dp.msk} · {dp.reader.full_name}")
    form.locator("button").click()
    page.wait_for_selector("[data-testid=copy]")
    assert page.locator("[data-testid=doc-status]").inner_text().strip() == "传阅中"
    assert page.locator("[data-testid=copy]").get_attribute("data-state") == "not_opened"
    page.close()

    page = browser.new_page(viewport={"width": 390, "height": 844})  # the reader, on a phone
    login(page, base, "reader")
    # the desk lists it under "to read" (and the unread notification says so too)
    page.get_by_test_id("desk-queue-read").get_by_test_id("desk-row").get_by_role(
        "link", name="关于立即开展森林防火隐患排查的紧急通知").click()
    page.locator("form[data-step=read_copy] button").click()
    page.wait_for_selector("[data-state=read]")
    doc.refresh_from_db()
    assert doc.circulations.get().state == "read"
