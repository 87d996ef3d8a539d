"""check and export read a book through python-calamine unless something is to be written into it (issue 13):
the findings and the exported records must be those of the openpyxl path, record for record.

The books: the three bundled examples built (every schedule), each with figures planted wrong by hand (a
schedule's figure +7, an input amount made a formula with its cached value, an error value, a merged title
over a figure); the input book typed the ugly way (test_reading); and a hand-made printed book retyped
every ugly way (test_printed_typed) with a merged header and a figure planted wrong.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from test_printed import seed_printed_workbook
from test_printed_typed import (agency_numbers_code_name, capital_code_name_columns, detail_code_name_columns,
                                level1_code_name_columns, summary_code_name_columns)
from test_reading import _branches, _fullwidth, _typed_totals, column
from xlbudget.adapters.books import load_book, read_inputs
from xlbudget.adapters.fastread import read_sheets
from xlbudget.adapters.xlsxfile import input_grids, save_atomic, workbook_sheets
from xlbudget.app.check import check_file
from xlbudget.app.example import EXAMPLES, example_workbook
from xlbudget.app.export import export_records
from xlbudget.app.pipeline import build_workbook
from xlbudget.core.errors import InputError
from xlbudget.forms.inputs import SHEET_EXPENSES
from xlbudget.readers.inputs import read_book
from xlbudget.rules.checks import finding_record


def both_sheets(path: Path) -> tuple[dict, dict]:
    """(openpyxl, calamine) every sheet's values as (type name, value) from A1, trailing empty cells and rows
    left out, an empty cell as "", and its merged ranges."""
    def plain(sheets) -> dict:
        out = {}
        for name, sg in sheets.items():
            rows = [[("str", "") if v is None or v == "" else (type(v).__name__, v) for v in row] for row in sg.grid.rows]
            rows = [row[:max((n + 1 for n, v in enumerate(row) if v != ("str", "")), default=0)] for row in rows]
            while rows and not rows[-1]:
                rows.pop()
            out[name] = (rows, sorted(sg.merges))
        return out

    wb = openpyxl.load_workbook(path)
    values = openpyxl.load_workbook(path, data_only=True)
    return plain(workbook_sheets(wb, values, path.name)), plain(read_sheets(path))


def both_checks(path: Path) -> tuple[dict, dict]:
    """(openpyxl, calamine) reports of ``path`` as plain data: kind, tables and every finding's record; the
    sheets both read are the same too, cell for cell."""
    with_openpyxl, with_calamine = both_sheets(path)
    assert with_calamine == with_openpyxl
    def data(report) -> dict:
        return {"kind": report.kind, "tables": report.tables, "findings": [finding_record(f) for f in report.findings]}

    def run(workbook: bool) -> dict:
        try:
            report, wb, _ = check_file(path, workbook=workbook)
        except InputError as exc:  # the input problems, each at its cell
            return {"refused": [finding_record(f) for f in exc.findings]}
        assert (wb is not None) == workbook
        return data(report)

    return run(True), run(False)


def both_exports(path: Path) -> tuple[tuple, tuple]:
    """(openpyxl, calamine): the exported records and the reading's findings, or the input problems."""
    def run(read) -> tuple:
        try:
            book, findings = read(path)
        except InputError as exc:
            return "refused", [finding_record(f) for f in exc.findings]
        return export_records(book), [finding_record(f) for f in findings]

    return run(lambda p: (load_book(p).book, load_book(p).findings)), run(read_inputs)


def figure(ws):
    """The first figure above 1,000 from row 5 down (below the title lines)."""
    return next((c for row in ws.iter_rows(min_row=5) for c in row
                 if isinstance(c.value, int) and not isinstance(c.value, bool) and c.value > 1000), None)


def built_example(example: str, path: Path) -> tuple[Path, list[str]]:
    """The example built, with figures planted wrong; returns the book and the cells planted."""
    wb = example_workbook(example)
    book, _ = read_book(input_grids(wb, "範例"), "範例")
    tables, _ = build_workbook(wb, book)
    schedules = [wb[t.sheet_name] for t in tables if t.sheet_name in wb.sheetnames and figure(wb[t.sheet_name])]
    planted = []
    for ws in schedules[:2]:
        cell = figure(ws)
        cell.value += 7
        planted.append(f"{ws.title}!{cell.coordinate}")
    error = figure(schedules[2])
    error.value, error.data_type = "#N/A", "e"  # an error value where a figure is printed
    planted.append(f"{schedules[2].title}!{error.coordinate}")
    ws = wb[SHEET_EXPENSES]
    amount = column(ws, "預算數")
    typed = ws.cell(3, amount).value
    ws.cell(3, amount).value = f"={typed}"  # a formula: read by the cached value written below
    schedules[0].merge_cells(start_row=1, start_column=1, end_row=1, end_column=3)  # over a written title
    out = save_atomic(wb, path, {ws.title: {f"{ws.cell(3, amount).column_letter}3": typed}})
    return out, planted


@pytest.mark.parametrize("example", list(EXAMPLES))
def test_check_and_export_read_the_same_through_calamine(example, tmp_path):
    book, planted = built_example(example, tmp_path / f"{example}.xlsx")
    with_openpyxl, with_calamine = both_checks(book)
    cells = {f"{f['sheet']}!{f['cell']}" for f in with_openpyxl["findings"]}
    assert set(planted) <= cells  # the planted figures are found at all
    assert with_calamine == with_openpyxl
    wb = openpyxl.load_workbook(book)
    ws = wb[SHEET_EXPENSES]
    ws.cell(5, column(ws, "收支併列數")).value = "#N/A"
    ws.cell(5, column(ws, "收支併列數")).data_type = "e"
    refused = save_atomic(wb, tmp_path / "refused.xlsx")
    with_openpyxl, with_calamine = both_checks(refused)
    assert f"{SHEET_EXPENSES}!I5" in {f"{f['sheet']}!{f['cell']}" for f in with_openpyxl["refused"]}
    assert with_calamine == with_openpyxl
    assert both_exports(refused)[1] == both_exports(refused)[0]
    clean = save_atomic(example_workbook(example), tmp_path / f"{example}-input.xlsx")
    assert both_exports(clean)[1] == both_exports(clean)[0]
    assert both_checks(clean)[1] == both_checks(clean)[0]


def test_the_ugliest_input_book_reads_the_same(tmp_path):
    wb = example_workbook()
    _fullwidth(wb)
    _branches(wb)
    ws = wb[SHEET_EXPENSES]
    ws.cell(4, column(ws, "預算數")).value = 871852.0000000002
    ws.cell(2, column(ws, "工作計畫編號")).value = 32020180101
    ws.cell(7, column(ws, "預算數")).value = "=F7*G7"  # no cached value: formula-without-value at its cell
    _typed_totals(wb)
    ws.title = "歲出明細\u3000"
    wb["基本資料"].title = " 基本資料 "
    path = save_atomic(wb, tmp_path / "醜.xlsx")
    openpyxl_check, calamine_check = both_checks(path)
    assert ("formula-without-value", "H7") in {(f["rule"], f["cell"]) for f in openpyxl_check["refused"]}
    assert calamine_check == openpyxl_check
    wb[ws.title].cell(7, column(ws, "預算數")).value = 4410710
    path = save_atomic(wb, tmp_path / "醜2.xlsx")
    openpyxl_export, calamine_export = both_exports(path)
    assert len(openpyxl_export[0]) > 400
    assert calamine_export == openpyxl_export


def test_a_hand_made_book_typed_every_ugly_way_is_checked_the_same(tmp_path):
    wb, _ = seed_printed_workbook()
    for retype in (level1_code_name_columns, capital_code_name_columns, agency_numbers_code_name,
                   summary_code_name_columns, detail_code_name_columns):
        retype(wb)
    ws = wb["資本支出"]
    cell = figure(ws)
    cell.value *= 10
    ws.merge_cells("A1:C1")
    path = save_atomic(wb, tmp_path / "手製.xlsx")
    with_openpyxl, with_calamine = both_checks(path)
    assert with_openpyxl["kind"] == "printed"
    assert ("資本支出", cell.coordinate) in {(f["sheet"], f["cell"]) for f in with_openpyxl["findings"]}
    assert with_calamine == with_openpyxl


def test_check_and_export_do_not_import_openpyxl(tmp_path):
    """Reading only needs no workbook library but python-calamine: openpyxl's import is most of a start-up."""
    book = save_atomic(example_workbook(), tmp_path / "範例.xlsx")
    code = ("import sys; from xlbudget.cli import main\n"
            f"for argv in (['check', {str(book)!r}], ['export', {str(book)!r}, '-o', {str(tmp_path / 'e.json')!r}]):\n"
            "    main(argv)\n"
            "print(','.join(m for m in ('openpyxl', 'numpy', 'pandas') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.splitlines()[-1] == ""


@pytest.mark.parametrize("kind", ["missing", "empty", "folder", "old-xls", "not-a-zip", "misnamed"])
def test_an_unreadable_file_is_refused_alike_on_both_paths(kind, tmp_path):
    """What open_workbook refuses (before openpyxl opens anything), the calamine path refuses the same way."""
    good = save_atomic(example_workbook(), tmp_path / "good.xlsx")
    path = {"missing": tmp_path / "無.xlsx", "empty": tmp_path / "空.xlsx", "folder": tmp_path / "夾.xlsx",
            "old-xls": tmp_path / "舊.xls", "not-a-zip": tmp_path / "文字.xlsx", "misnamed": tmp_path / "改名.xls"}[kind]
    if kind == "empty":
        path.write_bytes(b"")
    elif kind == "folder":
        path.mkdir()
    elif kind == "old-xls":
        path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504)
    elif kind == "not-a-zip":
        path.write_text("not a workbook")
    elif kind == "misnamed":
        path.write_bytes(good.read_bytes())
    refusals = []
    for read in (lambda p: load_book(p), read_inputs, lambda p: check_file(p, workbook=True),
                 lambda p: check_file(p, workbook=False)):
        with pytest.raises(InputError) as refused:
            read(path)
        refusals.append(str(refused.value))
    assert len(set(refusals)) == 1, refusals
