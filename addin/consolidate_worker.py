"""What a consolidation worker does with one file: check, read, score, validate, summarise.

Runs in a worker process. Returns a small picklable dict — project fields, a few numbers and
the finding rows — never the Evaluation or the workbook. Never raises: every problem becomes
``{"ok": False, "reason": <Chinese>}`` for the 无法读取 sheet.
"""

from __future__ import annotations

import functools
import os
import zipfile
from decimal import Decimal
from typing import Any

from udfs import InputError, Profile, default_profile, load_profile
from udfs.scoring import grade
from workbook_templates.errors import ReadError

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
# Fallback limits (used only when workbook_templates.safety is not available).
MAX_PART_BYTES = 200 * 1024 * 1024
MAX_PART_RATIO = 200
MAX_SHEET_BYTES = 50 * 1024 * 1024
ENGINE = os.environ.get("JIXIAO_CONSOLIDATE_ENGINE", "calamine")


@functools.lru_cache(maxsize=8)
def _profile(name: str | None) -> Profile:
    return load_profile(name) if name else default_profile()


def resolve_profile(profile: str | os.PathLike | Profile | None) -> Profile | None:
    """A Profile for a name/path (cached per worker); None stays None so that validation can
    apply the profile a layout suggests (``ev.extra['profile']``)."""
    if profile is None or isinstance(profile, Profile):
        return profile
    return _profile(str(profile))


def profile_for(ev, profile: Profile | None) -> Profile:
    if profile is not None:
        return profile
    suggested = ev.extra.get("profile")
    return _profile(str(suggested)) if suggested else default_profile()


def _validator():
    try:
        from addin.validate import validate
    except ImportError:
        return None
    return validate


def read_file(path: str, profile: Profile | None):
    """``reader.read_workbook`` with python-calamine (values only, fast, .xls too): preflight,
    load, read. Guard: a big sheet part without a ``<dimension>`` element makes openpyxl's
    read-only mode (the loader's choice for big sheets) scan the whole sheet before the first
    row (≈35 s for a million rows); calamine parses it in a few seconds, so it is used there."""
    try:
        from workbook_templates import safety
        from workbook_templates.safety import preflight
    except ImportError:
        basic_preflight(path)
        from workbook_templates.reader import read_workbook

        return read_workbook(path, profile=profile, engine=ENGINE)
    from workbook_templates.loaders import load_book, load_calamine
    from workbook_templates.reader import read_book

    info = preflight(path)
    if info.big and info.kind in ("xlsx", "xlsm") and not big_sheets_have_dimension(
            path, info.sheet_sizes, getattr(safety, "BIG_SHEET", 8 * 1024 * 1024)):
        book = load_calamine(path)
    else:
        book = load_book(path, engine=ENGINE, kind=info.kind, big=info.big)
    return read_book(book, path, profile=profile)


def big_sheets_have_dimension(path: str, sheet_sizes: dict[str, int], big: int = 8 * 1024 * 1024) -> bool:
    """True when every big sheet part declares its ``<dimension>`` near its start."""
    with zipfile.ZipFile(path) as zf:
        for part, size in sheet_sizes.items():
            if size <= big:
                continue
            with zf.open(part) as f:
                head = f.read(4096)
            if b"dimension" not in head:
                return False
    return True


def basic_preflight(path: str) -> None:
    """Minimal guard before parsing: the file is a zip or OLE workbook, intact, unencrypted,
    without bombs (part sizes/ratios) or XML entity declarations. Raises ReadError."""
    with open(path, "rb") as fh:
        head = fh.read(8)
    if head.startswith(OLE_MAGIC):
        _check_ole(path)
        return
    if not head.startswith(ZIP_MAGIC):
        if not head:
            raise ReadError("文件为空（0 字节）")
        raise ReadError("不是 Excel 文件（文件内容不是 .xlsx/.xls 格式，可能是改了扩展名的其他文件）")
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, EOFError, OSError):
        raise ReadError("文件已损坏或不完整（压缩结构无法读取），请让单位重新保存后再报送") from None
    with zf:
        names = {i.filename for i in zf.infolist()}
        if "xl/workbook.xml" not in names and "xl/workbook.bin" not in names:
            raise ReadError("不是 Excel 工作簿（文件中没有工作簿部分 xl/workbook.xml）")
        if "xl/workbook.bin" in names:
            raise ReadError("不支持 .xlsb 二进制工作簿，请另存为 .xlsx")
        for info in zf.infolist():
            if info.file_size > MAX_PART_BYTES or (
                    info.file_size > 1024 * 1024 and info.file_size > MAX_PART_RATIO * max(info.compress_size, 1)):
                raise ReadError(f"文件内部件 {info.filename} 解压后过大或压缩比异常，疑似压缩炸弹，已拒绝读取")
            if info.filename.startswith("xl/worksheets/") and info.file_size > MAX_SHEET_BYTES:
                raise ReadError(f"工作表部件 {info.filename} 过大（{info.file_size // 2**20} MB），"
                                "不像自评表，已拒绝读取以免耗时过长")
            if info.filename.endswith((".xml", ".rels", ".vml")):
                with zf.open(info) as part:
                    start = part.read(4096)
                if b"<!DOCTYPE" in start.upper() or b"<!ENTITY" in start.upper():
                    raise ReadError(f"文件内部件 {info.filename} 含有 DOCTYPE/ENTITY 声明（可能是 XML 实体炸弹），已拒绝读取")


def _check_ole(path: str) -> None:
    import msoffcrypto

    try:
        with open(path, "rb") as fh:
            office = msoffcrypto.OfficeFile(fh)
            encrypted = office.is_encrypted()
    except Exception:  # noqa: BLE001 — not an Office OLE file we know; calamine will decide
        return
    if encrypted:
        raise ReadError("文件设有打开密码（已加密），无法读取；请让单位取消密码后重新报送")


def _reason(exc: BaseException) -> str:
    """A Chinese reason for the 无法读取 sheet (the file is named in its own column)."""
    if isinstance(exc, ReadError):
        return f"{exc.message}（单元格 {exc.cell}）" if exc.cell else exc.message
    if isinstance(exc, InputError):
        return str(exc)
    if isinstance(exc, MemoryError):
        return "文件过大，读取时内存不足"
    if isinstance(exc, RecursionError):
        return "文件结构异常（嵌套过深），无法读取"
    name = type(exc).__name__
    text = str(exc)
    low = f"{name} {text}".lower()
    if "password" in low or "encrypt" in low:
        return "文件设有打开密码（已加密），无法读取"
    if "zip" in low:
        return f"文件已损坏或不是有效的 Excel 文件（{text or name}）"
    return f"读取时发生意外错误（{name}：{text}）"[:500]


def _money(v: Any) -> Decimal | None:
    return v if v is None or isinstance(v, Decimal) else Decimal(str(v))


def stated_grade(ev, profile: Profile) -> str | None:
    """等级 as the unit states it: the sheet's 评价等级, else the grade of its stated 总分,
    else the grade by the rules."""
    if ev.grade:
        return ev.grade
    if ev.total_score is not None:
        return grade(ev.total_score, profile)
    return ev.rule_grade


def summarize_evaluation(ev, profile: Profile | None = None, validate=None) -> dict[str, Any]:
    """The row of the 汇总表 and the finding rows of one Evaluation: scored (``rule_*``) and,
    when ``validate`` is given, checked."""
    prof = profile_for(ev, profile)
    if validate is not None:
        findings = list(validate(ev, prof))     # validate scores first
    else:
        from addin.pipeline import score_evaluation

        score_evaluation(ev, prof)
        findings = list(ev.findings)
    b = ev.budget
    budget = b.adjusted if b.adjusted is not None else b.initial
    rate = b.rule_rate if b.rule_rate is not None else b.rate
    p = ev.project
    return {
        "ok": True,
        "layout": ev.layout,
        "department": p.department,
        "unit": p.unit,
        "name": p.name,
        "year": p.year,
        "budget": _money(budget),
        "executed": _money(b.executed),
        "rate": _money(rate),
        "score": _money(ev.total_score),
        "rule_score": _money(ev.rule_total_score),
        "grade": stated_grade(ev, prof),
        "rule_grade": ev.rule_grade,
        "cells": {"name": p.cells.get("name")},
        "errors": sum(1 for f in findings if f.severity == "error"),
        "warnings": sum(1 for f in findings if f.severity == "warning"),
        "findings": [(f.cell, f.rule, f.severity, f.message) for f in findings],
    }


def summarize_file(path: str, display: str, profile: str | Profile | None = None) -> dict[str, Any]:
    """Check, read, score and validate one workbook; never raises."""
    try:
        prof = resolve_profile(profile)
        ev = read_file(path, prof)
        out = summarize_evaluation(ev, prof, _validator())
    except BaseException as exc:  # noqa: BLE001 — a bad file must never stop the run
        if isinstance(exc, (KeyboardInterrupt, SystemExit)):
            raise
        out = {"ok": False, "reason": _reason(exc)}
        if isinstance(exc, ReadError) and is_summary_workbook(path):
            out = {"ok": False, "skipped": True}     # a 汇总表 of an earlier run: not a unit's file
    out["file"] = display
    return out


def is_summary_workbook(path: str) -> bool:
    """A workbook ``jixiao consolidate`` wrote (sheets 汇总表 and 无法读取)."""
    try:
        with zipfile.ZipFile(path) as zf:
            book = zf.read("xl/workbook.xml").decode("utf-8", errors="replace")
    except (OSError, KeyError, zipfile.BadZipFile, EOFError):
        return False
    return 'name="汇总表"' in book and 'name="无法读取"' in book
