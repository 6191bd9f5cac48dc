"""udfs/evaluate.py, first half (bare numbers, units, 正向/反向/等于, changes): the rules the mutation
run (benchmarks/mutation.py, results/mutation-evaluate-grammar-23a9c00.json) found unpinned.

Each expected value is worked out by hand from the rules of 财预〔2020〕10号 as DESIGN.md and
udfs/evaluate.py's docstrings state them — 正向 实际 ÷ 目标, 反向 目标 ÷ 实际 (or the profile's
1 − (实际 − 目标) ÷ 目标), 等于 1 − |实际 − 目标| ÷ |目标|, a change scored on the change itself, a
bare number read in the other side's unit only when the magnitudes agree (within a factor 10^1.5),
and when a ratio and percent points both could, a number ≤ 2 is a ratio — with scores rounded to 2
decimals half away from zero. Pairs are published rows (tests/fixtures/indicator_values.json names
each source) or the way users type them into those rows (a number without its unit, a plain "-3%").
"""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from udfs import default_profile, load_profile
from udfs.evaluate import evaluate
from udfs.parse import parse_value


def _out(target, actual, weight=10, profile=None, **kw):
    p = profile or default_profile()
    return evaluate(parse_value(target, p), parse_value(actual, p), p, weight=Decimal(weight), **kw)


@pytest.fixture
def linear_profile(tmp_path):
    """The cz2020-10 rules with ``inverse_formula: linear_to_zero`` (udfs/profile_schema.json)."""
    path = tmp_path / "linear.json"
    path.write_text(json.dumps({"id": "t-linear", "extends": "cz2020-10",
                                "scoring": {"inverse_formula": "linear_to_zero"}}), encoding="utf-8")
    return load_profile(str(path))


# --- a bare number next to a percent: ratio or percent points (bare_as, RATIO_LIMIT) -----------

def test_a_bare_three_next_to_a_percent_target_is_three_percent():
    """参训学员就业率 "60%及以上" (a_llshg2021) with "3" typed without %: 3 agrees with 60 (×20) and
    3 as a ratio (300%) with 0.6 (×5); both could, and 3 > 2, so it is 3% (only a number ≤ 2 is a
    ratio): 正向 10 × 0.03 ÷ 0.60 = 0.50."""
    out = _out("60%及以上", "3")
    assert (out.actual, str(out.score), out.met) == (Decimal("0.03"), "0.50", False)
    assert out.note == "3未写%，按3%计"


def test_a_bare_two_next_to_a_percent_target_is_a_ratio():
    """The same row with "2": 2 agrees with 60 (×30 < 31.6) and as a ratio with 0.6; both could and
    2 ≤ 2, so it is the ratio 2 = 200% (an Excel cell of 2 is 200%): 200% ≥ 60%, full 10.00."""
    out = _out("60%及以上", "2")
    assert (out.actual, str(out.score), out.met) == (Decimal(2), "10.00", True)
    assert out.note == "2按比率读作200%"


def test_a_negative_bare_number_is_read_by_its_size():
    """"同比增长10%以上" (forms: 同比增长10%以上 / 下降2%) with "-3" typed for a fall of 3%: −3 agrees
    with 10 (×0.3) and as a ratio with 0.1 (×30); |−3| = 3 > 2, so it is −3%, not −300%: the change
    −0.03 ÷ 0.10 = −0.3 → 0 points, 完成率 −30%."""
    out = _out("同比增长10%以上", "-3")
    assert (out.actual, out.completion, str(out.score)) == (Decimal("-0.03"), Decimal("-0.3"), "0.00")
    assert out.note == "-3未写%，按-3%计"


# --- a bare number next to a unit with a magnitude (18 next to 18.74万人) -------------------------

def test_a_bare_one_next_to_a_wan_target_is_one_wan():
    """造林面积 "1.2万亩" (ll2021) with "1" typed in the table's 万亩: 1 agrees with 1.2, not with
    12000亩, so it is 1万亩 (0 would be 0 in any unit; 1 is not): 正向 10 × 10000 ÷ 12000 = 8.333 → 8.33."""
    out = _out("1.2万亩", "1")
    assert (out.actual, str(out.score)) == (Decimal(10000), "8.33")


def test_a_count_in_base_units_next_to_one_wan():
    """"≥1万户" (受益农户数, as a_lyfl2022's 5000户 row written in 万户) with "12000" counted in 户:
    12000 is 12000× the written 1 but 1.2× the 10000户 it means, so it is 12000户 and the note says so:
    12000 ≥ 10000, full 10.00."""
    out = _out("≥1万户", "12000")
    assert (out.actual, str(out.score), out.met) == (Decimal(12000), "10.00", True)
    assert out.note == "12000没有单位，按12000户（而非12000万户）计"


def test_a_bare_number_agreeing_with_neither_reading_is_a_magnitude_mismatch():
    """"≥20万人" (issue11 人数单位) with "1000": 50× the written 20 and 1/200 of 200000人 — neither
    within 31.6×, so the tool cannot tell 1000万人 from 1000人 and says so (never guesses)."""
    out = _out("≥20万人", "1000")
    assert out.status == "magnitude-mismatch" and out.score is None
    assert "数量级不符" in out.message and "万人或人" in out.message


def test_a_zero_percent_target_agrees_with_any_magnitude():
    """县级储备粮库存粮食明显变质比例 "0%" (hs2020 wrote 0) with "0.5" typed without %: a target of 0
    has no magnitude to disagree with, and 0 is a ceiling (反向): any positive share misses it,
    目标 ÷ 实际 = 0 ÷ 0.5 = 0 → 0 points, whichever way 0.5 is read."""
    out = _out("0%", "0.5")
    assert (out.status, out.direction, str(out.score), out.met) == ("scored", "反向", "0.00", False)


# --- units on both sides (align, _comparable, _same_base) -------------------------------------

def test_an_actual_with_its_own_unit_is_read_as_written():
    """家长满意度 "≥95%" with "94.60%" (a_xyxw2022): the actual carries %, so no reading of a bare
    number and no note: 10 × 94.60 ÷ 95 = 9.9579 → 9.96."""
    out = _out("≥95%", "94.60%")
    assert (str(out.score), out.note) == ("9.96", None)


def test_an_actual_in_wan_yuan_against_a_yi_yuan_target():
    """林产品收入 "2.6亿元" (ll2021, 分值6, actual 2.45亿元) with the actual written "24500万元": one base
    unit (元), so 24500万元 = 2.45亿元: 6 × 2.45 ÷ 2.6 = 5.6538 → 5.65, the published row's score."""
    out = _out("2.6亿元", "24500万元", weight=6)
    assert (out.actual, str(out.score)) == (Decimal(245000000), "5.65")


def test_households_and_persons_do_not_compare():
    """农户施肥情况调查 "≧300户" (a_lyfl2022) with "320人": 户 and 人 are different units — a
    unit-mismatch, not 320 ≥ 300."""
    out = _out("≧300户", "320人")
    assert out.status == "unit-mismatch" and "户与人" in out.message


# --- 正向 / 反向 with a strict comparator, a zero target ----------------------------------------

def test_a_strict_forward_target_missed_is_proportional():
    """">95%" (issue11 严格) with 90%: not met and not at the bound, so 实际 ÷ 目标:
    10 × 0.90 ÷ 0.95 = 9.4737 → 9.47 (only exactly 95% is the strict_at_bound case)."""
    out = _out(">95%", "90%")
    assert (str(out.score), out.met, out.review) == ("9.47", False, None)


def test_a_strict_inverse_target_exceeded_is_proportional():
    """"<5%" (issue11 严格) with 8%: 反向 over target, 目标 ÷ 实际 = 10 × 5 ÷ 8 = 6.25 (not the
    at-the-bound full share)."""
    out = _out("<5%", "8%")
    assert (str(out.score), out.met, out.review) == ("6.25", False, None)


def test_a_fall_below_a_floor_of_zero_scores_zero():
    """"≥0%" (不低于上年, 增长率 at least 0) with "-2%": below the floor, and 实际 ÷ 目标 has no value
    for a target of 0 → 0 points (no division by zero)."""
    out = _out("≥0%", "-2%")
    assert (out.status, str(out.score), out.met) == ("scored", "0.00", False)


def test_a_bare_zero_target_is_a_ceiling():
    """因粮食市场波动引起的粮食安全事件发生数 "0起" (hs2020, actual 0起): a target of none can only be
    a ceiling — as 正向 any count ≥ 0 would get full points. 0起 → full 10.00; 2起 → 反向
    目标 ÷ 实际 = 0 ÷ 2 = 0 points. (Bug fixed: "0起" with 2起 scored 10.)"""
    assert (_out("0起", "0起").direction, str(_out("0起", "0起").score)) == ("反向", "10.00")
    out = _out("0起", "2起")
    assert (out.direction, str(out.score), out.met) == ("反向", "0.00", False)


def test_a_stated_forward_zero_target_met_by_zero_asks_nothing():
    """A bare "0" stated 正向 (指标性质 column) with actual 0: 0 ≥ 0 is met, full 10.00 — the review
    note for a bare target with an actual of 0 (预算调整率 3% with 0) is only for targets above 0."""
    out = _out("0", "0", direction="正向")
    assert (str(out.score), out.met, out.review) == ("10.00", True, None)


# --- the profile's linear_to_zero 反向 formula (_over) -----------------------------------------

def test_linear_to_zero_below_one(linear_profile):
    """inverse_formula linear_to_zero: 资金累计结余占比 "小于15%" (seed001; it had 3.96%) with 18%:
    1 − (18 − 15) ÷ 15 = 0.8 → 8.00 (a target under 1 — a rate — is scored, not 0)."""
    assert str(_out("小于15%", "18%", profile=linear_profile).score) == "8.00"


def test_linear_to_zero_with_a_zero_target(linear_profile):
    """linear_to_zero, "0起" (hs2020) with 1起: 1 − (1 − 0) ÷ 0 has no value; any event misses a
    target of none → 0 points (no division by zero)."""
    out = _out("0起", "1起", profile=linear_profile)
    assert (out.status, str(out.score)) == ("scored", "0.00")


# --- 等于 (_equal) -------------------------------------------------------------------------------

def test_equal_to_a_negative_target():
    """等于 "=-18℃" (a cold store's set point) with −20℃: 1 − |−20 − (−18)| ÷ |−18| = 1 − 2/18 =
    0.8889 → 8.89 (dividing by −18 would give 1.11 → full marks for a miss)."""
    out = _out("=-18℃", "-20℃")
    assert (out.direction, str(out.score)) == ("等于", "8.89")


# --- a change target (_change_size) -------------------------------------------------------------

def test_a_bare_number_under_a_percent_change_is_percent():
    """"增长10%" (issue11 变化量: 8% → 8.00) with "8" typed without %: 8 agrees with 10 and not with
    0.1, so it is 8%: 8 ÷ 10 → 8.00 (not 8 ≥ 0.10, full)."""
    out = _out("增长10%", "8")
    assert (out.actual, str(out.score)) == (Decimal("0.08"), "8.00")


def test_a_fall_under_a_rise_target_scores_zero():
    """"增长10%" with "-3%" (forms: 同比增长10%以上 / 下降2% → 0): a plain number is the change as
    written; −3% against +10% is −0.3 → 0 points, not a 3% rise (3.00)."""
    out = _out("增长10%", "-3%")
    assert (out.actual, str(out.score)) == (Decimal("-0.03"), "0.00")


@pytest.mark.parametrize(("actual", "score"), [
    ("6%", "10.00"),     # a fall of 6% ≥ 5%: met
    ("-6%", "10.00"),    # forms 减少5% / -6%: the minus sign says the same fall
    ("4%", "8.00"),      # 4 ÷ 5
])
def test_a_plain_percent_under_a_fall_target_is_the_fall(actual, score):
    """"减少5%" (forms) with a plain percent: the size of the fall in the target's direction."""
    assert str(_out("减少5%", actual).score) == score


def test_no_change_written_minus_zero_is_no_fall():
    """"减少5%" with "-0%": no fall at all — 0 ÷ 5 = 0 points, worded 下降0% (it read 下降-0%,
    完成率-0.00%: the minus of a zero was kept)."""
    from udfs.wording import describe

    assert str(_out("减少5%", "-0%").score) == "0.00"
    assert describe("减少5%", "-0%") == "下降0%（目标5%），完成率0.00%"


def test_a_magnitude_word_under_a_percent_change_is_a_unit_mismatch():
    """"增长10%" with "5万": 50000 of something is no percentage — a unit-mismatch, never 50000 ≥ 0.1
    with full points. (Bug fixed: it scored 10.) "增加10万元" with "12万" still reads 12万元 (the
    magnitude word takes the target's 元, as 200万 against 195.5万元 does): met, 10.00."""
    out = _out("增长10%", "5万")
    assert out.status == "unit-mismatch" and out.score is None
    assert str(_out("增加10万元", "12万").score) == "10.00"
