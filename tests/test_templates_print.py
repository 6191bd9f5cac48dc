"""Issue #16 — the templates as printed (LibreOffice → PDF, page counts by pdfinfo): the project
template on one landscape page, blank and filled with seed 004's table (converted with
`fill --from` from the seed 004 sample workbook); the 汇总表 template with seed 003's 8 projects on
one page; the 部门整体 template's 三、自评计分 section starting a page with its rows; the footer
inside the bottom margin; indicator rows without a fixed height that would clip wrapped text."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook

from addin.cli import main
from workbook_templates.builder import FOOTER_PT, build_template, recalculate
from workbook_templates.fill import fill_template, sample_data
from workbook_templates.samples import write_sample

from .pdf_helpers import needs_pdf_tools, page_count, page_texts

needs_lo = needs_pdf_tools


@pytest.fixture(scope="module")
def printed(tmp_path_factory):
    d = tmp_path_factory.mktemp("print")
    seed004 = write_sample("seed004", d / "seed004-published.xlsx")
    assert main(["fill", "project", "--from", str(seed004), "-o", str(d / "project-seed004.xlsx")]) == 0
    files = {"project-empty": build_template("project", d / "project-empty.xlsx"),
             "project-seed004": d / "project-seed004.xlsx",
             "summary-8": fill_template("summary", sample_data("summary"), d / "summary-8.xlsx"),
             "department": fill_template("department", sample_data("department"), d / "department.xlsx")}
    pdfs = recalculate(list(files.values()), d / "pdf", "pdf")
    return files, dict(zip(files, pdfs, strict=True))


@pytest.mark.libreoffice
@needs_lo
def test_project_template_prints_on_one_landscape_page(printed):
    files, pdfs = printed
    assert page_count(pdfs["project-empty"]) == 1
    assert page_count(pdfs["project-seed004"]) == 1
    text = page_texts(pdfs["project-seed004"])[0]
    for s in ("项目支出绩效自评表", "补助人数（人）", "18.74万人", "社会满意度", "评价等级"):
        assert s in text, s
    ws = load_workbook(files["project-seed004"])["项目支出绩效自评表"]
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToHeight == 1


@pytest.mark.libreoffice
@needs_lo
def test_summary_template_prints_eight_projects_on_one_page(printed):
    files, pdfs = printed
    assert len(sample_data("summary")["projects"]) == 8
    assert page_count(pdfs["summary-8"]) == 1
    text = page_texts(pdfs["summary-8"])[0]
    assert "按全年预算数加权的自评得分" in text and text.count("优") >= 8


@pytest.mark.libreoffice
@needs_lo
def test_department_section_starts_a_page_with_its_rows(printed):
    _, pdfs = printed
    pages = page_texts(pdfs["department"])
    assert len(pages) == 2
    assert "三、自评计分" not in pages[0]
    assert pages[1].startswith("部门整体支出绩效自评表") and "三、自评计分" in pages[1] and "总分" in pages[1]


def test_footer_sits_inside_the_bottom_margin(tmp_path):
    for tid in ("project", "summary", "department", "budget-execution", "scorecard"):
        ws = load_workbook(build_template(tid, tmp_path / f"{tid}.xlsx")).worksheets[0]
        m = ws.page_margins
        assert m.footer + 1.5 * FOOTER_PT / 72 < m.bottom, tid     # the page number's line ends above the content
        assert "&P" in ws.oddFooter.center.text


def test_indicator_rows_have_no_fixed_height_and_grow_with_text(tmp_path):
    ws = load_workbook(build_template("project", tmp_path / "p.xlsx"))["项目支出绩效自评表"]
    for r in range(12, 42):
        assert not ws.row_dimensions[r].customHeight, r        # Excel/WPS/LibreOffice fit the row to its text
    notes = ws["A44"].value
    assert "隐藏" in notes and "取消隐藏" in notes
    data = sample_data("project")
    data["indicators"][-1]["reason"] = ("满意度调查按县医保中心2021年12月组织的问卷统计，共发放问卷1200份，"
                                        "回收有效问卷1163份，满意率95%，与目标持平。")
    filled = load_workbook(fill_template("project", data, tmp_path / "f.xlsx"))["项目支出绩效自评表"]
    row = 12 + len([i for i in data["indicators"] if i["name"] != "预算执行率"]) - 1
    assert filled[f"M{row}"].value.startswith("满意度调查")
    assert filled.row_dimensions[row].height >= 4 * 10 * 1.3       # ≥ 4 lines of 10 pt in the 28-wide column
    assert filled.row_dimensions[row + 1].hidden and filled.row_dimensions[41].hidden   # unused rows hidden
    assert not filled.row_dimensions[row].hidden


def test_a_row_hidden_in_our_template_is_not_counted_and_said_so(tmp_path):
    """填表说明 says hidden rows are not read: true for our templates too (before, a hidden row with
    data was read and scored silently)."""
    from workbook_templates.reader import read_workbook

    path = fill_template("project", sample_data("project"), tmp_path / "f.xlsx")
    wb = load_workbook(path)
    wb["项目支出绩效自评表"].row_dimensions[13].hidden = True          # 医疗保险应保尽保
    wb.save(tmp_path / "h.xlsx")
    ev = read_workbook(tmp_path / "h.xlsx")
    assert "医疗保险应保尽保" not in [i.name for i in ev.indicators] and len(ev.indicators) == 6
    assert [(f.rule, f.cell) for f in ev.findings] == [("hidden-rows-skipped", "项目支出绩效自评表!A13")]
