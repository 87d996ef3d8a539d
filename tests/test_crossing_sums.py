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


# Field report 10 §2.3: the second identity a wrong figure breaks is a 比較 (本年度 − 上年度) or a tie to another table


def test_a_wrong_prior_year_figure_is_named_not_its_subtotal_and_its_comparison():
    """Seed 歲出機關別預算表: 32020183201 數位發展計畫 本年度 232,026, 上年度 103,033, 比較 128,993 (232,026 − 103,033 by
    hand), under 32020183200 上年度 103,033 (its one item). 103,033 typed 103,303: G11 103,033 ≠ 103,303 and I12
    128,993 ≠ 232,026 − 103,303 = 128,723, both right, both off by 270 pointing at G12. Red on main: subtotal-mismatch
    at G11 (應為 103,303) and comparison-mismatch at I12 (應為 128,723), nothing at G12."""
    wb = handmade_workbook()
    ws = wb["歲出機關別預算表"]
    assert [ws[c].value for c in ("F12", "G12", "I12", "G11")] == [232_026, 103_033, 128_993, 103_033]
    assert _errors(wb) == []
    ws["G12"] = 103_303
    found = _errors(wb)
    assert [(f.rule, f"{f.cell.sheet}!{f.cell.cell}", f.expected, f.actual) for f in found] == [
        ("crossing-suspect", "歲出機關別預算表!G12", 103_033, 103_303)]
    assert sorted(c.cell for c in found[0].related) == ["G11", "I12"]
    assert found[0].message.startswith("G12 可能有誤：")
    assert "若 G12 無誤，則兩處均有誤" in found[0].message


def test_a_wrong_headcount_is_named_not_its_total_its_comparison_and_the_staff_costs_table():
    """Seed 員額編制表 職員 本年度 36 (上年度 36, 比較 0; 合計 39) and 人事費彙計表 職員 預算員額 36. 36 typed 38 breaks three
    identities, each by 2 pointing at C8: 合計 C6 39 ≠ 41, 比較 E8 0 ≠ 38 − 36, 人事費彙計表!B9 36 ≠ 38. Red on main:
    three errors on those three right cells (C6 應為 41, E8 應為 2, B9 應為 38), nothing at C8."""
    wb = handmade_workbook()
    ws = wb["員額編制表"]
    assert [ws[c].value for c in ("C6", "C8", "D8", "E8")] == [39, 36, 36, 0]
    staff = wb["人事費彙計表"]
    assert staff.cell(_row(staff, "職員"), 2).value == 36
    ws["C8"] = 38
    found = _errors(wb)
    assert [(f.rule, f"{f.cell.sheet}!{f.cell.cell}", f.expected, f.actual) for f in found] == [
        ("crossing-suspect", "員額編制表!C8", 36, 38)]
    assert sorted(f"{c.sheet}!{c.cell}" for c in found[0].related) == [
        f"人事費彙計表!B{_row(staff, '職員')}", "員額編制表!C6", "員額編制表!E8"]
    assert "三處核對均不符" in found[0].message


def test_a_comparison_computed_from_a_total_found_wrong_is_not_a_second_error():
    """Seed 歲入來源別預算表 合計 F7 57,019 (= 經常門合計 F8), 上年度 2,800, 比較 I7 54,219 (57,019 − 2,800 by hand). F7
    typed 0 (a formula that leaves out the 補助及協助收入 款): F7 is found (應為 57,019); I7 54,219 is right and follows
    from F7. Red on main: a second error, comparison-mismatch at I7 應為 −2,800."""
    wb = handmade_workbook()
    ws = wb["歲入來源別預算表"]
    assert [ws[c].value for c in ("F7", "F8", "G7", "I7")] == [57_019, 57_019, 2_800, 54_219]
    ws["F7"] = 0
    assert [(f.rule, f"{f.cell.sheet}!{f.cell.cell}", f.expected, f.actual) for f in _errors(wb)] == [
        ("subtotal-mismatch", "歲入來源別預算表!F7", 57_019, 0)]


def test_a_wrong_trip_class_table_made_to_add_up_is_named_not_the_two_tables_that_agree():
    """Seed 類別表 參與國際展會 交通費 160 + 生活費 220 + 辦公費 20 = 合計 400 千元 (K8), = 派員出國計畫預算總表 考察 400 =
    各項費用彙計表 207800 國外旅費 400 (C28, D28). 生活費 typed 202 and its 合計 made to agree, 382: the three right
    cells disagree with K8 by 18 each. Red on main: errors on 總表 D6, 各項費用彙計表 C28 and D28 (應為 382), nothing
    on the 類別表."""
    wb = handmade_workbook()
    ws = wb["派員出國計畫預算類別表—考察、訪問"]
    assert [ws[c].value for c in ("H8", "I8", "J8", "K8")] == [160, 220, 20, 400]
    ws["I8"], ws["K8"] = 202, 382
    found = _errors(wb)
    assert [(f.rule, f"{f.cell.sheet}!{f.cell.cell}", f.expected, f.actual) for f in found] == [
        ("crossing-suspect", "派員出國計畫預算類別表—考察、訪問!K8", 400, 382)]
    assert len(found[0].related) == 3


def test_one_tail_difference_is_told_once():
    """Field report 10 §4.1 (f10): 歲出明細 教育訓練費 (行政管理) 29,000 → 29,500 and 資訊服務費 2018 (數位發展)
    2,961,000 → 2,961,500, built, input sheets removed. 各項費用彙計表 200000業務費: 行政管理 780, 數位發展 153,556,
    合計 D17 154,335; by hand 780 + 153,556 = 154,336, 1 千元 apart: a 尾差, within rounding. Red on main: two
    rounding-difference infos on D17, 「合計欄為 154,335…」 and 「「合計」欄為 154,335…」, the same figures."""
    from built_books import build_workbook, read_book

    from xlbudget.adapters.xlsxfile import input_grids
    from xlbudget.app.example import example_workbook
    from xlbudget.forms.inputs import INPUT_SHEETS

    wb = example_workbook()
    ws = wb["歲出明細"]
    assert (ws["D20"].value, ws["H20"].value, ws["D34"].value, ws["H34"].value) == ("2003", 29_000, "2018", 2_961_000)
    for row, amount in ((20, 29_500), (34, 2_961_500)):
        ws[f"G{row}"] = ws[f"H{row}"] = amount
    build_workbook(wb, read_book(input_grids(wb))[0])
    for name in list(INPUT_SHEETS) + ["說明", "代碼表"]:
        if name in wb.sheetnames:
            del wb[name]
    summary = wb[SUMMARY]
    row = _row(summary, "200000業務費")
    assert [summary.cell(row, c).value for c in (2, 3, 4)] == [780, 153_556, 154_335]
    found = [f for f in check_printed_sheets(workbook_sheets(wb, None, "手製.xlsx"), "手製.xlsx").findings
             if f.cell is not None and (f.cell.sheet, f.cell.cell) == (SUMMARY, f"D{row}")]
    assert [(f.rule, f.expected, f.actual) for f in found] == [("rounding-difference", 154_336, 154_335)]


def test_a_figure_two_cells_of_one_table_copy_is_not_blamed_on_its_source():
    """Seed 歲出機關別預算表 本年度 數位發展計畫 232,026 (F12, F11) under 高雄市政府資訊中心 F8 and 合計 F7 275,795
    (43,769 + 232,026), = 各項費用彙計表 合計 D7 275,795. 232,026 typed 232,062 on F12/F11 and carried up, F8 = F7 =
    275,831 (比較 made to agree): F7 and F8 both disagree with D7 by 36, but they are one figure printed twice, and
    D7 agrees with its own table: no 應為 on D7. Red with crossing_figures grouping ties to one table (a
    crossing-suspect at 各項費用彙計表!D7 應為 275,831, mutation 4 of field report 10's mut4.py)."""
    wb = handmade_workbook()
    ws = wb["歲出機關別預算表"]
    assert [ws[c].value for c in ("F7", "F8", "F11", "F12", "G12", "I12")] == [
        275_795, 275_795, 232_026, 232_026, 103_033, 128_993]
    assert wb[SUMMARY]["D7"].value == 275_795
    for c, v in (("F12", 232_062), ("F11", 232_062), ("F8", 275_831), ("F7", 275_831),
                 ("I12", 129_029), ("I11", 129_029), ("I8", 131_432), ("I7", 131_432)):
        ws[c] = v
    found = _errors(wb)
    assert not [f for f in found if f.cell.sheet == SUMMARY]
    assert ("歲出機關別預算表", "F12", 232_026) in [(f.cell.sheet, f.cell.cell, f.expected) for f in found]


# Field report 10 §2.3 (check7): ONE part wrong and its total right, the total agreeing with other tables. The total
# is the better-supported figure: the part is named, or, when nothing tells which of its parts, the parts together
# (confirmed-total-parts, joint: no 應為 picking one) — never the total with an 應為 that would make it wrong.

TRIP_CLASS = "派員出國計畫預算類別表—考察、訪問"


def _cells(found):
    return [(f.rule, f"{f.cell.sheet}!{f.cell.cell}", f.expected, f.actual, sorted(c.cell for c in f.related))
            for f in found]


def test_a_wrong_trip_class_part_is_named_not_its_total_the_other_tables_agree_with():
    """Seed 類別表 參與國際展會 交通費 160 + 生活費 220 + 辦公費 20 = 合計 K8 400 千元 = 派員出國計畫預算總表 考察 D6 400
    = 各項費用彙計表 207800 國外旅費 400 (C28, D28). 生活費 typed 202 (mut.py 13): K8 400 ≠ 160 + 202 + 20 = 382.
    K8 agrees with two other tables; which of 交通費, 生活費, 辦公費 is wrong nothing says (none is in another
    identity). Red on main: subtotal-mismatch at K8 應為 382 (a right cell told to become wrong), nothing on H8:J8."""
    wb = handmade_workbook()
    ws = wb[TRIP_CLASS]
    assert [ws[c].value for c in ("H8", "I8", "J8", "K8")] == [160, 220, 20, 400]
    assert wb["派員出國計畫預算總表"]["D6"].value == 400
    ws["I8"] = 202
    found = _errors(wb)
    assert _cells(found) == [("confirmed-total-parts", f"{TRIP_CLASS}!H8", None, None, ["I8", "J8"])]
    assert found[0].message.startswith("H8、I8、J8 其中有誤：K8 為 400，與 派員出國計畫預算總表!D6")
    assert "（K8 若改為 382，這些核對即不符），但所屬各項合計為 382（少 18）" in found[0].message


def test_a_wrong_contract_group_is_named_not_the_plan_total_the_staff_costs_table_agrees_with():
    """Seed 約聘僱人員費用分析表 行政管理 H11 7,115,000 = 2,670,000 + 3,230,000 + 1,215,000 (H12:H14), carried up
    unchanged to 合計 H7 = 人事費彙計表 約聘僱人員 合計 7,115,000. H12 typed 2,760,000 (mut.py 7): H11 ≠ 7,205,000 by
    90,000; H11 through H10, H9, H8, H7 agrees with 人事費彙計表; nothing ties a group's amount to another table.
    Red on main: subtotal-mismatch at H11 應為 7,205,000, which would put H11 off 人事費彙計表."""
    wb = handmade_workbook()
    ws = wb["約聘僱人員費用分析表"]
    assert [ws[f"H{r}"].value for r in range(7, 15)] == [7_115_000] * 5 + [2_670_000, 3_230_000, 1_215_000]
    ws["H12"] = 2_760_000
    found = _errors(wb)
    assert _cells(found) == [("confirmed-total-parts", "約聘僱人員費用分析表!H12", None, None, ["H13", "H14"])]
    assert "H11 為 7,115,000，與 人事費彙計表!N10 的核對均相符（H11 若改為 7,205,000" in found[0].message
    assert "多 90,000" in found[0].message


def test_a_part_is_not_blamed_when_no_other_table_confirms_its_total():
    """The same slips in books of one table: the 類別表 alone (生活費 202), the 約聘僱人員費用分析表 alone (H12
    2,760,000). Each total disagrees with its parts and nothing outside its table says which is wrong: the total
    is named as before (K8 應為 382; H11 應為 7,205,000). H11 is carried up unchanged to H10, H9, H8 and H7, which
    would disagree with it once it held 7,205,000: its own table's totals are no second witness. Red with
    rules.blame._confirming taking the totals above it in its own table for other tables (H12:H14 named)."""
    for sheet, cell, value, expected in ((TRIP_CLASS, "I8", 202, [("subtotal-mismatch", "K8", 382, 400)]),
                                         ("約聘僱人員費用分析表", "H12", 2_760_000,
                                          [("subtotal-mismatch", "H11", 7_205_000, 7_115_000)])):
        wb = handmade_workbook()
        for name in wb.sheetnames:
            if name != sheet:
                del wb[name]
        wb[sheet][cell] = value
        assert [(f.rule, f.cell.cell, f.expected, f.actual) for f in _errors(wb)] == expected


# A figure named wrong is the one finding: what it explains elsewhere is not told to print the slip (followed_slips)


def test_a_plan_total_named_wrong_does_not_tell_its_heading_note_and_summary_to_print_the_slip():
    """Seed 明細表 32020180101 行政管理: 合計 預算數 E8 43,769,000 元, its lines adding up to it (E9 業務費 etc.), its
    heading A6 「預算金額：43,769千元」, its 「市款43,769,000元」 note F8; 各項費用彙計表 B7 43,769 千元 and 合計 D7
    275,795 (43,769 + 232,026 by hand). E8 typed 43,770,000: its lines give 43,769,000 (subtotal-mismatch at E8, the
    slip). Red without rules.blame.followed_slips: also A6 應為 43,770, F8 應為 43,770,000, 彙計表 B7 應為 43,770 and
    D7 應為 275,796, four right cells told to print the slip."""
    wb = handmade_workbook()
    ws, summary = wb[DETAIL], wb[SUMMARY]
    assert (ws["E8"].value, summary["B7"].value, summary["C7"].value, summary["D7"].value) == (
        43_769_000, 43_769, 232_026, 275_795)
    assert "43,769千元" in ws["A6"].value and "43,769,000元" in ws["F8"].value
    ws["E8"] = 43_770_000
    assert _cells(_errors(wb)) == [("subtotal-mismatch", f"{DETAIL}!E8", 43_769_000, 43_770_000, ["E9"])]


def test_a_staff_cost_named_wrong_does_not_tell_the_contract_note_to_print_it():
    """Seed 人事費彙計表 約聘僱人員 約聘僱人員待遇 F10 5,282,562 元, quoted by 約聘僱人員費用分析表's 合計 說明 I7
    「包括約聘僱人員待遇5,282,562元、…」. F10 typed 5,283,562: its row's 合計 N10 and its column's F7 are both 1,000
    short, F10 named (sum-crossing-suspect). Red without followed_slips: also printed-note-mismatch at I7, the right
    說明 told that the table prints 5,283,562."""
    wb = handmade_workbook()
    staff = wb["人事費彙計表"]
    assert staff["F10"].value == 5_282_562
    assert "約聘僱人員待遇5,282,562元" in wb["約聘僱人員費用分析表"]["I7"].value
    staff["F10"] = 5_283_562
    assert _cells(_errors(wb)) == [("sum-crossing-suspect", "人事費彙計表!F10", 5_282_562, 5_283_562, ["F7", "N10"])]


def test_two_slips_are_both_told():
    """Two figures typed wrong on their own: 明細表 E8 43,770,000 (its lines give 43,769,000) and 各項費用彙計表 B7
    43,775 (43,769,000 元 rounds to 43,769 by hand). Correcting E8 leaves B7 off the 明細表 (43,769 ≠ 43,775): B7
    follows from nothing and is told (應為 43,770, from the E8 printed); so is E8."""
    wb = handmade_workbook()
    wb[DETAIL]["E8"] = 43_770_000
    wb[SUMMARY]["B7"] = 43_775
    found = {(f.rule, f"{f.cell.sheet}!{f.cell.cell}") for f in _errors(wb)}
    assert ("subtotal-mismatch", f"{DETAIL}!E8") in found
    assert ("thousand-rounding-mismatch", f"{SUMMARY}!B7") in found


def test_a_summary_plan_code_with_a_digit_changed_does_not_put_every_figure_of_its_column_to_zero():
    """Seed 各項費用彙計表 B5 「32020180101⏎行政管理」 typed 32020180102 (an 11-digit code still; 明細表, 一級用途別
    and 機關別 print 32020180101 行政管理): matched by its code, the column was held to no 明細表 plan, and each of
    its figures and each 合計 D was told «應為 0» (B8 人事費 42,978 應為 0 …: 46 errors on right cells, B5 never
    named). Now B5 is named, 應為 32020180101, and the column is held to 行政管理: B8 typed 42,979 is named (42,978,
    the 明細表's 42,978,000 元 rounded)."""
    wb = handmade_workbook()
    ws = wb[SUMMARY]
    assert (ws["B5"].value, ws["B8"].value) == ("32020180101\n行政管理", 42_978)
    ws["B5"] = "32020180102\n行政管理"
    assert [(f.rule, f.cell.cell, f.expected, f.actual) for f in _errors(wb)] == [
        ("summary-plan-code-mismatch", "B5", "32020180101", "32020180102")]
    ws["B8"] = 42_979
    assert [(f.rule, f.cell.cell, f.expected, f.actual) for f in _errors(wb)] == [
        ("summary-plan-code-mismatch", "B5", "32020180101", "32020180102"),
        ("thousand-rounding-mismatch", "B8", 42_978, 42_979)]
