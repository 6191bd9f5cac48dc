"""Read a 自评表 out of any workbook: our templates (by defined names) and the published layouts.

Works on grids (DESIGN.md idea 4). Tables are found by header keywords and synonyms, which are
data (``layouts/headers.json``); a layout file (``layouts/<id>.json``) only names the markers
that identify it. Readers fill *stated* values; scoring is the pipeline's job.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from udfs import InputError
from udfs.numbers import to_decimal
from udfs.parse import parse_quantity

from .errors import ReadError
from .grid import Grid, col_letter
from .loaders import Book, load_book
from .model import BudgetRow, Evaluation, Finding, Indicator

LAYOUT_DIR = Path(__file__).with_name("layouts")
_BRACKET_TAIL = re.compile(r"[（(][^（）()]*[)）]$")
_POINTS = re.compile(r"[（(]\s*(\d+(?:\.\d+)?)\s*分\s*[)）]")
_HEADER_UNIT = re.compile(r"[（(]([^（）()\d]{1,7})[)）]\s*$")
_CODE = re.compile(r"^\(\d+\)")
_YEAR = re.compile(r"(20\d{2}|19\d{2})\s*年")
_YEAR_TITLE = re.compile(r"(20\d{2}|19\d{2})\s*年度")
_EMPTY_RUN = 30  # consecutive empty rows that end a table
_SPACE = re.compile(r"\s+")
_LINE_BREAK = re.compile(r"\s*\n\s*")
_LABEL_SEP = re.compile(r"[:：]")
_FOUR_DIGITS = re.compile(r"\d{4}")
_NORM_CACHE_LEN = 256   # texts longer than this (prose) are normalised without caching


_PERCENT_POINTS = Decimal(2)   # a 执行率 above this is percent points typed without '%' (95.1 = 95.1%)


def _rate(v: Decimal | None) -> Decimal | None:
    """A stated 预算执行率 as a ratio: 95.1 typed in a 执行率/完成率 cell means 95.1% (no execution
    rate is 200% or more), a 0.951 shown as 95.10% is already a ratio."""
    return v / 100 if v is not None and abs(v) > _PERCENT_POINTS else v


@lru_cache(maxsize=1)
def headers() -> dict[str, Any]:
    """The synonym tables: layouts/headers.json, plus the ``synonyms`` each published layout file
    adds (a new provincial layout with its own wording = one new JSON file, no code)."""
    base = json.loads((LAYOUT_DIR / "headers.json").read_text(encoding="utf-8"))
    for lay in layouts():
        for table, fields in lay.get("synonyms", {}).items():
            for fld, words in fields.items():
                known = base[table].setdefault(fld, [])
                known.extend(w for w in words if w not in known)
    return base


@lru_cache(maxsize=1)
def layouts() -> list[dict[str, Any]]:
    """Published layouts known by marker headers, most specific first."""
    out = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(LAYOUT_DIR.glob("*.json"))
           if p.name != "headers.json"]
    return sorted(out, key=lambda d: d.get("priority", 100))


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

# Synonym table → {synonym: field} (first field listing a synonym wins, as in a scan in order).
# Tables are the dicts of ``headers()``, complete once loaded and never changed; the table itself
# is kept so its id stays its own.
_REVERSE: dict[int, tuple[dict[str, list[str]], dict[str, str]]] = {}


def _reverse(table: dict[str, list[str]]) -> dict[str, str]:
    hit = _REVERSE.get(id(table))
    if hit is None or hit[0] is not table:
        rev: dict[str, str] = {}
        for fld, syns in table.items():
            for syn in syns:
                rev.setdefault(syn, fld)
        if len(_REVERSE) > 64:
            _REVERSE.clear()
        _REVERSE[id(table)] = hit = (table, rev)
    return hit[1]


def _match(text: str, table: dict[str, list[str]]) -> str | None:
    """Field whose synonym equals ``text`` (already normalised)."""
    return _reverse(table).get(text)


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


def detect_layout(grid: Grid) -> str:
    """The published layout this sheet looks like (``layouts/*.json`` markers), or "generic"."""
    texts = {norm(v) for row in grid.rows[:200] for v in row if isinstance(v, str)}
    for lay in layouts():
        if all(m in texts for m in lay["markers"]):
            return lay["id"]
    return "generic"


# ---------------------------------------------------------------------------------------------

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
        """A number cell: numbers, '95%', '１００', '10分', '1,600.00'. Unreadable → a finding."""
        if c is None:
            return None
        v = g.value(r, c)
        if v is None or (isinstance(v, str) and norm(v) in ("", "—", "-", "/", "——", "无")):
            return None
        if isinstance(v, (int, float, Decimal)) and not isinstance(v, bool):
            return excel_decimal(v)
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
        text = cell_text(g, r, c)
        if text is not None:
            t = unicodedata.normalize("NFKC", text).strip()
            if t.endswith("%") and _is_number(t[:-1]):
                return to_decimal(t[:-1], what)
        return self.number(g, r, c, what)


def _row_labels(g: Grid, r: int) -> list[tuple[int, str]]:
    """(column, normalised text) of the short text cells of row ``r`` — merged-range values
    included — that could be headers; computed once per grid row (every table finder scans rows)."""
    index = _grid_index(g)
    hit = index.labels.get(r)
    if hit is None:
        hit = []
        if r < len(g.rows):
            anchors, row = index.anchors, g.rows[r]
            if r not in index.merged_rows:
                hit = [(c, norm(v)) for c, v in enumerate(row) if isinstance(v, str) and 0 < len(v) <= 40]
            else:
                n = len(row)
                for c in range(index.width):
                    a = anchors.get((r, c))
                    v = g.value(*a) if a is not None else (row[c] if c < n else None)
                    if isinstance(v, str) and 0 < len(v) <= 40:    # headers are short; skip prose quickly
                        hit.append((c, norm(v)))
        index.labels[r] = hit
    return hit


def _header_map(g: Grid, r: int, table: dict[str, list[str]]) -> dict[str, int]:
    """Field → first column whose header text in row ``r`` is one of its synonyms. A header cell
    merged down from the row above counts in this row too (分值 spanning two header rows)."""
    cols: dict[str, int] = {}
    rev = _reverse(table)
    for c, text in _row_labels(g, r):
        fld = rev.get(text)
        if fld and fld not in cols:
            cols[fld] = c
    return cols


def find_indicator_header(g: Grid) -> tuple[int, dict[str, int]] | None:
    """First row holding a 三级指标-like and a 分值-like header → (last header row, field → column).

    A second header row under it (年度指标值 merged over 指标性质 / 指标值 / 度量单位) refines the
    columns: its fields win, and a first-row field whose column it claims for another field goes.
    """
    h = headers()
    table = h["indicator_columns"]
    for r in range(len(g.rows)):
        cols = _header_map(g, r, table)
        if all(k in cols for k in h["indicator_required"]) and len(cols) >= 3:
            sub = _header_map(g, r + 1, table) if r + 1 < len(g.rows) else {}
            name_below = g.value(r + 1, cols["name"])
            if sub and (name_below is None or _match(norm(name_below), table) == "name"):
                claimed = {c: f for f, c in sub.items()}
                cols = {f: c for f, c in cols.items() if claimed.get(c, f) == f}
                cols.update(sub)
                return r + 1, cols
            return r, cols
    return None


@lru_cache(maxsize=4096)
def _points(label: str | None) -> tuple[str | None, Decimal | None]:
    """'决  策（20分）' → ('决策', 20); labels without points unchanged."""
    if not label:
        return label, None
    m = _POINTS.search(label)
    if not m:
        return label, None
    clean = _SPACE.sub("", (label[:m.start()] + label[m.end():]).strip())
    return clean, Decimal(m.group(1))


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


def _read_indicators(ctx: _Ctx, g: Grid, hr: int, cols: dict[str, int]) -> None:
    h = headers()
    ev = ctx.ev
    placeholder = re.compile(h["placeholder_pattern"])
    prefix = re.compile(h["name_prefix_pattern"])
    footer = re.compile(h["footer_pattern"])
    subtotal = re.compile(h["subtotal_pattern"])
    stop = tuple(h["stop_labels"])
    groups: dict[str, Any] = {}
    last1 = last2 = section = None
    empty = 0
    name_c = cols["name"]
    end = hr + 1
    for r in range(hr + 1, len(g.rows)):
        end = r + 1
        row_texts = [norm(v) for v in g.rows[r][:name_c + 1] if v is not None and v != ""]
        if any(t and t.startswith(stop) for t in row_texts) and (
                _category_subtotal(g, r, cols, stop) or _indicators_follow(g, r, cols, stop)):
            ev.extra.setdefault("subtotals", []).append(
                {"label": f"{_label(g, r, cols['level1'])}{next(t for t in row_texts if t.startswith(stop))}",
                 **_subtotal_cells(ctx, g, r, cols, _points(_label(g, r, cols["level1"]) or last1)[0])})
            continue
        if any(t and t.startswith(stop) for t in row_texts):
            ev.total_score = ctx.points(g, r, cols.get("score"), "总分")
            ev.weights_total = ctx.points(g, r, cols.get("weight"), "分值合计")
            if ev.weights_total is not None:
                ev.cells["weights_total"] = _ref(g, r, cols["weight"])
            if ev.total_score is not None and cols.get("score") is not None:
                ev.cells["total_score"] = _ref(g, r, cols["score"])
            _read_grade(ev, g, r, r + 3)
            break
        if not any(g.value(r, c) is not None for c in cols.values()):
            empty += 1
            if empty >= _EMPTY_RUN:
                break
            continue
        empty = 0
        if _is_footer(g, r, cols, footer):
            break       # "注：…", "填表人：张三": the lines under the table (no 总分 row above them)
        raw_name = cell_text(g, r, name_c)
        if raw_name is None and any(g.value(r, cols[f]) is not None for f in ("weight", "score") if f in cols):
            ar, ac = merged_anchor(g, r, name_c)      # "预算执行率" merged across 一级:三级 on a row with points
            if ar == r and ac < name_c and isinstance(g.value(ar, ac), str):
                raw_name = g.value(ar, ac).strip() or None
        name_n = norm(raw_name)
        if _match(name_n, h["indicator_columns"]) == "name":
            continue  # a repeated header row
        if "level1" not in cols:
            # Tables split by section titles ("（二）项目产出情况") carry the 一级指标 in the title.
            filled = [v for v in g.rows[r] if v is not None]
            if len(filled) == 1 and isinstance(filled[0], str) and not raw_name:
                sec = next((lab for key, lab in h["section_level1"] if key in filled[0]), None)
                if sec:
                    section, last1, last2 = sec, sec, None
                    continue
            l1 = section
        else:
            l1 = _label(g, r, cols.get("level1")) or last1
        l2 = _label(g, r, cols.get("level2")) or (last2 if l1 == last1 else None)
        if l1 != last1 and _label(g, r, cols.get("level2")) is None:
            l2 = None
        last1, last2 = l1, l2
        if ctx.skip_hidden(g, r, name_c):
            continue    # after the 一级/二级 carry-over: a hidden row may hold the category's label
        if not raw_name or placeholder.match(name_n):
            continue
        name = _LINE_BREAK.sub("", prefix.sub("", raw_name)).strip()   # line breaks typed with Alt+Enter
        if not name:
            continue
        if subtotal.search(name_n):
            # "产出指标小计": a category subtotal, not an indicator (kept for reference)
            ev.extra.setdefault("subtotals", []).append(
                {"label": name, **_subtotal_cells(ctx, g, r, cols, _points(l1)[0])})
            continue
        l1c, l1pts = _points(l1)
        l2c, l2pts = _points(l2)
        name_c_, name_pts = _points(name)
        if l1pts is not None:
            groups.setdefault(l1c, {"weight": l1pts, "level2": {}})
            if l2pts is not None:
                groups[l1c]["level2"][l2c] = l2pts
        # The 预算执行率 line is the budget part — unless it sits under 产出/效益/满意度, where a
        # unit may have set it as an ordinary indicator (e.g. a 时效指标).
        in_outputs = any(k in (l1c or "") for k in h["performance_level1"])
        is_budget = not in_outputs and (any(s in norm(name_c_) for s in h["budget_indicator_names"])
                                        or any(s in (l1c or "") for s in h["budget_indicator_level"]))
        weight = ctx.points(g, r, cols.get("weight"), "分值") if "weight" in cols else None
        if weight is None and name_pts is not None:
            weight = name_pts
        score = ctx.points(g, r, cols.get("score"), "得分")
        completion = ctx.number(g, r, cols.get("completion"), "完成率")
        reason = cell_text(g, r, cols["reason"]) if "reason" in cols else None
        ref = {f: _ref(g, r, c) for f, c in cols.items() if f not in ("level1", "level2")}
        if is_budget and ev.budget.weight is not None:
            # 预算执行率 is already weighted in the funds block: a second weighted line is the
            # sheet's own duplication — not an indicator; say where it is.
            ev.extra["budget_indicator_cell"] = _ref(g, r, name_c)
            ev.findings.append(Finding("duplicate-budget-row", "warning", _ref(g, r, name_c),
                                       "预算执行率已在“项目资金”部分计分，指标表中又列了一行，未计入指标"))
            continue
        if is_budget and ev.budget.weight is None:
            b = ev.budget
            b.weight, b.score = weight, score
            actual_rate = None
            actual_txt = cell_text(g, r, cols.get("actual")) if "actual" in cols else None
            if actual_txt:
                try:
                    q = parse_quantity(actual_txt)
                    actual_rate = q.value if q is not None and q.is_percent else None
                except InputError:
                    actual_rate = None
            rate = _rate(completion) if completion is not None else actual_rate
            if rate is not None:
                b.rate = rate
            b.reason = b.reason or reason
            for f, key in (("weight", "weight"), ("score", "score"), ("completion", "rate"), ("reason", "reason")):
                if f in cols:
                    b.cells[key] = _ref(g, r, cols[f])
            if "rate" not in b.cells and "actual" in cols:
                b.cells["rate"] = _ref(g, r, cols["actual"])
            ev.extra.setdefault("budget_indicator_cell", _ref(g, r, name_c))
            ev.extra.setdefault("budget_level1", l1c)
            continue
        ind = Indicator(level1=l1c, level2=l2c, name=name_c_, weight=weight, score=score,
                        completion_stated=completion, reason=reason, cell=_ref(g, r, name_c), cells=ref)
        target = cell_text(g, r, cols["target"]) if "target" in cols else None
        actual = cell_text(g, r, cols["actual"]) if "actual" in cols else None
        unit = cell_text(g, r, cols["unit"]) if "unit" in cols else None
        nature = cell_text(g, r, cols["nature"]) if "nature" in cols else None
        if nature:
            direction = h["nature_directions"].get(norm(nature))
            if direction is None:
                ev.findings.append(Finding("unknown-nature", "warning", _ref(g, r, cols["nature"]),
                                           f"指标性质“{nature}”无法识别（可用：≥ ≤ = 区间 定性）"))
            ind.direction = direction
            sign = _SIGNS.get(norm(nature), "")
            if target is not None and direction not in ("定性", None) and _is_number(target):
                target = f"{sign}{_with_unit(target, unit)}"
        elif target is not None:
            target = _with_unit(target, unit)
        if actual is not None:
            actual = _with_unit(actual, unit)
        ind.target, ind.actual, ind.unit = target, actual, unit
        m = _HEADER_UNIT.search(name_c_ or "")
        if m and ("/" in m.group(1) or len(m.group(1)) <= 3):
            ind.header_unit = m.group(1)
        if "explain" in cols or "note" in cols:
            ind_extra = {k: cell_text(g, r, cols[k]) for k in ("explain", "note") if k in cols}
            ev.extra.setdefault("indicator_notes", {})[ind.cell] = ind_extra
        ev.indicators.append(ind)
    if groups:
        ev.extra["groups"] = {k: {"weight": float(v["weight"]),
                                  "level2": {a: float(b) for a, b in v["level2"].items()}}
                              for k, v in groups.items()}
    ev.extra["table_end_row"] = end


_SIGNS = {"≥": "≥", "≤": "≤", "=": "=", ">": ">", "<": "<", ">=": "≥", "<=": "≤", "≧": "≥", "≦": "≤"}


def _with_unit(text: str, unit: str | None) -> str:
    """A number from the 指标值/实际值 column with the 度量单位 column's unit: 18 + 万人 → '18万人';
    '95%' under unit % stays '95%' (the unit already written in the cell)."""
    if not unit or not _is_number(text):
        return text
    if unicodedata.normalize("NFKC", text).strip().endswith(unicodedata.normalize("NFKC", unit).strip()):
        return text
    return f"{text}{unit}"


def _subtotal_cells(ctx: _Ctx, g: Grid, r: int, cols: dict[str, int], level1: str | None) -> dict[str, Any]:
    """A category subtotal row's figures for ``extra["subtotals"]``: cell (三级指标 column),
    weight/score (floats or None), their cells, and the 一级指标 it sits under (as Indicator.level1)."""
    w, s = cols.get("weight"), cols.get("score")
    return {"cell": _ref(g, r, cols["name"]),
            "weight": _float(ctx.points(g, r, w, "分值")),
            "score": _float(ctx.points(g, r, s, "得分")),
            "weight_cell": _ref(g, r, w) if w is not None else None,
            "score_cell": _ref(g, r, s) if s is not None else None,
            "level1": level1}


def _category_subtotal(g: Grid, r: int, cols: dict[str, int], stop: tuple[str, ...]) -> bool:
    """A 合计/小计 row inside one 一级指标 (its label right of the 一级 column, the 一级 cell merged
    down from the category above, e.g. 产出指标 over its rows and their 合计) — not the table's 总分."""
    l1 = cols.get("level1")
    if l1 is None:
        return False
    if any(isinstance(v, str) and norm(v).startswith(stop) for v in g.rows[r][:l1 + 1]):
        return False                # the label sits in (or left of) the 一级 column: the table's total
    ar, ac = merged_anchor(g, r, l1)
    if ar == r:
        return False
    top = g.value(ar, ac)
    return isinstance(top, str) and bool(norm(top)) and not norm(top).startswith(stop)


def _indicators_follow(g: Grid, r: int, cols: dict[str, int], stop: tuple[str, ...], window: int = 60) -> bool:
    """A 合计 row with indicator rows (a name and 分值) under it before any other 合计/总分 row: a
    category subtotal whose 一级 cell is blank rather than merged — the table's 总分 comes last."""
    name_c, weight_c = cols["name"], cols.get("weight")
    if weight_c is None:
        return False
    for rr in range(r + 1, min(len(g.rows), r + 1 + window)):
        texts = [norm(v) for v in g.rows[rr][:name_c + 1] if isinstance(v, str) and v.strip()]
        if any(t.startswith(stop) for t in texts):
            return False
        name, weight = g.value(rr, name_c), g.value(rr, weight_c)
        if isinstance(name, str) and name.strip() and weight not in (None, "") and _is_number(str(weight).rstrip("分")):
            return True
    return False


def _float(d: Decimal | None) -> float | None:
    return None if d is None else float(d)


def _is_footer(g: Grid, r: int, cols: dict[str, int], footer: re.Pattern[str]) -> bool:
    """A row under the table: no 分值/得分 and a text starting like 注：/填表人：/联系电话：
    (``footer_pattern`` in headers.json), as units sign and annotate the printed table."""
    if any(g.value(r, cols[f]) is not None for f in ("weight", "score") if f in cols):
        return False
    return any(isinstance(v, str) and footer.match(unicodedata.normalize("NFKC", _SPACE.sub("", v)))
               for v in g.rows[r])


@lru_cache(maxsize=4096)
def _is_number(s: str) -> bool:
    try:
        return to_decimal(s) is not None
    except InputError:
        return False


# A grade legend beside the label ("优≥90　良≥80…", "90分以上为优") is not the stated grade.
_GRADE_LEGEND = re.compile(r"[≥≤<>＜＞]|以上|以下")


def _read_grade(ev: Evaluation, g: Grid, r1: int, r2: int) -> None:
    """The stated 评价等级: "评价等级：优" in one cell, or the first text right of the label."""
    labels = headers()["grade_labels"]
    for r in range(r1, min(r2 + 1, len(g.rows))):
        for c in range(len(g.rows[r])):
            raw = g.value(r, c)
            key, sep, inline = _SPACE.sub("", unicodedata.normalize("NFKC", str(raw or ""))).partition(":")
            if sep and inline and norm(key) in labels:      # "评价等级：优" in one cell
                ev.grade = inline
                ev.cells["grade"] = _ref(g, r, c)
                return
            t = norm(raw)
            if t in labels:
                for c2 in range(c + 1, len(g.rows[r])):
                    v = g.value(r, c2)
                    if isinstance(v, str) and v.strip() and norm(v) not in labels and not _GRADE_LEGEND.search(v):
                        ev.grade = v.strip()
                        ev.cells["grade"] = _ref(g, r, c2)
                        return


def _read_funds_block(ctx: _Ctx, g: Grid) -> bool:
    """项目资金（万元） block: header 年初预算数/全年预算数/全年执行数/分值/执行率/得分, rows 年度资金总额 / 其中…"""
    h = headers()
    for r in range(len(g.rows)):
        cols = _header_map(g, r, h["funds_columns"])
        if sum(k in cols for k in ("initial", "adjusted", "executed")) < 2:
            continue
        first_val = min(cols.values())
        b = ctx.ev.budget
        value_cols = [c for f, c in cols.items() if f in ("initial", "adjusted", "available", "executed")]
        found: list[tuple[int, BudgetRow]] = []
        for rr in range(r + 1, min(r + 10, len(g.rows))):
            if ctx.skip_hidden(g, rr, first_val):
                continue
            texts = [norm(g.value(rr, c)) for c in range(first_val) if isinstance(g.value(rr, c), str)]
            texts = [t for t in texts if t]
            if not texts or any(t.startswith(s) for t in texts for s in h["section_labels"]):
                break
            label = next(_SPACE.sub("", g.value(rr, c)) for c in range(first_val - 1, -1, -1)
                         if isinstance(g.value(rr, c), str) and g.value(rr, c).strip())
            lab = norm(label)
            row = BudgetRow(label=label,
                            is_total=any(lab == s or lab.startswith(s) for s in h["funds_total_labels"]),
                            is_component=lab.startswith("其中") or any(s in lab for s in h["funds_component_labels"]))
            has_number = any(isinstance(g.value(rr, c), (int, float, Decimal)) for c in value_cols)
            if not (row.is_total or row.is_component or has_number):
                break                                   # past the funds rows
            for fld, c in cols.items():
                if fld in ("initial", "adjusted", "available", "executed"):
                    col = norm(g.value(r, c))          # values keyed by the column's header text
                    row.values[col] = ctx.number(g, rr, c, f"{label}的{col}")
                    row.cells[col] = _ref(g, rr, c)
            found.append((rr, row))
        if not found:
            return False
        tr, total = next(((x, row) for x, row in found if row.is_total), found[0])
        b.rows.extend(row for _, row in found)
        for fld in ("initial", "adjusted", "available", "executed"):
            if fld in cols:
                col = norm(g.value(r, cols[fld]))
                setattr(b, fld, total.values[col])
                b.cells[fld] = total.cells[col]
        b.weight = ctx.points(g, tr, cols.get("weight"), "预算执行率分值")
        b.rate = _rate(ctx.number(g, tr, cols.get("rate"), "执行率"))
        b.score = ctx.points(g, tr, cols.get("score"), "执行得分")
        for fld in ("weight", "rate", "score"):
            if fld in cols:
                b.cells[fld] = _ref(g, tr, cols[fld])
        ctx.ev.extra["funds_sheet"] = g.name
        return True
    return False


def _read_budget_rows(ctx: _Ctx, g: Grid) -> bool:
    """预算执行情况表 with 行次 (1)…(7): rows by label, values by column; Budget from 年度总金额."""
    h = headers()
    code_c = None
    first = None
    label_c = None      # set when the rows are found by their labels (no "(1)" 行次 codes)
    for r, cells in enumerate(g.rows):
        for c, v in enumerate(cells[:6]):
            if isinstance(v, str) and _code(v) == "(1)":
                code_c, first = c, r
                break
        if code_c is not None:
            break
    if code_c is None:
        found = _budget_rows_by_label(g, h["budget_row_labels"])
        if found is None:
            return False
        first, label_c, code_c = found
    # Column labels from up to two header rows above the first data row (merged parents kept).
    labels: dict[int, str] = {}
    ncols = max(len(g.rows[x]) for x in range(max(0, first - 2), min(len(g.rows), first + 8)))
    for c in range(code_c + 1, ncols):
        child = g.value(first - 1, c) if first >= 1 else None
        parent = merged_value(g, first - 2, c) if first >= 2 else None
        if child is None and first >= 1:
            child = merged_value(g, first - 1, c)
        lab = norm(child) if child is not None else norm(parent)
        if parent is not None and child is not None and norm(child) in ("小计", "合计") :
            lab = norm(parent) + norm(child)
        if lab:
            labels[c] = lab
    value_c = next((c for c, lab in labels.items() if lab in h["budget_value_columns"]), min(labels, default=None))
    b = ctx.ev.budget
    rows_map = h["budget_row_labels"]
    for r in range(first, min(first + 12, len(g.rows))):
        if ctx.skip_hidden(g, r, code_c):
            continue
        code = g.value(r, code_c)
        if label_c is None:
            if not (isinstance(code, str) and _CODE.match(_code(code))):
                break
            label_v = next((g.value(r, c) for c in range(code_c - 1, -1, -1) if g.value(r, c) is not None), None)
        else:
            label_v = g.value(r, label_c)
            if not isinstance(label_v, str) or not label_v.strip() or \
                    not any(isinstance(g.value(r, c), (int, float, Decimal)) or
                            (isinstance(g.value(r, c), str) and _is_number(g.value(r, c))) for c in labels):
                break
            code = _plain_code(code) if code_c != label_c else None
        label = _SPACE.sub("", str(label_v)) if label_v is not None else ""
        row = BudgetRow(label=label, code=str(code).strip() if code is not None else None, is_total=False)
        for c, lab in labels.items():
            row.values[lab] = ctx.number(g, r, c, f"{label}{lab}")
            row.cells[lab] = _ref(g, r, c)
        b.rows.append(row)
        fld = _match(norm(label), rows_map)
        if fld and value_c is not None:
            val = ctx.number(g, r, value_c, label)
            if fld == "rate":
                if val is not None and ("%" in label or val > 2):
                    val = val / 100
                if b.rate is None:
                    b.rate = val
                    b.cells["rate"] = _ref(g, r, value_c)
            elif getattr(b, fld) is None:
                setattr(b, fld, val)
                b.cells[fld] = _ref(g, r, value_c)
    ctx.ev.extra["budget_sheet"] = g.name
    return bool(b.rows)


def _budget_rows_by_label(g: Grid, rows_map: dict[str, list[str]]) -> tuple[int, int, int] | None:
    """预算执行情况表 without "(1)" codes: the first row labelled 年初预算资金/全年预算资金 (first six
    columns) with numbers to its right → (row, label column, column the values follow: a 行次
    column of plain 1…7 right of the label, else the label column)."""
    for r, cells in enumerate(g.rows):
        for c, v in enumerate(cells[:6]):
            if not isinstance(v, str) or _match(norm(v), rows_map) not in ("initial", "adjusted"):
                continue
            rest = cells[c + 1:]
            if not any(isinstance(x, (int, float, Decimal)) and not isinstance(x, bool) for x in rest):
                continue
            nxt = rest[0] if rest else None
            head = merged_value(g, r - 1, c + 1) if r >= 1 else None
            is_code = norm(head) == "行次" or (isinstance(nxt, str) and _plain_code(nxt) is not None)
            return r, c, (c + 1 if is_code else c)
    return None


def _plain_code(v: Any) -> str | None:
    """行次 written 1 / '1' / '（1）' → '(1)'; None for anything else."""
    if isinstance(v, bool) or v is None:
        return None
    t = _code(str(v))
    if re.fullmatch(r"\d{1,2}", t):
        return f"({t})"
    return t if _CODE.match(t) else None


@lru_cache(maxsize=4096)
def _split_label(text: str) -> tuple[str, str]:
    """'项目名称：城乡医保（2021）' → ('项目名称', '城乡医保（2021）'), the value as written."""
    parts = _LABEL_SEP.split(text.strip(), maxsplit=1)
    return (parts[0], parts[1].strip()) if len(parts) == 2 else (parts[0], "")


def _read_project(ev: Evaluation, grids: list[Grid]) -> None:
    labels = headers()["project_labels"]
    p = ev.project
    for g in grids:
        for r in range(min(len(g.rows), 60)):
            for c, v in enumerate(g.rows[r]):
                if not isinstance(v, str) or not v:
                    continue
                key, inline = _split_label(v)
                fld = _match(norm(key), labels)
                if fld is None or getattr(p, fld) is not None:
                    continue
                value, ref = (inline or None), _ref(g, r, c)
                if value is None:
                    if fld in ("goal", "goal_actual"):
                        cands = [(r + 1, c)]
                    else:
                        cands = [(r, c2) for c2 in range(c + 1, min(c + 8, len(g.rows[r])))]
                    for rr, cc in cands:
                        x = g.value(rr, cc)
                        if x is not None and not (isinstance(x, str) and _match(norm(x), labels)):
                            value, ref = x, _ref(g, rr, cc)
                            break
                if value is None:
                    if fld not in ("goal", "goal_actual") and not p.cells.get(fld):
                        p.cells[fld] = _ref(g, r, c + 1)   # where the value belongs (left blank)
                    continue
                if fld == "year":
                    m = _FOUR_DIGITS.search(str(value))
                    if not m:
                        continue
                    p.year = int(m.group(0))
                else:
                    setattr(p, fld, str(value).strip())
                p.cells[fld] = ref
    if p.year is None:  # from a title: "（2021年度）", "2021年度项目支出绩效自评表"
        for pattern in (_YEAR_TITLE, _YEAR):
            for g in grids:
                for r in range(min(len(g.rows), 15)):
                    for c in range(len(g.rows[r])):
                        v = g.value(r, c)
                        m = pattern.search(v) if isinstance(v, str) and len(v) <= 40 else None
                        if m:
                            p.year = int(m.group(1))
                            p.cells["year"] = _ref(g, r, c)
                            return


# ---------------------------------------------------------------------------------------------

def _tables(grids: list[Grid], source: str | None, sheet: str | None) -> tuple[list[Grid], list[tuple]]:
    """Visible (non-underscore) grids and every (grid, header row, columns) holding a 自评表."""
    for g in grids:                 # indexes of an earlier read of a grid changed since
        if (hit := _MERGE_CACHE.get(id(g))) is not None and hit.grid is g:
            del _MERGE_CACHE[id(g)]
    visible = [g for g in grids if not g.name.startswith("_")]
    search = [g for g in visible if g.name == sheet] if sheet else visible
    if sheet and not search:
        names = "、".join(g.name for g in grids)
        raise ReadError(f"没有名为“{sheet}”的工作表（现有：{names}）", file=source)
    found = [(g, *hdr) for g in search if (hdr := find_indicator_header(g))]
    # A 填表说明/示例 sheet's sample table counts only when no other sheet holds one.
    guide = tuple(headers()["guide_sheet_words"])
    real = [t for t in found if not any(w in t[0].name for w in guide)]
    found = real or found
    if not found:
        raise ReadError("未找到绩效自评表：没有包含“三级指标/目标指标/指标名称”和“分值/权重”表头的工作表"
                        f"（已查看：{'、'.join(g.name for g in search) or '无'}）", file=source)
    return visible, found


def _evaluate(g: Grid, hr: int, cols: dict[str, int], others: list[Grid], source: str | None,
              defined_names: dict[str, str] | None) -> Evaluation:
    ev = Evaluation(source=source, layout=detect_layout(g), sheet=g.name)
    ev.cells["indicators"] = _ref(g, hr, cols["name"])
    lay = next((x for x in layouts() if x["id"] == ev.layout), {})
    if lay.get("profile"):
        ev.extra["profile"] = lay["profile"]   # the rule profile this published layout implies
    ctx = _Ctx(ev, source)
    # Funds: the 项目资金 block or the (1)–(7) table, on the 自评表 sheet first, then the others.
    order = [g] + [x for x in others if x is not g]
    for x in order:
        if _read_funds_block(ctx, x):
            break
    for x in order:
        if _read_budget_rows(ctx, x):
            break
    _read_indicators(ctx, g, hr, cols)
    if ctx.hidden:
        ev.findings.append(Finding("hidden-rows-skipped", "info", ctx.hidden[0],
                                   f"跳过了 {len(ctx.hidden)} 行隐藏行（第一行在 {ctx.hidden[0]}），"
                                   "隐藏行中的指标或预算数未计入；如需计入请取消隐藏"))
    _read_project(ev, order)
    _uncalculated(ev, order)
    if defined_names:
        ev.extra["defined_names"] = dict(defined_names)
    return ev


def _uncalculated(ev: Evaluation, grids: list[Grid]) -> None:
    """One warning when formula cells have no calculated value (the file was never calculated by
    Excel/WPS): those cells read as blank, so stated 得分/完成率 may be missing."""
    cells = [(g, r, c) for g in grids for (r, c) in sorted(g.formulas) if g.value(r, c) is None]
    if not cells:
        return
    g, r, c = cells[0]
    more = f"等{len(cells)}处" if len(cells) > 1 else ""
    ev.findings.append(Finding("formula-not-calculated", "warning", _ref(g, r, c),
                               f"单元格{_ref(g, r, c)}{more}是公式，但文件中没有计算结果（文件未经 Excel/WPS 计算保存），"
                               "按空白读取；请在 Excel 或 WPS 中打开并保存后再校验"))


def read_grids(grids: list[Grid], source: str | None = None, defined_names: dict[str, str] | None = None,
               profile: Any = None, sheet: str | None = None) -> Evaluation:
    """An Evaluation from sheet grids (any loader): the first sheet holding a 自评表; the funds
    table and project fields may sit on other sheets (seed 004's pair). ``sheet`` restricts the
    自评表 search to one sheet.

    Raises ReadError (Chinese, naming the file and what was looked for) when no 自评表 is found.
    """
    visible, found = _tables(grids, source, sheet)
    g, hr, cols = found[0]
    return _evaluate(g, hr, cols, visible, source, defined_names)


def read_grids_all(grids: list[Grid], source: str | None = None, defined_names: dict[str, str] | None = None,
                   profile: Any = None) -> list[Evaluation]:
    """One Evaluation per sheet holding a 自评表 (workbooks with a sheet per project). With several,
    each reads funds and project fields from its own sheet only."""
    visible, found = _tables(grids, source, None)
    others = visible if len(found) == 1 else []
    return [_evaluate(g, hr, cols, others, source, defined_names) for g, hr, cols in found]


def _template_id(book: Book) -> str | None:
    """The _meta sheet's template id when it is one of ours; an unknown id (a newer version's
    template, a hand-edited _meta) is read by headers like any workbook."""
    from .builder import template_ids

    meta = book.grid("_meta")
    if meta is None or norm(meta.value(0, 0)) != "template_id":
        return None
    v = meta.value(0, 1)
    tid = str(v).strip() if v else None
    return tid if tid in template_ids() else None


def read_book(book: Book, path: str | Path | None = None, profile: Any = None,
              sheet: str | None = None) -> Evaluation:
    """Evaluation from a loaded Book: our templates through ``template_reader``, else by headers."""
    source = str(path) if path is not None else book.source
    tid = _template_id(book)
    if tid:
        try:
            from . import template_reader  # written by the templates engineer
        except ImportError:
            template_reader = None
        fn = getattr(template_reader, "read_template", None)
        if fn is not None:
            ev = fn(path, book.grids, book.defined_names, tid)
            # --sheet naming another (or no) sheet: read that sheet by headers, which says so.
            if ev is not None and (sheet is None or sheet == ev.sheet):
                ev.source = ev.source or source
                return ev
    try:
        # Visible sheets first: a hidden sheet often holds last year's copy or lookup lists.
        grids = [g for g in book.grids if g.name not in book.hidden] + [g for g in book.grids if g.name in book.hidden]
        ev = read_grids(grids, source=source, defined_names=book.defined_names, profile=profile, sheet=sheet)
    except ReadError as exc:
        if book.truncated:
            capped = "、".join(f"{k}（前 {v} 行）" for k, v in book.truncated.items())
            raise ReadError(f"{exc.message}；工作表过大，只读取了 {capped}", file=exc.file) from None
        raise
    if tid:
        ev.layout = ev.layout if ev.layout != "generic" else tid
    if book.truncated:
        capped = "、".join(f"{k}（前 {v} 行）" for k, v in book.truncated.items())
        ev.findings.append(Finding("sheet-truncated", "warning", None, f"工作表过大，只读取了 {capped}"))
    ev.extra["engine"] = book.engine
    return ev


def read_workbook(path: str | Path, profile: Any = None, sheet: str | None = None,
                  engine: str = "auto") -> Evaluation:
    """Read a 自评表 from a file: safety checks first (safety.preflight), then a loader, then headers.

    Raises ReadError with a Chinese message naming the file and what was looked for.
    """
    from .safety import preflight

    info = preflight(path)
    book = load_book(path, engine=engine, kind=info.kind, big=info.big, parts=info.parts)
    return read_book(book, path, profile=profile, sheet=sheet)


def read_workbook_all(path: str | Path, profile: Any = None, engine: str = "auto") -> list[Evaluation]:
    """Every 自评表 in a file (one per sheet); our templates give one. Same checks as read_workbook."""
    from .safety import preflight

    info = preflight(path)
    book = load_book(path, engine=engine, kind=info.kind, big=info.big, parts=info.parts)
    if _template_id(book):
        return [read_book(book, path, profile=profile)]
    evs = read_grids_all(book.grids, source=str(path), defined_names=book.defined_names, profile=profile)
    for ev in evs:
        ev.extra["engine"] = book.engine
    return evs
