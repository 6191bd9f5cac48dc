"""The report's text against its tables (addin/rules/narrative.py), without building Word files:
the paragraphs are given as the document reader records them (``ev.extra["narrative"]``: (正文!A<n>,
text)).

Texts are the published ones of tests/fixtures/reports/ — seed004.txt (医疗保险基金补助 2021: 总得分
99.51分, 属于"优秀", 补助人数为187385人), seed002.txt (渠县医疗保障局 2024 部门整体: 占比, 增长率,
人均资产变化率) and nanxian-2021.txt (南县政协 2021: 合计 and 其中) — or one figure of them changed.
Expected values are worked out by hand (rates to the precision the text shows, money to the cent
of 万元, rounding of n parts tolerated by n × 0.005), never printed by the code.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from addin.validate import validate
from tests.test_validate_rules import clean
from workbook_templates.model import BudgetRow, Evaluation

D = Decimal

# seed004.txt, paragraph 31 and 56 of the report
SEED004_RESULT = "综合考虑预算执行情况、产出、效益、服务对象满意度各方面因素，通过数据采集及分析，最终评分结果：" \
                 "医疗保险基金补助项目绩效自评价结果为:总得分99.51分，属于\"优秀\"。"
SEED004_OUTPUT = "补助人数为187385人，做到应保尽保。城乡居民基本医疗保险财政补助标准为580元。"


def found(ev: Evaluation, rule: str) -> list[tuple[str | None, object]]:
    return [(f.cell, f.expected) for f in validate(ev) if f.rule == rule]


def messages(ev: Evaluation, rule: str) -> list[str]:
    return [f.message for f in validate(ev) if f.rule == rule]


def report(*paragraphs: str, ev: Evaluation | None = None) -> Evaluation:
    """Seed 004's table (``clean``) with the report text ``paragraphs`` (正文!A1, A2, …)."""
    ev = ev if ev is not None else clean()
    ev.extra["narrative"] = [(f"正文!A{n}", text) for n, text in enumerate(paragraphs, 1)]
    return ev


def text_only(*paragraphs: str) -> Evaluation:
    """A 部门整体 report with no 自评表 (seed 002): the text against its own figures."""
    ev = Evaluation(source="r.docx", layout="report-text")
    ev.extra["narrative"] = [(f"正文!A{n}", text) for n, text in enumerate(paragraphs, 1)]
    return ev


# --- narrative-total-mismatch ---------------------------------------------------------------------

def test_the_published_total_agrees():
    assert found(report(SEED004_RESULT), "narrative-total-mismatch") == []


@pytest.mark.parametrize(("written", "flagged"), [
    ("99.515", False),          # half a cent: the table's 99.51 rounded
    ("99.52", True),
    ("98.51", True),            # below the table: the other direction
])
def test_total_of_the_text_to_the_cent(written, flagged):
    ev = report(SEED004_RESULT.replace("99.51分", f"{written}分"))
    assert found(ev, "narrative-total-mismatch") == ([("正文!A1", D("99.51"))] if flagged else [])


def test_total_message_names_the_paragraph_and_the_table_cell():
    ev = report("引言。", SEED004_RESULT.replace("99.51分", "98.51分"))
    assert messages(ev, "narrative-total-mismatch") == [
        "正文第2段写“总得分98.51分”，自评表总分为99.51（绩效自评表!H11），两者不一致。"]


def test_total_stated_in_a_table_cell_names_the_cell():
    ev = clean()
    ev.project.goal_actual, ev.project.cells["goal_actual"] = "项目总得分98分。", "绩效自评表!C20"
    assert messages(ev, "narrative-total-mismatch") == [
        "绩效自评表!C20单元格写“总得分98分”，自评表总分为99.51（绩效自评表!H11），两者不一致。"]


def test_total_taken_from_the_text_is_not_compared_with_itself():
    ev = report(SEED004_RESULT.replace("99.51分", "98.51分"))
    ev.cells["total_score"] = "正文!A1"
    assert found(ev, "narrative-total-mismatch") == []


def test_one_agreeing_total_clears_the_others():
    """A department report quotes each project's score: one of them is the table's, the rest are not."""
    ev = report("其中基金监管项目得分为96分。", SEED004_RESULT)
    assert found(ev, "narrative-total-mismatch") == []
    ev = report("其中基金监管项目得分为96分。", SEED004_RESULT.replace("99.51分", "98分"))
    assert found(ev, "narrative-total-mismatch") == [("正文!A1", D("99.51")), ("正文!A2", D("99.51"))]


def test_no_stated_total_nothing_to_compare():
    ev = report(SEED004_RESULT.replace("99.51分", "98分"))
    ev.total_score = None
    assert found(ev, "narrative-total-mismatch") == []


# --- narrative-grade-mismatch ---------------------------------------------------------------------

def test_the_published_grade_agrees():
    assert found(report(SEED004_RESULT), "narrative-grade-mismatch") == []


def test_a_grade_word_of_the_text_against_the_grade_of_the_stated_total():
    ev = report(SEED004_RESULT.replace("优秀", "良好"))           # 良好 is 良; 99.51 is 优
    assert found(ev, "narrative-grade-mismatch") == [("正文!A1", "优")]
    assert messages(ev, "narrative-grade-mismatch") == [
        "正文第1段写“属于\"良好\"”（即“良”），按总分99.51评价等级应为“优”。"]
    ev = report(SEED004_RESULT.replace("优秀", "良好"))
    ev.total_score = D(85)                                        # 80 ≤ 85 < 90: 良
    assert found(ev, "narrative-grade-mismatch") == []


def test_grade_without_a_stated_total_uses_the_rule_total():
    ev = report(SEED004_RESULT.replace("优秀", "合格"))           # 合格 is 中; the rules' 99.51 is 优
    ev.total_score = None
    assert found(ev, "narrative-grade-mismatch") == [("正文!A1", "优")]


def test_a_grade_word_the_profile_does_not_name_is_not_read(tmp_path):
    """A profile naming its grades 优秀/良好/合格/不合格: the text's bare "优" is none of them."""
    from tests.test_rule_profiles import profile

    p = profile(tmp_path, grades=[{"grade": "优秀", "min": 90}, {"grade": "良好", "min": 80},
                                  {"grade": "合格", "min": 60}, {"grade": "不合格", "min": 0}])
    ev = report("评价等级为良。")
    assert [f for f in validate(ev, p) if f.rule == "narrative-grade-mismatch"] == []
    ev = report("评价等级为良好。")
    assert [f.expected for f in validate(ev, p) if f.rule == "narrative-grade-mismatch"] == ["优秀"]
    ev = report("评价等级为良。", "评价等级为良好。")          # the unread word does not stop the next one
    assert [(f.cell, f.expected) for f in validate(ev, p) if f.rule == "narrative-grade-mismatch"] == [
        ("正文!A2", "优秀")]


# --- narrative-rate-mismatch ----------------------------------------------------------------------

EXACT_RATE = D("0.9510")                       # 1521.57 ÷ 1600 = 0.95098…, the rate to 4 decimals (95.10%)


@pytest.mark.parametrize(("written", "flagged"), [
    ("95.1%", False),           # 95.1% = 95.10% at the precision the text shows
    ("95%", False),             # whole percents: 95.098…% is 95%
    ("95.0983%", False),
    ("94.5%", True),
    ("96%", True),
])
def test_execution_rate_of_the_text_at_its_precision(written, flagged):
    ev = report(f"全年预算1600万元，实际执行1521.57万元，执行率{written}。")
    assert found(ev, "narrative-rate-mismatch") == ([("正文!A1", EXACT_RATE)] if flagged else [])


def test_rate_message_gives_the_table_rate():
    ev = report("执行率94.5%。")
    assert messages(ev, "narrative-rate-mismatch") == ["正文第1段写“执行率94.5%”，按表中数字预算执行率为95.10%，两者不一致。"]


def test_stated_rate_of_the_table_counts_when_nothing_recomputes_it():
    """No 执行数: the table's stated 95.1% is what the text is compared with."""
    ev = report("执行率95.1%。")
    ev.budget.executed = None
    ev.budget.rows = []
    assert found(ev, "narrative-rate-mismatch") == []
    ev = report("执行率90%。")
    ev.budget.executed = None
    ev.budget.rows = []
    assert found(ev, "narrative-rate-mismatch") == [("正文!A1", D("0.951"))]


@pytest.mark.parametrize(("written", "flagged"), [("100%", False), ("98%", True)])
def test_arrival_rate_is_available_over_adjusted(written, flagged):
    ev = report(f"资金到位率{written}。")
    assert found(ev, "narrative-rate-mismatch") == ([("正文!A1", D(1))] if flagged else [])


def test_arrival_rate_of_part_of_the_money():
    ev = clean()
    ev.budget.available = D(1500)                                 # 1500 ÷ 1600 = 93.75%
    ev.budget.rows = []
    assert found(report("资金到位率93.75%。", ev=ev), "narrative-rate-mismatch") == []
    ev = clean()
    ev.budget.available = D(1500)
    ev.budget.rows = []
    assert found(report("资金到位率100%。", ev=ev), "narrative-rate-mismatch") == [("正文!A1", D("0.9375"))]
    assert "资金到位率为93.75%" in messages(report("资金到位率100%。", ev=ev), "narrative-rate-mismatch")[0]


def test_no_arrival_rate_without_an_adjusted_budget():
    ev = report("资金到位率90%。")
    ev.budget.adjusted = None
    assert found(ev, "narrative-rate-mismatch") == []


def test_arrival_rate_checked_when_the_table_has_no_execution_rate():
    ev = report("资金到位率90%。")
    ev.budget.executed = ev.budget.rate = None
    ev.budget.rows = []
    assert found(ev, "narrative-rate-mismatch") == [("正文!A1", D(1))]


@pytest.mark.parametrize(("written", "flagged"), [
    ("剩余5%资金未执行", False),   # 1 − 95.098% = 4.902%: 5% in whole percents
    ("剩余4.9%资金未执行", False),
    ("剩余3%尾款未付", True),      # the 廊坊 slip: 3% said unspent
])
def test_unspent_share_is_one_minus_the_rate(written, flagged):
    ev = report(f"{written}。")
    assert found(ev, "narrative-rate-mismatch") == ([("正文!A1", 1 - EXACT_RATE)] if flagged else [])


# --- narrative-amount-mismatch --------------------------------------------------------------------

@pytest.mark.parametrize(("written", "flagged"), [
    ("实际执行1521.57万元", False),
    ("实际执行1521.575万元", False),   # half a cent of 万元
    ("实际执行1521.58万元", True),
    ("实际执行1512.57万元", True),
])
def test_executed_amount_to_the_cent(written, flagged):
    ev = report(f"{written}。")
    assert found(ev, "narrative-amount-mismatch") == ([("正文!A1", D("1521.57"))] if flagged else [])


def test_budget_amount_and_its_message():
    ev = report("全年预算1600万元。")
    assert found(ev, "narrative-amount-mismatch") == []
    ev = report("全年预算1500万元。")
    assert messages(ev, "narrative-amount-mismatch") == ["正文第1段写“全年预算1500万元”，表中预算数为1600万元，两者不一致。"]


def test_amount_in_yuan_below_one_wan_is_a_unit_price_not_checked():
    """"人均支出580元" is 0.058万元: a price, not the project's amount. 10000元 = 1万元 is an amount."""
    assert found(report("人均支出580元。"), "narrative-amount-mismatch") == []
    assert found(report("支出10000元。"), "narrative-amount-mismatch") == [("正文!A1", D("1521.57"))]


def _rows(ev: Evaluation, *rows: tuple[str, Decimal]) -> Evaluation:
    """Replace the funds table's rows by ``rows`` (label, 年度总金额)."""
    ev.budget.rows = [BudgetRow(label=label, values={"年度总金额": v}, cells={"年度总金额": f"预算执行情况!C{4 + i}"})
                      for i, (label, v) in enumerate(rows)]
    return ev


def test_amount_of_another_row_of_the_funds_table_agrees():
    """The text may quote the 其中：本年财政拨款 line: its 执行 / 支出 / 预算 / 到位 figures count."""
    ev = _rows(clean(), ("其中：本年财政拨款执行数", D(1200)), ("其中：上年结转支出", D(300)),
               ("其中：本年财政拨款预算数", D(1250)), ("其中：上年结转到位数", D(350)))
    ev = report("本年财政拨款执行1200万元，上年结转支出300万元，本年财政拨款预算1250万元，上年结转资金下达350万元。", ev=ev)
    assert found(ev, "narrative-amount-mismatch") == []


def test_a_rate_row_or_a_balance_row_states_no_amount():
    """预算执行率(%) 95.1 and 资金结余 78.43 are not amounts spent or budgeted."""
    ev = _rows(clean(), ("预算执行率(%)", D("95.1")), ("资金结余", D("78.43")))
    ev = report("执行95.1万元。", ev=ev)
    assert found(ev, "narrative-amount-mismatch") == [("正文!A1", D("1521.57"))]
    ev = _rows(clean(), ("预算执行率(%)", D("95.1")), ("资金结余", D("78.43")))
    ev = report("支出78.43万元，预算78.43万元。", ev=ev)
    assert found(ev, "narrative-amount-mismatch") == [("正文!A1", D("1521.57")), ("正文!A1", D(1600))]


def test_amounts_of_a_yuan_table_are_compared_in_wan():
    ev = clean()
    ev.budget.unit = "元"
    ev.budget.initial = ev.budget.adjusted = ev.budget.available = D(16000000)
    ev.budget.executed = D(15215700)
    ev.budget.rows = []
    assert found(report("实际执行1521.57万元。", ev=ev), "narrative-amount-mismatch") == []


def test_no_amounts_in_the_table_nothing_to_compare():
    ev = clean()
    ev.budget.executed = None
    ev.budget.rows = []
    ev = report("实际执行1512.57万元，全年预算1500万元。", ev=ev)
    assert found(ev, "narrative-amount-mismatch") == [("正文!A1", D(1600))]


# --- narrative-actual-mismatch --------------------------------------------------------------------

def test_the_published_head_count_agrees_at_the_tables_precision():
    """187385人 = 18.7385万人, shown by the table as 18.74万人."""
    assert found(report(SEED004_OUTPUT), "narrative-actual-mismatch") == []


@pytest.mark.parametrize(("written", "flagged"), [
    ("178385人", True),         # the digits swapped
    ("18.7万人", False),        # the text rounder than the table: 18.74 shown to 1 decimal is 18.7
    ("18.6万人", True),
    ("187400人", False),
    ("18.74万户", False),       # another kind of quantity: not this indicator's actual
    ("178385名", False),        # a unit the check does not read
])
def test_quoted_actual(written, flagged):
    ev = report(SEED004_OUTPUT.replace("187385人", written))
    assert found(ev, "narrative-actual-mismatch") == ([("正文!A1", "18.74万人")] if flagged else [])


def test_actual_message_names_the_indicator_and_its_cell():
    ev = report(SEED004_OUTPUT.replace("187385人", "178385人"))
    assert messages(ev, "narrative-actual-mismatch") == [
        "正文第1段写“补助人数…178385人”，自评表中“补助人数”的实际完成值为“18.74万人”（绩效自评表!F4），两者不一致。"]


@pytest.mark.parametrize("text", [
    "补助人数目标为178385人。",            # a target word before the figure
    "补助人数不低于178385人。",
    "补助人数2021年度为178385人。",       # another number (a year) comes first
])
def test_a_figure_marked_as_a_target_or_after_another_number_is_not_the_actual(text):
    assert found(report(text), "narrative-actual-mismatch") == []


def test_words_without_digits_before_the_figure_leave_it_the_actual():
    assert found(report("补助人数超过十万，共178385人。"), "narrative-actual-mismatch") == [("正文!A1", "18.74万人")]


def test_a_figure_beyond_the_window_is_not_quoted():
    """16 characters after the name: "补助人数" + 17 characters of words before 178385人 is too far."""
    assert found(report("补助人数在全县范围内经过逐户逐人核实登记后确认为178385人。"), "narrative-actual-mismatch") == []


def test_a_year_is_not_a_quoted_actual():
    """补助时间（年） 2021年: "补助时间为2020年度预算安排" names a year, not an actual of 2020 年."""
    assert found(report("补助时间为2020年。"), "narrative-actual-mismatch") == []


def test_a_duration_in_years_is_a_quoted_actual():
    ev = clean()
    ind = ev.indicators[2]
    ind.name, ind.target, ind.actual, ind.completion_stated = "项目实施期限", "≤3年", "2.5年", None
    assert found(report("项目实施期限为2.5年。", ev=ev), "narrative-actual-mismatch") == []
    assert found(report("项目实施期限为3.5年。", ev=ev), "narrative-actual-mismatch") == [("正文!A1", "2.5年")]


def test_the_second_mention_of_a_name_is_read_too():
    ev = report("补助人数目标为180000人，实际补助人数为178385人。")
    assert found(ev, "narrative-actual-mismatch") == [("正文!A1", "18.74万人")]


def test_one_finding_per_paragraph_and_indicator():
    ev = report("补助人数为178385人；补助人数为178386人。")
    assert found(ev, "narrative-actual-mismatch") == [("正文!A1", "18.74万人")]


@pytest.mark.parametrize(("name", "actual"), [
    ("补助人数", "18.74"),            # a bare actual: its unit is unknown
    ("补助人数", "18-19万人"),        # a range is no single figure
    ("人数", "18.74万人"),            # a name of 2 characters matches too much
    ("补助人员", None),
])
def test_actuals_the_check_does_not_quote(name, actual):
    ev = clean()
    ev.indicators[0].name, ev.indicators[0].actual = name, actual
    assert found(report("补助人数为178385人。人数为178385人。", ev=ev), "narrative-actual-mismatch") == []


def test_the_unit_in_brackets_of_the_name_is_not_part_of_it():
    ev = clean()
    ev.indicators[0].name = "补助人数（人）"
    ev = report("补助人数为178385人。", ev=ev)
    assert found(ev, "narrative-actual-mismatch") == [("正文!A1", "18.74万人")]


# --- table-copy-mismatch --------------------------------------------------------------------------

def _copy(*rows: dict) -> dict:
    return {"sheet": "表3", "indicators": [{"target": None, "actual": None, "weight": None, "score": None, **r}
                                           for r in rows]}


def test_the_published_section_tables_agree_with_the_annex():
    """Seed 004's 效益 section table writes 100% where 附件1 writes 100: one number, one unit missing."""
    ev = clean()
    ev.extra["table_copies"] = [_copy(
        {"name": "减轻补助人口看病负担，促进全面建成小康社会", "weight": D(15), "target": "持续", "actual": "100%",
         "score": D(15), "cells": {"actual": "表3!E2"}},
        {"name": "预算执行率", "weight": D(10), "score": D("9.51"), "cells": {"score": "表1!F2"}},
        {"name": "不在自评表中的指标", "actual": "1", "cells": {}})]
    assert found(ev, "table-copy-mismatch") == []


def test_a_copy_that_differs_is_flagged_where_the_copy_stands():
    ev = clean()
    ev.extra["table_copies"] = [_copy({"name": "医疗保险应保尽保", "weight": D(10), "target": "100", "actual": "98%",
                                       "score": D(10), "cells": {"actual": "表3!E3"}})]
    assert found(ev, "table-copy-mismatch") == [("表3!E3", "100%")]
    assert messages(ev, "table-copy-mismatch") == [
        "“医疗保险应保尽保”的实际完成值在表3!E3为“98%”，在自评表绩效自评表!F5为“100%”，同一指标两处不一致。"]


def test_a_budget_copy_with_another_score():
    ev = clean()
    ev.extra["table_copies"] = [_copy({"name": "预算执行率", "weight": D(10), "score": D("9.5"),
                                       "cells": {"score": "表1!F2"}})]
    assert found(ev, "table-copy-mismatch") == [("表1!F2", D("9.51"))]
    assert "在表1!F2为“9.5”，在自评表绩效自评表!H3为“9.51”" in messages(ev, "table-copy-mismatch")[0]


@pytest.mark.parametrize(("copy", "flagged"), [
    ("100%", False), ("1", True),     # 100% is 1 as a ratio, but a bare 1 next to 100% reads as 1, not 100
    ("一百", True),                   # no number to compare: the texts differ
])
def test_copy_values_compare_as_numbers_where_they_can(copy, flagged):
    ev = clean()
    ev.indicators[1].actual = "100%"
    ev.extra["table_copies"] = [_copy({"name": "医疗保险应保尽保", "actual": copy, "cells": {"actual": "表3!E3"}})]
    assert bool(found(ev, "table-copy-mismatch")) is flagged


def test_copies_with_units_compare_by_value():
    """"18.74万人" and "187400人" are one head count."""
    ev = clean()
    ev.extra["table_copies"] = [_copy({"name": "补助人数", "actual": "187400人", "cells": {"actual": "表3!E2"}})]
    assert found(ev, "table-copy-mismatch") == []
    ev.extra["table_copies"] = [_copy({"name": "补助人数", "actual": "187500人", "cells": {"actual": "表3!E2"}})]
    assert found(ev, "table-copy-mismatch") == [("表3!E2", "18.74万人")]


# --- narrative-share-mismatch (seed 002) ------------------------------------------------------------

SEED002_SPENDING = ("2024年本年支出合计3059.53万元,其中:基本支出791.94万元,占25.88%;项目支出2267.59万元,占74.12%;"
                    "上缴上级支出0万元,占0%;经营支出0万元,占0%;对附属单位补助支出0万元,占0%。")


def test_the_published_shares_agree():
    assert found(text_only(SEED002_SPENDING), "narrative-share-mismatch") == []


def test_a_share_is_of_the_amount_before_qizhong():
    ev = text_only(SEED002_SPENDING.replace("占25.88%", "占28.58%"))
    assert found(ev, "narrative-share-mismatch") == [("正文!A1", D("791.94") / D("3059.53"))]
    assert messages(ev, "narrative-share-mismatch") == ["正文第1段写“791.94万元,占28.58%”，按791.94÷3059.53应为25.88%。"]


def test_a_share_of_a_named_total_given_elsewhere_in_the_paragraph():
    """Seed 002's 支出情况: "占决算报表支出的P%" against the 决算报表支出 the paragraph states."""
    text = "渠县医疗保障局2024年决算报表支出3059.53万元。基本支出791.94万元，占决算报表支出的25.88%。"
    assert found(text_only(text), "narrative-share-mismatch") == []
    assert found(text_only(text.replace("25.88%", "28.58%")), "narrative-share-mismatch") == \
        [("正文!A1", D("791.94") / D("3059.53"))]
    assert found(text_only("基本支出791.94万元，占决算报表支出的28.58%。"), "narrative-share-mismatch") == []


def test_a_share_of_the_first_amount_of_a_sentence_has_no_whole():
    """"机关运行经费支出111.1万元，占3.6%": of what the sentence does not say — not checked."""
    assert found(text_only("机关运行经费支出111.1万元，占3.6%。"), "narrative-share-mismatch") == []


def test_a_share_of_the_first_amount_after_the_sentence_total():
    """No 其中: the sentence's first amount is the whole of the shares after it."""
    ev = text_only("本年收入合计100万元，财政拨款收入60万元，占60%；其他收入40万元，占45%。")
    assert found(ev, "narrative-share-mismatch") == [("正文!A1", D("0.4"))]


@pytest.mark.parametrize(("text", "expected"), [
    ("收入合计100万元，其中：财政拨款收入100万元，占90%。", D(1)),     # all of it is 100%
    ("收入合计100万元，其中：财政拨款收入120万元，占50%。", None),     # more than the whole: another base
    ("收入合计0万元，其中：财政拨款收入0万元，占0%。", None),           # nothing to divide by
])
def test_share_bounds(text, expected):
    assert found(text_only(text), "narrative-share-mismatch") == ([("正文!A1", expected)] if expected else [])


# --- narrative-growth-mismatch (seed 002, 南县) -------------------------------------------------------

SEED002_TOTAL = "2024年度收、支总计3059.53万元。与2023年相比,收、支总计各增加1652.76万元,增长117.49%。"


def test_the_published_growth_agrees():
    assert found(text_only(SEED002_TOTAL), "narrative-growth-mismatch") == []


def test_growth_is_the_change_over_last_years_amount():
    ev = text_only(SEED002_TOTAL.replace("117.49%", "171.49%"))
    exact = D("1652.76") / (D("3059.53") - D("1652.76"))          # 1652.76 ÷ 1406.77 = 117.49%
    assert found(ev, "narrative-growth-mismatch") == [("正文!A1", exact)]
    assert messages(ev, "narrative-growth-mismatch") == [
        "正文第1段写“增加1652.76万元,增长171.49%”，按1652.76÷（3059.53−1652.76）应为117.49%。"]


@pytest.mark.parametrize(("text", "expected"), [
    ("支出90万元，比上年减少10万元，下降10%。", None),                 # 90 + 10 = 100 last year: −10%
    ("支出90万元，比上年减少10万元，下降11%。", D("-0.1")),
    ("支出90万元，比上年减少10万元，增长10%。", D("-0.1")),             # a fall written as growth
    ("支出110万元，比上年增加10万元，减少10%。", D("0.1")),
    ("支出10万元，比上年增加10万元，增长100%。", None),                 # nothing last year: no rate
    ("增加10万元，增长10%；收入120万元，增加20万元，增长25%。", D("0.2")),   # the first has no amount before it
])
def test_growth_cases(text, expected):
    assert found(text_only(text), "narrative-growth-mismatch") == ([("正文!A1", expected)] if expected else [])


# --- narrative-parts-mismatch (南县) ---------------------------------------------------------------

NANXIAN_SPENDING = "2、支出：799.12万元。其中：人员经费支出434.89万元，公用经费支出77.4万元，项目支出286.83万元。"


def test_the_published_parts_add_up():
    assert found(text_only(NANXIAN_SPENDING), "narrative-parts-mismatch") == []


def test_parts_that_do_not_add_up():
    ev = text_only(NANXIAN_SPENDING.replace("286.83", "268.83"))   # 434.89 + 77.4 + 268.83 = 781.12
    assert found(ev, "narrative-parts-mismatch") == [("正文!A1", D("781.12"))]
    assert messages(ev, "narrative-parts-mismatch") == [
        "正文第1段写合计799.12万元，“其中”所列3项合计781.12万元，两者不一致。"]


@pytest.mark.parametrize(("whole", "flagged"), [
    ("799.135", False),         # 3 parts: 3 × 0.005 = 0.015 of rounding
    ("799.105", False),
    ("799.14", True),
])
def test_parts_rounding_tolerance(whole, flagged):
    ev = text_only(NANXIAN_SPENDING.replace("799.12", whole))
    assert bool(found(ev, "narrative-parts-mismatch")) is flagged


@pytest.mark.parametrize(("text", "flagged"), [
    ("收入800万元。其中：财政拨款收入500万元，其他收入200万元。", True),      # two parts are a list
    ("收入800万元。其中：财政拨款收入500万元。", False),                     # one part is no list
    ("收入800万元，比上年增加100万元。其中：财政拨款收入500万元，其他收入300万元。", False),  # 800, not the change
    ("收入800万元。其中：1月支出100万元，2月支出200万元。", False),            # cumulative months
    ("收入800万元。其中：财政拨款收入比上年增加500万元，其他收入200万元。", False),   # a change, not a part
    ("收入800万元。其中：财政拨款收入500万元，其中基本支出200万元。", False),   # nested 其中
    ("其中：财政拨款收入500万元，其他收入200万元。", False),                   # no whole before
    ("收入800万元。其中：财政拨款收入500万元，占62.5%，其他收入200万元，占25%。", True),   # shares are asides
])
def test_which_lists_are_parts(text, flagged):
    assert bool(found(text_only(text), "narrative-parts-mismatch")) is flagged


def test_the_list_ends_at_the_sentence_end():
    text = "收入800万元。其中：财政拨款收入500万元，其他收入300万元。另有结转资金50万元。"
    assert found(text_only(text), "narrative-parts-mismatch") == []


# --- narrative-per-capita (seed 002) -----------------------------------------------------------------

SEED002_PER_CAPITA = ("(1)人均资产变化率。渠县医疗保障局2023年资产期末净值417.21万元,年末实有人数55人,人均占有资产7.59万元;"
                      "2024年资产期末净值325.51万元,年末实有人数52人,人均占有资产6.26万元。部门人均资产变化率为-17.52%。")


def test_the_published_per_capita_rate_is_from_rounded_values_information():
    """(6.26 − 7.59) ÷ 7.59 = −17.52% (the rounded per-capita values); unrounded 325.51 ÷ 52 against
    417.21 ÷ 55 = −17.48%."""
    fs = [f for f in validate(text_only(SEED002_PER_CAPITA)) if f.rule == "narrative-per-capita"]
    assert [(f.severity, f.expected) for f in fs] == [("info", D("-0.1748"))]
    assert "按325.51÷52与417.21÷55（不先取整）应为-17.48%" in fs[0].message


def test_the_exact_per_capita_rate_agrees():
    assert found(text_only(SEED002_PER_CAPITA.replace("-17.52%", "-17.48%")), "narrative-per-capita") == []


def test_a_wrong_per_capita_rate_is_a_warning():
    fs = [f for f in validate(text_only(SEED002_PER_CAPITA.replace("-17.52%", "-20%"))) if f.rule == "narrative-per-capita"]
    assert [(f.severity, f.expected) for f in fs] == [("warning", D("-0.1748"))]
    assert fs[0].message == "正文第1段写“人均资产变化率为-20%”，按325.51÷52与417.21÷55应为-17.48%。"


def test_per_capita_years_in_either_order():
    first, second = SEED002_PER_CAPITA.split(";")
    head, y2023 = first.split("渠县医疗保障局")
    y2024, tail = second.split("。部门")
    text = f"{head}渠县医疗保障局{y2024};{y2023}。部门{tail}".replace("-17.52%", "-20%")
    assert found(text_only(text), "narrative-per-capita") == [("正文!A1", D("-0.1748"))]


def test_per_capita_needs_two_years_and_a_nonzero_base():
    one_year = SEED002_PER_CAPITA.split(";")[1].replace("-17.52%", "-20%")
    assert found(text_only(one_year), "narrative-per-capita") == []
    no_base = SEED002_PER_CAPITA.replace("人均占有资产7.59万元", "人均占有资产0万元").replace("-17.52%", "-20%")
    assert found(text_only(no_base), "narrative-per-capita") == []
    assert found(text_only(SEED002_PER_CAPITA.split("部门")[0]), "narrative-per-capita") == []


# --- further cases --------------------------------------------------------------------------------

def test_a_prose_cell_without_a_recorded_cell_is_called_the_text():
    ev = clean()
    ev.project.goal_actual = "项目总得分98分。"
    ev.project.cells.pop("goal_actual", None)
    assert messages(ev, "narrative-total-mismatch")[0].startswith("文字说明写“总得分98分”")


def test_a_small_amount_in_wan_is_checked():
    """"执行0.5万元" is below 1 but written in 万元: an amount of the project, and not 1521.57."""
    assert found(report("执行0.5万元。"), "narrative-amount-mismatch") == [("正文!A1", D("1521.57"))]


def test_a_blank_cell_of_a_funds_row_does_not_hide_the_next():
    from workbook_templates.model import BudgetRow

    ev = clean()
    ev.budget.rows = [BudgetRow(label="其中：本年财政拨款", values={"年初预算数": None, "全年执行数": D(1200)},
                                cells={"年初预算数": "表!C5", "全年执行数": "表!E5"})]
    assert found(report("本年财政拨款执行1200万元。", ev=ev), "narrative-amount-mismatch") == []


def test_seed002_shares_after_two_amounts_are_of_the_last_before_qizhong():
    """Seed 002's 支出情况: 年初预算支出7950.97万元, 决算报表支出3059.53万元, 其中 基本支出791.94万元 占25.88%
    — of the 3059.53 just before 其中 (791.94 ÷ 7950.97 would be 9.96%)."""
    text = ("(二)支出情况。渠县医疗保障局2024年年初预算支出7950.97万元,决算报表支出3059.53万元,其中:基本支出791.94万元,"
            "占25.88%;项目支出2267.59万元,占74.12%;预算支出执行率达100%。")
    assert found(text_only(text), "narrative-share-mismatch") == []
    assert found(text_only(text.replace("占25.88%", "占28.58%")), "narrative-share-mismatch") == \
        [("正文!A1", D("791.94") / D("3059.53"))]


def test_parts_are_of_the_last_amount_before_qizhong():
    text = "年初预算800万元，全年收入792.22万元。其中：财政拨款收入700万元，其他收入92.22万元。"
    assert found(text_only(text), "narrative-parts-mismatch") == []
    assert found(text_only(text.replace("92.22万元。", "100万元。")), "narrative-parts-mismatch") == \
        [("正文!A1", D(800))]
