"""Pins on the project fields of a 自评表 (``reader/project.py``, issue #18): 项目名称、主管部门、
实施单位、年度 beside their labels, the 年度总体目标 texts under theirs, the year from the title. The
tables are the 附件1 form as published (``tests/pinned_reader_tables.py``; 棠溪镇 for the goal
texts); expected values are the texts the test types.
"""

from __future__ import annotations

from tests import published_tables as pt
from tests.pinned_reader_tables import annex1
from workbook_templates.reader import read_workbook


def test_goal_texts_are_read_under_their_labels(tmp_path):
    """池州市贵池区棠溪镇 委托业务 (published_tables.tangxi_annex1): 年度总体目标 | 预期目标 … 实际完成情况
    on row 10, the two texts under 预期目标 (B11) and 实际完成情况 (F11)."""
    ev = read_workbook(pt.tangxi_annex1(tmp_path / "tx.xlsx"))
    p = ev.project
    assert p.goal.startswith("本项目共申请预算资金90万元。") and p.goal_actual.startswith("本项目共完成预算资金89.97万元。")
    assert (p.cells["goal"], p.cells["goal_actual"]) == ("自评表!B11", "自评表!F11")
    assert (p.name, p.cells["name"]) == ("委托业务项目", "自评表!B3")
    assert (p.unit, p.cells["unit"]) == ("219001-池州市贵池区棠溪镇人民政府", "自评表!G4")


def test_year_from_the_title_and_fields_after_a_yearless_year_cell(tmp_path):
    """"年度" answered "本年度" (no year in it) is no year: the year comes from the title "（2019年度）"
    (A3), and the 主管部门 written further along the same row is still read."""
    top = [["附件1"], ["项目支出绩效自评表"], ["（2019年度）"],
           ["项目名称", "办公宿舍楼、食堂及餐厅暖通改造经费", "年度", "本年度", "主管部门", "廊坊市发改委"]]
    ev = read_workbook(annex1(tmp_path / "y.xlsx", top=top))
    assert (ev.project.year, ev.project.cells["year"]) == (2019, "自评表!A3")
    assert ev.project.department == "廊坊市发改委"


def test_a_year_written_with_nian_du_wins_over_a_bare_year(tmp_path):
    """A title naming another year in passing ("落实2018年审计整改要求") above "（2019年度）": the
    evaluation year is the one written "…年度" — 2019."""
    top = [["项目支出绩效自评表（落实2018年审计整改要求）"], ["（2019年度）"],
           ["项目名称", "办公宿舍楼、食堂及餐厅暖通改造经费"]]
    ev = read_workbook(annex1(tmp_path / "y2.xlsx", top=top))
    assert ev.project.year == 2019


def test_a_year_label_with_its_value(tmp_path):
    """"年度" with 2019 typed as a number beside it (大英县司法局's form puts 年度 in the header rows):
    the year is 2019, read at that cell."""
    top = [["项目支出绩效自评表"], ["项目名称", "办公宿舍楼、食堂及餐厅暖通改造经费", None, "年度", 2019]]
    ev = read_workbook(annex1(tmp_path / "y3.xlsx", top=top))
    assert (ev.project.year, ev.project.cells["year"]) == (2019, "自评表!E2")


def test_the_name_is_the_first_text_right_of_its_label(tmp_path):
    """A 项目名称 row that also carries the project's code (项目名称 | name | 项目编码 | code, as the
    四川 forms print it; the code is 青神县's 51000021R000000019951): the name is the cell right of
    the label, not the code further along."""
    top = [["项目支出绩效自评表"], ["（2023年度）"],
           ["项目名称", "工资性支出", None, "项目编码", "51000021R000000019951"]]
    ev = read_workbook(annex1(tmp_path / "code.xlsx", top=top))
    assert (ev.project.name, ev.project.cells["name"]) == ("工资性支出", "自评表!B3")
