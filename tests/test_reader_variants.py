"""The published layouts as finance clerks' real files vary them: weights "10分", numbers as text,
percent cells, extra 序号 column, long title blocks, hidden copies, notes after 总分, merged
一级/二级 cells, blank rows, line breaks, full-width digits, WPS inline strings, LibreOffice saves.

Each variation is read and validated; expected numbers come from the seed 004 fixture
(tests/fixtures/seed004_self_evaluation.json) or from the rules by hand, never from the code.
The only finding the unchanged seed gives is its own slip (unit-mismatch on 补助人数: target 18 under
a （人） header against 18.74万人); anything else is a false alarm.
"""

from __future__ import annotations

import copy
import json
import re
import zipfile
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from addin.validate import read_evaluation, validate
from workbook_templates.libreoffice import convert, find_soffice
from workbook_templates.samples import default_data, write_sample

FIX = json.loads((Path(__file__).parent / "fixtures" / "seed004_self_evaluation.json").read_text(encoding="utf-8"))
B_IND = FIX["indicators"][0]                   # the 预算执行率 line
INDS = FIX["indicators"][1:]
ROWS = {r["code"][:3]: r["values"][0] for r in FIX["budget_table"]["rows"]}
SEED_SLIP = {"unit-mismatch"}                  # the seed's own slip (fixture: 补助人数 expected finding)


def D(x: Any) -> Decimal:  # noqa: N802
    return Decimal(str(x))


def pct_text(s: str) -> Decimal:
    """'95.10%' → 0.951."""
    return D(s.rstrip("%")) / 100


# ---------------------------------------------------------------------------------------------
# workbook surgery (openpyxl): copy a sheet with its values, number formats and merges moved

def rebuild(src: Path, dst: Path, sheet: str, *, row_map: Callable[[int], int | None] | None = None,
            col_map: Callable[[int], int | None] | None = None,
            edit: Callable[[Any], None] | None = None) -> Path:
    """Copy ``src`` to ``dst``; on ``sheet`` cells move to (row_map(r), col_map(c)) (None = dropped),
    merged ranges with them. ``edit(ws)`` then changes the moved sheet."""
    wb = load_workbook(src)
    out = Workbook()
    out.remove(out.active)
    for ws in wb.worksheets:
        new = out.create_sheet(ws.title)
        new.sheet_state = ws.sheet_state
        rm = row_map if ws.title == sheet and row_map else (lambda r: r)
        cm = col_map if ws.title == sheet and col_map else (lambda c: c)
        for row in ws.iter_rows():
            for cell in row:
                if cell.value is None and cell.number_format == "General":
                    continue
                r, c = rm(cell.row), cm(cell.column)
                if r is None or c is None:
                    continue
                nc = new.cell(row=r, column=c, value=cell.value)
                nc.number_format = cell.number_format
        for m in ws.merged_cells.ranges:
            r1, r2, c1, c2 = rm(m.min_row), rm(m.max_row), cm(m.min_col), cm(m.max_col)
            if None in (r1, r2, c1, c2) or (r1, c1) == (r2, c2):
                continue
            anchor = new.cell(row=r1, column=c1).value
            new.merge_cells(start_row=r1, start_column=c1, end_row=r2, end_column=c2)
            new.cell(row=r1, column=c1).value = anchor
        if ws.title == sheet and edit:
            edit(new)
    out.save(dst)
    return dst


def edit_cells(src: Path, dst: Path, sheet: str, fn: Callable[[Any], None]) -> Path:
    wb = load_workbook(src)
    fn(wb[sheet])
    wb.save(dst)
    return dst


def column_of(ws, header: str) -> int:
    for row in ws.iter_rows(max_row=20):
        for cell in row:
            if isinstance(cell.value, str) and cell.value.replace("\n", "") == header:
                return cell.column
    raise AssertionError(f"no header {header}")


def rows_named(ws, names: list[str]) -> dict[str, int]:
    """Row of each indicator name (first column holding it)."""
    out = {}
    for row in ws.iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and cell.value.replace("\n", "") in names and cell.value not in out:
                out[cell.value.replace("\n", "")] = cell.row
    return out


def header_row(ws, header: str) -> int:
    for row in ws.iter_rows(max_row=30):
        for cell in row:
            if cell.value == header:
                return cell.row
    raise AssertionError(header)


# ---------------------------------------------------------------------------------------------
# reading + checking

def run(path: Path, profile: str | None = None):
    ev, prof = read_evaluation(str(path), profile)
    findings = validate(ev, prof)
    return ev, findings


def rules(findings, severities=("error", "warning")) -> set[str]:
    return {f.rule for f in findings if f.severity in severities}


def assert_seed004(ev, findings, *, extra: set[str] = frozenset(), budget: bool = True,
                   completion: bool = False, levels: bool = True) -> None:
    """The seed's figures, read back; findings = the seed's slip plus ``extra``."""
    got = [(i.name, i.weight, i.score) for i in ev.indicators]
    assert got == [(x["name"], D(x["weight"]), D(x["score_stated"])) for x in INDS]
    assert [i.level1 for i in ev.indicators] == [x["level1"] for x in INDS]
    if levels:
        assert [i.level2 for i in ev.indicators] == [x["level2"] for x in INDS]
    if budget:
        b = ev.budget
        assert (b.initial, b.adjusted, b.executed) == (D(ROWS["(1)"]), D(ROWS["(2)"]), D(ROWS["(4)"]))
        assert b.weight == D(B_IND["weight"]) and b.score == D(B_IND["score_stated"])
        assert b.rule_score == D(FIX["expected"]["budget_score"])
    if completion:
        assert [i.completion_stated for i in ev.indicators] == [pct_text(x["completion_stated"]) for x in INDS]
    assert ev.rule_total_score == D(FIX["expected"]["total_score"])
    assert rules(findings) == SEED_SLIP | set(extra), [(f.rule, f.cell, f.message) for f in findings]


@pytest.fixture(scope="module")
def samples(tmp_path_factory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("samples")
    return {lay: write_sample(lay, d / f"{lay}.xlsx") for lay in ("seed004", "cz2020-annex", "sichuan")}


SELF = "项目支出绩效自评表"


def test_the_unchanged_samples_give_only_the_seed_slip(samples):
    for lay, path in samples.items():
        ev, fs = run(path)
        assert_seed004(ev, fs, completion=lay == "seed004")


# --- numbers written as text ------------------------------------------------------------------

@pytest.mark.parametrize("how", ["分", "text", "fullwidth"])
@pytest.mark.parametrize("layout", ["seed004", "cz2020-annex"])
def test_weights_and_scores_written_as_text(samples, tmp_path, layout, how):
    def fn(ws):
        heads = [(cell.row, cell.column) for row in ws.iter_rows(max_row=30) for cell in row
                 if cell.value in ("权重", "指标得分", "分值", "得分")]
        for hr, c in heads:
            below = [r for r, cc in heads if cc == c and r > hr]
            for r in range(hr + 1, min(below, default=ws.max_row + 1)):
                v = ws.cell(row=r, column=c).value
                if isinstance(v, (int, float)) and not isinstance(v, bool):
                    s = format(D(v).normalize(), "f")
                    if how == "fullwidth":
                        s = s.translate(str.maketrans("0123456789.", "０１２３４５６７８９．"))
                    ws.cell(row=r, column=c).value = s + ("分" if how == "分" else "")
    path = edit_cells(samples[layout], tmp_path / "t.xlsx", SELF, fn)
    ev, fs = run(path)
    assert_seed004(ev, fs)


# --- percentages three ways -------------------------------------------------------------------

@pytest.mark.parametrize("how", ["number-with-percent-format", "typed-text", "plain-number"])
def test_completion_percentages_three_ways(samples, tmp_path, how):
    def fn(ws):
        c = column_of(ws, "完成率")
        for r in range(4, ws.max_row + 1):
            v = ws.cell(row=r, column=c).value
            if not isinstance(v, str) or not v.endswith("%"):
                continue
            cell = ws.cell(row=r, column=c)
            if how == "number-with-percent-format":
                cell.value = float(pct_text(v))
                cell.number_format = "0.00%"
            elif how == "plain-number":
                cell.value = float(D(v.rstrip("%")))
    path = edit_cells(samples["seed004"], tmp_path / "p.xlsx", SELF, fn)
    ev, fs = run(path)
    assert_seed004(ev, fs)
    assert ev.budget.rate == pct_text(B_IND["completion_stated"])
    stated = [i.completion_stated for i in ev.indicators]
    want = [pct_text(x["completion_stated"]) for x in INDS]
    if how == "plain-number":
        want = [w * 100 for w in want]       # 104.11 as written; the checks read it as a percent
    assert stated == want


@pytest.mark.parametrize("how", ["number-with-percent-format", "plain-number"])
def test_actual_percent_cells(samples, tmp_path, how):
    """业绩值 95.1% stored as 0.951 shown 95.10%, or typed as the number 95.1."""
    def fn(ws):
        c = column_of(ws, "业绩值")
        for r in range(4, ws.max_row + 1):
            v = ws.cell(row=r, column=c).value
            if isinstance(v, str) and re.fullmatch(r"\d+(\.\d+)?%", v):
                cell = ws.cell(row=r, column=c)
                if how == "plain-number":
                    cell.value = float(D(v.rstrip("%")))
                else:
                    cell.value = float(pct_text(v))
                    cell.number_format = "0.00%"
    path = edit_cells(samples["seed004"], tmp_path / "a.xlsx", SELF, fn)
    ev, fs = run(path)
    assert_seed004(ev, fs)
    assert ev.budget.rate == D("0.951")


# --- columns and rows moved -------------------------------------------------------------------

def test_completion_column_absent(samples, tmp_path):
    src = samples["seed004"]
    ws = load_workbook(src)[SELF]
    gone = column_of(ws, "完成率")
    path = rebuild(src, tmp_path / "nc.xlsx", SELF,
                   col_map=lambda c: None if c == gone else (c - 1 if c > gone else c))
    ev, fs = run(path)
    assert_seed004(ev, fs)
    assert all(i.completion_stated is None for i in ev.indicators)
    assert ev.budget.rate == D("0.951")          # from 业绩值 95.1%


@pytest.mark.parametrize("layout", ["seed004", "cz2020-annex", "sichuan"])
def test_serial_number_column_at_the_left(samples, tmp_path, layout):
    sheet = SELF if layout != "sichuan" else "自评表"

    def edit(ws):
        hr = next(r for r in range(1, 40) if any(
            ws.cell(row=r, column=c).value in ("目标指标", "三级指标") for c in range(1, 12)))
        ws.cell(row=hr, column=1).value = "序号"
        n = 0
        for r in range(hr + 1, ws.max_row + 1):
            name = [ws.cell(row=r, column=c).value for c in range(2, 6)]
            if any(isinstance(v, str) and v in {x["name"] for x in INDS} | {"预算执行率"} for v in name):
                n += 1
                ws.cell(row=r, column=1).value = n
    path = rebuild(samples[layout], tmp_path / "sn.xlsx", sheet, col_map=lambda c: c + 1, edit=edit)
    ev, fs = run(path)
    assert_seed004(ev, fs)


def test_table_starting_at_row_8_after_title_and_notes(samples, tmp_path):
    def edit(ws):
        ws.cell(row=1, column=1).value = "附件1"
        ws.cell(row=2, column=1).value = "2021年度项目支出绩效自评表"
        ws.cell(row=3, column=1).value = ("填报说明：1.本表由项目实施单位填写；2.金额单位为万元；3.完成率=实际完成值/目标值，"
                                         "定性指标按达成、部分达成、未达成分档评分；4.偏离度超过30%的须说明原因。")
        ws.merge_cells("A3:I3")
        ws.cell(row=4, column=1).value = "填报单位（盖章）：某县医疗保障事务中心"
        ws.cell(row=4, column=6).value = "填报日期：2022年3月"
    path = rebuild(samples["seed004"], tmp_path / "r8.xlsx", SELF, row_map=lambda r: r + 5, edit=edit)
    ev, fs = run(path)
    assert_seed004(ev, fs)
    assert ev.indicators[0].cell.endswith("!C10")      # header row 3 → 8, first indicator row 5 → 10


def test_two_self_evaluation_sheets_one_hidden(samples, tmp_path):
    """Last year's copy kept as a hidden sheet placed first: the visible sheet is the one read."""
    wb = load_workbook(samples["cz2020-annex"])
    old = wb.copy_worksheet(wb[SELF])
    old.title = "2020年自评表"
    for row in old.iter_rows():
        for cell in row:
            if isinstance(cell.value, (int, float)) and not isinstance(cell.value, bool):
                cell.value = cell.value / 2
    old.sheet_state = "hidden"
    wb.move_sheet(old, offset=-1)
    wb.active = 1
    path = tmp_path / "two.xlsx"
    wb.save(path)
    ev, fs = run(path)
    assert ev.sheet == SELF
    assert_seed004(ev, fs)


@pytest.mark.parametrize("label", ["总分", "合计", "总  分", "合 计"])
def test_notes_after_the_total_row_and_total_label(samples, tmp_path, label):
    def fn(ws):
        r = next(r for r in range(1, ws.max_row + 1) if ws.cell(row=r, column=1).value == "总分")
        ws.cell(row=r, column=1).value = label
        ws.cell(row=r + 2, column=1).value = "注：1.偏差原因分析须说明偏离度超过30%的指标；2.定性指标按三档计分。"
        ws.merge_cells(start_row=r + 2, start_column=1, end_row=r + 2, end_column=10)
        ws.cell(row=r + 3, column=1).value = "填表人：张三"
        ws.cell(row=r + 3, column=5).value = "联系电话：0357-1234567"
        ws.cell(row=r + 3, column=8).value = 2022
    path = edit_cells(samples["cz2020-annex"], tmp_path / "n.xlsx", SELF, fn)
    ev, fs = run(path)
    assert ev.total_score == D(FIX["total_stated"])
    assert_seed004(ev, fs)


def test_grade_written_in_full(tmp_path):
    data = default_data("cz2020-annex")
    data["grade"] = FIX["grade_stated"]               # 优秀
    path = write_sample("cz2020-annex", tmp_path / "g.xlsx", data)
    ev, fs = run(path)
    assert ev.grade == "优秀"
    assert_seed004(ev, fs)


def test_level1_and_level2_merged_vertically(samples, tmp_path):
    """seed004 with 二级 merged as well as 一级 (a second 数量 line shares the merged 二级 cell)."""
    data = default_data("seed004")
    inds = data["indicators"]
    extra = {**inds[0], "name": "补助人次", "target": "18万人次", "actual": "18.74万人次", "completion": "104.11%",
             "weight": 10, "score": 10, "reason": None}
    inds[0]["weight"] = inds[0]["score"] = 10
    inds.insert(1, extra)
    path = write_sample("seed004", tmp_path / "m.xlsx", data)

    def fn(ws):
        c2 = column_of(ws, "二级指标")
        rows = rows_named(ws, ["补助人数（人）", "补助人次"])
        ws.cell(row=rows["补助人次"], column=c2).value = None
        ws.merge_cells(start_row=rows["补助人数（人）"], start_column=c2, end_row=rows["补助人次"], end_column=c2)
    path = edit_cells(path, tmp_path / "m2.xlsx", SELF, fn)
    ev, fs = run(path)
    assert [(i.level1, i.level2, i.name) for i in ev.indicators[:3]] == [
        ("产出指标", "数量指标", "补助人数（人）"), ("产出指标", "数量指标", "补助人次"), ("产出指标", "质量指标", "医疗保险应保尽保")]
    assert ev.rule_total_score == D(FIX["expected"]["total_score"])
    assert rules(fs) == SEED_SLIP


def test_blank_rows_inside_the_table(samples, tmp_path):
    ws = load_workbook(samples["seed004"])[SELF]
    rows = rows_named(ws, [x["name"] for x in INDS])
    gaps = sorted((rows[INDS[2]["name"]], rows[INDS[4]["name"]]))

    def shift(r):
        return r + sum(1 for g in gaps if r >= g)
    path = rebuild(samples["seed004"], tmp_path / "b.xlsx", SELF, row_map=shift)
    ev, fs = run(path)
    assert_seed004(ev, fs)


def test_budget_row_placed_at_the_end(samples, tmp_path):
    ws = load_workbook(samples["seed004"])[SELF]
    first = rows_named(ws, ["预算执行率"])["预算执行率"]
    last = max(rows_named(ws, [x["name"] for x in INDS]).values())

    def move(r):
        if r == first:
            return last
        return r - 1 if first < r <= last else r
    path = rebuild(samples["seed004"], tmp_path / "end.xlsx", SELF, row_map=move)
    ev, fs = run(path)
    assert_seed004(ev, fs)


def test_indicator_names_with_line_breaks(samples, tmp_path):
    def fn(ws):
        c = column_of(ws, "目标指标")
        for r in range(4, ws.max_row + 1):
            v = ws.cell(row=r, column=c).value
            if isinstance(v, str) and len(v) > 4:
                ws.cell(row=r, column=c).value = v[:4] + "\n" + v[4:]
        for h in ("一级指标", "二级指标"):
            cc = column_of(ws, h)
            ws.cell(row=3, column=cc).value = h[:2] + "\n" + h[2:]
    path = edit_cells(samples["seed004"], tmp_path / "lb.xlsx", SELF, fn)
    ev, fs = run(path)
    assert_seed004(ev, fs)


def test_full_width_digits_and_spaces(samples, tmp_path):
    def fn(ws):
        ca, cw = column_of(ws, "业绩值"), column_of(ws, "权重")
        r = rows_named(ws, ["补助人数（人）"])["补助人数（人）"]
        ws.cell(row=r, column=ca).value = "１８.７４ 万人"
        ws.cell(row=r, column=cw).value = "２０"
    path = edit_cells(samples["seed004"], tmp_path / "fw.xlsx", SELF, fn)
    ev, fs = run(path)
    assert_seed004(ev, fs)
    ind = ev.indicators[0]
    assert ind.rule_score == D(20)


# --- deliberate mistakes are found, and said plainly -------------------------------------------

def test_zero_fund_total_above_a_90_appropriation(tmp_path):
    data = default_data("cz2020-annex")
    data["budget"] = {"weight": 10, "score": 10, "rows": [
        {"label": "年度资金总额", "values": [0, 0, 0]},
        {"label": "其中：当年财政拨款", "values": [90, 90, 90]},
        {"label": "上年结转资金", "values": [None, None, None]},
        {"label": "其他资金", "values": [None, None, None]}]}
    data["total_score"] = 100
    path = write_sample("cz2020-annex", tmp_path / "z.xlsx", data)
    ev, fs = run(path)
    hits = [f for f in fs if f.rule == "budget-subtotal-mismatch"]
    assert hits and all(f.severity == "error" for f in hits)
    assert any("90" in f.message for f in hits)


def test_score_9_where_the_rule_gives_8_62(tmp_path):
    """正向: 10 × 81.9% ÷ 95% = 8.6210… → 8.62 (财预〔2020〕10号); the sheet says 9."""
    data = default_data("cz2020-annex")
    ind = data["indicators"][1]
    ind.update(target="≥95%", actual="81.9%", score=9, reason="部分参保人员未及时登记")
    data["total_score"] = 98.51
    path = write_sample("cz2020-annex", tmp_path / "s.xlsx", data)
    ev, fs = run(path)
    hits = [f for f in fs if f.rule == "score-differs-from-rule"]
    assert len(hits) == 1
    assert "9" in hits[0].message and "8.62" in hits[0].message
    assert hits[0].expected == D("8.62")
    assert rules(fs) == SEED_SLIP | {"score-differs-from-rule"}


@pytest.mark.parametrize(("actual", "score", "bad"), [
    ("达成预期指标", 15, False), ("部分达成", 10, False), ("基本完成", 11, False),
    ("部分达成", 15, True), ("达成预期指标", 9, True)])
def test_qualitative_actuals(tmp_path, actual, score, bad):
    """定性 bands of 15 points: 达成 12–15, 部分达成 9–12 (基本完成 is 部分达成)."""
    data = default_data("cz2020-annex")
    ind = data["indicators"][4]                   # 减轻补助人口看病负担 (target 持续), 15 points
    ind.update(actual=actual, score=score)
    data["total_score"] = 99.51 - 15 + score
    path = write_sample("cz2020-annex", tmp_path / "q.xlsx", data)
    ev, fs = run(path)
    assert ev.indicators[4].actual == actual and ev.indicators[4].direction == "定性"
    assert rules(fs) == SEED_SLIP | ({"qualitative-band"} if bad else set()), [(f.rule, f.message) for f in fs]


# --- files saved by other programs --------------------------------------------------------------

SST = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
SST_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"
INLINE = re.compile(r'<c([^>]*?) t="inlineStr"([^>]*)><is><t[^>]*>(.*?)</t></is></c>', re.S)


def to_shared_strings(src: Path, dst: Path) -> Path:
    """Rewrite openpyxl's inline-string cells as shared strings (t="s" + xl/sharedStrings.xml),
    as Excel and WPS save text."""
    with zipfile.ZipFile(src) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    table: dict[str, int] = {}

    def shared(m: re.Match) -> str:
        idx = table.setdefault(m.group(3), len(table))
        return f'<c{m.group(1)} t="s"{m.group(2)}><v>{idx}</v></c>'
    for name in [n for n in parts if n.startswith("xl/worksheets/sheet")]:
        parts[name] = INLINE.sub(shared, parts[name].decode("utf-8")).encode("utf-8")
    items = "".join(f'<si><t xml:space="preserve">{t}</t></si>' for t in table)
    parts["xl/sharedStrings.xml"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        f'count="{len(table)}" uniqueCount="{len(table)}">{items}</sst>').encode()
    ct = parts["[Content_Types].xml"].decode("utf-8")
    parts["[Content_Types].xml"] = ct.replace(
        "</Types>", f'<Override PartName="/xl/sharedStrings.xml" ContentType="{SST}"/></Types>').encode("utf-8")
    rels = parts["xl/_rels/workbook.xml.rels"].decode("utf-8")
    parts["xl/_rels/workbook.xml.rels"] = rels.replace(
        "</Relationships>", f'<Relationship Type="{SST_REL}" Target="sharedStrings.xml" Id="rIdSst"/></Relationships>'
    ).encode("utf-8")
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as z:
        for n, data in parts.items():
            z.writestr(n, data)
    return dst


@pytest.mark.parametrize("layout", ["seed004", "cz2020-annex", "sichuan"])
def test_shared_strings_as_excel_and_wps_save_them(samples, tmp_path, layout):
    """openpyxl writes inline strings; Excel and WPS write shared strings: both read the same."""
    path = to_shared_strings(samples[layout], tmp_path / f"{layout}-sst.xlsx")
    sheet = zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml")
    assert b"inlineStr" not in sheet and b't="s"' in sheet
    ev, fs = run(path)
    assert_seed004(ev, fs, completion=layout == "seed004")


@pytest.fixture(scope="module")
def lo_saved(samples, tmp_path_factory) -> dict[str, Path]:
    if find_soffice() is None:
        pytest.skip("LibreOffice (soffice) 未安装")
    out = tmp_path_factory.mktemp("lo")
    return {lay: convert(samples[lay], "xlsx", out / lay) for lay in ("seed004", "cz2020-annex")}


@pytest.mark.libreoffice
@pytest.mark.parametrize("layout", ["seed004", "cz2020-annex"])
def test_saved_by_libreoffice(lo_saved, layout):
    ev, fs = run(lo_saved[layout])
    assert_seed004(ev, fs, completion=layout == "seed004")


def test_fixture_is_what_the_sample_writes():
    """Guard: the sample's default data is the fixture's (so the expectations above are the seed's)."""
    data = copy.deepcopy(default_data("seed004"))
    assert [(i["name"], i["weight"], i["score"]) for i in data["indicators"]] == \
        [(x["name"], x["weight"], x["score_stated"]) for x in INDS]


# --- more of what clerks do ---------------------------------------------------------------------

@pytest.mark.parametrize("layout", ["seed004", "cz2020-annex", "sichuan"])
def test_line_breaks_in_every_header(samples, tmp_path, layout):
    sheet = SELF if layout != "sichuan" else "自评表"

    def fn(ws):
        for row in ws.iter_rows():
            for cell in row:
                v = cell.value
                if isinstance(v, str) and 4 <= len(v) <= 12 and ("指标" in v or v in (
                        "权重", "分值", "得分", "目标值", "业绩值", "完成率", "年度指标值", "实际完成值",
                        "全年实际值", "年初预算数", "全年预算数", "全年执行数", "执行率")):
                    cell.value = v[:len(v) // 2] + "\n" + v[len(v) // 2:]
    path = edit_cells(samples[layout], tmp_path / "h.xlsx", sheet, fn)
    ev, fs = run(path)
    assert_seed004(ev, fs)


def test_targets_typed_as_percent_cells(samples, tmp_path):
    """目标值 typed 95% in Excel: the cell holds 0.95 shown as 95%."""
    def fn(ws):
        ct = column_of(ws, "目标值")
        rows = rows_named(ws, ["社会满意度", "医疗保险应保尽保", "预算执行率"])
        for r in rows.values():
            v = ws.cell(row=r, column=ct).value
            ws.cell(row=r, column=ct).value = float(pct_text(v)) if isinstance(v, str) else v / 100
            ws.cell(row=r, column=ct).number_format = "0%"
    path = edit_cells(samples["seed004"], tmp_path / "tp.xlsx", SELF, fn)
    ev, fs = run(path)
    assert_seed004(ev, fs)
    assert [i.target for i in ev.indicators if i.name in ("社会满意度", "医疗保险应保尽保")] == ["100%", "95%"]


def test_full_width_percent_signs(samples, tmp_path):
    def fn(ws):
        for row in ws.iter_rows(min_row=4):
            for cell in row:
                if isinstance(cell.value, str) and cell.value.endswith("%"):
                    cell.value = cell.value[:-1] + "％"
    path = edit_cells(samples["seed004"], tmp_path / "fp.xlsx", SELF, fn)
    ev, fs = run(path)
    assert_seed004(ev, fs, completion=True)
    assert ev.budget.rate == D("0.951")


def test_grade_on_the_total_row(samples, tmp_path):
    def fn(ws):
        r = next(r for r in range(1, ws.max_row + 1) if ws.cell(row=r, column=1).value == "总分")
        ws.cell(row=r, column=9).value = "评价等级：优"
    path = edit_cells(samples["cz2020-annex"], tmp_path / "gt.xlsx", SELF, fn)
    ev, fs = run(path)
    assert ev.grade == "优"
    assert_seed004(ev, fs)


def test_signature_and_notes_rows_under_a_table_without_total(samples, tmp_path):
    """seed004 has no 总分 row; the 注 and 填表人 lines under it are not indicators."""
    def fn(ws):
        r = ws.max_row + 1
        ws.cell(row=r, column=1).value = "注：完成率=业绩值÷目标值；定性指标按达成情况分档计分。"
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=9)
        ws.cell(row=r + 2, column=1).value = "单位负责人：李四"
        ws.cell(row=r + 2, column=3).value = "填表人：张三"
        ws.cell(row=r + 2, column=6).value = "联系电话：0357-1234567"
        ws.cell(row=r + 3, column=3).value = "填报日期：2022年3月15日"
    path = edit_cells(samples["seed004"], tmp_path / "sig.xlsx", SELF, fn)
    ev, fs = run(path)
    assert_seed004(ev, fs)


def test_total_and_grade_rows_added_to_seed004(tmp_path):
    data = default_data("seed004")
    data["total_score"], data["grade"] = FIX["total_stated"], FIX["grade_stated"]
    path = write_sample("seed004", tmp_path / "tg.xlsx", data)
    ev, fs = run(path)
    assert (ev.total_score, ev.grade) == (D(FIX["total_stated"]), "优秀")
    assert_seed004(ev, fs)


@pytest.mark.parametrize("engine", ["openpyxl", "calamine"])
@pytest.mark.parametrize("how", ["number-with-percent-format", "plain-number"])
def test_percent_cells_with_either_engine(samples, tmp_path, engine, how):
    """calamine loses number formats: 0.951 reads as 0.951 (a ratio), 95.1 as 95.1 (percent points)."""
    from workbook_templates.reader import read_workbook

    def fn(ws):
        for head in ("完成率", "业绩值"):
            c = column_of(ws, head)
            for r in range(4, ws.max_row + 1):
                v = ws.cell(row=r, column=c).value
                if isinstance(v, str) and re.fullmatch(r"\d+(\.\d+)?%", v):
                    cell = ws.cell(row=r, column=c)
                    cell.value = float(pct_text(v)) if how != "plain-number" else float(D(v[:-1]))
                    if how != "plain-number":
                        cell.number_format = "0.00%"
    path = edit_cells(samples["seed004"], tmp_path / "e.xlsx", SELF, fn)
    ev = read_workbook(path, engine=engine)
    fs = validate(ev)
    assert_seed004(ev, fs)
    assert ev.budget.rate == D("0.951")


def with_score_formulas(src: Path, dst: Path) -> Path:
    """得分 cells as formulas (=权重 for full marks, =ROUND(10*1521.57/1600,2) for the budget line)."""
    def fn(ws):
        cw, cs = column_of(ws, "权重"), column_of(ws, "指标得分")
        for r in range(4, ws.max_row + 1):
            v = ws.cell(row=r, column=cs).value
            w = ws.cell(row=r, column=cw).value
            if v is None:
                continue
            ws.cell(row=r, column=cs).value = (f"={ws.cell(row=r, column=cw).coordinate}" if v == w
                                               else "=ROUND(10*1521.57/1600,2)")
    return edit_cells(src, dst, SELF, fn)


def test_formulas_never_calculated_are_said_not_read_silently_as_blank(samples, tmp_path):
    """A generated file whose 得分 formulas have no cached value: one warning naming the first cell,
    not a silent blank (the rule scores still come out, from 目标值/实际值)."""
    path = with_score_formulas(samples["seed004"], tmp_path / "raw.xlsx")
    ev, fs = run(path)
    hits = [f for f in fs if f.rule == "formula-not-calculated"]
    assert len(hits) == 1 and hits[0].severity == "warning"
    assert hits[0].cell == f"{SELF}!H4" and "8处" in hits[0].message     # budget line + 7 indicators
    assert rules(fs) == SEED_SLIP | {"formula-not-calculated"}
    assert ev.rule_total_score == D(FIX["expected"]["total_score"])


@pytest.mark.libreoffice
def test_formulas_saved_by_libreoffice_read_from_cached_values(samples, tmp_path):
    if find_soffice() is None:
        pytest.skip("LibreOffice (soffice) 未安装")
    src = with_score_formulas(samples["seed004"], tmp_path / "f.xlsx")
    saved = convert(src, "xlsx", tmp_path / "lo")
    ev, fs = run(saved)
    assert_seed004(ev, fs)


@pytest.mark.parametrize("how", ["typed", "percent-format"])
def test_weights_written_as_percent_of_the_points(samples, tmp_path, how):
    """权重 20% (of the 100 points) is 20 points, typed "20%" or a 0.2 cell shown as 20%."""
    def fn(ws):
        c = column_of(ws, "权重")
        for r in range(4, ws.max_row + 1):
            cell = ws.cell(row=r, column=c)
            if isinstance(cell.value, int):
                if how == "typed":
                    cell.value = f"{cell.value}%"
                else:
                    cell.value, cell.number_format = cell.value / 100, "0%"
    path = edit_cells(samples["seed004"], tmp_path / "wp.xlsx", SELF, fn)
    ev, fs = run(path)
    assert_seed004(ev, fs)


def test_category_subtotal_rows(samples, tmp_path):
    """'产出指标小计 50 50' under each 一级指标 is not an indicator (no double count, no missing 目标值)."""
    ws = load_workbook(samples["sichuan"])["自评表"]
    rows = rows_named(ws, [x["name"] for x in INDS])
    after = [rows[INDS[3]["name"]] + 1, rows[INDS[5]["name"]] + 1, rows[INDS[6]["name"]] + 1]

    def shift(r):
        return r + sum(1 for g in after if r >= g)

    def edit(w):
        for k, (g, lab, pts) in enumerate(zip(after, ["产出指标小计", "效益指标 小计", "满意度指标合计"], [50, 30, 10],
                                              strict=True)):
            w.cell(row=g + k, column=3).value = lab
            w.cell(row=g + k, column=8).value = pts
            w.cell(row=g + k, column=9).value = pts
    path = rebuild(samples["sichuan"], tmp_path / "sub.xlsx", "自评表", row_map=shift, edit=edit)
    ev, fs = run(path)
    assert_seed004(ev, fs)
    assert [s["weight"] for s in ev.extra["subtotals"]] == [50, 30, 10]


@pytest.mark.parametrize(("pos", "neg", "qual"), [("正向指标", "反向指标", "定性指标"), (">=", "<=", "定性"),
                                                ("大于等于", "小于等于", "定性")])
def test_sichuan_nature_words_and_units_written_twice(samples, tmp_path, pos, neg, qual):
    """指标性质 in words; 指标值 "95%" with 度量单位 "%" (the unit typed in both places)."""
    def fn(ws):
        for r in range(1, ws.max_row + 1):
            nature = ws.cell(row=r, column=4)
            if nature.value in ("≥", "≤", "定性"):
                nature.value = {"≥": pos, "≤": neg, "定性": qual}[nature.value]
            if ws.cell(row=r, column=3).value == "社会满意度":
                ws.cell(row=r, column=5).value, ws.cell(row=r, column=6).value = "95%", "%"
                ws.cell(row=r, column=7).value = "95%"
            if ws.cell(row=r, column=3).value == "医疗保险应保尽保":
                ws.cell(row=r, column=6).value, ws.cell(row=r, column=7).value = "%", 100
    path = edit_cells(samples["sichuan"], tmp_path / "sc.xlsx", "自评表", fn)
    ev, fs = run(path)
    assert_seed004(ev, fs)
    by = {i.name: i for i in ev.indicators}
    assert [by[n].direction for n in ("补助人数（人）", "人均补助标准（元/年）", "推动我县医保事业发展")] == ["正向", "反向", "定性"]
    assert (by["社会满意度"].actual, by["医疗保险应保尽保"].actual) == ("95%", "100%")
    assert by["社会满意度"].rule_score == D(10)


@pytest.fixture(scope="module")
def old_formats(samples, tmp_path_factory) -> dict[str, Path]:
    """seed004 saved as .xls and .ods by LibreOffice (as units receive them from older offices)."""
    if find_soffice() is None:
        pytest.skip("LibreOffice (soffice) 未安装")
    out = tmp_path_factory.mktemp("old")
    return {fmt: convert(samples["seed004"], fmt, out) for fmt in ("xls", "ods")}


@pytest.mark.libreoffice
@pytest.mark.parametrize("fmt", ["xls", "ods"])
def test_xls_and_ods(old_formats, fmt):
    ev, fs = run(old_formats[fmt])
    assert_seed004(ev, fs, completion=True)


@pytest.mark.libreoffice
@pytest.mark.parametrize(("fmt", "suffix"), [("xls", ".xlsx"), ("xls", ".et"), ("xlsx", ".xls")])
def test_extension_that_does_not_match_the_content(old_formats, samples, tmp_path, fmt, suffix):
    """An .xls renamed .xlsx, a WPS .et (BIFF inside), an .xlsx saved as "xxx.xls": read by content."""
    src = old_formats["xls"] if fmt == "xls" else samples["seed004"]
    path = tmp_path / f"renamed{suffix}"
    path.write_bytes(src.read_bytes())
    ev, fs = run(path)
    assert_seed004(ev, fs, completion=True)


# --- the 共性指标计分表 (seed 001) as clerks vary it ------------------------------------------------

SC = json.loads((Path(__file__).parent / "fixtures" / "seed001_scorecard.json").read_text(encoding="utf-8"))


def assert_seed001(ev, findings) -> None:
    got = [(i.name, i.weight, i.score) for i in ev.indicators]
    if ev.budget.weight is not None:      # 预算执行率 (过程/资金管理) is read as the budget part
        got.append(("预算执行率", ev.budget.weight, ev.budget.score))
    want = [(x["name"], D(x["weight"]), D(x["score"])) for x in SC["scorecard"]]
    assert sorted(got) == sorted(want)
    assert ev.total_score == D(SC["expected"]["total_score"])
    # no 目标值/实际值 columns: none of the 17 scored items (Σ 分值 100, the fixture) can be checked by
    # the rules, so the rule total is withheld rather than the stated 99.3 repeated (issue #12)
    assert ev.rule_total_score is None
    assert ev.extra["unchecked"] == {"count": len(SC["scorecard"]), "points": sum(D(x["weight"]) for x in SC["scorecard"])}
    groups = ev.extra["groups"]
    assert {k: v["weight"] for k, v in groups.items()} == {"决策": 20, "过程": 20, "产出": 40, "效益": 20}
    assert rules(findings) == set(), [(f.rule, f.message) for f in findings]
    assert [(f.rule, f.severity) for f in findings] == [("partially-scorable", "info")]


@pytest.mark.parametrize("how", ["plain", "serial-column", "row-8", "weights-分", "line-breaks", "shared-strings"])
def test_scorecard_variants(tmp_path, how):
    src = write_sample("seed001-scorecard", tmp_path / "sc.xlsx")
    if how == "serial-column":
        def edit(ws):
            ws.cell(row=3, column=1).value = "序号"
            for k, r in enumerate(range(4, 4 + len(SC["scorecard"])), 1):
                ws.cell(row=r, column=1).value = k
        src = rebuild(src, tmp_path / "s.xlsx", "计分表", col_map=lambda c: c + 1, edit=edit)
    elif how == "row-8":
        def edit(ws):
            ws.cell(row=1, column=1).value = "附件2"
            ws.cell(row=2, column=1).value = "说明：本表按《医保转移支付资金绩效评价工作手册》共性指标框架填写。"
        src = rebuild(src, tmp_path / "s.xlsx", "计分表", row_map=lambda r: r + 4, edit=edit)
    elif how == "weights-分":
        def fn(ws):
            for r in range(4, ws.max_row + 1):
                for c in (4, 5):
                    v = ws.cell(row=r, column=c).value
                    if isinstance(v, (int, float)):
                        ws.cell(row=r, column=c).value = f"{format(D(v).normalize(), 'f')}分"
        src = edit_cells(src, tmp_path / "s.xlsx", "计分表", fn)
    elif how == "line-breaks":
        def fn(ws):
            for row in ws.iter_rows(min_row=3):
                for cell in row:
                    if isinstance(cell.value, str) and 6 <= len(cell.value) <= 20 and cell.column <= 3:
                        cell.value = cell.value[:3] + "\n" + cell.value[3:]
        src = edit_cells(src, tmp_path / "s.xlsx", "计分表", fn)
    elif how == "shared-strings":
        src = to_shared_strings(src, tmp_path / "s.xlsx")
    ev, fs = run(src, "common-framework")     # the layout only suggests it (issue #12)
    assert_seed001(ev, fs)


def test_category_total_rows_inside_merged_level1(samples, tmp_path):
    """'合计' in the 二级 column under each 一级指标 whose merged cell covers it: a category total,
    not the table's 总分 — the categories after it are still read."""
    ws = load_workbook(samples["sichuan"])["自评表"]
    rows = rows_named(ws, [x["name"] for x in INDS])
    after = [rows[INDS[3]["name"]] + 1, rows[INDS[5]["name"]] + 1, rows[INDS[6]["name"]] + 1]
    first = rows[INDS[0]["name"]]

    def shift(r):
        return r + sum(1 for g in after if r >= g)

    def edit(w):
        for m in list(w.merged_cells.ranges):
            if m.min_col == 1 and m.max_col == 1 and m.max_row > m.min_row:
                w.unmerge_cells(str(m))
        start = first
        for k, (g, pts) in enumerate(zip(after, [50, 30, 10], strict=True)):
            rr = g + k
            w.cell(row=rr, column=2).value = "合计"
            w.cell(row=rr, column=8).value = w.cell(row=rr, column=9).value = pts
            w.merge_cells(start_row=start, start_column=1, end_row=rr, end_column=1)
            start = rr + 1
    path = rebuild(samples["sichuan"], tmp_path / "cat.xlsx", "自评表", row_map=shift, edit=edit)
    ev, fs = run(path)
    assert ev.total_score == D(FIX["total_stated"])
    assert_seed004(ev, fs)
    assert [(s["label"], s["weight"]) for s in ev.extra["subtotals"]] == [
        ("产出指标合计", 50), ("效益指标合计", 30), ("满意度指标合计", 10)]


@pytest.mark.parametrize("how", ["no-code-column", "codes-1-to-7-text", "codes-1-to-7-numbers"])
def test_budget_table_without_bracketed_codes(samples, tmp_path, how):
    """预算执行情况表 with no 行次 column, or 行次 typed 1…7: rows found by their labels."""
    sheet = "预算执行情况表"
    if how == "no-code-column":
        path = rebuild(samples["seed004"], tmp_path / "b.xlsx", sheet,
                       col_map=lambda c: None if c == 2 else (c - 1 if c > 2 else c))
    else:
        def edit(ws):
            for r in range(4, 11):
                ws.cell(row=r, column=2).value = str(r - 3) if how.endswith("text") else r - 3
        path = rebuild(samples["seed004"], tmp_path / "b.xlsx", sheet, edit=edit)
    ev, fs = run(path)
    assert_seed004(ev, fs)
    assert [r.label for r in ev.budget.rows] == [x["label"] for x in FIX["budget_table"]["rows"]]
    assert ev.budget.available == D(ROWS["(3)"])


def test_budget_table_with_codes_1_to_7_checks_the_balance_row(samples, tmp_path):
    """(5)=(3)−(4): 1600 − 1521.57 = 78.43; a 资金结余 of 80 is found even with 行次 typed 5."""
    def edit(ws):
        for r in range(4, 11):
            ws.cell(row=r, column=2).value = r - 3
        ws.cell(row=8, column=3).value = 80
    path = rebuild(samples["seed004"], tmp_path / "b5.xlsx", "预算执行情况表", edit=edit)
    ev, fs = run(path)
    hits = [f for f in fs if f.rule == "budget-subtotal-mismatch"]
    assert hits and hits[0].cell == "预算执行情况表!C8" and "78.43" in hits[0].message


def test_instructions_sheet_with_a_sample_table_comes_first(samples, tmp_path):
    """A 填表说明 sheet placed first, holding a one-line sample of the table: the real sheet is read."""
    wb = load_workbook(samples["cz2020-annex"])
    ws = wb.create_sheet("填表说明", 0)
    lines = [["填表说明"], ["1. 本表由项目实施单位填写，金额单位：万元。"], ["2. 指标表示例："],
             ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"],
             ["产出指标", "数量指标", "培训人次（示例）", "≥100人次", "120人次", 10, 10],
             ["3. 偏离度超过30%的须说明原因。"]]
    for i, line in enumerate(lines, 1):
        for j, v in enumerate(line, 1):
            ws.cell(row=i, column=j, value=v)
    path = tmp_path / "guide.xlsx"
    wb.save(path)
    ev, fs = run(path)
    assert ev.sheet == SELF
    assert_seed004(ev, fs)


@pytest.mark.parametrize("rate", ["percent-format", "plain-number", "text-2-decimals"])
def test_funds_block_rate_and_amounts_as_typed(samples, tmp_path, rate):
    """项目资金 block: 执行率 0.951 shown 95.10% / typed 95.1 / '95.10%'; amounts typed '1,600.00'."""
    def fn(ws):
        r = next(r for r in range(1, 20) if ws.cell(row=r, column=2).value == "年度资金总额")
        cell = ws.cell(row=r, column=7)
        if rate == "percent-format":
            cell.value, cell.number_format = 0.951, "0.00%"
        elif rate == "plain-number":
            cell.value = 95.1
        else:
            cell.value = "95.10%"
        for c in (3, 4):
            ws.cell(row=r, column=c).value = "1,600.00"
            ws.cell(row=r + 1, column=c).value = "1,600.00"
    path = edit_cells(samples["cz2020-annex"], tmp_path / "fb.xlsx", SELF, fn)
    ev, fs = run(path)
    assert ev.budget.rate == D("0.951")
    assert_seed004(ev, fs)


@pytest.mark.parametrize("merge", ["budget-A:C", "satisfaction-B:C"])
def test_name_merged_across_from_the_left(samples, tmp_path, merge):
    """'预算执行率' typed once over 一级:三级, or the 满意度 二级 merged over the 三级 cell: the row is
    still read (its 分值/得分 used to be dropped)."""
    def fn(ws):
        rows = rows_named(ws, ["预算执行率", "社会满意度"])
        if merge == "budget-A:C":
            r = rows["预算执行率"]
            ws.cell(row=r, column=1).value = "预算执行率"
            ws.cell(row=r, column=2).value = ws.cell(row=r, column=3).value = None
            ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=3)
        else:
            r = rows["社会满意度"]
            ws.cell(row=r, column=2).value = "社会满意度"
            ws.cell(row=r, column=3).value = None
            ws.merge_cells(start_row=r, start_column=2, end_row=r, end_column=3)
    path = edit_cells(samples["seed004"], tmp_path / "mg.xlsx", SELF, fn)
    ev, fs = run(path)
    assert_seed004(ev, fs, levels=merge.startswith("budget"))   # one text for 二级 and 三级 there


def test_subtotal_row_with_a_blank_unmerged_level1_cell(samples, tmp_path):
    """'合计 50 50' right after the 产出 rows, its 一级 cell blank (not merged down): more indicators
    follow, so it is the category's subtotal, not the table's 总分 (which would drop 效益/满意度)."""
    ws = load_workbook(samples["sichuan"])["自评表"]
    rows = rows_named(ws, [x["name"] for x in INDS])
    gap = rows[INDS[3]["name"]] + 1          # after the last 产出 indicator (成本指标)

    def edit(w):
        w.cell(row=gap, column=3).value = "合计"
        w.cell(row=gap, column=8).value = 50
        w.cell(row=gap, column=9).value = 50
    path = rebuild(samples["sichuan"], tmp_path / "sub2.xlsx", "自评表",
                   row_map=lambda r: r + (1 if r >= gap else 0), edit=edit)
    ev, fs = run(path)
    assert_seed004(ev, fs)
    assert [s["weight"] for s in ev.extra["subtotals"]] == [50]
