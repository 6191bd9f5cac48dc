"""QA: a funds table in a Word report whose amounts are in 元 by a line above it (“单位：元”, the way
units paste a table under its caption) is read in 元, as a table whose header says “（元）” is.
Found by QA: the line is a paragraph, not a cell of the table, so the table was taken as 万元 — the
汇总表 counted 432000元 as 432000万元 and the budget-weighted score became that unit's.

Source: 廊坊市食品工程学校 2019 自评表 (http://www.lfsp.cn/newsinfo/1158053.html, in
tests/fixtures/reports/langfang-2019.txt), its 项目资金 43.2 / 43.2 / 37.24 万元 rewritten in 元 the
way a unit's finance software exports it. Expected figures by hand: 432000元 = 43.2万元; that table's
rule total is 98 − (9 − 8.62) − (9 − 8.62) = 97.24 (10 × 37.24 ÷ 43.2 = 8.62 twice); seed 004
(1600万元) scores 99.51; weighted (1600 × 99.51 + 43.2 × 97.24) ÷ 1643.2.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import openpyxl
import pytest

from addin.cli import main as cli_main
from addin.validate import read_evaluation, validate
from tests.docx_reports import REPORTS, build

D = Decimal
FUNDS = "| ^ | 年度资金总额 | 43.2 | 43.2 | 37.24 | 10 | 86% | 9 |"
PART = "| ^ | 其中：当年财政拨款 | 43.2 | 43.2 | 37.24 |"


def _yuan(header: str) -> str:
    text = (REPORTS / "langfang-2019.txt").read_text(encoding="utf-8")
    assert FUNDS in text and PART in text and "| 项目资金\\n（万元） |" in text
    text = text.replace(FUNDS, "| ^ | 年度资金总额 | 432,000.00 | 432,000.00 | 372,400.00 | 10 | 86% | 9 |")
    text = text.replace(PART, "| ^ | 其中：当年财政拨款 | 432,000.00 | 432,000.00 | 372,400.00 |")
    return text.replace("| 项目资金\\n（万元） |", f"| {header} |")


CASES = {"header": _yuan("项目资金\\n（元）"),                                   # control: in the table
         "caption": _yuan("项目资金").replace("（2019年度）\n", "（2019年度）\n单位：元\n"),
         "above-title": _yuan("项目资金").replace("附件1\n", "附件1\n金额单位：元\n")}


@pytest.mark.parametrize("case", CASES)
def test_funds_in_yuan_by_the_line_above(tmp_path, case):
    ev, prof = read_evaluation(str(build(CASES[case], tmp_path / f"{case}.docx")))
    assert ev.budget.unit == "元"
    assert ev.budget.adjusted == D("432000")            # the cell as written
    assert "元" in ev.recognition.budget["unit_from"]


@pytest.mark.parametrize("case", CASES)
def test_consolidation_weights_it_in_wanyuan(tmp_path, case):
    folder = tmp_path / "各单位"
    folder.mkdir()
    build(CASES[case], folder / "廊坊食品学校.docx")
    build("seed004", folder / "医保中心.docx")
    out = tmp_path / "汇总.xlsx"
    assert cli_main(["consolidate", str(folder), "-o", str(out)]) == 0
    ws = openpyxl.load_workbook(out)["汇总表"]
    head = [c.value for c in ws[2]]
    rows = {r[1]: r for r in ws.iter_rows(min_row=3, values_only=True) if isinstance(r[0], int)}
    budget, rule = head.index("全年预算数"), head.index("规则得分")
    assert D(str(rows["廊坊食品学校.docx"][budget])) == D("43.2")
    assert D(str(rows["廊坊食品学校.docx"][rule])) == D("97.24")
    weighted = next(r for r in ws.iter_rows(min_row=3, values_only=True) if str(r[0]).startswith("资金加权得分"))
    expect = ((D(1600) * D("99.51") + D("43.2") * D("97.24")) / D("1643.2")).quantize(D("0.01"), ROUND_HALF_UP)
    assert D(str(weighted[rule])) == expect


def test_text_in_wanyuan_agrees_with_it(tmp_path):
    """“全年预算43.2万元，实际执行37.24万元” is the table's 432000元 / 372400元: no false alarm; a wrong
    amount (37.42万元) still is one."""
    text = CASES["caption"] + "\n全年预算43.2万元，实际执行37.24万元，执行率86.20%。\n"
    ev, prof = read_evaluation(str(build(text, tmp_path / "ok.docx")))
    assert not [f for f in validate(ev, prof) if f.rule == "narrative-amount-mismatch"]
    ev, prof = read_evaluation(str(build(text.replace("37.24万元", "37.42万元"), tmp_path / "bad.docx")))
    bad = [f for f in validate(ev, prof) if f.rule == "narrative-amount-mismatch"]
    assert len(bad) == 1 and "37.42" in bad[0].message
