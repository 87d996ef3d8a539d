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

from test_printed_field import DETAIL, SUMMARY, check_workbook, found, printed_copy
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


# ------------------------------------------------------------ §2.3: the 明細表 one sheet a page

# The example's 明細表 (元), rows as built: 6 行政管理's plan line, 8 合計 43,769,000, 10 1000 人事費 42,978,000 (its
# items rows 12–36, 36 the last item of 1055 保險), 37 2000 業務費; 65 數位發展計畫's plan line, 66 its 說明, 67 合計
# 232,026,000; 95 2063 房屋建築養護費 28,000 over its one item, row 96.
HEAD = 5  # agency, title, year, unit, header: repeated on each page


def _detail_pages(wb, cuts, plan_line=True, carry=False, drop=()):
    """The 明細表 cut into sheets Table 1, Table 2…, a page starting at each row of ``cuts`` (as built): each page
    repeats the agency, title, year, unit and header, and (``plan_line``) the plan line of the plan it carries on;
    with ``carry``, a 承上頁 row at a page's top and a 轉下頁 at its foot carry the running total of the plan's item
    lines, as printed books do. ``drop``: rows the converter lost. Returns the sheets' names."""
    src = wb[DETAIL]
    rows = [list(r) for r in src.iter_rows(values_only=True)]
    head, bounds = rows[:HEAD], [HEAD + 1, *cuts, len(rows) + 1]
    plan, run, names = None, 0, []
    for i, (first, stop) in enumerate(zip(bounds, bounds[1:]), 1):
        ws = wb.create_sheet(f"Table {i}")
        names.append(ws.title)
        for r in head:
            ws.append(r)
        page = [rows[n - 1] for n in range(first, stop) if n not in drop]
        if i > 1 and plan_line and plan and not str(page[0][0] or "").startswith("業務計畫"):
            ws.append(plan)
        if i > 1 and carry:
            ws.append(["承上頁", None, None, None, run, None])
        for r in page:
            if str(r[0] or "").startswith("業務計畫"):
                plan, run = r, 0
            elif r[1] is not None and r[4] is not None:  # an item line (單位 printed): the running total
                run += int(r[4])
            ws.append(r)
        if stop <= len(rows) and carry:
            ws.append(["轉下頁", None, None, None, run, None])
    del wb[DETAIL]
    return names


def _all(wb):
    return [(f.rule, f.cell.sheet, f.cell.cell) for f in check_workbook(wb).findings]


@pytest.mark.parametrize("plan_line", [True, False])
@pytest.mark.parametrize("carry", [True, False])
def test_a_detail_cut_one_sheet_a_page_checks_clean(built, plan_line, carry):
    """Pages cut inside 1055 保險 (its last item on page 2), under 數位發展計畫's plan line (its lines on page 3) and
    inside 2063: with or without the plan line repeated, with or without 承上頁／轉下頁 rows, the right book gives
    no finding at all (main: 9 errors with the carry rows, 46 without the plan line)."""
    wb = printed_copy(built)
    _detail_pages(wb, [36, 67, 96], plan_line, carry)
    assert _all(wb) == []


def test_a_carry_row_is_held_to_the_running_total(built):
    """Page 1 ends with 1000 人事費's last item: 轉下頁 = 42,978,000, the 人事費 line (seed). Typed 42,978,100, it is the
    one finding, a warning at its cell naming 42,978,000; its 承上頁 on page 2, right, says nothing."""
    wb = printed_copy(built)
    _detail_pages(wb, [37], carry=True)
    ws = wb["Table 1"]
    r = ws.max_row
    assert (ws.cell(r, 1).value, ws.cell(r, 5).value) == ("轉下頁", 42_978_000)
    assert _all(wb) == []
    ws.cell(r, 5).value = "42,978,100"
    report = check_workbook(wb)
    assert [(f.rule, f.cell.sheet, f.cell.cell, f.expected, f.actual) for f in report.findings] == [
        ("carry-row-mismatch", "Table 1", f"E{r}", 42_978_000, 42_978_100)]


@pytest.mark.parametrize("word", ["接次頁", "續次頁", "轉次頁"])
def test_other_carry_words_are_carry_rows(built, word):
    wb = printed_copy(built)
    _detail_pages(wb, [37], carry=True)
    ws = wb["Table 1"]
    ws.cell(ws.max_row, 1).value = word
    ws2 = wb["Table 2"]
    r = next(r for r in range(1, ws2.max_row + 1) if ws2.cell(r, 1).value == "承上頁")
    ws2.cell(r, 1).value = {"接次頁": "接上頁", "續次頁": "續上頁", "轉次頁": "承前頁"}[word]
    assert _all(wb) == []


def test_a_page_that_opens_a_plan_whose_line_was_lost_is_named(built):
    """The converter lost 數位發展計畫's plan line and 說明 (rows 65–66, the top of page 3): its lines cannot join 行政管理
    (which has its 合計): one warning at page 3's first line, 合計 (rows 67–144 are in no plan), and the 彙計表 is not
    held to a 明細表 whose plans are not known: never 40-odd errors quoting 0 元."""
    wb = printed_copy(built)
    last = wb[DETAIL].max_row
    _detail_pages(wb, [36, 65], plan_line=False, drop=(65, 66))
    ws = wb["Table 3"]
    assert ws.cell(HEAD + 1, 1).value == "合計"
    report = check_workbook(wb)
    got = [(f.rule, f.cell.sheet, f.cell.cell) for f in report.findings]
    assert got == [("lines-without-plan", "Table 3", f"A{HEAD + 1}")]
    assert report.findings[0].message.count(f"{last - 66} 列") == 1


def test_a_typo_on_a_page_without_the_plan_line_is_found_exactly(built):
    """2063 房屋建築養護費 of 數位發展計畫: its item (row 96) typed 29,000 (單價 too) on page 4, its 二級 28,000 on page 3:
    the one error is the 二級's (28,000 ≠ 29,000), with or without the carry rows."""
    for carry in (False, True):
        wb = printed_copy(built)
        ws = wb[DETAIL]
        assert (ws.cell(95, 5).value, ws.cell(96, 5).value) == (28_000, 28_000)
        ws.cell(96, 4).value = ws.cell(96, 5).value = 29_000
        _detail_pages(wb, [36, 67, 96], plan_line=False, carry=carry)
        report = check_workbook(wb)
        got = [(f.rule, f.cell.sheet, f.expected, f.actual) for f in report.findings]
        assert got == [("subtotal-mismatch", "Table 3", 29_000, 28_000)], carry
        ws3 = wb["Table 3"]
        assert str(ws3[report.findings[0].cell.cell].offset(0, -4).value).strip("\u3000 ") == "2063 房屋建築養護費"


def test_a_carry_row_in_another_table_is_said_and_not_summed(built):
    """The 彙計表 cut over lines, 轉下頁／承上頁 rows carrying its 合計 column's running figure: each an info at its
    label, never a line (nor a heading holding the lines below it)."""
    wb = printed_copy(built)
    ws = wb[SUMMARY]
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    del wb[SUMMARY]
    p1, p2 = wb.create_sheet(f"{SUMMARY}(1)"), wb.create_sheet(f"{SUMMARY}(2)")
    for r in rows[:20]:
        p1.append(r)
    p1.append(["轉下頁", None, None, 50_000])
    for r in rows[:6]:
        p2.append(r)
    p2.append(["承上頁", None, None, 50_000])
    for r in rows[20:]:
        p2.append(r)
    assert _all(wb) == [("carry-row-skipped", f"{SUMMARY}(1)", "A21"), ("carry-row-skipped", f"{SUMMARY}(2)", "A7")]


def test_a_carry_word_under_the_note_column_and_an_item_noted_so(built):
    """轉下頁 typed under 說明 (its label blank) is a carry row as well; an item line whose 說明 reads （承上頁） (1055
    保險's last item, 363,276, on page 2) prints 單位 and 數量: still a line, in 1055 保險 2,606,856 (seed)."""
    wb = printed_copy(built)
    ws = wb[DETAIL]
    assert ws.cell(36, 5).value == 363_276
    ws.cell(36, 6).value = "（承上頁）"
    _detail_pages(wb, [36], carry=True)
    ws = wb["Table 1"]
    ws.cell(ws.max_row, 1).value, ws.cell(ws.max_row, 6).value = None, "轉下頁"
    assert _all(wb) == []
    ws.cell(ws.max_row, 5).value += 1  # the carry row is read, and held to the running total
    assert [f.rule for f in check_workbook(wb).findings] == ["carry-row-mismatch"]


def test_a_page_of_plans_read_nowhere_is_named_and_not_taken_for_zero(built):
    """The 彙計表's second page kept without title nor labels (數位發展計畫 and 合計 alone): the page is sheet-unread, and
    the 一級用途別科目分析表 is not held to a 數位發展計畫 column the 彙計表 was not read with (it printed 業務費 153,555
    and 設備及投資 78,471 for it: compared with 0, two errors); the plan it lacks is said once (summary-plan-missing,
    the 彙計表 without a plan is never silent: test_a_summary_printed_without_a_plan_says_so)."""
    wb = printed_copy(built)
    rows = [list(r) for r in wb[SUMMARY].iter_rows(values_only=True)]
    p1, p2 = wb.create_sheet(f"{SUMMARY}(1)"), wb.create_sheet("工作表2")
    for r in rows:
        p1.append(r[:2])
        p2.append(r[2:4])
    del wb[SUMMARY]
    got = [(f.rule, f.cell.sheet) for f in check_workbook(wb).findings]
    assert sorted(got) == [("sheet-unread", "工作表2"), ("summary-plan-missing", "歲出一級用途別科目分析表")]


def test_a_summary_printed_without_a_plan_says_so(built):
    """The 彙計表 printed with 行政管理's column alone (數位發展計畫's column and 合計 left out, one sheet): the book's
    彙計表 lacks a plan of 232,026 千元 (the seed book's 各項費用彙計表, 32020183201 合計). Before 905357d the
    一級用途別科目分析表 check named it (業務費 153,555 and 設備及投資 78,471 «應等於「各項費用彙計表」的 0»); after, check
    said nothing at all (exit 0). One finding at the 一級 table's plan line names the plan and the 彙計表."""
    wb = printed_copy(built)
    ws = wb[SUMMARY]
    assert ws.cell(5, 3).value.startswith("32020183201") and ws.cell(5, 4).value == "合計"
    assert ws.cell(7, 3).value == 232_026
    ws.delete_cols(3, 2)
    findings = check_workbook(wb).findings
    assert [(f.rule, f.cell.sheet, f.severity) for f in findings] == [
        ("summary-plan-missing", "歲出一級用途別科目分析表", Severity.ERROR)]
    assert "32020183201" in findings[0].message and "各項費用彙計表" in findings[0].message
