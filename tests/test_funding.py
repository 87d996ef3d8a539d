"""分年資金需求表 (issue 14): the 分年資金需求 input sheet, the 繼續性 and 新興 tables, and their 勾稽.

Expected figures are transcribed by hand from ../shared/reference-books/taipei-newworks-116.txt
(繼續性計畫分年資金需求表 07-152-92/93, 新興計畫分年資金需求表 07-152-94; the 明細表 lines of
道路及橋梁工程, 07-152-65/66).
"""

import pytest
from built_books import built_workbook

from xlbudget.app.check import check_workbook
from xlbudget.core.errors import InputError
from xlbudget.app.export import export_records
from xlbudget.derive.funding import derive_funding
from xlbudget.forms.inputs import FUNDING_HEADERS
from xlbudget.rules.funding import check_funding
from xlbudget.readers.grid import Grid
from xlbudget.readers.inputs import read_book
from xlbudget.derive.book import derive_all
from xlbudget.app.template import new_template

PLAN = "58071528501"
NAME = "道路橋梁工程-道路及橋梁工程"
AGENCY_ROWS = [["項目", "內容"], ["機關名稱", "臺北市政府工務局新建工程處"], ["機關編號", "07-152"], ["年度", 116],
               ["主管機關", "臺北市政府工務局主管"], ["職能別", "12 運輸及通信"], ["版式", "臺北市"]]
# 類別, 工作計畫編號, 分支計畫, 計畫項目, 全程計畫總金額, 以前年度預算數, 116 … 120, 121年度以後, 備註
FUNDING_ROWS = [
    ["繼續性", PLAN, "道路工程", "115年度人行道工程規劃設計", 30_000_000, 18_000_000, 12_000_000],
    ["繼續性", PLAN, "道路工程", "洲美快速道路於大業路設置入口匝道委託規劃設計技術服務", 55_000_000, 5_000_000,
     24_750_000, 16_500_000, 1_000, 8_749_000],
    ["繼續性", PLAN, "橋梁工程", "中興橋下環河南路引道拆除及拓寬工程", 136_950_000, 68_475_000, 68_475_000],
    ["繼續性", PLAN, "橋梁工程", "和興路44巷跨景美溪人行景觀橋工程", 197_328_439, 19_138_000, 40_000_000, 57_414_000,
     80_776_439],
    ["繼續性", PLAN, "橋梁工程", "文和橋旁新設人行及自行車景觀橋工程", 169_700_000, 16_970_000, 50_000_000,
     102_730_000],
    ["新興", PLAN, "道路工程", "116年度人行道工程規劃設計", 30_000_000, None, 18_000_000, 12_000_000],
]


def _item(branch, amount, note):
    return [PLAN, NAME, branch, "3015", "式", 1, amount, amount, note]


# 明細表 道路及橋梁工程 (07-152-65/66), 3015 公共建設及設施費, by 分支計畫
EXPENSES = [
    _item("01115年度人行道工程規劃設計", 12_000_000, "本年度所需委託規劃設計服務費。"),
    _item("02洲美快速道路於大業路設置入口匝道委託規劃設計技術服務", 24_750_000, "本年度所需委託規劃設計服務費。"),
    _item("07中興橋下環河南路引道拆除及拓寬工程", 65_000_000, "本年度所需施工費。"),
    _item("07中興橋下環河南路引道拆除及拓寬工程", 2_250_000, "本年度所需委託監造服務費。"),
    _item("07中興橋下環河南路引道拆除及拓寬工程", 1_225_000, "按施工費提列工程管理費(1.8846%)。"),
    _item("08和興路44巷跨景美溪人行景觀橋工程", 37_042_010, "本年度所需施工費。"),
    _item("08和興路44巷跨景美溪人行景觀橋工程", 1_907_664, "本年度所需委託監造服務費。"),
    _item("08和興路44巷跨景美溪人行景觀橋工程", 1_050_326, "按施工費提列工程管理費(2.8355%)。"),
    _item("09文和橋旁新設人行及自行車景觀橋工程", 47_600_098, "本年度所需施工費。"),
    _item("09文和橋旁新設人行及自行車景觀橋工程", 1_585_083, "本年度所需委託監造服務費。"),
    _item("09文和橋旁新設人行及自行車景觀橋工程", 814_819, "按施工費提列工程管理費(1.7118%)。"),
    _item("10116年度人行道工程規劃設計", 18_000_000, "本年度所需委託規劃設計服務費。"),
]
EXPENSE_HEADER = ["工作計畫編號", "工作計畫名稱", "分支計畫", "用途別科目", "單位", "數量", "單價", "預算數", "說明"]


def grids(funding=FUNDING_ROWS, expenses=EXPENSES):
    header = list(FUNDING_HEADERS)
    rows = [list(r) + [None] * (len(header) - len(r)) for r in funding]
    return {"基本資料": Grid("基本資料", [list(r) for r in AGENCY_ROWS]),
            "歲出明細": Grid("歲出明細", [EXPENSE_HEADER] + [list(r) for r in expenses]),
            "分年資金需求": Grid("分年資金需求", [header] + rows)}


@pytest.fixture(scope="module")
def taipei():
    book, findings = read_book(grids(), "臺北")
    assert findings == []
    return book


KEYS = ("全程計畫總金額", "以前年度預算數", "116年度", "117年度", "118年度", "119年度", "120年度", "121年度以後")


def test_continuing_matches_taipei(taipei):
    table = derive_funding(taipei, "繼續性")
    assert table.title == "繼續性計畫分年資金需求表" and table.unit == "元"
    assert [c.header for c in table.columns[3:9]] == [("分年資金需求", k) for k in KEYS[2:]]
    row = f"{PLAN}/橋梁工程/和興路44巷跨景美溪人行景觀橋工程"
    assert tuple(table.value(row, k) for k in KEYS) == (197_328_439, 19_138_000, 40_000_000, 57_414_000, 80_776_439,
                                                         0, 0, 0)
    # 總計, by hand from the five projects above
    assert tuple(table.value("總計", k) for k in KEYS) == (
        30_000_000 + 55_000_000 + 136_950_000 + 197_328_439 + 169_700_000,
        18_000_000 + 5_000_000 + 68_475_000 + 19_138_000 + 16_970_000,
        12_000_000 + 24_750_000 + 68_475_000 + 40_000_000 + 50_000_000,
        16_500_000 + 57_414_000 + 102_730_000, 1_000 + 80_776_439, 8_749_000, 0, 0)
    assert [r.cells["計畫項目"] for r in table.rows[:5]] == [
        "總計", "道路橋梁工程", "\u3000道路及橋梁工程", "\u3000\u3000道路工程", "\u3000\u3000115年度人行道工程規劃設計"]


def test_new_projects_table(taipei):
    table = derive_funding(taipei, "新興")
    assert table.title == "新興計畫分年資金需求表"
    assert tuple(table.value("總計", k) for k in KEYS[:4]) == (30_000_000, 0, 18_000_000, 12_000_000)


def test_contents_and_export(taipei):
    contents = [r.code for r in derive_all(taipei)[0].rows if r.code]
    assert contents[-3:-1] == ["繼續性計畫分年資金需求表", "新興計畫分年資金需求表"]  # then 職能及經濟性
    records = {(r["table"], r["row_code"], r["column"]): r["value"] for r in export_records(taipei)}
    assert records["繼續性計畫分年資金需求表", f"{PLAN}/橋梁工程/和興路44巷跨景美溪人行景觀橋工程", "116年度"] == 40_000_000


def test_ties_clean(taipei):
    assert check_funding(taipei) == []


def test_years_versus_total_named_by_cell():
    rows = [list(r) for r in FUNDING_ROWS]
    rows[3][8] = 80_776_493  # 和興路44巷 118年度, two digits swapped
    book, _ = read_book(grids(funding=rows), "臺北")
    found = check_funding(book)
    assert [(f.rule, str(f.cell), f.expected, f.actual) for f in found] == [
        ("funding-years-mismatch", "分年資金需求!E5", 197_328_493, 197_328_439)]
    assert "分年資金需求!I5" in {str(c) for c in found[0].related}


def test_this_year_versus_detail_named_by_cells():
    expenses = [list(r) for r in EXPENSES]
    expenses[6][6] = expenses[6][7] = 1_970_664  # 和興路44巷 委託監造 off by 63,000
    book, _ = read_book(grids(expenses=expenses), "臺北")
    found = check_funding(book)
    assert [(f.rule, str(f.cell), f.expected, f.actual) for f in found] == [
        ("funding-vs-items", "分年資金需求!G5", 40_063_000, 40_000_000)]
    assert {str(c) for c in found[0].related} == {"歲出明細!H7", "歲出明細!H8", "歲出明細!H9"}


def test_bad_kind_named_by_cell():
    rows = [list(r) for r in FUNDING_ROWS]
    rows[0][0] = "延續"
    with pytest.raises(InputError) as err:
        read_book(grids(funding=rows), "臺北")
    assert [(f.rule, str(f.cell)) for f in err.value.findings] == [("not-a-choice", "分年資金需求!A2")]


def test_unknown_plan_named_by_cell():
    # one 工作計畫 rule for 費用分攤, 人事費分析 and 分年資金需求 (readers.grid.SheetReader.plan): not in 歲出明細 → its cell
    rows = [list(r) for r in FUNDING_ROWS]
    rows[1][1] = "58071528599"
    with pytest.raises(InputError) as err:
        read_book(grids(funding=rows), "臺北")
    assert [(f.rule, str(f.cell)) for f in err.value.findings] == [("unknown-plan", "分年資金需求!B3")]


def test_template_has_sheet():
    wb = new_template()
    ws = wb["分年資金需求"]
    assert [c.value for c in ws[1]] == list(FUNDING_HEADERS)
    assert '"繼續性,新興"' in [dv.formula1 for dv in ws.data_validations.dataValidation]


def _built():
    return built_workbook(grids(), "臺北")


def test_built_table_typed_over_is_named_by_cell():
    wb = _built()
    assert not [f for f in check_workbook(wb).findings if f.rule == "schedule-cell-mismatch"]
    ws = wb["繼續性計畫分年資金需求表"]
    cell = next(c for row in ws.iter_rows() for c in row if c.value == 57_414_000)
    cell.value = 57_441_000
    hits = [(f.rule, f.cell.cell) for f in check_workbook(wb).findings if f.rule == "schedule-cell-mismatch"]
    assert hits == [("schedule-cell-mismatch", cell.coordinate)]


def test_handmade_years_and_total_named_by_cell():
    wb = _built()
    for name in list(wb.sheetnames):
        if "分年資金需求表" not in name:
            del wb[name]
    report = check_workbook(wb)
    assert report.kind == "printed" and set(report.tables) == {"繼續性計畫分年資金需求表", "新興計畫分年資金需求表"}
    assert report.findings == []
    ws = wb["繼續性計畫分年資金需求表"]
    row = next(r for r in range(1, ws.max_row + 1) if "和興路44巷" in str(ws.cell(r, 1).value))
    ws.cell(row, 6).value = 57_441_000  # 118年度 (column F, 80,776,439 in FUNDING_ROWS) mistyped
    total = next(r for r in range(1, ws.max_row + 1) if str(ws.cell(r, 1).value) == "總計")
    ws.cell(total, 2).value += 1_000  # 總計 全程計畫總金額 and 116年度 both 1,000 too high: its own line adds up,
    ws.cell(total, 4).value += 1_000  # but it is no longer the sum of the 業務計畫 lines
    findings = check_workbook(wb).findings
    found = {(f.rule, f.cell.cell) for f in findings}
    # the mistyped year breaks its line (B) and its 分支計畫 橋梁工程's column: named at its own cell, with the
    # figure FUNDING_ROWS gives it (80,776,439); its right 全程計畫總金額 B is not told to change
    assert [(f.rule, f.expected, f.actual) for f in findings if f.cell.cell == f"F{row}"] == [
        ("sum-crossing-suspect", 80_776_439, 57_441_000)]
    assert not [f for f in findings if f.cell.cell == f"B{row}"]
    assert {("subtotal-mismatch", f"B{total}"), ("subtotal-mismatch", f"D{total}")} <= found


def test_handmade_taipei_layout():
    """繼續性計畫分年資金需求表 typed as 臺北 116 prints it (07-152-92): '-' for nothing, names wrapped."""
    from openpyxl import Workbook
    wb = Workbook()
    ws = wb.active
    ws.append(["臺北市政府工務局新建工程處"])
    ws.append(["繼續性計畫分年資金需求表"])
    ws.append(["中華民國116年度", None, None, None, None, None, None, None, None, "單位：新臺幣元"])
    ws.append(["計畫項目", "全程計畫總金額", "以前年度預算數", "分年資金需求", None, None, None, None, None, "備註"])
    ws.append([None, None, None, "116年度", "117年度", "118年度", "119年度", "120年度", "121年度以後"])
    ws.merge_cells("D4:I4")
    ws.append(["　　和興路44巷", 197_328_439, 19_138_000, 40_000_000, 57_414_000, 80_776_439, "-", "-", "-"])
    ws.append(["　　跨景美溪人行"])
    ws.append(["　　文和橋旁新設", 169_700_000, 16_970_000, 50_000_000, 102_730_000, "-", "-", "-", "-"])
    assert check_workbook(wb).findings == []
    ws["E6"] = 40_000_001
    assert [(f.rule, f.cell.cell) for f in check_workbook(wb).findings] == [("funding-years-mismatch", "B6")]


def test_later_years_count_toward_total():
    rows = [list(r) for r in FUNDING_ROWS]
    rows[0] = ["繼續性", PLAN, "道路工程", "115年度人行道工程規劃設計", 31_000_000, 18_000_000, 12_000_000,
               None, None, None, None, 1_000_000]  # 121年度以後 1,000,000
    book, _ = read_book(grids(funding=rows), "臺北")
    assert [f.rule for f in check_funding(book)] == []
    table = derive_funding(book, "繼續性")
    assert table.value(f"{PLAN}/道路工程/115年度人行道工程規劃設計", "121年度以後") == 1_000_000


def _printed_with_detail():
    wb = _built()
    for name in list(wb.sheetnames):
        if "分年資金需求表" not in name and name != "歲出計畫說明提要與各項費用明細表":
            del wb[name]
    return wb


def test_handmade_this_year_tied_to_printed_detail():
    wb = _printed_with_detail()
    assert [f.rule for f in check_workbook(wb).findings] == []
    ws = wb["繼續性計畫分年資金需求表"]
    row = next(r for r in range(1, ws.max_row + 1) if "和興路44巷" in str(ws.cell(r, 1).value))
    ws.cell(row, 4).value += 1_000  # 116年度 1,000 more, 117年度 1,000 less: the line still adds up
    ws.cell(row, 5).value -= 1_000
    found = [(f.rule, f.cell.cell, f.expected, f.actual) for f in check_workbook(wb).findings]
    assert found == [("funding-vs-items", f"D{row}", 40_000_000, 40_001_000)]


def test_handmade_wrapped_name_tied_to_printed_detail():
    """臺北 116 wraps a project's name over lines, the figures beside its first (「和興路44巷」/「跨景美溪人行」/…)."""
    wb = _printed_with_detail()
    del wb["繼續性計畫分年資金需求表"], wb["新興計畫分年資金需求表"]
    ws = wb.create_sheet("分年")
    ws.append(["繼續性計畫分年資金需求表"])
    ws.append(["中華民國116年度", None, None, None, None, None, None, None, None, "單位：新臺幣元"])
    ws.append(["計畫項目", "全程計畫總金額", "以前年度預算數", "分年資金需求", None, None, None, None, None, "備註"])
    ws.append([None, None, None, "116年度", "117年度", "118年度", "119年度", "120年度", "121年度以後"])
    ws.merge_cells("D3:I3")
    ws.append(["\u3000\u3000和興路44巷", 197_328_439, 19_138_000, 40_000_000, 57_414_000, 80_776_439, "-", "-", "-"])
    ws.append(["\u3000\u3000跨景美溪人行"])
    ws.append(["\u3000\u3000景觀橋工程"])
    assert [f.rule for f in check_workbook(wb).findings] == []
    ws["D5"], ws["E5"] = 40_100_000, 57_314_000
    assert [(f.rule, f.cell.cell) for f in check_workbook(wb).findings] == [("funding-vs-items", "D5")]


def test_typed_totals_row_is_checked_not_read():
    # 合計 typed in 類別 under the six projects: 全程計畫總金額 30,000,000 + 55,000,000 + 136,950,000 + 197,328,439
    # + 169,700,000 + 30,000,000 = 618,978,439; 本年度 12,000,000 + 24,750,000 + 68,475,000 + 40,000,000
    # + 50,000,000 + 18,000,000 = 213,225,000, typed 213,225,001
    rows = [list(r) for r in FUNDING_ROWS] + [["合計", None, None, None, 618_978_439, None, 213_225_001]]
    book, findings = read_book(grids(funding=rows), "臺北")
    assert len(book.funding) == 6
    assert [(str(f.cell), f.expected, f.actual) for f in findings if f.rule == "totals-row-mismatch"] == [
        ("分年資金需求!G8", 213_225_000, 213_225_001)]


def _printed_funding():
    wb = _built()
    for name in list(wb.sheetnames):
        if "分年資金需求表" not in name:
            del wb[name]
    return wb


def _row_of(ws, text):
    return next(r for r in range(1, ws.max_row + 1) if str(ws.cell(r, 1).value).strip("\u3000") == text)


def test_handmade_year_slip_named_at_its_cell_not_the_right_total():
    """A project's year mistyped breaks its line (全程計畫總金額 B) and its 分支計畫's column (橋梁工程, printed at the
    projects' indent as 臺北 116 prints it): named at the year's own cell, B left alone (field report 13 §F3)."""
    wb = _printed_funding()
    ws = wb["繼續性計畫分年資金需求表"]
    row, branch = _row_of(ws, "文和橋旁新設人行及自行車景觀橋工程"), _row_of(ws, "橋梁工程")
    assert check_workbook(wb).findings == []
    ws.cell(row, 5).value = 107_230_000  # 117年度 102,730,000 with two digits swapped
    # 102,730,000 = 169,700,000 − 16,970,000 − 50,000,000 (its line) = 160,144,000 − 57,414,000 (橋梁工程 117年度)
    found = [(f.rule, f.cell.cell, f.expected, f.actual) for f in check_workbook(wb).findings
             if f.severity.value in ("error", "warning")]
    assert found == [("sum-crossing-suspect", f"E{row}", 102_730_000, 107_230_000)]
    assert [c.cell for f in check_workbook(wb).findings for c in f.related] == [f"B{row}", f"E{branch}"]


def test_handmade_branch_subtotal_checked_year_by_year():
    """A 分支計畫's year (橋梁工程 117年度) is the sum of its projects': 0 + 57,414,000 + 102,730,000 = 160,144,000.
    Mistyped, it is named there, not on its right 全程計畫總金額 503,978,439 (field report 13 §F3, 臺北 E10)."""
    wb = _printed_funding()
    ws = wb["繼續性計畫分年資金需求表"]
    branch = _row_of(ws, "橋梁工程")
    ws.cell(branch, 5).value = 16_014_400  # a digit left out
    found = [(f.rule, f.cell.cell, f.expected, f.actual) for f in check_workbook(wb).findings
             if f.severity.value in ("error", "warning")]
    assert found == [("subtotal-mismatch", f"E{branch}", 160_144_000, 16_014_400)]


def test_handmade_years_typed_as_numbers_leave_the_table_said_unreadable_not_checked_wrong():
    """The 分年資金需求 years typed as numbers (116 | 117 | … under the merged 「分年資金需求」, where 臺北 116 prints
    「116年度」…) were read as a line: six columns under one heading, each line kept its last (121年度以後, 0) and lost
    116 to 120年度, and every right 全程計畫總金額 was told «應為» its 以前年度預算數 alone (繼續性 總計 B7 588,978,439
    «應為 127,583,000»), 12 errors, none true. Now the table is said unreadable at its title, naming the six columns
    (table-unreadable), and no figure of it is judged."""
    wb = _printed_with_detail()
    ws = wb["繼續性計畫分年資金需求表"]
    assert [ws[f"{c}6"].value for c in "DEFGH"] == ["116年度", "117年度", "118年度", "119年度", "120年度"]
    for c, year in zip("DEFGH", range(116, 121)):
        ws[f"{c}6"] = year
    found = [(f.rule, f.cell.sheet, f.cell.cell) for f in check_workbook(wb).findings]
    assert found == [("table-unreadable", "繼續性計畫分年資金需求表", "A2")]
    message = check_workbook(wb).findings[0].message
    assert "有 6 欄同名「分年資金需求」（D、E、F、G、H、I 欄）" in message
