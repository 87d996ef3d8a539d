"""產生報表's page setup, the button's whole path through xlwings' remote book engine: build_schedules →
xlwings_book.write_table → apply_page(table_page(layout) → page_scale). What each table sheet is given is
recorded where apply_page receives it; the remote engine itself can set none of it (test_xlwings_pages: 執行紀錄
names it), desktop Excel takes it through COM (replayed below through the stand-in test_xlwings_pages records with).

Expected values are worked by hand from the sheets' column widths (units of 7 pt, forms.layout.SCALE_UNIT) and a
landscape A4 between 0.4 in side margins: 842 − 2 × 0.4 × 72 = 784.4 pt; and the CLI's own book of the same inputs
(`xlbudget build`) must print every table the same way.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from xlwings_json import book_json, run_script  # sets XLWINGS_ON_SERVER first
from test_publish_pages import _generated_book
from test_xlwings_pages import Recorder

from xlbudget.adapters import xlwings_book as xb
from xlbudget.forms.pages import PageSetup

FOOTER = "第 &P 頁，共 &N 頁"
SPREAD = "各項費用彙計表"
FUNCTION = "歲出按職能及經濟性綜合分類表"
PLANS = "歲出計畫說明提要與各項費用明細表"


@pytest.fixture(scope="module")
def given(tmp_path_factory) -> tuple[dict[str, PageSetup], Path]:
    """The PageSetup 產生報表 gives each table sheet of a 60-line book of 30 plans (bench's make_book), through the
    remote engine, and the book `xlbudget build` makes of the same inputs."""
    from xlbudget.addin import buttons
    from xlbudget.cli import main

    work = tmp_path_factory.mktemp("button-pages")
    source = _generated_book(work / "三十計畫.xlsx", 60, 30)
    pages: dict[str, PageSetup] = {}
    apply_page = xb.apply_page

    def recorded(sheet, page):
        pages[sheet.name] = page
        return apply_page(sheet, page)

    xb.apply_page = recorded
    try:
        run_script(buttons, "build_schedules", book_json(load_workbook(source)))
    finally:
        xb.apply_page = apply_page
    built = work / "built.xlsx"
    assert main(["build", str(source), "-o", str(built)]) in (0, 1)
    return pages, built


def test_a_table_printed_across_pages_is_given_its_scale_breaks_and_label_column(given):
    """各項費用彙計表 of 30 plans: a label column of 28 and 31 columns of 13 (30 plans and 合計), in pages of 8
    plan columns (forms.layout.column_pages): columns 1–9, 10–17, 18–25 and 26–32, each page after the first with
    column A. The widest page is 28 + 8 × 13 = 132 units, 924 pt at 100 %: 784.4 / 924 = 84.9 % → 84 %; pages end
    after columns 9, 17 and 25. 歲出按職能及經濟性綜合分類表: broken before 資本移轉 (column 14); its second page
    is column A (22) and columns 14–28 (13 of 10 and two of 11: 152), 174 units, 1,218 pt: 784.4 / 1,218 = 64.4 %
    → 64 %."""
    pages, _ = given
    spread = pages[SPREAD]
    assert (spread.paper, spread.landscape, spread.fit_width, spread.scale, spread.breaks) == (9, True, False, 84,
                                                                                              (9, 17, 25))
    assert (spread.title_rows, spread.title_cols, spread.freeze) == ((1, 6), 1, (7, 1))
    assert spread.margins == (0.4, 0.4, 0.5, 0.5, 0.5, 0.5)
    assert (spread.footer, spread.centred, spread.gridlines, spread.printed_grid) == (FOOTER, True, False, False)
    function = pages[FUNCTION]
    assert (function.landscape, function.fit_width, function.scale, function.breaks, function.title_cols) == (
        True, False, 64, (13,), 1)


def test_a_table_of_one_page_width_is_fitted_to_it(given):
    """The 明細表: columns 30, 6, 8, 13, 14, 48 = 119 units, wider than 110: landscape, one page wide, as many
    down as it takes; its header row 5 and the title block above it on every page. 目次 (narrower): portrait."""
    pages, _ = given
    plans = pages[PLANS]
    assert (plans.paper, plans.landscape, plans.fit_width, plans.scale, plans.breaks) == (9, True, True, None, ())
    assert (plans.title_rows, plans.title_cols, plans.margins) == ((1, 5), 0, (0.4, 0.4, 0.5, 0.5, 0.5, 0.5))
    assert (pages["目次"].landscape, pages["目次"].fit_width) == (False, True)


def test_each_table_sheet_is_given_what_the_cli_s_book_prints_it_with(given):
    """Every table sheet of `xlbudget build`'s book, read back: the button gave the same sheets the same paper,
    orientation, fit or scale, print titles, margins, column breaks, footer and centring."""
    pages, built = given
    wb = load_workbook(built)
    tables = [ws for ws in wb.worksheets if ws.oddFooter.center.text == FOOTER]
    assert sorted(ws.title for ws in tables) == sorted(pages)
    assert {SPREAD, FUNCTION, PLANS, "目次"} <= set(pages)
    for ws in tables:
        page, setup, margins = pages[ws.title], ws.page_setup, ws.page_margins
        fitted = bool(ws.sheet_properties.pageSetUpPr and ws.sheet_properties.pageSetUpPr.fitToPage)
        rows = tuple(int(r) for r in ws.print_title_rows.replace("$", "").split(":"))
        cols = ws.print_title_cols.replace("$", "").split(":")[-1] if ws.print_title_cols else ""
        assert (int(setup.paperSize), setup.orientation == "landscape", fitted) == (page.paper, page.landscape,
                                                                                  page.fit_width), ws.title
        if fitted:
            assert (int(setup.fitToWidth or 1), int(setup.fitToHeight)) == (1, 0), ws.title
        else:
            assert int(setup.scale) == page.scale, ws.title
        assert (rows, len(cols)) == (page.title_rows, page.title_cols), ws.title
        assert (margins.left, margins.right, margins.top, margins.bottom, margins.header,
                margins.footer) == page.margins, ws.title
        assert tuple(b.id for b in ws.col_breaks.brk) == page.breaks, ws.title
        assert bool(ws.print_options.horizontalCentered) == page.centred, ws.title


def test_windows_excel_is_told_the_scale_and_breaks_of_the_table_across_pages(given):
    """The PageSetup the button gave 各項費用彙計表, as desktop Excel's COM is told it: zoom 84, no fit, column A
    on every page, breaks left of columns 10, 18 and 26, side margins 28.8 pt, the others 36 pt."""
    pages, _ = given
    log: list = []
    assert xb._com_page_setup(Recorder(log), pages[SPREAD]) == []
    setup = dict(entry for entry in log if entry[0].startswith("PageSetup."))
    assert setup == {
        "PageSetup.PaperSize": 9, "PageSetup.Orientation": 2, "PageSetup.Zoom": 84,
        "PageSetup.PrintTitleRows": "$1:$6", "PageSetup.PrintTitleColumns": "$A:$A",
        "PageSetup.LeftMargin": 28.8, "PageSetup.RightMargin": 28.8, "PageSetup.TopMargin": 36.0,
        "PageSetup.BottomMargin": 36.0, "PageSetup.HeaderMargin": 36.0, "PageSetup.FooterMargin": 36.0,
        "PageSetup.CenterFooter": FOOTER, "PageSetup.CenterHorizontally": True, "PageSetup.PrintGridlines": False}
    assert [e for e in log if e[0] == "VPageBreaks.Add"] == [("VPageBreaks.Add", (f"Columns({c})",))
                                                            for c in (10, 18, 26)]
