"""The template variables of a project's 绩效自评报告, built from an Evaluation.

The 得分 come from one source per report (``figures.Figures``): all the unit's stated ones, or —
where the sheet leaves a 得分/总分 blank or uncalculated — all recomputed by the core
(``addin.pipeline.score_evaluation``), labelled so. Formatting is ``formats``. Text the workbook
does not hold becomes a ``Placeholder`` — never an invented sentence. The submission report
(default) shows a flagged figure as 【请核实：…】 and embeds no findings; the review report
(``review=True``) adds them as an appendix in Chinese. Variables: docs/report-template-variables.md.
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
from .figures import CellNames, Figures, rule_title, uncalculated_formulas
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


def indicator_completion(ind: Indicator) -> Decimal | None:
    """完成率 as the sheet shows it, else the core's."""
    return _first(ind.completion_stated, ind.completion)


def indicator_sentence(ind: Indicator, fig: Figures | None = None) -> Rich:
    """"补助人数（人）年度指标值18，实际完成值18.74万人，完成率104.11%，得分20.00分（分值20分）";
    a flagged figure as 【请核实：…】. Without ``fig``: the indicator's own stated (else rule) 得分."""
    fig = fig or Figures.for_indicator(ind)
    name = ind.name or "（未命名指标）"
    parts: list[object] = []

    def add(*bits: object) -> None:
        if parts:
            parts.append("，")
        parts.extend(bits)

    if ind.target or ind.actual:  # a scorecard item (seed 001) has neither: only its score
        add(f"{name}年度指标值", fig.show(ind.target, ind.cells.get("target"), "年度指标值")
            if ind.target else "未填写")
        if ind.actual:
            add("实际完成值", fig.show(ind.actual, ind.cells.get("actual"), "实际完成值"))
        else:
            add("实际完成值未填写")
    else:
        add(name)
    wording = describe_outcome(ind.outcome, ind.target_value)     # by kind (udfs.wording)
    completion = indicator_completion(ind)
    if wording:
        add(wording)
    elif completion is not None:
        add("完成率", fig.show(F.percent(completion), ind.cells.get("completion"), "完成率"))
    sc = fig.indicator_score(ind)
    if sc is not None:
        add("得分", fig.show(F.score(sc), ind.cells.get("score") if fig.stated else None, "得分"), "分")
        if ind.weight is not None:
            parts.append(f"（分值{F.points(ind.weight)}分）")
    return Rich(*parts)


def _sum(values: list[Decimal | None]) -> Decimal | None:
    present = [v for v in values if v is not None]
    return sum(present, Decimal(0)) if present else None


def _rate(score: Decimal | None, weight: Decimal | None) -> Decimal | None:
    if score is None or weight in (None, Decimal(0)):
        return None
    return score / weight


def group_indicators(ev: Evaluation, fig: Figures | None = None) -> list[dict[str, Any]]:
    """Indicators grouped by 一级 then 二级 指标, in sheet order, with group totals."""
    fig = fig or Figures(ev, [])
    groups: OrderedDict[str, OrderedDict[str, list[Indicator]]] = OrderedDict()
    for ind in ev.indicators:
        l1 = (ind.level1 or "其他指标").strip()
        l2 = (ind.level2 or l1).strip()
        groups.setdefault(l1, OrderedDict()).setdefault(l2, []).append(ind)
    out = []
    for l1, subs in groups.items():
        inds = [i for items in subs.values() for i in items]
        weight = _sum([i.weight for i in inds])
        score = _sum([fig.indicator_score(i) for i in inds])
        subgroups = []
        for l2, items in subs.items():
            w2 = _sum([i.weight for i in items])
            s2 = _sum([fig.indicator_score(i) for i in items])
            subgroups.append({
                "level2": l2, "weight": F.points(w2), "score": F.score(s2), "rate": F.percent(_rate(s2, w2)),
                "rate_value": _rate(s2, w2),
                "items": [indicator_item(i, fig) for i in items],
                "text": Rich(*[part for k, i in enumerate(items)
                               for part in (("；",) if k else ()) + (indicator_sentence(i, fig),)], "。"),
            })
        out.append({"level1": l1, "weight": F.points(weight), "score": F.score(score),
                    "rate": F.percent(_rate(score, weight)), "rate_value": _rate(score, weight),
                    "subgroups": subgroups})
    return out


def indicator_item(ind: Indicator, fig: Figures | None = None) -> dict[str, Any]:
    fig = fig or Figures.for_indicator(ind)
    score = fig.indicator_score(ind)
    return {
        "level1": ind.level1 or "", "level2": ind.level2 or "", "name": ind.name or "",
        "target": fig.show(ind.target, ind.cells.get("target"), compact=True) if ind.target else "",
        "actual": fig.show(ind.actual, ind.cells.get("actual"), compact=True) if ind.actual else "",
        "unit": ind.unit or "", "direction": ind.direction or "",
        "weight": F.points(ind.weight),
        "score": fig.show(F.score(score), ind.cells.get("score") if fig.stated else None, compact=True)
        if score is not None else F.BLANK,
        "stated_score": F.score(ind.score), "rule_score": F.score(ind.rule_score),
        "completion": F.percent(indicator_completion(ind), blank=""),
        "deviation": F.percent(ind.deviation, blank=""),
        "reason": Text(ind.reason) if ind.reason and ind.reason.strip() else "",
        "sentence": indicator_sentence(ind, fig),
        "cell": ind.cell or "",
    }


def _money(fig: Figures, ev: Evaluation, key: str) -> str | object:
    value = getattr(ev.budget, key)
    return fig.show(F.money(value), ev.budget.cells.get(key), compact=True) if value is not None else F.BLANK


def budget_context(ev: Evaluation, profile: Profile, fig: Figures | None = None) -> dict[str, Any]:
    fig = fig or Figures(ev, [])
    b = ev.budget
    rate = budget_rate(ev)
    score = fig.budget_score()
    return {
        "initial": _money(fig, ev, "initial"), "adjusted": _money(fig, ev, "adjusted"),
        "available": _money(fig, ev, "available"), "executed": _money(fig, ev, "executed"),
        "balance": F.money(budget_balance(ev)),
        "rate": fig.show(F.percent(rate), b.cells.get("rate") if b.rate is not None else None, compact=True)
        if rate is not None else F.BLANK,
        "weight": F.points(b.weight), "score": F.score(score),
        "rule_rate": F.percent(b.rule_rate), "rule_score": F.score(b.rule_score),
        "low": rate is not None and rate < Decimal(str(profile.low_execution_threshold)),
        "low_threshold": F.threshold(profile.low_execution_threshold),
        "reason": Text(b.reason) if b.reason and b.reason.strip() else "",
        "reason_text": text_or_placeholder(b.reason, "预算执行率偏低的原因及改进措施"),
    }


def budget_sentence(ev: Evaluation, fig: Figures | None = None) -> Rich:
    """"全年预算1,600.00万元，执行1,521.57万元，预算执行率95.10%…" from the workbook's numbers."""
    fig = fig or Figures(ev, [])
    b = ev.budget
    parts: list[object] = []

    def add(*bits: object) -> None:
        if parts:
            parts.append("，")
        parts.extend(bits)

    for key, label in (("initial", "年初预算"), ("adjusted", "全年预算"), ("available", "实际到位"),
                       ("executed", "执行")):
        value = getattr(b, key)
        if value is None or (key == "available" and value == b.adjusted):
            continue
        add(label, fig.show(F.money(value), b.cells.get(key)), "万元")
    rate = budget_rate(ev)
    if rate is not None:
        add("预算执行率", fig.show(F.percent(rate), b.cells.get("rate") if b.rate is not None else None))
    balance = budget_balance(ev)
    if balance is not None:
        add(f"结余{F.money(balance)}万元")
    score = fig.budget_score()
    if score is not None:
        s = f"预算执行率指标得分{F.score(score)}分"
        if b.weight is not None:
            s += f"（分值{F.points(b.weight)}分）"
        add(s)
    if not parts:
        return Rich(Placeholder("预算执行情况（自评表未填写预算数和执行数）"))
    return Rich(f"{ev.project.year or ''}年度" if ev.project.year else "", *parts, "。")


def _profile_note(ev: Evaluation) -> str:
    """Which profile scored the workbook and why (``addin.validate.describe_profile``)."""
    from addin.validate import describe_profile

    return describe_profile(ev.extra.get("profile_used"))


def rules_name(profile: Profile) -> str:
    """The profile's title without a trailing remark: "财预〔2020〕10号 项目支出绩效自评"."""
    return re.sub(r"（[^（）]*）$", "", profile.title).strip()


def not_calculated(ev: Evaluation, findings: list[Finding]) -> bool:
    """The workbook's formulas have no computed results (written by a program, never opened in Excel)."""
    return any(f.rule == "formula-not-calculated" for f in findings) or uncalculated_formulas(ev)


def conclusion(ev: Evaluation, profile: Profile, fig: Figures | None = None, review: bool = False,
               findings: list[Finding] | None = None) -> Rich:
    """自评得分 and 等级 from the report's one source. Submission: a flagged 总分 is 【请核实：…】
    and nothing is said about checks; review: a differing rule total is said with both numbers."""
    fig = fig or Figures(ev, findings or [], verify=not review)
    findings = findings or []
    total, grade = fig.total(), fig.grade()
    parts: list[object] = []
    if total is None:
        return Rich(Placeholder("自评得分及评价等级"))
    if fig.stated:
        if ev.extra.get("total_score_source") == "sum-of-scores":     # issue #12: a table without 总分 row
            parts += ["自评表未设总分行，各项自评得分合计", fig.show(F.score(total), None, "自评得分"), "分"]
        else:
            parts += ["经自评，本项目自评得分", fig.show(F.score(total), ev.cells.get("total_score"), "自评得分"), "分"]
        if grade:
            parts.append(f"，评价等级为“{grade}”。")
        elif ev.rule_grade:
            parts.append(f"，按评分标准对应等级为“{ev.rule_grade}”。")
        else:
            parts.append("。")
    else:
        why = ("自评表中的公式尚未计算（文件未在 Excel/WPS 中打开保存）" if not_calculated(ev, findings)
               else "自评表未填写全部得分")
        parts.append(f"{why}，本报告的得分均按{rules_name(profile)}的计分规则、根据表内数据计算："
                     f"本项目自评得分{F.score(total)}分，评价等级为“{grade}”。")
    if review and not fig.stated and ev.total_score is not None and abs(ev.total_score - total) >= Decimal("0.01"):
        parts.append(f"自评表填报的总分为{F.score(ev.total_score)}分，与按规则计算的得分相差"
                     f"{F.score(abs(ev.total_score - total))}分，请核对自评表。")
    if review and fig.stated and ev.rule_total_score is not None:
        diff = ev.rule_total_score - total
        if abs(diff) >= Decimal("0.01"):
            parts.append(f"按{rules_name(profile)}的计分规则，根据表内数据复核得分为{F.score(ev.rule_total_score)}分"
                         f"（等级“{ev.rule_grade}”），与自评得分相差{F.score(abs(diff))}分，请核对自评表。")
        elif grade and ev.rule_grade and ev.rule_grade not in grade:
            parts.append(f"按评分标准，该得分对应等级为“{ev.rule_grade}”。")
    return Rich(*parts)


def deviations(ev: Evaluation, profile: Profile,
               fig: Figures | None = None) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(large deviations, other indicators with a 偏差原因 cell). Large = |偏离度| > threshold."""
    threshold = Decimal(str(profile.deviation_threshold))
    large, other = [], []
    for ind in ev.indicators:
        item = indicator_item(ind, fig)
        if ind.deviation is not None and abs(ind.deviation) > threshold:
            item["reason"] = text_or_placeholder(ind.reason, f"“{ind.name}”偏离目标的原因及改进措施")
            large.append(item)
        elif ind.reason and ind.reason.strip():
            other.append(item)
    return large, other


def findings_context(findings: list[Finding], names: CellNames | None = None) -> list[dict[str, str]]:
    """The findings for the review appendix: Chinese rule names, readable cell references."""
    names = names or CellNames()
    order = {"error": 0, "warning": 1, "info": 2}
    rows = sorted(findings, key=lambda f: order.get(f.severity, 3))
    return [{"severity": SEVERITY_LABELS.get(f.severity, f.severity), "severity_code": f.severity,
             "cell": names.readable(f.cell), "cell_ref": f.cell or "", "rule": rule_title(f.rule),
             "rule_id": f.rule, "message": f.message} for f in rows]


def appendix_groups(ev: Evaluation, fig: Figures | None = None) -> list[dict[str, Any]]:
    """The full self-evaluation table, by 一级指标 (for vertically merged cells), budget row first."""
    fig = fig or Figures(ev, [])
    b = ev.budget
    groups: list[dict[str, Any]] = []
    if b.weight is not None or b.score is not None or b.executed is not None:
        bs = fig.budget_score()
        groups.append({"level1": BUDGET_GROUP, "rows": [{
            "level2": "预算执行率", "name": "预算执行率", "weight": F.points(b.weight), "target": "100%",
            "actual": F.percent(budget_rate(ev), blank=""), "completion": F.percent(budget_rate(ev), blank=""),
            "score": F.score(bs, blank=""),
            "reason": Text(b.reason) if b.reason and b.reason.strip() else ""}]})
    for g in group_indicators(ev, fig):
        rows = []
        for sub in g["subgroups"]:
            for it in sub["items"]:
                rows.append({"level2": sub["level2"], "name": it["name"], "weight": it["weight"],
                             "target": it["target"], "actual": it["actual"], "completion": it["completion"],
                             "score": it["score"] if it["score"] != F.BLANK else "", "reason": it["reason"]})
        groups.append({"level1": g["level1"], "rows": rows})
    return groups


def project_label(name: str | None) -> str:
    """The name as it precedes 支出绩效自评报告: "…建设项目" stays, "医疗保险基金补助" gets 项目."""
    name = (name or "").strip()
    return name if name.endswith("项目") else name + "项目"


def build_context(ev: Evaluation, profile: Profile | None = None,
                  findings: list[Finding] | None = None, review: bool = False) -> dict[str, Any]:
    """All template variables for one project (charts are added by the renderer). ``review``: the
    copy for the 财政局 reviewer (findings appendix, rule totals); default: the unit's submission."""
    profile = profile or default_profile()
    p = ev.project
    findings = list(findings if findings is not None else ev.findings)
    fig = Figures(ev, findings, verify=not review)
    year = str(p.year) if p.year else ""
    unit = text_or_placeholder(p.unit, "实施单位")
    name = text_or_placeholder(p.name, "项目名称")
    bare = (p.name or "").strip()
    if year and bare.startswith(f"{year}年"):  # "2021年医疗救助…": no 2021年度2021年
        bare = bare[len(year) + 1:].lstrip("度")
    title_name: Text | Placeholder = Text(project_label(bare)) if bare else Rich(name, "项目")
    title = Rich(unit, f"{year}年度" if year else Placeholder("年度"), title_name, "支出绩效自评报告")
    large, other = deviations(ev, profile, fig)
    weights_total = _sum([ev.budget.weight, *[i.weight for i in ev.indicators]])
    errors = [f for f in findings if f.severity == "error"]
    score_rows = []
    if ev.budget.weight is not None:
        bs = fig.budget_score()
        score_rows.append({"name": "预算执行率", "weight": F.points(ev.budget.weight), "score": F.score(bs),
                           "rate": F.percent(_rate(bs, ev.budget.weight))})
    groups = group_indicators(ev, fig)
    score_rows += [{"name": g["level1"], "weight": g["weight"], "score": g["score"], "rate": g["rate"]}
                   for g in groups]
    differs = (ev.total_score is not None and ev.rule_total_score is not None
               and abs(ev.rule_total_score - ev.total_score) >= Decimal("0.01"))
    total = fig.total()
    total_shown = fig.show(F.score(total), ev.cells.get("total_score") if fig.stated else None, compact=True) \
        if total is not None else F.BLANK
    source_note = ("" if total is None else "注：表中得分为自评表填报的得分。" if fig.stated else
                   f"注：表中得分均按{rules_name(profile)}的计分规则、根据自评表数据计算"
                   f"（{'自评表公式尚未计算' if not_calculated(ev, findings) else '自评表未填写全部得分'}）。")
    return {
        "title": title,
        "project_name": name, "project_label": Rich(title_name), "unit": unit,
        "department": text_or_placeholder(p.department, "主管部门"),
        "year": year,
        "source": Path(ev.source).name if ev.source else "",
        "profile_title": profile.title,
        "profile_note": _profile_note(ev),
        "review": review,
        "score_source": fig.mode, "score_label": fig.score_label, "score_note": source_note,
        "overview": text_or_placeholder(p.goal, "项目概况（立项依据、主要内容、年度总体目标）"),
        "goal_actual": text_or_placeholder(p.goal_actual, "年度总体目标实际完成情况"),
        "work_process": Placeholder("自评工作开展情况（组织方式、自评过程、数据来源）"),
        "fund_management": Placeholder("项目资金管理情况（资金到位、使用、财务管理制度执行）"),
        "organisation": Placeholder("项目组织实施情况（组织机构、管理制度、实施过程）"),
        "budget": budget_context(ev, profile, fig),
        "budget_sentence": budget_sentence(ev, fig),
        "indicator_groups": groups,
        "score_rows": score_rows,
        "weights_total": F.points(weights_total),
        "total_score": total_shown, "grade": fig.grade() or "",
        "stated_total_score": F.score(ev.total_score), "stated_grade": ev.grade or "",
        "rule_total_score": F.score(ev.rule_total_score), "rule_grade": ev.rule_grade or "",
        "score_differs": differs,
        "conclusion": conclusion(ev, profile, fig, review, findings),
        "deviation_threshold": F.threshold(profile.deviation_threshold),
        "deviations": large,
        "deviation_checked": sum(1 for i in ev.indicators if i.deviation is not None),
        "other_reasons": other,
        "improvement": Placeholder("针对上述偏离的改进措施"),
        "problems": Placeholder("项目实施和管理中存在的问题及原因"),
        "suggestions": Placeholder("下一步改进措施和建议"),
        "signature_unit": unit,
        "report_date": Placeholder("成文日期"),
        "signature_line": signature_line(),
        "appendix_groups": appendix_groups(ev, fig),
        "appendix_total": {"weight": F.points(weights_total), "score": total_shown if total is not None else "",
                           "rule_score": F.score(ev.rule_total_score, blank="")},
        "findings": findings_context(findings, CellNames.of(ev)) if review else [],
        "has_findings": review and bool(findings),
        "has_errors": bool(errors),
        "error_count": len(errors),
        "warning_count": sum(1 for f in findings if f.severity == "warning"),
    }


SIGNATORIES = ("单位负责人", "财务负责人", "填表人")


def signature_line() -> str:
    """"单位负责人：　　　　财务负责人：　　　　填表人：　　　　" — signed by hand on the printed copy."""
    return "".join(f"{role}：{'　' * 4}" for role in SIGNATORIES).rstrip("　")
