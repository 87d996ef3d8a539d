"""Hand-made books as a "PDF to Excel" converter gives them back, one sheet a printed page (FIELD-REPORT-5 §2.1).

各項費用彙計表 with its plans printed over pages of columns: each page repeats the title, the unit, the header
and the labels, and carries some plan columns (合計 on the last page, or the first). The book is the example's
built tables (test_printed_field.printed_copy); its 彙計表 (千元): 合計 43,769 (32020180101 行政管理) + 232,026
(32020183201 數位發展計畫) = 275,795; 200900 通訊費 100 + 11,310 = 11,410 (明細表: 通訊費 of 數位發展計畫 11,310,000 元).
On main before the pages were joined, check took each page as a whole table: 110 errors on the right book.
"""

from __future__ import annotations

import pytest

from xlbudget.adapters.xlsxfile import workbook_sheets
from xlbudget.core.findings import Severity
from xlbudget.readers.printed import read_tables

from test_printed_field import SUMMARY, check_workbook, found, printed_copy
from test_printed_field import built  # noqa: F401  (the fixture)


def _split_columns(wb, pages: list[list[int]], order=None):
    """The 彙計表 cut into sheets 各項費用彙計表(1), (2)…: each the label column A and the columns ``pages[i]``
    (1-based), title, unit and header repeated, as a converter gives back a table printed over pages of plans.
    ``order`` puts the sheets in another order (a converter may not)."""
    src = wb[SUMMARY]
    rows = [list(r) for r in src.iter_rows(values_only=True)]
    names = []
    for i, cols in enumerate(pages, 1):
        ws = wb.create_sheet(f"{SUMMARY}({i})", wb.sheetnames.index(SUMMARY) + i)
        for r in rows:
            ws.append([r[0]] + [r[c - 1] for c in cols])
        ws.cell(4, 1).value = None
        ws.cell(4, len(cols) + 1).value = "單位：新臺幣千元"  # the unit at each page's right end
        names.append(ws.title)
    del wb[SUMMARY]
    return names


def _row(ws, label: str) -> int:
    return next(r for r in range(1, ws.max_row + 1) if str(ws.cell(r, 1).value or "").strip("\u3000 ") == label)


@pytest.mark.parametrize("pages", [
    [[2], [3, 4]],  # 行政管理 on page 1; 數位發展計畫 and 合計 on page 2
    [[4, 2], [3]],  # 合計 printed first, on page 1
    [[2], [3], [4]],  # a page a column
])
def test_a_summary_printed_over_pages_of_plans_is_one_table(built, pages):
    wb = printed_copy(built)
    _split_columns(wb, pages)
    assert found(wb, tuple(Severity)) == []
    tables, _ = read_tables(list(workbook_sheets(wb, None, "x").values()))
    summary = next(t for t in tables if t.title == SUMMARY)
    total = summary.rows[0]
    assert total.label == "合計"
    assert {k: f.value for k, f in total.figures.items()} == {"32020180101": 43_769, "32020183201": 232_026,
                                                              "合計": 275_795}
    # each figure at its own page's cell: 數位發展計畫 on the page that printed it
    sheet_of = {c: f"{SUMMARY}({i})" for i, cols in enumerate(pages, 1) for c in cols}
    assert total.figures["32020183201"].cell.sheet == sheet_of[3]
    assert len(summary.rows) == len(printed_copy(built)[SUMMARY]["A"]) - 6  # every line once (6 title/header rows)
    assert summary.unjoined == ()


def test_a_summary_cut_over_rows_and_plans_is_one_table(built):
    """Four pages: lines 1–14 of 行政管理, lines 1–14 of 數位發展計畫 and 合計, then the rest of each."""
    wb = printed_copy(built)
    src = wb[SUMMARY]
    rows = [list(r) for r in src.iter_rows(values_only=True)]
    head, body = rows[:6], rows[6:]
    for i, (part, cols) in enumerate([(body[:14], [1, 2]), (body[:14], [1, 3, 4]), (body[14:], [1, 2]),
                                      (body[14:], [1, 3, 4])], 1):
        ws = wb.create_sheet(f"{SUMMARY}({i})")
        for r in head + part:
            ws.append([r[c - 1] for c in cols])
    del wb[SUMMARY]
    assert found(wb, tuple(Severity)) == []


def test_a_typo_on_the_second_page_of_plans_is_named_exactly(built):
    """數位發展計畫 通訊費 11,310 typed 11,300 on page 2: the one error is there (明細表 11,310,000 元 → 11,310 千元);
    合計 11,410 ≠ 100 + 11,300 and 業務費 153,555 are explained by it (check_printed.explain_subtotals)."""
    wb = printed_copy(built)
    _split_columns(wb, [[2], [3, 4]])
    ws = wb[f"{SUMMARY}(2)"]
    r = _row(ws, "200900通訊費")
    assert ws.cell(r, 2).value == 11_310
    ws.cell(r, 2).value = 11_300
    report = check_workbook(wb)
    got = [(f.rule, f.cell.sheet, f.cell.cell, f.expected, f.actual) for f in report.findings
           if f.severity != Severity.INFO]
    assert got == [("thousand-rounding-mismatch", f"{SUMMARY}(2)", f"B{r}", 11_310, 11_300)]


def test_a_line_of_a_page_of_plans_that_matches_no_line_is_named(built):
    """A line of page 2 whose label is on no line of page 1 (通訊費 typed 200950): a warning at it, its figures in
    no sum; never the page taken as a table of its own (tens of errors)."""
    wb = printed_copy(built)
    _split_columns(wb, [[2], [3, 4]])
    ws = wb[f"{SUMMARY}(2)"]
    r = _row(ws, "200900通訊費")
    ws.cell(r, 1).value = "\u3000200950通訊費"
    got = [(f.rule, f.cell.sheet, f.cell.cell) for f in check_workbook(wb).findings
           if f.severity != Severity.INFO]
    # the line unmatched, and the sums it is missing from: page 1's 通訊費 line has no 數位發展計畫 nor 合計 figure
    # (合計欄 ≠ 100, and each should be the 明細表's), 業務費 153,555 and 154,334 are short of it
    p1, p2 = f"{SUMMARY}(1)", f"{SUMMARY}(2)"
    assert sorted(got) == sorted([("half-row-unmatched", p2, f"B{r}"), ("subtotal-mismatch", p1, f"A{r}"),
                                  ("thousand-rounding-mismatch", p1, f"A{r}"), ("thousand-rounding-mismatch", p1, f"A{r}"),
                                  ("subtotal-mismatch", p2, f"B{r - 2}"), ("subtotal-mismatch", p2, f"C{r - 2}")])
