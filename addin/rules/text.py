"""magnitude-mismatch in prose: the 实际完成情况 / 年度总体目标 cells and 偏差原因 texts.

Seed 001 writes "重点救助对象…金额1177.43万元，医疗救助资金支付1177.43元": the same amount written
with 万元 and with 元 (10⁴ apart) in one passage, or an amount in 元 that repeats a 万元 figure of
the funds table, is the 元/万元 slip.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from decimal import Decimal

from udfs import Profile
from workbook_templates.model import Evaluation, Finding

from . import check, finding
from .common import fmt

AMOUNT = re.compile(r"(?<![\d.])(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(亿元|万元|千元|元)")


def amounts(text: str) -> list[tuple[str, Decimal, str]]:
    """[(as written, number, unit)] for every money amount in ``text``."""
    s = unicodedata.normalize("NFKC", text)
    return [(m.group(0), Decimal(m.group(1).replace(",", "")), m.group(2)) for m in AMOUNT.finditer(s)]


def texts(ev: Evaluation) -> Iterator[tuple[str, str | None]]:
    """(text, cell) of the prose cells of a 自评表 and the paragraphs of a report."""
    p = ev.project
    for key in ("goal", "goal_actual"):
        v = getattr(p, key)
        if isinstance(v, str) and v.strip():
            yield v, p.cells.get(key)
    if isinstance(ev.budget.reason, str):
        yield ev.budget.reason, ev.budget.cells.get("reason")
    for ind in ev.indicators:
        if isinstance(ind.reason, str) and ind.reason.strip():
            yield ind.reason, ind.cells.get("reason") or ind.cell
    for ref, text in ev.extra.get("narrative") or []:     # a Word report's paragraphs (正文!A<n>)
        yield text, ref


@check
def text_magnitude(ev: Evaluation, profile: Profile) -> Iterator[Finding]:
    """An amount in 元 whose number is also written in 万元 (same passage or the funds table)."""
    b = ev.budget
    table = {excel_key(v) for v in (b.initial, b.adjusted, b.available, b.executed) if v}
    for text, cell in texts(ev):
        found = amounts(text)
        wan = {excel_key(n) for _, n, u in found if u == "万元"} | table
        for written, number, unit in found:
            if unit == "元" and number >= 100 and excel_key(number) in wan:
                yield finding("magnitude-mismatch", cell,
                              f"文字中“{written}”与同一数字的万元金额（{fmt(number)}万元）相差1万倍，"
                              f"疑似把“万元”写成了“元”，应为{fmt(number)}万元。", f"{fmt(number)}万元")


def excel_key(d: Decimal) -> Decimal:
    return d.quantize(Decimal("0.01"))
