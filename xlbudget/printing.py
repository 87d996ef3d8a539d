"""Write derived tables into openpyxl worksheets in their printed form.

Agency name, title, 中華民國N年度 and unit above a multi-row header with merged
group cells; #,##0 amounts; borders; a CJK font; A4 page setup with the
header rows repeated on every page.
"""

from __future__ import annotations

from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from .model import Agency
from .tables import AMOUNT, BANNER, GROUP, LABEL, TOTAL, Table

FONT_NAME = "標楷體"
NUMBER_FORMAT = '#,##0;-#,##0;"-"'
_THIN = Side(style="thin", color="000000")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_FILL = PatternFill("solid", fgColor="F2F2F2")
_TITLE_ROWS = 4  # agency, title, subtitle/year, unit


def _font(size: float = 11, bold: bool = False) -> Font:
    return Font(name=FONT_NAME, size=size, bold=bold)


def _header_cells(table: Table) -> list[list[str | None]]:
    """Header text per header row and column; None where a merged cell continues."""
    depth = table.header_depth
    grid: list[list[str | None]] = [[None] * len(table.columns) for _ in range(depth)]
    for c, col in enumerate(table.columns):
        for level, text in enumerate(col.header):
            grid[level][c] = text
    return grid


def _header_merges(table: Table) -> list[tuple[int, int, int, int]]:
    """(first row, first col, last row, last col) offsets of merged header cells."""
    depth = table.header_depth
    merges = []
    cols = table.columns
    for c, col in enumerate(cols):
        last = len(col.header) - 1
        if last < depth - 1:
            merges.append((last, c, depth - 1, c))  # a short path stretches down
    for level in range(depth - 1):
        c = 0
        while c < len(cols):
            path = cols[c].header[: level + 1]
            end = c
            if len(cols[c].header) > level + 1:
                while (end + 1 < len(cols) and len(cols[end + 1].header) > level + 1
                       and cols[end + 1].header[: level + 1] == path):
                    end += 1
            if end > c:
                merges.append((level, c, level, end))
            c = end + 1
    return merges


def _lines(text: str, width: float) -> int:
    """Printed lines of wrapped CJK text in a column of ``width`` (a CJK character is about 2 units)."""
    def units(part: str) -> float:
        return sum(1.75 if ord(ch) >= 0x2E80 else 1.0 for ch in part)

    room = max(width - 1, 1)
    return sum(max(1, -int(-units(part) // room)) for part in text.split("\n"))


def _header_lines(table: Table, header, level: int, merges) -> int:
    """Lines the header row ``level`` needs for its cells that are not merged across rows."""
    spans = {(r0, c0): (r1, c1) for r0, c0, r1, c1 in merges}
    need = 1
    for c, text in enumerate(header[level]):
        if not text:
            continue
        r1, c1 = spans.get((level, c), (level, c))
        if r1 != level:
            continue
        width = sum(col.width for col in table.columns[c:c1 + 1])
        need = max(need, _lines(text, width))
    return need


def write_table(ws: Worksheet, table: Table, agency: Agency) -> None:
    """Fill an empty worksheet with ``table`` in printed form."""
    ncols = len(table.columns)
    last = get_column_letter(ncols)
    titles = [
        (agency.name, _font(14, True)),
        (table.title, _font(16, True)),
        (f"中華民國{agency.year}年度" + (f"　{table.subtitle}" if table.subtitle else ""), _font(12)),
    ]
    for r, (text, font) in enumerate(titles, start=1):
        ws.cell(r, 1, text).font = font
        ws.cell(r, 1).alignment = Alignment(horizontal="center", vertical="center")
        ws.merge_cells(f"A{r}:{last}{r}")
    unit = ws.cell(_TITLE_ROWS, ncols, f"單位：新臺幣{table.unit}")
    unit.font = _font(10)
    unit.alignment = Alignment(horizontal="right")
    ws.row_dimensions[2].height = 24

    top = _TITLE_ROWS + 1
    depth = table.header_depth
    header = _header_cells(table)
    for level in range(depth):
        for c in range(ncols):
            cell = ws.cell(top + level, c + 1, header[level][c])
            cell.font = _font(10, True)
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            cell.border = _BORDER
            cell.fill = _HEADER_FILL
    merges = _header_merges(table)
    for r0, c0, r1, c1 in merges:
        ws.merge_cells(start_row=top + r0, start_column=c0 + 1, end_row=top + r1, end_column=c1 + 1)
    for level in range(depth):
        ws.row_dimensions[top + level].height = 15 * _header_lines(table, header, level, merges)

    r = top + depth
    for row in table.rows:
        if row.style == BANNER:
            cell = ws.cell(r, 1, row.name)
            cell.font = _font(11, True)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            for c in range(1, ncols + 1):
                ws.cell(r, c).border = _BORDER
            ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=ncols)
            ws.row_dimensions[r].height = 16 * _lines(row.name, sum(col.width for col in table.columns))
            r += 1
            continue
        bold = row.style == TOTAL
        # neither Excel nor LibreOffice grows a row for wrapped text on open: size it here
        lines = max((_lines(str(row.cells.get(col.key) or ""), col.width)
                     for col in table.columns if col.kind != AMOUNT), default=1)
        if lines > 1:
            ws.row_dimensions[r].height = 14 * lines
        for c, col in enumerate(table.columns, start=1):
            value = row.cells.get(col.key)
            cell = ws.cell(r, c, value if value != "" else None)
            cell.border = _BORDER
            cell.font = _font(10, bold)
            if col.kind == AMOUNT:
                cell.number_format = NUMBER_FORMAT
                cell.alignment = Alignment(horizontal="right", vertical="top")
            elif col.kind == LABEL or col.width >= 20:
                cell.alignment = Alignment(vertical="top", wrap_text=True)
            else:
                cell.alignment = Alignment(horizontal="center", vertical="top", wrap_text=True)
        r += 1

    for c, col in enumerate(table.columns, start=1):
        ws.column_dimensions[get_column_letter(c)].width = col.width
    ws.freeze_panes = ws.cell(top + depth, 1)
    ws.print_title_rows = f"1:{top + depth - 1}"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if sum(c.width for c in table.columns) > 110 else "portrait"
    # the widest tables print over two landscape pages, as the seed prints 職能及經濟性綜合分類表
    wide = sum(c.width for c in table.columns) > 250
    ws.page_setup.fitToWidth = 2 if wide else 1
    if wide:
        labels = sum(c.kind == LABEL for c in table.columns)
        ws.print_title_cols = f"A:{get_column_letter(labels)}"
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.5
    ws.oddFooter.center.text = "第 &P 頁，共 &N 頁"
    ws.sheet_view.showGridLines = False


def write_tables(wb: Workbook, tables: tuple[Table, ...], agency: Agency) -> None:
    """Write each table into the sheet named by its title, replacing only that sheet.

    Idempotent: an existing schedule sheet is removed and recreated at the
    same position; every other sheet (inputs, the officer's own) is untouched.
    """
    for table in tables:
        name = table.title[:31]
        index = None
        if name in wb.sheetnames:
            index = wb.sheetnames.index(name)
            wb.remove(wb[name])
        ws = wb.create_sheet(name, index)
        write_table(ws, table, agency)
