"""total-mismatch-row: when the 总分 does not add up (``scores.total_mismatch``), the rows that cause
it, each with its own cell and message — a blank 得分 (定性档次 not chosen, a formula not copied down),
a 得分 cell holding text, or a typed 得分 that differs from the rule where the 总分 is the rules' sum.

Rule (财预〔2020〕10号): 总分 = Σ 得分; the stated and the recomputed sum differ by these rows.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from udfs import Profile
from workbook_templates.model import Evaluation, Finding

from . import check, finding
from .common import fmt, rounding_tolerance
from .scores import total_mismatch


def _rows(ev: Evaluation) -> list[tuple[str, str | None, Decimal | None, Decimal | None, str | None, bool]]:
    """(label, 得分 cell, stated, rule, anchor cell, qualitative without a 档次/实际) per scored row."""
    b = ev.budget
    rows = []
    if b.weight is not None:
        rows.append(("预算执行率", b.cells.get("score"), b.score, b.rule_score, b.cells.get("rate"), False))
    for ind in ev.indicators:
        qualitative_blank = ind.direction == "定性" and not str(ind.actual or "").strip()
        rows.append((ind.name or "（未命名指标）", ind.cells.get("score"), ind.score, ind.rule_score, ind.cell,
                     qualitative_blank))
    return rows


@check
def total_mismatch_rows(ev: Evaluation, profile: Profile) -> Iterator[Finding]:
    """Each row that makes the stated 总分 differ from Σ 得分 (only when total-mismatch fires)."""
    if not any(True for _ in total_mismatch(ev, profile)):
        return
    text_cells = {f.cell for f in ev.findings if f.rule == "unreadable-number" and f.cell}
    rows = _rows(ev)
    rule_sum = sum((r if r is not None else (s or Decimal(0)) for _, _, s, r, _, _ in rows), Decimal(0))
    total_is_rules = abs(ev.total_score - rule_sum) <= rounding_tolerance(len(rows))
    total = fmt(ev.total_score)
    for label, cell, stated, rule, anchor, qualitative_blank in rows:
        where = cell or anchor
        if stated is None and cell in text_cells:
            yield finding("total-mismatch-row", where,
                          f"“{label}”的得分单元格是文字，不是数字，总分公式不计入该行；"
                          f"请改为数字{f'（按规则为{fmt(rule)}分）' if rule is not None else ''}。总分{total}。", rule)
        elif stated is None and rule is None and qualitative_blank:
            yield finding("total-mismatch-row", where,
                          f"“{label}”的定性档次（实际完成值）未选择，该行没有得分；总分{total}。")
        elif stated is None and rule is not None:
            why = ("定性档次（实际完成值）未选择，得分为空" if qualitative_blank
                   else "得分为空（该行公式可能未复制，或文件未经计算）")
            yield finding("total-mismatch-row", where,
                          f"“{label}”{why}，填报的总分{total}中未计入；按规则该行得分{fmt(rule)}分。", rule)
        elif total_is_rules and stated is not None and rule is not None and abs(stated - rule) >= Decimal("0.01"):
            yield finding("total-mismatch-row", where,
                          f"“{label}”得分填报为{fmt(stated)}，按规则为{fmt(rule)}（该行可能是手工填写的数，"
                          f"而总分{total}是按规则计算的），总分与各项之和因此不符。", rule)
