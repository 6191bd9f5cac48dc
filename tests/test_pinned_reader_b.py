"""Pins on the 指标 table and the whole-workbook reading (``reader/indicators.py``,
``reader/workbook.py``; issue #18, mutation testing): which rows are indicators, subtotals, the
总分 and the 评价等级; which sheet is the 自评表 (hidden, renamed, 填表说明, several per file); what
is said when a column or the funds are missing.

Tables are typed as a clerk types them (openpyxl: merged cells, % cells, "150万" text) on the
财预〔2020〕10号 附件1 form as 廊坊市食品工程学校 published it (2019),
http://www.lfsp.cn/newsinfo/1158053.html (``tests/pinned_reader_tables.annex1``), unless a test
names another source. Expected values are worked out by hand from the table each test builds.
"""

from __future__ import annotations

from decimal import Decimal

from tests.pinned_reader_tables import ANNEX_HEADER, annex1, roles
from workbook_templates.reader import read_workbook

D = Decimal


def names(ev) -> list[str | None]:
    return [i.name for i in ev.indicators]


# --- the end of the table ------------------------------------------------------------------------

def test_two_projects_stacked_with_the_total_in_the_name_column(tmp_path):
    """Two 附件1 tables on one sheet, each closing with "合计" typed in the 三级指标 column (D12; the
    一级 cell blank): the second project's 项目名称 row under the first 合计 starts another table, so
    that 合计 is the first table's 总分 (100 / 94 — 50 + 50 分值, 45 + 49 得分), not a 满意度
    subtotal; the second project's 设备数量/师生满意度 are not read into the first (they were)."""
    inds = [[None, "产出指标", "数量指标", "工程资金金额", 43.2, 37.24, 50, 45],
            [None, "满意度指标", "服务对象满意度指标", "学生满意度", "≥90%", "95%", 50, 49],
            [None, None, None, "合计", None, None, 100, 94],
            [],
            ["项目支出绩效自评表"], ["项目名称", "食堂设备购置"], ANNEX_HEADER,
            [None, "产出指标", "数量指标", "设备数量", "12台", "12台", 60, 60],
            [None, "满意度指标", "服务对象满意度指标", "师生满意度", "≥90%", "95%", 40, 40]]
    ev = read_workbook(annex1(tmp_path / "two.xlsx", indicators=inds,
                              total=[None, None, None, "合计", None, None, 100, 100]))
    assert names(ev) == ["工程资金金额", "学生满意度"]
    assert (ev.weights_total, ev.total_score) == (D(100), D(94))
    assert ev.cells["total_score"] == "自评表!H12"
    assert "subtotals" not in ev.extra
    assert roles(ev)[-1] == ("total", "合计")
