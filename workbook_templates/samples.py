"""Workbooks shaped like the PUBLISHED 自评表 layouts (not our templates), for tests, demo, benchmarks.

``write_sample(layout, path, data)`` writes one unit's workbook in a layout users already have:

- ``seed004``: the seed 004 pair — 预算执行情况表 rows (1)–(7) under a merged 财政资金 header, and
  the 项目支出绩效自评表 (一级/二级/目标指标/权重/目标值/业绩值/完成率/指标得分/偏差原因…)
  with merged 一级指标 cells; default data is the seed, slips included (18 under 补助人数（人）).
- ``cz2020-annex``: 财预〔2020〕10号 附件1 as units publish it (项目资金 block, 年度总体目标,
  绩效指标 block with 指标1/指标2 placeholder rows, 总分 row).
- ``seed001-scorecard``: the 共性指标计分表 of seed 001 (决策/过程/产出/效益, 指标解释, 指标说明).
- ``sichuan``: 四川 layout, 指标性质 (≥ ≤ = 定性) and 度量单位 in their own columns.

``data`` follows the JSON shape of DESIGN.md (project / budget / indicators / total_score);
``write_corpus`` writes many varied units, deterministic by seed, for consolidation.
"""

from __future__ import annotations

import copy
import random
import re
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.worksheet.worksheet import Worksheet

from .fileio import atomic_path

SEED004: dict[str, Any] = {
    "project": {"name": "医疗保险基金补助", "department": None, "unit": None, "year": 2021},
    "budget": {"initial": 1600, "adjusted": 1600, "available": 1600, "executed": 1521.57,
               "rate": "95.1%", "weight": 10, "score": 9.51, "target": "100%", "actual": "95.1%",
               "completion": "95.10%", "reason": "根据临汾市2021年城乡居民医疗保险财政补助负担标准执行",
               "rows": [
                   {"label": "年初预算资金", "code": "(1)", "values": [1600, 1600, None, None, None, 1600, None, None]},
                   {"label": "全年预算资金", "code": "(2)", "values": [1600, 1600, None, None, None, 1600, None, None]},
                   {"label": "实际到位资金", "code": "(3)", "values": [1600, 1600, None, None, None, 1600, None, None]},
                   {"label": "全年执行资金", "code": "(4)",
                    "values": [1521.57, 1521.57, None, None, None, 1521.57, None, None]},
                   {"label": "资金结余", "code": "(5)=(3)-(4)", "values": [78.43, 78.43, 0, 0, 0, 78.43, 0, 0]},
                   {"label": "预算到位率", "code": "(6)=(3)/(2)", "values": [100, 100, 0, 0, 0, 100, 0, 0]},
                   {"label": "预算执行率(%)", "code": "(7)=(4)/(2)", "values": [95.1, 95.1, 0, 0, 0, 95.1, 0, 0]},
               ]},
    "indicators": [
        {"level1": "产出指标", "level2": "数量指标", "name": "补助人数（人）", "weight": 20, "target": "18",
         "actual": "18.74万人", "completion": "104.11%", "score": 20, "reason": "实际参保人数"},
        {"level1": "产出指标", "level2": "质量指标", "name": "医疗保险应保尽保", "weight": 10, "target": "100",
         "actual": "100%", "completion": "100.00%", "score": 10},
        {"level1": "产出指标", "level2": "时效指标", "name": "补助时间（年）", "weight": 10, "target": "2021",
         "actual": "2021年", "completion": "100.00%", "score": 10},
        {"level1": "产出指标", "level2": "成本指标", "name": "人均补助标准（元/年）", "weight": 10, "target": "830",
         "actual": "580元", "completion": "69.88%", "score": 10,
         "reason": "根据《临医保发〔2021〕27号》要求，2021年城乡居民基本医疗保险人均财政补助标准为580元。"},
        {"level1": "效益指标", "level2": "社会效益", "name": "减轻补助人口看病负担，促进全面建成小康社会", "weight": 15,
         "target": "持续", "actual": "100", "completion": "100%", "score": 15},
        {"level1": "效益指标", "level2": "可持续影响指标", "name": "推动我县医保事业发展", "weight": 15,
         "target": "长期", "actual": "100%", "completion": "100%", "score": 15},
        {"level1": "满意度指标", "level2": "服务对象满意度指标", "name": "社会满意度", "weight": 10, "target": "95",
         "actual": "95%", "completion": "100.00%", "score": 10},
    ],
    "total_score": None,  # the published table has no 总分 row; the report text says 99.51
    "grade": None,
}

# Seed 001's 共性指标计分表 (tests/fixtures/seed001_scorecard.json), with the 指标解释/指标说明 texts.
_SC = [
    ("决策", 20, "预算支出决策（项目立项）", 8, "预算支出决策（项目立项）依据充分性", 4, 4,
     "预算支出决策（项目立项）是否符合法律法规、相关政策、发展规划以及部门职责，用以反映和考核决策（立项）的依据情况。",
     "评价要点：①决策（立项）是否符合国家相关法律法规、国民经济发展规划和相关政策；②…"),
    ("决策", 20, "预算支出决策（项目立项）", 8, "决策（立项）程序规范性", 4, 4,
     "预算支出申请、设立过程是否符合相关要求，用以反映和考核决策（立项）的规范情况。",
     "评价要点：①预算支出是否按照规定的程序申请设立；②审批文件、材料是否符合相关要求；③…"),
    ("决策", 20, "绩效目标", 6, "绩效目标合理性", 3, 3,
     "预算支出所设定的绩效目标是否依据充分，是否符合客观实际。", "评价要点：①预算支出是否有绩效目标；②…"),
    ("决策", 20, "绩效目标", 6, "绩效指标明确性", 3, 3,
     "依据绩效目标设定的绩效指标是否清晰、细化、可衡量等。", "评价要点：①是否将预算支出绩效目标细化分解为具体的绩效指标；②…"),
    ("决策", 20, "资金投入", 6, "预算编制科学性", 3, 3,
     "预算编制是否经过科学论证、有明确标准，资金额度与年度目标是否相适应。", "评价要点：①预算编制是否经过科学论证；②…"),
    ("决策", 20, "资金投入", 6, "资金分配合理性", 3, 3,
     "预算资金分配是否有测算依据，与补助单位或地方实际是否相适应。", "评价要点：①预算资金分配依据是否充分；②…"),
    ("过程", 20, "资金管理", 12, "资金到位率", 4, 4,
     "实际到位资金与预算资金的比率，用以反映和考核资金落实情况对预算支出实施的总体保障程度。",
     "资金到位率=（实际到位资金/预算资金）×100%。"),
    ("过程", 20, "资金管理", 12, "预算执行率", 4, 3.8,
     "预算资金是否按照计划执行，用以反映或考核预算支出预算执行情况。",
     "预算执行率=（实际支出资金/实际到位资金）×100%。"),
    ("过程", 20, "资金管理", 12, "资金使用合规性", 4, 4,
     "预算资金使用是否符合相关的财务管理制度规定。", "评价要点：①是否符合国家财经法规和财务管理制度；②…"),
    ("过程", 20, "组织实施", 8, "管理制度健全性", 4, 3.5,
     "预算支出实施单位的财务和业务管理制度是否健全。", "评价要点：①是否已制定或具有相应的业务管理制度；②…"),
    ("过程", 20, "组织实施", 8, "制度执行有效性", 4, 4,
     "预算支出实施是否符合相关业务管理规定。", "评价要点：①是否遵守相关法律法规和相关管理规定；②…"),
    ("产出", 40, "产出数量", 10, "实际完成率", 10, 10,
     "预算支出实施的实际产出数与计划产出数的比率。", "实际完成率=（实际产出数/计划产出数）×100%。"),
    ("产出", 40, "产出质量", 10, "质量达标率", 10, 10,
     "预算支出完成的质量达标产出数与实际产出数的比率。", "质量达标率=（质量达标产出数/实际产出数）×100%。"),
    ("产出", 40, "产出时效", 10, "完成及时性", 10, 10,
     "预算支出实际完成时间与计划完成时间的比较。", "评价要点：是否在计划时间内完成。"),
    ("产出", 40, "产出成本", 10, "成本节约率", 10, 10,
     "完成预算支出计划工作目标的实际节约成本与计划成本的比率。", "成本节约率=[（计划成本-实际成本）/计划成本]×100%。"),
    ("效益", 20, "预算支出效益", 20, "实施效益", 10, 10,
     "预算支出实施所产生的效益。", "社会效益、经济效益、生态效益、可持续影响。"),
    ("效益", 20, "预算支出效益", 20, "社会公众或服务对象满意度", 10, 10,
     "社会公众或服务对象对预算支出实施效果的满意程度。", "评价要点：满意度调查结果。"),
]
SEED001: dict[str, Any] = {
    "project": {"name": "2021年医疗救助补助资金", "year": 2021},
    "budget": {},
    "indicators": [
        {"level1": a, "level1_weight": aw, "level2": b, "level2_weight": bw, "name": n, "weight": w, "score": s,
         "explain": e, "note": t}
        for a, aw, b, bw, n, w, s, e, t in _SC
    ],
    "total_score": 99.3,
}


# ---------------------------------------------------------------------------------------------
# cell helpers

_THIN = Side(style="thin")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_WRAP = Alignment(wrap_text=True, vertical="center")
_CENTER = Alignment(wrap_text=True, vertical="center", horizontal="center")
_NUMERIC = re.compile(r"^-?\d+(\.\d+)?$")


def _cell_value(v: Any) -> Any:
    """Text that is a plain number becomes a number cell (what a user typing '18' gets)."""
    if isinstance(v, Decimal):
        return float(v)
    if isinstance(v, str) and _NUMERIC.match(v.strip()):
        s = v.strip()
        return int(s) if "." not in s else float(s)
    return v


def _put(ws: Worksheet, r: int, c: int, v: Any, *, bold: bool = False, center: bool = False,
         fmt: str | None = None) -> None:
    """Write 1-based (r, c) with a border."""
    cell = ws.cell(row=r, column=c, value=_cell_value(v))
    cell.border = _BOX
    cell.alignment = _CENTER if center else _WRAP
    if bold:
        cell.font = Font(bold=True)
    if fmt:
        cell.number_format = fmt


def _fit_rows(ws: Worksheet) -> None:
    """Row heights for wrapped text (openpyxl does not auto-fit; CJK characters count double)."""
    import math

    from openpyxl.utils import get_column_letter

    spans: dict[tuple[int, int], float] = {}
    for m in ws.merged_cells.ranges:
        if m.min_row == m.max_row:
            spans[(m.min_row, m.min_col)] = sum(
                ws.column_dimensions[get_column_letter(c)].width or 8.43 for c in range(m.min_col, m.max_col + 1))
    for row in ws.iter_rows(min_row=3):
        lines = 1
        for cell in row:
            if not isinstance(cell.value, str) or not cell.alignment.wrap_text:
                continue
            width = spans.get((cell.row, cell.column),
                              ws.column_dimensions[get_column_letter(cell.column)].width or 8.43)
            need = sum(2 if ord(ch) > 0x2E80 else 1 for ch in cell.value) * 1.05
            lines = max(lines, math.ceil(need / max(width - 1, 1)))
        if lines > 1 and ws.row_dimensions[row[0].row].height is None:
            ws.row_dimensions[row[0].row].height = 14 * lines + 2


def _print_setup(ws: Worksheet, landscape: bool = False) -> None:
    """A4, fit to one page wide, row heights for wrapped text, as units print these tables."""
    _fit_rows(ws)
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.print_options.horizontalCentered = True


def _merge(ws: Worksheet, r1: int, c1: int, r2: int, c2: int) -> None:
    if (r1, c1) != (r2, c2):
        ws.merge_cells(start_row=r1, start_column=c1, end_row=r2, end_column=c2)


def _title(ws: Worksheet, r: int, text: str, ncols: int) -> None:
    ws.cell(row=r, column=1, value=text).font = Font(bold=True, size=14)
    ws.cell(row=r, column=1).alignment = Alignment(horizontal="center")
    _merge(ws, r, 1, r, ncols)


def _merge_runs(ws: Worksheet, col: int, first: int, labels: list[str | None]) -> None:
    """Merge vertical runs of equal labels in ``col`` (rows first..), keeping the top value only."""
    i = 0
    while i < len(labels):
        j = i
        while j + 1 < len(labels) and labels[j + 1] == labels[i] and labels[i] is not None:
            j += 1
        if j > i:
            for k in range(i + 1, j + 1):
                ws.cell(row=first + k, column=col).value = None
            _merge(ws, first + i, col, first + j, col)
        i = j + 1


def _pct(v: Any) -> Any:
    """Percent text as written ('95.10%') stays text; a ratio number becomes '95.10%'."""
    if v is None or isinstance(v, str):
        return v
    return f"{Decimal(str(v)) * 100:.2f}%"


def _budget(data: dict[str, Any]) -> dict[str, Any]:
    return data.get("budget") or {}


def _budget_rate(b: dict[str, Any]) -> Any:
    if b.get("rate") is not None:
        return _pct(b["rate"])
    try:
        return f"{Decimal(str(b['executed'])) / Decimal(str(b['adjusted'])) * 100:.2f}%"
    except Exception:  # noqa: BLE001 - missing or zero budget: leave the cell blank
        return None


# ---------------------------------------------------------------------------------------------
# layouts

def _write_seed004(wb: Workbook, data: dict[str, Any]) -> None:
    b = _budget(data)
    p = data.get("project") or {}
    ws = wb.active
    ws.title = "预算执行情况表"
    _title(ws, 1, "（二）预算执行情况", 10)
    heads = ["项目", "行次", "年度总金额(万元)", "财政资金", None, None, None, None, "上年结转资金(万元)", "其他资金(万元)"]
    for c, h in enumerate(heads, 1):
        _put(ws, 2, c, h, bold=True, center=True)
    for c, h in enumerate(["小计", "中央级", "省级", "市级", "县区级"], 4):
        _put(ws, 3, c, h, bold=True, center=True)
    for c in (1, 2, 3, 9, 10):
        _put(ws, 3, c, None)
        _merge(ws, 2, c, 3, c)
    _merge(ws, 2, 4, 2, 8)
    rows = b.get("rows") or _budget_rows(b)
    for i, row in enumerate(rows):
        r = 4 + i
        _put(ws, r, 1, row["label"])
        _put(ws, r, 2, row["code"], center=True)
        for c, v in enumerate(row["values"], 3):
            _put(ws, r, c, v, fmt="#,##0.00" if v is not None and i < 5 else None)
    ws.column_dimensions["A"].width = 16
    for col in "CDEFGHIJ":
        ws.column_dimensions[col].width = 12

    ws2 = wb.create_sheet("项目支出绩效自评表")
    _title(ws2, 1, "附件1.项目支出绩效自评表", 9)
    ws2.cell(row=2, column=1, value="项目名称")
    ws2.cell(row=2, column=2, value=p.get("name"))
    ws2.cell(row=2, column=4, value="年度")
    ws2.cell(row=2, column=5, value=p.get("year"))
    heads = ["一级指标", "二级指标", "目标指标", "权重", "目标值", "业绩值", "完成率", "指标得分", "偏差原因分析及改进措施"]
    for c, h in enumerate(heads, 1):
        _put(ws2, 3, c, h, bold=True, center=True)
    lines = []
    if b.get("weight") is not None:
        lines.append({"level1": "预算执行指标", "level2": "预算执行指标", "name": "预算执行率", "weight": b.get("weight"),
                      "target": b.get("target", "100%"), "actual": b.get("actual") or _budget_rate(b),
                      "completion": b.get("completion") or _budget_rate(b), "score": b.get("score"),
                      "reason": b.get("reason")})
    lines += data.get("indicators") or []
    for i, ind in enumerate(lines):
        r = 4 + i
        vals = [ind.get("level1"), ind.get("level2"), ind.get("name"), ind.get("weight"), ind.get("target"),
                ind.get("actual"), _pct(ind.get("completion")), ind.get("score"), ind.get("reason")]
        for c, v in enumerate(vals, 1):
            _put(ws2, r, c, v)
    _merge_runs(ws2, 1, 4, [ind.get("level1") for ind in lines])
    _total_rows(ws2, 4 + len(lines), data, label_col=1, weight_col=4, score_col=8, last_col=9)
    for col, w in zip("ABCDEFGHI", (12, 18, 28, 7, 10, 10, 10, 9, 36), strict=True):
        ws2.column_dimensions[col].width = w
    _print_setup(ws, landscape=True)
    _print_setup(ws2, landscape=True)


def _budget_rows(b: dict[str, Any]) -> list[dict[str, Any]]:
    """Rows (1)–(7) from budget figures (only 年度总金额, 财政资金小计 and 县区级 filled)."""
    def d(k: str) -> Decimal | None:
        return Decimal(str(b[k])) if b.get(k) is not None else None

    initial, adjusted, available, executed = d("initial"), d("adjusted"), d("available"), d("executed")
    available = available if available is not None else adjusted
    rows = [("年初预算资金", "(1)", initial), ("全年预算资金", "(2)", adjusted), ("实际到位资金", "(3)", available),
            ("全年执行资金", "(4)", executed),
            ("资金结余", "(5)=(3)-(4)", available - executed if available is not None and executed is not None else None),
            ("预算到位率", "(6)=(3)/(2)", (available / adjusted * 100).quantize(Decimal("0.01"))
             if available is not None and adjusted else None),
            ("预算执行率(%)", "(7)=(4)/(2)", (executed / adjusted * 100).quantize(Decimal("0.01"))
             if executed is not None and adjusted else None)]
    return [{"label": lab, "code": code, "values": [v, v, None, None, None, v, None, None]} for lab, code, v in rows]


def _total_rows(ws: Worksheet, r: int, data: dict[str, Any], *, label_col: int, weight_col: int,
                score_col: int, last_col: int) -> int:
    if data.get("total_score") is None:
        return r
    _put(ws, r, label_col, "总分", bold=True)
    _merge(ws, r, label_col, r, weight_col - 1)
    weights = data.get("weights_total", 100)
    _put(ws, r, weight_col, weights)
    _put(ws, r, score_col, data["total_score"])
    if data.get("grade"):
        _put(ws, r + 1, label_col, "评价等级", bold=True)
        _merge(ws, r + 1, label_col, r + 1, weight_col - 1)
        _put(ws, r + 1, weight_col, data["grade"])
        return r + 2
    return r + 1


# 附件1 绩效指标 block: every 一级/二级 with its rows even when empty (指标1：/指标2： placeholders).
_ANNEX_LEVELS = [("产出指标", ["数量指标", "质量指标", "时效指标", "成本指标"]),
                 ("效益指标", ["经济效益指标", "社会效益指标", "生态效益指标", "可持续影响指标"]),
                 ("满意度指标", ["服务对象满意度指标"])]


def _annex_lines(indicators: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Indicators grouped under the 附件 categories; empty categories get 指标1：/指标2： rows, each
    category ends with a '……' row, as units leave them when publishing."""
    used: set[int] = set()
    out: list[dict[str, Any]] = []
    for l1, l2s in _ANNEX_LEVELS:
        extra = [ind.get("level2") for ind in indicators if _same(ind.get("level1"), l1)
                 and not any(_same(ind.get("level2"), x) for x in l2s)]
        for l2 in l2s + [x for x in dict.fromkeys(extra) if x]:
            mine = [(i, ind) for i, ind in enumerate(indicators)
                    if i not in used and _same(ind.get("level1"), l1) and _same(ind.get("level2"), l2)]
            l2 = mine[0][1].get("level2") or l2 if mine else l2  # the unit's own wording of the 二级
            for n, (i, ind) in enumerate(mine, 1):
                used.add(i)
                out.append({**ind, "level1": l1, "level2": l2, "label": f"指标{n}："})
            if not mine:
                out.append({"level1": l1, "level2": l2, "label": "指标1："})
                out.append({"level1": l1, "level2": l2, "label": "指标2："})
            out.append({"level1": l1, "level2": l2, "label": "……"})
    for i, ind in enumerate(indicators):  # categories outside the 附件 list: keep them, in order
        if i not in used:
            out.append({**ind, "label": ""})
    return out


def _same(a: str | None, b: str) -> bool:
    return bool(a) and (a == b or a.replace("指标", "") == b.replace("指标", ""))


def _write_funds_block(ws: Worksheet, r: int, b: dict[str, Any], ncols: int) -> int:
    """项目资金（万元） block of the 附件: header + 年度资金总额 / 其中 rows. Returns the next row."""
    _put(ws, r, 1, "项目资金（万元）", bold=True, center=True)
    _put(ws, r, 2, None)
    for c, h in enumerate(["年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"], 3):
        _put(ws, r, c, h, bold=True, center=True)
    rows = b.get("rows") or [
        {"label": "年度资金总额", "values": [b.get("initial"), b.get("adjusted"), b.get("executed")]},
        {"label": "其中：当年财政拨款", "values": [b.get("initial"), b.get("adjusted"), b.get("executed")]},
        {"label": "上年结转资金", "values": [None, None, None]},
        {"label": "其他资金", "values": [None, None, None]},
    ]
    for i, row in enumerate(rows):
        rr = r + 1 + i
        _put(ws, rr, 1, None)
        _put(ws, rr, 2, row["label"])
        for c, v in enumerate(row["values"][:3], 3):
            _put(ws, rr, c, v, fmt="#,##0.00")
        if i == 0:
            _put(ws, rr, 6, b.get("weight", 10))
            _put(ws, rr, 7, _budget_rate(b))
            _put(ws, rr, 8, b.get("score"))
        else:
            for c in (6, 7, 8):
                _put(ws, rr, c, "—", center=True)
    _merge(ws, r, 1, r + len(rows), 1)
    for rr in range(r, r + 1 + len(rows)):
        _merge(ws, rr, 8, rr, ncols)
    return r + 1 + len(rows)


def _write_header_block(ws: Worksheet, data: dict[str, Any], title: str, ncols: int) -> int:
    p = data.get("project") or {}
    _title(ws, 1, title, ncols)
    ws.cell(row=2, column=1, value=f"（{p.get('year')}年度）" if p.get("year") else None)
    ws.cell(row=2, column=1).alignment = Alignment(horizontal="center")
    _merge(ws, 2, 1, 2, ncols)
    _put(ws, 3, 1, "项目名称", bold=True)
    _put(ws, 3, 2, p.get("name"))
    _merge(ws, 3, 2, 3, ncols)
    _put(ws, 4, 1, "主管部门", bold=True)
    _put(ws, 4, 2, p.get("department"))
    _merge(ws, 4, 2, 4, 5)
    _put(ws, 4, 6, "实施单位", bold=True)
    _put(ws, 4, 7, p.get("unit"))
    _merge(ws, 4, 7, 4, ncols)
    return 5


def _write_goal_block(ws: Worksheet, r: int, p: dict[str, Any], ncols: int) -> int:
    _put(ws, r, 1, "年度总体目标", bold=True, center=True)
    _put(ws, r, 2, "预期目标", bold=True, center=True)
    _merge(ws, r, 2, r, 5)
    _put(ws, r, 6, "实际完成情况", bold=True, center=True)
    _merge(ws, r, 6, r, ncols)
    _put(ws, r + 1, 2, p.get("goal"))
    _merge(ws, r + 1, 2, r + 1, 5)
    _put(ws, r + 1, 6, p.get("goal_actual"))
    _merge(ws, r + 1, 6, r + 1, ncols)
    _merge(ws, r, 1, r + 1, 1)
    ws.row_dimensions[r + 1].height = 60
    return r + 2


def _write_cz2020_annex(wb: Workbook, data: dict[str, Any]) -> None:
    ws = wb.active
    ws.title = "项目支出绩效自评表"
    ncols = 10
    r = _write_header_block(ws, data, "项目支出绩效自评表", ncols)
    r = _write_funds_block(ws, r, _budget(data), ncols)
    r = _write_goal_block(ws, r, data.get("project") or {}, ncols)
    heads = ["绩效指标", "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分",
             "偏差原因分析及改进措施", None]
    for c, h in enumerate(heads, 1):
        _put(ws, r, c, h, bold=True, center=True)
    _merge(ws, r, 9, r, 10)
    lines = _annex_lines(data.get("indicators") or [])
    first = r + 1
    for i, ind in enumerate(lines):
        rr = first + i
        label = ind.get("label", "")
        name = ind.get("name")
        text = f"{label}{name}" if name and label.startswith("指标") and data.get("numbered_names") else (name or label)
        vals = [None, ind["level1"], ind["level2"], text, ind.get("target"), ind.get("actual"), ind.get("weight"),
                ind.get("score"), ind.get("reason"), None]
        for c, v in enumerate(vals, 1):
            _put(ws, rr, c, v)
        _merge(ws, rr, 9, rr, 10)
    _merge(ws, first - 1, 1, first + len(lines) - 1, 1)
    _merge_runs(ws, 2, first, [ind["level1"] for ind in lines])
    _merge_runs(ws, 3, first, [f"{ind['level1']}/{ind['level2']}" for ind in lines])
    for i, ind in enumerate(lines):  # _merge_runs wrote the run key: put the 二级 label back
        if ws.cell(row=first + i, column=3).value is not None:
            ws.cell(row=first + i, column=3).value = ind["level2"]
    _total_rows(ws, first + len(lines), {**data, "weights_total": data.get("weights_total", 100)},
                label_col=1, weight_col=7, score_col=8, last_col=ncols)
    for col, w in zip("ABCDEFGHIJ", (9, 19, 16, 30, 12, 12, 7, 7, 16, 16), strict=True):
        ws.column_dimensions[col].width = w
    _print_setup(ws)


_NATURE = {"正向": "≥", "反向": "≤", "等于": "=", "定性": "定性", "区间": "区间"}
_LEAD = re.compile(r"^(≥|≤|>=|<=|=|>|<|不低于|不少于|不高于|不超过|大于等于|小于等于)")
_QTY = re.compile(r"^(-?\d+(?:\.\d+)?)(.*)$")


def _split_target(target: Any, direction: str | None) -> tuple[str | None, Any, str | None]:
    """'≥43.2万元' → ('≥', 43.2, '万元'); '效果明显' → ('定性', '效果明显', None)."""
    if target is None:
        return None, None, None
    t = str(target).strip()
    m = _LEAD.match(t)
    sign = None
    if m:
        sign = {">=": "≥", "<=": "≤", ">": "≥", "<": "≤", "不低于": "≥", "不少于": "≥", "大于等于": "≥",
                "不高于": "≤", "不超过": "≤", "小于等于": "≤"}.get(m.group(1), m.group(1))
        t = t[m.end():]
    q = _QTY.match(t)
    if not q or any(ch.isdigit() for ch in q.group(2)) or len(q.group(2)) > 6:
        return "定性", t, None      # "2021年12月底前", "效果明显"
    nature = sign or _NATURE.get(direction or "", None) or "≥"
    return nature, q.group(1), (q.group(2) or None)


def _write_sichuan(wb: Workbook, data: dict[str, Any]) -> None:
    ws = wb.active
    ws.title = "自评表"
    ncols = 10
    r = _write_header_block(ws, data, "四川省项目支出绩效自评表", ncols)
    r = _write_funds_block(ws, r, _budget(data), ncols)
    r = _write_goal_block(ws, r, data.get("project") or {}, ncols)
    heads = ["一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位", "全年实际值", "分值", "得分",
             "偏差原因分析及改进措施"]
    if data.get("header_rows", 2) == 2:
        # 年度指标值 merged over 指标性质 / 指标值 / 度量单位; the other headers span both rows.
        for c, h in enumerate(heads, 1):
            if c in (4, 5, 6):
                _put(ws, r, c, "年度指标值" if c == 4 else None, bold=True, center=True)
                _put(ws, r + 1, c, h, bold=True, center=True)
            else:
                _put(ws, r, c, h, bold=True, center=True)
                _put(ws, r + 1, c, None)
                _merge(ws, r, c, r + 1, c)
        _merge(ws, r, 4, r, 6)
        r += 1
    else:
        for c, h in enumerate(heads, 1):
            _put(ws, r, c, h, bold=True, center=True)
    lines = data.get("indicators") or []
    first = r + 1
    for i, ind in enumerate(lines):
        direction = ind.get("direction") or ("反向" if "成本" in (ind.get("level2") or "") else None)
        nature, value, unit = _split_target(ind.get("target"), direction)
        unit = ind.get("unit") or unit
        actual = ind.get("actual")
        if unit and isinstance(actual, str) and actual.endswith(unit) and _QTY.match(actual[: -len(unit)] or "x"):
            actual = actual[: -len(unit)]
        vals = [ind.get("level1"), ind.get("level2"), ind.get("name"), nature, value, unit, actual,
                ind.get("weight"), ind.get("score"), ind.get("reason")]
        for c, v in enumerate(vals, 1):
            _put(ws, first + i, c, v)
    _merge_runs(ws, 1, first, [ind.get("level1") for ind in lines])
    _total_rows(ws, first + len(lines), {**data, "weights_total": data.get("weights_total", 100)},
                label_col=1, weight_col=8, score_col=9, last_col=ncols)
    for col, w in zip("ABCDEFGHIJ", (11, 19, 30, 8, 10, 8, 11, 7, 7, 26), strict=True):
        ws.column_dimensions[col].width = w
    _print_setup(ws, landscape=True)


def _write_scorecard(wb: Workbook, data: dict[str, Any]) -> None:
    ws = wb.active
    ws.title = "计分表"
    p = data.get("project") or {}
    year = p.get("year")
    _title(ws, 1, f"{year}年度项目支出绩效自评指标计分表" if year else "项目支出绩效自评指标计分表", 7)
    _put(ws, 2, 1, "项目名称", bold=True)
    _put(ws, 2, 2, p.get("name"))
    _merge(ws, 2, 2, 2, 7)
    for c, h in enumerate(["一级指标", "二级指标", "三级指标", "分值", "自评分", "指标解释", "指标说明"], 1):
        _put(ws, 3, c, h, bold=True, center=True)
    lines = data.get("indicators") or []
    for i, ind in enumerate(lines):
        l1 = ind.get("level1")
        l2 = ind.get("level2")
        l1 = f"{l1}（{ind['level1_weight']}分）" if ind.get("level1_weight") is not None else l1
        l2 = f"{l2}（{ind['level2_weight']}分）" if ind.get("level2_weight") is not None else l2
        vals = [l1, l2, ind.get("name"), ind.get("weight"), ind.get("score"), ind.get("explain"), ind.get("note")]
        for c, v in enumerate(vals, 1):
            _put(ws, 4 + i, c, v)
    _merge_runs(ws, 1, 4, [ind.get("level1") for ind in lines])
    _merge_runs(ws, 2, 4, [f"{ind.get('level1')}/{ind.get('level2')}" for ind in lines])
    for i, ind in enumerate(lines):
        cell = ws.cell(row=4 + i, column=2)
        if cell.value is not None:
            l2 = ind.get("level2")
            cell.value = f"{l2}（{ind['level2_weight']}分）" if ind.get("level2_weight") is not None else l2
    r = 4 + len(lines)
    if data.get("total_score") is not None:
        _put(ws, r, 1, "合计", bold=True)
        _merge(ws, r, 1, r, 3)
        _put(ws, r, 4, data.get("weights_total", 100))
        _put(ws, r, 5, data["total_score"])
    for col, w in zip("ABCDEFG", (10, 16, 24, 6, 7, 40, 40), strict=True):
        ws.column_dimensions[col].width = w
    _print_setup(ws, landscape=True)


_WRITERS: dict[str, Callable[[Workbook, dict[str, Any]], None]] = {
    "seed004": _write_seed004,
    "cz2020-annex": _write_cz2020_annex,
    "seed001-scorecard": _write_scorecard,
    "sichuan": _write_sichuan,
}
SAMPLE_LAYOUTS: tuple[str, ...] = tuple(_WRITERS)
_DEFAULT = {"seed001-scorecard": SEED001}


def default_data(layout: str) -> dict[str, Any]:
    """The seed data a layout reproduces by default (a deep copy)."""
    data = copy.deepcopy(_DEFAULT.get(layout, SEED004))
    if layout in ("cz2020-annex", "sichuan"):
        # These layouts carry 预算执行率 in the funds block and a 总分 row.
        data["budget"].pop("rows", None)
        data["total_score"] = 99.51
    return data


def write_sample(layout: str, path: str | Path, data: dict[str, Any] | None = None) -> Path:
    """Write a workbook shaped like the published ``layout`` (see SAMPLE_LAYOUTS), atomically."""
    if layout not in _WRITERS:
        raise ValueError(f"未知的样例版式：{layout}（可用：{'、'.join(SAMPLE_LAYOUTS)}）")
    data = default_data(layout) if data is None else data
    wb = Workbook()
    _WRITERS[layout](wb, data)
    path = Path(path)
    with atomic_path(path) as tmp:
        wb.save(tmp)
    return path


# ---------------------------------------------------------------------------------------------
# corpus

_UNITS = ["人民医院", "疾病预防控制中心", "医疗保障事务中心", "教育局", "农业农村局", "水利局", "文化馆", "民政局",
          "交通运输局", "林业站", "社区卫生服务中心", "图书馆"]
_PROJECTS = ["基本公共卫生服务补助", "城乡居民医疗保险补助", "农村公路养护", "义务教育薄弱环节改善", "高标准农田建设",
             "小型水库维修养护", "公共文化服务体系建设", "困难群众救助", "森林防火", "医疗救助补助资金"]
# (level1, level2, name, target, unit-of-actual kind)
_POOL = [
    ("产出指标", "数量指标", "补助人数", "≥{n}万人", "qty"),
    ("产出指标", "数量指标", "培训人次", "≥{n}人次", "qty"),
    ("产出指标", "数量指标", "维修养护里程", "{n}公里", "qty"),
    ("产出指标", "质量指标", "验收合格率", "≥95%", "pct"),
    ("产出指标", "质量指标", "资金拨付准确率", "100%", "pct"),
    ("产出指标", "时效指标", "资金拨付及时率", "≥90%", "pct"),
    ("产出指标", "时效指标", "完成时间", "2021年12月底前", "text"),
    ("产出指标", "成本指标", "人均补助标准", "≤{n}元/人", "cost"),
    ("产出指标", "成本指标", "项目总成本", "≤{n}万元", "cost"),
    ("效益指标", "社会效益指标", "群众就医负担", "有效减轻", "text"),
    ("效益指标", "社会效益指标", "政策知晓率", "≥80%", "pct"),
    ("效益指标", "经济效益指标", "带动增收", "≥{n}万元", "qty"),
    ("效益指标", "可持续影响指标", "长效管护机制", "持续发挥作用", "text"),
    ("满意度指标", "服务对象满意度指标", "服务对象满意度", "≥90%", "pct"),
]
_QUALITATIVE_ACTUALS = ["达成预期指标", "效果明显", "部分达成", "达到了指标值"]


def random_unit(rng: random.Random, index: int = 0) -> dict[str, Any]:
    """One realistic unit's self-evaluation in the DESIGN.md JSON shape."""
    unit = rng.choice(_UNITS)
    adjusted = Decimal(rng.randrange(2000, 500000)) / 100
    initial = adjusted if rng.random() < 0.7 else (adjusted * Decimal(rng.choice(["0.8", "0.9", "1"]))).quantize(
        Decimal("0.01"))
    rate = Decimal(rng.choice([100] * 4 + [99, 97, 95, 92, 88, 80, 70])) / 100
    executed = (adjusted * rate - Decimal(rng.randrange(0, 100)) / 100).quantize(Decimal("0.01"))
    executed = max(executed, Decimal(0))
    exec_rate = executed / adjusted
    budget_score = (Decimal(10) * min(exec_rate, Decimal(1))).quantize(Decimal("0.01"))
    picks: dict[str, list[tuple]] = {}
    for row in _POOL:
        picks.setdefault(row[0], []).append(row)
    inds: list[dict[str, Any]] = []
    plan = [("产出指标", 50, rng.randint(3, 5)), ("效益指标", 30, rng.randint(1, 3)), ("满意度指标", 10, 1)]
    for level1, total, k in plan:
        chosen = rng.sample(picks[level1], k)
        chosen.sort(key=lambda t: _POOL.index(t))
        weights = _split_weight(total, k, rng)
        for (l1, l2, name, target_t, kind), w in zip(chosen, weights, strict=True):
            n = rng.choice([1.2, 5, 18, 30, 120, 300, 830, 1500])
            target = target_t.format(n=n)
            shortfall = rng.random() < 0.25
            if kind == "qty":
                unit_txt = re.sub(r"^[≥≤]?[\d.]+", "", target)
                val = Decimal(str(n)) * Decimal(rng.choice(["0.8", "0.95", "1", "1.04", "1.2", "1.5"] if shortfall
                                                          else ["1", "1.04", "1.2"]))
                actual = f"{val.normalize():f}{unit_txt}"
            elif kind == "cost":
                unit_txt = re.sub(r"^[≥≤]?[\d.]+", "", target)
                val = Decimal(str(n)) * Decimal(rng.choice(["0.7", "0.9", "1"] if not shortfall else ["1.1", "1.3"]))
                actual = f"{val.quantize(Decimal('0.01')).normalize():f}{unit_txt}"
            elif kind == "pct":
                actual = f"{rng.choice([78, 85, 92, 96, 98, 100] if shortfall else [96, 98, 100])}%"
            else:
                actual = rng.choice(_QUALITATIVE_ACTUALS if shortfall else _QUALITATIVE_ACTUALS[:2])
            score = Decimal(w) if not shortfall else (Decimal(w) * Decimal(rng.choice(["0.7", "0.8", "0.9"]))).quantize(
                Decimal("0.01"))
            inds.append({"level1": l1, "level2": l2, "name": name, "target": target, "actual": actual,
                         "weight": w, "score": float(score),
                         "reason": "受客观因素影响，部分任务未完全完成，下一步加强管理。" if shortfall else None})
    total_score = budget_score + sum(Decimal(str(i["score"])) for i in inds)
    return {
        "project": {"name": f"{rng.choice(_PROJECTS)}项目", "department": "县卫生健康局" if "医" in unit else "县财政局",
                    "unit": f"县{unit}", "year": 2021,
                    "goal": "按期完成年度任务，资金使用规范，服务对象满意。", "goal_actual": "已按计划完成年度目标。"},
        "budget": {"initial": float(initial), "adjusted": float(adjusted), "executed": float(executed),
                   "weight": 10, "score": float(budget_score)},
        "indicators": inds,
        "total_score": float(total_score),
    }


def _split_weight(total: int, k: int, rng: random.Random) -> list[int]:
    """Split ``total`` points into ``k`` positive integer weights (multiples of 5 when possible)."""
    if total % (5 * k) == 0 or total // 5 >= k:
        units = [1] * k
        for _ in range(total // 5 - k):
            units[rng.randrange(k)] += 1
        out = [u * 5 for u in units]
        out[-1] += total - sum(out)
        return out
    base = [total // k] * k
    base[-1] += total - sum(base)
    return base


def write_corpus(folder: str | Path, n: int, seed: int = 0,
                 layouts: tuple[str, ...] = ("cz2020-annex", "sichuan", "seed004")) -> list[Path]:
    """Write ``n`` varied unit workbooks into ``folder`` across published layouts (deterministic by seed).

    File names: ``unit_0001_<layout>.xlsx``. Returns the paths in order.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    paths = []
    for i in range(n):
        layout = layouts[i % len(layouts)]
        data = random_unit(rng, i)
        paths.append(write_sample(layout, folder / f"unit_{i + 1:04d}_{layout}.xlsx", data))
    return paths
