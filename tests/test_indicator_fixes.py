"""Defects found while transcribing published 自评表 into ``tests/fixtures/indicator_values.json``;
each expectation worked out by hand from the rules (财预〔2020〕10号 附件1 填表说明, the profile's
documented switches), the real pair is also in the fixture."""

from __future__ import annotations

from decimal import Decimal

import pytest

from udfs import default_profile
from udfs.evaluate import evaluate
from udfs.parse import parse_value

P = default_profile()


def score(target: str, actual: str, level2: str | None = None):
    t, a = parse_value(target, P), parse_value(actual, P)
    return t, a, evaluate(t, a, P, weight=Decimal(10), level2=level2)


# ---- 1. a lone 万 is a magnitude ------------------------------------------------------------
def test_lone_wan_is_a_magnitude_huangshi_cost():
    """黄石市住建局 2022 海绵城市申报工作经费 自评表, 成本指标 "200万" / "195.5万元": 万 is ×10⁴, so the
    target is 2,000,000 taking the actual's 元; 成本指标 without comparator is 反向 (direction_by_level2);
    1,955,000 ≤ 2,000,000 → met, 10 × 1 = 10.00."""
    t, a, out = score("200万", "195.5万元", "成本指标")
    assert (t.value, t.unit, t.base_unit) == (Decimal(2000000), "万", "")
    assert out.status == "scored" and out.direction == "反向" and out.met is True
    assert str(out.score) == "10.00"


@pytest.mark.parametrize("target, actual, want", [
    ("150万", "150万", "10.00"),           # same writing both sides: 1,500,000 ≥ 1,500,000
    ("200万人", "195.5万", "9.78"),         # 1,955,000 / 2,000,000 = 0.9775 → 9.78 (ROUND half away)
    ("195.5万", "200万人", "10.00"),        # 2,000,000 ≥ 1,955,000
    ("10亿", "9.5亿元", "9.50"),            # 9.5亿 / 10亿 = 0.95
    ("5千", "4000人", "8.00"),              # 4000 / 5000 = 0.8
    ("≥20万人", "187385", "9.37"),          # issue #11: 187385人 of 200,000 = 0.936925
    ("≥20万", "187385", "9.37"),            # the same with the 人 left out of the target
])
def test_magnitude_word_takes_the_other_sides_unit(target, actual, want):
    _, _, out = score(target, actual)
    assert out.status == "scored" and str(out.score) == want, out


def test_magnitude_word_does_not_multiply_a_percent():
    """万 never multiplies %: 200万 against 195.5% is two different quantities, not a score."""
    _, _, out = score("200万", "195.5%")
    assert out.status == "unit-mismatch" and out.message


def test_magnitude_word_far_from_the_other_side_is_a_mismatch():
    """200万 (2,000,000) against 3.5元: the magnitudes differ by ~570,000× → not guessed."""
    _, _, out = score("200万", "3.5元")
    assert out.status == "magnitude-mismatch" and out.message


# ---- 2. a compound unit written with 、 -----------------------------------------------------
def test_compound_unit_with_dunhao_suining_training_cost():
    """遂宁经开区 市场监管局 2021 药品化妆品医疗器械监管 区域绩效目标自评表, 成本指标 培训成本
    "400元/人、天" / "180元/人、天": 元/人、天 is one unit (元 per person-day); 成本指标 without
    comparator is 反向; 180 ≤ 400 → met, 10.00."""
    t, a, out = score("400元/人、天", "180元/人、天", "成本指标")
    assert (t.kind, t.value, t.base_unit) == ("number", Decimal(400), "元/人·天")
    assert out.status == "scored" and out.direction == "反向" and out.met is True
    assert str(out.score) == "10.00"


@pytest.mark.parametrize("text, kind, low, high", [
    ("300元/人、天-400元/人、天", "range", Decimal(300), Decimal(400)),   # a range of compound units
    ("≥95%、≤100%", "range", Decimal("0.95"), Decimal(1)),             # 、 between two bounds stays a separator
    ("95%、100%", "unknown", None, None),                              # a list of two values is not one value
    ("1元/人、2元/人", "unknown", None, None),                          # 、 before a number lists values
])
def test_dunhao_still_separates_values(text, kind, low, high):
    v = parse_value(text, P)
    assert (v.kind, v.low, v.high) == (kind, low, high)


# ---- 3. the 偏离度 side is the result's against its target ---------------------------------
def _deviation_findings(p, target: str, actual: str, name: str = "x"):
    from addin.pipeline import score_evaluation
    from addin.rules import run_checks
    from workbook_templates.model import Evaluation, Indicator

    ev = Evaluation(indicators=[Indicator(level1="产出指标", name=name, target=target, actual=actual,
                                          weight=Decimal(10), score=Decimal(10))])
    score_evaluation(ev, p)
    return [f for f in run_checks(ev, p) if f.rule == "deviation-unexplained"]


# (target, actual) with the 偏离度 worked by hand: 正向 over-achieved / short, 反向 under its
# ceiling / over it, a range left on either side (the default threshold 30%, not inclusive)
OVER = [("≥100人", "140人"),          # 正向 met, (140−100)/100 = +40%
        ("≤3%", "0"),                # 反向 met (预算调整率 0 against ≤3%): (0−3%)/3% = −100%
        ("≤5%", "0%"),               # 反向 met (结余率): −100%
        ("≤10次", "2次")]             # 反向 met (科目调整次数): (2−10)/10 = −80%
SHORT = [("≥100人", "60人"),          # 正向 not met: −40%
         ("≤10次", "14次"),           # 反向 not met: (14−10)/10 = +40%
         ("50%-100%", "30%"),        # below the range: (30−50)/50 = −40%
         ("[10人,20人]", "27人")]      # above the range: (27−20)/20 = +35%


@pytest.mark.parametrize("target, actual", OVER + SHORT)
def test_both_sides_ask_for_a_reason_by_default(target, actual):
    """cz2020-10 ``deviation.side`` both (财预〔2020〕10号: 未完成目标 and 完成值高于指标值较多)."""
    assert len(_deviation_findings(P, target, actual)) == 1


@pytest.mark.parametrize("target, actual", OVER)
def test_side_over_is_better_than_target_in_either_direction(tmp_path, target, actual):
    """``side: over`` asks only where the target was beaten by much — a 反向 result far under its
    ceiling is on the same side as a 正向 one far above its floor."""
    from tests.test_rule_profiles import profile
    assert len(_deviation_findings(profile(tmp_path, deviation={"side": "over"}), target, actual)) == 1
    assert _deviation_findings(profile(tmp_path, deviation={"side": "shortfall"}), target, actual) == []


@pytest.mark.parametrize("target, actual", SHORT)
def test_side_shortfall_is_a_target_not_met_in_either_direction(tmp_path, target, actual):
    """``side: shortfall`` asks only where the target was missed: 反向 above its ceiling, a range left."""
    from tests.test_rule_profiles import profile
    assert len(_deviation_findings(profile(tmp_path, deviation={"side": "shortfall"}), target, actual)) == 1
    assert _deviation_findings(profile(tmp_path, deviation={"side": "over"}), target, actual) == []


def test_the_unit_check_says_a_magnitude_word_does_not_multiply_a_percent():
    """The check's message for 200万 against 195.5%: different units, no guessed "200%"."""
    from addin.pipeline import score_evaluation
    from addin.rules import run_checks
    from workbook_templates.model import Evaluation, Indicator

    ev = Evaluation(indicators=[Indicator(level1="产出指标", name="x", target="200万", actual="195.5%",
                                          weight=Decimal(10), score=Decimal(10))])
    score_evaluation(ev, P)
    [f] = [f for f in run_checks(ev, P) if f.rule == "unit-mismatch"]
    assert "计量单位不同" in f.message and "疑为" not in f.message
