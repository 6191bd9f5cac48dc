"""The annotated copy of a Word report (`jixiao validate -o`, `jixiao score -o` on a .docx).

Every finding that names a table cell (``表6!E3``) shades that cell (red error, yellow warning,
blue information), highlights its text (yellow, as a reviewer marks; blue for information) and attaches a Word comment with the message; a finding
about the text (``正文!A55``) highlights that paragraph and comments on it. The text itself is not
changed (the copy reads as the original did); an empty cell gets a highlighted note “【校验】”. A ``校验结果`` heading and table (and the rule scores) are appended
at the end. The cells and paragraphs are found by the loader's own walk of the document
(``docx_loader.blocks`` / ``table_positions``), so ``表6!E3`` here is the cell the reader read.

The original is never modified (atomic write of a new file; over the input only with
``--in-place``, .bak kept). A report read from .doc or PDF has no .docx to mark: the copy is a new
document holding the results.
"""

from __future__ import annotations

import os
from decimal import Decimal
from pathlib import Path
from typing import Any

from workbook_templates.docx_loader import (
    NARRATIVE,
    RESULTS_MARK,
    _Names,
    _table_rows,
    blocks,
    body_of,
    continuation,
    paragraph_text,
    table_positions,
    table_width,
)
from workbook_templates.errors import WriteError
from workbook_templates.fileio import atomic_path
from workbook_templates.grid import Grid, parse_a1, split_ref
from workbook_templates.model import Evaluation

from .rules import SEVERITY_LABELS

FILLS = {"error": "FFC7CE", "warning": "FFEB9C", "info": "DDEBF7"}
HIGHLIGHT = {"error": "yellow", "warning": "yellow", "info": "turquoise"}   # the cell shading tells the severity
NOTE = "【校验】"


def locate(root: Any, w: _Names) -> tuple[dict[str, dict[tuple[int, int], Any]], dict[int, Any]]:
    """{table name: {(row, col): cell element}} (every grid column a cell covers) and {paragraph
    number: paragraph element}, numbered exactly as ``docx_loader.load_docx`` numbers them."""
    tables: dict[str, dict[tuple[int, int], Any]] = {}
    paras: dict[int, Any] = {}

    def table(tbl: Any, name: str) -> None:
        cells: dict[tuple[int, int], Any] = {}
        tables[name] = cells
        nested = 0
        for r, c, span, tc in table_positions(tbl, w):
            for k in range(span):
                cells[(r, c + k)] = tc
            for b in blocks(tc, w):
                if b.tag == w("tbl"):
                    nested += 1
                    table(b, f"{name}-{nested}")

    n = 0
    prev: tuple[Grid, int] | None = None          # as load_docx: a continuation table is filed under the table it continues
    for b in blocks(body_of(root, w), w):
        if b.tag == w("p"):
            if paragraph_text(b, w).strip():
                paras[len(paras) + 1] = b
                prev = None
        else:
            n += 1
            rows, _, nested, _ = _table_rows(b, w)
            width = table_width(b, w)
            if prev and not nested and (skip := continuation(prev, rows, width)) is not None:
                g = prev[0]
                base = g.nrows - skip
                for r, c, span, tc in table_positions(b, w):
                    for k in range(span):
                        if r >= skip:
                            tables[g.name][(base + r, c + k)] = tc
                g.rows.extend(rows[skip:])
                continue
            table(b, f"表{n}")
            prev = None if nested else (Grid(name=f"表{n}", rows=rows, merged=[]), width)
    return tables, paras


def annotated_docx(src_path: str | os.PathLike, ev: Evaluation, out_path: str | os.PathLike,
                   in_place: bool = False) -> Path:
    """Write the annotated copy (see the module docstring); returns the output path."""
    from docx import Document

    src, out = Path(src_path), Path(out_path)
    if out.suffix.lower() != ".docx":
        raise WriteError(f"Word 报告的标注副本应写成 .docx 文件（“{out.name}”的扩展名不对）；请用 -o 指定 .docx 文件名。")
    kind = (ev.extra.get("document") or {}).get("kind", "docx")
    try:
        doc = Document(str(src)) if kind == "docx" else Document()
    except Exception as exc:  # noqa: BLE001 - python-docx raises many kinds on odd packages
        raise WriteError(f"无法打开“{src.name}”以写入标注副本（{type(exc).__name__}）") from None
    marked = 0
    if kind == "docx":
        w = _Names(doc.element.nsmap.get("w") or "http://schemas.openxmlformats.org/wordprocessingml/2006/main")
        tables, paras = locate(doc.element, w)
        for f in ev.findings:
            target = _target(f.cell, tables, paras, w)
            if target is not None:
                _mark(doc, target, f, w, shade=target.tag == w("tc"))
                marked += 1
    else:
        doc.add_paragraph(f"原文件为 {'PDF' if kind == 'pdf' else '旧版 Word（.doc）'}，无法在原文上标注；以下为校验结果。")
    _results(doc, ev, marked)
    with atomic_path(out, source=src, in_place=in_place) as tmp:
        try:
            doc.save(str(tmp))
        except OSError as exc:
            raise WriteError(f"无法写入“{out}”：{exc}") from None
    return out


def _target(ref: str | None, tables: dict, paras: dict, w: _Names) -> Any | None:
    if not ref:
        return None
    sheet, a1 = split_ref(ref)
    try:
        r, c = parse_a1(a1)
    except (ValueError, IndexError):
        return None
    if sheet == NARRATIVE:
        return paras.get(r + 1)
    return tables.get(sheet, {}).get((r, c))


def _mark(doc: Any, el: Any, f: Any, w: _Names, shade: bool) -> None:
    """Shade a cell (tc) and append the highlighted note with a comment to it / to a paragraph."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.text.paragraph import Paragraph

    if shade:
        tcpr = el.get_or_add_tcPr()
        for old in tcpr.findall(qn("w:shd")):
            tcpr.remove(old)
        shd = OxmlElement("w:shd")
        shd.set(qn("w:val"), "clear")
        shd.set(qn("w:color"), "auto")
        shd.set(qn("w:fill"), FILLS.get(f.severity, FILLS["info"]))
        tcpr.append(shd)
        ps = [Paragraph(p, None) for p in el.findall(qn("w:p"))]
    else:
        ps = [Paragraph(el, None)]
    runs = [r for p in ps for r in p.runs if r.text.strip()]
    text = f"{SEVERITY_LABELS.get(f.severity, f.severity)}（{f.rule}）：{f.message}"
    if not runs or not hasattr(doc, "add_comment"):
        # an empty cell (a missing 得分) or python-docx < 1.2: a highlighted note run
        para = ps[-1] if ps else Paragraph(el.add_p(), None)
        runs = [para.add_run(NOTE if hasattr(doc, "add_comment") else f"{NOTE}{text}")]
        runs[0].bold = True
    from docx.enum.text import WD_COLOR_INDEX

    for run in runs:                         # highlighting keeps the text as it was: the copy reads the same
        run.font.highlight_color = getattr(WD_COLOR_INDEX, HIGHLIGHT.get(f.severity, "yellow").upper())
    if hasattr(doc, "add_comment"):
        doc.add_comment(runs, text=text, author="jixiao 校验", initials="JX")


def _results(doc: Any, ev: Evaluation, marked: int) -> None:
    """The 校验结果 heading, a summary line and the table of findings at the end of the document."""
    doc.add_page_break()
    doc.add_heading("校验结果", level=1)
    counts = {s: sum(1 for f in ev.findings if f.severity == s) for s in ("error", "warning", "info")}
    total = _num(ev.rule_total_score)
    doc.add_paragraph(f"{RESULTS_MARK}错误 {counts['error']} 项，警告 {counts['warning']} 项，提示 {counts['info']} 项；"
                      f"规则总分 {total}（{ev.rule_grade or '—'}），填报总分 {_num(ev.total_score)}。"
                      f"已在原文中标注 {marked} 处（单元格着色、“{NOTE}”批注）。")
    t = doc.add_table(rows=1, cols=5)
    t.style = "Table Grid"
    for cell, h in zip(t.rows[0].cells, ("序号", "严重程度", "规则", "位置", "说明"), strict=True):
        cell.text = h
    for k, f in enumerate(ev.findings, 1):
        row = t.add_row().cells
        for cell, v in zip(row, (str(k), SEVERITY_LABELS.get(f.severity, f.severity), f.rule, _where(f.cell),
                                 f.message), strict=True):
            cell.text = v
    _widths(t, (1.0, 1.5, 3.6, 2.4, 8.0))
    if ev.indicators or ev.budget.weight is not None:
        doc.add_heading("计分结果", level=2)
        s = doc.add_table(rows=1, cols=4)
        s.style = "Table Grid"
        for cell, h in zip(s.rows[0].cells, ("指标", "分值", "填报得分", "规则得分"), strict=True):
            cell.text = h
        b = ev.budget
        lines = ([("预算执行率", b.weight, b.score, b.rule_score)] if b.weight is not None else []) + \
            [(i.name or "", i.weight, i.score, i.rule_score) for i in ev.indicators] + \
            [("总分", None, ev.total_score, ev.rule_total_score)]
        for line in lines:
            row = s.add_row().cells
            for cell, v in zip(row, (line[0], *(_num(x) for x in line[1:])), strict=True):
                cell.text = v
        _widths(s, (9.0, 2.0, 2.5, 2.5))


def _widths(table: Any, cm: tuple[float, ...]) -> None:
    """Column widths in cm (Word takes the cells' widths; LibreOffice the grid's)."""
    from docx.shared import Cm

    table.autofit = False
    for row in table.rows:
        for cell, width in zip(row.cells, cm, strict=False):
            cell.width = Cm(width)
    for col, width in zip(table.columns, cm, strict=False):
        col.width = Cm(width)


def _where(ref: str | None) -> str:
    if not ref:
        return ""
    sheet, a1 = split_ref(ref)
    if sheet == NARRATIVE:
        return f"正文第{a1[1:]}段"
    return f"{sheet} {a1}"


def _num(v: Decimal | None) -> str:
    from .rules.common import fmt

    return "—" if v is None else fmt(v)
