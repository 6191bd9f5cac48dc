"""Hidden rows: a clerk hides an old indicator row instead of deleting it — it is not read.

Expected numbers are seed 004's published ones (fixture seed004_self_evaluation.json: 权重 100,
总分 99.51); the workbook is the seed004 sample with two extra 产出 indicator rows inserted.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from addin.pipeline import score_evaluation
from workbook_templates.reader import read_workbook
from workbook_templates.samples import write_sample

SHEET = "项目支出绩效自评表"
# Inserted after row 8 (成本指标), inside the 产出指标 category (A5:A8 merged down).
EXTRA = [
    (None, "数量指标", "旧指标甲（个）", 10, 5, "3个", "60.00%", 6, "已停用"),
    (None, "质量指标", "旧指标乙", 5, 100, "80%", "80.00%", 4, "已停用"),
]


def _workbook(tmp_path: Path, hide: bool) -> Path:
    path = tmp_path / ("hidden.xlsx" if hide else "shown.xlsx")
    write_sample("seed004", path)
    wb = openpyxl.load_workbook(path)
    ws = wb[SHEET]
    # openpyxl's insert_rows leaves merged ranges where they were: move them by hand.
    ws.unmerge_cells("A5:A8")
    ws.unmerge_cells("A9:A10")
    ws.insert_rows(9, amount=len(EXTRA))
    for i, row in enumerate(EXTRA):
        for c, v in enumerate(row, start=1):
            ws.cell(row=9 + i, column=c, value=v)
        if hide:
            ws.row_dimensions[9 + i].hidden = True
    ws.merge_cells("A5:A10")
    ws.merge_cells("A11:A12")
    wb.save(path)
    return path


def _numbers(path: Path, engine: str):
    ev = read_workbook(path, engine=engine)
    score_evaluation(ev)
    weights = sum((i.weight for i in ev.indicators if i.weight is not None), Decimal(0))
    weights += ev.budget.weight or 0
    return ev, weights


@pytest.fixture(scope="module")
def books(tmp_path_factory, seed004):
    d = tmp_path_factory.mktemp("hidden")
    return {"hidden": _workbook(d, True), "shown": _workbook(d, False)}


def test_the_file_really_hides_the_rows(books):
    """The sheet XML carries hidden="1" on rows 9 and 10 (what Excel writes)."""
    ws = openpyxl.load_workbook(books["hidden"])[SHEET]
    assert [r for r in range(1, 20) if ws.row_dimensions[r].hidden] == [9, 10]


@pytest.mark.parametrize("engine", ["openpyxl", "calamine", "auto"])
def test_hidden_rows_are_skipped(books, seed004, engine):
    ev, weights = _numbers(books["hidden"], engine)
    assert weights == Decimal(str(seed004["weights_total"]))
    assert ev.rule_total_score == Decimal(str(seed004["total_stated"]))
    assert len(ev.indicators) == len(seed004["indicators"]) - 1   # 预算执行率 is the budget part
    assert not any("旧指标" in (i.name or "") for i in ev.indicators)
    found = [f for f in ev.findings if f.rule == "hidden-rows-skipped"]
    assert len(found) == 1
    assert found[0].severity == "info"
    assert found[0].cell == f"{SHEET}!C9"
    assert "2" in found[0].message and "C9" in found[0].message


@pytest.mark.parametrize("engine", ["openpyxl", "calamine"])
def test_shown_rows_are_read(books, seed004, engine):
    """The same rows unhidden are indicators: weights 115 — so the test above checks hiding."""
    ev, weights = _numbers(books["shown"], engine)
    assert weights == Decimal(str(seed004["weights_total"])) + 15
    assert sum("旧指标" in (i.name or "") for i in ev.indicators) == 2
    assert not any(f.rule == "hidden-rows-skipped" for f in ev.findings)


def test_normal_mode_loader_sees_hidden_rows(books):
    """openpyxl's normal mode (row_dimensions) and the read-only XML scan agree."""
    from workbook_templates.loaders import load_book, load_openpyxl

    normal = load_openpyxl(books["hidden"], read_only=False).grid(SHEET)
    fast = load_book(books["hidden"], engine="openpyxl").grid(SHEET)
    cal = load_book(books["hidden"], engine="calamine").grid(SHEET)
    assert normal.hidden_rows == fast.hidden_rows == cal.hidden_rows == {8, 9}
