"""绩效指标 checks (addin/rules/indicators.py) the mutation run found unpinned: units next to a
percentage, money compared in 元 whatever its written magnitude, an actual of 0, the unnamed
indicator, needs-review of a scored indicator, and the side of a 偏离度 (财预〔2020〕10号: 未完成目标
and 完成值高于指标值较多 are both to be explained; a profile may ask for one side only).

Rows are seed 004's (tests/fixtures/seed004_self_evaluation.json) with one value changed; every
expected value is worked out by hand, never printed by the code.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from addin.validate import validate
from tests.test_validate_rules import clean, one, rules_of
from udfs.profile import Profile, default_profile

D = Decimal


def _row(target, actual, name=None):
    """Seed 004 with 人均补助标准 (row 7, 10 points) given another target/actual."""
    ev = clean()
    ind = ev.indicators[3]
    ind.target, ind.actual, ind.header_unit, ind.completion_stated = target, actual, None, None
    if name is not None:
        ind.name = name
    return ev


def test_a_magnitude_word_next_to_a_percentage_is_a_unit_mismatch():
    """"95万" against "≥95%": 万 never multiplies a percentage — the units differ (% and 万)."""
    f = one(validate(_row("≥95%", "95万")), "unit-mismatch")
    assert f.cell == "绩效自评表!E7" and "计量单位不同（%与万）" in f.message


def test_an_unnamed_indicator_is_called_so():
    f = one(validate(_row("≥95%", "95万", name="")), "unit-mismatch")
    assert "指标“（未命名指标）”" in f.message


def test_money_is_compared_in_yuan_whatever_the_written_magnitude():
    """3000千元 = 3,000,000 元 against 300 元: 10⁴ apart — 300 meant 300万元 (元/万元 slip)."""
    f = one(validate(_row("3000千元", "300元")), "magnitude-mismatch")
    assert f.cell == "绩效自评表!E7" and "相差约1万倍" in f.message
    assert "magnitude-mismatch" in rules_of(validate(_row("0.03亿元", "300元")))   # 3,000,000 元 too


@pytest.mark.parametrize("target, actual, meant", [
    ("3000千元", "300元", "3000千元"),     # 300 meant 300万元 = 3,000,000 元 = 3000千元
    ("0.03亿元", "300元", "0.03亿元"),     # 300万元 = 0.03亿元
    ("300万元", "300元", "300万元"),       # the everyday slip: 元 typed for 万元
    ("300元", "300万元", "300元"),         # and the other way: 万元 typed for 元
])
def test_a_magnitude_slip_suggests_the_actual_in_the_targets_unit(target, actual, meant):
    """The suggestion is the actual's figure read in the other of 元/万元, said in the target's unit
    (not the figure with the target's unit pasted on: "300千元" for 3000千元)."""
    assert one(validate(_row(target, actual)), "magnitude-mismatch").expected == meant


def test_an_actual_of_0_yuan_is_no_magnitude_slip():
    """0 元 against 100万元: no ratio to take; the written magnitudes differ (万元 and 元)."""
    f = one(validate(_row("100万元", "0元")), "unit-mismatch")
    assert "数量级不同（万元与元）" in f.message and "magnitude-mismatch" not in rules_of(validate(_row("100万元", "0元")))


def test_a_scored_indicator_with_a_missed_deadline_needs_review():
    """补助时间 due "2021年11月底前", done "2021年12月": scored in the 未达成 band, the reviewer confirms."""
    ev = clean()
    ind = ev.indicators[2]
    ind.target, ind.actual, ind.header_unit, ind.completion_stated = "2021年11月底前", "2021年12月", None, None
    f = one(validate(ev), "needs-review")
    assert f.cell == "绩效自评表!F6" and "未在“2021年11月底前”前完成" in f.message and f.severity == "warning"


def _shortfall_only() -> Profile:
    base = default_profile()
    data = {**base.data, "deviation": {**base.data["deviation"], "side": "shortfall"}}
    return Profile(base.id + "-shortfall", base.title, data)


def test_a_cost_under_its_ceiling_is_met_whatever_the_sign_of_the_deviation():
    """人均补助标准 (成本, 反向): 580 元 against 830 → (580 − 830) ÷ 830 = −30.12 %, beyond 30 %. With
    no reason it is flagged under the default (both sides); a profile asking only for shortfalls
    does not flag it, because 580 under a ceiling of 830 met the target (the side is the result's,
    not the sign's)."""
    ev = clean()
    ev.indicators[3].reason = ""
    f = one(validate(ev), "deviation-unexplained")
    assert "低于" in f.message and f.expected == pytest.approx(D("-0.3012"), abs=D("0.00005"))
    assert "deviation-unexplained" not in rules_of(validate(ev, _shortfall_only()))



def test_a_bare_magnitude_word_takes_the_unit_of_the_other_value():
    """补助人数 "18万人" against "18.74万": 万 alone is 万人 here (only a percentage refuses 万) —
    one unit, one magnitude, no unit-mismatch."""
    ev = clean()
    ev.indicators[0].actual = "18.74万"
    assert not rules_of(validate(ev)) & {"unit-mismatch", "magnitude-mismatch"}


def test_none_happened_under_a_ceiling_is_read_as_0_and_said_so():
    """"无上访" under "小于5次": nothing happened, 0 次 < 5 — scored, and said as information."""
    f = one(validate(_row("小于5次", "无上访")), "needs-review")
    assert f.severity == "info" and "按0次计" in f.message and f.cell == "绩效自评表!F7"
