"""How a sheet prints, as data: one description per kind of sheet, replayed by each writer.

A table (``table_page``), a list sheet (``LIST_PAGE``, ``list_page``; ``wide_list_page`` wider than a page) and
檢核結果 (``RESULTS_PAGE``) are said here once; adapters.printing.apply_page gives an openpyxl sheet the description,
adapters.xlsxstyle.page_settings turns it into the settings adapters.xlsxstyle.apply_settings writes with XlsxWriter,
and adapters.xlwings_book.apply_page sets it through xlwings (Excel's PageSetup on the desktop).
"""

from __future__ import annotations


from xlbudget.forms.layout import (SHEET_MARGINS, TABLE_MARGINS, SheetLayout, page_scale, page_shape, pages_scale,
                                   split_columns)
from xlbudget.core.records import record

A4 = 9  # the paper size code Excel, openpyxl and XlsxWriter share
PAGE_NUMBERS = "第 &P 頁，共 &N 頁"  # the centre footer: 第 3 頁，共 12 頁


@record
class PageSetup:
    """A sheet's print setup (A4). Margins in inches; rows and columns 1-based.

    ``fit_width``: one page wide and as many pages down as it takes; else printed at ``scale`` %, a page
    ending after each column of ``breaks``. ``title_rows`` (first, last) and the first ``title_cols`` columns
    print on every page; ``freeze`` is the first cell below and right of the frozen panes. ``printed_grid``: the
    cell grid printed (a list typed by hand, its rows told apart), ``gridlines`` showing it on screen.
    """

    landscape: bool
    fit_width: bool = True
    scale: int | None = None
    breaks: tuple[int, ...] = ()
    title_rows: tuple[int, int] | None = None
    title_cols: int = 0
    freeze: tuple[int, int] | None = None
    margins: tuple[float, float, float, float, float, float] = SHEET_MARGINS  # left, right, top, bottom, header, footer
    footer: str = ""
    centred: bool = False
    gridlines: bool = True  # on screen
    paper: int = A4
    printed_grid: bool = False


# the sheets that are lists (input sheets, 說明): landscape A4, fitted to the page width, as many pages down as it
# takes; tables set their own (table_page); the PDF's sheets print at a scale of their own (app.publication)
LIST_PAGE = PageSetup(landscape=True)
RESULTS_PAGE = PageSetup(landscape=True, freeze=(5, 1))  # 檢核結果: panes frozen below its header (row 4)
# an input sheet (xlbudget new, 新增範本): a list, its header row on every page and frozen, its grid printed
INPUT_PAGE = PageSetup(landscape=True, title_rows=(1, 1), freeze=(2, 1), printed_grid=True)


def list_page(title_rows: tuple[int, int] = (1, 1)) -> PageSetup:
    """A list sheet printed as an officer attaches it: LIST_PAGE with its header row on every page and page
    numbers in the footer."""
    return PageSetup(landscape=True, title_rows=title_rows, footer=PAGE_NUMBERS)


def wide_list_page(widths, label_cols: int = 1) -> PageSetup:
    """A list wider than a landscape page (convert's 摘要: 16 columns, 348 width units), printed as a table wider
    than a page is: across landscape pages of columns (forms.layout.split_columns), at the one scale the widest
    fits between a table's side margins (pages_scale), its header row and first ``label_cols`` columns (what names
    the row) on every page, frozen below and right of them, page numbers in the footer. ``widths``: each column's,
    in order. list_page would fit it to one page's width at about 40 %: 4-point type."""
    pages = split_columns(list(widths), label_cols)
    return PageSetup(landscape=True, fit_width=False, scale=pages_scale(list(widths), pages, label_cols),
                     breaks=tuple(last for _, last in pages[:-1]), title_rows=(1, 1), title_cols=label_cols,
                     freeze=(2, label_cols + 1), margins=TABLE_MARGINS,
                     footer=PAGE_NUMBERS)


def table_page(layout: SheetLayout, title_cols: int = 0) -> PageSetup:
    """A table at the top of its own sheet: A4, portrait or landscape by its width, fitted to the page width
    (or, printed across pages, at one scale with a break after each page), header rows (and ``title_cols`` label
    columns) on every page, frozen below the header, centred, page numbers in the footer, no grid lines."""
    last_header, landscape, wide_table, title_cols = page_shape(layout, title_cols)
    return PageSetup(
        landscape=landscape, fit_width=not wide_table,
        scale=page_scale(layout, title_cols) if wide_table else None,
        breaks=tuple(last for _, last in layout.pages[:-1]) if wide_table else (),
        title_rows=(1, last_header), title_cols=title_cols, freeze=(last_header + 1, 1),
        margins=TABLE_MARGINS, footer=PAGE_NUMBERS, centred=True, gridlines=False)
