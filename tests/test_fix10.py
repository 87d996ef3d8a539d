"""Session 29 (fix10): «never silently wrong» leftovers of the reading and check layers (session 28's note).

Figures are the example book's (高雄市政府資訊中心 113年度), built: its 各項費用彙計表 prints 100000人事費 on row 8 and
101500法定編制人員待遇 on row 9 (25,356 千元 in B9 and in 合計 D9), four columns A–D, rows 1–34.
"""

from __future__ import annotations

import pytest

import xlwings_json  # noqa: F401  (first: it sets XLWINGS_ON_SERVER before xlwings loads)

from xlbudget.app.check import check_file
from xlbudget.readers.grid import Grid, header_block

from built_books import handmade_workbook

SUMMARY = "各項費用彙計表"


# ------------------------------------------------------------ item 2: a header below row 1 keeps the sheet's marks

def test_a_header_below_a_title_line_keeps_what_the_reader_noted():
    """歲出明細 with a title line on row 1 and its header on row 2: the block from the header row kept the rows
    (3, 5) and column (I = 9) hidden in Excel, the sheet hidden, its copies and renamed sheets only when the header
    was on row 1 (a new Grid was made of the rows alone)."""
    rows = [["高雄市政府資訊中心歲出明細"], ["工作計畫編號", "工作計畫名稱", "用途別科目", "預算數"],
            ["32020180101", "一般行政", "1015", 100], ["32020180101", "一般行政", "1030", 200]]
    grid = Grid("歲出明細", rows, 1, 1, "book.xlsx", hidden=frozenset({3, 5}), hidden_columns=frozenset({9}),
                sheet_hidden=True, copies=(("歲出明細 (2)", 1, False),), struck=frozenset({(4, 1)}))
    block = header_block("歲出明細", grid)
    assert block.top == 2 and block.rows[0][0] == "工作計畫編號"  # the header row found
    assert (block.hidden, block.hidden_columns, block.sheet_hidden) == (frozenset({3, 5}), frozenset({9}), True)
    assert block.copies == (("歲出明細 (2)", 1, False),) and block.struck == frozenset({(4, 1)})


# ---------------------------------------------------- item 1: a print area cutting a table, a table sheet hidden

def _not_printed(path, workbook: bool = False) -> list[tuple[str, str, str]]:
    report = check_file(path, workbook=workbook)[0]
    return [(f.rule, f"{f.cell.sheet}!{f.cell.cell}", f.message) for f in report.findings
            if f.rule in ("figures-outside-print-area", "table-sheet-hidden", "hidden-row-not-printed",
                          "hidden-column-not-printed")]


@pytest.mark.parametrize("workbook", [False, True])  # python-calamine (check), openpyxl (check --mark, convert)
def test_a_print_area_cutting_a_hand_made_table_is_named(tmp_path, workbook):
    """各項費用彙計表's print area set to A1:D8 (the title block, the header and 合計 and 100000人事費 only): Excel prints
    8 rows of a 34-row table, and check said «錯誤 0、警告 0». Now a warning at the first figure outside (B9,
    101500法定編制人員待遇's 25,356) naming the rows 9 to 34 and the print area."""
    wb = handmade_workbook()
    wb[SUMMARY].print_area = "A1:D8"
    wb.save(tmp_path / "cut.xlsx")
    said = _not_printed(tmp_path / "cut.xlsx", workbook)
    assert [(rule, cell) for rule, cell, _ in said] == [("figures-outside-print-area", f"{SUMMARY}!B9")]
    assert "列印範圍 A1:D8" in said[0][2] and "第 9 至 34 列" in said[0][2]


def _print_area(ws, text: str) -> None:
    """``text`` as ``ws``'s print area, written as Excel writes whole columns or rows (``'表'!$A:$C``), which
    openpyxl's print_area refuses (and drops when it loads a book: the openpyxl readers see no such print area)."""
    from openpyxl.workbook.defined_name import DefinedName

    ws.defined_names["_xlnm.Print_Area"] = DefinedName("_xlnm.Print_Area", attr_text=f"'{ws.title}'!{text}")


@pytest.mark.parametrize("workbook", [False, True])
def test_a_print_area_cutting_off_the_total_column_is_named(tmp_path, workbook):
    """Whole columns A:C as print area ($A:$C): the 合計 column D prints not; its first figure is D7 (合計's 275,795).
    openpyxl drops such a print area when it loads the book (check --mark and convert read through it): set again."""
    wb = handmade_workbook()
    _print_area(wb[SUMMARY], "$A:$C")
    wb.save(tmp_path / "columns.xlsx")
    assert [(rule, cell) for rule, cell, _ in _not_printed(tmp_path / "columns.xlsx", workbook)] == [
        ("figures-outside-print-area", f"{SUMMARY}!D7")]


@pytest.mark.parametrize("area", ["$A$1:$D$34", "$A$1:$D$20,'各項費用彙計表'!$A$21:$D$34", "$A:$D", "$1:$40"])
def test_a_print_area_holding_the_whole_table_says_nothing(tmp_path, area):
    wb = handmade_workbook()
    _print_area(wb[SUMMARY], area)
    wb.save(tmp_path / "whole.xlsx")
    assert _not_printed(tmp_path / "whole.xlsx") == []


def test_a_print_area_of_an_ods_table_is_read(tmp_path):
    """The same cut in LibreOffice: table:print-ranges on the table (content.xml), read for check and for convert
    (fastread.ods_workbook: convert's openpyxl copy of an .ods keeps it)."""
    import zipfile

    from test_reading import write_ods
    from xlbudget.adapters.fastread import ods_workbook
    from xlbudget.app.check import check_workbook

    path = write_ods(handmade_workbook(), tmp_path / "plain.ods")
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    tag = f'<table:table table:name="{SUMMARY}"'
    parts["content.xml"] = parts["content.xml"].replace(
        tag.encode(), f'{tag} table:print-ranges="{SUMMARY}.A1:{SUMMARY}.$D$8"'.encode())
    cut = tmp_path / "cut.ods"
    with zipfile.ZipFile(cut, "w") as z:
        for n, data in parts.items():
            z.writestr(n, data)
    assert [(r, c) for r, c, _ in _not_printed(cut)] == [("figures-outside-print-area", f"{SUMMARY}!B9")]
    found = check_workbook(ods_workbook(cut), file=cut.name).findings
    assert [(f.rule, f.cell.cell) for f in found if f.rule == "figures-outside-print-area"] == [
        ("figures-outside-print-area", "B9")]


@pytest.mark.parametrize("workbook", [False, True])
@pytest.mark.parametrize("state", ["hidden", "veryHidden"])
def test_a_hidden_table_sheet_of_a_hand_made_book_is_named(tmp_path, workbook, state):
    """各項費用彙計表 hidden (no tab): Excel prints the book without it, check read and checked it and said nothing.
    Now one warning at its first figure, B7 (合計 under 32020180101), nothing more of that sheet (its hidden rows
    would be moot)."""
    wb = handmade_workbook()
    wb[SUMMARY].sheet_state = state
    wb[SUMMARY].row_dimensions[9].hidden = True
    wb.save(tmp_path / "hidden.xlsx")
    said = _not_printed(tmp_path / "hidden.xlsx", workbook)
    assert [(rule, cell) for rule, cell, _ in said] == [("table-sheet-hidden", f"{SUMMARY}!B7")]
    assert "工作表「各項費用彙計表」在 Excel 中是隱藏的" in said[0][2]


def test_a_hidden_table_sheet_of_a_built_book_is_named(tmp_path):
    """A template book's built 各項費用彙計表 hidden by the officer (build keeps it hidden): Excel prints no such page."""
    from xlbudget.adapters.xlsxfile import input_grids
    from xlbudget.app.example import example_workbook
    from xlbudget.app.pipeline import build_workbook
    from xlbudget.readers.inputs import read_book

    wb = example_workbook()
    build_workbook(wb, read_book(input_grids(wb))[0])
    wb[SUMMARY].sheet_state = "hidden"
    wb.save(tmp_path / "built.xlsx")
    assert [(rule, cell) for rule, cell, _ in _not_printed(tmp_path / "built.xlsx")] == [
        ("table-sheet-hidden", f"{SUMMARY}!B7")]


@pytest.mark.parametrize("text, ods, ranges", [
    ("'各項費用彙計表'!$A$1:$D$8", False, ((1, 1, 8, 4),)),
    ("'a,b'!$A$1:$B$2,'a,b'!$C$3", False, ((1, 1, 2, 2), (3, 3, 3, 3))),
    ("表!$A:$C", False, ((1, 1, 1_048_576, 3),)),
    ("表!$1:$20", False, ((1, 1, 20, 16_384),)),
    ("表.A1:表.D8 'x y'.$B$2:.$C$3", True, ((1, 1, 8, 4), (2, 2, 3, 3))),
    ("表!#REF!", False, ()),  # a print area Excel lost: nothing is taken as cut
])
def test_print_ranges_read_as_excel_and_libreoffice_write_them(text, ods, ranges):
    from xlbudget.readers.grid import print_ranges

    assert print_ranges(text, ods) == ranges


def test_convert_of_a_hand_made_ods_names_its_hidden_row(tmp_path):
    """convert checks a hand-made .ods through its openpyxl copy (fastread.ods_workbook), which dropped the hidden
    rows: check of the .ods named row 9 (25,356 千元) as not printed, convert said nothing."""
    from test_reading import write_ods
    from xlbudget.adapters.fastread import ods_workbook
    from xlbudget.app.check import check_workbook

    wb = handmade_workbook()
    wb[SUMMARY].row_dimensions[9].hidden = True
    path = write_ods(wb, tmp_path / "hidden.ods")
    found = check_workbook(ods_workbook(path), file=path.name).findings
    assert [(f.rule, f.cell.cell) for f in found if f.rule == "hidden-row-not-printed"] == [
        ("hidden-row-not-printed", "B9")]


# ------------------------------------------------------------ item 3: the 檢核 button says what check says of the tables

def _built_example():
    from xlbudget.adapters.xlsxfile import input_grids
    from xlbudget.app.example import example_workbook
    from xlbudget.app.pipeline import build_workbook
    from xlbudget.readers.inputs import read_book

    wb = example_workbook()
    build_workbook(wb, read_book(input_grids(wb))[0])
    return wb


def _button_said(payload, rules) -> list[tuple[str, str]]:
    import xlbudget.addin as addin
    from xlwings_json import run_script, sheet_order, sheet_values

    actions = run_script(addin, "check_book", payload)
    order = sheet_order(payload, actions)
    return [(r[2], r[4]) for r in sheet_values(actions, order.index("檢核結果"))
            if len(r) > 4 and r[2] in rules and isinstance(r[0], int)]


NOT_PRINTED = ("table-sheet-hidden", "figures-outside-print-area", "hidden-row-not-printed", "hidden-column-not-printed")


def test_the_check_button_names_a_hidden_table_row_where_excel_can_tell(monkeypatch):
    """各項費用彙計表 row 9 (101500法定編制人員待遇, 25,356 千元) hidden in desktop Excel: check names B9
    (hidden-row-not-printed), the 檢核 button said nothing (its grids of the table sheets carried no hidden row).
    Desktop Excel played by xlwings' own engine answering rows.hidden as Excel does (True, False, None when mixed)."""
    from xlwings.pro import _xlremote
    from xlwings_json import book_json

    def row_hidden(self):
        hidden = [self.sheet.name == SUMMARY and r == 9 for r in range(self.row, self.row + self.shape[0])]
        return True if all(hidden) else False if not any(hidden) else None

    monkeypatch.setattr(_xlremote.Range, "row_hidden", property(row_hidden))
    monkeypatch.setattr(_xlremote.Range, "column_hidden", property(lambda self: False))
    assert _button_said(book_json(_built_example(), "範例.xlsx"), NOT_PRINTED) == [
        ("hidden-row-not-printed", f"{SUMMARY}!B9")]


def test_the_check_button_names_a_hidden_table_sheet_and_a_print_area_cutting_a_table():
    """Lite's book JSON carries each sheet's visibility and print area: 各項費用彙計表 hidden is named at B7, its print
    area A1:D8 (Office.js gives it with the sheet's name) at B9, as check names them."""
    from xlwings_json import book_json

    wb = _built_example()
    wb[SUMMARY].sheet_state = "hidden"
    assert _button_said(book_json(wb, "範例.xlsx"), NOT_PRINTED) == [("table-sheet-hidden", f"{SUMMARY}!B7")]
    payload = book_json(_built_example(), "範例.xlsx")
    next(s for s in payload["sheets"] if s["name"] == SUMMARY)["print_area"] = f"{SUMMARY}!A1:D8"
    assert _button_said(payload, NOT_PRINTED) == [("figures-outside-print-area", f"{SUMMARY}!B9")]


def _desktop_styles(monkeypatch, struck=(), formats=None):
    """Desktop Excel's answers, played on xlwings' own engine: 歲出明細's cells ``struck`` ((row, column)), and its
    number formats ``formats`` ({(row, column): code}, else General); True/False/None (mixed) for a range, as COM's
    Font.Strikethrough and Range.NumberFormat answer."""
    from xlwings.pro import _xlremote

    from xlbudget.adapters import xlwings_book as xb

    asked = []

    def cells(rng):
        return [(r, c) for r in range(rng.row, rng.row + rng.shape[0])
                for c in range(rng.column, rng.column + rng.shape[1])]

    def one(states):
        return states[0] if len(set(states)) == 1 else None

    def font_struck(rng):
        asked.append(rng.sheet.name)
        return one([rng.sheet.name == "歲出明細" and cell in struck for cell in cells(rng)])

    def number_format(rng):
        return one([(formats or {}).get(cell, "General") if rng.sheet.name == "歲出明細" else "General"
                    for cell in cells(rng)])

    monkeypatch.setattr(xb, "font_struck", font_struck)
    monkeypatch.setattr(_xlremote.Range, "number_format", property(number_format))
    return asked


def test_the_check_button_names_a_struck_line_where_excel_can_tell(monkeypatch):
    """歲出明細 row 4 struck through (Ctrl+5 on the row: 871,852 元 in H4): check refuses it (struck-line at H4), the
    檢核 button was given no fonts and read it as a line. Desktop Excel tells Font.Strikethrough per range."""
    from xlwings_json import book_json

    from xlbudget.app.example import example_workbook

    asked = _desktop_styles(monkeypatch, struck={(4, c) for c in range(1, 16)})
    assert _button_said(book_json(example_workbook(), "範例.xlsx"), ("struck-line",)) == [("struck-line", "歲出明細!H4")]
    assert len(asked) < 60, len(asked)  # by halves over each sheet's block (rows first), not a question a cell


def test_the_check_button_names_an_amount_formatted_in_thousands_where_excel_can_tell(monkeypatch):
    """歲出明細!H4 (871,852) formatted #,##0"千元": it shows 「871,852千元」 and is read as 871,852 元; check names it
    (amount-unit-format), the 檢核 button said nothing. Desktop Excel tells Range.NumberFormat per range."""
    from xlwings_json import book_json

    from xlbudget.app.example import example_workbook

    _desktop_styles(monkeypatch, formats={(4, 8): '#,##0"千元"'})
    assert _button_said(book_json(example_workbook(), "範例.xlsx"), ("amount-unit-format",)) == [
        ("amount-unit-format", "歲出明細!H4")]


# ------------------------------------------------------------ item 5: load_book refuses a sheet reaching XFD1048576

def test_load_book_refuses_a_value_at_the_last_cell_as_the_command_line_does(tmp_path):
    """A 1 typed at 歲出明細!XFD1048576: build refuses the book (sheet-too-large, 1,048,576 列 × 16,384 欄), while
    load_book called directly (the Python API) made a grid of 17 billion cells. Run in a process held to 1.5 GB:
    red without the cap, a MemoryError or a kill."""
    import subprocess
    import sys

    from xlbudget.app.example import example_workbook

    wb = example_workbook()
    wb["歲出明細"]["XFD1048576"] = 1
    wb.save(tmp_path / "far.xlsx")
    code = ("import resource, sys\n"
            "resource.setrlimit(resource.RLIMIT_AS, (1_500_000_000, 1_500_000_000))\n"
            "from xlbudget.adapters.books import load_book\n"
            "from xlbudget.core.errors import InputError\n"
            "try:\n"
            "    load_book(sys.argv[1])\n"
            "except InputError as exc:\n"
            "    print(*[(f.rule, str(f.cell)) for f in exc.findings])\n")
    done = subprocess.run([sys.executable, "-c", code, str(tmp_path / "far.xlsx")], capture_output=True, text=True,
                          timeout=300)
    assert done.stdout.strip() == "('sheet-too-large', 'far.xlsx:歲出明細!XFD1048576')", done.stderr[-500:]


# ------------------------------------------------------------ item 6: a count typed with its unit

def _typed_counts(cells: dict[tuple[str, str], object]):
    from xlbudget.adapters.xlsxfile import input_grids
    from xlbudget.app.example import example_workbook
    from xlbudget.core.errors import InputError
    from xlbudget.readers.inputs import read_book

    wb = example_workbook()
    for (sheet, cell), value in cells.items():
        wb[sheet][cell] = value
    try:
        return read_book(input_grids(wb)), []
    except InputError as exc:
        return None, [(f.rule, f"{f.cell.sheet}!{f.cell.cell}") for f in exc.findings]


def test_counts_typed_with_their_column_s_unit_are_read_as_their_number():
    """The example's 約聘僱 row 2 prints 3 persons × 12 months (C2, D2); its first trip 10 days (G2), 4 persons (H2);
    typed 「3 人」, 「12個月」, 「10天」, 「4人」: refused before (not-a-number), read now as 3, 12, 10, 4 —
    the same book as the example's, figure for figure, with nothing more said."""
    from xlbudget.adapters.xlsxfile import input_grids
    from xlbudget.app.example import example_workbook
    from xlbudget.readers.inputs import read_book

    (book, findings), refused = _typed_counts({("約聘僱", "C2"): "3 人", ("約聘僱", "D2"): "12個月",
                                               ("出國計畫", "G2"): "10天", ("出國計畫", "H2"): "4人"})
    assert refused == []
    plain_book, plain_findings = read_book(input_grids(example_workbook()))
    assert book == plain_book  # every figure the same (the cells too: the same cells)
    assert sorted(f.rule for f in findings) == sorted(f.rule for f in plain_findings)


def test_a_count_typed_with_another_column_s_unit_stays_refused():
    """「12人」 in 月數 (約聘僱!D2) and 「4天」 in 擬派人數 (出國計畫!H2): not a number of that column, named at the cell."""
    _, refused = _typed_counts({("約聘僱", "D2"): "12人", ("出國計畫", "H2"): "4天"})
    assert sorted(refused) == [("not-a-number", "出國計畫!H2"), ("not-a-number", "約聘僱!D2")]


@pytest.mark.parametrize("typed, printed", [("105年3月", "10503"), ("105.3", "10503"), ("105/03", "10503"),
                                            ("105-3", "10503"), (105.3, "10503"), (105.12, "10512"),
                                            (105.1, "105.1"),  # 105年1月, or 10月 with its 0 lost as a number
                                            ("10503", "10503")])
def test_a_purchase_month_typed_otherwise_prints_as_the_other_rows(typed, printed):
    """臺中 115's first car (test_vehicles: 購置年月 「10503」, 民國105年3月) typed 「105年3月」, 「105.3」, 「105/03」: it
    printed as typed beside the other rows' 11306 and 11501 (field report 15 §2.6); now 10503, as they print."""
    from test_vehicles import PLAN, VEHICLE_ROWS, grids

    from xlbudget.derive.vehicles import derive_vehicles
    from xlbudget.readers.inputs import read_book

    rows = [list(r) for r in VEHICLE_ROWS]
    rows[0][4] = typed
    book, findings = read_book(grids(vehicles=rows), "臺中")
    assert derive_vehicles(book).find(f"現有車輛/{PLAN}/1").cells["購置年月"] == printed


# ------------------------------------------------------------ item 7: messages an officer can act on

@pytest.mark.parametrize("second", [["元"], ["Plan code", "Plan name", "Branch"]])
def test_a_second_header_row_is_named_once_with_what_to_do(second):
    """歲出明細 with a second row under its header: units (「元」 under 預算數, H2) or English names (A2, B2, C2). It was
    refused cell by cell as «工作計畫編號應為11 位數字，此處為「」» / «此處為「Plan code」»; now one problem at its first
    word (second-header-row), saying to delete row 2, and no line is read from it."""
    from xlbudget.adapters.xlsxfile import input_grids
    from xlbudget.app.example import example_workbook
    from xlbudget.core.errors import InputError
    from xlbudget.readers.inputs import read_book

    wb = example_workbook()
    ws = wb["歲出明細"]
    ws.insert_rows(2)
    for c, word in (((8, second[0]),) if len(second) == 1 else enumerate(second, start=1)):
        ws.cell(2, c).value = word
    with pytest.raises(InputError) as info:
        read_book(input_grids(wb))
    assert [(f.rule, f.cell.cell) for f in info.value.findings] == [
        ("second-header-row", "H2" if len(second) == 1 else "A2")]
    assert "請刪除第 2 列" in info.value.findings[0].message


def test_a_first_line_of_english_words_is_no_header_row():
    """A first 說明提要 line is words, never a header row: one English word alone, or numbers beside English."""
    from xlbudget.readers.grid import Grid, SheetReader

    for row in (["OK"], ["IoT Expo", "USA", 10, 4]):
        reader = SheetReader(Grid("出國計畫", [["計畫名稱", "擬前往國家", "預計天數", "擬派人數"], row]),
                             ("計畫名稱", "擬前往國家", "預計天數", "擬派人數"), ("計畫名稱",), [])
        assert not reader._second_header(row) and reader.problems == []


def test_a_letter_after_an_object_code_is_not_called_its_name(tmp_path):
    """用途別科目 「1020A」 (歲出明細!D3, the example's 1020) was read as 1020 with «名稱應為「約聘僱人員待遇」，此處為「A」»:
    the letter is no name. Now object-code-suffix says it was read as 1020 and what to type."""
    from xlbudget.adapters.xlsxfile import input_grids
    from xlbudget.app.example import example_workbook
    from xlbudget.readers.inputs import read_book

    wb = example_workbook()
    assert wb["歲出明細"]["D3"].value in (1020, "1020")
    wb["歲出明細"]["D3"] = "1020A"
    book, findings = read_book(input_grids(wb))
    found = [f for f in findings if f.rule in ("object-code-suffix", "object-name-mismatch")]
    assert [(f.rule, f.cell.cell) for f in found] == [("object-code-suffix", "D3")]
    assert "「1020A」已讀為科目 1020（約聘僱人員待遇）" in found[0].message
