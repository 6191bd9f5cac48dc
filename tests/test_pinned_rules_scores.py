"""总分 checks (addin/rules/scores.py) the mutation run found unpinned, and the implicit 预算执行率
part of the 总分.

Expected values are worked out by hand on the seed 004 table (财预〔2020〕10号, profile cz2020-10):
预算 1600 万元, 执行 1521.57 万元 → 95.10 %, 10 × 0.951 = 9.51 points; the indicators weigh
20 + 10 + 10 + 10 + 15 + 15 + 10 = 90 and all score full; 总分 9.51 + 90 = 99.51 (优). Never
printed by the code.
"""

from __future__ import annotations

from decimal import Decimal

from addin.validate import validate
from tests.test_validate_rules import clean, one, rules_of

D = Decimal


def _budget_unweighted(ev):
    """The sheet shows no 分值/得分 for 预算执行率: the profile's 10 points complete the table."""
    ev.budget.weight = ev.budget.score = None
    return ev


# --- total-mismatch with the implicit budget part --------------------------------------------

def test_stated_total_with_the_implicit_budget_score_is_not_flagged():
    """Bug found while pinning: Σ 得分 of the indicators is 90, but the rules score 预算执行率 with the
    profile's 10 points (9.51), so the stated 总分 99.51 is right — no total-mismatch."""
    assert "total-mismatch" not in rules_of(validate(_budget_unweighted(clean())))


def test_stated_total_missing_the_implicit_budget_score_is_flagged():
    """总分 stated 90 leaves out the 9.51 points of 预算执行率: the sum is 99.51."""
    ev = _budget_unweighted(clean())
    ev.total_score = D(90)
    f = one(validate(ev), "total-mismatch")
    assert f.expected == D("99.51") and "各项得分之和为99.51" in f.message


def test_a_table_whose_indicators_weigh_100_does_not_add_the_budget_score():
    """Indicators weighing 100 (补助人数 30 instead of 20) leave no room for 预算执行率: the 总分 is
    Σ 得分 of the indicators, 100, even though the budget figures give a rate."""
    ev = _budget_unweighted(clean())
    ev.indicators[0].weight = ev.indicators[0].score = D(30)
    ev.total_score = D(100)
    assert "total-mismatch" not in rules_of(validate(ev))
    ev.total_score = D("109.51")
    assert one(validate(ev), "total-mismatch").expected == D(100)
