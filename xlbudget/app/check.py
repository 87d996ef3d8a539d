"""Check a book on disk (檢核): open the file, never writing to it, and hand its grids to the checks.

The rules themselves (``xlbudget.rules``) never touch a file or a workbook
object; this is where an .xlsx/.xlsm (openpyxl) or an .ods (python-calamine)
becomes grids.
"""

from __future__ import annotations

from pathlib import Path

from xlbudget.forms.results import OWN_SHEETS
from xlbudget.rules.checks import BOOK_CHECKS, BookCheck, CheckReport, check_printed_sheets, check_sheets, \
    is_template_book


def check_workbook(wb, values_wb=None, file: str | None = None,
                   checks: tuple[BookCheck, ...] = BOOK_CHECKS) -> CheckReport:
    """Check an openpyxl workbook, template or hand-made; formulas are read by their cached values.

    ``values_wb`` is the same file opened with data_only=True (needed only
    when the book holds formulas). Raises InputError (zh-TW, naming the file,
    sheet and cell) when the book cannot be read.
    """
    from xlbudget.adapters.xlsxfile import input_grids, workbook_sheets

    sheets = {name: sg for name, sg in workbook_sheets(wb, values_wb, file).items() if name not in OWN_SHEETS}
    grids = input_grids(wb, file, values_wb)  # formulas by cached value; none → named by read_book
    if not is_template_book(grids):
        return check_printed_sheets(sheets, file)
    return check_sheets(sheets, grids, file, checks)


def check_ods(path) -> CheckReport:
    """Check an .ods book (read through python-calamine, the same grids as every other reader)."""
    from xlbudget.adapters.fastread import ods_sheets, read_grids
    from xlbudget.readers.grid import Grid
    from xlbudget.readers.printed_model import SheetGrid

    name = Path(path).name
    inputs = read_grids(path)
    sheets = {sheet: SheetGrid(Grid(sheet, rows, 1, 1, name), tuple(merges))  # from A1, as workbook_sheets gives
              for sheet, (rows, merges) in ods_sheets(path).items() if sheet not in OWN_SHEETS}
    if not is_template_book(inputs):
        return check_printed_sheets(sheets, name)
    return check_sheets(sheets, inputs, name)


def check_file(path) -> tuple[CheckReport, object]:
    """Open ``path`` (never writing to it) and check it; returns the report and the openpyxl workbook."""
    from xlbudget.adapters.xlsxfile import has_formulas, is_ods, open_workbook

    if Path(path).is_file() and Path(path).stat().st_size and is_ods(path):
        return check_ods(path), None
    wb = open_workbook(path)
    values_wb = open_workbook(path, data_only=True) if has_formulas(wb) else None
    return check_workbook(wb, values_wb, Path(path).name), wb
