"""Which figures a report states, and how a reviewer is told where a cell is.

One source of truth per report (issue #16): either every 得分 in the report is the unit's own
(``stated`` — the sheet states every row's 得分 and the 总分) or every one is recomputed by the core
(``rule`` — a blank or uncalculated 得分/总分, e.g. a workbook written by ``jixiao fill`` and never
opened in Excel). Tables never mix the two; the label says which it is.

``CellNames`` turns ``Sheet!E5`` into what a reviewer reads: "自评表第5行 年度指标值".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from addin.rules import CATALOGUE
from workbook_templates.grid import parse_a1, split_ref
from workbook_templates.model import Evaluation, Finding, Indicator

from .markup import Verify

INDICATOR_FIELDS = {"level1": "一级指标", "level2": "二级指标", "name": "三级指标", "target": "年度指标值",
                    "actual": "实际完成值", "unit": "度量单位", "direction": "指标性质", "weight": "分值",
                    "score": "得分", "completion": "完成率", "deviation": "偏离度", "band": "定性档次",
                    "reason": "偏差原因分析及改进措施"}
BUDGET_FIELDS = {"initial": "年初预算数", "adjusted": "全年预算数", "available": "实际到位资金",
                 "executed": "全年执行数", "rate": "预算执行率", "weight": "预算执行率分值",
                 "score": "预算执行率得分", "reason": "预算执行偏差原因"}
EVALUATION_FIELDS = {"total_score": "总分", "grade": "评价等级", "weights_total": "分值合计"}
PROJECT_FIELDS = {"name": "项目名称", "department": "主管部门", "unit": "实施单位", "year": "年度",
                  "goal": "年度总体目标", "goal_actual": "总体目标实际完成情况"}

STATED, RULE = "stated", "rule"


def _key(ref: str) -> tuple[str, str]:
    sheet, a1 = split_ref(ref)
    return sheet, a1.replace("$", "").upper()


def rule_title(rule: str) -> str:
    """The rule's Chinese name from the catalogue ("目标值与实际值单位不一致"); the id if unknown."""
    return CATALOGUE.get(rule, {}).get("title") or rule


@dataclass
class CellNames:
    """Readable names of the cells an Evaluation was read from."""

    names: dict[tuple[str, str], str] = field(default_factory=dict)

    @classmethod
    def of(cls, ev: Evaluation) -> CellNames:
        out = cls()
        for cells, labels in ((ev.project.cells, PROJECT_FIELDS), (ev.budget.cells, BUDGET_FIELDS),
                              (ev.cells, EVALUATION_FIELDS)):
            for k, ref in cells.items():
                if ref and k in labels:
                    out.names.setdefault(_key(ref), labels[k])
        for ind in ev.indicators:
            for k, ref in ind.cells.items():
                if ref and k in INDICATOR_FIELDS:
                    out.names.setdefault(_key(ref), INDICATOR_FIELDS[k])
            if ind.cell:
                out.names.setdefault(_key(ind.cell), "三级指标")
        return out

    def readable(self, ref: str | None) -> str:
        """"项目支出绩效自评表第5行 年度指标值"; a cell the reader did not name: "…第5行E列"."""
        if not ref:
            return ""
        sheet, a1 = _key(ref)
        try:
            r, c = parse_a1(a1)
        except (ValueError, IndexError):
            return f"{sheet} {a1}".strip()
        label = self.names.get((sheet, a1))
        col = "".join(ch for ch in a1 if ch.isalpha())
        return f"{sheet}第{r + 1}行 {label}" if label else f"{sheet}第{r + 1}行{col}列"


def uncalculated_formulas(ev: Evaluation) -> bool:
    """True when the workbook's 总分/得分 cells are formulas without a calculated value — a file
    written by a program (``jixiao fill``) and never opened in Excel/WPS. Readers that notice it
    say so as ``formula-not-calculated``; for our templates this looks at the cells themselves."""
    if any(f.rule == "formula-not-calculated" for f in ev.findings):
        return True
    refs = [ev.cells.get("total_score"), ev.budget.cells.get("score"),
            *[i.cells.get("score") for i in ev.indicators]]
    refs = [r for r in refs if r]
    if not refs or not ev.source or not str(ev.source).lower().endswith((".xlsx", ".xlsm")):
        return False
    try:
        from openpyxl import load_workbook

        wb = load_workbook(ev.source, read_only=True)
    except Exception:  # unreadable here: the reader already read it; nothing to add
        return False
    try:
        for ref in refs:
            sheet, a1 = split_ref(ref)
            if sheet in wb.sheetnames:
                v = wb[sheet][a1].value
                if isinstance(v, str) and v.startswith("="):
                    return True
        return False
    finally:
        wb.close()


class Figures:
    """The report's figures from one source; the flagged ones replaced by 【请核实：…】 when ``verify``."""

    def __init__(self, ev: Evaluation, findings: list[Finding], verify: bool = True) -> None:
        self.ev = ev
        b = ev.budget
        rows_stated = (b.weight is None or b.score is not None) and all(
            i.score is not None for i in ev.indicators if i.weight is not None)
        self.mode = STATED if ev.total_score is not None and rows_stated else RULE
        self.verify = verify
        self.flags: dict[tuple[str, str], list[Finding]] = {}
        for f in findings:
            if f.severity == "error" and f.cell:
                self.flags.setdefault(_key(f.cell), []).append(f)

    @classmethod
    def for_indicator(cls, ind: Indicator) -> Figures:
        """One indicator on its own: its stated 得分 when it has one, else the rule's."""
        fig = cls(Evaluation(indicators=[ind]), [])
        fig.mode = STATED if ind.score is not None else RULE
        return fig

    @property
    def stated(self) -> bool:
        return self.mode == STATED

    @property
    def score_label(self) -> str:
        """Column heading of the 得分 in tables."""
        return "自评得分" if self.stated else "得分（按规则计算）"

    def indicator_score(self, ind: Indicator) -> Decimal | None:
        if self.stated:
            return ind.score
        return ind.rule_score if ind.rule_score is not None else ind.score   # unscorable: the stated one

    def budget_score(self) -> Decimal | None:
        b = self.ev.budget
        if self.stated:
            return b.score
        return b.rule_score if b.rule_score is not None else b.score

    def total(self) -> Decimal | None:
        return self.ev.total_score if self.stated else self.ev.rule_total_score

    def grade(self) -> str | None:
        return self.ev.grade if self.stated else self.ev.rule_grade

    def flagged(self, ref: str | None) -> list[Finding]:
        if not ref or not self.verify:
            return []
        return self.flags.get(_key(ref), [])

    def show(self, text: str, ref: str | None, what: str = "", compact: bool = False) -> str | Verify:
        """``text`` as is, or 【请核实：what“text”（rule name）】 when its cell is flagged; ``compact``
        (a narrow table cell): 【请核实：text】 — the sentence in the body says why."""
        hits = self.flagged(ref)
        if not hits:
            return text
        if compact:
            return Verify(text)
        why = "、".join(dict.fromkeys(rule_title(f.rule) for f in hits))
        return Verify(f"{what}“{text}”（{why}）" if what else f"“{text}”（{why}）")
