"""识别记录 in Chinese: how the reader understood a sheet (``Evaluation.recognition``), as lines of
text — printed by ``jixiao read --explain`` and written under the findings of the 校验结果 sheet."""

from __future__ import annotations

from workbook_templates.model import Evaluation, unchecked_note
from workbook_templates.reader import headers


def _cell(ref: str | None) -> str:
    return ref.rpartition("!")[2] if ref else ""


def explain_lines(ev: Evaluation) -> list[str]:
    """The recognition record of ``ev`` as lines (no markup)."""
    rec = ev.recognition
    if rec is None:
        return _template_lines(ev)
    h = headers()
    roles = h["row_role_labels"]
    out = [f"识别记录 — 工作表“{rec.sheet}”",
           f"版式：{rec.layout}（{rec.layout_reason}）",
           f"指标表表头：第{'–'.join(str(n) for n in rec.header_rows[:1] + rec.header_rows[1:][-1:])}行"
           + (f"（{len(rec.header_rows)} 行）" if len(rec.header_rows) > 2 else "")]
    out.append("表头 → 字段：")
    for c in rec.columns:
        same = "" if c["synonym"] == c["header"] else f"，按同义词“{c['synonym']}”"
        out.append(f"  {_cell(c['cell'])}“{c['header']}” → {c['label']}{same}")
    for m in rec.missing:
        words = "、".join(m["looked_for"][:8]) + ("…" if len(m["looked_for"]) > 8 else "")
        out.append(f"  未找到：{m['label']}（查找的表头：{words}）")
    b = rec.budget
    if b:
        out.append(f"资金：{b['source']}，工作表“{b['sheet']}”{_cell(b['cell'])}；"
                   f"金额单位：{b['unit']}（{_cell(b['unit_from'])}）")
        for c in b.get("columns", []):
            if "field" in c:
                out.append(f"  {_cell(c['cell'])}“{c['header']}” → {c['label']}")
            else:
                out.append(f"  {_cell(c['cell'])}“{c['label']}”")
        kinds = {"total": "（合计）", "part": "（其中）"}
        rows = [r["label"] + kinds.get(r.get("role", ""), "") for r in b.get("rows", [])]
        if rows:
            out.append(f"  行：{'、'.join(rows)}")
    if rec.project:
        out.append("项目信息：" + "；".join(f"{p['label']} ← {_cell(p['cell'])}" for p in rec.project))
    if rec.rows:
        out.append("行的识别：")
        for r in rec.rows:
            of = f"（属于 {_cell(r['of'])} 的指标）" if r.get("of") else ""
            out.append(f"  第{r['row']}行 {roles.get(r['role'], r['role'])}：{r['text'] or ''}{of}")
    out += [f"说明：{n}" for n in rec.notes]
    note = unchecked_note(ev.extra.get("unchecked"))
    if note:
        out.append(f"说明：{note}，规则总分未计算")
    return out


def _template_lines(ev: Evaluation) -> list[str]:
    """Our templates are read by their defined names: say which cells held what."""
    out = [f"识别记录 — 标准模板“{ev.layout}”（按模板的定义名称读取，工作表“{ev.sheet or ''}”）"]
    h = headers()
    funds, project = h["field_labels"], h["project_field_labels"]
    table = {"indicators": "指标表", "total_score": "总分", "weights_total": "分值合计", "grade": "评价等级"}
    cells = {**{f"预算：{funds.get(k, k)}": v for k, v in ev.budget.cells.items()},
             **{f"项目：{project.get(k, k)}": v for k, v in ev.project.cells.items()},
             **{table.get(k, k): v for k, v in ev.cells.items()}}
    out += [f"  {k} ← {v}" for k, v in cells.items()]
    out.append(f"  指标：{len(ev.indicators)} 项" + (f"（第一项 {ev.indicators[0].cell}）" if ev.indicators else ""))
    return out
