"""Numbers past the 15 digits Excel keeps (field report 4 §1.4 and §3.2, f01 and f13): refused at the cell.

A 16-digit 預算數 was read and its last digits changed (12345678901234567 exported as 12345678901234570); a cell
of 6,000 digits (a pasted list) stopped build and check with an internal error (Python's 4,300-digit limit of
int ↔ text). The bundled example's 基本資料 B11 is 前年度歲出預算數; 歲出明細 row 21 is 2009 通訊費, 單價 G and
預算數 H.
"""

from decimal import Decimal

import pytest

from xlwings_json import call_udf  # sets XLWINGS_ON_SERVER first

from xlbudget import addin
from xlbudget.app.example import example_workbook
from xlbudget.cli import main
from xlbudget.core.amounts import TooManyDigits, parse_int, parse_price, parse_printed_quantity, parse_quantity

from test_reading import example, problems, refused_everywhere

SIXTEEN = 1234567890123456  # 16 digits: one more than Excel keeps


@pytest.mark.parametrize("parse", [parse_int, parse_price, parse_quantity, parse_printed_quantity])
def test_fifteen_digits_are_read_exactly(parse):
    assert parse(123456789012345) == parse("123,456,789,012,345") == 123456789012345


@pytest.mark.parametrize("parse", [parse_int, parse_price, parse_quantity, parse_printed_quantity])
@pytest.mark.parametrize("value, digits", [
    (SIXTEEN, 16), (float(12345678901234567), 17), ("1,234,567,890,123,456", 16), (Decimal("1234567890123456.5"), 16),
    ("1" * 30, 30), ("190786" * 1000, 6000), ("1" * 5000, 5000)])
def test_more_digits_are_refused_saying_how_many(parse, value, digits):
    with pytest.raises(TooManyDigits) as err:
        parse(value)
    assert err.value.digits == digits
    assert len(str(err.value)) <= 24  # the text cut short, never 6,000 digits in a message


def test_a_float_is_named_as_excel_shows_it():
    with pytest.raises(TooManyDigits) as err:
        parse_int(float(12345678901234567))
    assert str(err.value) == "12345678901234600"


def test_a_product_past_fifteen_digits_is_refused():
    with pytest.raises(TooManyDigits):
        parse_quantity("100000000x100000000")  # 10^16


def test_a_sixteen_digit_amount_is_refused_at_its_cell_everywhere(tmp_path, capsys):
    def edit(wb):
        wb["歲出明細"]["G21"] = None
        wb["歲出明細"]["H21"] = SIXTEEN

    book = example(tmp_path, edit)
    assert problems(book) == {("too-many-digits", "歲出明細!H21")}
    refused_everywhere(book, tmp_path, capsys, ["歲出明細!H21"])


@pytest.mark.parametrize("sheet, cell, value", [("基本資料", "B11", "190786" * 1000), ("歲出明細", "H21", "1" * 5000)])
def test_thousands_of_digits_are_no_internal_error(tmp_path, capsys, sheet, cell, value):
    def edit(wb):
        assert sheet != "基本資料" or wb[sheet]["A11"].value == "前年度歲出預算數"
        wb[sheet][cell] = value

    book = example(tmp_path, edit)
    for args in (["check", str(book)], ["build", str(book), "-o", str(tmp_path / "out.xlsx")],
                 ["export", str(book), "--format", "json"]):
        capsys.readouterr()
        assert main(args) == 2, args
        err = capsys.readouterr().err
        assert f"{sheet}!{cell}" in err and f"{len(value):,} 位" in err and "內部錯誤" not in err, err[:500]
        assert len(err) < 2000


def test_cell_function_says_why():
    [[value]] = call_udf(addin, "xlb_thousands", [[float(12345678901234567)]])
    assert value.startswith("#VALUE!") and "17 位" in value and "15 位" in value
