"""Word reports built the way units produce them: python-docx paragraphs and tables, merged cells
made with Word's own mechanism (``cell.merge`` writes ``w:gridSpan`` / ``w:vMerge`` as Word does).

Sources are small text files in ``tests/fixtures/reports/`` (each names the published report it
rebuilds). Markup: a line starting with ``|`` is a table row (consecutive rows form one table);
cell ``^`` is merged with the cell above, ``<`` with the cell to the left; ``\\n`` inside a cell
is a new paragraph in that cell; ``# `` starts a heading; ``//`` lines are comments; every other
non-empty line is a paragraph.
"""

from __future__ import annotations

from pathlib import Path

REPORTS = Path(__file__).parent / "fixtures" / "reports"


def parse(text: str) -> list[tuple[str, object]]:
    """[("p", text) | ("h", text) | ("table", rows)] in document order."""
    blocks: list[tuple[str, object]] = []
    table: list[list[str]] | None = None
    for line in text.splitlines():
        if line.startswith("|"):
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if table is None:
                table = []
                blocks.append(("table", table))
            table.append(cells)
            continue
        table = None
        s = line.strip()
        if not s or s.startswith("//"):
            continue
        blocks.append(("h", s[2:].strip()) if s.startswith("# ") else ("p", s))
    return blocks


def _fill(cell, text: str) -> None:
    parts = text.split("\\n")
    cell.text = parts[0]
    for extra in parts[1:]:
        cell.add_paragraph(extra)


def add_table(doc, rows: list[list[str]]):
    """A bordered table with the merges the markup asks for."""
    n = max(len(r) for r in rows)
    rows = [r + [""] * (n - len(r)) for r in rows]
    t = doc.add_table(rows=len(rows), cols=n)
    t.style = "Table Grid"
    for r, row in enumerate(rows):
        for c, v in enumerate(row):
            if v not in ("^", "<"):
                _fill(t.cell(r, c), v)
    for r, row in enumerate(rows):
        for c, v in enumerate(row):
            if v in ("^", "<"):
                continue
            c2 = c
            while c2 + 1 < n and row[c2 + 1] == "<":
                c2 += 1
            r2 = r
            while r2 + 1 < len(rows) and rows[r2 + 1][c] == "^":
                r2 += 1
            if (r2, c2) != (r, c):
                t.cell(r, c).merge(t.cell(r2, c2))
    return t


def build(source: str | Path, out: str | Path) -> Path:
    """Write the .docx for a markup file (a name in tests/fixtures/reports or a path) or text."""
    from docx import Document

    path = REPORTS / f"{source}.txt" if isinstance(source, str) and "\n" not in source and not str(source).endswith(".txt") else None
    text = source if isinstance(source, str) and "\n" in source else Path(path or source).read_text(encoding="utf-8")
    doc = Document()
    for kind, value in parse(text):
        if kind == "table":
            add_table(doc, value)
        elif kind == "h":
            doc.add_heading(value, level=1)
        else:
            doc.add_paragraph(value)
    if doc.element.body[-2].tag.endswith("}tbl"):
        doc.add_paragraph()       # Word always ends a document with a paragraph, also after a table
    out = Path(out)
    doc.save(out)
    return out
