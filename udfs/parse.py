"""Targets and actuals as users write them: "≥95%", "不低于95%", "18.74万人", "≤830元/人",
"95%以上", "１００％", "80%-90%", "效果明显", "达成预期指标".

``parse_quantity`` understands a number with an optional comparator and unit; text that is not
a quantity is qualitative (``None``). Units scale by the profile's unit table (万 = 10⁴, …);
percent becomes a ratio (95% → 0.95).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from .errors import InputError
from .numbers import is_blank, normalize_text, to_decimal
from .profile import Profile, default_profile

POSITIVE, NEGATIVE, EQUAL, RANGE, QUALITATIVE = "正向", "反向", "等于", "区间", "定性"
DIRECTIONS = (POSITIVE, NEGATIVE, EQUAL, RANGE, QUALITATIVE)

# Comparator words at the start of a target, longest first so 大于等于 wins over 大于.
_PREFIX = [
    ("大于等于", POSITIVE), ("大于或等于", POSITIVE), ("不低于", POSITIVE), ("不少于", POSITIVE),
    ("不小于", POSITIVE), ("至少", POSITIVE), ("达到", POSITIVE), ("超过", POSITIVE), ("大于", POSITIVE),
    ("高于", POSITIVE), ("多于", POSITIVE), (">=", POSITIVE), ("≥", POSITIVE), ("≧", POSITIVE),
    ("⩾", POSITIVE), (">", POSITIVE),
    ("小于等于", NEGATIVE), ("小于或等于", NEGATIVE), ("不高于", NEGATIVE), ("不超过", NEGATIVE),
    ("不大于", NEGATIVE), ("不多于", NEGATIVE), ("控制在", NEGATIVE), ("低于", NEGATIVE),
    ("小于", NEGATIVE), ("少于", NEGATIVE), ("<=", NEGATIVE), ("≤", NEGATIVE), ("≦", NEGATIVE),
    ("⩽", NEGATIVE), ("<", NEGATIVE),
    ("等于", EQUAL), ("==", EQUAL), ("=", EQUAL),
]
_SUFFIX = [("及以上", POSITIVE), ("以上", POSITIVE), ("及以下", NEGATIVE), ("以下", NEGATIVE),
           ("以内", NEGATIVE), ("之内", NEGATIVE)]
_NUM = r"[-+]?\d+(?:\.\d+)?"
_QTY_RE = re.compile(rf"^({_NUM})([^\d]{{0,10}})$")
_RANGE_RE = re.compile(rf"^({_NUM})([^\d~\-—至到]{{0,10}})(?:~|-|—|－|至|到)({_NUM})([^\d]{{0,10}})$")
_DIRECTION_WORDS = {
    POSITIVE: ("正向", "正", "≥", ">=", ">", "高优", "越大越好", "up", "positive", "max"),
    NEGATIVE: ("反向", "反", "≤", "<=", "<", "低优", "越小越好", "down", "negative", "min", "成本"),
    EQUAL: ("等于", "=", "==", "equal", "eq"),
    RANGE: ("区间", "范围", "range", "between"),
    QUALITATIVE: ("定性", "qualitative", "text"),
}


@dataclass(frozen=True)
class Quantity:
    """A parsed quantity. ``value`` is in base units (18.74万人 → 187400; 95% → 0.95)."""

    text: str
    number: Decimal              # the number as written (18.74)
    value: Decimal               # in base units (187400)
    unit: str                    # unit as written ("万人", "%", "元/人", "")
    base_unit: str               # unit without magnitude ("人", "%", "元/人", "")
    scale: Decimal               # value = number × scale
    direction: str | None        # from a comparator, if any
    high: Decimal | None = None  # upper bound for a range ("80%-90%"), value is the lower bound

    @property
    def is_percent(self) -> bool:
        return self.base_unit == "%"

    @property
    def bare(self) -> bool:
        return self.unit == ""


def _split_unit(unit: str, profile: Profile) -> tuple[str, Decimal]:
    """'万人' → ('人', 10000); '%' → ('%', 0.01); '元/人' → ('元/人', 1)."""
    if unit in profile.percent_units:
        return "%", Decimal("0.01")
    if unit in profile.permille_units:
        return "‰", Decimal("0.001")
    for prefix, factor in _magnitudes_longest_first(profile):
        if unit.startswith(prefix) and unit != prefix + "分比":
            return unit[len(prefix):], factor
    return unit, Decimal(1)


@lru_cache(maxsize=16)
def _magnitudes_longest_first(profile: Profile) -> list[tuple[str, Decimal]]:
    return sorted(profile.magnitudes.items(), key=lambda kv: -len(kv[0]))


def _strip_comparator(s: str) -> tuple[str, str | None]:
    direction = None
    for word, d in _PREFIX:
        if s.startswith(word):
            s, direction = s[len(word):], d
            break
    for word, d in _SUFFIX:
        if s.endswith(word):
            s = s[: -len(word)]
            direction = direction or d
            break
    return s, direction


def parse_quantity(x: object, profile: Profile | None = None) -> Quantity | None:
    """Parse a target/actual. Numbers pass through; text that is no quantity gives None (qualitative).

    Blank gives None as well — callers check ``is_blank`` first when blank matters.
    """
    profile = profile or default_profile()
    if isinstance(x, str):
        return _parse_text(x, profile)
    return _parse_any(x, profile)


@lru_cache(maxsize=65536)
def _parse_text(x: str, profile: Profile) -> Quantity | None:
    return _parse_any(x, profile)


def _parse_any(x: object, profile: Profile) -> Quantity | None:
    if is_blank(x):
        return None
    if isinstance(x, (int, float, Decimal)) and not isinstance(x, bool):
        d = to_decimal(x)
        assert d is not None
        return Quantity(str(x), d, d, "", "", Decimal(1), None)
    if not isinstance(x, str):
        raise InputError(f"无法识别的指标值类型：{type(x).__name__}")
    s = normalize_text(x)
    s = s.replace("％", "%").replace("（", "(").replace("）", ")")
    body, direction = _strip_comparator(s)
    m = _QTY_RE.match(body)
    if m:
        number = Decimal(m.group(1))
        unit = m.group(2).strip("()")
        base, scale = _split_unit(unit, profile)
        return Quantity(x, number, number * scale, unit, base, scale, direction)
    m = _RANGE_RE.match(body)
    if m:
        lo, u1, hi, u2 = Decimal(m.group(1)), m.group(2), Decimal(m.group(3)), m.group(4)
        unit = (u2 or u1).strip("()")
        base, scale = _split_unit(unit, profile)
        lo_scale = _split_unit(u1.strip("()"), profile)[1] if u1 else scale
        low, high = lo * lo_scale, hi * scale
        if low > high:
            low, high = high, low
        return Quantity(x, lo, low, unit, base, scale, RANGE, high)
    return None


def parse_direction(x: object) -> str | None:
    """A direction argument ('正向', '≥', '反向', '成本', …) → one of DIRECTIONS; blank → None."""
    if is_blank(x):
        return None
    s = normalize_text(str(x)).lower()
    for d, words in _DIRECTION_WORDS.items():
        if s in words or s == d:
            return d
    raise InputError(f"指标方向“{x}”无法识别（可用：正向/反向/等于/区间/定性，或 ≥ ≤ =）")


def infer_direction(target: object, profile: Profile | None = None) -> str:
    """Direction from how the target is written: comparator, range, number (正向) or text (定性)."""
    if is_blank(target):
        return QUALITATIVE
    q = parse_quantity(target, profile)
    if q is None:
        return QUALITATIVE
    return q.direction or POSITIVE


def default_direction(target: object, level2: str | None = None, profile: Profile | None = None) -> str:
    """Direction of an indicator written without 指标性质: the target's comparator; a bare number
    under a 二级指标 the profile names (``direction_by_level2``: 成本指标 → 反向); other numbers 正向;
    text (or a target that cannot be read) 定性."""
    profile = profile or default_profile()
    try:
        q = parse_quantity(target, profile)
    except InputError:
        q = None
    if q is None:
        return QUALITATIVE
    if q.direction:
        return q.direction
    for key, d in profile.direction_by_level2.items():
        if level2 and key in level2:
            return d
    return POSITIVE


def parse_band(x: object, profile: Profile | None = None) -> str | None:
    """A qualitative actual ("达成预期指标", "部分达成", "未达成") → its band name, else None.

    Bands are tried from the most specific (未达成, 部分达成) to the broadest (达成).
    """
    if is_blank(x) or not isinstance(x, str):
        return None
    profile = profile or default_profile()
    s = normalize_text(x)
    bands = profile.bands
    for band in sorted(bands, key=lambda b: b.high):     # 未达成 first, then 部分达成, then 达成
        if s == band.band or s == band.label:
            return band.band
    for band in sorted(bands, key=lambda b: b.high):
        if any(k in s for k in band.keywords if len(k) > 1):
            return band.band
    for band in sorted(bands, key=lambda b: b.high):
        if any(k in s for k in band.keywords if len(k) == 1):
            return band.band
    return None


def align(actual: Quantity, target: Quantity) -> tuple[Decimal, Decimal]:
    """Actual and target values on one scale, as the sheet displays them.

    A bare number adopts the unit written on the other side: target "18" with actual "18.74万人"
    compares 18.74 with 18 (万人); target "100" with actual "100%" compares 100% with 100%.
    Numbers (cell values, not text) ≤ 1 next to a percent are already ratios (Excel's 95% = 0.95).
    """
    a, t = actual, target
    if a.bare and not t.bare:
        return _adopt(a, t), t.value
    if t.bare and not a.bare:
        return a.value, _adopt(t, a)
    if not a.bare and not t.bare and a.base_unit != t.base_unit:
        raise InputError(f"目标值“{t.text}”与实际值“{a.text}”的单位不一致（{t.unit} 与 {a.unit}），无法比较")
    return a.value, t.value


def _adopt(bare: Quantity, other: Quantity) -> Decimal:
    if other.is_percent and abs(bare.number) <= 1 and not _looks_like_points(bare):
        return bare.number          # already a ratio
    return bare.number * other.scale


def _looks_like_points(q: Quantity) -> bool:
    """'1' written as text next to a percent is ambiguous; treat integers written as text as points."""
    return isinstance(q.text, str) and q.number == q.number.to_integral_value() and q.number != 0 and q.number > 1
