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


def test_a_total_of_0_with_no_score_filled_is_not_a_sum_to_check():
    """A blank table's 总分 formula (=SUM of empty 得分 cells) shows 0: with no 得分 filled there is
    no sum to compare, so total-mismatch stays silent (the rules would make 99.51)."""
    ev = clean()
    ev.budget.score = None
    for ind in ev.indicators:
        ind.score = None
    ev.total_score = D(0)
    assert "total-mismatch" not in rules_of(validate(ev))


def test_total_tolerance_is_n_half_cents_inclusive():
    """8 scored lines: 99.51 + 0.04 is rounding of the parts, + 0.045 is a slip."""
    ev = clean()
    ev.total_score = D("99.55")
    assert "total-mismatch" not in rules_of(validate(ev))
    ev.total_score = D("99.555")
    assert one(validate(ev), "total-mismatch").expected == D("99.51")


# --- score-differs-from-rule: how the budget score is worked out ----------------------------

def test_budget_score_message_shows_the_sheet_weight_and_the_rate():
    """分值 5 on the sheet: 5 × 1521.57 ÷ 1600 = 4.7549… → 4.75; the message shows 分值5×执行率95.10%."""
    ev = clean()
    ev.budget.weight, ev.budget.score = D(5), D(3)
    f = one(validate(ev), "score-differs-from-rule")
    assert f.expected == D("4.75") and "（分值5×执行率95.10%）" in f.message


def test_budget_score_message_shows_the_profile_weight_when_the_sheet_has_none():
    """No 分值 on the sheet: the profile's 10 points, 10 × 0.95098 = 9.51."""
    ev = clean()
    ev.budget.weight, ev.budget.score = None, D("7.51")
    f = one(validate(ev), "score-differs-from-rule")
    assert f.expected == D("9.51") and "（分值10×执行率95.10%）" in f.message


# --- qualitative-band: every indicator, both kinds, the ends ---------------------------------

def test_band_check_goes_on_after_an_indicator_inside_its_band():
    """减轻… (15 points, 达成) scores 15, inside [12, 15]; 推动… (达成 too) scores 10, below 12."""
    ev = clean()
    ev.indicators[5].score = D(10)
    f = one(validate(ev), "qualitative-band")
    assert f.cell == "绩效自评表!H9" and f.expected == [D(12), D(15)]
    assert f.message.startswith("定性指标“推动我县医保事业发展”")


def test_band_check_goes_on_after_an_indicator_without_a_band():
    """减轻… reads "见附件" (no band: not-scorable); 推动… is still checked."""
    ev = clean()
    ev.indicators[4].actual = "见附件"
    ev.indicators[5].score = D(10)
    assert one(validate(ev), "qualitative-band").cell == "绩效自评表!H9"


def test_a_missed_deadline_is_checked_against_its_band_as_a_quantitative_indicator():
    """补助时间 due "2021年11月底前", done "2021年12月": missed → 未达成 [0%,60%) of 10 = 0–6 (6
    excluded); 10 stated is outside. A 时效 indicator, not 定性: a warning naming it 指标."""
    ev = clean()
    ind = ev.indicators[2]
    ind.target, ind.actual, ind.header_unit, ind.completion_stated = "2021年11月底前", "2021年12月", None, None
    f = one(validate(ev), "qualitative-band")
    assert f.severity == "warning" and f.expected == [D(0), D(6)]
    assert f.message.startswith("指标“补助时间（年）”实际完成时间")


def test_band_upper_end_tolerates_half_a_cent():
    """达成 [80%,100%] of 15: 15.005 is rounding of 15 (score-exceeds-weight says the rest)."""
    ev = clean()
    ev.indicators[5].score = D("15.005")
    assert "qualitative-band" not in rules_of(validate(ev))
    ev.indicators[5].score = D("15.01")
    assert "qualitative-band" in rules_of(validate(ev))


def test_an_open_lower_end_excludes_its_bound():
    """A provincial profile writing 达成 as (80%,100%] ("min_open"): 12 of 15 is not inside it."""
    from udfs.profile import Profile, default_profile

    base = default_profile()
    bands = [{**b, "min_open": True} if b["band"] == "达成" else b for b in base.data["qualitative_bands"]]
    prof = Profile(base.id + "-open", base.title, {**base.data, "qualitative_bands": bands})
    ev = clean()
    ev.indicators[5].score = D(12)
    assert "qualitative-band" not in rules_of(validate(ev))
    assert one(validate(ev, prof), "qualitative-band").cell == "绩效自评表!H9"
    ev.indicators[5].score = D("12.01")
    assert "qualitative-band" not in rules_of(validate(ev, prof))


# --- budget-denominator-missing ---------------------------------------------------------------

def test_blank_adjusted_budget_with_only_the_initial_budget_is_flagged():
    """全年预算数 blank, 年初预算数 1600, 到位 blank: the rate is not taken on 1600 — say so."""
    ev = clean()
    ev.budget.adjusted = ev.budget.available = None
    f = one(validate(ev), "budget-denominator-missing")
    assert "未以年初预算数1600代替" in f.message


# --- completion-mismatch: every indicator, severity at 0.1 % ---------------------------------

def test_completion_check_goes_on_after_qualitative_indicators():
    """社会满意度 95 / 95% = 100.00 %; stated 50 % comes after the two 定性 indicators."""
    ev = clean()
    ev.indicators[6].completion_stated = D("0.5")
    f = one(validate(ev), "completion-mismatch")
    assert f.cell == "绩效自评表!G10" and f.expected == 1


def test_completion_check_goes_on_after_an_unreadable_value():
    """补助人数 reads "见附件" (no ratio); 应保尽保 100 / 100% = 100.00 %, stated 50 %."""
    ev = clean()
    ev.indicators[0].actual = "见附件"
    ev.indicators[1].completion_stated = D("0.5")
    assert one(validate(ev), "completion-mismatch").cell == "绩效自评表!G5"


def test_completion_off_by_exactly_a_tenth_of_a_percent_is_information():
    """99.90 % stated for 100.00 %: 0.1 % is the display of a rounding, not a wrong division."""
    ev = clean()
    ev.indicators[1].completion_stated = D("0.999")
    assert one(validate(ev), "completion-mismatch").severity == "info"
    ev.indicators[1].completion_stated = D("0.998")
    assert one(validate(ev), "completion-mismatch").severity != "info"
