"""Our own templates are recognised by their hidden _meta sheet and read by defined names
(workbook_templates.template_reader), whichever engine loaded them."""

from __future__ import annotations

from decimal import Decimal

import openpyxl
import pytest

from workbook_templates.loaders import load_openpyxl
from workbook_templates.reader import read_workbook
from workbook_templates.samples import default_data

fill = pytest.importorskip("workbook_templates.fill")
pytest.importorskip("workbook_templates.template_reader")


@pytest.fixture(scope="module")
def filled(tmp_path_factory):
    path = tmp_path_factory.mktemp("tpl") / "project.xlsx"
    fill.fill_template("project", default_data("cz2020-annex"), path)
    return path


@pytest.mark.parametrize("engine", ["openpyxl", "calamine"])
def test_template_read_by_defined_names(filled, engine):
    ev = read_workbook(filled, engine=engine)
    assert ev.layout == "project"                      # the _meta template id, not a guessed layout
    b = ev.budget
    assert (b.initial, b.adjusted, b.executed) == (Decimal(1600), Decimal(1600), Decimal("1521.57"))
    assert [i.name for i in ev.indicators][:2] == ["补助人数（人）", "医疗保险应保尽保"]


def test_engines_agree_on_templates(filled):
    a = read_workbook(filled, engine="openpyxl").to_json()
    b = read_workbook(filled, engine="calamine").to_json()
    assert a == b


def test_defined_names_and_hidden_meta_seen_by_both_openpyxl_modes(filled):
    a, b = load_openpyxl(filled), load_openpyxl(filled, read_only=True)
    assert a.defined_names and a.defined_names == b.defined_names
    assert "_meta" in a.hidden and a.hidden == b.hidden


def test_sheet_option_on_a_template(filled):
    """--sheet is honoured on our templates too: a missing sheet is an error naming it (it used to
    be ignored and the template read anyway)."""
    from workbook_templates.errors import ReadError

    assert read_workbook(filled, sheet="项目支出绩效自评表").layout == "project"
    with pytest.raises(ReadError, match="没有名为“没有这张表”的工作表"):
        read_workbook(filled, sheet="没有这张表")


def test_an_unknown_template_id_in_meta_is_read_by_headers(filled, tmp_path):
    """A _meta naming no template of ours (newer version, hand-edited) used to be a hard error
    '没有名为…的模板'; the sheet is still a 自评表, so it is read by its headers."""
    wb = openpyxl.load_workbook(filled)
    wb["_meta"]["B1"] = "project-v9"
    wb.save(tmp_path / "odd.xlsx")
    ev = read_workbook(tmp_path / "odd.xlsx")
    assert ev.layout != "project-v9"
    assert [i.name for i in ev.indicators][:2] == ["补助人数（人）", "医疗保险应保尽保"]
    assert ev.budget.executed == Decimal("1521.57")   # seed 004's 全年执行数
