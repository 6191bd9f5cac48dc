"""`jixiao validate` end to end on workbooks of every layout the reader supports (published-layout
samples and our own template), with the seeds' slips and with slips put in.

Expected cells are located in the workbook by their content (the row of "补助人数（人）" etc.), so the
test checks that a finding points at the right place whatever row the layout uses.
"""

from __future__ import annotations

import copy
import hashlib
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from addin.annotate import FILL_COLOURS, FINDINGS_SHEET, split_ref
from addin.cli import main
from workbook_templates.samples import SAMPLE_LAYOUTS, default_data, write_sample


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def run_json(capsys, *argv: str) -> tuple[int, dict]:
    code = main(["validate", *argv, "--json"])
    out = capsys.readouterr().out
    return code, json.loads(out)


def row_of(path: Path, text: str) -> tuple[str, int]:
    """(sheet, row) of the first cell whose value is ``text``."""
    wb = load_workbook(path)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if c.value == text:
                    return ws.title, c.row
    raise AssertionError(f"{text} not in {path}")


def cell_row(ref: str) -> tuple[str, int]:
    sheet, a1 = split_ref(ref)
    return sheet, int("".join(ch for ch in a1 if ch.isdigit()))


@pytest.fixture(scope="module")
def samples(tmp_path_factory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("samples")
    return {layout: write_sample(layout, d / f"{layout}.xlsx") for layout in SAMPLE_LAYOUTS}


@pytest.mark.parametrize("layout", ["seed004", "cz2020-annex", "sichuan"])
def test_seed004_slip_found_in_every_layout(samples, capsys, layout):
    path = samples[layout]
    before = sha(path)
    code, data = run_json(capsys, str(path))
    errors = [f for f in data["findings"] if f["severity"] == "error"]
    assert [f["rule"] for f in errors] == ["unit-mismatch"]
    assert cell_row(errors[0]["cell"]) == row_of(path, "补助人数（人）")
    assert code == 1
    assert data["rule_total_score"] == 99.51 and data["grade"] in ("优", "优秀")
    assert sha(path) == before


def test_seed004_no_false_alarms(samples, capsys):
    """Seed 004's correct parts: the cost indicator (830 → 580元, reason given), (6)/(7) written as
    percent numbers, qualitative 持续/100%, rounding — nothing but the unit slip."""
    _, data = run_json(capsys, str(samples["seed004"]))
    assert [f["rule"] for f in data["findings"]] == ["unit-mismatch"]


def test_scorecard_clean_with_its_layout_profile(samples, capsys):
    code, data = run_json(capsys, str(samples["seed001-scorecard"]), "--profile", "common-framework")
    assert code == 0
    # no 目标值/实际值 columns: none of the 17 scored items (Σ 分值 100) can be checked by the rules,
    # so the rule total is withheld rather than the stated 99.3 repeated (issue #12)
    assert [(f["rule"], f["severity"]) for f in data["findings"]] == [("partially-scorable", "info")]
    assert data["rule_total_score"] is None and data["total_score"] == 99.3   # seed 001 fixture: 99.3
    assert data["profile"]["id"] == "common-framework" and data["profile"]["source"] == "option"


def test_a_layout_only_suggests_its_profile(samples, capsys):
    """Issue #12: the 共性指标 layout suggests common-framework, but without --profile the rules are
    the default's (its 50/30/10 check fires) and the output says which profile and what was suggested."""
    _, data = run_json(capsys, str(samples["seed001-scorecard"]))
    assert data["profile"] | {"title": None} == {"id": "cz2020-10", "title": None, "version": None,
                                                 "source": "default", "reason": "默认规则",
                                                 "suggested": "common-framework"}
    rules = [f["rule"] for f in data["findings"]]
    assert "level1-weights" in rules and "profile-suggested" in rules


def annex_with(tmp_path: Path, name: str, change) -> Path:
    data = copy.deepcopy(default_data("cz2020-annex"))
    change(data)
    return write_sample("cz2020-annex", tmp_path / name, data)


def test_total_row_of_zero_above_a_component_of_90(tmp_path, capsys):
    def change(d):
        b = d["budget"]
        b.update(initial=90, adjusted=90, executed=86.2, rate="95.78%", score=9.58)
        b["rows"] = [{"label": "年度资金总额", "values": [0, 0, 0]},
                     {"label": "其中：当年财政拨款", "values": [90, 90, 86.2]},
                     {"label": "上年结转资金", "values": [None, None, None]},
                     {"label": "其他资金", "values": [None, None, None]}]
    path = annex_with(tmp_path, "zero.xlsx", change)
    code, data = run_json(capsys, str(path))
    sub = [f for f in data["findings"] if f["rule"] == "budget-subtotal-mismatch"]
    sheet, row = row_of(path, "年度资金总额")
    assert len(sub) == 3 and all(cell_row(f["cell"]) == (sheet, row) for f in sub)
    assert code == 1


def test_score_of_9_where_the_rules_give_8_62(tmp_path, capsys):
    def change(d):
        ind = d["indicators"][1]                      # 医疗保险应保尽保
        ind.update(target="≥100%", actual="86.2%", score=9)
        d["total_score"] = 98.51
    path = annex_with(tmp_path, "score.xlsx", change)
    code, data = run_json(capsys, str(path))
    f = [f for f in data["findings"] if f["rule"] == "score-differs-from-rule"]
    assert len(f) == 1 and "9" in f[0]["message"] and "8.62" in f[0]["message"]
    assert cell_row(f[0]["cell"]) == row_of(path, "医疗保险应保尽保")
    assert f[0]["severity"] == "warning"
    assert data["total_score"] == 98.51
    assert data["rule_total_score"] == pytest.approx(99.51 - 10 + 8.62)


def test_our_template_filled_is_clean(tmp_path, capsys):
    fill = pytest.importorskip("workbook_templates.fill")
    data = default_data("cz2020-annex")
    data["indicators"][0]["target"] = "18万人"          # the seed's slip corrected
    path = fill.fill_template("project", data, tmp_path / "tpl.xlsx")
    code, out = run_json(capsys, str(path))
    assert [f for f in out["findings"] if f["severity"] == "error"] == []
    assert code == 0
    assert out["rule_total_score"] == 99.51


def test_annotated_copy(samples, tmp_path, capsys):
    src = samples["seed004"]
    before = sha(src)
    out = tmp_path / "annotated.xlsx"
    code = main(["validate", str(src), "-o", str(out)])
    text = capsys.readouterr().out
    assert code == 1 and "unit-mismatch" in text and out.exists()
    assert sha(src) == before
    wb = load_workbook(out)
    assert FINDINGS_SHEET in wb.sheetnames
    sheet, row = row_of(src, "补助人数（人）")
    marked = [c for c in wb[sheet][row] if c.comment is not None]
    assert len(marked) == 1
    assert marked[0].fill.fgColor.rgb.endswith(FILL_COLOURS["error"])
    assert "18.74万人" in marked[0].comment.text
    fs = wb[FINDINGS_SHEET]
    link = [c for row in fs.iter_rows() for c in row if c.hyperlink is not None]
    assert len(link) == 1 and link[0].hyperlink.location.endswith(f"!{marked[0].coordinate}")
    assert sorted(wb.sheetnames) == sorted([*load_workbook(src).sheetnames, FINDINGS_SHEET])


def test_output_over_the_input_is_refused(samples, capsys):
    src = samples["seed004"]
    before = sha(src)
    assert main(["validate", str(src), "-o", str(src)]) == 2
    assert "错误" in capsys.readouterr().err
    assert sha(src) == before


def test_in_place_keeps_a_bak_and_annotates_the_file(tmp_path, capsys):
    """The refusal above suggests --in-place: validate accepts it, keeps the original as .bak."""
    src = write_sample("seed004", tmp_path / "seed004.xlsx")
    before = sha(src)
    assert main(["validate", str(src), "--in-place", "-o", str(tmp_path / "x.xlsx")]) == 2
    assert sha(src) == before
    assert main(["validate", str(src), "--in-place"]) == 1           # seed 004's 补助人数 slip
    capsys.readouterr()
    assert sha(Path(str(src) + ".bak")) == before
    assert FINDINGS_SHEET in load_workbook(src).sheetnames


def test_unknown_profile_is_bad_input(samples, capsys):
    assert main(["validate", str(samples["seed004"]), "--profile", "火星"]) == 2
    assert "火星" in capsys.readouterr().err


def test_profile_option(samples, capsys):
    code, data = run_json(capsys, str(samples["seed001-scorecard"]), "--profile", "cz2020-10")
    assert {f["rule"] for f in data["findings"]} >= {"level1-weights"}


def test_finding_on_a_merged_cell_is_marked_on_its_top_left():
    from openpyxl import Workbook

    from addin.annotate import mark_workbook
    from workbook_templates.model import Finding

    wb = Workbook()
    ws = wb.active
    ws.title = "自评 表"
    ws["B2"] = "产出指标"
    ws.merge_cells("B2:B5")
    n = mark_workbook(wb, [Finding("level1-weights", "warning", "'自评 表'!B4", "一级指标分值不符")])
    assert n == 1
    assert ws["B2"].comment is not None and "一级指标分值不符" in ws["B2"].comment.text
    link = wb[FINDINGS_SHEET]["E4"].hyperlink
    assert link.location == "'自评 表'!B4"


def test_rules_listing_has_every_check_of_the_issue(capsys):
    assert main(["validate", "--rules", "--json"]) == 0
    rules = {r["rule"]: r for r in json.loads(capsys.readouterr().out)}
    issue = {"weights-sum", "level1-weights", "score-exceeds-weight", "negative-score", "total-mismatch",
             "execution-rate-mismatch", "budget-subtotal-mismatch", "score-differs-from-rule", "unit-mismatch",
             "magnitude-mismatch", "deviation-unexplained", "low-execution-unexplained", "qualitative-band",
             "missing-field", "missing-category"}
    assert issue <= rules.keys()
    assert rules["level1-weights"]["severity"] == rules["score-differs-from-rule"]["severity"] == "warning"
    assert rules["missing-category"]["severity"] == "warning"
    assert rules["budget-subtotal-mismatch"]["severity"] == rules["unit-mismatch"]["severity"] == "error"
    assert main(["validate"]) == 2


def test_annotating_an_annotated_copy_gives_the_same_marks(samples, tmp_path, capsys):
    once, twice = tmp_path / "once.xlsx", tmp_path / "twice.xlsx"
    code1, data1 = run_json(capsys, str(samples["seed004"]), "-o", str(once))
    code2, data2 = run_json(capsys, str(once), "-o", str(twice))
    assert (code1, data1["findings"]) == (code2, data2["findings"])
    notes = [(c.coordinate, c.comment.text) for ws in load_workbook(twice).worksheets
             for row in ws.iter_rows() for c in row if c.comment is not None]
    assert len(notes) == 1 and notes[0][1].count("18.74万人") == 1


@pytest.mark.parametrize("out", ["marked.csv", "no-such-folder/marked.xlsx"])
def test_bad_output_path_is_refused_clearly(samples, tmp_path, capsys, out):
    src = samples["seed004"]
    before = sha(src)
    assert main(["validate", str(src), "-o", str(tmp_path / out)]) == 2
    assert capsys.readouterr().err.startswith("错误：")
    assert sha(src) == before and not (tmp_path / out).exists()


@pytest.mark.parametrize("layout", SAMPLE_LAYOUTS)
def test_read_evaluation_reads_what_the_reader_reads(samples, layout):
    """validate's reading path (kept grids for the merged-cell check) = reader.read_workbook."""
    from addin.validate import read_evaluation
    from workbook_templates.reader import read_workbook

    ours, _ = read_evaluation(str(samples[layout]))
    theirs = read_workbook(str(samples[layout]))
    assert ours.to_json() | {"profile": None} == theirs.to_json()   # + which rules and why
    assert ours.to_json()["profile"]["source"] == "default"
    assert ours.cells == theirs.cells and [i.cells for i in ours.indicators] == [i.cells for i in theirs.indicators]


@pytest.mark.parametrize("command", ["validate", "score"])
def test_square_brackets_in_the_file_are_printed_as_written(tmp_path, capsys, monkeypatch, command):
    """Text from the file that looks like rich markup ('[/b]') is printed, not parsed (it used to
    end in 'MarkupError', exit 2, after the work was done)."""
    data = copy.deepcopy(default_data("seed004"))
    data["project"]["name"] = "城乡居民医保[/red]补助"
    data["indicators"][0]["name"] = "补助人数[/b]（人）"        # the line with the unit slip
    src = write_sample("seed004", tmp_path / "brackets.xlsx", data)
    monkeypatch.setenv("COLUMNS", "400")              # wide enough that no table cell folds
    code = main([command, str(src)])
    out = capsys.readouterr().out
    assert code == 1                                   # seed 004's unit slip: an error finding
    assert "城乡居民医保[/red]补助" in out and "补助人数[/b]（人）" in out
