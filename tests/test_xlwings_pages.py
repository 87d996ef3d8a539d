"""The buttons print the tables and 檢核結果 as the CLI's books do (forms.pages, replayed by xlwings_book.apply_page).

xlwings Lite / Server (the remote engine, run here through xlwings' own dispatch): frozen panes and grid lines are
set; paper, margins, print titles and the rest cannot be set by a web add-in, and 執行紀錄 says which. Desktop
Excel: its PageSetup through ``sheet.api``, tested with stand-ins that record what COM (Windows) and AppleScript
(macOS) would be told, since no Excel runs here.
"""

from __future__ import annotations

import sys
import types

from xlwings_json import book_json, run_script, sheet_order, sheet_values  # sets XLWINGS_ON_SERVER first

from xlbudget.adapters import xlwings_book as xb
from xlbudget.adapters.printing import write_tables
from xlbudget.adapters.xlsxfile import input_grids
from xlbudget.derive.book import derive_all
from xlbudget.readers.inputs import read_book
from xlbudget.app.example import example_workbook
from xlbudget.forms.layout import HEADER_TOP, SheetLayout
from xlbudget.forms.pages import RESULTS_PAGE, table_page

FOOTER = "第 &P 頁，共 &N 頁"


def _layout(width: float, across: int, depth: int = 2) -> SheetLayout:
    return SheetLayout([], [], {}, widths=[width / across] * across, header_rows=(HEADER_TOP, HEADER_TOP + depth - 1),
                       pages=[(p, p) for p in range(1, across + 1)])


class Recorder:
    """Stands in for a COM / AppleScript object: every attribute set and call is logged as (path, value)."""

    def __init__(self, log: list, path: str = ""):
        object.__setattr__(self, "_log", log)
        object.__setattr__(self, "_path", path)

    def __getattr__(self, name: str) -> "Recorder":
        return Recorder(self._log, f"{self._path}.{name}".lstrip("."))

    def __setattr__(self, name: str, value) -> None:
        self._log.append((f"{self._path}.{name}".lstrip("."), value))

    def __call__(self, *args) -> "Recorder":
        self._log.append((self._path, tuple(repr(a) for a in args)))
        return Recorder(self._log, f"{self._path}({', '.join(map(repr, args))})")

    def __repr__(self) -> str:
        return self._path


def test_lite_freezes_each_table_and_results_and_names_what_it_cannot_set():
    from xlbudget.addin import buttons

    payload = book_json(example_workbook())
    actions = run_script(buttons, "build_schedules", payload)
    order = sheet_order(payload, actions)

    def on(sheet: str, func: str) -> list:
        return [a["args"] for a in actions if a["func"] == func and a["sheet_position"] == order.index(sheet)]

    # 目次: title rows 1–4, its one header row 5 (HEADER_TOP): rows 1–5 frozen; no grid lines
    assert HEADER_TOP == 5
    assert on("目次", "freezePaneAtRange") == [["1:5"]]
    assert on("目次", "setShowGridlines") == [[False]]
    # every table frozen where the CLI's book of the same inputs freezes it (openpyxl: the first unfrozen cell)
    wb = example_workbook()
    book, _ = read_book(input_grids(wb, "範例"), "範例")
    tables = derive_all(book)
    write_tables(wb, tables, book.agency)
    for table in tables:
        first_row = int(wb[table.sheet_name].freeze_panes.removeprefix("A"))
        assert on(table.sheet_name, "freezePaneAtRange") == [[f"1:{first_row - 1}"]], table.title
        assert on(table.sheet_name, "setShowGridlines") == [[False]], table.title
    status = "\n".join(str(r[0]) for r in sheet_values(actions, order.index("執行紀錄")))
    note = [line for line in status.splitlines() if line.startswith("版面設定")]
    assert note == ["版面設定：Excel 未接受增益集設定的A4 紙張、列印方向、符合頁寬、縮放比例、分頁位置、列印標題列、邊界、"
                    "頁碼頁尾、水平置中，列印前請在「版面配置」設定（命令列 xlbudget build 產生的活頁簿已設定好）。"]

    checked = run_script(buttons, "check_book", payload)
    order = sheet_order(payload, checked)
    # 檢核結果: title, counts, blank, header: rows 1–4 frozen; grid lines kept
    assert [a["args"] for a in checked if a["func"] == "freezePaneAtRange"
            and a["sheet_position"] == order.index("檢核結果")] == [["1:4"]]
    assert not [a for a in checked if a["func"] == "setShowGridlines" and a["sheet_position"] == order.index("檢核結果")]
    status = "\n".join(str(r[0]) for r in sheet_values(checked, order.index("執行紀錄")))
    assert "版面設定：Excel 未接受增益集設定的A4 紙張、列印方向、符合頁寬、邊界，" in status


def _com(page) -> list:
    log: list = []
    assert xb._com_page_setup(Recorder(log), page) == []
    return log


def test_windows_excel_is_given_a_table_fitted_to_its_width():
    """A 100-wide table, header rows 5–6: portrait A4 one page wide, rows 1–6 on every page, side margins 0.4 in
    (28.8 pt), top, bottom, header and footer 0.5 in (36 pt), page numbers, centred, no grid printed; all in one
    printer exchange."""
    log = _com(table_page(_layout(100, 1)))
    assert log[0] == ("Application.PrintCommunication", False)
    assert log[-2] == ("Application.PrintCommunication", True) and log[-1] == ("ResetAllPageBreaks", ())
    assert dict(log[1:-2]) == {
        "PageSetup.PaperSize": 9, "PageSetup.Orientation": 1, "PageSetup.Zoom": False, "PageSetup.FitToPagesWide": 1,
        "PageSetup.FitToPagesTall": False, "PageSetup.PrintTitleRows": "$1:$6", "PageSetup.PrintTitleColumns": "",
        "PageSetup.LeftMargin": 28.8, "PageSetup.RightMargin": 28.8, "PageSetup.TopMargin": 36.0,
        "PageSetup.BottomMargin": 36.0, "PageSetup.HeaderMargin": 36.0, "PageSetup.FooterMargin": 36.0,
        "PageSetup.CenterFooter": FOOTER, "PageSetup.CenterHorizontally": True, "PageSetup.PrintGridlines": False}


def test_windows_excel_is_given_a_table_across_pages_at_one_scale():
    """Three 100-wide columns a page each, the first two labels: landscape; the widest page is a column and the
    two labels, 300 wide: (842 − 2 × 0.4 × 72) / (300 × 7) = 37.35 → 37 %; pages end after columns 1 and 2, so the
    breaks are left of columns 2 and 3; columns A:B on every page."""
    log = _com(table_page(_layout(300, 3), 2))
    setup = dict(entry for entry in log if entry[0].startswith("PageSetup."))
    assert (setup["PageSetup.Orientation"], setup["PageSetup.Zoom"],
            setup["PageSetup.PrintTitleColumns"]) == (2, 37, "$A:$B")
    assert "PageSetup.FitToPagesWide" not in setup
    assert [e for e in log if e[0] == "VPageBreaks.Add"] == [("VPageBreaks.Add", ("Columns(2)",)),
                                                            ("VPageBreaks.Add", ("Columns(3)",))]


def test_windows_freezes_the_panes_through_the_sheets_window_and_names_what_excel_refuses():
    """On the desktop xlwings has no frozen panes (a window's setting): 執行紀錄 said 凍結窗格 on every 產生報表 and
    檢核. Now 檢核結果 (header rows 1–4) is frozen through COM: the sheet activated in its book's window, scrolled
    to A1, split below row 4 and left of column A, frozen, and the sheet the officer was on activated again; grid
    lines go through xlwings. What Excel refuses is named, the rest still set."""
    log: list = []

    class Impl:
        pass

    Impl.__module__ = "xlwings._xlwindows"

    class Sheet:
        impl, api = Impl(), Recorder(log)
        shown = True

        @property
        def freeze_panes(self):
            raise NotImplementedError

        @property
        def show_gridlines(self):
            return self.shown

        @show_gridlines.setter
        def show_gridlines(self, value):
            log.append(("show_gridlines", value))

    assert xb.apply_page(Sheet(), RESULTS_PAGE) == ()
    setup = dict(entry for entry in log if entry[0].startswith("PageSetup."))
    assert (setup["PageSetup.Orientation"], setup["PageSetup.FitToPagesWide"], setup["PageSetup.LeftMargin"],
            setup["PageSetup.TopMargin"], setup["PageSetup.PrintTitleRows"], setup["PageSetup.CenterFooter"]) == (
        2, 1, 54.0, 72.0, "", "")
    window = "Parent.Windows(1)"
    start = log.index(("Activate", ()))
    assert log[start:] == [
        ("Activate", ()), ("Parent.Windows", ("1",)), (f"{window}.FreezePanes", False), (f"{window}.ScrollRow", 1),
        (f"{window}.ScrollColumn", 1), (f"{window}.SplitRow", 4), (f"{window}.SplitColumn", 0),
        (f"{window}.FreezePanes", True), ("Parent.ActiveSheet.Activate", ())]
    assert ("show_gridlines", False) not in log  # 檢核結果 keeps its grid lines

    class Refusing(Recorder):  # Excel with no printer: «Unable to set the PaperSize property of the PageSetup class»
        refused = ("PaperSize",)

        def __getattr__(self, name):
            return type(self)(self._log, f"{self._path}.{name}".lstrip("."))

        def __setattr__(self, name, value):
            if name in self.refused:
                raise OSError(f"Unable to set the {name} property")
            super().__setattr__(name, value)

    Sheet.api = Refusing([])
    assert xb.apply_page(Sheet(), RESULTS_PAGE) == ("A4 紙張", "列印方向", "符合頁寬", "邊界")

    class NoWindow(Refusing):  # a book with no window of its own to freeze
        def __call__(self, *args):
            if self._path.endswith("Windows"):
                raise OSError("Unable to get the Windows property of the Workbook class")
            return super().__call__(*args)

    Sheet.api = NoWindow(log := [])
    assert xb.apply_page(Sheet(), RESULTS_PAGE) == ("A4 紙張", "列印方向", "符合頁寬", "邊界", "凍結窗格")
    assert log[-1] == ("Parent.ActiveSheet.Activate", ())  # the officer's sheet active again all the same


def test_macos_excel_is_given_what_its_applescript_terms_have(monkeypatch):
    monkeypatch.setitem(sys.modules, "appscript", types.SimpleNamespace(
        k=types.SimpleNamespace(landscape="landscape", portrait="portrait")))
    log: list = []
    assert xb._mac_page_setup(Recorder(log), table_page(_layout(300, 3), 2)) == ["A4 紙張", "分頁位置"]
    sets = {path.removeprefix("page_setup_object.").removesuffix(".set"): args[0] for path, args in log}
    assert sets == {"orientation": "'landscape'", "zoom": "37", "print_title_rows": "'$1:$6'",
                    "print_title_columns": "'$A:$B'", "left_margin": "28.8", "right_margin": "28.8",
                    "top_margin": "36.0", "bottom_margin": "36.0", "header_margin": "36.0", "footer_margin": "36.0",
                    "center_footer": repr(FOOTER), "center_horizontally": "True"}
    from xlbudget.forms.pages import INPUT_PAGE  # an input sheet's printed grid: no AppleScript term xlwings knows

    assert xb._mac_page_setup(Recorder([]), INPUT_PAGE) == ["A4 紙張", "列印格線"]


def test_the_note_sends_panes_and_grid_lines_to_the_view_tab():
    """凍結窗格 and 格線 are set on Excel's 檢視 tab, not 版面配置 (where the print settings are): desktop Excel on
    Windows, which takes every print setting but not the panes, was told to look for them in 版面配置 on every build."""
    assert xb.unset_note(()) == ""
    assert xb.unset_note(("凍結窗格",)) == (
        "版面設定：Excel 未接受增益集設定的凍結窗格，請在「檢視」設定（命令列 xlbudget build 產生的活頁簿已設定好）。")
    assert xb.unset_note(("A4 紙張", "凍結窗格", "格線")) == (
        "版面設定：Excel 未接受增益集設定的A4 紙張、凍結窗格、格線，A4 紙張請在「版面配置」設定，凍結窗格、格線請在"
        "「檢視」設定（命令列 xlbudget build 產生的活頁簿已設定好）。")
    assert xb.unset_note(("邊界",)) == (
        "版面設定：Excel 未接受增益集設定的邊界，列印前請在「版面配置」設定（命令列 xlbudget build 產生的活頁簿已設定好）。")


def test_add_template_gives_each_sheet_it_adds_the_page_setup_of_xlbudget_new():
    """新增範本 wrote its sheets with no page setup at all: no frozen header, and 執行紀錄 silent about print titles,
    paper and the printed grid the template's sheets have. Now each input sheet is given INPUT_PAGE (header row 1
    frozen and on every page, landscape A4 one page wide, grid printed), 說明 LIST_PAGE; Lite says what it cannot."""
    from openpyxl import Workbook

    from xlbudget.addin import buttons
    from xlbudget.app.template import LAYOUT

    wb = Workbook()
    wb.active.title = "工作表1"
    payload = book_json(wb)
    actions = run_script(buttons, "add_template", payload)
    order = sheet_order(payload, actions)
    frozen = {order[a["sheet_position"]]: a["args"] for a in actions if a["func"] == "freezePaneAtRange"}
    assert frozen == {name: ["1:1"] for name in LAYOUT}  # each input sheet below its header row; 說明 not at all
    status = "\n".join(str(r[0]) for r in sheet_values(actions, order.index("執行紀錄")))
    assert ("版面設定：Excel 未接受增益集設定的A4 紙張、列印方向、符合頁寬、列印標題列、邊界、列印格線，列印前請在「版面配置」"
            "設定（命令列 xlbudget new 產生的範本已設定好）。") in status


def test_windows_excel_is_given_an_input_sheet_as_xlbudget_new_prints_it():
    """xlbudget new's 歲出明細 (openpyxl, below) and the COM calls for INPUT_PAGE: landscape A4 one page wide, row 1
    on every page, the grid printed, margins 0.75 / 1.0 / 0.5 in (54 / 72 / 36 pt), no footer."""
    from xlbudget.app.template import new_template
    from xlbudget.forms.inputs import SHEET_EXPENSES
    from xlbudget.forms.pages import INPUT_PAGE

    ws = new_template()[SHEET_EXPENSES]
    assert (ws.page_setup.orientation, ws.page_setup.paperSize, ws.page_setup.fitToWidth, ws.print_title_rows,
            ws.print_options.gridLines, ws.freeze_panes) == ("landscape", 9, 1, "$1:$1", True, "A2")
    setup = dict(entry for entry in _com(INPUT_PAGE) if entry[0].startswith("PageSetup."))
    assert setup == {
        "PageSetup.PaperSize": 9, "PageSetup.Orientation": 2, "PageSetup.Zoom": False, "PageSetup.FitToPagesWide": 1,
        "PageSetup.FitToPagesTall": False, "PageSetup.PrintTitleRows": "$1:$1", "PageSetup.PrintTitleColumns": "",
        "PageSetup.LeftMargin": 54.0, "PageSetup.RightMargin": 54.0, "PageSetup.TopMargin": 72.0,
        "PageSetup.BottomMargin": 72.0, "PageSetup.HeaderMargin": 36.0, "PageSetup.FooterMargin": 36.0,
        "PageSetup.CenterFooter": "", "PageSetup.CenterHorizontally": False, "PageSetup.PrintGridlines": True}
