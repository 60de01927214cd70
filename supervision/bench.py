"""Supervision in `make bench`: 50,000 items (10,000 overdue) seeded; the reminder sweep timed
twice (the second run must send nothing); the list and item pages measured."""

from __future__ import annotations

import datetime as dt
import random
import time

from config.bench import BENCH_PASSWORD, register

DIRECTOR = "bench_director"


def seed(size: int, total: int | None = None, overdue: int | None = None) -> None:
    """``50 × size`` items (50,000 at the full size 1,000), a fifth of them overdue."""
    total, overdue = total or 50 * size, overdue or 10 * size
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group
    from django.utils import timezone

    from office import roles
    from office.models import Unit, User
    from supervision.models import Item, Status

    if Item.objects.filter(number__startswith="压〔").exists():
        return
    rng = random.Random(7)
    director = User.objects.create(username=DIRECTOR, full_name="压测主任",
                                   password=make_password(BENCH_PASSWORD))
    director.groups.add(Group.objects.get(name=roles.OFFICE_DIRECTOR))
    people = list(User.objects.filter(username__startswith="bench").exclude(unit=None)
                  .values_list("pk", "unit_id"))
    heads = {}
    for pk, unit_id in people:
        heads.setdefault(unit_id, pk)
    for unit_id, pk in heads.items():
        Unit.objects.filter(pk=unit_id).update(head_id=pk)
    today = timezone.localdate()
    assigned = timezone.now() - dt.timedelta(days=90)
    working = [Status.ASSIGNED, Status.ACKNOWLEDGED, Status.IN_PROGRESS]
    batch = []
    for i in range(total):
        responsible, unit = people[i % len(people)]
        if i < overdue:
            deadline = today - dt.timedelta(days=rng.randint(1, 60))
        else:
            deadline = today + dt.timedelta(days=rng.randint(5, 200))
        batch.append(Item(
            number=f"压〔{today.year}〕{i + 1}号", title=f"压测督办事项{i + 1}",
            requirement="按期落实。", source_kind="instruction", lead_unit_id=unit,
            responsible_id=responsible, supervisor_id=director.pk, instructing_leader_id=director.pk,
            original_deadline=deadline, deadline=deadline, deliver_by=deadline, status=rng.choice(working),
            created_by_id=director.pk, assigned_at=assigned, turn_since=assigned))
        if len(batch) == 5000:
            Item.objects.bulk_create(batch)
            batch = []
    Item.objects.bulk_create(batch)


def sweep_twice(size: int) -> dict:
    """The reminder sweep's first run over the bench office, then a second (which must send
    nothing). The reminders, notifications and timeline entries of an earlier bench run on the
    same database are removed first, so that every run measures a first run."""
    from office.models import Notification
    from supervision import reminders
    from supervision.models import Event, Reminder

    Reminder.objects.all().delete()
    Notification.objects.filter(kind="supervision-reminder").delete()
    Event.objects.filter(kind=Event.Kind.REMINDER).delete()

    started = time.perf_counter()
    first = reminders.sweep()
    first_s = time.perf_counter() - started
    started = time.perf_counter()
    second = reminders.sweep()
    return {"first run s": round(first_s, 2), "planned": first.planned, "sent": first.sent,
            "second run s": round(time.perf_counter() - started, 2),
            "second run sent": second.sent}


def _first_overdue_item() -> str:
    from supervision.models import Item

    return f"/supervision/{Item.objects.filter(number__startswith='压〔').order_by('deadline').first().pk}/"


register(seeder=("supervision", seed))
register(operation=("supervision reminder sweep", sweep_twice))
register(page=("supervision list (all)", "/supervision/?scope=all", DIRECTOR))
register(page=("supervision list (overdue)", "/supervision/?scope=all&level=overdue", DIRECTOR))
register(page=("supervision list (red, page 20)", "/supervision/?scope=all&level=red&page=20", DIRECTOR))
register(page=("supervision item", _first_overdue_item, DIRECTOR))
register(page=("desk (director)", "/", DIRECTOR))
