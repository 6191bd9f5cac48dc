"""The consolidation speed-ups keep every result identical (issue #7, "Fast"). No timings here:
each shortcut is compared with the slow, obvious way (zipfile, ElementTree, openpyxl's normal
mode, an uncached function, a fresh Grid.ref), and the safety guarantees are checked again."""

from __future__ import annotations

import struct
import zipfile
import zlib
from pathlib import Path

import openpyxl
import pytest
from defusedxml import ElementTree

from addin.consolidate_worker import summarize_evaluation, summarize_file
from addin.rules import budget
from addin.validate import validate
from workbook_templates import loaders, reader
from workbook_templates.builder import build_template
from workbook_templates.errors import ReadError
from workbook_templates.grid import Grid
from workbook_templates.loaders import load_book, load_openpyxl
from workbook_templates.reader import read_book, read_grids
from workbook_templates.safety import KEEP_PARTS, preflight
from workbook_templates.samples import SAMPLE_LAYOUTS, random_unit, write_sample

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"


@pytest.fixture(scope="module")
def books(tmp_path_factory) -> list[Path]:
    """Every sample layout, our template, and a workbook with percent formats (built-in and custom),
    defined names (workbook and sheet scope), a hidden sheet and a sheet name that needs quoting."""
    import random

    folder = tmp_path_factory.mktemp("perf")
    rng = random.Random(5)
    out = [write_sample(lay, folder / f"{lay}.xlsx", random_unit(rng, i)) for i, lay in enumerate(SAMPLE_LAYOUTS)]
    out.append(build_template("project", folder / "template.xlsx"))
    wb = openpyxl.load_workbook(out[0])
    ws = wb.worksheets[0]
    ws.title = "自评 (2021)'s"
    for r, fmt in ((3, "0%"), (4, "0.00%"), (5, "0.0%;[Red]-0.0%"), (6, "0.00")):
        ws.cell(row=r, column=20, value=0.951).number_format = fmt
    ws.cell(row=7, column=20, value="95%").number_format = "0%"      # text in a percent cell
    hidden = wb.create_sheet("旧表")
    hidden.sheet_state = "hidden"
    hidden["A1"] = 0.5
    hidden["A1"].number_format = "0%"
    from openpyxl.workbook.defined_name import DefinedName

    wb.defined_names["项目名称"] = DefinedName("项目名称", attr_text="'自评 (2021)''s'!$B$3")
    hidden.defined_names["局部"] = DefinedName("局部", attr_text="'旧表'!$A$1")
    wb.save(folder / "formats.xlsx")
    out.append(folder / "formats.xlsx")
    return out


def _grids(book) -> list:
    return [(g.name, g.rows, sorted(g.merged), g.number_formats) for g in book.grids]


# -- preflight: one pass over the zip -----------------------------------------------------------

def test_preflight_keeps_exactly_what_zipfile_reads(books):
    for path in books:
        info = preflight(path)
        with zipfile.ZipFile(path) as zf:
            assert set(info.parts) == set(zf.namelist())
            for name, data in info.parts.items():
                wanted = name in KEEP_PARTS or (name.startswith("xl/worksheets/") and name.endswith(".xml"))
                assert (data is not None) == wanted, name
                if data is not None:
                    assert data == zf.read(name)


def test_stored_parts_are_checked_and_kept(books, tmp_path):
    p = tmp_path / "stored.xlsx"
    with zipfile.ZipFile(books[0]) as zi, zipfile.ZipFile(p, "w", zipfile.ZIP_STORED) as zo:
        for info in zi.infolist():
            zo.writestr(info.filename, zi.read(info))
    info = preflight(p)
    with zipfile.ZipFile(p) as zf:
        assert info.parts["xl/workbook.xml"] == zf.read("xl/workbook.xml")
    assert _grids(load_book(p, engine="calamine", parts=info.parts)) == _grids(load_book(books[0], engine="calamine"))


def _set_sizes(data: bytearray, name: bytes, size: int, crc: int) -> None:
    """Rewrite the declared size and CRC of a member, in its local header and the central directory."""
    with zipfile.ZipFile(__import__("io").BytesIO(bytes(data))) as zf:
        off = zf.getinfo(name.decode()).header_offset
    data[off + 14:off + 18] = struct.pack("<I", crc)
    data[off + 22:off + 26] = struct.pack("<I", size)
    cd = data.find(b"PK\x01\x02")
    while cd != -1:
        n = struct.unpack("<H", data[cd + 28:cd + 30])[0]
        if data[cd + 46:cd + 46 + n] == name:
            data[cd + 16:cd + 20] = struct.pack("<I", crc)
            data[cd + 24:cd + 28] = struct.pack("<I", size)
        cd = data.find(b"PK\x01\x02", cd + 4)


@pytest.mark.parametrize("method", [zipfile.ZIP_DEFLATED, zipfile.ZIP_STORED])
def test_part_longer_than_declared_is_refused_even_with_a_matching_crc(books, tmp_path, method):
    """A part that declares 1,000 bytes and the CRC of its first 1,000 bytes but inflates to 5 MB:
    zipfile would hand out the 1,000 bytes and accept the CRC; preflight refuses the lie."""
    payload = b"<x>" + b" " * (5 * 2**20)
    p = tmp_path / "liar.xlsx"
    with zipfile.ZipFile(books[0]) as zi, zipfile.ZipFile(p, "w", method) as zo:
        for info in zi.infolist():
            zo.writestr(info.filename, zi.read(info))
        zo.writestr("xl/media/pad.xml", payload)
    data = bytearray(p.read_bytes())
    _set_sizes(data, b"xl/media/pad.xml", 1000, zlib.crc32(payload[:1000]))
    p.write_bytes(bytes(data))
    with zipfile.ZipFile(p) as zf:           # what zipfile alone makes of it
        assert zf.read("xl/media/pad.xml") == payload[:1000]
    with pytest.raises(ReadError, match="损坏"):
        preflight(p)


def test_inflating_a_lying_part_stops_one_byte_past_its_declared_size():
    from workbook_templates.safety import _inflate_chunks

    comp = zlib.compressobj(9, zlib.DEFLATED, -15)
    data = comp.compress(b" " * (50 * 2**20)) + comp.flush()
    for size in (0, 1000, 3 * 2**20):
        chunks = list(_inflate_chunks(zlib.decompressobj(-15), memoryview(data), size))
        assert sum(map(len, chunks)) == size + 1


def test_part_shorter_than_declared_is_refused(books, tmp_path):
    p = tmp_path / "short.xlsx"
    with zipfile.ZipFile(books[0]) as zi, zipfile.ZipFile(p, "w", zipfile.ZIP_DEFLATED) as zo:
        for info in zi.infolist():
            zo.writestr(info.filename, zi.read(info))
    data = bytearray(p.read_bytes())
    with zipfile.ZipFile(p) as zf:
        info = zf.getinfo("xl/workbook.xml")
    _set_sizes(data, b"xl/workbook.xml", info.file_size + 10, info.CRC)
    p.write_bytes(bytes(data))
    with pytest.raises(ReadError, match="损坏"):
        preflight(p)


# -- loaders: parts from preflight, expat instead of ElementTree ---------------------------------

@pytest.mark.parametrize("engine", ["calamine", "openpyxl"])
def test_loading_from_preflight_parts_equals_loading_from_the_file(books, engine):
    for path in books:
        info = preflight(path)
        a = load_book(path, engine=engine, kind=info.kind, big=info.big, parts=info.parts)
        b = load_book(path, engine=engine, kind=info.kind, big=info.big)
        assert _grids(a) == _grids(b)
        assert (a.defined_names, a.hidden, a.truncated) == (b.defined_names, b.hidden, b.truncated)


def test_calamine_percent_cells_and_names_match_openpyxl_normal_mode(books):
    """openpyxl's normal mode is the independent engine for number formats and defined names."""
    path = books[-1]
    info = preflight(path)
    fast = load_book(path, engine="calamine", parts=info.parts)
    slow = load_openpyxl(path)
    numeric = {g.name: {k: v for k, v in g.number_formats.items() if isinstance(g.value(*k), (int, float))}
               for g in slow.grids}          # formats matter for numbers only (a text cell reads as written)
    assert {g.name: g.number_formats for g in fast.grids} == numeric
    assert len(fast.grids[0].number_formats) == 3 and fast.grid("旧表").number_formats == {(0, 0): "0%"}
    assert fast.defined_names == slow.defined_names == {"项目名称": "'自评 (2021)''s'!$B$3"}


def _et_workbook(data: bytes):
    root = ElementTree.fromstring(data)
    names = {}
    for el in root.iter():
        if el.tag.endswith("}definedName") and "localSheetId" not in el.attrib:
            name = el.attrib.get("name", "")
            if name and not name.startswith("_xlnm."):
                names[name] = (el.text or "").strip()
    sheets = [(sh.get("name", ""), sh.get(f"{REL}id")) for sh in root.iter(f"{MAIN}sheet")]
    return names, sheets


def _et_styles(data: bytes):
    styles = ElementTree.fromstring(data)
    codes = {9: "0%", 10: "0.00%"}
    for nf in styles.iter(f"{MAIN}numFmt"):
        codes[int(nf.get("numFmtId", "0"))] = nf.get("formatCode", "")
    xfs = styles.find(f"{MAIN}cellXfs")
    return {i: codes[int(xf.get("numFmtId", "0"))] for i, xf in enumerate(xfs if xfs is not None else [])
            if "%" in codes.get(int(xf.get("numFmtId", "0")), "")}


WORKBOOK_XML = (b'<?xml version="1.0" encoding="UTF-8"?>'
                b'<x:workbook xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                b'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
                b'<x:sheets><x:sheet name="A &amp; B" sheetId="1" r:id="rId1"/><x:sheet name="C" sheetId="2" '
                b'r:id="rId2"/></x:sheets><x:definedNames>'
                b'<x:definedName name="_xlnm.Print_Area" localSheetId="0">A!$A$1</x:definedName>'
                b'<x:definedName name="local" localSheetId="1">C!$A$1</x:definedName>'
                b"<x:definedName name=\"total\">  'A &amp; B'!$C$9 </x:definedName>"
                b'<x:definedName name="split">C!$A$1<x:b/>:$B$2</x:definedName>'
                b'<x:definedName name="empty"/></x:definedNames></x:workbook>')
STYLES_XML = (b'<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
              b'<numFmts count="2"><numFmt numFmtId="164" formatCode="0.0%"/><numFmt numFmtId="165" '
              b'formatCode="#,##0.00"/></numFmts><cellStyleXfs count="1"><xf numFmtId="9"/></cellStyleXfs>'
              b'<cellXfs count="5"><xf numFmtId="0"/><xf numFmtId="9"><alignment/></xf><xf numFmtId="164"/>'
              b'<xf numFmtId="165"/><xf numFmtId="10"/></cellXfs>'
              b'<dxfs count="1"><dxf><numFmt numFmtId="165" formatCode="0%"/></dxf></dxfs></styleSheet>')


def test_expat_parsers_agree_with_elementtree(books):
    """The workbook/styles facts from expat equal those ElementTree (defusedxml) gives, on real
    parts and on crafted ones (prefixed names, entities in text, a dxf's numFmt after cellXfs)."""
    assert loaders._workbook_facts(WORKBOOK_XML) == _et_workbook(WORKBOOK_XML)
    assert loaders._workbook_facts(WORKBOOK_XML)[0]["split"] == "C!$A$1"     # text before the first child
    assert loaders._percent_styles(STYLES_XML) == _et_styles(STYLES_XML) == {1: "0%", 2: "0.0%", 3: "0%",
                                                                              4: "0.00%"}
    for path in books:
        with zipfile.ZipFile(path) as zf:
            assert loaders._workbook_facts(zf.read("xl/workbook.xml")) == _et_workbook(zf.read("xl/workbook.xml"))
            assert loaders._percent_styles(zf.read("xl/styles.xml")) == _et_styles(zf.read("xl/styles.xml"))
            rels = ElementTree.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
            assert loaders._rel_targets(zf.read("xl/_rels/workbook.xml.rels")) == {
                r.get("Id"): r.get("Target", "") for r in rels}


@pytest.mark.parametrize("xml", [
    b'<?xml version="1.0"?><!DOCTYPE a [<!ENTITY e "x"><!ENTITY f "&e;&e;&e;">]><a>&f;</a>',
    b'<?xml version="1.0"?><!DOCTYPE a [<!ENTITY e SYSTEM "file:///etc/passwd">]><a>&e;</a>',
])
def test_expat_parser_never_expands_entities(xml):
    with pytest.raises(ValueError):
        loaders._parse_xml(xml, lambda tag, depth, parent: True)
    assert loaders.defined_names_from_zip("unused.xlsx", {"xl/workbook.xml": xml}) == {}


def test_read_only_size_scan_stops_at_sheet_data_with_the_same_result(books, tmp_path):
    """openpyxl's own dimension scan vs the bounded one, with and without <dimension>."""
    from openpyxl.worksheet._reader import WorkSheetParser

    with zipfile.ZipFile(books[0]) as zf:
        sheet = zf.read("xl/worksheets/sheet1.xml")
    no_dim = tmp_path / "nodim.xlsx"
    with zipfile.ZipFile(books[0]) as zi, zipfile.ZipFile(no_dim, "w", zipfile.ZIP_DEFLATED) as zo:
        for info in zi.infolist():
            data = zi.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                start = data.index(b"<dimension")
                data = data[:start] + data[data.index(b">", start) + 1:]
            zo.writestr(info.filename, data)
    for path, has_dim in ((books[0], True), (no_dim, False)):
        with zipfile.ZipFile(path) as zf, zf.open("xl/worksheets/sheet1.xml") as f:
            expected = WorkSheetParser(f, []).parse_dimensions()
        assert (expected is not None) == has_dim
        wb = openpyxl.load_workbook(path, read_only=True)
        loaders._bound_read_only_size()
        ws = wb.worksheets[0]
        ws._min_column = ws._min_row = ws._max_column = ws._max_row = None
        ws._get_size()
        got = (ws._min_column, ws._min_row, ws._max_column, ws._max_row)
        assert got == (expected if expected is not None else (None,) * 4)
        wb.close()
    assert b"<dimension" in sheet
    assert _grids(load_openpyxl(no_dim, read_only=True)) == _grids(load_openpyxl(books[0], read_only=True))


# -- reader caches ----------------------------------------------------------------------------

def test_cached_norm_and_synonym_index_equal_the_plain_functions():
    h = reader.headers()
    texts = [w for t in ("indicator_columns", "funds_columns", "project_labels", "budget_row_labels")
             for syns in h[t].values() for w in syns]
    texts += ["  三级 指标（分）：", "分值(10分)", "ＡＢＣ１２３", "x" * 300, "（一）", "a(b)(c)", "项目名称:", 12.5, 3, None]
    for t in texts:
        assert reader.norm(t) == (reader._norm_uncached(str(t)) if t is not None else "")
    for table in ("indicator_columns", "funds_columns", "project_labels", "budget_row_labels"):
        tab = h[table]
        for t in [reader.norm(x) for x in texts] + ["不是表头"]:
            slow = next((fld for fld, syns in tab.items() if t in syns), None)
            assert reader._match(t, tab) == slow


def test_references_equal_grid_ref_for_names_that_need_quoting():
    for name in ("自评表", "Sheet 1", "It's", "表(二)", "表（二）", "a-b", "x!y"):
        g = Grid(name=name, rows=[["a"]])
        for r, c in ((0, 0), (9, 25), (99, 26), (4, 701), (0, 16383)):
            assert reader._ref(g, r, c) == g.ref(r, c)


def test_a_grid_changed_after_a_read_is_read_afresh():
    rows = [["三级指标", "分值", "得分"], ["补助人数", 20, 18], ["合格率", 10, 10]]
    g = Grid(name="S", rows=[list(r) for r in rows])
    assert [(i.name, i.cell) for i in read_grids([g]).indicators] == [("补助人数", "S!A2"), ("合格率", "S!A3")]
    g.rows[0] = ["情况说明", None, None]                     # no longer a header …
    g.rows += [["指标名称", "权重", "得分"], ["培训人次", 30, 30]]   # … the table is further down
    assert [(i.name, i.cell) for i in read_grids([g]).indicators] == [("培训人次", "S!A5")]


def test_budget_keys_cached_equal_uncached():
    import re
    import unicodedata

    for label in ["年度总金额(万元)", "财政资金 小计（万元）", "(5)=(3)-(4)", "（6）", "资金结余(5)", "", "其他(注)(万元)"]:
        s = unicodedata.normalize("NFKC", label).replace(" ", "")
        assert budget.column_key(label) == re.sub(r"\(.*?\)", "", s)
        m = re.match(r"^\((\d)\)", s) or re.search(r"\((\d)\)=", s)
        assert budget._text_code(label) == (int(m.group(1)) if m else None)


# -- the worker -------------------------------------------------------------------------------

def test_worker_summary_equals_the_plain_path(books):
    """summarize_file (preflight parts, caches, bounded scans) == read without parts + validate."""
    for path in books:
        fast = summarize_file(str(path), path.name)
        book = load_book(path, engine="calamine")
        slow = summarize_evaluation(read_book(book, path), None, validate)
        slow["file"] = path.name
        assert fast == slow
