"""Which years the working-day calendar covers, and loading a new one.

The State Council publishes each year's holiday arrangements (放假安排的通知) around November of
the year before. Until a year is *loaded* (a ``CalendarYear`` row) the calendar treats it as a
plain Monday-Friday week and flags what it computes there as provisional. Nothing about that
is silent:

- a system check (``office.checks``) warns when this year, or from 1 November next year, is not
  loaded;
- the admin index and the calendar's admin pages carry a banner saying the same;
- system administrators get a panel on their desk and, once per missing year, a notification
  (in-app and e-mail) from a daily Celery beat task.

A year is loaded either from the holiday data package ``chinesecalendar`` (its data ships
inside the package: nothing is fetched at run time), shown day by day to the administrator who
confirms it against the notice, or by entering the days by hand and then marking the year
loaded. Either way ``load_year`` does it, and the workflow apps' listeners (``on_year_changed``)
then recompute the dates they had flagged as provisional in that year.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from office import audit
from office.models import CalendarDay, CalendarYear, OfficeSettings
from office.workdays import WorkCalendar

ADVANCE_FROM = (11, 1)  # from 1 November the next year must be loaded too

# the package's English names, as the office writes them
HOLIDAY_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利纪念日",
}


# --- coverage ------------------------------------------------------------------------------

def required_years(today: dt.date) -> list[int]:
    """This year, and from 1 November the next one as well."""
    years = [today.year]
    if (today.month, today.day) >= ADVANCE_FROM:
        years.append(today.year + 1)
    return years


@dataclass
class Coverage:
    today: dt.date
    loaded: list[int]
    missing: list[int] = field(default_factory=list)
    in_package: list[int] = field(default_factory=list)  # missing years the package can load

    @property
    def ok(self) -> bool:
        return not self.missing

    @property
    def current_missing(self) -> bool:
        """This very year is not loaded: deadlines are being computed provisionally now."""
        return self.today.year in self.missing

    def messages_for(self, year: int) -> list[str]:
        if year <= self.today.year:
            out = [_("The %(year)d working-day calendar is not loaded: dates in %(year)d are "
                     "computed on a Monday to Friday week and shown as provisional. Load the "
                     "year now.") % {"year": year}]
        else:
            out = [_("The %(year)d working-day calendar is not loaded yet: deadlines that reach "
                     "into %(year)d are provisional. Load it as soon as the State Council's "
                     "holiday notice for %(year)d is out.") % {"year": year}]
        if year in self.in_package:
            out.append(_("The holiday data package has %(year)d: load it from there and check it "
                         "against the notice.") % {"year": year})
        return out

    def messages(self) -> list[str]:
        return [m for year in self.missing for m in self.messages_for(year)]


def coverage(today: dt.date | None = None) -> Coverage:
    """Which of the years the office needs are missing. One query."""
    today = today or timezone.localdate()
    loaded = sorted(CalendarYear.objects.values_list("year", flat=True))
    missing = [y for y in required_years(today) if y not in loaded]
    available = set(package_years())
    return Coverage(today=today, loaded=loaded, missing=missing,
                    in_package=[y for y in missing if y in available])


# --- the holiday data package ----------------------------------------------------------------

@dataclass(frozen=True)
class PlannedDay:
    date: dt.date
    kind: str
    name: str


def package_version() -> str:
    """'chinesecalendar 1.11.0', or '' when the package is not installed."""
    from importlib import metadata

    try:
        return f"chinesecalendar {metadata.version('chinesecalendar')}"
    except metadata.PackageNotFoundError:
        return ""


def _package():
    try:
        import chinese_calendar
    except ImportError:
        return None
    return chinese_calendar


def package_years() -> list[int]:
    """The years the installed package has data for (from its published notices)."""
    cc = _package()
    if cc is None:
        return []
    return sorted({d.year for d in cc.holidays} & set(range(2000, 2100)))


def package_days(year: int) -> list[PlannedDay]:
    """The package's days off and make-up workdays for ``year`` ([] when it has none)."""
    cc = _package()
    if cc is None or year not in package_years():
        return []
    days = [PlannedDay(d, CalendarDay.Kind.HOLIDAY, HOLIDAY_NAMES.get(n, n))
            for d, n in cc.holidays.items() if d.year == year]
    days += [PlannedDay(d, CalendarDay.Kind.WORKDAY, f"{HOLIDAY_NAMES.get(n, n)}调休")
             for d, n in cc.workdays.items() if d.year == year]
    return sorted(days, key=lambda p: p.date)


@dataclass
class YearPlan:
    """What loading ``days`` for ``year`` would do to the calendar's rows."""

    year: int
    days: list[PlannedDay]
    create: list[PlannedDay] = field(default_factory=list)
    update: list[tuple[CalendarDay, PlannedDay]] = field(default_factory=list)
    remove: list[CalendarDay] = field(default_factory=list)
    unchanged: int = 0


def plan_year(year: int, days: Sequence[PlannedDay]) -> YearPlan:
    existing = {d.date: d for d in CalendarDay.objects.filter(date__year=year)}
    plan = YearPlan(year=year, days=list(days))
    for p in days:
        row = existing.pop(p.date, None)
        if row is None:
            plan.create.append(p)
        elif (row.kind, row.name) != (p.kind, p.name):
            plan.update.append((row, p))
        else:
            plan.unchanged += 1
    plan.remove = sorted(existing.values(), key=lambda d: d.date)
    return plan


# --- loading -----------------------------------------------------------------------------------

Listener = Callable[..., int]
_listeners: list[Listener] = []


def on_year_changed(listener: Listener) -> None:
    """Register ``listener(*, year, loaded, cal, acting_user) -> int`` (how many records it
    changed), called in the same transaction when a year is loaded or unloaded. Workflow apps
    recompute or flag the dates they store for that year."""
    if listener not in _listeners:
        _listeners.append(listener)


def _notify_listeners(year: int, loaded: bool, acting_user) -> dict[str, int]:
    cal = WorkCalendar.load()
    return {f"{fn.__module__}.{fn.__name__}": fn(year=year, loaded=loaded, cal=cal,
                                                  acting_user=acting_user)
            for fn in _listeners}


@transaction.atomic
def load_year(*, year: int, acting_user, source: str, note: str = "",
              days: Sequence[PlannedDay] | None = None) -> CalendarYear:
    """Mark ``year`` loaded. With ``days`` (e.g. from the package) the year's rows are made
    exactly those days first; without, the days already entered by hand are taken as they are.
    Refused (``ValidationError``) outside 2000-2099, when the year is already loaded, or when it
    has no holiday at all. Atomic and audited; the apps' listeners recompute their flagged dates."""
    if not 2000 <= year <= 2099:
        raise ValidationError(_("Choose a year between 2000 and 2099."))
    OfficeSettings.load()
    OfficeSettings.objects.select_for_update().get(pk=1)  # one calendar change at a time
    if CalendarYear.objects.filter(year=year).exists():
        raise ValidationError(_("%(year)d is already loaded.") % {"year": year})
    counts = {}
    if days is not None:
        if any(p.date.year != year for p in days):
            raise ValidationError(_("Every day must fall in %(year)d.") % {"year": year})
        plan = plan_year(year, days)
        CalendarDay.objects.bulk_create([CalendarDay(date=p.date, kind=p.kind, name=p.name)
                                         for p in plan.create])
        for row, p in plan.update:
            row.kind, row.name = p.kind, p.name
            row.save(update_fields=["kind", "name"])
        CalendarDay.objects.filter(pk__in=[r.pk for r in plan.remove]).delete()
        counts = {"created": len(plan.create), "updated": len(plan.update), "removed": len(plan.remove)}
    if not CalendarDay.objects.filter(date__year=year, kind=CalendarDay.Kind.HOLIDAY).exists():
        raise ValidationError(_("No holiday of %(year)d is entered yet: enter the days of the State "
                                "Council's notice first.") % {"year": year})
    entry = CalendarYear.objects.create(year=year, source=source, note=(note or "").strip()[:200],
                                        loaded_by=acting_user)
    changed = _notify_listeners(year, True, acting_user)
    audit.record("calendar.load_year", actor=acting_user, obj=entry,
                 detail={"year": year, "source": source, "note": entry.note, **counts,
                         "recomputed": changed})
    return entry


@transaction.atomic
def unload_year(*, entry: CalendarYear, acting_user) -> None:
    """Un-mark a year (e.g. loaded by mistake): its dates become provisional again and the apps
    flag what they store in it. Atomic and audited."""
    OfficeSettings.load()
    OfficeSettings.objects.select_for_update().get(pk=1)
    year = entry.year
    CalendarYear.objects.filter(pk=entry.pk).delete()
    changed = _notify_listeners(year, False, acting_user)
    audit.record("calendar.unload_year", actor=acting_user, detail={"year": year, "flagged": changed},
                 object_repr=str(year))


# --- telling the system administrators ------------------------------------------------------

def desk_panel(user):
    """The desk panel of a system administrator while a needed year is missing (else hidden)."""
    from office import roles

    if not (roles.has_role(user, roles.SYSTEM_ADMIN) or user.is_superuser):
        return None
    cov = coverage()
    if cov.ok:
        return None
    return {"coverage": cov, "messages": cov.messages()}


def notify_missing(today: dt.date | None = None) -> int:
    """Tell every active system administrator once per missing year (and once more when the
    year has begun without being loaded). Deduplicated: running it daily sends nothing twice.
    Returns how many notifications were stored."""
    from django.urls import reverse

    from office import notify, roles
    from office.models import User

    cov = coverage(today)
    if cov.ok:
        return 0
    admins = list(User.objects.filter(is_active=True, groups__name=roles.SYSTEM_ADMIN).distinct())
    url = reverse("admin:office_calendaryear_changelist")
    sent = 0
    for year in cov.missing:
        stage = "now" if year <= cov.today.year else "ahead"
        title = notify.Msg(N_("Load the %(year)d working-day calendar now") if stage == "now"
                           else N_("Load the %(year)d working-day calendar"), year=year)
        body = " ".join(cov.messages_for(year))
        for user in admins:
            if notify.notify(user, key=f"calendar-missing:{year}:{stage}:{user.pk}", title=title,
                             body=body, url=url, kind="calendar"):
                sent += 1
    return sent
