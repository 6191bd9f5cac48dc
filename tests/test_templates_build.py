"""Every template builds from its spec with the structure the issue asks for (no engine needed)."""

from __future__ import annotations

import subprocess
import sys

import openpyxl
import pytest
from openpyxl.cell.cell import MergedCell
from openpyxl.utils.cell import range_boundaries

from workbook_templates.builder import META_SHEET, build_template, load_spec, resolve_id, template_ids
from workbook_templates.errors import ReadError

# Names a program reads (issue #3: in `project` at least 执行率, 执行得分, 总分, 评价等级).
REQUIRED_NAMES = {
    "project": {"执行率", "执行得分", "总分", "评价等级", "项目名称", "全年预算数", "全年执行数"},
    "budget-execution": {"年初预算资金", "全年预算资金", "全年执行资金", "执行率", "执行得分"},
    "scorecard": {"总分", "评价等级", "决策得分", "过程得分", "产出得分", "效益得分", "预算执行率"},
    "department": {"总分", "评价等级", "支出执行率", "三公经费控制率", "人均资产变化率"},
    "summary": {"总体执行率", "加权自评得分", "加权规则得分", "加权规则等级"},
}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    d = tmp_path_factory.mktemp("tpl")
    return {tid: openpyxl.load_workbook(build_template(tid, d / f"{tid}.xlsx")) for tid in template_ids()}


def test_the_five_templates_exist():
    assert template_ids() == ["project", "budget-execution", "scorecard", "department", "summary", "annex1"]


def test_chinese_titles_and_aliases_resolve():
    assert resolve_id("项目支出绩效自评表") == "project"
    with pytest.raises(ReadError, match="可用模板"):
        resolve_id("不存在的模板")


def test_meta_sheet_is_hidden_and_identifies_the_template(built):
    for tid, wb in built.items():
        meta = wb[META_SHEET]
        assert meta.sheet_state == "hidden"
        assert (meta["A1"].value, meta["B1"].value) == ("template_id", tid)
        assert (meta["A2"].value, meta["B2"].value) == ("version", load_spec(tid)["version"])


def test_required_defined_names_are_workbook_scope(built):
    for tid, names in REQUIRED_NAMES.items():
        assert names <= set(built[tid].defined_names.keys())
    for wb in built.values():
        for dn in wb.defined_names.values():
            assert dn.localSheetId is None
            assert list(dn.destinations), dn.name


def test_inputs_unlocked_formulas_locked_and_sheet_protected_without_password(built):
    for tid, wb in built.items():
        ws = wb.worksheets[0]
        assert ws.protection.sheet and not ws.protection.password, tid
        n_formula = n_input = 0
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell, MergedCell):
                    continue
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    n_formula += 1
                    assert cell.protection.locked, f"{tid} {cell.coordinate}"
                elif not cell.protection.locked:
                    n_input += 1
                    assert cell.fill.fgColor.rgb.endswith("FFF2CC"), f"{tid} {cell.coordinate} input not tinted"
        assert n_formula and n_input, tid


def test_print_setup_a4_fit_to_width_with_repeated_headers(built):
    for tid, wb in built.items():
        ws = wb.worksheets[0]
        assert int(ws.page_setup.paperSize) == 9  # A4
        assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
        assert ws.print_title_rows, tid
        fonts = {c.font.name for row in ws.iter_rows() for c in row if c.value is not None}
        assert fonts <= {"宋体", "仿宋"}, (tid, fonts)


def test_project_dropdowns_and_formats(built):
    ws = built["project"].worksheets[0]
    lists = {dv.formula1 for dv in ws.data_validations.dataValidation if dv.type == "list"}
    assert '"≥,>,≤,<,=,区间,定性"' in lists
    assert '"达成,部分达成,未达成"' in lists
    names = built["project"].defined_names
    def cell(name):
        (sheet, ref), = names[name].destinations
        c1, r1, _, _ = range_boundaries(ref.replace("$", ""))
        return built["project"][sheet].cell(row=r1, column=c1)
    assert cell("全年预算数").number_format == "#,##0.00"
    assert cell("执行率").number_format == "0.00%"
    assert cell("执行得分").number_format == "0.00"


def test_cli_lists_ids_then_titles_and_writes_a_template(tmp_path):
    out = subprocess.run([sys.executable, "-m", "addin", "template", "--list"], capture_output=True, text=True)
    assert out.returncode == 0
    lines = out.stdout.strip().splitlines()
    assert [ln.split("\t")[0] for ln in lines] == template_ids()
    assert lines[0].split("\t")[1] == "项目支出绩效自评表"
    target = tmp_path / "自评表.xlsx"
    out = subprocess.run([sys.executable, "-m", "addin", "template", "项目支出绩效自评表", "-o", str(target)],
                         capture_output=True, text=True)
    assert out.returncode == 0 and target.exists()
    assert openpyxl.load_workbook(target)[META_SHEET]["B1"].value == "project"


def test_cli_unknown_template_is_a_chinese_error_exit_2(tmp_path):
    out = subprocess.run([sys.executable, "-m", "addin", "template", "nope", "-o", str(tmp_path / "x.xlsx")],
                         capture_output=True, text=True)
    assert out.returncode == 2
    assert "错误" in out.stderr and "Traceback" not in out.stderr


CLASSIC_FUNCTIONS = {"IF", "AND", "OR", "NOT", "ISNUMBER", "ROUND", "MIN", "MAX", "ABS", "SUM", "COUNT", "COUNTA",
                     "COUNTIF", "SUMIF", "SUMPRODUCT", "VLOOKUP", "LOOKUP", "N", "ROWS"}


def _formulas(wb):
    ws = wb.worksheets[0]
    for row in ws.iter_rows():
        for c in row:
            if isinstance(c.value, str) and c.value.startswith("="):
                yield f"{ws.title}!{c.coordinate}", c.value
    for dv in ws.data_validations.dataValidation:
        if dv.type == "custom":
            yield f"validation {dv.sqref}", dv.formula1


def test_formulas_use_only_classic_functions_and_existing_names(built):
    """Excel 2007+, WPS and LibreOffice all know these functions; every other word is a defined name."""
    import re

    for tid, wb in built.items():
        names = set(wb.defined_names.keys())
        for where, formula in _formulas(wb):
            body = re.sub(r'"[^"]*"', '""', formula)                       # drop string literals
            for fn in re.findall(r"([A-Z][A-Z0-9.]*)\(", body):
                assert fn in CLASSIC_FUNCTIONS, f"{tid} {where}: {fn}"
            for word in re.findall(r"[\u4e00-\u9fff][\u4e00-\u9fff\w]*", body):
                assert word in names, f"{tid} {where}: unknown name {word}"


def test_a_profile_is_written_into_the_meta_rule_tables(tmp_path):
    import json

    prof = tmp_path / "p.json"
    prof.write_text(json.dumps({"id": "t", "extends": "cz2020-10", "budget_weight": 15,
                                "grades": [{"grade": "优", "min": 95}, {"grade": "良", "min": 85},
                                           {"grade": "中", "min": 60}, {"grade": "差", "min": 0}]}), encoding="utf-8")
    from udfs import load_profile

    wb = openpyxl.load_workbook(build_template("project", tmp_path / "t.xlsx", profile=load_profile(str(prof))))
    meta = wb[META_SHEET]
    (sheet, ref), = wb.defined_names["等级下限"].destinations
    lows = [c.value for row in meta[ref.replace("$", "")] for c in row]
    assert lows == [0, 60, 85, 95]
    (sheet, ref), = wb.defined_names["执行分值"].destinations
    assert wb[sheet][ref.replace("$", "")].value == 15


def test_cli_all_writes_every_template_and_a_filled_sample(tmp_path):
    out = subprocess.run([sys.executable, "-m", "addin", "template", "--all", str(tmp_path)], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    def filled_inputs(path):
        ws = openpyxl.load_workbook(path).worksheets[0]
        return sum(1 for row in ws.iter_rows() for c in row
                   if not isinstance(c, MergedCell) and not c.protection.locked and c.value not in (None, ""))

    for tid in template_ids():
        assert openpyxl.load_workbook(tmp_path / f"{tid}.xlsx")[META_SHEET]["B1"].value == tid
        assert filled_inputs(tmp_path / f"{tid}-示例.xlsx") > filled_inputs(tmp_path / f"{tid}.xlsx") + 3, tid


def test_cli_all_into_a_file_is_a_chinese_error(tmp_path, capsys):
    """`template --all <a file>` used to end in an unexpected FileExistsError."""
    from addin.cli import main

    target = tmp_path / "afile"
    target.write_text("keep", encoding="utf-8")
    assert main(["template", "--all", str(target)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("错误：") and "不是文件夹" in err and "Errno" not in err
    assert target.read_text(encoding="utf-8") == "keep"
