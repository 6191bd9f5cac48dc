"""Pins on how header rows become columns (``reader/header_map.py``, issue #18): which header cell
is which field, one or two header rows, as the recognition record (``jixiao read --explain``, the
识别记录 of 校验结果) shows them. Tables: 红河州数据发展中心 in the 云南 form
(``published_tables.honghe_yunnan``) and the 附件1 form as 廊坊市食品工程学校 published it
(``tests/pinned_reader_tables.py``); the expected cells are read off the table.
"""

from __future__ import annotations

import openpyxl

from tests import published_tables as pt
from tests.pinned_reader_tables import annex1, honghe_unmerged
from workbook_templates.reader import read_workbook

HONGHE_COLUMNS = [("level1", "自评表!A8"), ("level2", "自评表!B8"), ("name", "自评表!C8"),
                  ("nature", "自评表!D9"), ("target", "自评表!E9"), ("unit", "自评表!F9"),
                  ("actual", "自评表!G8"), ("weight", "自评表!H8"), ("score", "自评表!I8"),
                  ("reason", "自评表!J8")]


def test_two_header_rows_each_field_once_at_its_cell(tmp_path):
    """The 云南 form: 年度指标值 (D8) merged over 指标性质 / 指标值 / 度量单位 (D9:F9), the other
    headers merged down over both rows. Each field is recorded once, at the cell that names it — the
    merged ones at their top cell on row 8, the three under 年度指标值 on row 9."""
    ev = read_workbook(pt.honghe_yunnan(tmp_path / "hh.xlsx"))
    assert [(c["field"], c["cell"]) for c in ev.recognition.columns] == HONGHE_COLUMNS
    assert ev.recognition.header_rows == [8, 9]


def test_two_header_rows_without_merged_cells(tmp_path):
    """The same 云南 header typed without merging (the labels on row 8, row 9 holding only 指标性质 /
    指标值 / 度量单位 under 年度指标值): the same columns, found on the row that names them."""
    ev = read_workbook(honghe_unmerged(tmp_path / "hh.xlsx"))
    assert [(c["field"], c["cell"]) for c in ev.recognition.columns] == HONGHE_COLUMNS
    assert [i.target for i in ev.indicators][:2] == ["≥28个", "≥174台"]


def test_a_blank_row_under_a_one_row_header(tmp_path):
    """A blank row left between the 附件1 header (row 9) and the first indicator: the header is the
    one row 9, and the indicators under the gap are read."""
    inds = [[], [None, "产出指标", "数量指标", "工程资金金额", 43.2, 37.24, 50, 45],
            [None, "满意度指标", "服务对象满意度指标", "学生满意度", "≥90%", "95%", 50, 49]]
    ev = read_workbook(annex1(tmp_path / "gap.xlsx", indicators=inds))
    assert ev.recognition.header_rows == [9]
    assert [i.name for i in ev.indicators] == ["工程资金金额", "学生满意度"]
    assert [c["cell"] for c in ev.recognition.columns][:3] == ["自评表!B9", "自评表!C9", "自评表!D9"]


def test_a_header_on_the_first_row(tmp_path):
    """A sheet holding only the 指标 table (its title deleted), the header on row 1: the columns are
    described at their row-1 cells (一级指标 A1 … 得分 G1)."""
    rows = [["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"],
            ["产出指标", "数量指标", "工程资金金额", 43.2, 37.24, 50, 45],
            ["满意度指标", "服务对象满意度指标", "学生满意度", "≥90%", "95%", 50, 49],
            ["总分", None, None, None, None, 100, 94]]
    ev = read_workbook(pt.write_book(tmp_path / "r1.xlsx", {"自评表": rows}))
    assert [(c["field"], c["cell"]) for c in ev.recognition.columns] == [
        ("level1", "自评表!A1"), ("level2", "自评表!B1"), ("name", "自评表!C1"), ("target", "自评表!D1"),
        ("actual", "自评表!E1"), ("weight", "自评表!F1"), ("score", "自评表!G1")]


def test_two_header_rows_typed_out_in_full(tmp_path):
    """The 云南 header with its merged labels typed again on row 9 instead of merged (一级指标 /
    二级指标 / 三级指标 … on both rows, 指标性质 / 指标值 / 度量单位 under 年度指标值): row 9 still
    belongs to the header — the targets are the 指标值 column (≥28个), the data starts on row 10."""
    book = pt.honghe_yunnan(tmp_path / "hh.xlsx")
    wb = openpyxl.load_workbook(book)
    ws = wb["自评表"]
    for rng in list(ws.merged_cells.ranges):
        if rng.min_row == 8 and rng.min_col != 4:
            ws.unmerge_cells(str(rng))
    for col in "ABCGHIJ":
        ws[f"{col}9"] = ws[f"{col}8"].value
    wb.save(book)
    ev = read_workbook(book)
    assert ev.recognition.header_rows == [8, 9]
    assert [i.target for i in ev.indicators][:2] == ["≥28个", "≥174台"]
    assert [i.name for i in ev.indicators][0] == "展区运维数量"


def test_find_indicator_header_gives_the_last_header_row_and_columns(tmp_path):
    """The package's ``find_indicator_header`` on the 云南 form: the last header row (row 9, index 8)
    and the columns of both rows — 指标性质 D, 指标值 E (the target), 度量单位 F, 分值 H."""
    from workbook_templates.loaders import load_book
    from workbook_templates.reader import find_indicator_header

    g = load_book(pt.honghe_yunnan(tmp_path / "hh.xlsx")).grid("自评表")
    row, cols = find_indicator_header(g)
    assert row == 8
    assert (cols["nature"], cols["target"], cols["unit"], cols["weight"]) == (3, 4, 5, 7)
