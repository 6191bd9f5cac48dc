"""Pins on the reader package (issue #18, mutation testing): what a user sees of how a published
自评表 is read — which layout, which money unit, which header is which field, which row is what.

Every table is typed the way a clerk types it (openpyxl: numbers, percent cells, text like "150万")
and modelled on a real published table of ``tests/published_tables.py`` (财预〔2020〕10号 附件1 as
廊坊市食品工程学校 published it, http://www.lfsp.cn/newsinfo/1158053.html, unless a test names
another). Expected values are worked out by hand from the table built in the test.
"""

from __future__ import annotations

from decimal import Decimal

import openpyxl

from tests import published_tables as pt
from tests.pinned_reader_tables import annex1
from workbook_templates.loaders import load_book
from workbook_templates.reader import detect_layout, read_workbook

D = Decimal


# --- layout: which published form a sheet is ------------------------------------------------------

def test_annex1_table_is_the_annex_layout(tmp_path):
    """The 廊坊 附件1 table carries 年度指标值 and 实际完成值 (the markers of layouts/cz2020-annex.json)
    and no 指标性质: ``detect_layout`` names it cz2020-annex."""
    book = load_book(pt.langfang_annex1(tmp_path / "lf.xlsx"))
    assert detect_layout(book.grid("自评表")) == "cz2020-annex"


def test_a_unit_column_alone_is_not_the_sichuan_form(tmp_path):
    """四川's form is known by 指标性质 *and* 度量单位 together (layouts/sichuan.json); a 附件1 table
    that adds only a 度量单位 column stays 附件1 — it must not take the 四川 scoring profile."""
    header = [None, "一级指标", "二级指标", "三级指标", "年度指标值", "度量单位", "实际完成值", "分值", "得分"]
    inds = [[None, "产出指标", "数量指标", "改造面积", 1200, "平方米", 1200, 90, 90]]
    ev = read_workbook(annex1(tmp_path / "unit.xlsx", header=header, indicators=inds,
                              total=["总分", None, None, None, None, None, None, 100, 100]))
    assert ev.layout == "cz2020-annex"
    assert "profile" not in ev.extra
    assert ev.indicators[0].target == "1200平方米"


# --- money unit of the funds table ----------------------------------------------------------------

def test_unit_note_in_the_first_row_of_the_sheet(tmp_path):
    """A sheet that starts with its unit note ("单位：元" in A1, no title above) and a funds header
    without a unit: the amounts are 元 — 432000 元 is 43.2 万元."""
    top = [["单位：元"], ["项目名称", "办公宿舍楼、食堂及餐厅暖通改造经费"]]
    funds = [["项目资金", None, "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"],
             [None, "年度资金总额", 432000, 432000, 372400, 10, 0.862, 9]]
    ev = read_workbook(annex1(tmp_path / "yuan.xlsx", top=top, funds=funds))
    assert ev.budget.unit == "元"
    assert ev.budget.adjusted == D(432000)
    assert ev.budget.in_wan(ev.budget.adjusted) == D("43.2")


def test_block_label_on_the_header_row_states_the_unit(tmp_path):
    """"项目资金（元）" typed once in A of the funds header row (not merged down, as a clerk does when
    rebuilding the form): the table's unit is 元 — 372400 元 executed is 37.24 万元."""
    funds = [["项目资金（元）", None, "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"],
             [None, "年度资金总额", 432000, 432000, 372400, 10, 0.862, 9],
             [None, "其中：当年财政拨款", 432000, 432000, 372400]]
    ev = read_workbook(annex1(tmp_path / "yuan.xlsx", funds=funds))
    assert ev.budget.unit == "元"
    assert ev.budget.in_wan(ev.budget.executed) == D("37.24")


def test_amount_columns_grouped_under_a_unit_label_low_on_the_sheet(tmp_path):
    """A funds table under a long project block (its header on row 19): "金额（元）" merged over
    年初预算数/全年预算数/全年执行数 is the unit of those columns — 432000 元 is 43.2 万元."""
    info = [[label, value] for label, value in (
        ("项目名称", "办公宿舍楼、食堂及餐厅暖通改造经费"), ("主管部门", "廊坊市发改委"),
        ("实施单位", "廊坊市食品工程学校"), ("项目负责人", "王明"), ("联系电话", "0316-2011111"),
        ("项目类型", "一般性项目"), ("项目属性", "延续性项目"), ("资金来源", "市级财政"),
        ("立项依据", "廊发改〔2019〕12号"), ("实施期限", "2019年"), ("实施地点", "本校"),
        ("项目概况", "暖通改造"), ("绩效目标", "冬季供暖达标"), ("评价方式", "单位自评"),
        ("评价时间", "2020年3月"))]
    top = [["项目支出绩效自评表"], ["（2019年度）"], *info]
    funds = [["项目资金", None, "金额（元）"],
             [None, None, "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"],
             [None, "年度资金总额", 432000, 432000, 372400, 10, 0.862, 9]]
    ev = read_workbook(annex1(tmp_path / "low.xlsx", top=top, funds=funds, merges=["C18:E18"]))
    assert ev.budget.unit == "元"
    assert ev.budget.in_wan(ev.budget.initial) == D("43.2")


def test_the_block_label_wins_over_a_note_higher_up(tmp_path):
    """A sheet-wide note "金额单位：万元" at the top, and the funds block labelled "项目资金（元）" right
    beside its own figures: the block's own label is the unit of its amounts (元)."""
    top = [["项目支出绩效自评表"], ["（2019年度）"], ["金额单位：万元"],
           ["项目名称", "办公宿舍楼、食堂及餐厅暖通改造经费"]]
    funds = [["项目资金（元）", None, "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"],
             [None, "年度资金总额", 432000, 432000, 372400, 10, 0.862, 9],
             [None, "其中：当年财政拨款", 432000, 432000, 372400]]
    ev = read_workbook(annex1(tmp_path / "both.xlsx", top=top, funds=funds))
    assert ev.budget.unit == "元"


def test_a_unit_in_an_indicator_name_is_not_the_funds_unit(tmp_path):
    """The funds table states no unit anywhere (so 万元, said so); an indicator further down is
    "人均补助标准（元）" — its unit belongs to that indicator, not to the funds table."""
    funds = [["项目资金", None, "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"],
             [None, "年度资金总额", 43.2, 43.2, 37.24, 10, 0.862, 9]]
    inds = [[None, "产出指标", "数量指标", "人均补助标准（元）", 1200, 1200, 90, 90]]
    ev = read_workbook(annex1(tmp_path / "ind.xlsx", funds=funds, indicators=inds,
                              total=["总分", None, None, None, None, None, 100, 99]))
    assert ev.budget.unit == "万元"
    assert ev.recognition.budget["unit_from"].startswith("表中未写明金额单位")
    assert ev.indicators[0].header_unit == "元"


def test_a_caption_far_below_is_not_the_funds_unit(tmp_path):
    """A caption under the whole 自评表 ("附：人员补助明细（元）", a second table the unit appends) is
    more than a funds block away: the funds table keeps 万元 (no unit stated, said so)."""
    funds = [["项目资金", None, "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"],
             [None, "年度资金总额", 43.2, 43.2, 37.24, 10, 0.862, 9]]
    path = annex1(tmp_path / "cap.xlsx", funds=funds)
    wb = openpyxl.load_workbook(path)
    wb["自评表"].append([])
    wb["自评表"].append(["附：人员补助明细（元）"])
    wb.save(path)
    ev = read_workbook(path)
    assert ev.budget.unit == "万元"
    assert ev.budget.executed == D("37.24")


def test_a_pasted_long_number_in_a_money_cell_is_named(tmp_path):
    """全年执行数 holding a 19-digit figure pasted as text (an account number, not an amount) is no
    amount: an unreadable-number error at that cell (E7), and no 执行数 is taken from it."""
    funds = [["项目资金（万元）", None, "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"],
             [None, "年度资金总额", 43.2, 43.2, "6222021001098765432", 10, 0.862, 9]]
    ev = read_workbook(annex1(tmp_path / "paste.xlsx", funds=funds))
    assert ev.budget.executed is None
    assert [(f.rule, f.severity, f.cell) for f in ev.findings if f.rule == "unreadable-number"] == [
        ("unreadable-number", "error", "自评表!E7")]
