"""Inside Excel, without Excel: every button and cell function through xlwings' own Office.js dispatch.

Buttons run through ``xlwings.server.custom_scripts_call`` on a book JSON made
from the example workbook; cell functions through ``custom_functions_call``
with arguments as Excel sends them (2-D lists, header rows, None for empty
cells). Expected figures are the seed book's (高雄市政府資訊中心 113年度,
../shared/seed/000_9c62b59cf9023585.txt) or worked out by hand here.
"""

from __future__ import annotations

import pytest

from xlwings_json import book_json, call_udf, run_script, sheet_order, sheet_values  # sets XLWINGS_ON_SERVER first

from xlwings.server import custom_functions_meta, custom_scripts_meta

import xlbudget.addin as addin
from xlbudget.app.example import example_workbook
from xlbudget.core.findings import RULES
from xlbudget.forms.inputs import (EXPENSE_HEADERS, SHEET_AGENCY, SHEET_EXPENSES, SHEET_NOTES, SHEET_PRIOR,
                                   SHEET_REVENUES)

UDFS = ("xlb_name", "xlb_thousands", "xlb_chinese", "xlb_parse_chinese", "xlb_roc_year", "xlb_roc_date",
        "xlb_rollup", "xlb_schedule", "xlb_check")
SCRIPTS = ("build_schedules", "check_book", "clear_marks", "add_template", "export_data", "next_year_book",
           "export_pdf")
SEED_TABLES = ("歲入來源別預算表", "歲出機關別預算表", "歲入項目說明提要與預算明細表", "歲出計畫說明提要與各項費用明細表",
               "各項費用彙計表", "歲出一級用途別科目分析表", "資本支出分析表", "歲出按職能及經濟性綜合分類表")
RED, YELLOW = "#ffc7ce", "#ffeb9c"


def is_error(value) -> bool:
    return isinstance(value, str) and value.startswith("#VALUE! ")


def udf(name, *args):
    """A single-cell result as Excel receives it (a 1×1 matrix) → its value."""
    result = call_udf(addin, name, *args)
    assert isinstance(result, list) and len(result) == 1 and len(result[0]) == 1, result
    return result[0][0]


# ------------------------------------------------------------ cell functions

def test_every_udf_is_listed_with_a_description_and_argument_help():
    meta = custom_functions_meta(addin)
    by_name = {f["name"]: f for f in meta["functions"]}
    assert set(by_name) == {n.upper() for n in UDFS}
    for f in by_name.values():
        assert f["description"].strip()
        for p in f["parameters"]:
            assert not p["description"].startswith("Positional argument"), (f["name"], p["name"])
    assert [p["name"] for p in by_name["XLB_ROLLUP"]["parameters"]] == ["items", "code", "plan"]
    assert by_name["XLB_ROLLUP"]["parameters"][2].get("optional") is True


def test_every_button_is_a_script():
    assert {s["function_name"] for s in custom_scripts_meta(addin)} == set(SCRIPTS)


def test_the_names_excel_calls_are_found_on_xlbudget_addin():
    """xlbudget.addin only re-exports (buttons, functions): desktop Import Functions walks ``dir(module)`` with
    ``getattr`` (xlwings.udfs.import_udfs), the macros run ``xlbudget.addin.<script>()``, and the dispatch calls
    ``getattr(module, name)``, so each name must be an attribute of xlbudget.addin itself."""
    found = {getattr(addin, a).__xlfunc__["name"] for a in dir(addin) if hasattr(getattr(addin, a), "__xlfunc__")}
    assert found == set(UDFS)
    assert {a for a in dir(addin) if hasattr(getattr(addin, a), "__xlscript__")} == set(SCRIPTS)
    assert set(addin.__all__) == set(UDFS) | set(SCRIPTS)  # Lite's main.py may import * from here


def test_xlb_name():
    assert udf("xlb_name", 2018) == "資訊服務費"
    assert udf("xlb_name", 2018.0) == "資訊服務費"  # Excel sends numbers as floats
    assert udf("xlb_name", "201800資訊服務費") == "資訊服務費"
    assert udf("xlb_name", 2000) == "業務費"
    assert is_error(udf("xlb_name", 9999))
    assert is_error(udf("xlb_name", "abc"))
    assert call_udf(addin, "xlb_name", [[2018], [1015], [None]]) == [["資訊服務費"], ["法定編制人員待遇"], [""]]


def test_xlb_thousands_rounds_half_away_from_zero():
    assert udf("xlb_thousands", 2500) == 3  # Python's round(2.5) would give 2
    assert udf("xlb_thousands", -2500) == -3
    assert udf("xlb_thousands", 2499) == 2
    assert udf("xlb_thousands", 3500.0) == 4
    assert udf("xlb_thousands", "2,961,000") == 2961
    assert udf("xlb_thousands", "(1,500)") == -2
    assert udf("xlb_thousands", 1499.5) == 1  # 1.4995 千元
    assert udf("xlb_thousands", 2500.4) == 3 and udf("xlb_thousands", -2500.4) == -3  # ±2.5004 千元
    assert udf("xlb_thousands", 2499.6) == 2  # 2.4996 千元
    assert udf("xlb_thousands", None) == ""
    assert is_error(udf("xlb_thousands", "一千"))
    assert call_udf(addin, "xlb_thousands", [[43769000.0, 500.0, -500.0]]) == [[43769, 1, -1]]


@pytest.mark.parametrize("thousands, text", [
    (275795, "2億7,579萬5千元"),  # seed: 歲出預算數2億7,579萬5千元
    (2800, "280萬元"),
    (3785, "378萬5千元"),
    (57019, "5,701萬9千元"),
    (197324, "1億9,732萬4千元"),  # seed: 經常門
    (5, "5千元"),
    (0, "0元"),
])
def test_chinese_amounts_round_trip(thousands, text):
    assert udf("xlb_chinese", thousands) == text
    assert udf("xlb_chinese", float(thousands)) == text
    assert udf("xlb_parse_chinese", text) == thousands


def test_chinese_amounts_bad_input():
    assert udf("xlb_parse_chinese", "兩百萬元") == 2_000  # 2 × 100 × 10,000 元 = 2,000 千元
    assert is_error(udf("xlb_parse_chinese", "一萬五元"))  # 15,000 or 10,005: never guessed
    assert is_error(udf("xlb_parse_chinese", "1,234元"))  # not a whole 千元
    assert udf("xlb_parse_chinese", "2億零5千元") == 200_005  # 200,000,000 + 5,000 元; 零: places skipped (f10)
    assert is_error(udf("xlb_chinese", "很多"))


@pytest.mark.parametrize("text", ["-280萬元", "△280萬元", "▲280萬元", "△ 280萬元", "(280萬元)", "－280萬元"])
def test_parse_chinese_reads_a_negative_as_a_cell_is_read(text):
    """Field report 6 §6 (f39): 「△280萬元」, a 減列 as a 說明 writes it, was refused while 「-280萬元」 was read;
    280萬元 = 2,800,000 元 = 2,800 千元, negative. XLB_THOUSANDS reads 「△2,500」 alike (one sign reader)."""
    assert udf("xlb_parse_chinese", text) == -2_800
    assert udf("xlb_thousands", text.replace("280萬元", "2,500")) == -3
    assert is_error(udf("xlb_parse_chinese", "△-280萬元"))  # two signs: never a guess


def test_roc_year_and_date():
    # Excel serial 45292 = 2024-01-01 (serial 1 = 1900-01-01, 60 = the fictitious 1900-02-29)
    assert udf("xlb_roc_year", 45292) == 113
    assert udf("xlb_roc_year", 45657) == 113  # 2024-12-31
    assert udf("xlb_roc_year", 45658) == 114  # 2025-01-01
    assert udf("xlb_roc_year", "113/05/20") == 113
    assert is_error(udf("xlb_roc_year", -5))
    for text in ("1130101", "113/01/01", "113.1.1", "113年1月1日", 1130101, "１１３／０１／０１", "１１３．１．１", "１１３－１－１"):
        assert udf("xlb_roc_date", text) == 45292, text
    assert udf("xlb_roc_date", "990630") == 40359  # 2010-06-30
    assert is_error(udf("xlb_roc_date", "113/02/30"))
    assert is_error(udf("xlb_roc_date", "0/01/01")) and is_error(udf("xlb_roc_date", "0000101"))  # no 民國 0 年
    assert is_error(udf("xlb_roc_year", "1911-12-31"))  # the day before 民國元年
    assert is_error(udf("xlb_roc_date", "明年"))


def test_cell_functions_name_what_they_were_given():
    """leftovers 3: XLB_ROC_YEAR("2024/05/20") said 民國元年以前 (its 'no date' was caught as 'before 1912'),
    XLB_CHINESE(2800.4) said only 無法讀成數字, XLB_NAME(2018.5) and XLB_NAME(20180) gave 資訊服務費."""
    # 2024-05-20 is in 民國 113 (2024 − 1911); a western date typed as text, with any separator
    for text in ("2024/05/20", "2024.5.20", "2024年5月20日", "２０２４／０５／２０", "2024/05/20 10:30"):
        assert udf("xlb_roc_year", text) == 113, text
    assert udf("xlb_roc_year", "1912/01/01") == 1 and udf("xlb_roc_year", "2025/1/1") == 114
    assert udf("xlb_roc_year", "2024/13/20") == "#VALUE! 「2024/13/20」不是有效的日期"
    assert udf("xlb_roc_year", "1911/12/31") == "#VALUE! 民國元年（1912 年）以前的日期沒有民國年，此處為「1911/12/31」"
    assert udf("xlb_roc_year", "明年") == "#VALUE! 民國日期應寫成 1130101 或 113/01/01，此處為「明年」"
    # 2800.4 千元 is no whole 千元: named, never rounded to 280萬元 without a word
    for value, shown in ((2800.4, "2800.4"), ("2,800.4", "2,800.4")):
        assert udf("xlb_chinese", value) == (f"#VALUE! 中文金額以千元整數寫成，此處為「{shown}」千元（有小數）；"
                                             "元金額請先以 XLB_THOUSANDS 換算為千元")
    assert udf("xlb_chinese", 2800.0) == "280萬元"
    # a number after the four digits is not a code and its name
    for value, shown in ((2018.5, "2018.5"), ("2018.5", "2018.5"), (20180, "20180"), (2018001, "2018001")):
        assert udf("xlb_name", value) == f"#VALUE! 用途別科目應為 4 位數代碼（如 2018），此處為「{shown}」"
    assert udf("xlb_name", "2018 資訊服務費") == udf("xlb_name", "201800") == "資訊服務費"


def _items():
    """A small 歲出明細 range as Excel sends it: header row, numbers as floats, empty cells None."""
    header = list(EXPENSE_HEADERS)
    rows = [
        # plan, name, branch, code, unit, qty, price, amount, matched, basis, econ, note
        ["32020180101", "一般行政-行政管理", "01行政業務", 2018.0, "式", 1.0, 1000000.0, 1000000.0, None, None, None, None],
        ["32020180101", "一般行政-行政管理", "01行政業務", 2003.0, "人", 10.0, 5000.0, 50000.0, None, None, None, None],
        ["32020183201", "數位發展-數位服務", "03數位服務", 2018.0, "月", "3x12", 7000.0, 252000.0, None, None, None, None],
        ["32020180101", "一般行政-行政管理", "01行政業務", 1015.0, "年", 1.0, 3000000.0, None, None, None, None, None],
        [None] * 12,  # a blank row inside the range is skipped
    ]
    return [header] + rows


def test_xlb_rollup_by_level_and_plan():
    items = _items()
    assert udf("xlb_rollup", items, 2018, "全部") == 1000000 + 252000
    assert udf("xlb_rollup", items, 2018, "32020180101") == 1000000
    assert udf("xlb_rollup", items, "2000", "全部") == 1000000 + 50000 + 252000
    assert udf("xlb_rollup", items, 1000, "全部") == 3000000  # 預算數 empty: 數量 × 單價
    assert udf("xlb_rollup", items, 2018, "32020180100") == 1000000  # 業務計畫編號
    assert udf("xlb_rollup", items, 2021, "全部") == 0
    assert udf("xlb_rollup", items, 2021, "32020180101") == 0  # the plan is there, with no 2021 line
    assert is_error(udf("xlb_rollup", items, 9999, "全部"))
    assert is_error(udf("xlb_rollup", items, 2018, "123"))
    assert is_error(udf("xlb_rollup", [["甲", "乙"], [1, 2]], 2018, "全部"))  # no 歲出明細 headers


def test_xlb_rollup_blank_plan_is_no_total_of_every_plan():
    """A blank plan cell reaches the function as an omitted argument does (None): neither is read as "every plan"
    (FIELD-REPORT-5 §1.4: it gave the agency's whole 業務費), and a space is no plan either."""
    items = _items()
    for blank in (None, "", " ", "　"):
        value = udf("xlb_rollup", items, 2018, blank)
        assert is_error(value) and "未指定工作計畫編號" in value and "「全部」" in value, (blank, value)
    [[value]] = call_udf(addin, "xlb_rollup", items, 2018)  # the argument left out
    assert is_error(value) and "未指定工作計畫編號" in value


def test_xlb_rollup_plan_the_range_does_not_hold_is_named():
    """A typo of a plan code, or 0 (read as 00000000000), is not a total of 0 without a word."""
    items = _items()
    for plan, shown in (("32020180111", "32020180111"), ("99999999999", "99999999999"), (0, "00000000000"),
                        ("32020189900", "32020189900")):  # a 業務計畫 no line has
        value = udf("xlb_rollup", items, 2018, plan)
        assert is_error(value) and f"範圍中沒有工作計畫或業務計畫「{shown}」" in value, (plan, value)


def test_xlb_rollup_plan_typed_as_a_number_gets_its_lost_zero_back():
    """A plan code 02020180101 in a cell as a number reaches the function as 2020180101: read as the readers do."""
    items = _items()
    for row in items[1:3]:
        row[:2] = "02020180101", "一般行政-其他業務"  # a plan of its own: one name under two codes is plan-code-conflict
    assert udf("xlb_rollup", items, 2018, 2020180101.0) == 1000000  # the first line's 2018; the 2003 line is not
    assert udf("xlb_rollup", items, 2000, "０２０２０１８０１０１") == 1000000 + 50000


def test_xlb_rollup_names_the_bad_cell():
    items = _items()
    items[2][7] = "五萬"  # 預算數 of the second line, cell H3 of the range
    value = udf("xlb_rollup", items, 2018, "全部")
    assert is_error(value) and "H3" in value


def test_range_functions_name_an_error_value_as_the_buttons_do():
    """#N/A in 預算數 and #REF! in 用途別科目 (as text, or as Office.js's error object) are error-value with what each
    means, as 檢核 and the CLI say (FIELD-REPORT-5 §5): not «應為整數» (not-a-number) nor bad-code."""
    for na, ref in (("#N/A", "#REF!"), ({"type": "Error", "basicValue": "#N/A"}, {"type": "Error", "basicValue": "#REF!"})):
        items = _items()
        items[1][3] = ref  # 用途別科目 of the first line: D2 of the range
        items[2][7] = na  # 預算數 of the second line: H3
        for name, args in (("xlb_rollup", (2000, "全部")), ("xlb_schedule", ("彙計表",))):
            value = udf(name, items, *args)
            assert is_error(value), value
            assert "D2 此格是 Excel 公式的錯誤值「#REF!」（公式參照的儲存格已被刪除）" in value, value
            assert "H3 此格是 Excel 公式的錯誤值「#N/A」（公式查無對應的值）" in value, value
            assert "應為整數" not in value and "用途別科目" not in value, value
        grid = call_udf(addin, "xlb_check", items)
        assert [(row[1], row[2]) for row in grid[1:]] == [("error-value", "D2"), ("error-value", "H3")], grid
        assert "公式參照的儲存格已被刪除" in grid[1][5] and "公式查無對應的值" in grid[2][5]


def test_xlb_schedule_spills_the_seed_summary():
    items = [list(r) for r in example_workbook()[SHEET_EXPENSES].iter_rows(values_only=True)]
    grid = call_udf(addin, "xlb_schedule", items, "各項費用彙計表", None)
    assert len(grid) > 10 and all(len(row) == len(grid[0]) for row in grid)
    total = next(row for row in grid if row[0] == "合計")
    # seed 各項費用彙計表: 行政管理 43,769, 數位發展計畫 232,026, 合計 275,795 (千元)
    assert total[1:] == [43769, 232026, 275795]
    personnel = next(row for row in grid if str(row[0]).startswith("100000"))
    assert personnel[1:] == [42978, "", 42978]  # seed: 人事費 42,978


def test_xlb_schedule_function_table_needs_the_function_class():
    """Field report 6 §1.4 (f19): without its third argument the 職能及經濟性 table printed the whole budget under
    01 一般公共事務, no word. Now #VALUE! naming the argument; given (a code, a code and name, or 基本資料's cell, a
    number as Excel sends it), the seed's 總計 275,795 千元 is on that row and no other."""
    items = [list(r) for r in example_workbook()[SHEET_EXPENSES].iter_rows(values_only=True)]
    for left_out in (None, ""):
        value = udf("xlb_schedule", items, "職能及經濟性", left_out)
        assert is_error(value) and "需要職能別" in value and "第三個引數" in value, value
    for function in ("12", "12 運輸及通信", 12.0, "運輸及通信"):
        grid = call_udf(addin, "xlb_schedule", items, "職能及經濟性", function)
        totals = {row[0]: row[-1] for row in grid if str(row[0])[:2].isdigit() or row[0] == "總計"}
        assert totals["總計"] == 275_795 and totals["12 運輸及通信"] == 275_795, function
        assert all(v == "" for k, v in totals.items() if k not in ("總計", "12 運輸及通信")), function
    assert is_error(udf("xlb_schedule", items, "職能及經濟性", "99"))
    grid = call_udf(addin, "xlb_schedule", items, "彙計表", None)  # a table without 職能別 needs none
    assert next(row for row in grid if row[0] == "合計")[1:] == [43769, 232026, 275795]


def test_xlb_schedule_agency_budget_says_what_the_range_cannot_tell():
    """Field report 6 §1.4 (f18): 機關別 printed empty 款 and agency names and blank 上年度/前年度/比較, no word why.
    The 本年度 column is the seed's (275,795 千元 the agency; 行政管理 43,769, 數位發展 232,026); a last row says the
    range holds no 基本資料 nor 以前年度."""
    items = [list(r) for r in example_workbook()[SHEET_EXPENSES].iter_rows(values_only=True)]
    grid = call_udf(addin, "xlb_schedule", items, "機關別", None)
    current = grid[0].index("本年度\n預算數")
    assert [row[current] for row in grid[2:8]] == [275795, 275795, 43769, 43769, 232026, 232026]
    note = grid[-1][0]
    assert note.startswith("註：所選範圍只有歲出明細") and "上年度預算數" in note and "基本資料" in note, grid[-1]
    assert all(v == "" for v in grid[-1][1:]) and len(grid[-1]) == len(grid[0])


def test_xlb_schedule_short_names_and_errors():
    items = _items()
    grid = call_udf(addin, "xlb_schedule", items, "彙計表", None)
    total = next(row for row in grid if row[0] == "合計")
    # by hand: 行政管理 1,000,000 + 50,000 + 3,000,000 元 = 4,050 千元; 數位發展 252,000 元 = 252 千元
    assert total[1:] == [4050, 252, 4302]
    assert is_error(udf("xlb_schedule", items, "不存在的表", None))
    assert is_error(udf("xlb_schedule", [["甲"], [1]], "彙計表", None))
    # 職能別 as 基本資料 takes it (readers.inputs.function_code): the code, with or without its name, or the name
    econ = call_udf(addin, "xlb_schedule", items, "職能及經濟性", "01")
    for typed in (1, "1", "01 一般公共事務", "一般公共事務"):
        assert call_udf(addin, "xlb_schedule", items, "職能及經濟性", typed) == econ, typed
    assert is_error(udf("xlb_schedule", items, "職能及經濟性", "013"))  # not cut to 01


def test_xlb_check_lists_findings_with_cells():
    items = _items()
    items[2][7] = 60000.0  # 10 × 5,000 = 50,000, not 60,000 (cell H3 of the range)
    grid = call_udf(addin, "xlb_check", items)
    assert grid[0] == ["等級", "規則", "儲存格", "應為", "實為", "說明"]
    rows = {(r[1], r[2]) for r in grid[1:]}
    assert ("item-product-mismatch", "H3") in rows
    mismatch = next(r for r in grid[1:] if r[1] == "item-product-mismatch")
    # 數量, 單價 and 預算數 disagree together: 應為 is 數量 × 單價 (10 × 5,000 = 50,000), 實為 預算數 (60,000), and
    # 說明 names the three cells (the range has no 一併標示 column), none of them the wrong one (they were empty)
    assert mismatch[0] == "錯誤" and mismatch[3:5] == [50_000, 60_000]
    assert mismatch[5].endswith("（H3、F3、G3）") and "不一定是預算數" in mismatch[5]


def test_xlb_check_on_a_clean_range_and_on_unreadable_cells():
    clean = call_udf(addin, "xlb_check", _items())
    assert "item-product-mismatch" not in {r[1] for r in clean[1:]}
    items = _items()
    items[1][0] = "3202"  # 工作計畫編號 too short, cell A2
    grid = call_udf(addin, "xlb_check", items)
    assert any(r[0] == "錯誤" and r[2] == "A2" for r in grid[1:])


# ------------------------------------------------------------ buttons

@pytest.fixture(scope="module")
def example_payload():
    return book_json(example_workbook(), "範例.xlsx")


@pytest.fixture(scope="module")
def built(example_payload):
    actions = run_script(addin, "build_schedules", example_payload)
    return actions, sheet_order(example_payload, actions)


def test_build_writes_each_table_in_one_call(built):
    actions, order = built
    for title in SEED_TABLES:
        assert title in order
        writes = [a for a in actions if a["func"] == "setValues" and a["sheet_position"] == order.index(title)]
        assert len(writes) == 1, title
        assert (writes[0]["start_row"], writes[0]["start_column"]) == (0, 0)


def test_build_writes_the_seed_figures(built):
    actions, order = built
    summary = sheet_values(actions, order.index("各項費用彙計表"))
    assert summary[0][0] == "高雄市政府資訊中心" and summary[1][0] == "各項費用彙計表"
    total = next(row for row in summary if row[0] == "合計")
    assert total[1:4] == [43769, 232026, 275795]
    level1 = sheet_values(actions, order.index("歲出一級用途別科目分析表"))
    assert any(275795 in row for row in level1)
    capital = sheet_values(actions, order.index("資本支出分析表"))
    assert any(78471 in row for row in capital)  # seed: 資本門 78,471 千元
    # the last rows arrive too (seed: 408500獎勵及慰問 12 千元; the DDOS line of 3,800,000 元 ends 明細表)
    assert summary[-1] == ["\u3000408500獎勵及慰問", 12, "", 12]
    detail = sheet_values(actions, order.index("歲出計畫說明提要與各項費用明細表"))
    assert detail[-1][3:5] == [3800000, 3800000] and "DDOS" in detail[-1][5]


def test_build_writes_the_narrative_sentences_beside_the_prose(built):
    actions, order = built
    writes = [a for a in actions if a["func"] == "setValues" and a["sheet_position"] == order.index("總說明")]
    assert [(w["start_row"], w["start_column"]) for w in writes] == [(0, 3)]  # D1: column D, never A–C
    sentences = [row[0] for row in writes[0]["values"]]
    # seed 預算總說明: 歲出預算數2億7,579萬5千元，含經常門1億9,732萬4千元，資本門7,847萬1千元
    assert "歲出預算數2億7,579萬5千元，含經常門1億9,732萬4千元，資本門7,847萬1千元，依業務計畫列示如下：" in sentences


def test_build_formats_and_reports(built):
    actions, order = built
    funcs = {a["func"] for a in actions}
    assert {"rangeMerge", "setNumberFormat", "setColumnWidth"} <= funcs
    status = sheet_values(actions, order.index("執行紀錄"))
    assert "產生報表" in status[0][0] and "高雄市政府資訊中心" in status[0][0]
    assert not any("Traceback" in str(row[0]) for row in status)


def test_build_again_replaces_the_table_sheets_in_place(example_payload):
    from xlbudget.readers.inputs import read_book
    from xlbudget.adapters.printing import write_tables
    from xlbudget.derive.book import derive_all
    from xlbudget.adapters.xlsxfile import input_grids

    wb = example_workbook()
    book, _ = read_book(input_grids(wb))
    write_tables(wb, derive_all(book), book.agency)
    payload = book_json(wb)
    actions = run_script(addin, "build_schedules", payload)
    added = {a["args"][1] for a in actions if a["func"] == "addSheet"}
    assert not added & set(SEED_TABLES)
    position = [s["name"] for s in payload["sheets"]].index("各項費用彙計表")
    assert any(a["func"] == "sheetClear" and a["sheet_position"] == position for a in actions)


def test_build_names_the_officers_text_it_replaces_as_build_does(tmp_path):
    """Field report 6 §2.1 (f13): the officer's own 「目次」 (his contents lines in A1:A3) and 「科長 3/5 核定」 typed
    beside the built 各項費用彙計表 (F2): `build -o` warns table-cell-replaced (table-text-replaced then) at each cell; the button cleared them and
    said nothing. Now it gives the same findings (build's own replaced_text) and lists each cell with its whole text
    on 執行紀錄, the one copy left (a macro's changes cannot be undone)."""
    from xlbudget.adapters.printing import write_tables
    from xlbudget.adapters.xlsxfile import input_grids
    from xlbudget.app.pipeline import build_file
    from xlbudget.derive.book import derive_all
    from xlbudget.readers.inputs import read_book

    wb = example_workbook()
    book, _ = read_book(input_grids(wb))
    write_tables(wb, derive_all(book), book.agency)
    long = "附件一：資安計畫說明（" + "含弱點掃描、滲透測試與社交工程演練之辦理期程及經費" * 2 + "）"
    del wb["目次"]
    own = wb.create_sheet("目次", 0)
    own["A1"], own["A2"], own["A3"] = "本中心自編目次（承辦人王小明）", long, "附件二：採購清單"
    wb["各項費用彙計表"]["F2"] = "科長 3/5 核定"
    wb.save(tmp_path / "書.xlsx")
    by_cli = {(f.cell.sheet, f.cell.cell) for f in build_file(tmp_path / "書.xlsx", tmp_path / "出.xlsx").findings
              if f.rule == "table-cell-replaced"}
    expected = {("目次", "A1"), ("目次", "A2"), ("目次", "A3"), ("各項費用彙計表", "F2")}
    assert by_cli == expected  # the CLI's, as field report 6 found them

    payload = book_json(wb)
    actions = run_script(addin, "build_schedules", payload)
    order = sheet_order(payload, actions)
    status = [str(r[0]) for r in sheet_values(actions, order.index("執行紀錄")) if r and r[0]]
    assert any(line.startswith("警告：") and "4 格自行輸入的內容" in line and "table-cell-replaced" in line
               for line in status), status
    listed = {line for line in status if line.startswith("  - ") and "：" in line and "!" in line}
    # each with what is there now (the built 目次's agency, title and year lines; nothing at F2)
    assert listed == {"  - 目次!A1：本中心自編目次（承辦人王小明） → 高雄市政府資訊中心", f"  - 目次!A2：{long} → 目次",
                      "  - 目次!A3：附件二：採購清單 → 中華民國113年度", "  - 各項費用彙計表!F2：科長 3/5 核定 → 空白"}, listed


def test_check_and_clear_buttons_leave_an_officers_results_sheet(tmp_path):
    """Field report 6 §2.2 (f31): the 檢核 button cleared the reviewer's own 「檢核結果」 and wrote its own, no word
    (清除標示 would then empty it). Both buttons now refuse as check --mark does (results-sheet-not-ours): nothing
    written but 執行紀錄, which names the sheet and its first cell."""
    wb = _broken_example()
    own = wb.create_sheet("檢核結果")
    own["A1"], own["A2"] = "主計室審核意見", "1. 2054 一般事務費較上年度增加，請補充說明。"
    payload = book_json(wb)
    for script, title in (("check_book", "檢核"), ("clear_marks", "清除標示")):
        actions = run_script(addin, script, payload)
        order = sheet_order(payload, actions)
        touched = {order[a["sheet_position"]] for a in actions if a.get("sheet_position") is not None}
        assert touched == {"執行紀錄"}, (script, touched, {a["func"] for a in actions})
        status = "\n".join(str(r[0]) for r in sheet_values(actions, order.index("執行紀錄")) if r and r[0])
        assert f"{title}：未完成" in status and "檢核結果!A1" in status, status
        assert "不是 xlbudget 寫的（第一格是「主計室審核意見」" in status, status
    own.title = "審核意見"  # renamed: 檢核 writes its own 檢核結果
    actions = run_script(addin, "check_book", payload := book_json(wb))
    order = sheet_order(payload, actions)
    assert sheet_values(actions, order.index("檢核結果"))[0][0].startswith("xlbudget 檢核結果")


def test_buttons_name_hidden_lines_where_excel_can_tell(example_payload, monkeypatch):
    """Field report 6 §4.3 (f22): the CLI warns hidden-row-counted for 歲出明細 row 24 hidden (2051 物品, 1 × 32,000 元:
    1 line, 32,000 元), the 檢核 button said nothing. Lite and Server cannot tell a row's visibility (xlwings' remote
    engine refuses rows.hidden): 執行紀錄 now says so. Desktop Excel can: played here by xlwings' own engine answering
    rows.hidden as desktop Excel does (True, False, None when mixed), and the button gives the CLI's finding."""
    from xlwings.pro import _xlremote

    def is_error_line(line):
        return "無法得知哪些列被隱藏或篩選掉" in line and "「歲出明細」" in line

    for script in ("check_book", "build_schedules"):
        actions = run_script(addin, script, example_payload)
        order = sheet_order(example_payload, actions)
        status = [str(r[0]) for r in sheet_values(actions, order.index("執行紀錄")) if r and r[0]]
        assert any(is_error_line(line) for line in status), (script, status)

    asked = []

    def row_hidden(self):
        rows = range(self.row, self.row + self.shape[0])
        if self.sheet.name != "歲出明細":
            return False  # every input sheet is asked (field report 8 f23): one question each, none hidden
        asked.append((rows.start, rows.stop - 1))
        hidden = [r in (24,) for r in rows]
        return True if all(hidden) else False if not any(hidden) else None

    monkeypatch.setattr(_xlremote.Range, "row_hidden", property(row_hidden))
    monkeypatch.setattr(_xlremote.Range, "column_hidden", property(lambda self: False))  # desktop: no column hidden
    actions = run_script(addin, "check_book", example_payload)
    order = sheet_order(example_payload, actions)
    status = [str(r[0]) for r in sheet_values(actions, order.index("執行紀錄")) if r and r[0]]
    assert not any(is_error_line(line) for line in status), status
    rows = [r for r in sheet_values(actions, order.index("檢核結果"))
            if len(r) > 4 and r[2] == "hidden-row-counted" and isinstance(r[0], int)]  # finding rows, not the counts
    assert [r[4] for r in rows] == ["歲出明細!H24"], rows
    assert "共 1 列，預算數合計 32,000 元" in rows[0][7], rows[0]
    assert len(asked) < 20, asked  # by halves: about 2 × log2(77) questions, not one a row


def test_buttons_name_hidden_columns_where_excel_can_tell(example_payload, monkeypatch):
    """Field report 8 §2.1 (f07): 歲出明細 column I (收支併列數) hidden in desktop Excel, holding 22,800,000 in I53 and
    34,219,000 in I76 (the example's only ones): the 檢核 button names I53 (I76 related) as the CLI does, with the hand
    sum 57,019,000; played by xlwings' own engine answering columns.hidden as desktop Excel does. Lite and Server
    cannot tell (the engine refuses columns.hidden): 執行紀錄 says hidden columns are counted and cannot be listed."""
    from xlwings.pro import _xlremote

    def column_hidden(self):
        if self.sheet.name != "歲出明細":
            return False
        hidden = [c == 9 for c in range(self.column, self.column + self.shape[1])]
        return True if all(hidden) else False if not any(hidden) else None

    monkeypatch.setattr(_xlremote.Range, "row_hidden", property(lambda self: False))
    actions = run_script(addin, "check_book", example_payload)  # Lite: rows told, columns not
    order = sheet_order(example_payload, actions)
    status = [str(r[0]) for r in sheet_values(actions, order.index("執行紀錄")) if r and r[0]]
    assert any("哪些欄被隱藏" in line and "「歲出明細」" in line for line in status), status
    monkeypatch.setattr(_xlremote.Range, "column_hidden", property(column_hidden))
    actions = run_script(addin, "check_book", example_payload)
    order = sheet_order(example_payload, actions)
    status = [str(r[0]) for r in sheet_values(actions, order.index("執行紀錄")) if r and r[0]]
    assert not any("哪些欄被隱藏" in line for line in status), status
    rows = [r for r in sheet_values(actions, order.index("檢核結果"))
            if len(r) > 4 and r[2] == "hidden-column-counted" and isinstance(r[0], int)]
    assert [r[4] for r in rows] == ["歲出明細!I53"], rows
    assert "數字合計 57,019,000" in rows[0][7], rows[0]


def _broken_example():
    wb = example_workbook()
    ws = wb[SHEET_EXPENSES]
    header = [c.value for c in ws[1]]
    ws.cell(3, header.index("預算數") + 1).value = 12345  # seed line: 1 × 4,410,710
    ws.cell(4, header.index("用途別科目") + 1).value = "2999"
    return wb


def _fills(actions, position):
    """(row, col) → colour of every setRangeColors cell on the sheet at ``position`` (0-based cells)."""
    fills = {}
    for a in actions:
        if a["func"] == "setRangeColors" and a["sheet_position"] == position:
            for r, row in enumerate(a["args"][0]):
                for c, color in enumerate(row):
                    if color != "keep":
                        fills[(a["start_row"] + r, a["start_column"] + c)] = color
    return fills


def test_check_marks_cells_and_lists_findings():
    wb = _broken_example()
    ws = wb[SHEET_EXPENSES]
    header = [c.value for c in ws[1]]
    ws.cell(4, header.index("用途別科目") + 1).value = "1020"
    ws.cell(4, header.index("經資門") + 1).value = "資本"  # 1020 is 經常 only
    payload = book_json(wb)
    actions = run_script(addin, "check_book", payload)
    order = sheet_order(payload, actions)
    fills = _fills(actions, order.index(SHEET_EXPENSES))
    assert fills[(2, 7)] == RED  # 歲出明細!H3
    assert fills[(2, 5)] == fills[(2, 6)] == RED  # 數量 F3 and 單價 G3, marked with 預算數 H3
    assert fills[(3, 9)] == RED  # 歲出明細!J4
    results = sheet_values(actions, order.index("檢核結果"))
    header = results.index(["序號", "嚴重度", "規則", "規則名稱", "位置", "應為", "實為", "說明", "一併標示"])
    listed = {(r[1], r[2], r[4]) for r in results[header + 1:]}
    assert ("錯誤", "item-product-mismatch", "歲出明細!H3") in listed
    assert ("錯誤", "basis-not-allowed", "歲出明細!J4") in listed
    mismatch = next(r for r in results[header + 1:] if r[2] == "item-product-mismatch")
    # listed once, at 預算數, with the two cells marked with it; no 應為/實為 names one of them wrong
    assert mismatch[5:9] == ["", "", mismatch[7], "歲出明細!F3、歲出明細!G3"]
    numbered = [r for r in results[header + 1:] if isinstance(r[0], (int, float)) and r[0] != ""]
    assert [r[2] for r in numbered].count("item-product-mismatch") == 1
    # the same layout as the command line's 檢核結果 (results.results_sheet): counts per rule follow the findings
    per_rule = results[results.index(["各規則件數"] + [""] * 8) + 2:]
    row = per_rule[[r[2] for r in per_rule].index("item-product-mismatch")]
    assert row[1:5] == ["錯誤", "item-product-mismatch", RULES["item-product-mismatch"].title, 1]
    assert len([a for a in actions if a["func"] == "setValues" and a["sheet_position"] == order.index("檢核結果")]) == 1
    status = sheet_values(actions, order.index("執行紀錄"))
    assert "檢核" in status[0][0] and "錯誤" in status[0][0]


def test_check_button_counts_one_error_in_its_message_and_on_the_results_sheet():
    """The built example with 彙計表!B8 typed over: 1 錯誤, 0 警告, 7 提示 (the seed's 以前年度 說明 amounts no table
    holds: 3 in I2, 4 in I3, tests/test_prior_notes.py), in 執行紀錄 and 檢核結果 alike."""
    from xlbudget.adapters.printing import write_tables
    from xlbudget.adapters.xlsxfile import input_grids
    from xlbudget.derive.book import derive_all
    from xlbudget.forms.results import count_summary
    from xlbudget.readers.inputs import read_book

    wb = example_workbook()
    model, _ = read_book(input_grids(wb, "x"), "x")
    write_tables(wb, derive_all(model), model.agency)
    wb["各項費用彙計表"]["B8"] = 40_000  # 人事費, 行政管理: printed 42,978
    payload = book_json(wb)
    actions = run_script(addin, "check_book", payload)
    order = sheet_order(payload, actions)
    counts = count_summary({"錯誤": 1, "警告": 0, "提示": 7})
    assert sheet_values(actions, order.index("檢核結果"))[1][0].startswith(counts + "（")
    assert f"發現 {counts}，" in sheet_values(actions, order.index("執行紀錄"))[0][0]


def test_check_marks_an_unknown_code_as_an_input_error():
    payload = book_json(_broken_example())  # 歲出明細!D4 = 2999, a 二級 code not in the table
    actions = run_script(addin, "check_book", payload)
    order = sheet_order(payload, actions)
    assert _fills(actions, order.index(SHEET_EXPENSES))[(3, 3)] == RED  # 歲出明細!D4
    results = sheet_values(actions, order.index("檢核結果"))
    header = results.index(["序號", "嚴重度", "規則", "規則名稱", "位置", "應為", "實為", "說明", "一併標示"])
    assert ("錯誤", "unknown-object-code", "歲出明細!D4") in {(r[1], r[2], r[4]) for r in results[header + 1:]}
    status = sheet_values(actions, order.index("執行紀錄"))
    assert any("歲出明細!D4" in row[0] for row in status)


def test_check_marks_cells_that_cannot_be_read():
    wb = example_workbook()
    ws = wb[SHEET_EXPENSES]
    header = [c.value for c in ws[1]]
    ws.cell(5, header.index("單價") + 1).value = "很多"
    payload = book_json(wb)
    actions = run_script(addin, "check_book", payload)
    order = sheet_order(payload, actions)
    assert _fills(actions, order.index(SHEET_EXPENSES))[(4, 6)] == RED  # 歲出明細!G5
    status = sheet_values(actions, order.index("執行紀錄"))
    assert any("歲出明細!G5" in row[0] for row in status)


def test_clear_marks_removes_only_the_listed_fills():
    wb = _broken_example()
    # 檢核結果 as the check writes it (title, counts, blank row, header, findings)
    results = wb.create_sheet("檢核結果")
    results.append(["xlbudget 檢核結果"])
    results.append(["錯誤 2、警告 0、提示 0"])
    results.append([])
    results.append(["序號", "嚴重度", "規則", "規則名稱", "位置", "應為", "實為", "說明", "一併標示"])
    results.append([1, "錯誤", "item-product-mismatch", "", "歲出明細!H3", None, None, "…", "歲出明細!F3、歲出明細!G3"])
    results.append([2, "錯誤", "unknown-object-code", "", "歲出明細!D4", None, "2999", "…"])
    results.append([3, "錯誤", "gone", "", "已刪除的工作表!A1", None, None, "…"])
    payload = book_json(wb)
    actions = run_script(addin, "clear_marks", payload)
    order = sheet_order(payload, actions)
    assert _fills(actions, order.index(SHEET_EXPENSES)) == {(2, 7): None, (2, 5): None, (2, 6): None, (3, 3): None}
    assert any(a["func"] == "sheetClear" and a["sheet_position"] == order.index("檢核結果") for a in actions)
    assert "4 個" in sheet_values(actions, order.index("執行紀錄"))[0][0]


def test_clear_marks_reads_the_command_line_record(monkeypatch):
    """check --mark's record of 歲出明細!G5 (red over no fill, no note of the officer's): in desktop Excel G5 is
    cleared when it still holds xlbudget's red and note (tests/test_addin_marks.py: as check --clear finds them);
    xlwings Lite reads neither, so the record is left and 執行紀錄 says so (it cleared G5 by its address)."""
    from openpyxl.comments import Comment
    from openpyxl.styles import PatternFill
    from xlwings_json import desktop_cells

    wb = example_workbook()
    state = wb.create_sheet("xlbudget標示紀錄")
    state.append(["工作表", "儲存格", "原填色", "原註解", "原註解作者", "本程式填色"])
    state.append([SHEET_EXPENSES, "G5", "", "", "", "FFFFC7CE"])
    wb[SHEET_EXPENSES]["G5"].fill = PatternFill("solid", fgColor="FFFFC7CE")
    wb[SHEET_EXPENSES]["G5"].comment = Comment("【錯誤】…", "xlbudget")
    payload = book_json(wb)
    actions = run_script(addin, "clear_marks", payload)
    order = sheet_order(payload, actions)
    assert _fills(actions, order.index(SHEET_EXPENSES)) == {} and "xlbudget標示紀錄" in order
    assert "無法讀取儲存格的填色與註解" in sheet_values(actions, order.index("執行紀錄"))[1][0]
    desktop_cells(monkeypatch, wb)
    actions = run_script(addin, "clear_marks", payload)
    order = sheet_order(payload, actions)
    assert _fills(actions, order.index(SHEET_EXPENSES)) == {(4, 6): None} and "xlbudget標示紀錄" not in order


def test_check_then_clear_round_trip():
    """The cells 清除標示 clears are exactly those 檢核 painted."""
    payload = book_json(_broken_example())
    checked = run_script(addin, "check_book", payload)
    order = sheet_order(payload, checked)
    painted = _fills(checked, order.index(SHEET_EXPENSES))
    wb = _broken_example()
    results = wb.create_sheet("檢核結果")
    for row in sheet_values(checked, order.index("檢核結果")):
        results.append([None if v == "" else v for v in row])
    payload = book_json(wb)
    cleared = run_script(addin, "clear_marks", payload)
    assert _fills(cleared, sheet_order(payload, cleared).index(SHEET_EXPENSES)) == {rc: None for rc in painted}


def test_clear_marks_without_a_check_changes_nothing(example_payload):
    actions = run_script(addin, "clear_marks", example_payload)
    assert not [a for a in actions if a["func"] == "setRangeColors"]


def test_add_template_to_a_blank_book():
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.title = "工作表1"
    payload = book_json(wb)
    actions = run_script(addin, "add_template", payload)
    order = sheet_order(payload, actions)
    for name in (SHEET_AGENCY, SHEET_EXPENSES, SHEET_REVENUES, SHEET_PRIOR, SHEET_NOTES):
        assert name in order
    from xlbudget.app.template import LAYOUT

    expenses = sheet_values(actions, order.index(SHEET_EXPENSES))
    assert expenses[0][:len(EXPENSE_HEADERS)] == list(EXPENSE_HEADERS)
    assert expenses[0] == list(LAYOUT[SHEET_EXPENSES])  # the same sheet as 'xlbudget new' writes
    agency = sheet_values(actions, order.index(SHEET_AGENCY))
    assert agency[0] == ["項目", "內容"] and ["機關名稱", ""] in agency
    assert order.index("工作表1") == 0


def test_add_template_keeps_existing_sheets(example_payload):
    actions = run_script(addin, "add_template", example_payload)
    order = sheet_order(example_payload, actions)
    assert not [a for a in actions if a["func"] == "setValues" and a["sheet_position"] == order.index(SHEET_EXPENSES)]


def test_export_data(example_payload):
    actions = run_script(addin, "export_data", example_payload)
    order = sheet_order(example_payload, actions)
    rows = sheet_values(actions, order.index("匯出資料"))
    assert rows[0] == ["table", "row_code", "row_name", "column", "value", "unit"]
    assert ["各項費用彙計表", "合計", "合計", "合計", 275795, "千元"] in [r[:6] for r in rows]


def test_bad_input_is_reported_in_the_book_not_raised():
    wb = example_workbook()
    del wb[SHEET_AGENCY]
    payload = book_json(wb)
    for script in ("build_schedules", "export_data"):
        actions = run_script(addin, script, payload)
        status = sheet_values(actions, sheet_order(payload, actions).index("執行紀錄"))
        text = "\n".join(str(r[0]) for r in status)
        assert "基本資料" in text and "Traceback" not in text


def test_bad_cell_is_named_by_sheet_and_cell():
    wb = example_workbook()
    ws = wb[SHEET_EXPENSES]
    ws.cell(3, 1).value = "3202"  # 工作計畫編號 of the second line
    payload = book_json(wb)
    actions = run_script(addin, "build_schedules", payload)
    order = sheet_order(payload, actions)
    status = "\n".join(str(r[0]) for r in sheet_values(actions, order.index("執行紀錄")))
    assert "歲出明細!A3" in status
    assert "各項費用彙計表" not in order  # nothing half-built


def test_addin_module_is_not_part_of_the_core():
    import subprocess
    import sys

    code = "import sys, xlbudget.derive.schedules, xlbudget.forms.layout, xlbudget.derive.narrative; print('xlwings' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_check_compares_built_tables_with_the_inputs():
    """With the checks engine (issue 4) installed, a hand-edited figure in a built table is found and marked."""
    pytest.importorskip("xlbudget.rules.checks")
    from xlbudget.readers.inputs import read_book
    from xlbudget.adapters.printing import write_tables
    from xlbudget.derive.book import derive_all
    from xlbudget.adapters.xlsxfile import input_grids

    wb = example_workbook()
    book, _ = read_book(input_grids(wb))
    write_tables(wb, derive_all(book), book.agency)
    ws = wb["各項費用彙計表"]
    total = next(row for row in ws.iter_rows() if row[0].value == "合計")
    total[1].value = 43768  # seed: 行政管理 合計 43,769
    payload = book_json(wb)
    actions = run_script(addin, "check_book", payload)
    order = sheet_order(payload, actions)
    where = f"各項費用彙計表!{total[1].coordinate}"
    results = sheet_values(actions, order.index("檢核結果"))
    assert any(r[4] == where and r[5:7] == [43769, 43768] for r in results)
    assert _fills(actions, order.index("各項費用彙計表")) == {(total[1].row - 1, 1): RED}


# ------------------------------------------------------------ 新年度

def test_next_year_in_lite_says_why_and_changes_nothing(example_payload):
    # a web add-in cannot open a second workbook: 執行紀錄 says so; no input sheet is written
    actions = run_script(addin, "next_year_book", example_payload)
    order = sheet_order(example_payload, actions)
    status = "\n".join(str(r[0]) for r in sheet_values(actions, order.index("執行紀錄")))
    assert "新年度" in status and "xlbudget next-year" in status and "Traceback" not in status
    written = {order[a["sheet_position"]] for a in actions if a["func"] == "setValues"}
    assert written == {"執行紀錄"}


def test_export_pdf_in_lite_says_why_and_changes_nothing(example_payload):
    # a web add-in cannot print to a file: 執行紀錄 says so and names the command line; nothing else is written
    actions = run_script(addin, "export_pdf", example_payload)
    order = sheet_order(example_payload, actions)
    status = "\n".join(str(r[0]) for r in sheet_values(actions, order.index("執行紀錄")))
    assert "輸出PDF" in status and "xlbudget pdf" in status and "Traceback" not in status
    written = {order[a["sheet_position"]] for a in actions if a["func"] == "setValues"}
    assert written == {"執行紀錄"}


def test_next_year_writes_the_input_sheets_into_the_new_workbook(example_payload):
    # what 新年度 writes into the new desktop workbook, through the same engine: the seed's 本年度 as 上年度
    import json

    import openpyxl
    import xlwings as xw

    from xlbudget.addin import buttons
    from xlbudget.app.nextyear import next_year

    source = xw.Book(json=json.loads(json.dumps(example_payload)))
    model, _ = buttons._read(source)
    plan = next_year(model, buttons.xb.input_grids(source), generated_from=4)
    source.close()
    empty = book_json(openpyxl.Workbook(), "活頁簿1")
    target = xw.Book(json=json.loads(json.dumps(empty)))
    try:
        buttons.write_next_year(target, plan.sheets)
        actions = json.loads(json.dumps(target.json()["actions"], ensure_ascii=False, default=str))
    finally:
        target.close()
    assert "Sheet" not in sheet_order(empty, actions)  # the new book's own empty sheet is removed
    added = {a["args"][1]: a["args"][0] for a in actions if a["func"] == "addSheet"}  # positions when written
    assert set(plan.sheets) == set(added) and {SHEET_PRIOR, SHEET_AGENCY, SHEET_EXPENSES} <= set(added)
    prior = sheet_values(actions, added[SHEET_PRIOR])
    assert [r[:4] for r in prior[1:]] == [
        ["32020180101", "一般行政-行政管理", 43769, ""], ["32020183201", "數位發展計畫-數位發展計畫", 232026, ""],
        ["04020180301", "賠償收入-一般賠償收入", 0, ""], ["09020180102", "上級政府補助收入-計畫型補助收入", 57019, ""]]
    agency = {r[0]: r[1] for r in sheet_values(actions, added[SHEET_AGENCY])[1:]}
    assert agency["年度"] == 114


def test_lite_needs_no_calamine_and_no_pdf_reader():
    """The Lite requirements.txt (README) has neither python-calamine nor pypdf: every button and every cell
    function runs without loading them (in a fresh interpreter, where nothing else has imported them)."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    code = """
import sys
import xlwings_json as xj
import xlbudget.addin as addin
from xlbudget.app.example import example_workbook
for script in %r:
    xj.run_script(addin, script, xj.book_json(example_workbook()))
items = [["工作計畫編號", "工作計畫名稱", "用途別科目", "預算數"], ["32020180101", "一般行政-行政管理", 2018, 1000]]
for name, args in [("xlb_name", (2018,)), ("xlb_thousands", (2500,)), ("xlb_chinese", (2800,)),
                   ("xlb_parse_chinese", ("280萬元",)), ("xlb_roc_year", (45292,)), ("xlb_roc_date", ("1130101",)),
                   ("xlb_rollup", (items, 2000, "全部")), ("xlb_schedule", (items, "彙計表")), ("xlb_check", (items,))]:
    xj.call_udf(addin, name, *args)
print(",".join(m for m in ("python_calamine", "pypdf", "numpy", "pandas") if m in sys.modules))
""" % (SCRIPTS,)
    tests = Path(__file__).resolve().parent
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=tests,
                         env={**os.environ, "PYTHONPATH": str(tests)})
    assert out.stdout.strip() == ""


def test_a_handmade_book_is_told_it_is_one_by_the_buttons_as_by_the_cli():
    """Field report 4 §5.2: 產生報表 on a hand-made printed book (the built example without its input sheets) said only
    找不到工作表「基本資料」, while build says printed-only-input. The buttons say it too, pointing at 新增範本; an empty
    book (no printed table either) is still told which input sheet is missing."""
    from built_books import handmade_workbook
    import openpyxl

    payload = book_json(handmade_workbook(), "手工.xlsx")
    for script, title in (("build_schedules", "產生報表"), ("export_data", "匯出")):
        actions = run_script(addin, script, payload)
        text = "\n".join(str(r[0]) for r in sheet_values(actions, sheet_order(payload, actions).index("執行紀錄")))
        assert "手工.xlsx 是手工預算書" in text and f"「{title}」 需要輸入工作表" in text and "新增範本" in text, text
        assert "找不到工作表" not in text and "輸入資料有誤" not in text and "Traceback" not in text
    empty = book_json(openpyxl.Workbook(), "空.xlsx")
    actions = run_script(addin, "build_schedules", empty)
    text = "\n".join(str(r[0]) for r in sheet_values(actions, sheet_order(empty, actions).index("執行紀錄")))
    assert "找不到工作表" in text and "手工預算書" not in text
