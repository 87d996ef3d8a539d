"""One page geometry (forms.layout): the paper, the margins, the width unit a scale is found with and the whole
percent a sheet fits its page at, said once for build's page setup (forms.pages), the buttons (the same) and the
published book (app.publication, app.publish). Session 32 left three more copies: pages_scale's own 7.0 pt unit
and landscape width, print_scale's own fitting formula, forms.pages' margins and publication's 15 / 30 pt."""

from __future__ import annotations

from openpyxl import Workbook

from xlbudget.app.publish import print_scale, row_height
from xlbudget.forms import layout, pages
from xlbudget.forms.wrapping import LIBREOFFICE_DEJAVU


def test_the_page_between_its_margins_by_hand():
    # A4 595 × 842 pt; 0.4 in = 28.8 pt a side
    assert layout.page_width(True) == 842 - 57.6 == 784.4
    assert layout.page_width(False) == 595 - 57.6
    assert layout.page_width(False, 0.75, 0.75) == 595 - 108
    # 0.5 in above, 0.7 in below the published page
    assert layout.page_body(True) == 595 - 86.4
    assert layout.SCALE_UNIT == LIBREOFFICE_DEJAVU.unit == 7.0


def test_the_whole_percent_a_sheet_fits_its_page_by_hand():
    # the example's 明細表: 119 units · 7 pt = 833 pt on 784.4: 94.2 % → 94
    assert layout.fit_percent(784.4, 119) == 94
    # 300 units: 784.4 / 2,100 = 37.35 % → 37; a narrow sheet is never enlarged
    assert layout.fit_percent(784.4, 300) == 37
    assert layout.fit_percent(784.4, 50) == 100
    assert layout.pages_scale([119], [(1, 1)], 0) == 94
    assert layout.pages_scale([28] + [13] * 31, [(1, 9), (10, 17), (18, 25), (26, 32)], 1) == 84  # 132 units


def test_a_published_sheet_fitted_to_its_width_prints_at_the_scale_build_gives_its_columns():
    """publish.print_scale (a sheet fitted to its page width, as LibreOffice zooms it) and layout.pages_scale (the
    scale build sets a table printed across pages at) answer the same question for the same columns: one formula."""
    for units in (100, 119, 132, 150, 174, 200, 333):
        wb = Workbook()
        ws = wb.active
        ws.page_setup.orientation = "landscape"
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.page_setup.fitToWidth = 1
        ws.page_margins.left = ws.page_margins.right = layout.MARGIN_SIDE
        ws.column_dimensions["A"].width = units
        assert print_scale(ws, LIBREOFFICE_DEJAVU) == layout.pages_scale([units], [(1, 1)], 0) / 100, units


def test_margins_and_row_height_are_said_once():
    assert pages.SHEET_MARGINS is layout.SHEET_MARGINS == (0.75, 0.75, 1.0, 1.0, 0.5, 0.5)
    assert pages.PageSetup(landscape=True).margins == layout.SHEET_MARGINS
    assert pages.list_page().margins == layout.SHEET_MARGINS
    assert layout.TABLE_MARGINS == (0.4, 0.4, 0.5, 0.5, 0.5, 0.5)
    assert pages.wide_list_page([30] * 12).margins == layout.TABLE_MARGINS
    ws = Workbook().active
    ws.sheet_format.defaultRowHeight = 0  # none given: LibreOffice prints it 15 pt
    assert row_height(ws, 3) == layout.ROW_HEIGHT == 15.0
