"""校验: score an Evaluation by the rule profile, then run every check of ``addin.rules``."""

from __future__ import annotations

from pathlib import Path

from udfs import InputError, Profile, default_profile, list_profiles, load_profile
from workbook_templates.errors import ReadError
from workbook_templates.grid import Grid, parse_a1, split_ref
from workbook_templates.meta import profile_problems
from workbook_templates.model import Evaluation, Finding

from .pipeline import score_evaluation
from .rules import CATALOGUE, SEVERITIES, finding, run_checks


def shipped_profile(name: object) -> bool:
    """True when ``name`` is the id or alias of a profile shipped with the package — never a path:
    a name read from a workbook must not make the tool open a file."""
    if not isinstance(name, str) or not name.strip():
        return False
    return any(name == p.id or name in p.data.get("aliases", []) for p in list_profiles())


def resolve_profile(profile: Profile | str | None, ev: Evaluation | None = None) -> Profile:
    """The rules to score ``ev`` by, and why (recorded as ``ev.extra["profile_used"]``, shown by
    every output — ``describe_profile``):

    1. ``profile`` (``--profile``: a name, a .json path, or a Profile) — it always wins;
    2. the profile the workbook carries: embedded in our template's ``_meta`` (checked data), or,
       for a template from before embedding, the shipped profile its ``_meta`` names;
    3. 财预〔2020〕10号 (the default). A published layout may *suggest* a profile (a 四川 table, the
       共性指标 scorecard): it is recorded as ``suggested``, never applied on its own (issue #12).
    """
    template = ev.extra.get("template") if ev is not None else None
    suggested = ev.extra.get("profile") if ev is not None else None
    known = ev.extra.get("profile_used") if ev is not None else None
    if isinstance(profile, Profile) and known and known.get("id") == profile.id:
        return profile                       # chosen earlier (read_evaluation): keep why
    if profile:
        prof = profile if isinstance(profile, Profile) else load_profile(profile)
        source, reason = "option", "按 --profile 指定"
        problems = profile_problems(prof.data)
        if problems:
            raise InputError(f"评分规则“{profile}”格式不正确：" + "；".join(problems[:5]))
    elif ev is not None and isinstance(ev.extra.get("template_profile"), Profile):
        prof, source = ev.extra["template_profile"], "template"
        reason = f"工作簿模板（{template.get('id')} {template.get('version') or ''}）内嵌的评分规则".replace(" ）", "）")
    elif template and shipped_profile(suggested):
        prof, source = load_profile(suggested), "template"
        reason = f"模板 {template.get('id')} 标注的评分规则（旧版模板，未内嵌规则）"
    else:
        prof, source, reason = default_profile(), "default", "默认规则"
        if template and suggested:
            reason += f"（模板标注的“{suggested}”不是内置评分规则，未采用）"
    note: dict[str, object] = {"id": prof.id, "title": prof.title, "version": prof.data.get("version"),
                               "source": source, "reason": reason, "suggested": None}
    if source == "default" and not template and suggested and suggested != prof.id:
        note["suggested"] = str(suggested)
    if ev is not None:
        ev.extra["profile_used"] = note
    return prof


def describe_profile(note: dict | None) -> str:
    """One line for every output: "评分规则：<title>（<id>，<why>）；版式提示可能适用 X…"."""
    if not note:
        return ""
    version = f" {note['version']}" if note.get("version") else ""
    text = f"评分规则：{note['title']}（{note['id']}{version}；{note['reason']}）"
    if note.get("suggested"):
        text += (f"；版式提示可能适用“{note['suggested']}”，如适用请用 --profile {note['suggested']}")
    return text


def cell_sort_key(cell: str | None) -> tuple:
    """Sort 'Sheet!A1' by sheet, then row, then column; findings without a cell last."""
    if not cell:
        return (1, "", 0, 0)
    sheet, ref = split_ref(cell)
    try:
        r, c = parse_a1(ref)
    except (ValueError, IndexError):
        r, c = 0, 0
    return (0, sheet, r, c)


def sort_findings(findings: list[Finding]) -> list[Finding]:
    """By severity (error, warning, info), then cell."""
    order = {s: i for i, s in enumerate(SEVERITIES)}
    return sorted(findings, key=lambda f: (order.get(f.severity, 9), cell_sort_key(f.cell), f.rule))


def validate(ev: Evaluation, profile: Profile | str | None = None) -> list[Finding]:
    """Score ``ev`` (rule_* fields), run every check, set ``ev.findings`` and return them sorted."""
    prof = resolve_profile(profile, ev)
    budget_problem = score_safely(ev, prof)
    # findings the reader made (e.g. unreadable-number) stay; ours are recomputed
    from_reader = [f for f in ev.findings
                   if f.rule not in CATALOGUE or CATALOGUE[f.rule].get("source") == "reader"]
    taken = {f.cell for f in from_reader if f.cell}
    ours = [f for f in run_checks(ev, prof) if not (f.rule == "missing-field" and f.cell in taken)]
    suggested = ev.extra.get("profile_used", {}).get("suggested")
    if suggested:
        ours.append(finding("profile-suggested", ev.cells.get("indicators"),
                            f"表格版式（{ev.layout}）与“{suggested}”的格式相同，但未按其规则计分，"
                            f"而是按{prof.title}；如该表适用“{suggested}”，请用 --profile {suggested} 重新计分"))
    if budget_problem is not None:
        ours.append(budget_problem)
    findings = sort_findings(from_reader + ours)
    ev.findings = findings
    return findings


def score_safely(ev: Evaluation, profile: Profile) -> Finding | None:
    """``score_evaluation``; when the budget part can't be scored (negative 执行数/预算数/分值) the
    pipeline records why in ``ev.extra["budget_rule_error"]`` and it becomes a finding here."""
    score_evaluation(ev, profile)
    problem = ev.extra.get("budget_rule_error")
    if not problem:
        return None
    b = ev.budget
    cell = b.cells.get("executed") or b.cells.get("weight") or b.cells.get("adjusted")
    return finding("not-scorable", cell, f"预算执行率无法按规则计分：{problem}。", None, severity="error")


def has_errors(findings: list[Finding]) -> bool:
    return any(f.severity == "error" for f in findings)


VALUE_FIELDS = ("weight", "score", "target", "actual")
UNREADABLE = ("unreadable-number",)


def check_merged_table(ev: Evaluation, grids: list[Grid]) -> None:
    """ReadError when a merged range spans the value cells (分值/得分/目标值/实际值) of several
    indicators: the table can't be read line by line (bad input, not a finding)."""
    owner: dict[tuple[str, int, int], int] = {}
    for i, ind in enumerate(ev.indicators):
        for f in VALUE_FIELDS:
            ref = ind.cells.get(f)
            if ref:
                sheet, a1 = split_ref(ref)
                r, c = parse_a1(a1)
                owner[(sheet, r, c)] = i
    for g in grids:
        for r1, c1, r2, c2 in g.merged:
            if r2 == r1:
                continue
            hit = {owner[(g.name, r, c)] for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)
                   if (g.name, r, c) in owner}
            if len(hit) > 1:
                names = "、".join(f"“{ev.indicators[i].name}”" for i in sorted(hit)[:3])
                span = f"{g.ref(r1, c1)}:{g.ref(r2, c2).rpartition('!')[2]}"
                raise ReadError(f"合并单元格 {span} 跨越了多个指标（{names}）的分值/目标值/实际值/得分，"
                                "无法逐项读取；请取消合并、每个指标各占一行后再试",
                                file=ev.source, cell=g.ref(r1, c1))


def refuse_unreadable(ev: Evaluation, path: str | Path) -> None:
    """ReadError naming the first cell the reader could not read as a number (validate, score and
    read refuse the same files)."""
    bad = [f for f in ev.findings if f.rule in UNREADABLE]
    if bad:
        more = f"（另有{len(bad) - 1}处）" if len(bad) > 1 else ""
        raise ReadError(f"{bad[0].message}{more}；请填写数值后再试", file=str(path), cell=bad[0].cell)


def read_evaluation(path: str, profile: Profile | str | None = None) -> tuple[Evaluation, Profile]:
    """Read a workbook as ``reader.read_workbook`` does (preflight → loader → reader), keeping the
    grids for the merged-cell check; ReadError for anything unusable, including numbers the reader
    could not read. Returns the Evaluation and the profile to score it by."""
    prof = load_profile(profile) if isinstance(profile, str) and profile else profile or None
    p = Path(path)
    if not p.exists():
        raise ReadError("文件不存在", file=str(path))
    if p.is_dir():
        raise ReadError("这是一个文件夹，不是工作簿文件", file=str(path))
    from workbook_templates.loaders import load_book
    from workbook_templates.reader import read_book
    from workbook_templates.safety import preflight

    info = preflight(path)          # the same steps as reader.read_workbook, keeping the grids
    book = load_book(path, kind=info.kind, big=info.big, parts=info.parts)
    ev = read_book(book, path, profile=prof)
    refuse_unreadable(ev, path)
    check_merged_table(ev, book.grids)
    return ev, resolve_profile(profile or None, ev)
