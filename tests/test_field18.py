"""Field report 18: hand-made printed books laid out in ways nobody planned for.

Each test starts from the hand-made book (the example built, its input sheets removed: tests/built_books), changes
its layout as an officer does, and checks it. Expected figures are the example book's, worked by hand below.
"""

from __future__ import annotations

import io

import openpyxl
import pytest

from built_books import handmade_workbook

from xlbudget.app.check import check_file


@pytest.fixture(scope="module")
def handmade_bytes() -> bytes:
    out = io.BytesIO()
    handmade_workbook().save(out)
    return out.getvalue()


@pytest.fixture
def book(handmade_bytes):
    return openpyxl.load_workbook(io.BytesIO(handmade_bytes))


def _said(wb, tmp_path, *rules):
    wb.save(tmp_path / "手製.xlsx")
    return [(f.rule, f"{f.cell.sheet}!{f.cell.cell}", f.expected, f.actual)
            for f in check_file(tmp_path / "手製.xlsx")[0].findings if f.rule in rules]


# ------------------------------------------- §1.1 an amount column headed otherwise, read and held to no rule

@pytest.mark.parametrize("heading", ["比較增減", "增減", "本年度與上年度比較增減"])
def test_a_wrong_comparison_under_another_heading_is_named(book, tmp_path, heading):
    """歲出機關別預算表's 本年度與上年度比較 headed 「比較增減」 (or 「增減」): 32020180101 行政管理 prints 本年度 43,769 and
    上年度 41,366 千元, so its 比較 is 43,769 − 41,366 = 2,403; typed 9,999, check said «錯誤 0、警告 0» (the column was
    read under its own heading, which no rule reads)."""
    ws = book["歲出機關別預算表"]
    assert (ws["E10"].value.strip(), ws["F10"].value, ws["G10"].value, ws["I10"].value) == (
        "32020180101 行政管理", 43769, 41366, 2403)
    ws["I5"] = heading
    assert _said(book, tmp_path, "comparison-mismatch", "column-unchecked") == []
    ws["I10"] = 9999
    assert _said(book, tmp_path, "comparison-mismatch", "column-unchecked") == [
        ("comparison-mismatch", "歲出機關別預算表!I10", 2403, 9999)]


def test_budget_columns_headed_without_their_last_word_and_under_a_group_are_read(book, tmp_path):
    """「本年度預算」「上年度預算」 for 本年度預算數 and 上年度預算數, under a third header row 「金額」 over F:I: read as the
    table's own columns (the table was said unreadable, and none of its figures checked), so 行政管理's wrong 本年度
    (43,000 typed for 43,769) is named against 各項費用彙計表's 行政管理 合計, 43,769."""
    ws = book["歲出機關別預算表"]
    for merged in list(ws.merged_cells.ranges):
        ws.unmerge_cells(str(merged))
    ws["F5"], ws["G5"] = "本年度預算", "上年度預算"
    ws.insert_rows(5)
    ws["F5"] = "金額"
    ws.merge_cells("F5:I5")
    assert _said(book, tmp_path, "comparison-mismatch", "table-unreadable", "column-unchecked") == []
    ws["F11"] = 43000
    assert _said(book, tmp_path, "cross-table-mismatch", "table-unreadable") == [
        ("cross-table-mismatch", "歲出機關別預算表!F11", 43769, 43000)]


@pytest.mark.parametrize("two_rows", [True, False])
def test_a_wrong_staffing_change_under_another_heading_is_named(book, tmp_path, two_rows):
    """員額編制表's 與上年度預算員額比較增減 headed as 新北 and 臺中 print it, 「與上年度預算」 over 「員額比較增減」 on two
    rows (reference books), or 「比較增減」: 職員 36 this year and 36 last, so its 比較 is 0; typed 5, check said nothing."""
    ws = book["員額編制表"]
    assert [c.value for c in ws[8]][:5] == ["職員", 38, 36, 36, 0]
    if two_rows:
        ws.insert_rows(6)
        ws["A5"], ws["E5"], ws["E6"] = "類別", "與上年度預算", "員額比較增減"
        row = 9
    else:
        ws["E5"] = "比較增減"
        row = 8
    assert _said(book, tmp_path, "comparison-mismatch", "column-unchecked") == []
    ws[f"E{row}"] = 5
    assert _said(book, tmp_path, "comparison-mismatch") == [("comparison-mismatch", f"員額編制表!E{row}", 0, 5)]


def test_an_amount_column_no_rule_reads_is_named_at_its_heading(book, tmp_path):
    """A 「頁次」 column beside 機關別's 說明 (K), or a heading xlbudget does not know: its figures are in no sum, and
    check says so at the heading, never a silent pass."""
    ws = book["歲出機關別預算表"]
    ws["K5"] = "頁次"
    for r in range(7, 13):
        ws.cell(r, 11).value = 20 + r
    assert _said(book, tmp_path, "column-unchecked") == [("column-unchecked", "歲出機關別預算表!K5", None, None)]


def test_a_wrong_contract_total_under_another_heading_is_named(book, tmp_path):
    """約聘僱人員費用分析表's 全年度預算數 headed 「預算數」: 一般行政 (H10) prints 7,115,000 元, the sum of its one
    工作計畫 行政管理 (H11, 7,115,000); typed 7,000,000, check said «錯誤 0、警告 0»."""
    ws = book["約聘僱人員費用分析表"]
    assert (ws["H5"].value, ws["E10"].value.strip(), ws["H10"].value, ws["H11"].value) == (
        "全年度預算數", "32020180100 一般行政", 7115000, 7115000)
    ws["H5"] = "預算數"
    assert _said(book, tmp_path, "subtotal-mismatch", "column-unchecked") == []
    ws["H10"] = 7000000
    assert _said(book, tmp_path, "subtotal-mismatch") == [("subtotal-mismatch", "約聘僱人員費用分析表!H10", 7115000, 7000000)]


# ------------------------------------------- §1.3 the unit line typed among the header's rows, or under them

def _unmerged(ws):
    for merged in list(ws.merged_cells.ranges):
        ws.unmerge_cells(str(merged))
    return ws


def test_a_unit_line_under_the_header_is_the_unit_not_a_column_heading(book, tmp_path):
    """歲出一級用途別科目分析表's 「單位：新臺幣千元」 moved from N4 to the row under the header, below 資本支出 小計 (N7):
    the column was read as 「資本支出/小計/單位:新臺幣千元」, and every right 合計 and 小計 was blamed (B8 «應為所屬各項合計
    197,324», 275,795 printed). Read as the unit, a wrong 小計 is named alone: 32020180000 行政支出's 資本支出 小計 is
    its one plan's, 32020183200 數位發展計畫 78,471 (N12); typed 1."""
    ws = _unmerged(book["歲出一級用途別科目分析表"])
    assert (ws["N4"].value, ws["N8"].value, ws["A11"].value.strip(), ws["N11"].value) == (
        "單位：新臺幣千元", 78471, "32020183200 數位發展計畫", 78471)
    ws["N4"] = None
    ws.insert_rows(7)
    ws["N7"] = "單位：新臺幣千元"
    assert [f for f in _said(book, tmp_path, "subtotal-mismatch", "totals-row-mismatch")] == []
    ws["N9"] = 1
    assert _said(book, tmp_path, "subtotal-mismatch", "totals-row-mismatch") == [
        ("subtotal-mismatch", "歲出一級用途別科目分析表!N9", 78471, 1)]


def test_a_unit_line_under_the_header_says_the_table_is_in_yuan(book, tmp_path):
    """歲出機關別預算表 printed in 元 (each figure × 1,000: 行政管理 43,769,000), its 「單位：新臺幣元」 under the header (J7,
    under 說明): read as 千元 before (its default), every 本年度 «應等於「各項費用彙計表」的 43,769» and table-in-yuan."""
    ws = _unmerged(book["歲出機關別預算表"])
    ws["J4"] = None
    ws.insert_rows(7)
    ws["J7"] = "單位：新臺幣元"
    for r in range(8, 14):
        for c in range(6, 10):
            if isinstance(ws.cell(r, c).value, int):
                ws.cell(r, c).value *= 1000
    assert ws["F11"].value == 43769000
    wb_path = tmp_path / "手製.xlsx"
    book.save(wb_path)
    assert [f.rule for f in check_file(wb_path)[0].findings if f.severity.name in ("ERROR", "WARNING")] == []


# ------------------------------------------- §1.4 比較 printed blank where 本年度 and 上年度 differ

def test_a_comparison_column_left_blank_is_named_at_each_cell_that_differs(book, tmp_path):
    """歲出機關別預算表 with its 本年度與上年度比較 left blank on every line (the officer filled 本年度 and 上年度 only):
    a printed blank is a 0, yet 本年度 − 上年度 is 275,795 − 144,399 = 131,396 on the 主管 and 機關 lines, 43,769 −
    41,366 = 2,403 on 一般行政 and 行政管理, 232,026 − 103,033 = 128,993 on 數位發展計畫's two; check said «錯誤 0»."""
    ws = book["歲出機關別預算表"]
    for r in range(7, 13):
        ws.cell(r, 9).value = None
    assert _said(book, tmp_path, "comparison-mismatch") == [
        ("comparison-mismatch", f"歲出機關別預算表!I{r}", change, None)
        for r, change in zip(range(7, 13), (131396, 131396, 2403, 2403, 128993, 128993))]


def test_a_staffing_change_left_blank_is_named_where_the_two_years_differ(book, tmp_path):
    """員額編制表 with 上年度 駕駛 1 (D12; 合計 D6 40) and its 比較增減 column blank: 駕駛 0 − 1 = −1 and 合計 39 − 40 = −1
    print blank; the other classes' 0 − 0 and 36 − 36 may (a blank is 0)."""
    ws = book["員額編制表"]
    assert (ws["A12"].value, ws["C12"].value, ws["C6"].value, ws["D6"].value) == ("駕駛", 0, 39, 39)
    ws["D12"], ws["D6"] = 1, 40
    for r in range(6, 14):
        ws.cell(r, 5).value = None
    assert _said(book, tmp_path, "comparison-mismatch") == [("comparison-mismatch", "員額編制表!E6", -1, None),
                                                           ("comparison-mismatch", "員額編制表!E12", -1, None)]
