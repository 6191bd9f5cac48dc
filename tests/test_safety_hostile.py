"""Hostile and broken files: each is generated here (small on disk) and must give a clear Chinese
ReadError — through read_workbook and through `jixiao read` (exit code 2, no traceback)."""

from __future__ import annotations

import io
import shutil
import zipfile
from pathlib import Path

import pytest

from addin.cli import main as cli_main
from workbook_templates.errors import ReadError
from workbook_templates.libreoffice import convert, find_soffice
from workbook_templates.reader import read_workbook
from workbook_templates.safety import Limits, preflight
from workbook_templates.samples import write_sample

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1">
<si><t>&lol4;</t></si></sst>"""


@pytest.fixture(scope="module")
def good(tmp_path_factory) -> Path:
    return write_sample("cz2020-annex", tmp_path_factory.mktemp("good") / "good.xlsx")


def rewrite(src: Path, dst: Path, replace: dict[str, bytes] | None = None, drop: tuple[str, ...] = (),
            add: dict[str, bytes] | None = None, level: int = 6) -> Path:
    """Copy a zip part by part, replacing/dropping/adding parts."""
    with zipfile.ZipFile(src) as zi, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as zo:
        for info in zi.infolist():
            if info.filename in drop:
                continue
            data = (replace or {}).get(info.filename, zi.read(info))
            zo.writestr(info.filename, data)
        present = set(zi.namelist())
        for name, data in {**(add or {}), **{k: v for k, v in (replace or {}).items() if k not in present}}.items():
            zo.writestr(name, data)
    return dst


def refused(path: Path, *words: str, limits: Limits | None = None) -> str:
    with pytest.raises(ReadError) as e:
        if limits is None:
            read_workbook(path)
        else:
            preflight(path, limits)
    msg = str(e.value)
    assert path.name in msg, msg
    for w in words:
        assert w in msg, msg
    return msg


def test_missing_file(tmp_path):
    refused(tmp_path / "nope.xlsx", "不存在")


def test_empty_file_and_directory(tmp_path):
    (tmp_path / "empty.xlsx").write_bytes(b"")
    refused(tmp_path / "empty.xlsx", "为空")
    (tmp_path / "dir.xlsx").mkdir()
    refused(tmp_path / "dir.xlsx", "文件夹")


def test_fifo_is_refused_without_blocking(tmp_path):
    import os

    fifo = tmp_path / "pipe.xlsx"
    os.mkfifo(fifo)
    refused(fifo, "普通文件")


def test_pdf_renamed_xlsx(tmp_path):
    p = tmp_path / "report.xlsx"
    p.write_bytes(b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n")
    refused(p, "PDF")


def test_html_and_random_bytes(tmp_path):
    (tmp_path / "web.xlsx").write_bytes(b"<html><table><tr><td>1</td></tr></table></html>")
    refused(tmp_path / "web.xlsx", "网页")
    (tmp_path / "junk.xls").write_bytes(bytes(range(256)) * 4)
    refused(tmp_path / "junk.xls", "不是 Excel 工作簿")


def test_truncated_zip(good, tmp_path):
    data = good.read_bytes()
    p = tmp_path / "cut.xlsx"
    p.write_bytes(data[: len(data) // 2])
    refused(p, "损坏")


def test_corrupt_part_data(good, tmp_path):
    """Central directory intact, but the compressed bytes of the sheet are garbage."""
    data = bytearray(good.read_bytes())
    with zipfile.ZipFile(good) as zf:
        info = zf.getinfo("xl/worksheets/sheet1.xml")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    for k in range(start + 10, start + min(info.compress_size, 400)):
        data[k] ^= 0x5A
    p = tmp_path / "garbled.xlsx"
    p.write_bytes(bytes(data))
    refused(p, "损坏")


def test_zip_without_workbook(good, tmp_path):
    refused(rewrite(good, tmp_path / "noworkbook.xlsx", drop=("xl/workbook.xml",)), "xl/workbook.xml")
    z = tmp_path / "docs.xlsx"
    with zipfile.ZipFile(z, "w") as zf:
        zf.writestr("word/document.xml", "<w:document/>")
        zf.writestr("[Content_Types].xml", "<Types/>")
    refused(z, "Word")


def test_xlsb_is_named(tmp_path):
    z = tmp_path / "binary.xlsx"
    with zipfile.ZipFile(z, "w") as zf:
        zf.writestr("xl/workbook.bin", b"\x00" * 10)
    refused(z, "xlsb")


def test_password_protected(good, tmp_path):
    from msoffcrypto.format.ooxml import OOXMLFile

    out = io.BytesIO()
    with open(good, "rb") as f:
        OOXMLFile(f).encrypt("mima123", out)
    p = tmp_path / "locked.xlsx"
    p.write_bytes(out.getvalue())
    refused(p, "密码")


def test_zip_bomb_by_ratio(good, tmp_path):
    """A 20 MB run of spaces compresses to ~20 KB: refused before any parser inflates it."""
    bomb = rewrite(good, tmp_path / "bomb.xlsx", add={"xl/media/pad.xml": b" " * (20 * 2**20)}, level=9)
    assert bomb.stat().st_size < 200_000
    refused(bomb, "压缩")


def test_zip_bomb_lying_about_its_size(good, tmp_path):
    """A part that declares 1,000 bytes but inflates to 30 MB passes the ratio check on paper;
    inflating through zipfile stops at the declared size and the CRC check refuses it."""
    import struct

    p = rewrite(good, tmp_path / "liar.xlsx", add={"xl/media/pad.xml": b" " * (30 * 2**20)}, level=9)
    data = bytearray(p.read_bytes())
    with zipfile.ZipFile(p) as zf:
        info = zf.getinfo("xl/media/pad.xml")
    data[info.header_offset + 22:info.header_offset + 26] = struct.pack("<I", 1000)
    cd = data.find(b"PK\x01\x02")
    while cd != -1:
        name_len = struct.unpack("<H", data[cd + 28:cd + 30])[0]
        if data[cd + 46:cd + 46 + name_len] == b"xl/media/pad.xml":
            data[cd + 24:cd + 28] = struct.pack("<I", 1000)
        cd = data.find(b"PK\x01\x02", cd + 4)
    p.write_bytes(bytes(data))
    with zipfile.ZipFile(p) as zf:
        assert zf.getinfo("xl/media/pad.xml").file_size == 1000
    refused(p, "损坏")


def test_zip_bomb_by_declared_size(good, tmp_path):
    """Size limits (given small here) are checked on the declared sizes, before inflating."""
    msg = refused(good, "过大", limits=Limits(max_part=1000))
    assert "xl/" in msg                     # names the part
    refused(good, "总大小", limits=Limits(max_total=1000, max_part=10**9))
    refused(good, "部件过多", limits=Limits(max_parts=3))


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
def test_xml_entity_bomb(good, tmp_path, encoding):
    payload = BILLION_LAUGHS if encoding == "utf-8" else \
        BILLION_LAUGHS.decode().replace('version="1.0"', 'version="1.0" encoding="UTF-16"').encode("utf-16")
    p = rewrite(good, tmp_path / f"laughs-{encoding}.xlsx", replace={"xl/sharedStrings.xml": payload})
    refused(p, "DOCTYPE")


def test_external_entity_in_workbook_part(good, tmp_path):
    with zipfile.ZipFile(good) as zf:
        wbxml = zf.read("xl/workbook.xml")
    evil = b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>' + wbxml.split(b"?>", 1)[-1]
    refused(rewrite(good, tmp_path / "xxe.xlsx", replace={"xl/workbook.xml": evil}), "ENTITY")


def test_zip_level_encryption_flag(good, tmp_path):
    data = bytearray(good.read_bytes())
    with zipfile.ZipFile(good) as zf:
        infos = zf.infolist()
    for info in infos:  # set the "encrypted" bit in every local header and central directory entry
        data[info.header_offset + 6] |= 0x1
    cd = data.find(b"PK\x01\x02")
    while cd != -1:
        data[cd + 8] |= 0x1
        cd = data.find(b"PK\x01\x02", cd + 4)
    p = tmp_path / "zipcrypt.xlsx"
    p.write_bytes(bytes(data))
    refused(p, "加密")


def test_million_row_sheet_read_with_a_row_cap(good, tmp_path):
    """A sheet with 300,000 junk rows after the table: streamed, capped, and said so (no timing asserted)."""
    with zipfile.ZipFile(good) as zf:
        sheet = zf.read("xl/worksheets/sheet1.xml").decode()
    cut = sheet.index("</sheetData>")
    junk = "".join(f'<row r="{r}"><c r="A{r}"><v>{r}</v></c></row>' for r in range(100, 300_100))
    big = rewrite(good, tmp_path / "huge.xlsx", replace={"xl/worksheets/sheet1.xml": (sheet[:cut] + junk + sheet[cut:]).encode()},
                  level=1)
    info = preflight(big)
    assert info.big
    ev = read_workbook(big)
    assert ev.extra["engine"] == "openpyxl-readonly"
    assert len(ev.indicators) == 7 and str(ev.total_score) == "99.51"   # seed 004 numbers, table intact
    assert ev.budget.executed is not None and str(ev.budget.executed) == "1521.57"
    assert [f.rule for f in ev.findings] == ["sheet-truncated"] and "5000" in ev.findings[0].message


def test_macros_are_dropped_not_run(good, tmp_path):
    """An .xlsm with a VBA part reads like the .xlsx (keep_vba=False; nothing runs VBA)."""
    p = rewrite(good, tmp_path / "macro.xlsm", add={"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0" + b"\x00" * 60})
    assert preflight(p).kind == "xlsm"
    ev = read_workbook(p)
    assert len(ev.indicators) == 7


@pytest.mark.parametrize("case", ["pdf", "missing", "bomb"])
def test_cli_exit_2_with_chinese_message(good, tmp_path, capsys, case):
    if case == "pdf":
        p = tmp_path / "x.xlsx"
        p.write_bytes(b"%PDF-1.4 ...")
    elif case == "missing":
        p = tmp_path / "missing.xlsx"
    else:
        p = rewrite(good, tmp_path / "b.xlsx", add={"xl/media/pad.xml": b"0" * (8 * 2**20)}, level=9)
    assert cli_main(["read", str(p), "--json"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("错误：") and "Traceback" not in err and p.name in err


def test_input_file_is_not_modified(good, tmp_path):
    p = tmp_path / "keep.xlsx"
    shutil.copy(good, p)
    before = p.read_bytes()
    assert cli_main(["read", str(p), "--json"]) == 0
    assert p.read_bytes() == before


@pytest.mark.libreoffice
@pytest.mark.parametrize("fmt", ["xls", "ods"])
def test_xls_and_ods_read_through_calamine(good, tmp_path, fmt):
    """A real .xls (LibreOffice writes BIFF8) and .ods read to the same numbers as the .xlsx."""
    if find_soffice() is None:
        pytest.skip("LibreOffice not installed")
    src = tmp_path / "legacy.xlsx"
    shutil.copy(good, src)
    out = Path(convert(src, fmt, tmp_path))
    assert preflight(out).kind == fmt
    ev = read_workbook(out)
    ref = read_workbook(good)
    assert ev.extra["engine"] == "calamine"
    assert [(i.name, i.weight, i.score, i.target, i.actual) for i in ev.indicators] == \
        [(i.name, i.weight, i.score, i.target, i.actual) for i in ref.indicators]
    assert (ev.budget.executed, ev.budget.score, ev.total_score) == (ref.budget.executed, ref.budget.score,
                                                                     ref.total_score)


def test_many_merged_ranges(good, tmp_path):
    """20,000 merged ranges (a hostile or badly made sheet) are indexed once, not per cell lookup."""
    with zipfile.ZipFile(good) as zf:
        sheet = zf.read("xl/worksheets/sheet1.xml").decode()
    at = sheet.index("<mergeCell ")
    extra = "".join(f'<mergeCell ref="M{r}:N{r + 1}"/>' for r in range(2, 40_002, 2))
    p = rewrite(good, tmp_path / "merges.xlsx", replace={"xl/worksheets/sheet1.xml": (sheet[:at] + extra + sheet[at:]).encode()})
    for engine in ("openpyxl", "calamine"):
        ev = read_workbook(p, engine=engine)
        assert len(ev.indicators) == 7 and str(ev.total_score) == "99.51"
