"""Field report L8: a hidden or filtered-out 歲出明細 / 歲入明細 line is read (it is in the book), and said so: a
warning at its 預算數 cell, the other hidden lines related. openpyxl (build, --mark) and python-calamine (check,
convert, export) read the same hidden rows; the add-in's Office.js payload carries no row visibility.

The example book's 歲出明細 rows 2–5 are lines of 32020180101 (hand-checked in the workbook); row 5's 預算數 is H5.
"""

import pytest

from xlbudget.adapters.fastread import read_grids
from xlbudget.adapters.xlsxfile import input_grids
from xlbudget.app.example import example_workbook
from xlbudget.core.findings import RULES, Severity
from xlbudget.readers.inputs import read_book


def _hidden(rows, filtered=False):
    wb = example_workbook()
    ws = wb["歲出明細"]
    for r in rows:
        ws.row_dimensions[r].hidden = True
    if filtered:
        ws.auto_filter.ref = f"A1:L{ws.max_row}"
    return wb


def _said(findings):
    return [(f.rule, str(f.cell), tuple(str(c) for c in f.related)) for f in findings if f.rule == "hidden-row-counted"]


@pytest.mark.parametrize("filtered", [False, True])
def test_hidden_lines_are_counted_and_named(tmp_path, filtered):
    wb = _hidden([5, 3], filtered)
    book, findings = read_book(input_grids(wb))
    assert len(book.expenses) == len(read_book(input_grids(example_workbook()))[0].expenses)
    assert _said(findings) == [("hidden-row-counted", "歲出明細!H3", ("歲出明細!H5",))]
    assert RULES["hidden-row-counted"].severity == Severity.WARNING
    wb.save(tmp_path / "hidden.xlsx")
    assert _said(read_book(read_grids(tmp_path / "hidden.xlsx"))[1]) == [
        ("hidden-row-counted", "hidden.xlsx:歲出明細!H3", ("hidden.xlsx:歲出明細!H5",))]


def test_no_hidden_line_says_nothing(tmp_path):
    wb = example_workbook()
    wb["歲出明細"].row_dimensions[500].hidden = True  # an empty row below the lines
    wb["歲出明細"].column_dimensions["M"].hidden = True
    assert _said(read_book(input_grids(wb))[1]) == []
    wb.save(tmp_path / "plain.xlsx")
    assert _said(read_book(read_grids(tmp_path / "plain.xlsx"))[1]) == []


# -- field report 3 #17: the same hidden rows in an .ods (table:visibility="collapse", "filter" for a row filtered
# out) are warned alike: python-calamine gives no row visibility, fastread.ods_extras reads it from content.xml.


def _ods_said(tmp_path, wb):
    from test_reading import write_ods

    path = write_ods(wb, tmp_path / "hidden.ods")
    return _said(read_book(read_grids(path))[1])


def test_hidden_lines_of_an_ods_are_counted_and_named(tmp_path):
    assert _ods_said(tmp_path, _hidden([5, 3])) == [("hidden-row-counted", "hidden.ods:歲出明細!H3",
                                                    ("hidden.ods:歲出明細!H5",))]


def test_the_hidden_row_message_names_the_program_of_the_file(tmp_path):
    """leftovers 6: an .ods book's rows were said hidden 「在 Excel 中」; they are hidden in LibreOffice (the .ods).
    Rows 3 and 5 of the example's 歲出明細: 1030 (H3) and 1055 (H5), both lines of 一般行政."""
    from test_reading import write_ods

    wb = _hidden([5, 3])
    wb.save(tmp_path / "hidden.xlsx")
    said = {}
    for path in (tmp_path / "hidden.xlsx", write_ods(wb, tmp_path / "hidden.ods")):
        found = [f for f in read_book(read_grids(path))[1] if f.rule == "hidden-row-counted"]
        said[path.suffix] = found[0].message
    assert "第 3、5 列在 LibreOffice（.ods 檔）中是隱藏的" in said[".ods"] and "Excel" not in said[".ods"]
    assert "第 3、5 列在 Excel 中是隱藏的" in said[".xlsx"]


def test_hidden_and_filtered_rows_of_an_ods_repeated_or_beside_another_sheet(tmp_path):
    """Rows LibreOffice writes once with number-rows-repeated, a filtered-out row, and a hidden row of 歲入明細 that
    is not 歲出明細's: each sheet's own rows."""
    import zipfile

    from test_reading import write_ods

    wb = example_workbook()
    wb["歲入明細"].row_dimensions[2].hidden = True
    path = write_ods(wb, tmp_path / "plain.ods")
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    xml = parts["content.xml"].decode()
    expenses = xml.index('table:name="歲出明細"')
    rows = [i for i in range(expenses, len(xml)) if xml.startswith("<table:table-row>", i)][:5]
    # 歲出明細 rows 3 and 4 (the 3rd and 4th row elements) filtered out, one element repeated twice
    row3, row5 = rows[2], rows[4]
    block = xml[row3:row5]
    second = block.index("<table:table-row>", 1)
    xml = (xml[:row3] + block[:second].replace("<table:table-row>", '<table:table-row table:visibility="filter" '
                                                                    'table:number-rows-repeated="2">', 1)
           + xml[row5:])
    parts["content.xml"] = xml.encode()
    with zipfile.ZipFile(path, "w") as z:
        for n, data in parts.items():
            z.writestr(n, data)
    said = {f[1]: f[2] for f in _said(read_book(read_grids(path))[1])}
    assert said == {"plain.ods:歲出明細!H3": ("plain.ods:歲出明細!H4",), "plain.ods:歲入明細!J2": ()}


@pytest.mark.skipif(__import__("shutil").which("soffice") is None, reason="LibreOffice not installed")
def test_an_ods_saved_by_libreoffice_warns_its_hidden_row(tmp_path):
    import subprocess

    wb = _hidden([12])
    wb.save(tmp_path / "hidden.xlsx")
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/lo", "--headless", "--convert-to", "ods",
                    "--outdir", str(tmp_path), str(tmp_path / "hidden.xlsx")], capture_output=True, timeout=300)
    found = [f for f in read_book(read_grids(tmp_path / "hidden.ods"))[1] if f.rule == "hidden-row-counted"]
    assert [(str(f.cell), f.actual) for f in found] == [("hidden.ods:歲出明細!H12", 1)]



@pytest.mark.skipif(__import__("shutil").which("soffice") is None, reason="LibreOffice not installed")
def test_check_mark_of_an_ods_keeps_the_officers_hidden_sheets_hidden(tmp_path):
    """check --mark of an .ods writes an .xlsx of its values (fastread.ods_workbook): the officer's sheet 試算, hidden
    in LibreOffice, and the template's hidden 代碼表 came out visible (on every tab of the marked copy), unsaid. Red on
    main: both 'visible'. (LibreOffice saves a very hidden sheet as hidden: an .ods has no other state.)"""
    import subprocess

    import openpyxl

    from xlbudget.cli import main

    wb = example_workbook()
    wb.create_sheet("試算")["A1"] = 12345
    wb["試算"].sheet_state = "hidden"
    wb.save(tmp_path / "預算.xlsx")
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/lo", "--headless", "--convert-to", "ods",
                    "--outdir", str(tmp_path), str(tmp_path / "預算.xlsx")], capture_output=True, timeout=300)
    assert main(["check", str(tmp_path / "預算.ods"), "--mark", "-o", str(tmp_path / "標示.xlsx")]) in (0, 1)
    marked = openpyxl.load_workbook(tmp_path / "標示.xlsx")
    assert [marked[n].sheet_state for n in ("試算", "代碼表", "歲出明細")] == ["hidden", "hidden", "visible"]
    assert marked["試算"]["A1"].value == 12345

# -- field report 8 §2.1 (f07): a value in a hidden COLUMN was printed without a word, while a hidden row was named.
# The example's 歲出明細 column I is 收支併列數: 0 on every line but I53 (22,800,000, 3030 of 02資源管理) and I76
# (34,219,000, 2018 of 04資通安全); I5 (1025 of 01行政業務) is set to a 5,000 copied from last year.


def _said_columns(findings):
    return [(f.rule, str(f.cell), tuple(str(c) for c in f.related), f.actual) for f in findings
            if f.rule == "hidden-column-counted"]


def _hidden_column(letter="I"):
    wb = example_workbook()
    wb["歲出明細"]["I5"] = 5000
    wb["歲出明細"].column_dimensions[letter].hidden = True
    return wb


def test_a_hidden_column_holding_figures_is_named_with_its_cells_and_sum(tmp_path):
    from test_reading import write_ods

    wb = _hidden_column()
    book, findings = read_book(input_grids(wb))
    assert sum(i.matched for i in book.expenses) == 5_000 + 22_800_000 + 34_219_000  # read, and printed
    said = _said_columns(findings)
    assert said == [("hidden-column-counted", "歲出明細!I5", ("歲出明細!I53", "歲出明細!I76"), 3)]
    message = next(f.message for f in findings if f.rule == "hidden-column-counted")
    assert "I 欄（收支併列數）" in message and "第 5、53、76 列" in message
    assert "數字合計 57,024,000" in message  # hand sum: 5,000 + 22,800,000 + 34,219,000
    assert RULES["hidden-column-counted"].severity == Severity.WARNING
    wb.save(tmp_path / "hidden.xlsx")
    ods = write_ods(wb, tmp_path / "hidden.ods")
    for path in (tmp_path / "hidden.xlsx", ods):
        name = path.name
        assert _said_columns(read_book(read_grids(path))[1]) == [
            ("hidden-column-counted", f"{name}:歲出明細!I5", (f"{name}:歲出明細!I53", f"{name}:歲出明細!I76"), 3)]


def test_hidden_columns_of_other_input_sheets_and_ranges_are_named(tmp_path):
    """員額 C:D (本年度 and 上年度預算員額) hidden as one range: 職員 36, 技工 1, 工友 2 in each (C3, C6, C8; D3, D6, D8;
    the other classes 0), 39 each by hand. A hidden column no reader reads (歲出明細 P, no header) or holding only 0
    (歲出明細 I with I53 and I76 set to 0) says nothing."""
    wb = example_workbook()
    wb["員額"].column_dimensions.group("C", "D", hidden=True)
    wb["歲出明細"]["I53"] = wb["歲出明細"]["I76"] = 0
    wb["歲出明細"].column_dimensions["I"].hidden = True
    wb["歲出明細"]["P3"] = "agency note"
    wb["歲出明細"].column_dimensions["P"].hidden = True
    wb.save(tmp_path / "staff.xlsx")
    for findings in (read_book(input_grids(wb))[1], read_book(read_grids(tmp_path / "staff.xlsx"))[1]):
        said = [(s[1].split(":")[-1], tuple(c.split(":")[-1] for c in s[2]), s[3]) for s in _said_columns(findings)]
        assert said == [("員額!C3", ("員額!C6", "員額!C8"), 3), ("員額!D3", ("員額!D6", "員額!D8"), 3)]
        messages = [f.message for f in findings if f.rule == "hidden-column-counted"]
        assert all("數字合計 39）" in m for m in messages), messages


def test_hidden_rows_of_every_input_sheet_are_named(tmp_path):
    """Field report 8 f23 (臺中 example): row 2 of 人事費 (職員 88 人, 76,622,040 元…), 約聘僱 (約僱 11 人, 7,341,422 元),
    出國計畫 (the one trip) and 員額 (職員 88) hidden: build said nothing and printed them. Each is named at the row's
    first cell (A2), as 歲出明細's lines are at their 預算數; no 預算數 sum where the sheet has none."""
    wb = example_workbook("example-taichung")
    sheets = ("人事費", "約聘僱", "出國計畫", "員額")
    for name in sheets:
        wb[name].row_dimensions[2].hidden = True
    wb.save(tmp_path / "rows.xlsx")
    expected = [("hidden-row-counted", f"{name}!A2", ()) for name in sheets]
    for findings in (read_book(input_grids(wb))[1], read_book(read_grids(tmp_path / "rows.xlsx"))[1]):
        said = sorted((r, c.split(":")[-1], rel) for r, c, rel in _said(findings))
        assert said == sorted(expected), said
        messages = [f.message for f in findings if f.rule == "hidden-row-counted"]
        assert all("第 2 列" in m and m.endswith("（共 1 列）") for m in messages), messages
