"""分值 checks: weights-sum, level1-weights, score-exceeds-weight, negative-score.

财预〔2020〕10号: 预算执行率 10 + 产出 50 + 效益 30 + 满意度 10 = 100 (the profile's weights).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from udfs import Profile
from workbook_templates.model import Evaluation, Finding

from . import check, finding
from .common import cell_of, fmt, rounding_tolerance


@dataclass
class Item:
    """A scored line of the table: the 预算执行率 part or an indicator."""

    label: str
    level1: str | None
    weight: Decimal | None
    score: Decimal | None
    weight_cell: str | None
    score_cell: str | None
    anchor: str | None
    is_budget: bool = False


def items(ev: Evaluation) -> list[Item]:
    """The budget part (when the sheet weights it) followed by the indicators."""
    out = []
    b = ev.budget
    if b.weight is not None or b.score is not None:
        out.append(Item("预算执行率", ev.extra.get("budget_level1"), b.weight, b.score,
                        cell_of(b.cells, "weight"), cell_of(b.cells, "score"),
                        cell_of(b.cells, "weight", "score", "rate", "executed"), is_budget=True))
    for ind in ev.indicators:
        out.append(Item(ind.name or "（未命名指标）", ind.level1, ind.weight, ind.score,
                        cell_of(ind.cells, "weight", default=ind.cell),
                        cell_of(ind.cells, "score", default=ind.cell), ind.cell))
    return out


def implicit_budget_weight(ev: Evaluation, profile: Profile) -> bool:
    """The sheet shows no 分值 for 预算执行率, yet the rules score it with the profile's weight (10)
    and the indicators' 分值 plus that weight make the table's total (90 + 10 = 100)."""
    b = ev.budget
    if b.weight is not None or b.rule_score is None or not profile.budget_weight:
        return False
    weights = [i.weight for i in ev.indicators if i.weight is not None]
    expected = ev.weights_total if ev.weights_total is not None else profile.total
    return abs(sum(weights, Decimal(0)) + profile.budget_weight - expected) <= rounding_tolerance(len(weights))


@check
def weights_sum(ev: Evaluation, profile: Profile) -> Iterator[Finding]:
    """Σ 分值 = the table's stated total (or the profile's total, 100)."""
    its = [i for i in items(ev) if i.weight is not None]
    if not any(i.weight is not None for i in ev.indicators):
        return   # no indicator weighted yet: missing-field says so
    total = sum((i.weight for i in its), Decimal(0))  # type: ignore[misc]
    expected = ev.weights_total if ev.weights_total is not None else profile.total
    if implicit_budget_weight(ev, profile):
        return
    if abs(total - expected) <= rounding_tolerance(len(its)):
        return
    cell = ev.cells.get("weights_total") or its[0].weight_cell
    yield finding("weights-sum", cell,
                  f"各项分值合计为{fmt(total)}，应为{fmt(expected)}（相差{fmt(total - expected)}）。",
                  expected)


@check
def level1_weights(ev: Evaluation, profile: Profile) -> Iterator[Finding]:
    """一级指标 weights vs the profile (10/50/30/10 by default)."""
    want = profile.weights
    if not want:
        return
    groups: dict[str, list[Item]] = {}
    unplaced: list[Item] = []
    for it in items(ev):
        if it.weight is None:
            continue
        key = profile.level1_key(it.level1) if it.level1 else None
        if key is None and it.is_budget:
            key = profile.level1_key("预算执行率")
        if key is None:
            unplaced.append(it)
            continue
        groups.setdefault(key, []).append(it)
    if not groups:
        return
    sums = {k: sum((i.weight for i in v), Decimal(0)) for k, v in groups.items()}  # type: ignore[misc]
    # a 预算执行率 row without a 一级指标 of its own belongs to the group it completes
    for it in unplaced:
        short = [k for k in want if k in sums and want[k] - sums[k] == it.weight]
        if len(short) == 1:
            sums[short[0]] += it.weight  # type: ignore[operator]
    for key, got in sums.items():
        exp = want.get(key)
        if exp is None or abs(got - exp) <= rounding_tolerance(len(groups[key])):
            continue
        first = groups[key][0]
        yield finding("level1-weights", first.weight_cell or first.anchor,
                      f"一级指标“{key}”分值合计为{fmt(got)}，评分规则（{profile.title}）为{fmt(exp)}。",
                      exp)


@check
def score_bounds(ev: Evaluation, profile: Profile) -> Iterator[Finding]:
    """0 ≤ 得分 ≤ 分值; 分值 ≥ 0."""
    for it in items(ev):
        if it.weight is not None and it.weight < 0:
            yield finding("negative-score", it.weight_cell,
                          f"“{it.label}”的分值为{fmt(it.weight)}，分值不能为负数。", None)
        if it.score is None:
            continue
        if it.score < 0:
            yield finding("negative-score", it.score_cell,
                          f"“{it.label}”的得分为{fmt(it.score)}，得分不能为负数（最低为0）。", Decimal(0))
        elif it.weight is not None and it.weight >= 0 and it.score > it.weight:
            yield finding("score-exceeds-weight", it.score_cell,
                          f"“{it.label}”的得分{fmt(it.score)}超过其分值{fmt(it.weight)}。", it.weight)
