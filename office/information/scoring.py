"""The arithmetic of a quarter: points per adoption, the quota, the reward or the penalty, the
ranking. One definition, used by the quarter page, its Excel and PDF, the frozen results of a
closed quarter, the dashboard and the year-end assessment.

- An adoption counts when it is not withdrawn, in the quarter of the day it was adopted.
- Its points: the rule in force on that day (the latest ``ScoringRule`` whose ``effective_from``
  is on or before it); the outlet's own points under that rule if it has them, otherwise the
  points of the adoption's level; times the form's percentage (全文 100 %, 摘要 and 综合 as the
  rule says); plus the rule's bonus when a leader commented on it (批示).
- The quota: the person's own ``Quota`` in force on the quarter's last day, else the default
  one; it counts adoptions at its level or above. Without any quota the quota is 0.
- Reward and penalty: the rule in force on the quarter's last day, per item above or below.
- Ranking: by points, then by items counted toward the quota; equal figures share a rank
  (1, 1, 3).
- Everyone who holds the secretary role is listed, zeros included, and so is anyone else with
  an adoption counted in the quarter.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from decimal import Decimal

from office.information.models import Level

LEVEL_KEYS = {Level.COUNTY: "county", Level.CITY: "city", Level.PROVINCE: "province",
              Level.NATIONAL: "national"}
ZERO = Decimal("0")
CENT = Decimal("0.01")


@dataclass
class Row:
    user_id: int
    name: str
    unit_name: str
    county: int = 0
    city: int = 0
    province: int = 0
    national: int = 0
    comments: int = 0
    points: Decimal = ZERO
    quota: int = 0
    quota_level: int = Level.CITY
    counted: int = 0
    reward: Decimal = ZERO
    penalty: Decimal = ZERO
    rank: int = 0
    frozen: bool = False
    adoptions: list = field(default_factory=list, repr=False)

    @property
    def adopted(self) -> int:
        return self.county + self.city + self.province + self.national

    @property
    def quota_met(self) -> bool:
        return self.counted >= self.quota

    @property
    def to_go(self) -> int:
        return max(0, self.quota - self.counted)

    @property
    def quota_level_label(self) -> str:
        return str(Level(self.quota_level).label)


class Rules:
    """The scoring rules and quotas, loaded once (three queries)."""

    def __init__(self, rules, outlet_points, quotas):
        self.rules = sorted(rules, key=lambda r: r.effective_from)
        self.starts = [r.effective_from for r in self.rules]
        self.outlet_points = {(p.rule_id, p.outlet_id): p.points for p in outlet_points}
        self.quotas = sorted(quotas, key=lambda q: q.effective_from)

    @classmethod
    def load(cls) -> Rules:
        from office.information.models import OutletPoints, Quota, ScoringRule

        return cls(list(ScoringRule.objects.all()), list(OutletPoints.objects.all()),
                   list(Quota.objects.all()))

    def rule_on(self, day):
        i = bisect.bisect_right(self.starts, day)
        return self.rules[i - 1] if i else None

    def points(self, adoption) -> Decimal:
        rule = self.rule_on(adoption.adopted_on)
        if rule is None:
            return ZERO
        base = self.outlet_points.get((rule.pk, adoption.outlet_id))
        if base is None:
            base = rule.level_points(adoption.level)
        percent = {"full": 100, "summary": rule.summary_percent, "combined": rule.combined_percent}[adoption.form]
        value = base * Decimal(percent) / Decimal(100)
        if adoption.leader_comment.strip():
            value += rule.comment_bonus
        return value.quantize(CENT)

    def quota_for(self, user_id: int, day):
        own = default = None
        for q in self.quotas:
            if q.effective_from > day:
                break
            if q.user_id == user_id:
                own = q
            elif q.user_id is None:
                default = q
        return own or default


def compute(people, adoptions, rules: Rules, quarter_end) -> list[Row]:
    """Rows for ``people`` ((id, name, unit name) tuples) and ``adoptions`` (live, of the quarter,
    each with ``item.author_id``), ranked."""
    rows: dict[int, Row] = {pk: Row(pk, name, unit or "") for pk, name, unit in people}
    for adoption in adoptions:
        author = adoption.item.author
        row = rows.get(author.pk)
        if row is None:
            row = rows[author.pk] = Row(author.pk, author.get_full_name(),
                                        str(author.unit) if author.unit_id else "")
        key = LEVEL_KEYS[Level(adoption.level)]
        setattr(row, key, getattr(row, key) + 1)
        row.comments += bool(adoption.leader_comment.strip())
        row.points += rules.points(adoption)
        row.adoptions.append(adoption)
    end_rule = rules.rule_on(quarter_end)
    for row in rows.values():
        quota = rules.quota_for(row.user_id, quarter_end)
        row.quota = quota.minimum if quota else 0
        row.quota_level = quota.level if quota else Level.CITY
        row.counted = sum(1 for a in row.adoptions if a.level >= row.quota_level)
        if end_rule is not None:
            if row.counted > row.quota:
                row.reward = (end_rule.reward_per_item * (row.counted - row.quota)).quantize(CENT)
            elif row.counted < row.quota:
                row.penalty = (end_rule.penalty_per_item * (row.quota - row.counted)).quantize(CENT)
    return rank(list(rows.values()))


def rank(rows: list[Row]) -> list[Row]:
    rows.sort(key=lambda r: (-r.points, -r.counted, r.name, r.user_id))
    previous, previous_rank = None, 0
    for position, row in enumerate(rows, start=1):
        figures = (row.points, row.counted)
        row.rank = previous_rank if figures == previous else position
        previous, previous_rank = figures, row.rank
    return rows
