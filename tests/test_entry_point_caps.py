"""Every entry point goes through the same preflight and caps (issue #10 item 4 and part of 5):
``validate -o``/``score -o`` (a whole-workbook load for the marked copy), ``addin press`` (a headless
button loads the whole used range), ``report --department`` on a stretched 汇总表. Each used to take
gigabytes or minutes on a 7 KB file with one value in XFD1048576 or on a million-row sheet; now
each says what and where (exit 2) and the input is unchanged. Plus press's own failures: a
workbook without sheets, dates (Office.js form), and a non-zero exit after an error alert."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import resource
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest

from addin.cli import main
from tests.test_consolidate_hostile import write_million_rows
from tests.test_consolidate_isolation import xfd_workbook
from workbook_templates.samples import random_unit, write_sample

ROOT = Path(__file__).resolve().parents[1]


def capped_jixiao(*args: str, gb: float = 1.5) -> subprocess.CompletedProcess:
    """The CLI in a subprocess under an address-space cap: before the fix these ran out of it."""
    limit = int(gb * 2**30)

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    return subprocess.run([sys.executable, "-m", "addin", *args], capture_output=True, text=True, cwd=ROOT,
                          timeout=300, preexec_fn=cap, env=os.environ | {"PYTHONPATH": str(ROOT)})


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    root = tmp_path_factory.mktemp("caps")
    good = write_sample("seed004", root / "正常.xlsx")
    xfd_workbook(good, root / "最后一格.xlsx")
    write_million_rows(random_unit(__import__("random").Random(3), 1), root / "百万行.xlsx")
    return root


def digest(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


@pytest.mark.parametrize("command", ["validate", "score"])
def test_marked_copy_of_xfd1048576_refused_with_the_cell(files, tmp_path, command):
    src = files / "最后一格.xlsx"
    before = digest(src)
    p = capped_jixiao(command, str(src), "-o", str(tmp_path / "out.xlsx"))
    assert p.returncode == 2, p.stderr[-400:]
    assert "XFD1048576" in p.stderr and "已用区域过大" in p.stderr and "意外问题" not in p.stderr
    assert not (tmp_path / "out.xlsx").exists() and digest(src) == before


@pytest.mark.parametrize("command", ["validate", "score"])
def test_marked_copy_of_million_row_sheet_refused(files, tmp_path, command):
    """Before: 1.77 GB and 133 s for the whole-workbook load. Reading it (no -o) still works."""
    p = capped_jixiao(command, str(files / "百万行.xlsx"), "-o", str(tmp_path / "out.xlsx"))
    assert p.returncode == 2 and "明细" in p.stderr and "过大" in p.stderr, p.stderr[-400:]
    p = capped_jixiao(command, str(files / "百万行.xlsx"), "--json")
    assert p.returncode in (0, 1), p.stderr[-400:]
    assert "sheet-truncated" in p.stdout


def test_press_on_xfd1048576_refused(files):
    """Before: 20 GB building the button's payload from a 17-billion-cell used range."""
    p = capped_jixiao("addin", "press", "校验", str(files / "最后一格.xlsx"))
    assert p.returncode == 2 and "XFD1048576" in p.stderr, p.stderr[-400:]


def test_press_on_workbook_without_sheets(files, tmp_path, capsys):
    """Before: IndexError in the button, shown as 意外问题 in the message box, and exit 0."""
    bad = tmp_path / "无工作表.xlsx"
    with zipfile.ZipFile(files / "正常.xlsx") as zin, zipfile.ZipFile(bad, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "xl/workbook.xml":
                data = re.sub(rb"<sheets>.*</sheets>", b"<sheets/>", data, flags=re.S)
                data = re.sub(rb"<definedNames>.*</definedNames>", b"", data, flags=re.S)
            zout.writestr(info, data)
    assert main(["addin", "press", "校验", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "没有工作表" in err and "意外问题" not in err


def test_press_with_dates_before_1900_03(files, tmp_path, capsys):
    """Before: 'Invalid isoformat string: 1900-01-15T00:00:0' (xlwings cuts the Office.js 'Z')."""
    wb = openpyxl.load_workbook(files / "正常.xlsx")
    ws = wb.worksheets[0]
    ws["Z1"] = dt.datetime(1900, 1, 15)
    ws["Z2"] = dt.date(1900, 2, 28)
    ws["Z3"] = dt.datetime(2021, 12, 31, 8, 30)
    wb.save(tmp_path / "日期.xlsx")
    rc = main(["addin", "press", "校验", str(tmp_path / "日期.xlsx")])
    out = capsys.readouterr()
    assert "意外问题" not in out.out + out.err
    assert rc == 1 or rc == 0
    assert "校验完成" in out.out


def test_press_exits_non_zero_after_an_error_alert(tmp_path, capsys):
    """A button that fails shows the error in its message box; the command said 0 regardless."""
    wb = openpyxl.Workbook()
    wb.active.append(["姓名", "年龄"])
    wb.save(tmp_path / "无自评表.xlsx")
    assert main(["addin", "press", "校验", str(tmp_path / "无自评表.xlsx")]) == 2
    assert capsys.readouterr().err.startswith("错误：")


def test_department_report_on_a_stretched_summary(tmp_path):
    """A 汇总表 with one more value in XFD1048576: every row padded to 16,384 columns, a million
    rows. Refused with the sheet named, well within the memory cap."""
    from addin.consolidate import consolidate

    units = tmp_path / "u"
    units.mkdir()
    for i in range(3):
        write_sample("seed004", units / f"{i}.xlsx", random_unit(__import__("random").Random(i), i))
    consolidate(units, tmp_path / "汇总.xlsx", jobs=0)
    wb = openpyxl.load_workbook(tmp_path / "汇总.xlsx")
    wb["汇总表"]["XFD1048576"] = "x"
    wb.save(tmp_path / "汇总2.xlsx")
    p = capped_jixiao("report", "--department", str(tmp_path / "汇总2.xlsx"), "-o", str(tmp_path / "d.docx"))
    assert p.returncode == 2 and "汇总表" in p.stderr and "行" in p.stderr, p.stderr[-400:]
