"""Quarter results: points by level, outlet and form, the leader's-comment bonus, the quota and
its reward or penalty, ranking, a withdrawal, a rule change mid-year, a secretary with zero, and
a closed quarter that nothing rewrites. Figures are counted by hand in each test's comment."""

import datetime as dt
from decimal import Decimal as D

import pytest

from office.information import selectors, workflow
from office.information.models import ClosedQuarter, Level, OutletPoints, QuarterResult, Quota, ScoringRule
from office.workflow import WorkflowError


def by_name(rows):
    return {r.name: r for r in rows}


def test_points_by_level_form_and_comment_with_quota_reward_and_penalty(ip, adopt):
    # 何思源: city full 3 + province summary 6*50% = 3 + national combined 10*30% = 3, with a
    # comment +5 → 14 points; 3 adoptions at city or above against a quota of 2 → reward 100
    adopt(ip.a, ip.city, dt.date(2025, 4, 10))
    adopt(ip.a, ip.province, dt.date(2025, 5, 6), form="summary")
    adopt(ip.a, ip.national, dt.date(2025, 6, 20), form="combined", comment="很好，请各地学习。")
    # 马佳丽: county full 1 → 1 point; 0 counted against 2 → penalty 2 * 50 = 100
    adopt(ip.b, ip.county, dt.date(2025, 5, 1))
    rows = by_name(selectors.quarter_results(year=2025, quarter=2))
    a, b, zero = rows["何思源"], rows["马佳丽"], rows["高鹏"]
    assert (a.county, a.city, a.province, a.national, a.comments) == (0, 1, 1, 1, 1)
    assert (a.points, a.counted, a.quota, a.quota_met, a.reward, a.penalty) == (D("14.00"), 3, 2, True, D("100.00"), 0)
    assert (b.county, b.points, b.counted, b.quota_met, b.reward, b.penalty) == (1, D("1.00"), 0, False, 0, D("100.00"))
    assert (zero.adopted, zero.points, zero.counted, zero.quota, zero.penalty, zero.rank) == (
        0, 0, 0, 2, D("100.00"), 3)
    ranked = [(r.rank, r.name) for r in selectors.quarter_results(year=2025, quarter=2)]
    assert ranked[:2] == [(1, "何思源"), (2, "马佳丽")]


def test_every_secretary_is_listed_with_zeros_and_equal_figures_share_a_rank(ip):
    rows = selectors.quarter_results(year=2025, quarter=1)
    # the reviewer, the information chief and the three secretaries hold the secretary role;
    # the director, the leader, the clerk and the secretariat's chief do not
    assert sorted(r.name for r in rows) == sorted(["宋信息", "杨科长", "何思源", "马佳丽", "高鹏"])
    assert {(r.rank, r.points, r.counted, r.penalty) for r in rows} == {(1, 0, 0, D("100.00"))}


def test_an_outlets_own_points_override_its_level(ip, adopt):
    OutletPoints.objects.create(rule=ip.rule, outlet=ip.city_special, points=D("4.5"))
    adopt(ip.a, ip.city_special, dt.date(2025, 2, 3))
    adopt(ip.a, ip.city, dt.date(2025, 2, 4))
    assert by_name(selectors.quarter_results(year=2025, quarter=1))["何思源"].points == D("7.50")  # 4.5 + 3


def test_a_withdrawn_adoption_counts_for_nothing_and_is_kept(ip, adopt):
    first = adopt(ip.a, ip.city, dt.date(2025, 7, 1))
    adopt(ip.a, ip.province, dt.date(2025, 7, 2))
    assert by_name(selectors.quarter_results(year=2025, quarter=3))["何思源"].points == D("9.00")
    workflow.withdraw_adoption(item=first.item, acting_user=ip.reviewer, adoption=first, reason="刊物撤稿")
    row = by_name(selectors.quarter_results(year=2025, quarter=3))["何思源"]
    # 6 points, one counted: below the quota of 2 → penalty 50
    assert (row.city, row.province, row.points, row.counted, row.reward, row.penalty) == (
        0, 1, D("6.00"), 1, 0, D("50.00"))
    first.refresh_from_db()
    assert (first.withdrawal_reason, first.withdrawn_by) == ("刊物撤稿", ip.reviewer)


def test_a_rule_change_mid_year_applies_from_its_date_only(ip, adopt):
    adopt(ip.a, ip.city, dt.date(2025, 5, 30))  # old rule: 3
    adopt(ip.a, ip.city, dt.date(2025, 6, 2), title="第二条")  # new rule from 1 June: 4
    ScoringRule.objects.create(name="2025年修订", effective_from=dt.date(2025, 6, 1), city_points=D("4"),
                               reward_per_item=D("200"), penalty_per_item=D("80"))
    Quota.objects.create(user=ip.a, effective_from=dt.date(2025, 6, 15), minimum=1, level=Level.CITY)
    row = by_name(selectors.quarter_results(year=2025, quarter=2))["何思源"]
    # two counted against his own quota of 1 (in force on 30 June) → 1 above * 200 (the rule in
    # force on the quarter's last day)
    assert (row.points, row.quota, row.counted, row.reward) == (D("7.00"), 1, 2, D("200.00"))
    # the first quarter knew neither change
    q1 = by_name(selectors.quarter_results(year=2025, quarter=1))["何思源"]
    assert (q1.quota, q1.penalty) == (2, D("100.00"))


def test_a_closed_quarter_is_never_rewritten(ip, adopt):
    kept = adopt(ip.a, ip.city, dt.date(2025, 1, 10))
    adopt(ip.a, ip.province, dt.date(2025, 2, 10))
    before = [(r.name, r.points, r.counted, r.reward, r.penalty, r.rank)
              for r in selectors.quarter_results(year=2025, quarter=1)]
    closed = workflow.close_quarter(acting_user=ip.director, year=2025, quarter=1)
    assert QuarterResult.objects.filter(closed=closed).count() == 5
    # afterwards: a withdrawal, a new rule back-dated to January, a new quota
    workflow.withdraw_adoption(item=kept.item, acting_user=ip.reviewer, adoption=kept, reason="撤稿")
    ScoringRule.objects.create(name="改", effective_from=dt.date(2025, 1, 2), city_points=D("9"),
                               province_points=D("9"))
    Quota.objects.create(user=None, effective_from=dt.date(2025, 3, 1), minimum=5, level=Level.PROVINCE)
    after = selectors.quarter_results(year=2025, quarter=1)
    assert [(r.name, r.points, r.counted, r.reward, r.penalty, r.rank) for r in after] == before
    assert all(r.frozen for r in after)
    # and no adoption dated in it can be recorded any more
    with pytest.raises(WorkflowError) as exc:
        adopt(ip.b, ip.city, dt.date(2025, 3, 3))
    assert exc.value.code == "closed"


def test_a_quarter_is_closed_once_only_after_it_ended_and_by_whom_the_rule_says(ip):
    with pytest.raises(WorkflowError) as exc:
        workflow.close_quarter(acting_user=ip.a, year=2025, quarter=1)
    assert exc.value.code == "forbidden"
    with pytest.raises(WorkflowError) as exc:
        workflow.close_quarter(acting_user=ip.director, year=2099, quarter=1)
    assert exc.value.code == "too_early"
    workflow.close_quarter(acting_user=ip.info_chief, year=2025, quarter=1)
    with pytest.raises(WorkflowError) as exc:
        workflow.close_quarter(acting_user=ip.director, year=2025, quarter=1)
    assert exc.value.code == "duplicate"
    assert ClosedQuarter.objects.count() == 1


@pytest.mark.parametrize("n", [1, 6])
def test_quarter_results_run_a_fixed_number_of_queries(ip, adopt, django_assert_num_queries, n):
    for k in range(n):
        adopt([ip.a, ip.b][k % 2], ip.city, dt.date(2025, 4, 1 + k), title=f"条{k}")
    with django_assert_num_queries(6):
        rows = selectors.quarter_results(year=2025, quarter=2)
    assert sum(r.adopted for r in rows) == n
    workflow.close_quarter(acting_user=ip.director, year=2025, quarter=2)
    with django_assert_num_queries(2):
        assert len(selectors.quarter_results(year=2025, quarter=2)) == 5
