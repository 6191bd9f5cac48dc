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
        hit = []
        if r < len(g.rows):
            anchors, row = index.anchors, g.rows[r]
            if r not in index.merged_rows:
                hit = [(c, _key(v)) for c, v in enumerate(row) if isinstance(v, str) and 0 < len(v) <= 40]
            else:
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


def find_indicator_header(g: Grid) -> tuple[int, dict[str, int]] | None:
    """First row holding a 三级指标-like and a 分值-like header → (last header row, field → column).

    A second header row under it (年度指标值 merged over 指标性质 / 指标值 / 度量单位) refines the
    columns: its fields win, and a first-row field whose column it claims for another field goes.
    """
    h = headers()
    table = h["indicator_columns"]
    for r in range(len(g.rows)):
        cols = _header_map(g, r, table)
        if (all(k in cols for k in h["indicator_required"]) or _points_in_names(g, r, cols)) and len(cols) >= 3:
            sub = _header_map(g, r + 1, table) if r + 1 < len(g.rows) else {}
            name_below = g.value(r + 1, cols["name"])
            if sub and (name_below is None or _match(norm(name_below), table) == "name"):
                claimed = {c: f for f, c in sub.items()}
                cols = {f: c for f, c in cols.items() if claimed.get(c, f) == f}
                cols.update(sub)
                return r + 1, cols
            return r, cols
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


def describe_columns(g: Grid, r: int, cols: dict[str, int], table: str) -> list[dict[str, Any]]:
    """The columns of a header (last header row ``r``) for the recognition record: field, its
    Chinese label, the header cell and its text as written, and the synonym it matched."""
    h = headers()
    syns = h[table]
    labels = h["field_labels"]
    out = []
    for fld, c in sorted(cols.items(), key=lambda kv: kv[1]):
        for rr in (r, r - 1):
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
