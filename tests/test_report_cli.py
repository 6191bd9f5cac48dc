"""`jixiao report` on every sample layout, template export, and bad input (exit 2, Chinese, no traceback)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from docx import Document

from addin.cli import main
from workbook_templates.samples import write_sample

FIXTURES = Path(__file__).parent / "fixtures"

LAYOUTS = ["seed004", "cz2020-annex", "seed001-scorecard", "sichuan"]


@pytest.mark.parametrize("layout", LAYOUTS)
def test_report_from_each_layout(tmp_path, layout):
    src = write_sample(layout, tmp_path / f"{layout}.xlsx")
    before = src.read_bytes()
    out = tmp_path / "report.docx"
    assert main(["report", str(src), "-o", str(out), "--no-chart"]) == 0
    doc = Document(str(out))
    assert doc.paragraphs[0].text.endswith("项目支出绩效自评报告")
    assert any(t.rows[0].cells[0].text == "一级指标" for t in doc.tables)
    assert src.read_bytes() == before                 # the user's file is never touched


def test_write_template_then_use_it(tmp_path):
    tpl = tmp_path / "my.docx"
    assert main(["report", "--write-template", str(tpl)]) == 0
    doc = Document(str(tpl))
    doc.paragraphs[0].text = "{{ unit }}关于{{ project_name }}的自评报告"  # a unit rewords the title
    doc.save(str(tpl))
    src = write_sample("seed004", tmp_path / "s.xlsx")
    out = tmp_path / "r.docx"
    assert main(["report", str(src), "-o", str(out), "--template", str(tpl), "--no-chart"]) == 0
    assert Document(str(out)).paragraphs[0].text == "【请填写：实施单位】关于医疗保险基金补助的自评报告"


def test_write_department_template(tmp_path):
    tpl = tmp_path / "dept.docx"
    assert main(["report", "--department", "--write-template", str(tpl)]) == 0
    assert Document(str(tpl)).paragraphs[2].text == "（一）机构组成及职能"


def test_missing_file(tmp_path, capsys):
    assert main(["report", str(tmp_path / "nope.xlsx"), "-o", str(tmp_path / "r.docx")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("错误：") and "Traceback" not in err


def test_not_a_workbook(tmp_path, capsys):
    bad = tmp_path / "bad.xlsx"
    bad.write_text("不是表格", encoding="utf-8")
    assert main(["report", str(bad), "-o", str(tmp_path / "r.docx")]) == 2
    assert "错误：" in capsys.readouterr().err
    assert not (tmp_path / "r.docx").exists()


def test_broken_template(tmp_path, capsys):
    from docx import Document as New

    tpl = New()
    tpl.add_paragraph("{{ title ")
    tpl.save(str(tmp_path / "t.docx"))
    src = write_sample("seed004", tmp_path / "s.xlsx")
    rc = main(["report", str(src), "-o", str(tmp_path / "r.docx"), "--template", str(tmp_path / "t.docx")])
    err = capsys.readouterr().err
    assert rc == 2 and "模板" in err and "Traceback" not in err


def test_workbook_failing_validation_still_yields_report_with_findings(tmp_path):
    from openpyxl import load_workbook

    from workbook_templates.grid import parse_a1
    from workbook_templates.reader import read_workbook

    src = write_sample("seed004", tmp_path / "s.xlsx")
    ev = read_workbook(src)
    ind = next(i for i in ev.indicators if i.name == "社会满意度")
    sheet, _, ref = ind.cells["score"].rpartition("!")
    wb = load_workbook(src)
    r, c = parse_a1(ref)
    wb[sheet].cell(row=r + 1, column=c + 1, value=12)     # 12 points on a weight of 10
    wb.save(src)
    out = tmp_path / "r.docx"
    assert main(["report", str(src), "-o", str(out), "--no-chart", "--review"]) == 0
    doc = Document(str(out))
    assert any(p.text == "附表2" for p in doc.paragraphs)
    findings = next(t for t in doc.tables if t.rows[0].cells[0].text == "级别")
    rows = [[c.text for c in row.cells] for row in findings.rows[1:]]
    where = f"{sheet}第{r + 1}行 得分"
    assert any(x[0] == "错误" and x[1] == where and x[2] == "得分超过分值" for x in rows)
    # the submission copy (default) embeds no findings
    assert main(["report", str(src), "-o", str(tmp_path / "s.docx"), "--no-chart"]) == 0
    doc = Document(str(tmp_path / "s.docx"))
    assert not any(p.text == "附表2" for p in doc.paragraphs)
    assert not any(t.rows[0].cells[0].text == "级别" for t in doc.tables)


def test_template_that_is_not_a_word_file(tmp_path, capsys):
    src = write_sample("seed004", tmp_path / "s.xlsx")
    rc = main(["report", str(src), "-o", str(tmp_path / "r.docx"), "--template", str(src)])
    err = capsys.readouterr().err
    assert rc == 2 and "报告模板无法打开" in err and "Traceback" not in err
    assert not (tmp_path / "r.docx").exists()


def test_seed004_workbook_report_carries_the_published_numbers(tmp_path):
    """End to end: the seed 004 sample workbook → reader → report; every number is the fixture's
    (the published table), formatted as finance staff write them."""
    seed = json.loads((FIXTURES / "seed004_self_evaluation.json").read_text("utf-8"))
    src = write_sample("seed004", tmp_path / "s.xlsx")
    out = tmp_path / "r.docx"
    assert main(["report", str(src), "-o", str(out), "--no-chart", "--review"]) == 0
    doc = Document(str(out))
    text = "\n".join(p.text for p in doc.paragraphs)
    tables = {t.rows[0].cells[0].text: [[c.text for c in r.cells] for r in t.rows] for t in doc.tables}
    # 预算执行情况: rows (1) (2) (3) (4), (7) 执行率 95.1%, (5) 结余 78.43 as published
    assert tables["年初预算数"][1] == ["1,600.00", "1,600.00", "1,600.00", "1,521.57", "95.10%", "78.43"]
    assert "全年预算1,600.00万元，执行1,521.57万元，预算执行率95.10%，结余78.43万元" in text
    rows = {r[2]: r for r in tables["一级指标"][1:-1]}
    assert set(rows) == {i["name"] for i in seed["indicators"]}
    for item in seed["indicators"]:
        row = rows[item["name"]]
        assert row[3] == str(item["weight"])
        assert row[7] == f"{item['score_stated']:.2f}"
        stated = item["completion_stated"].rstrip("%")
        assert row[6] == f"{float(stated):.2f}%"
        if item["name"] != "预算执行率":
            assert row[4] == item["target"] and row[5] == item["actual"]
    assert "补助人数（人）年度指标值18，实际完成值18.74万人，完成率104.11%，得分20.00分（分值20分）" in text
    # the sample table has no 总分 row: its stated total is the sum of its stated scores (issue #12),
    # the published 99.51, and the report says where it comes from
    assert f"自评表未设总分行，各项自评得分合计{seed['expected']['total_score']:.2f}分" in text
    assert f"等级为“{seed['expected']['grade']}”" in text
    # the published 18 vs 18.74万人 is a unit mismatch (fixture's expected finding), listed in 附表2
    findings = tables["级别"][1:]
    assert [r[2] for r in findings] == ["目标值与实际值单位不一致"]
    assert findings[0][1].endswith("第5行 年度指标值")


def test_submission_report_puts_a_flagged_figure_to_verify(tmp_path):
    """Seed 004's published slip (target 18 against 18.74万人) is flagged; the unit's submission
    report does not state the 18 as fact but asks to verify it, highlighted."""
    from docx.oxml.ns import qn

    src = write_sample("seed004", tmp_path / "s.xlsx")
    out = tmp_path / "r.docx"
    assert main(["report", str(src), "-o", str(out), "--no-chart"]) == 0
    doc = Document(str(out))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert ("补助人数（人）年度指标值【请核实：年度指标值“18”（目标值与实际值单位不一致）】，"
            "实际完成值18.74万人") in text
    highlighted = [r.text for p in doc.paragraphs for r in p.runs
                   if r._r.rPr is not None and r._r.rPr.find(qn("w:highlight")) is not None]
    assert "【请核实：年度指标值“18”（目标值与实际值单位不一致）】" in highlighted
    appendix = next(t for t in doc.tables if t.rows[0].cells[0].text == "一级指标")
    row = next(r for r in appendix.rows if r.cells[2].text == "补助人数（人）")
    assert row.cells[4].text == "【请核实：18】"                 # a narrow cell: the body says why
    assert "请核对" not in text and "unit-mismatch" not in text
