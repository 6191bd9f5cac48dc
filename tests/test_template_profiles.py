"""Templates carry their rules (issue #17): ``jixiao template --profile`` embeds the resolved profile
in ``_meta`` with a checksum; a workbook is scored by the rules it carries; every output says which
profile was used and why; an altered template is flagged.

The province profile below is made up for the tests (no real province publishes exactly these
numbers): it differs from 财预〔2020〕10号 in the 预算执行率 points (20), the level-1 weights
(40/30/10), the qualitative bands (达成 90–100 %, 部分达成 70–90 %) and the grade names and
thresholds (优秀 ≥ 95, 良好 ≥ 85, 合格 ≥ 70).
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from addin.cli import main
from udfs import load_profile
from workbook_templates.builder import recalculate
from workbook_templates.fill import fill_template
from workbook_templates.libreoffice import find_soffice
from workbook_templates.meta import profile_json, read_meta
from workbook_templates.reader import read_workbook
from workbook_templates.template_reader import read_template_file

from .test_templates_engine import seed004_read_as_published

D = Decimal

PROVINCE = {
    "id": "demo-province", "title": "某省项目支出绩效自评（测试用）", "version": "2026.1", "extends": "cz2020-10",
    "weights": {"预算执行率": 20, "产出指标": 40, "效益指标": 30, "满意度指标": 10}, "budget_weight": 20,
    "grades": [{"grade": "优秀", "min": 95}, {"grade": "良好", "min": 85}, {"grade": "合格", "min": 70},
               {"grade": "不合格", "min": 0}],
    "qualitative_bands": [
        {"band": "达成", "label": "达成年度指标", "min": 0.9, "max": 1.0, "keywords": ["达成", "达到", "完成"]},
        {"band": "部分达成", "label": "部分达成年度指标", "min": 0.7, "max": 0.9, "keywords": ["部分达成", "基本完成"]},
        {"band": "未达成", "label": "未达成年度指标", "min": 0.0, "max": 0.7, "keywords": ["未达成", "未完成"]}],
}


@pytest.fixture()
def province(tmp_path) -> Path:
    path = tmp_path / "my-province.json"
    path.write_text(json.dumps(PROVINCE, ensure_ascii=False), encoding="utf-8")
    return path


def run_json(capsys, *argv: str) -> tuple[int, dict]:
    code = main([*argv, "--json"])
    return code, json.loads(capsys.readouterr().out)


def meta_of(path: Path):
    from workbook_templates.loaders import load_openpyxl

    return read_meta(load_openpyxl(path).grid("_meta"))


def province_unit(seed004: dict) -> dict:
    """Seed 004's published table (临汾 医疗保险基金补助 2021) without its 预算执行率 row — so the
    template's 分值 cell keeps the profile's 20 — and its 可持续影响 row, plus one qualitative row
    judged 部分达成 (5 points): the weights add to 100 again. 补助人数 is read as the published score
    reads it (18万人): as written, fill keeps 18 人 against 18.74万人 and the formula leaves it unscored."""
    data = seed004_read_as_published(seed004)
    data["indicators"] = [i for i in data["indicators"] if i["name"] not in ("预算执行率", "推动我县医保事业发展")]
    data["indicators"].insert(5, {"level1": "效益指标", "level2": "社会效益指标", "name": "群众获得感",
                                  "target": "效果明显", "actual": "部分达成", "weight": 5})
    return data


def test_template_embeds_the_resolved_profile_and_versions(tmp_path, province, capsys):
    out = tmp_path / "自评表.xlsx"
    assert main(["template", "project", "--profile", str(province), "-o", str(out)]) == 0
    meta = meta_of(out)
    resolved = load_profile(str(province)).data
    assert "extends" not in meta.profile_data
    assert meta.profile_data == json.loads(profile_json(resolved))
    assert meta.profile_data["qualitative_bands"][0]["min"] == 0.9           # the province's, after extends
    assert meta.profile_data["units"]["magnitudes"]["万"] == 10000            # inherited from cz2020-10
    assert (meta.template_id, meta.version, meta.profile_id, meta.profile_version) == (
        "project", "1.0", "demo-province", "2026.1")
    assert meta.checksum and meta.cells["L12"].startswith("=") and not meta.cells["A1"].startswith("=")
    wb = openpyxl.load_workbook(out)
    assert wb["_meta"].sheet_state == "hidden" and wb["_meta"].protection.sheet
    assert wb.worksheets[0]["K5"].value == 20                                 # 执行分值 from the profile


def test_score_uses_the_embedded_profile_without_it_being_installed(tmp_path, province, seed004, capsys):
    """The unit has only the workbook: the profile file is gone, score still uses its rules."""
    path = fill_template("project", province_unit(seed004), tmp_path / "unit.xlsx",
                         profile=load_profile(str(province)))
    province.unlink()
    _, data = run_json(capsys, "score", str(path))
    assert data["profile"]["id"] == "demo-province" and data["profile"]["source"] == "template"
    assert data["budget"]["rule_score"] == 19.02        # 20 × min(1521.57 ÷ 1600, 1) = 19.02
    qual = next(i for i in data["indicators"] if i["name"] == "群众获得感")
    assert qual["rule_score"] == 4.5                    # 5 × 90 %: top of the province's 部分达成 band
    assert "template-altered" not in [f["rule"] for f in data["findings"]]
    _, data = run_json(capsys, "score", str(path), "--profile", "cz2020-10")   # --profile still wins
    assert data["profile"]["source"] == "option" and data["budget"]["rule_score"] == 19.02
    qual = next(i for i in data["indicators"] if i["name"] == "群众获得感")
    assert qual["rule_score"] == 3.5                    # 5 × 70 %: the default profile's 部分达成 share ([60%,80%), default 70%)


@pytest.mark.libreoffice
@pytest.mark.skipif(find_soffice() is None, reason="LibreOffice (soffice) 未安装")
def test_native_formulas_in_libreoffice_equal_score_without_profile(tmp_path, province, seed004, capsys):
    """The acceptance: the template's own formulas (computed by LibreOffice) give what `jixiao score`
    gives on the same file with no --profile — for the budget part, every indicator, total, grade."""
    path = fill_template("project", province_unit(seed004), tmp_path / "unit.xlsx",
                         profile=load_profile(str(province)))
    libreoffice_equals_score(path, tmp_path, capsys)
    # LibreOffice re-saved the file: same formulas and labels, so it is not "altered"
    again = read_workbook(str(tmp_path / "lo" / "unit.xlsx"))
    assert "template-altered" not in [f.rule for f in again.findings]


def libreoffice_equals_score(path: Path, tmp_path: Path, capsys):
    """`jixiao score` (no --profile) on seed 004's table filled into a template with the province's
    rules, against the same file recalculated by LibreOffice: budget part, every indicator, total
    98.52 and grade 优秀 (98.52 ≥ 95: the province's top grade). Returns (LibreOffice's, score's)."""
    _, data = run_json(capsys, "score", str(path))
    assert data["profile"]["source"] == "template"
    lo = read_template_file(recalculate([path], tmp_path / "lo")[0])
    assert lo.budget.score == D("19.02") == D(str(data["budget"]["rule_score"]))
    assert [i.name for i in lo.indicators] == [i["name"] for i in data["indicators"]]
    for ind, rule in zip(lo.indicators, data["indicators"], strict=True):
        assert ind.score == D(str(rule["rule_score"])), ind.name
    assert lo.total_score == D(str(data["rule_total_score"])) == D("98.52")
    assert lo.grade == data["grade"] == "优秀"
    return lo, data


def _edit(src: Path, dst: Path, fn) -> Path:
    wb = openpyxl.load_workbook(src)
    fn(wb)
    wb.save(dst)
    return dst


def test_altered_formula_label_or_profile_is_flagged(tmp_path, province, seed004, capsys):
    path = fill_template("project", province_unit(seed004), tmp_path / "unit.xlsx",
                         profile=load_profile(str(province)))
    sheet = "项目支出绩效自评表"

    def formula(wb):                 # a clerk types the score over the protected formula
        wb[sheet]["L12"] = 20

    def label(wb):
        wb[sheet]["K4"] = "权重"

    def profile(wb):                 # someone loosens the bands in _meta
        ws = wb["_meta"]
        row = next(r for r in range(1, 20) if ws.cell(r, 1).value == "profile_data")
        ws.cell(row, 2).value = ws.cell(row, 2).value.replace('"min":0.9', '"min":0.5')

    def band_table(wb):              # … or the 档次 table the native formulas read (达成 from 90 % to 50 %)
        ws = wb["_meta"]
        row = next(r for r in range(1, 60) if ws.cell(r, 1).value == "达成" and ws.cell(r, 2).value == 0.9)
        ws.cell(row, 2).value = 0.5

    def switch(wb):                  # … or a scoring switch (反向 scored linearly)
        ws = wb["_meta"]
        row = next(r for r in range(1, 60) if ws.cell(r, 1).value == "反向线性")
        ws.cell(row, 2).value = 1 - ws.cell(row, 2).value

    def tables_gone(wb):             # … or the tables' header row cleared, so nothing is found to compare
        ws = wb["_meta"]
        row = next(r for r in range(1, 60) if ws.cell(r, 1).value == "档次")
        ws.cell(row, 1).value = None

    for name, fn, want in (("formula", formula, "L12"), ("label", label, "K4"), ("profile", profile, "内嵌评分规则"),
                           ("bands", band_table, "规则表被改动"), ("switch", switch, "规则表被改动"),
                           ("tables", tables_gone, "规则表被删改")):
        bad = _edit(path, tmp_path / f"{name}.xlsx", fn)
        code, data = run_json(capsys, "validate", str(bad))
        altered = [f for f in data["findings"] if f["rule"] == "template-altered"]
        assert len(altered) == 1 and want in altered[0]["message"], (name, altered)
        assert code == 1
    # input cells are the unit's to fill: no flag
    ok = _edit(path, tmp_path / "ok.xlsx", lambda wb: wb[sheet].__setitem__("B2", "另一个项目"))
    _, data = run_json(capsys, "validate", str(ok))
    assert "template-altered" not in [f["rule"] for f in data["findings"]]


def test_a_path_in_meta_is_never_loaded(tmp_path, province, capsys):
    """Issue #10 item 6: a _meta naming a .json file (no embedded profile, as an old or hand-edited
    template) must not make the tool read that file — the default applies and says why."""
    from workbook_templates.builder import build_template

    evil = tmp_path / "evil.json"
    evil.write_text(json.dumps({"id": "evil", "budget_weight": 99}), encoding="utf-8")
    path = build_template("project", tmp_path / "t.xlsx")

    def old_style(wb):
        ws = wb["_meta"]
        ws["B3"] = str(evil)
        for r in range(1, 12):
            if ws.cell(r, 1).value in ("profile_data", "profile_checksum", "cells", "checksum"):
                ws.cell(r, 2).value = None
    bad = _edit(path, tmp_path / "old.xlsx", old_style)
    _, data = run_json(capsys, "score", str(bad))
    assert data["profile"]["id"] == "cz2020-10" and data["profile"]["source"] == "default"
    assert "不是内置评分规则" in data["profile"]["reason"]


def test_embedded_profile_of_the_wrong_shape_is_refused_not_crashed(tmp_path, capsys):
    from workbook_templates.builder import build_template

    path = build_template("project", tmp_path / "t.xlsx")

    def broken(wb):
        ws = wb["_meta"]
        row = next(r for r in range(1, 20) if ws.cell(r, 1).value == "profile_data")
        data = json.loads(ws.cell(row, 2).value)
        data["grades"] = 90                  # a number where a list belongs
        ws.cell(row, 2).value = json.dumps(data, ensure_ascii=False)
    bad = _edit(path, tmp_path / "bad.xlsx", broken)
    code, data = run_json(capsys, "validate", str(bad))
    assert code == 1 and data["profile"]["source"] == "template"    # the shipped id in _meta
    altered = [f for f in data["findings"] if f["rule"] == "template-altered"]
    assert altered and "grades" in altered[0]["message"]


def test_every_terminal_output_names_the_profile(tmp_path, province, seed004, capsys):
    path = fill_template("project", province_unit(seed004), tmp_path / "unit.xlsx",
                         profile=load_profile(str(province)))
    for cmd in ("read", "score", "validate"):
        main([cmd, str(path)])
        out = capsys.readouterr().out
        assert "评分规则：某省项目支出绩效自评（测试用）（demo-province 2026.1；工作簿模板" in out, cmd


def test_the_report_is_scored_by_the_embedded_rules_and_says_so(tmp_path, province, seed004, capsys):
    """`jixiao report` on the unit's workbook, the profile file gone: the province's total and
    grade (98.52, 优秀 — its 优秀 ≥ 95) and the note under 附表1 naming the embedded rules."""
    import docx

    path = fill_template("project", province_unit(seed004), tmp_path / "unit.xlsx",
                         profile=load_profile(str(province)))
    province.unlink()
    assert main(["report", str(path), "-o", str(tmp_path / "r.docx")]) == 0
    doc = docx.Document(str(tmp_path / "r.docx"))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "本项目自评得分98.52分，评价等级为“优秀”" in text
    assert "评分规则：某省项目支出绩效自评（测试用）（demo-province 2026.1；工作簿模板（project 1.0）内嵌的评分规则）" in text


@pytest.mark.parametrize("command", ["template", "score"])
def test_a_profile_of_the_wrong_shape_is_a_chinese_error(tmp_path, capsys, command):
    """Issue #10 item 6: a number where a list belongs, in --profile, is refused with a message."""
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"id": "bad", "extends": "cz2020-10", "grades": 90}), encoding="utf-8")
    from workbook_templates.builder import build_template

    unit = build_template("project", tmp_path / "t.xlsx")
    argv = ["template", "project", "--profile", str(bad), "-o", str(tmp_path / "x.xlsx")] if command == "template" \
        else ["score", str(unit), "--profile", str(bad)]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("错误：") and "grades" in err and "Traceback" not in err


def test_formulas_in_sheet_xml_as_libreoffice_and_excel_write_them():
    """Self-closing empty cells before a formula cell (LibreOffice writes ``<c r="H13" s="12"/>``),
    escaped text, a shared formula's dependent cell, and validation ``<formula1>`` elements."""
    from workbook_templates.meta import cell_content, formulas_in_sheet_xml

    xml = (b'<sheetData><row r="13"><c r="H13" s="12"/><c r="I13" s="14" t="n"><f aca="false">'
           b'IF(C7&gt;0,ROUND(C13*MAX(0,MIN(1,C9/C7)),2),&quot;&quot;)</f><v>9.51</v></c>'
           b'<c r="J13" t="s"><v>3</v></c><c r="K13"><f t="shared" ref="K13:K14" si="0">A13*2</f></c>'
           b'<c r="K14"><f t="shared" si="0"/><v>4</v></c><c r="L13" t="str"><f>COUNTIF(&#26723;&#27425;,"x")</f>'
           b'<v></v></c></row></sheetData><dataValidations><dataValidation><formula1>"a,b"</formula1>'
           b'</dataValidation></dataValidations>')
    got = formulas_in_sheet_xml(xml)
    assert got == {"I13": 'IF(C7>0,ROUND(C13*MAX(0,MIN(1,C9/C7)),2),"")', "K13": "A13*2", "K14": None,
                   "L13": 'COUNTIF(档次,"x")'}
    # LibreOffice's FALSE() and Excel's $ and _xlfn. do not count as edits
    assert cell_content(None, "VLOOKUP(A1,$B$1:$C$3,2,FALSE())") == cell_content("=VLOOKUP(A1,B1:C3,2,FALSE)")
    assert cell_content(None, "_xlfn.IFS(A1>1, 1)") == cell_content("=IFS(A1>1,1)")


@pytest.mark.libreoffice
@pytest.mark.skipif(find_soffice() is None, reason="LibreOffice (soffice) 未安装")
def test_every_template_resaved_by_libreoffice_is_not_altered(tmp_path):
    """LibreOffice re-saves formulas its own way (FALSE(), self-closing empty cells, shared strings):
    the checksum of each of the templates, filled with its sample, still holds; a typed-over
    formula in the re-saved file is still caught."""
    from workbook_templates.fill import write_samples

    filled = {k: v for k, v in write_samples(tmp_path / "in").items() if k.endswith("示例")}
    outs = recalculate(list(filled.values()), tmp_path / "lo")
    for path in outs:
        ev = read_workbook(str(path), engine="calamine")
        assert ev.extra["template"]["checksum"] and "altered" not in ev.extra["template"], path.name
    wb = openpyxl.load_workbook(outs[0])
    ws = wb.worksheets[0]
    ref = next(c.coordinate for row in ws.iter_rows() for c in row
               if isinstance(c.value, str) and c.value.startswith("="))
    ws[ref] = 1
    wb.save(tmp_path / "typed.xlsx")
    ev = read_workbook(str(tmp_path / "typed.xlsx"))
    assert ref in ev.extra["template"]["altered"]
