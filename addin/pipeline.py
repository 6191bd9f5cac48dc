"""计分: apply the rule profile to an Evaluation read from any layout.

Parses each target and actual once into a typed value (``udfs.grammar``, stored on the Indicator as
``target_value``/``actual_value``) and fills ``rule_*`` fields, 完成率 and 偏离度 from it, unrounded
(财预〔2020〕10号 rules by kind as implemented in ``udfs.evaluate``; the ``Outcome`` is kept on
``Indicator.outcome`` for the checks and the report). Stated values are never changed.
"""

from __future__ import annotations

from decimal import Decimal

from udfs import InputError, Profile, default_profile, rates, scoring
from udfs.evaluate import NOT_APPLICABLE, SCORED, direction_of, evaluate
from udfs.grammar import Value
from udfs.numbers import excel_round, is_blank
from udfs.parse import QUALITATIVE, parse_value
from workbook_templates.model import Evaluation, Indicator


def budget_denominator(ev: Evaluation, profile: Profile) -> Decimal | None:
    """全年预算数 (自评表) or 实际到位资金 (共性框架), per the profile (``execution_rate_denominator``).

    No silent fallback: a blank 全年预算数 is not replaced by 年初预算数 (the rate would be computed on
    another figure than the rules name); ``addin.rules.scores`` reports it as a finding. The 共性框架
    falls back to 全年预算数 only, which its own table calls 预算资金."""
    b = ev.budget
    if profile.execution_rate_denominator == "available":
        return b.available if b.available is not None else b.adjusted
    return b.adjusted


def indicator_direction(ind: Indicator, profile: Profile) -> str:
    """Direction: the sheet's 指标性质 column, else what the target's form says
    (``udfs.evaluate.direction_of``: ≥ 正向, ≤ 反向, a range 区间, a duration 反向; a bare number named
    预算调整率 or under 成本指标 → 反向 by the profile, a bare 0 反向; text 定性)."""
    if ind.direction:
        return ind.direction
    t = ind.target_value if ind.target_value is not None else parse_value(ind.target, profile)
    return direction_of(t, None, ind.level2, profile, ind.name)


def parse_indicator(ind: Indicator, profile: Profile) -> None:
    """Parse target and actual once (``udfs.grammar``); every rule works from these values."""
    ind.target_value = _parsed(ind.target_value, ind.target, profile)
    ind.actual_value = _parsed(ind.actual_value, ind.actual, profile)


def _parsed(value: Value | None, text: object, profile: Profile) -> Value | None:
    """The parsed value of ``text``, kept when it is still the value of that text (a reader may have
    set it, e.g. from a percent cell); blank → None."""
    if is_blank(text):
        return None
    if value is not None and value.text == str(text):
        return value
    return parse_value(text, profile)


def score_indicator(ind: Indicator, profile: Profile) -> None:
    """Rule score, 完成率 and 偏离度 of one indicator from its typed values (``udfs.evaluate``)."""
    ind.rule_error = None
    ind.outcome = None
    parse_indicator(ind, profile)
    t, a = ind.target_value, ind.actual_value
    ind.direction = indicator_direction(ind, profile)
    for v in (t, a):
        if v is not None and v.unit and not ind.unit and v.kind in ("number", "range", "duration", "change"):
            ind.unit = v.unit
    ind.rule_score = ind.completion = ind.deviation = None
    if a is None and ind.band is None and ind.band_rate is None:
        return                                   # blank actual: missing-field reports it
    if t is None and ind.direction != QUALITATIVE:
        return
    if ind.weight is not None and ind.weight < 0:
        ind.rule_error = f"分值不能为负数：{ind.weight}"
        return
    actual = a if a is not None else parse_value("", profile)
    target = t if t is not None else parse_value("", profile)
    out = evaluate(target, actual, profile, direction=ind.direction, weight=ind.weight, band=ind.band,
                   rate=ind.band_rate, level2=ind.level2, name=ind.name)
    ind.outcome = out
    if out.status == SCORED:
        ind.rule_score = out.score
    elif out.status != NOT_APPLICABLE:
        ind.rule_error = out.message
    if out.completion is not None:
        ind.completion = excel_round(out.completion, profile.rate_digits)
    if out.deviation is not None:
        ind.deviation = excel_round(out.deviation, profile.rate_digits)


def apply_deductions(ind: Indicator, profile: Profile) -> None:
    """Optional provincial deductions (profile ``deductions``): ``deviation_at_least`` takes ``points``
    off the rule score of an indicator whose |偏离度| reaches ``value`` (never below 0)."""
    for rule in profile.deductions:
        if rule.get("when") == "deviation_at_least" and ind.rule_score is not None and ind.deviation is not None \
                and abs(ind.deviation) >= Decimal(str(rule["value"])):
            ind.rule_score = max(Decimal(0), ind.rule_score - Decimal(str(rule["points"])))


def capped_total(total: Decimal, ev: Evaluation, profile: Profile) -> Decimal:
    """Optional provincial caps (profile ``caps``): ``execution_rate_below`` limits the rule total to
    ``max_total`` when the 预算执行率 is under ``value``."""
    rate = ev.budget.rule_rate
    for rule in profile.caps:
        if rule.get("when") == "execution_rate_below" and rate is not None and rate < Decimal(str(rule["value"])):
            total = min(total, Decimal(str(rule["max_total"])))
    return total


def score_evaluation(ev: Evaluation, profile: Profile | None = None) -> Evaluation:
    """Compute rule scores, 完成率, 偏离度, the rule total and grade. Returns ``ev`` (modified).

    An indicator the rules cannot score (``rule_error``, e.g. an actual that is neither a number nor
    a band) is reported as not-scorable, and the rule total is withheld ("部分可计分") rather than
    completed with its stated score (``withhold_unchecked_total``).
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
    elif b.rate is not None and b.rate >= 0 and b.weight is not None:
        # issue #12: no 执行数/预算数 on the sheet, only its 执行率 — the score follows from that rate
        try:
            b.rule_score = scoring.budget_score(b.rate, Decimal(1), b.weight, profile)
        except InputError as exc:          # a negative 分值: reported by validation
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
        apply_deductions(ind, profile)
        part = ind.rule_score if ind.rule_score is not None else ind.score
        if part is not None:
            total += part
            any_score = True
    total = capped_total(total, ev, profile)
    ev.rule_total_score = excel_round(total, profile.score_digits) if any_score else None
    # A grade rates a whole table; a budget-only table (e.g. 预算执行情况表) has a score but no grade.
    ev.rule_grade = scoring.grade(ev.rule_total_score, profile) if any_score and ev.indicators else None
    withhold_unchecked_total(ev)
    return ev


# -- issue #12: never the stated scores repeated as if checked ---------------------------------

def withhold_unchecked_total(ev: Evaluation) -> None:
    """When any scored points could not be checked by the rules (an indicator or the budget part
    with 分值/得分 but no rule score), the rule total and grade are withheld (None) and
    ``ev.extra["unchecked"]`` says how many items and points ("部分可计分：n 项、m 分未计"). Each
    such indicator of a table with 目标值/实际值 columns gets the reason in ``rule_error`` (reported as
    not-scorable); a 共性指标计分表 has none, its scores are the evaluator's."""
    missing = {m["field"] for m in ev.recognition.missing} if ev.recognition is not None else set()
    names = {"actual": "实际完成值", "target": "年度指标值"}
    count, points = 0, Decimal(0)
    b = ev.budget
    if b.rule_score is None and (b.weight is not None or b.score is not None):
        count += 1
        points += b.weight if b.weight is not None else b.score
    for ind in ev.indicators:
        if ind.rule_score is not None or (ind.weight is None and ind.score is None):
            continue
        count += 1
        points += ind.weight if ind.weight is not None else ind.score
        has_place = missing & {"target", "actual"} or ind.cells.keys() & {"target", "actual"}
        if ind.rule_error is None and ind.weight is not None and ind.outcome is not None \
                and ind.outcome.status == NOT_APPLICABLE:
            ind.rule_error = (f"年度指标值“{ind.target or ''}”、实际完成值“{ind.actual or ''}”表示不适用，却填有分值"
                              f"{ind.weight}；不适用的指标不应设分值，否则请填写目标值和实际值")
        if ind.rule_error is None and ind.weight is not None and has_place:
            gone = [names[f] for f in ("target", "actual") if f in missing]
            blank = [names[f] for f in ("target", "actual") if f not in missing and not getattr(ind, f)]
            ind.rule_error = (f"表中未识别出“{'、'.join(gone)}”列" if gone else
                              f"{'、'.join(blank)}为空" if blank else "目标值与实际值无法比较")
    ev.extra.pop("unchecked", None)
    if count:
        ev.extra["unchecked"] = {"count": count, "points": points}
        ev.rule_total_score = ev.rule_grade = None
