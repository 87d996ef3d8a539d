"""Field report 5 §1.2 and §5: a 「小計」 line typed by copying the line above was counted as a line.

The example's 歲出明細 rows 25–27 are the three 2054 一般事務費 lines of 行政管理: 100,000 + 166,929 + 61,000 =
327,929 元. The seed book prints 各項費用彙計表 205400一般事務費 328 | 47,585 | 47,913 千元, 205100物品 32 千元 and
歲出機關別預算表 本年度 275,795 千元. An officer copies row 27 to a new row 28 (or row 24, 2051 物品 32,000, to a new
row 25), changes only its 說明 to 「小計」 and its 預算數 to the group's sum: 2054 printed 48,241 (47,913 + 328) and
check exited 0.
"""

from __future__ import annotations

import json

import pytest

from xlbudget.cli import main
from xlbudget.forms.inputs import SHEET_EXPENSES

from test_reading import column, example

GROUP = 100_000 + 166_929 + 61_000  # rows 25–27, the three 2054 lines of 行政管理


def _lines(first: int, last: int) -> int:
    """Σ 預算數 of the example's 歲出明細 rows first..last, read from the workbook."""
    from xlbudget.app.example import example_workbook
    ws = example_workbook()[SHEET_EXPENSES]
    return sum(ws.cell(r, column(ws, "預算數")).value for r in range(first, last + 1))


def _run(book, capsys, command):
    capsys.readouterr()
    code = main([command, str(book), "--format", "json"])
    return code, json.loads(capsys.readouterr().out)


def _subtotal_under(row: int, note: str, amount: int, lump: bool = False):
    """A new line under ``row``: its keys, 單位 and 說明 copied, 說明 made ``note``, 1 × ``amount`` (or a lump sum)."""
    def edit(wb):
        ws = wb[SHEET_EXPENSES]
        assert [ws.cell(r, column(ws, "預算數")).value for r in (24, 25, 26, 27)] == [32_000, 100_000, 166_929, 61_000]
        assert [ws.cell(r, column(ws, "用途別科目")).value for r in (24, 25, 26, 27)] == ["2051", "2054", "2054", "2054"]
        ws.insert_rows(row + 1)
        for c in range(1, ws.max_column + 1):
            ws.cell(row + 1, c).value = ws.cell(row, c).value
        ws.cell(row + 1, column(ws, "說明")).value = note
        ws.cell(row + 1, column(ws, "數量")).value = None if lump else 1
        ws.cell(row + 1, column(ws, "單價")).value = None if lump else amount
        ws.cell(row + 1, column(ws, "預算數")).value = amount
    return edit


def _figures(records):
    def one(table, code, col):
        return [r["value"] for r in records if r["table"] == table and r["row_code"] == code and r["column"] == col]
    agency = [r["value"] for r in records if r["table"] == "歲出機關別預算表" and r["column"] == "本年度預算數"]
    return one("各項費用彙計表", "2054", "合計"), one("各項費用彙計表", "2051", "合計"), agency[0]


@pytest.mark.parametrize("note", ["小計", "2054小計", "一般事務費小計", "本科目合計", "計", "以上合計", "小　計", "小計："])
def test_a_line_whose_note_says_it_is_a_total_is_no_line(tmp_path, capsys, note):
    book = example(tmp_path, _subtotal_under(27, note, GROUP, lump=note == "計"))
    code, records = _run(book, capsys, "export")
    assert code == 0
    assert _figures(records) == ([47_913], [32], 275_795)  # the seed book's, not 48,241 and 276,123
    code, findings = _run(book, capsys, "check")
    named = [f for f in findings if f["cell"] == "H28"]
    if note == "以上合計":  # a 合計: every line above it (rows 2–27), which the message names
        assert code == 1 and [f["rule"] for f in named] == ["totals-row-mismatch"]
        assert "第 2 至 27 列" in named[0]["message"]
    else:  # the 2054 group right above it (rows 25–27) is what it adds up: right (README: Totals rows), though the
        assert code == 0 and not named  # lines since the last total row are every line from row 2


def test_a_subtotal_that_is_neither_sum_names_both(tmp_path, capsys):
    """The same 小計 under rows 25–27 one 元 off: neither the 2054 group's 327,929 nor rows 2–27's, and it says both."""
    book = example(tmp_path, _subtotal_under(27, "小計", GROUP + 1))
    code, findings = _run(book, capsys, "check")
    named = [f for f in findings if f["cell"] == "H28"]
    assert code == 1 and [(f["rule"], f["expected"], f["actual"]) for f in named] == [
        ("subtotal-group-mismatch", _lines(2, 27), GROUP + 1)]
    assert named[0]["message"] == (
        f"「小計」列的預算數為 {GROUP + 1:,}：上一個合計列以來各列（第 2 至 27 列）合計為 {_lines(2, 27):,}，"
        f"其上同一用途別科目（2054）各列（第 25 至 27 列）合計為 {GROUP:,}，都不相等")


def test_a_subtotal_line_under_one_line_is_no_line(tmp_path, capsys):
    """f24 h: row 24 (2051 物品, 32,000) copied to row 25 with 說明 「小計」: 物品 printed 64 千元 and the agency
    275,827; check said nothing. It is no line; and it is the 小計 of its 2051 group (row 24 alone): right."""
    book = example(tmp_path, _subtotal_under(24, "小計", 32_000))
    code, records = _run(book, capsys, "export")
    assert code == 0 and _figures(records)[1:] == ([32], 275_795)
    code, findings = _run(book, capsys, "check")
    assert code == 0 and not [f for f in findings if f["severity"] == "error"]
    # typed 33,000 it is neither: named at H25 with both sums
    book = example(tmp_path, _subtotal_under(24, "小計", 33_000), name="b.xlsx")
    code, findings = _run(book, capsys, "check")
    errors = [f for f in findings if f["severity"] == "error"]
    assert code == 1 and [(f["rule"], f["cell"]) for f in errors] == [("subtotal-group-mismatch", "H25")]
    assert errors[0]["message"] == (f"「小計」列的預算數為 33,000：上一個合計列以來各列（第 2 至 24 列）合計為 "
                                    f"{_lines(2, 24):,}，其上同一用途別科目（2051）各列（第 24 列）合計為 32,000，都不相等")


def test_a_right_grand_total_line_is_checked_and_passes(tmp_path, capsys):
    """以上合計 under the last line (row 78) with the sum of every line (rows 2–78, read from the workbook): no
    finding at it, and the figures are the book's."""
    book = example(tmp_path, _subtotal_under(78, "以上合計", _lines(2, 78)))
    code, records = _run(book, capsys, "export")
    assert code == 0 and _figures(records) == ([47_913], [32], 275_795)
    code, findings = _run(book, capsys, "check")
    assert not [f for f in findings if f["cell"] == "H79"]


@pytest.mark.parametrize("note", ["統計資料", "會計師簽證費", "合計3人之物品購置費", "辦理各項業務所需經費合計。",
                                  "含小計表單印製", "小計表單印製"])
def test_a_note_that_says_more_than_a_total_is_a_line(tmp_path, capsys, note):
    """A 說明 that says more than a total is a line's: row 24's 說明 changed, 物品 still 32 千元."""
    def edit(wb):
        ws = wb[SHEET_EXPENSES]
        ws.cell(24, column(ws, "說明")).value = note
    book = example(tmp_path, edit)
    code, records = _run(book, capsys, "export")
    assert code == 0 and _figures(records) == ([47_913], [32], 275_795)


def test_a_subtotal_typed_in_a_key_column_names_the_rows_it_added(tmp_path, capsys):
    """f24 d (field report 5 §5): 「小計」 in 分支計畫 of a new row 28, keys blank: the error said «其所屬各列合計為
    43,506,929» without saying that was every line from row 2. With the 2054 group's 327,929 it is right now; with
    a figure that is neither sum, it names both, and the rows of each."""
    def edit(amount):
        def typed(wb):
            ws = wb[SHEET_EXPENSES]
            ws.insert_rows(28)
            ws.cell(28, column(ws, "分支計畫")).value = "小計"
            ws.cell(28, column(ws, "預算數")).value = amount
        return typed
    code, findings = _run(example(tmp_path, edit(GROUP)), capsys, "check")
    assert not [f for f in findings if f["cell"] == "H28"]
    code, findings = _run(example(tmp_path, edit(43_000_000), name="b.xlsx"), capsys, "check")
    named = [f for f in findings if f["cell"] == "H28"]
    assert [f["rule"] for f in named] == ["subtotal-group-mismatch"]
    assert named[0]["message"] == (f"「小計」列的預算數為 43,000,000：上一個合計列以來各列（第 2 至 27 列）合計為 "
                                   f"{_lines(2, 27):,}，其上同一用途別科目（2054）各列（第 25 至 27 列）合計為 {GROUP:,}，都不相等")


def test_a_printed_subtotal_names_the_rows_it_added():
    """The printed path says the same (rules.common.sum_finding): 業務費小計 typed under 彙計表's 業務費 lines with
    154,434 (right: 779 + 153,555 = 154,334 千元) names the rows of those lines, 200100 … 209900, found in the sheet."""
    from test_printed_field import _business_subtotal, check_workbook, row_of
    from xlbudget.adapters.xlsxfile import input_grids
    from xlbudget.app.example import example_workbook
    from xlbudget.app.pipeline import build_workbook
    from xlbudget.readers.inputs import read_book
    built = example_workbook()
    build_workbook(built, read_book(input_grids(built, "範例"), "範例")[0])
    wb, r = _business_subtotal(built, (779, 153_555, 154_434))
    ws = wb["各項費用彙計表"]
    first, last = row_of(ws, "200000") + 1, row_of(ws, "300000") - 2  # the lines between 業務費 and 業務費小計
    assert r == last + 1 and str(ws.cell(first, 1).value).strip("\u3000 ").startswith("20")
    found = [f for f in check_workbook(wb).findings if f.rule == "totals-row-mismatch"]
    assert [f.message for f in found] == [
        f"「業務費小計」列的「合計」欄為 154,434，其所屬各列（第 {first} 至 {last} 列）合計為 154,334"]


def test_a_total_line_with_its_budget_left_empty_is_said_to_be_left_out(tmp_path, capsys):
    """Row 24 copied to row 25 with 說明 「小計」, 數量 1 × 單價 32,000 and 預算數 empty (a line's 預算數 is then
    數量 × 單價): not counted (物品 32 千元, the seed book's) and a warning at H25 says so."""
    def edit(wb):
        _subtotal_under(24, "小計", 32_000)(wb)
        ws = wb[SHEET_EXPENSES]
        ws.cell(25, column(ws, "預算數")).value = None
    book = example(tmp_path, edit)
    code, records = _run(book, capsys, "export")
    assert code == 0 and _figures(records)[1:] == ([32], 275_795)
    code, findings = _run(book, capsys, "check")
    assert [(f["rule"], f["cell"]) for f in findings if f["severity"] in ("error", "warning")] == [
        ("totals-row-unchecked", "H25")]


def test_a_revenue_line_whose_note_says_it_is_a_total_is_no_line(tmp_path, capsys):
    """歲入明細 reads 說明 alike: its one line (57,019,000) copied under it with 說明 「合計」 leaves 歲入來源別預算表
    合計 本年度 at the seed book's 57,019 千元 (not 114,038), with no finding at it."""
    def edit(wb):
        ws = wb["歲入明細"]
        assert ws.cell(2, column(ws, "預算數")).value == 57_019_000 and ws.max_row == 2
        for c in range(1, ws.max_column + 1):
            ws.cell(3, c).value = ws.cell(2, c).value
        ws.cell(3, column(ws, "說明")).value = "合計"
    book = example(tmp_path, edit)
    code, records = _run(book, capsys, "export")
    assert code == 0 and [r["value"] for r in records if r["table"] == "歲入來源別預算表" and r["row_code"] == "合計"
                          and r["column"] == "本年度預算數"] == [57_019]
    code, findings = _run(book, capsys, "check")
    assert not [f for f in findings if f["sheet"] == "歲入明細"]


def _branches(tmp_path, subtotal: int, name: str = "b.xlsx", last_branch: str = "02資訊業務", above: bool = False):
    """行政管理's lines of 分支計畫 01行政業務 (2018 1,500 + 2054 2,500 = 4,000 元, no 小計), then of 02資訊業務
    (2018 3,000 + 2054 4,000 = 7,000 元; the last line's 分支計畫 typed ``last_branch``), then a 小計 row under 02's
    lines typed ``subtotal`` (its 分支計畫 column says 小計, as an officer types it); ``above``: the 小計 at row 2, over
    the four lines (rows 3–6)."""
    from xlbudget.app.template import new_template

    wb = new_template()
    info = wb["基本資料"]
    for row in info.iter_rows(min_row=2):
        value = {"機關名稱": "甲局", "機關編號": "02-001", "年度": 114, "主管機關": "測試市政府主管",
                 "職能別": "01"}.get(row[0].value)
        if value is not None:
            row[1].value = value
    ws = wb[SHEET_EXPENSES]
    if above:
        ws.append([None, None, "小計", None, None, None, None, subtotal])
    for branch, obj, amount in (("01行政業務", "2018", 1_500), ("01行政業務", "2054", 2_500),
                                ("02資訊業務", "2018", 3_000), (last_branch, "2054", 4_000)):
        ws.append(["32020010101", "一般行政-行政管理", branch, obj, "年", 1, amount, amount, 0, None, None, "測試"])
    if not above:
        ws.append([None, None, "小計", None, None, None, None, subtotal])
    path = tmp_path / name
    wb.save(path)
    return path


def test_a_subtotal_under_one_branch_is_that_branch(tmp_path, capsys):
    """The brief's case: 02資訊業務's 小計 7,000 (3,000 + 4,000 by hand) under its lines, 01's lines with none. It was
    checked against all four lines (11,000) and was a false totals-row-mismatch; it is right. The figures stay the
    lines' (the 小計 is no line): 2018 4,500 and 2054 6,500 元, 11,000 in all."""
    code, findings = _run(_branches(tmp_path, 7_000), capsys, "check")
    assert code == 0 and not [f for f in findings if f["cell"] == "H6"]
    code, records = _run(_branches(tmp_path, 7_000), capsys, "export")
    by = {(r["table"], r["row_code"], r["column"]): r["value"] for r in records}
    assert by[("歲出計畫說明提要與各項費用明細表", "32020010101", "預算數")] == 11_000
    # 11,000 (every line since the last total) is right too, as before
    code, findings = _run(_branches(tmp_path, 11_000, "c.xlsx"), capsys, "check")
    assert code == 0 and not [f for f in findings if f["cell"] == "H6"]
    # 7,100 is neither: the branch's 7,000 (rows 4–5) and all four lines' 11,000 (rows 2–5) both named
    code, findings = _run(_branches(tmp_path, 7_100, "d.xlsx"), capsys, "check")
    named = [f for f in findings if f["cell"] == "H6"]
    assert code == 1 and [(f["rule"], f["expected"], f["actual"]) for f in named] == [
        ("subtotal-group-mismatch", 11_000, 7_100)]
    assert named[0]["message"] == ("「小計」列的預算數為 7,100：上一個合計列以來各列（第 2 至 5 列）合計為 11,000，"
                                   "其上同一分支計畫（02資訊業務）各列（第 4 至 5 列）合計為 7,000，都不相等")


@pytest.mark.parametrize("typed", ["０２資訊業務", "02 資訊業務", "2資訊業務"])
def test_a_subtotal_groups_lines_as_the_tables_do(tmp_path, capsys, typed):
    """The last line's 分支計畫 typed 「０２資訊業務」, 「02 資訊業務」 or 「2資訊業務」: the 明細表 prints it under
    02資訊業務 with the line above (one 分支計畫 rule, keys.branch_key), so the 小計 7,000 (3,000 + 4,000 by hand) under
    them is right. The 小計 rule grouped the lines by the text as typed: a false subtotal-group-mismatch at H6 «其上同一
    分支計畫（０２資訊業務）各列（第 5 列）合計為 4,000» (exit 1 on a right book). 7,100 is still named, with rows 4–5."""
    code, findings = _run(_branches(tmp_path, 7_000, last_branch=typed), capsys, "check")
    assert code == 0 and not [f for f in findings if f["cell"] == "H6"]
    code, records = _run(_branches(tmp_path, 7_000, last_branch=typed), capsys, "export")
    branches = {r["row_code"]: r["value"] for r in records if r["table"] == "歲出計畫說明提要與各項費用明細表"
                and r["row_code"].count("/") == 1 and r["column"] == "預算數"}
    assert branches == {"32020010101/01行政業務": 4_000, "32020010101/02資訊業務": 7_000}
    code, findings = _run(_branches(tmp_path, 7_100, "d.xlsx", last_branch=typed), capsys, "check")
    named = [f for f in findings if f["cell"] == "H6"]
    assert code == 1 and [(f["rule"], f["expected"], f["actual"]) for f in named] == [
        ("subtotal-group-mismatch", 11_000, 7_100)]
    assert "其上同一分支計畫（02資訊業務）各列（第 4 至 5 列）合計為 7,000" in named[0]["message"]


@pytest.mark.parametrize("typed", [4_000, 7_000, 4_100])
def test_a_subtotal_above_its_lines_closes_them_all(tmp_path, capsys, typed):
    """A 小計 typed above the lines (row 2, over rows 3–6: 1,500 + 2,500 + 3,000 + 4,000 = 11,000 by hand) heads them
    all, as before bfa889b: 4,000 (the last line, row 6, four rows below it) and 7,000 (02資訊業務, rows 5–6) passed as
    «its group right above it», and 4,100 was named with «其上同一分支計畫…（第 5 至 6 列）», lines below it. Each is
    totals-row-mismatch at H2 naming rows 3–6; 11,000 is right."""
    code, findings = _run(_branches(tmp_path, typed, above=True), capsys, "check")
    named = [f for f in findings if f["cell"] == "H2"]
    assert code == 1 and [(f["rule"], f["expected"], f["actual"]) for f in named] == [
        ("totals-row-mismatch", 11_000, typed)]
    assert "第 3 至 6 列" in named[0]["message"] and "其上" not in named[0]["message"]
    code, findings = _run(_branches(tmp_path, 11_000, "c.xlsx", above=True), capsys, "check")
    assert code == 0 and not [f for f in findings if f["cell"] == "H2"]
