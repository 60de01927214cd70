"""The year-end assessment of one person, computed from the records and never typed.

Each part is a rate from 0 to 100, read from the app that owns the records, through its
selectors (the one definition each has of the figure):

- documents: of the incoming documents they registered, the share cleared the same day
  (``documents.selectors.cleared_on_time_q``); documents they handled as handler are shown;
- drafting: of the drafts they began, the share without any review finding (核稿意见);
- supervision: of the items they were responsible for that closed in the year, the share
  closed on time (``supervision.timeliness``); items overdue are shown;
- information: of the quarters ended in which they had a quota, the share with the quota met
  (``office.information``: frozen results for closed quarters);
- study: the average of attendance (present out of expected, leave excused) and the months
  with a study note out of the months of the year so far;
- rules: the rules in force that bind them, the share acknowledged.

A part with nothing to measure (no documents registered, no drafts, ...) is left out and the
weights of the others are scaled up: a person is judged on what their post does. The total is
the weighted average; the grade is the highest band whose minimum the total reaches.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from documents import selectors as documents
from documents.outgoing import selectors as outgoing
from office import selectors as core
from office.assessment.models import Scheme
from office.information import selectors as information
from office.study import selectors as study
from supervision import selectors as supervision

CENT = Decimal("0.01")


def rate(part: int, whole: int) -> Decimal | None:
    return (Decimal(100) * part / whole).quantize(CENT, ROUND_HALF_UP) if whole else None


@dataclass
class Part:
    key: str
    label: str
    score: Decimal | None
    detail: str
    weight: int = 0


@dataclass
class Assessment:
    user: object
    year: int
    parts: list[Part] = field(default_factory=list)
    total: Decimal | None = None
    grade: str = ""

    def part(self, key: str) -> Part:
        return next(p for p in self.parts if p.key == key)


def labels() -> dict[str, str]:
    return {"documents": _("Documents cleared the same day"), "drafting": _("Drafts without review findings"),
            "supervision": _("Supervision items on time"), "information": _("Information quotas met"),
            "study": _("Study"), "rules": _("Rules acknowledged")}


def scheme_for(year: int) -> Scheme:
    """The year's scheme, or the latest earlier one, or the default weights (not saved)."""
    return (Scheme.objects.filter(year__lte=year).prefetch_related("bands").order_by("-year").first()
            or Scheme(year=year))


def months_so_far(year: int, today: dt.date) -> int:
    if year < today.year:
        return 12
    return today.month if year == today.year else 0


def information_rows(year: int, today: dt.date) -> list[list | None]:
    """The year's quarter results, computed once for many; None for a quarter not yet over (a
    quota is judged when its quarter has ended)."""
    from office.information.models import quarter_span

    return [information.quarter_results(year=year, quarter=q) if quarter_span(year, q)[1] < today else None
            for q in range(1, 5)]


def assess(user, year: int, *, scheme: Scheme | None = None, today: dt.date | None = None,
           quarters: list | None = None) -> Assessment:
    today = today or timezone.localdate()
    scheme = scheme or scheme_for(year)
    names = labels()
    result = Assessment(user=user, year=year)

    d = documents.person_year(user.pk, year)
    result.parts.append(Part("documents", names["documents"], rate(d["same_day"], d["registered"]),
                             _("%(r)d registered, %(s)d cleared the same day; %(h)d handled as handler")
                             % {"r": d["registered"], "s": d["same_day"], "h": d["handled"]}))
    o = outgoing.person_year(user.pk, year)
    result.parts.append(Part("drafting", names["drafting"], rate(o["clean"], o["drafts"]),
                             _("%(d)d drafts, %(c)d without findings; %(f)d review findings")
                             % {"d": o["drafts"], "c": o["clean"], "f": o["findings"]}))
    s = supervision.person_year(user.pk, year, today=today)
    result.parts.append(Part("supervision", names["supervision"], rate(s["on_time"], s["closed"]),
                             _("%(c)d closed: %(o)d on time, %(e)d within extension, %(l)d late; %(v)d overdue")
                             % {"c": s["closed"], "o": s["on_time"], "e": s["extended"], "l": s["late"],
                                "v": s["overdue"]}))
    quarters = quarters if quarters is not None else information_rows(year, today)
    mine = [next((r for r in rows if r.user_id == user.pk), None) for rows in quarters if rows is not None]
    counted = [r for r in mine if r is not None and r.quota]
    met = sum(1 for r in counted if r.quota_met)
    adopted = sum(r.adopted for r in mine if r is not None)
    result.parts.append(Part("information", names["information"], rate(met, len(counted)),
                             _("quota met in %(m)d of %(n)d quarters; %(a)d items adopted")
                             % {"m": met, "n": len(counted), "a": adopted}))
    st = study.person_year(user.pk, year)
    months = months_so_far(year, today)
    owed = st["expected"] - st["leave"]
    pieces = [x for x in (rate(st["present"], owed), rate(min(st["note_months"], months), months)) if x is not None]
    study_score = (sum(pieces) / len(pieces)).quantize(CENT, ROUND_HALF_UP) if pieces else None
    result.parts.append(Part("study", names["study"], study_score,
                             _("%(p)d of %(e)d sessions attended (%(l)d on leave); notes in %(m)d of %(n)d months")
                             % {"p": st["present"], "e": st["expected"], "l": st["leave"],
                                "m": st["note_months"], "n": months}))
    library = core.rule_library(user, on=min(today, dt.date(year, 12, 31)))
    binding = [r for r in library if r.binding]
    acknowledged = sum(1 for r in binding if r.acknowledged_at)
    result.parts.append(Part("rules", names["rules"], rate(acknowledged, len(binding)),
                             _("%(a)d of %(b)d binding rules acknowledged") % {"a": acknowledged, "b": len(binding)}))

    weights = scheme.weights()
    for part in result.parts:
        part.weight = weights[part.key]
    used = [p for p in result.parts if p.score is not None and p.weight]
    total_weight = sum(p.weight for p in used)
    if total_weight:
        result.total = (sum(p.score * p.weight for p in used) / total_weight).quantize(CENT, ROUND_HALF_UP)
        bands = sorted(scheme.bands.all(), key=lambda b: -b.min_score) if scheme.pk else []
        result.grade = next((b.name for b in bands if result.total >= b.min_score), "")
    return result


def office_assessments(people, year: int, *, today: dt.date | None = None) -> list[Assessment]:
    """Everyone's assessment, the information quarters and the scheme loaded once."""
    today = today or timezone.localdate()
    scheme, quarters = scheme_for(year), information_rows(year, today)
    return [assess(u, year, scheme=scheme, today=today, quarters=quarters) for u in people]
