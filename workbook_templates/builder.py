"""One builder for every template: a declarative spec (``specs/<id>.json``) → an .xlsx (openpyxl).

DESIGN.md idea 3 (layouts are data) and 6 (native formulas as the fallback). A spec lists cells
(value or formula, style, defined name, data key, validation), repeated tables (one row template
repeated ``rows`` times), column widths, print setup. The builder adds what every template shares:
input cells unlocked and tinted, formula cells locked, sheet protection *without a password*,
A4 fit-to-width printing with repeated header rows, workbook-scope defined names, and a hidden
``_meta`` sheet (template id and version, the embedded profile and checksum — see
``workbook_templates.meta``) that also carries the rule tables of the profile (qualitative
bands, grade thresholds) the formulas look up.
"""

from __future__ import annotations

import math
import os
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import range_boundaries
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.pagebreak import Break

from udfs import InputError, load_profile
from udfs.profile import Profile

from .fileio import atomic_path
from .meta import META_SHEET, meta_rows, profile_problems, protected_cells, rule_table_rows
from .meta import rule_switches as rule_switches  # re-exported: callers import it from here
from .specs import load_spec, spec_files, styles
from .specs import resolve_id as resolve_id  # re-exported: callers import them from here
from .specs import template_ids as template_ids
from .version import stamp_workbook

_THIN = Side(style="thin", color="000000")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_PLACEHOLDER = re.compile(r"\{([A-Za-z_][\w.]*)\}")


# ---------------------------------------------------------------- specs (workbook_templates.specs)

_spec_files, _styles = spec_files, styles


# ---------------------------------------------------------------- layout model


@dataclass
class Field:
    """A spec cell or table column once placed: where it is and what it holds."""

    name: str | None        # defined name
    key: str | None         # data key (fill / read)
    ref: str                # top-left cell 'B2' (or first table cell)
    range: str              # 'B2' or 'L12:L41' (what the defined name refers to)
    style: str
    is_input: bool
    table: str | None = None


def table_rows(table: dict[str, Any]) -> range:
    return range(table["first_row"], table["first_row"] + table["rows"])


def _bands_text(profile: Profile) -> str:
    """"达成80%–100%、部分达成60%–80%、未达成0%–60%" from the profile's qualitative bands."""
    return "、".join(f"{b.band}{b.text}" for b in sorted(profile.bands, key=lambda b: -b.high))


def _band_defaults_text(profile: Profile) -> str:
    """"达成100%、部分达成70%、未达成30%": the share a band gives without 得分率."""
    return "、".join(f"{b.band}{b.default_rate:.0%}" for b in sorted(profile.bands, key=lambda b: -b.high))


def _grades_text(profile: Profile) -> str:
    """"优≥90　良≥80　中≥60　差<60" from the profile's grade thresholds."""
    grades = sorted(profile.grades, key=lambda g: -g[1])
    parts = [f"{g}≥{low.normalize():f}" for g, low in grades[:-1]]
    parts.append(f"{grades[-1][0]}<{grades[-2][1].normalize():f}" if len(grades) > 1 else grades[-1][0])
    return "　".join(parts)


def _context(spec: dict[str, Any], profile: Profile) -> dict[str, Any]:
    ctx: dict[str, Any] = {"profile.budget_weight": profile.budget_weight, "profile.total": profile.total,
                           "profile.deviation_threshold": profile.deviation_threshold,
                           "profile.bands_text": _bands_text(profile),
                           "profile.band_defaults_text": _band_defaults_text(profile), "profile.grades_text": _grades_text(profile)}
    for t in spec.get("tables", []):
        ctx[f"{t['id']}.first"] = t["first_row"]
        ctx[f"{t['id']}.last"] = t["first_row"] + t["rows"] - 1
    return ctx


def _expand(value: Any, ctx: dict[str, Any]) -> Any:
    """Replace ``{r}``, ``{table.first}``, ``{profile.budget_weight}`` in a spec value."""
    if not isinstance(value, str) or "{" not in value:
        return value
    if _PLACEHOLDER.fullmatch(value) and value[1:-1] in ctx:
        v = ctx[value[1:-1]]
        return int(v) if isinstance(v, Decimal) and v == v.to_integral_value() else v
    return _PLACEHOLDER.sub(lambda m: str(ctx[m.group(1)]) if m.group(1) in ctx else m.group(0), value)


def fields(spec: dict[str, Any]) -> list[Field]:
    """Every named or keyed cell and table column of a spec, placed."""
    styles = _styles()["styles"]
    out = []
    for c in spec.get("cells", []):
        if c.get("name") or c.get("key"):
            top = c["ref"].split(":")[0]
            out.append(Field(c.get("name"), c.get("key"), top, top, c.get("style", "label"),
                             bool(styles.get(c.get("style", "label"), {}).get("input"))))
    for t in spec.get("tables", []):
        rows = table_rows(t)
        for col in t["columns"]:
            letter = col["col"].split(":")[0]
            rng = f"{letter}{rows.start}:{letter}{rows.stop - 1}"
            out.append(Field(col.get("name"), col.get("key"), f"{letter}{rows.start}", rng,
                             col.get("style", "label"), bool(styles.get(col.get("style", "label"), {}).get("input")),
                             t["id"]))
    return out


# ---------------------------------------------------------------- building


def _display_width(text: str) -> float:
    return sum(2.0 if unicodedata.east_asian_width(ch) in "WF" else 1.1 for ch in text)


def estimate_height(items: list[tuple[str, float, int]]) -> float | None:
    """Row height (points) that shows wrapped text fully: items are (text, column width, font size).
    None when one line of normal text fits (the default height)."""
    lines, size = 1, 10
    for text, width, sz in items:
        per_line = max(width - 1, 1) * 11 / max(sz, 1)
        n = sum(max(1, math.ceil(_display_width(part) / per_line)) for part in str(text).split("\n"))
        lines, size = max(lines, n), max(size, sz)
    if lines == 1 and size <= 11:
        return None
    return round(lines * size * 1.3 + 4, 1)


def fit_row_heights(ws, spec: dict[str, Any], rows: list[int]) -> None:
    """Grow the given rows so wrapped text cells (styles with ``wrap``) show fully (used after fill)."""
    styles = _styles()["styles"]
    widths = spec.get("columns", {})
    for t in spec.get("tables", []):
        for r in rows:
            if r not in table_rows(t):
                continue
            items = []
            for col in t["columns"]:
                st = styles.get(col.get("style", "label"), {})
                letter = col["col"].split(":")[0]
                v = ws[f"{letter}{r}"].value
                if st.get("wrap") and isinstance(v, str) and not v.startswith("="):
                    items.append((v, float(widths.get(letter, 9)), st.get("size", 10)))
            h = estimate_height(items)
            if h and h > (ws.row_dimensions[r].height or 0):
                ws.row_dimensions[r].height = h


MARGIN_INCH = 0.75      # top/bottom page margins
FOOTER_INCH = 0.3       # header/footer distance: the 9 pt page number ends well inside the margin
FOOTER_PT = 9


def hide_unused_rows(ws, spec: dict[str, Any], used: dict[str, int]) -> None:
    """Hide the rows of tables marked ``hide_unused`` past the ``used`` count (table id → rows
    filled), so a filled table prints on one page; 填表说明 tells the user how to unhide them."""
    for t in spec.get("tables", []):
        if t.get("hide_unused") and t["id"] in used:
            for r in list(table_rows(t))[used[t["id"]]:]:
                ws.row_dimensions[r].hidden = True


class _Builder:
    def __init__(self, spec: dict[str, Any], profile: Profile, pack: dict[str, Any] | None = None) -> None:
        self.spec = spec
        self.profile = profile
        self.pack = pack
        self.styles = _styles()
        self.ctx = _context(spec, profile)
        self.wb = Workbook()
        self.ws = self.wb.active
        self.ws.title = spec["sheet"]
        self.validations: dict[str, DataValidation] = {}
        self.text_cells: dict[int, list[tuple[str, float, int]]] = {}  # row → (text, width, size)

    # styles --------------------------------------------------------
    def _apply_style(self, cell, style_name: str) -> None:
        st = self.styles["styles"][style_name]
        fonts = self.styles["fonts"]
        cell.font = Font(name=fonts[st.get("font", "body")], size=st.get("size", 10), bold=st.get("bold", False))
        cell.alignment = Alignment(horizontal=st.get("align", "left"), vertical=st.get("valign", "center"),
                                   wrap_text=st.get("wrap", False), text_rotation=st.get("rotation", 0))
        if st.get("border", True):
            cell.border = _BORDER
        fill = "input" if st.get("input") else st.get("fill")
        if fill:
            color = self.styles[f"{fill}_fill"]
            cell.fill = PatternFill("solid", start_color=color, end_color=color)
        if st.get("format"):
            cell.number_format = st["format"]
        cell.protection = Protection(locked=not st.get("input", False))

    def _width(self, letter: str) -> float:
        return float(self.spec.get("columns", {}).get(letter, 9))

    def _place(self, ref: str, value: Any, style: str, validation: str | None, comment: str | None,
               row_ctx: dict[str, Any] | None = None, measure: bool = True) -> None:
        ctx = {**self.ctx, **(row_ctx or {})}
        min_col, min_row, max_col, max_row = range_boundaries(ref)
        if (min_col, min_row) != (max_col, max_row):
            self.ws.merge_cells(start_row=min_row, start_column=min_col, end_row=max_row, end_column=max_col)
        for r in range(min_row, max_row + 1):
            for c in range(min_col, max_col + 1):
                self._apply_style(self.ws.cell(row=r, column=c), style)
        top = self.ws.cell(row=min_row, column=min_col)
        value = _expand(value, ctx)
        if value is not None:
            top.value = value
            if measure and isinstance(value, str) and not value.startswith("=") and min_row == max_row:
                width = sum(self._width(get_column_letter(c)) for c in range(min_col, max_col + 1))
                size = self.styles["styles"][style].get("size", 10)
                self.text_cells.setdefault(min_row, []).append((value, width, size))
        if validation:
            self._validation(validation).add(ref)
        if comment:
            top.comment = Comment(comment, "jixiao")

    def _validation(self, vid: str) -> DataValidation:
        if vid in self.validations:
            return self.validations[vid]
        v = self.spec["validations"][vid]
        kind = v["type"]
        if kind == "list":
            values = v.get("values")
            if v.get("profile") == "bands":
                values = [b.band for b in sorted(self.profile.bands, key=lambda b: -b.high)]
            if v.get("profile") == "grades":
                values = [g for g, _ in self.profile.grades]
            dv = DataValidation(type="list", formula1='"' + ",".join(values) + '"', allow_blank=True)
        elif kind == "custom":
            dv = DataValidation(type="custom", formula1=_expand(v["formula"], self.ctx), allow_blank=True)
        else:
            dv = DataValidation(type=kind, operator=v.get("operator", "between"),
                                formula1=str(_expand(v.get("min", 0), self.ctx)),
                                formula2=str(_expand(v["max"], self.ctx)) if "max" in v else None,
                                allow_blank=True)
        dv.showErrorMessage = True
        if v.get("error_style"):
            dv.errorStyle = v["error_style"]   # "warning": other values allowed after a prompt
        dv.errorTitle = "输入有误"
        dv.error = _expand(v.get("error", "输入的内容不符合要求"), self.ctx)
        if v.get("prompt"):
            dv.showInputMessage = True
            dv.promptTitle = v.get("prompt_title", "填写说明")
            dv.prompt = _expand(v["prompt"], self.ctx)
        self.ws.add_data_validation(dv)
        self.validations[vid] = dv
        return dv

    def _name(self, name: str, rng: str, sheet: str | None = None) -> None:
        sheet = sheet or self.ws.title
        min_col, min_row, max_col, max_row = range_boundaries(rng)
        a = f"${get_column_letter(min_col)}${min_row}"
        b = f"${get_column_letter(max_col)}${max_row}"
        target = a if a == b else f"{a}:{b}"
        quoted = "'" + sheet.replace("'", "''") + "'"
        if name in self.wb.defined_names:
            raise ValueError(f"spec {self.spec['id']}: defined name {name} used twice")
        self.wb.defined_names[name] = DefinedName(name, attr_text=f"{quoted}!{target}")

    # sheets --------------------------------------------------------
    def build(self) -> Workbook:
        spec, ws = self.spec, self.ws
        for letter, width in spec.get("columns", {}).items():
            ws.column_dimensions[letter].width = width
        for c in spec.get("cells", []):
            self._place(c["ref"], c.get("value"), c.get("style", "label"), c.get("validation"), c.get("comment"))
        for t in spec.get("tables", []):
            items = t.get("items") or []
            for r in table_rows(t):
                n = r - t["first_row"]
                row_ctx = {"r": r, "n": n + 1}
                item = items[n] if n < len(items) else {}
                for col in t["columns"]:
                    ref = col["col"]
                    ref = f"{ref.split(':')[0]}{r}:{ref.split(':')[1]}{r}" if ":" in ref else f"{ref}{r}"
                    value = item.get(col["item"]) if col.get("item") else col.get("value")
                    self._place(ref, value, col.get("style", "label"), None, None, row_ctx,
                                measure=not col.get("merge_same"))
                if t.get("row_height"):
                    ws.row_dimensions[r].height = t["row_height"]
            for col in t["columns"]:
                if col.get("merge_same"):
                    self._merge_runs(col["col"], table_rows(t))
            for col in t["columns"]:
                if col.get("validation"):
                    letter = col["col"].split(":")[0]
                    rows = table_rows(t)
                    self._validation(col["validation"]).add(f"{letter}{rows.start}:{letter}{rows.stop - 1}")
        for f in fields(spec):
            if f.name:
                self._name(f.name, f.range)
        for cf in spec.get("conditional_formats", []):
            color = cf.get("fill", "F8CBAD")
            rule = FormulaRule(formula=[_expand(cf["formula"], self.ctx)], stopIfTrue=False,
                               fill=PatternFill("solid", start_color=color, end_color=color))
            ws.conditional_formatting.add(_expand(cf["range"], self.ctx), rule)
        self._row_heights()
        self._print_setup()
        ws.protection.sheet = True          # no password: 审阅 → 撤销工作表保护
        ws.protection.formatColumns = False  # allow resizing columns and rows
        ws.protection.formatRows = False
        if spec.get("freeze"):
            ws.freeze_panes = spec["freeze"]
        self._meta()
        self.wb.calculation.fullCalcOnLoad = True
        return self.wb

    def _merge_runs(self, letter: str, rows: range) -> None:
        """Merge consecutive cells of a column holding the same text (一级/二级指标 groups)."""
        start = rows.start
        for r in [*rows[1:], rows.stop]:
            same = r < rows.stop and self.ws[f"{letter}{r}"].value == self.ws[f"{letter}{start}"].value
            if not same:
                if r - 1 > start and self.ws[f"{letter}{start}"].value:
                    for rr in range(start + 1, r):
                        self.ws[f"{letter}{rr}"].value = None
                    self.ws.merge_cells(f"{letter}{start}:{letter}{r - 1}")
                start = r

    def _row_heights(self) -> None:
        heights = {int(k): v for k, v in self.spec.get("row_heights", {}).items()}
        for r, h in heights.items():
            self.ws.row_dimensions[r].height = h
        default = self.spec.get("default_row_height")
        if default:
            for r in range(1, self.ws.max_row + 1):
                if r not in heights and not self.ws.row_dimensions[r].height:
                    self.ws.row_dimensions[r].height = default
        for r, items in self.text_cells.items():
            if r in heights:
                continue
            h = estimate_height(items)
            if h and h > (self.ws.row_dimensions[r].height or 0):
                self.ws.row_dimensions[r].height = h

    def _print_setup(self) -> None:
        """A4, fit to width (``fit_height``: to that many pages tall too), header rows repeated,
        manual page breaks before ``breaks_before`` rows (a section starts a page with its rows),
        page numbers in a footer that sits inside the bottom margin."""
        ws, p = self.ws, self.spec.get("print", {})
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.orientation = p.get("orientation", "landscape")
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = p.get("fit_height", 0)
        if p.get("title_rows"):
            ws.print_title_rows = p["title_rows"]
        if p.get("area"):
            ws.print_area = p["area"]
        for r in p.get("breaks_before", []):
            ws.row_breaks.append(Break(id=int(r) - 1))
        ws.print_options.horizontalCentered = True
        m = ws.page_margins
        m.left = m.right = 0.4
        m.top = m.bottom = MARGIN_INCH
        m.header = m.footer = FOOTER_INCH
        ws.oddFooter.center.text = "第 &P 页，共 &N 页"
        ws.oddFooter.center.font = self.styles["fonts"]["body"]
        ws.oddFooter.center.size = FOOTER_PT

    def _meta(self) -> None:
        """Hidden sheet: template id and version, the embedded profile and checksum
        (``workbook_templates.meta``), then the profile's rule tables (named ranges)."""
        spec, prof = self.spec, self.profile
        meta = self.wb.create_sheet(META_SHEET)
        head = [*meta_rows(spec, prof, protected_cells(self.ws), self.pack), []]
        for row in head + rule_table_rows(prof):
            meta.append(row)
        bands, grades = len(prof.bands), len(prof.grades)
        band_start = len(head) + 2
        band_end = band_start + bands - 1
        grade_start = band_end + 3
        grade_end = grade_start + grades - 1
        switch_start = grade_end + 3
        for i, (name, _value, _doc) in enumerate(rule_switches(prof)):
            self._name(name, f"B{switch_start + i}", META_SHEET)
        self._name("档次表", f"A{band_start}:D{band_end}", META_SHEET)
        self._name("档次名称", f"A{band_start}:A{band_end}", META_SHEET)
        self._name("档次下限", f"B{band_start}:B{band_end}", META_SHEET)
        self._name("档次上限", f"C{band_start}:C{band_end}", META_SHEET)
        self._name("档次上限含", f"E{band_start}:E{band_end}", META_SHEET)
        self._name("等级名称", f"A{grade_start}:A{grade_end}", META_SHEET)
        self._name("等级下限", f"B{grade_start}:B{grade_end}", META_SHEET)
        meta.sheet_state = "hidden"
        meta.protection.sheet = True


def build_workbook(template: str | dict[str, Any], profile: str | Profile | None = None,
                   pack: dict[str, Any] | None = None) -> Workbook:
    """The openpyxl Workbook of a template (by id, title or alias, or a resolved layout spec),
    rules from ``profile`` (embedded in ``_meta``); ``pack`` (issuer, year, version) is recorded
    there too."""
    spec = load_spec(template)
    prof = profile if isinstance(profile, Profile) else load_profile(profile or spec.get("profile", "cz2020-10"))
    problems = profile_problems(prof.data)       # what is embedded must read back
    if problems:
        raise InputError(f"评分规则“{prof.id}”格式不正确：" + "；".join(problems[:5]))
    wb = _Builder(spec, prof, pack).build()
    stamp_workbook(wb, new=True)               # creator / custom property: jixiao <version>
    return wb


def build_template(template: str | dict[str, Any], path: str | os.PathLike, profile: str | Profile | None = None,
                   pack: dict[str, Any] | None = None) -> Path:
    """Build a template and write it atomically to ``path``. Returns the path."""
    wb = build_workbook(template, profile, pack)
    with atomic_path(path) as tmp:
        wb.save(tmp)
    return Path(path)


# ---------------------------------------------------------------- real engine (LibreOffice)


def recalculate(paths: list[Path], outdir: str | os.PathLike, fmt: str = "xlsx", timeout: int = 300) -> list[Path]:
    """Open many workbooks in ONE LibreOffice run and save them as ``fmt`` ("xlsx", "pdf", "ods").

    Our templates carry no cached formula results (openpyxl writes none), so every value in the
    output was computed by LibreOffice. Returns the output paths in input order.
    """
    import subprocess
    import tempfile

    from .errors import WriteError
    from .libreoffice import find_soffice, user_installation

    soffice = find_soffice()
    if not soffice:
        raise WriteError("未找到 LibreOffice（soffice），无法重新计算或导出。")
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="jixiao-lo-") as profile:
        cmd = [soffice, user_installation(profile), "--headless",
               "--norestore", "--nolockcheck", "--convert-to", fmt, "--outdir", str(outdir),
               *[str(p) for p in paths]]
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            raise WriteError(f"LibreOffice 转换超时（{timeout}秒）") from None
    outs = [outdir / f"{Path(p).stem}.{fmt.split(':')[0]}" for p in paths]
    missing = [o.name for o in outs if not o.exists()]
    if missing:
        raise WriteError(f"LibreOffice 转换失败：{'、'.join(missing)}（{(proc.stderr or proc.stdout).strip()[:300]}）")
    return outs


def render_previews(workbooks: dict[str, Path], outdir: str | os.PathLike, dpi: int = 80,
                    workdir: str | os.PathLike | None = None) -> list[Path]:
    """Export workbooks to PDF with LibreOffice (one run) and the first page of each to
    ``<outdir>/<name>.png`` with pdftoppm; the PDFs are kept next to the PNGs. Returns the PNGs."""
    import shutil
    import subprocess
    import tempfile

    if not shutil.which("pdftoppm"):
        from .errors import WriteError
        raise WriteError("未找到 pdftoppm（poppler-utils），无法生成预览图。")
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="jixiao-preview-", dir=workdir) as tmp:
        srcs = []
        for name, path in workbooks.items():      # the PDF takes the source's stem: copy under the wanted name
            dst = Path(tmp) / f"{name}.xlsx"
            shutil.copy(path, dst)
            srcs.append(dst)
        pdfs = recalculate(srcs, outdir, "pdf")
        pngs = []
        for name, pdf in zip(workbooks, pdfs, strict=True):
            stem = outdir / name
            subprocess.run(["pdftoppm", "-png", "-r", str(dpi), "-f", "1", "-l", "1", "-singlefile", str(pdf), str(stem)],
                           check=True, capture_output=True)
            pngs.append(stem.with_suffix(".png"))
    return pngs
