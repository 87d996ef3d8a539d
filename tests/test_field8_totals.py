"""Field report 8 §1.1 (/work/wt/FIELD-REPORT-8.md): a 「合計」 row typed under the lines with its code left by
fill-down was counted as a line.

臺中 example (xlbudget/data/example-taichung): 歲入明細 rows 2–4 are 12,000 + 60,000 + 2,000 = 74,000 元 (hand), row 4
12020040210 雜項收入-其他雜項收入. The officer types a row 5 under them: 科目編號 12020040210 (left by fill-down), 科目名稱
「合計」, 預算數 74,000, 數量/單價 blank. 歲入來源別預算表 printed 合計 148 千元, exit 0, no word. The same row with a blank
科目編號, or 合計 in 說明, was already a totals row (checked against the lines, never counted): now a name column saying
only 合計/小計 makes it one too, in 歲出明細 (工作計畫名稱, 分支計畫, 計畫項目), 歲入明細 and 以前年度 (科目名稱, 款…節),
轉帳收支 (歲入款…節).
"""

from __future__ import annotations

import json

import openpyxl
import pytest

from xlbudget.app.check import check_workbook
from xlbudget.app.example import example_workbook
from xlbudget.cli import main
from xlbudget.core.findings import Severity
from xlbudget.forms.inputs import SHEET_EXPENSES

from test_reading import column, example, save

REVENUE = 12_000 + 60_000 + 2_000  # 臺中 歲入明細 rows 2–4, 元


def _export(book, capsys):
    capsys.readouterr()
    code = main(["export", str(book), "--format", "json"])
    return code, json.loads(capsys.readouterr().out)


def _first(records, table, column_name="本年度預算數"):
    return [r["value"] for r in records if r["table"] == table and r["column"] == column_name][0]


def _serious(book, row):
    """(rule, cell, expected, actual) of each error and warning check names on ``row`` of any sheet."""
    found = check_workbook(openpyxl.load_workbook(book)).findings
    return [(f.rule, f.cell.cell, f.expected, f.actual) for f in found
            if f.severity in (Severity.ERROR, Severity.WARNING) and f.cell.cell.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ") == str(row)]


def _revenue_total(tmp_path, label_column, word, amount):
    wb = example_workbook("example-taichung")
    ws = wb["歲入明細"]
    assert [ws.cell(r, column(ws, "預算數")).value for r in (2, 3, 4)] == [12_000, 60_000, 2_000]
    assert ws.cell(5, 1).value is None
    for c in range(1, 7):  # 科目編號, 科目名稱, 款, 項, 目, 節 as filled down from row 4
        ws.cell(5, c).value = ws.cell(4, c).value
    ws.cell(5, column(ws, label_column)).value = word
    ws.cell(5, column(ws, "預算數")).value = amount
    return save(wb, tmp_path / "book.xlsx")


@pytest.mark.parametrize("label_column, word", [("科目名稱", "合計"), ("科目名稱", "小　計"), ("科目名稱", "合計："),
                                                 ("款", "合計"), ("項", "合計"), ("節", "總計")])
def test_a_revenue_total_row_with_its_code_filled_down_is_no_line(tmp_path, capsys, label_column, word):
    """f20 total_with_code: 148 千元 on main (the 74,000 added to the lines); 74 千元 now (hand: 74,000 元)."""
    book = _revenue_total(tmp_path, label_column, word, REVENUE)
    code, records = _export(book, capsys)
    assert code == 0
    assert _first(records, "歲入來源別預算表") == 74
    assert _serious(book, 5) == []


def test_a_wrong_revenue_total_row_with_its_code_is_named_at_its_cell(tmp_path):
    """The same row one 元 off is totals-row-mismatch at J5 against rows 2–4 (74,000, hand), as with a blank code."""
    assert _serious(_revenue_total(tmp_path, "科目名稱", "合計", REVENUE + 1), 5) == [
        ("totals-row-mismatch", "J5", REVENUE, REVENUE + 1)]


def _lines(ws, first, last, name="預算數"):
    """Σ ``name`` of 歲出明細 rows first..last, read from the workbook's cells."""
    return sum(ws.cell(r, column(ws, name)).value for r in range(first, last + 1))


@pytest.mark.parametrize("label_column, word", [("工作計畫名稱", "合計"), ("分支計畫", "合計"), ("計畫項目", "合計")])
def test_an_expense_total_row_with_its_plan_filled_down_is_no_line(tmp_path, capsys, label_column, word):
    """The example's 歲出明細 rows 2–78 (seed: 歲出機關別預算表 本年度 275,795 千元) with row 78 copied to row 79 and its
    label made 「合計」, 預算數 the sum of rows 2–78: 分支計畫 and 計畫項目 「合計」 were counted on main (551,590 千元),
    工作計畫名稱 「合計」 was refused as a second name of plan 32020183201 (exit 2). Now no line and no finding."""
    def edit(wb):
        ws = wb[SHEET_EXPENSES]
        for c in range(1, ws.max_column + 1):
            ws.cell(79, c).value = ws.cell(78, c).value
        ws.cell(79, column(ws, label_column)).value = word
        for name in ("數量", "單價", "說明"):
            ws.cell(79, column(ws, name)).value = None
        ws.cell(79, column(ws, "預算數")).value = _lines(ws, 2, 78)
        ws.cell(79, column(ws, "收支併列數")).value = _lines(ws, 2, 78, "收支併列數")
    book = example(tmp_path, edit)
    code, records = _export(book, capsys)
    assert code == 0
    assert _first(records, "歲出機關別預算表") == 275_795
    assert _serious(book, 79) == []


def test_a_branch_subtotal_with_its_plan_filled_down_closes_its_branch(tmp_path, capsys):
    """Row 78 (32020183201 04資通安全) copied to row 79 with 分支計畫 「小計」 and 預算數 the sum of 04資通安全's lines
    (read from the cells): the branch's lines right above it, no line; 歲出 stays 275,795 千元 (seed). One 元 more
    names both sums it could be (subtotal-group-mismatch at H79)."""
    branch_rows = []

    def edit(amount_off):
        def apply(wb):
            ws = wb[SHEET_EXPENSES]
            branch_rows[:] = [r for r in range(2, 79) if ws.cell(r, column(ws, "分支計畫")).value == "04資通安全"]
            assert branch_rows == list(range(branch_rows[0], 79))  # the lines right above row 79
            for c in range(1, ws.max_column + 1):
                ws.cell(79, c).value = ws.cell(78, c).value
            ws.cell(79, column(ws, "分支計畫")).value = "小計"
            ws.cell(79, column(ws, "數量")).value = ws.cell(79, column(ws, "單價")).value = None
            ws.cell(79, column(ws, "預算數")).value = _lines(ws, branch_rows[0], 78) + amount_off
        return apply

    book = example(tmp_path, edit(0))
    code, records = _export(book, capsys)
    assert code == 0 and _first(records, "歲出機關別預算表") == 275_795
    assert _serious(book, 79) == []
    off = example(tmp_path, edit(1), name="off.xlsx")
    assert [f[0] for f in _serious(off, 79)] == ["subtotal-group-mismatch"]


def test_a_prior_total_row_with_its_code_filled_down_is_checked_as_one(tmp_path):
    """以前年度 (rows 2–5: 上年度 41,366 + 103,033 + 2,800 + 0 = 147,199; 前年度決算 37,879 + 150,283 + 38,533 + 54 =
    226,749, hand) with row 5 copied to row 6 and 科目名稱 「合計」: on main a duplicate-key refusal of 科目編號
    04020180301 («兩列不知以哪一列為準»); now a totals row like the one with a blank code (field report 7 §1.4):
    right, nothing; one off, totals-row-mismatch at its cell."""
    def edit(last, final):
        def apply(wb):
            ws = wb["以前年度"]
            for c in range(1, ws.max_column + 1):
                ws.cell(6, c).value = ws.cell(5, c).value
            ws["B6"], ws["C6"], ws["D6"] = "合計", last, final
        return apply

    assert _serious(example(tmp_path, edit(147_199, 226_749)), 6) == []
    assert _serious(example(tmp_path, edit(147_199, 226_750), name="off.xlsx"), 6) == [
        ("totals-row-mismatch", "D6", 226_749, 226_750)]


def test_a_transfer_total_row_with_its_code_filled_down_is_no_line(tmp_path, capsys):
    """臺中 轉帳收支 row 2 (32020040101 → 12173500210, 446,000 元) with row 3 typed under it: the codes filled down,
    歲入款 「合計」, 預算數 446,000. On main a second transfer of 446,000; now no line: the export equals the book's."""
    wb = example_workbook("example-taichung")
    base = save(wb, tmp_path / "base.xlsx")
    ws = wb["轉帳收支"]
    assert ws.cell(2, column(ws, "預算數")).value == 446_000 and ws.cell(3, 1).value is None
    for c in range(1, ws.max_column + 1):
        ws.cell(3, c).value = ws.cell(2, c).value
    ws.cell(3, column(ws, "歲入款")).value = "合計"
    ws.cell(3, column(ws, "說明")).value = None
    book = save(wb, tmp_path / "book.xlsx")
    assert _export(book, capsys) == _export(base, capsys)
    assert _serious(book, 3) == []


@pytest.mark.parametrize("sheet, label_column, row", [(SHEET_EXPENSES, "工作計畫名稱", 79), (SHEET_EXPENSES, "分支計畫", 79),
                                                      ("歲入明細", "科目名稱", 5)])
def test_a_total_row_with_a_blank_amount_is_said(tmp_path, capsys, sheet, label_column, row):
    """A 合計 row typed under the lines with its 預算數 left blank (its code and names filled down, nothing else): no
    line, the figures right (歲出機關別預算表 275,795 千元, seed; 臺中 歲入來源別預算表 74 千元, 12,000 + 60,000 + 2,000 元),
    and now an info finding at its 預算數 cell saying it is left out with nothing to check. Red on main: nothing said
    (check_totals passed over a blank total without a word)."""
    wb = example_workbook("example-taichung" if sheet == "歲入明細" else "example")
    ws = wb[sheet]
    assert ws.cell(row, 1).value is None and ws.cell(row - 1, 1).value is not None
    for c in range(1, ws.max_column + 1):
        ws.cell(row, c).value = ws.cell(row - 1, c).value
    for name in ("數量", "單價", "預算數", "收支併列數", "說明"):
        if name in [c.value for c in ws[1]]:
            ws.cell(row, column(ws, name)).value = None
    ws.cell(row, column(ws, label_column)).value = "合計"
    book = save(wb, tmp_path / "book.xlsx")
    code, records = _export(book, capsys)
    assert code == 0
    if sheet == "歲入明細":
        assert _first(records, "歲入來源別預算表") == REVENUE // 1000
    else:
        assert _first(records, "歲出機關別預算表") == 275_795
    found = check_workbook(openpyxl.load_workbook(book)).findings
    amount = openpyxl.utils.get_column_letter(column(ws, "預算數"))
    said = [(f.rule, f.severity, f.cell.sheet, f.cell.cell) for f in found if f.cell and f.cell.cell.endswith(str(row))
            and f.cell.sheet == sheet]
    assert said == [("totals-row-blank", Severity.INFO, sheet, f"{amount}{row}")], said
