"""A sheet as a grid of values plus merged ranges (DESIGN.md idea 4: a grid, not a file).

Loaders (openpyxl, python-calamine, xlwings) all produce a ``Grid``; the layout readers only
ever see grids, so the same code reads a file on disk and the workbook open in Excel.
Rows and columns are 0-based here; ``ref(r, c)`` gives the A1 reference users see.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any


def col_letter(c: int) -> str:
    """0-based column index → Excel letters (0 → A, 26 → AA)."""
    s = ""
    c += 1
    while c:
        c, rem = divmod(c - 1, 26)
        s = chr(65 + rem) + s
    return s


def a1(r: int, c: int) -> str:
    """0-based (row, col) → 'A1'."""
    return f"{col_letter(c)}{r + 1}"


def parse_a1(ref: str) -> tuple[int, int]:
    """'B12' → (11, 1), 0-based. Accepts '$B$12'."""
    ref = ref.replace("$", "").upper()
    i = 0
    while i < len(ref) and ref[i].isalpha():
        i += 1
    col = 0
    for ch in ref[:i]:
        col = col * 26 + (ord(ch) - 64)
    return int(ref[i:]) - 1, col - 1


def split_ref(ref: str) -> tuple[str, str]:
    """"'Sheet 1'!B3" → ("Sheet 1", "B3"); the inverse of ``Grid.ref``."""
    sheet, _, cell = ref.rpartition("!")
    if sheet.startswith("'") and sheet.endswith("'"):
        sheet = sheet[1:-1].replace("''", "'")
    return sheet, cell.replace("$", "")


FORMULA_START = ("=", "+", "-", "@")


def keep_text(cell: Any) -> Any:
    """An openpyxl cell whose text Excel would take for a formula (= + - @ first) stays text: a
    string cell with the quote prefix. Text from users' files and data is never a live formula
    (formula injection)."""
    if isinstance(cell.value, str) and cell.value.startswith(FORMULA_START):
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


MAX_CELL_TEXT = 32767          # characters Excel keeps in a cell or a comment
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]")   # not allowed in XML 1.0 / UTF-8
_CUT = "……（超出 Excel 单元格 32,767 字的部分已略去）"


def clean_text(value: object, limit: int = MAX_CELL_TEXT) -> str:
    """Text safe to store in a cell or comment: the control characters an .xls may hold (XML 1.0
    forbids them: openpyxl raised IllegalCharacterError) and lone surrogates removed, at most
    ``limit`` characters, a cut said so at the end."""
    text = _ILLEGAL.sub("", str(value))
    return text if len(text) <= limit else text[: limit - len(_CUT)] + _CUT


def plain_value(v: Any) -> Any:
    """A value as a spreadsheet cell takes it: Decimal → float, a list (e.g. a finding's range of
    expected values) → "a–b" text, text cleaned (``clean_text``)."""
    from decimal import Decimal

    if isinstance(v, Decimal):
        return float(v)
    if isinstance(v, (list, tuple)):
        return "–".join(str(plain_value(x)) for x in v)
    if isinstance(v, str):
        return clean_text(v)
    return v


@dataclass
class Grid:
    """Cell values of one sheet (row-major lists) and its merged ranges (r1, c1, r2, c2 inclusive)."""

    name: str
    rows: list[list[Any]]
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)
    # Optional extras a loader may fill: number formats by (r, c), formulas by (r, c).
    number_formats: dict[tuple[int, int], str] = field(default_factory=dict)
    formulas: dict[tuple[int, int], str] = field(default_factory=dict)
    # Rows hidden in the sheet (0-based): clerks hide old indicator rows instead of deleting them.
    hidden_rows: set[int] = field(default_factory=set)

    @property
    def nrows(self) -> int:
        return len(self.rows)

    @property
    def ncols(self) -> int:
        return max((len(r) for r in self.rows), default=0)

    def value(self, r: int, c: int) -> Any:
        """Raw value at (r, c), None outside the grid."""
        if 0 <= r < len(self.rows) and 0 <= c < len(self.rows[r]):
            v = self.rows[r][c]
            return None if v == "" else v
        return None

    def merged_value(self, r: int, c: int) -> Any:
        """Value at (r, c), taking the top-left value when the cell lies inside a merged range."""
        for r1, c1, r2, c2 in self.merged:
            if r1 <= r <= r2 and c1 <= c <= c2:
                return self.value(r1, c1)
        return self.value(r, c)

    def ref(self, r: int, c: int) -> str:
        """'Sheet!A1' for (r, c)."""
        name = self.name
        if any(ch in name for ch in " -!'()（）"):
            name = "'" + name.replace("'", "''") + "'"
        return f"{name}!{a1(r, c)}"
