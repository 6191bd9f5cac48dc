"""Pins on the funds part of a 自评表 (``reader/budget.py``, issue #18, full mutation run): the
预算执行情况表 with 行次 (1)…(7) as seed 004 published it (tests/fixtures/seed004_self_evaluation.json:
年初 1600 / 全年 1600 / 到位 1600 / 执行 1521.57 万元, 执行率 95.1 %) and the 项目资金 block of the
财预〔2020〕10号 附件1 form (廊坊市食品工程学校, tests/pinned_reader_tables.py: 43.2 / 43.2 /
37.24 万元, 执行率 86 %, 分值 10, 得分 9), changed the way a finance user changes them. Expected
figures are the ones the test's table types, read by the rule the test names.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl

from tests import published_tables as pt
from tests.pinned_reader_tables import annex1
from workbook_templates.reader import read_workbook

D = Decimal
Row = list[Any]

BUDGET_SHEET = "预算执行情况表"
# Seed 004's 预算执行情况表, one header row (财政资金 not split by level), as published.
SEED4_HEAD: Row = ["项目", "行次", "年度总金额(万元)", "财政资金(万元)", "上年结转资金(万元)", "其他资金(万元)"]
SEED4_ROWS: list[Row] = [
    ["年初预算资金", "(1)", 1600, 1600],
    ["全年预算资金", "(2)", 1600, 1600],
    ["实际到位资金", "(3)", 1600, 1600],
    ["全年执行资金", "(4)", 1521.57, 1521.57],
    ["资金结余", "(5)=(3)-(4)", 78.43, 78.43, 0, 0],
    ["预算到位率", "(6)=(3)/(2)", 100, 100, 0, 0],
    ["预算执行率(%)", "(7)=(4)/(2)", 95.1, 95.1, 0, 0],
]
# Seed 004's 项目支出绩效自评表, its first indicator (the reader needs a 自评表 to read the funds of).
SEED4_TABLE: list[Row] = [["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"],
                          ["产出指标", "数量指标", "补助人数（人）", "18万人", "18.74万人", 90, 90]]


def seed4_book(path: Path, budget: list[Row], *, merges: list[str] | None = None,
               hidden: list[int] | None = None, other: dict[str, list[Row]] | None = None) -> Path:
    """A workbook with seed 004's budget sheet as ``budget`` lays it out (rows hidden by their
    1-based number, as Excel's 隐藏 does) beside its 自评表 (or the sheets of ``other``)."""
    sheets = {BUDGET_SHEET: budget, **(other if other is not None else {"自评表": SEED4_TABLE})}
    pt.write_book(path, sheets, merges={BUDGET_SHEET: merges or []})
    if hidden:
        wb = openpyxl.load_workbook(path)
        for r in hidden:
            wb[BUDGET_SHEET].row_dimensions[r].hidden = True
        wb.save(path)
    return path


def figures(ev) -> tuple:
    b = ev.budget
    return b.initial, b.adjusted, b.available, b.executed, b.rate


# --- 预算执行情况表 with 行次 (1)…(7) -------------------------------------------------------------

def test_coded_table_is_read_past_a_row_left_blank(tmp_path):
    """Seed 004's table under its title "（二）预算执行情况", 实际到位资金 (3) left blank (not yet
    reported): the rows are those coded (1)…(7), so the blank row does not end the table — 年初 1600,
    全年 1600, 到位 none, 执行 1521.57, 执行率 95.1 % (typed as percent points, label "(%)")."""
    rows = [row if row[1] != "(3)" else ["实际到位资金", "(3)"] for row in SEED4_ROWS]
    ev = read_workbook(seed4_book(tmp_path / "blank3.xlsx", [["（二）预算执行情况"], SEED4_HEAD, *rows]))
    assert figures(ev) == (D(1600), D(1600), None, D("1521.57"), D("0.951"))
    assert [r.code for r in ev.budget.rows] == ["(1)", "(2)", "(3)", "(4)", "(5)=(3)-(4)", "(6)=(3)/(2)",
                                                "(7)=(4)/(2)"]
    assert ev.recognition.budget["cell"] == f"{BUDGET_SHEET}!B3"


def test_numbered_goals_under_the_table_are_not_a_second_table(tmp_path):
    """Seed 004's report goes on under the table with "（三）项目绩效目标" and its goals numbered
    "（1）项目实施期绩效目标", "（2）项目年度目标" (the number in its own cell, in the 行次 column):
    the table is the first one coded (1), on row 3, and ends at the blank line under (7) — its
    seven rows and 年初 1600 … 执行 1521.57."""
    notes = [[], ["（三）项目绩效目标"], [None, "（1）", "项目实施期绩效目标"],
             [None, None, "本预算为本单位日常开展工作需要，为了更好的保证医保基金的正常运转。"],
             [None, "（2）", "项目年度目标"]]
    ev = read_workbook(seed4_book(tmp_path / "goals.xlsx", [["（二）预算执行情况"], SEED4_HEAD, *SEED4_ROWS,
                                                             *notes]))
    assert figures(ev) == (D(1600), D(1600), D(1600), D("1521.57"), D("0.951"))
    assert [r.label for r in ev.budget.rows][:4] == ["年初预算资金", "全年预算资金", "实际到位资金", "全年执行资金"]
    assert len(ev.budget.rows) == 7
    assert ev.recognition.budget["cell"] == f"{BUDGET_SHEET}!B3"


def test_amount_header_merged_across_two_columns(tmp_path):
    """Bug found by the run: seed 004's table with "年度总金额(万元)" merged over C:D (a wide column;
    the amounts typed in C, with each row's C:D merged too, or not). The header names one column —
    the amounts are C's: 年初 1600, 执行 1521.57 (the right half of the merge used to be read as a
    second 年度总金额 column, blank, and overwrote them: every budget figure came out empty)."""
    head = ["项目", "行次", "年度总金额(万元)", None, "财政资金(万元)", "其他资金(万元)"]
    rows = [[lab, code, total, None, *rest] for lab, code, total, *rest in SEED4_ROWS]
    for name, merges in (("wide.xlsx", [f"C{r}:D{r}" for r in range(2, 10)]), ("head.xlsx", ["C2:D2"])):
        ev = read_workbook(seed4_book(tmp_path / name, [["（二）预算执行情况"], head, *rows], merges=merges))
        assert figures(ev) == (D(1600), D(1600), D(1600), D("1521.57"), D("0.951")), name
        assert ev.budget.cells["executed"] == f"{BUDGET_SHEET}!C6"
        assert [c["label"] for c in ev.recognition.budget["columns"]] == ["年度总金额", "财政资金", "其他资金"]


def test_remarks_column_is_words_not_amounts(tmp_path):
    """Bug found while pinning: 红河's 50 万元 project in a 行次 table with a 备注 column filled in
    ("年初批复", "按进度支付") and no 年度总金额 — a 备注 column holds words: it is no amount column
    and its text is no unreadable number (it used to give two unreadable-number errors, and with
    no 年度总金额 it could be taken for the amount column); the amounts are 50 / 50 / 50 / 48."""
    head = ["项目", "行次", "财政资金(万元)", "备注"]
    rows = [["年初预算资金", "(1)", 50, "年初批复"], ["全年预算资金", "(2)", 50], ["实际到位资金", "(3)", 50],
            ["全年执行资金", "(4)", 48, "按进度支付"]]
    ev = read_workbook(seed4_book(tmp_path / "remark.xlsx", [["预算执行情况"], head, *rows]))
    assert figures(ev)[:4] == (D(50), D(50), D(50), D(48))
    assert [f.message for f in ev.findings if f.rule == "unreadable-number"] == []
    assert [c["label"] for c in ev.recognition.budget["columns"]] == ["财政资金"]


def test_unit_is_read_from_the_amount_column_header_first(tmp_path):
    """Seed 004's table with the sheet's note "单位：万元" on the line above the header (right end) and
    the header's own "年度总金额(万元)": the unit is 万元, read from the amounts' own header cell
    (C3) — the nearest statement, before notes elsewhere on the sheet (money.find_money_unit)."""
    top = [["预算执行情况表"], [None, None, None, None, None, "单位：万元"]]
    ev = read_workbook(seed4_book(tmp_path / "unit.xlsx", [*top, SEED4_HEAD, *SEED4_ROWS]))
    rec = ev.recognition.budget
    assert (ev.budget.unit, rec["unit"]) == ("万元", "万元")
    assert rec["unit_from"] == f"{BUDGET_SHEET}!C3“年度总金额(万元)”"


def test_a_hidden_old_table_gives_no_budget(tmp_path):
    """Seed 004's 预算执行情况表 kept but hidden (rows 2–9, the clerk's old table) and no other funds
    table: no rows, no figures, no unit and no recorded budget table — and the hidden rows are noted."""
    book = seed4_book(tmp_path / "hidden.xlsx", [["（二）预算执行情况"], SEED4_HEAD, *SEED4_ROWS],
                      hidden=list(range(2, 10)))
    ev = read_workbook(book)
    assert ev.budget.rows == []
    assert figures(ev) == (None, None, None, None, None)
    assert ev.budget.unit is None
    assert not ev.recognition.budget
    assert any(f.rule == "hidden-rows-skipped" for f in ev.findings)


def test_funds_block_stays_the_recorded_budget_beside_a_coded_table(tmp_path):
    """廊坊's 附件1 (项目资金 block: 43.2 / 43.2 / 37.24, 执行率 86 %) in a workbook that also holds
    the same project's 预算执行情况表 in seed 004's form (到位 43.2, 执行率 typed 86.2 — completed,
    廊坊 published no such table): the figures and the recorded budget table are the 自评表's own
    block; the coded table adds only what the block lacks (实际到位资金 43.2)."""
    lf = annex1(tmp_path / "lf.xlsx")
    wb = openpyxl.load_workbook(lf)
    ws = wb.create_sheet(BUDGET_SHEET)
    for row in [["（二）预算执行情况"], SEED4_HEAD,
                ["年初预算资金", "(1)", 43.2, 43.2], ["全年预算资金", "(2)", 43.2, 43.2],
                ["实际到位资金", "(3)", 43.2, 43.2], ["全年执行资金", "(4)", 37.24, 37.24],
                ["资金结余", "(5)=(3)-(4)", 5.96, 5.96, 0, 0], ["预算到位率", "(6)=(3)/(2)", 100, 100, 0, 0],
                ["预算执行率(%)", "(7)=(4)/(2)", 86.2, 86.2, 0, 0]]:
        ws.append(row)
    wb.save(lf)
    ev = read_workbook(lf)
    assert figures(ev) == (D("43.2"), D("43.2"), D("43.2"), D("37.24"), D("0.86"))
    assert (ev.budget.cells["executed"], ev.budget.cells["available"]) == ("自评表!E7", f"{BUDGET_SHEET}!C5")
    rec = ev.recognition.budget
    assert (rec["sheet"], rec["source"]) == ("自评表", "项目资金表（年初预算数/全年预算数/全年执行数）")


# --- 项目资金 block of the 附件1 form -----------------------------------------------------------------

LF_FUNDS: list[Row] = [
    ["项目资金（万元）", None, "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"],
    [None, "年度资金总额", 43.2, 43.2, 37.24, 10, 0.86, 9],
    [None, "其中：当年财政拨款", 43.2, 43.2, 37.24],
]


def test_goal_row_naming_the_funds_ends_the_block(tmp_path):
    """廊坊's 附件1 with the 年度总体目标 written on one line, label in A and the goal in B, and the
    goal naming its money ("使用财政资金43.2万元…"): the 年度总体目标 row starts the next section, so
    the funds rows are 年度资金总额 and 其中：当年财政拨款 only — the goal is not a 财政资金 part."""
    goal = ["年度总体目标", "使用财政资金43.2万元完成办公宿舍楼、食堂及餐厅暖通改造", None, None, None,
            "已完工，剩余3%尾款未付"]
    ev = read_workbook(annex1(tmp_path / "goal.xlsx", funds=[*LF_FUNDS, goal]))
    assert [r.label for r in ev.budget.rows] == ["年度资金总额", "其中：当年财政拨款"]
    assert (ev.budget.adjusted, ev.budget.executed) == (D("43.2"), D("37.24"))


def test_blank_line_under_the_funds_block_ends_it(tmp_path):
    """廊坊's 附件1 with a blank line left between the 项目资金 block and the indicator table: the block
    ends at the blank line — two funds rows, 43.2 / 37.24, 分值 10, 得分 9."""
    ev = read_workbook(annex1(tmp_path / "gap.xlsx", funds=[*LF_FUNDS, []]))
    b = ev.budget
    assert [r.label for r in b.rows] == ["年度资金总额", "其中：当年财政拨款"]
    assert (b.adjusted, b.executed, b.weight, b.score) == (D("43.2"), D("37.24"), D(10), D(9))


def test_a_row_added_mid_year_without_initial_budget_is_a_funds_row(tmp_path):
    """大英县司法局's single funds row (3.36 万元) named by its source, "中央补助资金" (no 总额/其中
    label), and allocated during the year, so 年初预算数 is left blank: a row with amounts is a funds
    row — 年初 none, 全年 3.36, 执行 3.36, 分值 10, 得分 10."""
    funds = [LF_FUNDS[0], [None, "中央补助资金", None, 3.36, 3.36, 10, 1.0, 10]]
    ev = read_workbook(annex1(tmp_path / "mid.xlsx", funds=funds))
    b = ev.budget
    assert [r.label for r in b.rows] == ["中央补助资金"]
    assert (b.initial, b.adjusted, b.executed, b.weight, b.score) == (None, D("3.36"), D("3.36"), D(10), D(10))


def test_a_spending_list_under_its_own_caption_is_not_part_of_the_block(tmp_path):
    """廊坊's 附件1 with the unit's 支出明细 under the block, after its own caption line "资金使用明细"
    (设备购置 20 / 20 / 18): the block ends at the first line that is neither a funds row nor holds
    amounts — two rows, 年度资金总额 and 其中：当年财政拨款."""
    extra = [[None, "资金使用明细"], [None, "设备购置", 20, 20, 18]]
    ev = read_workbook(annex1(tmp_path / "list.xlsx", funds=[*LF_FUNDS, *extra]))
    assert [r.label for r in ev.budget.rows] == ["年度资金总额", "其中：当年财政拨款"]
    assert ev.budget.executed == D("37.24")


def test_coded_table_in_yuan(tmp_path):
    """Seed 004's table kept in 元 ("年度总金额(元)", 16,000,000 / 15,215,700): the unit is the
    header's, 元, and the amounts stay as typed — 全年 16000000 元 = 1600 万元, 执行 15215700 元 =
    1521.57 万元."""
    head = ["项目", "行次", "年度总金额(元)", "财政资金(元)"]
    rows = [["年初预算资金", "(1)", 16000000, 16000000], ["全年预算资金", "(2)", 16000000, 16000000],
            ["实际到位资金", "(3)", 16000000, 16000000], ["全年执行资金", "(4)", 15215700, 15215700]]
    ev = read_workbook(seed4_book(tmp_path / "yuan.xlsx", [["（二）预算执行情况"], head, *rows]))
    b = ev.budget
    assert (b.unit, b.adjusted, b.executed) == ("元", D(16000000), D(15215700))
    assert (b.in_wan(b.adjusted), b.in_wan(b.executed)) == (D(1600), D("1521.57"))
    assert ev.recognition.budget["unit_from"] == f"{BUDGET_SHEET}!C2“年度总金额(元)”"


def test_table_found_by_its_labels_ends_at_a_blank_line(tmp_path):
    """红河州数据发展中心's 50 万元 project in a 预算执行情况表 without 行次 (rows found by their
    labels), a blank line and a 说明 line under it: four rows, 50 / 50 / 50 / 48 — the blank line
    ends the table."""
    sheet = [["项目", "年度总金额(万元)", "财政资金(万元)"],
             ["年初预算资金", 50, 50], ["全年预算资金", 50, 50], ["实际到位资金", 50, 50], ["全年执行资金", 48, 48],
             [], ["说明：年初结转结余项目，资金已全部到位。"]]
    ev = read_workbook(seed4_book(tmp_path / "lbl.xlsx", sheet))
    b = ev.budget
    assert [r.label for r in b.rows] == ["年初预算资金", "全年预算资金", "实际到位资金", "全年执行资金"]
    assert (b.initial, b.adjusted, b.available, b.executed) == (D(50), D(50), D(50), D(48))


def test_execution_rate_row_as_a_percent_cell_or_in_percent_points(tmp_path):
    """Seed 004's (7) row two ways: labelled "预算执行率" and holding 0.951 in a percent-formatted
    cell (shown 95.10%) — a ratio, 95.1 %; labelled "预算执行率(%)" and typed 1.8 (a project whose
    money came in December) — percent points, 1.8 %."""
    def rate(name: str, label: str, value: float) -> Decimal | None:
        rows = [*SEED4_ROWS[:6], [label, "(7)=(4)/(2)", value, value, 0, 0]]
        path = seed4_book(tmp_path / name, [["（二）预算执行情况"], SEED4_HEAD, *rows])
        wb = openpyxl.load_workbook(path)
        wb[BUDGET_SHEET]["C9"].number_format = "0.00%"
        wb.save(path)
        ev = read_workbook(path)
        assert ev.budget.cells["rate"] == f"{BUDGET_SHEET}!C9"
        return ev.budget.rate

    assert rate("ratio.xlsx", "预算执行率", 0.951) == D("0.951")
    assert rate("points.xlsx", "预算执行率(%)", 1.8) == D("0.018")


def test_plain_row_numbers_in_a_row_number_column(tmp_path):
    """Seed 004's table with its 行次 typed as plain numbers 1…7 (not "(1)"): the rows are found by
    their labels, the 行次 column (headed 行次) is not an amount — codes (1)…(7), 年初 1600 from C3,
    执行 1521.57, and the columns recorded from the header row (C2 年度总金额)."""
    rows = [[lab, i, *rest] for i, (lab, _code, *rest) in enumerate(SEED4_ROWS, 1)]
    ev = read_workbook(seed4_book(tmp_path / "ints.xlsx", [["（二）预算执行情况"], SEED4_HEAD, *rows]))
    b = ev.budget
    assert [r.code for r in b.rows] == [f"({i})" for i in range(1, 8)]
    assert figures(ev) == (D(1600), D(1600), D(1600), D("1521.57"), D("0.951"))
    assert (b.cells["initial"], b.cells["executed"]) == (f"{BUDGET_SHEET}!C3", f"{BUDGET_SHEET}!C6")
    cols = ev.recognition.budget["columns"]
    assert cols[0] == {"label": "年度总金额", "cell": f"{BUDGET_SHEET}!C2"}
    assert [c["label"] for c in cols] == ["年度总金额", "财政资金", "上年结转资金", "其他资金"]


def test_row_numbers_typed_as_text_under_a_merged_item_header(tmp_path):
    """红河's 50 万元 table with the header "项目" merged over the label and the 行次 column (A1:B1)
    and the 行次 typed as text "1"…"4" (a text-formatted column), on the sheet's first row: the text
    numbers are the 行次, not amounts — codes (1)…(4), 50 / 50 / 50 / 48 from column C, the
    column recorded at C1."""
    sheet = [["项目", None, "年度总金额(万元)", "财政资金(万元)", "其他资金(万元)"],
             ["年初预算资金", "1", 50, 50], ["全年预算资金", "2", 50, 50], ["实际到位资金", "3", 50, 50],
             ["全年执行资金", "4", 48, 48]]
    ev = read_workbook(seed4_book(tmp_path / "txt.xlsx", sheet, merges=["A1:B1"]))
    b = ev.budget
    assert [r.code for r in b.rows] == ["(1)", "(2)", "(3)", "(4)"]
    assert (b.initial, b.adjusted, b.available, b.executed) == (D(50), D(50), D(50), D(48))
    assert b.cells["executed"] == f"{BUDGET_SHEET}!C5"
    cols = ev.recognition.budget["columns"]
    assert cols[0] == {"label": "年度总金额", "cell": f"{BUDGET_SHEET}!C1"}
    assert [c["label"] for c in cols] == ["年度总金额", "财政资金", "其他资金"]     # 其他资金 left blank


def test_amounts_typed_with_their_unit_in_the_funds_block(tmp_path):
    """廊坊's 项目资金（万元） block with the amounts typed as text with a unit, the way a clerk
    copies them from a notice: "43.2万", "43.2万元", "372,400元" — in the 万元 block they are 43.2,
    43.2 and 37.24, and the row is still 年度资金总额."""
    funds = [LF_FUNDS[0], [None, "年度资金总额", "43.2万", "43.2万元", "372,400元", 10, 0.86, 9]]
    ev = read_workbook(annex1(tmp_path / "text.xlsx", funds=funds))
    b = ev.budget
    assert [r.label for r in b.rows] == ["年度资金总额"]
    assert (b.initial, b.adjusted, b.executed, b.unit) == (D("43.2"), D("43.2"), D("37.24"), "万元")


def test_funds_labels_merged_across_the_first_two_columns(tmp_path):
    """廊坊's block with every label merged across A:B ("项目资金（万元）" on the header row,
    "年度资金总额" / "其中：当年财政拨款" below): the labels are read from the merges' left cells —
    total 43.2 / 43.2 / 37.24, one part — and recorded there (A7, A8)."""
    funds = [["项目资金（万元）", None, "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"],
             ["年度资金总额", None, 43.2, 43.2, 37.24, 10, 0.86, 9],
             ["其中：当年财政拨款", None, 43.2, 43.2, 37.24]]
    ev = read_workbook(annex1(tmp_path / "ab.xlsx", funds=funds, merges=["A6:B6", "A7:B7", "A8:B8"]))
    b = ev.budget
    assert [(r.label, r.is_total, r.is_component) for r in b.rows] == [
        ("年度资金总额", True, False), ("其中：当年财政拨款", False, True)]
    assert (b.initial, b.adjusted, b.executed) == (D("43.2"), D("43.2"), D("37.24"))
    assert [r["cell"] for r in ev.recognition.budget["rows"]] == ["自评表!A7", "自评表!A8"]


def test_a_source_row_with_amounts_only_is_a_funds_row(tmp_path):
    """廊坊's block with a second source line named by the unit, "省级专项资金 20 / 20 / 18" (no
    其中 prefix, no 分值 or 得分): a row with amounts is a funds row (role "row"), read after the
    total; each row is recorded by its label's cell (column B)."""
    funds = [*LF_FUNDS, [None, "省级专项资金", 20, 20, 18]]
    ev = read_workbook(annex1(tmp_path / "src.xlsx", funds=funds))
    rows = ev.budget.rows
    assert [r.label for r in rows] == ["年度资金总额", "其中：当年财政拨款", "省级专项资金"]
    assert rows[2].values[rows[2].fields["executed"]] == D(18)
    rec = ev.recognition.budget["rows"]
    assert [(r["role"], r["cell"]) for r in rec] == [("total", "自评表!B7"), ("part", "自评表!B8"), ("row", "自评表!B9")]


def test_table_found_by_labels_with_blank_level_columns(tmp_path):
    """Seed 004's table as published — 财政资金 merged over 小计/中央级/省级/市级/县区级, only 县区级
    filled, so blank cells sit between the amounts — with its 行次 column left out: the rows are
    found by their labels though blanks sit right of them — 年初 1600, 执行 1521.57, 财政资金小计
    1600, 中央级 none."""
    head = [["项目", "年度总金额(万元)", "财政资金", None, None, None, None, "上年结转资金(万元)", "其他资金(万元)"],
            [None, None, "小计", "中央级", "省级", "市级", "县区级"]]
    rows = [[lab, total, sub, None, None, None, sub] for lab, _code, total, sub in SEED4_ROWS[:4]]
    ev = read_workbook(seed4_book(tmp_path / "levels.xlsx", [["（二）预算执行情况"], *head, *rows],
                                  merges=["C2:G2", "A2:A3", "B2:B3", "H2:H3", "I2:I3"]))
    assert figures(ev)[:4] == (D(1600), D(1600), D(1600), D("1521.57"))
    first = ev.budget.rows[0]
    assert (first.values["财政资金小计"], first.values["中央级"], first.values["县区级"]) == (D(1600), None, D(1600))


def test_coded_table_without_its_initial_budget_row(tmp_path):
    """Seed 004's table for a project granted during the year: the 年初预算资金 row (1) deleted, so
    the table starts at "全年预算资金 (2)". No cell reads "(1)": the rows are found by their labels,
    and the 行次 column keeps its codes — (2), (3), (4), (5)=(3)-(4), …; 年初 none, 全年 1600,
    执行 1521.57."""
    ev = read_workbook(seed4_book(tmp_path / "no1.xlsx", [["（二）预算执行情况"], SEED4_HEAD, *SEED4_ROWS[1:]]))
    assert [r.code for r in ev.budget.rows] == ["(2)", "(3)", "(4)", "(5)=(3)-(4)", "(6)=(3)/(2)", "(7)=(4)/(2)"]
    assert figures(ev) == (None, D(1600), D(1600), D("1521.57"), D("0.951"))


def test_total_row_named_with_more_words_and_listed_last(tmp_path):
    """A block that lists its sources first and the total last, worded "资金总额合计" (the unit's
    wording, beginning with 资金总额): the total is the row whose label begins with a total label,
    wherever it stands — 全年 43.2, 执行 37.24 from the last row (D9/E9), not the first source's
    (财政拨款 40 / 34.5)."""
    funds = [LF_FUNDS[0],
             [None, "财政拨款", 40, 40, 34.5],
             [None, "其他资金", 3.2, 3.2, 2.74],
             [None, "资金总额合计", 43.2, 43.2, 37.24, 10, 0.86, 9]]
    ev = read_workbook(annex1(tmp_path / "last.xlsx", funds=funds))
    b = ev.budget
    assert [(r.label, r.is_total) for r in b.rows] == [("财政拨款", False), ("其他资金", False), ("资金总额合计", True)]
    assert (b.adjusted, b.executed, b.weight, b.score) == (D("43.2"), D("37.24"), D(10), D(9))
    assert (b.cells["adjusted"], b.cells["executed"]) == ("自评表!D9", "自评表!E9")


def test_remarks_line_right_under_a_table_found_by_labels(tmp_path):
    """红河's 50 万元 table without 行次, a "备注" line right under it (no blank line) with its text
    in the amount column ("年初结转结余项目"): a row whose amount cells hold no number ends the
    table — four rows, 执行 48."""
    sheet = [["项目", "年度总金额(万元)", "财政资金(万元)"],
             ["年初预算资金", 50, 50], ["全年预算资金", 50, 50], ["实际到位资金", 50, 50], ["全年执行资金", 48, 48],
             ["备注", "年初结转结余项目"]]
    ev = read_workbook(seed4_book(tmp_path / "rmk.xlsx", sheet))
    assert [r.label for r in ev.budget.rows] == ["年初预算资金", "全年预算资金", "实际到位资金", "全年执行资金"]
    assert ev.budget.executed == D(48)


def test_remarks_column_of_a_table_found_by_labels(tmp_path):
    """红河's 50 万元 table without 行次, its last column 备注 filled on the first row ("年初批复"):
    the 年初预算资金 row still starts the table (the amounts left of the remark count), and the
    remark is no amount — 50 / 50 / 50 / 48, no unreadable number."""
    sheet = [["项目", "年度总金额(万元)", "财政资金(万元)", "备注"],
             ["年初预算资金", 50, 50, "年初批复"], ["全年预算资金", 50, 50], ["实际到位资金", 50, 50],
             ["全年执行资金", 48, 48]]
    ev = read_workbook(seed4_book(tmp_path / "lrmk.xlsx", sheet))
    assert figures(ev)[:4] == (D(50), D(50), D(50), D(48))
    assert [f.message for f in ev.findings if f.rule == "unreadable-number"] == []


def test_other_funds_column_left_blank_is_not_the_budget(tmp_path):
    """红河's 50 万元 project in a 行次 table with 财政资金 and 其他资金 columns and no 年度总金额,
    其他资金 left blank (all the money is 财政资金): the budget figures are the first amount column's,
    财政资金 — 50 / 50 / 50 / 48 — not the blank 其他资金's."""
    head = ["项目", "行次", "财政资金(万元)", "其他资金(万元)"]
    rows = [["年初预算资金", "(1)", 50], ["全年预算资金", "(2)", 50], ["实际到位资金", "(3)", 50],
            ["全年执行资金", "(4)", 48]]
    ev = read_workbook(seed4_book(tmp_path / "other.xlsx", [["预算执行情况"], head, *rows]))
    assert figures(ev)[:4] == (D(50), D(50), D(50), D(48))
    assert ev.budget.cells["executed"] == f"{BUDGET_SHEET}!C6"


def test_a_hidden_row_inside_a_coded_table(tmp_path):
    """Seed 004's table with its 实际到位资金 row (3) hidden (row 5 of the sheet): that row is left out
    and noted, the rows after it are still read — (1), (2), (4)…(7), 年初 1600, 到位 none, 执行
    1521.57, 执行率 95.1 %."""
    ev = read_workbook(seed4_book(tmp_path / "hid3.xlsx", [["（二）预算执行情况"], SEED4_HEAD, *SEED4_ROWS],
                                  hidden=[5]))
    assert [r.code for r in ev.budget.rows] == ["(1)", "(2)", "(4)", "(5)=(3)-(4)", "(6)=(3)/(2)", "(7)=(4)/(2)"]
    assert figures(ev) == (D(1600), D(1600), None, D("1521.57"), D("0.951"))
    assert [f.cell for f in ev.findings if f.rule == "hidden-rows-skipped"] == [f"{BUDGET_SHEET}!B5"]


def test_indicator_table_under_a_table_found_by_labels(tmp_path):
    """红河's 50 万元 table without 行次, and under it, after a blank line, seed 004's 预算执行 indicator
    table (二级指标 / 三级指标 / 权重 …, "预算执行指标 预算执行率 10 100% 95.1% 9.51"): the blank line
    ends the budget table — four rows, 执行 48; the indicator rows are no budget rows."""
    sheet = [["项目", "年度总金额(万元)", "财政资金(万元)"],
             ["年初预算资金", 50, 50], ["全年预算资金", 50, 50], ["实际到位资金", 50, 50], ["全年执行资金", 48, 48],
             [], ["二级指标", "三级指标", "权重", "目标值", "业绩值", "得分"],
             ["预算执行指标", "预算执行率", 10, "100%", "95.1%", 9.51]]
    ev = read_workbook(seed4_book(tmp_path / "ind.xlsx", sheet))
    assert [r.label for r in ev.budget.rows] == ["年初预算资金", "全年预算资金", "实际到位资金", "全年执行资金"]
    assert ev.budget.executed == D(48)


def test_a_hidden_row_inside_the_funds_block(tmp_path):
    """廊坊's block with its four rows (年度资金总额 43.2 / 43.2 / 37.24; 其中：当年财政拨款 40 / 40 /
    34.5; 上年结转资金 empty; 其他资金 3.2 / 3.2 / 2.74 — the split completed, 廊坊 published only
    the 财政拨款 line), the empty 上年结转资金 row hidden (row 9): it is left out and noted, and
    the 其他资金 row under it is still read."""
    funds = [LF_FUNDS[0], LF_FUNDS[1], [None, "其中：当年财政拨款", 40, 40, 34.5], [None, "上年结转资金"],
             [None, "其他资金", 3.2, 3.2, 2.74]]
    path = annex1(tmp_path / "hidfunds.xlsx", funds=funds)
    wb = openpyxl.load_workbook(path)
    wb["自评表"].row_dimensions[9].hidden = True
    wb.save(path)
    ev = read_workbook(path)
    assert [r.label for r in ev.budget.rows] == ["年度资金总额", "其中：当年财政拨款", "其他资金"]
    assert ev.budget.rows[2].values[ev.budget.rows[2].fields["executed"]] == D("2.74")
    assert [f.cell for f in ev.findings if f.rule == "hidden-rows-skipped"] == ["自评表!C9"]
