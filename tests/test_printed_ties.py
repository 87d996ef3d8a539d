"""Hand-made printed books: ties check missed (field report 10 §3.3–3.7), each on the bundled example built and
stripped of its input sheets (built_books.handmade_workbook: the seed's figures, 0 errors), one mutation at a time.

Expected figures are the seed's (../shared/seed/000_9c62b59cf9023585.txt) or a hand calculation written in the test.
"""

from __future__ import annotations

import pytest
from built_books import handmade_workbook

from xlbudget.adapters.xlsxfile import workbook_sheets
from xlbudget.rules.checks import check_printed_sheets

STAFFING = "員額編制表"


def _findings(wb, severities=("error", "warning")):
    return [f for f in check_printed_sheets(workbook_sheets(wb, None, "手製.xlsx"), "手製.xlsx").findings
            if f.severity.value in severities]


def _row(ws, label: str) -> int:
    """The first row whose label (column A, its indentation aside) begins with ``label``."""
    return next(r for r in range(1, ws.max_row + 1) if str(ws.cell(r, 1).value or "").strip().startswith(label))


def _on(found, sheet):
    return [(f.rule, f.cell.cell, f.expected, f.actual) for f in found if f.cell is not None and f.cell.sheet == sheet]


def test_the_seed_printed_book_passes_every_new_tie():
    """The seed is right: its printed tables give no error and no warning."""
    assert _findings(handmade_workbook()) == []


# 員額編制表 (seed): 合計 法定 42 | 本年度 39 | 上年度 39 | 比較 0; 職員 38 | 36 | 36 | 0. Its 「單位：人」 line over the
# header was read as part of the header (the 比較 column's key began 「單位:人/」), so check_staffing's
# 比較 = 本年度 − 上年度 never found its column: every 比較 passed.
@pytest.mark.parametrize("edits, expected", [
    ({"E6": 1}, [("comparison-mismatch", "E6", 0, 1)]),                       # 39 − 39 = 0, typed 1
    ({"E8": -2, "E6": -2}, [("comparison-mismatch", "E6", 0, -2), ("comparison-mismatch", "E8", 0, -2)]),
    ({"D8": 35, "D6": 38}, [("comparison-mismatch", "E6", 1, 0), ("comparison-mismatch", "E8", 1, 0)]),  # 36 − 35
])
def test_staffing_comparison_is_current_less_prior(edits, expected):
    """Red on main (0 findings for each): the 比較 column never read under its own name."""
    wb = handmade_workbook()
    ws = wb[STAFFING]
    assert [ws[c].value for c in ("C6", "D6", "E6", "C8", "D8", "E8")] == [39, 39, 0, 36, 36, 0]
    assert ws["E4"].value == "單位：人"
    for cell, value in edits.items():
        ws[cell] = value
    assert _on(_findings(wb), STAFFING) == expected


REVENUE, REVENUE_DETAIL = "歲入來源別預算表", "歲入項目說明提要與預算明細表"


def test_revenue_sources_are_held_to_the_revenue_detail():
    """Seed: 09020180102 計畫型補助收入 本年度 57,019 千元 (歲入來源別預算表 F16) = 57,019,000 元 (歲入明細表 E9, 合計
    E8); 上年度 2,800. Typed 57,091 on the 節 and, to keep the table adding up, on 目/項/款/經常門合計/合計, with 比較
    57,091 − 2,800 = 54,291 on each: the table is right in itself and wrong against its detail, at the 節 (the rows
    above it follow from it). Red on main: no finding at all."""
    wb = handmade_workbook()
    ws = wb[REVENUE]
    assert [ws[c].value for c in ("F16", "G16", "I16")] == [57_019, 2_800, 54_219]
    assert wb[REVENUE_DETAIL]["E9"].value == 57_019_000
    for r in (16, 15, 14, 13, 8, 7):
        ws[f"F{r}"], ws[f"I{r}"] = 57_091, 54_291
    found = _findings(wb)
    assert [(f.rule, f.cell.sheet, f.cell.cell, f.expected, f.actual) for f in found] == [
        ("thousand-rounding-mismatch", REVENUE, "F16", 57_019, 57_091)]
    assert [c.cell for c in found[0].related] == ["E8"] and found[0].related[0].sheet == REVENUE_DETAIL


def test_revenue_detail_in_yuan_rounds_to_the_thousand():
    """歲入明細表 57,019,000 → 57,019,499 (單價, line and 合計; 收支併列 made to match in the 明細表's notes is not
    this test's concern, so only the revenue tie is looked at): 57,019,499 元 rounds to 57,019 千元, no finding on
    the 歲入來源別預算表; 57,019,500 rounds to 57,020 (half away from zero; its heading's 預算金額 typed 57,020 too):
    F16 應為 57,020."""
    for amount, expected in ((57_019_499, []), (57_019_500, [("thousand-rounding-mismatch", "F16", 57_020, 57_019)])):
        wb = handmade_workbook()
        ws = wb[REVENUE_DETAIL]
        for cell in ("D9", "E9", "E8"):
            ws[cell] = amount
        ws["A6"] = ws["A6"].value.replace("57,019千元", f"{(amount + 500) // 1000:,}千元")
        assert _on(_findings(wb), REVENUE) == expected


def test_a_revenue_detail_that_disagrees_with_itself_is_no_source():
    """歲入明細表 line E9 and 合計 E8 typed 57,091,000, its 單價 D9 (57,019,000 × 1) and heading's 預算金額 57,019 千元
    left: the 明細表 disagrees with itself, and the 歲入來源別預算表's 57,019 agrees with two of its three figures.
    F16 is not told 應為 57,091 (it is right); the 明細表 is named by its own rules."""
    wb = handmade_workbook()
    ws = wb[REVENUE_DETAIL]
    assert "57,019千元" in ws["A6"].value and ws["D9"].value == 57_019_000
    ws["E9"] = ws["E8"] = 57_091_000
    found = _findings(wb)
    assert _on(found, REVENUE) == []
    assert ("item-product-mismatch", "E9", 57_019_000, 57_091_000) in _on(found, REVENUE_DETAIL)


def test_a_revenue_code_printed_in_one_table_only_is_said_on_both():
    """The 明細表's line and heading typed 09020180101 for 09020180102: neither table's 科目 has its counterpart, so
    neither is compared with 0: each is named (revenue-code-unmatched) at its amount. Red on main: no finding."""
    wb = handmade_workbook()
    ws = wb[REVENUE_DETAIL]
    for cell in ("A6", "A9"):
        ws[cell] = ws[cell].value.replace("09020180102", "09020180101")
    found = [(f.rule, f.cell.sheet, f.cell.cell) for f in _findings(wb) if f.rule == "revenue-code-unmatched"]
    assert found == [("revenue-code-unmatched", REVENUE, "F16"), ("revenue-code-unmatched", REVENUE_DETAIL, "E8")]


STAFF, SUMMARY = "人事費彙計表", "各項費用彙計表"


@pytest.mark.parametrize("pay, total", [
    # 370 → 073 inside the same 千元: 25,356,370 − 297; N9/N8 33,934,943 − 297 = 33,934,646; N7 42,978,000 − 297
    (25_356_073, (33_934_646, 42_977_703)),
    # 25,365,370 (+9,000): N9/N8 33,934,943 + 9,000 = 33,943,943; N7 42,987,000 (field report 10 §2.2's f01)
    (25_365_370, (33_943_943, 42_987_000)),
])
def test_staff_costs_are_held_to_the_detail_in_yuan(pay, total):
    """Seed 明細表: 1015 法定編制人員待遇 one line 25,356,370 元, 1000 人事費 42,978,000 元; 人事費彙計表 職員 E9,
    正式員額 E8, 合計 E7 25,356,370, N9/N8 33,934,943, N7 42,978,000. The officer's slip in E9 with every total made
    to agree is found on the 人事費彙計表 in 元 against the 明細表, the two tables that print 元, never on the right
    各項費用彙計表. Red on main: the first passed (0 findings: 25,356 千元 either way), the second was blamed on
    各項費用彙計表!D9 and D8 with the wrong figures 25,365 and 42,987."""
    wb = handmade_workbook()
    ws = wb[STAFF]
    assert [ws[c].value for c in ("E7", "E8", "E9", "N8", "N9", "N7")] == [
        25_356_370, 25_356_370, 25_356_370, 33_934_943, 33_934_943, 42_978_000]
    for cell in ("E7", "E8", "E9"):
        ws[cell] = pay
    ws["N8"] = ws["N9"] = total[0]
    ws["N7"] = total[1]
    found = _findings(wb)
    assert _on(found, STAFF) == [("cross-table-mismatch", "E7", 25_356_370, pay),
                                 ("cross-table-mismatch", "N7", 42_978_000, total[1])]
    assert _on(found, SUMMARY) == []
    assert {c.sheet for f in found for c in f.related} == {"歲出計畫說明提要與各項費用明細表"}


def test_a_staff_table_printed_in_thousands_is_not_held_to_the_detail_in_yuan():
    """A 人事費彙計表 printed in 千元 (its 單位 line 「單位：新臺幣千元」, every amount rounded: E7 25,356, N7 42,978)
    in a book without 各項費用彙計表: its figures are not 元, so the 明細表's 元 (25,356,370) is no 應為 for them. Red
    before the tie asked for 元: cross-table-mismatch on each of the nine 合計 columns, «應為 25,356,370 … 25,356»."""
    wb = handmade_workbook()
    ws = wb[STAFF]
    for row in ws.iter_rows():
        for c in row:
            if isinstance(c.value, str) and c.value.startswith("單位"):
                c.value = "單位：新臺幣千元"
            elif isinstance(c.value, int) and c.column > 2 and c.value >= 1000:
                c.value = (c.value + 500) // 1000  # half up, as to_thousands rounds a positive 元
    assert (ws["E7"].value, ws["N7"].value) == (25_356, 42_978)
    del wb[SUMMARY]
    assert [f for f in _findings(wb) if f.rule == "cross-table-mismatch" and f.cell.sheet == STAFF] == []


CAPITAL = "資本支出分析表"


def test_capital_columns_are_held_to_the_summary_object_lines():
    """Seed: 資本支出分析表 合計 B7/B8/B9 78,471, all under 資訊軟硬體設備 (H7, H8, H9); 各項費用彙計表 303000
    資訊軟硬體設備費 78,471 in 32020183201 (C32), no 3020 機械設備 line. The whole 78,471 moved to 機械設備 (F) on the
    plan's row 9 and its totals (rows 7, 8): every sum still adds up. Red on main: no finding."""
    wb = handmade_workbook()
    ws = wb[CAPITAL]
    assert [ws[c].value for c in ("B9", "F9", "H9")] == [78_471, None, 78_471]
    assert wb[SUMMARY]["C32"].value == 78_471
    for r in (7, 8, 9):
        ws[f"F{r}"], ws[f"H{r}"] = 78_471, None
    found = _on(_findings(wb), CAPITAL)
    # H9 is blank now in every row: its 0 is named at the plan's label
    assert found == [("cross-table-mismatch", "A9", 78_471, 0), ("cross-table-mismatch", "F9", 0, 78_471)]


def test_a_capital_figure_under_the_wrong_column_is_named_at_both_cells():
    """Only the plan's row 9 moved (F9 78,471, H9 blank; rows 7 and 8 still print H): F9 應為 0 and H9 應為 78,471
    (彙計表 C32), H9's column known from H8; row 8 no longer adds up to its plan (subtotal-mismatch, already said)."""
    wb = handmade_workbook()
    ws = wb[CAPITAL]
    ws["F9"], ws["H9"] = 78_471, None
    ties = [f for f in _findings(wb) if f.rule == "cross-table-mismatch"]
    assert [(f.cell.sheet, f.cell.cell, f.expected, f.actual) for f in ties] == [
        (CAPITAL, "F9", 0, 78_471), (CAPITAL, "H9", 78_471, 0)]
    assert [str(c) for c in ties[1].related] == [f"手製.xlsx:{SUMMARY}!C32"]


TRIPS = "派員出國計畫預算總表"


@pytest.mark.parametrize("edits, expected", [
    # 合計 C12 typed 4人x12天 under its one row 考察 4人x10天
    ({"C12": "4人x12天"}, [("subtotal-mismatch", "C12", "4人x10天", "4人x12天")]),
    # 考察 and 合計 typed 4人x12天: the 類別表's one 考察 trip is 擬派人數 4 (G8) x 預計天數 10 (F8)
    ({"C6": "4人x12天", "C12": "4人x12天"}, [("cross-table-mismatch", "C6", "4人x10天", "4人x12天")]),
    # the same trip as its person-days, 4 x 10 = 40: right
    ({"C6": "40人天", "C12": "40人天"}, []),
    # 4 x 12 = 48 person-days: wrong, as 4人x12天
    ({"C6": "48人天", "C12": "48人天"}, [("cross-table-mismatch", "C6", "4人x10天", "48人天")]),
    # full-width and spaced as typed by hand: still 4 x 10
    ({"C6": "４ 人 × １０ 天", "C12": "4人X10天"}, []),
])
def test_trip_person_days_are_held_to_the_class_table(edits, expected):
    """Seed 派員出國計畫預算總表: 考察 C6 and 合計 C12 「4人x10天」; 類別表 參與國際展會 預計天數 10 (F8), 擬派人數 4
    (G8). Red on main: every case passed with no finding."""
    wb = handmade_workbook()
    ws = wb[TRIPS]
    assert (ws["C6"].value, ws["C12"].value) == ("4人x10天", "4人x10天")
    kinds = next(n for n in wb.sheetnames if n.startswith("派員出國計畫預算類別表"))
    assert (wb[kinds]["F8"].value, wb[kinds]["G8"].value) == (10, 4)
    for cell, value in edits.items():
        ws[cell] = value
    assert _on(_findings(wb), TRIPS) == expected


def test_unreadable_person_days_are_said_not_passed():
    """「四人十天」 is no 人x天: named at its cell (trip-days-unreadable), never taken as right."""
    wb = handmade_workbook()
    wb[TRIPS]["C6"] = "四人十天"
    found = [(f.rule, f.cell.cell) for f in _findings(wb, ("unverifiable",)) if f.cell.sheet == TRIPS]
    assert found == [("trip-days-unreadable", "C6")]


@pytest.mark.parametrize("dash", ["-", "－", "—", "0"])
def test_a_class_with_no_trips_printed_as_a_zero_is_read_as_none(dash):
    """A zero printed as the books print it beside an amount (新北's tables: 「-」): 訪問 (row 7) with no trip, and
    上年度 (E–G) with none at all; nothing to say. Red before _person_days read a printed zero: trip-days-unreadable
    at C7, F6 and F12 (unverifiable, 「人天「-」無法讀出人數與天數」) on a right book."""
    wb = handmade_workbook()
    ws = wb[TRIPS]
    for cell in ("B7", "C7", "D7", "E6", "F6", "G6", "E12", "F12", "G12"):
        ws[cell] = dash
    assert [f for f in _findings(wb, ("error", "warning", "unverifiable")) if f.cell.sheet == TRIPS] == []
    # a class with a trip in the 類別表 printed as 「-」 is still wrong: 考察 is 4人x10天 (類別表 G8 x F8); 合計 C12
    # (4人x10天, right) is then more than its rows, which print none: 0人天, never an empty 應為
    ws["C6"] = dash
    assert [(f.rule, f.cell.cell, f.expected) for f in _findings(wb) if f.cell.sheet == TRIPS] == [
        ("cross-table-mismatch", "C6", "4人x10天"), ("subtotal-mismatch", "C12", "0人天")]


def test_a_staff_line_wrong_in_the_detail_alone_is_not_blamed_on_the_staff_table():
    """明細表 1015 typed 25,365,370 (D12, E12, E11) with 1000 (E10) and the plan's 01/合計 (E9, E8) made to agree; the
    人事費彙計表 (25,356,370) and the 彙計表 (25,356 千元) agree with each other: two against one, the 明細表 is the odd
    one, and the 人事費彙計表 is not told 應為 25,365,370 (the 明細表's disagreement with the 彙計表 is check_summary's).
    Red before the two-against-one test: cross-table-mismatch at 人事費彙計表!E7 and N7."""
    wb = handmade_workbook()
    ws = wb["歲出計畫說明提要與各項費用明細表"]
    assert [ws[c].value for c in ("E12", "E11", "E10", "E9", "E8")] == [
        25_356_370, 25_356_370, 42_978_000, 43_769_000, 43_769_000]
    ws["D12"] = ws["E12"] = ws["E11"] = 25_365_370
    ws["E10"], ws["E9"], ws["E8"] = 42_987_000, 43_778_000, 43_778_000
    found = _findings(wb)
    assert _on(found, STAFF) == []
    assert ("thousand-rounding-mismatch", "B9", 25_365, 25_356) in _on(found, SUMMARY)  # the disagreement, said


def test_a_wrong_summary_line_is_not_blamed_on_the_capital_table():
    """彙計表 303000 C32 typed 78,417 (its 300000 C31 and 合計 D31/D32 made to agree): the 明細表 (3030 lines,
    78,471,000 元) and the 資本支出分析表 (H9 78,471) agree; the 彙計表 is named by check_summary (C32 應為 78,471),
    the 資本支出分析表 is not told 應為 78,417. Red before the 明細表 was consulted: cross-table-mismatch at H9."""
    wb = handmade_workbook()
    ws = wb[SUMMARY]
    for cell in ("C31", "C32", "D31", "D32"):
        ws[cell] = 78_417
    found = _findings(wb)
    assert _on(found, CAPITAL) == []
    assert ("thousand-rounding-mismatch", "C32", 78_471, 78_417) in _on(found, SUMMARY)


def test_the_detail_totals_are_judged_once_a_book(monkeypatch):
    """check_summary, lines-without-plan's scale check, the 人事費彙計表 and the 資本支出分析表 all hold tables to the
    明細表's totals: its items' products are judged once a book, not four times (red without detail_totals' one-slot
    cache: 4 calls). A book read again after a change is judged anew, never given the last book's totals."""
    from xlbudget.rules import detail

    calls = []
    real = detail._detail_totals
    monkeypatch.setattr(detail, "_detail_totals", lambda table: calls.append(table) or real(table))
    wb = handmade_workbook()
    assert _findings(wb) == []
    assert len(calls) == 1
    wb[STAFF]["E7"] = wb[STAFF]["E8"] = wb[STAFF]["E9"] = 25_356_073  # within the 千元: only the 明細表 tells
    assert ("cross-table-mismatch", "E7", 25_356_370, 25_356_073) in _on(_findings(wb), STAFF)
    assert len(calls) == 2
