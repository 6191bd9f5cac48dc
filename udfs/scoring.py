"""Scoring rules of 财预〔2020〕10号 (《项目支出绩效评价管理办法》) as pure functions.

- 预算执行率 score = 分值 × min(执行率, 1).
- 正向: actual ≥ target → full; else 分值 × actual ÷ target.
- 反向: actual ≤ target → full; else 分值 × target ÷ actual.
- 等于 / 区间: on target (inside the range) → full; else proportional to the shortfall.
- 定性: bands 达成 80–100%, 部分达成 60–80%, 未达成 0–60% of the points.
Scores are rounded like Excel's ROUND to 2 decimals at the end only.
"""

from __future__ import annotations

from decimal import Decimal

from .errors import InputError
from .numbers import excel_round, is_blank, to_decimal
from .parse import (
    NEGATIVE,
    POSITIVE,
    QUALITATIVE,
    RANGE,
    Quantity,
    align,
    parse_band,
    parse_direction,
    parse_quantity,
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
    if name is None:
        names = "、".join(b.band for b in profile.bands)
        raise InputError(f"定性档次“{band_text}”无法识别（应为 {names}，或如“达成预期指标”）")
    for b in profile.bands:
        if b.band == name:
            return b.band, b.low, b.high
    raise InputError(f"定性档次“{band_text}”无法识别")  # pragma: no cover


def _fraction_arg(x: object, what: str) -> Decimal:
    d = to_decimal(x, what)
    assert d is not None
    if d > 1:           # 90 meaning 90%
        d = d / 100
    return d


def qualitative_score(weight: object, band: object, rate: object = None,
                      profile: Profile | None = None) -> Decimal | None:
    """定性得分 = 分值 × 得分率 inside the band (达成 80–100%, 部分达成 60–80%, 未达成 0–60%).

    Without 得分率 the top of the band is given; a 得分率 outside the band raises InputError.
    """
    profile = profile or default_profile()
    if is_blank(weight) or is_blank(band):
        return None
    w = _weight(weight)
    name, low, high = band_of(band, profile)
    if is_blank(rate):
        return _score(w, high, profile)
    r = _fraction_arg(rate, "得分率")
    if not (low <= r <= high):
        raise InputError(f"得分率{r:.0%}不在“{name}”档次的范围内（{low:.0%}–{high:.0%}）")
    return _score(w, r, profile)


def completion_degree(actual: Quantity) -> Decimal:
    """A number given as the actual of a qualitative indicator is its degree of completion:
    "100%" / 1 → 1, "100" (points) → 1, "85" → 0.85."""
    return actual.value if (actual.is_percent or actual.number <= 1) else actual.number / 100


def band_for_rate(rate: Decimal, profile: Profile | None = None) -> str:
    """The qualitative band a 得分率 falls in (达成 ≥ 80%, 部分达成 ≥ 60%, else 未达成 by default)."""
    profile = profile or default_profile()
    for b in sorted(profile.bands, key=lambda b: -b.high):
        if rate >= b.low:
            return b.band
    return min(profile.bands, key=lambda b: b.high).band


def _quantitative_fraction(direction: str, a: Decimal, t: Decimal, t_high: Decimal | None) -> Decimal:
    if direction == POSITIVE:
        if a >= t:
            return ONE
        return a / t if t > 0 else ZERO
    if direction == NEGATIVE:
        if a <= t:
            return ONE
        return t / a if a > 0 else ZERO
    if direction == RANGE and t_high is not None:
        if t <= a <= t_high:
            return ONE
        if a < t:
            return a / t if t > 0 else ZERO
        return t_high / a if a > 0 else ZERO
    # EQUAL (or a 区间 direction on a single value)
    if a == t:
        return ONE
    if t == 0:
        return ZERO
    return ONE - abs(a - t) / abs(t)


def resolve_direction(target: Quantity | None, direction: object) -> str:
    """Direction: the argument, else the target's comparator, else 正向 (定性 for text targets)."""
    d = parse_direction(direction)
    if d:
        return d
    if target is None:
        return QUALITATIVE
    return target.direction or POSITIVE


def indicator_score(weight: object, target: object, actual: object, direction: object = None,
                    profile: Profile | None = None) -> Decimal | None:
    """指标得分 by the rules above. Text targets/actuals ("≥95%", "18.74万人") are parsed.

    Qualitative targets ("效果明显"): an actual band ("达成预期指标") scores the top of its band;
    a numeric actual is the degree of completion (100% → full).
    """
    profile = profile or default_profile()
    if is_blank(weight) or is_blank(actual) or (is_blank(target) and parse_band(actual, profile) is None):
        return None
    w = _weight(weight)
    t = parse_quantity(target, profile)
    a = parse_quantity(actual, profile)
    d = resolve_direction(t, direction)
    if d == QUALITATIVE or t is None or a is None:
        if a is not None:                      # numeric actual under a qualitative target: 完成程度
            return _score(w, completion_degree(a), profile)
        if parse_band(actual, profile) is None:
            raise InputError(f"实际值“{actual}”既不是数值也不是定性档次（达成/部分达成/未达成），无法计分")
        return qualitative_score(w, actual, None, profile)
    av, tv = align(a, t)
    t_high = None
    if t.high is not None:
        t_high = t.high * (tv / t.value) if t.value != 0 else t.high
    return _score(w, _quantitative_fraction(d, av, tv, t_high), profile)


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
