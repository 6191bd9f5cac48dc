"""Header rows → field columns: the short texts of a row, matched against the synonym tables; the
自评表 header (one or two rows) and the ``（20分）`` points written into labels."""

from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache
from typing import Any

from ..grid import Grid
from .cells import _SPACE, _grid_index, _key, _match, _ref, _reverse, label_key, merged_anchor, norm
from .vocabulary import headers

_POINTS = re.compile(r"[（(]\s*(\d+(?:\.\d+)?)\s*分\s*[)）]")


def _row_labels(g: Grid, r: int) -> list[tuple[int, str]]:
    """(column, synonym key: ``label_key(norm(text))``) of the short text cells of row ``r`` —
    merged-range values included — that could be headers; computed once per grid row (every table
    finder scans rows)."""
    index = _grid_index(g)
    hit = index.labels.get(r)
    if hit is None:
        anchors, row = index.anchors, g.rows[r]      # r is a row of the grid: callers scan its rows
        if r not in index.merged_rows:
            hit = [(c, _key(v)) for c, v in enumerate(row) if isinstance(v, str) and 0 < len(v) <= 40]
        else:
            hit = []
            n = len(row)
            for c in range(index.width):
                a = anchors.get((r, c))
                v = g.value(*a) if a is not None else (row[c] if c < n else None)
                if isinstance(v, str) and 0 < len(v) <= 40:    # headers are short; skip prose quickly
                    hit.append((c, _key(v)))
        index.labels[r] = hit
    return hit


def _header_map(g: Grid, r: int, table: dict[str, list[str]]) -> dict[str, int]:
    """Field → first column whose header text in row ``r`` is one of its synonyms. A header cell
    merged down from the row above counts in this row too (分值 spanning two header rows)."""
    cols: dict[str, int] = {}
    rev = _reverse(table)
    for c, key in _row_labels(g, r):
        fld = rev.get(key)
        if fld and fld not in cols:
            cols[fld] = c
    return cols


MAX_HEADER_ROWS = 4     # a header of up to 4 rows: 绩效指标值 over 年度指标值 over 指标性质 / 指标值 / 度量单位


def find_indicator_header(g: Grid) -> tuple[int, dict[str, int]] | None:
    """First row holding a 三级指标-like and a 分值-like header → (last header row, field → column)
    (``find_indicator_headers`` without the first row)."""
    found = find_indicator_headers(g)
    return (found[1], found[2]) if found else None


def find_indicator_headers(g: Grid) -> tuple[int, int, dict[str, int]] | None:
    """(first header row, last header row, field → column) of the 指标 table: the first row holding
    a 三级指标-like and a 分值-like header, then the rows under it that split its cells.

    A row under the header continues it when it holds header words and its 三级指标 cell is blank
    (merged down from above) or a 三级指标 synonym — 年度指标值 merged over 指标性质 / 指标值 / 度量单位,
    and so on for up to ``MAX_HEADER_ROWS`` rows. Each lower row refines the columns: its fields win,
    and a field above whose column it claims for another field goes (年度指标值 over 指标值: the target
    is the 指标值 column).
    """
    h = headers()
    table = h["indicator_columns"]
    for r in range(len(g.rows)):
        cols = _header_map(g, r, table)
        if (all(k in cols for k in h["indicator_required"]) or _points_in_names(g, r, cols)) and len(cols) >= 3:
            last = r
            while last + 1 < min(len(g.rows), r + MAX_HEADER_ROWS):
                sub = _header_map(g, last + 1, table)
                name_below = g.value(last + 1, cols["name"])
                if not sub or not (name_below is None or _match(norm(name_below), table) == "name"):
                    break
                claimed = {c: f for f, c in sub.items()}
                cols = {f: c for f, c in cols.items() if claimed.get(c, f) == f}
                cols.update(sub)
                last += 1
            return r, last, cols
    return None


def _points_in_names(g: Grid, r: int, cols: dict[str, int]) -> bool:
    """A table without a 分值 column whose 三级指标 carry their points ("资金到位率（4分）", seed 001's
    published 计分表) and that has a 得分/自评分 column: the weights are read from the names."""
    if "name" not in cols or "score" not in cols or "weight" in cols:
        return False
    below = [g.value(rr, cols["name"]) for rr in range(r + 1, min(r + 6, g.nrows))]
    return any(isinstance(v, str) and _points(v)[1] is not None for v in below)


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


def describe_columns(g: Grid, r: int, cols: dict[str, int], table: str, top: int | None = None) -> list[dict[str, Any]]:
    """The columns of a header (last header row ``r``, first ``top``: default the row above) for the
    recognition record: field, its Chinese label, the header cell and its text as written, and the
    synonym it matched."""
    h = headers()
    syns = h[table]
    labels = h["field_labels"]
    out = []
    for fld, c in sorted(cols.items(), key=lambda kv: kv[1]):
        for rr in range(r, (r - 1 if top is None else top) - 1, -1):     # the header cell: row r or above
            ar, ac = merged_anchor(g, rr, c) if rr >= 0 else (rr, c)
            v = g.value(ar, ac) if rr >= 0 else None
            if isinstance(v, str) and _match(norm(v), syns) == fld:
                synonym = _synonym(table, fld, label_key(norm(v))) or norm(v)
                out.append({"field": fld, "label": labels.get(fld, fld), "cell": _ref(g, ar, ac),
                            "header": _SPACE.sub("", v), "synonym": synonym})
                break
    return out


@lru_cache(maxsize=1024)
def _synonym(table: str, fld: str, key: str) -> str | None:
    """The synonym of ``headers()[table][fld]`` a header matched by its key, as listed."""
    return next((w for w in headers()[table][fld] if label_key(norm(w)) == key), None)


def missing_fields(cols: dict[str, int], needs: list[str], table: str) -> list[dict[str, Any]]:
    """Fields a layout needs that the header lacks, with the synonyms that were looked for."""
    h = headers()
    return [{"field": f, "label": h["field_labels"].get(f, f), "looked_for": list(h[table].get(f, []))}
            for f in needs if f not in cols and f in h[table]]
