"""next-year says in one line what of the officer's book next year's book does not carry (field report 11 §4.1):
his own sheets (hidden and very hidden ones too: he cannot see them go), notes, and names. The example, which
has none of his, gets no such line."""

import shutil

import openpyxl
from openpyxl.comments import Comment
from openpyxl.workbook.defined_name import DefinedName

from xlbudget.app.pipeline import next_year_file
from xlbudget.cli import main

from test_convert import EXAMPLE


def test_the_officers_own_sheets_notes_and_names_are_named(tmp_path, capsys):
    book = tmp_path / "預算.xlsx"
    wb = openpyxl.load_workbook(EXAMPLE)
    wb.create_sheet("科長圖表")
    wb.create_sheet("試算").sheet_state = "hidden"
    wb["試算"]["B1"] = 12345
    wb.create_sheet("私房").sheet_state = "veryHidden"
    wb["基本資料"]["A1"].comment = Comment("機關代碼請再確認", "王科長")
    wb["歲出明細"]["L3"].comment = Comment("約聘人數待人事室確認", "李專員")
    wb["歲出明細"]["H2"].comment = Comment("錯誤：…", "xlbudget")  # check --mark's: made again next year, not his
    wb.defined_names["人事費總額"] = DefinedName("人事費總額", attr_text="歲出明細!$H$2:$H$5")
    wb["歲出明細"].defined_names["本表預算數"] = DefinedName("本表預算數", attr_text="歲出明細!$H$2")
    wb.save(book)
    line = next_year_file(book, tmp_path / "下年度.xlsx").not_carried
    assert line.startswith("以下未帶入新年度預算書")
    said = dict(part.split(" ", 1) for part in line.split("：", 1)[1].split("；"))
    assert said == {"自訂工作表": "科長圖表、試算（隱藏）、私房（深層隱藏）",
                    "註解": "2 則（基本資料!A1、歲出明細!L3）",
                    "名稱": "人事費總額、本表預算數（歲出明細）"}
    assert main(["next-year", str(book), "-o", str(tmp_path / "下年度2.xlsx")]) == 0
    assert line in capsys.readouterr().out


def test_a_book_with_nothing_of_his_own_gets_no_such_line(tmp_path):
    book = tmp_path / "預算.xlsx"
    shutil.copy(EXAMPLE, book)
    assert next_year_file(book, tmp_path / "下年度.xlsx").not_carried == ""
    built = tmp_path / "已產生.xlsx"
    assert main(["build", str(book), "-o", str(built)]) in (0, 1)  # its table sheets and 目次 are build's
    assert next_year_file(built, tmp_path / "下年度2.xlsx").not_carried == ""


def test_an_input_sheet_named_with_a_space_is_carried_not_named(tmp_path):
    """An input sheet whose tab reads 「人事費 」 (a space typed after it) is 人事費, read and carried into next year's
    book as every input sheet is (the «照本年度內容帶入» line names it); it was also named 「自訂工作表 人事費 」, not
    carried: the line compared the book's sheet names with the input sheets' own names, not the sheets holding them."""
    book = tmp_path / "預算.xlsx"
    wb = openpyxl.load_workbook(EXAMPLE)
    wb["人事費"].title = "人事費 "
    wb.save(book)
    assert next_year_file(book, tmp_path / "下年度.xlsx").not_carried == ""
