"""The .xlam built on Linux, checked with independent readers: oletools' olevba and LibreOffice."""

from __future__ import annotations

import importlib
import random
import re
import zipfile
from pathlib import Path

import pytest
from defusedxml import ElementTree
from oletools.olevba import VBA_Parser, decompress_stream

from addin.excel import xlam
from udfs import REGISTRY
from workbook_templates.libreoffice import convert, find_soffice

CUI = "{http://schemas.microsoft.com/office/2006/01/customui}"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("xlam")
    return {"xlam": xlam.build(d / "jixiao.xlam"), "xlsm": xlam.build(d / "jixiao.xlsm")}


@pytest.fixture(scope="module")
def modules(built) -> dict[str, str]:
    """Module name → source, as olevba decodes it from the built file."""
    parser = VBA_Parser(str(built["xlam"]))
    try:
        assert parser.detect_vba_macros()
        out = {Path(name).stem: code for _, _, name, code in parser.extract_macros()}
    finally:
        parser.close()
    return out


def test_package_is_an_addin_with_ribbon_and_vba(built):
    with zipfile.ZipFile(built["xlam"]) as zf:
        ct = ElementTree.fromstring(zf.read("[Content_Types].xml"))
        overrides = {e.get("PartName"): e.get("ContentType") for e in ct if e.tag.endswith("Override")}
        assert overrides["/xl/workbook.xml"] == "application/vnd.ms-excel.addin.macroEnabled.main+xml"
        rels = {e.get("Type"): e.get("Target") for e in ElementTree.fromstring(zf.read("_rels/.rels"))}
        assert rels[xlam.UI_REL] == "customUI/customUI.xml"
        assert zf.read("customUI/customUI.xml") == xlam.RIBBON_XML.read_bytes()
        wb_rels = {e.get("Type"): e.get("Target") for e in ElementTree.fromstring(zf.read("xl/_rels/workbook.xml.rels"))}
        assert wb_rels[xlam.VBA_REL] == "vbaProject.bin"
        assert zf.read("xl/vbaProject.bin")[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"   # OLE compound file
    with zipfile.ZipFile(built["xlsm"]) as zf:
        assert b"sheet.macroEnabled.main+xml" in zf.read("[Content_Types].xml")


def test_build_is_reproducible(tmp_path, built):
    again = xlam.build(tmp_path / "again.xlam")
    assert again.read_bytes() == built["xlam"].read_bytes()


def test_build_refuses_a_workbook_name_and_leaves_it_alone(tmp_path, capsys):
    from addin.cli import main

    book = tmp_path / "自评表.xlsx"
    book.write_bytes(b"user data")
    assert main(["addin", "build", "-o", str(book)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("错误：") and ".xlam" in err and "Traceback" not in err
    assert book.read_bytes() == b"user data"


def test_vba_project_code_page_is_936(built):
    import olefile
    from oletools.olevba import VBA_Project

    with zipfile.ZipFile(built["xlam"]) as zf:
        ole = olefile.OleFileIO(zf.read("xl/vbaProject.bin"))
    try:
        project = VBA_Project(ole, "", "PROJECT", "VBA/dir", relaxed=False)
        assert project.codepage == 936
        assert "Module=JixiaoFunctionsZH" in ole.openstream("PROJECT").read().decode("cp936")
    finally:
        ole.close()


def test_olevba_decodes_every_module_with_chinese_intact(modules):
    expected = {"ThisWorkbook", "Sheet1", "xlwings", "JixiaoRibbon", "JixiaoSupport", "JixiaoFunctionsZH",
                "JixiaoFunctionsEN", "JixiaoRegister"}
    assert expected <= set(modules)
    for bas in xlam.VBA_DIR.glob("*.bas"):   # hand-written modules survive byte for byte (modulo CRLF)
        name = re.search(r'VB_Name = "([^"]+)"', bas.read_text(encoding="utf-8")).group(1)
        body = bas.read_text(encoding="utf-8").split("\n", 1)[1].strip()
        assert body.replace("\r\n", "\n") in modules[name].replace("\r\n", "\n")
    assert "Public Function 预算执行率(执行数, 预算数)" in modules["JixiaoFunctionsZH"]
    assert "Public Function 错误原因(单元格 As Range)" in modules["JixiaoFunctionsZH"]
    assert "Category:=\"绩效评价\"" in modules["JixiaoRegister"]
    assert "Workbook_Open" in modules["ThisWorkbook"]


def test_xlwings_module_comes_from_the_installed_package(modules):
    import xlwings

    src = modules["xlwings"]
    assert f'XLWINGS_VERSION As String = "{xlwings.__version__}"' in src
    assert 'PROJECT_NAME As String = "jixiao"' in src
    assert "Function RunPython" in src and "Function XLPy()" in src


def test_english_wrappers_and_ribbon_need_no_chinese_code_page(modules):
    # on a non-936 system only modules with Chinese identifiers can fail to compile
    for name in ("JixiaoFunctionsEN", "JixiaoRibbon", "JixiaoSupport", "JixiaoRegister", "ThisWorkbook"):
        code = "\n".join(line.split("'")[0].split('"')[0] for line in modules[name].splitlines())
        assert code.isascii(), name


def test_every_registry_function_has_chinese_and_english_wrappers(modules):
    src = modules["JixiaoFunctionsZH"] + modules["JixiaoFunctionsEN"]
    register = modules["JixiaoRegister"]
    for spec in REGISTRY:
        for name in (spec.name, spec.alias):
            m = re.search(rf"^Public Function {re.escape(name)}\(([^)]*)\)", src, re.M)
            assert m, f"no wrapper for {name}"
            params = [p.replace("Optional ", "").strip() for p in m.group(1).split(",") if p.strip()]
            assert len(params) == len(spec.args)
            call = re.search(rf'{re.escape(name)} = JxErrors\(XLPy\.CallUDF\("([\w.]+)", "([^"]+)", Array\(([^)]*)\)', src)
            assert call, name
            module = importlib.import_module(call.group(1))
            assert call.group(2) == name and callable(getattr(module, name))
            assert [a.strip() for a in call.group(3).split(",")] == params
            assert f'Macro:=ThisWorkbook.Name & "!{name}"' in register


def test_every_onaction_resolves_to_a_ribbon_callback(modules):
    root = ElementTree.parse(xlam.RIBBON_XML).getroot()
    actions = {e.get("onAction") for e in root.iter() if e.get("onAction")}
    labels = {e.get("label") for e in root.iter() if e.get("label")}
    assert {"插入模板", "计算得分", "校验", "清除标记", "生成报告", "导出PDF", "汇总各单位", "函数说明"} <= labels
    assert any(e.tag == f"{CUI}tab" and e.get("label") == "绩效自评" for e in root.iter())
    code = "\n".join(modules.values())
    for action in actions:
        assert re.search(rf"^(Public )?Sub {action}\(control As IRibbonControl\)", code, re.M), action


def ribbon_callbacks(source: str) -> dict[str, str]:
    """Callback name → body (line continuations joined) of JixiaoRibbon."""
    source = re.sub(r" _\r?\n\s*", " ", source)
    return dict(re.findall(r"^Public Sub (Jx_\w+)\(control As IRibbonControl\)\r?\n(.*?)^End Sub", source, re.M | re.S))


def test_every_runpython_call_names_an_entry_point_with_its_parameters(modules):
    """Text check (the engine test executes them): RunPython PY & "fn(…, key=…)" names a function
    of addin.excel.macros and only keywords of its signature."""
    import inspect

    prefix = re.search(r'Private Const PY As String = "import (\w+), ([\w.]+); ([\w.]+)\."', modules["JixiaoRibbon"])
    assert prefix and prefix.group(2) == prefix.group(3) == "addin.excel.macros"
    assert prefix.group(1) == xlam.ENTRY_MODULE      # first: pins our packages (a workbook's addin/ can't shadow)
    module = importlib.import_module(prefix.group(2))
    bodies = ribbon_callbacks(modules["JixiaoRibbon"])
    assert len(bodies) == 10                         # the 8 buttons of issue #14, 自检, 审核用报告 (#16)
    for name, body in bodies.items():
        m = re.search(r'RunPython PY & "(\w+)\(', body)
        assert m, name
        params = inspect.signature(getattr(module, m.group(1))).parameters
        for key in re.findall(r'(\w+)=" &', body):
            assert key in params, (name, key)


def test_every_callback_guards_a_missing_workbook(modules):
    """Issue #14 (2): xlwings' RunPython reads ActiveWorkbook.FullName — every callback first
    checks for a workbook (JxReady: Chinese message box) or makes one (插入模板, 汇总各单位)."""
    for name, body in ribbon_callbacks(modules["JixiaoRibbon"]).items():
        run = body.index("RunPython")
        guard = min((body.find(g) for g in ("JxReady(", "JxEnsureWorkbook()") if g in body), default=-1)
        assert 0 <= guard < run, name
        if name in ("Jx_InsertTemplate", "Jx_Consolidate"):
            assert "JxEnsureWorkbook()" in body and "JxReady(" not in body, name
    assert not re.search(r"MacScript\s*\(", modules["JixiaoRibbon"] + modules["JixiaoSupport"])   # sandboxed on Mac Excel 2016+
    assert "AppleScriptTask(" in modules["JixiaoSupport"]


def test_template_menu_offers_built_templates(tmp_path, monkeypatch, modules):
    """No pack installed: 插入模板's dynamic menu lists every standard template, in order, each a
    button whose onAction is a ribbon callback taking the template id from its tag; the
    getContent callback has the dynamicMenu signature (control, ByRef content)."""
    from addin.excel.template_menu import menu_xml
    from workbook_templates.builder import template_ids

    monkeypatch.setenv("JIXIAO_HOME", str(tmp_path))
    menu = ElementTree.fromstring(menu_xml())
    buttons = [e for e in menu.iter() if e.tag == f"{CUI}button"]
    assert [e.get("tag") for e in buttons] == template_ids()
    assert {e.get("onAction") for e in buttons} == {"Jx_InsertTemplate"}
    code = "\n".join(modules.values())
    assert re.search(r"^Public Sub Jx_InsertTemplate\(control As IRibbonControl\)", code, re.M)
    root = ElementTree.parse(xlam.RIBBON_XML).getroot()
    for e in root.iter(f"{CUI}dynamicMenu"):
        assert re.search(rf"^Public Sub {e.get('getContent')}\(control As IRibbonControl, ByRef content\)", code, re.M)


def test_gbk_fallback_for_docs():
    assert xlam.gbk_safe("(实际 − 目标) ÷ 目标 ≥ ≤") == "(实际 - 目标) ÷ 目标 ≥ ≤"
    assert xlam.vba_string('说"明"') == '"说""明"""'


def test_ms_ovba_compression_round_trips_through_olevba():
    rng = random.Random(7)
    samples = [b"", b"a", b"Attribute VB_Name = \"x\"\r\n" * 400, bytes(range(256)) * 20,
               xlam.functions_bas(chinese=True).encode("cp936")]
    samples += [bytes(rng.choice(b"ab \r\n") for _ in range(rng.randint(1, 9000))) for _ in range(20)]
    samples += [rng.randbytes(rng.randint(1, 3600)) for _ in range(10)]
    for data in samples:
        assert bytes(decompress_stream(bytearray(xlam.ovba_compress(data)))) == data


@pytest.mark.libreoffice
def test_libreoffice_decodes_the_vba_project(built, tmp_path):
    if find_soffice() is None:
        pytest.skip("LibreOffice not installed")
    ods = convert(built["xlsm"], "ods", tmp_path)
    with zipfile.ZipFile(ods) as zf:
        names = set(zf.namelist())
        for mod in ("ThisWorkbook", "xlwings", "JixiaoRibbon", "JixiaoSupport", "JixiaoFunctionsZH",
                    "JixiaoFunctionsEN", "JixiaoRegister"):
            assert f"Basic/VBAProject/{mod}.xml" in names, mod
        funcs = zf.read("Basic/VBAProject/JixiaoFunctionsZH.xml").decode("utf-8")
        assert "Public Function 预算执行率(执行数, 预算数)" in funcs
        en = zf.read("Basic/VBAProject/JixiaoFunctionsEN.xml").decode("utf-8")
        assert "Public Function JX_EXEC_RATE(executed, budget)" in en
        assert 'script:moduleType="document"' in zf.read("Basic/VBAProject/ThisWorkbook.xml").decode("utf-8")
        if "Basic/VBAProject/Dictionary.xml" in names:
            assert 'script:moduleType="class"' in zf.read("Basic/VBAProject/Dictionary.xml").decode("utf-8")
    assert xlam.ENTRY_MODULE in funcs


def test_only_worksheet_functions_are_visible_to_excel(modules):
    """Issue #14 (10): a Public Function of a module without ``Option Private Module`` is listed
    in Excel's function wizard; only the registry's functions and the error-reason lookup may be —
    RunPython, XLPy, JxErrors … live in private modules (xlwings' module included)."""
    allowed = {n.lower() for s in REGISTRY for n in (s.name, s.alias)} | {"jx_error_reason", "错误原因"}
    visible = set()
    for code in modules.values():
        if re.search(r"^Option Private Module\s*$", code, re.M) or "Attribute VB_Base" in code:
            continue          # private, or a class/document module (never in the function list)
        visible |= {m.lower() for m in re.findall(r"^(?:Public )?Function (\w+)\(", code, re.M)}
    assert visible == allowed
    for name in ("xlwings", "JixiaoSupport", "JixiaoRegister"):
        assert re.search(r"^Option Private Module\s*$", modules[name], re.M), name
