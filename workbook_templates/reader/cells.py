"""Reading one cell of a grid: label normalisation and synonym lookup, the text a cell shows, numbers
and points (unreadable → a finding), merged ranges and ``Sheet!A1`` references."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from typing import Any

from udfs import InputError
from udfs.numbers import to_decimal
from udfs.parse import parse_quantity

from ..grid import Grid, col_letter
from ..model import Evaluation, Finding

_BRACKET_TAIL = re.compile(r"[（(][^（）()]*[)）]$")
_SPACE = re.compile(r"\s+")
_LINE_BREAK = re.compile(r"\s*\n\s*")
_NORM_CACHE_LEN = 256   # texts longer than this (prose) are normalised without caching

_PERCENT_POINTS = Decimal(2)   # a 执行率 of this or more is percent points typed without '%' (95.1 = 95.1%)


def _rate(v: Decimal | None) -> Decimal | None:
    """A stated 预算执行率 as a ratio: 95.1 typed in a 执行率/完成率 cell means 95.1% (no execution
    rate is 200% or more, so 2 is 2%), a 0.951 shown as 95.10% is already a ratio."""
    return v / 100 if v is not None and abs(v) >= _PERCENT_POINTS else v


def norm(v: Any) -> str:
    """Header text for matching: NFKC, no spaces/line breaks, no trailing bracket like （万元）.

    Pure, so cached: a sheet repeats the same labels, and every table finder normalises them."""
    if v is None:
        return ""
    s = v if isinstance(v, str) else str(v)
    return _norm_text(s) if len(s) <= _NORM_CACHE_LEN else _norm_uncached(s)


def _norm_uncached(s: str) -> str:
    s = unicodedata.normalize("NFKC", s)
    s = _SPACE.sub("", s)
    s = s.rstrip(":：")
    prev = None
    while prev != s:
        prev = s
        s = _BRACKET_TAIL.sub("", s) if len(s) > 2 else s
    return s


_norm_text = lru_cache(maxsize=16384)(_norm_uncached)

_MARKER = re.compile(r"\([A-Za-z](?:[/÷][A-Za-z])?\)")        # (A) (B) (B/A), ASCII after NFKC
_UNIT_TAIL = re.compile(r"(?:/|单位:?)(?:万元|亿元|元)$")          # "全年预算数/万元"
_REQUIRED_MARK = "*※★☆"                                         # "*项目名称"


def label_key(text: str) -> str:
    """A normalised header (``norm``) as synonyms are compared: without (A)/(B)/(B/A) markers, a
    leading required-field mark, a trailing "/万元", and "…指标值" read as "…值" (实际完成指标值 =
    实际完成值). Synonym lists are keyed the same way, so one list covers all the spellings."""
    if "(" in text or "/" in text or "单位" in text or "指标值" in text or text[:1] in _REQUIRED_MARK:
        return _label_key(text)
    return text        # most texts (names, values) have none of these: no cache entry, no regex


@lru_cache(maxsize=16384)
def _label_key(text: str) -> str:
    s = _MARKER.sub("", text.lstrip(_REQUIRED_MARK))
    s = _UNIT_TAIL.sub("", s) if len(s) > 3 else s
    return s.replace("指标值", "值") if len(s) > 3 else s


# Synonym table → {synonym key: field} (first field listing a synonym wins, as in a scan in order).
# Tables are the dicts of ``headers()``, complete once loaded and never changed; the table itself
# is kept so its id stays its own.
_REVERSE: dict[int, tuple[dict[str, list[str]], dict[str, str]]] = {}


def _reverse(table: dict[str, list[str]]) -> dict[str, str]:
    hit = _REVERSE.get(id(table))
    if hit is None or hit[0] is not table:
        rev: dict[str, str] = {}
        for fld, syns in table.items():
            for syn in syns:
                rev.setdefault(label_key(syn), fld)
        if len(_REVERSE) > 64:
            _REVERSE.clear()
        _REVERSE[id(table)] = hit = (table, rev)
    return hit[1]


@lru_cache(maxsize=16384)
def _key(text: str) -> str:
    """``label_key(norm(text))`` of a cell's text, cached: for scans that look up every cell."""
    return label_key(norm(text))


def _match(text: str, table: dict[str, list[str]]) -> str | None:
    """Field whose synonym equals ``text`` (already normalised), compared by ``label_key``."""
    return _reverse(table).get(label_key(text))


def cell_text(g: Grid, r: int, c: int) -> str | None:
    """A cell as text the way it is shown: numbers without float noise, percent cells as 'n%'."""
    v = g.value(r, c)
    if v is None:
        return None
    if isinstance(v, str):
        s = v.strip()
        return s or None
    if isinstance(v, bool):
        return "是" if v else "否"
    if isinstance(v, (int, float, Decimal)):
        d = excel_decimal(v)
        if "%" in g.number_formats.get((r, c), ""):
            d = d * 100
            return _fmt(d) + "%"
        return _fmt(d)
    if hasattr(v, "year") and hasattr(v, "month"):
        return v.strftime("%Y-%m-%d")
    return str(v)


def excel_decimal(v: int | float | Decimal) -> Decimal:
    """A stored number as Excel shows it: 15 significant digits (95.10000000000001 → 95.1)."""
    if isinstance(v, float):
        return Decimal(format(v, ".15g"))
    return Decimal(v)


def _fmt(d: Decimal) -> str:
    """18.0 → '18', 1.50 → '1.5' (no exponent)."""
    return format(d.normalize(), "f")


# ---------------------------------------------------------------------------------------------

_BLANK_MARKS = frozenset(("", "—", "-", "/", "——", "无"))


def _blank_mark(v: str) -> bool:
    """A text number cell left empty on purpose: blank, "—", "/", "无". Compared without spaces but
    not through ``norm``, whose bracket-tail rule would empty "(1,600.00)" — a negative amount as
    finance-system exports write it — and so read it as blank."""
    return _SPACE.sub("", unicodedata.normalize("NFKC", v)) in _BLANK_MARKS


TOO_LARGE = Decimal(10) ** 15


@dataclass
class _Ctx:
    ev: Evaluation
    file: str | None
    hidden: list[str] = field(default_factory=list)   # cells of hidden table rows skipped, in reading order

    def skip_hidden(self, g: Grid, r: int, c: int) -> bool:
        """True for a row hidden in the sheet (an old indicator a clerk hid rather than deleted):
        it is left out, and noted when it holds anything."""
        if r not in g.hidden_rows:
            return False
        if any(v is not None and v != "" for v in g.rows[r]):
            self.hidden.append(_ref(g, r, c))
        return True

    def number(self, g: Grid, r: int, c: int | None, what: str) -> Decimal | None:
        """A number cell: numbers, '95%', '１００', '10分', '1,600.00'. Unreadable → a finding; so is
        a figure of 10¹⁵ or more (past Excel's 15 significant digits no budget or score is meant)."""
        if c is None:
            return None
        v = g.value(r, c)
        if v is None or (isinstance(v, str) and _blank_mark(v)):
            return None
        if isinstance(v, (int, float, Decimal)) and not isinstance(v, bool):
            d = excel_decimal(v)
        else:
            d = self._text_number(g, r, c, v, what)
        if d is not None and not -TOO_LARGE < d < TOO_LARGE:
            self.ev.findings.append(Finding("unreadable-number", "error", _ref(g, r, c),
                                            f"{what}“{v}”数值过大（≥10¹⁵），不是可计算的金额或分值"))
            return None
        return d

    def _text_number(self, g: Grid, r: int, c: int, v: Any, what: str) -> Decimal | None:
        try:
            return to_decimal(v, what)
        except InputError:
            pass
        try:
            q = parse_quantity(str(v))
        except InputError:
            q = None
        if q is not None and q.unit in ("分", "万元", "%"):   # "10分", "1600万元", "95%"
            return q.value if q.unit == "%" else q.number
        self.ev.findings.append(Finding("unreadable-number", "error", _ref(g, r, c),
                                        f"{what}“{v}”不是数值，无法读取"))
        return None

    def points(self, g: Grid, r: int, c: int | None, what: str) -> Decimal | None:
        """A 分值/得分 cell: a number of points; "20%" (权重 written as a share of the 100 points,
        typed or a percent-formatted 0.2) is 20 points."""
        if c is None:
            return None
        v = g.value(r, c)
        if isinstance(v, (int, float)) and not isinstance(v, bool) and "%" not in g.number_formats.get((r, c), ""):
            return self.number(g, r, c, what)        # a plain number: no text to look at
        text = cell_text(g, r, c)
        if text is not None:
            t = unicodedata.normalize("NFKC", text).strip()
            if t.endswith("%") and _is_number(t[:-1]):
                return to_decimal(t[:-1], what)
        return self.number(g, r, c, what)


class _GridIndex:
    """What the table finders look up in a grid, built once per grid (grids are not changed
    while read): the merged-cell index (ranges clipped to the grid's extent, so a sheet with very
    many merged ranges costs linear time, not ranges × lookups), the width, the header-candidate
    texts by row (``_row_labels``) and the 'Sheet!' prefix of references."""

    __slots__ = ("grid", "anchors", "merged_rows", "width", "labels", "prefix")

    def __init__(self, g: Grid) -> None:
        anchors: dict[tuple[int, int], tuple[int, int]] = {}
        nrows, ncols = g.nrows, g.ncols
        for r1, c1, r2, c2 in g.merged:
            for rr in range(r1, min(r2, nrows - 1) + 1):
                for cc in range(c1, min(c2, ncols - 1) + 1):
                    if (rr, cc) != (r1, c1):
                        anchors[(rr, cc)] = (r1, c1)
        self.grid, self.anchors, self.width = g, anchors, ncols
        self.merged_rows = {r for r, _ in anchors}
        self.labels: dict[int, list[tuple[int, str]]] = {}
        self.prefix = g.ref(0, 0)[:-2]          # Grid.ref's quoting of the sheet name, then '!'


_MERGE_CACHE: dict[int, _GridIndex] = {}


def _grid_index(g: Grid) -> _GridIndex:
    hit = _MERGE_CACHE.get(id(g))
    if hit is None or hit.grid is not g:
        if len(_MERGE_CACHE) > 64:
            _MERGE_CACHE.clear()
        _MERGE_CACHE[id(g)] = hit = _GridIndex(g)
    return hit


@lru_cache(maxsize=1024)
def _col(c: int) -> str:
    return col_letter(c)


def _ref(g: Grid, r: int, c: int) -> str:
    """``g.ref(r, c)`` ('Sheet!A1'), with the sheet part worked out once per grid."""
    return f"{_grid_index(g).prefix}{_col(c)}{r + 1}"


def merged_anchor(g: Grid, r: int, c: int) -> tuple[int, int]:
    """Top-left cell of the merged range holding (r, c), else (r, c)."""
    return _grid_index(g).anchors.get((r, c), (r, c))


def merged_value(g: Grid, r: int, c: int) -> Any:
    return g.value(*merged_anchor(g, r, c))


def _label(g: Grid, r: int, c: int | None) -> str | None:
    if c is None:
        return None
    v = merged_value(g, r, c)
    if v is None:
        return None
    return _SPACE.sub("", v) if isinstance(v, str) else str(v)


@lru_cache(maxsize=4096)
def _code(v: str) -> str:
    """行次 text: '（1）' → '(1)'."""
    return _SPACE.sub("", unicodedata.normalize("NFKC", v))

def _float(d: Decimal | None) -> float | None:
    return None if d is None else float(d)


@lru_cache(maxsize=4096)
def _is_number(s: str) -> bool:
    try:
        return to_decimal(s) is not None
    except InputError:
        return False
