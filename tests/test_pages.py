"""How a sheet prints is said once (forms.pages) and replayed by each writer: openpyxl (printing.apply_page),
XlsxWriter (xlsxstyle.page_settings → apply_settings: convert, check --mark's 檢核結果) and xlwings (the buttons)."""

from __future__ import annotations

import openpyxl
import pytest

from xlbudget.adapters.printing import apply_page
from xlbudget.adapters.xlsxstyle import page_settings, sheet_settings
from xlbudget.forms.layout import HEADER_TOP, SheetLayout
from xlbudget.forms.pages import LIST_PAGE, RESULTS_PAGE, list_page, table_page

# the print part of sheet_settings
PRINT_KEYS = ("freeze", "title_rows", "title_cols", "paper", "orientation", "fit", "centre", "print_grid", "margins",
              "footer", "show_grid")


def _layout(width: float, across: int, depth: int = 2) -> SheetLayout:
    return SheetLayout([], [], {}, widths=[width / across] * across, header_rows=(HEADER_TOP, HEADER_TOP + depth - 1),
                       pages=[(p, p) for p in range(1, across + 1)])


PAGES = {"list": LIST_PAGE, "list 4:4": list_page((4, 4)), "results": RESULTS_PAGE,
         "portrait table": table_page(_layout(100, 1)), "landscape table": table_page(_layout(200, 1), 1),
         "table across pages": table_page(_layout(300, 3), 2)}


def _printed(page) -> dict:
    ws = openpyxl.Workbook().active
    apply_page(ws, page)
    settings = sheet_settings(ws)
    return {k: settings[k] for k in PRINT_KEYS}


@pytest.mark.parametrize("name", PAGES)
def test_xlsxwriter_settings_are_what_openpyxl_is_given(name):
    """The settings XlsxWriter writes from a description are those openpyxl's sheet carries given the same."""
    assert page_settings(PAGES[name]) == _printed(PAGES[name])


def test_a_table_page_by_hand():
    """A 100-wide table with header rows 5–6 (HEADER_TOP 5): portrait A4 one page wide, rows 1–6 on every page,
    frozen at A7, side margins 0.4 in (MARGIN_SIDE), top and bottom 0.5 in, centred, 第 &P 頁，共 &N 頁, no grid."""
    assert HEADER_TOP == 5
    assert _printed(table_page(_layout(100, 1))) == {
        "freeze": "A7", "title_rows": (0, 5), "title_cols": None, "paper": 9, "orientation": "portrait", "fit": (1, 0),
        "centre": True, "print_grid": False, "margins": (0.4, 0.4, 0.5, 0.5, 0.5, 0.5), "footer": "第 &P 頁，共 &N 頁",
        "show_grid": False}


def test_the_marked_results_sheet_prints_as_openpyxls(tmp_path):
    """check --mark writes 檢核結果 with XlsxWriter (spliced into the officer's file) and the openpyxl marker writes
    it too: both print it landscape A4 one page wide, frozen at A5, with a sheet's ordinary margins (0.75 in at
    the sides, 1 in top and bottom, 0.5 in header and footer). XlsxWriter's own margins were 0.7 / 0.75 / 0.3."""
    from xlbudget.adapters.marking import mark_workbook
    from xlbudget.cli import main
    from xlbudget.core.findings import make_finding
    from xlbudget.core.model import CellRef
    from xlbudget.forms.results import RESULT_SHEET

    from test_convert import EXAMPLE

    book = tmp_path / "預算書.xlsx"
    wb = openpyxl.load_workbook(EXAMPLE)
    wb["歲出明細"]["H24"] = 33_000  # 數量 1 × 單價 32,000: an error to mark
    wb.save(book)
    marked = tmp_path / "標示.xlsx"
    assert main(["check", str(book), "--mark", "-o", str(marked)]) == 1
    spliced = openpyxl.load_workbook(marked)
    assert "xlbudget標示紀錄" in spliced.sheetnames
    by_hand = {"freeze": "A5", "title_rows": None, "title_cols": None, "paper": 9, "orientation": "landscape",
               "fit": (1, 0), "centre": False, "print_grid": False, "margins": (0.75, 0.75, 1.0, 1.0, 0.5, 0.5),
               "footer": None, "show_grid": True}
    settings = sheet_settings(spliced[RESULT_SHEET])
    assert {k: settings[k] for k in PRINT_KEYS} == by_hand

    wb = openpyxl.Workbook()
    wb.active.title = "歲出明細"
    mark_workbook(wb, [make_finding("object-name-mismatch", CellRef("歲出明細", "D2"), expected="資訊服務費",
                                    actual="", code="2018")])
    wb.save(tmp_path / "openpyxl.xlsx")
    settings = sheet_settings(openpyxl.load_workbook(tmp_path / "openpyxl.xlsx")[RESULT_SHEET])
    assert {k: settings[k] for k in PRINT_KEYS} == by_hand


@pytest.mark.parametrize("depth", (1, 2, 3, 4))
@pytest.mark.parametrize("width,title_cols,across", [(100, 0, 1), (200, 0, 1), (300, 0, 2), (300, 1, 2), (300, 2, 2),
                                                     (300, 3, 2)])
def test_every_table_shape_replays_alike(depth, width, title_cols, across):
    """The table shapes xlsx-looks.json stored as openpyxl gave them, before convert replayed table_page itself."""
    page = table_page(_layout(width, across, depth), title_cols)
    assert page_settings(page) == _printed(page)
