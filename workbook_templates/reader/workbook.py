"""Whole workbooks: find the 自评表 sheet(s), read funds, indicators and project fields into an
Evaluation; our templates go through ``template_reader``."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from ..errors import ReadError
from ..grid import Grid
from ..loaders import Book, load_book
from ..model import Evaluation, Finding, Recognition
from .budget import _read_budget_rows, _read_funds_block
from .cells import _MERGE_CACHE, _Ctx, _ref, norm
from .header_map import describe_columns, find_indicator_headers, missing_fields
from .indicators import _read_indicators
from .layout import layout_and_reason
from .project import _read_project
from .vocabulary import headers, layouts

# ---------------------------------------------------------------------------------------------

def _tables(grids: list[Grid], source: str | None, sheet: str | None) -> tuple[list[Grid], list[tuple]]:
    """Visible (non-underscore) grids and every (grid, header row, columns) holding a 自评表."""
    for g in grids:                 # indexes of an earlier read of a grid changed since
        if (hit := _MERGE_CACHE.get(id(g))) is not None and hit.grid is g:
            del _MERGE_CACHE[id(g)]
    visible = [g for g in grids if not g.name.startswith("_")]
    search = [g for g in visible if g.name == sheet] if sheet else visible
    if sheet and not search:
        names = "、".join(g.name for g in grids)
        raise ReadError(f"没有名为“{sheet}”的工作表（现有：{names}）", file=source)
    # (grid, last header row, columns, first header row)
    found = [(g, last, cols, top) for g in search if (hdr := find_indicator_headers(g)) for top, last, cols in [hdr]]
    # A 填表说明/示例 sheet's sample table counts only when no other sheet holds one.
    guide = tuple(headers()["guide_sheet_words"])
    real = [t for t in found if not any(w in t[0].name for w in guide)]
    found = real or found
    if not found:
        raise ReadError("未找到绩效自评表：没有包含“三级指标/目标指标/指标名称”和“分值/权重”表头的工作表"
                        f"（已查看：{'、'.join(g.name for g in search) or '无'}）", file=source)
    return visible, found


def _evaluate(g: Grid, hr: int, cols: dict[str, int], top: int, others: list[Grid], source: str | None,
              defined_names: dict[str, str] | None) -> Evaluation:
    layout, why = layout_and_reason(g)
    ev = Evaluation(source=source, layout=layout, sheet=g.name)
    ev.cells["indicators"] = _ref(g, hr, cols["name"])
    h = headers()
    ev.recognition = rec = Recognition(sheet=g.name, layout=layout, layout_reason=why,
                                       header_rows=list(range(top + 1, hr + 2)))
    rec.columns = lambda: describe_columns(g, hr, cols, "indicator_columns", min(top, hr - 1))   # when asked for
    lay = next((x for x in layouts() if x["id"] == ev.layout), {})
    if lay.get("profile"):
        ev.extra["profile"] = lay["profile"]   # the rule profile this published layout implies
    ctx = _Ctx(ev, source)
    # Funds: the 项目资金 block or the (1)–(7) table, on the 自评表 sheet first, then the others.
    order = [g] + [x for x in others if x is not g]
    for x in order:
        if _read_funds_block(ctx, x):
            break
    for x in order:
        if _read_budget_rows(ctx, x):
            break
    _read_indicators(ctx, g, hr, cols)
    if ctx.hidden:
        ev.findings.append(Finding("hidden-rows-skipped", "info", ctx.hidden[0],
                                   f"跳过了 {len(ctx.hidden)} 行隐藏行（第一行在 {ctx.hidden[0]}），"
                                   "隐藏行中的指标或预算数未计入；如需计入请取消隐藏"))
    _read_project(ev, order)
    _uncalculated(ev, order)
    _not_found(ev, cols, lay.get("needs", h["indicator_needs"]))
    _total_from_scores(ev)
    labels = h["project_field_labels"]
    rec.project = [{"field": f, "label": labels.get(f, f), "cell": c} for f, c in ev.project.cells.items()]
    if defined_names:
        ev.extra["defined_names"] = dict(defined_names)
    return ev


SEVERE = ("target", "actual", "weight")     # without these no indicator can be checked at all


def _not_found(ev: Evaluation, cols: dict[str, int], needs: list[str]) -> None:
    """``column-not-recognised`` for every field the layout needs and the header lacks — naming
    what was looked for — and for a sheet without any funds figures (never a silent gap)."""
    rec = ev.recognition
    assert rec is not None
    header = "、".join(f"第{n}行" for n in rec.header_rows)
    for m in missing_fields(cols, [f for f in needs if f != "budget"], "indicator_columns"):
        if ev.indicators and all(getattr(i, m["field"]) is not None for i in ev.indicators):
            continue        # every indicator has it from elsewhere (分值 written "（4分）" in the names)
        rec.missing.append(m)
        words = "、".join(f"“{w}”" for w in m["looked_for"])
        what = "规则无法计分" if m["field"] in ("target", "actual", "weight") else "无法核对得分与总分"
        ev.findings.append(Finding(
            "column-not-recognised", "error" if m["field"] in SEVERE else "warning", ev.cells.get("indicators"),
            f"未识别出“{m['label']}”列：表头（{header}）中没有{words}之一，该列未读取，{what}；"
            "如表头另有写法，请改为上述写法之一或在 layouts/*.json 中补充同义词"))
    b = ev.budget
    if "budget" in needs and not b.rows and not any(
            getattr(b, f) is not None for f in ("initial", "adjusted", "available", "executed", "rate")):
        h = headers()
        words = "、".join(f"“{w}”" for w in h["funds_columns"]["adjusted"][:3] + h["funds_columns"]["executed"][:2])
        label = h["field_labels"]["budget"]
        rec.missing.append({"field": "budget", "label": label,
                            "looked_for": h["funds_columns"]["adjusted"] + h["funds_columns"]["executed"]})
        ev.findings.append(Finding(
            "column-not-recognised", "warning", ev.cells.get("indicators"),
            f"未找到{label}：各工作表中没有含{words}等表头的资金表，也没有“(1)年初预算资金”等行次；"
            "预算执行率未读取，无法按规则计分"))


def _total_from_scores(ev: Evaluation) -> None:
    """A table without a 总分 row (seed 004's 自评表): its stated total is the sum of its stated
    scores (the budget part included) — said so in ``total_score_source`` and the record."""
    if ev.extra.get("total_row") or ev.total_score is not None:
        return
    parts = [x for x in [ev.budget.score] + [i.score for i in ev.indicators] if x is not None]
    if not parts:
        return
    ev.total_score = sum(parts, Decimal(0))
    ev.extra["total_score_source"] = "sum-of-scores"
    if ev.recognition is not None:
        ev.recognition.notes.append(f"表中没有总分行：总分按各项得分合计为 {format(ev.total_score.normalize(), 'f')}"
                                    f"（{len(parts)} 项）")


def _uncalculated(ev: Evaluation, grids: list[Grid]) -> None:
    """One warning when formula cells have no calculated value (the file was never calculated by
    Excel/WPS): those cells read as blank, so stated 得分/完成率 may be missing."""
    cells = [(g, r, c) for g in grids for (r, c) in sorted(g.formulas) if g.value(r, c) is None]
    if not cells:
        return
    g, r, c = cells[0]
    more = f"等{len(cells)}处" if len(cells) > 1 else ""
    ev.findings.append(Finding("formula-not-calculated", "warning", _ref(g, r, c),
                               f"单元格{_ref(g, r, c)}{more}是公式，但文件中没有计算结果（文件未经 Excel/WPS 计算保存），"
                               "按空白读取；请在 Excel 或 WPS 中打开并保存后再校验"))


def read_grids(grids: list[Grid], source: str | None = None, defined_names: dict[str, str] | None = None,
               profile: Any = None, sheet: str | None = None) -> Evaluation:
    """An Evaluation from sheet grids (any loader): the first sheet holding a 自评表; the funds
    table and project fields may sit on other sheets (seed 004's pair). ``sheet`` restricts the
    自评表 search to one sheet.

    Raises ReadError (Chinese, naming the file and what was looked for) when no 自评表 is found.
    """
    visible, found = _tables(grids, source, sheet)
    g, hr, cols, top = found[0]
    return _evaluate(g, hr, cols, top, visible, source, defined_names)


def read_grids_all(grids: list[Grid], source: str | None = None, defined_names: dict[str, str] | None = None,
                   profile: Any = None) -> list[Evaluation]:
    """One Evaluation per sheet holding a 自评表 (workbooks with a sheet per project). With several,
    each reads funds and project fields from its own sheet only."""
    visible, found = _tables(grids, source, None)
    others = visible if len(found) == 1 else []
    return [_evaluate(g, hr, cols, top, others, source, defined_names) for g, hr, cols, top in found]


def _template_id(book: Book) -> str | None:
    """The _meta sheet's template id when it is one of ours; an unknown id (a newer version's
    template, a hand-edited _meta) is read by headers like any workbook."""
    meta = book.grid("_meta")
    if meta is None or norm(meta.value(0, 0)) != "template_id":
        return None
    from ..builder import template_ids  # imports openpyxl: only for a workbook with a _meta sheet

    v = meta.value(0, 1)
    tid = str(v).strip() if v else None
    return tid if tid in template_ids() else None


def read_book(book: Book, path: str | Path | None = None, profile: Any = None,
              sheet: str | None = None) -> Evaluation:
    """Evaluation from a loaded Book: our templates through ``template_reader``, else by headers;
    a Word/PDF report (``docx_loader.Document``) through ``document_reader``."""
    from ..docx_loader import Document

    if isinstance(book, Document):
        from ..document_reader import read_document

        return read_document(book, path, profile=profile, sheet=sheet)
    source = str(path) if path is not None else book.source
    tid = _template_id(book)
    if tid:
        try:
            from .. import template_reader  # written by the templates engineer
        except ImportError:
            template_reader = None
        fn = getattr(template_reader, "read_template", None)
        if fn is not None:
            # the file on disk holds the formulas the template checksum covers; a live workbook
            # (xlwings) is no file: its name must not be opened from the current folder
            ev = fn(path, book.grids, book.defined_names, tid, on_disk=book.engine != "xlwings")
            # --sheet naming another (or no) sheet: read that sheet by headers, which says so.
            if ev is not None and (sheet is None or sheet == ev.sheet):
                ev.source = ev.source or source
                return ev
    try:
        # Visible sheets first: a hidden sheet often holds last year's copy or lookup lists.
        grids = [g for g in book.grids if g.name not in book.hidden] + [g for g in book.grids if g.name in book.hidden]
        ev = read_grids(grids, source=source, defined_names=book.defined_names, profile=profile, sheet=sheet)
    except ReadError as exc:
        if book.truncated:
            capped = "、".join(f"{k}（前 {v} 行）" for k, v in book.truncated.items())
            raise ReadError(f"{exc.message}；工作表过大，只读取了 {capped}", file=exc.file) from None
        raise
    if tid:
        ev.layout = ev.layout if ev.layout != "generic" else tid
    if ev.sheet in book.hidden and sheet is None:       # never silent: say where the table came from
        ev.findings.append(Finding(
            "hidden-sheet-read", "warning", f"{ev.sheet}!A1",
            f"可见的工作表中没有可识别的自评表，读取的是隐藏工作表“{ev.sheet}”（常为上年或备用的副本）；"
            "请确认这是本年度的表，或取消隐藏后核对"))
    if book.truncated:
        capped = "、".join(f"{k}（前 {v} 行）" for k, v in book.truncated.items())
        ev.findings.append(Finding("sheet-truncated", "warning", None, f"工作表过大，只读取了 {capped}"))
    ev.extra["engine"] = book.engine
    return ev


def read_workbook(path: str | Path, profile: Any = None, sheet: str | None = None,
                  engine: str = "auto") -> Evaluation:
    """Read a 自评表 from a file: safety checks first (safety.preflight), then a loader, then headers.

    Raises ReadError with a Chinese message naming the file and what was looked for.
    """
    from ..safety import preflight

    info = preflight(path)
    book = load_book(path, engine=engine, kind=info.kind, big=info.big, parts=info.parts)
    return read_book(book, path, profile=profile, sheet=sheet)


def read_workbook_all(path: str | Path, profile: Any = None, engine: str = "auto") -> list[Evaluation]:
    """Every 自评表 in a file (one per sheet); our templates give one. Same checks as read_workbook."""
    from ..safety import preflight

    info = preflight(path)
    book = load_book(path, engine=engine, kind=info.kind, big=info.big, parts=info.parts)
    from ..docx_loader import Document

    if _template_id(book) or isinstance(book, Document):     # a report: one 自评表, its copies cross-checked
        return [read_book(book, path, profile=profile)]
    evs = read_grids_all(book.grids, source=str(path), defined_names=book.defined_names, profile=profile)
    for ev in evs:
        ev.extra["engine"] = book.engine
    return evs
