"""Rules the mutation run (benchmarks/mutation.py) found unpinned: 分值 checks (weights-sum,
level1-weights, score bounds), the displayed-precision helpers and the prose magnitude check.

Every expected value is worked out by hand from the rules of DESIGN.md on the seed 004 table
(预算执行率 10 + 产出 20/10/10/10 + 效益 15/15 + 满意度 10 = 100; 8 weighted lines, so the rounding
tolerance of a sum is 8 × 0.005 = 0.04), never printed by the code.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from addin.rules.common import as_ratio, decimals, fmt, matches_displayed, pct, rounding_tolerance
from addin.validate import validate
from tests.test_validate_rules import clean, one, rules_of

D = Decimal


# --- weights-sum -------------------------------------------------------------------------------

def test_weights_summing_below_100_is_an_error_with_the_signed_difference():
    ev = clean()
    ev.indicators[0].weight = ev.indicators[0].score = D(15)     # 10 + 15 + 10·3 + 15·2 + 10 = 95
    f = one(validate(ev), "weights-sum")
    assert f.expected == 100 and f.cell == "绩效自评表!D3"
    assert "合计为95" in f.message and "相差-5" in f.message


@pytest.mark.parametrize(("extra", "flagged"), [("0.04", False), ("0.045", True)])
def test_weights_sum_tolerance_is_n_half_cents(extra, flagged):
    """8 weighted lines: a total off by 0.04 is rounding, by 0.045 it is a slip."""
    ev = clean()
    ev.indicators[0].weight = D(20) + D(extra)
    assert ("weights-sum" in rules_of(validate(ev))) is flagged


def test_weights_sum_names_the_stated_total_cell():
    ev = clean()
    ev.weights_total = D(90)
    ev.cells["weights_total"] = "绩效自评表!D12"
    assert one(validate(ev), "weights-sum").cell == "绩效自评表!D12"


def _budget_unweighted(ev):
    """The sheet shows no 分值/得分 for 预算执行率: the profile's 10 points complete the table."""
    ev.budget.weight = ev.budget.score = None
    return ev


def test_implicit_budget_weight_completes_the_total():
    ev = _budget_unweighted(clean())                 # indicators 90 + the profile's 10 = 100
    assert "weights-sum" not in rules_of(validate(ev))


def test_implicit_budget_weight_at_the_tolerance():
    ev = _budget_unweighted(clean())                 # 7 lines: tolerance 0.035
    ev.indicators[0].weight = D("20.035")
    assert "weights-sum" not in rules_of(validate(ev))


def test_implicit_budget_weight_does_not_hide_a_shortfall():
    ev = _budget_unweighted(clean())
    ev.indicators[0].weight = ev.indicators[0].score = D(15)     # 85 + 10 = 95
    f = one(validate(ev), "weights-sum")
    assert "合计为85" in f.message


def test_without_budget_figures_the_profile_weight_is_not_assumed():
    ev = _budget_unweighted(clean())
    ev.budget.executed = None                        # no rule score for 预算执行率
    f = one(validate(ev), "weights-sum")
    assert "合计为90" in f.message and f.expected == 100


# --- level1-weights ----------------------------------------------------------------------------

def test_level1_weights_skip_an_unweighted_budget_line_and_go_on():
    ev = clean()
    ev.budget.weight = None                          # budget line first, without 分值
    ev.indicators[0].weight, ev.indicators[0].score = D(15), D(15)      # 产出 45
    ev.indicators[4].weight, ev.indicators[4].score = D(20), D(20)      # 效益 35
    cells = {f.cell for f in validate(ev) if f.rule == "level1-weights"}
    assert cells == {"绩效自评表!D4", "绩效自评表!D8"}


def test_an_indicator_without_known_level1_completes_the_group_it_fills():
    """效益 shows 15 of 30; an unplaced 15-point line fills exactly that gap — no finding, and it is
    not put under 预算执行率."""
    ev = clean()
    ev.indicators[4].level1 = "其他"
    assert "level1-weights" not in rules_of(validate(ev))


def test_level1_weights_tolerance():
    ev = clean()
    ev.indicators[0].weight = D("20.02")             # 产出 50.02 over 4 lines: tolerance 0.02
    assert "level1-weights" not in rules_of(validate(ev))
    ev.indicators[0].weight = D("20.03")
    assert "level1-weights" in rules_of(validate(ev))


# --- score bounds ------------------------------------------------------------------------------

def test_negative_budget_score_without_weight_is_found():
    ev = clean()
    ev.budget.weight, ev.budget.score = None, D(-1)
    f = one(validate(ev), "negative-score")
    assert f.cell == "绩效自评表!H3" and f.expected == 0


def test_zero_and_small_scores_are_not_negative():
    ev = clean()
    ev.indicators[1].score = D(0)
    ev.indicators[2].score = D("0.5")
    assert "negative-score" not in rules_of(validate(ev))


def test_zero_weight_is_not_negative_but_any_score_exceeds_it():
    ev = clean()
    ev.indicators[1].weight, ev.indicators[1].score = D(0), D(1)
    fs = validate(ev)
    assert "negative-score" not in rules_of(fs)
    assert one(fs, "score-exceeds-weight").cell == "绩效自评表!H5"


def test_score_bounds_go_on_after_a_line_without_score():
    ev = clean()
    ev.budget.score = None
    ev.indicators[1].score = D(12)
    assert one(validate(ev), "score-exceeds-weight").cell == "绩效自评表!H5"


def test_unnamed_indicator_is_named_as_such():
    ev = clean()
    ev.indicators[1].name = None
    ev.indicators[1].score = D(12)
    assert "（未命名指标）" in one(validate(ev), "score-exceeds-weight").message


# --- displayed precision and formatting --------------------------------------------------------

def test_rounding_tolerance():
    assert rounding_tolerance(0) == rounding_tolerance(1) == D("0.005")
    assert rounding_tolerance(8) == D("0.04")


def test_decimals_shown():
    assert decimals(D(100)) == 0
    assert decimals(D("0.951")) == 3
    assert decimals(D("NaN")) == 0


@pytest.mark.parametrize(("stated", "exact", "ok"), [
    ("0.862", "0.862", True),
    ("0.86", "0.862", True),          # 86% for 0.862
    ("0.86", "0.865", True),          # half-way: rounded either way
    ("0.86", "0.8655", False),        # beyond half a unit of the shown precision
    ("0.5", "0.9", False),
    ("0.95104", "0.951", True),       # 5 decimals shown, compared at 4 (the cap): 0.9510
    ("0.95100000001", "0.951", True),
])
def test_matches_displayed(stated, exact, ok):
    assert matches_displayed(D(stated), D(exact)) is ok


@pytest.mark.parametrize(("stated", "exact", "want"), [
    ("95.1", "0.951", "0.951"),       # a percent number
    ("1.5", "0.015", "1.5"),          # 1.5 is a ratio already
    ("150", "1.5", "1.5"),
    ("-95.1", "-0.951", "-0.951"),
    ("95.1", "-2", "95.1"),           # the exact value is no ratio either
])
def test_as_ratio(stated, exact, want):
    assert as_ratio(D(stated), D(exact)) == D(want)


def test_fmt_and_pct():
    assert fmt(8.62) == "8.62" and fmt(9.0) == "9" and fmt(None) == "空"
    assert fmt(D("1521.570")) == "1521.57"
    assert pct(D("0.951")) == "95.10%" and pct(D("1")) == "100.00%" and pct(None) == "空"
    assert pct(D("0.95123"), 3) == "95.123%"


# --- magnitude slips in prose ------------------------------------------------------------------

def test_text_magnitude_quotes_the_amount_and_points_at_the_reason_cell():
    ev = clean()
    ev.indicators[1].reason = "共支付资金100万元，其中医院垫付100元。"
    f = one(validate(ev), "magnitude-mismatch")
    assert f.cell == "绩效自评表!I5"
    assert "“100元”" in f.message and "100万元" in f.message


def test_text_magnitude_ignores_small_yuan_amounts():
    ev = clean()
    ev.indicators[1].reason = "人均补助99万元，另发放99元交通补贴。"
    assert "magnitude-mismatch" not in rules_of(validate(ev))


def test_a_budget_line_without_level1_is_checked_as_预算执行率():
    """The 预算执行率 line carries no 一级指标 of its own: its 15 points are checked against the
    profile's 10."""
    ev = clean()
    ev.budget.weight = D(15)
    lv = [f for f in validate(ev) if f.rule == "level1-weights"]
    assert [(f.cell, f.expected) for f in lv] == [("绩效自评表!D3", 10)]
