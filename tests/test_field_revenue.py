"""Field report #4 and #5: 歲入明細 renamed or deleted while 歲出 has 收支併列, and typed 款/目 names that disagree
with the 科目編號 — never silently printed; named at the cell on build, check, convert and the add-in buttons.

The example book (高雄市政府資訊中心 113) has 收支併列 57,019,000 元 in 歲出明細, first at I53 (hand-checked in the
workbook: 歲出明細 I53 is the first non-empty 收支併列數 cell).
"""

import pytest

from xlwings_json import book_json, run_script, sheet_order, sheet_values  # noqa: I001  (sets XLWINGS_ON_SERVER first)

from xlbudget.adapters.xlsxfile import input_grids
from xlbudget.app.convert import convert_one
from xlbudget.app.example import example_workbook
from xlbudget.app.pipeline import build_workbook
from xlbudget.readers.inputs import read_book
from xlbudget.rules.checks import check_book

MATCHED = 57_019_000


def _without_revenue(how):
    wb = example_workbook()
    if how == "renamed":
        wb["歲入明細"].title = "歲入"
    else:
        del wb["歲入明細"]
    return wb


def _rules(findings, rule):
    return [(f.rule, str(f.cell)) for f in findings if f.rule == rule]


@pytest.mark.parametrize("how", ["renamed", "deleted"])
def test_matched_without_revenue_on_check_and_build(how):
    wb = _without_revenue(how)
    book, reading = read_book(input_grids(wb))
    found = [f for f in check_book(book) if f.rule == "matched-without-revenue"]
    assert [(f.rule, str(f.cell), f.expected) for f in found] == [("matched-without-revenue", "歲出明細!I53", MATCHED)]
    assert _rules(build_workbook(wb, book)[1], "matched-without-revenue") == [("matched-without-revenue",
                                                                               "歲出明細!I53")]


def test_matched_without_revenue_on_convert_and_the_addin(tmp_path):
    wb = _without_revenue("deleted")
    source = tmp_path / "無歲入.xlsx"
    wb.save(source)
    result = convert_one(str(source), str(tmp_path / "out.json"), fmt="json")
    assert result.errors >= 1
    payload = book_json(_without_revenue("deleted"))
    import xlbudget.addin as addin

    actions = run_script(addin, "check_book", payload)
    rows = sheet_values(actions, sheet_order(payload, actions).index("檢核結果"))
    assert ("matched-without-revenue", "歲出明細!I53") in {(r[2], r[4]) for r in rows}


# -- field report #5: typed 款/目 names that disagree with the 科目編號 (歲入明細 row 2: 09020180102
# 上級政府補助收入-計畫型補助收入; 09 is 補助及協助收入 in revenue-sources.csv, 目 09020180100 is 上級政府補助收入)


def _levels_typed(**cells):
    wb = example_workbook()
    for cell, value in cells.items():
        wb["歲入明細"][cell] = value
    return wb


def test_level_names_that_disagree_with_the_code_are_named_at_their_cells():
    wb = _levels_typed(C2="08其他收入", E2="01雜項收入")
    _, reading = read_book(input_grids(wb))
    found = [f for f in reading if f.rule == "revenue-level-name-mismatch"]
    assert sorted((str(f.cell), f.expected, f.actual) for f in found) == [
        ("歲入明細!C2", "補助及協助收入", "其他收入"), ("歲入明細!E2", "上級政府補助收入", "雜項收入")]
    assert _rules(read_book(input_grids(example_workbook()))[1], "revenue-level-name-mismatch") == []


def test_level_names_as_printed_and_empty_ones_say_nothing():
    wb = _levels_typed(C2="06 補助及協助收入", E2="", F2="01計畫型補助收入")
    assert _rules(read_book(input_grids(wb))[1], "revenue-level-name-mismatch") == []
    wb = _levels_typed(F2="01一般補助收入")  # 節 named against 科目名稱's last part
    assert _rules(read_book(input_grids(wb))[1], "revenue-level-name-mismatch") == [
        ("revenue-level-name-mismatch", "歲入明細!F2")]


def test_level_name_mismatch_on_the_addin():
    import xlbudget.addin as addin

    payload = book_json(_levels_typed(C2="08其他收入"))
    actions = run_script(addin, "check_book", payload)
    rows = sheet_values(actions, sheet_order(payload, actions).index("檢核結果"))
    assert ("revenue-level-name-mismatch", "歲入明細!C2") in {(r[2], r[4]) for r in rows}


# -- field report #4, the sheet itself: one carrying 歲入明細's headers under another name is named, on every path


def _renamed_rules(findings):
    return [(f.rule, str(f.cell)) for f in findings if f.rule == "input-sheet-renamed"]


def test_a_renamed_revenue_sheet_is_named(tmp_path):
    from xlbudget.adapters.fastread import read_grids

    wb = _without_revenue("renamed")
    assert _renamed_rules(read_book(input_grids(wb))[1]) == [("input-sheet-renamed", "歲入!A1")]
    wb.save(tmp_path / "renamed.xlsx")
    assert _renamed_rules(read_book(read_grids(tmp_path / "renamed.xlsx"))[1]) == [
        ("input-sheet-renamed", "renamed.xlsx:歲入!A1")]
    deleted = _without_revenue("deleted")
    assert _renamed_rules(read_book(input_grids(deleted))[1]) == []
    build_workbook(deleted, read_book(input_grids(deleted))[0])  # its table sheets carry no 歲入明細 header row
    assert _renamed_rules(read_book(input_grids(deleted))[1]) == []
    assert _renamed_rules(read_book(input_grids(example_workbook()))[1]) == []


def test_a_renamed_revenue_sheet_is_named_by_the_addin():
    import xlbudget.addin as addin

    payload = book_json(_without_revenue("renamed"))
    actions = run_script(addin, "check_book", payload)
    rows = sheet_values(actions, sheet_order(payload, actions).index("檢核結果"))
    assert ("input-sheet-renamed", "歲入!A1") in {(r[2], r[4]) for r in rows}
