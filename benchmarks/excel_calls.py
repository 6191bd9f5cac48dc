"""Count the engine calls the ribbon buttons make — each is at least one COM round trip in
desktop Excel — for a 30-indicator 附件1 sheet and the same workbook with a 50,000-cell sheet.

1. The buttons on xlwings' remote engine (``Book(json=…)``, what xlwings Server/Lite and the
   tests use): every method/property call into ``xlwings.pro._xlremote`` is counted.
2. Finding merged areas on desktop Excel (the remote engine has no COM range): the old per-cell
   loop, the bounded search of ``addin.excel.merged.merged_areas`` and the saved file's XML, on a
   stand-in of the COM objects (tests/fake_excel_com.py) counting property reads/calls.

Usage: python benchmarks/excel_calls.py   (prints a table; no timing)
"""

from __future__ import annotations

import copy
import functools
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from openpyxl import load_workbook  # noqa: E402

from addin.excel import macros  # noqa: E402
from addin.excel.merged import address, merged_areas, merged_from_file  # noqa: E402
from tests.fake_excel_com import FakeSheet  # noqa: E402
from workbook_templates.samples import default_data, write_sample  # noqa: E402

CALLS: Counter[str] = Counter()


def count_remote_engine() -> None:
    """Wrap every public method and property of the remote engine's classes with a counter."""
    from xlwings.pro import _xlremote

    def counted(name, fn):
        @functools.wraps(fn)
        def wrapper(*a, **kw):
            CALLS[name] += 1
            return fn(*a, **kw)
        return wrapper

    for cls in vars(_xlremote).values():
        if not isinstance(cls, type) or cls.__module__ != _xlremote.__name__:
            continue
        for attr, value in list(vars(cls).items()):
            if attr.startswith("_"):
                continue
            key = f"{cls.__name__}.{attr}"
            if isinstance(value, property):
                setattr(cls, attr, property(value.fget and counted(key, value.fget),
                                            value.fset and counted(key + "=", value.fset), value.fdel))
            elif callable(value):
                setattr(cls, attr, counted(key, value))


def workbook(folder: Path, big: bool) -> Path:
    data = default_data("cz2020-annex")
    base = data["indicators"]
    data["indicators"] = []
    for i in range(30):
        ind = copy.deepcopy(base[i % len(base)])
        ind["name"] = f"{ind['name']}{i + 1}"
        data["indicators"].append(ind)
    path = write_sample("cz2020-annex", folder / ("big.xlsx" if big else "30.xlsx"), data)
    if big:
        wb = load_workbook(path)
        ws = wb.create_sheet("明细")
        for r in range(1, 2501):
            ws.append([r * 10 + c for c in range(20)])
        for r in range(2, 2500, 40):
            ws.merge_cells(start_row=r, start_column=1, end_row=r + 4, end_column=1)
        wb.save(path)
    return path


def old_loop_calls(sheet: FakeSheet, rows: int, cols: int) -> int:
    """The calls of the per-cell loop this replaces (for cell in api.Cells: cell.MergeCells …)."""
    api = sheet.Range(address(1, 1, rows, cols))
    sheet.counter.calls = 0
    seen = set()
    if api.MergeCells is False:
        return sheet.counter.calls
    for cell in api.Cells:
        if cell.MergeCells:
            area = cell.MergeArea
            if area.Address not in seen:
                seen.add(area.Address)
                _ = (area.Row, area.Column, area.Rows.Count, area.Columns.Count)
    return sheet.counter.calls


def main() -> None:
    macros.remote_xlwings()          # sets the noncommercial key and registers the remote engine
    count_remote_engine()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        print("| workbook | cells | button | remote-engine calls |")
        print("|---|---|---|---|")
        for big in (False, True):
            path = workbook(folder, big)
            wb = load_workbook(path, data_only=True)
            cells = sum(ws.max_row * ws.max_column for ws in wb.worksheets)
            for button in ("校验", "计算得分", "清除标记", "函数说明"):
                book = macros.remote_xlwings().Book(json=macros.payload_from_openpyxl(wb, path.name))
                CALLS.clear()
                macros.BUTTONS[button](book=book)
                print(f"| {'30 indicators + 50,000-cell sheet' if big else '30 indicators'} | {cells:,} | {button} | "
                      f"{sum(CALLS.values()):,} |")
        print()
        print("| sheet | cells | merged areas | old per-cell loop | bounded search | saved file's XML |")
        print("|---|---|---|---|---|---|")
        path = workbook(folder, True)
        for ws in load_workbook(path).worksheets:
            sheet = FakeSheet.from_openpyxl(ws)
            old = old_loop_calls(sheet, ws.max_row, ws.max_column)
            api = sheet.Range(address(1, 1, ws.max_row, ws.max_column))
            sheet.counter.calls = 0
            found = merged_areas(api)
            assert set(found) == set(merged_from_file(str(path), ws.title))
            print(f"| {ws.title} | {ws.max_row * ws.max_column:,} | {len(found)} | {old:,} | {sheet.counter.calls:,} | 1 |")


if __name__ == "__main__":
    main()
