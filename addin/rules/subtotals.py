"""subtotal-mismatch: a category subtotal row ("产出指标小计", "效益指标合计") vs its indicators.

A subtotal's 分值 (得分) is the sum of the 分值 (得分) of the lines in its category; each line is
rounded to 2 decimals, so the sum may differ from the rounded subtotal by n × 0.005 (DESIGN.md).
The reader keeps these rows in ``ev.extra["subtotals"]`` with the 一级指标 they sit under.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

from udfs import Profile
from workbook_templates.model import Evaluation, Finding

from . import check, finding
from .common import fmt, rounding_tolerance
from .weights import Item, items

_SUFFIX = re.compile(r"(分值|得分)?(小计|合计)$")
_SPACE = re.compile(r"\s+")


def members(ev: Evaluation, sub: dict) -> list[Item]:
    """The lines a subtotal sums: those of its 二级指标 when its label names one ("数量指标小计"),
    else those of its 一级指标."""
    level1 = sub.get("level1")
    if not level1:
        return []
    in_cat = [it for it in items(ev) if it.level1 == level1]
    prefix = _SUFFIX.sub("", _SPACE.sub("", str(sub.get("label") or "")))
    by_level2 = [ind for ind in ev.indicators if ind.level1 == level1 and prefix and ind.level2 == prefix]
    if by_level2 and prefix != level1:
        cells = {ind.cell for ind in by_level2}
        return [it for it in in_cat if it.anchor in cells]
    return in_cat


@check
def subtotal_mismatch(ev: Evaluation, profile: Profile) -> Iterator[Finding]:
    """Each stated subtotal 分值/得分 = Σ of its category's lines (± n × 0.005)."""
    for sub in ev.extra.get("subtotals") or []:
        its = members(ev, sub)
        if not its:
            continue
        for key, what, attr in (("weight", "分值", "weight"), ("score", "得分", "score")):
            stated = sub.get(key)
            parts = [getattr(it, attr) for it in its if getattr(it, attr) is not None]
            if stated is None or not parts:
                continue    # a blank subtotal or blank lines: missing-field's business
            total = sum(parts, Decimal(0))
            stated_d = Decimal(str(stated))
            if abs(stated_d - total) <= rounding_tolerance(len(parts)):
                continue
            cell = sub.get(f"{key}_cell") or sub.get("cell")
            yield finding("subtotal-mismatch", cell,
                          f"“{sub.get('label')}”的{what}为{fmt(stated_d)}，但该类{len(parts)}项指标的{what}之和为"
                          f"{fmt(total)}（相差{fmt(stated_d - total)}）。", total)
