"""Issue #16 — the 汇总表 a 财政局 reviewer sorts, filters and prints: AutoFilter on every sheet over
the data only, totals kept apart, links to the units' files and cells, borders, print setup, the
title from the 主管部门, the 排名 rule stated, the funds-weighted score labelled a statistic; a
folder mixing 主管部门 is said so (汇总表 and 部门整体 report). Unit workbooks are the bundled
published layouts (workbook_templates.samples: seed 004's numbers in the 财预〔2020〕10号 附件1 table,
which names its 主管部门 and 实施单位)."""

from __future__ import annotations

from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook
from openpyxl.utils.cell import range_boundaries

from addin.cli import main
from addin.consolidate import consolidate
from workbook_templates.samples import default_data, write_corpus, write_sample


def _unit(folder: Path, name: str, department: str | None, unit: str | None, project: str,
          layout: str = "cz2020-annex") -> Path:
    data = default_data(layout)
    data["project"].update(department=department, unit=unit, name=project)
    return write_sample(layout, folder / name, data)


@pytest.fixture(scope="module")
def mixed(tmp_path_factory):
    d = tmp_path_factory.mktemp("mixed")
    units = d / "units"
    units.mkdir()
    _unit(units, "医保中心.xlsx", "县卫生健康局", "县医疗保险服务中心", "医疗保险基金补助")
    _unit(units, "疾控中心.xlsx", "县卫生健康局", "县疾病预防控制中心", "基本公共卫生服务补助")
    _unit(units, "财政.xlsx", "县财政局", "县财政局国库中心", "困难群众救助")
    write_corpus(units / "更多", 3, seed=1)          # other published layouts, some without units
    out = d / "汇总表.xlsx"
    consolidate(units, out, jobs=0)
    return units, out


def _data_rows(ws) -> list[int]:
    return [r for r in range(3, ws.max_row + 1) if isinstance(ws.cell(row=r, column=1).value, int)]


def test_every_sheet_has_an_autofilter_over_its_data_only(mixed):
    _, out = mixed
    wb = load_workbook(out)
    for name in ("汇总表", "问题清单", "无法读取", "统计"):
        assert wb[name].auto_filter.ref, name
    ws = wb["汇总表"]
    data = _data_rows(ws)
    min_col, min_row, max_col, max_row = range_boundaries(ws.auto_filter.ref)
    assert (min_row, max_row) == (2, data[-1]) and max_col == ws.max_column or max_col >= 14
    labels = {ws.cell(row=r, column=1).value: r for r in range(1, ws.max_row + 1)}
    assert labels["合计"] == data[-1] + 2 and ws.cell(row=data[-1] + 1, column=1).value is None  # a blank row
    weighted = next(r for k, r in labels.items() if str(k).startswith("资金加权得分（统计值）"))
    assert weighted == labels["合计"] + 1 > max_row
    assert f"A{weighted}:H{weighted}" in {str(m) for m in ws.merged_cells.ranges}


def test_rows_link_to_the_units_files_and_findings_to_their_cells(mixed):
    units, out = mixed
    wb = load_workbook(out)
    ws = wb["汇总表"]
    for r in _data_rows(ws):
        cell = ws.cell(row=r, column=2)
        assert cell.hyperlink is not None and (out.parent / cell.hyperlink.target).resolve() == \
            (units / cell.value).resolve()
    fs = wb["问题清单"]
    linked = [c for c in fs["C"][1:] if c.value]
    assert linked and all(c.hyperlink is not None and c.hyperlink.location for c in linked)
    first = linked[0]
    sheet, a1 = first.value.rsplit("!", 1)
    assert first.hyperlink.location.endswith(f"!{a1}") and sheet.strip("'") in first.hyperlink.location
    assert (out.parent / first.hyperlink.target).exists()


def test_borders_print_setup_and_notes(mixed):
    _, out = mixed
    wb = load_workbook(out)
    ws = wb["汇总表"]
    rules = [(str(rng.sqref), r) for rng in ws.conditional_formatting for r in rng.rules]
    assert any(r.dxf is not None and r.dxf.border is not None and r.dxf.border.left.style == "thin"
               and sq.startswith("A2:") for sq, r in rules)
    assert ws.page_setup.orientation == "landscape" and ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows and "&P" in ws.oddFooter.center.text
    text = " ".join(str(c.value) for row in ws.iter_rows() for c in row if isinstance(c.value, str))
    assert "排名按自评得分" in text and "得分相同者名次相同" in text
    assert "不是部门整体支出绩效自评得分" in text
    # two 主管部门 in this folder: said so, never titled after the most frequent one
    assert ws["A1"].value == "项目支出绩效自评汇总表（2个主管部门）"
    assert "县卫生健康局" in text and "县财政局" in text and "分属2个主管部门" in text


def test_title_from_the_department_and_file_name_for_a_unit_without_one(tmp_path):
    units = tmp_path / "某文件夹"
    units.mkdir()
    _unit(units, "a.xlsx", "某县医疗保障局", "某县医疗保险服务中心", "医疗保险基金补助")
    _unit(units, "b.xlsx", "某县医疗保障局", None, "城乡医疗救助")
    out = tmp_path / "汇总表.xlsx"
    consolidate(units, out, jobs=0)
    wb = load_workbook(out)
    assert wb["汇总表"]["A1"].value == "某县医疗保障局项目支出绩效自评汇总表"
    stats = [[c.value for c in r] for r in wb["统计"].iter_rows()]
    assert any(r[0] == "b.xlsx" for r in stats) and not any(r[0] == "（未填实施单位）" for r in stats)


def test_department_report_from_mixed_folder_warns_and_lists(mixed, tmp_path, capsys):
    units, _ = mixed
    out = tmp_path / "部门.docx"
    assert main(["report", "--department", str(units), "-o", str(out)]) == 0
    err = capsys.readouterr().err
    assert "警告" in err and "县卫生健康局" in err and "县财政局" in err
    doc = Document(str(out))
    title = next(p.text for p in doc.paragraphs if p.style.name == "Title")
    assert title.startswith("【请填写：主管部门名称】")
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "分属2个主管部门" in text
    assert "不是部门整体支出绩效自评得分" in text and "加权平均为" in text
    heads = [t.rows[0].cells[-1].text for t in doc.tables]
    assert "项目得分加权平均" in heads
