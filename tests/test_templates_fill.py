"""`fill` splits DESIGN.md indicator text into the template's columns, writes inputs only, and
`fill` → `read` round-trips through the same scoring (no spreadsheet engine needed here)."""

from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal

import openpyxl
import pytest

from addin.pipeline import score_evaluation
from udfs import InputError, default_profile
from workbook_templates.errors import ReadError, WriteError
from workbook_templates.fill import fill_template, indicator_cells
from workbook_templates.template_reader import read_template, read_template_file


def cells(target, actual, level2=None, direction=None):
    item = {"name": "x", "level2": level2, "target": target, "actual": actual, "weight": 10, "direction": direction}
    out = indicator_cells(item, default_profile())
    return (out["direction"], out["target_value"], out.get("target_high"), out["unit"], out["actual_value"],
            out.get("band"), out.get("rate"))


@pytest.mark.parametrize("target, actual, level2, expected", [
    ("≥43.2万元", "45万元", None, ("≥", 43.2, None, "万元", 45, None, None)),
    ("≤830元/人", "850元/人", None, ("≤", 830, None, "元/人", 850, None, None)),
    ("不低于95%", "95%以上", None, ("≥", 95, None, "%", 95, None, None)),
    ("80%-90%", "85%", None, ("区间", 80, 90, "%", 85, None, None)),
    ("=100%", "98%", None, ("=", 100, None, "%", 98, None, None)),
    ("18", "18.74万人", "数量指标", ("≥", 18, None, "万人", 18.74, None, None)),       # seed 004
    ("830", "580元", "成本指标", ("≤", 830, None, "元", 580, None, None)),             # cost: less is better
    ("效果明显", "达成预期指标", None, ("定性", "效果明显", None, None, "达成预期指标", "达成", None)),
    ("稳步拓展", "部分达成", None, ("定性", "稳步拓展", None, None, "部分达成", "部分达成", None)),
    ("持续", "100", None, ("定性", "持续", None, None, "100", "达成", 1)),             # seed 004: 100 = 完成程度
    ("持续", "73.5%", None, ("定性", "持续", None, None, "73.5%", "部分达成", 0.735)),
    ("≥95%", "达成", None, ("定性", "≥95%", None, None, "达成", "达成", None)),        # a band word is scored as 定性
])
def test_targets_are_split_into_direction_value_and_unit(target, actual, level2, expected):
    assert cells(target, actual, level2) == expected


def test_a_chosen_rate_must_lie_inside_its_band():
    item = {"name": "满意度", "target": "效果明显", "band": "部分达成", "rate": 0.9, "weight": 10}
    with pytest.raises(InputError, match="不在“部分达成”档次的范围内"):
        indicator_cells(item, default_profile())
    item["rate"] = 0.7
    assert indicator_cells(item, default_profile())["rate"] == 0.7


def test_an_actual_that_is_neither_number_nor_band_is_refused_in_chinese():
    with pytest.raises(InputError, match="既不是数值也不是定性档次"):
        cells("效果明显", "见附件")


def seed004_json(seed004):
    rows = {r["code"][:3]: r["values"][0] for r in seed004["budget_table"]["rows"]}
    return {"project": seed004["project"],
            "budget": {"initial": rows["(1)"], "adjusted": rows["(2)"], "executed": rows["(4)"]},
            "indicators": seed004["indicators"]}


def test_fill_writes_inputs_only_and_keeps_formulas(tmp_path, seed004):
    path = fill_template("project", seed004_json(seed004), tmp_path / "p.xlsx")
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    (sheet, ref), = wb.defined_names["执行得分"].destinations
    assert str(ws[ref.replace("$", "")].value).startswith("=ROUND") or str(ws[ref.replace("$", "")].value).startswith("=IF")
    (sheet, ref), = wb.defined_names["指标得分"].destinations
    first = ref.replace("$", "").split(":")[0]
    assert str(ws[first].value).startswith("=")
    (sheet, ref), = wb.defined_names["执行分值"].destinations
    assert ws[ref.replace("$", "")].value == 10          # the 预算执行率 row's 权重 became the budget's 分值


def test_fill_then_read_round_trips_and_scores_like_the_seed(tmp_path, seed004):
    ev = read_template_file(fill_template("project", seed004_json(seed004), tmp_path / "a.xlsx"))
    score_evaluation(ev)
    assert ev.layout == "project"
    assert ev.project.name == seed004["project"]["name"] and ev.project.year == 2021
    assert ev.budget.rule_score == Decimal(str(seed004["expected"]["budget_score"]))
    assert ev.rule_total_score == Decimal(str(seed004["expected"]["total_score"]))
    assert ev.rule_grade == seed004["expected"]["grade"]
    published = [i for i in seed004["indicators"] if i["name"] != "预算执行率"]
    assert [i.name for i in ev.indicators] == [i["name"] for i in published]
    assert [i.weight for i in ev.indicators] == [Decimal(str(i["weight"])) for i in published]
    cost = next(i for i in ev.indicators if i.level2 == "成本指标")
    assert cost.direction == "反向" and cost.deviation == Decimal(str(seed004["indicators"][4]["expected"]["deviation"]))
    # the JSON it produces fills the same workbook again: a fixed point
    again = read_template_file(fill_template("project", ev.to_json(), tmp_path / "b.xlsx"))
    score_evaluation(again)

    def strip(e):
        return [(i.level1, i.level2, i.name, i.target, i.actual, i.direction, i.weight, i.rule_score, i.reason)
                for i in e.indicators]
    assert strip(again) == strip(ev)
    assert again.rule_total_score == ev.rule_total_score


def test_the_reader_dispatches_our_templates_by_meta_sheet(tmp_path, seed004):
    reader = pytest.importorskip("workbook_templates.reader")
    path = fill_template("project", seed004_json(seed004), tmp_path / "r.xlsx")
    ev = reader.read_workbook(path)
    assert ev.layout == "project" and len(ev.indicators) == 7
    assert ev.indicators[0].cell.endswith("!C12")


@pytest.mark.parametrize("typed, direction, target", [(">=", "正向", "≥18人"), ("正向", "正向", "≥18人"),
                                                    ("大于等于", None, None)])
def test_a_pasted_nature_bypassing_the_dropdown(tmp_path, seed004, typed, direction, target):
    """指标性质 pasted as '>=' or '正向' (a paste skips data validation) reads as the direction it
    names; an unreadable one is a ReadError naming the cell — both used to be a KeyError."""
    path = fill_template("project", seed004_json(seed004), tmp_path / "d.xlsx")
    wb = openpyxl.load_workbook(path)
    sheet, ref = wb.defined_names["指标性质"].attr_text.split("!")
    cell = ref.split(":")[0].replace("$", "")
    ws = wb[sheet.strip("'")]
    assert ws[cell].value == "≥"                      # seed 004's first row: 补助人数（人） 18 (≥18人)
    ws[cell].value = typed
    wb.save(tmp_path / "typed.xlsx")
    if direction is None:
        with pytest.raises(ReadError, match=f"“{typed}”") as exc:
            read_template_file(tmp_path / "typed.xlsx")
        assert exc.value.cell.endswith(f"!{cell}")
        return
    first = read_template_file(tmp_path / "typed.xlsx").indicators[0]
    assert (first.direction, first.target) == (direction, target)


def test_a_template_with_a_deleted_name_is_a_chinese_read_error(tmp_path):
    from workbook_templates.loaders import load_openpyxl

    path = fill_template("project", {"project": {"name": "x"}}, tmp_path / "n.xlsx")
    book = load_openpyxl(path)
    names = dict(book.defined_names)
    del names["执行得分"]
    with pytest.raises(ReadError, match="执行得分"):
        read_template(path, book.grids, names, "project")


def test_summary_is_filled_from_whole_evaluations(tmp_path, seed004):
    ev = read_template_file(fill_template("project", seed004_json(seed004), tmp_path / "p.xlsx"))
    score_evaluation(ev)
    data = ev.to_json()
    data["project"]["unit"] = "某县医保中心"
    out = read_template_file(fill_template("summary", {"evaluations": [data, data]}, tmp_path / "s.xlsx"))
    rows = out.extra["projects"]
    assert len(rows) == 2
    assert (rows[0]["unit"], rows[0]["name"], rows[0]["budget"], rows[0]["executed"], rows[0]["rule_score"]) == (
        "某县医保中心", "医疗保险基金补助", 1600, 1521.57, 99.51)


def test_scorecard_refuses_an_indicator_it_does_not_have(tmp_path):
    with pytest.raises(WriteError, match="没有这些指标"):
        fill_template("scorecard", {"scorecard": [{"name": "不存在的指标", "score": 3}]}, tmp_path / "x.xlsx")


def test_too_many_indicators_is_a_clear_error(tmp_path):
    items = [{"name": f"指标{i}", "target": "≥1", "actual": "1", "weight": 1} for i in range(40)]
    with pytest.raises(WriteError, match="最多可填 30 行"):
        fill_template("project", {"indicators": items}, tmp_path / "x.xlsx")


def run_cli(*args):
    return subprocess.run([sys.executable, "-m", "addin", *map(str, args)], capture_output=True, text=True)


def test_cli_fill(tmp_path, seed004):
    data = tmp_path / "d.json"
    data.write_text(json.dumps(seed004_json(seed004), ensure_ascii=False), encoding="utf-8")
    out = run_cli("fill", "项目支出绩效自评表", "--data", data, "-o", tmp_path / "o.xlsx")
    assert out.returncode == 0, out.stderr
    assert read_template_file(tmp_path / "o.xlsx").project.name == "医疗保险基金补助"


@pytest.mark.parametrize("content, message", [(None, "不存在"), ("{oops", "不是有效的 JSON"), ("[1]", "顶层应为对象")])
def test_cli_fill_bad_data_is_exit_2_in_chinese(tmp_path, content, message):
    data = tmp_path / "d.json"
    if content is not None:
        data.write_text(content, encoding="utf-8")
    out = run_cli("fill", "project", "--data", data, "-o", tmp_path / "o.xlsx")
    assert out.returncode == 2 and message in out.stderr and "Traceback" not in out.stderr
    assert not (tmp_path / "o.xlsx").exists()


def test_cli_fill_never_overwrites_its_input(tmp_path):
    data = tmp_path / "d.json"
    data.write_text("{}", encoding="utf-8")
    out = run_cli("fill", "project", "--data", data, "-o", data)
    assert out.returncode == 2 and data.read_text(encoding="utf-8") == "{}"


@pytest.mark.parametrize("command", ["fill", "template"])
@pytest.mark.parametrize("output, message", [(".", "是一个文件夹"), ("o.xls", "应为 .xlsx")])
def test_cli_output_must_be_an_xlsx_file(tmp_path, capsys, command, output, message):
    """`-o .` used to end in an OSError from the rename, and fill wrote .xlsx bytes under a .xls name."""
    from addin.cli import main

    data = tmp_path / "d.json"
    data.write_text("{}", encoding="utf-8")
    extra = ["--data", str(data)] if command == "fill" else []
    out = tmp_path / output
    assert main([command, "project", *extra, "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("错误：") and message in err and "Errno" not in err
    assert not (tmp_path / "o.xls").exists() and sorted(p.name for p in tmp_path.iterdir()) == ["d.json"]


def test_calamine_and_openpyxl_read_our_template_alike(tmp_path, seed004):
    reader = pytest.importorskip("workbook_templates.reader")
    path = fill_template("project", seed004_json(seed004), tmp_path / "c.xlsx")
    a = reader.read_workbook(path, engine="openpyxl")
    b = reader.read_workbook(path, engine="calamine")
    assert a.layout == b.layout == "project"
    assert [(i.name, i.target, i.actual, i.weight, i.cell) for i in a.indicators] == \
           [(i.name, i.target, i.actual, i.weight, i.cell) for i in b.indicators]
    assert (a.budget.adjusted, a.budget.executed) == (b.budget.adjusted, b.budget.executed) == (1600, Decimal("1521.57"))


@pytest.mark.parametrize("text, expected", [
    ("'项目支出绩效自评表'!$B$2", ("项目支出绩效自评表", "B2")),
    ("=项目支出绩效自评表!$L$12:$L$41", ("项目支出绩效自评表", "L12:L41")),       # xlwings refers_to
    ("'It''s'!$A$1", ("It's", "A1")),
])
def test_defined_name_references_from_any_loader(text, expected):
    from workbook_templates.template_reader import _split_ref

    assert _split_ref(text) == expected


@pytest.mark.parametrize("layout", ["seed004", "cz2020-annex", "sichuan"])
def test_a_published_workbook_moves_into_our_template_with_the_same_scores(tmp_path, layout):
    """read (their layout) → JSON → fill (our template) → read: the rules give the same scores."""
    samples = pytest.importorskip("workbook_templates.samples")
    reader = pytest.importorskip("workbook_templates.reader")
    theirs = score_evaluation(reader.read_workbook(samples.write_sample(layout, tmp_path / f"{layout}.xlsx")))
    ours = score_evaluation(read_template_file(fill_template("project", theirs.to_json(), tmp_path / "ours.xlsx")))
    assert [i.name for i in ours.indicators] == [i.name for i in theirs.indicators]
    assert [i.rule_score for i in ours.indicators] == [i.rule_score for i in theirs.indicators]
    assert ours.budget.rule_score == theirs.budget.rule_score
    assert ours.rule_total_score == theirs.rule_total_score == Decimal("99.51")


def test_bad_indicator_data_names_the_row(tmp_path):
    with pytest.raises(InputError, match="第2行“满意度”.*分值"):
        fill_template("project", {"indicators": [{"name": "a", "target": "≥1", "actual": "1", "weight": 1},
                                                 {"name": "满意度", "target": "≥90%", "actual": "95%", "weight": "十"}]},
                      tmp_path / "x.xlsx")
    with pytest.raises(InputError, match="应为对象列表"):
        fill_template("project", {"indicators": {"name": "a"}}, tmp_path / "x.xlsx")
    assert not (tmp_path / "x.xlsx").exists()


def test_cli_fill_from_a_published_workbook(tmp_path):
    samples = pytest.importorskip("workbook_templates.samples")
    theirs = samples.write_sample("cz2020-annex", tmp_path / "theirs.xlsx")
    out = run_cli("fill", "project", "--from", theirs, "-o", tmp_path / "ours.xlsx")
    assert out.returncode == 0, out.stderr
    ev = score_evaluation(read_template_file(tmp_path / "ours.xlsx"))
    assert ev.rule_total_score == Decimal("99.51") and len(ev.indicators) == 7
    out = run_cli("fill", "project", "--from", theirs, "-o", theirs)          # never over the input
    assert out.returncode == 2 and "Traceback" not in out.stderr


def test_fill_keeps_formula_like_text_as_text(tmp_path):
    """A 项目名称 typed "=HYPERLINK(...)" is stored as text, never as a live formula (formula injection)."""
    import json
    from importlib import resources

    from openpyxl import load_workbook

    from workbook_templates.fill import fill_template

    data = json.loads((resources.files("workbook_templates") / "specs" / "samples" / "project.json")
                      .read_text(encoding="utf-8"))
    data["project"]["name"] = '=HYPERLINK("http://x","点我")'
    out = fill_template("project", data, tmp_path / "f.xlsx")
    cell = load_workbook(out)["项目支出绩效自评表"]["B2"]
    assert cell.value == '=HYPERLINK("http://x","点我")' and cell.data_type == "s"


def test_numbers_beyond_excel_are_refused():
    import pytest

    from udfs import InputError, to_decimal

    with pytest.raises(InputError, match="超出 Excel"):
        to_decimal("1e400", "分值")
