"""The 指标 table: one Indicator per row, the 预算执行率 line into the budget, subtotals and the
总分/评价等级 rows."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from udfs import InputError
from udfs.parse import parse_quantity

from ..grid import Grid
from ..model import Evaluation, Finding, Indicator
from .cells import (
    _LINE_BREAK,
    _SPACE,
    _col,
    _Ctx,
    _float,
    _grid_index,
    _is_number,
    _label,
    _match,
    _rate,
    _ref,
    cell_text,
    merged_anchor,
    norm,
)
from .header_map import _points
from .row_roles import (
    _category_subtotal,
    _indicators_follow,
    _part_re,
    all_not_applicable,
    footer_text,
    points_among,
    strip_part,
    value_cells,
)
from .vocabulary import headers

_HEADER_UNIT = re.compile(r"[（(]([^（）()\d]{1,7})[)）]\s*$")
_EMPTY_RUN = 30  # consecutive empty rows that end a table


def _read_indicators(ctx: _Ctx, g: Grid, hr: int, cols: dict[str, int]) -> None:
    h = headers()
    ev = ctx.ev
    placeholder = re.compile(h["placeholder_pattern"])
    prefix = re.compile(h["name_prefix_pattern"])
    footer = re.compile(h["footer_pattern"])
    subtotal = re.compile(h["subtotal_pattern"])
    stop = tuple(h["stop_labels"])
    groups: dict[str, Any] = {}
    last1 = last2 = section = None
    empty = 0
    name_c = cols["name"]
    roles = ev.recognition.rows if ev.recognition is not None else []
    part_re = _part_re()
    sheet_ref = _grid_index(g).prefix      # "Sheet!" as _ref writes it

    def role(r: int, what: str, text: str | None) -> dict[str, Any]:
        """One row's role in the recognition record (``row_roles`` says what each means): the
        row, its 三级指标 cell, the text without Alt+Enter line breaks."""
        entry = {"row": r + 1, "cell": _ref(g, r, name_c), "role": what,
                 "text": _LINE_BREAK.sub("", text).strip() if text is not None else None}
        roles.append(entry)
        return entry

    last_indicator: str | None = None
    for r in range(hr + 1, len(g.rows)):
        row_texts = [norm(v) for v in g.rows[r][:name_c + 1] if v is not None and v != ""]
        stop_text = next((t for t in row_texts if t and t.startswith(stop)), None)
        # the categories above already closed with this same label ("合计"), not with "小计" rows
        same_closes = stop_text is not None and any(
            sub["label"].endswith(stop_text) for sub in ev.extra.get("subtotals", []))
        if stop_text is not None and (
                _category_subtotal(g, r, cols, stop)
                or _indicators_follow(g, r, cols, stop, after_subtotal=same_closes)):
            level1 = _label(g, r, cols.get("level1")) or last1     # no 一级 column: the section title's
            label = f"{level1 or ''}{next(t for t in row_texts if t.startswith(stop))}"
            ev.extra.setdefault("subtotals", []).append(
                {"label": label, **_subtotal_cells(ctx, g, r, cols, _points(level1)[0])})
            role(r, "subtotal", label)
            continue
        if any(t and t.startswith(stop) for t in row_texts):
            role(r, "total", next(t for t in row_texts if t.startswith(stop)))
            ev.extra["total_row"] = _ref(g, r, name_c)
            ev.total_score = ctx.points(g, r, cols.get("score"), "总分")
            ev.weights_total = ctx.points(g, r, cols.get("weight"), "分值合计")
            if ev.weights_total is not None:
                ev.cells["weights_total"] = _ref(g, r, cols["weight"])
            if ev.total_score is not None and cols.get("score") is not None:
                ev.cells["total_score"] = _ref(g, r, cols["score"])
            _read_grade(ev, g, r, r + 3)
            break
        if not any(g.value(r, c) is not None for c in cols.values()):
            empty += 1
            if empty >= _EMPTY_RUN:
                break
            continue
        empty = 0
        values = value_cells(g, r, cols)
        if values[2] is None and values[3] is None and footer_text(g, r, footer):   # role "footer" (row_roles)
            role(r, "footer", next((v for v in g.rows[r] if isinstance(v, str) and v.strip()), None))
            break       # "注：…", "填表人：张三": the lines under the table (no 总分 row above them)
        raw_name = cell_text(g, r, name_c)
        if raw_name is None and any(g.value(r, cols[f]) is not None for f in ("weight", "score") if f in cols):
            ar, ac = merged_anchor(g, r, name_c)      # "预算执行率" merged across 一级:三级 on a row with points
            if ar == r and ac < name_c and isinstance(g.value(ar, ac), str):
                raw_name = g.value(ar, ac).strip() or None
        name_n = norm(raw_name)
        if _match(name_n, h["indicator_columns"]) == "name":
            role(r, "header", raw_name)
            continue  # a repeated header row
        if "level1" not in cols:
            # Tables split by section titles ("（二）项目产出情况") carry the 一级指标 in the title.
            filled = [v for v in g.rows[r] if v is not None]
            if len(filled) == 1 and isinstance(filled[0], str) and not raw_name:
                sec = next((lab for key, lab in h["section_level1"] if key in filled[0]), None)
                if sec:
                    section, last1, last2 = sec, sec, None
                    role(r, "section", filled[0])
                    continue
            l1 = section
        else:
            l1 = _label(g, r, cols.get("level1")) or last1
        own2 = _label(g, r, cols.get("level2"))
        l2 = own2 or (last2 if l1 == last1 else None)
        if l1 != last1 and own2 is None:
            l2 = None
        last1, last2 = l1, l2
        if ctx.skip_hidden(g, r, name_c):
            if any(v is not None and v != "" for v in g.rows[r]):
                role(r, "hidden", raw_name)
            continue    # after the 一级/二级 carry-over: a hidden row may hold the category's label
        points = points_among(values)
        if not raw_name or (placeholder.match(name_n) and not points):
            if raw_name or points:
                role(r, "placeholder", raw_name)
            continue
        # line breaks typed with Alt+Enter; "指标1：" before the name; a bare "指标2" that carries
        # points keeps its name (an indicator, whose name is missing)
        name = _LINE_BREAK.sub("", prefix.sub("", raw_name)).strip() or _LINE_BREAK.sub("", raw_name).strip()
        if subtotal.search(name_n):
            # "产出指标小计": a category subtotal, not an indicator (kept for reference)
            ev.extra.setdefault("subtotals", []).append(
                {"label": name, **_subtotal_cells(ctx, g, r, cols, _points(l1)[0])})
            role(r, "subtotal", name)
            continue
        if not points and part_re.match(name_n):        # role "part" (row_roles)
            role(r, "part", name)["of"] = last_indicator   # "其中：…" without 分值: not an indicator
            continue
        if all_not_applicable(values):                   # role "not-applicable" (row_roles)
            role(r, "not-applicable", name)              # every value cell "/": does not apply
            continue
        name = strip_part(name) if points else name
        l1c, l1pts = _points(l1)
        l2c, l2pts = _points(l2)
        name_c_, name_pts = _points(name)
        if l1pts is not None:
            groups.setdefault(l1c, {"weight": l1pts, "level2": {}})
            if l2pts is not None:
                groups[l1c]["level2"][l2c] = l2pts
        # The 预算执行率 line is the budget part — unless it sits under 产出/效益/满意度, where a
        # unit may have set it as an ordinary indicator (e.g. a 时效指标).
        in_outputs = any(k in (l1c or "") for k in h["performance_level1"])
        is_budget = not in_outputs and (any(s in norm(name_c_) for s in h["budget_indicator_names"])
                                        or any(s in (l1c or "") for s in h["budget_indicator_level"]))
        weight = ctx.points(g, r, cols.get("weight"), "分值") if "weight" in cols else None
        if weight is None and name_pts is not None:
            weight = name_pts
        score = ctx.points(g, r, cols.get("score"), "得分")
        completion = ctx.number(g, r, cols.get("completion"), "完成率")
        reason = cell_text(g, r, cols["reason"]) if "reason" in cols else None
        row_no = r + 1
        ref = {f: f"{sheet_ref}{_col(c)}{row_no}" for f, c in cols.items() if f not in ("level1", "level2")}   # _ref
        if is_budget and ev.budget.weight is not None:
            # 预算执行率 is already weighted in the funds block: a second weighted line is the
            # sheet's own duplication — not an indicator; say where it is.
            ev.extra["budget_indicator_cell"] = _ref(g, r, name_c)
            ev.findings.append(Finding("duplicate-budget-row", "warning", _ref(g, r, name_c),
                                       "预算执行率已在“项目资金”部分计分，指标表中又列了一行，未计入指标"))
            role(r, "duplicate-budget", name)
            b = ev.budget
            if reason and not b.reason and "reason" in cols:
                ev.extra["budget_row_reason"] = (reason, _ref(g, r, cols["reason"]))
            continue
        if is_budget and ev.budget.weight is None:
            b = ev.budget
            b.weight, b.score = weight, score
            actual_rate = None
            actual_txt = cell_text(g, r, cols.get("actual")) if "actual" in cols else None
            if actual_txt:
                try:
                    q = parse_quantity(actual_txt)
                    actual_rate = q.value if q is not None and q.is_percent else None
                except InputError:
                    actual_rate = None
            rate = _rate(completion) if completion is not None else actual_rate
            if rate is not None:
                b.rate = rate
            b.reason = b.reason or reason
            for f, key in (("weight", "weight"), ("score", "score"), ("completion", "rate"), ("reason", "reason")):
                if f in cols:
                    b.cells[key] = _ref(g, r, cols[f])
            if "rate" not in b.cells and "actual" in cols:
                b.cells["rate"] = _ref(g, r, cols["actual"])
            ev.extra.setdefault("budget_indicator_cell", _ref(g, r, name_c))
            ev.extra.setdefault("budget_level1", l1c)
            role(r, "budget", name)
            continue
        ind = Indicator(level1=l1c, level2=l2c, name=name_c_, weight=weight, score=score,
                        completion_stated=completion, reason=reason, cell=_ref(g, r, name_c), cells=ref)
        target = cell_text(g, r, cols["target"]) if "target" in cols else None
        actual = cell_text(g, r, cols["actual"]) if "actual" in cols else None
        unit = cell_text(g, r, cols["unit"]) if "unit" in cols else None
        nature = cell_text(g, r, cols["nature"]) if "nature" in cols else None
        stated = cell_text(g, r, cols["direction"]) if "direction" in cols else None
        sign = ""       # 指标性质/指标方向 "≥" or "大于等于" before a bare number target: "≥28"
        if nature or stated:
            direction = _direction(ctx, g, r, cols, ind, nature, stated)
            ind.direction = direction
            if target is not None and direction not in ("定性", None) and _is_number(target):
                sign = _SIGNS.get(norm(stated or nature), "") or (_WORD_SIGNS.get(norm(stated), "") if stated else "")
        if target is not None:      # the 度量单位 joins every number target, as it joins the actual
            target = f"{sign}{_with_unit(target, unit)}"
        if actual is not None:
            actual = _with_unit(actual, unit)
        ind.target, ind.actual, ind.unit = target, actual, unit
        m = _HEADER_UNIT.search(name_c_ or "")
        if m and ("/" in m.group(1) or len(m.group(1)) <= 3):
            ind.header_unit = m.group(1)
        if "explain" in cols or "note" in cols:
            ind_extra = {k: cell_text(g, r, cols[k]) for k in ("explain", "note") if k in cols}
            ev.extra.setdefault("indicator_notes", {})[ind.cell] = ind_extra
        ev.indicators.append(ind)
        last_indicator = ind.cell
        role(r, "indicator", name)
    if groups:
        ev.extra["groups"] = {k: {"weight": float(v["weight"]),
                                  "level2": {a: float(b) for a, b in v["level2"].items()}}
                              for k, v in groups.items()}


_SIGNS = {"≥": "≥", "≤": "≤", "=": "=", ">": ">", "<": "<", ">=": "≥", "<=": "≤", "≧": "≥", "≦": "≤"}
_WORD_SIGNS = {"大于等于": "≥", "不低于": "≥", "小于等于": "≤", "不高于": "≤", "等于": "=", "大于": ">", "小于": "<"}
_OPPOSITE = {"正向", "反向"}       # 正向 with 小于等于, or 反向 with 大于等于


def _direction(ctx: _Ctx, g: Grid, r: int, cols: dict[str, int], ind: Indicator,
               nature: str | None, stated: str | None) -> str | None:
    """The direction from 指标性质 and a 指标方向 column (大于等于/小于等于/等于). Unknown words are
    ``unknown-nature``; a 指标方向 contradicting 指标性质 (正向 + 小于等于) is
    ``direction-contradicts-nature`` — the explicit comparison of 指标方向 is then used, and said so."""
    known = headers()["nature_directions"]
    found: dict[str, str | None] = {}
    for fld, text, what in (("nature", nature, "指标性质"), ("direction", stated, "指标方向")):
        if not text:
            continue
        key = norm(text)
        if key not in known:
            ctx.ev.findings.append(Finding("unknown-nature", "warning", _ref(g, r, cols[fld]),
                                           f"{what}“{text}”无法识别（可用：≥ ≤ = 区间 定性）"))
        found[fld] = known.get(key)
    nat, dirn = found.get("nature"), found.get("direction")
    if {nat, dirn} == _OPPOSITE:
        ctx.ev.findings.append(Finding(
            "direction-contradicts-nature", "warning", _ref(g, r, cols["direction"]),
            f"指标“{ind.name}”的指标性质“{nature}”（{nat}）与指标方向“{stated}”（{dirn}）矛盾；"
            f"按指标方向“{stated}”计分，请核实"))
    return dirn or nat


def _with_unit(text: str, unit: str | None) -> str:
    """A number from the 指标值/实际值 column with the 度量单位 column's unit: 18 + 万人 → '18万人';
    '95%' under unit % stays '95%' (the unit already written in the cell)."""
    if not unit or not _is_number(text):
        return text
    if unicodedata.normalize("NFKC", text).strip().endswith(unicodedata.normalize("NFKC", unit).strip()):
        return text
    return f"{text}{unit}"


def _subtotal_cells(ctx: _Ctx, g: Grid, r: int, cols: dict[str, int], level1: str | None) -> dict[str, Any]:
    """A category subtotal row's figures for ``extra["subtotals"]``: cell (三级指标 column),
    weight/score (floats or None), their cells, and the 一级指标 it sits under (as Indicator.level1)."""
    w, s = cols.get("weight"), cols.get("score")
    return {"cell": _ref(g, r, cols["name"]),
            "weight": _float(ctx.points(g, r, w, "分值")),
            "score": _float(ctx.points(g, r, s, "得分")),
            "weight_cell": _ref(g, r, w) if w is not None else None,
            "score_cell": _ref(g, r, s) if s is not None else None,
            "level1": level1}



# A grade legend beside the label ("优≥90　良≥80…", "90分以上为优") is not the stated grade.
_GRADE_LEGEND = re.compile(r"[≥≤<>＜＞]|以上|以下")


def _read_grade(ev: Evaluation, g: Grid, r1: int, r2: int) -> None:
    """The stated 评价等级: "评价等级：优" in one cell, or the first text right of the label."""
    labels = headers()["grade_labels"]
    for r in range(r1, min(r2 + 1, len(g.rows))):
        for c in range(len(g.rows[r])):
            raw = g.value(r, c)
            key, sep, inline = _SPACE.sub("", unicodedata.normalize("NFKC", str(raw or ""))).partition(":")
            if sep and inline and norm(key) in labels:      # "评价等级：优" in one cell
                ev.grade = inline
                ev.cells["grade"] = _ref(g, r, c)
                return
            t = norm(raw)
            if t in labels:
                for c2 in range(c + 1, len(g.rows[r])):
                    v = g.value(r, c2)
                    if isinstance(v, str) and v.strip() and norm(v) not in labels and not _GRADE_LEGEND.search(v):
                        ev.grade = v.strip()
                        ev.cells["grade"] = _ref(g, r, c2)
                        return
