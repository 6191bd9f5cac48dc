"""The xlwings desktop bindings (udfs/excel.py): names, signatures, spill shape, blanks, errors.

Expected numbers are the published figures of seed 004 (tests/fixtures/seed004_self_evaluation.json)
and the examples of the official rules, not values copied from the code's output.
"""

from __future__ import annotations

import inspect
import json
from pathlib import Path

import pytest

import udfs.excel as xl
from udfs import REGISTRY

FIXTURES = Path(__file__).parent / "fixtures"
SEED004 = json.loads((FIXTURES / "seed004_self_evaluation.json").read_text(encoding="utf-8"))


def col(*values):
    """A column range as Excel passes it with ndim=2."""
    return [[v] for v in values]


def test_every_registry_function_is_bound_under_both_names():
    for spec in REGISTRY:
        for name, chinese in ((spec.name, True), (spec.alias, False)):
            fn = getattr(xl, name)
            params = list(inspect.signature(fn).parameters)
            assert params == [a.name if chinese else a.alias for a in spec.args], name
            assert xl.SPECS[name][0] is spec
            optional = [p for p in inspect.signature(fn).parameters.values() if p.default is not p.empty]
            assert len(optional) == sum(a.optional for a in spec.args)
    assert len(xl.SPECS) == 2 * len(REGISTRY)


def test_budget_score_of_seed004():
    b = SEED004["expected"]
    assert xl.预算执行得分([[1521.57]], [[1600]], [[10]]) == pytest.approx(b["budget_score"])
    assert xl.JX_BUDGET_SCORE(1521.57, 1600, None) == pytest.approx(b["budget_score"])   # omitted → 10
    assert xl.预算执行率(1521.57, 1600) == pytest.approx(b["budget_rate"])
    assert isinstance(xl.预算执行率(1521.57, 1600), float)


def test_one_call_spills_a_column_with_the_published_completion_rates():
    # seed 004: 18.74万人 vs 18(万人) → 104.11%, 100% vs 100 → 100.00%, 580元 vs 830 → 69.88%
    out = xl.完成率(col("18.74万人", "100%", "580元"), col(18, 100, 830))
    assert [len(r) for r in out] == [1, 1, 1]
    assert [round(r[0], 4) for r in out] == [1.0411, 1.0, 0.6988]


def test_scalar_weight_broadcasts_over_ranges():
    # 反向 cost indicator from the rules' example: ≤830 元, actual 580 元 → full points
    out = xl.指标得分([[10]], col("≤830元", "≤830元"), col("580元", "1000元"))
    assert out[0][0] == pytest.approx(10)
    assert out[1][0] == pytest.approx(8.3)    # 10 × 830 ÷ 1000


def test_blank_elements_give_empty_cells():
    out = xl.预算执行率(col(1521.57, None), col(1600, 1600))
    assert out[1][0] == ""
    assert xl.评价等级(None) == ""


def test_bad_element_becomes_a_value_error_with_the_chinese_reason():
    out = xl.指标得分(col(10, 10), col("≥95%", "≥95%"), col("96%", "abc"))
    assert out[0][0] == pytest.approx(10)
    bad = out[1][0]
    assert bad.startswith(xl.ERROR_PREFIX)
    assert "abc" in bad and "无法计分" in bad


def test_whole_call_error_and_shape_mismatch_are_error_values_not_exceptions():
    r = xl.JX_INDICATOR_SCORE(10, "≥95%", "abc")
    assert isinstance(r, str) and r.startswith("#VALUE! ")
    r = xl.完成率(col(1, 2, 3), col(1, 2))
    assert r.startswith("#VALUE! ") and "行列数不一致" in r


def test_range_functions_take_the_whole_range():
    scores = [[9.51], [20], [10], [None], [10], [10], [15], [15], [10]]
    assert xl.总分(scores) == pytest.approx(SEED004["expected"]["total_score"])
    assert xl.评价等级(xl.总分(scores)) == SEED004["expected"]["grade"]


@pytest.fixture(scope="module")
def windows_udfs():
    """xlwings' Windows UDF module (xlwings/udfs.py: xlfunc, xlarg, generate_vba_wrapper), loaded with
    stand-ins for the pywin32 modules it imports; only its pure-Python parts are used."""
    import importlib
    import sys
    import types

    stubs = {"pythoncom": types.SimpleNamespace(CoInitialize=lambda: None),
             "pywintypes": types.SimpleNamespace(com_error=Exception),
             "win32com": types.ModuleType("win32com"),
             "win32com.client": types.SimpleNamespace(Dispatch=lambda x: x)}
    saved = {k: sys.modules.get(k) for k in stubs}
    sys.modules.update(stubs)
    try:
        sys.modules.pop("xlwings.udfs", None)
        mod = importlib.import_module("xlwings.udfs")
    finally:
        for k, v in saved.items():
            if v is None:
                sys.modules.pop(k, None)
            else:
                sys.modules[k] = v
        sys.modules.pop("xlwings.udfs", None)
    return mod


def test_windows_metadata_and_xlwings_own_vba_wrapper_match_ours(windows_udfs):
    import io
    import re
    import types

    from addin.excel.xlam import functions_bas

    ours = functions_bas(chinese=True) + functions_bas(chinese=False)
    ours = re.sub(r"(\w)_\b", r"\1", ours)   # parameters renamed where they shadow a procedure
    for spec in REGISTRY:
        for name, chinese in ((spec.name, True), (spec.alias, False)):
            f = xl.decorate(xl.make_udf(spec, name, chinese), spec, chinese,
                            func=windows_udfs.xlfunc, arg=windows_udfs.xlarg)
            info = f.__xlfunc__
            assert info["name"] == name and info["category"] == "绩效评价"
            assert [a["doc"] for a in info["args"]] == [a.doc for a in spec.args]
            assert all(a["options"] == {"ndim": 2} for a in info["args"])
            assert [("optional" in a) for a in info["args"]] == [a.optional for a in spec.args]
            buf = io.StringIO()
            module = types.SimpleNamespace(**{name: f})
            windows_udfs.generate_vba_wrapper("jixiao_entry", module, buf, types.SimpleNamespace(Name="jixiao.xlam"))
            theirs = buf.getvalue()
            sig = re.search(rf"Function {re.escape(name)}\(([^)]*)\)", theirs).group(1)
            assert f"Public Function {name}({sig})" in ours
            call = re.search(rf'{re.escape(name)} = (XLPy\.CallUDF\("jixiao_entry", .*Application\.Caller\))', theirs).group(1)
            assert f"{name} = JxErrors({call}, Application.Caller)" in ours


def test_spill_shape_follows_the_ranges():
    from hypothesis import given, settings
    from hypothesis import strategies as st

    cell = st.one_of(st.none(), st.integers(-5, 500), st.sampled_from(["95%", "18.74万人", "abc", "", "≥90%"]))

    @settings(max_examples=60, deadline=None)
    @given(st.integers(1, 6), st.integers(1, 4), st.data())
    def check(rows, cols, data):
        a = [[data.draw(cell) for _ in range(cols)] for _ in range(rows)]
        b = [[data.draw(cell) for _ in range(cols)] for _ in range(rows)]
        out = xl.完成率(a, b)
        if rows == cols == 1:
            assert not isinstance(out, list)
            return
        assert [len(r) for r in out] == [cols] * rows
        for r in out:
            for v in r:
                assert v == "" or isinstance(v, float) or (isinstance(v, str) and v.startswith(xl.ERROR_PREFIX))

    check()


def test_cli_builds_the_addin(tmp_path, capsys):
    from addin.cli import main

    assert main(["addin", "build", "-o", str(tmp_path / "jixiao.xlam")]) == 0
    assert (tmp_path / "jixiao.xlam").exists() and "已生成加载项" in capsys.readouterr().out
    assert main(["addin", "build", "-o", str(tmp_path / "没有这个目录" / "x.xlam")]) == 2
    assert "输出目录不存在" in capsys.readouterr().err
