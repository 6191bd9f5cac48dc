"""绩效自评报告 (.docx): the workbook's numbers, the section structure, official format, chart,
placeholders, findings, and a user template. Expected numbers come from the seed 004 fixture."""

from __future__ import annotations

import copy
import json
from decimal import Decimal
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from addin.report import build_report
from addin.report import formats as F
from workbook_templates.model import Budget, Evaluation, Finding, Indicator, Project

FIXTURES = Path(__file__).parent / "fixtures"
SEED004 = json.loads((FIXTURES / "seed004_self_evaluation.json").read_text("utf-8"))


def seed004_evaluation(data: dict = SEED004, **project) -> Evaluation:
    """The fixture's table as an Evaluation, as a reader would fill it (stated values only)."""
    rows = {r["code"][:3]: r["values"][0] for r in data["budget_table"]["rows"]}
    ev = Evaluation(source="seed004.xlsx", project=Project(name=data["project"]["name"],
                                                           year=data["project"]["year"], **project),
                    budget=Budget(initial=Decimal(str(rows["(1)"])), adjusted=Decimal(str(rows["(2)"])),
                                  available=Decimal(str(rows["(3)"])), executed=Decimal(str(rows["(4)"]))))
    for item in data["indicators"]:
        if item["name"] == "预算执行率":
            ev.budget.weight = Decimal(str(item["weight"]))
            ev.budget.score = Decimal(str(item["score_stated"]))
            ev.budget.reason = item.get("reason")
            continue
        stated = item["completion_stated"].rstrip("%")
        ev.indicators.append(Indicator(
            level1=item["level1"], level2=item["level2"], name=item["name"], target=item["target"],
            actual=item["actual"], weight=Decimal(str(item["weight"])), score=Decimal(str(item["score_stated"])),
            completion_stated=Decimal(stated) / 100, reason=item.get("reason"), cell=f"自评表!C{len(ev.indicators) + 5}"))
    ev.total_score = Decimal(str(data["total_stated"]))
    ev.grade = data["grade_stated"]
    return ev


def all_text(doc) -> str:
    parts = [p.text for p in doc.paragraphs]
    for t in doc.tables:
        for row in t.rows:
            parts.extend(c.text for c in row.cells)
    return "\n".join(parts)


def table_with_header(doc, first: str):
    for t in doc.tables:
        if t.rows[0].cells[0].text == first:
            return t
    raise AssertionError(f"no table starting with {first}")


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> Document:
    out = tmp_path_factory.mktemp("rep") / "report.docx"
    build_report(seed004_evaluation(unit="某县医疗保障事务中心"), out, findings=[])
    return Document(str(out))


def test_formatters_follow_finance_conventions():
    assert F.money(Decimal("1521.57")) == "1,521.57"
    assert F.money(1600) == "1,600.00"
    assert F.money(Decimal("-0.005")) == "-0.01"        # Excel ROUND: half away from zero
    assert F.percent(Decimal("0.951")) == "95.10%"
    assert F.percent(Decimal("1.041111")) == "104.11%"
    assert F.score(2.675) == "2.68"                      # float 2.675 → 2.68 as Excel shows it
    assert F.points(Decimal("7.5")) == "7.5" and F.points(Decimal("10.00")) == "10"
    assert F.money(None) == "—"
    assert F.threshold(0.3) == "30%" and F.threshold("0.125") == "12.5%"


def test_budget_numbers_are_the_workbooks(report):
    rows = {r["code"][:3]: r["values"][0] for r in SEED004["budget_table"]["rows"]}
    t = table_with_header(report, "年初预算数")
    cells = [c.text for c in t.rows[1].cells]
    assert cells == [F.money(Decimal(str(rows["(1)"]))), F.money(Decimal(str(rows["(2)"]))),
                     F.money(Decimal(str(rows["(3)"]))), F.money(Decimal(str(rows["(4)"]))),
                     f"{rows['(7)']:.2f}%", F.money(Decimal(str(rows["(5)"])))]
    assert cells == ["1,600.00", "1,600.00", "1,600.00", "1,521.57", "95.10%", "78.43"]
    text = all_text(report)
    assert "全年预算1,600.00万元" in text and "执行1,521.57万元" in text and "预算执行率95.10%" in text


def test_indicator_prose_and_appendix_carry_every_stated_number(report):
    text = all_text(report)
    appendix = table_with_header(report, "一级指标")
    rows = [[c.text for c in r.cells] for r in appendix.rows[1:]]
    by_name = {r[2]: r for r in rows}
    for item in SEED004["indicators"]:
        row = by_name[item["name"]]
        assert row[3] == F.points(Decimal(str(item["weight"])))
        if item["name"] == "预算执行率":  # a number on the sheet (95.1), shown to 2 decimals
            assert row[5] == F.percent(Decimal(item["actual"].rstrip("%")) / 100) == "95.10%"
        else:
            assert row[4] == item["target"] and row[5] == item["actual"]
        assert row[6] == F.percent(Decimal(item["completion_stated"].rstrip("%")) / 100)
        assert row[7] == f"{Decimal(str(item['score_stated'])):.2f}"
        if item["name"] != "预算执行率":
            assert f"{item['name']}年度指标值{item['target']}，实际完成值{item['actual']}" in text
    assert "补助人数（人）年度指标值18，实际完成值18.74万人，完成率104.11%" in text
    total = rows[-1]
    assert total[0] == "合计" and total[3] == "100" and total[7] == "99.51"


def test_sections_and_title(report):
    h1 = [p.text for p in report.paragraphs if p.style.name == "Heading 1"]
    assert h1 == ["一、项目基本情况", "二、自评工作开展情况", "三、绩效目标及完成情况", "四、自评结论",
                  "五、偏离绩效目标的原因和改进措施", "六、存在的问题及建议"]
    title = [p.text for p in report.paragraphs if p.style.name == "Title"]
    assert title == ["某县医疗保障事务中心2021年度医疗保险基金补助项目支出绩效自评报告"]
    assert any(p.text.startswith("附表1") for p in report.paragraphs)
    assert "经自评，本项目自评得分99.51分，评价等级为“优秀”。" in all_text(report)


def test_page_setup_fonts_and_spacing(report):
    s = report.sections[0]
    assert abs(s.page_width - Mm(210)) < Mm(0.1) and abs(s.page_height - Mm(297)) < Mm(0.1)  # twips
    for got, mm in ((s.top_margin, 37), (s.bottom_margin, 35), (s.left_margin, 28), (s.right_margin, 26)):
        assert abs(got - Mm(mm)) < Mm(0.1)

    def east_asia(style_name):
        rfonts = report.styles[style_name].element.rPr.find(qn("w:rFonts"))
        return rfonts.get(qn("w:eastAsia"))

    assert east_asia("Normal") == "仿宋_GB2312" and report.styles["Normal"].font.size == Pt(16)
    assert east_asia("Title") == "方正小标宋简体" and report.styles["Title"].font.size == Pt(22)
    assert report.styles["Title"].paragraph_format.alignment == 1  # centre
    assert east_asia("Heading 1") == "黑体"
    assert east_asia("Heading 2") == "楷体_GB2312"
    assert east_asia("表格文字") == "宋体" and report.styles["表格文字"].font.size == Pt(10.5)
    pf = report.styles["Normal"].paragraph_format
    assert pf.line_spacing == Pt(28) and pf.line_spacing_rule == 4  # EXACTLY
    # every table repeats its header row
    for t in report.tables:
        assert t.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    # table cells are in 宋体 五号
    assert table_with_header(report, "一级指标").rows[1].cells[0].paragraphs[0].style.name == "表格文字"


def test_footer_page_number_field(report):
    footer = report.sections[0].footer.paragraphs[0]
    xml = footer._p.xml
    assert "PAGE" in xml and footer.text.startswith("— ") and footer.text.endswith(" —")
    assert footer.alignment == 1


def test_chart_is_embedded_and_fonts_cover_chinese(report):
    assert len(report.inline_shapes) == 1
    blips = report.inline_shapes[0]._inline.xpath(".//a:blip/@r:embed")
    assert report.part.related_parts[blips[0]].content_type == "image/png"
    from matplotlib import font_manager
    from matplotlib.ft2font import FT2Font

    from addin.report.charts import cjk_font

    path = font_manager.findfont(cjk_font(), fallback_to_default=False)
    font = FT2Font(path)
    assert all(font.get_char_index(ord(ch)) for ch in "得分率预算执行产出效益满意度")


def test_missing_text_gives_highlighted_placeholders_not_sentences(tmp_path):
    out = build_report(seed004_evaluation(), tmp_path / "r.docx", findings=[], chart=False)
    doc = Document(str(out))
    paras = [p.text for p in doc.paragraphs]
    i = paras.index("（一）项目概况")
    assert paras[i + 1] == "【请填写：项目概况（立项依据、主要内容、年度总体目标）】"
    assert paras[0].startswith("【请填写：实施单位】2021年度")
    for heading in ("（一）存在的问题", "（二）改进建议"):
        nxt = paras[paras.index(heading) + 1]
        assert nxt.startswith("【请填写：") and nxt.endswith("】")
    highlighted = [r.text for p in doc.paragraphs for r in p.runs
                   if r._r.rPr is not None and r._r.rPr.find(qn("w:highlight")) is not None]
    assert "【请填写：实施单位】" in highlighted and len(highlighted) >= 6
    assert len(doc.inline_shapes) == 0


def test_workbook_text_replaces_placeholders(tmp_path):
    goal = "对我县各类参保人群医疗保险基金进行补助，做到应保尽保。\n按时完成配套资金拨付。"
    out = build_report(seed004_evaluation(goal=goal, unit="某县医保中心"), tmp_path / "r.docx", findings=[],
                       chart=False)
    doc = Document(str(out))
    paras = [p.text for p in doc.paragraphs]
    assert paras[paras.index("（一）项目概况") + 1] == goal  # the line break kept as a break
    assert not any("请填写：项目概况" in p for p in paras)


def test_large_deviation_listed_with_reason_or_placeholder(tmp_path):
    data = copy.deepcopy(SEED004)
    out = build_report(seed004_evaluation(data), tmp_path / "a.docx", findings=[], chart=False)
    text = all_text(Document(str(out)))
    # 人均补助标准: 580 vs 830 → 偏离度 (580-830)/830 = -30.12% (fixture), beyond 30%, reason given
    assert "以下指标的实际完成值偏离年度指标值超过30%：" in text   # profile deviation_threshold 0.3
    assert "人均补助标准（元/年）：年度指标值830，实际完成值580元，偏离度-30.12%。原因分析：根据《临医保发〔2021〕27号》" in text
    for item in data["indicators"]:
        if item["name"].startswith("人均补助标准"):
            item["reason"] = None
    out = build_report(seed004_evaluation(data), tmp_path / "b.docx", findings=[], chart=False)
    text = all_text(Document(str(out)))
    assert "偏离度-30.12%。原因分析：【请填写：“人均补助标准（元/年）”偏离目标的原因及改进措施】" in text


def test_rule_total_differing_from_stated_is_said_with_both_numbers(tmp_path):
    ev = seed004_evaluation()
    ev.total_score = Decimal("95")
    out = build_report(ev, tmp_path / "r.docx", findings=[], chart=False, review=True)
    text = all_text(Document(str(out)))
    assert "本项目自评得分95.00分" in text
    assert "复核得分为99.51分" in text and "相差4.51分" in text
    # the submission copy does not tell the 财政局 to check the unit's table
    text = all_text(Document(str(build_report(ev, tmp_path / "s.docx", findings=[], chart=False))))
    assert "本项目自评得分95.00分" in text and "复核" not in text and "请核对" not in text


def test_failed_validation_still_reports_and_lists_findings(tmp_path):
    ev = seed004_evaluation()
    ev.indicators[-1].score = Decimal("12")   # 社会满意度: 12 points given on a weight of 10
    ev.total_score = Decimal("101.51")
    out = build_report(ev, tmp_path / "r.docx", chart=False, review=True)   # findings from addin.validate
    doc = Document(str(out))
    assert any(p.text == "附表2" for p in doc.paragraphs)
    t = table_with_header(doc, "级别")
    rows = [[c.text for c in r.cells] for r in t.rows[1:]]
    assert rows and rows[0][0] == "错误"
    assert any("社会满意度" in r[3] for r in rows)
    assert "得分超过分值" in [r[2] for r in rows]          # the catalogue's Chinese name, not the id
    assert not any("score-exceeds-weight" in r[2] for r in rows)


def test_explicit_findings_are_listed(tmp_path):
    f = Finding(rule="total-mismatch", severity="error", cell="自评表!H20", message="各项得分之和与总分不符")
    ev = seed004_evaluation()
    ev.cells["total_score"] = "自评表!H20"
    out = build_report(ev, tmp_path / "r.docx", findings=[f], chart=False, review=True)
    doc = Document(str(out))
    t = table_with_header(doc, "级别")
    assert [c.text for c in t.rows[1].cells] == ["错误", "自评表第20行 总分", "总分与各项得分之和不符",
                                                 "各项得分之和与总分不符"]
    assert "共发现错误1项、警告0项" in all_text(doc)


def test_no_findings_no_findings_appendix(report):
    assert not any(p.text == "附表2" for p in report.paragraphs)


def test_user_template_changes_wording_without_code(tmp_path):
    tpl = Document()
    tpl.add_paragraph("致县财政局：")
    tpl.add_paragraph("我单位{{ project_name }}项目{{ year }}年度自评得分{{ total_score }}分。{{ budget_sentence }}")
    tpl.add_paragraph("{{ problems }}")
    tpl_path = tmp_path / "my.docx"
    tpl.save(str(tpl_path))
    out = build_report(seed004_evaluation(), tmp_path / "r.docx", template=tpl_path, findings=[])
    paras = [p.text for p in Document(str(out)).paragraphs]
    assert paras[0] == "致县财政局："
    assert paras[1].startswith("我单位医疗保险基金补助项目2021年度自评得分99.51分。2021年度年初预算1,600.00万元")
    assert paras[2] == "【请填写：项目实施和管理中存在的问题及原因】"


def test_text_with_markup_characters_is_escaped(tmp_path):
    ev = seed004_evaluation(goal="A<B & C>D “引号”")
    out = build_report(ev, tmp_path / "r.docx", findings=[], chart=False)
    paras = [p.text for p in Document(str(out)).paragraphs]
    assert "A<B & C>D “引号”" in paras


def test_every_template_variable_is_documented():
    from addin.report import report_context
    from addin.report.department import Summary, department_context

    doc = (Path(__file__).parent.parent / "docs" / "report-template-variables.md").read_text("utf-8")
    keys = set(report_context(seed004_evaluation(), findings=[])) | {"chart"}
    keys |= set(department_context(Summary(source="x.xlsx")))
    missing = sorted(k for k in keys if f"`{k}`" not in doc and f"`{k}." not in doc)
    assert not missing, missing


def test_an_empty_evaluation_gives_only_placeholders(tmp_path):
    out = build_report(Evaluation(), tmp_path / "r.docx", findings=[])
    doc = Document(str(out))
    paras = [p.text for p in doc.paragraphs]
    assert paras[0] == "【请填写：实施单位】【请填写：年度】【请填写：项目名称】项目支出绩效自评报告"
    assert "【请填写：预算执行情况（自评表未填写预算数和执行数）】" in paras
    assert "自评表中未读到绩效指标。" in paras and "【请填写：自评得分及评价等级】" in paras
    assert len(doc.inline_shapes) == 0
    digits = [p for p in paras if any(ch.isdigit() for ch in p)
              and not p.startswith(("附表", "表1", "图1", "注：评分规则"))]   # the rules' name (财预〔2020〕10号)
    assert digits == []          # no number appears that the workbook did not give
