"""QA: a 财政局's folder as units hand it in — a PDF report, a LibreOffice .ods, a WPS .et — every
file is either in the 汇总表 or in 无法读取. Found by QA: PDF reports and .ods workbooks (both read by
`jixiao validate`) and WPS/.xlsb files were skipped without a word: the 汇总表 said “共 N 个文件” and
the reviewer could not tell a unit was missing.

Sources: seed 004 (tests/fixtures/reports/seed004.txt) as the Word report and as a PDF exported by
LibreOffice; seed 004's published table as an .xlsx sample re-saved by LibreOffice as .ods. Expected:
each reads to the seed's rule total 99.51.
"""

from __future__ import annotations

from decimal import Decimal

import openpyxl
import pytest

from addin.cli import main
from tests.docx_reports import build
from workbook_templates.libreoffice import convert, find_soffice
from workbook_templates.samples import write_sample


@pytest.mark.libreoffice
@pytest.mark.skipif(find_soffice() is None, reason="LibreOffice (soffice) not installed")
def test_every_file_of_the_folder_is_counted(tmp_path):
    work = tmp_path / "work"
    work.mkdir()
    units = tmp_path / "各单位"
    units.mkdir()
    build("seed004", units / "医保中心.docx")
    pdf = convert(build("seed004", work / "医保中心报告.docx"), "pdf", str(work), timeout=180)
    pdf.rename(units / "县医保局.pdf")
    ods = convert(write_sample("seed004", work / "县医院.xlsx"), "ods", str(work), timeout=180)
    ods.rename(units / "县医院.ods")
    (units / "乡镇.et").write_bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 508)     # a WPS 表格 file (OLE)
    out = tmp_path / "汇总.xlsx"
    assert main(["consolidate", str(units), "-o", str(out)]) == 0
    wb = openpyxl.load_workbook(out)
    ws = wb["汇总表"]
    head = [c.value for c in ws[2]]
    rows = {r[1]: r for r in ws.iter_rows(min_row=3, values_only=True) if isinstance(r[0], int)}
    assert set(rows) == {"医保中心.docx", "县医保局.pdf", "县医院.ods"}
    for r in rows.values():
        assert Decimal(str(r[head.index("规则得分")])) == Decimal("99.51")
    unread = {r[0]: r[1] for r in wb["无法读取"].iter_rows(min_row=2, values_only=True) if r[0]}
    assert "乡镇.et" in unread and "WPS" in unread["乡镇.et"]
