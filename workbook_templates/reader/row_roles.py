"""What a row of the 自评表 is when it is not an indicator: a category subtotal, the lines under the
table (注：/填表人：)."""

from __future__ import annotations

import re
import unicodedata

from ..grid import Grid
from .cells import _SPACE, _is_number, merged_anchor, norm


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


def _is_footer(g: Grid, r: int, cols: dict[str, int], footer: re.Pattern[str]) -> bool:
    """A row under the table: no 分值/得分 and a text starting like 注：/填表人：/联系电话：
    (``footer_pattern`` in headers.json), as units sign and annotate the printed table."""
    if any(g.value(r, cols[f]) is not None for f in ("weight", "score") if f in cols):
        return False
    return any(isinstance(v, str) and footer.match(unicodedata.normalize("NFKC", _SPACE.sub("", v)))
               for v in g.rows[r])
