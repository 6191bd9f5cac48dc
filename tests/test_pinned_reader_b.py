"""Pins on the 指标 table and the whole-workbook reading (``reader/indicators.py``,
``reader/workbook.py``; issue #18, mutation testing): which rows are indicators, subtotals, the
总分 and the 评价等级; which sheet is the 自评表 (hidden, renamed, 填表说明, several per file); what
is said when a column or the funds are missing.

Tables are typed as a clerk types them (openpyxl: merged cells, % cells, "150万" text) on the
财预〔2020〕10号 附件1 form as 廊坊市食品工程学校 published it (2019),
http://www.lfsp.cn/newsinfo/1158053.html (``tests/pinned_reader_tables.annex1``), unless a test
names another source. Expected values are worked out by hand from the table each test builds.
"""

from __future__ import annotations

from decimal import Decimal

import openpyxl
import pytest

from tests import published_tables as pt
from tests.pinned_reader_tables import ANNEX_HEADER, annex1, hide_rows, roles
from workbook_templates.errors import ReadError
from workbook_templates.loaders import load_book
from workbook_templates.reader import read_book, read_workbook, read_workbook_all
from workbook_templates.samples import default_data, write_sample

D = Decimal


def names(ev) -> list[str | None]:
    return [i.name for i in ev.indicators]


# --- the end of the table ------------------------------------------------------------------------

# Two projects on one sheet: the first's rows closing with 合计 in the 三级 column, the second's from
# its 项目名称 row on.
_FIRST_PROJECT = [[None, "产出指标", "数量指标", "工程资金金额", 43.2, 37.24, 50, 45],
                  [None, "满意度指标", "服务对象满意度指标", "学生满意度", "≥90%", "95%", 50, 49],
                  [None, None, None, "合计", None, None, 100, 94]]
_SECOND_PROJECT = [["项目名称", "食堂设备购置"], ANNEX_HEADER,
                   [None, "产出指标", "数量指标", "设备数量", "12台", "12台", 60, 60],
                   [None, "满意度指标", "服务对象满意度指标", "师生满意度", "≥90%", "95%", 40, 40]]


def test_two_projects_stacked_with_the_total_in_the_name_column(tmp_path):
    """Two 附件1 tables on one sheet, each closing with "合计" typed in the 三级指标 column (D12; the
    一级 cell blank): the second project's 项目名称 row under the first 合计 starts another table, so
    that 合计 is the first table's 总分 (100 / 94 — 50 + 50 分值, 45 + 49 得分), not a 满意度
    subtotal; the second project's 设备数量/师生满意度 are not read into the first (they were)."""
    inds = [*_FIRST_PROJECT, [], ["项目支出绩效自评表"], *_SECOND_PROJECT]
    ev = read_workbook(annex1(tmp_path / "two.xlsx", indicators=inds,
                              total=[None, None, None, "合计", None, None, 100, 100]))
    assert names(ev) == ["工程资金金额", "学生满意度"]
    assert (ev.weights_total, ev.total_score) == (D(100), D(94))
    assert ev.cells["total_score"] == "自评表!H12"
    assert "subtotals" not in ev.extra
    assert roles(ev)[-1] == ("total", "合计")


# --- the 总分 row and the stated total ------------------------------------------------------------

def test_a_total_row_left_blank_is_no_stated_total(tmp_path):
    """The 总分 row is there (D14) but its 得分 cell is still blank (the clerk has not added up):
    there is no stated 总分 — it is not made up as the sum of the scores (94), which is only done
    for a table without any 总分 row (seed 004's 自评表)."""
    ev = read_workbook(annex1(tmp_path / "blank.xlsx", total=["总分", None, None, None, None, None, 100, None]))
    assert ev.extra["total_row"] == "自评表!D14"
    assert ev.total_score is None and ev.weights_total == D(100)
    assert "total_score_source" not in ev.extra
    assert "total_score" not in ev.cells and ev.cells["weights_total"] == "自评表!G14"   # no cell for no figure


# --- which sheet, which layout ----------------------------------------------------------------------

def test_a_table_without_layout_markers_is_the_generic_layout(tmp_path):
    """Headers "指标值"/"实际值" instead of 附件1's "年度指标值"/"实际完成值" (no published layout's
    markers): the sheet is read by the synonyms, as the "generic" layout — named so, not left
    without a layout."""
    header = [None, "一级指标", "二级指标", "三级指标", "指标值", "实际值", "分值", "得分"]
    ev = read_workbook(annex1(tmp_path / "generic.xlsx", header=header))
    assert ev.layout == "generic"
    assert [(i.name, i.target, i.actual) for i in ev.indicators][1] == ("工程验收合格率", "100%", "100%")


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    """Our 项目支出 template filled with the 附件1 sample data (seed 004's figures)."""
    from workbook_templates import fill

    path = tmp_path_factory.mktemp("tpl-b") / "project.xlsx"
    fill.fill_template("project", default_data("cz2020-annex"), path)
    return path


def test_a_loaded_book_read_without_a_path_names_its_file(tmp_path, template):
    """``read_book`` on a Book loaded from disk, no path given (as the add-in and consolidation
    pass one): the Evaluation's source is the file the book came from — for a workbook read by
    headers and for our template alike — never the text "None"."""
    path = annex1(tmp_path / "lf.xlsx")
    assert read_book(load_book(path)).source == str(path)
    ev = read_book(load_book(template))
    assert (ev.source, ev.layout) == (str(template), "project")


def test_every_table_of_a_template_is_the_one_template_reading(template):
    """``read_workbook_all`` on our template: one Evaluation, read by the template's defined names
    (layout "project", the _meta record kept) — not by headers, sheet by sheet."""
    [ev] = read_workbook_all(template)
    assert ev.layout == "project"
    assert "template" in ev.extra


# --- funds on another sheet ---------------------------------------------------------------------------

def test_funds_rows_are_read_from_one_sheet_only(tmp_path):
    """Seed 004's pair (预算执行情况表 + 项目支出绩效自评表) with last year's 预算执行情况表 kept as a
    hidden third sheet (2022 figures: 执行 1380 万元): the funds are the seven (1)–(7) rows of the
    first 预算执行情况表 — 执行 1521.57 万元, seed 004's published figure — and last year's rows
    are not added to them."""
    path = write_sample("seed004", tmp_path / "s4.xlsx")
    wb = openpyxl.load_workbook(path)
    old = wb.copy_worksheet(wb["预算执行情况表"])
    old.title = "2022年预算执行情况表"
    old.sheet_state = "hidden"
    for row in old.iter_rows():
        for cell in row:
            if cell.value == 1521.57:
                cell.value = 1380
    wb.save(path)
    ev = read_workbook(path)
    assert ev.budget.executed == D("1521.57")
    assert [r.label for r in ev.budget.rows] == ["年初预算资金", "全年预算资金", "实际到位资金", "全年执行资金",
                                                 "资金结余", "预算到位率", "预算执行率(%)"]
    assert ev.extra["budget_sheet"] == "预算执行情况表"


# --- a sheet cut at the loader's row cap ------------------------------------------------------------

def _annex_with_notes(path):
    """The 廊坊 table (14 rows) with the three lines units put under it: 注, a second note and
    填表人/联系电话 — rows 15 to 17."""
    annex1(path)
    wb = openpyxl.load_workbook(path)
    ws = wb["自评表"]
    ws.append(["注：1.本表金额单位为万元。"])
    ws.append(["2.得分保留两位小数。"])
    ws.append(["填表人：张三", None, "联系电话：0316-1234567"])
    wb.save(path)
    return path


def test_a_sheet_cut_at_the_row_cap_says_so(tmp_path):
    """The loader reads at most ``max_rows`` rows a sheet (a million-row sheet costs bounded time).
    Cut at 15 rows, the 廊坊 table (rows 1–14) is whole — 总分 94 — and the cut is a
    sheet-truncated warning naming the sheet and the rows read; uncut, there is no such warning."""
    path = _annex_with_notes(tmp_path / "notes.xlsx")
    ev = read_book(load_book(path, max_rows=15), path)
    assert ev.total_score == D(94)
    assert [(f.rule, f.severity, f.message) for f in ev.findings] == [
        ("sheet-truncated", "warning", "工作表过大，只读取了 自评表（前 15 行）")]
    assert "sheet-truncated" not in [f.rule for f in read_workbook(path).findings]


def test_a_table_cut_off_by_the_row_cap_is_refused_saying_why(tmp_path):
    """Cut at 8 rows, the indicator header (row 9) is not read: no 自评表 is found, and the error
    says the sheet was cut — the reason the table is missing — with the file."""
    path = _annex_with_notes(tmp_path / "cut.xlsx")
    with pytest.raises(ReadError) as err:
        read_book(load_book(path, max_rows=8), path)
    assert err.value.message.endswith("（已查看：自评表）；工作表过大，只读取了 自评表（前 8 行）")
    assert err.value.file == str(path)


# --- columns and funds not found ---------------------------------------------------------------------

def test_points_in_some_names_only_still_lack_a_weight_column(tmp_path):
    """Seed 001's 计分表 form (no 分值 column, points in the names): here only 工程资金金额（40分）
    and 学生满意度（30分）carry points, 工程验收合格率 none. Its 分值 is nowhere, so the missing 分值
    column is still an error at the header (D9) — the names excuse the column only when every
    indicator has its points."""
    header = [None, "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "得分"]
    inds = [[None, "产出指标", "数量指标", "工程资金金额（40分）", 43.2, 37.24, 35],
            [None, None, "质量指标", "工程验收合格率", "100%", "100%", 20],
            [None, "满意度指标", "服务对象满意度指标", "学生满意度（30分）", "≥90%", "95%", 29]]
    ev = read_workbook(annex1(tmp_path / "some.xlsx", header=header, indicators=inds,
                              total=["总分", None, None, None, None, None, 94]))
    assert [(i.name, i.weight) for i in ev.indicators] == [
        ("工程资金金额", D(40)), ("工程验收合格率", None), ("学生满意度", D(30))]
    assert [(f.rule, f.severity, f.cell) for f in ev.findings] == [("column-not-recognised", "error", "自评表!D9")]
    assert [m["field"] for m in ev.recognition.missing] == ["weight"]


def test_an_execution_rate_line_is_funds_enough(tmp_path):
    """No 项目资金 block and no (1)–(7) rows, but a "预算执行率" line (实际完成值 86.2%): the budget's
    rate is known (0.862), so no "funds not found" warning is raised."""
    inds = [[None, "预算执行", None, "预算执行率", "100%", "86.2%", 10, 8.62],
            [None, "产出指标", "数量指标", "工程资金金额", 43.2, 37.24, 90, 85]]
    ev = read_workbook(annex1(tmp_path / "line.xlsx", funds=[], indicators=inds,
                              total=["总分", None, None, None, None, None, 100, 93.62]))
    assert ev.budget.rate == D("0.862")
    assert ev.findings == []


def test_no_funds_anywhere_is_a_warning_naming_what_was_looked_for(tmp_path):
    """The 廊坊 table with its 项目资金 block deleted and no 预算执行率 line: one warning at the header
    (D6), naming the first three 全年预算数 synonyms and the first two 全年执行数 ones of
    layouts/headers.json ("全年预算数"、"调整后预算数"、"全年预算资金"; "全年执行数"、"预算执行数")."""
    inds = [[None, "产出指标", "数量指标", "工程资金金额", 43.2, 37.24, 90, 85]]
    ev = read_workbook(annex1(tmp_path / "nofunds.xlsx", funds=[], indicators=inds,
                              total=["总分", None, None, None, None, None, 100, 85]))
    assert [(f.rule, f.severity, f.cell, f.message) for f in ev.findings] == [(
        "column-not-recognised", "warning", "自评表!D6",
        "未找到预算资金（年初预算数/全年预算数/全年执行数）：各工作表中没有含“全年预算数”、“调整后预算数”、"
        "“全年预算资金”、“全年执行数”、“预算执行数”等表头的资金表，也没有“(1)年初预算资金”等行次；"
        "预算执行率未读取，无法按规则计分")]
    assert ev.recognition.missing[0]["field"] == "budget"


def test_two_uncalculated_formulas_are_counted_in_the_warning(tmp_path):
    """A clerk's 得分 formula "=G10*0.875" and 总分 "=SUM(H10:H11)" saved by openpyxl (never
    calculated by Excel/WPS, no cached values): one formula-not-calculated warning at the first
    (H10) that counts both — "等2处"."""
    inds = [[None, "产出指标", "数量指标", "工程资金金额", 43.2, 37.24, 40, "=G10*0.875"],
            [None, "满意度指标", "服务对象满意度指标", "学生满意度", "≥90%", "95%", 60, 59]]
    ev = read_workbook(annex1(tmp_path / "f2.xlsx", indicators=inds,
                              total=["总分", None, None, None, None, None, 100, "=SUM(H10:H11)"]))
    [f] = [f for f in ev.findings if f.rule == "formula-not-calculated"]
    assert (f.severity, f.cell) == ("warning", "自评表!H10")
    assert f.message.startswith("单元格自评表!H10等2处是公式，但文件中没有计算结果")


# --- the recognition record of the rows --------------------------------------------------------------

def test_row_roles_name_sheet_rows_and_join_line_breaks(tmp_path):
    """The 识别记录 of a 廊坊 table with a name typed over two lines (Alt+Enter: "工程资金⏎金额"), an
    untouched "指标2：", last year's row "上年⏎工程量" hidden (row 12) and the 总分: one entry per row,
    by the sheet's own row number and the 三级指标 cell, the texts without the line breaks."""
    inds = [[None, "产出指标", "数量指标", "工程资金\n金额", 43.2, 37.24, 40, 35],
            [None, None, None, "指标2："],
            [None, None, "质量指标", "上年\n工程量", 1000, 1000, 10, 10],
            [None, "满意度指标", "服务对象满意度指标", "学生满意度", "≥90%", "95%", 60, 59]]
    ev = read_workbook(hide_rows(annex1(tmp_path / "rec.xlsx", indicators=inds), 12))
    assert ev.recognition.rows == [
        {"row": 10, "cell": "自评表!D10", "role": "indicator", "text": "工程资金金额"},
        {"row": 11, "cell": "自评表!D11", "role": "placeholder", "text": "指标2："},
        {"row": 12, "cell": "自评表!D12", "role": "hidden", "text": "上年工程量"},
        {"row": 13, "cell": "自评表!D13", "role": "indicator", "text": "学生满意度"},
        {"row": 14, "cell": "自评表!D14", "role": "total", "text": "总分"}]
    assert names(ev) == ["工程资金金额", "学生满意度"]


def test_a_formula_edited_in_the_template_file_is_found(tmp_path, template):
    """A clerk replaces the template's protected 执行率 formula in L5 by a shorter "=ROUND(I5/G5,2)":
    the file on disk is opened for its formulas (the checksum covers them), so the edit is a
    template-altered error naming L5 — reading by openpyxl is reading a file, not a live workbook."""
    wb = openpyxl.load_workbook(template)
    wb["项目支出绩效自评表"]["L5"] = "=ROUND(I5/G5,2)"
    wb.save(tmp_path / "edited.xlsx")
    ev = read_workbook(tmp_path / "edited.xlsx")
    [f] = [f for f in ev.findings if f.rule == "template-altered"]
    assert (f.severity, f.cell) == ("error", "_meta!A1")
    assert "受保护单元格 L5的公式或文字与模板不同" in f.message


def test_a_sheet_per_project_reads_funds_from_its_own_sheet(tmp_path):
    """A workbook with one 附件1 sheet per project (暖通改造 with its 项目资金 block 43.2 / 37.24 万元,
    得分 9; 设备购置 whose clerk has not typed the funds yet): ``read_workbook_all`` gives two
    Evaluations, and 设备购置 does not borrow 暖通改造's funds — it has none, and says so."""
    a = [["项目支出绩效自评表"], ["项目名称", "办公宿舍楼、食堂及餐厅暖通改造经费"],
         ["项目资金（万元）", None, "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"],
         [None, "年度资金总额", 43.2, 43.2, 37.24, 10, 0.86, 9],
         ANNEX_HEADER,
         [None, "产出指标", "数量指标", "工程资金金额", 43.2, 37.24, 90, 85],
         ["总分", None, None, None, None, None, 100, 94]]
    b = [["项目支出绩效自评表"], ["项目名称", "食堂设备购置"],
         ANNEX_HEADER,
         [None, "产出指标", "数量指标", "设备数量", "12台", "12台", 60, 60],
         [None, "满意度指标", "服务对象满意度指标", "师生满意度", "≥90%", "95%", 40, 40],
         ["总分", None, None, None, None, None, 100, 100]]
    first, second = read_workbook_all(pt.write_book(tmp_path / "two.xlsx", {"暖通改造": a, "设备购置": b}))
    assert (first.sheet, first.budget.executed, first.budget.score) == ("暖通改造", D("37.24"), D(9))
    assert (second.sheet, second.project.name, names(second)) == ("设备购置", "食堂设备购置", ["设备数量", "师生满意度"])
    assert (second.budget.executed, second.budget.score) == (None, None)
    assert [(f.rule, f.cell) for f in second.findings] == [("column-not-recognised", "设备购置!D3")]


def test_no_table_anywhere_names_the_sheets_looked_at(tmp_path):
    """A workbook of a 说明 sheet and a 资金明细 sheet (no 三级指标/分值 header): refused, naming both
    sheets looked at."""
    path = pt.write_book(tmp_path / "none.xlsx", {"说明": [["填表说明：金额单位为万元"]],
                                                  "资金明细": [["项目", "金额"], ["设备购置", 12]]})
    with pytest.raises(ReadError) as err:
        read_workbook(path)
    assert err.value.message.endswith("（已查看：说明、资金明细）")


# --- indicator rows ----------------------------------------------------------------------------------

def test_the_weight_column_wins_over_points_in_the_name(tmp_path):
    """"工程资金金额（10分）" kept from last year's name while its 分值 cell says 40 this year: the
    分值 column is the weight (40); the points in a name only stand in for a blank 分值 cell. The
    name is read without its note."""
    inds = [[None, "产出指标", "数量指标", "工程资金金额（10分）", 43.2, 37.24, 40, 35],
            [None, "满意度指标", "服务对象满意度指标", "学生满意度", "≥90%", "95%", 60, 59]]
    ev = read_workbook(annex1(tmp_path / "both.xlsx", indicators=inds))
    assert [(i.name, i.weight) for i in ev.indicators] == [("工程资金金额", D(40)), ("学生满意度", D(60))]


def test_a_direction_without_a_nature_is_still_read(tmp_path):
    """大英县司法局 安可替代 (``published_tables.daying_direction``, dyxrmt.cn) with the cost line's
    指标性质 left blank and only its 指标方向 "小于等于" typed: the direction is 反向 and the target
    "≤30万元" (30 in the 年度指标值, 万元 in the 计量单位) — a blank 指标性质 does not drop the 指标方向."""
    path = pt.daying_direction(tmp_path / "daying.xlsx")
    wb = openpyxl.load_workbook(path)
    wb["自评表"]["D8"] = None
    wb.save(path)
    cost = read_workbook(path).indicators[0]
    assert (cost.name, cost.direction, cost.target, cost.actual) == ("成本控制数", "反向", "≤30万元", "28万元")


def test_thirty_blank_rows_end_a_table_without_a_total_row(tmp_path):
    """The 廊坊 table with no 总分 row, then 35 blank rows and, far below, a scratch copy of last
    year's "上年工程资金金额" line: the blank run ends the table — two indicators, and the total is
    the sum of the stated scores 9 + 45 + 49 = 103 (funds part included), the scratch line not in it."""
    inds = ([[None, "产出指标", "数量指标", "工程资金金额", 43.2, 37.24, 50, 45],
             [None, "满意度指标", "服务对象满意度指标", "学生满意度", "≥90%", "95%", 50, 49]] + [[]] * 35
            + [[None, "产出指标", "数量指标", "上年工程资金金额", 40, 38, 40, 36]])
    ev = read_workbook(annex1(tmp_path / "blank.xlsx", indicators=inds, total=[]))
    assert names(ev) == ["工程资金金额", "学生满意度"]
    assert (ev.total_score, ev.extra["total_score_source"]) == (D(103), "sum-of-scores")


def test_indicator_cells_are_on_its_own_row(tmp_path):
    """Each indicator's cells are the row it was read from: 工程验收合格率 on row 11 of the 廊坊
    table — D11 name, E11 target, F11 actual, G11 分值, H11 得分, I11 偏差原因 (一级/二级 not kept)."""
    ind = read_workbook(annex1(tmp_path / "c.xlsx")).indicators[1]
    assert (ind.name, ind.cell) == ("工程验收合格率", "自评表!D11")
    assert ind.cells == {"name": "自评表!D11", "target": "自评表!E11", "actual": "自评表!F11",
                         "weight": "自评表!G11", "score": "自评表!H11", "reason": "自评表!I11"}


def test_the_execution_rate_line_keeps_its_reason(tmp_path):
    """No 项目资金 block; the "预算执行率" line (86.2 %) says why in its 偏差原因 cell — "剩余3%尾款未付"
    (廊坊's published reason): that is the budget's reason, at I7, for the low-execution check."""
    inds = [[None, "预算执行", None, "预算执行率", "100%", "86.2%", 10, 8.62, "剩余3%尾款未付"],
            [None, "产出指标", "数量指标", "工程资金金额", 43.2, 37.24, 90, 85]]
    ev = read_workbook(annex1(tmp_path / "line.xlsx", funds=[], indicators=inds,
                              total=["总分", None, None, None, None, None, 100, 93.62]))
    assert (ev.budget.reason, ev.budget.cells["reason"]) == ("剩余3%尾款未付", "自评表!I7")
    assert (ev.extra["budget_indicator_cell"], ev.extra["budget_level1"]) == ("自评表!D7", "预算执行")


def test_a_duplicate_execution_rate_line_without_a_reason_adds_none(tmp_path):
    """The funds block weights 预算执行率 and the table repeats it with its 偏差原因 cell empty: there
    is no reason to keep from it (no ``budget_row_reason``, the budget still has none)."""
    inds = [[None, "预算执行", None, "预算执行率", "100%", "86%", 10, 9],
            [None, "产出指标", "数量指标", "工程资金金额", 43.2, 37.24, 90, 85]]
    ev = read_workbook(annex1(tmp_path / "dup.xlsx", indicators=inds))
    assert "budget_row_reason" not in ev.extra and ev.budget.reason is None
    assert ev.extra["budget_indicator_cell"] == "自评表!D10"


# --- the 评价等级 -----------------------------------------------------------------------------------

def test_the_grade_is_right_of_its_label_not_left(tmp_path):
    """The signature row under the 总分 "项目负责人 | 张三 | 评价等级 | 优": the grade is 优, right of
    the 评价等级 label (D15) — not 张三, the name left of it."""
    path = annex1(tmp_path / "gr.xlsx")
    wb = openpyxl.load_workbook(path)
    wb["自评表"].append(["项目负责人", "张三", "评价等级", "优"])
    wb.save(path)
    ev = read_workbook(path)
    assert (ev.grade, ev.cells["grade"]) == ("优", "自评表!D15")


# --- which line is the funds part ---------------------------------------------------------------------

def test_an_execution_rate_set_as_an_output_indicator_stays_an_indicator(tmp_path):
    """A unit that set "预算执行率 ≥90%" as a 时效指标 under 产出指标 (besides its 项目资金 block, 10
    分): under 产出/效益/满意度 that line is an ordinary indicator (分值 10), not the funds part and
    not a duplicate of it."""
    inds = [[None, "产出指标", "数量指标", "工程资金金额", 43.2, 37.24, 40, 35],
            [None, None, "时效指标", "预算执行率", "≥90%", "86.2%", 10, 9.58],
            [None, "满意度指标", "服务对象满意度指标", "学生满意度", "≥90%", "95%", 40, 40]]
    ev = read_workbook(annex1(tmp_path / "t.xlsx", indicators=inds,
                              total=["总分", None, None, None, None, None, 100, 93.58]))
    assert [(i.name, i.level1, i.level2, i.weight) for i in ev.indicators][1] == ("预算执行率", "产出指标", "时效指标", D(10))
    assert ev.findings == []
    assert (ev.budget.weight, ev.budget.score) == (D(10), D(9))       # the 项目资金 block's


def test_an_execution_rate_line_without_a_level1_is_the_funds_part(tmp_path):
    """No 项目资金 block; "预算执行率" typed in the 三级指标 column of the first line, 一级/二级 left
    blank: the name alone makes it the funds part (分值 10, rate 86.2 %), not an indicator."""
    inds = [[None, None, None, "预算执行率", "100%", "86.2%", 10, 8.62],
            [None, "产出指标", "数量指标", "工程资金金额", 43.2, 37.24, 90, 85]]
    ev = read_workbook(annex1(tmp_path / "n.xlsx", funds=[], indicators=inds,
                              total=["总分", None, None, None, None, None, 100, 93.62]))
    assert names(ev) == ["工程资金金额"]
    assert (ev.budget.weight, ev.budget.score, ev.budget.rate) == (D(10), D("8.62"), D("0.862"))


def test_a_reason_starting_like_a_note_on_an_unscored_line_is_no_footer(tmp_path):
    """工程资金金额 not yet scored (分值 40, 得分 blank) whose 偏差原因 starts "说明：剩余3%尾款未付…"
    (廊坊's published reason, with the 说明： a clerk types): a row with a 分值 is never the 注/说明
    lines under the table, so the table goes on — 学生满意度 below it is read too."""
    inds = [[None, "产出指标", "数量指标", "工程资金金额", 43.2, 37.24, 40, None,
             "说明：剩余3%尾款未付，且最高限价低于预算金额。"],
            [None, "满意度指标", "服务对象满意度指标", "学生满意度", "≥90%", "95%", 60, 59]]
    ev = read_workbook(annex1(tmp_path / "note.xlsx", indicators=inds,
                              total=["总分", None, None, None, None, None, 100, 59]))
    assert [(i.name, i.weight, i.score) for i in ev.indicators] == [("工程资金金额", D(40), None), ("学生满意度", D(60), D(59))]
    assert ev.total_score == D(59)


def test_another_sheet_of_a_template_is_read_by_its_headers(tmp_path, template):
    """A clerk copies the template's 自评表 to a sheet "副本" and asks for that sheet: it is read by its
    headers, not by the template's defined names — and its headers carry 指标性质 and 度量单位, the
    markers of the 四川 layout (layouts/sichuan.json), so that is its layout (a template id is
    only put in place of "generic")."""
    wb = openpyxl.load_workbook(template)
    wb.copy_worksheet(wb["项目支出绩效自评表"]).title = "副本"
    wb.save(tmp_path / "copy.xlsx")
    ev = read_workbook(tmp_path / "copy.xlsx", sheet="副本")
    assert (ev.sheet, ev.layout) == ("副本", "sichuan")
    assert "template" not in ev.extra and len(ev.indicators) == 7


def test_an_execution_rate_typed_as_a_percent_cell(tmp_path):
    """The "预算执行率" line with 实际完成值 typed as 0.862 in a cell formatted 0.0% (shown 86.2%), as
    Excel users type percentages: the budget's rate is 86.2 %, from F7. The same 0.862 in a General
    cell is not known to be a percentage — no rate is guessed, and the missing funds are said."""
    inds = [[None, "预算执行", None, "预算执行率", 1, 0.862, 10, 8.62],
            [None, "产出指标", "数量指标", "工程资金金额", "43.2万元", "37.24万元", 90, 85]]
    total = ["总分", None, None, None, None, None, 100, 93.62]
    ev = read_workbook(annex1(tmp_path / "pct.xlsx", funds=[], indicators=inds, total=total,
                              formats={"E7": "0%", "F7": "0.0%"}))
    assert (ev.budget.rate, ev.budget.cells["rate"]) == (D("0.862"), "自评表!F7")
    assert [(i.target, i.actual) for i in ev.indicators] == [("43.2万元", "37.24万元")]
    ev = read_workbook(annex1(tmp_path / "general.xlsx", funds=[], indicators=inds, total=total))
    assert ev.budget.rate is None
    assert [(f.rule, f.severity) for f in ev.findings] == [("column-not-recognised", "warning")]


def test_a_nature_sign_joins_only_a_bare_number_target(tmp_path):
    """红河州 数据发展中心's lines (``published_tables.honghe_yunnan``) typed with 指标性质 "≥" and the
    comparator written again in the target cell ("≥95%"), and 展区运维数量 whose 年度指标值 is still
    blank: the sign is put before a bare number only — "≥95%" stays "≥95%", a blank target stays
    blank (never "≥None"); "定性" with "效果明显" keeps its text."""
    header = [None, "一级指标", "二级指标", "三级指标", "指标性质", "年度指标值", "度量单位", "实际完成值", "分值", "得分"]
    inds = [[None, "产出指标", "质量指标", "设备正常运行率", "≥", "≥95%", "%", "98%", 40, 40],
            [None, None, "数量指标", "展区运维数量", "≥", None, "个", 28, 30, 30],
            [None, "效益指标", "社会效益指标", "展示数字化建设成果", "定性", "效果明显", None, "达成预期指标", 30, 30]]
    ev = read_workbook(annex1(tmp_path / "nt.xlsx", header=header, indicators=inds,
                              total=["总分", None, None, None, None, None, None, None, 100, 100]))
    assert [(i.direction, i.target, i.actual) for i in ev.indicators] == [
        ("正向", "≥95%", "98%"), ("正向", None, "28个"), ("定性", "效果明显", "达成预期指标")]


def test_indicator_notes_only_from_an_explanation_column(tmp_path):
    """A 指标解释 column (seed 001's 计分表 prints one) is kept per indicator, keyed by its cell; the
    plain 廊坊 table has neither 指标解释 nor 评分标准, so no notes are recorded at all (not an
    empty entry per indicator)."""
    assert "indicator_notes" not in read_workbook(annex1(tmp_path / "plain.xlsx")).extra
    header = [None, "一级指标", "二级指标", "三级指标", "指标解释", "年度指标值", "实际完成值", "分值", "得分"]
    inds = [[None, "产出指标", "数量指标", "工程资金金额", "反映项目资金的使用规模", 43.2, 37.24, 40, 35],
            [None, "满意度指标", "服务对象满意度指标", "学生满意度", "反映学生的满意程度", "≥90%", "95%", 60, 59]]
    ev = read_workbook(annex1(tmp_path / "ex.xlsx", header=header, indicators=inds,
                              total=["总分", None, None, None, None, None, None, 100, 94]))
    assert ev.extra["indicator_notes"] == {"自评表!D10": {"explain": "反映项目资金的使用规模"},
                                           "自评表!D11": {"explain": "反映学生的满意程度"}}


def test_a_line_under_the_funds_level1_is_the_funds_part(tmp_path):
    """No 项目资金 block; the table's own 一级 "项目资金" holds one line named just "执行率" (86.2 %,
    分值 10, 得分 8.62): the 一级 makes it the funds part though the name is not "预算执行率"."""
    inds = [[None, "项目资金", None, "执行率", "100%", "86.2%", 10, 8.62],
            [None, "产出指标", "数量指标", "工程资金金额", 43.2, 37.24, 90, 85]]
    ev = read_workbook(annex1(tmp_path / "lv.xlsx", funds=[], indicators=inds,
                              total=["总分", None, None, None, None, None, 100, 93.62]))
    assert names(ev) == ["工程资金金额"]
    assert (ev.budget.weight, ev.budget.score, ev.budget.rate) == (D(10), D("8.62"), D("0.862"))
    assert ev.extra["budget_level1"] == "项目资金"


def test_a_qualitative_number_target_takes_the_unit_column_like_its_actual(tmp_path):
    """学生满意度 set as "定性" with 年度指标值 90, 度量单位 "%", 实际完成值 85 (the 四川/云南 form's
    columns): the 度量单位 joins the target as it joins the actual — "90%" against "85%" (the target
    was left a bare "90" beside "85%"); no comparator is put before a 定性 target."""
    header = [None, "一级指标", "二级指标", "三级指标", "指标性质", "年度指标值", "度量单位", "实际完成值", "分值", "得分"]
    inds = [[None, "满意度指标", "服务对象满意度指标", "学生满意度", "定性", 90, "%", 85, 100, 95]]
    ev = read_workbook(annex1(tmp_path / "q.xlsx", header=header, indicators=inds,
                              total=["总分", None, None, None, None, None, None, None, 100, 95]))
    ind = ev.indicators[0]
    assert (ind.direction, ind.target, ind.actual, ind.unit) == ("定性", "90%", "85%", "%")


def test_the_last_category_total_before_the_tables_total_is_a_subtotal(tmp_path):
    """Category 合计 rows typed in the 三级指标 column (一级 cells blank, not merged), one after each
    一级指标, and the table's 总分 row last (廊坊 附件1 form, category totals added the way some
    units add them): the last category's 合计 (满意度 10 / 10) is that category's subtotal too — the
    table's total is the 总分 row, 100 / 94 (40 + 20 + 20 + 10 分值 plus the funds' 10; 35 + 20 + 20 +
    10 + 9 得分). It was taken for the table's total (10 / 10) and the 总分 row ignored."""
    inds = [[None, "产出指标", "数量指标", "工程资金金额", 43.2, 37.24, 40, 35],
            [None, None, "质量指标", "工程验收合格率", "100%", "100%", 20, 20],
            [None, None, None, "合计", None, None, 60, 55],
            [None, "效益指标", "社会效益指标", "学校发展能力", "明显提升", "明显提升", 20, 20],
            [None, None, None, "合计", None, None, 20, 20],
            [None, "满意度指标", "服务对象满意度指标", "学生满意度", "≥90%", "95%", 10, 10],
            [None, None, None, "合计", None, None, 10, 10]]
    ev = read_workbook(annex1(tmp_path / "cats.xlsx", indicators=inds))
    assert names(ev) == ["工程资金金额", "工程验收合格率", "学校发展能力", "学生满意度"]
    assert (ev.weights_total, ev.total_score) == (D(100), D(94))
    assert ev.extra["total_row"] == "自评表!D17"
    assert len(ev.extra["subtotals"]) == 3
    assert roles(ev)[-1] == ("total", "总分")


def test_a_project_stacked_right_under_the_total_is_another_table(tmp_path):
    """As the stacked test above, without a blank row or title between the first table's 合计 (D12)
    and the second project's 项目名称 row: that row alone ends the first table — 100 / 94 as there,
    and the second project's 设备数量 is not read into the first."""
    inds = [*_FIRST_PROJECT, *_SECOND_PROJECT]
    ev = read_workbook(annex1(tmp_path / "two.xlsx", indicators=inds,
                              total=[None, None, None, "合计", None, None, 100, 100]))
    assert names(ev) == ["工程资金金额", "学生满意度"]
    assert (ev.weights_total, ev.total_score) == (D(100), D(94))
    assert "subtotals" not in ev.extra


def test_a_total_in_the_level1_column_ends_the_table_even_with_a_table_under_it(tmp_path):
    """总分 typed in column A (left of the 一级指标 column, A14) is the table's total whatever follows:
    another project's table pasted under it (its title and header, no 项目名称 row) does not make
    it a category subtotal — 100 / 94, and 设备数量 is not read into this table."""
    inds = [[None, "产出指标", "数量指标", "工程资金金额", 43.2, 37.24, 40, 35],
            [None, None, "质量指标", "工程验收合格率", "100%", "100%", 20, 20],
            [None, "效益指标", "社会效益指标", "学校发展能力", "明显提升", "明显提升", 20, 20],
            [None, "满意度指标", "服务对象满意度指标", "学生满意度", "≥90%", "95%", 10, 10],
            ["总分", None, None, None, None, None, 100, 94],
            ["项目支出绩效自评表"], ANNEX_HEADER,
            [None, "产出指标", "数量指标", "设备数量", "12台", "12台", 60, 60]]
    ev = read_workbook(annex1(tmp_path / "under.xlsx", indicators=inds,
                              total=[None, None, None, "合计", None, None, 60, 60]))
    assert names(ev) == ["工程资金金额", "工程验收合格率", "学校发展能力", "学生满意度"]
    assert (ev.weights_total, ev.total_score) == (D(100), D(94))
    assert roles(ev)[-1] == ("total", "总分")


def test_a_merged_category_total_right_above_the_tables_total_is_its_subtotal(tmp_path):
    """Only the last 一级指标 closes with a 合计 (D14), its 一级 cell 满意度指标 merged down over it
    (B13:B14), and the 总分 row right under it: the merge makes the 合计 that category's subtotal
    (10 / 10) although no other category has one — the table's total is the 总分 row, 100 / 94."""
    inds = [[None, "产出指标", "数量指标", "工程资金金额", 43.2, 37.24, 40, 35],
            [None, None, "质量指标", "工程验收合格率", "100%", "100%", 20, 20],
            [None, "效益指标", "社会效益指标", "学校发展能力", "明显提升", "明显提升", 20, 20],
            [None, "满意度指标", "服务对象满意度指标", "学生满意度", "≥90%", "95%", 10, 10],
            [None, None, None, "合计", None, None, 10, 10]]
    ev = read_workbook(annex1(tmp_path / "merged.xlsx", indicators=inds, merges=["B13:B14"]))
    assert (ev.weights_total, ev.total_score) == (D(100), D(94))
    assert len(ev.extra["subtotals"]) == 1
    assert roles(ev)[-1] == ("total", "总分")


def test_a_blank_row_under_a_category_total_does_not_end_the_look_ahead(tmp_path):
    """产出指标's 合计 (D12, 三级 column, 一级 blank) with a blank row under it before 效益指标's rows:
    the rows after the blank still show indicators, so the 合计 is 产出's subtotal (60 / 55) — the
    table's total is the 总分 row, 100 / 94."""
    inds = [[None, "产出指标", "数量指标", "工程资金金额", 43.2, 37.24, 40, 35],
            [None, None, "质量指标", "工程验收合格率", "100%", "100%", 20, 20],
            [None, None, None, "合计", None, None, 60, 55],
            [],
            [None, "效益指标", "社会效益指标", "学校发展能力", "明显提升", "明显提升", 20, 20],
            [None, "满意度指标", "服务对象满意度指标", "学生满意度", "≥90%", "95%", 10, 10]]
    ev = read_workbook(annex1(tmp_path / "gap.xlsx", indicators=inds))
    assert (ev.weights_total, ev.total_score) == (D(100), D(94))
    assert names(ev) == ["工程资金金额", "工程验收合格率", "学校发展能力", "学生满意度"]
    assert len(ev.extra["subtotals"]) == 1


def test_the_tables_total_after_category_xiaoji_rows_stays_the_total(tmp_path):
    """Categories closed by "产出指标小计" / "效益指标小计" rows, then the table's 合计 (D16: 90 / 85 —
    the indicators' 40 + 20 + 20 + 10 分值, 35 + 20 + 20 + 10 得分) and a 总得分 row under it: a 合计
    after 小计s is no category's subtotal (only one after category 合计s is) — it stays the table's
    total, 90 / 85, with no subtotal-mismatch made up for it."""
    inds = [[None, "产出指标", "数量指标", "工程资金金额", 43.2, 37.24, 40, 35],
            [None, None, "质量指标", "工程验收合格率", "100%", "100%", 20, 20],
            [None, None, None, "产出指标小计", None, None, 60, 55],
            [None, "效益指标", "社会效益指标", "学校发展能力", "明显提升", "明显提升", 20, 20],
            [None, None, None, "效益指标小计", None, None, 20, 20],
            [None, "满意度指标", "服务对象满意度指标", "学生满意度", "≥90%", "95%", 10, 10],
            [None, None, None, "合计", None, None, 90, 85]]
    ev = read_workbook(annex1(tmp_path / "xiaoji.xlsx", indicators=inds,
                              total=["总得分", None, None, None, None, None, None, 94]))
    assert ev.extra["total_row"] == "自评表!D16"
    assert (ev.weights_total, ev.total_score) == (D(90), D(85))
    assert roles(ev)[-1] == ("total", "合计")
