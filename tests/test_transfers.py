"""轉帳收支對照表 (issue 14): the 轉帳收支 input sheet, the printed table and its 勾稽.

Expected figures are transcribed by hand from ../shared/reference-books/taichung-dbas-115.txt
(轉帳收支對照表 02004-48; 明細表 一般行政-行政管理 02004-13/14: 收支併列446,000元 on 3025 運輸設備費).
"""

import pytest

from xlbudget.app.check import check_workbook
from xlbudget.core.errors import InputError
from xlbudget.app.export import export_records
from xlbudget.readers.grid import Grid
from xlbudget.readers.inputs import read_book
from xlbudget.app.pipeline import build_workbook
from xlbudget.derive.book import derive_all
from xlbudget.app.template import new_template
from xlbudget.derive.transfers import TRANSFERS, derive_transfers
from xlbudget.forms.inputs import TRANSFER_HEADERS
from xlbudget.rules.transfers import check_transfers

PLAN = "32020040101"
AGENCY_ROWS = [["項目", "內容"], ["機關名稱", "臺中市政府主計處"], ["機關編號", "02-004"], ["年度", 115],
               ["主管機關", "臺中市政府主管"], ["職能別", "01 一般公共事務"], ["歲出款", "02"], ["歲出項", "003"]]
EXPENSE_HEADER = ["工作計畫編號", "工作計畫名稱", "用途別科目", "單位", "數量", "單價", "預算數", "收支併列數", "說明"]
# 一般行政-行政管理 3025 運輸設備費: 910,000 元, 市庫款464,000元，臺中市環境保護基金446,000元 (02004-14)
EXPENSES = [[PLAN, "一般行政-行政管理", "3025", "輛", 1, 910_000, 910_000, 446_000,
             "汰換油電混合動力車(1800cc以下)。(市庫款464,000元，臺中市環境保護基金446,000元)"],
            [PLAN, "一般行政-行政管理", "3030", "年", 1, 450_000, 450_000, None, "汰換業務需求電腦設備等。"]]
TRANSFER_ROWS = [[PLAN, "12173500210", "08其他收入", "084臺中市政府環境保護局", "01雜項收入", "03其他雜項收入", 446_000,
                  "臺中市環境保護基金"]]


def grids(expenses=EXPENSES, transfers=TRANSFER_ROWS, revenues=None):
    out = {"基本資料": Grid("基本資料", [list(r) for r in AGENCY_ROWS]),
           "歲出明細": Grid("歲出明細", [EXPENSE_HEADER] + [list(r) for r in expenses]),
           "轉帳收支": Grid("轉帳收支", [list(TRANSFER_HEADERS)] + [list(r) for r in transfers])}
    if revenues is not None:
        out["歲入明細"] = Grid("歲入明細", [["科目編號", "科目名稱", "款", "項", "目", "節", "預算數"]] + revenues)
    return out


@pytest.fixture(scope="module")
def taichung():
    book, findings = read_book(grids(), "臺中")
    assert findings == []
    return book


# 02004-48 (千元): each printed line, 歲出 款/項/目/節, 名稱及編號, 預算數 | 歲入 款/項/目/節, 名稱及編號, 預算數
PRINTED = [
    (("", "", "", ""), "總計", 446, ("", "", "", ""), "總計", 446),
    (("02", "", "", ""), "00020000000 臺中市政府主管", 446, ("08", "", "", ""), "12000000000 其他收入", 446),
    (("", "003", "", ""), "00020040000 臺中市政府主計處", 446, ("", "084", "", ""), "12173500000 臺中市政府環境保護局",
     446),
    (("", "", "01", ""), "32020040100 一般行政", 446, ("", "", "01", ""), "12173500200 雜項收入", 446),
    (("", "", "", "01"), "32020040101 行政管理", 446, ("", "", "", "03"), "12173500210 其他雜項收入", 446),
]


def _side(row, side):
    c = row.cells
    return (tuple(c.get(f"{side}/{k}", "") for k in ("款", "項", "目", "節")),
            c.get(f"{side}/名稱及編號", "").replace("\u3000", ""), c.get(f"{side}/預算數"))


def test_transfers_match_taichung(taichung):
    table = derive_transfers(taichung)
    assert table.unit == "千元"
    assert [_side(r, "歲出") + _side(r, "歲入") for r in table.rows] == PRINTED


def test_contents_last_and_export(taichung):
    tables = derive_all(taichung)
    contents = [r.code for r in tables[0].rows if r.code]
    assert contents[-1] == TRANSFERS  # 臺中 115 目次: 13.轉帳收支對照表, after 職能及經濟性綜合分類表
    records = {(r["row_code"], r["column"]): r["value"] for r in export_records(taichung) if r["table"] == TRANSFERS}
    assert records["總計", "歲出/預算數"] == records["總計", "歲入/預算數"] == 446
    assert records["32020040101/12173500210", "歲入/預算數"] == 446


def test_transfers_tied_to_matched(taichung):
    assert check_transfers(taichung) == []


def test_transfer_versus_matched_named_by_cells_on_both_sides():
    transfers = [list(TRANSFER_ROWS[0])]
    transfers[0][6] = 464_000  # the 市庫款 part typed instead of the fund's
    book, _ = read_book(grids(transfers=transfers), "臺中")
    found = check_transfers(book)
    assert [(f.rule, str(f.cell), f.expected, f.actual) for f in found] == [
        ("transfer-exceeds-matched", "轉帳收支!G2", 446_000, 464_000)]
    assert [str(c) for c in found[0].related] == ["歲出明細!H2"]


def test_transfer_versus_own_revenue():
    revenue = [["12173500210", "雜項收入-其他雜項收入", "08其他收入", "084臺中市政府環境保護局", "01雜項收入",
                "03其他雜項收入", 400_000]]
    book, _ = read_book(grids(revenues=revenue), "臺中")
    found = [f for f in check_transfers(book) if f.rule == "transfer-vs-revenue"]
    assert [(str(f.cell), f.expected, f.actual, [str(c) for c in f.related]) for f in found] == [
        ("轉帳收支!G2", 400_000, 446_000, ["歲入明細!G2"])]


def test_unknown_plan_named_by_cell():
    transfers = [list(TRANSFER_ROWS[0])]
    transfers[0][0] = "32020040199"
    with pytest.raises(InputError) as err:
        read_book(grids(transfers=transfers), "臺中")
    assert [(f.rule, str(f.cell)) for f in err.value.findings] == [("unknown-plan", "轉帳收支!A2")]


def test_revenue_code_typed_as_a_number_gets_its_lost_zero_back():
    """歲入科目編號 09020180102 typed as a number (Excel keeps 9020180102) reads as 09020180102, as in 歲入明細."""
    rows = [list(TRANSFER_ROWS[0])]
    rows[0][1] = 9020180102
    book, findings = read_book(grids(transfers=rows), "臺中")
    assert findings == [] and [t.revenue_code for t in book.transfers] == ["09020180102"]


def test_empty_plan_in_a_one_plan_book_is_that_plan():
    """As in 公務車輛 and 費用分攤 (SheetReader.plan): a book of one 工作計畫 need not repeat it."""
    rows = [list(TRANSFER_ROWS[0])]
    rows[0][0] = None
    book, findings = read_book(grids(transfers=rows), "臺中")
    assert findings == [] and [t.plan_code for t in book.transfers] == [PLAN]


def test_template_has_transfer_sheet():
    wb = new_template()
    assert [c.value for c in wb["轉帳收支"][1]] == list(TRANSFER_HEADERS)
    assert "轉帳收支：" in "".join(str(c.value or "") for c in wb["說明"]["A"])


def test_built_transfer_table_typed_over_is_named_by_cell():
    wb = new_template()
    for name, grid in grids().items():
        ws = wb[name]
        ws.delete_rows(1, ws.max_row)
        for row in grid.rows:
            ws.append(row)
    book, _ = read_book(grids(), "臺中")
    build_workbook(wb, book)
    assert not [f for f in check_workbook(wb).findings if f.rule == "schedule-cell-mismatch"]
    ws = wb[TRANSFERS]
    cell = next(c for row in ws.iter_rows() for c in row if c.value == 446 and c.column == 12)
    cell.value = 445
    hits = [(f.rule, f.cell.cell) for f in check_workbook(wb).findings if f.rule == "schedule-cell-mismatch"]
    assert hits == [("schedule-cell-mismatch", cell.coordinate)]


# ---------------------------------------------------------------- hand-made books (printed tables only)

DETAIL = "歲出計畫說明提要與各項費用明細表"


def _printed_book():
    wb = new_template()
    for name, grid in grids().items():
        ws = wb[name]
        ws.delete_rows(1, ws.max_row)
        for row in grid.rows:
            ws.append(row)
    book, _ = read_book(grids(), "臺中")
    build_workbook(wb, book)
    for name in list(wb.sheetnames):
        if name not in (DETAIL, TRANSFERS):
            del wb[name]
    return wb


def _findings(wb):
    report = check_workbook(wb)
    assert report.kind == "printed" and TRANSFERS in report.tables
    return [(f.rule, f.cell.sheet, f.cell.cell) for f in report.findings if f.rule != "not-whole-thousand"]


def test_handmade_transfers_clean():
    assert _findings(_printed_book()) == []


def test_handmade_sides_and_subtotals_named_by_cell():
    """歲入 總計 L8 446 typed 464: its lines add up to 446 (subtotal-mismatch at L8, the slip). 歲出 總計 F8 prints the
    right 446 and is not told «兩者應相等» 應為 464 (transfer-sides-mismatch, which follows from L8:
    rules.blame.followed_slips; it was)."""
    wb = _printed_book()
    ws = wb[TRANSFERS]
    total_in = next(c for row in ws.iter_rows() for c in row if c.value == 446 and c.column == 12)  # 歲入 總計
    assert ws.cell(total_in.row, 6).value == 446  # 歲出 總計 F8
    total_in.value = 464
    found = _findings(wb)
    assert ("transfer-sides-mismatch", TRANSFERS, f"F{total_in.row}") not in found
    assert ("subtotal-mismatch", TRANSFERS, total_in.coordinate) in found


def test_handmade_plan_line_tied_to_detail_note():
    wb = _printed_book()
    ws = wb[TRANSFERS]
    plan_out = next(c for row in ws.iter_rows() for c in row if c.value == 446 and c.column == 6
                    and "32020040101" in str(ws.cell(c.row, 5).value))
    for c in (plan_out, ws.cell(plan_out.row, 12)):
        c.value = 464  # 行政管理 line (both sides) no longer the plan's 收支併列 446,000 元
    found = _findings(wb)
    assert ("transfer-vs-matched", TRANSFERS, plan_out.coordinate) in found


def test_handmade_taichung_layout():
    """轉帳收支對照表 typed as 臺中 115 prints it (02004-48): each 科目's name on the line below its code."""
    from openpyxl import Workbook
    wb = Workbook()
    ws = wb.active
    ws.append(["臺中市政府主計處"])
    ws.append(["轉帳收支對照表"])
    ws.append(["中華民國115年度", None, None, None, None, None, None, None, None, None, None, "單位：新臺幣千元"])
    ws.append(["歲\u3000出", None, None, None, None, None, "歲\u3000入"])
    ws.append(["科\u3000目", None, None, None, None, "預算數", "科\u3000目", None, None, None, None, "預算數"])
    ws.append(["款", "項", "目", "節", "名稱及編號", None, "款", "項", "目", "節", "名稱及編號"])
    ws.merge_cells("A4:F4"), ws.merge_cells("G4:L4"), ws.merge_cells("A5:E5"), ws.merge_cells("G5:K5")
    ws.merge_cells("F5:F6"), ws.merge_cells("L5:L6")
    ws.append([None, None, None, None, "總\u3000計", 446, None, None, None, None, "總\u3000計", 446])
    ws.append(["02", None, None, None, "00020000000", 446, "08", None, None, None, "12000000000", 446])
    ws.append([None, None, None, None, "臺中市政府主管", None, None, None, None, None, "其他收入"])
    ws.append([None, "003", None, None, "00020040000", 446, None, "084", None, None, "12173500000", 446])
    ws.append([None, None, None, None, "臺中市政府主計處", None, None, None, None, None, "臺中市政府環境保護局"])
    ws.append([None, None, "01", None, "32020040100", 446, None, None, "01", None, "12173500200", 446])
    ws.append([None, None, None, None, "一般行政", None, None, None, None, None, "雜項收入"])
    ws.append([None, None, None, "01", "32020040101", 446, None, None, None, "03", "12173500210", 446])
    ws.append([None, None, None, None, "行政管理", None, None, None, None, None, "其他雜項收入"])
    assert [f.rule for f in check_workbook(wb).findings] == []
    ws["L10"] = 440  # 084 臺中市政府環境保護局 mistyped
    found = {(f.rule, f.cell.cell) for f in check_workbook(wb).findings}
    assert found == {("subtotal-mismatch", "L10")}


def test_typed_totals_row_is_checked_not_read():
    # 合計 typed in 工作計畫編號 under the one transfer (446,000), first right then off by 1
    for typed, expected in ((446_000, []), (446_001, [("轉帳收支!G3", 446_000, 446_001)])):
        rows = [list(r) for r in TRANSFER_ROWS] + [["合計", None, None, None, None, None, typed, None]]
        book, findings = read_book(grids(transfers=rows), "臺中")
        assert len(book.transfers) == 1
        assert [(str(f.cell), f.expected, f.actual) for f in findings if f.rule == "totals-row-mismatch"] == expected
