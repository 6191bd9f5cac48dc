"""``fill --data`` takes JSON from other systems (issue #10 item 5): checked against
``fill_data.schema.json`` and for values no cell can hold, each refusal a Chinese message naming the
place in the JSON; before, nine exception types ended in 意外问题, and a FIFO hung for ever."""

from __future__ import annotations

import json
import os

import pytest

from addin.cli import main
from workbook_templates.samples import default_data

CASES = {
    "project-number": ('{"project": 5}', "project 应为对象"),
    "indicators-object": ('{"indicators": {"a": 1}}', "indicators 应为列表"),
    "indicator-scalar": ('{"indicators": [5]}', "indicators[0] 应为对象"),
    "score-list": ('{"indicators": [{"name": "x", "score": [1]}]}', "indicators[0].score 应为文字或数值"),
    "budget-number": ('{"budget": 3}', "budget 应为对象"),
    "top-list": ("[]", "顶层应为对象"),
    "1e400": ('{"budget": {"adjusted": 1e400}}', "budget.adjusted：数值超出范围"),
    "nan": ('{"total_score": NaN}', "NaN"),
    "surrogate": ('{"project": {"name": "\\ud800"}}', "project.name：含有无效的 Unicode 字符"),
    "deep": ('{"a":' * 5000 + "1" + "}" * 5000, "嵌套过深"),
    "deep-but-parsable": ('{"project": {"x":' + '[' * 40 + "1" + ']' * 40 + "}}", "嵌套过深"),
    "not-json": ("{project: 1}", "不是有效的 JSON（第 1 行"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_wrong_data_is_named(tmp_path, capsys, case):
    text, words = CASES[case]
    src = tmp_path / "data.json"
    src.write_text(text, encoding="utf-8")
    rc = main(["fill", "project", "--data", str(src), "-o", str(tmp_path / "out.xlsx")])
    err = capsys.readouterr().err
    assert rc == 2 and words in err and "意外问题" not in err, err
    assert not (tmp_path / "out.xlsx").exists()


def test_not_utf8(tmp_path, capsys):
    src = tmp_path / "data.json"
    src.write_bytes('{"project": {"name": "县文化馆"}}'.encode("gbk"))
    assert main(["fill", "project", "--data", str(src), "-o", str(tmp_path / "o.xlsx")]) == 2
    assert "UTF-8" in capsys.readouterr().err


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="POSIX FIFO")
def test_fifo_is_refused_not_read(tmp_path, capsys):
    """Before: the command blocked for ever on open()."""
    fifo = tmp_path / "data.json"
    os.mkfifo(fifo)
    assert main(["fill", "project", "--data", str(fifo), "-o", str(tmp_path / "o.xlsx")]) == 2
    assert "不是普通文件" in capsys.readouterr().err


@pytest.mark.parametrize("layout", ["cz2020-annex", "seed004", "sichuan"])
def test_real_data_passes_the_schema(tmp_path, layout):
    src = tmp_path / "data.json"
    src.write_text(json.dumps(default_data(layout), ensure_ascii=False, default=str), encoding="utf-8")
    assert main(["fill", "project", "--data", str(src), "-o", str(tmp_path / "o.xlsx")]) == 0


def test_read_json_passes_the_schema(tmp_path, capsys):
    """What `jixiao read --json` prints (DESIGN.md's shape, with findings) is valid fill data."""
    from workbook_templates.samples import write_sample

    wb = write_sample("seed004", tmp_path / "s.xlsx")
    main(["read", str(wb), "--json"])
    (tmp_path / "d.json").write_text(capsys.readouterr().out, encoding="utf-8")
    assert main(["fill", "project", "--data", str(tmp_path / "d.json"), "-o", str(tmp_path / "o.xlsx")]) == 0
