"""各項費用分攤表 (issue 14): the 費用分攤 input sheet, the printed table and its 勾稽.

Expected figures are transcribed by hand from ../shared/reference-books/taipei-newworks-116.txt
(各項費用分攤表 07-152-85; 明細表 08和興路44巷跨景美溪人行景觀橋工程 07-152-65/66; 繼續性計畫分年資金需求表 07-152-93).
"""

from decimal import Decimal

import pytest
from built_books import built_workbook

from xlbudget.app.check import check_workbook
from xlbudget.derive.cost_shares import COST_SHARES, derive_cost_shares, share_ratio
from xlbudget.forms.inputs import COST_SHARE_HEADERS
from xlbudget.rules.cost_shares import check_cost_shares
from xlbudget.core.errors import InputError
from xlbudget.app.export import export_records
from xlbudget.readers.grid import Grid
from xlbudget.readers.inputs import read_book
from xlbudget.derive.book import derive_all

PLAN = "58071528501"
NAME = "道路橋梁工程-道路及橋梁工程"
PROJECT = "和興路44巷跨景美溪人行景觀橋工程"
AGENCY_ROWS = [["項目", "內容"], ["機關名稱", "臺北市政府工務局新建工程處"], ["機關編號", "07-152"], ["年度", 116],
               ["主管機關", "臺北市政府工務局主管"], ["職能別", "12 運輸及通信"], ["版式", "臺北市"]]
METHOD = "50%堤防對堤防間橋梁段（含堤防），市轄內引道等各自分攤"
# 工作計畫編號, 計畫項目, 單位, 數量, 合辦單位, 分攤方式, 分攤比率, 總經費, 施工費用, 工程管理費, 委外費用, 本機關, 說明
SHARE_ROWS = [
    [PLAN, PROJECT, "式", 1, "新北市政府新建工程處", METHOD, "52.32", 216_505_350, 68_021_853, 1_928_787, 5_786_360,
     None, None],
    [PLAN, PROJECT, "式", 1, "臺北市政府工務局新建工程處", METHOD, "47.68", 197_328_439, 37_042_010, 1_050_326,
     1_907_664, "是", "本工程由臺北市政府工務局新建工程處主辦。"],
]
EXPENSE_HEADER = ["工作計畫編號", "工作計畫名稱", "分支計畫", "用途別科目", "預算數", "說明"]
BRANCH = "08" + PROJECT
EXPENSES = [[PLAN, NAME, BRANCH, "3015", 37_042_010, "本年度所需施工費。"],
            [PLAN, NAME, BRANCH, "3015", 1_907_664, "本年度所需委託監造服務費。"],
            [PLAN, NAME, BRANCH, "3015", 1_050_326, "按施工費提列工程管理費(2.8355%)。"]]


def grids(shares=SHARE_ROWS, expenses=EXPENSES, funding=None):
    out = {"基本資料": Grid("基本資料", [list(r) for r in AGENCY_ROWS]),
           "歲出明細": Grid("歲出明細", [EXPENSE_HEADER] + [list(r) for r in expenses]),
           "費用分攤": Grid("費用分攤", [list(COST_SHARE_HEADERS)] + [list(r) for r in shares])}
    if funding:
        out["分年資金需求"] = Grid("分年資金需求", [["類別", "工作計畫編號", "計畫項目", "全程計畫總金額", "以前年度預算數",
                                                "本年度", "第2年度", "第3年度"]] + funding)
    return out


@pytest.fixture(scope="module")
def taipei():
    book, findings = read_book(grids(), "臺北")
    assert findings == []
    return book


MONEY = ("總經費", "本年度預算數/合計", "本年度預算數/設備及投資/施工費用", "本年度預算數/設備及投資/工程管理費",
         "本年度預算數/設備及投資/委外費用")


def test_table_matches_taipei(taipei):
    table = derive_cost_shares(taipei)
    assert table.unit == "元"
    project = table.find(f"{PLAN}/{PROJECT}")
    assert project.cells["分攤比率"] == "100"
    assert tuple(project.cells[k] for k in MONEY) == (413_833_789, 115_737_000, 105_063_863, 2_979_113, 7_694_024)
    assert project.cells["說明"] == "本工程由臺北市政府工務局新建工程處主辦。"
    newtaipei = table.find(f"{PLAN}/{PROJECT}/新北市政府新建工程處")
    assert (newtaipei.cells["分攤比率"],) + tuple(newtaipei.cells[k] for k in MONEY) == (
        "52.32", 216_505_350, 75_737_000, 68_021_853, 1_928_787, 5_786_360)
    own = table.find(f"{PLAN}/{PROJECT}/臺北市政府工務局新建工程處")
    assert (own.cells["分攤比率"],) + tuple(own.cells[k] for k in MONEY) == (
        "47.68", 197_328_439, 40_000_000, 37_042_010, 1_050_326, 1_907_664)


def test_share_ratio():
    assert share_ratio(216_505_350, 413_833_789) == Decimal("52.32")
    assert share_ratio(197_328_439, 413_833_789) == Decimal("47.68")
    assert share_ratio(1, 8) == Decimal("12.50") and share_ratio(1, 800) == Decimal("0.13")  # 0.125 → 0.13


def test_contents_and_export(taipei):
    contents = [r.code for r in derive_all(taipei)[0].rows if r.code]
    assert contents[-2:] == [COST_SHARES, "歲出按職能及經濟性綜合分類表"]
    records = {(r["row_code"], r["column"]): r["value"] for r in export_records(taipei) if r["table"] == COST_SHARES}
    assert records[f"{PLAN}/{PROJECT}", "總經費"] == 413_833_789


def test_ties_clean(taipei):
    assert check_cost_shares(taipei) == []


def test_ratio_named_by_cell():
    shares = [list(r) for r in SHARE_ROWS]
    shares[0][6] = "52.23"
    book, _ = read_book(grids(shares=shares), "臺北")
    assert [(f.rule, str(f.cell), f.expected, f.actual) for f in check_cost_shares(book)] == [
        ("cost-share-ratio-mismatch", "費用分攤!G2", "52.32", "52.23")]


def test_own_share_versus_detail_named_by_cells():
    expenses = [list(r) for r in EXPENSES]
    expenses[2][4] = 1_005_326  # 工程管理費 line 45,000 short
    book, _ = read_book(grids(expenses=expenses), "臺北")
    found = check_cost_shares(book)
    assert [(f.rule, str(f.cell), f.expected, f.actual) for f in found] == [
        ("cost-share-vs-items", "費用分攤!I3", 39_955_000, 40_000_000)]
    assert {"歲出明細!E2", "歲出明細!E3", "歲出明細!E4"} <= {str(c) for c in found[0].related}


def test_own_share_versus_funding():
    funding = [["繼續性", PLAN, PROJECT, 197_328_439, 19_138_000, 40_000_000, 57_414_000, 80_776_439]]
    book, _ = read_book(grids(funding=funding), "臺北")
    assert check_cost_shares(book) == []
    funding[0][3] = 197_328_493
    book, _ = read_book(grids(funding=funding), "臺北")
    assert [(f.rule, str(f.cell), [str(c) for c in f.related]) for f in check_cost_shares(book)] == [
        ("cost-share-vs-funding", "費用分攤!H3", ["分年資金需求!D2"])]


def test_bad_ratio_named_by_cell():
    shares = [list(r) for r in SHARE_ROWS]
    shares[1][6] = "四成"
    with pytest.raises(InputError) as err:
        read_book(grids(shares=shares), "臺北")
    assert [(f.rule, str(f.cell)) for f in err.value.findings] == [("not-a-decimal", "費用分攤!G3")]


def test_ratio_typed_with_a_full_width_percent_sign_is_read():
    shares = [list(r) for r in SHARE_ROWS]
    shares[0][6], shares[1][6] = "５２．３２％", "47.68%"  # as officers type them: full-width digits and ％
    book, findings = read_book(grids(shares=shares), "臺北")
    assert findings == [] and [s.ratio for s in book.cost_shares] == [Decimal("52.32"), Decimal("47.68")]


@pytest.mark.parametrize("typed, wrong", [("52.32％", False), ("52.23％", True), ("５２．２３", True),
                                          ("52.23 %", True)])
def test_handmade_ratio_with_percent_sign_or_full_width_digits_is_checked(typed, wrong):
    """A printed 分攤比率 typed 52.23％ (52.32 by hand: 216,505,350 ÷ 413,833,789) is named, not skipped unread."""
    wb = _built()
    for name in list(wb.sheetnames):
        if name != COST_SHARES:
            del wb[name]
    ratio = next(c for row in wb[COST_SHARES].iter_rows() for c in row if c.value == "52.32")
    ratio.value = typed
    found = [(f.rule, f.cell.cell) for f in check_workbook(wb).findings]
    assert found == ([("cost-share-ratio-mismatch", ratio.coordinate)] if wrong else [])


def _built():
    return built_workbook(grids(), "臺北")


def test_built_table_typed_over_is_named_by_cell():
    wb = _built()
    assert not [f for f in check_workbook(wb).findings if f.rule == "schedule-cell-mismatch"]
    ws = wb[COST_SHARES]
    cell = next(c for row in ws.iter_rows() for c in row if c.value == 75_737_000)
    cell.value = 75_773_000
    assert [(f.rule, f.cell.cell) for f in check_workbook(wb).findings if f.rule == "schedule-cell-mismatch"] == [
        ("schedule-cell-mismatch", cell.coordinate)]


def test_handmade_sums_and_ratio_named_by_cell():
    wb = _built()
    for name in list(wb.sheetnames):
        if name != COST_SHARES:
            del wb[name]
    report = check_workbook(wb)
    assert report.kind == "printed" and report.tables == (COST_SHARES,)
    assert report.findings == []
    ws = wb[COST_SHARES]
    ratio = next(c for row in ws.iter_rows() for c in row if c.value == "52.32")
    ratio.value = "52.23"
    fee = next(c for row in ws.iter_rows() for c in row if c.value == 1_050_326)  # 臺北 工程管理費
    fee.value = 1_005_326
    found = {(f.rule, f.cell.cell) for f in check_workbook(wb).findings}
    assert ("cost-share-ratio-mismatch", ratio.coordinate) in found
    # that line's 合計 40,000,000 ≠ Σ its parts, and the project's 工程管理費 ≠ Σ its parties, both by 45,000: the
    # one figure both sums share is named, not the two right totals (field report 8 §2.2: sum-crossing-suspect)
    assert ("sum-crossing-suspect", fee.coordinate) in found
    assert ("subtotal-mismatch", f"H{fee.row}") not in found


def _taipei_layout():
    """各項費用分攤表 typed as 臺北 116 prints it (07-152-85): the plan line, the project's name wrapped, the parties'
    合辦單位 and 分攤方式 as text, 比率 under 分攤比率 %."""
    from openpyxl import Workbook
    wb = Workbook()
    ws = wb.active
    ws.append(["臺北市政府工務局新建工程處"])
    ws.append(["各項費用分攤表"])
    ws.append(["中華民國116年度", None, None, None, None, None, None, None, None, None, None, "單位：新臺幣元"])
    ws.append(["科目名稱", "預定完成工作總數", None, "合辦單位", "分攤方式", "分攤比率%", "總經費", "本年度預算數", None, None,
               None, "說明"])
    ws.append([None, None, None, None, None, None, None, "合計", "設備及投資", None, None])
    ws.append([None, "單位", "數量", None, None, None, None, None, "施工費用", "工程管理費", "委外費用"])
    for rng in ("B4:C4", "H4:K4", "I5:K5", "A4:A6", "D4:D6", "E4:E6", "F4:F6", "G4:G6", "H5:H6", "L4:L6"):
        ws.merge_cells(rng)
    ws.append(["道路及橋梁工程-橋梁工程"])
    ws.append(["\u3000和興路44巷", None, None, None, None, 100, 413_833_789, 115_737_000, 105_063_863, 2_979_113,
               7_694_024, "本工程由臺北市政府工務局新建工程處主辦。"])
    ws.append(["\u3000跨景美溪人行景觀橋工程"])
    ws.append([None, "式", 1, "新北市政府新建工程處", METHOD, 52.32, 216_505_350, 75_737_000, 68_021_853, 1_928_787,
               5_786_360])
    ws.append([None, "式", 1, "臺北市政府工務局新建工程處", METHOD, 47.68, 197_328_439, 40_000_000, 37_042_010,
               1_050_326, 1_907_664])
    return wb


def test_handmade_taipei_layout():
    wb = _taipei_layout()
    ws = wb.active
    report = check_workbook(wb)
    assert report.tables == (COST_SHARES,) and report.findings == []
    ws["F10"] = 52.23
    ws["J11"] = 1_005_326
    found = {(f.rule, f.cell.cell) for f in check_workbook(wb).findings}
    # the party's 合計 no longer adds up (H11), nor the project's 工程管理費 over its parties (J8), both by 45,000:
    # J11, the one figure both sums share, is named instead of those two (field report 8 §2.2)
    assert found == {("cost-share-ratio-mismatch", "F10"), ("sum-crossing-suspect", "J11")}


def _errors(wb):
    return [(f.rule, f.cell.cell, f.expected, f.actual) for f in check_workbook(wb).findings
            if f.severity.value in ("error", "warning")]


@pytest.mark.parametrize("typed", ["101", "1000", 101])
def test_handmade_project_ratio_is_its_whole(typed):
    """The project's own 分攤比率 is its 總經費 ÷ itself, 100 (= 52.32 + 47.68): typed 101 or 1000, it is named
    (field report 13 §F6: never checked)."""
    wb = _taipei_layout()
    wb.active["F8"] = typed
    assert _errors(wb) == [("cost-share-ratio-mismatch", "F8", "100.00", str(typed))]


def test_handmade_party_whole_named_not_the_two_right_cells():
    """A party's 總經費 typed with a digit too many (G10 2,165,053,500) breaks the project's sum (G8) and its own
    分攤比率 (F10): G10 is named, 應為 413,833,789 − 197,328,439 = 216,505,350 (52.32% of G8), not G8 nor F10
    (field report 13 §F6)."""
    wb = _taipei_layout()
    wb.active["G10"] = 2_165_053_500
    assert _errors(wb) == [("crossing-suspect", "G10", 216_505_350, 2_165_053_500)]


def test_handmade_project_whole_named_alone():
    """The project's 總經費 typed with a digit too many (G8 4,138,337,890): named, 應為 216,505,350 + 197,328,439 =
    413,833,789; the parties' 分攤比率, right against that sum, are not told to change."""
    wb = _taipei_layout()
    wb.active["G8"] = 4_138_337_890
    assert _errors(wb) == [("subtotal-mismatch", "G8", 413_833_789, 4_138_337_890)]


def _totals(findings):
    return [(str(f.cell), f.expected, f.actual) for f in findings if f.rule == "totals-row-mismatch"]


def test_typed_totals_row_is_checked_not_read():
    # a 小計 of the project typed in 合辦單位: 總經費 216,505,350 + 197,328,439 = 413,833,789; 施工費用
    # 68,021,853 + 37,042,010 = 105,063,863, typed 105,063,864
    total = [PLAN, PROJECT, None, None, "小計", None, "100", 413_833_789, 105_063_864, 2_979_113, 7_694_024, None, None]
    book, findings = read_book(grids(shares=[list(r) for r in SHARE_ROWS] + [total]), "臺北")
    assert [s.partner for s in book.cost_shares] == ["新北市政府新建工程處", "臺北市政府工務局新建工程處"]
    assert _totals(findings) == [("費用分攤!I4", 105_063_863, 105_063_864)]


def test_ratios_typed_as_percent_cells_are_percent():
    # 52.32% and 47.68% in percent-formatted cells hold 0.5232 and 0.4768 (sum 1): the same table, no finding
    rows = [list(r) for r in SHARE_ROWS]
    rows[0][6], rows[1][6] = 0.5232, 0.4768
    book, findings = read_book(grids(shares=rows), "臺北")
    assert findings == [] and check_cost_shares(book) == []
    assert [s.ratio for s in book.cost_shares] == [Decimal("52.32"), Decimal("47.68")]
    table = derive_cost_shares(book)
    assert table.find(f"{PLAN}/{PROJECT}").cells["分攤比率"] == "100"
    assert table.find(f"{PLAN}/{PROJECT}/新北市政府新建工程處").cells["分攤比率"] == "52.32"
    assert table.find(f"{PLAN}/{PROJECT}/臺北市政府工務局新建工程處").cells["分攤比率"] == "47.68"
