"""A template book holding test grids, built: shared by the tests of the tables keyed by plan."""

from xlbudget.readers.inputs import read_book
from xlbudget.app.pipeline import build_workbook
from xlbudget.app.template import new_template


def built_workbook(grids: dict, file: str):
    """The template with each grid's rows as its input sheet, read as ``file`` and built (every table written)."""
    wb = new_template()
    for name, grid in grids.items():
        ws = wb[name]
        ws.delete_rows(1, ws.max_row)
        for row in grid.rows:
            ws.append(row)
    book, _ = read_book(grids, file)
    build_workbook(wb, book)
    return wb
