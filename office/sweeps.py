"""The two-phase reminder sweep every app uses: plan occurrences under unique keys, then deliver
them in claimed batches, checking each again at the moment it would go out.

An app keeps its occurrences in a model of its own with at least ``sent_at`` (null until sent)
and ``skipped`` (a short reason, '' while pending), and a unique constraint over what makes an
occurrence the same one (e.g. meeting, recipient, kind and the meeting's start time).

1. **plan** (the app's own code): compute what is due now and store it with ``store_planned``:
   rows whose unique key exists already are ignored, so running it twice stores nothing new.
2. **deliver** (``deliver``): pending rows are claimed ``BATCH`` at a time with ``SELECT ... FOR
   UPDATE SKIP LOCKED`` (two workers never take the same row; neither waits for the other). The
   app's ``judge(rows)`` looks at each row *as things stand now* and returns either a reason not
   to send it (the meeting moved, was cancelled, the person left the list ...) or the
   notification to send (a ``notify.notify_many`` spec). In the same transaction the
   notifications are stored (deduplicated by key), the rows marked sent or skipped with their
   reason, and the app's ``after(sent_rows, now)`` hook runs (timeline rows). A worker killed
   half way loses nothing: the uncommitted batch is still pending for the next sweep.

``supervision.reminders`` implements the same two phases with its own deliver loop (it predates
this module); new sweeps use this one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Model, QuerySet
from django.utils import timezone

from office import notify

BATCH = 500

Verdict = str | dict  # a reason not to send, or the notification spec to send


@dataclass
class Delivery:
    """What a sweep did: how many occurrences were planned (stored new), sent, and skipped for
    each reason."""

    planned: int = 0
    sent: int = 0
    skipped: dict[str, int] = field(default_factory=dict)


def store_planned(model: type[Model], rows: Iterable[Model]) -> int:
    """Store planned occurrences, ignoring those whose unique key exists. Returns how many are
    new."""
    rows = list(rows)
    if not rows:
        return 0
    before = model.objects.count()
    model.objects.bulk_create(rows, ignore_conflicts=True, batch_size=2000)
    return model.objects.count() - before


def deliver(pending: QuerySet, *, order_by: Sequence[str], judge: Callable[[list], dict[int, Verdict]],
            after: Callable[[list, object], None] | None = None, batch: int = BATCH) -> Delivery:
    """Send what ``pending`` (the rows not sent and not skipped) holds, batch by batch, each batch
    one transaction. ``judge(rows) -> {row.pk: reason or spec}``; a row it leaves out is skipped
    as "unknown". Safe to run concurrently with itself and to repeat."""
    model = pending.model
    result = Delivery()
    while True:
        with transaction.atomic():
            rows = list(pending.select_for_update(skip_locked=True, of=("self",))
                        .filter(sent_at__isnull=True, skipped="").order_by(*order_by)[:batch])
            if not rows:
                return result
            verdicts = judge(rows)
            now = timezone.now()
            specs, sent_rows, skipped = [], [], {}
            for row in rows:
                verdict = verdicts.get(row.pk, "unknown")
                if isinstance(verdict, dict):
                    specs.append(verdict)
                    sent_rows.append(row)
                else:
                    skipped.setdefault(verdict or "unknown", []).append(row.pk)
            notify.notify_many(specs)
            model.objects.filter(pk__in=[r.pk for r in sent_rows]).update(sent_at=now)
            for reason, pks in skipped.items():
                model.objects.filter(pk__in=pks).update(skipped=reason[:30])
                result.skipped[reason] = result.skipped.get(reason, 0) + len(pks)
            if after is not None and sent_rows:
                after(sent_rows, now)
            result.sent += len(sent_rows)
