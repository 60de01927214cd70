"""Every list page reads on a phone (390 px) and on a desktop (1366 px), for every demo role.

The pages are enumerated from the URLconfs: every parameter-free HTML page of the workflow apps
and the core (lists, boards, reports, forms), plus the detail page of one object of each kind.
Each is opened as every demo login that may see it; a page must not scroll sideways
(``scrollWidth <= clientWidth``) and each list's title cells (``td.zb-title``) must be at least
eight characters wide. Screenshots go to ``$PHONE_SHOTS`` (default ``/tmp/phone_shots``).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from office.demo import DEMO_PASSWORD
from tests.browser.conftest import login

# The demo logins of the business roles (README "Demo logins"), one per role or more.
BUSINESS_LOGINS = ["zhengxl", "hesy", "wuj", "chenzq", "wangjg", "czj_contact", "tangy"]
NOT_PAGES = re.compile(r"\.(xlsx|ics|pdf|csv)$")

# Width check run in the page: the document and each title cell.
MEASURE = """() => {
  const doc = document.scrollingElement;
  const titles = [];
  document.querySelectorAll("table.table-zb td.zb-title").forEach((td) => {
    if (!td.offsetParent) return;                   // hidden
    const em = parseFloat(getComputedStyle(td).fontSize);
    titles.push({text: td.textContent.trim().slice(0, 20), width: td.getBoundingClientRect().width, em});
  });
  const wide = [];
  document.querySelectorAll("body *").forEach((el) => {
    const r = el.getBoundingClientRect();
    if (r.right > doc.clientWidth + 1 && el.offsetParent && !el.closest(".table-responsive, .zb-scroll"))
      wide.push(el.tagName.toLowerCase() + "." + el.className);
  });
  return {scrollWidth: doc.scrollWidth, clientWidth: doc.clientWidth, titles, wide: wide.slice(0, 5),
          tables: document.querySelectorAll("table.table-zb").length};
}"""


def parameter_free_pages() -> list[str]:
    """Every route of the product's namespaced apps (not the admin's) without a parameter,
    except downloads; pages a role may not open, POST-only URLs and fragments are skipped
    when visited."""
    found: list[str] = []

    def walk(patterns, prefix: str, namespace: str | None) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, prefix + str(p.pattern), p.namespace or namespace)
            elif isinstance(p, URLPattern) and namespace not in (None, "admin"):
                route = prefix + str(p.pattern)
                if "<" not in route and not NOT_PAGES.search(route):
                    found.append("/" + route)

    walk(get_resolver().url_patterns, "", None)
    return sorted(set(found))


def detail_pages() -> list[str]:
    from documents.models import IncomingDocument
    from documents.outgoing.models import OutgoingDocument
    from meetings.models import Meeting, Topic
    from office.models import Rule
    from supervision.models import Item

    urls = []
    for model in (IncomingDocument, OutgoingDocument, Item, Meeting, Topic, Rule):
        # the object with the most history: the page with the most tables
        obj = model.objects.order_by("-pk").first() if model is not IncomingDocument else \
            model.objects.exclude(status="registered").order_by("pk").first()
        if obj is not None:
            urls.append(obj.get_absolute_url())
    return urls


def check_every_page(browser, base: str, width: int, shots: Path) -> tuple[dict, list[str]]:
    pages = parameter_free_pages() + detail_pages()
    seen: dict[str, list[str]] = {}
    failures: list[str] = []
    for username in BUSINESS_LOGINS:
        context = browser.new_context(viewport={"width": width, "height": 844 if width < 500 else 900},
                                      locale="zh-CN")
        page = context.new_page()
        login(page, base, username, DEMO_PASSWORD)
        for url in pages:
            probe = page.request.get(base + url)  # the session's cookies; POST-only URLs answer 405
            if probe.status != 200 or "text/html" not in probe.headers.get("content-type", "") \
                    or "<main" not in probe.text():
                continue
            page.goto(base + url)
            page.wait_for_load_state("load")
            seen.setdefault(url, []).append(username)
            m = page.evaluate(MEASURE)
            name = f"{width}-{username}-{url.strip('/').replace('/', '_') or 'desk'}.png"
            page.screenshot(path=str(shots / name), full_page=True)
            if m["scrollWidth"] > m["clientWidth"]:
                failures.append(f"{width}px {username} {url}: scrolls sideways "
                                f"({m['scrollWidth']} > {m['clientWidth']}; {m['wide']})")
            for t in m["titles"]:
                if t["width"] < 8 * t["em"] - 0.5:
                    failures.append(f"{width}px {username} {url}: title cell “{t['text']}” is "
                                    f"{t['width']:.0f}px, under 8 characters ({8 * t['em']:.0f}px)")
        context.close()
    return seen, failures


MUST_SEE = ["/", "/notifications/", "/rules/", "/documents/", "/documents/board/", "/documents/returned/",
            "/documents/outgoing/", "/supervision/", "/supervision/report/", "/meetings/",
            "/meetings/discipline/", "/meetings/topics/", "/meetings/calendar/", "/information/",
            "/study/", "/research/", "/dashboard/"]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("width", [390, 1366])
def test_no_list_page_scrolls_sideways_and_titles_stay_readable(width, live_server, browser, demo_office):
    shots = Path(os.environ.get("PHONE_SHOTS", "/tmp/phone_shots"))
    shots.mkdir(parents=True, exist_ok=True)

    seen, failures = check_every_page(browser, live_server.url, width, shots)

    assert [url for url in MUST_SEE if url not in seen] == []
    assert failures == []


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("width", [390, 1366])
def test_the_director_picks_units_and_people_by_pinyin_without_ctrl_click(width, live_server, browser, people):
    from office.models import Unit
    from supervision.models import Item
    from tests.factories import UnitFactory

    towns = [UnitFactory(code=f"T{k:02d}", name=f"第{k}乡", kind=Unit.Kind.TOWNSHIP) for k in range(1, 8)]
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    login(page, live_server.url, "director")
    page.goto(f"{live_server.url}/supervision/new/")
    page.get_by_label("标题").fill("落实校舍安全排查")
    page.get_by_label("督办要求").fill("全面排查，按期报送。")

    page.locator("#id_lead_unit-ts-control").click()
    page.locator("#id_lead_unit-ts-control").press_sequentially("xjyj")  # 县教育局 by its initials
    page.locator("#id_lead_unit-ts-dropdown .option", has_text="县教育局").click()
    page.locator("#id_responsible-ts-control").click()
    page.locator("#id_responsible-ts-dropdown").wait_for()
    offered = page.locator("#id_responsible-ts-dropdown .option").all_inner_texts()
    assert sorted(o for o in offered if o != "请选择") == ["县教育局 · 张承办", "县教育局 · 教育局长"]
    page.locator("#id_responsible-ts-control").press_sequentially("zcb")
    page.locator("#id_responsible-ts-dropdown .option", has_text="张承办").click()

    page.keyboard.press("Escape")
    control = page.locator("#id_co_units-ts-control")
    for town in towns:                                          # one click each, no Ctrl
        option = page.locator("#id_co_units-ts-dropdown .option", has_text=town.name).first
        for _attempt in range(4):                               # the list may close between clicks
            if not option.is_visible():
                control.click()
            try:
                option.click(timeout=4000)
                break
            except PlaywrightTimeout:
                continue
    assert page.locator("#id_co_units").evaluate("s => s.selectedOptions.length") == len(towns)
    page.keyboard.press("Escape")
    page.locator("input[name=deadline]").fill("2026-12-18")
    assert page.evaluate("document.scrollingElement.scrollWidth <= document.scrollingElement.clientWidth")
    page.screenshot(path=f"{os.environ.get('PHONE_SHOTS', '/tmp/phone_shots')}/{width}-pickers.png", full_page=True)
    page.get_by_role("button", name="立项").click()
    page.wait_for_load_state()

    item = Item.objects.get(title="落实校舍安全排查")
    assert (item.lead_unit, item.responsible) == (people.lead, people.responsible)
    assert set(item.co_units.all()) == set(towns)
    context.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("width", [390, 1366])
def test_the_admin_reads_chinese_and_does_not_scroll_sideways(width, live_server, browser, demo_office):
    """Each administrator opens the admin and every list of it they may see."""
    from django.contrib import admin

    shots = Path(os.environ.get("PHONE_SHOTS", "/tmp/phone_shots"))
    shots.mkdir(parents=True, exist_ok=True)
    lists = ["/admin/"] + [f"/admin/{m._meta.app_label}/{m._meta.model_name}/" for m in admin.site._registry]
    failures, seen = [], 0
    for username in ("sysadmin", "secadmin", "auditadmin"):
        context = browser.new_context(viewport={"width": width, "height": 900})
        page = context.new_page()
        login(page, live_server.url, username, DEMO_PASSWORD)
        for url in lists:
            if page.request.get(live_server.url + url).status != 200:
                continue
            page.goto(live_server.url + url)
            seen += 1
            page.screenshot(path=str(shots / f"{width}-{username}-admin-{url.strip('/').replace('/', '_')}.png"))
            m = page.evaluate("[document.scrollingElement.scrollWidth, document.scrollingElement.clientWidth]")
            if m[0] > m[1]:
                failures.append(f"{width}px {username} {url}: scrolls sideways {m}")
            text = page.locator("#content").inner_text()
            for english in ("Access attempts", "audit_admin", "clerk", "Choose all"):
                if english in text:
                    failures.append(f"{width}px {username} {url}: shows “{english}”")
        context.close()

    assert seen >= 10
    assert failures == []
