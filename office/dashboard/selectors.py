"""What the dashboard shows, read through each app's selectors (never their models' managers
directly), with a fixed number of queries however large the office's history.

**Every figure is the length of a list.** Each ``Figure`` carries the URL of the list behind it
(the app's own list page with the same filters), and the count is taken from the very predicate
that list applies (the app's selector or its named ``*_q`` predicate), over what the list shows
the same person. ``tests/dashboard/test_figures.py`` follows every link for every role and
compares the figure with the list's paginator count.

**Scope by role.** A county leader sees the county (every unit, as far as their own access goes),
an office director the office (everything the office runs), a section chief their section
(supervision items of the section, documents drafted by it, their own meetings). The dashboard
never widens what a person may see: a figure counts what its list would show them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import Count
from django.db.models.functions import TruncDate
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from documents import selectors as incoming
from documents.outgoing import selectors as outgoing
from documents.workflow import is_document_office
from meetings import selectors as meetings
from meetings.models import Status as MeetingStatus
from office import roles
from office.information import permissions as information_permissions
from office.information import selectors as information
from office.models import Unit
from office.paging import count_label
from office.study import permissions as study_permissions
from office.study import selectors as study
from supervision import reports, timeliness
from supervision import selectors as supervision
from supervision.workflow import is_manager

COUNTY, OFFICE, SECTION = "county", "office", "section"
DASHBOARD_ROLES = (roles.COUNTY_LEADER, roles.OFFICE_DIRECTOR, roles.SECTION_CHIEF)
SCOPE_LABELS = {COUNTY: gettext_lazy("The county"), OFFICE: gettext_lazy("The office"),
                SECTION: gettext_lazy("My section")}
TREND_DAYS = 30
COMING_DAYS = 7
INSTRUCTED_SHOWN = 10


@dataclass(frozen=True)
class Scope:
    kind: str  # COUNTY / OFFICE / SECTION
    unit_id: int | None
    unit_name: str
    supervision_scope: str  # the supervision list's scope
    meeting_scope: str  # the meeting list's scope
    outgoing_unit: int | None  # the outgoing register's drafting-unit filter

    @property
    def label(self) -> str:
        if self.kind == SECTION and self.unit_name:
            return self.unit_name
        return str(SCOPE_LABELS[self.kind])


def scope_for(user) -> Scope | None:
    """The dashboard's scope for ``user`` (the widest of their roles), or None: no dashboard."""
    if not roles.is_business_user(user):
        return None
    unit_name = user.unit.name if user.unit_id else ""
    if roles.has_role(user, roles.COUNTY_LEADER):
        return Scope(COUNTY, user.unit_id, unit_name, "all", "upcoming", None)
    if roles.has_role(user, roles.OFFICE_DIRECTOR):
        return Scope(OFFICE, user.unit_id, unit_name, "all", "upcoming", None)
    if roles.has_role(user, roles.SECTION_CHIEF):
        return Scope(SECTION, user.unit_id, unit_name, "unit", "mine", user.unit_id or 0)
    return None


@dataclass
class Figure:
    """One number on the page and the list it is the length of."""

    key: str  # stable name, e.g. "incoming.received"
    label: str
    value: int
    url: str

    def __int__(self) -> int:
        return self.value

    @property
    def shown(self) -> str:
        """The figure as the list behind it shows its length (``office.paging.count_label``)."""
        return count_label(self.value)


def _url(name: str, **params) -> str:
    query = urlencode({k: v for k, v in params.items() if v not in (None, "")})
    return f"{reverse(name)}?{query}" if query else reverse(name)


def _rate(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


# --- incoming documents (documents.selectors) --------------------------------------------------

@dataclass
class TrendDay:
    day: dt.date
    received: Figure
    on_time: Figure

    @property
    def rate(self) -> float | None:
        return _rate(self.on_time.value, self.received.value)


@dataclass
class IncomingPanel:
    today: dt.date
    received: Figure
    cleared: Figure
    on_time: Figure
    pending: Figure
    overdue: Figure
    received_30: Figure
    on_time_30: Figure
    trend: list[TrendDay]

    @property
    def rate_today(self) -> float | None:
        return _rate(self.on_time.value, self.received.value)

    @property
    def rate_30(self) -> float | None:
        return _rate(self.on_time_30.value, self.received_30.value)

    @property
    def figures(self) -> list[Figure]:
        days = [f for d in self.trend for f in (d.received, d.on_time)]
        return [self.received, self.cleared, self.on_time, self.pending, self.overdue,
                self.received_30, self.on_time_30, *days]


def incoming_panel(user, *, now: dt.datetime) -> IncomingPanel:
    """Today's incoming documents and the same-day clearance over 30 days. Two queries: the
    30 days by day of arrival (received, cleared, cleared on time), and what is at the intake
    desk (pending, overdue)."""
    today = timezone.localdate(now)
    first = today - dt.timedelta(days=TREND_DAYS - 1)
    office = is_document_office(user)
    base = incoming.register(user, incoming.RegisterFilters(date_from=first, date_to=today), office=office,
                             now=now).order_by()
    # the same days as a range the index on received_at serves (the register's date filter alone is
    # on the local date of received_at, which no index serves): the counts are unchanged
    base = base.filter(received_at__gte=timeliness.day_start(first),
                       received_at__lt=timeliness.day_start(today + dt.timedelta(days=1)))
    rows = {row["day"]: row for row in base.annotate(day=TruncDate("received_at")).values("day").annotate(
        received=Count("pk"), cleared=Count("pk", filter=incoming.cleared_q()),
        on_time=Count("pk", filter=incoming.on_time_q()))}
    # only what is at the intake desk is read (the partial index on pending documents), not the history
    desk = (incoming.register(user, incoming.RegisterFilters(clock="pending"), office=office, now=now).order_by()
            .aggregate(pending=Count("pk"), overdue=Count("pk", filter=incoming.overdue_q(now))))

    def fig(key, label, value, **params):
        return Figure(f"incoming.{key}", label, value, _url("documents:register", **params))

    def day_params(day, to=None):
        return {"date_from": day.isoformat(), "date_to": (to or day).isoformat()}

    trend = []
    for i in range(TREND_DAYS):
        day = first + dt.timedelta(days=i)
        row = rows.get(day, {})
        trend.append(TrendDay(
            day,
            fig(f"day{i}.received", _("Received on %(day)s") % {"day": day.isoformat()}, row.get("received", 0),
                **day_params(day)),
            fig(f"day{i}.on_time", _("Cleared on time, received %(day)s") % {"day": day.isoformat()},
                row.get("on_time", 0), **day_params(day), clock="on_time")))
    t = rows.get(today, {})
    return IncomingPanel(
        today=today,
        received=fig("received", _("Received today"), t.get("received", 0), **day_params(today)),
        cleared=fig("cleared", _("Cleared"), t.get("cleared", 0), **day_params(today), clock="cleared"),
        on_time=fig("on_time", _("Cleared on time"), t.get("on_time", 0), **day_params(today), clock="on_time"),
        pending=fig("pending", _("Still at the intake desk"), desk["pending"], clock="pending"),
        overdue=fig("overdue", _("Overdue at the intake desk"), desk["overdue"], clock="overdue"),
        received_30=fig("received_30", _("Received in 30 days"), sum(d.received.value for d in trend),
                        **day_params(first, today)),
        on_time_30=fig("on_time_30", _("Cleared on time in 30 days"), sum(d.on_time.value for d in trend),
                       **day_params(first, today), clock="on_time"),
        trend=trend,
    )


# --- outgoing documents (documents.outgoing.selectors) ----------------------------------------

@dataclass
class OutgoingPanel:
    waiting: Figure
    waiting_docs: list
    output: Figure
    month: dt.date

    @property
    def figures(self) -> list[Figure]:
        return [self.waiting, self.output]


def outgoing_panel(user, scope: Scope, *, now: dt.datetime) -> OutgoingPanel:
    """What waits for my review, countersignature or sign-off, and the month's output (numbers
    given this month, not voided) in my scope. Three queries."""
    month = timezone.localdate(now).replace(day=1)
    waiting_qs = outgoing.waiting_for(user)
    waiting_docs = list(waiting_qs[:5])
    waiting_n = len(waiting_docs) if len(waiting_docs) < 5 else waiting_qs.count()
    office = is_document_office(user)
    numbers = outgoing.number_register(outgoing.RegisterFilters(month=month, unit=scope.outgoing_unit))
    if not office:
        numbers = numbers.filter(document__in=outgoing.visible_to(user, office=office))
    return OutgoingPanel(
        waiting=Figure("outgoing.waiting", _("Waiting for my review or sign-off"), waiting_n,
                       _url("documents:outgoing", waiting="me")),
        waiting_docs=waiting_docs,
        output=Figure("outgoing.output", _("Issued this month"), numbers.order_by().count(),
                      _url("documents:outgoing", month=month.strftime("%Y-%m"), unit=scope.outgoing_unit)),
        month=month,
    )


# --- meetings (meetings.selectors) --------------------------------------------------------------

@dataclass
class MeetingsPanel:
    coming: Figure
    ready: Figure
    not_ready: Figure
    meetings: list

    @property
    def figures(self) -> list[Figure]:
        return [self.coming, self.ready, self.not_ready]


def meetings_panel(user, scope: Scope, *, now: dt.datetime) -> MeetingsPanel:
    """Meetings in the next 7 days, each with whether it is ready. One query."""
    found = list(meetings.meeting_list(user, scope=scope.meeting_scope, within=COMING_DAYS, now=now))
    found.sort(key=lambda m: (m.starts_at, m.pk))
    ready = sum(1 for m in found if m.status == MeetingStatus.READY)

    def fig(key, label, value, **params):
        return Figure(f"meetings.{key}", label, value,
                      _url("meetings:list", scope=scope.meeting_scope, within=COMING_DAYS, **params))

    return MeetingsPanel(
        coming=fig("coming", _("In the next 7 days"), len(found)),
        ready=fig("ready", _("Ready"), ready, ready="yes"),
        not_ready=fig("not_ready", _("Not ready yet"), len(found) - ready, ready="no"),
        meetings=found,
    )


# --- supervision (supervision.selectors, supervision.timeliness, supervision.reports) -----------

@dataclass
class UnitRow:
    unit_id: int | None
    name: str
    open: Figure
    overdue: Figure
    closed: Figure
    on_time: Figure

    @property
    def rate(self) -> float | None:
        return _rate(self.on_time.value, self.closed.value)

    @property
    def figures(self) -> list[Figure]:
        return [self.open, self.overdue, self.closed, self.on_time]


@dataclass
class SupervisionPanel:
    rows: list[UnitRow]
    total: UnitRow
    instructed: Figure
    instructed_items: list
    month: dt.date
    max_open: int = 0

    @property
    def figures(self) -> list[Figure]:
        return [*self.total.figures, *(f for r in self.rows for f in r.figures), self.instructed]


FIGURE_COUNTS = ("open", "overdue", "closed", "on_time")


def supervision_panel(user, scope: Scope, *, now: dt.datetime) -> SupervisionPanel:
    """Open and overdue items by lead unit, with the month's on-time rate (closed on time /
    closed this month: the 督查通报's figures, ``supervision.reports.figure_q``); overdue is
    ``supervision.timeliness.overdue_q``, the one definition. Then the open items I instructed
    with their latest answers. Four queries (+ the supervision settings)."""
    today = timezone.localdate(now)
    manager = is_manager(user)
    items = supervision.scoped_items(user, scope.supervision_scope, manager=manager)
    predicates = {
        "open": supervision.open_q(),
        "overdue": timeliness.overdue_q(today),
        "closed": reports.figure_q("closed", "month", today, today=today),
        "on_time": reports.figure_q("closed_on_time", "month", today, today=today),
    }
    list_params = {
        "open": {"state": "open"},
        "overdue": {"level": "overdue"},
        "closed": {"figure": "closed", "period": "month", "anchor": today.isoformat()},
        "on_time": {"figure": "closed_on_time", "period": "month", "anchor": today.isoformat()},
    }
    labels = {"open": pgettext_lazy("status", "Open"), "overdue": _("Overdue"), "closed": _("Closed this month"),
              "on_time": _("Closed on time this month")}
    # one grouped count per figure, each served by its own index (lead unit and status; the partial
    # index of the items units owe; closed_at), then the names of the units found: five queries
    counts: dict[int, dict[str, int]] = {}
    for name, q in predicates.items():
        for unit_id, n in items.filter(q).order_by().values("lead_unit_id").annotate(n=Count("pk")).values_list(
                "lead_unit_id", "n"):
            counts.setdefault(unit_id, dict.fromkeys(FIGURE_COUNTS, 0))[name] = n
    units = {u.pk: u for u in Unit.objects.filter(pk__in=list(counts)).only("name", "kind", "order")}
    counted = [{"lead_unit_id": pk, "lead_unit__name": units[pk].name, "lead_unit__kind": units[pk].kind,
                "lead_unit__order": units[pk].order, **c} for pk, c in counts.items()]

    def row(unit_id, name, counts) -> UnitRow:
        figs = {key: Figure(f"supervision.{unit_id or 'all'}.{key}", labels[key], counts.get(key, 0),
                            _url("supervision:list", scope=scope.supervision_scope, unit=unit_id,
                                 **list_params[key]))
                for key in FIGURE_COUNTS}
        return UnitRow(unit_id, name, **figs)

    found = [r for r in counted if any(r[k] for k in FIGURE_COUNTS)]
    found.sort(key=lambda r: (-r["overdue"], -r["open"], r["lead_unit__kind"], r["lead_unit__order"],
                              r["lead_unit_id"]))
    rows = [row(r["lead_unit_id"], r["lead_unit__name"], r) for r in found]
    total = row(None, _("All units"), {k: sum(r[k] for r in found) for k in FIGURE_COUNTS})

    instructed_qs = supervision.scoped_items(user, "instructed", manager=manager).filter(supervision.open_q())
    instructed_items = supervision.first_with_latest_answers(instructed_qs, limit=INSTRUCTED_SHOWN)
    instructed_n = (len(instructed_items) if len(instructed_items) < INSTRUCTED_SHOWN
                    else instructed_qs.order_by().count())
    for item in instructed_items:
        item.overdue_now = timeliness.is_overdue(item, today)
    return SupervisionPanel(
        rows=rows, total=total, month=today.replace(day=1),
        instructed=Figure("supervision.instructed", _("Open items I instructed"), instructed_n,
                          _url("supervision:list", scope="instructed", state="open")),
        instructed_items=instructed_items,
        max_open=max((r.open.value for r in rows), default=0),
    )


# --- government information quotas (office.information.selectors) ------------------------------

@dataclass
class InformationPanel:
    year: int
    quarter: int
    rows: list  # office.information.scoring.Row, one per secretary
    secretaries: Figure
    met: Figure

    @property
    def figures(self) -> list[Figure]:
        return [self.secretaries, self.met]


def information_panel(user) -> InformationPanel | None:
    """This quarter's quota progress per secretary (adopted at the quota's level against the
    quota), office-wide: the information rule binds the office. None for people who take no
    part in information work. ``quarter_results``: six queries (two once the quarter is closed)."""
    if not information_permissions.takes_part(user):
        return None
    year, quarter = information.current_quarter()
    rows = information.quarter_results(year=year, quarter=quarter)
    url = _url("information:quarter", year=year, quarter=quarter)
    largest = max([r.quota for r in rows] + [r.counted for r in rows] + [1])
    for r in rows:
        r.bar_counted, r.bar_quota = round(100 * r.counted / largest, 1), round(100 * r.quota / largest, 1)
    return InformationPanel(
        year=year, quarter=quarter, rows=rows,
        secretaries=Figure("information.secretaries", _("Secretaries"), len(rows), url),
        met=Figure("information.met", _("Quota met"), sum(r.quota_met for r in rows), url))


# --- study day (office.study.selectors) ---------------------------------------------------------

@dataclass
class StudyPanel:
    sessions: list

    @property
    def figures(self) -> list[Figure]:
        return [f for s in self.sessions for f in (s.fig_expected, s.fig_present)]


def study_panel(user) -> StudyPanel | None:
    """The latest study sessions the person may see, with attendance (present / expected), each
    linking to the session's sign-in sheet. One query; None for those who do not study here."""
    if not study_permissions.takes_part(user):
        return None
    sessions = study.latest_sessions(user=user, limit=4)
    for s in sessions:
        s.fig_expected = Figure(f"study.{s.pk}.expected", _("Expected"), s.n_expected, s.url)
        s.fig_present = Figure(f"study.{s.pk}.present", _("Present"), s.n_present, s.url)
    return StudyPanel(sessions)


# --- the page -----------------------------------------------------------------------------------

@dataclass
class Dashboard:
    scope: Scope
    now: dt.datetime
    incoming: IncomingPanel
    outgoing: OutgoingPanel
    meetings: MeetingsPanel
    supervision: SupervisionPanel
    information: InformationPanel | None = None
    study: StudyPanel | None = None

    @property
    def figures(self) -> list[Figure]:
        return [*self.incoming.figures, *self.outgoing.figures, *self.meetings.figures,
                *self.supervision.figures, *(self.information.figures if self.information else []),
                *(self.study.figures if self.study else [])]


def dashboard(user, *, now: dt.datetime | None = None) -> Dashboard | None:
    """Everything on the page for ``user``, or None when they have no dashboard."""
    scope = scope_for(user)
    if scope is None:
        return None
    now = now or timezone.now()
    return Dashboard(
        scope=scope, now=now,
        incoming=incoming_panel(user, now=now),
        outgoing=outgoing_panel(user, scope, now=now),
        meetings=meetings_panel(user, scope, now=now),
        supervision=supervision_panel(user, scope, now=now),
        information=information_panel(user),
        study=study_panel(user),
    )
