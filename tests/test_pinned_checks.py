"""Checks the mutation run (benchmarks/mutation.py) found pinned in one direction only, or not at all:
score-differs-from-rule below the rule, the grade of the *stated* 总分, completion-mismatch severity,
low-execution on the recomputed rate at its 90% boundary, the magnitude guards (money indicators and
budget figures), 二级 subtotals ("数量指标小计") and the (5)=(3)−(4) row understated.

Every expected value is worked out by hand from the rules of DESIGN.md (财预〔2020〕10号) on the
seed 004 table (预算 1600 万元, 执行 1521.57 万元 → 95.10%, 10 × 0.951 = 9.51 points; 产出 20/10/10/10,
效益 15/15, 满意度 10; 总分 99.51, 优), never printed by the code.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from addin.validate import validate
from tests.test_validate_rules import clean, one, rules_of

D = Decimal


# --- score-differs-from-rule: both directions ----------------------------------------------------

def test_budget_score_two_points_below_the_rule_is_flagged():
    ev = clean()
    ev.budget.score = D("7.51")                   # rule 10 × 0.951 = 9.51: 2 points below
    f = one(validate(ev), "score-differs-from-rule")
    assert (f.cell, f.expected) == ("绩效自评表!H3", D("9.51"))


def test_indicator_score_two_points_below_the_rule_is_flagged():
    ev = clean()
    ev.indicators[0].score = D(18)                # 18.74万人 ≥ 18万人: met → the full 20
    f = one(validate(ev), "score-differs-from-rule")
    assert (f.cell, f.expected) == ("绩效自评表!H4", D(20))


def test_score_within_half_a_cent_of_the_rule_is_not_flagged():
    ev = clean()
    ev.budget.score = D("9.515")                  # |9.515 − 9.51| = 0.005: rounding, not a slip
    ev.total_score = D("99.515")
    assert "score-differs-from-rule" not in rules_of(validate(ev))


# --- grade-mismatch: the grade of the stated 总分 ----------------------------------------------

def test_grade_is_checked_against_the_stated_total_not_the_rule_total():
    """总分 stated 85 (the rules make 99.51): 85 is 良 (80 ≤ 85 < 90). A grade of 良 agrees with the
    stated total — total-mismatch says the total is wrong, grade-mismatch does not repeat it."""
    ev = clean()
    ev.total_score, ev.grade = D(85), "良"
    fs = validate(ev)
    assert "grade-mismatch" not in rules_of(fs) and "total-mismatch" in rules_of(fs)
    ev.grade = "优"
    f = one(validate(ev), "grade-mismatch")
    assert f.expected == "良" and "按总分85" in f.message


def test_grade_without_a_stated_total_uses_the_rule_total():
    ev = clean()
    ev.total_score, ev.grade = None, "良"         # the rules' total 99.51 is 优
    f = one(validate(ev), "grade-mismatch")
    assert f.expected == "优"


# --- completion-mismatch: 实际÷目标 or 目标÷实际, severity by how far --------------------------

def test_completion_by_target_over_actual_is_accepted():
    ev = clean()
    ev.indicators[0].completion_stated = D("0.9605")   # 18 ÷ 18.74 = 0.96051…: the 反向 reading
    assert "completion-mismatch" not in rules_of(validate(ev))


@pytest.mark.parametrize(("stated", "severity"), [
    ("1.0420", "info"),        # 18.74 ÷ 18 = 1.04111…: 0.00089 off — a rounding slip
    ("1.0430", "warning"),     # 0.00189 off: beyond 0.1 percentage point — the catalogue's warning
    ("1.0380", "warning"),     # below by 0.00311: the same rule in the other direction
])
def test_completion_mismatch_severity(stated, severity):
    ev = clean()
    ev.indicators[0].completion_stated = D(stated)
    f = one(validate(ev), "completion-mismatch")
    assert (f.severity, f.expected) == (severity, D("1.0411"))


# --- low-execution-unexplained: the recomputed rate, 90% boundary -------------------------------

def _low(executed: str, stated_rate: str | None = None):
    ev = clean()
    ev.budget.rows = []
    ev.budget.reason = None
    ev.budget.executed = D(executed)
    ev.budget.rate = D(stated_rate) if stated_rate else D(executed) / D(1600)
    ev.budget.score = None
    return ev


def test_low_execution_uses_the_recomputed_rate_not_the_stated_one():
    ev = _low("1200", "0.95")                     # stated 95%, but 1200 ÷ 1600 = 75%
    f = one(validate(ev), "low-execution-unexplained")
    assert f.cell == "绩效自评表!I3" and "75.00%" in f.message and "低于90%" in f.message


@pytest.mark.parametrize(("executed", "flagged"), [
    ("1440", False),            # 1440 ÷ 1600 = 90% exactly: not below 90%
    ("1439", True),             # 89.94%  (1439.99 would be 89.999…%, shown — and ruled — as 90.00%)
])
def test_low_execution_boundary_is_90_percent(executed, flagged):
    assert ("low-execution-unexplained" in rules_of(validate(_low(executed)))) is flagged


# --- magnitude guards ----------------------------------------------------------------------------

def _money(target: str, actual: str):
    ev = clean()
    ind = ev.indicators[3]
    ind.name, ind.header_unit, ind.target, ind.actual = "医疗救助资金支付", None, target, actual
    ind.direction, ind.completion_stated, ind.reason = "正向", None, "说明"
    return ev


@pytest.mark.parametrize(("target", "actual", "rule"), [
    ("≥3162元", "1元", "magnitude-mismatch"),       # 10^3.5 (3162): the lower end, inclusive
    ("≥3161元", "1元", None),                       # just below: a shortfall, not a 元/万元 slip
    ("≥31623元", "1元", "magnitude-mismatch"),      # 10^4.5 (31623): the upper end, inclusive
    ("≥31624元", "1元", None),
    ("≥1000万元", "100元", "unit-mismatch"),         # 10^5 apart: no 元/万元 slip, but 万元 vs 元
    ("≥0元", "0元", None),                          # zero never "10⁴ apart"
])
def test_money_indicator_magnitude_guards(target, actual, rule):
    fs = validate(_money(target, actual))
    found = rules_of(fs) & {"magnitude-mismatch", "unit-mismatch"}
    assert found == ({rule} if rule else set()), [(f.rule, f.message) for f in fs]


def test_magnitude_of_a_money_indicator_names_the_target_cell_and_the_reading():
    f = one(validate(_money("≥1177.43万元", "1177.43元")), "magnitude-mismatch")
    assert f.cell == "绩效自评表!E7" and f.expected == "1177.43万元"


def test_budget_figure_10_to_the_5_apart_is_not_the_yuan_slip():
    ev = clean()
    ev.budget.executed = D(152157000)             # 1521.57 × 10⁵: 95098 × 1600, beyond 10^4.5
    assert "magnitude-mismatch" not in rules_of(validate(ev))


def test_budget_figure_of_zero_is_no_magnitude_outlier():
    ev = clean()
    ev.budget.executed = D(0)
    ev.budget.rows = []
    assert "magnitude-mismatch" not in rules_of(validate(ev))


def test_budget_figure_a_thousand_apart_is_not_flagged():
    ev = clean()
    ev.budget.executed = D(1521570)               # 951 × 1600: below 10^3.5
    ev.budget.rows = []
    assert "magnitude-mismatch" not in rules_of(validate(ev))


def test_budget_figure_in_yuan_among_wanyuan_is_flagged_with_the_wanyuan_value():
    ev = clean()
    ev.budget.initial = D(16000000)               # 1600 万元 written in 元
    ev.budget.rows = []
    f = one(validate(ev), "magnitude-mismatch")
    assert (f.cell, f.expected) == ("预算执行情况!C4", D(1600))


# --- 二级 subtotals ----------------------------------------------------------------------------

def _subtotal(label: str, weight, score):
    ev = clean()
    ev.extra["subtotals"] = [{"level1": "产出指标", "label": label, "weight": weight, "score": score,
                              "cell": "绩效自评表!D20"}]
    return ev


def test_level2_subtotal_sums_its_own_level2_lines():
    """"数量指标小计" under 产出指标 sums 补助人数 only (20/20), not the 产出 category (50/50)."""
    assert "subtotal-mismatch" not in rules_of(validate(_subtotal("数量指标小计", 20, 20)))
    f = one(validate(_subtotal("数量指标小计", 50, 20)), "subtotal-mismatch")
    assert f.expected == D(20) and "相差30" in f.message


def test_level1_subtotal_sums_the_category():
    assert "subtotal-mismatch" not in rules_of(validate(_subtotal("产出指标小计", 50, 50)))
    f = one(validate(_subtotal("产出指标 合计", 50, "48")), "subtotal-mismatch")
    assert f.expected == D(50) and "相差-2" in f.message


def test_subtotal_below_its_lines_beyond_rounding_is_flagged():
    # 4 lines: tolerance 4 × 0.005 = 0.02
    assert "subtotal-mismatch" not in rules_of(validate(_subtotal("产出指标小计", "49.98", 50)))
    assert "subtotal-mismatch" in rules_of(validate(_subtotal("产出指标小计", "49.97", 50)))


# --- (5) = (3) − (4), understated ------------------------------------------------------------------

def test_balance_row_understated_is_flagged():
    """Seed 004: (3) 1600, (4) 1521.57 → (5) = 78.43; a stated 76.43 is 2 below."""
    ev = clean()
    by_code = {r.code[:3]: r for r in ev.budget.rows}
    col = next(c for c, v in by_code["(5)"].values.items() if v is not None)
    assert by_code["(5)"].values[col] == D("78.43")
    by_code["(5)"].values[col] = D("76.43")
    fs = [f for f in validate(ev) if f.rule == "budget-subtotal-mismatch" and "(3)−(4)" in f.message]
    assert [(f.cell, f.expected) for f in fs] == [("预算执行情况!C8", D("78.43"))]
