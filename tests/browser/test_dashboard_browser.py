"""In a real browser, on the demo office: the county leader opens the dashboard on a desktop and
on a phone (390 px) and follows a figure to its list, which has exactly that many rows."""

import os

import pytest

from tests.browser.conftest import login
from tests.dashboard.conftest import thicken

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}
SHOTS = os.environ.get("DASH_SHOTS", "")


def _shot(page, name):
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, name), full_page=True)


def _follow(page, base, key, rows):
    figure = page.locator(f'[data-figure="{key}"]').first
    value = int(figure.locator(".zb-dash-fig-value").inner_text().strip().lstrip("⚠ "))
    figure.click()
    page.wait_for_load_state()
    assert page.locator(f"[data-testid={rows}]").count() == value
    return value


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_leader_opens_the_dashboard_and_follows_a_figure_to_its_list(live_server, browser, demo_office):
    thicken()
    base = live_server.url
    page = browser.new_page(viewport=DESKTOP)
    errors = []
    page.on("console", lambda m: errors.append(f"{page.url} {m.text}") if m.type == "error" else None)
    login(page, base, "wangjg", "Zhengban@2026")
    page.get_by_role("link", name="驾驶舱").first.click()
    page.wait_for_selector("[data-testid=panel-supervision]")
    assert page.locator("[data-testid=dashboard-scope]").inner_text() == "全县"
    assert page.locator("[data-testid=trend-bar]").count() == 30
    _shot(page, "dashboard-1366.png")
    overdue = _follow(page, base, "supervision.all.overdue", "item-row")
    assert overdue > 0 and "level=overdue" in page.url
    _shot(page, "dashboard-1366-overdue-list.png")
    page.close()

    page = browser.new_page(viewport=PHONE)
    login(page, base, "wangjg", "Zhengban@2026", steps_ahead=1)
    page.goto(f"{base}/dashboard/")
    page.wait_for_selector("[data-testid=panel-meetings]")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]  # no sideways scrolling
    _shot(page, "dashboard-390.png")
    coming = _follow(page, base, "meetings.coming", "meeting-row")
    assert "within=7" in page.url and coming >= 0
    _shot(page, "dashboard-390-meetings.png")
    page.close()

    page = browser.new_page(viewport=DESKTOP)  # the office director: every panel, the office's scope
    page.on("console", lambda m: errors.append(f"{page.url} {m.text}") if m.type == "error" else None)
    login(page, base, "chenzq", "Zhengban@2026")
    page.goto(f"{base}/dashboard/")
    page.wait_for_selector("[data-testid=panel-study]")
    assert page.locator("[data-testid=quota-row]").count() > 0
    _shot(page, "dashboard-1366-director.png")
    page.close()
    # this page's own (the desk the login lands on is other work's)
    assert [e for e in errors if "/dashboard/" in e.split(" ")[0] and "Content Security Policy" in e] == []
