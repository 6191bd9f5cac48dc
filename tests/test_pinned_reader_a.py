"""Pins from the full mutation runs of ``workbook_templates/reader/`` cells, header_map, row_roles,
layout, vocabulary, money and project (issue #18): each test kills a mutant that survived the suite,
with the reading worked out by hand from the table the test builds. Tables are the 财预〔2020〕10号
附件1 form as 廊坊市食品工程学校 published it (2019, http://www.lfsp.cn/newsinfo/1158053.html; see
``tests/pinned_reader_tables.py``) unless a test names another published table.
"""

from __future__ import annotations

from decimal import Decimal

from tests.pinned_reader_tables import annex1, honghe_unmerged
from workbook_templates.grid import Grid
from workbook_templates.reader import read_grids, read_workbook

D = Decimal
FUNDS_HEADER = ["项目资金（万元）", None, "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"]


def findings(ev, rule: str) -> list[tuple[str, str | None, str]]:
    return [(f.severity, f.cell, f.message) for f in ev.findings if f.rule == rule]


# --- cells.py: rates, numbers, cell text -----------------------------------------------------------

def test_an_execution_rate_typed_2_is_two_percent(tmp_path):
    """执行率 typed 2 on the 年度资金总额 row (0.864 of 43.2 万元 spent = 2 %): no execution rate is
    200 % or more, so 2 is percent points — 0.02, not 2 (= 200 %). The bound itself belongs to the
    percent points (it was read as a ratio before: a bug, fixed)."""
    funds = [FUNDS_HEADER, [None, "年度资金总额", 43.2, 43.2, 0.864, 10, 2, 0.2]]
    ev = read_workbook(annex1(tmp_path / "two.xlsx", funds=funds))
    assert ev.budget.rate == D("0.02")


def test_a_negative_rate_in_percent_points(tmp_path):
    """A 上年结转资金 row whose 全年执行数 is negative (−0.25 万元: last year's spending recovered,
    收回以前年度支出, as the books record it) with its 执行率 typed −5 (percent points, of 5 万元):
    −5 % is −0.05 — the percent-point rule goes by the size of the figure, either sign."""
    funds = [FUNDS_HEADER,
             [None, "年度资金总额", 48.2, 48.2, 36.99, 10, 0.767, 8],
             [None, "其中：当年财政拨款", 43.2, 43.2, 37.24, None, 0.862],
             [None, "上年结转资金", 5, 5, -0.25, None, -5]]
    ev = read_workbook(annex1(tmp_path / "neg.xlsx", funds=funds))
    carried = next(row for row in ev.budget.rows if row.label == "上年结转资金")
    assert carried.values["执行率"] == D("-0.05")
    assert carried.values["全年执行数"] == D("-0.25")


def test_an_amount_in_accounting_brackets_is_not_read_as_blank(tmp_path):
    """A funds table pasted from a finance-system export, its cells text: the 上年结转资金 row's 全年执行数
    "(0.25)" (a negative in accounting brackets). It is not a plain number, so it is an
    unreadable-number error at E9 — before, the bracket-tail rule of header matching emptied it and
    it read silently as blank (a bug, fixed); the "—" in 年初预算数 is still a blank."""
    funds = [FUNDS_HEADER,
             [None, "年度资金总额", "48.20", "48.20", "36.99", 10, 0.767, 8],
             [None, "其中：当年财政拨款", "43.20", "43.20", "37.24"],
             [None, "上年结转资金", "—", "5.00", "(0.25)"]]
    ev = read_workbook(annex1(tmp_path / "acct.xlsx", funds=funds))
    [(sev, cell, msg)] = findings(ev, "unreadable-number")
    assert (sev, cell) == ("error", "自评表!E9") and "(0.25)" in msg
    carried = next(row for row in ev.budget.rows if row.label == "上年结转资金")
    assert carried.values["全年执行数"] is None and carried.values["年初预算数"] is None
    assert carried.values["全年预算数"] == D("5.00")


def test_a_completion_typed_with_a_comparator_is_a_ratio(tmp_path):
    """A 完成率 column (as 江西's 评分表 carries one) typed "100%以上" for an indicator done beyond its
    target: the stated 完成率 is 100 % — the ratio 1.00, not the percent number 100."""
    header = [None, "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "完成率", "分值", "得分"]
    inds = [[None, "产出指标", "数量指标", "改造面积", "1200平方米", "1300平方米", "100%以上", 50, 50],
            [None, "满意度指标", "服务对象满意度指标", "学生满意度", "≥90%", "95%", "100%", 50, 50]]
    ev = read_workbook(annex1(tmp_path / "cmp.xlsx", header=header, indicators=inds,
                              total=["总分", None, None, None, None, None, None, 100, 100]))
    assert [i.completion_stated for i in ev.indicators] == [D("1.00"), D("1")]


def test_weights_as_one_digit_percent_shares(tmp_path):
    """分值 given as shares of the 100 points in percent-formatted cells (0.5 / 0.3 / 0.05 / 0.15
    shown 50% / 30% / 5% / 15%, as 四川's 权重 column is often filled): 50, 30, 5 and 15 points —
    the one-digit "5%" too."""
    inds = [[None, "产出指标", "数量指标", "改造面积", "1200平方米", "1200平方米", 0.5, 50],
            [None, None, "质量指标", "工程验收合格率", "100%", "100%", 0.3, 30],
            [None, None, "时效指标", "按期完工率", "100%", "100%", 0.05, 5],
            [None, "满意度指标", "服务对象满意度指标", "学生满意度", "≥90%", "95%", 0.15, 14]]
    ev = read_workbook(annex1(tmp_path / "pct.xlsx", indicators=inds,
                              formats={f"G{r}": "0%" for r in range(10, 14)}))
    assert [i.weight for i in ev.indicators] == [D(50), D(30), D(5), D(15)]


def test_date_and_time_cells_read_as_shown(tmp_path):
    """A 时效指标 "项目完成时间" whose 年度指标值 and 实际完成值 were typed as dates (Excel turns
    2019/11/30 into a date cell) and a "平均响应时间" typed 0:30 (a time cell): the dates read
    "2019-11-30" / "2019-11-20" — no midnight added — and the time as Excel's 0:30, "00:30:00"."""
    import datetime as dt

    inds = [[None, "产出指标", "时效指标", "项目完成时间", dt.datetime(2019, 11, 30), dt.datetime(2019, 11, 20), 50, 50],
            [None, None, None, "平均响应时间", "≤1小时", dt.time(0, 30), 10, 10],
            [None, "满意度指标", "服务对象满意度指标", "学生满意度", "≥90%", "95%", 40, 38]]
    ev = read_workbook(annex1(tmp_path / "dates.xlsx", indicators=inds))
    assert [(i.target, i.actual) for i in ev.indicators[:2]] == [("2019-11-30", "2019-11-20"), ("≤1小时", "00:30:00")]


def test_a_stale_index_of_a_gone_grid_is_not_used():
    """The add-in re-reads a sheet the user edited: the new grid may get the address (``id``) of an
    earlier, freed one whose merged-cell index is still cached. That index is not this grid's: the
    old grid had its 预算执行率 label merged over 一级:三级 (A3:C3) — the budget line, 分值 10; the
    user unmerged it, so row 3 of the new grid has no 三级指标 name and is no budget line."""
    from workbook_templates.reader.cells import _MERGE_CACHE, _GridIndex

    rows = [["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"],
            ["产出指标", "数量指标", "工程资金金额", 43.2, 37.24, 60, 55],
            ["预算执行率", None, None, "100%", "86%", 10, 9],
            ["满意度指标", "服务对象满意度指标", "学生满意度", "≥90%", "95%", 30, 29],
            ["总分", None, None, None, None, 100, 93]]
    old = Grid("自评表", [list(r) for r in rows], merged=[(2, 0, 2, 2)])
    assert read_grids([old]).budget.weight == D(10)
    new = Grid("自评表", [list(r) for r in rows])
    _MERGE_CACHE[id(new)] = _GridIndex(old)         # what a freed grid at the same address leaves
    ev = read_grids([new])
    assert ev.budget.weight is None
    assert [i.name for i in ev.indicators] == ["工程资金金额", "学生满意度"]


# --- cells.py: header keys -----------------------------------------------------------------------

def test_funds_headers_with_the_unit_on_a_second_line(tmp_path):
    """Funds headers typed on two lines in their cells (Alt+Enter): "年初预算数\\n单位：万元" …: the
    unit note is not part of the header — the three amount columns read 43.2 / 43.2 / 37.24."""
    funds = [["项目资金", None, "年初预算数\n单位：万元", "全年预算数\n单位：万元", "全年执行数\n单位：万元",
              "分值", "执行率", "得分"],
             [None, "年度资金总额", 43.2, 43.2, 37.24, 10, 0.862, 9]]
    ev = read_workbook(annex1(tmp_path / "unit2.xlsx", funds=funds))
    assert (ev.budget.initial, ev.budget.adjusted, ev.budget.executed) == (D("43.2"), D("43.2"), D("37.24"))
    assert ev.budget.unit == "万元"


def test_markers_written_before_the_header_words(tmp_path):
    """The (A)/(B) markers of the 中央 form's 预算执行 columns written first ("(A)全年预算数",
    "(B)全年执行数", as the letter labels the column): markers do not count wherever they stand —
    全年预算数 43.2 and 全年执行数 37.24 are read."""
    funds = [["项目资金（万元）", None, "年初预算数", "(A)全年预算数", "(B)全年执行数", "分值", "执行率", "得分"],
             [None, "年度资金总额", 43.2, 43.2, 37.24, 10, 0.862, 9]]
    ev = read_workbook(annex1(tmp_path / "mark.xlsx", funds=funds))
    assert (ev.budget.adjusted, ev.budget.executed) == (D("43.2"), D("37.24"))



# --- header_map.py --------------------------------------------------------------------------------

SEED001_HEADER = ["一级指标", "二级指标", "三级指标", "自评分", "指标解释", "指标说明"]
SEED001_DECISION = [
    ["决  策（20分）", "预算支出决策（项目立项）（8分）", "预算支出决策（项目立项）依据充分性（4分）", 4,
     "预算支出决策（项目立项）是否符合法律法规、相关政策、发展规划以及部门职责", "评价要点：①决策（立项）是否符合国家相关法律法规"],
    [None, None, "决策(立项）程序规范性(4分)", 4, "预算支出申请、设立过程是否符合相关要求", "评价要点：①预算支出是否按照规定的程序申请设立"],
    [None, "绩效目标（6分）", "绩效目标合理性（3分）", 3, "预算支出所设定的绩效目标是否依据充分", "评价要点："],
    [None, None, "绩效指标明确性（3分）", 3, "依据绩效目标设定的绩效指标是否清晰、细化、可衡量", "评价要点："],
    [None, "资金投入（6分）", "预算编制科学性（3分）", 3, "预算编制是否经过科学论证、有明确标准", "评价要点："],
    [None, None, "资金分配合理性（3分）", 3, "预算资金分配是否有测算依据", "评价要点："],
]


def test_points_written_into_the_names_of_a_table_without_weights(tmp_path):
    """Seed 001's published 计分表 (湖南 2021 医疗救助补助资金, 决策 part): 一级 | 二级 | 三级指标 |
    自评分 | 指标解释 | 指标说明 — no 分值 column, the points in the names ("…依据充分性（4分）"). The
    table is found by those points, and each indicator's 分值 is the one its name carries (4, 4, 3,
    3, 3, 3), the name read without it."""
    from tests import published_tables as pt

    path = pt.write_book(tmp_path / "s1.xlsx", {"计分表": [["医疗救助补助资金绩效评价计分表"], SEED001_HEADER,
                                                       *SEED001_DECISION]})
    ev = read_workbook(path)
    assert [i.weight for i in ev.indicators] == [D(4), D(4), D(3), D(3), D(3), D(3)]
    assert [i.score for i in ev.indicators] == [D(4), D(4), D(3), D(3), D(3), D(3)]
    assert [i.name for i in ev.indicators][:2] == ["预算支出决策（项目立项）依据充分性", "决策(立项）程序规范性"]


def test_a_table_without_weights_or_points_in_its_names_is_no_scorable_table(tmp_path):
    """The 附件1 table with its 分值 column deleted and no "（n分）" in the names: no 分值 to score by,
    so the reader finds no 自评表 and says which headers it looked for (分值/权重) — it does not
    read the 得分 column as a table of unweighted indicators."""
    import pytest

    from workbook_templates.errors import ReadError

    header = [None, "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "得分"]
    inds = [[None, "产出指标", "数量指标", "工程资金金额", 43.2, 37.24, 45],
            [None, "满意度指标", "服务对象满意度指标", "学生满意度", "≥90%", "95%", 49]]
    path = annex1(tmp_path / "now.xlsx", header=header, indicators=inds, total=["总分", None, None, None, None, None, 94])
    with pytest.raises(ReadError, match="分值/权重"):
        read_workbook(path)


def test_points_in_names_under_a_blank_row(tmp_path):
    """Seed 001's 计分表 with a blank row left between its header and the first indicator (as
    clerks leave one under a header): the points in the names below still make it the table —
    the blank row holds no name, it does not stop the look at the rows under the header."""
    from tests import published_tables as pt

    path = pt.write_book(tmp_path / "s1b.xlsx", {"计分表": [["医疗救助补助资金绩效评价计分表"], SEED001_HEADER, [],
                                                        *SEED001_DECISION]})
    ev = read_workbook(path)
    assert [i.weight for i in ev.indicators] == [D(4), D(4), D(3), D(3), D(3), D(3)]


def test_a_second_header_row_with_unit_hints_does_not_name_the_fields_above(tmp_path):
    """The 云南 form (红河州数据发展中心, ``published_tables.honghe_yunnan``) typed without merging, its
    second header row giving 指标性质 / 指标值 / 度量单位 under 年度指标值 and the unit "（分）" under
    分值 and 得分: the recognition record names 分值 and 得分 at their own headers (H8, I8), not at the
    hints under them, and the 分值 are still read (20, 10, …)."""
    book = honghe_unmerged(tmp_path / "hh.xlsx", {"H9": "（分）", "I9": "（分）"})
    ev = read_workbook(book)
    cells = {c["field"]: (c["cell"], c["header"]) for c in ev.recognition.columns}
    assert cells["weight"] == ("自评表!H8", "分值") and cells["score"] == ("自评表!I8", "得分")
    assert [i.weight for i in ev.indicators][:2] == [D(20), D(10)]


# --- row_roles.py ---------------------------------------------------------------------------------

def test_a_part_with_only_a_weight_is_an_indicator(tmp_path):
    """A "其中：" row with its 分值 (5) filled and its 得分 left blank (not scored yet): it carries
    points, so it is an indicator ("其中：…" *with* 分值, headers.json part_pattern), named without
    "其中：", weight 5 and no score — not a breakdown of the row above."""
    inds = [[None, "产出指标", "数量指标", "改造面积", "1200平方米", "1200平方米", 35, 35],
            [None, None, None, "其中：食堂改造面积", "400平方米", "400平方米", 5, None],
            [None, "满意度指标", "服务对象满意度指标", "学生满意度", "≥90%", "95%", 60, 54]]
    ev = read_workbook(annex1(tmp_path / "pw.xlsx", indicators=inds))
    assert [(i.name, i.weight, i.score) for i in ev.indicators] == [
        ("改造面积", D(35), D(35)), ("食堂改造面积", D(5), None), ("学生满意度", D(60), D(54))]


# --- project.py -----------------------------------------------------------------------------------

def test_project_fields_typed_with_their_labels_in_one_cell(tmp_path):
    """The 附件1 head typed as "label：value" in single (merged) cells, as many units fill it:
    "项目名称：办公宿舍楼…", "主管部门：廊坊市发改委", "实施单位：廊坊市食品工程学校（联系人：王老师）".
    Each value is what follows the first "：" — a second colon inside the value stays in it."""
    top = [["附件1"], ["项目支出绩效自评表"], ["（2019年度）"],
           ["项目名称：办公宿舍楼、食堂及餐厅暖通改造经费"],
           ["主管部门：廊坊市发改委", None, None, None, None, "实施单位：廊坊市食品工程学校（联系人：王老师）"]]
    ev = read_workbook(annex1(tmp_path / "inline.xlsx", top=top, merges=["A4:H4", "A5:E5", "F5:H5"]))
    p = ev.project
    assert (p.name, p.cells["name"]) == ("办公宿舍楼、食堂及餐厅暖通改造经费", "自评表!A4")
    assert (p.department, p.cells["department"]) == ("廊坊市发改委", "自评表!A5")
    assert (p.unit, p.cells["unit"]) == ("廊坊市食品工程学校（联系人：王老师）", "自评表!F5")


def test_a_blank_field_keeps_its_place_and_the_fields_after_it_are_read(tmp_path):
    """The 附件1 head with 主管部门 left blank and 实施单位 further along the same row (廊坊's row 5):
    no 主管部门 is taken from a neighbour, its place (B5, right of the label) is kept for the
    checks to name, and the 实施单位 after it on that row is still read (G5)."""
    top = [["附件1"], ["项目支出绩效自评表"], ["（2019年度）"],
           ["项目名称", "办公宿舍楼、食堂及餐厅暖通改造经费"],
           ["主管部门", None, None, None, None, "实施单位", "廊坊市食品工程学校"]]
    ev = read_workbook(annex1(tmp_path / "blankdep.xlsx", top=top))
    p = ev.project
    assert (p.department, p.cells["department"]) == (None, "自评表!B5")
    assert (p.unit, p.cells["unit"]) == ("廊坊市食品工程学校", "自评表!G5")


def test_blank_goal_texts_have_no_place_beside_their_labels(tmp_path):
    """棠溪镇's 年度总体目标 row (预期目标 | … | 实际完成情况, the texts under the labels) with both texts
    left blank: no goal is read, and no cell beside a label is recorded as a goal's place — a goal's
    text goes under its label, not right of it."""
    top = [["附件1"], ["项目支出绩效自评表"], ["（2019年度）"],
           ["项目名称", "办公宿舍楼、食堂及餐厅暖通改造经费"],
           ["年度总体目标", "预期目标", None, None, None, "实际完成情况"],
           [None, None, None, None, None, None]]
    ev = read_workbook(annex1(tmp_path / "blankgoal.xlsx", top=top))
    p = ev.project
    assert (p.goal, p.goal_actual) == (None, None)
    assert "goal" not in p.cells and "goal_actual" not in p.cells


def test_values_right_of_labels_merged_over_two_columns(tmp_path):
    """The 附件1 head with each label merged over two columns (项目名称 A4:B4, 主管部门 A5:B5, as the
    printed form is often laid out) and the values beside them (C4, C5): the blank second cell of a
    merged label is passed over — the values are read at C4 and C5."""
    top = [["附件1"], ["项目支出绩效自评表"], ["（2019年度）"],
           ["项目名称", None, "办公宿舍楼、食堂及餐厅暖通改造经费"],
           ["主管部门", None, "廊坊市发改委", None, None, "实施单位", "廊坊市食品工程学校"]]
    ev = read_workbook(annex1(tmp_path / "m2.xlsx", top=top, merges=["A4:B4", "C4:H4", "A5:B5", "C5:E5"]))
    p = ev.project
    assert (p.name, p.cells["name"]) == ("办公宿舍楼、食堂及餐厅暖通改造经费", "自评表!C4")
    assert (p.department, p.cells["department"]) == ("廊坊市发改委", "自评表!C5")
