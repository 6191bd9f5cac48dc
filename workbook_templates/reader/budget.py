"""The budget block: the 项目资金（万元） block of the 自评表, or a 预算执行情况表 with 行次 (1)…(7)."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from ..grid import Grid
from ..model import BudgetRow
from .cells import (
    _SPACE,
    _code,
    _Ctx,
    _is_number,
    _key,
    _match,
    _rate,
    _ref,
    _reverse,
    cell_text,
    merged_anchor,
    merged_value,
    norm,
)
from .header_map import _header_map, describe_columns
from .money import find_money_unit, money
from .vocabulary import headers

MONEY_FIELDS = ("initial", "adjusted", "available", "executed")

_CODE = re.compile(r"^\(\d+\)")


def _read_funds_block(ctx: _Ctx, g: Grid) -> bool:
    """项目资金（万元） block: header 年初预算数/全年预算数/全年执行数/分值/执行率/得分, rows 年度资金总额 / 其中…"""
    h = headers()
    for r in range(len(g.rows)):
        cols = _header_map(g, r, h["funds_columns"])
        if sum(k in cols for k in ("initial", "adjusted", "executed")) < 2:
            continue
        first_val = min(cols.values())
        b = ctx.ev.budget
        value_cols = [c for f, c in cols.items() if f in MONEY_FIELDS]
        unit, unit_from = find_money_unit(g, r, value_cols)
        found: list[tuple[int, int, BudgetRow]] = []      # (row, label column, row read)
        for rr in range(r + 1, min(r + 10, len(g.rows))):
            if ctx.skip_hidden(g, rr, first_val):
                continue
            texts = [norm(g.value(rr, c)) for c in range(first_val) if isinstance(g.value(rr, c), str)]
            texts = [t for t in texts if t]
            if not texts or any(t.startswith(s) for t in texts for s in h["section_labels"]):
                break
            lc = next(c for c in range(first_val - 1, -1, -1)
                      if isinstance(g.value(rr, c), str) and g.value(rr, c).strip())
            label = _SPACE.sub("", g.value(rr, lc))
            lab = norm(label)
            row = BudgetRow(label=label,
                            is_total=any(lab.startswith(s) for s in h["funds_total_labels"]),
                            is_component=lab.startswith("其中") or any(s in lab for s in h["funds_component_labels"]))
            has_number = any(isinstance(g.value(rr, c), (int, float, Decimal)) for c in value_cols)
            if not (row.is_total or row.is_component or has_number):
                break                                   # past the funds rows
            for fld, c in cols.items():
                if fld in MONEY_FIELDS or fld == "rate":
                    col = norm(g.value(r, c))          # values keyed by the column's header text
                    row.values[col] = (money(ctx, g, rr, c, f"{label}的{col}", unit) if fld != "rate"
                                       else _rate(ctx.number(g, rr, c, f"{label}的{col}")))
                    row.cells[col] = _ref(g, rr, c)
                    row.fields[fld] = col
            found.append((rr, lc, row))
        if not found:
            return False
        tr, _, total = next((f for f in found if f[2].is_total), found[0])
        b.rows.extend(row for *_, row in found)
        b.unit = unit
        if "reason" in cols:
            b.reason = cell_text(g, tr, cols["reason"])
            b.cells["reason"] = _ref(g, tr, cols["reason"])
        _record_budget(ctx, g, r, cols, "项目资金表（年初预算数/全年预算数/全年执行数）", unit, unit_from,
                       found, first_val)
        for fld in ("initial", "adjusted", "available", "executed"):
            if fld in cols:
                col = norm(g.value(r, cols[fld]))
                setattr(b, fld, total.values[col])
                b.cells[fld] = total.cells[col]
        b.weight = ctx.points(g, tr, cols.get("weight"), "预算执行率分值")
        b.rate = total.values.get(total.fields["rate"]) if "rate" in cols else None
        b.score = ctx.points(g, tr, cols.get("score"), "执行得分")
        for fld in ("weight", "rate", "score"):
            if fld in cols:
                b.cells[fld] = _ref(g, tr, cols[fld])
        ctx.ev.extra["funds_sheet"] = g.name
        return True
    return False


def _read_budget_rows(ctx: _Ctx, g: Grid) -> bool:
    """预算执行情况表 with 行次 (1)…(7): rows by label, values by column; Budget from 年度总金额."""
    h = headers()
    label_c = None      # set when the rows are found by their labels (no "(1)" 行次 codes)
    # The first cell reading "(1)" in reading order (first six columns) is the 行次 of row (1).
    hit = next(((r, c) for r, cells in enumerate(g.rows) for c, v in enumerate(cells[:6])
                if isinstance(v, str) and _code(v) == "(1)"), None)
    if hit is not None:
        first, code_c = hit
    else:
        found = _budget_rows_by_label(g, h["budget_row_labels"])
        if found is None:
            return False
        first, label_c, code_c = found
    # Column labels from up to two header rows above the first data row (merged parents kept).
    labels: dict[int, str] = {}
    for c in range(code_c + 1, g.ncols):       # columns past the header rows have no label: skipped
        if merged_anchor(g, first - 1, c)[1] < c:
            continue        # a header merged across columns names one column: its amounts are in the left one
        child = merged_value(g, first - 1, c)       # rows above the grid read blank
        parent = merged_value(g, first - 2, c)
        lab = norm(child) if child is not None else norm(parent)
        if parent is not None and child is not None and norm(child) in ("小计", "合计") :
            lab = norm(parent) + norm(child)
        if lab and lab not in h["budget_text_columns"]:     # a 备注 column holds words, not amounts
            labels[c] = lab
    value_c = next((c for c, lab in labels.items() if lab in h["budget_value_columns"]), min(labels, default=None))
    b = ctx.ev.budget
    unit, unit_from = find_money_unit(g, first - 1, list(labels))
    start = len(b.rows)
    rows_map = h["budget_row_labels"]
    for r in range(first, min(first + 12, len(g.rows))):
        if ctx.skip_hidden(g, r, code_c):
            continue
        code = g.value(r, code_c)
        if label_c is None:
            if not (isinstance(code, str) and _CODE.match(_code(code))):
                break
            label_v = next((g.value(r, c) for c in range(code_c - 1, -1, -1) if g.value(r, c) is not None), None)
        else:
            label_v = g.value(r, label_c)
            if not isinstance(label_v, str) or not label_v.strip() or \
                    not any(isinstance(g.value(r, c), (int, float, Decimal)) or
                            (isinstance(g.value(r, c), str) and _is_number(g.value(r, c))) for c in labels):
                break
            code = _plain_code(code) if code_c != label_c else None
        label = _SPACE.sub("", str(label_v)) if label_v is not None else ""
        row = BudgetRow(label=label, code=str(code).strip() if code is not None else None, is_total=False)
        for c, lab in labels.items():
            row.values[lab] = money(ctx, g, r, c, f"{label}{lab}", unit)
            row.cells[lab] = _ref(g, r, c)
        b.rows.append(row)
        fld = _match(norm(label), rows_map)
        if fld and value_c is not None:
            val = row.values.get(labels[value_c])
            if fld == "rate":
                if val is not None:         # "预算执行率(%)" holds percent points; else as cells._rate reads it
                    val = val / 100 if "%" in label else _rate(val)
                if b.rate is None:
                    b.rate = val
                    b.cells["rate"] = _ref(g, r, value_c)
            elif getattr(b, fld) is None:
                setattr(b, fld, val)
                b.cells[fld] = _ref(g, r, value_c)
    ctx.ev.extra["budget_sheet"] = g.name
    if len(b.rows) > start:
        b.unit = b.unit or unit
        rec = ctx.ev.recognition
        if rec is not None and not rec.has_budget():
            rows = b.rows[start:]
            rec.budget = lambda: {
                "source": "预算执行情况表（行次(1)…(7)）", "sheet": g.name,
                "cell": _ref(g, first, code_c), "unit": unit, "unit_from": unit_from,
                "columns": [{"label": lab, "cell": _ref(g, max(first - 1, 0), c)} for c, lab in labels.items()],
                "rows": [{"label": row.label, "code": row.code} for row in rows]}
    return bool(b.rows)


def _record_budget(ctx: _Ctx, g: Grid, r: int, cols: dict[str, int], source: str, unit: str, unit_from: str,
                   found: list[tuple[int, int, BudgetRow]], first_val: int) -> None:
    """The budget part of the recognition record: where the funds table is, its columns and rows
    (each by its label's cell, as indicator rows are by their name's)."""
    rec = ctx.ev.recognition
    if rec is None:
        return
    rec.budget = lambda: {
        "source": source, "sheet": g.name, "cell": _ref(g, r, first_val), "unit": unit,
        "unit_from": unit_from, "columns": describe_columns(g, r, cols, "funds_columns"),
        "rows": [{"label": row.label, "cell": _ref(g, rr, lc),
                  "role": "total" if row.is_total else ("part" if row.is_component else "row")}
                 for rr, lc, row in found]}


def _budget_rows_by_label(g: Grid, rows_map: dict[str, list[str]]) -> tuple[int, int, int] | None:
    """预算执行情况表 without "(1)" codes: the first row labelled 年初预算资金/全年预算资金 (first six
    columns) with numbers to its right → (row, label column, column the values follow: a 行次
    column of plain 1…7 right of the label, else the label column)."""
    rev = _reverse(rows_map)
    for r, cells in enumerate(g.rows):
        for c, v in enumerate(cells[:6]):
            if not isinstance(v, str) or rev.get(_key(v)) not in ("initial", "adjusted"):
                continue
            rest = cells[c + 1:]
            if not any(isinstance(x, (int, float, Decimal)) and not isinstance(x, bool) for x in rest):
                continue
            nxt = rest[0]           # rest holds a number, so it is not empty
            head = merged_value(g, r - 1, c + 1)        # None above the first row
            is_code = norm(head) == "行次" or (isinstance(nxt, str) and _plain_code(nxt) is not None)
            return r, c, (c + 1 if is_code else c)
    return None


def _plain_code(v: Any) -> str | None:
    """行次 written 1 / '1' / '（1）' → '(1)'; None for anything else."""
    t = _code(str(v))          # None / True read "None" / "True": no 行次
    if re.fullmatch(r"\d{1,2}", t):
        return f"({t})"
    return t if _CODE.match(t) else None
