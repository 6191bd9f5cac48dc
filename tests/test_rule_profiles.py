"""Rule-profile switches (udfs/profile_schema.json) and the profile schema's Chinese messages."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from addin.pipeline import score_evaluation
from addin.rules import run_checks
from udfs import InputError, load_profile
from udfs.evaluate import evaluate
from udfs.parse import parse_value
from udfs.wording import describe
from workbook_templates.model import Budget, Evaluation, Indicator


def profile(tmp_path, **keys):
    path = tmp_path / f"p{len(list(tmp_path.iterdir()))}.json"      # load_profile caches by path
    path.write_text(json.dumps({"id": "t", "extends": "cz2020-10", **keys}, ensure_ascii=False), encoding="utf-8")
    return load_profile(str(path))


def score(p, target, actual, w=10):
    return evaluate(parse_value(target, p), parse_value(actual, p), p, weight=Decimal(w)).score


def test_inverse_formula_switch(tmp_path):
    """反向 over target: t÷a (default) or 1−(a−t)÷t, 0 at a ≥ 2t (linear_to_zero)."""
    lin = profile(tmp_path, scoring={"inverse_formula": "linear_to_zero"})
    assert score(load_profile(), "≤100元", "125元") == Decimal("8.00")    # 100/125
    assert score(lin, "≤100元", "125元") == Decimal("7.50")               # 1 − 25/100
    assert score(lin, "≤100元", "210元") == Decimal("0.00")


def test_equal_switch(tmp_path):
    at_least = profile(tmp_path, scoring={"equal": "at_least"})
    assert score(load_profile(), "=100%", "105%") == Decimal("9.50")      # two-sided: 1 − 5/100
    assert score(at_least, "=100%", "105%") == Decimal("10.00")           # scored like ≥


def test_strict_at_bound_switch(tmp_path):
    zero = profile(tmp_path, scoring={"strict_at_bound": "zero"})
    assert score(load_profile(), ">95%", "95%") == Decimal("10.00")
    assert score(zero, ">95%", "95%") == Decimal("0.00")


def test_band_defaults_and_open_ends_are_data(tmp_path):
    p = profile(tmp_path, qualitative_bands=[
        {"band": "达成", "label": "达成年度指标", "min": 0.8, "max": 1, "default": 0.9},
        {"band": "部分达成", "label": "部分达成年度指标并具有一定效果", "min": 0.6, "max": 0.8, "max_open": True, "default": 0.6},
        {"band": "未达成", "label": "未达成年度指标且效果较差", "min": 0, "max": 0.6, "max_open": True, "default": 0}])
    assert score(p, "效果明显", "达成预期指标") == Decimal("9.00")
    assert score(p, "效果明显", "部分达成") == Decimal("6.00")


@pytest.mark.parametrize("keys, words", [
    ({"qualitative_bands": 5}, "qualitative_bands 应为列表"),
    ({"weights": [10, 50]}, "weights 应为对象"),
    ({"scoring": {"inverse_formula": "cube"}}, "scoring.inverse_formula 的取值“cube”无效"),
    ({"deviation": {"threshold": "三成"}}, "deviation.threshold 应为数值"),
    ({"deviatoin_threshold": 0.2}, "deviatoin_threshold 不是已知的配置项"),
    ({"qualitative_bands": [{"band": "达成", "min": 0.8, "max": 1, "aliases": ["好"]}]}, "只有一个字"),
    ({"qualitative_bands": [{"band": "部分达成", "min": 0.6, "max": 0.8, "max_open": True, "default": 0.8}]}, "不在该档范围内"),
])
def test_a_wrong_profile_is_a_chinese_message_naming_the_key(tmp_path, keys, words):
    with pytest.raises(InputError, match=words):
        profile(tmp_path, **keys)


def test_deviation_side_and_inclusivity(tmp_path):
    def dev_findings(p, actual):
        ev = Evaluation(indicators=[Indicator(level1="产出指标", name="x", target="≥100人", actual=actual,
                                              weight=Decimal(10), score=Decimal(10))])
        score_evaluation(ev, p)
        return [f for f in run_checks(ev, p) if f.rule == "deviation-unexplained"]

    assert len(dev_findings(load_profile(), "140人")) == 1
    assert dev_findings(load_profile(), "130人") == []                          # 30% is not “超过30%”
    assert len(dev_findings(profile(tmp_path, deviation={"inclusive": True}), "130人")) == 1
    shortfall = profile(tmp_path, deviation={"side": "shortfall"})
    assert dev_findings(shortfall, "140人") == [] and len(dev_findings(shortfall, "60人")) == 1


def test_blank_adjusted_budget_is_a_finding_not_a_division_by_the_initial_budget():
    ev = Evaluation(budget=Budget(initial=Decimal(100), executed=Decimal(90), weight=Decimal(10)))
    p = load_profile()
    score_evaluation(ev, p)
    assert ev.budget.rule_rate is None and ev.budget.rule_score is None
    assert [f.rule for f in run_checks(ev, p)].count("budget-denominator-missing") == 1


def test_missed_deadline_asks_for_the_reviewers_judgement():
    ev = Evaluation(indicators=[Indicator(level1="产出指标", level2="时效指标", name="完工时间", target="2021",
                                          actual="2022年", weight=Decimal(10), score=Decimal(10))])
    p = load_profile()
    score_evaluation(ev, p)
    assert ev.indicators[0].rule_score == Decimal("3.00")
    f = [f for f in run_checks(ev, p) if f.rule == "needs-review"]
    assert len(f) == 1 and "请评审确认" in f[0].message


def test_wording_by_kind():
    assert describe("≤100万元", "94.67万元") == "控制在目标以内，节约5.33%"
    assert describe("2023年12月底前", "2023年11月") == "按期完成"
    assert describe("2021", "2022年") == "逾期"
    assert describe("80%-90%", "85%") == "在区间内"
    assert describe("≥95%", "98%") is None                                # the plain 完成率 says it


def test_optional_provincial_deductions_and_caps(tmp_path):
    p = profile(tmp_path, deductions=[{"when": "deviation_at_least", "value": 0.3, "points": 1}],
                caps=[{"when": "execution_rate_below", "value": 0.6, "max_total": 60}])
    ev = Evaluation(budget=Budget(adjusted=Decimal(100), executed=Decimal(50), weight=Decimal(10)),
                    indicators=[Indicator(level1="产出指标", name="a", target="≥100人", actual="140人", weight=Decimal(45)),
                                Indicator(level1="效益指标", name="b", target="≥100人", actual="100人", weight=Decimal(45))])
    score_evaluation(ev, p)
    assert ev.indicators[0].rule_score == Decimal(44)        # 45 − 1: |偏离度| 40% ≥ 30%
    assert ev.rule_total_score == Decimal(60)                # 5 + 44 + 45 = 94, capped: 执行率 50% < 60%
    score_evaluation(ev, load_profile())
    assert ev.rule_total_score == Decimal("95.00")


def test_a_provincial_band_variant_is_a_profile_file():
    """provincial-direct: 部分达成 [50%,80%) — 55% is inside there, outside under cz2020-10."""
    from udfs import FUNCTIONS

    p = load_profile("provincial-direct")
    assert [b.text for b in p.bands] == ["[80%,100%]", "[50%,80%)", "[0%,50%)"]
    assert score(p, "效果明显", "部分达成预期指标并具有一定效果") == Decimal("6.50")
    with pytest.raises(InputError, match="不在"):
        FUNCTIONS["定性得分"](10, "部分达成", 0.55)
    from udfs.scoring import qualitative_score
    assert qualitative_score(10, "部分达成", 0.55, p) == Decimal("5.50")


def test_mixed_entry_is_a_clear_message_not_a_ten_thousand_percent_deviation():
    """"≥95%" with a bare 98: read as 98% (the magnitudes of 95 and 98 agree), said as information;
    a bare 9500 agrees with neither reading: magnitude-mismatch, not scored."""
    p = load_profile()
    ev = Evaluation(indicators=[Indicator(level1="满意度指标", name="满意度", target="≥95%", actual="98",
                                          weight=Decimal(10), score=Decimal(10)),
                                Indicator(level1="满意度指标", name="知晓率", target="≥95%", actual="9500",
                                          weight=Decimal(10), score=Decimal(10))])
    score_evaluation(ev, p)
    assert ev.indicators[0].rule_score == Decimal("10.00") and ev.indicators[0].deviation == Decimal("0.0316")
    assert ev.indicators[1].rule_score is None
    fs = run_checks(ev, p)
    info = [f for f in fs if f.rule == "needs-review" and "满意度" in f.message]
    assert len(info) == 1 and info[0].severity == "info" and "按98%计" in info[0].message
    mm = [f for f in fs if f.rule == "magnitude-mismatch"]
    assert len(mm) == 1 and "知晓率" in mm[0].message and "9500" in mm[0].message


def test_report_sentence_words_the_result_by_kind():
    from addin.report.context import indicator_sentence

    p = load_profile()
    ev = Evaluation(indicators=[
        Indicator(level1="产出指标", level2="成本指标", name="项目成本", target="≤100万元", actual="94.67万元", weight=Decimal(10)),
        Indicator(level1="产出指标", level2="时效指标", name="完工时间", target="2023年12月底前", actual="2023年11月", weight=Decimal(10)),
        Indicator(level1="产出指标", level2="质量指标", name="合格率", target="[95%,100%]", actual="97%", weight=Decimal(10))])
    score_evaluation(ev, p)
    s = [indicator_sentence(i) for i in ev.indicators]
    assert "控制在目标以内，节约5.33%" in s[0] and "完成率" not in s[0]
    assert "按期完成" in s[1] and "在区间内" in s[2]


def test_a_profile_adds_words_to_the_lexicon_without_touching_other_profiles(tmp_path):
    """``lexicon`` in a profile extends udfs/lexicon.json: "较为满意" read as 部分达成 (70%) there, while the
    default still reads 满意 as 达成; a second profile with the same id but no words is not affected
    (the cache is keyed by the words, not by the profile's id)."""
    p = profile(tmp_path, lexicon={"phrases": {"部分达成": ["较为满意"]}, "yes_no": {"yes": ["已落实"]}})
    assert score(p, "群众满意", "较为满意") == Decimal("7.00")
    assert score(p, "已落实", "已落实") == Decimal("10.00")
    plain = profile(tmp_path)
    assert score(plain, "群众满意", "较为满意") == Decimal("10.00")
    assert evaluate(parse_value("已落实"), parse_value("已落实"), plain, weight=Decimal(10)).status == "not-scorable"
    with pytest.raises(InputError, match="lexicon.phrases.部分达成"):
        profile(tmp_path, lexicon={"phrases": {"部分达成": ["较"]}})


def test_rule_decisions_of_the_open_questions_are_profile_data(tmp_path):
    """预算调整率 "3%" is 反向 by ``direction_by_name``; a profile may change the word list, and the band a
    是/否 answered "否" scores (``scoring.yes_no_missed_band``)."""
    p = load_profile(None)
    t, a = parse_value("3%", p), parse_value(0, p)
    assert evaluate(t, a, p, weight=Decimal(2), name="预算调整率").score == Decimal("2.00")
    other = profile(tmp_path, direction_by_name={"调整率": "正向"})         # a province that reads it otherwise
    out = evaluate(t, a, other, weight=Decimal(2), name="预算调整率")
    assert out.score == Decimal("0.00") and "≤3%" in out.review            # never a silent 0
    strict = profile(tmp_path, scoring={"yes_no_missed_band": "部分达成"})
    assert score(strict, "是", "否") == Decimal("7.00") and score(p, "是", "否") == Decimal("3.00")


def test_only_money_under_its_ceiling_reads_as_a_saving():
    """"控制在目标以内，节约5.33%" is cost language; a rate or a count under its ceiling (预算调整率 "≤3%"
    with 0, "小于5次" with "无上访") reads "控制在目标以内" — "节约100.00%" of 上访 would be nonsense."""
    assert describe("≤100万元", "94.67万元") == "控制在目标以内，节约5.33%"
    assert describe("≤3%", "0") == "控制在目标以内"
    assert describe("小于5次", "无上访") == "控制在目标以内"
