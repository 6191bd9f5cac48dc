"""项目资金 checks (addin/rules/budget.py) the mutation run found unpinned.

Rules (财预〔2020〕10号 and the default profile cz2020-10): 预算执行率 = 全年执行数 ÷ 全年预算数 (共性框架:
÷ 实际到位资金), compared at the precision the sheet shows; below 90% a reason is required;
年度资金总额 = Σ 其中 rows, the (1)–(7) table's (5)=(3)−(4), (6)=(3)/(2), (7)=(4)/(2); a money
figure about 10⁴ away from the others of its group is the 元/万元 slip. Expected values are worked
out by hand on the seed 004 table (``clean``: 1600 万元 budgeted, 1521.57 executed, 95.10%).
"""

from __future__ import annotations

from decimal import Decimal

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
