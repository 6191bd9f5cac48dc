"""Build the 绩效自评 Excel add-in (.xlam) from text sources, on any OS, reproducibly.

Sources: ``addin/excel/ribbon/customUI.xml`` (the 绩效自评 tab), ``addin/excel/vba/*.bas`` (ribbon callbacks,
error helpers), the worksheet-function wrappers generated here from ``udfs.REGISTRY`` (Chinese
names and English aliases), and xlwings' own VBA module taken from the *installed* xlwings package
(``xlwings_custom_addin.bas`` — the variant for custom add-ins, which acts on the active workbook)
so the VBA and the Python side always have the same version (its ``Declare … Lib
"xlwings64-<version>.dll"`` loads the DLL of exactly that xlwings).

Two builds (``LOCALES``): ``zh`` — project code page 936, Chinese function names and English
aliases, category 绩效评价; ``en`` — code page 1252, no Chinese-named module, English aliases only,
category ``Jixiao``, every module ASCII (``vba_text.english_source``), for Windows whose ANSI code
page is not 936 (VBA reads the source in the system code page: Chinese identifiers there do not
compile). The ribbon (customUI.xml, UTF-8) is the same in both.

``vbaProject.bin`` is written with ``ms-ovba`` (MS-OVBA: compressed module source, dir stream,
PROJECT stream, no compiled cache so Excel compiles on first load). The package gets the add-in
content type ``application/vnd.ms-excel.addin.macroEnabled.main+xml``; all timestamps are fixed,
so building twice gives the same bytes."""

from __future__ import annotations

import contextlib
import io
import os
import random
import re
import tempfile
import threading
import uuid
import zipfile
from dataclasses import dataclass
from pathlib import Path

from udfs import CATEGORY, REGISTRY

from .vba_text import english_source, unicode_expr

HERE = Path(__file__).resolve().parent
RIBBON_XML = HERE / "ribbon" / "customUI.xml"
VBA_DIR = HERE / "vba"

ENTRY_MODULE = "jixiao_entry"    # what RunPython and Py.CallUDF import first (a workbook's own addin/ or
                                 # udfs/ folder cannot shadow ours: jixiao_entry.py)
PROJECT_NAME = "jixiao"          # xlwings PROJECT_NAME: config file %USERPROFILE%\.jixiao\jixiao.conf
CODEPAGE = 936                   # GBK: Chinese identifiers and strings in the VBA source (zh build)
CODEPAGE_NAME = "cp936"
PROJECT_ID = "{5B1C8E2A-6F0D-4C3B-9A57-3E8D2F1A7C64}"   # fixed: reproducible builds
FUNCTIONS_MODULES = {"zh": "JixiaoFunctionsZH", "en": "JixiaoFunctionsEN"}
REGISTER_MODULE = "JixiaoRegister"
XLWINGS_MODULE = "xlwings"
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
FIXED_TIME = "2021-01-01T00:00:00Z"

CONTENT_TYPE = {
    "xlam": "application/vnd.ms-excel.addin.macroEnabled.main+xml",
    "xlsm": "application/vnd.ms-excel.sheet.macroEnabled.main+xml",
}

# Characters of the registry docs that GBK lacks, replaced by their nearest GBK spelling.
_GBK_FALLBACK = {"\u2212": "-", "\u2013": "-", "\u2014": "—", "\u00a0": " ", "\u2009": " "}


@dataclass(frozen=True)
class Locale:
    """One build of the add-in: the VBA project's code page and what its modules hold."""

    name: str              # zh | en
    codepage: int
    codec: str
    chinese_names: bool    # the JixiaoFunctionsZH module (Chinese function names)
    category: str          # Excel function-wizard category
    title: str             # what `jixiao addin install` says it chose


LOCALES = {
    "zh": Locale("zh", 936, "cp936", True, CATEGORY, "中文版（中文函数名 + 英文别名，代码页 936）"),
    "en": Locale("en", 1252, "cp1252", False, "Jixiao", "英文版（只含英文别名 =JX_…，函数类别 Jixiao，代码页 1252）"),
}
DICTIONARY_BASE = "0{FCFB3D2A-A0FA-1068-A738-08002B3371B5}"   # VB_Base of a VBA class module, as Excel saves it


@dataclass(frozen=True)
class VbaModule:
    name: str            # module (and stream) name, ASCII
    source: str          # full source including its Attribute lines
    kind: str = "Module"  # Module | Document | Class


# ---------------------------------------------------------------------------------------------
# VBA sources


def gbk_safe(text: str) -> str:
    """Text representable in code page 936 (unknown characters become '?')."""
    for a, b in _GBK_FALLBACK.items():
        text = text.replace(a, b)
    return text.encode(CODEPAGE_NAME, errors="replace").decode(CODEPAGE_NAME)


def vba_string(text: str, limit: int = 255) -> str:
    """A VBA string literal (quotes doubled, GBK-safe, at most ``limit`` characters)."""
    return '"' + gbk_safe(text)[:limit].replace('"', '""') + '"'


def xlwings_bas() -> str:
    """xlwings' VBA module for custom add-ins, from the installed package, named for this project."""
    import xlwings

    path = Path(xlwings.__file__).parent / "xlwings_custom_addin.bas"
    text = path.read_text(encoding="utf-8")
    new, n = re.subn(r'(Public Const PROJECT_NAME As String = )"[^"]*"', rf'\1"{PROJECT_NAME}"', text)
    if n != 1:
        raise RuntimeError(f"{path}: PROJECT_NAME not found; xlwings VBA layout changed")
    # RunPython, XLPy, GetConfig … are Public Functions: without this they are listed in Excel's
    # function wizard (User Defined). The add-in's own modules still call them.
    return _private_module(new)


def _private_module(source: str) -> str:
    """``source`` with ``Option Private Module`` after its Attribute lines (declarations section)."""
    lines = source.split("\n")
    i = 0
    while i < len(lines) and lines[i].startswith("Attribute "):
        i += 1
    return "\n".join(lines[:i] + ["Option Private Module"] + lines[i:])


def xlwings_dictionary_cls() -> str | None:
    """xlwings' Dictionary class (used by its VBA on macOS), if the package ships it."""
    import xlwings

    path = Path(xlwings.__file__).parent / "addin" / "Dictionary.cls"
    return path.read_text(encoding="utf-8") if path.exists() else None


def _vba_params(names: list[str], reserved: set[str]) -> list[str]:
    """Parameter names that don't collide (case-insensitively) with procedures of the module."""
    out = []
    for n in names:
        while n.lower() in reserved:
            n += "_"
        out.append(n)
    return out


def _wrapper(name: str, params: list[str], optional: list[bool]) -> list[str]:
    sig = ", ".join(("Optional " if o else "") + p for p, o in zip(params, optional, strict=True))
    call = f'XLPy.CallUDF("{ENTRY_MODULE}", "{name}", Array({", ".join(params)}), ActiveWorkbook, Application.Caller)'
    return [f"Public Function {name}({sig})",
            "    If TypeName(Application.Caller) = \"Range\" Then On Error GoTo failed",
            f"    {name} = JxErrors({call}, Application.Caller)",
            "    Exit Function",
            "failed:",
            f"    {name} = Err.Description",
            "End Function", ""]


def _header(module: str, what: str, private: bool = False) -> list[str]:
    return [f'Attribute VB_Name = "{module}"',
            f"' {what}",
            "' Generated from udfs.REGISTRY by addin/excel/xlam.py - do not edit.",
            "Option Explicit", *(["Option Private Module"] if private else []), ""]


def functions_bas(chinese: bool) -> str:
    """The worksheet-function wrappers of one language: one VBA Function per registry entry.

    Each wrapper has the shape xlwings generates for UDFs in an add-in (``XLPy.CallUDF(module,
    name, Array(args), ActiveWorkbook, Application.Caller)``) and passes the result through
    ``JxErrors`` (JixiaoSupport.bas). Chinese and English wrappers live in separate modules: VBA
    compiles modules on demand, so on a system whose code page is not 936 (where Chinese
    identifiers cannot be read) the English aliases and the ribbon still work.
    """
    from udfs.excel import param_names  # imports xlwings: kept out of install's config readers

    procs = {n.lower() for s in REGISTRY for n in (s.name, s.alias)}
    procs |= {"jxerrors", "jxregisterfunctions", "错误原因", "jx_error_reason", "jxstoredreason", "jxu"}
    module = FUNCTIONS_MODULES["zh" if chinese else "en"]
    lines = _header(module, "中文函数名" if chinese else "English aliases")
    for spec in REGISTRY:
        name = spec.name if chinese else spec.alias
        params = _vba_params(param_names(spec, chinese), procs)
        lines += _wrapper(name, params, [a.optional for a in spec.args])
    if chinese:   # =错误原因(单元格): the Chinese name of JX_ERROR_REASON
        lines += ["Public Function 错误原因(单元格 As Range) As Variant",
                  "    错误原因 = JX_ERROR_REASON(单元格)",
                  "End Function", ""]
    else:         # the reason JxErrors (JixiaoSupport) remembered for a #VALUE! of ours
        lines += ["Public Function JX_ERROR_REASON(cell As Range) As Variant",
                  "    JX_ERROR_REASON = \"\"",
                  "    If IsError(cell.Cells(1, 1).Value) Then JX_ERROR_REASON = JxStoredReason(cell)",
                  "End Function", ""]
    return "\n".join(lines)


ERROR_REASON_DOC = ("本加载项函数返回 #VALUE! 时的中文原因", "单元格：显示 #VALUE! 的单元格")


def _text_lines(var: str, text: str, locale: Locale, limit: int = 255) -> list[str]:
    """Statements assigning ``text`` (at most ``limit`` characters) to ``var``: a GBK literal in
    the zh build, code points through JxU in the en build (ASCII source)."""
    if locale.chinese_names:
        return [f"    {var} = {vba_string(text, limit)}"]
    parts = unicode_expr(text[:limit])
    return [f"    {var} = {parts[0]}", *(f"    {var} = {var} & {p}" for p in parts[1:])]


def register_bas(locale: Locale | None = None) -> str:
    """``JxRegisterFunctions`` (run from Workbook_Open): the category, description and Chinese
    argument docs of every function in Excel's function wizard (Excel 2010+)."""
    locale = locale or LOCALES["zh"]
    lines = _header(REGISTER_MODULE, "function wizard descriptions", private=True)
    lines += ["Public Sub JxRegisterFunctions()", "    Dim d As Variant, s As String", "    Dim a1 As String, a2 As String, a3 As String, a4 As String",
              "    On Error Resume Next"]
    entries = [((spec.alias, spec.name), spec.doc + "。返回：" + spec.returns, [a.doc for a in spec.args])
               for spec in REGISTRY]
    entries.append((("JX_ERROR_REASON", "错误原因"), ERROR_REASON_DOC[0], [ERROR_REASON_DOC[1]]))
    for names, doc, arg_docs in entries:
        if len(arg_docs) > 4:
            raise RuntimeError(f"{names[0]}: more than 4 arguments")
        for i, a in enumerate(arg_docs, 1):
            lines += _text_lines(f"a{i}", a, locale)
        lines += _text_lines("s", doc, locale)
        lines.append(f"    d = Array({', '.join(f'a{i}' for i in range(1, len(arg_docs) + 1))})")
        for name in names[:1 + locale.chinese_names]:
            lines.append(f'    Application.MacroOptions Macro:=ThisWorkbook.Name & "!{name}", '
                         f"Description:=s, Category:={vba_string(locale.category)}, ArgumentDescriptions:=d")
    lines.append("End Sub")
    return "\n".join(lines) + "\n"


THIS_WORKBOOK = """Attribute VB_Name = "ThisWorkbook"
Attribute VB_Base = "0{00020819-0000-0000-C000-000000000046}"
Attribute VB_GlobalNameSpace = False
Attribute VB_Creatable = False
Attribute VB_PredeclaredId = True
Attribute VB_Exposed = True
Attribute VB_TemplateDerived = False
Attribute VB_Customizable = True
Option Explicit

Private Sub Workbook_Open()
    JxRegisterFunctions
End Sub
"""

SHEET1 = """Attribute VB_Name = "Sheet1"
Attribute VB_Base = "0{00020820-0000-0000-C000-000000000046}"
Attribute VB_GlobalNameSpace = False
Attribute VB_Creatable = False
Attribute VB_PredeclaredId = True
Attribute VB_Exposed = True
Attribute VB_TemplateDerived = False
Attribute VB_Customizable = True
"""


def _class_source(cls_text: str) -> str:
    """A .cls export → module stream source: drop the VERSION/BEGIN…END header and add the
    ``Attribute VB_Base`` line Excel writes for a class module (the .cls export lacks it; without
    it Mac Excel was reported to fail compiling at ``New Dictionary``) — the header then reads as
    in the add-ins Excel saved (xlwings.xlam's Dictionary)."""
    lines = cls_text.splitlines()
    if lines and lines[0].startswith("VERSION"):
        end = next(i for i, line in enumerate(lines) if line.strip() == "END")
        lines = lines[end + 1:]
    if lines and lines[0].startswith("Attribute VB_Name") and not any(x.startswith("Attribute VB_Base") for x in lines):
        lines.insert(1, f'Attribute VB_Base = "{DICTIONARY_BASE}"')
    # … and the two lines Excel writes after VB_Exposed when it saves a class module
    if "Attribute VB_Exposed = True" in lines and not any(x.startswith("Attribute VB_TemplateDerived") for x in lines):
        i = lines.index("Attribute VB_Exposed = True") + 1
        lines[i:i] = ["Attribute VB_TemplateDerived = False", "Attribute VB_Customizable = False"]
    return "\n".join(lines) + "\n"


def vba_modules(locale: str = "zh") -> list[VbaModule]:
    """Every module of the add-in's VBA project for ``locale`` (zh | en), in project order."""
    loc = LOCALES[locale]
    mods = [VbaModule("ThisWorkbook", THIS_WORKBOOK, "Document"), VbaModule("Sheet1", SHEET1, "Document"),
            VbaModule(XLWINGS_MODULE, xlwings_bas())]
    dictionary = xlwings_dictionary_cls()
    if dictionary:
        mods.append(VbaModule("Dictionary", _class_source(dictionary), "Class"))
    for bas in sorted(VBA_DIR.glob("*.bas")):
        text = bas.read_text(encoding="utf-8")
        m = re.match(r'Attribute VB_Name = "([^"]+)"', text)
        if not m:
            raise RuntimeError(f"{bas}: missing Attribute VB_Name")
        mods.append(VbaModule(m.group(1), text if loc.chinese_names else english_source(text)))
    mods.append(VbaModule(FUNCTIONS_MODULES["en"], functions_bas(chinese=False)))
    if loc.chinese_names:
        mods.append(VbaModule(FUNCTIONS_MODULES["zh"], functions_bas(chinese=True)))
    mods.append(VbaModule(REGISTER_MODULE, register_bas(loc)))
    return mods


# ---------------------------------------------------------------------------------------------
# MS-OVBA compression (2.4.1). ms-ovba-compression 1.0.1 mis-computes the copy-token maximum
# length (``0xFFFF << bitCount + 3`` instead of ``(0xFFFF >> bitCount) + 3``), which corrupts any
# stream with a repeat longer than the token can hold, and its matcher is quadratic — so the
# compressor is implemented here, straight from the specification.


def ovba_compress(data: bytes) -> bytes:
    """A CompressedContainer (MS-OVBA 2.4.1.1.1) for ``data``."""
    out = bytearray(b"\x01")
    if not data:
        return bytes(out)
    for start in range(0, len(data), 4096):
        out += _compress_chunk(data[start:start + 4096])
    return bytes(out)


def _compress_chunk(chunk: bytes) -> bytes:
    body = bytearray()
    index: dict[bytes, list[int]] = {}
    pos, n = 0, len(chunk)

    def remember(p: int) -> None:
        if p + 3 <= n:
            index.setdefault(chunk[p:p + 3], []).append(p)

    while pos < n:
        flag_at = len(body)
        body.append(0)
        for bit in range(8):
            if pos >= n:
                break
            bit_count = max((pos - 1).bit_length(), 4) if pos > 0 else 4   # CopyToken Help 2.4.1.3.19.1
            max_len = (0xFFFF >> bit_count) + 3
            max_off = 1 << bit_count   # the offset takes the high bit_count bits
            best_len = best_off = 0
            if pos + 3 <= n:
                for cand in reversed(index.get(chunk[pos:pos + 3], [])[-64:]):
                    off = pos - cand
                    if off > max_off:
                        break
                    length = 3
                    while length < max_len and pos + length < n and chunk[cand + length] == chunk[pos + length]:
                        length += 1
                    if length > best_len:
                        best_len, best_off = length, off
                        if length == max_len:
                            break
            if best_len >= 3:
                token = ((best_off - 1) << (16 - bit_count)) | (best_len - 3)
                body += token.to_bytes(2, "little")
                body[flag_at] |= 1 << bit
                for p in range(pos, pos + best_len):
                    remember(p)
                pos += best_len
            else:
                body.append(chunk[pos])
                remember(pos)
                pos += 1
    if len(body) > 4096:   # incompressible: a raw chunk (must hold exactly 4096 bytes)
        if n != 4096:
            raise ValueError("MS-OVBA: incompressible final chunk")
        return (0x3000 | 0x0FFF).to_bytes(2, "little") + chunk
    return (0xB000 | (len(body) + 2 - 3)).to_bytes(2, "little") + bytes(body)


# ---------------------------------------------------------------------------------------------
# vbaProject.bin with ms-ovba

_cwd_lock = threading.Lock()   # ms-ovba writes its intermediate streams into the current directory


def vba_project_bin(modules: list[VbaModule], locale: str = "zh") -> bytes:
    """vbaProject.bin (MS-OVBA) holding ``modules``; source encoded in the locale's code page
    (strictly: a character outside it is an error, not a '?')."""
    loc = LOCALES[locale]
    from ms_ovba.Models.Entities.module_base import ModuleBase
    from ms_ovba.Models.Entities.reference import Reference
    from ms_ovba.Models.Entities.reference_registered import ReferenceRegistered
    from ms_ovba.Models.Fields.libid_reference import LibidReference
    from ms_ovba.Models.Fields.packed_data import PackedData
    from ms_ovba.vbaProject import VbaProject
    from ms_ovba.Views import project_ole_file
    from ms_ovba.Views.dirStream import DirStream

    class Module(ModuleBase):
        def __init__(self, mod: VbaModule) -> None:
            super().__init__(mod.name)
            self.type = mod.kind
            self._file_path = mod.name
            self._source = mod.source.replace("\r\n", "\n").replace("\n", "\r\n").encode(loc.codec)

        def write_file(self) -> None:
            Path(self.bin_path).write_bytes(self._cache + ovba_compress(self._source))

        def to_project_module_string(self) -> str:
            if self.type == "Document":
                return f"Document={self.name}/&H00000000"
            return f"{self.type}={self.name}"

        def pack(self, endien: str, cp_name: str) -> bytes:
            out = super().pack(endien, cp_name)
            if self.type == "Class":   # MODULETYPE 0x0022: document, class or designer module
                proc = PackedData("HI", 0x0021, 0).pack(endien)
                cls = PackedData("HI", 0x0022, 0).pack(endien)
                i = out.rfind(proc)
                out = out[:i] + cls + out[i + len(proc):]
            return out

    class Dir936(DirStream):
        def _load_information(self) -> list:
            info = super()._load_information()
            for rec in info:   # PROJECTCODEPAGE record (id 3): ms-ovba writes 1252
                if getattr(rec, "_id", None) == 3:
                    rec._value = loc.codepage
            return info

        def write_file(self) -> None:
            Path("dir.bin").write_bytes(ovba_compress(self.to_bytes()))

    project = VbaProject()
    project.project_id = PROJECT_ID
    project.codepage_name = loc.codec
    for mod in modules:
        project.add_module(Module(mod))
    stdole = LibidReference(uuid.UUID("00020430-0000-0000-C000-000000000046"), "2.0", "0",
                            "C:\\Windows\\System32\\stdole2.tlb", "OLE Automation")
    office = LibidReference(uuid.UUID("2DF8D04C-5BFA-101B-BDE5-00AA0044DE52"), "2.0", "0",
                            r"C:\Program Files\Common Files\Microsoft Shared\OFFICE16\MSO.DLL",
                            "Microsoft Office 16.0 Object Library")
    project.add_reference(Reference(ReferenceRegistered(stdole), "stdole"))
    project.add_reference(Reference(ReferenceRegistered(office), "Office"))

    with _cwd_lock, tempfile.TemporaryDirectory(prefix="jixiao-vba-") as tmp:
        old = os.getcwd()
        original_dir = project_ole_file.DirStream
        rng_state = random.getstate()
        try:
            os.chdir(tmp)
            project_ole_file.DirStream = Dir936
            random.seed(PROJECT_ID)   # ms-ovba-crypto draws the CMG/DPB/GC seeds from `random`
            project_ole_file.ProjectOleFile.write_file(project)
            return Path("vbaProject.bin").read_bytes()
        finally:
            random.setstate(rng_state)
            project_ole_file.DirStream = original_dir
            os.chdir(old)


# ---------------------------------------------------------------------------------------------
# The OOXML package

_RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_DOC_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
UI_REL = "http://schemas.microsoft.com/office/2006/relationships/ui/extensibility"
VBA_REL = "http://schemas.microsoft.com/office/2006/relationships/vbaProject"


def _parts(kind: str, vba: bytes, ribbon: bytes) -> list[tuple[str, bytes]]:
    ct = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>
<Override PartName="/xl/workbook.xml" ContentType="{CONTENT_TYPE[kind]}"/>
<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>
<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>
<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>
<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>
</Types>"""
    rels = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="{_RELS_NS}">
<Relationship Id="rId1" Type="{_DOC_REL}/officeDocument" Target="xl/workbook.xml"/>
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>
<Relationship Id="rId3" Type="{_DOC_REL}/extended-properties" Target="docProps/app.xml"/>
<Relationship Id="rId4" Type="{UI_REL}" Target="customUI/customUI.xml"/>
</Relationships>"""
    wb_rels = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="{_RELS_NS}">
<Relationship Id="rId1" Type="{_DOC_REL}/worksheet" Target="worksheets/sheet1.xml"/>
<Relationship Id="rId2" Type="{_DOC_REL}/styles" Target="styles.xml"/>
<Relationship Id="rId3" Type="{VBA_REL}" Target="vbaProject.bin"/>
</Relationships>"""
    workbook = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="{_DOC_REL}">
<workbookPr codeName="ThisWorkbook"/>
<bookViews><workbookView/></bookViews>
<sheets><sheet name="{PROJECT_NAME}" sheetId="1" r:id="rId1"/></sheets>
</workbook>"""
    sheet = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<sheetPr codeName="Sheet1"/>
<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>绩效自评加载项 jixiao</t></is></c></row></sheetData>
</worksheet>"""
    styles = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<fonts count="1"><font><sz val="11"/><name val="宋体"/><charset val="134"/></font></fonts>
<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>
<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>
<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs>
<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>
</styleSheet>"""
    core = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<dc:title>绩效自评</dc:title><dc:creator>jixiao</dc:creator>
<dcterms:created xsi:type="dcterms:W3CDTF">{FIXED_TIME}</dcterms:created>
<dcterms:modified xsi:type="dcterms:W3CDTF">{FIXED_TIME}</dcterms:modified>
</cp:coreProperties>"""
    app = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>Microsoft Excel</Application></Properties>"""
    return [("[Content_Types].xml", ct.encode()), ("_rels/.rels", rels.encode()),
            ("docProps/core.xml", core.encode()), ("docProps/app.xml", app.encode()),
            ("xl/workbook.xml", workbook.encode()), ("xl/_rels/workbook.xml.rels", wb_rels.encode()),
            ("xl/worksheets/sheet1.xml", sheet.encode()), ("xl/styles.xml", styles.encode()),
            ("xl/vbaProject.bin", vba), ("customUI/customUI.xml", ribbon)]


def package_bytes(kind: str = "xlam", locale: str = "zh", modules: list[VbaModule] | None = None) -> bytes:
    """The add-in (``xlam``) or the same content as a macro workbook (``xlsm``), as zip bytes;
    ``modules`` replaces the project's modules (tests build engine-runnable variants)."""
    if kind not in CONTENT_TYPE:
        raise ValueError(kind)
    vba = vba_project_bin(vba_modules(locale) if modules is None else modules, locale)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in _parts(kind, vba, RIBBON_XML.read_bytes()):
            info = zipfile.ZipInfo(name, ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, data)
    return buf.getvalue()


def build(path: str | os.PathLike, kind: str | None = None, locale: str = "zh") -> Path:
    """Write the add-in to ``path`` atomically (``kind`` from the suffix: .xlam or .xlsm;
    ``locale`` zh | en, see ``LOCALES``)."""
    from workbook_templates.errors import WriteError
    from workbook_templates.fileio import atomic_path

    path = Path(path)
    if kind is None and path.suffix.lower() not in (".xlam", ".xlsm"):
        # `-o 自评表.xlsx` would replace a user's workbook with the add-in
        raise WriteError(f"加载项文件名应以 .xlam（或 .xlsm）结尾：{path}")
    kind = kind or path.suffix.lower().lstrip(".")
    data = package_bytes(kind, locale)
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)
    with contextlib.suppress(OSError):
        os.chmod(path, 0o644)
    return path
