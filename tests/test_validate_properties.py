"""Hypothesis: random tables (weights, targets, actuals as users write them) never crash validate or
score, rule scores stay within 0…分值, and every finding is a catalogue rule with a message."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from addin.rules import CATALOGUE
from addin.validate import validate
from workbook_templates.model import Budget, BudgetRow, Evaluation, Indicator

numbers = st.decimals(min_value=0, max_value=100000, places=2, allow_nan=False, allow_infinity=False)
units = st.sampled_from(["", "%", "人", "万人", "元", "万元", "元/人", "人次", "公里", "年", "个"])
comparators = st.sampled_from(["", "≥", "≤", "不低于", "小于", "=", "大于等于"])
qualitative = st.sampled_from(["效果明显", "持续", "达成预期指标", "部分达成", "未达成", "较差", "正在推进",
                               "全区全部纳入", "稳步拓展", "——", "有效减轻"])


@st.composite
def value_text(draw, with_comparator: bool) -> str | Decimal | None:
    kind = draw(st.integers(0, 9))
    if kind == 0:
        return None
    if kind == 1:
        return draw(qualitative)
    if kind == 2:
        return draw(numbers)
    n = draw(numbers)
    comp = draw(comparators) if with_comparator else ""
    return f"{comp}{n.normalize():f}{draw(units)}"


@st.composite
def indicators(draw, i: int) -> Indicator:
    r = 4 + i
    weight = draw(st.one_of(st.none(), st.decimals(min_value=-5, max_value=60, places=1,
                                                   allow_nan=False, allow_infinity=False)))
    score = draw(st.one_of(st.none(), st.decimals(min_value=-5, max_value=70, places=2,
                                                  allow_nan=False, allow_infinity=False)))
    return Indicator(
        level1=draw(st.sampled_from(["产出指标", "效益指标", "满意度指标", "决策", None])),
        level2=draw(st.sampled_from(["数量指标", "成本指标", "社会效益", "服务对象满意度", None])),
        name=draw(st.sampled_from(["补助人数（人）", "人均补助标准（元/年）", "满意度", "覆盖率（%）", "指标"])),
        target=draw(value_text(True)), actual=draw(value_text(False)), weight=weight, score=score,
        completion_stated=draw(st.one_of(st.none(), st.decimals(min_value=0, max_value=200, places=4,
                                                                allow_nan=False, allow_infinity=False))),
        reason=draw(st.one_of(st.none(), st.just("原因说明"))),
        header_unit=draw(st.sampled_from([None, "人", "元/年", "%", "万元"])),
        cell=f"表!C{r}", cells={"target": f"表!E{r}", "actual": f"表!F{r}", "weight": f"表!D{r}",
                                 "score": f"表!H{r}", "reason": f"表!I{r}"})


@st.composite
def evaluations(draw) -> Evaluation:
    n = draw(st.integers(0, 8))
    inds = [draw(indicators(i)) for i in range(n)]
    money = st.one_of(st.none(), numbers, st.decimals(min_value=-500, max_value=0, places=2))
    b = Budget(initial=draw(money), adjusted=draw(money), executed=draw(money), available=draw(money),
               rate=draw(st.one_of(st.none(), st.decimals(min_value=0, max_value=120, places=3,
                                                          allow_nan=False, allow_infinity=False))),
               weight=draw(st.one_of(st.none(), st.just(Decimal(10)), st.just(Decimal(-10)))),
               score=draw(st.one_of(st.none(), numbers)),
               cells={"adjusted": "表!D6", "executed": "表!E6", "rate": "表!G6", "score": "表!H6", "reason": "表!I6"})
    b.rows = [BudgetRow("年度资金总额", values={"c": draw(money)}, cells={"c": "表!C6"}, is_total=True),
              BudgetRow("其中：当年财政拨款", values={"c": draw(money)}, cells={"c": "表!C7"}, is_component=True)]
    return Evaluation(budget=b, indicators=inds, total_score=draw(st.one_of(st.none(), numbers)),
                      grade=draw(st.sampled_from([None, "优", "良好", "差"])), cells={"total_score": "表!H20"})


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(evaluations())
def test_validate_never_crashes_and_rule_scores_stay_in_bounds(ev):
    findings = validate(ev)
    for ind in ev.indicators:
        if ind.rule_score is not None:
            assert ind.weight is not None
            assert Decimal(0) <= ind.rule_score <= ind.weight
    if ev.budget.rule_score is not None:
        assert Decimal(0) <= ev.budget.rule_score <= (ev.budget.weight if ev.budget.weight is not None else 10)
    for f in findings:
        assert f.rule in CATALOGUE and f.severity in ("error", "warning", "info")
        assert f.message
    ev.to_json()


@st.composite
def unit_data(draw) -> dict:
    """A unit's table in the DESIGN.md JSON shape (what samples.write_sample takes)."""
    inds = []
    for level1 in ("产出指标", "效益指标", "满意度指标"):
        for _ in range(draw(st.integers(1, 3))):
            t = draw(value_text(True))
            a = draw(value_text(False))
            inds.append({"level1": level1, "level2": draw(st.sampled_from(["数量指标", "成本指标", "社会效益指标",
                                                                           "服务对象满意度指标"])),
                         "name": draw(st.sampled_from(["补助人数（人）", "人均成本（元）", "覆盖率", "满意度"])),
                         "target": None if t is None else str(t), "actual": None if a is None else str(a),
                         "weight": draw(st.integers(0, 40)),
                         "score": draw(st.one_of(st.none(), st.integers(0, 45))), "reason": None})
    adjusted = draw(st.integers(1, 100000))
    return {"project": {"name": "测试项目", "year": 2021},
            "budget": {"initial": adjusted, "adjusted": adjusted, "executed": draw(st.integers(0, 120000)),
                       "weight": 10, "score": draw(st.one_of(st.none(), st.integers(0, 10)))},
            "indicators": inds, "total_score": draw(st.one_of(st.none(), st.integers(0, 110)))}


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                HealthCheck.function_scoped_fixture])
@given(st.sampled_from(["seed004", "cz2020-annex", "sichuan"]), unit_data())
def test_random_workbooks_through_the_command(tmp_path, capsys, layout, data):
    import json

    from addin.cli import main
    from workbook_templates.samples import write_sample

    path = write_sample(layout, tmp_path / f"{layout}.xlsx", data)
    code = main(["score", str(path), "--json"])
    out = capsys.readouterr()
    assert "Traceback" not in out.err
    if code == 2:                                     # refused: a clear message, nothing else
        assert out.err.startswith("错误：") and not out.out
        return
    assert code in (0, 1)
    result = json.loads(out.out)
    for ind in result["indicators"]:
        if ind["rule_score"] is not None:
            assert 0 <= ind["rule_score"] <= ind["weight"]
