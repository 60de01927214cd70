import pytest
from django.test import Client

from meetings.models import Meeting
from office.models import User


@pytest.mark.django_db
def test_demo_pages(demo_office, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    states = sorted(Meeting.objects.values_list("status", flat=True))
    print(states)
    c = Client()
    for username in ("hesy", "wangjg", "zhouw", "jyj_contact", "chenzq"):
        c.force_login(User.objects.get(username=username))
        for m in Meeting.objects.all():
            r = c.get(m.get_absolute_url())
            assert r.status_code in (200, 404), (username, m.title, r.status_code)
        for url in ("/meetings/", "/meetings/calendar/", "/", "/meetings/topics/"):
            r = c.get(url)
            assert r.status_code in (200, 403), (url, r.status_code)
