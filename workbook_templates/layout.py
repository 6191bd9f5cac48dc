"""Table layouts of a province (``jixiao template --layout 某省项目表.json``): a variant of one of
our templates as data — its title, labels, extra header cells, column widths, dropdown lists,
填表说明 and the number of indicator rows — so a 财政局 issues its own form without new code.

A layout file is a spec overlay (the spec format: ``docs/templates/README.md``)::

    {"id": "demo-province-project", "extends": "project", "title": "某省项目支出绩效自评表",
     "version": "2026.1", "source": "某省财政厅 2026 年格式",
     "cells": [{"ref": "A1:M1", "value": "某省项目支出绩效自评表（2026年度）"},
               {"ref": "E11", "value": "年度指标值"}],
     "tables": [{"id": "indicators", "rows": 20}],
     "validations": {"level1": {"values": ["产出指标", "效益指标", "满意度指标", "成本指标"]}}}

It is resolved against the shipped spec it ``extends`` (``resolve``): objects (``columns``,
``row_heights``, ``print``, ``validations`` and each validation) merge key by key; ``cells`` merge
by ``ref`` (same ref: its keys replaced; ``"remove": true`` deletes it; a new ref adds a cell);
``tables`` by ``id`` and their ``columns`` by ``col``; other keys replace. A table's ``rows``
change moves everything below the table (``shift_rows``): cell refs, formulas (a range ending on
the table's last row ends on its new last row), print area, row heights, conditional formats,
later tables. The resolved spec keeps the template's ``id`` (so a unit's workbook is read as that
template) and records the layout's own id in ``layout``; its version is the layout's.

The resolved spec is embedded in ``_meta`` (``layout_data``, under the checksum): a unit's
workbook is read and filled by the layout it carries, nothing installed. An embedded layout is
data from a file: it is checked (``layout_problems``) before anything reads by it.
"""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

from udfs.errors import InputError

MAX_ROWS = 500                        # rows of one table
MAX_CELLS = 1000                      # cells of a form (ours have ≤ 160); keeps the overlap check quick
MAX_TABLES, MAX_COLUMNS = 10, 60
OVERLAY_KEYS = {"id", "extends", "title", "version", "source", "aliases", "sheet", "columns", "row_heights",
                "default_row_height", "print", "freeze", "cells", "tables", "validations", "conditional_formats"}
MERGED_OBJECTS = {"columns", "row_heights", "print", "validations"}
_ID = re.compile(r"^[A-Za-z0-9][\w\-.]{0,63}$")
_REF = re.compile(r"^[A-Z]{1,3}[1-9][0-9]{0,6}(:[A-Z]{1,3}[1-9][0-9]{0,6})?$")
_COL = re.compile(r"^[A-Z]{1,3}(:[A-Z]{1,3})?$")


# ---------------------------------------------------------------- reading a layout file


def load_layout(path: str | Path, template: str | None = None) -> dict[str, Any]:
    """The resolved spec of a layout file; ``template`` (an id or Chinese title, if the user named
    one) must be the template the layout extends. InputError in Chinese naming what is wrong."""
    from .specs import resolve_id
    from .specs import spec_files as _spec_files

    path = Path(path)
    try:
        overlay = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(f"找不到表样文件：{path}") from None
    except UnicodeDecodeError:
        raise InputError(f"表样文件 {path} 不是 UTF-8 编码的文本") from None
    except (OSError, ValueError, RecursionError) as exc:
        where = f"第 {exc.lineno} 行第 {exc.colno} 列" if isinstance(exc, json.JSONDecodeError) else ""
        raise InputError(f"表样文件 {path} 不是有效的 JSON{where}（{type(exc).__name__}）") from None
    problems = overlay_problems(overlay)
    if problems:
        raise InputError(f"表样文件 {path} 格式不正确：" + "；".join(problems[:5]))
    try:
        base_id = resolve_id(overlay["extends"])
    except Exception:  # noqa: BLE001 - ReadError listing the templates: said as the layout's problem
        from .builder import template_ids

        raise InputError(f"表样文件 {path} 的 extends“{overlay['extends']}”不是本工具的模板"
                         f"（可用：{'、'.join(template_ids())}）") from None
    if template is not None and resolve_id(template) != base_id:
        raise InputError(f"表样文件 {path} 基于模板“{base_id}”，与命令中的模板“{template}”不一致")
    if overlay["id"] in _spec_files():
        raise InputError(f"表样文件 {path} 的 id“{overlay['id']}”与标准模板同名；请用本地区自己的编号，如 某省-{base_id}")
    spec = resolve(overlay, _spec_files()[base_id])
    problems = layout_problems(spec)
    if problems:
        raise InputError(f"表样文件 {path} 展开后不能生成模板：" + "；".join(problems[:5]))
    return spec


def overlay_problems(o: Any) -> list[str]:
    """What is wrong with a layout file before it is resolved (Chinese, naming the key)."""
    if not isinstance(o, dict):
        return ["应为 JSON 对象"]
    p = [f"不认识的键“{k}”（可用：{'、'.join(sorted(OVERLAY_KEYS))}）" for k in o
         if k not in OVERLAY_KEYS and not k.startswith("_")]
    for key in ("id", "extends", "title", "version"):
        if not isinstance(o.get(key), str) or not o[key].strip():
            p.append(f"缺少 {key}（文字）")
    if isinstance(o.get("id"), str) and not _ID.match(o["id"]):
        p.append(f"id“{o['id']}”只能含字母、数字、-、_、.（64 个字符以内）")
    for key in MERGED_OBJECTS:
        if key in o and not isinstance(o[key], dict):
            p.append(f"{key} 应为对象")
    if isinstance(o.get("validations"), dict) and not all(isinstance(v, dict) for v in o["validations"].values()):
        p.append("validations 的每一项应为对象")
    p += _shape_problems({k: v for k, v in o.items() if k != "validations"})   # a validation may be partial here
    for key in ("cells", "tables", "conditional_formats"):
        if key in o and not (isinstance(o[key], list) and all(isinstance(x, dict) for x in o[key])):
            p.append(f"{key} 应为对象列表")
    for c in o.get("cells", []) if isinstance(o.get("cells"), list) else []:
        if isinstance(c, dict) and not (isinstance(c.get("ref"), str) and _REF.match(c["ref"])):
            p.append(f"cells 中的 ref“{c.get('ref')}”不是单元格或区域（如 A1、A1:M1）")
    for t in o.get("tables", []) if isinstance(o.get("tables"), list) else []:
        if not isinstance(t, dict):
            continue
        if not isinstance(t.get("id"), str):
            p.append("tables 中每项须有 id（要修改的表格，如 indicators）")
        if "first_row" in t:
            p.append(f"表格“{t.get('id')}”的 first_row 不能修改（行数用 rows）")
        rows = t.get("rows")
        if rows is not None and not (isinstance(rows, int) and not isinstance(rows, bool) and 1 <= rows <= MAX_ROWS):
            p.append(f"表格“{t.get('id')}”的 rows 应为 1–{MAX_ROWS} 的整数")
        cols = t.get("columns", [])
        if not (isinstance(cols, list) and all(isinstance(c, dict) and isinstance(c.get("col"), str) for c in cols)):
            p.append(f"表格“{t.get('id')}”的 columns 应为带 col 的对象列表")
    return p


def _num(v: Any, low: float, high: float) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and low <= v <= high


VALIDATION_TYPES = {"list", "custom", "decimal", "whole", "date", "time", "textLength"}


def _shape_problems(d: dict[str, Any]) -> list[str]:
    """Types and bounds of the spec keys besides cells and tables, where present (a layout file's,
    and the resolved spec's): what the builder passes to openpyxl must be what openpyxl takes."""
    p: list[str] = []
    if "source" in d and not isinstance(d["source"], str):
        p.append("source 应为文字")
    if "aliases" in d and not (isinstance(d["aliases"], list) and all(_text_ok(a, 255) for a in d["aliases"])):
        p.append("aliases 应为文字列表")
    cols = d.get("columns", {})
    if isinstance(cols, dict) and not all(_COL.match(str(k)) and ":" not in k and _num(w, 0, 255) for k, w in cols.items()):
        p.append("columns 应为 列字母 → 列宽（0–255）")
    heights = d.get("row_heights", {})
    if isinstance(heights, dict) and not all(str(k).isdigit() and 0 < int(k) <= 1_048_576 and _num(h, 0, 409)
                                             for k, h in heights.items()):
        p.append("row_heights 应为 行号 → 行高（0–409 磅）")
    if "default_row_height" in d and not _num(d["default_row_height"], 0, 409):
        p.append("default_row_height 应为 0–409 的数值")
    if "freeze" in d and not (isinstance(d["freeze"], str) and _REF.match(d["freeze"]) and ":" not in d["freeze"]):
        p.append("freeze 应为单元格，如 A12")
    pr = d.get("print", {})
    if isinstance(pr, dict):
        if "area" in pr and not (isinstance(pr["area"], str) and _REF.match(pr["area"])):
            p.append("print.area 应为区域，如 A1:M45")
        if "title_rows" in pr and not (isinstance(pr["title_rows"], str) and _ROWS.match(pr["title_rows"])):
            p.append("print.title_rows 应为行，如 11:11")
        if "orientation" in pr and pr["orientation"] not in ("portrait", "landscape"):
            p.append("print.orientation 应为 portrait 或 landscape")
        if "fit_height" in pr and not (isinstance(pr["fit_height"], int) and _num(pr["fit_height"], 0, 100)):
            p.append("print.fit_height 应为 0–100 的整数")
        if "breaks_before" in pr and not (isinstance(pr["breaks_before"], list) and all(
                isinstance(r, int) and _num(r, 2, 1_048_576) for r in pr["breaks_before"])):
            p.append("print.breaks_before 应为行号列表")
    cfs = d.get("conditional_formats", [])
    if isinstance(cfs, list):
        for cf in cfs:
            if not (isinstance(cf, dict) and isinstance(cf.get("range"), str) and _REF.match(cf["range"])
                    and _text_ok(cf.get("formula"), 8192)
                    and re.fullmatch(r"[0-9A-Fa-f]{6}", str(cf.get("fill", "F8CBAD")))):
                p.append("conditional_formats 的每项须有 range（区域）、formula（公式文字），fill 为 6 位颜色")
                break
    vals = d.get("validations", {})
    if isinstance(vals, dict):
        for name, v in vals.items():
            if not isinstance(v, dict):
                continue                               # said by the caller ("validations 应为对象")
            kind = v.get("type")
            ok = kind in VALIDATION_TYPES
            if kind == "list":
                ok = v.get("profile") in ("bands", "grades") or (
                    isinstance(v.get("values"), list) and v["values"] and all(_text_ok(x, 255) for x in v["values"])
                    and len(",".join(v["values"])) <= 255)
            elif kind == "custom":
                ok = _text_ok(v.get("formula"), 8192)
            elif ok:
                ok = all(k not in v or isinstance(v[k], (int, float, str)) and not isinstance(v[k], bool)
                         for k in ("min", "max"))
            ok = ok and all(k not in v or isinstance(v[k], str) for k in ("error", "prompt", "prompt_title"))
            ok = ok and v.get("error_style", "stop") in ("stop", "warning", "information")
            if not ok:
                p.append(f"数据验证“{name}”不合规（type 为 {'/'.join(sorted(VALIDATION_TYPES))}；list 须有 values"
                         "（合计 255 个字符以内）；custom 须有 formula）")
    return p


# ---------------------------------------------------------------- resolving


def _merge_by(base: list[dict[str, Any]], changes: list[dict[str, Any]], key: str,
              merge_item=None) -> list[dict[str, Any]]:
    out = [copy.deepcopy(x) for x in base]
    index = {x.get(key): i for i, x in enumerate(out)}
    removed: set[int] = set()
    for ch in changes:
        i = index.get(ch.get(key))
        if ch.get("remove"):
            if i is not None:
                removed.add(i)
            continue
        if i is None:
            out.append(copy.deepcopy(ch))
            index[ch.get(key)] = len(out) - 1
        else:
            out[i] = merge_item(out[i], ch) if merge_item else {**out[i], **copy.deepcopy(ch)}
    return [x for i, x in enumerate(out) if i not in removed]


def _merge_table(base: dict[str, Any], ch: dict[str, Any]) -> dict[str, Any]:
    out = {**base, **{k: copy.deepcopy(v) for k, v in ch.items() if k != "columns"}}
    if "columns" in ch:
        out["columns"] = _merge_by(base.get("columns", []), ch["columns"], "col")
    return out


def resolve(overlay: dict[str, Any], base: dict[str, Any]) -> dict[str, Any]:
    """The spec ``overlay`` makes of ``base`` (see module doc); ``base`` is not changed."""
    spec = copy.deepcopy(base)
    new_rows = {t["id"]: t["rows"] for t in overlay.get("tables", []) if "rows" in t}
    for tid, rows in new_rows.items():           # the rows first: the overlay's refs are in the new layout
        spec = shift_rows(spec, tid, rows)
    for key, value in overlay.items():
        if key.startswith("_") or key in ("id", "extends"):
            continue
        if key in MERGED_OBJECTS:
            merged = spec.get(key, {})
            for k, v in value.items():
                merged[k] = {**merged[k], **v} if isinstance(v, dict) and isinstance(merged.get(k), dict) else v
            spec[key] = merged
        elif key == "cells":
            spec["cells"] = _merge_by(spec.get("cells", []), value, "ref")
        elif key == "tables":
            spec["tables"] = _merge_by(spec.get("tables", []), [{k: v for k, v in t.items() if k != "rows"}
                                                                for t in value], "id", _merge_table)
        else:
            spec[key] = copy.deepcopy(value)
    spec["layout"] = overlay["id"]
    spec["extends"] = base["id"]
    spec["base_version"] = base["version"]
    return spec


# ---------------------------------------------------------------- moving rows

_CELL = re.compile(r"(?<![A-Za-z0-9_.!'\]])(\$?)([A-Z]{1,3})(\$?)([0-9]{1,7})(?![A-Za-z0-9_(])")
_RANGE = re.compile(_CELL.pattern + r"(?::" + _CELL.pattern.replace("(?<![A-Za-z0-9_.!'\\]])", "") + r")?")
_ROWS = re.compile(r"^(\$?)([0-9]+):(\$?)([0-9]+)$")


def _shift_text(text: str, first: int, last: int, delta: int) -> str:
    """A ref, range or formula with its rows moved: a row below ``last`` by ``delta``; a range
    ending on ``last`` (and starting at or above it) to the new last row. Text in quotes kept."""

    def move(m: re.Match[str]) -> str:
        d1, c1, d2, r1, d3, c2, d4, r2 = m.groups()
        a = int(r1)
        a2 = a + delta if a > last else a
        if c2 is None:
            return f"{d1}{c1}{d2}{a2}"
        b = int(r2)
        b2 = b + delta if b > last or (b == last and a <= last) else b
        return f"{d1}{c1}{d2}{a2}:{d3}{c2}{d4}{b2}"

    m = _ROWS.match(text)
    if m:                                        # "11:11" (print title rows)
        a, b = int(m.group(2)), int(m.group(4))
        a += delta if a > last else 0
        b += delta if b > last else 0
        return f"{m.group(1)}{a}:{m.group(3)}{b}"
    parts = text.split('"')
    for i in range(0, len(parts), 2):            # outside string literals only
        parts[i] = _RANGE.sub(move, parts[i])
    return '"'.join(parts)


def shift_rows(spec: dict[str, Any], table_id: str, rows: int) -> dict[str, Any]:
    """``spec`` with table ``table_id`` holding ``rows`` rows and everything below it moved."""
    spec = copy.deepcopy(spec)
    table = next((t for t in spec.get("tables", []) if t["id"] == table_id), None)
    if table is None:
        raise InputError(f"模板“{spec['id']}”没有表格“{table_id}”（有：{'、'.join(t['id'] for t in spec.get('tables', []))}）")
    first, last = table["first_row"], table["first_row"] + table["rows"] - 1
    delta = rows - table["rows"]
    if delta == 0:
        return spec
    if len(table.get("items") or []) > rows:
        raise InputError(f"表格“{table_id}”有 {len(table['items'])} 个预设行，rows 不能少于此数")

    def text(v: Any) -> Any:
        return _shift_text(v, first, last, delta) if isinstance(v, str) else v

    for c in spec.get("cells", []):
        c["ref"] = text(c["ref"])
        if isinstance(c.get("value"), str) and c["value"].startswith("="):
            c["value"] = text(c["value"])
    for t in spec.get("tables", []):
        if t is not table and t["first_row"] > last:
            t["first_row"] += delta
        for col in t.get("columns", []):
            if isinstance(col.get("value"), str) and col["value"].startswith("="):
                col["value"] = text(col["value"])
    for v in spec.get("validations", {}).values():
        if isinstance(v.get("formula"), str):
            v["formula"] = text(v["formula"])
    for cf in spec.get("conditional_formats", []):
        cf["range"], cf["formula"] = text(cf["range"]), text(cf["formula"])
    p = spec.get("print", {})
    for key in ("area", "title_rows"):
        if key in p:
            p[key] = text(p[key])
    if "breaks_before" in p:
        p["breaks_before"] = [r + delta if r > last else r for r in p["breaks_before"]]
    if "freeze" in spec:
        spec["freeze"] = text(spec["freeze"])
    spec["row_heights"] = {str(int(r) + delta if int(r) > last else int(r)): h
                           for r, h in spec.get("row_heights", {}).items()
                           if not (delta < 0 and last + delta < int(r) <= last)}
    table["rows"] = rows
    return spec


# ---------------------------------------------------------------- checking a resolved (embedded) layout


def _text_ok(v: Any, limit: int = 32767) -> bool:
    return isinstance(v, str) and 0 < len(v) <= limit


def layout_problems(spec: Any) -> list[str]:
    """What makes a resolved layout (from a file or embedded in ``_meta``) unusable: the keys the
    builder and the reader use, with their types and bounds (Chinese)."""
    from .specs import spec_files as _spec_files
    from .specs import styles as _styles

    if not isinstance(spec, dict):
        return ["应为 JSON 对象"]
    p: list[str] = []
    if spec.get("id") not in _spec_files():
        p.append(f"id“{spec.get('id')}”不是本工具的模板")
    for key in ("layout", "title", "sheet", "version"):
        if not _text_ok(spec.get(key), 255):
            p.append(f"缺少 {key}（文字）")
    if _text_ok(spec.get("sheet")) and (len(spec["sheet"]) > 31 or set(spec["sheet"]) & set("[]:*?/\\")):
        p.append(f"工作表名“{spec['sheet']}”不合 Excel 的规定（31 个字符以内，不含 []:*?/\\）")
    for key in MERGED_OBJECTS:
        if not isinstance(spec.get(key, {}), dict):
            p.append(f"{key} 应为对象")
    if not isinstance(spec.get("conditional_formats", []), list):
        p.append("conditional_formats 应为列表")
    if p:
        return p
    p += _shape_problems(spec)
    styles = _styles()["styles"]
    validations = spec.get("validations", {})
    if not isinstance(validations, dict) or not all(isinstance(v, dict) for v in validations.values()):
        p.append("validations 应为对象")
        validations = {}
    cells, tables = spec.get("cells", []), spec.get("tables", [])
    if not isinstance(cells, list) or not isinstance(tables, list):
        return [*p, "cells 和 tables 应为列表"]
    if len(cells) > MAX_CELLS or len(tables) > MAX_TABLES or any(
            isinstance(t, dict) and isinstance(t.get("columns"), list) and len(t["columns"]) > MAX_COLUMNS for t in tables):
        return [*p, f"单元格或表格过多（至多 {MAX_CELLS} 个单元格、{MAX_TABLES} 张表格、每张 {MAX_COLUMNS} 列）"]
    for c in cells:
        if not isinstance(c, dict) or not (isinstance(c.get("ref"), str) and _REF.match(c["ref"])):
            p.append(f"单元格“{c.get('ref') if isinstance(c, dict) else c}”的 ref 不合规")
            continue
        p += _cell_problems(c, c["ref"], styles, validations)
    for t in tables:
        if not isinstance(t, dict) or not _text_ok(t.get("id"), 64) or not _text_ok(t.get("key"), 64):
            p.append("表格须有 id 和 key")
            continue
        fr, rows = t.get("first_row"), t.get("rows")
        if not (isinstance(fr, int) and 1 <= fr <= 1_000_000 and isinstance(rows, int) and 1 <= rows <= MAX_ROWS):
            p.append(f"表格“{t['id']}”的 first_row/rows 不合规（rows 1–{MAX_ROWS}）")
        cols = t.get("columns")
        if not isinstance(cols, list) or not cols:
            p.append(f"表格“{t['id']}”没有 columns")
            continue
        for col in cols:
            if not isinstance(col, dict) or not (isinstance(col.get("col"), str) and _COL.match(col["col"])):
                p.append(f"表格“{t['id']}”的列 col 不合规")
                continue
            p += _cell_problems(col, f"{t['id']}.{col['col']}", styles, validations)
    p += _overlaps(cells, tables)
    names = [c.get("name") for c in cells if isinstance(c, dict) and c.get("name")]
    names += [col.get("name") for t in tables if isinstance(t, dict) and isinstance(t.get("columns"), list)
              for col in t["columns"] if isinstance(col, dict) and col.get("name")]
    dup = sorted({n for n in names if names.count(n) > 1})
    if dup:
        p.append(f"定义名称重复：{'、'.join(map(str, dup[:5]))}")
    return p


def _overlaps(cells: list[Any], tables: list[Any]) -> list[str]:
    """Cells (or table areas) that cover the same sheet cells: the form could not be built."""
    from openpyxl.utils.cell import range_boundaries

    boxes: list[tuple[str, tuple[int, int, int, int]]] = []
    for c in cells:
        if isinstance(c, dict) and isinstance(c.get("ref"), str) and _REF.match(c["ref"]):
            boxes.append((c["ref"], range_boundaries(c["ref"])))
    for t in tables:
        if not (isinstance(t, dict) and isinstance(t.get("first_row"), int) and isinstance(t.get("rows"), int)
                and isinstance(t.get("columns"), list)):
            continue
        last = t["first_row"] + t["rows"] - 1
        for col in t["columns"]:
            if isinstance(col, dict) and isinstance(col.get("col"), str) and _COL.match(col["col"]):
                a, _, b = col["col"].partition(":")
                c1, _, c2, _ = range_boundaries(f"{a}1:{b or a}1")
                boxes.append((f"表格“{t.get('id')}”的 {col['col']} 列", (c1, t["first_row"], c2, last)))
    out = []
    for i, (name, (a1, b1, a2, b2)) in enumerate(boxes):
        for other, (x1, y1, x2, y2) in boxes[i + 1:]:
            if a1 <= x2 and x1 <= a2 and b1 <= y2 and y1 <= b2:
                out.append(f"{name} 与 {other} 重叠")
                if len(out) >= 5:
                    return out
    return out


def _cell_problems(c: dict[str, Any], where: str, styles: dict[str, Any], validations: dict[str, Any]) -> list[str]:
    p = []
    for key in ("name", "key", "validation", "comment"):
        if key in c and c[key] is not None and not _text_ok(c[key], 255 if key != "comment" else 32767):
            p.append(f"“{where}”的 {key} 应为文字")
    if c.get("style", "label") not in styles:
        p.append(f"“{where}”的样式“{c.get('style')}”不存在（见 specs/styles.json）")
    if c.get("validation") and c["validation"] not in validations:
        p.append(f"“{where}”的数据验证“{c['validation']}”未在 validations 中定义")
    v = c.get("value")
    if v is not None and not isinstance(v, (str, int, float)) or isinstance(v, str) and len(v) > 32767:
        p.append(f"“{where}”的 value 应为文字或数值")
    return p
