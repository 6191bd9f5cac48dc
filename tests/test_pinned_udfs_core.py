"""More worksheet-function rules pinned for the mutation run on udfs/ (issue #18, second pass).

Each expected value is worked out by hand from the rules of 财预〔2020〕10号 as DESIGN.md states them
and the default profile's documented bands, or from the seeds — never printed by the code. Functions
are called by their Chinese worksheet names, as a user types them.
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from udfs import FUNCTIONS as F
from udfs import InputError

D = Decimal


# --- 完成率 needs numbers on both sides -----------------------------------------------------------

@pytest.mark.parametrize("target", ["2024年12月31日前", "2024年12月31日", "效果明显"])
def test_a_date_or_qualitative_target_has_no_completion_rate(target):
    """完成率 = 实际值 ÷ 目标值: a 时效 or 定性 target is not a number — the message says so and
    points to 定性得分 (not the evaluator's message for an unscored row)."""
    with pytest.raises(InputError, match="不是数值"):
        F["完成率"]("2024年11月20日" if "年" in target else "效果明显", target)


# --- udfs/scoring.py ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("executed", "budget"), [(-5, 100), (5, -100), (-5, -100)])
def test_a_negative_executed_or_budget_figure_is_refused(executed, budget):
    """预算执行得分: either figure negative is an input error (not a 0-point or full score)."""
    with pytest.raises(InputError, match="不能为负数"):
        F["预算执行得分"](executed, budget, 10)


@pytest.mark.parametrize(("actual", "want"), [
    ("1", "1"),          # a bare 1 is a ratio: 100 % completed
    ("0.9", "0.9"),      # a number ≤ 1 is a ratio
    ("2", "0.02"),       # above 1: points out of 100 — 2 points, not 200 %
    ("85", "0.85"),
    ("100%", "1"),
])
def test_a_numeric_qualitative_actual_is_its_degree_of_completion(actual, want):
    """completion_degree (the 定性 row of ``jixiao fill``): ≤ 1 a ratio, above it points out of 100."""
    from udfs.parse import parse_quantity
    from udfs.scoring import completion_degree

    assert completion_degree(parse_quantity(actual)) == D(want)


@pytest.mark.parametrize(("actual", "want"), [
    ("95%", None),       # no target and no band word: nothing to score (a blank cell, not a guess)
    ("达成", D("10")),   # no target, a band word: 定性 达成 = 100 % of 10 points (default profile)
    ("部分达成", D("7")),  # 部分达成: its default share 70 %
])
def test_no_target_scores_only_a_band_word(actual, want):
    assert F["指标得分"](10, "", actual) == want


@pytest.mark.parametrize("total", [-1, "-0.5"])
def test_a_total_below_every_grade_minimum_is_the_lowest_grade(total):
    """评价等级: below 差's minimum (0) there is no lower grade: 差 (not the minimum's number)."""
    assert F["评价等级"](total) == "差"


@pytest.mark.parametrize(("executed", "budget"), [("", 100), (90, None), (None, "")])
def test_budget_score_of_a_blank_figure_is_blank(executed, budget):
    """Blank input gives a blank cell (the module's rule), not an error nor a 0."""
    assert F["预算执行得分"](executed, budget, 10) is None


@pytest.mark.parametrize(("rate", "want"), [(1, "10"), ("1", "10"), (0.9, "9"), (90, "9"), (100, "10")])
def test_a_score_rate_of_one_is_100_percent_and_above_one_is_a_percent_number(rate, want):
    """定性得分's 得分率: 1 is 100 % (not 1 %); 90 means 90 % — 10 points × the rate."""
    assert F["定性得分"](10, "达成", rate) == D(want)


@pytest.mark.parametrize(("rate", "want"), [(2, "0.2"), ("1.5", "0.15")])
def test_a_score_rate_just_above_one_is_a_percent_number(rate, want):
    """得分率 2 means 2 % (a percent number, since it is above 1): 未达成 [0, 60 %) holds it."""
    assert F["定性得分"](10, "未达成", rate) == D(want)


@pytest.mark.parametrize("weight", ["", None])
def test_budget_score_with_a_blank_weight_takes_the_framework_10_points(weight):
    """共性指标框架 (财预〔2020〕10号): 预算执行率 is worth 10 points — 90 of 100 executed gives 9.00."""
    assert F["预算执行得分"](90, 100, weight) == D("9")


@pytest.mark.parametrize(("rate", "want"), [("-0.1", "未达成"), ("0", "未达成"), ("0.6", "部分达成"), ("0.8", "达成")])
def test_band_for_rate_below_every_band_is_the_lowest(rate, want):
    """The default profile's bands 达成 [80 %, 100 %], 部分达成 [60 %, 80 %), 未达成 [0, 60 %): a rate
    below 0 falls in no band and is the lowest one, 未达成 (not the highest)."""
    from udfs.scoring import band_for_rate

    assert band_for_rate(D(rate)) == want


@pytest.mark.parametrize(("weight", "band"), [("", "达成"), (10, ""), (None, None)])
def test_qualitative_score_of_a_blank_weight_or_band_is_blank(weight, band):
    assert F["定性得分"](weight, band) is None


# --- udfs/parse.py: the Quantity view -------------------------------------------------------------

@pytest.mark.parametrize(("text", "value", "high", "direction"), [
    ("≥95%", "0.95", None, "正向"),
    ("不低于95%", "0.95", None, "正向"),
    ("95%", "0.95", None, None),            # no comparator: no direction of its own
    ("≤0", "0", None, "反向"),
    ("5天", "5", None, "反向"),             # a duration: fewer days is better
    ("5个工作日", "5", None, "反向"),
    ("80%-90%", "0.8", "0.9", "区间"),      # a range: value is the lower bound, high the upper
    ("3-5天", "3", "5", "区间"),
    ("18.74万人", "187400", None, None),    # 万 = 10⁴
])
def test_quantity_view_of_numbers_ranges_and_durations(text, value, high, direction):
    from udfs.parse import parse_quantity

    q = parse_quantity(text)
    assert (q.value, q.high, q.direction) == (D(value), None if high is None else D(high), direction)


@pytest.mark.parametrize("text", ["增长10%", "比上年提高5个百分点", "效果明显", "2024年12月31日前"])
def test_changes_qualitative_text_and_deadlines_have_no_quantity_view(text):
    """parse_quantity's rule: a change, a qualitative text or a deadline is not a Quantity (None)."""
    from udfs.parse import parse_quantity

    assert parse_quantity(text) is None


@pytest.mark.parametrize("cell", [True, False, [95], {"v": 1}])
def test_a_boolean_or_container_cell_is_no_quantity_but_an_error(cell):
    """A TRUE/FALSE cell (bool is an int in Python) or a non-scalar is not read as a number: said so."""
    from udfs.parse import parse_quantity

    with pytest.raises(InputError, match="无法识别的指标值类型"):
        parse_quantity(cell)


@pytest.mark.parametrize("cell", [0.9, 1, 85])
def test_a_number_is_no_band_name(cell):
    """parse_band reads 档次 words; a number (a 得分率 or a degree) is no band name — None, not a guess."""
    from udfs.parse import parse_band

    assert parse_band(cell) is None


def test_a_year_is_a_quantity_in_years_and_a_month_is_not():
    """Templates store years ("2021年" → 2021, unit 年); a month ("2024年12月") is a date, no Quantity."""
    from udfs.parse import parse_quantity

    q = parse_quantity("2021年")
    assert (q.value, q.unit) == (D(2021), "年")
    assert parse_quantity("2024年12月") is None


@pytest.mark.parametrize(("cell", "want"), [(95, "95"), (0.95, "0.95"), (D("18.74"), "18.74")])
def test_a_number_cell_is_its_own_quantity(cell, want):
    from udfs.parse import parse_quantity

    assert parse_quantity(cell).value == D(want)


@pytest.mark.parametrize(("word", "want"), [
    ("≥", "正向"), ("越大越好", "正向"), ("Positive", "正向"), ("成本", "反向"), ("越小越好", "反向"),
    ("≤", "反向"), ("=", "等于"), ("范围", "区间"), ("定性", "定性"), ("反向", "反向")])
def test_direction_words(word, want):
    """指标方向 as users write it in the 指标性质 column (a comparator, a word, or 成本 for cost)."""
    from udfs.parse import parse_direction

    assert parse_direction(word) == want


@pytest.mark.parametrize(("text", "direction"), [("≥2021年", "正向"), ("2021年以前", "反向"), ("2021年", None)])
def test_a_year_keeps_its_comparator(text, direction):
    from udfs.parse import parse_quantity

    assert parse_quantity(text).direction == direction


@pytest.mark.parametrize(("actual", "target", "av", "tv"), [
    ("95", "≥90%", "0.95", "0.90"),          # a bare 95 next to a percent target is 95 %
    ("85", "80%-90%", "0.85", "0.80"),       # against a range: its lower bound, on the range's scale
    ("85%", "80%-90%", "0.85", "0.80"),
    ("9.5万人", "8-9", "95000", "80000"),    # a bare range next to 万人 is 8万–9万: the low end 80000
])
def test_align_puts_actual_and_target_on_one_scale(actual, target, av, tv):
    """align (the 得分 check and ``jixiao fill``): a bare number takes the other side's unit when the
    magnitudes agree; a range target gives its lower bound."""
    from udfs.parse import align, parse_quantity

    assert align(parse_quantity(actual), parse_quantity(target)) == (D(av), D(tv))


# --- udfs/rates.py: one blank argument gives a blank cell -------------------------------------------

# (function, arguments, value worked out by hand: 4 decimals, half away from zero)
_RATES = [
    ("成本节约率", (100, 95), "0.05"),            # (100 − 95) ÷ 100
    ("质量达标率", (95, 100), "0.95"),
    ("结余率", (78, 1600), "0.0488"),             # 0.04875 → 0.0488 (half away from zero)
    ("增长率", (110, 100), "0.1"),
    ("占比", (1, 3), "0.3333"),
    ("执行进度", (1200, 1600), "0.75"),
    ("资金到位率", (1500, 1600), "0.9375"),
    ("预算执行率", (1500, 1600), "0.9375"),
    ("完成率", ("96%", "≥95%"), "1.0105"),        # 0.96 ÷ 0.95 = 1.010526…
    ("偏离度", ("96%", "≥95%"), "0.0105"),        # (0.96 − 0.95) ÷ 0.95
    ("人均变化率", (110, 10, 100, 10), "0.1"),    # (11 − 10) ÷ 10
]


@pytest.mark.parametrize(("fn", "args", "want"), _RATES, ids=[r[0] for r in _RATES])
def test_a_rate_with_any_one_argument_blank_is_blank(fn, args, want):
    """The rates' rule (udfs/rates.py): blank input gives a blank result — whichever argument it is."""
    assert F[fn](*args) == D(want)
    for i in range(len(args)):
        blanked = [("" if j == i else a) for j, a in enumerate(args)]
        assert F[fn](*blanked) is None, (fn, blanked)


def test_per_capita_change_against_a_previous_per_capita_of_zero_or_one():
    """人均变化率 = (本年人均 − 上年人均) ÷ 上年人均: 上年 0 per head cannot be divided by (said so);
    上年 1 per head is an ordinary base — 2.2 per head now is +120 %."""
    with pytest.raises(InputError, match="上年人均值为0"):
        F["人均变化率"](110, 10, 0, 10)
    assert F["人均变化率"](22, 10, 10, 10) == D("1.2")


# --- udfs/numbers.py ---------------------------------------------------------------------------------

@pytest.mark.parametrize("text", ["1E+308", "-1E+308", "2E+308"])
def test_beyond_excels_largest_number_is_an_error(text):
    """Excel's largest number is 9.99999999999999E+307: 1E+308 either side of zero is out of range."""
    from udfs import to_decimal

    with pytest.raises(InputError, match="超出 Excel"):
        to_decimal(text)
    assert to_decimal("9.99999999999999E+307") == D("9.99999999999999E+307")


@pytest.mark.parametrize(("x", "digits", "want"), [
    (2.675, 2, "2.68"),      # Excel ROUND(2.675,2) = 2.68 (Python's round gives 2.67)
    (-1.005, 2, "-1.01"),    # half away from zero
    (2.5, 0, "3"), (-2.5, 0, "-3"), (7, 2, "7.00"), (1.04999, 1, "1.0"),
])
def test_excel_round_of_float_and_int_cells(x, digits, want):
    from udfs import excel_round

    got = excel_round(x, digits)
    assert (got, got.as_tuple().exponent) == (D(want), -digits)


@pytest.mark.parametrize(("code", "percent"), [
    ("0%", True), ("0.00%", True), ("#,##0.0%", True), ("[Red]0%", True), ("0.0%;-0.0%", True),
    ('0"%"', False),          # a quoted % prints as it is: 95 shows "95%", the cell holds points
    ("0\\%", False),          # an escaped % likewise
    ("0.0\\ %", True),        # an escaped space, then a real %: "95.0 %" (×100)
    ("\\a0%", True),
    ("[$%-409]0", False),     # inside [...] (a locale/currency tag) % is no format character
    ("[$%]0", False),         # … also right before its ]
    ("[Red]%0", True),        # the format goes on right after the tag's ]
    ("0;0%", False),          # only the first section (positive numbers) counts
    ("General", False), ("", False), (None, False),
])
def test_which_number_formats_show_a_percent(code, percent):
    """Excel's number-format grammar: an unquoted, unescaped % outside [...] multiplies by 100."""
    from udfs.numbers import is_percent_format

    assert is_percent_format(code) is percent


def test_excel_round_defaults_to_two_decimals():
    """Scores are shown to 2 decimals (ROUND(x, 2)) unless told otherwise."""
    from udfs import excel_round

    assert excel_round(2.675) == D("2.68") and excel_round(D("1.2345")).as_tuple().exponent == -2


# --- udfs/indicators.py: 指标数值 / 指标单位 / 指标方向 / 单位换算 -------------------------------------

@pytest.mark.parametrize(("text", "value", "unit", "direction"), [
    ("18.74万人", "187400", "万人", "正向"),     # 18.74 × 10⁴
    ("95%", "0.95", "%", "正向"),
    ("≤830元/人", "830", "元/人", "反向"),
    ("2021年", "2021", "年", "正向"),           # a year is a number of 年
    ("80%-90%", "0.8", "%", "区间"),            # a range's value is its lower bound
    ("5个工作日", "5", "个工作日", "反向"),      # a duration: fewer is better
    (100, "100", "", "正向"),                  # a bare number has no unit
])
def test_indicator_value_unit_and_direction(text, value, unit, direction):
    assert F["指标数值"](text) == D(value)
    assert F["指标单位"](text) == unit
    assert F["指标方向"](text) == direction


def test_indicator_functions_of_a_blank_cell_are_blank():
    assert [F[fn]("") for fn in ("指标数值", "指标单位", "指标方向")] == [None, None, None]


@pytest.mark.parametrize(("text", "message"), [
    ("效果明显", "不含可识别的数值（定性指标）"),
    ("2024年12月31日", "是日期"),
])
def test_no_value_and_no_unit_for_qualitative_text_or_a_date(text, message):
    """指标数值/指标单位 of text without a number say why — a date is a date, not 定性."""
    with pytest.raises(InputError, match=message):
        F["指标数值"](text)
    with pytest.raises(InputError, match=message + ".*没有度量单位"):
        F["指标单位"](text)
    assert F["指标方向"]("效果明显") == "定性"


@pytest.mark.parametrize(("value", "src", "dst", "want"), [
    (1.5, "亿元", "万元", "15000"),        # 1亿 = 10⁴万
    (3, "万人", "人", "30000"),
    (1, "（万元）", "元", "10000"),         # a header's unit in brackets
    (1200, "人次", "万人次", "0.12"),
    (95, "%", "%", "95"),
])
def test_convert_unit(value, src, dst, want):
    assert F["单位换算"](value, src, dst) == D(want)


@pytest.mark.parametrize(("src", "dst", "message"), [("元", "人", "不是同一种量"), ("", "元", "单位为空"),
                                                   ("万元", "", "单位为空")])
def test_convert_unit_between_different_quantities_or_without_a_unit_is_refused(src, dst, message):
    with pytest.raises(InputError, match=message):
        F["单位换算"](1, src, dst)
    assert F["单位换算"]("", "元", "万元") is None


# --- udfs/excel.py: calling a function the way a worksheet does -------------------------------------

def test_a_worksheet_call_takes_1x1_ranges_as_scalars_and_drops_omitted_optionals():
    """=预算执行得分(B2,C2) with its 分值 left out (None or "") scores out of the default 10 points:
    90 ÷ 100 × 10 = 9; the result is a float for Excel."""
    from udfs import spec
    from udfs.excel import call

    for omitted in (None, ""):
        got = call(spec("预算执行得分"), [[90]], [[100]], omitted)
        assert got == 9.0 and isinstance(got, float)


def test_a_range_call_spills_a_column_and_keeps_errors_per_cell():
    """=指标得分(10, E14:E15, F14:F15): one call, a column back — 96 % against ≥95 % is full (10),
    80 % against ≥90 % is 10 × 0.8 ÷ 0.9 = 8.89; a zero budget is a #VALUE! with its reason, in its cell."""
    from udfs import spec
    from udfs.excel import ERROR_PREFIX, call

    assert call(spec("指标得分"), [[10]], [["≥95%"], ["≥90%"]], [["96%"], ["80%"]]) == [[10.0], [8.89]]
    got = call(spec("预算执行率"), [[90], [50]], [[100], [0]])
    assert got[0] == [0.9] and got[1][0].startswith(ERROR_PREFIX) and "预算数为0" in got[1][0]
    assert call(spec("预算执行率"), [[90]], [[0]]).startswith(ERROR_PREFIX + "预算数为0")


def test_results_for_excel():
    """Decimal → float, None → "" (an empty cell), a 1-D list → a column, 2-D stays 2-D."""
    from udfs.excel import to_excel

    assert to_excel(D("0.95")) == 0.95 and to_excel(None) == "" and to_excel("达成") == "达成"
    assert to_excel([D(1), None]) == [[1.0], [""]]
    assert to_excel([[None, D("2.5")]]) == [["", 2.5]]


def test_a_range_argument_stays_a_range_even_when_1x1():
    """总分(G14) over one cell is still a range (its argument is a range): Σ of one score."""
    from udfs import spec
    from udfs.excel import call

    assert call(spec("总分"), [[D("7.5")]]) == 7.5
    assert call(spec("总分"), [[1, 2], [3, None]]) == 6.0


# --- udfs/registry.py: element-wise functions over ranges -----------------------------------------

def test_a_range_argument_makes_a_function_element_wise():
    """A 1-D list (a column) gives a list, a 2-D range a 2-D result, a scalar broadcasts; one bad
    element is an InputError in its cell, not a failed call. 90 ÷ 100 = 90 %, 45 ÷ 100 = 45 %."""
    got = F["预算执行率"]([90, 50], [100, 0])
    assert got[0] == D("0.9") and isinstance(got[1], InputError) and "预算数为0" in str(got[1])
    assert F["预算执行率"]([[90, 45]], [[100, 50]]) == [[D("0.9"), D("0.9")]]
    assert F["预算执行率"]([[90, 45]], 100) == [[D("0.9"), D("0.45")]]
    assert F["预算执行率"]([90, 45], 100) == [D("0.9"), D("0.45")]
    assert F["预算执行率"](90, 100) == D("0.9")


@pytest.mark.parametrize(("a", "b", "shapes"), [
    ([[90, 45]], [[100], [50]], "1行2列、2行1列"),
    ([[90], [50]], [100, 50, 20], "2行1列、3行1列"),
])
def test_ranges_of_different_shapes_are_refused_naming_both(a, b, shapes):
    with pytest.raises(InputError, match=f"各区域的行列数不一致（{shapes}）"):
        F["预算执行率"](a, b)


@pytest.mark.parametrize(("fn", "args", "most"), [
    ("预算执行得分", (90, 100, 10, 1), 3),
    ("指标得分", (10, "≥95%", "96%", "正向", 1), 4),
])
def test_a_profile_free_function_refuses_an_extra_argument(fn, args, most):
    """The worksheet form takes only worksheet arguments (the profile is the default one): an
    extra one is said to be too many, not taken as a profile."""
    with pytest.raises(InputError, match=f"参数过多：最多{most}个"):
        F[fn](*args)


# --- udfs/profile.py: the default profile's bands and what extends merges ---------------------------

@pytest.mark.parametrize(("band", "text", "share", "inside", "outside"), [
    ("达成", "[80%,100%]", "1", ["0.8", "0.95", "1"], ["0.7999", "1.01"]),
    ("部分达成", "[60%,80%)", "0.7", ["0.6", "0.7999"], ["0.5999", "0.8"]),
    ("未达成", "[0%,60%)", "0.3", ["0", "0.5999"], ["-0.01", "0.6"]),
])
def test_default_bands_ends_and_shares(band, text, share, inside, outside):
    """财预〔2020〕10号's qualitative bands: 达成 [80 %, 100 %], 部分达成 [60 %, 80 %), 未达成 [0, 60 %)
    — 80 % is 达成, 60 % is 部分达成; a band picked without 得分率 gives 100 % / 70 % / 30 %."""
    from udfs import default_profile

    b = default_profile().band(band)
    assert (b.text, b.default_rate) == (text, D(share))
    assert all(b.contains(D(r)) for r in inside) and not any(b.contains(D(r)) for r in outside)


def test_default_profile_rounds_rates_to_4_and_scores_to_2_decimals():
    from udfs import default_profile

    p = default_profile()
    assert (p.rate_digits, p.score_digits, p.total) == (4, 2, D(100))


def test_extends_merges_nested_keys_and_replaces_lists(tmp_path):
    """A provincial variant is a file that extends the default: a nested key (rounding.score) is
    merged — rounding.rate stays 4 — and a list (grades) replaces the default's."""
    import json

    from udfs import load_profile

    f = tmp_path / "variant.json"
    f.write_text(json.dumps({"id": "variant", "title": "试用", "extends": "cz2020-10",
                             "rounding": {"score": 1},
                             "grades": [{"grade": "合格", "min": 60}, {"grade": "不合格", "min": 0}]},
                            ensure_ascii=False), encoding="utf-8")
    p = load_profile(str(f))
    assert (p.score_digits, p.rate_digits) == (1, 4)
    assert p.grades == [("合格", D(60)), ("不合格", D(0))]
    assert F["指标得分"](10, "≥90%", "80%") == D("8.89")      # the default profile is untouched


# --- udfs/profile_schema.py: a hand-written profile's mistakes, each named -------------------------

_BAND = {"band": "部分达成", "min": 0.6, "max": 0.8}


@pytest.mark.parametrize(("data", "says"), [
    ({"weights": {"产出指标": "50"}}, "weights.产出指标 应为数值"),         # a number as text
    ({"total": True}, "total 应为数值"),                                   # true is no number
    ({"colour": "red"}, "colour 不是已知的配置项"),
    ({"deviation": {"side": "both", "speed": 1}}, "deviation.speed 不是已知的配置项"),
    ({"aliases": ["省级", 3]}, "aliases 第2项应为文字"),
    ({"execution_rate_denominator": "spent"}, "取值“spent”无效（可用：adjusted、available）"),
    ({"level1_synonyms": {"产出指标": "产出"}}, "level1_synonyms.产出指标 应为列表"),
    ({"qualitative_bands": [{"band": "达成", "min": 0.8}]}, "qualitative_bands[1] 缺少 max"),
    ({"qualitative_bands": [{"band": "达成", "min": 0.8, "max": 1.2}]}, "0≤min≤max≤1"),
    ({"qualitative_bands": [{"band": "达成", "min": 0.9, "max": 0.8}]}, "0≤min≤max≤1"),
    ({"qualitative_bands": [{"band": "达成", "min": -0.1, "max": 0.8}]}, "0≤min≤max≤1"),
    ({"qualitative_bands": [{**_BAND, "max_open": True, "default": 0.8}]}, "default 0.8 不在该档范围内"),
    ({"qualitative_bands": [{**_BAND, "min_open": True, "default": 0.6}]}, "default 0.6 不在该档范围内"),
    ({"qualitative_bands": [{**_BAND, "default": 0.9}]}, "default 0.9 不在该档范围内"),
    ({"qualitative_bands": [{**_BAND, "default": 0.5}]}, "default 0.5 不在该档范围内"),
    ({"qualitative_bands": [{**_BAND, "aliases": ["好"]}]}, "说法“好”只有一个字"),
    ({"grades": [{"grade": "优", "min": "90"}]}, "grades[1] 应为"),
    ({"grades": [{"grade": 1, "min": 90}]}, "grades[1] 应为"),
    ({"grades": [{"grade": "优", "min": True}]}, "grades[1] 应为"),
])
def test_a_profile_mistake_is_named(data, says):
    """A profile is data a province writes by hand: each mistake is an InputError naming the key."""
    from udfs.profile_schema import validate

    with pytest.raises(InputError, match=re.escape(says)):
        validate(data, "省级.json")


@pytest.mark.parametrize("data", [
    {"weights": {"产出指标": 50}, "_comment": "keys starting with _ are notes"},
    {"qualitative_bands": [{**_BAND, "default": 0.6}]},       # closed ends: both ends are inside
    {"qualitative_bands": [{**_BAND, "default": 0.8}]},
    {"qualitative_bands": [{"band": "达成", "min": 0, "max": 1, "aliases": ["很好"]}]},
    {"grades": [{"grade": "优", "min": 90}, {"grade": "差", "min": 0}]},
])
def test_a_correct_profile_passes(data):
    from udfs.profile_schema import validate

    validate(data, "省级.json")


def test_chinese_functions_take_chinese_parameter_names_and_aliases_ascii_ones():
    """Excel's IntelliSense shows the parameter names: 预算执行率(执行数, 预算数), JX_EXEC_RATE(executed, budget)."""
    import inspect

    import udfs.excel as xl
    from udfs import spec

    assert xl.param_names(spec("预算执行率"), True) == ["执行数", "预算数"]
    assert xl.param_names(spec("预算执行率"), False) == ["executed", "budget"]
    assert list(inspect.signature(xl.预算执行率).parameters) == ["执行数", "预算数"]
    assert list(inspect.signature(xl.JX_EXEC_RATE).parameters) == ["executed", "budget"]


def test_decorate_applies_arg_per_parameter_then_func_with_the_category():
    """@xw.arg(<参数>, ndim=2, doc=<中文说明>) for each parameter, then @xw.func(category="绩效评价")
    last (xlfunc resets the category); given only one of the two decorators, xlwings' own pair is used."""
    from udfs import spec
    from udfs.excel import decorate

    calls = []

    def func(**kw):
        calls.append(("func", kw))
        return lambda f: f

    def arg(p, **kw):
        calls.append(("arg", p, kw["ndim"]))
        return lambda f: f

    def f(*a):
        return None

    assert decorate(f, spec("预算执行率"), True, func=func, arg=arg) is f
    assert calls == [("arg", "执行数", 2), ("arg", "预算数", 2), ("func", {"category": "绩效评价"})]
    calls.clear()
    decorate(f, spec("预算执行率"), True, func=func)     # arg missing: not half of a custom pair
    assert calls == []


def test_a_ragged_list_is_a_column_with_an_error_where_a_cell_holds_a_list():
    """Bad input never crashes: a list mixing rows and values (Python callers) is a column; the
    element that is itself a list is an error in its cell, the others are computed (50 ÷ 100)."""
    got = F["预算执行率"]([[90], 50], [100, 100])
    assert isinstance(got[0], InputError) and "类型无法识别" in str(got[0]) and got[1] == D("0.5")


def test_an_empty_range_against_a_cell_is_refused_as_0_rows_0_columns():
    with pytest.raises(InputError, match=re.escape("各区域的行列数不一致（0行0列、1行1列）")):
        F["预算执行率"]([], [[1]])
    assert F["预算执行率"]([], []) == []
