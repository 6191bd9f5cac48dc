"""missing-field: 项目名称, 预算数, and each indicator's 目标值 / 实际值 / 分值; partially-scorable:
scored points the rules could not check (the rule total is then withheld, issue #12).

A field is required where the layout has a place for it (the reader recorded its cell, or the
column exists for other indicators of the table).
"""

from __future__ import annotations

from collections.abc import Iterator

from udfs import Profile
from workbook_templates.model import Evaluation, Finding, unchecked_note

from . import check, finding
from .common import blank, cell_of

INDICATOR_FIELDS = {"target": "目标值（年度指标值）", "actual": "实际值（实际完成值）", "weight": "分值"}


@check
def missing_fields(ev: Evaluation, profile: Profile) -> Iterator[Finding]:
    p = ev.project
    if blank(p.name) and p.cells.get("name"):
        yield finding("missing-field", p.cells["name"], "项目名称为空。", None)
    b = ev.budget
    budget_cell = cell_of(b.cells, "adjusted", "initial", "available")
    if budget_cell and b.adjusted is None and b.initial is None and b.available is None:
        yield finding("missing-field", budget_cell, "预算数（年初预算数/全年预算数）为空，无法计算预算执行率。", None)
    table = cell_of(ev.cells, "indicators", "weights_total", "total_score")   # the layout has an indicator table
    if not ev.indicators and table:
        yield finding("missing-field", ev.cells.get("indicators"),
                      "未填写任何绩效指标（产出、效益、满意度指标）。", None)
    columns = {f for ind in ev.indicators for f in INDICATOR_FIELDS if ind.cells.get(f)}
    for ind in ev.indicators:
        for f in INDICATOR_FIELDS:
            if f in columns and blank(getattr(ind, f)):
                yield finding("missing-field", cell_of(ind.cells, f, default=ind.cell),
                              f"指标“{ind.name or '（未命名）'}”的{INDICATOR_FIELDS[f]}为空。", None)


@check
def partially_scorable(ev: Evaluation, profile: Profile) -> Iterator[Finding]:
    """部分可计分：n 项、m 分未计 — the rule total is withheld rather than completed with stated scores."""
    unchecked = ev.extra.get("unchecked")
    if unchecked:
        yield finding("partially-scorable", cell_of(ev.cells, "total_score", "indicators"),
                      f"{unchecked_note(unchecked)}：这些指标没有规则得分（目标值/实际值缺失、无法识别，或本表没有这些列），"
                      "规则总分不予计算，以免把填报得分当作已核对；请人工核对这些得分。", None)
