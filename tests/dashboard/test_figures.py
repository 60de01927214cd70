"""Every figure on the dashboard is the length of the list it links to: for each role, follow
every figure's link and compare with the list page's own paginator count."""

import datetime as dt

import pytest
from django.utils import timezone

from office.dashboard import selectors
from office.models import User
from tests.dashboard.conftest import PERSONAS, frozen, list_count


@pytest.mark.parametrize("username", PERSONAS)
def test_every_figure_equals_the_length_of_the_list_it_opens(office, client, username):
    user = User.objects.get(username=username)
    moment = timezone.now().replace(microsecond=0)
    with frozen(moment):
        data = selectors.dashboard(user)
        client.force_login(user)
        page = client.get("/dashboard/").content.decode()
        mismatches, nonzero = [], 0
        for figure in data.figures:
            assert f'href="{figure.url.replace("&", "&amp;")}"' in page, figure.key  # the page links it
            response = client.get(figure.url)
            assert response.status_code == 200, figure.url
            if list_count(response, figure.key) != figure.value:
                mismatches.append((figure.key, figure.value, list_count(response, figure.key), figure.url))
            nonzero += bool(figure.value)
    assert mismatches == []
    assert nonzero >= 8  # the fixture gives every panel something to count


def test_the_roles_see_their_own_scope(office):
    scopes = {name: selectors.scope_for(User.objects.get(username=name)) for name in PERSONAS}
    assert [scopes[n].kind for n in PERSONAS] == ["county", "office", "section"]
    assert scopes["wuj"].supervision_scope == "unit" and scopes["wuj"].outgoing_unit == User.objects.get(
        username="wuj").unit_id
    assert selectors.scope_for(User.objects.get(username="hesy")) is None


def test_the_information_quotas_and_the_study_day_are_on_the_page_for_those_who_take_part(office):
    director = selectors.dashboard(User.objects.get(username="chenzq"))
    assert director.information.secretaries.value == len(director.information.rows) > 0
    assert director.study.sessions and all(s.fig_expected.value >= s.fig_present.value for s in director.study.sessions)
    leader = selectors.dashboard(User.objects.get(username="wangjg"))
    assert leader.information is not None and leader.study is None  # leaders do not sign in to study day


def test_a_secretary_and_an_administrator_get_no_dashboard(office, client):
    for name in ("hesy", "sysadmin"):
        client.force_login(User.objects.get(username=name))
        assert client.get("/dashboard/").status_code == 403


def test_the_trend_has_thirty_days_ending_today(office):
    data = selectors.dashboard(User.objects.get(username="chenzq"))
    days = [d.day for d in data.incoming.trend]
    assert days == [timezone.localdate() - dt.timedelta(days=29 - i) for i in range(30)]
    assert data.incoming.received_30.value == sum(d.received.value for d in data.incoming.trend)
