"""Hand-made printed books as the 2026-12-01 field test typed them (field items 11, 13, L2, L13): each planted
error is named at its cell, and the right figures give no false error.

The book is the seed example's built tables without its input sheets (``xlbudget demo``'s printed copy). Its
figures are the seed's (../shared/seed/000_9c62b59cf9023585.txt): 明細表 32020180101 一般行政-行政管理
1020 約聘僱人員待遇 5,282,562 元 = 約聘人員薪資 4,410,710 + 約僱人員薪資 871,852; 1035 其他給與 848,000 =
128,000 + 624,000 + 96,000; 各項費用彙計表 合計 43,769 + 232,026 = 275,795 千元.
"""

from __future__ import annotations

from decimal import Decimal

import openpyxl
import pytest

from xlbudget.adapters.xlsxfile import input_grids
from xlbudget.app.check import check_workbook
from xlbudget.app.example import example_workbook
from xlbudget.app.pipeline import build_workbook
from xlbudget.core.amounts import MisplacedComma, NotANumber, parse_printed_quantity
from xlbudget.core.findings import Severity
from xlbudget.forms.inputs import INPUT_SHEETS
from xlbudget.readers.inputs import read_book

DETAIL = "歲出計畫說明提要與各項費用明細表"
SUMMARY = "各項費用彙計表"


@pytest.fixture(scope="module")
def built():
    wb = example_workbook()
    book, _ = read_book(input_grids(wb, "範例"), "範例")
    build_workbook(wb, book)
    return wb


def printed_copy(built, keep=None) -> openpyxl.Workbook:
    """The built tables as values, without input sheets (a hand-made book); only ``keep`` when given."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name in built.sheetnames:
        if name in INPUT_SHEETS or name in ("說明", "代碼表", "目次") or (keep and name not in keep):
            continue
        ws = wb.create_sheet(name)
        for row in built[name].iter_rows(values_only=True):
            ws.append(list(row))
    return wb


def found(wb, severities=(Severity.ERROR, Severity.WARNING)):
    return [(f.rule, f.cell.sheet, f.cell.cell) for f in check_workbook(wb).findings if f.severity in severities]


def row_of(ws, text: str) -> int:
    """The first row with a cell starting with ``text`` (indent ignored)."""
    return next(c.row for row in ws.iter_rows() for c in row
                if isinstance(c.value, str) and c.value.strip("\u3000 ").startswith(text))


def test_the_printed_copy_checks_clean(built):
    assert check_workbook(printed_copy(built)).kind == "printed"
    assert found(printed_copy(built)) == []


# ------------------------------------------------------------ field 11: a 數量 printed with its unit word

@pytest.mark.parametrize("typed, value", [
    ("12", 12), ("12月", 12), ("12個月", 12), ("2人×6月", 12), ("1式", 1), ("5人x5天", 25),  # 臺中 115 出國 人天
    ("8×1.5", 12),  # 新北 115 年終工作獎金: 8 人 × 1.5 月
    ("3×0.5", Decimal("1.5")), ("１２月", 12), ("1,000張", 1000), (12.0, 12), (None, None), ("", None),
])
def test_a_printed_quantity_is_read_with_its_unit_words(typed, value):
    got = parse_printed_quantity(typed)
    assert (got, type(got)) == (value, type(value))


@pytest.mark.parametrize("typed", ["一式", "1-12月", "人x月", "約12月", "12月至翌年3月", "x12", "3x"])
def test_a_printed_quantity_that_is_no_number(typed):
    with pytest.raises(NotANumber):
        parse_printed_quantity(typed)


def _item(ws, note: str) -> int:
    return next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 6).value == note)


@pytest.mark.parametrize("quantity, price", [("12", 72_654), ("12月", 72_654), ("12個月", 72_654),
                                             ("2人×6月", 72_654), ("1式", 871_850)])
def test_a_wrong_price_beside_a_quantity_with_its_unit_is_named(built, quantity, price):
    """約僱人員薪資 預算數 871,852 printed with 數量 12月 and 單價 72,654 (12 × 72,654 = 871,848), or 1式 × 871,850:
    every subtotal still adds up, so the 預算數 is confirmed and the 數量 or 單價 is named (field report 13 §F1): 1式 ×
    871,850, the 單價, 應為 871,852 ÷ 1 = 871,852; 12 × 72,654, neither (871,852 ÷ 12 and 871,852 ÷ 72,654 are not
    whole): both, no 應為."""
    wb = printed_copy(built)
    ws = wb[DETAIL]
    r = _item(ws, "約僱人員薪資。")
    ws.cell(r, 3).value, ws.cell(r, 4).value = quantity, price
    report = check_workbook(wb)
    got = [(f.rule, f.cell.cell, f.expected, f.actual, tuple(c.cell for c in f.related)) for f in report.findings
           if f.severity in (Severity.ERROR, Severity.WARNING)]
    got = [(rule, cell, expected, actual, related[:2]) for rule, cell, expected, actual, related in got]
    if quantity == "1式":
        assert got == [("item-factor-mismatch", f"D{r}", 871_852, 871_850, (f"E{r}", f"C{r}"))]
    else:
        assert got == [("item-factors-mismatch", f"C{r}", None, None, (f"D{r}",))]


def test_right_figures_with_unit_words_give_no_finding(built):
    """1035 其他給與: 128,000 = 2人×4月 × 16,000; 624,000 = 12個月 × 52,000; 96,000 = 2人×6月 × 8,000;
    約聘人員薪資 4,410,710 = 1式 × 4,410,710."""
    wb = printed_copy(built)
    ws = wb[DETAIL]
    for note, quantity, price in (("約聘僱人員休假補助費。", "2人×4月", 16_000), ("約聘僱人員慰勞假補助費。", "2人×6月", 8_000),
                                  ("約聘人員薪資。", "1式", 4_410_710)):
        r = _item(ws, note)
        ws.cell(r, 3).value, ws.cell(r, 4).value = quantity, price
    r = next(r for r in range(row_of(ws, "1035"), ws.max_row + 1) if ws.cell(r, 5).value == 624_000)
    ws.cell(r, 3).value, ws.cell(r, 4).value = "12個月", 52_000
    assert found(wb, tuple(Severity)) == []


@pytest.mark.parametrize("typed", ["一式", "12個半月"])  # 12個半月 was read as 12: 12 × 72,654 = 871,848 checked
def test_a_quantity_that_cannot_be_read_is_said_at_its_cell(built, typed):
    """數量 「一式」: the product cannot be checked, said at C (unverifiable), never silence."""
    wb = printed_copy(built)
    ws = wb[DETAIL]
    r = _item(ws, "約僱人員薪資。")
    ws.cell(r, 3).value = typed
    report = check_workbook(wb)
    got = [(f.rule, f.severity, f.cell.cell, tuple(c.cell for c in f.related)) for f in report.findings]
    assert got == [("quantity-unverifiable", Severity.UNVERIFIABLE, f"C{r}", (f"D{r}", f"E{r}"))]


@pytest.mark.parametrize("typed", ["1,2月", "1,2", "2人×1,2月", "10,0000張"])
def test_a_printed_quantity_with_a_misplaced_comma_is_no_number(typed):
    """「1,2月」 is not 12 (a thousands comma groups three digits), as an input sheet's 數量 reads it."""
    with pytest.raises(MisplacedComma):
        parse_printed_quantity(typed)


def test_a_printed_quantity_with_a_misplaced_comma_is_named_at_its_cell(built):
    """數量 「1,2月」 beside 單價 72,654 and 預算數 871,848 (= 12 × 72,654): read as 12 it would pass; it is
    misplaced-comma at C, never a silent 12."""
    wb = printed_copy(built)
    ws = wb[DETAIL]
    r = _item(ws, "約僱人員薪資。")
    ws.cell(r, 3).value, ws.cell(r, 4).value, ws.cell(r, 5).value = "1,2月", 72_654, 871_848
    report = check_workbook(wb)
    got = [(f.rule, f.cell.cell) for f in report.findings if f.rule in ("misplaced-comma", "item-product-mismatch")]
    assert got == [("misplaced-comma", f"C{r}")]


# ------------------------------------------------------------ field 13: a table carried on to an untitled sheet

def _split_summary(built, at: int = 21, header: bool = False, place: str = "end"):
    """The printed copy with 各項費用彙計表's rows from ``at`` on moved to a sheet 「工作表2」 with no title (at the
    book's end, or right after the table), its header rows 5–6 repeated on top when ``header``."""
    wb = printed_copy(built)
    ws = wb[SUMMARY]
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    head = [rows[4], rows[5]] if header else []
    assert ["".join(rows[r][0].split()) for r in (4, 5)] == ["工作計畫名稱及編號", "第一、二級用途別科目名稱及編號"]
    ws.delete_rows(at, ws.max_row)  # values only: no merged range is left behind
    index = wb.sheetnames.index(SUMMARY) + 1 if place == "after" else len(wb.sheetnames)
    ws2 = wb.create_sheet("工作表2", index)
    for row in head + rows[at - 1:]:
        ws2.append(row)
    return wb, ws2


@pytest.mark.parametrize("header, place", [(False, "end"), (True, "end"), (False, "after"), (True, "after")])
def test_a_table_carried_on_to_an_untitled_sheet_is_read(built, header, place):
    """Read as the 彙計表's next page (said once, info at its first line): the right book gives no error (before,
    合計 B7/C7/D7 and 業務費 B17/C17/D17 were blamed and 出國 K8 too), and 205400 數位發展計畫 47,585 typed 47,685
    there is named at its cell."""
    wb, ws2 = _split_summary(built, header=header, place=place)
    first = 3 if header else 1
    assert found(wb, tuple(Severity)) == [("untitled-continuation", "工作表2", f"A{first}")]
    cell = next(c for row in ws2.iter_rows() for c in row if c.value == 47_585)
    cell.value = 47_685
    assert found(wb) == [("thousand-rounding-mismatch", "工作表2", cell.coordinate)]


def test_a_sheet_of_figures_that_continues_no_table_is_named(built):
    """A sheet with figures under no title whose columns fit no table (a scratch list): a warning at its first
    figure, never silence; an empty sheet says nothing."""
    wb = printed_copy(built)
    ws = wb.create_sheet("工作表3")
    ws.append(["備忘"])
    ws.append(["甲", 1_200])
    ws.append(["乙", 3_400])
    wb.create_sheet("工作表4")
    assert found(wb) == [("sheet-unread", "工作表3", "B2")]


# ------------------------------------------------------------ field L2: the total rows officers add

def _below(ws, r: int, values: dict[int, object]) -> int:
    """A row inserted under row ``r`` with ``values`` by column; its row number."""
    ws.insert_rows(r + 1)
    for c, v in values.items():
        ws.cell(r + 1, c).value = v
    return r + 1


def _subtotal_in_detail(built, label, amount):
    """``label`` under 1020 約聘僱人員待遇's two items (4,410,710 + 871,852 = 5,282,562) with ``amount``."""
    wb = printed_copy(built)
    ws = wb[DETAIL]
    return wb, _below(ws, _item(ws, "約僱人員薪資。"), {1: label, 5: amount})


def _total_at_summary_foot(built, figures):
    wb = printed_copy(built)
    ws = wb[SUMMARY]
    ws.append(["總計", *figures])
    return wb, ws.max_row


def _business_subtotal(built, figures):
    """業務費小計 above 300000 設備及投資 (業務費 779 + 153,555 = 154,334 千元)."""
    wb = printed_copy(built)
    ws = wb[SUMMARY]
    r = row_of(ws, "300000") - 1
    return wb, _below(ws, r, dict(zip((1, 2, 3, 4), ("業務費小計", *figures))))


@pytest.mark.parametrize("make, right, wrong, column", [
    (lambda b, v: _subtotal_in_detail(b, "小計", v), 5_282_562, 5_282_662, "E"),
    (lambda b, v: _subtotal_in_detail(b, "本科目合計", v), 5_282_562, 5_282_462, "E"),
    (lambda b, v: _total_at_summary_foot(b, (43_769, 232_026, v)), 275_795, 275_895, "D"),  # = the 合計 row
    (lambda b, v: _business_subtotal(b, (779, 153_555, v)), 154_334, 154_434, "D"),  # = 200000 業務費
], ids=["小計", "本科目合計", "總計", "業務費小計"])
def test_a_total_row_an_officer_adds_is_checked(built, make, right, wrong, column):
    """Right, it gives nothing (本科目合計 gave 3 false errors at E8/E9/E10, the others row-unplaced); 100 off,
    totals-row-mismatch at its cell (before: row-unplaced only, exit 0)."""
    wb, r = make(built, right)
    assert found(wb) == []
    wb, r = make(built, wrong)
    assert found(wb) == [("totals-row-mismatch", DETAIL if column == "E" else SUMMARY, f"{column}{r}")]


# ------------------------------------------------------------ totals rows in the other printed tables
# The seed's figures (千元): 一級用途別 合計 275,795 = 行政支出 32020180000; 經常支出小計 197,324; 行政管理 43,769 (人事費
# 42,978 + 業務費 779 + 獎補助費 12); 資本支出分析表 合計 78,471 = 數位發展計畫 32020183200; 歲出機關別預算表 主管 02
# 275,795 | 144,399 | 188,162 | 131,396; 歲入來源別預算表 款 02 罰款及賠償收入 0 | 0 | 54 | 0 + 款 06 補助及協助收入
# 57,019 | 2,800 | 38,533 | 54,219 = 合計 57,019 | 2,800 | 38,587 | 54,219.

LEVEL1, CAPITAL, AGENCY, REVENUE = "歲出一級用途別科目分析表", "資本支出分析表", "歲出機關別預算表", "歲入來源別預算表"
_L1_TOTAL = (275_795, 42_978, 154_334, 12, None, None, 197_324, None, None, 78_471, None, None, 78_471)


def _foot(built, sheet, values: dict[int, object]):
    """``values`` (by column) on a row appended under ``sheet``'s last line; its row number."""
    wb = printed_copy(built)
    ws = wb[sheet]
    r = ws.max_row + 1
    for c, v in values.items():
        ws.cell(r, c).value = v
    return wb, r


def _level1_subtotal(built, v):
    """小計 under 行政管理 (the one 工作計畫 of 一般行政): 43,769 = 42,978 + 779 + 12."""
    wb = printed_copy(built)
    ws = wb[LEVEL1]
    r = _below(ws, row_of(ws, "32020180101"), {1: "小計", 2: v, 3: 42_978, 4: 779, 5: 12, 8: 43_769})
    return wb, r


@pytest.mark.parametrize("make, right, wrong, sheet, column", [
    (lambda b, v: _foot(b, LEVEL1, dict(enumerate(("總計", *_L1_TOTAL[:6], v, *_L1_TOTAL[7:]), 1))),
     197_324, 197_424, LEVEL1, "H"),
    (_level1_subtotal, 43_769, 43_869, LEVEL1, "B"),
    (lambda b, v: _foot(b, CAPITAL, {1: "總計", 2: v, 8: 78_471}), 78_471, 78_571, CAPITAL, "B"),
    (lambda b, v: _foot(b, AGENCY, {5: "總計", 6: 275_795, 7: 144_399, 8: v, 9: 131_396}),
     188_162, 188_262, AGENCY, "H"),
    (lambda b, v: _foot(b, REVENUE, {5: "總計", 6: 57_019, 7: 2_800, 8: v, 9: 54_219}), 38_587, 38_687, REVENUE, "H"),
], ids=["一級用途別總計", "一級用途別小計", "資本支出總計", "機關別總計", "歲入來源別總計"])
def test_a_total_row_in_the_other_printed_tables_is_checked(built, make, right, wrong, sheet, column):
    """A 小計 or 總計 an officer adds to 一級用途別, 資本支出, 機關別 or 歲入來源別: right, nothing (before: row-unplaced,
    or in 歲入來源別 a 總計 read as a 經常門合計 under 合計: false subtotal-mismatch at 合計); one figure 100 off,
    totals-row-mismatch at its cell (the rule of 明細表 and 彙計表: common.closing_totals)."""
    wb, r = make(built, right)
    assert found(wb) == []
    wb, r = make(built, wrong)
    assert found(wb) == [("totals-row-mismatch", sheet, f"{column}{r}")]


def test_a_total_row_with_no_line_above_it_says_why_it_is_not_checked(built):
    """A 小計 typed above 一級用途別's 合計, under the header: no line above it to total, so not checked; said at
    its label (totals-row-unchecked; before: row-unplaced, which says it is no total row)."""
    wb = printed_copy(built)
    ws = wb[LEVEL1]
    r = next(c.row for c in ws["A"] if c.value == "合計")
    ws.insert_rows(r)
    ws.cell(r, 1).value, ws.cell(r, 2).value = "小計", 1
    assert found(wb) == [("totals-row-unchecked", LEVEL1, f"A{r}")]


# ------------------------------------------------------------ field L13: a 彙計表 column that is no plan

def test_a_summary_column_with_no_plan_code_is_named(built):
    """A 112年度預算數 column kept beside the plans (80% of 數位發展計畫's figures): it prints no plan code and is not
    合計, so it is in no 合計 = Σ plans; said at its heading D5 (before: read silently, exit 0; then at its first
    figure D7; field report 13 F11: the heading is what is not recognised)."""
    wb = printed_copy(built)
    ws = wb[SUMMARY]
    ws.insert_cols(4)
    ws.cell(5, 4).value = "112年度預算數"
    for r in range(7, ws.max_row + 1):
        if isinstance(ws.cell(r, 3).value, int):
            ws.cell(r, 4).value = int(ws.cell(r, 3).value * 0.8)
    ws.column_dimensions["D"].hidden = True
    assert found(wb) == [("summary-column-unplaced", SUMMARY, "D5")]


# ------------------------------------------------------------ field report 13: a column under a blank heading

@pytest.mark.parametrize("table, heading, first", [(AGENCY, "本年度\n預算數", "F7"), (SUMMARY, "32020183201\n數位發展計畫", "C7")])
def test_a_column_whose_heading_is_left_blank_is_named_not_dropped(built, table, heading, first):
    """The seed's 機關別 本年度預算數 heading (F5) or 彙計表's 32020183201 數位發展計畫 heading (C5) deleted: the column
    printing 275,795 (機關別 F7) / 232,026 (彙計表 C7, the plan's 合計) was dropped without a word, and right cells
    were blamed: 機關別 E7/E8 «本年度預算數為 0» with 應為 275,795 and every 比較 I7… 應為 −144,399; 彙計表 D7 合計
    應為 43,769, the sum without the column (field report 13, a reader that drops a column). Now the column is read
    under its letter and named at its blank heading (column-unheaded); 機關別, read without its 本年度預算數, says so
    at its title and blames no 比較; 彙計表's 合計 adds the column, and 一級用途別 says its plan has no 彙計表 column."""
    wb = printed_copy(built)
    ws = wb[table]
    assert ws["F5" if table == AGENCY else "C5"].value == heading
    ws["F5" if table == AGENCY else "C5"].value = None
    assert ws[first].value == (275_795 if table == AGENCY else 232_026)
    expected = {AGENCY: [("table-unreadable", AGENCY, "A2"), ("column-unheaded", AGENCY, "F5")],
                SUMMARY: [("column-unheaded", SUMMARY, "C5"), ("summary-plan-missing", LEVEL1, "A12")]}[table]
    assert sorted(found(wb)) == sorted(expected)


def test_a_table_said_unreadable_for_want_of_its_total_column_is_held_to_no_rule(built):
    """The seed's 資本支出分析表 合計 heading (B5) deleted: the table is said unreadable, 「表頭沒有「合計」欄…無法加總；
    此表（此頁）未檢核」, and its 合計 column is named at its blank heading. Its rules ran all the same, taking 合計 for
    0s: 6 errors on right cells, each 合計 «為 0，應等於» 一級用途別's 78,471 and «應為所屬各項合計 156,942» (the unheaded
    合計 B 78,471 added to its part H 78,471). Now a table without the column its rules sum is held to no rule, as
    its finding says (rules.checks._run_printed)."""
    wb = printed_copy(built)
    ws = wb[CAPITAL]
    assert (ws["B5"].value, ws["B7"].value, ws["H7"].value) == ("合計", 78_471, 78_471)
    ws["B5"].value = None
    assert sorted(found(wb)) == [("column-unheaded", CAPITAL, "B5"), ("table-unreadable", CAPITAL, "A2")]
