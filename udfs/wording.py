"""How a result reads in a report, by kind (``describe``): a cost under target is "控制在目标以内，
节约5.33%", not "完成率94.67%" (a rate or count under its ceiling only "控制在目标以内"); a deadline "按期完成" / "逾期"; a range "在区间内"; a change
"提高8%（目标10%），完成率80.00%"; a qualitative band its official label.

``describe`` returns None where the plain 完成率 already says it (a 正向 or 等于 number); the report
then keeps its "完成率…" wording.
"""

from __future__ import annotations

from decimal import Decimal

from . import grammar as g
from .evaluate import NEGATIVE, SCORED, Outcome, evaluate
from .numbers import excel_round, is_blank
from .parse import parse_direction, parse_value
from .profile import Profile, default_profile


def _pct(d: Decimal) -> str:
    return f"{excel_round(d * 100, 2):.2f}%"


def describe_outcome(out: Outcome | None, target: g.Value | None = None,
                     profile: Profile | None = None) -> str | None:
    """The kind-specific wording of an ``Outcome`` (module doc), or None."""
    if out is None or out.status != SCORED:
        return None
    profile = profile or default_profile()
    if out.kind in (g.DATE, g.DEADLINE):
        return "按期完成" if out.met else "逾期"
    if out.band is not None and out.band_how in ("chosen", "official", "lexicon", "yes-no"):
        b = profile.band(out.band)
        return b.label if b is not None else out.band
    if out.kind == g.RANGE and out.deviation is not None:
        if out.deviation == 0:                # inside, or exactly at an end the range leaves open
            return "在区间内" if out.met else f"恰好等于区间{'下限' if out.target == out.low else '上限'}（区间不含该端点）"
        return (f"低于区间下限{_pct(-out.deviation)}" if out.deviation < 0
                else f"高于区间上限{_pct(out.deviation)}")
    if out.kind == g.CHANGE and out.actual is not None and out.target is not None and target is not None:
        word = "提高" if target.sign > 0 else "下降"
        unit = "个百分点" if target.points else "%"
        a, t = out.actual * 100, out.target * 100
        text = f"{word}{g.fmt(excel_round(a, 2))}{unit}（目标{g.fmt(excel_round(t, 2))}{unit}）"
        return text + (f"，完成率{_pct(out.completion)}" if out.completion is not None and not out.met else "")
    if out.direction == NEGATIVE and out.deviation is not None:
        if out.met:
            saving = -out.deviation
            unit = target.base_unit if target is not None else ""
            if unit and not unit.startswith("元"):   # a rate or a count under its ceiling ("≤3%", "小于5次")
                return "控制在目标以内"
            return "控制在目标以内" + (f"，节约{_pct(saving)}" if saving > 0 else "")
        if out.deviation == 0:
            return "恰好等于目标值（目标不含等于）"
        return f"超出目标{_pct(out.deviation)}"
    return None


def describe(target: object, actual: object, direction: object = None,
             profile: Profile | None = None) -> str | None:
    """完成情况 in words for a target/actual pair (text or cell values); None when the plain 完成率
    says it or the rules cannot score the pair."""
    if is_blank(target) and is_blank(actual):
        return None
    profile = profile or default_profile()
    t, a = parse_value(target, profile), parse_value(actual, profile)
    return describe_outcome(evaluate(t, a, profile, direction=parse_direction(direction)), t, profile)
