"""Properties of the scoring rules and the parser (hypothesis)."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from udfs import FUNCTIONS as F
from udfs import REGISTRY, InputError
from udfs.parse import parse_band, parse_quantity

weights = st.sampled_from([1, 2, 4, 5, 10, 15, 20, 30])
amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("100000"), places=2)
units = st.sampled_from(["", "%", "万人", "人", "元", "万元", "元/人", "个", "次"])


@settings(max_examples=300, deadline=None)
@given(w=weights, t=amounts, a=amounts, direction=st.sampled_from(["正向", "反向", "等于"]))
def test_score_between_zero_and_weight(w, t, a, direction):
    s = F["指标得分"](w, t, a, direction)
    assert 0 <= s <= w


@settings(max_examples=200, deadline=None)
@given(w=weights, t=amounts, a1=amounts, a2=amounts, unit=units)
def test_positive_is_monotone_and_negative_antimonotone(w, t, a1, a2, unit):
    lo, hi = sorted([a1, a2])
    target = f"{t}{unit}"
    assert F["指标得分"](w, "≥" + target, f"{lo}{unit}") <= F["指标得分"](w, "≥" + target, f"{hi}{unit}")
    assert F["指标得分"](w, "≤" + target, f"{lo}{unit}") >= F["指标得分"](w, "≤" + target, f"{hi}{unit}")


@settings(max_examples=200, deadline=None)
@given(executed=amounts, budget=amounts, w=weights)
def test_budget_score_bounds(executed, budget, w):
    s = F["预算执行得分"](executed, budget, w)
    assert 0 <= s <= w
    if executed >= budget:
        assert s == w


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=30))
def test_parser_raises_only_input_error(text):
    for fn in ("指标数值", "指标单位", "指标方向"):
        try:
            F[fn](text)
        except InputError:
            pass
    parse_quantity(text)
    parse_band(text)
    try:
        F["指标得分"](10, text, text)
    except InputError:
        pass
    try:
        F["完成率"](text, "≥95%")
    except InputError:
        pass


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="0123456789.%万元人≥≤<>=以上下-~ 　０１２３４５６７８９％，,", max_size=15))
def test_parser_on_number_like_text(text):
    try:
        v = F["指标数值"](text)
    except InputError:
        return
    assert v is None if not text.strip(" 　") else isinstance(v, Decimal)


def test_every_registry_entry_is_documented():
    names = set()
    for spec in REGISTRY:
        assert spec.name and spec.alias.isascii() and spec.alias.isidentifier()
        assert spec.doc and spec.returns and spec.category == "绩效评价"
        assert spec.args, spec.name
        for arg in spec.args:
            assert arg.name and arg.doc and arg.alias.isidentifier(), (spec.name, arg)
        assert F[spec.name] is F[spec.alias]
        names.update({spec.name, spec.alias})
    assert names == set(F)
    required = {"预算执行率", "资金到位率", "成本节约率", "质量达标率", "完成率", "偏离度", "增长率", "占比", "结余率",
                "执行进度", "人均变化率", "预算执行得分", "指标得分", "定性得分", "评价等级", "总分", "资金加权得分",
                "指标数值", "指标单位", "指标方向", "单位换算"}
    assert required <= names


def test_argument_order_is_the_contract():
    order = {s.name: [a.name for a in s.args] for s in REGISTRY}
    assert order["预算执行率"] == ["执行数", "预算数"]
    assert order["指标得分"] == ["分值", "目标值", "实际值", "方向"]
    assert order["完成率"] == ["实际值", "目标值"]
    assert order["偏离度"] == ["实际值", "目标值"]
    assert order["成本节约率"] == ["计划成本", "实际成本"]
    assert order["人均变化率"] == ["本年总额", "本年人数", "上年总额", "上年人数"]
    assert order["单位换算"] == ["数值", "原单位", "目标单位"]
    assert order["定性得分"] == ["分值", "档次", "得分率"]
    assert order["资金加权得分"] == ["得分区域", "资金区域"]


def test_readme_function_table_is_generated_from_registry():
    from pathlib import Path

    from udfs.readme import render

    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    assert render(readme) == readme, "README 函数表已过期：运行 python -m udfs.readme README.md"
    for spec in REGISTRY:
        assert f"`{spec.alias}`" in readme
