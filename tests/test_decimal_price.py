"""A 單價 with 角 (1.6 元) is read exactly (Decimal), checked against 預算數 and printed as typed.

臺北市政府工務局新建工程處 116年度 (../shared/reference-books/taipei-newworks-116.txt) prints three such
lines in its 歲出計畫說明提要與各項費用明細表 (單位：新臺幣元), hand-read:
- 07-152-37, 一般行政-行政管理 02一般業務 2039 委辦費: 頁 312,500 × 1.6 = 500,000 (永久保存檔案掃描、點收等);
- 07-152-38, same 分支計畫, 2054 一般事務費: 臺、月、張 12×12×3800 (547,200) × 0.6 = 328,320 (影印機使用費);
- 07-152-49, 工務行政-工程管理 13道路橋涵養護 2054: 9×12×3500 (378,000) × 0.6 = 226,800 (影印機使用費).
All three products are whole 元. Where a product is not, 預算數 (whole 元) is the product rounded half away
from zero, the book's one rounding (RULES.md "Rounding", Excel's ROUND): 3 × 0.35 = 1.05 → 1; 3 × 0.5 = 1.5 → 2.
"""

from __future__ import annotations

import json
from decimal import Decimal

import openpyxl
import pytest

from xlwings_json import book_json, run_script, sheet_order, sheet_values  # sets XLWINGS_ON_SERVER first

import xlbudget.addin as addin
from xlbudget.adapters.xlsxfile import input_grids
from xlbudget.app.example import TAIPEI, example_workbook
from xlbudget.app.export import export_records, records_to_json
from xlbudget.app.pipeline import build_workbook
from xlbudget.core.amounts import NotANumber, parse_decimal, parse_price, priced_amount
from xlbudget.core.findings import item_product_finding
from xlbudget.core.model import CellRef
from xlbudget.readers.inputs import read_book

DETAIL = "歲出計畫說明提要與各項費用明細表"
# (工作計畫, 分支計畫, 用途別科目) → (數量 as printed, 單價, 預算數), from the book's pages above
LINES = {
    ("58071520101", "02一般業務", "2039"): ("312,500", Decimal("1.6"), 500_000),
    ("58071520101", "02一般業務", "2054"): ("12×12×3800", Decimal("0.6"), 328_320),
    ("58071520201", "13道路橋涵養護", "2054"): ("9×12×3500", Decimal("0.6"), 226_800),
}


@pytest.fixture(scope="module")
def taipei():
    wb = example_workbook(TAIPEI)
    book, findings = read_book(input_grids(wb, "臺北"), "臺北")
    return wb, book, findings


def _decimal_lines(book):
    return {(i.plan_code, i.branch, i.object_code): (str(i.quantity), i.unit_price, i.amount)
            for i in book.expenses if type(i.unit_price) is Decimal}


def test_the_example_reads_the_books_three_prices_exactly(taipei):
    _, book, findings = taipei
    assert _decimal_lines(book) == LINES
    assert [f for f in findings if f.rule == "item-product-mismatch"] == []


def test_the_built_detail_table_prints_them_as_typed(taipei):
    wb, book, _ = taipei
    build_workbook(wb, book)
    ws = wb[DETAIL]
    printed = {}
    for row in ws.iter_rows():
        for cell in row:
            if type(cell.value) is Decimal:
                printed[cell.value] = printed.get(cell.value, 0) + 1
                assert cell.number_format.startswith("#,##0.0;"), cell.coordinate  # 1.6, never #,##0's 2
                assert ws.cell(cell.row, cell.column + 1).value in (500_000, 328_320, 226_800)
    assert printed == {Decimal("1.6"): 1, Decimal("0.6"): 2}


def test_export_gives_the_prices_as_numbers(taipei):
    _, book, _ = taipei
    prices = [r["value"] for r in export_records(book) if r["table"] == DETAIL and r["column"] == "單價"
              and type(r["value"]) is Decimal]
    assert sorted(prices) == [Decimal("0.6"), Decimal("0.6"), Decimal("1.6")]
    assert sorted(r["value"] for r in json.loads(records_to_json(export_records(book)))
                  if r["table"] == DETAIL and r["column"] == "單價" and r["value"] in (0.6, 1.6)) == [0.6, 0.6, 1.6]


def test_the_build_button_writes_them_as_numbers_shown_as_typed(taipei):
    wb = example_workbook(TAIPEI)
    payload = book_json(wb)
    actions = run_script(addin, "build_schedules", payload)
    position = sheet_order(payload, actions).index(DETAIL)
    rows = sheet_values(actions, position)
    found = [(r, row.index(v)) for r, row in enumerate(rows) for v in row if v in (1.6, 0.6) and type(v) is float]
    assert len(found) == 3
    formats = [a for a in actions if a["func"] == "setNumberFormat" and a["sheet_position"] == position
               and str(a["args"][0]).startswith("#,##0.0;")]
    assert len(formats) == 3


@pytest.mark.parametrize("typed, price", [
    (1.6, Decimal("1.6")), ("1.6", Decimal("1.6")), ("１．６", Decimal("1.6")), (0.6, Decimal("0.6")),
    (3800, 3800), (3800.0, 3800), ("3,800", 3800), (None, None),
])
def test_a_price_as_typed(typed, price):
    value = parse_price(typed)
    assert (value, type(value)) == (price, type(price))


@pytest.mark.parametrize("typed", ["1.6元", "一點六", True])
def test_a_price_that_is_not_a_number(typed):
    with pytest.raises(NotANumber):
        parse_price(typed)


@pytest.mark.parametrize("typed, number", [
    ("31.0", Decimal("31.0")), ("３１．０", Decimal("31.0")), ("1,668.5", Decimal("1668.5")), (33.9, Decimal("33.9")),
    (31.0, Decimal("31")), ("(5)", Decimal("-5")), ("52.32", Decimal("52.32")), ("", None), (None, None),
])
def test_a_decimal_as_typed(typed, number):
    """油料單價 and 分攤比率: read as a 單價 is read, but always the exact Decimal typed (31.0 keeps its .0)."""
    value = parse_decimal(typed)
    assert (value, str(value)) == (number, str(number))


@pytest.mark.parametrize("typed", ["1,2", "31.0元", "1e3", "NaN", True])
def test_a_decimal_that_is_not_a_number(typed):
    with pytest.raises(NotANumber):  # 「1,2」 is a typo, never 12 (MisplacedComma)
        parse_decimal(typed)


AMOUNT = CellRef("歲出明細", "J2")


@pytest.mark.parametrize("quantity, price, amount, expected", [
    (312_500, Decimal("1.6"), 500_000, None),
    (547_200, Decimal("0.6"), 328_320, None),
    (312_500, Decimal("1.6"), 499_999, 500_000),
    (3, Decimal("0.35"), 1, None),  # 1.05 → 1
    (3, Decimal("0.35"), 2, 1),
    (3, Decimal("0.5"), 2, None),  # 1.5 → 2, half away from zero
    (3, Decimal("0.5"), 1, 2),
    (5, Decimal("0.5"), 3, None),  # 2.5 → 3: away from zero, not to even (Python's round gives 2)
    (5, Decimal("0.5"), 2, 3),
])
def test_quantity_times_price_in_whole_yuan(quantity, price, amount, expected):
    assert priced_amount(quantity, price) == (amount if expected is None else expected)
    f = item_product_finding(quantity, price, amount, AMOUNT, None, None, str(quantity))
    got = (f.rule, f.cell, f.expected, f.actual) if f else None
    assert got == (None if expected is None else ("item-product-mismatch", AMOUNT, expected, amount))


def test_a_decimal_price_with_a_wrong_amount_is_named_at_its_cells(tmp_path):
    """The first 1.6 line with its 預算數 typed 500,001: the joint finding at 預算數, with 數量 and 單價."""
    wb = example_workbook(TAIPEI)
    ws = wb["歲出明細"]
    header = [c.value for c in ws[1]]
    row = next(r for r in ws.iter_rows(min_row=2) if r[header.index("單價")].value == 1.6)
    row[header.index("預算數")].value = 500_001
    _, findings = read_book(input_grids(wb, "臺北"), "臺北")
    found = [(f.rule, f.cell.cell, f.expected, f.actual, tuple(c.cell for c in f.related)) for f in findings
             if f.rule == "item-product-mismatch"]
    r = row[0].row
    letter = lambda name: openpyxl.utils.get_column_letter(header.index(name) + 1)
    assert found == [("item-product-mismatch", f"{letter('預算數')}{r}", 500_000, 500_001,
                      (f"{letter('數量')}{r}", f"{letter('單價')}{r}"))]


def test_a_hand_made_detail_table_with_a_decimal_price(tmp_path, capsys):
    """The built 明細表 as a hand-made book: 1.6 is read as printed (no unverifiable figure), and a 預算數
    typed 1 元 off is an item-product-mismatch at its cell."""
    from xlbudget.cli import main

    wb = example_workbook(TAIPEI)
    book, _ = read_book(input_grids(wb, "臺北"), "臺北")
    build_workbook(wb, book)
    for name in list(wb.sheetnames):
        if name != DETAIL:
            del wb[name]
    ws = wb[DETAIL]
    cell = next(c for row in ws.iter_rows() for c in row if c.value == Decimal("1.6"))
    amount = ws.cell(cell.row, cell.column + 1)
    wb.save(tmp_path / "clean.xlsx")
    amount.value = 500_001
    wb.save(tmp_path / "off.xlsx")

    def found(path):
        capsys.readouterr()
        main(["check", str(path), "--format", "json"])
        return {(f["rule"], f["cell"]) for f in json.loads(capsys.readouterr().out)}

    at_prices = lambda fs: {f for f in fs if f[1] in (cell.coordinate, amount.coordinate)}
    assert at_prices(found(tmp_path / "clean.xlsx")) == set()
    assert ("item-product-mismatch", amount.coordinate) in found(tmp_path / "off.xlsx")


def test_the_cell_functions_spill_the_price_as_a_number_and_check_it():
    from xlwings_json import call_udf

    items = [list(r) for r in example_workbook(TAIPEI)["歲出明細"].iter_rows(values_only=True)]
    grid = call_udf(addin, "xlb_schedule", items, "明細表", None)
    line = next(row for row in grid if "312,500" in row)
    assert [(v, type(v)) for v in line if v in (1.6, 500_000)] == [(1.6, float), (500_000, int)]
    header = items[0]
    r = next(i for i, row in enumerate(items) if row[header.index("單價")] == 1.6)
    items[r][header.index("預算數")] = 500_001
    cell = f"{openpyxl.utils.get_column_letter(header.index('預算數') + 1)}{r + 1}"
    found = [(row[1], row[2]) for row in call_udf(addin, "xlb_check", items) if row[1] == "item-product-mismatch"]
    assert found == [("item-product-mismatch", cell)]
