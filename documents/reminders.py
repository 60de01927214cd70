"""The intake desk's clock (Celery beat every 5 minutes, round the clock).

- an urgent document still at the intake desk within ``reminder_minutes_before`` of its due
  time: the registering clerk and the head of the document office are reminded;
- any document still at the intake desk once today's same-day cutoff has passed: the same
  people are reminded (once per document and day);
- a document past its due time: the office directors are told (escalation).

A document's clock runs when its time counts: always for the round-the-clock urgencies (特提,
特急 by default: the duty room handles them at night and on holidays), on working days only for
every other document. So nobody is reminded, and no director is called, on a day off about a
document that only counts office time: its escalation waits for the next working day (``held``).

Every notification has a deduplication key, so running the sweep again sends nothing twice.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop as N_

from documents.models import DocumentSettings, IncomingDocument, Status, UrgencyRule
from documents.workflow import title_param  # noqa: E402
from office import notify, roles
from office.models import Notification, OfficeSettings, User
from office.notify import Msg
from office.workdays import WorkCalendar


@dataclass
class IntakeSweep:
    due_soon: int = 0
    at_cutoff: int = 0
    overdue: int = 0
    sent: int = 0  # notifications stored (and e-mailed) by this run; repeats are not sent again
    held: int = 0  # overdue on office time, on a day off: escalated on the next working day


def sweep(*, now: dt.datetime | None = None) -> IntakeSweep:
    now = now or timezone.now()
    local = timezone.localtime(now)
    conf = DocumentSettings.load()
    head = conf.office_unit.head_id if conf.office_unit_id else None
    directors = list(User.objects.filter(groups__name=roles.OFFICE_DIRECTOR, is_active=True)
                     .values_list("pk", flat=True))
    pending = list(IncomingDocument.objects.filter(status=Status.REGISTERED, cleared_at__isnull=True)
                   .only("pk", "title", "number", "due_at", "urgency", "registered_by_id",
                         "received_at", "secrecy"))
    cal = WorkCalendar.load()
    cutoff = OfficeSettings.load().same_day_cutoff
    working_day = cal.is_working_day(local.date())
    after_cutoff = working_day and local.time() >= cutoff
    clock_urgencies = set(UrgencyRule.objects.filter(round_the_clock=True)
                          .values_list("urgency", flat=True))
    specs, result = [], IntakeSweep()
    for doc in pending:
        url = doc.get_absolute_url()
        clerk_and_head = {doc.registered_by_id, head} - {None}
        if not (working_day or doc.urgency in clock_urgencies):
            result.held += doc.due_at <= now
            continue
        if doc.due_at <= now:
            result.overdue += 1
            for uid in directors:
                specs.append({"recipient_id": uid, "key": f"doc-overdue:{doc.pk}:{uid}", "url": url,
                              "title": Msg(N_("Overdue at the intake desk: %(title)s"), title=title_param(doc)),
                              "task": f"doc:{doc.pk}:registered",
                              "body": doc.number, "kind": "documents-overdue"})
        elif doc.urgency and doc.due_at - now <= dt.timedelta(minutes=conf.reminder_minutes_before):
            result.due_soon += 1
            for uid in clerk_and_head:
                specs.append({"recipient_id": uid, "key": f"doc-soon:{doc.pk}:{uid}", "url": url,
                              "title": Msg(N_("Urgent, due at %(time)s: %(title)s"),
                                           time=timezone.localtime(doc.due_at).strftime("%H:%M"),
                                           title=title_param(doc)),
                              "task": f"doc:{doc.pk}:registered",
                              "body": doc.number, "kind": "documents-due"})
        if after_cutoff and doc.due_at > now:
            result.at_cutoff += 1
            for uid in clerk_and_head:
                specs.append({"recipient_id": uid, "key": f"doc-cutoff:{doc.pk}:{local.date()}:{uid}",
                              "url": url, "body": doc.number, "kind": "documents-cutoff",
                              "task": f"doc:{doc.pk}:registered",
                              "title": Msg(N_("Still at the intake desk after the cutoff: %(title)s"),
                                           title=title_param(doc))})
    with transaction.atomic():
        keys = {s["key"] for s in specs}
        already = Notification.objects.filter(dedup_key__in=keys).count() if keys else 0
        notify.notify_many(specs)
    result.sent = len(keys) - already
    return result
