"""Fresh books written with XlsxWriter: convert's output without building and saving an openpyxl workbook.

What a sheet looks like is said once, by the openpyxl writers (app.template, adapters.printing): their
styles and the template's page setup are applied once per kind of cell or sheet to a scratch openpyxl sheet and read
back as XlsxWriter formats and settings (adapters.xlsxstyle), once per process. A style is then a small
int (``style_id``), made into an XlsxWriter format once per workbook, on first use; the template's cells,
grouped by style and kind (``Replay``), are read once per process and replayed into each book.
What those writers give is read off openpyxl ahead of time (``read_looks``) and stored as package data
(LOOKS, written by app.looks; tests/test_xlsx_looks.py holds it to a fresh reading), so a fresh book is
written without importing openpyxl or building the template; a kind of cell not stored is read off a
scratch sheet as before. A table's page setup is not read off openpyxl: it is forms.pages.table_page, which
both writers replay (printing.apply_page, xlsxstyle.page_settings). The book's values and its laid-out tables
go straight from their rows to XlsxWriter's per-type writes, as the floor of issue 13 (bench/floor.py) writes.
openpyxl stays the writer of books edited in place (build keeps the officer's own sheets, an .xlsm its macros)
and of convert --mark (notes, 檢核結果).
tests/test_fresh_books.py compares the two writers' books cell by cell.

Text is always written as a string, never as a formula; formula-like text gets the quote prefix, as
``formulas.keep_text`` gives an openpyxl cell.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from xlbudget.adapters.xlsxstyle import apply_settings, cell_props, page_settings, set_sizes, sheet_settings
from xlbudget.core.amounts import price_format
from xlbudget.core.formulas import EXCEL_CELL_CHARACTERS, FIRST_CHARACTERS, reads_as_formula
from xlbudget.core.tables import BANNER, GROUP, ITEM, TOTAL
from xlbudget.forms.layout import (KIND_AGENCY, KIND_HEADER, KIND_TITLE, KIND_UNIT, KIND_YEAR, contents_target,
                                   style_key, title_columns)
from xlbudget.forms.pages import SHEET_MARGINS, table_page

PLAIN = (str, int, float, bool)  # what a fresh book is written with; anything else goes the openpyxl way


class NotPlain(Exception):
    """A value XlsxWriter would not write as openpyxl does (a date, a time, a text past 32,767 characters,
    which XlsxWriter cuts): write this book with openpyxl."""


# ---------------------------------------------------------------- styles: one small int per distinct style

_IDS: dict[tuple, int] = {(): 0}  # per process: a style's sorted props → its id; 0 is no style
_PROPS: list[dict] = [{}]


def style_id(props: dict) -> int:
    """The id of a style (XlsxWriter format properties), the same for the same props in this process."""
    key = tuple(sorted(props.items()))
    found = _IDS.get(key)
    if found is None:
        found = _IDS[key] = len(_PROPS)
        _PROPS.append(dict(props))
    return found


class Formats:
    """One workbook's XlsxWriter formats by style id, each made once, on first use (``fmt(sid)``)."""

    def __init__(self, wb):
        self._wb, self._made = wb, {0: None}

    def __call__(self, sid: int):
        f = self._made.get(sid, False)
        if f is False:
            f = self._made[sid] = self._wb.add_format(_PROPS[sid])
        return f


_QUOTED: dict[int, int] = {}


def _quoted(sid: int) -> int:
    """The style with the quote prefix, as ``formulas.keep_text`` gives a formula-like text's cell."""
    found = _QUOTED.get(sid)
    if found is None:
        found = _QUOTED[sid] = style_id(dict(_PROPS[sid], quote_prefix=True))
    return found


_PRICED: dict[tuple[int, str], int] = {}


def _priced(sid: int, number_format: str) -> int:
    """The style with a 單價's own number format (1.6 shown as typed), as printing.write_layout sets it."""
    found = _PRICED.get((sid, number_format))
    if found is None:
        found = _PRICED[sid, number_format] = style_id(dict(_PROPS[sid], num_format=number_format))
    return found


class Replay:
    """One template sheet, read once per process: its cells by style and kind, row 1 (``head``) apart from
    the rest (``body``, which 基本資料's fill replaces), each part a tuple of (style id, kind, cells)."""

    def __init__(self, name: str, settings: dict, merges: list, head: tuple, body: tuple):
        self.name, self.settings, self.merges, self.head, self.body = name, settings, merges, head, body


def _groups(cells: list[tuple[int, int, object, int]]) -> tuple:
    groups: dict[tuple[int, type], list] = {}
    for r, c, value, sid in cells:
        kind = value.__class__
        if kind not in PLAIN and value is not None:
            raise NotPlain(kind.__name__)
        kind = int if kind is float else None.__class__ if value == "" else kind  # "" is written as a blank
        groups.setdefault((sid, kind), []).append((r, c, value))
    return tuple((sid, kind, tuple(found)) for (sid, kind), found in groups.items())


def _sheet_look(ws, style) -> dict:
    """An openpyxl sheet as plain data: its settings, merges and (row, column, value, ``style(cell)``) cells."""
    return {"name": ws.title, "settings": sheet_settings(ws),
            "merges": [(m.min_row - 1, m.min_col - 1, m.max_row - 1, m.max_col - 1) for m in ws.merged_cells.ranges],
            "cells": [(cell.row - 1, cell.column - 1, cell.value, style(cell))
                      for row in ws.iter_rows() for cell in row if cell.value is not None or cell.has_style]}


def _replay(look: dict) -> Replay:
    cells = look["cells"]
    return Replay(look["name"], look["settings"], look["merges"], _groups([x for x in cells if x[0] == 0]),
                  _groups([x for x in cells if x[0] > 0]))


def _write_groups(xws, fmt, groups: tuple, skip_column: int = -1) -> None:
    """Write the cells of ``groups`` (a Replay's head or body), but none in column ``skip_column``."""
    tuples = _cell_types()  # first: NotPlain before any other XlsxWriter internal is touched
    table, shared = xws.table, xws.str_table._get_shared_string_index
    for sid, kind, cells in groups:
        f = fmt(sid)
        if kind is str:  # stored as XlsxWriter's _write_string stores it: see _stored_on
            for r, c, value in cells:
                if c != skip_column:
                    if len(value) > HALF and _too_long(value):
                        raise NotPlain("text longer than 32,767 characters")
                    table[r][c] = _cell(tuples.String, (shared(value), f))
        elif kind is int:  # a float of the stored looks is a whole number's (JSON), never NaN
            for r, c, value in cells:
                if c != skip_column:
                    table[r][c] = _cell(tuples.Number, (value, f))
        elif kind is bool:  # rare: XlsxWriter's own write (it stores 1 or 0)
            for r, c, value in cells:
                if c != skip_column:
                    xws._write_boolean(r, c, value, f)
        elif f is not None:  # a blank without a format is not written
            for r, c, value in cells:
                if c != skip_column:
                    table[r][c] = _cell(tuples.Blank, (f,))
    _stored_on(xws, {r for _, _, cells in groups for r, _, _ in cells})


def _merge(xws, merges) -> None:
    for r1, c1, r2, c2 in merges:
        if (r1, c1) != (r2, c2):  # openpyxl keeps a one-cell merge (a one-column title); XlsxWriter refuses it
            xws.merge_range(r1, c1, r2, c2, None)  # registers the range; its cells are written next


def _write_fill(xws, fmt, fill, skip_column: int = -1) -> None:
    """A book's input values (app.template.SheetFill) straight from its grid rows, as fill_template writes them."""
    for col, text in fill.extra.items():
        if col - 1 != skip_column:
            xws.write_string(0, col - 1, text, fmt(_quoted(0)) if reads_as_formula(text) else None)
    # each cell stored as XlsxWriter's undecorated writes store it (_stored_on): 335,000 cells of a 20,000-item book
    tuples = _cell_types()  # first: NotPlain before any other XlsxWriter internal is touched
    table, shared, first, past, string = (xws.table, xws.str_table._get_shared_string_index, FIRST_CHARACTERS,
                                          PAST_FIRST, str)
    String, Number = tuples.String, tuples.Number
    columns = [(g, t - 1) for g, t in fill.columns if t - 1 != skip_column]
    need = max((g for g, _ in columns), default=-1) + 1  # a shorter row is padded, not tested cell by cell
    for r, row in fill.rows:
        r -= 1
        if len(row) < need:
            row = list(row) + [None] * (need - len(row))
        cells = table[r]
        for g, c in columns:
            value = row[g]
            kind = value.__class__  # text and numbers first (calamine's empty cells are ""), then None
            if kind is string:
                if value:
                    if len(value) > HALF and _too_long(value):
                        raise NotPlain("text longer than 32,767 characters")  # XlsxWriter cuts it, openpyxl not
                    # the quote prefix's format is made (and so written) only for a book holding such text
                    cells[c] = _cell(String, (shared(value), fmt(_quoted(0)) if value < past and value[0] in first
                                            and reads_as_formula(value) else None))
            elif kind is float or kind is int:
                # to 16 significant digits (XlsxWriter's %.16G), as openpyxl writes a number: 9.0 is written 9 as is,
                # no int(9.0) a cell; -0.0 alone would be written -0, and is 0
                if value - value:  # NaN or an infinity (never from a book read): XlsxWriter's own answer to it
                    xws._write_number(r, c, value, None)
                else:
                    cells[c] = _cell(Number, (value or 0, None))
            elif value is None:
                continue
            elif kind is bool:  # rare: XlsxWriter's own write (it stores 1 or 0)
                xws._write_boolean(r, c, value, None)
            else:
                raise NotPlain(kind.__name__)
    _stored_on(xws, [r - 1 for r, _ in fill.rows])


# ---------------------------------------------------------------- cells stored as XlsxWriter stores them

# A table's, an input sheet's and the template's cells are put into XlsxWriter's own table of a sheet's
# cells (Worksheet.table: row → column → a cell tuple) as its undecorated writes (_write_string, _write_number,
# _write_blank; a boolean, rare, still by its _write_boolean) put them, the text numbered in its shared-string table in the same order, and the
# sheet's used range (its dim_ attributes) then extended once for all of them (_stored_on) as _check_dimensions
# extends it a cell. The same cells, text numbers and range, so the same bytes (tests/test_xlsx_cells.py writes a
# sheet both ways); without two Python calls a cell (the write and its _check_dimensions) and a namedtuple's
# __new__ (tuple.__new__ called as it calls it): 5,174 cells of a 77-item book (issue 13)
_cell = tuple.__new__  # a cell tuple made as its namedtuple __new__ makes it, without that Python call
_CELLS: list = []  # per process: XlsxWriter's cell tuples, once it is imported
# a text not below this starts past every character a formula-like text can start with (a CJK character: most text):
# told by one comparison, without the one-character string ``value[0]`` each such text would make (issue 13)
PAST_FIRST = chr(ord(max(FIRST_CHARACTERS)) + 1)
HALF = EXCEL_CELL_CHARACTERS // 2  # XlsxWriter's longest text (its xls_strmax, UTF-16 units) halved: a text no longer cannot be past it


class _Cells:
    """XlsxWriter's cell tuples by kind (xlsxwriter.worksheet's CellStringTuple, …)."""

    def __init__(self, String, Number, Blank):
        self.String, self.Number, self.Blank = String, Number, Blank


def _cell_types() -> _Cells:
    """XlsxWriter's cell tuples, once its cells are known to be stored as this module stores them; else NotPlain:
    the book is written the openpyxl way (app.pipeline.write_fresh_book), slower, never with other cells."""
    if not _CELLS:
        _CELLS.append(_known_cells())
    if _CELLS[0] is None:
        raise NotPlain("XlsxWriter stores its cells otherwise than xlbudget knows")
    return _CELLS[0]


def _known_cells() -> _Cells | None:
    """XlsxWriter's cell tuples if this XlsxWriter (pyproject allows any from 3.2) keeps a sheet's cells as the
    stores above assume: the tuples' fields, a sheet's table of rows, its used range and limits, the shared-string
    table's numbering; None otherwise (tests/test_xlsx_cells.py)."""
    from collections import defaultdict

    try:
        from xlsxwriter.sharedstrings import SharedStringTable
        from xlsxwriter.worksheet import CellBlankTuple, CellNumberTuple, CellStringTuple, Worksheet

        ws = Worksheet()
    except Exception:  # noqa: BLE001 — any change of XlsxWriter's internals means «not known»
        return None
    known = (CellStringTuple._fields == ("string", "format") and CellNumberTuple._fields == ("number", "format")
             and CellBlankTuple._fields == ("format",) and isinstance(getattr(ws, "table", None), defaultdict)
             and all(hasattr(ws, a) for a in ("dim_rowmin", "dim_rowmax", "dim_colmin", "dim_colmax", "xls_rowmax",
                                               "xls_colmax", "str_table"))
             and callable(getattr(SharedStringTable, "_get_shared_string_index", None)))
    return _Cells(CellStringTuple, CellNumberTuple, CellBlankTuple) if known else None


def _too_long(text: str) -> bool:
    """Past XlsxWriter's longest text (2 × HALF + 1 UTF-16 units): it would cut it, openpyxl not."""
    return len(text) > HALF and len(text.encode("utf-16-le")) // 2 > 2 * HALF + 1


def _stored_on(xws, rows) -> None:
    """The sheet's used range extended to the cells stored on ``rows`` (0-based), as XlsxWriter's _check_dimensions
    extends it a cell written; a cell past the sheet's last row or column (which XlsxWriter would drop) raises
    NotPlain."""
    # in C, no Python step a row: the rows holding a cell, then every column stored on them (one set of a row's
    # keys, the same numbers min and max gave a row each): 1.2 ms a 300-item book was a tuple and two min/max a row,
    # then four passes over them (issue 13)
    get = xws.table.get
    found = list(filter(get, rows))  # the rows that hold a cell (an empty row dict is falsy)
    if not found:
        return
    columns = set().union(*map(get, found))
    low, high, left, right = min(found), max(found), min(columns), max(columns)
    if high >= xws.xls_rowmax or right >= xws.xls_colmax:
        raise NotPlain("a cell past the sheet's last row or column")
    xws.dim_rowmin = low if xws.dim_rowmin is None else min(xws.dim_rowmin, low)
    xws.dim_rowmax = high if xws.dim_rowmax is None else max(xws.dim_rowmax, high)
    xws.dim_colmin = left if xws.dim_colmin is None else min(xws.dim_colmin, left)
    xws.dim_colmax = right if xws.dim_colmax is None else max(xws.dim_colmax, right)


# ---------------------------------------------------------------- the schedules: printing's styles and page setup

_STYLES: dict[tuple, object] = {}  # per process: a kind of cell's style id; a kind of row's, per column
_SCRATCH: list = []  # one openpyxl workbook per process, for scratch sheets


def _scratch_sheet():
    """An empty openpyxl sheet to apply a writer's style or page setup to (one workbook per process)."""
    if not _SCRATCH:
        from openpyxl import Workbook

        _SCRATCH.append(Workbook())
    wb = _SCRATCH[0]
    for old in wb.worksheets[1:]:  # the last one handed out
        wb.remove(old)
    return wb.create_sheet()


def _table_style(kind: str, key: tuple) -> int:
    """The style id of one kind of table cell: printing.style_cell's style, stored (LOOKS) or, for a kind not
    stored, read off a scratch cell."""
    found = _STYLES.get((kind, key))
    if found is None:
        found = _STYLES[kind, key] = _stored()["tables"].get((kind, key))
    if found is None:
        from xlbudget.adapters.printing import style_cell

        cell = _scratch_sheet().cell(1, 1)
        style_cell(cell, kind, key)
        found = _STYLES[kind, key] = style_id(cell_props(cell))
    return found


_FONT_PROPS = ("font_name", "font_size", "bold", "italic", "underline", "font_color")


def _linked(sid: int) -> int:
    """A 目次 cell's style with printing.LINK_FONT in place of its font, as link_contents sets it."""
    found = _STYLES.get(("link", sid))
    if found is None:
        props = {k: v for k, v in _PROPS[sid].items() if k not in _FONT_PROPS}
        props.update(_stored()["link"])
        found = _STYLES["link", sid] = style_id(props)
    return found


DEFAULT_WIDTH = 13  # openpyxl's width of a column not sized yet


def _widened(widths: list[float], above: list[float]) -> list[float]:
    """Column widths once a table of ``widths`` is put below one of ``above``: a lower table only widens columns
    (printing.write_layout), a column not sized yet being openpyxl's DEFAULT_WIDTH."""
    return [max(w, above[c] if c < len(above) else DEFAULT_WIDTH) for c, w in enumerate(widths)] + above[len(widths):]


def _set_page(xws, page, widths: dict[int, float], heights: dict[int, float]) -> None:
    """A sheet's sizes and print setup (forms.pages.PageSetup), as printing.apply_page gives an openpyxl sheet."""
    apply_settings(xws, dict(page_settings(page), widths=widths, heights=heights, validations=[], state="visible"))
    if not page.fit_width:  # printed across pages: at one scale, broken after each page
        xws.set_print_scale(page.scale)
        xws.set_v_pagebreaks(list(page.breaks))


def _write_table(xws, fmt, layout, title_cols: int, links: list[str] | None = None, top: int = 0,
                 above: list[float] | None = None) -> None:
    """A laid-out table as printing.write_layout writes it: cells, styles, merges, sizes and page setup;
    with ``links`` (the book's sheet names), each 目次 line naming a sheet links to it (printing.link_contents).
    From 0-based row ``top``, below a table of column widths ``above``, it only widens columns (no page setup)."""
    if above is None:
        _set_page(xws, table_page(layout, title_cols), dict(enumerate(layout.widths)),
                  {r - 1: h for r, h in layout.heights.items()})
    else:
        set_sizes(xws, dict(enumerate(_widened(layout.widths, above)[:len(layout.widths)])),
                  {r - 1 + top: h for r, h in layout.heights.items()})
    _merge(xws, [(r1 - 1 + top, c1 - 1, r2 - 1 + top, c2 - 1) for r1, c1, r2, c2 in layout.merges])
    amount = set(layout.amount_columns)
    wide = {c for c in layout.wrap_columns if layout.widths[c - 1] >= 20}
    kinds, by_kind = layout.kinds, {}
    # stored as XlsxWriter's undecorated writes store them (_stored_on)
    tuples = _cell_types()  # first: NotPlain before any other XlsxWriter internal is touched
    table, shared, first, past = xws.table, xws.str_table._get_shared_string_index, FIRST_CHARACTERS, PAST_FIRST
    String, Number, Blank = tuples.String, tuples.Number, tuples.Blank
    for r, row in enumerate(layout.values, start=top):
        kind = kinds.get(r - top + 1, "")
        found = by_kind.get(kind)
        if found is None:
            shape = ("row", kind, len(row), tuple(layout.amount_columns), tuple(sorted(wide)))
            sids = _STYLES.get(shape)
            if sids is None:
                sids = _STYLES[shape] = [_table_style(kind, style_key(kind, c, amount, wide))
                                         for c in range(1, len(row) + 1)]
            found = by_kind[kind] = (sids, [fmt(sid) for sid in sids])
        sids, formats = found
        # the column counted, not an (index, value) tuple unpacked a cell; the kinds in the order they are met, a blank
        # (4 cells in 7 of a 77-item book), a whole figure, a text: 0.23 M instructions a 77-item book less (issue 13)
        cells = table[r]
        c = -1
        for value in row:
            c += 1
            if value is None:
                if formats[c] is not None:  # a blank without a format is not written
                    cells[c] = _cell(Blank, (formats[c],))
                continue
            kind = value.__class__
            if kind is int:
                cells[c] = _cell(Number, (value, formats[c]))
            elif kind is str:
                if not value:
                    if formats[c] is not None:
                        cells[c] = _cell(Blank, (formats[c],))
                elif len(value) > HALF and _too_long(value):
                    raise NotPlain("text longer than 32,767 characters")
                elif value < past and value[0] in first and reads_as_formula(value):
                    cells[c] = _cell(String, (shared(value), fmt(_quoted(sids[c]))))
                else:
                    cells[c] = _cell(String, (shared(value), formats[c]))
            elif kind is float:
                if value - value:  # NaN or an infinity (never derived): XlsxWriter's own answer to it
                    xws._write_number(r, c, value, formats[c])
                else:
                    cells[c] = _cell(Number, (value, formats[c]))
            elif kind is bool:  # rare: XlsxWriter's own write (it stores 1 or 0)
                xws._write_boolean(r, c, value, formats[c])
            elif kind is Decimal:  # a 單價 with 角 (1.6): the number, shown as typed (forms.layout.price_cells)
                shown = price_format(value)
                cells[c] = _cell(Number, (float(value), fmt(_priced(sids[c], shown)) if shown else formats[c]))
            else:
                raise NotPlain(kind.__name__)
    _stored_on(xws, range(top, top + len(layout.values)))
    linked: list[str] = []
    for r, row in enumerate(layout.values if links else ()):
        title = contents_target(row[0], links, xws.name, linked) if row else None
        if title:
            linked.append(title)
            sid = by_kind[kinds.get(r + 1, "")][0][0]
            sid = _quoted(sid) if reads_as_formula(row[0]) else sid
            quoted = title.replace("'", "''")
            xws.write_url(r + top, 0, f"internal:'{quoted}'!A1", fmt(_linked(sid)), row[0])


def _sentence_styles() -> tuple:
    """printing.write_standard_sentences as stored: the header's value and style id, a sentence's style id,
    and the sheet's settings (column widths)."""
    return _stored()["sentences"]


def _write_sentences(xws, fmt, sentences: list[str], settings: dict | None) -> dict:
    """printing.write_standard_sentences on an XlsxWriter sheet; returns ``settings`` with column D's width."""
    from xlbudget.derive.narrative import NARRATIVE_COLUMN

    header, header_sid, sid, scratch = _sentence_styles()
    col = NARRATIVE_COLUMN - 1
    xws.write_string(0, col, header, fmt(header_sid))
    for r, text in enumerate(sentences, start=1):
        if xws.write_string(r, col, text, fmt(_quoted(sid) if reads_as_formula(text) else sid)):
            raise NotPlain("text longer than 32,767 characters")
    settings = dict(settings or scratch)
    settings["widths"] = {**settings["widths"], **scratch["widths"]}
    return settings


# ---------------------------------------------------------------- the looks, read off openpyxl ahead of time

LOOKS = "xlsx-looks.json"  # in xlbudget.data, written by app.looks
TABLE_KINDS = (KIND_AGENCY, KIND_TITLE, KIND_YEAR, KIND_UNIT, KIND_HEADER, BANNER, TOTAL, GROUP, ITEM, "")
_LOOKS: dict = {}


def read_looks(template) -> dict:
    """What the openpyxl writers give a fresh book, as plain data: the ``template`` workbook's sheets,
    printing's style of every kind of table cell (``style_key``), the 目次 link font, the 總說明 sentences'
    styles. Styles are numbers into ``styles`` (XlsxWriter format properties). A table's page setup is not among
    them: XlsxWriter replays forms.pages.table_page itself (xlsxstyle.page_settings), as openpyxl does."""
    from xlbudget.adapters.printing import LINK_FONT, NARRATIVE_COLUMN, style_cell, write_standard_sentences

    styles: list[dict] = []
    numbers: dict[tuple, int] = {}

    def style(cell) -> int:
        props = cell_props(cell)
        key = tuple(sorted(props.items()))
        if key not in numbers:
            numbers[key] = len(styles)
            styles.append(props)
        return numbers[key]

    tables = []
    for kind in TABLE_KINDS:
        for key in dict.fromkeys(style_key(kind, c, {2}, {3}) for c in (1, 2, 3, 4)):  # label, amount, wide, other
            cell = _scratch_sheet().cell(1, 1)
            style_cell(cell, kind, key)
            tables.append((kind, key, style(cell)))
    cell = _scratch_sheet().cell(1, 1)
    cell.font = LINK_FONT
    link = cell_props(cell)
    ws = _scratch_sheet()
    write_standard_sentences(ws, ["句"])
    header, sentence = ws.cell(1, NARRATIVE_COLUMN), ws.cell(2, NARRATIVE_COLUMN)
    sentences = (header.value, style(header), style(sentence), sheet_settings(ws))
    return {"template": [_sheet_look(ws, style) for ws in template.worksheets], "tables": tables, "link": link,
            "sentences": sentences, "styles": styles}


def _settings(s: dict) -> dict:
    """Sheet settings as ``sheet_settings`` gives them, from JSON (whose keys are text)."""
    return dict(s, widths={int(c): w for c, w in s["widths"].items()},
                heights={int(r): h for r, h in s["heights"].items()})


def _stored() -> dict:
    """The stored looks (LOOKS) with style ids, read once per process."""
    if not _LOOKS:
        from xlbudget.core.codes import data_text

        data = json.loads(data_text(LOOKS))
        sid = [style_id(props) for props in data["styles"]]
        restyled = lambda cells: [(r, c, value, sid[n]) for r, c, value, n in cells]  # noqa: E731
        header, header_style, sentence_style, settings = data["sentences"]
        _LOOKS.update(
            template=tuple(_replay(dict(look, settings=_settings(look["settings"]), cells=restyled(look["cells"])))
                           for look in data["template"]),
            tables={(kind, tuple(key)): sid[n] for kind, key, n in data["tables"]}, link=data["link"],
            sentences=(header, sid[header_style], sid[sentence_style], _settings(settings)))
    return _LOOKS


def stored_template() -> tuple[Replay, ...]:
    """The template's sheets as Replays, from the stored looks: what a fresh book starts from."""
    return _stored()["template"]


OPTIONS = {"strings_to_numbers": False, "strings_to_formulas": False, "strings_to_urls": False}  # text is text


def _workbook(target, options: dict):
    """An XlsxWriter Workbook at ``target`` (a path or a BytesIO) whose sheets are ``_worksheet_class()``'s."""
    import xlsxwriter

    wb = xlsxwriter.Workbook(target, options)
    wb.worksheet_class = _worksheet_class()
    return wb


_SHEET_CLASS: list = []  # per process: the class below, made once XlsxWriter is imported


def _worksheet_class():
    """XlsxWriter's Worksheet, except that a formula without "(" skips the ~155 rewrites XlsxWriter tries on every
    formula (a newer function's name before its "(": FILTER( → _xlfn._xlws.FILTER(), none of which can match one:
    the lists' ranges of our data validations (=代碼表!$A$2:$A$129). The same text is written; the rewrites were
    ~1.5 ms of each book, and compiling their patterns ~10 ms of the first book of each process (each worker's).
    A number given as an attribute (a styled cell's style index) is written as it is without the TypeError
    XlsxWriter's escaping raises and catches on it, one a styled cell (issue 13)."""
    if not _SHEET_CLASS:
        from xlsxwriter.worksheet import Worksheet

        escape = Worksheet._escape_attributes

        class Sheet(Worksheet):
            def _escape_attributes(self, attribute):
                # a number (a styled cell's style index, a row's number) has nothing to escape: XlsxWriter's own
                # learns that from the TypeError its pattern raises on it and returns it as it is, one exception a
                # styled cell (4,500 a 77-item book); a text is escaped by XlsxWriter's own (the same bytes)
                if not isinstance(attribute, str):
                    return attribute
                return escape(self, attribute)

            def _prepare_formula(self, formula, expand_future_functions=False):
                if "(" in formula:
                    return super()._prepare_formula(formula, expand_future_functions)
                # what XlsxWriter's does to it: array braces and the leading = taken off
                if formula.startswith("{"):
                    formula = formula[1:]
                if formula.startswith("="):
                    formula = formula[1:]
                if formula.endswith("}"):
                    formula = formula[:-1]
                return formula

            def _assemble_xml_file(self):
                # the sheet's XML written, its last use: XlsxWriter gives each sheet the workbook's add_format (a
                # bound method: workbook → sheet → workbook), a cycle that left every cell of the book (7,400
                # objects a 77-item book) to the cyclic collector after it; let go, they are freed with the
                # workbook as it is dropped (the same bytes; issue 13)
                super()._assemble_xml_file()
                self.workbook_add_format = None

        _SHEET_CLASS.append(Sheet)
    return _SHEET_CLASS[0]


IN_MEMORY_ROWS = 10_000  # rows of tables and input sheets up to which write_book keeps a book's parts in memory


def write_book(target: str | Path, template: tuple[Replay, ...], fills: dict, tables, agency,
               sentences: list[str], narrative: str) -> None:
    """Convert's output book at ``target``: the template (``stored_template``'s Replays) with the book's values
    (``fills``, from app.template.fill_plan), each table on the sheet named by its title, the 目次 links and
    the figure sentences on the ``narrative`` sheet — what pipeline.build_workbook writes into a filled template.

    Raises NotPlain for a value XlsxWriter would store otherwise than openpyxl (a date, a text it would cut);
    the file at ``target`` is then unfinished: write that book the openpyxl way.
    """
    from xlbudget.derive.narrative import NARRATIVE_COLUMN
    from xlbudget.core.titles import CONTENTS
    from xlbudget.forms.layout import layout_table

    sheets: dict[str, list] = {r.name: [r, None, None] for r in template}  # name → [replay, fill, table]
    for name, fill in fills.items():
        sheets.setdefault(name, [None, None, None])[1] = fill
    for table in tables:
        sheets[table.sheet_name] = [None, None, table]  # a table replaces a sheet of its name, in place
    names = list(sheets)
    if CONTENTS in sheets and sheets[CONTENTS][2] is None:
        raise NotPlain("目次 is not a table")  # never made by derive_all: the openpyxl writer links any sheet
    # a book of up to IN_MEMORY_ROWS rows keeps its parts in memory and zips them as XlsxWriter zips its temporary
    # files (zip_parts: the same bytes): a temporary file a part (made, written, read back, removed: 30-odd parts)
    # cost 10-12 ms of CPU of a 77-item book's 50. A larger one's go to temporary files, XlsxWriter's default: a
    # 20,000-item book peaks at 113 MB instead of 162, and is no slower
    rows = sum(len(t.rows) for t in tables) + sum(len(f.rows) for f in fills.values())
    parts: dict[str, bytes] | None = {} if rows <= IN_MEMORY_ROWS else None
    wb = _workbook(str(target), OPTIONS) if parts is None else _unzipped(parts, strict=True)
    fmt = Formats(wb)
    for name, (replay, fill, table) in sheets.items():
        xws = wb.add_worksheet(name)
        if table is not None:
            _write_table(xws, fmt, layout_table(table, agency), title_columns(table),
                         names if name == CONTENTS else None)
            continue
        skip = NARRATIVE_COLUMN - 1 if name == narrative else -1  # the sentences' column: ours, rewritten
        settings = replay.settings if replay else None
        if replay:
            _merge(xws, replay.merges)
            _write_groups(xws, fmt, replay.head, skip)
            if not (fill and fill.replace_rows):
                _write_groups(xws, fmt, replay.body, skip)
        if fill:
            _write_fill(xws, fmt, fill, skip)
        if name == narrative:
            settings = _write_sentences(xws, fmt, sentences, settings)
        if settings and fill and fill.replace_rows:  # 基本資料: its lists on his rows of their 項目 (fill_template's)
            from xlbudget.forms.inputs import agency_rows, placed_agency_lists

            lists = placed_agency_lists([(refs[0], dv) for refs, dv in settings["validations"]], agency_rows(fill))
            settings = dict(settings, validations=[([ref], dv) for ref, dv in lists])
        if settings:
            apply_settings(xws, settings)
    wb.close()
    if parts is not None:
        zip_parts(target, parts)


def _utf8(text: str) -> bytes:
    """A part's text as UTF-8; a file name in it that is not (Big5 bytes on Linux) shown with replacement characters
    (errors.shown_text), never a failed write that loses the whole summary (field report 5 §4.1)."""
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        from xlbudget.core.errors import shown_text

        return shown_text(text).encode("utf-8")


def _unzipped(parts: dict[str, bytes], strict: bool = False):
    """A Workbook in memory whose package's parts go to ``parts`` ({part name: bytes}, in XlsxWriter's order),
    never zipped: its packager is replaced (Workbook._get_packager, XlsxWriter's hook for another packager).
    ``strict``: text that is not UTF-8 raises UnicodeEncodeError, as XlsxWriter's own temporary files do, rather
    than being shown with replacement characters (``_utf8``)."""
    import io

    unzipped = _unzipped_class()
    encode = str.encode if strict else _utf8
    wb = _workbook(io.BytesIO(), dict(OPTIONS, in_memory=True))
    wb._get_packager = lambda: unzipped(parts, encode)
    return wb


_UNZIPPED: list = []  # per process: the packager class below, made once XlsxWriter is imported (as _SHEET_CLASS)


def _unzipped_class():
    """XlsxWriter's Packager, putting each part's bytes into a dict instead of a zip (``_unzipped``'s)."""
    if not _UNZIPPED:
        from xlsxwriter.packager import Packager

        class Unzipped(Packager):
            def __init__(self, parts: dict[str, bytes], encode):
                super().__init__()
                self._parts, self._encode = parts, encode

            def _create_package(self):
                parts, encode = self._parts, self._encode
                for stream, name, binary in super()._create_package():
                    parts[name] = stream.getvalue() if binary else encode(stream.getvalue())
                return []  # nothing to zip

        _UNZIPPED.append(Unzipped)
    return _UNZIPPED[0]


def zip_parts(target: str | Path, parts: dict[str, bytes]) -> None:
    """The package of ``parts`` at ``target``, byte for byte as XlsxWriter zips it in its default mode (each
    part written to a temporary file first, then zipped from it: dated 1980-01-31, a temporary file's mode
    0600, deflated), without a temporary file a part: its create, write, read and remove cost 轉換摘要.xlsx
    3–5 ms of CPU of its 10–12 (and wall on a busy disk)."""
    import zipfile

    from xlbudget.adapters.package import new_part

    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=False) as package:
        for name, data in parts.items():
            package.writestr(new_part(name), data)


def write_schedules(tables, layouts: dict, names: list[str], sentences: list[str] | None = None,
                    narrative: str | None = None) -> dict[str, bytes]:
    """Only build's generated sheets, for splicing into the officer's own file (adapters.splice): each table on a
    sheet named by its title, in ``tables``' order, as ``layouts`` ({sheet name: layout.layout_table's}) places
    it, the 目次 linking to the sheets of ``names`` (the spliced
    book's order); with ``narrative``, a sheet of that name holding only 總說明's figure sentences (column D),
    as pipeline.build_workbook writes them. Returns the package's parts ({part name: bytes}), as XlsxWriter's
    packager makes them, never zipped: splicing would only inflate them again.

    Raises NotPlain as write_book does.
    """
    from xlbudget.core.titles import CONTENTS
    from xlbudget.forms.overwrite import RECORD_NAME, built_record

    parts: dict[str, bytes] = {}
    wb = _unzipped(parts)
    fmt = Formats(wb)
    for table in tables:
        name = table.sheet_name
        xws = wb.add_worksheet(name)
        _write_table(xws, fmt, layouts[name], title_columns(table), names if name == CONTENTS else None)
        # what build wrote, for the next build to know its own figures from the officer's (forms.overwrite): a
        # hidden name scoped to the sheet, as define_name keeps them ([name, sheet, formula, hidden]), given the
        # sheet by its index (define_name finds no sheet whose name holds an apostrophe: 考察'訪問)
        wb.defined_names.append([RECORD_NAME, xws.index, built_record(layouts[name]), True])
    if narrative is not None:
        xws = wb.add_worksheet(narrative)
        apply_settings(xws, _write_sentences(xws, fmt, sentences or [], None))
    wb.close()
    return parts


def write_report(target: str | Path, sheets: list[tuple]) -> None:
    """A workbook of rows and laid-out tables written with XlsxWriter (convert's 轉換摘要), as openpyxl cells
    and printing.write_layout give it. Each of ``sheets`` is (name, rows, tables, widths, page): ``rows``
    are (0-based row, column, value, bold) cells, text kept text (``formulas.keep_text``); ``tables`` are
    (0-based first row, SheetLayout), the first at the top of the sheet with its page setup, each next one
    below it widening columns only; ``widths`` 0-based column → width; ``page`` a sheet of rows' print setup
    (forms.pages.PageSetup, as printing.apply_page gives an openpyxl sheet), or None.
    Raises NotPlain for a value XlsxWriter would store otherwise than openpyxl."""
    parts: dict[str, bytes] = {}
    wb = _unzipped(parts)
    fmt = Formats(wb)
    for name, rows, tables, widths, page in sheets:
        xws = wb.add_worksheet(name)
        above = None
        for top, layout in tables:
            _write_table(xws, fmt, layout, layout.title_cols, top=top, above=above)
            above = layout.widths if above is None else _widened(layout.widths, above)
        if page is not None:
            _set_page(xws, page, widths, {})
        else:
            set_sizes(xws, widths, {})
        if not tables and page is None:  # openpyxl's margins, as the tables' page setup gives them theirs
            left, right, top, bottom, header, footer = SHEET_MARGINS
            xws.set_margins(left, right, top, bottom)
            xws.set_header("", {"margin": header})
            xws.set_footer("", {"margin": footer})
        bold = style_id({"bold": True})
        for r, c, value, strong in rows:
            sid = bold if strong else 0
            kind = value.__class__
            if value is None:
                continue
            if kind is str:
                if not value:
                    continue  # openpyxl writes an empty text as an empty cell
                if xws.write_string(r, c, value, fmt(_quoted(sid) if reads_as_formula(value) else sid)):
                    raise NotPlain("text longer than 32,767 characters")
            elif kind is int or kind is float:
                xws.write_number(r, c, value, fmt(sid))
            elif kind is bool:
                xws.write_boolean(r, c, value, fmt(sid))
            else:
                raise NotPlain(kind.__name__)
    wb.close()
    zip_parts(target, parts)


def write_marks(layout, names: list[str], fills: dict, state: tuple[tuple, list[tuple]]) -> dict[str, bytes]:
    """check --mark's two sheets, for splicing into the officer's own file (adapters.splicemark): 檢核結果 as
    forms/results lays it out (``layout``, a ResultsSheet) and styled as adapters.marking styles it (title, bold
    rows, each finding's 嚴重度 filled by ``fills`` {Severity: ARGB}, figures #,##0, 說明 wrapped, 位置 linking to its
    cell when ``names`` holds its sheet, widths, printed as forms.pages.RESULTS_PAGE says), then the state
    sheet (``state``: header and rows of text). Returns the package's parts, never zipped, as write_schedules."""
    from xlbudget.core.formulas import Formula
    from xlbudget.forms.pages import RESULTS_PAGE
    from xlbudget.forms.results import RESULT_SHEET, RESULTS_WIDTHS, STATE_SHEET

    parts: dict[str, bytes] = {}
    wb = _unzipped(parts)
    fmt = Formats(wb)
    names = set(names)

    def put(xws, r: int, c: int, value, props: dict) -> None:
        sid = style_id(props)
        if value is None or value == "":
            if props:
                xws.write_blank(r, c, None, fmt(sid))
        elif isinstance(value, Formula):  # the state's references to the marked cells, which Excel moves with them
            xws.write_formula(r, c, value, fmt(sid), "")
        elif isinstance(value, str):
            if xws.write_string(r, c, value, fmt(_quoted(sid) if reads_as_formula(value) else sid)):
                raise NotPlain("text longer than 32,767 characters")
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            xws.write_number(r, c, value, fmt(sid))
        else:
            xws.write_string(r, c, str(value), fmt(sid))

    xws = wb.add_worksheet(RESULT_SHEET)
    styles: dict[tuple[int, int], dict] = {(0, 0): {"bold": True, "font_size": 14}}
    for r in layout.bold_rows:
        for c, value in enumerate(layout.rows[r]):
            if value is not None and (r, c) not in styles:
                styles[r, c] = {"bold": True}
    for r, f in layout.findings:
        styles[r, 1] = {"pattern": 1, "bg_color": "#" + fills[f.severity][2:]}
        styles[r, 5] = styles[r, 6] = {"num_format": "#,##0"}
        styles[r, 7] = {"text_wrap": True, "valign": "top"}
    links = {r: cell for r, cell in layout.links if cell.sheet in names}
    for r, row in enumerate(layout.rows):
        for c, value in enumerate(row):
            if c == 4 and r in links and value:
                quoted = links[r].sheet.replace("'", "''")
                xws.write_url(r, c, f"internal:'{quoted}'!{links[r].cell}",
                              fmt(style_id({"font_color": "#0563C1", "underline": 1})), string=str(value))
            else:
                put(xws, r, c, value, styles.get((r, c), {}))
    apply_settings(xws, dict(page_settings(RESULTS_PAGE), widths=dict(enumerate(RESULTS_WIDTHS)), heights={},
                             validations=[], state="visible"))
    header, rows = state
    state_ws = wb.add_worksheet(STATE_SHEET)
    for r, row in enumerate([header, *rows]):
        for c, value in enumerate(row):
            put(state_ws, r, c, value, {})
    wb.close()
    return parts
