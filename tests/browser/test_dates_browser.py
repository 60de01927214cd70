"""In a real browser: picking a deadline on a day off tells, before saving, the date that
applies; saving stores that date and says so."""

import datetime as dt

import pytest

from office.workdays import WorkCalendar
from tests.browser.test_supervision_browser import login


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_extension_to_a_sunday_shows_and_stores_the_next_working_day(live_server, browser, people,
                                                                       make_item):
    item = make_item()
    cal = WorkCalendar.load()
    sunday = item.deadline + dt.timedelta(days=7)
    while sunday.weekday() != 6:
        sunday += dt.timedelta(days=1)
    applies = cal.deadline_on(sunday)
    page = browser.new_page()
    login(page, live_server.url, "resp")
    page.goto(f"{live_server.url}/supervision/{item.pk}/")
    page.locator("details:has(form[data-step=request_extension]) summary").click()
    form = page.locator("form[data-step=request_extension]")
    form.locator("input[data-date]").fill(sunday.isoformat())
    form.locator("input[data-date]").dispatch_event("change")
    hint = form.locator("[data-testid=deadline-hint]")
    hint.wait_for()
    assert f"期限顺延至下一个工作日 {applies.isoformat()}" in hint.inner_text()
    form.locator("textarea").fill("需要等待省里批复。")
    form.locator("button[type=submit]").click()
    page.wait_for_selector(f"text=延期至 {applies.isoformat()}。")
    page.close()
