"""The seeds' numbers, reproduced exactly by the worksheet functions (fixtures from ../shared)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from udfs import FUNCTIONS as F
from udfs import InputError, load_profile
from udfs.parse import parse_quantity


def D(x) -> Decimal:
    return Decimal(str(x))


# ---- seed 004: 医疗保险基金补助 ----------------------------------------------------------------

def test_seed004_budget(seed004):
    rows = {r["code"][:3]: r["values"][0] for r in seed004["budget_table"]["rows"]}
    exp = seed004["expected"]
    assert F["预算执行率"](rows["(4)"], rows["(2)"]) == D(exp["budget_rate"])
    assert F["预算执行得分"](rows["(4)"], rows["(2)"], 10) == D(exp["budget_score"])
    assert F["JX_BUDGET_SCORE"](rows["(4)"], rows["(2)"]) == D("9.51")  # 分值 defaults to 10
    assert F["资金到位率"](rows["(3)"], rows["(2)"]) == 1
    assert D(rows["(3)"]) - D(rows["(4)"]) == D(exp["balance"])


def test_seed004_completion_rates_as_displayed(seed004):
    by_name = {i["name"]: i for i in seed004["indicators"]}
    people = by_name["补助人数（人）"]
    cost = by_name["人均补助标准（元/年）"]
    assert F["完成率"](people["actual"], people["target"]) == D("1.0411")   # 104.11%
    assert F["完成率"](cost["actual"], cost["target"]) == D("0.6988")       # 69.88%
    assert F["偏离度"](cost["actual"], cost["target"]) == D(cost["expected"]["deviation"])


def test_seed004_indicator_scores(seed004):
    total = Decimal(0)
    for ind in seed004["indicators"]:
        exp = ind["expected"]
        if ind["name"] == "预算执行率":
            score = F["预算执行得分"](1521.57, 1600, ind["weight"])
        else:
            direction = exp.get("direction") if exp.get("direction") == "反向" else None
            score = F["指标得分"](ind["weight"], ind["target"], ind["actual"], direction)
        if "rule_score" in exp:
            assert score == D(exp["rule_score"]), ind["name"]
        if "rule_score_range" in exp:
            lo, hi = exp["rule_score_range"]
            assert D(lo) <= score <= D(hi), ind["name"]
        total += score
    assert total == D(seed004["expected"]["total_score"])
    assert F["评价等级"](total) == seed004["expected"]["grade"]


def test_seed004_cost_indicator_is_reverse():
    # 成本指标: less is better. 580元 against 830 → full points when scored 反向 …
    assert F["指标得分"](10, 830, "580元", "反向") == 10
    # … and proportional when it exceeds the target: 10 × 830/1000.
    assert F["指标得分"](10, "≤830元/人", "1000元/人") == D("8.30")


# ---- seed 001: 共性指标计分表 -------------------------------------------------------------------

def test_seed001_totals(seed001):
    rows = seed001["scorecard"]
    assert F["总分"]([[r["weight"]] for r in rows]) == seed001["expected"]["weights_total"]
    assert F["总分"]([[r["score"]] for r in rows]) == D(seed001["expected"]["total_score"])
    for level1, expected in seed001["expected"]["level1_totals"].items():
        part = [[r["score"]] for r in rows if r["level1"] == level1]
        assert F["总分"](part) == D(expected), level1
    assert F["评价等级"](seed001["total_stated"]) == seed001["expected"]["grade"]


def test_seed001_annual_indicators(seed001):
    for ind in seed001["annual_indicators"]:
        exp = ind.get("expected", {})
        if "direction" in exp:
            assert F["指标方向"](ind["target"]) == exp["direction"], ind["name"]
        if ind["actual"] is None:
            assert F["指标得分"](10, ind["target"], ind["actual"]) is None   # blank in, blank out
            continue
        if exp.get("met"):
            assert F["指标得分"](10, ind["target"], ind["actual"]) == 10, ind["name"]
        if "deviation" in exp:
            assert F["偏离度"](ind["actual"], ind["target"]) == D(exp["deviation"])
        if "actual_value" in exp:
            assert F["指标数值"](ind["actual"]) == D(exp["actual_value"])


def test_seed001_magnitude_slip():
    # "医疗救助资金支付1177.43元" is 1177.43万元 written as 元: 10⁴ apart.
    assert F["单位换算"](1177.43, "万元", "元") == D("11774300")
    assert F["单位换算"](11774300, "元", "万元") == D("1177.43")


def test_common_framework_profile_uses_available_funds():
    p = load_profile("common-framework")
    assert p.execution_rate_denominator == "available"
    assert sum(p.weights.values()) == 100
    assert p.weights == {"决策": 20, "过程": 20, "产出": 40, "效益": 20}
    assert load_profile().execution_rate_denominator == "adjusted"


# ---- seed 002: 部门整体 ----------------------------------------------------------------------

def test_seed002_rates(seed002):
    f = seed002["figures"]
    stated = {s["what"]: s for s in seed002["stated_vs_expected"]}

    def check(what, value):
        assert value == D(stated[what]["expected"]), what

    check("一般公共预算财政拨款收入占比", F["占比"](f["general_budget"], f["total_2024"]))
    check("政府性基金预算财政拨款收入占比", F["占比"](f["fund_budget"], f["total_2024"]))
    check("基本支出占比", F["占比"](f["basic_expense"], f["total_2024"]))
    check("项目支出占比", F["占比"](f["project_expense"], f["total_2024"]))
    check("人员经费占决算报表支出", F["占比"](f["personnel"], f["total_2024"]))
    check("收支总计增长率", F["增长率"](f["total_2024"], D(f["total_2024"]) - D(f["increase_vs_2023"])))
    check("一般公共预算财政拨款支出增长率",
          F["增长率"](f["general_budget"], D(f["general_budget"]) - D(f["general_budget_increase"])))
    check("机关运行经费增长率", F["增长率"](f["running_cost_2024"], D(f["running_cost_2024"]) - D(f["running_cost_increase"])))
    check("1-6月支出执行进度", F["执行进度"](f["jan_jun_executed"], f["total_2024"]))
    check("1-10月支出执行进度", F["执行进度"](f["jan_oct_executed"], f["total_2024"]))
    check("卫生健康支出占一般公共预算支出", F["占比"](f["by_class"]["卫生健康支出"], f["general_budget"]))


def test_seed002_per_capita_exact_vs_published(seed002):
    f = seed002["figures"]
    exact = F["人均变化率"](f["assets_2024"], f["staff_2024"], f["assets_2023"], f["staff_2023"])
    assert exact == D("-0.1748")
    # The report divided per-capita values rounded to 2 decimals first (6.26, 7.59): -17.52%.
    rounded = F["增长率"](6.26, 7.59)
    assert rounded == D("-0.1752")
    assert exact != rounded


def test_seed002_rounding_of_parts(seed002):
    case = seed002["rounding_cases"][0]
    parts = list(seed002["figures"]["by_class"].values())
    assert F["总分"]([[p] for p in parts]) == D(case["parts_sum"])
    # 5 rounded parts may differ from the rounded total by up to 5 × 0.005.
    assert abs(D(case["parts_sum"]) - D(case["total"])) <= 5 * D("0.005")


# ---- seed 003: 项目清单与权重 ------------------------------------------------------------------

def test_seed003_totals_and_execution(seed003):
    projects = seed003["projects"]
    initial = [[p["budget"]] for p in projects if not p.get("added_mid_year")]
    everything = [[p["budget"]] for p in projects]
    assert F["总分"](initial) == D(seed003["expected"]["initial_projects_total"])
    assert F["总分"](everything) == D(seed003["expected"]["all_projects_total"])
    executed = sum(D(p["executed"]) for p in projects)
    budget = sum(D(p["budget"]) for p in projects)
    assert F["预算执行率"](executed, budget) == D(seed003["expected"]["execution_rate"])
    assert F["预算执行得分"](executed, budget, 10) == seed003["expected"]["execution_score"]
    weights = [[x["weight"]] for x in seed003["framework"]]
    assert F["总分"](weights) == seed003["expected"]["weights_total"]
    for group in seed003["framework"]:
        if "level2" in group:
            assert sum(x["weight"] for x in group["level2"]) == group["weight"]
    scores = [[100]] * len(projects)
    funds = [[p["budget"]] for p in projects]
    assert F["资金加权得分"](scores, funds) == seed003["expected"]["budget_weighted_score_if_all_100"]


# ---- the text forms users write -------------------------------------------------------------

@pytest.mark.parametrize("text,value,unit,direction", [
    ("≥95%", "0.95", "%", "正向"),
    ("不低于95%", "0.95", "%", "正向"),
    ("小于15%", "0.15", "%", "反向"),
    ("≤830元/人", "830", "元/人", "反向"),
    ("18万人", "180000", "万人", "正向"),
    ("17.1万人", "171000", "万人", "正向"),
    ("18.74万人", "187400", "万人", "正向"),
    ("95%以上", "0.95", "%", "正向"),
    ("≥100百分比", "1", "百分比", "正向"),
    ("１００％", "1", "%", "正向"),
    ("＞＝９０％", "0.9", "%", "正向"),
    ("=100%", "1", "%", "等于"),
    ("2021年", "2021", "年", "正向"),
    ("1,600.00万元", "16000000", "万元", "正向"),
])
def test_text_forms(text, value, unit, direction):
    assert F["指标数值"](text) == D(value)
    assert F["指标单位"](text) == unit
    assert F["指标方向"](text) == direction


def test_range_and_qualitative_forms():
    assert F["指标方向"]("80%-90%") == "区间"
    q = parse_quantity("80%-90%")
    assert q is not None and q.value == D("0.8") and q.high == D("0.9")
    assert F["指标得分"](10, "80%-90%", "85%") == 10
    assert F["指标得分"](10, "80%-90%", "72%") == 9        # 10 × 72/80
    assert F["指标得分"](10, "80%-90%", "100%") == 9       # 10 × 90/100
    for text in ("效果明显", "持续", "长期", "稳步拓展", "不低于上年"):
        assert F["指标方向"](text) == "定性"
    with pytest.raises(InputError):
        F["指标数值"]("效果明显")


def test_scoring_rules_positive_negative_equal():
    assert F["指标得分"](20, "≥100", "80") == 16                # 正向 20 × 80/100
    assert F["指标得分"](20, "≥100", "120") == 20
    assert F["指标得分"](10, "≤10", "8") == 10                  # 反向 met
    assert F["指标得分"](10, "≤10", "12.5") == 8                # 10 × 10/12.5
    assert F["指标得分"](10, "=100", "100") == 10
    assert F["指标得分"](10, "=100", "90") == 9                 # 10 × (1 − 10/100)
    assert F["指标得分"](10, 100, 90, "等于") == 9
    assert F["指标得分"](10, "≥95%", 0.9) == D("9.47")          # Excel passes 90% as 0.9


def test_qualitative_bands():
    """财预〔2020〕10号: 达成 [80%,100%], 部分达成 [60%,80%), 未达成 [0,60%); the share given for a band
    without 得分率 is the profile's ``default`` (cz2020-10: 100%, 70%, 30%) — never a value of the band above."""
    assert F["定性得分"](10, "达成") == 10
    assert F["定性得分"](10, "部分达成") == 7
    assert F["定性得分"](10, "未达成") == 3
    with pytest.raises(InputError, match="不在"):
        F["定性得分"](10, "部分达成", 0.8)          # 80% belongs to 达成
    with pytest.raises(InputError, match="不在"):
        F["定性得分"](10, "未达成", 0.6)
    assert F["定性得分"](10, "部分达成", "70%") == 7
    assert F["定性得分"](10, "达成", 0.9) == 9
    with pytest.raises(InputError, match="不在"):
        F["定性得分"](10, "部分达成", 0.9)
    assert F["指标得分"](10, "效果明显", "达成预期指标") == 10
    assert F["指标得分"](10, "效果明显", "部分达成") == 7
    assert F["指标得分"](10, "效果明显", "未达成") == 3
    with pytest.raises(InputError, match="没有可识别的档次说法"):
        F["指标得分"](10, "效果明显", "见附件")


def test_grades():
    assert [F["评价等级"](x) for x in (100, 90, 89.99, 80, 79.99, 60, 59.99, 0)] == \
        ["优", "优", "良", "良", "中", "中", "差", "差"]


def test_blank_and_bad_inputs():
    assert F["预算执行率"](None, 100) is None
    assert F["预算执行率"]("", 100) is None
    assert F["指标得分"](10, "≥95%", None) is None
    assert F["评价等级"](None) is None
    assert F["总分"]([[None], [""]]) is None
    with pytest.raises(InputError, match="预算数为0，无法计算预算执行率"):
        F["预算执行率"](10, 0)
    with pytest.raises(InputError, match="预算数为0"):
        F["预算执行得分"](10, 0)
    with pytest.raises(InputError, match="不是数值"):
        F["预算执行率"]("abc", 100)
    assert F["预算执行率"]("８６.２", "１００") == D("0.862")
    with pytest.raises(InputError, match="单位不一致"):
        F["完成率"]("18人", "18元")
    with pytest.raises(InputError):
        F["单位换算"](1, "元", "人")


def test_range_form_is_elementwise():
    scores = F["指标得分"]([[10], [20], [10]], [["≥95%"], ["18万人"], ["≤830元"]], [["90%"], ["18.74万人"], ["1000元"]])
    assert scores == [[D("9.47")], [20], [D("8.30")]]
    rates = F["预算执行率"]([[1521.57, 37.24]], 1600)  # scalar broadcast over a row
    assert rates == [[D("0.9510"), D("0.0233")]]
    mixed = F["预算执行率"]([[1], [2]], [[0], [4]])
    assert isinstance(mixed[0][0], InputError) and mixed[1][0] == D("0.5")
    with pytest.raises(InputError, match="行列数不一致"):
        F["预算执行率"]([[1], [2]], [[1], [2], [3]])
    assert F["指标得分"]([10, 10], ["≥95%", "≥95%"], ["95%", None]) == [10, None]


def test_provincial_profile_is_data():
    sichuan = load_profile("sichuan")
    assert sichuan.weights == {"预算执行率": 10}          # the 90 indicator points are the unit's to split
    assert sichuan.total == 100 and sichuan.deviation_threshold == D("0.3")   # inherited from cz2020-10
    assert [b.band for b in sichuan.bands] == ["达成", "部分达成", "未达成"]
    assert load_profile("四川") == sichuan


def test_default_direction_and_bands_by_the_profile():
    from udfs.parse import default_direction
    from udfs.scoring import band_for_rate, completion_degree

    # seed 004's cost indicator: a bare 830 under 成本指标 is 反向 by the profile's direction_by_level2
    assert default_direction("830", "成本指标") == "反向"
    assert default_direction("≥830", "成本指标") == "正向"      # an explicit comparator wins
    assert default_direction("18", "数量指标") == "正向"
    assert default_direction("持续", "社会效益") == "定性"
    assert [band_for_rate(D(x)) for x in ("1", "0.8", "0.79", "0.6", "0.59")] == \
        ["达成", "达成", "部分达成", "部分达成", "未达成"]
    assert [completion_degree(parse_quantity(x)) for x in ("100%", "100", "85", "0.9")] == \
        [1, 1, D("0.85"), D("0.9")]
