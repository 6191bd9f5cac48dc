"""Properties of the 指标值 grammar (udfs.grammar): every accepted form round-trips through its
display text, and a strict comparator differs from its non-strict twin exactly at the bound."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from udfs import FUNCTIONS, default_profile
from udfs import grammar as g
from udfs.evaluate import evaluate
from udfs.parse import parse_value

numbers = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("99999"), places=2, allow_nan=False)
units = st.sampled_from(["", "%", "万元", "元/人", "人次", "个", "万人", "次", "‰", "元"])
ops = st.sampled_from(["", "≥", ">", "≤", "<", "=", "不低于", "不超过", "大于等于", "≧", "⩽", "＞＝"])
suffix = st.sampled_from(["", "以上", "以下", "以内", "及以上"])


def text_of(d: Decimal) -> str:
    return g.fmt(d)


@st.composite
def number_texts(draw):
    op, n, u = draw(ops), draw(numbers), draw(units)
    suf = draw(suffix) if not op else ""
    return f"{op}{text_of(n)}{u}{suf}"


@st.composite
def range_texts(draw):
    a, b = sorted([draw(numbers), draw(numbers)])
    u = draw(st.sampled_from(["%", "万元", "人", ""]))
    form = draw(st.integers(0, 4))
    if form == 0:
        return f"{text_of(a)}{u}-{text_of(b)}{u}"
    if form == 1:
        lb, rb = draw(st.sampled_from("[(")), draw(st.sampled_from("])"))
        return f"{lb}{text_of(a)}{u},{text_of(b)}{u}{rb}"
    if form == 2:
        return f"≥{text_of(a)}{u}且≤{text_of(b)}{u}"
    if form == 3:
        return f"{text_of(a)}{u}≤x≤{text_of(b)}{u}"
    return f"{text_of(a)}{u}~{text_of(b)}{u}"


@st.composite
def other_texts(draw):
    n = text_of(draw(numbers))
    return draw(st.sampled_from([
        f"增长{n}%", f"下降{n}%", f"较上年提高{n}个百分点", f"同比增长{n}%以上", f"减少{n}%",
        f"{draw(st.integers(2000, 2099))}年", f"{draw(st.integers(2000, 2099))}年{draw(st.integers(1, 12))}月底前",
        f"{draw(st.integers(1, 12))}月{draw(st.integers(1, 28))}日前", f"{draw(st.integers(1, 30))}个工作日内",
        f"≤{draw(st.integers(1, 90))}天", f"{draw(st.integers(1, 90))}天以内", "按期完成", "按时", "效果明显", "/",
    ]))


@settings(max_examples=400, deadline=None)
@given(st.one_of(number_texts(), range_texts(), other_texts()))
def test_every_accepted_form_round_trips_through_its_display_text(text):
    v = parse_value(text)
    assert v.kind != g.UNKNOWN, text
    again = parse_value(v.display())
    assert again.key() == v.key(), (text, v.display())


@settings(max_examples=300, deadline=None)
@given(numbers, numbers, st.sampled_from([(">", "≥"), ("<", "≤")]), st.sampled_from(["%", "万元", "人"]))
def test_strict_and_non_strict_differ_exactly_at_the_bound(t, a, pair, unit):
    p = default_profile()
    strict, loose = pair
    actual = parse_value(f"{text_of(a)}{unit}")
    s = evaluate(parse_value(f"{strict}{text_of(t)}{unit}"), actual, p, weight=Decimal(10))
    n = evaluate(parse_value(f"{loose}{text_of(t)}{unit}"), actual, p, weight=Decimal(10))
    assert (s.met != n.met) == (a == t)
    if a == t:
        assert n.met and not s.met and s.review


def test_worksheet_functions_take_excel_percentages():
    """Excel passes a cell showing 120% as 1.2: a bare number that agrees in magnitude with the ratio."""
    F = FUNCTIONS
    assert F["指标得分"](10, "≥95%", 1.2) == 10
    assert F["指标得分"](10, "≥95%", 0.9) == Decimal("9.47")
    assert F["指标得分"](10, "增长10%", "8%") == 8
    assert F["指标得分"](10, "≥95%且≤100%", "97%") == 10
    assert F["偏离度"]("100%", "50%-100%") == 0
    assert F["指标得分"](10, "3个工作日内", "5个工作日") == 6
    assert F["指标得分"](10, "2021", "2022年") == 3
