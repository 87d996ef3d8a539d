"""Built books shared by tests: a template book holding test grids, and the example as a hand-made book."""

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


def handmade_workbook(example: str = "example"):
    """The built example (高雄市政府資訊中心 113, 歲出 275,795 千元; or another of xlbudget/data, such as
    example-taipei) without its input sheets: printed tables only, as an officer's hand-made book is (not saved: a
    test may change a figure first)."""
    from xlbudget.adapters.xlsxfile import input_grids
    from xlbudget.app.example import example_workbook
    from xlbudget.forms.inputs import INPUT_SHEETS

    wb = example_workbook(example)
    build_workbook(wb, read_book(input_grids(wb))[0])
    for name in list(INPUT_SHEETS) + ["說明", "代碼表"]:
        if name in wb.sheetnames:
            del wb[name]
    return wb


def handmade_book(path):
    """``handmade_workbook`` saved at ``path``; returns ``path``."""
    handmade_workbook().save(path)
    return path
