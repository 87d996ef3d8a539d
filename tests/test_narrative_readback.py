"""總說明's generated figure sentences (column D, written by build) are read back like every other derived cell.

The seed's 歲出 total is 275,795 千元 (各項費用彙計表 合計), so build writes in 總說明!D6:
「歲出預算數2億7,579萬5千元，含經常門1億9,732萬4千元，資本門7,847萬1千元，依業務計畫列示如下：」
and in D9 the 歲入 total 57,019 千元: 「歲入預算數5,701萬9千元。」
"""

import xlwings_json as xj  # noqa: I001  (sets the xlwings server mode before xlwings is imported)

import openpyxl

from xlbudget import addin
from xlbudget.app.check import check_workbook
from xlbudget.app.example import example_workbook
from xlbudget.readers.inputs import read_book
from xlbudget.app.pipeline import build_workbook
from xlbudget.adapters.xlsxfile import input_grids

SPENDING = "歲出預算數2億7,579萬5千元，含經常門1億9,732萬4千元，資本門7,847萬1千元，依業務計畫列示如下："
REVENUE = "歲入預算數5,701萬9千元。"
RULE = "narrative-sentence-changed"


def built():
    wb = example_workbook()
    book, _ = read_book(input_grids(wb, "範例.xlsx"), "範例.xlsx")
    build_workbook(wb, book)
    assert (wb["總說明"]["D6"].value, wb["總說明"]["D9"].value) == (SPENDING, REVENUE)
    return wb


def changed(findings):
    return {(f.cell.sheet, f.cell.cell): (f.expected, f.actual) for f in findings if f.rule == RULE}


def test_a_built_book_reads_back_clean():
    assert changed(check_workbook(built(), file="範例.xlsx").findings) == {}


def test_a_changed_or_emptied_sentence_is_named_by_its_cell():
    wb = built()
    typed = SPENDING.replace("2億7,579萬5千元", "2億7,597萬5千元")  # two digits swapped by hand
    wb["總說明"]["D6"] = typed
    wb["總說明"]["D9"] = None
    assert changed(check_workbook(wb, file="範例.xlsx").findings) == {
        ("總說明", "D6"): (SPENDING, typed), ("總說明", "D9"): (REVENUE, None)}


def test_a_book_not_built_yet_has_no_sentences_to_compare():
    wb = example_workbook()
    assert changed(check_workbook(wb, file="範例.xlsx").findings) == {}


def test_the_check_button_reads_the_sentences_back_too():
    wb = built()
    wb["總說明"]["D9"] = "歲入預算數5,710萬9千元。"
    payload = xj.book_json(wb)
    actions = xj.run_script(addin, "check_book", payload)
    order = xj.sheet_order(payload, actions)
    results = xj.sheet_values(actions, order.index("檢核結果"))
    # finding rows carry a 序號 (the rows under 各規則件數 name the rule too, with a count in 位置's column)
    assert [r[4] for r in results if len(r) > 4 and r[2] == RULE and r[0] not in ("", None)] == ["總說明!D9"]
