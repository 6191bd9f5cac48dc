"""What a 自评表 holds once read, whatever its layout — and its JSON form (DESIGN.md).

Readers fill the *stated* values (what the sheet says: ``score``, ``rate``, ``total_score``);
the scoring pipeline fills ``rule_*`` fields; validation appends ``findings``.
Numbers are ``Decimal`` (money in the sheet's unit — ``Budget.unit``, 万元 unless the sheet says
元/亿元); ``None`` means blank. ``cells`` maps a field name to where it was read (``Sheet!A1``).
``recognition`` says how the reader understood the sheet (``jixiao read --explain``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, fields
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
    fields: dict[str, str] = field(default_factory=dict)   # field (adjusted, executed, rate…) → values key


MONEY_UNITS: dict[str, Decimal] = {"元": Decimal(1), "千元": Decimal(1000), "万元": Decimal(10000),
                                   "万": Decimal(10000), "亿元": Decimal(10) ** 8, "亿": Decimal(10) ** 8}
WAN = "万元"
_NOT_MONEY = ("率", "分", "%", "％")     # labels of rates and points, not amounts


def to_wan(v: Decimal | None, unit: str | None) -> Decimal | None:
    """An amount in ``unit`` (元/万元/亿元; None = 万元) in 万元, for consolidation and weights."""
    if v is None or not unit or unit == WAN:
        return v
    return v * MONEY_UNITS[unit] / MONEY_UNITS[WAN]


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
    unit: str | None = None           # the sheet's money unit (元/万元/亿元); amounts are kept in it
    rows: list[BudgetRow] = field(default_factory=list)
    cells: dict[str, str] = field(default_factory=dict)

    def in_wan(self, v: Decimal | None) -> Decimal | None:
        """An amount of this budget in 万元 (consolidation weights compare units in one unit)."""
        return to_wan(v, self.unit)


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
class Recognition:
    """How the reader understood one sheet (issue #12) — never a silent gap: the layout and why,
    which header cell became which field (and the synonym that matched), the role of every row
    under the header, the fields looked for and not found, and the money unit with its source."""

    sheet: str | None = None
    layout: str | None = None
    layout_reason: str | None = None
    header_rows: list[int] = field(default_factory=list)     # 1-based
    project: list[dict[str, Any]] = field(default_factory=list)   # field, label, cell
    rows: list[dict[str, Any]] = field(default_factory=list)      # row, cell, role, text (, of)
    missing: list[dict[str, Any]] = field(default_factory=list)   # field, label, looked_for
    notes: list[str] = field(default_factory=list)
    # field, label, cell, header, synonym — and the funds table (source, sheet, columns, unit,
    # unit_from): described when first asked for (a consolidation of 10,000 files never asks)
    _columns: Any = field(default_factory=list, repr=False)
    _budget: Any = field(default_factory=dict, repr=False)

    @property
    def columns(self) -> list[dict[str, Any]]:
        if callable(self._columns):
            self._columns = self._columns()
        return self._columns

    @columns.setter
    def columns(self, value: list[dict[str, Any]] | Callable[[], list[dict[str, Any]]]) -> None:
        self._columns = value

    @property
    def budget(self) -> dict[str, Any]:
        if callable(self._budget):
            self._budget = self._budget()
        return self._budget

    @budget.setter
    def budget(self, value: dict[str, Any] | Callable[[], dict[str, Any]]) -> None:
        self._budget = value

    def has_budget(self) -> bool:
        """A funds table was recorded (without describing it)."""
        return bool(self._budget)

    def __deepcopy__(self, memo: dict[int, Any]) -> Recognition:
        import copy

        self.columns, self.budget      # noqa: B018 — resolved first: the describers hold the grids
        return Recognition(**{f.name: copy.deepcopy(getattr(self, f.name), memo) for f in fields(self)})

    def to_json(self) -> dict[str, Any]:
        return {"sheet": self.sheet, "layout": self.layout, "layout_reason": self.layout_reason,
                "header_rows": self.header_rows, "columns": self.columns, "budget": self.budget,
                "project": self.project, "rows": self.rows, "missing": self.missing, "notes": self.notes}


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
    recognition: Recognition | None = None   # how the reader understood the sheet (None: our templates)

    def in_wan(self) -> Evaluation:
        """The Evaluation with its funds in 万元: itself when they are, else a converted copy (a 元
        table moved into a 万元 template by ``fill --from``, compared with a text in 万元)."""
        import copy

        if self.budget.unit in (None, WAN):
            return self
        ev = copy.deepcopy(self)
        b = ev.budget
        for f in ("initial", "adjusted", "available", "executed"):
            setattr(b, f, b.in_wan(getattr(b, f)))
        for row in b.rows:
            if any(w in row.label for w in _NOT_MONEY):
                continue                                  # (6)/(7) 到位率/执行率 rows
            money = [k for f, k in row.fields.items() if f != "rate"] or [
                k for k in row.values if not any(w in k for w in _NOT_MONEY)]
            row.values.update({k: b.in_wan(row.values[k]) for k in money if k in row.values})
        b.unit = WAN
        return ev

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
                       "weight": num(b.weight), "score": num(b.score), "rule_score": num(b.rule_score),
                       "unit": b.unit or WAN},
            "indicators": [
                {"level1": i.level1, "level2": i.level2, "name": i.name, "target": i.target,
                 "actual": i.actual, "unit": i.unit, "direction": i.direction,
                 "weight": num(i.weight), "score": num(i.score), "rule_score": num(i.rule_score),
                 "completion": num(i.completion), "deviation": num(i.deviation),
                 "reason": i.reason, "cell": i.cell}
                for i in self.indicators
            ],
            "total_score": num(self.total_score),
            "total_score_source": self.extra.get("total_score_source", "stated"),
            "rule_total_score": num(self.rule_total_score),
            "rule_total_note": unchecked_note(self.extra.get("unchecked")),
            "grade": self.grade if self.grade is not None else self.rule_grade,
            "findings": [f.to_json() for f in self.findings],
            # which rules scored it and why (addin.validate.resolve_profile); our template's _meta
            "profile": self.extra.get("profile_used"),
            "template": _template_json(self.extra.get("template")),
            "recognition": self.recognition.to_json() if self.recognition is not None else None,
        }


def _template_json(t: dict[str, Any] | None) -> dict[str, Any] | None:
    if not t:
        return None
    keys = ("id", "version", "layout", "profile", "profile_version", "checksum", "pack", "altered")
    return {k: t.get(k) for k in keys}


def unchecked_note(unchecked: dict[str, Any] | None) -> str | None:
    """"部分可计分：2 项、15 分未计" when some scored points could not be checked by the rules."""
    if not unchecked:
        return None
    return f"部分可计分：{unchecked['count']} 项、{_plain(unchecked['points'])} 分未计"


def _plain(v: Any) -> str:
    """15.50 → '15.5', 20 → '20'."""
    return format(Decimal(str(v)).normalize(), "f")


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
