"""What a reader keeps per process (issue 13) is kept by all it depends on: a header row's cells (readers.grid's
header caches), a sheet's top rows (with_copies), the workbook part's bytes (safety.sheet_parts). A book read after
another of the same template, but whose rows or parts differ, is read as itself, never as the book before.

The bundled example's 歲出明細 row 2 is 1015, 數量 1, 單價 25,356,370, 預算數 25,356,370 in column H (columns A–O).
"""

import pytest

from xlbudget.adapters.safety import sheet_parts
from xlbudget.adapters.xlsxfile import input_grids
from xlbudget.app.example import example_workbook
from xlbudget.core.errors import InputError
from xlbudget.readers.inputs import read_book


def _first_line(wb):
    book, _ = read_book(input_grids(wb))
    item = book.expenses[0]
    return str(item.cells["預算數"]), item.amount


def test_a_column_inserted_before_the_header_moves_every_column_for_the_next_book_too():
    assert _first_line(example_workbook()) == ("歲出明細!H2", 25_356_370)  # the template's header row, kept
    wb = example_workbook()
    ws = wb["歲出明細"]
    ws.insert_cols(1)
    ws["A1"] = "舊編號"  # no column of ours: read past, the others one column to the right
    assert _first_line(wb) == ("歲出明細!I2", 25_356_370)


def test_a_duplicate_header_is_refused_after_a_clean_book_of_the_same_sheet():
    read_book(input_grids(example_workbook()))
    wb = example_workbook()
    wb["歲出明細"]["P1"] = "預算數"
    with pytest.raises(InputError) as err:
        read_book(input_grids(wb))
    assert [(f.rule, str(f.cell)) for f in err.value.findings] == [("duplicate-header", "歲出明細!P1")]


def test_a_template_sheet_holding_the_expense_header_is_named_after_a_book_whose_one_does_not():
    assert input_grids(example_workbook())["歲出明細"].copies == ()
    wb = example_workbook()
    expenses, notes = wb["歲出明細"], wb["說明"]
    notes.delete_rows(1, notes.max_row)
    for c in range(1, expenses.max_column + 1):  # 歲出明細's header and its first line, 預算數 (H) doubled
        notes.cell(1, c, expenses.cell(1, c).value)
        notes.cell(2, c, expenses.cell(2, c).value)
    notes["H2"] = 50_712_740
    assert [name for name, _, _ in input_grids(wb)["歲出明細"].copies] == ["說明"]


def test_the_sheet_parts_of_a_book_are_its_own_after_a_book_of_the_same_sheets(tmp_path):
    first, second = tmp_path / "first.xlsx", tmp_path / "second.xlsx"
    example_workbook().save(first)
    wb = example_workbook()
    wb.move_sheet("代碼表", offset=-(len(wb.sheetnames) - 1))  # last to first: written as sheet1.xml
    wb.save(second)
    assert sheet_parts(first)["說明"] == "xl/worksheets/sheet1.xml"
    assert sheet_parts(first)["代碼表"] == "xl/worksheets/sheet18.xml"
    assert sheet_parts(second)["代碼表"] == "xl/worksheets/sheet1.xml"
    assert sheet_parts(second)["說明"] == "xl/worksheets/sheet2.xml"


def test_a_title_line_above_the_header_is_passed_over_for_the_next_book_too():
    assert _first_line(example_workbook()) == ("歲出明細!H2", 25_356_370)
    wb = example_workbook()
    ws = wb["歲出明細"]
    ws.insert_rows(1)
    ws["A1"] = "歲出明細表"  # a title line: the header is row 2, the first line row 3
    assert _first_line(wb) == ("歲出明細!H3", 25_356_370)
