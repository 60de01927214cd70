"""In a real browser, at 1366 and 390 px: each role's desk shows its queue (work before the
notifications on a phone, no sideways scroll), and a notification resolves itself when the
action it asked for is done. Screenshots go to /tmp/desk_shots/ (looked at before resolving)."""

import datetime as dt
from pathlib import Path

import pytest
from django.utils import timezone

from documents import workflow
from tests.browser.conftest import login

SHOTS = Path("/tmp/desk_shots")


def _documents(dp, register_doc):
    now = timezone.now() - dt.timedelta(minutes=5)
    register_doc(title="关于做好冬季供暖保障工作的通知", received_at=now, sender_number="某政办发〔2026〕70号")
    register_doc(title="关于立即开展森林防火隐患排查的紧急通知", received_at=now, urgency="teji",
                 sender_number="某政办发〔2026〕71号")
    to_propose = register_doc(title="关于报送2026年民生实事完成情况的通知", received_at=now,
                              sender_number="某政办发〔2026〕72号")
    workflow.submit_for_proposal(document=to_propose, acting_user=dp.clerk)
    to_instruct = register_doc(title="关于召开全市安全生产工作会议的通知", received_at=now,
                               sender_number="某政办发〔2026〕73号")
    workflow.submit_for_proposal(document=to_instruct, acting_user=dp.clerk)
    workflow.propose(document=to_instruct, acting_user=dp.director, proposal="请王县长阅示，建议由应急局牵头落实。",
                     leaders=[dp.leader])
    to_handle = register_doc(title="关于下达2026年第四季度资金预算的通知", received_at=now,
                             sender_number="某政办发〔2026〕76号")
    workflow.submit_for_proposal(document=to_handle, acting_user=dp.clerk)
    workflow.assign_handling(document=to_handle, acting_user=dp.director, lead_unit=dp.czj, handler=dp.handler,
                             deadline=timezone.localdate() + dt.timedelta(days=7))
    to_read = register_doc(title="关于印发《某市政务信息工作要点》的通知", received_at=now, handling="read",
                           sender_number="某政办发〔2026〕74号")
    workflow.circulate(document=to_read, acting_user=dp.clerk, readers=[dp.reader])
    return to_read


def _no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("width", [1366, 390])
def test_each_role_sees_its_queue_and_a_notification_resolves_itself(live_server, browser, dp, register_doc,
                                                                      settings, width):
    settings.MFA_REQUIRED_ROLES = []
    SHOTS.mkdir(parents=True, exist_ok=True)
    to_read = _documents(dp, register_doc)
    expected = {"clerk": ("intake", 2), "director": ("propose", 1), "leader": ("instruct", 1),
                "reader": ("read", 1), "handler": ("handle", 1)}
    for who, (queue, count) in expected.items():
        context = browser.new_context(viewport={"width": width, "height": 900})
        page = context.new_page()
        login(page, live_server.url, who)
        page.goto(f"{live_server.url}/")
        box = page.get_by_test_id(f"desk-queue-{queue}")
        assert box.get_by_test_id("desk-row").count() == count
        assert box.get_by_test_id("queue-count").inner_text() == str(count)
        assert _no_sideways_scroll(page)
        if width < 768:  # on a phone the work comes before the notifications
            work = page.locator("#desk-work").bounding_box()
            notes = page.locator("#desk-notifications").bounding_box()
            assert work["y"] < notes["y"]
        page.screenshot(path=str(SHOTS / f"desk-{who}-{width}.png"), full_page=True)
        if who == "clerk":
            assert "特急" in box.get_by_test_id("desk-row").first.inner_text()
            assert page.get_by_test_id("queue-action").inner_text() == "登记收文"
        if who == "leader":
            box.get_by_test_id("row-action").first.click()
            page.wait_for_selector("[data-testid=instruct-brief]")
            assert "请王县长阅示" in page.get_by_test_id("brief-proposal").inner_text()
            assert "附件：无" in page.get_by_test_id("brief-attachments").inner_text()
            page.get_by_test_id("phrases").get_by_role("button", name="同意。").click()
            assert page.locator("#id_instruct-text").input_value() == "同意。"
            page.screenshot(path=str(SHOTS / f"instruct-{width}.png"), full_page=True)
        if who == "reader":
            assert page.locator("#unread-badge").first.inner_text() == "1"
            box.get_by_test_id("row-action").first.click()
            page.locator("form[data-step=read_copy] button").click()
            page.wait_for_selector("[data-state=read]")
            page.goto(f"{live_server.url}/")
            assert page.locator("#unread-badge").first.inner_text() == "0"
            assert page.get_by_test_id("desk-queue-read").get_by_test_id("desk-row").count() == 0
            page.screenshot(path=str(SHOTS / f"desk-reader-after-{width}.png"), full_page=True)
            page.goto(f"{live_server.url}/notifications/")
            assert "已完成" in page.content()  # the notification is resolved (she did it herself)
        context.close()
    assert to_read.circulations.get().read_at is not None


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_desk_in_english_on_a_phone(live_server, browser, dp, register_doc, settings):
    settings.MFA_REQUIRED_ROLES = []
    SHOTS.mkdir(parents=True, exist_ok=True)
    now = timezone.now() - dt.timedelta(minutes=5)
    doc = register_doc(title="关于立即开展森林防火隐患排查的紧急通知", received_at=now, urgency="teji",
                       handling="read", sender_number="某政办发〔2026〕75号")
    workflow.circulate(document=doc, acting_user=dp.clerk, readers=[dp.reader])
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    login(page, live_server.url, "reader")
    page.goto(f"{live_server.url}/")
    page.locator(".navbar-toggler").click()  # the language switch sits in the folded menu
    page.get_by_role("button", name="English").click()
    page.wait_for_selector("html[lang=en]", state="attached")
    row = page.get_by_test_id("desk-queue-read").get_by_test_id("desk-row")
    assert "Very urgent" in row.inner_text()
    assert page.get_by_test_id("desk-notification").first.inner_text().startswith("To read: ")
    assert _no_sideways_scroll(page)
    page.screenshot(path=str(SHOTS / "desk-reader-english-390.png"), full_page=True)
    context.close()
