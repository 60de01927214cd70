"""The demo office's meetings: one in every state, on working days in office hours, built through
the real workflow; loading the demo again adds nothing; every page opens for the demo people."""

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from meetings.models import Meeting, Status
from office.models import User
from office.workdays import WorkCalendar

pytestmark = pytest.mark.django_db


def test_demo_meetings_in_every_state_on_working_days(demo_office, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    assert sorted(Meeting.objects.values_list("status", flat=True)) == sorted(Status.values)
    cal = WorkCalendar.load()
    for m in Meeting.objects.all():
        start = timezone.localtime(m.starts_at)
        assert cal.is_working_day(start.date()) and 8 <= start.hour < 17, m.title
    issued = Meeting.objects.get(status=Status.ISSUED)
    assert issued.summary.number and issued.decisions.filter(item__isnull=False).count() == 2
    count = Meeting.objects.count()
    settings.DEBUG = True
    call_command("load_demo", verbosity=0)
    assert Meeting.objects.count() == count
    client = Client()
    for username in ("hesy", "wangjg", "zhouw", "jyj_contact", "chenzq"):
        client.force_login(User.objects.get(username=username))
        for m in Meeting.objects.all():
            assert client.get(m.get_absolute_url()).status_code in (200, 404)
        for url in ("/meetings/", "/meetings/calendar/", "/"):
            assert client.get(url).status_code == 200
