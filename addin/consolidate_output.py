"""The 汇总表 workbook, streamed with openpyxl's write-only mode (memory bounded by rows in flight).

Sheets: 汇总表 (title from the 主管部门, headers, one row per project; below a blank row 合计 and
资金加权得分 — a statistic, not the 部门整体 自评得分 — and notes stating the 排名 rule), 问题清单,
无法读取, 统计 (counts by 等级, execution by 实施单位, and two bar charts). Every sheet has an
AutoFilter over its data rows only (so sorting never pulls the totals in), thin borders (a
conditional format over the table: no per-cell styles, the stream stays fast), A4 landscape print
with repeated headers and page numbers. File names link to the unit's workbook, and 问题清单's
单元格 to the cell in it (folders only; a .zip member cannot be linked).

Every text from a user's file is written as a string cell — never a formula — and text starting
with = + - @ also gets Excel's quote prefix (formula injection).
"""

from __future__ import annotations

import os
from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell
from openpyxl.chart import BarChart, Reference
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.hyperlink import Hyperlink

from workbook_templates.grid import FORMULA_START, clean_text, split_ref

from .rules import SEVERITY_LABELS

SUMMARY_SHEET = "汇总表"
FINDINGS_SHEET = "问题清单"
FAILED_SHEET = "无法读取"
STATS_SHEET = "统计"

SUMMARY_HEADERS = ["序号", "文件", "主管部门", "实施单位", "项目名称", "全年预算数", "全年执行数", "执行率",
                   "自评得分", "规则得分", "等级", "错误数", "警告数", "排名", "年度", "模板", "模板版本", "评分规则"]
SUMMARY_WIDTHS = [6, 34, 16, 22, 30, 14, 14, 10, 10, 10, 6, 8, 8, 6, 7, 16, 20, 30]
FINDINGS_HEADERS = ["文件", "项目名称", "单元格", "规则", "级别", "说明"]
FINDINGS_WIDTHS = [28, 28, 16, 22, 8, 70]
FAILED_HEADERS = ["文件", "原因"]
FAILED_WIDTHS = [40, 90]

MONEY = "#,##0.00"
RATE = "0.00%"
SCORE = "0.00"
CHART_UNITS = 30

RANK_NOTE = ("注：排名按自评得分（未填写自评得分的按规则得分）从高到低排列，得分相同者名次相同、"
             "其后名次顺延（与 Excel 的 RANK 函数相同）。")
WEIGHTED_LABEL = "资金加权得分（统计值）"
WEIGHTED_NOTE = ("注：资金加权得分 = Σ(项目得分×全年预算数)÷Σ全年预算数，是各项目自评得分的统计值，"
                 "不是部门整体支出绩效自评得分（部门整体得分按部门整体绩效评价指标体系另行评定）。")
PAGE_FOOTER = "第 &P 页，共 &N 页"
THIN = Side(style="thin", color="808080")
GRID = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
LINK = Font(color="0563C1", underline="single")

BOLD = Font(bold=True)
TITLE = Font(bold=True, size=14)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)


def template_label(rec: dict[str, Any]) -> str:
    """The unit's template id, or "（非模板）" for a workbook in a published layout."""
    t = rec.get("template")
    return t["id"] if t and t.get("id") else "（非模板）"


def version_label(rec: dict[str, Any]) -> str:
    """"1.0", "1.0（模板包 2026.1）" or, for a province's layout, "demo-province-project 2026.1";
    "已改动" appended when the checksum failed."""
    t = rec.get("template")
    if not t:
        return ""
    pack = t.get("pack") or {}
    text = (f"{t['layout']} " if t.get("layout") else "") + str(t.get("version") or "（未标注）")
    if pack.get("version"):
        text += f"（模板包 {pack['version']}）"
    return text + ("，已改动" if t.get("altered") else "")


def profile_label(rec: dict[str, Any]) -> str:
    """"demo-province 2026.1（内嵌）": the rules the unit was scored by, and from where."""
    p = rec.get("profile")
    if not p:
        return ""
    where = {"template": "内嵌", "option": "指定", "default": "默认"}.get(p.get("source") or "", "")
    version = f" {p['version']}" if p.get("version") else ""
    return f"{p.get('id')}{version}" + (f"（{where}）" if where else "")


def summary_title(departments: Counter[str], fallback: str) -> str:
    """"某县卫生健康局项目支出绩效自评汇总表" when the projects name one 主管部门; with several it
    says how many (the list is in the notes below the table); ``fallback`` (the folder) when none."""
    names = [d for d, _ in departments.most_common() if d]
    if len(names) == 1:
        return f"{names[0]}项目支出绩效自评汇总表"
    if names:
        return f"项目支出绩效自评汇总表（{len(names)}个主管部门）"
    return fallback


def departments_note(departments: Counter[str]) -> str | None:
    """The 主管部门 of a mixed 汇总表, each with its count of projects; None for one or none."""
    names = [(d, n) for d, n in departments.most_common() if d]
    if len(names) < 2:
        return None
    return (f"注意：本表的项目分属{len(names)}个主管部门（" + "、".join(f"{d} {n}个" for d, n in names)
            + "），部门整体报告应按主管部门分别汇总。")


class SummaryWriter:
    """Writes the consolidation workbook row by row; ``save(path)`` at the end.

    ``source``/``out``: the folder read and the 汇总表's path, for links to the units' files."""

    def __init__(self, title: str, source: str | os.PathLike | None = None,
                 out: str | os.PathLike | None = None) -> None:
        self.wb = Workbook(write_only=True)
        self.summary = self.wb.create_sheet(SUMMARY_SHEET)
        self.findings = self.wb.create_sheet(FINDINGS_SHEET)
        self.failed = self.wb.create_sheet(FAILED_SHEET)
        self.stats = self.wb.create_sheet(STATS_SHEET)
        self.fallback_title = title
        self.departments: Counter[str] = Counter()
        self.summary_rows = 0
        self.findings_rows = 0
        self.failed_rows = 0
        self._summary_started = False
        src = Path(source) if source is not None else None
        self.link_base = src.resolve() if src is not None and src.is_dir() else None
        self.out_dir = Path(out).resolve().parent if out is not None else None
        self._setup(self.summary, SUMMARY_WIDTHS, freeze="A3")
        self._setup(self.findings, FINDINGS_WIDTHS, freeze="A2")
        self._header(self.findings, FINDINGS_HEADERS)
        self._setup(self.failed, FAILED_WIDTHS, freeze="A2")
        self._header(self.failed, FAILED_HEADERS)

    def note_project(self, rec: dict[str, Any]) -> None:
        """Seen in file order before the 汇总表 rows are written: the 主管部门 for the title."""
        self.departments[(rec.get("department") or "").strip()] += 1

    def _start_summary(self) -> None:
        if self._summary_started:
            return
        self._summary_started = True
        title = summary_title(self.departments, self.fallback_title)
        self.summary.append([self._cell(self.summary, title, font=TITLE)])
        self._header(self.summary, SUMMARY_HEADERS)

    # -- links ---------------------------------------------------------------------------
    def _file_target(self, file: str) -> str | None:
        """The unit's file relative to the 汇总表 (Excel resolves it from the 汇总表's folder)."""
        if self.link_base is None or self.out_dir is None:
            return None
        path = self.link_base / file
        try:
            return Path(os.path.relpath(path, self.out_dir)).as_posix()
        except ValueError:          # another drive (Windows)
            return path.as_uri()

    def _linked(self, ws, text: Any, file: str, location: str | None = None) -> Any:
        target = self._file_target(file)
        if target is None or text in (None, ""):
            return self._cell(ws, text)
        cell = WriteOnlyCell(ws, value=clean_text(text))
        if isinstance(cell.value, str) and cell.value.startswith(FORMULA_START):
            cell.data_type = "s"
            cell.quotePrefix = True
        cell.hyperlink = Hyperlink(ref="", target=target, location=location, display=str(text)[:255])
        cell.font = LINK
        return cell

    @staticmethod
    def _location(ref: str | None) -> str | None:
        if not ref or "!" not in ref:
            return None
        sheet, a1 = split_ref(ref)
        return "'" + sheet.replace("'", "''") + "'!" + a1

    # -- cells ---------------------------------------------------------------------------
    def _cell(self, ws, value: Any, *, fmt: str | None = None, font: Font | None = None) -> Any:
        """A value to append: plain values as they are (fast path); text that could be taken
        for a formula as a string cell with Excel's quote prefix; styled cells when asked."""
        if isinstance(value, str):
            value = clean_text(value)
            if value.startswith(FORMULA_START):
                cell = WriteOnlyCell(ws, value=value)
                cell.data_type = "s"              # never a formula, whatever the text starts with
                cell.quotePrefix = True
            elif not (fmt or font):
                return value
            else:
                cell = WriteOnlyCell(ws, value=value)
        elif value is None or not (fmt or font):
            return value
        else:
            cell = WriteOnlyCell(ws, value=value)
        if fmt:
            cell.number_format = fmt
        if font:
            cell.font = font
        return cell

    def _setup(self, ws, widths: list[int], freeze: str) -> None:
        """Column widths, frozen headers, and print setup: A4 landscape, fit to width, header rows
        repeated on every page."""
        from openpyxl.utils import get_column_letter

        for i, w in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(i)].width = w
        ws.freeze_panes = freeze
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = "9"            # A4
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.print_title_rows = f"1:{int(freeze[1:]) - 1}"
        ws.oddFooter.center.text = PAGE_FOOTER
        ws.page_margins.left = ws.page_margins.right = 0.5

    @staticmethod
    def _table(ws, header_row: int, last_row: int, ncols: int, *, filter_: bool = True) -> None:
        """Borders over a table (a conditional format: no per-cell style) and its AutoFilter."""
        if last_row < header_row:
            return
        end = get_column_letter(ncols)
        ws.conditional_formatting.add(f"A{header_row}:{end}{last_row}", FormulaRule(formula=["TRUE"], border=GRID))
        if filter_:
            ws.auto_filter.ref = f"A{header_row}:{end}{last_row}"

    def _header(self, ws, headers: list[str]) -> None:
        cells = []
        for h in headers:
            c = self._cell(ws, h, font=BOLD)
            c.fill = HEADER_FILL
            c.alignment = CENTER
            cells.append(c)
        ws.append(cells)

    # -- rows ----------------------------------------------------------------------------
    def project_row(self, seq: int, rec: dict[str, Any], rank: int | None) -> None:
        self._start_summary()
        ws = self.summary
        values: list[tuple[Any, str | None]] = [
            (seq, None), (self._linked(ws, rec["file"], rec["file"]), None), (rec.get("department"), None),
            (rec.get("unit"), None),
            (rec.get("name"), None), (rec.get("budget"), MONEY), (rec.get("executed"), MONEY),
            (rec.get("rate"), RATE), (rec.get("score"), SCORE), (rec.get("rule_score"), SCORE),
            (rec.get("grade"), None), (rec.get("errors", 0), None), (rec.get("warnings", 0), None), (rank, None),
            (rec.get("year"), None), (template_label(rec), None), (version_label(rec), None),
            (profile_label(rec), None),
        ]
        ws.append([v if isinstance(v, Cell) else self._cell(ws, v, fmt=f) for v, f in values])
        self.summary_rows += 1

    def total_rows(self, totals: dict[str, Any]) -> None:
        """Below a blank row (outside the AutoFilter, so sorting leaves them put): 合计, the
        资金加权得分 statistic, and the notes (排名 rule, what the weighted score is, mixed 主管部门)."""
        self._start_summary()
        ws = self.summary
        ncols = len(SUMMARY_HEADERS)
        last_data = 2 + self.summary_rows
        self._table(ws, 2, last_data, ncols)
        ws.append([])
        total = [("合计", None), (f"{totals['projects']} 个项目", None), (None, None), (None, None), (None, None),
                 (totals["budget"], MONEY), (totals["executed"], MONEY), (totals["rate"], RATE),
                 (None, None), (None, None), (None, None), (totals["errors"], None), (totals["warnings"], None)]
        ws.append([self._cell(ws, v, fmt=f, font=BOLD) for v, f in total])
        weighted = [(f"{WEIGHTED_LABEL}＝Σ(得分×全年预算数)÷Σ全年预算数", None)] + [(None, None)] * 7 + [
            (totals["weighted_score"], SCORE), (totals["rule_weighted_score"], SCORE)]
        ws.append([self._cell(ws, v, fmt=f, font=BOLD) for v, f in weighted])
        ws.merged_cells.add(f"A{last_data + 3}:H{last_data + 3}")      # the label reads in full
        ws.conditional_formatting.add(f"A{last_data + 2}:{get_column_letter(ncols)}{last_data + 3}",
                                      FormulaRule(formula=["TRUE"], border=GRID))
        ws.append([])
        notes = [RANK_NOTE, WEIGHTED_NOTE, departments_note(self.departments)]
        for note in notes:
            if note:
                ws.append([self._cell(ws, note)])
        ws.print_area = f"A1:{get_column_letter(ncols)}{last_data + 4 + sum(1 for n in notes if n)}"

    def finding_row(self, file: str, project: str | None, cell: str | None, rule: str | None,
                    severity: str | None, message: str | None) -> None:
        ws = self.findings
        sev = SEVERITY_LABELS.get(severity or "", severity)
        ws.append([self._cell(ws, file), self._cell(ws, project),        # one link a row: memory stays flat
                   self._linked(ws, cell, file, self._location(cell)) if cell else None,
                   self._cell(ws, rule), self._cell(ws, sev), self._cell(ws, message)])
        self.findings_rows += 1

    def failed_row(self, file: str, reason: str) -> None:
        ws = self.failed
        ws.append([self._linked(ws, file, file), self._cell(ws, reason)])
        self.failed_rows += 1

    # -- statistics and charts -----------------------------------------------------------
    def statistics(self, grades: list[tuple[str, int, int]], units: list[tuple[str, int, Decimal, Decimal, Any]]) -> None:
        """统计: projects by 等级 (stated / by rule) and execution by 实施单位, with a bar chart each."""
        ws = self.stats
        self._setup(ws, [22, 18, 18, 14, 10], freeze="A2")
        self._header(ws, ["等级", "项目数（自评等级）", "项目数（规则等级）"])
        for g, n_stated, n_rule in grades:
            ws.append([self._cell(ws, g), n_stated, n_rule])
        grade_end = 1 + len(grades)
        ws.append([])
        unit_header = grade_end + 2
        self._header(ws, ["实施单位", "项目数", "全年预算数", "全年执行数", "执行率"])
        for name, n, budget, executed, rate in units:
            ws.append([self._cell(ws, name), n, self._cell(ws, budget, fmt=MONEY),
                       self._cell(ws, executed, fmt=MONEY), self._cell(ws, rate, fmt=RATE)])
        self._table(ws, 1, grade_end, 3, filter_=False)
        self._table(ws, unit_header, unit_header + len(units), 5)

        chart = BarChart()
        chart.title = "得分分布（按等级）"
        chart.y_axis.title = "项目数"
        chart.add_data(Reference(ws, min_col=2, max_col=3, min_row=1, max_row=grade_end), titles_from_data=True)
        chart.set_categories(Reference(ws, min_col=1, min_row=2, max_row=grade_end))
        chart.width, chart.height = 16, 8
        chart.x_axis.delete = chart.y_axis.delete = False    # openpyxl 3.1 hides axes in Excel 365 otherwise
        ws.add_chart(chart, "G2")

        shown = min(len(units), CHART_UNITS)
        if shown:
            bars = BarChart()
            bars.type = "bar"
            bars.title = "各单位预算执行率" + ("" if shown == len(units) else f"（预算最大的 {shown} 个单位）")
            bars.add_data(Reference(ws, min_col=5, min_row=unit_header, max_row=unit_header + shown),
                          titles_from_data=True)
            bars.set_categories(Reference(ws, min_col=1, min_row=unit_header + 1, max_row=unit_header + shown))
            bars.y_axis.numFmt = RATE
            bars.legend = None
            bars.x_axis.delete = bars.y_axis.delete = False
            bars.y_axis.scaling.min = 0
            bars.width, bars.height = 16, max(8, 0.6 * shown)
            ws.add_chart(bars, "G20")

    def save(self, path) -> None:
        self._start_summary()
        self._table(self.findings, 1, 1 + self.findings_rows, len(FINDINGS_HEADERS))
        self._table(self.failed, 1, 1 + self.failed_rows, len(FAILED_HEADERS))
        from workbook_templates.version import stamp_workbook

        stamp_workbook(self.wb, new=True)     # creator / last modified by: jixiao <version>
        self.wb.save(path)
        self._saved = True

    def discard(self) -> None:
        """After a failure: close the sheets' streams quietly (no half-written file is left)."""
        if getattr(self, "_saved", False):
            return
        for ws in self.wb.worksheets:
            try:
                ws.close()
            except Exception:  # noqa: BLE001 — best effort on an abandoned workbook
                pass
        self._saved = True
