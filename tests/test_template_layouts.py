"""A province's table layout as data (issue #17): ``jixiao template --layout 表样.json`` builds our
template with a 财政局's own title, labels, footer and number of indicator rows; the layout is
embedded in ``_meta`` so a unit's workbook is read, filled and checked by the table it carries.

The layout of the tests copies the wording of a published provincial form: 池州市贵池区棠溪镇
“附件：项目支出绩效自评表（2022年度）” (http://www.anthempetcare.com/upload_cz/download?id=502364&siteId=2 —
the stored page holds its opening only: the title with its year, “其中：本年财政拨款”, the
“年度指标值” column), and the signature line “项目负责人： 财务负责人：” of a published 自评表
(https://dyrmt.com/article-132779-22.html). The 20 indicator rows are the layout's choice (fewer
than our 30); the 40-row variant is for a form with many indicators. The rules are the made-up
province profile of ``test_template_profiles``.
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
from workbook_templates.layout import layout_problems, load_layout, resolve, shift_rows
from workbook_templates.libreoffice import find_soffice
from workbook_templates.template_reader import read_template_file

from .test_template_profiles import PROVINCE, libreoffice_equals_score, meta_of, province_unit, run_json

D = Decimal
SHEET = "项目支出绩效自评表"

CHIZHOU = {
    "id": "chizhou-project", "extends": "project", "title": "项目支出绩效自评表（2022年度）", "version": "2022.1",
    "source": "池州市贵池区 2022 年项目支出绩效自评表（附件）的栏目名称；签字栏参照已公开自评表",
    "cells": [
        {"ref": "A1:M1", "value": "项目支出绩效自评表\n（2022年度）"},
        {"ref": "B6:D6", "value": "其中：本年财政拨款"},
        {"ref": "E11", "value": "年度指标值"},
        {"ref": "A35:B35", "value": "项目负责人："},
        {"ref": "D35:F35", "value": "财务负责人："},
    ],
    "tables": [{"id": "indicators", "rows": 20}],
}


@pytest.fixture()
def files(tmp_path) -> dict[str, Path]:
    out = {}
    for name, data in (("layout", CHIZHOU), ("province", PROVINCE)):
        out[name] = tmp_path / f"{name}.json"
        out[name].write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return out


def test_layout_builds_the_provinces_form(tmp_path, files, capsys):
    out = tmp_path / "表.xlsx"
    assert main(["template", "--layout", str(files["layout"]), "--profile", str(files["province"]), "-o", str(out)]) == 0
    assert "按表样“chizhou-project” 2022.1和指定评分规则生成" in capsys.readouterr().out
    ws = openpyxl.load_workbook(out)[SHEET]
    assert ws["A1"].value == "项目支出绩效自评表\n（2022年度）" and ws["E11"].value == "年度指标值"
    assert ws["B6"].value == "其中：本年财政拨款"
    # 20 rows (12–31): 总分 moves up from row 42 to 32, its formulas sum the 20 rows
    assert ws["A32"].value == "总分" and ws["K32"].value == "=SUM(K5,K12:K31)"
    assert ws["L32"].value == '=IF(COUNT(M5,L12:L31)=0,"",ROUND(N(M5)+SUM(L12:L31),2))'
    assert ws["L33"].value == '=IF(ISNUMBER(L32),LOOKUP(L32,等级下限,等级名称),"")'
    assert ws["A35"].value == "项目负责人：" and ws["D35"].value == "财务负责人："
    assert ws.print_area == "'项目支出绩效自评表'!$A$1:$M$35"
    assert [str(r.sqref) for r in ws.conditional_formatting] == ["M12:M31"]
    assert ws["L31"].value.startswith("=IF(OR(NOT(ISNUMBER(K31))") and ws["L32"].value != ws["L31"].value
    meta = meta_of(out)
    assert meta.template_id == "project" and meta.version == "2022.1" and meta.layout_id == "chizhou-project"
    assert meta.layout_data["tables"][0]["rows"] == 20 and meta.profile_data["id"] == "demo-province"


def test_growing_the_table_moves_everything_below_it():
    """40 rows: every reference below the table moves by 10, a range ending on the last row
    ends on the new last row; references above it and inside text stay."""
    from workbook_templates.builder import load_spec

    base = load_spec("project")
    spec = shift_rows(base, "indicators", 40)
    cells = {c["ref"]: c for c in spec["cells"]}
    assert cells["K52"]["value"] == "=SUM(K5,K12:K51)"
    assert cells["M52"]["value"] == '=IF(OR(SUM(K12:K51)=0,K52={profile.total}),"","提示：分值合计应为"&{profile.total})'
    assert "A44:M44" not in cells and cells["A54:M54"]["value"].startswith("填表说明")
    assert cells["L5"] == next(c for c in base["cells"] if c["ref"] == "L5")          # above: unchanged
    assert spec["print"] == {**base["print"], "area": "A1:M55"} and spec["freeze"] == "A12"
    assert spec["conditional_formats"][0]["range"] == "M12:M51"
    assert spec["tables"][0]["rows"] == 40 and base["tables"][0]["rows"] == 30        # the shipped spec untouched


def test_merge_rules_cells_by_ref_tables_by_id_objects_by_key():
    from workbook_templates.builder import load_spec

    base = load_spec("project")
    spec = resolve({"id": "x", "extends": "project", "title": "t", "version": "1",
                    "cells": [{"ref": "A45:B45", "remove": True}, {"ref": "C45", "value": "张三", "style": "input_text"},
                              {"ref": "A2", "value": "项目名称（全称）"}],
                    "tables": [{"id": "indicators", "columns": [{"col": "M", "name": "偏差原因"}]}],
                    "validations": {"level1": {"values": ["产出指标", "效益指标", "满意度指标", "成本指标"]}},
                    "columns": {"C": 30}}, base)
    cells = {c["ref"]: c for c in spec["cells"]}
    assert "A45:B45" not in cells and cells["C45"]["value"] == "张三"
    assert cells["A2"] == {"ref": "A2", "value": "项目名称（全称）", "style": "label"}
    m = next(c for c in spec["tables"][0]["columns"] if c["col"] == "M")
    assert m["name"] == "偏差原因" and m["key"] == "reason"                           # merged, not replaced
    assert spec["validations"]["level1"]["values"][-1] == "成本指标"
    assert spec["validations"]["level1"]["error_style"] == "warning"                  # kept from the shipped spec
    assert spec["columns"]["C"] == 30 and spec["columns"]["D"] == base["columns"]["D"]
    assert (spec["id"], spec["layout"], spec["version"]) == ("project", "x", "1")


def test_a_unit_workbook_is_read_by_the_layout_it_carries(tmp_path, files, seed004, capsys):
    """40 rows and 35 indicators: more than our standard table holds — read, filled and scored by
    the embedded layout, nothing installed (the layout file is gone)."""
    grown = {**CHIZHOU, "id": "chizhou-project-40", "tables": [{"id": "indicators", "rows": 40}], "cells": [
        {"ref": "A1:M1", "value": "项目支出绩效自评表（2022年度）"}]}
    path = tmp_path / "grown.json"
    path.write_text(json.dumps(grown, ensure_ascii=False), encoding="utf-8")
    spec = load_layout(path)
    data = province_unit(seed004)
    data["indicators"] = [{"level1": "产出指标", "level2": "数量指标", "name": f"培训人次{i}", "target": "≥100人次",
                           "actual": f"{90 + i}人次", "weight": 2} for i in range(35)]
    unit = fill_template(spec, data, tmp_path / "unit.xlsx", profile=load_profile(str(files["province"])))
    path.unlink()
    _, result = run_json(capsys, "score", str(unit))
    assert len(result["indicators"]) == 35 and result["indicators"][-1]["cell"] == f"{SHEET}!C46"
    assert result["template"]["layout"] == "chizhou-project-40" and result["template"]["altered"] is None
    # 2 × min(1, (90+i)/100) summed over i = 0…34, plus 20 × min(1, 1521.57/1600) = 19.02
    expected = sum(D(2) * min(D(1), D(90 + i) / 100) for i in range(35)).quantize(D("0.01")) + D("19.02")
    assert D(str(result["rule_total_score"])) == expected
    with pytest.raises(Exception, match="最多可填 30 行"):                 # the standard table cannot hold them
        fill_template("project", data, tmp_path / "std.xlsx")


@pytest.mark.libreoffice
@pytest.mark.skipif(find_soffice() is None, reason="LibreOffice (soffice) 未安装")
@pytest.mark.parametrize("rows", [20, 40])
def test_layout_formulas_in_libreoffice_equal_score_without_profile(tmp_path, files, seed004, capsys, rows):
    """The acceptance for a layout: the province's form, filled with seed 004's table, computes
    in LibreOffice exactly what `jixiao score` (no --profile) gives — every indicator, the budget
    part, total and grade; the re-saved file is not "altered"."""
    layout = {**CHIZHOU, "tables": [{"id": "indicators", "rows": rows}]}
    if rows != 20:
        layout["cells"] = [c for c in CHIZHOU["cells"] if c["ref"] not in ("A35:B35", "D35:F35")]
    files["layout"].write_text(json.dumps(layout, ensure_ascii=False), encoding="utf-8")
    spec = load_layout(files["layout"])
    path = fill_template(spec, province_unit(seed004), tmp_path / "unit.xlsx",
                         profile=load_profile(str(files["province"])))
    lo, _ = libreoffice_equals_score(path, tmp_path, capsys)
    assert lo.extra["template"]["layout"] == "chizhou-project" and "altered" not in lo.extra["template"]


def _meta_row(ws, key: str) -> int:
    return next(r for r in range(1, 40) if ws.cell(r, 1).value == key)


def test_an_edited_or_broken_embedded_layout(tmp_path, files, seed004, capsys):
    spec = load_layout(files["layout"])
    path = fill_template(spec, province_unit(seed004), tmp_path / "unit.xlsx")
    wb = openpyxl.load_workbook(path)
    ws = wb["_meta"]
    row = _meta_row(ws, "layout_data")
    ws.cell(row, 2).value = ws.cell(row, 2).value.replace("项目支出绩效自评表（2022年度）", "项目支出绩效自评表（2023年度）")
    wb.save(tmp_path / "edited.xlsx")
    code, data = run_json(capsys, "validate", str(tmp_path / "edited.xlsx"))
    altered = [f for f in data["findings"] if f["rule"] == "template-altered"]
    assert code == 1 and altered and "表样" in altered[0]["message"]
    ws.cell(row, 2).value = '{"id": "project", "tables": "x"'
    wb.save(tmp_path / "broken.xlsx")
    assert main(["score", str(tmp_path / "broken.xlsx")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("错误：") and "内嵌表样不是有效的 JSON" in err and "Traceback" not in err
    ws.cell(row, 2).value = json.dumps({**spec, "tables": [{**spec["tables"][0], "rows": 10**9}]}, ensure_ascii=False)
    wb.save(tmp_path / "huge.xlsx")
    assert main(["score", str(tmp_path / "huge.xlsx")]) == 2
    assert "first_row/rows 不合规" in capsys.readouterr().err


@pytest.mark.parametrize("change, message", [
    ({"colour": "red"}, "不认识的键“colour”"),
    ({"extends": "nope"}, "extends“nope”不是本工具的模板"),
    ({"id": "project"}, "与标准模板同名"),
    ({"tables": [{"id": "indicators", "rows": 0}]}, "rows 应为 1–500 的整数"),
    ({"tables": [{"id": "indicators", "first_row": 14}]}, "first_row 不能修改"),
    ({"tables": [{"id": "targets", "rows": 5}]}, "没有表格“targets”"),
    ({"cells": [{"ref": "C20", "value": "说明"}]}, "C20 与 表格“indicators”的 C 列 重叠"),
    ({"cells": [{"ref": "Z0", "value": "x"}]}, "不是单元格或区域"),
    ({"cells": [{"ref": "B2", "style": "rainbow"}]}, "样式“rainbow”不存在"),
    ({"version": 2026}, "缺少 version（文字）"),
    ({"print": {"area": "A1:M"}}, "print.area 应为区域"),
    ({"columns": {"C": "wide"}}, "columns 应为 列字母 → 列宽"),
    ({"validations": {"level1": {"type": "dropdown"}}}, "数据验证“level1”不合规"),
    ({"validations": {"level1": {"values": ["很长的选项" * 60]}}}, "合计 255 个字符以内"),
    ({"conditional_formats": [{"range": "M12:M31", "formula": "A1>1", "fill": "red"}]}, "fill 为 6 位颜色"),
    ({"sheet": "自评表/2022"}, "工作表名“自评表/2022”不合 Excel 的规定"),
])
def test_a_bad_layout_file_is_a_chinese_error(tmp_path, files, capsys, change, message):
    files["layout"].write_text(json.dumps({**CHIZHOU, **change}, ensure_ascii=False), encoding="utf-8")
    assert main(["template", "--layout", str(files["layout"]), "-o", str(tmp_path / "x.xlsx")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("错误：") and message in err and "Traceback" not in err, err
    assert not (tmp_path / "x.xlsx").exists()


def test_layout_and_template_id_must_agree(tmp_path, files, capsys):
    assert main(["template", "scorecard", "--layout", str(files["layout"]), "-o", str(tmp_path / "x.xlsx")]) == 2
    assert "基于模板“project”" in capsys.readouterr().err
    assert main(["template", "项目支出绩效自评表", "--layout", str(files["layout"]), "-o", str(tmp_path / "x.xlsx")]) == 0


def test_a_pack_carries_the_layout_and_consolidate_tells_the_forms_apart(tmp_path, files, seed004, capsys,
                                                                           monkeypatch):
    """pack.json lists the layout file among its templates: the pack's `project` is the
    province's form; `fill` uses it (its 20 rows); a unit that used the standard table instead
    is a template-version-mismatch naming it, and --expect-pack says which form it should be."""
    monkeypatch.setenv("JIXIAO_HOME", str(tmp_path / "home"))
    src = tmp_path / "src"
    src.mkdir()
    (src / "某省项目表.json").write_text(files["layout"].read_text(encoding="utf-8"), encoding="utf-8")
    (src / "my-province.json").write_text(files["province"].read_text(encoding="utf-8"), encoding="utf-8")
    (src / "pack.json").write_text(json.dumps({"issuer": "某省财政厅", "year": 2026, "version": "2026.1",
                                               "profile": "my-province.json",
                                               "templates": ["某省项目表.json", "budget-execution"]},
                                              ensure_ascii=False), encoding="utf-8")
    pack = tmp_path / "pack.zip"
    assert main(["pack", "build", str(src / "pack.json"), "-o", str(pack)]) == 0
    assert main(["pack", "install", str(pack)]) == 0
    capsys.readouterr()
    assert main(["pack", "show"]) == 0
    assert "project\t项目支出绩效自评表（2022年度）\t表样 chizhou-project 版本 2022.1" in capsys.readouterr().out
    units = tmp_path / "units"
    units.mkdir()
    data = tmp_path / "d.json"
    data.write_text(json.dumps(province_unit(seed004), ensure_ascii=False), encoding="utf-8")
    assert main(["fill", "project", "--data", str(data), "-o", str(units / "甲单位.xlsx")]) == 0
    ws = openpyxl.load_workbook(units / "甲单位.xlsx")[SHEET]
    assert ws["A32"].value == "总分" and ws["C18"].value == "社会满意度"       # the layout's rows
    fill_template("project", {**province_unit(seed004), "project": {"name": "医疗保险基金补助", "unit": "乙单位"}},
                  units / "乙单位.xlsx", profile=load_profile(str(files["province"])))     # the standard form
    capsys.readouterr()
    assert main(["consolidate", str(units), "-o", str(tmp_path / "汇总表.xlsx"), "--json", "-j", "0", "-q",
                 "--expect-pack", str(pack)]) == 0
    result = json.loads(capsys.readouterr().out)
    mism = {m["rule"]: m["message"] for m in result["mismatches"]}
    assert "版本 1.0：乙单位.xlsx（乙单位）" in mism["template-version-mismatch"]
    assert "版本 chizhou-project 2022.1（模板包 2026.1）：甲单位.xlsx" in mism["template-version-mismatch"]
    issues = [(r[0], r[3], r[5]) for r in openpyxl.load_workbook(tmp_path / "汇总表.xlsx")["问题清单"]
              .iter_rows(min_row=2, values_only=True)]
    per_unit = [m for f, rule, m in issues if f == "乙单位.xlsx" and rule == "template-version-mismatch"]
    assert per_unit and "应为 chizhou-project 2022.1（模板包 2026.1）" in per_unit[0]
    assert not [m for f, rule, m in issues if f == "甲单位.xlsx" and rule == "template-version-mismatch"]


def _values(ev) -> dict:
    """An evaluation's figures without where they are (cells move with the rows)."""
    def strip(v):
        if isinstance(v, dict):
            return {k: strip(x) for k, x in v.items() if k not in ("cell", "cells", "source", "template")}
        if isinstance(v, list):
            return [strip(x) for x in v]
        return v
    return strip(ev.to_json())


@pytest.mark.libreoffice
@pytest.mark.skipif(find_soffice() is None, reason="LibreOffice (soffice) 未安装")
def test_every_template_with_more_rows_computes_like_the_standard_one(tmp_path):
    """Every shipped template, each of its tables 3 rows longer (the 部门整体 form has several:
    later tables move down), filled with its bundled sample: LibreOffice computes the same
    figures as on the standard template — totals, rates, scores, grades."""
    from workbook_templates.builder import load_spec, template_ids
    from workbook_templates.fill import sample_data

    paths = []
    for tid in template_ids():
        base = load_spec(tid)
        overlay = {"id": f"longer-{tid}", "extends": tid, "title": base["title"], "version": "9",
                   "tables": [{"id": t["id"], "rows": t["rows"] + 3} for t in base.get("tables", [])]}
        spec = resolve(overlay, base)
        assert layout_problems(spec) == [], tid
        paths.append(fill_template(tid, sample_data(tid), tmp_path / f"{tid}.xlsx"))
        paths.append(fill_template(spec, sample_data(tid), tmp_path / f"{tid}-longer.xlsx"))
    outs = recalculate(paths, tmp_path / "lo")
    for std, longer in zip(outs[::2], outs[1::2], strict=True):
        a, b = read_template_file(std), read_template_file(longer)
        assert b.extra["template"]["layout"] == f"longer-{a.layout}"
        assert _values(a) == _values(b), std.name


def test_fill_with_a_layout(tmp_path, files, seed004, capsys):
    """`jixiao fill project --layout`: the data in the province's form (20 rows: 总分 in row 32)."""
    data = tmp_path / "d.json"
    data.write_text(json.dumps(province_unit(seed004), ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "f.xlsx"
    assert main(["fill", "project", "--layout", str(files["layout"]), "--profile", str(files["province"]),
                 "--data", str(data), "-o", str(out)]) == 0
    assert "按“项目支出绩效自评表（2022年度）”（表样 chizhou-project 2022.1）填写" in capsys.readouterr().out
    ws = openpyxl.load_workbook(out)[SHEET]
    assert ws["A32"].value == "总分" and ws["C18"].value == "社会满意度"
    _, result = run_json(capsys, "score", str(out))
    assert result["template"]["layout"] == "chizhou-project" and result["profile"]["id"] == "demo-province"
