"""Published layouts, written to look like the units' workbooks, read back to the seeds' numbers.

Expected values come from the fixtures (tests/fixtures/*.json, quoted from the seeds), never
from the reader's own output.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from addin.pipeline import score_evaluation
from udfs import load_profile
from workbook_templates.errors import ReadError
from workbook_templates.reader import read_workbook
from workbook_templates.samples import SAMPLE_LAYOUTS, write_sample

D = Decimal


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("layouts")
    return {lay: write_sample(lay, folder / f"{lay}.xlsx") for lay in SAMPLE_LAYOUTS}


def _seed_rows(seed004):
    """The fixture's indicators after the 预算执行率 row (which is the budget part)."""
    return [i for i in seed004["indicators"] if i["name"] != "预算执行率"]


@pytest.mark.parametrize("engine", ["openpyxl", "calamine"])
def test_seed004_pair(files, seed004, engine):
    ev = read_workbook(files["seed004"], engine=engine)
    assert ev.layout == "seed004"
    b = ev.budget
    rows = {r["code"]: r for r in seed004["budget_table"]["rows"]}
    assert b.initial == D(str(rows["(1)"]["values"][0]))
    assert b.adjusted == D(str(rows["(2)"]["values"][0]))
    assert b.available == D(str(rows["(3)"]["values"][0]))
    assert b.executed == D(str(rows["(4)"]["values"][0]))
    assert b.weight == 10 and b.score == D("9.51")          # the 预算执行率 row of the 自评表
    assert b.rate == D("0.951")
    # The (1)–(7) rows with their codes and every column, for subtotal checks.
    assert [r.code for r in b.rows] == [r["code"] for r in seed004["budget_table"]["rows"]]
    cols = seed004["budget_table"]["columns"]
    for got, want in zip(b.rows, seed004["budget_table"]["rows"], strict=True):
        assert got.label == want["label"]
        assert [got.values[c] for c in cols] == [None if v is None else D(str(v)) for v in want["values"]]
    want = _seed_rows(seed004)
    assert len(ev.indicators) == len(want) == 7
    for got, w in zip(ev.indicators, want, strict=True):
        assert (got.level1, got.level2, got.name) == (w["level1"], w["level2"], w["name"])
        assert got.target == w["target"] and got.actual == w["actual"]
        assert got.weight == D(str(w["weight"])) and got.score == D(str(w["score_stated"]))
        assert got.completion_stated == D(w["completion_stated"].rstrip("%")) / 100
        assert got.reason == w.get("reason")
    assert ev.indicators[0].header_unit == "人"            # 补助人数（人）, the seed's unit slip
    assert ev.indicators[3].direction is None              # 成本指标: the pipeline decides, not the reader
    assert sum(i.weight for i in ev.indicators) + b.weight == seed004["weights_total"]
    assert ev.project.name == seed004["project"]["name"] and ev.project.year == seed004["project"]["year"]
    score_evaluation(ev)
    assert ev.rule_total_score == D(str(seed004["expected"]["total_score"]))
    assert b.rule_score == D(str(seed004["expected"]["budget_score"]))


def test_seed004_cells(files):
    ev = read_workbook(files["seed004"])
    assert ev.indicators[0].cell == "项目支出绩效自评表!C5"
    assert ev.indicators[0].cells["score"] == "项目支出绩效自评表!H5"
    assert ev.budget.cells["executed"] == "预算执行情况表!C7"
    assert ev.budget.cells["score"] == "项目支出绩效自评表!H4"


@pytest.mark.parametrize("engine", ["openpyxl", "calamine"])
def test_cz2020_annex(files, seed004, engine):
    ev = read_workbook(files["cz2020-annex"], engine=engine)
    assert ev.layout == "cz2020-annex"
    b = ev.budget
    assert (b.initial, b.adjusted, b.executed) == (D(1600), D(1600), D("1521.57"))
    assert (b.weight, b.score, b.rate) == (D(10), D("9.51"), D("0.951"))
    total = [r for r in b.rows if r.is_total]
    comps = [r for r in b.rows if r.is_component]
    assert [r.label for r in total] == ["年度资金总额"]
    assert [r.label for r in comps] == ["其中：当年财政拨款", "上年结转资金", "其他资金"]
    # placeholder rows (指标1：/指标2：/……) skipped, merged 一级/二级 filled down
    want = _seed_rows(seed004)
    assert [i.name for i in ev.indicators] == [w["name"] for w in want]
    assert [i.level1 for i in ev.indicators] == [w["level1"] for w in want]
    assert [i.level2 for i in ev.indicators] == [w["level2"] for w in want]
    assert ev.total_score == D("99.51") and ev.weights_total == 100
    score_evaluation(ev)
    assert ev.rule_total_score == D("99.51")


def test_cz2020_annex_numbered_names(tmp_path, seed004):
    from workbook_templates.samples import default_data

    data = default_data("cz2020-annex")
    data["numbered_names"] = True   # "指标1：补助人数（人）" as many units write it
    ev = read_workbook(write_sample("cz2020-annex", tmp_path / "n.xlsx", data))
    assert [i.name for i in ev.indicators] == [w["name"] for w in _seed_rows(seed004)]


def test_sichuan_nature_and_unit_columns(files):
    ev = read_workbook(files["sichuan"])
    assert ev.layout == "sichuan"
    by = {i.name: i for i in ev.indicators}
    assert by["人均补助标准（元/年）"].direction == "反向" and by["人均补助标准（元/年）"].target == "≤830"
    assert by["补助人数（人）"].direction == "正向" and by["补助人数（人）"].target == "≥18"
    assert by["推动我县医保事业发展"].direction == "定性" and by["推动我县医保事业发展"].target == "长期"
    score_evaluation(ev, load_profile("sichuan"))
    assert ev.rule_total_score == D("99.51")


def test_sichuan_one_header_row_and_duplicate_budget_line(tmp_path):
    """The single-row header variant; a 预算执行率 line in the table while the funds block already
    weights it is flagged, not counted as an indicator."""
    from workbook_templates.samples import default_data

    data = default_data("sichuan")
    data["header_rows"] = 1
    data["indicators"].insert(0, {"level1": "预算执行", "level2": "预算执行率", "name": "预算执行率", "weight": 10,
                                  "target": "100%", "actual": "95.1%", "score": 9.51})
    ev = read_workbook(write_sample("sichuan", tmp_path / "one.xlsx", data))
    assert len(ev.indicators) == 7 and ev.indicators[0].name == "补助人数（人）"
    assert ev.indicators[0].target == "≥18"
    assert [f.rule for f in ev.findings] == ["duplicate-budget-row"]


def test_sichuan_unit_column_joins_number(tmp_path):
    data = {"project": {"name": "测试", "year": 2022}, "budget": {"initial": 10, "adjusted": 10, "executed": 9},
            "indicators": [{"level1": "产出指标", "level2": "数量指标", "name": "培训人次", "target": "≥43.2万元",
                            "actual": "40万元", "weight": 20, "score": 18.52}],
            "total_score": 27.52}
    ev = read_workbook(write_sample("sichuan", tmp_path / "s.xlsx", data))
    ind = ev.indicators[0]
    assert (ind.target, ind.actual, ind.unit, ind.direction) == ("≥43.2万元", "40万元", "万元", "正向")
    assert ev.project.year == 2022


def test_scorecard(files, seed001):
    ev = read_workbook(files["seed001-scorecard"])
    assert ev.layout == "seed001-scorecard"
    want = [r for r in seed001["scorecard"] if r["name"] != "预算执行率"]
    assert [i.name for i in ev.indicators] == [r["name"] for r in want]
    assert [i.level1 for i in ev.indicators] == [r["level1"] for r in want]
    assert [i.score for i in ev.indicators] == [D(str(r["score"])) for r in want]
    assert (ev.budget.weight, ev.budget.score) == (D(4), D("3.8"))   # 预算执行率 row → budget part
    assert ev.total_score == D(str(seed001["total_stated"]))
    groups = ev.extra["groups"]
    assert {k: v["weight"] for k, v in groups.items()} == {"决策": 20, "过程": 20, "产出": 40, "效益": 20}
    score_evaluation(ev, load_profile("common-framework"))
    # no 目标值/实际值 columns: none of the 17 scored items (Σ 分值 100) can be checked by the rules,
    # so the rule total is withheld rather than the stated 99.3 repeated (issue #12)
    assert ev.rule_total_score is None
    assert ev.extra["unchecked"] == {"count": 17, "points": 100}


def test_no_table_names_what_was_looked_for(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    wb.active["A1"] = "随便写点什么"
    wb.save(tmp_path / "x.xlsx")
    with pytest.raises(ReadError) as e:
        read_workbook(tmp_path / "x.xlsx")
    assert "三级指标" in str(e.value) and "分值" in str(e.value) and "x.xlsx" in str(e.value)


def test_one_workbook_many_projects(tmp_path):
    """A workbook with a 自评表 per sheet: read_workbook_all gives each with its own funds block."""
    import random

    from openpyxl import Workbook, load_workbook

    from workbook_templates.reader import read_workbook_all
    from workbook_templates.samples import random_unit
    rng = random.Random(11)
    units = [random_unit(rng) for _ in range(3)]
    out = Workbook()
    out.remove(out.active)
    for k, data in enumerate(units):
        src = load_workbook(write_sample("cz2020-annex", tmp_path / f"u{k}.xlsx", data)).active
        ws = out.create_sheet(f"项目{k + 1}")
        for row in src.iter_rows():
            for c in row:
                if c.value is not None:
                    ws.cell(row=c.row, column=c.column, value=c.value)
        for m in src.merged_cells.ranges:
            ws.merge_cells(str(m))
    out.save(tmp_path / "many.xlsx")
    evs = read_workbook_all(tmp_path / "many.xlsx")
    assert [ev.sheet for ev in evs] == ["项目1", "项目2", "项目3"]
    for ev, data in zip(evs, units, strict=True):
        assert ev.project.name == data["project"]["name"]
        assert ev.budget.executed == D(str(data["budget"]["executed"]))
        assert ev.total_score == D(str(data["total_score"]))
        assert len(ev.indicators) == len(data["indicators"])


def test_grade_row_and_line_breaks_in_names(tmp_path):
    from openpyxl import load_workbook

    from workbook_templates.samples import default_data

    data = default_data("cz2020-annex")
    data["grade"] = "优"
    data["indicators"][0]["name"] = "补助人数\n（人）"
    path = write_sample("cz2020-annex", tmp_path / "g.xlsx", data)
    ev = read_workbook(path)
    assert ev.grade == "优" and ev.indicators[0].name == "补助人数（人）"
    wb = load_workbook(path)
    ws = wb.active
    cell = next(c for row in ws.iter_rows() for c in row if c.value == "评价等级")
    cell.value = "评价等级：良"
    wb.save(path)
    assert read_workbook(path).grade == "良"


def test_synonyms_are_stored_normalised():
    """A synonym that ``norm`` would change could never match a cell: catch such data mistakes."""
    from workbook_templates.reader import headers, layouts, norm

    h = headers()
    tables = [h["indicator_columns"], h["funds_columns"], h["budget_row_labels"], h["project_labels"]]
    words = [w for t in tables for syns in t.values() for w in syns]
    words += h["budget_value_columns"] + h["budget_text_columns"] + h["grade_labels"] + [m for lay in layouts() for m in lay["markers"]]
    assert [w for w in words if norm(w) != w] == []


def test_visible_sheet_preferred_over_hidden_copy(tmp_path, files):
    from openpyxl import load_workbook

    wb = load_workbook(files["cz2020-annex"])
    old = wb.copy_worksheet(wb.active)
    old.title = "去年"
    old.sheet_state = "hidden"
    wb.move_sheet(old, offset=-1)          # the hidden copy comes first in the workbook
    for row in old.iter_rows():
        for c in row:
            if c.value == "补助人数（人）":
                c.value = "去年的指标"
    wb.save(tmp_path / "h.xlsx")
    ev = read_workbook(tmp_path / "h.xlsx")
    assert ev.sheet == "项目支出绩效自评表" and ev.indicators[0].name == "补助人数（人）"


def test_seed004_report_body_tables(seed004):
    """Seed 004's report body: one small table per section (二级/三级/权重/目标值/业绩值/得分) under
    titles （一）预算执行情况 … （四）项目满意度情况; the 一级指标 comes from the title."""
    from workbook_templates.loaders import grid_from_values
    from workbook_templates.reader import read_grids

    head = ["二级指标", "三级指标", "权重", "目标值", "业绩值", "得分"]
    inds = {i["name"]: i for i in seed004["indicators"]}
    rows = [["（一）预算执行情况"], head]
    titles = {"产出指标": "（二）项目产出情况", "效益指标": "（三）项目效益情况", "满意度指标": "（四）项目满意度情况"}
    budget = inds["预算执行率"]
    rows.append([budget["level2"], budget["name"], budget["weight"], budget["target"], budget["actual"],
                 budget["score_stated"]])
    current = None
    for i in seed004["indicators"][1:]:
        if i["level1"] != current:
            current = i["level1"]
            rows += [[], [titles[current]], head]
        rows.append([i["level2"], i["name"], i["weight"], i["target"], i["actual"], i["score_stated"]])
    ev = read_grids([grid_from_values("正文表格", rows)])
    assert (ev.budget.weight, ev.budget.score) == (10, Decimal("9.51"))
    want = seed004["indicators"][1:]
    assert [(i.level1, i.level2, i.name) for i in ev.indicators] == [(w["level1"], w["level2"], w["name"]) for w in want]
    score_evaluation(ev)
    assert ev.rule_total_score == Decimal(str(seed004["expected"]["total_score"]))


def test_execution_rate_as_an_ordinary_output_indicator(tmp_path):
    """'预算执行率' set by a unit as a 时效指标 under 产出指标 stays an indicator."""
    from workbook_templates.samples import default_data

    data = default_data("cz2020-annex")
    data["indicators"].insert(2, {"level1": "产出指标", "level2": "时效指标", "name": "资金预算执行率",
                                  "target": "≥90%", "actual": "95.1%", "weight": 5, "score": 5})
    ev = read_workbook(write_sample("cz2020-annex", tmp_path / "t.xlsx", data))
    assert "资金预算执行率" in [i.name for i in ev.indicators] and not ev.findings
    assert ev.budget.weight == 10
