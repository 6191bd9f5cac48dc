"""校验 on Evaluations shaped like the seeds' published tables (built from tests/fixtures/*.json
with the cells a real layout has). Expected findings come from the fixtures' notes and the rules."""

from __future__ import annotations

import copy
import json
import re
from decimal import Decimal
from pathlib import Path

from addin.validate import validate
from udfs.numbers import to_decimal
from workbook_templates.model import Budget, BudgetRow, Evaluation, Indicator, Project

FIXTURES = Path(__file__).parent / "fixtures"
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def fixture(name: str) -> dict:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def D(x) -> Decimal | None:  # noqa: N802
    return None if x is None else to_decimal(x)


def header_unit(name: str) -> str | None:
    m = re.search(r"[（(]([^（）()]+)[）)]\s*$", name or "")
    return m.group(1) if m else None


def seed004_evaluation(data: dict | None = None) -> Evaluation:
    """Seed 004 as the reader gives it: sheet 预算执行情况 (rows (1)–(7), columns C… from row 4) and
    sheet 绩效自评表 (A 一级 B 二级 C 目标指标 D 权重 E 目标值 F 业绩值 G 完成率 H 指标得分 I 偏差原因;
    row 3 the 预算执行率 line = the budget part, indicators from row 4, 总分 in H12)."""
    data = copy.deepcopy(data or fixture("seed004_self_evaluation.json"))
    bt = data["budget_table"]
    rows = []
    for i, r in enumerate(bt["rows"]):
        excel_row = 4 + i
        rows.append(BudgetRow(
            label=r["label"], code=r["code"],
            values={col: D(v) for col, v in zip(bt["columns"], r["values"], strict=True)},
            cells={col: f"预算执行情况!{LETTERS[2 + j]}{excel_row}" for j, col in enumerate(bt["columns"])}))
    first = {r["code"][:3]: r for r in bt["rows"]}
    inds = data["indicators"]
    b_ind, others = inds[0], inds[1:]
    budget = Budget(
        initial=D(first["(1)"]["values"][0]), adjusted=D(first["(2)"]["values"][0]),
        available=D(first["(3)"]["values"][0]), executed=D(first["(4)"]["values"][0]),
        rate=D(b_ind["actual"]), weight=D(b_ind["weight"]), score=D(b_ind["score_stated"]),
        reason=b_ind.get("reason"), rows=rows,
        cells={"initial": "预算执行情况!C4", "adjusted": "预算执行情况!C5", "available": "预算执行情况!C6",
               "executed": "预算执行情况!C7", "rate": "绩效自评表!F3", "weight": "绩效自评表!D3",
               "score": "绩效自评表!H3", "reason": "绩效自评表!I3"})
    indicators = []
    for i, it in enumerate(others):
        r = 4 + i
        indicators.append(Indicator(
            level1=it["level1"], level2=it["level2"], name=it["name"], target=it["target"],
            actual=it["actual"], weight=D(it["weight"]), score=D(it.get("score_stated")),
            completion_stated=D(it.get("completion_stated")), reason=it.get("reason"),
            header_unit=header_unit(it["name"]), cell=f"绩效自评表!C{r}",
            cells={"level1": f"绩效自评表!A{r}", "level2": f"绩效自评表!B{r}", "name": f"绩效自评表!C{r}",
                   "weight": f"绩效自评表!D{r}", "target": f"绩效自评表!E{r}", "actual": f"绩效自评表!F{r}",
                   "completion": f"绩效自评表!G{r}", "score": f"绩效自评表!H{r}", "reason": f"绩效自评表!I{r}"}))
    total_row = 4 + len(others)
    return Evaluation(
        source="seed004.xlsx", layout="seed004", sheet="绩效自评表",
        project=Project(name=data["project"]["name"], year=data["project"]["year"]),
        budget=budget, indicators=indicators, total_score=D(data["total_stated"]),
        grade=data["grade_stated"], weights_total=D(data["weights_total"]),
        cells={"total_score": f"绩效自评表!H{total_row}", "grade": f"绩效自评表!I{total_row}"})


def ids(findings) -> list[tuple[str, str | None]]:
    return [(f.rule, f.cell) for f in findings]


def test_seed004_finds_the_unit_slip_and_nothing_else_wrong():
    ev = seed004_evaluation()
    findings = validate(ev)
    for f in findings:
        print(f.severity, f.rule, f.cell, f.message)
    assert ("unit-mismatch", "绩效自评表!E4") in ids(findings)
    errors = [f for f in findings if f.severity == "error"]
    assert ids(errors) == [("unit-mismatch", "绩效自评表!E4")]
