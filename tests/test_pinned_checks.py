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
    ("≥0元", "5元", None),
    ("≥1元", "1万元", "magnitude-mismatch"),        # 1 元 against 10000 元: 10⁴ apart from 1 up
    ("≥1万元", "1元", "magnitude-mismatch"),
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


def test_a_bare_subtotal_sums_its_category():
    """"小计" alone under 产出指标 names no 二级指标: it sums the category, 20 + 10 + 10 + 10 = 50."""
    f = one(validate(_subtotal("小计", 45, 50)), "subtotal-mismatch")
    assert f.expected == D(50) and "相差-5" in f.message


def test_a_blank_subtotal_weight_leaves_its_score_checked():
    """分值 left blank on the 小计 row (missing-field's business); its 得分 48 ≠ 50 is still a slip."""
    f = one(validate(_subtotal("产出指标小计", None, 48)), "subtotal-mismatch")
    assert f.expected == D(50) and "得分为48" in f.message


def test_a_subtotal_of_no_known_category_does_not_stop_the_next():
    """A 小计 row the reader could not place (no 一级指标) is skipped; the 效益 one after it is checked."""
    ev = _subtotal("产出指标小计", 50, 50)
    ev.extra["subtotals"] = [{"level1": None, "label": "小计", "weight": 1, "score": 1, "cell": "绩效自评表!D19"},
                             {"level1": "效益指标", "label": "效益指标小计", "weight": 30, "score": 28,
                              "cell": "绩效自评表!D21"}]
    f = one(validate(ev), "subtotal-mismatch")
    assert (f.cell, f.expected) == ("绩效自评表!D21", D(30))


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


# --- total-mismatch: a stated 得分 counts as stated, a blank one by its rule score ------------------

def test_total_counts_each_stated_score_as_stated():
    ev = clean()
    ev.indicators[4].score = D(14)                # 达成 on 15 points (12–15): the human's 14 stands
    ev.total_score = D("98.51")                   # 99.51 − 1
    assert "total-mismatch" not in rules_of(validate(ev))


def test_total_takes_the_rule_score_of_a_blank_score():
    ev = clean()
    ev.indicators[1].score = None                 # 100% of ≥100: the rules give the full 10
    assert "total-mismatch" not in rules_of(validate(ev))
    ev.total_score = D("89.51")
    assert one(validate(ev), "total-mismatch").expected == D("99.51")


# --- score-differs-from-rule goes on after a qualitative line ----------------------------------

def test_score_differs_checks_the_lines_after_a_qualitative_one():
    ev = clean()
    ev.indicators[6].score = D(8)                 # 满意度 95% of ≥95: full 10 (after two 定性 lines)
    ev.total_score = D("97.51")
    f = one(validate(ev), "score-differs-from-rule")
    assert (f.cell, f.expected) == ("绩效自评表!H10", D(10))


# --- grade wording -------------------------------------------------------------------------------

@pytest.mark.parametrize(("grade", "flagged"), [
    ("（优）", False),            # 3 characters holding 优: the grade as written in brackets
    ("优秀", False), ("优", False),
    ("等级为良", True),           # 4 characters: not a short form of 优
])
def test_grade_short_forms(grade, flagged):
    ev = clean()
    ev.grade = grade
    assert ("grade-mismatch" in rules_of(validate(ev))) is flagged


# --- completion-mismatch: the cases it cannot or must compute -----------------------------------

def test_completion_of_a_text_target_is_not_checked():
    ev = clean()
    ind = ev.indicators[0]
    ind.target, ind.direction, ind.completion_stated = "见附件", "正向", D("1.04")
    assert "completion-mismatch" not in rules_of(validate(ev))


def test_completion_of_a_ratio_of_one():
    """医疗保险应保尽保: "100" of "100%" is 1 ÷ 1 = 100%; a stated 90% is wrong."""
    ev = clean()
    ev.indicators[1].completion_stated = D("0.9")
    f = one(validate(ev), "completion-mismatch")
    assert f.expected == D(1)


# --- qualitative-band: the ends of 部分达成 [60%, 80%) ---------------------------------------------

def _partial(score: str, band: str | None = None, actual: str = "部分达成"):
    ev = clean()
    ind = ev.indicators[4]                        # 15 points: 部分达成 is 9 ≤ score < 12
    ind.target, ind.actual, ind.score, ind.band = "效果明显", actual, D(score), band
    return ev


@pytest.mark.parametrize(("score", "flagged"), [
    ("8.995", False),           # 9 − half a cent: a rounded 9
    ("8.99", True),
    ("11.99", False),
    ("12", True),               # 12 is 80%: 达成's, not 部分达成's (the upper end is open)
])
def test_partial_band_ends(score, flagged):
    assert ("qualitative-band" in rules_of(validate(_partial(score)))) is flagged


def test_band_message_names_the_chosen_band_or_the_actual():
    f = one(validate(_partial("15", band="部分达成", actual="持续")), "qualitative-band")
    assert "所选定性档次“部分达成”" in f.message
    f = one(validate(_partial("15", actual="部分达成年度指标")), "qualitative-band")
    assert "实际完成“部分达成年度指标”" in f.message and "9–12分（不含12分）" in f.message


# --- budget-denominator-missing ---------------------------------------------------------------

def test_blank_adjusted_budget_is_not_replaced_by_the_initial_one():
    ev = clean()
    ev.budget.adjusted = None
    f = one(validate(ev), "budget-denominator-missing")
    assert f.cell == "预算执行情况!C5" and "未以年初预算数1600代替" in f.message
    ev.budget.initial = None                      # only 实际到位资金 left: nothing to say about 年初
    f = one(validate(ev), "budget-denominator-missing")
    assert "年初预算数" not in f.message and f.message.endswith("请填写全年预算数。")


# --- deviation-unexplained at its threshold --------------------------------------------------------

@pytest.mark.parametrize(("actual", "flagged"), [
    ("23.4万人", False),        # (23.4 − 18) ÷ 18 = 30% exactly: not above 30%
    ("23.41万人", True),        # 30.06%
    ("12.6万人", False),        # −30% exactly
    ("12.59万人", True),
])
def test_deviation_threshold_is_exclusive(actual, flagged):
    ev = clean()
    ev.indicators[0].actual, ev.indicators[0].completion_stated, ev.indicators[0].reason = actual, None, None
    ev.indicators[0].score = None
    assert ("deviation-unexplained" in rules_of(validate(ev))) is flagged


# --- indicator units: messages and the cases reported ------------------------------------------

def test_bare_target_read_in_the_header_unit_is_said_so():
    ev = _money("1177.43", "1177.43元")
    ev.indicators[3].header_unit = "万元"           # "资金（万元）": 1177.43 is 1177.43万元
    f = one(validate(ev), "magnitude-mismatch")
    assert "目标值“1177.43”（按指标名称中的单位即1177.43万元）" in f.message
    assert "实际值“1177.43元”相差" in f.message   # the actual has its own unit: no reading added


def test_written_target_with_a_header_unit_is_not_reread():
    ev = _money("≥1177.43万元", "1177.43元")
    ev.indicators[3].header_unit = "万元"
    assert "按指标名称中的单位" not in one(validate(ev), "magnitude-mismatch").message


def test_magnitude_in_thousands_of_yuan():
    """830元 against 8300千元 (8,300,000元): 10⁴ apart — the magnitude slip, not a mere unit change."""
    fs = validate(_money("≥830元", "8300千元"))
    assert rules_of(fs) & {"magnitude-mismatch", "unit-mismatch"} == {"magnitude-mismatch"}


def test_unscorable_line_without_points_is_left_to_missing_field():
    ev = clean()
    ind = ev.indicators[1]
    ind.target, ind.actual, ind.completion_stated, ind.weight, ind.score = "≥95%", "正在推进", None, None, None
    rules = rules_of(validate(ev))
    assert "not-scorable" not in rules and "missing-field" in rules


def test_bare_actual_next_to_a_percent_target_is_information():
    ev = clean()
    ind = ev.indicators[1]
    ind.target, ind.actual, ind.completion_stated = "≥95%", "98", None       # 98 read as 98%
    f = one(validate(ev), "needs-review")
    assert f.severity == "info" and "98未写%，按98%计" in f.message and f.cell == "绩效自评表!F5"


def test_missing_category_points_at_the_first_indicator():
    ev = clean()
    ev.indicators = [i for i in ev.indicators if not i.level1.startswith("满意度")]
    ev.weights_total = D(90)
    assert one(validate(ev), "missing-category").cell == "绩效自评表!C4"


@pytest.mark.parametrize("side", ["over", "shortfall"])
def test_one_sided_deviation_rule_leaves_an_indicator_on_target_alone(tmp_path, side):
    """A profile asking a reason for *every* overshoot (or shortfall): threshold 0, inclusive. An
    indicator exactly on target (偏离度 0) is neither over nor short."""
    from addin.rules.indicators import exceeds
    from tests.test_rule_profiles import profile

    p = profile(tmp_path, deviation={"threshold": 0, "inclusive": True, "side": side})
    assert exceeds(D(0), p) is False
    assert exceeds(D("0.01") if side == "over" else D("-0.01"), p) is True
    assert exceeds(D("-0.01") if side == "over" else D("0.01"), p) is False


def test_bare_actual_of_no_plausible_magnitude_is_reported_on_a_weighted_line_only():
    """"≥95%" with 9500: neither a ratio (0.95) nor percent points (95) within 10^1.5 — the rules
    cannot read it (udfs.evaluate.bare_as) and say so; a line without 分值 is missing-field's."""
    ev = clean()
    ind = ev.indicators[1]
    ind.target, ind.actual, ind.completion_stated = "≥95%", "9500", None
    f = one(validate(ev), "magnitude-mismatch")
    assert f.cell == "绩效自评表!F5" and "未按规则计分" in f.message
    ind.weight = ind.score = None
    assert "magnitude-mismatch" not in rules_of(validate(ev))


def test_indicator_score_within_half_a_cent_of_the_rule_is_not_flagged():
    ev = clean()
    ev.indicators[0].score = D("19.995")          # |19.995 − 20| = 0.005: rounding
    assert "score-differs-from-rule" not in rules_of(validate(ev))


def test_completion_of_an_actual_of_zero_is_checked():
    """补助人数 0 of 18万人: 0 ÷ 18 = 0%. A stated 50% is wrong (it used to pass unchecked: 目标÷实际
    has no value for 0, and the whole check was skipped); a stated 0% is right."""
    ev = clean()
    ind = ev.indicators[0]
    ind.actual, ind.completion_stated, ind.score, ind.reason = "0万人", D("0.5"), D(0), "疫情停办"
    ev.total_score = D("79.51")
    f = one(validate(ev), "completion-mismatch")
    assert f.expected == D(0)
    ind.completion_stated = D(0)
    assert "completion-mismatch" not in rules_of(validate(ev))


def test_blank_budget_score_counts_by_its_rule_score():
    ev = clean()
    ev.budget.score = None                        # 10 × 95.1% = 9.51 from the rules
    assert "total-mismatch" not in rules_of(validate(ev))


def _degree(actual: str, score: str, weight: int = 15):
    """效益 line with a text target and a number actual: the degree of completion picks the band."""
    ev = clean()
    ind = ev.indicators[4]
    ind.target, ind.actual, ind.score, ind.weight = "效果明显", actual, D(score), D(weight)
    return ev


def test_a_degree_over_100_percent_is_achieved():
    f = one(validate(_degree("120%", "9")), "qualitative-band")   # 达成: 12–15 of 15
    assert f.expected == [D(12), D(15)]


def test_a_degree_of_50_percent_is_missed():
    f = one(validate(_degree("50%", "15")), "qualitative-band")   # 未达成: 0 ≤ score < 9
    assert f.expected == [D(0), D(9)]


def test_a_one_point_qualitative_line_is_checked():
    ev = clean()
    ind = ev.indicators[4]
    ind.target, ind.actual, ind.score, ind.weight = "效果明显", "部分达成", D(1), D(1)   # 0.6 ≤ s < 0.8
    assert one(validate(ev), "qualitative-band").expected == [D("0.6"), D("0.8")]


@pytest.mark.parametrize(("actual", "severity"), [
    ("部分达成", "error"),        # the official phrase: the band is certain
    ("效果显著", "warning"),      # read by the phrase lexicon: the reviewer decides
])
def test_band_severity_by_how_it_was_read(actual, severity):
    ev = clean()
    ind = ev.indicators[4]
    ind.target, ind.actual, ind.score = "效果明显", actual, D(5)
    assert one(validate(ev), "qualitative-band").severity == severity


def test_band_ends_are_given_to_the_cent():
    """3.33 points (10 split three ways), 部分达成: 3.33 × 60% = 1.998 → 2.00, 3.33 × 80% = 2.664 → 2.66."""
    ev = clean()
    ind = ev.indicators[4]
    ind.target, ind.actual, ind.score, ind.weight = "效果明显", "部分达成", D("3.33"), D("3.33")
    assert one(validate(ev), "qualitative-band").expected == [D("2.00"), D("2.66")]


def test_inclusive_deviation_threshold(tmp_path):
    """deviation.inclusive: a 偏离度 of exactly 30% needs a reason too (the default does not)."""
    from addin.rules.indicators import exceeds
    from tests.test_rule_profiles import profile

    p = profile(tmp_path, deviation={"threshold": 0.3, "inclusive": True})
    assert exceeds(D("0.3"), p) is True and exceeds(D("-0.3"), p) is True
    assert exceeds(D("0.2999"), p) is False


def test_deviation_message_says_over_or_under():
    ev = clean()
    ind = ev.indicators[0]
    ind.actual, ind.completion_stated, ind.score, ind.reason = "27万人", None, None, None   # (27 − 18) ÷ 18 = 50%
    f = one(validate(ev), "deviation-unexplained")
    assert "超出目标值“18万人”50.00%（偏离度超过30%）" in f.message and f.expected == D("0.5")
    ind.actual = "9万人"                                                                   # −50%
    assert "低于目标值“18万人”50.00%" in one(validate(ev), "deviation-unexplained").message


# --- missing-field: an unnamed line ---------------------------------------------------------------

def test_missing_field_of_an_unnamed_line_says_unnamed():
    ev = clean()
    ind = ev.indicators[1]
    ind.name, ind.target = None, None
    f = one(validate(ev), "missing-field")
    assert (f.cell, f.message) == ("绩效自评表!E5", "指标“（未命名）”的目标值（年度指标值）为空。")
