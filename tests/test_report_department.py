"""部门整体 report from a 汇总表: read by header names, budget-weighted score, findings by unit.
Projects and budgets are seed 003's (8 projects, 166.96万元, all executed)."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from docx import Document
from openpyxl import Workbook

from addin.cli import main
from addin.report import build_department_report
from addin.report.department import read_summary

SEED003 = json.loads((Path(__file__).parent / "fixtures" / "seed003_weights.json").read_text("utf-8"))
SCORES = [100, 95, 90, 88.5, 100, 76, 100, 99]   # made-up 自评得分 per project
UNITS = ["西湖区医疗保障局", "西湖区医保中心"]


def write_summary(path: Path, with_findings: bool = True) -> Path:
    """A 汇总表 as `jixiao consolidate` writes it, columns deliberately in another order."""
    wb = Workbook()
    ws = wb.active
    ws.title = "汇总表"
    ws.append(["项目支出绩效自评汇总表"])
    headers = ["序号", "项目名称", "实施单位", "文件", "主管部门", "全年执行数", "全年预算数", "执行率",
               "规则得分", "自评得分", "等级", "错误数", "警告数"]
    ws.append(headers)
    for i, (p, score) in enumerate(zip(SEED003["projects"], SCORES, strict=True)):
        unit = UNITS[i % 2]
        ws.append([i + 1, p["name"], unit, f"u{i}.xlsx", "西湖区医疗保障局", p["executed"], p["budget"],
                   p["executed"] / p["budget"], score, score, "优" if score >= 90 else "良" if score >= 80 else "中",
                   1 if i == 5 else 0, 0])
    ws.append(["合计", "8 个项目", None, None, None, 166.96, 166.96, 1])
    ws.append(["资金加权得分"])
    f = wb.create_sheet("问题清单")
    f.append(["文件", "项目名称", "单元格", "规则", "级别", "说明"])
    if with_findings:
        f.append(["u5.xlsx", SEED003["projects"][5]["name"], "自评表!H12", "score-above-weight", "错误",
                  "指标得分超过分值"])
    x = wb.create_sheet("无法读取")
    x.append(["文件", "原因"])
    x.append(["broken.xlsx", "文件已损坏"])
    wb.save(path)
    return path


def expected_weighted() -> Decimal:
    num = sum(Decimal(str(s)) * Decimal(str(p["budget"])) for s, p in zip(SCORES, SEED003["projects"], strict=True))
    den = sum(Decimal(str(p["budget"])) for p in SEED003["projects"])
    return (num / den).quantize(Decimal("0.01"))


def test_read_summary_by_header_names(tmp_path):
    s = read_summary(write_summary(tmp_path / "s.xlsx"))
    assert len(s.projects) == 8
    assert sum(p.budget for p in s.projects) == Decimal(str(SEED003["expected"]["all_projects_total"]))
    assert s.projects[0].name == SEED003["projects"][0]["name"] and s.projects[0].unit == UNITS[0]
    assert all(p.rate == 1 for p in s.projects)
    assert s.failed == [{"文件": "broken.xlsx", "原因": "文件已损坏"}]
    assert s.findings[0]["规则"] == "score-above-weight"


def test_department_report_numbers(tmp_path):
    out = build_department_report(write_summary(tmp_path / "s.xlsx"), tmp_path / "dept.docx")
    doc = Document(str(out))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert doc.paragraphs[0].text == "西湖区医疗保障局【请填写：年度】部门整体支出绩效自评报告"
    assert "全年预算合计166.96万元，全年执行166.96万元，总体预算执行率100.00%" in text
    assert f"按全年预算数加权平均为{expected_weighted()}分" in text
    assert "不是部门整体支出绩效自评得分" in text          # a statistic, not the 部门整体 score
    # by hand: (51.96×100+10×95+10×90+15×88.5+10×100+30×76+30×100+10×99) / 166.96 = 15643.5 / 166.96
    assert expected_weighted() == Decimal("93.70")
    assert "西湖区医保中心：错误1项、警告0项。" in text
    listed = next(t for t in doc.tables if t.rows[0].cells[0].text == "实施单位" and len(t.columns) == 5)
    assert listed.rows[1].cells[2].text == "自评表第12行H列"          # readable, not 自评表!H12
    appendix = next(t for t in doc.tables if t.rows[0].cells[0].text == "序号")
    total = [c.text for c in appendix.rows[-1].cells]
    assert total[0] == "合计" and total[3] == "166.96" and total[6] == str(expected_weighted())
    first = [c.text for c in appendix.rows[1].cells]
    assert first[2] == SEED003["projects"][0]["name"] and first[3] == "51.96"
    failed = next(t for t in doc.tables if t.rows[0].cells[0].text == "文件")
    assert [c.text for c in failed.rows[1].cells] == ["broken.xlsx", "文件已损坏"]


def test_department_without_findings_says_so(tmp_path):
    out = build_department_report(write_summary(tmp_path / "s.xlsx", with_findings=False), tmp_path / "d.docx")
    text = "\n".join(p.text for p in Document(str(out)).paragraphs)
    assert "均未发现校验问题" in text and "附表2" not in text


def test_summary_without_the_sheet_is_a_clear_error(tmp_path, capsys):
    wb = Workbook()
    wb.active.title = "Sheet1"
    wb.save(tmp_path / "x.xlsx")
    rc = main(["report", "--department", str(tmp_path / "x.xlsx"), "-o", str(tmp_path / "d.docx")])
    err = capsys.readouterr().err
    assert rc == 2 and "汇总表" in err and "Traceback" not in err
    assert not (tmp_path / "d.docx").exists()


def test_bad_number_names_the_cell(tmp_path, capsys):
    path = write_summary(tmp_path / "s.xlsx")
    from openpyxl import load_workbook

    wb = load_workbook(path)
    wb["汇总表"]["G3"] = "五十万"
    wb.save(path)
    rc = main(["report", "--department", str(path), "-o", str(tmp_path / "d.docx")])
    err = capsys.readouterr().err
    assert rc == 2 and "汇总表!G3" in err and "五十万" in err


@pytest.mark.parametrize("n", [3])
def test_department_from_a_folder(tmp_path, n):
    from workbook_templates.samples import write_corpus

    folder = tmp_path / "units"
    folder.mkdir()
    write_corpus(folder, n, seed=3)
    out = tmp_path / "dept.docx"
    assert main(["report", "--department", str(folder), "-o", str(out)]) == 0
    doc = Document(str(out))
    appendix = next(t for t in doc.tables if t.rows[0].cells[0].text == "序号")
    assert len(appendix.rows) == 1 + n + 1          # header, one row per workbook, 合计


def test_long_lists_are_capped_in_prose_but_complete_in_the_appendix(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.title = "汇总表"
    ws.append(["实施单位", "项目名称", "全年预算数", "全年执行数", "自评得分", "规则得分"])
    for i in range(25):
        ws.append([f"单位{i}", f"项目{i}", 100, 50, 90, 80])     # 执行率 50%, scores differ
    ws.append(["合计"])
    wb.save(tmp_path / "s.xlsx")
    out = build_department_report(tmp_path / "s.xlsx", tmp_path / "d.docx")
    doc = Document(str(out))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert text.count("复核得分80.00分") == 20 and "共25个项目得分不一致" in text
    assert "共25个项目执行率偏低" in text
    appendix = next(t for t in doc.tables if t.rows[0].cells[0].text == "序号")
    assert len(appendix.rows) == 27
    assert [c.text for c in appendix.rows[1].cells][3:6] == ["100.00", "50.00", "50.00%"]


@pytest.mark.parametrize("years,title_year", [(["2020"] * 8, "2020年度"), (["2020"] * 7 + ["2021"], "【请填写：年度】")])
def test_title_year_comes_from_the_summary(tmp_path, years, title_year):
    from openpyxl import load_workbook

    path = write_summary(tmp_path / "汇总表.xlsx")
    wb = load_workbook(path)
    ws = wb["汇总表"]
    ws.cell(2, 14, "年度")
    for i, y in enumerate(years):
        ws.cell(3 + i, 14, y)
    wb.save(path)
    out = build_department_report(path, tmp_path / "r.docx")
    title = Document(out).paragraphs[0].text
    assert title_year in title and title.endswith("部门整体支出绩效自评报告")
