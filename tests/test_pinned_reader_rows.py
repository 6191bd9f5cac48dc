"""Pins on what a row of the 自评表 is (``reader/row_roles.py``, issue #18): an indicator, a 其中
part, a row that does not apply, a subtotal, the 总分 row, the lines under the table. Each table is
the 附件1 form as 廊坊市食品工程学校 published it (``tests/pinned_reader_tables.py``) or another
published table the test names; the expected roles, names and points are read off the table built.
"""

from __future__ import annotations

from decimal import Decimal

from tests import published_tables as pt
from tests.pinned_reader_tables import ANNEX_HEADER, annex1, roles
from workbook_templates.reader import read_workbook

D = Decimal
TOTAL = ["总分", None, None, None, None, None, 100, 94]


def names(ev) -> list[str | None]:
    return [i.name for i in ev.indicators]


# --- 其中 rows ------------------------------------------------------------------------------------

def test_parts_without_points_are_breakdowns_and_with_points_indicators(tmp_path):
    """湖北工程学院 学生资助 (published_tables.hubei_student_aid, with_parts): under 资助学生总人数
    (10 分) three "其中：" counts without 分值 are its parts — not indicators, each noted as a part of
    C8 — while "其中：应征入伍学生资助人数" carries 10 分 and is an indicator, named without "其中："."""
    ev = read_workbook(pt.hubei_student_aid(tmp_path / "parts.xlsx", with_parts=True, with_process=False))
    assert names(ev)[:2] == ["资助学生总人数", "应征入伍学生资助人数"]
    parts = [(r["text"], r["cell"], r["of"]) for r in ev.recognition.rows if r["role"] == "part"]
    assert parts == [("其中：国家奖学金人数", "自评表!C9", "自评表!C8"),
                     ("其中：国家励志奖学金人数", "自评表!C10", "自评表!C8"),
                     ("其中：国家助学金人数", "自评表!C11", "自评表!C8")]
    assert ev.indicators[1].weight == D(10)


def test_a_part_with_points_typed_as_text_is_an_indicator(tmp_path):
    """A 其中 row whose 分值 is typed "5分" and 得分 "5分" (text, as a clerk types points) carries
    points: it is an indicator "其中：" stripped, weight 5."""
    inds = [[None, "产出指标", "数量指标", "改造面积", "1200平方米", "1200平方米", 35, 35],
            [None, None, None, "其中：食堂改造面积", "400平方米", "400平方米", "5分", "5分"],
            [None, "满意度指标", "服务对象满意度指标", "学生满意度", "≥90%", "95%", 60, 54]]
    ev = read_workbook(annex1(tmp_path / "p.xlsx", indicators=inds))
    assert names(ev) == ["改造面积", "食堂改造面积", "学生满意度"]
    assert [i.weight for i in ev.indicators] == [D(35), D(5), D(60)]


def test_a_part_with_only_a_score_is_an_indicator(tmp_path):
    """A 其中 row with a 得分 (4) and its 分值 left blank has points: an indicator, not a part (its
    missing 分值 is then the checks' business)."""
    inds = [[None, "产出指标", "数量指标", "改造面积", "1200平方米", "1200平方米", 35, 35],
            [None, None, None, "其中：食堂改造面积", "400平方米", "400平方米", None, 4],
            [None, "满意度指标", "服务对象满意度指标", "学生满意度", "≥90%", "95%", 65, 55]]
    ev = read_workbook(annex1(tmp_path / "p.xlsx", indicators=inds))
    assert names(ev) == ["改造面积", "食堂改造面积", "学生满意度"]
    assert ev.indicators[1].score == D(4)
    assert ev.indicators[1].weight is None


# --- rows that do not apply --------------------------------------------------------------------------

def test_rows_marked_not_applicable(tmp_path):
    """棠溪镇 委托业务 (published_tables.tangxi_annex1) marks an 经济效益 line that does not apply with
    "/"; units also write "不适用", "—", or leave 目标值 blank and mark the rest. Every filled value
    cell a mark → not-applicable; a "/" target beside real points is an indicator."""
    inds = [[None, "产出指标", "数量指标", "工程资金金额", 43.2, 37.24, 40, 35],
            [None, "效益指标", "经济效益指标", "经济效益", "不适用", "不适用", "不适用", "不适用"],
            [None, None, "生态效益指标", "生态效益", None, "—", "—", "—"],
            [None, None, "可持续影响指标", "长期使用性", "/", "/", 20, 20],
            [None, "满意度指标", "服务对象满意度指标", "学生满意度", "≥90%", "95%", 40, 39]]
    ev = read_workbook(annex1(tmp_path / "na.xlsx", indicators=inds))
    assert names(ev) == ["工程资金金额", "长期使用性", "学生满意度"]
    assert [t for role, t in roles(ev) if role == "not-applicable"] == ["经济效益", "生态效益"]


def test_a_named_row_with_nothing_filled_is_an_indicator(tmp_path):
    """A named indicator whose value cells are all blank is not a row that "does not apply" (nothing
    says so): it stays an indicator — its blanks are for the checks to name."""
    inds = [[None, "产出指标", "数量指标", "工程资金金额", 43.2, 37.24, 40, 35],
            [None, None, "质量指标", "工程验收合格率", None, None, None, None],
            [None, "满意度指标", "服务对象满意度指标", "学生满意度", "≥90%", "95%", 60, 59]]
    ev = read_workbook(annex1(tmp_path / "blank.xlsx", indicators=inds))
    assert names(ev) == ["工程资金金额", "工程验收合格率", "学生满意度"]


# --- lines under the table -------------------------------------------------------------------------

def test_notes_and_signatures_under_a_table_without_total(tmp_path):
    """A table without a 总分 row (seed 004's 自评表 has none) followed by "注：…" and "填表人：…"
    lines in the 一级指标 column: the table ends at the note (a footer), no indicator is taken from
    below it — not the 附表 row a unit appended under the signatures."""
    inds = [[None, "产出指标", "数量指标", "工程资金金额", 43.2, 37.24, 50, 45],
            [None, "满意度指标", "服务对象满意度指标", "学生满意度", "≥90%", "95%", 50, 50],
            [None, "注：金额单位为万元，分值合计100分"],
            [None, "填表人：张三", None, "联系电话：0316-2011111"],
            [None, None, None, "附：暖通设备清单", "12台", "12台"]]
    ev = read_workbook(annex1(tmp_path / "foot.xlsx", indicators=inds, total=[]))
    assert names(ev) == ["工程资金金额", "学生满意度"]
    assert roles(ev)[-1] == ("footer", "注：金额单位为万元，分值合计100分")


def test_a_row_with_points_is_never_a_footer(tmp_path):
    """An indicator named like a note ("说明：宿舍楼供暖面积") that carries 分值 is an indicator: only
    rows without 分值/得分 can be the lines under the table."""
    inds = [[None, "产出指标", "数量指标", "工程资金金额", 43.2, 37.24, 50, 45],
            [None, None, None, "说明：宿舍楼供暖面积", "3000平方米", "3000平方米", 40, None],
            [None, "满意度指标", "服务对象满意度指标", "学生满意度", "≥90%", "95%", 10, 10]]
    ev = read_workbook(annex1(tmp_path / "note.xlsx", indicators=inds))
    assert names(ev) == ["工程资金金额", "说明：宿舍楼供暖面积", "学生满意度"]


# --- 合计/总分 rows ----------------------------------------------------------------------------------

def test_total_label_left_of_a_level1_cell_merged_into_it(tmp_path):
    """"合计" typed in the 序号 column left of the 一级指标, on a row into which the last category's
    一级 cell (满意度指标) was merged down: a label in or left of the 一级 column is the table's 总分
    (100 / 94), not that category's subtotal."""
    header = ["序号", "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"]
    inds = [[1, "产出指标", "数量指标", "工程资金金额", 43.2, 37.24, 40, 35],
            [2, "效益指标", "社会效益指标", "学校发展能力", "明显提升", "明显提升", 40, 40],
            [3, "满意度指标", "服务对象满意度指标", "学生满意度", "≥90%", "95%", 20, 19]]
    total = ["合计", None, None, None, None, None, 100, 94]
    ev = read_workbook(annex1(tmp_path / "t.xlsx", header=header, indicators=inds, total=total,
                              merges=["B12:B13"]))
    assert (ev.weights_total, ev.total_score) == (Decimal(100), Decimal(94))
    assert "subtotals" not in ev.extra
    assert roles(ev)[-1] == ("total", "合计")


def test_two_project_tables_on_one_sheet_end_at_the_first_total(tmp_path):
    """Two 附件1 tables stacked on one sheet (a unit's second project typed under the first): the
    first table's "合计" in the 绩效指标 column is its 总分 (100 / 94) — the second project's
    indicators are not counted into the first (they were, its 合计 taken for a category subtotal)."""
    inds = [[None, "产出指标", "数量指标", "工程资金金额", 43.2, 37.24, 50, 45],
            [None, "满意度指标", "服务对象满意度指标", "学生满意度", "≥90%", "95%", 50, 49],
            ["合计", None, None, None, None, None, 100, 94],
            [],
            ["项目支出绩效自评表"], ["项目名称", "食堂设备购置"], ANNEX_HEADER,
            [None, "产出指标", "数量指标", "设备数量", "12台", "12台", 60, 60],
            [None, "满意度指标", "服务对象满意度指标", "师生满意度", "≥90%", "95%", 40, 40]]
    ev = read_workbook(annex1(tmp_path / "two.xlsx", indicators=inds,
                              total=["合计", None, None, None, None, None, 100, 100]))
    assert names(ev) == ["工程资金金额", "学生满意度"]
    assert (ev.weights_total, ev.total_score) == (D(100), D(94))
    assert "subtotals" not in ev.extra


def test_category_subtotal_with_its_level1_typed_again(tmp_path):
    """A clerk who types the 一级 label on every row instead of merging it — the 产出指标 "合计 60 /
    55" row included — and a single 满意度 indicator under it before the 总分: that 合计 is the
    产出指标 subtotal (the 一级 cell holds a category, not a total label), and 学生满意度 is read."""
    inds = [[None, "产出指标", "数量指标", "工程资金金额", 43.2, 37.24, 40, 35],
            [None, "产出指标", "质量指标", "工程验收合格率", "100%", "100%", 20, 20],
            [None, "产出指标", None, "合计", None, None, 60, 55],
            [None, "满意度指标", "服务对象满意度指标", "学生满意度", "≥90%", "95%", 40, 39]]
    ev = read_workbook(annex1(tmp_path / "again.xlsx", indicators=inds))
    assert names(ev) == ["工程资金金额", "工程验收合格率", "学生满意度"]
    [sub] = ev.extra["subtotals"]
    assert (sub["label"], sub["weight"], sub["score"]) == ("产出指标合计", 60.0, 55.0)
    assert ev.total_score == D(94)


def test_category_subtotal_followed_by_one_indicator(tmp_path):
    """"合计 60 / 55" after the 产出 rows, its 一级 cell blank (not merged), then one 满意度 indicator
    and the 总分: the indicator right under it makes it a category subtotal, not the table's end."""
    inds = [[None, "产出指标", "数量指标", "工程资金金额", 43.2, 37.24, 40, 35],
            [None, None, "质量指标", "工程验收合格率", "100%", "100%", 20, 20],
            [None, None, None, "合计", None, None, 60, 55],
            [None, "满意度指标", "服务对象满意度指标", "学生满意度", "≥90%", "95%", 40, 39]]
    ev = read_workbook(annex1(tmp_path / "one.xlsx", indicators=inds))
    assert names(ev) == ["工程资金金额", "工程验收合格率", "学生满意度"]
    assert [s["weight"] for s in ev.extra["subtotals"]] == [60.0]


def test_total_in_the_name_column_beside_a_blank_merged_level1(tmp_path):
    """"合计 100 / 94" typed in the 三级指标 column as the last row, its 一级 cell part of an empty
    merge (the clerk merged the blank 一级 cells of the last two rows, B12:B13): nothing names a
    category there, so it is the table's 总分, not a subtotal."""
    inds = [[None, "产出指标", "数量指标", "工程资金金额", 43.2, 37.24, 50, 45],
            [None, "满意度指标", "服务对象满意度指标", "学生满意度", "≥90%", "95%", 50, 49],
            [None, None, None, "学校发展能力", "明显提升", "明显提升", None, None]]
    total = [None, None, None, "合计", None, None, 100, 94]
    ev = read_workbook(annex1(tmp_path / "bm.xlsx", indicators=inds, total=total, merges=["B12:B13"]))
    assert (ev.weights_total, ev.total_score) == (D(100), D(94))
    assert "subtotals" not in ev.extra


def test_category_total_written_in_the_level2_column(tmp_path):
    """The 产出指标 cell merged down over its rows and their "合计 60 / 55", the 合计 typed in the 二级
    column (C12): right of the 一级 column, inside the category — its subtotal, not the table's 总分."""
    inds = [[None, "产出指标", "数量指标", "工程资金金额", 43.2, 37.24, 40, 35],
            [None, None, "质量指标", "工程验收合格率", "100%", "100%", 20, 20],
            [None, None, "合计", None, None, None, 60, 55],
            [None, "满意度指标", "服务对象满意度指标", "学生满意度", "≥90%", "95%", 40, 39]]
    ev = read_workbook(annex1(tmp_path / "l2.xlsx", indicators=inds, merges=["B10:B12"]))
    assert names(ev) == ["工程资金金额", "工程验收合格率", "学生满意度"]
    [sub] = ev.extra["subtotals"]
    assert (sub["label"], sub["weight"], sub["level1"]) == ("产出指标合计", 60.0, "产出指标")
    assert ev.total_score == D(94)
