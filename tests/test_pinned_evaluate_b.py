"""udfs/evaluate.py from ``_as_year`` on (years, months, deadlines, the qualitative route, "无…" read
as 0, and the entry point's number/range/change branches): rules the mutation run
(benchmarks/results/mutation-evaluate-grammar-23a9c00.json) left unpinned.

Every expected value is worked out by hand from the rules as the module docstrings and
udfs/profiles/cz2020-10.json state them (财预〔2020〕10号: 正向 实际 ÷ 目标, 区间 full inside and
proportional to the nearest bound outside, 偏离度 = (实际 − 目标) ÷ 目标, bands 达成 [80%,100%] 默认100%,
部分达成 [60%,80%) 默认70%, 未达成 [0,60%) 默认30%, a missed deadline scored at deadline_missed_band 未达成),
never printed by the code. Pairs are typed the way the published tables write them; the source is named
where there is one (tests/fixtures/indicator_values.json names them in full).
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from udfs import default_profile
from udfs.evaluate import evaluate
from udfs.parse import parse_value
from udfs.wording import describe


def _score(target, actual, weight=10, **kw):
    p = default_profile()
    return evaluate(parse_value(target, p), parse_value(actual, p), p, weight=Decimal(weight), **kw)


# --- _as_year: a bare 1949–2100 next to a date is a year -----------------------------------------

@pytest.mark.parametrize(("actual", "status", "score"), [
    ("1949", "scored", "10.00"),       # the year 1949 ≤ 2023年12月: 按期 → full
    ("2100", "scored", "3.00"),        # the year 2100 is after 2023年12月: 逾期 → 未达成 30% × 10
    ("1948", "not-scorable", None),    # outside 1949–2100: a number, not a year — the tool asks
    ("2101", "not-scorable", None),
])
def test_a_bare_year_is_read_from_1949_to_2100_inclusive(actual, status, score):
    """_as_year (module rule): a bare integer 1949–2100 written as the 完成时间 of a date target is a
    year, compared as a date ("2021" vs "2022年" is on time). Both ends are years; 1948 and 2101 are
    numbers, and a number says nothing about a deadline → not scorable, with the reason."""
    out = _score("2023年12月底前", actual)
    assert (out.status, None if out.score is None else str(out.score)) == (status, score)
    if status == "not-scorable":
        assert "未说明是否按期" in out.message
    else:
        assert out.met is (actual == "1949")


# --- _as_month / the year-less deadline ------------------------------------------------------------

@pytest.mark.parametrize(("actual", "score", "met"), [
    ("1月", "5.00", True),      # January, before the end of September: 按期, full 5
    ("12月", "1.50", False),    # December is after September: 逾期 → 未达成 30% × 5 = 1.50
    ("10月", "1.50", False),    # October: one month late, the same
])
def test_a_month_against_a_month_deadline_of_no_year(actual, score, met):
    """金寨县 2023 部门整体支出绩效自评表 (jz2023 in tests/fixtures/indicator_values.json): 完成…验收时间
    "9月前", 分值 5, 完成值 "7月". _as_month: "N月" (1 ≤ N ≤ 12) next to a date target is month N,
    compared within the target's year (neither side names one: the same year for both). Both ends of
    1–12 are months; a later month is late (the deadline rule: missed → 未达成 band, 30%)."""
    out = _score("9月前", actual, weight=5)
    assert (out.status, str(out.score), out.met) == ("scored", score, met)


@pytest.mark.parametrize("actual", ["13月", "0月"])
def test_a_month_outside_1_to_12_is_no_month(actual):
    """There is no 13th or 0th month: "13月" against "9月前" is a number of months, which says
    nothing about the deadline — not scorable, said so (and never a calendar error)."""
    out = _score("9月前", actual)
    assert out.status == "not-scorable" and "未说明是否按期" in out.message


def test_a_month_without_year_against_a_year_deadline_is_not_decided():
    """"7月" against "2023年": the month has no year and the target no month to borrow one from —
    the dates cannot be compared, and the message says a year is missing."""
    out = _score("2023年", "7月")
    assert out.status == "not-scorable"
    assert out.message == "无法比较日期“2023年”与“7月”（缺少年份）"


def test_a_date_that_does_not_exist_says_so():
    """"2023年2月30日" (February 2023 has 28 days) as the 完成时间: the date cannot be placed against
    the deadline; the message names the impossible date (it used to say "缺少年份", which it has)."""
    out = _score("2023年12月底前", "2023年2月30日")
    assert out.status == "not-scorable"
    assert out.message == "日期“2023年2月30日”不存在，无法判断是否在期限内；请改正日期"


def test_a_band_phrase_under_a_deadline_scores_its_band():
    """"部分达成" written as the actual of "2023年12月底前": no date and no 按期/逾期 word, but the
    official band phrase — the reviewer's band: 部分达成 at its default 70% → 10 × 0.7 = 7.00."""
    out = _score("2023年12月底前", "部分达成")
    assert (out.status, str(out.score), out.band, out.met) == ("scored", "7.00", "部分达成", False)


# --- _qualitative --------------------------------------------------------------------------------

def test_a_rate_outside_its_band_names_the_rate_in_percent():
    """得分率 0.7 typed with the official phrase "达成年度指标" (达成 is [80%,100%]): the rate is outside
    the band the phrase names — not scorable, and the message gives the rate as 0.7 × 100 = 70%."""
    out = _score("效果明显", "达成年度指标", rate=Decimal("0.7"))
    assert out.status == "not-scorable"
    assert out.message == "得分率70%不在“达成”档次[80%,100%]内"


@pytest.mark.parametrize(("actual", "score"), [
    ("1", "10.00"),      # 1 ≤ 1: a ratio, 100% → full
    ("0.9", "9.00"),     # a ratio 0.9 → 10 × 0.9
    ("2", "0.20"),       # 2 > 1: points, 2 ÷ 100 = 2% → 10 × 0.02
    ("90", "9.00"),      # points, 90 ÷ 100 = 90% → 9.00
    ("90%", "9.00"),     # written as a percent: 0.9
])
def test_a_number_under_a_text_target_is_its_degree_of_completion(actual, score):
    """A number as the actual of a qualitative target is the degree of completion, read as the
    template's own formula reads it (workbook_templates/specs: ``IF(H<=1,H,H/100)``, then
    ``ROUND(分值*MAX(0,MIN(1,…)),2)``): at most 1 is a ratio, above 1 percent points."""
    out = _score("效果明显", actual)
    assert (out.status, str(out.score), out.band_how) == ("scored", score, "degree")


def test_conflicting_band_phrases_are_named_and_left_to_the_reviewer():
    """"部分完成，效果较差" (forms in indicator_values.json): a 部分达成 and a 未达成 phrase at once —
    not scorable, and the message says the phrases conflict (not that there are none)."""
    out = _score("效果明显", "部分完成，效果较差")
    assert out.status == "not-scorable"
    assert out.message.startswith("实际完成值“部分完成，效果较差”同时含有不同档次的说法（部分完成、效果较差）")


def test_a_text_without_band_phrase_says_there_is_none():
    """大英县 dy90897: actual "美化环境。" repeats the target — no band phrase at all: not scorable,
    and the message says none was found (not a conflict)."""
    out = _score("美化环境。", "美化环境。")
    assert out.status == "not-scorable"
    assert out.message.startswith("实际完成值“美化环境。”没有可识别的档次说法")


# --- none_as_zero: "无上访" under a ceiling is 0, nothing else is ------------------------------------

@pytest.mark.parametrize(("target", "actual"), [
    ("0起", "未发生重大以上安全生产责任事故"),      # 15 characters: the longest read
    ("小于5次", "无上访、无越级上访"),              # an enumeration of none (、) is one clause
])
def test_a_short_none_statement_under_a_ceiling_is_zero(target, actual):
    """none_as_zero: a statement of none ("未发生…事故", "无上访"; lexicon none_prefixes) of at most 15
    characters under an upper-bound count ("0起", "小于5次") is 0 in the target's unit: 0 ≤ the ceiling
    → full 10, with the reading noted."""
    out = _score(target, actual)
    assert (out.status, str(out.score), out.met) == ("scored", "10.00", True)
    assert out.note == f"实际值“{actual}”表示未发生，按0{parse_value(target, default_profile()).unit}计"


@pytest.mark.parametrize(("target", "actual"), [
    ("0起", "未发生较大及以上安全生产责任事故"),     # 16 characters: over the limit, left to the reviewer
    ("小于5次", "无上访，但群众来电反映问题较多"),    # a second clause: something did happen
    ("0起", "无法统计"),                            # "cannot be counted" — not none
    ("≤5%", "无法确定"),
    ("≤5次", "无数据"),                             # no data is not no incidents
    ("≤3次", "无人机巡查"),                         # a drone, not "no 人机"
    ("≤5%", "无害化处理"),                          # harmless disposal
    ("0起", "零星发生"),                            # sporadic cases happened
    ("≤3次", "无偿提供服务"),                       # free of charge (a negator_exception, not a negation)
    ("0起", "无明显成效"),                          # a shortfall phrase (未达成)
    ("0起", "已整改"),                              # no none-prefix at all
    ("0起", "无上访但来电较多"),                    # 但: something did happen (lexicon none_breaks)
    ("小于5次", "无上访、有来电"),                  # a list with an item that is no statement of none
])
def test_other_texts_under_a_ceiling_are_never_read_as_zero(target, actual):
    """Never guess: only a short, one-clause statement that none happened is 0. Longer than 15
    characters (the module's limit), a qualified statement ("…，但…"), a word that merely starts like
    one (lexicon none_exceptions: 无法/无数据/无人机/无害化/零星…; negator_exceptions: 无偿…), a shortfall phrase or a text without a
    none-prefix leaves the row not scorable with the stated score kept — before this fix "无法统计",
    "无人机巡查", "零星发生" and "无上访，但…" scored full marks as 0."""
    out = _score(target, actual)
    assert out.status == "not-scorable" and out.score is None and out.note is None
    assert "却是文字" in out.message


# --- evaluate: the entry point's branches -----------------------------------------------------------

def test_a_blank_actual_says_it_is_blank():
    """An empty 实际完成值 under "≥95%": not scorable because it is blank — said as such, not as an
    unreadable value."""
    out = _score("≥95%", "")
    assert (out.status, out.message) == ("not-scorable", "实际值为空")


@pytest.mark.parametrize(("kw", "score"), [
    ({"band": "部分达成"}, "7.00"),          # the chosen band alone: 部分达成 default 70%
    ({"rate": Decimal("0.75")}, "7.50"),     # the 得分率 alone: 10 × 0.75
])
def test_an_unreadable_target_is_scored_by_the_reviewers_band_or_rate(kw, score):
    """A target the grammar cannot read ("第3批次") is not scorable unless the reviewer decided: a
    chosen 定性档次 or a typed 得分率 (either one is a decision) scores it; the actual "见附件" (issue #11)
    has no band phrase of its own to contradict them."""
    out = _score("第3批次", "见附件", **kw)
    assert (out.status, str(out.score)) == ("scored", score)


def test_the_deviation_of_a_change_is_against_the_change():
    """"较上年提高5个百分点" with "提高3个百分点" (issue #11 form): scored on the change itself —
    完成率 3 ÷ 5 = 60% → 6.00; 偏离度 (3 − 5) ÷ 5 = −40% (beyond the 30% threshold: a reason is due)."""
    out = _score("较上年提高5个百分点", "提高3个百分点")
    assert (str(out.score), out.completion, out.deviation) == ("6.00", Decimal("0.6"), Decimal("-0.4"))


@pytest.mark.parametrize("actual", ["95%-98%", "增长5%"])
def test_an_actual_of_another_kind_under_a_number_is_not_scored(actual):
    """"≥95%" with a range or a change as the actual: no number to compare — not scorable, said so
    (not silently compared with one end)."""
    out = _score("≥95%", actual)
    assert out.status == "not-scorable"
    assert out.message == f"实际值“{actual}”的写法无法识别，无法与目标值“≥95%”比较"


def test_a_bare_actual_under_a_duration_takes_its_unit():
    """"3个工作日内" (issue #11) with a bare "2": 2个工作日 ≤ 3 → 反向 met, full 10 (a bare number is
    no other time unit)."""
    out = _score("3个工作日内", "2")
    assert (out.status, str(out.score), out.met) == ("scored", "10.00", True)


def test_a_duration_under_a_percent_is_a_unit_clash_not_a_time_unit_clash():
    """"≥95%" with "3天": the units differ (% and 天) — the time-unit message is for two durations
    ("3个工作日内" with "3天")."""
    out = _score("≥95%", "3天")
    assert (out.status, out.message) == ("unit-mismatch", "目标值“≥95%”与实际值“3天”的单位不一致（%与天），无法比较")


def test_a_bare_range_is_rescaled_as_a_whole():
    """A bare range "8-9" next to "7.2万人" takes the actual's unit (magnitudes agree): 8万–9万人, both
    ends. 7.2万 is below the lower bound → 7.2 ÷ 8 = 0.9 → 9.00, against 80000人 (偏离度 −10%)."""
    out = _score("8-9", "7.2万人")
    assert (str(out.score), out.target, out.deviation) == ("9.00", Decimal(80000), Decimal("-0.1"))


@pytest.mark.parametrize(("target", "actual", "nearest", "words"), [
    ("(80%,90%]", "80%", "0.80", "恰好等于区间下限（区间不含该端点）"),
    ("[80%,90%)", "90%", "0.90", "恰好等于区间上限（区间不含该端点）"),
    ("80%-90%", "80%", None, "在区间内"),      # closed ends are inside
    ("80%-90%", "90%", None, "在区间内"),
])
def test_an_actual_at_an_open_end_of_a_range_is_at_that_bound(target, actual, nearest, words):
    """区间: an open end is not inside ("(80%,90%]" with 80% is not met; strict_at_bound
    proportional → 10 with a review note). The bound missed is the one it sits on — 偏离度 0 against
    it, worded "恰好等于区间下限" (it used to read "高于区间上限0.00%"); on a closed end it is inside."""
    out = _score(target, actual)
    assert out.target == (Decimal(nearest) if nearest else None)
    assert (out.completion, out.deviation, out.met) == (1, 0, nearest is None)
    assert describe(target, actual) == words


@pytest.mark.parametrize(("actual", "kw", "score", "band"), [
    ("达成年度指标", {}, "10.00", "达成"),                      # the official phrase: 达成 100%
    ("正在推进", {"band": "部分达成"}, "7.00", "部分达成"),     # the reviewer's chosen band: 70%
])
def test_a_band_under_a_number_target_scores_that_band(actual, kw, score, band):
    """"≥95%" answered in words: no number to compare, but the official band phrase (财预〔2020〕10号
    附件1's 达成年度指标) or a chosen 定性档次 is the reviewer's judgement — scored at the band's default
    (达成 100% → 10.00, 部分达成 70% → 7.00); any other text is not scorable."""
    out = _score("≥95%", actual, **kw)
    assert (out.status, str(out.score), out.band) == ("scored", score, band)


def test_a_chosen_band_outranks_a_yes_no_answer():
    """目标 "是", 实际 "否" alone is a 是/否 miss (yes_no_missed_band 未达成, 30% → 3.00); with the
    定性档次 "部分达成" chosen, the reviewer's band decides: 70% → 7.00 (issue #11: 所选档次优先于文字)."""
    assert str(_score("是", "否").score) == "3.00"
    out = _score("是", "否", band="部分达成")
    assert (out.status, str(out.score), out.band, out.band_how) == ("scored", "7.00", "部分达成", "chosen")


@pytest.mark.parametrize(("target", "actual", "kw", "status"), [
    ("=0起", "未发生安全事故", {}, "scored"),                  # 等于 0: a ceiling of 0 → 0 = 0, full
    ("0起", "未发生安全事故", {"direction": "正向"}, "scored"),  # a target of 0 is a ceiling whatever 指标性质 says
    ("≥0次", "无", {}, "not-applicable"),                    # a floor of 0 is no ceiling: "无" stays 不适用
])
def test_a_target_of_zero_is_a_ceiling_unless_written_as_a_floor(target, actual, kw, status):
    """_upper_bound: a target of 0 written bare, "=0" (the 铁路沿线环境整治 table's 指标性质 "=" joined to
    its value, dyrmt133731) or "≤0" is a ceiling — "未发生安全事故" under it is 0 → 0 meets 0, full 10;
    "≥0次" asks for at least 0, so "无" there is not a count of none but 不适用 (never guessed as 0)."""
    out = _score(target, actual, **kw)
    assert out.status == status
    if status == "scored":
        assert (str(out.score), out.note) == ("10.00", f"实际值“{actual}”表示未发生，按0起计")


def test_a_chosen_band_or_rate_wins_over_a_none_statement():
    """The 定性档次 (dropdown) or 得分率 the user chose is theirs: "无上访" under "0起" is not read as 0
    (full marks) over it. 未达成 → 10 × 30% = 3.00 (the default profile's 未达成 rate); a typed 得分率
    of 50% under a number target is no rule of this indicator — not scored, said so, not 10."""
    assert str(_score("0起", "无上访", band="未达成").score) == "3.00"
    out = _score("0起", "无上访", rate=Decimal("0.5"))
    assert out.status == "not-scorable" and out.score is None
    assert "实际值“无上访”却是文字" in out.message
