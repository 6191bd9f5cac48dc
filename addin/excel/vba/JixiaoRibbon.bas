Attribute VB_Name = "JixiaoRibbon"
' 绩效自评 ribbon callbacks. Each button runs one entry point of addin/excel/macros.py through
' xlwings' RunPython; all logic lives in Python (runs headless too: `jixiao ...`).
' Callbacks use the ribbon signature (control As IRibbonControl).
Option Explicit

Private Function PyStr(ByVal s As String) As String
    ' A Python string literal for s (backslashes and quotes escaped).
    PyStr = "'" & Replace(Replace(s, "\", "\\"), "'", "\'") & "'"
End Function

Public Sub Jx_InsertTemplate(control As IRibbonControl)
    RunPython "import addin.excel.macros; addin.excel.macros.insert_template(" & PyStr(control.Tag) & ")"
End Sub

Public Sub Jx_Score(control As IRibbonControl)
    RunPython "import addin.excel.macros; addin.excel.macros.score()"
End Sub

Public Sub Jx_Validate(control As IRibbonControl)
    RunPython "import addin.excel.macros; addin.excel.macros.validate()"
End Sub

Public Sub Jx_ClearMarks(control As IRibbonControl)
    RunPython "import addin.excel.macros; addin.excel.macros.clear_marks()"
End Sub

Public Sub Jx_Report(control As IRibbonControl)
    RunPython "import addin.excel.macros; addin.excel.macros.report()"
End Sub

Public Sub Jx_ExportPdf(control As IRibbonControl)
    RunPython "import addin.excel.macros; addin.excel.macros.export_pdf()"
End Sub

Public Sub Jx_Consolidate(control As IRibbonControl)
    Dim folder As String
    folder = ""
    #If Mac Then
        On Error Resume Next
        folder = MacScript("POSIX path of (choose folder with prompt ""选择存放各单位自评表的文件夹"")")
        On Error GoTo 0
    #Else
        With Application.FileDialog(4) ' msoFileDialogFolderPicker
            .Title = "选择存放各单位自评表的文件夹"
            .AllowMultiSelect = False
            If .Show = -1 Then folder = .SelectedItems(1)
        End With
    #End If
    If folder = "" Then Exit Sub
    RunPython "import addin.excel.macros; addin.excel.macros.consolidate(" & PyStr(folder) & ")"
End Sub

Public Sub Jx_ShowFunctions(control As IRibbonControl)
    RunPython "import addin.excel.macros; addin.excel.macros.show_functions()"
End Sub
