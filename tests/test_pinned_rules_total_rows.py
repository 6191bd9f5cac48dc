"""total-mismatch-row (addin/rules/total_rows.py): when 总分 ≠ Σ 得分, the rows that cause it.

Rule (财预〔2020〕10号): 总分 = Σ 得分, and sums of n parts rounded to 2 decimals may differ from the
rounded total by n × 0.005 (DESIGN.md). Worked by hand on the seed 004 table (``clean``): 预算执行率
10 × 1521.57 ÷ 1600 = 9.51 (H3); 补助人数 18.74万人 of ≥ 18万人 met → 20 (H4); 应保尽保 10 (H5);
补助时间 10 (H6); 人均补助标准 10 (H7); two 定性 lines 15 + 15 (H8, H9); 满意度 10 (H10): the rules'
sum is 99.51 over 8 rows (tolerance 8 × 0.005 = 0.04). Expected values never come from the code.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from addin.validate import validate
from tests.test_validate_rules import clean, rules_of
from workbook_templates.model import Finding

D = Decimal


def rows(ev) -> list[tuple[str | None, object]]:
    """(cell, expected) of each total-mismatch-row finding, in the table's order."""
    return [(f.cell, f.expected) for f in validate(ev) if f.rule == "total-mismatch-row"]


def messages(ev) -> list[str]:
    return [f.message for f in validate(ev) if f.rule == "total-mismatch-row"]


def test_no_row_is_listed_when_the_total_adds_up():
    ev = clean()
    ev.indicators[1].score = None                 # the blank 得分 counts by its rule score 10: 99.51
    assert "total-mismatch" not in rules_of(validate(ev)) and rows(ev) == []


# --- a typed 得分 where the 总分 is the rules' sum --------------------------------------------------

def test_a_typed_score_below_the_rule_where_the_total_is_the_rules_sum():
    """补助人数 typed 18 (the rule gives 20); 总分 99.51 is the rules' sum, Σ 得分 is 97.51."""
    ev = clean()
    ev.indicators[0].score = D(18)
    assert rows(ev) == [("绩效自评表!H4", D(20))]
    assert "得分填报为18，按规则为20" in messages(ev)[0] and "总分99.51是按规则计算的" in messages(ev)[0]


def test_a_typed_score_one_cent_off_the_rule_is_listed_too():
    """预算执行率 typed 9.50 against 9.51: one cent is a difference (half a cent would be rounding)."""
    ev = clean()
    ev.indicators[0].score = D(18)
    ev.budget.score = D("9.50")
    assert rows(ev) == [("绩效自评表!H3", D("9.51")), ("绩效自评表!H4", D(20))]


@pytest.mark.parametrize(("total", "listed"), [
    ("99.55", True),            # 0.04 above the rules' sum: within 8 × 0.005, still the rules' sum
    ("99.47", True),            # 0.04 below
    ("99.56", False),           # 0.05: neither the rules' sum nor Σ 得分 (97.51)
    ("90", False),              # far below both
])
def test_the_total_counts_as_the_rules_sum_within_the_rounding_tolerance(total, listed):
    ev = clean()
    ev.indicators[0].score = D(18)
    ev.total_score = D(total)
    assert "total-mismatch" in rules_of(validate(ev))
    assert rows(ev) == ([("绩效自评表!H4", D(20))] if listed else [])


def test_a_blank_qualitative_line_counts_zero_in_the_rules_sum():
    """效益 line 1 has no 档次 (blank, no 得分, no rule score): the rules' sum is 99.51 − 15 = 84.51.
    A 总分 of 84.51 is that sum, so the typed 18 on 补助人数 (rule 20) is the row to look at."""
    ev = clean()
    ev.indicators[4].actual, ev.indicators[4].score = "", None
    ev.indicators[0].score = D(18)
    ev.total_score = D("84.51")
    assert rows(ev) == [("绩效自评表!H4", D(20)), ("绩效自评表!H8", None)]


# --- blank and text 得分 --------------------------------------------------------------------------

def test_a_blank_score_names_its_rule_score():
    ev = clean()
    ev.indicators[1].score = None
    ev.total_score = D("89.51")                   # the 10 of 应保尽保 left out of the 总分
    assert rows(ev) == [("绩效自评表!H5", D(10))]
    assert messages(ev) == ["“医疗保险应保尽保”得分为空（该行公式可能未复制，或文件未经计算），"
                            "填报的总分89.51中未计入；按规则该行得分10分。"]


def test_a_blank_score_without_its_cell_points_at_the_line():
    ev = clean()
    ev.indicators[1].score = None
    del ev.indicators[1].cells["score"]
    ev.total_score = D("89.51")
    assert rows(ev) == [("绩效自评表!C5", D(10))]


def test_a_blank_budget_score_is_a_row():
    ev = clean()
    ev.budget.score = None
    ev.total_score = D(90)                        # the 9.51 of the 预算执行率 line left out
    assert rows(ev) == [("绩效自评表!H3", D("9.51"))]
    assert messages(ev)[0].startswith("“预算执行率”得分为空")


def test_a_budget_part_without_points_on_the_sheet_is_no_row():
    """No 分值/得分 for 预算执行率 on the sheet: its (implicit) points are not a row of the 总分."""
    ev = clean()
    ev.budget.weight = ev.budget.score = None
    ev.total_score = D(80)                        # Σ 得分 of the indicators is 90
    assert "total-mismatch" in rules_of(validate(ev)) and rows(ev) == []


def test_a_text_score_cell_is_said_to_be_text():
    """The reader reported the 得分 cell as unreadable (text such as "十分"): the 总分 formula skips it."""
    ev = clean()
    ev.indicators[1].score = None
    ev.findings.append(Finding(rule="unreadable-number", severity="error", cell="绩效自评表!H5", message="十分"))
    ev.total_score = D("89.51")
    assert rows(ev) == [("绩效自评表!H5", D(10))]
    assert messages(ev) == ["“医疗保险应保尽保”的得分单元格是文字，不是数字，总分公式不计入该行；"
                            "请改为数字（按规则为10分）。总分89.51。"]


def test_a_text_score_cell_without_a_rule_score():
    ev = clean()
    ind = ev.indicators[4]                        # 定性, no 档次: no rule score
    ind.actual, ind.score = "", None
    ev.findings.append(Finding(rule="unreadable-number", severity="error", cell="绩效自评表!H8", message="优"))
    assert messages(ev) == ["“减轻补助人口看病负担，促进全面建成小康社会”的得分单元格是文字，不是数字，"
                            "总分公式不计入该行；请改为数字。总分99.51。"]


def test_a_blank_score_with_another_reader_finding_is_not_text():
    """An uncalculated formula in the 得分 cell is a blank 得分, not a text one."""
    ev = clean()
    ev.indicators[1].score = None
    ev.findings.append(Finding(rule="formula-not-calculated", severity="warning", cell="绩效自评表!H5",
                               message="公式没有计算结果"))
    ev.total_score = D("89.51")
    assert messages(ev)[0].startswith("“医疗保险应保尽保”得分为空（该行公式可能未复制")


def test_a_qualitative_line_without_a_band_has_no_score():
    ev = clean()
    ev.indicators[4].actual, ev.indicators[4].score = "", None
    assert rows(ev) == [("绩效自评表!H8", None)]
    assert messages(ev) == ["“减轻补助人口看病负担，促进全面建成小康社会”的定性档次（实际完成值）未选择，"
                            "该行没有得分；总分99.51。"]


def test_an_unnamed_line_is_called_so():
    ev = clean()
    ev.indicators[1].score, ev.indicators[1].name = None, None
    ev.total_score = D("89.51")
    assert messages(ev)[0].startswith("“（未命名指标）”得分为空")


def test_a_blank_quantitative_line_is_missing_fields_not_a_row():
    """应保尽保 with neither 实际值 nor 得分: missing-field names it; it is no 定性档次 left unchosen."""
    ev = clean()
    ev.indicators[1].actual, ev.indicators[1].score = "", None
    ev.total_score = D("89.51")
    assert "missing-field" in rules_of(validate(ev)) and rows(ev) == []


def test_a_qualitative_line_with_its_band_but_no_score_is_a_blank_score():
    """效益 line 1 achieved (达成: the default profile scores the band at 100% of its 15 points)
    with its 得分 left blank."""
    ev = clean()
    ev.indicators[4].actual, ev.indicators[4].score = "达成", None
    ev.total_score = D("84.51")
    assert rows(ev) == [("绩效自评表!H8", D(15))]
    assert messages(ev)[0].startswith("“减轻补助人口看病负担，促进全面建成小康社会”得分为空（该行公式可能未复制")
