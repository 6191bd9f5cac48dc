"""得分 checks: total-mismatch, grade-mismatch, score-differs-from-rule, qualitative-band,
completion-mismatch.

Rules (财预〔2020〕10号): 总分 = Σ 得分 (sums of rounded parts may differ by n × 0.005);
等级 from the total; 定性 bands 达成 [80%,100%], 部分达成 [60%,80%), 未达成 [0,60%) of the points (ends
and defaults from the profile). Values come from what the pipeline parsed once (``Indicator.outcome``).
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from udfs import InputError, Profile, scoring
from udfs.numbers import excel_round
from udfs.parse import QUALITATIVE, align
from workbook_templates.model import Evaluation, Finding, Indicator

from . import check, finding
from .common import HALF_CENT, as_ratio, cell_of, fmt, matches_displayed, pct, rounding_tolerance
from .indicators import indicator_quantities
from .weights import implicit_budget_weight


@check
def total_mismatch(ev: Evaluation, profile: Profile) -> Iterator[Finding]:
    """总分 stated vs Σ 得分 (stated, or the rule score where a 得分 is blank; the 预算执行率 part
    counts with the profile's weight when the sheet shows none but the table needs it)."""
    if ev.total_score is None:
        return
    b = ev.budget
    parts: list[Decimal] = []
    stated = 0
    if b.score is not None:
        parts.append(b.score)
        stated += 1
    elif b.rule_score is not None and (b.weight is not None or implicit_budget_weight(ev, profile)):
        parts.append(b.rule_score)
    for ind in ev.indicators:
        if ind.score is not None:
            parts.append(ind.score)
            stated += 1
        elif ind.rule_score is not None:
            parts.append(ind.rule_score)
    if not stated:
        return
    s = sum(parts, Decimal(0))
    if abs(ev.total_score - s) <= rounding_tolerance(len(parts)):
        return
    expected = excel_round(s, profile.score_digits)
    yield finding("total-mismatch", ev.cells.get("total_score"),
                  f"总分填报为{fmt(ev.total_score)}，各项得分之和为{fmt(expected)}。", expected)


def _grade_matches(stated: str, rule: str) -> bool:
    s = stated.strip()
    return s == rule or s.startswith(rule) or (len(s) <= 3 and rule in s)


@check
def grade_mismatch(ev: Evaluation, profile: Profile) -> Iterator[Finding]:
    """评价等级 stated vs the grade of the stated 总分 (优 ≥ 90, 良 ≥ 80, 中 ≥ 60, 差)."""
    if not ev.grade or not str(ev.grade).strip():
        return
    basis = ev.total_score if ev.total_score is not None else ev.rule_total_score
    if basis is None:
        return
    rule = scoring.grade(basis, profile)
    if rule and not _grade_matches(str(ev.grade), rule):
        yield finding("grade-mismatch", ev.cells.get("grade"),
                      f"评价等级填报为“{ev.grade}”，按总分{fmt(basis)}应为“{rule}”。", rule)


@check
def score_differs(ev: Evaluation, profile: Profile) -> Iterator[Finding]:
    """A stated 得分 that differs from the rule score (quantitative indicators and the budget part;
    an indicator scored by a band — a missed deadline, a 是/否 answer, a band phrase under a number —
    is checked against its band by ``qualitative_band`` instead)."""
    b = ev.budget
    if b.score is not None and b.rule_score is not None and abs(b.score - b.rule_score) > HALF_CENT:
        how = ""
        if b.rule_rate is not None:
            how = f"（分值{fmt(b.weight if b.weight is not None else profile.budget_weight)}×执行率{pct(b.rule_rate)}）"
        yield finding("score-differs-from-rule", cell_of(b.cells, "score"),
                      f"预算执行率得分填报为{fmt(b.score)}，按规则应为{fmt(b.rule_score)}{how}。", b.rule_score)
    for ind in ev.indicators:
        if ind.direction == QUALITATIVE or ind.score is None or ind.rule_score is None or _by_band(ind):
            continue
        if abs(ind.score - ind.rule_score) > HALF_CENT:
            yield finding("score-differs-from-rule", cell_of(ind.cells, "score", default=ind.cell),
                          f"指标“{ind.name}”得分填报为{fmt(ind.score)}，按规则应为{fmt(ind.rule_score)}"
                          f"（{ind.direction}，目标值“{ind.target}”，实际值“{ind.actual}”）。", ind.rule_score)


def qualitative_fraction(ind: Indicator, profile: Profile) -> tuple[str, Decimal, Decimal] | None:
    """(band, low, high) of a qualitative indicator: the band the rules read (the 定性档次 chosen,
    the official phrase, the lexicon — ``udfs.qualitative.read_band``), or for a number the band its
    degree of completion falls in; None when unknown."""
    out = ind.outcome
    name = out.band if out is not None else None
    if name is None and out is not None and out.band_how == "degree" and out.fraction is not None:
        name = scoring.band_for_rate(max(Decimal(0), min(Decimal(1), out.fraction)), profile)
    b = profile.band(name) if name else None
    return (b.band, b.low, b.high) if b is not None else None


def _by_band(ind: Indicator) -> bool:
    return ind.outcome is not None and ind.outcome.band is not None


@check
def qualitative_band(ev: Evaluation, profile: Profile) -> Iterator[Finding]:
    """A stated 定性 score must lie inside its band's share of the points, ends open or closed as the
    profile says (达成 [80%,100%], 部分达成 [60%,80%), 未达成 [0,60%)). A band read by the phrase
    lexicon (not chosen, not an official phrase) gives a warning, not an error."""
    for ind in ev.indicators:
        if ind.direction != QUALITATIVE and not _by_band(ind) or ind.score is None or not ind.weight or ind.weight <= 0:
            continue
        band = qualitative_fraction(ind, profile)
        if band is None:
            continue
        b = profile.band(band[0])
        assert b is not None
        lo, hi = ind.weight * b.low, ind.weight * b.high
        lo_ok = ind.score > lo if b.low_open else ind.score >= lo - HALF_CENT
        hi_ok = ind.score < hi if b.high_open else ind.score <= hi + HALF_CENT
        if lo_ok and hi_ok:
            continue
        how = ind.outcome.band_how if ind.outcome is not None else None
        basis = {"chosen": "所选定性档次", "lexicon": "按实际完成情况的表述", "yes-no": "是/否型实际完成",
                 "deadline": "实际完成时间"}.get(how or "", "实际完成")
        what = "定性指标" if ind.direction == QUALITATIVE else "指标"
        yield finding("qualitative-band", cell_of(ind.cells, "score", default=ind.cell),
                      f"{what}“{ind.name}”{basis}“{ind.band if how == 'chosen' else ind.actual}”属“{b.band}”档"
                      f"（{b.text}），得分应在{fmt(lo)}–{fmt(hi)}分{'（不含' + fmt(hi) + '分）' if b.high_open else ''}之间，"
                      f"填报为{fmt(ind.score)}。",
                      [excel_round(lo, 2), excel_round(hi, 2)], "warning" if how in ("lexicon", "yes-no", "deadline") else None)


@check
def budget_denominator_missing(ev: Evaluation, profile: Profile) -> Iterator[Finding]:
    """A blank 全年预算数 (调整后) with an 执行数: the rate is not computed on 年初预算数 instead."""
    b = ev.budget
    if profile.execution_rate_denominator != "adjusted" or b.adjusted is not None or b.executed is None:
        return
    if b.initial is None and b.available is None:
        return
    yield finding("budget-denominator-missing", b.cells.get("adjusted") or b.cells.get("initial"),
                  "全年预算数（调整后预算数）为空：执行率应按 全年执行数÷全年预算数 计算，"
                  + (f"未以年初预算数{fmt(b.initial)}代替；" if b.initial is not None else "")
                  + "请填写全年预算数。", None)


def exact_completion(ind: Indicator, profile: Profile) -> tuple[Decimal, Decimal | None] | None:
    """Unrounded (实际÷目标, 目标÷实际) as the sheet displays them (目标÷实际 None for an actual of 0);
    None when not numeric or the target is 0."""
    try:
        t, a = indicator_quantities(ind, profile)
        if t is None or a is None:
            return None
        av, tv = align(a, t)
    except InputError:
        return None
    if tv == 0:
        return None
    return av / tv, (tv / av if av != 0 else None)


@check
def completion_mismatch(ev: Evaluation, profile: Profile) -> Iterator[Finding]:
    """A stated 完成率 that is neither 实际÷目标 nor 目标÷实际 at its displayed precision."""
    for ind in ev.indicators:
        if ind.completion_stated is None or ind.direction == QUALITATIVE:
            continue
        ex = exact_completion(ind, profile)
        if ex is None:
            continue
        forward, backward = ex
        stated = as_ratio(ind.completion_stated, forward)
        if matches_displayed(stated, forward, profile.rate_digits) or \
                backward is not None and matches_displayed(stated, backward, profile.rate_digits):
            continue
        severity = "info" if abs(stated - forward) <= Decimal("0.001") else None
        yield finding("completion-mismatch", cell_of(ind.cells, "completion", default=ind.cell),
                      f"指标“{ind.name}”完成率填报为{pct(stated)}，按 实际值“{ind.actual}”÷目标值“{ind.target}”"
                      f"应为{pct(forward)}。", excel_round(forward, profile.rate_digits), severity)
