"""Read OUR templates back (those with a ``_meta`` sheet) by their workbook-scope defined names.

The spec says which defined name holds which data key; values come from the sheet grids (any
loader: openpyxl, calamine, xlwings). Input cells are the data; formula cells give the *stated*
values (cached results — None in a file never opened by a spreadsheet), which the core recomputes.
Indicator rows are turned back into DESIGN.md text (指标性质 ≥ + 指标值 18 + 度量单位 万人 →
target "≥18万人"), so ``fill`` then ``read`` round-trips through the same scoring.
"""

from __future__ import annotations

import os
import re
from decimal import Decimal
from typing import Any

from udfs import InputError
from udfs.numbers import dec_or_none, is_blank
from udfs.parse import parse_direction

from .builder import fields, load_spec, table_rows
from .errors import ReadError
from .fill import DIRECTION_OF_SYMBOL
from .grid import Grid, parse_a1, split_ref
from .meta import META_SHEET, TemplateMeta, check_integrity, embedded_profile, read_meta
from .model import Budget, BudgetRow, Evaluation, Finding, Indicator, Project, unit_in_name
from .reader.cells import TOO_LARGE


def _split_ref(text: str) -> tuple[str, str]:
    """"'Sheet'!$A$1:$B$2" → ("Sheet", "A1:B2"); xlwings' "=Sheet!$A$1" form too."""
    return split_ref(text.strip().lstrip("="))


_CELL_RANGE = re.compile(r"^\$?[A-Za-z]{1,3}\$?[0-9]{1,7}(:\$?[A-Za-z]{1,3}\$?[0-9]{1,7})?$")


def _bad_reference(text: str, rng: str) -> str | None:
    """Why a defined name cannot locate cells, or None: Excel writes #REF! into a name whose row the
    user deleted; a name may also be a whole column/row or a constant."""
    if "#REF!" in text.upper():
        return f"已失效（{text}：它指向的行或列可能已被删除）"
    if _CELL_RANGE.match(rng or ""):
        return None
    if re.fullmatch(r"\$?[A-Za-z]{1,3}:\$?[A-Za-z]{1,3}|\$?[0-9]+:\$?[0-9]+", rng or ""):
        return f"指向整列或整行（{text}），应指向单元格"
    return f"不是单元格引用（{text}），可能是常量或公式"


class _Cells:
    def __init__(self, path: Any, grids: list[Grid], names: dict[str, str], spec: dict[str, Any]) -> None:
        self.path = str(path) if path is not None else None
        self.grids = {g.name: g for g in grids}
        self.names = names
        self.spec = spec

    def locate(self, name: str) -> tuple[Grid, int, int, int]:
        """Grid, first row, column and number of rows of a defined name."""
        if name not in self.names:
            raise ReadError(f"模板“{self.spec['title']}”缺少定义名称“{name}”（模板可能被改动），无法按模板读取",
                            file=self.path)
        text = self.names[name]
        sheet, rng = _split_ref(text)
        problem = _bad_reference(text, rng)
        if problem:
            raise ReadError(f"定义名称“{name}”{problem}，无法按模板读取；请从标准模板重新填写（jixiao template）"
                            "或在 Excel 的“公式 → 名称管理器”中改正", file=self.path)
        grid = self.grids.get(sheet)
        if grid is None:
            # A sheet renamed by a program that left the names behind (Excel itself updates them):
            # with one data sheet in the workbook there is no ambiguity about where the name points.
            data_sheets = [g for g in self.grids.values() if not g.name.startswith("_")]
            if len(data_sheets) == 1:
                grid = data_sheets[0]
        if grid is None:
            raise ReadError(f"定义名称“{name}”指向的工作表“{sheet}”不存在", file=self.path)
        start, _, end = rng.partition(":")
        r1, c1 = parse_a1(start)
        r2 = parse_a1(end)[0] if end else r1
        return grid, r1, c1, r2 - r1 + 1


def _num(v: Any, where: str, path: str | None) -> Decimal | None:
    if is_blank(v):
        return None
    d = dec_or_none(v)
    if d is None:
        raise ReadError(f"应为数值，实际为“{v}”", file=path, cell=where)
    if abs(d) >= TOO_LARGE:
        raise ReadError(f"数值“{v}”过大（≥10¹⁵），不是可计算的金额或分值", file=path, cell=where)
    return d


def _text(v: Any) -> str | None:
    if is_blank(v):
        return None
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return str(v).strip()


def _fmt(d: Decimal | None) -> str:
    if d is None:
        return ""
    d = d.normalize()
    return format(d, "f") if d != d.to_integral_value() else str(int(d))


class Percent(Decimal):
    """A number cell shown with a % format (0.95 shown as 95%): its value is the ratio, it reads as 95%."""


def _percent_cell(grid: Any, r: int, c: int, v: Any) -> Any:
    """Percent number formats are part of the value (a cell 0.95 formatted 0% is 95%)."""
    if isinstance(v, (int, float, Decimal)) and not isinstance(v, bool) and "%" in grid.number_formats.get((r, c), ""):
        d = dec_or_none(v)
        return Percent(d) if d is not None else v
    return v


def _value_text(v: Any, unit: str) -> str:
    """A template number with its unit: a percent-formatted cell reads "95%" whatever the unit column says."""
    d = dec_or_none(v)
    assert d is not None
    if isinstance(v, Percent):
        return _fmt(d * 100) + "%"
    return _fmt(d) + unit


def indicator_from_row(row: dict[str, Any], where: str | None = None, path: str | None = None) -> dict[str, Any]:
    """Template columns of one indicator row → DESIGN.md fields (target/actual text, direction).

    指标性质 is the dropdown's symbol, or any spelling udfs.parse.parse_direction knows (a pasted
    '>=' or '正向' bypasses the dropdown); anything else is a ReadError naming ``where``."""
    symbol = _text(row.get("direction"))
    try:
        direction = DIRECTION_OF_SYMBOL.get(symbol or "") or parse_direction(symbol)
    except InputError as exc:
        raise ReadError(f"指标性质：{exc}", file=path, cell=where) from None
    unit = _text(row.get("unit")) or ""
    tv, th, av = row.get("target_value"), row.get("target_high"), row.get("actual_value")
    band, rate = _text(row.get("band")), dec_or_none(row.get("rate"))
    if direction == "定性" or direction is None:
        target = _text(tv)
        if isinstance(av, Percent):
            actual = _value_text(av, "")
        else:
            actual = _text(av) or band or (_fmt(rate * 100) + "%" if rate is not None else None)
    else:
        t, h, a = dec_or_none(tv), dec_or_none(th), dec_or_none(av)
        if t is None:
            target = _text(tv)
        elif direction == "区间" and h is not None:
            target = f"{_value_text(tv, unit)}-{_value_text(th, unit)}"
        else:
            op = symbol if symbol in (">", "<") else {"正向": "≥", "反向": "≤", "等于": "=", "区间": "="}[direction]
            target = op + _value_text(tv, unit)
        actual = _value_text(av, unit) if a is not None else _text(av)
        band = rate = None
    if isinstance(tv, Percent) or isinstance(av, Percent):
        unit = "%"
    # the 定性档次 and 得分率 the user chose win over the text (as in the template's formula)
    return {"target": target, "actual": actual, "direction": direction, "unit": unit or None,
            "band": band, "rate": rate}


def read_template(path: str | os.PathLike | None, grids: list[Grid], defined_names: dict[str, str],
                  template_id: str, on_disk: bool = True) -> Evaluation:
    """Evaluation of a workbook built from our template ``template_id`` (see module doc).
    ``on_disk``: ``path`` is the file the grids came from (its formulas are checked)."""
    meta_grid = next((g for g in grids if g.name == META_SHEET), None)
    meta = read_meta(meta_grid) if meta_grid is not None else TemplateMeta()
    spec = template_spec(meta, template_id, path)
    cells = _Cells(path, grids, defined_names, spec)
    ev = Evaluation(source=str(path) if path is not None else None, layout=spec["id"], sheet=spec["sheet"],
                    project=Project(), budget=Budget())
    _read_meta(ev, spec, meta, grids, path if on_disk else None)
    flist = fields(spec)
    rows: dict[str, BudgetRow] = {}
    derived: dict[str, list[str]] = {c["key"]: c["sum_of"] for c in spec.get("cells", []) if c.get("sum_of")}
    values_by_key: dict[str, Any] = {}
    for f in flist:
        if f.table or not f.key or not f.name:
            continue
        grid, r, c, _ = cells.locate(f.name)
        ref = grid.ref(r, c)
        v = grid.value(r, c)
        values_by_key[f.key] = (v, ref)
    for key, parts in derived.items():           # formula totals without a cached value: add the inputs
        v, ref = values_by_key.get(key, (None, None))
        if is_blank(v):
            nums = [dec_or_none(values_by_key.get(p, (None, None))[0]) for p in parts]
            if any(n is not None for n in nums):
                values_by_key[key] = (sum((n for n in nums if n is not None), Decimal(0)), ref)
    for key, (v, ref) in values_by_key.items():
        _assign(ev, key, v, ref, rows, cells.path, spec)
    ev.budget.rows = [row for row in rows.values() if any(v is not None for v in row.values.values())]
    hidden: list[str] = []
    for t in spec.get("tables", []):
        cols = [f for f in flist if f.table == t["id"] and f.key and f.name]
        items = []
        for i, _r in enumerate(table_rows(t)):
            row: dict[str, Any] = {}
            refs: dict[str, str] = {}
            for f in cols:
                grid, r0, c0, _n = cells.locate(f.name)
                row[f.key] = _percent_cell(grid, r0 + i, c0, grid.merged_value(r0 + i, c0))
                refs[f.key] = grid.ref(r0 + i, c0)
            if all(is_blank(row[f.key]) for f in cols if f.is_input):
                continue
            if cols and (r0 + i) in grid.hidden_rows:     # a row the clerk hid: not counted, said so
                hidden.append(next(iter(refs.values())))
                continue
            items.append((row, refs))
        if t.get("row_kind") == "indicator" or t["key"] == "indicators":
            for row, refs in items:
                ev.indicators.append(_indicator(row, refs, t, cells.path))
        else:
            ev.extra[t["key"]] = [{**row, "cells": refs} for row, refs in items]
    if hidden:
        ev.findings.append(Finding("hidden-rows-skipped", "info", hidden[0],
                                   f"跳过了 {len(hidden)} 行隐藏行（第一行在 {hidden[0]}），"
                                   "隐藏行中的指标未计入；如需计入请取消隐藏"))
    return ev


def template_spec(meta: TemplateMeta, template_id: str, path: Any = None) -> dict[str, Any]:
    """The spec a workbook of ours is read and filled by: the layout it carries (a province's
    table, ``workbook_templates.layout``), else the shipped template ``template_id``. An embedded
    layout that cannot be used is a ReadError: reading by another table's cells would misread."""
    if meta.layout_data is not None and meta.layout_data.get("id") == template_id:
        return meta.layout_data
    if meta.layout_error or meta.layout_data is not None:
        why = meta.layout_error or f"内嵌表样属于模板“{meta.layout_data.get('id')}”，与 _meta 的“{template_id}”不符"
        raise ReadError(f"无法按模板读取：{why}。请使用财政局下发的原模板重新填报",
                        file=str(path) if path is not None else None)
    return load_spec(template_id)


def _read_meta(ev: Evaluation, spec: dict[str, Any], meta: TemplateMeta, grids: list[Grid], path: Any) -> None:
    """The ``_meta`` part: ``ev.extra["template"]`` (id, version, layout, profile, checksum, pack),
    the embedded profile (``ev.extra["template_profile"]``, a checked ``Profile``) and, when
    protected cells, the embedded profile or layout no longer match the checksum, a
    ``template-altered`` finding."""
    ev.extra["template"] = {"id": spec["id"], "title": spec["title"], "kind": spec.get("kind"),
                            "version": meta.version, "spec_version": spec["version"],
                            "layout": spec.get("layout"),
                            "profile": meta.profile_id, "profile_version": meta.profile_version,
                            "checksum": meta.checksum, "pack": meta.pack}
    ev.extra["profile"] = meta.profile_id or spec.get("profile")   # a name, never loaded as a path
    prof = embedded_profile(meta)
    if prof is not None:
        ev.extra["template_profile"] = prof
    sheet = next((g for g in grids if g.name == spec["sheet"]), None)
    problem = check_integrity(meta, sheet, path) if sheet is not None else None
    if problem is None and meta.profile_error:
        problem = meta.profile_error
    if problem:
        ev.extra["template"]["altered"] = problem
        ev.findings.append(Finding("template-altered", "error", f"{META_SHEET}!A1",
                                   f"模板被改动：{problem}。请使用财政局下发的原模板重新填报，或核实改动"))


def _label(v: Any) -> str | None:
    """An indicator label without line breaks and the "（8分）" weight note of the 计分表."""
    t = _text(v)
    if t is None:
        return None
    return _WEIGHT_NOTE.sub("", "".join(t.split())) or None


def _indicator(row: dict[str, Any], refs: dict[str, str], table: dict[str, Any], path: str | None) -> Indicator:
    ind = Indicator(level1=_label(row.get("level1")), level2=_label(row.get("level2")), name=_label(row.get("name")),
                    weight=_num(row.get("weight"), refs.get("weight", ""), path),
                    score=_num(row.get("score"), refs.get("score", ""), path),
                    reason=_text(row.get("reason")))
    if table.get("row_kind") == "indicator":
        parts = indicator_from_row(row, refs.get("direction"), path)
        ind.target, ind.actual, ind.direction, ind.unit = parts["target"], parts["actual"], parts["direction"], parts["unit"]
        ind.band, ind.band_rate = parts["band"], parts["rate"]
    else:
        ind.target, ind.actual = _text(row.get("target")), _text(row.get("actual"))
    ind.header_unit = unit_in_name(ind.name)
    ind.cell = refs.get("name") or next(iter(refs.values()), None)
    ind.cells = dict(refs)
    return ind


_WEIGHT_NOTE = re.compile(r"[（(]\s*[\d.]+\s*分\s*[）)]")
_PROJECT = {"name", "department", "unit", "goal", "goal_actual"}
_BUDGET = {"initial", "adjusted", "available", "executed", "rate", "weight", "score"}
_BUDGET_ROW_COLS = {"initial": "年初预算数", "adjusted": "全年预算数", "executed": "全年执行数"}


def _assign(ev: Evaluation, key: str, v: Any, ref: str, rows: dict[str, BudgetRow], path: str | None,
            spec: dict[str, Any]) -> None:
    head, _, rest = key.partition(".")
    if head == "project" and rest == "year":
        n = _num(v, ref, path)
        ev.project.year = int(n) if n is not None else None
        ev.project.cells["year"] = ref
    elif head == "project" and rest in _PROJECT:
        setattr(ev.project, rest, _text(v))
        ev.project.cells[rest] = ref
    elif head == "budget" and rest in _BUDGET:
        setattr(ev.budget, rest, _num(v, ref, path))
        ev.budget.cells[rest] = ref
        total_row = spec.get("budget_total_row")
        if total_row and rest in _BUDGET_ROW_COLS:
            row = rows.setdefault(total_row, BudgetRow(label=total_row, is_total=True))
            row.values[_BUDGET_ROW_COLS[rest]] = ev.budget.__dict__[rest]
            row.cells[_BUDGET_ROW_COLS[rest]] = ref
    elif head == "budget_row":
        label, _, col = rest.partition(".")
        code = spec.get("budget_row_codes", {}).get(label)
        row = rows.setdefault(label, BudgetRow(label=label, code=code, is_component=code is None))
        row.values[col] = _num(v, ref, path) if not isinstance(v, str) or dec_or_none(v) is not None else None
        row.cells[col] = ref
    elif key == "total_score":
        ev.total_score = _num(v, ref, path)
        ev.cells["total_score"] = ref
    elif key == "grade":
        ev.grade = _text(v)
        ev.cells["grade"] = ref
    elif key == "weights_total":
        ev.weights_total = _num(v, ref, path)
        ev.cells["weights_total"] = ref
    else:                                   # layout-specific data (department figures, …)
        name = key.split(".", 1)[1] if head in ("extra", "figures") else key
        ev.extra.setdefault("fields", {})[name] = v
        ev.extra.setdefault("cells", {})[name] = ref


def read_template_file(path: str | os.PathLike) -> Evaluation:
    """Read one of our templates from disk with openpyxl (cached values only)."""
    from .loaders import load_openpyxl

    book = load_openpyxl(path)
    meta = book.grid("_meta")
    if meta is None or meta.value(0, 0) != "template_id":
        raise ReadError("不是本工具生成的模板（缺少 _meta 工作表）", file=str(path))
    return read_template(path, book.grids, book.defined_names, str(meta.value(0, 1)))


