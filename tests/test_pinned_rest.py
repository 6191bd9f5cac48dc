"""Rules pinned for the mutation run (issue #18, session 3) of the smaller modules: the rule-profile
schema (udfs/profile_schema.py), the function catalogue and its README generator
(udfs/catalogue.py, udfs/readme.py), the xlwings Lite registrations (udfs/lite.py), the prose
checks (addin/rules/text.py, addin/rules/narrative.py) and their helpers (addin/rules/common.py).

Each expected value comes from the rule the code states (the schema's own documented constraint,
the catalogue's documented layout, the report texts of tests/fixtures/reports/ with the figures
worked out by hand) — never printed by the code and pasted back.
"""

from __future__ import annotations

import re
import subprocess
import sys
from decimal import Decimal

import pytest

from udfs import InputError
from udfs.profile_schema import validate

D = Decimal


# --- udfs/profile_schema.py ------------------------------------------------------------------------

@pytest.mark.parametrize(("data", "key"), [
    ({"deviation": {"inclusive": "是"}}, "deviation.inclusive"),
    ({"qualitative_bands": [{"band": "达成", "min": 0.8, "max": 1, "max_open": 1}]}, "qualitative_bands[1].max_open"),
])
def test_a_switch_must_be_true_or_false(data, key):
    """The schema types deviation.inclusive and a band's min_open/max_open as true/false: "是" or 1
    typed by hand is refused with the key named (1 is not read as true)."""
    with pytest.raises(InputError, match=re.escape(f"{key} 应为true/false")):
        validate(data, "省级")


def test_comment_keys_do_not_end_the_check():
    """Keys starting with "_" are comments (``"_doc"``) and skipped — the keys after one are still
    checked: a misspelt "totl" after a comment is an unknown key."""
    with pytest.raises(InputError, match="totl 不是已知的配置项"):
        validate({"_doc": "某省财政厅2024年版", "totl": 100}, "省级")
    with pytest.raises(InputError, match=r"qualitative_bands\[1\]\.colour 不是已知的配置项"):
        validate({"qualitative_bands": [{"_note": "旧版", "colour": "red", "band": "达成", "min": 0.8, "max": 1}]}, "省级")


def test_an_unknown_key_of_a_list_item_names_the_item_by_its_number():
    """Items are numbered from 1 as the user counts them: the second band's unknown key is
    qualitative_bands[2]."""
    bands = [{"band": "达成", "min": 0.8, "max": 1}, {"band": "未达成", "min": 0, "max": 0.8, "colour": "red"}]
    with pytest.raises(InputError, match=r"qualitative_bands\[2\]\.colour 不是已知的配置项"):
        validate({"qualitative_bands": bands}, "省级")


def test_a_fixed_rate_band_has_min_equal_to_max():
    """The rule is 0 ≤ min ≤ max ≤ 1 (the message says so): a band that scores one fixed rate —
    未完成 不得分, [0, 0] — is a valid band, not an error."""
    validate({"qualitative_bands": [{"band": "达成", "min": 1, "max": 1, "default": 1},
                                    {"band": "未达成", "min": 0, "max": 0, "default": 0}]}, "省级")
    with pytest.raises(InputError, match="0≤min≤max≤1"):
        validate({"qualitative_bands": [{"band": "达成", "min": 1, "max": 0.8}]}, "省级")


def test_a_two_character_lexicon_phrase_is_accepted():
    """lexicon.phrases words need at least two characters (one character misreads: "较"); two are
    enough — udfs/lexicon.json itself has 较好, 初步, 滞后."""
    validate({"lexicon": {"phrases": {"部分达成": ["尚可"], "达成": ["较好"]}}}, "省级")
    with pytest.raises(InputError, match="lexicon.phrases.部分达成"):
        validate({"lexicon": {"phrases": {"部分达成": ["可"]}}}, "省级")


# --- udfs/catalogue.py, udfs/readme.py -------------------------------------------------------------

def test_the_plain_catalogue_marks_optional_arguments_only():
    """`jixiao functions` / 函数说明: an optional argument is marked （可选） and a required one is not —
    预算执行得分(执行数, 预算数, [分值]) has 分值 optional (default 10)."""
    from udfs.catalogue import plain_text

    block = plain_text().split("预算执行得分(执行数, 预算数, [分值])", 1)[1].split("\n\n", 1)[0]
    assert "    执行数：全年执行数（万元）" in block
    assert "    预算数：全年预算数（万元）" in block
    assert "    分值（可选）：预算执行率指标的分值，默认10" in block
    assert "执行数（可选）" not in block and "预算数（可选）" not in block


STALE = "# 说明\n\n<!-- functions:start -->\n| 旧表 |\n<!-- functions:end -->\n\n结尾\n"


def _regenerated() -> str:
    from udfs.catalogue import markdown_table

    return f"# 说明\n\n<!-- functions:start -->\n{markdown_table()}\n<!-- functions:end -->\n\n结尾\n"


def test_readme_command_rewrites_the_file_it_is_given(tmp_path):
    """`python -m udfs.readme 文档.md` regenerates the tables of that file (not ./README.md)."""
    (tmp_path / "docs").mkdir()
    target = tmp_path / "docs" / "文档.md"
    target.write_text(STALE, encoding="utf-8")
    (tmp_path / "README.md").write_text(STALE, encoding="utf-8")
    subprocess.run([sys.executable, "-m", "udfs.readme", str(target)], cwd=tmp_path, check=True, timeout=120)
    assert target.read_text(encoding="utf-8") == _regenerated()
    assert (tmp_path / "README.md").read_text(encoding="utf-8") == STALE


def test_readme_command_defaults_to_readme_md(tmp_path):
    """Without an argument it regenerates README.md in the current folder."""
    (tmp_path / "README.md").write_text(STALE, encoding="utf-8")
    subprocess.run([sys.executable, "-m", "udfs.readme"], cwd=tmp_path, check=True, timeout=120)
    assert (tmp_path / "README.md").read_text(encoding="utf-8") == _regenerated()


# --- addin/rules/narrative.py ----------------------------------------------------------------------

def test_a_quoted_figure_of_another_kind_is_not_the_actual():
    """Seed 004's 补助人数 is 18.74万人 in the table; "补助人数较上年增长2.3%" quotes a change in
    percent, not a head count — a different kind of quantity is not compared (no finding), while
    the same kind is ("补助人数为18.5万人" against 18.74万人)."""
    from tests.test_pinned_rules_narrative import found, report

    assert found(report("补助人数较上年增长2.3%，做到应保尽保。"), "narrative-actual-mismatch") == []
    assert found(report("补助人数为18.5万人，做到应保尽保。"), "narrative-actual-mismatch") == [
        ("正文!A1", "18.74万人")]


@pytest.mark.parametrize(("written", "expected"), [
    ("4.9%", None),                     # 78.43 ÷ 1600 = 4.90%
    ("4.8%", D("0.04901875")),          # the share is of the 1600 the paragraph opens with
])
def test_a_share_in_a_paragraph_that_opens_with_the_total(written, expected):
    """A paragraph may open with its total ("1600万元为全年预算，其中…", seed 004's funds: 1600 budget,
    1521.57 executed, 78.43 left): the share is of that first amount, read whole from the paragraph's
    first character (1521.57 ÷ 1600 = 95.098…% = 95.1%)."""
    from tests.test_pinned_rules_narrative import found, text_only

    ev = text_only(f"1600万元为全年预算，其中：已执行1521.57万元，占95.1%，结余78.43万元，占{written}。")
    assert found(ev, "narrative-share-mismatch") == ([] if expected is None else [("正文!A1", expected)])


def test_an_indicator_after_one_without_a_comparable_actual_is_still_read():
    """Seed 004's table lists 减轻补助人口看病负担… (actual "100", a bare number: not compared) before
    社会满意度 (95%): the 满意度 paragraph's "社会满意度为90%" is still checked against 95%."""
    from tests.test_pinned_rules_narrative import found, report

    ev = report("对我县参保人群进行医疗保险基金补助，社会满意度为90%，群众满意。")
    assert found(ev, "narrative-actual-mismatch") == [("正文!A1", "95%")]
    assert found(report("对我县参保人群进行医疗保险基金补助，社会满意度为95%，群众满意。"),
                 "narrative-actual-mismatch") == []


def test_an_indicator_after_one_with_a_short_name_is_still_read():
    """A name under four characters ("参保率") is too short to find in the text safely and is
    skipped — the indicators after it are still checked (社会满意度 95% against the text's 90%)."""
    from tests.test_pinned_rules_narrative import found, report
    from tests.test_validate_rules import clean

    ev = clean()
    ev.indicators[0].name = "参保率"
    ev.indicators[0].actual = "100%"
    ev = report("参保率100%，社会满意度为90%，群众满意。", ev=ev)
    assert found(ev, "narrative-actual-mismatch") == [("正文!A1", "95%")]


def test_a_paragraph_whose_per_capita_rate_agrees_does_not_end_the_check():
    """Seed 002's 人均资产变化率 paragraph twice (as a report covering two years' figures would): the
    first states the exact −17.48% (325.51 ÷ 52 against 417.21 ÷ 55), the second −20% — still flagged."""
    from tests.test_pinned_rules_narrative import SEED002_PER_CAPITA, found, text_only

    ev = text_only(SEED002_PER_CAPITA.replace("-17.52%", "-17.48%"), SEED002_PER_CAPITA.replace("-17.52%", "-20%"))
    assert found(ev, "narrative-per-capita") == [("正文!A2", D("-0.1748"))]


NANXIAN_INCOME = "1、收入：792.22万元。同比上年度增加189.25万元，增加31.39%。其中：财政拨款收入792.22万元，同比上年度增加209.28万元，增加35.9%。"


def test_a_qizhong_that_is_not_a_parts_list_does_not_end_the_check():
    """南县政协 2021 (nanxian-2021.txt), 收入 and 支出 in one paragraph: the 收入 "其中" lists a change
    (增加209.28万元), not parts, and is not checked; the 支出 "其中" after it still is —
    434.89 + 77.4 + 268.83 = 781.12 against 799.12 (the published 286.83 changed to 268.83)."""
    from tests.test_pinned_rules_narrative import NANXIAN_SPENDING, found, text_only

    assert found(text_only(NANXIAN_INCOME + NANXIAN_SPENDING), "narrative-parts-mismatch") == []
    ev = text_only(NANXIAN_INCOME + NANXIAN_SPENDING.replace("286.83", "268.83"))
    assert found(ev, "narrative-parts-mismatch") == [("正文!A1", D("781.12"))]


@pytest.mark.parametrize("written", ["95.1%", "90%"])
def test_a_rate_of_the_text_agreeing_with_either_table_rate_is_not_flagged(written):
    """The table states 执行率 90% (a slip: 1521.57 ÷ 1600 = 95.10%, flagged by the funds check):
    the text may quote the recomputed 95.1% or the table's 90% — either is what the table says."""
    from tests.test_pinned_rules_narrative import found, messages, report

    ev = report(f"全年预算1600万元，实际执行1521.57万元，执行率{written}。")
    ev.budget.rate = D("0.90")
    assert found(ev, "narrative-rate-mismatch") == []
    ev = report("全年预算1600万元，实际执行1521.57万元，执行率85%。")
    ev.budget.rate = D("0.90")
    assert found(ev, "narrative-rate-mismatch") == [("正文!A1", D("0.9510"))]
    assert messages(ev, "narrative-rate-mismatch") == [      # the recomputed rate, not the slip
        "正文第1段写“执行率85%”，按表中数字预算执行率为95.10%，两者不一致。"]


SEED002_BASIC = "2024年一般公共预算财政拨款支出2655.78万元,占本年支出合计的86.8%。与2023年相比,一般公共预算财政拨款支出增加1249.01万元,增长88.79%。"


def test_a_growth_without_last_years_amount_does_not_end_the_check():
    """"公用经费支出77.4万元，项目支出增加1249.01万元" gives no base for the 增长 (77.4 − 1249.01 < 0:
    not this item's amount) and is not checked; seed 002's 一般公共预算财政拨款支出 after it still is:
    1249.01 ÷ (2655.78 − 1249.01) = 88.79%, so a stated 98.79% is flagged."""
    from tests.test_pinned_rules_narrative import messages, text_only

    head = "其中公用经费支出77.4万元，项目支出增加1249.01万元，增长88.79%。"
    assert messages(text_only(head + SEED002_BASIC), "narrative-growth-mismatch") == []
    assert messages(text_only(head + SEED002_BASIC.replace("88.79%", "98.79%")), "narrative-growth-mismatch") == [
        "正文第1段写“增加1249.01万元,增长98.79%”，按1249.01÷（2655.78−1249.01）应为88.79%。"]


def test_a_copied_row_not_in_the_table_does_not_end_the_check():
    """A section table of seed 004's report may hold a row the 自评表 lacks (a 二级 heading, an
    indicator of another project): it is skipped, and the rows after it are still compared —
    医疗保险应保尽保 98% in the copy against 100% in the 自评表."""
    from tests.test_pinned_rules_narrative import _copy, found
    from tests.test_validate_rules import clean

    ev = clean()
    ev.extra["table_copies"] = [_copy(
        {"name": "产出指标", "cells": {}},
        {"name": "医疗保险应保尽保", "weight": D(10), "target": "100", "actual": "98%", "score": D(10),
         "cells": {"actual": "表3!E3"}})]
    assert found(ev, "table-copy-mismatch") == [("表3!E3", "100%")]


def test_a_share_of_another_base_does_not_end_the_check_of_the_sentence():
    """A part larger than the whole (120 of 100: a share of some other base) is not checked; the
    next share of the sentence still is — 40 ÷ 100 = 40%, not the 45% written."""
    from tests.test_pinned_rules_narrative import found, text_only

    ev = text_only("收入合计100万元，其中：财政拨款收入120万元，占50%；其他收入40万元，占45%。")
    assert found(ev, "narrative-share-mismatch") == [("正文!A1", D("0.4"))]


@pytest.mark.parametrize(("written", "expected"), [
    ("占88.39%", None),                       # 700 ÷ 791.94 = 88.39%
    ("占80%", D(700) / D("791.94")),
])
def test_the_share_of_the_total_before_qizhong_is_not_of_itself(written, expected):
    """Bug (fixed): "基本支出791.94万元，占25.88%，其中：人员经费支出700万元…" (seed 002's 基本支出 and its
    25.88% of 3059.53, broken down) — the 25.88% is of the 支出合计 the sentence does not give; it was
    checked as 791.94 ÷ 791.94 and flagged "应为100%". The parts' shares are of 791.94:
    700 ÷ 791.94 = 88.39%, 91.94 ÷ 791.94 = 11.61%."""
    from tests.test_pinned_rules_narrative import found, text_only

    text = f"2024年基本支出791.94万元，占25.88%，其中：人员经费支出700万元，{written}；公用经费支出91.94万元，占11.61%。"
    assert found(text_only(text), "narrative-share-mismatch") == ([] if expected is None else [("正文!A1", expected)])


def test_a_share_of_a_named_total_not_given_does_not_end_the_check_of_the_sentence():
    """"占决算报表支出的25.88%" with no 决算报表支出 amount in the paragraph is not checked; the next share
    of the sentence is, against the sentence's first amount: 2267.59 ÷ 3059.53 = 74.12% (seed 002), not 84.12%."""
    from tests.test_pinned_rules_narrative import found, text_only

    text = "本年支出合计3059.53万元，基本支出791.94万元，占决算报表支出的25.88%，项目支出2267.59万元，占84.12%。"
    assert found(text_only(text), "narrative-share-mismatch") == [("正文!A1", D("2267.59") / D("3059.53"))]
    assert found(text_only(text.replace("84.12%", "74.12%")), "narrative-share-mismatch") == []


@pytest.mark.parametrize(("written", "expected"), [("增长50%", None), ("增长40%", D("0.5"))])
def test_growth_from_last_years_amount_under_one_wan(written, expected):
    """三公经费 are small: "公务接待费1.2万元，比上年增加0.4万元" is growth from 0.8万元 last year,
    0.4 ÷ 0.8 = 50% — an amount under 1万元 is still a base (only ≤ 0 is none)."""
    from tests.test_pinned_rules_narrative import found, text_only

    ev = text_only(f"公务接待费1.2万元，比上年增加0.4万元，{written}。")
    assert found(ev, "narrative-growth-mismatch") == ([] if expected is None else [("正文!A1", expected)])


def test_a_year_after_the_name_is_not_the_actual():
    """An indicator in years (项目实施期限 2.5年): "项目实施期限自2021年开始" names a calendar year — four
    digits and 年 — not a duration; the "2.5年" later in the sentence is what is compared."""
    from tests.test_pinned_rules_narrative import found, report
    from tests.test_validate_rules import clean

    ev = clean()
    ind = ev.indicators[2]
    ind.name, ind.target, ind.actual, ind.completion_stated = "项目实施期限", "≤3年", "2.5年", None
    assert found(report("项目实施期限自2021年开始，为期2.5年。", ev=ev), "narrative-actual-mismatch") == []


def test_a_figure_quoted_in_the_second_sentence_of_a_paragraph():
    """Seed 004's 产出 paragraph with the head count in its second sentence: 178385人 is 17.84万人,
    not the table's 18.74万人 — the name is found at its place in that sentence."""
    from tests.test_pinned_rules_narrative import found, report

    ev = report("进一步减轻补助人口看病负担。补助人数为178385人，做到应保尽保。")
    assert found(ev, "narrative-actual-mismatch") == [("正文!A1", "18.74万人")]
    assert found(report("进一步减轻补助人口看病负担。补助人数为187385人，做到应保尽保。"), "narrative-actual-mismatch") == []


def test_growth_in_a_paragraph_that_opens_with_this_years_amount():
    """Seed 002's 收支总计 written amount first: "3059.53万元为2024年度收、支总计…各增加1652.76万元" — this
    year's amount is read whole from the paragraph's first character: 1652.76 ÷ (3059.53 − 1652.76)
    = 117.49%, so 171.49% is flagged."""
    from tests.test_pinned_rules_narrative import found, text_only

    text = "3059.53万元为2024年度收、支总计。与2023年相比,收、支总计各增加1652.76万元,增长117.49%。"
    assert found(text_only(text), "narrative-growth-mismatch") == []
    assert found(text_only(text.replace("117.49%", "171.49%")), "narrative-growth-mismatch") == [
        ("正文!A1", D("1652.76") / (D("3059.53") - D("1652.76")))]


def test_parts_of_a_paragraph_that_opens_with_the_whole():
    """南县政协 2021's 支出 written amount first: the whole 799.12 is read from the first character
    (434.89 + 77.4 + 286.83 = 799.12: no finding; 268.83 for 286.83 gives 781.12)."""
    from tests.test_pinned_rules_narrative import found, text_only

    text = "799.12万元为2021年支出合计。其中：人员经费支出434.89万元，公用经费支出77.4万元，项目支出286.83万元。"
    assert found(text_only(text), "narrative-parts-mismatch") == []
    assert found(text_only(text.replace("286.83", "268.83")), "narrative-parts-mismatch") == [("正文!A1", D("781.12"))]


def test_an_increase_said_earlier_in_the_sentence_does_not_hide_the_whole():
    """"收入比上年有所增加，达到800万元" — 800 is the total (增加 is far from it, not "增加800万元"):
    500 + 200 = 700 of it are listed, so the list is flagged."""
    from tests.test_pinned_rules_narrative import found, text_only

    text = "收入比上年有所增加，达到800万元。其中：财政拨款收入500万元，其他收入200万元。"
    assert found(text_only(text), "narrative-parts-mismatch") == [("正文!A1", D(700))]


def test_a_figure_right_after_the_name():
    """"全年补助人数187385人" (no 为 between name and figure): 18.7385万人 is the table's 18.74万人;
    178385人 is not."""
    from tests.test_pinned_rules_narrative import found, report

    assert found(report("全年补助人数187385人，做到应保尽保。"), "narrative-actual-mismatch") == []
    assert found(report("全年补助人数178385人，做到应保尽保。"), "narrative-actual-mismatch") == [("正文!A1", "18.74万人")]


def test_the_amount_message_gives_the_tables_main_figure():
    """The text may quote any 执行 row of the funds table (here 其中：本年财政拨款执行数 1200); one that
    matches none is told the table's 全年执行数 (seed 004: 1521.57万元), not another row's."""
    from tests.test_pinned_rules_narrative import _rows, found, messages, report
    from tests.test_validate_rules import clean

    ev = report("全年执行1300万元。", ev=_rows(clean(), ("其中：本年财政拨款执行数", D(1200))))
    assert found(ev, "narrative-amount-mismatch") == [("正文!A1", D("1521.57"))]
    assert messages(ev, "narrative-amount-mismatch") == [
        "正文第1段写“全年执行1300万元”，表中全年执行数为1521.57万元，两者不一致。"]


@pytest.mark.parametrize(("written", "expected"), [("占62.5%", None), ("占60%", D("0.625"))])
def test_shares_of_a_total_under_one_wan(written, expected):
    """三公经费 are small: "三公经费支出0.8万元，其中公务接待费0.5万元" — 0.5 ÷ 0.8 = 62.5%; a whole under
    1万元 is still a whole (only ≤ 0 is none)."""
    from tests.test_pinned_rules_narrative import found, text_only

    ev = text_only(f"三公经费支出0.8万元，其中公务接待费0.5万元，{written}。")
    assert found(ev, "narrative-share-mismatch") == ([] if expected is None else [("正文!A1", expected)])


def test_a_change_at_the_very_start_of_a_paragraph_is_not_the_whole():
    """A paragraph continuing a heading ("（二）收入变动") may open with the change itself:
    "增加100万元，其中：…" — the 100 is a change (增加 right before it, from the first character on), not
    the whole of the list, so 60 + 50 = 110 is not compared with it."""
    from tests.test_pinned_rules_narrative import found, text_only

    assert found(text_only("增加100万元，其中：财政拨款收入60万元，其他收入50万元。"), "narrative-parts-mismatch") == []


def test_a_four_character_duration_with_a_decimal_point_is_not_a_year():
    """Only four digits and 年 make a calendar year (2021年): "12.5年" has four characters too, but a
    decimal point — a duration, compared with the table's 2.5年 (and flagged)."""
    from tests.test_pinned_rules_narrative import found, report
    from tests.test_validate_rules import clean

    ev = clean()
    ind = ev.indicators[2]
    ind.name, ind.target, ind.actual, ind.completion_stated = "项目实施期限", "≤3年", "2.5年", None
    assert found(report("项目实施期限为12.5年。", ev=ev), "narrative-actual-mismatch") == [("正文!A1", "2.5年")]
