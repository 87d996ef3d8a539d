"""The range cell functions (XLB_ROLLUP, XLB_SCHEDULE, XLB_CHECK) given the ranges officers select (field report 7):
a range stopping before a column a table needs, a range holding no 歲入明細, a built table's range, the 彙計表's own
column header as the plan, whole columns. Called through xlwings' Office.js dispatch (tests/xlwings_json.call_udf),
with the rows Excel hands over. Expected figures are the seed book's (../shared/seed/000_9c62b59cf9023585.txt) or
summed here by hand from the example's 歲出明細 columns.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from xlwings_json import call_udf  # sets XLWINGS_ON_SERVER first

import xlbudget.addin as addin
from built_books import handmade_workbook
from xlbudget.app.example import TAICHUNG, TAIPEI, example_workbook
from xlbudget.forms.inputs import SHEET_EXPENSES, SHEET_STAFF_COSTS

README = Path(__file__).resolve().parent.parent / "README.md"
PLAN = "32020183201"  # 數位發展計畫 of the example


def _rows(example: str = "example", sheet: str = SHEET_EXPENSES) -> list[list]:
    return [list(r) for r in example_workbook(example)[sheet].iter_rows(values_only=True)]


def _cut(rows: list[list], last_column: str) -> list[list]:
    """The rows as the range A1:<last_column><n> hands them over."""
    width = ord(last_column) - ord("A") + 1
    return [row[:width] for row in rows]


def _one(value):
    assert isinstance(value, list) and len(value) == 1 and len(value[0]) == 1, value
    return value[0][0]


def _column(rows: list[list], name: str) -> int:
    return rows[0].index(name)


# ------------------------------------------------------------ §1.2 (f04, f13): XLB_SCHEDULE and the columns a range holds

@pytest.mark.parametrize("table, args, last, missing", [
    ("明細表", (), "H", "「收支併列數」"),  # the range stops at 預算數
    ("一級用途別", (), "I", "「經資門」"),
    ("資本支出", (), "I", "「經資門」"),
    ("職能及經濟性", ("01",), "I", "「經資門」、「經濟性分類」"),
    ("職能及經濟性", ("01",), "J", "「經濟性分類」"),
])
def test_schedule_says_in_its_last_row_a_column_its_table_splits_by_was_not_in_the_range(table, args, last, missing):
    """f04: on A1:H78 the 明細表 printed 32020183201's 合計 as 市款232,026,000元 (its 57,019,000 of 收支併列 as 市款) and
    職能及經濟性 put 資訊軟體's 65,471 千元 under 機器及其他設備, no word. A 歲出明細 may truly lack the column (build reads
    such a sheet by the defaults: all 市款, 經資門/經濟性分類 by the 用途別科目), so the table is given as build would give
    it for that sheet, and its last row names the column and points to the whole sheet (review of c93364a: #VALUE! refused
    a whole sheet without the optional column, a range the officer cannot widen)."""
    rows = call_udf(addin, "xlb_schedule", _cut(_rows(), last), table, *args)
    assert isinstance(rows, list) and len(rows) > 3, rows
    notes = [row for row in rows[-2:] if str(row[0]).startswith(f"註：所選範圍沒有{missing}欄")]  # 明細表: then its words
    assert len(notes) == 1, rows[-2:]
    note = notes[0][0]
    assert "可能與本書不同" in note and "歲出明細!A1:O1000" in note, note
    assert all(v == "" for v in notes[0][1:]), notes[0]


def test_schedule_of_a_range_without_matched_funding_prints_all_as_city_funds():
    """The 明細表 of A1:H78: with no 收支併列數 column the 57,019,000 of 32020183201 is 市款, as build prints a sheet
    without the column: 市款 = the plan's 232,026,000 (the seed's 合計), said in the last row."""
    rows = call_udf(addin, "xlb_schedule", _cut(_rows(), "H"), "明細表")
    text = "".join(str(v) for row in rows for v in row)
    assert "市款232,026,000元" in text, text[:400]
    assert "收支併列57,019,000元" not in text


def test_schedule_of_the_whole_range_splits_as_the_seed():
    """The whole 歲出明細 (A1:O78): 32020183201's 合計 note and the 資本支出 固定資本形成 columns as the seed prints them
    (the seed's 明細表: 市款175,007,000元，收支併列57,019,000元; 綜合分類表 總計: 資訊軟體 65,471, 機器及其他設備 13,000)."""
    rows = _rows()
    plan, matched, econ, amount = (_column(rows, c) for c in ("工作計畫編號", "收支併列數", "經濟性分類", "預算數"))
    # by hand from the sheet: column I of the plan's lines, column K of its 3xxx lines
    plan_matched = sum(r[matched] or 0 for r in rows[1:] if r[plan] == PLAN)
    plan_total = sum(r[amount] for r in rows[1:] if r[plan] == PLAN)
    assert (plan_total - plan_matched, plan_matched) == (175_007_000, 57_019_000)
    software = sum(r[amount] for r in rows[1:] if r[econ] == "資訊軟體")
    assert software == 65_471_000

    detail = call_udf(addin, "xlb_schedule", rows, "明細表", None)
    notes = [row[-1] for row in detail if row[0] == "合計"]
    assert "市款175,007,000元，收支併列57,019,000元" in notes, notes
    assert not any(str(row[0]).startswith("註：所選範圍沒有") for row in detail)
    econ_table = call_udf(addin, "xlb_schedule", rows, "職能及經濟性", "01")
    names = [str(name).replace("\n", "") for name in econ_table[2]]  # the header's third row: the classes
    total = next(row for row in econ_table if row[0] == "總計")
    by_head = dict(zip(names, total))
    assert by_head["資訊軟體"] == 65_471 and by_head["機器及其他設備"] == 13_000, by_head


def test_schedule_names_the_printed_columns_a_range_left_out():
    """f13: the README's former range A1:M80 stops before N 計畫項目 and O 計畫項目說明: on the 臺北 116 example the
    明細表 had no 計畫項目 level and said nothing. The figures are the same; a last row now names the columns."""
    rows = _rows(TAIPEI)
    column = _column(rows, "計畫項目")
    projects = {r[column] for r in rows[1:] if r[column]}
    assert len(projects) == 42  # distinct names in column N, counted by hand in the field report

    whole = call_udf(addin, "xlb_schedule", rows, "明細表", None)
    to_m = call_udf(addin, "xlb_schedule", _cut(rows, "M"), "明細表", None)
    named = [c for row in whole for c in row if isinstance(c, str) and any(c.startswith(p) for p in projects)]
    assert named and not any(isinstance(c, str) and any(c.startswith(p) for p in projects) for row in to_m for c in row)
    assert not str(whole[-1][0]).startswith("註")
    note = to_m[-1][0]
    assert note.startswith("註：所選範圍沒有「計畫項目」、「計畫項目說明」欄"), note
    assert all(v == "" for v in to_m[-1][1:]) and len(to_m[-1]) == len(to_m[0])
    # the same 元: the 合計 of each plan alike on both
    assert [row for row in whole if row[0] == "合計"] == [row for row in to_m if row[0] == "合計"]


def _readme_range() -> tuple[str, int]:
    """The 歲出明細 range the README's XLB_SCHEDULE example selects: (last column, last row)."""
    ranges = set(re.findall(r"XLB_(?:SCHEDULE|ROLLUP|CHECK)\(歲出明細!A1:([A-Z])(\d+)", README.read_text(encoding="utf-8")))
    assert len(ranges) == 1, ranges  # one range, the same in every example
    last_column, last_row = ranges.pop()
    return last_column, int(last_row)


@pytest.mark.parametrize("example", ["example", TAICHUNG, TAIPEI])
def test_the_readme_range_holds_each_bundled_example_whole(example):
    """f13: the README's range covers every column and row of each bundled example's 歲出明細, so its 明細表 is the
    whole sheet's, with no note of a column left out."""
    last_column, last_row = _readme_range()
    ws = example_workbook(example)[SHEET_EXPENSES]
    assert ws.max_column <= ord(last_column) - ord("A") + 1 and ws.max_row <= last_row, (ws.max_column, ws.max_row)
    rows = _rows(example)
    selected = _cut(rows, last_column) + [[None] * len(rows[0])] * (last_row - len(rows))  # the rows below, empty
    table = call_udf(addin, "xlb_schedule", selected, "明細表", None)
    assert isinstance(table, list) and len(table) > 1, table
    assert not any(str(row[0]).startswith("註") for row in table), table[-1]


# ------------------------------------------------------------ §2.1 (f02): XLB_CHECK holds a range to its own lines

def test_check_of_a_right_range_has_no_error_and_says_the_revenue_tie_was_not_checked():
    """f02: the example's own right 歲出明細 got 錯誤 matched-without-revenue (a range never holds 歲入明細). Now no
    錯誤 and one 提示 at the first 收支併列 cell (I53) naming the total, 57,019,000 元 (the seed's 收支併列)."""
    rows = _rows()
    matched = _column(rows, "收支併列數")
    first = next(n for n, r in enumerate(rows) if n and r[matched])
    assert first + 1 == 53 and sum(r[matched] or 0 for r in rows[1:]) == 57_019_000  # by hand: I53 is the first
    grid = call_udf(addin, "xlb_check", rows)
    assert [row[:5] for row in grid[1:]] == [["提示", "range-matched-unchecked", "I53", 57_019_000, ""]], grid
    assert "57,019,000 元" in grid[1][5] and "歲入明細" in grid[1][5]


def test_check_of_a_range_without_the_note_column_does_not_claim_the_notes_are_alike():
    """f02: on A1:H78 the two 3030 lines of 1,400,000 元 (H64, H66) were «完全相同（科目、數量、單價、預算數、說明）»,
    though their 說明 (L64, L66) differ and the range has no 說明 column. The warning now says 說明 was not compared;
    on the whole range, which sees the notes differ, there is none."""
    rows = _rows()
    note = _column(rows, "說明")
    assert rows[63][note] != rows[65][note] and rows[63][:8] == rows[65][:8]  # rows 64 and 66 of the sheet
    found = [row for row in call_udf(addin, "xlb_check", _cut(rows, "H")) if row[1] == "duplicate-item"]
    assert [row[2] for row in found] == ["H66"], found
    assert "預算數、說明" not in found[0][5] and "未比對說明" in found[0][5], found[0][5]
    assert not [row for row in call_udf(addin, "xlb_check", rows) if row[1] == "duplicate-item"]


# ------------------------------------------------------------ §3.1 (f06): a built table's range

@pytest.fixture(scope="module")
def built():
    return handmade_workbook()


@pytest.mark.parametrize("sheet", ["各項費用彙計表", "歲出機關別預算表", "人事費彙計表"])
def test_a_built_tables_range_is_named_as_that_table(built, sheet):
    """f06: =XLB_ROLLUP(各項費用彙計表!A1:F40, …) told the officer to rename his agency's name to 「經資門」. Every range
    function now names the table the range is and asks for 歲出明細's."""
    rows = [list(r) for r in built[sheet].iter_rows(values_only=True)]
    expected = f"#VALUE! 這個範圍是「{sheet}」（產生的預算表），不是歲出明細；請選歲出明細的範圍（如 歲出明細!A1:O1000）"
    assert _one(call_udf(addin, "xlb_rollup", rows, 2000, "全部")) == expected
    assert _one(call_udf(addin, "xlb_check", rows)) == expected
    assert _one(call_udf(addin, "xlb_schedule", rows, "彙計表", None)) == expected


def test_an_input_sheets_range_is_named_as_that_sheet():
    """f06: the 人事費 sheet's range was «若此欄即是「用途別科目」» about its 類別 column."""
    rows = _rows(sheet=SHEET_STAFF_COSTS)
    value = _one(call_udf(addin, "xlb_rollup", rows, 2000, "全部"))
    assert value == "#VALUE! 這個範圍是「人事費」工作表的表格，不是歲出明細；請選歲出明細的範圍（如 歲出明細!A1:O1000）"


# ------------------------------------------------------------ §4 (f10): the 彙計表's column header as the plan

def test_rollup_reads_the_summary_column_header_as_its_plan():
    """f10: beside 各項費用彙計表, =XLB_ROLLUP(歲出明細!A1:O78, $A9, B$5) points at the table's own labels: the row label
    「200000業務費」 was read as 2000, the column header 「32020183201⏎數位發展計畫」 refused. Both are read now; the
    code typed with a number after it is still refused."""
    rows = _rows()
    plan, code, amount = (_column(rows, c) for c in ("工作計畫編號", "用途別科目", "預算數"))
    business = sum(r[amount] for r in rows[1:] if r[plan] == PLAN and str(r[code]).startswith("2"))  # by hand
    assert business == 153_555_000
    for header in (f"{PLAN}\n數位發展計畫", f"{PLAN} 數位發展計畫", PLAN):
        assert _one(call_udf(addin, "xlb_rollup", rows, "200000業務費", header)) == business, header
    for wrong in ("320201832011 數位發展計畫", "3202018320\n數位發展計畫"):  # 12 and 10 digits: no plan code
        value = _one(call_udf(addin, "xlb_rollup", rows, 2000, wrong))
        assert value.startswith("#VALUE! 計畫編號應為 11 碼"), value
    assert _one(call_udf(addin, "xlb_rollup", rows, "20180", "全部")).startswith("#VALUE! 用途別科目應為 4 位數代碼")


def test_rollup_reads_the_summary_total_header_as_every_plan():
    """Beside 各項費用彙計表, the cell under its 「合計」 column: =XLB_ROLLUP(…, $A9, G$5) said «計畫編號應為 11 碼，此處為
    「合計」». The 合計 column is every plan's: 2000 業務費 154,334,000 元 (the seed's 154,334 千元), as 全部 gives."""
    rows = _rows()
    code, amount = _column(rows, "用途別科目"), _column(rows, "預算數")
    business = sum(r[amount] for r in rows[1:] if str(r[code]).startswith("2"))  # by hand
    assert business == 154_334_000
    for header in ("合計", "合　計", " 總計 "):
        assert _one(call_udf(addin, "xlb_rollup", rows, "200000業務費", header)) == business, header


# ------------------------------------------------------------ §4 (f14): whole columns

def test_whole_columns_give_the_bounded_ranges_results():
    """f14: 歲出明細!A:O hands over every row of the sheet, nearly all empty (as None, or "" from Office.js); the
    results are the bounded range's, a line typed far below the others included (its cell named right). Speed is
    measured in bench/bench_whole_columns.py, not here."""
    rows = _rows()
    width = len(rows[0])
    business = 154_334_000  # 2000 業務費 of the example: the seed's 各項費用彙計表 業務費 合計 154,334 千元
    for empty in (None, ""):
        padded = rows + [[empty] * width for _ in range(20_000)]
        assert _one(call_udf(addin, "xlb_rollup", padded, 2000, "全部")) == business
        assert call_udf(addin, "xlb_check", padded) == call_udf(addin, "xlb_check", rows)
        assert call_udf(addin, "xlb_schedule", padded, "彙計表", None) == call_udf(addin, "xlb_schedule", rows, "彙計表", None)
    far = rows + [[None] * width for _ in range(5_000)] + [list(rows[1])] + [[None] * width for _ in range(5_000)]
    far[-5_001][7] = "五萬"  # the line typed far below, its 預算數 unreadable: named at its own cell
    value = _one(call_udf(addin, "xlb_rollup", far, 2000, "全部"))
    assert value.startswith("#VALUE!") and f"H{len(rows) + 5_001}" in value, value
