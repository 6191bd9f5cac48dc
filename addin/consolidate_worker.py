"""What a consolidation worker does with one file: check, read, score, validate, summarise.

Runs in a worker process. Returns a small picklable dict — project fields, a few numbers and
the finding rows — never the Evaluation or the workbook. Never raises: every problem becomes
``{"ok": False, "reason": <Chinese>}`` for the 无法读取 sheet.
"""

from __future__ import annotations

import os
import zipfile
from decimal import Decimal
from typing import Any

from udfs import InputError, Profile, load_profile
from udfs.scoring import grade
from workbook_templates.errors import ReadError
from workbook_templates.meta import profile_digest
from workbook_templates.model import Finding

from .validate import resolve_profile as layout_profile
from .validate import validate

ENGINE = os.environ.get("JIXIAO_CONSOLIDATE_ENGINE", "calamine")


def resolve_profile(profile: str | os.PathLike | Profile | None) -> Profile | None:
    """A Profile for a name/path (``load_profile`` caches it); None stays None so that validation
    applies the profile the layout implies (``addin.validate.resolve_profile``)."""
    if profile is None or isinstance(profile, Profile):
        return profile
    return load_profile(str(profile))


def read_file(path: str, profile: Profile | None):
    """``reader.read_workbook`` with python-calamine (values only, fast, .xls too): preflight
    (which opens the zip once and keeps the checked bytes of the parts the loader parses), load,
    read. A very large sheet is streamed with a row cap by the loader (``big``)."""
    from workbook_templates.loaders import load_book
    from workbook_templates.reader import read_book
    from workbook_templates.safety import preflight

    info = preflight(path)
    try:
        book = load_book(path, engine=ENGINE, kind=info.kind, big=info.big, parts=info.parts)
    except ReadError:
        if ENGINE != "calamine" or info.kind not in ("xlsx", "xlsm"):
            raise
        # calamine refuses what openpyxl (``jixiao read``) accepts — an error cell such as
        # #GETTING_DATA, a cell reference A0: the file `read` accepts is consolidated too.
        book = load_book(path, engine="openpyxl", kind=info.kind, big=info.big, parts=info.parts)
    return read_book(book, path, profile=profile)


def _reason(exc: BaseException) -> str:
    """A Chinese reason for the 无法读取 sheet (the file is named in its own column)."""
    if isinstance(exc, ReadError):
        return f"{exc.message}（单元格 {exc.cell}）" if exc.cell else exc.message
    if isinstance(exc, InputError):
        return str(exc)
    if isinstance(exc, MemoryError):
        return "文件过大，读取时内存不足"
    if isinstance(exc, RecursionError):
        return "文件结构异常（嵌套过深），无法读取"
    name = type(exc).__name__
    text = str(exc)
    low = f"{name} {text}".lower()
    if "password" in low or "encrypt" in low:
        return "文件设有打开密码（已加密），无法读取"
    if "zip" in low:
        return f"文件已损坏或不是有效的 Excel 文件（{text or name}）"
    return f"读取时发生意外错误（{name}：{text}）"[:500]


def _money(v: Any) -> Decimal | None:
    return v if v is None or isinstance(v, Decimal) else Decimal(str(v))


def stated_grade(ev, profile: Profile) -> str | None:
    """等级 as the unit states it: the sheet's 评价等级, else the grade of its stated 总分,
    else the grade by the rules."""
    if ev.grade:
        return ev.grade
    if ev.total_score is not None:
        return grade(ev.total_score, profile)
    return ev.rule_grade


def summarize_evaluation(ev, profile: Profile | None = None, validate=None) -> dict[str, Any]:
    """The row of the 汇总表 and the finding rows of one Evaluation: scored (``rule_*``) and,
    when ``validate`` is given, checked."""
    prof = layout_profile(profile, ev)
    if validate is not None:
        findings = list(validate(ev, prof))     # validate scores first
    else:
        from addin.pipeline import score_evaluation

        score_evaluation(ev, prof)
        findings = list(ev.findings)
    b = ev.budget
    # in 万元 whatever the sheet's unit: a school's 元 table must not weigh 10,000 times more (issue #12)
    budget = b.in_wan(b.adjusted if b.adjusted is not None else b.initial)
    rate = b.rule_rate if b.rule_rate is not None else b.rate
    p = ev.project
    t = ev.extra.get("template") or {}
    used = ev.extra.get("profile_used") or {}
    findings += out_of_range(ev, budget, prof)
    return {
        "ok": True,
        "layout": ev.layout,
        # which template (id, version, pack) and which rules: the reviewer compares them across units
        "template": {"id": t.get("id"), "version": t.get("version"), "layout": t.get("layout"), "pack": t.get("pack"),
                     "altered": bool(t.get("altered"))} if t else None,
        "profile": {"id": prof.id, "version": used.get("version"), "source": used.get("source"),
                    "digest": profile_digest(prof.data)},
        "department": p.department,
        "unit": p.unit,
        "name": p.name,
        "year": p.year,
        "budget": _money(budget),
        "executed": _money(b.in_wan(b.executed)),
        "rate": _money(rate),
        "score": _money(ev.total_score),
        "rule_score": _money(ev.rule_total_score),
        "grade": stated_grade(ev, prof),
        "rule_grade": ev.rule_grade,
        "cells": {"name": p.cells.get("name")},
        "errors": sum(1 for f in findings if f.severity == "error"),
        "warnings": sum(1 for f in findings if f.severity == "warning"),
        "findings": [(f.cell, f.rule, f.severity, f.message) for f in findings],
        "weighting": not any(f.rule == "out-of-range" for f in findings),
    }


MAX_BUDGET = Decimal("1e9")        # 万元: ten trillion yuan, beyond any project's 全年预算数


def out_of_range(ev, budget: Any, prof: Profile | None) -> list[Finding]:
    """Figures no unit can have (分值 1e20 gave a 规则资金加权得分 of 1.4e17): an error finding each,
    and the unit is left out of the budget-weighted scores (``weighting`` False in the summary)."""
    from udfs import default_profile

    top = max(sum((prof or default_profile()).weights.values(), Decimal(0)), Decimal(100))
    out = []
    for label, v, cell in (("自评总分", ev.total_score, ev.cells.get("total_score")),
                           ("规则总分", ev.rule_total_score, None)):
        if v is not None and not (0 <= v <= top):
            out.append(Finding("out-of-range", "error", cell,
                               f"{label} {v} 超出可能的范围（0～{top}），未计入资金加权得分；请核对分值和得分"))
    if budget is not None and not (0 <= budget <= MAX_BUDGET):
        out.append(Finding("out-of-range", "error", ev.budget.cells.get("adjusted"),
                           f"全年预算数 {budget} 万元超出可能的范围（0～{MAX_BUDGET:,.0f} 万元），未计入资金加权得分；"
                           "请核对金额单位"))
    return out


def summarize_file(path: str, display: str, profile: str | Profile | None = None) -> dict[str, Any]:
    """Check, read, score and validate one workbook; never raises."""
    try:
        prof = resolve_profile(profile)
        ev = read_file(path, prof)
        out = summarize_evaluation(ev, prof, validate)
    except BaseException as exc:  # noqa: BLE001 — a bad file must never stop the run
        if isinstance(exc, (KeyboardInterrupt, SystemExit)):
            raise
        out = {"ok": False, "reason": _reason(exc)}
        if isinstance(exc, ReadError) and is_summary_workbook(path):
            out = {"ok": False, "skipped": True}     # a 汇总表 of an earlier run: not a unit's file
    out["file"] = display
    return out


def is_summary_workbook(path: str) -> bool:
    """A workbook ``jixiao consolidate`` wrote (sheets 汇总表 and 无法读取)."""
    try:
        with zipfile.ZipFile(path) as zf:
            book = zf.read("xl/workbook.xml").decode("utf-8", errors="replace")
    except (OSError, KeyError, zipfile.BadZipFile, EOFError):
        return False
    return 'name="汇总表"' in book and 'name="无法读取"' in book
