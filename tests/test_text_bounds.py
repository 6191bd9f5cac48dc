"""Text copied from a unit's file into our outputs (issue #10 items 5 and 8): control characters an
.xls holds (XML 1.0 forbids them; openpyxl raised IllegalCharacterError) are removed, and no cell or
comment exceeds Excel's 32,767 characters — a cut is said so at the end."""

from __future__ import annotations

import random

import openpyxl
from openpyxl import Workbook

from addin.annotate import annotated_copy, append_values
from workbook_templates.grid import MAX_CELL_TEXT, clean_text, plain_value
from workbook_templates.model import Evaluation, Finding


def test_clean_text():
    assert clean_text("项目\x01名称\x0b\x1f") == "项目名称"
    assert clean_text("换行\n制表\t保留") == "换行\n制表\t保留"
    assert clean_text("孤立代理\udc8f字") == "孤立代理字"
    long = clean_text("长" * 40000)
    assert len(long) == MAX_CELL_TEXT and long.endswith("已略去）")
    assert plain_value("a\x02b") == "ab"


def test_values_from_an_xls_with_control_characters_are_written(tmp_path):
    """``append_values`` is how .xls values reach the .xlsx copy (annotate.workbook_from_grids)."""
    wb = Workbook()
    append_values(wb.active, ["公共\x01文化", "=1+1\x0b", 3])
    wb.save(tmp_path / "副本.xlsx")
    ws = openpyxl.load_workbook(tmp_path / "副本.xlsx").active
    assert [c.value for c in ws[1]] == ["公共文化", "=1+1", 3]


def test_comment_stays_under_excels_limit(tmp_path):
    """Findings quoting a long cell (40,000 characters of text, e.g. pasted from a report) on one
    cell: the comment holds at most 32,767 characters."""
    from workbook_templates.samples import write_sample

    src = write_sample("seed004", tmp_path / "s.xlsx")
    rng = random.Random(1)
    text = "".join(chr(rng.randrange(0x4E00, 0x9FA5)) for _ in range(40000))
    ev = Evaluation(source=str(src))
    ws_name = openpyxl.load_workbook(src).sheetnames[0]
    ev.findings = [Finding("unreadable-number", "error", f"{ws_name}!C4", f"无法识别数值“{text}”\x01"),
                   Finding("missing-field", "warning", f"{ws_name}!C4", "缺少" + text)]
    out = annotated_copy(src, ev, tmp_path / "a.xlsx")
    comment = openpyxl.load_workbook(out)[ws_name]["C4"].comment
    assert comment is not None and len(comment.text) <= MAX_CELL_TEXT
    assert "\x01" not in comment.text and comment.text.endswith("已略去）")
