"""The review's structural check as a test: our .xlam against add-ins saved by Excel — the ones
shipped inside the installed xlwings package (``addin/xlwings.xlam``, ``quickstart_addin.xlam``,
``quickstart_addin_ribbon.xlam``) — package parts, VBA dir-stream records, module headers, and
the ribbon against the rules of Microsoft's customUI.xsd (2006/01).

customUI.xsd is published by Microsoft ([MS-CUSTOMUI]) under the Open Specifications terms,
which do not clearly allow redistributing it, so it is not vendored: the rules that apply to the
elements we use are written out below (element nesting, attributes allowed per element, ST_ID
= NCName and unique, ST_String lengths 1–1024, ST_Size = normal|large, no ``size`` on buttons
inside a menu, ``imageMso`` and ``image`` exclusive).
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import olefile
import pytest
from defusedxml import ElementTree
from oletools.olevba import VBA_Parser, decompress_stream

from addin.excel import xlam
from addin.excel.xlam_info import dir_records

CUI = "{http://schemas.microsoft.com/office/2006/01/customui}"


def xlwings_file(name: str) -> Path:
    import xlwings

    path = Path(xlwings.__file__).parent / name
    if not path.exists():
        pytest.skip(f"xlwings does not ship {name}")
    return path


@pytest.fixture(scope="module")
def ours(tmp_path_factory) -> Path:
    return xlam.build(tmp_path_factory.mktemp("structure") / "jixiao.xlam")


def records(path: Path) -> list[tuple[int, bytes]]:
    """dir-stream records, decompressed by oletools (not our decompressor)."""
    with zipfile.ZipFile(path) as zf:
        ole = olefile.OleFileIO(io.BytesIO(zf.read("xl/vbaProject.bin")))
    try:
        return dir_records(bytes(decompress_stream(bytearray(ole.openstream("VBA/dir").read()))))
    finally:
        ole.close()


def module_records(path: Path) -> dict[str, tuple[list[int], int]]:
    """module name → (record ids of its MODULE structure, MODULETYPE id 0x21 procedural / 0x22 other)."""
    out: dict[str, tuple[list[int], int]] = {}
    name = None
    for rid, data in records(path):
        if rid == 0x0019:
            name = data.decode("latin-1")
            out[name] = ([], 0)
        elif name is not None and rid != 0x0010:
            ids, kind = out[name]
            out[name] = (ids + [rid], rid if rid in (0x21, 0x22) else kind)
    return out


def project_records(path: Path) -> list[int]:
    ids = [rid for rid, _ in records(path)]
    return ids[:ids.index(0x0019)]


def test_project_records_are_those_excel_writes(ours):
    excel = project_records(xlwings_file("addin/xlwings.xlam"))
    assert project_records(ours) == excel


def test_module_records_match_excel_saved_modules_of_the_same_kind(ours):
    excel = module_records(xlwings_file("addin/xlwings.xlam"))
    by_kind = {kind: ids for ids, kind in excel.values()}
    mine = module_records(ours)
    assert set(by_kind) == {0x21, 0x22}
    for name, (ids, kind) in mine.items():
        assert ids == by_kind[kind], name
    for name in ("ThisWorkbook", "Sheet1", "Dictionary"):          # same module, same type as Excel's
        assert mine[name][1] == excel[name][1], name


def attribute_header(path: Path, module: str) -> list[str]:
    parser = VBA_Parser(str(path))
    try:
        code = next(c for _, _, n, c in parser.extract_macros() if Path(n).stem == module)
    finally:
        parser.close()
    return [line for line in code.splitlines() if line.startswith("Attribute VB_") and "VB_Name" not in line]


def test_class_and_document_headers_are_excel_s(ours):
    """Issue #14 (3): the Dictionary class carries Excel's ``Attribute VB_Base`` line."""
    excel = xlwings_file("addin/xlwings.xlam")
    for module in ("ThisWorkbook", "Sheet1"):
        assert attribute_header(ours, module) == attribute_header(excel, module), module
    ours_dict = [x for x in attribute_header(ours, "Dictionary") if not x.startswith("Attribute VB_Description")]
    excel_dict = [x for x in attribute_header(excel, "Dictionary") if not x.startswith("Attribute VB_Description")]
    assert ours_dict == excel_dict
    assert 'Attribute VB_Base = "0{FCFB3D2A-A0FA-1068-A738-08002B3371B5}"' in ours_dict


def test_project_stream_lists_modules_as_excel_does(ours):
    def lines(path: Path) -> list[str]:
        with zipfile.ZipFile(path) as zf:
            ole = olefile.OleFileIO(io.BytesIO(zf.read("xl/vbaProject.bin")))
        try:
            return ole.openstream("PROJECT").read().decode("latin-1").split("\r\n")
        finally:
            ole.close()

    excel, mine = lines(xlwings_file("addin/xlwings.xlam")), lines(ours)
    assert "Document=ThisWorkbook/&H00000000" in excel and "Document=ThisWorkbook/&H00000000" in mine
    assert "Class=Dictionary" in excel and "Class=Dictionary" in mine
    keys = lambda ls: [x.split("=")[0] for x in ls if "=" in x and not x.startswith(("Module=", "Document=", "Class="))]  # noqa: E731
    assert set(keys(mine)) <= set(keys(excel)) | {"VersionCompatible32"}


def test_package_parts_match_excel_saved_addins(ours):
    def parts(path: Path) -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
        with zipfile.ZipFile(path) as zf:
            ct = ElementTree.fromstring(zf.read("[Content_Types].xml"))
            types = {e.get("PartName") or e.get("Extension"): e.get("ContentType") for e in ct}
            rels = {e.get("Target"): e.get("Type") for e in ElementTree.fromstring(zf.read("_rels/.rels"))}
            wb = {e.get("Target"): e.get("Type") for e in ElementTree.fromstring(zf.read("xl/_rels/workbook.xml.rels"))}
        return types, rels, wb

    t_ours, r_ours, w_ours = parts(ours)
    t_xl, _, w_xl = parts(xlwings_file("quickstart_addin.xlam"))
    _, r_ribbon, _ = parts(xlwings_file("addin/xlwings.xlam"))
    assert t_ours["/xl/workbook.xml"] == t_xl["/xl/workbook.xml"] == "application/vnd.ms-excel.addin.macroEnabled.main+xml"
    assert t_ours.get("/xl/vbaProject.bin", t_ours.get("bin")) == t_xl["/xl/vbaProject.bin"]
    assert w_ours["vbaProject.bin"] == w_xl["vbaProject.bin"]
    assert r_ours["customUI/customUI.xml"] == r_ribbon["customUI/customUI.xml"]   # 2006 ribbon, 2006/01 namespace
    with zipfile.ZipFile(xlwings_file("addin/xlwings.xlam")) as zf:
        assert ElementTree.fromstring(zf.read("customUI/customUI.xml")).tag == f"{CUI}customUI"


# customUI.xsd (2006/01), the parts we use: element → (allowed children, allowed attributes)
CONTROL_ATTRS = {"id", "label", "imageMso", "image", "screentip", "supertip", "tag", "keytip", "enabled", "visible",
                 "showLabel", "showImage", "description", "onAction", "getEnabled", "getVisible", "getLabel"}
SCHEMA = {
    "customUI": ({"ribbon", "commands"}, {"onLoad", "loadImage"}),
    "ribbon": ({"tabs", "qat", "officeMenu", "contextualTabs"}, {"startFromScratch"}),
    "tabs": ({"tab"}, set()),
    "tab": ({"group"}, {"id", "idMso", "idQ", "label", "keytip", "visible", "getVisible", "insertAfterMso", "insertBeforeMso", "tag"}),
    "group": ({"button", "menu", "dynamicMenu", "separator", "box", "toggleButton", "splitButton", "gallery",
               "dialogBoxLauncher"},
              {"id", "idMso", "idQ", "label", "image", "imageMso", "screentip", "supertip", "keytip", "visible", "getVisible", "tag"}),
    "menu": ({"button", "menu", "menuSeparator", "toggleButton", "splitButton", "gallery", "checkBox"},
             (CONTROL_ATTRS - {"onAction"}) | {"size", "itemSize"}),
    "dynamicMenu": (set(), (CONTROL_ATTRS - {"onAction"}) | {"size", "getContent", "invalidateContentOnDrop"}),
    "button": (set(), CONTROL_ATTRS | {"size"}),
    "menu/button": (set(), CONTROL_ATTRS),       # buttons inside a menu: no size (CT_ButtonRegular)
    "menuSeparator": (set(), {"id", "title"}),
}


def test_ribbon_follows_customui_xsd_rules():
    root = ElementTree.parse(xlam.RIBBON_XML).getroot()
    assert root.tag == f"{CUI}customUI"
    ids = walk_customui(root)
    assert len(ids) == len(set(ids))
    dynamic = [e for e in root.iter(f"{CUI}dynamicMenu")]
    assert [(e.get("getContent"), e.get("invalidateContentOnDrop")) for e in dynamic] == [("Jx_TemplateMenu", "true")]


def test_template_menu_content_follows_the_dynamic_menu_root_rules(tmp_path, monkeypatch):
    """The XML the dynamicMenu's getContent returns ([MS-CUSTOMUI] 2.2.29: root ``menu`` in the
    customui namespace, unsized buttons, menu separators): ids unique and distinct from the
    ribbon's, ASCII only (VBA reads it in any code page)."""
    from addin.excel.template_menu import menu_xml

    monkeypatch.setenv("JIXIAO_HOME", str(tmp_path))
    text = menu_xml()
    assert text.isascii()
    menu = ElementTree.fromstring(text)
    assert menu.tag == f"{CUI}menu"
    ids = walk_customui(menu, "dynamicMenu")
    ribbon_ids = walk_customui(ElementTree.parse(xlam.RIBBON_XML).getroot())
    assert len(ids) == len(set(ids)) and not set(ids) & set(ribbon_ids)


def walk_customui(top, parent: str | None = None) -> list[str]:
    """Check ``top`` and its children against SCHEMA; the ids met."""
    ids: list[str] = []

    def walk(el, parent: str | None) -> None:
        tag = el.tag.removeprefix(CUI)
        assert el.tag.startswith(CUI), el.tag
        key = f"{parent}/{tag}" if f"{parent}/{tag}" in SCHEMA else tag
        children, attrs = SCHEMA[key]
        assert set(el.attrib) <= attrs, (tag, set(el.attrib) - attrs)
        if "id" in el.attrib:
            assert re.fullmatch(r"[A-Za-z_][\w.\-]*", el.get("id")), el.get("id")    # NCName
            ids.append(el.get("id"))
        for a in ("label", "screentip", "supertip", "tag", "onAction", "imageMso"):
            if a in el.attrib:
                assert 1 <= len(el.get(a)) <= 1024, (tag, a)
        if "size" in el.attrib:
            assert el.get("size") in ("normal", "large")
        assert not ("image" in el.attrib and "imageMso" in el.attrib)
        if tag == "button":
            assert "onAction" in el.attrib, el.get("id")
        for child in el:
            assert child.tag.removeprefix(CUI) in children, (tag, child.tag)
            walk(child, tag)

    walk(top, parent)
    return ids


def test_ribbon_icons_are_excel_built_in_controls():
    """Issue #14 (10): ConsolidateMenu / TableInsert are not Excel imageMso ids. The icons are the
    built-in Excel commands File › New and File › Open, formula/function and review icons that
    Excel-saved add-ins use (xlwings.xlam: FunctionWizard). Whether each draws is on the manual
    test script (docs/windows-install.md) — Microsoft's list (excelcontrols.xlsx) is not here."""
    root = ElementTree.parse(xlam.RIBBON_XML).getroot()
    icons = {e.get("imageMso") for e in root.iter() if e.get("imageMso")}
    assert icons == {"FileNew", "FormulaEvaluate", "ReviewTrackChanges", "ClearFormats", "FileSaveAsWordDocx",
                     "FileSaveAsPdfOrXps", "FileOpen", "FunctionWizard"}
