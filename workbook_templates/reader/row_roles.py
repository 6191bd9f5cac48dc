"""What a row of the 自评表 is — the rules in one place (``headers.json`` holds their words).

Reading down from the header, each row is one of:

- ``total``       a 总分/合计 row in (or left of) the 三级指标 column: the table ends there;
- ``subtotal``    a 合计/小计 inside one 一级指标 (its 一级 cell merged from above, or indicators
                  follow it), or a name ending in 小计/合计;
- ``footer``      注：/填表人：/联系电话：… with no 分值/得分 (``footer_pattern``): the table ends;
- ``header``      a repeated header row (printed tables repeat it on every page);
- ``section``     a one-cell title ("（二）项目产出情况") giving the 一级指标 of what follows;
- ``placeholder`` "指标1：", "……", "指标2" with nothing in 分值/得分 (``placeholder_pattern``);
- ``part``        "其中：…" without 分值 — a breakdown of the indicator above, not an indicator
                  (no 分值 is missing); "其中：…" *with* 分值 is an indicator (``part_pattern``);
- ``not-applicable`` every filled value cell (目标值/实际值/分值/得分) is "/", "—"…
                  (``not_applicable_marks``): the indicator does not apply;
- ``budget``      the 预算执行率 line (the funds part, unless it sits under 产出/效益/满意度);
- ``hidden``      a hidden row (left out, reported);
- ``indicator``   everything else with a name.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from ..grid import Grid
from .cells import _SPACE, _is_number, merged_anchor, norm
from .project import _project_label
from .vocabulary import headers

VALUE_FIELDS = ("target", "actual", "weight", "score")


@lru_cache(maxsize=1)
def _marks() -> frozenset[str]:
    return frozenset(norm(w) for w in headers()["not_applicable_marks"])


@lru_cache(maxsize=1)
def _part_re() -> re.Pattern[str]:
    return re.compile(headers()["part_pattern"])


def value_cells(g: Grid, r: int, cols: dict[str, int]) -> list:
    """The row's raw 目标值/实际值/分值/得分 cells (``VALUE_FIELDS``; None when blank or absent),
    read once for the role checks below."""
    row = g.rows[r]                 # a row of the table: the reader scans the grid's rows
    n = len(row)                    # rows are trimmed: a column past the last filled cell is blank
    out = []
    for f in VALUE_FIELDS:
        c = cols.get(f)
        v = row[c] if c is not None and c < n else None
        out.append(None if v == "" else v)
    return out


def all_not_applicable(values: list) -> bool:
    """Every filled cell of ``values`` (``value_cells``) is a not-applicable mark, at least one filled."""
    marks = _marks()
    seen = False
    for v in values:
        if v is None or (isinstance(v, str) and not v.strip()):
            continue
        if not (isinstance(v, str) and norm(v) in marks):
            return False
        seen = True
    return seen


def points_among(values: list) -> bool:
    """A number (or number-like text) in the 分值 or 得分 cell of ``values`` (``value_cells``)."""
    for v in values[2:]:
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            return True
        if isinstance(v, str) and v.strip() and _is_number(v.strip().rstrip("分%")):
            return True
    return False


def strip_part(name: str) -> str:
    """'其中：城镇居民' → '城镇居民' (a 其中 row that carries points is an indicator)."""
    m = _part_re().match(unicodedata.normalize("NFKC", name[:4]))    # "其中：" keeps its length in NFKC
    return (name[m.end():].strip() or name) if m else name


def _total_label(g: Grid, r: int, l1: int, stop: tuple[str, ...]) -> bool:
    """The 合计/总分 label sits in (or left of) the 一级 column: the table's total, never a category's."""
    return any(isinstance(v, str) and norm(v).startswith(stop) for v in g.rows[r][:l1 + 1])


def _category_subtotal(g: Grid, r: int, cols: dict[str, int], stop: tuple[str, ...]) -> bool:
    """A 合计/小计 row inside one 一级指标 (its label right of the 一级 column, the 一级 cell merged
    down from the category above, e.g. 产出指标 over its rows and their 合计) — not the table's 总分."""
    l1 = cols.get("level1")
    if l1 is None or _total_label(g, r, l1, stop):
        return False
    ar, ac = merged_anchor(g, r, l1)
    if ar == r:
        return False
    top = g.value(ar, ac)
    return isinstance(top, str) and bool(norm(top)) and not norm(top).startswith(stop)


def _indicators_follow(g: Grid, r: int, cols: dict[str, int], stop: tuple[str, ...], window: int = 60,
                       after_subtotal: bool = False) -> bool:
    """A 合计 row with indicator rows (a name and 分值) under it before any other 合计/总分 row: a
    category subtotal whose 一级 cell is blank rather than merged — the table's 总分 comes last. In a
    table whose categories already closed with subtotals of this same label (``after_subtotal``: 合计
    after 合计s, not after 小计s), a 合计 with the next 合计/总分 row under it is the last category's. A "项目名称" row in between starts another
    project's table (stacked on the same sheet): the 合计 above it is the first table's 总分."""
    name_c, weight_c, l1 = cols["name"], cols.get("weight"), cols.get("level1")
    if weight_c is None or (l1 is not None and _total_label(g, r, l1, stop)):
        return False        # a second table under this one (another project) is no category
    for rr in range(r + 1, min(len(g.rows), r + 1 + window)):
        texts = [norm(v) for v in g.rows[rr][:name_c + 1] if isinstance(v, str) and v.strip()]
        if any(t.startswith(stop) for t in texts):
            return after_subtotal
        if any(isinstance(v, str) and _project_label(v)[0] == "name" for v in g.rows[rr]):
            return False    # the next project's 项目名称: its indicators are not this table's
        name, weight = g.value(rr, name_c), g.value(rr, weight_c)
        if isinstance(name, str) and name.strip() and weight not in (None, "") and _is_number(str(weight).rstrip("分")):
            return True
    return False


def footer_text(g: Grid, r: int, footer: re.Pattern[str]) -> bool:
    """A text of row ``r`` starts like 注：/填表人：/联系电话： (``footer_pattern``)."""
    return any(isinstance(v, str) and footer.match(unicodedata.normalize("NFKC", _SPACE.sub("", v)))
               for v in g.rows[r])
