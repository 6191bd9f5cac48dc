"""Issue #16 — the official 财预〔2020〕10号 附件1 layout as a sixth template (`annex1`): portrait, one
年度指标值 column with the target as written, a vertical 绩效指标 label over the indicator rows,
native formulas for 执行率/执行得分/总分/等级 (computed here by LibreOffice, compared with seed 004's
published 95.10% / 9.51 / 99.51 / 优), and `fill --from` converting it to and from the project
template without changing a target or an actual (seed 004's 18 against 18.74万人 survives both ways,
with its unit-mismatch)."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from addin.cli import main
from workbook_templates.builder import build_template, recalculate, template_ids
from workbook_templates.reader import read_workbook
from workbook_templates.samples import write_sample
from workbook_templates.template_reader import read_template_file

from .conftest import load_fixture
from .pdf_helpers import needs_pdf_tools, page_count

needs_lo = needs_pdf_tools


def test_annex1_is_listed_and_laid_out_like_the_official_form(tmp_path):
    assert template_ids()[-1] == "annex1"
    ws = load_workbook(build_template("附件1原表", tmp_path / "a.xlsx"))["项目支出绩效自评表"]
    assert ws.page_setup.orientation == "portrait" and ws.page_setup.fitToHeight == 1
    header = {ws.cell(row=12, column=c).value: c for c in range(1, 10)}
    assert list(header)[1:] == ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分",
                                "偏差原因分析及改进措施"]
    assert "指标性质" not in header and "度量单位" not in header
    label = ws["A12"]
    assert label.value == "绩效指标" and label.alignment.text_rotation == 255
    assert any(str(r) == "A12:A42" for r in ws.merged_cells.ranges)
    assert str(ws["H6"].value).startswith("=") and str(ws["H43"].value).startswith("=")   # 执行率, 总分


@pytest.fixture(scope="module")
def converted(tmp_path_factory):
    d = tmp_path_factory.mktemp("annex1")
    published = write_sample("seed004", d / "seed004.xlsx")
    annex = d / "annex1.xlsx"
    assert main(["fill", "annex1", "--from", str(published), "-o", str(annex)]) == 0
    ours = d / "project.xlsx"
    assert main(["fill", "project", "--from", str(annex), "-o", str(ours)]) == 0
    again = d / "annex1-again.xlsx"
    assert main(["fill", "annex1", "--from", str(ours), "-o", str(again)]) == 0
    return published, annex, ours, again


def test_fill_converts_both_ways_keeping_targets_and_actuals(converted):
    published, annex, ours, again = converted
    src = read_workbook(published)
    a, p, b = read_template_file(annex), read_template_file(ours), read_template_file(again)
    assert [(i.name, i.target, i.actual) for i in a.indicators] == [(i.name, i.target, i.actual)
                                                                     for i in src.indicators]
    slip = next(i for i in a.indicators if i.name == "补助人数（人）")
    assert (slip.target, slip.actual) == ("18", "18.74万人")                  # the official form: text as written
    assert next(i for i in p.indicators if i.name == "补助人数（人）").target == "≥18人"   # not ≥18万人
    assert [(i.name, i.actual, i.weight) for i in b.indicators] == [(i.name, i.actual, i.weight) for i in p.indicators]
    assert [i.score for i in a.indicators] == [i.score for i in src.indicators]   # the stated 得分 carried


def test_both_forms_keep_the_finding(converted, capsys):
    _, annex, ours, again = converted
    for path in (annex, ours, again):
        capsys.readouterr()
        assert main(["validate", str(path), "--json"]) == 1
        found = json.loads(capsys.readouterr().out)["findings"]
        assert [f["rule"] for f in found if f["severity"] == "error"] == ["unit-mismatch"], path.name


@pytest.mark.libreoffice
@needs_lo
def test_native_formulas_give_the_published_figures_on_one_page(converted, tmp_path):
    fx = load_fixture("seed004_self_evaluation.json")
    _, annex, _, _ = converted
    lo_xlsx, = recalculate([annex], tmp_path / "lo", "xlsx")
    ev = read_template_file(lo_xlsx)                     # stated = computed by LibreOffice
    assert ev.budget.rate == Decimal(str(fx["expected"]["budget_rate"]))
    assert ev.budget.score == Decimal(str(fx["expected"]["budget_score"]))
    assert ev.total_score == Decimal(str(fx["expected"]["total_score"]))
    assert ev.grade == fx["expected"]["grade"]
    pdf, = recalculate([annex], tmp_path / "pdf", "pdf")
    assert page_count(pdf) == 1
