"""Results written back into a copy of the user's workbook (openpyxl; macros kept, never run).

- ``annotated_copy``: each finding's cell filled by severity colour with a comment, plus a
  ``校验结果`` sheet listing the findings with hyperlinks to their cells.
- ``scored_copy``: 得分 / 完成率 / 执行率 / 总分 / 等级 filled where the sheet leaves them empty,
  a ``规则得分`` column beside the stated scores, and a ``计分结果`` sheet.

``mark_workbook`` / ``fill_scores`` work on an open openpyxl Workbook (the Excel button layer can
reuse the logic); the ``*_copy`` functions write atomically and never over the input.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import MergedCell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter, range_boundaries
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.worksheet import Worksheet

from workbook_templates.diagnose import explain_load_error
from workbook_templates.errors import WriteError
from workbook_templates.fileio import atomic_path
from workbook_templates.grid import clean_text, keep_text, parse_a1, plain_value, split_ref
from workbook_templates.loaders import check_full_load
from workbook_templates.model import Evaluation, Finding

from .report.figures import CellNames
from .rules import CATALOGUE, SEVERITY_LABELS

FILL_COLOURS = {"error": "FFC7CE", "warning": "FFEB9C", "info": "DDEBF7"}
WRITTEN_FILL = "E2EFDA"           # cells the tool filled in a scored copy
DIFFERS_FILL = FILL_COLOURS["warning"]   # 计分结果 rows where the stated and the rule score differ
HEADER_FILL = "D9E1F2"
THIN = Side(style="thin", color="808080")
GRID = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
LEGEND = [("error", "错误：必须改正（数字不符、单位不一致、必填项为空等）"),
          ("warning", "警告：请核实（得分与规则不一致、偏离未说明原因等）"),
          ("info", "提示：供参考（舍入差异、隐藏行未读取等）")]
FINDINGS_SHEET = "校验结果"
SCORES_SHEET = "计分结果"
AUTHOR = "jixiao 校验"
OPENPYXL_SUFFIXES = (".xlsx", ".xlsm", ".xltx", ".xltm")


def append_values(ws: Worksheet, values: list[Any]) -> None:
    """``ws.append`` where text that could be taken for a formula (= + - @ first) stays text: a
    string cell with Excel's quote prefix. Names and messages come from the user's file, and
    openpyxl would store "=…" as a formula (formula injection)."""
    ws.append([clean_text(v) if isinstance(v, str) else v for v in values])
    for cell in ws[ws.max_row]:
        keep_text(cell)




def quoted(sheet: str) -> str:
    return "'" + sheet.replace("'", "''") + "'"


def _inside(rng: Any, row: int, col: int) -> bool:
    return rng.min_row <= row <= rng.max_row and rng.min_col <= col <= rng.max_col


def resolve_cell(wb: Workbook, ref: str | None) -> Any | None:
    """The openpyxl cell for 'Sheet!A1' — the top-left cell when it lies in a merged range."""
    if not ref:
        return None
    sheet, a1 = split_ref(ref)
    if sheet not in wb.sheetnames:
        return None
    ws = wb[sheet]
    try:
        r, c = parse_a1(a1)
    except (ValueError, IndexError):
        return None
    if r < 0 or c < 0:
        return None
    cell = ws.cell(row=r + 1, column=c + 1)
    if isinstance(cell, MergedCell):
        for rng in ws.merged_cells.ranges:
            if _inside(rng, r + 1, c + 1):
                return ws.cell(row=rng.min_row, column=rng.min_col)
    return cell


def _fresh_sheet(wb: Workbook, title: str) -> Worksheet:
    if title in wb.sheetnames:
        del wb[title]
    return wb.create_sheet(title)


def _link(cell: Any, ref: str) -> None:
    sheet, a1 = split_ref(ref)
    cell.hyperlink = Hyperlink(ref=cell.coordinate, location=f"{quoted(sheet)}!{a1}", display=ref)
    cell.font = Font(color="0563C1", underline="single")




def grid_table(ws: Worksheet, first_row: int, last_row: int, ncols: int, header_row: int | None = None) -> None:
    """Thin borders on a table's cells, its header row bold on a light fill, repeated when printed."""
    for r in range(first_row, last_row + 1):
        for c in range(1, ncols + 1):
            ws.cell(row=r, column=c).border = GRID
    if header_row is not None:
        for c in range(1, ncols + 1):
            cell = ws.cell(row=header_row, column=c)
            cell.font = Font(bold=True)
            cell.fill = PatternFill("solid", fgColor=HEADER_FILL)
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.print_title_rows = f"{header_row}:{header_row}"


def mark_workbook(wb: Workbook, findings: Iterable[Finding], ev: Evaluation | None = None) -> int:
    """Colour + comment every finding's cell; add the 校验结果 sheet. Returns cells marked."""
    findings = list(findings)
    marked: dict[str, str] = {}
    notes: dict[Any, list[str]] = {}
    order = {"error": 0, "warning": 1, "info": 2}
    for f in findings:
        cell = resolve_cell(wb, f.cell)
        if cell is None:
            continue
        key = f"{cell.parent.title}!{cell.coordinate}"
        if key not in marked or order.get(f.severity, 3) < order.get(marked[key], 3):
            marked[key] = f.severity
            cell.fill = PatternFill("solid", fgColor=FILL_COLOURS.get(f.severity, "FFFFFF"))
        notes.setdefault(cell, []).append(f"【{SEVERITY_LABELS.get(f.severity, f.severity)}】{f.message}")
    for cell, lines in notes.items():
        text = "\n".join(lines)
        if cell.comment is not None and cell.comment.text and cell.comment.author != AUTHOR:  # keep the user's note
            text = cell.comment.text.rstrip() + "\n" + text
        comment = Comment(clean_text(text), AUTHOR)       # under Excel's 32,767 characters
        comment.width, comment.height = 320, 60 + 40 * len(lines)
        cell.comment = comment
    _findings_sheet(wb, findings, ev)
    return len(marked)


def _findings_sheet(wb: Workbook, findings: list[Finding], ev: Evaluation | None) -> None:
    ws = _fresh_sheet(wb, FINDINGS_SHEET)
    counts = {s: sum(1 for f in findings if f.severity == s) for s in FILL_COLOURS}
    summary = (f"共{len(findings)}项：错误{counts['error']}、警告{counts['warning']}、提示{counts['info']}"
               if findings else "未发现问题")
    ws.append([f"校验结果 — {ev.project.name if ev and ev.project.name else ''}".rstrip(" —")])
    ws["A1"].font = Font(bold=True, size=14)
    if ev is not None and ev.rule_total_score is not None:
        summary += f"；规则总分 {ev.rule_total_score}，等级 {ev.rule_grade}"
    if ev is not None and ev.extra.get("profile_used"):
        from .validate import describe_profile

        summary += f"；{describe_profile(ev.extra['profile_used'])}"
    ws.append([summary])
    ws.append(FINDINGS_HEADER)
    names = CellNames.of(ev) if ev is not None else CellNames()
    for i, f in enumerate(findings, 1):
        append_values(ws, finding_values(i, f, names))
        row = ws.max_row
        ws.cell(row=row, column=2).fill = PatternFill("solid", fgColor=FILL_COLOURS.get(f.severity, "FFFFFF"))
        for c in (3, 4, 6):
            ws.cell(row=row, column=c).alignment = Alignment(wrap_text=True, vertical="top")
        ws.row_dimensions[row].height = 15 * max(1, -(-len(f.message) // 30))   # ≈30 CJK characters a line
        if f.cell and resolve_cell(wb, f.cell) is not None:
            _link(ws.cell(row=row, column=5), f.cell)
    grid_table(ws, 3, ws.max_row, len(FINDINGS_HEADER), header_row=3)
    _legend(ws)
    for col, width in zip("ABCDEFGH", (6, 9, 20, 26, 22, 56, 10, 20), strict=True):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = "A4"
    _recognition_block(ws, ev)
    _print_landscape(ws)


def _recognition_block(ws: Worksheet, ev: Evaluation | None) -> None:
    """Issue #12: under the findings, how the sheet was read (识别记录, ``addin.explain``)."""
    if ev is None:
        return
    from addin.explain import explain_lines

    ws.append([])
    for i, line in enumerate(explain_lines(ev)):
        append_values(ws, [line])
        if i == 0:
            ws.cell(row=ws.max_row, column=1).font = Font(bold=True)


FINDINGS_HEADER = ["序号", "严重程度", "问题", "位置", "单元格", "说明", "应为", "规则编号"]


def finding_values(i: int, f: Finding, names: CellNames) -> list[Any]:
    """One 校验结果 row (FINDINGS_HEADER): the rule's Chinese name, where it is in words, the cell,
    the message, what the rule expects, the rule id last — for a file copy and the live workbook."""
    return [i, SEVERITY_LABELS.get(f.severity, f.severity), CATALOGUE.get(f.rule, {}).get("title", f.rule),
            names.readable(f.cell), f.cell or "", f.message, plain_value(f.expected), f.rule]


def legend_rows() -> list[tuple[list[Any], str]]:
    """颜色说明 below the list: (row values, fill colour of its second cell)."""
    rows: list[tuple[list[Any], str]] = [(["", "颜色说明"], "")]
    rows += [(["", SEVERITY_LABELS[sev], text], FILL_COLOURS[sev]) for sev, text in LEGEND]
    rows.append((["", "绿色", "由本工具填入的空白单元格（计算得分 / jixiao score -o）"], WRITTEN_FILL))
    return rows


def _legend(ws: Worksheet) -> None:
    ws.append([])
    for values, colour in legend_rows():
        ws.append(values)
        cell = ws.cell(row=ws.max_row, column=2)
        if colour:
            cell.fill = PatternFill("solid", fgColor=colour)
        else:
            cell.font = Font(bold=True)


def _print_landscape(ws: Worksheet) -> None:
    """One page wide, landscape, header rows repeated: the sheet prints as a list."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0


def workbook_from_grids(src: Path) -> Workbook:
    """A .xls/.ods has no openpyxl writer: an .xlsx copy of its values and merged cells (no styles)."""
    from workbook_templates.loaders import load_book

    book = load_book(src)
    wb = Workbook()
    wb.remove(wb.active)
    for g in book.grids:
        ws = wb.create_sheet(g.name[:31])
        for row in g.rows:
            append_values(ws, [plain_value(v) for v in row])
        for r1, c1, r2, c2 in g.merged:
            ws.merge_cells(start_row=r1 + 1, start_column=c1 + 1, end_row=r2 + 1, end_column=c2 + 1)
    return wb


def _load(src: Path, out: Path) -> Workbook:
    if src.suffix.lower() not in OPENPYXL_SUFFIXES:
        if out.suffix.lower() != ".xlsx":
            raise WriteError(f"文件“{src.name}”是 {src.suffix} 格式，副本只能写成 .xlsx（仅含数值，不含原格式）；"
                             f"请用 -o 指定 .xlsx 文件名。")
        return workbook_from_grids(src)
    if out.suffix.lower() not in (".xlsx", ".xlsm"):
        raise WriteError(f"输出文件“{out.name}”的扩展名应为 .xlsx（或 .xlsm）。")
    keep_vba = src.suffix.lower() in (".xlsm", ".xltm") and out.suffix.lower() in (".xlsm", ".xltm")
    check_full_load(src, "生成带标记的副本")     # a million rows or XFD1048576: refused, with the reason
    try:
        return load_workbook(src, keep_vba=keep_vba)   # macros are kept as bytes, never executed
    except Exception as exc:  # openpyxl raises many types on odd files: say what the package shows
        raise explain_load_error(exc, src) from None


def _save(wb: Workbook, src: Path, out: Path, in_place: bool = False) -> Path:
    from workbook_templates.version import stamp_workbook

    stamp_workbook(wb)              # last modified by jixiao <version>; the user's author stays
    with atomic_path(out, source=src, in_place=in_place) as tmp:
        try:
            wb.save(tmp)
        except OSError as exc:
            raise WriteError(f"无法写入“{out}”：{exc}") from None
    return out


def annotated_copy(src_path: str | os.PathLike, ev: Evaluation, out_path: str | os.PathLike,
                   in_place: bool = False) -> Path:
    """A copy of the workbook with every finding marked and a 校验结果 sheet (atomic; over the
    input only with ``in_place``, .bak kept). A Word/PDF report: ``docx_annotate.annotated_docx``."""
    if ev.extra.get("document"):
        from .docx_annotate import annotated_docx

        return annotated_docx(src_path, ev, out_path, in_place=in_place)
    src, out = Path(src_path), Path(out_path)
    wb = _load(src, out)
    mark_workbook(wb, ev.findings, ev)
    return _save(wb, src, out, in_place=in_place)


def _is_empty(cell: Any) -> bool:
    return cell is not None and not isinstance(cell, MergedCell) and (
        cell.value is None or (isinstance(cell.value, str) and not cell.value.strip()))


def _fill_if_empty(wb: Workbook, ref: str | None, value: Any, number_format: str | None = None) -> bool:
    if value is None:
        return False
    cell = resolve_cell(wb, ref)
    if not _is_empty(cell):
        return False
    cell.value = plain_value(value)
    if number_format:
        cell.number_format = number_format
    cell.fill = PatternFill("solid", fgColor=WRITTEN_FILL)
    return True


def _rule_column(wb: Workbook, ev: Evaluation) -> None:
    """A 规则得分 column right of the table, on the rows of the stated scores."""
    lines: list[tuple[str, Any]] = []
    b = ev.budget
    if b.cells.get("score") and b.rule_score is not None:
        lines.append((b.cells["score"], b.rule_score))
    for ind in ev.indicators:
        ref = ind.cells.get("score") or ind.cell
        if ref and ind.rule_score is not None:
            lines.append((ref, ind.rule_score))
    if total_cell(ev) and ev.rule_total_score is not None:
        lines.append((total_cell(ev), ev.rule_total_score))
    by_sheet: dict[str, list[tuple[int, Any]]] = {}
    for ref, v in lines:
        cell = resolve_cell(wb, ref)
        if cell is not None:
            by_sheet.setdefault(cell.parent.title, []).append((cell.row, v))
    for sheet, rows in by_sheet.items():
        ws = wb[sheet]
        cols = [_right_edge(ws, c) for c in (resolve_cell(wb, r) for r in _table_refs(ev) if split_ref(r)[0] == sheet)
                if c is not None]
        col = max(cols, default=ws.max_column) + 1
        first = min(r for r, _ in rows)
        head = ws.cell(row=max(1, first - 1), column=col)
        if _is_empty(head):
            head.value = "规则得分"
            head.font = Font(bold=True)
            head.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            head.border = GRID
        for r, v in rows:
            cell = ws.cell(row=r, column=col)
            if _is_empty(cell):
                cell.value = plain_value(v)
                cell.number_format = "0.00"
                cell.fill = PatternFill("solid", fgColor=WRITTEN_FILL)
                cell.border = GRID
        ws.column_dimensions[get_column_letter(col)].width = 10
        _widen_print_area(ws, col, head.row, max(r for r, _ in rows))


def _widen_print_area(ws: Worksheet, col: int, first_row: int, last_row: int) -> None:
    """The print area (the sheet's own, else its used range) extended to take in column ``col``."""
    area = ws.print_area
    if area:
        ref = str(area).split(",")[0].split("!")[-1].replace("$", "")
        min_col, min_row, max_col, max_row = range_boundaries(ref)
    else:
        min_col, min_row, max_col, max_row = 1, 1, ws.max_column, ws.max_row
    ws.print_area = (f"{get_column_letter(min_col)}{min(min_row, first_row)}:"
                     f"{get_column_letter(max(max_col, col))}{max(max_row, last_row)}")
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0


def _right_edge(ws: Worksheet, cell: Any) -> int:
    """The last column a cell covers (its merged range's, if any)."""
    for rng in ws.merged_cells.ranges:
        if _inside(rng, cell.row, cell.column):
            return rng.max_col
    return cell.column


def _table_refs(ev: Evaluation) -> list[str]:
    refs = [r for ind in ev.indicators for r in ind.cells.values()]
    refs += [ev.budget.cells[k] for k in ("weight", "score", "rate", "reason") if ev.budget.cells.get(k)]
    return [r for r in refs if r]


def total_cell(ev: Evaluation) -> str | None:
    """The 总分 cell: as read, else the 得分 column on the row of the stated total of weights."""
    if ev.cells.get("total_score"):
        return ev.cells["total_score"]
    wt = ev.cells.get("weights_total")
    score_refs = [i.cells["score"] for i in ev.indicators if i.cells.get("score")]
    if not wt or not score_refs:
        return None
    sheet, a1 = split_ref(wt)
    s_sheet, s_a1 = split_ref(score_refs[0])
    if sheet != s_sheet:
        return None
    col = "".join(ch for ch in s_a1 if ch.isalpha())
    row = "".join(ch for ch in a1 if ch.isdigit())
    return f"{quoted(sheet)}!{col}{row}"


def fill_scores(wb: Workbook, ev: Evaluation) -> int:
    """Fill empty 得分/完成率/执行率/总分/等级 cells with the rule values; add 规则得分 and 计分结果."""
    n = 0
    b = ev.budget
    n += _fill_if_empty(wb, b.cells.get("score"), b.rule_score, "0.00")
    n += _fill_if_empty(wb, b.cells.get("rate"), b.rule_rate, "0.00%")
    for ind in ev.indicators:
        n += _fill_if_empty(wb, ind.cells.get("score"), ind.rule_score, "0.00")
        n += _fill_if_empty(wb, ind.cells.get("completion"), ind.completion, "0.00%")
    n += _fill_if_empty(wb, total_cell(ev), ev.rule_total_score, "0.00")
    n += _fill_if_empty(wb, ev.cells.get("grade"), ev.rule_grade)
    _rule_column(wb, ev)
    _scores_sheet(wb, ev)
    return n


SCORE_HEADER = ["一级指标", "二级指标", "指标", "分值", "填报得分", "规则得分", "方向", "完成率", "偏离度", "单元格",
                "说明"]


def difference(stated: Any, rule: Any, unscorable: str | None = None, what: str = "得分") -> str:
    """One line for a 计分结果 row whose stated and rule figure differ; "" when they agree."""
    if stated is None and rule is None:
        return f"未填写{what}，规则也无法计分：{unscorable}" if unscorable else ""
    if rule is None:
        return f"规则无法计分（{unscorable}），保留填报{what}" if unscorable else ""
    if stated is None:
        return f"未填写{what}（空白或公式未计算），按规则为{plain_value(rule):.2f}"
    d = Decimal(str(rule)) - Decimal(str(stated))
    if abs(d) < Decimal("0.005"):
        return ""
    return (f"填报{plain_value(stated):.2f}，按规则{plain_value(rule):.2f}，"
            f"{'少' if d > 0 else '多'}{abs(d):.2f}")


def score_table(ev: Evaluation) -> list[list[Any]]:
    """The rows of the 计分结果 sheet (header first): stated vs rule score of the budget part and of
    every indicator, then 总分 and 等级 — the same for a file (`jixiao score -o`) and the live workbook."""
    rows: list[list[Any]] = [list(SCORE_HEADER)]
    b = ev.budget
    if b.weight is not None or b.rule_score is not None:
        rows.append(["预算执行率", "", "执行数÷预算数", plain_value(b.weight), plain_value(b.score),
                     plain_value(b.rule_score), "", plain_value(b.rule_rate), "",
                     b.cells.get("score") or b.cells.get("rate") or "", difference(b.score, b.rule_score)])
    for ind in ev.indicators:
        rows.append([ind.level1, ind.level2, ind.name, plain_value(ind.weight), plain_value(ind.score),
                     plain_value(ind.rule_score), ind.direction, plain_value(ind.completion),
                     plain_value(ind.deviation), ind.cells.get("score") or ind.cell or "",
                     difference(ind.score, ind.rule_score, ind.rule_error)])
    rows.append(["总分", "", "", "", plain_value(ev.total_score), plain_value(ev.rule_total_score), "", "", "",
                 ev.cells.get("total_score") or "", difference(ev.total_score, ev.rule_total_score, what="总分")])
    grade_note = (f"填报“{ev.grade}”，按规则总分为“{ev.rule_grade}”" if ev.grade and ev.rule_grade
                  and ev.rule_grade not in str(ev.grade) else "")
    rows.append(["等级", "", "", "", ev.grade, ev.rule_grade, "", "", "", ev.cells.get("grade") or "", grade_note])
    if ev.extra.get("profile_used"):
        from .validate import describe_profile

        rows.append([describe_profile(ev.extra["profile_used"])])
    return rows


def _scores_sheet(wb: Workbook, ev: Evaluation) -> None:
    ws = _fresh_sheet(wb, SCORES_SHEET)
    ws.append([f"计分结果 — {ev.project.name or ''}".rstrip(" —")])
    ws["A1"].font = Font(bold=True, size=14)
    table = score_table(ev)
    for row in table:
        append_values(ws, row)
    last = ws.max_row - (1 if len(table[-1]) == 1 else 0)      # a one-cell note (profile used) below the table
    grid_table(ws, 2, last, len(SCORE_HEADER), header_row=2)
    for row in ws.iter_rows(min_row=3, max_row=last):
        for c in row[3:6]:
            c.number_format = "0.00"
        for c in row[7:9]:
            c.number_format = "0.00%"
        ref = row[9].value
        if ref and resolve_cell(wb, ref) is not None:
            _link(row[9], ref)
        row[10].alignment = Alignment(wrap_text=True, vertical="top")
        row[2].alignment = Alignment(wrap_text=True, vertical="top")
        if row[10].value:
            for c in row[:9]:
                c.fill = PatternFill("solid", fgColor=DIFFERS_FILL)
    for col, width in zip("ABCDEFGHIJK", (12, 14, 30, 7, 9, 9, 7, 10, 10, 22, 34), strict=True):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = "A3"
    _print_landscape(ws)


def scored_copy(src_path: str | os.PathLike, ev: Evaluation, out_path: str | os.PathLike,
                in_place: bool = False) -> Path:
    """A copy with the rule results filled in (atomic; over the input only with ``in_place``, .bak kept).
    A Word/PDF report gets the annotated copy, whose 计分结果 table holds the rule scores."""
    if ev.extra.get("document"):
        from .docx_annotate import annotated_docx

        return annotated_docx(src_path, ev, out_path, in_place=in_place)
    src, out = Path(src_path), Path(out_path)
    wb = _load(src, out)
    fill_scores(wb, ev)
    return _save(wb, src, out, in_place=in_place)
