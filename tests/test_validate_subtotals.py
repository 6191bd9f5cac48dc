"""subtotal-mismatch: category subtotal rows checked against their indicators.

The workbook is the cz2020-annex sample (seed 004's numbers: 产出 20+10+10+10 = 50, 效益 15+15 = 30,
满意度 10) with a "……" placeholder row at the end of each category turned into its 小计 row.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from addin.validate import validate
from workbook_templates.reader import read_workbook
from workbook_templates.samples import write_sample

SHEET = "项目支出绩效自评表"
# (row of a "……" placeholder inside the category's merged 一级指标 cell, label, 分值, 得分)
SUBTOTALS = [(20, "产出指标小计", 50, 50), (30, "效益指标小计", 30, 30), (32, "满意度指标小计", 10, 10)]


def _workbook(path: Path, change: dict[tuple[int, str], float] | None = None) -> Path:
    write_sample("cz2020-annex", path)
    wb = openpyxl.load_workbook(path)
    ws = wb[SHEET]
    assert [ws.cell(row=r, column=4).value for r, *_ in SUBTOTALS] == ["……"] * 3   # the sample's shape
    for r, label, weight, score in SUBTOTALS:
        ws.cell(row=r, column=4, value=label)
        ws.cell(row=r, column=7, value=weight)     # 分值
        ws.cell(row=r, column=8, value=score)      # 得分
    for (r, col), v in (change or {}).items():
        ws[f"{col}{r}"] = v
    wb.save(path)
    return path


def _hits(path: Path, engine: str = "auto"):
    ev = read_workbook(path, engine=engine)
    return ev, [f for f in validate(ev) if f.rule == "subtotal-mismatch"]


@pytest.mark.parametrize("engine", ["openpyxl", "calamine"])
def test_right_subtotals_give_no_finding(tmp_path, engine):
    ev, hits = _hits(_workbook(tmp_path / "ok.xlsx"), engine)
    assert [s["label"] for s in ev.extra["subtotals"]] == [x[1] for x in SUBTOTALS]
    assert hits == []


def test_wrong_score_subtotal(tmp_path):
    """效益指标小计 得分 28 where 15 + 15 = 30."""
    _ev, hits = _hits(_workbook(tmp_path / "bad.xlsx", {(30, "H"): 28}))
    assert len(hits) == 1
    f = hits[0]
    assert f.severity == "error"
    assert f.cell == f"{SHEET}!H30"
    assert "28" in f.message and "30" in f.message and "效益指标小计" in f.message
    assert f.expected == Decimal(30)


def test_wrong_weight_subtotal(tmp_path):
    """产出指标小计 分值 45 where 20 + 10 + 10 + 10 = 50."""
    _ev, hits = _hits(_workbook(tmp_path / "badw.xlsx", {(20, "G"): 45}))
    assert [(f.cell, f.expected) for f in hits] == [(f"{SHEET}!G20", Decimal(50))]
    assert "45" in hits[0].message and "50" in hits[0].message


def test_rounding_is_tolerated(tmp_path):
    """Two lines of 7.504 and 7.504 (shown 7.50 each) with a subtotal of 15.01 (the rounded sum
    15.008): within 2 × 0.005 — no finding; 15.02 is beyond it."""
    change = {(24, "H"): 7.504, (29, "H"): 7.504, (30, "H"): 15.01}
    _ev, hits = _hits(_workbook(tmp_path / "round.xlsx", change))
    assert hits == []
    change[(30, "H")] = 15.02
    _ev, hits = _hits(_workbook(tmp_path / "round2.xlsx", change))
    assert [f.cell for f in hits] == [f"{SHEET}!H30"]
