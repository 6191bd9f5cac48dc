"""The reader's hidden-sheet fallback (issue #18: mutation testing found it unpinned).

Visible sheets are searched first (a hidden sheet often holds last year's copy or lookup lists:
tests/test_reader_layouts.py, test_reader_variants.py pin that); when the only 自评表 is on a hidden
sheet it is still read, not refused. Expected numbers are seed 004's published ones (fixture
seed004_self_evaluation.json: 权重 100, rules' 总分 99.51, 执行 1521.57 万元).
"""

from __future__ import annotations

from decimal import Decimal

import openpyxl
import pytest

from addin.pipeline import score_evaluation
from workbook_templates.reader import read_workbook
from workbook_templates.samples import write_sample

SHEET = "项目支出绩效自评表"


@pytest.fixture(scope="module")
def hidden_only(tmp_path_factory):
    """Seed 004's sample with both its sheets hidden and a visible 说明 sheet of notes in front."""
    path = tmp_path_factory.mktemp("hidden-sheet") / "hidden.xlsx"
    write_sample("seed004", path)
    wb = openpyxl.load_workbook(path)
    for ws in wb.worksheets:
        ws.sheet_state = "hidden"
    notes = wb.create_sheet("说明", 0)
    notes["A1"] = "填表说明：本表由项目单位填写，金额单位为万元。"
    wb.active = 0
    wb.save(path)
    return path


def test_the_file_really_hides_the_sheets(hidden_only):
    wb = openpyxl.load_workbook(hidden_only)
    assert {ws.title: ws.sheet_state for ws in wb.worksheets} == {
        "说明": "visible", "预算执行情况表": "hidden", SHEET: "hidden"}


@pytest.mark.parametrize("engine", ["openpyxl", "calamine"])
def test_a_table_only_on_a_hidden_sheet_is_still_read(hidden_only, engine):
    ev = read_workbook(hidden_only, engine=engine)
    score_evaluation(ev)
    assert ev.sheet == SHEET
    assert len(ev.indicators) == 7
    assert sum((i.weight for i in ev.indicators), Decimal(0)) + ev.budget.weight == 100
    assert ev.budget.executed == Decimal("1521.57")
    assert ev.rule_total_score == Decimal("99.51")


@pytest.mark.parametrize("engine", ["openpyxl", "calamine"])
def test_reading_a_hidden_sheet_says_so(hidden_only, engine):
    """Never silent: the reviewer is told the table came from a hidden sheet (maybe last year's)."""
    ev = read_workbook(hidden_only, engine=engine)
    found = [f for f in ev.findings if f.rule == "hidden-sheet-read"]
    assert len(found) == 1 and found[0].severity == "warning"
    assert SHEET in found[0].message and found[0].cell == f"{SHEET}!A1"


def test_a_visible_table_raises_no_hidden_sheet_finding(tmp_path):
    path = write_sample("seed004", tmp_path / "visible.xlsx")
    assert "hidden-sheet-read" not in [f.rule for f in read_workbook(path).findings]
