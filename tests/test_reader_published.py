"""Issue #12: the reader on tables modelled on real published 自评表 (``tests/published_tables.py``
names each source and what was completed) — every class of failure the issue lists, and clean
tables that must raise no error. Expected numbers and findings are worked out by hand from the
rules (财预〔2020〕10号: 预算执行得分 = 分值 × min(执行率, 1); 正向 below target = 分值 × 实际 ÷ 目标;
总分 = Σ 得分), never pasted from the code's output.
"""

from __future__ import annotations

import json
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import openpyxl
import pytest

from addin.cli import main
from addin.consolidate import consolidate
from addin.validate import read_evaluation, validate
from tests import published_tables as pt
from workbook_templates.reader import read_workbook
from workbook_templates.samples import SAMPLE_LAYOUTS, write_sample

D = Decimal


def r2(x: Decimal) -> Decimal:
    """Excel ROUND(x, 2)."""
    return x.quantize(D("0.01"), rounding=ROUND_HALF_UP)


def checked(path: Path, profile: str | None = None):
    ev, prof = read_evaluation(str(path), profile)
    return ev, validate(ev, prof)


def by_severity(findings, *severities: str) -> list[tuple[str, str | None]]:
    return sorted((f.rule, f.cell) for f in findings if f.severity in severities)


def roles(ev) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for r in ev.recognition.rows:
        out.setdefault(r["role"], []).append(r["text"])
    return out


# --- checks that could not fire on a layout: 附件1 without a budget reason cell ---------------------

def test_langfang_low_execution_on_annex1_and_placeholders(tmp_path):
    """廊坊市食品工程学校 (lfsp.cn): 37.24 ÷ 43.2 = 86.20 % < 90 % and the 附件1 table has no reason
    cell — its 实际完成情况 says only "37.24" — so low-execution-unexplained fires at the 执行率 cell.
    The stated 9 points against 10 × 0.862037 = 8.62 (budget) and 10 × 37.24 ÷ 43.2 = 8.62 (工程资金
    金额, 正向 below target) are score-differs-from-rule; the "指标2"/"……"/bare "指标1" rows are
    placeholders (no missing-field); rule total 8.62 + 8.62 + 8 × 10 = 97.24 against the stated 98."""
    ev, fs = checked(pt.langfang_annex1(tmp_path / "langfang.xlsx"))
    # the text check (narrative-rate-mismatch, addin/rules/narrative.py) reads "剩余3%尾款未付" against
    # 1 − 86.20 % = 13.80 % unspent: the published table's own prose, not a reading gap
    assert by_severity(fs, "error") == [("narrative-rate-mismatch", "自评表!I14")]
    assert by_severity(fs, "warning") == [("low-execution-unexplained", "自评表!G7"),
                                          ("score-differs-from-rule", "自评表!H14"),
                                          ("score-differs-from-rule", "自评表!H7")]
    low = next(f for f in fs if f.rule == "low-execution-unexplained")
    assert "86.20%" in low.message and "实际完成情况" in low.message
    assert ev.budget.rule_score == r2(D(10) * D("37.24") / D("43.2")) == D("8.62")
    assert [i.name for i in ev.indicators][:2] == ["工程资金金额", "工程完工率"]   # "指标1" prefix without colon
    assert len(ev.indicators) == 9
    assert ev.total_score == 98 and ev.rule_total_score == D("8.62") + D("8.62") + 80
    assert len(roles(ev)["placeholder"]) == 14


def test_low_execution_explained_in_the_goal_text_is_not_flagged(tmp_path):
    """耒阳市第四中学 (yzwku 556425): 87.06 ÷ 239 = 36.43 % with "余款安排下年支出" in 实际完成情况 —
    the 附件1 layout's place for the explanation: no low-execution finding; a clean table."""
    ev, fs = checked(pt.leiyang_school(tmp_path / "leiyang.xlsx"))
    assert by_severity(fs, "error", "warning") == []
    assert ev.budget.rule_score == r2(D(10) * D("87.06") / D(239)) == D("3.64")
    assert ev.rule_total_score == D("3.64") + 90 == ev.total_score


# --- clean tables: no error, no warning --------------------------------------------------------

def test_tangxi_annex1_with_a_not_applicable_line_is_clean(tmp_path):
    """棠溪镇 委托业务项目 (anthempetcare): ≥50个 → 50, ≥100百分比 → 100, ≤90万元 → 90, the official
    达成预期指标 for the text targets, an 经济效益指标 line marked "/" (not applicable: not an
    indicator, no missing-field); 89.974 ÷ 89.974 = 100 % → 10; every indicator at full points:
    rule total = stated total = 100."""
    ev, fs = checked(pt.tangxi_annex1(tmp_path / "tangxi.xlsx"))
    assert by_severity(fs, "error", "warning") == []
    # the one note: the actual 100 of "≥100百分比" is read as 100 % (needs-review, information)
    assert {f.rule for f in fs} <= {"needs-review"}
    assert roles(ev)["not-applicable"] == ["经济效益"]
    assert len(ev.indicators) == 10 and ev.rule_total_score == 100 == ev.total_score


def test_honghe_yunnan_two_row_header_is_clean(tmp_path):
    """红河州数据发展中心 (hh.gov.cn) in the 云南 form: 年度指标值 merged over 指标性质 / 指标值 / 度量单位
    (two header rows, merged header cells): "≥" + 28 + "个" is the target ≥28个, the actual 28 takes
    the unit; all at full points: 10 + 50 + 30 + 10 = 100."""
    ev, fs = checked(pt.honghe_yunnan(tmp_path / "honghe.xlsx"))
    assert by_severity(fs, "error", "warning") == []
    assert ev.recognition.header_rows == [8, 9]
    fields = {c["field"]: c["cell"] for c in ev.recognition.columns}
    assert fields["nature"] == "自评表!D9" and fields["target"] == "自评表!E9" and fields["unit"] == "自评表!F9"
    first = ev.indicators[0]
    assert (first.target, first.actual, first.direction) == ("≥28个", "28个", "正向")
    assert ev.rule_total_score == 100 == ev.total_score


def test_a_three_row_header_with_merged_cells_maps_every_column(tmp_path, capsys):
    """The 红河 table under a three-row header (tests/published_tables.honghe_three_row_header: a band
    绩效指标完成情况 D8:H8 over 年度指标值 D9:F9 over 指标性质 / 指标值 / 度量单位 in row 10; 实际完成值
    and 完成率 merged down rows 9–10; 一级…三级指标, 分值, 得分, 原因 down rows 8–10). Each column is
    the cell that names it, worked out from the merges: 指标性质 D10, 指标值 (the target) E10 — not
    年度指标值 D9, which 指标性质 claims —, 度量单位 F10, 实际完成值 G9, 完成率 H9, 分值 I8, 得分 J8;
    the first data row is 11. "≥" + 28 + "个" → ≥28个; 98 ÷ 95 = 103.16 % as typed; every line at
    full points: 10 + 20 + 10 + 10 + 10 + 30 + 10 = 100, no finding. read --explain says 第8–10行."""
    path = pt.honghe_three_row_header(tmp_path / "three.xlsx")
    ev, fs = checked(path)
    assert ev.recognition.header_rows == [8, 9, 10]
    fields = {c["field"]: c["cell"] for c in ev.recognition.columns}
    assert fields == {"level1": "自评表!A8", "level2": "自评表!B8", "name": "自评表!C8", "nature": "自评表!D10",
                      "target": "自评表!E10", "unit": "自评表!F10", "actual": "自评表!G9", "completion": "自评表!H9",
                      "weight": "自评表!I8", "score": "自评表!J8", "reason": "自评表!K8"}
    assert [i.cell for i in ev.indicators][0] == "自评表!C11" and len(ev.indicators) == 6
    first, rate = ev.indicators[0], ev.indicators[3]
    assert (first.target, first.actual, first.direction) == ("≥28个", "28个", "正向")
    assert (rate.target, rate.actual, rate.completion_stated) == ("≥95%", "98%", D("1.0316"))
    assert r2(D(98) / D(95) * 100) == D("103.16")
    assert fs == [] and ev.rule_total_score == 100 == ev.total_score
    assert main(["read", "--explain", str(path)]) == 0
    out = capsys.readouterr().out
    assert "指标表表头：第8–10行（3 行）" in out and "E10“指标值” → 年度指标值（目标值）" in out


def test_honghe_is_its_own_yunnan_layout_scored_by_the_default_rules(tmp_path):
    """The 红河 table carries the Sichuan markers (指标性质, 度量单位) but is the 云南 form (年度指标值 over
    them, then 实际完成值): layouts/yunnan.json — data, no code — makes it its own layout, listed before
    sichuan. It suggests no profile, so 财预〔2020〕10号 applies with no profile-suggested note, and its
    50/30/10 check fires: with 10 points moved from 效益 to 产出, 产出 20+20+10+10 = 60 ≠ 50 (H10) and
    效益 20 ≠ 30 (H14). The real Sichuan table (青神, no 年度指标值) stays sichuan."""
    ev, fs = checked(pt.honghe_yunnan(tmp_path / "honghe.xlsx"))
    assert ev.layout == "yunnan" and "layouts/yunnan.json" in ev.recognition.layout_reason
    assert "profile" not in ev.extra
    used = ev.extra["profile_used"]
    assert (used["id"], used["source"], used["suggested"]) == ("cz2020-10", "default", None)
    assert fs == []
    _, fs = checked(pt.honghe_yunnan(tmp_path / "shifted.xlsx", shifted=True))
    assert by_severity(fs, "error", "warning") == [("level1-weights", "自评表!H10"), ("level1-weights", "自评表!H14")]
    assert "为60" in fs[0].message and "为50" in fs[0].message
    assert read_workbook(pt.qingshen_sichuan(tmp_path / "qingshen.xlsx")).layout == "sichuan"


def test_qingshen_sichuan_is_clean_and_sub_rows_are_checked(tmp_path):
    """青神县 工资性支出 (scqs.gov.cn): 251.89 ÷ 251.89 = 100 % in the 总额 row and the 其中:财政资金
    row, 0.00 % on the rows with nothing budgeted (no rate to compare), the 原因 cell still holding the
    form's guidance (no reason needed at 100 %), "/" in the sub-rows' 权重/得分: no error. Checked by
    the Sichuan rules (--profile sichuan: 执行 10 + 指标 90); the only warning is the profile's: the
    published table sets no 满意度 indicator (missing-category)."""
    ev, fs = checked(pt.qingshen_sichuan(tmp_path / "qingshen.xlsx"), "sichuan")
    assert by_severity(fs, "error") == []
    assert {r for r, _ in by_severity(fs, "warning")} <= {"missing-category"}
    assert ev.rule_total_score == 100 == ev.total_score
    sub = next(r for r in ev.budget.rows if r.label == "其中:财政资金")
    assert sub.values[sub.fields["rate"]] == 1 and sub.is_component


def test_a_zero_rate_on_a_fully_spent_sub_row_is_an_error(tmp_path):
    """The same table with 0.00 % typed in the 其中:财政资金 row (251.89 of 251.89 spent): the sub-row's
    rate is checked like the total's — execution-rate-mismatch at F10, expected 100.00 %."""
    _, fs = checked(pt.qingshen_sichuan(tmp_path / "qingshen0.xlsx", sub_rate=0), "sichuan")
    assert by_severity(fs, "error") == [("execution-rate-mismatch", "自评表!F10")]
    f = next(f for f in fs if f.rule == "execution-rate-mismatch")
    assert f.expected == 1 and "100.00%" in f.message


# --- header variants ---------------------------------------------------------------------------

def test_hubei_ab_markers_and_a_process_indicator_answered_yes(tmp_path):
    """湖北工程学院 学生资助 (777doc): 预算数（A）/ 执行数（B）/ 执行率（B/A）/ 得分（分*执行率）,
    年初目标值（A）/ 实际完成指标值（B） are all recognised: 1181.6 ÷ 1186.4 = 99.60 % → 9.96. The
    过程指标 "评审程序是否公正" 是 / 是 is a 是/否 indicator answered as required: full 5 (issue #11
    rule decision, lexicon.json yes_no), so every point is checked and the rule total is 99.96."""
    ev, fs = checked(pt.hubei_student_aid(tmp_path / "hubei.xlsx"))
    fields = {c["field"]: c["header"] for c in ev.recognition.columns}
    assert fields["target"] == "年初目标值（A）" and fields["actual"] == "实际完成指标值（B）"
    synonym = next(c["synonym"] for c in ev.recognition.columns if c["field"] == "actual")
    assert synonym == "实际完成值"                      # "…指标值" read as "…值"
    funds = {c["field"]: c["header"] for c in ev.recognition.budget["columns"]}
    assert funds == {"adjusted": "预算数（A）", "executed": "执行数（B）", "rate": "执行率（B/A）",
                     "score": "得分（分*执行率）"}
    assert ev.budget.rule_score == r2(D(10) * D("1181.6") / D("1186.4")) == D("9.96")
    assert by_severity(fs, "error") == []
    assert by_severity(fs, "warning") == []
    yes = next(i for i in ev.indicators if i.name == "评审程序是否公正")
    assert (yes.target, yes.actual, yes.rule_score) == ("是", "是", D("5.00"))
    assert ev.rule_total_score == ev.total_score == D("99.96")
    assert not [f for f in fs if f.rule == "partially-scorable"]


def test_jiangxi_long_scoring_standard_column(tmp_path):
    """江西省政协 (biz.doczj): 年度指标值（A）/ 全年实际值（B）/ 分值 / 得分 and a long 评分标准 column
    (read as the note — its prose is never taken for a value, nor its "注：" for the table's end). 46.5
    ÷ 50 = 93 % → 9.3; 达标 is the 达成 band (the grammar's lexicon): 成本控制率 5 and 履职履责 30 at
    full points, every other line at full points: rule total 9.3 + 90 = 99.3 = the published total."""
    ev, fs = checked(pt.jiangxi_scoring_standard(tmp_path / "jiangxi.xlsx"))
    cols = {c["field"]: c["header"] for c in ev.recognition.columns}
    assert cols["note"] == "评分标准" and cols["target"] == "年度指标值（A）" and cols["actual"] == "全年实际值（B）"
    assert by_severity(fs, "error", "warning") == []
    assert len(ev.indicators) == 6 and all(i.rule_score == i.weight for i in ev.indicators)
    assert ev.rule_total_score == D("99.3") == ev.total_score
    assert ev.budget.rule_score == D("9.30")


def test_haidian_2016_ab_markers_points_in_headers_and_a_rounded_rate(tmp_path):
    """北京 海淀 学院路 (wenku365): 年初预算数(A) / 全年执行数(B) / 分值(10分) / 执行率(B/A) and a 得分
    计算方法 column in both tables, 分值 before 年度指标值(A) / 全年实际值(B). Worked by hand: 执行率 =
    154.74 ÷ 310.2 = 49.88 % (shown 50 %); 预算执行得分 = 10 × 0.49884 = 4.99, the unit wrote 5 (10 ×
    the rounded 50 %): score-differs-from-rule at G5, expected 4.99; 49.88 % < 90 % with no reason
    cell and nothing in the goal text: low-execution-unexplained at F5; the form has no 全年预算数
    column: budget-denominator-missing at C5. Every indicator 1 → 1 at full points (90), rule total
    4.99 + 90 = 94.99 against the stated 95 (5 + 90)."""
    ev, fs = checked(pt.haidian_xueyuanlu(tmp_path / "haidian.xlsx"))
    fields = {c["field"]: c["header"] for c in ev.recognition.columns}
    assert (fields["target"], fields["actual"], fields["weight"]) == ("年度指标值(A)", "全年实际值(B)", "分值")
    b = ev.budget
    assert (b.initial, b.executed, b.weight, b.score) == (D("310.2"), D("154.74"), 10, 5)
    assert r2(D(10) * D("154.74") / D("310.2")) == D("4.99") == b.rule_score
    assert by_severity(fs, "error") == []
    assert by_severity(fs, "warning") == [("budget-denominator-missing", "自评表!C5"),
                                          ("low-execution-unexplained", "自评表!F5"),
                                          ("score-differs-from-rule", "自评表!G5")]
    assert next(f for f in fs if f.rule == "score-differs-from-rule").expected == D("4.99")
    assert [i.weight for i in ev.indicators] == [D("12.5")] * 4 + [30, 10]
    assert ev.rule_total_score == D("94.99") and ev.total_score == 95


def test_dayi_sichuan_reverse_lines_are_clean(tmp_path):
    """大邑 (dyrmt.com), 四川 form, scored with --profile sichuan: = 100 % → 100 %, 科目调整次数 ≤ 10 次 →
    2 次 and 结余率 ≤ 5 % → 0 % (反向: at or under the bound is full points), 22.5 each = 90, 执行
    120 ÷ 120 = 100 % → 10; rule total 100 = the stated 合计. No error. The warnings are the profile's
    (no 满意度 indicator in the published table: missing-category) and the 偏离度 rule's on the two
    反向 lines far under their bound (2 vs 10: −80 %; 0 vs 5: −100 %), which ask for a 偏差原因 line."""
    ev, fs = checked(pt.dayi_sichuan_reverse(tmp_path / "dayi.xlsx"), "sichuan")
    assert ev.layout == "sichuan" and by_severity(fs, "error") == []
    assert {r for r, _ in by_severity(fs, "warning")} <= {"missing-category", "deviation-unexplained"}
    assert [(i.direction, i.target, i.actual) for i in ev.indicators] == [
        ("等于", "=100%", "100%"), ("反向", "≤10次", "2次"), ("等于", "=100%", "100%"), ("反向", "≤5%", "0%")]
    assert [i.rule_score for i in ev.indicators] == [D("22.5")] * 4
    assert ev.budget.rule_score == 10 and ev.rule_total_score == 100 == ev.total_score


def test_direction_column_beside_nature_and_a_unit_column_after_the_actual(tmp_path):
    """大英县司法局 安可替代 (dyxrmt.cn), laid out with 指标性质 + 指标方向 and 计量单位 after the actual:
    反向指标 / 小于等于 30 万元 against 28 → "≤30万元" / "28万元", full 40; nothing contradicts."""
    ev, fs = checked(pt.daying_direction(tmp_path / "daying.xlsx"))
    cost = ev.indicators[0]
    assert (cost.target, cost.actual, cost.direction, cost.rule_score) == ("≤30万元", "28万元", "反向", 40)
    assert "direction-contradicts-nature" not in {f.rule for f in fs}


def test_direction_contradicting_nature_is_flagged(tmp_path):
    """正向指标 with 小于等于: direction-contradicts-nature at the 指标方向 cell; the explicit comparison
    (≤, 反向) is the one scored, and the message says so."""
    ev, fs = checked(pt.daying_direction(tmp_path / "daying.xlsx", contradict=True))
    f = next(f for f in fs if f.rule == "direction-contradicts-nature")
    assert f.cell == "自评表!E8" and f.severity == "warning" and "按指标方向“小于等于”计分" in f.message
    assert ev.indicators[0].direction == "反向" and ev.indicators[0].rule_score == 40


# --- never silent: a needed column missing -----------------------------------------------------

@pytest.mark.parametrize("actual_header", [None, "完成情况（B）"])
def test_no_recognisable_actual_column(tmp_path, actual_header):
    """宁晋县 高中助学金 (ningjin.gov.cn): 目标值 and 分值, no 实际完成值 and no 得分 (or an actual
    headed in a unit's own words): column-not-recognised naming what was looked for, each
    indicator not-scorable with that reason, rule total null with 部分可计分：7 项、100 分未计
    (20 + 10 + 10 + 10 + 20 + 20 + 10), and no missing-field for cells of a column that is not there."""
    ev, fs = checked(pt.ningjin_no_actual(tmp_path / "ningjin.xlsx", actual_header=actual_header))
    missing = sorted((f.message.split("：")[0], f.severity) for f in fs if f.rule == "column-not-recognised")
    assert missing == [("未找到预算资金（年初预算数/全年预算数/全年执行数）", "warning"),
                       ("未识别出“实际完成值”列", "error"), ("未识别出“得分”列", "warning")]
    actual = next(f for f in fs if f.rule == "column-not-recognised" and "实际完成值" in f.message)
    assert "“实际完成值”、“完成值”、“实际值”" in actual.message and "第2行" in actual.message
    assert "missing-field" not in {f.rule for f in fs}
    nots = [f for f in fs if f.rule == "not-scorable"]
    assert len(nots) == 7 and all("表中未识别出“实际完成值”列" in f.message for f in nots)
    assert ev.rule_total_score is None
    assert ev.extra["unchecked"] == {"count": 7, "points": 100}
    assert {m["field"] for m in ev.recognition.missing} == {"actual", "score", "budget"}


# --- row roles: 其中 rows ------------------------------------------------------------------------

def test_parts_of_an_indicator_are_not_indicators(tmp_path):
    """The 湖北工程学院 counts written as 其中 rows under 资助学生总人数: the three with 目标值 and 实际值
    but no 分值 are parts (no missing-field, not counted); "其中：应征入伍学生资助人数" carries 10 points
    and is an indicator. All at full points: 9.96 + 90 = 99.96, the stated total."""
    ev, fs = checked(pt.hubei_student_aid(tmp_path / "parts.xlsx", with_parts=True, with_process=False))
    assert fs == []
    names = [i.name for i in ev.indicators]
    assert names[:2] == ["资助学生总人数", "应征入伍学生资助人数"] and len(names) == 8
    parts = [r for r in ev.recognition.rows if r["role"] == "part"]
    assert [p["text"] for p in parts] == ["其中：国家奖学金人数", "其中：国家励志奖学金人数", "其中：国家助学金人数"]
    assert {p["of"] for p in parts} == {ev.indicators[0].cell}
    assert ev.rule_total_score == D("99.96") == ev.total_score


# --- header cells taken from neighbours --------------------------------------------------------

@pytest.mark.parametrize("note", [None, "单位：万元"])
def test_a_blank_department_is_not_taken_from_its_neighbours(tmp_path, note):
    """廊坊 with 主管部门 left blank: not the 实施单位 two cells right, nor a "单位：万元" note."""
    ev = read_workbook(pt.langfang_annex1(tmp_path / "d.xlsx", department=None, note=note))
    assert ev.project.department is None and ev.project.unit == "廊坊市食品工程学校"
    assert ev.project.cells["department"] == "自评表!B5"      # where the value belongs


# --- money with its unit -----------------------------------------------------------------------

def test_money_typed_as_text_in_a_wanyuan_column(tmp_path, capsys):
    """"239万", "239万元", "87.06万" typed in the （万元） columns are 239 / 239 / 87.06 — read and
    validate agree (before, read gave a null budget with exit 0 while validate refused the file)."""
    path = pt.leiyang_school(tmp_path / "text.xlsx", as_text=True)
    assert main(["read", str(path), "--json"]) == 0
    b = json.loads(capsys.readouterr().out)["budget"]
    assert (b["initial"], b["adjusted"], b["executed"], b["unit"]) == (239, 239, 87.06, "万元")
    ev, fs = checked(path)
    assert by_severity(fs, "error", "warning") == []
    assert ev.budget.rule_score == D("3.64")


def test_150wan_in_a_wanyuan_cell_reads_150(tmp_path):
    """The issue's own case: "150万" in a 万元 column is 150; "1,500,000元" there is 150 too; "¥1,600.00"
    is 1600."""
    def edit(path: Path, cells: dict[str, str]) -> Path:
        wb = openpyxl.load_workbook(path)
        for ref, v in cells.items():
            wb.active[ref] = v
        wb.save(path)
        return path
    path = edit(pt.leiyang_school(tmp_path / "m.xlsx"), {"C6": "150万", "D6": "1,500,000元", "E6": "¥1,600.00"})
    b = read_workbook(path).budget
    assert (b.initial, b.adjusted, b.executed) == (150, 150, 1600)


@pytest.mark.parametrize("as_text,title_note", [(False, False), (True, True)])
def test_a_yuan_table_keeps_its_unit(tmp_path, as_text, title_note):
    """The school's table in 元 (（元） headers, or a "单位：元" line): amounts stay in 元 (2,390,000 /
    870,600) with the unit said, and convert to 239 / 87.06 万元 for weights."""
    ev, fs = checked(pt.leiyang_school(tmp_path / "y.xlsx", unit="元", as_text=as_text, title_note=title_note))
    b = ev.budget
    assert (b.adjusted, b.executed, b.unit) == (2390000, 870600, "元")
    assert (b.in_wan(b.adjusted), b.in_wan(b.executed)) == (239, D("87.06"))
    assert ev.recognition.budget["unit"] == "元"
    assert ("H3" in ev.recognition.budget["unit_from"]) == title_note
    assert by_severity(fs, "error", "warning") == []


@pytest.mark.parametrize("unit", ["元", "亿元"])
def test_a_yuan_or_yiyuan_table_is_weighted_in_wanyuan_in_consolidate(tmp_path, unit):
    """A department with the school's table in 元 (2,390,000 元) or 亿元 (0.0239 亿元) — both 239 万元 —
    and 廊坊's 万元 table (43.2 万元, stated 98, rule 97.24; the school stated 93.64, rule 93.64):
    资金加权得分 = Σ(得分 × 万元) ÷ Σ万元 = (93.64 × 239 + 98 × 43.2) ÷ 282.2 = 94.31 stated,
    (93.64 × 239 + 97.24 × 43.2) ÷ 282.2 = 94.19 by rule; the 汇总表 lists 239 (万元). Weighted as if
    元 were 万元 it would be 93.64 (the school alone); as if 亿元 were 万元 ≈ 98 (廊坊 alone)."""
    src = tmp_path / "units"
    src.mkdir()
    pt.leiyang_school(src / "school.xlsx", unit=unit)
    pt.langfang_annex1(src / "langfang.xlsx")
    result = consolidate(src, tmp_path / "summary.xlsx", jobs=0)
    assert result.ok == 2
    stated = r2((D("93.64") * 239 + D(98) * D("43.2")) / D("282.2"))
    rule = r2((D("93.64") * 239 + D("97.24") * D("43.2")) / D("282.2"))
    assert (stated, rule) == (D("94.31"), D("94.19"))
    assert (result.weighted_score, result.rule_weighted_score) == (stated, rule)
    ws = openpyxl.load_workbook(tmp_path / "summary.xlsx")["汇总表"]
    budgets = {row[4].value: row[5].value for row in ws.iter_rows(min_row=3) if row[1].value in ("school.xlsx", "langfang.xlsx")}
    assert budgets == {"生均公用经费项目": 239, "办公宿舍楼、食堂及餐厅暖通改造经费": 43.2}


@pytest.mark.parametrize("as_text,title_note", [(False, False), (True, True)])
def test_a_yiyuan_table_keeps_its_unit_end_to_end(tmp_path, capsys, as_text, title_note):
    """The school's table in 亿元 (a "（亿元）" header, or a "单位：亿元" line above; amounts as numbers
    or typed "239万" / "0.0239亿元" / "87.06万"): kept in 亿元 — 0.0239 / 0.0239 / 0.008706 — and
    reported so by read (terminal and --json), 0.0239 亿元 = 239 万元 for weights; 执行得分
    10 × 0.008706 ÷ 0.0239 = 3.64, as in 万元. No error or warning."""
    path = pt.leiyang_school(tmp_path / "yi.xlsx", unit="亿元", as_text=as_text, title_note=title_note)
    ev, fs = checked(path)
    b = ev.budget
    assert (b.initial, b.adjusted, b.executed, b.unit) == (D("0.0239"), D("0.0239"), D("0.008706"), "亿元")
    assert (b.in_wan(b.adjusted), b.in_wan(b.executed)) == (239, D("87.06"))
    assert ev.recognition.budget["unit"] == "亿元"
    assert ("H3" if title_note else "A5") in ev.recognition.budget["unit_from"]
    assert b.rule_score == r2(D(10) * D("0.008706") / D("0.0239")) == D("3.64")
    assert by_severity(fs, "error", "warning") == []
    assert main(["read", str(path), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)["budget"]
    assert (out["adjusted"], out["executed"], out["unit"]) == (0.0239, 0.008706, "亿元")
    assert main(["read", str(path)]) == 0
    assert "执行 0.008706 亿元" in capsys.readouterr().out


@pytest.mark.parametrize("unit,typed,slip,expected", [
    ("万元", 870600, "把“元”当作“万元”填写", "870600"),         # 元 typed in a 万元 table: ÷ 10⁴ = 87.06
    ("元", 87.06, "把“万元”当作“元”填写", "87.06"),              # 万元 typed in a 元 table: × 10⁴ = 870600
    ("亿元", 87.06, "把“万元”当作“亿元”填写", "87.06"),          # 万元 typed in a 亿元 table: ÷ 10⁴
])
def test_the_magnitude_message_names_the_sheets_own_unit(tmp_path, unit, typed, slip, expected):
    """全年执行数 typed in the wrong unit (E6) against 年初/全年预算数 in the sheet's unit: the message
    says which slip it looks like and the corrected amount in the sheet's unit — 87.06 (万元),
    870600 (元), 0.008706 (亿元) — not "（万元）" on every table."""
    wb = openpyxl.load_workbook(pt.leiyang_school(tmp_path / "m.xlsx", unit=unit))
    wb.active["E6"] = typed
    wb.save(tmp_path / "m.xlsx")
    _, fs = checked(tmp_path / "m.xlsx")
    slips = [f for f in fs if f.rule == "magnitude-mismatch"]
    assert [f.cell for f in slips] == ["自评表!E6"]
    want = {"万元": D("87.06"), "元": D(870600), "亿元": D("0.008706")}[unit]
    assert slips[0].expected == want
    assert slip in slips[0].message and f"应为{want}（{unit}）" in slips[0].message
    assert f"为{expected}，" in slips[0].message


# --- no 总分 row ---------------------------------------------------------------------------------

def test_a_table_without_total_row_is_summed_and_used_by_the_summary(tmp_path):
    """Seed 004's 自评表 has no 总分 row: its stated total is the sum of its stated scores, 9.51 + 20 +
    20 + 10 + 10 + 10 + 10 + 9.99 = 99.51 (the fixture's), said so in total_score_source and the
    recognition notes; the 汇总表's 自评得分 shows it (before: blank, and the unit was left out of
    the stated weighted score)."""
    fixture = json.loads((Path(__file__).parent / "fixtures" / "seed004_self_evaluation.json").read_text("utf-8"))
    src = tmp_path / "units"
    src.mkdir()
    path = write_sample("seed004", src / "seed004.xlsx")
    ev = read_workbook(path)
    stated = sum(D(str(i["score_stated"])) for i in fixture["indicators"])
    assert ev.total_score == stated == D(str(fixture["expected"]["total_score"]))
    assert ev.to_json()["total_score_source"] == "sum-of-scores"
    assert any("没有总分行" in n for n in ev.recognition.notes)
    result = consolidate(src, tmp_path / "summary.xlsx", jobs=0)
    assert result.weighted_score == stated
    ws = openpyxl.load_workbook(tmp_path / "summary.xlsx")["汇总表"]
    assert ws.cell(row=3, column=9).value == float(stated)


# --- the reader explains itself ----------------------------------------------------------------

@pytest.mark.parametrize("build,layout,expect", [
    (pt.langfang_annex1, "cz2020-annex", ["“年度指标值” → 年度指标值（目标值）", "“实际完成值” → 实际完成值",
                                          "第15行 占位行（未填）：指标2", "金额单位：万元（A6“项目资金（万元）”）"]),
    (pt.qingshen_sichuan, "sichuan", ["“权重” → 分值（权重）", "“完成值” → 实际完成值", "第17行 总分/合计：合计",
                                      "“原因” → 偏差原因分析"]),
    (pt.hubei_student_aid, "generic", ["“实际完成指标值（B）” → 实际完成值，按同义词“实际完成值”",
                                       "第17行 指标：评审程序是否公正"]),
])
def test_read_explain(tmp_path, capsys, build, layout, expect):
    """`jixiao read --explain`: the layout and why, each header cell → field (with the synonym when
    the spelling differs), the funds table and its unit's source, every row's role."""
    path = build(tmp_path / "t.xlsx")
    assert main(["read", str(path), "--explain"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("识别记录 — 工作表“自评表”") and f"版式：{layout}（" in out
    for line in expect:
        assert line in out, line


def test_read_explain_on_every_demo_sample(tmp_path, capsys):
    """Every published-layout sample `jixiao demo` writes, and a standard template, explain themselves."""
    for layout in SAMPLE_LAYOUTS:
        path = write_sample(layout, tmp_path / f"{layout}.xlsx")
        assert main(["read", str(path), "--explain"]) == 0, layout
        out = capsys.readouterr().out
        assert f"版式：{layout}（" in out and "表头 → 字段：" in out and "→ 三级指标（指标名称）" in out
        assert "行的识别：" in out
    tpl = tmp_path / "project.xlsx"
    assert main(["template", "project", "-o", str(tpl)]) == 0
    capsys.readouterr()
    assert main(["read", str(tpl), "--explain"]) == 0
    assert "识别记录 — 标准模板“project”" in capsys.readouterr().out


def test_annotated_copy_shows_the_recognition_record(tmp_path):
    """The 校验结果 sheet of `validate -o` carries the 识别记录 under the findings."""
    src = pt.langfang_annex1(tmp_path / "l.xlsx")
    out = tmp_path / "annotated.xlsx"
    assert main(["validate", str(src), "-o", str(out)]) == 1          # narrative-rate-mismatch (see above)
    ws = openpyxl.load_workbook(out)["校验结果"]
    texts = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    start = texts.index("识别记录 — 工作表“自评表”")
    assert any("“实际完成值” → 实际完成值" in t for t in texts[start:])
    assert any("低于90%" in t for t in texts[:start])          # the findings come first


def test_fill_from_a_yuan_table_writes_wanyuan(tmp_path):
    """`fill project --from` the school's 元 table: our template is in 万元, so 2,390,000 元 is
    written as 239 and 870,600 元 as 87.06 (not 10,000 times too much)."""
    src = pt.leiyang_school(tmp_path / "yuan.xlsx", unit="元")
    out = tmp_path / "filled.xlsx"
    assert main(["fill", "project", "--from", str(src), "-o", str(out)]) == 0
    b = read_workbook(out).budget
    assert (b.initial, b.adjusted, b.executed) == (239, 239, D("87.06"))


def test_read_refuses_what_validate_refuses(tmp_path, capsys):
    """"约150" in a money cell is no number: `read` exits 2 naming the cell, as validate does —
    never a null budget with exit 0."""
    path = pt.leiyang_school(tmp_path / "bad.xlsx")
    wb = openpyxl.load_workbook(path)
    wb.active["D6"] = "约150"
    wb.save(path)
    assert main(["read", str(path), "--json"]) == 2
    err = capsys.readouterr().err
    assert "约150" in err and "D6" in err
    assert main(["validate", str(path)]) == 2


def test_read_table_output_says_what_was_not_found(tmp_path, capsys):
    """The plain `read` output of the 宁晋 table: the withheld rule total and the findings with their
    severity (printed as text, not swallowed as markup)."""
    assert main(["read", str(pt.ningjin_no_actual(tmp_path / "n.xlsx"))]) == 0
    out = capsys.readouterr().out
    assert "规则总分未计算：部分可计分：7 项、100 分未计" in out
    assert "[error] 指标表!C2" in out and "未识别出“实际完成值”列" in out.replace("\n", "")


def test_every_output_names_the_profile_a_published_table_was_scored_by(tmp_path, capsys):
    """The acceptance's last item on a published table: the 红河 table (云南 layout, no profile of its
    own → 财预〔2020〕10号, 默认规则) names its profile in the terminal (read/score/validate), the
    JSON, the 计分结果 and 校验结果 sheets of the copies, the 汇总表's 评分规则 column and the Word
    report; the 青神 table read with --profile sichuan says 指定 in the terminal."""
    import docx

    src = tmp_path / "units"
    src.mkdir()
    honghe = pt.honghe_yunnan(src / "honghe.xlsx")
    qingshen = pt.qingshen_sichuan(tmp_path / "qingshen.xlsx")
    default = "评分规则：财预〔2020〕10号 项目支出绩效自评（默认）（cz2020-10；默认规则）"
    for cmd in ("read", "score", "validate"):
        assert main([cmd, str(honghe)]) in (0, 1)
        assert default in capsys.readouterr().out, cmd
        main([cmd, str(qingshen), "--profile", "sichuan"])
        out = capsys.readouterr().out
        assert "评分规则：" in out and "（sichuan" in out and "按 --profile 指定" in out, cmd
    main(["validate", str(honghe), "--json"])
    assert json.loads(capsys.readouterr().out)["profile"]["id"] == "cz2020-10"

    def sheet_texts(path: Path, sheet: str) -> str:
        ws = openpyxl.load_workbook(path)[sheet]
        return "\n".join(v for row in ws.iter_rows(values_only=True) for v in row if isinstance(v, str))
    main(["score", str(honghe), "-o", str(tmp_path / "scored.xlsx")])
    main(["validate", str(honghe), "-o", str(tmp_path / "checked.xlsx")])
    capsys.readouterr()
    assert default in sheet_texts(tmp_path / "scored.xlsx", "计分结果")
    assert default in sheet_texts(tmp_path / "checked.xlsx", "校验结果")
    consolidate(src, tmp_path / "summary.xlsx", jobs=0)
    ws = openpyxl.load_workbook(tmp_path / "summary.xlsx")["汇总表"]
    header = next(r for r in ws.iter_rows(values_only=True) if "评分规则" in r)
    col = header.index("评分规则")
    assert [r[col] for r in ws.iter_rows(values_only=True) if r[1] == "honghe.xlsx"] == ["cz2020-10（默认）"]
    assert main(["report", str(honghe), "-o", str(tmp_path / "r.docx")]) in (0, 1)
    text = "\n".join(p.text for p in docx.Document(str(tmp_path / "r.docx")).paragraphs)
    assert "评分规则：财预〔2020〕10号" in text
