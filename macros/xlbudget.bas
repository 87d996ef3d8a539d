Attribute VB_Name = "xlbudget"
' xlbudget buttons for desktop Excel (Windows, macOS), through the xlwings add-in.
' Each Sub runs one script of xlbudget.addin with RunPython; the Python names are the contract.
' Import this file in the VBA editor (File > Import File...) and set a reference to xlwings
' (Tools > References > xlwings), or import xlwings' own xlwings.bas instead of the reference.
' Keep this file ASCII: the VBA editor reads .bas files in the system code page.
Option Explicit

' Build (build the schedules)
Public Sub XLB_BuildSchedules()
    RunPython "import xlbudget.addin; xlbudget.addin.build_schedules()"
End Sub

' Check (check and mark)
Public Sub XLB_CheckBook()
    RunPython "import xlbudget.addin; xlbudget.addin.check_book()"
End Sub

' ClearMarks (remove the marks of the last check)
Public Sub XLB_ClearMarks()
    RunPython "import xlbudget.addin; xlbudget.addin.clear_marks()"
End Sub

' AddTemplate (add the input sheets)
Public Sub XLB_AddTemplate()
    RunPython "import xlbudget.addin; xlbudget.addin.add_template()"
End Sub

' Export (tidy data to a new sheet)
Public Sub XLB_ExportData()
    RunPython "import xlbudget.addin; xlbudget.addin.export_data()"
End Sub

'NextYear (next year's input book, in a new workbook; this book is not changed)
Public Sub XLB_NextYear()
    RunPython "import xlbudget.addin; xlbudget.addin.next_year_book()"
End Sub

' ExportPdf (the book as published, as a PDF beside this workbook, through Excel; this book is not changed)
Public Sub XLB_ExportPdf()
    RunPython "import xlbudget.addin; xlbudget.addin.export_pdf()"
End Sub

' Ribbon callback for customUI.xml (tab Budget): onAction="XLB_OnAction"
Public Sub XLB_OnAction(control As IRibbonControl)
    Select Case control.ID
        Case "xlbBuild": XLB_BuildSchedules
        Case "xlbCheck": XLB_CheckBook
        Case "xlbClear": XLB_ClearMarks
        Case "xlbTemplate": XLB_AddTemplate
        Case "xlbExport": XLB_ExportData
        Case "xlbNextYear": XLB_NextYear
        Case "xlbPdf": XLB_ExportPdf
    End Select
End Sub
