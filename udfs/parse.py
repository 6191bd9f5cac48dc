"""Targets and actuals as users write them — the compatibility face of ``udfs.grammar``.

``parse_value`` gives the typed ``Value`` (number, range, change, date, deadline, duration,
qualitative, not-applicable, unknown). ``parse_quantity`` keeps the older, narrower view: a
number, range or duration as a ``Quantity``; anything else ``None``. Units scale by the profile's
unit table (万 = 10⁴, …); percent becomes a ratio (95% → 0.95).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from . import grammar as g
from .errors import InputError
from .numbers import is_blank, normalize_text
from .profile import Profile, default_profile
from .qualitative import read_band

POSITIVE, NEGATIVE, EQUAL, RANGE, QUALITATIVE = "正向", "反向", "等于", "区间", "定性"
DIRECTIONS = (POSITIVE, NEGATIVE, EQUAL, RANGE, QUALITATIVE)

_DIRECTION_WORDS = {
    POSITIVE: ("正向", "正", "≥", ">=", ">", "高优", "越大越好", "up", "positive", "max"),
    NEGATIVE: ("反向", "反", "≤", "<=", "<", "低优", "越小越好", "down", "negative", "min", "成本"),
    EQUAL: ("等于", "=", "==", "equal", "eq"),
    RANGE: ("区间", "范围", "range", "between"),
    QUALITATIVE: ("定性", "qualitative", "text"),
}
_OP_DIRECTION = {g.GE: POSITIVE, g.GT: POSITIVE, g.LE: NEGATIVE, g.LT: NEGATIVE, g.EQ: EQUAL}


@lru_cache(maxsize=16)
def units_of(profile: Profile) -> g.Units:
    """The grammar's unit table from a profile."""
    return g.Units(tuple(sorted(profile.magnitudes.items())), profile.percent_units, profile.permille_units)


def parse_value(x: object, profile: Profile | None = None) -> g.Value:
    """Any target/actual (text or a cell value) → its typed ``udfs.grammar.Value``."""
    return g.parse(x, units_of(profile or default_profile()))


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
    return units_of(profile).split(unit)


def quantity_of(v: g.Value) -> Quantity | None:
    """The ``Quantity`` view of a number, range or duration value; None for other kinds."""
    if v.kind in (g.NUMBER, g.DURATION) and v.number is not None and v.value is not None:
        d = _OP_DIRECTION.get(v.op or "")
        if v.kind == g.DURATION and d is None:
            d = NEGATIVE
        return Quantity(v.text, v.number, v.value, v.unit, v.base_unit, v.scale, d)
    if v.kind == g.RANGE and v.low is not None and v.low_number is not None:
        return Quantity(v.text, v.low_number, v.low, v.unit, v.base_unit, v.scale, RANGE, v.high)
    if v.kind == g.DATE and v.year and not v.month and "年" in v.text:
        year = Decimal(v.year)       # "2021年": the older view's number with unit 年 (templates store years)
        return Quantity(v.text, year, year, "年", "年", Decimal(1), _OP_DIRECTION.get(v.op or ""))
    return None


def parse_quantity(x: object, profile: Profile | None = None) -> Quantity | None:
    """A number, range, duration or a year ("2021年") as a ``Quantity``; other text (qualitative,
    deadlines, changes) None.

    Blank gives None as well — callers check ``is_blank`` first when blank matters.
    """
    if is_blank(x):
        return None
    if not isinstance(x, (str, int, float, Decimal)) or isinstance(x, bool):
        raise InputError(f"无法识别的指标值类型：{type(x).__name__}")
    v = parse_value(x, profile)
    if v.kind == g.UNKNOWN and not isinstance(x, str):
        raise InputError(f"无法识别的指标值：{x}")
    return quantity_of(v)


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
    """Direction from how the target is written (``udfs.evaluate.direction_of``)."""
    from .evaluate import direction_of

    if is_blank(target):
        return QUALITATIVE
    return direction_of(parse_value(target, profile))


def default_direction(target: object, level2: str | None = None, profile: Profile | None = None,
                      name: str | None = None) -> str:
    """Direction of an indicator written without 指标性质: the target's comparator; a bare number
    whose 三级指标 or 二级指标 the profile names (``direction_by_name``: 预算调整率 → 反向;
    ``direction_by_level2``: 成本指标 → 反向); other numbers 正向; text (or a target that cannot be
    read) 定性."""
    from .evaluate import direction_of

    profile = profile or default_profile()
    if is_blank(target):
        return QUALITATIVE
    return direction_of(parse_value(target, profile), None, level2, profile, name)


def parse_band(x: object, profile: Profile | None = None) -> str | None:
    """A qualitative actual or a chosen 档次 → its band name (``udfs.qualitative.read_band``), else None."""
    if is_blank(x) or not isinstance(x, str):
        return None
    return read_band(x, profile or default_profile()).band


def align(actual: Quantity, target: Quantity) -> tuple[Decimal, Decimal]:
    """Actual and target values on one scale (``udfs.evaluate.align``: a bare number takes the
    other side's unit only when the magnitudes agree)."""
    from .evaluate import Mismatch
    from .evaluate import align as value_align

    def value(q: Quantity) -> g.Value:
        kind = g.RANGE if q.high is not None else g.NUMBER
        return g.Value(kind, q.text, None, q.number, q.unit, q.base_unit, q.scale, q.value,
                       q.value if q.high is not None else None, q.high, low_number=q.number,
                       high_number=q.high / q.scale if q.high is not None and q.scale else None)

    try:
        av, tv, _note = value_align(value(actual), value(target))
    except Mismatch as m:
        raise InputError(m.message) from None
    if target.high is not None:
        tv = target.value * (tv / target.high) if target.high else target.value
    return av, tv
