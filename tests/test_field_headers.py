"""Headers typed with a unit or a near-miss name (field report rows 1 and 7): read, or refused at the header cell.

Each case edits one header of the bundled example (歲出明細 row 2: 1015, 數量 1, 單價 25,356,370, 預算數
25,356,370, 分支計畫 01行政業務; 人事費 職員 獎金 5,386,310) and asserts the figure or the rule id and cell.
"""

import pytest

from xlbudget.adapters.xlsxfile import input_grids
from xlbudget.app.example import example_workbook
from xlbudget.core.errors import InputError
from xlbudget.core.findings import RULES
from xlbudget.readers.inputs import read_book



def _book(sheet, cell, header):
    wb = example_workbook()
    wb[sheet][cell] = header
    return read_book(input_grids(wb))[0]


def _problems(sheet, cell, header):
    wb = example_workbook()
    wb[sheet][cell] = header
    with pytest.raises(InputError) as err:
        read_book(input_grids(wb))
    return [(f.rule, str(f.cell) if f.cell else None) for f in err.value.findings]


@pytest.mark.parametrize("header", ["單價(元)", "單價（元）", "單 價（新臺幣元）"])
def test_price_with_its_unit_is_the_price(header):
    first = _book("歲出明細", "G1", header).expenses[0]
    assert (first.unit_price, str(first.cells["單價"])) == (25356370, "歲出明細!G2")


def test_quantity_with_a_count_unit_is_the_quantity():
    assert _book("歲出明細", "F1", "數量(個)").expenses[0].quantity == 1


def test_amount_with_its_unit_is_the_amount():
    assert _book("歲出明細", "H1", "預算數(元)").expenses[0].amount == 25356370


def test_matched_with_its_unit_is_read():
    assert str(_book("歲出明細", "I1", "收支併列數(元)").expenses[0].cells["收支併列數"]) == "歲出明細!I2"


def test_staff_cost_header_with_its_unit():
    assert _book("人事費", "H1", "獎金（元）").staff_costs[0].components["獎金"] == 5386310


def test_thousands_on_a_yuan_sheet_is_refused_at_the_header():
    assert _problems("歲出明細", "H1", "預算數（千元）") == [("header-unit-mismatch", "歲出明細!H1")]


def test_a_money_unit_on_the_quantity_is_refused():
    assert _problems("歲出明細", "F1", "數量(元)") == [("header-unit-mismatch", "歲出明細!F1")]


def test_near_miss_of_a_missing_optional_header():
    assert _problems("歲出明細", "C1", "分支計畫名稱") == [("header-near-miss", "歲出明細!C1")]


def test_near_miss_of_a_missing_required_header_names_its_cell_not_a1():
    assert _problems("歲出明細", "H1", "本年度預算數") == [("header-near-miss", "歲出明細!H1")]


def test_an_unrelated_extra_column_is_still_allowed():
    assert _book("歲出明細", "P1", "承辦人").expenses[0].amount == 25356370


def test_rules_in_catalogue():
    assert {"header-unit-mismatch", "header-near-miss"} <= set(RULES)
