"""The 新年度 button (next_year_book) through xlwings' own engine, as desktop Excel: the officer's formulas of the
input sheets go into next year's book as formulas where xlbudget next-year keeps them (app.nextformulas), re-pointed
where lines moved, and the rest are named on 執行紀錄 (field report 11 §4.3, for the button: it wrote every formula as
its value, nothing said).

The example is the seed book (高雄市政府資訊中心 113年度): 歲出明細 lines 數量 1 × 單價 25,356,370, 1 × 4,410,710 and
1 × 871,852 (rows 2–4, here rows 3–5 below a blank row 2); 出國計畫 row 2 (the one trip, 4 people) 辦公費 20,000 =
4 × 5,000. Desktop Excel reads formulas (Range.formula): played by xlwings_json.desktop_cells on a copy of the book
holding the formulas, the book JSON holding the values Excel shows.
"""

from __future__ import annotations

import json

import openpyxl

from xlwings_json import book_json, desktop_cells, run_script, sheet_order, sheet_values  # XLWINGS_ON_SERVER first

import xlwings as xw

import xlbudget.addin as addin
from xlbudget.addin import buttons
from xlbudget.app.example import example_workbook
from xlbudget.forms.inputs import SHEET_EXPENSES, SHEET_TRIPS

FORMULAS = {SHEET_EXPENSES: {"H4": ("=F4*G4", 4_410_710), "H5": ("=以前年度!C2*0+871852", 871_852),
                             "L3": ("=見附件", "=見附件")},  # L3: a text typed as text ('=見附件), no formula
            SHEET_TRIPS: {"K2": ("=H2*5000", 20_000)}}


def _books():
    """(the values Excel shows, the formulas Excel reads) of the example with a blank row 2 in 歲出明細 and
    ``FORMULAS`` typed in."""
    shown, typed = example_workbook(), example_workbook()
    for wb in (shown, typed):
        wb[SHEET_EXPENSES].insert_rows(2)
    for sheet, cells in FORMULAS.items():
        for cell, (formula, value) in cells.items():
            shown[sheet][cell].value = value
            shown[sheet][cell].data_type = "s" if isinstance(value, str) else "n"
            typed[sheet][cell].value = formula
            if formula == value:  # typed as text
                typed[sheet][cell].data_type = "s"
    return shown, typed


def _run(monkeypatch, shown, typed, calculation: str | None = None):
    """Run 新年度 as desktop Excel: (the actions on this book, the actions on the new book, each sheet's position in
    it when written)."""
    desktop_cells(monkeypatch, typed)
    empty = book_json(openpyxl.Workbook(), "活頁簿1")
    made = []

    def new_workbook(book):  # desktop Excel's app.books.add(), played by the same engine
        made.append(xw.Book(json=json.loads(json.dumps(empty))))
        return made[-1]

    monkeypatch.setattr(buttons, "_new_workbook", new_workbook)
    payload = book_json(shown)
    if calculation:  # Excel's calculation mode, as the Office.js client names it
        payload["book"]["calculation"] = calculation
    actions = run_script(addin, "next_year_book", payload)
    try:
        written = json.loads(json.dumps(made[0].json()["actions"], ensure_ascii=False, default=str))
    finally:
        made[0].close()
    return actions, written, {a["args"][1]: a["args"][0] for a in written if a["func"] == "addSheet"}


def _raw(actions, position):
    """The values written to the sheet at ``position`` as sent to Excel (a text's leading apostrophe kept: Excel
    takes '=… as text, =… as a formula)."""
    grid = {}
    for a in actions:
        if a["func"] == "setValues" and a["sheet_position"] == position:
            for r, row in enumerate(a["values"]):
                for c, v in enumerate(row):
                    grid[f"{openpyxl.utils.get_column_letter(a['start_column'] + c + 1)}{a['start_row'] + r + 1}"] = v
    return grid


def test_the_officers_formulas_go_on_as_formulas(monkeypatch):
    """=F4*G4 of the line on row 4 (row 3 next year: the blank row 2 is dropped) is written =F3*G3, a formula; the
    trip's =H2*5000 stays on its draft line and on its 上年度 copy (row 3: =H3*5000). =以前年度!C2*0+871852 refers to
    the sheet next-year makes anew: written as its value 871,852 and named. The text '=見附件 stays text.
    Red before: every one written as its value (H3 4410710), nothing said."""
    shown, typed = _books()
    actions, written, order = _run(monkeypatch, shown, typed)
    expenses = _raw(written, order[SHEET_EXPENSES])
    assert (expenses["H2"], expenses["H3"], expenses["H4"], expenses["L2"]) == (25_356_370, "=F3*G3", 871_852,
                                                                                  "'=見附件")
    # a code typed as text goes as text: Excel would read 「04020180301」 written as is as the number 4020180301
    assert (expenses["A2"], _raw(written, order["以前年度"])["A4"]) == ("'32020180101", "'04020180301")
    trips = _raw(written, order[SHEET_TRIPS])
    assert (trips["K2"], trips["K3"]) == ("=H2*5000", "=H3*5000")
    source = sheet_order(book_json(shown), actions)
    assert {source[a["sheet_position"]] for a in actions if a["func"] == "setValues"} == {"執行紀錄"}  # this book
    status = [r[0] for r in sheet_values(actions, source.index("執行紀錄"))]
    assert "輸入工作表的公式 3 格已保留為公式（參照的儲存格隨細項移動時，公式跟著移動）。" in status, status
    assert ("以下公式 1 格參照其他工作表、名稱，或新年度改寫、未帶入的儲存格，無法照原樣保留，已改為計算結果（數值），"
            "請檢視：歲出明細!H4（=以前年度!C2*0+871852）") in status, status


def test_the_new_book_is_laid_out_as_next_year_writes_it(monkeypatch, tmp_path):
    """The button's sheets are placed as xlbudget next-year places them (our template's columns, then the book's
    own), so a formula's references mean the same cells in both: 歲出明細 of the new book is next-year's, cell for
    cell (values and formulas)."""
    from xlbudget.app.pipeline import next_year_file

    shown, typed = _books()
    _, written, order = _run(monkeypatch, shown, typed)
    from xlbudget.adapters.xlsxfile import keep_cached_values

    book = tmp_path / "預算.xlsx"
    typed.save(book)
    keep_cached_values(book, {sheet: {cell: value for cell, (formula, value) in cells.items() if formula != value}
                              for sheet, cells in FORMULAS.items()})
    next_year_file(book, tmp_path / "下年度.xlsx")
    ws = openpyxl.load_workbook(tmp_path / "下年度.xlsx")[SHEET_EXPENSES]
    cli = {c.coordinate: c.value for row in ws.iter_rows() for c in row if c.value is not None}
    button = {k: v.removeprefix("'") if isinstance(v, str) else v
              for k, v in _raw(written, order[SHEET_EXPENSES]).items() if v not in (None, "")}
    assert button == cli


def test_without_formulas_nothing_is_said_of_them(monkeypatch):
    shown = example_workbook()
    actions, _, _ = _run(monkeypatch, shown, example_workbook())
    status = "\n".join(str(r[0]) for r in sheet_values(actions, sheet_order(book_json(shown), actions).index("執行紀錄")))
    assert "公式" not in status and "新年度：已在新活頁簿產生 114 年度輸入資料" in status, status


def test_in_manual_calculation_the_mode_is_named(monkeypatch):
    """Excel calculating by hand: the results 新年度 carries as values (H4's 871,852 next year) may be the last
    calculation's, and the new book, in the same Excel, is calculated by hand too: 執行紀錄 says both, naming the
    input sheets' formula cells (the four typed in FORMULAS, '=見附件 a text)."""
    shown, typed = _books()
    actions, _, _ = _run(monkeypatch, shown, typed, "Manual")
    status = [r[0] for r in sheet_values(actions, sheet_order(book_json(shown), actions).index("執行紀錄"))]
    assert ("注意：Excel 的計算選項為「手動」（公式 → 計算選項 → 手動）：輸入工作表中的公式 3 格（歲出明細!H4（=F4*G4）、"
            "歲出明細!H5（=以前年度!C2*0+871852）、出國計畫!K2（=H2*5000））的結果可能是上次計算時的，與目前的儲存格不符；"
            "xlbudget 讀的是 Excel 目前顯示的結果（manual-calc-stale）。請按 F9 重新計算後再按一次「新年度」（或將計算選項"
            "改為自動）。新活頁簿同樣是手動計算：保留的公式請按 F9 重新計算後再存檔。") in status, status


def test_the_new_book_has_the_templates_widths_and_says_where_its_lists_are_not_set(monkeypatch):
    """Next year's book from the button types and prints as xlbudget next-year's: the template's column widths
    (歲出明細 說明, column L, 50 characters: 285 points as Office.js takes them, × 5.7), and where this Excel takes no
    drop-down list from a script (here: the remote engine), 執行紀錄 says so and where they are set (next-year).
    Red before: no width set on the new book, no word of its lists."""
    shown = example_workbook()
    actions, written, order = _run(monkeypatch, shown, example_workbook())
    widths = {(a["sheet_position"], a["start_column"]): a["args"][0] for a in written if a["func"] == "setColumnWidth"}
    assert widths[order[SHEET_EXPENSES], 11] == round(50 * 5.7, 1)  # L: 0-based column 11
    status = "\n".join(str(r[0]) for r in sheet_values(actions, sheet_order(book_json(shown), actions).index("執行紀錄")))
    assert "下拉清單：此 Excel 不接受增益集設定資料驗證" in status and "xlbudget next-year" in status, status


def test_on_windows_the_lists_are_set_through_excels_validation(monkeypatch):
    """Desktop Excel on Windows (COM): each list is Validation.Add(xlValidateList 3, its alert, xlBetween 1, its
    source) on its cells, an error shown where the template shows one."""
    from xlbudget.adapters import xlwings_book as xb

    calls = []

    class Validation:
        def Delete(self):
            calls.append("Delete")

        def Add(self, *args):
            calls.append(args)

    class Api:
        def Range(self, cells):
            calls.append(cells)
            return type("Range", (), {"Validation": Validation()})()

    impl = type("Impl", (), {"__module__": "xlwings._xlwindows"})()
    book = type("Book", (), {"impl": impl})()
    sheet = type("Sheet", (), {"book": book, "api": Api()})()
    assert xb.add_lists(sheet, [("D2:D2000", "=代碼表!$A$2:$A$129", "stop", "用途別科目不在科目表中", None),
                                ("K2:K2000", "=代碼表!$C$2:$C$25", None, None, None)])
    assert calls == ["D2:D2000", "Delete", (3, 1, 1, "=代碼表!$A$2:$A$129"),
                     "K2:K2000", "Delete", (3, 1, 1, "=代碼表!$C$2:$C$25")]
    remote = type("Sheet", (), {"book": type("Book", (), {"impl": object()})()})()
    assert not xb.add_lists(remote, [("D2:D2000", "=代碼表!$A$2:$A$129", "stop", "", None)])


def test_a_book_with_errors_is_said_so_on_its_first_line_as_next_year_counts_them(monkeypatch):
    """The example with its one trip unpriced (出國計畫 I2:K2 = 0 against the 400,000 元 2078 line: trips-vs-travel,
    the one error xlbudget next-year and build count, tests/test_next_year_errors.py): 執行紀錄 says 1 error carried;
    the example itself says none. Red before: the button read no finding at all."""
    shown = example_workbook()
    for column in "IJK":
        shown[SHEET_TRIPS][f"{column}2"].value = 0
    typed = example_workbook()
    for column in "IJK":
        typed[SHEET_TRIPS][f"{column}2"].value = 0
    actions, _, _ = _run(monkeypatch, shown, typed)
    first = str(sheet_values(actions, sheet_order(book_json(shown), actions).index("執行紀錄"))[0][0])
    assert "但本活頁簿有錯誤 1 項，已照原樣帶入新年度" in first, first
    actions, _, _ = _run(monkeypatch, example_workbook(), example_workbook())
    first = str(sheet_values(actions, sheet_order(book_json(example_workbook()), actions).index("執行紀錄"))[0][0])
    assert "新年度：已在新活頁簿產生 114 年度輸入資料" in first and "錯誤" not in first, first
