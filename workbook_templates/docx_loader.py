"""Word reports as grids: each table of a 绩效自评报告 becomes a ``Grid``, the narrative is kept as
numbered paragraphs (DESIGN.md idea 4: the reader sees grids, whatever the file).

What a unit submits is usually the 绩效自评报告 in Word with the 自评表 and 预算执行情况表 pasted in
as tables. ``load_docx`` reads ``word/document.xml`` itself (the checked bytes ``safety.preflight``
kept; parsed with defusedxml, so no DTD or entity is ever expanded):

* every table (also inside content controls) → ``表1``, ``表2`` … in document order; a cell's
  paragraphs are joined with a line break and stripped (seed 001's score cells are blank lines and
  then "4"); numbers stay typed text ("95.1%", "1521.57"), which the reader parses like any cell;
* merged ranges from ``w:gridSpan`` (across) and ``w:vMerge`` (down: ``restart`` … continue cells);
  ``w:gridBefore`` shifts a row that starts to the right;
* a table nested in a cell is flattened into the cell's text (cells by spaces, rows by line breaks)
  and also given as its own grid (``表2-1``), so a 自评表 pasted into a layout cell is still found;
* body paragraphs (not those of table cells) → ``Paragraph`` numbered 1, 2 … as they are seen,
  empty ones skipped; ``narrative_grid`` gives them as the grid ``正文`` (paragraph *n* in A*n*), so
  a finding about the text has an ordinary cell reference ``正文!A23`` (“正文第23段”);
* an annotated copy's appended 校验结果 part (from ``RESULTS_MARK`` on) is not read as the report;
* tracked deletions and the fallback copies of ``mc:AlternateContent`` are left out, insertions kept;
  Strict Open XML (Word's “Strict” save) reads like the transitional dialect.

.doc (Word 97–2003) and .odt (OpenDocument text) are converted to .docx with LibreOffice headless first; a PDF with a text layer
is read best-effort with pdfplumber (tables by page layout, a notice says how reliable that is); a
scanned PDF without text is refused. ``load_document`` picks by the kind preflight found.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import ReadError
from .grid import Grid
from .loaders import MAX_COLS, MAX_ROWS, Book, Package, Parts

DOCUMENT_KINDS = ("docx", "doc", "odt", "pdf")
NARRATIVE = "正文"            # the grid name of the narrative paragraphs
RESULTS_MARK = "由 jixiao 校验："   # starts the summary line of the 校验结果 part an annotated copy appends
MAX_PDF_PAGES = 200
MAX_DOCUMENT_XML = 64 * 1024 * 1024    # word/document.xml (text and tables; pictures are other parts)
MAX_PDF_BYTES = 64 * 1024 * 1024

_NAMESPACES = ("http://schemas.openxmlformats.org/wordprocessingml/2006/main",
               "http://purl.oclc.org/ooxml/wordprocessingml/main")          # transitional, strict
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_SKIP = ("del", "moveFrom", "delText", "instrText", "txbxContent", "pPr", "rPr", "tcPr", "tblPr", "trPr",
         "tblGrid", "footnoteReference", "commentReference")


@dataclass
class Paragraph:
    """One non-empty body paragraph: its number (1-based, as counted in ``正文``), its text and how
    many tables come before it."""

    index: int
    text: str
    tables_before: int = 0


@dataclass
class Document(Book):
    """A Word/PDF report: the tables as grids (``Book.grids``) plus the narrative."""

    paragraphs: list[Paragraph] = field(default_factory=list)
    captions: dict[str, str] = field(default_factory=dict)     # grid name → the paragraph just before it
    kind: str = "docx"                                         # docx | doc | pdf
    notices: list[str] = field(default_factory=list)           # what the reader must tell about reliability
    table_pages: dict[str, int] = field(default_factory=dict)  # PDF: grid name → the page it ends on

    def narrative_grid(self) -> Grid:
        """The paragraphs as the grid ``正文``: paragraph n in cell A n."""
        return Grid(name=NARRATIVE, rows=[[p.text] for p in self.paragraphs])


def paragraph_ref(index: int) -> str:
    """'正文!A23' for paragraph 23."""
    return f"{NARRATIVE}!A{index}"


class _Names:
    """Qualified tag names of one dialect (transitional or strict)."""

    def __init__(self, ns: str) -> None:
        self.w = "{" + ns + "}"

    def __call__(self, local: str) -> str:
        return self.w + local


def _local(tag: Any) -> str:
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


def _attr(el: Any, w: _Names, name: str) -> str | None:
    if el is None:
        return None
    return el.get(w(name))


def blocks(body: Any, w: _Names) -> Iterator[Any]:
    """The paragraphs and tables of a body (or cell) in order, looking through content controls,
    custom XML and the chosen branch of alternate content. Works on ElementTree and lxml elements
    alike, so the annotated copy walks the document exactly as the loader did."""
    for child in body:
        tag = child.tag
        if tag in (w("p"), w("tbl")):
            yield child
        elif tag == w("sdt"):
            content = child.find(w("sdtContent"))
            if content is not None:
                yield from blocks(content, w)
        elif tag in (w("customXml"), w("ins"), w("moveTo")):
            yield from blocks(child, w)
        elif tag == _MC + "AlternateContent":
            choice = child.find(_MC + "Choice")
            if choice is not None:
                yield from blocks(choice, w)


def _children(el: Any, tag: str, w: _Names) -> Iterator[Any]:
    """The ``tag`` children of a table or row, also those inside content controls / custom XML."""
    for child in el:
        if child.tag == tag:
            yield child
        elif child.tag in (w("sdt"), w("customXml")):
            inner = child.find(w("sdtContent")) if child.tag == w("sdt") else child
            if inner is not None:
                yield from _children(inner, tag, w)


def rows_of(tbl: Any, w: _Names) -> Iterator[Any]:
    """The rows of a table."""
    return _children(tbl, w("tr"), w)


def cells_of(tr: Any, w: _Names) -> Iterator[Any]:
    """The cells of a row."""
    return _children(tr, w("tc"), w)


def paragraph_text(p: Any, w: _Names) -> str:
    """The visible text of a paragraph: runs' text, tabs, breaks; tracked deletions, field codes,
    text boxes and alternate-content fallbacks left out."""
    out: list[str] = []

    def walk(el: Any) -> None:
        for ch in el:
            tag = ch.tag
            if not isinstance(tag, str) or tag == _MC + "Fallback":
                continue
            local = _local(tag)
            if tag.startswith(w.w):
                if local in _SKIP:
                    continue
                if local == "t":
                    out.append(ch.text or "")
                    continue
                if local == "tab":
                    out.append("\t")
                    continue
                if local in ("br", "cr"):
                    out.append("\n")
                    continue
                if local == "noBreakHyphen":
                    out.append("-")
                    continue
            walk(ch)

    walk(p)
    return "".join(out)


def table_positions(tbl: Any, w: _Names) -> Iterator[tuple[int, int, int, Any]]:
    """(row, first grid column, span, cell element) of every cell of a table, with ``gridBefore``
    and ``gridSpan`` applied — the one walk of a table the loader and the annotator share."""
    for r, tr in enumerate(rows_of(tbl, w)):
        trpr = tr.find(w("trPr"))
        before = trpr.find(w("gridBefore")) if trpr is not None else None
        c = _int(_attr(before, w, "val"), 0)
        for tc in cells_of(tr, w):
            tcpr = tc.find(w("tcPr"))
            span = max(1, _int(_attr(tcpr.find(w("gridSpan")) if tcpr is not None else None, w, "val"), 1))
            yield r, c, span, tc
            c += span


def _int(s: str | None, default: int) -> int:
    try:
        return int(s) if s is not None else default
    except ValueError:
        return default


def _vmerge(tc: Any, w: _Names) -> str | None:
    """'restart', 'continue' or None (not vertically merged)."""
    tcpr = tc.find(w("tcPr"))
    vm = tcpr.find(w("vMerge")) if tcpr is not None else None
    if vm is None:
        return None
    return "restart" if _attr(vm, w, "val") == "restart" else "continue"


def _cell_text(tc: Any, w: _Names, nested: list[Any]) -> str:
    """A cell's paragraphs joined by line breaks; a nested table flattened into the text (and kept
    in ``nested`` to become a grid of its own)."""
    parts: list[str] = []
    for b in blocks(tc, w):
        if b.tag == w("p"):
            parts.append(paragraph_text(b, w))
        else:
            nested.append(b)
            lines = []
            for row in _table_rows(b, w)[0]:
                lines.append(" ".join(str(v) for v in row if v))
            parts.append("\n".join(x for x in lines if x))
    return "\n".join(parts).strip()


def _table_rows(tbl: Any, w: _Names, max_rows: int = MAX_ROWS
                ) -> tuple[list[list[Any]], list[tuple[int, int, int, int]], list[Any], bool]:
    """Rows of values, merged ranges, nested tables and whether rows were cut at ``max_rows``."""
    rows: list[list[Any]] = []
    merged: list[tuple[int, int, int, int]] = []
    nested: list[Any] = []
    open_v: dict[int, list[int]] = {}            # first column → [r1, c1, r2, c2] of a vertical merge
    truncated = False
    current = -1
    seen: set[int] = set()

    def close(cols: list[int]) -> None:
        for c0 in cols:
            r1, c1, r2, c2 = open_v.pop(c0)
            if r2 > r1 or c2 > c1:
                merged.append((r1, c1, r2, c2))

    for r, c, span, tc in table_positions(tbl, w):
        if r != current:
            if current >= 0:
                close([c0 for c0 in open_v if c0 not in seen])
            if r >= max_rows:
                truncated = True
                break
            current, seen = r, set()
            rows.append([])
        row = rows[-1]
        if c >= MAX_COLS:
            continue
        vm = _vmerge(tc, w)
        text = _cell_text(tc, w, nested)
        if vm == "continue" and c in open_v:
            open_v[c][2] = r
            seen.add(c)
            text = ""
        else:
            if c in open_v:
                close([c])
            if vm == "restart":
                open_v[c] = [r, c, r, c + span - 1]
                seen.add(c)
            elif span > 1:
                merged.append((r, c, r, c + span - 1))
        row.extend([None] * (c - len(row)))
        row.append(text or None)
        row.extend([None] * (span - 1))
    close(list(open_v))
    for row in rows:
        del row[MAX_COLS:]
        while row and row[-1] is None:
            row.pop()
    return rows, merged, nested, truncated


def _namespace(root: Any) -> _Names:
    ns = root.tag[1:].partition("}")[0] if isinstance(root.tag, str) and root.tag.startswith("{") else ""
    return _Names(ns if ns in _NAMESPACES else _NAMESPACES[0])


def body_of(root: Any, w: _Names) -> Any:
    body = root.find(w("body"))
    return body if body is not None else root


def load_docx(path: str | Path, parts: Parts | None = None, max_rows: int = MAX_ROWS,
              source: str | Path | None = None) -> Document:
    """Tables → grids ``表1``…, nested ones ``表1-1``…; paragraphs → ``Document.paragraphs``.
    ``parts``: the bytes preflight kept (``FileInfo.parts``)."""
    import defusedxml.ElementTree as DET

    shown = str(source or path)
    try:
        with Package(path, parts) as pkg:
            data = pkg.read("word/document.xml")
    except KeyError:
        raise ReadError("Word 文档缺少正文部件（word/document.xml），文件不完整", file=shown) from None
    except Exception as exc:  # noqa: BLE001 - a zip that broke after preflight: a Chinese reason
        raise ReadError(f"Word 文档无法读取（{type(exc).__name__}）", file=shown) from None
    if len(data) > MAX_DOCUMENT_XML:
        raise ReadError(f"Word 文档的正文部件过大（{len(data) // 2**20} MB），疑似异常文件，不予读取", file=shown)
    try:
        root = DET.fromstring(data, forbid_dtd=True)
    except Exception as exc:  # noqa: BLE001 - ParseError, DTDForbidden, EntitiesForbidden
        raise ReadError(f"Word 文档已损坏（正文 XML 无法解析：{type(exc).__name__}）", file=shown) from None
    w = _namespace(root)
    doc = Document(grids=[], engine="docx", source=shown, kind="docx")
    last = ""
    n_tables = 0
    prev: tuple[Grid, int] | None = None          # the table just before and its width, when only empty paragraphs followed it
    for b in blocks(body_of(root, w), w):
        if b.tag == w("p"):
            text = paragraph_text(b, w).strip()
            if text.startswith(RESULTS_MARK):     # our own 校验结果 of an annotated copy: not the unit's report
                if doc.paragraphs and doc.paragraphs[-1].text == "校验结果":
                    doc.paragraphs.pop()
                break
            if text:
                doc.paragraphs.append(Paragraph(len(doc.paragraphs) + 1, text, n_tables))
                last = text
                prev = None
            continue
        n_tables += 1
        name = f"表{n_tables}"
        rows, merged, nested, _ = _table_rows(b, w, max_rows)
        width = table_width(b, w)
        if prev and not nested and (skip := continuation(prev, rows, width)) is not None:
            g = prev[0]
            base = g.nrows - skip                         # Word rows never continue a cell across tables
            g.rows.extend(rows[skip:])
            g.merged.extend((r1 + base, c1, r2 + base, c2) for r1, c1, r2, c2 in merged if r1 >= skip)
            doc.notices.append(f"{name}紧接在{g.name}之后、列数相同，按{g.name}的续表读取"
                               f"（{'重复的表头已略去；' if skip else ''}单元格按{g.name}的行号标注）")
            continue
        _add_table(doc, b, w, name, last, max_rows)
        prev = (doc.grids[-1], width) if not nested and doc.grids[-1].name == name else None
    return doc


_NUMBERISH = re.compile(r"^[\d０-９.,．，%％\s]+$")


def table_width(tbl: Any, w: _Names) -> int:
    """Grid columns a table spans (its widest row)."""
    return max((c + span for _, c, span, _ in table_positions(tbl, w)), default=0)


def continuation(prev: tuple[Grid, int], rows: list[list[Any]], width: int) -> int | None:
    """A Word table that continues the table just before it (split at a page or pasted in two parts):
    nothing but empty paragraphs between, the same width, and it starts either with the previous
    table's header rows repeated or with a data row (a cell that is a number). Returns how many
    leading rows repeat the header (to drop), or None when it is a table of its own."""
    g, prev_width = prev
    if not g.rows or not rows or width != prev_width:
        return None
    skip = 0
    while skip < min(len(rows), len(g.rows)) - 1 and rows[skip] == g.rows[skip]:
        skip += 1
    if skip:
        return skip
    data_row = any(isinstance(v, str) and _NUMBERISH.match(v) for v in rows[0])
    return 0 if data_row else None


def _add_table(doc: Document, tbl: Any, w: _Names, name: str, caption: str, max_rows: int) -> None:
    rows, merged, nested, truncated = _table_rows(tbl, w, max_rows)
    doc.grids.append(Grid(name=name, rows=rows, merged=merged))
    if caption:
        doc.captions[name] = caption
    if truncated:
        doc.truncated[name] = max_rows
    for k, inner in enumerate(nested, 1):
        _add_table(doc, inner, w, f"{name}-{k}", caption, max_rows)


_CONVERTED = {"doc": ("旧版 Word 文档（.doc）", "report.doc"), "odt": ("OpenDocument 文本（.odt）", "report.odt")}


def load_doc(path: str | Path, max_rows: int = MAX_ROWS, kind: str = "doc") -> Document:
    """A Word 97–2003 .doc or an OpenDocument .odt: converted to .docx by LibreOffice headless (in a
    temporary folder; the original is not touched), checked again and read as .docx."""
    from .errors import WriteError
    from .libreoffice import convert, find_soffice
    from .safety import preflight

    what, name = _CONVERTED[kind]
    if not find_soffice():
        raise ReadError(f"这是{what}，需要 LibreOffice 转换后才能读取，但本机未安装 LibreOffice；"
                        "请在 Word 或 WPS 中“另存为” .docx 后再试", file=str(path))
    with tempfile.TemporaryDirectory(prefix="jixiao-doc-") as tmp:
        src = Path(tmp) / name
        src.write_bytes(Path(path).read_bytes())
        try:
            out = convert(src, "docx:MS Word 2007 XML", tmp, timeout=120)
        except WriteError as exc:
            raise ReadError(f"{what}转换失败：{exc}；请在 Word 或 WPS 中另存为 .docx 后再试",
                            file=str(path)) from None
        info = preflight(out)
        if info.kind != "docx":
            raise ReadError(f"{what}转换后不是 Word 文档，无法读取", file=str(path))
        doc = load_docx(out, parts=info.parts, max_rows=max_rows, source=path)
    doc.kind, doc.engine = kind, "libreoffice→docx"
    doc.notices.append(f"{what}经 LibreOffice 转换为 .docx 后读取；合并单元格按转换结果识别")
    return doc


PDF_NOTICE = ("PDF 文件按版面识别表格（pdfplumber），合并单元格、跨页表格和换行的文字可能识别有误，"
              "结果仅供参考；请以 Word 原件（.docx）为准")


def load_pdf(path: str | Path, max_rows: int = MAX_ROWS) -> Document:
    """A PDF with a text layer, best-effort: each table pdfplumber finds → a grid ``第n页表k``, the
    text outside tables → paragraphs (one per line). A PDF without text (a scan) is refused."""
    p = Path(path)
    if p.stat().st_size > MAX_PDF_BYTES:
        raise ReadError(f"PDF 文件过大（超过 {MAX_PDF_BYTES // 2**20} MB），不予读取", file=str(path))
    try:
        import pdfplumber
    except ImportError:
        raise ReadError("读取 PDF 需要 pdfplumber，未安装；请改交 Word 文档（.docx）", file=str(path)) from None
    doc = Document(grids=[], engine="pdfplumber", source=str(path), kind="pdf", notices=[PDF_NOTICE])
    try:
        with pdfplumber.open(str(p)) as pdf:
            pages = pdf.pages
            if len(pages) > MAX_PDF_PAGES:
                doc.notices.append(f"PDF 共 {len(pages)} 页，只读取了前 {MAX_PDF_PAGES} 页")
            chars = 0
            for n, page in enumerate(pages[:MAX_PDF_PAGES], 1):
                tables = page.find_tables()
                boxes = [t.bbox for t in tables]

                def outside(obj: dict, boxes: list = boxes) -> bool:
                    x, y = (obj.get("x0", 0) + obj.get("x1", 0)) / 2, (obj.get("top", 0) + obj.get("bottom", 0)) / 2
                    return not any(b[0] - 1 <= x <= b[2] + 1 and b[1] - 1 <= y <= b[3] + 1 for b in boxes)

                chars += len(page.chars)
                lines = page.filter(outside).extract_text_lines()
                items = [(ln["top"], 0, ln["text"]) for ln in lines] + [(t.bbox[1], 1, t) for t in tables]
                text: list[str] = []
                k = 0
                for _top, is_table, item in sorted(items, key=lambda x: (x[0], x[1])):
                    if not is_table:
                        text.append(item)
                        continue
                    _add_pdf_text(doc, text)
                    text = []
                    k += 1
                    rows = [[_pdf_cell(v) for v in row][:MAX_COLS] for row in item.extract()[:max_rows]]
                    merged = _pdf_merged(item)
                    if k == 1 and _continues(doc, rows, n):
                        _join(doc.grids[-1], rows, merged)
                        doc.table_pages[doc.grids[-1].name] = n
                        doc.notices.append(f"第{n}页开头的表格按上一页表格的续表读取（{doc.grids[-1].name}）")
                        continue
                    name = f"第{n}页表{k}"
                    doc.grids.append(Grid(name=name, rows=rows, merged=merged))
                    doc.table_pages[name] = n
                    if doc.paragraphs:
                        doc.captions[name] = doc.paragraphs[-1].text
                _add_pdf_text(doc, text)
                page.flush_cache()
    except ReadError:
        raise
    except Exception as exc:  # noqa: BLE001 - pdfminer raises many kinds on broken/encrypted files
        low = f"{type(exc).__name__} {exc}".lower()
        if "password" in low or "encrypt" in low:
            raise ReadError("PDF 文件设置了密码（已加密），无法读取", file=str(path)) from None
        raise ReadError(f"PDF 文件已损坏或无法解析（{type(exc).__name__}）", file=str(path)) from None
    if chars == 0:
        raise ReadError("这个 PDF 没有文字层（可能是扫描件或图片），无法读取其中的表格和文字；"
                        "请提供 Word 原件（.docx）或带文字的 PDF", file=str(path))
    return doc


def _add_pdf_text(doc: Document, lines: list[str]) -> None:
    for para in _pdf_paragraphs("\n".join(lines)):
        doc.paragraphs.append(Paragraph(len(doc.paragraphs) + 1, para, len(doc.grids)))


def _pdf_paragraphs(text: str) -> list[str]:
    """Lines of a page joined back into paragraphs: a long line not ending a sentence is continued
    by the next one (a PDF breaks lines, not paragraphs — best-effort)."""
    out: list[str] = []
    joining = False
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            joining = False
            continue
        if joining and out:
            out[-1] += line
        else:
            out.append(line)
        joining = len(line) >= 20 and not line.endswith(("。", "：", ":", "；", ";", "！", "？"))
    return out


def _continues(doc: Document, rows: list[list[Any]], page: int) -> bool:
    """A page's first table continues the previous page's last table: same width, it ended on the
    previous page and no text came between (a page number aside), and it does not start with the same header row."""
    if not doc.grids or not rows:
        return False
    prev = doc.grids[-1]
    ended = doc.table_pages.get(prev.name)
    between = [p for p in doc.paragraphs if p.tables_before == len(doc.grids) and len(p.text) > 8]  # not page numbers
    return (ended == page - 1 and not between and len(rows[0]) == len(prev.rows[0])
            and rows[0] != prev.rows[0])


def _join(prev: Grid, rows: list[list[Any]], merged: list[tuple[int, int, int, int]]) -> None:
    """Append a continuation; a first row holding only the rest of a cell's text (a row cut by the
    page break: blank first column) is joined to the last row's cells."""
    first = rows[0]
    last = prev.rows[-1]
    if first and first[0] is None and all(v is None or (c < len(last) and last[c]) for c, v in enumerate(first)):
        for c, v in enumerate(first):
            if v:
                last[c] = f"{last[c]}{v}"
        rows, shift = rows[1:], 1
    else:
        shift = 0
    base = prev.nrows
    prev.rows.extend(rows)
    prev.merged.extend((r1 - shift + base, c1, r2 - shift + base, c2) for r1, c1, r2, c2 in merged
                       if r1 - shift >= 0)


def _pdf_cell(v: Any) -> Any:
    if v is None:
        return None
    s = re.sub(r"[ \t]*\n[ \t]*", "", str(v)).strip()      # PDF lines wrapped inside a cell
    return s or None


def _pdf_merged(table: Any) -> list[tuple[int, int, int, int]]:
    """Cells pdfplumber saw spanning several rows/columns: a cell bbox covering several grid lines."""
    xs = sorted({round(c[0], 1) for row in table.rows for c in row.cells if c} |
                {round(c[2], 1) for row in table.rows for c in row.cells if c})
    ys = sorted({round(c[1], 1) for row in table.rows for c in row.cells if c} |
                {round(c[3], 1) for row in table.rows for c in row.cells if c})
    out = []
    for cell in table.cells:
        c1 = _index(xs, cell[0])
        c2 = _index(xs, cell[2]) - 1
        r1 = _index(ys, cell[1])
        r2 = _index(ys, cell[3]) - 1
        if (r2 > r1 or c2 > c1) and min(r1, c1) >= 0:
            out.append((r1, c1, r2, c2))
    return out


def _index(edges: list[float], v: float) -> int:
    v = round(v, 1)
    return min(range(len(edges)), key=lambda i: abs(edges[i] - v)) if edges else -1


def load_document(path: str | Path, kind: str, parts: Parts | None = None, max_rows: int = MAX_ROWS) -> Document:
    """The loader for ``kind`` (what ``safety.preflight`` found): docx, doc, odt or pdf."""
    if kind == "docx":
        doc = load_docx(path, parts=parts, max_rows=max_rows)
        if Path(path).suffix.lower() not in (".docx", ".docm", ".dotx"):
            doc.notices.append(f"文件扩展名为 {Path(path).suffix or '（无）'}，内容是 Word 文档（.docx），按 Word 文档读取")
        return doc
    if kind in ("doc", "odt"):
        return load_doc(path, max_rows=max_rows, kind=kind)
    if kind == "pdf":
        return load_pdf(path, max_rows=max_rows)
    raise ReadError(f"不是 Word/PDF 文档（{kind}）", file=str(path))
