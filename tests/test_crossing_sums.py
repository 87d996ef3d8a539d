"""One figure typed wrong in a hand-made printed table of rows and columns (field report 8 §2.2).

Without the 明細表 to hold it to, a wrong item puts off by the same amount the total of its row and the total of
its column, both right: check named those two totals, never the item, and an officer «fixing» them as told ended
with three wrong cells and a clean check. Now the cell both sums share is named (sum-crossing-suspect), with both
totals (if it is right, they are both wrong): one helper (rules.checks.crossing_figures) for every printed table
summed across and down.
"""

from __future__ import annotations

from built_books import handmade_workbook

from xlbudget.adapters.xlsxfile import workbook_sheets
from xlbudget.rules.checks import check_printed_sheets

SUMMARY = "各項費用彙計表"
DETAIL = "歲出計畫說明提要與各項費用明細表"


def _errors(wb):
    return [f for f in check_printed_sheets(workbook_sheets(wb, None, "手製.xlsx"), "手製.xlsx").findings
            if f.severity.value == "error"]


def _row(ws, label: str) -> int:
    """The first row whose label (column A, its indentation aside) begins with ``label``."""
    return next(r for r in range(1, ws.max_row + 1) if str(ws.cell(r, 1).value or "").strip().startswith(label))


def test_a_wrong_item_of_the_summary_is_named_not_its_two_totals():
    """Seed 各項費用彙計表 (its 單位 千元): 201800資訊服務費 | 32020183201 92,938 | 合計 92,966, under 200000業務費
    153,555 in that column. 92,938 typed 93,938: row 92,966 ≠ 28 + 93,938 = 93,966 and column 153,555 ≠ 154,555,
    both by 1,000 too little. Red on main: subtotal-mismatch at C17 and D20, nothing at C20."""
    wb = handmade_workbook()
    del wb[DETAIL]  # the agency sends its 彙計表 alone: no 明細表 to hold C20 to
    ws = wb[SUMMARY]
    row, parent = _row(ws, "201800資訊服務費"), _row(ws, "200000業務費")
    assert (ws.cell(row, 3).value, ws.cell(row, 4).value, ws.cell(parent, 3).value) == (92_938, 92_966, 153_555)
    assert _errors(wb) == []
    ws.cell(row, 3).value = 93_938
    found = [f for f in _errors(wb) if f.cell.sheet == SUMMARY]
    assert [(f.rule, f.cell.cell, f.expected, f.actual) for f in found] == [
        ("sum-crossing-suspect", f"C{row}", 92_938, 93_938)]
    assert [c.cell for c in found[0].related] == [f"D{row}", f"C{parent}"]  # its row's total, then its column's
    assert found[0].message.startswith(f"C{row} 可能有誤：其所在列與所在欄合計均差 1,000")
    assert f"若 C{row} 無誤，則 D{row} 與 C{parent} 兩個合計均有誤" in found[0].message


def test_the_same_helper_for_the_staff_costs_table():
    """人事費彙計表 (元) sums across (合計 column N) and down (正式員額 = its classes): 職員 法定編制人員待遇 E9
    25,356,370 typed 25,357,370 is named the same way, not N9 and E8. Red on main: subtotal-mismatch at both."""
    wb = handmade_workbook()
    ws = wb["人事費彙計表"]
    row = _row(ws, "職員")
    assert (ws.cell(row, 5).value, ws.cell(row, 14).value, ws.cell(row - 1, 5).value) == (
        25_356_370, 33_934_943, 25_356_370)
    ws.cell(row, 5).value = 25_357_370
    found = [f for f in _errors(wb) if f.cell.sheet == "人事費彙計表"]
    assert [(f.rule, f.cell.cell, f.expected, f.actual) for f in found] == [
        ("sum-crossing-suspect", f"E{row}", 25_356_370, 25_357_370)]
    assert [c.cell for c in found[0].related] == [f"N{row}", f"E{row - 1}"]


def test_a_wrong_total_is_still_named_itself():
    """200000業務費 (C17) typed 154,555: C17 is the wrong one (its parts give 153,555); the 合計 row and the 合計
    column it feeds are explained by it (explain_subtotals), and no item is suspected."""
    wb = handmade_workbook()
    del wb[DETAIL]
    ws = wb[SUMMARY]
    parent = _row(ws, "200000業務費")
    ws.cell(parent, 3).value = 154_555
    assert [(f.rule, f.cell.cell) for f in _errors(wb) if f.cell.sheet == SUMMARY] == [
        ("subtotal-mismatch", f"C{parent}")]
