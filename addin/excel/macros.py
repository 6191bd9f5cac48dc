"""The ribbon buttons' entry points (RunPython targets of addin/excel/vba/JixiaoRibbon.bas).

Each entry point takes the workbook explicitly (``book=``) or uses ``xlwings.Book.caller()``,
reads the sheets as grids through xlwings (``workbook_templates.loaders.grid_from_values``), runs
the same pipeline as the command line (reader → ``addin.validate.validate`` → report/consolidate)
and writes back into the live workbook: a ``校验结果`` / ``计分结果`` sheet, fill colours and notes
on the cells concerned, rule scores into *empty* score cells; reports and summaries as files next
to the workbook under a name not yet taken. Progress goes to the status bar, errors to a Chinese
message box; the writes of one button are applied as a unit — if one fails, the ones before it are
undone. Only xlwings' engine-neutral API is used, so the same code runs in desktop Excel and on
the remote engine (``xlwings.Book(json=…)``: xlwings Server/Lite, and the headless tests).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from udfs import InputError
from workbook_templates.errors import ReadError, WriteError
from workbook_templates.grid import Grid, parse_a1, plain_value, split_ref
from workbook_templates.model import Evaluation, Finding

TITLE = "绩效自评"
FINDINGS_SHEET = "校验结果"
SCORES_SHEET = "计分结果"
FUNCTIONS_SHEET = "函数说明"
RESULT_SHEETS = (FINDINGS_SHEET, SCORES_SHEET, FUNCTIONS_SHEET)
FILL_COLOURS = {"error": "#FFC7CE", "warning": "#FFEB9C", "info": "#DDEBF7"}
WRITTEN_FILL = "#E2EFDA"
HEADER_FILL = "#D9E1F2"
NOTE_PREFIX = "【jixiao】"
# Columns of the 校验结果 sheet; the last two let 清除标记 undo exactly what 校验 did.
FINDINGS_HEADER = ["序号", "严重程度", "问题", "位置", "单元格", "说明", "应为", "规则编号", "原底色", "已加批注"]  # annotate's + 2
FINDINGS_TOP = 3          # header row (1-based) of the findings table
RANGE_NOTE = ("区域公式（如 =指标得分(G14:G40,E14:E40,F14:F40)）：Excel 2021/Microsoft 365 自动溢出；"
              "Excel 2010–2019 请先选中同样大小的输出区域（如 H14:H40），输入公式后按 Ctrl+Shift+Enter（数组公式）。"
              "出现 #VALUE! 时，用 =错误原因(单元格) 查看原因。")


# ---------------------------------------------------------------------------------------------
# Book access


def _book(book: Any = None) -> Any:
    if book is not None:
        return book
    import xlwings as xw

    return xw.Book.caller()


def status(book: Any, text: str | bool) -> None:
    """Excel's status bar (False gives it back to Excel); silently skipped where unsupported."""
    with contextlib.suppress(Exception):
        book.app.status_bar = text


def alert(book: Any, text: str) -> None:
    """A message box with the 绩效自评 title."""
    try:
        book.app.alert(text, title=TITLE)
    except Exception:  # noqa: BLE001 - no UI at all: the message still reaches the log
        print(text)


def merged_ranges(rng: Any) -> list[tuple[int, int, int, int]]:
    """Merged areas inside ``rng`` (0-based, inclusive) — desktop Excel on Windows (COM) only:
    from the saved file's XML when the workbook is saved unchanged (no COM call per area), else
    ``merged.merged_areas`` (a bounded number of calls). Other engines cannot say synchronously,
    and the reader copes without them."""
    from .merged import merged_areas, merged_from_file

    try:
        api = rng.api
        if api.MergeCells is False:
            return []
        book = rng.sheet.book
        if api.Worksheet.Parent.Saved:
            found = merged_from_file(str(book.fullname), rng.sheet.name)
            if found is not None:
                r0, c0 = rng.row - 1, rng.column - 1
                r9, c9 = r0 + rng.shape[0] - 1, c0 + rng.shape[1] - 1
                return [a for a in found if a[0] <= r9 and a[2] >= r0 and a[1] <= c9 and a[3] >= c0]
        return merged_areas(api)
    except Exception:  # noqa: BLE001 - remote/macOS engines: no COM range
        return []


def sheet_grid(sheet: Any) -> Grid:
    """The sheet's used range as a Grid in sheet coordinates."""
    from workbook_templates.loaders import grid_from_values

    rng = sheet.used_range
    values = rng.options(ndim=2).value
    return grid_from_values(sheet.name, values, merged=merged_ranges(rng),
                            origin=(rng.row - 1, rng.column - 1), number_formats=percent_formats(rng, values))


def percent_formats(rng: Any, values: list[list[Any]]) -> dict[tuple[int, int], str]:
    """Number formats of the numeric cells of ``rng`` that show a percent (0.95 shown as 95% is 95%),
    in sheet coordinates. One ``number_format`` call per column; a column of mixed formats (xlwings
    gives None) is asked cell by cell, numeric cells only."""
    from udfs.numbers import is_percent_format

    out: dict[tuple[int, int], str] = {}
    r0, c0 = rng.row - 1, rng.column - 1
    ncols = max((len(row) for row in values), default=0)
    for j in range(ncols):
        rows = [i for i, row in enumerate(values)
                if j < len(row) and isinstance(row[j], (int, float)) and not isinstance(row[j], bool)]
        if not rows:
            continue
        try:
            col = rng.columns[j]
            fmt = col.number_format
            codes = {i: fmt for i in rows} if fmt is not None else {i: col[i].number_format for i in rows}
        except Exception:  # noqa: BLE001 - an engine without number formats: values as they are
            continue
        out.update({(r0 + i, c0 + j): code for i, code in codes.items() if is_percent_format(code)})
    return out


def book_grids(book: Any) -> list[Grid]:
    return [sheet_grid(s) for s in book.sheets if s.name not in RESULT_SHEETS]


def _defined_names(book: Any) -> dict[str, str]:
    out: dict[str, str] = {}
    with contextlib.suppress(Exception):
        for n in book.names:
            with contextlib.suppress(Exception):
                out[n.name] = str(n.refers_to).lstrip("=")
    return out


def read_book(book: Any) -> Evaluation:
    """The 自评表 of the open workbook (active sheet first, then any sheet), as the CLI reads a file."""
    from workbook_templates.loaders import Book
    from workbook_templates.reader import read_book as read

    loaded = Book(grids=book_grids(book), defined_names=_defined_names(book), engine="xlwings",
                  source=book.name)
    active = book.sheets.active.name
    if active not in RESULT_SHEETS and not active.startswith("_"):
        with contextlib.suppress(ReadError):
            return read(loaded, book.name, sheet=active)
    return read(loaded, book.name)


def evaluate(book: Any) -> tuple[Evaluation, list[Finding]]:
    """Read, score and check the open workbook (same pipeline as ``jixiao validate``)."""
    from addin.validate import validate as check

    ev = read_book(book)
    findings = check(ev)
    return ev, findings






# ---------------------------------------------------------------------------------------------
# Writes applied as one unit


@dataclass
class Changes:
    """Write operations planned first and applied together; undone in reverse if one fails."""

    book: Any
    ops: list[tuple[Callable[[], Any], Callable[[], Any] | None]] = field(default_factory=list)

    def add(self, do: Callable[[], Any], undo: Callable[[], Any] | None = None) -> None:
        self.ops.append((do, undo))

    def apply(self) -> None:
        impl = getattr(self.book, "impl", None)
        queued = getattr(impl, "_json", None)      # remote engine: actions are queued, not sent
        mark = len(queued["actions"]) if isinstance(queued, dict) else None
        done: list[Callable[[], Any] | None] = []
        screen = _screen_updating(self.book, False)
        try:
            for do, undo in self.ops:
                do()
                done.append(undo)
        except Exception:
            if mark is not None:
                del queued["actions"][mark:]     # nothing of this button reaches the workbook
            else:
                for undo in reversed(done):
                    if undo is not None:
                        with contextlib.suppress(Exception):
                            undo()
            raise
        finally:
            if screen is not None:
                _screen_updating(self.book, screen)


def _screen_updating(book: Any, value: bool) -> bool | None:
    """Set Excel's screen updating (desktop); returns the previous value, None where unsupported."""
    try:
        if book.app.engine.name != "excel":
            return None
        old = book.app.screen_updating
        book.app.screen_updating = value
        return old
    except Exception:  # noqa: BLE001 - not available on this engine
        return None


def _range(book: Any, ref: str) -> Any | None:
    sheet, a1 = split_ref(ref)
    if sheet not in [s.name for s in book.sheets]:
        return None
    try:
        parse_a1(a1)
    except (ValueError, IndexError):
        return None
    return book.sheets[sheet][a1]


def _has_formula(rng: Any) -> bool:
    """True when the cell holds a formula (desktop engines; the remote payload carries values only)."""
    try:
        f = rng.formula
    except Exception:  # noqa: BLE001 - not readable synchronously on the remote engine
        return False
    return isinstance(f, str) and f.startswith("=")


def _colour_of(rng: Any) -> str:
    """The cell's fill as #RRGGBB, '' for none, '?' where the engine cannot say (remote)."""
    try:
        c = rng.color
    except Exception:  # noqa: BLE001 - NotImplementedError on the remote engine
        return "?"
    if c is None:
        return ""
    if isinstance(c, tuple):
        return "#{:02X}{:02X}{:02X}".format(*c)
    return str(c)


def _replace_sheet(changes: Changes, book: Any, name: str, rows: list[list[Any]],
                   styles: Callable[[Any], None] | None = None) -> None:
    """Delete sheet ``name`` if present and add it again (after the last sheet) holding ``rows``."""

    def do() -> None:
        if name in [s.name for s in book.sheets]:
            book.sheets[name].delete()
        sheet = book.sheets.add(name, after=book.sheets[len(book.sheets) - 1])
        if rows:
            width = max(len(r) for r in rows)
            sheet["A1"].value = [list(r) + [None] * (width - len(r)) for r in rows]
        if styles:
            styles(sheet)

    changes.add(do)


# ---------------------------------------------------------------------------------------------
# Buttons


@contextlib.contextmanager
def button(book: Any, busy: str) -> Iterator[None]:
    """Status bar while working; any error becomes a Chinese message box, never a traceback."""
    status(book, busy)
    try:
        yield
    except (ReadError, WriteError, InputError) as exc:
        alert(book, f"错误：{exc}")
    except Exception as exc:  # noqa: BLE001 - a button must not end in a Python traceback
        alert(book, f"错误：处理时发生意外问题（{type(exc).__name__}: {exc}）。工作簿未被修改。")
    finally:
        status(book, False)


def _previous_marks(book: Any) -> list[tuple[str, str, bool]]:
    """(cell, original fill, note added) recorded by the last 校验 in its 校验结果 sheet."""
    if FINDINGS_SHEET not in [s.name for s in book.sheets]:
        return []
    values = book.sheets[FINDINGS_SHEET].used_range.options(ndim=2).value or []
    if len(values) < FINDINGS_TOP or list(values[FINDINGS_TOP - 1][:len(FINDINGS_HEADER)]) != FINDINGS_HEADER:
        return []
    col_cell, col_fill, col_note = (FINDINGS_HEADER.index(h) for h in ("单元格", "原底色", "已加批注"))
    out, seen = [], set()
    for row in values[FINDINGS_TOP:]:
        ref = row[col_cell]
        if ref and ref not in seen:
            seen.add(ref)
            out.append((str(ref), str(row[col_fill] or ""), row[col_note] == "是"))
    return out


def _plan_clear(changes: Changes, book: Any) -> int:
    """Restore fills and remove the notes a previous 校验 added; drop its 校验结果 sheet."""
    marks = _previous_marks(book)
    for ref, fill, note in marks:
        rng = _range(book, ref)
        if rng is None:
            continue
        colour = None if fill in ("", "?") else fill
        changes.add(lambda rng=rng, colour=colour: setattr(rng, "color", colour))
        if note:
            changes.add(lambda rng=rng: rng.note.delete() if rng.note is not None else None)
    if FINDINGS_SHEET in [s.name for s in book.sheets]:
        changes.add(lambda: book.sheets[FINDINGS_SHEET].delete())
    return len(marks)


def validate(book: Any = None) -> list[Finding] | None:
    """校验: findings into a 校验结果 sheet, fill colours and notes on the cells concerned."""
    from addin.rules import SEVERITY_LABELS
    from addin.validate import describe_profile

    book = _book(book)
    with button(book, "绩效自评：正在校验……"):
        ev, findings = evaluate(book)
        changes = Changes(book)
        previous = {ref: (fill, note) for ref, fill, note in _previous_marks(book)}
        _plan_clear(changes, book)
        order = {"error": 0, "warning": 1, "info": 2}
        worst: dict[str, Finding] = {}
        notes: dict[str, list[str]] = {}
        for f in findings:
            if not f.cell or _range(book, f.cell) is None:
                continue
            key = f.cell
            if key not in worst or order.get(f.severity, 3) < order.get(worst[key].severity, 3):
                worst[key] = f
            notes.setdefault(key, []).append(f"【{SEVERITY_LABELS.get(f.severity, f.severity)}】{f.message}")
        fills: dict[str, str] = {}
        added: dict[str, bool] = {}
        for ref, f in worst.items():
            rng = _range(book, ref)
            # a cell marked by the last 校验 keeps the fill recorded then, not our red
            fills[ref] = previous[ref][0] if ref in previous else _colour_of(rng)
            changes.add(lambda rng=rng, c=FILL_COLOURS.get(f.severity): setattr(rng, "color", c),
                        lambda rng=rng, old=fills[ref]: setattr(rng, "color", None if old in ("", "?") else old))
            ours = ref in previous and previous[ref][1]          # deleted by the clear above
            users_note = rng.note is not None and not ours
            added[ref] = not users_note
            if not users_note:   # never overwrite a note the user wrote
                changes.add(lambda rng=rng, text=NOTE_PREFIX + "\n".join(notes[ref]): rng.add_note(text),
                            lambda rng=rng: rng.note.delete())
        counts = {s: sum(1 for f in findings if f.severity == s) for s in FILL_COLOURS}
        summary = (f"共{len(findings)}项：错误{counts['error']}、警告{counts['warning']}、提示{counts['info']}"
                   if findings else "未发现问题")
        rows: list[list[Any]] = [
            [f"校验结果 — {ev.project.name or book.name}"],
            [summary, f"规则总分 {ev.rule_total_score}，等级 {ev.rule_grade}" if ev.rule_total_score is not None else None,
             describe_profile(ev.extra.get("profile_used"))],
            FINDINGS_HEADER,
        ]
        from addin.annotate import finding_values, legend_rows
        from addin.report.figures import CellNames

        names = CellNames.of(ev)
        for i, f in enumerate(findings, 1):
            ref = f.cell or ""
            rows.append([*finding_values(i, f, names), fills.get(ref, ""), "是" if added.get(ref) else ""])
        legend_at = len(rows) + 2
        legend = legend_rows()
        rows += [[], *[values for values, _ in legend]]

        def styles(sheet: Any) -> None:
            sheet.range((FINDINGS_TOP, 1), (FINDINGS_TOP, len(FINDINGS_HEADER))).color = HEADER_FILL
            for i, f in enumerate(findings, FINDINGS_TOP + 1):
                sheet.range((i, 2)).color = FILL_COLOURS.get(f.severity)
            for k, (_, colour) in enumerate(legend):
                if colour:
                    sheet.range((legend_at + k, 2)).color = "#" + colour

        _replace_sheet(changes, book, FINDINGS_SHEET, rows, styles)
        changes.apply()
        alert(book, f"校验完成。{summary}，详见“{FINDINGS_SHEET}”工作表。")
        return findings
    return None


def clear_marks(book: Any = None) -> int | None:
    """清除标记: undo what 校验 wrote (fills restored, its notes removed, 校验结果 deleted)."""
    book = _book(book)
    with button(book, "绩效自评：正在清除标记……"):
        changes = Changes(book)
        n = _plan_clear(changes, book)
        if not changes.ops:
            alert(book, "没有需要清除的校验标记。")
            return 0
        changes.apply()
        alert(book, f"已清除 {n} 个单元格的校验标记。")
        return n
    return None


def score(book: Any = None) -> Evaluation | None:
    """计算得分: rule scores into the empty 得分/完成率/总分/等级 cells, and a 计分结果 sheet."""
    book = _book(book)
    with button(book, "绩效自评：正在计算得分……"):
        ev, _ = evaluate(book)
        grids = {g.name: g for g in book_grids(book)}
        # Our templates compute every derived cell with native formulas: nothing to fill there.
        template = "_meta" in grids and str(grids["_meta"].value(0, 0) or "").strip() == "template_id"
        changes = Changes(book)
        filled: list[str] = []

        def fill(ref: str | None, value: Any, fmt: str | None) -> None:
            if template or not ref or value is None:
                return
            sheet, a1 = split_ref(ref)
            grid = grids.get(sheet)
            rng = _range(book, ref)
            if grid is None or rng is None or grid.value(*parse_a1(a1)) is not None or _has_formula(rng):
                return   # only empty cells: a stated value or a formula is never overwritten
            filled.append(ref)

            def do(rng: Any = rng, value: Any = plain_value(value)) -> None:
                rng.value = value
                if fmt:
                    rng.number_format = fmt
                rng.color = WRITTEN_FILL

            def undo(rng: Any = rng) -> None:
                rng.clear_contents()
                rng.color = None

            changes.add(do, undo)

        b = ev.budget
        fill(b.cells.get("score"), b.rule_score, "0.00")
        fill(b.cells.get("rate"), b.rule_rate, "0.00%")
        for ind in ev.indicators:
            fill(ind.cells.get("score"), ind.rule_score, "0.00")
            fill(ind.cells.get("completion"), ind.completion, "0.00%")
        fill(ev.cells.get("total_score"), ev.rule_total_score, "0.00")
        fill(ev.cells.get("grade"), ev.rule_grade, None)
        from addin.annotate import score_table

        rows: list[list[Any]] = [[f"计分结果 — {ev.project.name or book.name}"], *score_table(ev)]

        def styles(sheet: Any) -> None:
            sheet.range((2, 1), (2, 10)).color = HEADER_FILL
            sheet.range((3, 8), (len(rows), 9)).number_format = "0.00%"

        _replace_sheet(changes, book, SCORES_SHEET, rows, styles)
        changes.apply()
        note = "模板中的得分由公式计算，未改动单元格" if template else f"填入空白单元格 {len(filled)} 个"
        alert(book, f"计分完成：规则总分 {ev.rule_total_score}，等级 {ev.rule_grade}；"
                    f"{note}，明细见“{SCORES_SHEET}”工作表。")
        return ev
    return None


# ---------------------------------------------------------------------------------------------
# Files next to the workbook


def output_dir(book: Any, out_dir: str | Path | None = None) -> Path:
    """Where a button writes files: ``out_dir`` or the workbook's folder (the book must be saved)."""
    if out_dir is not None:
        if not Path(out_dir).is_dir():
            raise WriteError(f"文件夹不存在：{out_dir}")
        return Path(out_dir)
    full = Path(str(book.fullname))
    if full.is_absolute() and full.parent.is_dir():
        return full.parent
    raise WriteError("工作簿尚未保存到文件夹，无法在其旁边生成文件；请先保存工作簿后再试。")


def free_path(folder: Path, stem: str, suffix: str, *siblings: str) -> Path:
    """``folder/stem.suffix``, or ``stem(2).suffix`` … when that name (or a sibling suffix) is taken."""
    i = 1
    while True:
        name = stem if i == 1 else f"{stem}({i})"
        path = folder / f"{name}{suffix}"
        if not path.exists() and not any((folder / f"{name}{s}").exists() for s in siblings):
            return path
        i += 1


def _stem(book: Any) -> str:
    return Path(str(book.name)).stem


def _open(book: Any, path: Path, scratch: bool = False) -> None:
    """Open a produced workbook in the same Excel (desktop engines only); ``scratch``: the calling
    book is the blank one the ribbon added because nothing was open — close it again."""
    with contextlib.suppress(Exception):
        if book.app.engine.name == "excel":
            book.app.books.open(str(path))
            if scratch:
                book.close()


def report(book: Any = None, out_dir: str | Path | None = None, pdf: bool = False,
           review: bool = False) -> Path | None:
    """生成报告: the unit's submission 绩效自评报告 (.docx; and .pdf with ``pdf``) next to the workbook,
    never overwriting; ``review``: the reviewer's copy with the findings appendix (审核用报告)."""
    book = _book(book)
    with button(book, "绩效自评：正在生成报告……"):
        try:
            from addin.report import build_report
        except ImportError:
            alert(book, "“生成报告”功能尚未提供。")
            return None
        folder = output_dir(book, out_dir)
        ev, findings = evaluate(book)
        kind = "绩效自评报告（审核用）" if review else "绩效自评报告"
        path = free_path(folder, f"{_stem(book)}-{kind}", ".docx", ".pdf")
        status(book, f"绩效自评：正在写出 {path.name}……")
        from addin.packs import report_template

        out = build_report(ev, path, pdf=pdf, findings=findings, template=report_template(),
                           review=review)
        made = out.with_suffix(".pdf") if pdf else out
        alert(book, f"已生成：{made}")
        return made
    return None


def review_report(book: Any = None, out_dir: str | Path | None = None) -> Path | None:
    """审核用报告: the report with the findings appendix (附表2), for the 财政局 reviewer."""
    return report(book, out_dir, review=True)


def export_pdf(book: Any = None, out_dir: str | Path | None = None) -> Path | None:
    """导出PDF: the report as .docx and .pdf next to the workbook."""
    return report(book, out_dir, pdf=True)


def consolidate(folder: str | Path, book: Any = None, out_dir: str | Path | None = None,
                scratch: bool = False) -> Path | None:
    """汇总各单位: every workbook of ``folder`` into a 汇总表 next to the workbook (or in ``folder``
    when the workbook is not saved, e.g. the blank ``scratch`` book of an empty Excel)."""
    book = _book(book)
    with button(book, "绩效自评：正在汇总……"):
        try:
            from addin.consolidate import consolidate as run
        except ImportError:
            alert(book, "“汇总各单位”功能尚未提供。")
            return None
        source = Path(folder)
        if not source.is_dir():
            raise ReadError("不是文件夹或文件夹不存在", file=str(folder))
        try:
            target = output_dir(book, out_dir)
        except WriteError:
            target = source
        path = free_path(target, f"{source.name}-汇总表", ".xlsx")

        def progress(done: int, total: int, file: Any = None) -> None:
            status(book, f"绩效自评：汇总 {done}/{total} {Path(str(file)).name if file else ''}")

        result = run(source, path, progress=progress)
        failed = f"，{len(result.failed)} 个文件无法读取" if result.failed else ""
        alert(book, f"汇总完成：{result.ok}/{result.files} 个文件{failed}；汇总表：{path}")
        _open(book, path, scratch)
        return path
    return None


def insert_template(template_id: str, book: Any = None, out_dir: str | Path | None = None,
                    scratch: bool = False) -> Path | None:
    """插入模板: a new template next to the workbook, or in ``out_dir`` (the folder the ribbon asked
    for when the workbook is unsaved or nothing was open; '' = next to the workbook), never
    overwriting; opened in Excel — the installed or shared template pack's copy when it has one
    (``addin.packs``), else the standard one."""
    book = _book(book)
    with button(book, "绩效自评：正在生成模板……"):
        from addin.packs import write_template
        from workbook_templates.builder import template_ids

        if template_id not in template_ids():
            alert(book, f"模板“{template_id}”尚未提供（现有：{'、'.join(template_ids())}）。")
            return None
        path = free_path(output_dir(book, out_dir or None), f"{template_id}-模板", ".xlsx")
        path, origin = write_template(template_id, path)
        alert(book, f"已生成模板（{origin}）：{path}")
        _open(book, path, scratch)
        return path
    return None


def template_menu(path: str | Path, book: Any = None, scratch: bool = False) -> Path | None:
    """插入模板's menu content (the ribbon's dynamicMenu asks each time it drops down): the active
    pack's templates, then the standard ones, written to ``path`` as the customUI XML the VBA
    callback hands to Excel (``addin.excel.template_menu``). No message box when it works —
    the menu is the answer; an error is one, and the callback then shows its fallback entry.
    ``scratch``: the calling book is the blank one the ribbon added — closed again."""
    from .template_menu import write_menu

    try:
        return write_menu(path)
    except Exception as exc:  # noqa: BLE001 - a menu must not end in a traceback
        what = str(exc) if isinstance(exc, (ReadError, WriteError, InputError)) \
            else f"处理时发生意外问题（{type(exc).__name__}: {exc}）"
        alert(_book(book), f"错误：无法列出模板：{what}")
        return None
    finally:
        if scratch:
            with contextlib.suppress(Exception):
                b = _book(book)
                if b.app.engine.name == "excel":
                    b.close()


def show_functions(book: Any = None) -> int | None:
    """函数说明: the worksheet-function catalogue in a 函数说明 sheet (same text as `jixiao functions`)."""
    from udfs import REGISTRY

    book = _book(book)
    with button(book, "绩效自评：正在列出函数……"):
        rows: list[list[Any]] = [["绩效自评工作表函数（类别：绩效评价）", RANGE_NOTE],
                                 ["函数", "英文别名", "参数", "说明", "返回", "示例"]]
        for s in REGISTRY:
            args = "\n".join(f"{a.name}{'（可选）' if a.optional else ''}：{a.doc}" for a in s.args)
            rows.append([s.signature, s.alias, args, s.doc, s.returns, s.example])
        changes = Changes(book)

        def styles(sheet: Any) -> None:
            sheet.range((2, 1), (2, 6)).color = HEADER_FILL

        _replace_sheet(changes, book, FUNCTIONS_SHEET, rows, styles)
        changes.apply()
        return len(REGISTRY)
    return None


def doctor(book: Any = None, scratch: bool = False) -> str:
    """自检: the `jixiao doctor` checks (Python, xlwings DLL, Excel, add-in, config, PDF, fonts) in a
    message box; ``scratch``: the calling book is the blank one the ribbon added — close it again."""
    from addin.doctor import report, run_checks

    book = _book(book)
    text = report(run_checks())
    alert(book, text)
    if scratch:
        with contextlib.suppress(Exception):
            if book.app.engine.name == "excel":
                book.close()
    return text


# ---------------------------------------------------------------------------------------------
# Headless: press a button on a workbook file through xlwings' remote engine

BUTTONS: dict[str, Callable[..., Any]] = {
    "插入模板": insert_template, "insert_template": insert_template, "计算得分": score, "score": score,
    "校验": validate, "validate": validate, "清除标记": clear_marks, "clear_marks": clear_marks,
    "生成报告": report, "report": report, "审核用报告": review_report, "review_report": review_report,
    "导出PDF": export_pdf, "export_pdf": export_pdf,
    "汇总各单位": consolidate, "consolidate": consolidate, "函数说明": show_functions, "show_functions": show_functions,
    "自检": doctor, "doctor": doctor,
}
WRITES_FILES = {insert_template, report, review_report, export_pdf, consolidate}   # the others only change the workbook


def remote_xlwings() -> Any:
    """xlwings with its remote engine (``Book(json=…)``), licensed noncommercial unless a key is set.

    xlwings registers its PRO engines when it is first imported; if that happened before the key
    was set, they are registered here (the license is validated by importing ``xlwings.pro``)."""
    import os

    os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")
    import xlwings as xw
    from xlwings.main import Engine
    from xlwings.pro import _xlofficejs, _xlremote

    present = {e.name for e in xw.engines}
    for name, module in (("remote", _xlremote), ("officejs", _xlofficejs)):
        if name not in present:
            xw.engines.add(Engine(impl=module.engine))
    xw.__pro__ = True   # what the import would have set with the key present
    return xw


def _office_js_value(v: Any) -> Any:
    """A cell value as Office.js sends it: dates as 'YYYY-MM-DDTHH:MM:SS.mmmZ' (xlwings cuts the 'Z'
    before fromisoformat: a bare isoformat() lost its last digit — 'Invalid isoformat string')."""
    import datetime as dt

    if isinstance(v, dt.datetime):
        return v.replace(tzinfo=None).isoformat(timespec="milliseconds") + "Z"
    if isinstance(v, dt.date):
        return dt.datetime(v.year, v.month, v.day).isoformat(timespec="milliseconds") + "Z"
    if isinstance(v, (dt.time, dt.timedelta)):
        return str(v)
    return v


def payload_from_openpyxl(wb: Any, name: str, active: int | None = None) -> dict[str, Any]:
    """The book payload an Office.js client sends (values, notes, names) for an openpyxl workbook."""
    xw = remote_xlwings()
    sheets = []
    for ws in wb.worksheets:
        rows = [["" if v is None else _office_js_value(v) for v in row]
                for row in ws.iter_rows(max_row=ws.max_row, max_col=ws.max_column, values_only=True)]
        sheets.append({"name": ws.title, "values": rows or [[]], "pictures": [], "shapes": [], "charts": [],
                       "tables": [], "pivot_tables": [], "show_gridlines": True, "print_area": None,
                       "visibility": "Visible" if ws.sheet_state == "visible" else "Hidden",
                       "notes": [{"address": c.coordinate} for r in ws.iter_rows() for c in r if c.comment]})
    names = [{"name": n, "refers_to": "=" + d.attr_text, "book_scope": True, "scope_sheet_name": None,
              "scope_sheet_index": None, "sheet_index": None, "address": None} for n, d in wb.defined_names.items()]
    if active is None:
        active = wb.worksheets.index(wb.active) if wb.active in wb.worksheets else 0
    return {"client": "Office.js", "version": xw.__version__, "names": names, "sheets": sheets,
            "book": {"name": name, "active_sheet_index": active, "selection": "A1"}}


@dataclass
class Pressed:
    """What a button did headless: its return value, the actions Excel would apply to the
    workbook, and the files it wrote (report, PDF, 汇总表, template)."""

    result: Any
    actions: dict[str, Any]
    written: list[Path]
    menu: list[tuple[str, str, str]] | None = None     # 插入模板: the menu Excel would show (section, id, label)


def press(button_name: str, path: str | Path, out_dir: str | Path | None = None, folder: str | Path | None = None,
          template: str = "project") -> Pressed:
    """Run a button on a workbook file headless. The file is only read (cached values; the
    pipeline recomputes every derived number); files go to ``out_dir`` (default: the file's folder).
    汇总各单位 needs ``folder`` (the units' workbooks); 插入模板 takes the ``template`` id."""
    from openpyxl import load_workbook

    from workbook_templates.safety import preflight

    if button_name not in BUTTONS:
        raise InputError(f"没有名为“{button_name}”的按钮（可用：{'、'.join(BUTTONS)}）")
    from workbook_templates.loaders import check_full_load

    path = Path(path)
    fn = BUTTONS[button_name]
    if fn is consolidate and folder is None:
        raise InputError("“汇总各单位”需要用 --folder 指定存放各单位自评表的文件夹")
    if out_dir is not None and not Path(out_dir).is_dir():      # else 汇总各单位 falls back to the units' folder
        raise WriteError(f"输出文件夹不存在：{out_dir}（--out-dir 须是已有的文件夹）")
    check_full_load(path, "在无 Excel 时按下按钮")     # the same preflight and caps as every entry point
    kind = preflight(path).kind
    if kind not in ("xlsx", "xlsm"):
        what = {"docx": "Word 文档", "doc": "Word 97–2003 文档", "odt": "OpenDocument 文本", "pdf": "PDF 文件",
                "xls": "Excel 97–2003 工作簿（.xls）", "ods": "OpenDocument 表格"}.get(kind, kind)
        raise ReadError(f"这是{what}，按钮只作用于 Excel 工作簿（.xlsx/.xlsm）；请用 jixiao validate / score / "
                        "report 处理这个文件，或在 Excel 中另存为 .xlsx 后再按按钮", file=str(path))
    try:
        wb = load_workbook(path, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many types on odd files
        from workbook_templates.diagnose import explain_load_error

        raise explain_load_error(exc, path) from None
    if not wb.worksheets:
        raise ReadError("工作簿中没有工作表（xl/workbook.xml 的 <sheets> 为空），不是可用的工作簿", file=str(path))
    book = remote_xlwings().Book(json=payload_from_openpyxl(wb, path.name))
    target = Path(out_dir) if out_dir is not None else path.resolve().parent
    before = set(target.iterdir()) if target.is_dir() else set()
    menu = None
    if fn is consolidate:
        result = fn(folder, book=book, out_dir=target)
    elif fn is insert_template:                   # the menu first, as Excel drops it down; then its entry
        from .template_menu import entries

        menu = entries()
        if template not in [tid for _, tid, _ in menu]:
            from workbook_templates.builder import resolve_id

            template = resolve_id(template)           # a Chinese title names its entry too
        result = fn(template, book=book, out_dir=target)
    elif fn in WRITES_FILES:
        result = fn(book=book, out_dir=target)
    else:
        result = fn(book=book)
    written = sorted(set(target.iterdir()) - before) if target.is_dir() else []
    return Pressed(result, book.json(), written, menu)
