"""One column of an officer's worksheet rewritten in its XML, every other cell left as it is (for adapters.splice).

build writes 總說明's figure sentences into column D of the officer's own 總說明 sheet, as
printing.write_standard_sentences does through openpyxl: every value of that column is cleared (a cell keeps
its style), the header and sentences are put in from row 1, and the column is made wide.
"""

from __future__ import annotations

import copy

from xlbudget.adapters.splicestyles import _M
from xlbudget.core.model import column_number
from xlbudget.core.patterns import lazy

_REF = lazy(r"([A-Z]{1,3})(\d+)$")


class ColumnClash(Exception):
    """The column cannot be rewritten cell by cell (a cell or row without its position, a formula shared from
    or spilling into the column): build that book the openpyxl way."""


def _position(cell) -> tuple[int, int]:
    m = _REF.match(cell.get("r") or "")
    if not m:
        raise ColumnClash("cell without r")
    return int(m.group(2)), column_number(m.group(1))


def _refuse_spanning(root, column: int) -> None:
    """A shared or array formula whose range reaches ``column`` and that clearing the column would break: an array
    formula spilling out of it, or a shared formula whose first cell (the one holding its text) is in it and whose
    range reaches other columns. One wholly in the column goes with its every cell (a formula the officer filled
    down 總說明's column D: field report 11 §2.1, which sent such books the openpyxl way, losing his pictures); a
    shared formula of another column's cell leaves its others their text where it stands."""
    for formula in root.iter(_M + "f"):
        ref = formula.get("ref")
        if not ref:
            continue
        ends = [_REF.match(end.replace("$", "")) for end in ref.split(":")]
        if not all(ends):
            raise ColumnClash("formula range")
        columns = [column_number(m.group(1)) for m in ends]
        if not min(columns) <= column <= max(columns) or min(columns) == max(columns) == column:
            continue
        if formula.get("t") != "shared" or _position(formula.getparent())[1] == column:
            raise ColumnClash("shared or array formula in the column")


def _clear(cell) -> None:
    for child in list(cell):
        cell.remove(child)
    cell.attrib.pop("t", None)
    cell.attrib.pop("cm", None)
    cell.attrib.pop("vm", None)


def number_cells(root) -> None:
    """Give each row and cell of the worksheet ``root`` (lxml) that a generator wrote without its position (r, which
    the format lets it leave out) the one Excel reads it at: a row the one after the row before it (the first: 1), a
    cell the column after the cell before it in its row (the first: A). Field report 11 §2.1: such a 總說明 sent build
    the openpyxl way, dropping the officer's pictures."""
    from xlbudget.readers.grid import column_letter

    data = root.find(_M + "sheetData")
    number = 0
    for row in [] if data is None else data.iterfind(_M + "row"):
        if row.get("r") is None:
            row.set("r", str(number + 1))
        if not row.get("r").isdigit():
            raise ColumnClash("row without r")
        number, at = int(row.get("r")), 0
        for cell in row.iterfind(_M + "c"):
            if cell.get("r") is None:
                cell.set("r", f"{column_letter(at + 1)}{number}")
            at = _position(cell)[1]


_UNNUMBERED = lazy(rb"<(?:\w+:)?(?:c|row)(?=[\s/>])(?![^>]*\sr=)")


def numbered(data: bytes) -> bytes:
    """A worksheet's XML with every row and cell given its position (number_cells), ``data`` itself when all have
    theirs (the file as Excel, LibreOffice and XlsxWriter write it)."""
    if not _UNNUMBERED.search(data):
        return data
    from xlbudget.adapters.splicestyles import parse, serialise

    root = parse(data)
    number_cells(root)
    return serialise(root)


def put_column(root, column: int, cells: dict[int, object], col) -> None:
    """In the worksheet ``root`` (lxml), clear every value of ``column`` and put ``cells`` ({row: <c>}) in it;
    ``col``, a ``<col>`` element, gives the column's width (its other attributes kept)."""
    data = root.find(_M + "sheetData")
    if data is None:
        raise ColumnClash("sheetData")
    number_cells(root)
    _refuse_spanning(root, column)
    rows = {}
    for row in data.iterfind(_M + "row"):
        if not (row.get("r") or "").isdigit():
            raise ColumnClash("row without r")
        rows[int(row.get("r"))] = row
        for cell in row.iterfind(_M + "c"):
            r, c = _position(cell)
            if c == column:
                if r in cells:
                    row.replace(cell, copy.deepcopy(cells[r]))
                else:
                    _clear(cell)
    for r, new in sorted(cells.items()):
        row = rows.get(r)
        if row is None:
            row = rows[r] = _new_row(data, r)
        if any(_position(c) == (r, column) for c in row.iterfind(_M + "c")):
            continue  # replaced above
        after = [c for c in row.iterfind(_M + "c") if _position(c)[1] > column]
        if after:
            after[0].addprevious(copy.deepcopy(new))
        else:
            row.append(copy.deepcopy(new))
        row.attrib.pop("spans", None)  # an optional hint; no longer true
    _widen(root, column, col)
    _extend_dimension(root, column, max(cells, default=1))


def _new_row(data, r: int):
    from lxml import etree

    row = etree.Element(_M + "row")
    row.set("r", str(r))
    later = [x for x in data.iterfind(_M + "row") if int(x.get("r")) > r]
    if later:
        later[0].addprevious(row)
    else:
        data.append(row)
    return row


def _widen(root, column: int, col) -> None:
    """Set ``column``'s width from ``col``, splitting an officer's ``<col>`` range that covers it."""
    from lxml import etree

    cols = root.find(_M + "cols")
    if cols is None:
        cols = etree.Element(_M + "cols")
        root.find(_M + "sheetData").addprevious(cols)
    mine = None
    if not all((el.get("min") or "").isdigit() and (el.get("max") or "").isdigit() for el in cols):
        raise ColumnClash("a column range without its numbers")
    for el in list(cols):
        lo, hi = int(el.get("min")), int(el.get("max"))
        if lo <= column <= hi:
            for a, b in ((lo, column - 1), (column + 1, hi)):
                if a <= b:
                    part = copy.deepcopy(el)
                    part.set("min", str(a))
                    part.set("max", str(b))
                    el.addprevious(part) if a < column else el.addnext(part)
            el.set("min", str(column))
            el.set("max", str(column))
            mine = el
    if mine is None:
        mine = etree.Element(_M + "col")
        mine.set("min", str(column))
        mine.set("max", str(column))
        later = [el for el in cols if int(el.get("min")) > column]
        later[0].addprevious(mine) if later else cols.append(mine)
    mine.set("width", col.get("width"))
    mine.set("customWidth", "1")


def _extend_dimension(root, column: int, last_row: int) -> None:
    from xlbudget.readers.grid import column_letter

    dim = root.find(_M + "dimension")
    if dim is None:
        return
    ref = dim.get("ref", "A1")
    first, _, last = ref.partition(":")
    last = last or first
    a, b = _REF.match(first.replace("$", "")), _REF.match(last.replace("$", ""))
    if not (a and b):
        return
    r1, c1 = int(a.group(2)), column_number(a.group(1))
    r2, c2 = int(b.group(2)), column_number(b.group(1))
    r1, c1, r2, c2 = min(r1, 1), min(c1, column), max(r2, last_row), max(c2, column)
    dim.set("ref", f"{column_letter(c1)}{r1}:{column_letter(c2)}{r2}")
