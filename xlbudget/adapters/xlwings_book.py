"""Adapter for live workbooks through the xlwings object model (xw.Book, sheets, ranges).

The same calls run on desktop Excel (COM / AppleScript), xlwings Lite and
xlwings Server (the JSON-backed remote engine), so nothing here touches an
engine's ``api`` but the page setup (``apply_page``: xlwings has no call for
paper, margins or print titles, so on the desktop they are Excel's own PageSetup).
Reads take one call per input sheet and writes one call per table; formatting
adds a few calls per table (merges, number formats, widths, page setup).
"""

from __future__ import annotations

from dataclasses import dataclass

from xlbudget.core.findings import Finding, Severity, marked_cells, severity_rank
from xlbudget.core.formulas import as_text, quoted_grid
from xlbudget.core.patterns import lazy
from xlbudget.forms.inputs import HEADER_SEARCH_ROWS
from xlbudget.readers.grid import (Grid, column_letter, input_sheet_names, print_ranges, table_grid, text_cells,
                                    with_copies, with_renamed)
from xlbudget.forms.results import RESULT_SHEET, RESULTS_HEADERS, RESULTS_WIDTHS, STATE_SHEET, results_sheet
from xlbudget.forms.layout import KIND_AGENCY, KIND_HEADER, KIND_TITLE, SheetLayout, layout_table, title_columns
from xlbudget.forms.pages import RESULTS_PAGE, PageSetup, table_page
from xlbudget.core.model import Agency, cell_position
from xlbudget.core.tables import Table
from xlbudget.core import records

NUMBER_FORMAT = '#,##0;-#,##0;"-"'
STATUS_SHEET = "執行紀錄"
EXPORT_SHEET = "匯出資料"
# keyed by Severity value (results.SEVERITY_NAMES), so a severity added later still gets a colour
# fill of a marked cell, per severity (Excel's light red / grey / yellow / blue)
MARK_COLORS = {"error": "#FFC7CE", "unverifiable": "#D9D9D9", "warning": "#FFEB9C", "info": "#DDEBF7"}
_MAX_COLOR_CELLS = 10_000  # Range.set_colors takes at most this many cells per call


def sheet_names(book) -> list[str]:
    """Names of the book's sheets, in order."""
    return [s.name for s in book.sheets]


def sheet_grid(sheet, file: str | None = None) -> Grid:
    """The input block of a live sheet in one read of its used range: its first Excel Table if it has one
    (its totals row marked, and the rows typed below it read with it, as the file readers do: grid.table_grid),
    else the used range."""
    table = None
    try:
        tables = sheet.tables
        if len(tables):
            table = tables[0]
    except (AttributeError, NotImplementedError, KeyError):
        table = None
    rng = sheet.used_range
    values = [list(r) for r in rng.options(ndim=2, err_to_str=True).value]  # #N/A is not an empty cell
    if table is None:
        return Grid(sheet.name, values, rng.row, rng.column, file)
    return table_grid(sheet.name, values, rng.row, rng.column, file, table.range.address,
                      1 if table.show_totals else 0)


def hidden_rows(sheet, first: int, last: int, columns: bool = False) -> frozenset[int] | None:
    """The rows ``first``..``last`` of ``sheet`` hidden in Excel (by hand or by a filter), asked of the engine by
    halves (``rows.hidden``: True, False, or None when mixed), so a sheet with none costs one question; None when
    the engine cannot say (xlwings Lite and Server: the book JSON they get holds no row visibility). With
    ``columns``, the columns ``first``..``last`` hidden, asked alike (``columns.hidden``)."""
    found: set[int] = set()

    def ask(a: int, b: int) -> None:
        state = (sheet.range((1, a), (1, b)).columns.hidden if columns else
                 sheet.range((a, 1), (b, 1)).rows.hidden)
        if state is None and a < b:
            ask(a, (a + b) // 2)
            ask((a + b) // 2 + 1, b)
        elif state:
            found.update(range(a, b + 1))

    try:
        if first <= last:
            ask(first, last)
    except NotImplementedError:
        return None
    return frozenset(found)


def font_struck(rng) -> bool | None:
    """Whether every cell of ``rng`` is struck through (刪除線): True, False, or None when mixed; asked of desktop
    Excel (COM: Font.Strikethrough; AppleScript: strikethrough of its font object), since xlwings' own Font has no
    such property. NotImplementedError where the engine cannot tell (xlwings Lite and Server: the book JSON holds no
    font)."""
    engine = type(rng.sheet.impl).__module__
    if engine.endswith("_xlwindows"):
        return rng.api.Font.Strikethrough
    if engine.endswith("_xlmac"):
        state = rng.api.font_object.strikethrough.get()
        return state if isinstance(state, bool) else None
    raise NotImplementedError("this engine holds no font")


def font_colour(rng) -> str | None:
    """The font colour of every cell of ``rng`` as grid.colour_key gives it (6 hex digits), or None when mixed;
    asked of desktop Excel (COM: Font.Color, BGR; AppleScript: the font object's color, 0–65535 a channel).
    NotImplementedError where the engine cannot tell (xlwings Lite and Server: the book JSON holds no font)."""
    from xlbudget.readers.grid import colour_key

    engine = type(rng.sheet.impl).__module__
    if engine.endswith("_xlwindows"):
        bgr = rng.api.Font.Color
        return None if bgr is None else colour_key(f"{int(bgr) & 0xFF:02X}{int(bgr) >> 8 & 0xFF:02X}"
                                                   f"{int(bgr) >> 16 & 0xFF:02X}")
    if engine.endswith("_xlmac"):
        rgb = rng.api.font_object.color.get()
        return colour_key("".join(f"{int(v) >> 8:02X}" for v in rgb)) if isinstance(rgb, (list, tuple)) else None
    raise NotImplementedError("this engine holds no font")


def fill_colour(rng) -> str | None:
    """The solid fill of every cell of ``rng`` as grid.colour_key gives it, "" for no fill, None when mixed:
    desktop Excel's Interior (COM: ColorIndex None when mixed, xlNone -4142 for no fill, Color BGR), else xlwings'
    Range.color ((r, g, b), None for no fill; a range it cannot answer for as one is asked again by halves)."""
    from xlbudget.readers.grid import colour_key

    if type(rng.sheet.impl).__module__.endswith("_xlwindows"):
        index = rng.api.Interior.ColorIndex
        if index is None or index == -4142:
            return None if index is None else ""
        bgr = int(rng.api.Interior.Color)
        return colour_key(f"{bgr & 0xFF:02X}{bgr >> 8 & 0xFF:02X}{bgr >> 16 & 0xFF:02X}")
    try:
        rgb = rng.color
        return "" if rgb is None else colour_key("".join(f"{int(v):02X}" for v in rgb[:3]))
    except (TypeError, ValueError, AttributeError):  # mixed: no single colour to give
        return None


def styled_marks(sheet, grid: Grid, struck_too: bool = True) -> tuple[frozenset[tuple[int, int]],
                                                                       dict[tuple[int, int], str],
                                                                       dict[tuple[int, int], tuple[str, str]]] | None:
    """(the cells struck through, {cell: number format showing a unit the value is not in}, {cell: (number format,
    what hides it)} of the cells that may show no figure: a format showing none, grid.format_hiding, or a font the
    colour of its fill, grid.unseen_style) of ``grid``'s block, as the file readers give Grid.struck,
    Grid.unit_formats and Grid.unseen (sheet (row, column), 1-based), asked of the engine a range at a time: the
    whole block first, then by halves (rows first for strikethrough, columns first for formats and colours) only
    where it is mixed, so a sheet of one format, one font colour, one fill and no strikethrough costs four
    questions (``struck_too`` False, a table sheet: no strikethrough asked). None where the engine cannot tell
    (xlwings Lite and Server read neither fonts nor number formats synchronously)."""
    from xlbudget.readers.grid import format_hiding, format_unit, unseen_style

    width = max(map(len, grid.rows), default=0)
    if len(grid.rows) < 2 or not width:
        return frozenset(), {}, {}
    struck: set[tuple[int, int]] = set()
    formats: dict[tuple[int, int], str] = {}
    unseen: dict[tuple[int, int], tuple[str, str]] = {}

    def ask(question, r1: int, c1: int, r2: int, c2: int, found, rows_first: bool) -> None:
        state = question(sheet.range((r1, c1), (r2, c2)))
        if state is None and (c1 < c2 or r1 < r2):
            if c1 < c2 and not (rows_first and r1 < r2):
                middle = (c1 + c2) // 2
                ask(question, r1, c1, r2, middle, found, rows_first)
                ask(question, r1, middle + 1, r2, c2, found, rows_first)
            else:
                middle = (r1 + r2) // 2
                ask(question, r1, c1, middle, c2, found, rows_first)
                ask(question, middle + 1, c1, r2, c2, found, rows_first)
        elif state:
            found(r1, c1, r2, c2, state)

    def cells(r1, c1, r2, c2):
        return ((r, c) for r in range(r1, r2 + 1) for c in range(c1, c2 + 1))

    def strike(r1, c1, r2, c2, _):
        struck.update(cells(r1, c1, r2, c2))

    def unit(r1, c1, r2, c2, code):
        if format_unit(code):
            formats.update((cell, code) for cell in cells(r1, c1, r2, c2))
        if hiding := format_hiding(code):
            unseen.update((cell, hiding) for cell in cells(r1, c1, r2, c2))

    def coloured(r1, c1, r2, c2, why):
        unseen.update((cell, ("", why)) for cell in cells(r1, c1, r2, c2) if cell not in unseen)

    def shows_unit(rng) -> str | bool | None:
        code = rng.number_format
        return None if code is None else code if format_unit(str(code)) or format_hiding(str(code)) else False

    def unseen_colour(rng) -> str | bool | None:
        font = font_colour(rng)
        fill = None if font is None else fill_colour(rng)
        return None if fill is None else unseen_style(font, fill or None) or False

    block = (grid.top + 1, grid.left, grid.top + len(grid.rows) - 1, grid.left + width - 1)  # the lines, no header
    try:
        if struck_too:
            ask(font_struck, *block, strike, True)  # a line is struck along its row
        ask(shows_unit, *block, unit, False)  # a format is set on a column
    except NotImplementedError:
        return None
    try:
        ask(unseen_colour, *block, coloured, False)
    except NotImplementedError:  # an engine telling strikethrough and formats but no colour: what it tells
        pass
    return frozenset(struck), formats, unseen


def table_sheet_marks(sheet, grid: Grid, unseen: list[str] | None = None) -> Grid:
    """``grid``, a table sheet read back, with what Excel prints not, as the file readers note it: the sheet hidden,
    its print area, its rows and columns hidden (``hidden_rows``; where the engine cannot tell, the sheet's name is
    added to ``unseen``): coverage.hidden_figures names the figures there, as check does. A few questions a sheet
    (one for its rows, one for its columns when none is hidden)."""
    from dataclasses import replace

    marks: dict[str, object] = {}
    try:
        if not sheet.visible:
            marks["sheet_hidden"] = True
        area = sheet.page_setup.print_area  # desktop Excel: 「$A$1:$D$8」; Lite and Server: from the book JSON
    except (AttributeError, KeyError, NotImplementedError):
        area = None
    if area:
        marks["print_area"] = print_ranges(area)
    width = max(map(len, grid.rows), default=0)
    styled = styled_marks(sheet, grid, struck_too=False)  # figures no one sees: coverage.hidden_figures names them
    if styled and styled[2]:
        marks["unseen"] = styled[2]
    if width:
        rows = hidden_rows(sheet, grid.top, grid.top + len(grid.rows) - 1)
        columns = hidden_rows(sheet, grid.left, grid.left + width - 1, columns=True)
        if (rows is None or columns is None) and unseen is not None and grid.sheet not in unseen:
            unseen.append(grid.sheet)
        if rows:
            marks["hidden"] = rows
        if columns:
            marks["hidden_columns"] = columns
    return replace(grid, **marks) if marks else grid


def input_grids(book, unseen: list[str] | None = None, unfonted: list[str] | None = None) -> dict[str, Grid]:
    """Grids of the input sheets present in ``book`` (one read per sheet), keyed by input sheet.

    Every input sheet carries the rows and the columns hidden in Excel (``hidden_rows``), so its cells are named as
    the file readers name them (hidden-row-counted, hidden-column-counted); where the engine cannot tell, the
    sheet's name is added to ``unseen``. So are its cells struck through and its number formats showing a unit
    (``styled_marks``: struck-line, amount-unit-format); where the engine cannot tell, the sheet's name is added to
    ``unfonted``.
    """
    from dataclasses import replace

    names = sheet_names(book)
    grids = {canonical: sheet_grid(book.sheets[actual], book.name)
             for canonical, actual in input_sheet_names(names).items()}
    for canonical, grid in list(grids.items()):
        if len(grid.rows) < 2:
            continue
        hidden = hidden_rows(book.sheets[grid.sheet], grid.top + 1, grid.top + len(grid.rows) - 1)
        if hidden is None:
            if unseen is not None and grid.sheet not in unseen:
                unseen.append(grid.sheet)
        elif hidden:
            grids[canonical] = replace(grid, hidden=hidden)
    for canonical, grid in grids.items():
        try:  # an input sheet hidden in Excel (no tab): named beside a copy not read
            if not book.sheets[grid.sheet].visible:
                grids[canonical] = grid = replace(grid, sheet_hidden=True)
        except (AttributeError, KeyError, NotImplementedError):
            pass
        if not grid.rows or not grid.rows[0]:
            continue
        hidden = hidden_rows(book.sheets[grid.sheet], grid.left, grid.left + max(map(len, grid.rows)) - 1,
                             columns=True)
        if hidden is None:
            if unseen is not None and grid.sheet not in unseen:
                unseen.append(grid.sheet)
        elif hidden:
            grids[canonical] = replace(grid, hidden_columns=hidden)
    for canonical, grid in list(grids.items()):  # struck lines, 千元 formats: named as the file readers name them
        marks = styled_marks(book.sheets[grid.sheet], grid)
        if marks is None:
            if unfonted is not None and grid.sheet not in unfonted:
                unfonted.append(grid.sheet)
        elif marks[0] or marks[1] or marks[2]:
            grids[canonical] = replace(grid, struck=marks[0], unit_formats=marks[1], unseen=marks[2])
    grids = with_renamed(grids, names, lambda name: sheet_grid(book.sheets[name]).rows[:HEADER_SEARCH_ROWS])
    return with_copies(grids, names, lambda name: sheet_grid(book.sheets[name]).rows,
                       lambda name: sheet_grid(book.sheets[name]).rows[:HEADER_SEARCH_ROWS])


def set_values(rng, rows: list[list[object]], texts: bool = False) -> None:
    """Write a 2-D grid in one call; every text stays text (Excel reads a written '=…', '+…' or '-…' as a formula);
    with ``texts``, a text Excel would read as a number, a date or a truth value too (formulas.as_text)."""
    rng.value = [[as_text(v) for v in row] for row in rows] if texts else quoted_grid(rows)


def replace_sheet(book, name: str, after: str | None = None):
    """The sheet ``name`` emptied for rewriting, or a new sheet added after the sheet ``after`` (a table's: where
    core.titles.table_order puts it), else at the end.

    An existing sheet is cleared rather than deleted, so formulas elsewhere that
    point at it keep working and its position in the book is kept.
    """
    names = sheet_names(book)
    if name in names:
        sheet = book.sheets[name]
        sheet.clear()
        return sheet
    return book.sheets.add(name, after=book.sheets[after if after in names else len(book.sheets) - 1])


def sheet_protected(sheet, formatting: bool = False) -> bool | None:
    """Whether the officer protected ``sheet`` (校閱 → 保護工作表) so that a script cannot change its cells, or with
    ``formatting`` their fills (protection that allows 設定儲存格格式 lets fills through); asked of desktop Excel (COM:
    Worksheet.ProtectContents; AppleScript: protect contents). None where the engine cannot tell (xlwings Lite and
    Server: the book JSON they get holds no protection, and Office.js meets it only when the writes are applied)."""
    engine = type(sheet.impl).__module__
    try:
        if engine.endswith("_xlwindows"):
            ws = sheet.api
            return bool(ws.ProtectContents) and not (formatting and ws.Protection.AllowFormattingCells)
        if engine.endswith("_xlmac"):
            ws = sheet.api
            return bool(ws.protect_contents.get()) and not (
                formatting and ws.protection.allow_formatting_cells.get())
    except Exception:  # an Excel that cannot say: the writes themselves will tell (named midway, never silent)
        return None
    return None


def protected_sheets(book, names, painted=()) -> list[str] | None:
    """The sheets among ``names`` (to be written) and ``painted`` (only their fills changed) that the book has and the
    officer protected, in book order (sheet_protected); None when this Excel cannot tell."""
    wanted, fills = set(names), set(painted) - set(names)
    found = []
    for name in sheet_names(book):
        if name in wanted or name in fills:
            state = sheet_protected(book.sheets[name], formatting=name in fills)
            if state is None:
                return None
            if state:
                found.append(name)
    return found


def _runs(columns: list[int]) -> list[tuple[int, int]]:
    """[2, 3, 4, 7] → [(2, 4), (7, 7)]."""
    runs: list[tuple[int, int]] = []
    for c in sorted(columns):
        if runs and runs[-1][1] == c - 1:
            runs[-1] = (runs[-1][0], c)
        else:
            runs.append((c, c))
    return runs


def _width_scale(sheet) -> float:
    """Desktop Excel measures column widths in characters, Office.js (Lite, Server) in points."""
    try:
        return 5.7 if sheet.book.app.engine.type == "remote" else 1.0
    except Exception:  # an engine that cannot say: keep character widths
        return 1.0


def write_layout(sheet, layout: SheetLayout) -> None:
    """Write a laid-out table: all values in one call, then merges, number formats and widths."""
    prices = layout.price_cells()
    set_values(sheet["A1"], layout.values)  # a 單價 with 角 (Decimal 1.6) as the number 1.6 (formulas.quoted)
    last_row = len(layout.values)
    first_data = layout.header_rows[1] + 1
    if last_row >= first_data:
        for c1, c2 in _runs(layout.amount_columns):
            sheet.range((first_data, c1), (last_row, c2)).number_format = NUMBER_FORMAT
    for r, c, number_format in prices:  # shown as typed (1.6), not as #,##0's 2
        sheet.range((r, c)).number_format = number_format
    for r1, c1, r2, c2 in layout.merges:
        sheet.range((r1, c1), (r2, c2)).merge()
    set_widths(sheet, dict(enumerate(layout.widths, start=1)))
    for r, kind in layout.kinds.items():
        if kind in (KIND_AGENCY, KIND_TITLE, KIND_HEADER):
            sheet.range((r, 1), (r, layout.ncols)).font.bold = True


def set_widths(sheet, widths: dict[int, float]) -> None:
    """Column widths in characters (column → width), as openpyxl's and Excel's desktop measure them."""
    scale = _width_scale(sheet)
    for c, width in widths.items():
        sheet.range((1, c)).column_width = round(width * scale, 1)


def column_widths(sheet, columns) -> dict[int, float]:
    """The widths (characters) of ``columns`` of a live sheet that were set (not Excel's standard 8.43); {} where this
    Excel cannot say (xlwings Lite and Server read no width)."""
    found = {}
    try:
        for c in columns:
            width = sheet.range((1, c)).column_width
            if isinstance(width, (int, float)) and width > 0 and abs(width - _STANDARD_WIDTH) > 0.01:
                found[c] = float(width)
    except Exception:  # NotImplementedError on the remote engine; an Excel refusing: the template's widths
        return {}
    return found


_STANDARD_WIDTH = 8.43  # Excel's column width when nobody set one (Calibri 11)
# Excel's data validation through COM: xlValidateList, xlValidAlertStop / Warning / Information, xlBetween
_LIST, _ALERTS, _BETWEEN = 3, {"stop": 1, "warning": 2, "information": 3}, 1


def lists_settable(book) -> bool:
    """Whether this Excel lets a script set drop-down lists (add_lists): desktop Excel on Windows."""
    return type(book.impl).__module__.endswith("_xlwindows")


def add_lists(sheet, lists) -> bool:
    """Drop-down lists (data validation) on a live sheet: each (cells, list source, error style or None for no error
    shown, error text, prompt), as nextlooks.template_looks gives them. Only Excel on Windows lets a script set them
    (COM); False where this Excel cannot (macOS, xlwings Lite and Server), nothing set."""
    if not lists_settable(sheet.book):
        return False
    try:
        for cells, source, style, error, prompt in lists:
            validation = sheet.api.Range(cells).Validation
            validation.Delete()
            validation.Add(_LIST, _ALERTS.get(style or "stop", 1), _BETWEEN, source)
            validation.IgnoreBlank = True
            validation.ShowError = style is not None
            if error:
                validation.ErrorTitle, validation.ErrorMessage = "xlbudget", error
            if prompt:
                validation.ShowInput, validation.InputMessage = True, prompt
    except Exception:  # Excel refused (a protected sheet, …): 執行紀錄 says the lists are not set
        return False
    return True


def write_table(book, table: Table, agency: Agency, layout: SheetLayout | None = None,
                after: str | None = None) -> tuple[str, ...]:
    """Write ``table`` in printed form (``layout``, when laid out already) into the sheet named by its title
    (replacing its contents; a new sheet after the sheet ``after``), printed as the CLI prints it
    (forms.pages.table_page); returns the page settings this Excel could not be given (apply_page)."""
    from xlbudget.forms.overwrite import RECORD_NAME, built_record

    sheet = replace_sheet(book, table.sheet_name, after)
    layout = layout or layout_table(table, agency)
    write_layout(sheet, layout)
    record(sheet, RECORD_NAME, built_record(layout))  # what was written: the next build knows its own by it
    return apply_page(sheet, table_page(layout, title_columns(table)))


# the parts of a page setup, as 執行紀錄 names those an Excel could not be given
PAPER, ORIENTATION, FIT, SCALE, BREAKS, TITLES, MARGINS, FOOTER, CENTRED, PRINTED_GRID, FREEZE, GRID = (
    "A4 紙張", "列印方向", "符合頁寬", "縮放比例", "分頁位置", "列印標題列", "邊界", "頁碼頁尾", "水平置中", "列印格線",
    "凍結窗格", "格線")
_PRINT_PARTS = (PAPER, ORIENTATION, FIT, SCALE, BREAKS, TITLES, MARGINS, FOOTER, CENTRED, PRINTED_GRID)


def apply_page(sheet, page: PageSetup) -> tuple[str, ...]:
    """Give a live sheet the print setup ``page`` describes (forms.pages), as far as its Excel lets a script.

    On the desktop, Excel's own PageSetup (``sheet.api``: COM on Windows, AppleScript on macOS) takes the print
    settings; on xlwings Lite / Server (the remote engine) a script can set none of them. Grid lines go through
    xlwings everywhere it can; frozen panes where xlwings has the call (the remote engine), and on Windows through
    the sheet's window (_com_freeze: xlwings has no desktop call). Returns the parts not set, in _PRINT_PARTS'
    order, then 凍結窗格 and 格線: what 執行紀錄 tells the officer to set by hand.
    """
    engine = type(sheet.impl).__module__
    unset = [p for p in _PRINT_PARTS if _wanted(page, p)]
    try:
        if engine.endswith("_xlwindows"):
            unset = _com_page_setup(sheet.api, page)
        elif engine.endswith("_xlmac"):
            unset = _mac_page_setup(sheet.api, page)
    except Exception:  # Excel refused its PageSetup (no printer installed, …): the table stays, 執行紀錄 says so
        pass
    if page.freeze:
        row, col = page.freeze
        frozen = f"1:{row - 1}" if col == 1 else f"A1:{column_letter(col - 1)}{max(row - 1, 1)}"
        try:
            if engine.endswith("_xlwindows"):
                _com_freeze(sheet.api, row, col)
            else:
                sheet.freeze_panes.freeze_at(frozen)
        except NotImplementedError:  # xlwings on macOS: a window's setting, not the sheet's
            unset.append(FREEZE)
        except Exception:  # Excel refused (a book with no window of its own, …): the table stays, 執行紀錄 says so
            unset.append(FREEZE)
    if not page.gridlines:
        try:
            sheet.show_gridlines = False
        except NotImplementedError:  # xlwings Server with a client other than Office.js
            unset.append(GRID)
    return tuple(unset)


def unset_note(unset, made: str = "xlbudget build 產生的活頁簿") -> str:
    """執行紀錄's line for the page settings ``apply_page`` could not set ("" when it set them all); ``made``: what
    the command line makes with them set (xlbudget build's book, xlbudget new's template)."""
    printed = [p for p in _PRINT_PARTS if p in set(unset)]
    viewed = [p for p in (FREEZE, GRID) if p in set(unset)]  # not print settings: Excel's 檢視 tab sets them
    if not printed and not viewed:
        return ""
    where = ([f"{'、'.join(printed)}請在「版面配置」設定" if viewed else "列印前請在「版面配置」設定"] if printed else []) \
        + ([f"{'、'.join(viewed)}請在「檢視」設定" if printed else "請在「檢視」設定"] if viewed else [])
    return (f"版面設定：Excel 未接受增益集設定的{'、'.join(printed + viewed)}，{'，'.join(where)}"
            f"（命令列 {made}已設定好）。")


def _wanted(page: PageSetup, part: str) -> bool:
    """Whether ``page`` asks for ``part`` (a page fitted to its width has no scale or breaks to set)."""
    return {FIT: page.fit_width, SCALE: not page.fit_width, BREAKS: bool(page.breaks), TITLES: bool(page.title_rows),
            FOOTER: bool(page.footer), CENTRED: page.centred, PRINTED_GRID: page.printed_grid}.get(part, True)


def _title_ranges(page: PageSetup) -> tuple[str, str]:
    """Excel's PrintTitleRows and PrintTitleColumns ("$1:$6", "$A:$B"; "" for none)."""
    rows = f"${page.title_rows[0]}:${page.title_rows[1]}" if page.title_rows else ""
    return rows, f"$A:${column_letter(page.title_cols)}" if page.title_cols else ""


def _com_page_setup(ws, page: PageSetup) -> list[str]:
    """Excel's PageSetup through COM (Windows): ``ws`` is the worksheet's COM object (xlwings ``sheet.api``)."""
    app = ws.Application
    app.PrintCommunication = False  # every property in one exchange with the printer driver, not one each
    try:
        ps = ws.PageSetup
        ps.PaperSize = page.paper  # 9: xlPaperA4
        ps.Orientation = 2 if page.landscape else 1  # xlLandscape / xlPortrait
        if page.fit_width:
            ps.Zoom = False
            ps.FitToPagesWide, ps.FitToPagesTall = 1, False
        else:
            ps.Zoom = page.scale
        ps.PrintTitleRows, ps.PrintTitleColumns = _title_ranges(page)
        points = [round(inches * 72, 2) for inches in page.margins]
        (ps.LeftMargin, ps.RightMargin, ps.TopMargin, ps.BottomMargin, ps.HeaderMargin,
         ps.FooterMargin) = points
        ps.CenterFooter = page.footer
        ps.CenterHorizontally = page.centred
        ps.PrintGridlines = page.printed_grid
    finally:
        app.PrintCommunication = True
    ws.ResetAllPageBreaks()
    for last in page.breaks:  # a page ends after column ``last``: the break is left of the next
        ws.VPageBreaks.Add(ws.Columns(last + 1))
    return []


def _com_freeze(ws, row: int, col: int) -> None:
    """Panes frozen above ``row`` and left of ``col`` through COM (Windows): frozen panes belong to a window, and
    a window freezes its active sheet, so ``ws`` is activated in its book's window, split where the panes end
    (counted from the top left cell shown, so scrolled there first), frozen, and the sheet the officer was on is
    activated again."""
    book = ws.Parent
    was = book.ActiveSheet
    ws.Activate()
    try:
        window = book.Windows(1)
        window.FreezePanes = False  # a sheet frozen before (產生報表 again) is split anew
        window.ScrollRow, window.ScrollColumn = 1, 1
        window.SplitRow, window.SplitColumn = row - 1, col - 1
        window.FreezePanes = True
    finally:  # frozen or not, the officer is left on the sheet they were on
        was.Activate()


def _mac_page_setup(ws, page: PageSetup) -> list[str]:
    """Excel's page setup through AppleScript (macOS): ``ws`` is the worksheet's reference (xlwings ``sheet.api``).
    Excel's AppleScript terms xlwings knows have no paper size, no page breaks and no printed grid: those are left to
    the officer."""
    from appscript import k

    ps = ws.page_setup_object
    ps.orientation.set(k.landscape if page.landscape else k.portrait)
    if page.fit_width:
        ps.zoom.set(False)
        ps.fit_to_pages_wide.set(1)
        ps.fit_to_pages_tall.set(False)
    else:
        ps.zoom.set(page.scale)
    rows, cols = _title_ranges(page)
    ps.print_title_rows.set(rows)
    ps.print_title_columns.set(cols)
    for part, inches in zip((ps.left_margin, ps.right_margin, ps.top_margin, ps.bottom_margin, ps.header_margin,
                             ps.footer_margin), page.margins):
        part.set(round(inches * 72, 2))
    ps.center_footer.set(page.footer)
    ps.center_horizontally.set(page.centred)
    return [PAPER] + ([BREAKS] if page.breaks else []) + ([PRINTED_GRID] if page.printed_grid else [])


def sheet_texts(book, names, every: bool = False) -> dict[str, dict[tuple[int, int], str]]:
    """The text cells of the sheets ``names`` the book has, {sheet: {(row, column): text}} (one read each); with
    ``every``, every cell not empty (a formula's by its value): what 產生報表 is about to replace, as
    fastread.sheet_texts reads a file for build."""
    present = set(sheet_names(book))
    grids = {n: sheet_grid(book.sheets[n]) for n in names if n in present}
    return {n: text_cells(g.rows, g.top, g.left, every) for n, g in grids.items()}


def sheet_notes(book, names) -> dict[str, dict[tuple[int, int], tuple[str | None, str | None]]]:
    """The notes (附註) on the sheets ``names`` the book has, {sheet: {(row, column): (text, author)}}; text and author
    None where this Excel tells only which cells hold one (xlwings Lite and Server: the book JSON lists the cells)."""
    present = set(sheet_names(book))
    found = {}
    for name in (n for n in names if n in present):
        cells = {}
        for note in book.sheets[name].notes:
            try:
                address = note.location.address
            except NotImplementedError:
                address = note.impl.range.address
            try:
                said = (note.text, note.author)
            except NotImplementedError:
                said = (None, None)
            cells[cell_position(address.replace("$", "").split(":")[0])] = said
        if cells:
            found[name] = cells
    return found


def put_notes(sheet, notes: dict[tuple[int, int], tuple[str, str]]) -> set[tuple[int, int]]:
    """The officer's notes back on a rewritten sheet, {(row, column): (text, author)} (splicebuild.kept_notes); Excel
    gives each its user as author, as the 清除標示 button's notes. Returns the cells it could not put one on (named
    as removed, never dropped without a word)."""
    missed = set()
    for (r, c), (text, _) in sorted(notes.items()):
        try:
            cell = sheet.range((r, c))
            if cell.note is not None:  # an engine whose clearing left it listed (xlwings' remote engine)
                cell.note.delete()
            cell.add_note(text)
        except Exception:  # an Excel that refuses a note there: the caller names it with its text
            missed.add((r, c))
    return missed


def sheet_formulas(book, names) -> dict[str, dict[tuple[int, int], str]]:
    """The formula cells of the sheets ``names`` the book has, {sheet: {(row, column): "=…"}} (one read each), where
    the engine can read formulas (desktop Excel); xlwings Lite / Server cannot read them at once: none there, and
    such a cell is judged by its value, as any (forms.overwrite)."""
    present = set(sheet_names(book))
    found = {}
    for name in (n for n in names if n in present):
        rng = book.sheets[name].used_range
        try:
            rows = rng.formula
        except NotImplementedError:
            return {}
        rows = rows if isinstance(rows, (list, tuple)) else ((rows,),)
        found[name] = {(rng.row + r, rng.column + c): f for r, row in enumerate(rows) for c, f in enumerate(row)
                       if isinstance(f, str) and f.startswith("=")}
    return found


def recorded(sheet, name: str) -> str | None:
    """The text of the defined name ``name`` scoped to ``sheet`` (forms.overwrite's record), or None."""
    try:
        return next((n.refers_to for n in sheet.names if n.name.split("!")[-1] == name), None)
    except (NotImplementedError, KeyError, AttributeError):
        return None


def record(sheet, name: str, text: str) -> None:
    """Define ``name`` scoped to ``sheet`` as the constant ``text`` (forms.overwrite.built_record), replacing its
    last value. An engine without names keeps none: the next build names every cell that changed, never none."""
    try:
        for n in sheet.names:
            if n.name.split("!")[-1] == name:
                n.refers_to = "=" + text
                return
        sheet.names.add(name, "=" + text)
    except (NotImplementedError, KeyError, AttributeError):
        pass


def write_sentences(book, sentences: list[str]) -> None:
    """預算總說明's figure sentences into column D of 總說明 (our column; the officer's prose is left of it)."""
    from xlbudget.forms.inputs import SHEET_NARRATIVE
    from xlbudget.derive.narrative import NARRATIVE_COLUMN, NARRATIVE_HEADER

    narrative = input_sheet_names(sheet_names(book)).get(SHEET_NARRATIVE)  # 「總說明 」 is 總說明, as when read
    if not narrative:
        return
    sheet = book.sheets[narrative]
    used = sheet.used_range.last_cell.row
    sheet.range((1, NARRATIVE_COLUMN), (max(used, len(sentences) + 1), NARRATIVE_COLUMN)).clear_contents()
    set_values(sheet.range((1, NARRATIVE_COLUMN)), [[NARRATIVE_HEADER]] + [[text] for text in sentences])


def write_records(book, name: str, header: list[str], rows: list[list[object]], texts: bool = False):
    """Replace sheet ``name`` with a header row and ``rows``, in one write (``texts``: as set_values)."""
    sheet = replace_sheet(book, name)
    set_values(sheet["A1"], [list(header)] + [list(r) for r in rows], texts)
    sheet.range((1, 1), (1, len(header))).font.bold = True
    return sheet


@records.record
class Mark:
    """A cell we coloured: sheet, A1 address, severity."""

    sheet: str
    cell: str
    severity: Severity


def marks_of(findings: list[Finding], sheets: set[str]) -> list[Mark]:
    """One mark per finding cell on an existing sheet, the most severe finding winning."""
    best: dict[tuple[str, str], Severity] = {}
    for f in findings:
        for cell in marked_cells(f):  # a joint finding marks its related cells alike
            if cell.sheet not in sheets:
                continue
            key = (cell.sheet, cell.cell)
            if key not in best or severity_rank(f.severity) < severity_rank(best[key]):
                best[key] = f.severity
    return [Mark(s, c, sev) for (s, c), sev in sorted(best.items())]


def paint(book, cells: dict[str, dict[tuple[int, int], str | None]]) -> int:
    """Set fills cell by cell, one ``set_colors`` call per sheet block (others keep their fill).

    ``cells`` maps sheet name → {(row, col): "#RRGGBB" or None (no fill)}. Returns cells painted.
    """
    count = 0
    for sheet_name, colors in cells.items():
        if not colors:
            continue
        sheet = book.sheets[sheet_name]
        rows = sorted({r for r, _ in colors})
        c1 = min(c for _, c in colors)
        c2 = max(c for _, c in colors)
        width = c2 - c1 + 1
        step = max(1, _MAX_COLOR_CELLS // width)
        start = 0
        while start < len(rows):
            block = [r for r in rows[start:] if r < rows[start] + step]
            r1, r2 = block[0], block[-1]
            if hasattr(sheet["A1"], "set_colors"):
                matrix = [[colors.get((r, c), ...) for c in range(c1, c2 + 1)] for r in range(r1, r2 + 1)]
                sheet.range((r1, c1), (r2, c2)).set_colors(matrix)
            else:  # xlwings < 0.37.5: one call per cell
                for (r, c), color in colors.items():
                    if r1 <= r <= r2:
                        sheet.range((r, c)).color = color
            start += len(block)
        count += len(colors)
    return count


def own_fills(book, marks: list[Mark]) -> list[Mark] | None:
    """The marks about to be painted on a cell the officer had filled (a colour not one of MARK_COLORS), asked of Excel
    cell by cell (desktop: Range.color); None where this Excel cannot read a fill (xlwings Lite and Server), so any
    marked cell may have had one (field report 9 §5.6)."""
    ours = {tuple(int(c[i:i + 2], 16) for i in (1, 3, 5)) for c in MARK_COLORS.values()}
    found = []
    for m in marks:
        try:
            color = book.sheets[m.sheet][m.cell].color
        except NotImplementedError:
            return None
        if color is not None and tuple(color) not in ours:
            found.append(m)
    return found


def mark_findings(book, findings: list[Finding]) -> list[Mark]:
    """Colour each finding's cell by severity; returns the marks made."""
    marks = marks_of(findings, set(sheet_names(book)))
    cells: dict[str, dict[tuple[int, int], str | None]] = {}
    for m in marks:
        cells.setdefault(m.sheet, {})[cell_position(m.cell)] = MARK_COLORS.get(getattr(m.severity, "value", m.severity), "#D9D9D9")
    paint(book, cells)
    return marks


def _state_rows(book) -> list[list]:
    """The state sheet's values row by row, its references (目前位置) as their formulas where this Excel reads them
    (desktop; xlwings Lite and Server send no formulas)."""
    sheet = book.sheets[STATE_SHEET]
    rows = [list(r) for r in sheet.used_range.options(ndim=2).value or []]
    try:
        formulas = sheet.used_range.formula
    except NotImplementedError:
        return rows
    for row, texts in zip(rows, formulas if formulas and isinstance(formulas[0], (list, tuple)) else [formulas]):
        if len(row) > 6 and len(texts) > 6 and isinstance(texts[6], str) and texts[6].startswith("="):
            row[6] = texts[6]
    return rows


class _LiveLook:
    """A live book as marking.clear_plan sees it (MarkLook): a cell's fill and note asked of Excel. xlwings Lite and
    Server cannot read either (NotImplementedError)."""

    def __init__(self, book):
        self.book = book
        self.names = [n for n in sheet_names(book) if n not in (RESULT_SHEET, STATE_SHEET)]
        self.sheets = set(self.names)

    def anchor(self, sheet: str, cell: str) -> str:
        try:
            area = self.book.sheets[sheet][cell].merge_area
        except NotImplementedError:
            return cell
        return area[0].address.replace("$", "")

    def fill(self, sheet: str, cell: str) -> str | None:
        from xlbudget.adapters.marking import FILLS

        color = self.book.sheets[sheet][cell].color
        rgb = "FF%02X%02X%02X" % tuple(color) if isinstance(color, (tuple, list)) else None
        return rgb if rgb in FILLS.values() else None

    def note(self, sheet: str, cell: str) -> tuple[str, str] | None:
        note = self.book.sheets[sheet][cell].note
        return None if note is None else (note.text, note.author)

    def our_notes(self) -> list[tuple[str, str]]:
        from xlbudget.adapters.marking import AUTHOR

        return [(name, note.location.address.replace("$", "")) for name in self.names
                for note in self.book.sheets[name].notes if note.author == AUTHOR]


@dataclass
class LiveCleared:
    """What removing the last marks from a live book did: marking.Cleared; the check --mark marks left because this
    Excel cannot read a cell's fill or note (``kept``, xlwings Lite and Server: ``blind``, 檢核's own marks cleared by
    the addresses 檢核結果 lists); the cells whose original fill no colour xlwings sets gives back (``unrestored``:
    a theme colour or a pattern; xlbudget's fill left there)."""

    cleared: object
    kept: int = 0
    blind: bool = False
    unrestored: list = None


def clear_recorded_marks(book) -> LiveCleared:
    """Remove the marks of the last check, 檢核's or check --mark's, as check --clear does (marking.clear_plan, the
    one way of finding them: the state's references, our notes and fills); the officer's fills and notes back, the
    state sheet removed and 檢核結果 emptied. Where this Excel cannot read fills and notes (xlwings Lite, Server),
    檢核's own marks are cleared by the cells 檢核結果 lists and check --mark's are left (``kept``)."""
    from xlbudget.adapters.marking import Cleared, button_records, clear_plan, fill_color, state_records

    names = sheet_names(book)
    present = set(names)
    records = state_records(_state_rows(book), names) if STATE_SHEET in present else []
    buttons = button_records(book.sheets[RESULT_SHEET].used_range.options(ndim=2).value or [], names,
                             {(r.sheet, r.cell) for r in records}) if RESULT_SHEET in present else []
    done = LiveCleared(Cleared(), unrestored=[])
    try:
        restores, done.cleared = clear_plan(records + buttons, _LiveLook(book))
    except NotImplementedError:  # xlwings Lite, Server: no fill, note nor author to read
        done.blind, done.kept = True, len(records)
        restores = _blind_restores(buttons)
        done.cleared.restored = len(restores)
    colors: dict[str, dict[tuple[int, int], str | None]] = {}
    for r in restores:
        if r.fill is not None:
            settable, color = fill_color(r.fill)
            if settable:
                colors.setdefault(r.sheet, {})[cell_position(r.cell)] = color
            else:
                done.unrestored.append((r.sheet, r.cell))
        if r.renote:
            cell = book.sheets[r.sheet][r.cell]
            if cell.note is not None:
                cell.note.delete()
            if r.note:  # the officer's own words, his again (Excel gives a note the user's name as its author)
                cell.add_note(r.note)
    paint(book, colors)
    done.cleared.changed = bool(restores) or bool(records)
    if records and not done.blind:
        state = book.sheets[STATE_SHEET]
        state.visible = True  # a very hidden sheet is shown before it is deleted
        state.delete()
    if RESULT_SHEET in present:
        book.sheets[RESULT_SHEET].clear()
    return done


def _blind_restores(buttons) -> list:
    """檢核's marks where this Excel cannot read a fill: each listed cell's fill removed."""
    from xlbudget.adapters.marking import Restore

    return [Restore(r.sheet, r.cell, "", False) for r in buttons]


def write_results(book, findings: list[Finding]) -> tuple[str, ...]:
    """The 檢核結果 sheet (results.results_sheet), written in one call, then bold rows, formats, widths and its page
    setup (forms.pages.RESULTS_PAGE); returns the page settings this Excel could not be given (apply_page)."""
    layout = results_sheet(findings, book.name, sheet_names(book))
    sheet = replace_sheet(book, RESULT_SHEET)
    set_values(sheet["A1"], layout.rows)
    for r in layout.bold_rows:
        sheet.range((r + 1, 1), (r + 1, len(RESULTS_HEADERS))).font.bold = True
    if layout.findings:
        first, last = layout.findings[0][0] + 1, layout.findings[-1][0] + 1
        sheet.range((first, 6), (last, 7)).number_format = "#,##0"
    scale = _width_scale(sheet)
    for c, width in enumerate(RESULTS_WIDTHS, start=1):
        sheet.range((1, c)).column_width = round(width * scale, 1)
    unset = apply_page(sheet, RESULTS_PAGE)
    sheet.activate()
    return unset


# every 執行紀錄 a button writes begins with the time and the button's name (buttons._run_button): how xlbudget knows
# its own 執行紀錄 (forms.results.foreign_sheet), those written before this test was made included
_STATUS_FIRST = lazy(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\u3000[^：\s]+：")
STATUS_BESIDE = f"{STATUS_SHEET} (xlbudget)"


def _ours_status(cells) -> bool:
    return bool(_STATUS_FIRST.match(str(cells.get((1, 1), ""))))


def write_status(book, lines: list[str]) -> None:
    """Write what a button did to the 執行紀錄 sheet (one call) and show that sheet. A 執行紀錄 of the officer's own
    (field report 9 §3.2: his review log) or one protected is never emptied: the lines go to 「執行紀錄 (xlbudget)」
    beside it, and say so; to 「執行紀錄 (xlbudget 2)」 when that one is his too (or protected), and so on."""
    from xlbudget.forms.results import foreign_sheet

    present = set(sheet_names(book))
    skipped: list[tuple[str, dict | None]] = []  # (sheet, its cells when the officer's; None: protected), left as is
    for candidate in (STATUS_SHEET, STATUS_BESIDE, *(f"{STATUS_SHEET} (xlbudget {n})" for n in range(2, 100))):
        name = candidate
        if candidate not in present:
            break
        texts = sheet_texts(book, [candidate], every=True).get(candidate)
        if texts and not _ours_status(texts):
            skipped.append((candidate, texts))
        elif sheet_protected(book.sheets[candidate]):
            skipped.append((candidate, None))
        else:
            break
    said = []  # said once the sheet written is known: 「執行紀錄 (xlbudget)」 may be the officer's too
    for candidate, texts in skipped:
        found = foreign_sheet(candidate, texts, book.name, _ours_status, kept=f"未更動，本次結果寫在「{name}」") \
            if texts is not None else None
        said.append(found.message + "。" if found is not None else f"「{candidate}」工作表受保護，未更動；本次結果寫在「{name}」。")
    sheet = replace_sheet(book, name)
    set_values(sheet["A1"], [[line] for line in lines[:1] + said + lines[1:]])
    sheet.range((1, 1)).column_width = round(100 * _width_scale(sheet), 1)
    sheet.activate()
