"""xlwings Lite registrations (udfs/lite.py; scripts in addin/excel/lite.py): the metadata Office.js receives and calls through it.

``xlwings.server.custom_functions_meta`` / ``custom_functions_call`` / ``custom_scripts_call`` are
xlwings' own server-side entry points (what Lite runs in Pyodide); the payloads have the shape the
Office.js client sends. Expected numbers: seed 004's published completion rates and budget score.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
from pathlib import Path

import pytest

from addin.excel.macros import remote_xlwings

os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")
server = pytest.importorskip("xlwings.server")
xw = remote_xlwings()      # remote + officejs engines registered even if xlwings was imported earlier

import udfs.lite as lite  # noqa: E402
from addin.excel import lite as lite_scripts  # noqa: E402
from udfs import REGISTRY  # noqa: E402

SEED004 = json.loads((Path(__file__).parent / "fixtures" / "seed004_self_evaluation.json").read_text("utf-8"))


def call(func_id: str, *args):
    data = {"func_name": func_id, "args": list(args), "caller_address": "Sheet1!H4", "formula_name": func_id,
            "version": xw.__version__, "client": "Office.js", "runtime": "1.4"}
    return asyncio.run(server.custom_functions_call(data, lite))


@pytest.fixture(scope="module")
def meta():
    if not hasattr(lite.JX_EXEC_RATE, "__xlfunc__"):
        pytest.skip("xlwings' Lite/Server decorators unavailable (no PRO part)")
    return server.custom_functions_meta(lite)


def test_metadata_has_ascii_ids_and_chinese_display_names(meta):
    funcs = {f["name"]: f for f in meta["functions"]}
    assert len(meta["functions"]) == 2 * len(REGISTRY)
    for f in meta["functions"]:
        assert re.fullmatch(r"[A-Z][A-Z0-9_.]*", f["id"]), f["id"]
        assert f["result"]["dimensionality"] == "matrix"
    for spec in REGISTRY:
        zh, en = funcs[lite.display_name(spec)], funcs[spec.alias]
        assert zh["id"] == spec.alias + "_ZH" and en["id"] == spec.alias
        assert zh["description"].startswith(spec.doc) and en["description"] == zh["description"]
        assert [p["name"] for p in zh["parameters"]] == [a.name for a in spec.args]
        assert [p["name"] for p in en["parameters"]] == [a.alias for a in spec.args]
        assert [p["description"] for p in zh["parameters"]] == [a.doc for a in spec.args]
        assert [bool(p.get("optional")) for p in zh["parameters"]] == [a.optional for a in spec.args]
    json.dumps(meta, ensure_ascii=False)   # serialisable as sent to Office.js


def test_display_names_have_at_least_three_characters(meta):
    """Issue #14 (7): Office.js rejects custom-function names shorter than 3 characters; the
    desktop keeps 占比 and 总分 (udfs.excel)."""
    names = [f["name"] for f in meta["functions"]]
    assert all(len(n) >= 3 for n in names), [n for n in names if len(n) < 3]
    assert len(set(names)) == len(names)
    assert {"占比率", "指标总分"} <= set(names) and not {"占比", "总分"} & set(names)
    import udfs.excel

    assert "占比" in udfs.excel.SPECS and "总分" in udfs.excel.SPECS


def test_calls_with_office_js_payloads(meta):
    out = call("JX_COMPLETION_ZH", [["18.74万人"], ["100%"], ["580元"]], [[18], [100], [830]])
    assert [round(r[0], 4) for r in out] == [1.0411, 1.0, 0.6988]
    assert call("JX_BUDGET_SCORE", [[1521.57]], [[1600]], None) == [[pytest.approx(SEED004["expected"]["budget_score"])]]
    bad = call("JX_INDICATOR_SCORE_ZH", [[10]], [["≥95%"]], [["abc"]])
    assert bad[0][0].startswith("#VALUE! ") and "abc" in bad[0][0]


def test_scripts_run_the_button_pipeline_on_the_book(meta, tmp_path):
    from openpyxl import load_workbook

    from addin.excel.macros import payload_from_openpyxl
    from workbook_templates.samples import write_sample

    scripts = {s["function_name"]: s for s in server.custom_scripts_meta(lite_scripts)}
    assert scripts["jx_validate"]["name"] == "校验" and scripts["jx_score"]["name"] == "计算得分"
    wb = load_workbook(write_sample("seed004", tmp_path / "s.xlsx"))
    book = xw.Book(json=payload_from_openpyxl(wb, "s.xlsx"))
    result = asyncio.run(server.custom_scripts_call(lite_scripts, "jx_validate", typehint_to_value={xw.Book: book}))
    assert result is book
    assert [a["args"][1] for a in book.json()["actions"] if a["func"] == "addSheet"] == ["校验结果"]


def test_lite_names_without_xlwings_pro():
    assert all(len(n) >= 3 for n in lite.FUNCTION_IDS), [n for n in lite.FUNCTION_IDS if len(n) < 3]
    assert lite.FUNCTION_IDS["占比率"] == "JX_SHARE_ZH" and lite.FUNCTION_IDS["指标总分"] == "JX_TOTAL_ZH"
