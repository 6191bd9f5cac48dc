"""校验 on Evaluations shaped like the seeds' published tables (built from tests/fixtures/*.json
with the cells a real layout has). Expected findings come from the fixtures' notes and the rules."""

from __future__ import annotations

import copy
import json
import re
from decimal import Decimal
from pathlib import Path

import pytest

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


def test_seed003_framework_fully_executed_is_clean():
    """Seed 003: 项目资金执行数 10 + 产出 50 + 效益 30 + 满意度 10, 166.96 of 166.96 executed."""
    fx = fixture("seed003_weights.json")
    budget_part, *groups = fx["framework"]
    inds = []
    for g in groups:
        for sub in g["level2"]:
            r = 5 + len(inds)
            inds.append(Indicator(level1=g["level1"], level2=sub["name"], name=f"{sub['name']}（示例）",
                                  target="≥100%", actual="100%", weight=D(sub["weight"]), score=D(sub["weight"]),
                                  cell=f"表!C{r}", cells={"weight": f"表!D{r}", "target": f"表!E{r}",
                                                         "actual": f"表!F{r}", "score": f"表!G{r}"}))
    total = D(fx["stated"]["all_projects_total"])
    ev = Evaluation(budget=Budget(adjusted=total, executed=total, rate=D(1), weight=D(budget_part["weight"]),
                                  score=D(fx["stated"]["execution_score"]),
                                  cells={"adjusted": "表!B3", "executed": "表!C3", "rate": "表!F4",
                                         "weight": "表!D4", "score": "表!G4"}),
                    indicators=inds, total_score=D(fx["stated"]["total_score"]), cells={"total_score": "表!G20"},
                    extra={"budget_level1": budget_part["level1"]})
    assert validate(ev) == []
    assert ev.rule_total_score == fx["expected"]["weights_total"]


def test_seed001_annual_indicators():
    """Seed 001's annual indicators: far above target without a written reason (40.65% against ≥28%,
    3.96% against 小于15%) asks why; 服务对象政策知晓率 has no actual in the report."""
    fx = fixture("seed001_scorecard.json")
    inds = []
    for i, a in enumerate(fx["annual_indicators"]):
        r = 4 + i
        inds.append(Indicator(level1="产出指标" if i < 3 else "满意度指标" if "满意" in a["name"] else "效益指标",
                              name=a["name"], target=a["target"], actual=a["actual"], cell=f"年度指标!A{r}",
                              cells={"target": f"年度指标!B{r}", "actual": f"年度指标!C{r}",
                                     "reason": f"年度指标!D{r}"}))
    ev = Evaluation(indicators=inds)
    findings = validate(ev)
    assert sorted(ids(findings)) == sorted([
        ("missing-field", "年度指标!C8"),               # 服务对象政策知晓率: no actual
        ("deviation-unexplained", "年度指标!D4"),       # ≥28% → 40.65%: +45.18%
        ("deviation-unexplained", "年度指标!D5"),       # 小于15% → 3.96%: −73.60%
    ])
    dev = {f.cell: f.expected for f in findings if f.rule == "deviation-unexplained"}
    assert dev["年度指标!D4"] == Decimal(str(fx["annual_indicators"][0]["expected"]["deviation"]))
    assert [i.direction for i in inds[:4]] == [a["expected"]["direction"] for a in fx["annual_indicators"][:4]]


def seed_text(number: str) -> str:
    return next(FIXTURES.glob(f"{number}_*.txt")).read_text(encoding="utf-8")


def test_seed001_yuan_for_wanyuan_in_the_text():
    """Seed 001: "…金额1177.43万元，医疗救助资金支付1177.43元" in the 实际完成情况 passage."""
    fx = fixture("seed001_scorecard.json")
    passage = next(p for p in seed_text("001").splitlines() if fx["text_mistake"]["quote"] in p)
    ev = Evaluation(project=Project(name=fx["project"]["name"], goal_actual=passage,
                                    cells={"name": "表!B2", "goal_actual": "表!B8"}))
    f = [f for f in validate(ev) if f.rule == fx["text_mistake"]["expected_finding"]]
    assert [(x.cell, x.severity, x.expected) for x in f] == [("表!B8", "error", "1177.43万元")]


@pytest.mark.parametrize("number", ["001", "002", "003", "004"])
def test_no_magnitude_false_alarm_in_the_seeds_prose(number):
    """Every other amount of the four published reports (a whole report as one passage) is fine."""
    text = seed_text(number)
    if number == "001":
        text = text.replace("医疗救助资金支付1177.43元", "医疗救助资金支付1177.43万元")
    ev = Evaluation(project=Project(name="x", goal_actual=text, cells={"goal_actual": "表!B8"}))
    assert [f for f in validate(ev) if f.rule == "magnitude-mismatch"] == []


def test_yuan_repeating_a_funds_table_figure():
    ev = seed004_evaluation()
    ev.project.goal_actual = "全年执行资金1521.57元，补助标准580元。"
    ev.project.cells["goal_actual"] = "绩效自评表!B2"
    f = [f for f in validate(ev) if f.rule == "magnitude-mismatch"]
    assert [(x.cell, x.expected) for x in f] == [("绩效自评表!B2", "1521.57万元")]
