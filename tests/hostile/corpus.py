"""Write the hostile corpus: files a unit might send (or an attacker might craft), each made from a
real workbook by one change — mutated zips, mutated XML, mutated values, odd names.

    python -m tests.hostile.corpus DEST      # writes DEST/<kind>.xlsx …, prints the count

Nothing is committed: the corpus is generated (deterministically) by the tests that use it. The
bases are a published layout (seed 004's tables, ``samples.write_sample``) and our own template
filled from it (defined names, ``_meta``), as a unit would have them.
"""

from __future__ import annotations

import os
import random
import re
import shutil
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl

from workbook_templates.samples import random_unit, write_sample

from .units import rewrite_zip

Mutation = Callable[[dict[str, bytes]], dict[str, bytes] | None]
SHEET = "xl/worksheets/sheet1.xml"


def _parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {i.filename: zf.read(i) for i in zf.infolist()}


def _write_parts(parts: dict[str, bytes], dst: Path) -> None:
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)


def _sub(part: str, pattern: bytes, repl: bytes, count: int = 0) -> Mutation:
    def mutate(parts: dict[str, bytes]) -> dict[str, bytes]:
        parts[part] = re.sub(pattern, repl, parts[part], count=count, flags=re.S)
        return parts
    return mutate


def _drop(part: str) -> Mutation:
    def mutate(parts: dict[str, bytes]) -> dict[str, bytes]:
        parts.pop(part, None)
        return parts
    return mutate


def _names(xml: bytes) -> Mutation:
    """Replace the workbook's defined names (templates read by name)."""
    def mutate(parts: dict[str, bytes]) -> dict[str, bytes]:
        wb = parts["xl/workbook.xml"]
        if b"<definedNames>" in wb:
            wb = re.sub(rb"<definedNames>(.*?)</definedNames>", lambda m: b"<definedNames>" + _names_sub(m.group(1), xml)
                        + b"</definedNames>", wb, flags=re.S)
        parts["xl/workbook.xml"] = wb
        return parts
    return mutate


def _names_sub(names: bytes, how: bytes) -> bytes:
    """Every defined name's reference becomes ``how`` (``#REF!``, a whole column, a constant)."""
    return re.sub(rb"(<definedName [^>]*>)[^<]*(</definedName>)", lambda m: m.group(1) + how + m.group(2), names)


XML_MUTATIONS: dict[str, Mutation] = {
    "样式索引越界": _sub(SHEET, rb' s="\d+"', b' s="9999"'),
    "布尔值为true": _sub(SHEET, rb'(<c r="[A-Z]+\d+")( s="\d+")?( t="n")?><v>([0-9.]+)</v>', rb'\1 t="b"><v>true</v>', 3),
    "数值为NaN": _sub(SHEET, rb'(<c r="[A-Z]+\d+"[^>]*?)( t="n")?><v>[0-9.]+</v>', rb'\1><v>NaN</v>', 3),
    "数值为inf": _sub(SHEET, rb'(<c r="[A-Z]+\d+"[^>]*?)( t="n")?><v>[0-9.]+</v>', rb'\1><v>1e400</v>', 3),
    "单元格引用错误": _sub(SHEET, rb'<c r="([A-Z]+)(\d+)"', rb'<c r="\g<2>\g<1>"', 5),
    "行号为零": _sub(SHEET, rb'<c r="([A-Z]+)1"', rb'<c r="\g<1>0"'),
    "未绑定前缀": _sub(SHEET, rb"<c ", b"<x:c ", 1),
    "未闭合标签": _sub(SHEET, rb"</sheetData>.*", b"<row"),
    "共享字符串越界": _sub(SHEET, rb'(<c r="[A-Z]+\d+"[^>]*?) t="inlineStr"><is><t>[^<]*</t></is>', rb'\1 t="s"><v>99999</v>', 3),
    "错误值单元格": _sub(SHEET, rb'(<c r="[A-Z]+\d+"[^>]*?)( t="n")?><v>[0-9.]+</v>', rb'\1 t="e"><v>#GETTING_DATA</v>', 5),
    "日期乱码": _sub(SHEET, rb'(<c r="[A-Z]+\d+"[^>]*?)( t="n")?><v>[0-9.]+</v>', rb'\1 t="d"><v>2021-13-45T99</v>', 3),
    "控制字符": _sub(SHEET, rb"(<t[^>]*>)([^<]{2})", rb"\1_x0001__x000B_\2"),
    "缺少styles": _drop("xl/styles.xml"),
    "缺少工作表部件": _drop(SHEET),
    "缺少关系": _drop("xl/_rels/workbook.xml.rels"),
    "空工作表部件": lambda p: p | {SHEET: b""},
    "无工作表": _sub("xl/workbook.xml", rb"<sheets>.*</sheets>", b"<sheets/>"),
    "工作表名含标记": _sub("xl/workbook.xml", rb'(<sheet [^>]*?)name="[^"]*"', '\\1name="[/b][red]表&apos;x"'.encode(), 1),
    "名称为REF": _names(b"#REF!"),
    "名称为整列": _names("'项目支出绩效自评表'!$A:$A".encode()),
    "名称为常量": _names(b"123"),
    "名称指向不存在的表": _names("'不存在'!$A$1".encode()),
    "最后一格": _sub(SHEET, rb"</sheetData>", b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData>'),
    "CV列末行": _sub(SHEET, rb"</sheetData>", b'<row r="1048576"><c r="CV1048576"><v>1</v></c></row></sheetData>'),
}


def _zip_bytes(raw: bytes, how: str) -> bytes:
    """Damage a zip at the byte level: a member's deflate data, its flags or its method."""
    data = bytearray(raw)
    with zipfile.ZipFile(__import__("io").BytesIO(raw)) as zf:
        info = next(i for i in zf.infolist() if i.filename.startswith("xl/worksheets/"))
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    if how == "corrupt":
        for k in range(10, min(200, info.compress_size - 1)):
            data[start + k] ^= 0x5A
    cd = data.find(b"PK\x01\x02")
    offsets = [info.header_offset]
    while cd != -1:
        n = int.from_bytes(data[cd + 28:cd + 30], "little")
        if bytes(data[cd + 46:cd + 46 + n]) == info.filename.encode():
            offsets.append(cd + 2)      # central header fields sit 2 bytes later than local ones
        cd = data.find(b"PK\x01\x02", cd + 4)
    for off in offsets:
        if how == "encrypted":
            data[off + 6] |= 1
        if how == "method99":
            data[off + 8:off + 10] = (99).to_bytes(2, "little")
    return bytes(data)


def _value_mutations(base: Path, dest: Path) -> list[Path]:
    """Values a user types or a system exports, written by openpyxl into the seed 004 layout."""
    out = []

    def edit(name: str, fn: Callable) -> None:
        wb = openpyxl.load_workbook(base)
        fn(wb.worksheets[0])
        wb.save(dest / f"{name}.xlsx")
        out.append(dest / f"{name}.xlsx")

    def numbers(v: object) -> Callable:
        def fn(ws) -> None:
            for row in ws.iter_rows():
                for c in row:
                    if isinstance(c.value, (int, float)) and not isinstance(c.value, bool):
                        c.value = v
        return fn

    def texts(v: Callable[[str], str]) -> Callable:
        def fn(ws) -> None:
            for row in ws.iter_rows():
                for c in row:
                    if isinstance(c.value, str) and len(c.value) > 1:
                        c.value = v(c.value)
        return fn

    edit("数值1e28", numbers(1e28))
    edit("数值1e300", numbers(1e300))
    edit("分值1e20", numbers(1e20))
    edit("负数", numbers(-5))
    edit("数值为文字", numbers("１００万元"))
    edit("超长文字", texts(lambda s: s + "长" * 40000))
    edit("公式开头", texts(lambda s: "=HYPERLINK(\"http://x\",\"" + s + "\")"))
    edit("标记文字", texts(lambda s: "[/b][red]" + s + "[/]"))
    edit("百分号文字", numbers("95%%"))
    edit("早期日期", lambda ws: [setattr(c, "value", __import__("datetime").datetime(1900, 1, 15))
                             for row in ws.iter_rows(min_row=5, max_row=8) for c in row[2:5]])
    return out


ODD_NAMES = ["换行\n名.xlsx", "[bold]标记[red].xlsx", "-o.xlsx", "空 格 .xlsx", "长" * 80 + ".xlsx", "大写.XLSX",
             "其实是xlsx.xls"]


def write_corpus(dest: str | os.PathLike, seed: int = 10) -> list[Path]:
    """Write every kind into ``dest``; returns the paths (the bases included, for comparison)."""
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    base = write_sample("seed004", dest / "基准-seed004.xlsx", random_unit(rng, 0))
    from workbook_templates.fill import fill_template
    from workbook_templates.reader import read_workbook

    tpl = fill_template("project", read_workbook(base).to_json(), dest / "基准-模板.xlsx")
    out = [base, Path(tpl)]
    for name, mutate in XML_MUTATIONS.items():
        src = tpl if name.startswith("名称") else base
        parts = mutate(_parts(Path(src)))
        if parts is not None:
            _write_parts(parts, dest / f"{name}.xlsx")
            out.append(dest / f"{name}.xlsx")
    raw = base.read_bytes()
    for name, data in {"截断": raw[: len(raw) // 2], "压缩损坏": _zip_bytes(raw, "corrupt"),
                       "加密标志": _zip_bytes(raw, "encrypted"), "未知压缩方式": _zip_bytes(raw, "method99"),
                       "空文件": b"", "乱码": bytes(rng.randrange(256) for _ in range(4096)),
                       "改名的PDF": b"%PDF-1.4\n%%EOF\n"}.items():
        (dest / f"{name}.xlsx").write_bytes(data)
        out.append(dest / f"{name}.xlsx")
    dup = dest / "重复部件.xlsx"
    with __import__("warnings").catch_warnings():
        __import__("warnings").simplefilter("ignore")       # zipfile warns of the duplicate name
        rewrite_zip(base, dup, add={SHEET: b"<worksheet/>"})
    out.append(dup)
    out += _value_mutations(base, dest)
    for name in ODD_NAMES:
        shutil.copy(base, dest / name)
        out.append(dest / name)
    gbk = os.path.join(os.fsencode(dest), "县文化馆（GBK）.xlsx".encode("gbk"))
    shutil.copy(base, gbk)
    out.append(Path(os.fsdecode(gbk)))
    return out


if __name__ == "__main__":
    paths = write_corpus(sys.argv[1] if len(sys.argv) > 1 else "hostile-corpus")
    print(f"{len(paths)} files")
