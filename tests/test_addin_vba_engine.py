"""The add-in's own VBA, executed: LibreOffice Basic (``Option VBASupport 1``) runs the project.

LibreOffice cannot compile xlwings' module (nor xlwings' VBA-Dictionary class), so the test
project holds our real modules — JixiaoSupport, JixiaoRibbon, JixiaoFunctionsEN, as the build
generates them — next to a stub ``xlwings`` module: ``RunPython`` records its command,
``XLPy.CallUDF`` returns what the real Python side returns for the same arguments
(``udfs.excel.call``, then squeezed as xlwings' COM server does: ``com_server.CallUDF`` turns a
1×1 result into a scalar and a 1×N result into a 1-D array). Macros run through UNO
(tests/lo_basic_runner.py, with LibreOffice's python3-uno). LibreOffice has no
``Application.Caller`` for cell functions, so the caller range is passed to ``JxErrors``
explicitly, as the generated wrappers pass ``Application.Caller``.
"""

from __future__ import annotations

import ast
import inspect
import json
import shutil
import subprocess
from pathlib import Path

import pytest

import udfs.excel
from addin.excel import macros, xlam
from addin.excel.xlam import VbaModule
from udfs import REGISTRY
from workbook_templates.libreoffice import find_soffice

RUNNER = Path(__file__).parent / "lo_basic_runner.py"
SPECS = {s.alias: s for s in REGISTRY}


def system_python_with_uno() -> str | None:
    for exe in ("/usr/bin/python3", shutil.which("python3")):
        if exe and subprocess.run([exe, "-c", "import uno"], capture_output=True).returncode == 0:
            return exe
    return None


PYTHON_UNO = system_python_with_uno() if find_soffice() else None
pytestmark = [pytest.mark.libreoffice,
              pytest.mark.skipif(PYTHON_UNO is None, reason="LibreOffice 或 python3-uno 未安装")]


def squeeze(result):
    """What VBA receives from xlwings' COM server (xlwings/com_server.py, CallUDF)."""
    if isinstance(result, list) and len(result) == 1 and len(result[0]) == 1:
        return result[0][0]
    if isinstance(result, list) and len(result) == 1:
        return result[0]
    return result


def vba_literal(v, ascii_only: bool = False) -> str:
    """A VBA expression for v; ``ascii_only``: Chinese text as code points (the en build's 1252 source)."""
    if isinstance(v, str):
        if ascii_only and not v.isascii():
            return 'JxU("' + " ".join(str(ord(c)) for c in v) + '")'
        return '"' + v.replace('"', '""') + '"'
    if isinstance(v, bool):
        return "True" if v else "False"
    if isinstance(v, (int, float)):
        return repr(float(v))
    if v and isinstance(v[0], list):   # 2-D: M2(rows, cols, values…)
        return f"M2({len(v)}, {len(v[0])}, {', '.join(vba_literal(x, ascii_only) for row in v for x in row)})"
    return f"A1({', '.join(vba_literal(x, ascii_only) for x in v)})"


# Python results for the calls the test makes (name → what CallUDF hands to VBA)
ROW = squeeze(udfs.excel.call(SPECS["JX_COMPLETION"], [["18.74万人", "abc"]], [[18, 18]]))
COLUMN = squeeze(udfs.excel.call(SPECS["JX_COMPLETION"], [["18.74万人"], ["abc"]], [[18], [18]]))
SCALAR_BAD = squeeze(udfs.excel.call(SPECS["JX_INDICATOR_SCORE"], 10, "≥95%", "abc"))
SCALAR_OK = squeeze(udfs.excel.call(SPECS["JX_EXEC_RATE"], 1521.57, 1600))
CANNED = {"row": ROW, "column": COLUMN, "scalar_bad": SCALAR_BAD, "scalar_ok": SCALAR_OK,
          "JX_INDICATOR_SCORE": SCALAR_BAD, "JX_EXEC_RATE": SCALAR_OK}

def stub_module(ascii_only: bool) -> str:
    cases = "\n".join(f"        Case {vba_literal(k)}: Canned = {vba_literal(v, ascii_only)}" for k, v in CANNED.items())
    return STUB.replace("{cases}", cases)


STUB = '''Attribute VB_Name = "xlwings"
Option Explicit
Public Calls As String

Public SkipPython As Boolean

Public Function RunPython(PythonCommand As String)
    ' records the command; the template menu's command (template_menu) really runs: the callback reads its output
    Calls = Calls & PythonCommand & vbLf
    If InStr(PythonCommand, "template_menu(") > 0 And Not SkipPython Then RunReal PythonCommand
End Function

Private Sub RunReal(ByVal cmd As String)
    ' the command in a script run by the project's Python (JIXIAO_TEST_PYTHON), synchronously
    Dim f As Integer, script As String
    script = Environ("JIXIAO_TEST_SCRIPT")
    f = FreeFile
    Open script For Output As #f
    Print #f, cmd
    Close #f
    Shell Environ("JIXIAO_TEST_PYTHON"), 0, script, True
End Sub

Public Function XLPy() As Object
    Set XLPy = New XLPyStub
End Function

Public Function M2(ByVal rows As Long, ByVal cols As Long, ParamArray values() As Variant) As Variant
    Dim a() As Variant, i As Long
    ReDim a(0 To rows - 1, 0 To cols - 1)
    For i = 0 To rows * cols - 1
        a(i \\ cols, i Mod cols) = values(i)
    Next i
    M2 = a
End Function

Public Function A1(ParamArray values() As Variant) As Variant
    ' a 0-based Variant array, as a COM SAFEARRAY arrives (LibreOffice types Array()'s elements)
    Dim a() As Variant, i As Long
    ReDim a(0 To UBound(values))
    For i = 0 To UBound(values)
        a(i) = values(i)
    Next i
    A1 = a
End Function

Public Function Canned(ByVal name As String) As Variant
    Select Case name
{cases}
    End Select
End Function
'''

STUB_CLASS = f'''Attribute VB_Name = "XLPyStub"
Attribute VB_Base = "{xlam.DICTIONARY_BASE}"
Attribute VB_GlobalNameSpace = False
Attribute VB_Creatable = False
Attribute VB_PredeclaredId = False
Attribute VB_Exposed = False
Option Explicit

Public Function CallUDF(ByVal module As String, ByVal name As String, args As Variant, wb As Variant, caller As Variant) As Variant
    CallUDF = Canned(name)
End Function
'''

CONTROL_CLASS = f'''Attribute VB_Name = "FakeControl"
Attribute VB_Base = "{xlam.DICTIONARY_BASE}"
Attribute VB_GlobalNameSpace = False
Attribute VB_Creatable = False
Attribute VB_PredeclaredId = False
Attribute VB_Exposed = False
Option Explicit
Public Tag As String
'''

TESTS = '''Attribute VB_Name = "JxTest"
Option Explicit

Private Function Show(ByVal v As Variant) As String
    If IsError(v) Or VarType(v) = vbError Then
        Show = "ERR"
    Else
        Show = CStr(v)
    End If
End Function

Public Function ShowAll(ByVal r As Variant) As String
    ' elements separated by ";", rows by "/"
    Dim i As Long, j As Long, n As Long
    If Not IsArray(r) Then
        ShowAll = Show(r)
        Exit Function
    End If
    n = -1
    On Error Resume Next
    n = UBound(r, 2)
    On Error GoTo 0
    If n = -1 Then
        For i = LBound(r) To UBound(r)
            ShowAll = ShowAll & Show(r(i)) & ";"
        Next i
    Else
        For i = LBound(r, 1) To UBound(r, 1)
            For j = LBound(r, 2) To UBound(r, 2)
                ShowAll = ShowAll & Show(r(i, j)) & ";"
            Next j
            ShowAll = ShowAll & "/"
        Next i
    End If
End Function

Public Function RunErrors(ByVal which As String, ByVal callerAddress As String, ByVal addresses As String) As String
    ' the converted result, then the reason stored for each cell of addresses ("E1 F1 E2");
    ' one macro run: LibreOffice resets module variables between runs, Excel keeps them
    RunErrors = ShowAll(JxErrors(Canned(which), Worksheets(1).Range(callerAddress))) & "#" & Reasons(addresses)
End Function

Public Function RunErrorsNoCaller(ByVal which As String) As String
    RunErrorsNoCaller = ShowAll(JxErrors(Canned(which)))
End Function

Public Function Reasons(ByVal addresses As String) As String
    Dim a As Variant
    For Each a In Split(addresses, " ")
        Reasons = Reasons & a & "=" & JxStoredReason(Worksheets(1).Range(a)) & "|"
    Next a
End Function

Public Function Wrapper(ByVal name As String) As String
    Select Case name
        Case "JX_INDICATOR_SCORE": Wrapper = ShowAll(JX_INDICATOR_SCORE(10, "x", "abc"))
        Case "JX_EXEC_RATE": Wrapper = ShowAll(JX_EXEC_RATE(1521.57, 1600))
    End Select
End Function

Public Function Message(ByVal hasBook As Boolean, ByVal protectedView As Boolean, ByVal button As String) As String
    Message = JxNoWorkbookMessage(hasBook, protectedView, button)
End Function

Public Function Press(ByVal callback As String, ByVal tag As String) As String
    Dim c As New FakeControl
    c.Tag = tag
    Calls = ""
    Select Case callback
        Case "Jx_InsertTemplate": Jx_InsertTemplate c
        Case "Jx_Score": Jx_Score c
        Case "Jx_Validate": Jx_Validate c
        Case "Jx_ClearMarks": Jx_ClearMarks c
        Case "Jx_Report": Jx_Report c
        Case "Jx_ExportPdf": Jx_ExportPdf c
        Case "Jx_ShowFunctions": Jx_ShowFunctions c
    End Select
    Press = Calls
End Function

Public Function Menu(ByVal withPython As Boolean) As String
    ' the template menu's getContent callback as Excel calls it: the commands it ran, "#", the menu XML
    Dim c As New FakeControl, content As Variant
    Calls = ""
    SkipPython = Not withPython
    Jx_TemplateMenu c, content
    Menu = Calls & "#" & content
End Function

Public Function MenuFile() As String
    MenuFile = JxMenuFile()
End Function

Public Function Ready() As Boolean
    Ready = JxReady("x")
End Function

Public Function Unicode(ByVal codes As String) As String
    Unicode = JxU(codes)
End Function
'''


def engine_modules(locale: str) -> list[VbaModule]:
    """The build's own modules that LibreOffice can run, plus the stubs and the test macros."""
    keep = {"JixiaoSupport", "JixiaoRibbon", xlam.FUNCTIONS_MODULES["en"]}
    own = [m for m in xlam.vba_modules(locale) if m.name in keep]
    assert {m.name for m in own} == keep
    doc = xlam.THIS_WORKBOOK.split("Option Explicit")[0]     # no Workbook_Open (MacroOptions)
    return [VbaModule("ThisWorkbook", doc, "Document"), VbaModule("Sheet1", xlam.SHEET1, "Document"),
            VbaModule("xlwings", stub_module(ascii_only=locale == "en")), VbaModule("XLPyStub", STUB_CLASS, "Class"),
            VbaModule("FakeControl", CONTROL_CLASS, "Class"), *own, VbaModule("JxTest", TESTS)]


def run_basic(tmp_path: Path, locale: str, calls: list[tuple[str, list]], env: dict[str, str] | None = None) -> list:
    """Run the test macros in one LibreOffice session; ``env`` reaches the macros (Environ) and
    the Python the stub's RunPython starts for template_menu."""
    import os
    import sys

    doc = tmp_path / f"engine-{locale}.xlsm"
    doc.write_bytes(xlam.package_bytes("xlsm", locale, engine_modules(locale)))
    run_env = {**os.environ, "TEMP": str(tmp_path), "JIXIAO_TEST_PYTHON": sys.executable,
               "JIXIAO_TEST_SCRIPT": str(tmp_path / "run_python.py"),
               "PYTHONPATH": str(Path(__file__).resolve().parents[1]), **(env or {})}
    proc = subprocess.run([PYTHON_UNO, str(RUNNER), str(doc), json.dumps([[f"VBAProject.JxTest.{m}", a] for m, a in calls])],
                          capture_output=True, text=True, timeout=240, env=run_env)
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    for (macro, _), res in zip(calls, out, strict=True):
        assert not (isinstance(res, dict) and "exception" in res), (macro, res)
    return out


@pytest.fixture(scope="module")
def zh(tmp_path_factory):
    """One LibreOffice session for the zh build: every macro call of the tests below."""
    calls = [
        ("RunErrors", ["row", "E1:F1", "E1 F1 E2"]),                                  # 0
        ("RunErrors", ["column", "H1:H2", "H1 H2 I1"]),                               # 1
        ("RunErrors", ["scalar_bad", "K1:L2", "K1 L1 K2 L2 M1"]),                     # 2
        ("RunErrors", ["row", "N1:O3", "N1 O1 O2 O3 N2"]),                            # 3
        ("RunErrors", ["column", "Q1", "Q1 Q2 Q3"]),                                  # 4 (spill)
        ("RunErrors", ["scalar_ok", "S1", "S1"]), ("RunErrorsNoCaller", ["row"]),     # 5, 6
        ("Wrapper", ["JX_INDICATOR_SCORE"]), ("Wrapper", ["JX_EXEC_RATE"]),           # 7, 8
        ("Message", [True, False, "计算得分"]), ("Message", [False, True, "计算得分"]),  # 9, 10
        ("Message", [False, False, "校验"]), ("Ready", []),                           # 11, 12
        *[("Press", [cb, "project"]) for cb in ("Jx_InsertTemplate", "Jx_Score", "Jx_Validate", "Jx_ClearMarks",
                                                "Jx_Report", "Jx_ExportPdf", "Jx_ShowFunctions")],  # 13-19
    ]
    return run_basic(tmp_path_factory.mktemp("vba"), "zh", calls)


def reason(text: str) -> str:
    return text[len(udfs.excel.ERROR_PREFIX):]


def test_row_result_reasons_are_filed_under_their_own_cells(zh):
    """Issue #14 (1): a 1×N result arrives as a 1-D array and is shown as a row — the reason of
    the error in F1 belongs to F1 (it was filed under E2, so =错误原因(F1) gave "")."""
    assert isinstance(ROW, list) and not isinstance(ROW[0], list)     # 1-D, as xlwings hands it over
    assert zh[0] == f"1.0411;ERR;#E1=|F1={reason(ROW[1])}|E2=|"


def test_column_result_reasons(zh):
    assert zh[1] == f"1.0411;/ERR;/#H1=|H2={reason(COLUMN[1][0])}|I1=|"


def test_multi_cell_caller_ctrl_shift_enter(zh):
    """Issue #14 (6): Excel 2010–2019 array formula over several cells: a single value fills the
    whole caller, a single row repeats down it — every cell showing our #VALUE! has its reason."""
    assert zh[2] == "ERR#" + "|".join(f"{c}={reason(SCALAR_BAD)}" for c in ("K1", "L1", "K2", "L2")) + "|M1=|"
    assert zh[3] == f"1.0411;ERR;#N1=|O1={reason(ROW[1])}|O2={reason(ROW[1])}|O3={reason(ROW[1])}|N2=|"


def test_one_cell_caller_spills(zh):
    """Excel 365: the caller is the anchor cell and the column spills below it."""
    assert zh[4] == f"1.0411;/ERR;/#Q1=|Q2={reason(COLUMN[1][0])}|Q3=|"


def test_values_pass_and_calls_without_a_range_caller_still_convert(zh):
    assert zh[5] == f"{SCALAR_OK}#S1=|"
    assert zh[6] == "1.0411;ERR;"


def test_generated_wrappers_run(zh):
    assert zh[7] == "ERR" and zh[8] == str(SCALAR_OK)


def test_no_workbook_messages(zh):
    """Issue #14 (2): the reason in Chinese, naming the button; nothing when a workbook is active."""
    assert zh[9] == ""
    assert "受保护的视图" in zh[10] and "启用编辑" in zh[10] and "“计算得分”" in zh[10]
    assert "没有打开的工作簿" in zh[11] and "“校验”" in zh[11]
    assert zh[12] is True


def test_every_callback_runs_python_that_exists(zh):
    """Each callback, executed, hands RunPython a command that parses as Python and calls an
    entry point of addin.excel.macros with arguments its signature accepts."""
    commands = zh[13:20]
    for cmd in commands:
        lines = [x for x in cmd.split("\n") if x]
        assert len(lines) == 1, cmd
        tree = ast.parse(lines[0])
        imp, call = tree.body
        assert isinstance(imp, ast.Import) and [n.name for n in imp.names] == ["jixiao_entry", "addin.excel.macros"]
        fn = call.value.func
        target = getattr(macros, fn.attr)
        args = [ast.literal_eval(a) for a in call.value.args]
        kwargs = {k.arg: ast.literal_eval(k.value) for k in call.value.keywords}
        inspect.signature(target).bind(*args, **kwargs)
    assert "insert_template('project', out_dir='', scratch=False)" in commands[0]


@pytest.fixture(scope="module")
def en(tmp_path_factory):
    calls = [("RunErrors", ["row", "E1:F1", "F1"]), ("Message", [False, True, "Score"]),
             ("Unicode", ["39044 31639 25191 34892 29575"]), ("Press", ["Jx_Score", ""])]
    return run_basic(tmp_path_factory.mktemp("vba-en"), "en", calls)


def test_english_build_runs(en):
    """Issue #14 (4): the English build's modules (code page 1252) execute; JxU gives Chinese
    text to the function wizard without Chinese in the source."""
    assert en[0] == f"1.0411;ERR;#F1={reason(ROW[1])}|"
    assert "Protected View" in en[1] and '"Score"' in en[1]
    assert en[2] == "预算执行率"
    assert en[3].strip() == "import jixiao_entry, addin.excel.macros; addin.excel.macros.score()"
