"""Pins on the funds part of a 自评表 (``reader/budget.py``, issue #18): the 项目资金 block of the
附件1 form (as 廊坊市食品工程学校 and 青神县发展和改革局 published it) and the 预算执行情况表 with
行次 (1)…(7) (seed 004's pair). Expected figures are those the test's table types.
"""

from __future__ import annotations

from decimal import Decimal

from tests import published_tables as pt
from tests.pinned_reader_tables import annex1
from workbook_templates.reader import read_workbook

D = Decimal


def test_funds_rows_total_and_parts(tmp_path):
    """廊坊 附件1 (published_tables.langfang_annex1): the block's rows are 年度资金总额 (the total, its
    figures the budget's: 43.2 / 43.2 / 37.24, 执行率 86 %, 分值 10, 得分 9) and three parts; nothing
    under 年度总体目标 is a funds row."""
    ev = read_workbook(pt.langfang_annex1(tmp_path / "lf.xlsx"))
    b = ev.budget
    assert [(r.label, r.is_total, r.is_component) for r in b.rows] == [
        ("年度资金总额", True, False), ("其中：当年财政拨款", False, True), ("上年结转资金", False, True),
        ("其他资金", False, True)]
    assert (b.initial, b.adjusted, b.executed, b.rate, b.weight, b.score) == (
        D("43.2"), D("43.2"), D("37.24"), D("0.86"), D(10), D(9))
    assert (b.cells["adjusted"], b.cells["executed"], b.cells["rate"], b.cells["score"]) == (
        "自评表!D7", "自评表!E7", "自评表!G7", "自评表!H7")
    assert [r["role"] for r in ev.recognition.budget["rows"]] == ["total", "part", "part", "part"]


def test_funds_reason_and_parts_with_their_own_rates(tmp_path):
    """青神县发展和改革局 (published_tables.qingshen_sichuan): 年初预算 238.93, 调整后 251.89, 执行
    251.89, 执行率 100 % on the 总额 row, whose 原因 cell (I9) is the budget's reason; the 财政资金
    part keeps its own 执行率 (here 95 %)."""
    ev = read_workbook(pt.qingshen_sichuan(tmp_path / "qs.xlsx", sub_rate=0.95))
    b = ev.budget
    assert (b.initial, b.adjusted, b.executed, b.rate) == (D("238.93"), D("251.89"), D("251.89"), D(1))
    assert b.reason.startswith("1.预算执行率=预算执行数/调整后预算数") and b.cells["reason"] == "自评表!I9"
    sub = b.rows[1]
    assert (sub.label, sub.values[sub.fields["rate"]]) == ("其中:财政资金", D("0.95"))


def test_a_single_funds_row_without_a_total_label(tmp_path):
    """A block with one row, "财政资金 3.36 / 3.36 / 3.36" (大英县司法局's figures), and no 总额 row:
    that row is the budget's total."""
    funds = [["项目资金（万元）", None, "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"],
             [None, "财政资金", 3.36, 3.36, 3.36, 10, 1.0, 10]]
    ev = read_workbook(annex1(tmp_path / "one.xlsx", funds=funds))
    assert (ev.budget.adjusted, ev.budget.executed, ev.budget.weight) == (D("3.36"), D("3.36"), D(10))


def test_execution_rate_typed_as_percent_points_in_the_funds_block(tmp_path):
    """执行率 typed 86.2 (no % sign, no percent format) on the 年度资金总额 row: 86.2 %, and the
    amounts beside it stay amounts."""
    funds = [["项目资金（万元）", None, "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"],
             [None, "年度资金总额", 43.2, 43.2, 37.24, 10, 86.2, 8.62]]
    ev = read_workbook(annex1(tmp_path / "pp.xlsx", funds=funds))
    assert (ev.budget.rate, ev.budget.executed) == (D("0.862"), D("37.24"))


def test_budget_table_with_codes_and_no_title_row(tmp_path):
    """Seed 004's 预算执行情况表 (行次 (1)…(7), 财政资金 merged over 小计/中央级/省级/市级/县区级) with
    its title row deleted, so its header starts on row 1: the columns are still named with their
    parent (财政资金小计), and 年初 1600 / 全年 1600 / 到位 1600 / 执行 1521.57, 执行率 95.1 % are read
    from 年度总金额."""
    head = [["项目", "行次", "年度总金额(万元)", "财政资金", None, None, None, None, "上年结转资金(万元)", "其他资金(万元)"],
            [None, None, None, "小计", "中央级", "省级", "市级", "县区级"]]
    data = [["年初预算资金", "(1)", 1600, 1600, None, None, None, 1600],
            ["全年预算资金", "(2)", 1600, 1600, None, None, None, 1600],
            ["实际到位资金", "(3)", 1600, 1600, None, None, None, 1600],
            ["全年执行资金", "(4)", 1521.57, 1521.57, None, None, None, 1521.57],
            ["资金结余", "(5)=(3)-(4)", 78.43, 78.43, 0, 0, 0, 78.43, 0, 0],
            ["预算到位率", "(6)=(3)/(2)", 100, 100, 0, 0, 0, 100, 0, 0],
            ["预算执行率(%)", "(7)=(4)/(2)", 95.1, 95.1, 0, 0, 0, 95.1, 0, 0]]
    table = [["一级指标", "二级指标", "目标指标", "权重", "目标值", "业绩值", "完成率", "指标得分"],
             ["产出指标", "数量指标", "补助人数（人）", 90, "18", "18.74万人", "104.11%", 90]]
    path = pt.write_book(tmp_path / "s4.xlsx", {"预算执行情况表": head + data, "项目支出绩效自评表": table},
                         merges={"预算执行情况表": ["D1:H1", "A1:A2", "B1:B2", "C1:C2", "I1:I2", "J1:J2"]})
    ev = read_workbook(path)
    b = ev.budget
    assert (b.initial, b.adjusted, b.available, b.executed, b.rate) == (
        D(1600), D(1600), D(1600), D("1521.57"), D("0.951"))
    assert "财政资金小计" in b.rows[0].values and b.rows[0].values["财政资金小计"] == D(1600)
    assert b.cells["executed"] == "预算执行情况表!C6"
    assert b.unit == "万元"
    rec = ev.recognition.budget
    assert (rec["sheet"], rec["cell"], rec["unit"]) == ("预算执行情况表", "预算执行情况表!B3", "万元")
    assert [r["code"] for r in rec["rows"]][:3] == ["(1)", "(2)", "(3)"]


def test_budget_rows_by_label_after_a_serial_column_with_small_amounts(tmp_path):
    """A 预算执行情况表 without 行次 codes, its rows numbered in a 序号 column A and labelled in B,
    the amounts small whole numbers (红河州数据发展中心's 50 万元 project: 50 / 50 / 50 / 48): the rows
    are found by their labels, and 50 is an amount, not a 行次 — 年初 50, 全年 50, 到位 50, 执行 48."""
    sheet = [["序号", "项目", "年度总金额(万元)", "财政资金(万元)"],
             [1, "年初预算资金", 50, 50], [2, "全年预算资金", 50, 50], [3, "实际到位资金", 50, 50],
             [4, "全年执行资金", 48, 48]]
    table = [["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"],
             ["产出指标", "数量指标", "展区运维数量", "≥28个", "28个", 90, 90]]
    ev = read_workbook(pt.write_book(tmp_path / "bl.xlsx", {"预算执行情况表": sheet, "自评表": table}))
    b = ev.budget
    assert (b.initial, b.adjusted, b.available, b.executed) == (D(50), D(50), D(50), D(48))
    assert b.cells["executed"] == "预算执行情况表!C5"


def test_budget_row_labels_merged_over_two_columns(tmp_path):
    """Seed 004's 预算执行情况表 with each row label merged across A:B (a wide 项目 column) and the
    行次 (1)…(4) in C: the label is found left of the 行次 past the blank merged cell — 年初 1600,
    执行 1521.57."""
    sheet = [["项目", None, "行次", "年度总金额(万元)"],
             ["年初预算资金", None, "(1)", 1600], ["全年预算资金", None, "(2)", 1600],
             ["实际到位资金", None, "(3)", 1600], ["全年执行资金", None, "(4)", 1521.57]]
    table = [["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"],
             ["产出指标", "数量指标", "补助人数（人）", "18万人", "18.74万人", 90, 90]]
    merges = [f"A{r}:B{r}" for r in range(1, 6)]
    ev = read_workbook(pt.write_book(tmp_path / "mg.xlsx", {"预算执行情况表": sheet, "自评表": table},
                                     merges={"预算执行情况表": merges}))
    assert (ev.budget.initial, ev.budget.executed) == (D(1600), D("1521.57"))
    assert [r.label for r in ev.budget.rows] == ["年初预算资金", "全年预算资金", "实际到位资金", "全年执行资金"]
