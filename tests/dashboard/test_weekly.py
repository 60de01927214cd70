"""The weekly summary: one notification with a PDF per county leader per ISO week, safe to run
twice, sent again the next week."""

import datetime as dt

from django.utils import timezone
from pypdf import PdfReader

from office.dashboard import tasks, weekly
from office.models import Notification, User
from tests.dashboard.conftest import frozen


def _moment(day: dt.date, hour: int = 8) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def test_each_leader_gets_one_summary_a_week_with_a_pdf(demo_office, django_capture_on_commit_callbacks):
    import io

    leaders = list(weekly.recipients())
    assert len(leaders) == 4 and {u.username for u in leaders} >= {"wangjg"}
    today = timezone.localdate()
    monday = today - dt.timedelta(days=today.weekday())
    with frozen(_moment(monday)):
        assert tasks.weekly_summaries() == 4
        assert tasks.weekly_summaries() == 0  # the beat (or a second worker) running again sends nothing
    year, week, _ = monday.isocalendar()
    sent = Notification.objects.filter(dedup_key__startswith="dashboard.weekly:")
    assert sorted(sent.values_list("dedup_key", flat=True)) == sorted(
        f"dashboard.weekly:{u.pk}:{year}-W{week:02d}" for u in leaders)
    mine = sent.get(recipient=User.objects.get(username="wangjg"))
    assert mine.url == "/dashboard/" and mine.attachment_type == "application/pdf"
    assert mine.attachment_name == f"领导周报-{year}-W{week:02d}.pdf"
    text = PdfReader(io.BytesIO(bytes(mine.attachment_data))).pages[0].extract_text()
    assert "领导周报" in text and "我批示的督办事项" in text and "王建国" in text

    with frozen(_moment(monday + dt.timedelta(days=3))):  # later the same week: nothing new
        assert weekly.send_weekly_summaries() == 0
    with frozen(_moment(monday + dt.timedelta(days=8))):  # the next week (Tuesday: catches up)
        assert weekly.send_weekly_summaries() == 4
    assert Notification.objects.filter(dedup_key__startswith="dashboard.weekly:").count() == 8


def test_the_beat_runs_the_summary_daily(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["dashboard-weekly-summaries"]
    assert entry["task"] == "office.dashboard.tasks.weekly_summaries"
    assert entry["options"]["expires"] < 24 * 3600
