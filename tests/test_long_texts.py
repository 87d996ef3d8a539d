"""A text past Excel's 32,767 characters in one cell is never silently kept shorter.

Excel caps a cell at 32,767 characters ("Excel specifications and limits":
total number of characters that a cell can contain). A book saved by
LibreOffice or a script can hold more; openpyxl and python-calamine read it
whole, but openpyxl's cell assignment and XlsxWriter keep only the first
32,767, so a converted book had 總說明!A2 cut to 32,767 characters without a
word. Such a cell is now a finding (text-too-long) at its cell on every path.
openpyxl cuts a text on assignment, so the long text is put into the saved
file's XML here.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import openpyxl

from xlbudget.adapters.books import load_book
from xlbudget.app.convert import convert_paths
from xlbudget.app.example import example_workbook
from xlbudget.cli import main

from test_reading import write_ods

LONG = 40_000  # characters typed in 總說明!A2: 7,233 past Excel's 32,767
MARK = "LONGTEXTMARK"


def _put_long_text(src: Path, dst: Path) -> Path:
    """``src`` with the cell holding MARK given LONG characters, written into the file's XML."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            zout.writestr(info, data.replace(MARK.encode(), ("說" * LONG).encode()))
    return dst


def _example_with_mark():
    wb = example_workbook()
    wb["總說明"]["A2"] = MARK
    return wb


def long_book(tmp_path: Path) -> Path:
    wb = _example_with_mark()
    wb.save(tmp_path / "短.xlsx")
    return _put_long_text(tmp_path / "短.xlsx", tmp_path / "長.xlsx")


def test_the_book_holds_the_whole_text(tmp_path):
    """The input is what the test says: 40,000 characters in 總說明!A2 (read by openpyxl)."""
    assert len(openpyxl.load_workbook(long_book(tmp_path))["總說明"]["A2"].value) == LONG


def test_reading_names_the_cell(tmp_path):
    loaded = load_book(long_book(tmp_path))
    found = [(f.rule, f.cell.sheet, f.cell.cell, f.expected, f.actual) for f in loaded.findings
             if f.rule == "text-too-long"]
    assert found == [("text-too-long", "總說明", "A2", 32_767, LONG)]


def test_check_names_the_cell_in_xlsx_and_ods(tmp_path, capsys):
    ods = tmp_path / "短.ods"
    write_ods(_example_with_mark(), ods)
    for book in (long_book(tmp_path), _put_long_text(ods, tmp_path / "長.ods")):
        capsys.readouterr()
        code = main(["check", str(book), "--format", "json"])
        found = [(f["rule"], f["sheet"], f["cell"]) for f in json.loads(capsys.readouterr().out)
                 if f["rule"] == "text-too-long"]
        assert (code, found) == (1, [("text-too-long", "總說明", "A2")]), book.name


def test_convert_says_so_instead_of_cutting_silently(tmp_path):
    out = tmp_path / "out"
    code, results = convert_paths([str(long_book(tmp_path))], str(out), jobs=1, mark=True,
                                  stream=open("/dev/null", "w"))
    assert (results[0].status, results[0].errors) == ("有錯誤", 1)
    wb = openpyxl.load_workbook(results[0].output)
    listed = [(r[2], r[4]) for r in wb["檢核結果"].iter_rows(values_only=True)
              if isinstance(r[0], int) and r[2] == "text-too-long"]  # the numbered findings, not the counts
    assert listed == [("text-too-long", "總說明!A2")]
    # what the converted book could keep: Excel's 32,767 characters, now said at the cell
    assert len(wb["總說明"]["A2"].value) == 32_767


def _handmade_with_mark(tmp_path: Path):
    """The example's built tables only (a hand-made book), with MARK in a cell right of a table
    (各項費用彙計表!Z3), where an officer might keep a long note."""
    from test_reading import printed_example

    wb = printed_example()
    wb["各項費用彙計表"]["Z3"] = MARK
    return wb


def test_a_hand_made_book_names_the_cell_in_check_and_convert(tmp_path, capsys):
    wb = _handmade_with_mark(tmp_path)
    wb.save(tmp_path / "短手製.xlsx")
    xlsx = _put_long_text(tmp_path / "短手製.xlsx", tmp_path / "手製.xlsx")
    ods = _put_long_text(write_ods(wb, tmp_path / "短手製.ods"), tmp_path / "手製ods.ods")
    for book in (xlsx, ods):
        capsys.readouterr()
        main(["check", str(book), "--format", "json"])
        found = [(f["rule"], f["sheet"], f["cell"], f["actual"]) for f in json.loads(capsys.readouterr().out)
                 if f["rule"] == "text-too-long"]
        assert found == [("text-too-long", "各項費用彙計表", "Z3", LONG)], book.name
    code, results = convert_paths([str(xlsx), str(ods)], str(tmp_path / "out"), jobs=1, mark=True,
                                  stream=open("/dev/null", "w"))
    for result in results:
        wb = openpyxl.load_workbook(result.output)
        listed = [(r[2], r[4]) for r in wb["檢核結果"].iter_rows(values_only=True)
                  if isinstance(r[0], int) and r[2] == "text-too-long"]
        assert listed == [("text-too-long", "各項費用彙計表!Z3")], result.source
        assert len(wb["各項費用彙計表"]["Z3"].value) == LONG  # kept whole, as the .xlsx's own cell is
