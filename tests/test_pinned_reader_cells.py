"""Pins on single cells and on what the whole-workbook reader says (``reader/cells.py``,
``reader/workbook.py``, issue #18): a cell shown as Excel shows it, figures past 10¹⁵, header
spellings, hidden rows, never-calculated formulas, missing columns. Tables are the 附件1 form as
廊坊市食品工程学校 published it (``tests/pinned_reader_tables.py``) unless a test names another.
"""

from __future__ import annotations

from decimal import Decimal

import openpyxl

from tests import published_tables as pt
from tests.pinned_reader_tables import annex1
from workbook_templates.grid import Grid
from workbook_templates.reader import read_grids, read_workbook, read_workbook_all

D = Decimal


def findings(ev, rule: str) -> list[tuple[str, str | None, str]]:
    return [(f.severity, f.cell, f.message) for f in ev.findings if f.rule == rule]


def test_a_yes_no_cell_reads_as_shown(tmp_path):
    """湖北工程学院's 过程指标 "评审程序是否公正" (published_tables.hubei_student_aid) answered with a
    TRUE cell (Excel shows TRUE typed into a cell as a boolean): the actual reads 是; FALSE reads 否."""
    inds = [[None, "产出指标", "过程指标", "评审程序是否公正", "是", True, 50, 50],
            [None, None, None, "是否存在违规发放", "否", False, 50, 50]]
    ev = read_workbook(annex1(tmp_path / "b.xlsx", indicators=inds,
                              total=["总分", None, None, None, None, None, 100, 100]))
    assert [i.actual for i in ev.indicators] == ["是", "否"]


def test_a_sixteen_digit_figure_is_not_an_amount(tmp_path):
    """An ID number (1234567890123456, 16 digits, ≥ 10¹⁵) typed as a number into 全年执行数: no
    budget or score is that large — an unreadable-number error at E7, and no 执行数."""
    funds = [["项目资金（万元）", None, "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"],
             [None, "年度资金总额", 43.2, 43.2, 1234567890123456, 10, 0.862, 9]]
    ev = read_workbook(annex1(tmp_path / "id.xlsx", funds=funds))
    assert ev.budget.executed is None
    assert [(s, c) for s, c, _ in findings(ev, "unreadable-number")] == [("error", "自评表!E7")]


def test_funds_headers_with_a_unit_tail(tmp_path):
    """Funds headers written "年初预算数/万元", "全年预算数/万元", "全年执行数/万元" (the unit after a
    slash) are the three amount columns: 43.2 / 43.2 / 37.24."""
    funds = [["项目资金", None, "年初预算数/万元", "全年预算数/万元", "全年执行数/万元", "分值", "执行率", "得分"],
             [None, "年度资金总额", 43.2, 43.2, 37.24, 10, 0.862, 9]]
    ev = read_workbook(annex1(tmp_path / "slash.xlsx", funds=funds))
    assert (ev.budget.initial, ev.budget.adjusted, ev.budget.executed) == (D("43.2"), D("43.2"), D("37.24"))


def test_one_hidden_row_is_said_with_its_cell(tmp_path):
    """One old indicator row hidden (not deleted) in the 廊坊 table: it is not read, and one info
    finding names it — "跳过了 1 行隐藏行（第一行在 自评表!D11）"."""
    inds = [[None, "产出指标", "数量指标", "工程资金金额", 43.2, 37.24, 50, 45],
            [None, None, None, "上年工程量", "100平方米", "100平方米", 10, 10],
            [None, "满意度指标", "服务对象满意度指标", "学生满意度", "≥90%", "95%", 50, 49]]
    path = annex1(tmp_path / "hid.xlsx", indicators=inds)
    wb = openpyxl.load_workbook(path)
    wb["自评表"].row_dimensions[11].hidden = True
    wb.save(path)
    ev = read_workbook(path)
    assert [i.name for i in ev.indicators] == ["工程资金金额", "学生满意度"]
    [(sev, cell, msg)] = findings(ev, "hidden-rows-skipped")
    assert (sev, cell) == ("info", "自评表!D11") and "跳过了 1 行隐藏行（第一行在 自评表!D11）" in msg


def test_a_single_uncalculated_formula_is_named_alone(tmp_path):
    """A 得分 typed as a formula (=G10*0.9) in a file never calculated by Excel/WPS (openpyxl writes
    no cached value): one formula-not-calculated warning naming that one cell — no "等n处"."""
    inds = [[None, "产出指标", "数量指标", "工程资金金额", 43.2, 37.24, 50, "=G10*0.9"],
            [None, "满意度指标", "服务对象满意度指标", "学生满意度", "≥90%", "95%", 50, 49]]
    ev = read_workbook(annex1(tmp_path / "f.xlsx", indicators=inds))
    [(sev, cell, msg)] = findings(ev, "formula-not-calculated")
    assert (sev, cell) == ("warning", "自评表!H10")
    assert msg.startswith("单元格自评表!H10是公式，") and "等" not in msg.split("，")[0]


def test_calculated_formulas_are_read_silently():
    """A live workbook (what the add-in reads through xlwings: every formula calculated) whose 得分
    cells are formulas with values: read as the values, no formula-not-calculated warning."""
    rows = [["项目名称", "暖通改造"],
            ["三级指标", "年度指标值", "实际完成值", "分值", "得分"],
            ["工程资金金额", 43.2, 37.24, 50, 45],
            ["学生满意度", "≥90%", "95%", 50, 49],
            ["总分", None, None, 100, 94]]
    g = Grid("自评表", rows, formulas={(2, 4): "=D3*0.9", (4, 4): "=SUM(E3:E4)"})
    ev = read_grids([g])
    assert [i.score for i in ev.indicators] == [D(45), D(49)] and ev.total_score == D(94)
    assert findings(ev, "formula-not-calculated") == []


def test_missing_columns_say_what_cannot_be_done(tmp_path):
    """宁晋县教育局's 指标表 (published_tables.ningjin_no_actual) has no 实际完成值 and no 得分 column:
    the missing actual is an error ("规则无法计分"), the missing 得分 a warning ("无法核对得分与总分")."""
    ev = read_workbook(pt.ningjin_no_actual(tmp_path / "nj.xlsx"))
    missing = {m["field"] for m in ev.recognition.missing}
    assert {"actual", "score"} <= missing
    by_label = {msg.split("”")[0]: (sev, msg) for sev, _, msg in findings(ev, "column-not-recognised")}
    sev, msg = by_label["未识别出“实际完成值"]
    assert sev == "error" and "规则无法计分" in msg
    sev, msg = by_label["未识别出“得分"]
    assert sev == "warning" and "无法核对得分与总分" in msg


def test_every_table_of_a_pair_reads_its_funds_sheet(tmp_path):
    """Seed 004's pair read table by table (``read_workbook_all``, as consolidate does): the one
    自评表 takes its funds from the 预算执行情况表 sheet beside it (全年执行 1521.57)."""
    from workbook_templates.samples import write_sample

    evs = read_workbook_all(write_sample("seed004", tmp_path / "s4.xlsx"))
    assert len(evs) == 1
    assert evs[0].budget.executed == D("1521.57")


def test_figures_of_exactly_ten_to_the_fifteen_are_too_large(tmp_path):
    """The bound is "10¹⁵ or more" either way: 年初预算数 −1000000000000000 (C7) and 全年执行数
    1000000000000000 (E7) are both unreadable-number errors."""
    funds = [["项目资金（万元）", None, "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"],
             [None, "年度资金总额", -1000000000000000, 43.2, 1000000000000000, 10, 0.862, 9]]
    ev = read_workbook(annex1(tmp_path / "e15.xlsx", funds=funds))
    assert [(s, c) for s, c, _ in findings(ev, "unreadable-number")] == [("error", "自评表!C7"), ("error", "自评表!E7")]
    assert (ev.budget.initial, ev.budget.executed) == (None, None)


def test_a_low_execution_rate_typed_as_percent_points(tmp_path):
    """执行率 typed 2.5 on the 年度资金总额 row (1.08 of 43.2 万元 spent): 2.5 %, not 250 % — no
    execution rate is 200 % or more, so a figure above 2 is percent points."""
    funds = [["项目资金（万元）", None, "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"],
             [None, "年度资金总额", 43.2, 43.2, 1.08, 10, 2.5, 0.25]]
    ev = read_workbook(annex1(tmp_path / "low.xlsx", funds=funds))
    assert ev.budget.rate == D("0.025")


def test_headers_with_required_marks(tmp_path):
    """A form printing required-field marks before its headers ("*三级指标", "*分值", "*得分", as many
    provincial templates do): the marks do not count — the table is read."""
    header = [None, "*一级指标", "*二级指标", "*三级指标", "*年度指标值", "*实际完成值", "*分值", "*得分"]
    ev = read_workbook(annex1(tmp_path / "req.xlsx", header=header))
    assert [i.name for i in ev.indicators][:2] == ["工程资金金额", "工程验收合格率"]
    assert [i.weight for i in ev.indicators] == [D(40), D(20), D(20), D(10)]


def test_a_grid_changed_since_it_was_read_is_read_afresh():
    """The same sheet grid read again after the user merged "预算执行率" across 一级:三级 (A2:C2) —
    the add-in re-reading a workbook the user edited: the first read has no name on that row (a
    placeholder), the second reads the merged label as the budget line (分值 10, 得分 9)."""
    rows = [["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"],
            ["预算执行率", None, None, "100%", "86%", 10, 9],
            ["产出指标", "数量指标", "工程资金金额", 43.2, 37.24, 60, 55],
            ["满意度指标", "服务对象满意度指标", "学生满意度", "≥90%", "95%", 30, 29],
            ["总分", None, None, None, None, 100, 93]]
    g = Grid("自评表", rows)
    first = read_grids([g])
    g.merged.append((1, 0, 1, 2))
    second = read_grids([g])
    assert first.budget.weight is None
    assert (second.budget.weight, second.budget.score) == (D(10), D(9))


def test_a_fully_filled_hidden_row_is_recorded(tmp_path):
    """A table starting in column A whose hidden old row has every cell filled (一级 … 得分): the
    row is left out and recorded as hidden in the recognition record, like any hidden row."""
    rows = [["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"],
            ["产出指标", "数量指标", "工程资金金额", 43.2, 37.24, 50, 45],
            ["产出指标", "数量指标", "上年工程量", "100平方米", "100平方米", 10, 10],
            ["满意度指标", "服务对象满意度指标", "学生满意度", "≥90%", "95%", 50, 49],
            ["总分", None, None, None, None, 100, 94]]
    path = pt.write_book(tmp_path / "hf.xlsx", {"自评表": rows})
    wb = openpyxl.load_workbook(path)
    wb["自评表"].row_dimensions[3].hidden = True
    wb.save(path)
    ev = read_workbook(path)
    assert [i.name for i in ev.indicators] == ["工程资金金额", "学生满意度"]
    assert ("hidden", "上年工程量") in [(r["role"], r["text"]) for r in ev.recognition.rows]
    [(sev, cell, msg)] = findings(ev, "hidden-rows-skipped")        # and said (C3: the name cell)
    assert (sev, cell) == ("info", "自评表!C3") and "跳过了 1 行隐藏行" in msg
