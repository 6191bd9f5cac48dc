"""The reader does not depend on where a table sits, how sheets are named, how numbers are typed,
or which loader made the grid (openpyxl, python-calamine, an xlwings-style 2-D list)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from openpyxl import Workbook

from workbook_templates.grid import Grid
from workbook_templates.loaders import grid_from_values, load_calamine, load_openpyxl
from workbook_templates.reader import read_grids, read_workbook
from workbook_templates.samples import SAMPLE_LAYOUTS, write_corpus, write_sample

D = Decimal


def snapshot(ev) -> dict:
    """Everything a reader fills, for engine-vs-engine comparison (source and engine excluded)."""
    j = ev.to_json()
    j.pop("source")
    return {"json": j, "budget_rows": [(r.label, r.code, r.values, r.cells, r.is_total, r.is_component)
                                       for r in ev.budget.rows],
            "budget_cells": ev.budget.cells, "project_cells": ev.project.cells,
            "ind": [(i.cells, i.completion_stated, i.header_unit) for i in ev.indicators],
            "cells": ev.cells, "weights_total": ev.weights_total,
            "groups": ev.extra.get("groups")}


def write_grids(grids: list[Grid], path, dr: int = 0, dc: int = 0, rename: dict | None = None,
                edit: dict | None = None) -> None:
    """Write grids back to .xlsx, shifted by (dr, dc), sheets renamed, some cells replaced
    (``edit``: {(sheet, 'A1'): value} in the original coordinates)."""
    from workbook_templates.grid import parse_a1

    edits = {}
    for (sheet, ref), v in (edit or {}).items():
        edits[(sheet, *parse_a1(ref))] = v
    wb = Workbook()
    wb.remove(wb.active)
    for g in grids:
        ws = wb.create_sheet((rename or {}).get(g.name, g.name))
        for r, row in enumerate(g.rows):
            for c, v in enumerate(row):
                v = edits.get((g.name, r, c), v)
                if v is not None:
                    ws.cell(row=r + 1 + dr, column=c + 1 + dc, value=v)
        for r1, c1, r2, c2 in g.merged:
            ws.merge_cells(start_row=r1 + 1 + dr, start_column=c1 + 1 + dc, end_row=r2 + 1 + dr,
                           end_column=c2 + 1 + dc)
    wb.save(path)


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("robust")
    return {lay: write_sample(lay, folder / f"{lay}.xlsx") for lay in SAMPLE_LAYOUTS}


@pytest.mark.parametrize("layout", SAMPLE_LAYOUTS)
def test_calamine_and_openpyxl_agree(files, layout):
    a = read_workbook(files[layout], engine="openpyxl")
    b = read_workbook(files[layout], engine="calamine")
    assert a.indicators and snapshot(a) == snapshot(b)


@pytest.mark.parametrize("layout", SAMPLE_LAYOUTS)
def test_xlwings_style_values_agree(files, layout):
    """xlwings gives floats for every number, None for blanks, and no merged ranges by default."""
    book = load_openpyxl(files[layout])
    ref = read_grids(book.grids)
    as_xlwings = [
        grid_from_values(g.name, [[float(v) if isinstance(v, int) else v for v in row] for row in g.rows])
        for g in book.grids
    ]
    got = read_grids(as_xlwings)
    assert snapshot(got) == snapshot(ref)
    with_merges = [grid_from_values(g.name, g.rows, merged=g.merged) for g in book.grids]
    assert snapshot(read_grids(with_merges)) == snapshot(ref)


def test_values_from_an_offset_used_range(files):
    """A used range starting at C3 keeps true cell references."""
    book = load_openpyxl(files["cz2020-annex"])
    g = book.grids[0]
    shifted = grid_from_values(g.name, [[None, None] + list(r) for r in g.rows],
                               merged=[(a, b + 2, c, d + 2) for a, b, c, d in g.merged])
    ev = read_grids([shifted])
    assert ev.indicators[0].cell == "项目支出绩效自评表!F13"  # D13 moved right by two columns
    assert ev.budget.executed == D("1521.57")


def test_single_cell_and_single_row_ranges():
    assert grid_from_values("S", 5).rows == [[5]]
    assert grid_from_values("S", [1.0, None, "x"]).rows == [[1, None, "x"]]


@pytest.mark.parametrize("layout", ["seed004", "cz2020-annex", "sichuan"])
def test_renamed_sheets_and_moved_tables(files, layout, tmp_path):
    book = load_openpyxl(files[layout])
    ref = read_workbook(files[layout])
    out = tmp_path / "moved.xlsx"
    write_grids(book.grids, out, dr=3, dc=2, rename={g.name: f"Sheet{i + 1}" for i, g in enumerate(book.grids)})
    got = read_workbook(out)
    a, b = snapshot(ref)["json"], snapshot(got)["json"]
    a.pop("layout"), b.pop("layout")
    # the recognition record names the cells it read — moved with the table, as the cells below
    rec_a, rec_b = a.pop("recognition"), b.pop("recognition")
    assert [c["field"] for c in rec_a["columns"]] == [c["field"] for c in rec_b["columns"]]
    assert [r["role"] for r in rec_a["rows"]] == [r["role"] for r in rec_b["rows"]]
    for i in a["indicators"] + b["indicators"]:
        i.pop("cell")
    assert a == b
    assert got.indicators[0].cell.startswith("Sheet")
    # (row, col) moved by (3, 2): the first indicator's name cell too
    from workbook_templates.grid import parse_a1
    r0, c0 = parse_a1(ref.indicators[0].cell.split("!")[1])
    r1, c1 = parse_a1(got.indicators[0].cell.split("!")[1])
    assert (r1 - r0, c1 - c0) == (3, 2)


def test_text_numbers_full_width_and_percent_text(files, tmp_path):
    """Numbers typed as text: '１０', '9.51分', '1,600.00', '１５２１．５７', '95.10%' (seed 004 values)."""
    book = load_openpyxl(files["cz2020-annex"])
    s = book.grids[0].name
    out = tmp_path / "text.xlsx"
    write_grids(book.grids, out, edit={
        (s, "C6"): "1,600.00", (s, "D6"): "１６００", (s, "E6"): "１５２１．５７", (s, "F6"): "１０",
        (s, "G6"): "95.10%", (s, "H6"): "9.51分",
        (s, "G13"): "２０", (s, "H13"): "20分", (s, "E13"): "１８",
    })
    ev = read_workbook(out)
    b = ev.budget
    assert (b.initial, b.adjusted, b.executed, b.weight, b.rate, b.score) == (
        D(1600), D(1600), D("1521.57"), D(10), D("0.951"), D("9.51"))
    first = ev.indicators[0]
    assert (first.weight, first.score) == (D(20), D(20))
    assert first.target == "１８"     # target text kept as written; the parser reads full-width digits
    assert not [f for f in ev.findings if f.rule == "unreadable-number"]


def test_unreadable_number_is_a_finding_with_its_cell(files, tmp_path):
    book = load_openpyxl(files["cz2020-annex"])
    s = book.grids[0].name
    out = tmp_path / "bad.xlsx"
    write_grids(book.grids, out, edit={(s, "G13"): "二十"})
    ev = read_workbook(out)
    bad = [f for f in ev.findings if f.rule == "unreadable-number"]
    assert [f.cell for f in bad] == [f"{s}!G13"] and "二十" in bad[0].message
    assert ev.indicators[0].weight is None


@pytest.mark.parametrize("engine", ["openpyxl", "calamine"])
def test_percent_formatted_numbers_read_as_percent(tmp_path, engine):
    """A user typing 96% gets 0.96 with format 0%: the actual reads '96%' with either engine
    (calamine gives no formats; the loader takes them from styles.xml)."""
    data = {"project": {"name": "p", "year": 2021}, "budget": {"initial": 10, "adjusted": 10, "executed": 10},
            "indicators": [{"level1": "产出指标", "level2": "质量指标", "name": "合格率", "target": "≥95%",
                            "actual": "96%", "weight": 50, "score": 50}], "total_score": 60}
    path = write_sample("cz2020-annex", tmp_path / "p.xlsx", data)
    from openpyxl import load_workbook
    wb = load_workbook(path)
    ws = wb.active
    cell = next(c for row in ws.iter_rows() for c in row if c.value == "96%")
    cell.value, cell.number_format = 0.96, "0%"
    custom = next(c for row in ws.iter_rows() for c in row if c.value == "≥95%")
    custom.value, custom.number_format = 0.955, "0.0%"      # a custom format code (id ≥ 164)
    wb.save(path)
    ev = read_workbook(path, engine=engine)
    assert ev.indicators[0].actual == "96%"
    assert ev.indicators[0].target == "95.5%"


def test_blank_rows_inside_the_table_and_repeated_headers(files, tmp_path):
    """Blank rows between indicator groups and a repeated header row (as seed 004's Word tables have)."""
    book = load_openpyxl(files["seed004"])
    g = book.grids[1]
    rows = [list(r) for r in g.rows]
    header = rows[2]
    new = rows[:5] + [[], [], list(header)] + rows[5:]
    merged = [(a + (3 if a >= 5 else 0), b, c + (3 if c >= 5 else 0), d) for a, b, c, d in g.merged
              if not (a < 5 <= c)]
    ev = read_grids([book.grids[0], Grid(g.name, new, merged)])
    ref = read_workbook(files["seed004"])
    assert [(i.level1, i.level2, i.name, i.weight) for i in ev.indicators] == \
        [(i.level1, i.level2, i.name, i.weight) for i in ref.indicators]


def test_corpus_round_trips(tmp_path):
    """Random units written in every published layout read back to the data that wrote them."""
    import random

    from workbook_templates.samples import random_unit

    paths = write_corpus(tmp_path, 6, seed=7)
    rng = random.Random(7)
    for path in paths:
        data = random_unit(rng)
        ev = read_workbook(path)
        assert not ev.findings                      # nothing unreadable, no stray rows
        assert [r.label for r in ev.budget.rows][:1] in (["年度资金总额"], ["年初预算资金"])
        assert ev.project.name == data["project"]["name"]
        assert ev.budget.executed == D(str(data["budget"]["executed"]))
        assert ev.budget.score == D(str(data["budget"]["score"]))
        want = {w["name"]: w for w in data["indicators"]}   # the 附件 layout orders by its categories
        got = {i.name: i for i in ev.indicators}
        assert set(got) == set(want) and len(ev.indicators) == len(want)
        for name, w in want.items():
            i = got[name]
            assert (i.level1, i.score, i.weight, i.actual) == (w["level1"], D(str(w["score"])), w["weight"], w["actual"])
        if "seed004" not in path.name:
            assert ev.total_score == D(str(data["total_score"]))
            p = data["project"]
            assert (ev.project.department, ev.project.unit, ev.project.goal, ev.project.goal_actual) == (
                p["department"], p["unit"], p["goal"], p["goal_actual"])


def test_calamine_reads_our_template_meta(files):
    book = load_calamine(files["seed004"])
    assert book.hidden == set() and [g.name for g in book.grids] == ["预算执行情况表", "项目支出绩效自评表"]


@pytest.mark.parametrize("layout", SAMPLE_LAYOUTS)
def test_openpyxl_read_only_grids_equal_normal_mode(files, layout):
    """Read-only streaming + merged ranges scanned from the sheet XML == openpyxl's normal mode."""
    a, b = load_openpyxl(files[layout]), load_openpyxl(files[layout], read_only=True)
    assert [g.name for g in a.grids] == [g.name for g in b.grids]
    for ga, gb in zip(a.grids, b.grids, strict=True):
        assert ga.rows == gb.rows
        assert sorted(ga.merged) == sorted(gb.merged) and ga.merged
        assert ga.number_formats == gb.number_formats
    assert a.defined_names == b.defined_names and a.hidden == b.hidden


def test_float_noise_read_at_excel_precision():
    """Excel shows 15 significant digits: a cached 0.1+0.2-style double reads as the number shown."""
    rows = [["三级指标", "分值", "得分", "年度指标值", "实际完成值"],
            ["补助人数", 20.000000000000004, 19.999999999999996, 18.000000000000004, "18万人"]]
    ev = read_grids([grid_from_values("S", rows)])
    ind = ev.indicators[0]
    assert (ind.weight, ind.score, ind.target) == (D(20), D(20), "18")


def test_inline_project_labels_keep_text_as_written():
    rows = [["项目名称：城乡居民医疗保险（２０２１）", None, "主管部门: 县医疗保障局"],
            ["实施单位", None, "县医保中心"],
            ["三级指标", "分值", "得分"], ["补助人数", 20, 20]]
    ev = read_grids([grid_from_values("S", rows)])
    assert ev.project.name == "城乡居民医疗保险（２０２１）"
    assert (ev.project.department, ev.project.unit) == ("县医疗保障局", "县医保中心")
    assert ev.project.cells == {"name": "S!A1", "department": "S!C1", "unit": "S!C2"}


def test_values_with_number_formats_from_excel():
    """The button layer can pass cell formats (xlwings: range.number_format) so 0.96 shows as 96%."""
    rows = [["三级指标", "分值", "年度指标值", "实际完成值"], ["合格率", 10, "≥95%", 0.96]]
    g = grid_from_values("S", rows, number_formats={(1, 3): "0%", (1, 1): "General"})
    assert read_grids([g]).indicators[0].actual == "96%"
    assert read_grids([grid_from_values("S", rows)]).indicators[0].actual == "0.96"


def test_header_split_over_two_rows():
    """绩效指标 merged over 一级/二级/三级 in the first header row, the other headers merged down."""
    rows = [["绩效指标", None, None, "年度指标值", "实际完成值", "分值", "得分"],
            ["一级指标", "二级指标", "三级指标"],
            ["产出指标", "数量指标", "补助人数", "≥18万人", "18.74万人", 20, 20],
            [None, "质量指标", "合格率", "≥95%", "96%", 10, 10],
            ["总分", None, None, None, None, 30, 30]]
    merged = [(0, 0, 0, 2), (0, 3, 1, 3), (0, 4, 1, 4), (0, 5, 1, 5), (0, 6, 1, 6), (2, 0, 3, 0)]
    ev = read_grids([grid_from_values("S", rows, merged=merged)])
    assert [(i.level1, i.level2, i.name, i.target, i.weight) for i in ev.indicators] == [
        ("产出指标", "数量指标", "补助人数", "≥18万人", D(20)), ("产出指标", "质量指标", "合格率", "≥95%", D(10))]
    assert ev.total_score == 30 and ev.indicators[0].cell == "S!C3"


def test_a_grade_legend_beside_a_blank_grade_is_not_the_stated_grade(tmp_path):
    """评价等级 left blank with the legend "优≥90　良≥80　中≥60　差<60" to its right: the legend
    used to be read as the stated grade (and then reported as differing from the rule grade)."""
    from openpyxl import load_workbook

    from workbook_templates.grid import split_ref
    from workbook_templates.samples import default_data

    data = default_data("cz2020-annex")
    data["grade"] = "优"
    path = write_sample("cz2020-annex", tmp_path / "g.xlsx", data)
    ev = read_workbook(path)
    assert ev.grade == "优"
    sheet, ref = split_ref(ev.cells["grade"])
    wb = load_workbook(path)
    ws = wb[sheet]
    ws[ref].value = None
    ws.cell(ws[ref].row, ws.max_column).value = "优≥90　良≥80　中≥60　差<60"
    wb.save(tmp_path / "legend.xlsx")
    assert read_workbook(tmp_path / "legend.xlsx").grade is None
