"""The 指标值 grammar, its scoring by kind and its wording: rules the mutation run
(benchmarks/mutation.py on udfs/grammar.py, evaluate.py, qualitative.py, wording.py) found unpinned.

Each expected value is worked out by hand from the rules of 财预〔2020〕10号 as DESIGN.md and the
module docstrings state them (正向 实际 ÷ 目标, 反向 目标 ÷ 实际, 区间 full inside and proportional to
the nearest bound outside, a change scored on the change itself, 偏离度 = (实际 − 目标) ÷ 目标,
percentages to 2 decimals) — never printed by the code.
"""

from __future__ import annotations

import pytest

from udfs.wording import describe

# --- udfs/wording.py: 完成情况 in words, by kind -----------------------------------------------

@pytest.mark.parametrize(("target", "actual", "want"), [
    ("80%-90%", "72%", "低于区间下限10.00%"),       # (72 − 80) ÷ 80 = −10%
    ("80%-90%", "99%", "高于区间上限10.00%"),       # (99 − 90) ÷ 90 = +10%
    ("80%-90%", "80%", "在区间内"),                 # the lower end is inside
    ("增长10%", "8%", "提高8%（目标10%），完成率80.00%"),          # 8 ÷ 10
    ("增长10%", "增长12%", "提高12%（目标10%）"),                 # met: no 完成率
    ("较上年提高5个百分点", "提高4个百分点", "提高4个百分点（目标5个百分点），完成率80.00%"),
    ("下降5%", "下降6%", "下降6%（目标5%）"),                     # a fall of 6% meets 下降5%
    ("下降5%", "下降4%", "下降4%（目标5%），完成率80.00%"),        # 4 ÷ 5
    ("≤5%", "8%", "超出目标60.00%"),                # (8 − 5) ÷ 5
    ("≤5%", "5%", "控制在目标以内"),                # at the bound: met, nothing saved
    ("≤100万元", "94.67万元", "控制在目标以内，节约5.33%"),
    ("<5%", "5%", "恰好等于目标值（目标不含等于）"),   # strict comparator at its bound: not met
    ("效果明显", "部分达成", "部分达成年度指标并具有一定效果"),   # the band's official label
    ("2023年12月底前", "2024年1月", "逾期"),
    ("2023年12月底前", "2023年12月", "按期完成"),
])
def test_wording_by_kind(target, actual, want):
    assert describe(target, actual) == want


@pytest.mark.parametrize(("target", "actual"), [
    ("≥95%", "98%"),            # 正向 number: the plain 完成率 says it
    ("=100%", "95%"),           # 等于: likewise
    ("≥95%", "正在推进"),        # not scorable: no wording
    (None, None), ("", ""),     # a blank row
    ("效果明显", "90%"),          # a degree of completion under a text target: the 完成率 says it
])
def test_no_special_wording(target, actual):
    assert describe(target, actual) is None


# --- udfs/evaluate.py -------------------------------------------------------------------------

def _score(target, actual, weight=10):
    from decimal import Decimal

    from udfs import default_profile
    from udfs.evaluate import evaluate
    from udfs.parse import parse_value

    p = default_profile()
    return evaluate(parse_value(target, p), parse_value(actual, p), p, weight=Decimal(weight))


def test_a_duration_is_no_change():
    """"增长10%" with "3天": the actual is not a change — not scorable, and said so (not a unit clash)."""
    out = _score("增长10%", "3天")
    assert out.status == "not-scorable" and "不是变化量" in out.message


def test_inverse_with_an_actual_of_zero_never_divides():
    """反向 "≤-5%" (a fall of at least 5%) with 0%: not met, 目标÷实际 has no value → 0 points."""
    out = _score("≤-5%", "0%")
    assert out.status == "scored" and out.score == 0 and out.met is False


def test_a_written_late_actual_under_a_date_target_is_missed_and_asks_for_review():
    """"逾期完成" under "2023年12月底前": missed → the profile's deadline_missed_band 未达成 at its
    default 30% (cz2020-10.json) = 3 of 10, and the reviewer is asked to confirm."""
    out = _score("2023年12月底前", "逾期完成")
    assert (out.status, out.met, out.band, str(out.score)) == ("scored", False, "未达成", "3.00")
    assert out.review and "未在“2023年12月底前”前完成" in out.review


def test_a_bare_ratio_above_two_next_to_a_high_percent_target():
    """"≥95%" with 2.5: as percent points 2.5% is 38× below 95% (beyond 10^1.5), as a ratio 250% is
    2.6× above — a ratio cell showing 250%: met, full points, and the reading said."""
    out = _score("≥95%", "2.5")
    assert (out.status, str(out.score)) == ("scored", "10.00")
    assert out.note == "2.5按比率读作250%"


@pytest.mark.parametrize(("actual", "nearest", "completion", "deviation"), [
    ("72%", "0.8", "0.9", "-0.1"),      # below 80%-90%: against the lower bound, 72 ÷ 80
    ("99%", "0.9", "1.1", "0.1"),       # above: against the upper bound, 99 ÷ 90
    ("85%", None, "1", "0"),            # inside: complete, no deviation
])
def test_range_completion_is_against_the_nearest_bound(actual, nearest, completion, deviation):
    from decimal import Decimal

    out = _score("80%-90%", actual)
    assert out.target == (Decimal(nearest) if nearest else None)
    assert out.completion == Decimal(completion) and out.deviation == Decimal(deviation)


def test_a_month_against_a_day_deadline_inside_it_is_not_decided():
    """"2023年6月" against "2023年6月1日前": June runs 1–30 June; done on 1 June would be in time,
    later would not — the month does not say which."""
    out = _score("2023年6月1日前", "2023年6月")
    assert out.status == "not-scorable" and "不够具体" in out.message


# --- udfs/grammar.py --------------------------------------------------------------------------

def _parse(x):
    from udfs import default_profile
    from udfs.parse import parse_value

    return parse_value(x, default_profile())


def test_relative_tolerance_range():
    """"100±5%": 5% of 100 either side → [95, 105] (an absolute "100±5" is the same here)."""
    v = _parse("100±5%")
    assert (v.kind, v.low, v.high) == ("range", 95, 105)
    v = _parse("200±5%")                          # 5% of 200 = 10 → [190, 210]
    assert (v.low, v.high) == (190, 210)


def test_month_13_is_no_date():
    assert _parse("2023年13月").kind != "date"
    assert _parse("2023年12月").kind == "date"


@pytest.mark.parametrize("text", ["增长10%（较上年）", "较上年增长10%"])
def test_the_base_of_a_change_is_kept_wherever_written(text):
    v = _parse(text)
    assert (v.kind, v.base, str(v.value), v.sign) == ("change", "较上年", "0.10", 1)


def test_a_year_against_new_years_day_is_not_decided():
    """"2023年" against "2023年1月1日前": the year runs from 1 January — done that day would be in
    time, later not: not decided, and said so."""
    out = _score("2023年1月1日前", "2023年")
    assert out.status == "not-scorable" and "不够具体" in out.message


def test_an_unknown_text_displays_as_written():
    """"第3批次" is no value the grammar knows (unknown, never silently qualitative): shown as written."""
    v = _parse("第3批次")
    assert (v.kind, v.display()) == ("unknown", "第3批次")
