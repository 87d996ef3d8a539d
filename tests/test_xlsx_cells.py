"""convert's cells are put straight into XlsxWriter's own table of a sheet's cells (adapters.xlsxbook: _write_table,
_write_fill, _write_groups; issue 13): the sheet and its shared strings must be, byte for byte, what XlsxWriter's
own writes of the same cells give — the same cell tuples, text numbered in the same order, the same used range
(<dimension>) and row spans. Each test writes a sheet both ways; the expected side uses only XlsxWriter's public
write_* calls, the cells written spelled out here. Red when the used range is not extended (``_stored_on``), when
a text is numbered out of order, or when XlsxWriter stores its cells otherwise (a newer XlsxWriter)."""

from decimal import Decimal
from pathlib import Path

import pytest

from xlbudget.adapters.xlsxbook import (Formats, NotPlain, _quoted, _unzipped, _write_fill, _write_groups,
                                        _write_table, style_id)
from xlbudget.app.template import SheetFill
from xlbudget.core.tables import ITEM, TOTAL
from xlbudget.forms.layout import SheetLayout

SHEET = "xl/worksheets/sheet1.xml"
STRINGS = "xl/sharedStrings.xml"


def _parts(write) -> dict[str, bytes]:
    """The parts of a one-sheet book whose sheet ``write(ws, fmt)`` fills."""
    parts: dict[str, bytes] = {}
    wb = _unzipped(parts)
    fmt = Formats(wb)
    write(wb.add_worksheet("表"), fmt)
    wb.close()
    return parts


def _same(ours, theirs) -> None:
    a, b = _parts(ours), _parts(theirs)
    assert a[SHEET] == b[SHEET]
    assert a.get(STRINGS) == b.get(STRINGS)
    assert a["xl/styles.xml"] == b["xl/styles.xml"]


def test_template_cells_are_stored_as_xlsxwriter_writes_them():
    bold = style_id({"bold": True})
    groups = ((bold, str, ((0, 1, "乙"), (0, 0, "甲"), (3, 2, "丙"))),
              (0, int, ((5, 1, 12), (2, 3, 2.5))),
              (bold, bool, ((1, 4, True),)),
              (bold, type(None), ((7, 6, None), (4, 0, None))),  # a styled blank: written
              (0, type(None), ((9, 9, None),)),  # a blank without a style: not written, no part of the used range
              (0, str, ((6, 2, "甲"), (6, 5, "略"))))  # column 5 skipped

    def theirs(ws, fmt):
        ws.write_string(0, 1, "乙", fmt(bold))
        ws.write_string(0, 0, "甲", fmt(bold))
        ws.write_string(3, 2, "丙", fmt(bold))
        ws.write_number(5, 1, 12)
        ws.write_number(2, 3, 2.5)
        ws.write_boolean(1, 4, True, fmt(bold))
        ws.write_blank(7, 6, None, fmt(bold))
        ws.write_blank(4, 0, None, fmt(bold))
        ws.write_string(6, 2, "甲")

    _same(lambda ws, fmt: _write_groups(ws, fmt, groups, skip_column=5), theirs)


def test_input_cells_are_stored_as_xlsxwriter_writes_them():
    # grid columns 0..3 go to template columns 2, 1, 4, 6 (1-based); a short row is padded
    fill = SheetFill({}, False, [(2, ["3202010100", 9.0, "", None]), (4, ["=1+1", -0.0, 7, True]),
                                 (3, ["乙", 1.25]), (9, [None, None, None, None])],
                     [(0, 2), (1, 1), (2, 4), (3, 6)])

    def theirs(ws, fmt):
        ws.write_string(1, 1, "3202010100")
        ws.write_number(1, 0, 9.0)
        ws.write_string(3, 1, "=1+1", fmt(_quoted(0)))  # text that reads as a formula: quoted, never a formula
        ws.write_number(3, 0, 0)
        ws.write_number(3, 3, 7)
        ws.write_boolean(3, 5, True)
        ws.write_string(2, 1, "乙")
        ws.write_number(2, 0, 1.25)

    _same(lambda ws, fmt: _write_fill(ws, fmt, fill), theirs)


def test_text_at_the_edge_of_formula_like_is_quoted_as_reads_as_formula_says():
    """The writers tell most text from formula-like text by one comparison (xlsxbook.PAST_FIRST, just past U+3000,
    the ideographic space, the last character such text can start with): text starting with U+3000 is still asked
    (「\u3000=1」 reads as a formula after its space: quoted; 「\u3000甲」 not), text from U+3001 on never reads as one.
    Red when the comparison lets U+3000 pass unasked."""
    texts = ["\u3000=1", "\u3001=1", "\u3000甲", "\u00a0+2", "甲=1"]
    quoted = {0, 3}  # by hand: spaces (U+3000, U+00A0) then = or +
    fill = SheetFill({}, False, [(2, texts)], [(g, g + 1) for g in range(len(texts))])
    # after a label column (wrapped, styled apart), every text in a column of one style: a quoted one differs from it
    table = SheetLayout([["名", *texts]], [], {1: ITEM}, widths=[12.0] * (len(texts) + 1),
                        wrap_columns=list(range(1, len(texts) + 2)))

    def theirs(ws, fmt):
        for c, text in enumerate(texts):
            ws.write_string(1, c, text, fmt(_quoted(0)) if c in quoted else None)

    _same(lambda ws, fmt: _write_fill(ws, fmt, fill), theirs)
    written = {}

    def ours(ws, fmt):
        _write_table(ws, fmt, table, 0)
        written.update({c - 1: cell for c, cell in ws.table[0].items() if c})

    _parts(ours)
    plain = written[1].format  # 「\u3001=1」: the column's own format, as every text not quoted
    assert [written[c].format is not plain for c in range(len(texts))] == [c in quoted for c in range(len(texts))]


def test_table_cells_are_stored_as_xlsxwriter_writes_them():
    """Two tables on one sheet (the second from row 8, as 轉換摘要 places them): every cell the tables hold,
    written by XlsxWriter's own calls with the formats the table's kinds of row give (read back from the sheet our
    writer filled: what is tested here is how the cells are stored, test_fresh_books what they hold)."""
    first = SheetLayout([["名稱", None, "合計"], ["甲", 1200, ""], ["=乙", Decimal("1.6"), 3.5]], [],
                        {1: "", 2: ITEM, 3: TOTAL}, widths=[20.0, 12.0, 12.0], amount_columns=[2, 3],
                        wrap_columns=[1])
    second = SheetLayout([["丙", 5, None, True]], [], {1: ITEM}, widths=[10.0, 12.0, 12.0, 8.0], amount_columns=[2])
    written = {}

    def ours(ws, fmt):
        _write_table(ws, fmt, first, 0)
        _write_table(ws, fmt, second, 0, top=8, above=first.widths)
        written.update({(r, c): cell for r, row in ws.table.items() for c, cell in row.items()})

    a = _parts(ours)
    assert set(written) == {(0, 0), (0, 1), (0, 2), (1, 0), (1, 1), (1, 2), (2, 0), (2, 1), (2, 2),
                            (8, 0), (8, 1), (8, 2), (8, 3)}  # every cell of both: the blanks are styled
    kinds = {rc: cell.__class__.__name__ for rc, cell in written.items()}
    assert kinds[0, 1] == kinds[1, 2] == kinds[8, 2] == "Blank" and kinds[8, 3] == "Boolean"
    assert kinds[1, 1] == kinds[2, 1] == kinds[2, 2] == kinds[8, 1] == "Number"

    def theirs(ws, fmt):
        texts = {(0, 0): "名稱", (0, 2): "合計", (1, 0): "甲", (2, 0): "=乙", (8, 0): "丙"}
        numbers = {(1, 1): 1200, (2, 1): 1.6, (2, 2): 3.5, (8, 1): 5}
        for (r, c), cell in sorted(written.items()):  # row by row, as the tables' text is met
            f = cell.format
            if (r, c) in texts:
                ws.write_string(r, c, texts[r, c], f)
            elif (r, c) in numbers:
                ws.write_number(r, c, numbers[r, c], f)
            elif (r, c) == (8, 3):
                ws.write_boolean(r, c, True, f)
            else:
                ws.write_blank(r, c, None, f)
        ws.set_column_pixels(0, 0, 140)  # the sizes and page setup _write_table gives: from its own calls
        for c, w in ((1, 84), (2, 84), (3, 84)):
            ws.set_column_pixels(c, c, w)

    b = _parts(theirs)
    assert a[STRINGS] == b[STRINGS]
    assert _cells(a[SHEET]) == _cells(b[SHEET])
    assert b'<dimension ref="A1:D9"/>' in a[SHEET]
    assert written[2, 0].format is not written[1, 0].format  # 「=乙」 quoted: text, never a formula
    assert written[2, 1].format is not written[1, 1].format  # 1.6 shown as typed


def _cells(sheet: bytes) -> bytes:
    """A sheet's used range and rows of cells (its sizes and page setup left out)."""
    start, end = sheet.index(b"<sheetData"), sheet.index(b"</sheetData>")
    return sheet[sheet.index(b"<dimension"):sheet.index(b"<sheetViews")] + sheet[start:end]


def test_a_cell_past_the_last_row_is_not_dropped():
    """XlsxWriter drops a cell past row 1,048,576 without a word (its write returns -1): never silently."""
    fill = SheetFill({}, False, [(1_048_577, ["甲"])], [(0, 1)])
    with pytest.raises(NotPlain):
        _parts(lambda ws, fmt: _write_fill(ws, fmt, fill))


def test_an_xlsxwriter_that_stores_cells_otherwise_is_not_trusted(monkeypatch):
    """pyproject allows any XlsxWriter from 3.2: one whose cell tuples have other fields is not written into."""
    from collections import namedtuple

    import xlsxwriter.worksheet

    from xlbudget.adapters import xlsxbook

    assert xlsxbook._known_cells() is not None  # the installed one is known
    monkeypatch.setattr(xlsxwriter.worksheet, "CellStringTuple", namedtuple("CellStringTuple", "string, format, rich"))
    assert xlsxbook._known_cells() is None


def test_a_book_written_the_openpyxl_way_when_xlsxwriter_is_not_known(tmp_path, monkeypatch):
    """With XlsxWriter's cells not known, convert writes the example the openpyxl way: the same values in every
    cell of every sheet as the usual write (nothing lost, no half-made file)."""
    import openpyxl

    from xlbudget.adapters import xlsxbook
    from xlbudget.app.convert import convert_one

    example = Path(__file__).resolve().parents[1] / "workbooks" / "範例-高雄市政府資訊中心113年度.xlsx"
    usual = tmp_path / "usual.xlsx"
    convert_one(str(example), str(usual))
    monkeypatch.setattr(xlsxbook, "_CELLS", [None])
    with pytest.raises(NotPlain):
        xlsxbook._cell_types()
    other = tmp_path / "other.xlsx"
    convert_one(str(example), str(other))
    a, b = openpyxl.load_workbook(usual), openpyxl.load_workbook(other)
    assert a.sheetnames == b.sheetnames
    for name in a.sheetnames:
        assert [[c.value for c in row] for row in a[name].iter_rows()] == \
            [[c.value for c in row] for row in b[name].iter_rows()], name
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other.xlsx", "usual.xlsx"]
