"""Issue #16 — the scored and annotated copies a reviewer opens: total-mismatch points at the rows
that cause it, 计分结果 and 校验结果 read like finished tables, the rule scores written into the main
sheet are labelled and printed. Workbooks are made as a user makes them: the 财预〔2020〕10号 附件1
sample (seed 004's numbers) edited the way the slips happen — a 得分 left blank (its formula not
copied), a 定性 row's 得分 left blank, the 总分 as Excel's SUM then shows it. (A 得分 typed as text
is refused by validate/score with the cell named, exit 2 — tests/test_validate_cli.py.)"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from addin.annotate import FINDINGS_SHEET, SCORES_SHEET
from addin.cli import main
from workbook_templates.grid import parse_a1, split_ref
from workbook_templates.reader import read_workbook
from workbook_templates.samples import write_sample


def _set(wb, ref: str, value) -> None:
    sheet, a1 = split_ref(ref)
    r, c = parse_a1(a1)
    wb[sheet].cell(row=r + 1, column=c + 1).value = value     # cell(value=None) would not clear it


@pytest.fixture
def slipped(tmp_path) -> tuple[Path, dict[str, str]]:
    """社会满意度's 得分 blank, the 定性 推动我县医保事业发展's 得分 blank; 总分 = Excel's SUM of the
    numbers left: 99.51 − 10 − 15 = 74.51."""
    src = write_sample("cz2020-annex", tmp_path / "annex.xlsx")
    ev = read_workbook(src)
    by = {i.name: i for i in ev.indicators}
    cells = {"blank": by["社会满意度"].cells["score"], "text": by["推动我县医保事业发展"].cells["score"],
             "total": ev.cells["total_score"]}
    wb = load_workbook(src)
    _set(wb, cells["blank"], None)
    _set(wb, cells["text"], None)
    _set(wb, cells["total"], 74.51)
    wb.save(src)
    return src, cells


def _comment(wb, ref: str) -> str:
    sheet, a1 = split_ref(ref)
    c = wb[sheet][a1]
    return c.comment.text if c.comment is not None else ""


def test_total_mismatch_marks_each_causing_row(slipped, tmp_path, capsys):
    src, cells = slipped
    out = tmp_path / "annotated.xlsx"
    assert main(["validate", str(src), "-o", str(out)]) == 1
    wb = load_workbook(out)
    assert "总分填报为74.51" in _comment(wb, cells["total"])
    blank = _comment(wb, cells["blank"])
    assert "“社会满意度”得分为空" in blank and "未计入" in blank and "按规则该行得分10分" in blank
    qual = _comment(wb, cells["text"])
    assert "“推动我县医保事业发展”得分为空" in qual and "按规则该行得分15分" in qual
    for ref in cells.values():
        sheet, a1 = split_ref(ref)
        assert wb[sheet][a1].fill.fgColor.rgb.endswith(("FFC7CE", "FFEB9C"))   # each its own mark


def test_findings_sheet_names_rules_in_chinese_with_a_legend(slipped, tmp_path, capsys):
    src, _ = slipped
    out = tmp_path / "annotated.xlsx"
    main(["validate", str(src), "-o", str(out)])
    ws = load_workbook(out)[FINDINGS_SHEET]
    rows = [[c.value for c in r] for r in ws.iter_rows()]
    header_at = next(i for i, r in enumerate(rows) if r and r[0] == "序号")
    header = [h for h in rows[header_at] if h]
    assert header[:3] == ["序号", "严重程度", "问题"] and header[-1] == "规则编号"
    assert "规则值" not in header and "应为" in header
    assert "位置" in header
    body = rows[header_at + 1:]
    names = [r[2] for r in body if r[0]]
    assert "总分与各项得分之和不符" in names and "该行得分造成总分不符" in names
    assert "total-mismatch" in [r[header.index("规则编号")] for r in body if r[0]]
    n_findings = len([r for r in body if isinstance(r[0], int)])     # the 识别记录 lines follow the legend
    legend = " ".join(str(v) for r in rows[header_at + 1 + n_findings:] for v in r if v)
    assert "颜色说明" in legend and "错误" in legend and "警告" in legend and "提示" in legend
    where = [r[header.index("位置")] for r in body if r[0]]
    assert any(w and "行 总分" in w for w in where)


def test_scores_sheet_has_borders_formats_and_explains_differences(slipped, tmp_path, capsys):
    src, cells = slipped
    out = tmp_path / "scored.xlsx"
    main(["score", str(src), "-o", str(out)])
    ws = load_workbook(out)[SCORES_SHEET]
    rows = list(ws.iter_rows())
    header_at = next(i for i, r in enumerate(rows) if r[0].value == "一级指标")
    header = [c.value for c in rows[header_at]]
    assert "说明" in header
    i_stated, i_rule, i_note = header.index("填报得分"), header.index("规则得分"), header.index("说明")
    body = [r for r in rows[header_at + 1:] if sum(c.value is not None for c in r) > 1]   # not the profile note
    for r in body:
        assert r[0].border.left.style == "thin" and r[i_note].border.right.style == "thin"
        for c in (r[i_stated], r[i_rule]):
            if isinstance(c.value, (int, float)):
                assert c.number_format == "0.00"
    differing = {r[2].value: r for r in body if r[i_note].value}
    assert "社会满意度" in differing and "推动我县医保事业发展" in differing
    assert differing["社会满意度"][0].fill.fgColor.rgb.endswith("FFEB9C")
    assert "未填写" in differing["社会满意度"][i_note].value
    same = next(r for r in body if r[2].value == "医疗保险应保尽保")
    assert same[i_note].value in (None, "") and not same[0].fill.fgColor.rgb.endswith("FFEB9C")


def test_rule_scores_in_the_main_sheet_have_a_header_and_are_printed(slipped, tmp_path, capsys):
    src, cells = slipped
    out = tmp_path / "scored.xlsx"
    main(["score", str(src), "-o", str(out)])
    wb = load_workbook(out)
    sheet, a1 = split_ref(cells["blank"])
    ws = wb[sheet]
    r, _ = parse_a1(a1)
    col = next(c for c in range(1, ws.max_column + 1)
               if any(ws.cell(row=k, column=c).value == "规则得分" for k in range(1, r + 1)))
    head_row = next(k for k in range(1, r + 1) if ws.cell(row=k, column=col).value == "规则得分")
    assert ws.cell(row=head_row, column=col).border.bottom.style == "thin"
    assert ws.cell(row=r + 1, column=col).value == 10
    area = ws.print_area
    assert area, "the scored copy has a print area"
    from openpyxl.utils.cell import range_boundaries

    min_col, min_row, max_col, max_row = range_boundaries(area.split("!")[-1].replace("$", ""))
    assert max_col >= col and min_row <= head_row and max_row >= r + 1
    assert Decimal(str(ws.cell(row=r + 1, column=col).value)) == Decimal("10")


def test_the_ribbons_findings_sheet_reads_the_same(tmp_path, capsys):
    """The 校验 button (headless through `addin press`) writes the same columns and legend."""
    import json

    src = write_sample("seed004", tmp_path / "seed004.xlsx")
    assert main(["addin", "press", "校验", str(src), "--json"]) == 0
    acts = json.loads(capsys.readouterr().out)["actions"]
    values = [v for a in acts if a["func"] == "setValues" for v in a["values"]]
    header = next(r for r in values if r and r[0] == "序号")
    assert header[:8] == ["序号", "严重程度", "问题", "位置", "单元格", "说明", "应为", "规则编号"]
    row = next(r for r in values if r and r[0] == 1)
    assert row[2] == "目标值与实际值单位不一致" and row[3] == "项目支出绩效自评表第5行 年度指标值" and row[7] == "unit-mismatch"
    assert any(r and r[1] == "颜色说明" for r in values)
