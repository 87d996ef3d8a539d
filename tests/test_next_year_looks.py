"""新年度 (xlbudget next-year) gives next year's book the looks this year's has: the officer's column widths, page
setup and drop-down lists where he set them, the template's where he did not (session 28: next year's book was the
template refilled, whatever he had set; and the template's 基本資料 lists stayed on the template's rows, B6 offering
職能別 to whatever entry his 基本資料 had there).

The book is the example's inputs (the template filled: 歲出明細 has the template's 15 columns, 說明 the 12th, L)
with, typed by hand: 說明 widened to 70, the sheet set to print portrait with 「第 &P 頁」 at the foot, a column of his
own, 承辦人 (P, after the template's 15), with a list 「甲股,乙股」 typed in, and another own column, 科別 (Q), whose
list is on his own sheet 清單 (not carried into next year's book: his own sheets are not).
"""

from __future__ import annotations

import openpyxl

from xlbudget.app.example import example_workbook
from xlbudget.app.pipeline import next_year_file
from xlbudget.adapters.xlsxfile import save_atomic
from openpyxl.worksheet.datavalidation import DataValidation


def _book(tmp_path):
    wb = example_workbook()
    ws = wb["歲出明細"]
    assert ws["L1"].value == "說明" and ws.max_column == 15
    ws.column_dimensions["L"].width = 70
    ws.page_setup.orientation = "portrait"
    ws.oddFooter.center.text = "第 &P 頁"
    ws["P1"], ws["Q1"] = "承辦人", "科別"
    ws["P2"], ws["Q2"] = "甲股", "資訊科"
    mine = DataValidation(type="list", formula1='"甲股,乙股"', allow_blank=True)
    mine.add("P2:P500")
    ws.add_data_validation(mine)
    own = DataValidation(type="list", formula1="=清單!$A$1:$A$3", allow_blank=True)
    own.add("Q2:Q500")
    ws.add_data_validation(own)
    wb.create_sheet("清單").append(["資訊科"])
    # 基本資料 in his order: 職能別 second (row 3), not the template's row 6
    agency = wb["基本資料"]
    rows = [[c.value for c in row] for row in agency.iter_rows(min_row=2)]
    order = [r for r in rows if r[0] == "職能別"] + [r for r in rows if r[0] != "職能別"]
    for r, (key, value) in enumerate(order, start=2):
        agency.cell(r, 1, key), agency.cell(r, 2, value)
    assert agency["A2"].value == "職能別"
    return save_atomic(wb, tmp_path / "本年度.xlsx")


def _lists(ws) -> dict[str, str]:
    return {str(dv.sqref): dv.formula1 for dv in ws.data_validations.dataValidation}


def test_next_year_keeps_his_widths_page_setup_and_lists(tmp_path):
    result = next_year_file(_book(tmp_path), tmp_path / "下年度.xlsx")
    wb = openpyxl.load_workbook(result.output)
    ws = wb["歲出明細"]
    assert [ws.cell(1, c).value for c in (12, 16, 17)] == ["說明", "承辦人", "科別"]
    assert ws.column_dimensions["L"].width == 70  # his; the template's 說明 is 50
    assert ws.column_dimensions["A"].width == 14  # the template's, which he did not change
    assert ws.page_setup.orientation == "portrait" and ws.oddFooter.center.text == "第 &P 頁"
    assert ws.print_title_rows == "$1:$1"  # the template's header row repeated, as he left it
    lists = _lists(ws)
    assert lists["P2:P500"] == '"甲股,乙股"'  # his own list, on his column
    assert lists["D2:D2000"].startswith("=代碼表!")  # 用途別科目: the template's, from this version's codes
    assert not any(k.startswith("Q") for k in lists)  # 科別's choices are on 清單, not carried …
    assert "歲出明細!Q2:Q500（來源 =清單!$A$1:$A$3）" in result.not_carried  # … and said
    assert "自訂工作表 清單" in result.not_carried


def test_the_template_lists_of_basic_data_follow_their_entries(tmp_path):
    # his 職能別 on row 2: the 職能別 list goes there (the template's B6 is 主管機關編號 in his order), 預算類別's and
    # 預算階段's on their rows. Red before: B6 (his 主管機關編號… whatever row 6 held) offered the 職能別 list
    wb = openpyxl.load_workbook(next_year_file(_book(tmp_path), tmp_path / "下年度.xlsx").output)
    ws = wb["基本資料"]
    at = {c.value: c.row for c in ws["A"]}
    lists = _lists(ws)
    assert lists[f"B{at['職能別']}"].startswith("=代碼表!") and at["職能別"] == 2
    assert lists[f"B{at['預算類別']}"] == '"單位預算,特別預算,追加減預算"'
    assert lists[f"B{at['預算階段']}"] == '"預算案,法定預算"'
    assert len(lists) == 3


def test_a_book_as_the_template_made_it_gets_the_templates_looks(tmp_path):
    # nothing of his: next year's sheets as xlbudget new makes them (landscape, fitted to the width, 說明 50 wide)
    book = save_atomic(example_workbook(), tmp_path / "本年度.xlsx")
    wb = openpyxl.load_workbook(next_year_file(book, tmp_path / "下年度.xlsx").output)
    ws = wb["歲出明細"]
    assert ws.page_setup.orientation == "landscape" and ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.column_dimensions["L"].width == 50 and ws["A1"].value == "工作計畫編號"


def test_his_width_of_a_column_headed_with_its_unit_is_carried(tmp_path):
    # 單價 typed 「單價(元)」 and widened to 33 by hand: next-year places that column as 單價 (G; the reader reads the
    # unit apart), so his 33 goes with it. Red before: the looks matched headers by their whole text, found no
    # 單價 among his, and gave G the template's 12
    wb = example_workbook()
    ws = wb["歲出明細"]
    assert ws["G1"].value == "單價"
    ws["G1"] = "單價(元)"
    ws.column_dimensions["G"].width = 33
    book = save_atomic(wb, tmp_path / "本年度.xlsx")
    out = openpyxl.load_workbook(next_year_file(book, tmp_path / "下年度.xlsx").output)["歲出明細"]
    assert out["G1"].value == "單價" and out.column_dimensions["G"].width == 33
