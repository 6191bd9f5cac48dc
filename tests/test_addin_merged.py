"""Merged areas of a live sheet in a bounded number of COM calls (issue #14 (8)).

Sheets: the 财预〔2020〕10号 附件1 sample (merged 一级/二级 cells, workbook_templates.samples) and a
generated 2,500 × 20 table with merged header blocks; expected areas are openpyxl's reading of
the same worksheet, not the code's output.
"""

from __future__ import annotations

import random

from openpyxl import Workbook, load_workbook

from addin.excel.merged import address, column_letters, merged_areas
from tests.fake_excel_com import FakeSheet
from workbook_templates.samples import write_sample


def expected(sheet: FakeSheet) -> set[tuple[int, int, int, int]]:
    return {(a[0] - 1, a[1] - 1, a[2] - 1, a[3] - 1) for a in sheet.areas}


def used(sheet: FakeSheet, rows: int, cols: int):
    return sheet.Range(address(1, 1, rows, cols))


def test_addresses():
    assert [column_letters(c) for c in (1, 26, 27, 52, 703)] == ["A", "Z", "AA", "AZ", "AAA"]
    assert address(2, 3, 10, 28) == "C2:AB10"


def test_sample_with_merged_categories(tmp_path):
    wb = load_workbook(write_sample("cz2020-annex", tmp_path / "s.xlsx"))
    for ws in wb.worksheets:
        sheet = FakeSheet.from_openpyxl(ws)
        rng = used(sheet, ws.max_row, ws.max_column)
        sheet.counter.calls = 0
        assert set(merged_areas(rng)) == expected(sheet), ws.title


def test_large_sheet_is_bounded_and_exact():
    rng_ = random.Random(14)
    wb = Workbook()
    ws = wb.active
    ws.merge_cells("A1:T1")
    for r in range(3, 2500, 40):               # a merged category cell every 40 rows, spanning 5 rows
        ws.merge_cells(start_row=r, start_column=1, end_row=r + 4, end_column=1)
        c = rng_.randint(3, 18)
        ws.merge_cells(start_row=r, start_column=c, end_row=r, end_column=c + 1)
    sheet = FakeSheet.from_openpyxl(ws)
    rng = used(sheet, 2500, 20)
    sheet.counter.calls = 0
    assert set(merged_areas(rng)) == expected(sheet)
    assert sheet.counter.calls < 50_000 * 2 // 5        # the per-cell loop: ≥ 2 calls per cell
    empty = FakeSheet([])
    rng = used(empty, 2500, 20)
    empty.counter.calls = 0
    assert merged_areas(rng) == [] and empty.counter.calls <= 10


def test_saved_file_gives_the_merges_without_com(tmp_path):
    from addin.excel.merged import merged_from_file

    path = write_sample("cz2020-annex", tmp_path / "附件1.xlsx")
    ws = load_workbook(path).worksheets[0]
    assert set(merged_from_file(str(path), ws.title)) == expected(FakeSheet.from_openpyxl(ws))
    assert merged_from_file(str(path), "没有这张表") is None
    assert merged_from_file(str(tmp_path / "x.xls"), ws.title) is None


def test_live_range_uses_the_saved_file_or_the_bounded_search(tmp_path):
    """macros.merged_ranges on a desktop range: saved unchanged → the file's merges (clipped to the
    range); unsaved changes → the COM search; no COM range (remote engine) → none."""
    from types import SimpleNamespace

    from addin.excel import macros

    path = write_sample("cz2020-annex", tmp_path / "附件1.xlsx")
    ws = load_workbook(path).worksheets[0]
    sheet = FakeSheet.from_openpyxl(ws)
    for saved in (True, False):
        sheet.Parent = SimpleNamespace(Saved=saved)
        api = sheet.Range(address(1, 1, 10, ws.max_column))
        rng = SimpleNamespace(api=api, row=1, column=1, shape=(10, ws.max_column),
                              sheet=SimpleNamespace(name=ws.title, book=SimpleNamespace(fullname=str(path))))
        sheet.counter.calls = 0
        got = set(macros.merged_ranges(rng))
        inside = {a for a in expected(sheet) if a[0] <= 9}
        assert inside <= got and all(a[0] <= 9 for a in got), saved
        assert (sheet.counter.calls <= 5) is saved
    assert macros.merged_ranges(SimpleNamespace()) == []
