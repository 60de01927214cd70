"""In a real browser, from topic submission to signed minutes: a unit submits a topic with its
material, the section chief screens it, the presiding leader approves (on a phone), the office
sends the notice and marks the meeting ready, an attendee signs in with the QR link on a phone,
the minute-taker records minutes and a decision and drafts the 纪要, the chief reviews it, and
the leader signs it off (on a phone)."""

import datetime as dt

import pytest
from django.utils import timezone

from meetings import signin, workflow
from meetings.models import Meeting
from tests.browser.conftest import accept_confirmations, login
from tests.meetings.conftest import in_days, mp  # noqa: F401  (the meeting personas)

PHONE = {"width": 390, "height": 844}


def _open(page, step):
    details = page.locator(f"details:has(form[data-step={step}])")
    if details.count() and details.get_attribute("open") is None:
        details.locator("summary").click()


def _submit(page, step, expect):
    page.locator(f"form[data-step={step}] button[type=submit]").click()
    page.wait_for_selector(f"text={expect}")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_from_topic_submission_to_signed_minutes(live_server, browser, mp, tmp_path):  # noqa: F811
    from django_otp.plugins.otp_totp.models import TOTPDevice

    base = live_server.url
    for leader in (mp.leader, mp.vice):  # county leaders log in with a second factor
        TOTPDevice.objects.create(user=leader, name="phone", confirmed=True)
    meeting = workflow.create_meeting(acting_user=mp.organiser, type=mp.type, title="县政府第12次常务会议",
                                      starts_at=in_days(10), ends_at=in_days(10, 11), room=mp.room, clerk=mp.clerk)
    material = tmp_path / "学位扩容方案.txt"
    material.write_text("城关二小扩建方案", encoding="utf-8")

    # the unit submits its topic (desktop)
    page = browser.new_page()
    login(page, base, "contact")
    page.goto(f"{base}/meetings/topics/")
    page.get_by_role("link", name="提交议题").last.click()
    page.get_by_label("标题").fill("关于城区学位扩容的请示")
    page.get_by_label("背景情况").fill("城关镇三所小学班额超标，2027年秋季预计缺口学位约600个。")
    page.get_by_label("请求会议研究事项").fill("研究同意实施城关二小扩建工程。")
    page.locator("input[type=file]").set_input_files(str(material))
    page.locator("[data-testid=topic-submit]").click()
    page.wait_for_selector("text=待筛选")
    page.close()

    # the section chief screens it onto the agenda
    page = browser.new_page()
    login(page, base, "chief")
    page.goto(f"{base}{meeting.get_absolute_url()}")
    page.get_by_role("link", name="关于城区学位扩容的请示").click()
    _open(page, "screen")
    page.locator("input[name=screen-decision][value=accept]").check()
    _submit(page, "screen", "已列入议程第 1 项")
    page.close()

    # the office sends it for approval
    page = browser.new_page()
    login(page, base, "organiser")
    page.goto(f"{base}{meeting.get_absolute_url()}")
    _submit(page, "submit_for_approval", "报送王县长审定")
    page.close()

    # the presiding leader approves, on a phone
    page = browser.new_page(viewport=PHONE)
    asked = accept_confirmations(page)
    login(page, base, "leader")
    page.goto(f"{base}{meeting.get_absolute_url()}")
    _open(page, "approve")
    page.locator("form[data-step=approve] textarea").fill("同意。")
    _submit(page, "approve", "已审定")
    assert asked == ["确认审定此议程和参会人员？审定后即可发出会议通知。"]
    page.close()

    # the office sends the notice, ticks the checklist and marks the meeting ready
    page = browser.new_page()
    accept_confirmations(page)
    login(page, base, "organiser")
    page.goto(f"{base}{meeting.get_absolute_url()}")
    _submit(page, "send_notice", "已通知 3 人参加")
    _open(page, "check")
    for box in page.locator("form[data-step=check] input[type=checkbox]").all():
        box.check()
    _submit(page, "check", "已完成 2 / 2 项")
    _submit(page, "mark_ready", "已准备就绪")
    assert page.locator("[data-testid=meeting-status]").inner_text().strip() == "已就绪"
    page.close()

    # the meeting begins (time passes)
    now = timezone.now().replace(second=0, microsecond=0)
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=now - dt.timedelta(minutes=2),
                                                 ends_at=now + dt.timedelta(minutes=90))
    meeting.refresh_from_db()
    Meeting.objects.get(pk=meeting.pk).bookings.update(starts_at=meeting.starts_at, ends_at=meeting.ends_at)

    # an attendee scans the QR code with a phone
    page = browser.new_page(viewport=PHONE)
    login(page, base, "vice")
    page.goto(f"{base}/meetings/{meeting.pk}/signin/?t={signin.make_token(meeting)}")
    page.locator("[data-testid=signin-submit]").click()
    page.wait_for_selector("text=迟到 2 分钟")
    page.close()

    # the minute-taker: minutes, a decision, the end of the meeting, the draft 纪要
    page = browser.new_page()
    accept_confirmations(page)
    login(page, base, "mclerk")
    page.goto(f"{base}{meeting.get_absolute_url()}")
    _open(page, "record_minutes")
    page.locator("form[data-step=record_minutes] select").select_option(index=1)
    page.locator("form[data-step=record_minutes] textarea").fill("县教育局汇报了学位缺口情况，与会同志原则同意。")
    _submit(page, "record_minutes", "会议记录")
    _open(page, "add_decision")
    form = page.locator("form[data-step=add_decision]")
    form.locator("select[name=add_decision-topic]").select_option(index=1)
    form.locator("textarea").fill("县教育局会同县财政局落实城关二小扩建资金。")
    form.locator("select[name=add_decision-unit]").select_option(label="县教育局")
    form.locator("select[name=add_decision-responsible]").select_option(label="县教育局 · 教育联络员")
    form.locator("input[name=add_decision-deadline]").fill(
        mp.cal.add_working_days(timezone.localdate(), 10).isoformat())
    _submit(page, "add_decision", "已记录议定事项")
    _submit(page, "conclude", "请起草会议纪要")
    _submit(page, "draft_summary", "已根据会议记录和议定事项起草纪要")
    _submit(page, "submit_summary", "纪要已送核稿")
    page.close()

    # the chief reviews, the leader signs off on a phone
    page = browser.new_page()
    login(page, base, "chief")
    page.goto(f"{base}{meeting.get_absolute_url()}")
    _open(page, "review_summary")
    page.locator("input[name=review_summary-approve][value=yes]").check()
    _submit(page, "review_summary", "纪要核稿通过")
    page.close()

    page = browser.new_page(viewport=PHONE)
    asked = accept_confirmations(page)
    login(page, base, "leader", steps_ahead=1)  # a second login: the next code (a used one is refused)
    page.goto(f"{base}{meeting.get_absolute_url()}")
    _submit(page, "sign_summary", "已签发印发")
    number = f"县政常纪〔{timezone.localdate().year}〕1号"
    assert page.locator("[data-testid=summary-number]").inner_text() == number
    assert page.locator("[data-testid=meeting-status]").inner_text().strip() == "纪要已印发"
    assert asked == ["确认签发纪要？签发后将编号印发，不能再修改。"]
    # the page reads well on the phone: nothing wider than the screen
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"]
    page.close()
