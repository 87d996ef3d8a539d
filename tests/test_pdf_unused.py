"""xlbudget pdf prints the standard layout from the inputs: what of the officer's book it does not use is said.

Field report 12 §2.1: on a built book the officer set 歲出機關別預算表 to A3 with his own print area and a hidden row,
and added a sheet of his own to print with the book; pdf printed A4, the whole table and the hidden row, left his
sheet out, and said nothing of either. No LibreOffice is run here: test_publish_long's stand-in renderer."""

from __future__ import annotations

import openpyxl

from test_publish_long import _stand_in
from xlbudget.adapters.xlsxfile import save_atomic
from xlbudget.app.example import example_workbook
from xlbudget.cli import main


def _built(tmp_path):
    book = save_atomic(example_workbook(), tmp_path / "範例.xlsx")
    assert main(["build", str(book), "-o", str(tmp_path / "built.xlsx")]) == 0
    return tmp_path / "built.xlsx"


def _info(out: str) -> list[str]:
    return [line for line in out.splitlines() if "pdf-settings-unused" in line or "pdf-sheet-unprinted" in line]


def test_the_officers_print_settings_and_his_own_sheet_are_named_as_not_used(monkeypatch, tmp_path, capsys):
    built = _built(tmp_path)
    wb = openpyxl.load_workbook(built)
    ws = wb["歲出機關別預算表"]
    assert ws["D10"].value == "01"  # a 節 row of the table, printed all the same
    ws.page_setup.paperSize = ws.PAPERSIZE_A3
    ws.print_area = "A1:E12"
    ws.row_dimensions[10].hidden = True
    assert (ws.column_dimensions["F"].min, ws.column_dimensions["F"].max) == (6, 9)  # build wrote F:I as one width
    ws.column_dimensions["F"].hidden = True  # so the file hides F to I
    own = wb.create_sheet("附表一 資安計畫說明")
    own["A1"] = "附表一：政府基層機關資安主動防禦計畫執行說明（本中心自編）"
    hidden_own = wb.create_sheet("試算")
    hidden_own.sheet_state = "hidden"  # a hidden sheet of his is not meant to print: not said
    wb.save(tmp_path / "settings.xlsx")
    capsys.readouterr()
    _stand_in(monkeypatch)
    assert main(["pdf", str(tmp_path / "settings.xlsx"), "-o", str(tmp_path / "settings.pdf")]) == 0
    assert _info(capsys.readouterr().out) == [
        "[info] settings.xlsx:歲出機關別預算表!A1 pdf-settings-unused: 本表的紙張 A3、列印範圍 A1:E12、隱藏的第 10 列、"
        "隱藏的 F、G、H、I 欄未採用：pdf 依標準格式輸出預算表（A4，整張表的每一列與每一欄）",
        "[info] settings.xlsx:附表一 資安計畫說明!A1 pdf-sheet-unprinted: 工作表「附表一 資安計畫說明」不是預算表，未印入 PDF"
        "（PDF 只印目次、預算總說明與各預算表）；要隨本書出版，請另行列印附於其後"]


def test_a_book_as_built_or_as_typed_has_nothing_said(monkeypatch, tmp_path, capsys):
    # the template's own sheets (說明, 代碼表, the input sheets), 目次 and the tables as build wrote them: nothing
    built = _built(tmp_path)
    _stand_in(monkeypatch)
    capsys.readouterr()
    for book in (built, tmp_path / "範例.xlsx"):
        assert main(["pdf", str(book), "-o", str(book.with_suffix(".pdf"))]) == 0
        assert _info(capsys.readouterr().out) == []


def test_a_chart_sheet_under_a_tables_name_is_named_not_a_crash(monkeypatch, tmp_path, capsys):
    """The example typed (no table built) with a chart sheet of the officer's named 各項費用彙計表: pdf ended «xlbudget
    內部錯誤（AttributeError: 'Chartsheet' object has no attribute 'page_setup'）», exit 3, reading a chart sheet's
    print settings as a table sheet's. A chart sheet is never a table's: named as a sheet not printed."""
    from openpyxl.chart import BarChart, Reference

    wb = example_workbook()
    chart = BarChart()
    chart.add_data(Reference(wb["歲出明細"], min_col=8, min_row=1, max_row=5), titles_from_data=True)
    wb.create_chartsheet("各項費用彙計表").add_chart(chart)
    save_atomic(wb, tmp_path / "圖表.xlsx")
    _stand_in(monkeypatch)
    capsys.readouterr()
    assert main(["pdf", str(tmp_path / "圖表.xlsx"), "-o", str(tmp_path / "圖表.pdf")]) == 0
    assert _info(capsys.readouterr().out) == [
        "[info] 圖表.xlsx:各項費用彙計表!A1 pdf-sheet-unprinted: 工作表「各項費用彙計表」不是預算表，未印入 PDF"
        "（PDF 只印目次、預算總說明與各預算表）；要隨本書出版，請另行列印附於其後"]
