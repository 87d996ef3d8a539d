"""Session 32's «never silently wrong» leftovers (fix13): field report 18 §2 and session 31's «noticed and left».

Figures are the example book's (高雄市政府資訊中心 113年度): its hand-made 各項費用彙計表 prints 101500法定編制人員待遇
on row 9 (25,356 千元 in B9 under 32020180101) and 32020183201 數位發展計畫 in column C (its 合計 232,026 千元 in C7).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from test_reading import example  # first: it sets XLWINGS_ON_SERVER before xlwings loads
from test_field17 import SUMMARY, hand_made, hidden_said

# ------------------------------------------------------------ a row of height 0 however it is spelled

# what XML allows for a height of 0 (xsd:double: blanks about it, a sign, a point first, an exponent) and for the
# attribute itself (blanks about its =, single quotes): Excel and LibreOffice show and print each row as hidden
ZERO_HEIGHTS = [b'ht=".0"', b'ht="0.00"', b'ht=" 0"', b'ht="+0"', b'ht="-0"', b'ht="-.0"', b'ht="0e0"', b'ht="0.0 "',
                b"ht='0'", b'ht = "0"', b'ht=\n".0"']


@pytest.mark.parametrize("workbook", [False, True])  # python-calamine (check), openpyxl (check --mark)
@pytest.mark.parametrize("height", ZERO_HEIGHTS)
def test_a_row_of_height_0_spelled_otherwise_is_named(tmp_path, workbook, height):
    """Row 9 of 各項費用彙計表 (25,356 千元) 0 high, spelled as another writer may: the printed 100000人事費 42,978 is
    25,356 more than its printed lines. The sheet was looked at for a hidden row only for ht="0… (safety._hidden_hint),
    so ht=".0" said «錯誤 0、警告 0»."""
    path = hand_made(tmp_path, lambda x: x.replace(b'<row r="9">', b'<row r="9" %s customHeight="1">' % height, 1))
    assert hidden_said(path, workbook) == [("hidden-row-not-printed", f"{SUMMARY}!B9")]


@pytest.mark.parametrize("workbook", [False, True])
@pytest.mark.parametrize("mark", [b'hidden="true"', b"hidden='1'", b'hidden = "1"'])
def test_a_row_marked_hidden_otherwise_is_named(tmp_path, workbook, mark):
    path = hand_made(tmp_path, lambda x: x.replace(b'<row r="9">', b'<row r="9" %s>' % mark, 1))
    assert hidden_said(path, workbook) == [("hidden-row-not-printed", f"{SUMMARY}!B9")]


@pytest.mark.parametrize("workbook", [False, True])
@pytest.mark.parametrize("width", [b'width=".0"', b'width=" 0"', b"width='0.00'"])
def test_a_column_of_width_0_spelled_otherwise_is_named(tmp_path, workbook, width):
    """Column C (32020183201 數位發展計畫) of width 0: the printed 合計 column D holds a plan the page lacks."""
    path = hand_made(tmp_path, lambda x: re.sub(rb'<col width="[\d.]+" customWidth="1" min="3" max="3"/>',
                                               b'<col %s customWidth="1" min="3" max="3"/>' % width, x, count=1))
    assert hidden_said(path, workbook) == [("hidden-column-not-printed", f"{SUMMARY}!C7")]


def test_the_hint_is_never_narrower_than_the_rule():
    """safety._hidden_hint, on a small sheet (one search) and a large one (memchr from h to h), finds every spelling
    above, and none in what every sheet holds (right="0.75", fitToHeight="0", rows 15.75 or 12 high)."""
    from xlbudget.adapters.safety import _hidden_hint, _holds

    page = b'<pageMargins left="0.75" right="0.75"/><pageSetup paperSize="9" fitToHeight="0" fitToWidth="0"/>'
    rows = b'<row r="2" ht="15.75"><c r="A2"><v>1</v></c></row><row r="3" ht="12"/>'
    for data in (page + rows, (page + rows) * 1000):
        assert not _hidden_hint(data, None) and not _holds(data, b"h", _hidden_hint)
        for height in ZERO_HEIGHTS:
            row = data + b'<row r="9" %s/>' % height
            assert _hidden_hint(row, None) and _holds(row, b"h", _hidden_hint), height
        for width in (b'width=".0"', b"width = ' 0'"):
            column = b'<cols><col min="1" max="1" %s/></cols><sheetData>' % width + data
            assert _hidden_hint(column, None) and _holds(column, b"h", _hidden_hint), width


# ------------------------------------------------------------ field report 18 §2.7: a note in the 款 column

AGENCY = "歲出機關別預算表"


def hand_made_book(tmp_path, edit):
    from built_books import handmade_workbook

    wb = handmade_workbook()
    edit(wb)
    path = tmp_path / "手工.xlsx"
    wb.save(path)
    return path


def said(path) -> list[tuple[str, str]]:
    from xlbudget.app.check import check_file

    return [(f.rule, f"{f.cell.sheet}!{f.cell.cell}") for f in check_file(path)[0].findings]


@pytest.mark.parametrize("column", [1, 2])  # 款, 項
def test_a_note_typed_in_the_level_column_with_a_figure_is_named(tmp_path, column):
    """歲出機關別預算表 row 14, under the book's one 款 (02 高雄市政府主管 275,795): 「註：依市議會審議結果刪減」 typed in
    the 款 (or 項) column, 1,200 under 本年度預算數 and 比較 (no 上年度: 1,200 − 0). It was read as a second 款 line:
    its 1,200 in no sum (a 款 is summed by nothing when the table prints no 合計), check «錯誤 0、警告 0». A note
    is no 款: the line is named where the note is, as the same note typed in the 名稱 column is (row-unplaced)."""
    def edit(wb):
        ws = wb[AGENCY]
        ws.cell(14, column).value = "註：依市議會審議結果刪減"
        ws.cell(14, 6).value = ws.cell(14, 9).value = 1200

    assert said(hand_made_book(tmp_path, edit)) == [("row-unplaced", f"{AGENCY}!{'AB'[column - 1]}14")]


def test_level_numbers_as_books_print_them_stay_levels(tmp_path):
    """The 款 02, 項 009, 目 01, 節 01 of the hand-made book, and a 款 typed 「1」 or 「第2款」: no word (the rows read
    as before: the book's own sums hold)."""
    from xlbudget.readers.printed_rows import LEVEL_NUMBER

    assert all(LEVEL_NUMBER.match(n) for n in ("02", "009", "01", "1", "第2款", "一"))
    assert not any(LEVEL_NUMBER.match(n) for n in ("註:依市議會審議結果刪減", "說明", "註1:刪減", "合計"))
    assert said(hand_made_book(tmp_path, lambda wb: None)) == []


# ------------------------------------------------------------ figures no one sees, through the 檢核 button

def _desktop_looks(monkeypatch, wb):
    """Desktop Excel's answers for ``wb`` (openpyxl), played on xlwings' own engine: a range's number format, font
    colour and fill (one answer for the range, None when its cells differ, as COM's NumberFormat, Font.Color and
    Interior answer), and no strikethrough."""
    from xlwings.pro import _xlremote

    from xlbudget.adapters import xlwings_book as xb
    from xlbudget.adapters.xlsxfile import _colour_key

    def one(rng, look):
        ws = wb[rng.sheet.name]
        found = {look(ws.cell(r, c)) for r in range(rng.row, rng.row + rng.shape[0])
                 for c in range(rng.column, rng.column + rng.shape[1])}
        return found.pop() if len(found) == 1 else None

    monkeypatch.setattr(xb, "font_struck", lambda rng: False)
    monkeypatch.setattr(xb, "font_colour", lambda rng: one(rng, lambda cell: _colour_key(cell.font.color)))
    monkeypatch.setattr(xb, "fill_colour", lambda rng: one(rng, lambda cell: _colour_key(cell.fill.fgColor)
                                                            if cell.fill.fill_type == "solid" else ""))
    monkeypatch.setattr(_xlremote.Range, "number_format", property(lambda rng: one(rng, lambda c: c.number_format)))


UNSEEN = ("figure-not-visible", "figure-not-visible-counted")


def test_the_check_button_names_an_input_figure_formatted_to_show_nothing(monkeypatch, tmp_path):
    """歲出明細!H4 (871,852 元) formatted 「;;;」: check names it (figure-not-visible-counted, «合計 871,852»), the
    檢核 button, given Excel's number formats, said nothing (it looked at them for a unit only)."""
    from openpyxl import load_workbook
    from xlwings_json import book_json

    from xlbudget.app.example import example_workbook
    from test_fix10 import _button_said

    wb = example_workbook()
    wb["歲出明細"]["H4"].number_format = ";;;"
    wb.save(tmp_path / "範例.xlsx")
    assert [f for f in said(tmp_path / "範例.xlsx") if f[0] in UNSEEN] == [("figure-not-visible-counted", "歲出明細!H4")]
    wb = load_workbook(tmp_path / "範例.xlsx")
    _desktop_looks(monkeypatch, wb)
    assert _button_said(book_json(wb, "範例.xlsx"), UNSEEN) == [("figure-not-visible-counted", "歲出明細!H4")]


@pytest.mark.parametrize("font, fill", [("FFFFFFFF", None), ("FFC6EFCE", "FFC6EFCE")])
def test_the_check_button_names_a_table_figure_in_the_colour_of_its_paper(monkeypatch, font, fill):
    """各項費用彙計表!B9 (101500法定編制人員待遇 25,356 千元) in a white font, or green on the same green: the printed
    100000人事費 42,978 is 25,356 more than its printed lines. check names B9 (figure-not-visible), the 檢核 button
    said nothing (its table sheets carried no fonts)."""
    from openpyxl.styles import Font, PatternFill
    from xlwings_json import book_json

    from test_fix10 import _built_example, _button_said

    wb = _built_example()
    wb[SUMMARY]["B9"].font = Font(color=font)
    if fill:
        wb[SUMMARY]["B9"].fill = PatternFill("solid", fgColor=fill)
    _desktop_looks(monkeypatch, wb)
    assert _button_said(book_json(wb, "範例.xlsx"), UNSEEN) == [("figure-not-visible", f"{SUMMARY}!B9")]


def test_the_check_button_in_lite_reads_as_before(monkeypatch):
    """xlwings Lite and Server are given no fonts nor formats: the button reads the book as it did, says nothing of
    figures it cannot see the look of (it says so of strikethrough in 執行紀錄, as before)."""
    from xlwings_json import book_json

    from test_fix10 import _built_example, _button_said

    assert _button_said(book_json(_built_example(), "範例.xlsx"), UNSEEN) == []


# ------------------------------------------------------------ figures no one sees, in an .ods

_CELL_STYLES = ('<office:automatic-styles>'
                '<style:style style:name="ce1" style:family="table-cell"><style:text-properties fo:color="#ffffff"/>'
                '</style:style>'
                '<style:style style:name="ce2" style:family="table-cell"><style:table-cell-properties '
                'fo:background-color="#c6efce"/><style:text-properties fo:color="#c6efce"/></style:style>'
                '<style:style style:name="ce3" style:family="table-cell"><style:table-cell-properties '
                'fo:background-color="#ffffff"/><style:text-properties fo:color="#000000"/></style:style>'
                '<style:style style:name="ce4" style:family="table-cell"><style:table-cell-properties '
                'fo:background-color="#000000"/><style:text-properties style:use-window-font-color="true"/>'
                '</style:style></office:automatic-styles>')


def _ods(tmp_path, wb, sheet: str, figure: int, cell: str, nth: int = 0) -> Path:
    """``wb`` as an .ods (LibreOffice's cells: a value and its shown text) with four cell styles (ce1 white font,
    ce2 green on the same green, ce3 black on white, ce4 automatic font on black), its first cell of ``sheet``
    holding ``figure`` (its ``nth`` after the first) written as ``cell`` (a format of the attributes and the text:
    {v} the figure)."""
    import zipfile

    from test_reading import write_ods

    path = write_ods(wb, tmp_path / "手工.ods")
    with zipfile.ZipFile(path) as z:
        parts = {i.filename: z.read(i) for i in z.infolist()}
    content = parts["content.xml"].decode("utf-8").replace(
        'office:version="1.2">', 'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
        'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" office:version="1.2">'
        + _CELL_STYLES, 1)
    at = content.index(f'table:name="{sheet}"')
    plain = f'office:value-type="float" office:value="{figure}"><text:p>{figure}</text:p>'
    for _ in range(nth + 1):
        at = content.index(plain, at + 1)
    content = content[:at] + content[at:].replace(plain, cell.format(v=figure), 1)
    parts["content.xml"] = content.encode("utf-8")
    with zipfile.ZipFile(path, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data, zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED)
    return path


@pytest.mark.parametrize("cell", [
    'office:value-type="float" office:value="{v}"><text:p/>',  # ;;; — LibreOffice saves the shown text: none
    'table:style-name="ce1" office:value-type="float" office:value="{v}"><text:p>{v}</text:p>',
    'table:style-name="ce2" office:value-type="float" office:value="{v}"><text:p>{v}</text:p>'])
def test_an_ods_table_figure_no_one_sees_is_named(tmp_path, cell):
    """各項費用彙計表!B9 (25,356 千元) of a hand-made .ods shown as nothing (a ;;; format), in a white font, or green
    on the same green: check names it in an .xlsx (figure-not-visible), said nothing of an .ods."""
    from built_books import handmade_workbook

    path = _ods(tmp_path, handmade_workbook(), SUMMARY, 25356, cell)
    assert [f for f in said(path) if f[0] in UNSEEN] == [("figure-not-visible", f"{SUMMARY}!B9")]


@pytest.mark.parametrize("style", ["ce3", "ce4"])
def test_an_ods_figure_in_black_on_white_or_automatic_on_black_is_seen(tmp_path, style):
    """Black on a white fill, or the automatic font colour on a black fill (LibreOffice shows it white): seen."""
    from built_books import handmade_workbook

    path = _ods(tmp_path, handmade_workbook(), SUMMARY, 25356,
                f'table:style-name="{style}" office:value-type="float" office:value="{{v}}"><text:p>{{v}}</text:p>')
    assert [f for f in said(path) if f[0] in UNSEEN] == []


def test_an_ods_input_figure_shown_as_nothing_is_named_with_its_sum(tmp_path):
    """歲出明細!H4 (871,852 元) of the example as an .ods, shown as nothing: figure-not-visible-counted, «合計 871,852»
    (its figures are read as floats: never 「871,852.0」)."""
    from xlbudget.app.check import check_file
    from xlbudget.app.example import example_workbook

    path = _ods(tmp_path, example_workbook(), "歲出明細", 871852,
                'office:value-type="float" office:value="{v}"><text:p/>', nth=1)  # G4 (單價) first
    found = [f for f in check_file(path)[0].findings if f.rule in UNSEEN]
    assert [(f.rule, f.cell.cell) for f in found] == [("figure-not-visible-counted", "H4")]
    assert "合計 871,852）" in found[0].message


# ------------------------------------------------------------ field report 18 §2.5: one blank 比較, its parent

def test_one_blank_comparison_is_named_once_not_its_parent_too(tmp_path):
    """歲出機關別預算表!I10 (32020180101 行政管理 比較 43,769 − 41,366 = 2,403) left blank: named at I10 (應為 2,403),
    and its right parent 一般行政 I9 2,403 was blamed too («應為所屬各項合計 0»: the blank counted as 0)."""
    def edit(wb):
        wb[AGENCY]["I10"].value = None

    assert [f for f in said(hand_made_book(tmp_path, edit)) if f[0] != "prior-note-unverified"] == [
        ("comparison-mismatch", f"{AGENCY}!I10")]


def test_a_wrong_parent_over_a_blank_comparison_is_still_named(tmp_path):
    """I10 blank and its parent I9 typed 9,999: both named, I9 by its own 比較 (43,769 − 41,366 = 2,403)."""
    from xlbudget.app.check import check_file

    def edit(wb):
        wb[AGENCY]["I10"].value = None
        wb[AGENCY]["I9"].value = 9999

    found = [(f.rule, f.cell.cell, f.expected, f.actual) for f in check_file(hand_made_book(tmp_path, edit))[0].findings
             if f.rule != "prior-note-unverified"]
    assert found == [("comparison-mismatch", "I9", 2403, 9999), ("comparison-mismatch", "I10", 2403, None)]


# ------------------------------------------------------------ field report 18 §2.6: a 小計 inside the 明細表

DETAIL = "歲出計畫說明提要與各項費用明細表"


def _subtotal(figure: int):
    """「　　小計」 typed on a new row 37 under 1000 人事費's last 二級 (1055 保險, its items 1,184,856 + 264,924 +
    687,432 + 106,368 + 363,276 = 2,606,856), ``figure`` under 預算數 (E): 人事費's 二級 lines 1015 25,356,370 + 1020
    4,410,710 + 1030 … + 1055 2,606,856 add up to 42,978,000, its 人事費 line."""
    def edit(wb):
        ws = wb[DETAIL]
        for merged in list(ws.merged_cells.ranges):
            ws.unmerge_cells(str(merged))
        ws.insert_rows(37)
        ws["A37"].value, ws["E37"].value = "\u3000\u3000小計", figure
    return edit


def test_a_right_subtotal_of_the_second_level_lines_is_not_blamed(tmp_path):
    """42,978,000: totals-row-mismatch «其所屬各列（第 32 至 36 列）合計為 2,606,856» (1055's items only)."""
    assert [f for f in said(hand_made_book(tmp_path, _subtotal(42_978_000))) if f[0] != "prior-note-unverified"] == []


def test_a_wrong_subtotal_is_held_to_the_lines_indented_as_it_is(tmp_path):
    """40,000,000: named at E37 against the 二級 lines' 42,978,000 (indented as 「　　小計」), not 1055's items."""
    from xlbudget.app.check import check_file

    found = [(f.rule, f.cell.cell, f.expected, f.actual) for f in
             check_file(hand_made_book(tmp_path, _subtotal(40_000_000)))[0].findings if f.rule != "prior-note-unverified"]
    assert found == [("totals-row-mismatch", "E37", 42_978_000, 40_000_000)]


# ------------------------------------------------------------ field report 18 §2.2: a 頁次 / 序號 column first

def _serial_first(sheet: str, heading: str, numbers):
    """``sheet`` with a column put before its label (its merges undone first, as an officer inserting a column
    does), headed ``heading`` on the header's first row (5), each line row numbered ``numbers(row)``."""
    def edit(wb):
        ws = wb[sheet]
        for merged in list(ws.merged_cells.ranges):
            ws.unmerge_cells(str(merged))
        ws.insert_cols(1)
        ws["A5"] = heading
        for r in range(7, ws.max_row + 1):
            if ws.cell(r, 2).value:
                ws.cell(r, 1).value = numbers(r)
    return edit


@pytest.mark.parametrize("sheet, heading, numbers", [
    ("歲出一級用途別科目分析表", "頁次", lambda r: str(10 + r)), (SUMMARY, "序號", lambda r: r - 6)])
def test_a_page_or_serial_column_before_the_label_is_read_past(tmp_path, sheet, heading, numbers):
    """一級用途別 with a 頁次 column first (「17」 … on its lines), 彙計表 with a 序號 column (1, 2, …): every line was
    row-unplaced («1832020180000行政支出», the number joined to the code) and its plans plan-row-missing; the table
    reads as the book prints it now: no word (its sums hold)."""
    assert [f for f in said(hand_made_book(tmp_path, _serial_first(sheet, heading, numbers)))
            if f[0] != "prior-note-unverified"] == []


def test_a_wrong_figure_beside_a_page_column_is_named(tmp_path):
    """The same 一級用途別 with 行政管理's 人事費 (D10, 42,978) typed 42,000: named where it is, its parent 一般行政's
    42,978 against it (the table is read, not passed over)."""
    edit = _serial_first("歲出一級用途別科目分析表", "頁次", lambda r: str(10 + r))

    def wrong(wb):
        edit(wb)
        assert wb["歲出一級用途別科目分析表"]["D10"].value == 42978
        wb["歲出一級用途別科目分析表"]["D10"].value = 42000

    found = {f[1] for f in said(hand_made_book(tmp_path, wrong)) if f[0] != "prior-note-unverified"}
    assert "歲出一級用途別科目分析表!D9" in found or "歲出一級用途別科目分析表!D10" in found
