"""LibreOffice helpers for tests: recalculate a workbook headless and read the results."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from workbook_templates.libreoffice import convert, find_soffice

needs_libreoffice = pytest.mark.skipif(find_soffice() is None, reason="LibreOffice (soffice) 未安装")


def recalc_to_rows(xlsx: Path, outdir: Path) -> list[list[str]]:
    """Open ``xlsx`` in LibreOffice (which computes formulas without cached values), export the
    first sheet as CSV (UTF-8) and return its rows as text as LibreOffice displays them."""
    out = convert(xlsx, 'csv:Text - txt - csv (StarCalc):44,34,76,1', outdir)
    with open(out, encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh))
