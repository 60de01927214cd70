"""The weekly summary (领导周报) for each county leader: the open items they instructed with
their latest answers, and the figures of their dashboard, as a notification with a PDF.

Sent by Celery beat (``office.dashboard.tasks.weekly_summaries``, daily at 08:00): the first run
of an ISO week sends it, later runs that week send nothing, since each notification's
``dedup_key`` is ``dashboard.weekly:<leader>:<ISO year>-W<week>`` (unique in the database). So it
is safe to run twice, from two workers at once, and it catches up after the beat was down on
Monday."""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from office import notify, pdf, roles
from office.dashboard import selectors
from office.models import Notification, OfficeSettings, User

logger = logging.getLogger(__name__)


def week_key(user, day: dt.date) -> str:
    year, week, _weekday = day.isocalendar()
    return f"dashboard.weekly:{user.pk}:{year}-W{week:02d}"


def recipients():
    """Active county leaders (the administrators hold no business role)."""
    return (User.objects.filter(is_active=True, groups__name=roles.COUNTY_LEADER)
            .select_related("unit").order_by("pk").distinct())


def summary_pdf(user, data: selectors.Dashboard, *, office_name: str) -> bytes:
    year, week, _weekday = timezone.localdate(data.now).isocalendar()
    return pdf.render("dashboard/pdf/weekly.html", {
        "d": data, "leader": user, "office_name": office_name, "year": year, "week": week,
        "site": settings.SITE_URL.rstrip("/"),
    })


def send_weekly_summaries(*, now: dt.datetime | None = None) -> int:
    """Send this ISO week's summary to every county leader who has not had it; returns how many
    were sent. Idempotent (the week's key); a leader's failure is logged and does not stop the
    others (the next daily run tries again)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    year, week, _weekday = today.isocalendar()
    leaders = list(recipients())
    done = set(Notification.objects.filter(dedup_key__in=[week_key(u, today) for u in leaders])
               .values_list("dedup_key", flat=True))
    office_name = OfficeSettings.load().office_name
    sent = 0
    for user in leaders:
        key = week_key(user, today)
        if key in done:
            continue
        try:
            data = selectors.dashboard(user, now=now)
            if data is None:
                continue
            document = summary_pdf(user, data, office_name=office_name)
        except Exception:  # one leader's PDF must not stop the others' summaries
            logger.exception("weekly summary for %s failed", user.username)
            continue
        open_items = data.supervision.instructed.value
        body = _("Week %(week)s of %(year)s: %(items)s open items you instructed, %(overdue)s overdue "
                 "supervision items, incoming documents cleared the same day in the last 30 days: "
                 "%(rate)s. The summary is attached as a PDF.") % {
            "week": week, "year": year, "items": open_items, "overdue": data.supervision.total.overdue.value,
            "rate": "—" if data.incoming.rate_30 is None else f"{data.incoming.rate_30:.1f}%"}
        created = notify.notify(
            user, key=key, kind="info", url=reverse("dashboard:home"),
            title=notify.Msg(N_("Weekly summary, week %(week)s of %(year)s"), week=f"{week}", year=f"{year}"),
            body=body,
            attachment=notify.Attachment(f"领导周报-{year}-W{week:02d}.pdf", "application/pdf", document))
        sent += created is not None
    return sent
