"""Scoring one indicator from its typed target and actual (``udfs.grammar.Value``), by kind.

财预〔2020〕10号《项目支出绩效评价管理办法》 (附件1 填表说明): a quantitative indicator that meets its
target gets the full points; one that does not, points in proportion of the actual to the target;
qualitative indicators in three bands — 达成年度指标 [80%,100%], 部分达成年度指标并具有一定效果
[60%,80%), 未达成年度指标且效果较差 [0,60%). What the text leaves open is a profile switch
(``udfs/profile_schema.json``). The rules by kind, each in the function that applies it:

- number, 正向 (≥, >): ``_forward``; 反向 (≤, <): ``_inverse``; 等于: ``_equal``;
- range: ``_in_range`` — full inside, proportional to the nearest bound outside;
- change ("增长10%", "提高5个百分点"): ``_change`` — scored on the change itself;
- date / deadline ("2023年12月底前", "按期完成"): ``_deadline`` — met → full, missed → the profile's band;
- duration ("3个工作日内"): a 反向 quantity;
- qualitative: ``_qualitative`` — the band the user chose, else the official phrase, else the lexicon.

A bare number takes the other side's unit only when the magnitudes agree (``align``).
Nothing here guesses: what the rules cannot decide is an ``Outcome`` with status ``not-scorable``
and a Chinese message; the caller keeps the stated score.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass, replace
from decimal import Decimal

from . import grammar as g
from .numbers import excel_round
from .profile import Profile
from .qualitative import ACHIEVED, deadline_status, lexicon_band, profile_lexicon, read_band

POSITIVE, NEGATIVE, EQUAL, RANGE, QUALITATIVE = "正向", "反向", "等于", "区间", "定性"
ONE, ZERO = Decimal(1), Decimal(0)
PLAUSIBLE = Decimal("31.6")          # 10^1.5: two numbers "agree in magnitude" within this factor
RATIO_LIMIT = Decimal(2)             # a bare number ≤ 2 next to a percent is a ratio (Excel's 95% = 0.95)

SCORED, NOT_SCORABLE, NOT_APPLICABLE, MAGNITUDE, UNIT = (
    "scored", "not-scorable", "not-applicable", "magnitude-mismatch", "unit-mismatch")


@dataclass(frozen=True)
class Outcome:
    """What the rules make of one indicator."""

    status: str                       # scored / not-scorable / not-applicable / magnitude-mismatch / unit-mismatch
    direction: str
    kind: str                         # the target's kind (grammar kinds)
    fraction: Decimal | None = None   # share of the points, unrounded
    score: Decimal | None = None      # rounded to the profile's digits (when a weight was given)
    met: bool | None = None
    message: str | None = None        # why not scorable (Chinese)
    review: str | None = None         # scored, but the reviewer should confirm (Chinese)
    band: str | None = None
    band_how: str | None = None
    actual: Decimal | None = None     # aligned numbers (base units) the score came from
    target: Decimal | None = None
    low: Decimal | None = None
    high: Decimal | None = None
    completion: Decimal | None = None  # unrounded
    deviation: Decimal | None = None   # unrounded; 0 inside a range
    note: str | None = None           # how a bare number was read (Chinese)


class Mismatch(Exception):
    def __init__(self, status: str, message: str):
        super().__init__(message)
        self.status, self.message = status, message


def _clamp(x: Decimal) -> Decimal:
    return max(ZERO, min(ONE, x))


def _agree(a: Decimal, b: Decimal) -> bool:
    if a == 0 or b == 0:
        return True
    r = abs(a / b)
    return ONE / PLAUSIBLE <= r <= PLAUSIBLE


def _ref_number(v: g.Value) -> tuple[Decimal, Decimal] | None:
    """(number as written, value in base units) of a side with a unit, for magnitude checks."""
    if v.kind in (g.NUMBER, g.DURATION, g.CHANGE) and v.number is not None and v.value is not None:
        return v.number, v.value
    if v.kind == g.RANGE and v.high_number is not None and v.high is not None:
        return v.high_number, v.high
    return None


def bare_as(bare: g.Value, other: g.Value) -> tuple[Decimal, str | None]:
    """The base-unit value of a bare number written next to ``other`` (which has a unit).

    Percent: the number is a ratio (0.95) or percent points (95), whichever agrees in magnitude
    with the other side; when both could, a number ≤ 2 is a ratio. Other units: the written unit
    (18 next to 18.74万人 is 18万人) or the base unit (187385 next to 20万人 is 187385人), whichever
    agrees; neither → ``Mismatch(magnitude-mismatch)``.
    """
    ref = _ref_number(other)
    assert bare.number is not None
    n = bare.number
    if ref is None:
        return n, None
    written, base = ref
    as_written = n * other.scale
    if other.scale == 1 or n == 0:
        return n, None                  # 0 is 0 in any unit: nothing to say about how it was read
    ok_written, ok_base = _agree(n, written), _agree(n, base)
    if other.is_percent or other.base_unit == "个百分点":
        if ok_base and (not ok_written or abs(n) <= RATIO_LIMIT):
            return n, f"{g.fmt(n)}按比率读作{g.fmt(n * 100)}%"
        if ok_written:
            return as_written, f"{g.fmt(n)}未写%，按{g.fmt(n)}%计"
        raise Mismatch(MAGNITUDE, f"“{bare.text}”没有单位，与“{other.text}”的数量级不符，"
                                  f"无法判断是比率还是百分数；请写成带%的数（如{g.fmt(written)}%）")
    if ok_written and not ok_base:
        return as_written, None
    if ok_base and not ok_written:
        return n, f"{g.fmt(n)}没有单位，按{g.fmt(n)}{other.base_unit}（而非{g.fmt(n)}{other.unit}）计"
    raise Mismatch(MAGNITUDE, f"“{bare.text}”没有单位，与“{other.text}”的数量级不符，"
                              f"无法判断单位；请写明单位（{other.unit}或{other.base_unit}）")


def _same_base(a: g.Value, t: g.Value) -> bool:
    x, y = a.base_unit, t.base_unit
    return x == y or x.startswith(y) or y.startswith(x)


def align(actual: g.Value, target: g.Value) -> tuple[Decimal, Decimal, str | None]:
    """(actual, target, note) on one scale, in base units of the target's reference value."""
    ref = _ref_number(target)
    assert ref is not None and actual.number is not None and actual.value is not None
    tv = ref[1]
    if actual.bare and target.unit:
        av, note = bare_as(actual, target)
        return av, tv, note
    if target.unit == "" and actual.unit:       # no unit → scale 1: the target's value is its number
        tv2, note = bare_as(g.Value(g.NUMBER, target.text, None, tv, "", "", ONE, tv), actual)
        return actual.value, tv2, note
    _comparable(actual, actual.value, target, tv)
    return actual.value, tv, None


def _comparable(actual: g.Value, av: Decimal, target: g.Value, tv: Decimal) -> None:
    """Two sides written with units compare only in one base unit ("人" and "人次" are one, "户" and
    "人" are not), and a side written "200万" only against a quantity it can multiply; else ``Mismatch``."""
    if actual.unit and target.unit and not _same_base(actual, target):
        raise Mismatch(UNIT, f"目标值“{target.text}”与实际值“{actual.text}”的单位不一致"
                             f"（{target.unit}与{actual.unit}），无法比较")
    if _magnitude_only(actual) != _magnitude_only(target):
        _magnitudes_agree(actual, av, target, tv)


def _magnitude_only(v: g.Value) -> bool:
    """A number written with a magnitude word and no unit ("200万"): ``grammar.split_unit``."""
    return bool(v.unit) and not v.base_unit


def _magnitudes_agree(actual: g.Value, av: Decimal, target: g.Value, tv: Decimal) -> None:
    """A side written "200万" takes the other side's unit (200万 next to 195.5万元 is 200万元) only
    when that unit is a quantity a magnitude word can multiply (not %, ‰, 个百分点) and the two
    agree in magnitude; otherwise ``Mismatch``."""
    other = target if _magnitude_only(actual) else actual
    if other.base_unit in ("%", "‰", "个百分点"):
        raise Mismatch(UNIT, f"目标值“{target.text}”与实际值“{actual.text}”的单位不一致"
                             f"（{target.unit}与{actual.unit}），无法比较")
    if not _agree(av, tv):
        raise Mismatch(MAGNITUDE, f"目标值“{target.text}”与实际值“{actual.text}”的数量级不符，"
                                  f"无法判断单位；请写明单位（如{other.unit}）")


# ---- direction -------------------------------------------------------------------------------
def direction_of(target: g.Value, stated: str | None = None, level2: str | None = None,
                 profile: Profile | None = None, name: str | None = None) -> str:
    """The stated 指标性质, else what the target's form says: ≥ 正向, ≤ 反向, = 等于, a range 区间,
    a duration 反向, a change by its comparator (正向 by default), a date/deadline 正向 (met or not),
    a bare number whose 三级指标 the profile names (``direction_by_name``: 预算调整率 → 反向) or under a
    二级指标 it names (``direction_by_level2``: 成本指标 → 反向), else a bare 0 反向 (a count or rate
    that must stay at none: 正向 would give any actual full points), text 定性."""
    if stated:
        return stated
    if target.kind in (g.PHRASE, g.UNKNOWN, g.NA):
        return QUALITATIVE
    if target.kind == g.RANGE:
        return RANGE
    if target.op in (g.GE, g.GT):
        return POSITIVE
    if target.op in (g.LE, g.LT):
        return NEGATIVE if target.kind != g.DATE else POSITIVE
    if target.op == g.EQ:
        return EQUAL
    if target.kind == g.DURATION:
        return NEGATIVE
    if target.kind == g.NUMBER and profile is not None:
        for text, table in ((name, profile.direction_by_name), (level2, profile.direction_by_level2)):
            for key, d in table.items():
                if text and key in text:
                    return d
    if target.kind == g.NUMBER and target.value == 0:
        return NEGATIVE                     # "安全事故 0起": a ceiling — more than none misses it
    return POSITIVE


# ---- rules by kind -------------------------------------------------------------------------
def _forward(a: Decimal, t: Decimal, strict: bool, profile: Profile) -> tuple[Decimal, bool, str | None]:
    """正向 (财预〔2020〕10号): met (a ≥ t; a > t when strict) → 1; else a ÷ t."""
    met = a > t if strict else a >= t
    if met:
        return ONE, True, None
    if strict and a == t:
        return _at_bound(profile, ">")
    return (a / t if t > 0 else ZERO), False, None


def _inverse(a: Decimal, t: Decimal, strict: bool, profile: Profile) -> tuple[Decimal, bool, str | None]:
    """反向: met (a ≤ t; a < t when strict) → 1; else ``inverse_formula``: t ÷ a (target_over_actual,
    default) or 1 − (a − t) ÷ t (linear_to_zero: 0 at a ≥ 2t)."""
    met = a < t if strict else a <= t
    if met:
        return ONE, True, None
    if strict and a == t:
        return _at_bound(profile, "<")
    return _over(a, t, profile), False, None


def _over(a: Decimal, t: Decimal, profile: Profile) -> Decimal:
    if profile.inverse_formula == "linear_to_zero":
        return ONE - (a - t) / t if t > 0 else ZERO
    return t / a if a > 0 else ZERO


def _at_bound(profile: Profile, op: str) -> tuple[Decimal, bool, str | None]:
    """A strict comparator exactly at its bound is not met; profile ``strict_at_bound`` decides the share."""
    note = f"实际值恰好等于目标值，目标要求“{op}”（不含等于），未达到"
    if profile.strict_at_bound == "zero":
        return ZERO, False, note + "，按0-1法记0分"
    return ONE, False, note + "；按完成比例计为满分，请评审确认是否扣分"


def _equal(a: Decimal, t: Decimal, profile: Profile) -> tuple[Decimal, bool, str | None]:
    """等于: a = t → 1; else 1 − |a − t| ÷ |t| (``equal``: two_sided), or scored like ≥ (at_least)."""
    if profile.equal_mode == "at_least":
        return _forward(a, t, False, profile)
    if a == t:
        return ONE, True, None
    return (ONE - abs(a - t) / abs(t) if t != 0 else ZERO), False, None


def _in_range(a: Decimal, lo: Decimal, hi: Decimal, lo_open: bool, hi_open: bool,
              profile: Profile) -> tuple[Decimal, bool, str | None]:
    """区间: inside (ends open or closed as written) → 1; below → a ÷ low; above → as 反向 on the high bound."""
    if (a > lo if lo_open else a >= lo) and (a < hi if hi_open else a <= hi):
        return ONE, True, None
    if a <= lo:
        return _forward(a, lo, lo_open, profile)
    return _inverse(a, hi, hi_open, profile)


def _bare_zero(target: g.Value, a: Decimal, t: Decimal) -> str | None:
    """A target without comparator is 正向 (more is better); an actual of 0 then scores 0 — the case
    of a lower-is-better rate written bare ("预算调整率 3%" with 0). Never a silent 0: the reviewer
    is asked (the profile's ``direction_by_name`` names the rates known to be 反向)."""
    if target.kind != g.NUMBER or target.op is not None or a != 0 or t <= 0:
        return None
    return (f"年度指标值“{target.text}”没有比较符号，按正向（越大越好）计，实际值0得0分；如该指标越小越好，"
            f"请写成“≤{target.text}”或将指标性质设为反向")


def _change_size(actual: g.Value, target: g.Value) -> tuple[Decimal, str | None]:
    """The actual change in the target's direction (base units): "增长8%" under 增长10% → 0.08,
    "下降2%" under 增长10% → −0.02; a plain number is the change as written, and under a fall its sign
    says nothing ("6%" and "-6%" under 下降5% are both a fall of 6%)."""
    if actual.kind == g.CHANGE:
        if actual.points != target.points:
            raise Mismatch(UNIT, f"目标值“{target.text}”与实际值“{actual.text}”一个是百分比、一个是百分点，无法比较")
        assert actual.value is not None
        return actual.value * actual.sign * target.sign, None
    if actual.kind != g.NUMBER or actual.value is None:
        raise Mismatch(NOT_SCORABLE, f"目标为变化量“{target.text}”，实际值“{actual.text}”不是变化量")
    if target.points and not actual.bare:
        raise Mismatch(NOT_SCORABLE, f"目标为“{target.text}”（百分点），实际值“{actual.text}”是百分比；"
                                     f"请写明提高（下降）了多少个百分点")
    if actual.bare:
        v, note = bare_as(actual, target)
    else:
        assert target.value is not None
        _comparable(actual, actual.value, target, target.value)    # "5万" under 增长10%: no percentage
        v, note = actual.value, None
    if target.sign < 0:
        v = abs(v)                              # "-6%" or "6%" under 下降5%: a fall of 6%
    return v, note


def _date_span(v: g.Value) -> tuple[dt.date, dt.date] | None:
    if v.kind == g.DATE and v.year:
        if v.month and v.day:
            try:
                d = dt.date(v.year, v.month, v.day)
            except ValueError:
                return None
            return d, d
        if v.month:
            last = calendar.monthrange(v.year, v.month)[1]
            return dt.date(v.year, v.month, 1), dt.date(v.year, v.month, last)
        return dt.date(v.year, 1, 1), dt.date(v.year, 12, 31)
    return None


def _as_year(v: g.Value) -> g.Value:
    """A bare integer 1949–2100 next to a date is a year ("2021" → 2021年)."""
    if v.kind == g.NUMBER and v.bare and v.number is not None and v.number == v.number.to_integral_value() \
            and 1949 <= v.number <= 2100:
        return g.Value(g.DATE, v.text, None, year=int(v.number))
    return v


def _as_month(v: g.Value) -> g.Value:
    """A number written "N月" (1 ≤ N ≤ 12) next to a date target is month N ("7月" against "9月前",
    金寨县 2023 部门整体支出绩效自评表), compared within the target's year."""
    if v.kind == g.NUMBER and v.unit == "月" and v.op is None and v.number is not None \
            and v.number == v.number.to_integral_value() and 1 <= v.number <= 12:
        return g.Value(g.DATE, v.text, None, month=int(v.number))
    return v


def _deadline(target: g.Value, actual: g.Value, profile: Profile) -> tuple[bool | None, str | None]:
    """Met or missed: a date actual against a date target (years compared as dates, "2021" vs "2022年"
    is late); a written actual by the deadline words (按期/按时 met; 逾期/延期/未按期 missed) or a
    是/否 answer."""
    actual = _as_year(actual)
    if target.kind == g.DATE:
        actual = _as_month(actual)
        t = _date_span(target)
        if actual.kind == g.DATE:
            a = _date_span(actual)
            if a is None and actual.month and target.month and not actual.year:
                a = _date_span(g.Value(g.DATE, "", None, year=target.year or 2000, month=actual.month,
                                       day=actual.day))
                t = _date_span(g.Value(g.DATE, "", None, year=target.year or 2000, month=target.month,
                                       day=target.day)) if not target.year else t
            if t is None and target.month and actual.year:
                t = _date_span(g.Value(g.DATE, "", None, year=actual.year, month=target.month, day=target.day))
            if a is None or t is None:
                bad = next((v for v, span in ((target, t), (actual, a)) if span is None and v.year), None)
                if bad is not None:                  # "2023年2月30日": a year, but no such day
                    return None, f"日期“{bad.text}”不存在，无法判断是否在期限内；请改正日期"
                return None, f"无法比较日期“{target.text}”与“{actual.text}”（缺少年份）"
            if a[1] <= t[1]:
                return True, None
            if a[0] > t[1]:
                return False, None
            return None, f"实际完成时间“{actual.text}”不够具体，无法判断是否在“{target.text}”之前"
    status = deadline_status(actual.text, profile) if actual.kind in (g.PHRASE, g.DEADLINE, g.UNKNOWN) else None
    if status is None:
        status = yes_no(actual, profile)     # "按时完成" answered "是" / "否"
    if status is None:
        return None, (f"目标为时限“{target.text}”，实际值“{actual.text}”未说明是否按期"
                      f"（请写明完成时间，或“按期完成”/“逾期”）")
    return status, None


def _qualitative(actual: g.Value, band: object, rate: Decimal | None, target: g.Value,
                 profile: Profile) -> tuple[Decimal | None, str | None, str | None, str | None]:
    """定性 (fraction, band, how, message): 得分率 given → it (inside its band); else the band read by
    ``udfs.qualitative.read_band`` at the profile's ``default`` share; a number under a text target is
    the degree of completion (100% → full), as the template's formula has it; else not scorable."""
    reading = read_band(actual.text if actual.kind != g.NUMBER else None, profile, band)
    if rate is not None:
        if reading.band is not None:
            b = profile.band(reading.band)
            if b is not None and not b.contains(rate):
                return None, reading.band, reading.how, (f"得分率{g.fmt(rate * 100)}%不在“{b.band}”档次"
                                                         f"{b.text}内")
        return rate, reading.band, reading.how, None
    if reading.band is not None:
        b = profile.band(reading.band)
        assert b is not None
        return b.default_rate, b.band, reading.how, None
    if actual.kind == g.NUMBER and target.kind == g.PHRASE and actual.value is not None:
        assert actual.number is not None
        degree = actual.value if (actual.is_percent or abs(actual.number) <= 1) else actual.number / 100
        return degree, None, "degree", None
    if reading.how == "conflict":
        msg = f"实际完成值“{actual.text}”同时含有不同档次的说法（{reading.evidence}），无法确定档次"
    else:
        msg = f"实际完成值“{actual.text}”没有可识别的档次说法"
    return None, None, None, msg + "；请在“定性档次”中选择 达成/部分达成/未达成（保留填报得分）"


def _upper_bound(target: g.Value, d: str) -> bool:
    """A count or rate the actual must stay under ("小于5次", "≤3%", a 反向 number, a target of 0),
    not money (“无超支” under ≤90万元 is no overspend, not a cost of 0)."""
    if target.kind != g.NUMBER or target.value is None or target.base_unit.startswith("元"):
        return False
    return d == NEGATIVE or (target.value == 0 and target.op in (None, g.EQ, g.LE))


def none_as_zero(actual: g.Value, target: g.Value, d: str, profile: Profile) -> g.Value | None:
    """"无上访", "未发生安全事故", "零投诉" — or a bare "无" — under an upper-bound count or rate
    ("小于5次", "0起") says none happened: 0 in the target's unit (``lexicon.json`` none_prefixes).
    Not a longer text (over 15 characters: a narrative, not a count) or one of more than one clause
    ("无上访，但来电反映问题较多", "无上访但来电较多" say something happened: punctuation or a
    ``none_breaks`` word; a list split at 、 must be of none-statements only — "无上访、无越级上访" is,
    "无上访、有来电" is not), not one that starts like it but says
    something else ("无法统计", "无人机", "零星发生": none_exceptions; "无偿": negator_exceptions), not
    one that reads as a shortfall ("无明显成效"); a phrase never carries a digit (the grammar makes
    such text unknown). "无" under a ≥ target stays not applicable."""
    if not _upper_bound(target, d) or actual.kind not in (g.PHRASE, g.NA):
        return None
    s = g.normalize(actual.text)
    lex = profile_lexicon(profile)
    if len(s) > 15 or re.search(r"[,;.。]", s) or any(w in s for w in lex.get("none_breaks", [])):
        return None
    if actual.kind == g.NA:
        if s != "无":
            return None
    elif not all(part.startswith(tuple(lex["none_prefixes"])) for part in s.split("、")) \
            or s.startswith((*lex["none_exceptions"], *lex["negator_exceptions"])) \
            or lexicon_band(s, profile).band not in (None, ACHIEVED):
        return None
    return g.Value(g.NUMBER, actual.text, None, ZERO, target.unit, target.base_unit, target.scale, ZERO)


def yes_no(v: g.Value, profile: Profile | None = None) -> bool | None:
    """The answer of a 是/否 indicator ("是" True, "否" False, ``lexicon.json`` yes_no), else None."""
    if v.kind not in (g.PHRASE, g.NA):
        return None
    s, words = g.normalize(v.text), profile_lexicon(profile)["yes_no"]
    return True if s in words["yes"] else False if s in words["no"] else None


# ---- the entry point -----------------------------------------------------------------------
def evaluate(target: g.Value, actual: g.Value, profile: Profile, *, direction: str | None = None,
             weight: Decimal | None = None, band: object = None, rate: Decimal | None = None,
             level2: str | None = None, name: str | None = None) -> Outcome:
    """Score one indicator by the rules of its kind (module doc). ``band``/``rate`` are the 定性档次
    and 得分率 the user chose, if any; ``level2``/``name`` the 二级/三级指标 (direction of a bare number)."""
    if actual.kind == g.DATE and target.kind == g.NUMBER:
        target = _as_year(target)              # "2021" next to "2022年" is a year, compared as a date
    d = direction_of(target, direction, level2, profile, name)
    kind = target.kind
    # the 定性档次 / 得分率 the user chose wins over reading "无上访" as 0
    zero = none_as_zero(actual, target, d, profile) if band is None and rate is None else None
    if zero is not None:
        out = evaluate(target, zero, profile, direction=d, weight=weight, level2=level2, name=name)
        return replace(out, note=f"实际值“{actual.text}”表示未发生，按0{target.unit}计")

    def done(fraction: Decimal | None, **kw) -> Outcome:
        score = None
        if fraction is not None and weight is not None:
            score = excel_round(weight * _clamp(fraction), profile.score_digits)
        return Outcome(SCORED, d, kind, fraction, score, **kw)

    def fail(status: str, message: str, **kw) -> Outcome:
        return Outcome(status, d, kind, message=message, **kw)

    if target.kind == g.NA or actual.kind == g.NA:
        return Outcome(NOT_APPLICABLE, d, kind, message="目标值或实际值为“/”（不适用）")
    if actual.kind == g.UNKNOWN and not actual.text:
        return fail(NOT_SCORABLE, "实际值为空")
    if d == QUALITATIVE or target.kind in (g.PHRASE, g.UNKNOWN):
        if target.kind == g.UNKNOWN and direction != QUALITATIVE and band is None and rate is None:
            return fail(NOT_SCORABLE, f"年度指标值“{target.text}”的写法无法识别（不是数值、区间、变化量、"
                                      f"日期或时限）；请改写，或将指标性质设为定性并选择档次")
        yes = (yes_no(target, profile), yes_no(actual, profile)) if band is None and rate is None else (None, None)
        if None not in yes:
            if yes[0] == yes[1]:
                return done(ONE, met=True, band=ACHIEVED, band_how="yes-no")
            b = profile.band(profile.yes_no_missed_band)
            return done(b.default_rate if b is not None else ZERO, met=False, band=profile.yes_no_missed_band,
                        band_how="yes-no", review=f"目标为“{target.text}”，实际为“{actual.text}”，未达到；"
                                                  f"按“{profile.yes_no_missed_band}”档计分，请评审确认")
        frac, b, how, msg = _qualitative(actual, band, rate, target, profile)
        if frac is None:
            return fail(NOT_SCORABLE, msg or "", band=b, band_how=how)
        return done(frac, band=b, band_how=how)
    if kind in (g.DATE, g.DEADLINE):
        met, msg = _deadline(target, actual, profile)
        if met is None and actual.kind in (g.PHRASE, g.DEADLINE):
            reading = read_band(actual.text, profile, band)      # "部分达成", "达到了指标值": a band
            if reading.band is not None:
                bd = profile.band(reading.band)
                assert bd is not None
                return done(bd.default_rate, met=reading.band == "达成", band=bd.band, band_how=reading.how)
        if met is None:
            return fail(NOT_SCORABLE, msg or "")
        if met:
            return done(ONE, met=True, completion=ONE, deviation=ZERO)
        b = profile.band(profile.deadline_missed_band)
        frac = b.default_rate if b is not None else ZERO
        return done(frac, met=False, band=profile.deadline_missed_band, band_how="deadline",
                    review=(f"未按期完成（目标“{target.text}”，实际“{actual.text}”）" if kind == g.DEADLINE else
                            f"未在“{target.text}”前完成（实际“{actual.text}”）")
                    + f"，按“{profile.deadline_missed_band}”档计分，请评审确认")
    if actual.kind in (g.PHRASE, g.DEADLINE):
        reading = read_band(actual.text, profile, band)
        if reading.how in ("official", "chosen") and reading.band:
            bd = profile.band(reading.band)
            assert bd is not None
            return done(bd.default_rate, band=bd.band, band_how=reading.how)
        return fail(NOT_SCORABLE, f"目标值“{target.text}”是数值，实际值“{actual.text}”却是文字，无法计分；"
                                  f"请填写实际数值，或选择定性档次")
    try:
        if kind == g.CHANGE:
            a, note = _change_size(actual, target)
            assert target.value is not None
            t = target.value
            strict = target.strict
            frac, met, review = (_inverse(a, t, strict, profile) if d == NEGATIVE else _forward(a, t, strict, profile))
            comp = a / t if t else None
            dev = (a - t) / t if t else None
            return done(frac, met=met, review=review, actual=a, target=t, completion=comp, deviation=dev, note=note)
        if actual.kind not in (g.NUMBER, g.DURATION) or actual.value is None:
            return fail(NOT_SCORABLE, f"实际值“{actual.text}”的写法无法识别，无法与目标值“{target.text}”比较")
        if kind == g.DURATION and actual.kind == g.DURATION and actual.base_unit != target.base_unit:
            raise Mismatch(UNIT, f"目标值“{target.text}”与实际值“{actual.text}”的时间单位不同"
                                 f"（{target.unit}与{actual.unit}），无法比较")
        a, t, note = align(actual, target)
        if kind == g.RANGE:
            assert target.low is not None and target.high is not None
            scale = t / target.high if target.high else ONE
            lo, hi = target.low * scale, t
            frac, met, review = _in_range(a, lo, hi, target.low_open, target.high_open, profile)
            nearest = None if met else lo if a <= lo else hi   # the bound missed (outside, or at an open end)
            dev = ZERO if nearest is None else (a - nearest) / nearest if nearest else None
            comp = ONE if nearest is None else (a / nearest if nearest else None)
            return done(frac, met=met, review=review, actual=a, target=nearest, low=lo, high=hi,
                        completion=comp, deviation=dev, note=note)
        strict = target.strict
        if d == NEGATIVE:
            frac, met, review = _inverse(a, t, strict, profile)
        elif d == EQUAL or d == RANGE:
            frac, met, review = _equal(a, t, profile)
        else:
            frac, met, review = _forward(a, t, strict, profile)
            review = review or _bare_zero(target, a, t)
        comp = a / t if t else None
        dev = (a - t) / t if t else None
        return done(frac, met=met, review=review, actual=a, target=t, completion=comp, deviation=dev, note=note)
    except Mismatch as m:
        return fail(m.status, m.message)
