"""In a real browser: a secretary drafts a notice, the section chief and the director pass it, the
director signs it off, the document office numbers, seals, prints and dispatches it, and a
recipient unit's contact signs for it on a phone."""

import pytest

from documents.outgoing.models import OutgoingDocument
from tests.browser.conftest import accept_confirmations, login


def act(page, step: str, fields: dict | None = None):
    """Open the step's form on the next-action card, fill it and send it."""
    form = page.locator(f"form[data-step={step}]")
    summary = page.locator(f"details:has(form[data-step={step}]) summary")
    if summary.count() and not form.is_visible():
        summary.click()
    for name, value in (fields or {}).items():
        form.locator(f"[name='{step}-{name}']").fill(value)
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_notice_from_draft_to_signed_for(live_server, browser, og, settings):
    base = live_server.url
    page = browser.new_page()
    asked = accept_confirmations(page)
    login(page, base, "sec")
    page.goto(f"{base}/documents/outgoing/new/")
    page.select_option("#id_doc_type", label="通知")
    page.select_option("#id_authority", label="某县人民政府办公室")
    page.select_option("#id_code", label="某政办发（某县人民政府办公室）")
    page.fill("#id_title", "某县人民政府办公室关于做好冬季森林防火工作的通知")
    page.select_option("#id_main_recipients", label=str(og.jyj))
    page.fill("#id_body", "一、压实责任\n各单位要落实防火责任。\n二、加强巡查\n请于12月10日前报送情况。")
    page.click("[data-testid=draft-save]")
    page.wait_for_selector("[data-testid=out-title]")
    doc = OutgoingDocument.objects.get()
    act(page, "submit")
    assert page.locator("[data-testid=out-status]").inner_text() == "科长核稿"
    page.close()

    for user, steps in [("chief", [("review", {})]),
                        ("director", [("review", {"necessity": "部署全县冬季森林防火，须发文。"}),
                                      ("sign_off", {"opinion": "同意"})]),
                        ("clerk", [("recheck", {}), ("assign_number", {}), ("apply_seal", {}),
                                   ("print_document", {}), ("dispatch", {})])]:
        page = browser.new_page()
        asked = accept_confirmations(page)
        login(page, base, user)
        page.goto(f"{base}{doc.get_absolute_url()}")
        for step, fields in steps:
            act(page, step, fields)
        page.close()
    doc.refresh_from_db()
    assert doc.status == "dispatched" and doc.number.startswith("某政办发〔")
    assert asked == ["确认现在为此文件编号？文号一经编出，不再重复使用。",
                     "确认对此文件用印？本次用印将记入用印登记。", "确认现在向全部受文单位核发？"]

    page = browser.new_page(viewport={"width": 390, "height": 844})  # the recipient, on a phone
    login(page, base, "contact")
    page.goto(f"{base}{doc.get_absolute_url()}")
    assert "加盖电子签名，此后未被改动" in page.locator("[data-testid=signature]").inner_text()
    page.click("[data-testid=sign-for]")
    page.wait_for_selector("[data-testid=distribution][data-signed=yes]")
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    assert doc.distributions.get(unit=og.jyj).signed_for_by == og.contact
