"""Ratios on the 自评表 (DESIGN.md glossary). Results are ratios rounded to the profile's rate
precision (4 decimals, shown as 0.00%); blank input gives a blank (None) result."""

from __future__ import annotations

from decimal import Decimal

from .errors import InputError
from .numbers import excel_round, is_blank, to_decimal
from .profile import default_profile


def _round_rate(d: Decimal) -> Decimal:
    return excel_round(d, default_profile().rate_digits)


def ratio(num: object, den: object, num_name: str, den_name: str, what: str) -> Decimal | None:
    """num ÷ den, unrounded; None if either is blank; InputError when den is 0."""
    if is_blank(num) or is_blank(den):
        return None
    n = to_decimal(num, num_name)
    d = to_decimal(den, den_name)
    if d == 0:
        raise InputError(f"{den_name}为0，无法计算{what}")
    return n / d


def execution_rate(executed: object, budget: object) -> Decimal | None:
    """预算执行率 = 全年执行数 ÷ 全年预算数 (共性框架: 实际支出 ÷ 实际到位资金)."""
    r = ratio(executed, budget, "执行数", "预算数", "预算执行率")
    return None if r is None else _round_rate(r)


def funds_arrival_rate(available: object, budget: object) -> Decimal | None:
    """资金到位率 = 实际到位资金 ÷ 预算资金."""
    r = ratio(available, budget, "到位数", "预算数", "资金到位率")
    return None if r is None else _round_rate(r)


def cost_saving_rate(planned: object, actual: object) -> Decimal | None:
    """成本节约率 = (计划成本 − 实际成本) ÷ 计划成本."""
    if is_blank(planned) or is_blank(actual):
        return None
    p, a = to_decimal(planned, "计划成本"), to_decimal(actual, "实际成本")
    if p == 0:
        raise InputError("计划成本为0，无法计算成本节约率")
    return _round_rate((p - a) / p)


def quality_rate(passed: object, produced: object) -> Decimal | None:
    """质量达标率 = 质量达标产出数 ÷ 实际产出数."""
    r = ratio(passed, produced, "达标数", "实际数", "质量达标率")
    return None if r is None else _round_rate(r)


def _outcome(actual: object, target: object):
    from .evaluate import NOT_APPLICABLE, SCORED, evaluate
    from .parse import QUALITATIVE, parse_value

    if is_blank(actual) or is_blank(target):
        return None
    prof = default_profile()
    t, a = parse_value(target, prof), parse_value(actual, prof)
    out = evaluate(t, a, prof)
    if out.status == NOT_APPLICABLE:
        return None
    if out.direction == QUALITATIVE or t.kind in ("date", "deadline"):
        raise InputError(f"目标值“{target}”不是数值，无法计算（定性指标请用 定性得分）")
    if out.status != SCORED:
        raise InputError(out.message or "无法计算")
    return out


def completion_rate(actual: object, target: object) -> Decimal | None:
    """完成率 = 实际值 ÷ 目标值, as the sheet displays them (a bare number takes the other side's unit
    when the magnitudes agree); a range: 1 inside, else ÷ the nearest bound; a change: on the change."""
    out = _outcome(actual, target)
    if out is None:
        return None
    if out.completion is None:
        raise InputError("目标值为0，无法计算完成率")
    return _round_rate(out.completion)


def deviation(actual: object, target: object) -> Decimal | None:
    """偏离度 = (实际值 − 目标值) ÷ 目标值; 0 inside a range, from the nearest bound outside."""
    out = _outcome(actual, target)
    if out is None:
        return None
    if out.deviation is None:
        raise InputError("目标值为0，无法计算偏离度")
    return _round_rate(out.deviation)


def growth_rate(current: object, previous: object) -> Decimal | None:
    """增长率 = (本期数 − 上期数) ÷ 上期数."""
    if is_blank(current) or is_blank(previous):
        return None
    c, p = to_decimal(current, "本期数"), to_decimal(previous, "上期数")
    if p == 0:
        raise InputError("上期数为0，无法计算增长率")
    return _round_rate((c - p) / p)


def share(part: object, total: object) -> Decimal | None:
    """占比 = 部分 ÷ 合计."""
    r = ratio(part, total, "部分", "合计", "占比")
    return None if r is None else _round_rate(r)


def balance_rate(balance: object, budget: object) -> Decimal | None:
    """结余率 = 结余(结转结余) ÷ 预算."""
    r = ratio(balance, budget, "结余", "预算", "结余率")
    return None if r is None else _round_rate(r)


def execution_progress(executed_to_date: object, annual_budget: object) -> Decimal | None:
    """执行进度 = 累计执行数 ÷ 全年预算数 (e.g. 1-10月支出执行进度)."""
    r = ratio(executed_to_date, annual_budget, "累计执行数", "全年预算数", "执行进度")
    return None if r is None else _round_rate(r)


def per_capita_change(total_now: object, people_now: object, total_before: object,
                      people_before: object) -> Decimal | None:
    """人均变化率 = (本年总额/本年人数 − 上年总额/上年人数) ÷ (上年总额/上年人数), from unrounded per-capita values."""
    if any(is_blank(x) for x in (total_now, people_now, total_before, people_before)):
        return None
    now = ratio(total_now, people_now, "本年总额", "本年人数", "人均值")
    before = ratio(total_before, people_before, "上年总额", "上年人数", "人均值")
    assert now is not None and before is not None
    if before == 0:
        raise InputError("上年人均值为0，无法计算人均变化率")
    return _round_rate((now - before) / before)
