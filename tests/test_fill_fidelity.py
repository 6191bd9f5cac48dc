"""Issue #16 — `fill --from` never changes the user's data. Seed 004 publishes 补助人数（人） with the
target 18 and the actual 18.74万人 (the report's own slip); converting the workbook into our template
keeps 18 in the 人 of the indicator's name — it does not become "≥18万人" — and the slip is still
found. Source: seed 004's table (tests/fixtures/seed004_self_evaluation.json)."""

from __future__ import annotations

import json

from openpyxl import load_workbook

from addin.cli import main
from udfs import default_profile
from workbook_templates.fill import indicator_cells
from workbook_templates.reader import read_workbook
from workbook_templates.samples import write_sample


def test_fill_from_keeps_the_target_as_written_with_the_finding(tmp_path, capsys):
    src = write_sample("seed004", tmp_path / "seed004.xlsx")
    out = tmp_path / "ours.xlsx"
    assert main(["fill", "project", "--from", str(src), "-o", str(out)]) == 0
    ev = read_workbook(out)
    ind = next(i for i in ev.indicators if i.name == "补助人数（人）")
    row = int(ind.cell.rsplit("!", 1)[1][1:])
    ws = load_workbook(out)["项目支出绩效自评表"]
    assert ws[f"E{row}"].value == 18 and ws[f"G{row}"].value == "人"      # 指标值 / 度量单位
    assert ws[f"H{row}"].value == "18.74万人"                               # the actual as written
    assert ind.target == "≥18人" and "万人" not in ind.target
    capsys.readouterr()
    assert main(["validate", str(out), "--json"]) == 1
    rules = [f["rule"] for f in json.loads(capsys.readouterr().out)["findings"]]
    assert rules.count("unit-mismatch") == 1


def test_units_of_one_kind_are_still_aligned():
    """元/年 in the name and 580元 as the actual are one kind of unit: 830 and 580 元 as before;
    a name that agrees with the actual's magnitude aligns a bare target to it."""
    p = default_profile()
    cost = indicator_cells({"name": "人均补助标准（元/年）", "target": "830", "actual": "580元", "weight": 10,
                            "direction": "反向"}, p)
    assert (cost["target_value"], cost["actual_value"], cost["unit"]) == (830, 580, "元")
    same = indicator_cells({"name": "补助人数（万人）", "target": "18", "actual": "18.74万人", "weight": 20}, p)
    assert (same["target_value"], same["actual_value"], same["unit"]) == (18, 18.74, "万人")
