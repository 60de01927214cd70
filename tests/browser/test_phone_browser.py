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

from office.demo import DEMO_PASSWORD
from tests.browser.conftest import login

# The demo logins of the business roles (README "Demo logins"), one per role or more.
BUSINESS_LOGINS = ["zhengxl", "hesy", "wuj", "chenzq", "wangjg", "czj_contact", "tangy"]
APP_NAMESPACES = {"office", "documents", "supervision", "meetings"}
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
    """Every GET route of the apps without a parameter, except downloads."""
    found: list[str] = []

    def walk(patterns, prefix: str, namespace: str | None) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, prefix + str(p.pattern), p.namespace or namespace)
            elif isinstance(p, URLPattern) and namespace in APP_NAMESPACES:
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
            "/meetings/discipline/", "/meetings/topics/", "/meetings/calendar/"]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("width", [390, 1366])
def test_no_list_page_scrolls_sideways_and_titles_stay_readable(width, live_server, browser, demo_office):
    shots = Path(os.environ.get("PHONE_SHOTS", "/tmp/phone_shots"))
    shots.mkdir(parents=True, exist_ok=True)

    seen, failures = check_every_page(browser, live_server.url, width, shots)

    assert [url for url in MUST_SEE if url not in seen] == []
    assert failures == []
