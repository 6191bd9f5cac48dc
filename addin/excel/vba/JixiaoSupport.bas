Attribute VB_Name = "JixiaoSupport"
' Helpers of the add-in's own VBA: the worksheet-function wrappers (JixiaoFunctionsZH/EN) and the
' ribbon callbacks (JixiaoRibbon). Python returns an element that failed as the text
' "#VALUE! <原因>"; JxErrors turns it into a real Excel error value (so totals that use it become
' errors too) and remembers the reason per cell, readable with =JX_ERROR_REASON(cell) / =错误原因(单元格).
' Option Private Module: nothing here shows in Excel's function list or macro dialog.
Option Explicit
Option Private Module

Private Const ERROR_PREFIX As String = "#VALUE! "
Private Const BOX_TITLE As String = "绩效自评"
' Cell address -> reason. A Collection is part of VBA itself on Windows and on a Mac (no
' Scripting.Dictionary, no extra class).
Private reasons As Collection

Private Function CellKey(ByVal cell As Object) As String
    CellKey = cell.Address(True, True, 1, True)
End Function

Private Sub Remember(ByVal cell As Object, ByVal reason As String)
    Dim key As String
    key = CellKey(cell)
    If reasons Is Nothing Then Set reasons = New Collection
    On Error Resume Next
    reasons.Remove key
    On Error GoTo 0
    reasons.Add reason, key
End Sub

Public Function JxStoredReason(ByVal cell As Object) As String
    ' The reason JxErrors remembered for this cell ("" if none).
    JxStoredReason = ""
    If reasons Is Nothing Then Exit Function
    On Error Resume Next
    JxStoredReason = reasons.Item(CellKey(cell.Cells(1, 1)))
End Function

Private Function IsErrorText(ByVal v As Variant) As Boolean
    If VarType(v) = vbString Then IsErrorText = (Left$(v, Len(ERROR_PREFIX)) = ERROR_PREFIX)
End Function

Private Function Element(ByVal result As Variant, ByVal dims As Long, ByVal r As Long, ByVal c As Long) As Variant
    Select Case dims
        Case 0: Element = result
        Case 1: Element = result(LBound(result) + c)   ' xlwings returns a 1xN result as a 1-D array: a row
        Case Else: Element = result(LBound(result, 1) + r, LBound(result, 2) + c)
    End Select
End Function

Private Function Dimensions(ByVal result As Variant) As Long
    Dim n As Long
    If Not IsArray(result) Then Exit Function
    Dimensions = 1
    On Error Resume Next
    n = -1
    n = UBound(result, 2)
    If n <> -1 Then Dimensions = 2
End Function

Private Sub RememberReasons(ByVal result As Variant, ByVal caller As Object)
    ' Which cell shows which element: a one-cell caller is a dynamic-array anchor (Excel 365: the
    ' result spills from it); a multi-cell caller is a Ctrl+Shift+Enter array formula, where Excel
    ' repeats a single row or column across the caller and shows #N/A past the result.
    Dim dims As Long, nr As Long, nc As Long, h As Long, w As Long, r As Long, c As Long, sr As Long, sc As Long
    Dim v As Variant
    dims = Dimensions(result)
    nr = 1: nc = 1
    If dims = 1 Then nc = UBound(result) - LBound(result) + 1
    If dims = 2 Then
        nr = UBound(result, 1) - LBound(result, 1) + 1
        nc = UBound(result, 2) - LBound(result, 2) + 1
    End If
    h = caller.Rows.Count: w = caller.Columns.Count
    If h = 1 And w = 1 Then h = nr: w = nc
    For r = 0 To h - 1
        sr = r: If nr = 1 Then sr = 0
        For c = 0 To w - 1
            sc = c: If nc = 1 Then sc = 0
            If sr < nr And sc < nc Then
                v = Element(result, dims, sr, sc)
                If IsErrorText(v) Then Remember caller.Cells(1, 1).Offset(r, c), Mid$(v, Len(ERROR_PREFIX) + 1)
            End If
        Next c
    Next r
End Sub

Public Function JxErrors(ByVal result As Variant, Optional ByVal caller As Variant) As Variant
    ' result with every "#VALUE! <原因>" element replaced by CVErr(xlErrValue); the reasons are
    ' remembered for the caller's cells (caller = Application.Caller of the worksheet function).
    Dim i As Long, j As Long
    If Not IsMissing(caller) Then
        If IsObject(caller) Then
            If TypeName(caller) = "Range" Then RememberReasons result, caller
        End If
    End If
    Select Case Dimensions(result)
        Case 0
            If IsErrorText(result) Then result = CVErr(2015)   ' xlErrValue: #VALUE!
        Case 1
            For i = LBound(result) To UBound(result)
                If IsErrorText(result(i)) Then result(i) = CVErr(2015)
            Next i
        Case Else
            For i = LBound(result, 1) To UBound(result, 1)
                For j = LBound(result, 2) To UBound(result, 2)
                    If IsErrorText(result(i, j)) Then result(i, j) = CVErr(2015)
                Next j
            Next i
    End Select
    JxErrors = result
End Function

' ---------------------------------------------------------------------------------------------
' Ribbon: every button needs a workbook for xlwings' RunPython (it reads ActiveWorkbook.FullName).

Public Function JxNoWorkbookMessage(ByVal hasWorkbook As Boolean, ByVal protectedView As Boolean, _
                                    ByVal button As String) As String
    ' "" when a workbook is active, else why the button cannot run (in Chinese).
    If hasWorkbook Then
        JxNoWorkbookMessage = ""
    ElseIf protectedView Then
        JxNoWorkbookMessage = "当前文件在“受保护的视图”中打开，加载项无法读取。请先点击黄色提示栏上的“启用编辑”，再点击“" & button & "”。"
    Else
        JxNoWorkbookMessage = "没有打开的工作簿。请先打开一份自评表，再点击“" & button & "”。"
    End If
End Function

Private Function InProtectedView() As Boolean
    On Error Resume Next   ' ProtectedViewWindows: Excel 2010+ on Windows; absent on a Mac
    InProtectedView = (Application.ProtectedViewWindows.Count > 0)
End Function

Public Function JxReady(ByVal button As String) As Boolean
    ' True when a workbook is active; otherwise a Chinese message box and False.
    Dim msg As String
    msg = JxNoWorkbookMessage(Not ActiveWorkbook Is Nothing, InProtectedView(), button)
    If msg <> "" Then MsgBox msg, vbExclamation, BOX_TITLE
    JxReady = (msg = "")
End Function

Public Function JxEnsureWorkbook() As Boolean
    ' For buttons that work without a workbook (插入模板, 汇总各单位): RunPython needs an active one,
    ' so a new blank workbook carries the call. True when one was added (Python closes it again).
    If ActiveWorkbook Is Nothing Then
        Workbooks.Add
        JxEnsureWorkbook = True
    End If
End Function

Public Function JxPickFolder(ByVal prompt As String) As String
    ' A folder chosen by the user ("" if cancelled). Windows: Office's folder picker; Mac: the
    ' chooser of jixiao.applescript (AppleScriptTask: MacScript is sandboxed in Excel 2016+), or
    ' an input box when that script is not installed.
    Dim folder As String
    folder = ""
    #If Mac Then
        On Error Resume Next
        folder = AppleScriptTask("jixiao.applescript", "ChooseFolder", prompt)
        If Err.Number <> 0 Then
            Err.Clear
            folder = InputBox(prompt & "（请输入或粘贴文件夹路径）", BOX_TITLE)
        End If
        On Error GoTo 0
    #Else
        With Application.FileDialog(4) ' msoFileDialogFolderPicker
            .Title = prompt
            .AllowMultiSelect = False
            If .Show = -1 Then folder = .SelectedItems(1)
        End With
    #End If
    JxPickFolder = folder
End Function

Public Function JxMenuFile() As String
    ' Where Python writes the 插入模板 menu for Jx_TemplateMenu: the user's temp folder.
    Dim folder As String, sep As String
    folder = Environ("TEMP")
    If folder = "" Then folder = Environ("TMPDIR")
    If folder = "" Then folder = Environ("TMP")
    sep = "\"
    If InStr(folder, "/") > 0 Then sep = "/"
    If Right$(folder, 1) = sep Then folder = Left$(folder, Len(folder) - 1)
    JxMenuFile = folder & sep & "jixiao-template-menu.xml"
End Function

Public Function JxReadText(ByVal path As String) As String
    ' The lines of an ASCII text file ("" when it is missing or cannot be read).
    Dim f As Integer, buf As String, s As String
    On Error GoTo failed
    If Dir(path) = "" Then Exit Function
    f = FreeFile
    Open path For Input As #f
    Do While Not EOF(f)
        Line Input #f, s
        buf = buf & s & vbLf
    Loop
    Close #f
    JxReadText = buf
    Exit Function
failed:
    If f <> 0 Then Close #f
    JxReadText = ""
End Function

Public Function JxFallbackMenu() As String
    ' The 插入模板 menu when Python wrote none: one entry, which runs 自检.
    JxFallbackMenu = "<menu xmlns=""http://schemas.microsoft.com/office/2006/01/customui"">" & _
                     "<button id=""jxTplNone"" label=""" & "无法列出模板，请点击“自检”查看原因" & _
                     """ onAction=""Jx_Doctor""/></menu>"
End Function

Public Function JxPyStr(ByVal s As String) As String
    ' A Python string literal for s (backslashes and quotes escaped).
    JxPyStr = "'" & Replace(Replace(s, "\", "\\"), "'", "\'") & "'"
End Function

Public Function JxPyBool(ByVal b As Boolean) As String
    If b Then JxPyBool = "True" Else JxPyBool = "False"
End Function

Public Function JxU(ByVal codes As String) As String
    ' Text from decimal code points ("39044 31639" -> 预算): Chinese text in the English build,
    ' whose code page (1252) cannot hold it as a literal; VBA strings themselves are Unicode.
    Dim part As Variant
    For Each part In Split(codes, " ")
        If part <> "" Then JxU = JxU & ChrW(CLng(part))
    Next part
End Function
