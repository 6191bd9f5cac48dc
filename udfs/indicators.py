"""Reading indicator text: value in base units, unit, direction, and unit conversion."""

from __future__ import annotations

from decimal import Decimal

from . import grammar as g
from .errors import InputError
from .numbers import is_blank, normalize_text, to_decimal
from .parse import infer_direction, parse_value
from .profile import Profile, default_profile


def indicator_value(text: object, profile: Profile | None = None) -> Decimal | None:
    """指标数值: "18.74万人" → 187400, "95%" → 0.95, "≤830元/人" → 830; text without a number raises."""
    if is_blank(text):
        return None
    v = _numeric(text, profile)
    if v.kind == g.DATE:
        return Decimal(v.year or 0)
    if v.kind == g.RANGE:
        return v.low
    return v.value


def _numeric(text: object, profile: Profile | None) -> g.Value:
    """The value of a number, range, change, duration or a year ("2021年"); text without one raises."""
    v = parse_value(text, profile)
    if v.kind in (g.NUMBER, g.RANGE, g.CHANGE, g.DURATION) or (v.kind == g.DATE and v.year and not v.month):
        return v
    if v.kind == g.DATE:
        raise InputError(f"“{text}”是日期，不是数值")
    raise InputError(f"“{text}”不含可识别的数值（定性指标）")


def indicator_unit(text: object, profile: Profile | None = None) -> str | None:
    """指标单位: the unit as written ("18.74万人" → "万人", "≥95%" → "%"); "" when none; None for blank."""
    if is_blank(text):
        return None
    try:
        v = _numeric(text, profile)
    except InputError as e:     # a date says it is a date, a qualitative text that it has no number
        raise InputError(f"{e}，没有度量单位") from None
    return "年" if v.kind == g.DATE else v.unit


def indicator_direction(text: object, profile: Profile | None = None) -> str | None:
    """指标方向: "≥95%" → 正向, "≤830元/人" → 反向, "=100%" → 等于, "80%-90%" → 区间, "效果明显" → 定性."""
    if is_blank(text):
        return None
    return infer_direction(text, profile)


def _unit_factor(unit: str, profile: Profile) -> tuple[str, Decimal]:
    from .parse import _split_unit

    u = normalize_text(unit).strip("()（）")
    if not u:
        raise InputError("单位为空")
    return _split_unit(u, profile)


def convert_unit(value: object, from_unit: object, to_unit: object,
                 profile: Profile | None = None) -> Decimal | None:
    """单位换算: 数值 from 原单位 to 目标单位 (元/万元/亿元, 人/万人, 人次/万人次, %)."""
    profile = profile or default_profile()
    if is_blank(value):
        return None
    v = to_decimal(value, "数值")
    assert v is not None
    base1, f1 = _unit_factor(str(from_unit or ""), profile)
    base2, f2 = _unit_factor(str(to_unit or ""), profile)
    if base1 != base2:
        raise InputError(f"单位“{from_unit}”与“{to_unit}”不是同一种量，无法换算")
    return v * f1 / f2
