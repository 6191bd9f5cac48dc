"""Each check of the catalogue on a seed-004-shaped table with one slip put in.

Expected ids/cells follow from the table's layout (see ``seed004_evaluation``); expected numbers
from the rules (DESIGN.md) worked by hand, never from the code's output.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from addin.rules import CATALOGUE
from addin.validate import has_errors, validate
from tests.test_validate_seeds import D, ids, seed004_evaluation
from udfs import load_profile
from workbook_templates.model import BudgetRow, Evaluation, Indicator


def clean() -> Evaluation:
    """Seed 004 with its unit slip corrected (target 18万人)."""
    ev = seed004_evaluation()
    ev.indicators[0].target = "18万人"
    ev.indicators[0].header_unit = None
    ev.indicators[0].name = "补助人数"
    return ev


def rules_of(findings) -> set[str]:
    return {f.rule for f in findings}


def one(findings, rule):
    got = [f for f in findings if f.rule == rule]
    assert len(got) == 1, [(f.rule, f.cell, f.message) for f in findings]
    return got[0]


def test_clean_table_has_no_findings():
    assert validate(clean()) == []


def test_findings_are_in_the_catalogue_with_known_severity():
    for rule, meta in CATALOGUE.items():
        assert meta["severity"] in ("error", "warning", "info"), rule
        assert meta["title"], rule


def test_weights_sum():
    ev = clean()
    ev.indicators[0].weight = D(25)           # 10 + 25 + 10 + 10 + 10 + 15 + 15 + 10 = 105
    ev.indicators[0].score = D(25)
    f = one(validate(ev), "weights-sum")
    assert f.severity == "error" and f.expected == 100
    assert "105" in f.message and "100" in f.message


def test_weights_sum_against_stated_table_total():
    ev = clean()
    ev.weights_total = D(90)
    assert one(validate(ev), "weights-sum").expected == 90


def test_level1_weights_differ_from_profile():
    ev = clean()
    ev.indicators[0].weight = D(15)           # 产出 45
    ev.indicators[4].weight = D(20)           # 效益 35 — total still 100
    ev.indicators[0].score, ev.indicators[4].score = D(15), D(20)
    fs = validate(ev)
    assert "weights-sum" not in rules_of(fs)
    lv = [f for f in fs if f.rule == "level1-weights"]
    assert {(f.cell, f.expected) for f in lv} == {("绩效自评表!D4", 50), ("绩效自评表!D8", 30)}
    assert all(f.severity == "warning" for f in lv)


def test_score_exceeds_weight_and_negative_score():
    ev = clean()
    ev.indicators[1].score = D(12)            # weight 10
    ev.indicators[2].score = D(-1)
    fs = validate(ev)
    assert ("score-exceeds-weight", "绩效自评表!H5") in ids(fs)
    assert ("negative-score", "绩效自评表!H6") in ids(fs)


def test_total_mismatch_beyond_rounding():
    ev = clean()
    ev.total_score = D("98.51")               # Σ 得分 = 99.51
    f = one(validate(ev), "total-mismatch")
    assert (f.cell, f.expected, f.severity) == ("绩效自评表!H11", Decimal("99.51"), "error")


def test_total_within_rounding_of_rounded_parts():
    # 8 parts rounded to 2 decimals may be off by up to 8 × 0.005 = 0.04 (DESIGN.md)
    ev = clean()
    ev.total_score = D("99.54")
    assert "total-mismatch" not in rules_of(validate(ev))
    ev.total_score = D("99.56")
    assert "total-mismatch" in rules_of(validate(ev))


def test_grade_mismatch():
    ev = clean()
    ev.grade = "良"                            # 99.51 is 优
    f = one(validate(ev), "grade-mismatch")
    assert f.expected == "优"
    ev.grade = "优秀"
    assert "grade-mismatch" not in rules_of(validate(ev))


def test_score_differs_from_rule_says_both_numbers():
    ev = clean()
    ind = ev.indicators[2]                    # 补助时间 → a rate indicator: 86.2 of ≥100 → 10 × 0.862
    ind.name, ind.target, ind.actual, ind.score, ind.header_unit = "完成率", "≥100%", "86.2%", D(9), None
    ind.completion_stated = None
    f = one(validate(ev), "score-differs-from-rule")
    assert f.severity == "warning" and f.cell == "绩效自评表!H6"
    assert f.expected == Decimal("8.62")
    assert "9" in f.message and "8.62" in f.message


def test_budget_score_differs_from_rule():
    ev = clean()
    ev.budget.score = D(10)                   # 10 × 1521.57 / 1600 = 9.51
    f = one(validate(ev), "score-differs-from-rule")
    assert (f.cell, f.expected) == ("绩效自评表!H3", Decimal("9.51"))


def test_execution_rate_at_displayed_precision():
    ev = clean()
    ev.budget.executed, ev.budget.rate = D(862), D("0.86")     # 86.2% shown as 86%: fine
    ev.budget.adjusted = ev.budget.available = D(1000)
    ev.budget.rows = []
    ev.budget.score = D("8.62")
    fs = validate(ev)
    assert "execution-rate-mismatch" not in rules_of(fs)
    ev.budget.rate = D("0.95")
    f = one(validate(ev), "execution-rate-mismatch")
    assert (f.severity, f.cell, f.expected) == ("error", "绩效自评表!F3", Decimal("0.862"))


def test_execution_rate_small_difference_is_information():
    # like seed 002's -17.52% against -17.48%: computed from rounded intermediates, off by 0.04 points
    ev = clean()
    ev.budget.rate = D("0.9514")              # exact 1521.57 / 1600 = 0.95098…
    f = one(validate(ev), "execution-rate-mismatch")
    assert f.severity == "info"


def test_budget_total_row_of_zero_above_a_component_of_90():
    ev = clean()
    ev.budget.rows = [
        BudgetRow("年度资金总额", values={"年初预算数": D(0), "全年预算数": D(0)},
                  cells={"年初预算数": "自评表!C6", "全年预算数": "自评表!D6"}, is_total=True),
        BudgetRow("其中：当年财政拨款", values={"年初预算数": D(90), "全年预算数": D(90)},
                  cells={"年初预算数": "自评表!C7", "全年预算数": "自评表!D7"}, is_component=True),
        BudgetRow("上年结转资金", values={"年初预算数": None, "全年预算数": None},
                  cells={"年初预算数": "自评表!C8", "全年预算数": "自评表!D8"}, is_component=True),
    ]
    fs = [f for f in validate(ev) if f.rule == "budget-subtotal-mismatch"]
    assert {(f.cell, f.expected, f.severity) for f in fs} == {
        ("自评表!C6", 90, "error"), ("自评表!D6", 90, "error")}


def test_budget_subtotals_within_rounding_seed002():
    # seed 002: class totals add to 2655.77 against 2655.78 (5 rounded parts), 78.91+3.33+4.17 = 86.41 vs 86.4
    f2 = pytest.importorskip("tests.conftest").load_fixture("seed002_department.json")["figures"]
    classes = list(f2["by_class"].values())
    rows = [BudgetRow("一般公共预算财政拨款支出", values={"决算数": D(f2["general_budget"])},
                      cells={"决算数": "决算!B2"}, is_total=True)]
    rows += [BudgetRow(f"类{i}", values={"决算数": D(v)}, cells={"决算数": f"决算!B{3 + i}"}, is_component=True)
             for i, v in enumerate(classes)]
    rows += [BudgetRow("社会保障和就业支出", values={"决算数": D(86.4)}, cells={"决算数": "决算!B10"}, is_total=True)]
    rows += [BudgetRow(f"款{i}", values={"决算数": D(v)}, cells={"决算数": f"决算!B{11 + i}"}, is_component=True)
             for i, v in enumerate((78.91, 3.33, 4.17))]
    ev = clean()
    ev.budget.rows = rows
    assert "budget-subtotal-mismatch" not in rules_of(validate(ev))
    rows[0].values["决算数"] = D("2655.88")
    assert ("budget-subtotal-mismatch", "决算!B2") in ids(validate(ev))


def test_seven_row_table_formulas():
    ev = clean()
    by_code = {r.code[:3]: r for r in ev.budget.rows}
    by_code["(5)"].values["年度总金额"] = D("87.43")     # (3)-(4) = 78.43
    by_code["(7)"].values["县区级"] = D(96)              # (4)/(2) = 95.10%
    fs = [f for f in validate(ev) if f.rule == "budget-subtotal-mismatch"]
    assert {(f.cell, f.expected) for f in fs} == {("预算执行情况!C8", Decimal("78.43")),
                                                  ("预算执行情况!H10", Decimal("0.9510"))}


def test_seed004_percent_numbers_in_rows_6_and_7_are_fine():
    assert "budget-subtotal-mismatch" not in rules_of(validate(seed004_evaluation()))


def test_unit_mismatch_yuan_vs_wanyuan():
    ev = clean()
    ind = ev.indicators[3]                    # 人均补助标准（元/年）
    ind.name, ind.header_unit, ind.target, ind.actual = "人均补助标准", None, "≤830元", "0.058万元"
    f = one(validate(ev), "unit-mismatch")
    assert (f.cell, f.severity) == ("绩效自评表!E7", "error")


def test_magnitude_mismatch_money_indicator_seed001():
    # seed 001: "1177.43元" written for 1177.43万元
    ev = clean()
    ind = ev.indicators[3]
    ind.name, ind.header_unit, ind.target, ind.actual = "医疗救助资金支付", None, "≥1177.43万元", "1177.43元"
    ind.direction = "正向"
    ind.completion_stated = None
    f = one(validate(ev), "magnitude-mismatch")
    assert f.cell == "绩效自评表!E7" and f.severity == "error"


def test_rate_and_points_columns_are_not_money():
    """A 项目资金 row (no (1)–(7) code) carries 分值/执行率/得分 beside the amounts: 0.951 and 10 are
    not 万元 figures 10⁴ below 16000 (budget_columns.json not_money_words)."""
    ev = clean()
    cols = {"年初预算数": "C", "全年预算数": "D", "全年执行数": "E", "分值": "F", "执行率": "G", "得分": "H"}
    values = dict(zip(cols, (D(16000), D(16000), D("15215.7"), D(10), D("0.951"), D("9.51")), strict=True))
    ev.budget.rows.append(BudgetRow("年度资金总额", values=values,
                                    cells={c: f"绩效自评表!{col}6" for c, col in cols.items()}, is_total=True))
    assert "magnitude-mismatch" not in rules_of(validate(ev))


def test_magnitude_mismatch_in_budget_figures():
    ev = clean()
    ev.budget.executed = D(15215700)          # 元 in a 万元 table
    by_code = {r.code[:3]: r for r in ev.budget.rows}
    by_code["(4)"].values["年度总金额"] = D(15215700)
    fs = [f for f in validate(ev) if f.rule == "magnitude-mismatch"]
    assert {f.cell for f in fs} == {"预算执行情况!C7"}
    assert fs[0].expected == Decimal("1521.57")


def test_deviation_unexplained():
    ev = clean()
    ev.indicators[3].reason = None            # cost 830 → 580: deviation −30.12% now unexplained
    f = one(validate(ev), "deviation-unexplained")
    assert (f.cell, f.severity, f.expected) == ("绩效自评表!I7", "warning", Decimal("-0.3012"))


def test_deviation_far_above_target_counts():
    ev = clean()
    ind = ev.indicators[6]                    # 社会满意度 target 60, actual 95% → +58.33%
    ind.target, ind.completion_stated = "≥60%", None
    f = one(validate(ev), "deviation-unexplained")
    assert f.cell == "绩效自评表!I10" and f.expected == Decimal("0.5833")


def test_cost_indicator_met_below_target_with_reason_is_fine():
    fs = validate(clean())
    assert "deviation-unexplained" not in rules_of(fs)
    assert clean().indicators[3].direction is None       # direction comes from the profile (成本指标 → 反向)


def test_low_execution_unexplained():
    ev = clean()
    ev.budget.executed, ev.budget.rate, ev.budget.score = D(1200), D("0.75"), D("7.5")
    ev.budget.rows = []
    ev.budget.reason = None
    f = one(validate(ev), "low-execution-unexplained")
    assert f.cell == "绩效自评表!I3"
    ev.budget.reason = "项目年底追加，资金未及时拨付"
    assert "low-execution-unexplained" not in rules_of(validate(ev))
    ev.budget.reason = None
    del ev.budget.cells["reason"]             # the layout has no reason cell (附件1): flagged at the rate (issue #12)
    f = one(validate(ev), "low-execution-unexplained")
    assert f.cell == ev.budget.cells["rate"] and "年度总体目标的实际完成情况" in f.message
    ev.project.goal_actual = "完成补助发放，剩余资金因年底追加未及时拨付，结转下年使用"
    assert "low-execution-unexplained" not in rules_of(validate(ev))
    ev.project.goal_actual = "1200"            # a bare figure is no explanation
    assert "low-execution-unexplained" in rules_of(validate(ev))


def test_qualitative_band():
    ev = clean()
    ind = ev.indicators[4]                    # 15 points, qualitative
    ind.target, ind.actual, ind.score = "效果明显", "部分达成", D(15)    # 部分达成: 9–12
    f = one(validate(ev), "qualitative-band")
    assert f.cell == "绩效自评表!H8" and f.expected == [Decimal("9.00"), Decimal("12.00")]
    ind.score = D(10)
    fs = validate(ev)
    assert "qualitative-band" not in rules_of(fs)
    assert "score-differs-from-rule" not in rules_of(fs)   # inside its band: the human's call


def test_missing_fields():
    ev = clean()
    ev.project.name = None
    ev.project.cells["name"] = "绩效自评表!B2"
    ev.indicators[1].target = None
    ev.indicators[2].weight = None
    fs = [f for f in validate(ev) if f.rule == "missing-field"]
    assert {f.cell for f in fs} == {"绩效自评表!B2", "绩效自评表!E5", "绩效自评表!D6"}


def test_missing_budget():
    ev = clean()
    ev.budget.initial = ev.budget.adjusted = ev.budget.available = None
    assert ("missing-field", "预算执行情况!C5") in ids(validate(ev))


def test_missing_category():
    ev = clean()
    ev.indicators = [i for i in ev.indicators if not i.level1.startswith("满意度")]
    ev.weights_total = D(90)
    f = one(validate(ev), "missing-category")
    assert f.expected == "满意度指标" and f.severity == "warning"


def test_not_scorable_reported():
    ev = clean()
    ind = ev.indicators[1]
    ind.target, ind.actual, ind.completion_stated = "≥95%", "正在推进", None
    f = one(validate(ev), "not-scorable")
    assert f.cell == "绩效自评表!F5" and f.severity == "warning"


def test_completion_mismatch():
    ev = clean()
    ev.indicators[0].completion_stated = D("1.10")          # 18.74 / 18 = 104.11%
    f = one(validate(ev), "completion-mismatch")
    assert f.expected == Decimal("1.0411")


def test_findings_sorted_by_severity_then_cell():
    ev = seed004_evaluation()
    ev.indicators[3].reason = None
    ev.indicators[6].score = D(12)
    ev.budget.score = D(10)
    fs = validate(ev)
    order = {"error": 0, "warning": 1, "info": 2}
    assert [order[f.severity] for f in fs] == sorted(order[f.severity] for f in fs)
    assert has_errors(fs)
    assert ev.findings == fs


def test_common_framework_profile_on_a_scorecard():
    sc = pytest.importorskip("tests.conftest").load_fixture("seed001_scorecard.json")
    inds = [Indicator(level1=r["level1"], level2=r["level2"], name=r["name"], weight=D(r["weight"]),
                      score=D(r["score"]), cell=f"计分表!C{4 + i}",
                      cells={"weight": f"计分表!D{4 + i}", "score": f"计分表!E{4 + i}"})
            for i, r in enumerate(sc["scorecard"])]
    ev = Evaluation(indicators=inds, total_score=D(sc["total_stated"]), cells={"total_score": "计分表!E21"})
    # only the note that none of the scores can be checked by rules (no 目标值/实际值, issue #12)
    assert rules_of(validate(ev, load_profile("common-framework"))) == {"partially-scorable"}
    assert "level1-weights" in rules_of(validate(ev))   # the default profile's 10/50/30/10 does not fit


def test_no_indicators_flagged_only_where_the_layout_has_an_indicator_table():
    ev = clean()
    ev.indicators = []
    ev.cells = {}                             # a 预算执行情况表 alone (budget-execution layout)
    assert [f for f in validate(ev) if f.rule == "missing-field"] == []
    ev.cells = {"total_score": "绩效自评表!H11"}
    f = one(validate(ev), "missing-field")
    assert "绩效指标" in f.message


def test_a_bracket_in_the_name_that_is_no_unit_is_not_a_unit_mismatch():
    ev = clean()
    ind = ev.indicators[0]
    ind.name, ind.header_unit, ind.target, ind.actual = "补助人数（含残疾人）", "含残疾人", "18", "18.74万人"
    assert "unit-mismatch" not in rules_of(validate(ev))
    ind.target = "18个"                                   # both written, different kinds of unit
    assert ("unit-mismatch", "绩效自评表!E4") in ids(validate(ev))


def test_seven_row_table_column_sums():
    """年度总金额 = 财政资金小计 + 上年结转 + 其他; 小计 = 中央级 + 省级 + 市级 + 县区级 (row (1): 1600)."""
    ev = clean()
    row1 = next(r for r in ev.budget.rows if r.code == "(1)")
    row1.values["县区级"] = D(1500)
    row1.values["上年结转资金"] = D(100)
    fs = [f for f in validate(ev) if f.rule == "budget-subtotal-mismatch"]
    assert {(f.cell, f.expected) for f in fs} == {("预算执行情况!D4", Decimal(1500)),
                                                  ("预算执行情况!C4", Decimal(1700))}


@pytest.mark.parametrize("field", ["executed", "adjusted"])
def test_negative_budget_figures_are_reported_and_the_rest_still_scored(field):
    ev = clean()
    setattr(ev.budget, field, D(-5))
    fs = validate(ev)
    f = [f for f in fs if f.rule == "not-scorable" and f.severity == "error"]
    assert len(f) == 1 and "负数" in f[0].message
    assert ev.budget.rule_score is None
    assert all(i.rule_score is not None for i in ev.indicators)


def test_execution_rate_by_the_other_denominator_is_information_by_the_initial_budget_an_error():
    ev = clean()
    b = ev.budget
    b.rows = []
    b.initial, b.adjusted, b.available, b.executed = D(1000), D(1600), D(1500), D(1200)
    b.score = D("7.5")                                    # 10 × 1200/1600
    b.rate = D("0.80")                                    # 1200 ÷ 实际到位资金 1500
    assert one(validate(ev), "execution-rate-mismatch").severity == "info"
    b.rate = D("1.20")                                    # 1200 ÷ 年初预算数 1000
    assert one(validate(ev), "execution-rate-mismatch").severity == "error"
    b.rate = D("0.75")
    assert "execution-rate-mismatch" not in rules_of(validate(ev))


def test_a_rate_shows_at_least_whole_percents():
    ev = clean()
    b = ev.budget
    b.rows = []
    b.adjusted = b.available = D(1600)
    b.executed, b.score = D(1520), D("9.5")              # exact 95%
    b.rate = D(1)                                          # "100%" is not 95%
    assert one(validate(ev), "execution-rate-mismatch").severity == "error"
