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

Package parts (workbook, relationships, styles, sheet XML) come from ``parts`` — the checked bytes
``safety.preflight`` already inflated (``FileInfo.parts``) — or else from the zip, opened once per
load. The small workbook-level parts are parsed with expat (DTD and entity declarations refused,
like defusedxml) and the results cached by content: units' files made from one template share them.
"""

from __future__ import annotations

import datetime as _dt
import io
import re
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import IO, Any
from xml.parsers import expat

from udfs.numbers import is_percent_format

from .diagnose import explain_load_error
from .errors import ReadError
from .grid import Grid

MAX_ROWS = 5000     # rows read per sheet; a 自评表 has well under a hundred
MAX_COLS = 200      # columns kept per row
_OPENPYXL_SUFFIXES = (".xlsx", ".xlsm", ".xltx", ".xltm")


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
    fmts = {k: v for k, v in (number_formats or {}).items() if is_percent_format(v)}
    return Grid(name=name, rows=_trim(rows), merged=list(merged or []), number_formats=fmts)


Parts = Mapping[str, "bytes | None"]


class Package:
    """The parts of a zip workbook by name: bytes preflight kept (``parts``: every part name →
    bytes, or None where it kept nothing), else read from the file — opened at most once."""

    def __init__(self, path: str | Path, parts: Parts | None = None) -> None:
        self.path = path
        self.parts = parts
        self._zf: zipfile.ZipFile | None = None

    def _zip(self) -> zipfile.ZipFile:
        if self._zf is None:
            self._zf = zipfile.ZipFile(self.path)
        return self._zf

    def __contains__(self, name: str) -> bool:
        if self.parts is not None:
            return name in self.parts
        return name in self._zip().NameToInfo

    def read(self, name: str) -> bytes:
        data = self.parts.get(name) if self.parts is not None else None
        return data if data is not None else self._zip().read(name)

    def open(self, name: str) -> IO[bytes]:
        data = self.parts.get(name) if self.parts is not None else None
        return io.BytesIO(data) if data is not None else self._zip().open(name)

    def close(self) -> None:
        if self._zf is not None:
            self._zf.close()
            self._zf = None

    def __enter__(self) -> Package:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class _Element:
    """One element seen by ``_parse_xml``: namespaced tag ('{uri}local'), attributes, depth (root
    = 1), text before its first child, and (when asked) its direct children."""

    __slots__ = ("tag", "attrib", "depth", "text", "children")

    def __init__(self, tag: str, attrib: dict[str, str], depth: int) -> None:
        self.tag, self.attrib, self.depth, self.text = tag, attrib, depth, None
        self.children: list[_Element] = []

    def get(self, key: str, default: str | None = None) -> str | None:
        return self.attrib.get(key, default)


def _refuse(*_args: object) -> None:
    raise ValueError("XML 部件含有实体声明或外部实体，拒绝解析")


def _parse_xml(data: bytes, want) -> list[_Element]:
    """Elements for which ``want(tag, depth, parent)`` is true (``parent``: the element's parent
    when that was wanted too, else None), in document order, with ElementTree's names
    ('{uri}local'); no tree is built. Like defusedxml: entity declarations and external entities
    are refused (ValueError), so no entity is ever expanded."""
    p = expat.ParserCreate(namespace_separator="}")
    p.EntityDeclHandler = _refuse
    p.UnparsedEntityDeclHandler = _refuse
    p.ExternalEntityRefHandler = _refuse
    p.buffer_text = True
    out: list[_Element] = []
    stack: list[_Element | None] = []
    texting: list[_Element] = []        # the element whose text is being collected (before a child)

    def fix(name: str) -> str:
        return "{" + name if "}" in name else name

    def start(name: str, attrs: dict[str, str]) -> None:
        if texting:
            texting.pop()
        tag = fix(name)
        depth = len(stack) + 1
        parent = stack[-1] if stack else None
        el = None
        if want(tag, depth, parent):
            el = _Element(tag, {fix(k): v for k, v in attrs.items()}, depth)
            out.append(el)
            texting.append(el)
            if parent is not None:
                parent.children.append(el)
        stack.append(el)

    def end(_name: str) -> None:
        if texting:
            texting.pop()
        stack.pop()

    def chars(text: str) -> None:
        if texting:
            el = texting[-1]
            el.text = text if el.text is None else el.text + text

    p.StartElementHandler = start
    p.EndElementHandler = end
    p.CharacterDataHandler = chars
    p.Parse(data, True)
    return out


_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_CACHE_PART_BYTES = 256 * 1024      # workbook-level parts up to this size are cached by content


def _cached(fn):
    """Cache a pure function of a part's bytes (small parts only; results are not to be changed)."""
    cached = lru_cache(maxsize=32)(fn)

    def call(data: bytes):
        return cached(data) if len(data) <= _CACHE_PART_BYTES else fn(data)

    call.__doc__ = fn.__doc__
    return call


@_cached
def _workbook_facts(data: bytes) -> tuple[dict[str, str], list[tuple[str, str | None]]]:
    """xl/workbook.xml → (workbook-scope defined names {name: text}, [(sheet name, r:id)])."""
    els = _parse_xml(data, lambda tag, depth, parent: tag.endswith("}definedName") or tag == f"{_MAIN}sheet")
    names: dict[str, str] = {}
    sheets: list[tuple[str, str | None]] = []
    for el in els:
        if el.tag == f"{_MAIN}sheet":
            sheets.append((el.get("name", "") or "", el.get(f"{_REL}id")))
        elif "localSheetId" not in el.attrib:
            name = el.get("name", "") or ""
            if name and not name.startswith("_xlnm."):
                names[name] = (el.text or "").strip()
    return names, sheets


@_cached
def _rel_targets(data: bytes) -> dict[str | None, str]:
    """xl/_rels/workbook.xml.rels → {Id: Target} of the root's children."""
    return {el.get("Id"): el.get("Target", "") or "" for el in _parse_xml(data, lambda tag, depth, parent: depth == 2)}


@_cached
def _percent_styles(data: bytes) -> dict[int, str]:
    """xl/styles.xml → {cellXfs index: format code} for the cell formats that show a percent
    (numFmt ids 9/10 and custom codes with %)."""
    cell_xfs = f"{_MAIN}cellXfs"

    def want(tag: str, depth: int, parent: _Element | None) -> bool:
        return (tag == f"{_MAIN}numFmt" or (depth == 2 and tag == cell_xfs)
                or (depth == 3 and parent is not None and parent.tag == cell_xfs))

    codes = {9: "0%", 10: "0.00%"}
    xfs = None
    for el in _parse_xml(data, want):
        if el.tag == f"{_MAIN}numFmt":
            codes[int(el.get("numFmtId", "0"))] = el.get("formatCode", "")
        if xfs is None and el.depth == 2 and el.tag == cell_xfs:
            xfs = el
    pct = {}
    for i, xf in enumerate(xfs.children if xfs is not None else []):
        code = codes.get(int(xf.get("numFmtId", "0")), "")
        if is_percent_format(code):       # 0"%" prints a literal %: percent points, not a ratio
            pct[i] = code
    return pct


def defined_names_from_zip(path: str | Path, parts: Parts | None = None) -> dict[str, str]:
    """Workbook-scope defined names (name → reference text) read from xl/workbook.xml."""
    try:
        with Package(path, parts) as pkg:
            return _defined_names(pkg)
    except (zipfile.BadZipFile, OSError, ValueError):
        return {}


def _defined_names(pkg: Package) -> dict[str, str]:
    try:
        if "xl/workbook.xml" not in pkg:
            return {}
        return dict(_workbook_facts(pkg.read("xl/workbook.xml"))[0])
    except Exception:  # noqa: BLE001 - hostile or broken XML: no names rather than a crash
        return {}


def load_openpyxl(path: str | Path, max_rows: int = MAX_ROWS, read_only: bool = False,
                  parts: Parts | None = None) -> Book:
    """Grids through openpyxl (values only: ``data_only=True``; macros are never kept or run).

    Normal mode gives merged ranges and number formats; ``read_only`` streams rows (for huge
    sheets; the first row costs the same whether or not the sheet declares its size) and takes
    merged ranges and defined names from the package (``parts``: what preflight kept).
    """
    import openpyxl

    # openpyxl goes by the file name's extension: a workbook saved or renamed as .xls/.et/.wps
    # that is really .xlsx (preflight looks at the content) is handed over as an open file.
    handle = open(path, "rb") if Path(path).suffix.lower() not in _OPENPYXL_SUFFIXES else None  # noqa: SIM115
    try:
        if read_only:
            _bound_read_only_size()
        wb = openpyxl.load_workbook(handle or path, data_only=True, read_only=read_only, keep_vba=False,
                                    keep_links=False)
    except ReadError:
        if handle:
            handle.close()
        raise
    except Exception as exc:  # noqa: BLE001 - any parser failure becomes a Chinese ReadError
        if handle:
            handle.close()
        raise explain_load_error(exc, path, parts) from None
    book = Book(grids=[], engine="openpyxl" + ("-readonly" if read_only else ""), source=str(path))
    try:
        for ws in wb.worksheets:
            _read_sheet_rows(book, ws, path, parts, max_rows, read_only)
    finally:
        if read_only:
            wb.close()
        if handle:
            handle.close()
    book.defined_names = _openpyxl_names(wb) if not read_only else defined_names_from_zip(path, parts)
    return book


def _read_sheet_rows(book: Book, ws: Any, path: str | Path, parts: Parts | None, max_rows: int,
                     read_only: bool) -> None:
    """One worksheet into ``book`` (openpyxl); a parse failure mid-stream is a ReadError naming the
    sheet and, where the XML shows it, the cell (``explain_load_error``)."""
    try:
        _read_sheet(book, ws, path, parts, max_rows, read_only)
    except ReadError:
        raise
    except Exception as exc:  # noqa: BLE001 - openpyxl's stream parser: ValueError, IndexError, ParseError…
        raise explain_load_error(exc, path, parts, sheet=ws.title) from None


def _read_sheet(book: Book, ws: Any, path: str | Path, parts: Parts | None, max_rows: int,
                read_only: bool) -> None:
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
            if v is not None and is_percent_format(fmt):
                formats[(r, c)] = fmt
        rows.append(vals)
    formulas: dict[tuple[int, int], str] = {}
    if read_only:
        merged, hidden = sheet_xml_facts(path, ws._worksheet_path, parts=parts, max_rows=max_rows)
        if ws.title not in book.truncated:
            formulas = uncalculated_formulas(path, ws._worksheet_path, parts=parts)
    else:
        merged = [(m.min_row - 1, m.min_col - 1, m.max_row - 1, m.max_col - 1)
                  for m in ws.merged_cells.ranges]
        hidden = {i - 1 for i, d in ws.row_dimensions.items() if d.hidden and 0 < i <= max_rows}
    book.grids.append(Grid(name=ws.title, rows=_trim(rows), merged=merged, number_formats=formats,
                           formulas=formulas, hidden_rows=hidden))


def _bounded_get_size(self: Any) -> None:
    """openpyxl's ``ReadOnlyWorksheet._get_size`` with the same result, in bounded time.

    openpyxl looks for ``<dimension>`` with *end* events and gives up at the end of
    ``<sheetData>`` — i.e. after parsing every row of a sheet that has no ``<dimension>`` (≈35 s
    for a million rows) before a single row is read. ``<dimension>`` precedes ``<sheetData>``
    (ECMA-376 CT_Worksheet), so stopping at the *start* of ``<sheetData>`` finds the same thing.
    """
    from openpyxl.worksheet._reader import DATA_TAG, DIMENSION_TAG
    from openpyxl.worksheet.dimensions import SheetDimension
    from openpyxl.xml.functions import iterparse

    src = self._get_source()
    try:
        for _event, element in iterparse(src, events=("start",)):
            if element.tag == DIMENSION_TAG:
                dims = SheetDimension.from_tree(element).boundaries
                self._min_column, self._min_row, self._max_column, self._max_row = dims
                return
            if element.tag == DATA_TAG:
                return
    finally:
        src.close()


def _bound_read_only_size() -> None:
    """Install ``_bounded_get_size`` (idempotent)."""
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

    if ReadOnlyWorksheet._get_size is not _bounded_get_size:
        ReadOnlyWorksheet._get_size = _bounded_get_size


_MERGE = re.compile(rb"<(?:\w+:)?mergeCell\s+ref=\"([A-Z]+[0-9]+)(?::([A-Z]+[0-9]+))?\"")


# <row r="12" ... hidden="1">: a row hidden in Excel/WPS (ECMA-376 CT_Row@hidden, xsd:boolean).
_HIDDEN_ROW = re.compile(rb'<(?:\w+:)?row\s[^>]*?\bhidden="(?:1|true)"[^>]*>')
_ROW_NUMBER = re.compile(rb'\sr="([0-9]+)"')


def hidden_rows_in(data: bytes, max_rows: int = MAX_ROWS) -> set[int]:
    """0-based numbers of the rows a sheet part's XML marks ``hidden`` (rows past ``max_rows`` left out)."""
    if b'hidden="' not in data:  # fast C scan; the regex only runs where something is hidden
        return set()
    out = set()
    for m in _HIDDEN_ROW.finditer(data):
        rm = _ROW_NUMBER.search(m.group(0))
        if rm and 0 < int(rm.group(1)) <= max_rows:
            out.add(int(rm.group(1)) - 1)
    return out


def sheet_xml_facts(path: str | Path, part: str, chunk: int = 1 << 20, parts: Parts | None = None,
                    max_rows: int = MAX_ROWS) -> tuple[list[tuple[int, int, int, int]], set[int]]:
    """Merged ranges and hidden rows (0-based) of one sheet part, by streaming its XML (for
    read-only loading, which gives neither).

    ``<mergeCells>`` comes after ``<sheetData>``, so the whole part is inflated — in chunks, never
    more than its declared size (checked by safety.preflight) — and scanned with regexes; or the
    bytes preflight kept (``parts``) are scanned.
    """
    from .grid import parse_a1

    out: list[tuple[int, int, int, int]] = []
    hidden: set[int] = set()
    tail = b""
    with Package(path, parts) as pkg, pkg.open(part.lstrip("/")) as f:
        while True:
            data = f.read(chunk)
            if not data:
                break
            buf = tail + data
            hidden |= hidden_rows_in(buf, max_rows)     # a row tag cut by the chunk end is whole in the next buf
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
    return out, hidden


def merged_from_sheet_xml(path: str | Path, part: str, chunk: int = 1 << 20,
                          parts: Parts | None = None) -> list[tuple[int, int, int, int]]:
    """Merged ranges of one sheet part, by streaming its XML (see ``sheet_xml_facts``)."""
    return sheet_xml_facts(path, part, chunk, parts)[0]


_NO_VALUE_FORMULA = re.compile(
    rb'<c\s[^>]*?\br="([A-Z]+[0-9]+)"[^>]*>\s*<f\b[^>]*?(?:/>|>([^<]*)</f>)\s*(?:<v\s*/>|<v>\s*</v>)?\s*</c>')


def uncalculated_formulas(path: str | Path, part: str, parts: Parts | None = None) -> dict[tuple[int, int], str]:
    """Formula cells that carry no cached result ((r, c) 0-based → formula text): a file written by a
    program (or exported by a system) and never calculated by Excel/WPS. ``data_only`` reading gives
    them as blank, so the reader says so instead of reading a blank 得分."""
    from .grid import parse_a1

    with Package(path, parts) as pkg:
        data = pkg.read(part.lstrip("/"))
    if b"<f" not in data:
        return {}
    return {parse_a1(m.group(1).decode()): "=" + (m.group(2) or b"").decode("utf-8", "replace")
            for m in _NO_VALUE_FORMULA.finditer(data)}


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


def percent_cells(path: str | Path, max_rows: int = MAX_ROWS,
                  parts: Parts | None = None) -> dict[str, dict[tuple[int, int], str]]:
    """Cells shown as percent in an .xlsx, by sheet name: {(r, c): format} (0-based).

    python-calamine gives values without formats, so 95% typed in a cell arrives as 0.95; this
    reads styles.xml (numFmt ids 9/10 and custom codes with %) and the ``s`` attribute of each
    cell, so calamine grids show "95%" exactly as openpyxl's do.
    """
    with Package(path, parts) as pkg:
        return _percent_cells(pkg, max_rows)


def _sheet_parts(pkg: Package) -> list[tuple[str, str]]:
    """(sheet name, part name) of each sheet of a zip workbook whose part is in the package."""
    if "xl/workbook.xml" not in pkg:
        return []
    rels_name = "xl/_rels/workbook.xml.rels"
    targets = _rel_targets(pkg.read(rels_name)) if rels_name in pkg else {}
    out = []
    for name, rid in _workbook_facts(pkg.read("xl/workbook.xml"))[1]:
        target = targets.get(rid, "")
        part = target.lstrip("/") if target.startswith("/") else "xl/" + target
        if part in pkg:
            out.append((name, part))
    return out


def _hidden_rows(pkg: Package, max_rows: int) -> dict[str, set[int]]:
    """Sheet name → hidden rows (0-based), from the ``<row hidden="1">`` tags of each sheet part."""
    out = {}
    for name, part in _sheet_parts(pkg):
        rows = hidden_rows_in(pkg.read(part), max_rows)
        if rows:
            out[name] = rows
    return out


def _percent_cells(pkg: Package, max_rows: int) -> dict[str, dict[tuple[int, int], str]]:
    from .grid import parse_a1

    out: dict[str, dict[tuple[int, int], str]] = {}
    if "xl/styles.xml" not in pkg or "xl/workbook.xml" not in pkg:
        return out
    pct = _percent_styles(pkg.read("xl/styles.xml"))
    if not pct:
        return out
    for name, part in _sheet_parts(pkg):
        cells: dict[tuple[int, int], str] = {}
        for m in _CELL.finditer(pkg.read(part)):
            attrs = m.group(1)
            sm = _ATTR_S.search(attrs)
            if sm and int(sm.group(1)) in pct:
                rm = _ATTR_R.search(attrs)
                if rm:
                    r, c = parse_a1((rm.group(1) + rm.group(2)).decode())
                    if r < max_rows:
                        cells[(r, c)] = pct[int(sm.group(1))]
        out[name] = cells
    return out


# python-calamine builds each sheet as a dense rectangle from the first to the last cell, and
# aborts the whole process (SIGABRT, no Python exception) when that cannot be allocated: one value
# in XFD1048576 asks for 531 GB. Zip workbooks whose cells span more than this go to openpyxl
# (streamed, row cap); calamine itself runs in a child process unless this one is the isolation.
CALAMINE_MAX_CELLS = 4_000_000
_CELL_REF = re.compile(rb'<(?:\w+:)?c\s[^>]*?\br="([A-Z]{1,3})([0-9]{1,7})"')
_CELL_TAG = re.compile(rb"<(?:\w+:)?c[\s>/]")


def sheet_cell_span(data: bytes) -> int | None:
    """Cells of the rectangle from the first to the last cell reference of a sheet part's XML
    (what calamine allocates), or None when some cell carries no reference (position implied)."""
    from .grid import parse_a1

    refs = _CELL_REF.findall(data)
    if len(refs) != len(_CELL_TAG.findall(data)):
        return None
    if not refs:
        return 0
    rows = [int(r) for _, r in refs]
    cols = [parse_a1(c.decode() + "1")[1] for c in {c for c, _ in refs}]
    return (max(rows) - min(rows) + 1) * (max(cols) - min(cols) + 1)


def calamine_fits(path: str | Path, parts: Parts | None = None) -> bool:
    """Every sheet of a zip workbook spans at most CALAMINE_MAX_CELLS cells (see above)."""
    try:
        with Package(path, parts) as pkg:
            for _name, part in _sheet_parts(pkg):
                span = sheet_cell_span(pkg.read(part))
                if span is None or span > CALAMINE_MAX_CELLS:
                    return False
    except Exception:  # noqa: BLE001 - a part that cannot be read: let openpyxl report it
        return False
    return True


# Loading a whole workbook (openpyxl normal mode: writing a marked copy, pressing a button headless)
# costs memory by the sheet XML's size and time by its used range: a million-row sheet took 1.77 GB
# and 133 s, one value in XFD1048576 made the used range 17 billion cells (20 GB). Past these caps
# the copy is refused with the reason; reading (streamed, row cap) still works.
FULL_LOAD_MAX_CELLS = 2_000_000
FULL_LOAD_MAX_SHEET_BYTES = 8 * 1024 * 1024


def check_full_load(path: str | Path, what: str = "生成副本") -> None:
    """Refuse (ReadError, Chinese, naming the sheet) to load ``path`` whole when a sheet is too large
    for that: safety.preflight first, then each sheet part's size and used range (cell span)."""
    from .safety import preflight

    info = preflight(path)
    if info.kind not in ("xlsx", "xlsm"):
        return
    with Package(path, info.parts) as pkg:
        try:
            sheets = _sheet_parts(pkg)
        except Exception:  # noqa: BLE001 - workbook.xml unreadable: openpyxl will say so
            return
        for name, part in sheets:
            size = info.sheet_sizes.get(part, 0)
            if size > FULL_LOAD_MAX_SHEET_BYTES:
                raise ReadError(f"工作表“{name}”过大（{size / 2**20:.0f} MB），无法{what}（上限 "
                                f"{FULL_LOAD_MAX_SHEET_BYTES // 2**20} MB）；读取、校验和计分不受影响（不加 -o 即可）",
                                file=str(path))
            data = pkg.read(part)
            span = sheet_cell_span(data)
            if span is not None and span > FULL_LOAD_MAX_CELLS:
                refs = _CELL_REF.findall(data)
                last = max(refs, key=lambda rc: (int(rc[1]), len(rc[0]), rc[0]))
                far = (last[0] + last[1]).decode()
                raise ReadError(f"工作表“{name}”的已用区域过大（直到 {far}，约 {span:,} 个单元格），无法{what}；"
                                "可能是远处单元格中误输入了内容，请在 Excel 中清除该单元格（或删除表格以外多余的行和列）后再试",
                                file=str(path), cell=f"{name}!{far}")


def load_calamine(path: str | Path, max_rows: int = MAX_ROWS, parts: Parts | None = None) -> Book:
    """Grids through python-calamine (.xlsx/.xlsm/.xls/.ods); merged ranges from its API.
    ``parts``: what ``safety.preflight`` kept of a zip (``FileInfo.parts``). Runs in a child
    process (``safety.isolated``) unless this process is the isolation (a consolidation worker):
    a file that makes calamine abort is then a ReadError, not the end of the command."""
    from .safety import isolated

    return isolated(_load_calamine, path, max_rows, parts, label=str(path))


def _load_calamine(path: str | Path, max_rows: int = MAX_ROWS, parts: Parts | None = None) -> Book:
    from python_calamine import CalamineWorkbook

    try:
        wb = CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # noqa: BLE001
        # calamine goes by the extension; from an open file it looks at the content (an .xls
        # renamed .xlsx, a WPS .et) — tried only when the extension misled it.
        try:
            with open(path, "rb") as fh:
                wb = CalamineWorkbook.from_filelike(fh)
        except Exception:  # noqa: BLE001
            raise explain_load_error(exc, path, parts) from None
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
        raise explain_load_error(exc, path, parts) from None
    finally:
        wb.close()
    if parts is not None or zipfile.is_zipfile(path):
        with Package(path, parts) as pkg:
            book.defined_names = _defined_names(pkg)
            try:
                formats = _percent_cells(pkg, max_rows)
            except Exception:  # noqa: BLE001 - formats are a nicety: values stay as calamine read them
                formats = {}
            # calamine does not say which rows are hidden: the sheet XML does (zip workbooks only;
            # an .xls/.ods reads with every row).
            try:
                hidden = _hidden_rows(pkg, max_rows)
            except Exception:  # noqa: BLE001 - a broken part: read every row, as before
                hidden = {}
        for g in book.grids:
            cells = formats.get(g.name)
            if cells:
                g.number_formats = {k: v for k, v in cells.items() if isinstance(g.value(*k), (int, float))}
            g.hidden_rows = hidden.get(g.name, set())
    return book


def _check_sheet_parts(path: str | Path, parts: Parts | None) -> None:
    """Every sheet xl/workbook.xml declares has its part: openpyxl skips a missing one silently
    (its data gone without a word), calamine refuses the file — both now say which sheet."""
    try:
        with Package(path, parts) as pkg:
            if "xl/workbook.xml" not in pkg or "xl/_rels/workbook.xml.rels" not in pkg:
                return
            targets = _rel_targets(pkg.read("xl/_rels/workbook.xml.rels"))
            declared = _workbook_facts(pkg.read("xl/workbook.xml"))[1]
            missing = []
            for name, rid in declared:
                target = targets.get(rid, "")
                part = target.lstrip("/") if target.startswith("/") else "xl/" + target
                if target and part not in pkg:
                    missing.append((name, part))
    except Exception:  # noqa: BLE001 - unreadable workbook parts: the loader reports them
        return
    if missing:
        name, part = missing[0]
        raise ReadError(f"工作表“{name}”的内容（部件 {part}）不存在，文件不完整（可能是拷贝或压缩时损坏）；"
                        "请让报送单位重新发送", file=str(path))


def load_book(path: str | Path, engine: str = "auto", max_rows: int = MAX_ROWS, kind: str | None = None,
              big: bool = False, parts: Parts | None = None) -> Book:
    """Load with the chosen engine: ``openpyxl``, ``calamine`` or ``auto`` (openpyxl for .xlsx/.xlsm,
    calamine for .xls/.ods). ``kind`` is what ``safety.preflight`` found ("xlsx", "xls", "ods");
    openpyxl streams rows (read-only) and stops at ``max_rows``: bounded time even for a huge sheet,
    where calamine and openpyxl's normal mode parse the whole sheet first. ``big`` (a very large
    sheet part, from preflight) makes ``auto`` prefer openpyxl even for engines that would not.
    ``parts``: the part bytes preflight kept (``FileInfo.parts``), so the zip is not read again."""
    kind = kind or Path(path).suffix.lower().lstrip(".")
    if kind in ("docx", "doc", "odt", "pdf"):    # Word/PDF reports: tables as grids plus the narrative
        from .docx_loader import load_document

        return load_document(path, kind=kind, parts=parts, max_rows=max_rows)
    if kind in ("xlsx", "xlsm"):
        _check_sheet_parts(path, parts)
    if engine == "auto" or (big and engine == "calamine" and kind in ("xlsx", "xlsm")):
        engine = "openpyxl" if kind in ("xlsx", "xlsm") else "calamine"
    if engine == "calamine" and kind in ("xlsx", "xlsm") and not calamine_fits(path, parts):
        engine = "openpyxl"         # a sheet calamine would allocate densely (XFD1048576): stream it
    if engine == "openpyxl":
        if kind in ("xls", "ods"):
            raise ReadError("openpyxl 不能读取 .xls/.ods 文件，请使用 calamine 引擎", file=str(path))
        return load_openpyxl(path, max_rows=max_rows, read_only=True, parts=parts)
    if engine == "calamine":
        return load_calamine(path, max_rows=max_rows, parts=parts)
    raise ReadError(f"未知的读取引擎：{engine}（可用：auto、openpyxl、calamine）", file=str(path))
