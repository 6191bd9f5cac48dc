Attribute VB_Name = "JixiaoSupport"
' Helpers for the generated worksheet-function wrappers (modules JixiaoFunctionsZH/EN).
' Python returns an element that failed as the text "#VALUE! <原因>"; JxErrors turns it into a
' real Excel error value (so totals that use it become errors too) and remembers the reason per
' cell, readable with =JX_ERROR_REASON(cell) (Chinese name =错误原因(单元格), in JixiaoFunctionsZH).
Option Explicit

Private Const ERROR_PREFIX As String = "#VALUE! "
Private reasons As Object

Private Function ReasonStore() As Object
    ' Scripting.Dictionary is Windows-only; on a Mac xlwings' own Dictionary class (same module set)
    If reasons Is Nothing Then
        #If Mac Then
            Set reasons = New Dictionary
        #Else
            Set reasons = CreateObject("Scripting.Dictionary")
        #End If
    End If
    Set ReasonStore = reasons
End Function

Private Function CellKey(ByVal cell As Range) As String
    CellKey = cell.Address(True, True, 1, True)
End Function

Private Function ConvertOne(ByVal v As Variant, ByVal r As Long, ByVal c As Long) As Variant
    ConvertOne = v
    If VarType(v) <> vbString Then Exit Function
    If Left$(v, Len(ERROR_PREFIX)) <> ERROR_PREFIX Then Exit Function
    Dim store As Object
    On Error Resume Next
    If TypeName(Application.Caller) = "Range" Then
        Set store = ReasonStore()
        store.Item(CellKey(Application.Caller.Cells(1, 1).Offset(r, c))) = Mid$(v, Len(ERROR_PREFIX) + 1)
    End If
    On Error GoTo 0
    ConvertOne = CVErr(2015) ' xlErrValue: #VALUE!
End Function

Public Function JxErrors(ByVal result As Variant) As Variant
    Dim i As Long, j As Long, cols As Long
    If Not IsArray(result) Then
        JxErrors = ConvertOne(result, 0, 0)
        Exit Function
    End If
    On Error Resume Next
    cols = -1
    cols = UBound(result, 2)
    On Error GoTo 0
    If cols = -1 Then  ' one-dimensional
        For i = LBound(result) To UBound(result)
            result(i) = ConvertOne(result(i), i - LBound(result), 0)
        Next i
    Else
        For i = LBound(result, 1) To UBound(result, 1)
            For j = LBound(result, 2) To UBound(result, 2)
                result(i, j) = ConvertOne(result(i, j), i - LBound(result, 1), j - LBound(result, 2))
            Next j
        Next i
    End If
    JxErrors = result
End Function

Public Function JX_ERROR_REASON(cell As Range) As Variant
    ' The Chinese reason of a #VALUE! produced by a jixiao function (also =错误原因(单元格)).
    Dim store As Object, key As String
    JX_ERROR_REASON = ""
    If Not IsError(cell.Cells(1, 1).Value) Then Exit Function
    Set store = ReasonStore()
    key = CellKey(cell.Cells(1, 1))
    If store.Exists(key) Then JX_ERROR_REASON = store.Item(key)
End Function
