"""计分: apply the rule profile to an Evaluation read from any layout.

Fills ``rule_*`` fields, 完成率 and 偏离度 from the unrounded inputs (财预〔2020〕10号 rules as
implemented in ``udfs.scoring``). Stated values are never changed.
"""

from __future__ import annotations

from decimal import Decimal

from udfs import InputError, Profile, default_profile, rates, scoring
from udfs.numbers import excel_round
from udfs.parse import QUALITATIVE, default_direction, parse_quantity
from workbook_templates.model import Evaluation, Indicator


def budget_denominator(ev: Evaluation, profile: Profile) -> Decimal | None:
    """全年预算数 (自评表) or 实际到位资金 (共性框架), per the profile; the other when missing."""
    b = ev.budget
    if profile.execution_rate_denominator == "available":
        return b.available if b.available is not None else b.adjusted
    return b.adjusted if b.adjusted is not None else (b.initial if b.initial is not None else b.available)


def indicator_direction(ind: Indicator, profile: Profile) -> str:
    """Direction: the sheet's 指标性质 column, else ``udfs.parse.default_direction`` (the target's
    comparator; 成本指标 → 反向 by the profile; 正向; 定性 for text targets)."""
    return ind.direction or default_direction(ind.target, ind.level2, profile)


def score_indicator(ind: Indicator, profile: Profile) -> None:
    ind.rule_error = None
    direction = indicator_direction(ind, profile)
    ind.direction = direction
    try:
        q = parse_quantity(ind.target, profile) if ind.target else None
        if q is None and ind.actual:
            q = parse_quantity(ind.actual, profile)
        if q is not None and not ind.unit:
            ind.unit = q.unit or None
    except InputError:
        pass
    if ind.weight is None:
        ind.rule_score = None
    else:
        try:
            ind.rule_score = scoring.indicator_score(ind.weight, ind.target, ind.actual, direction, profile)
        except InputError as exc:
            ind.rule_score = None
            ind.rule_error = str(exc)
    ind.completion = ind.deviation = None
    if direction != QUALITATIVE and ind.target and ind.actual:
        try:
            ind.completion = rates.completion_rate(ind.actual, ind.target)
            ind.deviation = rates.deviation(ind.actual, ind.target)
        except InputError as exc:
            ind.rule_error = ind.rule_error or str(exc)


def score_evaluation(ev: Evaluation, profile: Profile | None = None) -> Evaluation:
    """Compute rule scores, 完成率, 偏离度, the rule total and grade. Returns ``ev`` (modified).

    An indicator the rules cannot score (``rule_error``, e.g. an actual that is neither a number nor
    a band) counts in the rule total with its stated score — the human's judgement stands where the
    rules have none; validation reports it as not-scorable.
    """
    profile = profile or default_profile()
    b = ev.budget
    denom = budget_denominator(ev, profile)
    b.rule_rate = b.rule_score = None
    ev.extra.pop("budget_rule_error", None)
    if b.executed is not None and denom not in (None, Decimal(0)):
        weight = b.weight if b.weight is not None else profile.budget_weight
        try:
            b.rule_rate = rates.execution_rate(b.executed, denom)
            b.rule_score = scoring.budget_score(b.executed, denom, weight, profile)
        except InputError as exc:          # e.g. a negative 执行数: reported by validation, not a crash
            b.rule_rate = b.rule_score = None
            ev.extra["budget_rule_error"] = str(exc)
    total = Decimal(0)
    any_score = False
    if b.rule_score is not None:
        total += b.rule_score
        any_score = True
    elif b.score is not None:
        total += b.score
        any_score = True
    for ind in ev.indicators:
        score_indicator(ind, profile)
        part = ind.rule_score if ind.rule_score is not None else ind.score
        if part is not None:
            total += part
            any_score = True
    ev.rule_total_score = excel_round(total, profile.score_digits) if any_score else None
    # A grade rates a whole table; a budget-only table (e.g. 预算执行情况表) has a score but no grade.
    ev.rule_grade = scoring.grade(ev.rule_total_score, profile) if any_score and ev.indicators else None
    return ev
