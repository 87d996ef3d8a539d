"""Write derived tables into openpyxl worksheets in their printed form.

Positions come from ``layout.layout_table``; this module only adds what a
file can carry beyond values: fonts, borders, number formats, merges, sizes
and the A4 page setup with the header rows repeated on every page.
"""

from __future__ import annotations

import weakref
from copy import copy

from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.merge import MergedCellRange
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from xlbudget.core.formulas import keep_text
from xlbudget.forms.layout import (HEADER_SIZE, KIND_HEADER, KIND_UNIT, KIND_YEAR, TITLE_SIZES, SheetLayout,
                                   contents_target, layout_table, style_key, title_columns)
from xlbudget.forms.pages import PageSetup, table_page
from xlbudget.core.model import Agency
from xlbudget.core.titles import CONTENTS
from xlbudget.core.tables import BANNER, Table

FONT_NAME = "標楷體"
NUMBER_FORMAT = '#,##0;-#,##0;"-"'
_THIN = Side(style="thin", color="000000")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_FILL = PatternFill("solid", fgColor="F2F2F2")
_TITLE_FONTS = {kind: (size, kind != KIND_YEAR) for kind, size in TITLE_SIZES.items()}


def _font(size: float = 11, bold: bool = False) -> Font:
    return Font(name=FONT_NAME, size=size, bold=bold)


_STYLE_ARRAYS: "weakref.WeakKeyDictionary[Workbook, dict[tuple, object]]" = weakref.WeakKeyDictionary()


def style_cell(cell, kind: str, key: tuple) -> None:
    """The print style of one kind of cell (``key`` from ``style_key``)."""
    if kind in _TITLE_FONTS:
        cell.font = _font(*_TITLE_FONTS[kind])
        # wrapped: a 機關名稱 too long for the page prints on two lines (layout.title_height), not cut at both ends
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    elif kind == KIND_UNIT:
        cell.font = _font(10)
        cell.alignment = Alignment(horizontal="right")
    elif kind == KIND_HEADER:
        cell.font = _font(HEADER_SIZE, True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = _BORDER
        cell.fill = _HEADER_FILL
    elif kind == BANNER:
        cell.font = _font(11, True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        cell.border = _BORDER
    else:
        bold, column = key
        cell.font = _font(10, bold)
        cell.border = _BORDER
        if column == "amount":
            cell.number_format = NUMBER_FORMAT
            cell.alignment = Alignment(horizontal="right", vertical="top")
        elif column == "wrap":
            cell.alignment = Alignment(vertical="top", wrap_text=True)
        else:
            cell.alignment = Alignment(horizontal="center", vertical="top", wrap_text=True)


def write_layout(ws: Worksheet, layout: SheetLayout, top: int = 1, title_cols: int = 0) -> None:
    """Fill a worksheet with a laid-out table from row ``top``, styled for print.

    The page setup (repeated header rows and ``title_cols`` label columns,
    frozen panes) belongs to a table written at the top of its own sheet.
    """
    amount = set(layout.amount_columns)
    wide = {c for c in layout.wrap_columns if layout.widths[c - 1] >= 20}
    shift = top - 1
    # openpyxl hashes every new Font/Alignment it is given; style one cell per kind of cell and copy
    # its style array to the rest (the same styles, several times faster on a 300-item book)
    styled = _STYLE_ARRAYS.setdefault(ws.parent, {})  # style arrays index the workbook's tables: share per book
    # openpyxl's own cell registration (it also tracks the last row), without Worksheet.cell()'s per-call
    # lookups and validation, which cost a third of the time on a 300-item book
    add = ws._add_cell
    for r, row in enumerate(layout.values, start=1):
        kind = layout.kinds.get(r, "")
        for c, value in enumerate(row, start=1):
            key = style_key(kind, c, amount, wide)
            style = styled.get(key)
            if style is not None:
                add(keep_text(Cell(ws, row=r + shift, column=c, value=value, style_array=copy(style))))
                continue
            cell = keep_text(ws.cell(r + shift, c, value))
            style_cell(cell, kind, key)
            styled[key] = copy(cell._style)
    for r, c, number_format in layout.price_cells():  # a 單價 with 角 shows as typed (1.6), not as #,##0's 2
        ws.cell(r + shift, c).number_format = number_format
    for r1, c1, r2, c2 in layout.merges:
        # every cell of the range already carries its border: skip openpyxl's per-merge re-styling,
        # which costs more than writing the whole table
        ws.merged_cells.add(MergedCellRange(ws, f"{get_column_letter(c1)}{r1 + shift}:{get_column_letter(c2)}{r2 + shift}"))
    for r, height in layout.heights.items():
        ws.row_dimensions[r + shift].height = height
    for c, width in enumerate(layout.widths, start=1):
        letter = get_column_letter(c)
        # a second table lower on the sheet only widens columns
        ws.column_dimensions[letter].width = max(width, ws.column_dimensions[letter].width) if shift else width
    if not shift:
        page_setup(ws, layout, title_cols)


def page_setup(ws: Worksheet, layout: SheetLayout, title_cols: int = 0) -> None:
    """A table at the top of its own sheet, printed as forms.pages.table_page says."""
    apply_page(ws, table_page(layout, title_cols))


def apply_page(ws: Worksheet, page: PageSetup) -> None:
    """Give an openpyxl sheet the print setup ``page`` describes (forms.pages); what it leaves unsaid (no title
    rows, no freeze, no footer) stays as the sheet has it."""
    ws.page_setup.paperSize = page.paper
    ws.page_setup.orientation = "landscape" if page.landscape else "portrait"
    ws.sheet_properties.pageSetUpPr.fitToPage = page.fit_width
    if page.fit_width:
        ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    else:
        ws.page_setup.scale = page.scale
        for last in page.breaks:
            ws.col_breaks.append(Break(id=last))
    if page.title_rows:
        ws.print_title_rows = f"{page.title_rows[0]}:{page.title_rows[1]}"
    if page.title_cols:
        ws.print_title_cols = f"A:{get_column_letter(page.title_cols)}"
    if page.freeze:
        # by its name: ws.cell() would make the cell, and a sheet's next append would go below it
        ws.freeze_panes = f"{get_column_letter(page.freeze[1])}{page.freeze[0]}"
    m = ws.page_margins
    m.left, m.right, m.top, m.bottom, m.header, m.footer = page.margins
    if page.centred:
        ws.print_options.horizontalCentered = True
    if page.footer:
        ws.oddFooter.center.text = page.footer
    if not page.gridlines:
        ws.sheet_view.showGridLines = False
    if page.printed_grid:
        ws.print_options.gridLines = True


def write_table(ws: Worksheet, table: Table, agency: Agency) -> None:
    """Fill an empty worksheet with ``table`` in printed form, and record what was written (forms.overwrite: the
    next build knows its own figures from the officer's by it)."""
    from openpyxl.workbook.defined_name import DefinedName

    from xlbudget.forms.overwrite import RECORD_NAME, built_record

    layout = layout_table(table, agency)
    write_layout(ws, layout, title_cols=title_columns(table))
    ws.defined_names[RECORD_NAME] = DefinedName(RECORD_NAME, attr_text=built_record(layout), hidden=True)


def write_tables(wb: Workbook, tables: tuple[Table, ...], agency: Agency) -> None:
    """Write each table into the sheet named by its title, replacing only that sheet.

    Idempotent: an existing schedule sheet is removed and recreated at the
    same position, a new one placed among the tables in 目次 order (core.titles.table_order); every other sheet
    (inputs, the officer's own) is untouched.
    """
    from xlbudget.core.titles import table_order

    order = table_order(wb.sheetnames, [t.sheet_name for t in tables])
    shown = wb.active.title if wb.active is not None else None  # the officer's active sheet stays active
    for table in tables:
        name = table.sheet_name
        if name in wb.sheetnames:
            index = wb.sheetnames.index(name)
            wb.remove(wb[name])
        else:  # right after the sheet before it in the book as built (written already, or the book's own)
            at = order.index(name)
            index = wb.sheetnames.index(order[at - 1]) + 1 if at else 0
        ws = wb.create_sheet(name, index)
        write_table(ws, table, agency)
    if shown in wb.sheetnames:  # a sheet added before it moved it a tab on (its index is what the book keeps)
        wb.active = wb.sheetnames.index(shown)
    if CONTENTS in wb.sheetnames:
        link_contents(wb[CONTENTS], wb.sheetnames)


LINK_FONT = Font(name=FONT_NAME, size=11, color="0563C1", underline="single")


def link_contents(ws: Worksheet, sheetnames: list[str]) -> None:
    """Turn each 目次 line naming a sheet into a link to that sheet."""
    linked: list[str] = []
    for row in ws.iter_rows():
        cell = row[0]
        title = contents_target(cell.value, sheetnames, ws.title, linked)
        if title:
            linked.append(title)
            quoted = title.replace("'", "''")
            cell.hyperlink = Hyperlink(ref=cell.coordinate, location=f"'{quoted}'!A1", display=title)
            cell.font = LINK_FONT


from xlbudget.derive.narrative import NARRATIVE_COLUMN, NARRATIVE_HEADER  # noqa: E402  (re-exported: the writers share them)


def write_standard_sentences(ws: Worksheet, sentences: list[str]) -> None:
    """Write 預算總說明's figure sentences into column D of the 總說明 sheet, replacing our earlier ones."""
    for r in range(1, ws.max_row + 1):
        ws.cell(r, NARRATIVE_COLUMN).value = None
    header = ws.cell(1, NARRATIVE_COLUMN, NARRATIVE_HEADER)
    header.font = _font(11, True)
    header.fill = PatternFill("solid", fgColor="FFF2CC")
    for r, text in enumerate(sentences, start=2):
        cell = keep_text(ws.cell(r, NARRATIVE_COLUMN, text))
        cell.font = _font(11)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.column_dimensions[get_column_letter(NARRATIVE_COLUMN)].width = 90
