"""Money with its unit: the unit a sheet states for its amounts (元/万元/亿元) and amounts typed as
text in money cells ("150万", "1,600.00", "１６００", "¥1,600.00").

Amounts are kept in the sheet's unit (``Budget.unit``); an amount written with its own unit
("150万" in a 万元 column, "1,500,000元" in a 万元 column) is converted to the column's unit.
Consolidation and weights use ``Budget.in_wan``.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal
from functools import lru_cache
from typing import Any

from udfs import InputError
from udfs.numbers import to_decimal

from ..grid import Grid
from ..model import MONEY_UNITS, WAN
from .cells import _Ctx, _ref, merged_anchor

# "（万元）", "(单位：元)", "单位：万元", "金额单位：亿元" — not "（元/人）", which is an indicator's unit.
_UNIT_IN_LABEL = re.compile(r"(?:单位[:：]?\s*|[(（]\s*)(亿元|万元|千元|元)\s*(?:[)）]|$)")
_AMOUNT = re.compile(r"([-+]?(?:\d{1,3}(?:,\d{3})+|\d*)(?:\.\d+)?)(亿元|万元|千元|元|万|亿)")
DEFAULT_SOURCE = "表中未写明金额单位，按万元（财预〔2020〕10号附件1的单位）"


@lru_cache(maxsize=4096)
def unit_in_label(text: str) -> str | None:
    """The money unit a label states: '项目资金（万元）' → '万元', '单位：元' → '元', else None."""
    m = _UNIT_IN_LABEL.search(unicodedata.normalize("NFKC", text).replace(" ", ""))
    return m.group(1) if m else None


def _label_unit(g: Grid, r: int, c: int) -> tuple[str, str] | None:
    if not 0 <= r < len(g.rows):
        return None
    ar, ac = merged_anchor(g, r, c)
    v = g.value(ar, ac)
    if isinstance(v, str) and len(v) <= 40 and (u := unit_in_label(v)):
        return u, f"{_ref(g, ar, ac)}“{v.strip()}”"
    return None


def find_money_unit(g: Grid, header_row: int, value_cols: list[int], rows: int = 8) -> tuple[str, str]:
    """(unit, where it was read) for the amounts of a funds table whose header is ``header_row``:
    the value columns' headers (and the row above, for two-row headers), then the block label left
    of the table ("项目资金（万元）"), then a note above it ("单位：元") — else 万元, said so."""
    for r in (header_row, header_row - 1):
        for c in value_cols:
            if hit := _label_unit(g, r, c):
                return hit
    first = min(value_cols, default=0)
    for r in range(max(0, header_row - 1), min(g.nrows, header_row + rows)):
        for c in range(first):
            if hit := _label_unit(g, r, c):
                return hit
    for r in range(min(header_row, 15)):
        for c in range(min(g.ncols, 20)):
            if hit := _label_unit(g, r, c):
                return hit
    return WAN, DEFAULT_SOURCE


def money(ctx: _Ctx, g: Grid, r: int, c: int | None, what: str, unit: str) -> Decimal | None:
    """An amount in ``unit``: numbers as they are; text "150万"/"150万元"/"1,500,000元" converted
    from the unit written in the cell; "1,600.00", "１６００", "¥1,600.00" as numbers; anything else
    an ``unreadable-number`` finding (``_Ctx.number``)."""
    if c is None:
        return None
    v: Any = g.value(r, c)
    if isinstance(v, str):
        t = unicodedata.normalize("NFKC", v).strip().lstrip("¥").replace(" ", "")
        m = _AMOUNT.fullmatch(t)
        if m and m.group(1) not in ("", "+", "-"):
            try:
                n = to_decimal(m.group(1), what)
            except InputError:
                n = None
            if n is not None:
                return n * MONEY_UNITS[m.group(2)] / MONEY_UNITS[unit]
        if t != v.strip() and t:
            try:
                return to_decimal(t, what)
            except InputError:
                pass
    return ctx.number(g, r, c, what)
