"""Regenerate the sample report pages in docs/report/ (needs LibreOffice and pdftoppm).

    .venv/bin/python docs/report/make_pngs.py

The project report is built from the seed 004 fixture (tests/fixtures) with a 实施单位 and a
项目概况 filled in and one wrong score, so the placeholders, the chart and the findings appendix
all show; the department report from a 汇总表 consolidated from a generated folder of workbooks.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from decimal import Decimal
from pathlib import Path

HERE = Path(__file__).parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT))


def pages(pdf: Path, prefix: str, wanted: dict[int, str]) -> None:
    with tempfile.TemporaryDirectory() as d:
        subprocess.run(["pdftoppm", "-r", "60", "-png", str(pdf), f"{d}/p"], check=True)
        files = sorted(Path(d).glob("p-*.png"))
        for n, name in wanted.items():
            if n <= len(files):
                (HERE / f"{prefix}-{name}.png").write_bytes(files[n - 1].read_bytes())


def main() -> None:
    from addin.report import build_department_report, build_report
    from tests.test_report_docx import seed004_evaluation
    from workbook_templates.samples import write_corpus

    with tempfile.TemporaryDirectory() as d:
        ev = seed004_evaluation(unit="某县医疗保障事务中心",
                                goal="对我县各类参保人群医疗保险基金进行补助，做到应保尽保。")
        ev.indicators[-1].score = Decimal("12")
        build_report(ev, Path(d) / "project.docx", pdf=True)
        pdf = Path(d) / "project.pdf"
        pages(pdf, "project", {1: "page1", 3: "chart", 5: "appendix"})
        folder = Path(d) / "units"
        folder.mkdir()
        write_corpus(folder, 6, seed=1)
        build_department_report(folder, Path(d) / "dept.docx", pdf=True)
        pages(Path(d) / "dept.pdf", "department", {1: "page1", 2: "page2"})


if __name__ == "__main__":
    main()
