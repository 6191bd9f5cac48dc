"""Pins on the 指标 table as the reader takes it (``reader/indicators.py``, issue #18): the 预算执行率
line as the funds part, 一级/二级 carried down, points in the labels, section titles, subtotals,
units named in headers and 度量单位 columns, the 总分 row and its cells. Tables are the 附件1 form
as 廊坊市食品工程学校 published it (``tests/pinned_reader_tables.py``) unless a test names another;
expected values are read off the table the test builds.
"""

from __future__ import annotations

from decimal import Decimal

import openpyxl

from tests import published_tables as pt
from tests.pinned_reader_tables import ANNEX_HEADER, annex1, roles
from workbook_templates.reader import read_workbook

D = Decimal


def names(ev) -> list[str | None]:
    return [i.name for i in ev.indicators]


# --- the 预算执行率 line ------------------------------------------------------------------------------

def test_execution_rate_line_is_the_funds_part_when_no_funds_block(tmp_path):
    """A 附件1 table whose funds are given only as a "预算执行率" indicator line under 一级 "预算执行"
    (no 项目资金 block): that line is the budget part — 分值 10, 得分 8.62, rate 86.2 % read from the
    实际完成值 "86.2%" — and not an indicator."""
    inds = [[None, "预算执行", None, "预算执行率", "100%", "86.2%", 10, 8.62],
            [None, "产出指标", "数量指标", "工程资金金额", 43.2, 37.24, 40, 35],
            [None, "满意度指标", "服务对象满意度指标", "学生满意度", "≥90%", "95%", 50, 50]]
    ev = read_workbook(annex1(tmp_path / "line.xlsx", funds=[], indicators=inds,
                              total=["总分", None, None, None, None, None, 100, 93.62]))
    b = ev.budget
    assert (b.weight, b.score, b.rate) == (D(10), D("8.62"), D("0.862"))
    assert (b.cells["weight"], b.cells["score"], b.cells["rate"]) == ("自评表!G7", "自评表!H7", "自评表!F7")
    assert names(ev) == ["工程资金金额", "学生满意度"]
    assert ("budget", "预算执行率") in roles(ev)


def test_execution_rate_line_takes_its_completion_column(tmp_path):
    """The same line in a table with a 完成率 column typed 86.2 (percent points, no % sign): the
    stated rate is 86.2 % — the 完成率 column wins over the 实际完成值 text."""
    header = [None, "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "完成率", "分值", "得分"]
    inds = [[None, "预算执行", None, "预算执行率", "100%", "86%", 86.2, 10, 8.62],
            [None, "产出指标", "数量指标", "工程资金金额", 43.2, 37.24, 86.2, 90, 77.58]]
    ev = read_workbook(annex1(tmp_path / "compl.xlsx", funds=[], header=header, indicators=inds,
                              total=["总分", None, None, None, None, None, None, 100, 86.2]))
    assert ev.budget.rate == D("0.862")
    assert ev.budget.cells["rate"] == "自评表!G7"
    assert ev.indicators[0].completion_stated == D("86.2")


def test_a_second_execution_rate_line_is_a_duplicate_not_an_indicator(tmp_path):
    """The funds block already weights 预算执行率 (10 分); the indicator table lists it again under
    一级 "预算执行": a duplicate-budget-row warning at its name cell (D7), not an indicator."""
    inds = [[None, "预算执行", None, "预算执行率", "100%", "86%", 10, 9],
            [None, "产出指标", "数量指标", "工程资金金额", 43.2, 37.24, 90, 85]]
    ev = read_workbook(annex1(tmp_path / "dup.xlsx", indicators=inds))
    assert names(ev) == ["工程资金金额"]
    assert [(f.rule, f.cell) for f in ev.findings if f.rule == "duplicate-budget-row"] == [
        ("duplicate-budget-row", "自评表!D10")]
    assert ev.budget.weight == D(10) and ev.budget.score == D(9)


# --- 一级/二级 carried down, points in the labels -------------------------------------------------

def test_levels_carry_down_and_a_new_level1_clears_level2(tmp_path):
    """一级 and 二级 are typed once and left blank below (as the published tables merge or blank
    them); a new 一级 with its 二级 blank does not inherit the previous 一级's 二级."""
    inds = [[None, "产出指标", "数量指标", "工程资金金额", 43.2, 37.24, 30, 26],
            [None, None, None, "改造面积", "1200平方米", "1200平方米", 30, 30],
            [None, "效益指标", None, "学校发展能力", "明显提升", "明显提升", 20, 20],
            [None, None, "可持续影响指标", "长期使用性", "10年", "10年", 10, 10]]
    ev = read_workbook(annex1(tmp_path / "lv.xlsx", indicators=inds,
                              total=["总分", None, None, None, None, None, 100, 95]))
    assert [(i.level1, i.level2) for i in ev.indicators] == [
        ("产出指标", "数量指标"), ("产出指标", "数量指标"), ("效益指标", None), ("效益指标", "可持续影响指标")]


def test_points_in_level_labels_are_the_groups(tmp_path):
    """棠溪镇 委托业务 (published_tables.tangxi_annex1) writes the 一级 points into the labels —
    产出指标（50分）, 效益指标（30分）, 满意度指标（10分） — and here a 二级 "数量指标（8分）": the labels
    are read without them, the points are the groups' weights."""
    ev = read_workbook(pt.tangxi_annex1(tmp_path / "tx.xlsx"))
    groups = ev.extra["groups"]
    assert {k: v["weight"] for k, v in groups.items()} == {"产出指标": 50.0, "效益指标": 30.0, "满意度指标": 10.0}
    assert ev.indicators[0].level1 == "产出指标"
    inds = [[None, "产出指标（50分）", "数量指标（8分）", "工程资金金额", 43.2, 37.24, 8, 7],
            [None, None, "质量指标", "工程验收合格率", "100%", "100%", 42, 42],
            [None, "满意度指标（50分）", "服务对象满意度指标", "学生满意度", "≥90%", "95%", 50, 45]]
    ev = read_workbook(annex1(tmp_path / "pts.xlsx", indicators=inds))
    assert ev.extra["groups"]["产出指标"] == {"weight": 50.0, "level2": {"数量指标": 8.0}}
    assert [(i.level1, i.level2) for i in ev.indicators][:2] == [("产出指标", "数量指标"), ("产出指标", "质量指标")]


def test_points_written_into_indicator_names_are_their_weights(tmp_path):
    """Seed 001's published 计分表 has no 分值 column: "资金到位率（4分）" carries its points. A
    附件1 table whose 分值 cell of one line is blank but whose name says "（10分）" takes 10."""
    inds = [[None, "产出指标", "数量指标", "工程资金金额（10分）", 43.2, 37.24, None, 8],
            [None, "满意度指标", "服务对象满意度指标", "学生满意度", "≥90%", "95%", 90, 86]]
    ev = read_workbook(annex1(tmp_path / "np.xlsx", indicators=inds))
    assert (ev.indicators[0].name, ev.indicators[0].weight) == ("工程资金金额", D(10))


# --- names, placeholders, sections, subtotals --------------------------------------------------------

def test_numbered_names_and_placeholders(tmp_path):
    """The 附件1 form prints "指标1：" "指标2：" for the unit to fill: "指标1：工程完工率" is the indicator
    工程完工率, an untouched "指标2：" is a placeholder, and a bare "指标3" that carries points stays
    an indicator named "指标3" (its real name is missing — for the checks to say)."""
    inds = [[None, "产出指标", "质量指标", "指标1：工程完工率", "100%", "100%", 40, 40],
            [None, None, None, "指标2：", None, None, None, None],
            [None, None, None, "指标3", "100%", "100%", 20, 20],
            [None, "满意度指标", "服务对象满意度指标", "学生满意度", "≥90%", "95%", 40, 34]]
    ev = read_workbook(annex1(tmp_path / "num.xlsx", indicators=inds))
    assert names(ev) == ["工程完工率", "指标3", "学生满意度"]
    assert ("placeholder", "指标2：") in roles(ev)


def test_section_titles_give_level1_of_a_table_without_a_level1_column(tmp_path):
    """Seed 004's report body drops the 一级指标 column and splits the rows with titles in the first
    column, "（一）项目产出情况" / "（二）项目效益情况" / "（三）满意度情况": each title is the 一级 of the
    rows under it, and is recorded as a section row."""
    header = ["二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"]
    rows = [["（一）项目产出情况"],
            ["数量指标", "工程资金金额", 43.2, 37.24, 40, 35],
            ["质量指标", "工程验收合格率", "100%", "100%", 20, 20],
            ["（二）项目效益情况"],
            ["社会效益指标", "学校发展能力", "明显提升", "明显提升", 20, 20],
            ["（三）满意度情况"],
            ["服务对象满意度指标", "学生满意度", "≥90%", "95%", 20, 19]]
    ev = read_workbook(annex1(tmp_path / "sec.xlsx", header=header, indicators=rows,
                              total=["总分", None, None, None, 100, 94]))
    assert [(i.name, i.level1, i.level2) for i in ev.indicators] == [
        ("工程资金金额", "产出指标", "数量指标"), ("工程验收合格率", "产出指标", "质量指标"),
        ("学校发展能力", "效益指标", "社会效益指标"), ("学生满意度", "满意度指标", "服务对象满意度指标")]
    assert [t for role, t in roles(ev) if role == "section"] == ["（一）项目产出情况", "（二）项目效益情况", "（三）满意度情况"]


def test_subtotal_rows_in_a_table_without_a_level1_column(tmp_path):
    """Seed 004's report-body layout (no 一级指标 column, section titles) with a "合计 40 / 35" row
    closing the 产出 section: the 产出指标 subtotal (its 一级 from the section title), not an
    indicator and not the table's 总分 — reading it ended in a KeyError ('level1') before."""
    header = ["二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"]
    rows = [["（一）项目产出情况"],
            ["数量指标", "工程资金金额", 43.2, 37.24, 40, 35],
            ["合计", None, None, None, 40, 35],
            ["（二）项目效益情况"],
            ["社会效益指标", "学校发展能力", "明显提升", "明显提升", 60, 59]]
    ev = read_workbook(annex1(tmp_path / "sec.xlsx", header=header, indicators=rows,
                              total=["总分", None, None, None, 100, 94]))
    assert names(ev) == ["工程资金金额", "学校发展能力"]
    [sub] = ev.extra["subtotals"]
    assert (sub["label"], sub["level1"], sub["weight"], sub["score"], sub["cell"]) == (
        "产出指标合计", "产出指标", 40.0, 35.0, "自评表!B12")
    assert ev.total_score == D(94)


def test_a_named_subtotal_row_is_kept_apart(tmp_path):
    """"产出指标小计" in the 三级指标 column with 60 / 55: a category subtotal (its points kept for
    the subtotal check), not an indicator."""
    inds = [[None, "产出指标", "数量指标", "工程资金金额", 43.2, 37.24, 40, 35],
            [None, None, "质量指标", "工程验收合格率", "100%", "100%", 20, 20],
            [None, None, None, "产出指标小计", None, None, 60, 55],
            [None, "满意度指标", "服务对象满意度指标", "学生满意度", "≥90%", "95%", 30, 29]]
    ev = read_workbook(annex1(tmp_path / "sub.xlsx", indicators=inds))
    assert names(ev) == ["工程资金金额", "工程验收合格率", "学生满意度"]
    [sub] = ev.extra["subtotals"]
    assert (sub["label"], sub["weight"], sub["score"], sub["cell"], sub["level1"]) == (
        "产出指标小计", 60.0, 55.0, "自评表!D12", "产出指标")
    assert (sub["weight_cell"], sub["score_cell"]) == ("自评表!G12", "自评表!H12")


# --- units -------------------------------------------------------------------------------------------

def test_unit_named_in_the_indicator_name(tmp_path):
    """湖北 学生资助 style names carry the unit in brackets: "国家助学金人数（人）" names 人, "人均资助
    标准（元/人）" 元/人; a long bracket "（含附属设施建设）" is part of the name, no unit."""
    inds = [[None, "产出指标", "数量指标", "国家助学金人数（人）", 800, 828, 30, 30],
            [None, None, "成本指标", "人均资助标准（元/人）", 3300, 3300, 30, 30],
            [None, None, "质量指标", "改造完成率（含附属设施建设）", "100%", "100%", 30, 30]]
    ev = read_workbook(annex1(tmp_path / "hu.xlsx", indicators=inds,
                              total=["总分", None, None, None, None, None, 100, 99]))
    assert [i.header_unit for i in ev.indicators] == ["人", "元/人", None]


def test_unit_column_joins_numbers_but_not_text(tmp_path):
    """A 度量单位 column (四川/云南 forms): a number target 28 with 个 reads "28个"; "95%" under % stays
    "95%" (the unit already written); a text actual "达成预期指标" is left as written."""
    header = [None, "一级指标", "二级指标", "三级指标", "年度指标值", "度量单位", "实际完成值", "分值", "得分"]
    inds = [[None, "产出指标", "数量指标", "展区运维数量", 28, "个", 28, 40, 40],
            [None, None, "质量指标", "设备正常运行率", "95%", "%", "98%", 30, 30],
            [None, "效益指标", "社会效益指标", "展示数字化建设成果", "效果明显", None, "达成预期指标", 20, 20]]
    ev = read_workbook(annex1(tmp_path / "u.xlsx", header=header, indicators=inds,
                              total=["总分", None, None, None, None, None, None, 100, 100]))
    assert [(i.target, i.actual) for i in ev.indicators] == [
        ("28个", "28个"), ("95%", "98%"), ("效果明显", "达成预期指标")]


def test_nature_signs_join_number_targets(tmp_path):
    """红河州 数据发展中心 (published_tables.honghe_yunnan): 指标性质 "≥" beside 指标值 28 and 度量单位
    个 is the target "≥28个"; "定性" with "效果明显" keeps the text; the directions are 正向 / 定性."""
    ev = read_workbook(pt.honghe_yunnan(tmp_path / "hh.xlsx"))
    first, quality, social = ev.indicators[0], ev.indicators[3], ev.indicators[4]
    assert (first.target, first.actual, first.direction) == ("≥28个", "28个", "正向")
    assert (quality.target, quality.actual) == ("≥95%", "98%")
    assert (social.target, social.direction) == ("效果明显", "定性")


def test_an_unknown_nature_word_is_named_and_the_target_kept(tmp_path):
    """A 指标性质 the vocabulary does not know ("越高越优") is an unknown-nature warning at its cell
    (E10); the target keeps its 度量单位 and no direction is guessed."""
    header = [None, "一级指标", "二级指标", "三级指标", "指标性质", "年度指标值", "度量单位", "实际完成值", "分值", "得分"]
    inds = [[None, "产出指标", "数量指标", "展区运维数量", "越高越优", 28, "个", 28, 90, 90]]
    ev = read_workbook(annex1(tmp_path / "nat.xlsx", header=header, indicators=inds,
                              total=["总分", None, None, None, None, None, None, None, 100, 100]))
    ind = ev.indicators[0]
    assert (ind.target, ind.direction) == ("28个", None)
    assert [(f.rule, f.cell) for f in ev.findings if f.rule == "unknown-nature"] == [("unknown-nature", "自评表!E10")]


# --- the 总分 row --------------------------------------------------------------------------------------

def test_total_row_figures_and_their_cells(tmp_path):
    """The 总分 row of the 廊坊 table states 100 分值 and 94 得分: those are the stated totals, at G14
    and H14, and the table ends there."""
    ev = read_workbook(annex1(tmp_path / "tot.xlsx"))
    assert (ev.weights_total, ev.total_score) == (D(100), D(94))
    assert (ev.cells["weights_total"], ev.cells["total_score"]) == ("自评表!G14", "自评表!H14")
    assert ev.extra["total_row"] == "自评表!D14"          # the row, anchored like indicators in 三级指标
    assert ANNEX_HEADER[3] == "三级指标"


def test_unit_of_three_characters_in_the_name(tmp_path):
    """"改造面积（平方米）": a bracket of up to three characters is the unit named in the header."""
    inds = [[None, "产出指标", "数量指标", "改造面积（平方米）", 1200, 1200, 90, 90]]
    ev = read_workbook(annex1(tmp_path / "m2.xlsx", indicators=inds,
                              total=["总分", None, None, None, None, None, 100, 99]))
    assert ev.indicators[0].header_unit == "平方米"


def test_scoring_standard_column_is_kept_per_indicator(tmp_path):
    """江西省政协 (published_tables.jiangxi_scoring_standard) prints a 评分标准 column: each
    indicator's standard is kept with it, keyed by the indicator's cell, as written."""
    ev = read_workbook(pt.jiangxi_scoring_standard(tmp_path / "jx.xlsx"))
    notes = ev.extra["indicator_notes"]
    sat = next(i for i in ev.indicators if i.name == "群众满意度")
    assert notes[sat.cell] == {"note": "群众满意率90%以上得10分，每降5%扣1分，扣完为止。"}


def test_points_without_a_name_are_a_placeholder_row(tmp_path):
    """A row with 分值 and 得分 (10 / 10) but no indicator name (the clerk cleared the name): no
    indicator is made up for it; it is recorded as a placeholder row."""
    inds = [[None, "产出指标", "数量指标", "工程资金金额", 43.2, 37.24, 40, 35],
            [None, None, None, None, None, None, 10, 10],
            [None, "满意度指标", "服务对象满意度指标", "学生满意度", "≥90%", "95%", 50, 49]]
    ev = read_workbook(annex1(tmp_path / "pl.xlsx", indicators=inds))
    assert names(ev) == ["工程资金金额", "学生满意度"]
    assert ("placeholder", None) in roles(ev)


def test_grade_two_rows_under_the_total(tmp_path):
    """The 评价等级 row two rows under the 总分 (a 自评结论 line between): the stated grade is 优 at
    B16 — the label's right-hand neighbour."""
    path = annex1(tmp_path / "gr.xlsx")
    wb = openpyxl.load_workbook(path)
    ws = wb["自评表"]
    ws.append(["自评结论：项目按计划完成"])
    ws.append(["评价等级", "优"])
    wb.save(path)
    ev = read_workbook(path)
    assert (ev.grade, ev.cells["grade"]) == ("优", "自评表!B16")


def test_a_title_merged_across_the_table_is_not_an_indicator(tmp_path):
    """A band "二、项目效益情况" typed in the 一级 column and merged across the table (B11:I11), with
    no points: no indicator is made of it (only a merged label on a row *with* points is a name —
    the "预算执行率" merged across 一级:三级)."""
    inds = [[None, "产出指标", "数量指标", "工程资金金额", 43.2, 37.24, 50, 45],
            [None, "二、项目效益情况"],
            [None, "效益指标", "社会效益指标", "学校发展能力", "明显提升", "明显提升", 50, 49]]
    ev = read_workbook(annex1(tmp_path / "band.xlsx", indicators=inds, merges=["B11:I11"]))
    assert names(ev) == ["工程资金金额", "学校发展能力"]


def test_a_merged_execution_rate_line_with_only_its_points(tmp_path):
    """"预算执行率" merged across 一级:三级 (B7:D7) on a row with its 分值 10 and the 得分 left blank
    (not yet scored): still the budget line — weight 10, no stated score."""
    inds = [[None, "预算执行率", None, None, "100%", "86%", 10, None],
            [None, "产出指标", "数量指标", "工程资金金额", 43.2, 37.24, 90, 85]]
    ev = read_workbook(annex1(tmp_path / "mb.xlsx", funds=[], indicators=inds, merges=["B7:D7"]))
    assert (ev.budget.weight, ev.budget.score, ev.budget.rate) == (D(10), None, D("0.86"))
    assert names(ev) == ["工程资金金额"]


def test_the_reason_on_a_duplicate_execution_rate_line_is_kept(tmp_path):
    """The 廊坊 funds block (执行率 86 %) has no reason cell; the indicator table repeats 预算执行率
    with "剩余3%尾款未付" in its 偏差原因 cell (I10): that text is kept as the budget's reason, with
    its cell, for the low-execution check."""
    inds = [[None, "预算执行", None, "预算执行率", "100%", "86%", 10, 9, "剩余3%尾款未付"],
            [None, "产出指标", "数量指标", "工程资金金额", 43.2, 37.24, 90, 85]]
    ev = read_workbook(annex1(tmp_path / "dr.xlsx", indicators=inds))
    assert ev.extra["budget_row_reason"] == ("剩余3%尾款未付", "自评表!I10")
