"""Worksheet-function behaviour that no test pinned (issue: mutation testing of the scoring core).

Each expected value is worked out by hand from the rules of 财预〔2020〕10号 as DESIGN.md states
them (正向 分值 × 实际 ÷ 目标, 反向 分值 × 目标 ÷ 实际, 区间 full inside and proportional to the bound
outside, rates to 4 decimals, scores to 2, Excel ROUND half away from zero) — never printed by the
code. Functions are called by their Chinese worksheet names, as a user types them.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from udfs import FUNCTIONS as F
from udfs import InputError

D = Decimal


# --- the ratio functions ------------------------------------------------------------------------

@pytest.mark.parametrize(("fn", "args", "want"), [
    ("成本节约率", (100, "94.67"), "0.0533"),      # (100 − 94.67) ÷ 100
    ("成本节约率", (100, 105), "-0.05"),           # overspent: negative
    ("质量达标率", (95, 100), "0.95"),
    ("质量达标率", (2, 3), "0.6667"),              # 0.66666… rounded half away from zero
    ("结余率", ("78.43", 1600), "0.049"),          # seed 004: 78.43 ÷ 1600 = 0.04901875
    ("增长率", (110, 100), "0.1"),
    ("增长率", (90, 100), "-0.1"),
    ("占比", (1, 3), "0.3333"),
    ("执行进度", (1200, 1600), "0.75"),
    ("资金到位率", (1500, 1600), "0.9375"),
    ("预算执行率", (0, 1600), "0"),
])
def test_rate_values(fn, args, want):
    assert F[fn](*args) == D(want)


@pytest.mark.parametrize(("fn", "args"), [
    ("成本节约率", (0, 10)), ("质量达标率", (1, 0)), ("结余率", (1, 0)), ("增长率", (1, 0)),
])
def test_rate_of_a_zero_base_is_an_error(fn, args):
    with pytest.raises(InputError):
        F[fn](*args)


# --- totals and weighting -----------------------------------------------------------------------

def test_weighted_score_skips_a_blank_row_and_goes_on():
    """(90×100 + 80×300) ÷ (100 + 300) = 33000 ÷ 400 = 82.50; the blank score's funds drop out."""
    assert F["资金加权得分"]([90, None, 80], [100, 100, 300]) == D("82.5")


def test_weighted_score_of_nothing_is_blank_and_sizes_must_match():
    assert F["资金加权得分"]([None], [100]) is None
    with pytest.raises(InputError):
        F["资金加权得分"]([90, 80], [100])


def test_total_skips_blanks():
    assert F["总分"]([D("1.005"), None, D("2.005")]) == D("3.01")
    assert F["总分"]([None, None]) is None


@pytest.mark.parametrize(("total", "grade"), [
    (100, "优"), (90, "优"), ("89.99", "良"), (80, "良"), ("79.99", "中"), (60, "中"), ("59.99", "差"),
    (0, "差"),
])
def test_grade_boundaries(total, grade):
    assert F["评价等级"](total) == grade


# --- 预算执行率 score ----------------------------------------------------------------------------

@pytest.mark.parametrize(("executed", "budget", "weight", "want"), [
    (0, 1600, 10, "0"),                 # nothing spent
    (1700, 1600, 10, "10"),             # capped at the points
    ("1521.57", 1600, 0, "0"),          # 分值 0
    ("1521.57", 1600, 20, "19.02"),     # 20 × 0.95098125 = 19.019625
])
def test_budget_score(executed, budget, weight, want):
    assert F["预算执行得分"](executed, budget, weight) == D(want)


# --- quantitative indicators --------------------------------------------------------------------

@pytest.mark.parametrize(("target", "actual", "want"), [
    ("80%-90%", "85%", "10"),           # inside the range
    ("80%-90%", "95%", "9.47"),         # above the upper bound: 10 × 90 ÷ 95 = 9.4737
    ("80%-90%", "70%", "8.75"),         # below the lower bound: 10 × 70 ÷ 80
    ("80-90%", "95%", "9.47"),          # the unit written on the upper bound only
    ("8-9", "9.5万人", "9.47"),          # a bare range takes the actual's unit: 10 × 9 ÷ 9.5
    ("5天以内", "6天", "8.33"),          # comparator at the end: 反向, 10 × 5 ÷ 6
    ("5天以内", "4天", "10"),
    ("≤0", "0", "10"),                  # zero tolerance (事故 0 起) met
    ("≤0", "1", "0"),
    ("≤5%", "8%", "6.25"),              # 反向 percent over target: 10 × 5 ÷ 8
    ("≤5‰", "6‰", "8.33"),              # per mille
    ("=100%", "95%", "9.5"),            # 等于: 1 − |95 − 100| ÷ 100
    ("=1", "1", "10"),
    ("=0", "0", "10"),
    ("=0", "1", "0"),
])
def test_indicator_score(target, actual, want):
    assert F["指标得分"](10, target, actual) == D(want)


def test_indicator_worth_zero_points_scores_zero():
    assert F["指标得分"](0, "≥95%", "90%") == 0


def test_completion_of_a_ratio_cell_against_a_percent_target():
    """A cell holding 1 (shown 100%) against "95%": 1 ÷ 0.95 = 1.05263…"""
    assert F["完成率"](1, "95%") == D("1.0526")


def test_completion_per_mille():
    assert F["完成率"]("3‰", "≤5‰") == D("0.6")


# --- qualitative --------------------------------------------------------------------------------

@pytest.mark.parametrize(("band", "rate", "want"), [
    ("达成", "0.9", "9"),
    ("达成", 90, "9"),                 # a 得分率 written as a percent number
    ("达成", "0.8", "8"),              # 达成 includes 80%
    ("未达成", "0.3", "3"),
])
def test_qualitative_score_inside_its_band(band, rate, want):
    assert F["定性得分"](10, band, rate) == D(want)


def test_qualitative_rate_outside_its_band_is_refused():
    with pytest.raises(InputError):
        F["定性得分"](10, "达成", "0.5")
