"""Fill a template from data in DESIGN.md's JSON shape (`jixiao fill`).

Values go only into input cells, found through the spec's data keys; every derived cell stays a
native formula. Indicator rows are split the way the template's columns want them
(``indicator_cells``): a target like "≥43.2万元" becomes 指标性质 ≥ / 指标值 43.2 / 度量单位 万元,
the actual is put on the same scale (udfs.parse.align), and a qualitative actual such as
"达成预期指标" selects its band (udfs.parse.parse_band).
"""

from __future__ import annotations

import os
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl.utils.cell import range_boundaries

from udfs import InputError, load_profile
from udfs.evaluate import evaluate
from udfs.numbers import is_blank, to_decimal
from udfs.parse import (
    EQUAL,
    NEGATIVE,
    POSITIVE,
    QUALITATIVE,
    RANGE,
    Quantity,
    align,
    default_direction,
    parse_band,
    parse_direction,
    parse_quantity,
    parse_value,
)
from udfs.profile import Profile
from udfs.scoring import band_for_rate, completion_degree

from .builder import _styles, build_workbook, fit_row_heights, hide_unused_rows, load_spec, table_rows
from .errors import WriteError
from .fileio import atomic_path
from .grid import keep_text
from .model import unit_in_name

SYMBOL = {POSITIVE: "≥", NEGATIVE: "≤", EQUAL: "=", RANGE: "区间", QUALITATIVE: "定性"}
DIRECTION_OF_SYMBOL = {**{v: k for k, v in SYMBOL.items()}, ">": POSITIVE, "<": NEGATIVE}
STRICT_SYMBOL = {(POSITIVE, ">"): ">", (NEGATIVE, "<"): "<"}      # ">95%": met only above 95%


def _plain(d: Decimal | None) -> int | float | None:
    """A Decimal as the number a cell should hold (int when integral)."""
    if d is None:
        return None
    d = d.normalize()
    return int(d) if d == d.to_integral_value() else float(d)


def _cell_value(v: Any) -> Any:
    if isinstance(v, Decimal):
        return _plain(v)
    return v


def _quantity(x: Any, profile: Profile) -> Quantity | None:
    if is_blank(x):
        return None
    try:
        return parse_quantity(x, profile)
    except InputError:
        return None


def indicator_cells(item: dict[str, Any], profile: Profile) -> dict[str, Any]:
    """One indicator (DESIGN.md JSON) → the values of the template's indicator columns.

    Keys: level1, level2, name, direction (≥ ≤ = 区间 定性), target_value, target_high, unit,
    actual_value, band, rate, weight, reason. Same rules as udfs.scoring.indicator_score: a text
    actual naming a band under any target is scored as 定性; a number under a text target is the
    degree of completion (100 or 100% → full).
    """
    target, actual = item.get("target"), item.get("actual")
    out: dict[str, Any] = {k: item.get(k) for k in ("level1", "level2", "name", "reason")}
    out["weight"] = to_decimal(item.get("weight"), "分值") if not is_blank(item.get("weight")) else None
    direction = parse_direction(item.get("direction")) or default_direction(target, item.get("level2"), profile,
                                                                                 item.get("name"))
    t, a = _quantity(target, profile), _quantity(actual, profile)
    band = item.get("band")
    rate = to_decimal(item.get("rate"), "得分率") if not is_blank(item.get("rate")) else None
    if band is None and rate is None:
        share = rules_only_share(item, profile)
        if share is not None:
            # the formula cannot express this pair (a change, a date or deadline, 是/否, "无上访"):
            # a 定性 row holding the rules' 档次 and 得分率, so the printed 得分 is jixiao's
            out.update(direction=SYMBOL[QUALITATIVE], target_value=target, target_high=None, unit=item.get("unit"),
                       actual_value=actual, band=share[0], rate=_plain(share[1]))
            return out
    if direction != QUALITATIVE and t is not None and a is not None and _name_unit_differs(item, t, a, profile):
        # seed 004's 补助人数（人） 18 against 18.74万人: the name gives the target's unit; never move
        # the target into the actual's magnitude ("≥18万人") — both stay as written, the reader flags it
        out.update(direction=SYMBOL[direction if direction != RANGE else EQUAL], target_value=_plain(t.number),
                   target_high=None, unit=unit_in_name(item.get("name")), actual_value=str(actual).strip())
        return out
    if direction != QUALITATIVE and t is not None and (a is not None or is_blank(actual)):
        unit_q = t if not t.bare or a is None else a
        scale = unit_q.scale
        try:
            av, tv = align(a, t) if a is not None else (None, t.value)
        except InputError:                    # units disagree: keep the numbers as written
            av, tv, scale = (a.number if a else None), t.number, Decimal(1)
        symbol = SYMBOL[RANGE if (direction == RANGE and t.high is not None) else direction]
        op = parse_value(target, profile).op if isinstance(target, str) else None
        out.update(direction=STRICT_SYMBOL.get((direction, op or ""), symbol),
                   target_value=_plain(tv / scale),
                   target_high=_plain(t.high / scale) if (direction == RANGE and t.high is not None) else None,
                   unit=unit_q.unit or item.get("unit") or None,
                   actual_value=_plain(av / scale) if av is not None else None)
        return out
    # 定性 (or a quantitative target whose actual is a band word)
    out.update(direction=SYMBOL[QUALITATIVE], target_value=target, target_high=None,
               unit=item.get("unit"), actual_value=actual)
    explicit = rate is not None               # a chosen 得分率 must lie in its band (qualitative_score)
    if rate is not None and rate > 1:         # an explicit 得分率 of 90 means 90%
        rate = rate / 100
    if rate is None and a is not None:        # numeric actual: degree of completion
        rate = completion_degree(a)
    if rate is not None:
        rate = max(Decimal(0), min(Decimal(1), rate))
        band = parse_band(band, profile) if band else band_for_rate(rate, profile)
        low, high = next(((b.low, b.high) for b in profile.bands if b.band == band), (Decimal(0), Decimal(1)))
        if explicit and not low <= rate <= high:
            raise InputError(f"指标“{item.get('name')}”的得分率{rate:.0%}不在“{band}”档次的范围内（{low:.0%}–{high:.0%}）")
    elif not is_blank(actual):
        band = band or parse_band(actual, profile)
        if band is None:
            raise InputError(f"指标“{item.get('name')}”的实际值“{actual}”既不是数值也不是定性档次"
                             "（达成/部分达成/未达成），无法填入模板")
    elif band is not None:
        band = parse_band(band, profile) or band
    out.update(band=band, rate=_plain(rate) if rate is not None else None)
    return out


def rules_only_share(item: dict[str, Any], profile: Profile) -> tuple[str, Decimal] | None:
    """(档次, 得分率) the rules give a pair the template's formula cannot express — a change target
    ("增长10%"), a date or deadline ("2023年12月底前", "按期完成", a year "2021" against "2022年"), a
    是/否 answer, "无上访" under a count, an open range ("(95%,100%]") (``udfs.evaluate``) — or None
    (the formula scores it itself)."""
    target, actual = item.get("target"), item.get("actual")
    if is_blank(target) or is_blank(actual):
        return None
    t, a = parse_value(target, profile), parse_value(actual, profile)
    out = evaluate(t, a, profile, direction=parse_direction(item.get("direction")), level2=item.get("level2"),
                   name=item.get("name"))
    phrase_as_number = out.kind == "number" and a.kind in ("qualitative", "not-applicable") and out.band is None
    open_range = out.kind == "range" and (t.low_open or t.high_open)
    if out.status != "scored" or out.fraction is None or not (
            out.kind in ("change", "date", "deadline") or out.band_how == "yes-no" or phrase_as_number or open_range):
        return None
    share = max(Decimal(0), min(Decimal(1), out.fraction))
    band = out.band if out.band is not None and profile.band(out.band) is not None else band_for_rate(share, profile)
    return band, share


def _name_unit_differs(item: dict[str, Any], t: Quantity, a: Quantity, profile: Profile) -> bool:
    """The indicator's name states the target's unit ("补助人数（人）": a bare 18, or 18人) while the
    actual is the same kind of unit in another magnitude ("18.74万人"): aligning them would rewrite
    the target as "≥18万人"."""
    named = unit_in_name(item.get("name"))
    if not named or a.bare or not (is_blank(item.get("unit")) or str(item.get("unit")).strip() == named):
        return False
    q = _quantity(f"1{named}", profile)
    if q is None or q.bare:
        return False            # the bracket is not a unit ("补助人数（含残疾人）")
    if not t.bare and (t.base_unit != q.base_unit or t.scale != q.scale):
        return False            # the target says its own unit, not the name's
    same_kind = q.base_unit.startswith(a.base_unit) or a.base_unit.startswith(q.base_unit)   # 元 and 元/年
    return same_kind and q.scale != a.scale


def _get(data: dict[str, Any], key: str) -> Any:
    cur: Any = data
    for part in key.split("."):
        if not isinstance(cur, dict):
            return None
        cur = cur.get(part)
    return cur


def _budget_row_value(data: dict[str, Any], label: str, col: str) -> Any:
    for row in (data.get("budget") or {}).get("rows") or []:
        if (row.get("label") or "").strip() == label:
            vals = row.get("values") or {}
            return vals.get(col) if isinstance(vals, dict) else None
    return None


def _is_budget_item(item: dict[str, Any], profile: Profile) -> bool:
    return profile.level1_key(item.get("level1")) == "预算执行率" or (item.get("name") or "").strip() == "预算执行率"


def _normalize(data: dict[str, Any], spec: dict[str, Any], profile: Profile) -> dict[str, Any]:
    """Accept DESIGN.md JSON; a 预算执行率 row inside ``indicators`` becomes the budget's 分值."""
    data = dict(data)
    inds = data.get("indicators") or []
    budget = dict(data.get("budget") or {})
    if not isinstance(inds, list):
        return data                               # fill_workbook reports the shape error
    kept = []
    for item in inds:
        if isinstance(item, dict) and spec.get("budget_in_indicators") is not True and _is_budget_item(item, profile):
            if budget.get("weight") is None and item.get("weight") is not None:
                budget["weight"] = item["weight"]
            continue
        kept.append(item)
    table = data.get("budget_table")               # the fixtures' shape: columns + rows of values
    if table and not budget.get("rows"):
        cols = table.get("columns") or []
        budget["rows"] = [{"label": r.get("label"), "code": r.get("code"),
                           "values": dict(zip(cols, r.get("values") or [], strict=False))}
                          for r in table.get("rows") or []]
    by_code = {str(r.get("code") or "")[:3]: r for r in budget.get("rows") or []}
    for field, code in (("initial", "(1)"), ("adjusted", "(2)"), ("available", "(3)"), ("executed", "(4)")):
        vals = (by_code.get(code) or {}).get("values") or {}
        total = vals.get("年度总金额") if isinstance(vals, dict) else None
        if budget.get(field) is None and total is not None:
            budget[field] = total                 # rows (1)–(4) of a 预算执行情况表 give the totals
    data["indicators"] = kept
    data["budget"] = budget
    return data


def fill_workbook(template: str | dict[str, Any], data: dict[str, Any], profile: str | Profile | None = None):
    """The template's Workbook (a template id, or a resolved layout spec) with ``data`` written
    into its input cells."""
    spec = load_spec(template)
    prof = profile if isinstance(profile, Profile) else load_profile(profile or spec.get("profile", "cz2020-10"))
    return fill_book(build_workbook(spec, prof), spec, data, prof)


def workbook_spec(wb, template: str | dict[str, Any]) -> dict[str, Any]:
    """The spec of an openpyxl Workbook of ours: the layout its ``_meta`` carries (a province's
    table), else ``template``'s."""
    if isinstance(template, dict) or "_meta" not in wb.sheetnames:
        return load_spec(template)
    from .grid import Grid
    from .meta import read_meta
    from .template_reader import template_spec

    ws = wb["_meta"]
    grid = Grid("_meta", [list(r) for r in ws.iter_rows(max_row=min(ws.max_row, 40), values_only=True)])
    return template_spec(read_meta(grid), load_spec(template)["id"])


def fill_book(wb, template: str | dict[str, Any], data: dict[str, Any], profile: Profile):
    """Write ``data`` into the input cells of an openpyxl Workbook of template ``template`` (one
    just built, or a template file a unit received, e.g. from a template pack — filled by the
    layout it carries); returns it."""
    spec = workbook_spec(wb, template)
    prof = profile
    ws = wb[spec["sheet"]]
    styles = _styles()["styles"]
    data = _normalize(data, spec, prof)

    def is_input(style: str) -> bool:
        return bool(styles.get(style, {}).get("input"))

    for c in spec.get("cells", []):
        key = c.get("key")
        if not key or not is_input(c.get("style", "")):
            continue
        if key.startswith("budget_row."):
            _, label, col = key.split(".", 2)
            value = _budget_row_value(data, label, col)
        else:
            value = _get(data, key)
        if value is None:
            continue
        min_col, min_row, _, _ = range_boundaries(c["ref"])
        cell = ws.cell(row=min_row, column=min_col)
        cell.value = _cell_value(_number_if_numeric(value, c.get("style")))
        keep_text(cell)
    used: dict[str, int] = {}
    for t in spec.get("tables", []):
        items = next((_get(data, k) for k in t.get("data_keys", [t["key"]]) if _get(data, k)), None) or []
        rows = table_rows(t)
        for k in t.get("evaluation_keys", []):   # whole evaluations (DESIGN.md JSON) → one row each
            if _get(data, k):
                items = [_from_evaluation(e, t["from_evaluation"]) for e in _get(data, k)]
        if t.get("row_kind") == "fixed":         # preset rows (计分表): match the data by 指标名称
            items = _match_fixed(t, items, spec)
        if len(items) > len(rows):
            raise WriteError(f"“{spec['title']}”最多可填 {len(rows)} 行，数据有 {len(items)} 行；"
                             "请分表填写或联系维护人员扩展模板行数。")
        if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
            raise InputError(f"数据中的“{t['key']}”应为对象列表（[{{…}}, …]），格式见 DESIGN.md")
        for n, (r, item) in enumerate(zip(rows, items, strict=False), start=1):
            try:
                values = indicator_cells(item, prof) if t.get("row_kind") == "indicator" else item
            except InputError as exc:
                raise InputError(f"第{n}行“{item.get('name') or ''}”：{exc}") from None
            for col in t["columns"]:
                key = col.get("key")
                if not key or not is_input(col.get("style", "")):
                    continue
                value = values.get(key) if isinstance(values, dict) else None
                if value is None or value == "":
                    continue
                letter = col["col"].split(":")[0]
                cell = ws[f"{letter}{r}"]
                cell.value = _cell_value(_number_if_numeric(value, col.get("style")))
                keep_text(cell)
        fit_row_heights(ws, spec, list(rows)[: len(items)])
        used[t["id"]] = len(items)
    hide_unused_rows(ws, spec, used)
    return wb


def _from_evaluation(ev: dict[str, Any], mapping: dict[str, str]) -> dict[str, Any]:
    """A row from an evaluation's JSON: "a.b|c.d" takes the first non-blank path, "#x" counts list x."""
    row: dict[str, Any] = {}
    for col, paths in mapping.items():
        if paths.startswith("#"):
            row[col] = len(_get(ev, paths[1:]) or [])
            continue
        row[col] = next((v for v in (_get(ev, p) for p in paths.split("|")) if not is_blank(v)), None)
    return row


def _key_text(s: Any) -> str:
    return "".join(str(s or "").split()).replace("(", "（").replace(")", "）")


def _match_fixed(table: dict[str, Any], items: list[dict[str, Any]], spec: dict[str, Any]) -> list[dict[str, Any]]:
    """Data items in the order of the table's preset rows (by name); unknown names are an error."""
    by_name = {_key_text(it.get("name")): it for it in items if isinstance(it, dict)}
    preset = [_key_text(row.get("name")) for row in table.get("items", [])]
    unknown = [it.get("name") for it in items if _key_text(it.get("name")) not in preset]
    if unknown:
        raise WriteError(f"“{spec['title']}”中没有这些指标：{'、'.join(map(str, unknown))}")
    return [by_name.get(name, {}) for name in preset]


def _number_if_numeric(value: Any, style: str | None) -> Any:
    """Numbers for money/number/score/rate cells: "1,600" → 1600; text stays text elsewhere."""
    if style in ("input_money", "input_number", "input_score", "input_rate", "input_int") and isinstance(value, str):
        if "%" in value or "％" in value:      # "100%" stays as written (a 定性 row's actual)
            return value
        try:
            return to_decimal(value)
        except InputError:
            return value
    if isinstance(value, float):
        return Decimal(repr(value))
    return value


def fill_template(template: str | dict[str, Any], data: dict[str, Any], path: str | os.PathLike,
                  profile: str | Profile | None = None, source: str | os.PathLike | None = None,
                  base: str | os.PathLike | None = None) -> Path:
    """Build ``template`` (or open ``base``, a template file of it — a pack's — built with the
    Profile ``profile``), write ``data`` into it and save atomically to ``path``."""
    if base is not None and isinstance(profile, Profile):
        from openpyxl import load_workbook

        wb = fill_book(load_workbook(base), template, data, profile)
    else:
        wb = fill_workbook(template, data, profile)
    with atomic_path(path, source=source) as tmp:
        wb.save(tmp)
    return Path(path)


def sample_data(template: str) -> dict[str, Any]:
    """The bundled sample data of a template (from the seed reports), in DESIGN.md's JSON shape."""
    import json
    from importlib import resources

    spec = load_spec(template)
    text = resources.files("workbook_templates").joinpath("specs", "samples", f"{spec['id']}.json").read_text("utf-8")
    return json.loads(text)


def write_samples(outdir: str | os.PathLike, filled: bool = True) -> dict[str, Path]:
    """Every template into ``outdir``: ``<id>.xlsx`` empty and, with ``filled``, ``<id>-示例.xlsx``
    filled from its sample data. Returns name → path (for the demo and the previews)."""
    from .builder import build_template, template_ids

    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    out: dict[str, Path] = {}
    for tid in template_ids():
        out[tid] = build_template(tid, outdir / f"{tid}.xlsx")
        if filled:
            out[f"{tid}-示例"] = fill_template(tid, sample_data(tid), outdir / f"{tid}-示例.xlsx")
    return out
