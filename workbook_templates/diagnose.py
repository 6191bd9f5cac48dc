"""Why a workbook could not be parsed, in Chinese, naming the part, sheet and cell.

openpyxl (and python-calamine) stop on a malformed package with an exception in English that tells a
finance officer nothing ("invalid literal for int() with base 10: 'true'", "list index out of
range", "unbound prefix: line 1, column 883"). When a loader fails, ``explain_load_error`` looks at
the package itself — parts present, each sheet's XML well-formed, every cell's reference, style
index, type and value as ECMA-376 Part 1 §18.3.1.4 (CT_Cell) defines them — and says what is wrong
and where. Only when it finds nothing does the message fall back to naming the exception's class.
"""

from __future__ import annotations

import datetime as _dt
import math
import re
from pathlib import Path
from typing import Any
from xml.parsers import expat

from .errors import ReadError

_CELL = re.compile(rb"<(?:\w+:)?c\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)", re.S)
_ATTR = re.compile(rb'\b(r|s|t)="([^"]*)"')
_VALUE = re.compile(rb"<(?:\w+:)?v>([^<]*)</(?:\w+:)?v>")
_REF = re.compile(r"^([A-Z]{1,3})([0-9]{1,7})$")
_XF = re.compile(rb"<(?:\w+:)?cellXfs\b[^>]*>(.*?)</(?:\w+:)?cellXfs>", re.S)
_MAX_ROW, _MAX_COL = 1048576, 16384

EXPAT_WORDS = {           # expat's messages (xml.parsers.expat.errors) a damaged part gives
    "unclosed token": "标签未闭合（文件可能被截断或改动过）",
    "unbound prefix": "使用了未声明的命名空间前缀",
    "not well-formed (invalid token)": "含有非法字符或格式错误",
    "mismatched tag": "开始与结束标签不匹配",
    "no element found": "内容为空或被截断",
    "junk after document element": "根元素之后还有多余内容",
    "undefined entity": "含有未定义的实体",
    "syntax error": "语法错误",
}


def _col(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def _xml_error(data: bytes) -> tuple[str, int] | None:
    """(Chinese reason, byte offset) when ``data`` is not well-formed XML, else None."""
    p = expat.ParserCreate(namespace_separator="}")     # namespace-aware: unbound prefixes are errors
    p.EntityDeclHandler = lambda *a: (_ for _ in ()).throw(ValueError("entity"))
    try:
        p.Parse(data, True)
    except expat.ExpatError as exc:
        text = expat.ErrorString(exc.code)
        return EXPAT_WORDS.get(text, f"格式错误（{text}）"), p.ErrorByteIndex
    except ValueError:
        return "含有实体声明", 0
    return None


def _cell_problem(attrs: bytes, body: bytes | None, n_styles: int | None, n_strings: int) -> tuple[str, str | None]:
    """(problem, reference) of one <c> element, problem '' when the cell is fine."""
    a = {k.decode(): v.decode("utf-8", "replace") for k, v in _ATTR.findall(attrs)}
    ref = a.get("r")
    if ref is not None:
        m = _REF.match(ref)
        if not m or not 1 <= int(m.group(2)) <= _MAX_ROW or _col(m.group(1)) > _MAX_COL:
            return f"单元格引用“{ref}”不是有效的单元格地址（应如 A1，最大 XFD1048576）", ref
    s = a.get("s")
    if s is not None and (not s.isdigit() or (n_styles is not None and int(s) >= n_styles)):
        where = "缺少样式部件 xl/styles.xml" if n_styles == 0 else f"样式表只有 {n_styles} 种单元格格式"
        return f"单元格格式编号 {s} 不存在（{where}）", ref
    t = a.get("t", "n")
    vm = _VALUE.search(body or b"")
    if vm is None:
        return "", ref
    v = vm.group(1).decode("utf-8", "replace").strip()
    if v == "":                 # <v></v>: a formula without a cached result
        return "", ref
    if t == "b" and v not in ("0", "1"):
        return f"逻辑值单元格的值应为 0 或 1，文件中是“{v}”", ref
    if t == "s" and (not v.isdigit() or int(v) >= n_strings):
        return f"共享字符串编号 {v} 不存在（共 {n_strings} 条）", ref
    if t == "n":
        try:
            ok = math.isfinite(float(v))
        except ValueError:
            ok = False
        if not ok:
            return f"数值单元格中不是有效的数字（“{v}”）", ref
    if t == "d":
        try:
            _dt.datetime.fromisoformat(v.rstrip("Z"))
        except ValueError:
            return f"日期单元格中不是有效的日期（“{v}”）", ref
    if t not in ("b", "d", "e", "inlineStr", "n", "s", "str"):
        return f"单元格类型“{t}”无法识别", ref
    return "", ref


def diagnose_package(path: str | Path, parts: Any = None, sheet: str | None = None) -> ReadError | None:
    """The first concrete problem of the package, as a ReadError with file, sheet and cell; None
    when nothing specific is found. ``sheet`` limits the cell checks to that sheet."""
    from .loaders import Package, _rel_targets, _workbook_facts

    file = str(path)
    try:
        pkg = Package(path, parts)
        with pkg:
            if "xl/workbook.xml" not in pkg:
                return ReadError("缺少工作簿部件 xl/workbook.xml", file=file)
            wb_xml = pkg.read("xl/workbook.xml")
            err = _xml_error(wb_xml)
            if err:
                return ReadError(f"工作簿部件 xl/workbook.xml {err[0]}", file=file)
            _names, sheets = _workbook_facts(wb_xml)
            if not sheets:
                return ReadError("工作簿中没有工作表（xl/workbook.xml 的 <sheets> 为空）", file=file)
            for name, _rid in sheets:
                if not name or len(name) > 31 or any(ch in name for ch in "[]:*?/\\"):
                    return ReadError(f"工作表名称“{name}”不合规（Excel 要求 1～31 个字符，且不含 [ ] : * ? / \\），"
                                     "文件可能由其他程序生成；请在 Excel 或 WPS 中改名后另存再试", file=file)
            rels = "xl/_rels/workbook.xml.rels"
            if rels not in pkg:
                return ReadError(f"缺少关系部件 {rels}（工作表的位置无从得知）", file=file)
            targets = _rel_targets(pkg.read(rels))
            styles = pkg.read("xl/styles.xml") if "xl/styles.xml" in pkg else b""
            if styles and (err := _xml_error(styles)):
                return ReadError(f"样式部件 xl/styles.xml {err[0]}", file=file)
            xf = _XF.search(styles)
            n_styles = len(re.findall(rb"<(?:\w+:)?xf\b", xf.group(1))) if xf else (0 if not styles else None)
            sst = pkg.read("xl/sharedStrings.xml") if "xl/sharedStrings.xml" in pkg else b""
            n_strings = len(re.findall(rb"<(?:\w+:)?si\b", sst))
            for name, text in _all_names(wb_xml):
                if not text:
                    return ReadError(f"定义名称“{name}”没有内容", file=file)
                if name.startswith("_xlnm.") and "!" not in text and "#REF!" not in text:
                    what = {"_xlnm.Print_Area": "打印区域", "_xlnm.Print_Titles": "打印标题"}.get(name, name)
                    return ReadError(f"{what}的定义不是单元格区域（“{text}”），无法识别；请在 Excel 的"
                                     "“页面布局 → 打印区域/打印标题”中重新设置", file=file)
            for name, rid in sheets:
                if sheet is not None and name != sheet:
                    continue
                target = targets.get(rid, "")
                part = target.lstrip("/") if target.startswith("/") else "xl/" + target
                if part not in pkg:
                    return ReadError(f"工作表“{name}”的部件 {part} 不存在（文件不完整）", file=file)
                data = pkg.read(part)
                err = _xml_error(data)
                if err:
                    before = [m for m in _CELL.finditer(data[: err[1]])]
                    ref = _ATTR.search(before[-1].group(1)) if before else None
                    cell = ref.group(2).decode() if ref and ref.group(1) == b"r" else None
                    where = f"（在单元格 {cell} 附近）" if cell else ""
                    return ReadError(f"工作表“{name}”的 XML {err[0]}{where}", file=file,
                                     cell=f"{name}!{cell}" if cell else None)
                for m in _CELL.finditer(data):
                    problem, ref = _cell_problem(m.group(1), m.group(2), n_styles, n_strings)
                    if problem:
                        return ReadError(f"工作表“{name}”中{problem}", file=file,
                                         cell=f"{name}!{ref}" if ref else None)
    except ReadError as exc:
        return exc
    except Exception:  # noqa: BLE001 - the diagnosis itself must not fail: the caller has a fallback
        return None
    return None


def _all_names(wb_xml: bytes) -> list[tuple[str, str]]:
    """Every definedName (built-in ones and sheet-scoped ones too): (name, text)."""
    out = []
    for m in re.finditer(rb"<(?:\w+:)?definedName\b([^>]*)>([^<]*)</(?:\w+:)?definedName>", wb_xml):
        name = re.search(rb'\bname="([^"]*)"', m.group(1))
        out.append(((name.group(1) if name else b"").decode("utf-8", "replace"),
                    m.group(2).decode("utf-8", "replace").strip()))
    return out


_EXCEPTION_WORDS = {
    "ParseError": "XML 格式错误", "ExpatError": "XML 格式错误", "KeyError": "缺少必要的部件或条目",
    "IndexError": "引用了不存在的条目（如样式或共享字符串编号）", "ValueError": "含有无法识别的值",
    "TypeError": "结构与标准不符", "AttributeError": "结构与标准不符", "OverflowError": "数值超出范围",
    "BadZipFile": "压缩结构已损坏", "EOFError": "文件被截断", "UnicodeDecodeError": "文字编码错误",
    "MemoryError": "文件过大，内存不足", "RecursionError": "结构嵌套过深",
}


def explain_load_error(exc: BaseException, path: str | Path, parts: Any = None, sheet: str | None = None) -> ReadError:
    """A Chinese ReadError for a loader's exception: what the package shows, else the exception's kind."""
    found = diagnose_package(path, parts, sheet=sheet)
    if found is not None:
        return found
    where = f"工作表“{sheet}”" if sheet else "工作簿"
    kind = _EXCEPTION_WORDS.get(type(exc).__name__, "结构与标准不符")
    detail = str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__
    return ReadError(f"无法读取{where}：文件内容{kind}（{detail}），可能已损坏或由不兼容的程序生成；"
                     "请在 Excel 或 WPS 中打开后另存为 .xlsx 再试", file=str(path))
