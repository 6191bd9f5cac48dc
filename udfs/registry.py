"""The one registry of worksheet functions (DESIGN.md idea 1).

Each function is declared once — Chinese name, English alias, arguments with Chinese docs,
category 绩效评价, what it returns — and implemented once as a pure function. The xlwings
bindings, the xlwings Lite registrations, the VBA wrappers, ``jixiao functions`` and the
README table are all generated from ``REGISTRY``.

Element-wise functions accept 2-D lists (what Excel passes for a range) in any argument and
return a 2-D list of the broadcast shape; one bad element gives an ``InputError`` *instance*
in its cell of the result (the Excel layer turns it into an error value), not a failed call.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from . import indicators, rates, scoring
from .errors import InputError

CATEGORY = "绩效评价"


@dataclass(frozen=True)
class Arg:
    name: str                  # Chinese argument name shown in Excel
    alias: str                 # ASCII name (Python/Office.js/VBA English wrapper)
    doc: str                   # Chinese doc shown in the function wizard
    optional: bool = False
    is_range: bool = False     # aggregated over a whole range (not element-wise)


@dataclass(frozen=True)
class FunctionSpec:
    name: str                  # Chinese name, primary: 预算执行率
    alias: str                 # English alias: JX_EXEC_RATE
    doc: str                   # what it computes (Chinese)
    returns: str               # what the result means (Chinese)
    args: tuple[Arg, ...]
    impl: Callable[..., Any] = field(repr=False)
    elementwise: bool = True   # scalar args broadcast over ranges
    number_format: str | None = None   # suggested cell format: "0.00%", "0.00", "@"
    category: str = CATEGORY
    example: str = ""                  # one example "=名称(参数) → 结果" (the README, the Pyodide check)
    more_examples: tuple[str, ...] = ()   # further forms, shown by `jixiao functions`

    @property
    def examples(self) -> tuple[str, ...]:
        return ((self.example,) if self.example else ()) + self.more_examples

    @property
    def signature(self) -> str:
        parts = [f"[{a.name}]" if a.optional else a.name for a in self.args]
        return f"{self.name}({', '.join(parts)})"

    @property
    def callable(self) -> Callable[..., Any]:
        return FUNCTIONS[self.name]


def _is_range(x: object) -> bool:
    return isinstance(x, (list, tuple))


def _as_2d(x: object) -> list[list[Any]]:
    if not _is_range(x):
        return [[x]]
    rows = list(x)  # type: ignore[arg-type]
    if rows and all(_is_range(r) for r in rows):
        return [list(r) for r in rows]
    return [[v] for v in rows]   # a 1-D list is a column


def _broadcast(fn: Callable[..., Any], spec_name: str) -> Callable[..., Any]:
    """Wrap a scalar function so any range argument makes it element-wise."""

    @functools.wraps(fn)
    def wrapper(*args: Any) -> Any:
        if not any(_is_range(a) for a in args):
            return fn(*args)
        one_d = any(_is_range(a) and a and not all(_is_range(r) for r in a) for a in args)
        grids = [_as_2d(a) for a in args]
        shapes = {(len(g), len(g[0]) if g else 0) for g, a in zip(grids, args, strict=False) if _is_range(a)}
        if len(shapes) > 1:
            raise InputError(f"{spec_name}：各区域的行列数不一致（{'、'.join(f'{r}行{c}列' for r, c in sorted(shapes))}）")
        nrows, ncols = shapes.pop()
        out: list[list[Any]] = []
        for i in range(nrows):
            row = []
            for j in range(ncols):
                cell_args = [g[i][j] if _is_range(a) else a for g, a in zip(grids, args, strict=False)]
                try:
                    row.append(fn(*cell_args))
                except InputError as exc:
                    row.append(exc)
            out.append(row)
        if one_d:
            return [r[0] if len(r) == 1 else r for r in out]
        return out

    return wrapper


def _profile_free(fn: Callable[..., Any], nargs: int) -> Callable[..., Any]:
    """Call ``fn`` with positional worksheet args only (profile = default)."""

    @functools.wraps(fn)
    def call(*args: Any) -> Any:
        if len(args) > nargs:
            raise InputError(f"参数过多：最多{nargs}个")
        return fn(*args)

    return call


def _a(name: str, alias: str, doc: str, **kw: Any) -> Arg:
    return Arg(name, alias, doc, **kw)


ACTUAL = _a("实际值", "actual", "实际完成值，可为数字或文字，如 18.74万人、95%、95%以上、增长8%、2023年11月、按期完成；"
                               "百分比单元格的 1.2 即 120%")
TARGET = _a("目标值", "target", "年度指标值，可为数字或文字，如 ≥95%、不低于95%、18万人、≤830元/人、[95%,100%]、"
                               "增长10%、提高5个百分点、2023年12月底前、按期、3个工作日内、效果明显")

REGISTRY: tuple[FunctionSpec, ...] = (
    FunctionSpec("预算执行率", "JX_EXEC_RATE", "预算执行率 = 全年执行数 ÷ 全年预算数", "执行率（比率，按百分比显示，保留4位小数）",
                 (_a("执行数", "executed", "全年执行数（万元）"), _a("预算数", "budget", "全年预算数（调整后预算数，万元）")),
                 rates.execution_rate, number_format="0.00%", example="=预算执行率(1521.57,1600) → 95.10%"),
    FunctionSpec("资金到位率", "JX_ARRIVAL_RATE", "资金到位率 = 实际到位资金 ÷ 预算资金", "到位率（比率）",
                 (_a("到位数", "available", "实际到位资金（万元）"), _a("预算数", "budget", "预算资金（万元）")),
                 rates.funds_arrival_rate, number_format="0.00%"),
    FunctionSpec("成本节约率", "JX_COST_SAVING_RATE", "成本节约率 = (计划成本 − 实际成本) ÷ 计划成本", "节约率（比率，超支为负）",
                 (_a("计划成本", "planned", "计划成本"), _a("实际成本", "actual_cost", "实际成本")),
                 rates.cost_saving_rate, number_format="0.00%"),
    FunctionSpec("质量达标率", "JX_QUALITY_RATE", "质量达标率 = 质量达标产出数 ÷ 实际产出数", "达标率（比率）",
                 (_a("达标数", "passed", "质量达标的产出数"), _a("实际数", "produced", "实际产出数")),
                 rates.quality_rate, number_format="0.00%"),
    FunctionSpec("完成率", "JX_COMPLETION", "完成率 = 实际值 ÷ 目标值（按表中显示的单位；无单位的数字沿用另一方的单位）", "完成率（比率）",
                 (ACTUAL, TARGET), rates.completion_rate, number_format="0.00%",
                 example='=完成率("18.74万人",18) → 104.11%',
                 more_examples=(
                     '=完成率("8%","增长10%") → 80.00%',
                     '=完成率(0.9,"≥95%") → 94.74%')),
    FunctionSpec("偏离度", "JX_DEVIATION", "偏离度 = (实际值 − 目标值) ÷ 目标值", "偏离度（比率，可为负）",
                 (ACTUAL, TARGET), rates.deviation, number_format="0.00%",
                 example='=偏离度("580元",830) → -30.12%',
                 more_examples=(
                     '=偏离度("100%","50%-100%") → 0.00%',
                     '=偏离度("106%","100%±5%") → 0.95%')),
    FunctionSpec("增长率", "JX_GROWTH_RATE", "增长率 = (本期数 − 上期数) ÷ 上期数", "增长率（比率）",
                 (_a("本期数", "current", "本期（本年）数"), _a("上期数", "previous", "上期（上年）数")),
                 rates.growth_rate, number_format="0.00%"),
    FunctionSpec("占比", "JX_SHARE", "占比 = 部分 ÷ 合计", "占比（比率）",
                 (_a("部分", "part", "部分数"), _a("合计", "total", "合计数")), rates.share, number_format="0.00%"),
    FunctionSpec("结余率", "JX_BALANCE_RATE", "结余率 = 结转结余 ÷ 预算", "结余率（比率）",
                 (_a("结余", "balance", "结转结余资金（万元）"), _a("预算", "budget", "预算数（万元）")),
                 rates.balance_rate, number_format="0.00%"),
    FunctionSpec("执行进度", "JX_EXEC_PROGRESS", "执行进度 = 累计执行数 ÷ 全年预算数", "执行进度（比率）",
                 (_a("累计执行数", "executed_to_date", "截至某月的累计执行数（万元）"), _a("全年预算数", "annual_budget", "全年预算数（万元）")),
                 rates.execution_progress, number_format="0.00%"),
    FunctionSpec("人均变化率", "JX_PER_CAPITA_CHANGE", "人均变化率 = (本年人均 − 上年人均) ÷ 上年人均，人均值不先取整",
                 "人均变化率（比率）",
                 (_a("本年总额", "total_now", "本年总额（如资产总额，万元）"), _a("本年人数", "people_now", "本年人数"),
                  _a("上年总额", "total_before", "上年总额（万元）"), _a("上年人数", "people_before", "上年人数")),
                 rates.per_capita_change, number_format="0.00%"),
    FunctionSpec("预算执行得分", "JX_BUDGET_SCORE", "预算执行得分 = 分值 × min(执行数 ÷ 预算数, 1)，保留2位小数", "得分",
                 (_a("执行数", "executed", "全年执行数（万元）"), _a("预算数", "budget", "全年预算数（万元）"),
                  _a("分值", "weight", "预算执行率指标的分值，默认10", optional=True)),
                 _profile_free(scoring.budget_score, 3), number_format="0.00", example="=预算执行得分(1521.57,1600,10) → 9.51"),
    FunctionSpec("指标得分", "JX_INDICATOR_SCORE",
                 "按财预〔2020〕10号规则计分：正向 达标满分否则按比例；反向 不超目标满分否则 目标÷实际；等于 按偏差；"
                 "区间 区间内满分、区间外按最近的端点；变化量 按变化幅度；时限 按期满分、逾期按未达成档；时长 按反向；"
                 "定性 按档次（不认识的表述报错，不猜）",
                 "得分（保留2位小数）",
                 (_a("分值", "weight", "该指标的分值（权重）"), TARGET, ACTUAL,
                  _a("方向", "direction", "正向/反向/等于/区间/定性 或 ≥ ≤ =；省略时按目标值中的符号判断，成本指标请填 反向",
                     optional=True)),
                 _profile_free(scoring.indicator_score, 4), number_format="0.00",
                 example='=指标得分(10,830,"580元","反向") → 10',
                 more_examples=(
                     '=指标得分(10,"≥95%",1.2) → 10',
                     '=指标得分(10,"≥95%且≤100%","97%") → 10',
                     '=指标得分(10,"增长10%","8%") → 8',
                     '=指标得分(10,"较上年提高5个百分点","提高4个百分点") → 8',
                     '=指标得分(10,"3个工作日内","5个工作日") → 6',
                     '=指标得分(10,"2023年12月底前","2023年11月") → 10',
                     '=指标得分(10,"2021","2022年") → 3',
                     '=指标得分(10,">95%","95%") → 10',
                     '=指标得分(10,"═100%","99%") → 9.9',
                     '=指标得分(10,"[95%,100%]","101%") → 9.9',
                     '=指标得分(10,"100%±5%","94%") → 9.89',
                     '=指标得分(10,"下降5%","下降4%") → 8',
                     '=指标得分(10,"按期完成","延期完成") → 3',
                     '=指标得分(10,"效果明显","效果不明显") → 3',
                     '=指标得分(10,"安全运行","未发生安全事故") → 10',
                     '=指标得分(10,"小于5次","无上访") → 10',
                     '=指标得分(10,"是","否") → 3',
                     '=指标得分(10,"/","/") → （空：不适用）',
                     '=指标得分(10,"效果明显","为未来发展奠定基础") → #VALUE!（没有可识别的档次说法）')),
    FunctionSpec("定性得分", "JX_QUALITATIVE_SCORE",
                 "定性指标得分：达成 [80%,100%]，部分达成 [60%,80%)，未达成 [0,60%)；不给得分率时取配置的档次默认比例"
                 "（默认 100%、70%、30%）",
                 "得分",
                 (_a("分值", "weight", "该指标的分值"), _a("档次", "band", "达成 / 部分达成 / 未达成（或“达成预期指标”等说法）"),
                  _a("得分率", "rate", "可选，档次内的得分比例，如 90% 或 0.9", optional=True)),
                 _profile_free(scoring.qualitative_score, 3), number_format="0.00",
                 example='=定性得分(10,"部分达成") → 7',
                 more_examples=(
                     '=定性得分(10,"达成",0.9) → 9',)),
    FunctionSpec("评价等级", "JX_GRADE", "评价等级：优 ≥ 90，良 ≥ 80，中 ≥ 60，否则 差", "等级（优/良/中/差）",
                 (_a("总分", "total", "自评总分"),), _profile_free(scoring.grade, 1), number_format="@"),
    FunctionSpec("总分", "JX_TOTAL", "总分 = 各指标得分之和（空白单元格跳过）", "总分",
                 (_a("得分区域", "scores", "各指标得分所在的区域", is_range=True),),
                 _profile_free(scoring.total_score, 1), elementwise=False, number_format="0.00"),
    FunctionSpec("资金加权得分", "JX_WEIGHTED_SCORE", "资金加权得分 = Σ(得分 × 资金) ÷ Σ资金（部门整体按项目资金加权）", "加权得分",
                 (_a("得分区域", "scores", "各项目得分所在的区域", is_range=True),
                  _a("资金区域", "funds", "各项目全年预算数所在的区域（与得分区域同样大小）", is_range=True)),
                 _profile_free(scoring.weighted_score, 2), elementwise=False, number_format="0.00"),
    FunctionSpec("指标数值", "JX_VALUE", "从指标文字中取出数值并换算为基本单位：18.74万人 → 187400，95% → 0.95", "数值",
                 (_a("文本", "text", "指标值文字，如 18.74万人"),), _profile_free(indicators.indicator_value, 1)),
    FunctionSpec("指标单位", "JX_UNIT", "指标文字中的度量单位：18.74万人 → 万人，≥95% → %", "单位文字",
                 (_a("文本", "text", "指标值文字"),), _profile_free(indicators.indicator_unit, 1), number_format="@"),
    FunctionSpec("指标方向", "JX_DIRECTION", "由指标值写法判断方向：≥ 正向，≤ 反向，= 等于，区间 区间，时长 反向，文字 定性",
                 "正向/反向/等于/区间/定性",
                 (_a("文本", "text", "年度指标值文字，如 ≥95%"),), _profile_free(indicators.indicator_direction, 1),
                 number_format="@",
                 more_examples=('=指标方向("5天以内") → 反向', '=指标方向("[95%,100%]") → 区间')),
    FunctionSpec("单位换算", "JX_CONVERT", "在同类单位之间换算：元/万元/亿元，人/万人，人次/万人次", "换算后的数值",
                 (_a("数值", "value", "要换算的数值"), _a("原单位", "from_unit", "原单位，如 元"), _a("目标单位", "to_unit", "目标单位，如 万元")),
                 _profile_free(indicators.convert_unit, 3), example='=单位换算(11774300,"元","万元") → 1177.43'),
)


def _make_callable(spec: FunctionSpec) -> Callable[..., Any]:
    return _broadcast(spec.impl, spec.name) if spec.elementwise else spec.impl


FUNCTIONS: dict[str, Callable[..., Any]] = {}
BY_NAME: dict[str, FunctionSpec] = {}
for _spec in REGISTRY:
    _fn = _make_callable(_spec)
    FUNCTIONS[_spec.name] = _fn
    FUNCTIONS[_spec.alias] = _fn
    BY_NAME[_spec.name] = _spec
    BY_NAME[_spec.alias] = _spec


def spec(name: str) -> FunctionSpec:
    """The declaration of a function by Chinese name or English alias."""
    return BY_NAME[name]
