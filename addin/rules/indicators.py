"""绩效指标 checks: unit-mismatch, magnitude-mismatch (money targets/actuals), deviation-unexplained,
missing-category, not-scorable.

A target and its actual must be in one unit and magnitude (the unit in the indicator's name,
"补助人数（人）", applies to a bare number); |偏离度| above the profile threshold (30%) needs a
written reason, far above target included (财预〔2020〕10号 asks to analyse why).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from udfs import InputError, Profile
from udfs.parse import QUALITATIVE, Quantity, parse_quantity, quantity_of
from workbook_templates.model import Evaluation, Finding, Indicator

from . import check, finding
from .common import blank, cell_of, fmt, pct

FAR_LOW, FAR_HIGH = Decimal(3162), Decimal(31623)      # 10^3.5 … 10^4.5: "about 10⁴"
TEN_THOUSAND = Decimal(10000)                           # 元 ↔ 万元


@dataclass(frozen=True)
class Unit:
    text: str        # as written ("万人", "人")
    base: str        # without magnitude ("人")
    scale: Decimal   # 10000 for 万

    @property
    def is_money(self) -> bool:
        return self.base.startswith("元")


def header_unit(ind: Indicator, profile: Profile) -> Unit | None:
    if blank(ind.header_unit):
        return None
    try:
        q = parse_quantity(f"1{ind.header_unit}", profile)
    except InputError:
        return None
    if q is None:
        return None
    return Unit(q.unit, q.base_unit, q.scale)


def _quantity(text: object, profile: Profile) -> Quantity | None:
    try:
        return parse_quantity(text, profile)
    except InputError:
        return None


def indicator_quantities(ind: Indicator, profile: Profile) -> tuple[Quantity | None, Quantity | None]:
    """Target and actual as quantities, from the values the pipeline parsed once (text otherwise)."""
    def one(value: object, text: object) -> Quantity | None:
        return quantity_of(value) if value is not None else _quantity(text, profile)
    return one(ind.target_value, ind.target), one(ind.actual_value, ind.actual)


def written_unit(q: Quantity, header: Unit | None) -> Unit | None:
    """The unit a value is in: its own, else the header's for a bare number, else unknown."""
    if not q.bare:
        return Unit(q.unit, q.base_unit, q.scale)
    return header


def compatible(a: str, b: str) -> bool:
    """Same kind of unit: equal, or one refines the other (元 and 元/年)."""
    return a == b or a.startswith(b) or b.startswith(a) or not a or not b


def _magnitude_of_percent(a: Unit, b: Unit) -> bool:
    """A magnitude word alone ("200万", base "") next to %/‰: 万 never multiplies a percentage."""
    return any(x.text and not x.base and y.base in ("%", "‰", "个百分点") for x, y in ((a, b), (b, a)))


@dataclass
class UnitIssue:
    rule: str
    message: str
    expected: object


def unit_issue(ind: Indicator, profile: Profile) -> UnitIssue | None:
    """Why the target and the actual are not in one unit/magnitude, or None."""
    t, a = indicator_quantities(ind, profile)
    if t is None or a is None:
        return None
    h = header_unit(ind, profile)
    tu, au = written_unit(t, h), written_unit(a, h)
    if tu is None or au is None:
        return None
    name = ind.name or "（未命名指标）"
    t_desc = f"目标值“{ind.target}”" + (f"（按指标名称中的单位即{fmt(t.number)}{h.text}）" if t.bare and h else "")
    a_desc = f"实际值“{ind.actual}”" + (f"（按指标名称中的单位即{fmt(a.number)}{h.text}）" if a.bare and h else "")
    if tu.is_money and au.is_money and compatible(tu.base, au.base):
        tv, av = t.number * tu.scale, a.number * au.scale
        if tv > 0 and av > 0:
            ratio = max(tv, av) / min(tv, av)
            if FAR_LOW <= ratio <= FAR_HIGH:
                # the actual's figure meant in the other of 元/万元 (×10⁴ or ÷10⁴), said in the target's unit
                meant = av * TEN_THOUSAND if av < tv else av / TEN_THOUSAND
                return UnitIssue("magnitude-mismatch",
                                 f"指标“{name}”{t_desc}与{a_desc}相差约1万倍，疑似“元”与“万元”写错。",
                                 f"{fmt(meant / tu.scale)}{tu.text}")
    if not compatible(tu.base, au.base) or _magnitude_of_percent(tu, au):
        if (t.bare or a.bare) and h is not None:
            return None   # the name's bracket may not be a unit at all ("补助人数（含残疾人）")
        return UnitIssue("unit-mismatch",
                         f"指标“{name}”{t_desc}与{a_desc}的计量单位不同（{tu.text}与{au.text}），无法比较。", None)
    if tu.scale != au.scale:
        guess = f"{fmt(t.number)}{au.text}"
        return UnitIssue("unit-mismatch",
                         f"指标“{name}”{t_desc}与{a_desc}的数量级不同（{tu.text}与{au.text}），"
                         f"完成率和得分因此不可靠；目标值疑为“{guess}”，请统一单位。", guess)
    return None


@check
def indicator_units(ev: Evaluation, profile: Profile) -> Iterator[Finding]:
    """unit-mismatch / magnitude-mismatch per indicator (the written units, and the rules' reading of
    a bare number: ``udfs.evaluate.bare_as``); not-scorable for the rest the rules could not score;
    needs-review where the rules scored but the reviewer decides (a missed deadline, a strict
    comparator at its bound). How a bare *actual* was read next to a target with a unit
("≥95%" with 98 → 98%) is information; a bare *target* next to a written actual ("100" with "100%",
as the published tables write it) is not reported."""
    for ind in ev.indicators:
        out = ind.outcome
        issue = unit_issue(ind, profile)
        where = cell_of(ind.cells, "actual", "target", default=ind.cell)
        if issue is not None:
            yield finding(issue.rule, cell_of(ind.cells, "target", default=ind.cell), issue.message, issue.expected)
        elif out is not None and out.status in ("magnitude-mismatch", "unit-mismatch") and ind.weight is not None:
            yield finding(out.status, where, f"指标“{ind.name}”：{out.message}。未按规则计分，保留填报得分。", None)
        elif ind.rule_error and ind.weight is not None:
            yield finding("not-scorable", where, f"指标“{ind.name}”无法按规则计分：{ind.rule_error}。需人工评分。", None)
        if out is not None and out.status == "scored" and ind.weight is not None and out.review:
            yield finding("needs-review", where, f"指标“{ind.name}”：{out.review}。", None)
        elif out is not None and out.note and ind.actual_value is not None and ind.actual_value.kind in (
                "qualitative", "not-applicable") and issue is None:
            # "无上访" under "小于5次": none happened, read as 0 (udfs.evaluate.none_as_zero)
            yield finding("needs-review", where, f"指标“{ind.name}”：{out.note}。", None, "info")
        elif out is not None and out.note and ind.actual_value is not None and ind.actual_value.bare \
                and ind.target_value is not None and ind.target_value.unit and issue is None:
            # mixed entry ("≥95%" with 98): say how the bare number was read, as information
            yield finding("needs-review", where, f"指标“{ind.name}”实际值没有单位：{out.note}；"
                                                 f"如不是，请写明单位。", None, "info")


def exceeds(deviation: Decimal, profile: Profile, better: bool | None = None) -> bool:
    """Whether a 偏离度 needs a written reason: beyond the threshold (``deviation.inclusive``: at it
    too) on the side the profile names (``deviation.side``: both / over / shortfall). The side is
    the result's against its target, not the sign of actual − target (财预〔2020〕10号: 未完成目标 /
    完成值高于指标值较多). ``better`` is whether the result met its target: met and off the target
    (正向 above it, 反向 under its ceiling) is ``over``, not met (正向 below, 反向 above, outside a
    range) is ``shortfall``; unknown (None) reads the sign as 正向."""
    side = profile.deviation_side
    if side != "both":
        if deviation == 0:
            return False
        if (deviation > 0 if better is None else better) != (side == "over"):
            return False
    size, limit = abs(deviation), profile.deviation_threshold
    return size >= limit if profile.deviation_inclusive else size > limit


@check
def deviation_unexplained(ev: Evaluation, profile: Profile) -> Iterator[Finding]:
    """|偏离度| > threshold with an empty 偏差原因分析 (below or far above target)."""
    limit = profile.deviation_threshold
    for ind in ev.indicators:
        if ind.deviation is None or ind.direction == QUALITATIVE or not blank(ind.reason):
            continue
        met = ind.outcome.met if ind.outcome is not None else None
        if not exceeds(ind.deviation, profile, met) or unit_issue(ind, profile) is not None:
            continue
        side = "超出" if ind.deviation > 0 else "低于"
        yield finding("deviation-unexplained", cell_of(ind.cells, "reason", "actual", default=ind.cell),
                      f"指标“{ind.name}”实际值“{ind.actual}”{side}目标值“{ind.target}”{pct(abs(ind.deviation))}"
                      f"（偏离度超过{pct(limit, 0)}），应在偏差原因分析中说明原因。", ind.deviation)


@check
def missing_category(ev: Evaluation, profile: Profile) -> Iterator[Finding]:
    """No indicator of an expected 一级 category (效益 / 满意度 by default)."""
    keys = {profile.level1_key(i.level1) for i in ev.indicators}
    keys.discard(None)
    if not keys:
        return   # the layout has no 一级指标 column the profile understands
    anchor = ev.indicators[0].cell if ev.indicators else None
    for cat in profile.expected_categories:
        if cat not in keys:
            yield finding("missing-category", anchor,
                          f"绩效指标中没有“{cat}”类指标（{profile.title}要求设置）。", cat)
