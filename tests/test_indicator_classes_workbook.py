"""A workbook as a unit fills it (财预〔2020〕10号 附件1 layout, written the way the published tables
are) with one indicator of each class of issue #11: read, scored and validated end to end — each gives
the score the rules give (worked by hand in CLASSES) or a clear not-scorable, never a guess."""

from __future__ import annotations

from addin.validate import read_evaluation, validate
from workbook_templates.samples import default_data, write_sample

# (三级指标, 年度指标值, 实际完成值, 分值, stated 得分, rule score by hand or None, finding expected or None)
CLASSES = [
    ("效果", "效果明显", "效果不明显", 10, 10, "3.00", "qualitative-band"),       # 未达成 [0,60%): 10 is outside
    ("安全生产", "安全运行", "未发生安全事故", 10, 10, "10.00", None),           # achievement, no false alarm
    ("服务质量", "服务质量", "提供差异化服务", 10, 10, None, "not-scorable"),     # no band phrase: ask for a 档次
    ("质量区间", "≥95%且≤100%", "97%", 10, 10, "10.00", None),
    ("增长", "增长10%", "8%", 10, 8, "8.00", None),
    ("完工年份", "2021", "2022年", 10, 10, "3.00", "needs-review"),              # a year late
    ("办结时限", "3个工作日内", "5个工作日", 10, 6, "6.00", None),
    ("合格率", ">95%", "95%", 10, 10, "10.00", "needs-review"),                 # strict: not met at the bound
    ("覆盖人数", "≥20万人", "187385", 10, 10, "9.37", "score-differs-from-rule"),
    ("满意度", "≥95%", "9500", 10, 10, None, "magnitude-mismatch"),
    ("不适用", "/", "/", 10, 10, None, None),
]


def test_each_class_scores_by_the_rules_or_says_why(tmp_path):
    data = default_data("cz2020-annex")
    base = data["indicators"][:1]                     # keep the seed's 预算执行率-free first row out: replace all
    data["indicators"] = [{"level1": "产出指标", "level2": "质量指标", "name": n, "target": t, "actual": a,
                           "weight": w, "score": s} for n, t, a, w, s, _, _ in CLASSES]
    assert base
    data.pop("total_score", None)
    path = write_sample("cz2020-annex", tmp_path / "classes.xlsx", data)
    ev, profile = read_evaluation(str(path))
    findings = validate(ev, profile)
    by_name = {i.name: i for i in ev.indicators}
    for name, _t, _a, _w, _s, rule, want in CLASSES:
        ind = by_name[name]
        assert (str(ind.rule_score) if ind.rule_score is not None else None) == rule, (name, ind.rule_score, ind.rule_error)
        mine = {f.rule for f in findings if name in f.message}
        if want:
            assert want in mine, (name, mine)
        if rule is None and want == "not-scorable":
            assert "定性档次" in next(f.message for f in findings if f.rule == "not-scorable" and name in f.message)
    assert not {f.rule for f in findings if "安全生产" in f.message}          # "未发生安全事故" is an achievement
