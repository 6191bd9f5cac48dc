"""项目资金 checks (addin/rules/budget.py) the mutation run found unpinned.

Rules (财预〔2020〕10号 and the default profile cz2020-10): 预算执行率 = 全年执行数 ÷ 全年预算数 (共性框架:
÷ 实际到位资金), compared at the precision the sheet shows; below 90% a reason is required;
年度资金总额 = Σ 其中 rows, the (1)–(7) table's (5)=(3)−(4), (6)=(3)/(2), (7)=(4)/(2); a money
figure about 10⁴ away from the others of its group is the 元/万元 slip. Expected values are worked
out by hand on the seed 004 table (``clean``: 1600 万元 budgeted, 1521.57 executed, 95.10%).
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from addin.validate import validate
from tests.test_validate_rules import clean, one
from udfs import load_profile

D = Decimal


def _budget(initial=None, adjusted=None, available=None, executed=None, rate=None):
    ev = clean()
    b = ev.budget
    b.rows = []
    b.initial, b.adjusted, b.available, b.executed = initial, adjusted, available, executed
    b.rate, b.score = rate, None
    return ev


# --- execution-rate-mismatch ----------------------------------------------------------------------

def test_a_rate_from_the_rounded_cells_is_information():
    """0.125 of 0.375 万元 is 33.33%; the cells show 0.13 and 0.38, and 0.13 ÷ 0.38 = 34.21% — the
    sheet divided what it shows: information, not an error. 35% is neither: an error."""
    ev = _budget(initial=D("0.375"), adjusted=D("0.375"), executed=D("0.125"), rate=D("0.3421"))
    f = one(validate(ev), "execution-rate-mismatch")
    assert (f.severity, f.expected) == ("info", D("0.3333"))
    ev = _budget(initial=D("0.375"), adjusted=D("0.375"), executed=D("0.125"), rate=D("0.35"))
    assert one(validate(ev), "execution-rate-mismatch").severity == "error"


def test_the_message_names_the_denominator_of_the_profile():
    """共性框架 (common-framework): 执行率 = 全年执行数 ÷ 实际到位资金. 1200 ÷ 1500 = 80%."""
    ev = _budget(initial=D(1600), adjusted=D(1600), available=D(1500), executed=D(1200), rate=D("0.9"))
    f = one(validate(ev, load_profile("common-framework")), "execution-rate-mismatch")
    assert "按 全年执行数1200 ÷ 实际到位资金1500 应为80.00%" in f.message
    ev = _budget(initial=D(1600), adjusted=D(1600), available=D(1500), executed=D(1200), rate=D("0.9"))
    f = one(validate(ev), "execution-rate-mismatch")                  # the default: ÷ 全年预算数
    assert "按 全年执行数1200 ÷ 全年预算数1600 应为75.00%" in f.message


# --- low-execution-unexplained --------------------------------------------------------------------

def test_low_execution_says_where_it_looked_for_a_reason():
    """附件1 has no reason cell for the funds: the 预算执行率 row's 偏差原因 (when the table has such a
    row) and the 年度总体目标 实际完成情况 are where a reason would be."""
    ev = _budget(initial=D(1600), adjusted=D(1600), executed=D(1200), rate=D("0.75"))
    del ev.budget.cells["reason"]
    ev.budget.reason = None
    f = one(validate(ev), "low-execution-unexplained")
    assert f.message.endswith("已查看年度总体目标的实际完成情况，未见说明。")
    ev.extra["budget_indicator_cell"] = "绩效自评表!C3"
    f = one(validate(ev), "low-execution-unexplained")
    assert f.message.endswith("已查看预算执行率行的偏差原因、年度总体目标的实际完成情况，未见说明。")
    assert f.message.startswith("预算执行率为75.00%，低于90%，应说明未执行原因及改进措施")


# --- magnitude-mismatch: what counts as "the same magnitude" ---------------------------------------

def test_a_figure_100_times_off_is_not_of_the_same_magnitude():
    """1, 100 and 10000 万元: 1 and 10000 are 10⁴ apart (the slip); 100 is 100× from each — not
    within 100× ("near" is < 100×), so it backs neither: both ends are flagged."""
    ev = _budget(initial=D(1), adjusted=D(100), available=D(10000))
    fs = [(f.cell, f.expected) for f in validate(ev) if f.rule == "magnitude-mismatch"]
    assert fs == [("预算执行情况!C4", D(10000)), ("预算执行情况!C6", D(1))]


# --- component rows of the 项目资金 block (附件1) ---------------------------------------------------

COLS = {"initial": ("年初预算数", "C"), "adjusted": ("全年预算数", "D"), "executed": ("全年执行数", "E"),
        "rate": ("执行率", "G")}


def _funds_row(label: str, r: int, *, is_total=False, **values):
    """A row of the 附件1 项目资金 block as the reader gives it (values keyed by the column header)."""
    from workbook_templates.model import BudgetRow

    return BudgetRow(label=label, is_total=is_total, is_component=not is_total,
                     values={COLS[f][0]: (D(str(v)) if v is not None else None) for f, v in values.items()},
                     cells={COLS[f][0]: f"自评表!{COLS[f][1]}{r}" for f in values},
                     fields={f: COLS[f][0] for f in values})


def _langfang(**component):
    """廊坊 2019 (tests/fixtures/reports/langfang-2019.txt): 43.2 / 43.2 / 37.24, 86%; its 其中：当年
    财政拨款 row repeats the amounts, with the rate ``component`` gives."""
    ev = _budget(initial=D("43.2"), adjusted=D("43.2"), executed=D("37.24"), rate=D("0.86"))
    ev.budget.cells = {"initial": "自评表!C4", "adjusted": "自评表!D4", "executed": "自评表!E4", "rate": "自评表!G4"}
    ev.budget.weight, ev.budget.score = None, None
    amounts = {"initial": "43.2", "adjusted": "43.2", "executed": "37.24", **component}
    ev.budget.rows = [_funds_row("年度资金总额", 4, is_total=True, initial="43.2", adjusted="43.2", executed="37.24",
                                 rate="0.95"),
                      _funds_row("其中：当年财政拨款", 5, **amounts)]
    return ev


def rate_findings(ev):
    return [(f.cell, f.expected) for f in validate(ev) if f.rule == "execution-rate-mismatch"]


def test_a_component_row_rate_is_its_execution_over_its_budget():
    """37.24 ÷ 43.2 = 86.20%: 86% shown is right; a 0% left in the sub-row is an error like the total's."""
    assert rate_findings(_langfang(rate="0.86")) == []
    assert rate_findings(_langfang(rate="86")) == []              # the percent number 86 for 86%
    assert rate_findings(_langfang(rate="0")) == [("自评表!G5", D("0.8620"))]
    f = one(validate(_langfang(rate="0")), "execution-rate-mismatch")
    assert f.message == "“其中：当年财政拨款”的执行率填报为0.00%，按 执行数37.24 ÷ 预算数43.2 应为86.20%。"


def test_a_component_row_without_an_adjusted_budget_divides_by_its_initial_one():
    assert rate_findings(_langfang(adjusted=None, rate="0.86")) == []
    assert rate_findings(_langfang(adjusted="0", initial="40", rate="0.86")) == [("自评表!G5", D("0.9310"))]


def test_a_component_row_missing_a_figure_is_not_checked():
    for blank in ("rate", "executed", "initial"):
        values = {"rate": "0", blank: None}
        if blank == "initial":
            values["adjusted"] = None
        assert rate_findings(_langfang(**values)) == [], blank


def test_the_total_rows_rate_is_the_budget_rate_not_a_component_one():
    """The 年度资金总额 row's 95% is not checked as a component (execution-rate-mismatch on the
    budget's rate is; here 86% = 37.24 ÷ 43.2)."""
    assert rate_findings(_langfang(rate="0.86")) == []


def test_a_yuan_figure_in_a_funds_row_is_the_magnitude_slip():
    """A 附件1 funds row has no (1)–(7) code: its own figures are one group. 372400 among 43.2 and 43.2
    is 37.24万元 typed in 元."""
    ev = _langfang(rate="0.86")
    ev.budget.initial = ev.budget.adjusted = ev.budget.executed = ev.budget.rate = None
    ev.budget.rows[1].values["全年执行数"] = D(372400)
    ev.budget.rows[1].values["执行率"] = None
    fs = [(f.cell, f.expected) for f in validate(ev) if f.rule == "magnitude-mismatch"]
    assert fs == [("自评表!E5", D("37.24"))]


def test_the_row_number_may_stand_in_the_label():
    """A 预算执行情况表 without a 行次 column writes "(5)资金结余": (5) = (3) − (4) = 1600 − 1521.57 = 78.43."""
    ev = clean()
    for r in ev.budget.rows:
        r.label, r.code = f"{r.code[:3]}{r.label}", None
    five = next(r for r in ev.budget.rows if r.label.startswith("(5)"))
    five.values["年度总金额"] = D("76.43")
    fs = [(f.cell, f.expected) for f in validate(ev) if f.rule == "budget-subtotal-mismatch" and "(3)−(4)" in f.message]
    assert fs == [("预算执行情况!C8", D("78.43"))]


def test_a_rate_within_half_a_tenth_of_a_point_is_a_rounding_slip():
    """862 of 1000 is 86.20%; a stated 86.25% is 0.05 points off — information; 86.26% an error."""
    ev = _budget(initial=D(1000), adjusted=D(1000), available=D(1000), executed=D(862), rate=D("0.8625"))
    assert one(validate(ev), "execution-rate-mismatch").severity == "info"
    ev = _budget(initial=D(1000), adjusted=D(1000), available=D(1000), executed=D(862), rate=D("0.8626"))
    assert one(validate(ev), "execution-rate-mismatch").severity == "error"


def test_the_default_denominator_is_named_when_it_equals_the_available_funds():
    """Seed 004: 全年预算数 = 实际到位资金 = 1600; the default profile divides by 全年预算数."""
    ev = clean()
    ev.budget.rate = D("0.9")
    assert "÷ 全年预算数1600 应为95.10%" in one(validate(ev), "execution-rate-mismatch").message


@pytest.mark.parametrize(("times", "flagged"), [
    (3160, True),               # 10^3 × 3.16 ≈ 10^3.5: "about 10⁴", inclusive
    (3159, False),
    (31600, True),              # ten times that ≈ 10^4.5: still the 元/万元 slip
    (31601, False),             # beyond: not this slip
])
def test_budget_magnitude_band(times, flagged):
    ev = _budget(initial=D(1600), adjusted=D(1600), available=D(1600), executed=D(1600 * times))
    fs = [(f.cell, f.expected) for f in validate(ev) if f.rule == "magnitude-mismatch"]
    assert fs == ([("预算执行情况!C7", D(1600 * times) / 10000)] if flagged else [])


def test_the_7_row_table_compares_its_figures_down_each_column():
    """中央级 0.5 of 1600 万元 in rows (1)–(4): 3200× smaller than 年度总金额 in the same row, but the same
    in its column — a small share, not a unit slip."""
    ev = clean()
    by_code = {r.code[:3]: r for r in ev.budget.rows}
    for code in ("(1)", "(2)", "(3)"):
        by_code[code].values.update({"中央级": D("0.5"), "县区级": D("1599.5")})
    by_code["(4)"].values.update({"中央级": D("0.5"), "县区级": D("1521.07")})
    by_code["(6)"].values["中央级"] = by_code["(7)"].values["中央级"] = D(100)     # 0.5 ÷ 0.5 = 100%
    assert [f for f in validate(ev) if f.rule in ("magnitude-mismatch", "budget-subtotal-mismatch")] == []


def test_a_mismatched_rate_with_no_other_denominator_is_an_error():
    """1200 ÷ 1600 = 75%, stated 90%; no 实际到位资金 to offer another 口径."""
    ev = _budget(initial=D(1600), adjusted=D(1600), executed=D(1200), rate=D("0.9"))
    f = one(validate(ev), "execution-rate-mismatch")
    assert (f.severity, f.expected) == ("error", D("0.75"))


@pytest.mark.parametrize(("stated", "severity"), [("0.8615", "info"), ("0.8614", "error")])
def test_a_rate_below_by_half_a_tenth_of_a_point_is_a_rounding_slip(stated, severity):
    ev = _budget(initial=D(1000), adjusted=D(1000), available=D(1000), executed=D(862), rate=D(stated))
    assert one(validate(ev), "execution-rate-mismatch").severity == severity


# --- budget-subtotal-mismatch: 年度资金总额 = Σ 其中 ----------------------------------------------------

def _block(total: dict, *components: dict, after: dict | None = None):
    """A funds block: a 年度资金总额 row and its 其中 rows (values by column), then optionally a row that is
    neither (``after``)."""
    from workbook_templates.model import BudgetRow

    def row(label, values, r, **kind):
        return BudgetRow(label=label, values={k: (D(str(v)) if v is not None else None) for k, v in values.items()},
                         cells={k: f"自评表!{'CDEFGH'[i]}{r}" for i, k in enumerate(values)}, **kind)

    rows = [row("年度资金总额", total, 4, is_total=True)]
    rows += [row(f"其中{i}", c, 5 + i, is_component=True) for i, c in enumerate(components)]
    if after:
        rows.append(row("结余资金", after, 5 + len(components)))
    ev = _budget(initial=D(1600), adjusted=D(1600), available=D(1600), executed=D("1521.57"), rate=D("0.951"))
    ev.budget.rows = rows
    return ev


def subtotal_findings(ev):
    return [(f.cell, f.expected) for f in validate(ev) if f.rule == "budget-subtotal-mismatch"]


def test_a_row_after_the_components_that_is_none_is_not_summed():
    ev = _block({"预算数": 100}, {"预算数": 60}, {"预算数": 40}, after={"预算数": 10})
    assert subtotal_findings(ev) == []


def test_a_rate_column_does_not_stop_the_money_columns_after_it():
    """Columns 预算数 / 执行数 / 执行率 (sorted: 执行数, 执行率, 预算数): the rates of the 其中 rows are
    not summed, and 预算数 after them is still checked — 60 + 50 = 110, not 100."""
    ev = _block({"预算数": 100, "执行数": 100, "执行率": 1}, {"预算数": 60, "执行数": 60, "执行率": 1},
                {"预算数": 50, "执行数": 40, "执行率": "0.8"})
    assert subtotal_findings(ev) == [("自评表!C4", D(110))]


def test_a_blank_total_column_does_not_stop_the_next_one():
    """执行数 of the total left blank (missing-field's business); its 预算数 100 ≠ 60 + 50 = 110."""
    ev = _block({"执行数": None, "预算数": 100}, {"执行数": 60, "预算数": 60}, {"执行数": 40, "预算数": 50})
    assert subtotal_findings(ev) == [("自评表!D4", D(110))]


@pytest.mark.parametrize(("total", "flagged"), [("100.01", False), ("99.99", False), ("100.02", True)])
def test_a_total_within_n_half_cents_of_its_parts(total, flagged):
    """2 parts rounded to the cent: 2 × 0.005 = 0.01 of rounding."""
    ev = _block({"预算数": total}, {"预算数": 60}, {"预算数": 40})
    assert subtotal_findings(ev) == ([("自评表!C4", D(100))] if flagged else [])


# --- the (1)–(7) table -----------------------------------------------------------------------------

def _seven(**by_code):
    """Seed 004's (1)–(7) table with only its 年度总金额 column, figures by row: ``by_code`` {"r1": …}."""
    ev = clean()
    for r in ev.budget.rows:
        r.values = {"年度总金额": D(str(by_code[f"r{r.code[1]}"]))}
        r.cells = {"年度总金额": r.cells["年度总金额"]}
    b = ev.budget
    b.initial, b.adjusted, b.available, b.executed = (D(str(by_code[k])) for k in ("r1", "r2", "r3", "r4"))
    b.rate, b.score = b.executed / b.adjusted, None
    return ev


def test_rows_6_and_7_divide_by_row_2():
    """(2) 1600 budgeted, (3) 1500 arrived, (4) 1400 spent: (5) = 100, (6) = 1500 ÷ 1600 = 93.75%,
    (7) = 1400 ÷ 1600 = 87.5% — not ÷ (3)."""
    ev = _seven(r1=1600, r2=1600, r3=1500, r4=1400, r5=100, r6="93.75", r7="87.5")
    assert subtotal_findings(ev) == []
    ev = _seven(r1=1600, r2=1600, r3=1500, r4=1400, r5=100, r6=100, r7="93.33")
    assert subtotal_findings(ev) == [("预算执行情况!C9", D("0.9375")), ("预算执行情况!C10", D("0.8750"))]
    assert [m for m in (f.message for f in validate(ev)) if "应为(" in m] == [
        "“预算到位率”（年度总金额）填报为100，应为(3)/(2)=93.75%。",
        "“预算执行率(%)”（年度总金额）填报为93.33，应为(4)/(2)=87.50%。"]


def test_a_blank_cell_of_row_5_does_not_stop_the_columns_after_it():
    ev = clean()
    five = next(r for r in ev.budget.rows if r.code.startswith("(5)"))
    five.values["年度总金额"] = None
    five.values["县区级"] = D("76.43")                # (3) 1600 − (4) 1521.57 = 78.43
    fs = [x for x in subtotal_findings(ev) if x[0] == "预算执行情况!H8"]
    assert fs == [("预算执行情况!H8", D("78.43"))]


def _without(ev, *cols):
    for r in ev.budget.rows:
        for c in cols:
            r.values.pop(c, None)
    return ev


def test_the_subtotal_column_sum_is_checked_without_a_total_column():
    """No 年度总金额 column: 小计 = 中央级 + 省级 + 市级 + 县区级 still holds — 1600 ≠ 100 + 1600."""
    ev = _without(clean(), "年度总金额")
    one_ = next(r for r in ev.budget.rows if r.code == "(1)")
    one_.values["中央级"] = D(100)
    assert ("预算执行情况!D4", D(1700)) in subtotal_findings(ev)


def test_the_subtotal_column_sum_is_checked_when_the_total_has_no_parts_filled():
    """年度总金额 100 with its 财政资金 / 上年结转 / 其他 parts blank: nothing to add; the 小计 column's
    own parts are still added: 30 + 60 = 90 ≠ 100."""
    from workbook_templates.model import BudgetRow

    ev = _budget(initial=D(100), adjusted=D(100), available=D(100), executed=D(100), rate=D(1))
    values = {"年度总金额": D(100), "财政资金": None, "小计": D(100), "中央级": D(30), "省级": D(60),
              "上年结转资金": None, "其他资金": None}
    ev.budget.rows = [BudgetRow("年初预算资金", code="(1)", values=values,
                                cells={k: f"表!{'CDEFGHI'[i]}4" for i, k in enumerate(values)})]
    assert subtotal_findings(ev) == [("表!E4", D(90))]


def test_one_part_column_is_no_column_sum():
    """A table showing only 年度总金额 and 上年结转资金: 1600 is not the sum of 100 alone."""
    ev = _without(clean(), "财政资金小计", "中央级", "省级", "市级", "县区级", "其他资金")
    for r in ev.budget.rows:
        r.values["上年结转资金"] = {"(5)": D(0), "(6)": D(100), "(7)": D(100)}.get(r.code[:3], D(100))
    assert subtotal_findings(ev) == []


@pytest.mark.parametrize(("total", "flagged"), [("1600.01", False), ("1600.02", True)])
def test_column_sum_tolerance(total, flagged):
    """年度总金额 = 财政资金小计 1500 + 上年结转资金 100: 2 parts, 0.01 of rounding."""
    ev = clean()
    one_ = next(r for r in ev.budget.rows if r.code == "(1)")
    one_.values.update({"年度总金额": D(total), "财政资金小计": D(1500), "县区级": D(1500), "上年结转资金": D(100)})
    fs = [x for x in subtotal_findings(ev) if x[0] == "预算执行情况!C4"]
    assert fs == ([("预算执行情况!C4", D(1600))] if flagged else [])


@pytest.mark.parametrize(("code", "cell", "wan"), [
    ("(1)", "预算执行情况!H4", D(1600)), ("(2)", "预算执行情况!H5", D(1600)),
    ("(3)", "预算执行情况!H6", D(1600)), ("(4)", "预算执行情况!H7", D("1521.57")),
])
def test_a_yuan_figure_in_a_column_of_rows_1_to_4(code, cell, wan):
    """县区级 of one of rows (1)–(4) typed in 元 (× 10⁴) among the 万元 figures of its column."""
    ev = clean()
    row = next(r for r in ev.budget.rows if r.code == code)
    row.values["县区级"] = row.values["县区级"] * 10000
    fs = [(f.cell, f.expected) for f in validate(ev) if f.rule == "magnitude-mismatch"]
    assert fs == [(cell, wan)]


# --- low-execution: the 预算执行率 row's reason ----------------------------------------------------------

def test_low_execution_reason_on_the_budget_row():
    """The 附件1 table's 预算执行率 row (seed 004 layout) carries a 偏差原因: written, it explains; blank,
    it does not."""
    ev = _budget(initial=D(1600), adjusted=D(1600), executed=D(1200), rate=D("0.75"))
    del ev.budget.cells["reason"]
    ev.budget.reason = None
    ev.extra["budget_indicator_cell"] = "绩效自评表!C3"
    ev.extra["budget_row_reason"] = ("项目年底追加，资金未及时拨付", "绩效自评表!I3")
    assert "low-execution-unexplained" not in {f.rule for f in validate(ev)}
    ev.extra["budget_row_reason"] = ("", "绩效自评表!I3")
    assert one(validate(ev), "low-execution-unexplained").cell == "绩效自评表!F3"


def test_a_budget_that_shows_as_zero_is_not_divided_by_its_rounded_cell():
    """0.003 of 0.004 万元 (30 of 40 元) is 75%; the cells show 0.00 — no ÷ 0.00, the exact rate stands."""
    ev = _budget(initial=D("0.004"), adjusted=D("0.004"), executed=D("0.003"), rate=D("0.8"))
    f = one(validate(ev), "execution-rate-mismatch")
    assert (f.severity, f.expected) == ("error", D("0.75"))


def test_a_figure_beyond_the_slip_does_not_stop_the_others():
    """1600, 1600, 1.6 × 10⁸ and 1.6 × 10⁷: the 10⁵ outlier is no 元/万元 slip (skipped), the 10⁴ one is."""
    ev = _budget(initial=D(1600), adjusted=D(1600), available=D(160000000), executed=D(16000000))
    fs = [(f.cell, f.expected) for f in validate(ev) if f.rule == "magnitude-mismatch"]
    assert fs == [("预算执行情况!C7", D(1600))]


@pytest.mark.parametrize("missing", ["(2)", "(3)", "(4)"])
def test_the_formula_rows_need_rows_2_3_and_4(missing):
    """Without (2), (3) or (4) the formulas (5)=(3)−(4), (6)=(3)/(2), (7)=(4)/(2) cannot be checked."""
    ev = clean()
    ev.budget.rows = [r for r in ev.budget.rows if not r.code.startswith(missing)]
    five = next(r for r in ev.budget.rows if r.code.startswith("(5)"))
    five.values["年度总金额"] = D(1)
    assert [f for f in validate(ev) if f.rule == "budget-subtotal-mismatch" and "应为(" in f.message] == []


@pytest.mark.parametrize(("stated", "flagged"), [("78.44", False), ("78.42", False), ("78.445", True), ("78.45", True)])
def test_row_5_tolerates_the_rounding_of_its_two_parts(stated, flagged):
    """(5) = (3) − (4) = 78.43; two parts rounded to the cent: 0.01 of rounding."""
    ev = clean()
    five = next(r for r in ev.budget.rows if r.code.startswith("(5)"))
    five.values["年度总金额"] = D(stated)
    five.values["财政资金小计"] = five.values["县区级"] = D(stated)      # the column sums hold
    fs = [x for x in subtotal_findings(ev) if x[0] == "预算执行情况!C8"]
    assert fs == ([("预算执行情况!C8", D("78.43"))] if flagged else [])


def test_a_right_cell_of_row_5_does_not_stop_the_columns_after_it():
    ev = clean()
    five = next(r for r in ev.budget.rows if r.code.startswith("(5)"))
    five.values["县区级"] = D("76.43")                # 年度总金额 78.43 right, 县区级 wrong
    assert [x for x in subtotal_findings(ev) if "H8" in x[0]] == [("预算执行情况!H8", D("78.43"))]


def test_a_zero_budget_column_has_no_rates_to_check():
    """中央级 typed 0 in rows (1)–(4) (seed 004 leaves them blank; (5)–(7) show 0): 0 ÷ 0 is no rate."""
    ev = clean()
    for r in ev.budget.rows:
        if r.code[:3] in ("(1)", "(2)", "(3)", "(4)"):
            r.values["中央级"] = D(0)
    assert subtotal_findings(ev) == []


def test_a_figure_10_to_the_4_too_small_is_flagged_with_its_wanyuan_value():
    """执行数 0.152157 among three 1600s: divided by 10⁴ once too often — 1521.57 万元 expected; the
    slip named is an amount in 亿元 (0.152157 亿元 = 1521.57 万元) typed in the 万元 table."""
    ev = _budget(initial=D(1600), adjusted=D(1600), available=D(1600), executed=D("0.152157"))
    fs = [(f.cell, f.expected) for f in validate(ev) if f.rule == "magnitude-mismatch"]
    assert fs == [("预算执行情况!C7", D("1521.57"))]
    assert "疑似把“亿元”当作“万元”填写，应为1521.57（万元）" in one(validate(ev), "magnitude-mismatch").message


def test_at_a_tie_the_bigger_figures_are_the_yuan_slip():
    """年初预算数 1600 万元, 全年预算数 and 执行数 typed in 元 (16000000, 15215700): each big figure has
    one near and one far peer — a tie, and the 元-for-万元 reading (the bigger) is flagged."""
    ev = _budget(initial=D(1600), adjusted=D(16000000), executed=D(15215700))
    fs = {(f.cell, f.expected) for f in validate(ev) if f.rule == "magnitude-mismatch"}
    assert {("预算执行情况!C5", D(1600)), ("预算执行情况!C7", D("1521.57"))} <= fs


def test_a_column_sum_of_two_parts_is_checked():
    """No 其他资金 column: 年度总金额 = 财政资金小计 + 上年结转资金 = 1600 + 100 ≠ 1600."""
    ev = _without(clean(), "其他资金")
    one_ = next(r for r in ev.budget.rows if r.code == "(1)")
    one_.values["上年结转资金"] = D(100)
    assert ("预算执行情况!C4", D(1700)) in subtotal_findings(ev)


def test_a_formula_row_is_read_to_4_decimals_of_the_ratio_at_most():
    """(7) typed 95.099 (percent): 0.95099 against 1521.57 ÷ 1600 = 0.95098125 — equal to 4 decimals
    (95.10%), the most a rate cell shows; a 5th decimal is float noise, not a slip."""
    ev = clean()
    seven = next(r for r in ev.budget.rows if r.code.startswith("(7)"))
    seven.values["年度总金额"] = D("95.099")
    assert [x for x in subtotal_findings(ev) if x[0] == "预算执行情况!C10"] == []


def test_a_funds_block_without_an_adjusted_budget_column():
    """A block with 年初预算数 / 全年执行数 / 执行率 only: the sub-row's rate is ÷ 年初预算数."""
    ev = _langfang(rate="0.86")
    sub = ev.budget.rows[1]
    del sub.values["全年预算数"], sub.cells["全年预算数"], sub.fields["adjusted"]
    sub.values["执行率"] = D("0.5")
    assert rate_findings(ev) == [("自评表!G5", D("0.8620"))]


def test_the_subtotal_message_names_the_parts_it_added():
    ev = _block({"预算数": 100}, {"预算数": 60}, {"预算数": 50}, {"预算数": None})
    assert [f.message for f in validate(ev) if f.rule == "budget-subtotal-mismatch"] == [
        "“年度资金总额”的预算数为100，其中各项（其中0、其中1）合计为110。"]


@pytest.mark.parametrize(("code", "cell"), [("(1)", "C4"), ("(2)", "C5"), ("(3)", "C6"), ("(4)", "C7"),
                                            ("(5)", "C8")])
def test_column_sums_hold_in_rows_1_to_5(code, cell):
    """上年结转资金 100 added to one row: 年度总金额 = 财政资金小计 + 上年结转资金 + 其他资金 no longer holds."""
    ev = clean()
    row = next(r for r in ev.budget.rows if r.code.startswith(code))
    row.values["上年结转资金"] = D(100)
    total = row.values["年度总金额"]
    assert (f"预算执行情况!{cell}", total + 100) in subtotal_findings(ev)


def test_every_component_row_is_checked():
    """当年财政拨款 86% (right), 上年结转资金 with no rate, 其他资金 5 of 10 stated 100% (wrong: 50%)."""
    ev = _langfang(rate="0.86")
    ev.budget.rows += [_funds_row("上年结转资金", 6, initial="10", adjusted="10", executed="5", rate=None),
                       _funds_row("其他资金", 7, initial="10", adjusted="10", executed="5", rate="1")]
    assert rate_findings(ev) == [("自评表!G7", D("0.5"))]


def test_the_message_names_the_first_far_figure():
    """执行数 16000000 typed in 元 among 年初预算数 1600, 全年预算数 1600 and 实际到位资金 1500 万元: the
    message compares it with the first figure it is far from (年初预算数 1600), in the table's order."""
    ev = _budget(initial=D(1600), adjusted=D(1600), available=D(1500), executed=D(16000000))
    f = one(validate(ev), "magnitude-mismatch")
    assert (f.cell, f.expected) == ("预算执行情况!C7", D(1600))
    assert "与年初预算数1600相差约1万倍" in f.message


def test_in_a_yuan_table_a_figure_too_big_is_four_digits_too_many():
    """A 元 table (no smaller unit to have been typed): 执行数 16000000 元 among 1600 元 figures is 10⁴
    too big — "疑似多写了约4位数（表中金额单位为元）", not 少写; expected 1600 元."""
    ev = _budget(initial=D(1600), adjusted=D(1600), available=D(1600), executed=D(16000000))
    ev.budget.unit = "元"
    f = one(validate(ev), "magnitude-mismatch")
    assert (f.cell, f.expected) == ("预算执行情况!C7", D(1600))
    assert "疑似多写了约4位数（表中金额单位为元）" in f.message
