"""Benchmark of reading a Word 绩效自评报告 (issue #13) against the same table as a workbook and a
naive python-docx loop.

Builds seed 004's report as .docx (tests/docx_reports.py: six tables, 60 paragraphs) and the
seed 004 workbook (workbook_templates.samples), then measures, in this process, per file:

  (a) ``reader.read_workbook`` on the .docx (preflight → docx_loader → document_reader);
  (b) the same plus ``validate`` (every rule, the narrative checks included);
  (c) ``reader.read_workbook`` on the .xlsx (openpyxl read-only) — the workbook reference;
  (d) a naive loop: python-docx ``Document(path)`` and the text of every cell of every table
      (``cell.text``, which resolves merged cells again for each access).

Each runs ``--repeat`` times; the median counts. Usage: ``python benchmarks/docx_read.py [--repeat 30]``.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def timed(fn, repeat: int) -> float:
    runs = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - t)
    return statistics.median(runs)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=30)
    args = ap.parse_args()

    from docx import Document

    from addin.validate import read_evaluation, validate
    from tests.docx_reports import build
    from workbook_templates.reader import read_workbook
    from workbook_templates.samples import write_sample

    with tempfile.TemporaryDirectory() as tmp:
        docx = build("seed004", Path(tmp) / "seed004.docx")
        xlsx = write_sample("seed004", Path(tmp) / "seed004.xlsx")
        read_workbook(docx), read_workbook(xlsx)           # imports and caches warm

        def checked():
            ev, prof = read_evaluation(str(docx))
            validate(ev, prof)

        def naive():
            d = Document(str(docx))
            return [c.text for t in d.tables for row in t.rows for c in row.cells]

        figures = {
            "(a) read .docx": timed(lambda: read_workbook(docx), args.repeat),
            "(b) read + validate .docx": timed(checked, args.repeat),
            "(c) read .xlsx (same table)": timed(lambda: read_workbook(xlsx), args.repeat),
            "(d) naive python-docx cell loop": timed(naive, args.repeat),
        }
    for what, sec in figures.items():
        print(f"{what:34s} {sec * 1000:8.1f} ms")
    print(f"a/c = {figures['(a) read .docx'] / figures['(c) read .xlsx (same table)']:.2f}, "
          f"d/a = {figures['(d) naive python-docx cell loop'] / figures['(a) read .docx']:.2f}")


if __name__ == "__main__":
    main()
