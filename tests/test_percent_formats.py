"""Number formats are part of the value: a cell holding 0.95 with a % format is 95% on every engine
(openpyxl, the calamine path reading xl/styles.xml, xlwings' ``number_format``); a format whose %
is quoted or escaped (``0"%"``, ``0\\%``) prints the number as it is, so 95 there is 95%, not 9500%."""

from __future__ import annotations

from decimal import Decimal

import openpyxl
import pytest

from addin.pipeline import score_evaluation
from udfs.numbers import is_percent_format
from workbook_templates.builder import build_template
from workbook_templates.loaders import load_calamine, load_openpyxl
from workbook_templates.reader.cells import cell_text
from workbook_templates.template_reader import read_template_file

CELLS = [("A1", 0.95, "0%", "95%"), ("A2", 1.2, "0.00%", "120%"), ("A3", 95, '0"%"', "95"), ("A4", 95, "0\\%", "95"),
         ("A5", 0.5, "General", "0.5"), ("A6", 0.874, "#,##0.0%", "87.4%")]


@pytest.fixture
def book(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "表"
    for ref, v, fmt, _ in CELLS:
        ws[ref] = v
        ws[ref].number_format = fmt
    path = tmp_path / "pct.xlsx"
    wb.save(path)
    return path


@pytest.mark.parametrize("load", [load_openpyxl, load_calamine], ids=["openpyxl", "calamine"])
def test_percent_cells_read_as_shown_on_both_engines(book, load):
    g = load(book).grids[0]
    assert [cell_text(g, r, 0) for r in range(len(CELLS))] == [c[3] for c in CELLS]


def test_only_an_unquoted_percent_scales():
    assert is_percent_format("0%") and is_percent_format("0.00%;[Red]-0.00%") and is_percent_format("[Blue]0.0%")
    assert not any(is_percent_format(c) for c in ('0"%"', "0\\%", "General", "@", "", None))


class _Col:
    def __init__(self, fmts):
        self.fmts = fmts

    @property
    def number_format(self):
        return self.fmts[0] if len(set(self.fmts)) == 1 else None   # xlwings: None for mixed formats

    def __getitem__(self, i):
        return _Cell(self.fmts[i])


class _Cell:
    def __init__(self, fmt):
        self.number_format = fmt


class _Range:
    """What xlwings' Range offers percent_formats: row/column and per-column number_format."""

    row, column = 12, 5

    def __init__(self, cols):
        self.columns = [_Col(c) for c in cols]


def test_xlwings_number_formats_become_grid_formats():
    from addin.excel.macros import percent_formats

    values = [[0.95, "≥", 0.9], [1.2, "x", 95]]
    rng = _Range([["0%", "0%"], ["General", "General"], ["0%", '0"%"']])
    assert percent_formats(rng, values) == {(11, 4): "0%", (12, 4): "0%", (11, 6): "0%"}


def test_template_row_typed_the_excel_way_scores_as_percent(tmp_path):
    """95% typed into 指标值 (0.95, % format) and 98 in a General cell: the core reads ≥95% and 98, and
    the bare 98 agrees in magnitude with 95 (percent points), never 10215.79%."""
    path = build_template("project", tmp_path / "t.xlsx")
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    ws["C12"], ws["D12"], ws["E12"], ws["H12"], ws["K12"] = "满意度", "≥", 0.95, 98, 10
    ws["E12"].number_format = "0%"
    wb.save(path)
    ev = read_template_file(path)
    ind = ev.indicators[0]
    assert ind.target == "≥95%" and ind.actual == "98"
    score_evaluation(ev)
    assert ind.rule_score == Decimal("10.00") and ind.deviation == Decimal("0.0316")
