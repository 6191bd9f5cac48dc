"""A 绩效自评报告 (Word/PDF) → an Evaluation: the 自评表 among its tables, the narrative as evidence.

A report pastes the same indicators more than once (seed 004: a table per part under 二、项目绩效情况
and the complete 附件1 自评表): the table with the most indicators is the 自评表, read by headers
like any sheet (its funds table — seed 004's 预算执行情况 rows (1)–(7) — may be another table); the
other tables that hold indicators are kept as copies for the cross-check (``table_copies``).

The narrative goes to ``ev.extra["narrative"]`` as (``正文!A<n>``, text) for the text checks. When
the tables state no 总分, the total the text states ("总得分99.51分") is the stated total, with the
paragraph as its cell (several different totals in the text: none is taken, and the reader says
so). The grade the text states is kept in ``ev.extra["text_grade"]`` (the checks compare it; the
user's word "优秀" is never rewritten to "优"). A report with no 自评表 but a stated score or a 绩效
report's title (seed 002's 部门整体 report) gives an Evaluation of its text alone, saying so.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from .docx_loader import Document, paragraph_ref
from .errors import ReadError
from .model import Evaluation, Finding, Project
from .narrative_text import statements

_TITLE = re.compile(r"^(.{2,80}?)(?:项目支出|项目|部门整体支出|部门整体)?(?:绩效自评价?|绩效评价|自评)报告$")
_YEAR = re.compile(r"(20\d\d)\s*年")
_GENERIC_TITLES = ("部门整体支出", "部门整体", "项目支出", "部门", "单位")   # a title naming no project
_NAMED = re.compile(r"(?:^|[：:，,。])([^：:，,。“”]{2,30}?)项目(?:绩效)?自评(?:价)?结果为")   # seed 004


def read_document(doc: Document, path: str | Path | None = None, profile: Any = None,
                  sheet: str | None = None) -> Evaluation:
    """The Evaluation of a report's 自评表 plus its narrative (see the module docstring)."""
    from .reader import read_grids, read_grids_all

    source = str(path) if path is not None else doc.source
    copies: list[Evaluation] = []
    try:
        if sheet:
            ev = read_grids(doc.grids, source=source, sheet=sheet)
        else:
            found = read_grids_all(doc.grids, source=source)
            order = {g.name: i for i, g in enumerate(doc.grids)}
            best = max(found, key=lambda e: (len(e.indicators) + (e.budget.weight is not None), order.get(e.sheet, 0)))
            ev = read_grids(doc.grids, source=source, sheet=best.sheet)   # funds from the other tables too
            copies = [e for e in found if e.sheet != best.sheet]
    except ReadError as exc:
        if sheet or not (_stated_total(doc) or _is_report(doc)):
            raise ReadError(_no_table(doc, exc), file=source) from None
        ev = Evaluation(source=source, layout="report-text", sheet=None, project=Project())
        ev.findings.append(Finding("document-no-table", "warning", None,
                                   f"文档中没有找到绩效自评表（共 {len(doc.grids)} 个表格），只核对了正文中的数字"))
    ev.extra["engine"] = doc.engine
    ev.extra["document"] = {"kind": doc.kind, "tables": len(doc.grids), "paragraphs": len(doc.paragraphs),
                            "captions": dict(doc.captions)}
    ev.extra["narrative"] = [(paragraph_ref(p.index), p.text) for p in doc.paragraphs]
    ev.extra["table_copies"] = [_copy(e) for e in copies]
    if ev.sheet and doc.captions.get(ev.sheet):
        ev.extra["document"]["table_caption"] = doc.captions[ev.sheet]
    for note in doc.notices:
        ev.findings.append(Finding("document-notice", "info", None, note))
    for name, n in doc.truncated.items():
        ev.findings.append(Finding("sheet-truncated", "warning", None, f"表格 {name} 过大，只读取了前 {n} 行"))
    _caption_money_unit(ev, doc)
    _text_total(ev, doc)
    _text_grade(ev, doc)
    _title_fields(ev, doc)
    return ev


def _caption_money_unit(ev: Evaluation, doc: Document) -> None:
    """The money unit a short line above the funds table states (“单位：元”) when the table itself
    states none: ``reader.money`` looks inside the grid, and in Word that line is a paragraph."""
    from .model import WAN
    from .reader.money import DEFAULT_SOURCE, unit_in_label

    funds = re.fullmatch(r"表(\d+)", ev.extra.get("funds_sheet") or ev.extra.get("budget_sheet") or "")
    rec = ev.recognition
    if not funds or ev.budget.unit not in (None, WAN) or rec is None or rec.budget.get("unit_from") != DEFAULT_SOURCE:
        return
    for para in doc.paragraphs:
        if para.tables_before == int(funds.group(1)) - 1 and len(para.text) <= 30 and (u := unit_in_label(para.text)):
            ev.budget.unit = u
            rec.budget = {**rec.budget, "unit": u, "unit_from": f"{paragraph_ref(para.index)}“{para.text}”"}
            return


def _no_table(doc: Document, exc: ReadError) -> str:
    if not doc.grids:
        return "文档中没有表格，也没有写明自评得分：未找到绩效自评表（请确认自评表是以表格形式粘贴在文档中的）"
    seen = "、".join(f"{name}（{cap[:20]}）" if (cap := doc.captions.get(name)) else name
                    for name in (g.name for g in doc.grids[:12]))
    more = f"等 {len(doc.grids)} 个" if len(doc.grids) > 12 else ""
    return (f"文档中的表格都不是绩效自评表：没有包含“三级指标/目标指标/指标名称”和“分值/权重”表头的表格"
            f"（已查看：{seen}{more}）")


def _copy(e: Evaluation) -> dict[str, Any]:
    """What the cross-check needs of a second table holding indicators."""
    rows = [{"name": i.name, "weight": i.weight, "target": i.target, "actual": i.actual, "score": i.score,
             "cells": dict(i.cells)} for i in e.indicators]
    b = e.budget
    if b.weight is not None or b.score is not None:
        rows.append({"name": "预算执行率", "weight": b.weight, "target": None, "actual": None, "score": b.score,
                     "cells": {"weight": b.cells.get("weight"), "score": b.cells.get("score")}})
    return {"sheet": e.sheet, "indicators": rows}


def _all(doc: Document, what: str) -> list[tuple[str, Any, str]]:
    return [(paragraph_ref(p.index), s.value, s.written) for p in doc.paragraphs
            for s in statements(p.text) if s.what == what]


_REPORT_TITLE = re.compile(r"绩效.{0,8}(?:报告|自评)")


def _is_report(doc: Document) -> bool:
    """A 绩效评价/自评 report by its title (one of the first paragraphs), tables or not."""
    return any(_REPORT_TITLE.search(p.text) and len(p.text) <= 80 for p in doc.paragraphs[:5])


def _stated_total(doc: Document) -> bool:
    return bool(_all(doc, "total"))


def _text_total(ev: Evaluation, doc: Document) -> None:
    """The text's 总得分 as the stated total when no table states one (one value only)."""
    totals = _all(doc, "total")
    ev.extra["text_totals"] = totals
    summed = ev.extra.get("total_score_source") == "sum-of-scores"     # the reader's Σ 得分 (no 总分 row)
    if (ev.total_score is not None and not summed) or not totals:
        return
    values = {v for _, v, _ in totals}
    if len(values) == 1:
        ref, value, written = totals[0]
        ev.extra.pop("total_score_source", None)     # a total the report states beats a sum of scores
        ev.total_score = value
        ev.cells["total_score"] = ref
        ev.findings.append(Finding("total-from-text", "info", ref,
                                   f"表格中没有总分，按正文第{ref.rpartition('A')[2]}段“{written}”取总分{value}"))
    else:
        listed = "、".join(f"{w}（正文第{r.rpartition('A')[2]}段）" for r, _, w in totals[:4])
        ev.findings.append(Finding("total-from-text", "info", totals[0][0],
                                   f"表格中没有总分，正文写有多个不同的得分（{listed}），未取用（不知哪个是本报告的总分）"))


def _text_grade(ev: Evaluation, doc: Document) -> None:
    ev.extra["text_grades"] = _all(doc, "grade")


def _title_fields(ev: Evaluation, doc: Document) -> None:
    """Project name and year from the report's title when the tables give none (the first
    paragraph that ends in 报告), said as a finding."""
    p = ev.project
    if p.name and p.year:
        return
    title = next((x for x in doc.paragraphs[:5] if _TITLE.match(x.text)), None)
    if title is None:
        named = next(((x, m) for x in doc.paragraphs if (m := _NAMED.search(x.text))), None)
        if named and not p.name:
            x, m = named
            p.name, p.cells["name"] = m.group(1).strip(), paragraph_ref(x.index)
            ev.findings.append(Finding("name-from-title", "info", p.cells["name"],
                                       f"表格中没有项目名称，取正文第{x.index}段的“{m.group(1).strip()}”"))
        return
    ref = paragraph_ref(title.index)
    name = _TITLE.match(title.text).group(1)
    if not p.name and name not in _GENERIC_TITLES:
        p.name = name
        p.cells["name"] = ref
        ev.findings.append(Finding("name-from-title", "info", ref, f"表格中没有项目名称，取文档标题“{title.text}”"))
    if not p.year and (m := _YEAR.search(title.text)):
        p.year = int(m.group(1))
        p.cells["year"] = ref
