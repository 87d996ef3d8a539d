"""公務車輛明細表 (issue 14): the 公務車輛 input sheet, the printed table and its 勾稽 with the 明細表.

Expected figures are transcribed by hand from ../shared/reference-books/taichung-dbas-115.txt
(公務車輛明細表 02004-45; 明細表 一般行政-行政管理 02004-15/16) and taipei-newworks-116.txt (07-152-86).
"""

import pytest

from xlbudget.app.check import check_workbook
from xlbudget.rules.checks import check_book
from xlbudget.app.export import export_records
from xlbudget.readers.grid import Grid
from xlbudget.readers.inputs import read_book
from xlbudget.app.pipeline import build_workbook
from xlbudget.derive.book import derive_all
from xlbudget.app.template import new_template
from xlbudget.core.amounts import priced_amount
from xlbudget.derive.vehicles import VEHICLES, derive_vehicles
from xlbudget.forms.inputs import VEHICLE_HEADERS
from xlbudget.rules.vehicles import check_vehicles_vs_items

PLAN = "32020040101"  # 臺中市政府主計處 一般行政-行政管理 (轉帳收支對照表 02004-48)

AGENCY_ROWS = [["項目", "內容"], ["機關名稱", "臺中市政府主計處"], ["機關編號", "02-004"], ["年度", 115],
               ["主管機關", "臺中市政府主管"], ["職能別", "01 一般公共事務"]]

EXPENSE_HEADER = ["工作計畫編號", "工作計畫名稱", "分支計畫", "用途別科目", "單位", "數量", "單價", "預算數", "說明"]


def _item(code, amount, note):
    return [PLAN, "一般行政-行政管理", "", code, "年", 1, amount, amount, note]


# 明細表 一般行政-行政管理, the lines of 2024, 2027, 2051 and 2066 (02004-15, 02004-16), 元
EXPENSES = [
    _item("2024", 25_470, "公務用車輛牌照稅。(詳公務車輛明細表)"),
    _item("2024", 750, "公務用車輛檢驗費。(詳公務車輛明細表)"),
    _item("2024", 15_780, "公務用車輛燃料使用費。(詳公務車輛明細表)"),
    _item("2027", 7_881, "公務用車輛保險費。(詳公務車輛明細表)"),
    _item("2051", 639_080, "文具、紙張、事務機具耗材等辦公用品購置。"),
    _item("2051", 180_000, "購置有關財務、主計雜誌書刊及報費等。"),
    _item("2051", 122_388, "公務用車輛汽油費。(專款專用)(詳公務車輛明細表)"),
    _item("2066", 23_056, "影印機、傳真機等辦公用器具保養及維護費。"),
    _item("2066", 68_000, "公務用車輛養護費。(詳公務車輛明細表)"),
]

# 公務車輛明細表 (02004-45): 區分, 車輛數, 車輛種類, 乘客人數, 購置年月, 汽缸總排氣量, 牌照稅, 燃料使用費,
# 油料數量, 油料單價, 油料金額 (empty: derived), 養護費, 保險費, 檢驗費, 備註
VEHICLE_ROWS = [
    ["現有", 1, "小客貨兩用車", 7, "10503", "2198", 11_230, 6_180, 1_668, 31.0, None, 51_000, 2_915, 750, "APP-7693"],
    ["現有", 1, "油電混合動力車", 4, "11306", "1798", 7_120, 4_800, 1_140, 31.0, None, 8_500, 2_483, None, "BXD-5971"],
    ["新增", 1, "油電混合動力車", 4, "11501", "1201-1800", 7_120, 4_800, 1_140, 31.0, None, 8_500, 2_483, None,
     "預定115年1月購置新車輛汰換5406-G2"],
]
VEHICLE_HEADER = ["工作計畫編號"] + list(VEHICLE_HEADERS[1:])


def grids(expenses=EXPENSES, vehicles=VEHICLE_ROWS, agency=AGENCY_ROWS):
    return {"基本資料": Grid("基本資料", [list(r) for r in agency]),
            "歲出明細": Grid("歲出明細", [EXPENSE_HEADER] + [list(r) for r in expenses]),
            "公務車輛": Grid("公務車輛", [VEHICLE_HEADER] + [[PLAN] + list(r) for r in vehicles])}


@pytest.fixture(scope="module")
def taichung():
    book, findings = read_book(grids(), "臺中")
    assert findings == []
    return book


COSTS = ("牌照稅", "燃料使用費", "油料費/金額", "養護費", "車輛保險費", "車輛檢驗費")
# printed rows of 02004-45 (元): 牌照稅, 燃料使用費, 油料費 金額, 養護費, 車輛保險費, 車輛檢驗費
PRINTED = {
    f"現有車輛/{PLAN}": (18_350, 10_980, 87_048, 59_500, 5_398, 750),
    f"現有車輛/{PLAN}/1": (11_230, 6_180, 51_708, 51_000, 2_915, 750),
    f"現有車輛/{PLAN}/2": (7_120, 4_800, 35_340, 8_500, 2_483, None),
    f"本年度新增車輛/{PLAN}": (7_120, 4_800, 35_340, 8_500, 2_483, None),
    f"本年度新增車輛/{PLAN}/1": (7_120, 4_800, 35_340, 8_500, 2_483, None),
    "合計": (25_470, 15_780, 122_388, 68_000, 7_881, 750),
}


@pytest.mark.parametrize("code", PRINTED)
def test_vehicles_match_taichung(taichung, code):
    table = derive_vehicles(taichung)
    assert tuple(table.value(code, k) for k in COSTS) == PRINTED[code]


def test_vehicle_rows_in_printed_order(taichung):
    table = derive_vehicles(taichung)
    assert [r.code for r in table.rows] == [
        "現有車輛", f"現有車輛/{PLAN}", f"現有車輛/{PLAN}/1", f"現有車輛/{PLAN}/2",
        "本年度新增車輛", f"本年度新增車輛/{PLAN}", f"本年度新增車輛/{PLAN}/1", "合計"]
    first = table.find(f"現有車輛/{PLAN}/1").cells
    assert (first["車輛數"], first["車輛種類"], first["乘客人數"], first["購置年月"], first["汽缸總排氣量"],
            first["油料費/數量"], first["油料費/單價"], first["備註"]) == (
        1, "小客貨兩用車", 7, "10503", "2198", 1_668, "31.0", "APP-7693")
    assert table.find(f"現有車輛/{PLAN}").cells["業務計畫及工作計畫名稱"] == "一般行政\n\u3000行政管理"
    assert table.unit == "元"


def test_fuel_amount_rounds_half_away_from_zero():
    from decimal import Decimal
    assert priced_amount(Decimal(1_668), Decimal("31.0")) == 51_708  # 臺中 APP-7693
    assert priced_amount(Decimal(1_260), Decimal("33.9")) == 42_714  # 臺北 ATE-3973
    assert priced_amount(Decimal(5), Decimal("0.1")) == 1  # 0.5 → 1
    assert priced_amount(Decimal(-5), Decimal("0.1")) == -1


def test_typed_fuel_amount_checked_by_cell():
    rows = [list(r) for r in VEHICLE_ROWS]
    rows[1][10] = 35_430  # 1,140 × 31.0 = 35,340, typed with two digits swapped
    book, findings = read_book(grids(vehicles=rows), "臺中")
    assert [(f.rule, str(f.cell)) for f in findings] == [("vehicle-fuel-mismatch", "公務車輛!L3")]
    assert (findings[0].expected, findings[0].actual) == (35_340, 35_430)
    assert {str(c) for c in findings[0].related} == {"公務車輛!J3", "公務車輛!K3"}
    rows[1][10] = 35_340
    assert read_book(grids(vehicles=rows), "臺中")[1] == []


def test_vehicles_tied_to_detail_lines(taichung):
    assert check_vehicles_vs_items(taichung) == []


def test_vehicles_versus_detail_named_by_cells_on_both_sides():
    expenses = [list(r) for r in EXPENSES]
    expenses[8][6] = expenses[8][7] = 69_000  # 養護費 line of 2066 off by 1,000
    book, _ = read_book(grids(expenses=expenses), "臺中")
    findings = check_vehicles_vs_items(book)
    assert [(f.rule, str(f.cell), f.expected, f.actual) for f in findings] == [
        ("vehicles-vs-items", "公務車輛!M2", 69_000, 68_000)]
    assert {str(c) for c in findings[0].related} == {"公務車輛!M3", "公務車輛!M4", "歲出明細!H10"}


def test_vehicle_cost_without_pointing_line():
    expenses = [list(r) for r in EXPENSES]
    expenses[3][8] = "公務用車輛保險費。"  # 2027 line no longer says 詳公務車輛明細表
    book, _ = read_book(grids(expenses=expenses), "臺中")
    assert [(f.rule, f.expected, f.actual) for f in check_vehicles_vs_items(book)] == [
        ("vehicles-vs-items", 0, 7_881)]


def test_contents_and_export(taichung):
    tables = derive_all(taichung)
    contents = [r.code for r in tables[0].rows if r.code]
    assert contents.index(VEHICLES) == contents.index("歲出按職能及經濟性綜合分類表") - 1
    records = {(r["row_code"], r["column"]): (r["value"], r["unit"]) for r in export_records(taichung)
               if r["table"] == VEHICLES}
    assert records["合計", "油料費/金額"] == (122_388, "元")
    assert records["合計", "牌照稅"] == (25_470, "元")
    assert records[f"現有車輛/{PLAN}/1", "油料費/數量"] == (1_668, "公升")


def test_no_vehicles_no_table():
    book, _ = read_book({k: v for k, v in grids().items() if k != "公務車輛"}, "臺中")
    assert VEHICLES not in [t.title for t in derive_all(book)]


def test_bad_section_and_price_named_by_cell():
    from xlbudget.core.errors import InputError
    rows = [list(r) for r in VEHICLE_ROWS]
    rows[0][0], rows[2][9] = "舊車", "三十一"
    with pytest.raises(InputError) as err:
        read_book(grids(vehicles=rows), "臺中")
    assert [(f.rule, str(f.cell)) for f in err.value.findings] == [("not-a-choice", "公務車輛!B2"), ("not-a-decimal", "公務車輛!K4")]


def test_vehicle_of_a_plan_not_in_the_detail_is_named_by_cell():
    from xlbudget.core.errors import InputError
    rows = [list(r) for r in VEHICLE_ROWS]
    grid = grids(vehicles=rows)["公務車輛"]
    grid.rows[2][0] = "32020040199"  # no such 工作計畫 in 歲出明細: the vehicle's costs would belong to nothing
    with pytest.raises(InputError) as err:
        read_book({**grids(vehicles=rows), "公務車輛": grid}, "臺中")
    assert [(f.rule, str(f.cell)) for f in err.value.findings] == [("unknown-plan", "公務車輛!A3")]


# 臺北市工務局新建工程處 116 (07-152-86): 一般行政-行政管理, four 客貨兩用車 alike
TAIPEI_ROWS = [["現有", 1, "客貨兩用車", 7, "10608", "2198", 11_230, 6_180, 1_260, 33.9, 42_714, 51_000, 9_000, 750,
                plate] for plate in ("ATE-3973", "ATE-3975", "ATE-3976", "ATE-3978")]


def test_taipei_group_and_header():
    agency = AGENCY_ROWS + [["版式", "臺北市"]]
    book, findings = read_book(grids(vehicles=TAIPEI_ROWS, agency=agency), "臺北")
    assert findings == []
    table = derive_vehicles(book, taipei=True)
    assert tuple(table.value(f"現有車輛/{PLAN}", k) for k in COSTS) == (44_920, 24_720, 170_856, 204_000, 36_000,
                                                                       3_000)
    assert table.column("燃料使用費").header == ("公路使用養護安全管理費(全年)",)
    built = next(t for t in derive_all(book) if t.title == VEHICLES)
    assert built.column("燃料使用費").header == ("公路使用養護安全管理費(全年)",)


def test_template_has_vehicle_sheet():
    wb = new_template()
    ws = wb["公務車輛"]
    assert [c.value for c in ws[1]] == list(VEHICLE_HEADERS)
    validations = [dv.formula1 for dv in ws.data_validations.dataValidation]
    assert '"現有,新增"' in validations
    help_text = "".join(str(c.value or "") for c in wb["說明"]["A"])
    assert "公務車輛：" in help_text


def _template_book():
    wb = new_template()
    for name, grid in grids().items():
        ws = wb[name]
        if name == "基本資料":
            ws.delete_rows(2, ws.max_row)
        else:
            ws.delete_rows(1, ws.max_row)
        for row in grid.rows[1:] if name == "基本資料" else grid.rows:
            ws.append(row)
    return wb


def test_built_vehicle_table_typed_over_is_named_by_cell(tmp_path):
    wb = _template_book()
    book, _ = read_book(grids(), "臺中")
    build_workbook(wb, book)
    ws = wb[VEHICLES]
    target = next(c for row in ws.iter_rows() for c in row if c.value == 122_388)
    report = check_workbook(wb)
    assert not [f for f in report.findings if f.rule in ("schedule-cell-mismatch", "vehicles-vs-items")]
    target.value = 122_383
    report = check_workbook(wb)
    hits = [(f.rule, f.cell.sheet, f.cell.cell) for f in report.findings if f.rule == "schedule-cell-mismatch"]
    assert hits == [("schedule-cell-mismatch", VEHICLES, target.coordinate)]


def test_check_book_reports_vehicle_tie():
    expenses = [list(r) for r in EXPENSES]
    expenses[6][6] = expenses[6][7] = 122_000
    book, _ = read_book(grids(expenses=expenses), "臺中")
    assert [(f.rule, str(f.cell)) for f in check_book(book)
            if f.rule == "vehicles-vs-items"] == [("vehicles-vs-items", "公務車輛!L2")]


# ---------------------------------------------------------------- hand-made books (printed tables only)

DETAIL = "歲出計畫說明提要與各項費用明細表"


def _printed_book():
    """The two printed tables as xlbudget prints them, with no input sheet: a hand-made book."""
    wb = _template_book()
    book, _ = read_book(grids(), "臺中")
    build_workbook(wb, book)
    for name in list(wb.sheetnames):
        if name not in (DETAIL, VEHICLES):
            del wb[name]
    return wb


def _cell_of(ws, value, column=None):
    return next(c for row in ws.iter_rows() for c in row if c.value == value
                and (column is None or c.column == column))


def _vehicle_findings(wb):
    report = check_workbook(wb)
    assert report.kind == "printed" and VEHICLES in report.tables
    return [(f.rule, f.cell.sheet, f.cell.cell) for f in report.findings if f.rule != "not-whole-thousand"]


def test_handmade_vehicles_clean():
    assert _vehicle_findings(_printed_book()) == []


def test_handmade_fuel_amount_and_plan_line_named_by_cell():
    wb = _printed_book()
    ws = wb[VEHICLES]
    cell = _cell_of(ws, 51_708)  # APP-7693 油料費 金額
    cell.value = 51_780
    # the plan line 87,048 and 合計 now differ from their parts by the same 72: the wrong figure is named, once
    assert _vehicle_findings(wb) == [("vehicle-fuel-mismatch", VEHICLES, cell.coordinate)]
    group = _cell_of(ws, 87_048)  # 現有車輛 一般行政-行政管理 油料費 金額
    group.value = 87_084
    assert ("subtotal-mismatch", VEHICLES, group.coordinate) in _vehicle_findings(wb)


def test_handmade_fuel_litres_slip_named_not_the_confirmed_amount():
    """APP-7693 油料費 1,668 公升 typed 1,686: its 金額 51,708 is added up by the plan line 87,048 (51,708 + 35,340), so
    the 數量 is named, 應為 51,708 ÷ 31.0 = 1,668, and the 金額 is not told to be 52,266 (field report 13 §F1)."""
    wb = _printed_book()
    ws = wb[VEHICLES]
    cell = _cell_of(ws, 1_668)
    cell.value = 1_686
    found = [(f.rule, f.cell.cell, f.expected, f.actual) for f in check_workbook(wb).findings
             if f.rule != "not-whole-thousand"]  # the test book's own 明細表 (_vehicle_findings)
    assert found == [("item-factor-mismatch", cell.coordinate, 1_668, 1_686)]


def test_handmade_plan_line_slip_named_with_its_vehicles_sum():
    """The plan line's 牌照稅 18,350 (= 11,230 + 7,120, its two vehicles) typed 18,351: named with 應為 18,350, not
    with the 明細表's 2024 稅捐及規費 42,000 (牌照稅, 燃料使用費 and 檢驗費 of every vehicle), which would leave it wrong
    (field report 13 §F5)."""
    wb = _printed_book()
    ws = wb[VEHICLES]
    cell = _cell_of(ws, 18_350)
    cell.value = 18_351
    found = [(f.rule, f.cell.cell, f.expected, f.actual) for f in check_workbook(wb).findings
             if f.rule != "not-whole-thousand"]
    assert found == [("subtotal-mismatch", cell.coordinate, 18_350, 18_351)]


def test_handmade_total_named_by_cell():
    wb = _printed_book()
    ws = wb[VEHICLES]
    total = _cell_of(ws, 68_000, column=12)  # 合計 養護費
    total.value = 68_500
    found = _vehicle_findings(wb)
    assert ("subtotal-mismatch", VEHICLES, total.coordinate) in found


def test_handmade_vehicles_tied_to_printed_detail():
    wb = _printed_book()
    ws = wb[DETAIL]
    line = _cell_of(ws, 68_000, column=5)  # 預算數 of the 2066 line saying 詳公務車輛明細表
    line.value = ws.cell(line.row, 4).value = 69_000  # 單價 too; its 二級 subtotal now disagrees as well
    report = check_workbook(wb)
    ties = [f for f in report.findings if f.rule == "vehicles-vs-items"]
    assert [(f.cell.sheet, f.expected, f.actual) for f in ties] == [(VEHICLES, 69_000, 68_000)]
    assert f"{DETAIL}!{line.coordinate}" in {f"{c.sheet}!{c.cell}" for c in ties[0].related}


def test_handmade_taichung_layout():
    """公務車輛明細表 typed as 臺中 115 prints it (02004-45): the plan name on two lines, 現有車輛 under 車輛種類."""
    from openpyxl import Workbook
    wb = Workbook()
    ws = wb.active
    ws.title = "車輛"
    ws.append(["臺中市政府主計處"])
    ws.append(["公務車輛明細表"])
    ws.append(["中華民國115年度", None, None, None, None, None, None, None, None, None, None, None, None, None,
               "單位：新臺幣元"])
    ws.append(["業務計畫及工作計畫名稱", "車輛數", "車輛種類", "乘客人數(不含司機)", "購置年月",
               "汽缸總排氣量(立方公分)", "牌照稅(全年)", "燃料使用費(全年)", "油料費(全年)", None, None,
               "養護費", "車輛保險費", "車輛檢驗費", "備註"])
    ws.append([None, None, None, None, None, None, None, None, "數量(公升)", "單價(元)", "金額"])
    ws.merge_cells("I4:K4")
    ws.append([None, None, "現有車輛"])
    ws.append(["一般行政", None, None, None, None, None, 18_350, 10_980, None, None, 87_048, 59_500, 5_398, 750])
    ws.append(["\u3000行政管理"])
    ws.append([None, 1, "小客貨兩用車", 7, "10503", "2198", 11_230, 6_180, 1_668, "31.0", 51_708, 51_000, 2_915, 750,
               "APP-7693"])
    ws.append([None, 1, "油電混合動力車", 4, "11306", "1798", 7_120, 4_800, 1_140, "31.0", 35_340, 8_500, 2_483,
               None, "BXD-5971"])
    ws.append([None, None, "本年度新增車輛"])
    ws.append(["一般行政", None, None, None, None, None, 7_120, 4_800, None, None, 35_340, 8_500, 2_483])
    ws.append(["\u3000行政管理"])
    ws.append([None, 1, "油電混合動力車", 4, "11501", "1201-1800", 7_120, 4_800, 1_140, "31.0", 35_340, 8_500,
               2_483, None, "預定115年1月購置新車輛汰換5406-G2"])
    ws.append([None, None, "合計", None, None, None, 25_470, 15_780, None, None, 122_388, 68_000, 7_881, 750])
    report = check_workbook(wb)
    assert [f.rule for f in report.findings] == []
    ws["K15"] = 122_838  # 合計 油料費 金額 mistyped
    ws["J10"] = "33.9"  # BXD-5971 單價 no longer gives 35,340
    found = {(f.rule, f.cell.cell) for f in check_workbook(wb).findings}
    # (合計 K15 no longer adds up the plan lines: K10's 金額 is not confirmed by the totals, so the line is named at
    # its 金額, as ever; field report 13 §F1)
    assert found == {("subtotal-mismatch", "K15"), ("vehicle-fuel-mismatch", "K10")}
    ws["K15"] = 122_388  # 合計 right again: K10 35,340 is added up by K7 87,048 (51,708 + 35,340) and K7 by 合計
    found = {(f.rule, f.cell.cell, f.expected) for f in check_workbook(wb).findings}
    # so the 單價 is named, 應為 35,340 ÷ 1,140 = 31.0 (35,340 ÷ 33.9 is no whole 數量), not the 金額
    assert found == {("item-factor-mismatch", "J10", "31.0")}


def _totals(findings):
    return [(str(f.cell), f.expected, f.actual) for f in findings if f.rule == "totals-row-mismatch"]


def test_typed_totals_row_is_checked_not_read():
    # the officer's 合計 under the vehicles, typed in 工作計畫編號: 牌照稅 11,230 + 7,120 + 7,120 = 25,470;
    # 油料金額 (derived) 1,668 × 31.0 + 2 × 1,140 × 31.0 = 51,708 + 70,680 = 122,388; 養護費 51,000 + 8,500 + 8,500
    # = 68,000, typed 68,001
    rows = [[PLAN] + list(r) for r in VEHICLE_ROWS]
    rows.append(["合計", None, 3, None, None, None, None, 25_470, None, None, None, 122_388, 68_001, None, None, None,
                 None])
    book, findings = read_book({**grids(), "公務車輛": Grid("公務車輛", [VEHICLE_HEADER] + rows)}, "臺中")
    assert len(book.vehicles) == 3
    assert _totals(findings) == [("公務車輛!M5", 68_000, 68_001)]


@pytest.mark.parametrize("typed", ["datetime", "date"])
def test_purchase_month_typed_as_an_excel_date_prints_as_minguo(typed):
    """Field report row 8: 購置年月 typed as a date (2016-03-01) is 民國 105 年 3 月, printed 10503 as typed text is."""
    import datetime
    rows = [list(r) for r in VEHICLE_ROWS]
    rows[0][4] = datetime.datetime(2016, 3, 1) if typed == "datetime" else datetime.date(2016, 3, 1)
    book, findings = read_book(grids(vehicles=rows), "臺中")
    assert findings == []
    first = derive_vehicles(book).find(f"現有車輛/{PLAN}/1").cells
    assert first["購置年月"] == "10503"


def test_purchase_month_dated_before_minguo_prints_as_typed():
    """A date before 民國元年 (1905-03-01) has no 民國 month: printed as the date typed, never as 「-603」."""
    import datetime
    rows = [list(r) for r in VEHICLE_ROWS]
    rows[0][4] = datetime.datetime(1905, 3, 1)
    book, _ = read_book(grids(vehicles=rows), "臺中")
    assert derive_vehicles(book).find(f"現有車輛/{PLAN}/1").cells["購置年月"] == "1905-03-01"
