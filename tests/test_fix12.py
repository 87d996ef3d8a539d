"""Session 31's «never silently wrong» leftovers (fix12): session 30's note and field report 17 §2.

Figures are the example book's (高雄市政府資訊中心 113年度): its hand-made 各項費用彙計表 prints 101500法定編制人員待遇
on row 9 (25,356 千元 in B9 under 32020180101) and 32020183201 數位發展計畫 in column C (its 合計 232,026 千元 in C7).
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from built_books import handmade_workbook
from test_reading import write_ods  # first: it sets XLWINGS_ON_SERVER before xlwings loads
from test_field17 import SUMMARY, hand_made, hidden_said

# ------------------------------------------------------------ one rule for a row or column hidden: grid.line_hidden


@pytest.mark.parametrize("workbook", [False, True])  # python-calamine (check), openpyxl (check --mark)
def test_a_row_hidden_after_a_small_height_is_hidden(tmp_path, workbook):
    """Row 9 (25,356 千元) 0.4 high and hidden="1" after it: the row tag is looked at for a size 0 first (ht="0…"),
    and it is hidden all the same — the size and the mark are one rule's two inputs, never one instead of the other."""
    path = hand_made(tmp_path, lambda x: x.replace(b'<row r="9">', b'<row r="9" ht="0.4" customHeight="1" hidden="1">', 1))
    assert hidden_said(path, workbook) == [("hidden-row-not-printed", f"{SUMMARY}!B9")]


def _ods_sized(tmp_path, edit) -> Path:
    """The hand-made book as an .ods whose content.xml ``edit`` changes, with a row style 0 cm high (ro0) and a
    column style 0 in wide (co0) among its automatic styles, as a generator sizing lines to 0 writes them."""
    wb = handmade_workbook()
    wb[SUMMARY].row_dimensions[9].hidden = True  # marked collapse by write_ods: the one row edit finds
    column = wb[SUMMARY].column_dimensions["C"]
    column.hidden, column.min, column.max = True, 3, 3
    path = write_ods(wb, tmp_path / "手工.ods")
    with zipfile.ZipFile(path) as z:
        parts = {i.filename: z.read(i) for i in z.infolist()}
    styles = ('<office:automatic-styles><style:style style:name="ro0" style:family="table-row">'
              '<style:table-row-properties style:row-height="0cm" fo:break-before="auto"/></style:style>'
              '<style:style style:name="co0" style:family="table-column">'
              '<style:table-column-properties style:column-width="0.000in"/></style:style></office:automatic-styles>')
    content = parts["content.xml"].decode("utf-8").replace(
        'office:version="1.2">', 'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
        'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" office:version="1.2">' + styles, 1)
    parts["content.xml"] = edit(content).encode("utf-8")
    with zipfile.ZipFile(path, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data, zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED)
    return path


def test_a_row_of_height_0_of_a_hand_made_ods_table_is_named(tmp_path):
    """Row 9 (25,356 千元) of height 0 by its style in an .ods (field report 17 §2: .ods rows of height 0 were read as
    shown): LibreOffice neither shows nor prints it, so the printed 100000人事費 is 25,356 more than its printed lines."""
    path = _ods_sized(tmp_path, lambda x: x.replace('<table:table-column table:visibility="collapse"/>',
                                                    "<table:table-column/>").replace(
        '<table:table-row table:visibility="collapse">', '<table:table-row table:style-name="ro0">'))
    assert hidden_said(path, False) == [("hidden-row-not-printed", f"{SUMMARY}!B9")]


def test_a_column_of_width_0_of_a_hand_made_ods_table_is_named(tmp_path):
    """Column C (32020183201 數位發展計畫) of width 0 by its style in an .ods: named at its first figure, C7."""
    path = _ods_sized(tmp_path, lambda x: x.replace('<table:table-row table:visibility="collapse">',
                                                    "<table:table-row>").replace(
        '<table:table-column table:visibility="collapse"/>', '<table:table-column table:style-name="co0"/>'))
    assert hidden_said(path, False) == [("hidden-column-not-printed", f"{SUMMARY}!C7")]


def test_an_ods_row_of_a_small_height_is_shown(tmp_path):
    """A row style 0.05 cm high: not size 0, shown (as a row 0.4 high in an .xlsx)."""
    path = _ods_sized(tmp_path, lambda x: x.replace('<table:table-column table:visibility="collapse"/>',
                                                    "<table:table-column/>").replace(
        '<table:table-row table:visibility="collapse">', '<table:table-row table:style-name="ro0">').replace(
        'style:row-height="0cm"', 'style:row-height="0.05cm"'))
    assert hidden_said(path, False) == []


# ------------------------------------------------------------ a minus after the figure (field report 17 §2.6)

def test_a_minus_after_the_figure_is_named_as_a_sign(tmp_path):
    """歲出明細!H3 (預算數 4,410,710 元) typed 「4410710-」, as accounting systems print a negative balance: refused (never
    4,410,710 with its sign dropped), saying it is a sign written after the figure and where to write one, not only
    「應為整數」."""
    from xlbudget.adapters.books import load_book
    from xlbudget.core.errors import InputError
    from test_reading import example

    def typed(wb):
        wb["歲出明細"]["H3"] = "4410710-"

    with pytest.raises(InputError) as info:
        load_book(example(tmp_path, typed))
    said = [(f.rule, f.cell.cell, f.message) for f in info.value.findings if f.cell and f.cell.sheet == "歲出明細"]
    assert [(rule, cell) for rule, cell, _ in said] == [("trailing-sign", "H3")]
    assert "負號寫在數字後面" in said[0][2] and "4410710-" in said[0][2]


@pytest.mark.parametrize("typed, read", [("-4410710", -4410710), ("△4,410,710", -4410710), ("-", 0)])
def test_a_sign_before_the_figure_is_read_as_before(typed, read):
    from xlbudget.core.amounts import parse_int

    assert parse_int(typed) == read


def test_a_printed_figure_with_a_minus_after_it_is_an_error_at_its_cell(tmp_path):
    """A hand-made 各項費用彙計表's B9 (25,356 千元) printed 「25,356-」: an error at B9 saying it is a sign, never a figure
    skipped as unverifiable."""
    from xlbudget.app.check import check_file

    wb = handmade_workbook()
    wb[SUMMARY]["B9"] = "25,356-"
    wb.save(tmp_path / "手工.xlsx")
    report = check_file(tmp_path / "手工.xlsx")[0]
    assert [(f.rule, f.cell.cell) for f in report.findings if f.cell and f.cell.cell == "B9"] == [("trailing-sign", "B9")]


# ------------------------------------------------------------ printed_pages.table_sections: a 款 heading left out

@pytest.mark.parametrize("blank", ["A6", "B6"])
def test_a_contract_table_without_its_level_word_reads_its_levels_in_their_order(blank):
    """約聘僱人員費用分析表 with 款 (A6) or 項 (B6) left out of its header under 科目 (merged A5:E5): column A is still
    the 款 column, as the form's 款｜項｜目｜節 order places it, and the 款 line 02 (H8, 7,115,000) one of the levels
    of 合計 H7 (7,115,000), not one more part of it. Was confirmed-total-part at the right H8 («若為 0, H7 即相符»)."""
    from xlbudget.app.check import check_workbook
    from xlbudget.core.findings import Severity

    wb = handmade_workbook()
    ws = wb["約聘僱人員費用分析表"]
    assert (ws["A6"].value, ws["B6"].value, ws["H7"].value, ws["H8"].value) == ("款", "項", 7_115_000, 7_115_000)
    ws[blank] = None
    said = [(f.rule, f.cell.cell) for f in check_workbook(wb).findings if f.severity in (Severity.ERROR, Severity.WARNING)]
    assert said == []


# ------------------------------------------------------------ an .xlsm renamed .xlsx (field report 17 §2.4)

def _macro(data: bytes) -> bytes:
    """[Content_Types].xml as Excel saves an .xlsm: the workbook part a macro-enabled book's."""
    return data.replace(b"spreadsheetml.sheet.main+xml", b"ms-excel.sheet.macroEnabled.main+xml")


def test_a_macro_book_renamed_xlsx_is_named_and_nothing_written(tmp_path, capsys):
    """An .xlsm renamed .xlsx: Excel opens it no more («檔案格式或副檔名無效»); xlbudget read it and build wrote an .xlsx
    of the macro type, which Excel refuses too (exit 0). Now named, BOOK unchanged, nothing written."""
    import json

    from test_field17 import rewrite
    from test_reading import example, main

    path = rewrite(example(tmp_path, name="預算.xlsx"), "[Content_Types].xml", _macro)
    before = path.read_bytes()
    capsys.readouterr()
    assert main(["check", str(path), "--format", "json"]) == 2
    assert [f["rule"] for f in json.loads(capsys.readouterr().out)] == ["file-macro-renamed"]
    assert main(["build", str(path), "-o", str(tmp_path / "新.xlsx")]) == 2
    assert "副檔名改回 .xlsm" in capsys.readouterr().err
    assert path.read_bytes() == before and not (tmp_path / "新.xlsx").exists()


def test_the_same_book_named_xlsm_is_read(tmp_path, capsys):
    from test_field17 import rewrite
    from test_reading import example, main

    path = rewrite(example(tmp_path, name="預算.xlsx"), "[Content_Types].xml", _macro).rename(tmp_path / "預算.xlsm")
    capsys.readouterr()
    assert main(["check", str(path)]) == 0
