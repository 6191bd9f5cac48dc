"""Verified in a real engine: LibreOffice recalculates the native formulas of every template —
empty and filled from the seed fixtures — and each computed cell must equal the Python core.

All workbooks go through ONE soffice call (module fixture). Files written by openpyxl carry no
cached formula results, so every number read back was computed by LibreOffice.
"""

from __future__ import annotations

import json
import random
from decimal import Decimal

import openpyxl
import pytest

from addin.pipeline import score_evaluation
from udfs import default_profile, load_profile, scoring
from workbook_templates.builder import build_template, recalculate, template_ids
from workbook_templates.fill import fill_template
from workbook_templates.libreoffice import find_soffice
from workbook_templates.template_reader import read_template_file

pytestmark = [pytest.mark.libreoffice,
              pytest.mark.skipif(find_soffice() is None, reason="LibreOffice (soffice) 未安装")]

ERRORS = ("#DIV/0!", "#VALUE!", "#N/A", "#NAME?", "#REF!", "#NUM!", "#NULL!", "Err:")


STRICT = {"id": "strict-test", "extends": "cz2020-10",
          "grades": [{"grade": "优", "min": 106.7}, {"grade": "良", "min": 80}, {"grade": "中", "min": 60},
                     {"grade": "差", "min": 0}],
          "qualitative_bands": [
              {"band": "达成", "label": "达成年度指标", "min": 0.8, "max": 0.95, "keywords": ["达成", "达到", "完成"]},
              {"band": "部分达成", "label": "部分达成", "min": 0.6, "max": 0.8, "keywords": ["部分达成", "基本完成"]},
              {"band": "未达成", "label": "未达成", "min": 0, "max": 0.6, "keywords": ["未达成", "未完成"]}]}


def seed004_data(seed004: dict) -> dict:
    """The seed 004 tables in DESIGN.md's JSON shape (the 预算执行率 row stays an indicator: fill
    turns it into the budget's 分值)."""
    rows = {r["code"][:3]: r["values"][0] for r in seed004["budget_table"]["rows"]}
    return {
        "project": seed004["project"],
        "budget": {"initial": rows["(1)"], "adjusted": rows["(2)"], "available": rows["(3)"], "executed": rows["(4)"]},
        "indicators": [{k: i.get(k) for k in ("level1", "level2", "name", "target", "actual", "weight", "reason")}
                       for i in seed004["indicators"]],
    }


def varied_indicators(n: int = 22, seed: int = 20240601) -> list[dict]:
    """Indicators of every kind, with values chosen to hit shortfalls, overshoots, zeros and
    half-cent rounding (weight × ratio landing on …5)."""
    rnd = random.Random(seed)
    out = []
    kinds = ["≥", "≤", "=", "区间", "band", "rate"]
    for i in range(n):
        kind = kinds[i % len(kinds)]
        w = rnd.choice([3, 5, 7.5, 10, 15, 20, 2.675])
        t = rnd.choice([95, 100, 18, 830, 0.5, 1000, 7])
        a = round(t * rnd.choice([0, 0.5, 0.8734, 0.99995, 1, 1.2, 1.7]), rnd.choice([0, 2, 3]))
        item = {"level1": "产出指标", "level2": "数量指标", "name": f"指标{i + 1}", "weight": w}
        if kind in ("≥", "≤", "="):
            item.update(target=f"{kind}{t}万元", actual=f"{a}万元")
        elif kind == "区间":
            item.update(target=f"{t}-{t * 1.5:g}%", actual=f"{a}%", direction="区间")
        elif kind == "band":
            item.update(target="效果明显", actual=rnd.choice(["达成预期指标", "部分达成", "未达成", "基本完成"]))
        else:
            item.update(target="持续", actual=f"{rnd.choice([55, 60, 73.5, 80, 100, 120])}%")
        out.append(item)
    edge = [("≤830元", "1000元", 10), ("≥95%", "94.5%", 2.5), ("=100", "105", 10), ("≥3", "2.675", 1),
            ("≥1", "0.125", 1), ("≥100", "26.75", 10), ("≥80%", "99.5%", 4), ("区间80%-90%", "79.99%", 3)]
    for j, (t, a, w) in enumerate(edge):
        item = {"level1": "效益指标", "level2": "社会效益指标", "name": f"边界{j + 1}", "weight": w,
                "target": t.replace("区间", ""), "actual": a}
        if t.startswith("区间"):
            item["direction"] = "区间"
        out.append(item)
    return out


def seed002_data(seed002: dict) -> dict:
    """Seed 002's figures, plus the few the report states only in its text (“三公” 0.82 → 0.00,
    卫生健康支出 2500.53, no 结转结余, no 政府采购), and the category points it names."""
    figures = dict(seed002["figures"], main_class=seed002["figures"]["by_class"]["卫生健康支出"],
                   sangong_budget=0.82, sangong_executed=0, carryover=0, procurement_budget=0, procurement_executed=0)
    named = {k: v for k, v in seed002["department_weights_named"].items() if k != "note"}
    return {"project": {"name": "渠县医疗保障局", "year": 2024}, "figures": figures,
            "categories": [{"name": k, "weight": v, "score": v} for k, v in named.items()]}


def seed003_rows(seed003: dict) -> list[dict]:
    """Seed 003's eight projects; 自评得分 100 as published, 规则得分 varied so weighting matters."""
    rule = [100, 87.5, 92.25, 60, 99.99, 75.5, 100, 81.05]
    return [{"unit": "某区医疗保障局", "name": p["name"], "budget": p["budget"], "executed": p["executed"],
             "score": 100, "rule_score": r, "problems": i % 3} for i, (p, r) in enumerate(zip(seed003["projects"], rule, strict=True))]


TYPED = [("效果明显", "达成", 10), ("持续", 95, 7.5), ("持续", 0.874, 5), ("稳步提升", "部分达成", 2.5),
         ("长期", "未达成", 6)]


# (指标性质, 指标值, 区间上限, 实际完成值, 定性档次, 得分率, 分值, expected score worked by hand)
CHOSEN = [
    ("定性", "效果明显", None, "效果不明显", "达成", None, 10, "10: the chosen 达成 wins over the text, default share 100%"),
    ("定性", "安全运行", None, "未发生安全事故", "部分达成", None, 10, "7: chosen 部分达成, default share 70%"),
    ("定性", "持续", None, 95, "未达成", None, 10, "3: chosen 未达成 wins over the number, default 30%"),
    ("定性", "效果明显", None, "部分达成", None, (0.79, "0%"), 10, "7.9: 得分率 79% inside [60%,80%)"),
    ("≥", (0.95, "0%"), None, (1.2, "0%"), None, None, 10, "10: 120% ≥ 95%"),
    ("≥", (0.95, "0%"), None, (0.9, "0%"), None, None, 10, "9.47: 10 × 90/95 = 9.4737"),
    ("区间", (0.8, "0%"), (0.9, "0%"), (0.85, "0%"), None, None, 5, "5: 85% inside [80%,90%]"),
    ("区间", (0.8, "0%"), (0.9, "0%"), (0.99, "0%"), None, None, 5, "4.55: above → 5 × 90/99 = 4.5455"),
]
CHOSEN_EXPECTED = [Decimal(x) for x in ("10", "7", "3", "7.9", "10", "9.47", "5", "4.55")]


# The profile switches the template's formula reads from _meta (反向线性, 等于按下限, 严格边界得分):
# (指标值, 实际完成值, 分值, 指标性质) and the score worked by hand under each profile.
SWITCH_PROFILES = {
    "default": None,
    "linear": {"id": "linear-test", "extends": "cz2020-10", "scoring": {"inverse_formula": "linear_to_zero"}},
    "at-least": {"id": "at-least-test", "extends": "cz2020-10", "scoring": {"equal": "at_least"}},
    "zero-bound": {"id": "zero-bound-test", "extends": "cz2020-10", "scoring": {"strict_at_bound": "zero"}},
}
SWITCH_ROWS = [  # default | linear_to_zero | equal at_least | strict_at_bound zero
    (("≤830元", "1000元", 10, None), ("8.30", "7.95", "8.30", "8.30")),      # 830/1000 | 1−170/830 = 0.7952
    (("≤5%", "12%", 10, None), ("4.17", "0.00", "4.17", "4.17")),            # 5/12 | 1−7/5 < 0 → 0
    (("80%-90%", "99%", 5, "区间"), ("4.55", "4.50", "4.55", "4.55")),       # 5×90/99 | 5×(1−9/90)
    (("=100", "105", 10, None), ("9.50", "9.50", "10.00", "9.50")),          # 1−5/100 | 105 ≥ 100
    (("=100", "90", 10, None), ("9.00", "9.00", "9.00", "9.00")),            # 1−10/100 = 90/100
    ((">95%", "95%", 10, None), ("10.00", "10.00", "10.00", "0.00")),        # at the bound: proportional | 0
    (("<5%", "5%", 10, None), ("10.00", "10.00", "10.00", "0.00")),
    ((">95%", "96%", 10, None), ("10.00", "10.00", "10.00", "10.00")),
    ((">95%", "90%", 10, None), ("9.47", "9.47", "9.47", "9.47")),           # 90/95
    (("<5%", "6%", 10, None), ("8.33", "8.00", "8.33", "8.33")),             # 5/6 | 1−1/5
]


# Pairs the formula cannot express (填表说明 item 4): fill writes a 定性 row with the rules' 档次 and
# 得分率, so the printed 得分 is jixiao's. (指标值, 实际完成值, 分值, score worked by hand)
RULES_ONLY = [
    ("增长10%", "8%", 10, "8.00"),                      # on the change: 8/10
    ("较上年提高5个百分点", "提高4个百分点", 10, "8.00"),
    ("下降5%", "下降4%", 10, "8.00"),
    ("2023年12月底前", "2023年11月", 10, "10.00"),       # met
    ("2021", "2022年", 10, "3.00"),                     # a year late: 未达成 default 30%
    ("按期完成", "延期完成", 10, "3.00"),
    ("是", "是", 8, "8.00"),
    ("是", "否", 8, "2.40"),                            # 8 × 30%
    ("小于5次", "无上访", 10, "10.00"),                  # none happened: 0 < 5
    ("(95%,100%]", "95%", 10, "10.00"),                 # open bound: proportional (= full), review
]


def switch_payload() -> dict:
    return {"project": {"name": "计分开关"}, "budget": {"adjusted": 100, "executed": 100},
            "indicators": [{"level1": "产出指标", "level2": "质量指标", "name": f"开关{i + 1}", "target": t, "actual": a,
                            "weight": w, **({"direction": d} if d else {})}
                           for i, ((t, a, w, d), _) in enumerate(SWITCH_ROWS)]}


def realistic_units(n: int = 8) -> list[dict]:
    """Realistic units (the reader engineer's generator of published-looking data), if present."""
    try:
        from workbook_templates.samples import random_unit
    except ImportError:
        return []
    return [random_unit(random.Random(1000 + k), k) for k in range(n)]


def seed004_read_as_published(seed004) -> dict:
    """Seed 004's table with 补助人数（人）'s target read as the validator suggests ("18万人"): the
    published 20 points and 99.51 were computed that way. As written (18 against 18.74万人) the
    template keeps both as they are and cannot score the row (issue #16: fill never rewrites data)."""
    data = seed004_data(seed004)
    for item in data["indicators"]:
        if item["name"] == "补助人数（人）":
            item["target"] = "18万人"
    return data


@pytest.fixture(scope="module")
def engine(tmp_path_factory, seed004, seed001, seed002, seed003):
    d = tmp_path_factory.mktemp("engine")
    data = {"seed004": ("project", seed004_read_as_published(seed004)),
            "seed004-as-written": ("project", seed004_data(seed004)),
            "varied": ("project", {"project": {"name": "各类指标"}, "budget": {"adjusted": 333.33, "executed": 111.11},
                                   "indicators": varied_indicators()}),
            **{f"random{k}": ("project", {"project": {"name": f"随机{k}"}, "budget": {"adjusted": 1000, "executed": 1000 - 7 * k},
                                          "indicators": varied_indicators(30, seed=k)[:30]}) for k in range(1, 5)},
            "seed004-budget": ("budget-execution", seed004),
            "seed001": ("scorecard", seed001),
            "seed002": ("department", seed002_data(seed002)),
            "seed003": ("summary", {"project": {"name": "某区医疗保障局", "year": 2020}, "projects": seed003_rows(seed003)})}
    for k, unit in enumerate(realistic_units()):
        data[f"unit{k}"] = ("project", unit)
    files = [build_template(tid, d / f"empty-{tid}.xlsx") for tid in template_ids()]
    for name, (tid, payload) in data.items():
        files.append(fill_template(tid, payload, d / f"{name}.xlsx"))
    # rules are data: the same table under a stricter profile (优 from 106.7, 达成 band 80–95%)
    strict = d / "strict.json"
    strict.write_text(json.dumps(STRICT, ensure_ascii=False), encoding="utf-8")
    payload = seed004_read_as_published(seed004)
    payload["indicators"].append({"level1": "效益指标", "level2": "社会效益指标", "name": "群众获得感",
                                  "target": "效果明显", "actual": "达成预期指标", "weight": 7.5})
    data["strict"] = ("project", payload)
    files.append(fill_template("project", payload, d / "strict.xlsx", profile=load_profile(str(strict))))
    # typed straight into the template (no add-in): a band word or a number in 实际完成值 of a 定性 row
    typed = build_template("project", d / "typed.xlsx")
    wb = openpyxl.load_workbook(typed)
    ws = wb.worksheets[0]
    for r, (target, actual, w) in enumerate(TYPED, start=12):
        ws[f"C{r}"], ws[f"D{r}"], ws[f"E{r}"], ws[f"H{r}"], ws[f"K{r}"] = f"定性{r}", "定性", target, actual, w
    wb.save(typed)
    files.append(typed)
    # the user's 定性档次 wins over the text; percentages typed the Excel way (0.95 with a % format)
    chosen = build_template("project", d / "chosen.xlsx")
    wb = openpyxl.load_workbook(chosen)
    ws = wb.worksheets[0]
    for r, (nature, e, f, h, band, rate, w, _why) in enumerate(CHOSEN, start=12):
        ws[f"C{r}"], ws[f"D{r}"], ws[f"K{r}"] = f"选择{r}", nature, w
        for col, v in (("E", e), ("F", f), ("H", h), ("I", band), ("J", rate)):
            if v is None:
                continue
            if isinstance(v, tuple):                 # (value, number format)
                ws[f"{col}{r}"] = v[0]
                ws[f"{col}{r}"].number_format = v[1]
            else:
                ws[f"{col}{r}"] = v
    wb.save(chosen)
    files.append(chosen)
    for key, prof in SWITCH_PROFILES.items():
        profile = None
        if prof is not None:
            (d / f"{key}.json").write_text(json.dumps(prof), encoding="utf-8")
            profile = load_profile(str(d / f"{key}.json"))
        files.append(fill_template("project", switch_payload(), d / f"switch-{key}.xlsx", profile=profile))
    rules_only = {"project": {"name": "规则计分"}, "budget": {"adjusted": 100, "executed": 100},
                  "indicators": [{"level1": "产出指标", "level2": "时效指标", "name": f"规则{i + 1}", "target": t,
                                  "actual": a, "weight": w} for i, (t, a, w, _) in enumerate(RULES_ONLY)]}
    files.append(fill_template("project", rules_only, d / "rules-only.xlsx"))
    outs = recalculate(files, d / "lo", "xlsx")
    return {"inputs": {f.stem: f for f in files}, "outputs": {o.stem: o for o in outs}, "data": data}


def test_no_error_values_anywhere(engine):
    for stem, path in engine["outputs"].items():
        wb = openpyxl.load_workbook(path, data_only=True)
        for ws in wb.worksheets:
            for row in ws.iter_rows():
                for c in row:
                    assert not (isinstance(c.value, str) and c.value.startswith(ERRORS)), f"{stem} {ws.title}!{c.coordinate}: {c.value}"


def test_empty_templates_show_blanks_not_zero_scores(engine):
    wb = openpyxl.load_workbook(engine["outputs"]["empty-project"], data_only=True)
    names = wb.defined_names
    for name in ("执行率", "执行得分", "总分", "评价等级"):
        (sheet, ref), = names[name].destinations
        assert wb[sheet][ref.replace("$", "")].value in (None, ""), name


def test_seed004_as_written_leaves_the_slipped_row_unscored_in_libreoffice(engine, seed004):
    """18 (人, from the name) against 18.74万人: the template's formula cannot compare them and leaves
    the 得分 blank — the core scores it and flags unit-mismatch (the seed's expected finding)."""
    ev = read_template_file(engine["outputs"]["seed004-as-written"])
    slip = next(i for i in ev.indicators if i.name == "补助人数（人）")
    assert slip.target == "≥18人" and slip.actual == "18.74万人" and slip.score is None
    assert ev.total_score == Decimal("99.51") - 20          # LibreOffice's SUM of the scores it has
    others = [i for i in ev.indicators if i is not slip]
    score_evaluation(ev)
    assert all(i.score == i.rule_score for i in others)
    from addin.validate import validate

    found = validate(ev, default_profile())
    assert sorted(f.rule for f in found if f.severity == "error") == ["total-mismatch", "unit-mismatch"]
    row = [f for f in found if f.rule == "total-mismatch-row"]      # the 总分 differs because of this row
    assert len(row) == 1 and "补助人数（人）" in row[0].message


def test_seed004_in_libreoffice_matches_the_published_table_and_the_core(engine, seed004):
    ev = read_template_file(engine["outputs"]["seed004"])      # stated = computed by LibreOffice
    assert ev.budget.score == Decimal("9.51") == Decimal(str(seed004["expected"]["budget_score"]))
    assert ev.total_score == Decimal("99.51") == Decimal(str(seed004["expected"]["total_score"]))
    assert ev.grade == seed004["expected"]["grade"]
    assert ev.budget.rate == Decimal("0.951")
    score_evaluation(ev)
    assert ev.budget.rule_score == ev.budget.score
    for ind in ev.indicators:
        assert ind.score == ind.rule_score, (ind.name, ind.score, ind.rule_score)
    assert ev.rule_total_score == ev.total_score and ev.rule_grade == ev.grade


@pytest.mark.parametrize("name", ["varied", "random1", "random2", "random3", "random4"])
def test_every_kind_of_indicator_agrees_with_the_core_to_the_cent(engine, name):
    """LibreOffice's 得分 for each row vs udfs.scoring.indicator_score on the original text."""
    items = engine["data"][name][1]["indicators"]
    budget_in = engine["data"][name][1]["budget"]
    ev = read_template_file(engine["outputs"][name])
    assert len(ev.indicators) == len(items)
    for item, ind in zip(items, ev.indicators, strict=True):
        expected = scoring.indicator_score(item["weight"], item["target"], item["actual"], item.get("direction"))
        assert expected is not None
        assert ind.score == expected, (item, ind.score, expected)
    budget = scoring.budget_score(budget_in["executed"], budget_in["adjusted"], 10)
    assert ev.budget.score == budget
    total = sum((i.score for i in ev.indicators), budget)
    assert ev.total_score == total
    assert ev.grade == scoring.grade(total)


def test_budget_execution_rows_5_to_7_and_score_match_seed004(engine, seed004):
    ev = read_template_file(engine["outputs"]["seed004-budget"])
    rows = {r.code: r for r in ev.budget.rows}
    exp = seed004["expected"]
    assert rows["(5)=(3)-(4)"].values["年度总金额"] == Decimal(str(exp["balance"]))
    assert rows["(5)=(3)-(4)"].values["县区级"] == Decimal("78.43")
    assert rows["(6)=(3)/(2)"].values["年度总金额"] == Decimal("1")
    assert rows["(7)=(4)/(2)"].values["年度总金额"] == Decimal(str(exp["budget_rate"]))
    assert ev.budget.score == Decimal(str(exp["budget_score"])) == scoring.budget_score(1521.57, 1600, 10)
    assert (ev.budget.initial, ev.budget.adjusted, ev.budget.available, ev.budget.executed) == (
        Decimal(1600), Decimal(1600), Decimal(1600), Decimal("1521.57"))


def test_scorecard_total_grade_and_level1_totals_match_seed001(engine, seed001):
    ev = read_template_file(engine["outputs"]["seed001"])
    exp = seed001["expected"]
    assert ev.total_score == Decimal(str(exp["total_score"]))
    assert ev.grade == exp["grade"]
    assert ev.weights_total == exp["weights_total"]
    for level1, total in exp["level1_totals"].items():
        assert Decimal(str(ev.extra["fields"][f"{level1}得分"])) == Decimal(str(total)), level1
    assert [i.name for i in ev.indicators] == [r["name"] for r in seed001["scorecard"]]
    assert [i.score for i in ev.indicators] == [Decimal(str(r["score"])) for r in seed001["scorecard"]]


DEPARTMENT = {  # fixture "what" → the template's computed cell
    "一般公共预算财政拨款收入占比": "一般公共预算财政拨款收入占比", "政府性基金预算财政拨款收入占比": "政府性基金预算财政拨款收入占比",
    "基本支出占比": "基本支出占比", "项目支出占比": "项目支出占比", "人员经费占决算报表支出": "人员经费占比",
    "收支总计增长率": "收支总计增长率", "一般公共预算财政拨款支出增长率": "一般公共预算财政拨款支出增长率",
    "机关运行经费增长率": "机关运行经费增长率", "1-6月支出执行进度": "1-6月支出执行进度",
    "1-10月支出执行进度": "1-10月支出执行进度", "卫生健康支出占一般公共预算支出": "主要功能分类支出占比",
    "人均资产变化率": "人均资产变化率", "调整后预算": "调整后预算数",
}


def test_department_rates_match_seed002_and_the_core(engine, seed002):
    from udfs import rates

    ev = read_template_file(engine["outputs"]["seed002"])
    got = ev.extra["fields"]
    for case in seed002["stated_vs_expected"]:
        value = got[DEPARTMENT[case["what"]]]
        assert Decimal(str(value)) == Decimal(str(case["expected"])), case["what"]
    f = seed002["figures"]
    assert Decimal(str(got["人均资产变化率"])) == rates.per_capita_change(f["assets_2024"], f["staff_2024"],
                                                                      f["assets_2023"], f["staff_2023"])
    assert Decimal(str(got["基本支出占比"])) == rates.share(f["basic_expense"], f["total_2024"])
    assert Decimal(str(got["机关运行经费增长率"])) == rates.growth_rate(f["running_cost_2024"],
                                                                  f["running_cost_2024"] - f["running_cost_increase"])
    assert Decimal(str(got["1-10月支出执行进度"])) == rates.execution_progress(f["jan_oct_executed"], 3059.53)
    assert Decimal(str(got["“三公”经费控制率"])) == 0
    assert got["政府采购执行率"] is None                      # 预算为0：不计算，不是 #DIV/0!
    assert ev.total_score == Decimal(str(seed002["department_self_score"]))
    assert ev.grade == "优"


def test_summary_totals_and_budget_weighted_scores_match_the_core(engine, seed003):
    ev = read_template_file(engine["outputs"]["seed003"])
    rows = seed003_rows(seed003)
    got = ev.extra["fields"]
    assert Decimal(str(got["预算数合计"])) == Decimal(str(seed003["expected"]["all_projects_total"]))
    assert Decimal(str(got["总体执行率"])) == Decimal(str(seed003["expected"]["execution_rate"]))
    assert ev.total_score == Decimal(str(seed003["expected"]["budget_weighted_score_if_all_100"]))
    budgets = [r["budget"] for r in rows]
    assert Decimal(str(got["加权规则得分"])) == scoring.weighted_score([r["rule_score"] for r in rows], budgets)
    assert got["加权规则等级"] == scoring.grade(scoring.weighted_score([r["rule_score"] for r in rows], budgets))
    assert [p["grade"] for p in ev.extra["projects"]] == [scoring.grade(r["rule_score"]) for r in rows]
    assert [Decimal(str(p["rate"])) for p in ev.extra["projects"]] == [Decimal(1)] * len(rows)
    assert Decimal(str(got["问题数合计"])) == sum(r["problems"] for r in rows)


def test_rules_come_from_the_profile_in_the_workbook(engine, tmp_path):
    """A stricter profile changes the formulas' results through the _meta rule tables only."""
    path = tmp_path / "strict.json"
    path.write_text(json.dumps(STRICT, ensure_ascii=False), encoding="utf-8")
    profile = load_profile(str(path))
    ev = read_template_file(engine["outputs"]["strict"])
    band_row = ev.indicators[-1]
    assert band_row.score == scoring.indicator_score(7.5, "效果明显", "达成预期指标", None, profile) == Decimal("7.13")
    total = ev.budget.score + sum(i.score for i in ev.indicators)
    assert ev.total_score == total
    assert total == Decimal("106.64")                 # 9.51 + 90 + 7.13: 优 by default, 良 under this profile
    assert ev.grade == scoring.grade(total, profile) == "良"


def test_inputs_carry_no_cached_results_so_every_number_came_from_libreoffice(engine):
    import re
    import zipfile

    for stem, path in engine["inputs"].items():
        with zipfile.ZipFile(path) as zf:
            xml = zf.read("xl/worksheets/sheet1.xml").decode("utf-8")
        cells_with_formula = re.findall(r"<c [^>]*>(?:(?!</c>).)*<f>(?:(?!</c>).)*</c>", xml, flags=re.S)
        assert cells_with_formula, stem
        assert not any(re.search(r"<v>[^<]+</v>", c) for c in cells_with_formula), stem   # <v></v>: no value


@pytest.mark.parametrize("k", range(8))
def test_realistic_units_score_the_same_in_libreoffice_and_in_the_pipeline(engine, k):
    """Each unit: the template's native formulas (LibreOffice) vs addin.pipeline on the unit's own
    JSON text (direction from the comparator or the 成本指标 rule, units parsed by udfs)."""
    from addin.pipeline import score_indicator
    from udfs import default_profile
    from workbook_templates.model import Indicator

    if f"unit{k}" not in engine["outputs"]:
        pytest.skip("workbook_templates.samples 不可用")
    unit = engine["data"][f"unit{k}"][1]
    ev = read_template_file(engine["outputs"][f"unit{k}"])
    assert len(ev.indicators) == len(unit["indicators"])
    for item, got in zip(unit["indicators"], ev.indicators, strict=True):
        ind = Indicator(level1=item["level1"], level2=item["level2"], name=item["name"], target=item["target"],
                        actual=item["actual"], weight=Decimal(str(item["weight"])))
        score_indicator(ind, default_profile())
        assert ind.rule_score is not None and got.score == ind.rule_score, (item, got.score, ind.rule_score)
    b = unit["budget"]
    assert ev.budget.score == scoring.budget_score(b["executed"], b["adjusted"], 10)


def test_qualitative_rows_typed_without_the_add_in_score_like_the_core(engine):
    ev = read_template_file(engine["outputs"]["typed"])
    assert len(ev.indicators) == len(TYPED)
    for (target, actual, w), ind in zip(TYPED, ev.indicators, strict=True):
        expected = scoring.indicator_score(w, target, actual)
        assert expected is not None and ind.score == expected, (target, actual, ind.score, expected)


def test_chosen_band_and_percent_formats_score_the_same_in_libreoffice_and_in_the_core(engine):
    """The 定性档次 the user picked wins over the text in the native formula and in the core alike;
    a cell 0.95 with a % format is 95% to both (expected scores worked by hand in CHOSEN)."""
    ev = read_template_file(engine["outputs"]["chosen"])          # stated = LibreOffice's
    assert [i.score for i in ev.indicators] == CHOSEN_EXPECTED
    assert ev.indicators[4].target == "≥95%" and ev.indicators[4].actual == "120%"
    score_evaluation(ev)
    assert [i.rule_score for i in ev.indicators] == CHOSEN_EXPECTED


@pytest.mark.parametrize("column, key", list(enumerate(SWITCH_PROFILES)))
def test_profile_switches_score_the_same_in_the_template_formula_and_in_the_core(engine, tmp_path, column, key):
    """反向 linear_to_zero, 等于 at_least and 严格边界 zero are read by the template's native formula from
    _meta: LibreOffice's 得分 equals the score worked by hand (SWITCH_ROWS) and the core's under the
    same profile; a strict target reads back as written (">95%")."""
    prof = SWITCH_PROFILES[key]
    profile = default_profile()
    if prof is not None:
        (tmp_path / "p.json").write_text(json.dumps(prof), encoding="utf-8")
        profile = load_profile(str(tmp_path / "p.json"))
    ev = read_template_file(engine["outputs"][f"switch-{key}"])
    assert [i.target for i in ev.indicators] == [t for (t, *_), _ in SWITCH_ROWS]
    for ((t, a, w, d), expected), ind in zip(SWITCH_ROWS, ev.indicators, strict=True):
        want = Decimal(expected[column])
        assert ind.score == want, (key, t, a, ind.score, want)
        assert scoring.indicator_score(w, t, a, d, profile) == want, (key, t, a)


def test_pairs_the_formula_cannot_express_print_the_rules_score_and_score_the_same(engine):
    """A change, a date or deadline, a year, 是/否, "无上访" under a count and an open range are filled as
    定性 rows holding the rules' 档次 and 得分率: LibreOffice's 得分 equals the score worked by hand and
    the core's on the original text, and `jixiao score` of the filled template agrees."""
    ev = read_template_file(engine["outputs"]["rules-only"])
    for (t, a, w, expected), ind in zip(RULES_ONLY, ev.indicators, strict=True):
        assert ind.score == Decimal(expected), (t, a, ind.score)
        assert scoring.indicator_score(w, t, a) == Decimal(expected), (t, a)
        assert (ind.target, ind.actual) == (t, a)
    score_evaluation(ev)
    assert [i.rule_score for i in ev.indicators] == [Decimal(e) for *_, e in RULES_ONLY]
