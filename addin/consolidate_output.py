"""The 汇总表 workbook, streamed with openpyxl's write-only mode (memory bounded by rows in flight).

Sheets: 汇总表 (title, headers, one row per project, 合计, 资金加权得分), 问题清单, 无法读取,
统计 (counts by 等级, execution by 实施单位, and two bar charts). Every text from a user's file is
written as a string cell — never a formula — and text starting with = + - @ also gets Excel's
quote prefix (formula injection).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment, Font, PatternFill

from workbook_templates.grid import FORMULA_START, clean_text

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

BOLD = Font(bold=True)
TITLE = Font(bold=True, size=14)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)


def template_label(rec: dict[str, Any]) -> str:
    """The unit's template id, or "（非模板）" for a workbook in a published layout."""
    t = rec.get("template")
    return t["id"] if t and t.get("id") else "（非模板）"


def version_label(rec: dict[str, Any]) -> str:
    """"1.0" or "1.0（模板包 2026.1）"; "已改动" appended when the checksum failed."""
    t = rec.get("template")
    if not t:
        return ""
    pack = t.get("pack") or {}
    text = str(t.get("version") or "（未标注）")
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


class SummaryWriter:
    """Writes the consolidation workbook row by row; ``save(path)`` at the end."""

    def __init__(self, title: str) -> None:
        self.wb = Workbook(write_only=True)
        self.summary = self.wb.create_sheet(SUMMARY_SHEET)
        self.findings = self.wb.create_sheet(FINDINGS_SHEET)
        self.failed = self.wb.create_sheet(FAILED_SHEET)
        self.stats = self.wb.create_sheet(STATS_SHEET)
        self.summary_rows = 0
        self._setup(self.summary, SUMMARY_WIDTHS, freeze="A3")
        self.summary.append([self._cell(self.summary, title, font=TITLE)])
        self._header(self.summary, SUMMARY_HEADERS)
        self._setup(self.findings, FINDINGS_WIDTHS, freeze="A2")
        self._header(self.findings, FINDINGS_HEADERS)
        self._setup(self.failed, FAILED_WIDTHS, freeze="A2")
        self._header(self.failed, FAILED_HEADERS)

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
        ws = self.summary
        values: list[tuple[Any, str | None]] = [
            (seq, None), (rec["file"], None), (rec.get("department"), None), (rec.get("unit"), None),
            (rec.get("name"), None), (rec.get("budget"), MONEY), (rec.get("executed"), MONEY),
            (rec.get("rate"), RATE), (rec.get("score"), SCORE), (rec.get("rule_score"), SCORE),
            (rec.get("grade"), None), (rec.get("errors", 0), None), (rec.get("warnings", 0), None), (rank, None),
            (rec.get("year"), None), (template_label(rec), None), (version_label(rec), None),
            (profile_label(rec), None),
        ]
        ws.append([self._cell(ws, v, fmt=f) for v, f in values])
        self.summary_rows += 1

    def total_rows(self, totals: dict[str, Any]) -> None:
        ws = self.summary
        total = [("合计", None), (f"{totals['projects']} 个项目", None), (None, None), (None, None), (None, None),
                 (totals["budget"], MONEY), (totals["executed"], MONEY), (totals["rate"], RATE),
                 (None, None), (None, None), (None, None), (totals["errors"], None), (totals["warnings"], None)]
        ws.append([self._cell(ws, v, fmt=f, font=BOLD) for v, f in total])
        weighted = [("资金加权得分", None), ("Σ(得分×全年预算数)÷Σ全年预算数", None)] + [(None, None)] * 6 + [
            (totals["weighted_score"], SCORE), (totals["rule_weighted_score"], SCORE)]
        ws.append([self._cell(ws, v, fmt=f, font=BOLD) for v, f in weighted])

    def finding_row(self, file: str, project: str | None, cell: str | None, rule: str | None,
                    severity: str | None, message: str | None) -> None:
        ws = self.findings
        sev = SEVERITY_LABELS.get(severity or "", severity)
        ws.append([self._cell(ws, v) for v in (file, project, cell, rule, sev, message)])

    def failed_row(self, file: str, reason: str) -> None:
        ws = self.failed
        ws.append([self._cell(ws, file), self._cell(ws, reason)])

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
