"""What a 自评表 holds once read, whatever its layout — and its JSON form (DESIGN.md).

Readers fill the *stated* values (what the sheet says: ``score``, ``rate``, ``total_score``);
the scoring pipeline fills ``rule_*`` fields; validation appends ``findings``.
Numbers are ``Decimal`` (money in the sheet's unit, 万元); ``None`` means blank.
``cells`` maps a field name to where it was read (``Sheet!A1``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any


@dataclass
class Project:
    name: str | None = None
    department: str | None = None   # 主管部门
    unit: str | None = None         # 实施单位
    year: int | None = None
    goal: str | None = None         # 年度总体目标 / 预期目标
    goal_actual: str | None = None  # 实际完成情况
    cells: dict[str, str] = field(default_factory=dict)


@dataclass
class BudgetRow:
    """One row of a funds table: 年度资金总额 / 其中… or (1)…(7); values by column label."""

    label: str
    code: str | None = None                       # "(5)=(3)-(4)" etc. when the layout has one
    values: dict[str, Decimal | None] = field(default_factory=dict)
    cells: dict[str, str] = field(default_factory=dict)
    is_total: bool = False                        # 年度资金总额 / 合计 row
    is_component: bool = False                    # 其中：… rows that must add to the total


@dataclass
class Budget:
    initial: Decimal | None = None    # 年初预算数
    adjusted: Decimal | None = None   # 全年预算数 (调整后)
    available: Decimal | None = None  # 实际到位资金
    executed: Decimal | None = None   # 全年执行数
    rate: Decimal | None = None       # 执行率 as stated on the sheet (ratio)
    weight: Decimal | None = None     # 分值
    score: Decimal | None = None      # 得分 as stated
    rule_score: Decimal | None = None
    rule_rate: Decimal | None = None
    reason: str | None = None         # 偏差原因 for low execution, where the layout has one
    rows: list[BudgetRow] = field(default_factory=list)
    cells: dict[str, str] = field(default_factory=dict)


@dataclass
class Indicator:
    level1: str | None = None
    level2: str | None = None
    name: str | None = None
    target: str | None = None       # as written ("≥95%", "18", "效果明显")
    actual: str | None = None       # as written ("18.74万人")
    unit: str | None = None         # what the parser understood, or the 度量单位 column
    direction: str | None = None    # 正向/反向/等于/区间/定性
    weight: Decimal | None = None   # 分值 / 权重
    score: Decimal | None = None    # stated 得分
    rule_score: Decimal | None = None
    completion: Decimal | None = None          # 完成率 (computed)
    completion_stated: Decimal | None = None   # 完成率 as the sheet shows it
    deviation: Decimal | None = None           # 偏离度 (computed)
    reason: str | None = None                  # 偏差原因分析及改进措施
    header_unit: str | None = None             # unit named in the indicator's name/header: "补助人数（人）"
    rule_error: str | None = None              # why the rules could not score it (Chinese), if so
    band: str | None = None                    # 定性档次 the user chose (template column), if any
    band_rate: Decimal | None = None           # 得分率 the user gave inside the band, if any
    target_value: Any = None                   # udfs.grammar.Value of ``target``, parsed once (pipeline)
    actual_value: Any = None                   # udfs.grammar.Value of ``actual``
    outcome: Any = None                        # udfs.evaluate.Outcome: what the rules made of it
    cell: str | None = None                    # anchor (the name cell)
    cells: dict[str, str] = field(default_factory=dict)


@dataclass
class Finding:
    rule: str
    severity: str    # error / warning / info
    cell: str | None
    message: str
    expected: Any = None   # what the rule would give, when there is one

    def to_json(self) -> dict[str, Any]:
        return {"rule": self.rule, "severity": self.severity, "cell": self.cell, "message": self.message}


@dataclass
class Evaluation:
    source: str | None = None
    layout: str | None = None      # spec / layout id
    sheet: str | None = None
    project: Project = field(default_factory=Project)
    budget: Budget = field(default_factory=Budget)
    indicators: list[Indicator] = field(default_factory=list)
    total_score: Decimal | None = None       # 总分 as stated
    rule_total_score: Decimal | None = None
    grade: str | None = None                 # 评价等级 as stated (or by rule when not stated)
    rule_grade: str | None = None
    weights_total: Decimal | None = None     # the table's stated total of weights, if any
    findings: list[Finding] = field(default_factory=list)
    cells: dict[str, str] = field(default_factory=dict)   # total_score, grade, …
    extra: dict[str, Any] = field(default_factory=dict)   # layout-specific data (e.g. scorecard groups)

    def to_json(self) -> dict[str, Any]:
        """The machine-readable shape of DESIGN.md (English keys, JSON numbers)."""
        b = self.budget
        return {
            "source": self.source,
            "layout": self.layout,
            "project": {"name": self.project.name, "department": self.project.department,
                        "unit": self.project.unit, "year": self.project.year},
            "budget": {"initial": num(b.initial), "adjusted": num(b.adjusted),
                       "available": num(b.available), "executed": num(b.executed),
                       "rate": num(b.rate if b.rate is not None else b.rule_rate),
                       "weight": num(b.weight), "score": num(b.score), "rule_score": num(b.rule_score)},
            "indicators": [
                {"level1": i.level1, "level2": i.level2, "name": i.name, "target": i.target,
                 "actual": i.actual, "unit": i.unit, "direction": i.direction,
                 "weight": num(i.weight), "score": num(i.score), "rule_score": num(i.rule_score),
                 "completion": num(i.completion), "deviation": num(i.deviation),
                 "reason": i.reason, "cell": i.cell}
                for i in self.indicators
            ],
            "total_score": num(self.total_score),
            "rule_total_score": num(self.rule_total_score),
            "grade": self.grade if self.grade is not None else self.rule_grade,
            "findings": [f.to_json() for f in self.findings],
            # which rules scored it and why (addin.validate.resolve_profile); our template's _meta
            "profile": self.extra.get("profile_used"),
            "template": _template_json(self.extra.get("template")),
        }


def _template_json(t: dict[str, Any] | None) -> dict[str, Any] | None:
    if not t:
        return None
    keys = ("id", "version", "profile", "profile_version", "checksum", "pack", "altered")
    return {k: t.get(k) for k in keys}


def num(v: Decimal | int | float | None) -> int | float | None:
    """Decimal → JSON number (int when integral)."""
    if v is None:
        return None
    d = Decimal(v)
    if d == d.to_integral_value():
        return int(d)
    return float(d)


_UNIT_IN_NAME = re.compile(r"[（(]([^（）()\d]{1,7})[)）]\s*$")


def unit_in_name(name: str | None) -> str | None:
    """The unit an indicator's name states in brackets: "补助人数（人）" → "人", "人均补助标准（元/年）"
    → "元/年"; None when there is none (long bracketed remarks are not units)."""
    m = _UNIT_IN_NAME.search(name or "")
    if m and ("/" in m.group(1) or len(m.group(1)) <= 3):
        return m.group(1)
    return None
