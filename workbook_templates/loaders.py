"""Sheet grids out of files (openpyxl, python-calamine) and out of plain 2-D value lists (xlwings).

DESIGN.md idea 4: readers see only ``Grid`` objects. Loaders keep the *values* and the merged
ranges; cached formula results are taken as they are and never trusted (the reader recomputes
every derived number with the core). Every loader stops after ``max_rows`` rows per sheet and
says so in ``Book.truncated`` (a million-row sheet costs bounded time).

Engine choice (measured on 60 generated unit workbooks, load + read per file): openpyxl normal
mode 68 ms, openpyxl read-only with merged ranges scanned from the sheet XML 11 ms, python-calamine
2 ms. ``auto`` uses openpyxl read-only for .xlsx/.xlsm (it keeps number formats, so a cell typed
as 95% reads "95%"; calamine gives 0.95) and calamine for .xls/.ods; batch callers may choose
calamine. Read-only streaming also bounds the time of a million-row sheet (row cap). Defined
names come from xl/workbook.xml for either engine.
"""

from __future__ import annotations

import datetime as _dt
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from .errors import ReadError
from .grid import Grid

MAX_ROWS = 5000     # rows read per sheet; a 自评表 has well under a hundred
MAX_COLS = 200      # columns kept per row


@dataclass
class Book:
    """What a loader gives: the sheets as grids plus workbook-level facts."""

    grids: list[Grid]
    defined_names: dict[str, str] = field(default_factory=dict)   # name → 'Sheet'!$A$1 (workbook scope)
    hidden: set[str] = field(default_factory=set)                 # hidden / very hidden sheet names
    engine: str = ""
    truncated: dict[str, int] = field(default_factory=dict)       # sheet → rows read, when capped
    source: str | None = None

    def grid(self, name: str) -> Grid | None:
        return next((g for g in self.grids if g.name == name), None)


def clean_value(v: Any) -> Any:
    """One cell value in the common form: None for blank, str stripped of nothing, numbers as is
    (int for integral floats, which is what Excel stores), dates kept, errors as their text."""
    if v is None:
        return None
    if isinstance(v, str):
        return None if v == "" else v
    if isinstance(v, bool):
        return v
    if isinstance(v, float):
        if v != v or v in (float("inf"), float("-inf")):
            return None
        return int(v) if v.is_integer() and abs(v) < 1e15 else v
    if isinstance(v, (int, Decimal, _dt.date, _dt.datetime, _dt.time, _dt.timedelta)):
        return v
    return str(v)


def _trim(rows: list[list[Any]]) -> list[list[Any]]:
    """Drop trailing empty cells of each row and trailing empty rows."""
    out = []
    for row in rows:
        row = list(row[:MAX_COLS])
        while row and row[-1] is None:
            row.pop()
        out.append(row)
    while out and not out[-1]:
        out.pop()
    return out


def grid_from_values(name: str, values: Sequence[Sequence[Any]] | Sequence[Any] | Any,
                     merged: Sequence[tuple[int, int, int, int]] | None = None,
                     origin: tuple[int, int] = (0, 0), max_rows: int = MAX_ROWS,
                     number_formats: dict[tuple[int, int], str] | None = None) -> Grid:
    """A grid from a 2-D list of values — what xlwings returns for ``sheet.used_range.value``.

    xlwings gives a scalar for a one-cell range and a flat list for a single row; both are
    accepted. ``origin`` is the 0-based (row, col) of the range's top-left cell in the sheet, so
    that cell references stay true when the used range does not start at A1. ``merged`` ranges are
    in sheet coordinates (r1, c1, r2, c2), 0-based inclusive. ``number_formats`` ({(r, c): code},
    sheet coordinates) lets percent-formatted cells read as "95%" (only codes with % matter).
    """
    if not isinstance(values, (list, tuple)):
        values = [[values]]
    elif values and not isinstance(values[0], (list, tuple)):
        values = [values]
    r0, c0 = origin
    rows: list[list[Any]] = [[] for _ in range(r0)]
    for row in list(values)[:max_rows]:
        rows.append([None] * c0 + [clean_value(v) for v in row])
    fmts = {k: v for k, v in (number_formats or {}).items() if v and "%" in v}
    return Grid(name=name, rows=_trim(rows), merged=list(merged or []), number_formats=fmts)


def defined_names_from_zip(path: str | Path) -> dict[str, str]:
    """Workbook-scope defined names (name → reference text) read from xl/workbook.xml."""
    from defusedxml import ElementTree

    try:
        with zipfile.ZipFile(path) as zf:
            if "xl/workbook.xml" not in zf.namelist():
                return {}
            root = ElementTree.fromstring(zf.read("xl/workbook.xml"))
    except (zipfile.BadZipFile, OSError, ValueError):
        return {}
    except Exception:  # noqa: BLE001 - defusedxml refuses hostile XML: no names rather than a crash
        return {}
    out = {}
    for el in root.iter():
        if el.tag.endswith("}definedName") and "localSheetId" not in el.attrib:
            name = el.attrib.get("name", "")
            if name and not name.startswith("_xlnm."):
                out[name] = (el.text or "").strip()
    return out


def load_openpyxl(path: str | Path, max_rows: int = MAX_ROWS, read_only: bool = False) -> Book:
    """Grids through openpyxl (values only: ``data_only=True``; macros are never kept or run).

    Normal mode gives merged ranges and number formats; ``read_only`` streams rows (for huge
    sheets) and has no merged ranges.
    """
    import openpyxl

    try:
        wb = openpyxl.load_workbook(path, data_only=True, read_only=read_only, keep_vba=False, keep_links=False)
    except ReadError:
        raise
    except Exception as exc:  # noqa: BLE001 - any parser failure becomes a Chinese ReadError
        raise ReadError(f"无法读取工作簿（{type(exc).__name__}：{exc}）", file=str(path)) from None
    book = Book(grids=[], engine="openpyxl" + ("-readonly" if read_only else ""), source=str(path))
    try:
        for ws in wb.worksheets:
            if ws.sheet_state != "visible":
                book.hidden.add(ws.title)
            rows: list[list[Any]] = []
            formats: dict[tuple[int, int], str] = {}
            # Normal mode: rows up to the sheet's extent. Read-only: stream and stop at the cap
            # (ignoring the <dimension> tag, which may understate the sheet).
            if read_only:
                ws.reset_dimensions()
            it = (ws.iter_rows(min_row=1) if read_only
                  else ws.iter_rows(min_row=1, max_row=min(ws.max_row or 0, max_rows + 1), max_col=MAX_COLS))
            for r, row in enumerate(it):
                if r >= max_rows:
                    book.truncated[ws.title] = max_rows
                    break
                vals = []
                for c, cell in enumerate(row[:MAX_COLS]):
                    v = clean_value(getattr(cell, "value", None))
                    vals.append(v)
                    fmt = getattr(cell, "number_format", "General")
                    if v is not None and fmt and fmt != "General" and "%" in fmt:
                        formats[(r, c)] = fmt
                rows.append(vals)
            if read_only:
                merged = merged_from_sheet_xml(path, ws._worksheet_path)
            else:
                merged = [(m.min_row - 1, m.min_col - 1, m.max_row - 1, m.max_col - 1)
                          for m in ws.merged_cells.ranges]
            book.grids.append(Grid(name=ws.title, rows=_trim(rows), merged=merged, number_formats=formats))
    finally:
        if read_only:
            wb.close()
    book.defined_names = _openpyxl_names(wb) if not read_only else defined_names_from_zip(path)
    return book


_MERGE = re.compile(rb"<(?:\w+:)?mergeCell\s+ref=\"([A-Z]+[0-9]+)(?::([A-Z]+[0-9]+))?\"")


def merged_from_sheet_xml(path: str | Path, part: str, chunk: int = 1 << 20) -> list[tuple[int, int, int, int]]:
    """Merged ranges of one sheet part, by streaming its XML (for read-only loading of big sheets).

    ``<mergeCells>`` comes after ``<sheetData>``, so the whole part is inflated — in chunks, never
    more than its declared size (checked by safety.preflight) — and scanned with a regex.
    """
    from .grid import parse_a1

    out: list[tuple[int, int, int, int]] = []
    tail = b""
    with zipfile.ZipFile(path) as zf, zf.open(part.lstrip("/")) as f:
        while True:
            data = f.read(chunk)
            if not data:
                break
            buf = tail + data
            last_end = 0
            if b"mergeCell" not in buf:  # fast C scan; the regex only runs where merges are
                tail = buf[-200:]
                continue
            for m in _MERGE.finditer(buf):
                a = parse_a1(m.group(1).decode())
                b = parse_a1((m.group(2) or m.group(1)).decode())
                out.append((a[0], a[1], b[0], b[1]))
                last_end = m.end()
            tail = buf[max(last_end, len(buf) - 200):]
    return out


def _openpyxl_names(wb: Any) -> dict[str, str]:
    out = {}
    try:
        for name, dn in wb.defined_names.items():
            if not name.startswith("_xlnm."):
                out[name] = dn.attr_text
    except AttributeError:  # openpyxl < 3.1
        for dn in wb.defined_names.definedName:
            out[dn.name] = dn.attr_text
    return out


_CELL = re.compile(rb"<(?:\w+:)?c\s([^>]*?)/?>")
_ATTR_R = re.compile(rb'\br="([A-Z]+)([0-9]+)"')
_ATTR_S = re.compile(rb'\bs="([0-9]+)"')
_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"


def percent_cells(path: str | Path, max_rows: int = MAX_ROWS) -> dict[str, dict[tuple[int, int], str]]:
    """Cells shown as percent in an .xlsx, by sheet name: {(r, c): format} (0-based).

    python-calamine gives values without formats, so 95% typed in a cell arrives as 0.95; this
    reads styles.xml (numFmt ids 9/10 and custom codes with %) and the ``s`` attribute of each
    cell, so calamine grids show "95%" exactly as openpyxl's do.
    """
    from defusedxml import ElementTree

    from .grid import parse_a1

    out: dict[str, dict[tuple[int, int], str]] = {}
    with zipfile.ZipFile(path) as zf:
        names = set(zf.namelist())
        if "xl/styles.xml" not in names or "xl/workbook.xml" not in names:
            return out
        styles = ElementTree.fromstring(zf.read("xl/styles.xml"))
        codes = {9: "0%", 10: "0.00%"}
        for nf in styles.iter(f"{_MAIN}numFmt"):
            codes[int(nf.get("numFmtId", "0"))] = nf.get("formatCode", "")
        xfs = styles.find(f"{_MAIN}cellXfs")
        pct = {i: codes[int(xf.get("numFmtId", "0"))] for i, xf in enumerate(xfs if xfs is not None else [])
               if "%" in codes.get(int(xf.get("numFmtId", "0")), "")}
        if not pct:
            return out
        rels_name = "xl/_rels/workbook.xml.rels"
        rels = ElementTree.fromstring(zf.read(rels_name)) if rels_name in names else None
        targets = {r.get("Id"): r.get("Target", "") for r in (rels if rels is not None else [])}
        wb = ElementTree.fromstring(zf.read("xl/workbook.xml"))
        for sh in wb.iter(f"{_MAIN}sheet"):
            target = targets.get(sh.get(f"{_REL}id"), "")
            part = target.lstrip("/") if target.startswith("/") else "xl/" + target
            if part not in names:
                continue
            cells: dict[tuple[int, int], str] = {}
            for m in _CELL.finditer(zf.read(part)):
                attrs = m.group(1)
                sm, rm = _ATTR_S.search(attrs), _ATTR_R.search(attrs)
                if sm and rm and int(sm.group(1)) in pct:
                    r, c = parse_a1((rm.group(1) + rm.group(2)).decode())
                    if r < max_rows:
                        cells[(r, c)] = pct[int(sm.group(1))]
            out[sh.get("name", "")] = cells
    return out


def load_calamine(path: str | Path, max_rows: int = MAX_ROWS) -> Book:
    """Grids through python-calamine (.xlsx/.xlsm/.xls/.ods); merged ranges from its API."""
    from python_calamine import CalamineWorkbook

    try:
        wb = CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # noqa: BLE001
        raise ReadError(f"无法读取工作簿（{type(exc).__name__}：{exc}）", file=str(path)) from None
    book = Book(grids=[], engine="calamine", source=str(path))
    try:
        meta = {m.name: m for m in wb.sheets_metadata}
        for name in wb.sheet_names:
            m = meta.get(name)
            if m is not None and "Visible" not in str(m.visible).split(".")[-1]:
                book.hidden.add(name)
            if m is not None and "WorkSheet" not in str(m.typ):
                continue  # chart sheets etc.
            sheet = wb.get_sheet_by_name(name)
            start = sheet.start or (0, 0)
            rows: list[list[Any]] = [[] for _ in range(start[0])]
            n = 0
            for row in sheet.iter_rows():
                if n >= max_rows:
                    book.truncated[name] = max_rows
                    break
                rows.append([None] * start[1] + [clean_value(v) for v in row[:MAX_COLS]])
                n += 1
            merged = [(a[0], a[1], b[0], b[1]) for a, b in (sheet.merged_cell_ranges or [])]
            book.grids.append(Grid(name=name, rows=_trim(rows), merged=merged))
    except ReadError:
        raise
    except Exception as exc:  # noqa: BLE001
        raise ReadError(f"无法读取工作簿（{type(exc).__name__}：{exc}）", file=str(path)) from None
    finally:
        wb.close()
    if zipfile.is_zipfile(path):
        book.defined_names = defined_names_from_zip(path)
        try:
            formats = percent_cells(path, max_rows)
        except Exception:  # noqa: BLE001 - formats are a nicety: values stay as calamine read them
            formats = {}
        for g in book.grids:
            g.number_formats = {k: v for k, v in formats.get(g.name, {}).items()
                                if isinstance(g.value(*k), (int, float))}
    return book


def load_book(path: str | Path, engine: str = "auto", max_rows: int = MAX_ROWS, kind: str | None = None,
              big: bool = False) -> Book:
    """Load with the chosen engine: ``openpyxl``, ``calamine`` or ``auto`` (openpyxl for .xlsx/.xlsm,
    calamine for .xls/.ods). ``kind`` is what ``safety.preflight`` found ("xlsx", "xls", "ods");
    openpyxl streams rows (read-only) and stops at ``max_rows``: bounded time even for a huge sheet,
    where calamine and openpyxl's normal mode parse the whole sheet first. ``big`` (a very large
    sheet part, from preflight) makes ``auto`` prefer openpyxl even for engines that would not."""
    kind = kind or Path(path).suffix.lower().lstrip(".")
    if engine == "auto" or (big and engine == "calamine" and kind in ("xlsx", "xlsm")):
        engine = "openpyxl" if kind in ("xlsx", "xlsm") else "calamine"
    if engine == "openpyxl":
        if kind in ("xls", "ods"):
            raise ReadError("openpyxl 不能读取 .xls/.ods 文件，请使用 calamine 引擎", file=str(path))
        return load_openpyxl(path, max_rows=max_rows, read_only=True)
    if engine == "calamine":
        return load_calamine(path, max_rows=max_rows)
    raise ReadError(f"未知的读取引擎：{engine}（可用：auto、openpyxl、calamine）", file=str(path))
