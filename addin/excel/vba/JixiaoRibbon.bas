Attribute VB_Name = "JixiaoRibbon"
' 绩效自评 ribbon callbacks. Each button runs one entry point of addin/excel/macros.py through
' xlwings' RunPython; all logic lives in Python (runs headless too: `jixiao ...`).
' Callbacks use the ribbon signature (control As IRibbonControl) and first check that a workbook
' is active (JxReady: a Chinese message box in Protected View or with nothing open) — xlwings'
' RunPython reads ActiveWorkbook.FullName and would stop with run-time error 91. 插入模板 and
' 汇总各单位 also work with nothing open (JxEnsureWorkbook).
Option Explicit

' jixiao_entry first: it pins addin/udfs/workbook_templates to the installed ones (a folder of that
' name beside the workbook, which xlwings puts first on sys.path, cannot shadow them).
Private Const PY As String = "import jixiao_entry, addin.excel.macros; addin.excel.macros."

Public Sub Jx_InsertTemplate(control As IRibbonControl)
    Dim folder As String, scratch As Boolean
    scratch = JxEnsureWorkbook()
    If ActiveWorkbook.Path = "" Then   ' nowhere to put it next to: ask
        folder = JxPickFolder("选择保存新模板的文件夹")
        If folder = "" Then Exit Sub
    End If
    RunPython PY & "insert_template(" & JxPyStr(control.Tag) & ", out_dir=" & JxPyStr(folder) & _
              ", scratch=" & JxPyBool(scratch) & ")"
End Sub

Public Sub Jx_TemplateMenu(control As IRibbonControl, ByRef content)
    ' 插入模板 (dynamicMenu, invalidateContentOnDrop): each time it drops down, Python writes the menu
    ' (the installed pack's templates, then the standard ones) as customUI XML into a temp file,
    ' ASCII only; Excel gets its text. Nothing read: one entry that leads to 自检.
    Dim path As String, scratch As Boolean
    path = JxMenuFile()
    On Error Resume Next
    Kill path                          ' never last time's menu
    On Error GoTo 0
    scratch = JxEnsureWorkbook()
    RunPython PY & "template_menu(" & JxPyStr(path) & ", scratch=" & JxPyBool(scratch) & ")"
    content = JxReadText(path)
    If content = "" Then content = JxFallbackMenu()
End Sub

Public Sub Jx_Score(control As IRibbonControl)
    If Not JxReady("计算得分") Then Exit Sub
    RunPython PY & "score()"
End Sub

Public Sub Jx_Validate(control As IRibbonControl)
    If Not JxReady("校验") Then Exit Sub
    RunPython PY & "validate()"
End Sub

Public Sub Jx_ClearMarks(control As IRibbonControl)
    If Not JxReady("清除标记") Then Exit Sub
    RunPython PY & "clear_marks()"
End Sub

Public Sub Jx_Report(control As IRibbonControl)
    If Not JxReady("生成报告") Then Exit Sub
    RunPython PY & "report()"
End Sub

Public Sub Jx_ReviewReport(control As IRibbonControl)
    If Not JxReady("审核用报告") Then Exit Sub
    RunPython PY & "review_report()"
End Sub

Public Sub Jx_ExportPdf(control As IRibbonControl)
    If Not JxReady("导出PDF") Then Exit Sub
    RunPython PY & "export_pdf()"
End Sub

Public Sub Jx_Consolidate(control As IRibbonControl)
    Dim folder As String, scratch As Boolean
    folder = JxPickFolder("选择存放各单位自评表的文件夹")
    If folder = "" Then Exit Sub
    scratch = JxEnsureWorkbook()
    RunPython PY & "consolidate(" & JxPyStr(folder) & ", scratch=" & JxPyBool(scratch) & ")"
End Sub

Public Sub Jx_ShowFunctions(control As IRibbonControl)
    If Not JxReady("函数说明") Then Exit Sub
    RunPython PY & "show_functions()"
End Sub

Public Sub Jx_Doctor(control As IRibbonControl)
    Dim scratch As Boolean
    scratch = JxEnsureWorkbook()   ' 自检 works with nothing open too
    RunPython PY & "doctor(scratch=" & JxPyBool(scratch) & ")"
End Sub
