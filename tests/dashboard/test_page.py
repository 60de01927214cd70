"""The page: a fixed number of queries at two sizes of history; the in-place refresh does not
keep the idle session alive."""

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext

from office.dashboard import selectors
from office.models import User
from tests.dashboard.conftest import PERSONAS, thicken


def _queries(client, user) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as selector:
        selectors.dashboard(user)
    client.force_login(user)
    with CaptureQueriesContext(connection) as page:
        assert client.get("/dashboard/").status_code == 200
    return len(selector), len(page)


def test_the_dashboard_runs_the_same_queries_however_large_the_history(demo_office, client):
    users = [User.objects.get(username=name) for name in PERSONAS]
    thicken(seed=1, documents=10, items=10)
    for user in users:  # warm the per-process caches (settings rows) first
        selectors.dashboard(user)
    small = [_queries(client, u) for u in users]
    thicken(seed=2, documents=300, items=200)
    large = [_queries(client, u) for u in users]
    assert small == large
    # leader, director, section chief: (selectors, whole page)
    assert small == [(22, 33), (18, 28), (20, 31)]


def test_the_refresh_is_a_poll_that_does_not_renew_the_idle_session(demo_office, client):
    user = User.objects.get(username="wangjg")
    client.force_login(user)
    page = client.get("/dashboard/").content.decode()
    refresher = re.search(r'<div id="dashboard"[^>]*>', page).group(0)
    assert 'hx-get="/dashboard/"' in refresher and "hx-trigger=\"every 180s\"" in refresher
    assert "X-Zhengban-Poll" in refresher

    session = client.session
    session["last_activity"] = 1000
    session.save()
    before = client.session.get_expiry_date()
    polled = client.get("/dashboard/", headers={"HX-Request": "true", "X-Zhengban-Poll": "1"})
    assert polled.status_code == 200
    assert b'data-testid="panel-incoming"' in polled.content and b"<html" not in polled.content
    assert "sessionid" not in polled.cookies  # nothing saved: the expiry is not renewed
    assert client.session["last_activity"] == 1000 and client.session.get_expiry_date() >= before

    clicked = client.get("/dashboard/", headers={"HX-Request": "true"})  # a person's own request
    assert "sessionid" in clicked.cookies
    assert client.session["last_activity"] > 1000
