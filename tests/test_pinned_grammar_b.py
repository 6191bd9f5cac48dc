"""The 指标值 grammar (udfs/grammar.py), second round: the rules the mutation run of
benchmarks/results/mutation-evaluate-grammar-23a9c00.json left unpinned.

Every expected value is worked out by hand from the rules of 财预〔2020〕10号 as DESIGN.md and the
module docstrings state them — 正向 实际 ÷ 目标, 反向 目标 ÷ 实际, 区间 full inside, a strict
comparator (> <) not met at its bound, a change scored on the change itself, scores to 2 decimals
(Excel ROUND), 未达成 at its default 30% — and from the calendar and the units themselves
(1 周 = 7 天, 1 小时 = 60 分钟 = 3600 秒, 1‰ = 0.001). Never printed by the code.
"""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from udfs import default_profile, load_profile
from udfs.evaluate import evaluate
from udfs.parse import parse_value


def _parse(x, profile=None):
    return parse_value(x, profile or default_profile())


def _score(target, actual, weight=10, profile=None):
    p = profile or default_profile()
    return evaluate(parse_value(target, p), parse_value(actual, p), p, weight=Decimal(weight))


# --- ranges written with two comparators: which end is open --------------------------------------

@pytest.mark.parametrize(("target", "actual"), [
    ("≥95%且≤100%", "95%"),          # ≥: the lower end is in the range
    ("≥95%且≤100%", "100%"),         # ≤: so is the upper end
    ("不低于95%且不高于100%", "95%"),  # the same in words
    ("95%≤x≤100%", "100%"),
])
def test_a_closed_end_written_with_a_comparator_is_met(target, actual):
    """"≥95%且≤100%" is [95%, 100%]: an actual at either end is inside — met, full 10 points, no
    question for the reviewer."""
    out = _score(target, actual)
    assert (out.kind, out.met, str(out.score), out.review) == ("range", True, "10.00", None)


@pytest.mark.parametrize(("target", "actual"), [
    (">80%且<90%", "80%"),           # > : 80% itself is not in (80%, 90%)
    ("大于80%小于90%", "90%"),        # 小于: nor is 90%
    ("80%<x<90%", "80%"),            # the "a < x < b" form, left end
    ("80%<x<90%", "90%"),            # … and right end
])
def test_an_open_end_written_with_a_comparator_is_not_met(target, actual):
    """">80%且<90%" is (80%, 90%): an actual exactly at an end does not meet a strict comparator.
    The proportional score is full (80 ÷ 80), so the rules keep 10 and ask the reviewer to confirm."""
    out = _score(target, actual)
    assert (out.kind, out.met, str(out.score)) == ("range", False, "10.00")
    assert out.review and "不含等于" in out.review


# --- q ± tolerance -------------------------------------------------------------------------------

@pytest.mark.parametrize(("target", "low", "high", "shown"), [
    ("200万元±5%", Decimal(1900000), Decimal(2100000), "[190万元,210万元]"),   # 5% of 200 = 10
    ("100±5%", Decimal(95), Decimal(105), "[95,105]"),                       # 5% of 100 = 5
    ("95%±2%", Decimal("0.93"), Decimal("0.97"), "[93%,97%]"),               # points: 95 ∓ 2
    ("50万元±5万元", Decimal(450000), Decimal(550000), "[45万元,55万元]"),       # one unit: 50 ∓ 5
])
def test_a_tolerance(target, low, high, shown):
    """"q±N%" is relative (N% of q either side) in q's unit — 200万元±5% is 190–210万元 — unless q
    is itself a percentage (95%±2% is 93%–97%); "q±t" in q's unit is absolute."""
    v = _parse(target)
    assert (v.kind, v.low, v.high, v.display()) == ("range", low, high, shown)


def test_a_relative_tolerance_on_money_scores_as_its_range():
    """"200万元±5%" with 215万元: above 210万元 — 区间 proportional to the nearest bound: 210 ÷ 215
    (反向 above the upper end) = 0.97674 → 9.77 of 10."""
    out = _score("200万元±5%", "215万元")
    assert (out.kind, out.met, str(out.score)) == ("range", False, "9.77")


def test_a_tolerance_whose_centre_has_no_unit_is_not_guessed():
    """"100±5万元": is the centre 100万元 or 100? Not said — unknown, never a range of bare numbers."""
    assert _parse("100±5万元").kind == "unknown"


# --- "1-12月": a calendar period, not a number range ---------------------------------------------

@pytest.mark.parametrize("text", ["1-12月", "1-6月", "1-12月完成", "1月-6月", "1月至12月"])
def test_a_span_of_months_is_no_numeric_range(text):
    """"1-12月" is January to December (seed 002: "1-12月预算执行总体进度为100%"), not the numbers
    1 to 12: scoring "7月" against it as a range gave 6 ÷ 7 = 8.57 points. It is unknown: the
    target is not scored and the user is told (a period has no deadline or figure to compare)."""
    assert _parse(text).kind == "unknown"
    out = _score(text, "7月")
    assert out.status == "not-scorable" and out.score is None and text in out.message


@pytest.mark.parametrize(("target", "actual", "score"), [
    ("3-5个月", "4个月", "10.00"),            # a number of months (个月), not a span of the calendar
    ("3-5个工作日", "4个工作日", "10.00"),      # inside
    ("1-2周", "10天", "10.00"),               # 7–14天: 10 is inside
    ("30-60分钟", "1.5小时", "6.67"),          # above 60分钟 = 1小时: upper ÷ actual = 1 ÷ 1.5
])
def test_a_range_of_durations(target, actual, score):
    """A range of durations is in the duration's units (1周 = 7天, 60分钟 = 1小时): the rules compare
    it with a duration actual — they said "单位不一致（个工作日与个工作日）" before."""
    out = _score(target, actual)
    assert (out.kind, out.status, str(out.score)) == ("range", "scored", score)


# --- changes -------------------------------------------------------------------------------------

def test_a_change_capped_by_a_comparator_is_inverse():
    """"较上年下降不超过5%" caps the fall at 5%: a fall of 6% overshoots — 反向 on the change,
    5 ÷ 6 = 0.8333 → 8.33 of 10 (without the comparator a fall of 6% would meet 下降5%)."""
    out = _score("较上年下降不超过5%", "下降6%")
    assert (out.kind, out.direction, out.met, str(out.score)) == ("change", "反向", False, "8.33")


@pytest.mark.parametrize(("text", "shown"), [
    ("增长不低于5%", "提高5%以上"),
    ("较上年增长≥10%", "较上年提高10%以上"),
    ("较上年下降不超过5%", "较上年下降5%以内"),
])
def test_a_comparator_after_the_change_word_is_kept(text, shown):
    assert _parse(text).display() == shown


# --- dates ---------------------------------------------------------------------------------------

def test_no_month_has_a_32nd_day():
    """The calendar: days run 1–31 at most; "2023年12月32日" is no date (unknown, said so), 31 is."""
    assert _parse("2023年12月31日").day == 31
    assert _parse("2023年12月32日").kind == "unknown"


@pytest.mark.parametrize(("text", "shown"), [
    ("2023年12月底前", "2023年12月底前"),      # by the end of a month
    ("2023年6月30日前", "2023年6月30日前"),    # by a day
    ("2023年底完成", "2023年底前"),           # 底 + 完成: by the year's end
    ("2021年12月完成", "2021年12月"),          # done in December: the month itself, not "by"
    ("2020年全年", "2020年"),                 # the whole year: the year itself
])
def test_how_a_date_is_written_back(text, shown):
    """"…前", "…内" and "底…完成" set a deadline (by that date); a month or year alone names the
    period the work is done in."""
    v = _parse(text)
    assert (v.kind, v.display()) == ("date", shown)


@pytest.mark.parametrize("target", ["年底前完成", "年内完成"])
def test_a_deadline_without_a_date_is_a_time_limit(target):
    """"年底前完成" names no year: no date to compare — a time limit like "按期完成". Answered "是"
    it is met (10); "逾期" missed: 未达成 at 30% = 3.00; a bare month cannot be placed in a year."""
    assert _parse(target).kind == "deadline"
    assert (str(_score(target, "是").score), str(_score(target, "逾期完成").score)) == ("10.00", "3.00")
    out = _score(target, "2023年12月")
    assert (out.kind, out.status) == ("deadline", "not-scorable")


# --- deadline words ------------------------------------------------------------------------------

def test_a_deadline_word_with_up_to_four_more_characters_is_a_time_limit():
    """"按时足额拨付" (按时 + 足额拨付: 4 more characters) is a time limit: "是" meets it — 10."""
    out = _score("按时足额拨付", "是")
    assert (out.kind, out.met, str(out.score)) == ("deadline", True, "10.00")


def test_a_deadline_word_with_a_longer_description_is_a_phrase():
    """"按期完成并验收" (按期 + 5 characters: two criteria, on time *and* accepted) is a description
    read for its band words, not a time limit: "是" does not say which band — not scored, and said."""
    out = _score("按期完成并验收", "是")
    assert (out.kind, out.status) == ("qualitative", "not-scorable")


# --- durations: every unit against its base ------------------------------------------------------

@pytest.mark.parametrize(("target", "actual", "score"), [
    ("≤5个工作日", "6工作日", "8.33"),     # 工作日 = 个工作日: 5 ÷ 6
    ("≤2天", "3自然日", "6.67"),          # 自然日 = 天: 2 ÷ 3
    ("≤15日", "20天", "7.50"),            # 日 = 天: 15 ÷ 20
    ("≤8小时", "10个小时", "8.00"),        # 个小时 = 小时: 8 ÷ 10
    ("≤1周", "10天", "7.00"),             # 1周 = 7天: 7 ÷ 10
    ("≤2小时", "150分钟", "8.00"),         # 150分钟 = 2.5小时: 2 ÷ 2.5
    ("≤1分钟", "90秒", "6.67"),           # 90秒 = 1.5分钟: 1 ÷ 1.5
    ("5天以上", "4天", "8.00"),            # 以上: at least 5 — 正向 4 ÷ 5
    ("≥3日", "2天", "6.67"),              # 日 with a comparator is a duration: 2 ÷ 3
    ("15日内", "20天", "7.50"),            # 日内: within 15 days — 反向 15 ÷ 20
])
def test_durations_in_another_unit(target, actual, score):
    out = _score(target, actual)
    assert (out.kind, out.status, str(out.score)) == ("duration", "scored", score)


def test_seconds_over_a_minute_target():
    """"≤1分钟" with "90秒": 90 s = 1.5 min, 50% over the target — worded so."""
    from udfs.wording import describe

    assert describe("≤1分钟", "90秒") == "超出目标50.00%"
    assert describe("≤2小时", "150分钟") == "超出目标25.00%"      # 2.5 h against 2 h


def test_a_bare_number_next_to_months_is_months():
    """"≥3个月" with a plain 2: a duration's unit has no magnitude, so 2 is 2个月 — 2 ÷ 3 = 6.67."""
    out = _score("≥3个月", "2")
    assert (out.status, str(out.score)) == ("scored", "6.67")


# --- units from the profile ----------------------------------------------------------------------

def test_permille_words_are_the_profiles(tmp_path):
    """Units are data: a profile listing 千分比 as a permille word (as cz2020-10 lists 百分比 for
    percent, 池州棠溪镇 2022 "≥100百分比") reads "≤5千分比" as 5‰ = 0.005, "3‰" as 0.003 — 反向
    met, 10 points."""
    path = tmp_path / "permille.json"
    path.write_text(json.dumps({"id": "permille-test", "extends": "cz2020-10",
                                "units": {"permille": ["‰", "千分比"]}}, ensure_ascii=False), encoding="utf-8")
    p = load_profile(str(path))
    v = _parse("≤5千分比", p)
    assert (v.base_unit, v.value) == ("‰", Decimal("0.005"))
    out = _score("≤5千分比", "3‰", profile=p)
    assert (out.status, out.met, str(out.score)) == ("scored", True, "10.00")


# --- a cell number is a number, scale 1 ----------------------------------------------------------

def test_a_numeric_cell_target_fills_as_written():
    """`jixiao fill` with target 100 and actual 95 typed as numbers (cells, no unit): the template's
    指标值 is 100 and 实际值 95 — a number from a cell is in no magnitude."""
    from workbook_templates.fill import indicator_cells

    cells = indicator_cells({"name": "培训人数", "target": 100, "actual": 95, "unit": "人", "weight": 10},
                            default_profile())
    assert (cells["target_value"], cells["actual_value"]) == (100, 95)
