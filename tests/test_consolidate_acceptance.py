"""Issue #10's acceptance: ``jixiao consolidate`` on 300 good workbooks plus one of each hostile kind
(``tests/hostile/corpus.py``, a value in XFD1048576, a GBK name, an unreadable sub-folder)
consolidates all 300 and lists each bad one in 无法读取 with a specific reason. And item 8's sanity
bounds: out-of-range figures are findings, not inputs to the weighted averages; a file ``read``
accepts is not refused by ``consolidate``."""

from __future__ import annotations

import os
import shutil
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from addin.cli import main
from addin.consolidate import consolidate
from tests.hostile.corpus import write_corpus
from tests.hostile.units import unit_copies
from tests.test_consolidate_isolation import deep_folder, xfd_workbook


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("acceptance")
    units = unit_copies(root / "各单位", 300)
    hostile = root / "异常"
    write_corpus(hostile)
    xfd_workbook(units[0], hostile / "最后一格-openpyxl.xlsx")
    deep_folder(hostile)
    return root


def read_accepts(path: Path) -> bool:
    import contextlib
    import io

    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        return main(["read", str(path), "--json"]) == 0


@pytest.fixture(scope="module")
def result(folder, tmp_path_factory):
    out = tmp_path_factory.mktemp("out") / "汇总.xlsx"
    return consolidate(folder, out, jobs=2), out


def test_all_300_units_consolidated(result):
    r, _ = result
    names = {p["file"] for p in r.projects}
    assert {f"各单位/单位{i:03d}.xlsx" for i in range(300)} <= names


def test_each_bad_file_listed_with_a_specific_reason(folder, result):
    r, out = result
    reasons = {f["file"]: f["reason"] for f in r.failed}
    hostile = folder / "异常"
    for f in sorted(os.listdir(os.fsencode(hostile))):
        path = Path(os.fsdecode(os.path.join(os.fsencode(hostile), f)))
        if path.is_dir():
            continue
        if not path.name.lower().endswith((".xlsx", ".xlsm", ".xls")):
            continue
        display = next((d for d in reasons if d.endswith(path.name)), None)
        if read_accepts(path):      # what `read` accepts is consolidated (the engines agree or fall back);
            # validating (not done by read) refuses figures beyond Excel's range (1e28): said so
            assert display is None or "数值过大" in reasons[display], (path.name, reasons.get(display))
        else:                       # refused, or read by the more tolerant calamine ('true' in a bool cell)
            assert display is not None or any(p["file"].endswith(path.name) for p in r.projects), path.name
    assert len(reasons) >= 20
    assert any(d.endswith("/") and "路径过长" in why for d, why in reasons.items())
    for d, why in reasons.items():
        assert "意外" not in why and len(why) > 8, (d, why)
    wb = openpyxl.load_workbook(out, read_only=True)
    listed = [row[0] for row in wb["无法读取"].iter_rows(min_row=2, values_only=True)]
    assert sorted(listed) == sorted(reasons)
    shutil.rmtree(folder / "异常" / next(d for d in os.listdir(folder / "异常") if d.startswith("00")))


def test_out_of_range_figures_are_findings_not_weights(tmp_path):
    """One unit with every figure 1e20 (分值, 预算): before, its 规则资金加权得分 dominated (1.4e17
    in the issue). Now an error finding, and the weighted scores are those of the other units —
    Σ(得分 × 全年预算数) ÷ Σ全年预算数 computed here from their rows."""
    units = unit_copies(tmp_path / "u", 3)
    wb = openpyxl.load_workbook(units[0])
    for row in wb.worksheets[0].iter_rows():
        for c in row:
            if isinstance(c.value, (int, float)) and not isinstance(c.value, bool):
                c.value = 1e20
    wb.save(tmp_path / "u" / "分值1e20.xlsx")
    r = consolidate(tmp_path / "u", tmp_path / "汇总.xlsx", jobs=0)
    others = [p for p in r.projects if p["file"] != "分值1e20.xlsx"]
    assert len(others) == 3
    num = sum(Decimal(str(p["rule_score"])) * Decimal(str(p["budget"])) for p in others)
    den = sum(Decimal(str(p["budget"])) for p in others)
    assert abs(Decimal(str(r.rule_weighted_score)) - num / den) < Decimal("0.01")
    wb = openpyxl.load_workbook(tmp_path / "汇总.xlsx", read_only=True)
    rules = [(row[0], row[3]) for row in wb["问题清单"].iter_rows(min_row=2, values_only=True)]
    # figures of 10¹⁵ or more are refused by the reader cell by cell (unreadable-number, an error);
    # smaller absurd totals are out-of-range — either way the unit is flagged and not weighted
    flagged = {rule for f, rule in rules if f == "分值1e20.xlsx"}
    assert flagged & {"out-of-range", "unreadable-number"}


@pytest.mark.parametrize("kind", ["错误值单元格", "行号为零"])
def test_a_file_read_accepts_is_consolidated(tmp_path, kind):
    """calamine refuses an error cell #GETTING_DATA and a reference A0 that openpyxl reads: the
    worker falls back to openpyxl, so the two commands agree (both read it, or both refuse it)."""
    corpus = tmp_path / "c"
    write_corpus(corpus)
    one = tmp_path / "one"
    one.mkdir()
    shutil.copy(corpus / f"{kind}.xlsx", one / f"{kind}.xlsx")
    accepted = read_accepts(one / f"{kind}.xlsx")
    r = consolidate(one, tmp_path / "汇总.xlsx", jobs=0)
    if accepted:
        assert r.failed == [] and r.ok == 1
    else:       # read refuses an unreadable number; consolidate lists it with error findings, or says why
        assert (r.ok == 1 and r.projects[0]["errors"] > 0) or \
            (r.ok == 0 and len(r.failed) == 1 and "意外" not in r.failed[0]["reason"])
