"""The template variables of a project's 绩效自评报告, built from an Evaluation.

Every number comes from the workbook (stated values) or, where the sheet leaves it blank, from
the core (``addin.pipeline.score_evaluation``); formatting is ``formats``. Text the workbook does
not hold becomes a ``Placeholder`` — never an invented sentence. The variables are documented in
docs/report-template-variables.md.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from decimal import Decimal
from pathlib import Path
from typing import Any

from udfs import Profile, default_profile
from udfs.wording import describe_outcome
from workbook_templates.model import Evaluation, Finding, Indicator

from . import formats as F
from .markup import Placeholder, Rich, Text, text_or_placeholder

SEVERITY_LABELS = {"error": "错误", "warning": "警告", "info": "提示"}
BUDGET_GROUP = "预算执行"


def _first(*values: Decimal | None) -> Decimal | None:
    for v in values:
        if v is not None:
            return v
    return None


def budget_rate(ev: Evaluation) -> Decimal | None:
    """执行率: as the sheet states it, else as the core computed it."""
    return _first(ev.budget.rate, ev.budget.rule_rate)


def budget_balance(ev: Evaluation) -> Decimal | None:
    """结余 = 实际到位资金 (or 全年预算数) − 全年执行数 — the seeds' (5)=(3)-(4)."""
    b = ev.budget
    base = _first(b.available, b.adjusted)
    if base is None or b.executed is None:
        return None
    return base - b.executed


def indicator_score(ind: Indicator) -> Decimal | None:
    """得分 as the sheet states it; the rule score only where the sheet is blank."""
    return _first(ind.score, ind.rule_score)


def indicator_completion(ind: Indicator) -> Decimal | None:
    """完成率 as the sheet shows it, else the core's."""
    return _first(ind.completion_stated, ind.completion)


def indicator_sentence(ind: Indicator) -> str:
    """"补助人数（人）年度指标值18，实际完成值18.74万人，完成率104.11%，得分20.00分（分值20分）"."""
    name = ind.name or "（未命名指标）"
    parts = []
    if ind.target or ind.actual:  # a scorecard item (seed 001) has neither: only its score
        parts.append(f"{name}年度指标值{ind.target or '未填写'}")
        parts.append(f"实际完成值{ind.actual}" if ind.actual else "实际完成值未填写")
    else:
        parts.append(name)
    wording = describe_outcome(ind.outcome, ind.target_value)     # by kind (udfs.wording)
    completion = indicator_completion(ind)
    if wording:
        parts.append(wording)
    elif completion is not None:
        parts.append(f"完成率{F.percent(completion)}")
    sc = indicator_score(ind)
    if sc is not None:
        tail = f"得分{F.score(sc)}分"
        if ind.weight is not None:
            tail += f"（分值{F.points(ind.weight)}分）"
        parts.append(tail)
    return "，".join(parts)


def _sum(values: list[Decimal | None]) -> Decimal | None:
    present = [v for v in values if v is not None]
    return sum(present, Decimal(0)) if present else None


def _rate(score: Decimal | None, weight: Decimal | None) -> Decimal | None:
    if score is None or weight in (None, Decimal(0)):
        return None
    return score / weight


def group_indicators(ev: Evaluation) -> list[dict[str, Any]]:
    """Indicators grouped by 一级 then 二级 指标, in sheet order, with group totals."""
    groups: OrderedDict[str, OrderedDict[str, list[Indicator]]] = OrderedDict()
    for ind in ev.indicators:
        l1 = (ind.level1 or "其他指标").strip()
        l2 = (ind.level2 or l1).strip()
        groups.setdefault(l1, OrderedDict()).setdefault(l2, []).append(ind)
    out = []
    for l1, subs in groups.items():
        inds = [i for items in subs.values() for i in items]
        weight = _sum([i.weight for i in inds])
        score = _sum([indicator_score(i) for i in inds])
        subgroups = []
        for l2, items in subs.items():
            w2 = _sum([i.weight for i in items])
            s2 = _sum([indicator_score(i) for i in items])
            subgroups.append({
                "level2": l2, "weight": F.points(w2), "score": F.score(s2), "rate": F.percent(_rate(s2, w2)),
                "rate_value": _rate(s2, w2),
                "items": [indicator_item(i) for i in items],
                "text": "；".join(indicator_sentence(i) for i in items) + "。",
            })
        out.append({"level1": l1, "weight": F.points(weight), "score": F.score(score),
                    "rate": F.percent(_rate(score, weight)), "rate_value": _rate(score, weight),
                    "subgroups": subgroups})
    return out


def indicator_item(ind: Indicator) -> dict[str, Any]:
    return {
        "level1": ind.level1 or "", "level2": ind.level2 or "", "name": ind.name or "",
        "target": ind.target or "", "actual": ind.actual or "", "unit": ind.unit or "",
        "direction": ind.direction or "",
        "weight": F.points(ind.weight), "score": F.score(indicator_score(ind)),
        "stated_score": F.score(ind.score), "rule_score": F.score(ind.rule_score),
        "completion": F.percent(indicator_completion(ind), blank=""),
        "deviation": F.percent(ind.deviation, blank=""),
        "reason": Text(ind.reason) if ind.reason and ind.reason.strip() else "",
        "sentence": indicator_sentence(ind),
        "cell": ind.cell or "",
    }


def budget_context(ev: Evaluation, profile: Profile) -> dict[str, Any]:
    b = ev.budget
    rate = budget_rate(ev)
    score = _first(b.score, b.rule_score)
    return {
        "initial": F.money(b.initial), "adjusted": F.money(b.adjusted), "available": F.money(b.available),
        "executed": F.money(b.executed), "balance": F.money(budget_balance(ev)), "rate": F.percent(rate),
        "weight": F.points(b.weight), "score": F.score(score),
        "rule_rate": F.percent(b.rule_rate), "rule_score": F.score(b.rule_score),
        "low": rate is not None and rate < Decimal(str(profile.low_execution_threshold)),
        "low_threshold": F.threshold(profile.low_execution_threshold),
        "reason": Text(b.reason) if b.reason and b.reason.strip() else "",
        "reason_text": text_or_placeholder(b.reason, "预算执行率偏低的原因及改进措施"),
    }


def budget_sentence(ev: Evaluation) -> Rich:
    """"全年预算1,600.00万元，执行1,521.57万元，预算执行率95.10%…" from the workbook's numbers."""
    b = ev.budget
    parts: list[str] = []
    if b.initial is not None:
        parts.append(f"年初预算{F.money(b.initial)}万元")
    if b.adjusted is not None:
        parts.append(f"全年预算{F.money(b.adjusted)}万元")
    if b.available is not None and b.available != b.adjusted:
        parts.append(f"实际到位{F.money(b.available)}万元")
    if b.executed is not None:
        parts.append(f"执行{F.money(b.executed)}万元")
    rate = budget_rate(ev)
    if rate is not None:
        parts.append(f"预算执行率{F.percent(rate)}")
    balance = budget_balance(ev)
    if balance is not None:
        parts.append(f"结余{F.money(balance)}万元")
    score = _first(b.score, b.rule_score)
    if score is not None:
        s = f"预算执行率指标得分{F.score(score)}分"
        if b.weight is not None:
            s += f"（分值{F.points(b.weight)}分）"
        parts.append(s)
    if not parts:
        return Rich(Placeholder("预算执行情况（自评表未填写预算数和执行数）"))
    return Rich(f"{ev.project.year or ''}年度" if ev.project.year else "", "，".join(parts), "。")


def _profile_note(ev: Evaluation) -> str:
    """Which profile scored the workbook and why (``addin.validate.describe_profile``)."""
    from addin.validate import describe_profile

    return describe_profile(ev.extra.get("profile_used"))


def rules_name(profile: Profile) -> str:
    """The profile's title without a trailing remark: "财预〔2020〕10号 项目支出绩效自评"."""
    return re.sub(r"（[^（）]*）$", "", profile.title).strip()


def conclusion(ev: Evaluation, profile: Profile) -> Rich:
    """自评得分 and 等级 as the workbook states them; a differing rule total said factually."""
    stated_total, stated_grade = ev.total_score, ev.grade
    parts: list[object] = []
    if stated_total is not None:
        if ev.extra.get("total_score_source") == "sum-of-scores":     # issue #12: a table without 总分 row
            parts.append(f"自评表未设总分行，各项自评得分合计{F.score(stated_total)}分")
        else:
            parts.append(f"经自评，本项目自评得分{F.score(stated_total)}分")
        if stated_grade:
            parts.append(f"，评价等级为“{stated_grade}”。")
        elif ev.rule_grade:
            parts.append(f"，按评分标准对应等级为“{ev.rule_grade}”（自评表未填写等级）。")
        else:
            parts.append("。")
    elif ev.rule_total_score is not None:
        parts.append(f"自评表未填写总分。按{rules_name(profile)}的计分规则，根据表内数据计算得分"
                     f"{F.score(ev.rule_total_score)}分，等级为“{ev.rule_grade}”。")
    else:
        parts.append(Placeholder("自评得分及评价等级"))
    if stated_total is not None and ev.rule_total_score is not None:
        diff = ev.rule_total_score - stated_total
        if abs(diff) >= Decimal("0.01"):
            parts.append(f"按{rules_name(profile)}的计分规则，根据表内数据复核得分为{F.score(ev.rule_total_score)}分"
                         f"（等级“{ev.rule_grade}”），与自评得分相差{F.score(abs(diff))}分，请核对自评表。")
        elif stated_grade and ev.rule_grade and ev.rule_grade not in stated_grade:
            parts.append(f"按评分标准，该得分对应等级为“{ev.rule_grade}”。")
    return Rich(*parts)


def deviations(ev: Evaluation, profile: Profile) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(large deviations, other indicators with a 偏差原因 cell). Large = |偏离度| > threshold."""
    threshold = Decimal(str(profile.deviation_threshold))
    large, other = [], []
    for ind in ev.indicators:
        item = indicator_item(ind)
        if ind.deviation is not None and abs(ind.deviation) > threshold:
            item["reason"] = text_or_placeholder(ind.reason, f"“{ind.name}”偏离目标的原因及改进措施")
            large.append(item)
        elif ind.reason and ind.reason.strip():
            other.append(item)
    return large, other


def findings_context(findings: list[Finding]) -> list[dict[str, str]]:
    order = {"error": 0, "warning": 1, "info": 2}
    rows = sorted(findings, key=lambda f: order.get(f.severity, 3))
    return [{"severity": SEVERITY_LABELS.get(f.severity, f.severity), "severity_code": f.severity,
             "cell": f.cell or "", "rule": f.rule, "message": f.message} for f in rows]


def appendix_groups(ev: Evaluation) -> list[dict[str, Any]]:
    """The full self-evaluation table, by 一级指标 (for vertically merged cells), budget row first."""
    b = ev.budget
    groups: list[dict[str, Any]] = []
    if b.weight is not None or b.score is not None or b.executed is not None:
        groups.append({"level1": BUDGET_GROUP, "rows": [{
            "level2": "预算执行率", "name": "预算执行率", "weight": F.points(b.weight), "target": "100%",
            "actual": F.percent(budget_rate(ev), blank=""), "completion": F.percent(budget_rate(ev), blank=""),
            "score": F.score(_first(b.score, b.rule_score), blank=""),
            "reason": Text(b.reason) if b.reason and b.reason.strip() else ""}]})
    for g in group_indicators(ev):
        rows = []
        for sub in g["subgroups"]:
            for it in sub["items"]:
                rows.append({"level2": sub["level2"], "name": it["name"], "weight": it["weight"],
                             "target": it["target"], "actual": it["actual"], "completion": it["completion"],
                             "score": it["score"] if it["score"] != F.BLANK else "", "reason": it["reason"]})
        groups.append({"level1": g["level1"], "rows": rows})
    return groups


def build_context(ev: Evaluation, profile: Profile | None = None,
                  findings: list[Finding] | None = None) -> dict[str, Any]:
    """All template variables for one project (charts are added by the renderer)."""
    profile = profile or default_profile()
    p = ev.project
    findings = list(findings if findings is not None else ev.findings)
    year = str(p.year) if p.year else ""
    unit = text_or_placeholder(p.unit, "实施单位")
    name = text_or_placeholder(p.name, "项目名称")
    title_name: Text | Placeholder = name
    if year and p.name and p.name.strip().startswith(f"{year}年"):  # "2021年医疗救助…": no 2021年度2021年
        title_name = Text(p.name.strip()[len(year) + 1:].lstrip("度"))
    title = Rich(unit, f"{year}年度" if year else Placeholder("年度"), title_name, "项目支出绩效自评报告")
    large, other = deviations(ev, profile)
    weights_total = _sum([ev.budget.weight, *[i.weight for i in ev.indicators]])
    errors = [f for f in findings if f.severity == "error"]
    score_rows = []
    if ev.budget.weight is not None:
        bs = _first(ev.budget.score, ev.budget.rule_score)
        score_rows.append({"name": "预算执行率", "weight": F.points(ev.budget.weight), "score": F.score(bs),
                           "rate": F.percent(_rate(bs, ev.budget.weight))})
    groups = group_indicators(ev)
    score_rows += [{"name": g["level1"], "weight": g["weight"], "score": g["score"], "rate": g["rate"]}
                   for g in groups]
    differs = (ev.total_score is not None and ev.rule_total_score is not None
               and abs(ev.rule_total_score - ev.total_score) >= Decimal("0.01"))
    return {
        "title": title,
        "project_name": name, "unit": unit, "department": text_or_placeholder(p.department, "主管部门"),
        "year": year,
        "source": Path(ev.source).name if ev.source else "",
        "profile_title": profile.title,
        "profile_note": _profile_note(ev),
        "overview": text_or_placeholder(p.goal, "项目概况（立项依据、主要内容、年度总体目标）"),
        "goal_actual": text_or_placeholder(p.goal_actual, "年度总体目标实际完成情况"),
        "budget": budget_context(ev, profile),
        "budget_sentence": budget_sentence(ev),
        "indicator_groups": groups,
        "score_rows": score_rows,
        "weights_total": F.points(weights_total),
        "total_score": F.score(ev.total_score), "grade": ev.grade or "",
        "rule_total_score": F.score(ev.rule_total_score), "rule_grade": ev.rule_grade or "",
        "score_differs": differs,
        "conclusion": conclusion(ev, profile),
        "deviation_threshold": F.threshold(profile.deviation_threshold),
        "deviations": large,
        "deviation_checked": sum(1 for i in ev.indicators if i.deviation is not None),
        "other_reasons": other,
        "improvement": Placeholder("针对上述偏离的改进措施"),
        "problems": Placeholder("项目实施和管理中存在的问题及原因"),
        "suggestions": Placeholder("下一步改进措施和建议"),
        "signature_unit": unit,
        "report_date": Placeholder("成文日期"),
        "appendix_groups": appendix_groups(ev),
        "appendix_total": {"weight": F.points(weights_total), "score": F.score(ev.total_score, blank=""),
                           "rule_score": F.score(ev.rule_total_score, blank="")},
        "findings": findings_context(findings),
        "has_findings": bool(findings),
        "has_errors": bool(errors),
        "error_count": len(errors),
        "warning_count": sum(1 for f in findings if f.severity == "warning"),
    }
