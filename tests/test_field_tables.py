"""Rows typed below an Excel Table (格式化為表格) whose range did not grow over them (field report 3 #2): read with
the sheet on both file readers (openpyxl: build, --mark; python-calamine: check, export, convert), cell for cell.

The example's 歲出明細 holds 77 lines on rows 2–78, 275,795,000 元 (歲出 275,795 千元). The Table covers A1:O76:
rows 77–78 (the last two lines) sit below it.
"""

import openpyxl
import pytest
from openpyxl.worksheet.table import Table

from xlbudget.adapters.fastread import read_grids
from xlbudget.adapters.xlsxfile import input_grids, open_workbook
from xlbudget.app.example import example_workbook
from xlbudget.readers.inputs import read_book

TOTAL_YUAN = 275_795_000


def _table_short_of_its_rows(tmp_path, last=76, blank_row=False, totals=False):
    wb = example_workbook()
    ws = wb["歲出明細"]
    assert ws.max_row == 78
    below = [[c.value for c in ws[r]] for r in range(last + 1, 79)]
    if blank_row:  # the last lines pasted after a blank row
        ws.delete_rows(last + 1, 78 - last)
        for i, row in enumerate(below):
            for c, v in enumerate(row, start=1):
                ws.cell(last + 2 + i, c, v)
    table = Table(displayName="歲出明細表", ref=f"A1:O{last}")
    if totals:  # the Table's own totals row, then the lines typed under it
        ws.insert_rows(last + 1)
        ws.cell(last + 1, 8, sum(r[7] for r in ws.iter_rows(min_row=2, max_row=last, values_only=True)))
        table = Table(displayName="歲出明細表", ref=f"A1:O{last + 1}")
        table.totalsRowCount = 1
    ws.add_table(table)
    path = tmp_path / "table.xlsx"
    wb.save(path)
    return path


def _read(path, reader):
    grids = input_grids(open_workbook(path), path.name) if reader == "openpyxl" else read_grids(path)
    return read_book(grids)


@pytest.mark.parametrize("reader", ["openpyxl", "calamine"])
@pytest.mark.parametrize("blank_row", [False, True])
def test_lines_below_a_table_are_read_with_their_cells(tmp_path, reader, blank_row):
    path = _table_short_of_its_rows(tmp_path, blank_row=blank_row)
    book, findings = _read(path, reader)
    assert sum(i.amount for i in book.expenses) == TOTAL_YUAN
    last_rows = [str(i.cells["預算數"]) for i in book.expenses[-2:]]
    first = 78 if blank_row else 77
    assert last_rows == [f"table.xlsx:歲出明細!H{first}", f"table.xlsx:歲出明細!H{first + 1}"]
    assert [f.rule for f in findings if f.severity.name == "ERROR"] == []


@pytest.mark.parametrize("reader", ["openpyxl", "calamine"])
def test_lines_below_a_tables_totals_row_are_read_and_the_totals_row_checked(tmp_path, reader):
    path = _table_short_of_its_rows(tmp_path, totals=True)
    book, findings = _read(path, reader)
    assert sum(i.amount for i in book.expenses) == TOTAL_YUAN
    assert not [f for f in findings if f.rule == "totals-row-mismatch"]  # it closes the 75 lines above it


def test_both_readers_give_the_same_lines(tmp_path):
    path = _table_short_of_its_rows(tmp_path, blank_row=True)
    lines = [[(i.amount, str(i.cells["預算數"])) for i in _read(path, r)[0].expenses] for r in ("openpyxl", "calamine")]
    assert lines[0] == lines[1] and len(lines[0]) == 77


class _Range:
    """What sheet_grid asks of an xlwings range: its values, first row and column, and address."""

    def __init__(self, rows, row=1, column=1, address=None):
        self._rows, self.row, self.column, self.address = rows, row, column, address

    def options(self, **_):
        return self

    @property
    def value(self):
        return self._rows


class _Table:
    def __init__(self, rows, address, totals=False):
        self.range, self.show_totals = _Range(rows, address=address), totals


class _Sheet:
    def __init__(self, name, rows, tables):
        self.name, self.used_range, self.tables = name, _Range(rows), tables


def test_the_live_book_reads_the_lines_below_a_table_too():
    """The add-in on desktop Excel (xlwings sees the Table): the same block as the file readers."""
    from xlbudget.adapters.xlwings_book import sheet_grid

    ws = example_workbook()["歲出明細"]
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    grid = sheet_grid(_Sheet("歲出明細", rows, [_Table([r[:15] for r in rows[:76]], "$A$1:$O$76")]), "live.xlsx")
    book, _ = read_book({"歲出明細": grid, **{k: v for k, v in input_grids(example_workbook()).items()
                                             if k != "歲出明細"}})
    assert sum(i.amount for i in book.expenses) == TOTAL_YUAN
    assert str(book.expenses[-1].cells["預算數"]) == "live.xlsx:歲出明細!H78"
