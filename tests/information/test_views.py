"""The pages: create with a one-time token, the item page's steps, visibility (404), the quarter
page with Excel and PDF, closing a quarter; fixed query counts."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from office import once
from office.information.models import ClosedQuarter, Item


def post(client, url, user, data=None):
    return client.post(url, {**(data or {}), once.FIELD: once.new_token(user)})


def test_a_secretary_writes_an_item_once_however_often_the_form_is_sent(client, ip):
    client.force_login(ip.a)
    token = once.new_token(ip.a)
    data = {"title": "我县秋粮收购过半", "category": ip.category.pk, "source": "县粮食局", "body": "正文",
            "submit": "on", once.FIELD: token}
    first = client.post(reverse("information:create"), data)
    second = client.post(reverse("information:create"), data)
    item = Item.objects.get()
    assert (first.status_code, first.url, second.status_code) == (302, item.get_absolute_url(), 302)
    assert item.status == "submitted"


def test_bad_input_is_a_message_not_a_500(client, ip):
    client.force_login(ip.a)
    response = post(client, reverse("information:create"), ip.a, {"title": "a\nb", "source": "", "body": ""})
    assert response.status_code == 400
    assert Item.objects.count() == 0


def test_another_secretarys_item_is_a_404_and_the_reviewer_sees_it(client, ip, write):
    item = write(submit=True)
    client.force_login(ip.b)
    assert client.get(item.get_absolute_url()).status_code == 404
    assert post(client, reverse("information:step", args=[item.pk, "approve"]), ip.b).status_code == 404
    client.force_login(ip.msk_chief)  # the author's section chief follows his people
    assert client.get(item.get_absolute_url()).status_code == 200
    client.force_login(ip.reviewer)
    page = client.get(item.get_absolute_url())
    assert page.status_code == 200 and "县域工业经济稳中有进" in page.content.decode()
    response = post(client, reverse("information:step", args=[item.pk, "approve"]), ip.reviewer)
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == "approved"


def test_the_adoption_form_records_the_adoption(client, ip, write):
    item = write(submit=True)
    client.force_login(ip.reviewer)
    post(client, reverse("information:step", args=[item.pk, "approve"]), ip.reviewer)
    post(client, reverse("information:step", args=[item.pk, "send"]), ip.reviewer,
         {"send-outlets": [ip.city.pk, ip.province.pk]})
    response = post(client, reverse("information:step", args=[item.pk, "record_adoption"]), ip.reviewer,
                    {"record_adoption-outlet": ip.province.pk, "record_adoption-adopted_on": timezone.localdate(),
                     "record_adoption-form": "full", "record_adoption-level": ""})
    assert response.status_code == 302
    assert list(item.adoptions.values_list("outlet__name", "level")) == [("某省《政务要情》", 3)]


def test_the_clerk_and_administrators_get_403(client, ip, make_user):
    from office import roles

    admin = make_user(roles.SYSTEM_ADMIN, is_staff=True)
    for user in (ip.clerk, admin):
        client.force_login(user)
        assert client.get(reverse("information:quarter")).status_code == 403
        assert client.get(reverse("information:list")).status_code == 403


def test_the_quarter_page_lists_everyone_and_exports(client, ip, adopt):
    adopt(ip.a, ip.city, dt.date(2025, 5, 5))
    client.force_login(ip.leader)
    page = client.get(reverse("information:quarter"), {"year": 2025, "quarter": 2})
    text = page.content.decode()
    assert page.status_code == 200
    assert text.count('data-testid="quarter-row"') == 5
    assert "高鹏" in text and "何思源" in text
    xlsx = client.get(reverse("information:quarter"), {"year": 2025, "quarter": 2, "format": "xlsx"})
    from openpyxl import load_workbook

    ws = load_workbook(io.BytesIO(xlsx.content)).active
    assert [c.value for c in ws[4]][:3] == [1, "何思源", "秘书科"]
    assert ws.max_row == 3 + 5
    pdf = client.get(reverse("information:quarter"), {"year": 2025, "quarter": 2, "format": "pdf"})
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_closing_from_the_page(client, ip):
    client.force_login(ip.a)
    response = post(client, reverse("information:quarter_close"), ip.a, {"year": 2025, "quarter": 1})
    assert response.status_code == 302 and ClosedQuarter.objects.count() == 0
    client.force_login(ip.director)
    page = client.get(reverse("information:quarter"), {"year": 2025, "quarter": 1})
    assert 'data-testid="close-quarter"' in page.content.decode()
    post(client, reverse("information:quarter_close"), ip.director, {"year": 2025, "quarter": 1})
    assert ClosedQuarter.objects.get().closed_by == ip.director


@pytest.mark.parametrize("n", [1, 8])
def test_the_pages_run_a_fixed_number_of_queries(client, ip, write, django_assert_num_queries, n):
    for k in range(n):
        write(title=f"条目{k}", submit=True)
    client.force_login(ip.reviewer)
    client.get(reverse("information:list"))  # warm the session
    with django_assert_num_queries(12):
        client.get(reverse("information:list"), {"scope": "all"})
    with django_assert_num_queries(16):
        client.get(reverse("information:quarter"), {"year": 2025, "quarter": 2})
