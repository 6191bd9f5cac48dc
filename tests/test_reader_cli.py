"""`jixiao read`: DESIGN.md JSON on stdout, a table without --json, --sheet, Chinese errors."""

from __future__ import annotations

import json

import pytest

from addin.cli import main
from workbook_templates.samples import write_sample

KEYS = {"source", "layout", "project", "budget", "indicators", "total_score", "total_score_source", "rule_total_score",
        "rule_total_note", "grade", "findings", "recognition", "profile", "template"}
IND_KEYS = {"level1", "level2", "name", "target", "actual", "unit", "direction", "weight", "score", "rule_score",
            "completion", "deviation", "reason", "cell"}


@pytest.fixture(scope="module")
def seed004(tmp_path_factory):
    return write_sample("seed004", tmp_path_factory.mktemp("cli") / "seed004.xlsx")


def test_json_shape_and_seed_numbers(seed004, capsys):
    assert main(["read", str(seed004), "--json"]) == 0
    out = capsys.readouterr().out
    assert "医疗保险基金补助" in out            # ensure_ascii=False: Chinese as written
    d = json.loads(out)
    assert set(d) == KEYS
    assert set(d["project"]) == {"name", "department", "unit", "year"}
    assert all(set(i) == IND_KEYS for i in d["indicators"])
    assert d["budget"]["adjusted"] == 1600 and d["budget"]["executed"] == 1521.57
    assert d["budget"]["score"] == 9.51 and d["budget"]["rule_score"] == 9.51
    assert len(d["indicators"]) == 7 and d["rule_total_score"] == 99.51 and d["grade"] == "优"
    assert d["indicators"][0]["cell"] == "项目支出绩效自评表!C5"


def test_table_output(seed004, capsys):
    assert main(["read", str(seed004)]) == 0
    out = capsys.readouterr().out
    assert "医疗保险基金补助" in out and "99.51" in out and "补助人数（人）" in out


def test_sheet_option(seed004, capsys):
    assert main(["read", str(seed004), "--sheet", "项目支出绩效自评表", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["indicators"]
    assert main(["read", str(seed004), "--sheet", "预算执行情况表"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("错误：") and "未找到绩效自评表" in err and "预算执行情况表" in err
    assert main(["read", str(seed004), "--sheet", "没有这张表"]) == 2
    assert "没有名为“没有这张表”的工作表" in capsys.readouterr().err


def test_profile_option(tmp_path, capsys):
    path = write_sample("seed001-scorecard", tmp_path / "sc.xlsx")
    assert main(["read", str(path), "--json", "--profile", "common-framework"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert d["total_score"] == 99.3 and d["budget"]["weight"] == 4
