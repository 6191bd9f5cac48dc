"""Rules of the text readers of udfs/ pinned for the mutation run (issue #18): the qualitative band
reader (udfs/qualitative.py), the result wording (udfs/wording.py), the rule profiles
(udfs/profile.py) and the worksheet signatures (udfs/registry.py).

Expected values are worked out by hand from the rules, never printed by the code: the bands of
财预〔2020〕10号 (达成 [80%,100%] default 100%, 部分达成 [60%,80%) default 70%, 未达成 [0,60%) default
30%), the reading order documented in udfs/qualitative.py (chosen 档次 → official phrases, longest
first → the lexicon of udfs/lexicon.json with its negators, exceptions and ``scope`` of 3 characters,
no punctuation between; 达成 and 未达成 together is not scorable) and the profile keys documented in
udfs/profile_schema.json.
"""

from __future__ import annotations

import copy
import json
from decimal import Decimal as D

import pytest

from udfs import load_profile
from udfs.profile import default_profile, list_profiles
from udfs.qualitative import lexicon_band, read_band

ACHIEVED, PARTIAL, MISSED = "达成", "部分达成", "未达成"


def custom_profile(tmp_path, **keys):
    """A province's profile file extending the default (load_profile caches by path: one file each)."""
    path = tmp_path / f"p{len(list(tmp_path.iterdir()))}.json"
    path.write_text(json.dumps({"id": "t", "title": "测试", "extends": "cz2020-10", **keys}, ensure_ascii=False),
                    encoding="utf-8")
    return load_profile(str(path))


def bands_with_aliases(extra: dict[str, list[str]]) -> list[dict]:
    """The default profile's qualitative_bands with more aliases per band (the list is replaced whole)."""
    bands = copy.deepcopy(default_profile().data["qualitative_bands"])
    for b in bands:
        b["aliases"] = [*b.get("aliases", []), *extra.get(b["band"], [])]
    return bands


# --- step 1: the chosen 档次 ----------------------------------------------------------------------

def test_a_number_in_the_band_cell_is_not_a_band_and_the_actual_decides():
    """A 得分率 or score typed in the 档次 cell (85) is not a band name: the actual's words decide."""
    r = read_band("效果明显", default_profile(), chosen=85)
    assert (r.band, r.how) == (ACHIEVED, "lexicon")


# --- step 2: official phrases ---------------------------------------------------------------------

def test_an_official_phrase_decides_before_the_lexicon_words():
    """"达成年度指标" is the official wording of 达成: it decides, although the lexicon alone would read
    达成 and 未达成 ("不到位") together and give up."""
    r = read_band("达成年度指标，但宣传不到位", default_profile())
    assert (r.band, r.how) == (ACHIEVED, "official")


def test_official_phrases_of_two_bands_are_not_scorable():
    """未达成年度指标 in one part and 达成年度指标 in another: two bands at once — the user picks."""
    assert read_band("一期未达成年度指标，二期达成年度指标", default_profile()).band is None


def test_a_two_character_alias_of_a_profile_is_an_official_phrase(tmp_path):
    """Phrases are at least two characters: a province's two-character alias ("尚可" for 部分达成) is
    read inside a longer text."""
    p = custom_profile(tmp_path, qualitative_bands=bands_with_aliases({PARTIAL: ["尚可"]}))
    r = read_band("总体尚可", p)
    assert (r.band, r.how) == (PARTIAL, "official")


def test_the_longest_official_phrase_wins_over_a_shorter_overlapping_one(tmp_path):
    """Longest first: "满意度较高" (a province's 达成 alias, 5 characters) overlaps "基本满意" (its
    部分达成 alias, 4): the longer one decides, the shorter overlapping one is not read."""
    p = custom_profile(tmp_path, qualitative_bands=bands_with_aliases({ACHIEVED: ["满意度较高"],
                                                                      PARTIAL: ["基本满意"]}))
    r = read_band("群众基本满意度较高", p)
    assert (r.band, r.how) == (ACHIEVED, "official")


# --- step 3: lexicon, negation and scope ---------------------------------------------------------

@pytest.mark.parametrize(("text", "band"), [
    ("未按计划完成", MISSED),            # 未 three characters before 完成: within scope
    ("设备无故障运行稳定", ACHIEVED),     # 无 four characters before 稳定: out of scope
    ("服务质量不断提高", ACHIEVED),       # 不断 is an exception, not a negator
    ("宣传效果，不明显", MISSED),         # the negator after the punctuation still counts
    ("存在问题：无，群众满意", ACHIEVED),  # punctuation between 无 and 满意: no negation
    ("不是不断改善", MISSED),             # 不断 is an exception, the 不 before it within scope is not
])
def test_a_negator_counts_within_three_characters_without_punctuation(text, band):
    """lexicon.json: a negator turns a phrase into 未达成 only within ``scope`` (3) characters before
    it with no punctuation between; 不断/未来… are not negators."""
    assert lexicon_band(text).band == band
    assert read_band(text, default_profile()).band == band


def test_the_negation_covers_the_words_it_reaches():
    """"改善幅度不明显" is "效果不明显": the negated claim covers the words before it within scope,
    so 改善 there is not read as a second, 达成 claim."""
    assert lexicon_band("水质改善幅度不明显").band == MISSED


def test_a_claim_before_the_negation_s_scope_is_still_read():
    """"运行稳定" stands before the punctuation, out of the reach of "不到位": 达成 and 未达成 together —
    not scorable, the user picks."""
    r = lexicon_band("设备运行稳定，维护不到位")
    assert (r.band, r.how) == (None, "conflict")


def test_a_phrase_met_again_after_a_longer_one_is_read():
    """"不达标" then "达标": the second 达标 is a claim of its own — 达成 and 未达成 together."""
    assert lexicon_band("一期不达标，二期达标").band is None


def test_the_evidence_is_the_negated_phrase():
    """The evidence names what decided: the negator with its phrase, from the first character."""
    r = lexicon_band("不明显")
    assert (r.band, r.evidence) == (MISSED, "不明显")


def test_a_province_s_longer_phrase_wins_over_a_shorter_one_inside_it(tmp_path):
    """Phrases are read longest first: a profile's 达成 phrase "一般性问题均已整改" is not read as its
    部分达成 word "一般"."""
    p = custom_profile(tmp_path, lexicon={"phrases": {ACHIEVED: ["一般性问题均已整改"]}})
    assert read_band("一般性问题均已整改", p).band == ACHIEVED


def test_a_province_s_longer_phrase_wins_over_a_partial_word_inside_it(tmp_path):
    """Longest first, also where no phrase exception applies: a profile's 达成 phrase "逐步推进并全面完成"
    is read before the 部分达成 word "逐步" inside it — 达成."""
    p = custom_profile(tmp_path, lexicon={"phrases": {ACHIEVED: ["逐步推进并全面完成"]}})
    assert read_band("项目逐步推进并全面完成", p).band == ACHIEVED


# --- udfs/wording.py: 完成情况 in words ------------------------------------------------------------

def test_no_outcome_has_no_wording():
    """describe_outcome of nothing (a row the rules could not evaluate) is None, not an error."""
    from udfs.wording import describe_outcome
    assert describe_outcome(None) is None


def test_a_band_reads_as_its_label_in_the_profile_given_or_the_default(tmp_path):
    """A qualitative band reads as its official label: the default profile's without a profile, the
    province's own label with its profile."""
    from udfs.evaluate import evaluate
    from udfs.parse import parse_value
    from udfs.wording import describe, describe_outcome
    p = default_profile()
    out = evaluate(parse_value("效果明显", p), parse_value("效果明显", p), p)
    assert describe_outcome(out) == "达成年度指标"
    bands = bands_with_aliases({})
    bands[0]["label"] = "全面达成年度指标"
    assert describe("效果明显", "效果明显", profile=custom_profile(tmp_path, qualitative_bands=bands)) \
        == "全面达成年度指标"


def test_a_qualitative_row_without_a_target_still_reads():
    """A 定性 indicator with an empty 年度指标值 cell: its actual's band is the wording."""
    from udfs.wording import describe
    assert describe("", "效果明显", "定性") == "达成年度指标"


def test_an_actual_on_an_open_upper_end_is_above_the_range():
    """"(80%,90%)" excludes 90%: 90% is not 在区间内 — it sits exactly on the open upper end, worded as
    the 反向 "恰好等于目标值（目标不含等于）" is (and its lower twin "恰好等于区间下限…": "高于区间上限0.00%"
    read wrong there, tests/test_pinned_evaluate_b.py)."""
    from udfs.wording import describe
    assert describe("(80%,90%)", "90%") == "恰好等于区间上限（区间不含该端点）"


@pytest.mark.parametrize(("target", "actual", "want"), [
    ("≤100元", "100元", "控制在目标以内"),                      # exactly at the ceiling: no saving
    ("≤100元", "94.6651元", "控制在目标以内，节约5.33%"),        # ROUND(5.3349, 2) = 5.33
    ("较上年提高10.005%", "提高8.125%",                           # ROUND(8.125, 2) = 8.13,
     "提高8.13%（目标10.01%），完成率81.21%"),                    # ROUND(10.005, 2) = 10.01, 8.125/10.005
])
def test_cost_and_change_wording_rounds_like_excel(target, actual, want):
    """Figures in the wording are ROUND(x, 2), half away from zero, from the unrounded inputs."""
    from udfs.wording import describe
    assert describe(target, actual) == want


# --- udfs/profile.py: profiles as data ------------------------------------------------------------

def test_profiles_are_equal_by_content_not_by_file(tmp_path):
    """Two files with the same rules are the same profile (equal, one hash); other bands are another
    profile; a profile is not equal to its id."""
    a = custom_profile(tmp_path, qualitative_bands=bands_with_aliases({}))
    b = custom_profile(tmp_path, qualitative_bands=bands_with_aliases({}))
    assert a is not b and a == b and hash(a) == hash(b)
    assert a != custom_profile(tmp_path, qualitative_bands=bands_with_aliases({PARTIAL: ["尚可"]}))
    assert default_profile() != "cz2020-10"


def test_a_missing_json_path_is_not_found_with_the_shipped_ids():
    """load_profile of a .json path that does not exist: "找不到" with the shipped profiles named (not
    a read error)."""
    from udfs import InputError
    with pytest.raises(InputError, match=r"找不到评分规则配置“/nonexistent/省级\.json”（可用：.*cz2020-10"):
        load_profile("/nonexistent/省级.json")


def test_a_schema_error_names_the_profile_file(tmp_path):
    """validate's message names the file the user gave, not the default profile."""
    from udfs import InputError
    bands = bands_with_aliases({})
    bands[1]["min"], bands[1]["max"] = 0.8, 0.6
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"id": "bad", "extends": "cz2020-10", "qualitative_bands": bands},
                               ensure_ascii=False), encoding="utf-8")
    with pytest.raises(InputError, match=r"评分规则配置“.*bad\.json”中 qualitative_bands\[2\]"):
        load_profile(str(path))


def test_a_band_with_an_open_lower_end_excludes_it(tmp_path):
    """min_open (profile_schema.json "下限不含"): a province's 部分达成 (60%,80%) does not contain 60%;
    the default [60%,80%) does."""
    bands = bands_with_aliases({})
    bands[1]["min_open"] = True
    b = custom_profile(tmp_path, qualitative_bands=bands).band(PARTIAL)
    assert (b.contains(D("0.6")), b.contains(D("0.6001")), b.text) == (False, True, "(60%,80%)")
    assert default_profile().band(PARTIAL).contains(D("0.6"))


def test_an_exact_level1_synonym_wins_over_a_word_inside_it(tmp_path):
    """level1_synonyms: a label equal to one of a key's synonyms maps to that key, before any key
    whose word it merely contains ("服务对象满意度" under 效益指标, as a province files it); a longer
    label maps by the word it contains."""
    p = custom_profile(tmp_path, level1_synonyms={"产出指标": ["产出"], "满意度指标": ["满意度"],
                                                  "效益指标": ["效益", "服务对象满意度"]})
    assert p.level1_key("服务对象满意度") == "效益指标"
    assert p.level1_key("一、产出（50分）") == "产出指标"


def test_a_profile_without_rounding_keeps_the_sheet_convention(tmp_path):
    """profile_schema.json rounding: 自评表惯例 比率0.00% (4 decimals of the fraction), 得分 2 decimals."""
    path = tmp_path / "bare.json"
    path.write_text(json.dumps({"id": "bare", "title": "无取整配置"}, ensure_ascii=False), encoding="utf-8")
    p = load_profile(str(path))
    assert (p.rate_digits, p.score_digits) == (4, 2)


def test_a_profile_without_points_keeps_the_official_points(tmp_path):
    """profile_schema.json total / budget_weight: 财预〔2020〕10号 附件1 — 总分100分, 预算执行率10分."""
    path = tmp_path / "bare.json"
    path.write_text(json.dumps({"id": "bare", "title": "无分值配置"}, ensure_ascii=False), encoding="utf-8")
    p = load_profile(str(path))
    assert (p.total, p.budget_weight) == (D(100), D(10))


@pytest.mark.parametrize(("alias", "pid"), [("四川", "sichuan"), ("省直部门", "provincial-direct"),
                                            ("共性指标", "common-framework"), ("财预〔2020〕10号", "cz2020-10")])
def test_a_shipped_profile_loads_by_its_alias(alias, pid):
    """load_profile takes an id or one of a shipped profile's ``aliases``."""
    assert load_profile(alias).id == pid


def test_every_shipped_profile_is_listed():
    """list_profiles: the four files of udfs/profiles/."""
    assert {p.id for p in list_profiles()} >= {"cz2020-10", "common-framework", "provincial-direct", "sichuan"}


def test_an_unreadable_profile_path_says_why_once(tmp_path):
    """A .json path that cannot be read (here a folder): "无法读取" with the system's reason only — the
    file is named once, no "[Errno …]" repeat of it."""
    from udfs import InputError
    folder = tmp_path / "省级.json"
    folder.mkdir()
    with pytest.raises(InputError) as info:
        load_profile(str(folder))
    msg = str(info.value)
    assert msg.startswith(f"无法读取评分规则配置“{folder}”（") and "Errno" not in msg and msg.count(str(folder)) == 1


# --- udfs/registry.py: the worksheet signatures ---------------------------------------------------

@pytest.mark.parametrize(("name", "args"), [
    ("预算执行得分", (1521.57, 1600, 10)),            # 执行数, 预算数, [分值]
    ("指标得分", (10, "≥95%", "96%", "正向")),        # 分值, 目标值, 实际值, [方向]
    ("定性得分", (10, "达成", 0.9)),                  # 分值, 档次, [得分率]
    ("评价等级", (92,)),                              # 总分
    ("总分", ([[9], [8]],)),                          # 得分区域
    ("资金加权得分", ([[90], [80]], [[100], [300]])),  # 得分区域, 资金区域
    ("指标数值", ("18.74万人",)),                     # 文本
    ("指标单位", ("18.74万人",)),
    ("指标方向", ("≥95%",)),
    ("单位换算", (11774300, "元", "万元")),           # 数值, 原单位, 目标单位
])
def test_one_argument_more_than_the_signature_is_refused(name, args):
    """Each worksheet function takes the arguments its signature lists (README 函数表) and no more: a
    further argument is "参数过多：最多N个", never passed on as the rule profile."""
    from udfs import FUNCTIONS, InputError
    FUNCTIONS[name](*args)                                   # the full signature is accepted
    with pytest.raises(InputError, match=f"参数过多：最多{len(args)}个"):
        FUNCTIONS[name](*args, "cz2020-10")


def test_the_budget_score_points_default_to_ten():
    """预算执行得分 without 分值: 财预〔2020〕10号 gives 预算执行率 10 points — 10 × 1521.57/1600 = 9.5098 → 9.51."""
    from udfs import FUNCTIONS
    assert FUNCTIONS["预算执行得分"](1521.57, 1600) == D("9.51")


@pytest.mark.parametrize(("text", "band"), [
    ("一般公共预算资金全部到位", "达成"),      # 一般公共预算: the budget's name, no 一般 (so-so) claim
    ("一般债券资金按期拨付", "达成"),
    ("无安全事故、一般性投诉", "达成"),         # 无 … 一般性投诉: no general complaints either
    ("完成初步设计", "达成"),                  # 初步设计: a project stage, no 初步 (partial) claim
    ("服务质量一般", "部分达成"),              # 一般 on its own is still the 部分达成 word
    ("成效非同一般", None),                    # 非同一般 (remarkable) ends in 一般: no 部分达成 read, no band
])
def test_a_band_word_inside_another_word_is_no_band(text, band):
    """Lexicon ``phrase_exceptions``: 一般 and 初步 are 部分达成 phrases, but inside 一般公共预算,
    一般债券, 一般性 or 初步设计 they are part of another word (finance terms, a project stage) — the
    text is read without them: 到位/按期/无*事故/完成 are 达成, so 达成; 非同一般 (remarkable) holds
    一般 at its very end and leaves no band word at all (not scorable, not guessed)."""
    assert lexicon_band(text).band == band


def test_an_overlapping_achievement_does_not_hide_a_qualifier():
    """"无事故、基本完成投诉办理": 无事故 is 达成 and 基本完成 is 部分达成 — the qualifier narrows the
    claim (有所提高 rule): 部分达成. The achievement pattern 无*投诉 also matches from the first 无
    ("无事故、基本完成投诉", 7 characters between) and would hide 基本完成; a match overlapping one
    already taken is not taken."""
    assert lexicon_band("无事故、基本完成投诉办理").band == "部分达成"
