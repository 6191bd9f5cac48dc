"""Scoring rules of 财预〔2020〕10号 (《项目支出绩效评价管理办法》) as pure functions.

- 预算执行率 score = 分值 × min(执行率, 1).
- 正向: actual ≥ target → full; else 分值 × actual ÷ target.
- 反向: actual ≤ target → full; else 分值 × target ÷ actual.
- 等于 / 区间: on target (inside the range) → full; else proportional to the shortfall.
- 定性: bands 达成 [80%,100%], 部分达成 [60%,80%), 未达成 [0,60%) of the points.
The rules by kind live in ``udfs.evaluate``; this module is the worksheet-function face.
Scores are rounded like Excel's ROUND to 2 decimals at the end only.
"""

from __future__ import annotations

from decimal import Decimal

from .errors import InputError
from .evaluate import NOT_APPLICABLE, evaluate
from .numbers import excel_round, is_blank, to_decimal
from .parse import (
    QUALITATIVE,
    Quantity,
    parse_band,
    parse_direction,
    parse_value,
)
from .profile import Profile, default_profile

ONE = Decimal(1)
ZERO = Decimal(0)


def _clamp(x: Decimal) -> Decimal:
    return max(ZERO, min(ONE, x))


def _score(weight: Decimal, fraction: Decimal, profile: Profile) -> Decimal:
    return excel_round(weight * _clamp(fraction), profile.score_digits)


def _weight(x: object) -> Decimal:
    w = to_decimal(x, "分值")
    if w is None:
        raise InputError("分值为空")
    if w < 0:
        raise InputError(f"分值不能为负数：{x}")
    return w


def budget_score(executed: object, budget: object, weight: object = 10,
                 profile: Profile | None = None) -> Decimal | None:
    """预算执行得分 = 分值 × min(执行数 ÷ 预算数, 1), from the unrounded rate."""
    profile = profile or default_profile()
    if is_blank(executed) or is_blank(budget):
        return None
    e, b = to_decimal(executed, "执行数"), to_decimal(budget, "预算数")
    if b == 0:
        raise InputError("预算数为0，无法计算预算执行率")
    if e < 0 or b < 0:
        raise InputError("执行数和预算数不能为负数")
    w = _weight(10 if is_blank(weight) else weight)
    return _score(w, e / b, profile)


def band_of(band_text: object, profile: Profile) -> tuple[str, Decimal, Decimal]:
    """A band name or qualitative actual → (band, low, high); InputError when unknown."""
    name = parse_band(band_text, profile)
    b = profile.band(name) if name else None
    if b is None:
        names = "、".join(b.band for b in profile.bands)
        raise InputError(f"定性档次“{band_text}”无法识别（应为 {names}，或如“达成预期指标”）")
    return b.band, b.low, b.high


def _fraction_arg(x: object, what: str) -> Decimal:
    d = to_decimal(x, what)
    assert d is not None
    if d > 1:           # 90 meaning 90%
        d = d / 100
    return d


def qualitative_score(weight: object, band: object, rate: object = None,
                      profile: Profile | None = None) -> Decimal | None:
    """定性得分 = 分值 × 得分率 inside the band (达成 [80%,100%], 部分达成 [60%,80%), 未达成 [0,60%)).

    Without 得分率 the band's ``default`` share of the profile (达成 100%, 部分达成 70%, 未达成 30% by
    default — never a value of the band above); a 得分率 outside the band raises InputError.
    """
    profile = profile or default_profile()
    if is_blank(weight) or is_blank(band):
        return None
    w = _weight(weight)
    name, _low, _high = band_of(band, profile)
    b = profile.band(name)
    assert b is not None
    if is_blank(rate):
        return _score(w, b.default_rate, profile)
    r = _fraction_arg(rate, "得分率")
    if not b.contains(r):
        raise InputError(f"得分率{r:.0%}不在“{name}”档次的范围内（{b.text}）")
    return _score(w, r, profile)


def completion_degree(actual: Quantity) -> Decimal:
    """A number given as the actual of a qualitative indicator is its degree of completion:
    "100%" / 1 → 1, "100" (points) → 1, "85" → 0.85."""
    return actual.value if (actual.is_percent or actual.number <= 1) else actual.number / 100


def band_for_rate(rate: Decimal, profile: Profile | None = None) -> str:
    """The qualitative band a 得分率 falls in, ends open or closed as the profile says."""
    profile = profile or default_profile()
    for b in sorted(profile.bands, key=lambda b: -b.high):
        if b.contains(rate):
            return b.band
    return min(profile.bands, key=lambda b: b.high).band


def indicator_score(weight: object, target: object, actual: object, direction: object = None,
                    profile: Profile | None = None) -> Decimal | None:
    """指标得分 by the rules of ``udfs.evaluate`` (the kind of the target decides: number, range,
    change, date/deadline, duration, qualitative). Text targets/actuals ("≥95%", "18.74万人") are
    parsed; a bare number next to a percent is a ratio when it agrees in magnitude (Excel's 120% is
    1.2; a number ≤ 2 is a ratio when either reading could be meant). What the rules cannot score
    raises InputError with the reason (the cell shows an error, not a guess)."""
    profile = profile or default_profile()
    if is_blank(weight) or is_blank(actual):
        return None
    w = _weight(weight)
    d = parse_direction(direction)
    if is_blank(target) and d != QUALITATIVE:
        if parse_band(actual, profile) is None:
            return None
        d = QUALITATIVE
    out = evaluate(parse_value(target, profile), parse_value(actual, profile), profile, direction=d, weight=w)
    if out.status == NOT_APPLICABLE:
        return None
    if out.score is None:
        raise InputError(out.message or "无法按规则计分")
    return out.score


def grade(total: object, profile: Profile | None = None) -> str | None:
    """评价等级: 优 ≥ 90, 良 ≥ 80, 中 ≥ 60, else 差 (thresholds from the profile)."""
    profile = profile or default_profile()
    if is_blank(total):
        return None
    t = to_decimal(total, "总分")
    assert t is not None
    for name, low in profile.grades:
        if t >= low:
            return name
    return profile.grades[-1][0]


def _flatten(x: object) -> list[object]:
    if isinstance(x, (list, tuple)):
        out: list[object] = []
        for item in x:
            out.extend(_flatten(item))
        return out
    return [x]


def total_score(scores: object, profile: Profile | None = None) -> Decimal | None:
    """总分 = Σ 得分 over a range; blanks skipped; None when every cell is blank."""
    profile = profile or default_profile()
    vals = [to_decimal(v, "得分") for v in _flatten(scores) if not is_blank(v)]
    if not vals:
        return None
    return excel_round(sum(vals, ZERO), profile.score_digits)


def weighted_score(scores: object, funds: object, profile: Profile | None = None) -> Decimal | None:
    """资金加权得分 = Σ(得分 × 资金) ÷ Σ资金 (a department's budget-weighted score)."""
    profile = profile or default_profile()
    s, f = _flatten(scores), _flatten(funds)
    if len(s) != len(f):
        raise InputError(f"得分区域（{len(s)}个单元格）与资金区域（{len(f)}个单元格）大小不一致")
    num = den = ZERO
    for sv, fv in zip(s, f, strict=False):
        if is_blank(sv) or is_blank(fv):
            continue
        sd, fd = to_decimal(sv, "得分"), to_decimal(fv, "资金")
        num += sd * fd
        den += fd
    if den == 0:
        return None
    return excel_round(num / den, profile.score_digits)
