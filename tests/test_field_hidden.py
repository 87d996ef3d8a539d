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
