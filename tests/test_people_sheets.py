"""The people sheets against 歲出明細.

人事費, 約聘僱 or 員額 emptied while 歲出明細 still holds the lines they explain (field report 6 §1.3): the table is
left out of the book and the PDF, so an error at the sheet's A2 names it (staff-sheet-empty), from check and from
build (and pdf, which reports build's findings).

Hand figures, the seed (高雄市政府資訊中心 113):
  1000 人事費 42,978,000 元 = the 人事費 rows 33,934,943 + 7,115,000 + 655,743 + 1,216,314 + 56,000;
  1020 約聘僱人員待遇 5,282,562 元 = 約聘 4,410,710 + 約僱 871,852 (明細表, two lines);
  1015 法定編制人員待遇 25,356,370 元 (one line).

約聘僱 per 工作計畫 (field report 6 §1.5): the seed's three 約聘僱 rows (約聘 3 人 2,670,000; 約聘 3 人 3,230,000;
約僱 2 人 1,215,000) are all 行政管理's (32020180101), as are its two 1020 lines; 數位發展計畫 (32020183201) has none.
"""

from __future__ import annotations

import pytest

from xlbudget.adapters.xlsxfile import input_grids
from xlbudget.app.example import example_workbook
from xlbudget.app.pipeline import build_workbook
from xlbudget.core.titles import CONTRACT, STAFF_COSTS, STAFFING
from xlbudget.readers.inputs import read_book
from xlbudget.rules.checks import check_book


def _emptied(*names):
    wb = example_workbook()
    for name in names:
        ws = wb[name]
        ws.delete_rows(2, ws.max_row)
    book, _ = read_book(input_grids(wb, "book.xlsx"), "book.xlsx")
    return wb, book


def _empty_sheets(findings):
    return sorted((f.cell.sheet, f.cell.cell, f.expected, len(f.related)) for f in findings
                  if f.rule == "staff-sheet-empty")


def test_the_seed_says_nothing():
    _, book = _emptied()
    assert _empty_sheets(check_book(book)) == []


@pytest.mark.parametrize("sheet, table, expected, lines", [
    ("人事費", STAFF_COSTS, 33_934_943 + 7_115_000 + 655_743 + 1_216_314 + 56_000, 18),
    ("約聘僱", CONTRACT, 4_410_710 + 871_852, 2),
    ("員額", STAFFING, 25_356_370, 1),
])
def test_an_emptied_people_sheet_names_the_table_it_leaves_out(sheet, table, expected, lines):
    wb, book = _emptied(sheet)
    assert _empty_sheets(check_book(book)) == [(sheet, "A2", expected, lines)]
    tables, findings = build_workbook(wb, book)
    assert table not in {t.title for t in tables}
    named = [f for f in findings if f.rule == "staff-sheet-empty"]
    assert [(f.cell.sheet, f.cell.cell) for f in named] == [(sheet, "A2")] and table in named[0].message


def test_both_pay_sheets_emptied_are_each_named():
    _, book = _emptied("人事費", "約聘僱")
    assert [s for s, *_ in _empty_sheets(check_book(book))] == ["人事費", "約聘僱"]


def test_all_three_emptied_each_with_all_its_lines():
    """The three sheets emptied at once: each error adds up every line it explains, the 1020 and 1015 lines among the
    1000 人事費 lines each counted again for its own sheet (42,978,000 in 18 lines; 5,282,562 in 2; 25,356,370 in 1)."""
    _, book = _emptied("人事費", "約聘僱", "員額")
    assert _empty_sheets(check_book(book)) == [("人事費", "A2", 42_978_000, 18), ("員額", "A2", 25_356_370, 1),
                                               ("約聘僱", "A2", 4_410_710 + 871_852, 2)]


def test_no_lines_to_explain_no_error():
    """約聘僱 empty and no 1020 line (both removed): nothing is left out that the book needs."""
    wb = example_workbook()
    ws = wb["約聘僱"]
    ws.delete_rows(2, ws.max_row)
    items = wb["歲出明細"]
    for r in range(items.max_row, 1, -1):
        if str(items.cell(r, 4).value) == "1020":
            items.delete_rows(r)
    book, _ = read_book(input_grids(wb, "book.xlsx"), "book.xlsx")
    assert _empty_sheets(check_book(book)) == []


def _contract_findings(edit):
    wb = example_workbook()
    edit(wb)
    book, _ = read_book(input_grids(wb, "book.xlsx"), "book.xlsx")
    return sorted((f.rule, f.cell.sheet, f.cell.cell, f.actual) for f in check_book(book)
                  if f.rule in ("contract-plan-without-salary", "salary-plan-without-contract"))


def test_the_seeds_contract_staff_sit_under_the_plan_that_pays_them():
    assert _contract_findings(lambda wb: None) == []


def test_contract_staff_under_a_plan_without_1020_is_named_at_the_row():
    """約聘僱!A2 typed 32020183201: the book-wide total still ties (7,115,000), the plan does not."""
    def edit(wb):
        wb["約聘僱"]["A2"] = "32020183201"

    assert _contract_findings(edit) == [("contract-plan-without-salary", "約聘僱", "A2", "32020183201")]


def test_a_plan_paying_1020_with_no_contract_row_is_named_at_its_line():
    """Every 約聘僱 row moved to 數位發展計畫: that plan has no 1020 (three rows named) and 行政管理's 1020 lines
    (4,410,710 + 871,852 元) have no row (named at its first 1020 預算數 cell)."""
    def edit(wb):
        for r in (2, 3, 4):
            wb["約聘僱"].cell(r, 1).value = "32020183201"

    found = _contract_findings(edit)
    assert [f for f in found if f[0] == "contract-plan-without-salary"] == [
        ("contract-plan-without-salary", "約聘僱", f"A{r}", "32020183201") for r in (2, 3, 4)]
    items = example_workbook()["歲出明細"]
    lines = [r for r in range(2, items.max_row + 1) if str(items.cell(r, 4).value) == "1020"]
    assert [f for f in found if f[0] == "salary-plan-without-contract"] == [
        ("salary-plan-without-contract", "歲出明細", f"H{lines[0]}", "32020180101")]


@pytest.mark.parametrize("sheet, table, prefix, expected, lines", [
    ("人事費", STAFF_COSTS, "1", 33_934_943 + 7_115_000 + 655_743 + 1_216_314 + 56_000, 18),
    ("約聘僱", CONTRACT, "1020", 4_410_710 + 871_852, 2),
    ("員額", STAFFING, "1015", 25_356_370, 1),
])
def test_a_people_sheet_deleted_outright_names_the_table_it_leaves_out(sheet, table, prefix, expected, lines):
    """The sheet deleted rather than emptied left its table out with check clean (field6b's report: staff-sheet-empty
    only saw a sheet present and empty). A whole book (read with its 基本資料) is held to it: staff-sheet-missing at
    the first 歲出明細 line needing it, the others related; build names it too."""
    wb = example_workbook()
    del wb[sheet]
    book, _ = read_book(input_grids(wb, "book.xlsx"), "book.xlsx")
    items = wb["歲出明細"]
    rows = [r for r in range(2, items.max_row + 1) if str(items.cell(r, 4).value or "").startswith(prefix)]
    found = [(f.cell.sheet, f.cell.cell, f.expected, len(f.related) + 1) for f in check_book(book)
             if f.rule == "staff-sheet-missing"]
    assert found == [("歲出明細", f"H{rows[0]}", expected, lines)]
    assert _empty_sheets(check_book(book)) == []
    tables, findings = build_workbook(wb, book)
    assert table not in {t.title for t in tables}
    assert any(f.rule == "staff-sheet-missing" and table in f.message for f in findings)


def test_a_book_built_in_code_is_not_held_to_people_sheets():
    """XLB_CHECK's 歲出明細 range (a BudgetBook with no sheets read): no people sheet to speak of, nothing said."""
    from dataclasses import replace

    wb = example_workbook()
    book, _ = read_book(input_grids(wb, "book.xlsx"), "book.xlsx")
    bare = replace(book, staff_costs=(), contract_staff=(), staffing=(), sheets=frozenset())
    assert [f for f in check_book(bare) if f.rule in ("staff-sheet-missing", "staff-sheet-empty")] == []


def test_the_taipei_book_prints_no_staffing_table_and_is_not_asked_for_one():
    """臺北 116 (版式 臺北市) has 1015 lines and no 員額 rows: its printed book has no 員額編制表 either."""
    from xlbudget.app.example import TAIPEI

    wb = example_workbook(TAIPEI)
    assert wb["員額"].max_row <= 1
    book, _ = read_book(input_grids(wb, "臺北.xlsx"), "臺北.xlsx")
    assert any(i.object_code == "1015" for i in book.expenses)
    assert _empty_sheets(check_book(book)) == []
