"""The 部门整体 report from a 汇总表 (the structure of seed 002's 部门预算绩效评价报告).

Input: the workbook ``jixiao consolidate`` writes — sheet 汇总表 (a header row with 文件, 主管部门,
实施单位, 项目名称, 全年预算数, 全年执行数, 执行率, 自评得分, 规则得分, 等级, 错误数, 警告数; read by
header name; a 合计 row ends the projects), 问题清单 and 无法读取 — or a folder / .zip of unit
workbooks, which is first consolidated with ``addin.consolidate.consolidate``.
资金加权得分 = Σ(得分 × 全年预算数) ÷ Σ全年预算数 (``udfs.scoring.weighted_score``).
"""

from __future__ import annotations

import tempfile
from collections import Counter, OrderedDict
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from udfs import InputError, Profile, default_profile, rates, scoring
from udfs.numbers import is_blank, to_decimal
from workbook_templates.errors import ReadError
from workbook_templates.grid import col_letter

from . import formats as F
from .context import rules_name, signature_line
from .figures import CellNames
from .markup import Placeholder, Rich, Text, text_or_placeholder

SUMMARY_SHEET, FINDINGS_SHEET, FAILED_SHEET = "汇总表", "问题清单", "无法读取"
REQUIRED = ("项目名称", "全年预算数", "全年执行数")
END_LABELS = ("合计", "总计", "资金加权得分")


@dataclass
class ProjectRow:
    file: str = ""
    department: str = ""
    unit: str = ""
    name: str = ""
    budget: Decimal | None = None
    executed: Decimal | None = None
    rate: Decimal | None = None          # 执行率: the core's from the two amounts, else as stated
    score: Decimal | None = None         # 自评得分
    rule_score: Decimal | None = None    # 规则得分
    grade: str = ""
    errors: int = 0
    warnings: int = 0
    year: str = ""



@dataclass
class Summary:
    source: str
    projects: list[ProjectRow] = field(default_factory=list)
    findings: list[dict[str, str]] = field(default_factory=list)
    failed: list[dict[str, str]] = field(default_factory=list)


def _text(v: Any) -> str:
    return "" if v is None else str(v).strip()


MAX_SUMMARY_ROWS = 100_000     # rows read per sheet of a 汇总表 (10,000 units' findings fit)
MAX_SUMMARY_COLS = 60          # a 汇总表 has about 20 columns


def _rows(ws, file: str | None = None) -> list[list[Any]]:
    """The sheet's rows, bounded: a 汇总表 whose used range was stretched (a value in XFD1048576,
    a million blank rows) is refused with the reason instead of being read for minutes."""
    rows = []
    for r in ws.iter_rows(values_only=True, max_col=MAX_SUMMARY_COLS):
        if len(rows) >= MAX_SUMMARY_ROWS:
            raise ReadError(f"工作表“{ws.title}”超过 {MAX_SUMMARY_ROWS:,} 行，不像 jixiao consolidate 生成的汇总表"
                            "（可能在远处单元格中误输入了内容）；请删除多余的行后再试，或按部门分别汇总", file=file)
        rows.append(list(r))
    while rows and not any(v is not None for v in rows[-1]):
        rows.pop()
    return rows


def _header_index(rows: list[list[Any]], needed: tuple[str, ...], file: str, sheet: str) -> tuple[int, dict[str, int]]:
    for r, row in enumerate(rows[:20]):
        names = {_text(v): c for c, v in enumerate(row) if _text(v)}
        if all(n in names for n in needed):
            return r, names
    raise ReadError(f"工作表“{sheet}”中找不到表头（需要列：{'、'.join(needed)}）", file=file)


def _number(v: Any, file: str, sheet: str, r: int, c: int, what: str) -> Decimal | None:
    try:
        return to_decimal(v, what)
    except InputError as exc:
        raise ReadError(str(exc), file=file, cell=f"{sheet}!{col_letter(c)}{r + 1}") from None


def year_parts(projects: list[ProjectRow]) -> list[Any]:
    """〈年度〉for the title: "2021年度" when the projects state one year, else a placeholder."""
    years = {p.year for p in projects if p.year}
    if len(years) == 1:
        return [f"{years.pop()}年度"]
    return [Placeholder("年度")]


def read_summary(path: str | Path) -> Summary:
    """Read a 汇总表 workbook by header names. ReadError (Chinese, file, cell) when unusable."""
    from openpyxl import load_workbook

    path = Path(path)
    file = str(path)
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except FileNotFoundError:
        raise ReadError("找不到文件", file=file) from None
    except Exception as exc:
        raise ReadError(f"无法打开汇总表（应为 .xlsx 文件）：{exc}", file=file) from None
    try:
        if SUMMARY_SHEET not in wb.sheetnames:
            raise ReadError(f"没有名为“{SUMMARY_SHEET}”的工作表（请用 jixiao consolidate 生成的汇总表）", file=file)
        rows = _rows(wb[SUMMARY_SHEET], file)
        h, cols = _header_index(rows, REQUIRED, file, SUMMARY_SHEET)
        out = Summary(source=path.name)

        def get(row: list[Any], name: str) -> Any:
            c = cols.get(name)
            return row[c] if c is not None and c < len(row) else None

        for r in range(h + 1, len(rows)):
            row = rows[r]
            first = next((_text(v) for v in row if _text(v)), "")
            if not first:
                continue
            if any(first.startswith(lbl) for lbl in END_LABELS):
                break

            def num(name: str, row=row, r=r) -> Decimal | None:
                return _number(get(row, name), file, SUMMARY_SHEET, r, cols.get(name, 0), name)

            p = ProjectRow(file=_text(get(row, "文件")), department=_text(get(row, "主管部门")),
                           unit=_text(get(row, "实施单位")), name=_text(get(row, "项目名称")),
                           budget=num("全年预算数"), executed=num("全年执行数"),
                           score=num("自评得分"), rule_score=num("规则得分"), grade=_text(get(row, "等级")),
                           errors=int(num("错误数") or 0), warnings=int(num("警告数") or 0),
                           year=_text(get(row, "年度")))
            stated_rate = num("执行率")
            p.rate = rates.execution_rate(p.executed, p.budget) if p.budget and p.executed is not None \
                else stated_rate
            out.projects.append(p)
        if FINDINGS_SHEET in wb.sheetnames:
            frows = _rows(wb[FINDINGS_SHEET], file)
            try:
                fh, fcols = _header_index(frows, ("文件", "说明"), file, FINDINGS_SHEET)
            except ReadError:
                frows, fh, fcols = [], 0, {}
            for row in frows[fh + 1:]:
                item = {k: _text(row[c]) if c < len(row) else "" for k, c in fcols.items()}
                if any(item.values()):
                    out.findings.append(item)
        if FAILED_SHEET in wb.sheetnames:
            xrows = _rows(wb[FAILED_SHEET], file)
            try:
                xh, xcols = _header_index(xrows, ("文件", "原因"), file, FAILED_SHEET)
            except ReadError:
                xrows, xh, xcols = [], 0, {}
            for row in xrows[xh + 1:]:
                item = {k: _text(row[c]) if c < len(row) else "" for k, c in xcols.items()}
                if item.get("文件"):
                    out.failed.append(item)
        return out
    finally:
        wb.close()


def _sum(values: list[Decimal | None]) -> Decimal | None:
    present = [v for v in values if v is not None]
    return sum(present, Decimal(0)) if present else None


def department_context(s: Summary, profile: Profile | None = None) -> dict[str, Any]:
    """Template variables of the 部门整体 report (docs/report-template-variables.md)."""
    profile = profile or default_profile()
    projects = s.projects
    depts = Counter(p.department for p in projects if p.department)
    department = depts.most_common(1)[0][0] if len(depts) == 1 else None   # several: never the most frequent
    budget = _sum([p.budget for p in projects])
    executed = _sum([p.executed for p in projects])
    rate = rates.execution_rate(executed, budget) if budget else None
    weighted = scoring.weighted_score([p.score for p in projects], [p.budget for p in projects], profile)
    rule_weighted = scoring.weighted_score([p.rule_score for p in projects], [p.budget for p in projects], profile)
    grade = scoring.grade(weighted, profile) if weighted is not None else None

    units: OrderedDict[str, list[ProjectRow]] = OrderedDict()
    for p in projects:
        units.setdefault(p.unit or p.file or "（未填写实施单位）", []).append(p)
    unit_rows = []
    for unit, items in units.items():
        ub, ue = _sum([p.budget for p in items]), _sum([p.executed for p in items])
        unit_rows.append({
            "unit": unit, "projects": len(items), "budget": F.money(ub), "executed": F.money(ue),
            "rate": F.percent(rates.execution_rate(ue, ub) if ub else None),
            "weighted_score": F.score(scoring.weighted_score([p.score for p in items], [p.budget for p in items],
                                                             profile)),
            "errors": sum(p.errors for p in items), "warnings": sum(p.warnings for p in items)})

    grades = Counter((p.grade or "未填写") for p in projects)
    grade_order = [g for g, _ in profile.grades]
    grade_rows = [{"grade": g, "count": grades[g]} for g in grade_order if grades.get(g)]
    grade_rows += [{"grade": g, "count": n} for g, n in grades.items() if g not in grade_order]
    low = Decimal(str(profile.low_execution_threshold))
    low_rows = [_project_item(i, p) for i, p in enumerate(projects, 1) if p.rate is not None and p.rate < low]
    differs = [_project_item(i, p) for i, p in enumerate(projects, 1)
               if p.score is not None and p.rule_score is not None and abs(p.score - p.rule_score) >= Decimal("0.01")]

    file_unit = {p.file: p.unit for p in projects if p.file}
    by_unit: OrderedDict[str, list[dict[str, str]]] = OrderedDict()
    sev_order = {"错误": 0, "警告": 1, "提示": 2}
    for f in sorted(s.findings, key=lambda f: sev_order.get(f.get("级别", ""), 3)):
        unit = file_unit.get(f.get("文件", ""), "") or f.get("文件", "") or "（未填写实施单位）"
        by_unit.setdefault(unit, []).append({
            "file": f.get("文件", ""), "project": f.get("项目名称", ""), "cell": CellNames().readable(f.get("单元格")) or f.get("单元格", ""),
            "rule": f.get("规则", ""), "severity": f.get("级别", ""), "message": f.get("说明", "")})
    findings_by_unit = [{"unit": u, "count": len(items), "rows": items,
                         "errors": sum(1 for i in items if i["severity"] == "错误"),
                         "warnings": sum(1 for i in items if i["severity"] == "警告")}
                        for u, items in by_unit.items()]

    dept_text = text_or_placeholder(department, "主管部门名称")
    mixed = mixed_departments(depts)
    n_err = sum(p.errors for p in projects)
    n_warn = sum(p.warnings for p in projects)
    overview = Rich(f"本次汇总“{s.source}”中的项目支出绩效自评表，共{len(projects)}个项目，涉及实施单位{len(units)}个",
                    f"；另有{len(s.failed)}份文件无法读取，未纳入汇总（见附表3）。" if s.failed else "。",
                    mixed or "")
    if budget is not None:
        budget_sentence = Rich(f"纳入汇总的项目全年预算合计{F.money(budget)}万元，全年执行"
                               f"{F.money(executed)}万元，总体预算执行率{F.percent(rate)}。")
    else:
        budget_sentence = Rich(Placeholder("部门预算执行情况（汇总表未填写预算数）"))
    if weighted is not None:
        score_sentence = Rich(f"{len(projects)}个项目的自评得分按全年预算数加权平均为{F.score(weighted)}分"
                              f"（Σ(自评得分×全年预算数)÷Σ全年预算数）。这是项目得分的统计值，不是部门整体支出"
                              f"绩效自评得分；部门整体得分按部门整体绩效评价指标体系另行评定。")
        if rule_weighted is not None and abs(rule_weighted - weighted) >= Decimal("0.01"):
            score_sentence.parts.append(f"按{rules_name(profile)}的计分规则复核，加权得分为{F.score(rule_weighted)}分。")
    else:
        score_sentence = Rich(Placeholder("部门项目自评得分情况（汇总表未填写自评得分）"))
    return {
        "title": Rich(dept_text, *year_parts(projects), "部门整体支出绩效自评报告"),
        "department": dept_text,
        "source": s.source,
        "profile_title": profile.title,
        "overview": overview,
        "organisation": Placeholder("机构组成、人员编制和主要职能"),
        "project_count": len(projects), "unit_count": len(units), "failed_count": len(s.failed),
        "budget_total": F.money(budget), "executed_total": F.money(executed), "rate_total": F.percent(rate),
        "budget_sentence": budget_sentence,
        "weighted_score": F.score(weighted), "rule_weighted_score": F.score(rule_weighted),
        "grade": grade or "",
        "weighted_label": "项目得分资金加权平均（统计值）",
        "departments": [{"name": d, "count": n} for d, n in depts.most_common()],
        "mixed_departments": mixed or "",
        "score_sentence": score_sentence,
        "unit_rows": unit_rows,
        "grade_rows": grade_rows,
        "low_threshold": F.threshold(low),
        "low_execution": low_rows,
        "score_differs": differs,
        "error_count": n_err, "warning_count": n_warn,
        "findings_by_unit": findings_by_unit,
        "has_findings": bool(findings_by_unit),
        "failed": [{"file": f.get("文件", ""), "reason": f.get("原因", "")} for f in s.failed],
        "projects": [_project_item(i, p) for i, p in enumerate(projects, 1)],
        "conclusion": Placeholder("部门整体绩效的总体评价（履职效能、预算管理、财务管理等）"),
        "problems": Placeholder("存在的问题"),
        "suggestions": Placeholder("改进建议"),
        "signature_unit": dept_text,
        "signature_line": signature_line(),
        "report_date": Placeholder("成文日期"),
    }


def mixed_departments(depts: Counter[str]) -> str | None:
    """The warning for a 汇总表 whose projects belong to several 主管部门, naming each; None otherwise."""
    if len(depts) < 2:
        return None
    return (f"注意：汇总的项目分属{len(depts)}个主管部门（" + "、".join(f"{d}{n}个项目" for d, n in depts.most_common())
            + "），部门整体报告应按主管部门分别编写；本报告按全部项目汇总，标题中的主管部门请核实后填写。")


def _project_item(i: int, p: ProjectRow) -> dict[str, Any]:
    return {"no": i, "file": p.file, "department": p.department, "unit": p.unit, "name": Text(p.name) if p.name
            else "", "budget": F.money(p.budget), "executed": F.money(p.executed), "rate": F.percent(p.rate),
            "score": F.score(p.score), "rule_score": F.score(p.rule_score), "grade": p.grade,
            "errors": p.errors, "warnings": p.warnings}


def load_summary(source: str | Path, profile: Profile | None = None) -> Summary:
    """A 汇总表 .xlsx as is; a folder or .zip consolidated first (addin.consolidate)."""
    source = Path(source)
    if not source.exists():
        raise ReadError("找不到文件或文件夹", file=str(source))
    if source.is_file() and source.suffix.lower() in (".xlsx", ".xlsm"):
        return read_summary(source)
    from addin.consolidate import consolidate

    with tempfile.TemporaryDirectory(prefix="jixiao-dept-") as d:
        out = Path(d) / "汇总表.xlsx"
        consolidate(source, out, profile=profile)
        summary = read_summary(out)
    summary.source = source.name
    return summary


def build_department_report(source: str | Path, out_path: str | Path, template: str | Path | None = None,
                            pdf: bool = False, profile: Profile | None = None,
                            warn: Any = None) -> Path:
    """``warn(message)`` is told when the projects belong to several 主管部门 (the CLI prints it)."""
    from .default_template import build_department_template
    from .render import render

    summary = load_summary(source, profile)
    ctx = department_context(summary, profile)
    if ctx["mixed_departments"] and warn is not None:
        warn(ctx["mixed_departments"])
    out = render(template if template else build_department_template(), ctx, out_path, source=source)
    if pdf:
        from .pdf import docx_to_pdf

        docx_to_pdf(out, Path(out).with_suffix(".pdf"))
    return Path(out)


__all__ = ["Summary", "ProjectRow", "read_summary", "load_summary", "department_context",
           "build_department_report", "is_blank"]
