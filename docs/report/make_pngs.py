"""Regenerate the sample report pages in docs/report/ (needs LibreOffice and pdftoppm).

    .venv/bin/python docs/report/make_pngs.py

The project report is built from the seed 004 sample workbook (the published table, with its
slip: 补助人数（人） target 18 against 18.74万人), once as the unit's submission copy — the flagged
figure shown as 【请核实：…】, no findings — and once with ``--review`` for the 财政局 reviewer
(附表2: the findings in Chinese). The department report comes from a generated folder of
workbooks. Pages are chosen by what they hold, not by number.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT))


def page_texts(pdf: Path) -> list[str]:
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True,
                         check=True).stdout
    return ["".join(p.split()) for p in out.split("\f")]


def save_pages(pdf: Path, wanted: dict[str, str]) -> None:
    """``wanted``: output name → text the page holds (the first page holding it)."""
    texts = page_texts(pdf)
    with tempfile.TemporaryDirectory() as d:
        subprocess.run(["pdftoppm", "-r", "60", "-png", str(pdf), f"{d}/p"], check=True)
        files = sorted(Path(d).glob("p-*.png"))
        for name, needle in wanted.items():
            k = next(i for i, t in enumerate(texts) if needle in t)
            (HERE / f"{name}.png").write_bytes(files[k].read_bytes())


def main() -> None:
    from addin.report import build_department_report, build_report
    from workbook_templates.reader import read_workbook
    from workbook_templates.samples import write_corpus, write_sample

    for old in HERE.glob("*.png"):
        old.unlink()
    with tempfile.TemporaryDirectory() as d:
        src = write_sample("seed004", Path(d) / "seed004.xlsx")
        build_report(read_workbook(src), Path(d) / "project.docx", pdf=True)
        save_pages(Path(d) / "project.pdf", {"project-page1": "一、项目基本情况", "project-verify": "【请核实",
                                             "project-chart": "图1", "project-signature": "单位负责人",
                                             "project-appendix": "附表1"})
        build_report(read_workbook(src), Path(d) / "review.docx", pdf=True, review=True)
        save_pages(Path(d) / "review.pdf", {"project-review-findings": "附表2"})
        folder = Path(d) / "units"
        folder.mkdir()
        write_corpus(folder, 6, seed=1)
        build_department_report(folder, Path(d) / "dept.docx", pdf=True)
        save_pages(Path(d) / "dept.pdf", {"department-page1": "一、部门基本情况", "department-scores": "加权平均为"})


if __name__ == "__main__":
    main()
